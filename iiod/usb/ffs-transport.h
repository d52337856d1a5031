/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The protocol transport of one USB pipe: its bulk IN endpoint file (device
 * to host) and bulk OUT endpoint file (host to device). One protocol element
 * per bulk transfer (usb.md §3, §5), at most 1 MiB per transfer; an ASCII
 * line is one OUT transfer. Block payloads of a binary session go zero-copy
 * with FunctionFS DMABUF when the block has a DMABUF (ffs-dmabuf.c), else
 * through the copy path, with identical bytes on the wire.
 */
#ifndef IIOD_USB_FFS_TRANSPORT_H
#define IIOD_USB_FFS_TRANSPORT_H

#include "protocol/transport.h"

#include <stdatomic.h>
#include <stdbool.h>

struct ffs_stats_sink;
struct ffs_sysio;
struct iio_context_params;

/* What every pipe of one FunctionFS instance shares. */
struct ffs_usb_env {
	const struct ffs_sysio *sys;		 /* the kernel (tests: a fake) */
	const struct iio_context_params *params; /* log lines */
	atomic_bool enabled;			 /* FUNCTIONFS_ENABLE seen, no DISABLE since */
	bool dmabuf;				 /* false: --no-dmabuf, always copy */
	struct ffs_stats_sink *stats;
};

/*
 * The transport of pipe `pipe` over its endpoint files ep_in (bulk IN,
 * written) and ep_out (bulk OUT, read), numbered ep_in_nr/ep_out_nr for log
 * lines. The fds are taken over, even on failure. Returns an error pointer.
 */
struct iiod_transport *ffs_transport_new(struct ffs_usb_env *env, unsigned int pipe, int ep_in,
					 unsigned int ep_in_nr, int ep_out, unsigned int ep_out_nr);

/*
 * One more reference to t (the pipe table keeps one to cancel the session
 * safely); iiod_transport_destroy() drops one, the last closes the endpoints.
 */
void ffs_transport_hold(struct iiod_transport *t);

#endif /* IIOD_USB_FFS_TRANSPORT_H */
