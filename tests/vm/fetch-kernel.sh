#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Download the pinned Debian bookworm-backports 6.12 kernel packages (image, headers, kbuild,
# source) into a cache outside the repository and extract them there.
#
#   IIO_VM_CACHE   cache root (default: $HOME/.cache/iio-vm)
#   IIO_VM_KVER    kernel ABI name    (default: 6.12.95+deb12)
#   IIO_VM_KPKGVER package version    (default: 6.12.95-1~bpo12+1)
#
# Idempotent: every step leaves a stamp file; a warm run only checks stamps.
# Prints nothing but the path of the kernel tree root on stdout's last line when done.
set -euo pipefail

CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}
KVER=${IIO_VM_KVER:-6.12.95+deb12}
KPKGVER=${IIO_VM_KPKGVER:-6.12.95-1~bpo12+1}
KSERIES=$(echo "$KVER" | cut -d. -f1,2)

DEBS=$CACHE/debs/$KVER
ROOT=$CACHE/kernel/$KVER           # extracted packages land here
APTDIR=$CACHE/apt

log() { echo "fetch-kernel: $*" >&2; }

PKGS=(
	"linux-image-$KVER-amd64-unsigned"
	"linux-headers-$KVER-amd64"
	"linux-headers-$KVER-common"
	"linux-kbuild-$KVER"
	"linux-source-$KSERIES"
)

# The machine's own Debian mirror: first deb822 URIs: line or classic deb line naming "debian".
mirror_uri() {
	local u=""
	if [ -n "${IIO_VM_MIRROR:-}" ]; then echo "$IIO_VM_MIRROR"; return; fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		u=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
		[ -n "$u" ] && break
	done
	if [ -z "$u" ] && [ -f /etc/apt/sources.list ]; then
		u=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list | head -n1)
	fi
	echo "${u:-http://deb.debian.org/debian}"
}

apt_opts() {
	echo -o "Dir::Etc::sourcelist=$APTDIR/sources.list" -o Dir::Etc::sourceparts=- \
		-o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache" \
		-o APT::Get::List-Cleanup=0 -o Debug::NoLocking=1 -o APT::Sandbox::User=root
}

have_all_debs() {
	local p
	for p in "${PKGS[@]}"; do
		ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || return 1
	done
}

download() {
	have_all_debs && return 0
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$DEBS"
	echo "deb $(mirror_uri) bookworm-backports main" > "$APTDIR/sources.list"
	log "apt-get update (private lists, bookworm-backports)"
	# shellcheck disable=SC2046
	apt-get $(apt_opts) -qq update >&2
	local p want=()
	for p in "${PKGS[@]}"; do
		ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || want+=("$p=$KPKGVER")
	done
	log "downloading ${want[*]}"
	# shellcheck disable=SC2046
	if ! (cd "$DEBS" && apt-get $(apt_opts) -qq download "${want[@]}" >&2); then
		log "the pinned version $KPKGVER is not available; available versions:"
		# shellcheck disable=SC2046
		apt-cache $(apt_opts) madison "linux-source-$KSERIES" >&2 || true
		log "set IIO_VM_KVER / IIO_VM_KPKGVER to one of them"
		exit 1
	fi
	have_all_debs
}

extract() {
	local stamp=$ROOT/.extracted
	if [ -f "$stamp" ]; then return 0; fi
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	local d
	for d in "$DEBS"/*.deb; do
		log "extracting $(basename "$d")"
		nice dpkg-deb -x "$d" "$ROOT"
	done
	# The arch-specific headers Makefile includes the common tree by absolute /usr/src path.
	local hdr=$ROOT/usr/src/linux-headers-$KVER-amd64
	sed -i "s|/usr/src/linux-headers-$KVER-common|$ROOT/usr/src/linux-headers-$KVER-common|g" \
		"$hdr/Makefile"
	# Kbuild scripts live in the kbuild package; the headers tree links to them by absolute path.
	local l
	for l in scripts tools; do
		if [ -L "$hdr/$l" ]; then
			local t
			t=$(readlink "$hdr/$l")
			case "$t" in
			/*) ln -sfn "$ROOT$t" "$hdr/$l" ;;
			esac
		fi
	done
	touch "$stamp"
}

extract_source() {
	local stamp=$ROOT/.source-extracted
	if [ -f "$stamp" ]; then return 0; fi
	local tarball
	tarball=$(ls "$ROOT/usr/src/linux-source-$KSERIES".tar.* | head -n1)
	rm -rf "$ROOT/src"
	mkdir -p "$ROOT/src"
	log "extracting $(basename "$tarball") (only the parts the bench needs)"
	# Only the directories we patch or build from; the full tree is not needed.
	nice tar -xf "$tarball" -C "$ROOT/src" --strip-components=1 --wildcards \
		"linux-source-$KSERIES/drivers/usb/gadget/*" \
		"linux-source-$KSERIES/drivers/iio/*" \
		"linux-source-$KSERIES/include/linux/usb/*" \
		"linux-source-$KSERIES/include/linux/iio/*" \
		"linux-source-$KSERIES/include/uapi/linux/usb/*"
	touch "$stamp"
}

depmod_tree() {
	local stamp=$ROOT/.depmod
	if [ -f "$stamp" ]; then return 0; fi
	log "depmod (module dependency lists for initramfs staging)"
	depmod -b "$ROOT" -F "$ROOT/boot/System.map-$KVER-amd64" "$KVER-amd64"
	touch "$stamp"
}

download
extract
depmod_tree
extract_source
echo "$ROOT"
