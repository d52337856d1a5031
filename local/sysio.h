/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system calls of the local backend's streaming code, behind a table of
 * function pointers. Production uses the libc table; unit tests put a fake
 * kernel in its place (context pdata->sysio) to drive the DMABUF state
 * machine and every fallback without IIO in the host kernel.
 *
 * Every entry returns a value >= 0 on success or a negative errno, never -1
 * with errno: fakes stay simple and callers never read errno.
 */
#ifndef IIO_LOCAL_SYSIO_H
#define IIO_LOCAL_SYSIO_H

#include "internal.h"

#include <poll.h>
#include <sys/types.h>

struct iio_context;

struct local_sysio {
	int (*open)(const char *path, int flags, mode_t mode);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long request, void *arg);
	int (*poll)(struct pollfd *fds, nfds_t nfds, int timeout_ms);
	ssize_t (*read)(int fd, void *dst, size_t len);
	ssize_t (*write)(int fd, const void *src, size_t len);
	int (*fcntl)(int fd, int cmd, int arg);
	/* *addr receives the mapping. */
	int (*mmap)(size_t len, int prot, int flags, int fd, off_t offset, void **addr);
	int (*munmap)(void *addr, size_t len);
	int (*eventfd)(unsigned int initval, int flags);
	int (*memfd_create)(const char *name, unsigned int flags);
	int (*ftruncate)(int fd, off_t len);
};

/* The libc implementation. */
extern iio_hidden const struct local_sysio local_sysio_libc;

/* The table a context's streaming code uses: the libc one unless a test set another. */
iio_hidden const struct local_sysio *local_sysio_of(const struct iio_context *ctx);

#endif /* IIO_LOCAL_SYSIO_H */
