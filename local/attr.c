// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Attribute I/O: every attribute kind maps to one file (local.md §2), read
 * whole in one go and written with a single write(), as sysfs expects.
 */
#include "local.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Opens a file that must be a regular file. O_NONBLOCK keeps a FIFO put in
 * place of an attribute from blocking the open; it is cleared afterwards.
 */
static int open_regular(const char *path, int flags)
{
	struct stat st;
	int fd, ret;

	fd = open(path, flags | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto err_close;
	}
	if (fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		ret = -errno;
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return ret;
}

ssize_t local_read_file(const char *path, char *dst, size_t len)
{
	size_t done = 0;
	ssize_t ret;
	char extra;
	int fd;

	if (!len)
		return -EINVAL;
	fd = open_regular(path, O_RDONLY);
	if (fd < 0)
		return fd;

	while (done < len) {
		ret = read(fd, dst + done, len - done);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			ret = -errno;
			close(fd);
			return ret;
		}
		if (ret == 0)
			break;
		done += (size_t)ret;
	}
	if (done == len) {
		/* Full buffer: fine only if the file ends right here. */
		do {
			ret = read(fd, &extra, 1);
		} while (ret < 0 && errno == EINTR);
		if (ret != 0) {
			ret = ret < 0 ? -errno : -EFBIG;
			close(fd);
			return ret;
		}
	}
	close(fd);

	/* sysfs values end with '\n'; files that do not still get their last byte. */
	if (done > 0 && dst[done - 1] == '\n') {
		dst[done - 1] = '\0';
		return (ssize_t)done;
	}
	if (done == len)
		return -EFBIG;
	dst[done] = '\0';
	return (ssize_t)done + 1;
}

ssize_t local_write_file(const char *path, const void *src, size_t len)
{
	ssize_t ret;
	int fd;

	/* O_TRUNC, like a shell's ">": sysfs ignores it, plain files get replaced. */
	fd = open_regular(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	/* One write(): sysfs passes each write to the driver as a whole value. */
	do {
		ret = write(fd, src, len);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		ret = -errno;
	else if (ret == 0)
		ret = -EIO;
	if (close(fd) < 0 && ret >= 0)
		ret = -errno;
	return ret;
}

static const char *context_root(const struct iio_context *ctx)
{
	return ctx->pdata && ctx->pdata->root ? ctx->pdata->root : "";
}

int local_device_path(const struct iio_device *dev, char *dst, size_t len, const char *fmt, ...)
{
	const char *base = dev->pdata && dev->pdata->hwmon ? LOCAL_HWMON_DIR
							    : LOCAL_IIO_DEVICES_DIR;
	char rel[PATH_MAX];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (ret < 0 || (size_t)ret >= sizeof(rel))
		return -ENAMETOOLONG;
	if (!rel[0])
		return local_path(dst, len, context_root(dev->ctx), "%s/%s", base, dev->id);
	return local_path(dst, len, context_root(dev->ctx), "%s/%s/%s", base, dev->id, rel);
}

ssize_t local_read_dev_file(const struct iio_device *dev, const char *relpath, char *dst,
			    size_t len)
{
	char path[PATH_MAX];
	ssize_t ret = local_device_path(dev, path, sizeof(path), "%s", relpath);

	if (ret < 0)
		return ret;
	ret = local_read_file(path, dst, len);
	if (ret < 0) {
		char err[64];

		iio_strerror((int)-ret, err, sizeof(err));
		dev_dbg(dev, "Reading %s failed: %s\n", path, err);
	}
	return ret;
}

ssize_t local_write_dev_file(const struct iio_device *dev, const char *relpath, const void *src,
			     size_t len)
{
	char path[PATH_MAX];
	ssize_t ret = local_device_path(dev, path, sizeof(path), "%s", relpath);

	if (ret < 0)
		return ret;
	ret = local_write_file(path, src, len);
	if (ret < 0)
		dev_perror(dev, ret, "Writing %zu bytes to %s failed", len, path);
	return ret;
}

/* The file behind an attribute (local.md §2), and its device. */
static int attr_path(const struct iio_attr *attr, char *dst, size_t len,
		     const struct iio_device **owner)
{
	const struct iio_device *dev;

	switch (attr->type) {
	case IIO_ATTR_TYPE_DEVICE:
		*owner = dev = attr->iio.dev;
		return local_device_path(dev, dst, len, "%s", attr->filename);
	case IIO_ATTR_TYPE_CHANNEL:
		*owner = dev = attr->iio.chn->dev;
		return local_device_path(dev, dst, len, "%s", attr->filename);
	case IIO_ATTR_TYPE_DEVICE_EVENT:
		*owner = dev = attr->iio.dev;
		return local_device_path(dev, dst, len, "events/%s", attr->filename);
	case IIO_ATTR_TYPE_CHANNEL_EVENT:
		*owner = dev = attr->iio.chn->dev;
		return local_device_path(dev, dst, len, "events/%s", attr->filename);
	case IIO_ATTR_TYPE_BUFFER:
		*owner = dev = attr->iio.buf->dev;
		if (!attr->iio.buf->pdata)
			return -ENOENT;
		return local_device_path(dev, dst, len, "%s/%s", attr->iio.buf->pdata->dir,
					 attr->filename);
	case IIO_ATTR_TYPE_DEBUG:
		*owner = dev = attr->iio.dev;
		if (!dev->pdata || !dev->pdata->debug_dir)
			return -ENOENT;
		return local_path(dst, len, context_root(dev->ctx), LOCAL_DEBUGFS_DIR "/%s/%s",
				  dev->pdata->debug_dir, attr->filename);
	default:
		return -EINVAL;
	}
}

ssize_t local_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	const struct iio_device *dev = NULL;
	char path[PATH_MAX];
	ssize_t ret;

	ret = attr_path(attr, path, sizeof(path), &dev);
	if (ret < 0)
		return ret;
	ret = local_read_file(path, dst, len);
	/* Tools print read errors themselves; keep the path for debugging. */
	if (ret < 0) {
		char err[64];

		iio_strerror((int)-ret, err, sizeof(err));
		dev_dbg(dev, "Reading attribute '%s' from %s failed: %s\n", attr->name, path, err);
	}
	return ret;
}

ssize_t local_write_attr(const struct iio_attr *attr, const char *src, size_t len)
{
	const struct iio_device *dev = NULL;
	char path[PATH_MAX];
	ssize_t ret;

	ret = attr_path(attr, path, sizeof(path), &dev);
	if (ret < 0)
		return ret;
	ret = local_write_file(path, src, len);
	if (ret < 0)
		dev_perror(dev, ret, "Writing attribute '%s' (%s) failed", attr->name, path);
	return ret;
}
