// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Blocks: creation (a backend block, else a core block), the enqueue/dequeue
 * state machine, and the walk over the samples of a block.
 *
 * Core blocks are moved by whichever thread needs them to be: see
 * stream-internal.h. One thread at a time calls readbuf/writebuf for a
 * stream (stream->busy), always for the oldest enqueued block, which keeps
 * RX blocks in FIFO order.
 */
#include "backend.h"
#include "stream-internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How a thread takes part in moving core blocks. */
enum pump_mode {
	PUMP_WAIT,     /* blocking dequeue: wait for other threads, block in I/O */
	PUMP_NONBLOCK, /* non-blocking dequeue: never wait */
	PUMP_TRY,      /* enqueue/start: block in I/O, but do not wait for another thread */
};

static const struct iio_backend_ops *stream_ops(const struct iio_buffer_stream *stream)
{
	return stream->buf->dev->ctx->backend->ops;
}

static const struct iio_device *block_dev(const struct iio_block *block)
{
	return block->stream->buf->dev;
}

static unsigned int block_buf_index(const struct iio_block *block)
{
	return block->stream->buf->index;
}

/* Errors after which a block is still enqueued and the dequeue may be retried. */
static bool leaves_block_enqueued(int err)
{
	return err == -EBUSY || err == -ETIMEDOUT || err == -EAGAIN || err == -EINTR;
}

struct iio_block *iio_buffer_stream_create_block(struct iio_buffer_stream *stream, size_t size)
{
	const struct iio_backend_ops *ops = stream_ops(stream);
	const struct iio_device *dev = stream->buf->dev;
	struct iio_block_pdata *pdata;
	struct iio_block *block;
	long page_size;
	void *data = NULL;
	int ret;

	if (size < stream->sample_size) {
		dev_err(dev,
			"Unable to create a block of %zu bytes on buffer %u: smaller than "
			"one sample (%zu bytes)\n",
			size, stream->buf->index, stream->sample_size);
		return iio_ptr(-EINVAL);
	}
	if (atomic_load(&stream->cancelled)) {
		dev_err(dev, "Unable to create a block on buffer %u: the stream was cancelled\n",
			stream->buf->index);
		return iio_ptr(-EBADF);
	}
	block = calloc(1, sizeof(*block));
	if (!block)
		return iio_ptr(-ENOMEM);
	block->stream = stream;
	block->size = size;

	if (ops->create_block) {
		pdata = ops->create_block(stream->pdata, size, &data);
		ret = pdata ? iio_err(pdata) : -ENOMEM;
		if (!ret && !data) {
			if (ops->free_block)
				ops->free_block(pdata);
			ret = -EFAULT;
		}
		if (ret && ret != -ENOSYS) {
			dev_perror(dev, ret, "Unable to create a block of %zu bytes on buffer %u",
				   size, stream->buf->index);
			free(block);
			return iio_ptr(ret);
		}
		if (!ret) {
			block->pdata = pdata;
			block->data = data;
		}
	}

	if (!block->pdata) {
		if (stream->is_output ? !ops->writebuf : !ops->readbuf) {
			dev_err(dev,
				"Unable to create a block on buffer %u: the %s backend "
				"provides neither blocks nor read/write I/O\n",
				stream->buf->index, stream->buf->dev->ctx->backend->name);
			free(block);
			return iio_ptr(-ENOSYS);
		}
		page_size = sysconf(_SC_PAGESIZE);
		if (posix_memalign(&block->data, page_size > 0 ? (size_t)page_size : 4096, size)) {
			free(block);
			return iio_ptr(-ENOMEM);
		}
		/* Nothing stale ever reaches the hardware or the application. */
		memset(block->data, 0, size);
		stream->core_block_size = size;
	}

	pthread_mutex_lock(&stream->lock);
	stream->nb_live_blocks++;
	stream->has_blocks = true;
	pthread_mutex_unlock(&stream->lock);
	return block;
}

/* Takes a core block out of the FIFO, if it is there. Lock held. */
static void queue_remove(struct iio_buffer_stream *stream, struct iio_block *block)
{
	struct iio_block **link, *prev = NULL;

	for (link = &stream->queue_head; *link; prev = *link, link = &(*link)->next) {
		if (*link != block)
			continue;
		*link = block->next;
		if (stream->queue_tail == block)
			stream->queue_tail = prev;
		block->next = NULL;
		return;
	}
}

static void queue_append(struct iio_buffer_stream *stream, struct iio_block *block)
{
	block->next = NULL;
	if (stream->queue_tail)
		stream->queue_tail->next = block;
	else
		stream->queue_head = block;
	stream->queue_tail = block;
}

void iio_block_destroy(struct iio_block *block)
{
	struct iio_buffer_stream *stream;
	const struct iio_backend_ops *ops;
	bool release;

	if (!block)
		return;
	stream = block->stream;
	ops = stream_ops(stream);

	pthread_mutex_lock(&stream->lock);
	/* Another thread may be moving data into it on behalf of a later block. */
	while (stream->busy == block)
		pthread_cond_wait(&stream->idle, &stream->lock);
	if (iio_block_is_core(block))
		queue_remove(stream, block);
	pthread_mutex_unlock(&stream->lock);

	if (block->pdata) {
		if (ops->free_block)
			ops->free_block(block->pdata);
	} else {
		free(block->data);
	}
	free(block);

	pthread_mutex_lock(&stream->lock);
	release = --stream->nb_live_blocks == 0 && stream->closing;
	pthread_mutex_unlock(&stream->lock);
	if (release)
		iio_buffer_stream_release(stream);
}

/* One readbuf/writebuf call for the oldest enqueued core block, without the lock. */
static ssize_t core_transfer(struct iio_buffer_stream *stream, struct iio_block *block,
			     bool nonblock)
{
	const struct iio_backend_ops *ops = stream_ops(stream);
	size_t len = block->bytes_used - block->done;
	char *ptr = (char *)block->data + block->done;
	ssize_t ret;

	if (nonblock && ops->io_ready) {
		ret = ops->io_ready(stream->pdata);
		if (ret <= 0)
			return ret < 0 ? ret : -EBUSY;
		if ((size_t)ret < len)
			len = (size_t)ret;
	}
	if (stream->is_output)
		ret = ops->writebuf(stream->pdata, ptr, len);
	else
		ret = ops->readbuf(stream->pdata, ptr, len);
	/* A backend that moves nothing, or more than asked, would loop or overflow. */
	if (ret == 0 || ret > (ssize_t)len)
		return -EIO;
	return ret;
}

/*
 * Moves core blocks in FIFO order until target is complete (target NULL:
 * until the FIFO is empty). Lock held; dropped around the I/O.
 */
static int core_pump(struct iio_buffer_stream *stream, struct iio_block *target,
		     enum pump_mode mode)
{
	struct iio_block *head;
	ssize_t ret;

	for (;;) {
		if (target ? target->completed : !stream->queue_head)
			return 0;
		if (atomic_load(&stream->cancelled))
			return -EBADF;
		if (stream->busy) {
			if (mode != PUMP_WAIT)
				return -EBUSY;
			pthread_cond_wait(&stream->idle, &stream->lock);
			continue;
		}
		head = stream->queue_head;
		stream->busy = head;
		pthread_mutex_unlock(&stream->lock);
		ret = core_transfer(stream, head, mode == PUMP_NONBLOCK);
		pthread_mutex_lock(&stream->lock);
		stream->busy = NULL;
		pthread_cond_broadcast(&stream->idle);
		if (ret < 0)
			return (int)ret;
		head->done += (size_t)ret;
		if (head->done == head->bytes_used) {
			queue_remove(stream, head);
			head->completed = true;
		}
	}
}

void iio_buffer_stream_flush_core(struct iio_buffer_stream *stream)
{
	pthread_mutex_lock(&stream->lock);
	/* Errors stay with the blocks: their dequeue retries and reports them. */
	(void)core_pump(stream, NULL, PUMP_TRY);
	pthread_mutex_unlock(&stream->lock);
}

static int core_enqueue(struct iio_block *block, size_t bytes_used, bool cyclic)
{
	struct iio_buffer_stream *stream = block->stream;

	if (cyclic) {
		if (!stream->warned_cyclic)
			dev_warn(block_dev(block),
				 "buffer %u: cyclic mode needs blocks the "
				 "backend provides (DMABUF); this block is sent once\n",
				 block_buf_index(block));
		stream->warned_cyclic = true;
		stream->cyclic = true;
	}

	pthread_mutex_lock(&stream->lock);
	block->bytes_used = bytes_used;
	block->done = 0;
	block->completed = false;
	block->enqueued = true;
	queue_append(stream, block);
	/* Output goes to the hardware as soon as the stream runs. */
	if (stream->is_output && stream->started)
		(void)core_pump(stream, block, PUMP_TRY);
	pthread_mutex_unlock(&stream->lock);
	return 0;
}

int iio_block_enqueue(struct iio_block *block, size_t bytes_used, bool cyclic)
{
	struct iio_buffer_stream *stream = block->stream;
	const struct iio_backend_ops *ops = stream_ops(stream);
	const struct iio_device *dev = block_dev(block);
	int ret;

	if (!bytes_used)
		bytes_used = block->size;
	if (bytes_used > block->size) {
		dev_err(dev,
			"Unable to enqueue a block of buffer %u: %zu bytes used, more than "
			"its %zu bytes\n",
			block_buf_index(block), bytes_used, block->size);
		return -EINVAL;
	}
	if (cyclic && !stream->is_output) {
		dev_err(dev,
			"Unable to enqueue a block of buffer %u: cyclic mode is for output "
			"buffers\n",
			block_buf_index(block));
		return -EINVAL;
	}
	if (block->enqueued) {
		dev_err(dev, "Unable to enqueue a block of buffer %u: it is already enqueued\n",
			block_buf_index(block));
		return -EPERM;
	}
	if (atomic_load(&stream->cancelled)) {
		dev_dbg(dev, "buffer %u: no enqueue after a cancel\n", block_buf_index(block));
		return -EBADF;
	}
	if (iio_block_is_core(block))
		return core_enqueue(block, bytes_used, cyclic);

	if (!ops->enqueue_block)
		return -ENOSYS;
	ret = ops->enqueue_block(block->pdata, bytes_used, cyclic);
	if (ret < 0) {
		dev_perror(dev, ret, "Unable to enqueue a block of buffer %u",
			   block_buf_index(block));
		return ret;
	}
	block->bytes_used = bytes_used;
	block->enqueued = true;
	if (cyclic)
		stream->cyclic = true;
	return 0;
}

static int core_dequeue(struct iio_block *block, bool nonblock)
{
	struct iio_buffer_stream *stream = block->stream;
	int ret;

	pthread_mutex_lock(&stream->lock);
	ret = core_pump(stream, block, nonblock ? PUMP_NONBLOCK : PUMP_WAIT);
	if (!ret || !leaves_block_enqueued(ret)) {
		queue_remove(stream, block);
		block->enqueued = false;
		block->completed = false;
	}
	pthread_mutex_unlock(&stream->lock);
	return ret;
}

int iio_block_dequeue(struct iio_block *block, bool nonblock)
{
	const struct iio_backend_ops *ops = stream_ops(block->stream);
	const struct iio_device *dev = block_dev(block);
	int ret;

	if (!block->enqueued) {
		dev_err(dev, "Unable to dequeue a block of buffer %u: it is not enqueued\n",
			block_buf_index(block));
		return -EPERM;
	}
	if (iio_block_is_core(block)) {
		ret = core_dequeue(block, nonblock);
	} else if (!ops->dequeue_block) {
		ret = -ENOSYS;
	} else {
		ret = ops->dequeue_block(block->pdata, nonblock);
		if (ret >= 0 || !leaves_block_enqueued(ret))
			block->enqueued = false;
	}
	if (ret >= 0)
		return 0;

	if (ret == -EBUSY && nonblock)
		return ret; /* not ready yet: the caller polls */
	if (atomic_load(&block->stream->cancelled))
		dev_dbg(dev, "buffer %u: dequeue ended by a cancel\n", block_buf_index(block));
	else
		dev_perror(dev, ret, "Unable to dequeue a block of buffer %u",
			   block_buf_index(block));
	return ret;
}

int iio_block_get_dmabuf_fd(const struct iio_block *block)
{
	const struct iio_backend_ops *ops = stream_ops(block->stream);

	if (iio_block_is_core(block) || !ops->get_dmabuf_fd)
		return -EINVAL;
	return ops->get_dmabuf_fd(block->pdata);
}

int iio_block_disable_cpu_access(struct iio_block *block, bool disable)
{
	const struct iio_backend_ops *ops = stream_ops(block->stream);

	if (iio_block_is_core(block))
		return -EINVAL;
	if (!ops->disable_cpu_access)
		return -ENOSYS;
	return ops->disable_cpu_access(block->pdata, disable);
}

void *iio_block_start(const struct iio_block *block)
{
	return block->data;
}

void *iio_block_end(const struct iio_block *block)
{
	return (char *)block->data + block->size;
}

void *iio_block_first(const struct iio_block *block, const struct iio_channel *chn)
{
	size_t offset = iio_buffer_stream_channel_offset(block->stream, chn);

	if (offset == IIO_NO_OFFSET || offset >= block->size)
		return iio_block_end(block);
	return (char *)block->data + offset;
}

ssize_t iio_block_foreach_sample(const struct iio_block *block,
				 const struct iio_channels_mask *mask,
				 ssize_t (*callback)(const struct iio_channel *chn, void *src,
						     size_t bytes, void *d),
				 void *data)
{
	const struct iio_buffer_stream *stream = block->stream;
	size_t nb_samples = block->size / stream->sample_size, i;
	char *sample = block->data;
	ssize_t ret, total = 0;
	unsigned int c;

	if (!mask || !callback)
		return -EINVAL;

	for (i = 0; i < nb_samples; i++, sample += stream->sample_size) {
		for (c = 0; c < stream->nb_channels; c++) {
			const struct iio_channel *chn = stream->channels[c].chn;

			if (!iio_mask_test(mask, chn->number))
				continue;
			ret = callback(chn, sample + stream->channels[c].offset,
				       chn->format.length / 8, data);
			if (ret < 0)
				return ret;
			total += ret;
		}
	}
	return total;
}

struct iio_buffer_stream *iio_block_get_buffer_stream(const struct iio_block *block)
{
	return block->stream;
}
