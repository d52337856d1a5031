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
# (default 64), TX_SAMPLES (iio_writedev -b, default 131072: 1 MiB blocks).

pairs=${TX_PAIRS:-1}
mib=${TX_MIB:-64}
bsamples=${TX_SAMPLES:-131072}
bytes=$((mib * 1048576))
dac=cf-ad9361-dds-core-lpc

modes=""
i=0
while [ $i -lt "$pairs" ]; do
	modes="$modes zerocopy copy"
	i=$((i + 1))
done

vm_gadget_create || exit 1
fail=0
n=0
for mode in $modes; do
	n=$((n + 1))
	extra=""
	[ "$mode" = copy ] && extra=--no-dmabuf
	vm_iiod_start "tx$n" $extra || exit 1
	cpu0=$(vm_cpu_seconds "$VM_SERVER_PID")
	t0=$(cut -d' ' -f1 /proc/uptime)
	pattern gen -n "$bytes" |
		timeout -s KILL 120 iio_writedev -u usb: -b "$bsamples" -s $((bytes / 8)) "$dac" \
			2> /tmp/wr.err
	wrc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	cpu1=$(vm_cpu_seconds "$VM_SERVER_PID")
	vm_iiod_stop
	src=$?
	words=$(vm_iio_attr "$dac" sim_words)
	errs=$(vm_iio_attr "$dac" sim_pattern_errors)
	st=$(grep "device=$dac direction=tx" "/tmp/stats-tx$n")
	zcb=$(echo "$st" | vm_kv zerocopy_blocks | awk '{ s += $1 } END { print s + 0 }')
	cpb=$(echo "$st" | vm_kv copy_blocks | awk '{ s += $1 } END { print s + 0 }')
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
	case $mode in
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
