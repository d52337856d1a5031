# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: stock Debian libiio 0.24 tools (libiio-utils, libiio.so.0; the legacy
# ASCII protocol) against our iiod on FunctionFS, in the same guest:
#   iio_info -S usb    finds the board
#   iio_info -u usb:   lists both simulated devices with their channels, and the same
#                      device attributes as our own iio_info -u local: (values included)
#   iio_attr -u usb:   reads and writes a device attribute (the sysfs value changes)
#   iio_readdev -u usb:  streams the ADC: every byte checked against the counter
#   iio_writedev -u usb: feeds the counter to the DAC: sim_pattern_errors == 0
# Then the same iiod must still serve our own iio_readdev -u usb: (binary protocol).
#
# Needs: iiod, iio_info, iio_readdev, pattern, and /opt/stock/bin/* (run-iio-scenario.sh -S).
# Environment: STOCK_MIB (default 64).

mib=${STOCK_MIB:-64}
bytes=$((mib * 1048576))
S=/opt/stock/bin
adc=cf-ad9361-lpc
dac=cf-ad9361-dds-core-lpc
fail=0
failed() { echo "FAILED: $*"; fail=1; }

[ -x $S/iio_info ] || { echo "the stock tools are not in the initramfs (run-iio-scenario.sh -S)"; exit 1; }
$S/iio_info --help 2>&1 | grep -q "Library version: 0.24" ||
	{ echo "$S/iio_info is not libiio 0.24:"; $S/iio_info --help 2>&1 | tail -n 3; exit 1; }

vm_gadget_create || exit 1
vm_iiod_start stock || exit 1

timeout 30 $S/iio_info -S usb > /tmp/scan.txt 2>&1
grep -q "0456:b671" /tmp/scan.txt || { cat /tmp/scan.txt; failed "stock iio_info -S usb did not find the board"; }

timeout 60 $S/iio_info -u usb: > /tmp/stock-info.txt 2>&1
irc=$?
[ $irc = 0 ] || failed "stock iio_info -u usb: exited $irc"
for d in "iio:device0: $adc" "iio:device1: $dac"; do
	grep -q "$d" /tmp/stock-info.txt || failed "stock iio_info -u usb: does not list '$d'"
done
ndev=$(sed -n 's/.*IIO context has \([0-9]*\) devices.*/\1/p' /tmp/stock-info.txt)
[ "$ndev" = 2 ] || failed "stock iio_info -u usb: says $ndev devices, expected 2"
nch=$(grep -c "voltage[0-3]: .*(input, index: [0-3], format: le:S16/16>>0)" /tmp/stock-info.txt)
[ "$nch" = 4 ] || failed "stock iio_info: $nch ADC channels as expected, want 4"
nch=$(grep -c "voltage[0-3]: .*(output, index: [0-3], format: le:S16/16>>0)" /tmp/stock-info.txt)
[ "$nch" = 4 ] || failed "stock iio_info: $nch DAC channels as expected, want 4"
# device attributes and their values, as the board's own local: context sees them
attrs() { grep -E "^\s+attr +[0-9]+: (sampling_frequency|sim_[a-z_]+) value:" "$1" |
	sed 's/^\s*attr *[0-9]*: //' | sort; }
iio_info -u local: > /tmp/local-info.txt 2>&1
attrs /tmp/stock-info.txt > /tmp/a.stock
attrs /tmp/local-info.txt > /tmp/a.local
if [ ! -s /tmp/a.stock ] || ! cmp -s /tmp/a.stock /tmp/a.local; then
	echo "--- device attributes: stock over usb: vs ours over local:"
	diff /tmp/a.stock /tmp/a.local
	failed "stock iio_info -u usb: attributes differ from local:"
fi
echo "STOCK-INFO devices=$ndev attrs=$(wc -l < /tmp/a.stock) rc=$irc"
vm_result "STOCK-INFO devices=$ndev attrs=$(wc -l < /tmp/a.stock) rc=$irc"

# attribute write through the legacy protocol, checked in sysfs
timeout 30 $S/iio_attr -u usb: -d $adc sampling_frequency 123456 > /tmp/attr.txt 2>&1 ||
	{ cat /tmp/attr.txt; failed "stock iio_attr write"; }
v=$(vm_iio_attr $adc sampling_frequency)
[ "$v" = 123456 ] || failed "stock iio_attr wrote sampling_frequency, sysfs says '$v'"
r=$(timeout 30 $S/iio_attr -u usb: -d $adc sampling_frequency 2>&1)
echo "$r" | grep -q 123456 || failed "stock iio_attr read back '$r'"
vm_iio_attr $adc sampling_frequency 0

{
	timeout -s KILL 120 $S/iio_readdev -u usb: -b 1048576 -s $((bytes / 8)) $adc 2> /tmp/rd.err
	echo $? > /tmp/rd.rc
} | pattern check -n "$bytes" > /tmp/chk.out
line="STOCK-RX $(cat /tmp/chk.out) readdev_rc=$(cat /tmp/rd.rc)"
echo "$line"
vm_result "$line"
grep -q "integrity=ok" /tmp/chk.out && [ "$(cat /tmp/rd.rc)" = 0 ] ||
	{ cat /tmp/rd.err; failed "stock iio_readdev -u usb:"; }

tx=$((32 * 1048576))
pattern gen -n "$tx" |
	timeout -s KILL 120 $S/iio_writedev -u usb: -b 131072 -s $((tx / 8)) $dac 2> /tmp/wr.err
wrc=$?
words=$(vm_iio_attr $dac sim_words)
errs=$(vm_iio_attr $dac sim_pattern_errors)
line="STOCK-TX bytes=$tx writedev_rc=$wrc dac_words=$words dac_errors=$errs"
echo "$line"
vm_result "$line"
# 0.24's iio_writedev may stop with the last buffer still in the DAC's queue: no word
# may be wrong, and all but at most one buffer must have been checked
[ "$wrc" = 0 ] && [ "$errs" = 0 ] && [ "$words" -ge $(((tx - 1048576) / 2)) ] ||
	{ cat /tmp/wr.err; failed "stock iio_writedev -u usb:"; }

# the same iiod still serves a libiio 1.0 client
{
	timeout -s KILL 120 iio_readdev -u usb: -b 1048576 -s $((bytes / 8)) $adc 2> /tmp/rd.err
	echo $? > /tmp/rd.rc
} | pattern check -n "$bytes" > /tmp/chk.out
line="OURS-AFTER $(cat /tmp/chk.out) readdev_rc=$(cat /tmp/rd.rc)"
echo "$line"
vm_result "$line"
grep -q "integrity=ok" /tmp/chk.out && [ "$(cat /tmp/rd.rc)" = 0 ] ||
	{ cat /tmp/rd.err; failed "our iio_readdev after the stock clients"; }

vm_iiod_stop
rc=$?
[ $rc = 0 ] || { cat /tmp/iiod-stock.log; failed "iiod exited $rc"; }
echo "--- iiod log"
cat /tmp/iiod-stock.log
grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ cat /sys/kernel/debug/dma_buf/bufinfo; failed "leftover DMABUFs"; }
vm_dmesg_check || fail=1
exit $fail
