# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: ip: for completeness. Our iiod serves local: on TCP (no USB), our
# tools talk to it over the loopback: iio_info -u ip:127.0.0.1 lists both simulated
# devices, iio_readdev -u ip:127.0.0.1 streams the ADC (every byte checked against the
# counter), iio_writedev -u ip:127.0.0.1 feeds the counter to the DAC (which checks it),
# and iiod stops cleanly on SIGTERM.
#
# Needs: iiod, iio_info, iio_readdev, iio_writedev, pattern.
# Environment: IP_MIB (default 128).

mib=${IP_MIB:-128}
bytes=$((mib * 1048576))
uri=ip:127.0.0.1
fail=0

iiod --no-dnssd > /tmp/iiod-tcp.log 2>&1 &
pid=$!
i=0
until iio_info -u "$uri" > /tmp/info.txt 2>&1; do
	i=$((i + 1))
	[ $i -lt 50 ] || { echo "iiod did not answer on $uri:"; cat /tmp/info.txt /tmp/iiod-tcp.log; exit 1; }
	sleep 0.2
done
for d in cf-ad9361-lpc cf-ad9361-dds-core-lpc; do
	grep -q ": $d" /tmp/info.txt || { echo "iio_info -u $uri does not list $d:"; cat /tmp/info.txt; fail=1; }
done
echo "IP-INFO devices=$(grep -c "iio:device[0-9]*:" /tmp/info.txt)"

{
	timeout -s KILL 120 iio_readdev -u "$uri" -b 1048576 -s $((bytes / 8)) cf-ad9361-lpc \
		2> /tmp/rd.err
	echo $? > /tmp/rd.rc
} | pattern check -n "$bytes" > /tmp/chk.out
line="IP-RX $(cat /tmp/chk.out) readdev_rc=$(cat /tmp/rd.rc)"
echo "$line"
vm_result "$line"
grep -q "integrity=ok" /tmp/chk.out && [ "$(cat /tmp/rd.rc)" = 0 ] ||
	{ echo "ip: RX FAILED"; cat /tmp/rd.err; fail=1; }

tx_bytes=$((32 * 1048576))
pattern gen -n "$tx_bytes" |
	timeout -s KILL 120 iio_writedev -u "$uri" -b 131072 -s $((tx_bytes / 8)) \
		cf-ad9361-dds-core-lpc 2> /tmp/wr.err
wrc=$?
words=$(vm_iio_attr cf-ad9361-dds-core-lpc sim_words)
errs=$(vm_iio_attr cf-ad9361-dds-core-lpc sim_pattern_errors)
line="IP-TX bytes=$tx_bytes writedev_rc=$wrc dac_words=$words dac_errors=$errs"
echo "$line"
vm_result "$line"
[ "$wrc" = 0 ] && [ "$errs" = 0 ] && [ "$words" = $((tx_bytes / 2)) ] ||
	{ echo "ip: TX FAILED"; cat /tmp/wr.err; fail=1; }

kill -TERM "$pid"
i=0
while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "iiod ignored SIGTERM for 10 s"; kill -KILL "$pid"; fail=1; break; }
	sleep 0.1
done
wait "$pid"
rc=$?
[ "$rc" = 0 ] || { echo "iiod exited $rc:"; cat /tmp/iiod-tcp.log; fail=1; }

grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ echo "leftover DMABUFs:"; cat /sys/kernel/debug/dma_buf/bufinfo; fail=1; }
vm_dmesg_check || fail=1
exit $fail
