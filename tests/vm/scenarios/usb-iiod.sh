# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: iiod's USB service (issue 5, board side) on the real kernel path.
#   1. descriptors: the host sees the SuperSpeed companions with the default burst (15);
#   2. RX: our iiod -F serving local: (the simulated ADC), our iio_readdev -u usb: on
#      the host side, every byte checked against the counter; zero-copy and --no-dmabuf
#      alternate (USB_PAIRS pairs); iiod's counters must say which path every block took;
#   3. TX: the counter through iio_writedev -u usb: into the simulated DAC, zero-copy;
#   4. a client killed mid-stream: the next client's RESET_PIPES and OPEN_PIPE end its
#      sessions, nothing it left in a pipe reaches the next client (iiod never logs a
#      pipe out of step), which is served; UDC unbind mid-stream: the client ends with
#      an error (no hang), iiod logs it and keeps serving after a rebind, exits cleanly,
#      and a new iiod serves again;
#   5. iiod --usb-gadget: one command makes, binds and on exit removes the gadget;
#   6. if the initramfs has Debian's libiio 0.24 tools as iio_info024 and iio_readdev024
#      (copies of /usr/bin/iio_info and /usr/bin/iio_readdev of libiio-utils): the legacy
#      protocol over USB, stock iio_info lists the devices, stock iio_readdev gets the counter.
# Then: no DMABUF left, no kernel warning.
#
# Needs in the initramfs: iiod, iio_readdev, iio_writedev, iio_info, pattern (tests/vm/bare).
#   tests/vm/run-vm.sh -s tests/vm/scenarios/usb-iiod.sh -b B/iiod/iiod \
#       -b B/tools/iio_readdev -b B/tools/iio_writedev -b B/tools/iio_info \
#       -b ~/.cache/iio-vm/bare-bin/pattern -l B
# Environment (kernel command line):
#   USB_PAIRS=N            zero-copy/copy RX pairs (default 2)
#   USB_MIB=N              MiB per RX case (default 128)
#   USB_SAMPLES=N          iio_readdev -b (default 1048576: 8 MiB blocks, 4 channels)
#   USB_EXPECT_FALLBACK=1  Debian's unpatched dummy_hcd (IIO_VM_STOCK_DUMMY_HCD=1): zero-copy
#                          must be refused at FUNCTIONFS_DMABUF_ATTACH and every block copied
#   USB_SKIP=LIST          cases to skip (comma-separated), among: tx killed unbind gadget
#   USB_READER=binreader   RX cases read with `binreader BLOCK_BYTES BYTES` (a bare libusb
#                          binary-protocol client checking the counter) instead of
#                          iio_readdev | pattern check; needs binreader in the initramfs
#   USB_INFLIGHT=N         binreader: IN transfers of 1 MiB in flight (default 4; 0: one
#                          synchronous transfer at a time)
#   USB_BARE=1             then a zero-copy and a copy case of the bare kernel chain
#                          (tests/vm/bare ffs-stream | usb-reader, same bytes, its own 1 MiB
#                          blocks: its copy mode cannot have 8 MiB fileio blocks; no libiio):
#                          the ceiling of this boot
# Output: "CASE ..." lines (scenario.log and results.txt); exit non-zero on any failure.

pairs=${USB_PAIRS:-2}
mib=${USB_MIB:-128}
bsamples=${USB_SAMPLES:-1048576}
expect_fallback=${USB_EXPECT_FALLBACK:-0}
skip=" $(echo "${USB_SKIP:-}" | tr ',' ' ') "
reader=${USB_READER:-readdev}
adc=cf-ad9361-lpc
dac=cf-ad9361-dds-core-lpc
fail=0

failed() {
	echo "FAIL: $*"
	vm_result "FAIL $*"
	fail=1
}

skipped() {
	case $skip in *" $1 "*) return 0 ;; esac
	return 1
}

field() {
	sed -n "s/^\(.* \)*$1=\([^ ]*\).*/\2/p" | head -n1
}

# A process must end within S seconds; returns 124 (and kills it) if not.
wait_pid() {
	local pid=$1 secs=$2 i=0

	while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
		if [ $i -ge $((secs * 10)) ]; then
			kill -KILL "$pid"
			wait "$pid"
			return 124
		fi
		sleep 0.1
		i=$((i + 1))
	done
	wait "$pid"
}

# iio_readdev of BYTES into the pattern checker; /tmp/chk.out, /tmp/rd.err, $rd_rc, $chk_rc
read_checked() {
	local bytes=$1

	if [ "$reader" = binreader ]; then
		if [ "${USB_INFLIGHT:-4}" -gt 0 ]; then
			export BINREADER_INFLIGHT=${USB_INFLIGHT:-4}
		else
			unset BINREADER_INFLIGHT
		fi
		timeout -s KILL 120 binreader $((bsamples * 8)) "$bytes" > /tmp/chk.out 2> /tmp/rd.err
		rd_rc=$?
		chk_rc=$rd_rc
		return
	fi
	{
		timeout -s KILL 120 iio_readdev -u usb: -b "$bsamples" -s $((bytes / 8)) "$adc" \
			2> /tmp/rd.err
		echo $? > /tmp/rd.rc
	} | pattern check -n "$bytes" > /tmp/chk.out
	chk_rc=$?
	rd_rc=$(cat /tmp/rd.rc)
}

vm_gadget_create || exit 1

# ---- 1 + 2: descriptors, RX zero-copy vs copy ----------------------------------------
vm_log "usb-iiod: rx"
bytes=$((mib * 1048576))
modes=""
i=0
while [ $i -lt "$pairs" ]; do
	modes="$modes zerocopy copy"
	i=$((i + 1))
done
n=0
for mode in $modes; do
	n=$((n + 1))
	extra=""
	[ "$mode" = copy ] && extra=--no-dmabuf
	vm_iiod_start "rx$n" $extra || exit 1
	if [ $n = 1 ]; then
		# every SS endpoint companion: bLength 6, type 0x30, bMaxBurst 15
		comps=$(od -An -tx1 -v "$VM_USB_DEVICE/descriptors" | tr -s ' \n' '  ' |
			grep -o ' 06 30 [0-9a-f][0-9a-f]' | sort | uniq -c | tr -s ' ' | paste -sd,)
		echo "CASE descriptors ss_companions=[$comps] speed=$(cat "$VM_USB_DEVICE/speed")"
		vm_result "CASE descriptors ss_companions=[$comps]"
		[ "$comps" = " 6 06 30 0f" ] || failed "SS companions: $comps (want 6 with burst 0f)"
	fi
	# a short stream then the measured one: their difference is iiod's steady cost,
	# without the set-up (buffer open, DMABUF allocation) every stream pays
	cpu0=$(vm_cpu_seconds "$VM_SERVER_PID")
	read_checked $((bytes / 4))
	short_ok=$((rd_rc + chk_rc))
	cpu1=$(vm_cpu_seconds "$VM_SERVER_PID")
	read_checked "$bytes"
	cpu2=$(vm_cpu_seconds "$VM_SERVER_PID")
	vm_stop_pid "$VM_SERVER_PID"
	src=$?
	[ $short_ok = 0 ] || rd_rc="$rd_rc/short-stream-failed"
	st=$(grep "device=$adc direction=rx" "/tmp/stats-rx$n" | tail -n1)
	zcb=$(echo "$st" | field zerocopy_blocks)
	cpb=$(echo "$st" | field copy_blocks)
	reasons=$(echo "$st" | field reasons)
	cpu_gib=$(awk -v a="$cpu0" -v b="$cpu1" -v c="$cpu2" -v n="$bytes" \
		'BEGIN { printf "%.3f", ((c - b) - (b - a)) * 1073741824 / (n - n / 4) }')
	run_gib=$(awk -v b="$cpu1" -v c="$cpu2" -v n="$bytes" \
		'BEGIN { printf "%.3f", (c - b) * 1073741824 / n }')
	line="CASE rx n=$n mode=$mode $(cat /tmp/chk.out) iiod_cpu_s_per_gib=$cpu_gib"
	line="$line iiod_cpu_s_per_gib_with_setup=$run_gib"
	line="$line zerocopy_blocks=$zcb copy_blocks=$cpb reasons=$reasons readdev_rc=$rd_rc"
	line="$line iiod_rc=$src"
	echo "$line"
	vm_result "$line"

	bad=""
	[ "$rd_rc" = 0 ] || bad="$bad iio_readdev-exit-$rd_rc"
	[ "$chk_rc" = 0 ] || bad="$bad pattern"
	[ "$src" = 0 ] || bad="$bad iiod-exit-$src"
	[ -n "$st" ] || bad="$bad no-stats-line"
	case $mode.$expect_fallback in
	zerocopy.0) [ "$cpb" = 0 ] && [ "$zcb" -gt 0 ] || bad="$bad not-all-zero-copy" ;;
	zerocopy.1) [ "$zcb" = 0 ] && [ "$cpb" -gt 0 ] &&
		case $reasons in attach/EPERM*) true ;; *) false ;; esac ||
		bad="$bad zero-copy-not-refused-at-attach" ;;
	copy.*) [ "$zcb" = 0 ] && [ "$cpb" -gt 0 ] && [ "$reasons" != none ] ||
		bad="$bad copy-run-not-copied" ;;
	esac
	grep -q "iiod: usb: buffer closed: pipe=" "/tmp/iiod-rx$n.log" || bad="$bad no-log-line"
	if [ -n "$bad" ]; then
		failed "rx case $n ($mode):$bad"
		cat /tmp/rd.err "/tmp/iiod-rx$n.log"
	fi
done

# the bare kernel chain, same sizes, same boot
if [ "${USB_BARE:-0}" = 1 ]; then
	for mode in zerocopy copy; do
		vm_ffs_start_server sh -c "exec ffs-stream -m $mode -b $bytes \
			> /tmp/g.out 2> /tmp/g.err" || { cat /tmp/g.err; exit 1; }
		usb-reader -b "$bytes" > /tmp/h.out 2> /tmp/h.err
		hrc=$?
		wait "$VM_SERVER_PID"
		grc=$?
		line="CASE bare mode=$mode $(cat /tmp/g.out) $(cat /tmp/h.out)"
		echo "$line"
		vm_result "$line"
		vm_gadget_unbind
		[ $hrc = 0 ] && [ $grc = 0 ] || { failed "bare $mode"; cat /tmp/g.err /tmp/h.err; }
	done
fi

# ---- 3: TX into the DAC ----------------------------------------------------------------
vm_log "usb-iiod: tx"
if ! skipped tx; then
	txbytes=$((32 * 1048576))
	vm_iiod_start tx || exit 1
	pattern gen -n "$txbytes" |
		timeout -s KILL 120 iio_writedev -u usb: -b "$bsamples" -s $((txbytes / 8)) "$dac" \
			2> /tmp/wr.err
	wr_rc=$?
	vm_stop_pid "$VM_SERVER_PID"
	src=$?
	st=$(grep "device=$dac direction=tx" /tmp/stats-tx | head -n1)
	errs=$(vm_iio_attr "$dac" sim_pattern_errors)
	words=$(vm_iio_attr "$dac" sim_words)
	line="CASE tx zerocopy_blocks=$(echo "$st" | field zerocopy_blocks)"
	line="$line copy_blocks=$(echo "$st" | field copy_blocks) dac_words=$words"
	line="$line dac_errors=$errs writedev_rc=$wr_rc iiod_rc=$src"
	echo "$line"
	vm_result "$line"
	[ "$wr_rc" = 0 ] && [ "$src" = 0 ] && [ "$errs" = 0 ] && [ "$words" -gt 0 ] || {
		failed "tx"
		cat /tmp/wr.err /tmp/iiod-tx.log
	}
	if [ "$expect_fallback" = 0 ]; then
		[ "$(echo "$st" | field copy_blocks)" = 0 ] || failed "tx: blocks copied"
	fi
fi

# ---- 4: a client killed in the middle of a stream --------------------------------------
vm_log "usb-iiod: killed"
if ! skipped killed; then
	vm_iiod_start killed || exit 1
	iio_readdev -u usb: -b "$bsamples" -s 1000000000 "$adc" > /dev/null 2> /tmp/rdk.err &
	rd_pid=$!
	sleep 3
	kill -KILL "$rd_pid"
	wait "$rd_pid"
	read_checked $((16 * 1048576))
	vm_stop_pid "$VM_SERVER_PID"
	src=$?
	line="CASE killed next_client: $(cat /tmp/chk.out) readdev_rc=$rd_rc iiod_rc=$src"
	echo "$line"
	vm_result "$line"
	cp /tmp/iiod-killed.log "$VM_RESULTS/"
	[ "$rd_rc" = 0 ] && [ "$chk_rc" = 0 ] && [ "$src" = 0 ] ||
		{ failed "killed client"; cat /tmp/rd.err /tmp/iiod-killed.log; }
	! grep -q "more than the element expected" /tmp/iiod-killed.log ||
		failed "killed client: a pipe went out of step"
fi

# ---- 4: UDC unbind in the middle of a stream -------------------------------------------
vm_log "usb-iiod: unbind"
if ! skipped unbind; then
	vm_iiod_start unbind || exit 1
	iiod_pid=$VM_SERVER_PID
	{
		iio_readdev -u usb: -b "$bsamples" -s 1000000000 "$adc" > /dev/null 2> /tmp/rdu.err
		echo $? > /tmp/rdu.rc
	} &
	rd_pid=$!
	sleep 3
	vm_gadget_unbind
	t0=$(cut -d' ' -f1 /proc/uptime)
	wait_pid "$rd_pid" 30
	t1=$(cut -d' ' -f1 /proc/uptime)
	rc=$(cat /tmp/rdu.rc 2>/dev/null)
	alive=no
	[ -d "/proc/$iiod_pid" ] && alive=yes
	logged=no
	grep -q "function was disabled\|function is disabled" /tmp/iiod-unbind.log && logged=yes
	line="CASE unbind readdev_rc=${rc:-killed} readdev_exit_s=$(echo "$t1 - $t0" | bc)"
	line="$line iiod_alive=$alive iiod_logged=$logged"
	echo "$line"
	vm_result "$line"
	[ -n "$rc" ] && [ "$rc" != 0 ] || failed "unbind: the client did not end with an error"
	[ $alive = yes ] && [ $logged = yes ] || failed "unbind: iiod died or said nothing"
	# the same iiod serves again once the UDC is back
	vm_gadget_bind && VM_USB_DEVICE=$(vm_wait_usb_device) || failed "unbind: no rebind"
	read_checked $((16 * 1048576))
	echo "CASE unbind-rebind $(cat /tmp/chk.out) readdev_rc=$rd_rc"
	vm_result "CASE unbind-rebind $(cat /tmp/chk.out) readdev_rc=$rd_rc"
	[ "$rd_rc" = 0 ] && [ "$chk_rc" = 0 ] || { failed "unbind: no service after rebind"; cat /tmp/rd.err; }
	vm_stop_pid "$iiod_pid" || failed "unbind: iiod exit status $?"
	# and a new iiod takes over
	vm_iiod_start restart || exit 1
	read_checked $((16 * 1048576))
	echo "CASE restart $(cat /tmp/chk.out) readdev_rc=$rd_rc"
	vm_result "CASE restart $(cat /tmp/chk.out) readdev_rc=$rd_rc"
	[ "$rd_rc" = 0 ] && [ "$chk_rc" = 0 ] || { failed "restart"; cat /tmp/rd.err; }
	# SIGUSR1 (hotplug): a fresh context, the gadget stays bound, USB serves on
	vm_log "usb-iiod: sigusr1"
	dev_before=$(cat "$VM_USB_DEVICE/devnum")
	kill -USR1 "$VM_SERVER_PID"
	sleep 2
	read_checked $((16 * 1048576))
	dev_after=$(cat "$VM_USB_DEVICE/devnum" 2>/dev/null)
	line="CASE sigusr1 $(cat /tmp/chk.out) readdev_rc=$rd_rc same_device=$(
		[ "$dev_before" = "$dev_after" ] && echo yes || echo no)"
	echo "$line"
	vm_result "$line"
	[ "$rd_rc" = 0 ] && [ "$chk_rc" = 0 ] && [ "$dev_before" = "$dev_after" ] ||
		{ failed "sigusr1"; cat /tmp/rd.err /tmp/iiod-restart.log; }
	vm_stop_pid "$VM_SERVER_PID" || failed "restart: iiod exit status $?"
	grep -i "error" /tmp/iiod-unbind.log /tmp/iiod-restart.log | grep -v "^$" | head -5
fi

# ---- 5: iiod --usb-gadget ----------------------------------------------------------------
vm_log "usb-iiod: gadget"
if ! skipped gadget; then
	vm_gadget_remove
	iiod --usb-gadget --usb-product "IIO gadget test" --usb-serial vm-gadget-test --usb-winusb \
		--no-dnssd \
		--usb-stats /tmp/stats-gadget > /tmp/iiod-gadget.log 2>&1 &
	gpid=$!
	d=$(vm_wait_usb_device 0456 b671 15)
	ok=no
	winusb=$(cat /sys/kernel/config/usb_gadget/iio/os_desc/use 2>/dev/null)
	if [ -n "$d" ]; then
		timeout 60 iio_info -u usb: 2>&1 |
			grep -q "(Analog Devices Inc. IIO gadget test), serial=vm-gadget-test" && ok=yes
		read_checked $((16 * 1048576))
	fi
	vm_stop_pid "$gpid"
	grc=$?
	gone=yes
	[ -e /sys/kernel/config/usb_gadget/iio ] && gone=no
	grep -q " /dev/iio_ffs " /proc/mounts && gone=no
	line="CASE gadget enumerated=${d:+yes} iio_info=$ok $(cat /tmp/chk.out)"
	line="$line iiod_rc=$grc removed=$gone winusb_os_desc=$winusb"
	echo "$line"
	vm_result "$line"
	[ -n "$d" ] && [ $ok = yes ] && [ "$rd_rc" = 0 ] && [ "$chk_rc" = 0 ] &&
		[ "$grc" = 0 ] && [ $gone = yes ] && [ "$winusb" = 1 ] ||
		{ failed "gadget"; cat /tmp/iiod-gadget.log; }
fi

# ---- 6: stock libiio 0.24 clients (legacy ASCII protocol) ----------------------------------
vm_log "usb-iiod: legacy"
if command -v iio_info024 > /dev/null && command -v iio_readdev024 > /dev/null; then
	vm_gadget_create || exit 1
	vm_iiod_start legacy || exit 1
	info=no
	timeout 60 iio_info024 -u usb: 2> /tmp/info.err | grep -q "iio:device0: $adc" && info=yes
	lbytes=$((64 * 1048576))
	{
		timeout -s KILL 120 iio_readdev024 -u usb: -b 131072 -s $((lbytes / 8)) "$adc" \
			2> /tmp/rd.err
		echo $? > /tmp/rd.rc
	} | pattern check -n "$lbytes" > /tmp/chk.out
	chk_rc=$?
	vm_stop_pid "$VM_SERVER_PID"
	src=$?
	line="CASE legacy iio_info=$info $(cat /tmp/chk.out) readdev_rc=$(cat /tmp/rd.rc)"
	line="$line iiod_rc=$src"
	echo "$line"
	vm_result "$line"
	[ $info = yes ] && [ "$chk_rc" = 0 ] && [ "$(cat /tmp/rd.rc)" = 0 ] && [ "$src" = 0 ] ||
		{ failed "legacy"; cat /tmp/info.err /tmp/rd.err /tmp/iiod-legacy.log; }
fi

grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ failed "leftover DMABUFs"; cat /sys/kernel/debug/dma_buf/bufinfo; }
vm_dmesg_check || failed "kernel warnings"
exit $fail
