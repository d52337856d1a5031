// SPDX-License-Identifier: LGPL-2.1-or-later
/* Event streams and mapping an event id back to its channel. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

struct iio_event_stream {
	const struct iio_device *dev;
	struct iio_event_stream_pdata *pdata;
};

/*
 * The channel number of one side of an id: the digits that end its type part
 * ("voltage12" -> 12, "accel_x" -> 0: the kernel numbers unindexed channels 0).
 */
static long side_number(const char *id, size_t len)
{
	const char *mod = memchr(id, '_', len);
	size_t start, end = mod ? (size_t)(mod - id) : len;

	for (start = end; start > 0 && id[start - 1] >= '0' && id[start - 1] <= '9'; start--)
		;
	return start == end ? 0 : strtol(id + start, NULL, 10);
}

/* The numbers of an id: one, or two for a differential "voltage0-voltage1". */
static bool channel_numbers(const struct iio_channel *chn, long *first, long *second)
{
	const char *dash = strchr(chn->id, '-');

	if (!dash) {
		*first = side_number(chn->id, strlen(chn->id));
		return false;
	}
	*first = side_number(chn->id, (size_t)(dash - chn->id));
	*second = side_number(dash + 1, strlen(dash + 1));
	return true;
}

/*
 * Event codes carry no channel direction: input channels are tried first.
 * A differential event names its differential channel with diff = true, and
 * the single-ended channel of its first input with diff = false (or the
 * differential one when the device has no such channel); a plain event
 * never names a differential channel.
 */
const struct iio_channel *iio_event_get_channel(const struct iio_event *event,
						const struct iio_device *dev, bool diff)
{
	unsigned int type = (event->id >> 32) & 0xff;
	unsigned int modifier = (event->id >> 40) & 0xff;
	bool is_diff = (event->id >> 55) & 1;
	long chan = (int16_t)(event->id & 0xffff);
	long chan2 = (int16_t)((event->id >> 16) & 0xffff);
	const struct iio_channel *pair = NULL;
	unsigned int pass, i;

	if ((diff && !is_diff) || chan < 0 || (is_diff && chan2 < 0))
		return NULL;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < dev->nb_channels; i++) {
			const struct iio_channel *chn = dev->channels[i];
			long first, second = -1;
			bool chn_diff;

			if (chn->is_output != (pass == 1) || (unsigned int)chn->type != type ||
			    (unsigned int)chn->modifier != modifier)
				continue;
			chn_diff = channel_numbers(chn, &first, &second);
			if (chn_diff) {
				if (is_diff && first == chan && second == chan2) {
					if (diff)
						return chn;
					if (!pair)
						pair = chn;
				}
			} else if (!diff && first == chan) {
				return chn;
			}
		}
	}
	return diff ? NULL : pair;
}

struct iio_event_stream *iio_device_create_event_stream(const struct iio_device *dev)
{
	const struct iio_backend_ops *ops = dev->ctx->backend->ops;
	struct iio_event_stream *stream;
	struct iio_event_stream_pdata *pdata;

	if (!ops->open_ev)
		return iio_ptr(-ENOSYS);
	stream = calloc(1, sizeof(*stream));
	if (!stream)
		return iio_ptr(-ENOMEM);
	pdata = ops->open_ev(dev);
	if (iio_err(pdata)) {
		free(stream);
		return iio_err_cast(pdata);
	}
	stream->dev = dev;
	stream->pdata = pdata;
	return stream;
}

void iio_event_stream_destroy(struct iio_event_stream *stream)
{
	if (!stream)
		return;
	if (stream->dev->ctx->backend->ops->close_ev)
		stream->dev->ctx->backend->ops->close_ev(stream->pdata);
	free(stream);
}

int iio_event_stream_read(struct iio_event_stream *stream, struct iio_event *out_event,
			  bool nonblock)
{
	const struct iio_backend_ops *ops = stream->dev->ctx->backend->ops;

	if (!out_event)
		return -EINVAL;
	if (!ops->read_ev)
		return -ENOSYS;
	return ops->read_ev(stream->pdata, out_event, nonblock);
}
