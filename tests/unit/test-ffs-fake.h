/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the test-ffs-* programs: a fake FunctionFS behind iiod's USB
 * syscall table (iiod/usb/ffs-io.h), and a fake IIO backend whose blocks are
 * memfd "DMABUFs".
 *
 * An endpoint file is one end of an AF_UNIX SOCK_SEQPACKET pair: a message is
 * a USB transfer (boundaries kept; a read shorter than the message drops the
 * rest, like FunctionFS AIO reads). The test holds the other end: the host.
 * FUNCTIONFS_DMABUF_TRANSFER moves a memfd's bytes as one message.
 */
#ifndef IIO_TESTS_FFS_FAKE_H
#define IIO_TESTS_FFS_FAKE_H

#include "backend.h"
#include "check.h"
#include "ffs-io.h"
#include "ffs-uapi.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define FFS_TEST_UNUSED __attribute__((unused))
#define FAKE_MAX_ERRS 8

/* ---- The fake kernel ------------------------------------------------------- */

static struct fake_ffs {
	pthread_mutex_t lock;
	/* Knobs: errors the next calls return (0: success), consumed in order. */
	int attach_err;
	int transfer_errs[FAKE_MAX_ERRS];
	unsigned int nb_transfer_errs;
	/* What happened. */
	unsigned int attach_calls, detach_calls, transfer_calls, dmabuf_ioctls;
	unsigned int flush_calls, flush_in_calls; /* FUNCTIONFS_FIFO_FLUSH, on IN endpoints */
	int last_attach_fd, last_detach_fd;
	uint64_t last_transfer_len;
} ffk = {.lock = PTHREAD_MUTEX_INITIALIZER};

static FFS_TEST_UNUSED void fake_ffs_reset(void)
{
	pthread_mutex_lock(&ffk.lock);
	ffk.attach_err = 0;
	ffk.nb_transfer_errs = 0;
	ffk.attach_calls = ffk.detach_calls = ffk.transfer_calls = ffk.dmabuf_ioctls = 0;
	ffk.flush_calls = ffk.flush_in_calls = 0;
	ffk.last_attach_fd = ffk.last_detach_fd = -1;
	ffk.last_transfer_len = 0;
	pthread_mutex_unlock(&ffk.lock);
}

static int fake_ep_init(struct ffs_ep *ep)
{
	(void)ep;
	return 0;
}

static void fake_ep_fini(struct ffs_ep *ep)
{
	(void)ep;
}

/* Writes go out at submit time: the kernel queues them on the endpoint then. */
static int fake_submit(struct ffs_ep *ep, unsigned int count)
{
	unsigned int i;
	ssize_t ret;

	for (i = 0; i < count; i++) {
		ep->completed[i] = false;
		ep->result[i] = -ECANCELED;
		if (!ep->is_in)
			continue;
		for (;;) {
			struct pollfd pfd = {.fd = ep->fd, .events = POLLOUT};

			ret = send(ep->fd, ep->iov[i].iov_base, ep->iov[i].iov_len,
				   MSG_EOR | MSG_DONTWAIT);
			if (ret >= 0 || errno != EAGAIN)
				break;
			poll(&pfd, 1, 10);
		}
		ep->result[i] = ret < 0 ? (errno == EPIPE ? -ESHUTDOWN : -errno) : ret;
		ep->completed[i] = true;
	}
	ep->queued = count;
	return 0;
}

/* Waits until fd is ready or cancel_fd is readable: 0 or -EBADF. */
static int fake_wait_fd(int fd, short events, int cancel_fd, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{.fd = fd, .events = events},
		{.fd = cancel_fd, .events = POLLIN},
	};
	int ret = poll(pfd, 2, timeout_ms);

	if (ret < 0)
		return -errno;
	if (pfd[1].revents)
		return -EBADF;
	return ret == 0 ? -ETIMEDOUT : 0;
}

/* A zero-length message and an end of file both read 0 bytes: poll tells. */
static bool fake_hung_up(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN | POLLRDHUP};

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLRDHUP));
}

/* Reads happen here, in order, each one recv (one message). */
static int fake_wait(struct ffs_ep *ep, int cancel_fd, int timeout_ms)
{
	unsigned int i;
	ssize_t ret;
	int err;

	for (i = 0; i < ep->queued; i++) {
		if (ep->completed[i])
			continue;
		for (;;) {
			ret = recv(ep->fd, ep->iov[i].iov_base, ep->iov[i].iov_len, MSG_DONTWAIT);
			if (ret >= 0 || errno != EAGAIN)
				break;
			err = fake_wait_fd(ep->fd, POLLIN, cancel_fd, timeout_ms);
			if (err)
				return err;
		}
		ep->result[i] = ret < 0 ? -errno : ret;
		/* The host end closed: what FunctionFS says when the function goes. */
		if (ret == 0 && fake_hung_up(ep->fd))
			ep->result[i] = -ESHUTDOWN;
		ep->completed[i] = true;
	}
	return 0;
}

static int next_transfer_err(void)
{
	int err = 0;
	unsigned int i;

	if (ffk.nb_transfer_errs) {
		err = ffk.transfer_errs[0];
		for (i = 1; i < ffk.nb_transfer_errs; i++)
			ffk.transfer_errs[i - 1] = ffk.transfer_errs[i];
		ffk.nb_transfer_errs--;
	}
	return err;
}

static FFS_TEST_UNUSED void fake_transfer_errors(unsigned int n, const int *errs)
{
	pthread_mutex_lock(&ffk.lock);
	CHECK(n <= FAKE_MAX_ERRS);
	memcpy(ffk.transfer_errs, errs, n * sizeof(*errs));
	ffk.nb_transfer_errs = n;
	pthread_mutex_unlock(&ffk.lock);
}

/* Endpoint direction from the socket's SO_TYPE would not tell: ask the peer side. */
static bool fake_sock_is_in(int fd)
{
	int val = 0;
	socklen_t len = sizeof(val);

	/* The tests mark IN endpoints by SO_PRIORITY 1. */
	CHECK(!getsockopt(fd, SOL_SOCKET, SO_PRIORITY, &val, &len));
	return val == 1;
}

static int fake_dmabuf_transfer(int ep_fd, const struct ffs_dmabuf_transfer_req *req)
{
	char *buf = malloc(req->length ? req->length : 1);
	ssize_t n;
	int ret = 0;

	CHECK(buf);
	if (fake_sock_is_in(ep_fd)) {
		CHECK(pread(req->fd, buf, req->length, 0) == (ssize_t)req->length);
		n = send(ep_fd, buf, req->length, MSG_EOR);
		if (n != (ssize_t)req->length)
			ret = -EIO;
	} else {
		n = recv(ep_fd, buf, req->length, 0);
		if (n < 0)
			ret = -errno;
		else
			CHECK(pwrite(req->fd, buf, (size_t)n, 0) == n);
	}
	free(buf);
	return ret;
}

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	int ret = 0;

	pthread_mutex_lock(&ffk.lock);
	switch (request) {
	case FUNCTIONFS_DMABUF_ATTACH:
		ffk.dmabuf_ioctls++;
		ffk.attach_calls++;
		ffk.last_attach_fd = *(int *)arg;
		ret = ffk.attach_err;
		break;
	case FUNCTIONFS_DMABUF_DETACH:
		ffk.dmabuf_ioctls++;
		ffk.detach_calls++;
		ffk.last_detach_fd = *(int *)arg;
		break;
	case FUNCTIONFS_DMABUF_TRANSFER:
		ffk.dmabuf_ioctls++;
		ffk.transfer_calls++;
		ffk.last_transfer_len = ((struct ffs_dmabuf_transfer_req *)arg)->length;
		ret = next_transfer_err();
		break;
	case FUNCTIONFS_FIFO_FLUSH:
		ffk.flush_calls++;
		ffk.flush_in_calls += fake_sock_is_in(fd);
		break;
	default:
		ret = -ENOTTY;
	}
	pthread_mutex_unlock(&ffk.lock);
	if (!ret && request == FUNCTIONFS_DMABUF_TRANSFER)
		ret = fake_dmabuf_transfer(fd, arg);
	return ret;
}

static FFS_TEST_UNUSED const struct ffs_sysio fake_sysio = {
	.ep_init = fake_ep_init,
	.ep_fini = fake_ep_fini,
	.submit = fake_submit,
	.wait = fake_wait,
	.ioctl = fake_ioctl,
};

/* An endpoint: *gadget goes to the transport, *host stays with the test. */
static FFS_TEST_UNUSED void fake_endpoint(bool is_in, int *gadget, int *host)
{
	int sv[2], size = 4 << 20, prio = is_in ? 1 : 0;

	CHECK(!socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
	CHECK(!setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)));
	CHECK(!setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)));
	CHECK(!setsockopt(sv[0], SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio)));
	*gadget = sv[0];
	*host = sv[1];
}

/* ---- A fake IIO backend with memfd blocks ----------------------------------- */

static struct fake_iio {
	bool dmabuf_blocks; /* blocks have a DMABUF fd */
	int cpu_access_err; /* disable_cpu_access(true) result */
	unsigned int cpu_disabled, cpu_enabled;
	unsigned int live_blocks;
} fio;

struct fake_iio_block {
	int fd;
	void *map;
	size_t size;
};

static struct iio_buffer_stream_pdata *fio_open(const struct iio_buffer *buf,
						struct iio_channels_mask *mask)
{
	(void)buf;
	(void)mask;
	return (struct iio_buffer_stream_pdata *)&fio;
}

static void fio_close(struct iio_buffer_stream_pdata *pdata)
{
	(void)pdata;
}

static int fio_enable(struct iio_buffer_stream_pdata *pdata, size_t nb_samples, bool enable,
		      bool cyclic)
{
	(void)pdata;
	(void)nb_samples;
	(void)enable;
	(void)cyclic;
	return 0;
}

static void fio_cancel(struct iio_buffer_stream_pdata *pdata)
{
	(void)pdata;
}

static struct iio_block_pdata *fio_create_block(struct iio_buffer_stream_pdata *pdata, size_t size,
						void **data)
{
	struct fake_iio_block *b = calloc(1, sizeof(*b));

	(void)pdata;
	CHECK(b);
	b->fd = memfd_create("fake-dmabuf", MFD_CLOEXEC);
	CHECK(b->fd >= 0);
	CHECK(!ftruncate(b->fd, (off_t)size));
	b->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	CHECK(b->map != MAP_FAILED);
	b->size = size;
	*data = b->map;
	fio.live_blocks++;
	return (struct iio_block_pdata *)b;
}

static void fio_free_block(struct iio_block_pdata *pdata)
{
	struct fake_iio_block *b = (struct fake_iio_block *)pdata;

	munmap(b->map, b->size);
	close(b->fd);
	free(b);
	fio.live_blocks--;
}

static int fio_enqueue(struct iio_block_pdata *pdata, size_t bytes_used, bool cyclic)
{
	(void)pdata;
	(void)bytes_used;
	(void)cyclic;
	return 0;
}

static int fio_dequeue(struct iio_block_pdata *pdata, bool nonblock)
{
	(void)pdata;
	(void)nonblock;
	return 0;
}

static int fio_get_dmabuf_fd(struct iio_block_pdata *pdata)
{
	return fio.dmabuf_blocks ? ((struct fake_iio_block *)pdata)->fd : -EINVAL;
}

static int fio_disable_cpu_access(struct iio_block_pdata *pdata, bool disable)
{
	(void)pdata;
	if (disable && fio.cpu_access_err)
		return fio.cpu_access_err;
	if (disable)
		fio.cpu_disabled++;
	else
		fio.cpu_enabled++;
	return 0;
}

static const struct iio_backend_ops fio_ops = {
	.open_buffer = fio_open,
	.close_buffer = fio_close,
	.enable_buffer = fio_enable,
	.cancel_buffer = fio_cancel,
	.create_block = fio_create_block,
	.free_block = fio_free_block,
	.enqueue_block = fio_enqueue,
	.dequeue_block = fio_dequeue,
	.get_dmabuf_fd = fio_get_dmabuf_fd,
	.disable_cpu_access = fio_disable_cpu_access,
};

static const struct iio_backend fio_backend = {
	.name = "fakeffs",
	.uri_prefix = "fakeffs:",
	.ops = &fio_ops,
	.default_timeout_ms = 500,
};

/* A context with one ADC "fake-adc" (one 16-bit channel) and one DAC "fake-dac". */
static FFS_TEST_UNUSED struct iio_context *fake_iio_context(void)
{
	struct iio_context_params params = {.log_level = LEVEL_WARNING};
	struct iio_context *ctx = iio_context_new(&fio_backend, &params, "fake ffs context");
	const char *names[2] = {"fake-adc", "fake-dac"};
	unsigned int i;

	CHECK(!iio_err(ctx));
	for (i = 0; i < 2; i++) {
		char id[16];
		struct iio_device *dev;
		struct iio_buffer *buf;
		struct iio_channel *chn;

		snprintf(id, sizeof(id), "iio:device%u", i);
		dev = iio_context_add_device(ctx, id, names[i], NULL);
		CHECK(!iio_err(dev));
		buf = iio_device_add_buffer(dev, 0,
					    i ? IIO_BUFFER_DIRECTION_OUT : IIO_BUFFER_DIRECTION_IN);
		CHECK(!iio_err(buf));
		chn = iio_device_add_channel(dev, "voltage0", i == 1, 0);
		CHECK(!iio_err(chn));
		CHECK_INT(iio_data_format_parse(&chn->format, "le:s16/16>>0"), 0);
		CHECK_INT(iio_buffer_add_scan_element(buf, chn), 0);
	}
	CHECK_INT(iio_context_init(ctx), 0);
	return ctx;
}

/* The buffer of device dev (0: ADC, 1: DAC) opened with every channel. */
static FFS_TEST_UNUSED struct iio_buffer_stream *fake_iio_open(struct iio_context *ctx,
							       unsigned int dev_index)
{
	struct iio_device *dev = iio_context_get_device(ctx, dev_index);
	struct iio_channels_mask *mask = iio_create_channels_mask(1);
	struct iio_buffer_stream *stream;

	CHECK(mask);
	iio_mask_set(mask, 0);
	stream = iio_buffer_open(iio_device_get_buffer(dev, 0), mask);
	iio_channels_mask_destroy(mask);
	CHECK(!iio_err(stream));
	return stream;
}

#endif /* IIO_TESTS_FFS_FAKE_H */
