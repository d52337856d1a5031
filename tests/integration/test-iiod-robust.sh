#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Malformed and oversized requests from raw sockets (iiod_raw.py): iiod
# answers with an error or closes that session, keeps serving the others,
# and exits cleanly afterwards (no leak or error under ASan/UBSan).
set -u
. "$(dirname "$0")/iiod-helpers.sh"
require_iiod
have_feature WITH_LOCAL_BACKEND || skip "the local: backend was not built"
command -v python3 >/dev/null || skip "python3 is missing"

tree=$(make_tree ad9361 "$FIXTURES/ad9361.sysfs")
export LIBIIO_LOCAL_ROOT=$tree
pattern_file "$tree/dev/iio:device2" $((8 << 20))

start_iiod robust -u local:
pid=$IIOD_PID

# cf-ad9361-lpc is iio:device2, the third device in id order.
python3 "$(dirname "$0")/iiod_raw.py" "$IIOD_PORT" 2 iio:device2 || fail "raw protocol cases"

# Still serving real clients after all that.
iio_info -u "ip:127.0.0.1:$IIOD_PORT" >/dev/null || fail "iio_info after the raw cases"
iio_readdev -u "ip:127.0.0.1:$IIOD_PORT" -b 256 -s 4096 cf-ad9361-lpc >/dev/null ||
	fail "readdev after the raw cases"

stop_iiod "$pid" robust

# -D: the server re-packs each legacy reader's own channels.
start_iiod demux -D -u local:
python3 "$(dirname "$0")/iiod_raw.py" "$IIOD_PORT" 2 iio:device2 --demux || fail "demux case"
stop_iiod "$IIOD_PID" demux
echo "PASS"
