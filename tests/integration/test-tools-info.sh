#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iio_info prints every device, channel and attribute of a context, with the
# values. The expected lines are computed from the context XML files
# themselves (../shared/fixtures/xml, or $IIO_XML_FIXTURES): through the xml:
# backend, and through the local: backend on a sysfs tree generated from the
# same file by tests/fixtures/gen-sysfs.py.
set -euo pipefail

. "$(dirname "$0")/tools-helpers.sh"
require_tools iio_info
require_xml_fixtures

# check_info.py XML OUTPUT BACKEND: compares an iio_info output with the XML.
cat > "$tmp/check_info.py" <<'EOF'
import re
import sys
import xml.etree.ElementTree as ET

IIO_TYPES = ("voltage current power accel anglvel magn illuminance intensity proximity temp "
             "incli rot angl timestamp capacitance altvoltage cct pressure humidityrelative "
             "activity steps energy distance velocity concentration resistance ph uvindex "
             "electricalconductivity count index gravity positionrelative phase "
             "massconcentration delta_angl delta_velocity colortemp chromaticity attention "
             "altcurrent coverage").split()
HWMON_TYPES = "in fan pwm temp curr power energy humidity intrusion".split()

xml_path, out_path, backend = sys.argv[1:4]
root = ET.parse(xml_path).getroot()
lines = open(out_path, encoding="utf-8", errors="replace").read().split("\n")
line_set = set(lines)
errors = []


def expect(line):
    if line not in line_set:
        errors.append("missing line: %r" % line)


def expect_prefix(prefix):
    if not any(l.startswith(prefix) for l in lines):
        errors.append("no line starting with: %r" % prefix)


def known_type(dev_id, chn_id):
    table = HWMON_TYPES if dev_id.startswith("h") else IIO_TYPES
    for t in table:
        if chn_id.startswith(t):
            rest = chn_id[len(t):]
            if not rest or rest[0] == "_" or rest[0].isdigit():
                return True
    return False


def format_text(fmt):
    m = re.match(r"^([bl])e:([sSuU])(\d+)/(\d+)(X\d+)?>>(\d+)$", fmt)
    if not m:
        return fmt
    sign = m.group(2)
    if m.group(3) == m.group(4):
        sign = sign.upper()
    return "%se:%s%s/%s%s>>%s" % (m.group(1), sign, m.group(3), m.group(4),
                                   m.group(5) or "", m.group(6))


def value_text(name, value, is_buffer):
    if name.endswith("available") and not is_buffer:
        if value.startswith("["):
            parts = value.strip("[]").split()
            try:
                mn, st, mx = (float(p) for p in parts)
                return " range: [min: %g step: %g max: %g]" % (mn, st, mx)
            except ValueError:
                return " value: " + value
        return " options:" + "".join(" " + w for w in value.split())
    return " value: " + value


def check_attrs(elems, level, is_buffer=False):
    """xml: exact lines, index included. local: the sysfs layout may regroup
    attributes (events/ files become event attributes), so any index, any
    filename and levels 3 or 4 are accepted."""
    for idx, a in enumerate(sorted(elems, key=lambda e: e.get("name").encode())):
        name = a.get("name")
        filename = a.get("filename")
        value = a.get("value")
        if value is None or value.startswith("ERROR"):
            tail = None
        else:
            tail = value_text(name, value, is_buffer)
        if backend == "xml":
            prefix = "\t" * level + "attr %2u: %s" % (idx, name)
            if filename and filename != name:
                prefix += " (%s)" % filename
            if tail is None:
                expect_prefix(prefix)
            else:
                expect(prefix + tail)
            continue
        rests = attr_lines.get(name, [])
        if not rests or (tail is not None and tail not in rests):
            errors.append("no attribute line for %s%s" % (name, tail or ""))


# name -> what follows it (filename dropped) on the attribute lines of levels 3 and 4
attr_lines = {}
for l in lines:
    m = re.match(r"^\t{3,4}attr +\d+: (\S+)(?: \([^)]*\))?(.*)$", l)
    if m:
        attr_lines.setdefault(m.group(1), []).append(m.group(2))


def expect_count(line):
    if backend == "xml":
        expect(line)


devices = root.findall("device")
expect("IIO context has %u devices:" % len(devices))
# A local context has its own attributes (kernel, URI): only xml: keeps the file's.
for ca in root.findall("context-attribute") if backend == "xml" else []:
    if ca.get("name") != "uri":
        if not any(re.match(r"^\tattr +\d+: %s value: %s$" % (re.escape(ca.get("name")),
                                                          re.escape(ca.get("value"))), l)
                   for l in lines):
            errors.append("context attribute %s missing" % ca.get("name"))

for dev in devices:
    dev_id = dev.get("id")
    chans = dev.findall("channel")
    scan = any(c.find("scan-element") is not None for c in chans)
    line = "\t" + dev_id + ":"
    if dev.get("name"):
        line += " " + dev.get("name")
    if dev.get("label"):
        line += " (label: %s)" % dev.get("label")
    if scan:
        line += " (buffer capable)"
    if backend == "xml":
        expect(line)
    else:
        expect_prefix(line)
    expect_count("\t\t%u channels found:" % len(chans))
    for chn in chans:
        chn_id = chn.get("id")
        # A channel id no sysfs name can produce (e.g. "out", from a file read as
        # a channel) is not expected back from a regenerated tree.
        if backend != "xml" and not known_type(dev_id, chn_id):
            continue
        line = "\t\t\t%s: %s" % (chn_id, chn.get("name") or "")
        if chn.get("label"):
            line += " (label: %s)" % chn.get("label")
        line += " (%s" % ("output" if chn.get("type") == "output" else "input")
        if not known_type(dev_id, chn_id):
            line += ", ERROR: iio_channel_get_type() = UNKNOWN"
        se = chn.find("scan-element")
        if se is not None:
            line += ", index: %s, format: %s)" % (se.get("index"), format_text(se.get("format")))
        else:
            line += ")"
        expect(line)
        # Older XMLs list event files as attributes named "events/...": those
        # are event attributes, with the folder out of their file name.
        attrs = [a for a in chn.findall("attribute")
                 if not (a.get("filename") or "").startswith("events/")]
        events = chn.findall("event-attribute")
        for a in chn.findall("attribute"):
            if (a.get("filename") or "").startswith("events/"):
                e = ET.Element("event-attribute", dict(a.attrib))
                e.set("filename", a.get("filename")[len("events/"):])
                events.append(e)
        if attrs:
            expect_count("\t\t\t%u channel-specific attributes found:" % len(attrs))
            check_attrs(attrs, 4)
            if events:
                expect_count("\t\t\t%u event-specific attributes found:" % len(events))
                check_attrs(events, 4)
    if dev.findall("attribute"):
        expect_count("\t\t%u device-specific attributes found:" % len(dev.findall("attribute")))
        # In a sysfs tree, a file named like "in_voltage_scale" is a channel's.
        check_attrs([a for a in dev.findall("attribute") if backend == "xml"
                     or not a.get("name").startswith(("in_", "out_"))], 3)
    buffers = dev.findall("buffer")
    nb_buffers = len(buffers) or (1 if scan or dev.findall("buffer-attribute") else 0)
    expect("\t\t%u buffer%s found:" % (nb_buffers, "" if nb_buffers == 1 else "s"))
    for buf in buffers:
        check_attrs(buf.findall("attribute"), 4, True)
    if dev.findall("debug-attribute") and backend == "xml":
        expect("\t\t%u debug attributes found:" % len(dev.findall("debug-attribute")))
        names = sorted(d.get("name") for d in dev.findall("debug-attribute"))
        for idx, n in enumerate(names):
            expect("\t\t\tattr %2u: %s" % (idx, n))  # no value without -d
    if dev.findall("event-attribute"):
        expect_count("\t\t%u event attributes found:" % len(dev.findall("event-attribute")))
        check_attrs(dev.findall("event-attribute"), 3)

if errors:
    print("%s (%s): %u problems" % (xml_path, backend, len(errors)))
    for e in errors[:40]:
        print("  " + e)
    sys.exit(1)
print("%s (%s): %u devices checked" % (xml_path, backend, len(devices)))
EOF

for xml in "$fixtures"/*.xml; do
	out=$tmp/$(basename "$xml").xml.out
	if ! iio_info -u "xml:$xml" > "$out" 2> "$tmp/err"; then
		echo "FAIL: iio_info -u xml:$xml exited with $?"; cat "$tmp/err"; fail=1; continue
	fi
	grep -qx "IIO context created with xml backend." "$out" ||
		{ echo "FAIL: $xml: no backend line"; fail=1; }
	python3 "$tmp/check_info.py" "$xml" "$out" xml || fail=1

	# -n: names only, no value read on devices, channels and buffers.
	iio_info -n -u "xml:$xml" > "$tmp/n.out"
	if grep -qP '^\t{3,4}attr +\d+: .* value: ' "$tmp/n.out"; then
		echo "FAIL: iio_info -n read attribute values of $xml"; fail=1
	fi
	cmp -s <(grep -vP '^\t{3,4}attr ' "$out") <(grep -vP '^\t{3,4}attr ' "$tmp/n.out") ||
		{ echo "FAIL: -n changed more than the attribute lines for $xml"; fail=1; }
done

# Wrong URIs: a clear message and a failure status.
for uri in "xml:$tmp/does-not-exist.xml" "nosuchbackend:foo"; do
	if iio_info -u "$uri" > /dev/null 2> "$tmp/err"; then
		echo "FAIL: iio_info -u $uri succeeded"; fail=1
	elif ! grep -q "ERROR: Unable to create IIO context $uri: " "$tmp/err"; then
		echo "FAIL: unclear error for $uri:"; cat "$tmp/err"; fail=1
	fi
done
if iio_info extra-argument > /dev/null 2> "$tmp/err" || ! grep -q "Incorrect number of arguments" "$tmp/err"; then
	echo "FAIL: iio_info accepted a positional argument"; fail=1
fi

# The same checks through the local backend, on trees generated from the XMLs.
have_local_backend || skip "the local backend is not built; only the xml: part ran"
for xml in "$fixtures"/*.xml; do
	root=$tmp/root-$(basename "$xml" .xml)
	python3 "$gen" "$root" "$xml"
	out=$tmp/$(basename "$xml").local.out
	if ! LIBIIO_LOCAL_ROOT=$root iio_info -u local: > "$out" 2> "$tmp/err"; then
		echo "FAIL: iio_info -u local: on the tree of $xml"; cat "$tmp/err"; fail=1; continue
	fi
	grep -qx "IIO context created with local backend." "$out" ||
		{ echo "FAIL: $xml: no local backend line"; fail=1; }
	python3 "$tmp/check_info.py" "$xml" "$out" local || fail=1
done

[ $fail = 0 ] && echo "iio_info: all checks passed"
exit $fail
