#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iio_readdev / iio_writedev / iio_rwdev on the local: fixture of an AD9361
# (tests/fixtures/ad9361.sysfs): the RX core's device node is a regular file
# holding a known pattern, so exactly N samples of it must come out; the TX
# core's node must receive what stdin gave. Command-line errors and bad
# device/channel names fail clearly.
set -euo pipefail

. "$(dirname "$0")/tools-helpers.sh"
desc=$IIO_SOURCE_DIR/tests/fixtures/ad9361.sysfs
require_tools iio_info iio_readdev iio_writedev iio_rwdev
have_local_backend || skip "the local backend is not built"
[ -f "$desc" ] || skip "no fixture description $desc"

root=$tmp/root
python3 "$gen" "$root" "$desc"
export LIBIIO_LOCAL_ROOT=$root
node_of() { # device node of the device with this name
	local dir
	dir=$(grep -lx "$1" "$root"/sys/bus/iio/devices/*/name | xargs dirname)
	echo "$root/dev/$(basename "$dir")"
}
rx=cf-ad9361-lpc
tx=cf-ad9361-dds-core-lpc
rx_node=$(node_of $rx)
tx_node=$(node_of $tx)
# 4 channels of le:S12/16: 8 bytes a sample. A counter, so any shift shows.
python3 -c 'import sys; sys.stdout.buffer.write(b"".join(i.to_bytes(4, "little") for i in range(1 << 16)))' > "$tmp/pattern"
cp "$tmp/pattern" "$rx_node"

# Errors found before any streaming.
expect_failure "device 'nosuchdev' not found" iio_readdev -u local: -s 8 nosuchdev
expect_failure "channel 'nosuchchan' not found" iio_readdev -u local: -s 8 $rx nosuchchan
expect_failure "Buffer 0 is an output buffer, but input was requested" iio_readdev -u local: -s 8 $tx
expect_failure "Buffer 0 is an input buffer, but output was requested" iio_writedev -u local: -s 8 $rx
expect_failure "Buffer 0 is an input buffer, but output was requested" iio_rwdev -w -u local: -s 8 $rx
expect_failure "no buffer at index 3" iio_readdev -u local: -i 3 -s 8 $rx
expect_failure "invalid buffer size 'abc'" iio_readdev -u local: -b abc $rx
expect_failure "invalid number of samples '-5'" iio_readdev -u local: -s -5 $rx
expect_failure "cyclic mode (-c) is for writing (-w)" iio_rwdev -u local: -c $rx
expect_failure "Unable to create IIO context nosuch:" iio_readdev -u nosuch: $rx
expect_failure "trigger 'nosuchtrigger' not found" iio_readdev -u local: -t nosuchtrigger -s 8 $rx

# Without a device: one example per scan element, then the usage.
iio_readdev -u local: > "$tmp/out"
for c in voltage0 voltage1 voltage2 voltage3; do
	grep -qx "Example : iio_readdev -u local: -b 256 -s 1024 $rx $c" "$tmp/out" ||
		{ echo "FAIL: no example for $rx $c"; fail=1; }
done
grep -q "^Usage:" "$tmp/out" || { echo "FAIL: no usage after the examples"; fail=1; }
iio_writedev -u local: > "$tmp/out"
grep -qx "Example : iio_writedev -u local: -b 256 -s 1024 $tx voltage0" "$tmp/out" ||
	{ echo "FAIL: no TX example for iio_writedev"; fail=1; }

# Streaming needs the local backend's buffer I/O.
if ! iio_readdev -u local: -s 1 $rx > /dev/null 2> "$tmp/err"; then
	if grep -q "Function not implemented" "$tmp/err"; then
		skip "the local backend cannot stream samples yet (iio_buffer_open: -ENOSYS);" \
			"the command-line checks passed, the sample checks did not run"
	fi
	echo "FAIL: iio_readdev -s 1 $rx:"; cat "$tmp/err"; exit 1
fi

# Exactly N samples, all channels: the device layout, as the node holds it.
for n in 1 255 256 1000 4096; do
	cp "$tmp/pattern" "$rx_node"
	iio_readdev -u local: -s $n $rx > "$tmp/rx.bin"
	size=$(stat -c %s "$tmp/rx.bin")
	[ "$size" = $((n * 8)) ] || { echo "FAIL: -s $n gave $size bytes, not $((n * 8))"; fail=1; continue; }
	cmp -s "$tmp/rx.bin" <(head -c $((n * 8)) "$tmp/pattern") ||
		{ echo "FAIL: -s $n: the samples are not the device's"; fail=1; }
done

# The same with iio_rwdev, a small -b, options after the device.
cp "$tmp/pattern" "$rx_node"
iio_rwdev $rx -u local: -b 7 -s 100 > "$tmp/rx.bin"
cmp -s "$tmp/rx.bin" <(head -c 800 "$tmp/pattern") || { echo "FAIL: iio_rwdev -b 7 -s 100"; fail=1; }

# Two channels out of four: 4 bytes a sample.
cp "$tmp/pattern" "$rx_node"
iio_readdev -u local: -s 300 $rx voltage0 voltage1 > "$tmp/rx.bin"
size=$(stat -c %s "$tmp/rx.bin")
[ "$size" = 1200 ] || { echo "FAIL: 2 channels, -s 300 gave $size bytes, not 1200"; fail=1; }

# Benchmark: no data on stdout, a throughput summary on stderr.
cp "$tmp/pattern" "$rx_node"
iio_readdev -u local: -B -s 2048 $rx > "$tmp/rx.bin" 2> "$tmp/err"
[ ! -s "$tmp/rx.bin" ] || { echo "FAIL: -B wrote samples to stdout"; fail=1; }
grep -Eq '[0-9.]+ MiB/s' "$tmp/err" || { echo "FAIL: -B printed no throughput:"; cat "$tmp/err"; fail=1; }

# TX: the node receives stdin, N samples of it.
: > "$tx_node"
head -c 8192 "$tmp/pattern" | iio_writedev -u local: -s 1024 $tx
cmp -s <(head -c 8192 "$tx_node") <(head -c 8192 "$tmp/pattern") ||
	{ echo "FAIL: iio_writedev -s 1024: the device did not get stdin"; fail=1; }

# Ctrl-C stops an endless capture cleanly: exit status 0, within seconds.
rm -f "$rx_node" && mkfifo "$rx_node"
exec 7<> "$rx_node" # keeps the FIFO open: the capture waits for data
iio_readdev -u local: -T 30000 $rx > "$tmp/rx.bin" 2> "$tmp/err" &
pid=$!
head -c 4096 "$tmp/pattern" >&7
sleep 1
kill -INT $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
	echo "FAIL: iio_readdev still running 5 s after SIGINT"; kill -9 $pid; fail=1
elif ! wait $pid; then
	echo "FAIL: iio_readdev exited with an error after SIGINT:"; cat "$tmp/err"; fail=1
else
	size=$(stat -c %s "$tmp/rx.bin")
	if [ "$size" = 0 ] || [ $((size % 8)) != 0 ] ||
		! cmp -s "$tmp/rx.bin" <(head -c "$size" "$tmp/pattern"); then
		echo "FAIL: before SIGINT, iio_readdev wrote $size bytes, not whole samples of the node"
		fail=1
	fi
fi
exec 7>&-

[ $fail = 0 ] && echo "iio_rwdev: all checks passed"
exit $fail
