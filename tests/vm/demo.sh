#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The main job (scripts/demo.sh runs it): from a fresh Debian 12 machine, install what is
# missing, build the project if needed, fetch and build the kernel bits (cached), boot ONE
# QEMU guest (Debian's 6.12 kernel, patched dummy_hcd, simulated AD9361-like ADC) and
# stream the ADC through our iiod on FunctionFS to our `iio_readdev -u usb:` on the host
# side of the same guest, zero-copy iiod and `iiod --no-dmabuf` alternated, every byte
# checked against the simulator's counter. One bare kernel-chain pair (no libiio) in the
# same boot gives the ceiling. Prints the cases, medians, iiod's CPU seconds per GiB, and
# last:
#   RESULT usb-rx zerocopy_mibs=X copy_mibs=Y ratio=X/Y zerocopy_blocks=a/b integrity=ok
# Exit status non-zero if a stream was not intact, a zero-copy block took the copy path,
# or anything else failed (kernel warning, client or iiod error).
#
# usage: demo.sh [-p PAIRS] [-s MIB] [-B] [-r DIR] [-P] [-e 'VAR=VALUE ...']
#   -p PAIRS  zero-copy/copy pairs (default 5)
#   -s MIB    MiB per case (default 256)
#   -B        leave out the bare kernel-chain baseline
#   -r DIR    where the guest's results go (default: $IIO_VM_CACHE/runs/demo)
#   -P        profile: per case, the client's CPU and iiod's per-thread CPU and context
#             switches (PROF lines; the sampling costs a little guest CPU)
#   -e VARS   more environment for the guest (e.g. 'LIBIIO_USB_INFLIGHT=8 RX_SAMPLES=131072')
# Environment: IIO_BUILD_DIR (default: <repo>/build), IIO_VM_CACHE (default ~/.cache/iio-vm),
# JOBS (default: nproc).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}
BUILD=${IIO_BUILD_DIR:-$SRC/build}
JOBS=${JOBS:-$(nproc)}
PAIRS=5
MIB=256
BARE=1
RUN=$CACHE/runs/demo
PROFILE=0
EXTRA=""
while getopts "p:s:Br:Pe:" opt; do
	case $opt in
	p) PAIRS=$OPTARG ;;
	s) MIB=$OPTARG ;;
	B) BARE=0 ;;
	r) RUN=$OPTARG ;;
	P) PROFILE=1 ;;
	e) EXTRA="$EXTRA $OPTARG" ;;
	*) sed -n '16,26p' "$0" >&2; exit 2 ;;
	esac
done

log() { echo "demo: $*" >&2; }
die() { log "$*"; exit 1; }
t_start=$(date +%s)

# ------------------------------------------------------------------ host, build
"$SRC/scripts/install-deps.sh" >&2
"$HERE/setup-host.sh" >&2

mkdir -p "$BUILD"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	log "configuring $BUILD"
	cmake -S "$SRC" -B "$BUILD" -DWERROR=ON > "$BUILD.configure.log" 2>&1 ||
		{ cat "$BUILD.configure.log" >&2; die "cmake failed (log: $BUILD.configure.log)"; }
fi
log "building $BUILD (incremental)"
cmake --build "$BUILD" -j"$JOBS" > "$BUILD.make.log" 2>&1 ||
	{ tail -n 40 "$BUILD.make.log" >&2; die "the build failed (log: $BUILD.make.log)"; }
for f in iiod/iiod tools/iio_readdev libiio.so.1; do
	[ -e "$BUILD/$f" ] || die "$BUILD/$f was not built (is the usb backend or iiod disabled?)"
done

BIN=$CACHE/bare-bin
mkdir -p "$BIN"
make -s -C "$HERE/bare" O="$BIN" >&2

# ------------------------------------------------------------------ the boot
log "one boot: $PAIRS zero-copy/--no-dmabuf pairs of $MIB MiB over usb:$([ $BARE = 1 ] &&
	echo ', then one bare kernel-chain pair')"
# The guest's host side is set up as an SDR host should be: usbcore.usbfs_memory_mb
# raised from 16 to 64, so that all four 8 MiB blocks of iio_readdev fit in usbfs device
# memory (usb/block-mem.c) and usbfs copies none of them (-e RX_USBFS_MB=16: the default).
vmrc=0
"$HERE/run-vm.sh" -s "$HERE/scenarios/iiod-usb-rx.sh" -r "$RUN" -t 1200 \
	-a "RX_PAIRS=$PAIRS RX_MIB=$MIB RX_BARE=$BARE RX_PROFILE=$PROFILE RX_USBFS_MB=64$EXTRA" \
	-b "$BUILD/iiod/iiod" -b "$BUILD/tools/iio_readdev" -l "$BUILD/libiio.so.1" \
	-b "$BIN/pattern" -b "$BIN/ffs-stream" -b "$BIN/usb-reader" || vmrc=$?

# ------------------------------------------------------------------ report
# From here on a missing line (a crashed guest) must not stop the report: it ends in a
# RESULT line that says what went wrong, and the exit status says it too.
set +e +o pipefail
R=$RUN/results.txt
if [ ! -f "$R" ]; then
	log "the guest produced no results (see $RUN/console.log)"
	: > "$RUN/results.txt" 2>/dev/null || R=/dev/null
fi
kv() { sed -n "s/^\(.* \)*$1=\([^ ]*\).*/\2/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "0"; exit }
	if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
	printf "%.*f\n", m < 10 ? 2 : 1, m }'; }

echo "our iiod on FunctionFS -> usb: -> our iio_readdev, ${MIB} MiB per case, 8 MiB blocks" \
	"(-b 1048576, 4 channels), every byte checked"
echo "case  path      host_MiB/s  iiod_CPU-s/GiB  guest_CPU-s/GiB  blocks(zc/copy)  integrity"
grep "^CASE" "$R" | while read -r line; do
	printf "%-5s %-9s %10s  %14s  %15s  %15s  %s\n" "$(echo "$line" | kv n)" \
		"$(echo "$line" | kv mode)" "$(echo "$line" | kv mibs)" \
		"$(echo "$line" | kv iiod_cpu_s_per_gib)" "$(echo "$line" | kv guest_cpu_s_per_gib)" \
		"$(echo "$line" | kv zc_blocks)/$(echo "$line" | kv copy_blocks)" \
		"$(echo "$line" | kv integrity)"
done

grep "^PROF" "$R" || true

zc=$(grep "^CASE.* mode=zerocopy " "$R" || true)
cp=$(grep "^CASE.* mode=copy " "$R" || true)
zc_mibs=$(echo "$zc" | kv mibs | median)
cp_mibs=$(echo "$cp" | kv mibs | median)
zc_cpu=$(echo "$zc" | kv iiod_cpu_s_per_gib | median)
cp_cpu=$(echo "$cp" | kv iiod_cpu_s_per_gib | median)
zc_gcpu=$(echo "$zc" | kv guest_cpu_s_per_gib | median)
cp_gcpu=$(echo "$cp" | kv guest_cpu_s_per_gib | median)
zc_a=$(echo "$zc" | kv zc_blocks | awk '{ s += $1 } END { print s + 0 }')
zc_b=$(echo "$zc" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(zc|copy)_blocks=/) {
	sub(/.*=/, "", $i); s += $i } } END { print s + 0 }')
cp_reasons=$(echo "$cp" | kv reasons | sort -u | paste -sd' ')
# paired ratios: case 2i-1 (zero-copy) against case 2i (copy), same machine state
pair_ratios=$(grep -E "^CASE.* mode=(zerocopy|copy) " "$R" | kv mibs | paste - - |
	awk '$2 > 0 { printf "%.2f ", $1 / $2 }')
pr_median=$(echo "$pair_ratios" | tr ' ' '\n' | grep . | median)

echo "zero-copy iiod:   median ${zc_mibs} MiB/s; board side (iiod) ${zc_cpu} CPU-s/GiB;" \
	"whole guest ${zc_gcpu} CPU-s/GiB; blocks zero-copy ${zc_a}/${zc_b}"
echo "iiod --no-dmabuf: median ${cp_mibs} MiB/s; board side (iiod) ${cp_cpu} CPU-s/GiB;" \
	"whole guest ${cp_gcpu} CPU-s/GiB; fallback reasons: ${cp_reasons:-none}"
echo "paired ratios (zero-copy/copy): ${pair_ratios}(median ${pr_median})"
echo "board CPU per GiB, copy/zero-copy: $(awk -v a="$cp_cpu" -v b="$zc_cpu" \
	'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }')"
if [ "$BARE" = 1 ]; then
	grep "^BARE" "$R" | while read -r line; do
		g=${line%% HOST*}
		h=${line#* HOST}
		echo "bare kernel chain (no libiio, 1 MiB blocks): $(echo "$g" | kv used):" \
			"$(echo " $h" | kv mibs) MiB/s, streamer $(echo "$g" | kv cpu_s_per_gib)" \
			"CPU-s/GiB, integrity=$(echo " $h" | kv integrity)"
	done
fi

# BAD: a byte was wrong; incomplete: cases missing (a crashed guest, a failed client)
integrity=ok
ncase=$(grep -c "^CASE" "$R")
[ "$ncase" = $((2 * PAIRS)) ] || { log "only $ncase of $((2 * PAIRS)) cases ran"; integrity=incomplete; }
[ "$(grep "^CASE" "$R" | grep -c "integrity=ok")" = "$ncase" ] || integrity=BAD
grep "^BARE" "$R" | grep -q "integrity=BAD" && integrity=BAD
if [ "$zc_a" != "$zc_b" ] || [ "$zc_b" = 0 ]; then
	log "not every block of the zero-copy runs went zero-copy: $zc_a/$zc_b"
	fail_zc=1
else
	fail_zc=0
fi
[ "$vmrc" = 0 ] || log "the guest run failed (rc $vmrc): $RUN/scenario.log, $RUN/dmesg.txt"
echo "results: $RUN (scenario.log, results.txt, dmesg.txt); total wall time $(($(date +%s) - t_start)) s"
ratio=$(awk -v x="$zc_mibs" -v y="$cp_mibs" 'BEGIN { if (y > 0) printf "%.2f", x / y; else print "0" }')
echo "RESULT usb-rx zerocopy_mibs=$zc_mibs copy_mibs=$cp_mibs ratio=$ratio zerocopy_blocks=$zc_a/$zc_b integrity=$integrity"
[ "$integrity" = ok ] && [ "$fail_zc" = 0 ] && [ "$vmrc" = 0 ]
