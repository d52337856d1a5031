# SPDX-License-Identifier: LGPL-2.1-or-later
"""Channel masks, buffers, buffer streams, blocks and streams."""

import ctypes

from ._lib import lib, ptr_value, error
from .objects import Attr


class ChannelsMask:
    """The set of channels of a device to stream."""

    def __init__(self, dev):
        self._parent = dev
        self._dev = dev
        self._mask = lib.iio_create_channels_mask(len(dev.channels))
        if not ptr_value(self._mask):
            raise error(12 if dev.channels else 22, f"{dev.id}: creating a channels mask")
        self._owned = True

    @classmethod
    def _wrap(cls, dev, mask):
        self = cls.__new__(cls)
        self._parent = dev
        self._dev = dev
        self._mask = mask
        self._owned = False
        return self

    def __del__(self):
        if getattr(self, "_owned", False) and ptr_value(self._mask):
            lib.iio_channels_mask_destroy(self._mask)

    @property
    def channels(self):
        return [chn for chn in self._dev.channels if chn.is_enabled(self)]

    @channels.setter
    def channels(self, channels):
        wanted = set(channels)
        for chn in self._dev.channels:
            if chn in wanted:
                chn.enable(self)
            else:
                chn.disable(self)

    @property
    def sample_size(self):
        return lib.iio_device_get_sample_size(self._dev._dev, self._mask)


class Buffer:
    """A hardware buffer of a device (Device.get_buffer(), Device.buffers)."""

    def __init__(self, device, _buffer):
        self._parent = device
        self._device = device
        self._buf = _buffer
        self._attrs = {}
        for i in range(lib.iio_buffer_get_attrs_count(_buffer)):
            attr = Attr(self, lib.iio_buffer_get_attr(_buffer, i))
            self._attrs[attr.name] = attr

    device = property(lambda self: self._device)
    attrs = property(lambda self: self._attrs)

    @property
    def output(self):
        return lib.iio_buffer_is_output(self._buf)

    @property
    def scan_elements(self):
        ptrs = [ptr_value(lib.iio_buffer_get_scan_element(self._buf, i))
                for i in range(lib.iio_buffer_get_scan_elements_count(self._buf))]
        by_ptr = {ptr_value(chn._chn): chn for chn in self._device.channels}
        return [by_ptr[p] for p in ptrs if p in by_ptr]

    def open(self, mask):
        return BufferStream(self, mask)


class BufferStream:
    """An opened buffer: blocks are created from it."""

    def __init__(self, buffer, mask, _buffer_stream=None):
        self._parent = buffer
        self._buffer = buffer
        self._stream = None
        self._owned = _buffer_stream is None
        self._stream = _buffer_stream or lib.iio_buffer_open(buffer._buf, mask._mask)
        self._started = False
        self._mask = ChannelsMask._wrap(buffer.device,
                                        lib.iio_buffer_stream_get_channels_mask(self._stream))

    def __del__(self):
        if getattr(self, "_owned", False) and ptr_value(getattr(self, "_stream", None)):
            lib.iio_buffer_close(self._stream)
            self._stream = None

    buffer = property(lambda self: self._buffer)
    mask = property(lambda self: self._mask)

    @property
    def sample_size(self):
        return self._mask.sample_size

    @property
    def started(self):
        return self._started

    @started.setter
    def started(self, value):
        if value:
            lib.iio_buffer_stream_start(self._stream)
        else:
            lib.iio_buffer_stream_stop(self._stream)
        self._started = bool(value)

    def cancel(self):
        lib.iio_buffer_stream_cancel(self._stream)

    def create_block(self, size):
        return Block(self, size)


class Block:
    """A block of samples. Block(buffer_stream, size) creates one."""

    def __init__(self, buffer_stream, size, _block=None):
        self._parent = buffer_stream
        self._buffer_stream = buffer_stream
        self._block = None
        self._owned = _block is None
        self._block = _block or lib.iio_buffer_stream_create_block(buffer_stream._stream, size)
        self._enqueued = False

    def __del__(self):
        if getattr(self, "_owned", False) and ptr_value(getattr(self, "_block", None)):
            lib.iio_block_destroy(self._block)
            self._block = None

    buffer_stream = property(lambda self: self._buffer_stream)

    def __len__(self):
        return lib.iio_block_end(self._block) - lib.iio_block_start(self._block)

    def _check_owned(self):
        if not self._owned:
            raise error(1, "a block of an iio.Stream is enqueued by the stream")

    def enqueue(self, size=None, cyclic=False):
        self._check_owned()
        lib.iio_block_enqueue(self._block, size or 0, cyclic)
        self._enqueued = True

    def dequeue(self, nonblock=False):
        self._check_owned()
        lib.iio_block_dequeue(self._block, nonblock)
        self._enqueued = False

    def memoryview(self):
        """The block's memory, without a copy (valid while the block lives)."""
        start = lib.iio_block_start(self._block)
        return memoryview((ctypes.c_char * len(self)).from_address(start)).cast("B")

    def read(self):
        """A copy of the whole block."""
        if self._enqueued:
            raise error(16, "the block is enqueued")
        return bytearray(self.memoryview())

    def write(self, array):
        """Copies bytes into the block; returns how many."""
        if self._enqueued:
            raise error(16, "the block is enqueued")
        data = bytes(array)[:len(self)]
        ctypes.memmove(lib.iio_block_start(self._block), data, len(data))
        return len(data)

    @property
    def dmabuf_fd(self):
        """The DMABUF fd behind the block, or None."""
        fd = lib.iio_block_get_dmabuf_fd(self._block)
        return fd if fd >= 0 else None


class Stream:
    """A ring of blocks: iterating yields the next block (RX: filled; TX: to fill)."""

    def __init__(self, buffer, mask, samples_count, nb_blocks=4):
        self._parent = buffer
        self._buffer = buffer
        self._mask = mask
        self._stream = None
        self._stream = lib.iio_buffer_create_stream(buffer._buf, nb_blocks, samples_count,
                                                    mask._mask)
        self._proxy_stream = _StreamBlocksOwner(buffer, mask)

    def __del__(self):
        if getattr(self, "_stream", None) and ptr_value(self._stream):
            lib.iio_stream_destroy(self._stream)
            self._stream = None

    def __iter__(self):
        return self

    def __next__(self):
        block = lib.iio_stream_get_next_block(self._stream)
        return Block(self._proxy_stream, 0, _block=block)

    next = __next__

    def cancel(self):
        lib.iio_stream_cancel(self._stream)


class _StreamBlocksOwner:
    """What a stream's blocks report as their buffer stream (for sample_size and numpy)."""

    def __init__(self, buffer, mask):
        self.buffer = buffer
        self.mask = mask

    @property
    def sample_size(self):
        return self.mask.sample_size
