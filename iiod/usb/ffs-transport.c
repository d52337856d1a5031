// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The FunctionFS transport: protocol elements as bulk transfers on a pipe's
 * two endpoint files. A host sends one element per transfer and knows the
 * size of every element it receives, so a read asks for exactly what the
 * protocol expects next (FunctionFS drops what a transfer carries beyond the
 * size of an AIO read), and each written element is its own transfer.
 */
#include "ffs-transport-priv.h"

#include "protocol/wire.h"

#include <iio/iio-debug.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* An ASCII command line: one OUT transfer of at most this much. */
#define LINE_TRANSFER_SIZE IIOD_MAX_LINE

#define ffs_log(ft, level, fmt, ...)                                                               \
	do {                                                                                       \
		if ((ft)->env->params)                                                             \
			prm_##level((ft)->env->params, "iiod: usb: pipe %u: " fmt, (ft)->pipe,     \
				    ##__VA_ARGS__);                                                \
	} while (0)

static bool is_cancelled(struct ffs_transport *ft)
{
	return atomic_load(&ft->cancelled);
}

int ffs_transport_error(struct ffs_transport *ft, struct ffs_ep *ep, int err)
{
	if (err == -EBADF || err == -ETIMEDOUT)
		return err;
	if (is_cancelled(ft))
		return -EBADF;
	if (ffs_function_gone(err)) {
		if (!atomic_exchange(&ft->down, true))
			ffs_log(ft, info,
				"ep%u: the USB function is disabled (host reset or gone, "
				"UDC unbound): ending the session\n",
				ep->number);
		return -EPIPE;
	}
	if (err == -EOVERFLOW) {
		ffs_log(ft, err,
			"ep%u: the host sent more than the element expected (one "
			"protocol element per bulk transfer): ending the session\n",
			ep->number);
		return -EPROTO;
	}
	ffs_log(ft, err, "ep%u: %s transfer failed: %s\n", ep->number, ep->is_in ? "IN" : "OUT",
		strerror(-err));
	return err;
}

/* ---- Reading ------------------------------------------------------------------ */

bool ffs_has_read_ahead(struct ffs_transport *ft)
{
	return iiod_readahead_pending(&ft->ra);
}

/* One OUT transfer of at most len bytes into dst; zero-length packets are skipped. */
static ssize_t read_transfer(struct ffs_transport *ft, void *dst, size_t len, int timeout_ms)
{
	struct ffs_ep *ep = &ft->out;
	ssize_t got;
	int ret;

	if (len > FFS_MAX_TRANSFER)
		len = FFS_MAX_TRANSFER;
	pthread_mutex_lock(&ep->lock);
	do {
		ep->iov[0].iov_base = dst;
		ep->iov[0].iov_len = len;
		ret = ffs_ep_round(ep, 1, ft->cancel_fd, timeout_ms);
		got = ep->result[0];
	} while (!ret && got == 0 && !is_cancelled(ft));
	pthread_mutex_unlock(&ep->lock);
	if (ret)
		return ffs_transport_error(ft, ep, ret);
	if (got == 0)
		return -EBADF;
	return got;
}

static ssize_t ffs_read(struct iiod_transport *t, void *dst, size_t len, int timeout_ms)
{
	struct ffs_transport *ft = to_ffs(t);

	if (!len)
		return 0;
	if (is_cancelled(ft))
		return -EBADF;
	if (ffs_has_read_ahead(ft))
		return (ssize_t)iiod_readahead_take(&ft->ra, dst, len);
	return read_transfer(ft, dst, len, timeout_ms);
}

int ffs_read_exact(struct ffs_transport *ft, void *dst, size_t len)
{
	return iiod_read_all(&ft->base, dst, len, -1);
}

/* Refills the read-ahead with one OUT transfer. */
static ssize_t fill_ahead(void *ctx, void *dst, size_t len, int timeout_ms)
{
	return read_transfer(ctx, dst, len, timeout_ms);
}

/*
 * A line is one OUT transfer; a host that splits a line (or adds a payload
 * after it) is served too: a transfer's bytes after the '\n' are kept for
 * the next reads. A line too long leaves the rest of its transfer pending.
 */
static ssize_t ffs_read_line(struct iiod_transport *t, char *dst, size_t len, int timeout_ms)
{
	struct ffs_transport *ft = to_ffs(t);

	if (is_cancelled(ft))
		return -EBADF;
	return iiod_readahead_line(&ft->ra, dst, len, false, fill_ahead, ft, timeout_ms);
}

/* ---- Writing ------------------------------------------------------------------ */

/* Sends the round queued in ep->iov[0..n); every transfer must go out whole. */
static int flush_round(struct ffs_transport *ft, unsigned int n, int timeout_ms)
{
	struct ffs_ep *ep = &ft->in;
	unsigned int i;
	int ret;

	if (!n)
		return 0;
	ret = ffs_ep_round(ep, n, ft->cancel_fd, timeout_ms);
	if (ret)
		return ffs_transport_error(ft, ep, ret);
	for (i = 0; i < n; i++) {
		if ((size_t)ep->result[i] != ep->iov[i].iov_len) {
			ffs_log(ft, err, "ep%u: short IN transfer (%zd of %zu bytes)\n", ep->number,
				ep->result[i], ep->iov[i].iov_len);
			return -EIO;
		}
	}
	return 0;
}

static ssize_t write_locked(struct ffs_transport *ft, const struct iovec *iov, unsigned int count,
			    int timeout_ms)
{
	struct ffs_ep *ep = &ft->in;
	unsigned int i, n = 0;
	size_t total = 0;
	int ret;

	for (i = 0; i < count; i++) {
		const char *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		/* No zero-length packets: the host knows every element's size. */
		while (left) {
			size_t chunk = left < FFS_MAX_TRANSFER ? left : FFS_MAX_TRANSFER;

			ep->iov[n].iov_base = (void *)p;
			ep->iov[n].iov_len = chunk;
			if (++n == FFS_IO_MAX_QUEUED) {
				ret = flush_round(ft, n, timeout_ms);
				if (ret)
					return ret;
				n = 0;
			}
			p += chunk;
			left -= chunk;
			total += chunk;
		}
	}
	ret = flush_round(ft, n, timeout_ms);
	return ret ? ret : (ssize_t)total;
}

static ssize_t ffs_writev(struct iiod_transport *t, const struct iovec *iov, unsigned int count,
			  int timeout_ms)
{
	struct ffs_transport *ft = to_ffs(t);
	ssize_t ret;

	if (is_cancelled(ft))
		return -EBADF;
	pthread_mutex_lock(&ft->in.lock);
	ret = write_locked(ft, iov, count, timeout_ms);
	pthread_mutex_unlock(&ft->in.lock);
	return ret;
}

int ffs_write_elements(struct ffs_transport *ft, const struct iovec *iov, unsigned int count)
{
	ssize_t ret = ffs_writev(&ft->base, iov, count, -1);

	return ret < 0 ? (int)ret : 0;
}

/* ---- Life cycle ------------------------------------------------------------------ */

static void ffs_cancel(struct iiod_transport *t)
{
	struct ffs_transport *ft = to_ffs(t);
	uint64_t one = 1;

	atomic_store(&ft->cancelled, true);
	/* Async-signal-safe; the eventfd stays readable: every later wait ends at once. */
	if (write(ft->cancel_fd, &one, sizeof(one)) < 0) {
		/* Only an overflowing counter fails: it is set already. */
	}
}

void ffs_transport_hold(struct iiod_transport *t)
{
	atomic_fetch_add(&to_ffs(t)->refs, 1);
}

static void ffs_destroy(struct iiod_transport *t)
{
	struct ffs_transport *ft = to_ffs(t);

	if (atomic_fetch_sub(&ft->refs, 1) != 1)
		return;
	ffs_blocks_release(ft);
	/* Closing the endpoint files also detaches any DMABUF left attached. */
	ffs_ep_fini(&ft->in);
	ffs_ep_fini(&ft->out);
	close(ft->cancel_fd);
	pthread_mutex_destroy(&ft->blocks_lock);
	iiod_readahead_free(&ft->ra);
	free(ft);
}

static const struct iiod_transport_ops ffs_transport_ops = {
	.read = ffs_read,
	.writev = ffs_writev,
	.read_line = ffs_read_line,
	.cancel = ffs_cancel,
	.destroy = ffs_destroy,
	.block_attach = ffs_block_attach,
	.block_detach = ffs_block_detach,
	.block_send = ffs_block_send,
	.block_recv = ffs_block_recv,
};

struct iiod_transport *ffs_transport_new(struct ffs_usb_env *env, unsigned int pipe, int ep_in,
					 unsigned int ep_in_nr, int ep_out, unsigned int ep_out_nr)
{
	struct ffs_transport *ft = calloc(1, sizeof(*ft));
	int ret;

	if (!ft) {
		close(ep_in);
		close(ep_out);
		return iio_ptr(-ENOMEM);
	}
	ft->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ft->cancel_fd < 0) {
		ret = -errno;
		close(ep_in);
		close(ep_out);
		free(ft);
		return iio_ptr(ret);
	}
	ret = ffs_ep_init(&ft->in, env->sys, ep_in, true, ep_in_nr);
	if (ret) {
		close(ep_out);
		goto err_close;
	}
	ret = ffs_ep_init(&ft->out, env->sys, ep_out, false, ep_out_nr);
	if (ret) {
		ffs_ep_fini(&ft->in);
		goto err_close;
	}
	iiod_readahead_init(&ft->ra, LINE_TRANSFER_SIZE);
	ft->base.ops = &ffs_transport_ops;
	ft->env = env;
	ft->pipe = pipe;
	atomic_init(&ft->cancelled, false);
	atomic_init(&ft->down, false);
	atomic_init(&ft->refs, 1);
	pthread_mutex_init(&ft->blocks_lock, NULL);
	return &ft->base;

err_close:
	close(ft->cancel_fd);
	free(ft);
	return iio_ptr(ret);
}
