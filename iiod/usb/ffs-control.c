// SPDX-License-Identifier: LGPL-2.1-or-later
/* FunctionFS ep0: event decoding, vendor request dispatch, status stage or stall. */
#include "ffs-control.h"

#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *request_name(uint8_t request)
{
	switch (request) {
	case IIO_USB_RESET_PIPES:
		return "RESET_PIPES";
	case IIO_USB_OPEN_PIPE:
		return "OPEN_PIPE";
	case IIO_USB_CLOSE_PIPE:
		return "CLOSE_PIPE";
	default:
		return "unknown request";
	}
}

static enum ffs_control_answer dispatch_setup(const struct ffs_setup_packet *setup,
					      unsigned int nb_pipes,
					      const struct ffs_control_ops *ops, void *data)
{
	unsigned int pipe = le16toh(setup->wValue);
	int ret;

	/* Our requests are vendor requests without a data stage. */
	if ((setup->bRequestType & USB_TYPE_MASK) != USB_TYPE_VENDOR || setup->wLength) {
		fprintf(stderr, "iiod: usb: refusing request 0x%02x type 0x%02x length %u\n",
			setup->bRequest, setup->bRequestType, le16toh(setup->wLength));
		return FFS_ANSWER_STALL;
	}

	switch (setup->bRequest) {
	case IIO_USB_RESET_PIPES:
		ops->reset_pipes(data);
		return FFS_ANSWER_ACK;
	case IIO_USB_OPEN_PIPE:
	case IIO_USB_CLOSE_PIPE:
		if (pipe >= nb_pipes) {
			fprintf(stderr, "iiod: usb: %s: no pipe %u (this gadget has %u)\n",
				request_name(setup->bRequest), pipe, nb_pipes);
			return FFS_ANSWER_STALL;
		}
		if (setup->bRequest == IIO_USB_CLOSE_PIPE) {
			ops->close_pipe(data, pipe);
			return FFS_ANSWER_ACK;
		}
		ret = ops->open_pipe(data, pipe);
		if (ret < 0) {
			fprintf(stderr, "iiod: usb: OPEN_PIPE %u failed: %s\n", pipe,
				strerror(-ret));
			return FFS_ANSWER_STALL;
		}
		return FFS_ANSWER_ACK;
	default:
		fprintf(stderr, "iiod: usb: refusing unknown vendor request %u\n", setup->bRequest);
		return FFS_ANSWER_STALL;
	}
}

enum ffs_control_answer ffs_control_dispatch(const struct ffs_event *ev, unsigned int nb_pipes,
					     const struct ffs_control_ops *ops, void *data)
{
	switch (ev->type) {
	case FFS_EVENT_SETUP:
		return dispatch_setup(&ev->setup, nb_pipes, ops, data);
	case FFS_EVENT_ENABLE:
		ops->set_enabled(data, true);
		return FFS_ANSWER_NONE;
	case FFS_EVENT_DISABLE:
	case FFS_EVENT_UNBIND:
		/* The endpoints are gone: sessions on them end with I/O errors. */
		ops->set_enabled(data, false);
		ops->reset_pipes(data);
		return FFS_ANSWER_NONE;
	default:
		return FFS_ANSWER_NONE;
	}
}

/*
 * For a host-to-device request, a zero-length read completes the status
 * stage and a zero-length write stalls; device-to-host is the other way round.
 */
static int answer(int ep0, const struct ffs_setup_packet *setup, enum ffs_control_answer what)
{
	bool dir_in = setup->bRequestType & USB_DIR_IN;
	char dummy;
	ssize_t ret;

	if (what == FFS_ANSWER_NONE)
		return 0;
	if ((what == FFS_ANSWER_ACK) != dir_in)
		ret = read(ep0, &dummy, 0);
	else
		ret = write(ep0, &dummy, 0);
	/* A stall is reported back as EL2HLT: that is the expected outcome. */
	if (ret < 0 && !(what == FFS_ANSWER_STALL && errno == EL2HLT))
		return -errno;
	return 0;
}

/*
 * The status stage of a request did not complete because the host dropped
 * the control transfer: a process killed in the middle of it, or a newer
 * request (FunctionFS: EIDRM; dummy_hcd completes a stale ep0 request with
 * EOVERFLOW when the next setup packet comes). The request itself was done.
 */
static bool host_gave_up(int err)
{
	return err == -EIDRM || err == -EOVERFLOW || err == -ECONNRESET || err == -ESHUTDOWN;
}

int ffs_control_loop(int ep0, int stop_fd, unsigned int nb_pipes, const struct ffs_control_ops *ops,
		     void *data)
{
	struct ffs_event events[4];
	struct pollfd pfd[2] = {
		{.fd = ep0, .events = POLLIN},
		{.fd = stop_fd, .events = POLLIN},
	};

	for (;;) {
		ssize_t len;
		size_t i;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents)
			return 0;
		if (!(pfd[0].revents & POLLIN)) {
			if (pfd[0].revents & (POLLERR | POLLHUP))
				return -EIO;
			continue;
		}

		len = read(ep0, events, sizeof(events));
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		for (i = 0; i < (size_t)len / sizeof(events[0]); i++) {
			enum ffs_control_answer what =
				ffs_control_dispatch(&events[i], nb_pipes, ops, data);
			int ret;

			if (events[i].type != FFS_EVENT_SETUP)
				continue;
			ret = answer(ep0, &events[i].setup, what);
			if (ret < 0 && host_gave_up(ret))
				fprintf(stderr,
					"iiod: usb: %s (pipe %u) done, but the host gave it up "
					"before its status stage (%s): a host that went away\n",
					request_name(events[i].setup.bRequest),
					le16toh(events[i].setup.wValue), strerror(-ret));
			else if (ret < 0)
				fprintf(stderr,
					"iiod: usb: answering request %u on ep0 failed: %s\n",
					events[i].setup.bRequest, strerror(-ret));
		}
	}
}
