# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loading libiio.so.1 and declaring the C functions the binding calls."""

import ctypes
import ctypes.util
import os
import sys
from ctypes import (POINTER, Structure, c_bool, c_char, c_char_p, c_double, c_int, c_int64,
                    c_long, c_longlong, c_size_t, c_ssize_t, c_uint, c_uint32, c_uint64,
                    c_void_p, CFUNCTYPE)

_ERR_LIMIT = 4095


def _candidates():
    # An explicit path wins; then the 1.x soname (so that a distribution's libiio.so.0
    # found first by find_library() does not shadow ours); then the usual search.
    env = os.environ.get("LIBIIO_LIBRARY")
    if env:
        yield env
    if sys.platform.startswith("win"):
        found = ctypes.util.find_library("libiio1.dll")
        if found:
            yield found
        return
    yield "libiio.so.1"
    found = ctypes.util.find_library("iio")
    if found:
        yield found
    yield "libiio.so"


def _load():
    errors = []
    for name in _candidates():
        try:
            lib = ctypes.CDLL(name, use_errno=True)
        except OSError as exc:
            errors.append(f"{name}: {exc}")
            continue
        try:
            lib.iio_buffer_open  # only libiio 1.x has the buffer-stream API
        except AttributeError:
            errors.append(f"{name}: not libiio 1.x")
            continue
        return lib
    raise OSError(2, "Could not find libiio 1.x C library (" + "; ".join(errors) + ")")


lib = _load()


class _ContextPtr(c_void_p):
    pass


class _DevicePtr(c_void_p):
    pass


class _ChannelPtr(c_void_p):
    pass


class _AttrPtr(c_void_p):
    pass


class _BufferPtr(c_void_p):
    pass


class _BufferStreamPtr(c_void_p):
    pass


class _BlockPtr(c_void_p):
    pass


class _StreamPtr(c_void_p):
    pass


class _MaskPtr(c_void_p):
    pass


class _ScanPtr(c_void_p):
    pass


class _EventStreamPtr(c_void_p):
    pass


class DataFormat(Structure):
    """struct iio_data_format."""
    _fields_ = [
        ("length", c_uint),
        ("bits", c_uint),
        ("shift", c_uint),
        ("is_signed", c_bool),
        ("is_fully_defined", c_bool),
        ("is_be", c_bool),
        ("with_scale", c_bool),
        ("scale", c_double),
        ("repeat", c_uint),
        ("offset", c_double),
    ]


class Event(Structure):
    """struct iio_event: the kernel's event id and timestamp."""
    _fields_ = [("id", c_uint64), ("timestamp", c_int64)]


def strerror(err):
    """The library's message for an errno (sign ignored)."""
    buf = ctypes.create_string_buffer(256)
    lib.iio_strerror(abs(err), buf, len(buf))
    return buf.value.decode(errors="replace")


def error(err, what=None):
    """An OSError carrying the errno and the library's message."""
    err = abs(err)
    msg = strerror(err)
    if what:
        msg = f"{what}: {msg}"
    return OSError(err, msg)


def _check_ptr(result, func, args):
    value = result if isinstance(result, int) else (result.value or 0)
    if value and value >= (1 << (8 * ctypes.sizeof(c_void_p))) - _ERR_LIMIT:
        raise error((1 << (8 * ctypes.sizeof(c_void_p))) - value, func.__name__)
    return result


def _check_neg(result, func, args):
    if result < 0:
        raise error(result, func.__name__)
    return result


def _declare(name, restype, argtypes, errcheck=None):
    func = getattr(lib, name)
    func.restype = restype
    func.argtypes = argtypes
    if errcheck:
        func.errcheck = errcheck
    return func


_SAMPLE_CB = CFUNCTYPE(c_ssize_t, _ChannelPtr, c_void_p, c_size_t, c_void_p)

_PROTOTYPES = [
    # name, restype, argtypes, errcheck ("ptr": error pointer, "neg": negative errno)
    ("iio_strerror", None, [c_int, c_char_p, c_size_t], None),
    ("iio_has_backend", c_bool, [c_void_p, c_char_p], None),
    ("iio_get_builtin_backends_count", c_uint, [], None),
    ("iio_get_builtin_backend", c_char_p, [c_uint], None),
    ("iio_scan", _ScanPtr, [c_void_p, c_char_p], "ptr"),
    ("iio_scan_destroy", None, [_ScanPtr], None),
    ("iio_scan_get_results_count", c_size_t, [_ScanPtr], None),
    ("iio_scan_get_description", c_char_p, [_ScanPtr, c_size_t], None),
    ("iio_scan_get_uri", c_char_p, [_ScanPtr, c_size_t], None),
    ("iio_create_context", _ContextPtr, [c_void_p, c_char_p], "ptr"),
    ("iio_context_destroy", None, [_ContextPtr], None),
    ("iio_context_get_version_major", c_uint, [_ContextPtr], None),
    ("iio_context_get_version_minor", c_uint, [_ContextPtr], None),
    ("iio_context_get_version_tag", c_char_p, [_ContextPtr], None),
    ("iio_context_get_xml", c_void_p, [_ContextPtr], "ptr"),
    ("iio_context_get_name", c_char_p, [_ContextPtr], None),
    ("iio_context_get_description", c_char_p, [_ContextPtr], None),
    ("iio_context_get_attrs_count", c_uint, [_ContextPtr], None),
    ("iio_context_get_attr", _AttrPtr, [_ContextPtr, c_uint], None),
    ("iio_context_get_devices_count", c_uint, [_ContextPtr], None),
    ("iio_context_get_device", _DevicePtr, [_ContextPtr, c_uint], None),
    ("iio_context_find_device", _DevicePtr, [_ContextPtr, c_char_p], None),
    ("iio_context_set_timeout", c_int, [_ContextPtr, c_int], "neg"),
    ("iio_context_ping", c_int, [_ContextPtr], "neg"),
    ("iio_attr_read_raw", c_ssize_t, [_AttrPtr, c_char_p, c_size_t], "neg"),
    ("iio_attr_write_string", c_ssize_t, [_AttrPtr, c_char_p], "neg"),
    ("iio_attr_get_name", c_char_p, [_AttrPtr], None),
    ("iio_attr_get_filename", c_char_p, [_AttrPtr], None),
    ("iio_attr_get_static_value", c_char_p, [_AttrPtr], None),
    ("iio_device_get_context", _ContextPtr, [_DevicePtr], None),
    ("iio_device_get_id", c_char_p, [_DevicePtr], None),
    ("iio_device_get_name", c_char_p, [_DevicePtr], None),
    ("iio_device_get_label", c_char_p, [_DevicePtr], None),
    ("iio_device_get_channels_count", c_uint, [_DevicePtr], None),
    ("iio_device_get_channel", _ChannelPtr, [_DevicePtr, c_uint], None),
    ("iio_device_find_channel", _ChannelPtr, [_DevicePtr, c_char_p, c_bool], None),
    ("iio_device_get_attrs_count", c_uint, [_DevicePtr], None),
    ("iio_device_get_attr", _AttrPtr, [_DevicePtr, c_uint], None),
    ("iio_device_get_debug_attrs_count", c_uint, [_DevicePtr], None),
    ("iio_device_get_debug_attr", _AttrPtr, [_DevicePtr, c_uint], None),
    ("iio_device_get_event_attrs_count", c_uint, [_DevicePtr], None),
    ("iio_device_get_event_attr", _AttrPtr, [_DevicePtr, c_uint], None),
    ("iio_device_get_buffers_count", c_uint, [_DevicePtr], None),
    ("iio_device_get_buffer", _BufferPtr, [_DevicePtr, c_uint], None),
    ("iio_device_get_trigger", _DevicePtr, [_DevicePtr], None),
    ("iio_device_set_trigger", c_int, [_DevicePtr, _DevicePtr], "neg"),
    ("iio_device_is_trigger", c_bool, [_DevicePtr], None),
    ("iio_device_get_sample_size", c_ssize_t, [_DevicePtr, _MaskPtr], "neg"),
    ("iio_device_reg_read", c_int, [_DevicePtr, c_uint32, POINTER(c_uint32)], "neg"),
    ("iio_device_reg_write", c_int, [_DevicePtr, c_uint32, c_uint32], "neg"),
    ("iio_device_create_event_stream", _EventStreamPtr, [_DevicePtr], "ptr"),
    ("iio_event_stream_destroy", None, [_EventStreamPtr], None),
    ("iio_event_stream_read", c_int, [_EventStreamPtr, POINTER(Event), c_bool], None),
    ("iio_event_get_channel", _ChannelPtr, [POINTER(Event), _DevicePtr, c_bool], None),
    ("iio_channel_get_device", _DevicePtr, [_ChannelPtr], None),
    ("iio_channel_get_id", c_char_p, [_ChannelPtr], None),
    ("iio_channel_get_name", c_char_p, [_ChannelPtr], None),
    ("iio_channel_get_label", c_char_p, [_ChannelPtr], None),
    ("iio_channel_is_output", c_bool, [_ChannelPtr], None),
    ("iio_channel_is_scan_element", c_bool, [_ChannelPtr], None),
    ("iio_channel_get_attrs_count", c_uint, [_ChannelPtr], None),
    ("iio_channel_get_attr", _AttrPtr, [_ChannelPtr, c_uint], None),
    ("iio_channel_get_event_attrs_count", c_uint, [_ChannelPtr], None),
    ("iio_channel_get_event_attr", _AttrPtr, [_ChannelPtr, c_uint], None),
    ("iio_channel_enable", None, [_ChannelPtr, _MaskPtr], None),
    ("iio_channel_disable", None, [_ChannelPtr, _MaskPtr], None),
    ("iio_channel_is_enabled", c_bool, [_ChannelPtr, _MaskPtr], None),
    ("iio_channel_get_index", c_long, [_ChannelPtr], None),
    ("iio_channel_get_data_format", POINTER(DataFormat), [_ChannelPtr], None),
    ("iio_channel_get_type", c_int, [_ChannelPtr], None),
    ("iio_channel_get_modifier", c_int, [_ChannelPtr], None),
    ("iio_channel_read", c_size_t, [_ChannelPtr, _BlockPtr, c_void_p, c_size_t, c_bool], None),
    ("iio_channel_write", c_size_t, [_ChannelPtr, _BlockPtr, c_void_p, c_size_t, c_bool], None),
    ("iio_channel_refresh_format", c_int, [_ChannelPtr], "neg"),
    ("iio_create_channels_mask", _MaskPtr, [c_uint], None),
    ("iio_channels_mask_destroy", None, [_MaskPtr], None),
    ("iio_buffer_get_device", _DevicePtr, [_BufferPtr], None),
    ("iio_buffer_get_attrs_count", c_uint, [_BufferPtr], None),
    ("iio_buffer_get_attr", _AttrPtr, [_BufferPtr, c_uint], None),
    ("iio_buffer_get_scan_elements_count", c_uint, [_BufferPtr], None),
    ("iio_buffer_get_scan_element", _ChannelPtr, [_BufferPtr, c_uint], None),
    ("iio_buffer_is_output", c_bool, [_BufferPtr], None),
    ("iio_buffer_open", _BufferStreamPtr, [_BufferPtr, _MaskPtr], "ptr"),
    ("iio_buffer_close", None, [_BufferStreamPtr], None),
    ("iio_buffer_stream_cancel", None, [_BufferStreamPtr], None),
    ("iio_buffer_stream_start", c_int, [_BufferStreamPtr], "neg"),
    ("iio_buffer_stream_stop", c_int, [_BufferStreamPtr], "neg"),
    ("iio_buffer_stream_get_channels_mask", _MaskPtr, [_BufferStreamPtr], None),
    ("iio_buffer_stream_create_block", _BlockPtr, [_BufferStreamPtr, c_size_t], "ptr"),
    ("iio_block_destroy", None, [_BlockPtr], None),
    ("iio_block_start", c_void_p, [_BlockPtr], None),
    ("iio_block_end", c_void_p, [_BlockPtr], None),
    ("iio_block_first", c_void_p, [_BlockPtr, _ChannelPtr], None),
    ("iio_block_enqueue", c_int, [_BlockPtr, c_size_t, c_bool], "neg"),
    ("iio_block_dequeue", c_int, [_BlockPtr, c_bool], "neg"),
    ("iio_block_get_buffer_stream", _BufferStreamPtr, [_BlockPtr], None),
    ("iio_block_get_dmabuf_fd", c_int, [_BlockPtr], None),
    ("iio_buffer_create_stream", _StreamPtr, [_BufferPtr, c_size_t, c_size_t, _MaskPtr], "ptr"),
    ("iio_stream_cancel", None, [_StreamPtr], None),
    ("iio_stream_destroy", None, [_StreamPtr], None),
    ("iio_stream_get_next_block", _BlockPtr, [_StreamPtr], "ptr"),
]

for _name, _restype, _argtypes, _check in _PROTOTYPES:
    _declare(_name, _restype, _argtypes,
             {"ptr": _check_ptr, "neg": _check_neg, None: None}[_check])

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
_libc.free.argtypes = [c_void_p]
_libc.free.restype = None


def free(ptr):
    """free() of a pointer the library malloc'd (the context XML)."""
    _libc.free(ptr)


def text(value):
    """A C string (bytes or None) as str or None."""
    return value.decode(errors="replace") if value is not None else None


def ptr_value(ptr):
    """The address held by a ctypes pointer object, or 0 for NULL."""
    return ptr.value or 0 if ptr is not None else 0


def err_of(ptr):
    """The negative errno an error pointer holds, else 0 (iio_err())."""
    value = ptr_value(ptr)
    limit = 1 << (8 * ctypes.sizeof(c_void_p))
    return value - limit if value >= limit - _ERR_LIMIT else 0


__all__ = ["lib", "DataFormat", "Event", "strerror", "error", "free", "text", "ptr_value",
           "err_of", "c_char", "c_longlong"]
