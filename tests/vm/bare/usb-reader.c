// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usb-reader: host side of the bare kernel chain (libusb-1.0, no libiio).
 *
 * Finds the device (VID/PID), the interface whose string descriptor is "IIO", claims
 * it, keeps N asynchronous bulk IN transfers in flight on its IN endpoint and checks
 * every 16-bit little-endian word of the stream against the counter
 * word[n] = n & 0xffff (n from 0).  With -w it writes that counter to the bulk OUT
 * endpoint instead (the gadget side feeds it to the simulated DAC, which checks it).
 * Prints one line:
 *   HOST bytes=N secs=S mibs=M cpu_s=C errors=E first_error_word=W integrity=ok|BAD
 * With -H BLOCK it expects what iiod sends: an 8-byte header before every BLOCK bytes
 * (ffs-stream -H), read with a transfer of one packet, then the block in transfers of
 * at most XFER bytes, all queued in stream order (the transfer pattern of the usb:
 * backend's RX fast path). Headers are not checked beyond their length.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <endian.h>
#include <libusb.h>

#include "common.h"

static uint16_t vid = 0x0456, pid = 0xb671;
static unsigned int xfer_size = 1 << 20;
static unsigned int inflight = 4;
static unsigned long long total = 256ULL << 20;
static unsigned int timeout_ms = 20000;
static bool use_dev_mem = true;
static bool write_mode;
static unsigned long long hdr_block;	/* -H: data bytes per header; 0: no headers */
static unsigned long long blk_left;	/* data bytes of the current block not yet queued */
static unsigned int max_packet = 1024;
static unsigned long long headers;

static unsigned long long received, submitted;
static unsigned long long words, errors;
static long long first_error = -1;
static uint16_t expect;
static int carry = -1;	/* odd byte left over from the previous transfer */
static int active;
static int failed;

static void check_word(uint16_t w)
{
	if (w != expect) {
		if (first_error < 0)
			first_error = words;
		errors++;
		expect = w;	/* resynchronise: count one error per discontinuity */
	}
	expect++;
	words++;
}

/* Two periods of the counter, so any 64K-word window starting at any phase is contiguous. */
static uint16_t pattern[2 * 65536];

static void check_slow(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		check_word(p[i] | (p[i + 1] << 8));
}

/*
 * Check the bytes of one transfer.  The common case (stream intact, even offsets) is
 * a memcmp() against the precomputed counter, which costs far less guest CPU under
 * emulation than a per-word loop; any difference is located word by word.
 */
static void check(const uint8_t *p, size_t len)
{
	if (carry >= 0 && len) {
		check_word(carry | (p[0] << 8));
		carry = -1;
		p++;
		len--;
	}
	while (len >= 2) {
		size_t n = len & ~(size_t)1;

		if (n > 65536 * 2)
			n = 65536 * 2;
		if (!memcmp(p, &pattern[expect], n)) {
			expect += n / 2;
			words += n / 2;
		} else {
			check_slow(p, n);
		}
		p += n;
		len -= n;
	}
	if (len)
		carry = p[0];
}

/* The next element of the stream into t (header or data); false when all is queued. */
static bool plan_next(struct libusb_transfer *t)
{
	unsigned long long left = total - submitted;

	if (!left)
		return false;
	if (hdr_block && !blk_left) {
		t->length = (int)max_packet;
		t->user_data = &headers;	/* marks a header transfer */
		blk_left = left < hdr_block ? left : hdr_block;
		return true;
	}
	if (hdr_block && left > blk_left)
		left = blk_left;
	t->length = left < xfer_size ? (int)left : (int)xfer_size;
	t->user_data = NULL;
	submitted += t->length;
	if (hdr_block)
		blk_left -= t->length;
	return true;
}

static void LIBUSB_CALL on_done(struct libusb_transfer *t)
{
	active--;
	if (t->status != LIBUSB_TRANSFER_COMPLETED) {
		fprintf(stderr, "usb-reader: transfer failed: %s\n",
			libusb_error_name(t->status == LIBUSB_TRANSFER_TIMED_OUT ?
					  LIBUSB_ERROR_TIMEOUT : LIBUSB_ERROR_IO));
		failed = 1;
		return;
	}
	if (t->user_data == &headers) {
		if (t->actual_length != 8) {
			fprintf(stderr, "usb-reader: header transfer %llu got %d bytes\n",
				headers, t->actual_length);
			failed = 1;
		}
		headers++;
	} else {
		if (!write_mode)
			check(t->buffer, t->actual_length);
		else if (t->actual_length != t->length)
			failed = 1;
		received += t->actual_length;
	}

	if (!failed && plan_next(t)) {
		if (libusb_submit_transfer(t) == 0)
			active++;
		else
			failed = 1;
	}
}

static int find_iio_interface(libusb_device_handle *h, int *ifnum, unsigned char *ep,
			      unsigned char dir)
{
	libusb_device *dev = libusb_get_device(h);
	struct libusb_config_descriptor *cfg;
	int i, a, e, ret = -1;

	if (libusb_get_active_config_descriptor(dev, &cfg))
		return -1;
	for (i = 0; i < cfg->bNumInterfaces && ret; i++) {
		for (a = 0; a < cfg->interface[i].num_altsetting && ret; a++) {
			const struct libusb_interface_descriptor *d =
				&cfg->interface[i].altsetting[a];
			unsigned char s[64];

			if (!d->iInterface ||
			    libusb_get_string_descriptor_ascii(h, d->iInterface, s, sizeof(s)) < 0 ||
			    strcmp((char *)s, "IIO"))
				continue;
			for (e = 0; e < d->bNumEndpoints; e++) {
				const struct libusb_endpoint_descriptor *ed = &d->endpoint[e];

				if ((ed->bEndpointAddress & LIBUSB_ENDPOINT_IN) == dir &&
				    (ed->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_BULK) {
					*ifnum = d->bInterfaceNumber;
					*ep = ed->bEndpointAddress;
					ret = 0;
					break;
				}
			}
		}
	}
	libusb_free_config_descriptor(cfg);
	return ret;
}

int main(int argc, char **argv)
{
	struct libusb_transfer *xfers[64];
	libusb_device_handle *h;
	unsigned char ep = 0;
	int ifnum = -1, c, r;
	unsigned int i;
	double t0, c0, secs, cpu;

	while ((c = getopt(argc, argv, "v:p:s:n:b:t:MwH:")) != -1) {
		switch (c) {
		case 'v': vid = strtoul(optarg, NULL, 0); break;
		case 'p': pid = strtoul(optarg, NULL, 0); break;
		case 's': xfer_size = strtoul(optarg, NULL, 0); break;
		case 'n': inflight = atoi(optarg); break;
		case 'b': total = strtoull(optarg, NULL, 0); break;
		case 't': timeout_ms = atoi(optarg); break;
		case 'M': use_dev_mem = false; break;
		case 'w': write_mode = true; break;
		case 'H': hdr_block = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: usb-reader [-v VID] [-p PID] [-s XFER_BYTES] "
				"[-n INFLIGHT] [-b TOTAL_BYTES] [-t TIMEOUT_MS] [-M] [-w] [-H BLOCK]\n"
				"  -M  plain malloc'd buffers instead of usbfs device memory\n"
				"  -w  write the counter to the OUT endpoint instead of reading\n"
				"  -H  an 8-byte header precedes every BLOCK bytes (ffs-stream -H)\n");
			return 2;
		}
	}
	if (!inflight || inflight > 64 || !xfer_size)
		return 2;
	if (hdr_block && write_mode) {
		fprintf(stderr, "usb-reader: -H is for reading\n");
		return 2;
	}
	/* every OUT transfer then starts at counter phase 0 and carries the same bytes */
	if (write_mode && xfer_size % (2 * 65536)) {
		fprintf(stderr, "usb-reader: -w needs a transfer size multiple of 128 KiB\n");
		return 2;
	}

	for (i = 0; i < 2 * 65536; i++)
		pattern[i] = (uint16_t)htole16((uint16_t)i);

	r = libusb_init(NULL);
	if (r) {
		fprintf(stderr, "usb-reader: libusb_init: %s\n", libusb_error_name(r));
		return 1;
	}
	h = libusb_open_device_with_vid_pid(NULL, vid, pid);
	if (!h) {
		fprintf(stderr, "usb-reader: device %04x:%04x not found\n", vid, pid);
		return 1;
	}
	if (find_iio_interface(h, &ifnum, &ep, write_mode ? LIBUSB_ENDPOINT_OUT :
						      LIBUSB_ENDPOINT_IN)) {
		fprintf(stderr, "usb-reader: no interface with string \"IIO\"\n");
		return 1;
	}
	libusb_set_auto_detach_kernel_driver(h, 1);
	r = libusb_claim_interface(h, ifnum);
	if (r) {
		fprintf(stderr, "usb-reader: claim interface %d: %s\n", ifnum,
			libusb_error_name(r));
		return 1;
	}
	fprintf(stderr, "usb-reader: interface %d, endpoint 0x%02x\n", ifnum, ep);

	t0 = now_s();
	c0 = cpu_s();
	for (i = 0; i < inflight && submitted < total; i++) {
		unsigned char *buf = use_dev_mem ? libusb_dev_mem_alloc(h, xfer_size) : NULL;

		if (!buf) {
			if (use_dev_mem && i == 0)
				fprintf(stderr, "usb-reader: no usbfs device memory, using malloc\n");
			buf = malloc(xfer_size);
		}
		if (write_mode) {
			unsigned int w;

			for (w = 0; w < xfer_size; w += 2 * 65536)
				memcpy(buf + w, pattern, 2 * 65536);
		}
		xfers[i] = libusb_alloc_transfer(0);
		libusb_fill_bulk_transfer(xfers[i], h, ep, buf, 0, on_done, NULL, timeout_ms);
		plan_next(xfers[i]);
		r = libusb_submit_transfer(xfers[i]);
		if (r) {
			fprintf(stderr, "usb-reader: submit: %s\n", libusb_error_name(r));
			return 1;
		}
		active++;
	}
	while (active > 0) {
		r = libusb_handle_events(NULL);
		if (r && r != LIBUSB_ERROR_INTERRUPTED) {
			fprintf(stderr, "usb-reader: handle_events: %s\n", libusb_error_name(r));
			failed = 1;
			break;
		}
	}
	secs = now_s() - t0;
	cpu = cpu_s() - c0;

	printf("HOST dir=%s bytes=%llu secs=%.3f mibs=%.1f cpu_s=%.3f errors=%llu first_error_word=%lld "
	       "integrity=%s\n", write_mode ? "out" : "in", received, secs, received / 1048576.0 / secs, cpu, errors,
	       first_error, (!failed && !errors && received == total) ? "ok" : "BAD");
	fflush(stdout);
	libusb_release_interface(h, ifnum);
	libusb_close(h);
	return (!failed && !errors && received == total) ? 0 : 1;
}
