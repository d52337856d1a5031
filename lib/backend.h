/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The table of operations each backend fills. The URI prefix ("local:",
 * "xml:", "ip:", "usb:") selects the backend; lib/backend.c holds the registry
 * of the built-in ones. An operation left NULL means "not supported" and the
 * core answers -ENOSYS (or falls back, where the comment says so).
 */
#ifndef IIO_LIB_BACKEND_H
#define IIO_LIB_BACKEND_H

#include "internal.h"

struct iio_scan;
struct iio_buffer_stream_pdata;
struct iio_block_pdata;
struct iio_event_stream_pdata;

struct iio_backend_ops {
	/* Adds results with iio_scan_add_result(); args is the text after "name=". */
	int (*scan)(const struct iio_context_params *params, struct iio_scan *scan,
		    const char *args);
	/* args: the URI without its prefix. Returns the context or an error pointer. */
	struct iio_context *(*create)(const struct iio_context_params *params, const char *args);
	/* Frees everything the backend attached to the context and its objects. */
	void (*shutdown)(struct iio_context *ctx);

	/* Attribute I/O for every attribute kind (attr->type tells which). */
	ssize_t (*read_attr)(const struct iio_attr *attr, char *dst, size_t len);
	ssize_t (*write_attr)(const struct iio_attr *attr, const char *src, size_t len);

	const struct iio_device *(*get_trigger)(const struct iio_device *dev);
	int (*set_trigger)(const struct iio_device *dev, const struct iio_device *trigger);
	int (*set_timeout)(struct iio_context *ctx, int timeout_ms);
	int (*ping)(struct iio_context *ctx);
	/* Re-reads chn->format (not scale/offset) from the hardware. */
	int (*refresh_format)(struct iio_channel *chn);
	int (*reg_read)(const struct iio_device *dev, uint32_t address, uint32_t *value);
	int (*reg_write)(const struct iio_device *dev, uint32_t address, uint32_t value);

	/*
	 * Streaming. open_buffer may set more bits in mask (channels the hardware
	 * enabled on its own). Returns an error pointer on failure.
	 */
	struct iio_buffer_stream_pdata *(*open_buffer)(const struct iio_buffer *buf,
						       struct iio_channels_mask *mask);
	void (*close_buffer)(struct iio_buffer_stream_pdata *pdata);
	/*
	 * nb_samples: size of the blocks, in samples (a hint for the kernel buffer).
	 * The core passes the size of the last core block created (read/write I/O),
	 * or 0 when every block of the stream is a backend block. Core RX blocks
	 * are only filled while the application waits in iio_block_dequeue(), so
	 * the kernel buffer should hold several blocks' worth of samples, with its
	 * wake-up watermark at nb_samples. cyclic: a cyclic block was enqueued.
	 */
	int (*enable_buffer)(struct iio_buffer_stream_pdata *pdata, size_t nb_samples,
			     bool enable, bool cyclic);
	/*
	 * Wakes every waiter with an error; any thread. Permanent until
	 * close_buffer: a readbuf/writebuf/dequeue_block blocked in another
	 * thread must return (e.g. -EBADF) promptly, and every later wait fails
	 * at once. May be called from a signal handler: async-signal-safe only
	 * (e.g. write to an eventfd), no locks.
	 */
	void (*cancel_buffer)(struct iio_buffer_stream_pdata *pdata);
	/*
	 * Plain I/O, used for blocks the backend cannot provide (create_block
	 * -ENOSYS). The core serialises the calls of one stream. Each call may
	 * move fewer than len bytes (the core calls again for the rest) but at
	 * least one; it waits at most the context timeout (-ETIMEDOUT), and
	 * returns the count moved so far rather than an error that came after
	 * some progress. Must be interruptible by cancel_buffer (see above).
	 */
	ssize_t (*readbuf)(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len);
	ssize_t (*writebuf)(struct iio_buffer_stream_pdata *pdata, const void *src, size_t len);
	/*
	 * Optional: bytes readbuf (input) or writebuf (output) can move now
	 * without waiting (0: none), or a negative error (-EBADF once
	 * cancelled). Lets a non-blocking dequeue of a core block answer -EBUSY;
	 * without it, such a dequeue waits like a blocking one.
	 */
	ssize_t (*io_ready)(struct iio_buffer_stream_pdata *pdata);

	/* A backend block (e.g. DMABUF). *data receives its memory. -ENOSYS: core block. */
	struct iio_block_pdata *(*create_block)(struct iio_buffer_stream_pdata *pdata, size_t size,
						void **data);
	/* May be called while the block is enqueued: the backend reclaims it. */
	void (*free_block)(struct iio_block_pdata *pdata);
	/* The core has checked the state (-EPERM) and 0 < bytes_used <= size. */
	int (*enqueue_block)(struct iio_block_pdata *pdata, size_t bytes_used, bool cyclic);
	/*
	 * >= 0: the block is back with the application. -EBUSY (nonblock, not
	 * ready), -ETIMEDOUT, -EAGAIN, -EINTR: still enqueued, the application
	 * may dequeue again. Any other error ends the transfer: the core
	 * considers the block dequeued (it may be enqueued again).
	 */
	int (*dequeue_block)(struct iio_block_pdata *pdata, bool nonblock);
	int (*get_dmabuf_fd)(struct iio_block_pdata *pdata);
	int (*disable_cpu_access)(struct iio_block_pdata *pdata, bool disable);

	/* Events. */
	struct iio_event_stream_pdata *(*open_ev)(const struct iio_device *dev);
	void (*close_ev)(struct iio_event_stream_pdata *pdata);
	int (*read_ev)(struct iio_event_stream_pdata *pdata, struct iio_event *out, bool nonblock);
};

struct iio_backend {
	const char *name;              /* "local" */
	const char *uri_prefix;        /* "local:" */
	const struct iio_backend_ops *ops;
	unsigned int default_timeout_ms;
};

/* Built-in backends, defined by each backend folder. */
extern const struct iio_backend iio_local_backend;
extern const struct iio_backend iio_xml_backend;
extern const struct iio_backend iio_ip_backend;
extern const struct iio_backend iio_usb_backend;

/* The built-in backend whose URI prefix starts uri, or NULL. */
iio_hidden const struct iio_backend *iio_backend_for_uri(const char *uri);
/* The built-in backend whose name is name, or NULL. */
iio_hidden const struct iio_backend *iio_backend_by_name(const char *name);

/* Scan results: called by a backend's scan op. */
iio_hidden int iio_scan_add_result(struct iio_scan *scan, const char *description,
				   const char *uri);

/*
 * Builds a context from an XML description (the xml: backend, and remote
 * backends that received it from a server). backend gives the context its
 * name and ops; the document's own name is ignored.
 */
iio_hidden struct iio_context *iio_context_from_xml(const struct iio_backend *backend,
						    const struct iio_context_params *params,
						    const char *xml, size_t len);

#endif /* IIO_LIB_BACKEND_H */
