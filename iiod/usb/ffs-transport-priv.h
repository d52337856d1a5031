/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by ffs-transport.c (element I/O) and ffs-dmabuf.c (block hooks). */
#ifndef IIOD_USB_FFS_TRANSPORT_PRIV_H
#define IIOD_USB_FFS_TRANSPORT_PRIV_H

#include "ffs-io.h"
#include "ffs-stats.h"
#include "ffs-transport.h"
#include "protocol/readahead.h"

#include <errno.h>
#include <pthread.h>

/* A block this transport carries (every block created through it). */
struct ffs_block {
	struct iio_block *block;
	int dmabuf_fd;
	bool attached;	/* FUNCTIONFS_DMABUF_ATTACH done on ep */
	bool zero_copy; /* transfers go through FUNCTIONFS_DMABUF_TRANSFER */
	bool is_output;
	struct ffs_ep *ep; /* the endpoint its payloads use */
	struct ffs_buffer_stats *stats;
	struct ffs_block *next;
};

struct ffs_transport {
	struct iiod_transport base;
	struct ffs_usb_env *env;
	unsigned int pipe;
	struct ffs_ep in, out; /* in: written (device -> host); out: read */
	int cancel_fd;	       /* eventfd: readable once cancelled */
	atomic_bool cancelled;
	atomic_bool down; /* an endpoint reported the function gone */
	atomic_uint refs;

	/* What read_line got beyond the '\n' of a transfer, served to later reads. */
	struct iiod_readahead ra;

	pthread_mutex_t blocks_lock; /* blocks and stats lists, counters */
	struct ffs_block *blocks;
	struct ffs_buffer_stats *stats;
};

static inline struct ffs_transport *to_ffs(struct iiod_transport *t)
{
	return (struct ffs_transport *)t;
}

/* Errors FunctionFS gives once the endpoint went away (disabled, unbound, host reset). */
static inline bool ffs_function_gone(int err)
{
	return err == -ESHUTDOWN || err == -ECONNRESET || err == -ENODEV || err == -EAGAIN ||
	       err == -ECONNABORTED;
}

/* Maps a failed transfer's error for the session layer (logs it once). */
int ffs_transport_error(struct ffs_transport *ft, struct ffs_ep *ep, int err);
/* Writes the elements, one transfer each (split at 1 MiB). Takes ft->in.lock. */
int ffs_write_elements(struct ffs_transport *ft, const struct iovec *iov, unsigned int count);
/* Reads exactly len bytes (no time limit). */
int ffs_read_exact(struct ffs_transport *ft, void *dst, size_t len);
/* Read-ahead bytes waiting (ASCII mode leftovers). */
bool ffs_has_read_ahead(struct ffs_transport *ft);

/* ffs-dmabuf.c: the block hooks of the transport ops, and the end of it all. */
int ffs_block_attach(struct iiod_transport *t, struct iio_block *block, bool is_output);
void ffs_block_detach(struct iiod_transport *t, struct iio_block *block);
ssize_t ffs_block_send(struct iiod_transport *t, const void *hdr, size_t hdr_len,
		       struct iio_block *block, size_t len);
ssize_t ffs_block_recv(struct iiod_transport *t, struct iio_block *block, size_t len);
/* Reports and frees what is left (blocks never detached). */
void ffs_blocks_release(struct ffs_transport *ft);

#endif /* IIOD_USB_FFS_TRANSPORT_PRIV_H */
