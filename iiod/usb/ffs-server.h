/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iiod's USB service: `-F DIR` serves the context over the FunctionFS
 * instance mounted on DIR (`--usb-gadget`: iiod makes that gadget itself).
 *
 * For iiod's main file (-F and -n are parsed there, as upstream's letters):
 *   options:        struct iiod_usb_options usb; iiod_usb_options_init(&usb);
 *                   -F DIR -> usb.ffs_dir, -n N -> usb.nb_pipes
 *   getopt_long:    IIOD_USB_LONG_OPTIONS in the table; in the switch's default:
 *                   iiod_usb_parse_option() (1: taken, 0: unknown, < 0: bad value)
 *   help text:      iiod_usb_print_help(out)
 *   each run:       after the server is up: iiod_usb_serve(&usb, &opts.usb, &srv);
 *                   before it is freed: iiod_usb_unserve(usb)
 *   exit:           iiod_usb_stop(usb)
 * The function stays bound across runs (SIGUSR1 restarts): ep0 stays open.
 */
#ifndef IIOD_USB_FFS_SERVER_H
#define IIOD_USB_FFS_SERVER_H

#include "gadget.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

struct iiod_server;
struct iiod_usb;

/* Long-only options (upstream has letters only for -F and -n). */
enum iiod_usb_option {
	IIOD_USB_OPT_FFS = 'F',
	IIOD_USB_OPT_NB_PIPES = 'n',
	IIOD_USB_OPT_GADGET = 0x1000,
	IIOD_USB_OPT_VID,
	IIOD_USB_OPT_PID,
	IIOD_USB_OPT_MANUFACTURER,
	IIOD_USB_OPT_PRODUCT,
	IIOD_USB_OPT_SERIAL,
	IIOD_USB_OPT_UDC,
	IIOD_USB_OPT_GADGET_NAME,
	IIOD_USB_OPT_WINUSB,
	IIOD_USB_OPT_SS_BURST,
	IIOD_USB_OPT_NO_DMABUF,
	IIOD_USB_OPT_STATS,
};

/* The long options iiod.c lacks (it has "ffs" -F and "nb-pipes" -n). */
/* clang-format off */
#define IIOD_USB_LONG_OPTIONS                                                           \
	{ "usb-gadget", no_argument, NULL, IIOD_USB_OPT_GADGET },                       \
	{ "usb-vid", required_argument, NULL, IIOD_USB_OPT_VID },                       \
	{ "usb-pid", required_argument, NULL, IIOD_USB_OPT_PID },                       \
	{ "usb-manufacturer", required_argument, NULL, IIOD_USB_OPT_MANUFACTURER },     \
	{ "usb-product", required_argument, NULL, IIOD_USB_OPT_PRODUCT },               \
	{ "usb-serial", required_argument, NULL, IIOD_USB_OPT_SERIAL },                 \
	{ "usb-udc", required_argument, NULL, IIOD_USB_OPT_UDC },                       \
	{ "usb-gadget-name", required_argument, NULL, IIOD_USB_OPT_GADGET_NAME },       \
	{ "usb-winusb", no_argument, NULL, IIOD_USB_OPT_WINUSB },                       \
	{ "usb-ss-burst", required_argument, NULL, IIOD_USB_OPT_SS_BURST },             \
	{ "no-dmabuf", no_argument, NULL, IIOD_USB_OPT_NO_DMABUF },                     \
	{ "usb-stats", required_argument, NULL, IIOD_USB_OPT_STATS }
/* clang-format on */

#define IIOD_USB_DEFAULT_PIPES 3
/* SuperSpeed bulk bursts of 16 packets: what SS controllers need to stream. */
#define IIOD_USB_DEFAULT_SS_BURST 15

struct iiod_usb_options {
	const char *ffs_dir;   /* -F; with --usb-gadget: where to mount (default /dev/iio_ffs) */
	unsigned int nb_pipes; /* -n */
	bool gadget;	       /* --usb-gadget */
	struct usb_gadget_config gadget_cfg;
	bool winusb;		/* --usb-winusb */
	unsigned int ss_burst;	/* --usb-ss-burst: bMaxBurst, 0..15 */
	bool no_dmabuf;		/* --no-dmabuf */
	const char *stats_path; /* --usb-stats; "" for none */
};

void iiod_usb_options_init(struct iiod_usb_options *opts);
/* 1: option taken; 0: not a USB option; -EINVAL: bad value (said on stderr). */
int iiod_usb_parse_option(struct iiod_usb_options *opts, int opt, const char *arg);
/* -F or --usb-gadget given. */
bool iiod_usb_requested(const struct iiod_usb_options *opts);
void iiod_usb_print_help(FILE *out);

/*
 * Serves srv over USB: the first call starts the service (gadget,
 * descriptors, ep0 control thread), later ones (after iiod_usb_unserve) give
 * it the new server. Every failure is logged with its cause.
 */
int iiod_usb_serve(struct iiod_usb **usb, const struct iiod_usb_options *opts,
		   struct iiod_server *srv);
/* Ends the USB sessions and refuses new ones until the next iiod_usb_serve(). NULL: no-op. */
void iiod_usb_unserve(struct iiod_usb *usb);
/* Stops everything, and removes the gadget iiod made. NULL: no-op. */
void iiod_usb_stop(struct iiod_usb *usb);

#endif /* IIOD_USB_FFS_SERVER_H */
