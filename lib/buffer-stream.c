// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Buffer streams: an opened hardware buffer, with the channels mask and the
 * sample layout every block of the stream shares.
 */
#include "backend.h"
#include "stream-internal.h"

#include <stdlib.h>
#include <string.h>

static const struct iio_backend_ops *stream_ops(const struct iio_buffer_stream *stream)
{
	return stream->buf->dev->ctx->backend->ops;
}

/*
 * The layout rule of iio_device_get_sample_size(): channels in device order,
 * each aligned to its own size (length/8 x repeat); a channel sharing the
 * index of the previous one shares its storage.
 */
static int compute_layout(struct iio_buffer_stream *stream)
{
	const struct iio_device *dev = stream->buf->dev;
	size_t size = 0, prev_offset = 0;
	long prev_index = -1;
	unsigned int i, n = 0;

	stream->channels =
		calloc(dev->nb_channels ? dev->nb_channels : 1, sizeof(*stream->channels));
	if (!stream->channels)
		return -ENOMEM;

	for (i = 0; i < dev->nb_channels; i++) {
		const struct iio_channel *chn = dev->channels[i];
		size_t len = chn->format.length / 8 * chn->format.repeat;

		if (chn->index < 0)
			break;
		if (!iio_mask_test(stream->mask, chn->number))
			continue;
		if (chn->index != prev_index) {
			if (len && size % len)
				size += len - size % len;
			prev_offset = size;
			prev_index = chn->index;
			size += len;
		}
		stream->channels[n].chn = chn;
		stream->channels[n].offset = prev_offset;
		n++;
	}
	stream->nb_channels = n;
	return 0;
}

size_t iio_buffer_stream_channel_offset(const struct iio_buffer_stream *stream,
					const struct iio_channel *chn)
{
	unsigned int i;

	for (i = 0; i < stream->nb_channels; i++)
		if (stream->channels[i].chn == chn)
			return stream->channels[i].offset;
	return IIO_NO_OFFSET;
}

static void stream_free(struct iio_buffer_stream *stream)
{
	pthread_cond_destroy(&stream->idle);
	pthread_mutex_destroy(&stream->lock);
	free(stream->channels);
	free(stream->mask);
	free(stream);
}

struct iio_buffer_stream *iio_buffer_open(struct iio_buffer *buf,
					  const struct iio_channels_mask *mask)
{
	const struct iio_device *dev;
	const struct iio_backend_ops *ops;
	struct iio_buffer_stream_pdata *pdata;
	struct iio_buffer_stream *stream;
	size_t mask_size;
	ssize_t sample_size;
	int ret;

	if (!buf)
		return iio_ptr(-EINVAL);
	dev = buf->dev;
	ops = dev->ctx->backend->ops;

	if (!mask || mask->words != (dev->nb_channels + 31) / 32) {
		dev_err(dev,
			"Unable to open buffer %u: the channels mask was not made for this "
			"device (%u words, expected %u)\n",
			buf->index, mask ? mask->words : 0, (dev->nb_channels + 31) / 32);
		return iio_ptr(-EINVAL);
	}
	sample_size = iio_device_get_sample_size(dev, mask);
	if (sample_size <= 0) {
		dev_err(dev,
			"Unable to open buffer %u: no channel with samples is enabled in "
			"the mask\n",
			buf->index);
		return iio_ptr(-EINVAL);
	}
	if (!ops->open_buffer) {
		dev_err(dev, "Unable to open buffer %u: the %s backend cannot stream samples\n",
			buf->index, dev->ctx->backend->name);
		return iio_ptr(-ENOSYS);
	}

	stream = calloc(1, sizeof(*stream));
	if (!stream)
		return iio_ptr(-ENOMEM);
	mask_size = sizeof(*mask) + mask->words * sizeof(mask->mask[0]);
	stream->mask = malloc(mask_size);
	if (!stream->mask) {
		free(stream);
		return iio_ptr(-ENOMEM);
	}
	memcpy(stream->mask, mask, mask_size);
	stream->buf = buf;
	stream->is_output = iio_buffer_is_output(buf);
	atomic_init(&stream->cancelled, false);
	pthread_mutex_init(&stream->lock, NULL);
	pthread_cond_init(&stream->idle, NULL);

	pdata = ops->open_buffer(buf, stream->mask);
	if (iio_err(pdata) || !pdata) {
		ret = pdata ? iio_err(pdata) : -ENOMEM;
		dev_perror(dev, ret, "Unable to open buffer %u", buf->index);
		stream_free(stream);
		return iio_ptr(ret);
	}
	stream->pdata = pdata;

	/* The backend may have enabled more channels: the layout follows them. */
	sample_size = iio_device_get_sample_size(dev, stream->mask);
	ret = sample_size > 0 ? compute_layout(stream) : -EINVAL;
	if (ret < 0) {
		dev_perror(dev, ret, "Unable to open buffer %u", buf->index);
		if (ops->close_buffer)
			ops->close_buffer(pdata);
		stream_free(stream);
		return iio_ptr(ret);
	}
	stream->sample_size = (size_t)sample_size;
	return stream;
}

void iio_buffer_stream_release(struct iio_buffer_stream *stream)
{
	const struct iio_backend_ops *ops = stream_ops(stream);

	if (ops->close_buffer)
		ops->close_buffer(stream->pdata);
	stream_free(stream);
}

void iio_buffer_close(struct iio_buffer_stream *stream)
{
	unsigned int live;

	if (!stream)
		return;
	iio_buffer_stream_cancel(stream);
	pthread_mutex_lock(&stream->lock);
	live = stream->nb_live_blocks;
	stream->closing = live != 0;
	pthread_mutex_unlock(&stream->lock);
	if (live) {
		/* Blocks still point here: the last iio_block_destroy() finishes the job. */
		if (stream->started)
			(void)iio_buffer_stream_stop(stream);
		dev_dbg(stream->buf->dev, "buffer %u closed with %u block(s) alive\n",
			stream->buf->index, live);
		return;
	}
	iio_buffer_stream_release(stream);
}

void iio_buffer_stream_cancel(struct iio_buffer_stream *stream)
{
	const struct iio_backend_ops *ops;

	if (!stream)
		return;
	/*
	 * No lock here: this may run in a signal handler. A thread waiting for
	 * another one's transfer is woken when that transfer fails.
	 */
	atomic_store(&stream->cancelled, true);
	ops = stream_ops(stream);
	if (ops->cancel_buffer)
		ops->cancel_buffer(stream->pdata);
}

/* The enable_buffer hint: samples per core block, 0 with backend blocks only. */
static size_t block_samples(const struct iio_buffer_stream *stream)
{
	return stream->core_block_size / stream->sample_size;
}

int iio_buffer_stream_start(struct iio_buffer_stream *stream)
{
	const struct iio_backend_ops *ops = stream_ops(stream);
	const struct iio_device *dev = stream->buf->dev;
	int ret;

	if (!stream->has_blocks) {
		dev_err(dev, "Unable to start buffer %u: create a block first\n",
			stream->buf->index);
		return -EINVAL;
	}
	if (atomic_load(&stream->cancelled)) {
		dev_err(dev, "Unable to start buffer %u: the stream was cancelled\n",
			stream->buf->index);
		return -EBADF;
	}
	if (stream->started)
		return 0;

	if (ops->enable_buffer) {
		ret = ops->enable_buffer(stream->pdata, block_samples(stream), true,
					 stream->cyclic);
		if (ret < 0 && ret != -ENOSYS) {
			dev_perror(dev, ret, "Unable to start buffer %u", stream->buf->index);
			return ret;
		}
	}
	/* Under the lock: enqueues on other threads test it to send output at once. */
	pthread_mutex_lock(&stream->lock);
	stream->started = true;
	pthread_mutex_unlock(&stream->lock);
	if (stream->is_output)
		iio_buffer_stream_flush_core(stream);
	return 0;
}

int iio_buffer_stream_stop(struct iio_buffer_stream *stream)
{
	const struct iio_backend_ops *ops = stream_ops(stream);
	int ret;

	pthread_mutex_lock(&stream->lock);
	stream->started = false;
	pthread_mutex_unlock(&stream->lock);
	if (!ops->enable_buffer)
		return 0;
	ret = ops->enable_buffer(stream->pdata, block_samples(stream), false, stream->cyclic);
	if (ret == -ENOSYS)
		return 0;
	if (ret < 0)
		dev_perror(stream->buf->dev, ret, "Unable to stop buffer %u", stream->buf->index);
	return ret < 0 ? ret : 0;
}

const struct iio_channels_mask *
iio_buffer_stream_get_channels_mask(const struct iio_buffer_stream *stream)
{
	return stream->mask;
}
