#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A short iio_info in Python: devices, channels and attributes of a context."""

import argparse
import sys

import iio


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-u", "--uri", help="context URI (default: $IIOD_REMOTE or local:)")
    args = parser.parse_args()

    try:
        ctx = iio.Context(args.uri)
    except OSError as exc:
        print(f"Unable to create IIO context {args.uri or ''}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Library version: {iio.version[0]}.{iio.version[1]} (git tag: {iio.version[2]})")
    print(f"IIO context created with {ctx.name} backend.")
    print(f"IIO context has {len(ctx.attrs)} attributes:")
    for name, value in ctx.attrs.items():
        print(f"\t{name}: {value}")
    print(f"IIO context has {len(ctx.devices)} devices:")
    for dev in ctx.devices:
        print(f"\t{dev.id}: {dev.name or ''}")
        print(f"\t\t{len(dev.channels)} channels found:")
        for chn in dev.channels:
            kind = "output" if chn.output else "input"
            print(f"\t\t\t{chn.id}: {chn.name or ''} ({kind})")
            for attr in chn.attrs.values():
                try:
                    value = attr.value
                except OSError as exc:
                    value = f"ERROR: {exc.strerror}"
                print(f"\t\t\t\tattr {attr.name}: {value}")
        for attr in dev.attrs.values():
            try:
                value = attr.value
            except OSError as exc:
                value = f"ERROR: {exc.strerror}"
            print(f"\t\tattr {attr.name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
