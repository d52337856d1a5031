#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run one guest scenario with the project's binaries installed: iiod, iio_info,
# iio_attr, iio_readdev, iio_writedev and libiio.so.1 from a build directory, plus the
# bare programs (pattern, ffs-stream, usb-reader). Used by the vm tier (CMakeLists.txt).
#
# usage: run-iio-scenario.sh [-B BUILD] [-S] [-P] [-x FILE]... SCENARIO [run-vm.sh options...]
#   -B BUILD  build directory (default: $IIO_BUILD_DIR, else <repo>/build); must be built
#   -S        also install Debian's libiio 0.24 tools (iio_info, iio_readdev,
#             iio_writedev, iio_attr from libiio-utils, with libiio.so.0) under
#             /opt/stock/bin, for the legacy-protocol scenarios
#   -P        also install Debian's python3 (/usr/bin/python3.11 and the part of its
#             standard library that `import iio` and the bench's scripts use: the top-level
#             modules, the packages and C modules they import, ~15 MB), the binding
#             (bindings/python/iio) and tests/vm/python/*.py under /opt/py
#   -x FILE   an extra executable from the build directory (path relative to it)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}
BUILD=${IIO_BUILD_DIR:-$SRC/build}
STOCK=0
PYTHON=0
EXTRA=()
while getopts "B:SPx:" opt; do
	case $opt in
	B) BUILD=$OPTARG ;;
	S) STOCK=1 ;;
	P) PYTHON=1 ;;
	x) EXTRA+=("$OPTARG") ;;
	*) sed -n '8,18p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '8,18p' "$0" >&2; exit 2; }
scenario=$1
shift

die() { echo "run-iio-scenario: $*" >&2; exit 1; }

"$HERE/setup-host.sh" >&2
args=()
for f in iiod/iiod tools/iio_info tools/iio_attr tools/iio_readdev tools/iio_writedev \
	 ${EXTRA[@]+"${EXTRA[@]}"}; do
	[ -x "$BUILD/$f" ] || die "$BUILD/$f is missing: build the project first" \
		"(cmake -S $SRC -B $BUILD && make -C $BUILD)"
	args+=(-b "$BUILD/$f")
done
[ -e "$BUILD/libiio.so.1" ] || die "$BUILD/libiio.so.1 is missing"
# in /usr/lib too: the binaries' rpath may point into /tmp, which the guest mounts over
args+=(-l "$BUILD/libiio.so.1")

BIN=$CACHE/bare-bin
mkdir -p "$BIN"
make -s -C "$HERE/bare" O="$BIN" >&2
args+=(-b "$BIN/pattern" -b "$BIN/ffs-stream" -b "$BIN/usb-reader")

if [ "$STOCK" = 1 ]; then
	# Debian's libiio-utils 0.24 (scripts/install-deps.sh installs it)
	for t in iio_info iio_readdev iio_writedev iio_attr; do
		[ -x "/usr/bin/$t" ] && [[ "$(ldd "/usr/bin/$t")" == *"libiio.so.0 =>"* ]] ||
			die "/usr/bin/$t from Debian's libiio-utils (libiio.so.0) is missing:" \
				"apt-get install libiio-utils"
		args+=(-f "/usr/bin/$t:/opt/stock/bin/$t")
	done
	lib0=$(ldd /usr/bin/iio_info | awk '/libiio.so.0 =>/ { print $3 }')
	# its dependencies (libxml2, libusb, avahi, ...) come along with -l
	args+=(-l "$lib0")
fi

if [ "$PYTHON" = 1 ]; then
	PY=/usr/bin/python3.11
	[ -x "$PY" ] || die "$PY (Debian's python3) is missing: apt-get install python3"
	pyver=$("$PY" -c 'import sys; print(sys.version.split()[0])')
	stage=$CACHE/python-stage/$pyver
	if [ ! -d "$stage" ]; then
		# the stdlib packages `import iio` pulls in, computed by doing it here
		pkgs=$(PYTHONPATH=$SRC/bindings/python LIBIIO_LIBRARY=$BUILD/libiio.so.1 "$PY" -S -c '
import sys, struct, time, argparse, iio
pre = "/usr/lib/python3.11/"
seen = set()
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None) or ""
    if f.startswith(pre) and "/" in f[len(pre):]:
        seen.add(f[len(pre):].split("/")[0])
print(" ".join(sorted(seen)))') || die "python3 cannot import the binding (bindings/python)"
		tmp=$(mktemp -d "$CACHE/python-stage.XXXXXX")
		mkdir -p "$tmp/lib"
		cp -a /usr/lib/python3.11/*.py "$tmp/lib/"
		for p in $pkgs encodings json; do
			case $p in
			lib-dynload) ;;
			*) [ -e "$tmp/lib/$p" ] || cp -a "/usr/lib/python3.11/$p" "$tmp/lib/" ;;
			esac
		done
		# of the C extension modules, only those it loaded (their libraries come with -l)
		mkdir -p "$tmp/lib/lib-dynload"
		for so in $(PYTHONPATH=$SRC/bindings/python LIBIIO_LIBRARY=$BUILD/libiio.so.1 \
			"$PY" -S -c '
import sys, struct, time, argparse, iio
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None) or ""
    if "/lib-dynload/" in f:
        print(f)'); do
			cp -a "$so" "$tmp/lib/lib-dynload/"
		done
		find "$tmp/lib" -name __pycache__ -prune -exec rm -rf {} +
		rm -rf "$tmp/lib/ctypes/test"
		mkdir -p "$(dirname "$stage")"
		mv "$tmp" "$stage"
	fi
	args+=(-b "$PY" -f "$stage/lib:/usr/lib/python3.11" -f "$SRC/bindings/python/iio:/opt/py/iio")
	for so in "$stage"/lib/lib-dynload/*.so; do
		[ -e "$so" ] || continue
		for dep in $(ldd "$so" | awk '/=> \// { print $3 }'); do
			args+=(-l "$dep")
		done
	done
	for f in "$HERE"/python/*.py; do
		args+=(-f "$f:/opt/py/$(basename "$f")")
	done
fi

exec "$HERE/run-vm.sh" -s "$scenario" "${args[@]}" "$@"
