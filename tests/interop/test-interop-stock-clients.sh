#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Debian's stock libiio 0.x tools (legacy ASCII protocol) against our iiod:
# iio_info lists the same devices, channels and attribute values as our
# iio_info on the served context; iio_attr reads and writes; iio_readdev and
# iio_writedev move the right bytes; a killed stock client frees the device.
set -u
. "$(dirname "$0")/../integration/iiod-helpers.sh"
require_iiod
have_feature WITH_LOCAL_BACKEND || skip "the local: backend was not built"
STOCK=/usr/bin
for tool in iio_info iio_attr iio_readdev iio_writedev; do
	[ -x "$STOCK/$tool" ] || skip "stock $tool missing (Debian package libiio-utils)"
done
norm() {
	python3 "$(dirname "$0")/iio_info_norm.py" "$1"
}

# ---- The AD9361-like fixture, served from local: -----------------------------
tree=$(make_tree ad9361 "$FIXTURES/ad9361.sysfs")
export LIBIIO_LOCAL_ROOT=$tree
rx_node="$tree/dev/iio:device2"
tx_node="$tree/dev/iio:device1"
pattern_file "$rx_node" $((4 << 20))

start_iiod local -u local:
pid=$IIOD_PID
uri="ip:127.0.0.1:$IIOD_PORT"

"$STOCK/iio_info" -u "$uri" >"$WORK/stock.txt" 2>"$WORK/stock.err" ||
	fail "stock iio_info failed: $(cat "$WORK/stock.err")"
iio_info -u local: >"$WORK/ours.txt" || fail "our iio_info -u local: failed"
norm "$WORK/stock.txt" >"$WORK/stock.n"
norm "$WORK/ours.txt" >"$WORK/ours.n"
[ "$(wc -l <"$WORK/ours.n")" -gt 150 ] || fail "too little to compare: $(wc -l <"$WORK/ours.n")"
diff "$WORK/ours.n" "$WORK/stock.n" || fail "stock iio_info sees another context"
grep -q "ERROR" "$WORK/stock.txt" && fail "stock iio_info printed errors"
echo "stock iio_info: $(wc -l <"$WORK/ours.n") devices/channels/attributes identical"

# iio_attr: read, write (the value reaches sysfs), read back.
[ "$("$STOCK/iio_attr" -u "$uri" -d ad9361-phy ensm_mode)" = "fdd" ] ||
	fail "stock iio_attr read"
"$STOCK/iio_attr" -u "$uri" -o -c ad9361-phy voltage0 hardwaregain -7.25 >/dev/null ||
	fail "stock iio_attr write"
[ "$(cat "$tree/sys/bus/iio/devices/iio:device0/out_voltage0_hardwaregain")" = "-7.25" ] ||
	fail "stock iio_attr write did not reach sysfs"
[ "$("$STOCK/iio_attr" -u "$uri" -o -c ad9361-phy voltage0 hardwaregain)" = "-7.25" ] ||
	fail "stock iio_attr read back"
"$STOCK/iio_attr" -u "$uri" -D ad9361-phy direct_reg_access >/dev/null ||
	fail "stock iio_attr debug read"

# iio_readdev: the device's bytes, whole blocks or not.
for args in "-b 1024 -s 4096" "-b 256 -s 1000" "-b 4096 -s 100000"; do
	# shellcheck disable=SC2086
	"$STOCK/iio_readdev" -u "$uri" $args cf-ad9361-lpc >"$WORK/stock-rx.bin" ||
		fail "stock iio_readdev $args failed"
	# shellcheck disable=SC2086
	iio_readdev -u local: $args cf-ad9361-lpc >"$WORK/local-rx.bin"
	cmp "$WORK/local-rx.bin" "$WORK/stock-rx.bin" || fail "stock iio_readdev $args: data differs"
done
echo "stock iio_readdev: data identical"

# iio_writedev: the device gets exactly the bytes.
head -c $((256 << 10)) /dev/urandom >"$WORK/tx.bin"
: >"$tx_node"
"$STOCK/iio_writedev" -u "$uri" -b 1024 cf-ad9361-dds-core-lpc <"$WORK/tx.bin" ||
	fail "stock iio_writedev failed"
cmp "$WORK/tx.bin" "$tx_node" || fail "stock iio_writedev: the device got other data"
echo "stock iio_writedev: data identical"

# A stock client and ours at the same time, on different devices.
: >"$tx_node"
"$STOCK/iio_readdev" -u "$uri" -b 512 -s 50000 cf-ad9361-lpc >"$WORK/p-stock.bin" &
p1=$!
iio_writedev -u "$uri" -b 512 cf-ad9361-dds-core-lpc <"$WORK/tx.bin" &
p2=$!
wait "$p1" || fail "concurrent stock readdev"
wait "$p2" || fail "concurrent writedev"
iio_readdev -u local: -b 512 -s 50000 cf-ad9361-lpc | cmp - "$WORK/p-stock.bin" ||
	fail "concurrent stock readdev data"
cmp "$WORK/tx.bin" "$tx_node" || fail "concurrent writedev data"

# A stock client killed mid-stream: the device is free again afterwards.
truncate -s 4G "$rx_node"
mkfifo "$WORK/stalled"
sleep 600 <"$WORK/stalled" &
sleeper=$!
"$STOCK/iio_readdev" -u "$uri" -b 65536 cf-ad9361-lpc >"$WORK/stalled" &
reader=$!
sleep 1
kill -0 "$reader" 2>/dev/null || fail "the stock streaming client ended early"
kill -KILL "$reader"
kill -TERM "$sleeper"
wait "$reader" "$sleeper" 2>/dev/null
pattern_file "$rx_node" $((1 << 20))
ok=
for i in $(seq 50); do
	if "$STOCK/iio_readdev" -u "$uri" -b 256 -s 2048 cf-ad9361-lpc >"$WORK/after.bin" 2>/dev/null
	then
		ok=1
		break
	fi
	sleep 0.1
done
[ -n "$ok" ] || fail "the device stayed busy after the stock client was killed"
iio_readdev -u local: -b 256 -s 2048 cf-ad9361-lpc | cmp - "$WORK/after.bin" ||
	fail "data after the kill differs"
echo "killed stock client: device released"
stop_iiod "$pid" local

# ---- The FMComms2 description, served from xml: --------------------------------
xml="$XML_FIXTURES/fmcomms2.xml"
if [ -f "$xml" ]; then
	start_iiod xml -u "xml:$xml"
	"$STOCK/iio_info" -u "ip:127.0.0.1:$IIOD_PORT" >"$WORK/xstock.txt" 2>&1 ||
		fail "stock iio_info on the xml: context failed"
	iio_info -u "xml:$xml" >"$WORK/xours.txt"
	norm "$WORK/xstock.txt" >"$WORK/xstock.n"
	norm "$WORK/xours.txt" >"$WORK/xours.n"
	diff "$WORK/xours.n" "$WORK/xstock.n" || fail "stock iio_info sees another xml: context"
	stop_iiod "$IIOD_PID" xml
fi
echo "PASS"
