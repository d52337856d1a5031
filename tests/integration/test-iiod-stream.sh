#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Streaming through iiod and ip: (binary protocol): the samples a client
# reads are the device's, byte for byte, whatever the block size; written
# samples land in the device; several clients at once; a client killed in
# the middle of a stream frees its buffer for the next one.
set -u
. "$(dirname "$0")/iiod-helpers.sh"
require_iiod
have_feature WITH_LOCAL_BACKEND || skip "the local: backend was not built"

tree=$(make_tree ad9361 "$FIXTURES/ad9361.sysfs")
export LIBIIO_LOCAL_ROOT=$tree
rx_node="$tree/dev/iio:device2"     # cf-ad9361-lpc: 4 x 16-bit input channels
tx_node="$tree/dev/iio:device1"     # cf-ad9361-dds-core-lpc: 4 x 16-bit outputs
pattern_file "$rx_node" $((8 << 20))

start_iiod stream -u local:
pid=$IIOD_PID
uri="ip:127.0.0.1:$IIOD_PORT"

# ---- RX: same bytes as the local backend reads, several block sizes --------
for bs in 16 256 4096 65536; do
	samples=$((bs * 5 + 3))
	iio_readdev -u local: -b "$bs" -s "$samples" cf-ad9361-lpc >"$WORK/local.bin" ||
		fail "local readdev -b $bs failed"
	iio_readdev -u "$uri" -b "$bs" -s "$samples" cf-ad9361-lpc >"$WORK/remote.bin" ||
		fail "readdev over ip: -b $bs failed"
	[ "$(stat -c %s "$WORK/remote.bin")" -eq $((samples * 8)) ] ||
		fail "readdev -b $bs: $(stat -c %s "$WORK/remote.bin") bytes, expected $((samples * 8))"
	cmp "$WORK/local.bin" "$WORK/remote.bin" || fail "readdev -b $bs: data differs"
done
echo "RX ok"

# ---- TX: the device receives exactly what was written ------------------------
head -c $((1 << 20)) /dev/urandom >"$WORK/tx.bin"
for bs in 64 4096; do
	: >"$tx_node"
	iio_writedev -u "$uri" -b "$bs" cf-ad9361-dds-core-lpc <"$WORK/tx.bin" ||
		fail "writedev over ip: -b $bs failed"
	cmp "$WORK/tx.bin" "$tx_node" || fail "writedev -b $bs: the device got other data"
done
echo "TX ok"

# ---- Several clients at once ---------------------------------------------------
: >"$tx_node"
pids=()
iio_readdev -u "$uri" -b 1024 -s 200000 cf-ad9361-lpc >"$WORK/c-rx.bin" &
pids+=($!)
iio_writedev -u "$uri" -b 1024 cf-ad9361-dds-core-lpc <"$WORK/tx.bin" &
pids+=($!)
for i in 1 2 3 4; do
	(for j in 1 2 3; do iio_info -u "$uri" >"$WORK/c-info-$i.txt" || exit 1; done) &
	pids+=($!)
	(for j in $(seq 20); do
		iio_attr -u "$uri" -d ad9361-phy ensm_mode >/dev/null || exit 1
	done) &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || fail "a concurrent client failed"
done
iio_readdev -u local: -b 1024 -s 200000 cf-ad9361-lpc >"$WORK/c-local.bin"
cmp "$WORK/c-local.bin" "$WORK/c-rx.bin" || fail "concurrent RX data differs"
cmp "$WORK/tx.bin" "$tx_node" || fail "concurrent TX data differs"
for i in 1 2 3 4; do
	cmp "$WORK/c-info-1.txt" "$WORK/c-info-$i.txt" >/dev/null || fail "iio_info outputs differ"
done
echo "concurrency ok"

# ---- A client killed in the middle of a stream ------------------------------------
# A big device (zeros) and a client that stops reading its stdout: the server
# ends up blocked sending to it, then the client dies.
truncate -s 4G "$rx_node"
mkfifo "$WORK/stalled"
sleep 600 <"$WORK/stalled" &
sleeper=$!
iio_readdev -u "$uri" -b 65536 cf-ad9361-lpc >"$WORK/stalled" &
reader=$!
sleep 1
kill -0 "$reader" 2>/dev/null || fail "the streaming client ended early"
kill -KILL "$reader"
kill -TERM "$sleeper"
wait "$reader" "$sleeper" 2>/dev/null
# Its buffer must be released: the next client gets the device.
pattern_file "$rx_node" $((1 << 20))
ok=
for i in $(seq 50); do
	if iio_readdev -u "$uri" -b 256 -s 1024 cf-ad9361-lpc >"$WORK/after.bin" 2>"$WORK/after.err"; then
		ok=1
		break
	fi
	sleep 0.1
done
[ -n "$ok" ] || fail "the device stayed busy after its client was killed: $(cat "$WORK/after.err")"
iio_readdev -u local: -b 256 -s 1024 cf-ad9361-lpc | cmp - "$WORK/after.bin" ||
	fail "data after the kill differs"
echo "killed client ok"

stop_iiod "$pid" stream

# The server dies in the middle of a stream: the client fails, promptly.
truncate -s 4G "$rx_node"
start_iiod victim -u local:
iio_readdev -u "ip:127.0.0.1:$IIOD_PORT" -b 65536 cf-ad9361-lpc >/dev/null 2>"$WORK/orphan.err" &
reader=$!
sleep 1
kill -0 "$reader" 2>/dev/null || fail "the streaming client ended early: $(cat "$WORK/orphan.err")"
kill -KILL "$IIOD_PID"
wait "$IIOD_PID" 2>/dev/null
IIOD_PIDS=()
for i in $(seq 50); do
	kill -0 "$reader" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$reader" 2>/dev/null; then
	kill -KILL "$reader"
	fail "the client hangs after its server died"
fi
wait "$reader" && fail "the client did not report the lost server"
echo "server death ok"
echo "PASS"
