#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot the bench's QEMU guest (Debian 6.12 kernel, busybox initramfs, TCG) and run one
# scenario script inside it.
#
# usage: run-vm.sh -s SCENARIO [-r RESULTS] [-t SECONDS] [-a "VAR=value ..."]
#                  [-b BIN]... [-l LIB]... [-f SRC:DST]... [-m MEM]
#   -s SCENARIO  shell script run in the guest (busybox sh) as /share/scenario.sh;
#                it may source /usr/lib/iio-vm/guest-lib.sh (already sourced by /init)
#   -r RESULTS   host directory receiving everything the guest wrote to /share
#                (default: $IIO_VM_CACHE/runs/last); emptied first
#   -t SECONDS   wall-clock limit for the whole boot (default 600)
#   -a WORDS     extra kernel command-line words; VAR=value words become environment
#                variables of /init and the scenario (e.g. IIO_VM_STOCK_DUMMY_HCD=1)
#   -b/-l/-f     extra binaries, libraries, files: see build-initramfs.sh
#   -m MEM       guest memory (default 1G)
#
# Exit status: 0 only if the guest ran the scenario, the scenario exited 0 and the guest
# kernel log has no "WARNING:", "BUG:", "Oops" or "Call Trace".
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IIO_VM_CACHE:-$HOME/.cache/iio-vm}

SCENARIO=""
RESULTS=$CACHE/runs/last
TIMEOUT=600
APPEND=""
MEM=1G
IARGS=()
while getopts "s:r:t:a:b:l:f:m:" opt; do
	case $opt in
	s) SCENARIO=$OPTARG ;;
	r) RESULTS=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	a) APPEND="$APPEND $OPTARG" ;;
	b|l|f) IARGS+=("-$opt" "$OPTARG") ;;
	m) MEM=$OPTARG ;;
	*) sed -n '4,21p' "$0" >&2; exit 2 ;;
	esac
done
[ -f "$SCENARIO" ] || { echo "run-vm: -s SCENARIO (a file) is required" >&2; exit 2; }

log() { echo "run-vm: $*" >&2; }

ROOT=$("$HERE/fetch-kernel.sh" | tail -n1)
KVER=$(basename "$ROOT")
KERNEL=$ROOT/boot/vmlinuz-$KVER-amd64
MODDIR=$("$HERE/build-modules.sh" | tail -n1)

work=$(mktemp -d "${TMPDIR:-/tmp}/iio-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$HERE/build-initramfs.sh" -o "$work/initramfs.cpio" -m "$MODDIR" ${IARGS[@]+"${IARGS[@]}"}

share=$work/share

# the guest kills a hung scenario a little earlier, so that its kernel log still comes out
if [ "$TIMEOUT" -gt 60 ]; then
	guest_timeout=$((TIMEOUT - 30))
else
	guest_timeout=$((TIMEOUT / 2))
fi
APPEND="IIO_VM_SCENARIO_TIMEOUT=$guest_timeout $APPEND"

# An oops before any module is loaded cannot come from the bench's code: multi-threaded
# TCG now and then trips over the kernel's live code patching at boot (seen: "Oops: int3"
# in sched_clock_cpu with an empty module list). Such a boot is retried once, and said.
early_tcg_oops() {
	grep -q "IIOVM: init started" "$1" && return 1
	grep -q -E "^\[ *[0-9.]+\] Oops: " "$1" || return 1
	grep -m1 -E "Modules linked in:" "$1" | tr -d '\r' | grep -q -E "Modules linked in: *$"
}

for attempt in 1 2; do
	rm -rf "$share"
	mkdir -p "$share"
	cp "$SCENARIO" "$share/scenario.sh"
	log "booting (timeout ${TIMEOUT}s)"
	t0=$(date +%s.%N)
	set +e
	timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 \
		-accel tcg -m "$MEM" -smp 2 -nographic -no-reboot -net none \
		-kernel "$KERNEL" -initrd "$work/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 oops=panic quiet loglevel=5 $APPEND" \
		-virtfs "local,path=$share,mount_tag=share,security_model=none,id=share" \
		< /dev/null > "$work/console.log" 2>&1
	qrc=$?
	set -e
	t1=$(date +%s.%N)
	if [ "$attempt" = 1 ] && early_tcg_oops "$work/console.log"; then
		log "the guest oopsed during early boot, before init and any module (a TCG" \
			"flake, not the code under test); console kept as console-early-oops.log;" \
			"booting again"
		cp "$work/console.log" "$work/console-early-oops.log"
		continue
	fi
	break
done

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
cp -a "$share/." "$RESULTS/"
cp "$work/console.log" "$RESULTS/console.log"
[ -f "$work/console-early-oops.log" ] && cp "$work/console-early-oops.log" "$RESULTS/"
wall=$(echo "$t1 - $t0" | bc)
log "guest finished in ${wall}s (qemu rc=$qrc), results in $RESULTS"

fail=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	log "FAIL: timeout after ${TIMEOUT}s"
	fail=1
fi
if [ ! -f "$RESULTS/scenario.rc" ]; then
	log "FAIL: the guest wrote no scenario.rc; console tail:"
	tail -n 40 "$RESULTS/console.log" >&2
	fail=1
elif [ "$(cat "$RESULTS/scenario.rc")" != 0 ]; then
	log "FAIL: scenario exited $(cat "$RESULTS/scenario.rc"); log tail:"
	tail -n 30 "$RESULTS/scenario.log" >&2 || true
	fail=1
fi
dmesg_file=$RESULTS/dmesg.txt
[ -f "$dmesg_file" ] || dmesg_file=$RESULTS/console.log
if grep -E 'WARNING:|BUG:|Oops|Call Trace' "$dmesg_file" > "$work/bad" 2>/dev/null; then
	log "FAIL: guest kernel log has warnings/oopses:"
	cat "$work/bad" >&2
	grep -E -A 30 'WARNING:|BUG:|Oops' "$dmesg_file" | head -n 80 >&2
	fail=1
fi
exit $fail
