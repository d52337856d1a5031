# SPDX-License-Identifier: LGPL-2.1-or-later
"""Contexts and scanning."""

import ctypes

from ._lib import lib, free, text, ptr_value
from .objects import Device, Trigger


def scan_contexts(backends=None):
    """{uri: description} of the contexts the backends find (all of them when None)."""
    scan = lib.iio_scan(None, backends.encode() if backends else None)
    try:
        return {text(lib.iio_scan_get_uri(scan, i)): text(lib.iio_scan_get_description(scan, i))
                for i in range(lib.iio_scan_get_results_count(scan))}
    finally:
        lib.iio_scan_destroy(scan)


class Context:
    """An IIO context: Context() (default: $IIOD_REMOTE or local:), Context("usb:"), ..."""

    def __init__(self, _context=None):
        self._ctx = None
        if _context is None or isinstance(_context, str):
            uri = _context.encode() if _context is not None else None
            self._ctx = lib.iio_create_context(None, uri)
        else:
            self._ctx = _context
        xml = lib.iio_context_get_xml(self._ctx)
        self._xml = ctypes.string_at(xml).decode(errors="replace")
        free(xml)
        self._name = text(lib.iio_context_get_name(self._ctx))
        self._description = text(lib.iio_context_get_description(self._ctx))
        self._version = (lib.iio_context_get_version_major(self._ctx),
                         lib.iio_context_get_version_minor(self._ctx),
                         text(lib.iio_context_get_version_tag(self._ctx)))
        self._attrs = {}
        for i in range(lib.iio_context_get_attrs_count(self._ctx)):
            attr = lib.iio_context_get_attr(self._ctx, i)
            self._attrs[text(lib.iio_attr_get_name(attr))] = \
                text(lib.iio_attr_get_static_value(attr))
        self._devices = []
        for i in range(lib.iio_context_get_devices_count(self._ctx)):
            dev = lib.iio_context_get_device(self._ctx, i)
            cls = Trigger if lib.iio_device_is_trigger(dev) else Device
            self._devices.append(cls(self, dev))

    def __del__(self):
        if getattr(self, "_ctx", None) and ptr_value(self._ctx):
            lib.iio_context_destroy(self._ctx)
            self._ctx = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # Children hold references; the C context goes when the last one does.
        return False

    name = property(lambda self: self._name)
    description = property(lambda self: self._description)
    xml = property(lambda self: self._xml)
    version = property(lambda self: self._version)
    attrs = property(lambda self: self._attrs)

    @property
    def devices(self):
        return list(self._devices)

    def set_timeout(self, timeout):
        lib.iio_context_set_timeout(self._ctx, timeout)

    def ping(self):
        lib.iio_context_ping(self._ctx)

    def find_device(self, name_or_id_or_label):
        """The device whose id, label or name matches, or None."""
        dev = lib.iio_context_find_device(self._ctx, name_or_id_or_label.encode())
        if not ptr_value(dev):
            return None
        for device in self._devices:
            if ptr_value(device._dev) == ptr_value(dev):
                return device
        return None

    def __repr__(self):
        return f"<iio.Context {self._name}: {self._attrs.get('uri', '')}>"


class LocalContext(Context):
    def __init__(self):
        super().__init__("local:")


class XMLContext(Context):
    def __init__(self, xmlfile):
        super().__init__("xml:" + xmlfile)


class NetworkContext(Context):
    def __init__(self, hostname=None):
        super().__init__("ip:" + (hostname or ""))
