# SPDX-License-Identifier: LGPL-2.1-or-later
"""The binding against xml: contexts; expectations come from parsing the XML here."""

import xml.etree.ElementTree as ET

import pytest

import iio
from conftest import FIXTURE_XML, SOURCE_DIR

DOCS = sorted(FIXTURE_XML.glob("*.xml")) + sorted((SOURCE_DIR / "tests" / "fixtures").glob("*.xml"))


def _doc_ids(doc):
    return doc.name


@pytest.mark.parametrize("doc", DOCS, ids=_doc_ids)
def test_devices_channels_and_attributes_match_the_document(doc):
    root = ET.parse(doc).getroot()
    ctx = iio.Context("xml:" + str(doc))
    assert ctx.name == "xml"
    devices = {dev.id: dev for dev in ctx.devices}
    assert sorted(devices) == sorted(d.get("id") for d in root.findall("device"))
    for d in root.findall("device"):
        dev = devices[d.get("id")]
        assert dev.name == d.get("name")
        assert sorted(chn.id for chn in dev.channels) == \
            sorted(c.get("id") for c in d.findall("channel"))
        assert sorted(dev.attrs) == sorted(a.get("name") for a in d.findall("attribute"))
        for c in d.findall("channel"):
            chn = dev.find_channel(c.get("id"), c.get("type") == "output")
            assert chn is not None and chn.id == c.get("id")
            assert chn.output == (c.get("type") == "output")
            scan = c.find("scan-element")
            assert chn.scan_element == (scan is not None)
            if scan is not None:
                assert chn.index == int(scan.get("index"))
                fmt = scan.get("format")
                assert chn.data_format.length == int(fmt.split("/")[1].split(">")[0].split("X")[0])
            for a in c.findall("attribute"):
                # 0.x documents carry channel event attributes as "events/..." files.
                if (a.get("filename") or "").startswith("events/"):
                    assert a.get("name") in chn.event_attrs
                elif (a.get("value") or "").startswith("ERROR:"):
                    # a read that failed when the document was saved fails again
                    with pytest.raises(OSError) as exc:
                        chn.attrs[a.get("name")].value
                    assert exc.value.errno == -int(a.get("value")[6:])
                elif a.get("value") is not None:
                    assert chn.attrs[a.get("name")].value == a.get("value")
            for a in c.findall("event-attribute"):
                assert a.get("name") in chn.event_attrs
    for a in root.findall("context-attribute"):
        if a.get("name") != "uri":   # an xml: context's uri is the xml: one
            assert ctx.attrs[a.get("name")] == a.get("value")
    assert ctx.attrs["uri"] == "xml:" + str(doc)


def test_xml_round_trip_through_the_binding():
    ctx = iio.Context("xml:" + str(FIXTURE_XML / "fmcomms2.xml"))
    again = iio.Context("xml:" + ctx.xml)
    assert [d.id for d in again.devices] == [d.id for d in ctx.devices]
    assert again.xml == ctx.xml


def test_lookups_and_missing_things():
    ctx = iio.Context("xml:" + str(FIXTURE_XML / "fmcomms2.xml"))
    rx = ctx.find_device("cf-ad9361-lpc")
    assert rx is not None and rx.name == "cf-ad9361-lpc"
    assert ctx.find_device(rx.id) == rx
    assert ctx.find_device("no-such-device") is None
    assert rx.find_channel("no-such-channel") is None
    assert rx.find_channel("voltage0") == rx.channels[[c.id for c in rx.channels].index("voltage0")]


def test_errors_carry_errno_and_message():
    with pytest.raises(OSError) as exc:
        iio.Context("xml:/no/such/file.xml")
    assert exc.value.errno == 2
    assert "No such file" in str(exc.value)
    with pytest.raises(OSError) as exc:
        iio.Context("nosuchbackend:")
    assert exc.value.errno == 38


def test_module_attributes():
    assert iio.version[0] == 1
    assert "xml" in iio.backends
    assert iio.bindings_version == "1.0"
    assert iio._has_backend("xml")
    assert not iio._has_backend("nosuch")
    assert "Invalid argument" in iio.iio_strerror(22)


def test_masks_and_sample_size():
    ctx = iio.Context("xml:" + str(FIXTURE_XML / "fmcomms2.xml"))
    rx = ctx.find_device("cf-ad9361-lpc")
    mask = iio.ChannelsMask(rx)
    assert mask.channels == []
    scan = [c for c in rx.channels if c.scan_element and c.index >= 0]
    mask.channels = scan[:2]
    assert mask.channels == scan[:2]
    assert mask.sample_size == sum(c.data_format.length // 8 for c in scan[:2])
    buf = rx.get_buffer(0)
    assert buf is not None and not buf.output
    with pytest.raises(OSError) as exc:     # xml: contexts cannot stream
        buf.open(mask)
    assert exc.value.errno == 38
