# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python binding of libiio 1.0 (ctypes over libiio.so.1, no compiled extension).

    import iio
    ctx = iio.Context("usb:")
    dev = ctx.find_device("cf-ad9361-lpc")
    mask = iio.ChannelsMask(dev)
    mask.channels = [dev.find_channel("voltage0"), dev.find_channel("voltage1")]
    for block in iio.Stream(dev.get_buffer(0), mask, 1024):
        samples = dev.find_channel("voltage0").read(block)

Set LIBIIO_LIBRARY to the path of a libiio.so.1 to use that one.
"""

from ._lib import DataFormat, Event, lib as _lib, strerror as _strerror, text as _text
from .enums import (ChannelModifier, ChannelType, EventDirection, EventType, HwmonChannelType,
                    LogLevel)
from .objects import Attr, Channel, Device, Trigger
from .context import Context, LocalContext, NetworkContext, XMLContext, scan_contexts
from .streaming import Block, Buffer, BufferStream, ChannelsMask, Stream
from .events import EventStream

bindings_version = "1.0"
version = (_lib.iio_context_get_version_major(None), _lib.iio_context_get_version_minor(None),
           _text(_lib.iio_context_get_version_tag(None)))
backends = [_text(_lib.iio_get_builtin_backend(i))
            for i in range(_lib.iio_get_builtin_backends_count())]


def iio_strerror(err):
    """The library's message for an errno."""
    return _strerror(err)


def _has_backend(name):
    return _lib.iio_has_backend(None, name.encode())


def _event_type(self):
    return EventType((self.id >> 56) & 0xff)


def _event_direction(self):
    return EventDirection((self.id >> 48) & 0x7f)


Event.type = property(_event_type)
Event.direction = property(_event_direction)

__all__ = ["Attr", "Block", "Buffer", "BufferStream", "Channel", "ChannelModifier",
           "ChannelType", "ChannelsMask", "Context", "DataFormat", "Device", "Event",
           "EventDirection", "EventStream", "EventType", "HwmonChannelType", "LocalContext",
           "LogLevel", "NetworkContext", "Stream", "Trigger", "XMLContext", "backends",
           "bindings_version", "iio_strerror", "scan_contexts", "version"]
