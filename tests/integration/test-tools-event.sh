#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iio_event on a local: fixture tree. The host kernel has no IIO, so a small
# LD_PRELOAD shim stands in for the one kernel piece the tool needs:
# IIO_GET_EVENT_FD_IOCTL on <root>/dev/<id> returns a FIFO of this test
# (<fifos>/<id>), into which the test writes struct iio_event_data records.
# Everything else (context, chardev open/close, poll, read, the signal ending
# the blocking read through iio_event_stream_destroy) is the real program.
set -euo pipefail

. "$(dirname "$0")/tools-helpers.sh"
require_tools iio_info iio_event
have_local_backend || skip "no local backend"
cc=${CC:-cc}
command -v "$cc" > /dev/null || skip "no C compiler ($cc) for the ioctl shim"

cat > "$tmp/shim.c" <<'EOF'
/* IIO_GET_EVENT_FD_IOCTL on a file named <id>: open $IIO_TEST_EVENT_FIFOS/<id>. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real)(int, unsigned long, ...);
	const char *dir = getenv("IIO_TEST_EVENT_FIFOS");
	char link[64], path[PATH_MAX], fifo[PATH_MAX];
	void *arg;
	va_list ap;
	ssize_t n;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (request == 0x80046990UL && dir) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = '\0';
			snprintf(fifo, sizeof(fifo), "%s/%s", dir, strrchr(path, '/') + 1);
			if (!access(fifo, F_OK)) {
				/* O_RDWR: no EOF when the test's writer goes away. */
				int efd = open(fifo, O_RDWR | O_CLOEXEC);

				if (efd < 0)
					return -1;
				*(int *)arg = efd;
				return 0;
			}
		}
	}
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	return real(fd, request, arg);
}
EOF
"$cc" -shared -fPIC -O1 -o "$tmp/shim.so" "$tmp/shim.c" -ldl

python3 "$gen" "$tmp/root" "$IIO_SOURCE_DIR/tests/fixtures/adxl345.sysfs" \
	"$IIO_SOURCE_DIR/tests/fixtures/parser-rules.sysfs" "$IIO_SOURCE_DIR/tests/fixtures/hwmon.sysfs"
mkdir "$tmp/fifos"
mkfifo "$tmp/fifos/iio:device1" "$tmp/fifos/iio:device2"

export LIBIIO_LOCAL_ROOT=$tmp/root IIO_TEST_EVENT_FIFOS=$tmp/fifos
# A sanitizer build would refuse a preloaded library loaded before its runtime.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
shimmed() { LD_PRELOAD=$tmp/shim.so "$@"; }

# Writes events to a device's FIFO: "code timestamp" pairs (code in any base).
send() {
	local id=$1; shift
	timeout 10 python3 - "$tmp/fifos/$id" "$@" <<'EOF'
import struct, sys
path, args = sys.argv[1], sys.argv[2:]
data = b"".join(struct.pack("<Qq", int(args[i], 0), int(args[i + 1]))
                for i in range(0, len(args), 2))
with open(path, "wb") as f:
    f.write(data)
EOF
}
# Event code: type chan_type chan modifier direction [chan2 (differential)].
code() {
	local c=$(( ($1 << 56) | ($5 << 48) | ($4 << 40) | ($2 << 32) | ($3 & 0xffff) ))
	[ $# -gt 5 ] && c=$(( c | (1 << 55) | (($6 & 0xffff) << 16) ))
	printf '0x%x' "$c"
}
# Waits until a file has n lines.
wait_lines() {
	local file=$1 n=$2 _
	for _ in $(seq 200); do
		[ "$(wc -l < "$file")" -ge "$n" ] && return 0
		sleep 0.05
	done
	echo "FAIL: $file: $(wc -l < "$file") lines, expected $n"; cat "$file"; fail=1
	return 1
}
# Starts iio_event on a device in the background; $! is its pid (a simple
# command: no subshell in between to receive the signals).
start() {
	local name=$1
	LD_PRELOAD=$tmp/shim.so iio_event -u local: "$name" > "$tmp/$name.out" 2> "$tmp/$name.err" &
	pids+=($!)
}
# Sends a signal, checks the exit status 0 and that nothing went to stderr.
stop() {
	local name=$1 pid=$2 sig=$3 rc=0
	kill -"$sig" "$pid"
	wait "$pid" || rc=$?
	[ $rc = 0 ] ||
		{ echo "FAIL: iio_event $name: exit $rc after SIG$sig"; cat "$tmp/$name.err"; fail=1; }
	[ ! -s "$tmp/$name.err" ] ||
		{ echo "FAIL: iio_event $name: stderr:"; cat "$tmp/$name.err"; fail=1; }
}

VOLTAGE=0 TEMP=9 THRESH=0 MAG=1 CHANGE=5 GESTURE=7 FAULT=8
EITHER=0 RISING=1 FALLING=2 NONE=3 SINGLETAP=4 OPENWIRE=6

# xadc: channels with extended names, every output form of the line.
start xadc; pid=$!
send iio:device1 "$(code $THRESH $VOLTAGE 0 0 $RISING)" 1000 \
	"$(code $THRESH $TEMP 0 0 $FALLING)" -5 \
	"$(code $MAG $VOLTAGE 2 0 $EITHER)" 9223372036854775807
send iio:device1 "$(code $CHANGE $VOLTAGE 7 0 $NONE)" 3 \
	"$(code $GESTURE $TEMP 0 0 $SINGLETAP)" 4 \
	"$(code $FAULT $VOLTAGE 1 0 $OPENWIRE)" 5 \
	"$(code 12 $VOLTAGE 1 0 9)" 6
wait_lines "$tmp/xadc.out" 7 && stop xadc $pid INT
cat > "$tmp/want" <<'EOF'
Event: time: 1000, channel(s): voltage0, evtype: thresh, direction: rising
Event: time: -5, channel(s): temp0, evtype: thresh, direction: falling
Event: time: 9223372036854775807, channel(s): voltage2, evtype: mag, direction: either
Event: time: 3, evtype: change
Event: time: 4, channel(s): temp0, evtype: gesture, direction: singletap
Event: time: 5, channel(s): voltage1, evtype: fault, direction: openwire
Event: time: 6, channel(s): voltage1, evtype: unknown (12), direction: unknown (9)
EOF
diff -u "$tmp/want" "$tmp/xadc.out" || { echo "FAIL: iio_event xadc output"; fail=1; }

# ad7124-8: a differential channel is named once, by its own id; SIGTERM ends it too.
start ad7124-8; pid=$!
send iio:device2 "$(code $THRESH $VOLTAGE 2 0 $RISING 3)" 42 \
	"$(code $THRESH $VOLTAGE 4 0 $FALLING)" 43
wait_lines "$tmp/ad7124-8.out" 2 && stop ad7124-8 $pid TERM
cat > "$tmp/want" <<'EOF'
Event: time: 42, channel(s): voltage2-voltage3, evtype: thresh, direction: rising
Event: time: 43, channel(s): voltage4, evtype: thresh, direction: falling
EOF
diff -u "$tmp/want" "$tmp/ad7124-8.out" || { echo "FAIL: iio_event ad7124-8 output"; fail=1; }

# Idle in its blocking read, SIGHUP ends it at once with nothing printed.
start xadc; pid=$!
sleep 0.5
stop xadc $pid HUP
[ ! -s "$tmp/xadc.out" ] || { echo "FAIL: idle iio_event printed something"; fail=1; }

# A truncated record: a clear error, exit 1.
start xadc; pid=$!
sleep 0.2
timeout 10 sh -c 'printf 12345678 > "$1"' sh "$tmp/fifos/iio:device1"
timeout 10 tail --pid=$pid -f /dev/null || true
wait $pid && { echo "FAIL: iio_event survived a truncated record"; fail=1; }
grep -qx 'Unable to read events from xadc: Input/output error (-5)' "$tmp/xadc.err" ||
	{ echo "FAIL: truncated record: stderr:"; cat "$tmp/xadc.err"; fail=1; }

# Errors (each message must be a whole line of stderr).
# Without the shim the fixture's /dev node is a plain file: no event interface.
expect_failure -x "Unable to open the event stream of adxl345: No such device (-19)" \
	iio_event -u local: adxl345
expect_failure -x "Unable to open the event stream of hwmon0: No such device (-19)" \
	iio_event -u local: hwmon0
expect_failure -x "Unable to open the event stream of trigger0: No such device (-19)" \
	shimmed iio_event -u local: trigger0
expect_failure -x "Unable to find device 'nodev'" iio_event -u local: nodev
expect_failure -x "Incorrect number of arguments." iio_event -u local: xadc ad7124-8
iio_event > "$tmp/out" && grep -q '^Usage:' "$tmp/out" ||
	{ echo "FAIL: iio_event alone: no usage"; fail=1; }

[ $fail = 0 ] && echo "iio_event: all checks passed"
exit $fail
