// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The local backend's streaming through a fake kernel (test-local-io-fake.h):
 * the IIO DMABUF state machine, the order of the ioctls, CPU access syncs,
 * timeouts, cancel from another thread, clear errors, and every fallback
 * (no DMA heap -> udmabuf -> read()/write(); ATTACH refused; old kernels).
 */
#include "test-local-io-fake.h"
#include "stream-internal.h"

#if defined(__has_include)
#if __has_include(<linux/dma-buf.h>) && __has_include(<linux/dma-heap.h>) && \
	__has_include(<linux/udmabuf.h>) && __has_include(<linux/iio/buffer.h>)
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/iio/buffer.h>
#include <linux/udmabuf.h>
#define HAVE_KERNEL_HEADERS 1
#endif
#endif

#include <time.h>

static char root[PATH_MAX];

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static struct iio_buffer_stream_pdata *stream_pdata(struct iio_buffer_stream *stream)
{
	return stream->pdata;
}

static void get_info(struct iio_buffer_stream *stream, struct local_io_info *info)
{
	local_buffer_io_info(stream_pdata(stream), info);
}

/* A fresh fixture, fake kernel and context for one test. */
static void setup(struct fx_ctx *fc, int timeout_ms)
{
	fake_reset(root);
	fx_ctx_open(fc, root, timeout_ms);
	fake_attach(fc);
}

static void teardown(struct fx_ctx *fc)
{
	fx_ctx_close(fc);
	fake_reset(root); /* checks that every fd went back */
}

static void test_uapi_numbers(void)
{
	/* The private headers against the asm-generic encoding of the kernel's definitions. */
	CHECK_INT(LOCAL_IIO_BUFFER_DMABUF_ATTACH_IOCTL, _IOW('i', 0x92, int));
	CHECK_INT(LOCAL_IIO_BUFFER_DMABUF_DETACH_IOCTL, _IOW('i', 0x93, int));
	CHECK_INT(LOCAL_IIO_BUFFER_DMABUF_ENQUEUE_IOCTL, _IOW('i', 0x94, struct local_iio_dmabuf));
	CHECK_INT(LOCAL_IIO_GET_EVENT_FD_IOCTL, _IOR('i', 0x90, int));
#ifdef HAVE_KERNEL_HEADERS
	CHECK_INT(LOCAL_IIO_BUFFER_GET_FD_IOCTL, IIO_BUFFER_GET_FD_IOCTL);
	CHECK_INT(LOCAL_DMA_HEAP_IOCTL_ALLOC, DMA_HEAP_IOCTL_ALLOC);
	CHECK_INT(sizeof(struct local_dma_heap_alloc), sizeof(struct dma_heap_allocation_data));
	CHECK_INT(LOCAL_DMA_BUF_IOCTL_SYNC, DMA_BUF_IOCTL_SYNC);
	CHECK_INT(LOCAL_DMA_BUF_SYNC_RW, DMA_BUF_SYNC_RW);
	CHECK_INT(LOCAL_DMA_BUF_SYNC_END, DMA_BUF_SYNC_END);
	CHECK_INT(LOCAL_UDMABUF_CREATE, UDMABUF_CREATE);
	CHECK_INT(LOCAL_UDMABUF_FLAGS_CLOEXEC, UDMABUF_FLAGS_CLOEXEC);
#else
	CHECK_INT(LOCAL_IIO_BUFFER_GET_FD_IOCTL, _IOWR('i', 0x91, int));
	CHECK_INT(LOCAL_DMA_BUF_IOCTL_SYNC, _IOW('b', 0, struct local_dma_buf_sync));
#endif
}

/* RX: the whole life of two DMABUF blocks, checked call by call. */
static void test_dmabuf_rx_sequence(void)
{
	struct iio_block *b0, *b1;
	struct iio_buffer_stream *stream;
	struct local_io_info info;
	struct fx_ctx fc;
	const uint8_t *data;
	char text[32];
	int fd, i;

	setup(&fc, 0);
	stream = fx_open(&fc, "adc", 0, "voltage0", "voltage1", NULL);
	CHECK(!iio_err(stream));
	CHECK_STR(fake_log_text(0),
		  "open /dev/iio:device0; GET_FD 0; close chardev; F_SETFL buffer0 O_NONBLOCK; "
		  "write buffer/enable 0; write scan_elements/in_voltage0_en 0; "
		  "write scan_elements/in_voltage1_en 0; write scan_elements/in_voltage0_en 1; "
		  "write scan_elements/in_voltage1_en 1");

	fake_clear_log();
	b0 = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(b0));
	b1 = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(b1));
	/* Mapped, CPU access started, attached: all before the buffer is enabled. */
	CHECK_STR(fake_log_text(0),
		  "open /dev/dma_heap/system; HEAP_ALLOC 4096; SYNC START d0; ATTACH d0; "
		  "open /dev/dma_heap/system; HEAP_ALLOC 4096; SYNC START d1; ATTACH d1");
	fd = iio_block_get_dmabuf_fd(b0);
	CHECK(fd >= 0 && fake_obj(fd) && fake_obj(fd)->kind == FAKE_DMABUF);
	CHECK_STR(fake_obj(fd)->name, "d0");
	get_info(stream, &info);
	CHECK_INT(info.path, LOCAL_IO_DMABUF);
	CHECK_INT(info.nb_blocks[LOCAL_DMABUF_HEAP], 2);
	CHECK_INT(info.fileio.step, LOCAL_STEP_NONE);

	fake_clear_log();
	CHECK_INT(iio_block_enqueue(b0, 0, false), 0);
	CHECK_INT(iio_block_enqueue(b1, 0, false), 0);
	CHECK_INT(iio_block_enqueue(b1, 0, false), -EPERM);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	/* length/watermark in samples of 4 bytes: the smallest block, 4096 bytes. */
	CHECK_STR(fake_log_text(0),
		  "SYNC END d0; ENQUEUE d0 4096; SYNC END d1; ENQUEUE d1 4096; "
		  "write buffer/length 1024; write buffer/watermark 1024; write buffer/enable 1; "
		  "done d0; done d1");
	fx_read(root, FX_ADC "buffer/enable", text, sizeof(text));
	CHECK_STR(text, "1");

	fake_clear_log();
	CHECK_INT(iio_block_dequeue(b0, false), 0);
	CHECK_STR(fake_log_text(0), "SYNC START d0");
	data = iio_block_start(b0);
	for (i = 0; i < 4096; i++)
		CHECK_INT(data[i], (uint8_t)i);
	CHECK_INT(iio_block_dequeue(b1, true), 0);
	data = iio_block_start(b1);
	CHECK_INT(data[0], (uint8_t)4096);
	CHECK_INT(iio_block_dequeue(b1, true), -EPERM);

	/* Again: enqueue on a running buffer completes at once. */
	CHECK_INT(iio_block_enqueue(b0, 100, false), 0);
	CHECK_INT(iio_block_dequeue(b0, false), 0);
	CHECK(fake_log_has("ENQUEUE d0 100"));

	fake_clear_log();
	CHECK_INT(iio_buffer_stream_stop(stream), 0);
	iio_block_destroy(b0);
	iio_block_destroy(b1);
	iio_buffer_close(stream);
	CHECK_STR(fake_log_text(0),
		  "write buffer/enable 0; DETACH d0; SYNC END d0; close d0; DETACH d1; "
		  "SYNC END d1; close d1; write buffer/enable 0; close buffer0");
	CHECK(fx_logged(&fc, "zero-copy: DMABUF blocks from DMA heap"));
	teardown(&fc);
}

/* TX: cyclic flag, blocks that never complete until the buffer is disabled. */
static void test_dmabuf_tx_cyclic(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	struct timespec start;
	struct fx_ctx fc;
	int16_t *samples;
	int i;

	setup(&fc, 200);
	stream = fx_open(&fc, "dac", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 1000);
	CHECK(!iio_err(block));
	/* The DMABUF is whole pages; the block keeps its size. */
	CHECK(fake_log_has("HEAP_ALLOC 4096"));
	CHECK((char *)iio_block_end(block) - (char *)iio_block_start(block) == 1000);
	samples = iio_block_start(block);
	for (i = 0; i < 500; i++)
		samples[i] = (int16_t)(i * 3);

	CHECK_INT(iio_block_enqueue(block, 0, true), 0);
	CHECK(fake_log_has("ENQUEUE d0 1000 cyclic"));
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK(fake_log_has("write buffer/length 500"));

	CHECK_INT(iio_block_dequeue(block, true), -EBUSY);
	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK_INT(iio_block_dequeue(block, false), -ETIMEDOUT);
	CHECK(elapsed_ms(&start) >= 190);
	/* Disabling the buffer gives the cyclic block back. */
	CHECK_INT(iio_buffer_stream_stop(stream), 0);
	CHECK(fake_log_has("aborted d0"));
	CHECK_INT(iio_block_dequeue(block, false), 0);
	CHECK_INT(samples[499], 499 * 3);

	iio_block_destroy(block);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* After iio_block_disable_cpu_access(), no DMA_BUF_IOCTL_SYNC at all. */
static void test_disable_cpu_access(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	struct fx_ctx fc;
	int i;

	setup(&fc, 0);
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 8192);
	CHECK(!iio_err(block));
	CHECK_INT(iio_buffer_stream_start(stream), 0);

	fake_clear_log();
	CHECK_INT(iio_block_disable_cpu_access(block, true), 0);
	CHECK_STR(fake_log_text(0), "SYNC END d0");
	CHECK_INT(iio_block_disable_cpu_access(block, true), 0);
	CHECK_STR(fake_log_text(0), "SYNC END d0");

	fake_clear_log();
	for (i = 0; i < 3; i++) {
		CHECK_INT(iio_block_enqueue(block, 0, false), 0);
		CHECK_INT(iio_block_dequeue(block, false), 0);
	}
	CHECK(!strstr(fake_log_text(0), "SYNC"));
	CHECK_STR(fake_log_text(0), "ENQUEUE d0 8192; done d0; ENQUEUE d0 8192; done d0; "
				    "ENQUEUE d0 8192; done d0");

	/* Turning it back on while the block is with the application starts CPU access. */
	fake_clear_log();
	CHECK_INT(iio_block_disable_cpu_access(block, false), 0);
	CHECK_STR(fake_log_text(0), "SYNC START d0");
	iio_block_destroy(block);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* Attaching to an enabled buffer is refused by the kernel: a clear error, no fallback. */
static void test_attach_after_enable(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block, *late;
	struct local_io_info info;
	struct fx_ctx fc;

	setup(&fc, 0);
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(block));
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	late = iio_buffer_stream_create_block(stream, 4096);
	CHECK_INT(iio_err(late), -EBUSY);
	CHECK(fx_logged(&fc, "iio:device0: buffer 0: Unable to attach a DMABUF block: the buffer "
			     "is enabled; create every block before starting the stream"));
	get_info(stream, &info);
	CHECK_INT(info.path, LOCAL_IO_DMABUF);
	CHECK_INT(info.nb_blocks[LOCAL_DMABUF_HEAP], 1);
	iio_block_destroy(block);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* Kernel errors reach the user with what failed and where. */
static void test_errors(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	struct fx_ctx fc;
	void *data;

	setup(&fc, 0);
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(block));
	CHECK_INT(iio_buffer_stream_start(stream), 0);

	/* A fence still pending: EBUSY; the CPU gets its access back. */
	fk.enqueue_err = -EBUSY;
	fake_clear_log();
	CHECK_INT(iio_block_enqueue(block, 0, false), -EBUSY);
	CHECK_STR(fake_log_text(0), "SYNC END d0; ENQUEUE d0 4096; SYNC START d0");
	CHECK(fx_logged(&fc, "iio:device0: buffer 0: Unable to enqueue a DMABUF block: still in "
			     "use by the hardware"));
	fk.enqueue_err = 0;
	data = iio_block_start(block);
	memset(data, 0x55, 16);

	/* Unplugged. */
	fk.gone = true;
	CHECK_INT(iio_block_enqueue(block, 0, false), -ENODEV);
	CHECK(fx_logged(&fc, "iio:device0: buffer 0: Unable to enqueue a DMABUF block: the "
			     "device is gone"));
	iio_block_destroy(block);
	iio_buffer_close(stream);
	fk.gone = false;

	/* Another process has the device. */
	fk.chardev_busy = true;
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK_INT(iio_err(stream), -EBUSY);
	CHECK(fx_logged(&fc, "iio:device0: buffer 0: Unable to open "));
	CHECK(fx_logged(&fc, "/dev/iio:device0: busy, another process is using this device"));
	fk.chardev_busy = false;

	/* A channel that is not a scan element of buffer 1. */
	stream = fx_open(&fc, "adc", 1, "voltage0", NULL);
	CHECK_INT(iio_err(stream), -EINVAL);
	CHECK(fx_logged(&fc, "buffer 1: Unable to enable channel voltage0: not a scan element"));

	/* An unknown heap name is refused, not turned into a path. */
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	CHECK(setenv("LIBIIO_DMA_HEAP_PATH", "../../etc", 1) == 0);
	block = iio_buffer_stream_create_block(stream, 4096);
	CHECK_INT(iio_err(block), -EINVAL);
	CHECK(fx_logged(&fc, "LIBIIO_DMA_HEAP_PATH='../../etc' is not a known DMA heap"));
	CHECK(unsetenv("LIBIIO_DMA_HEAP_PATH") == 0);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* No completion: non-blocking -EBUSY at once, blocking -ETIMEDOUT after the context timeout. */
static void test_timeouts(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	struct timespec start;
	struct fx_ctx fc;

	setup(&fc, 150);
	fk.auto_complete = false;
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(block));
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);

	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK_INT(iio_block_dequeue(block, true), -EBUSY);
	CHECK(elapsed_ms(&start) < 50);
	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK_INT(iio_block_dequeue(block, false), -ETIMEDOUT);
	CHECK(elapsed_ms(&start) >= 145 && elapsed_ms(&start) < 1000);

	/* Still enqueued: done later, dequeued then. */
	fake_complete_all();
	CHECK_INT(iio_block_dequeue(block, false), 0);
	CHECK_INT(iio_block_dequeue(block, false), -EPERM);

	/* The timeout is read at each wait. */
	CHECK_INT(iio_context_set_timeout(fc.ctx, 30), 0);
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK_INT(iio_block_dequeue(block, false), -ETIMEDOUT);
	CHECK(elapsed_ms(&start) >= 28 && elapsed_ms(&start) < 140);
	iio_block_destroy(block); /* freed while enqueued: detached anyway */
	CHECK(fake_log_has("DETACH d0"));
	iio_buffer_close(stream);
	teardown(&fc);
}

struct waiter {
	struct iio_block *block;
	int ret;
	bool done;
};

static void *dequeue_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = iio_block_dequeue(w->block, false);
	__atomic_store_n(&w->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A cancel from another thread wakes every blocked dequeue, and later calls fail at once. */
static void test_cancel(void)
{
	struct iio_buffer_stream *stream;
	struct waiter w[2];
	pthread_t threads[2];
	struct timespec start;
	struct fx_ctx fc;
	int i;

	setup(&fc, IIO_TIMEOUT_INFINITE);
	fk.auto_complete = false;
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	for (i = 0; i < 2; i++) {
		w[i] = (struct waiter){.block = iio_buffer_stream_create_block(stream, 4096)};
		CHECK(!iio_err(w[i].block));
		CHECK_INT(iio_block_enqueue(w[i].block, 0, false), 0);
	}
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	for (i = 0; i < 2; i++)
		CHECK(pthread_create(&threads[i], NULL, dequeue_thread, &w[i]) == 0);
	usleep(100000);
	CHECK(!__atomic_load_n(&w[0].done, __ATOMIC_SEQ_CST));
	CHECK(!__atomic_load_n(&w[1].done, __ATOMIC_SEQ_CST));

	clock_gettime(CLOCK_MONOTONIC, &start);
	iio_buffer_stream_cancel(stream);
	for (i = 0; i < 2; i++) {
		CHECK(pthread_join(threads[i], NULL) == 0);
		CHECK_INT(w[i].ret, -EBADF);
	}
	CHECK(elapsed_ms(&start) < 500);
	CHECK(fx_logged(&fc, "DMABUF dequeue ended by a cancel"));

	/* Permanent: no new block, no enqueue, no start. */
	CHECK_INT(iio_err(iio_buffer_stream_create_block(stream, 4096)), -EBADF);
	CHECK_INT(iio_block_enqueue(w[0].block, 0, false), -EBADF);
	CHECK_INT(local_enqueue_block(w[0].block->pdata, 4096, false), -EBADF);
	for (i = 0; i < 2; i++)
		iio_block_destroy(w[i].block);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* ---- Fallbacks ------------------------------------------------------------- */

/* No DMA heap: udmabuf (sealed memfd), tried alone from the second block on. */
static void test_fallback_udmabuf(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *b0, *b1;
	struct local_io_info info;
	struct fx_ctx fc;

	setup(&fc, 0);
	fk.heap = false;
	stream = fx_open(&fc, "adc", 0, "voltage0", "voltage1", NULL);
	CHECK(!iio_err(stream));
	fake_clear_log();
	b0 = iio_buffer_stream_create_block(stream, 3000);
	CHECK(!iio_err(b0));
	CHECK_STR(fake_log_text(0), "open /dev/dma_heap/system; open /dev/udmabuf; "
				    "UDMABUF_CREATE 4096; SYNC START d0; ATTACH d0");
	fake_clear_log();
	b1 = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(b1));
	CHECK_STR(fake_log_text(0), "open /dev/udmabuf; UDMABUF_CREATE 4096; SYNC START d1; "
				    "ATTACH d1");
	get_info(stream, &info);
	CHECK_INT(info.path, LOCAL_IO_DMABUF);
	CHECK_INT(info.source[LOCAL_DMABUF_HEAP].step, LOCAL_STEP_HEAP_OPEN);
	CHECK_INT(info.source[LOCAL_DMABUF_HEAP].err, -ENOENT);
	CHECK_INT(info.source[LOCAL_DMABUF_UDMABUF].step, LOCAL_STEP_NONE);
	CHECK_INT(info.nb_blocks[LOCAL_DMABUF_UDMABUF], 2);
	CHECK(fx_logged(&fc, "DMA heap not used (opening the DMA heap: No such file or "
			     "directory (-2)), using udmabuf"));
	CHECK(!fx_logged(&fc, "WARNING"));

	CHECK_INT(iio_block_enqueue(b0, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	/* The smallest block: 3000 bytes = 750 samples. */
	CHECK(fake_log_has("write buffer/length 750"));
	CHECK_INT(iio_block_dequeue(b0, false), 0);
	CHECK_INT(((uint8_t *)iio_block_start(b0))[2999], (uint8_t)2999);

	iio_block_destroy(b0);
	iio_block_destroy(b1);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* A heap that fails in an unexpected way: udmabuf, with a warning. Another heap name. */
static void test_fallback_heap_errors(void)
{
	struct iio_buffer_stream *stream;
	struct iio_block *block;
	struct local_io_info info;
	struct fx_ctx fc;

	setup(&fc, 0);
	fk.heap_alloc_err = -ENOMEM;
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	block = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(block));
	get_info(stream, &info);
	CHECK_INT(info.source[LOCAL_DMABUF_HEAP].step, LOCAL_STEP_HEAP_ALLOC);
	CHECK_INT(info.source[LOCAL_DMABUF_HEAP].err, -ENOMEM);
	CHECK_INT(info.nb_blocks[LOCAL_DMABUF_UDMABUF], 1);
	CHECK(fx_logged(&fc, "WARNING: iio:device0: buffer 0: DMA heap failed at "
			     "DMA_HEAP_IOCTL_ALLOC: Cannot allocate memory"));
	iio_block_destroy(block);
	iio_buffer_close(stream);

	fk.heap_alloc_err = 0;
	CHECK(setenv("LIBIIO_DMA_HEAP_PATH", "reserved", 1) == 0);
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	fake_clear_log();
	block = iio_buffer_stream_create_block(stream, 4096);
	CHECK(!iio_err(block));
	CHECK(fake_log_has("open /dev/dma_heap/reserved"));
	CHECK(fake_log_has("UDMABUF_CREATE 4096"));
	CHECK(unsetenv("LIBIIO_DMA_HEAP_PATH") == 0);
	iio_block_destroy(block);
	iio_buffer_close(stream);
	teardown(&fc);
}

/* Reads one core block through the fake buffer fd and checks the byte counter. */
static void check_fileio_rx(struct iio_buffer_stream *stream, size_t size)
{
	struct iio_block *block;
	const uint8_t *data;
	size_t i;

	block = iio_buffer_stream_create_block(stream, size);
	CHECK(!iio_err(block));
	CHECK_INT(iio_block_get_dmabuf_fd(block), -EINVAL);
	CHECK_INT(iio_block_disable_cpu_access(block, true), -EINVAL);
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(stream), 0);
	CHECK_INT(iio_block_dequeue(block, false), 0);
	data = iio_block_start(block);
	for (i = 0; i < size; i++)
		CHECK_INT(data[i], (uint8_t)i);
	CHECK_INT(iio_buffer_stream_stop(stream), 0);
	iio_block_destroy(block);
}

/* Neither heap nor udmabuf: core blocks through read(). */
static void test_fallback_fileio(void)
{
	struct iio_buffer_stream *stream;
	struct local_io_info info;
	struct fx_ctx fc;

	setup(&fc, 0);
	fk.heap = false;
	fk.udmabuf = false;
	stream = fx_open(&fc, "adc", 0, "voltage0", "voltage1", NULL);
	CHECK(!iio_err(stream));
	fake_clear_log();
	check_fileio_rx(stream, 1024);
	get_info(stream, &info);
	CHECK_INT(info.path, LOCAL_IO_FILEIO);
	CHECK_INT(info.fileio.step, LOCAL_STEP_UDMABUF_OPEN);
	CHECK_INT(info.fileio.err, -ENOENT);
	CHECK_INT(info.source[LOCAL_DMABUF_UDMABUF].step, LOCAL_STEP_UDMABUF_OPEN);
	/* 256 samples a block: the kernel buffer holds 4 blocks, wakes up at one. */
	CHECK_STR(fake_log_text(0),
		  "open /dev/dma_heap/system; open /dev/udmabuf; "
		  "write buffer/length 1024; write buffer/watermark 256; write buffer/enable 1; "
		  "write buffer/enable 0");
	CHECK(fx_logged(&fc, "DMABUF not used (opening /dev/udmabuf: No such file or directory "
			     "(-2)), using read()/write()"));
	CHECK(!fx_logged(&fc, "WARNING"));
	iio_buffer_close(stream);
	teardown(&fc);
}

/* The kernel refuses to attach (no DMABUF support in the buffer, or Linux < 6.11). */
static void test_fallback_attach_refused(void)
{
	static const int errors[] = {-ENODEV, -EPERM, -ENOTTY};
	struct iio_buffer_stream *stream;
	struct local_io_info info;
	struct fx_ctx fc;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errors); i++) {
		setup(&fc, 0);
		fk.dmabuf_api_err = errors[i];
		stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
		CHECK(!iio_err(stream));
		fake_clear_log();
		check_fileio_rx(stream, 512);
		/* Attached to nothing, unmapped and closed, then fileio. */
		CHECK(!strncmp(fake_log_text(0),
			       "open /dev/dma_heap/system; HEAP_ALLOC 4096; "
			       "SYNC START d0; ATTACH d0; close d0; write buffer/length",
			       90));
		get_info(stream, &info);
		CHECK_INT(info.path, LOCAL_IO_FILEIO);
		CHECK_INT(info.fileio.step, LOCAL_STEP_ATTACH);
		CHECK_INT(info.fileio.err, errors[i]);
		CHECK_INT(info.source[LOCAL_DMABUF_UDMABUF].step, LOCAL_STEP_NONE);
		CHECK(fx_logged(&fc, "DMABUF not used (IIO_BUFFER_DMABUF_ATTACH_IOCTL: "));

		/* Decided for the buffer: the next block does not try again. */
		fake_clear_log();
		check_fileio_rx(stream, 512);
		CHECK(!strstr(fake_log_text(0), "ATTACH"));
		iio_buffer_close(stream);
		teardown(&fc);
	}
}

/* Linux < 5.11: no GET_FD. Buffer 0 reads the chardev, other buffers cannot open. */
static void test_fallback_legacy_chardev(void)
{
	struct iio_buffer_stream *stream, *again;
	struct local_io_info info;
	struct fx_ctx fc;

	setup(&fc, 0);
	fk.get_fd = false;
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	CHECK(!strncmp(fake_log_text(0), "open /dev/iio:device0; GET_FD 0; write buffer/enable 0",
		       54));
	/* The DMABUF ioctls do not exist on the chardev: straight to read(). */
	fake_clear_log();
	check_fileio_rx(stream, 256);
	CHECK(!strstr(fake_log_text(0), "HEAP"));
	get_info(stream, &info);
	CHECK_INT(info.fileio.step, LOCAL_STEP_LEGACY_FD);

	/* One open of the chardev at a time. */
	again = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK_INT(iio_err(again), -EBUSY);
	CHECK(fx_logged(&fc, "already open for buffer 0 of this device"));
	iio_buffer_close(stream);

	stream = fx_open(&fc, "adc", 1, "voltage2", NULL);
	CHECK_INT(iio_err(stream), -EINVAL);
	CHECK(fx_logged(&fc, "iio:device0: buffer 1: Unable to get the buffer fd: the kernel lacks "
			     "IIO_BUFFER_GET_FD_IOCTL (Linux >= 5.11)"));
	teardown(&fc);
}

/* Buffer 1 through its own fd and its own bufferN/ directory. */
static void test_second_buffer(void)
{
	struct iio_buffer_stream *s0, *s1;
	struct iio_block *block;
	struct fx_ctx fc;

	setup(&fc, 0);
	s0 = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(s0));
	fake_clear_log();
	s1 = fx_open(&fc, "adc", 1, "voltage2", NULL);
	CHECK(!iio_err(s1));
	CHECK_STR(fake_log_text(0),
		  "open /dev/iio:device0; GET_FD 1; close chardev; "
		  "F_SETFL buffer1 O_NONBLOCK; write buffer1/enable 0; "
		  "write buffer1/in_voltage2_en 0; write buffer1/in_voltage2_en 1");
	block = iio_buffer_stream_create_block(s1, 2048);
	CHECK(!iio_err(block));
	CHECK_INT(iio_block_enqueue(block, 0, false), 0);
	CHECK_INT(iio_buffer_stream_start(s1), 0);
	CHECK(fake_log_has("write buffer1/enable 1"));
	CHECK_INT(iio_block_dequeue(block, false), 0);
	iio_block_destroy(block);
	iio_buffer_close(s1);
	iio_buffer_close(s0);
	teardown(&fc);
}

/* Channels the hardware enables together: the stream's mask and sample size follow. */
static void test_coupled_channels(void)
{
	struct iio_buffer_stream *stream;
	const struct iio_channels_mask *mask;
	const struct iio_device *dev;
	struct fx_ctx fc;

	setup(&fc, 0);
	fk.coupled = true;
	stream = fx_open(&fc, "adc", 0, "voltage0", NULL);
	CHECK(!iio_err(stream));
	dev = iio_context_find_device(fc.ctx, "adc");
	mask = iio_buffer_stream_get_channels_mask(stream);
	CHECK(iio_channel_is_enabled(iio_device_find_channel(dev, "voltage1", false), mask));
	CHECK_INT(iio_device_get_sample_size(dev, mask), 4);
	CHECK_INT(stream_pdata(stream)->sample_size, 4);
	iio_buffer_close(stream);
	teardown(&fc);
}

int main(void)
{
	fx_make(root, sizeof(root), false);
	unsetenv("LIBIIO_DMA_HEAP_PATH");

	test_uapi_numbers();
	test_dmabuf_rx_sequence();
	test_dmabuf_tx_cyclic();
	test_disable_cpu_access();
	test_attach_after_enable();
	test_errors();
	test_timeouts();
	test_cancel();
	test_fallback_udmabuf();
	test_fallback_heap_errors();
	test_fallback_fileio();
	test_fallback_attach_refused();
	test_fallback_legacy_chardev();
	test_second_buffer();
	test_coupled_channels();

	fx_remove(root);
	fake_all_passed = true;
	printf("test-local-io: all passed\n");
	return 0;
}
