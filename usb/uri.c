// SPDX-License-Identifier: LGPL-2.1-or-later
/* usb: URIs ("", "BUS.ADDR", "BUS.ADDR.INTF") and scan filters ("VID:PID", "VID:*"). */
#include "usb.h"

#include <ctype.h>
#include <string.h>

/* Decimal 0..255 made of digits only; *end gets the first byte after it. */
static int parse_u8(const char *str, const char **end, uint8_t *out)
{
	unsigned int value = 0;
	const char *p = str;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		value = value * 10 + (unsigned int)(*p - '0');
		if (value > 255)
			return -EINVAL;
	}
	*out = (uint8_t)value;
	*end = p;
	return 0;
}

int iio_usb_parse_uri(const struct iio_context_params *params, const char *args,
		      struct iio_usb_uri *uri)
{
	const char *p = args;

	*uri = (struct iio_usb_uri){ 0 };
	if (!args || !*args) {
		uri->scan = true;
		return 0;
	}
	if (parse_u8(p, &p, &uri->bus) || *p++ != '.' || parse_u8(p, &p, &uri->address))
		goto err_syntax;
	if (*p == '.' && parse_u8(p + 1, &p, &uri->intf))
		goto err_syntax;
	if (*p)
		goto err_syntax;
	return 0;

err_syntax:
	if (strchr(args, ':'))
		prm_err(params, "Invalid URI 'usb:%s': USB URIs are usb:BUS.ADDRESS[.INTERFACE]; "
			"to select a device by VID:PID scan with 'usb=%s' (iio_info -S usb=%s)\n",
			args, args, args);
	else
		prm_err(params, "Invalid URI 'usb:%s': expected usb:, usb:BUS.ADDRESS or "
			"usb:BUS.ADDRESS.INTERFACE with decimal numbers 0..255\n", args);
	return -EINVAL;
}

/* Hex 0..0xffff, "0x" optional, up to the first ':' or the end. */
static int parse_hex16(const char *str, size_t len, uint16_t *out)
{
	unsigned int value = 0;
	size_t i = 0;

	if (len > 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X'))
		i = 2;
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		int c = tolower((unsigned char)str[i]);

		if (!isxdigit(c))
			return -EINVAL;
		value = value * 16 + (unsigned int)(isdigit(c) ? c - '0' : c - 'a' + 10);
		if (value > 0xffff)
			return -EINVAL;
	}
	*out = (uint16_t)value;
	return 0;
}

int iio_usb_parse_filter(const struct iio_context_params *params, const char *args,
			 struct iio_usb_filter *filter)
{
	const char *colon;

	*filter = (struct iio_usb_filter){ .any_vid = true, .any_pid = true };
	if (!args || !*args)
		return 0;

	colon = strchr(args, ':');
	if (!colon)
		goto err;
	if (parse_hex16(args, (size_t)(colon - args), &filter->vid))
		goto err;
	filter->any_vid = false;
	if (!strcmp(colon + 1, "*"))
		return 0;
	if (parse_hex16(colon + 1, strlen(colon + 1), &filter->pid))
		goto err;
	filter->any_pid = false;
	return 0;

err:
	*filter = (struct iio_usb_filter){ .any_vid = true, .any_pid = true };
	prm_err(params, "Invalid USB scan filter 'usb=%s': expected usb=VID:PID or usb=VID:* "
		"(hexadecimal, at most ffff)\n", args);
	return -EINVAL;
}

bool iio_usb_filter_match(const struct iio_usb_filter *filter, uint16_t vid, uint16_t pid)
{
	if (filter->any_vid)
		return true;
	return vid == filter->vid && (filter->any_pid || pid == filter->pid);
}
