#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iio_attr reads what the context XML files say (../shared/fixtures/xml, or
# $IIO_XML_FIXTURES) through the xml: backend, finds objects by id, name and
# pattern, fails clearly on missing objects, and writes attributes of a
# local: fixture tree (tests/fixtures/gen-sysfs.py), checked in the files.
set -euo pipefail

. "$(dirname "$0")/tools-helpers.sh"
require_tools iio_info iio_attr
require_xml_fixtures

cat > "$tmp/check_attr.py" <<'EOF'
import subprocess
import sys
import xml.etree.ElementTree as ET

xml_path = sys.argv[1]
uri = "xml:" + xml_path
root = ET.parse(xml_path).getroot()
errors = []
runs = 0


def run(*args):
    global runs
    runs += 1
    p = subprocess.run(["iio_attr", "-u", uri] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(args, want_rc, want_out=None, want_err=None):
    rc, out, err = run(*args)
    if rc != want_rc:
        errors.append("iio_attr %s: exit %d, expected %d (stderr: %s)" % (" ".join(args), rc, want_rc, err.strip()))
    elif want_out is not None and out != want_out:
        errors.append("iio_attr %s: printed %r, expected %r" % (" ".join(args), out, want_out))
    elif want_err is not None and want_err not in err:
        errors.append("iio_attr %s: stderr %r lacks %r" % (" ".join(args), err, want_err))


def plain(a):
    v = a.get("value")
    return (v is not None and not v.startswith("ERROR") and "\n" not in v
            and not a.get("name").endswith("available"))


def sample(items, n=12):
    """Up to n items spread over the list: enough coverage, bounded run time."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def dev_label(dev):
    return dev.get("label") or dev.get("name") or dev.get("id")


def is_event_file(a):
    return (a.get("filename") or "").startswith("events/")


devices = root.findall("device")
for dev in devices:
    dev_id = dev.get("id")
    attrs = dev.findall("attribute")

    # Single attribute: the bare value.
    for a in sample([a for a in attrs if plain(a)]):
        check(["-d", dev_id, a.get("name")], 0, a.get("value") + "\n")
    # By name instead of id, when the name is unique.
    if dev.get("name") and [d.get("name") for d in devices].count(dev.get("name")) == 1:
        for a in sample([a for a in attrs if plain(a)], 2):
            check(["-d", dev.get("name"), a.get("name")], 0, a.get("value") + "\n")
    # Listing every attribute of the device.
    if attrs and all(plain(a) or a.get("name").endswith("available") for a in attrs):
        want = "".join("dev '%s', attr '%s', value '%s'\n" % (dev_label(dev), a.get("name"), a.get("value"))
                       for a in sorted(attrs, key=lambda e: e.get("name").encode()))
        check(["-d", dev_id], 0, want)
    if attrs:
        check(["-d", dev_id, "no_such_attribute"], 1, "", "could not find attribute (no_such_attribute)")
        # A pattern matches several attributes and forces the verbose form.
        first = sorted(attrs, key=lambda e: e.get("name").encode())[0]
        rc, out, _ = run("-d", dev_id, first.get("name")[:2] + "*")
        # (exit status 1 when some matched attribute has no readable value)
        if rc not in (0, 1) or ("attr '%s'" % first.get("name")) not in out:
            errors.append("pattern %s* on %s did not list %s" % (first.get("name")[:2], dev_id, first.get("name")))
        check(["-d", dev_id, first.get("name")[:2] + "*", "1"], 1, "", "can't write value with wildcard match")

    for dbg in sample([a for a in dev.findall("debug-attribute") if plain(a)], 3):
        check(["-D", dev_id, dbg.get("name")], 0, dbg.get("value") + "\n")
    for ev in sample([a for a in dev.findall("event-attribute") if plain(a)], 3):
        check(["-E", dev_id, ev.get("name")], 0, ev.get("value") + "\n")
    for buf in dev.findall("buffer"):
        for a in sample([a for a in buf.findall("attribute") if plain(a)], 3):
            check(["-B", "-b", buf.get("index", "0"), dev_id, a.get("name")], 0, a.get("value") + "\n")

    chans = dev.findall("channel")
    for chn in sample(chans, 6):
        direction = "-o" if chn.get("type") == "output" else "-i"
        chn_attrs = [a for a in chn.findall("attribute") if not is_event_file(a)]
        for a in sample([a for a in chn_attrs if plain(a)], 4):
            check(["-c", direction, dev_id, chn.get("id"), a.get("name")], 0, a.get("value") + "\n")
        events = chn.findall("event-attribute") + [a for a in chn.findall("attribute") if is_event_file(a)]
        for a in sample([a for a in events if plain(a)], 2):
            check(["-e", direction, dev_id, chn.get("id"), a.get("name")], 0, a.get("value") + "\n")
    if chans:
        rc, out, _ = run("-c", dev_id)
        for chn in chans:
            if "channel '%s'" % chn.get("id") not in out:
                errors.append("iio_attr -c %s does not list channel %s" % (dev_id, chn.get("id")))
        check(["-c", dev_id, "no_such_channel"], 1, "", "could not find channel (no_such_channel)")

# Device listings and a missing device.
rc, out, _ = run("-d")
if rc or "IIO context has %u devices:" % len(devices) not in out:
    errors.append("iio_attr -d: wrong summary: %r" % out[:200])
for dev in devices:
    if "\t%s" % dev.get("id") not in out:
        errors.append("iio_attr -d does not list %s" % dev.get("id"))
check(["-d", "no_such_device"], 1, "", "could not find device (no_such_device)")
check(["-c", "no_such_device", "x"], 1, "", "could not find device (no_such_device)")

# Context attributes.
for ca in root.findall("context-attribute"):
    if ca.get("name") != "uri":
        check(["-C", ca.get("name")], 0, "%s: %s\n" % (ca.get("name"), ca.get("value")))
        check(["-q", "-C", ca.get("name")], 0, ca.get("value") + "\n")
check(["-C", "uri"], 0, "uri: %s\n" % uri)
check(["-C", "no_such_attribute"], 1, "", "could not find attribute")

if errors:
    print("%s: %u problems" % (xml_path, len(errors)))
    for e in errors[:30]:
        print("  " + e)
    sys.exit(1)
print("%s: %u iio_attr runs checked" % (xml_path, runs))
EOF

for xml in "$fixtures"/*.xml; do
	python3 "$tmp/check_attr.py" "$xml" || fail=1
done

# Command-line errors: one class exactly, and clear messages.
xml=$(ls "$fixtures"/*.xml | head -n1)
expect_failure "must specify one of -d, -c, -C, -B, -D, -E or -e." iio_attr -u "xml:$xml" dev
expect_failure "exclusive" iio_attr -u "xml:$xml" -d -c
expect_failure "too many arguments" iio_attr -u "xml:$xml" -C a b
expect_failure "too many arguments" iio_attr -u "xml:$xml" -d a b c d
expect_failure "Unable to create IIO context" iio_attr -u "xml:$tmp/missing.xml" -d
iio_attr > "$tmp/out" || { echo "FAIL: iio_attr without arguments must print its usage"; fail=1; }
grep -q '^Usage:' "$tmp/out" || { echo "FAIL: no usage text"; fail=1; }

# Writes, through the local backend on a tree generated from an XML.
have_local_backend || skip "the local backend is not built; the write checks did not run"
src=$fixtures/fmcomms2.xml
root=$tmp/root
python3 "$gen" "$root" "$src"
export LIBIIO_LOCAL_ROOT=$root
dev_dir() { # sysfs directory of the device with this name
	grep -lx "$1" "$root"/sys/bus/iio/devices/*/name | xargs dirname
}
phy=$(dev_dir ad9361-phy)

out=$(iio_attr -u local: -d ad9361-phy ensm_mode)
[ "$out" = "$(tr -d '\0\n' < "$phy/ensm_mode")" ] || { echo "FAIL: read of ensm_mode: '$out'"; fail=1; }

out=$(iio_attr -u local: -d ad9361-phy ensm_mode sleep)
[ "$out" = sleep ] || { echo "FAIL: write of ensm_mode printed '$out'"; fail=1; }
[ "$(tr -d '\0\n' < "$phy/ensm_mode")" = sleep ] || { echo "FAIL: ensm_mode file not written"; fail=1; }

out=$(iio_attr -u local: -w -c -o ad9361-phy altvoltage0 frequency 1234567890)
[ -z "$out" ] || { echo "FAIL: -w printed '$out'"; fail=1; }
[ "$(tr -d '\0\n' < "$phy/out_altvoltage0_RX_LO_frequency")" = 1234567890 ] ||
	{ echo "FAIL: RX_LO frequency not written"; fail=1; }
out=$(iio_attr -u local: -c -o ad9361-phy RX_LO frequency)
[ "$out" = 1234567890 ] || { echo "FAIL: channel found by name read '$out'"; fail=1; }

# A negative value as the last word is a value, not an option.
out=$(iio_attr -u local: -c -o ad9361-phy voltage0 hardwaregain -7)
[ "$out" = -7 ] || { echo "FAIL: negative value write printed '$out'"; fail=1; }

# -f: the file's bytes are written as they are. (Emptied first: a fixture file,
# unlike a sysfs attribute, keeps the tail of a longer previous value.)
printf 'fdd' > "$tmp/value"
: > "$phy/ensm_mode"
out=$(iio_attr -u local: -f -d ad9361-phy ensm_mode "$tmp/value")
[ "$out" = fdd ] || { echo "FAIL: -f write printed '$out'"; fail=1; }
cmp -s "$tmp/value" "$phy/ensm_mode" || { echo "FAIL: -f did not write the file's bytes"; fail=1; }

# -g: the generated C program does the same access; the Python one compiles.
iio_attr -u local: -g "$tmp/gen.c" -c -o ad9361-phy RX_LO frequency 987654321 > /dev/null
sanitize=() # a sanitized libiio needs a sanitized program
ldd "$IIO_BUILD_DIR/libiio.so" | grep libasan > /dev/null && sanitize+=(-fsanitize=address)
ldd "$IIO_BUILD_DIR/libiio.so" | grep libubsan > /dev/null && sanitize+=(-fsanitize=undefined)
if ${CC:-cc} -Wall -Wextra -Werror "${sanitize[@]}" -I"$IIO_SOURCE_DIR/include" -o "$tmp/gen" \
	"$tmp/gen.c" -L"$IIO_BUILD_DIR" -liio 2> "$tmp/err"; then
	echo 0 > "$phy/out_altvoltage0_RX_LO_frequency"
	out=$("$tmp/gen")
	[ "$out" = 987654321 ] || { echo "FAIL: the generated C program printed '$out'"; fail=1; }
	[ "$(tr -d '\0\n' < "$phy/out_altvoltage0_RX_LO_frequency")" = 987654321 ] ||
		{ echo "FAIL: the generated C program did not write the attribute"; fail=1; }
else
	echo "FAIL: the generated C program does not build:"; cat "$tmp/err"; fail=1
fi
iio_attr -u local: -g "$tmp/gen.py" -d ad9361-phy ensm_mode > /dev/null
python3 -m py_compile "$tmp/gen.py" || { echo "FAIL: the generated Python is invalid"; fail=1; }
grep -q 'dev.attrs\["ensm_mode"\]' "$tmp/gen.py" || { echo "FAIL: generated Python lacks the attribute"; fail=1; }
if iio_attr -u local: -g "$tmp/x.c" -c ad9361-phy voltage0 hardwaregain > /dev/null 2> "$tmp/err" ||
	! grep -q "needs a query that selects one attribute" "$tmp/err"; then
	echo "FAIL: -g accepted a query selecting two attributes"; fail=1
fi

# A failed write (the xml: backend is read-only) says so and fails.
if iio_attr -u "xml:$src" -d ad9361-phy calib_mode auto > /dev/null 2> "$tmp/err"; then
	echo "FAIL: write to a read-only context succeeded"; fail=1
elif ! grep -q "unable to write 'auto' to attribute 'calib_mode'" "$tmp/err"; then
	echo "FAIL: unclear write error:"; cat "$tmp/err"; fail=1
fi

[ $fail = 0 ] && echo "iio_attr: all checks passed"
exit $fail
