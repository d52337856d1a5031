#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# iiod serving an xml: and a local: fixture; our tools through ip: must see
# what they see directly (devices, channels, attributes and their values),
# attribute writes go through, the URI forms (IPv6, port) work, and a wrong
# address fails fast with a clear message.
set -u
. "$(dirname "$0")/iiod-helpers.sh"
require_iiod

xml="$XML_FIXTURES/fmcomms2.xml"
[ -f "$xml" ] || skip "no fixture $xml"

# ---- xml: context -----------------------------------------------------------
start_iiod xml -u "xml:$xml"
xml_pid=$IIOD_PID xml_port=$IIOD_PORT

iio_info -u "xml:$xml" >"$WORK/direct.txt" 2>&1 || fail "iio_info -u xml: failed"
iio_info -u "ip:127.0.0.1:$xml_port" >"$WORK/remote.txt" 2>"$WORK/remote.err" ||
	fail "iio_info -u ip: failed: $(cat "$WORK/remote.err")"
[ -s "$WORK/remote.err" ] && fail "iio_info -u ip: printed errors: $(cat "$WORK/remote.err")"
diff <(strip_context_lines <"$WORK/direct.txt") <(strip_context_lines <"$WORK/remote.txt") ||
	fail "the xml: context differs through ip:"
grep -q "IIO context created with ip backend" "$WORK/remote.txt" || fail "not the ip backend"
grep -q "ip,ip-addr value: 127.0.0.1" "$WORK/remote.txt" || fail "no ip,ip-addr attribute"
grep -q "uri value: ip:127.0.0.1:$xml_port" "$WORK/remote.txt" || fail "uri attribute lacks the port"

# IPv6 literal with a port (skipped when the host has no IPv6 loopback).
if ip -6 addr show lo 2>/dev/null | grep -q "::1"; then
	iio_info -u "ip:[::1]:$xml_port" >"$WORK/v6.txt" 2>&1 || fail "ip:[::1]:port failed"
	diff <(strip_context_lines <"$WORK/direct.txt") <(strip_context_lines <"$WORK/v6.txt") ||
		fail "the context differs through IPv6"
fi

# Nobody listening: a clear error, quickly.
start=$(date +%s)
if iio_info -u ip:127.0.0.1:1 >"$WORK/refused.txt" 2>&1; then
	fail "iio_info on a closed port succeeded"
fi
grep -q "Connection refused" "$WORK/refused.txt" || fail "no clear error: $(cat "$WORK/refused.txt")"
[ $(($(date +%s) - start)) -le 3 ] || fail "a refused connection took too long"
# A malformed URI.
iio_info -u "ip:[::1" >"$WORK/bad.txt" 2>&1 && fail "a malformed URI was accepted"
grep -q "Invalid URI" "$WORK/bad.txt" || fail "no clear error for a malformed URI"
iio_info -u "ip:127.0.0.1:99999" >"$WORK/bad.txt" 2>&1 && fail "port 99999 was accepted"
grep -q "Invalid port" "$WORK/bad.txt" || fail "no clear error for a bad port"

stop_iiod "$xml_pid" xml

# A server that accepts and never answers: the client gives up after its
# timeout (-T), with a message, instead of hanging.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
' >"$WORK/mute.port" &
mute=$!
for i in $(seq 50); do
	[ -s "$WORK/mute.port" ] && break
	sleep 0.1
done
start=$(date +%s%N)
if iio_info -T 500 -u "ip:127.0.0.1:$(cat "$WORK/mute.port")" >"$WORK/mute.txt" 2>&1; then
	fail "iio_info against a mute server succeeded"
fi
elapsed=$((($(date +%s%N) - start) / 1000000))
kill "$mute"
grep -q "timed out" "$WORK/mute.txt" || fail "no timeout message: $(cat "$WORK/mute.txt")"
[ "$elapsed" -lt 3000 ] || fail "a 500 ms timeout took $elapsed ms"

# ---- local: context ----------------------------------------------------------
have_feature WITH_LOCAL_BACKEND || { echo "local: not built: local part skipped"; exit 0; }
tree=$(make_tree ad9361 "$FIXTURES/ad9361.sysfs")
export LIBIIO_LOCAL_ROOT=$tree
start_iiod local -u local:
port=$IIOD_PORT

iio_info -u local: >"$WORK/ldirect.txt" 2>&1 || fail "iio_info -u local: failed"
iio_info -u "ip:127.0.0.1:$port" >"$WORK/lremote.txt" 2>"$WORK/lremote.err" ||
	fail "iio_info -u ip: (local) failed"
[ -s "$WORK/lremote.err" ] && fail "iio_info -u ip: printed errors: $(cat "$WORK/lremote.err")"
diff <(strip_context_lines <"$WORK/ldirect.txt") <(strip_context_lines <"$WORK/lremote.txt") ||
	fail "the local: context differs through ip:"

# Writes reach the sysfs file; reads come back through the server.
dev=$tree/sys/bus/iio/devices/iio:device0
iio_attr -u "ip:127.0.0.1:$port" -c ad9361-phy -o voltage0 hardwaregain -12.5 >/dev/null ||
	fail "channel attribute write failed"
[ "$(cat "$dev/out_voltage0_hardwaregain")" = "-12.5" ] || fail "the write did not reach sysfs"
[ "$(iio_attr -u "ip:127.0.0.1:$port" -c ad9361-phy -o voltage0 hardwaregain)" = "-12.5" ] ||
	fail "the value written does not read back"
iio_attr -u "ip:127.0.0.1:$port" -d ad9361-phy ensm_mode alert >/dev/null ||
	fail "device attribute write failed"
[ "$(cat "$dev/ensm_mode")" = "alert" ] || fail "the device attribute write did not reach sysfs"
[ "$(iio_attr -u "ip:127.0.0.1:$port" -d ad9361-phy ensm_mode)" = "alert" ] ||
	fail "device attribute read back"
# Errors of the server come back as errors, with a message.
if iio_attr -u "ip:127.0.0.1:$port" -d ad9361-phy nosuchattr >"$WORK/noattr.txt" 2>&1; then
	fail "reading a missing attribute succeeded"
fi

# Context attributes and the scan of the served context's triggers/registers.
iio_attr -u "ip:127.0.0.1:$port" -C >"$WORK/ctxattrs.txt" 2>&1 || fail "iio_attr -C failed"
grep -q "ip,ip-addr" "$WORK/ctxattrs.txt" || fail "iio_attr -C lacks ip,ip-addr"

stop_iiod "$IIOD_PID" local
echo "PASS"
