/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Transfers on FunctionFS endpoint files, behind a small table so that unit
 * tests can replace the kernel (ffs_sysio_aio is the real one).
 *
 * A round is: put up to FFS_IO_MAX_QUEUED buffers in ep->iov, submit them
 * (one USB transfer each, queued in that order on the endpoint), then wait
 * for all of them. The wait also watches a cancel eventfd: a cancel really
 * dequeues the transfers (io_cancel), so a read blocked on a silent host
 * ends at once.
 */
#ifndef IIOD_USB_FFS_IO_H
#define IIOD_USB_FFS_IO_H

#include <linux/aio_abi.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Largest single transfer: usb.md §3 (and a multiple of every wMaxPacketSize). */
#define FFS_MAX_TRANSFER (1u << 20)
/* Transfers one endpoint may have in flight per round. */
#define FFS_IO_MAX_QUEUED 8

struct ffs_sysio;

/* One endpoint file and the transfers of its current round. */
struct ffs_ep {
	int fd;
	bool is_in;	     /* device -> host: writes */
	unsigned int number; /* epN, for log lines */
	const struct ffs_sysio *sys;
	pthread_mutex_t lock; /* one round at a time */

	struct iovec iov[FFS_IO_MAX_QUEUED]; /* filled by the caller before submit */
	ssize_t result[FFS_IO_MAX_QUEUED];   /* bytes moved or -errno, after wait */
	unsigned int queued;		     /* transfers in the round */

	/* Linux AIO: a context and an eventfd signalled at each completion. */
	aio_context_t aio;
	int done_fd;
	struct iocb iocbs[FFS_IO_MAX_QUEUED];
	bool completed[FFS_IO_MAX_QUEUED];
	bool broken; /* transfers could not be reaped: unusable */

	void *fake; /* test implementations */
};

struct ffs_sysio {
	int (*ep_init)(struct ffs_ep *ep);
	void (*ep_fini)(struct ffs_ep *ep);
	/*
	 * Queues ep->iov[0..count) as count transfers in that order. On an
	 * error nothing of the round is left queued (or the ones that are will
	 * be reaped by wait: ep->queued says how many).
	 */
	int (*submit)(struct ffs_ep *ep, unsigned int count);
	/*
	 * Waits for the queued transfers; results in ep->result. When cancel_fd
	 * becomes readable or timeout_ms (>= 0) expires, dequeues them, waits
	 * for the kernel to let go of the buffers, and returns -EBADF or
	 * -ETIMEDOUT. 0 otherwise (the per-transfer results tell errors).
	 */
	int (*wait)(struct ffs_ep *ep, int cancel_fd, int timeout_ms);
	/* ioctl(2) returning -errno on failure. */
	int (*ioctl)(int fd, unsigned long request, void *arg);
};

extern const struct ffs_sysio ffs_sysio_aio;

/* Sets up ep around an open endpoint file (taken over: ffs_ep_fini closes it). */
int ffs_ep_init(struct ffs_ep *ep, const struct ffs_sysio *sys, int fd, bool is_in,
		unsigned int number);
void ffs_ep_fini(struct ffs_ep *ep);

/*
 * One round: the buffers as consecutive transfers. Returns 0 when every
 * transfer completed (results in ep->result), else -errno of the round or
 * of the first failed transfer. Caller holds ep->lock.
 */
int ffs_ep_round(struct ffs_ep *ep, unsigned int count, int cancel_fd, int timeout_ms);

#endif /* IIOD_USB_FFS_IO_H */
