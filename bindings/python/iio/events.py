# SPDX-License-Identifier: LGPL-2.1-or-later
"""Event streams."""

import ctypes

from ._lib import lib, Event, error, ptr_value


class EventStream:
    """Events of a device; use as a context manager (Device.event_stream())."""

    def __init__(self, device):
        self._parent = device
        self._device = device
        self._stream = lib.iio_device_create_event_stream(device._dev)

    def close(self):
        if ptr_value(self._stream):
            lib.iio_event_stream_destroy(self._stream)
            self._stream = None

    def __del__(self):
        if getattr(self, "_stream", None):
            self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _channel(self, event, diff):
        chn = lib.iio_event_get_channel(ctypes.byref(event), self._device._dev, diff)
        for channel in self._device.channels:
            if ptr_value(channel._chn) == ptr_value(chn):
                return channel
        return None

    def read(self, nonblock=True):
        """(Event, (channel, differential channel)), or None when nothing is pending."""
        event = Event()
        ret = lib.iio_event_stream_read(self._stream, ctypes.byref(event), nonblock)
        if ret in (-11, -16):  # EAGAIN / EBUSY: nothing pending
            return None
        if ret < 0:
            raise error(ret, f"{self._device.id}: reading an event")
        return event, (self._channel(event, False), self._channel(event, True))
