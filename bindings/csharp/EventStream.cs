// SPDX-License-Identifier: LGPL-2.1-or-later
// Events of a device.
using System;
using System.Runtime.InteropServices;

namespace iio
{
    public class IIOEvent
    {
        public enum EventType
        {
            IIO_EV_TYPE_THRESH, IIO_EV_TYPE_MAG, IIO_EV_TYPE_ROC, IIO_EV_TYPE_THRESH_ADAPTIVE,
            IIO_EV_TYPE_MAG_ADAPTIVE, IIO_EV_TYPE_CHANGE, IIO_EV_TYPE_MAG_REFERENCED,
            IIO_EV_TYPE_GESTURE, IIO_EV_TYPE_FAULT,
        }

        public enum EventDirection
        {
            IIO_EV_DIR_EITHER, IIO_EV_DIR_RISING, IIO_EV_DIR_FALLING, IIO_EV_DIR_NONE,
            IIO_EV_DIR_SINGLETAP, IIO_EV_DIR_DOUBLETAP, IIO_EV_DIR_FAULT_OPENWIRE,
        }

        public readonly ulong id;
        public readonly long timestamp;
        public readonly Channel chn;
        public readonly Channel chn_diff;

        internal IIOEvent(ulong id, long timestamp, Channel chn, Channel chn_diff)
        {
            this.id = id;
            this.timestamp = timestamp;
            this.chn = chn;
            this.chn_diff = chn_diff;
        }

        public EventType type { get { return (EventType)((id >> 56) & 0xff); } }

        public EventDirection direction { get { return (EventDirection)((id >> 48) & 0x7f); } }
    }

    public class EventStream : IIOObject
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct RawEvent
        {
            public ulong id;
            public long timestamp;
        }

        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_device_create_event_stream(IntPtr dev);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_event_stream_destroy(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_event_stream_read(IntPtr stream, ref RawEvent ev,
                                                        [MarshalAs(UnmanagedType.I1)] bool nonblock);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_event_get_channel(ref RawEvent ev, IntPtr dev,
                                                           [MarshalAs(UnmanagedType.I1)] bool diff);

        public readonly Device dev;

        public EventStream(Device dev)
        {
            this.dev = dev;
            hdl = IioLib.CheckPtr(iio_device_create_event_stream(dev.dev), "Unable to open the events of " + dev.id);
        }

        private Channel Lookup(IntPtr chn)
        {
            foreach (Channel c in dev.channels)
                if (c.hdl == chn)
                    return c;
            return null;
        }

        /// <summary>The next event; null when nonblock and nothing is pending.</summary>
        public IIOEvent read_event(bool nonblock)
        {
            ThrowIfDisposed();
            RawEvent ev = new RawEvent();
            int ret = iio_event_stream_read(hdl, ref ev, nonblock);
            if (nonblock && (ret == -11 || ret == -16))
                return null;
            IioLib.Check(ret, "Unable to read an event of " + dev.id);
            return new IIOEvent(ev.id, ev.timestamp, Lookup(iio_event_get_channel(ref ev, dev.dev, false)),
                                Lookup(iio_event_get_channel(ref ev, dev.dev, true)));
        }

        protected override void Destroy()
        {
            iio_event_stream_destroy(hdl);
        }
    }
}
