// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * read()/write() on the buffer fd (local.md §10.4 fallback): the path of
 * kernels without IIO DMABUF, of buffers whose DMABUF setup failed, and of
 * fixture trees whose /dev/iio:deviceN is a FIFO or a plain file.
 *
 * The fd is non-blocking: every wait is a poll() that also watches the cancel
 * eventfd and honours the context timeout. A call moves what the kernel has
 * (at least one byte) and lets the core call again for the rest.
 */
#include "buffer-io.h"

#include <string.h>

static ssize_t report_error(struct iio_buffer_stream_pdata *pdata, ssize_t err, bool output)
{
	const char *op = output ? "write()" : "read()";

	switch (err) {
	case -EBADF:
		buf_dbg(pdata, "%s ended by a cancel\n", op);
		break;
	case -ETIMEDOUT:
		buf_dbg(pdata, "%s timed out after %d ms\n", op, local_io_timeout(pdata));
		break;
	case -ENODEV:
		buf_err(pdata, "%s failed: the device is gone\n", op);
		break;
	case -EBUSY:
		buf_err(pdata,
			"%s refused: the buffer is busy (DMABUFs attached, or another "
			"user)\n",
			op);
		break;
	default:
		buf_perror(pdata, (int)err, "%s on the buffer fd failed", op);
		break;
	}
	return err;
}

static ssize_t fileio_move(struct iio_buffer_stream_pdata *pdata, void *ptr, size_t len,
			   bool output)
{
	const struct local_sysio *sys = pdata->sys;
	struct local_deadline dl;
	ssize_t ret;

	if (!len)
		return 0;
	local_deadline_start(&dl, local_io_timeout(pdata));
	for (;;) {
		/* Poll first: it returns once the watermark is reached, so reads are large. */
		ret = local_io_wait(pdata, pdata->fd, output ? POLLOUT : POLLIN, &dl);
		if (ret < 0)
			return report_error(pdata, ret, output);

		ret = output ? sys->write(pdata->fd, ptr, len) : sys->read(pdata->fd, ptr, len);
		if (ret > 0)
			return ret;
		if (ret == 0) {
			buf_err(pdata, "%s moved no data%s\n", output ? "write()" : "read()",
				output ? "" : " (end of file)");
			return -EIO;
		}
		if (ret != -EAGAIN && ret != -EINTR)
			return report_error(pdata, ret, output);
	}
}

ssize_t local_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len)
{
	return fileio_move(pdata, dst, len, false);
}

ssize_t local_writebuf(struct iio_buffer_stream_pdata *pdata, const void *src, size_t len)
{
	/* write() does not modify it: the cast only shares the loop with read(). */
	return fileio_move(pdata, (void *)src, len, true);
}

ssize_t local_io_ready(struct iio_buffer_stream_pdata *pdata)
{
	bool output = iio_buffer_is_output(pdata->buf);
	struct local_deadline now;
	size_t bytes;
	int ret;

	local_deadline_start(&now, 0);
	ret = local_io_wait(pdata, pdata->fd, output ? POLLOUT : POLLIN, &now);
	if (ret == -ETIMEDOUT)
		return 0;
	if (ret < 0)
		return ret;
	/* POLLIN/POLLOUT mean at least a watermark's worth of samples (or an error to read). */
	pthread_mutex_lock(&pdata->lock);
	bytes = (pdata->watermark ? pdata->watermark : 1) * pdata->sample_size;
	pthread_mutex_unlock(&pdata->lock);
	return bytes > SSIZE_MAX ? SSIZE_MAX : (ssize_t)bytes;
}
