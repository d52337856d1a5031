// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The bulk IN stream engine against a simulated endpoint that behaves like
 * the bus: the device writes elements, sent in packets of wMaxPacketSize,
 * the last one short unless the element is a multiple of it (no ZLP); a host
 * transfer completes when full or at a short packet; a packet larger than
 * what is left of a transfer is an overflow; a cancelled transfer keeps the
 * bytes it got. Checks the byte stream is exact whatever the engine queued,
 * that block payloads land in place, and cancel/unplug/timeout errors.
 */
#include "check.h"
#include "usb/usb.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MPS 512

/* ---- Simulated endpoint ------------------------------------------------------- */

struct element {
	struct element *next;
	size_t len, sent;
	uint8_t data[];
};

struct pending {
	struct pending *next;
	struct libusb_transfer *t;
	bool cancel;
};

static struct sim {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool stop, unplugged;
	struct element *elems, *elems_tail;
	struct pending *fifo;
	unsigned int nb_pending, max_pending;
	unsigned int overflows;
	unsigned int submits;
} sim = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static int sim_submit(void *data, struct libusb_transfer *t)
{
	struct pending *p, **tail;

	(void)data;
	CHECK(t->length > 0 && t->length % MPS == 0); /* the rule that keeps the stream exact */
	pthread_mutex_lock(&sim.lock);
	if (sim.unplugged) {
		pthread_mutex_unlock(&sim.lock);
		return LIBUSB_ERROR_NO_DEVICE;
	}
	p = calloc(1, sizeof(*p));
	CHECK(p);
	p->t = t;
	t->actual_length = 0;
	for (tail = &sim.fifo; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	sim.submits++;
	if (++sim.nb_pending > sim.max_pending)
		sim.max_pending = sim.nb_pending;
	pthread_cond_signal(&sim.wake);
	pthread_mutex_unlock(&sim.lock);
	return 0;
}

static int sim_cancel(void *data, struct libusb_transfer *t)
{
	struct pending *p;

	(void)data;
	pthread_mutex_lock(&sim.lock);
	for (p = sim.fifo; p && p->t != t; p = p->next)
		;
	if (p)
		p->cancel = true;
	pthread_cond_signal(&sim.wake);
	pthread_mutex_unlock(&sim.lock);
	return p ? 0 : LIBUSB_ERROR_NOT_FOUND;
}

static const struct iio_usb_stream_ops sim_ops = { .submit = sim_submit, .cancel = sim_cancel };

/* Takes one finished transfer off the FIFO (lock held), or NULL. */
static struct libusb_transfer *sim_step(void)
{
	struct pending **link, *p;
	struct element *e;

	for (link = &sim.fifo; *link; link = &(*link)->next) {
		p = *link;
		if (p->cancel || sim.unplugged) {
			*link = p->next;
			p->t->status = sim.unplugged ? LIBUSB_TRANSFER_NO_DEVICE
						     : LIBUSB_TRANSFER_CANCELLED;
			goto finish;
		}
	}
	p = sim.fifo;
	e = sim.elems;
	if (!p || !e)
		return NULL;

	/* One packet of the current element into the head transfer. */
	size_t packet = e->len - e->sent < MPS ? e->len - e->sent : MPS;
	size_t room = (size_t)(p->t->length - p->t->actual_length);

	if (packet > room) {
		sim.overflows++;
		sim.fifo = p->next;
		p->t->status = LIBUSB_TRANSFER_OVERFLOW;
		goto finish;
	}
	memcpy(p->t->buffer + p->t->actual_length, e->data + e->sent, packet);
	p->t->actual_length += (int)packet;
	e->sent += packet;
	if (e->sent == e->len) {
		sim.elems = e->next;
		if (!sim.elems)
			sim.elems_tail = NULL;
		free(e);
	}
	if (packet < MPS || p->t->actual_length == p->t->length) {
		sim.fifo = p->next;
		p->t->status = LIBUSB_TRANSFER_COMPLETED;
		goto finish;
	}
	return NULL;

finish:
	sim.nb_pending--;
	{
		struct libusb_transfer *t = p->t;

		free(p);
		return t;
	}
}

static void *sim_run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&sim.lock);
	while (!sim.stop) {
		struct libusb_transfer *done = sim_step();

		if (done) {
			/* Completions run without our lock, as libusb's do. */
			pthread_mutex_unlock(&sim.lock);
			done->callback(done);
			pthread_mutex_lock(&sim.lock);
			continue;
		}
		if (sim.fifo && sim.elems)
			continue; /* a packet moved; more to move */
		pthread_cond_wait(&sim.wake, &sim.lock);
	}
	pthread_mutex_unlock(&sim.lock);
	return NULL;
}

static void sim_start(void)
{
	sim.stop = sim.unplugged = false;
	sim.max_pending = sim.overflows = sim.submits = 0;
	CHECK(!pthread_create(&sim.thread, NULL, sim_run, NULL));
}

static void sim_stop(void)
{
	pthread_mutex_lock(&sim.lock);
	sim.stop = true;
	pthread_cond_signal(&sim.wake);
	pthread_mutex_unlock(&sim.lock);
	pthread_join(sim.thread, NULL);
	CHECK(!sim.fifo);
	while (sim.elems) {
		struct element *e = sim.elems;

		sim.elems = e->next;
		free(e);
	}
	sim.elems_tail = NULL;
}

static void sim_write(const void *data, size_t len)
{
	struct element *e = malloc(sizeof(*e) + len);

	CHECK(e);
	e->next = NULL;
	e->len = len;
	e->sent = 0;
	memcpy(e->data, data, len);
	pthread_mutex_lock(&sim.lock);
	if (sim.elems_tail)
		sim.elems_tail->next = e;
	else
		sim.elems = e;
	sim.elems_tail = e;
	pthread_cond_signal(&sim.wake);
	pthread_mutex_unlock(&sim.lock);
}

static void sim_write_header(uint16_t id, int32_t code)
{
	uint8_t h[8] = { (uint8_t)id, (uint8_t)(id >> 8), 0, 0, (uint8_t)code,
			 (uint8_t)((uint32_t)code >> 8), (uint8_t)((uint32_t)code >> 16),
			 (uint8_t)((uint32_t)code >> 24) };

	sim_write(h, sizeof(h));
}

static void sim_unplug(void)
{
	pthread_mutex_lock(&sim.lock);
	sim.unplugged = true;
	pthread_cond_signal(&sim.wake);
	pthread_mutex_unlock(&sim.lock);
}

static unsigned int sim_pending(void)
{
	unsigned int n;

	pthread_mutex_lock(&sim.lock);
	n = sim.nb_pending;
	pthread_mutex_unlock(&sim.lock);
	return n;
}

/* ---- Client side helpers ---------------------------------------------------------- */

static const struct iio_context_params quiet = { .log_level = LEVEL_NOLOG };

static struct iio_usb_stream *new_stream(unsigned int inflight)
{
	struct iio_usb_stream_config cfg = {
		.ops = &sim_ops, .ep = 0x81, .max_packet = MPS, .inflight = inflight,
		.params = &quiet, .name = "test pipe",
	};
	struct iio_usb_stream *s = iio_usb_stream_new(&cfg);

	CHECK(!iio_err(s));
	return s;
}

static int read_all(struct iio_usb_stream *s, void *dst, size_t len, int timeout_ms)
{
	uint8_t *p = dst;

	while (len) {
		ssize_t n = iio_usb_stream_read(s, p, len, timeout_ms);

		if (n < 0)
			return (int)n;
		CHECK(n > 0 && (size_t)n <= len);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* What the protocol client's reader does with one response. */
static int32_t read_response(struct iio_usb_stream *s, uint16_t *id, void *out, size_t out_len)
{
	uint8_t h[8];
	int32_t code;

	CHECK_INT(read_all(s, h, 8, 5000), 0);
	*id = (uint16_t)(h[0] | h[1] << 8);
	CHECK_INT(h[2], 0);
	code = (int32_t)((uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 |
			 (uint32_t)h[7] << 24);
	if (code > 0) {
		size_t n = (size_t)code < out_len ? (size_t)code : out_len;
		uint8_t *scratch;

		CHECK_INT(read_all(s, out, n, 5000), 0);
		if ((size_t)code > n) {
			scratch = malloc((size_t)code - n);
			CHECK(scratch);
			CHECK_INT(read_all(s, scratch, (size_t)code - n, 5000), 0);
			free(scratch);
		}
	}
	return code;
}

static uint8_t *pattern(size_t len, unsigned int seed)
{
	uint8_t *p = malloc(len);

	CHECK(p);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed * 31 + (i >> 9));
	return p;
}

static uint8_t *region_alloc(size_t size)
{
	uint8_t *r = calloc(1, (size + IIO_USB_BLOCK_ALIGN - 1) / IIO_USB_BLOCK_ALIGN *
				       IIO_USB_BLOCK_ALIGN);

	CHECK(r);
	return r;
}

/* ---- Tests -------------------------------------------------------------------------- */

/* Plain mode: ASCII lines, headers and payloads, whatever their sizes. */
static void test_plain(void)
{
	struct iio_usb_stream *s;
	uint8_t buf[3000], *big = pattern(2048, 1);
	char line[4];
	uint16_t id;

	sim_start();
	s = new_stream(4);

	sim_write("0\n", 2);
	CHECK_INT(iio_usb_stream_read(s, line, 1, 1000), 1);
	CHECK_INT(line[0], '0');
	CHECK_INT(iio_usb_stream_read(s, line, 1, 1000), 1);
	CHECK_INT(line[0], '\n');

	/* A payload that is a multiple of the packet size, then one that is not. */
	sim_write_header(0, 2048);
	sim_write(big, 2048);
	sim_write_header(0, 1000);
	sim_write(big, 1000);
	CHECK_INT(read_response(s, &id, buf, sizeof(buf)), 2048);
	CHECK(!memcmp(buf, big, 2048));
	CHECK_INT(read_response(s, &id, buf, sizeof(buf)), 1000);
	CHECK(!memcmp(buf, big, 1000));

	/* A reader with a small buffer: the rest of the element stays for the next read. */
	sim_write(big, 700);
	CHECK_INT(read_all(s, buf, 100, 1000), 0);
	CHECK_INT(read_all(s, buf + 100, 600, 1000), 0);
	CHECK(!memcmp(buf, big, 700));

	CHECK_INT(sim.overflows, 0);
	iio_usb_stream_free(s);
	sim_stop();
	free(big);
}

/* A read that times out loses nothing: the late bytes go to the next read. */
static void test_timeout_keeps_sync(void)
{
	struct iio_usb_stream *s;
	struct timespec t0, t1;
	uint8_t h[8];
	uint16_t id;

	sim_start();
	s = new_stream(4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(iio_usb_stream_read(s, h, 8, 50), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 45);
	CHECK_INT(iio_usb_stream_read(s, h, 8, 0), -ETIMEDOUT);

	sim_write_header(7, -22);
	CHECK_INT(read_response(s, &id, NULL, 0), -22);
	CHECK_INT(id, 7);
	iio_usb_stream_free(s);
	sim_stop();
}

struct rx_block {
	uint16_t id;
	size_t size;
	uint8_t *region;
	uint8_t *expected;
};

/* Sends the responses of blocks first..first+count-1 as a server would. */
static void server_send_blocks(struct rx_block *b, unsigned int count, size_t len)
{
	for (unsigned int i = 0; i < count; i++) {
		sim_write_header(b[i].id, (int32_t)len);
		/* Copy path: 1 MiB elements; any split works on the wire. */
		for (size_t off = 0; off < len; off += IIO_USB_MAX_TRANSFER) {
			size_t n = len - off;

			if (n > IIO_USB_MAX_TRANSFER)
				n = IIO_USB_MAX_TRANSFER;
			sim_write(b[i].expected + off, n);
		}
	}
}

/*
 * Block mode: transfers are queued ahead for announced blocks before the
 * device sends anything, and the payloads land in the blocks' memory.
 */
static void test_blocks_in_place(size_t size, unsigned int nb_blocks, unsigned int rounds)
{
	struct rx_block b[8];
	struct iio_usb_stream_stats st;
	struct iio_usb_stream *s;
	uint16_t id;

	CHECK(nb_blocks <= ARRAY_SIZE(b));
	sim_start();
	s = new_stream(4);
	for (unsigned int i = 0; i < nb_blocks; i++) {
		b[i] = (struct rx_block){ .id = (uint16_t)(i + 1), .size = size,
					  .region = region_alloc(size) };
	}

	for (unsigned int r = 0; r < rounds; r++) {
		for (unsigned int i = 0; i < nb_blocks; i++) {
			free(b[i].expected);
			b[i].expected = pattern(size, r * 16 + i);
			CHECK_INT(iio_usb_stream_expect(s, b[i].id, b[i].region, size, size), 0);
		}
		if (r == 0) {
			/* Nothing sent yet, and already a header and data queued per block. */
			CHECK(sim_pending() >= 2);
		}
		server_send_blocks(b, nb_blocks, size);
		for (unsigned int i = 0; i < nb_blocks; i++) {
			CHECK_INT(read_response(s, &id, b[i].region, size), (int32_t)size);
			CHECK_INT(id, b[i].id);
			CHECK(!memcmp(b[i].region, b[i].expected, size));
		}
	}

	iio_usb_stream_get_stats(s, &st);
	CHECK_INT(sim.overflows, 0);
	CHECK_INT(st.mispredictions, 0);
	CHECK_INT(st.bytes_in_place, (uint64_t)size * nb_blocks * rounds);
	CHECK_INT(st.bytes_copied, 8ull * nb_blocks * rounds);
	CHECK(st.max_in_flight >= 3);
	iio_usb_stream_free(s);
	sim_stop();
	for (unsigned int i = 0; i < nb_blocks; i++) {
		free(b[i].region);
		free(b[i].expected);
	}
}

/*
 * The device answers something the plan did not foresee: a default-path
 * response first, an enqueue error for one block, a late block. The bytes
 * the reader gets are still exactly the device's.
 */
static void test_mispredictions(void)
{
	const size_t size = 4096; /* a multiple of the packet size: the hard case */
	struct iio_usb_stream_stats st;
	struct iio_usb_stream *s;
	uint8_t *ra = region_alloc(size), *rb = region_alloc(size), *rc = region_alloc(size);
	uint8_t *pa = pattern(size, 1), *pc = pattern(size, 3);
	uint16_t id;

	sim_start();
	s = new_stream(4);
	CHECK_INT(iio_usb_stream_expect(s, 1, ra, size, size), 0);
	CHECK_INT(iio_usb_stream_expect(s, 2, rb, size, size), 0);
	CHECK_INT(iio_usb_stream_expect(s, 3, rc, size, size), 0);

	sim_write_header(0, 0);                        /* ENABLE_BUFFER's answer */
	sim_write_header(1, (int32_t)size);
	sim_write(pa, size);
	sim_write_header(2, (int32_t)0xfffb0000);      /* enqueue of block 2 failed: -5 << 16 */
	sim_write_header(3, (int32_t)size);
	sim_write(pc, size);

	CHECK_INT(read_response(s, &id, NULL, 0), 0);
	CHECK_INT(id, 0);
	CHECK_INT(read_response(s, &id, ra, size), (int32_t)size);
	CHECK_INT(id, 1);
	CHECK(!memcmp(ra, pa, size));
	CHECK_INT(read_response(s, &id, rb, size), (int32_t)0xfffb0000);
	CHECK_INT(id, 2);
	CHECK_INT(read_response(s, &id, rc, size), (int32_t)size);
	CHECK_INT(id, 3);
	CHECK(!memcmp(rc, pc, size));

	iio_usb_stream_get_stats(s, &st);
	CHECK(st.mispredictions >= 1);
	CHECK_INT(sim.overflows, 0);
	/* After the surprises the plan is back on track: the last block landed in place. */
	CHECK(st.bytes_in_place >= size);
	CHECK_INT(sim_pending(), 0);

	/* Still usable afterwards, in place again. */
	CHECK_INT(iio_usb_stream_expect(s, 1, ra, size, size), 0);
	sim_write_header(1, (int32_t)size);
	sim_write(pc, size);
	CHECK_INT(read_response(s, &id, ra, size), (int32_t)size);
	CHECK(!memcmp(ra, pc, size));

	iio_usb_stream_free(s);
	sim_stop();
	free(ra);
	free(rb);
	free(rc);
	free(pa);
	free(pc);
}

/* bytes_used < block size on a copy-path server: the whole block comes back. */
static void test_copy_path_server(void)
{
	const size_t size = 8192, used = 3000;
	struct iio_usb_stream_stats st;
	struct iio_usb_stream *s;
	uint8_t *r = region_alloc(size), *p = pattern(size, 9);
	uint16_t id;

	sim_start();
	s = new_stream(4);
	for (unsigned int round = 0; round < 3; round++) {
		memset(r, 0, size);
		CHECK_INT(iio_usb_stream_expect(s, 1, r, used, size), 0);
		sim_write_header(1, (int32_t)size);
		sim_write(p, size);
		CHECK_INT(read_response(s, &id, r, used), (int32_t)size);
		CHECK(!memcmp(r, p, used));
	}
	iio_usb_stream_get_stats(s, &st);
	/* Learnt after the first one: the server answers with the block size. */
	CHECK_INT(st.mispredictions, 1);
	CHECK_INT(sim.overflows, 0);
	iio_usb_stream_free(s);
	sim_stop();
	free(r);
	free(p);
}

struct blocked_read {
	struct iio_usb_stream *s;
	int ret;
};

static void *reader(void *arg)
{
	struct blocked_read *br = arg;
	uint8_t h[8];

	br->ret = read_all(br->s, h, 8, -1);
	return NULL;
}

static void test_cancel_and_unplug(bool unplug)
{
	struct blocked_read br = { 0 };
	uint8_t *r = region_alloc(65536);
	pthread_t thread;

	sim_start();
	br.s = new_stream(4);
	CHECK_INT(iio_usb_stream_expect(br.s, 1, r, 65536, 65536), 0);
	CHECK(!pthread_create(&thread, NULL, reader, &br));
	usleep(20000);
	if (unplug)
		sim_unplug();
	else
		iio_usb_stream_cancel(br.s);
	pthread_join(thread, NULL);
	CHECK_INT(br.ret, unplug ? -ENODEV : -EBADF);
	/* Later reads fail the same way at once, never hang. */
	CHECK_INT(iio_usb_stream_read(br.s, r, 8, -1), unplug ? -ENODEV : -EBADF);
	iio_usb_stream_free(br.s);
	sim_stop();
	free(r);
}

/* Freeing a block that was announced: its transfers are taken back first. */
static void test_forget(void)
{
	const size_t size = 1 << 20;
	struct iio_usb_stream *s;
	uint8_t *r1 = region_alloc(size), *r2 = region_alloc(size), *p = pattern(size, 4);
	uint16_t id;

	sim_start();
	s = new_stream(4);
	CHECK_INT(iio_usb_stream_expect(s, 1, r1, size, size), 0);
	CHECK_INT(iio_usb_stream_expect(s, 2, r2, size, size), 0);
	iio_usb_stream_forget(s, r1, size);
	free(r1); /* ASan would catch any later write into it */

	sim_write_header(1, (int32_t)size); /* a late response for the freed block */
	sim_write(p, size);
	sim_write_header(2, (int32_t)size);
	sim_write(p, size);
	uint8_t *scratch = malloc(size);

	CHECK(scratch);
	CHECK_INT(read_response(s, &id, scratch, size), (int32_t)size);
	CHECK_INT(id, 1);
	CHECK(!memcmp(scratch, p, size));
	CHECK_INT(read_response(s, &id, r2, size), (int32_t)size);
	CHECK_INT(id, 2);
	CHECK(!memcmp(r2, p, size));
	iio_usb_stream_free(s);
	sim_stop();
	free(scratch);
	free(r2);
	free(p);
}

static void test_inflight_env(void)
{
	setenv("LIBIIO_USB_INFLIGHT", "8", 1);
	CHECK_INT(iio_usb_inflight_from_env(&quiet), 8);
	setenv("LIBIIO_USB_INFLIGHT", "0", 1);
	CHECK_INT(iio_usb_inflight_from_env(&quiet), IIO_USB_DEFAULT_INFLIGHT);
	setenv("LIBIIO_USB_INFLIGHT", "lots", 1);
	CHECK_INT(iio_usb_inflight_from_env(&quiet), IIO_USB_DEFAULT_INFLIGHT);
	unsetenv("LIBIIO_USB_INFLIGHT");
	CHECK_INT(iio_usb_inflight_from_env(&quiet), IIO_USB_DEFAULT_INFLIGHT);
}

int main(void)
{
	test_inflight_env();
	test_plain();
	test_timeout_keeps_sync();
	test_blocks_in_place(4096, 4, 3);            /* multiple of the packet size */
	test_blocks_in_place(1000, 3, 2);            /* short last packet */
	test_blocks_in_place(3 * (1 << 20) + 100, 2, 2); /* several 1 MiB transfers per block */
	test_mispredictions();
	test_copy_path_server();
	test_cancel_and_unplug(false);
	test_cancel_and_unplug(true);
	test_forget();
	printf("test-usb-stream: ok\n");
	return 0;
}
