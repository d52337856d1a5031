// SPDX-License-Identifier: LGPL-2.1-or-later
/* Discovery: every device with an interface whose string is exactly "IIO". */
#include "usb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void read_string(libusb_device_handle *hdl, uint8_t index, char *dst, size_t len)
{
	int ret = index ? libusb_get_string_descriptor_ascii(hdl, index, (unsigned char *)dst,
							     (int)len)
			: -1;

	if (ret < 0)
		dst[0] = '\0';
}

char *iio_usb_describe(libusb_device_handle *hdl, const struct libusb_device_descriptor *desc)
{
	char manufacturer[128], product[128], serial[128];
	char *out;

	read_string(hdl, desc->iManufacturer, manufacturer, sizeof(manufacturer));
	read_string(hdl, desc->iProduct, product, sizeof(product));
	read_string(hdl, desc->iSerialNumber, serial, sizeof(serial));
	if (asprintf(&out, "%04x:%04x (%s %s), serial=%s", desc->idVendor, desc->idProduct,
		     manufacturer, product, serial) < 0)
		return NULL;
	return out;
}

int iio_usb_find_iio_interface(libusb_device_handle *hdl)
{
	struct libusb_config_descriptor *config;
	int found = -ENOENT, i, a;

	if (libusb_get_active_config_descriptor(libusb_get_device(hdl), &config))
		return -ENOENT;
	for (i = 0; i < config->bNumInterfaces && found < 0; i++) {
		const struct libusb_interface *intf = &config->interface[i];

		for (a = 0; a < intf->num_altsetting && found < 0; a++) {
			const struct libusb_interface_descriptor *d = &intf->altsetting[a];
			unsigned char name[16];
			int len;

			if (!d->iInterface)
				continue;
			len = libusb_get_string_descriptor_ascii(hdl, d->iInterface, name,
								 sizeof(name));
			if (len == 3 && !memcmp(name, "IIO", 3))
				found = d->bInterfaceNumber;
		}
	}
	libusb_free_config_descriptor(config);
	return found;
}

static int scan_device(const struct iio_context_params *params, struct iio_scan *scan,
		       libusb_device *device, const struct iio_usb_filter *filter)
{
	struct libusb_device_descriptor desc;
	libusb_device_handle *hdl;
	char uri[32], *description;
	int intf, ret;

	if (libusb_get_device_descriptor(device, &desc))
		return 0;
	/* Filtered out before opening: no needless access to other devices. */
	if (!iio_usb_filter_match(filter, desc.idVendor, desc.idProduct))
		return 0;
	ret = libusb_open(device, &hdl);
	if (ret) {
		prm_dbg(params, "usb scan: cannot open %04x:%04x at bus %u address %u: %s\n",
			desc.idVendor, desc.idProduct, libusb_get_bus_number(device),
			libusb_get_device_address(device), libusb_error_name(ret));
		return 0;
	}
	intf = iio_usb_find_iio_interface(hdl);
	if (intf < 0) {
		libusb_close(hdl);
		return 0;
	}
	description = iio_usb_describe(hdl, &desc);
	libusb_close(hdl);
	if (!description)
		return -ENOMEM;
	snprintf(uri, sizeof(uri), "usb:%u.%u.%d", libusb_get_bus_number(device),
		 libusb_get_device_address(device), intf);
	ret = iio_scan_add_result(scan, description, uri);
	free(description);
	return ret;
}

int iio_usb_scan(const struct iio_context_params *params, struct iio_scan *scan,
		 const char *args)
{
	struct iio_usb_filter filter;
	libusb_context *usb;
	libusb_device **list;
	ssize_t count, i;
	int ret;

	ret = iio_usb_parse_filter(params, args, &filter);
	if (ret)
		return ret;

	ret = libusb_init(&usb);
	if (ret) {
		/* A machine without USB at all has nothing to find. */
		if (access("/dev/bus/usb", F_OK))
			return 0;
		ret = iio_usb_error_to_errno(ret);
		prm_perror(params, ret, "Unable to initialise libusb for a USB scan");
		return ret;
	}
	count = libusb_get_device_list(usb, &list);
	if (count < 0) {
		ret = iio_usb_error_to_errno((int)count);
		prm_perror(params, ret, "Unable to list USB devices");
		libusb_exit(usb);
		return ret;
	}
	for (i = 0; i < count && !ret; i++)
		ret = scan_device(params, scan, list[i], &filter);
	libusb_free_device_list(list, 1);
	libusb_exit(usb);
	return ret;
}
