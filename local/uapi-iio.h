/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The IIO character device ioctls the streaming code issues, with the
 * numbers of the asm-generic encoding (x86, arm, arm64, riscv). Kept here so
 * that a build never depends on the build machine's kernel headers: the
 * DMABUF ioctls exist from Linux 6.11 on, and whether the running kernel
 * has them is found out at run time.
 */
#ifndef IIO_LOCAL_UAPI_IIO_H
#define IIO_LOCAL_UAPI_IIO_H

#include <stdint.h>

/* On /dev/iio:deviceN. Arg: int *, out: an event fd. */
#define LOCAL_IIO_GET_EVENT_FD_IOCTL 0x80046990UL /* _IOR('i', 0x90, int) */
/*
 * On /dev/iio:deviceN (Linux >= 5.11). Arg: int *, in: buffer index, out: a
 * new fd for that buffer, on which read()/write()/poll() and the DMABUF
 * ioctls work.
 */
#define LOCAL_IIO_BUFFER_GET_FD_IOCTL 0xC0046991UL /* _IOWR('i', 0x91, int) */

/* On a buffer fd (Linux >= 6.11). Arg: int *, the DMABUF fd. */
#define LOCAL_IIO_BUFFER_DMABUF_ATTACH_IOCTL 0x40046992UL /* _IOW('i', 0x92, int) */
#define LOCAL_IIO_BUFFER_DMABUF_DETACH_IOCTL 0x40046993UL /* _IOW('i', 0x93, int) */
/* On a buffer fd. Arg: struct local_iio_dmabuf *. */
#define LOCAL_IIO_BUFFER_DMABUF_ENQUEUE_IOCTL 0x40106994UL /* _IOW('i', 0x94, 16 bytes) */

/* Repeat the block until the buffer is disabled (output buffers only). */
#define LOCAL_IIO_BUFFER_DMABUF_CYCLIC (1u << 0)

/* The kernel's struct iio_dmabuf. */
struct local_iio_dmabuf {
	uint32_t fd;
	uint32_t flags;
	uint64_t bytes_used;
};

_Static_assert(sizeof(struct local_iio_dmabuf) == 16, "struct iio_dmabuf is 16 bytes");

#endif /* IIO_LOCAL_UAPI_IIO_H */
