// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Streams: a ring of blocks over one buffer stream, handed to the
 * application one at a time by iio_stream_get_next_block().
 *
 * RX: every block is enqueued, the buffer started, then each call gives back
 * the previous block and returns the next filled one (1, 2, ..., n-1, 0, ...).
 * TX: the first call returns block 0 to fill; each later call enqueues the
 * previous block (starting the buffer the first time) and returns the next
 * one, once the hardware is done with it.
 *
 * A failed call leaves the ring where it was: calling again retries the step
 * that failed, instead of tripping over a block left enqueued.
 */
#include "backend.h"
#include "stream-internal.h"

#include <stdint.h>
#include <stdlib.h>

static void destroy_blocks(struct iio_stream *stream)
{
	size_t i;

	for (i = 0; i < stream->nb_blocks; i++)
		if (stream->blocks[i])
			iio_block_destroy(stream->blocks[i]);
}

struct iio_stream *iio_buffer_create_stream(struct iio_buffer *buffer, size_t nb_blocks,
					    size_t samples_count, struct iio_channels_mask *mask)
{
	struct iio_buffer_stream *buf_stream;
	struct iio_stream *stream;
	size_t i, block_size;
	int ret;

	if (!buffer || !nb_blocks || !samples_count || !mask)
		return iio_ptr(-EINVAL);

	stream = calloc(1, sizeof(*stream));
	if (!stream)
		return iio_ptr(-ENOMEM);
	stream->blocks = calloc(nb_blocks, sizeof(*stream->blocks));
	if (!stream->blocks) {
		free(stream);
		return iio_ptr(-ENOMEM);
	}
	stream->nb_blocks = nb_blocks;

	buf_stream = iio_buffer_open(buffer, mask);
	ret = iio_err(buf_stream);
	if (ret)
		goto err_free;
	stream->buf_stream = buf_stream;

	if (samples_count > SIZE_MAX / buf_stream->sample_size) {
		dev_err(buffer->dev,
			"Unable to create a stream on buffer %u: %zu samples do not "
			"fit in memory\n",
			buffer->index, samples_count);
		ret = -EINVAL;
		goto err_close;
	}
	block_size = samples_count * buf_stream->sample_size;
	for (i = 0; i < nb_blocks; i++) {
		stream->blocks[i] = iio_buffer_stream_create_block(buf_stream, block_size);
		ret = iio_err(stream->blocks[i]);
		if (ret) {
			stream->blocks[i] = NULL;
			goto err_close;
		}
	}
	return stream;

err_close:
	destroy_blocks(stream);
	iio_buffer_close(buf_stream);
err_free:
	free(stream->blocks);
	free(stream);
	return iio_ptr(ret);
}

void iio_stream_cancel(struct iio_stream *stream)
{
	if (stream)
		iio_buffer_stream_cancel(stream->buf_stream);
}

void iio_stream_destroy(struct iio_stream *stream)
{
	struct iio_buffer_stream *buf_stream;
	size_t i;

	if (!stream)
		return;
	buf_stream = stream->buf_stream;

	/*
	 * Let the hardware finish with the enqueued blocks (TX data gets out).
	 * Core RX blocks have nothing in flight: reading them would be wasted.
	 */
	for (i = 0; i < stream->nb_blocks; i++) {
		struct iio_block *block = stream->blocks[i];

		if (!block->enqueued || atomic_load(&buf_stream->cancelled))
			continue;
		if (iio_block_is_core(block) && !buf_stream->is_output)
			continue;
		(void)iio_block_dequeue(block, false);
	}
	destroy_blocks(stream);
	if (buf_stream->started)
		(void)iio_buffer_stream_stop(buf_stream);
	iio_buffer_close(buf_stream);
	free(stream->blocks);
	free(stream);
}

/* RX: enqueue 1..n-1 then 0, so that block 1 fills first, then start. */
static int prime_rx(struct iio_stream *stream)
{
	size_t i, n = stream->nb_blocks;
	int ret;

	for (i = 1; i <= n; i++) {
		struct iio_block *block = stream->blocks[i % n];

		if (block->enqueued)
			continue; /* a previous attempt got this far */
		ret = iio_block_enqueue(block, 0, false);
		if (ret < 0)
			return ret;
	}
	ret = iio_buffer_stream_start(stream->buf_stream);
	if (ret < 0)
		return ret;
	stream->curr = 1 % n;
	stream->must_dequeue = true;
	stream->primed = true;
	return 0;
}

const struct iio_block *iio_stream_get_next_block(struct iio_stream *stream)
{
	struct iio_buffer_stream *buf_stream = stream->buf_stream;
	struct iio_block *block;
	int ret;

	if (!stream->primed) {
		if (buf_stream->is_output) {
			stream->primed = true;
			stream->curr = 0;
			stream->app_owns_curr = true;
			return stream->blocks[0];
		}
		ret = prime_rx(stream);
		if (ret < 0)
			return iio_ptr(ret);
	}

	if (stream->app_owns_curr) {
		/* Give back the block the application had. */
		ret = iio_block_enqueue(stream->blocks[stream->curr], 0, false);
		if (ret < 0)
			return iio_ptr(ret);
		stream->app_owns_curr = false;
		stream->curr = (stream->curr + 1) % stream->nb_blocks;
		/* TX blocks not sent once yet are free to fill at once. */
		stream->must_dequeue = stream->blocks[stream->curr]->enqueued;
	}

	if (!buf_stream->started) {
		ret = iio_buffer_stream_start(buf_stream);
		if (ret < 0)
			return iio_ptr(ret);
	}

	block = stream->blocks[stream->curr];
	if (stream->must_dequeue) {
		/*
		 * An RX block whose transfer failed for good holds no data:
		 * give it to the hardware again. A TX one is simply free again.
		 */
		if (!block->enqueued && !buf_stream->is_output) {
			ret = iio_block_enqueue(block, 0, false);
			if (ret < 0)
				return iio_ptr(ret);
		}
		if (block->enqueued) {
			ret = iio_block_dequeue(block, false);
			if (ret < 0)
				return iio_ptr(ret);
		}
		stream->must_dequeue = false;
	}
	stream->app_owns_curr = true;
	return block;
}
