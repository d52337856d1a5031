# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the test-iiod-*.sh scripts (and tests/interop): start/stop an iiod
# of this build on an ephemeral port, fixture trees, small assertions.
# Needs IIO_BUILD_DIR and IIO_SOURCE_DIR (set by ctest).

set -u

: "${IIO_BUILD_DIR:?run through ctest, or set IIO_BUILD_DIR}"
: "${IIO_SOURCE_DIR:?run through ctest, or set IIO_SOURCE_DIR}"
export PATH="$IIO_BUILD_DIR/tools:$IIO_BUILD_DIR/iiod:$PATH"
export LD_LIBRARY_PATH="$IIO_BUILD_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

IIOD_BIN="$IIO_BUILD_DIR/iiod/iiod"
FIXTURES="$IIO_SOURCE_DIR/tests/fixtures"
XML_FIXTURES=${XML_FIXTURES:-${IIO_XML_FIXTURES:-/work/shared/fixtures/xml}}
[ -d "$XML_FIXTURES" ] || XML_FIXTURES="$IIO_SOURCE_DIR/tests/fixtures/xml"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# Whether this build has a feature of iio-config.h (WITH_LOCAL_BACKEND ...).
have_feature() {
	grep -q "#define $1 1" "$IIO_BUILD_DIR/iio-config.h"
}

require_iiod() {
	[ -x "$IIOD_BIN" ] || skip "iiod was not built"
	have_feature WITH_NETWORK_BACKEND || skip "the ip: backend was not built"
}

# A work directory removed at exit (with every iiod we started stopped first).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/iiod-test.XXXXXX")
IIOD_PIDS=()
cleanup() {
	local pid
	for pid in "${IIOD_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	jobs -p | xargs -r kill -TERM 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# start_iiod NAME [iiod options...]: an iiod on a free port, its log in
# $WORK/NAME.log; sets IIOD_PID and IIOD_PORT.
start_iiod() {
	local name=$1 i
	shift
	"$IIOD_BIN" -p 0 --no-dnssd "$@" >"$WORK/$name.log" 2>&1 &
	IIOD_PID=$!
	IIOD_PIDS+=("$IIOD_PID")
	IIOD_PORT=
	for i in $(seq 200); do
		IIOD_PORT=$(sed -n 's/.*serving on TCP port \([0-9][0-9]*\).*/\1/p' "$WORK/$name.log")
		[ -n "$IIOD_PORT" ] && return 0
		if ! kill -0 "$IIOD_PID" 2>/dev/null; then
			cat "$WORK/$name.log" >&2
			fail "iiod $* did not start"
		fi
		sleep 0.05
	done
	cat "$WORK/$name.log" >&2
	fail "iiod $* did not say which port it listens on"
}

# stop_iiod PID NAME: SIGTERM, then the exit status must be 0 (a sanitizer
# build reports leaks and errors through it) and the log free of them.
stop_iiod() {
	local pid=$1 name=$2 status=0
	kill -TERM "$pid" || fail "iiod ($name) died before the end of the test"
	wait "$pid" || status=$?
	IIOD_PIDS=("${IIOD_PIDS[@]/$pid/}")
	if [ "$status" -ne 0 ] || grep -qE "AddressSanitizer|LeakSanitizer|runtime error" \
		"$WORK/$name.log"; then
		cat "$WORK/$name.log" >&2
		fail "iiod ($name) exited with status $status"
	fi
}

# make_tree NAME INPUT...: a local: fixture tree under $WORK/NAME.
make_tree() {
	local name=$1
	shift
	python3 "$FIXTURES/gen-sysfs.py" --clean "$WORK/$name" "$@" >/dev/null ||
		fail "gen-sysfs.py $* failed"
	echo "$WORK/$name"
}

# pattern_file PATH BYTES: a little-endian 16-bit counter, BYTES long.
pattern_file() {
	python3 - "$1" "$2" <<'EOF'
import array, sys
n = int(sys.argv[2])
period = array.array("H", range(65536))
if sys.byteorder != "little":
    period.byteswap()
period = period.tobytes()
with open(sys.argv[1], "wb") as f:
    while n > 0:
        f.write(period[:n])
        n -= len(period)
EOF
}

# Lines of an iio_info output that depend on how the context was reached;
# context attributes (one tab deep) are kept without their numbers, minus
# the ones the backend adds.
strip_context_lines() {
	grep -vE "IIO context created with|Backend description string|IIO context has [0-9]+ attributes|^iio_info version|Libiio version|Backend version|Compiled with backends|Library version" |
		sed -E 's/^\tattr +[0-9]+: /\tattr: /' | grep -vE "^\s*(attr: )?(ip,ip-addr|uri)[: ]"
}
