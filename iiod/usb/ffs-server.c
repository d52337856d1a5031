// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iiod's USB service: descriptors and strings written to ep0, the ep0
 * control loop in a thread of its own, one protocol session per opened pipe
 * (ffs-pipes.c) over the FunctionFS transport, and optionally the configfs
 * gadget around it all (gadget.c).
 */
#include "ffs-control.h"
#include "ffs-descriptors.h"
#include "ffs-io.h"
#include "ffs-pipes.h"
#include "ffs-server.h"
#include "ffs-stats.h"
#include "ffs-transport.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define DEFAULT_GADGET_FFS_DIR "/dev/iio_ffs"

struct iiod_usb {
	/* A copy: the service outlives the contexts of SIGUSR1 restarts. */
	struct iio_context_params log_params;
	const struct iio_context_params *params;
	char ffs_dir[PATH_MAX];
	unsigned int nb_pipes;

	bool gadget_made;
	struct usb_gadget_config gadget_cfg;

	int ep0;
	int stop_fd;
	pthread_t control;
	bool control_running;

	struct ffs_usb_env env;
	struct ffs_stats_sink stats;
	struct ffs_pipes pipes;
};

/* ---- ep0 control requests -------------------------------------------------------- */

static void control_reset(void *data)
{
	struct iiod_usb *usb = data;

	ffs_pipes_reset(&usb->pipes);
}

static int control_open(void *data, unsigned int pipe)
{
	struct iiod_usb *usb = data;

	return ffs_pipes_open(&usb->pipes, pipe);
}

static void control_close(void *data, unsigned int pipe)
{
	struct iiod_usb *usb = data;

	ffs_pipes_close(&usb->pipes, pipe);
}

static void control_set_enabled(void *data, bool enabled)
{
	struct iiod_usb *usb = data;
	bool was = atomic_exchange(&usb->env.enabled, enabled);

	if (was == enabled)
		return;
	if (enabled)
		prm_info(usb->params, "iiod: usb: the host configured the IIO function\n");
	else
		prm_info(usb->params, "iiod: usb: the IIO function was disabled (host gone, "
				      "reset, or UDC unbound): its sessions end\n");
}

static const struct ffs_control_ops control_ops = {
	.reset_pipes = control_reset,
	.open_pipe = control_open,
	.close_pipe = control_close,
	.set_enabled = control_set_enabled,
};

static void *control_thread(void *arg)
{
	struct iiod_usb *usb = arg;
	int ret = ffs_control_loop(usb->ep0, usb->stop_fd, usb->nb_pipes, &control_ops, usb);

	if (ret)
		prm_err(usb->params,
			"iiod: usb: reading %s/ep0 failed: %s; the USB service "
			"stopped (the other transports go on)\n",
			usb->ffs_dir, strerror(-ret));
	return NULL;
}

/* ---- Start-up ------------------------------------------------------------------- */

static void run_session(void *data, struct iiod_transport *t, const char *peer)
{
	iiod_session_run(data, t, peer);
}

static int write_blob(struct iiod_usb *usb, const uint8_t *blob, size_t len, const char *what)
{
	ssize_t ret = write(usb->ep0, blob, len);

	if (ret == (ssize_t)len)
		return 0;
	ret = ret < 0 ? -errno : -EIO;
	prm_err(usb->params, "iiod: usb: FunctionFS in %s refused the %s: %s%s\n", usb->ffs_dir,
		what, strerror((int)-ret),
		ret == -EINVAL	? " (a kernel without SuperSpeed or v2 descriptor support?)"
		: ret == -EBUSY ? " (already set up by another process?)"
				: "");
	return (int)ret;
}

static int open_ep0(struct iiod_usb *usb, const struct iiod_usb_options *opts)
{
	struct ffs_descriptor_options dopts = {
		.nb_pipes = usb->nb_pipes,
		.ss_max_burst = opts->ss_burst,
		.winusb = opts->winusb,
	};
	char path[PATH_MAX + 8];
	uint8_t *blob;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/ep0", usb->ffs_dir);
	usb->ep0 = open(path, O_RDWR | O_CLOEXEC);
	if (usb->ep0 < 0) {
		ret = -errno;
		prm_err(usb->params, "iiod: usb: cannot open %s: %s%s\n", path, strerror(-ret),
			ret == -ENOENT ? " (is FunctionFS mounted there? `mount -t functionfs "
					 "NAME DIR`, or use --usb-gadget)"
				       : "");
		return ret;
	}
	ret = ffs_build_descriptors(&dopts, &blob, &len);
	if (ret) {
		prm_err(usb->params, "iiod: usb: cannot build the descriptors: %s\n",
			strerror(-ret));
		return ret;
	}
	ret = write_blob(usb, blob, len, "descriptors");
	free(blob);
	if (ret)
		return ret;
	ret = ffs_build_strings(&blob, &len);
	if (ret)
		return ret;
	ret = write_blob(usb, blob, len, "strings");
	free(blob);
	return ret;
}

static int setup_gadget(struct iiod_usb *usb, const struct iiod_usb_options *opts)
{
	int ret;

	usb->gadget_cfg = opts->gadget_cfg;
	usb->gadget_cfg.ffs_dir = usb->ffs_dir;
	usb->gadget_cfg.winusb = opts->winusb;
	usb_gadget_config_defaults(&usb->gadget_cfg);
	ret = usb_gadget_create(&usb->gadget_cfg);
	if (ret) {
		prm_err(usb->params, "iiod: usb: cannot create the configfs gadget '%s': %s\n",
			usb->gadget_cfg.name, strerror(-ret));
		return ret;
	}
	usb->gadget_made = true;
	return 0;
}

static struct iiod_usb *usb_start(const struct iiod_usb_options *opts, struct iiod_server *srv)
{
	const char *dir = opts->ffs_dir ? opts->ffs_dir : DEFAULT_GADGET_FFS_DIR;
	struct iiod_usb *usb = calloc(1, sizeof(*usb));
	int ret;

	if (!usb)
		return iio_ptr(-ENOMEM);
	usb->log_params = *iio_context_get_params(srv->ctx);
	usb->params = &usb->log_params;
	usb->nb_pipes = opts->nb_pipes;
	usb->ep0 = -1;
	usb->stop_fd = -1;
	snprintf(usb->ffs_dir, sizeof(usb->ffs_dir), "%s", dir);
	if (usb->nb_pipes < 1 || usb->nb_pipes > FFS_MAX_PIPES) {
		prm_err(usb->params, "iiod: usb: %u pipes asked, FunctionFS takes 1 to %u\n",
			usb->nb_pipes, FFS_MAX_PIPES);
		free(usb);
		return iio_ptr(-EINVAL);
	}

	usb->env.sys = &ffs_sysio_aio;
	usb->env.params = usb->params;
	usb->env.dmabuf = !opts->no_dmabuf;
	usb->env.stats = &usb->stats;
	atomic_init(&usb->env.enabled, false);
	ret = ffs_stats_sink_init(&usb->stats, opts->stats_path, usb->params);
	if (ret)
		goto err_free;
	ret = ffs_pipes_init(&usb->pipes, usb->nb_pipes, usb->ffs_dir, &usb->env, run_session, srv);
	if (ret)
		goto err_stats;

	if (opts->gadget) {
		ret = setup_gadget(usb, opts);
		if (ret)
			goto err_pipes;
	}
	ret = open_ep0(usb, opts);
	if (ret)
		goto err_stop;

	usb->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (usb->stop_fd < 0) {
		ret = -errno;
		goto err_stop;
	}
	ret = -pthread_create(&usb->control, NULL, control_thread, usb);
	if (ret) {
		prm_err(usb->params, "iiod: usb: cannot start the ep0 thread: %s\n",
			strerror(-ret));
		goto err_stop;
	}
	usb->control_running = true;

	/* The endpoint files exist once the descriptors are in: now the host may come. */
	if (usb->gadget_made) {
		ret = usb_gadget_bind(&usb->gadget_cfg);
		if (ret) {
			prm_err(usb->params, "iiod: usb: cannot bind the gadget to %s: %s\n",
				usb->gadget_cfg.udc ? usb->gadget_cfg.udc : "a UDC",
				strerror(-ret));
			goto err_stop;
		}
	}
	prm_info(usb->params, "iiod: usb: serving on FunctionFS %s, %u pipe%s, zero-copy %s\n",
		 usb->ffs_dir, usb->nb_pipes, usb->nb_pipes > 1 ? "s" : "",
		 opts->no_dmabuf ? "off (--no-dmabuf)" : "on when blocks have a DMABUF");
	return usb;

err_stop:
	iiod_usb_stop(usb);
	return iio_ptr(ret);
err_pipes:
	ffs_pipes_fini(&usb->pipes);
err_stats:
	ffs_stats_sink_fini(&usb->stats);
err_free:
	free(usb);
	return iio_ptr(ret);
}

int iiod_usb_serve(struct iiod_usb **usb, const struct iiod_usb_options *opts,
		   struct iiod_server *srv)
{
	struct iiod_usb *started;

	if (*usb) {
		ffs_pipes_resume(&(*usb)->pipes, srv);
		return 0;
	}
	started = usb_start(opts, srv);
	if (iio_err(started))
		return iio_err(started);
	*usb = started;
	return 0;
}

void iiod_usb_unserve(struct iiod_usb *usb)
{
	if (usb)
		ffs_pipes_stop(&usb->pipes);
}

void iiod_usb_stop(struct iiod_usb *usb)
{
	uint64_t one = 1;

	if (!usb)
		return;
	if (usb->control_running) {
		if (write(usb->stop_fd, &one, sizeof(one)) < 0) {
			/* Cannot fail on a fresh eventfd. */
		}
		pthread_join(usb->control, NULL);
	}
	ffs_pipes_fini(&usb->pipes);
	/* The host sees an unplug before the function goes away. */
	if (usb->gadget_made)
		usb_gadget_unbind(&usb->gadget_cfg);
	if (usb->ep0 >= 0)
		close(usb->ep0);
	if (usb->stop_fd >= 0)
		close(usb->stop_fd);
	if (usb->gadget_made)
		usb_gadget_remove(&usb->gadget_cfg);
	ffs_stats_sink_fini(&usb->stats);
	free(usb);
}
