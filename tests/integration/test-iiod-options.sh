#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# iiod's command line (tools.md §10): help, version, bad values, an unusable
# context or port (clear message, exit 1), SIGUSR1 restarts with a fresh
# context, --daemon detaches, SIGTERM/SIGINT/SIGHUP stop cleanly.
set -u
. "$(dirname "$0")/iiod-helpers.sh"
require_iiod
xml="$XML_FIXTURES/fmcomms2.xml"
[ -f "$xml" ] || skip "no fixture $xml"

"$IIOD_BIN" -h >"$WORK/help.txt" || fail "iiod -h failed"
head -3 "$WORK/help.txt" | grep -q "^	iiod \[OPTIONS ...\]" || fail "iiod -h: no usage line"
for opt in "-p, --port" "-u, --uri" "-D, --demux" "-F, --ffs" "-n, --nb-pipes" "--no-dnssd" \
	"--daemon"; do
	grep -q -- "$opt" "$WORK/help.txt" || fail "iiod -h does not mention $opt"
done
[ "$("$IIOD_BIN" -V)" = "1.0" ] || fail "iiod -V"

expect_failure() {
	local what=$1 pattern=$2
	shift 2
	if "$IIOD_BIN" --no-dnssd "$@" >"$WORK/fail.txt" 2>&1; then
		fail "$what: iiod $* succeeded"
	fi
	grep -q "$pattern" "$WORK/fail.txt" || fail "$what: no clear message: $(cat "$WORK/fail.txt")"
}
expect_failure "bad port" "invalid port '99999'" -p 99999
expect_failure "bad pipe count" "invalid number of USB pipes" -n 0
expect_failure "too many pipes for 15 endpoint pairs" "(1..15)" -n 16
expect_failure "unknown option" "unrecognized option" --bogus
expect_failure "missing context" "Unable to create the context 'xml:/nonexistent'" -u xml:/nonexistent

# A port already taken.
start_iiod first -u "xml:$xml"
expect_failure "busy port" "Unable to listen on TCP port $IIOD_PORT" -u "xml:$xml" -p "$IIOD_PORT"

# SIGUSR1: a fresh context on the same port; clients reconnect and are served.
iio_attr -u "ip:127.0.0.1:$IIOD_PORT" -C hw_model >/dev/null || fail "no service before SIGUSR1"
kill -USR1 "$IIOD_PID"
for i in $(seq 50); do
	[ "$(grep -c "serving on TCP port" "$WORK/first.log")" -ge 2 ] && break
	sleep 0.1
done
grep -q "SIGUSR1, restarting" "$WORK/first.log" || fail "SIGUSR1 did not restart"
[ "$(grep -c "serving on TCP port $IIOD_PORT" "$WORK/first.log")" -ge 2 ] ||
	fail "not serving the same port after SIGUSR1: $(cat "$WORK/first.log")"
iio_attr -u "ip:127.0.0.1:$IIOD_PORT" -C hw_model >/dev/null || fail "no service after SIGUSR1"
stop_iiod "$IIOD_PID" first

# SIGINT and SIGHUP stop too.
for sig in INT HUP; do
	start_iiod "sig$sig" -u "xml:$xml"
	kill -"$sig" "$IIOD_PID"
	wait "$IIOD_PID" || fail "iiod did not exit cleanly on SIG$sig"
done

# --daemon: the command returns, the daemon serves, and says its pid.
"$IIOD_BIN" --daemon --no-dnssd -p 0 -u "xml:$xml" >"$WORK/daemon.log" 2>&1 ||
	fail "iiod --daemon failed"
for i in $(seq 50); do
	grep -q "serving on TCP port" "$WORK/daemon.log" && break
	sleep 0.1
done
dpid=$(sed -n 's/.*running in the background, pid \([0-9]*\).*/\1/p' "$WORK/daemon.log")
dport=$(sed -n 's/.*serving on TCP port \([0-9]*\).*/\1/p' "$WORK/daemon.log")
[ -n "$dpid" ] && [ -n "$dport" ] || fail "the daemon did not start: $(cat "$WORK/daemon.log")"
iio_attr -u "ip:127.0.0.1:$dport" -C hw_model >/dev/null || fail "the daemon does not serve"
kill -TERM "$dpid"
for i in $(seq 50); do
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$dpid" 2>/dev/null && fail "the daemon did not stop"
echo "PASS"
