// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Buffer streams and blocks over a fake backend: opening, the enqueue/dequeue
 * state machine and its error codes, FIFO order, non-blocking dequeues,
 * timeouts, cancel from another thread, TX, core and backend blocks.
 */
#include "test-stream-fake.h"

#include <errno.h>
#include <pthread.h>

/* Two 16-bit channels: 4-byte samples. */
static const struct fake_channel iq[] = {
	{"voltage0", 0, "le:s16/16>>0"},
	{"voltage1", 1, "le:s16/16>>0"},
};

static struct iio_context *ctx;
static struct iio_channels_mask *mask;

/* The fake without io_ready: non-blocking dequeues of core blocks must wait. */
static struct iio_backend_ops fake_stream_ops_no_ready;
static struct iio_backend fake_stream_backend_no_ready;

static struct iio_buffer_stream *open_iq(const struct iio_backend *backend, int timeout_ms,
					 bool output)
{
	struct iio_buffer_stream *stream;

	ctx = fake_context(backend, timeout_ms, output, iq, 2);
	mask = mask_all(iio_context_get_device(ctx, 0));
	stream = iio_buffer_open(fake_buffer(ctx), mask);
	CHECK(!iio_err(stream));
	CHECK(hw.open);
	return stream;
}

static void close_all(struct iio_buffer_stream *stream)
{
	iio_buffer_close(stream);
	CHECK(!hw.open);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
}

static struct iio_block *new_block(struct iio_buffer_stream *stream, size_t size)
{
	struct iio_block *block = iio_buffer_stream_create_block(stream, size);

	CHECK(!iio_err(block));
	return block;
}

static void test_open_errors(void)
{
	static const struct iio_backend_ops no_stream_ops = {0};
	static const struct iio_backend no_stream = {
		.name = "nostream",
		.uri_prefix = "nostream:",
		.ops = &no_stream_ops,
	};
	struct iio_channels_mask *wide, *empty;
	struct iio_buffer_stream *stream;
	struct iio_block *block;

	ctx = fake_context(&fake_stream_backend, 500, false, iq, 2);
	wide = iio_create_channels_mask(40); /* 2 words: not this device's */
	empty = iio_create_channels_mask(2);
	mask = mask_all(iio_context_get_device(ctx, 0));

	CHECK_INT(iio_err(iio_buffer_open(fake_buffer(ctx), wide)), -EINVAL);
	CHECK_INT(iio_err(iio_buffer_open(fake_buffer(ctx), NULL)), -EINVAL);
	CHECK_INT(iio_err(iio_buffer_open(fake_buffer(ctx), empty)), -EINVAL);
	CHECK_INT(hw.open_calls, 0);

	hw.open_error = -EBUSY;
	CHECK_INT(iio_err(iio_buffer_open(fake_buffer(ctx), mask)), -EBUSY);
	CHECK(!hw.open);
	hw.open_error = 0;

	/* The caller's mask is copied: changing it later changes nothing. */
	stream = iio_buffer_open(fake_buffer(ctx), mask);
	CHECK(!iio_err(stream));
	iio_channel_disable(iio_device_get_channel(iio_context_get_device(ctx, 0), 1), mask);
	CHECK(iio_channel_is_enabled(iio_device_get_channel(iio_context_get_device(ctx, 0), 1),
				     iio_buffer_stream_get_channels_mask(stream)));
	block = new_block(stream, 4);
	CHECK(iio_block_get_buffer_stream(block) == stream);
	iio_block_destroy(block);
	iio_buffer_close(stream);
	CHECK(!hw.open);
	iio_channels_mask_destroy(wide);
	iio_channels_mask_destroy(empty);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);

	/* A backend that cannot stream. */
	ctx = fake_context(&no_stream, 500, false, iq, 2);
	mask = mask_all(iio_context_get_device(ctx, 0));
	CHECK_INT(iio_err(iio_buffer_open(fake_buffer(ctx), mask)), -ENOSYS);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
}

static void test_widened_mask(void)
{
	static const struct fake_channel chans[] = {
		{"voltage0", 0, "le:s16/16>>0"},
		{"voltage1", 1, "le:s16/16>>0"},
		{"timestamp", 2, "le:s64/64>>0"},
	};
	const struct iio_device *dev;
	struct iio_buffer_stream *stream;
	struct iio_block *block;

	ctx = fake_context(&fake_stream_backend, 500, false, chans, 3);
	dev = iio_context_get_device(ctx, 0);
	mask = iio_create_channels_mask(3);
	iio_channel_enable(iio_device_get_channel(dev, 0), mask);
	hw.widen_bit = 2; /* the hardware adds the timestamp */
	stream = iio_buffer_open(fake_buffer(ctx), mask);
	CHECK(!iio_err(stream));
	CHECK(!iio_channel_is_enabled(iio_device_get_channel(dev, 2), mask));
	CHECK(iio_channel_is_enabled(iio_device_get_channel(dev, 2),
				     iio_buffer_stream_get_channels_mask(stream)));
	/* 2 bytes, padded to 8, then 8: the layout follows the widened mask. */
	CHECK_INT(stream->sample_size, 16);
	CHECK_INT(iio_err(iio_buffer_stream_create_block(stream, 15)), -EINVAL);
	block = new_block(stream, 16);
	CHECK((char *)iio_block_first(block, iio_device_get_channel(dev, 2)) -
		      (char *)iio_block_start(block) ==
	      8);
	CHECK(iio_block_first(block, iio_device_get_channel(dev, 1)) == iio_block_end(block));
	iio_block_destroy(block);
	close_all(stream);
}

static void test_core_rx(void)
{
	struct iio_buffer_stream *stream = open_iq(&fake_stream_backend, 500, false);
	struct iio_block *b[3];
	unsigned int i;

	CHECK_INT(iio_buffer_stream_start(stream), -EINVAL); /* no block yet */
	CHECK_INT(iio_err(iio_buffer_stream_create_block(stream, 3)), -EINVAL);
	for (i = 0; i < 3; i++)
		b[i] = new_block(stream, 1000);
	CHECK(iio_block_is_core(b[0]));
	CHECK_INT(iio_block_get_dmabuf_fd(b[0]), -EINVAL);
	CHECK_INT(iio_block_disable_cpu_access(b[0], true), -EINVAL);
	CHECK((char *)iio_block_end(b[0]) - (char *)iio_block_start(b[0]) == 1000);

	CHECK_INT(iio_block_dequeue(b[0], false), -EPERM);
	CHECK_INT(iio_block_enqueue(b[0], 1001, false), -EINVAL);
	CHECK_INT(iio_block_enqueue(b[0], 0, true), -EINVAL); /* cyclic RX */
	CHECK_INT(iio_block_enqueue(b[1], 0, false), 0);
	CHECK_INT(iio_block_enqueue(b[1], 0, false), -EPERM);
	CHECK_INT(iio_block_enqueue(b[2], 0, false), 0);
	CHECK_INT(iio_block_enqueue(b[0], 0, false), 0);
	CHECK_INT(hw.io_calls, 0); /* nothing moves before a dequeue */

	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK(hw.enabled);
	CHECK_INT(hw.enable_nb_samples, 250);
	CHECK(!hw.enable_cyclic);

	/* Dequeue the last one first: the older blocks are filled on the way, in order. */
	CHECK_INT(iio_block_dequeue(b[0], false), 0);
	CHECK_INT(hw.rx_pos, 3000);
	check_pattern(iio_block_start(b[1]), 0, 1000);
	check_pattern(iio_block_start(b[2]), 1000, 1000);
	check_pattern(iio_block_start(b[0]), 2000, 1000);
	CHECK_INT(iio_block_dequeue(b[0], false), -EPERM);
	CHECK_INT(iio_block_dequeue(b[1], true), 0);
	CHECK_INT(iio_block_dequeue(b[2], false), 0);
	CHECK_INT(hw.rx_pos, 3000);

	/* Partial blocks and short transfers. */
	hw.max_io = 64;
	hw.io_calls = 0;
	CHECK_INT(iio_block_enqueue(b[2], 500, false), 0);
	CHECK_INT(iio_block_enqueue(b[1], 0, false), 0);
	CHECK_INT(iio_block_dequeue(b[1], false), 0);
	check_pattern(iio_block_start(b[2]), 3000, 500);
	check_pattern(iio_block_start(b[1]), 3500, 1000);
	CHECK_INT(hw.io_calls, 8 + 16);
	CHECK_INT(iio_block_dequeue(b[2], false), 0);
	CHECK_INT(stream->nb_live_blocks, 3);

	CHECK_INT(iio_buffer_stream_stop(stream), 0);
	CHECK(!hw.enabled);
	for (i = 0; i < 3; i++)
		iio_block_destroy(b[i]);
	close_all(stream);
}

static void test_nonblock_and_timeout(const struct iio_backend *backend)
{
	struct iio_buffer_stream *stream = open_iq(backend, 150, false);
	struct iio_block *block = new_block(stream, 1000);
	double t0;

	CHECK_INT(iio_buffer_stream_start(stream), 0);
	hw.rx_available = 0;
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	if (backend->ops->io_ready) {
		CHECK_INT(iio_block_dequeue(block, true), -EBUSY);
		hw.rx_available = 600;
		CHECK_INT(iio_block_dequeue(block, true), -EBUSY); /* 600 of 1000 */
		CHECK_INT(hw.rx_pos, 600);
		CHECK(iio_block_is_enqueued(block));
		hw.rx_available = 400;
		CHECK_INT(iio_block_dequeue(block, true), 0);
		check_pattern(iio_block_start(block), 0, 1000);
		CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	}

	/* Starved: the context timeout applies, the block stays enqueued. */
	hw.rx_available = 300;
	t0 = now_ms();
	CHECK_INT(iio_block_dequeue(block, false), -ETIMEDOUT);
	CHECK(now_ms() - t0 >= 140 && now_ms() - t0 < 5000);
	CHECK(iio_block_is_enqueued(block));
	CHECK_INT(iio_block_enqueue(block, 0, false), -EPERM);
	/* The retry carries on where the transfer stopped. */
	hw.rx_available = UNLIMITED;
	CHECK_INT(iio_block_dequeue(block, backend->ops->io_ready != NULL), 0);
	check_pattern(iio_block_start(block), backend->ops->io_ready ? 1000 : 0, 1000);

	iio_block_destroy(block);
	close_all(stream);
}

struct dequeuer {
	struct iio_block *block;
	int ret;
	double elapsed;
};

static void *dequeue_thread(void *arg)
{
	struct dequeuer *d = arg;
	double t0 = now_ms();

	d->ret = iio_block_dequeue(d->block, false);
	d->elapsed = now_ms() - t0;
	return NULL;
}

/* Blocked dequeues (one in I/O, one waiting for it) end when another thread cancels. */
static void test_cancel(bool backend_blocks)
{
	struct iio_buffer_stream *stream;
	struct dequeuer a = {0}, b = {0};
	pthread_t ta, tb;
	double t0;

	stream = open_iq(&fake_stream_backend, IIO_TIMEOUT_INFINITE, false);
	hw.provide_blocks = backend_blocks;
	a.block = new_block(stream, 400);
	b.block = new_block(stream, 400);
	CHECK(iio_block_is_core(a.block) == !backend_blocks);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	hw.rx_available = 0;
	hw.blocks_ready = 0;
	CHECK_INT(iio_block_enqueue(a.block, 0, false), 0);
	CHECK_INT(iio_block_enqueue(b.block, 0, false), 0);

	CHECK_INT(pthread_create(&ta, NULL, dequeue_thread, &a), 0);
	sleep_ms(50);
	CHECK_INT(pthread_create(&tb, NULL, dequeue_thread, &b), 0);
	sleep_ms(100);
	t0 = now_ms();
	iio_buffer_stream_cancel(stream);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	CHECK(now_ms() - t0 < 2000);
	CHECK_INT(a.ret, -EBADF);
	CHECK_INT(b.ret, -EBADF);
	CHECK(a.elapsed >= 100);

	/* The stream is dead until closed; the blocks are back with the application. */
	CHECK(!iio_block_is_enqueued(a.block));
	CHECK_INT(iio_block_enqueue(a.block, 0, false), -EBADF);
	CHECK_INT(iio_block_dequeue(a.block, false), -EPERM);
	CHECK_INT(iio_buffer_stream_start(stream), -EBADF);
	CHECK_INT(iio_err(iio_buffer_stream_create_block(stream, 400)), -EBADF);
	iio_buffer_stream_cancel(stream); /* twice is fine */

	iio_block_destroy(a.block);
	/* Closing before the last block is destroyed: released with it. */
	iio_buffer_close(stream);
	CHECK(hw.open);
	CHECK_INT(hw.disable_calls, 1);
	iio_block_destroy(b.block);
	CHECK(!hw.open);
	CHECK_INT(hw.live_blocks, 0);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
}

/* After a cancel no core transfer starts, whatever the backend's cancel does. */
static void test_cancel_without_backend_hook(void)
{
	static struct iio_backend_ops ops;
	static struct iio_backend backend;
	struct iio_buffer_stream *stream;
	struct iio_block *block;

	ops = fake_stream_ops;
	ops.cancel_buffer = NULL;
	backend = fake_stream_backend;
	backend.ops = &ops;
	stream = open_iq(&backend, 150, false);
	block = new_block(stream, 64);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	iio_buffer_stream_cancel(stream);
	CHECK_INT(iio_block_dequeue(block, false), -EBADF);
	CHECK_INT(hw.io_calls, 0);
	CHECK(!iio_block_is_enqueued(block));
	iio_block_destroy(block);
	close_all(stream);
}

static void *feed_later(void *arg)
{
	(void)arg;
	sleep_ms(200);
	fake_set(&hw.rx_available, UNLIMITED);
	return NULL;
}

/* Destroying a block that another thread is filling waits for that transfer. */
static void test_destroy_while_filled(void)
{
	struct iio_buffer_stream *stream = open_iq(&fake_stream_backend, 2000, false);
	struct dequeuer d = {0};
	struct iio_block *first = new_block(stream, 400);
	pthread_t t, feeder;

	d.block = new_block(stream, 400);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	hw.rx_available = 0;
	CHECK_INT(iio_block_enqueue(first, 0, false), 0);
	CHECK_INT(iio_block_enqueue(d.block, 0, false), 0);
	CHECK_INT(pthread_create(&t, NULL, dequeue_thread, &d), 0);
	CHECK_INT(pthread_create(&feeder, NULL, feed_later, NULL), 0);
	sleep_ms(100); /* the thread is reading into `first` */
	iio_block_destroy(first);
	pthread_join(t, NULL);
	pthread_join(feeder, NULL);
	CHECK_INT(d.ret, 0);
	/* Normally `first` got 400 bytes before it went; d.block has the next ones. */
	CHECK(hw.rx_pos == 800 || hw.rx_pos == 400);
	check_pattern(iio_block_start(d.block), hw.rx_pos - 400, 400);
	iio_block_destroy(d.block);
	close_all(stream);
}

static void test_core_tx(void)
{
	struct iio_buffer_stream *stream = open_iq(&fake_stream_backend, 150, true);
	struct iio_block *b0 = new_block(stream, 256), *b1 = new_block(stream, 256);
	uint8_t expect[512];
	unsigned int i;

	for (i = 0; i < 512; i++)
		expect[i] = (uint8_t)(i * 3 + 1);
	memcpy(iio_block_start(b0), expect, 256);
	memcpy(iio_block_start(b1), expect + 256, 256);

	/* Enqueued before the start: sent when the stream starts. */
	CHECK_INT(iio_block_enqueue(b0, 0, false), 0);
	CHECK_INT(hw.tx_len, 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK_INT(hw.enable_nb_samples, 64);
	CHECK_INT(hw.tx_len, 256);
	/* After the start: sent by the enqueue. */
	CHECK_INT(iio_block_enqueue(b1, 128, false), 0);
	CHECK_INT(hw.tx_len, 384);
	CHECK(!memcmp(hw.tx, expect, 384));
	CHECK_INT(iio_block_dequeue(b0, true), 0);
	CHECK_INT(iio_block_dequeue(b1, false), 0);

	/* The device is full: the data waits in the block, dequeue finishes the job. */
	hw.tx_space = 100;
	CHECK_INT(iio_block_enqueue(b0, 0, false), 0); /* sends 100, then times out */
	CHECK_INT(hw.tx_len, 484);
	CHECK_INT(iio_block_dequeue(b0, false), -ETIMEDOUT);
	CHECK(iio_block_is_enqueued(b0));
	CHECK_INT(iio_block_dequeue(b0, true), -EBUSY);
	hw.tx_space = UNLIMITED;
	CHECK_INT(iio_block_dequeue(b0, false), 0);
	CHECK_INT(hw.tx_len, 640);
	CHECK(!memcmp(hw.tx + 384, expect, 256));

	/* Cyclic with read/write I/O: accepted, sent once. */
	CHECK_INT(iio_block_enqueue(b1, 0, true), 0);
	CHECK_INT(hw.tx_len, 896);
	CHECK_INT(iio_block_dequeue(b1, false), 0);
	CHECK(stream->cyclic);

	iio_block_destroy(b0);
	iio_block_destroy(b1);
	close_all(stream);
}

static void test_backend_blocks(void)
{
	struct iio_buffer_stream *stream = open_iq(&fake_stream_backend, 150, false);
	struct iio_block *b[3];
	unsigned int i;

	hw.provide_blocks = true;
	for (i = 0; i < 3; i++) {
		b[i] = new_block(stream, 200);
		CHECK(!iio_block_is_core(b[i]));
		CHECK(iio_block_start(b[i]) == ((struct fake_block *)b[i]->pdata)->data);
	}
	CHECK_INT(hw.live_blocks, 3);
	CHECK_INT(iio_block_get_dmabuf_fd(b[0]), 42);
	CHECK_INT(iio_block_disable_cpu_access(b[0], true), 0);
	CHECK(fake_cpu_access_disabled);

	CHECK_INT(iio_block_dequeue(b[0], false), -EPERM);
	CHECK_INT(iio_block_enqueue(b[0], 201, false), -EINVAL);
	for (i = 0; i < 3; i++)
		CHECK_INT(iio_block_enqueue(b[i], 0, false), 0);
	CHECK_INT(iio_block_enqueue(b[1], 0, false), -EPERM);
	CHECK_INT(hw.hw_enqueued, 3);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK_INT(hw.enable_nb_samples, 0); /* no core block */
	CHECK_INT(hw.enqueued_at_enable, 3);

	/* The hardware completes one block: the second is not ready. */
	fake_set_blocks_ready(1);
	CHECK_INT(iio_block_dequeue(b[0], false), 0);
	check_pattern(iio_block_start(b[0]), 0, 200);
	CHECK_INT(iio_block_dequeue(b[1], true), -EBUSY);
	CHECK_INT(iio_block_dequeue(b[1], false), -ETIMEDOUT);
	CHECK(iio_block_is_enqueued(b[1]));
	fake_set_blocks_ready(~0u);
	CHECK_INT(iio_block_dequeue(b[1], false), 0);
	CHECK_INT(iio_block_dequeue(b[2], true), 0);
	check_pattern(iio_block_start(b[1]), 200, 200);
	check_pattern(iio_block_start(b[2]), 400, 200);

	/* A backend error other than ENOSYS fails the creation. */
	hw.create_block_error = -ENOMEM;
	CHECK_INT(iio_err(iio_buffer_stream_create_block(stream, 200)), -ENOMEM);
	hw.create_block_error = 0;

	/* Destroying an enqueued block hands it back to the backend. */
	CHECK_INT(iio_block_enqueue(b[2], 0, false), 0);
	for (i = 0; i < 3; i++)
		iio_block_destroy(b[i]);
	CHECK_INT(hw.live_blocks, 0);
	close_all(stream);
}

static void test_backend_tx_cyclic(void)
{
	struct iio_buffer_stream *stream = open_iq(&fake_stream_backend, 150, true);
	struct iio_block *block;

	hw.provide_blocks = true;
	block = new_block(stream, 64);
	memset(iio_block_start(block), 0x5a, 64);
	CHECK_INT(iio_block_enqueue(block, 0, true), 0);
	CHECK(((struct fake_block *)block->pdata)->cyclic);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK(hw.enable_cyclic);
	CHECK_INT(iio_buffer_stream_stop(stream), 0);
	CHECK_INT(hw.disable_calls, 1);
	iio_block_destroy(block);
	close_all(stream);
}

int main(void)
{
	fake_stream_ops_no_ready = fake_stream_ops;
	fake_stream_ops_no_ready.io_ready = NULL;
	fake_stream_backend_no_ready = fake_stream_backend;
	fake_stream_backend_no_ready.ops = &fake_stream_ops_no_ready;

	test_open_errors();
	test_widened_mask();
	test_core_rx();
	test_nonblock_and_timeout(&fake_stream_backend);
	test_nonblock_and_timeout(&fake_stream_backend_no_ready);
	test_cancel(false);
	test_cancel(true);
	test_cancel_without_backend_hook();
	test_destroy_while_filled();
	test_core_tx();
	test_backend_blocks();
	test_backend_tx_cyclic();
	printf("test-block: OK\n");
	return 0;
}
