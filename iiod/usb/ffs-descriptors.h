/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The descriptor and string blobs iiod writes to FunctionFS's ep0. */
#ifndef IIOD_USB_FFS_DESCRIPTORS_H
#define IIOD_USB_FFS_DESCRIPTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FFS_MAX_PIPES 15 /* 30 data endpoints: what a UDC can have at most */

struct ffs_descriptor_options {
	unsigned int nb_pipes;	   /* bulk IN + OUT pairs, 1..FFS_MAX_PIPES */
	unsigned int ss_max_burst; /* SuperSpeed bMaxBurst, 0..15 (packets per burst - 1) */
	bool winusb;		   /* Microsoft OS extended compat ID "WINUSB" */
};

/*
 * Builds the v2 descriptor blob: one vendor-specific interface whose string
 * is "IIO", and per pipe a bulk IN then a bulk OUT endpoint at full, high
 * and super speed. Returns 0 and a malloc'd blob, or -EINVAL / -ENOMEM.
 */
int ffs_build_descriptors(const struct ffs_descriptor_options *opts, uint8_t **blob, size_t *len);

/* Builds the strings blob: US English, string 1 = "IIO". */
int ffs_build_strings(uint8_t **blob, size_t *len);

#endif /* IIOD_USB_FFS_DESCRIPTORS_H */
