// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iio_stream over a fake backend: the RX and TX block order of api.md §11,
 * with core and backend blocks, retries after an error, cancel, teardown.
 */
#include "test-stream-fake.h"

#include <errno.h>
#include <pthread.h>

static const struct fake_channel iq[] = {
	{"voltage0", 0, "le:s16/16>>0"},
	{"voltage1", 1, "le:s16/16>>0"},
};

#define NB_BLOCKS 4
#define SAMPLES 64
#define BLOCK_SIZE (SAMPLES * 4)

static struct iio_context *ctx;
static struct iio_channels_mask *mask;

static struct iio_stream *make_stream(int timeout_ms, bool output, bool backend_blocks)
{
	struct iio_stream *stream;

	ctx = fake_context(&fake_stream_backend, timeout_ms, output, iq, 2);
	mask = mask_all(iio_context_get_device(ctx, 0));
	hw.provide_blocks = backend_blocks;
	stream = iio_buffer_create_stream(fake_buffer(ctx), NB_BLOCKS, SAMPLES, mask);
	CHECK(!iio_err(stream));
	CHECK_INT(stream->nb_blocks, NB_BLOCKS);
	CHECK(iio_block_is_core(stream->blocks[0]) == !backend_blocks);
	CHECK_INT(iio_block_get_size(stream->blocks[0]), BLOCK_SIZE);
	return stream;
}

static void destroy_stream(struct iio_stream *stream)
{
	iio_stream_destroy(stream);
	CHECK(!hw.open);
	CHECK_INT(hw.live_blocks, 0);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
}

static void test_arguments(void)
{
	ctx = fake_context(&fake_stream_backend, 100, false, iq, 2);
	mask = mask_all(iio_context_get_device(ctx, 0));
	CHECK_INT(iio_err(iio_buffer_create_stream(NULL, 4, 64, mask)), -EINVAL);
	CHECK_INT(iio_err(iio_buffer_create_stream(fake_buffer(ctx), 0, 64, mask)), -EINVAL);
	CHECK_INT(iio_err(iio_buffer_create_stream(fake_buffer(ctx), 4, 0, mask)), -EINVAL);
	CHECK_INT(iio_err(iio_buffer_create_stream(fake_buffer(ctx), 4, 64, NULL)), -EINVAL);
	CHECK_INT(iio_err(iio_buffer_create_stream(fake_buffer(ctx), 4, SIZE_MAX / 2, mask)),
		  -EINVAL);
	CHECK(!hw.open);
	/* A block that cannot be created undoes everything. */
	hw.create_block_error = -ENOMEM;
	CHECK_INT(iio_err(iio_buffer_create_stream(fake_buffer(ctx), 4, 64, mask)), -ENOMEM);
	CHECK(!hw.open);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
}

/* RX: blocks come back 1, 2, ..., n-1, 0, 1 ... each holding the next bytes. */
static void test_rx(bool backend_blocks)
{
	struct iio_stream *stream = make_stream(500, false, backend_blocks);
	const struct iio_block *block;
	unsigned int i;

	CHECK_INT(hw.enable_calls, 0);
	for (i = 0; i < 3 * NB_BLOCKS; i++) {
		block = iio_stream_get_next_block(stream);
		CHECK(!iio_err(block));
		CHECK(block == stream->blocks[(i + 1) % NB_BLOCKS]);
		check_pattern(iio_block_start(block), (uint64_t)i * BLOCK_SIZE, BLOCK_SIZE);
		if (!i) {
			/* Every block was enqueued before the buffer was started. */
			CHECK_INT(hw.enable_calls, 1);
			if (backend_blocks)
				CHECK_INT(hw.enqueued_at_enable, NB_BLOCKS);
			CHECK_INT(hw.enable_nb_samples, backend_blocks ? 0 : SAMPLES);
		}
	}
	CHECK_INT(hw.enable_calls, 1);

	/* Starved: the call fails, the next one retries and gets the right block. */
	fake_set(&hw.rx_available, 0);
	fake_set_blocks_ready(0);
	CHECK_INT(iio_err(iio_stream_get_next_block(stream)), -ETIMEDOUT);
	CHECK_INT(iio_err(iio_stream_get_next_block(stream)), -ETIMEDOUT);
	fake_set(&hw.rx_available, UNLIMITED);
	fake_set_blocks_ready(~0u);
	block = iio_stream_get_next_block(stream);
	CHECK(!iio_err(block));
	CHECK(block == stream->blocks[(3 * NB_BLOCKS + 1) % NB_BLOCKS]);
	check_pattern(iio_block_start(block), (uint64_t)3 * NB_BLOCKS * BLOCK_SIZE, BLOCK_SIZE);

	/* Teardown reads nothing more with core blocks. */
	hw.io_calls = 0;
	destroy_stream(stream);
	if (!backend_blocks)
		CHECK_INT(hw.io_calls, 0);
	CHECK_INT(hw.disable_calls, 1);
}

static void fill(const struct iio_block *block, unsigned int seq)
{
	memset(iio_block_start(block), (int)(seq + 1), BLOCK_SIZE);
}

/* The sink must hold blocks 1..count, in order, full size each. */
static void check_sink(unsigned int count)
{
	unsigned int i, j;

	CHECK_INT(hw.tx_len, (size_t)count * BLOCK_SIZE);
	for (i = 0; i < count; i++)
		for (j = 0; j < BLOCK_SIZE; j++)
			CHECK_INT(hw.tx[i * BLOCK_SIZE + j], i + 1);
}

/*
 * TX: the first call hands out block 0 un-enqueued; each later call sends
 * the previous block and hands out the next, waiting for it once all have
 * been sent once.
 */
static void test_tx(bool backend_blocks)
{
	struct iio_stream *stream = make_stream(500, true, backend_blocks);
	const struct iio_block *block;
	unsigned int i;

	block = iio_stream_get_next_block(stream);
	CHECK(block == stream->blocks[0]);
	CHECK(!iio_block_is_enqueued(block));
	CHECK_INT(hw.enable_calls, 0);
	fill(block, 0);

	for (i = 1; i < 2 * NB_BLOCKS + 1; i++) {
		block = iio_stream_get_next_block(stream);
		CHECK(!iio_err(block));
		CHECK(block == stream->blocks[i % NB_BLOCKS]);
		CHECK(!iio_block_is_enqueued(block));
		CHECK_INT(hw.enable_calls, 1); /* started with the first enqueue */
		if (!backend_blocks)
			check_sink(i); /* core blocks go out when enqueued */
		fill(block, i);
	}
	if (backend_blocks)
		check_sink(NB_BLOCKS + 1); /* the hardware finished those handed out again */

	/* Teardown sends what was enqueued; the block the application holds is dropped. */
	destroy_stream(stream);
	check_sink(2 * NB_BLOCKS);
}

static void test_tx_retry(void)
{
	struct iio_stream *stream = make_stream(100, true, true);
	const struct iio_block *block;
	unsigned int i;

	for (i = 0; i < NB_BLOCKS + 1; i++) {
		block = iio_stream_get_next_block(stream);
		CHECK(!iio_err(block));
		fill(block, i);
	}
	/* The hardware stalls: the wait for block 1 fails, then succeeds. */
	fake_set_blocks_ready(0);
	CHECK_INT(iio_err(iio_stream_get_next_block(stream)), -ETIMEDOUT);
	fake_set_blocks_ready(~0u);
	block = iio_stream_get_next_block(stream);
	CHECK(block == stream->blocks[(NB_BLOCKS + 1) % NB_BLOCKS]);
	destroy_stream(stream);
	check_sink(NB_BLOCKS + 1);
}

struct getter {
	struct iio_stream *stream;
	const struct iio_block *block;
};

static void *get_thread(void *arg)
{
	struct getter *g = arg;

	g->block = iio_stream_get_next_block(g->stream);
	return NULL;
}

static void test_cancel(void)
{
	struct getter g = {0};
	pthread_t t;
	double t0;

	g.stream = make_stream(IIO_TIMEOUT_INFINITE, false, false);
	CHECK(!iio_err(iio_stream_get_next_block(g.stream)));
	fake_set(&hw.rx_available, 0);
	CHECK_INT(pthread_create(&t, NULL, get_thread, &g), 0);
	sleep_ms(100);
	t0 = now_ms();
	iio_stream_cancel(g.stream);
	pthread_join(t, NULL);
	CHECK(now_ms() - t0 < 2000);
	CHECK_INT(iio_err(g.block), -EBADF);
	CHECK_INT(iio_err(iio_stream_get_next_block(g.stream)), -EBADF);
	destroy_stream(g.stream);
}

int main(void)
{
	test_arguments();
	test_rx(false);
	test_rx(true);
	test_tx(false);
	test_tx(true);
	test_tx_retry();
	test_cancel();
	printf("test-stream: OK\n");
	return 0;
}
