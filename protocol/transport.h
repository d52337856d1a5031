/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A protocol session runs over a transport: a pair of byte streams (in, out)
 * behind a small ops table. The TCP socket and plain fds (pipes, tests) are
 * implemented here; the FunctionFS transport (one USB bulk transfer per
 * protocol element, DMABUF block payloads) fills the same table elsewhere.
 *
 * Contract of every op that waits: timeout_ms < 0 waits forever, 0 does not
 * wait; a wait that expires returns -ETIMEDOUT, a cancelled transport
 * returns -EBADF (for good), a peer that went away -EPIPE.
 */
#ifndef IIO_PROTOCOL_TRANSPORT_H
#define IIO_PROTOCOL_TRANSPORT_H

#include "internal.h"

#include <sys/uio.h>

struct iio_block;
struct iiod_transport;

/* Most elements one writev call takes. */
#define IIOD_MAX_ELEMENTS 8

struct iiod_transport_ops {
	/* Reads between 1 and len bytes. */
	ssize_t (*read)(struct iiod_transport *t, void *dst, size_t len, int timeout_ms);
	/*
	 * Writes every byte of the elements, in order, or fails. Each element is
	 * one protocol element (a header, a length, a payload): transports with
	 * message boundaries (USB) send one transfer per element.
	 */
	ssize_t (*writev)(struct iiod_transport *t, const struct iovec *iov, unsigned int count,
			  int timeout_ms);
	/*
	 * Reads one ASCII line, '\n' included, without consuming anything after
	 * it (a payload may follow). -EFBIG when no '\n' comes within len bytes.
	 */
	ssize_t (*read_line)(struct iiod_transport *t, char *dst, size_t len, int timeout_ms);
	/* Makes every blocked and later call fail with -EBADF. Async-signal-safe. */
	void (*cancel)(struct iiod_transport *t);
	/* Closes the fds and frees the transport. */
	void (*destroy)(struct iiod_transport *t);

	/*
	 * Server-side hooks for block payloads (binary TRANSFER_BLOCK). NULL:
	 * the copy path through writev/read. A transport able to move a block's
	 * memory without the CPU (FunctionFS DMABUF) provides them:
	 * - block_attach at CREATE_BLOCK (an error just means "copy path");
	 * - block_detach before the block is destroyed;
	 * - block_send writes hdr then the first len bytes of the block, with
	 *   nothing else of the session in between (the caller holds the
	 *   session's write lock);
	 * - block_recv reads len bytes of TX payload into the block.
	 */
	int (*block_attach)(struct iiod_transport *t, struct iio_block *block, bool is_output);
	void (*block_detach)(struct iiod_transport *t, struct iio_block *block);
	ssize_t (*block_send)(struct iiod_transport *t, const void *hdr, size_t hdr_len,
			      struct iio_block *block, size_t len);
	ssize_t (*block_recv)(struct iiod_transport *t, struct iio_block *block, size_t len);

	/*
	 * Client-side hooks for block memory. NULL: page-aligned malloc and
	 * plain reads. usb: allocates blocks in usbfs device memory and, told
	 * what response comes next, queues bulk IN transfers straight into the
	 * block ahead of time (no copy, the link never idles):
	 * - block_alloc: zeroed memory for a block of size bytes, or NULL;
	 * - block_free: frees it (after taking back transfers aimed at it);
	 * - block_expect: just before TRANSFER_BLOCK or RETRY_DEQUEUE_BLOCK of
	 *   an RX block is sent: its response (client_id) brings up to
	 *   bytes_used bytes for mem (size bytes). An error is only a lost
	 *   optimisation.
	 */
	void *(*block_alloc)(struct iiod_transport *t, size_t size);
	void (*block_free)(struct iiod_transport *t, void *mem, size_t size);
	int (*block_expect)(struct iiod_transport *t, uint16_t client_id, void *mem,
			    size_t bytes_used, size_t size);
};

struct iiod_transport {
	const struct iiod_transport_ops *ops;
};

/*
 * A transport over two fds (the same fd twice for a socket), owned from now
 * on: destroy closes them. is_socket: send/recv with MSG_NOSIGNAL, and line
 * and small reads buffered (a socket is a byte stream, reading ahead is safe
 * as long as later reads drain that buffer first). Returns an error pointer.
 */
iio_hidden struct iiod_transport *iiod_fd_transport_new(int fd_in, int fd_out, bool is_socket);

/* ---- Helpers over any transport ----------------------------------------- */

/* Reads exactly len bytes (timeout per wait, i.e. without progress). */
iio_hidden int iiod_read_all(struct iiod_transport *t, void *dst, size_t len, int timeout_ms);
iio_hidden int iiod_write_all(struct iiod_transport *t, const void *src, size_t len,
			      int timeout_ms);
/* Reads and drops len bytes. */
iio_hidden int iiod_discard(struct iiod_transport *t, uint64_t len, int timeout_ms);
/* Writes "<value>\n" (one element). */
iio_hidden int iiod_write_int_line(struct iiod_transport *t, long value, int timeout_ms);
/* Reads an integer reply line (leading '\n's skipped). */
iio_hidden int iiod_read_int_line(struct iiod_transport *t, long *value, int timeout_ms);

static inline void iiod_transport_destroy(struct iiod_transport *t)
{
	if (t)
		t->ops->destroy(t);
}

static inline void iiod_transport_cancel(struct iiod_transport *t)
{
	t->ops->cancel(t);
}

#endif /* IIO_PROTOCOL_TRANSPORT_H */
