/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Buffer streams, blocks and streams: the objects behind the streaming API
 * (lib/buffer-stream.c, lib/block.c, lib/stream.c, lib/channel-io.c), and the
 * few helpers iiod and the backends may use to look inside a block.
 *
 * A block is either a backend block (pdata != NULL: DMABUF, MMAP, a remote
 * block) whose enqueue/dequeue the backend performs, or a core block: memory
 * of ours that the core fills or drains with the backend's readbuf/writebuf.
 * Core blocks need no worker thread: an enqueued RX block waits in a FIFO
 * and is filled by the thread that dequeues it (or a later block); a TX block
 * is written when enqueued on a started stream, when the stream starts, or
 * at the latest when it is dequeued.
 */
#ifndef IIO_LIB_STREAM_INTERNAL_H
#define IIO_LIB_STREAM_INTERNAL_H

#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>

/* Offset of a channel that is not part of a stream's samples. */
#define IIO_NO_OFFSET ((size_t)-1)

/* A channel of the stream's samples, in device order. */
struct iio_stream_channel {
	const struct iio_channel *chn;
	size_t offset; /* byte offset inside a sample */
};

struct iio_buffer_stream {
	struct iio_buffer *buf;
	struct iio_buffer_stream_pdata *pdata; /* owned by the backend */
	struct iio_channels_mask *mask;	       /* effective mask, after open_buffer */
	size_t sample_size;
	/* Channels of the effective mask (sharing an index included), device order. */
	struct iio_stream_channel *channels;
	unsigned int nb_channels;
	bool is_output;
	bool started;
	bool cyclic;	 /* a cyclic block has been enqueued */
	bool has_blocks; /* a block was created once (start needs one) */
	bool closing;	 /* closed by the application, freed with the last block */
	atomic_bool cancelled;
	unsigned int nb_live_blocks;
	size_t core_block_size; /* size of the last core block created, 0 if none */

	/* Core blocks: the FIFO of enqueued blocks. lock protects what follows. */
	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when busy goes back to NULL */
	struct iio_block *queue_head, *queue_tail;
	struct iio_block *busy; /* block some thread moves data for, without the lock */
	bool warned_cyclic;
};

struct iio_block {
	struct iio_buffer_stream *stream;
	struct iio_block_pdata *pdata; /* backend block, or NULL for a core block */
	void *data;
	size_t size;
	size_t bytes_used; /* of the last enqueue */
	bool enqueued;
	/* Core blocks only, under stream->lock. */
	size_t done;		/* bytes moved so far */
	bool completed;		/* all moved, waiting for its dequeue */
	struct iio_block *next; /* FIFO link */
};

struct iio_stream {
	struct iio_buffer_stream *buf_stream;
	struct iio_block **blocks;
	size_t nb_blocks;
	size_t curr;	    /* the block returned last (or to be dequeued) */
	bool primed;	    /* first call done */
	bool app_owns_curr; /* blocks[curr] is with the application */
	bool must_dequeue;  /* blocks[curr] was given to the hardware, not back yet */
};

static inline bool iio_block_is_core(const struct iio_block *block)
{
	return !block->pdata;
}

/* The backend's data of a block, NULL for a core block. */
static inline struct iio_block_pdata *iio_block_get_pdata(const struct iio_block *block)
{
	return block->pdata;
}

static inline size_t iio_block_get_size(const struct iio_block *block)
{
	return block->size;
}

/* Bytes given to the last enqueue (the whole block when it was 0). */
static inline size_t iio_block_get_bytes_used(const struct iio_block *block)
{
	return block->bytes_used;
}

static inline bool iio_block_is_enqueued(const struct iio_block *block)
{
	return block->enqueued;
}

static inline const struct iio_device *
iio_buffer_stream_get_device(const struct iio_buffer_stream *stream)
{
	return stream->buf->dev;
}

/* Byte offset of chn inside a sample of the stream, or IIO_NO_OFFSET. */
iio_hidden size_t iio_buffer_stream_channel_offset(const struct iio_buffer_stream *stream,
						   const struct iio_channel *chn);

/* Writes the TX core blocks enqueued before iio_buffer_stream_start(). */
iio_hidden void iio_buffer_stream_flush_core(struct iio_buffer_stream *stream);

/* Called by iio_block_destroy() when the last block of a closed stream goes. */
iio_hidden void iio_buffer_stream_release(struct iio_buffer_stream *stream);

/*
 * Converts count samples of chn (repeat elements each) from src to dst, or
 * back (inverse). The strides are the distances in bytes between two
 * samples. Returns -EINVAL (logged) when an element is larger than the
 * converter accepts.
 */
iio_hidden int iio_channel_convert_samples(const struct iio_channel *chn, void *dst,
					   size_t dst_stride, const void *src, size_t src_stride,
					   size_t count, bool inverse);

/* Copies count samples of len bytes between two strided layouts (may overlap). */
iio_hidden void iio_copy_samples(void *dst, size_t dst_stride, const void *src, size_t src_stride,
				 size_t len, size_t count);

#endif /* IIO_LIB_STREAM_INTERNAL_H */
