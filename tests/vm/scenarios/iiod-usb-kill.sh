# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: processes dying in the middle of a usb: stream (our iio_readdev on the
# host side, our iiod on FunctionFS). It complements usb-iiod.sh (the USB-gadget
# scenario), which already covers a UDC unbind mid-stream (client error, rebind, a new
# iiod) and a client killed mid-stream; here:
#   A. the client is killed while it sets up (context, buffer, blocks: 0.1 to 1.0 s
#      after it started, before data flows): the same iiod must serve the next client,
#      and never see a pipe out of step ("the host sent more than the element
#      expected": what a response the killed client left in an IN FIFO used to cause);
#   B. iiod is killed (SIGKILL) mid-stream: the client must stop with an error message
#      within a bounded time (no hang), what it wrote before must be intact, and a new
#      iiod on the same FunctionFS instance must serve.
# The kernel log must stay free of warnings (run-vm.sh checks it too).
#
# Needs: iiod, iio_readdev, pattern. Environment: KILL_LIMIT (seconds a client may take
# to notice, default 20), KILL_POINTS (seconds after the start at which set-up clients
# are killed, comma-separated, default 0.1,0.2,...,1.0). Each line says how many
# DMABUFs the kernel has at that point (dmabufs=); iiod's logs go to the results.

limit=${KILL_LIMIT:-20}
adc=cf-ad9361-lpc
fail=0
failed() { echo "FAILED: $*"; fail=1; }

# Streams in the background for far longer than the test (stopped by the event).
start_stream() {
	rm -f /tmp/bg.rc /tmp/bg.chk
	(
		{
			iio_readdev -u usb: -b 131072 -s 1099511627776 $adc 2> /tmp/bg.err
			echo $? > /tmp/bg.rc
		} | pattern check > /tmp/bg.chk 2>&1
	) &
	BG=$!
	# until data flows: the ADC's counters restart when its buffer is enabled
	d=/sys/bus/iio/devices/$(vm_iio_dev $adc)
	i=0
	while [ $i -lt 200 ]; do
		[ "$(cat "$d/buffer0/enable")" = 1 ] && [ "$(cat "$d/sim_blocks")" -ge 4 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 200 ] || failed "the background stream did not start"
	sleep 1
}

# Waits for the background client; prints its exit status and the seconds it took.
wait_stream() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	i=0
	while [ ! -f /tmp/bg.rc ] && [ $i -lt $((limit * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	if [ ! -f /tmp/bg.rc ]; then
		echo "HUNG $secs"
		# shellcheck disable=SC2046 # every pid pidof prints
		kill -KILL $(pidof iio_readdev) 2>/dev/null
		wait "$BG"
		return
	fi
	wait "$BG"
	echo "$(cat /tmp/bg.rc) $secs"
}

check_stream_ok() { # NAME: a short complete stream, every byte checked
	{
		timeout -s KILL 60 iio_readdev -u usb: -b 131072 -s $((32 * 131072)) $adc 2> /tmp/rd.err
		echo $? > /tmp/rd.rc
	} | pattern check -n $((32 * 1048576)) > /tmp/chk.out
	line="$1 $(cat /tmp/chk.out) readdev_rc=$(cat /tmp/rd.rc) dmabufs=$(dmabufs)"
	echo "$line"
	vm_result "$line"
	grep -q "integrity=ok" /tmp/chk.out && [ "$(cat /tmp/rd.rc)" = 0 ] ||
		{ cat /tmp/rd.err; failed "$1"; }
}

# DMABUFs alive in the kernel now
dmabufs() { sed -n 's/^Total \([0-9]*\) objects.*/\1/p' /sys/kernel/debug/dma_buf/bufinfo; }

vm_gadget_create || exit 1

# ---- A: the client killed while it sets up, same iiod
vm_iiod_start a || exit 1
for d in $(echo "${KILL_POINTS:-0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0}" | tr , " "); do
	iio_readdev -u usb: -b 131072 -s 1099511627776 $adc 2> /dev/null | pattern check \
		> /dev/null 2>&1 &
	p=$!
	sleep $d
	# shellcheck disable=SC2046 # every pid pidof prints
	kill -KILL $(pidof iio_readdev) 2> /dev/null
	wait "$p"
	check_stream_ok "CLIENT-KILLED-EARLY-${d}s-NEXT"
done
vm_iiod_stop
rc=$?
cp /tmp/iiod-a.log "$VM_RESULTS/"
[ $rc = 0 ] || failed "iiod exit $rc after killed clients"
! grep -q "more than the element expected" /tmp/iiod-a.log ||
	failed "a pipe went out of step after a killed client"
[ $fail = 0 ] || { echo "--- iiod log (case A)"; cat /tmp/iiod-a.log; }
echo "AFTER-A dmabufs=$(dmabufs)"

# ---- B: iiod killed mid-stream
vm_iiod_start c || exit 1
start_stream
kill -KILL "$VM_SERVER_PID"
wait "$VM_SERVER_PID"
r=$(wait_stream)
line="IIOD-KILLED client_rc=${r% *} secs=${r#* } $(cat /tmp/bg.chk) error=\"$(tail -n1 /tmp/bg.err)\""
echo "$line"
vm_result "$line"
case ${r% *} in
HUNG) failed "the client did not notice iiod's death within ${limit}s" ;;
0) failed "the client exited 0 after iiod died" ;;
esac
grep -q "integrity=ok" /tmp/bg.chk || failed "data before iiod died was not intact"
grep -q "bytes=0 " /tmp/bg.chk && failed "no data flowed before iiod was killed"
vm_gadget_unbind
vm_iiod_start c2 || { failed "iiod restart after SIGKILL"; exit 1; }
check_stream_ok "IIOD-KILLED-RESTART"
vm_iiod_stop || failed "iiod exit after the restart"
cp /tmp/iiod-c.log /tmp/iiod-c2.log "$VM_RESULTS/"

grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ cat /sys/kernel/debug/dma_buf/bufinfo; failed "leftover DMABUFs"; }
vm_dmesg_check || fail=1
exit $fail
