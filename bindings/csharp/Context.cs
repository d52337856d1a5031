// SPDX-License-Identifier: LGPL-2.1-or-later
// A context: a set of devices reached through one backend (local:, usb:, ip:, xml:).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace iio
{
    [StructLayout(LayoutKind.Sequential)]
    public struct IioContextParams
    {
        public IntPtr Out;
        public IntPtr Err;
        public int LogLevel;
        public int StderrLevel;
        public int TimestampLevel;
        public int TimeoutMs;
        public uint Flags;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 32)]
        public byte[] Reserved;
    }

    public enum IioLogLevel
    {
        NoLog = 1,
        Error = 2,
        Warning = 3,
        Info = 4,
        Debug = 5,
    }

    public class Context : IIOObject
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_create_context(IntPtr parms, string uri);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_create_context(ref IioContextParams parms, string uri);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_context_destroy(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_get_name(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_get_description(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_get_xml(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_context_get_devices_count(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_get_device(IntPtr ctx, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.I1)]
        private static extern bool iio_device_is_trigger(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_find_device(IntPtr ctx, string name);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_context_get_attrs_count(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_get_attr(IntPtr ctx, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_context_set_timeout(IntPtr ctx, int timeout_ms);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_context_ping(IntPtr ctx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_context_get_params(IntPtr ctx);
        [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
        private static extern void free(IntPtr ptr);

        public readonly string xml;
        public readonly string name;
        public readonly string description;
        public readonly Version backend_version;
        public readonly IReadOnlyList<Device> devices;
        public readonly Dictionary<string, string> attrs;

        /// <summary>uri null: $IIOD_REMOTE, else local:.</summary>
        public Context(string uri = null) : this(iio_create_context(IntPtr.Zero, uri), uri) { }

        public Context(IioContextParams parms, string uri = null)
            : this(iio_create_context(ref parms, uri), uri) { }

        private Context(IntPtr ctx, string uri)
        {
            hdl = IioLib.CheckPtr(ctx, "Unable to create IIO context " + (uri ?? ""));
            IntPtr x = IioLib.CheckPtr(iio_context_get_xml(hdl), "Unable to get the context XML");
            xml = Marshal.PtrToStringAnsi(x);
            free(x);
            name = IioLib.Str(iio_context_get_name(hdl));
            description = IioLib.Str(iio_context_get_description(hdl));
            backend_version = new Version(hdl);
            attrs = new Dictionary<string, string>();
            uint na = iio_context_get_attrs_count(hdl);
            for (uint i = 0; i < na; i++) {
                Attr a = new Attr(iio_context_get_attr(hdl, i));
                attrs[a.name] = a.read();
            }
            var devs = new List<Device>();
            uint nd = iio_context_get_devices_count(hdl);
            for (uint i = 0; i < nd; i++) {
                IntPtr d = iio_context_get_device(hdl, i);
                devs.Add(iio_device_is_trigger(d) ? new Trigger(this, d) : new Device(this, d));
            }
            devices = devs;
        }

        /// <summary>The device with this id, label or name, or null.</summary>
        public Device get_device(string name)
        {
            ThrowIfDisposed();
            IntPtr d = iio_context_find_device(hdl, name);
            foreach (Device dev in devices)
                if (dev.dev == d)
                    return dev;
            return null;
        }

        public void set_timeout(int timeout)
        {
            ThrowIfDisposed();
            IioLib.Check(iio_context_set_timeout(hdl, timeout), "Unable to set the timeout");
        }

        public void ping()
        {
            ThrowIfDisposed();
            IioLib.Check(iio_context_ping(hdl), "Ping failed");
        }

        public IioContextParams GetContextParams()
        {
            ThrowIfDisposed();
            return (IioContextParams)Marshal.PtrToStructure(iio_context_get_params(hdl), typeof(IioContextParams));
        }

        protected override void Destroy()
        {
            iio_context_destroy(hdl);
        }
    }

    /// <summary>The contexts found by the backends named in a scan string.</summary>
    public class Scan : IIOObject
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_scan(IntPtr parms, string backends);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_scan_destroy(IntPtr scan);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern UIntPtr iio_scan_get_results_count(IntPtr scan);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_scan_get_uri(IntPtr scan, UIntPtr idx);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_scan_get_description(IntPtr scan, UIntPtr idx);

        public readonly uint nb_results;
        public readonly IReadOnlyDictionary<string, string> results;

        public Scan(string backends = null)
        {
            hdl = IioLib.CheckPtr(iio_scan(IntPtr.Zero, backends), "Scan failed");
            nb_results = (uint)iio_scan_get_results_count(hdl);
            var r = new Dictionary<string, string>();
            for (uint i = 0; i < nb_results; i++)
                r[IioLib.Str(iio_scan_get_uri(hdl, (UIntPtr)i))] =
                    IioLib.Str(iio_scan_get_description(hdl, (UIntPtr)i));
            results = r;
        }

        protected override void Destroy()
        {
            iio_scan_destroy(hdl);
        }
    }
}
