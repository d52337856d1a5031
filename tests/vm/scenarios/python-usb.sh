# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: the Python binding (bindings/python, `import iio`, ctypes over our
# libiio.so.1) reading the simulated ADC over usb: from our iiod on FunctionFS, and
# writing the counter into the DAC (tests/vm/python/usb_stream_check.py does the checks
# it can; the DAC's own counters are checked here). Runs Debian's python3 shipped into
# the initramfs by run-iio-scenario.sh -P.
#
# Environment: PY_MIB (MiB to read and check, default 64).

mib=${PY_MIB:-64}
dac=cf-ad9361-dds-core-lpc
fail=0

command -v python3.11 > /dev/null ||
	{ echo "python3.11 is not in the initramfs (run-iio-scenario.sh -P)"; exit 1; }
vm_gadget_create || exit 1
vm_iiod_start py || exit 1

# -S: no site (no dist-packages in the guest); the binding from /opt/py
PYTHONPATH=/opt/py LIBIIO_LIBRARY=/usr/lib/libiio.so.1 \
	timeout -s KILL 300 python3.11 -S /opt/py/usb_stream_check.py usb: "$mib" > /tmp/py.out 2>&1
prc=$?
cat /tmp/py.out
grep "^PY-" /tmp/py.out | while read -r l; do vm_result "$l"; done
[ $prc = 0 ] || { echo "FAILED: the Python check exited $prc"; fail=1; }
grep -q "^PY-RX .*integrity=ok" /tmp/py.out || { echo "FAILED: no intact RX"; fail=1; }

words=$(vm_iio_attr $dac sim_words)
errs=$(vm_iio_attr $dac sim_pattern_errors)
line="PY-DAC dac_words=$words dac_errors=$errs"
echo "$line"
vm_result "$line"
[ "$errs" = 0 ] && [ "$words" = $((64 * 16384 * 4)) ] ||
	{ echo "FAILED: the DAC saw $words words ($errs wrong), expected $((64 * 16384 * 4))"; fail=1; }

vm_iiod_stop || { cat /tmp/iiod-py.log; echo "FAILED: iiod exit"; fail=1; }
grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ cat /sys/kernel/debug/dma_buf/bufinfo; echo "FAILED: leftover DMABUFs"; fail=1; }
vm_dmesg_check || fail=1
exit $fail
