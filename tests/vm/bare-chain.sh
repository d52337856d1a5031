#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One command for the bare kernel-chain benchmark, from a fresh machine:
# install host tools, fetch and extract the Debian kernel, build the patched modules
# and the bare test programs, boot the QEMU guest and stream the simulated ADC over
# FunctionFS + dummy_hcd to a libusb reader, zero-copy and copy cases alternated.
# A second boot with Debian's unpatched dummy_hcd checks that zero-copy is refused
# (and why) while the copy path still delivers intact data.
#
# usage: bare-chain.sh [-p PAIRS] [-s MIB] [-k] [-x]
#   -p PAIRS  zero-copy/copy pairs (default 5)
#   -s MIB    MiB per case (default 256)
#   -k        skip the unpatched-UDC (revert) boot
#   -x        also boot with Debian's unpatched usb_f_fs and show that a DMABUF ioctl
#             before the bind oopses it (the guest is expected to die)
# Last line: RESULT bare-usb-rx zerocopy_mibs=X copy_mibs=Y ratio=X/Y integrity=ok
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}
PAIRS=5
MIB=256
REVERT=1
OOPS_DEMO=0
while getopts "p:s:kx" opt; do
	case $opt in
	p) PAIRS=$OPTARG ;;
	s) MIB=$OPTARG ;;
	k) REVERT=0 ;;
	x) OOPS_DEMO=1 ;;
	*) sed -n '3,17p' "$0" >&2; exit 2 ;;
	esac
done

log() { echo "bare-chain: $*" >&2; }
t_start=$(date +%s)

"$HERE/setup-host.sh" >&2
"$HERE/fetch-kernel.sh" > /dev/null
"$HERE/build-modules.sh" > /dev/null

BIN=$CACHE/bare-bin
mkdir -p "$BIN"
make -s -C "$HERE/bare" O="$BIN" >&2

RUNS=$CACHE/runs
bins=(-b "$BIN/ffs-stream" -b "$BIN/usb-reader" -b "$BIN/iio-local")

log "boot 1: patched modules, $PAIRS zero-copy/copy pairs of $MIB MiB"
"$HERE/run-vm.sh" -s "$HERE/scenarios/bare-chain.sh" -r "$RUNS/bare-chain" -t 900 \
	-a "BARE_PAIRS=$PAIRS BARE_MIB=$MIB" "${bins[@]}"

if [ "$REVERT" = 1 ]; then
	log "boot 2: Debian's unpatched dummy_hcd (zero-copy must fall back to copy)"
	"$HERE/run-vm.sh" -s "$HERE/scenarios/bare-chain.sh" -r "$RUNS/bare-chain-stock" -t 300 \
		-a "IIO_VM_STOCK_DUMMY_HCD=1 BARE_EXPECT_FALLBACK=1 BARE_MODES=zerocopy BARE_MIB=64 BARE_TX_MIB=0 BARE_EARLY=0 BARE_ODD=0" \
		"${bins[@]}"
fi

oops_demo=skipped
if [ "$OOPS_DEMO" = 1 ]; then
	log "boot 3: Debian's unpatched usb_f_fs, DMABUF ioctls before the bind (expect an oops)"
	demo=$(mktemp)
	printf 'vm_gadget_create || exit 1\nffs-stream -m early\n' > "$demo"
	if "$HERE/run-vm.sh" -s "$demo" -r "$RUNS/bare-chain-stock-ffs" -t 120 \
		-a "IIO_VM_STOCK_F_FS=1" "${bins[@]}" > /dev/null 2>&1; then
		oops_demo="no-oops(unexpected)"
	elif grep -q "BUG: kernel NULL pointer dereference" "$RUNS/bare-chain-stock-ffs/console.log"; then
		oops_demo="oops(as-expected)"
	else
		oops_demo="failed-otherwise"
	fi
	rm -f "$demo"
fi

# ------------------------------------------------------------------ report
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2];
	else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.*f\n", m < 10 ? 2 : 1, m }'; }

R=$RUNS/bare-chain/results.txt
grep -E "^(EARLY-IOCTLS|ODD-SIZE|LOCAL)" "$R" || true
echo "case  mode         host_MiB/s  gadget_CPU-s/GiB  host_CPU-s/GiB  guest_CPU-s/GiB  integrity"
grep "^CASE" "$R" | while read -r line; do
	hcpu=$(echo " ${line#*HOST}" | kv cpu_s)
	hbytes=$(echo " ${line#*HOST}" | kv bytes)
	integ=$(echo "$line" | kv integrity)
	case $line in
	*dac_errors=*) integ="$integ dac_errors=$(echo "$line" | kv dac_errors)" ;;
	esac
	printf "%-5s %-12s %10s  %16s  %14.3f  %15s  %s\n" \
		"$(echo "$line" | kv n)" "$(echo "$line" | kv used)" "$(echo "$line" | kv mibs)" \
		"$(echo "$line" | sed -n 's/.* cpu_s_per_gib=\([^ ]*\) .*HOST.*/\1/p')" \
		"$(echo "$hcpu * 1073741824 / $hbytes" | bc -l)" \
		"$(echo "$line" | kv guest_cpu_s_per_gib)" "$integ"
done

zc_mibs=$(grep "used=zerocopy " "$R" | kv mibs | median)
cp_mibs=$(grep " mode=copy " "$R" | kv mibs | median)
gcpu() { sed -n 's/.* cpu_s_per_gib=\([^ ]*\) .*HOST.*/\1/p'; }
zc_cpu=$(grep "used=zerocopy " "$R" | gcpu | median)
cp_cpu=$(grep " mode=copy " "$R" | gcpu | median)
zc_gcpu=$(grep "used=zerocopy " "$R" | kv guest_cpu_s_per_gib | median)
cp_gcpu=$(grep " mode=copy " "$R" | kv guest_cpu_s_per_gib | median)
# paired ratios: case 2i-1 (zero-copy) against case 2i (copy)
pair_ratios=$(grep -E " mode=(zerocopy|copy) " "$R" | kv mibs | paste - - |
	awk '{ printf "%.2f ", $1 / $2 }')
integrity=ok
grep -q "integrity=BAD" "$R" && integrity=BAD
ncase=$(grep -E " mode=(zerocopy|copy) " "$R" | grep -c "integrity=ok")
[ "$ncase" = $((2 * PAIRS)) ] || integrity=BAD
grep "^CASE" "$R" | grep -E "dac_errors=[1-9]" && integrity=BAD
grep -q "^EARLY-IOCTLS.*| ok" "$R" || integrity=BAD
[ "$(grep -c "^ODD-SIZE.*used=zerocopy integrity=ok" "$R")" = 2 ] || integrity=BAD
grep -q "^LOCAL mode=cyclic-tx.* ok$" "$R" || integrity=BAD
zc_total=$(grep " mode=zerocopy " "$R" | kv blocks | paste -sd+ | bc)
zc_zc=$(grep " mode=zerocopy " "$R" | kv zc_blocks | paste -sd+ | bc)
[ "$zc_zc" = "$zc_total" ] || integrity=BAD

echo "zero-copy: median ${zc_mibs} MiB/s, gadget ${zc_cpu} CPU-s/GiB, whole guest ${zc_gcpu} CPU-s/GiB, blocks zero-copy ${zc_zc}/${zc_total}"
echo "copy:      median ${cp_mibs} MiB/s, gadget ${cp_cpu} CPU-s/GiB, whole guest ${cp_gcpu} CPU-s/GiB"
pr_median=$(echo "$pair_ratios" | tr ' ' '\n' | grep . | median)
echo "paired ratios (zero-copy/copy): ${pair_ratios}(median ${pr_median})"
if [ "$REVERT" = 1 ]; then
	S=$RUNS/bare-chain-stock/results.txt
	echo "unpatched dummy_hcd: $(kv used < "$S" | sed 's/^/used=/') reason=$(kv reason < "$S")" \
		"integrity=$(kv integrity < "$S")"
	grep -q "used=copy.*reason=FUNCTIONFS_DMABUF_ATTACH" "$S" || integrity=BAD
	grep -q "integrity=ok" "$S" || integrity=BAD
fi
[ "$OOPS_DEMO" = 1 ] && echo "unpatched usb_f_fs, DMABUF ioctls before bind: $oops_demo" \
	"(console: $RUNS/bare-chain-stock-ffs/console.log)"
echo "total wall time: $(($(date +%s) - t_start)) s"
ratio=$(awk -v x="$zc_mibs" -v y="$cp_mibs" 'BEGIN { printf "%.2f", x / y }')
echo "RESULT bare-usb-rx zerocopy_mibs=$zc_mibs copy_mibs=$cp_mibs ratio=$ratio integrity=$integrity"
[ "$integrity" = ok ]
