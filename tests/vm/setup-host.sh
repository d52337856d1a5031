#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the host packages the QEMU kernel bench needs (Debian 12).
# Idempotent: only calls apt-get when something is missing.
set -eu

PKGS="qemu-system-x86 busybox-static kmod cpio xz-utils dwarves build-essential bc flex bison
libelf-dev libssl-dev libusb-1.0-0-dev pkg-config patch"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "setup-host: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
echo "setup-host: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
