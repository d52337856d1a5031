#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Our ip: client against Debian's stock iiod 0.24 (Debian package iiod), which
# answers BINARY with -22: the client must fall back to the ASCII protocol
# silently. The stock iiod re-exports our iiod (iiod -u ip:...), so the whole
# chain is: our tools -> (ASCII) stock iiod -> (ASCII, 0.24 client) our iiod
# -> the fixture.
set -u
. "$(dirname "$0")/../integration/iiod-helpers.sh"
require_iiod
have_feature WITH_LOCAL_BACKEND || skip "the local: backend was not built"
STOCK_IIOD=/usr/sbin/iiod
[ -x "$STOCK_IIOD" ] || skip "stock iiod missing (Debian package iiod)"

tree=$(make_tree ad9361 "$FIXTURES/ad9361.sysfs")
export LIBIIO_LOCAL_ROOT=$tree
rx_node="$tree/dev/iio:device2"
tx_node="$tree/dev/iio:device1"
pattern_file "$rx_node" $((4 << 20))
start_iiod ours -u local:
ours_pid=$IIOD_PID

# The stock iiod has no ephemeral port: try a few.
stock_pid=
for try in 1 2 3 4 5; do
	stock_port=$((20000 + RANDOM % 20000))
	"$STOCK_IIOD" -p "$stock_port" -u "ip:127.0.0.1:$IIOD_PORT" >"$WORK/stock.log" 2>&1 &
	stock_pid=$!
	for i in $(seq 50); do
		if iio_attr -u "ip:127.0.0.1:$stock_port" -C >/dev/null 2>&1; then
			break 2
		fi
		kill -0 "$stock_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$stock_pid" 2>/dev/null
	wait "$stock_pid" 2>/dev/null
	stock_pid=
done
[ -n "$stock_pid" ] || fail "the stock iiod did not start: $(cat "$WORK/stock.log")"
uri="ip:127.0.0.1:$stock_port"

iio_info -u "$uri" >"$WORK/chain.txt" 2>"$WORK/chain.err" || fail "iio_info via stock iiod"
[ -s "$WORK/chain.err" ] && fail "iio_info via stock iiod printed: $(cat "$WORK/chain.err")"
iio_info -u local: >"$WORK/local.txt"
diff <(strip_context_lines <"$WORK/local.txt") <(strip_context_lines <"$WORK/chain.txt") ||
	fail "the context differs through the stock iiod"

iio_attr -u "$uri" -c ad9361-phy -o voltage0 hardwaregain -3.5 >/dev/null ||
	fail "attribute write via stock iiod"
[ "$(cat "$tree/sys/bus/iio/devices/iio:device0/out_voltage0_hardwaregain")" = "-3.5" ] ||
	fail "the write via stock iiod did not reach sysfs"

for args in "-b 1024 -s 8192" "-b 100 -s 333"; do
	# shellcheck disable=SC2086
	iio_readdev -u "$uri" $args cf-ad9361-lpc >"$WORK/chain-rx.bin" ||
		fail "readdev via stock iiod ($args)"
	# shellcheck disable=SC2086
	iio_readdev -u local: $args cf-ad9361-lpc | cmp - "$WORK/chain-rx.bin" ||
		fail "readdev via stock iiod ($args): data differs"
done
head -c $((128 << 10)) /dev/urandom >"$WORK/tx.bin"
: >"$tx_node"
iio_writedev -u "$uri" -b 1024 cf-ad9361-dds-core-lpc <"$WORK/tx.bin" ||
	fail "writedev via stock iiod"
cmp "$WORK/tx.bin" "$tx_node" || fail "writedev via stock iiod: the device got other data"

# The stock iiod takes about a minute to honour SIGTERM; our iiod must cope
# with its connections vanishing anyway.
kill -KILL "$stock_pid"
wait "$stock_pid" 2>/dev/null
stop_iiod "$ours_pid" ours
echo "PASS"
