#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the bare test programs (tests/vm/bare) and run one guest scenario with them
# installed (ffs-stream, usb-reader, iio-local).
#
# usage: run-bare-scenario.sh SCENARIO [run-vm.sh options...]
#   e.g. run-bare-scenario.sh scenarios/iio-local.sh -a "LOCAL_PAIRS=1"
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}
[ $# -ge 1 ] || { sed -n '3,8p' "$0" >&2; exit 2; }
scenario=$1
shift

"$HERE/setup-host.sh" >&2
BIN=$CACHE/bare-bin
mkdir -p "$BIN"
make -s -C "$HERE/bare" O="$BIN" >&2
exec "$HERE/run-vm.sh" -s "$scenario" \
	-b "$BIN/ffs-stream" -b "$BIN/usb-reader" -b "$BIN/iio-local" "$@"
