// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * FunctionFS descriptor blobs. Differences from upstream iiod, on purpose:
 * the interface class is vendor-specific (0xff) rather than CDC (0x02), the
 * SuperSpeed companions carry a non-zero burst so that SuperSpeed controllers
 * stream, and a WinUSB compatible ID can be added. Hosts find the interface
 * by its string "IIO", as upstream's do, so stock hosts are unaffected.
 */
#include "ffs-descriptors.h"
#include "ffs-uapi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct blob {
	uint8_t *data;
	size_t len;
};

static void put8(struct blob *b, uint8_t v)
{
	b->data[b->len++] = v;
}

static void put16(struct blob *b, uint16_t v)
{
	put8(b, v & 0xff);
	put8(b, v >> 8);
}

static void put32(struct blob *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

static void put_interface(struct blob *b, unsigned int nb_pipes)
{
	put8(b, 9); /* bLength */
	put8(b, USB_DT_INTERFACE);
	put8(b, 0);			  /* bInterfaceNumber: FunctionFS renumbers */
	put8(b, 0);			  /* bAlternateSetting */
	put8(b, (uint8_t)(2 * nb_pipes)); /* bNumEndpoints */
	put8(b, USB_CLASS_VENDOR_SPEC);
	put8(b, 0); /* bInterfaceSubClass */
	put8(b, 0); /* bInterfaceProtocol */
	put8(b, 1); /* iInterface: "IIO" */
}

static void put_endpoint(struct blob *b, uint8_t address, uint16_t max_packet)
{
	put8(b, 7);
	put8(b, USB_DT_ENDPOINT);
	put8(b, address);
	put8(b, USB_ENDPOINT_XFER_BULK);
	put16(b, max_packet);
	put8(b, 0); /* bInterval */
}

static void put_ss_companion(struct blob *b, unsigned int max_burst)
{
	put8(b, 6);
	put8(b, USB_DT_SS_ENDPOINT_COMP);
	put8(b, (uint8_t)max_burst);
	put8(b, 0);  /* bmAttributes: no streams */
	put16(b, 0); /* wBytesPerInterval: bulk */
}

static void put_speed(struct blob *b, unsigned int nb_pipes, uint16_t max_packet, bool ss,
		      unsigned int max_burst)
{
	unsigned int p;

	put_interface(b, nb_pipes);
	for (p = 0; p < nb_pipes; p++) {
		put_endpoint(b, (uint8_t)(USB_DIR_IN | (p + 1)), max_packet);
		if (ss)
			put_ss_companion(b, max_burst);
		put_endpoint(b, (uint8_t)(p + 1), max_packet);
		if (ss)
			put_ss_companion(b, max_burst);
	}
}

/* Microsoft OS extended compat ID descriptor for interface 0: "WINUSB". */
static void put_winusb(struct blob *b)
{
	static const char compat_id[8] = "WINUSB";

	put8(b, 0);	   /* interface the OS descriptor applies to */
	put32(b, 11 + 24); /* dwLength: FunctionFS's 11-byte header + the entry */
	put16(b, 0x0100);  /* bcdVersion */
	put16(b, 4);	   /* wIndex: extended compat ID */
	put8(b, 1);	   /* bCount */
	put8(b, 0);	   /* reserved */
	put8(b, 0);	   /* bFirstInterfaceNumber */
	put8(b, 1);	   /* reserved, must be 1 */
	memcpy(&b->data[b->len], compat_id, 8);
	b->len += 8;
	memset(&b->data[b->len], 0, 8 + 6); /* sub-compatible ID, reserved */
	b->len += 14;
}

int ffs_build_descriptors(const struct ffs_descriptor_options *opts, uint8_t **out, size_t *out_len)
{
	unsigned int n = opts->nb_pipes;
	uint32_t flags = FFS_HAS_FS_DESC | FFS_HAS_HS_DESC | FFS_HAS_SS_DESC;
	size_t size;
	struct blob b = {0};

	if (n < 1 || n > FFS_MAX_PIPES || opts->ss_max_burst > 15)
		return -EINVAL;

	size = 12 + 12 + 27 + 54 * n;
	if (opts->winusb) {
		flags |= FFS_HAS_MS_OS_DESC;
		size += 4 + 11 + 24;
	}
	b.data = calloc(1, size);
	if (!b.data)
		return -ENOMEM;

	put32(&b, FFS_DESCRIPTORS_MAGIC_V2);
	put32(&b, (uint32_t)size);
	put32(&b, flags);
	put32(&b, 2 * n + 1); /* full speed: interface + endpoints */
	put32(&b, 2 * n + 1); /* high speed */
	put32(&b, 4 * n + 1); /* super speed: endpoints + companions */
	if (opts->winusb)
		put32(&b, 1); /* one OS descriptor */

	put_speed(&b, n, 64, false, 0);
	put_speed(&b, n, 512, false, 0);
	put_speed(&b, n, 1024, true, opts->ss_max_burst);
	if (opts->winusb)
		put_winusb(&b);

	*out = b.data;
	*out_len = b.len;
	return 0;
}

int ffs_build_strings(uint8_t **out, size_t *out_len)
{
	static const char iio[] = "IIO";
	size_t size = 16 + 2 + sizeof(iio);
	struct blob b;

	b.data = calloc(1, size);
	if (!b.data)
		return -ENOMEM;
	b.len = 0;
	put32(&b, FFS_STRINGS_MAGIC);
	put32(&b, (uint32_t)size);
	put32(&b, 1);	   /* str_count */
	put32(&b, 1);	   /* lang_count */
	put16(&b, 0x0409); /* US English */
	memcpy(&b.data[b.len], iio, sizeof(iio));
	b.len += sizeof(iio);

	*out = b.data;
	*out_len = b.len;
	return 0;
}
