// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One channel in and out of a block: iio_channel_read() gathers a channel's
 * samples out of the interleaved block (demultiplexing), iio_channel_write()
 * scatters them into it. Whole samples only.
 */
#include "stream-internal.h"

#include <stdint.h>
#include <string.h>

static size_t sample_bytes(const struct iio_channel *chn)
{
	return (size_t)(chn->format.length / 8) * (chn->format.repeat ? chn->format.repeat : 1);
}

/*
 * Where chn's first sample is in block and how many of its samples fit both
 * the block and len bytes; 0 when the channel is not in the block's stream.
 */
static size_t channel_span(const struct iio_channel *chn, const struct iio_block *block, size_t len,
			   uint8_t **first)
{
	const struct iio_buffer_stream *stream = block->stream;
	size_t offset = iio_buffer_stream_channel_offset(stream, chn);
	size_t bytes = sample_bytes(chn), count;

	if (offset == IIO_NO_OFFSET || !bytes)
		return 0;
	count = block->size / stream->sample_size;
	if (count > len / bytes)
		count = len / bytes;
	*first = (uint8_t *)block->data + offset;
	return count;
}

size_t iio_channel_read(const struct iio_channel *chn, const struct iio_block *block, void *dst,
			size_t len, bool raw)
{
	size_t stride = block->stream->sample_size, bytes = sample_bytes(chn), count;
	uint8_t *first = NULL;

	count = channel_span(chn, block, len, &first);
	if (!count)
		return 0;
	if (raw)
		iio_copy_samples(dst, bytes, first, stride, bytes, count);
	else if (iio_channel_convert_samples(chn, dst, bytes, first, stride, count, false) < 0)
		return 0;
	return count * bytes;
}

size_t iio_channel_write(const struct iio_channel *chn, struct iio_block *block, const void *src,
			 size_t len, bool raw)
{
	size_t stride = block->stream->sample_size, bytes = sample_bytes(chn), count;
	uint8_t *first = NULL;

	count = channel_span(chn, block, len, &first);
	if (!count)
		return 0;
	if (raw)
		iio_copy_samples(first, stride, src, bytes, bytes, count);
	else if (iio_channel_convert_samples(chn, first, stride, src, bytes, count, true) < 0)
		return 0;
	return count * bytes;
}
