// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fd transport: TCP sockets (iiod's connections, the ip: backend) and
 * plain fds. Every wait is a poll() on the fd and a cancel eventfd, so that
 * cancelling (from any thread or a signal handler) unblocks it.
 */
#include "readahead.h"
#include "transport.h"
#include "wire.h"

#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Read-ahead of socket line reads, and of small reads (headers, lengths). */
#define LINE_BUFFER_SIZE 4096
#define SMALL_READ 512

struct fd_transport {
	struct iiod_transport base;
	int fd_in, fd_out;
	int cancel_fd;
	atomic_bool cancelled; /* set with the eventfd; checked without a syscall */
	bool is_socket;
	/* Bytes read ahead (line and small reads), served first by every later read. */
	struct iiod_readahead ra;
};

static struct fd_transport *to_fd(struct iiod_transport *t)
{
	return (struct fd_transport *)t;
}

static bool is_cancelled(struct fd_transport *ft)
{
	return atomic_load(&ft->cancelled);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events; 0, -ETIMEDOUT, -EBADF (cancelled) or -errno. */
static int wait_fd(struct fd_transport *ft, int fd, short events, int timeout_ms)
{
	struct pollfd pfds[2] = {
		{.fd = fd, .events = events},
		{.fd = ft->cancel_fd, .events = POLLIN},
	};
	long long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	int ret, wait = timeout_ms;

	for (;;) {
		ret = poll(pfds, 2, wait);
		if (ret < 0 && errno == EINTR) {
			if (timeout_ms > 0) {
				wait = (int)(deadline - now_ms());
				if (wait < 0)
					wait = 0;
			}
			continue;
		}
		if (ret < 0)
			return -errno;
		if (pfds[1].revents)
			return -EBADF;
		if (ret == 0)
			return -ETIMEDOUT;
		/* Errors and hang-ups are reported by the read/write that follows. */
		return 0;
	}
}

/*
 * Reads what is there (at least one byte); exact: the caller wants all len
 * bytes (a payload), so a socket without time limit may wait for them all.
 */
static ssize_t raw_read(struct fd_transport *ft, void *dst, size_t len, int timeout_ms, bool exact)
{
	ssize_t ret;
	int err;

	for (;;) {
		if (exact && ft->is_socket && timeout_ms < 0 && !is_cancelled(ft))
			/* No time limit: one wake-up for the whole payload (cancel shuts it down).
			 */
			ret = recv(ft->fd_in, dst, len, MSG_WAITALL);
		else if (ft->is_socket)
			ret = recv(ft->fd_in, dst, len, MSG_DONTWAIT);
		else
			ret = read(ft->fd_in, dst, len);
		if (ret > 0)
			return ret;
		if (is_cancelled(ft))
			return -EBADF;
		if (ret == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET || errno == ENOTCONN)
			return -EPIPE;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (timeout_ms == 0)
			return -ETIMEDOUT;
		err = wait_fd(ft, ft->fd_in, POLLIN, timeout_ms);
		if (err)
			return err;
	}
}

/* Refills the read-ahead: what one read brings. */
static ssize_t fill_ahead(void *ctx, void *dst, size_t len, int timeout_ms)
{
	return raw_read(ctx, dst, len, timeout_ms, false);
}

static ssize_t fd_read(struct iiod_transport *t, void *dst, size_t len, int timeout_ms)
{
	struct fd_transport *ft = to_fd(t);

	if (!len)
		return 0;
	if (is_cancelled(ft))
		return -EBADF;
	if (!iiod_readahead_pending(&ft->ra) && ft->is_socket && len < SMALL_READ) {
		/* Headers and lengths: one recv() brings them and what follows. */
		ssize_t ret = iiod_readahead_fill(&ft->ra, fill_ahead, ft, timeout_ms);

		if (ret < 0)
			return ret;
	}
	if (iiod_readahead_pending(&ft->ra))
		return (ssize_t)iiod_readahead_take(&ft->ra, dst, len);
	return raw_read(ft, dst, len, timeout_ms, len >= SMALL_READ);
}

static ssize_t fd_writev(struct iiod_transport *t, const struct iovec *iov, unsigned int count,
			 int timeout_ms)
{
	struct fd_transport *ft = to_fd(t);
	struct iovec local[IIOD_MAX_ELEMENTS];
	struct iovec *vec = local;
	size_t total = 0, done = 0;
	unsigned int i, n = 0;
	ssize_t ret;
	int err;

	if (count > IIOD_MAX_ELEMENTS)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		if (!iov[i].iov_len)
			continue;
		local[n++] = iov[i];
		total += iov[i].iov_len;
	}

	while (done < total) {
		if (is_cancelled(ft))
			return -EBADF;
		if (ft->is_socket) {
			struct msghdr msg = {.msg_iov = vec, .msg_iovlen = n};

			ret = sendmsg(ft->fd_out, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		} else {
			ret = writev(ft->fd_out, vec, (int)n);
		}
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN)
				return -EPIPE;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			if (timeout_ms == 0)
				return -ETIMEDOUT;
			err = wait_fd(ft, ft->fd_out, POLLOUT, timeout_ms);
			if (err)
				return err;
			continue;
		}
		done += (size_t)ret;
		/* Skip what went out, possibly in the middle of an element. */
		while (n && (size_t)ret >= vec->iov_len) {
			ret -= (ssize_t)vec->iov_len;
			vec++;
			n--;
		}
		if (n && ret) {
			vec->iov_base = (char *)vec->iov_base + ret;
			vec->iov_len -= (size_t)ret;
		}
	}
	return (ssize_t)total;
}

/*
 * Sockets: fill the read-ahead buffer and take the line from it. Like the
 * byte-by-byte read, a line too long consumes what was looked at.
 */
static ssize_t socket_read_line(struct fd_transport *ft, char *dst, size_t len, int timeout_ms)
{
	return iiod_readahead_line(&ft->ra, dst, len, true, fill_ahead, ft, timeout_ms);
}

/* Other fds: one byte at a time, never past the '\n'. */
static ssize_t byte_read_line(struct fd_transport *ft, char *dst, size_t len, int timeout_ms)
{
	size_t copied = 0;
	ssize_t ret;

	while (copied < len) {
		ret = raw_read(ft, dst + copied, 1, timeout_ms, false);
		if (ret < 0)
			return ret;
		if (dst[copied++] == '\n')
			return (ssize_t)copied;
	}
	return -EFBIG;
}

static ssize_t fd_read_line(struct iiod_transport *t, char *dst, size_t len, int timeout_ms)
{
	struct fd_transport *ft = to_fd(t);

	if (is_cancelled(ft))
		return -EBADF;
	if (ft->is_socket)
		return socket_read_line(ft, dst, len, timeout_ms);
	return byte_read_line(ft, dst, len, timeout_ms);
}

static void fd_cancel(struct iiod_transport *t)
{
	struct fd_transport *ft = to_fd(t);
	uint64_t one = 1;

	atomic_store(&ft->cancelled, true);
	/* write() is async-signal-safe; an eventfd stays readable once written. */
	if (write(ft->cancel_fd, &one, sizeof(one)) < 0) {
		/* Only fails when the counter would overflow: it is already set. */
	}
	/* Also async-signal-safe: ends a recv() blocked without poll(), silently for the peer. */
	if (ft->is_socket)
		shutdown(ft->fd_in, SHUT_RD);
}

static void fd_destroy(struct iiod_transport *t)
{
	struct fd_transport *ft = to_fd(t);

	if (ft->fd_out != ft->fd_in)
		close(ft->fd_out);
	close(ft->fd_in);
	close(ft->cancel_fd);
	iiod_readahead_free(&ft->ra);
	free(ft);
}

static const struct iiod_transport_ops fd_transport_ops = {
	.read = fd_read,
	.writev = fd_writev,
	.read_line = fd_read_line,
	.cancel = fd_cancel,
	.destroy = fd_destroy,
};

struct iiod_transport *iiod_fd_transport_new(int fd_in, int fd_out, bool is_socket)
{
	struct fd_transport *ft;
	int flags;

	ft = calloc(1, sizeof(*ft));
	if (!ft)
		return iio_ptr(-ENOMEM);
	iiod_readahead_init(&ft->ra, LINE_BUFFER_SIZE);
	ft->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ft->cancel_fd < 0) {
		int err = -errno;

		free(ft);
		return iio_ptr(err);
	}
	if (is_socket) {
		/* Blocking: MSG_DONTWAIT makes each call non-blocking but MSG_WAITALL reads. */
		flags = fcntl(fd_in, F_GETFL);
		if (flags >= 0 && (flags & O_NONBLOCK))
			fcntl(fd_in, F_SETFL, flags & ~O_NONBLOCK);
	} else {
		/* Plain fds: non-blocking, so that poll() alone decides when to wait. */
		flags = fcntl(fd_in, F_GETFL);
		if (flags >= 0)
			fcntl(fd_in, F_SETFL, flags | O_NONBLOCK);
		flags = fcntl(fd_out, F_GETFL);
		if (flags >= 0)
			fcntl(fd_out, F_SETFL, flags | O_NONBLOCK);
	}
	atomic_init(&ft->cancelled, false);
	ft->base.ops = &fd_transport_ops;
	ft->fd_in = fd_in;
	ft->fd_out = fd_out;
	ft->is_socket = is_socket;
	return &ft->base;
}

/* ---- Helpers over any transport ----------------------------------------- */

int iiod_read_all(struct iiod_transport *t, void *dst, size_t len, int timeout_ms)
{
	char *p = dst;
	ssize_t ret;

	while (len) {
		ret = t->ops->read(t, p, len, timeout_ms);
		if (ret < 0)
			return (int)ret;
		p += ret;
		len -= (size_t)ret;
	}
	return 0;
}

int iiod_write_all(struct iiod_transport *t, const void *src, size_t len, int timeout_ms)
{
	struct iovec iov = {.iov_base = (void *)src, .iov_len = len};
	ssize_t ret = t->ops->writev(t, &iov, 1, timeout_ms);

	return ret < 0 ? (int)ret : 0;
}

int iiod_discard(struct iiod_transport *t, uint64_t len, int timeout_ms)
{
	char buf[4096];
	ssize_t ret;

	while (len) {
		size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);

		ret = t->ops->read(t, buf, n, timeout_ms);
		if (ret < 0)
			return (int)ret;
		len -= (uint64_t)ret;
	}
	return 0;
}

int iiod_write_int_line(struct iiod_transport *t, long value, int timeout_ms)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%li\n", value);

	return iiod_write_all(t, buf, (size_t)len, timeout_ms);
}

int iiod_read_int_line(struct iiod_transport *t, long *value, int timeout_ms)
{
	char line[1024];
	ssize_t ret;

	/* Empty lines before the number are skipped. */
	do {
		ret = t->ops->read_line(t, line, sizeof(line), timeout_ms);
		if (ret < 0)
			return ret == -EFBIG ? -EINVAL : (int)ret;
	} while (ret == 1 || (ret == 2 && line[0] == '\r'));
	return iiod_parse_int_line(line, (size_t)ret, value);
}
