// SPDX-License-Identifier: LGPL-2.1-or-later
/* iiod's USB command-line options. */
#include "ffs-descriptors.h"
#include "ffs-server.h"
#include "ffs-stats.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void iiod_usb_options_init(struct iiod_usb_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->nb_pipes = IIOD_USB_DEFAULT_PIPES;
	opts->ss_burst = IIOD_USB_DEFAULT_SS_BURST;
	opts->stats_path = FFS_STATS_DEFAULT_PATH;
}

static int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
		      int base, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, base);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		fprintf(stderr, "iiod: %s: '%s' is not a number in %lu..%lu%s\n", opt, arg, min,
			max, base == 16 ? " (hexadecimal)" : "");
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int iiod_usb_parse_option(struct iiod_usb_options *opts, int opt, const char *arg)
{
	struct usb_gadget_config *g = &opts->gadget_cfg;
	unsigned long v;
	int ret;

	switch (opt) {
	case IIOD_USB_OPT_FFS:
		opts->ffs_dir = arg;
		return 1;
	case IIOD_USB_OPT_NB_PIPES:
		ret = parse_uint("-n", arg, 1, FFS_MAX_PIPES, 10, &v);
		if (ret)
			return ret;
		opts->nb_pipes = (unsigned int)v;
		return 1;
	case IIOD_USB_OPT_GADGET:
		opts->gadget = true;
		return 1;
	case IIOD_USB_OPT_VID:
	case IIOD_USB_OPT_PID:
		ret = parse_uint(opt == IIOD_USB_OPT_VID ? "--usb-vid" : "--usb-pid", arg, 1,
				 0xffff, 16, &v);
		if (ret)
			return ret;
		if (opt == IIOD_USB_OPT_VID)
			g->vendor_id = (uint16_t)v;
		else
			g->product_id = (uint16_t)v;
		return 1;
	case IIOD_USB_OPT_MANUFACTURER:
		g->manufacturer = arg;
		return 1;
	case IIOD_USB_OPT_PRODUCT:
		g->product = arg;
		return 1;
	case IIOD_USB_OPT_SERIAL:
		g->serial = arg;
		return 1;
	case IIOD_USB_OPT_UDC:
		g->udc = arg;
		return 1;
	case IIOD_USB_OPT_GADGET_NAME:
		if (!arg[0] || strchr(arg, '/') || strlen(arg) > 32) {
			fprintf(stderr,
				"iiod: --usb-gadget-name: '%s' is not a usable configfs "
				"name (1 to 32 characters, no '/')\n",
				arg);
			return -EINVAL;
		}
		g->name = arg;
		return 1;
	case IIOD_USB_OPT_WINUSB:
		opts->winusb = true;
		g->winusb = true;
		return 1;
	case IIOD_USB_OPT_SS_BURST:
		ret = parse_uint("--usb-ss-burst", arg, 0, 15, 10, &v);
		if (ret)
			return ret;
		opts->ss_burst = (unsigned int)v;
		return 1;
	case IIOD_USB_OPT_NO_DMABUF:
		opts->no_dmabuf = true;
		return 1;
	case IIOD_USB_OPT_STATS:
		opts->stats_path = arg;
		return 1;
	default:
		return 0;
	}
}

bool iiod_usb_requested(const struct iiod_usb_options *opts)
{
	return opts->ffs_dir || opts->gadget;
}

void iiod_usb_print_help(FILE *out)
{
	fprintf(out,
		"\t    --usb-gadget\n"
		"\t\t\tCreate the configfs gadget, mount FunctionFS (on -F DIR, default\n"
		"\t\t\t/dev/iio_ffs) and bind it to a UDC; removed on exit.\n"
		"\t    --usb-vid HEX, --usb-pid HEX\n"
		"\t\t\tGadget vendor and product IDs (default 0456:b671).\n"
		"\t    --usb-manufacturer STR, --usb-product STR, --usb-serial STR\n"
		"\t\t\tGadget strings (default serial: from /etc/machine-id).\n"
		"\t    --usb-udc NAME\n"
		"\t\t\tUSB device controller to bind (default: the first in /sys/class/udc).\n"
		"\t    --usb-gadget-name NAME\n"
		"\t\t\tconfigfs gadget and FunctionFS instance name (default iio).\n"
		"\t    --usb-winusb\n"
		"\t\t\tAdd Microsoft OS descriptors: Windows binds WinUSB by itself.\n"
		"\t    --usb-ss-burst N\n"
		"\t\t\tSuperSpeed bulk burst (bMaxBurst), 0..15 (default %u).\n"
		"\t    --no-dmabuf\n"
		"\t\t\tNever move USB block data with DMABUF: always copy.\n"
		"\t    --usb-stats FILE\n"
		"\t\t\tAppend each closed USB buffer's zero-copy/copy counters to FILE\n"
		"\t\t\t(default %s; \"\" for none).\n",
		IIOD_USB_DEFAULT_SS_BURST, FFS_STATS_DEFAULT_PATH);
}
