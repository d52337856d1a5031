// SPDX-License-Identifier: LGPL-2.1-or-later
/* The "local:" backend: Linux IIO devices through sysfs, debugfs and /dev. */
#include "local.h"
#include "buffer-io.h"

static int local_ping(struct iio_context *ctx)
{
	(void)ctx;
	return 0; /* the kernel is always there */
}

static const struct iio_backend_ops local_ops = {
	.scan = local_scan,
	.create = local_create_context,
	.shutdown = local_shutdown,
	.read_attr = local_read_attr,
	.write_attr = local_write_attr,
	.get_trigger = local_get_trigger,
	.set_trigger = local_set_trigger,
	.ping = local_ping,
	.refresh_format = local_refresh_format,
	.reg_read = local_reg_read,
	.reg_write = local_reg_write,
	/* Streaming: buffer-io.c, fileio.c, dmabuf.c */
	.open_buffer = local_open_buffer,
	.close_buffer = local_close_buffer,
	.enable_buffer = local_enable_buffer,
	.cancel_buffer = local_cancel_buffer,
	.readbuf = local_readbuf,
	.writebuf = local_writebuf,
	.io_ready = local_io_ready,
	.create_block = local_create_block,
	.free_block = local_free_block,
	.enqueue_block = local_enqueue_block,
	.dequeue_block = local_dequeue_block,
	.get_dmabuf_fd = local_get_dmabuf_fd,
	.disable_cpu_access = local_disable_cpu_access,
	/* Runtime events: events.c */
	.open_ev = local_open_ev,
	.close_ev = local_close_ev,
	.read_ev = local_read_ev,
};

const struct iio_backend iio_local_backend = {
	.name = "local",
	.uri_prefix = "local:",
	.ops = &local_ops,
	.default_timeout_ms = 1000,
};
