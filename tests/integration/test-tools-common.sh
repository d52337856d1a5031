#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What every tool shares: -h and -V, the usage layout, -T parsing, -u/-a/-S
# exclusion, options mixed with positional arguments, unknown options, and
# iio_reg on the local: fixture.
set -euo pipefail

. "$(dirname "$0")/tools-helpers.sh"

tools="iio_info iio_attr iio_reg iio_genxml iio_rwdev iio_readdev iio_writedev iio_event iio_ping"
tools+=" iio_stresstest"
# shellcheck disable=SC2086 # a list of words
require_tools $tools

lib_tag=$(iio_info -V | sed -n 's/^Libiio version: [0-9]*\.[0-9]* (git tag: \(.*\)) backends:.*/\1/p')
[ -n "$lib_tag" ] || { echo "FAIL: no 'Libiio version' line in iio_info -V"; fail=1; }
for tool in $tools; do
	# -V: two lines, the tool's then the library's, and nothing else.
	iio_info -V > /dev/null
	$tool -V > "$tmp/out"
	[ "$(wc -l < "$tmp/out")" = 2 ] || { echo "FAIL: $tool -V printed $(wc -l < "$tmp/out") lines"; fail=1; }
	grep -Eqx "$tool version: 1\.0 \(git tag:[^ ]+\)" "$tmp/out" ||
		{ echo "FAIL: $tool -V first line: $(head -n1 "$tmp/out")"; fail=1; }
	grep -Eqx "Libiio version: 1\.0 \(git tag: $lib_tag\) backends:( [a-z]+)+" "$tmp/out" ||
		{ echo "FAIL: $tool -V second line: $(tail -n1 "$tmp/out")"; fail=1; }

	# -h: the layout of upstream's usage, common options first, exit 0.
	$tool -h > "$tmp/out"
	sed -n 1p "$tmp/out" | grep -qx 'Usage:' || { echo "FAIL: $tool -h: no 'Usage:'"; fail=1; }
	sed -n 2p "$tmp/out" | grep -q "^	$tool \[OPTION\]\.\.\.	" ||
		{ echo "FAIL: $tool -h: bad synopsis line"; fail=1; }
	grep -qx 'Options:' "$tmp/out" || { echo "FAIL: $tool -h: no 'Options:'"; fail=1; }
	for opt in "-h, --help" "-V, --version" "-u, --uri [arg]" "-S, --scan <arg>" \
		"-a, --auto <arg>" "-T, --timeout [arg]"; do
		grep -qxF "	$opt" "$tmp/out" || { echo "FAIL: $tool -h lacks '$opt'"; fail=1; }
	done
	[ "$(grep -A1 -x 'Options:' "$tmp/out" | tail -n1)" = "	-h, --help" ] ||
		{ echo "FAIL: $tool -h: common options do not come first"; fail=1; }
	grep -q 'WARRANTY' "$tmp/out" || { echo "FAIL: $tool -h: no warranty footer"; fail=1; }
	# Each option's description is on the following lines, three tabs in.
	if awk '/^\t-/ { expect = 1; next } expect && !/^\t\t\t/ { bad = 1 } { expect = 0 } END { exit !bad }' "$tmp/out"; then
		echo "FAIL: $tool -h: an option without a description line"; fail=1
	fi

	expect_failure "invalid timeout 'soon'" $tool -T soon
	expect_failure "mutually exclusive" $tool -u local: -a
	expect_failure "mutually exclusive" $tool -S -u local:
	expect_failure "--help" $tool --no-such-option
done

xml=$fixtures/fmcomms2.xml
if [ -f "$xml" ]; then
	# Options before, between and after positional arguments, long and short.
	a=$(iio_attr -u "xml:$xml" -d ad9361-phy ensm_mode)
	b=$(iio_attr -d ad9361-phy --uri "xml:$xml" ensm_mode)
	c=$(iio_attr ad9361-phy ensm_mode -d -T 5000 -u "xml:$xml")
	[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] ||
		{ echo "FAIL: option order changed the result: '$a' '$b' '$c'"; fail=1; }
	# -T forms.
	for t in 0 -1 nb nonblocking 2500; do
		iio_attr -T $t -u "xml:$xml" -C uri > /dev/null || { echo "FAIL: -T $t refused"; fail=1; }
	done
	expect_failure "invalid timeout '-2'" iio_info -T -2 -u "xml:$xml"
	# -a with a backend list, -S with a list: the word after it is the list.
	expect_failure "No IIO context found." iio_info -a xml
	iio_info -S xml > "$tmp/out" 2> "$tmp/err" && { echo "FAIL: -S xml found a context"; fail=1; }
	grep -qx "No IIO context found." "$tmp/err" || { echo "FAIL: -S xml: no 'No IIO context found.'"; fail=1; }
	# iio_reg: arguments and errors.
	iio_reg > "$tmp/out" && grep -q '^Usage:' "$tmp/out" || { echo "FAIL: iio_reg alone: no usage"; fail=1; }
	expect_failure "Incorrect number of arguments." iio_reg -u "xml:$xml" ad9361-phy
	expect_failure "Invalid register address 'zz'" iio_reg -u "xml:$xml" ad9361-phy zz
	expect_failure "Invalid register value '0x100000000'" iio_reg -u "xml:$xml" ad9361-phy 0 0x100000000
	expect_failure "Unable to find device 'nodev'" iio_reg -u "xml:$xml" nodev 0
	expect_failure "Unable to read register 0x10 of ad9361-phy" iio_reg -u "xml:$xml" ad9361-phy 0x10
fi

if [ -f "$xml" ]; then
	# iio_ping: xml: cannot answer (-EOPNOTSUPP): every request fails, exit 1.
	if iio_ping -c 2 -i 0 -u "xml:$xml" > "$tmp/out"; then
		echo "FAIL: iio_ping of an xml: context succeeded"; fail=1
	fi
	grep -qx 'PING xml backend (.*)' "$tmp/out" ||
		{ echo "FAIL: iio_ping: no PING line"; fail=1; }
	grep -qx "No reply from xml: seq=1 error=-95 (Operation not supported)" "$tmp/out" ||
		{ echo "FAIL: iio_ping: no 'No reply' line for seq=1"; cat "$tmp/out"; fail=1; }
	grep -qx "2 requests sent, 0 received, 100% loss" "$tmp/out" ||
		{ echo "FAIL: iio_ping: wrong statistics"; fail=1; }
	expect_failure "Invalid count 'x'" iio_ping -c x -u "xml:$xml"
	# iio_event: xml: has no events, and a missing device is named.
	expect_failure "Unable to open the event stream of ad9361-phy" iio_event -u "xml:$xml" ad9361-phy
	expect_failure "Unable to find device 'nodev'" iio_event -u "xml:$xml" nodev
fi
if have_local_backend && [ -f "$IIO_SOURCE_DIR/tests/fixtures/ad9361.sysfs" ]; then
	python3 "$gen" "$tmp/root" "$IIO_SOURCE_DIR/tests/fixtures/ad9361.sysfs"
	reg_file=$(grep -l . "$tmp"/root/sys/kernel/debug/iio/*/direct_reg_access | head -n1)
	dev_id=$(basename "$(dirname "$reg_file")")
	: > "$reg_file"
	LIBIIO_LOCAL_ROOT=$tmp/root iio_reg -u local: "$dev_id" 0x1f 170 > "$tmp/out"
	[ ! -s "$tmp/out" ] || { echo "FAIL: iio_reg write printed something"; fail=1; }
	grep -qi '^0x1f 0xaa' "$reg_file" || { echo "FAIL: iio_reg wrote '$(cat "$reg_file")'"; fail=1; }

	LIBIIO_LOCAL_ROOT=$tmp/root iio_ping -c 3 -i 1 -u local: > "$tmp/out" ||
		{ echo "FAIL: iio_ping of local: failed"; cat "$tmp/out"; fail=1; }
	grep -Eq '^Reply from local: seq=2 time=[0-9]+\.[0-9]{3} ms$' "$tmp/out" ||
		{ echo "FAIL: iio_ping of local: has no reply line for seq=2"; fail=1; }
else
	echo "(local backend or fixture missing: iio_reg and iio_ping local checks skipped)"
fi

[ $fail = 0 ] && echo "common options: all checks passed"
exit $fail
