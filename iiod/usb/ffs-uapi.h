/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The FunctionFS and USB chapter-9 pieces of the Linux uAPI that iiod uses,
 * declared here so that the build does not depend on the build machine's
 * kernel headers (FunctionFS DMABUF needs Linux >= 6.9 headers).
 * Numbers and layouts are those of the kernel's generic ioctl encoding.
 */
#ifndef IIOD_USB_FFS_UAPI_H
#define IIOD_USB_FFS_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

/* Descriptor and string blob magics, and the v2 header flags. */
#define FFS_DESCRIPTORS_MAGIC_V2 3
#define FFS_STRINGS_MAGIC 2
#define FFS_HAS_FS_DESC 1
#define FFS_HAS_HS_DESC 2
#define FFS_HAS_SS_DESC 4
#define FFS_HAS_MS_OS_DESC 8

/* Events read from ep0: 8-byte setup packet, type, 3 pad bytes. */
enum ffs_event_type {
	FFS_EVENT_BIND = 0,
	FFS_EVENT_UNBIND = 1,
	FFS_EVENT_ENABLE = 2,
	FFS_EVENT_DISABLE = 3,
	FFS_EVENT_SETUP = 4,
	FFS_EVENT_SUSPEND = 5,
	FFS_EVENT_RESUME = 6,
};

struct ffs_setup_packet {
	uint8_t bRequestType;
	uint8_t bRequest;
	uint16_t wValue; /* little endian on the wire; x86/arm hosts are LE */
	uint16_t wIndex;
	uint16_t wLength;
} __attribute__((packed));

struct ffs_event {
	struct ffs_setup_packet setup;
	uint8_t type;
	uint8_t pad[3];
} __attribute__((packed));

_Static_assert(sizeof(struct ffs_event) == 12, "FunctionFS events are 12 bytes");

/* Chapter 9 constants. */
#define USB_DT_INTERFACE 4
#define USB_DT_ENDPOINT 5
#define USB_DT_SS_ENDPOINT_COMP 0x30
#define USB_DIR_IN 0x80
#define USB_ENDPOINT_XFER_BULK 2
#define USB_CLASS_VENDOR_SPEC 0xff
#define USB_TYPE_MASK 0x60
#define USB_TYPE_VENDOR 0x40

/* Discards what the controller holds for the endpoint (where the UDC supports it). */
#define FUNCTIONFS_FIFO_FLUSH _IO('g', 2)

/* FunctionFS DMABUF ioctls (Linux >= 6.9), on data endpoint files. */
struct ffs_dmabuf_transfer_req {
	int32_t fd;
	uint32_t flags;
	uint64_t length;
} __attribute__((packed));

_Static_assert(sizeof(struct ffs_dmabuf_transfer_req) == 16, "transfer request is 16 bytes");

#define FUNCTIONFS_DMABUF_ATTACH _IOW('g', 131, int)
#define FUNCTIONFS_DMABUF_DETACH _IOW('g', 132, int)
#define FUNCTIONFS_DMABUF_TRANSFER _IOW('g', 133, struct ffs_dmabuf_transfer_req)

#endif /* IIOD_USB_FFS_UAPI_H */
