// SPDX-License-Identifier: LGPL-2.1-or-later
// P/Invoke declarations of libiio.so.1 and the error helpers every class uses.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace iio
{
    /// <summary>An error of libiio: the errno and the library's message.</summary>
    public class IIOException : Exception
    {
        public const int NoErrorCode = 0;
        public int ErrorCode { get; private set; }

        public IIOException(string msg) : base(msg) { ErrorCode = NoErrorCode; }

        public IIOException(string msg, int err)
            : base(msg + ": " + IioLib.strerror(-Math.Abs(err)))
        {
            ErrorCode = -Math.Abs(err);
        }
    }

    /// <summary>Library-level functions and the native entry points.</summary>
    public static class IioLib
    {
        public const string dllname = "libiio.so.1";

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_strerror(int err, StringBuilder dst, UIntPtr len);

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.I1)]
        private static extern bool iio_has_backend(IntPtr parms, string backend);

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_get_builtin_backends_count();

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_get_builtin_backend(uint index);

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint iio_context_get_version_major(IntPtr ctx);

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint iio_context_get_version_minor(IntPtr ctx);

        [DllImport(dllname, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr iio_context_get_version_tag(IntPtr ctx);

        /// <summary>The library's message for an errno (sign ignored).</summary>
        public static string strerror(int err)
        {
            StringBuilder buf = new StringBuilder(256);
            iio_strerror(err, buf, (UIntPtr)buf.Capacity);
            return buf.ToString();
        }

        public static bool has_backend(string backend)
        {
            return iio_has_backend(IntPtr.Zero, backend);
        }

        public static uint get_builtin_backends_count()
        {
            return iio_get_builtin_backends_count();
        }

        public static string get_builtin_backend(uint index)
        {
            return Str(iio_get_builtin_backend(index));
        }

        public static Version library_version
        {
            get { return new Version(IntPtr.Zero); }
        }

        // ---- helpers shared by the classes ----

        internal static string Str(IntPtr p)
        {
            return p == IntPtr.Zero ? null : Marshal.PtrToStringAnsi(p);
        }

        /// <summary>The negative errno of an error pointer, else 0 (iio_err()).</summary>
        internal static int PtrError(IntPtr p)
        {
            long v = p.ToInt64();
            return (v < 0 && v >= -4095) ? (int)v : 0;
        }

        internal static IntPtr CheckPtr(IntPtr p, string what)
        {
            int err = PtrError(p);
            if (err != 0)
                throw new IIOException(what, err);
            return p;
        }

        internal static long Check(long ret, string what)
        {
            if (ret < 0)
                throw new IIOException(what, (int)ret);
            return ret;
        }
    }

    /// <summary>A version: of the library, or of a context's producer (a remote iiod).</summary>
    public class Version
    {
        public readonly uint major;
        public readonly uint minor;
        public readonly string git_tag;

        internal Version(IntPtr ctx)
        {
            major = IioLib.iio_context_get_version_major(ctx);
            minor = IioLib.iio_context_get_version_minor(ctx);
            git_tag = IioLib.Str(IioLib.iio_context_get_version_tag(ctx));
        }

        public override string ToString()
        {
            return major + "." + minor + " (git tag: " + git_tag + ")";
        }
    }

    /// <summary>A native object with a deterministic lifetime.</summary>
    public abstract class IIOObject : IDisposable
    {
        internal IntPtr hdl;
        private bool disposed;

        ~IIOObject()
        {
            Dispose(false);
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        private void Dispose(bool disposing)
        {
            if (disposed)
                return;
            disposed = true;
            if (hdl != IntPtr.Zero)
                Destroy();
            hdl = IntPtr.Zero;
        }

        protected abstract void Destroy();

        protected void ThrowIfDisposed()
        {
            if (disposed)
                throw new ObjectDisposedException(GetType().Name);
        }
    }
}
