// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The usb: backend: a USB transport per pipe under the shared iiod protocol
 * client (protocol/), pipe 0 for the context, one pipe per open buffer.
 */
#include "usb.h"

#include "protocol/remote.h"

#include <stdlib.h>
#include <string.h>

/* ---- Transport over one pipe --------------------------------------------------- */

struct usb_transport {
	struct iiod_transport base;
	struct iio_usb_pipe *pipe;
};

static struct usb_transport *to_usb(struct iiod_transport *t)
{
	return (struct usb_transport *)t;
}

static ssize_t usb_read(struct iiod_transport *t, void *dst, size_t len, int timeout_ms)
{
	return iio_usb_stream_read(to_usb(t)->pipe->in, dst, len, timeout_ms);
}

/* Every element is its own transfer (usb.md §5 rule 1): never merged. */
static ssize_t usb_writev(struct iiod_transport *t, const struct iovec *iov, unsigned int count,
			  int timeout_ms)
{
	struct iio_usb_pipe *pipe = to_usb(t)->pipe;
	ssize_t ret, total = 0;
	unsigned int i;

	for (i = 0; i < count; i++) {
		ret = iio_usb_writer_write(&pipe->out, iov[i].iov_base, iov[i].iov_len, timeout_ms);
		if (ret < 0)
			return ret;
		total += ret;
	}
	return total;
}

/* Byte by byte from what was received: nothing after the '\n' is taken. */
static ssize_t usb_read_line(struct iiod_transport *t, char *dst, size_t len, int timeout_ms)
{
	struct iio_usb_stream *in = to_usb(t)->pipe->in;
	size_t i;

	for (i = 0; i < len; i++) {
		ssize_t ret = iio_usb_stream_read(in, &dst[i], 1, timeout_ms);

		if (ret < 0)
			return ret;
		if (dst[i] == '\n')
			return (ssize_t)i + 1;
	}
	return -EFBIG;
}

static void usb_cancel(struct iiod_transport *t)
{
	iio_usb_pipe_cancel(to_usb(t)->pipe);
}

static void usb_destroy(struct iiod_transport *t)
{
	iio_usb_pipe_free(to_usb(t)->pipe);
	free(t);
}

iio_hidden void *iio_usb_transport_block_alloc(struct iiod_transport *t, size_t size);
iio_hidden void iio_usb_transport_block_free(struct iiod_transport *t, void *mem, size_t size);
iio_hidden int iio_usb_transport_block_expect(struct iiod_transport *t, uint16_t client_id,
					      void *mem, size_t bytes_used, size_t size);

static const struct iiod_transport_ops usb_transport_ops = {
	.read = usb_read,
	.writev = usb_writev,
	.read_line = usb_read_line,
	.cancel = usb_cancel,
	.destroy = usb_destroy,
	.block_alloc = iio_usb_transport_block_alloc,
	.block_free = iio_usb_transport_block_free,
	.block_expect = iio_usb_transport_block_expect,
};

static struct iiod_transport *usb_transport_new(struct iio_usb_pipe *pipe)
{
	struct usb_transport *ut = calloc(1, sizeof(*ut));

	if (!ut)
		return iio_ptr(-ENOMEM);
	ut->base.ops = &usb_transport_ops;
	ut->pipe = pipe;
	return &ut->base;
}

/*
 * Block memory and the RX fast path, for the protocol client's blocks:
 * allocate the block in usbfs device memory, and announce each RX block
 * response before its TRANSFER_BLOCK / RETRY_DEQUEUE_BLOCK is sent, so that
 * the pipe's bulk IN transfers are queued ahead straight into the block.
 */

void *iio_usb_transport_block_alloc(struct iiod_transport *t, size_t size)
{
	return iio_usb_block_mem_alloc(to_usb(t)->pipe->dev, size);
}

void iio_usb_transport_block_free(struct iiod_transport *t, void *mem, size_t size)
{
	struct iio_usb_pipe *pipe = to_usb(t)->pipe;

	if (!mem)
		return;
	iio_usb_stream_forget(pipe->in, mem, size);
	iio_usb_block_mem_free(pipe->dev, mem);
}

int iio_usb_transport_block_expect(struct iiod_transport *t, uint16_t client_id, void *mem,
				   size_t bytes_used, size_t size)
{
	return iio_usb_stream_expect(to_usb(t)->pipe->in, client_id, mem, bytes_used, size);
}

/* ---- Links: pipe 0 for the context, a free pipe per buffer ---------------------- */

static struct iiod_transport *usb_open_stream_link(struct iio_context *ctx, void *link_data,
						   int *link_id)
{
	struct iio_usb_device *dev = link_data;
	struct iio_usb_pipe *pipe;
	struct iiod_transport *t;
	int id, ret;

	(void)ctx;
	id = iio_usb_pipe_reserve(dev);
	if (id < 0)
		return iio_ptr(id);
	ret = iio_usb_pipe_open(dev, (unsigned int)id, &pipe);
	if (ret) {
		iio_usb_pipe_unreserve(dev, (unsigned int)id);
		return iio_ptr(ret);
	}
	t = usb_transport_new(pipe);
	if (iio_err(t)) {
		iio_usb_pipe_free(pipe);
		iio_usb_pipe_unreserve(dev, (unsigned int)id);
		return t;
	}
	*link_id = id;
	return t;
}

static void usb_release_stream_link(struct iio_context *ctx, void *link_data, int link_id)
{
	(void)ctx;
	iio_usb_pipe_unreserve(link_data, (unsigned int)link_id);
}

static void usb_free_link(void *link_data)
{
	struct iio_usb_device *dev = link_data;

	/* The pipe-0 client is gone: tell the device every session may end. */
	iio_usb_device_request(dev, IIO_USB_REQ_RESET_PIPES, 0);
	iio_usb_device_close(dev);
}

static const struct iiod_link_ops usb_link_ops = {
	.open_stream_link = usb_open_stream_link,
	.release_stream_link = usb_release_stream_link,
	.free = usb_free_link,
};

/* ---- Context ------------------------------------------------------------------------- */

/* "usb:" alone: the one device a scan finds. */
static int find_single_device(const struct iio_context_params *params, struct iio_usb_uri *uri)
{
	struct iio_scan *scan = iio_scan(params, "usb");
	size_t count;
	int ret;

	ret = iio_err(scan);
	if (ret)
		return ret;
	count = iio_scan_get_results_count(scan);
	if (count != 1) {
		prm_err(params, "usb: needs exactly one IIO USB device, %zu found; name one with "
			"usb:BUS.ADDRESS.INTERFACE (iio_info -S usb lists them)\n", count);
		iio_scan_destroy(scan);
		return -ENXIO;
	}
	ret = iio_usb_parse_uri(params, iio_scan_get_uri(scan, 0) + strlen("usb:"), uri);
	iio_scan_destroy(scan);
	return ret;
}

static struct iio_context *usb_create(const struct iio_context_params *params, const char *args)
{
	struct iio_usb_device *dev;
	struct iio_usb_pipe *pipe0;
	struct iiod_transport *t;
	struct iiod_client *client;
	struct iio_context *ctx;
	struct iio_usb_uri uri;
	int timeout, ret;

	ret = iio_usb_parse_uri(params, args, &uri);
	if (!ret && uri.scan)
		ret = find_single_device(params, &uri);
	if (ret)
		return iio_ptr(ret);

	timeout = iio_resolve_timeout(params ? params->timeout_ms : 0, IIO_USB_DEFAULT_TIMEOUT_MS);
	if (timeout == -EINVAL)
		return iio_ptr(-EINVAL);

	ret = iio_usb_device_open(params, &uri, &dev);
	if (ret)
		return iio_ptr(ret);

	/* Sessions a previous program left open end now; pipe 0 is the context's. */
	ret = iio_usb_device_request(dev, IIO_USB_REQ_RESET_PIPES, 0);
	if (!ret) {
		dev->pipes.used |= 1u;
		ret = iio_usb_pipe_open(dev, 0, &pipe0);
	}
	if (ret)
		goto err_close;
	t = usb_transport_new(pipe0);
	ret = iio_err(t);
	if (ret) {
		iio_usb_pipe_free(pipe0);
		goto err_close;
	}

	client = iiod_client_new(params, t, timeout);
	ret = iio_err(client);
	if (ret) {
		prm_perror(params, ret, "Unable to start the protocol on %s", dev->uri);
		goto err_close;
	}

	ctx = iiod_remote_create_context(&iio_usb_backend, params, client, &usb_link_ops, dev,
					 dev->description);
	if (iio_err(ctx))
		return ctx; /* client and dev freed by it */

	ret = iio_usb_device_add_context_attrs(dev, ctx);
	if (ret) {
		iio_context_destroy(ctx);
		return iio_ptr(ret);
	}
	return ctx;

err_close:
	iio_usb_device_request(dev, IIO_USB_REQ_RESET_PIPES, 0);
	iio_usb_device_close(dev);
	return iio_ptr(ret);
}

static const struct iio_backend_ops usb_ops = {
	.scan = iio_usb_scan,
	.create = usb_create,
	IIOD_REMOTE_BACKEND_OPS,
};

const struct iio_backend iio_usb_backend = {
	.name = "usb",
	.uri_prefix = "usb:",
	.ops = &usb_ops,
	.default_timeout_ms = IIO_USB_DEFAULT_TIMEOUT_MS,
};
