// SPDX-License-Identifier: LGPL-2.1-or-later
// An attribute of a context, device, channel or buffer.
using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace iio
{
    public class Attr
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_attr_get_name(IntPtr attr);

        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_attr_get_filename(IntPtr attr);

        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_attr_get_static_value(IntPtr attr);

        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern long iio_attr_read_raw(IntPtr attr, StringBuilder dst, UIntPtr len);

        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern long iio_attr_write_string(IntPtr attr, string src);

        internal readonly IntPtr hdl;
        public readonly string name;
        public readonly string filename;

        internal Attr(IntPtr attr)
        {
            hdl = attr;
            name = IioLib.Str(iio_attr_get_name(attr));
            filename = IioLib.Str(iio_attr_get_filename(attr));
        }

        public string read()
        {
            IntPtr stat = iio_attr_get_static_value(hdl);
            if (stat != IntPtr.Zero)
                return IioLib.Str(stat);
            StringBuilder buf = new StringBuilder(4096);
            IioLib.Check(iio_attr_read_raw(hdl, buf, (UIntPtr)buf.Capacity), "Unable to read " + name);
            return buf.ToString();
        }

        public void write(string val)
        {
            IioLib.Check(iio_attr_write_string(hdl, val), "Unable to write " + name);
        }

        public bool read_bool()
        {
            return read_long() != 0;
        }

        public long read_long()
        {
            string s = read().Trim();
            if (s.StartsWith("0x") || s.StartsWith("0X"))
                return Convert.ToInt64(s.Substring(2), 16);
            return long.Parse(s, CultureInfo.InvariantCulture);
        }

        public double read_double()
        {
            return double.Parse(read().Trim(), CultureInfo.InvariantCulture);
        }

        public void write(bool val)
        {
            write(val ? "1" : "0");
        }

        public void write(long val)
        {
            write(val.ToString(CultureInfo.InvariantCulture));
        }

        public void write(double val)
        {
            write(val.ToString("F6", CultureInfo.InvariantCulture));
        }

        public override string ToString()
        {
            return name;
        }
    }
}
