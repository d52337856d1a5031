// SPDX-License-Identifier: LGPL-2.1-or-later
/* Event streams and mapping an event id back to its channel. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

struct iio_event_stream {
	const struct iio_device *dev;
	struct iio_event_stream_pdata *pdata;
};

/* The number that ends a channel id ("voltage12" -> 12), or -1. */
static long id_number(const char *id, size_t len)
{
	size_t start = len;

	while (start > 0 && id[start - 1] >= '0' && id[start - 1] <= '9')
		start--;
	if (start == len)
		return -1;
	return strtol(id + start, NULL, 10);
}

const struct iio_channel *iio_event_get_channel(const struct iio_event *event,
						const struct iio_device *dev, bool diff)
{
	unsigned int type = (event->id >> 32) & 0xff;
	unsigned int modifier = (event->id >> 40) & 0xff;
	bool is_diff = (event->id >> 55) & 1;
	int16_t chan = (int16_t)(event->id & 0xffff);
	int16_t chan2 = (int16_t)((event->id >> 16) & 0xffff);
	long wanted = diff ? chan2 : chan;
	unsigned int i;

	if ((diff && !is_diff) || wanted < 0)
		return NULL;

	for (i = 0; i < dev->nb_channels; i++) {
		const struct iio_channel *chn = dev->channels[i];
		const char *id = chn->id;
		size_t len = strlen(id);
		const char *dash = strchr(id, '-');

		if ((unsigned int)chn->type != type || (unsigned int)chn->modifier != modifier)
			continue;
		/* A differential id "voltage0-voltage1": channel 1 is before the dash. */
		if (dash)
			len = diff ? len : (size_t)(dash - id);
		else if (diff)
			continue;
		if (diff)
			id = dash + 1, len = strlen(id);
		else if (chn->modifier != IIO_NO_MOD && strchr(id, '_'))
			len = (size_t)(strchr(id, '_') - id);
		if (id_number(id, len) == wanted)
			return chn;
	}
	return NULL;
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
