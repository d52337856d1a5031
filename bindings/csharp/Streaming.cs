// SPDX-License-Identifier: LGPL-2.1-or-later
// Channel masks, hardware buffers, buffer streams, blocks and streams.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace iio
{
    public class ChannelsMask : IIOObject
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_create_channels_mask(uint nb_channels);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_channels_mask_destroy(IntPtr mask);

        private readonly bool owned;

        public ChannelsMask(uint nb_channels)
        {
            hdl = iio_create_channels_mask(nb_channels);
            if (hdl == IntPtr.Zero)
                throw new IIOException("Unable to create a channels mask", nb_channels == 0 ? -22 : -12);
            owned = true;
        }

        internal ChannelsMask(IntPtr mask)
        {
            hdl = mask;
        }

        protected override void Destroy()
        {
            if (owned)
                iio_channels_mask_destroy(hdl);
        }
    }

    /// <summary>A hardware buffer of a device.</summary>
    public class IOBuffer
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_buffer_get_attrs_count(IntPtr buf);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_buffer_get_attr(IntPtr buf, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint iio_buffer_get_scan_elements_count(IntPtr buf);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_buffer_get_scan_element(IntPtr buf, uint index);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.I1)]
        private static extern bool iio_buffer_is_output(IntPtr buf);

        internal readonly IntPtr hdl;
        public readonly Device dev;
        public readonly IReadOnlyDictionary<string, Attr> attrs;

        internal IOBuffer(Device dev, IntPtr buf)
        {
            this.dev = dev;
            hdl = buf;
            var a = new Dictionary<string, Attr>();
            for (uint i = 0; i < iio_buffer_get_attrs_count(buf); i++) {
                Attr attr = new Attr(iio_buffer_get_attr(buf, i));
                a[attr.name] = attr;
            }
            attrs = a;
        }

        public bool output { get { return iio_buffer_is_output(hdl); } }

        public IReadOnlyList<Channel> scan_elements
        {
            get {
                var list = new List<Channel>();
                for (uint i = 0; i < iio_buffer_get_scan_elements_count(hdl); i++) {
                    IntPtr c = iio_buffer_get_scan_element(hdl, i);
                    foreach (Channel chn in dev.channels)
                        if (chn.hdl == c)
                            list.Add(chn);
                }
                return list;
            }
        }

        public BufferStream open(ChannelsMask mask)
        {
            return new BufferStream(this, mask);
        }
    }

    /// <summary>An opened buffer; blocks are created from it.</summary>
    public class BufferStream : IIOObject
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_buffer_open(IntPtr buf, IntPtr mask);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_buffer_close(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_buffer_stream_cancel(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_buffer_stream_start(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_buffer_stream_stop(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_buffer_stream_get_channels_mask(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern long iio_device_get_sample_size(IntPtr dev, IntPtr mask);

        public readonly IOBuffer buf;
        public readonly ChannelsMask mask;
        private bool is_started;

        public BufferStream(IOBuffer buf, ChannelsMask mask)
        {
            this.buf = buf;
            hdl = IioLib.CheckPtr(iio_buffer_open(buf.hdl, mask.hdl), "Unable to open the buffer of " + buf.dev.id);
            this.mask = new ChannelsMask(iio_buffer_stream_get_channels_mask(hdl));
        }

        public bool started
        {
            get { return is_started; }
            set {
                ThrowIfDisposed();
                if (value)
                    IioLib.Check(iio_buffer_stream_start(hdl), "Unable to start the stream");
                else
                    IioLib.Check(iio_buffer_stream_stop(hdl), "Unable to stop the stream");
                is_started = value;
            }
        }

        public void cancel()
        {
            ThrowIfDisposed();
            iio_buffer_stream_cancel(hdl);
        }

        public Block create_block(uint size)
        {
            return new Block(this, size);
        }

        /// <summary>Bytes per sample with the stream's mask.</summary>
        public long step()
        {
            return iio_device_get_sample_size(buf.dev.dev, mask.hdl);
        }

        protected override void Destroy()
        {
            iio_buffer_close(hdl);
        }
    }

    public class Block : IIOObject
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_buffer_stream_create_block(IntPtr stream, UIntPtr size);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_block_destroy(IntPtr block);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_block_enqueue(IntPtr block, UIntPtr bytes_used,
                                                    [MarshalAs(UnmanagedType.I1)] bool cyclic);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern int iio_block_dequeue(IntPtr block, [MarshalAs(UnmanagedType.I1)] bool nonblock);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_block_start(IntPtr block);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_block_end(IntPtr block);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_block_first(IntPtr block, IntPtr chn);

        public readonly BufferStream buf_stream;
        private readonly bool owned;

        public Block(BufferStream stream, uint size)
        {
            buf_stream = stream;
            hdl = IioLib.CheckPtr(iio_buffer_stream_create_block(stream.hdl, (UIntPtr)size), "Unable to create a block");
            owned = true;
        }

        internal Block(BufferStream stream, IntPtr block)
        {
            buf_stream = stream;
            hdl = block;
        }

        public uint size
        {
            get { return (uint)(iio_block_end(hdl).ToInt64() - iio_block_start(hdl).ToInt64()); }
        }

        public void enqueue(uint bytes_used = 0, bool cyclic = false)
        {
            ThrowIfDisposed();
            IioLib.Check(iio_block_enqueue(hdl, (UIntPtr)bytes_used, cyclic), "Unable to enqueue the block");
        }

        public void dequeue(bool nonblock = false)
        {
            ThrowIfDisposed();
            IioLib.Check(iio_block_dequeue(hdl, nonblock), "Unable to dequeue the block");
        }

        /// <summary>Copies data into the block.</summary>
        public void fill(byte[] data)
        {
            Marshal.Copy(data, 0, iio_block_start(hdl), Math.Min(data.Length, (int)size));
        }

        /// <summary>Copies the block's data into data.</summary>
        public void read(byte[] data)
        {
            Marshal.Copy(iio_block_start(hdl), data, 0, Math.Min(data.Length, (int)size));
        }

        public IntPtr first(Channel chn)
        {
            return iio_block_first(hdl, chn.hdl);
        }

        protected override void Destroy()
        {
            if (owned)
                iio_block_destroy(hdl);
        }
    }

    /// <summary>A ring of blocks: next() gives the next filled (RX) or free (TX) block.</summary>
    public class Stream : IIOObject
    {
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_buffer_create_stream(IntPtr buf, UIntPtr nb_blocks,
                                                              UIntPtr samples_count, IntPtr mask);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_stream_cancel(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern void iio_stream_destroy(IntPtr stream);
        [DllImport(IioLib.dllname, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr iio_stream_get_next_block(IntPtr stream);

        public readonly IOBuffer buf;
        public readonly ChannelsMask mask;
        public readonly uint nb_blocks;
        public readonly uint samples_count;

        public Stream(IOBuffer buf, ChannelsMask mask, uint nb_blocks, uint samples_count)
        {
            this.buf = buf;
            this.mask = mask;
            this.nb_blocks = nb_blocks;
            this.samples_count = samples_count;
            hdl = IioLib.CheckPtr(iio_buffer_create_stream(buf.hdl, (UIntPtr)nb_blocks,
                                                           (UIntPtr)samples_count, mask.hdl),
                                  "Unable to create a stream on " + buf.dev.id);
        }

        public void cancel()
        {
            ThrowIfDisposed();
            iio_stream_cancel(hdl);
        }

        public Block next()
        {
            ThrowIfDisposed();
            IntPtr block = IioLib.CheckPtr(iio_stream_get_next_block(hdl), "Unable to get the next block");
            return new Block(null, block);
        }

        protected override void Destroy()
        {
            iio_stream_destroy(hdl);
        }
    }
}
