// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Zero-copy block payloads: a block with a DMABUF is attached to the pipe's
 * endpoint at CREATE_BLOCK (IN for RX buffers, OUT for TX buffers) and its
 * samples move with FUNCTIONFS_DMABUF_TRANSFER, the CPU never touching them.
 *
 * RX: the 8-byte header is queued as an AIO transfer, the DMABUF transfer
 * right behind it on the same endpoint (UDC requests of an endpoint complete
 * in order), then the header's completion is reaped. No wait for the data:
 * the next IIO enqueue of the block waits for the USB fence in the kernel.
 * If the DMABUF transfer is refused after the header went out, the data
 * follows by the copy path, so the host always gets `len` bytes.
 *
 * TX: the DMABUF transfer lands the host's bytes in the block; the reader
 * waits for its fence before going on, because the IIO buffer fd is
 * non-blocking and its enqueue would fail with EBUSY on an unfinished write.
 *
 * Every block of the transport is tracked, zero-copy or not, so that the
 * counters (ffs-stats.c) say which path each transfer took and why.
 */
#include "ffs-transport-priv.h"
#include "ffs-uapi.h"
#include "stream-internal.h"

#include <iio/iio-debug.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long a DMABUF transfer may be refused as busy (its fences) before giving up. */
#define TRANSFER_BUSY_TIMEOUT_MS 5000

#define blk_log(ft, level, fmt, ...)                                                               \
	do {                                                                                       \
		if ((ft)->env->params)                                                             \
			prm_##level((ft)->env->params, "iiod: usb: pipe %u: " fmt, (ft)->pipe,     \
				    ##__VA_ARGS__);                                                \
	} while (0)

/* ---- Bookkeeping ------------------------------------------------------------------ */

static struct ffs_block *find_block(struct ffs_transport *ft, const struct iio_block *block)
{
	struct ffs_block *fb;

	pthread_mutex_lock(&ft->blocks_lock);
	for (fb = ft->blocks; fb; fb = fb->next)
		if (fb->block == block)
			break;
	pthread_mutex_unlock(&ft->blocks_lock);
	return fb;
}

static void describe_buffer(struct ffs_buffer_stats *st, const struct iio_block *block)
{
	const struct iio_buffer_stream *stream = iio_block_get_buffer_stream(block);
	const struct iio_device *dev = NULL;
	const char *name;

	if (stream && stream->buf)
		dev = iio_buffer_get_device(stream->buf);
	if (!dev)
		return;
	name = iio_device_get_name(dev);
	if (!name)
		name = iio_device_get_id(dev);
	snprintf(st->device, sizeof(st->device), "%s", name);
}

/* The counters of block's buffer, made on its first block. blocks_lock held. */
static struct ffs_buffer_stats *stats_for(struct ffs_transport *ft, const struct iio_block *block,
					  bool is_output)
{
	const void *key = iio_block_get_buffer_stream(block);
	struct ffs_buffer_stats *st;

	for (st = ft->stats; st; st = st->next)
		if (st->key == key)
			return st;
	st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->key = key;
	st->is_output = is_output;
	st->pipe = ft->pipe;
	describe_buffer(st, block);
	st->next = ft->stats;
	ft->stats = st;
	return st;
}

/* The buffer's last block went: report its counters. blocks_lock held. */
static void stats_put(struct ffs_transport *ft, struct ffs_buffer_stats *st)
{
	struct ffs_buffer_stats **link;

	if (!st || --st->live_blocks)
		return;
	for (link = &ft->stats; *link; link = &(*link)->next) {
		if (*link == st) {
			*link = st->next;
			break;
		}
	}
	if (ft->env->stats)
		ffs_stats_emit(ft->env->stats, st);
	free(st);
}

static void note_fallback(struct ffs_transport *ft, struct ffs_block *fb, enum ffs_fallback why,
			  int err)
{
	bool first;

	pthread_mutex_lock(&ft->blocks_lock);
	first = fb->stats && !fb->stats->fallbacks;
	if (fb->stats)
		ffs_stats_note_fallback(fb->stats, why, err);
	pthread_mutex_unlock(&ft->blocks_lock);

	/* Once per buffer at info level; the counters have the rest. */
	if (why == FFS_FALLBACK_OPTION || why == FFS_FALLBACK_NO_DMABUF)
		blk_log(ft, dbg, "block of %s takes the copy path (%s)\n",
			fb->stats ? fb->stats->device : "?", ffs_fallback_name(why));
	else if (first)
		blk_log(ft, info, "zero-copy refused for a block of %s (%s%s%s): copy path\n",
			fb->stats ? fb->stats->device : "?", ffs_fallback_name(why),
			err ? ": " : "", err ? strerror(err) : "");
}

static void count_transfer(struct ffs_transport *ft, struct ffs_block *fb, bool zero_copy,
			   size_t len)
{
	struct ffs_buffer_stats *st = fb->stats;

	if (!st)
		return;
	pthread_mutex_lock(&ft->blocks_lock);
	if (zero_copy) {
		st->zerocopy_blocks++;
		st->zerocopy_bytes += len;
	} else {
		st->copy_blocks++;
		st->copy_bytes += len;
	}
	pthread_mutex_unlock(&ft->blocks_lock);
}

/* ---- Attach / detach ------------------------------------------------------------- */

/* Why fb cannot go zero-copy, or FFS_NB_FALLBACKS when it can; *err: errno. */
static enum ffs_fallback try_attach(struct ffs_transport *ft, struct ffs_block *fb, int *err)
{
	const struct ffs_sysio *sys = ft->env->sys;
	int fd, ret;

	*err = 0;
	if (!ft->env->dmabuf)
		return FFS_FALLBACK_OPTION;
	fd = iio_block_get_dmabuf_fd(fb->block);
	if (fd < 0)
		return FFS_FALLBACK_NO_DMABUF;
	/* Before FUNCTIONFS_ENABLE (or after a DISABLE) some kernels oops on DMABUF ioctls. */
	if (!atomic_load(&ft->env->enabled) || atomic_load(&ft->down))
		return FFS_FALLBACK_NOT_ENABLED;

	ret = sys->ioctl(fb->ep->fd, FUNCTIONFS_DMABUF_ATTACH, &fd);
	if (ret < 0) {
		*err = -ret;
		return FFS_FALLBACK_ATTACH;
	}
	fb->dmabuf_fd = fd;
	fb->attached = true;

	/* Nobody reads the samples on the CPU: skip the cache syncs of every enqueue. */
	ret = iio_block_disable_cpu_access(fb->block, true);
	if (ret < 0) {
		*err = -ret;
		return FFS_FALLBACK_CPU_ACCESS;
	}
	fb->zero_copy = true;
	return FFS_NB_FALLBACKS;
}

static void detach(struct ffs_transport *ft, struct ffs_block *fb)
{
	int ret;

	if (!fb->attached)
		return;
	fb->attached = false;
	/*
	 * Unpatched 6.12 kernels oops on DETACH once the function lost its
	 * gadget; closing the endpoint file detaches everything safely then.
	 */
	if (!atomic_load(&ft->env->enabled) || atomic_load(&ft->down))
		return;
	ret = ft->env->sys->ioctl(fb->ep->fd, FUNCTIONFS_DMABUF_DETACH, &fb->dmabuf_fd);
	if (ret < 0)
		blk_log(ft, dbg, "FUNCTIONFS_DMABUF_DETACH failed: %s\n", strerror(-ret));
}

int ffs_block_attach(struct iiod_transport *t, struct iio_block *block, bool is_output)
{
	struct ffs_transport *ft = to_ffs(t);
	struct ffs_block *fb = calloc(1, sizeof(*fb));
	enum ffs_fallback why;
	int err;

	if (!fb)
		return -ENOMEM; /* the session copies by itself */
	fb->block = block;
	fb->is_output = is_output;
	fb->dmabuf_fd = -1;
	fb->ep = is_output ? &ft->out : &ft->in;

	pthread_mutex_lock(&ft->blocks_lock);
	fb->stats = stats_for(ft, block, is_output);
	if (fb->stats)
		fb->stats->live_blocks++;
	fb->next = ft->blocks;
	ft->blocks = fb;
	pthread_mutex_unlock(&ft->blocks_lock);

	why = try_attach(ft, fb, &err);
	if (why != FFS_NB_FALLBACKS) {
		if (why == FFS_FALLBACK_CPU_ACCESS)
			detach(ft, fb);
		note_fallback(ft, fb, why, err);
	}
	/* Taken either way: the copy path of block_send/recv counts too. */
	return 0;
}

static void forget_block(struct ffs_transport *ft, struct ffs_block *fb)
{
	struct ffs_block **link;

	pthread_mutex_lock(&ft->blocks_lock);
	for (link = &ft->blocks; *link; link = &(*link)->next) {
		if (*link == fb) {
			*link = fb->next;
			break;
		}
	}
	stats_put(ft, fb->stats);
	pthread_mutex_unlock(&ft->blocks_lock);
	free(fb);
}

void ffs_block_detach(struct iiod_transport *t, struct iio_block *block)
{
	struct ffs_transport *ft = to_ffs(t);
	struct ffs_block *fb = find_block(ft, block);

	if (!fb)
		return;
	detach(ft, fb);
	forget_block(ft, fb);
}

void ffs_blocks_release(struct ffs_transport *ft)
{
	while (ft->blocks)
		forget_block(ft, ft->blocks); /* the endpoint closes next: no DETACH */
	while (ft->stats) {
		struct ffs_buffer_stats *st = ft->stats;

		ft->stats = st->next;
		if (ft->env->stats)
			ffs_stats_emit(ft->env->stats, st);
		free(st);
	}
}

/* ---- Transfers ---------------------------------------------------------------------- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * FUNCTIONFS_DMABUF_TRANSFER. The endpoint file is non-blocking (so that no
 * call can hang on a disabled endpoint): a transfer refused because the
 * DMABUF is locked or has an unsignalled fence is retried for a while.
 */
static int dmabuf_transfer(struct ffs_transport *ft, struct ffs_block *fb, size_t len)
{
	struct ffs_dmabuf_transfer_req req = {
		.fd = fb->dmabuf_fd,
		.flags = 0,
		.length = len,
	};
	long long deadline = 0;
	int ret;

	for (;;) {
		ret = ft->env->sys->ioctl(fb->ep->fd, FUNCTIONFS_DMABUF_TRANSFER, &req);
		if (ret != -EBUSY || atomic_load(&ft->cancelled))
			return ret;
		if (!deadline)
			deadline = now_ms() + TRANSFER_BUSY_TIMEOUT_MS;
		else if (now_ms() > deadline)
			return ret;
		usleep(200);
	}
}

/* The copy path's data for a block whose DMABUF transfer was refused. */
static int copy_after_refusal(struct ffs_transport *ft, struct ffs_block *fb, int err)
{
	int ret;

	fb->zero_copy = false; /* for good: its next transfers copy without trying */
	note_fallback(ft, fb, FFS_FALLBACK_TRANSFER, -err);
	ret = iio_block_disable_cpu_access(fb->block, false);
	if (ret < 0)
		blk_log(ft, warn,
			"cannot give the CPU access to a block back (%s): its data "
			"may be stale\n",
			strerror(-ret));
	return ret;
}

ssize_t ffs_block_send(struct iiod_transport *t, const void *hdr, size_t hdr_len,
		       struct iio_block *block, size_t len)
{
	struct ffs_transport *ft = to_ffs(t);
	struct ffs_block *fb = find_block(ft, block);
	struct iovec iov[2] = {
		{.iov_base = (void *)hdr, .iov_len = hdr_len},
		{.iov_base = NULL, .iov_len = len},
	};
	struct ffs_ep *ep = &ft->in;
	int ret, xfer, wret;
	ssize_t sent;

	if (atomic_load(&ft->cancelled))
		return -EBADF;
	if (!fb || !fb->zero_copy || !len) {
		iov[1].iov_base = iio_block_start(block);
		ret = ffs_write_elements(ft, iov, 2);
		if (!ret && fb)
			count_transfer(ft, fb, false, len);
		return ret ? ret : (ssize_t)(hdr_len + len);
	}

	pthread_mutex_lock(&ep->lock);
	if (ep->broken) {
		pthread_mutex_unlock(&ep->lock);
		return -EBADF;
	}
	ep->iov[0] = iov[0];
	ret = ep->sys->submit(ep, 1);
	/* The data request queues behind the header: no wait in between. */
	xfer = ret ? ret : dmabuf_transfer(ft, fb, len);
	wret = ep->queued ? ep->sys->wait(ep, ft->cancel_fd, -1) : 0;
	sent = ep->result[0];
	pthread_mutex_unlock(&ep->lock);

	if (wret || ret || sent < 0) {
		/* The header did not go out: the session is over anyway. */
		ret = wret ? wret : ret ? ret : (int)sent;
		return ffs_transport_error(ft, ep, ret);
	}
	if ((size_t)sent != hdr_len)
		return -EIO;

	if (xfer < 0) {
		/* The host waits for len bytes after the header: they must come. */
		if (ffs_function_gone(xfer) || atomic_load(&ft->cancelled))
			return ffs_transport_error(ft, ep, xfer);
		copy_after_refusal(ft, fb, xfer);
		iov[1].iov_base = iio_block_start(block);
		ret = ffs_write_elements(ft, &iov[1], 1);
		if (ret)
			return ret;
		count_transfer(ft, fb, false, len);
		return (ssize_t)(hdr_len + len);
	}
	count_transfer(ft, fb, true, len);
	return (ssize_t)(hdr_len + len);
}

/* Waits for the fence of an OUT DMABUF transfer: the data landed. */
static int wait_landed(struct ffs_transport *ft, struct ffs_block *fb)
{
	struct pollfd pfd[2] = {
		{.fd = fb->dmabuf_fd, .events = POLLOUT},
		{.fd = ft->cancel_fd, .events = POLLIN},
	};
	int ret;

	for (;;) {
		ret = poll(pfd, 2, -1);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		if (pfd[1].revents)
			return -EBADF;
		if (pfd[0].revents & POLLOUT)
			return 0;
		if (pfd[0].revents & (POLLERR | POLLNVAL))
			return -EIO;
	}
}

ssize_t ffs_block_recv(struct iiod_transport *t, struct iio_block *block, size_t len)
{
	struct ffs_transport *ft = to_ffs(t);
	struct ffs_block *fb = find_block(ft, block);
	int ret;

	if (atomic_load(&ft->cancelled))
		return -EBADF;
	/* Leftovers of a line read belong in front of the payload: copy. */
	if (!fb || !fb->zero_copy || !len || ffs_has_read_ahead(ft)) {
		ret = ffs_read_exact(ft, iio_block_start(block), len);
		if (!ret && fb)
			count_transfer(ft, fb, false, len);
		return ret ? ret : (ssize_t)len;
	}

	pthread_mutex_lock(&ft->out.lock);
	ret = dmabuf_transfer(ft, fb, len);
	pthread_mutex_unlock(&ft->out.lock);
	if (ret < 0) {
		if (ffs_function_gone(ret) || atomic_load(&ft->cancelled))
			return ffs_transport_error(ft, &ft->out, ret);
		/* Nothing of the payload was read: it comes by the copy path. */
		copy_after_refusal(ft, fb, ret);
		ret = ffs_read_exact(ft, iio_block_start(block), len);
		if (ret)
			return ret;
		count_transfer(ft, fb, false, len);
		return (ssize_t)len;
	}
	ret = wait_landed(ft, fb);
	if (ret)
		return ffs_transport_error(ft, &ft->out, ret);
	count_transfer(ft, fb, true, len);
	return (ssize_t)len;
}
