/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few Linux uAPI definitions the bare test programs need, declared here so that
 * they build without the build machine's kernel headers being recent enough:
 * FunctionFS descriptors, events and DMABUF ioctls, IIO buffer ioctls, dma-heap.
 * Layouts and numbers are those of the asm-generic ioctl encoding (x86, arm, arm64).
 */
#ifndef BARE_UAPI_H
#define BARE_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

/* ---- FunctionFS (ep0 blobs, events, DMABUF ioctls on endpoint files) ---- */

#define FFS_DESCRIPTORS_MAGIC_V2 3
#define FFS_STRINGS_MAGIC 2
#define FFS_HAS_FS_DESC 1
#define FFS_HAS_HS_DESC 2
#define FFS_HAS_SS_DESC 4

struct ffs_descs_head_v2 {
	uint32_t magic;
	uint32_t length;
	uint32_t flags;
} __attribute__((packed));

struct usb_iface_desc {
	uint8_t bLength;
	uint8_t bDescriptorType;
	uint8_t bInterfaceNumber;
	uint8_t bAlternateSetting;
	uint8_t bNumEndpoints;
	uint8_t bInterfaceClass;
	uint8_t bInterfaceSubClass;
	uint8_t bInterfaceProtocol;
	uint8_t iInterface;
} __attribute__((packed));

struct usb_ep_desc_noaudio {
	uint8_t bLength;
	uint8_t bDescriptorType;
	uint8_t bEndpointAddress;
	uint8_t bmAttributes;
	uint16_t wMaxPacketSize;
	uint8_t bInterval;
} __attribute__((packed));

struct usb_ss_comp_desc {
	uint8_t bLength;
	uint8_t bDescriptorType;
	uint8_t bMaxBurst;
	uint8_t bmAttributes;
	uint16_t wBytesPerInterval;
} __attribute__((packed));

#define USB_DT_INTERFACE 4
#define USB_DT_ENDPOINT 5
#define USB_DT_SS_EP_COMP 0x30
#define USB_DIR_IN 0x80
#define USB_XFER_BULK 2
#define USB_CLASS_VENDOR 0xff

/* 12-byte event read from ep0 */
struct ffs_event {
	uint8_t bRequestType;
	uint8_t bRequest;
	uint16_t wValue;
	uint16_t wIndex;
	uint16_t wLength;
	uint8_t type;
	uint8_t pad[3];
} __attribute__((packed));

enum {
	FFS_EV_BIND = 0,
	FFS_EV_UNBIND = 1,
	FFS_EV_ENABLE = 2,
	FFS_EV_DISABLE = 3,
	FFS_EV_SETUP = 4,
	FFS_EV_SUSPEND = 5,
	FFS_EV_RESUME = 6,
};

struct ffs_dmabuf_transfer {
	int32_t fd;
	uint32_t flags;
	uint64_t length;
} __attribute__((packed));

#define FFS_DMABUF_ATTACH _IOW('g', 131, int)
#define FFS_DMABUF_DETACH _IOW('g', 132, int)
#define FFS_DMABUF_TRANSFER _IOW('g', 133, struct ffs_dmabuf_transfer)

/* ---- IIO buffer ioctls (on /dev/iio:deviceN, then on the buffer fd) ---- */

struct iio_dmabuf_req {
	int32_t fd;
	uint32_t flags;
	uint64_t bytes_used;
};

#define IIO_BUF_GET_FD _IOWR('i', 0x91, int)
#define IIO_BUF_DMABUF_ATTACH _IOW('i', 0x92, int)
#define IIO_BUF_DMABUF_DETACH _IOW('i', 0x93, int)
#define IIO_BUF_DMABUF_ENQUEUE _IOW('i', 0x94, struct iio_dmabuf_req)

/* ---- dma-heap and dma-buf ---- */

struct dma_heap_alloc {
	uint64_t len;
	uint32_t fd;
	uint32_t fd_flags;
	uint64_t heap_flags;
};

#define DMA_HEAP_ALLOC _IOWR('H', 0, struct dma_heap_alloc)

_Static_assert(FFS_DMABUF_ATTACH == 0x40046783, "FunctionFS ATTACH number");
_Static_assert(FFS_DMABUF_DETACH == 0x40046784, "FunctionFS DETACH number");
_Static_assert(FFS_DMABUF_TRANSFER == 0x40106785, "FunctionFS TRANSFER number");
_Static_assert(IIO_BUF_GET_FD == 0xC0046991, "IIO GET_FD number");
_Static_assert(IIO_BUF_DMABUF_ATTACH == 0x40046992, "IIO ATTACH number");
_Static_assert(IIO_BUF_DMABUF_DETACH == 0x40046993, "IIO DETACH number");
_Static_assert(IIO_BUF_DMABUF_ENQUEUE == 0x40106994, "IIO ENQUEUE number");
_Static_assert(DMA_HEAP_ALLOC == 0xC0184800, "dma-heap ALLOC number");

#endif
