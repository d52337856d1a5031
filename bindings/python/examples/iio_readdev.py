#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reads samples of a device's enabled channels to stdout, like iio_readdev."""

import argparse
import sys

import iio


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-u", "--uri", help="context URI")
    parser.add_argument("-b", "--buffer-size", type=int, default=256, help="samples per block")
    parser.add_argument("-s", "--samples", type=int, default=0, help="samples to read (0: forever)")
    parser.add_argument("device")
    parser.add_argument("channels", nargs="*", help="channels to read (default: all)")
    args = parser.parse_args()

    ctx = iio.Context(args.uri)
    dev = ctx.find_device(args.device)
    if dev is None:
        print(f"Device {args.device} not found", file=sys.stderr)
        return 1
    mask = iio.ChannelsMask(dev)
    wanted = [dev.find_channel(name) for name in args.channels] if args.channels else \
        [chn for chn in dev.channels if chn.scan_element and not chn.output and chn.index >= 0]
    if None in wanted:
        print("Channel not found", file=sys.stderr)
        return 1
    mask.channels = wanted
    sample_size = mask.sample_size
    left = args.samples
    out = sys.stdout.buffer
    stream = iio.Stream(dev.get_buffer(0), mask, args.buffer_size)
    try:
        for block in stream:
            data = block.memoryview()
            if args.samples:
                data = data[:min(len(data), left * sample_size)]
                left -= len(data) // sample_size
            out.write(data)
            if args.samples and left <= 0:
                break
    except KeyboardInterrupt:
        pass
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
