// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Remote event streams (binary mode only): each stream is a client_id of
 * the context's connection, counting down from 0xffff.
 */
#include "remote.h"

#include <stdlib.h>

struct iio_event_stream_pdata {
	const struct iio_device *dev;
	struct iiod_io *io;
	uint16_t id;
	uint8_t dev_index;
	uint8_t raw[16]; /* struct iio_event on the wire: u64 id, i64 timestamp */
};

static struct iiod_client *ctx_client(const struct iio_context *ctx)
{
	return ctx->pdata->client;
}

struct iio_event_stream_pdata *iiod_remote_open_ev(const struct iio_device *dev)
{
	struct iio_context_pdata *ctx_pdata = dev->ctx->pdata;
	struct iiod_client *client = ctx_client(dev->ctx);
	struct iiod_request req = {.op = IIOD_OP_CREATE_EVSTREAM};
	struct iio_event_stream_pdata *pdata;
	int32_t code;
	int ret, dev_index;

	if (!iiod_client_is_binary(client))
		return iio_ptr(-ENOSYS);
	dev_index = iiod_remote_device_index(dev);
	if (dev_index < 0)
		return iio_ptr(dev_index);

	pdata = calloc(1, sizeof(*pdata));
	if (!pdata)
		return iio_ptr(-ENOMEM);
	pdata->dev = dev;
	pdata->dev_index = (uint8_t)dev_index;
	pthread_mutex_lock(&ctx_pdata->lock);
	pdata->id = ctx_pdata->next_event_id--;
	if (ctx_pdata->next_event_id < IIOD_MAX_BLOCKS + 1)
		ctx_pdata->next_event_id = 0xffff; /* never into the block ids */
	pthread_mutex_unlock(&ctx_pdata->lock);

	pdata->io = iiod_io_new(client, pdata->id);
	if (!pdata->io) {
		free(pdata);
		return iio_ptr(-ENOMEM);
	}
	req.dev = pdata->dev_index;
	ret = iiod_io_send(pdata->io, &req, false, NULL, 0);
	if (!ret)
		ret = iiod_io_wait(pdata->io, iiod_client_get_timeout(client), &code);
	if (!ret)
		ret = code < 0 ? iiod_errno(code) : code;
	if (ret < 0) {
		/* Devices without events are common: only other failures are errors. */
		if (ret == -ENOSYS || ret == -ENOENT || ret == -ENODEV)
			dev_dbg(dev, "no event stream on the server (%d)\n", ret);
		else
			dev_perror(dev, ret, "Unable to open an event stream on the server");
		iiod_io_destroy(pdata->io);
		free(pdata);
		return iio_ptr(ret);
	}
	return pdata;
}

void iiod_remote_close_ev(struct iio_event_stream_pdata *pdata)
{
	struct iiod_request req = {
		.op = IIOD_OP_FREE_EVSTREAM,
		.dev = pdata->dev_index,
		.code = pdata->id,
	};
	int ret = iiod_client_exec(ctx_client(pdata->dev->ctx), &req, false, NULL, 0);

	if (ret < 0)
		dev_perror(pdata->dev, ret, "Unable to close the event stream on the server");
	iiod_io_destroy(pdata->io);
	free(pdata);
}

int iiod_remote_read_ev(struct iio_event_stream_pdata *pdata, struct iio_event *out, bool nonblock)
{
	struct iiod_client *client = ctx_client(pdata->dev->ctx);
	struct iiod_request req = {
		.op = IIOD_OP_READ_EVENT,
		.dev = pdata->dev_index,
		.code = nonblock,
	};
	int32_t code;
	int ret;

	/* A blocking read left pending earlier is still the one to wait for. */
	if (!iiod_io_is_pending(pdata->io)) {
		ret = iiod_io_send(pdata->io, &req, true, pdata->raw, sizeof(pdata->raw));
		if (ret)
			return ret;
	}
	/* Event waits are unbounded unless asked not to wait. */
	ret = iiod_io_wait(pdata->io, nonblock ? iiod_client_get_timeout(client) : -1, &code);
	if (ret)
		return ret == -EBUSY || ret == -ETIMEDOUT ? -EAGAIN : ret;
	if (code < 0)
		return iiod_errno(code);
	if (code != sizeof(pdata->raw))
		return -EIO;
	out->id = iiod_get_le64(pdata->raw);
	out->timestamp = (int64_t)iiod_get_le64(pdata->raw + 8);
	return 0;
}
