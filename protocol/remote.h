/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Remote contexts: the backend operations shared by every backend that
 * talks to an iiod (ip:, usb:). A backend only provides the links: the
 * context's connection, and a new one per opened buffer (ip: a TCP
 * connection, usb: a pipe). Everything else - attributes, triggers,
 * registers, formats, streaming, events - is remote calls made here, in
 * the binary protocol or, with a 0.x server, the ASCII one.
 */
#ifndef IIO_PROTOCOL_REMOTE_H
#define IIO_PROTOCOL_REMOTE_H

#include "backend.h"
#include "client.h"

#include <pthread.h>

struct iiod_link_ops {
	/*
	 * A new transport to the same server for a buffer stream. Returns an
	 * error pointer. release (optional) is called once that transport is
	 * destroyed (usb: CLOSE_PIPE).
	 */
	struct iiod_transport *(*open_stream_link)(struct iio_context *ctx, void *link_data,
						   int *link_id);
	void (*release_stream_link)(struct iio_context *ctx, void *link_data, int link_id);
	/* Frees link_data when the context goes. */
	void (*free)(void *link_data);
};

struct iio_context_pdata {
	struct iiod_client *client; /* the context's connection */
	const struct iiod_link_ops *link_ops;
	void *link_data;
	pthread_mutex_t lock;	/* guards next_event_id */
	uint16_t next_event_id; /* 0xffff, counting down */
};

/*
 * Builds a context from the server behind client (taken over, destroyed on
 * failure) and sets it up to use the remote operations. description: the
 * context's description. link_data is freed with link_ops->free on failure.
 * Returns the context or an error pointer.
 */
iio_hidden struct iio_context *iiod_remote_create_context(const struct iio_backend *backend,
							  const struct iio_context_params *params,
							  struct iiod_client *client,
							  const struct iiod_link_ops *link_ops,
							  void *link_data, const char *description);

iio_hidden void iiod_remote_shutdown(struct iio_context *ctx);
iio_hidden ssize_t iiod_remote_read_attr(const struct iio_attr *attr, char *dst, size_t len);
iio_hidden ssize_t iiod_remote_write_attr(const struct iio_attr *attr, const char *src, size_t len);
iio_hidden const struct iio_device *iiod_remote_get_trigger(const struct iio_device *dev);
iio_hidden int iiod_remote_set_trigger(const struct iio_device *dev,
				       const struct iio_device *trigger);
iio_hidden int iiod_remote_set_timeout(struct iio_context *ctx, int timeout_ms);
iio_hidden int iiod_remote_ping(struct iio_context *ctx);
iio_hidden int iiod_remote_refresh_format(struct iio_channel *chn);
iio_hidden int iiod_remote_reg_read(const struct iio_device *dev, uint32_t address,
				    uint32_t *value);
iio_hidden int iiod_remote_reg_write(const struct iio_device *dev, uint32_t address,
				     uint32_t value);

/* Streaming (protocol/remote-stream.c). */
iio_hidden struct iio_buffer_stream_pdata *iiod_remote_open_buffer(const struct iio_buffer *buf,
								   struct iio_channels_mask *mask);
iio_hidden void iiod_remote_close_buffer(struct iio_buffer_stream_pdata *pdata);
iio_hidden int iiod_remote_enable_buffer(struct iio_buffer_stream_pdata *pdata, size_t nb_samples,
					 bool enable, bool cyclic);
iio_hidden void iiod_remote_cancel_buffer(struct iio_buffer_stream_pdata *pdata);
iio_hidden ssize_t iiod_remote_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst,
				       size_t len);
iio_hidden ssize_t iiod_remote_writebuf(struct iio_buffer_stream_pdata *pdata, const void *src,
					size_t len);
iio_hidden struct iio_block_pdata *iiod_remote_create_block(struct iio_buffer_stream_pdata *pdata,
							    size_t size, void **data);
iio_hidden void iiod_remote_free_block(struct iio_block_pdata *pdata);
iio_hidden int iiod_remote_enqueue_block(struct iio_block_pdata *pdata, size_t bytes_used,
					 bool cyclic);
iio_hidden int iiod_remote_dequeue_block(struct iio_block_pdata *pdata, bool nonblock);

/* Events (protocol/remote-events.c). */
iio_hidden struct iio_event_stream_pdata *iiod_remote_open_ev(const struct iio_device *dev);
iio_hidden void iiod_remote_close_ev(struct iio_event_stream_pdata *pdata);
iio_hidden int iiod_remote_read_ev(struct iio_event_stream_pdata *pdata, struct iio_event *out,
				   bool nonblock);

/* Index of dev in its context's (sorted) device list: the wire's device number. */
iio_hidden int iiod_remote_device_index(const struct iio_device *dev);

/* The operations of a remote backend, to put in its struct iio_backend_ops. */
/* clang-format off */
#define IIOD_REMOTE_BACKEND_OPS                                         \
	.shutdown = iiod_remote_shutdown,                               \
	.read_attr = iiod_remote_read_attr,                             \
	.write_attr = iiod_remote_write_attr,                           \
	.get_trigger = iiod_remote_get_trigger,                         \
	.set_trigger = iiod_remote_set_trigger,                         \
	.set_timeout = iiod_remote_set_timeout,                         \
	.ping = iiod_remote_ping,                                       \
	.refresh_format = iiod_remote_refresh_format,                   \
	.reg_read = iiod_remote_reg_read,                               \
	.reg_write = iiod_remote_reg_write,                             \
	.open_buffer = iiod_remote_open_buffer,                         \
	.close_buffer = iiod_remote_close_buffer,                       \
	.enable_buffer = iiod_remote_enable_buffer,                     \
	.cancel_buffer = iiod_remote_cancel_buffer,                     \
	.readbuf = iiod_remote_readbuf,                                 \
	.writebuf = iiod_remote_writebuf,                               \
	.create_block = iiod_remote_create_block,                       \
	.free_block = iiod_remote_free_block,                           \
	.enqueue_block = iiod_remote_enqueue_block,                     \
	.dequeue_block = iiod_remote_dequeue_block,                     \
	.open_ev = iiod_remote_open_ev,                                 \
	.close_ev = iiod_remote_close_ev,                               \
	.read_ev = iiod_remote_read_ev
/* clang-format on */

#endif /* IIO_PROTOCOL_REMOTE_H */
