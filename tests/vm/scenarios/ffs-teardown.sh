# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: tear the USB service down while a usb: stream runs, many times over,
# in the orders that matter for the kernel (FunctionFS + dummy_hcd), and check that the
# next round is served again. Each cycle starts our iiod on the FunctionFS (zero-copy or
# --no-dmabuf), starts our iio_readdev -u usb: (32-byte blocks, which go through
# dummy_hcd's small-IN FIFO emulation like iiod's 8-byte headers, or 1 MiB blocks), waits
# until data flows, and then, a little later, one of:
#   kill9     SIGKILL to iiod (the kernel closes its files and unbinds the function)
#   term      SIGTERM to iiod (iiod closes its pipes itself)
#   unbind    the UDC is unbound under the stream, then iiod gets SIGTERM
#   reader    the client is SIGKILLed first, then iiod gets SIGTERM
#   next      the client is SIGKILLed, a new client connects to the same iiod at once and
#             must be served (it drains what the killed one left in dummy_hcd's IN FIFO
#             while iiod answers it on another endpoint), then iiod gets SIGTERM
#   gadget    iiod --usb-gadget gets SIGTERM: it closes the endpoints, unbinds the UDC,
#             removes the configfs function and unmounts FunctionFS (the FunctionFS
#             instance is freed while the stream was running a moment before)
# Per cycle: data flowed (so the previous teardown left a working stack), the client
# stopped within KILL_LIMIT seconds (no hang), the bytes it got before the teardown are
# the simulator's counter, and iiod exited by itself (status 0) where it was only asked
# to. At the end a fresh iiod serves a fully checked stream, no DMABUF is left, and the
# kernel log has no warning or oops (run-vm.sh checks the log too).
#
# It is the regression test of kernel-patches/0004 (dummy_hcd refilled its IN FIFO copy
# while another CPU was still giving the previous one back: NULL pointer in __queue_work
# from dummy_timer). Without 0004, the `next` order hit that race within 3 and 7 cycles
# under host CPU load (tests/vm/README.md has the counts); any oops fails the run. Its
# leftover-DMABUF check failed in about half the runs before kernel-patches/0005
# (industrialio-buffer-dma dropped DMABUF blocks queued on a disabled buffer).
#
# Needs: iiod, iio_readdev, pattern. Environment:
#   TEARDOWN_CYCLES  at most this many cycles (default 40)
#   TEARDOWN_SECS    stop starting new cycles after this many guest seconds (default 300)
#   TEARDOWN_MIN     fail if fewer cycles than this ran (default 10)
#   TEARDOWN_ORDERS  the orders to rotate through
#                    (default kill9,term,unbind,reader,next,gadget)
#   KILL_LIMIT       seconds a client may take to notice (default 20)

cycles=${TEARDOWN_CYCLES:-40}
budget=${TEARDOWN_SECS:-300}
min_cycles=${TEARDOWN_MIN:-10}
orders=$(echo "${TEARDOWN_ORDERS:-kill9,term,unbind,reader,next,gadget}" | tr , " ")
limit=${KILL_LIMIT:-20}
adc=cf-ad9361-lpc
adc_dir=/sys/bus/iio/devices/$(vm_iio_dev $adc)
fail=0
failed() { echo "FAILED: $*"; fail=1; }
now() { cut -d' ' -f1 /proc/uptime; }

# Starts a client streaming far longer than the cycle, its output checked on the fly.
start_reader() { # SAMPLES
	rm -f /tmp/rd.rc /tmp/rd.chk /tmp/rd.err
	(
		{
			iio_readdev -u usb: -b "$1" -s 1099511627776 $adc 2> /tmp/rd.err
			echo $? > /tmp/rd.rc
		} | pattern check > /tmp/rd.chk 2>&1
	) &
	RD=$!
}

# Waits until the ADC's buffer is on and has completed a few blocks since it was
# enabled (its counters restart then): data flows end to end.
wait_flow() {
	local i=0

	while [ $i -lt 300 ]; do
		[ "$(cat "$adc_dir/buffer0/enable")" = 1 ] &&
			[ "$(cat "$adc_dir/sim_blocks")" -ge 8 ] && return 0
		# the client gave up before anything flowed
		[ -f /tmp/rd.rc ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Waits for the client to end (SIGKILL after KILL_LIMIT s) and for its checker; sets
# RRC to its exit status (HUNG if it had to be killed) and RSECS to the seconds it took.
wait_reader() {
	local t0 i=0

	t0=$(now)
	while [ ! -f /tmp/rd.rc ] && [ $i -lt $((limit * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	RSECS=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	if [ -f /tmp/rd.rc ]; then
		RRC=$(cat /tmp/rd.rc)
	else
		RRC=HUNG
		# shellcheck disable=SC2046 # every pid pidof prints
		kill -KILL $(pidof iio_readdev) 2> /dev/null
	fi
	# the checker prints its verdict after the client's status was written
	wait "$RD"
}

# After a teardown the host side must see the device go away (10 s at most).
usb_present() {
	local d

	for d in /sys/bus/usb/devices/*; do
		[ "$(cat "$d/idVendor" 2> /dev/null)" = 0456 ] &&
			[ "$(cat "$d/idProduct" 2> /dev/null)" = b671 ] && return 0
	done
	return 1
}

wait_unplugged() {
	local i=0

	while usb_present; do
		[ $i -lt 100 ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# Prints how many DMABUFs exist, after waiting up to 5 s for them to be gone (IIO
# frees detached blocks from a worker).
dmabuf_count() {
	local i=0 c

	while :; do
		c=$(sed -n 's/^Total \([0-9]*\) objects.*/\1/p' /sys/kernel/debug/dma_buf/bufinfo)
		[ "$c" = 0 ] || [ $i -ge 50 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	echo "$c"
}

vm_gadget_create || exit 1
t_start=$(now)
n=0
rota=$orders
# shellcheck disable=SC2086 # split the list into words
set -- $orders
norders=$#
while [ $n -lt "$cycles" ]; do
	elapsed=$(awk -v a="$t_start" -v b="$(now)" 'BEGIN { printf "%d", b - a }')
	[ "$elapsed" -lt "$budget" ] || break
	n=$((n + 1))
	# rotate the order every cycle, the block size every cycle and once more after
	# each round of orders (so that each order meets both sizes), the USB path every
	# 5 cycles
	# shellcheck disable=SC2086 # split the list into words
	set -- $rota
	order=$1
	shift
	rota="$* $order"
	if [ $(((n + (n - 1) / norders) % 2)) = 1 ]; then
		samples=4 # 32-byte blocks
	else
		samples=131072 # 1 MiB
	fi
	if [ $(((n - 1) / 5 % 2)) = 0 ]; then
		mode=zerocopy
		extra=""
	else
		mode=copy
		extra="--no-dmabuf"
	fi
	# how long the stream runs before the teardown: 0 to 1.2 s after data flows
	mid=$(awk -v n=$n 'BEGIN { printf "%.1f", (n * 7 % 13) / 10 }')
	vm_log "ffs-teardown: cycle $n order=$order mode=$mode samples=$samples mid=$mid"

	if [ "$order" = gadget ]; then
		vm_gadget_remove
		rm -f /tmp/iiod-g$n.log
		# shellcheck disable=SC2086 # $extra is empty or one option
		iiod --usb-gadget --no-dnssd --usb-stats /tmp/stats-g$n $extra \
			> /tmp/iiod-g$n.log 2>&1 &
		ipid=$!
		if ! vm_wait_usb_device 0456 b671 20 > /dev/null; then
			failed "cycle $n: iiod --usb-gadget was not enumerated"
			cat /tmp/iiod-g$n.log
			vm_stop_pid $ipid
			break
		fi
		log=/tmp/iiod-g$n.log
	else
		vm_gadget_unbind
		# shellcheck disable=SC2086 # $extra is empty or one option
		if ! vm_iiod_start c$n $extra; then
			failed "cycle $n: iiod did not come up after the previous teardown"
			break
		fi
		ipid=$VM_SERVER_PID
		log=/tmp/iiod-c$n.log
	fi

	start_reader $samples
	flowed=yes
	if ! wait_flow; then
		flowed=no
		failed "cycle $n ($order): no data flowed: $(cat /tmp/rd.err 2> /dev/null)"
	fi
	sleep "$mid"

	irc=-
	next=""
	case $order in
	kill9)
		kill -KILL "$ipid"
		wait "$ipid"
		wait_reader
		;;
	term)
		vm_stop_pid "$ipid"
		irc=$?
		wait_reader
		;;
	unbind)
		vm_gadget_unbind
		wait_reader
		vm_stop_pid "$ipid"
		irc=$?
		;;
	reader)
		# shellcheck disable=SC2046 # every pid pidof prints
		kill -KILL $(pidof iio_readdev) 2> /dev/null
		wait_reader
		vm_stop_pid "$ipid"
		irc=$?
		;;
	next)
		# shellcheck disable=SC2046 # every pid pidof prints
		kill -KILL $(pidof iio_readdev) 2> /dev/null
		wait_reader
		# the next client reads a bounded stream, every byte checked
		if [ "$samples" -lt 1000 ]; then nx=1024; else nx=$((samples * 4)); fi
		{
			timeout -s KILL 60 iio_readdev -u usb: -b "$samples" -s $nx $adc \
				2> /tmp/nx.err
			echo $? > /tmp/nx.rc
		} | pattern check -n $((nx * 8)) > /tmp/nx.chk 2>&1
		next="next_rc=$(cat /tmp/nx.rc) next_integrity=$(vm_kv integrity < /tmp/nx.chk)"
		[ "$(cat /tmp/nx.rc)" = 0 ] && grep -q "integrity=ok" /tmp/nx.chk ||
			failed "cycle $n (next): the next client was not served: $(cat /tmp/nx.err)"
		vm_stop_pid "$ipid"
		irc=$?
		;;
	gadget)
		vm_stop_pid "$ipid"
		irc=$?
		wait_reader
		;;
	esac
	unplugged=yes
	wait_unplugged || unplugged=no
	dmabufs=$(dmabuf_count)
	chk=$(cat /tmp/rd.chk 2> /dev/null)
	line="CYCLE n=$n order=$order mode=$mode samples=$samples mid=$mid flowed=$flowed"
	line="$line reader_rc=$RRC reader_s=$RSECS iiod_rc=$irc unplugged=$unplugged dmabufs=$dmabufs $next $chk"
	echo "$line"
	vm_result "$line"

	[ "$RRC" = HUNG ] && failed "cycle $n ($order): the client did not stop within ${limit}s"
	[ $unplugged = yes ] || failed "cycle $n ($order): the host still sees the device"
	echo "$chk" | grep -q "integrity=ok" ||
		failed "cycle $n ($order): the data before the teardown is not intact"
	case $order in
	term | unbind | reader | next | gadget)
		[ "$irc" = 0 ] || failed "cycle $n ($order): iiod exited $irc"
		;;
	esac
	if [ "$order" = gadget ]; then
		[ -e /sys/kernel/config/usb_gadget/iio ] &&
			failed "cycle $n: iiod --usb-gadget left its configfs gadget"
		vm_mounted "$VM_FFS_MOUNT" &&
			failed "cycle $n: iiod --usb-gadget left FunctionFS mounted"
		vm_gadget_create || { failed "cycle $n: cannot make the gadget again"; break; }
	fi
	if [ $fail != 0 ]; then
		echo "--- iiod log (cycle $n)"
		cat "$log"
		break
	fi
	# stop at the first kernel complaint, while its context is fresh
	vm_dmesg_check > /dev/null || { failed "cycle $n ($order): kernel log"; break; }
done

echo "CYCLES done=$n"
vm_result "CYCLES done=$n"
[ $fail != 0 ] || [ $n -ge "$min_cycles" ] ||
	failed "only $n cycles in ${budget}s (TEARDOWN_MIN=$min_cycles)"

# a fresh iiod must serve a complete, checked stream
if [ $fail = 0 ]; then
	vm_gadget_unbind
	if vm_iiod_start final; then
		{
			timeout -s KILL 120 iio_readdev -u usb: -b 131072 -s $((16 * 131072)) $adc \
				2> /tmp/fin.err
			echo $? > /tmp/fin.rc
		} | pattern check -n $((16 * 1048576)) > /tmp/fin.chk
		line="FINAL $(cat /tmp/fin.chk) readdev_rc=$(cat /tmp/fin.rc)"
		echo "$line"
		vm_result "$line"
		grep -q "integrity=ok" /tmp/fin.chk && [ "$(cat /tmp/fin.rc)" = 0 ] ||
			{ cat /tmp/fin.err; failed "the final stream"; }
		vm_iiod_stop || failed "iiod exit after the final stream"
	else
		failed "iiod did not come up for the final stream"
	fi
	[ "$(dmabuf_count)" = 0 ] ||
		{ cat /sys/kernel/debug/dma_buf/bufinfo; failed "leftover DMABUFs"; }
fi
vm_dmesg_check || fail=1
exit $fail
