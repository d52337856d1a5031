/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DMABUF pieces of the kernel uAPI the local backend uses: DMA heaps
 * (Linux >= 5.6), DMA_BUF_IOCTL_SYNC and udmabuf (Linux >= 4.20). Numbers of
 * the asm-generic encoding; present or not, the kernel decides at run time.
 */
#ifndef IIO_LOCAL_UAPI_DMABUF_H
#define IIO_LOCAL_UAPI_DMABUF_H

#include <stdint.h>

/* ---- /dev/dma_heap/<name> ---------------------------------------------- */

/* The kernel's struct dma_heap_allocation_data. */
struct local_dma_heap_alloc {
	uint64_t len;	     /* in: bytes (the kernel rounds up to pages) */
	uint32_t fd;	     /* out: the new DMABUF */
	uint32_t fd_flags;   /* in: O_RDWR | O_CLOEXEC */
	uint64_t heap_flags; /* in: none defined, 0 */
};

_Static_assert(sizeof(struct local_dma_heap_alloc) == 24, "dma_heap_allocation_data is 24 bytes");

#define LOCAL_DMA_HEAP_IOCTL_ALLOC 0xC0184800UL /* _IOWR('H', 0x0, 24 bytes) */

/* ---- A DMABUF fd ----------------------------------------------------- */

/* The kernel's struct dma_buf_sync. */
struct local_dma_buf_sync {
	uint64_t flags;
};

#define LOCAL_DMA_BUF_SYNC_READ (1ULL << 0)
#define LOCAL_DMA_BUF_SYNC_WRITE (1ULL << 1)
#define LOCAL_DMA_BUF_SYNC_RW (LOCAL_DMA_BUF_SYNC_READ | LOCAL_DMA_BUF_SYNC_WRITE)
#define LOCAL_DMA_BUF_SYNC_START (0ULL << 2)
#define LOCAL_DMA_BUF_SYNC_END (1ULL << 2)

#define LOCAL_DMA_BUF_IOCTL_SYNC 0x40086200UL /* _IOW('b', 0, 8 bytes) */

/* ---- /dev/udmabuf: a DMABUF made of a sealed memfd -------------------- */

/* The kernel's struct udmabuf_create. */
struct local_udmabuf_create {
	uint32_t memfd; /* sealed with F_SEAL_SHRINK, never F_SEAL_WRITE */
	uint32_t flags;
	uint64_t offset; /* page aligned */
	uint64_t size;	 /* page aligned */
};

_Static_assert(sizeof(struct local_udmabuf_create) == 24, "udmabuf_create is 24 bytes");

#define LOCAL_UDMABUF_FLAGS_CLOEXEC 0x01u
#define LOCAL_UDMABUF_CREATE 0x40187542UL /* _IOW('u', 0x42, 24 bytes) */

#endif /* IIO_LOCAL_UAPI_DMABUF_H */
