// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Runtime events of the local backend (local.md §13): the event fd the
 * kernel hands out through IIO_GET_EVENT_FD_IOCTL on /dev/<id>, read one
 * struct iio_event_data (16 bytes) at a time.
 *
 * Upstream only issues the ioctl on a chardev fd kept by a legacy buffer and
 * otherwise fails with -EPERM, which breaks events on every kernel >= 5.11.
 * Here the chardev is opened for the ioctl and closed again (the event fd
 * keeps the device), unless a legacy buffer holds it: the kernel lets the
 * chardev be opened only once, so that fd is used instead.
 *
 * Waits happen in poll() on the event fd and a cancel eventfd, never in
 * read() (the event fd is non-blocking): closing the stream from another
 * thread wakes a blocked reader, which returns -EINTR, and close waits for
 * it to leave before freeing anything.
 */
#include "local.h"
#include "sysio.h"
#include "uapi-iio.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>

struct iio_event_stream_pdata {
	const struct iio_device *dev;
	const struct local_sysio *sys;
	int fd;	       /* the event fd, O_NONBLOCK */
	int cancel_fd; /* eventfd, readable once the stream is closing */

	pthread_mutex_t lock;	 /* guards what follows */
	pthread_cond_t idle;	 /* signalled when the last reader leaves */
	unsigned int nb_readers; /* threads inside local_read_ev() */
	bool closing;
};

_Static_assert(sizeof(struct iio_event) == 16, "struct iio_event is struct iio_event_data");

/*
 * "This device has no event interface" is logged at debug level only: iio_info
 * asks every device, and most have none. err: what the kernel said, or 0.
 * Returns -ENODEV.
 */
static int no_events(const struct iio_device *dev, const char *why, int err)
{
	char msg[128] = "";

	if (err)
		iio_strerror(-err, msg, sizeof(msg));
	dev_dbg(dev, "No event interface: %s%s%s%s\n", why, err ? " (" : "", msg, err ? ")" : "");
	return -ENODEV;
}

/* Opens /dev/<id> (or borrows a legacy buffer's fd) and asks it for the event fd. */
static int get_event_fd(struct iio_event_stream_pdata *pdata)
{
	const struct local_sysio *sys = pdata->sys;
	const struct iio_device *dev = pdata->dev;
	struct iio_context_pdata *ctx_pdata = dev->ctx->pdata;
	char path[PATH_MAX];
	bool borrowed;
	int devfd, fd = -1, ret;

	ret = local_path(path, sizeof(path), ctx_pdata->root, LOCAL_DEV_DIR "/%s", dev->id);
	if (ret < 0) {
		dev_perror(dev, ret, "Unable to build the path of the character device");
		return ret;
	}

	/* The lock keeps buffer opens of this context off the chardev meanwhile. */
	pthread_mutex_lock(&ctx_pdata->lock);
	borrowed = dev->pdata->fd >= 0;
	if (borrowed) {
		devfd = dev->pdata->fd;
	} else {
		/* O_NONBLOCK: a fixture's FIFO must not block the open. */
		devfd = sys->open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
		if (devfd < 0) {
			pthread_mutex_unlock(&ctx_pdata->lock);
			if (devfd == -ENOENT)
				return no_events(dev,
						 "no character device " LOCAL_DEV_DIR
						 " node (no buffers and no events)",
						 devfd);
			if (devfd == -EBUSY)
				dev_err(dev,
					"Unable to open %s for events: busy, another process "
					"is using this device\n",
					path);
			else
				dev_perror(dev, devfd, "Unable to open %s for events", path);
			return devfd;
		}
	}
	ret = sys->ioctl(devfd, LOCAL_IIO_GET_EVENT_FD_IOCTL, &fd);
	if (!borrowed)
		sys->close(devfd);
	pthread_mutex_unlock(&ctx_pdata->lock);

	if (ret < 0) {
		/*
		 * A driver without events registers no event ioctl handler:
		 * ENODEV or EINVAL then; ENOTTY is a file that is no chardev.
		 */
		if (ret == -ENODEV || ret == -EINVAL || ret == -ENOTTY)
			return no_events(dev, "IIO_GET_EVENT_FD_IOCTL refused", ret);
		if (ret == -EBUSY)
			dev_err(dev,
				"Unable to get the event fd: busy, the kernel gives one "
				"event fd per device and another stream or process holds it\n");
		else
			dev_perror(dev, ret, "Unable to get the event fd from %s", path);
		return ret;
	}
	if (fd < 0) {
		dev_err(dev, "IIO_GET_EVENT_FD_IOCTL on %s returned no fd\n", path);
		return -EIO;
	}
	pdata->fd = fd;

	/* read() must never block: waits belong to poll(), where a close can reach them. */
	ret = sys->fcntl(fd, F_GETFL, 0);
	if (ret >= 0 && !(ret & O_NONBLOCK))
		ret = sys->fcntl(fd, F_SETFL, ret | O_NONBLOCK);
	if (ret < 0) {
		dev_perror(dev, ret, "Unable to make the event fd non-blocking");
		return ret;
	}
	return 0;
}

static void free_pdata(struct iio_event_stream_pdata *pdata)
{
	if (pdata->fd >= 0)
		pdata->sys->close(pdata->fd);
	if (pdata->cancel_fd >= 0)
		pdata->sys->close(pdata->cancel_fd);
	pthread_cond_destroy(&pdata->idle);
	pthread_mutex_destroy(&pdata->lock);
	free(pdata);
}

struct iio_event_stream_pdata *local_open_ev(const struct iio_device *dev)
{
	struct iio_event_stream_pdata *pdata;
	int ret;

	if (!dev->pdata || !dev->ctx->pdata) {
		dev_err(dev, "Unable to open the event stream: not a device of the local "
			     "backend\n");
		return iio_ptr(-EINVAL);
	}
	if (dev->pdata->hwmon)
		return iio_ptr(no_events(dev, "hwmon devices have none", 0));

	pdata = calloc(1, sizeof(*pdata));
	if (!pdata)
		return iio_ptr(-ENOMEM);
	pdata->dev = dev;
	pdata->sys = local_sysio_of(dev->ctx);
	pdata->fd = -1;
	pdata->cancel_fd = -1;
	if (pthread_mutex_init(&pdata->lock, NULL)) {
		free(pdata);
		return iio_ptr(-ENOMEM);
	}
	if (pthread_cond_init(&pdata->idle, NULL)) {
		pthread_mutex_destroy(&pdata->lock);
		free(pdata);
		return iio_ptr(-ENOMEM);
	}

	ret = pdata->sys->eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ret < 0) {
		dev_perror(dev, ret, "Unable to create the event stream's cancel eventfd");
		goto err_free;
	}
	pdata->cancel_fd = ret;

	ret = get_event_fd(pdata);
	if (ret < 0)
		goto err_free;
	dev_dbg(dev, "event stream open (fd %d)\n", pdata->fd);
	return pdata;

err_free:
	free_pdata(pdata);
	return iio_ptr(ret);
}

void local_close_ev(struct iio_event_stream_pdata *pdata)
{
	const uint64_t one = 1;
	ssize_t ret;

	pthread_mutex_lock(&pdata->lock);
	pdata->closing = true;
	pthread_mutex_unlock(&pdata->lock);

	/* Never reset: every reader, present or late, sees it. */
	do {
		ret = pdata->sys->write(pdata->cancel_fd, &one, sizeof(one));
	} while (ret == -EINTR);
	if (ret < 0)
		dev_perror(pdata->dev, (int)ret, "Unable to wake the event stream's readers");

	pthread_mutex_lock(&pdata->lock);
	while (pdata->nb_readers)
		pthread_cond_wait(&pdata->idle, &pdata->lock);
	pthread_mutex_unlock(&pdata->lock);

	free_pdata(pdata);
}

/* One event, or -EAGAIN (nonblock, none pending), -EINTR (closing), an error. */
static int read_one(struct iio_event_stream_pdata *pdata, struct iio_event *out, bool nonblock)
{
	const struct local_sysio *sys = pdata->sys;
	struct pollfd pfd[2];
	ssize_t len;
	int ret;

	for (;;) {
		pfd[0] = (struct pollfd){.fd = pdata->fd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = pdata->cancel_fd, .events = POLLIN};
		/* Events come when they come: the context's I/O timeout does not apply. */
		ret = sys->poll(pfd, 2, nonblock ? 0 : -1);
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			dev_perror(pdata->dev, ret, "Unable to wait for events");
			return ret;
		}
		if (pfd[1].revents)
			return -EINTR;
		if (ret == 0)
			return -EAGAIN;
		if (pfd[0].revents & POLLNVAL) {
			dev_err(pdata->dev, "Unable to wait for events: the event fd is closed\n");
			return -EBADF;
		}

		len = sys->read(pdata->fd, out, sizeof(*out));
		if (len == -EINTR)
			continue;
		if (len == -EAGAIN) {
			/* Another reader took it. */
			if (nonblock)
				return -EAGAIN;
			continue;
		}
		if (len < 0) {
			dev_perror(pdata->dev, (int)len, "Unable to read an event");
			return (int)len;
		}
		if ((size_t)len != sizeof(*out)) {
			dev_err(pdata->dev, "Unable to read an event: %zd bytes instead of %zu\n",
				len, sizeof(*out));
			return -EIO;
		}
		return 0;
	}
}

int local_read_ev(struct iio_event_stream_pdata *pdata, struct iio_event *out, bool nonblock)
{
	int ret;

	pthread_mutex_lock(&pdata->lock);
	if (pdata->closing) {
		pthread_mutex_unlock(&pdata->lock);
		return -EINTR;
	}
	pdata->nb_readers++;
	pthread_mutex_unlock(&pdata->lock);

	ret = read_one(pdata, out, nonblock);

	pthread_mutex_lock(&pdata->lock);
	if (!--pdata->nb_readers && pdata->closing)
		pthread_cond_broadcast(&pdata->idle);
	pthread_mutex_unlock(&pdata->lock);
	return ret;
}
