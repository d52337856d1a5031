#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Talks to an iiod with raw sockets: well-formed, malformed and oversized
requests in both protocols. Each case checks the answer (an error code, or the
session closed) and that another client, connected all along, is still
served. Usage: iiod_raw.py PORT RX_DEVICE_INDEX RX_DEVICE_ID [--demux]
(--demux: only the -D case, against an iiod started with -D)."""

import os
import random
import socket
import struct
import sys
import time

PORT = int(sys.argv[1])
RX_DEV = int(sys.argv[2])      # binary device number of an input device with a buffer
RX_ID = sys.argv[3]            # its id, for the ASCII protocol

OP = {name: i for i, name in enumerate(
    "RESPONSE PRINT TIMEOUT READ_ATTR READ_DBG_ATTR READ_BUF_ATTR READ_CHN_ATTR "
    "READ_DEV_EVT_ATTR READ_CHN_EVT_ATTR WRITE_ATTR WRITE_DBG_ATTR WRITE_BUF_ATTR "
    "WRITE_CHN_ATTR WRITE_DEV_EVT_ATTR WRITE_CHN_EVT_ATTR GETTRIG SETTRIG OPEN_BUFFER "
    "CLOSE_BUFFER ENABLE_BUFFER DISABLE_BUFFER CREATE_BLOCK FREE_BLOCK TRANSFER_BLOCK "
    "ENQUEUE_BLOCK_CYCLIC RETRY_DEQUEUE_BLOCK CREATE_EVSTREAM FREE_EVSTREAM READ_EVENT "
    "REG_READ REG_WRITE REFRESH_FORMAT NOP".split())}

EINVAL, EBADF, EFBIG, ENODEV, ENOENT, EPERM = 22, 9, 27, 19, 2, 1


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def read_line(s):
    line = b""
    while not line.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            raise EOFError("connection closed")
        line += c
    return line


def read_int(s):
    return int(read_line(s))


def expect_closed(s, what):
    """The server must close the session (EOF), within a few seconds."""
    s.settimeout(10)
    try:
        while True:
            if not s.recv(65536):
                return
    except (ConnectionResetError, BrokenPipeError):
        return
    except socket.timeout:
        raise AssertionError(f"{what}: the session was not closed")


def binary(s):
    s.sendall(b"BINARY\r\n")
    assert read_line(s) == b"0\n", "BINARY not accepted"


def header(op, dev=0, code=0, cid=0):
    return struct.pack("<HBBi", cid, OP[op] if isinstance(op, str) else op, dev, code)


def response(s):
    cid, op, dev, code = struct.unpack("<HBBi", recv_exact(s, 8))
    assert op == 0 and dev == 0, f"not a response: op {op} dev {dev}"
    return cid, code


def request(s, op, dev=0, code=0, payload=b"", cid=0, data=False):
    s.sendall(header(op, dev, code, cid) + payload)
    rcid, rcode = response(s)
    body = recv_exact(s, rcode) if data and rcode > 0 else b""
    return rcid, rcode, body


def nop(s):
    assert request(s, "NOP")[1] == 0, "NOP failed"


class Witness:
    """A client connected for the whole run: the server must keep serving it."""

    def __init__(self):
        self.ascii = connect()
        self.bin = connect()
        binary(self.bin)

    def check(self, case):
        self.ascii.sendall(b"VERSION\r\n")
        assert read_line(self.ascii).startswith(b"1.0."), f"after {case}: ASCII witness"
        nop(self.bin)


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# ---- ASCII --------------------------------------------------------------------

@case
def ascii_basics():
    s = connect()
    s.sendall(b"VERSION\r\n")
    v = read_line(s)
    assert v.startswith(b"1.0.") and len(v) == len("1.0.") + 8, v
    s.sendall(b"PRINT\r\n")
    n = read_int(s)
    xml = recv_exact(s, n + 1)
    assert xml.startswith(b"<?xml") and xml.endswith(b">\n"), xml[:40]
    s.sendall(b"ZPRINT\r\n")
    n = read_int(s)
    assert n > 0
    blob = recv_exact(s, n + 1)
    assert blob[:4] == b"\x28\xb5\x2f\xfd", "ZPRINT is not a zstd frame"
    s.sendall(b"\r\n   \n")                   # empty lines: no answer
    s.sendall(b"FOO\r\n")
    assert read_int(s) == -EINVAL
    s.sendall(b"READ nosuchdevice raw\r\n")
    assert read_int(s) == -ENODEV
    s.sendall(("READ %s nosuchattr\r\n" % RX_ID).encode())
    assert read_int(s) == -ENOENT
    s.sendall(("READ %s INPUT nosuchchannel raw\r\n" % RX_ID).encode())
    assert read_int(s) == -6
    s.sendall(b"TIMEOUT -5\r\n")
    assert read_int(s) == -EINVAL
    s.sendall(b"HELP\r\n")
    s.sendall(b"VERSION\r\n")
    data = b""
    while b"1.0." not in data:
        chunk = s.recv(4096)
        assert chunk
        data += chunk
    s.close()


@case
def ascii_write_unknown_device_consumes_payload():
    # Upstream leaves the payload unread and parses it as commands.
    s = connect()
    s.sendall(b"WRITE nosuchdevice raw 9\r\nVERSION\r\n")
    assert read_int(s) == -ENODEV
    s.sendall(b"VERSION\r\n")
    assert read_line(s).startswith(b"1.0.")
    s.close()


@case
def ascii_write_oversized():
    s = connect()
    # Over the 1 MiB attribute limit but under the discard limit: read, refused.
    n = 2 << 20
    s.sendall(("WRITE %s raw %d\r\n" % (RX_ID, n)).encode())
    s.sendall(b"x" * n)
    assert read_int(s) == -EFBIG
    s.sendall(b"VERSION\r\n")
    assert read_line(s).startswith(b"1.0.")
    # Far beyond: the session is closed rather than reading gigabytes.
    s.sendall(("WRITE %s raw %d\r\n" % (RX_ID, 1 << 40)).encode())
    expect_closed(s, "a 1 TiB WRITE")


@case
def ascii_line_too_long():
    s = connect()
    s.sendall(b"READ " + b"a" * 20000)
    expect_closed(s, "a 20000-byte line")


@case
def ascii_bad_buffer_commands():
    s = connect()
    s.sendall(("READBUF %s 1024\r\n" % RX_ID).encode())
    assert read_int(s) == -EBADF          # not opened
    s.sendall(("WRITEBUF %s 1024\r\n" % RX_ID).encode())
    assert read_int(s) == -EBADF          # refused before any data
    s.sendall(("OPEN %s 0 00000001\r\n" % RX_ID).encode())
    assert read_int(s) == -EINVAL         # no samples
    s.sendall(("OPEN %s 16 0001\r\n" % RX_ID).encode())
    assert read_int(s) == -EINVAL         # mask of the wrong length
    s.sendall(("OPEN %s 99999999999 00000001\r\n" % RX_ID).encode())
    assert read_int(s) == -EINVAL         # a block far too large
    s.sendall(("CLOSE %s\r\n" % RX_ID).encode())
    assert read_int(s) == -6              # not opened by this session
    s.sendall(("SET %s BUFFERS_COUNT 0\r\n" % RX_ID).encode())
    assert read_int(s) == -EINVAL
    s.sendall(b"VERSION\r\n")
    assert read_line(s).startswith(b"1.0.")
    s.close()


@case
def ascii_readbuf_legacy():
    s = connect()
    s.sendall(("OPEN %s 64 00000003\r\n" % RX_ID).encode())
    assert read_int(s) == 0
    s.sendall(("READBUF %s 1000\r\n" % RX_ID).encode())   # 64 x 4-byte samples per block
    n = read_int(s)
    assert n == 256, n
    assert read_line(s) == b"00000003\n"
    recv_exact(s, n)
    got = n
    while got < 1000:
        n = read_int(s)
        if n == 0:
            break
        recv_exact(s, n)
        got += n
    assert got == 1000, got
    s.sendall(("READBUF %s 2\r\n" % RX_ID).encode())      # less than a sample
    assert read_int(s) == 0
    s.close()                                          # the session closes the device


def readbuf(s, nbytes):
    """One READBUF: (mask line, data)."""
    s.sendall(("READBUF %s %d\r\n" % (RX_ID, nbytes)).encode())
    data, mask = b"", None
    while len(data) < nbytes:
        n = read_int(s)
        assert n >= 0, n
        if n == 0:
            break
        if mask is None:
            mask = read_line(s)
        data += recv_exact(s, n)
    return mask, data


@case
def ascii_two_readers_get_the_same_samples():
    a, b = connect(), connect()
    for s in (a, b):
        s.sendall(("OPEN %s 256 00000003\r\n" % RX_ID).encode())   # 1 KiB blocks
        assert read_int(s) == 0
    # Whoever is ahead takes blocks from the hardware, the other gets copies
    # (of the last 4 blocks: further behind, samples are lost, as upstream).
    ma, da = readbuf(a, 2048)
    mb, db = readbuf(b, 2048)
    assert ma == mb == b"00000003\n" and len(da) == 2048 and da == db
    mb, db = readbuf(b, 1024)
    ma, da = readbuf(a, 1024)
    assert da == db, "the second reader got other samples"
    a.close()
    b.close()


def demux_case():
    """Server started with -D: each reader gets its own channels, re-packed."""
    a, b = connect(), connect()
    a.sendall(("OPEN %s 64 00000003\r\n" % RX_ID).encode())    # voltage0 + voltage1
    assert read_int(a) == 0
    b.sendall(("OPEN %s 64 00000001\r\n" % RX_ID).encode())    # voltage0 only
    assert read_int(b) == 0
    ma, da = readbuf(a, 1024)
    mb, db = readbuf(b, 512)
    assert ma == b"00000003\n" and mb == b"00000001\n", (ma, mb)
    assert len(db) == 512
    # b's samples: the first 16-bit element of each of a's 4-byte samples.
    expected = b"".join(da[i:i + 2] for i in range(0, len(da), 4))
    assert db == expected, "demultiplexed samples differ"
    a.close()
    b.close()


@case
def ascii_garbage():
    s = connect()
    rnd = random.Random(1234)
    junk = bytes(rnd.randrange(256) for _ in range(65536))
    try:
        s.sendall(junk.replace(b"\n", b" ") + b"\n")
        s.sendall(b"\r\nVERSION\r\n")
        s.settimeout(10)
        data = b""
        while b"1.0." not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    s.close()


# ---- Binary ---------------------------------------------------------------------

@case
def binary_basics():
    s = connect()
    binary(s)
    cid, code, xml = request(s, "PRINT", data=True)
    assert code > 0 and (xml[:4] == b"\x28\xb5\x2f\xfd" or xml.startswith(b"<?xml"))
    assert request(s, "TIMEOUT", code=2500)[1] == 0
    assert request(s, "TIMEOUT", code=-7)[1] == -EINVAL
    assert request(s, "READ_ATTR", dev=250, code=0)[1] == -EINVAL     # no such device
    assert request(s, "READ_ATTR", dev=RX_DEV, code=0x7fff << 16)[1] == -EINVAL
    assert request(s, "READ_CHN_ATTR", dev=RX_DEV, code=0xffff)[1] == -EINVAL
    assert request(s, "GETTRIG", dev=250)[1] == -EINVAL
    assert request(s, "SETTRIG", dev=RX_DEV, code=200)[1] == -EINVAL
    assert request(s, "REFRESH_FORMAT", dev=RX_DEV, code=0xfff)[1] == -EINVAL
    cid, code, fmt = request(s, "REFRESH_FORMAT", dev=RX_DEV, code=0, data=True)
    assert code > 0 and fmt.startswith((b"le:", b"be:")), fmt
    assert request(s, "CLOSE_BUFFER", dev=RX_DEV)[1] == -EBADF
    assert request(s, "ENABLE_BUFFER", dev=RX_DEV)[1] == -EBADF
    assert request(s, "FREE_EVSTREAM", dev=RX_DEV, code=0x1234)[1] == -EBADF
    # READ_EVENT for no stream: answered (upstream stays silent).
    cid, code, _ = request(s, "READ_EVENT", dev=RX_DEV, cid=0xfff0)
    assert cid == 0xfff0 and code == -EBADF
    # A response-opcode "request" with data: the data is dropped.
    s.sendall(header("RESPONSE", code=5) + b"12345")
    nop(s)
    # BINARY again on a binary session: "0\r\n" (a new client on a link that stayed binary).
    s.sendall(b"BINARY\r\n")
    assert recv_exact(s, 3) == b"0\r\n"
    nop(s)
    s.close()


@case
def binary_write_attr_limits():
    s = connect()
    binary(s)
    # Bad addressing: the payload is still read (upstream leaves it in the stream).
    payload = struct.pack("<Q", 4) + b"abc\0"
    assert request(s, "WRITE_ATTR", dev=250, payload=payload)[1] == -EINVAL
    nop(s)
    n = 2 << 20
    assert request(s, "WRITE_DBG_ATTR", dev=RX_DEV, payload=struct.pack("<Q", n) + b"y" * n)[1] \
        == -EFBIG
    nop(s)
    s.sendall(header("WRITE_ATTR", dev=RX_DEV) + struct.pack("<Q", 1 << 50))
    expect_closed(s, "WRITE_ATTR of 2^50 bytes")


@case
def binary_unknown_opcode():
    s = connect()
    binary(s)
    s.sendall(header(200))
    expect_closed(s, "opcode 200")


@case
def binary_open_buffer_unknown_device():
    s = connect()
    binary(s)
    s.sendall(header("OPEN_BUFFER", dev=250) + b"\x01\0\0\0")
    expect_closed(s, "OPEN_BUFFER of an unknown device")


@case
def binary_blocks():
    s = connect()
    binary(s)
    # A transfer on a buffer nobody opened: an answer, not silence.
    cid, code, _ = request(s, "TRANSFER_BLOCK", dev=RX_DEV, cid=5,
                           payload=struct.pack("<Q", 64))
    assert cid == 5 and code == (-EBADF << 16), (cid, code)
    cid, code, mask = request(s, "OPEN_BUFFER", dev=RX_DEV, payload=struct.pack("<I", 3),
                              data=True)
    assert code == 4 and struct.unpack("<I", mask)[0] & 3 == 3, (code, mask)
    # A second opener of the same buffer: EEXIST, its mask still read.
    other = connect()
    binary(other)
    assert request(other, "OPEN_BUFFER", dev=RX_DEV, payload=struct.pack("<I", 3))[1] == -17
    nop(other)
    assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=0, cid=1,
                   payload=struct.pack("<Q", 1 << 40))[1] == -EINVAL
    assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=0, cid=1,
                   payload=struct.pack("<Q", 1))[1] == -EINVAL     # below one sample
    assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=-0x80000000, cid=1,
                   payload=struct.pack("<Q", 64))[1] == -EINVAL    # index out of range
    assert request(s, "ENABLE_BUFFER", dev=RX_DEV)[1] == -EINVAL    # no block yet
    assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=0, cid=1,
                   payload=struct.pack("<Q", 64))[1] == 0
    assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=0, cid=1,
                   payload=struct.pack("<Q", 64))[1] == -17        # exists
    # bytes_used 0 and too large: refused before the hardware (shifted = not enqueued).
    assert request(s, "TRANSFER_BLOCK", dev=RX_DEV, code=0, cid=9,
                   payload=struct.pack("<Q", 0)) == (1, -EINVAL << 16, b"")
    assert request(s, "TRANSFER_BLOCK", dev=RX_DEV, code=0,
                   payload=struct.pack("<Q", 65)) == (1, -EINVAL << 16, b"")
    assert request(s, "TRANSFER_BLOCK", dev=RX_DEV, code=3 << 16, cid=7,
                   payload=struct.pack("<Q", 64)) == (7, -EBADF << 16, b"")
    assert request(s, "RETRY_DEQUEUE_BLOCK", dev=RX_DEV, code=0)[1] == (-EPERM << 16)
    assert request(s, "ENABLE_BUFFER", dev=RX_DEV)[1] == 0
    # A real transfer: the block's samples come back with its client id.
    cid, code, data = request(s, "TRANSFER_BLOCK", dev=RX_DEV, code=0,
                              payload=struct.pack("<Q", 64), data=True)
    assert cid == 1 and code == 64 and len(data) == 64, (cid, code)
    assert request(s, "FREE_BLOCK", dev=RX_DEV, code=0, cid=1)[1] == 0
    assert request(s, "FREE_BLOCK", dev=RX_DEV, code=0, cid=1)[1] == -EBADF
    assert request(s, "DISABLE_BUFFER", dev=RX_DEV)[1] == 0
    assert request(s, "CLOSE_BUFFER", dev=RX_DEV)[1] == 0
    # Leave one open with blocks in flight: closing the socket must clean up.
    assert request(s, "OPEN_BUFFER", dev=RX_DEV, payload=struct.pack("<I", 3), data=True)[1] == 4
    for i in range(4):
        assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=i << 16, cid=i + 1,
                       payload=struct.pack("<Q", 4096))[1] == 0
    for i in range(4):
        s.sendall(header("TRANSFER_BLOCK", dev=RX_DEV, code=i << 16, cid=i + 1) +
                  struct.pack("<Q", 4096))
    s.close()
    # The next opener gets it.
    for _ in range(50):
        cid, code, _ = request(other, "OPEN_BUFFER", dev=RX_DEV, payload=struct.pack("<I", 3),
                               data=True)
        if code == 4:
            break
        time.sleep(0.1)
    assert code == 4, "the buffer stayed open after its session ended"
    assert request(other, "CLOSE_BUFFER", dev=RX_DEV)[1] == 0
    other.close()


@case
def binary_block_count_limit():
    s = connect()
    binary(s)
    assert request(s, "OPEN_BUFFER", dev=RX_DEV, payload=struct.pack("<I", 3), data=True)[1] == 4
    for i in range(256):
        s.sendall(header("CREATE_BLOCK", dev=RX_DEV, code=i << 16, cid=i + 1) +
                  struct.pack("<Q", 64))
    for i in range(256):
        assert response(s)[1] == 0
    # One more: refused (a client must not take all the server's memory).
    assert request(s, "CREATE_BLOCK", dev=RX_DEV, code=256 << 16, cid=300,
                   payload=struct.pack("<Q", 64))[1] == -28
    assert request(s, "CLOSE_BUFFER", dev=RX_DEV)[1] == 0
    s.close()


@case
def binary_truncated_and_garbage():
    rnd = random.Random(99)
    for i in range(30):
        s = connect()
        binary(s)
        # Random headers with random payload bytes, then hang up mid-way.
        blob = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300)))
        try:
            s.sendall(blob)
        except (ConnectionResetError, BrokenPipeError):
            pass
        s.close()
    s = connect()
    binary(s)
    s.sendall(header("NOP")[:5])
    s.close()


@case
def many_sessions():
    socks = [connect() for _ in range(64)]
    for s in socks[::2]:
        binary(s)
    for i, s in enumerate(socks):
        if i % 2 == 0:
            nop(s)
        else:
            s.sendall(b"VERSION\r\n")
            assert read_line(s).startswith(b"1.0.")
    for s in socks:
        s.close()


def main():
    witness = Witness()
    failed = 0
    for fn in CASES:
        try:
            start = time.monotonic()
            fn()
            witness.check(fn.__name__)
            print("ok   %s (%.2f s)" % (fn.__name__, time.monotonic() - start))
        except Exception as e:  # report every case, then fail
            failed += 1
            print("FAIL %s: %r" % (fn.__name__, e))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[4] == "--demux":
        demux_case()
        print("ok   demux")
        sys.exit(0)
    sys.exit(main())
