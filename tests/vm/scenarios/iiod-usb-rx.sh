# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: our iiod on FunctionFS serving local: (the simulated ADC), our
# `iio_readdev -u usb:` on the host side of the same guest, every byte checked against
# the counter. Zero-copy iiod and `iiod --no-dmabuf` alternate, one fresh iiod per case,
# so that both paths see the same machine load. Used by tests/vm/demo.sh and the vm tier.
#
# Needs in the initramfs: iiod, iio_readdev, pattern (tests/vm/bare), and for RX_BARE
# ffs-stream and usb-reader.
#
# Environment (kernel command line):
#   RX_PAIRS=N          zero-copy/copy pairs (default 5); RX_MODES: see below
#   RX_MIB=N            MiB per case (default 256)
#   RX_SAMPLES=N        iio_readdev -b: samples per block (default 1048576; 4 channels
#                       of 16 bits: 8 MiB blocks)
#   RX_BARE=1           then one pair of the bare kernel chain (ffs-stream/usb-reader, no
#                       libiio, 1 MiB blocks): the baseline of this boot
#   RX_EXPECT_FALLBACK=1  zero-copy must be refused (Debian's unpatched dummy_hcd): the
#                       zero-copy iiod must copy every block, say why, and deliver intact data
#   RX_PROFILE=1        also print, per case, a "PROF" line: the client's CPU seconds
#                       (iio_readdev, and pattern), and iiod's per-thread CPU seconds and
#                       times scheduled in during the stream, per thread name (from
#                       /proc/PID/task/*/schedstat every 0.5 s)
#   RX_PERF=N           record the whole guest with perf (if the initramfs has it: pass
#                       -b /usr/bin/perf to run-vm.sh) during case N and print the top symbols
#   RX_USBFS_MB=N       set usbcore's usbfs_memory_mb (default: the kernel's, 16) first
# Output: one "CASE ..." line per case (scenario.log and results.txt). Exit non-zero if
# a stream is not the counter, a client or iiod failed, or a block took the wrong path.

pairs=${RX_PAIRS:-5}
mib=${RX_MIB:-256}
bsamples=${RX_SAMPLES:-1048576}
expect_fallback=${RX_EXPECT_FALLBACK:-0}
profile=${RX_PROFILE:-0}
bytes=$((mib * 1048576))
samples=$((bytes / 8))
dev=cf-ad9361-lpc

# RX_MODES: the cases of one round, comma-separated (default "zerocopy,copy"), repeated
# RX_PAIRS times.
# A mode is zerocopy or copy, optionally prefixed to take binaries from another build
# copied in with run-vm.sh -f DIR:/opt/base (DIR/bin: iiod and the tools, DIR/lib:
# libiio.so.1), for before/after pairs in one boot: base-MODE (iiod and client from it),
# biiod-MODE (its iiod, this client), bclient-MODE (this iiod, its client); and optionally
# suffixed @SAMPLES: this case's iio_readdev -b (e.g. zerocopy@131072: 1 MiB blocks).
modes=""
i=0
while [ $i -lt "$pairs" ]; do
	modes="$modes $(echo "${RX_MODES:-zerocopy,copy}" | tr , ' ')"
	i=$((i + 1))
done

if [ -n "${RX_USBFS_MB:-}" ]; then
	echo "$RX_USBFS_MB" > /sys/module/usbcore/parameters/usbfs_memory_mb || exit 1
fi
vm_gadget_create || exit 1
fail=0
n=0
for mode in $modes; do
	n=$((n + 1))
	vm_case_start "$mode" "$n" || exit 1
	kind=$VM_CASE_KIND
	case_samples=${VM_CASE_SAMPLES:-$bsamples}
	cpu0=$VM_CASE_CPU0
	[ "$profile" = 1 ] && vm_profile_start
	[ "${RX_PERF:-0}" = "$n" ] && vm_perf_start
	mark=$(vm_cpu_mark)
	# a hung client must not take the whole boot: 120 s is >10x a normal case
	{
		timeout -s KILL 120 iio_readdev -u usb: -b "$case_samples" -s "$samples" "$dev" \
			2> /tmp/rd.err
		echo $? > /tmp/rd.rc
		# children's user and system time: iio_readdev's CPU
		times > /tmp/rd.times
	} | { pattern check -n "$bytes" > /tmp/chk.out; echo $? > /tmp/chk.rc
		times > /tmp/chk.times; }
	crc=$(cat /tmp/chk.rc)
	cpu1=$(vm_cpu_seconds "$VM_SERVER_PID")
	[ "${RX_PERF:-0}" = "$n" ] && vm_perf_stop "$n"
	if [ "$profile" = 1 ]; then
		threads=$(vm_profile_stop)
		prof="PROF n=$n mode=$mode readdev_cpu_s=$(vm_children_cpu /tmp/rd.times)"
		prof="$prof pattern_cpu_s=$(vm_children_cpu /tmp/chk.times)"
		prof="$prof iiod_threads(cpu_s/scheduled): $threads"
		echo "$prof"
		vm_result "$prof"
		# the client's own counters, with LIBIIO_USB_STATS=1
		grep "^usb-stats:" /tmp/rd.err | sort | uniq -c
	fi
	busy=$(vm_cpu_busy "$mark")
	vm_iiod_stop
	src=$?
	rrc=$(cat /tmp/rd.rc)
	st=$(grep "device=$dev direction=rx" "/tmp/stats-$n")
	zcb=$(echo "$st" | vm_kv_sum zerocopy_blocks)
	cpb=$(echo "$st" | vm_kv_sum copy_blocks)
	sent=$(echo "$st" | awk '{ for (i = 1; i <= NF; i++)
		if ($i ~ /^(zerocopy|copy)_bytes=/) { sub(/.*=/, "", $i); s += $i } }
		END { printf "%.0f", s }')
	reasons=$(echo "$st" | vm_kv reasons | paste -sd';')
	cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')
	cpu_gib=$(awk -v c="$cpu_s" -v n="$sent" \
		'BEGIN { printf "%.3f", (n > 0 ? c * 1073741824 / n : -1) }')
	guest_gib=$(awk -v b="$busy" -v n="$bytes" 'BEGIN { printf "%.3f", b * 1073741824 / n }')
	line="CASE n=$n mode=$mode $(cat /tmp/chk.out) iiod_cpu_s=$cpu_s"
	line="$line iiod_bytes=$sent iiod_cpu_s_per_gib=$cpu_gib guest_cpu_s_per_gib=$guest_gib"
	line="$line zc_blocks=$zcb copy_blocks=$cpb reasons=${reasons:-none} readdev_rc=$rrc"
	line="$line iiod_rc=$src"
	echo "$line"
	vm_result "$line"

	bad=""
	[ "$rrc" = 0 ] || bad="$bad iio_readdev-exit-$rrc"
	[ "$crc" = 0 ] || bad="$bad pattern-check"
	[ "$src" = 0 ] || bad="$bad iiod-exit-$src"
	[ -n "$st" ] || bad="$bad no-stats-line"
	case $kind.$expect_fallback in
	zerocopy.0) [ "$cpb" = 0 ] && [ "$zcb" -gt 0 ] || bad="$bad not-all-zero-copy" ;;
	zerocopy.1) [ "$zcb" = 0 ] && [ "$cpb" -gt 0 ] && echo "$reasons" | grep -q attach ||
		bad="$bad zero-copy-not-refused-by-attach" ;;
	copy.*) [ "$zcb" = 0 ] && [ "$cpb" -gt 0 ] || bad="$bad copy-run-used-zero-copy" ;;
	esac
	if [ -n "$bad" ]; then
		echo "case $n ($mode) FAILED:$bad"
		echo "--- iio_readdev stderr"; cat /tmp/rd.err
		echo "--- iiod log"; cat "/tmp/iiod-$n.log"
		fail=1
	fi
done

# The bare kernel chain (no libiio) in the same boot: the ceiling. Its 1 MiB blocks:
# its copy mode reads the IIO buffer with fileio, whose kernel blocks are physically
# contiguous (8 MiB ones fail with a page-allocator warning).
if [ "${RX_BARE:-0}" = 1 ]; then
	for mode in zerocopy copy; do
		n=$((n + 1))
		vm_ffs_start_server sh -c "exec ffs-stream -m $mode -b $bytes \
			> /tmp/g.out 2> /tmp/g.err" || { cat /tmp/g.err; exit 1; }
		usb-reader -b "$bytes" > /tmp/h.out 2> /tmp/h.err
		hrc=$?
		wait "$VM_SERVER_PID"
		grc=$?
		line="BARE n=$n $(cat /tmp/g.out) $(cat /tmp/h.out)"
		echo "$line"
		vm_result "$line"
		vm_gadget_unbind
		[ $hrc = 0 ] && [ $grc = 0 ] || { cat /tmp/g.err /tmp/h.err; fail=1; }
	done
fi

# every DMABUF must be gone once iiod exited
grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ echo "leftover DMABUFs:"; cat /sys/kernel/debug/dma_buf/bufinfo; fail=1; }
vm_dmesg_check || fail=1
exit $fail
