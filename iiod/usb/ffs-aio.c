// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Endpoint transfers with Linux native AIO (the raw syscalls: no library
 * needed). FunctionFS queues an AIO transfer on the endpoint at io_submit()
 * time, lets io_cancel() dequeue it, and signals completions through an
 * eventfd that poll() watches together with the transport's cancel eventfd.
 */
#include "ffs-io.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* How long a cancelled transfer may take to be given back by the kernel. */
#define CANCEL_REAP_TIMEOUT_MS 5000

static int sys_io_setup(unsigned int nr, aio_context_t *ctx)
{
	return (int)syscall(SYS_io_setup, nr, ctx);
}

static int sys_io_destroy(aio_context_t ctx)
{
	return (int)syscall(SYS_io_destroy, ctx);
}

static int sys_io_submit(aio_context_t ctx, long nr, struct iocb **iocbs)
{
	return (int)syscall(SYS_io_submit, ctx, nr, iocbs);
}

static int sys_io_cancel(aio_context_t ctx, struct iocb *iocb, struct io_event *result)
{
	return (int)syscall(SYS_io_cancel, ctx, iocb, result);
}

static int sys_io_getevents(aio_context_t ctx, long min_nr, long nr, struct io_event *events,
			    struct timespec *timeout)
{
	return (int)syscall(SYS_io_getevents, ctx, min_nr, nr, events, timeout);
}

static int aio_ep_init(struct ffs_ep *ep)
{
	int err;

	ep->aio = 0;
	if (sys_io_setup(FFS_IO_MAX_QUEUED, &ep->aio) < 0)
		return -errno;
	ep->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ep->done_fd < 0) {
		err = -errno;
		sys_io_destroy(ep->aio);
		return err;
	}
	return 0;
}

static void aio_ep_fini(struct ffs_ep *ep)
{
	/* Waits for anything still in flight: nothing writes into freed memory. */
	if (ep->aio)
		sys_io_destroy(ep->aio);
	ep->aio = 0;
	if (ep->done_fd >= 0)
		close(ep->done_fd);
	ep->done_fd = -1;
}

static int aio_submit(struct ffs_ep *ep, unsigned int count)
{
	struct iocb *list[FFS_IO_MAX_QUEUED];
	unsigned int i, done = 0;
	int ret;

	for (i = 0; i < count; i++) {
		struct iocb *cb = &ep->iocbs[i];

		memset(cb, 0, sizeof(*cb));
		cb->aio_data = i;
		cb->aio_lio_opcode = ep->is_in ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
		cb->aio_fildes = (uint32_t)ep->fd;
		cb->aio_buf = (uint64_t)(uintptr_t)ep->iov[i].iov_base;
		cb->aio_nbytes = ep->iov[i].iov_len;
		cb->aio_flags = IOCB_FLAG_RESFD;
		cb->aio_resfd = (uint32_t)ep->done_fd;
		list[i] = cb;
		ep->completed[i] = false;
		ep->result[i] = -ECANCELED;
	}
	ep->queued = 0;
	while (done < count) {
		ret = sys_io_submit(ep->aio, count - done, &list[done]);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			/* The ones already queued are reaped by the wait. */
			for (i = done; i < count; i++)
				ep->completed[i] = true, ep->result[i] = ret;
			return ret;
		}
		if (ret == 0)
			return -EAGAIN;
		done += (unsigned int)ret;
		ep->queued = done;
	}
	return 0;
}

/* Collects finished transfers without waiting; returns how many are still out. */
static unsigned int reap(struct ffs_ep *ep, int min_nr, int timeout_ms)
{
	struct io_event events[FFS_IO_MAX_QUEUED];
	struct timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long)(timeout_ms % 1000) * 1000000L,
	};
	unsigned int i, outstanding = 0;
	int n;

	n = sys_io_getevents(ep->aio, min_nr, FFS_IO_MAX_QUEUED, events, &ts);
	for (i = 0; n > 0 && i < (unsigned int)n; i++) {
		uint64_t idx = events[i].data;

		if (idx >= FFS_IO_MAX_QUEUED)
			continue;
		ep->completed[idx] = true;
		ep->result[idx] = (ssize_t)events[i].res;
	}
	for (i = 0; i < ep->queued; i++)
		outstanding += !ep->completed[i];
	return outstanding;
}

static void drain_eventfd(int fd)
{
	uint64_t count;

	while (read(fd, &count, sizeof(count)) == sizeof(count))
		;
}

/* Dequeues every unfinished transfer and waits until the kernel gave them back. */
static void cancel_round(struct ffs_ep *ep)
{
	struct io_event ev;
	unsigned int i, left;

	for (i = 0; i < ep->queued; i++)
		if (!ep->completed[i])
			sys_io_cancel(ep->aio, &ep->iocbs[i], &ev);
	left = reap(ep, 0, 0);
	if (left)
		left = reap(ep, (int)left, CANCEL_REAP_TIMEOUT_MS);
	if (left) {
		/* io_destroy waits for them, whatever it takes: memory stays safe. */
		sys_io_destroy(ep->aio);
		ep->aio = 0;
		ep->broken = true;
	}
	drain_eventfd(ep->done_fd);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int aio_wait(struct ffs_ep *ep, int cancel_fd, int timeout_ms)
{
	long long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	struct pollfd pfd[2] = {
		{.fd = ep->done_fd, .events = POLLIN},
		{.fd = cancel_fd, .events = POLLIN},
	};
	int wait = timeout_ms, ret;

	for (;;) {
		if (!reap(ep, 0, 0))
			break;
		ret = poll(pfd, 2, wait);
		if (ret < 0 && errno != EINTR) {
			ret = -errno;
			cancel_round(ep);
			return ret;
		}
		if (ret > 0 && pfd[1].revents) {
			cancel_round(ep);
			return -EBADF;
		}
		if (pfd[0].revents)
			drain_eventfd(ep->done_fd);
		if (timeout_ms > 0) {
			wait = (int)(deadline - now_ms());
			if (wait < 0)
				wait = 0;
		}
		if (ret == 0 && timeout_ms >= 0 && reap(ep, 0, 0)) {
			cancel_round(ep);
			return -ETIMEDOUT;
		}
	}
	drain_eventfd(ep->done_fd);
	return 0;
}

static int libc_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, request, arg);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

const struct ffs_sysio ffs_sysio_aio = {
	.ep_init = aio_ep_init,
	.ep_fini = aio_ep_fini,
	.submit = aio_submit,
	.wait = aio_wait,
	.ioctl = libc_ioctl,
};

/* ---- Generic part ------------------------------------------------------------- */

int ffs_ep_init(struct ffs_ep *ep, const struct ffs_sysio *sys, int fd, bool is_in,
		unsigned int number)
{
	int ret;

	memset(ep, 0, sizeof(*ep));
	ep->fd = fd;
	ep->is_in = is_in;
	ep->number = number;
	ep->sys = sys;
	ep->done_fd = -1;
	ret = sys->ep_init(ep);
	if (ret) {
		close(fd);
		ep->fd = -1;
		return ret;
	}
	pthread_mutex_init(&ep->lock, NULL);
	return 0;
}

void ffs_ep_fini(struct ffs_ep *ep)
{
	if (ep->fd < 0)
		return;
	ep->sys->ep_fini(ep);
	close(ep->fd);
	ep->fd = -1;
	pthread_mutex_destroy(&ep->lock);
}

int ffs_ep_round(struct ffs_ep *ep, unsigned int count, int cancel_fd, int timeout_ms)
{
	unsigned int i;
	int ret, wret;

	if (ep->broken)
		return -EBADF;
	ret = ep->sys->submit(ep, count);
	wret = ep->queued ? ep->sys->wait(ep, cancel_fd, timeout_ms) : 0;
	if (wret)
		return wret;
	if (ret)
		return ret;
	for (i = 0; i < count; i++)
		if (ep->result[i] < 0)
			return (int)ep->result[i];
	return 0;
}
