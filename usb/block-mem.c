// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Block memory for usb: buffers. Bulk transfers into usbfs device memory (an
 * mmap of the device node) need no bounce buffer in the kernel; anything else
 * is copied once more by usbfs. One usbfs mapping must be physically
 * contiguous, so large blocks (SDR blocks are often 8 MiB or more) cannot get
 * one; libusb_dev_mem_alloc() then fails and the block used to fall back to
 * malloc. Here a block is made of 1 MiB usbfs mappings placed side by side at
 * 1 MiB-aligned addresses: every transfer (at most 1 MiB, starting at a
 * multiple of 1 MiB into the block, as stream.c and transfer.c cut them)
 * lies inside one mapping, which is what usbfs requires.
 */
#include "usb.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PIECE ((size_t)IIO_USB_MAX_TRANSFER)

enum block_mem_kind {
	MEM_MALLOC,
	MEM_LIBUSB,	/* libusb_dev_mem_alloc(): one usbfs mapping */
	MEM_PIECES,	/* our own usbfs mappings, PIECE bytes each */
};

struct iio_usb_block_mem {
	struct iio_usb_block_mem *next;
	void *mem;
	size_t len;
	enum block_mem_kind kind;
	void *map;		/* MEM_PIECES: the whole reservation to unmap */
	size_t map_len;
};

static const char *const kind_names[] = {
	[MEM_MALLOC] = "malloc (usbfs copies)",
	[MEM_LIBUSB] = "usbfs device memory",
	[MEM_PIECES] = "usbfs device memory (1 MiB pieces)",
};

/*
 * usbfs counts device memory and the buffers of transfers it copies against one
 * limit (usbcore.usbfs_memory_mb, 16 MiB by default, 0: none). Blocks take at
 * most half of it so that transfers into malloc'd blocks, and other programs,
 * still find room.
 */
static size_t device_memory_budget(void)
{
	FILE *f = fopen("/sys/module/usbcore/parameters/usbfs_memory_mb", "re");
	unsigned long mb = 16;

	if (f) {
		if (fscanf(f, "%lu", &mb) != 1)
			mb = 16;
		fclose(f);
	}
	if (!mb)
		return SIZE_MAX;
	return (size_t)mb * 1024 * 1024 / 2;
}

/* 1 MiB-aligned usbfs mappings covering len bytes; NULL if usbfs says no. */
static void *map_pieces(int fd, size_t len, void **map, size_t *map_len)
{
	size_t reserve = len + PIECE, off;
	uint8_t *base, *start;

	/* Reserve the address range first so that the pieces can be placed side by side. */
	base = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)base + PIECE - 1) & ~(uintptr_t)(PIECE - 1));
	for (off = 0; off < len; off += PIECE) {
		size_t n = len - off < PIECE ? len - off : PIECE;

		if (mmap(start + off, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) ==
		    MAP_FAILED) {
			munmap(base, reserve);
			return NULL;
		}
	}
	*map = base;
	*map_len = reserve;
	return start;
}

void *iio_usb_block_mem_alloc(struct iio_usb_device *dev, size_t size)
{
	size_t len = (size + IIO_USB_BLOCK_ALIGN - 1) / IIO_USB_BLOCK_ALIGN * IIO_USB_BLOCK_ALIGN;
	struct iio_usb_block_mem *rec = calloc(1, sizeof(*rec));
	bool in_budget;

	if (!rec || !len) {
		free(rec);
		return NULL;
	}
	rec->len = len;

	pthread_mutex_lock(&dev->lock);
	if (!dev->dev_mem_budget)
		dev->dev_mem_budget = device_memory_budget();
	in_budget = dev->dev_mem_used + len <= dev->dev_mem_budget;
	if (in_budget)
		dev->dev_mem_used += len; /* taken back below if usbfs refuses */
	pthread_mutex_unlock(&dev->lock);

	if (in_budget && dev->usbfs_fd >= 0) {
		rec->mem = map_pieces(dev->usbfs_fd, len, &rec->map, &rec->map_len);
		rec->kind = MEM_PIECES;
	}
	if (in_budget && !rec->mem && len <= 4 * PIECE) {
		rec->mem = libusb_dev_mem_alloc(dev->hdl, len);
		rec->kind = MEM_LIBUSB;
	}
	if (!rec->mem) {
		rec->kind = MEM_MALLOC;
		if (posix_memalign(&rec->mem, 64, len)) {
			free(rec);
			rec = NULL;
		} else {
			memset(rec->mem, 0, len);
		}
	}

	pthread_mutex_lock(&dev->lock);
	if (in_budget && (!rec || rec->kind == MEM_MALLOC))
		dev->dev_mem_used -= len;
	if (rec && rec->kind == MEM_MALLOC && !dev->dev_mem_logged) {
		dev->dev_mem_logged = true;
		prm_dbg(dev->params,
			"%s: no usbfs device memory for a %zu-byte block (%s): malloc'd, usbfs "
			"will copy; raising usbcore.usbfs_memory_mb helps\n",
			dev->uri, len,
			in_budget ? "the kernel refused it" : "half of usbfs_memory_mb in use");
	}
	if (rec) {
		rec->next = dev->blocks;
		dev->blocks = rec;
	}
	pthread_mutex_unlock(&dev->lock);

	if (rec && iio_usb_stats_wanted())
		fprintf(stderr, "usb-stats: block of %zu bytes: %s\n", len, kind_names[rec->kind]);
	return rec ? rec->mem : NULL;
}

void iio_usb_block_mem_free(struct iio_usb_device *dev, void *mem)
{
	struct iio_usb_block_mem **link, *rec = NULL;

	if (!mem)
		return;
	pthread_mutex_lock(&dev->lock);
	for (link = &dev->blocks; *link; link = &(*link)->next) {
		if ((*link)->mem == mem) {
			rec = *link;
			*link = rec->next;
			if (rec->kind != MEM_MALLOC)
				dev->dev_mem_used -= rec->len;
			break;
		}
	}
	pthread_mutex_unlock(&dev->lock);
	if (!rec)
		return;
	switch (rec->kind) {
	case MEM_PIECES:
		munmap(rec->map, rec->map_len);
		break;
	case MEM_LIBUSB:
		libusb_dev_mem_free(dev->hdl, rec->mem, rec->len);
		break;
	default:
		free(rec->mem);
		break;
	}
	free(rec);
}

void iio_usb_block_mem_free_all(struct iio_usb_device *dev)
{
	while (dev->blocks)
		iio_usb_block_mem_free(dev, dev->blocks->mem);
}
