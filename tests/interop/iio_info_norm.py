#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reduces an iio_info output (libiio 0.x or 1.0 format) to what both show the
same way: devices, channels, and the name and value of every channel, device
and buffer attribute, and the names of the debug attributes. One sorted line
each, so that two outputs can be compared with diff."""

import re
import sys

def normalize_range(value):
    """'[min: a step: b max: c]' (1.0) and '[a b c]' (0.x) print the same range."""
    m = (re.match(r"^\[min: (\S+) step: (\S+) max: (\S+)\]$", value) or
         re.match(r"^\[\s*(\S+)\s+(\S+)\s+(\S+)\s*\]$", value))
    if not m:
        return value
    try:
        return "range %g %g %g" % tuple(float(x) for x in m.groups())
    except ValueError:
        return value


out = set()
device = channel = section = None
in_devices = False
for raw in open(sys.argv[1], errors="replace"):
    line = raw.rstrip("\n")
    # Context attributes come first and are printed differently: devices only.
    if re.match(r"^IIO context has \d+ devices:", line):
        in_devices = True
        continue
    if not in_devices:
        continue
    m = re.match(r"^\t(\S+): (.*?)( \(buffer capable\))?$", line)
    if m and not line.startswith("\t\t") and not m.group(1).startswith("attr"):
        device, channel, section = m.group(1), None, None
        out.add("device %s %s" % (device, m.group(2)))
        continue
    if device is None:
        continue
    m = re.match(r"^\t\t\t(\S+): (.*)$", line)
    if m and not line.lstrip().startswith(("attr", "debug attr", "buffer", "Scan element")):
        channel = m.group(1)
        # Direction, index and format; not the tools' own remarks after them.
        desc = m.group(2).strip()
        d = re.search(r"\((input|output)", desc)
        fmt = re.search(r"index: \d+, format: \S+?(?=[,)])", desc)
        out.add("channel %s %s %s %s" % (device, channel, d.group(1) if d else "?",
                                         fmt.group(0) if fmt else ""))
        continue
    m = re.match(r"^\s+\d+ (\S+) attributes found:", line)
    if m:
        # Event attributes are a 1.0 notion: 0.x lists none.
        section = {"buffer-specific": "buffer"}.get(m.group(1), m.group(1))
        if section not in ("channel-specific", "device-specific", "buffer", "debug"):
            section = None
        continue
    m = re.match(r"^\s+(?:debug )?attr +\d+: (\S+)(?: \([^)]*\))?"
                 r"(?: (?:value|options|range): (.*)| (ERROR: .*))?$", line)
    if m and section:
        where = channel if section == "channel-specific" else ""
        value = "" if section == "debug" else (m.group(2) or m.group(3) or "")
        # "ERROR: text (13)" (0.x) and "value: ERROR: text (-13)" (1.0).
        err = re.match(r"^ERROR: .*\((-?\d+)\)$", value)
        if err:
            value = "ERROR %d" % abs(int(err.group(1)))
        value = normalize_range(value)
        out.add("attr %s %s %s %s = %s" % (device, section, where, m.group(1), value))
for item in sorted(out):
    print(item)
