#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the bench's initramfs (busybox).  Mounts the usual filesystems, loads the
# modules, mounts the 9p share from the host, runs /share/scenario.sh and writes its
# output, exit code and the kernel log into the share, then powers off.
#
# Kernel command-line words of the form VAR=value reach this script as environment
# variables; the ones it understands are documented in tests/vm/README.md.

export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
export LD_LIBRARY_PATH=/usr/local/lib:/usr/lib
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /tmp /run /share
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
# loopback for scenarios that use ip:127.0.0.1 (there is no other network)
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
hostname iio-vm

. /usr/lib/iio-vm/guest-lib.sh

marker() { echo "IIOVM: $*" > /dev/console; }

marker "init started"
vm_load_base_modules || marker "base module load failed"

SHARE_OK=0
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 share /share 2>/dev/null; then
	SHARE_OK=1
fi

RESULTS=/share
[ "$SHARE_OK" = 1 ] || RESULTS=/tmp/results
mkdir -p "$RESULTS"
export VM_RESULTS=$RESULTS

rc=0
if [ "${IIO_VM_NO_MODULES:-0}" != 1 ]; then
	vm_load_modules > "$RESULTS/modules.log" 2>&1 || rc=$?
fi

if [ "$rc" != 0 ]; then
	marker "module load failed (rc=$rc)"
elif [ -f /share/scenario.sh ]; then
	marker "scenario start"
	# IIO_VM_SCENARIO_TIMEOUT (seconds, set by run-vm.sh): kill a hung scenario in time
	# to collect the kernel log, with the blocked tasks dumped into it
	if [ "${IIO_VM_SCENARIO_TIMEOUT:-0}" -gt 0 ]; then
		(
			sleep "$IIO_VM_SCENARIO_TIMEOUT"
			marker "scenario timeout after ${IIO_VM_SCENARIO_TIMEOUT}s"
			echo "TIMEOUT after ${IIO_VM_SCENARIO_TIMEOUT}s" >> "$RESULTS/scenario.log"
			echo w > /proc/sysrq-trigger
			ps >> "$RESULTS/scenario.log"
			kill -9 -1
		) &
		watchdog=$!
	fi
	(cd /tmp && sh -c '. /usr/lib/iio-vm/guest-lib.sh && . /share/scenario.sh') \
		> "$RESULTS/scenario.log" 2>&1
	rc=$?
	[ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
	marker "scenario end rc=$rc"
else
	marker "no scenario"
	rc=2
fi

echo "$rc" > "$RESULTS/scenario.rc"
dmesg > "$RESULTS/dmesg.txt"
if [ "$SHARE_OK" != 1 ]; then
	# No share: put everything on the console between markers.
	marker "BEGIN scenario.log"
	cat "$RESULTS/scenario.log" > /dev/console 2>/dev/null
	marker "END scenario.log"
	marker "BEGIN dmesg"
	cat "$RESULTS/dmesg.txt" > /dev/console
	marker "END dmesg"
fi
marker "rc=$rc"
sync
umount /share 2>/dev/null
poweroff -f
