/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `iiod --usb-gadget`: the configfs gadget with one FunctionFS function,
 * created at start-up and removed on exit, so that a board needs no script.
 */
#ifndef IIOD_USB_GADGET_H
#define IIOD_USB_GADGET_H

#include <stdbool.h>
#include <stdint.h>

struct usb_gadget_config {
	const char *configfs; /* configfs mount, default /sys/kernel/config */
	const char *name;     /* gadget and function instance name, default "iio" */
	uint16_t vendor_id, product_id;
	const char *manufacturer, *product, *serial; /* serial NULL: from the machine id */
	const char *udc;     /* NULL: the first controller in /sys/class/udc */
	const char *ffs_dir; /* where FunctionFS is mounted, default /dev/iio_ffs */
	bool winusb;	     /* Microsoft OS descriptors (WinUSB, no driver package) */
};

/* Fills the defaults of every field left zero. */
void usb_gadget_config_defaults(struct usb_gadget_config *cfg);

/* Creates the gadget and mounts FunctionFS on cfg->ffs_dir. Cleans up on failure. */
int usb_gadget_create(const struct usb_gadget_config *cfg);

/* Binds to the UDC; call once the descriptors are written to ep0. */
int usb_gadget_bind(const struct usb_gadget_config *cfg);

/* Unbinds from the UDC (the host sees an unplug); the gadget stays. */
void usb_gadget_unbind(const struct usb_gadget_config *cfg);

/* Unbinds, unmounts and removes everything usb_gadget_create() made. */
void usb_gadget_remove(const struct usb_gadget_config *cfg);

#endif /* IIOD_USB_GADGET_H */
