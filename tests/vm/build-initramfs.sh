#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the bench's initramfs: a cached base archive (busybox, stock Debian modules,
# the bench's modules, /init, guest-lib.sh) followed by an archive of extra files
# (host binaries with the shared libraries they need). The kernel unpacks
# concatenated cpio archives in order.
#
# usage: build-initramfs.sh -o OUT [-m MODDIR] [-b BIN]... [-l LIB]... [-f SRC:DST]...
#   -o OUT     output initramfs file
#   -m MODDIR  directory with the bench's .ko files (default: output of build-modules.sh)
#   -b BIN     host executable to install in /usr/bin (its libraries found with ldd)
#   -l LIB     shared library, or a directory whose lib*.so* are installed, in /usr/lib
#              (their own dependencies are found with ldd too)
#   -f SRC:DST any other file or directory, copied to DST in the guest
#
#   IIO_VM_CACHE   cache root (default: $HOME/.cache/iio-vm)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}

OUT=""
MODDIR=""
BINS=()
LIBS=()
FILES=()
while getopts "o:m:b:l:f:" opt; do
	case $opt in
	o) OUT=$OPTARG ;;
	m) MODDIR=$OPTARG ;;
	b) BINS+=("$OPTARG") ;;
	l) LIBS+=("$OPTARG") ;;
	f) FILES+=("$OPTARG") ;;
	*) sed -n '4,16p' "$0" >&2; exit 2 ;;
	esac
done
[ -n "$OUT" ] || { echo "build-initramfs: -o OUT is required" >&2; exit 2; }

log() { echo "build-initramfs: $*" >&2; }

ROOT=$("$HERE/fetch-kernel.sh" | tail -n1)
KVER=$(basename "$ROOT")
KREL=$KVER-amd64
KMODS=$ROOT/lib/modules/$KREL
[ -n "$MODDIR" ] || MODDIR=$("$HERE/build-modules.sh" | tail -n1)

# Stock modules wanted in the guest (their dependencies are added from modules.dep).
# dummy_hcd and usb_f_fs come from the bench's build; the stock dummy_hcd is kept
# aside for the unpatched-UDC cases.
STOCK_ROOTS="usbcore udc-core libcomposite configfs industrialio 9p 9pnet_virtio"

busybox_bin=$(command -v busybox)

# ---------------------------------------------------------------- base archive
base_hash=$( (cat "$0" "$HERE/guest-init.sh" "$HERE/guest-lib.sh";
	echo "$KVER $STOCK_ROOTS"; sha256sum "$busybox_bin" "$MODDIR"/*.ko) | sha256sum | cut -c1-16)
BASE=$CACHE/initramfs/base-$KVER-$base_hash.cpio

if [ ! -f "$BASE" ]; then
	log "building base archive $BASE"
	st=$(mktemp -d "$CACHE/initramfs-stage.XXXXXX")
	trap 'rm -rf "$st"' EXIT
	mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,usr/lib/iio-vm,lib/iio-vm/stock,etc,proc,sys,dev,tmp,run,share,root,mnt}
	mkdir -p "$st/lib/modules/$KREL/extra"
	cp "$busybox_bin" "$st/bin/busybox"
	for a in $("$busybox_bin" --list); do
		[ "$a" = busybox ] && continue	# a self link makes init fail with ELOOP
		ln -sf busybox "$st/bin/$a"
	done
	cp "$HERE/guest-init.sh" "$st/init"
	chmod 755 "$st/init"
	cp "$HERE/guest-lib.sh" "$st/usr/lib/iio-vm/guest-lib.sh"
	echo "root:x:0:0:root:/root:/bin/sh" > "$st/etc/passwd"
	echo "root:x:0:" > "$st/etc/group"
	printf '127.0.0.1\tlocalhost iio-vm\n::1\tlocalhost ip6-localhost\n' > "$st/etc/hosts"
	printf 'hosts: files\n' > "$st/etc/nsswitch.conf"

	# closure of the wanted stock modules over modules.dep
	declare -A want=()
	add_mod() {
		local rel=$1 dep
		[ -n "${want[$rel]:-}" ] && return 0
		want[$rel]=1
		for dep in $(awk -F': ' -v m="$rel" '$1 == m { print $2 }' "$KMODS/modules.dep"); do
			add_mod "$dep"
		done
	}
	for m in $STOCK_ROOTS; do
		rel=$(awk -F: -v n="$m" '{ f = $1; sub(/.*\//, "", f); sub(/\.ko.*$/, "", f);
			gsub(/-/, "_", f); gsub(/-/, "_", n); if (f == n) { print $1; exit } }' "$KMODS/modules.dep")
		[ -n "$rel" ] || { log "stock module $m not found"; exit 1; }
		add_mod "$rel"
	done
	for rel in "${!want[@]}"; do
		dst=$st/lib/modules/$KREL/${rel%.xz}
		mkdir -p "$(dirname "$dst")"
		xz -dc "$KMODS/$rel" > "$dst"
	done
	cp "$KMODS"/modules.order "$KMODS"/modules.builtin* "$st/lib/modules/$KREL/" 2>/dev/null || true
	xz -dc "$KMODS/kernel/drivers/usb/gadget/udc/dummy_hcd.ko.xz" > "$st/lib/iio-vm/stock/dummy_hcd.ko"
	xz -dc "$KMODS/kernel/drivers/usb/gadget/function/usb_f_fs.ko.xz" > "$st/lib/iio-vm/stock/usb_f_fs.ko"
	cp "$MODDIR"/*.ko "$st/lib/modules/$KREL/extra/"
	depmod -b "$st" "$KREL"

	mkdir -p "$(dirname "$BASE")"
	(cd "$st" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$BASE.tmp"
	mv "$BASE.tmp" "$BASE"
	rm -rf "$st"
	trap - EXIT
	# keep only the latest few base archives
	ls -t "$CACHE"/initramfs/base-*.cpio 2>/dev/null | tail -n +5 | xargs -r rm -f
fi

# ---------------------------------------------------------------- extras archive
ex=$(mktemp -d)
trap 'rm -rf "$ex"' EXIT

# Copy a file to the same absolute path in the guest, resolving symlinks but keeping
# the name that the loader or the caller asked for.
copy_abs() {
	local src=$1 dst=${2:-$1}
	mkdir -p "$ex$(dirname "$dst")"
	cp -L "$src" "$ex$dst"
}

copy_libs_of() {
	local f=$1 lib
	# lines: "libfoo.so.1 => /path (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
	for lib in $(ldd "$f" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
		[ -e "$ex$lib" ] || copy_abs "$lib"
	done
}

for b in "${BINS[@]}"; do
	[ -x "$b" ] || { log "not an executable: $b"; exit 1; }
	copy_abs "$b" "/usr/bin/$(basename "$b")"
	copy_libs_of "$b"
done
for l in "${LIBS[@]}"; do
	if [ -d "$l" ]; then
		for f in "$l"/lib*.so*; do
			[ -e "$f" ] || continue
			copy_abs "$f" "/usr/lib/$(basename "$f")"
			copy_libs_of "$f"
		done
	else
		copy_abs "$l" "/usr/lib/$(basename "$l")"
		copy_libs_of "$l"
	fi
done
for spec in "${FILES[@]}"; do
	src=${spec%%:*}
	dst=${spec#*:}
	mkdir -p "$ex$(dirname "$dst")"
	cp -a -L "$src" "$ex$dst"
done

mkdir -p "$(dirname "$OUT")"
cp "$BASE" "$OUT.tmp"
if [ -n "$(ls -A "$ex")" ]; then
	(cd "$ex" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >> "$OUT.tmp"
fi
mv "$OUT.tmp" "$OUT"
log "wrote $OUT ($(du -h "$OUT" | cut -f1))"
