// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Register access through debugfs direct_reg_access (local.md §12): write the
 * address, read back the value. The file is locked so that two programs do
 * not interleave their address and value.
 */
#include "local.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int open_reg_file(const struct iio_device *dev, int flags)
{
	char path[PATH_MAX];
	int fd, ret;

	if (!dev->pdata || !dev->pdata->debug_dir)
		return -ENOENT; /* no debugfs directory for this device */
	ret = local_path(path, sizeof(path), dev->ctx->pdata->root,
			 LOCAL_DEBUGFS_DIR "/%s/direct_reg_access", dev->pdata->debug_dir);
	if (ret < 0)
		return ret;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		dev_perror(dev, ret, "Unable to open %s", path);
		return ret;
	}
	if (flock(fd, LOCK_EX) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

static int write_all(int fd, const char *text)
{
	size_t len = strlen(text);
	ssize_t ret;

	do {
		ret = write(fd, text, len);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	return (size_t)ret == len ? 0 : -EIO;
}

/* Closing the file drops the lock. */
static int close_reg_file(int fd, int ret)
{
	close(fd);
	return ret;
}

int local_reg_write(const struct iio_device *dev, uint32_t address, uint32_t value)
{
	char text[32];
	int fd;

	fd = open_reg_file(dev, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	snprintf(text, sizeof(text), "0x%x 0x%x", address, value);
	return close_reg_file(fd, write_all(fd, text));
}

int local_reg_read(const struct iio_device *dev, uint32_t address, uint32_t *value)
{
	char text[32], *end;
	unsigned long parsed;
	ssize_t len;
	int fd, ret;

	fd = open_reg_file(dev, O_RDWR);
	if (fd < 0)
		return fd;
	snprintf(text, sizeof(text), "0x%x", address);
	ret = write_all(fd, text);
	if (ret < 0)
		return close_reg_file(fd, ret);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return close_reg_file(fd, -errno);

	do {
		len = read(fd, text, sizeof(text) - 1);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return close_reg_file(fd, -errno);
	if ((size_t)len == sizeof(text) - 1)
		return close_reg_file(fd, -EFBIG);
	text[len] = '\0';
	if (len > 0 && text[len - 1] == '\n')
		text[len - 1] = '\0';

	/* The driver prints "0x%X"; anything else is not a register value. */
	errno = 0;
	parsed = strtoul(text, &end, 16);
	if (strncmp(text, "0x", 2) || end == text + 2 || errno || parsed > UINT32_MAX || *end) {
		dev_err(dev, "Unexpected register value '%s' at 0x%x\n", text, address);
		return close_reg_file(fd, -EIO);
	}
	*value = (uint32_t)parsed;
	return close_reg_file(fd, 0);
}
