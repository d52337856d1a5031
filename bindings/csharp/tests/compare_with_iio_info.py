#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The C# example prints the same devices and channels as iio_info on the same URI."""

import re
import subprocess
import sys


def device_lines(text, from_iio_info):
    lines = []
    in_devices = False
    for line in text.splitlines():
        if re.match(r"IIO context has \d+ devices:", line):
            in_devices = True
            lines.append(line)
            continue
        if not in_devices:
            continue
        if re.match(r"\t[^\t]", line):
            if from_iio_info:   # iio_info adds capability notes to the device line
                line = line.replace(" (buffer capable)", "").replace(" (events supported)", "")
            lines.append(line)
        elif re.match(r"\t\t\d+ channels found:", line):
            lines.append(line)
        elif re.match(r"\t\t\t[^\t].*\((input|output)", line) and "attributes found" not in line \
                and not re.match(r"\t\t\tbuffer\d+: \((input|output)\)$", line):
            # "<id>: <name> (<dir>" then iio_info's ", index: ..., format: ...)"
            lines.append(re.sub(r"\((input|output).*", r"(\1)", line))
    return lines


def main():
    mono, example, iio_info, uri = sys.argv[1:5]
    ours = subprocess.run([mono, example, "-u", uri], capture_output=True, text=True, check=True)
    ref = subprocess.run([iio_info, "-n", "-u", uri], capture_output=True, text=True, check=True)
    a = device_lines(ours.stdout, False)
    b = device_lines(ref.stdout, True)
    if not a or a != b:
        print("C# example:\n" + "\n".join(a))
        print("iio_info:\n" + "\n".join(b))
        return 1
    print(f"same {len(a)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
