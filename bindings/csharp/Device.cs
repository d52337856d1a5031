// SPDX-License-Identifier: LGPL-2.1-or-later
// A device of a context; triggers are devices too.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace iio
{
    public class Device
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_id(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_name(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_label(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_device_get_channels_count(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_channel(IntPtr dev, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_find_channel(IntPtr dev, string name,
                                                             [MarshalAs(UnmanagedType.I1)] bool output);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_device_get_attrs_count(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_attr(IntPtr dev, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_device_get_debug_attrs_count(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_debug_attr(IntPtr dev, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_device_get_event_attrs_count(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_event_attr(IntPtr dev, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_device_get_buffers_count(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_buffer(IntPtr dev, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_get_trigger(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_device_set_trigger(IntPtr dev, IntPtr trigger);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern long iio_device_get_sample_size(IntPtr dev, IntPtr mask);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_device_reg_write(IntPtr dev, uint addr, uint value);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_device_reg_read(IntPtr dev, uint addr, ref uint value);

        internal readonly IntPtr dev;
        public readonly Context ctx;
        public readonly string id;
        public readonly string name;
        public readonly string label;
        public readonly IReadOnlyList<Channel> channels;
        public readonly IReadOnlyDictionary<string, Attr> attrs;
        public readonly IReadOnlyDictionary<string, Attr> debug_attrs;
        public readonly IReadOnlyDictionary<string, Attr> event_attrs;
        public readonly IReadOnlyList<IOBuffer> buffers;

        private static IReadOnlyDictionary<string, Attr> AttrDict(IntPtr dev,
                Func<IntPtr, uint> count, Func<IntPtr, uint, IntPtr> get)
        {
            var d = new Dictionary<string, Attr>();
            uint n = count(dev);
            for (uint i = 0; i < n; i++) {
                Attr attr = new Attr(get(dev, i));
                d[attr.name] = attr;
            }
            return d;
        }

        internal Device(Context ctx, IntPtr dev)
        {
            this.ctx = ctx;
            this.dev = dev;
            id = IioLib.Str(iio_device_get_id(dev));
            name = IioLib.Str(iio_device_get_name(dev));
            label = IioLib.Str(iio_device_get_label(dev));
            var chns = new List<Channel>();
            uint nb = iio_device_get_channels_count(dev);
            for (uint i = 0; i < nb; i++)
                chns.Add(new Channel(this, iio_device_get_channel(dev, i)));
            channels = chns;
            attrs = AttrDict(dev, iio_device_get_attrs_count, iio_device_get_attr);
            debug_attrs = AttrDict(dev, iio_device_get_debug_attrs_count, iio_device_get_debug_attr);
            event_attrs = AttrDict(dev, iio_device_get_event_attrs_count, iio_device_get_event_attr);
            var bufs = new List<IOBuffer>();
            uint nbuf = iio_device_get_buffers_count(dev);
            for (uint i = 0; i < nbuf; i++)
                bufs.Add(new IOBuffer(this, iio_device_get_buffer(dev, i)));
            buffers = bufs;
        }

        public bool hwmon { get { return id.StartsWith("hwmon"); } }

        /// <summary>The channel with this id, label or name, or null.</summary>
        public Channel get_channel(string name, bool output = false)
        {
            IntPtr chn = iio_device_find_channel(dev, name, output);
            if (chn == IntPtr.Zero)
                return null;
            foreach (Channel c in channels)
                if (c.hdl == chn)
                    return c;
            return null;
        }

        public virtual void set_trigger(Trigger trig)
        {
            IioLib.Check(iio_device_set_trigger(dev, trig == null ? IntPtr.Zero : trig.dev),
                         "Unable to set the trigger of " + id);
        }

        /// <summary>The assigned trigger, or null when none is.</summary>
        public virtual Trigger get_trigger()
        {
            IntPtr trig = iio_device_get_trigger(dev);
            int err = IioLib.PtrError(trig);
            if (err == -19)
                return null;
            IioLib.CheckPtr(trig, "Unable to read the trigger of " + id);
            foreach (Device d in ctx.devices)
                if (d.dev == trig)
                    return d as Trigger;
            return null;
        }

        public long get_sample_size(ChannelsMask mask)
        {
            return IioLib.Check(iio_device_get_sample_size(dev, mask.hdl), "Unable to get the sample size of " + id);
        }

        public void reg_write(uint addr, uint value)
        {
            IioLib.Check(iio_device_reg_write(dev, addr, value), "Unable to write register of " + id);
        }

        public uint reg_read(uint addr)
        {
            uint value = 0;
            IioLib.Check(iio_device_reg_read(dev, addr, ref value), "Unable to read register of " + id);
            return value;
        }

        public override string ToString()
        {
            return id;
        }
    }

    /// <summary>A trigger; its rate is its "sampling_frequency" attribute.</summary>
    public class Trigger : Device
    {
        internal Trigger(Context ctx, IntPtr dev) : base(ctx, dev) { }

        public void set_rate(ulong rate)
        {
            attrs["sampling_frequency"].write((long)rate);
        }

        public ulong get_rate()
        {
            return (ulong)attrs["sampling_frequency"].read_long();
        }

        public override void set_trigger(Trigger trig)
        {
            throw new IIOException("A trigger has no trigger");
        }

        public override Trigger get_trigger()
        {
            throw new IIOException("A trigger has no trigger");
        }
    }
}
