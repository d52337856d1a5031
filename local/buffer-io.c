// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Opening a hardware buffer for streaming (local.md §10.2-10.3, 10.5): the
 * buffer fd, the scan elements of the channels mask, length/watermark/enable,
 * and the wait every blocking call goes through, which also watches the
 * stream's cancel eventfd so that a cancel from any thread wakes all waiters.
 */
#include "buffer-io.h"
#include "uapi-iio.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

/*
 * Core blocks are only filled while the application waits in a dequeue, so
 * the kernel buffer holds a few blocks' worth of samples, within reason.
 */
#define FILEIO_KERNEL_BLOCKS 4
#define FILEIO_KERNEL_MAX_BYTES (8u << 20)

const char *local_io_step_name(enum local_io_step step)
{
	static const char *const names[] = {
		[LOCAL_STEP_NONE] = "none",
		[LOCAL_STEP_HEAP_OPEN] = "opening the DMA heap",
		[LOCAL_STEP_HEAP_ALLOC] = "DMA_HEAP_IOCTL_ALLOC",
		[LOCAL_STEP_UDMABUF_OPEN] = "opening " LOCAL_UDMABUF_DEV,
		[LOCAL_STEP_MEMFD] = "preparing a sealed memfd",
		[LOCAL_STEP_UDMABUF_CREATE] = "UDMABUF_CREATE",
		[LOCAL_STEP_MMAP] = "mmap of the DMABUF",
		[LOCAL_STEP_SYNC] = "DMA_BUF_IOCTL_SYNC",
		[LOCAL_STEP_ATTACH] = "IIO_BUFFER_DMABUF_ATTACH_IOCTL",
		[LOCAL_STEP_LEGACY_FD] = "no buffer fd (IIO_BUFFER_GET_FD_IOCTL unsupported)",
	};

	if ((unsigned int)step < ARRAY_SIZE(names) && names[step])
		return names[step];
	return "unknown step";
}

/* ---- Deadlines and waits --------------------------------------------------- */

int local_io_timeout(const struct iio_buffer_stream_pdata *pdata)
{
	/* Read at each operation: iio_context_set_timeout() applies at once. */
	return pdata->dev->ctx->params.timeout_ms;
}

void local_deadline_start(struct local_deadline *dl, int timeout_ms)
{
	dl->timeout_ms = timeout_ms;
	clock_gettime(CLOCK_MONOTONIC, &dl->end);
	if (timeout_ms <= 0)
		return;
	dl->end.tv_sec += timeout_ms / 1000;
	dl->end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl->end.tv_nsec >= 1000000000L) {
		dl->end.tv_sec++;
		dl->end.tv_nsec -= 1000000000L;
	}
}

/* Milliseconds left, rounded up; -1 for no deadline. */
static int deadline_remaining(const struct local_deadline *dl)
{
	struct timespec now;
	int64_t left_ns;

	if (dl->timeout_ms <= 0)
		return dl->timeout_ms < 0 ? -1 : 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left_ns = (int64_t)(dl->end.tv_sec - now.tv_sec) * 1000000000LL +
		  (dl->end.tv_nsec - now.tv_nsec);
	if (left_ns <= 0)
		return 0;
	return (int)((left_ns + 999999) / 1000000);
}

int local_io_wait(struct iio_buffer_stream_pdata *pdata, int fd, short events,
		  const struct local_deadline *dl)
{
	struct pollfd pfd[2];
	int timeout, ret;

	for (;;) {
		if (atomic_load(&pdata->cancelled))
			return -EBADF;
		pfd[0] = (struct pollfd){.fd = fd, .events = events};
		pfd[1] = (struct pollfd){.fd = pdata->cancel_fd, .events = POLLIN};
		timeout = deadline_remaining(dl);
		ret = pdata->sys->poll(pfd, 2, timeout);
		if (ret == -EINTR)
			continue; /* the deadline is absolute: a signal costs no time */
		if (ret < 0)
			return ret;
		if (pfd[1].revents)
			return -EBADF;
		if (ret == 0) {
			if (timeout == 0)
				return -ETIMEDOUT;
			continue; /* woke up a little early */
		}
		if (pfd[0].revents & POLLNVAL)
			return -EBADF;
		return pfd[0].revents;
	}
}

/* ---- sysfs files of the buffer, through the syscall table ----------------- */

static int write_dev_file(struct iio_buffer_stream_pdata *pdata, const char *relpath,
			  const char *value)
{
	const struct local_sysio *sys = pdata->sys;
	size_t len = strlen(value);
	char path[PATH_MAX];
	ssize_t ret;
	int fd;

	ret = local_device_path(pdata->dev, path, sizeof(path), "%s", relpath);
	if (ret < 0)
		return (int)ret;
	/* O_TRUNC: sysfs ignores it, and a fixture's regular file needs it. */
	fd = sys->open(path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	do {
		ret = sys->write(fd, value, len);
	} while (ret == -EINTR);
	if (ret >= 0 && (size_t)ret != len)
		ret = -EIO;
	sys->close(fd);
	return ret < 0 ? (int)ret : 0;
}

static int read_dev_file(struct iio_buffer_stream_pdata *pdata, const char *relpath, char *dst,
			 size_t len)
{
	const struct local_sysio *sys = pdata->sys;
	char path[PATH_MAX];
	ssize_t ret;
	int fd;

	ret = local_device_path(pdata->dev, path, sizeof(path), "%s", relpath);
	if (ret < 0)
		return (int)ret;
	fd = sys->open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	do {
		ret = sys->read(fd, dst, len - 1);
	} while (ret == -EINTR);
	sys->close(fd);
	if (ret < 0)
		return (int)ret;
	dst[ret] = '\0';
	return 0;
}

/* Writes "<buffer dir>/<name>". */
static int write_buffer_file(struct iio_buffer_stream_pdata *pdata, const char *name,
			     const char *value)
{
	char relpath[PATH_MAX];

	if ((size_t)snprintf(relpath, sizeof(relpath), "%s/%s", pdata->buf->pdata->dir, name) >=
	    sizeof(relpath))
		return -ENAMETOOLONG;
	return write_dev_file(pdata, relpath, value);
}

/* ---- Opening ---------------------------------------------------------------- */

/*
 * The buffer fd: IIO_BUFFER_GET_FD_IOCTL on /dev/<id> (Linux >= 5.11), or for
 * buffer 0 on older kernels (and fixtures) the character device itself.
 */
static int open_buffer_fd(struct iio_buffer_stream_pdata *pdata)
{
	const struct local_sysio *sys = pdata->sys;
	const struct iio_device *dev = pdata->dev;
	struct iio_context_pdata *ctx_pdata = dev->ctx->pdata;
	unsigned int index = pdata->buf->index;
	char path[PATH_MAX];
	int devfd, fd, flags, ret;

	ret = local_path(path, sizeof(path), ctx_pdata->root, LOCAL_DEV_DIR "/%s", dev->id);
	if (ret < 0)
		return ret;

	pthread_mutex_lock(&ctx_pdata->lock);
	if (dev->pdata && dev->pdata->fd >= 0) {
		pthread_mutex_unlock(&ctx_pdata->lock);
		buf_err(pdata,
			"Unable to open %s: already open for buffer 0 of this device "
			"(a kernel without IIO_BUFFER_GET_FD_IOCTL allows one buffer)\n",
			path);
		return -EBUSY;
	}
	devfd = sys->open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK, 0);
	if (devfd < 0) {
		pthread_mutex_unlock(&ctx_pdata->lock);
		if (devfd == -EBUSY)
			buf_err(pdata,
				"Unable to open %s: busy, another process is using this "
				"device\n",
				path);
		else
			buf_perror(pdata, devfd, "Unable to open %s", path);
		return devfd;
	}

	fd = (int)index;
	ret = sys->ioctl(devfd, LOCAL_IIO_BUFFER_GET_FD_IOCTL, &fd);
	if (ret >= 0) {
		/* The buffer fd keeps the device; the chardev is free for other buffers. */
		sys->close(devfd);
		pthread_mutex_unlock(&ctx_pdata->lock);
		pdata->fd = fd;
		/* Waits happen in poll(), where a cancel can reach them, never in read(). */
		flags = sys->fcntl(fd, F_GETFL, 0);
		if (flags >= 0 && !(flags & O_NONBLOCK))
			flags = sys->fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		if (flags < 0) {
			buf_perror(pdata, flags, "Unable to make the buffer fd non-blocking");
			return flags;
		}
		return 0;
	}

	/* Pre-5.11 kernels answer EINVAL, a fixture's plain file ENOTTY. */
	if (index == 0 && (ret == -EINVAL || ret == -ENOTTY)) {
		buf_dbg(pdata, "no IIO_BUFFER_GET_FD_IOCTL (%d): reading %s itself\n", ret, path);
		pdata->fd = devfd;
		pdata->fd_is_chardev = true;
		if (dev->pdata)
			dev->pdata->fd = devfd;
		pthread_mutex_unlock(&ctx_pdata->lock);
		return 0;
	}
	sys->close(devfd);
	pthread_mutex_unlock(&ctx_pdata->lock);

	if (ret == -EBUSY)
		buf_err(pdata, "Unable to get the buffer fd: busy, another process is using this "
			       "buffer\n");
	else if (ret == -EINVAL || ret == -ENOTTY)
		buf_err(pdata, "Unable to get the buffer fd: the kernel lacks "
			       "IIO_BUFFER_GET_FD_IOCTL (Linux >= 5.11), needed for buffers other "
			       "than 0\n");
	else
		buf_perror(pdata, ret, "Unable to get the buffer fd from %s", path);
	return ret;
}

static const struct local_scan_element *find_element(const struct iio_buffer *buf,
						     const struct iio_channel *chn)
{
	unsigned int i;

	for (i = 0; i < buf->pdata->nb_elements; i++)
		if (buf->pdata->elements[i].chn == chn)
			return &buf->pdata->elements[i];
	return NULL;
}

/*
 * Enables exactly the channels of mask, then adds to mask the channels the
 * hardware turned on with them (coupled channels): the sample layout must
 * follow what the kernel will really send.
 */
static int setup_scan_elements(struct iio_buffer_stream_pdata *pdata,
			       struct iio_channels_mask *mask)
{
	const struct iio_buffer *buf = pdata->buf;
	const struct iio_device *dev = pdata->dev;
	const struct iio_buffer_pdata *bp = buf->pdata;
	unsigned int i;
	char text[16];
	int ret;

	for (i = 0; i < dev->nb_channels; i++) {
		const struct iio_channel *chn = dev->channels[i];

		if (iio_mask_test(mask, chn->number) && !find_element(buf, chn)) {
			buf_err(pdata,
				"Unable to enable channel %s: not a scan element of this "
				"buffer\n",
				chn->id);
			return -EINVAL;
		}
	}

	/* Scan elements only change while the buffer is disabled. */
	ret = write_buffer_file(pdata, "enable", "0");
	if (ret < 0) {
		buf_perror(pdata, ret, "Unable to disable the buffer (%s/enable)", bp->dir);
		return ret;
	}
	for (i = 0; i < bp->nb_elements; i++) {
		ret = write_dev_file(pdata, bp->elements[i].en_path, "0");
		if (ret < 0) {
			buf_perror(pdata, ret, "Unable to disable channel %s (%s)",
				   bp->elements[i].chn->id, bp->elements[i].en_path);
			return ret;
		}
	}
	for (i = 0; i < bp->nb_elements; i++) {
		if (!iio_mask_test(mask, bp->elements[i].chn->number))
			continue;
		ret = write_dev_file(pdata, bp->elements[i].en_path, "1");
		if (ret < 0) {
			buf_perror(pdata, ret, "Unable to enable channel %s (%s)",
				   bp->elements[i].chn->id, bp->elements[i].en_path);
			return ret;
		}
	}
	for (i = 0; i < bp->nb_elements; i++) {
		const struct iio_channel *chn = bp->elements[i].chn;
		bool wanted = iio_mask_test(mask, chn->number);
		char *end;
		long on;

		ret = read_dev_file(pdata, bp->elements[i].en_path, text, sizeof(text));
		if (ret < 0) {
			buf_perror(pdata, ret, "Unable to read back %s", bp->elements[i].en_path);
			return ret;
		}
		on = strtol(text, &end, 10);
		if (end == text || (*end && *end != '\n')) {
			buf_err(pdata, "Invalid content '%s' in %s\n", text,
				bp->elements[i].en_path);
			return -EIO;
		}
		if (wanted && !on) {
			buf_err(pdata, "Channel %s did not stay enabled (%s reads 0)\n", chn->id,
				bp->elements[i].en_path);
			return -EIO;
		}
		if (on && !wanted) {
			buf_dbg(pdata, "channel %s comes with the ones requested\n", chn->id);
			iio_mask_set(mask, chn->number);
		}
	}
	return 0;
}

static void free_pdata(struct iio_buffer_stream_pdata *pdata)
{
	struct iio_context_pdata *ctx_pdata = pdata->dev->ctx->pdata;

	if (pdata->fd >= 0) {
		if (pdata->fd_is_chardev && pdata->dev->pdata) {
			pthread_mutex_lock(&ctx_pdata->lock);
			pdata->dev->pdata->fd = -1;
			pthread_mutex_unlock(&ctx_pdata->lock);
		}
		pdata->sys->close(pdata->fd);
	}
	if (pdata->cancel_fd >= 0)
		pdata->sys->close(pdata->cancel_fd);
	pthread_mutex_destroy(&pdata->lock);
	free(pdata);
}

struct iio_buffer_stream_pdata *local_open_buffer(const struct iio_buffer *buf,
						  struct iio_channels_mask *mask)
{
	struct iio_buffer_stream_pdata *pdata;
	ssize_t sample_size;
	int ret;

	if (!buf->pdata || !buf->dev->ctx->pdata) {
		dev_err(buf->dev, "Unable to open buffer %u: not a buffer of the local backend\n",
			buf->index);
		return iio_ptr(-EINVAL);
	}
	pdata = calloc(1, sizeof(*pdata));
	if (!pdata)
		return iio_ptr(-ENOMEM);
	pdata->buf = buf;
	pdata->dev = buf->dev;
	pdata->sys = local_sysio_of(buf->dev->ctx);
	pdata->fd = -1;
	pdata->cancel_fd = -1;
	atomic_init(&pdata->cancelled, false);
	if (pthread_mutex_init(&pdata->lock, NULL)) {
		free(pdata);
		return iio_ptr(-ENOMEM);
	}

	ret = pdata->sys->eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ret < 0) {
		buf_perror(pdata, ret, "Unable to create the cancel eventfd");
		goto err_free;
	}
	pdata->cancel_fd = ret;

	ret = open_buffer_fd(pdata);
	if (ret < 0)
		goto err_free;
	ret = setup_scan_elements(pdata, mask);
	if (ret < 0)
		goto err_free;

	sample_size = iio_device_get_sample_size(pdata->dev, mask);
	if (sample_size <= 0) {
		ret = sample_size < 0 ? (int)sample_size : -EINVAL;
		goto err_free;
	}
	pdata->sample_size = (size_t)sample_size;
	buf_dbg(pdata, "opened (%s), %zu bytes per sample\n",
		pdata->fd_is_chardev ? "character device" : "buffer fd", pdata->sample_size);
	return pdata;

err_free:
	free_pdata(pdata);
	return iio_ptr(ret);
}

void local_close_buffer(struct iio_buffer_stream_pdata *pdata)
{
	int ret;

	if (!pdata)
		return;
	ret = write_buffer_file(pdata, "enable", "0");
	if (ret < 0)
		buf_dbg(pdata, "disabling on close failed: %d\n", ret);
	free_pdata(pdata);
}

/* ---- Enable / disable / cancel ------------------------------------------- */

/* Writes length or watermark: a kernel without the file (or no right to it) keeps its own. */
static int write_size_file(struct iio_buffer_stream_pdata *pdata, const char *name, size_t value)
{
	char text[32];
	int ret;

	snprintf(text, sizeof(text), "%zu", value);
	ret = write_buffer_file(pdata, name, text);
	if (ret == -ENOENT || ret == -EACCES) {
		buf_dbg(pdata, "%s not written (%d), keeping the kernel's\n", name, ret);
		return 0;
	}
	if (ret < 0)
		buf_perror(pdata, ret, "Unable to set %s/%s to %zu", pdata->buf->pdata->dir, name,
			   value);
	return ret;
}

int local_enable_buffer(struct iio_buffer_stream_pdata *pdata, size_t nb_samples, bool enable,
			bool cyclic)
{
	size_t length, watermark, max_samples;
	bool dmabuf;
	int ret;

	(void)cyclic; /* a property of each DMABUF enqueue, nothing to set here */

	if (!enable) {
		ret = write_buffer_file(pdata, "enable", "0");
		if (ret < 0) {
			buf_perror(pdata, ret, "Unable to disable the buffer");
			return ret;
		}
		return 0;
	}

	pthread_mutex_lock(&pdata->lock);
	dmabuf = pdata->info.path == LOCAL_IO_DMABUF;
	if (dmabuf) {
		/* In samples, unlike upstream's bytes: what the kernel's attributes mean. */
		length = pdata->min_block_size / pdata->sample_size;
		watermark = length;
	} else {
		length = nb_samples * FILEIO_KERNEL_BLOCKS;
		max_samples = FILEIO_KERNEL_MAX_BYTES / pdata->sample_size;
		if (length > max_samples)
			length = nb_samples > max_samples ? nb_samples : max_samples;
		watermark = nb_samples;
	}
	pthread_mutex_unlock(&pdata->lock);
	if (!length || !watermark) {
		buf_err(pdata, "Unable to enable the buffer: no block was created\n");
		return -EINVAL;
	}

	ret = write_size_file(pdata, "length", length);
	if (!ret)
		ret = write_size_file(pdata, "watermark", watermark);
	if (ret < 0)
		return ret;
	ret = write_buffer_file(pdata, "enable", "1");
	if (ret < 0) {
		if (ret == -EBUSY)
			buf_err(pdata, "Unable to enable the buffer: busy (already enabled, or "
				       "the device is used by another process)\n");
		else
			buf_perror(pdata, ret, "Unable to enable the buffer (%s/enable)",
				   pdata->buf->pdata->dir);
		return ret;
	}
	pthread_mutex_lock(&pdata->lock);
	pdata->watermark = watermark;
	pthread_mutex_unlock(&pdata->lock);
	buf_dbg(pdata, "enabled: length %zu, watermark %zu samples (%s)\n", length, watermark,
		dmabuf ? "DMABUF" : "read/write");
	return 0;
}

void local_cancel_buffer(struct iio_buffer_stream_pdata *pdata)
{
	const uint64_t one = 1;
	int saved_errno = errno; /* may run in a signal handler */

	atomic_store(&pdata->cancelled, true);
	/* Never read back: every present and future poll on it wakes up. */
	(void)pdata->sys->write(pdata->cancel_fd, &one, sizeof(one));
	errno = saved_errno;
}

void local_buffer_io_info(struct iio_buffer_stream_pdata *pdata, struct local_io_info *info)
{
	pthread_mutex_lock(&pdata->lock);
	*info = pdata->info;
	pthread_mutex_unlock(&pdata->lock);
}
