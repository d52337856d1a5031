/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Streaming state of the local backend, shared by buffer-io.c (opening,
 * enabling, waiting, cancel), fileio.c (read()/write() on the buffer fd) and
 * dmabuf.c (one DMABUF per block).
 *
 * Which I/O path a buffer uses is decided at run time, once per opened
 * buffer, by its first block: DMABUF blocks from a DMA heap, else from
 * udmabuf, else plain read()/write() (create_block answers -ENOSYS and the
 * core allocates its own blocks). The two never mix: the kernel disables
 * read()/write() while DMABUFs are attached. Every fallback keeps its reason.
 */
#ifndef IIO_LOCAL_BUFFER_IO_H
#define IIO_LOCAL_BUFFER_IO_H

#include "local.h"
#include "sysio.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/* The environment variable naming the DMA heap (a name under /dev/dma_heap). */
#define LOCAL_DMA_HEAP_ENV "LIBIIO_DMA_HEAP_PATH"
#define LOCAL_DMA_HEAP_DEFAULT "system"
#define LOCAL_DMA_HEAP_DIR "/dev/dma_heap"
#define LOCAL_UDMABUF_DEV "/dev/udmabuf"

enum local_io_path {
	LOCAL_IO_UNDECIDED = 0, /* no block yet */
	LOCAL_IO_DMABUF,	/* blocks are DMABUFs attached to the buffer */
	LOCAL_IO_FILEIO,	/* core blocks moved with read()/write() */
};

/* Where a DMABUF block comes from. */
enum local_dmabuf_source {
	LOCAL_DMABUF_HEAP = 0, /* /dev/dma_heap/<heap> */
	LOCAL_DMABUF_UDMABUF,  /* a sealed memfd turned into a DMABUF by /dev/udmabuf */
	LOCAL_DMABUF_NB_SOURCES,
};

/* The step of the DMABUF chain that failed. */
enum local_io_step {
	LOCAL_STEP_NONE = 0,
	LOCAL_STEP_HEAP_OPEN,	   /* open /dev/dma_heap/<heap> */
	LOCAL_STEP_HEAP_ALLOC,	   /* DMA_HEAP_IOCTL_ALLOC */
	LOCAL_STEP_UDMABUF_OPEN,   /* open /dev/udmabuf */
	LOCAL_STEP_MEMFD,	   /* memfd_create, ftruncate, F_ADD_SEALS */
	LOCAL_STEP_UDMABUF_CREATE, /* UDMABUF_CREATE */
	LOCAL_STEP_MMAP,
	LOCAL_STEP_SYNC,      /* DMA_BUF_IOCTL_SYNC */
	LOCAL_STEP_ATTACH,    /* IIO_BUFFER_DMABUF_ATTACH_IOCTL */
	LOCAL_STEP_LEGACY_FD, /* the buffer fd is the chardev: no DMABUF ioctls there */
};

/* Why one source (or DMABUF as a whole) was given up. */
struct local_io_fallback {
	enum local_io_step step; /* LOCAL_STEP_NONE: not given up */
	int err;		 /* negative errno */
};

/* What a buffer ended up using, and why (for logs and counters). */
struct local_io_info {
	enum local_io_path path;
	/* Per source: why it was not used (step NONE if it was, or was never tried). */
	struct local_io_fallback source[LOCAL_DMABUF_NB_SOURCES];
	/* Why the buffer went to read()/write() (step NONE if it did not). */
	struct local_io_fallback fileio;
	unsigned long nb_blocks[LOCAL_DMABUF_NB_SOURCES]; /* DMABUF blocks created */
};

struct iio_buffer_stream_pdata {
	const struct iio_buffer *buf;
	const struct iio_device *dev;
	const struct local_sysio *sys;
	size_t sample_size; /* bytes, for the length/watermark in samples */
	int fd;		    /* the buffer fd */
	bool fd_is_chardev; /* legacy: /dev/<id> itself (buffer 0, no GET_FD ioctl) */
	int cancel_fd;	    /* eventfd, readable once cancelled; never reset */
	atomic_bool cancelled;

	/* What follows is protected by lock. */
	pthread_mutex_t lock;
	size_t watermark;   /* samples, set at enable (fileio) */
	bool heap_given_up; /* the heap failed once: go straight to udmabuf */
	unsigned int nb_dmabuf_blocks;
	size_t min_block_size; /* smallest live DMABUF block, bytes */
	struct local_io_info info;
};

/* ---- buffer-io.c ----------------------------------------------------------- */

/* Deadline of one blocking operation, from the context timeout. */
struct local_deadline {
	int timeout_ms; /* -1: infinite, 0: do not wait */
	struct timespec end;
};

iio_hidden void local_deadline_start(struct local_deadline *dl, int timeout_ms);
/*
 * Waits until fd reports one of events (poll), the stream is cancelled or the
 * deadline passes. Returns the revents of fd (> 0), -EBADF once cancelled,
 * -ETIMEDOUT, or a poll error.
 */
iio_hidden int local_io_wait(struct iio_buffer_stream_pdata *pdata, int fd, short events,
			     const struct local_deadline *dl);
/* The context's timeout (resolved: -1 infinite, 0 non-blocking, else ms). */
iio_hidden int local_io_timeout(const struct iio_buffer_stream_pdata *pdata);

iio_hidden struct iio_buffer_stream_pdata *local_open_buffer(const struct iio_buffer *buf,
							     struct iio_channels_mask *mask);
iio_hidden void local_close_buffer(struct iio_buffer_stream_pdata *pdata);
iio_hidden int local_enable_buffer(struct iio_buffer_stream_pdata *pdata, size_t nb_samples,
				   bool enable, bool cyclic);
iio_hidden void local_cancel_buffer(struct iio_buffer_stream_pdata *pdata);
/* A copy of what the buffer uses and why, taken under the lock. */
iio_hidden void local_buffer_io_info(struct iio_buffer_stream_pdata *pdata,
				     struct local_io_info *info);
iio_hidden const char *local_io_step_name(enum local_io_step step);

/* ---- fileio.c -------------------------------------------------------------- */

iio_hidden ssize_t local_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len);
iio_hidden ssize_t local_writebuf(struct iio_buffer_stream_pdata *pdata, const void *src,
				  size_t len);
iio_hidden ssize_t local_io_ready(struct iio_buffer_stream_pdata *pdata);

/* ---- dmabuf.c -------------------------------------------------------------- */

iio_hidden struct iio_block_pdata *local_create_block(struct iio_buffer_stream_pdata *pdata,
						      size_t size, void **data);
iio_hidden void local_free_block(struct iio_block_pdata *block);
iio_hidden int local_enqueue_block(struct iio_block_pdata *block, size_t bytes_used, bool cyclic);
iio_hidden int local_dequeue_block(struct iio_block_pdata *block, bool nonblock);
iio_hidden int local_get_dmabuf_fd(struct iio_block_pdata *block);
iio_hidden int local_disable_cpu_access(struct iio_block_pdata *block, bool disable);

/* Messages about one buffer: "<device id>: buffer <n>: ...". */
#define buf_err(pdata, fmt, ...)                                                                   \
	dev_err((pdata)->dev, "buffer %u: " fmt, (pdata)->buf->index, ##__VA_ARGS__)
#define buf_warn(pdata, fmt, ...)                                                                  \
	dev_warn((pdata)->dev, "buffer %u: " fmt, (pdata)->buf->index, ##__VA_ARGS__)
#define buf_dbg(pdata, fmt, ...)                                                                   \
	dev_dbg((pdata)->dev, "buffer %u: " fmt, (pdata)->buf->index, ##__VA_ARGS__)
#define buf_perror(pdata, err, fmt, ...)                                                           \
	dev_perror((pdata)->dev, err, "buffer %u: " fmt, (pdata)->buf->index, ##__VA_ARGS__)

#endif /* IIO_LOCAL_BUFFER_IO_H */
