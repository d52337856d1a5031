// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Remote buffer streams. Each opened buffer gets a connection of its own
 * (the backend's stream link) carrying OPEN_BUFFER, the blocks' transfers
 * and ENABLE/DISABLE; FREE_BLOCK and CLOSE_BUFFER go over the context's
 * connection, which still works after the stream's was cancelled.
 *
 * Binary mode: remote blocks, each with its own client_id so that all of
 * them can be in flight; an RX block's samples are read by the client's
 * reader straight into the block. ASCII mode (0.x server): no remote
 * blocks; the core's blocks move with READBUF/WRITEBUF, OPEN/CLOSE at
 * start/stop.
 */
#include "remote.h"
#include "stream-internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct iio_buffer_stream_pdata {
	const struct iio_buffer *buf;
	struct iio_context *ctx;
	struct iiod_client *client; /* the stream's own connection */
	int link_id;
	uint8_t dev_index;
	struct iio_channels_mask *mask; /* the core's effective mask */
	bool binary;
	atomic_bool cancelled;
	uint16_t next_block; /* block indices are never reused */
	bool opened;	     /* ASCII: OPEN sent */
};

struct iio_block_pdata {
	struct iio_buffer_stream_pdata *stream;
	struct iiod_io *io;
	uint16_t index;
	void *data;
	size_t size;
	bool is_output;
	/* The server's dequeue failed but left it enqueued: ask again. */
	bool needs_retry;
};

static struct iiod_client *ctx_client(const struct iio_context *ctx)
{
	return ctx->pdata->client;
}

static int32_t buffer_code(const struct iio_buffer_stream_pdata *pdata, unsigned int block)
{
	return iiod_code_pack(block, pdata->buf->index);
}

/* ---- Open / close ------------------------------------------------------- */

static int open_remote_buffer(struct iio_buffer_stream_pdata *pdata)
{
	const struct iio_device *dev = pdata->buf->dev;
	struct iio_channels_mask *mask = pdata->mask;
	size_t len = mask->words * sizeof(uint32_t);
	uint8_t *raw = malloc(len);
	struct iovec iov = {.iov_base = raw, .iov_len = len};
	struct iiod_request req = {
		.op = IIOD_OP_OPEN_BUFFER,
		.dev = pdata->dev_index,
		.code = (int32_t)pdata->buf->index,
		.payload = &iov,
		.nb_payload = 1,
	};
	unsigned int i;
	int ret;

	if (!raw)
		return -ENOMEM;
	for (i = 0; i < mask->words; i++)
		iiod_put_le32(raw + 4 * i, mask->mask[i]);
	ret = iiod_client_exec(pdata->client, &req, true, raw, len);
	if (ret >= 0 && (size_t)ret != len)
		ret = -EIO;
	if (ret >= 0) {
		/* The server may have enabled more channels: take its mask. */
		for (i = 0; i < dev->nb_channels; i++) {
			unsigned int n = dev->channels[i]->number;

			if (iiod_get_le32(raw + 4 * (n / 32)) & (1u << (n % 32)))
				iio_mask_set(mask, n);
			else
				iio_mask_clear(mask, n);
		}
		ret = 0;
	}
	free(raw);
	return ret;
}

struct iio_buffer_stream_pdata *iiod_remote_open_buffer(const struct iio_buffer *buf,
							struct iio_channels_mask *mask)
{
	struct iio_context *ctx = buf->dev->ctx;
	struct iio_context_pdata *ctx_pdata = ctx->pdata;
	struct iio_buffer_stream_pdata *pdata;
	struct iiod_transport *t;
	int ret, dev_index = iiod_remote_device_index(buf->dev);

	if (dev_index < 0)
		return iio_ptr(dev_index);
	if (!ctx_pdata->link_ops || !ctx_pdata->link_ops->open_stream_link)
		return iio_ptr(-ENOSYS);

	pdata = calloc(1, sizeof(*pdata));
	if (!pdata)
		return iio_ptr(-ENOMEM);
	pdata->buf = buf;
	pdata->ctx = ctx;
	pdata->mask = mask;
	pdata->dev_index = (uint8_t)dev_index;
	atomic_init(&pdata->cancelled, false);

	t = ctx_pdata->link_ops->open_stream_link(ctx, ctx_pdata->link_data, &pdata->link_id);
	if (iio_err(t)) {
		ret = iio_err(t);
		dev_perror(buf->dev, ret, "Unable to open a connection for buffer %u", buf->index);
		free(pdata);
		return iio_ptr(ret);
	}
	pdata->client = iiod_client_new(&ctx->params, t, ctx->params.timeout_ms);
	if (iio_err(pdata->client)) {
		ret = iio_err(pdata->client);
		goto err_release;
	}
	pdata->binary = iiod_client_is_binary(pdata->client);

	if (pdata->binary) {
		ret = open_remote_buffer(pdata);
		if (ret) {
			dev_perror(buf->dev, ret, "The server refused to open buffer %u",
				   buf->index);
			goto err_client;
		}
	}
	return pdata;

err_client:
	iiod_client_destroy(pdata->client);
err_release:
	if (ctx_pdata->link_ops->release_stream_link)
		ctx_pdata->link_ops->release_stream_link(ctx, ctx_pdata->link_data, pdata->link_id);
	free(pdata);
	return iio_ptr(ret);
}

static int ascii_close(struct iio_buffer_stream_pdata *pdata)
{
	char cmd[128];
	long reply;
	int ret;

	pdata->opened = false;
	snprintf(cmd, sizeof(cmd), "CLOSE %s", pdata->buf->dev->id);
	ret = iiod_client_ascii_command(pdata->client, cmd, NULL, 0, &reply);
	return ret ? ret : (int)reply;
}

void iiod_remote_close_buffer(struct iio_buffer_stream_pdata *pdata)
{
	struct iio_context_pdata *ctx_pdata = pdata->ctx->pdata;
	struct iiod_request req = {
		.op = IIOD_OP_CLOSE_BUFFER,
		.dev = pdata->dev_index,
		.code = (int32_t)pdata->buf->index,
	};
	int ret = 0;

	if (pdata->binary)
		ret = iiod_client_exec(ctx_client(pdata->ctx), &req, false, NULL, 0);
	else if (pdata->opened && !atomic_load(&pdata->cancelled))
		ret = ascii_close(pdata);
	if (ret < 0)
		dev_perror(pdata->buf->dev, ret, "Unable to close buffer %u on the server",
			   pdata->buf->index);

	iiod_client_destroy(pdata->client);
	if (ctx_pdata->link_ops->release_stream_link)
		ctx_pdata->link_ops->release_stream_link(pdata->ctx, ctx_pdata->link_data,
							 pdata->link_id);
	free(pdata);
}

/* ---- Start / stop / cancel ---------------------------------------------- */

static int ascii_open(struct iio_buffer_stream_pdata *pdata, size_t nb_samples, bool cyclic)
{
	char cmd[IIOD_MAX_LINE], mask_text[8 * 1024 + 1];
	long reply;
	int ret;

	if (!nb_samples)
		return -EINVAL;
	if (pdata->mask->words > IIOD_MAX_MASK_WORDS * 64)
		return -E2BIG;
	iiod_mask_to_text(pdata->mask->mask, pdata->mask->words, mask_text);
	if ((size_t)snprintf(cmd, sizeof(cmd), "OPEN %s %zu %s%s", pdata->buf->dev->id, nb_samples,
			     mask_text, cyclic ? " CYCLIC" : "") >= sizeof(cmd))
		return -E2BIG;
	ret = iiod_client_ascii_command(pdata->client, cmd, NULL, 0, &reply);
	if (!ret && reply < 0)
		ret = (int)reply;
	if (!ret)
		pdata->opened = true;
	return ret;
}

int iiod_remote_enable_buffer(struct iio_buffer_stream_pdata *pdata, size_t nb_samples, bool enable,
			      bool cyclic)
{
	struct iiod_request req = {
		.op = enable ? IIOD_OP_ENABLE_BUFFER : IIOD_OP_DISABLE_BUFFER,
		.dev = pdata->dev_index,
		.code = (int32_t)pdata->buf->index,
	};
	struct iiod_client *client = pdata->client;

	if (!pdata->binary) {
		if (enable)
			return pdata->opened ? 0 : ascii_open(pdata, nb_samples, cyclic);
		/* A cancelled link is closed: the server closes the device with it. */
		if (!pdata->opened || atomic_load(&pdata->cancelled))
			return 0;
		return ascii_close(pdata);
	}
	/* The stream's connection is gone after a cancel: stop through the context's. */
	if (!enable && atomic_load(&pdata->cancelled))
		client = ctx_client(pdata->ctx);
	return iiod_client_exec(client, &req, false, NULL, 0);
}

void iiod_remote_cancel_buffer(struct iio_buffer_stream_pdata *pdata)
{
	atomic_store(&pdata->cancelled, true);
	iiod_client_cancel(pdata->client);
}

/* ---- ASCII sample I/O (core blocks) -------------------------------------- */

ssize_t iiod_remote_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len)
{
	uint32_t words[IIOD_MAX_MASK_WORDS];
	unsigned int nb_words = pdata->mask->words, tries;
	ssize_t ret = 0;

	if (pdata->binary)
		return -ENOSYS;
	if (nb_words > IIOD_MAX_MASK_WORDS)
		nb_words = 0;
	/* A server that re-created its buffer answers 0 once: ask again. */
	for (tries = 0; tries < 3 && !ret; tries++)
		ret = iiod_client_ascii_readbuf(pdata->client, pdata->buf->dev->id, dst, len,
						nb_words ? words : NULL, nb_words);
	return ret ? ret : -EIO;
}

ssize_t iiod_remote_writebuf(struct iio_buffer_stream_pdata *pdata, const void *src, size_t len)
{
	ssize_t ret;

	if (pdata->binary)
		return -ENOSYS;
	ret = iiod_client_ascii_writebuf(pdata->client, pdata->buf->dev->id, src, len);
	return ret == 0 ? -EIO : ret;
}

/* ---- Remote blocks (binary mode) ----------------------------------------- */

static void free_block_data(struct iio_block_pdata *block)
{
	struct iiod_transport *t = iiod_client_get_transport(block->stream->client);

	if (t->ops->block_free)
		t->ops->block_free(t, block->data, block->size);
	else
		free(block->data);
}

/* RX: tell the transport the block's response is coming (usb: queues transfers into it). */
static void expect_response(struct iio_block_pdata *block, size_t bytes_used)
{
	struct iiod_transport *t = iiod_client_get_transport(block->stream->client);

	if (!block->is_output && t->ops->block_expect)
		t->ops->block_expect(t, (uint16_t)(block->index + 1), block->data, bytes_used,
				     block->size);
}

struct iio_block_pdata *iiod_remote_create_block(struct iio_buffer_stream_pdata *pdata, size_t size,
						 void **data)
{
	struct iio_block_pdata *block;
	uint8_t raw[8];
	struct iovec iov = {.iov_base = raw, .iov_len = sizeof(raw)};
	struct iiod_request req = {
		.op = IIOD_OP_CREATE_BLOCK,
		.dev = pdata->dev_index,
		.payload = &iov,
		.nb_payload = 1,
	};
	long page_size = sysconf(_SC_PAGESIZE);
	struct iiod_transport *t = iiod_client_get_transport(pdata->client);
	int32_t code;
	int ret;

	/* A 0.x server has no blocks: the core moves its own with READBUF/WRITEBUF. */
	if (!pdata->binary)
		return iio_ptr(-ENOSYS);
	if (pdata->next_block >= IIOD_MAX_BLOCKS)
		return iio_ptr(-ENOSPC);

	block = calloc(1, sizeof(*block));
	if (!block)
		return iio_ptr(-ENOMEM);
	block->stream = pdata;
	block->size = size;
	block->index = pdata->next_block++;
	block->is_output = iio_buffer_is_output(pdata->buf);
	if (t->ops->block_alloc) {
		block->data = t->ops->block_alloc(t, size);
	} else if (!posix_memalign(&block->data, page_size > 0 ? (size_t)page_size : 4096, size)) {
		memset(block->data, 0, size);
	} else {
		block->data = NULL;
	}
	if (!block->data) {
		free(block);
		return iio_ptr(-ENOMEM);
	}
	/* Its client_id: the block's responses come with it. */
	block->io = iiod_io_new(pdata->client, (uint16_t)(block->index + 1));
	if (!block->io) {
		ret = -ENOMEM;
		goto err_free;
	}

	req.code = buffer_code(pdata, block->index);
	iiod_put_le64(raw, size);
	ret = iiod_io_send(block->io, &req, false, NULL, 0);
	if (!ret)
		ret = iiod_io_wait(block->io, iiod_client_get_timeout(pdata->client), &code);
	if (!ret)
		ret = code < 0 ? iiod_errno(code) : code;
	if (ret < 0)
		goto err_io;
	*data = block->data;
	return block;

err_io:
	iiod_io_destroy(block->io);
err_free:
	free_block_data(block);
	free(block);
	return iio_ptr(ret);
}

void iiod_remote_free_block(struct iio_block_pdata *block)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	struct iiod_request req = {
		.op = IIOD_OP_FREE_BLOCK,
		.dev = pdata->dev_index,
		.code = buffer_code(pdata, block->index),
	};
	int ret;

	/* The context's connection: the stream's may be cancelled already. */
	ret = iiod_client_exec(ctx_client(pdata->ctx), &req, false, NULL, 0);
	if (ret < 0)
		dev_perror(pdata->buf->dev, ret,
			   "Unable to free block %u of buffer %u on the "
			   "server",
			   block->index, pdata->buf->index);
	/* A response still on its way is dropped by the reader. */
	iiod_io_destroy(block->io);
	free_block_data(block);
	free(block);
}

int iiod_remote_enqueue_block(struct iio_block_pdata *block, size_t bytes_used, bool cyclic)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	uint8_t raw[8];
	struct iovec iov[2] = {
		{.iov_base = raw, .iov_len = sizeof(raw)},
		{.iov_base = block->data, .iov_len = bytes_used},
	};
	struct iiod_request req = {
		.op = cyclic ? IIOD_OP_ENQUEUE_BLOCK_CYCLIC : IIOD_OP_TRANSFER_BLOCK,
		.dev = pdata->dev_index,
		.code = buffer_code(pdata, block->index),
		.payload = iov,
		.nb_payload = block->is_output ? 2 : 1,
	};

	if (block->needs_retry || iiod_io_is_pending(block->io))
		return -EPERM;
	iiod_put_le64(raw, bytes_used);
	if (!cyclic)
		expect_response(block, bytes_used);
	/* RX: the samples come back in the response, straight into the block. */
	return iiod_io_send(block->io, &req, !block->is_output, block->data, bytes_used);
}

/* Errors after which the core keeps the block enqueued (lib/block.c). */
static bool leaves_enqueued(int err)
{
	return err == -EBUSY || err == -ETIMEDOUT || err == -EAGAIN || err == -EINTR;
}

int iiod_remote_dequeue_block(struct iio_block_pdata *block, bool nonblock)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	struct iiod_request req = {
		.op = IIOD_OP_RETRY_DEQUEUE_BLOCK,
		.dev = pdata->dev_index,
		.code = buffer_code(pdata, block->index),
	};
	int32_t code;
	int ret, err;

	if (block->needs_retry && !iiod_io_is_pending(block->io)) {
		expect_response(block, block->size);
		ret = iiod_io_send(block->io, &req, !block->is_output, block->data, block->size);
		if (ret)
			return ret;
		block->needs_retry = false;
	}
	ret = iiod_io_wait(block->io, nonblock ? 0 : iiod_client_get_timeout(pdata->client), &code);
	if (ret)
		return ret; /* -EBUSY/-ETIMEDOUT: still pending; else the link is gone */
	if (code >= 0)
		return 0;

	if (iiod_block_code_is_enqueue_error(code)) {
		err = iiod_errno(iiod_block_code_enqueue_errno(code));
		dev_perror(pdata->buf->dev, err,
			   "The server could not enqueue block %u of "
			   "buffer %u",
			   block->index, pdata->buf->index);
		/* Not enqueued over there: make sure the core does not wait for it. */
		return leaves_enqueued(err) ? -EIO : err;
	}
	err = iiod_errno(code);
	if (leaves_enqueued(err))
		block->needs_retry = true;
	return err;
}
