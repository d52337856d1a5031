#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the hand-made seed corpus of every fuzz target into corpus/<target>/.

Usage: gen-corpus.py [OUTDIR]   (default: the corpus/ folder next to this script)

The seeds are small and readable: valid exchanges of both iiod protocols,
valid context descriptions, and a few edge cases. Files the fuzzer found are
added by hand next to them (named found-*) and are not touched here.
Needs only the Python standard library; the zstd seeds need the zstd program.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")

# protocol-binary.md opcodes
(RESPONSE, PRINT, TIMEOUT, READ_ATTR, READ_DBG_ATTR, READ_BUF_ATTR, READ_CHN_ATTR,
 READ_DEV_EVT_ATTR, READ_CHN_EVT_ATTR, WRITE_ATTR, WRITE_DBG_ATTR, WRITE_BUF_ATTR,
 WRITE_CHN_ATTR, WRITE_DEV_EVT_ATTR, WRITE_CHN_EVT_ATTR, GETTRIG, SETTRIG, OPEN_BUFFER,
 CLOSE_BUFFER, ENABLE_BUFFER, DISABLE_BUFFER, CREATE_BLOCK, FREE_BLOCK, TRANSFER_BLOCK,
 ENQUEUE_BLOCK_CYCLIC, RETRY_DEQUEUE_BLOCK, CREATE_EVSTREAM, FREE_EVSTREAM, READ_EVENT,
 REG_READ, REG_WRITE, REFRESH_FORMAT, NOP) = range(33)

SEP = b"~~~\n"  # between the answers of the client target (fuzz-transport.h)


def hdr(op, dev=0, code=0, client_id=0):
    return struct.pack("<HBBI", client_id, op, dev, code & 0xffffffff)


def code(high, low):
    return struct.unpack("<i", struct.pack("<I", (high << 16) | (low & 0xffff)))[0]


def le64(v):
    return struct.pack("<Q", v)


def le32(v):
    return struct.pack("<I", v)


def zstd(data):
    if not shutil.which("zstd"):
        return None
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return subprocess.run(["zstd", "-q", "-3", "-c", f.name], check=True,
                              stdout=subprocess.PIPE).stdout


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- Context descriptions ----------------------------------------------------

SMALL_XML = """<?xml version="1.0" encoding="utf-8"?>
<context name="local" version-major="1" version-minor="0" version-git="seed"
 description="seed board">
<context-attribute name="hw_model" value="Seed &amp; Co" />
<context-attribute name="local,kernel" value="6.1.0" />
<device id="iio:device0" name="adc" label="rx">
<channel id="voltage0" type="input" name="vccint" label="core">
<scan-element index="0" format="le:S12/16&gt;&gt;4" scale="0.250000" />
<attribute name="raw" filename="in_voltage0_vccint_raw" value="2048" />
<attribute name="scale" filename="in_voltage_scale" value="0.25" />
<attribute name="offset" filename="in_voltage0_offset" value="-3" />
<attribute name="scale_available" filename="in_voltage_scale_available" value="[0.1 0.05 1.0]" />
<attribute name="type_available" value="a b  c" />
</channel>
<channel id="accel_x" type="input">
<scan-element index="1" format="be:s32/32X2&gt;&gt;0" />
<attribute name="raw" value="-12" />
</channel>
<channel id="timestamp" type="input">
<scan-element index="2" format="le:s64/64&gt;&gt;0" />
</channel>
<buffer index="0" direction="in">
<attribute name="length" value="4096" />
<attribute name="enable" value="0" />
</buffer>
<attribute name="sampling_frequency" value="1000" />
<attribute name="sampling_frequency_available" value="100 1000 10000" />
<debug-attribute name="direct_reg_access" value="0x5" />
<event-attribute name="thresh_rising_en" value="0" />
</device>
<device id="iio:device1" name="dac">
<channel id="altvoltage0" type="output" name="TX1_I_F1">
<attribute name="frequency" value="1000000" />
</channel>
<channel id="voltage0" type="output">
<scan-element index="0" format="le:s16/16&gt;&gt;0" />
</channel>
<buffer index="0" direction="out" />
</device>
<device id="trigger0" name="sysfstrig0" />
</context>
"""

# A libiio 0.x document: buffer-attribute, no <buffer>.
V0_XML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE context [<!ELEMENT context (device | context-attribute)*>
<!ELEMENT device (channel | attribute | debug-attribute | buffer-attribute)*>
<!ATTLIST context name CDATA #REQUIRED>]>
<context name="network" version-major="0" version-minor="26" version-git="v0.26"
 description="0.x board">
<device id="iio:device3" name="cf-ad9361-lpc" >
<channel id="voltage0" type="input" >
<scan-element index="0" format="le:S12/16&gt;&gt;0" />
<attribute name="calibscale" filename="in_voltage0_calibscale" />
</channel>
<channel id="voltage1" type="input" >
<scan-element index="1" format="le:S12/16&gt;&gt;0" />
</channel>
<buffer-attribute name="data_available" />
<buffer-attribute name="length_align_bytes" />
<debug-attribute name="pseudorandom_err_check" />
</device>
<device id="iio_sysfs_trigger" >
<attribute name="add_trigger" />
</device>
</context>
"""

EDGE_XML = {
    "entity.xml": '<?xml version="1.0"?><!DOCTYPE context [<!ENTITY a "aaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;">]><context name="x">&b;</context>',
    "empty-context.xml": '<context name="xml"/>',
    "wrong-root.xml": '<?xml version="1.0"?><device id="iio:device0"/>',
    "bad-format.xml": '<context name="x"><device id="d"><channel id="voltage0" type="input">'
                      '<scan-element index="0" format="le:s99/16&gt;&gt;0"/></channel></device>'
                      '</context>',
    "dup-ids.xml": '<context name="x"><device id="d"><channel id="c" type="input"/>'
                   '<channel id="c" type="input"/></device><device id="d"/></context>',
    "huge-index.xml": '<context name="x"><device id="d"><channel id="c" type="output">'
                      '<scan-element index="99999999999999999999" format="be:U64/64X3&gt;&gt;63"/>'
                      '</channel><buffer index="255" direction="sideways"/></device></context>',
    "escapes.xml": '<context name="x" description="&lt;&amp;&quot;&#10;&#xe9;"><device id="d&quot;"'
                   ' name="&lt;n&gt;"><attribute name="a&amp;b" value="&#x1;"/></device></context>',
    "truncated.xml": SMALL_XML[:700],
}


FIXTURES = os.environ.get("IIO_XML_FIXTURES",
                          os.path.join(HERE, "..", "..", "..", "shared", "fixtures", "xml"))


def xml_corpus():
    # A few real documents of the project's fixtures (spec/xml.md).
    for name in ("ad7091r.xml", "event_attrs.xml", "hwmon.xml"):
        path = os.path.join(FIXTURES, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                write("xml", "fixture-" + name, f.read())
    write("xml", "small.xml", SMALL_XML)
    write("xml", "v0.xml", V0_XML)
    for name, data in EDGE_XML.items():
        write("xml", name, data)
    z = zstd(SMALL_XML.encode())
    if z:
        write("xml", "small.xml.zst", z)
        write("xml", "truncated.xml.zst", z[:len(z) // 2])


# ---- iiod, server side: what a client sends ---------------------------------
# The served context is fmcomms2.xml: devices in id order
# 0 iio:device0 ad7291, 1 ad9361-phy, 2 xadc, 3 cf-ad9361-dds-core-lpc,
# 4 cf-ad9361-lpc (4 input scan elements), 5 iio_sysfs_trigger.

def iiod_corpus():
    write("iiod", "ascii-info",
          "VERSION\r\nHELP\r\nPRINT\r\nZPRINT\r\nTIMEOUT 1500\r\n\r\n"
          "READ ad9361-phy\r\nREAD ad9361-phy calib_mode\r\n"
          "READ iio:device1 INPUT voltage0 rf_bandwidth\r\n"
          "read ad9361-phy output altvoltage0 frequency\r\n"
          "READ ad9361-phy DEBUG\r\nREAD cf-ad9361-lpc BUFFER\r\n"
          "GETTRIG cf-ad9361-lpc\r\nSETTRIG cf-ad9361-lpc iio_sysfs_trigger\r\n"
          "SETTRIG cf-ad9361-lpc\r\nEXIT\r\n")
    write("iiod", "ascii-write",
          "WRITE ad9361-phy calib_mode 7\r\nmanual\x00"
          "WRITE ad9361-phy INPUT voltage0 hardwaregain 5\r\n10.00"
          "WRITE ad9361-phy DEBUG direct_reg_access 4\r\n0x37"
          "WRITE cf-ad9361-lpc BUFFER 0\r\n"
          "WRITE nosuchdev attr 3\r\nabc"
          "WRITE ad9361-phy 99999999999\r\n")
    write("iiod", "ascii-stream",
          "OPEN cf-ad9361-lpc 256 0000000f\r\nSET cf-ad9361-lpc BUFFERS_COUNT 4\r\n"
          "READBUF cf-ad9361-lpc 64\r\nREADBUF cf-ad9361-lpc 1024\r\nCLOSE cf-ad9361-lpc\r\n"
          "OPEN cf-ad9361-dds-core-lpc 16 000000ff CYCLIC\r\n"
          "WRITEBUF cf-ad9361-dds-core-lpc 32\r\n" + "A" * 32 +
          "CLOSE cf-ad9361-dds-core-lpc\r\nOPEN cf-ad9361-lpc 4 00000003\r\n")
    write("iiod", "ascii-errors",
          "OPEN cf-ad9361-lpc 0 zz\r\nREADBUF cf-ad9361-lpc -5\r\nTIMEOUT x\r\n"
          "READ\r\nREAD ad9361-phy INPUT\r\nBOGUS\r\n" + "a " * 20 + "\r\n"
          "READ ad9361-phy \x00 x\r\n")

    b = b"BINARY\r\n"
    b += hdr(PRINT) + hdr(TIMEOUT, code=2500) + hdr(NOP)
    b += hdr(READ_ATTR, 1, code(0, 0)) + hdr(READ_ATTR, 1, code(3, 0))
    b += hdr(READ_DBG_ATTR, 1, code(1, 0)) + hdr(READ_BUF_ATTR, 4, code(0, 0))
    b += hdr(READ_CHN_ATTR, 1, code(2, 0)) + hdr(READ_DEV_EVT_ATTR, 0, code(0, 0))
    b += hdr(READ_CHN_EVT_ATTR, 0, code(1, 0))
    b += hdr(WRITE_ATTR, 1, code(0, 0)) + le64(4) + b"123\x00"
    b += hdr(WRITE_CHN_ATTR, 1, code(1, 2)) + le64(2) + b"1\x00"
    b += hdr(GETTRIG, 4) + hdr(SETTRIG, 4, 5) + hdr(SETTRIG, 4, -1)
    b += hdr(REG_READ, 1, 0x80000037) + hdr(REG_WRITE, 1, 0x37) + le32(0x12)
    b += hdr(REFRESH_FORMAT, 4, 0) + hdr(REFRESH_FORMAT, 4, 3)
    b += hdr(RESPONSE, 0, 4) + b"junk"
    b += b"BINARY\r\n" + hdr(NOP)
    write("iiod", "binary-attrs", b)

    b = b"BINARY\r\n"
    b += hdr(OPEN_BUFFER, 4, 0) + le32(0x3)
    b += hdr(CREATE_BLOCK, 4, code(0, 0), client_id=1) + le64(1024)
    b += hdr(CREATE_BLOCK, 4, code(1, 0), client_id=2) + le64(1024)
    b += hdr(TRANSFER_BLOCK, 4, code(0, 0), client_id=1) + le64(1024)
    b += hdr(TRANSFER_BLOCK, 4, code(1, 0), client_id=2) + le64(512)
    b += hdr(ENABLE_BUFFER, 4, 0)
    b += hdr(RETRY_DEQUEUE_BLOCK, 4, code(0, 0), client_id=1)
    b += hdr(TRANSFER_BLOCK, 4, code(0, 0), client_id=1) + le64(1024)
    b += hdr(DISABLE_BUFFER, 4, 0)
    b += hdr(FREE_BLOCK, 4, code(0, 0), client_id=1)
    b += hdr(FREE_BLOCK, 4, code(1, 0), client_id=2)
    b += hdr(CLOSE_BUFFER, 4, 0)
    # TX: the DDS core, its first 4 channels.
    b += hdr(OPEN_BUFFER, 3, 0) + le32(0xf)
    b += hdr(CREATE_BLOCK, 3, code(5, 0), client_id=9) + le64(64)
    b += hdr(ENQUEUE_BLOCK_CYCLIC, 3, code(5, 0), client_id=9) + le64(64) + bytes(range(64))
    b += hdr(ENABLE_BUFFER, 3, 0)
    write("iiod", "binary-stream", b)

    b = b"BINARY\r\n"
    b += hdr(CREATE_EVSTREAM, 0, client_id=0xffff)
    b += hdr(READ_EVENT, 0, 1, client_id=0xffff)
    b += hdr(READ_EVENT, 0, 0, client_id=0xffff)
    b += hdr(READ_EVENT, 0, 0, client_id=0xffff)
    b += hdr(CREATE_EVSTREAM, 2, client_id=0xfffe)
    b += hdr(FREE_EVSTREAM, 0, 0xffff)
    b += hdr(READ_EVENT, 2, 0, client_id=0xfffe)
    write("iiod", "binary-events", b)

    b = b"BINARY\r\n" + hdr(TRANSFER_BLOCK, 9, code(0, 7)) + le64(8)
    write("iiod", "binary-bad-buffer", b)
    write("iiod", "binary-unknown-op", b"BINARY\r\n" + hdr(200) + hdr(NOP))


# ---- The client: what a server answers ----------------------------------------

CLIENT_XML = """<?xml version="1.0"?><context name="xml" version-major="0" version-minor="26"
version-git="abc" description="remote"><context-attribute name="ip,ip-addr" value="10.0.0.2"/>
<device id="iio:device0" name="adc"><channel id="voltage0" type="input">
<scan-element index="0" format="le:s12/16&gt;&gt;0"/><attribute name="raw"/>
<attribute name="scale"/></channel><attribute name="sampling_frequency"/>
<debug-attribute name="direct_reg_access"/><buffer-attribute name="length"/></device>
<device id="trigger0" name="trig"/></context>"""


def resp(code_, data=b"", client_id=0):
    return hdr(RESPONSE, 0, code_, client_id) + data


def client_corpus():
    x = CLIENT_XML.encode()
    # Binary server: BINARY, TIMEOUT, PRINT, then the context's own reads
    # (REFRESH_FORMAT and scale of voltage0), then the harness's calls.
    answers = [b"0\n", resp(0), resp(len(x), x), resp(12, b"le:S12/16>>4"),
               resp(5, b"0.25\x00"),
               resp(5, b"1000\x00"), resp(4, b"0x5\x00"), resp(5, b"2048\x00"),
               resp(12, b"le:S12/16>>4"), resp(5, b"4096\x00"), resp(1), resp(4, le32(0xdead)),
               resp(2), resp(-2), resp(4, le32(7)), resp(0)]
    write("client", "binary", SEP.join(answers))
    z = zstd(x)
    if z:
        answers[2] = resp(len(z), z)
        write("client", "binary-zstd", SEP.join(answers))
    # 0.x server: BINARY refused, ASCII TIMEOUT, ZPRINT refused, PRINT.
    answers = [b"-22\n", b"0\n", b"-22\n", b"%d\n" % len(x) + x + b"\n",
               b"4\n0.25\n", b"4\n1000\n", b"3\n0x5\n", b"4\n2048\n", b"4\n4096\n",
               b"8\ntrigger0\n", b"0\n", b"3\n0x7\n", b"2\n", b"-19\n", b"ERROR\n"]
    write("client", "ascii", SEP.join(answers))
    # Answers for requests not made, and out of order.
    answers = [b"0\n", resp(0) + resp(7, b"xxxxxxx", 5), resp(-5), resp(len(x) + 100, x)]
    write("client", "binary-mismatch", SEP.join(answers))
    write("client", "binary-huge-length", SEP.join([b"0\n", resp(0), resp(0x7fffffff)]))


# ---- Scan formats ------------------------------------------------------------

def format_corpus():
    samples = bytes(range(256)) * 2
    seeds = {
        "s12": b"le:S12/16>>4\n\x07",
        "u32x2-be": b"be:u32/32X2>>0\n\x0b",
        "s64": b"le:s64/64>>0\n\x03",
        "u24": b"le:U24/24>>0\n\x2f",
        "s7-shift": b"be:s7/8>>1\n\x07",
        "wide": b"be:S100/128>>3\n\x01",
        "max": b"le:s4096/4096>>4095\n\x00",
        "repeat": b"le:u8/8X4096>>0\n\x00",
        "bad-length": b"le:s13/12>>0\n",
        "bad-sign": b"le:x8/8>>0\n",
        "trailing": b"le:s8/8>>0 \n",
    }
    for name, data in seeds.items():
        write("format", name, data + (b"" if data.endswith(b"\n") else samples))


# ---- Local names -------------------------------------------------------------

def local_corpus():
    write("local-names", "adc", "\n".join([
        "name=ad7291", "in_voltage0_raw", "in_voltage1_raw=123", "in_voltage_scale=0.5",
        "in_voltage_scale_available=0.1 0.5", "in_temp0_raw", "in_temp0_mean_raw",
        "in_sampling_frequency=100", "out_altvoltage0_TX_LO_frequency",
        "out_altvoltage0_TX_LO_powerdown", "in_accel_x_raw", "in_accel_y_raw",
        "in_accel_scale", "in_voltage0-voltage1_raw", "in_voltage-voltage_scale",
        "in_delta_angl_x_raw", "in_voltage2_vccbram_label=vccbram", "in_voltage2_vccbram_raw",
        "scan_elements/in_voltage0_en=1", "scan_elements/in_voltage0_index=0",
        "scan_elements/in_voltage0_type=le:s12/16>>4", "scan_elements/in_timestamp_en",
        "scan_elements/in_timestamp_index=3", "scan_elements/in_timestamp_type=le:s64/64>>0",
        "buffer/length=4096", "buffer/enable=0", "buffer0/watermark=1",
        "events/in_voltage0_thresh_rising_en=0", "events/in_accel_x_thresh_falling_value",
        "trigger/current_trigger=trigger0", "uevent", "dev=250:0",
    ]))
    write("local-names", "hwmon", "\n".join([
        "@hwmon", "name=board", "temp1_input=42000", "temp1_label=cpu", "temp1_crit",
        "in0_input", "fan2_input", "pwm1=128", "pwm1_enable", "curr1_max", "intrusion0_alarm",
    ]))
    write("local-names", "edge", "\n".join([
        # (a channel file ending in "_" next to another: crashers/local-names/)
        "in_", "in__", "in_voltage1_", "in_voltage0__x", "in_voltage2_x_", "out_", "in",
        "in_voltage", "in_voltage_", "in_0_raw", "in_voltage99999999999999999999_raw",
        "in_voltage0_sampling_frequency", "in_voltage0_sampling_frequency_available",
        "in_voltage0_a_b_c", "in_voltage0_a_b_d",
    ]))


# ---- usb: URIs and filters ---------------------------------------------------

def usb_corpus():
    for name, data in {
        "scan": "", "bus-addr": "3.7", "bus-addr-intf": "1.2.5", "max": "255.255.255",
        "overflow": "256.1", "trailing-dot": "1.2.", "vid-pid": "0456:b673",
        "vid-any": "0x0456:*", "vid-only": "0456", "bad-hex": "0x:12",
        "big-hex": "10000:1", "spaces": " 1.2",
    }.items():
        write("usb-uri", name, data)


xml_corpus()
iiod_corpus()
client_corpus()
format_corpus()
local_corpus()
usb_corpus()
