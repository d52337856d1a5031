/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The usb: backend, private to usb/: URIs and scan filters, the device and its
 * pipes, the bulk OUT writer and the bulk IN stream engine that keeps several
 * transfers in flight and lands block payloads in place.
 *
 * Layering inside usb/:
 *   uri.c       parsing only (no libusb calls)
 *   transfer.c  libusb status/error mapping, the event thread, bulk OUT writes
 *   stream.c    bulk IN: byte stream for the protocol client, fast path for blocks
 *   device.c    open/claim, endpoint layout, vendor requests, pipes, context attributes
 *   block-mem.c block memory: usbfs device memory in 1 MiB mappings, else malloc
 *   scan.c      discovery of interfaces named "IIO"
 *   backend.c   the ops table, glue to the iiod protocol client
 */
#ifndef IIO_USB_USB_H
#define IIO_USB_USB_H

#include "backend.h"
#include "internal.h"

#include <libusb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Neither side ever moves more than this in one bulk transfer (usb.md §4.3, §5.3). */
#define IIO_USB_MAX_TRANSFER (1024 * 1024)
#define IIO_USB_CONTROL_TIMEOUT_MS 1000
#define IIO_USB_DEFAULT_TIMEOUT_MS 5000
/* Bulk IN transfers kept in flight on a buffer's pipe; $LIBIIO_USB_INFLIGHT overrides. */
#define IIO_USB_DEFAULT_INFLIGHT 4
#define IIO_USB_MAX_INFLIGHT 32
#define IIO_USB_MAX_PIPES 32
/* Block memory is rounded up to this, a multiple of every bulk wMaxPacketSize. */
#define IIO_USB_BLOCK_ALIGN 1024

/* Vendor requests on ep0 (usb.md §2). */
enum iio_usb_request {
	IIO_USB_REQ_RESET_PIPES = 0,
	IIO_USB_REQ_OPEN_PIPE = 1,
	IIO_USB_REQ_CLOSE_PIPE = 2,
};
/* Host to device, vendor, recipient interface. */
#define IIO_USB_REQ_TYPE 0x41

/* ---- uri.c ----------------------------------------------------------------- */

/* What follows "usb:" in a URI. */
struct iio_usb_uri {
	bool scan;               /* "usb:" alone: the one device a scan finds */
	uint8_t bus, address;
	uint8_t intf;            /* 0 when the URI does not say */
};

/* Parses "", "BUS.ADDR" or "BUS.ADDR.INTF" (decimal 0..255). -EINVAL with a message. */
iio_hidden int iio_usb_parse_uri(const struct iio_context_params *params, const char *args,
				 struct iio_usb_uri *uri);

/* A scan string's "usb=VID:PID" or "usb=VID:*" (hex, 0x optional). */
struct iio_usb_filter {
	bool any_vid;            /* no filter at all */
	bool any_pid;
	uint16_t vid, pid;
};

/* args NULL or "": matches everything. -EINVAL with a message. */
iio_hidden int iio_usb_parse_filter(const struct iio_context_params *params, const char *args,
				    struct iio_usb_filter *filter);
iio_hidden bool iio_usb_filter_match(const struct iio_usb_filter *filter, uint16_t vid,
				     uint16_t pid);

/* ---- transfer.c: status mapping, events, bulk OUT ---------------------------- */

/* A libusb_error as a negative errno. */
iio_hidden int iio_usb_error_to_errno(int libusb_error);
/* A finished transfer's status as 0 (completed) or a negative errno. */
iio_hidden int iio_usb_status_to_errno(enum libusb_transfer_status status);

/* A thread that runs libusb's event handling for one libusb context. */
struct iio_usb_events {
	libusb_context *usb;
	pthread_t thread;
	int stop;
	bool running;
};

iio_hidden int iio_usb_events_start(struct iio_usb_events *ev, libusb_context *usb);
iio_hidden void iio_usb_events_stop(struct iio_usb_events *ev);

/*
 * The OUT half of a pipe. Each write is one protocol element: split into
 * transfers of at most 1 MiB, all queued at once, never merged with the next.
 */
struct iio_usb_writer {
	libusb_device_handle *hdl;
	uint8_t ep;
	pthread_mutex_t lock;            /* one element at a time */
	pthread_mutex_t state_lock;
	pthread_cond_t done;
	unsigned int in_flight;
	bool cancelled;
	int error;                       /* sticky after a partial element */
};

iio_hidden int iio_usb_writer_init(struct iio_usb_writer *w, libusb_device_handle *hdl,
				   uint8_t ep);
iio_hidden void iio_usb_writer_cleanup(struct iio_usb_writer *w);
/* Returns len, or -ETIMEDOUT, -EBADF (cancelled), -ENODEV, -EPIPE, -EIO... */
iio_hidden ssize_t iio_usb_writer_write(struct iio_usb_writer *w, const void *src, size_t len,
					int timeout_ms);
/* Any thread: fails the write in progress and every later one with -EBADF. */
iio_hidden void iio_usb_writer_cancel(struct iio_usb_writer *w);

/* ---- stream.c: bulk IN engine ------------------------------------------------ */

/* How the engine reaches the bus; tests substitute a simulated endpoint. */
struct iio_usb_stream_ops {
	int (*submit)(void *data, struct libusb_transfer *t);
	int (*cancel)(void *data, struct libusb_transfer *t);
};

iio_hidden extern const struct iio_usb_stream_ops iio_usb_libusb_ops;

struct iio_usb_stream_config {
	const struct iio_usb_stream_ops *ops;
	void *ops_data;
	libusb_device_handle *hdl;       /* NULL in tests */
	uint8_t ep;                      /* bulk IN address */
	unsigned int max_packet;         /* wMaxPacketSize of ep */
	unsigned int inflight;           /* 0: default (env, else 4) */
	const struct iio_context_params *params; /* logging; may be NULL */
	const char *name;                /* "pipe 1", for messages */
};

/* Counters that show which path the bytes took. */
struct iio_usb_stream_stats {
	uint64_t bytes_in_place;         /* landed where the reader wanted them: no copy */
	uint64_t bytes_copied;           /* went through an intermediate buffer */
	uint64_t transfers;
	uint64_t mispredictions;         /* speculative transfers replanned */
	unsigned int max_in_flight;
};

struct iio_usb_stream;

iio_hidden struct iio_usb_stream *iio_usb_stream_new(const struct iio_usb_stream_config *cfg);
/* Cancels what is in flight, waits for it, frees. */
iio_hidden void iio_usb_stream_free(struct iio_usb_stream *s);

/*
 * Reads the next bytes of the pipe (at least 1, at most len), like recv().
 * timeout_ms < 0: wait forever. A read that times out leaves the stream in
 * sync: bytes that arrive later are returned by the next read.
 * When dst is where the engine already received the bytes (a block region
 * announced with iio_usb_stream_expect), nothing is copied.
 */
iio_hidden ssize_t iio_usb_stream_read(struct iio_usb_stream *s, void *dst, size_t len,
				       int timeout_ms);

/*
 * Announces an RX block response: a header with client_id, then data that
 * belongs in region (bytes_used bytes; block_size is the region's size, which
 * copy-path servers send in full). Call it before sending TRANSFER_BLOCK (or
 * RETRY_DEQUEUE_BLOCK) for that block, only on a binary-mode pipe whose
 * earlier responses have been read or are being waited for as headers. From
 * then on the engine keeps transfers queued ahead so that the link never
 * idles, and lands the data in region. region must stay valid until the
 * response has been read or iio_usb_stream_forget() returned.
 */
iio_hidden int iio_usb_stream_expect(struct iio_usb_stream *s, uint16_t client_id, void *region,
				     size_t bytes_used, size_t block_size);
/* Before region (size bytes) is freed: drops its announcements, takes back its transfers. */
iio_hidden void iio_usb_stream_forget(struct iio_usb_stream *s, const void *region, size_t size);
/* Any thread: in-flight and later reads fail with -EBADF. */
iio_hidden void iio_usb_stream_cancel(struct iio_usb_stream *s);
iio_hidden void iio_usb_stream_get_stats(struct iio_usb_stream *s,
					 struct iio_usb_stream_stats *stats);

/* $LIBIIO_USB_STATS set (not "0"): per-pipe counters and block memory go to stderr. */
iio_hidden bool iio_usb_stats_wanted(void);

/* Transfers in flight from $LIBIIO_USB_INFLIGHT (1..IIO_USB_MAX_INFLIGHT), else the default. */
iio_hidden unsigned int iio_usb_inflight_from_env(const struct iio_context_params *params);

/* ---- device.c ------------------------------------------------------------------ */

/* One pipe's endpoints: bulk IN (device to host) then bulk OUT. */
struct iio_usb_pipe_eps {
	uint8_t in, out;
	uint16_t in_max_packet, out_max_packet;
};

/*
 * Checks altsetting 0 of the IIO interface: an even number >= 2 of bulk
 * endpoints, IN at even positions, OUT at odd ones. Fills eps (up to max).
 * Returns the number of pipes or -EINVAL.
 */
iio_hidden int iio_usb_pipes_from_interface(const struct libusb_interface_descriptor *desc,
					    struct iio_usb_pipe_eps *eps, unsigned int max);

/* Which pipes are in use: pipe 0 belongs to the context, buffers take 1..n-1. */
struct iio_usb_pipe_map {
	unsigned int nb_pipes;
	uint32_t used;
};

/* First free pipe in 1..nb_pipes-1, marked used; -EBUSY when none. */
iio_hidden int iio_usb_pipe_map_reserve(struct iio_usb_pipe_map *map);
iio_hidden void iio_usb_pipe_map_release(struct iio_usb_pipe_map *map, unsigned int pipe);

struct iio_usb_device;
struct iio_usb_block_mem;

/* A pipe opened on the device: OUT writer and IN stream. */
struct iio_usb_pipe {
	struct iio_usb_device *dev;
	unsigned int id;
	struct iio_usb_writer out;
	struct iio_usb_stream *in;
	int cancel_requested;            /* atomic: set by iio_usb_pipe_cancel */
	bool cancelled;                  /* under dev->lock: the cancel thread did it */
};

struct iio_usb_device {
	const struct iio_context_params *params; /* &params_copy, or NULL: defaults */
	struct iio_context_params params_copy;
	libusb_context *usb;
	libusb_device_handle *hdl;
	struct iio_usb_events events;
	uint8_t bus, address, intf;
	bool claimed;
	struct libusb_device_descriptor desc;
	unsigned int nb_pipes;
	struct iio_usb_pipe_eps eps[IIO_USB_MAX_PIPES];
	pthread_mutex_t lock;            /* pipes, open, dev_mem_logged */
	struct iio_usb_pipe_map pipes;
	struct iio_usb_pipe *open[IIO_USB_MAX_PIPES];
	/* Cancels come through an eventfd so that a signal handler may ask for one. */
	int cancel_fd;
	pthread_t cancel_thread;
	bool cancel_thread_running;
	int stopping;
	int gone;                        /* atomic: a request saw the device unplugged */
	bool dev_mem_logged;
	struct iio_usb_block_mem *blocks; /* under lock */
	int usbfs_fd;                    /* ours when we opened the node, else -1 */
	size_t dev_mem_budget, dev_mem_used; /* bytes of usbfs device memory, under lock */
	char uri[32];
	char *description;
};

/*
 * Opens usb:BUS.ADDR.INTF, claims the interface, checks its layout, starts
 * the event and cancel threads. params (may be NULL) is copied.
 */
iio_hidden int iio_usb_device_open(const struct iio_context_params *params,
				   const struct iio_usb_uri *uri, struct iio_usb_device **out);
/* Every pipe must be freed already. */
iio_hidden void iio_usb_device_close(struct iio_usb_device *dev);

/* Vendor request on ep0 (wIndex = claimed interface), 1000 ms timeout. */
iio_hidden int iio_usb_device_request(struct iio_usb_device *dev, enum iio_usb_request req,
				      uint16_t value);

/* Sends OPEN_PIPE(id) and sets up the host side: writer and stream. */
iio_hidden int iio_usb_pipe_open(struct iio_usb_device *dev, unsigned int id,
				 struct iio_usb_pipe **out);
/* Cancels what is in flight and frees the host side (no request sent). */
iio_hidden void iio_usb_pipe_free(struct iio_usb_pipe *pipe);
/*
 * Any thread, or a signal handler: every blocked and later read/write of the
 * pipe fails with -EBADF.
 */
iio_hidden void iio_usb_pipe_cancel(struct iio_usb_pipe *pipe);

/* Reserves a buffer pipe (1..n-1); -EBUSY with a message when none is free. */
iio_hidden int iio_usb_pipe_reserve(struct iio_usb_device *dev);
/* Sends CLOSE_PIPE(id) (unless the device is gone) and gives the pipe back. */
iio_hidden void iio_usb_pipe_unreserve(struct iio_usb_device *dev, unsigned int id);

/* ---- block-mem.c ------------------------------------------------------------------ */

/*
 * Zeroed memory for a block of size bytes: usbfs device memory when the
 * kernel offers it (transfers then use it without a copy), else malloc
 * (logged once at debug level). Free it before the device is closed.
 */
iio_hidden void *iio_usb_block_mem_alloc(struct iio_usb_device *dev, size_t size);
iio_hidden void iio_usb_block_mem_free(struct iio_usb_device *dev, void *mem);
/* What the application did not free, when the device closes. */
iio_hidden void iio_usb_block_mem_free_all(struct iio_usb_device *dev);

/* Adds uri, usb,vendor/product/serial/idVendor/idProduct/release/libusb (usb.md §4.2). */
iio_hidden int iio_usb_device_add_context_attrs(struct iio_usb_device *dev,
						struct iio_context *ctx);

/* ---- scan.c --------------------------------------------------------------------- */

/*
 * The description of usb.md §4.1 for an opened device:
 * "VVVV:PPPP (manufacturer product), serial=SERIAL". Caller frees.
 */
iio_hidden char *iio_usb_describe(libusb_device_handle *hdl,
				  const struct libusb_device_descriptor *desc);
/* Interface number whose string is exactly "IIO" in the active configuration, or -ENOENT. */
iio_hidden int iio_usb_find_iio_interface(libusb_device_handle *hdl);

iio_hidden int iio_usb_scan(const struct iio_context_params *params, struct iio_scan *scan,
			    const char *args);

#endif /* IIO_USB_USB_H */
