// SPDX-License-Identifier: LGPL-2.1-or-later
// A channel of a device, and its sample format.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace iio
{
    public class Channel
    {
        public enum ChannelType
        {
            IIO_VOLTAGE, IIO_CURRENT, IIO_POWER, IIO_ACCEL, IIO_ANGL_VEL, IIO_MAGN, IIO_LIGHT,
            IIO_INTENSITY, IIO_PROXIMITY, IIO_TEMP, IIO_INCLI, IIO_ROT, IIO_ANGL, IIO_TIMESTAMP,
            IIO_CAPACITANCE, IIO_ALTVOLTAGE, IIO_CCT, IIO_PRESSURE, IIO_HUMIDITYRELATIVE,
            IIO_ACTIVITY, IIO_STEPS, IIO_ENERGY, IIO_DISTANCE, IIO_VELOCITY, IIO_CONCENTRATION,
            IIO_RESISTANCE, IIO_PH, IIO_UVINDEX, IIO_ELECTRICALCONDUCTIVITY, IIO_COUNT, IIO_INDEX,
            IIO_GRAVITY, IIO_POSITIONRELATIVE, IIO_PHASE, IIO_MASSCONCENTRATION, IIO_DELTA_ANGL,
            IIO_DELTA_VELOCITY, IIO_COLORTEMP, IIO_CHROMATICITY, IIO_ATTENTION, IIO_ALTCURRENT,
            IIO_COVERAGE,
            IIO_CHAN_TYPE_UNKNOWN = Int32.MaxValue,
        }

        public enum ChannelModifier
        {
            IIO_NO_MOD, IIO_MOD_X, IIO_MOD_Y, IIO_MOD_Z, IIO_MOD_X_AND_Y, IIO_MOD_X_AND_Z,
            IIO_MOD_Y_AND_Z, IIO_MOD_X_AND_Y_AND_Z, IIO_MOD_X_OR_Y, IIO_MOD_X_OR_Z, IIO_MOD_Y_OR_Z,
            IIO_MOD_X_OR_Y_OR_Z, IIO_MOD_LIGHT_BOTH, IIO_MOD_LIGHT_IR, IIO_MOD_ROOT_SUM_SQUARED_X_Y,
            IIO_MOD_SUM_SQUARED_X_Y_Z, IIO_MOD_LIGHT_CLEAR, IIO_MOD_LIGHT_RED, IIO_MOD_LIGHT_GREEN,
            IIO_MOD_LIGHT_BLUE, IIO_MOD_QUATERNION, IIO_MOD_TEMP_AMBIENT, IIO_MOD_TEMP_OBJECT,
            IIO_MOD_NORTH_MAGN, IIO_MOD_NORTH_TRUE, IIO_MOD_NORTH_MAGN_TILT_COMP,
            IIO_MOD_NORTH_TRUE_TILT_COMP, IIO_MOD_RUNNING, IIO_MOD_JOGGING, IIO_MOD_WALKING,
            IIO_MOD_STILL, IIO_MOD_ROOT_SUM_SQUARED_X_Y_Z, IIO_MOD_I, IIO_MOD_Q, IIO_MOD_CO2,
            IIO_MOD_VOC, IIO_MOD_LIGHT_UV, IIO_MOD_LIGHT_DUV, IIO_MOD_PM1, IIO_MOD_PM2P5,
            IIO_MOD_PM4, IIO_MOD_PM10, IIO_MOD_ETHANOL, IIO_MOD_H2, IIO_MOD_O2, IIO_MOD_LINEAR_X,
            IIO_MOD_LINEAR_Y, IIO_MOD_LINEAR_Z, IIO_MOD_PITCH, IIO_MOD_YAW, IIO_MOD_ROLL,
            IIO_MOD_LIGHT_UVA, IIO_MOD_LIGHT_UVB, IIO_MOD_RMS, IIO_MOD_ACTIVE, IIO_MOD_REACTIVE,
            IIO_MOD_APPARENT, IIO_MOD_QUATERNION_AXIS,
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct DataFormat
        {
            public uint length;
            public uint bits;
            public uint shift;
            [MarshalAs(UnmanagedType.I1)] public bool is_signed;
            [MarshalAs(UnmanagedType.I1)] public bool is_fully_defined;
            [MarshalAs(UnmanagedType.I1)] public bool is_be;
            [MarshalAs(UnmanagedType.I1)] public bool with_scale;
            public double scale;
            public uint repeat;
            public double offset;
        }

        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_channel_get_id(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_channel_get_name(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_channel_get_label(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.I1)]
        private static extern bool iio_channel_is_output(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.I1)]
        private static extern bool iio_channel_is_scan_element(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_channel_get_attrs_count(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_channel_get_attr(IntPtr chn, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_channel_get_event_attrs_count(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_channel_get_event_attr(IntPtr chn, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern long iio_channel_get_index(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_channel_get_type(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_channel_get_modifier(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_channel_get_data_format(IntPtr chn);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_channel_enable(IntPtr chn, IntPtr mask);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_channel_disable(IntPtr chn, IntPtr mask);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.I1)]
        private static extern bool iio_channel_is_enabled(IntPtr chn, IntPtr mask);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern UIntPtr iio_channel_read(IntPtr chn, IntPtr block, byte[] dst,
                                                       UIntPtr len, [MarshalAs(UnmanagedType.I1)] bool raw);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern UIntPtr iio_channel_write(IntPtr chn, IntPtr block, byte[] src,
                                                        UIntPtr len, [MarshalAs(UnmanagedType.I1)] bool raw);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_channel_refresh_format(IntPtr chn);

        internal readonly IntPtr hdl;
        public readonly Device dev;
        public readonly string id;
        public readonly string name;
        public readonly string label;
        public readonly bool output;
        public readonly bool scan_element;
        public readonly IReadOnlyDictionary<string, Attr> attrs;
        public readonly IReadOnlyDictionary<string, Attr> event_attrs;

        internal Channel(Device dev, IntPtr chn)
        {
            this.dev = dev;
            hdl = chn;
            id = IioLib.Str(iio_channel_get_id(chn));
            name = IioLib.Str(iio_channel_get_name(chn));
            label = IioLib.Str(iio_channel_get_label(chn));
            output = iio_channel_is_output(chn);
            scan_element = iio_channel_is_scan_element(chn);
            var a = new Dictionary<string, Attr>();
            for (uint i = 0; i < iio_channel_get_attrs_count(chn); i++) {
                Attr attr = new Attr(iio_channel_get_attr(chn, i));
                a[attr.name] = attr;
            }
            attrs = a;
            var e = new Dictionary<string, Attr>();
            for (uint i = 0; i < iio_channel_get_event_attrs_count(chn); i++) {
                Attr attr = new Attr(iio_channel_get_event_attr(chn, i));
                e[attr.name] = attr;
            }
            event_attrs = e;
        }

        /// <summary>The scan index, or a negative value when the channel has none.</summary>
        public long index { get { return iio_channel_get_index(hdl); } }

        public ChannelType type { get { return (ChannelType)iio_channel_get_type(hdl); } }

        public ChannelModifier modifier { get { return (ChannelModifier)iio_channel_get_modifier(hdl); } }

        public DataFormat format
        {
            get { return (DataFormat)Marshal.PtrToStructure(iio_channel_get_data_format(hdl), typeof(DataFormat)); }
        }

        public void enable(ChannelsMask mask) { iio_channel_enable(hdl, mask.hdl); }

        public void disable(ChannelsMask mask) { iio_channel_disable(hdl, mask.hdl); }

        public bool is_enabled(ChannelsMask mask) { return iio_channel_is_enabled(hdl, mask.hdl); }

        /// <summary>This channel's samples out of a block (converted unless raw).</summary>
        public byte[] read(Block block, bool raw = false)
        {
            byte[] data = new byte[block.size];
            ulong n = (ulong)iio_channel_read(hdl, block.hdl, data, (UIntPtr)data.Length, raw);
            Array.Resize(ref data, (int)n);
            return data;
        }

        /// <summary>Multiplexes samples into a block; returns the bytes consumed.</summary>
        public uint write(Block block, byte[] array, bool raw = false)
        {
            return (uint)iio_channel_write(hdl, block.hdl, array, (UIntPtr)array.Length, raw);
        }

        public void refresh_format()
        {
            IioLib.Check(iio_channel_refresh_format(hdl), "Unable to refresh the format of " + id);
        }

        public override string ToString()
        {
            return id;
        }
    }
}
