// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * usb: backend pieces without a device: URIs, scan filters, libusb status and
 * error mapping, endpoint-layout validation, pipe bookkeeping.
 */
#include "check.h"
#include "usb/usb.h"

static const struct iio_context_params quiet = { .log_level = LEVEL_NOLOG };

static void test_uris(void)
{
	struct iio_usb_uri uri;

	CHECK_INT(iio_usb_parse_uri(&quiet, "", &uri), 0);
	CHECK(uri.scan);
	CHECK_INT(iio_usb_parse_uri(&quiet, NULL, &uri), 0);
	CHECK(uri.scan);

	CHECK_INT(iio_usb_parse_uri(&quiet, "1.23", &uri), 0);
	CHECK(!uri.scan);
	CHECK_INT(uri.bus, 1);
	CHECK_INT(uri.address, 23);
	CHECK_INT(uri.intf, 0);

	CHECK_INT(iio_usb_parse_uri(&quiet, "3.255.5", &uri), 0);
	CHECK_INT(uri.bus, 3);
	CHECK_INT(uri.address, 255);
	CHECK_INT(uri.intf, 5);
	CHECK_INT(iio_usb_parse_uri(&quiet, "001.002.000", &uri), 0);
	CHECK_INT(uri.address, 2);

	/* Everything else is refused, including the VID:PID form that only scans know. */
	static const char *const bad[] = {
		"1", "1.", ".1", "1..2", "1.2.", "1.2.3.4", "256.1", "1.256", "1.2.256", "-1.2",
		"+1.2", " 1.2", "1.2 ", "0x1.2", "a.b", "0456:b673", "1.2:3", "1,2",
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		if (iio_usb_parse_uri(&quiet, bad[i], &uri) != -EINVAL) {
			fprintf(stderr, "URI 'usb:%s' was accepted\n", bad[i]);
			exit(1);
		}
	}
}

static void test_filters(void)
{
	struct iio_usb_filter f;

	CHECK_INT(iio_usb_parse_filter(&quiet, NULL, &f), 0);
	CHECK(iio_usb_filter_match(&f, 0x1234, 0x5678));
	CHECK_INT(iio_usb_parse_filter(&quiet, "", &f), 0);
	CHECK(iio_usb_filter_match(&f, 0, 0));

	CHECK_INT(iio_usb_parse_filter(&quiet, "0456:b673", &f), 0);
	CHECK(!f.any_vid && !f.any_pid);
	CHECK_INT(f.vid, 0x0456);
	CHECK_INT(f.pid, 0xb673);
	CHECK(iio_usb_filter_match(&f, 0x0456, 0xb673));
	CHECK(!iio_usb_filter_match(&f, 0x0456, 0xb672));
	CHECK(!iio_usb_filter_match(&f, 0x0457, 0xb673));

	CHECK_INT(iio_usb_parse_filter(&quiet, "0x0456:0XB673", &f), 0);
	CHECK_INT(f.pid, 0xb673);
	CHECK_INT(iio_usb_parse_filter(&quiet, "456:*", &f), 0);
	CHECK(f.any_pid);
	CHECK(iio_usb_filter_match(&f, 0x0456, 0x0001));
	CHECK(!iio_usb_filter_match(&f, 0x0455, 0x0001));
	CHECK_INT(iio_usb_parse_filter(&quiet, "ffff:ffff", &f), 0);

	static const char *const bad[] = {
		"0456", "0456:", ":b673", "10000:1", "1:10000", "0x:1", "g:1", "1:*x",
		"1:2:3", "*:1", "1 :2", "0456:b673,ip",
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		if (iio_usb_parse_filter(&quiet, bad[i], &f) != -EINVAL) {
			fprintf(stderr, "filter 'usb=%s' was accepted\n", bad[i]);
			exit(1);
		}
		/* A refused filter leaves nothing half-parsed behind. */
		CHECK(f.any_vid);
	}
}

static void test_status_mapping(void)
{
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_COMPLETED), 0);
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_TIMED_OUT), -110);
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_STALL), -32);
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_NO_DEVICE), -19);
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_CANCELLED), -9);
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_ERROR), -5);
	CHECK_INT(iio_usb_status_to_errno(LIBUSB_TRANSFER_OVERFLOW), -5);

	CHECK_INT(iio_usb_error_to_errno(LIBUSB_SUCCESS), 0);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_INVALID_PARAM), -22);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_ACCESS), -13);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_NO_DEVICE), -19);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_NOT_FOUND), -6);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_BUSY), -16);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_TIMEOUT), -110);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_PIPE), -32);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_INTERRUPTED), -4);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_NO_MEM), -12);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_NOT_SUPPORTED), -38);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_IO), -5);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_OVERFLOW), -5);
	CHECK_INT(iio_usb_error_to_errno(LIBUSB_ERROR_OTHER), -5);
}

static struct libusb_endpoint_descriptor ep(uint8_t address, uint8_t type, uint16_t mps)
{
	return (struct libusb_endpoint_descriptor){
		.bLength = 7, .bDescriptorType = LIBUSB_DT_ENDPOINT, .bEndpointAddress = address,
		.bmAttributes = type, .wMaxPacketSize = mps,
	};
}

static void test_layout(void)
{
	struct libusb_endpoint_descriptor eps[8];
	struct libusb_interface_descriptor d = { .endpoint = eps };
	struct iio_usb_pipe_eps pipes[IIO_USB_MAX_PIPES];

	/* iiod's layout (usb.md §1.1): IN 0x81, OUT 0x01, IN 0x82, OUT 0x02, ... */
	for (unsigned int p = 0; p < 3; p++) {
		eps[2 * p] = ep(0x81 + p, LIBUSB_TRANSFER_TYPE_BULK, 512);
		eps[2 * p + 1] = ep(0x01 + p, LIBUSB_TRANSFER_TYPE_BULK, 512);
	}
	d.bNumEndpoints = 6;
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), 3);
	CHECK_INT(pipes[0].in, 0x81);
	CHECK_INT(pipes[0].out, 0x01);
	CHECK_INT(pipes[2].in, 0x83);
	CHECK_INT(pipes[2].out, 0x03);
	CHECK_INT(pipes[1].in_max_packet, 512);

	/* Hosts must not rely on numbers: any addresses in the right directions do. */
	eps[0] = ep(0x85, LIBUSB_TRANSFER_TYPE_BULK, 1024);
	eps[1] = ep(0x07, LIBUSB_TRANSFER_TYPE_BULK, 1024);
	d.bNumEndpoints = 2;
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), 1);
	CHECK_INT(pipes[0].in, 0x85);
	CHECK_INT(pipes[0].in_max_packet, 1024);

	/* High-bandwidth bits of wMaxPacketSize are not part of the size. */
	eps[0] = ep(0x81, LIBUSB_TRANSFER_TYPE_BULK, 0x1800 | 512);
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), 1);
	CHECK_INT(pipes[0].in_max_packet, 512);

	/* Odd count, none, OUT first, interrupt endpoint, zero packet size. */
	d.bNumEndpoints = 3;
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), -EINVAL);
	d.bNumEndpoints = 0;
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), -EINVAL);
	d.bNumEndpoints = 2;
	eps[0] = ep(0x01, LIBUSB_TRANSFER_TYPE_BULK, 512);
	eps[1] = ep(0x81, LIBUSB_TRANSFER_TYPE_BULK, 512);
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), -EINVAL);
	eps[0] = ep(0x81, LIBUSB_TRANSFER_TYPE_INTERRUPT, 512);
	eps[1] = ep(0x01, LIBUSB_TRANSFER_TYPE_BULK, 512);
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), -EINVAL);
	eps[0] = ep(0x81, LIBUSB_TRANSFER_TYPE_BULK, 0);
	CHECK_INT(iio_usb_pipes_from_interface(&d, pipes, IIO_USB_MAX_PIPES), -EINVAL);
}

static void test_pipe_map(void)
{
	struct iio_usb_pipe_map map = { .nb_pipes = 3, .used = 1 };

	/* iiod's default 3 pipes: pipe 0 is the context's, so two buffers at once. */
	CHECK_INT(iio_usb_pipe_map_reserve(&map), 1);
	CHECK_INT(iio_usb_pipe_map_reserve(&map), 2);
	CHECK_INT(iio_usb_pipe_map_reserve(&map), -EBUSY);
	iio_usb_pipe_map_release(&map, 1);
	CHECK_INT(iio_usb_pipe_map_reserve(&map), 1);
	iio_usb_pipe_map_release(&map, 2);
	iio_usb_pipe_map_release(&map, 1);
	CHECK_INT(map.used, 1);

	/* A single-pipe gadget has no room for buffers at all. */
	map = (struct iio_usb_pipe_map){ .nb_pipes = 1, .used = 1 };
	CHECK_INT(iio_usb_pipe_map_reserve(&map), -EBUSY);

	map = (struct iio_usb_pipe_map){ .nb_pipes = 32, .used = 1 };
	for (int i = 1; i < 32; i++)
		CHECK_INT(iio_usb_pipe_map_reserve(&map), i);
	CHECK_INT(iio_usb_pipe_map_reserve(&map), -EBUSY);
}

static void test_backend_registered(void)
{
	struct iio_context *ctx;

	CHECK(iio_has_backend(NULL, "usb"));
	/* A malformed URI fails before any USB access, with -EINVAL. */
	ctx = iio_create_context(&quiet, "usb:1.2.3.4");
	CHECK_INT(iio_err(ctx), -EINVAL);
	ctx = iio_create_context(&quiet, "usb:0456:b673");
	CHECK_INT(iio_err(ctx), -EINVAL);
}

int main(void)
{
	test_uris();
	test_filters();
	test_status_mapping();
	test_layout();
	test_pipe_map();
	test_backend_registered();
	printf("test-usb-parse: ok\n");
	return 0;
}
