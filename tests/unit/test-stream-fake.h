/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fake streaming backend for the unit tests of buffer streams, blocks and
 * streams: "hardware" that produces a known byte pattern (RX), records what
 * it is sent (TX), and serves either core blocks (read/write I/O) or its own
 * blocks, with knobs for short transfers, starvation, timeouts and cancel.
 *
 * RX byte number p of the stream (counted from the open) is pattern_byte(p).
 */
#ifndef IIO_TESTS_STREAM_FAKE_H
#define IIO_TESTS_STREAM_FAKE_H

#include "backend.h"
#include "stream-internal.h"
#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNLIMITED ((size_t)-1)

static inline uint8_t pattern_byte(uint64_t pos)
{
	return (uint8_t)(pos % 251);
}

struct fake_block {
	uint8_t *data;
	size_t size, bytes_used;
	bool enqueued, done, cyclic;
	struct fake_block *next; /* hardware FIFO */
};

static struct fake_hw {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int timeout_ms; /* the context's */

	/* Knobs. */
	bool provide_blocks; /* create_block: backend blocks, else -ENOSYS */
	bool with_io_ready;
	size_t max_io;		   /* readbuf/writebuf move at most this per call */
	size_t rx_available;	   /* bytes the device has produced and not read */
	size_t tx_space;	   /* bytes the device can take */
	unsigned int blocks_ready; /* backend blocks the hardware may complete */
	int widen_bit;		   /* open_buffer force-enables this channel (-1: none) */
	int open_error, create_block_error;

	/* What happened. */
	bool open, enabled, cancelled, enable_cyclic;
	unsigned int open_calls, close_calls, enable_calls, disable_calls, io_calls;
	size_t enable_nb_samples;
	unsigned int enqueued_at_enable, hw_enqueued;
	uint64_t rx_pos;
	uint8_t tx[1 << 16];
	size_t tx_len;
	struct fake_block *fifo_head, *fifo_tail;
	unsigned int live_blocks;
} hw;

static inline void fake_reset(int timeout_ms)
{
	static bool init;

	if (!init) {
		pthread_mutex_init(&hw.lock, NULL);
		pthread_cond_init(&hw.cond, NULL);
		init = true;
	}
	CHECK(!hw.open && !hw.live_blocks);
	pthread_mutex_lock(&hw.lock);
	memset((char *)&hw + offsetof(struct fake_hw, timeout_ms), 0,
	       sizeof(hw) - offsetof(struct fake_hw, timeout_ms));
	hw.timeout_ms = timeout_ms;
	hw.max_io = UNLIMITED;
	hw.rx_available = UNLIMITED;
	hw.tx_space = UNLIMITED;
	hw.blocks_ready = ~0u;
	hw.widen_bit = -1;
	pthread_mutex_unlock(&hw.lock);
}

/* Lets the test thread change knobs while another thread waits. */
static inline void fake_set(size_t *knob, size_t value)
{
	pthread_mutex_lock(&hw.lock);
	*knob = value;
	pthread_cond_broadcast(&hw.cond);
	pthread_mutex_unlock(&hw.lock);
}

static inline void fake_set_blocks_ready(unsigned int value)
{
	pthread_mutex_lock(&hw.lock);
	hw.blocks_ready = value;
	pthread_cond_broadcast(&hw.cond);
	pthread_mutex_unlock(&hw.lock);
}

static inline struct timespec deadline_after(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

/* Waits (lock held) until ready() or timeout/cancel. 0, -ETIMEDOUT or -EBADF. */
static int fake_wait(bool (*ready)(void *), void *arg, bool nonblock)
{
	struct timespec deadline = deadline_after(hw.timeout_ms > 0 ? hw.timeout_ms : 0);

	while (!hw.cancelled && !ready(arg)) {
		if (nonblock)
			return -EBUSY;
		if (hw.timeout_ms < 0) {
			pthread_cond_wait(&hw.cond, &hw.lock);
		} else if (pthread_cond_timedwait(&hw.cond, &hw.lock, &deadline)) {
			if (!hw.cancelled && !ready(arg))
				return -ETIMEDOUT;
		}
	}
	return hw.cancelled ? -EBADF : 0;
}

static struct iio_buffer_stream_pdata *fake_open(const struct iio_buffer *buf,
						 struct iio_channels_mask *mask)
{
	(void)buf;
	hw.open_calls++;
	if (hw.open_error)
		return iio_ptr(hw.open_error);
	if (hw.widen_bit >= 0)
		iio_mask_set(mask, (unsigned int)hw.widen_bit);
	hw.open = true;
	return (struct iio_buffer_stream_pdata *)&hw;
}

static void fake_close(struct iio_buffer_stream_pdata *pdata)
{
	CHECK(pdata == (void *)&hw);
	CHECK(hw.open);
	hw.open = false;
	hw.enabled = false;
	hw.close_calls++;
}

static int fake_enable(struct iio_buffer_stream_pdata *pdata, size_t nb_samples, bool enable,
		       bool cyclic)
{
	struct fake_block *b;

	(void)pdata;
	pthread_mutex_lock(&hw.lock);
	hw.enabled = enable;
	if (enable) {
		hw.enable_calls++;
		hw.enable_nb_samples = nb_samples;
		hw.enable_cyclic = cyclic;
		hw.enqueued_at_enable = 0;
		for (b = hw.fifo_head; b; b = b->next)
			hw.enqueued_at_enable++;
	} else {
		hw.disable_calls++;
	}
	pthread_cond_broadcast(&hw.cond);
	pthread_mutex_unlock(&hw.lock);
	return 0;
}

static void fake_cancel(struct iio_buffer_stream_pdata *pdata)
{
	(void)pdata;
	pthread_mutex_lock(&hw.lock);
	hw.cancelled = true;
	pthread_cond_broadcast(&hw.cond);
	pthread_mutex_unlock(&hw.lock);
}

static bool rx_ready(void *arg)
{
	(void)arg;
	return hw.rx_available > 0;
}

static bool tx_ready(void *arg)
{
	(void)arg;
	return hw.tx_space > 0;
}

static size_t take(size_t *budget, size_t len)
{
	if (len > hw.max_io)
		len = hw.max_io;
	if (*budget != UNLIMITED) {
		if (len > *budget)
			len = *budget;
		*budget -= len;
	}
	return len;
}

static void produce(uint8_t *dst, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = pattern_byte(hw.rx_pos + i);
	hw.rx_pos += len;
}

static void consume(const uint8_t *src, size_t len)
{
	CHECK(hw.tx_len + len <= sizeof(hw.tx));
	memcpy(hw.tx + hw.tx_len, src, len);
	hw.tx_len += len;
}

static ssize_t fake_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len)
{
	ssize_t ret;

	(void)pdata;
	pthread_mutex_lock(&hw.lock);
	hw.io_calls++;
	ret = fake_wait(rx_ready, NULL, false);
	if (!ret) {
		len = take(&hw.rx_available, len);
		produce(dst, len);
		ret = (ssize_t)len;
	}
	pthread_mutex_unlock(&hw.lock);
	return ret;
}

static ssize_t fake_writebuf(struct iio_buffer_stream_pdata *pdata, const void *src, size_t len)
{
	ssize_t ret;

	(void)pdata;
	pthread_mutex_lock(&hw.lock);
	hw.io_calls++;
	ret = fake_wait(tx_ready, NULL, false);
	if (!ret) {
		len = take(&hw.tx_space, len);
		consume(src, len);
		ret = (ssize_t)len;
	}
	pthread_mutex_unlock(&hw.lock);
	return ret;
}

/* The fake serves one stream at a time: its direction is a test's knob. */
static bool fake_is_output;

static ssize_t fake_io_ready(struct iio_buffer_stream_pdata *pdata)
{
	ssize_t ret;
	size_t budget;

	(void)pdata;
	pthread_mutex_lock(&hw.lock);
	budget = fake_is_output ? hw.tx_space : hw.rx_available;
	if (budget > hw.max_io)
		budget = hw.max_io;
	ret = hw.cancelled ? -EBADF : (ssize_t)(budget > 1 << 30 ? 1 << 30 : budget);
	pthread_mutex_unlock(&hw.lock);
	return ret;
}

static struct iio_block_pdata *fake_create_block(struct iio_buffer_stream_pdata *pdata, size_t size,
						 void **data)
{
	struct fake_block *b;

	(void)pdata;
	if (hw.create_block_error)
		return iio_ptr(hw.create_block_error);
	if (!hw.provide_blocks)
		return iio_ptr(-ENOSYS);
	b = calloc(1, sizeof(*b));
	CHECK(b);
	b->data = calloc(1, size);
	CHECK(b->data);
	b->size = size;
	*data = b->data;
	hw.live_blocks++;
	return (struct iio_block_pdata *)b;
}

static void fifo_remove(struct fake_block *b)
{
	struct fake_block **link, *prev = NULL;

	for (link = &hw.fifo_head; *link; prev = *link, link = &(*link)->next) {
		if (*link == b) {
			*link = b->next;
			if (hw.fifo_tail == b)
				hw.fifo_tail = prev;
			return;
		}
	}
}

static void fake_free_block(struct iio_block_pdata *pdata)
{
	struct fake_block *b = (struct fake_block *)pdata;

	pthread_mutex_lock(&hw.lock);
	fifo_remove(b);
	hw.live_blocks--;
	pthread_mutex_unlock(&hw.lock);
	free(b->data);
	free(b);
}

static int fake_enqueue_block(struct iio_block_pdata *pdata, size_t bytes_used, bool cyclic)
{
	struct fake_block *b = (struct fake_block *)pdata;

	CHECK(!b->enqueued);
	CHECK(bytes_used > 0 && bytes_used <= b->size);
	pthread_mutex_lock(&hw.lock);
	b->enqueued = true;
	b->done = false;
	b->bytes_used = bytes_used;
	b->cyclic = cyclic;
	b->next = NULL;
	if (hw.fifo_tail)
		hw.fifo_tail->next = b;
	else
		hw.fifo_head = b;
	hw.fifo_tail = b;
	hw.hw_enqueued++;
	pthread_mutex_unlock(&hw.lock);
	return 0;
}

/* The hardware completes blocks in FIFO order, while enabled and allowed to. */
static bool block_done(void *arg)
{
	struct fake_block *b = arg, *head;

	while (!b->done && hw.enabled && hw.blocks_ready && (head = hw.fifo_head)) {
		if (fake_is_output)
			consume(head->data, head->bytes_used);
		else
			produce(head->data, head->bytes_used);
		head->done = true;
		hw.blocks_ready--;
		fifo_remove(head);
	}
	return b->done;
}

static int fake_dequeue_block(struct iio_block_pdata *pdata, bool nonblock)
{
	struct fake_block *b = (struct fake_block *)pdata;
	int ret;

	CHECK(b->enqueued);
	pthread_mutex_lock(&hw.lock);
	ret = fake_wait(block_done, b, nonblock);
	if (!ret || ret == -EBADF) {
		b->enqueued = false;
		fifo_remove(b);
	}
	pthread_mutex_unlock(&hw.lock);
	return ret;
}

static int fake_get_dmabuf_fd(struct iio_block_pdata *pdata)
{
	(void)pdata;
	return 42;
}

static bool fake_cpu_access_disabled;

static int fake_disable_cpu_access(struct iio_block_pdata *pdata, bool disable)
{
	(void)pdata;
	fake_cpu_access_disabled = disable;
	return 0;
}

static const struct iio_backend_ops fake_stream_ops = {
	.open_buffer = fake_open,
	.close_buffer = fake_close,
	.enable_buffer = fake_enable,
	.cancel_buffer = fake_cancel,
	.readbuf = fake_readbuf,
	.writebuf = fake_writebuf,
	.io_ready = fake_io_ready,
	.create_block = fake_create_block,
	.free_block = fake_free_block,
	.enqueue_block = fake_enqueue_block,
	.dequeue_block = fake_dequeue_block,
	.get_dmabuf_fd = fake_get_dmabuf_fd,
	.disable_cpu_access = fake_disable_cpu_access,
};

static const struct iio_backend fake_stream_backend = {
	.name = "fake",
	.uri_prefix = "fake:",
	.ops = &fake_stream_ops,
	.default_timeout_ms = 500,
};

struct fake_channel {
	const char *id;
	long index;
	const char *format;
};

/*
 * A context with one device "iio:device0" (name "fake-adc") holding the
 * channels given, all scan elements of buffer 0 (direction from output).
 */
static inline struct iio_context *fake_context(const struct iio_backend *backend, int timeout_ms,
					       bool output, const struct fake_channel *chans,
					       unsigned int nb)
{
	struct iio_context_params params = {.timeout_ms = timeout_ms};
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_buffer *buf;
	unsigned int i;

	fake_reset(timeout_ms == IIO_TIMEOUT_INFINITE ? -1 : timeout_ms);
	fake_is_output = output;
	ctx = iio_context_new(backend, &params, "fake streaming context");
	CHECK(!iio_err(ctx));
	dev = iio_context_add_device(ctx, "iio:device0", "fake-adc", NULL);
	CHECK(!iio_err(dev));
	buf = iio_device_add_buffer(dev, 0,
				    output ? IIO_BUFFER_DIRECTION_OUT : IIO_BUFFER_DIRECTION_IN);
	CHECK(!iio_err(buf));
	for (i = 0; i < nb; i++) {
		struct iio_channel *chn =
			iio_device_add_channel(dev, chans[i].id, output, chans[i].index);

		CHECK(!iio_err(chn));
		CHECK_INT(iio_data_format_parse(&chn->format, chans[i].format), 0);
		if (chans[i].index >= 0)
			CHECK_INT(iio_buffer_add_scan_element(buf, chn), 0);
	}
	CHECK_INT(iio_context_init(ctx), 0);
	return ctx;
}

static inline struct iio_buffer *fake_buffer(const struct iio_context *ctx)
{
	return iio_device_get_buffer(iio_context_get_device(ctx, 0), 0);
}

/* A mask with every scan element of the device enabled. */
static inline struct iio_channels_mask *mask_all(const struct iio_device *dev)
{
	struct iio_channels_mask *mask =
		iio_create_channels_mask(iio_device_get_channels_count(dev));
	unsigned int i;

	CHECK(mask);
	for (i = 0; i < iio_device_get_channels_count(dev); i++)
		iio_channel_enable(iio_device_get_channel(dev, i), mask);
	return mask;
}

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* Checks that a block holds RX stream bytes [pos, pos + len). */
static inline void check_pattern(const void *data, uint64_t pos, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != pattern_byte(pos + i)) {
			fprintf(stderr, "byte %zu is %u, expected %u (stream position %llu)\n", i,
				p[i], pattern_byte(pos + i), (unsigned long long)(pos + i));
			CHECK(!"block content");
		}
	}
}

#endif /* IIO_TESTS_STREAM_FAKE_H */
