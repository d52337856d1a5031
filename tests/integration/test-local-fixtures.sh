#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The local: backend on the fixture trees of tests/fixtures, through this
# build's tools:
#  - iio_info -u local: lists every device, channel and attribute with its value;
#  - iio_info on the XML of that context (iio_genxml -e) prints the same;
#  - a tree regenerated from that XML by gen-sysfs.py reads back the same;
#  - iio_attr writes land in the sysfs files; iio_reg uses direct_reg_access;
#  - the scan finds the tree; a missing tree is a clear error.
set -euo pipefail

gen=$IIO_SOURCE_DIR/tests/fixtures/gen-sysfs.py
fixtures=$IIO_SOURCE_DIR/tests/fixtures
work=$IIO_BUILD_DIR/local-fixtures/integration
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

if ! grep -q '^#define WITH_LOCAL_BACKEND 1' "$IIO_BUILD_DIR/iio-config.h"; then
	echo "SKIP: built without the local backend"
	exit 77
fi
for tool in iio_info iio_genxml iio_attr; do
	if [ "$(command -v $tool || true)" != "$IIO_BUILD_DIR/tools/$tool" ]; then
		echo "SKIP: $tool is not built in $IIO_BUILD_DIR/tools (the tools are another part of the tree)"
		exit 77
	fi
done

rm -rf "$work"
mkdir -p "$work"

# Lines that legitimately differ between a local: context and the same context
# read back from XML: the backend, the URI, and the trigger (not in the XML).
normalize() {
	grep -v -e '^IIO context created with' -e '^	attr  *[0-9]*: uri value:' \
		-e 'trigger' -e 'No trigger' "$1"
}

# expect FILE LINE...: every line must be in the iio_info output, verbatim.
expect() {
	local file=$1 line
	shift
	for line in "$@"; do
		grep -qxF -- "$line" "$file" || fail "$(basename "$file"): missing line: $line"
	done
}

check_tree() {
	local name=$1
	shift
	local dir=$work/$name inputs=() f
	for f in "$@"; do
		inputs+=("$fixtures/$f")
	done

	python3 "$gen" --clean "$dir/root" "${inputs[@]}"
	export LIBIIO_LOCAL_ROOT=$dir/root

	iio_info -u local: > "$dir/local.txt" || { fail "$name: iio_info -u local: failed"; return; }
	iio_genxml -e -u local: > "$dir/context.xml" || { fail "$name: iio_genxml failed"; return; }
	iio_info -u "xml:$dir/context.xml" > "$dir/xml.txt" 2>&1 ||
		{ fail "$name: iio_info on the generated XML failed"; return; }
	if ! diff -u <(normalize "$dir/local.txt") <(normalize "$dir/xml.txt") > "$dir/xml.diff"; then
		fail "$name: iio_info differs between local: and its XML (see $dir/xml.diff)"
		head -20 "$dir/xml.diff"
	fi

	# XML -> sysfs tree -> local: gives the same context again.
	python3 "$gen" --clean "$dir/root2" "$dir/context.xml"
	LIBIIO_LOCAL_ROOT=$dir/root2 iio_info -u local: > "$dir/local2.txt" ||
		{ fail "$name: iio_info on the regenerated tree failed"; return; }
	if ! diff -u <(normalize "$dir/local.txt") <(normalize "$dir/local2.txt") \
		> "$dir/regen.diff"; then
		fail "$name: the tree regenerated from XML reads differently (see $dir/regen.diff)"
		head -20 "$dir/regen.diff"
	fi
}

check_tree ad9361 ad9361.sysfs
out=$work/ad9361/local.txt
expect "$out" \
	'IIO context has 3 devices:' \
	'	attr  0: hw_carrier value: Fixture ZC706' \
	'	iio:device0: ad9361-phy' \
	'			altvoltage0: RX_LO (output)' \
	'				attr  5: frequency (out_altvoltage0_RX_LO_frequency) value: 2400000000' \
	'				attr  7: rf_bandwidth (in_voltage_rf_bandwidth) value: 18000000' \
	'			attr  3: dcxo_tune_coarse_available range: [min: 0 step: 1 max: 63]' \
	'			attr 13: direct_reg_access' \
	'	iio:device2: cf-ad9361-lpc (buffer capable)' \
	'			voltage0:  (input, index: 0, format: le:S12/16>>0)' \
	'			voltage3:  (input, index: 3, format: le:S12/16>>0)' \
	'			altvoltage7: TX2_Q_F2 (output)' \
	'			voltage0:  (output, index: 0, format: le:S16/16>>0)'
grep -q ' out (' "$out" && fail "ad9361: in_out_voltage_filter_fir_en made a channel"

check_tree sensors adxl345.sysfs hwmon.sysfs parser-rules.sysfs
out=$work/sensors/local.txt
expect "$out" \
	'IIO context has 10 devices:' \
	'	iio:device0: adxl345 (label: accel-base) (buffer capable)' \
	'			accel_x:  (input, index: 0, format: le:s13/16>>0)' \
	'				attr  4: scale (in_accel_scale) value: 0.038300' \
	'				attr  1: thresh_rising_en (in_accel_x_thresh_rising_en) value: 1' \
	'		Current trigger: trigger0(adxl345-dev0)' \
	'	trigger0: adxl345-dev0' \
	'			voltage0: vccint (input, index: 1, format: le:u12/16>>4)' \
	'				attr  0: raw (in_voltage0_vccint_raw) value: 1365' \
	'			voltage0-voltage1:  (label: load-cell) (input, index: 0, format: be:s24/32>>8)' \
	'				attr  3: scale (in_voltage-voltage_scale) value: 0.000298' \
	'			temp1:  (label: SYSTIN) (input)' \
	'				attr  1: pwm1 value: 128'
grep -q 'sampling: ' "$out" && fail "sensors: in_sampling_frequency made a channel"

# Writes go to the sysfs files; the trigger and registers through their files.
export LIBIIO_LOCAL_ROOT=$work/ad9361/root
phy=$LIBIIO_LOCAL_ROOT/sys/devices/platform/fixture/iio:device0
iio_attr -u local: -c ad9361-phy voltage0 hardwaregain 12 > /dev/null ||
	fail "iio_attr could not write a channel attribute"
[ "$(tr -d '\0' < "$phy/in_voltage0_hardwaregain")" = 12 ] ||
	fail "iio_attr's value did not reach in_voltage0_hardwaregain"
iio_attr -u local: -d ad9361-phy ensm_mode alert > /dev/null ||
	fail "iio_attr could not write a device attribute"
[ "$(tr -d '\0' < "$phy/ensm_mode")" = alert ] || fail "ensm_mode was not written"
if command -v iio_reg > /dev/null; then
	value=$(iio_reg -u local: ad9361-phy 0x5 2>&1) || fail "iio_reg read failed: $value"
	[ "$value" = 0x5a5a ] || fail "iio_reg read gave '$value', expected 0x5a5a"
fi

# The scan finds the tree and says what is in it.
scan=$(iio_info -S local 2>&1) || true
echo "$scan" | grep -qF 'local:' && echo "$scan" | grep -qF 'ad9361-phy' ||
	fail "iio_info -S local did not list the fixture: $scan"

# No tree at all: a clear error, not a crash.
export LIBIIO_LOCAL_ROOT=$work/no-such-root
if err=$(iio_info -u local: 2>&1); then
	fail "iio_info -u local: succeeded without a tree"
fi
echo "$err" | grep -q 'No such file or directory' ||
	fail "unclear error for a missing tree: $err"

if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "test-local-fixtures: OK"
