# SPDX-License-Identifier: LGPL-2.1-or-later
"""Attributes, channels, devices and triggers."""

import ctypes

from ._lib import (lib, error, text, ptr_value, err_of, DataFormat, Event, _DevicePtr,
                   _ChannelPtr)
from .enums import ChannelModifier, ChannelType, EventDirection, EventType

_ATTR_READ_SIZE = 4096


class Attr:
    """An attribute of a context, device, channel or buffer; str(attr) is its name."""

    def __init__(self, parent, attr):
        self._parent = parent
        self._attr = attr
        self._name = text(lib.iio_attr_get_name(attr))
        self._filename = text(lib.iio_attr_get_filename(attr))

    @property
    def name(self):
        return self._name

    @property
    def filename(self):
        return self._filename

    @property
    def value(self):
        """The value as text; reading fails with OSError (errno and the library's message)."""
        static = lib.iio_attr_get_static_value(self._attr)
        if static is not None:
            return text(static)
        buf = ctypes.create_string_buffer(_ATTR_READ_SIZE)
        lib.iio_attr_read_raw(self._attr, buf, len(buf))
        return buf.value.decode(errors="replace")

    @value.setter
    def value(self, value):
        lib.iio_attr_write_string(self._attr, str(value).encode())

    def __str__(self):
        return self._name

    def __repr__(self):
        return f"<iio.Attr {self._name}>"


def _attr_dict(parent, count_fn, get_fn, handle):
    attrs = {}
    for i in range(count_fn(handle)):
        attr = Attr(parent, get_fn(handle, i))
        attrs[attr.name] = attr
    return attrs


class Channel:
    """A channel of a device."""

    def __init__(self, device, chn):
        self._parent = device
        self._chn = chn
        self._device = device
        self._id = text(lib.iio_channel_get_id(chn))
        self._name = text(lib.iio_channel_get_name(chn))
        self._label = text(lib.iio_channel_get_label(chn))
        self._output = lib.iio_channel_is_output(chn)
        self._scan_element = lib.iio_channel_is_scan_element(chn)
        self._attrs = _attr_dict(self, lib.iio_channel_get_attrs_count,
                                 lib.iio_channel_get_attr, chn)
        self._event_attrs = _attr_dict(self, lib.iio_channel_get_event_attrs_count,
                                       lib.iio_channel_get_event_attr, chn)

    def __eq__(self, other):
        return isinstance(other, Channel) and ptr_value(self._chn) == ptr_value(other._chn)

    def __hash__(self):
        return ptr_value(self._chn)

    def __repr__(self):
        return f"<iio.Channel {self._id} ({'output' if self._output else 'input'})>"

    id = property(lambda self: self._id)
    name = property(lambda self: self._name)
    label = property(lambda self: self._label)
    output = property(lambda self: self._output)
    scan_element = property(lambda self: self._scan_element)
    attrs = property(lambda self: self._attrs)
    event_attrs = property(lambda self: self._event_attrs)
    device = property(lambda self: self._device)

    @property
    def index(self):
        return lib.iio_channel_get_index(self._chn)

    @property
    def data_format(self):
        return DataFormat.from_buffer_copy(lib.iio_channel_get_data_format(self._chn).contents)

    @property
    def type(self):
        value = lib.iio_channel_get_type(self._chn)
        try:
            return ChannelType(value)
        except ValueError:
            return value

    @property
    def modifier(self):
        return ChannelModifier(lib.iio_channel_get_modifier(self._chn))

    def enable(self, mask):
        lib.iio_channel_enable(self._chn, mask._mask)

    def disable(self, mask):
        lib.iio_channel_disable(self._chn, mask._mask)

    def is_enabled(self, mask):
        return lib.iio_channel_is_enabled(self._chn, mask._mask)

    def read(self, block, raw=False):
        """This channel's samples out of a block, demultiplexed (and converted unless raw)."""
        size = len(block)
        buf = ctypes.create_string_buffer(size)
        length = lib.iio_channel_read(self._chn, block._block, buf, size, raw)
        return bytearray(buf.raw[:length])

    def write(self, block, array, raw=False):
        """Multiplexes samples into a block; returns the number of bytes consumed."""
        data = bytes(array)
        buf = ctypes.create_string_buffer(data, len(data))
        return lib.iio_channel_write(self._chn, block._block, buf, len(data), raw)

    def numpy(self, block):
        """The channel's raw samples as a numpy view of the block's memory (no copy)."""
        import numpy  # optional dependency, only for this method

        fmt = self.data_format
        elem = fmt.length // 8
        dtype = numpy.dtype(f"{'>' if fmt.is_be else '<'}{'i' if fmt.is_signed else 'u'}{elem}")
        first = lib.iio_block_first(block._block, self._chn)
        end = lib.iio_block_end(block._block)
        step = block.buffer_stream.sample_size
        count = (end - first) // step if first and end > first else 0
        view = block.memoryview()
        offset = first - lib.iio_block_start(block._block) if count else 0
        return numpy.ndarray((count, fmt.repeat), dtype=dtype, buffer=view, offset=offset,
                             strides=(step, elem)).squeeze(axis=1 if fmt.repeat == 1 else ())

    def refresh_format(self):
        lib.iio_channel_refresh_format(self._chn)


class _DeviceOrTrigger:
    def __init__(self, ctx, dev):
        self._parent = ctx
        self._ctx = ctx
        self._dev = dev
        self._id = text(lib.iio_device_get_id(dev))
        self._name = text(lib.iio_device_get_name(dev))
        self._label = text(lib.iio_device_get_label(dev))
        self._attrs = _attr_dict(self, lib.iio_device_get_attrs_count, lib.iio_device_get_attr,
                                 dev)
        self._debug_attrs = _attr_dict(self, lib.iio_device_get_debug_attrs_count,
                                       lib.iio_device_get_debug_attr, dev)
        self._event_attrs = _attr_dict(self, lib.iio_device_get_event_attrs_count,
                                       lib.iio_device_get_event_attr, dev)
        self._channels = [Channel(self, lib.iio_device_get_channel(dev, i))
                          for i in range(lib.iio_device_get_channels_count(dev))]

    def __eq__(self, other):
        return isinstance(other, _DeviceOrTrigger) and \
            ptr_value(self._dev) == ptr_value(other._dev)

    def __hash__(self):
        return ptr_value(self._dev)

    def __repr__(self):
        return f"<iio.{type(self).__name__} {self._id} ({self._name})>"

    id = property(lambda self: self._id)
    name = property(lambda self: self._name)
    label = property(lambda self: self._label)
    attrs = property(lambda self: self._attrs)
    debug_attrs = property(lambda self: self._debug_attrs)
    event_attrs = property(lambda self: self._event_attrs)
    context = property(lambda self: self._ctx)
    ctx = property(lambda self: self._ctx)

    @property
    def channels(self):
        """The channels, in the library's order (scan index)."""
        return list(self._channels)

    @property
    def hwmon(self):
        return self._id.startswith("hwmon")

    @property
    def buffers(self):
        from .streaming import Buffer
        return [Buffer(self, lib.iio_device_get_buffer(self._dev, i))
                for i in range(lib.iio_device_get_buffers_count(self._dev))]

    def get_buffer(self, idx=0):
        from .streaming import Buffer
        buf = lib.iio_device_get_buffer(self._dev, idx)
        return Buffer(self, buf) if ptr_value(buf) else None

    def find_channel(self, name_or_id, is_output=False):
        chn = lib.iio_device_find_channel(self._dev, name_or_id.encode(), is_output)
        if not ptr_value(chn):
            return None
        for channel in self._channels:
            if ptr_value(channel._chn) == ptr_value(chn):
                return channel
        return Channel(self, chn)

    def reg_write(self, reg, value):
        lib.iio_device_reg_write(self._dev, reg, value)

    def reg_read(self, reg):
        value = ctypes.c_uint32()
        lib.iio_device_reg_read(self._dev, reg, ctypes.byref(value))
        return value.value

    @property
    def trigger(self):
        """The assigned trigger, or None when none is assigned."""
        trig = lib.iio_device_get_trigger(self._dev)
        err = err_of(trig)
        if err == -19:  # ENODEV: no trigger assigned
            return None
        if err:
            raise error(err, f"{self._id}: reading the trigger")
        for dev in self._ctx.devices:
            if ptr_value(dev._dev) == ptr_value(trig):
                return dev
        return None

    @trigger.setter
    def trigger(self, trigger):
        lib.iio_device_set_trigger(self._dev, trigger._dev if trigger else _DevicePtr())

    def event_stream(self):
        from .events import EventStream
        return EventStream(self)

    @property
    def sample_size(self):
        raise AttributeError("sample_size needs a mask: use ChannelsMask(dev).sample_size")


class Device(_DeviceOrTrigger):
    """An IIO device (or hwmon device)."""


class Trigger(_DeviceOrTrigger):
    """A trigger device."""

    @property
    def frequency(self):
        return int(self._attrs["sampling_frequency"].value)

    @frequency.setter
    def frequency(self, value):
        self._attrs["sampling_frequency"].value = str(int(value))


__all__ = ["Attr", "Channel", "Device", "Trigger", "Event", "EventType", "EventDirection"]
