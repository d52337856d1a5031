# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python binding (bindings/python, `import iio`) over usb: in the QEMU guest.

Opens the usb: context served by our iiod, checks the device list, reads and writes an
attribute, streams the simulated ADC with all four channels and checks every byte of
every block against the counter (word[n] = n & 0xffff), checks one channel demultiplexed
by Channel.read(), then writes the counter into the DAC with Channel.write() through
blocks it enqueues and dequeues itself, and leaves the check to the DAC (the scenario
reads sim_words and sim_pattern_errors: 64 blocks of 128 KiB, 4194304 words).

usage: python3 usb_stream_check.py URI MIB
Prints "PY-... key=value" lines; exit status 0 only if every check passed.
"""

import struct
import sys
import time

import iio

ADC = "cf-ad9361-lpc"
DAC = "cf-ad9361-dds-core-lpc"
PERIOD = struct.pack("<65536H", *range(65536))  # one period of the counter, 128 KiB


def fail(msg):
    print(f"PY-FAIL {msg}", flush=True)
    sys.exit(1)


def expected(word_index, nbytes):
    """nbytes of the counter starting at word word_index."""
    start = 2 * (word_index % 65536)
    reps = (start + nbytes) // len(PERIOD) + 1
    return (PERIOD * reps)[start:start + nbytes]


def rx(ctx, mib):
    dev = ctx.find_device(ADC)
    chans = [c for c in dev.channels if c.scan_element and not c.output]
    if len(chans) != 4:
        fail(f"{ADC} has {len(chans)} input scan channels, expected 4")
    mask = iio.ChannelsMask(dev)
    mask.channels = chans
    if mask.sample_size != 8:
        fail(f"sample size {mask.sample_size}, expected 8")
    samples = 131072  # 1 MiB blocks
    want = mib * 1048576
    got = 0
    demux_checked = False
    stream = iio.Stream(dev.get_buffer(0), mask, samples)
    t0 = None
    for block in stream:
        data = bytes(block.memoryview())
        if t0 is None:
            t0 = time.monotonic()
        if data != expected(got // 2, len(data)):
            first = next(i for i in range(0, len(data), 2)
                         if data[i:i + 2] != expected(got // 2 + i // 2, 2))
            fail(f"RX byte {got + first}: {data[first:first + 2].hex()} is not the counter")
        if not demux_checked:
            # channel 1 alone: sample s holds (4 * (first scan + s) + 1) & 0xffff, signed
            ch1 = dev.find_channel("voltage1")
            vals = struct.unpack(f"<{len(data) // 8}h", bytes(ch1.read(block, raw=True)))
            scan0 = got // 8
            for s in (0, 1, 2, len(vals) - 1):
                e = (4 * (scan0 + s) + 1) & 0xffff
                e = e - 65536 if e >= 32768 else e
                if vals[s] != e:
                    fail(f"Channel.read(voltage1) sample {s}: {vals[s]}, expected {e}")
            demux_checked = True
        got += len(data)
        if got >= want:
            break
    secs = time.monotonic() - t0 if t0 else 0
    del stream
    mibs = (got / 1048576 / secs) if secs > 0 else 0
    print(f"PY-RX bytes={got} mibs={mibs:.1f} demux=ok integrity=ok", flush=True)


def signed16(v):
    return v - 65536 if v >= 32768 else v


def tx(ctx, nblocks):
    """nblocks blocks of the counter into the DAC, each channel written by Channel.write()."""
    dev = ctx.find_device(DAC)
    chans = sorted((c for c in dev.channels if c.scan_element and c.output),
                   key=lambda c: c.index)
    if len(chans) != 4:
        fail(f"{DAC} has {len(chans)} output scan channels, expected 4")
    mask = iio.ChannelsMask(dev)
    mask.channels = chans
    # 16384 scans of 4 words: 65536 words, so every block starts at counter phase 0
    samples = 16384
    per_chan = [struct.pack(f"<{samples}h", *(signed16((4 * s + c) & 0xffff)
                                                for s in range(samples)))
                for c in range(4)]
    bstream = dev.get_buffer(0).open(mask)
    blocks = [bstream.create_block(samples * 8) for _ in range(4)]

    def fill(block):
        for c, chn in enumerate(chans):
            if chn.write(block, per_chan[c], raw=True) != len(per_chan[c]):
                fail(f"Channel.write({chn.id}) did not take a whole block")

    queued = min(4, nblocks)
    for block in blocks[:queued]:
        fill(block)
        block.enqueue()
    bstream.started = True
    i = 0
    for _ in range(nblocks - queued):
        block = blocks[i % 4]
        block.dequeue()  # back once the DAC has taken it
        fill(block)
        block.enqueue()
        i += 1
    for k in range(queued):
        blocks[(i + k) % 4].dequeue()
    bstream.started = False
    del blocks
    del bstream
    print(f"PY-TX bytes={nblocks * samples * 8} blocks={nblocks}", flush=True)


def main():
    uri, mib = sys.argv[1], int(sys.argv[2])
    ctx = iio.Context(uri)
    names = sorted(d.name for d in ctx.devices)
    if names != sorted([ADC, DAC]):
        fail(f"devices {names}")
    dev = ctx.find_device(ADC)
    attr = dev.attrs["sampling_frequency"]
    attr.value = "250000"
    if attr.value != "250000":
        fail(f"sampling_frequency read back {attr.value!r}")
    attr.value = "0"
    print(f"PY-CTX uri={uri} devices={','.join(names)} attr=ok", flush=True)
    rx(ctx, mib)
    tx(ctx, 64)
    return 0


if __name__ == "__main__":
    sys.exit(main())
