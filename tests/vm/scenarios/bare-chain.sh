# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Guest scenario: the bare kernel chain (simulated ADC -> IIO buffer -> FunctionFS ->
# dummy_hcd -> libusb), zero-copy and copy cases alternated within one boot.
# Needs the binaries ffs-stream and usb-reader (tests/vm/bare) in the initramfs.
#
# Environment (kernel command line):
#   BARE_PAIRS=N      zero-copy/copy pairs (default 3)
#   BARE_MIB=N        MiB per case (default 256)
#   BARE_MODES="..."  override the case list (e.g. "zerocopy copy static")
#   BARE_EXPECT_FALLBACK=1   zero-copy must be refused (unpatched UDC); the copy path
#                    taken instead must still deliver intact data
#   BARE_TX_MIB=N     MiB for one zero-copy and one copy TX case (host -> DAC) after
#                    the RX cases (default 64; 0 = none)
#   BARE_EARLY=0      skip the check that DMABUF ioctls before the bind fail cleanly
#   BARE_ODD=0        skip the odd-size zero-copy transfers (64 bytes: dummy_hcd's small-IN
#                    FIFO emulation with a scatterlist; 3 MiB + 32 bytes)
# Output: one "CASE ..." line per case in scenario.log and results.txt.

pairs=${BARE_PAIRS:-3}
mib=${BARE_MIB:-256}
bytes=$((mib * 1048576))
modes=${BARE_MODES:-}
if [ -z "$modes" ]; then
	i=0
	while [ $i -lt "$pairs" ]; do
		modes="$modes zerocopy copy"
		i=$((i + 1))
	done
fi

vm_gadget_create || exit 1

# kernel-patches 0002: DMABUF ioctls on an unbound function must fail, not oops
if [ "${BARE_EARLY:-1}" = 1 ]; then
	ffs-stream -m early > /tmp/g.out 2> /tmp/g.err
	erc=$?
	echo "EARLY-IOCTLS $(cat /tmp/g.out)"
	vm_result "EARLY-IOCTLS $(cat /tmp/g.out)"
	[ $erc = 0 ] || { cat /tmp/g.err; exit 1; }
fi

tx_mib=${BARE_TX_MIB:-64}
if [ "$tx_mib" != 0 ]; then
	modes="$modes zerocopy-tx copy-tx"
fi

n=0
for mode in $modes; do
	case $mode in
	*-tx) bytes=$((tx_mib * 1048576)); hostargs=-w ;;
	*) bytes=$((mib * 1048576)); hostargs= ;;
	esac
	n=$((n + 1))
	vm_ffs_start_server sh -c "ffs-stream -m $mode -b $bytes > /tmp/g.out 2> /tmp/g.err" ||
		{ cat /tmp/g.err; exit 1; }
	mark=$(vm_cpu_mark)
	usb-reader $hostargs -b "$bytes" > /tmp/h.out 2> /tmp/h.err
	hrc=$?
	wait "$VM_SERVER_PID"
	grc=$?
	busy=$(vm_cpu_busy "$mark")
	guest_cpu=$(awk -v b="$busy" -v n="$bytes" 'BEGIN { printf "%.3f", b * 1073741824 / n }')
	line="CASE n=$n $(cat /tmp/g.out) $(cat /tmp/h.out) guest_cpu_s_per_gib=$guest_cpu"
	echo "$line"
	vm_result "$line"
	vm_gadget_unbind
	if [ $hrc != 0 ] || [ $grc != 0 ]; then
		cat /tmp/g.err /tmp/h.err
		exit 1
	fi
	if [ "$mode" = zerocopy ] || [ "$mode" = zerocopy-tx ]; then
		if [ "${BARE_EXPECT_FALLBACK:-0}" = 1 ]; then
			grep -q "used=copy" /tmp/g.out || { echo "zero-copy was not refused"; exit 1; }
			grep "zero-copy refused" /tmp/g.err
		else
			grep -q "used=$mode" /tmp/g.out || { cat /tmp/g.err; exit 1; }
		fi
	fi
done

# odd sizes: a last block below one packet goes through dummy_hcd's FIFO emulation,
# which completes it before the host reads it: the server stays bound until the host is done
if [ "${BARE_ODD:-1}" = 1 ] && [ "${BARE_EXPECT_FALLBACK:-0}" != 1 ]; then
	for b in 64 $((3 * 1048576 + 32)); do
		rm -f /tmp/host-done
		vm_ffs_start_server sh -c \
			"ffs-stream -m zerocopy -b $b -W /tmp/host-done > /tmp/g.out 2> /tmp/g.err" ||
			{ cat /tmp/g.err; exit 1; }
		usb-reader -b "$b" > /tmp/h.out 2> /tmp/h.err
		hrc=$?
		touch /tmp/host-done
		wait "$VM_SERVER_PID"
		grc=$?
		line="ODD-SIZE bytes=$b $(cut -d' ' -f3 /tmp/g.out) $(grep -o 'integrity=[a-zA-Z]*' /tmp/h.out)"
		echo "$line"
		vm_result "$line"
		vm_gadget_unbind
		[ $hrc = 0 ] && [ $grc = 0 ] && grep -q "used=zerocopy" /tmp/g.out ||
			{ cat /tmp/g.err /tmp/h.err; exit 1; }
	done
fi

# a cyclic DMABUF into the DAC is seen once, and the buffer disables while it repeats
if [ "${BARE_EXPECT_FALLBACK:-0}" != 1 ] && command -v iio-local > /dev/null; then
	line=$(iio-local -m cyclic-tx) || { echo "$line"; exit 1; }
	echo "$line"
	vm_result "$line"
fi

# no DMABUF may be left behind once every program has exited
grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ echo "leftover DMABUFs:"; cat /sys/kernel/debug/dma_buf/bufinfo; exit 1; }
vm_dmesg_check
