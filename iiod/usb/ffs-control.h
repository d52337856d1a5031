/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The FunctionFS ep0 control loop: vendor requests RESET_PIPES, OPEN_PIPE and
 * CLOSE_PIPE, and the bind/enable state the DMABUF path depends on. A bad
 * request is stalled and the loop keeps serving (upstream's loop exits).
 */
#ifndef IIOD_USB_FFS_CONTROL_H
#define IIOD_USB_FFS_CONTROL_H

#include "ffs-uapi.h"

#include <stdbool.h>

enum iio_usb_request {
	IIO_USB_RESET_PIPES = 0,
	IIO_USB_OPEN_PIPE = 1,
	IIO_USB_CLOSE_PIPE = 2,
};

struct ffs_control_ops {
	/* Ask every pipe's session to stop; do not wait. */
	void (*reset_pipes)(void *data);
	/* Stop the pipe's previous session, wait for it, start a new one. */
	int (*open_pipe)(void *data, unsigned int pipe);
	/* Ask the pipe's session to stop; do not wait. */
	void (*close_pipe)(void *data, unsigned int pipe);
	/* ENABLE (true) or DISABLE/UNBIND/SUSPEND... (false): DMABUF ioctls need enabled. */
	void (*set_enabled)(void *data, bool enabled);
};

enum ffs_control_answer {
	FFS_ANSWER_NONE,  /* not a setup event: nothing to answer */
	FFS_ANSWER_ACK,	  /* complete the status stage */
	FFS_ANSWER_STALL, /* refuse the request */
};

/* Decides and performs what one ep0 event asks for; pure apart from the ops calls. */
enum ffs_control_answer ffs_control_dispatch(const struct ffs_event *ev, unsigned int nb_pipes,
					     const struct ffs_control_ops *ops, void *data);

/*
 * Reads events from ep0 and answers them until stop_fd becomes readable or
 * ep0 fails. Returns 0 on a requested stop, else a negative errno.
 */
int ffs_control_loop(int ep0, int stop_fd, unsigned int nb_pipes, const struct ffs_control_ops *ops,
		     void *data);

#endif /* IIOD_USB_FFS_CONTROL_H */
