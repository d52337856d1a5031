#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the bench's kernel modules out of tree against the cached Debian headers:
#   dummy_hcd.ko                (patched: scatter-gather, IN FIFO race fix)
#   usb_f_fs.ko                 (patched: DMABUF ioctls refused while unbound)
#   industrialio-buffer-dma.ko  (Debian does not build it; patched: DMABUF blocks
#                                queued on a disabled buffer survive a later attach)
#   iio_sim_dma.ko              (simulated AD9361-like ADC/DAC, from kernel-patches/)
#
# The needed source files are copied from the cached linux-source tree into a build
# directory keyed by a hash of the patches and build files, the patches in
# kernel-patches/ are applied with `patch -p1`, and `make M=` builds them.
# Prints the directory holding the .ko files on the last line of stdout.
#
#   IIO_VM_CACHE     cache root (default: $HOME/.cache/iio-vm)
#   IIO_VM_PATCHES   patch directory (default: <repo>/kernel-patches)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}
PATCHES=${IIO_VM_PATCHES:-$HERE/../../kernel-patches}

log() { echo "build-modules: $*" >&2; }

ROOT=$("$HERE/fetch-kernel.sh" | tail -n1)
KVER=$(basename "$ROOT")
HDR=$ROOT/usr/src/linux-headers-$KVER-amd64
SRC=$ROOT/src

# Files taken from the kernel source (paths relative to the tree root).
FILES=(
	drivers/usb/gadget/udc/dummy_hcd.c
	drivers/usb/gadget/function/f_fs.c
	drivers/usb/gadget/function/u_fs.h
	drivers/usb/gadget/u_os_desc.h
	drivers/usb/gadget/configfs.h
	drivers/iio/buffer/industrialio-buffer-dma.c
	drivers/iio/dummy/Kconfig
	drivers/iio/dummy/Makefile
)

shopt -s nullglob
PATCH_FILES=("$PATCHES"/*.patch)
shopt -u nullglob

hash=$( (cat "${PATCH_FILES[@]}" /dev/null; cat "$HERE"/kbuild/*; cat "$0"; echo "$KVER") \
	| sha256sum | cut -c1-16)
B=$CACHE/build/$KVER-$hash
OUT=$B/out

if [ -f "$B/.built" ]; then
	echo "$OUT"
	exit 0
fi

log "building in $B"
rm -rf "$B"
mkdir -p "$B/tree" "$OUT"
for f in "${FILES[@]}"; do
	mkdir -p "$B/tree/$(dirname "$f")"
	cp "$SRC/$f" "$B/tree/$f"
done
for p in "${PATCH_FILES[@]}"; do
	log "applying $(basename "$p")"
	patch -s -p1 -d "$B/tree" < "$p"
done

cp "$HERE/kbuild/Kbuild" "$B/tree/Kbuild"
cp "$HERE/kbuild/udc.Kbuild" "$B/tree/drivers/usb/gadget/udc/Kbuild"
cp "$HERE/kbuild/function.Kbuild" "$B/tree/drivers/usb/gadget/function/Kbuild"
cp "$HERE/kbuild/iio-buffer.Kbuild" "$B/tree/drivers/iio/buffer/Kbuild"
cp "$HERE/kbuild/iio-dummy.Kbuild" "$B/tree/drivers/iio/dummy/Kbuild"

jobs=$(nproc)
if ! nice make -s -C "$HDR" M="$B/tree" -j"$jobs" modules > "$B/build.log" 2>&1; then
	cat "$B/build.log" >&2
	log "FAILED (log: $B/build.log)"
	exit 1
fi
grep -i "warning:" "$B/build.log" >&2 || true
find "$B/tree" -name '*.ko' -exec cp {} "$OUT/" \;
touch "$B/.built"
log "built: $(cd "$OUT" && echo *.ko)"
# keep the three most recent builds
ls -dt "$CACHE"/build/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
echo "$OUT"
