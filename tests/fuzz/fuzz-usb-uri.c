// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The usb: backend's text parsers: what follows "usb:" in a URI
 * ("BUS.ADDR[.INTF]") and a scan string's filter ("usb=VID:PID", "VID:*").
 * The input is tried whole as both; an accepted one is printed in its
 * canonical form, which must parse to the same value.
 */
#include "fuzz.h"
#include "usb.h"

static void check_uri(const struct iio_context_params *params, const char *text)
{
	struct iio_usb_uri uri, again;
	char canon[32];

	if (iio_usb_parse_uri(params, text, &uri)) {
		FUZZ_CHECK(*text); /* "" is the scan URI, always accepted */
		return;
	}
	if (uri.scan) {
		FUZZ_CHECK(!*text);
		return;
	}
	if (uri.intf)
		snprintf(canon, sizeof(canon), "%u.%u.%u", uri.bus, uri.address, uri.intf);
	else
		snprintf(canon, sizeof(canon), "%u.%u", uri.bus, uri.address);
	FUZZ_CHECK(iio_usb_parse_uri(params, canon, &again) == 0);
	FUZZ_CHECK(!again.scan && again.bus == uri.bus && again.address == uri.address &&
		   again.intf == uri.intf);
}

static void check_filter(const struct iio_context_params *params, const char *text)
{
	struct iio_usb_filter filter, again;
	char canon[32];

	if (iio_usb_parse_filter(params, text, &filter)) {
		/* A refused filter matches everything (and the scan reports the error). */
		FUZZ_CHECK(filter.any_vid && filter.any_pid);
		return;
	}
	if (filter.any_vid) {
		FUZZ_CHECK(!*text);
		return;
	}
	FUZZ_CHECK(iio_usb_filter_match(&filter, filter.vid, filter.pid));
	FUZZ_CHECK(!iio_usb_filter_match(&filter, (uint16_t)(filter.vid + 1), filter.pid));
	if (filter.any_pid)
		snprintf(canon, sizeof(canon), "0x%04x:*", filter.vid);
	else
		snprintf(canon, sizeof(canon), "%x:%X", filter.vid, filter.pid);
	FUZZ_CHECK(iio_usb_parse_filter(params, canon, &again) == 0);
	FUZZ_CHECK(!again.any_vid && again.vid == filter.vid && again.any_pid == filter.any_pid &&
		   (filter.any_pid || again.pid == filter.pid));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iio_context_params params = fuzz_params();
	char *text = fuzz_strndup(data, size);

	if (!text)
		return 0;
	check_uri(&params, text);
	check_filter(&params, text);
	free(text);
	return 0;
}
