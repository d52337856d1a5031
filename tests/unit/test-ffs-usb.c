// SPDX-License-Identifier: LGPL-2.1-or-later
/* iiod's FunctionFS blobs (usb.md §1) and the ep0 request dispatch (usb.md §2). */
#include "check.h"
#include "ffs-control.h"
#include "ffs-descriptors.h"

#include <endian.h>
#include <errno.h>
#include <stdint.h>

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Checks one speed's descriptor set starting at p; returns the bytes it spans. */
static size_t check_speed(const uint8_t *p, unsigned int n, uint16_t max_packet, bool ss,
			  unsigned int burst)
{
	const uint8_t *start = p;
	unsigned int i;

	CHECK_INT(p[0], 9);
	CHECK_INT(p[1], 4); /* interface */
	CHECK_INT(p[2], 0);
	CHECK_INT(p[3], 0);
	CHECK_INT(p[4], 2 * n); /* bNumEndpoints */
	CHECK_INT(p[5], 0xff);	/* vendor specific (upstream: 0x02, a defect) */
	CHECK_INT(p[6], 0);
	CHECK_INT(p[7], 0);
	CHECK_INT(p[8], 1); /* iInterface -> "IIO" */
	p += 9;
	for (i = 0; i < 2 * n; i++) {
		CHECK_INT(p[0], 7);
		CHECK_INT(p[1], 5); /* endpoint */
		CHECK_INT(p[2], (i % 2 == 0 ? 0x80 : 0) | (i / 2 + 1));
		CHECK_INT(p[3], 2); /* bulk */
		CHECK_INT(le16(p + 4), max_packet);
		CHECK_INT(p[6], 0);
		p += 7;
		if (ss) {
			CHECK_INT(p[0], 6);
			CHECK_INT(p[1], 0x30);
			CHECK_INT(p[2], burst);
			CHECK_INT(p[3], 0);
			CHECK_INT(le16(p + 4), 0);
			p += 6;
		}
	}
	return (size_t)(p - start);
}

static void test_descriptors(unsigned int n, unsigned int burst)
{
	struct ffs_descriptor_options opts = {.nb_pipes = n, .ss_max_burst = burst};
	uint8_t *blob;
	size_t len, off;

	CHECK_INT(ffs_build_descriptors(&opts, &blob, &len), 0);
	CHECK_INT(len, 51 + 54 * n);
	CHECK_INT(le32(blob), 3); /* FUNCTIONFS_DESCRIPTORS_MAGIC_V2 */
	CHECK_INT(le32(blob + 4), len);
	CHECK_INT(le32(blob + 8), 7); /* FS | HS | SS */
	CHECK_INT(le32(blob + 12), 2 * n + 1);
	CHECK_INT(le32(blob + 16), 2 * n + 1);
	CHECK_INT(le32(blob + 20), 4 * n + 1);
	off = 24;
	off += check_speed(blob + off, n, 64, false, 0);
	off += check_speed(blob + off, n, 512, false, 0);
	off += check_speed(blob + off, n, 1024, true, burst);
	CHECK_INT(off, len);
	free(blob);
}

static void test_winusb(void)
{
	struct ffs_descriptor_options opts = {.nb_pipes = 3, .ss_max_burst = 15, .winusb = true};
	uint8_t *blob, *os;
	size_t len;

	CHECK_INT(ffs_build_descriptors(&opts, &blob, &len), 0);
	CHECK_INT(len, 51 + 54 * 3 + 4 + 11 + 24);
	CHECK_INT(le32(blob + 4), len);
	CHECK_INT(le32(blob + 8), 15); /* + HAS_MS_OS_DESC */
	CHECK_INT(le32(blob + 24), 1); /* one OS descriptor */
	os = blob + len - 35;
	CHECK_INT(os[0], 0); /* interface */
	CHECK_INT(le32(os + 1), 35); /* what FunctionFS checks against: its header + 24 */
	CHECK_INT(le16(os + 5), 0x0100);
	CHECK_INT(le16(os + 7), 4); /* extended compat ID */
	CHECK_INT(os[9], 1);
	CHECK_INT(os[12], 1); /* reserved, must be 1 */
	CHECK(!memcmp(os + 13, "WINUSB\0\0", 8));
	free(blob);
}

static void test_bad_options(void)
{
	struct ffs_descriptor_options opts = {.nb_pipes = 0};
	uint8_t *blob;
	size_t len;

	CHECK_INT(ffs_build_descriptors(&opts, &blob, &len), -EINVAL);
	opts.nb_pipes = FFS_MAX_PIPES + 1;
	CHECK_INT(ffs_build_descriptors(&opts, &blob, &len), -EINVAL);
	opts.nb_pipes = 1;
	opts.ss_max_burst = 16;
	CHECK_INT(ffs_build_descriptors(&opts, &blob, &len), -EINVAL);
}

static void test_strings(void)
{
	static const uint8_t expected[22] = {
		2, 0, 0, 0, 22, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x09, 0x04, 'I', 'I', 'O', 0,
	};
	uint8_t *blob;
	size_t len;

	CHECK_INT(ffs_build_strings(&blob, &len), 0);
	CHECK_INT(len, sizeof(expected));
	CHECK(!memcmp(blob, expected, len));
	free(blob);
}

struct recorder {
	int resets, opens, closes, last_pipe, enabled, open_result;
};

static void rec_reset(void *d)
{
	((struct recorder *)d)->resets++;
}

static int rec_open(void *d, unsigned int pipe)
{
	struct recorder *r = d;

	r->opens++;
	r->last_pipe = (int)pipe;
	return r->open_result;
}

static void rec_close(void *d, unsigned int pipe)
{
	struct recorder *r = d;

	r->closes++;
	r->last_pipe = (int)pipe;
}

static void rec_enabled(void *d, bool enabled)
{
	((struct recorder *)d)->enabled = enabled;
}

static const struct ffs_control_ops rec_ops = {
	.reset_pipes = rec_reset,
	.open_pipe = rec_open,
	.close_pipe = rec_close,
	.set_enabled = rec_enabled,
};

static struct ffs_event setup(uint8_t type, uint8_t request, uint16_t value, uint16_t length)
{
	struct ffs_event ev = {.type = FFS_EVENT_SETUP};

	ev.setup.bRequestType = type;
	ev.setup.bRequest = request;
	ev.setup.wValue = htole16(value);
	ev.setup.wIndex = htole16(0);
	ev.setup.wLength = htole16(length);
	return ev;
}

static void test_dispatch(void)
{
	struct recorder r = {0};
	struct ffs_event ev;

	ev = setup(0x41, IIO_USB_RESET_PIPES, 0, 0);
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_ACK);
	CHECK_INT(r.resets, 1);

	ev = setup(0x41, IIO_USB_OPEN_PIPE, 2, 0);
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_ACK);
	CHECK_INT(r.opens, 1);
	CHECK_INT(r.last_pipe, 2);

	ev = setup(0x41, IIO_USB_OPEN_PIPE, 3, 0); /* no pipe 3 of 3 */
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_STALL);
	CHECK_INT(r.opens, 1);

	r.open_result = -EBUSY; /* endpoint open failed */
	ev = setup(0x41, IIO_USB_OPEN_PIPE, 1, 0);
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_STALL);
	CHECK_INT(r.opens, 2);

	ev = setup(0x41, IIO_USB_CLOSE_PIPE, 1, 0);
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_ACK);
	CHECK_INT(r.closes, 1);
	ev = setup(0x41, IIO_USB_CLOSE_PIPE, 7, 0);
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_STALL);
	CHECK_INT(r.closes, 1);

	ev = setup(0x41, 9, 0, 0); /* unknown vendor request */
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_STALL);
	ev = setup(0x01, IIO_USB_OPEN_PIPE, 0, 0); /* standard, not vendor */
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_STALL);
	ev = setup(0xc1, IIO_USB_OPEN_PIPE, 0, 4); /* with a data stage */
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_STALL);
	CHECK_INT(r.opens, 2);

	ev = (struct ffs_event){.type = FFS_EVENT_ENABLE};
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_NONE);
	CHECK_INT(r.enabled, 1);
	ev = (struct ffs_event){.type = FFS_EVENT_UNBIND};
	CHECK_INT(ffs_control_dispatch(&ev, 3, &rec_ops, &r), FFS_ANSWER_NONE);
	CHECK_INT(r.enabled, 0);
	CHECK_INT(r.resets, 2);
}

int main(void)
{
	test_descriptors(1, 0);
	test_descriptors(3, 0);
	test_descriptors(3, 15);
	test_descriptors(FFS_MAX_PIPES, 4);
	test_winusb();
	test_bad_options();
	test_strings();
	test_dispatch();
	return 0;
}
