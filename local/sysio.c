// SPDX-License-Identifier: LGPL-2.1-or-later
/* The libc side of the injectable syscall table: each call turns -1/errno into -errno. */
#include "local.h"
#include "sysio.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static int libc_open(const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags, mode);

	return fd < 0 ? -errno : fd;
}

static int libc_close(int fd)
{
	/* Linux releases the fd even when close() fails: never retry. */
	return close(fd) < 0 ? -errno : 0;
}

static int libc_ioctl(int fd, unsigned long request, void *arg)
{
	int ret = ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

static int libc_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	int ret = poll(fds, nfds, timeout_ms);

	return ret < 0 ? -errno : ret;
}

static ssize_t libc_read(int fd, void *dst, size_t len)
{
	ssize_t ret = read(fd, dst, len);

	return ret < 0 ? -errno : ret;
}

static ssize_t libc_write(int fd, const void *src, size_t len)
{
	ssize_t ret = write(fd, src, len);

	return ret < 0 ? -errno : ret;
}

static int libc_fcntl(int fd, int cmd, int arg)
{
	int ret = fcntl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static int libc_mmap(size_t len, int prot, int flags, int fd, off_t offset, void **addr)
{
	void *ptr = mmap(NULL, len, prot, flags, fd, offset);

	if (ptr == MAP_FAILED)
		return -errno;
	*addr = ptr;
	return 0;
}

static int libc_munmap(void *addr, size_t len)
{
	return munmap(addr, len) < 0 ? -errno : 0;
}

static int libc_eventfd(unsigned int initval, int flags)
{
	int fd = eventfd(initval, flags);

	return fd < 0 ? -errno : fd;
}

static int libc_memfd_create(const char *name, unsigned int flags)
{
	int fd = memfd_create(name, flags);

	return fd < 0 ? -errno : fd;
}

static int libc_ftruncate(int fd, off_t len)
{
	return ftruncate(fd, len) < 0 ? -errno : 0;
}

const struct local_sysio local_sysio_libc = {
	.open = libc_open,
	.close = libc_close,
	.ioctl = libc_ioctl,
	.poll = libc_poll,
	.read = libc_read,
	.write = libc_write,
	.fcntl = libc_fcntl,
	.mmap = libc_mmap,
	.munmap = libc_munmap,
	.eventfd = libc_eventfd,
	.memfd_create = libc_memfd_create,
	.ftruncate = libc_ftruncate,
};

const struct local_sysio *local_sysio_of(const struct iio_context *ctx)
{
	if (ctx && ctx->pdata && ctx->pdata->sysio)
		return ctx->pdata->sysio;
	return &local_sysio_libc;
}
