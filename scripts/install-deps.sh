#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the Debian 12 packages the build, the tests and the QEMU bench need.
# Idempotent: does nothing when everything is already there.
set -euo pipefail

PACKAGES=(
	build-essential cmake pkg-config git
	libxml2-dev libusb-1.0-0-dev libzstd-dev libavahi-client-dev libaio-dev
	python3 python3-pytest
	libiio-utils iiod avahi-daemon avahi-utils dbus
	mono-mcs mono-runtime libnunit-cil-dev nunit-console
	valgrind
	groff-base man-db
)

missing=()
for pkg in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "Installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || true
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
