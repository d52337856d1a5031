// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * read()/write() streaming of the local backend with the real system calls,
 * on fixture trees whose /dev/iio:deviceN is a plain file or a FIFO (what
 * tools tests use with LIBIIO_LOCAL_ROOT): data in the device's layout,
 * partial reads, the buffer's sysfs files, timeouts, cancel, end of file.
 */
#include "test-local-io-fake.h"

#include <time.h>

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Writes count little-endian 16-bit values first, first + 1, ... to the device node. */
static void fill_node(const char *root, unsigned int dev, unsigned int count)
{
	char path[PATH_MAX + 32];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dev/iio:device%u", root, dev);
	f = fopen(path, "w");
	CHECK(f);
	for (i = 0; i < count; i++) {
		uint8_t le[2] = {(uint8_t)i, (uint8_t)(i >> 8)};

		CHECK(fwrite(le, 1, 2, f) == 2);
	}
	fclose(f);
}

static void check_counter(const void *data, size_t bytes, unsigned int first)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < bytes / 2; i++)
		CHECK_INT(p[2 * i] | p[2 * i + 1] << 8, (uint16_t)(first + i));
}

/* The path tools take: iio_stream over a plain file, in the device's sample layout. */
static void test_stream_regular_file(void)
{
	struct iio_channels_mask *mask;
	const struct iio_block *block;
	struct iio_stream *stream;
	struct iio_device *dev;
	char root[PATH_MAX], text[32];
	struct fx_ctx fc;
	unsigned int i;

	fx_make(root, sizeof(root), false);
	fill_node(root, 0, 4000);
	fx_ctx_open(&fc, root, 0);
	dev = iio_context_find_device(fc.ctx, "adc");
	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	iio_channel_enable(iio_device_find_channel(dev, "voltage0", false), mask);
	iio_channel_enable(iio_device_find_channel(dev, "voltage1", false), mask);

	stream = iio_buffer_create_stream(iio_device_get_buffer(dev, 0), 4, 100, mask);
	CHECK(!iio_err(stream));
	for (i = 0; i < 5; i++) {
		block = iio_stream_get_next_block(stream);
		CHECK(!iio_err(block));
		CHECK((char *)iio_block_end(block) - (char *)iio_block_start(block) == 400);
		/* 2 channels x 16 bits: 200 values a block, in file order. */
		check_counter(iio_block_start(block), 400, i * 200);
	}
	/* The buffer's files are plain files here: written like sysfs. */
	fx_read(root, FX_ADC "buffer/enable", text, sizeof(text));
	CHECK_STR(text, "1");
	fx_read(root, FX_ADC "buffer/length", text, sizeof(text));
	CHECK_STR(text, "400");
	fx_read(root, FX_ADC "buffer/watermark", text, sizeof(text));
	CHECK_STR(text, "100");
	fx_read(root, FX_ADC "scan_elements/in_voltage1_en", text, sizeof(text));
	CHECK_STR(text, "1");
	iio_stream_destroy(stream);
	fx_read(root, FX_ADC "buffer/enable", text, sizeof(text));
	CHECK_STR(text, "0");
	CHECK(fx_logged(&fc, "DMABUF not used (no buffer fd"));

	iio_channels_mask_destroy(mask);
	fx_ctx_close(&fc);
	fx_remove(root);
}

/* A plain file that ends: the rest is an error saying so, the data before it arrives. */
static void test_end_of_file(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	char root[PATH_MAX];
	struct fx_ctx fc;

	fx_make(root, sizeof(root), false);
	fill_node(root, 0, 50);
	fx_ctx_open(&fc, root, 0);
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 400);
	CHECK(!iio_err(block));
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK_INT(iio_block_dequeue(block, false), -EIO);
	CHECK(fx_logged(&fc, "iio:device0: buffer 0: read() moved no data (end of file)"));
	check_counter(iio_block_start(block), 100, 0);
	iio_block_destroy(block);
	iio_buffer_close(stream);
	fx_ctx_close(&fc);
	fx_remove(root);
}

/* TX into a plain file: the bytes land as they are. */
static void test_tx_regular_file(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	char root[PATH_MAX], path[PATH_MAX + 32];
	uint8_t *data, back[256];
	struct fx_ctx fc;
	unsigned int i;
	FILE *f;

	fx_make(root, sizeof(root), false);
	fx_ctx_open(&fc, root, 0);
	stream = fx_open(&fc, "dac", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 256);
	CHECK(!iio_err(block));
	data = iio_block_start(block);
	for (i = 0; i < 256; i++)
		data[i] = (uint8_t)(i * 7);
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK_INT(iio_block_dequeue(block, false), 0);
	iio_block_destroy(block);
	iio_buffer_close(stream);

	snprintf(path, sizeof(path), "%s/dev/iio:device1", root);
	f = fopen(path, "r");
	CHECK(f);
	CHECK_INT(fread(back, 1, sizeof(back), f), 256);
	fclose(f);
	for (i = 0; i < 256; i++)
		CHECK_INT(back[i], (uint8_t)(i * 7));
	fx_ctx_close(&fc);
	fx_remove(root);
}

struct writer {
	char path[PATH_MAX + 32];
	unsigned int count; /* 16-bit values */
	unsigned int chunk; /* bytes per write() */
};

static void *fifo_writer(void *arg)
{
	struct writer *w = arg;
	uint8_t *bytes = malloc(2 * w->count);
	size_t done = 0, len = 2 * w->count;
	unsigned int i;
	int fd;

	CHECK(bytes);
	for (i = 0; i < w->count; i++) {
		bytes[2 * i] = (uint8_t)i;
		bytes[2 * i + 1] = (uint8_t)(i >> 8);
	}
	fd = open(w->path, O_WRONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	while (done < len) {
		size_t n = len - done < w->chunk ? len - done : w->chunk;
		ssize_t ret = write(fd, bytes + done, n);

		CHECK(ret > 0);
		done += (size_t)ret;
		usleep(200);
	}
	close(fd);
	free(bytes);
	return NULL;
}

/* Data trickling through a FIFO in odd-sized pieces: blocks come out whole and in order. */
static void test_fifo_partial_reads(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *blocks[2];
	struct writer w = {.count = 2400, .chunk = 7};
	char root[PATH_MAX];
	struct fx_ctx fc;
	pthread_t thread;
	unsigned int i;

	fx_make(root, sizeof(root), true);
	fx_ctx_open(&fc, root, 5000);
	stream = fx_open(&fc, "adc", 0, "voltage0", "voltage1", NULL);
	CHECK(!iio_err(stream));
	for (i = 0; i < 2; i++) {
		blocks[i] = iio_buffer_stream_create_block(stream, 400);
		CHECK(!iio_err(blocks[i]));
		CHECK_INT(iio_block_enqueue(blocks[i], 0, false), 0);
	}
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	snprintf(w.path, sizeof(w.path), "%s/dev/iio:device0", root);
	CHECK(pthread_create(&thread, NULL, fifo_writer, &w) == 0);

	for (i = 0; i < 12; i++) {
		struct iio_block *block = blocks[i % 2];

		CHECK_INT(iio_block_dequeue(block, false), 0);
		check_counter(iio_block_start(block), 400, i * 200);
		if (i < 10)
			CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	}
	CHECK(pthread_join(thread, NULL) == 0);
	for (i = 0; i < 2; i++)
		iio_block_destroy(blocks[i]);
	iio_buffer_close(stream);
	fx_ctx_close(&fc);
	fx_remove(root);
}

struct reader {
	struct iio_block *block;
	int ret;
};

static void *dequeue_thread(void *arg)
{
	struct reader *r = arg;

	r->ret = iio_block_dequeue(r->block, false);
	return NULL;
}

/* An empty FIFO: -EBUSY without waiting, -ETIMEDOUT after the timeout, -EBADF on cancel. */
static void test_fifo_timeout_and_cancel(void)
{
	struct iio_buffer_stream *stream;
	struct reader r;
	struct timespec start;
	char root[PATH_MAX];
	struct fx_ctx fc;
	pthread_t thread;

	fx_make(root, sizeof(root), true);
	fx_ctx_open(&fc, root, 100);
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	r.block = iio_buffer_stream_create_block(stream, 64);
	CHECK(!iio_err(r.block));
	CHECK_INT(iio_block_enqueue(r.block, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);

	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK_INT(iio_block_dequeue(r.block, true), -EBUSY);
	CHECK(elapsed_ms(&start) < 50);
	CHECK_INT(iio_block_dequeue(r.block, false), -ETIMEDOUT);
	CHECK(elapsed_ms(&start) >= 95 && elapsed_ms(&start) < 1000);

	/* Wait forever, until another thread cancels. */
	CHECK_INT(iio_context_set_timeout(fc.ctx, IIO_TIMEOUT_INFINITE), 0);
	CHECK(pthread_create(&thread, NULL, dequeue_thread, &r) == 0);
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &start);
	iio_buffer_stream_cancel(stream);
	CHECK(pthread_join(thread, NULL) == 0);
	CHECK_INT(r.ret, -EBADF);
	CHECK(elapsed_ms(&start) < 500);
	CHECK(fx_logged(&fc, "read() ended by a cancel"));
	/* Permanent until closed. */
	CHECK_INT(iio_block_enqueue(r.block, 0, false), -EBADF);

	iio_block_destroy(r.block);
	iio_buffer_close(stream);
	fx_ctx_close(&fc);
	fx_remove(root);
}

int main(void)
{
	unsetenv("LIBIIO_DMA_HEAP_PATH");
	test_stream_regular_file();
	test_end_of_file();
	test_tx_regular_file();
	test_fifo_partial_reads();
	test_fifo_timeout_and_cancel();
	printf("test-local-io-fileio: all passed\n");
	return 0;
}
