# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: TX over usb:. `pattern gen | iio_writedev -u usb:` on the host side
# of the guest, our iiod on FunctionFS writing into the simulated DAC, which checks
# every 16-bit word against the counter (sim_words, sim_pattern_errors). Zero-copy iiod
# and `iiod --no-dmabuf` alternate; iiod's stats file must show the TX blocks on the
# expected path. Exit non-zero on any DAC error, a short count, a tool or iiod error.
#
# Needs: iiod, iio_writedev, pattern. Environment: TX_PAIRS (default 1), TX_MIB
# (default 64), TX_SAMPLES (iio_writedev -b, default 131072: 1 MiB blocks), TX_PROFILE=1
# (a "PROF" line per case: iio_writedev's CPU seconds, iiod's per-thread CPU seconds and
# times scheduled in during the stream, from /proc/PID/task/*/schedstat every 0.5 s),
# TX_PERF=N (perf record of the whole guest during case N, top symbols printed; needs
# -b /usr/bin/perf), TX_STRACE=N (strace -f -tt -T of iiod during case N, the syscalls of
# the middle of the stream printed; needs -b /usr/bin/strace).

pairs=${TX_PAIRS:-1}
mib=${TX_MIB:-64}
bsamples=${TX_SAMPLES:-131072}
profile=${TX_PROFILE:-0}
bytes=$((mib * 1048576))
dac=cf-ad9361-dds-core-lpc

# TX_MODES: the cases of one round, comma-separated (default "zerocopy,copy"), repeated
# TX_PAIRS times.
# A mode is zerocopy or copy, optionally prefixed to take binaries from another build
# copied in with run-vm.sh -f DIR:/opt/base (DIR/bin: iiod and the tools, DIR/lib:
# libiio.so.1), for before/after pairs in one boot: base-MODE (iiod and client from it),
# biiod-MODE (its iiod, this client), bclient-MODE (this iiod, its client); and optionally
# suffixed @SAMPLES: this case's iio_writedev -b (e.g. zerocopy@1048576: 8 MiB blocks).
modes=""
i=0
while [ $i -lt "$pairs" ]; do
	modes="$modes $(echo "${TX_MODES:-zerocopy,copy}" | tr , ' ')"
	i=$((i + 1))
done

vm_gadget_create || exit 1
fail=0
n=0
for mode in $modes; do
	n=$((n + 1))
	vm_case_start "$mode" "tx$n" || exit 1
	kind=$VM_CASE_KIND
	case_samples=${VM_CASE_SAMPLES:-$bsamples}
	cpu0=$VM_CASE_CPU0
	[ "$profile" = 1 ] && vm_profile_start
	[ "${TX_PERF:-0}" = "$n" ] && vm_perf_start
	if [ "${TX_STRACE:-0}" = "$n" ]; then
		strace -f -tt -T -p "$VM_SERVER_PID" -o /tmp/strace.txt 2> /dev/null &
		strace_pid=$!
		sleep 1
	fi
	mark=$(vm_cpu_mark)
	t0=$(cut -d' ' -f1 /proc/uptime)
	pattern gen -n "$bytes" | {
		timeout -s KILL 120 iio_writedev -u usb: -b "$case_samples" -s $((bytes / 8)) "$dac" \
			2> /tmp/wr.err
		echo $? > /tmp/wr.rc
		times > /tmp/wr.times
	}
	wrc=$(cat /tmp/wr.rc)
	t1=$(cut -d' ' -f1 /proc/uptime)
	cpu1=$(vm_cpu_seconds "$VM_SERVER_PID")
	[ "${TX_PERF:-0}" = "$n" ] && vm_perf_stop "$n"
	if [ "${TX_STRACE:-0}" = "$n" ]; then
		kill -INT "$strace_pid"
		wait "$strace_pid"
		lines=$(wc -l < /tmp/strace.txt)
		echo "--- strace of iiod, case $n: lines $((lines / 2)) to $((lines / 2 + 150)) of $lines"
		sed -n "$((lines / 2)),$((lines / 2 + 150))p" /tmp/strace.txt
	fi
	busy=$(vm_cpu_busy "$mark")
	if [ "$profile" = 1 ]; then
		threads=$(vm_profile_stop)
		prof="PROF n=$n mode=$mode writedev_cpu_s=$(vm_children_cpu /tmp/wr.times)"
		prof="$prof guest_busy_s=$busy"
		prof="$prof iiod_threads(cpu_s/scheduled): $threads"
		echo "$prof"
		vm_result "$prof"
		# the client's own counters, with LIBIIO_USB_STATS=1
		grep "^usb-stats:" /tmp/wr.err | sort | uniq -c
	fi
	vm_iiod_stop
	src=$?
	words=$(vm_iio_attr "$dac" sim_words)
	errs=$(vm_iio_attr "$dac" sim_pattern_errors)
	st=$(grep "device=$dac direction=tx" "/tmp/stats-tx$n")
	zcb=$(echo "$st" | vm_kv_sum zerocopy_blocks)
	cpb=$(echo "$st" | vm_kv_sum copy_blocks)
	reasons=$(echo "$st" | vm_kv reasons | paste -sd';')
	mibs=$(awk -v b="$bytes" -v a="$t0" -v c="$t1" 'BEGIN { printf "%.1f", b / 1048576 / (c - a) }')
	cpu_gib=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$bytes" \
		'BEGIN { printf "%.3f", (b - a) * 1073741824 / n }')
	line="TX n=$n mode=$mode bytes=$bytes mibs=$mibs iiod_cpu_s_per_gib=$cpu_gib"
	line="$line dac_words=$words dac_errors=$errs zc_blocks=$zcb copy_blocks=$cpb"
	line="$line reasons=${reasons:-none} writedev_rc=$wrc iiod_rc=$src"
	echo "$line"
	vm_result "$line"

	bad=""
	[ "$wrc" = 0 ] || bad="$bad iio_writedev-exit-$wrc"
	[ "$src" = 0 ] || bad="$bad iiod-exit-$src"
	[ "$errs" = 0 ] || bad="$bad dac-pattern-errors"
	[ "$words" = $((bytes / 2)) ] || bad="$bad dac-word-count"
	[ -n "$st" ] || bad="$bad no-stats-line"
	case $kind in
	zerocopy) [ "$cpb" = 0 ] && [ "$zcb" -gt 0 ] || bad="$bad not-all-zero-copy" ;;
	copy) [ "$zcb" = 0 ] && [ "$cpb" -gt 0 ] || bad="$bad copy-run-used-zero-copy" ;;
	esac
	if [ -n "$bad" ]; then
		echo "case $n ($mode) FAILED:$bad (first bad word: $(vm_iio_attr "$dac" sim_first_error))"
		echo "--- iio_writedev stderr"; cat /tmp/wr.err
		echo "--- iiod log"; cat "/tmp/iiod-tx$n.log"
		fail=1
	fi
done

grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ echo "leftover DMABUFs:"; cat /sys/kernel/debug/dma_buf/bufinfo; fail=1; }
vm_dmesg_check || fail=1
exit $fail
