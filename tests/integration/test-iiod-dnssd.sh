#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# DNS-SD for real: two network namespaces joined by a veth pair, each with a
# D-Bus system bus and an avahi-daemon of its own (network.md §4.1). iiod
# publishes _iio._tcp in one; in the other, our scan lists it with a usable
# URI, "ip:" alone finds it, and it is gone once iiod stops. Without avahi,
# both sides say so in one line and go on. Needs root, iproute2, dbus,
# avahi-daemon; skipped otherwise.
set -u
. "$(dirname "$0")/iiod-helpers.sh"
require_iiod
have_feature WITH_DNS_SD || skip "built without DNS-SD"
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
for prog in ip dbus-daemon dbus-send avahi-daemon unshare; do
	command -v "$prog" >/dev/null || skip "$prog missing (packages iproute2 dbus avahi-daemon)"
done
[ -d /run/avahi-daemon ] || mkdir -p /run/avahi-daemon
xml="$XML_FIXTURES/fmcomms2.xml"
[ -f "$xml" ] || skip "no fixture $xml"

tag=$$
NS_SRV=iiod-srv-$tag
NS_CLI=iiod-cli-$tag
PIDS=()
netns_cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	ip netns del "$NS_SRV" 2>/dev/null
	ip netns del "$NS_CLI" 2>/dev/null
	cleanup
}
trap netns_cleanup EXIT

ip netns add "$NS_SRV" || skip "cannot create network namespaces here"
ip netns add "$NS_CLI"
ip link add "vs$tag" netns "$NS_SRV" type veth peer name "vc$tag" netns "$NS_CLI" ||
	skip "cannot create a veth pair here"
ip -n "$NS_SRV" addr add 169.254.10.1/16 dev "vs$tag"
ip -n "$NS_CLI" addr add 169.254.10.2/16 dev "vc$tag"
for ns in "$NS_SRV" "$NS_CLI"; do
	ip -n "$ns" link set lo up
done
ip -n "$NS_SRV" link set "vs$tag" up multicast on
ip -n "$NS_CLI" link set "vc$tag" up multicast on

# start_bus NAME: a private system bus; its address in $WORK/NAME.bus-address.
start_bus() {
	local name=$1
	cat >"$WORK/$name-bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$WORK/$name.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
	dbus-daemon --config-file="$WORK/$name-bus.conf" --nofork --nopidfile \
		>"$WORK/$name-bus.log" 2>&1 &
	PIDS+=($!)
	for i in $(seq 50); do
		[ -S "$WORK/$name.sock" ] && break
		sleep 0.1
	done
	[ -S "$WORK/$name.sock" ] || fail "the $name bus did not start"
}

# start_avahi NAME NS IFACE: an avahi-daemon on that bus, in that namespace.
start_avahi() {
	local name=$1 ns=$2 iface=$3
	cat >"$WORK/$name-avahi.conf" <<EOF
[server]
host-name=$name-$tag
use-ipv4=yes
use-ipv6=no
allow-interfaces=$iface
enable-dbus=yes
ratelimit-interval-usec=0
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
[reflector]
[rlimits]
EOF
	ip netns exec "$ns" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/$name.sock" \
		unshare -m sh -c 'mount -t tmpfs none /run/avahi-daemon &&
			exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$1"' \
		sh "$WORK/$name-avahi.conf" >"$WORK/$name-avahi.log" 2>&1 &
	PIDS+=($!)
	for i in $(seq 100); do
		if DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/$name.sock" dbus-send --system \
			--print-reply --dest=org.freedesktop.Avahi / \
			org.freedesktop.Avahi.Server.GetState 2>/dev/null | grep -q "int32 2"; then
			return 0
		fi
		sleep 0.1
	done
	cat "$WORK/$name-avahi.log" >&2
	fail "avahi-daemon ($name) did not come up"
}

in_cli() {
	ip netns exec "$NS_CLI" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/cli.sock" "$@"
}

# ---- Without avahi: one clear line each, nothing breaks -------------------------
ip netns exec "$NS_SRV" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/nobus.sock" \
	"$IIOD_BIN" -u "xml:$xml" >"$WORK/nodaemon.log" 2>&1 &
nodaemon=$!
PIDS+=($nodaemon)
for i in $(seq 50); do
	grep -q "serving on TCP port" "$WORK/nodaemon.log" && break
	sleep 0.1
done
grep -q "DNS-SD disabled, cannot reach avahi" "$WORK/nodaemon.log" ||
	fail "iiod without avahi: no clear line: $(cat "$WORK/nodaemon.log")"
kill -TERM "$nodaemon"
wait "$nodaemon" || fail "iiod without avahi did not stop cleanly"
# (iio_info -S exits 1 when it finds nothing.)
in_cli iio_info -S ip >"$WORK/noscan.txt" 2>&1
grep -q "DNS-SD unavailable, cannot reach avahi-daemon" "$WORK/noscan.txt" ||
	fail "scan without avahi: no clear line: $(cat "$WORK/noscan.txt")"

# ---- With a daemon on each side ---------------------------------------------------
start_bus srv
start_bus cli
start_avahi srv "$NS_SRV" "vs$tag"
start_avahi cli "$NS_CLI" "vc$tag"

ip netns exec "$NS_SRV" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/srv.sock" \
	"$IIOD_BIN" -u "xml:$xml" >"$WORK/iiod.log" 2>&1 &
iiod_pid=$!
PIDS+=($iiod_pid)
for i in $(seq 100); do
	grep -q "published 'iiod on" "$WORK/iiod.log" && break
	sleep 0.1
done
grep -q "published 'iiod on" "$WORK/iiod.log" || fail "iiod did not publish: $(cat "$WORK/iiod.log")"

# The scan: a usable URI (upstream returns a bare host name) and a description
# made of the address, hw_model and the context's devices.
found=
for i in $(seq 30); do
	in_cli iio_info -S ip >"$WORK/scan.txt" 2>&1
	if grep -q "ip:169.254.10.1" "$WORK/scan.txt"; then
		found=1
		break
	fi
	sleep 0.2
done
[ -n "$found" ] || fail "the scan did not find iiod: $(cat "$WORK/scan.txt")"
grep -q "169.254.10.1 ADRV9375-N/PCBZ on Xilinx Zynq ZC706" "$WORK/scan.txt" ||
	fail "unexpected scan description: $(cat "$WORK/scan.txt")"
# "ip:" alone: the first server found on the default port.
in_cli iio_attr -u ip: -C hw_model >"$WORK/auto.txt" 2>&1 || fail "ip: discovery: $(cat "$WORK/auto.txt")"
grep -q "ADRV9375" "$WORK/auto.txt" || fail "ip: discovery reached another context"

# iiod stops: the service is withdrawn.
kill -TERM "$iiod_pid"
wait "$iiod_pid" || fail "iiod did not stop cleanly"
gone=
for i in $(seq 30); do
	in_cli iio_info -S ip >"$WORK/scan2.txt" 2>&1
	if ! grep -q "ip:169.254.10.1" "$WORK/scan2.txt"; then
		gone=1
		break
	fi
	sleep 0.2
done
[ -n "$gone" ] || fail "the service is still listed after iiod stopped"
echo "PASS"
