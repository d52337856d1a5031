#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iio_stresstest against the local: fixture of an AD9361 (its RX node a plain
# file of samples, or a FIFO that never delivers) and against an iiod of this
# build serving that fixture over ip:. Each run must end by itself at -T, or
# on SIGINT/SIGTERM within seconds, with exit status 0 and a report whose
# numbers add up; the -vv/-vvv traces must agree with the report; iiod must
# still serve correct samples after the stress and exit cleanly; bad
# command lines fail with a clear message. Under a sanitizer build, any
# report from ASan/UBSan/LSan fails the check that ran the program.
set -euo pipefail
. "$(dirname "$0")/iiod-helpers.sh"
. "$(dirname "$0")/tools-helpers.sh"
trap 'tools_cleanup; cleanup' EXIT # both helpers' clean-ups

require_tools iio_stresstest iio_readdev iio_info
have_local_backend || skip "the local backend is not built"
desc=$FIXTURES/ad9361.sysfs
[ -f "$desc" ] || skip "no fixture description $desc"

tree=$(make_tree stress "$desc")
export LIBIIO_LOCAL_ROOT=$tree
rx=cf-ad9361-lpc
tx=cf-ad9361-dds-core-lpc
rx_node="$tree/dev/iio:device2" # 4 channels of 16 bits: 8 bytes a sample
# Big enough that no stream of a run reaches its end (32 blocks of 4096 samples).
pattern_file "$rx_node" $((8 << 20))
grep -qx "$rx" "$tree/sys/bus/iio/devices/iio:device2/name" || fail "fixture layout changed"

# check_report OUT THREADS [CONTEXTS_TRACE BUFFERS_TRACE BLOCKS_TRACE]: the
# report of a run with THREADS threads is well formed and adds up; the
# optional counts (from -vv/-vvv traces) must equal its totals.
cat >"$tmp/check_report.py" <<'EOF'
import re
import sys

out, threads = sys.argv[1], int(sys.argv[2])
trace = [int(x) for x in sys.argv[3:]]
lines = open(out).read().splitlines()
errors = []
per = re.compile(r"^ ?(\d+): Ran : (\d+) times, opening (\d+) buffers, doing (\d+) refills$")
tot = re.compile(r"^total: (\d+)h(\d\d)m(\d\d)s Context : (\d+) \((\d+\.\d)/s\), "
                 r"buffers: (\d+) \((\d+\.\d)/s\), refills : (\d+) \((\d+\.\d)/s\)$")
sums = [0, 0, 0]
ids = []
i = 0
while i < len(lines) and per.match(lines[i]):
    m = per.match(lines[i])
    ids.append(int(m.group(1)))
    for k in range(3):
        sums[k] += int(m.group(k + 2))
    i += 1
if ids != list(range(threads)):
    errors.append("thread lines %s, expected 0..%d" % (ids, threads - 1))
m = tot.match(lines[i]) if i < len(lines) else None
if not m:
    errors.append("no total line after the thread lines: %r" % lines[i:i + 1])
    contexts = buffers = refills = None
else:
    contexts, buffers, refills = int(m.group(4)), int(m.group(6)), int(m.group(8))
    if buffers != sums[1] or refills != sums[2]:
        errors.append("totals %d buffers %d refills, the threads say %d and %d"
                      % (buffers, refills, sums[1], sums[2]))
    # A context counts once created; a run once it is torn down.
    if contexts < sums[0]:
        errors.append("%d contexts for %d completed runs" % (contexts, sums[0]))
    i += 1
if i < len(lines) and not re.match(r"^completed runs: %d, errors: \d+ context, \d+ stream, "
                                   r"\d+ block$" % sums[0], lines[i]):
    errors.append("bad errors line: %r" % lines[i])
i += 1
gaps = 0
if contexts is not None and contexts < 2:
    if lines[i:] != ["Context creation gaps: none (fewer than 2 contexts created)"]:
        errors.append("bad histogram for %d contexts: %r" % (contexts, lines[i:]))
elif i < len(lines) and lines[i].startswith("Context creation gaps (") and len(lines) > i + 1:
    for line in lines[i + 1:]:
        h = re.match(r"^ +(\d+) - +(\d+) ms: (\d+)$", line) or \
            re.match(r"^  >= +(\d+) ms +: (\d+)$", line)
        if not h:
            errors.append("bad histogram line %r" % line)
            continue
        gaps += int(h.groups()[-1])
    if contexts is not None and gaps != contexts - 1:
        errors.append("histogram counts %d gaps between %d contexts" % (gaps, contexts))
else:
    errors.append("no histogram: %r" % lines[i:])
if trace and contexts is not None and trace != [contexts, buffers, refills]:
    errors.append("traces count contexts/streams/blocks %s, the report %s"
                  % (trace, [contexts, buffers, refills]))
for e in errors:
    print("FAIL: report: " + e)
sys.exit(1 if errors else 0)
EOF

# total_of OUT FIELD: a number of the total line (Context, buffers, refills).
total_of() {
	sed -nE "s/^total: .* $2 ?: ([0-9]+) .*/\1/p" "$1"
}
errors_of() { # OUT KIND (context, stream, block)
	sed -nE "s/^completed runs: .* ([0-9]+) $2.*/\1/p" "$1"
}

# sanitizer_clean NAME: no sanitizer report in $tmp/NAME.err.
sanitizer_clean() {
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error|ThreadSanitizer" "$tmp/$1.err"; then
		echo "FAIL: $1: sanitizer report:"
		cat "$tmp/$1.err"
		fail=1
		return 1
	fi
}

# run_timed NAME MIN MAX ARGS...: iio_stresstest ARGS must exit 0 after MIN to
# MAX seconds; stdout and stderr in $tmp/NAME.out and .err.
run_timed() {
	local name=$1 min=$2 max=$3 start end status=0
	shift 3
	start=$(date +%s%N)
	timeout -s KILL $((max + 30)) iio_stresstest "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" ||
		status=$?
	end=$(date +%s%N)
	local ms=$(((end - start) / 1000000))
	sanitizer_clean "$name" || return 1
	if [ $status != 0 ]; then
		echo "FAIL: $name: iio_stresstest $* exited with status $status:"
		cat "$tmp/$name.err"
		fail=1
		return 1
	fi
	if [ $ms -lt $((min * 1000)) ] || [ $ms -gt $((max * 1000)) ]; then
		echo "FAIL: $name: iio_stresstest $* took $ms ms, not ${min}..${max} s"
		fail=1
		return 1
	fi
}

# run_signal NAME SIGNAL ARGS...: iio_stresstest ARGS, no time limit, gets
# SIGNAL after 2 s and must then exit 0 within 5 s.
run_signal() {
	local name=$1 sig=$2 pid status=0
	shift 2
	iio_stresstest "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	pids+=("$pid")
	sleep 2
	kill -0 "$pid" 2>/dev/null || { echo "FAIL: $name: ended before the signal"; cat "$tmp/$name.err"; fail=1; return 1; }
	kill "-$sig" "$pid"
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "FAIL: $name: still running 5 s after SIG$sig"
		kill -9 "$pid"
		fail=1
		return 1
	fi
	wait "$pid" || status=$?
	sanitizer_clean "$name" || return 1
	if [ $status != 0 ]; then
		echo "FAIL: $name: exit status $status after SIG$sig:"
		cat "$tmp/$name.err"
		fail=1
		return 1
	fi
}

# ---- Command-line errors, before any thread starts ----------------------------
expect_failure "device 'nosuchdev' not found" iio_stresstest -u local: -T 1 nosuchdev
expect_failure "input channel 'nosuchchan' not found" iio_stresstest -u local: -T 1 $rx nosuchchan
expect_failure "is an output buffer" iio_stresstest -u local: -T 1 $tx
expect_failure "no device given" iio_stresstest -u local:
grep -q '^Usage:' "$tmp/err" || { echo "FAIL: no usage after 'no device given'"; fail=1; }
expect_failure "invalid timeout 'x'" iio_stresstest -T x $rx
expect_failure "invalid number of threads 'many'" iio_stresstest -t many $rx
expect_failure "invalid buffer size '-4'" iio_stresstest -b -4 $rx
expect_failure "Unable to create IIO context nosuch:" iio_stresstest -u nosuch: -T 5 $rx
# Clamped values are said; the run still checks the device.
expect_failure "timeout 100000 s clamped to 86400 s" iio_stresstest -u local: -T 100000 nosuchdev
expect_failure "number of threads '5000' clamped to 1024" iio_stresstest -u local: -t 5000 nosuchdev
expect_failure "buffer size '1' clamped to" iio_stresstest -u local: -b 1 nosuchdev
# Nothing listens there: retried until -T, then a clear error, in time.
start=$(date +%s)
expect_failure "Unable to create IIO context ip:127.0.0.1:1: " iio_stresstest -u ip:127.0.0.1:1 -T 2 $rx
[ $(($(date +%s) - start)) -le 10 ] || { echo "FAIL: the retries did not stop at -T"; fail=1; }
grep -q "Waiting for IIO context ip:127.0.0.1:1" "$tmp/err" ||
	{ echo "FAIL: no 'Waiting for IIO context' message"; cat "$tmp/err"; fail=1; }
[ "$(grep -c 'Waiting for' "$tmp/err")" = 1 ] ||
	{ echo "FAIL: the same error was said more than once"; cat "$tmp/err"; fail=1; }

# ---- local: ------------------------------------------------------------------------
# Ends by itself after -T; streams and blocks happen; the report adds up.
if run_timed local 2 15 -u local: -T 2 -t 3 $rx; then
	python3 "$tmp/check_report.py" "$tmp/local.out" 3 || fail=1
	[ "$(total_of "$tmp/local.out" buffers)" -gt 0 ] &&
		[ "$(total_of "$tmp/local.out" refills)" -gt 0 ] ||
		{ echo "FAIL: local: no stream or no block in 2 s"; cat "$tmp/local.out"; fail=1; }
	[ "$(errors_of "$tmp/local.out" block)" = 0 ] ||
		{ echo "FAIL: local: blocks failed on a file of samples"; cat "$tmp/local.out"; fail=1; }
fi

# --duration is -T; two channels; the default thread count is 4 per CPU.
cpus=$(getconf _NPROCESSORS_ONLN)
if run_timed duration 1 15 -u local: --duration 1 $rx voltage0 voltage3; then
	python3 "$tmp/check_report.py" "$tmp/duration.out" $((cpus * 4 > 1024 ? 1024 : cpus * 4)) ||
		fail=1
fi

# -a with a backend list: the word after it is the list, not the device; the
# threads use the URI the scan found.
if run_timed auto 1 15 -t 2 $rx -T 1 -a local; then
	python3 "$tmp/check_report.py" "$tmp/auto.out" 2 || fail=1
	grep -qx 'Using auto-detected IIO context at URI "local:"' "$tmp/auto.err" ||
		{ echo "FAIL: auto: no 'Using auto-detected' line"; cat "$tmp/auto.err"; fail=1; }
fi

# One thread, -vvv: one trace line per context, stream and block, as counted.
if run_timed verbose 1 15 -u local: -T 1 -t 1 -vvv $rx; then
	python3 "$tmp/check_report.py" "$tmp/verbose.out" 1 \
		"$(grep -c '^iio_stresstest:  0: context created$' "$tmp/verbose.err")" \
		"$(grep -c '^iio_stresstest:  0: stream opened, [0-9]* blocks to take$' "$tmp/verbose.err")" \
		"$(grep -c '^iio_stresstest:  0: block$' "$tmp/verbose.err")" || fail=1
fi
# Without -v: silent on stderr, even when the threads compete for the buffer.
[ ! -s "$tmp/local.err" ] || { echo "FAIL: stderr without -v:"; head "$tmp/local.err"; fail=1; }

# SIGINT and SIGTERM end an unlimited run, with the report.
for sig in INT TERM; do
	if run_signal "local-$sig" $sig -u local: -t 4 -b 1024 $rx; then
		python3 "$tmp/check_report.py" "$tmp/local-$sig.out" 4 || fail=1
	fi
done

# A device that never delivers: the threads wait in their streams, and the
# end (-T, then a signal) must still come on time.
rm -f "$rx_node"
mkfifo "$rx_node"
exec 7<>"$rx_node" # a writer that writes nothing: reads wait, no end of file
if run_timed fifo 2 10 -u local: -T 2 -t 4 $rx; then
	python3 "$tmp/check_report.py" "$tmp/fifo.out" 4 || fail=1
	[ "$(total_of "$tmp/fifo.out" refills)" = 0 ] ||
		{ echo "FAIL: fifo: blocks from a device without data"; fail=1; }
fi
run_signal fifo-INT INT -u local: -t 4 $rx || true
exec 7>&-
pattern_file "$rx_node.new" $((8 << 20))
mv "$rx_node.new" "$rx_node"

# ---- ip: through iiod ------------------------------------------------------------------
if [ -x "$IIOD_BIN" ] && have_feature WITH_NETWORK_BACKEND; then
	start_iiod stress -u local:
	uri="ip:127.0.0.1:$IIOD_PORT"
	if run_timed ip 3 20 -u "$uri" -T 3 -t 6 $rx; then
		python3 "$tmp/check_report.py" "$tmp/ip.out" 6 || fail=1
		[ "$(total_of "$tmp/ip.out" refills)" -gt 0 ] ||
			{ echo "FAIL: ip: no block in 3 s"; cat "$tmp/ip.out"; fail=1; }
		[ "$(errors_of "$tmp/ip.out" block)" = 0 ] ||
			{ echo "FAIL: ip: blocks failed"; cat "$tmp/ip.out"; fail=1; }
	fi
	if run_signal ip-TERM TERM -u "$uri" -t 6 -b 4096 $rx; then
		python3 "$tmp/check_report.py" "$tmp/ip-TERM.out" 6 || fail=1
	fi
	# No -u: $IIOD_REMOTE names the context, for the threads too (local: would
	# find no device here: its root is pointed at an empty folder).
	if LIBIIO_LOCAL_ROOT=$tmp IIOD_REMOTE=$uri run_timed remote 1 15 -T 1 -t 2 $rx; then
		python3 "$tmp/check_report.py" "$tmp/remote.out" 2 || fail=1
		[ "$(total_of "$tmp/remote.out" refills)" -gt 0 ] ||
			{ echo "FAIL: IIOD_REMOTE: no block"; cat "$tmp/remote.out"; fail=1; }
	fi
	# The server survived the stress: same samples as the local backend reads.
	iio_readdev -u "$uri" -b 1000 -s 5000 $rx >"$tmp/after-ip.bin" ||
		{ echo "FAIL: iio_readdev over ip: after the stress"; fail=1; }
	iio_readdev -u local: -b 1000 -s 5000 $rx | cmp -s - "$tmp/after-ip.bin" ||
		{ echo "FAIL: the samples over ip: differ after the stress"; fail=1; }
	stop_iiod "$IIOD_PID" stress

	# The server goes away in the middle: errors are counted, the run still ends on time.
	start_iiod victim -u local:
	uri="ip:127.0.0.1:$IIOD_PORT"
	iio_stresstest -u "$uri" -T 4 -t 4 $rx >"$tmp/victim.out" 2>"$tmp/victim.err" &
	victim=$!
	pids+=("$victim")
	sleep 1.5
	stop_iiod "$IIOD_PID" victim
	status=0
	for _ in $(seq 200); do kill -0 $victim 2>/dev/null || break; sleep 0.1; done
	if kill -0 $victim 2>/dev/null; then
		echo "FAIL: victim: iio_stresstest still running 20 s after its server left"
		kill -9 $victim
		fail=1
	else
		wait $victim || status=$?
		if sanitizer_clean victim; then
			if [ $status != 0 ]; then
				echo "FAIL: victim: exit status $status"; cat "$tmp/victim.err"; fail=1
			else
				python3 "$tmp/check_report.py" "$tmp/victim.out" 4 || fail=1
				[ "$(errors_of "$tmp/victim.out" context)" -gt 0 ] ||
					{ echo "FAIL: victim: no context error counted"; cat "$tmp/victim.out"; fail=1; }
			fi
		fi
	fi
else
	echo "(iiod or the ip: backend not built: the ip: checks did not run)"
fi

[ $fail = 0 ] && echo "iio_stresstest: all checks passed"
exit $fail
