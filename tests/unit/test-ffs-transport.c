// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iiod's FunctionFS transport over a fake FunctionFS (test-ffs-fake.h):
 * one transfer per protocol element, 1 MiB splits, ASCII lines, cancel of a
 * blocked read, and the DMABUF zero-copy decision with every fallback and
 * its counters (usb.md §3, §5, §7).
 */
#include "test-ffs-fake.h"

#include "ffs-stats.h"
#include "ffs-transport-priv.h"

#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#define MIB (1u << 20)

struct host {
	int in;	 /* what the device sends (bulk IN) */
	int out; /* what the host sends (bulk OUT) */
};

static struct iio_context_params quiet = {.log_level = LEVEL_ERROR};
static struct ffs_stats_sink sink;
static char stats_path[64];

static void env_init(struct ffs_usb_env *env, bool dmabuf, bool enabled)
{
	memset(env, 0, sizeof(*env));
	env->sys = &fake_sysio;
	env->params = &quiet;
	env->dmabuf = dmabuf;
	env->stats = &sink;
	atomic_init(&env->enabled, enabled);
}

static struct iiod_transport *new_transport(struct ffs_usb_env *env, struct host *h)
{
	int in, out;
	struct iiod_transport *t;

	fake_endpoint(true, &in, &h->in);
	fake_endpoint(false, &out, &h->out);
	t = ffs_transport_new(env, 1, in, 3, out, 4);
	CHECK(!iio_err(t));
	return t;
}

static void host_close(struct host *h)
{
	close(h->in);
	close(h->out);
}

/* The next transfer the device sent, whole; returns its length. */
static ssize_t host_recv(struct host *h, void *dst, size_t len)
{
	ssize_t n = recv(h->in, dst, len, MSG_DONTWAIT | MSG_TRUNC);

	CHECK(n >= 0);
	return n;
}

static void host_send(struct host *h, const void *src, size_t len)
{
	CHECK(send(h->out, src, len, MSG_EOR) == (ssize_t)len);
}

static void fill_counter(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

static bool check_counter(const uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)(i * 7 + seed))
			return false;
	return true;
}

static char *read_stats(void)
{
	static char buf[4096];
	FILE *f = fopen(stats_path, "r");
	size_t n;

	CHECK(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void reset_stats(void)
{
	FILE *f = fopen(stats_path, "w");

	CHECK(f);
	fclose(f);
}

/* ---- Elements ------------------------------------------------------------------- */

static void test_elements(void)
{
	struct ffs_usb_env env;
	struct host h;
	struct iiod_transport *t;
	size_t big = 2 * MIB + MIB / 2;
	uint8_t hdr[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	uint8_t *payload = malloc(big), *got = malloc(MIB + 1);
	struct iovec iov[3] = {
		{.iov_base = hdr, .iov_len = 8},
		{.iov_base = NULL, .iov_len = 0}, /* no zero-length packet */
		{.iov_base = payload, .iov_len = big},
	};

	CHECK(payload && got);
	fill_counter(payload, big, 3);
	env_init(&env, true, true);
	t = new_transport(&env, &h);

	CHECK_INT(t->ops->writev(t, iov, 3, -1), 8 + big);
	CHECK_INT(host_recv(&h, got, MIB + 1), 8);
	CHECK(!memcmp(got, hdr, 8));
	CHECK_INT(host_recv(&h, got, MIB + 1), MIB);
	CHECK(check_counter(got, MIB, 3));
	CHECK_INT(host_recv(&h, got, MIB + 1), MIB);
	CHECK(check_counter(got, MIB, 3 + (uint8_t)(MIB * 7)));
	CHECK_INT(host_recv(&h, got, MIB + 1), MIB / 2);
	CHECK_INT(recv(h.in, got, 1, MSG_DONTWAIT), -1);

	iiod_transport_destroy(t);
	host_close(&h);
	free(payload);
	free(got);
}

static void test_reads(void)
{
	struct ffs_usb_env env;
	struct host h;
	struct iiod_transport *t;
	char line[64];
	uint8_t buf[16];

	env_init(&env, true, true);
	t = new_transport(&env, &h);

	/* A line is one transfer. */
	host_send(&h, "PRINT\r\n", 7);
	CHECK_INT(t->ops->read_line(t, line, sizeof(line), -1), 7);
	CHECK(!memcmp(line, "PRINT\r\n", 7));
	/* A host that merged two lines (or a line and a payload) loses nothing. */
	host_send(&h, "A 1\nB 2\nxyz", 11);
	CHECK_INT(t->ops->read_line(t, line, sizeof(line), -1), 4);
	CHECK(!memcmp(line, "A 1\n", 4));
	CHECK_INT(t->ops->read_line(t, line, sizeof(line), -1), 4);
	CHECK(!memcmp(line, "B 2\n", 4));
	CHECK_INT(t->ops->read(t, buf, sizeof(buf), -1), 3);
	CHECK(!memcmp(buf, "xyz", 3));
	/* A line split over transfers. */
	host_send(&h, "VERS", 4);
	host_send(&h, "ION\n", 4);
	CHECK_INT(t->ops->read_line(t, line, sizeof(line), -1), 8);
	CHECK(!memcmp(line, "VERSION\n", 8));
	/* Binary elements: exact sizes; a zero-length packet is skipped. */
	host_send(&h, "", 0);
	host_send(&h, "12345678", 8);
	CHECK_INT(iiod_read_all(t, buf, 8, -1), 0);
	CHECK(!memcmp(buf, "12345678", 8));
	/* Nothing sent: the wait times out. */
	CHECK_INT(t->ops->read(t, buf, 8, 50), -ETIMEDOUT);
	/* Too long for the caller (the session ends on it). */
	host_send(&h, "0123456789\n", 11);
	CHECK_INT(t->ops->read_line(t, line, 5, -1), -EFBIG);
	CHECK_INT(t->ops->read(t, line, sizeof(line), -1), 11);

	/* The host goes away: a clear end, not a hang. */
	host_close(&h);
	CHECK_INT(t->ops->read(t, buf, 8, -1), -EPIPE);
	iiod_transport_destroy(t);
}

struct blocked_read {
	struct iiod_transport *t;
	ssize_t ret;
};

static void *blocked_reader(void *arg)
{
	struct blocked_read *br = arg;
	uint8_t buf[8];

	br->ret = br->t->ops->read(br->t, buf, sizeof(buf), -1);
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void test_cancel(void)
{
	struct ffs_usb_env env;
	struct host h;
	struct blocked_read br = {.ret = 1};
	pthread_t thread;
	long long start;
	uint8_t buf[8];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};

	env_init(&env, true, true);
	br.t = new_transport(&env, &h);
	CHECK(!pthread_create(&thread, NULL, blocked_reader, &br));
	usleep(50000);
	start = now_ms();
	iiod_transport_cancel(br.t);
	pthread_join(thread, NULL);
	CHECK_INT(br.ret, -EBADF);
	CHECK(now_ms() - start < 1000);
	/* For good. */
	CHECK_INT(br.t->ops->read(br.t, buf, 8, -1), -EBADF);
	CHECK_INT(br.t->ops->writev(br.t, &iov, 1, -1), -EBADF);
	iiod_transport_destroy(br.t);
	host_close(&h);
}

/* ---- DMABUF hooks ---------------------------------------------------------------- */

struct rig {
	struct iio_context *ctx;
	struct iio_buffer_stream *stream;
	struct ffs_usb_env env;
	struct host h;
	struct iiod_transport *t;
};

static void rig_up(struct rig *r, unsigned int dev, bool dmabuf_opt, bool enabled,
		   bool dmabuf_blocks)
{
	fake_ffs_reset();
	memset(&fio, 0, sizeof(fio));
	fio.dmabuf_blocks = dmabuf_blocks;
	reset_stats();
	r->ctx = fake_iio_context();
	r->stream = fake_iio_open(r->ctx, dev);
	env_init(&r->env, dmabuf_opt, enabled);
	r->t = new_transport(&r->env, &r->h);
}

static void rig_down(struct rig *r)
{
	iiod_transport_destroy(r->t);
	host_close(&r->h);
	iio_buffer_close(r->stream);
	iio_context_destroy(r->ctx);
	CHECK_INT(fio.live_blocks, 0);
}

static struct iio_block *new_block(struct rig *r, size_t size, bool is_output)
{
	struct iio_block *block = iio_buffer_stream_create_block(r->stream, size);

	CHECK(!iio_err(block));
	CHECK_INT(r->t->ops->block_attach(r->t, block, is_output), 0);
	return block;
}

static void free_block(struct rig *r, struct iio_block *block)
{
	r->t->ops->block_detach(r->t, block);
	iio_block_destroy(block);
}

/* block_send of len bytes: the host gets the header then exactly the data. */
static void send_and_check(struct rig *r, struct iio_block *block, size_t len, unsigned int seed,
			   unsigned int data_transfers)
{
	uint8_t hdr[8] = {0, 1, 0, 0, 0, 0, 0, 0};
	uint8_t *got = malloc(len + 1);
	size_t off = 0;
	unsigned int n = 0;

	CHECK(got);
	fill_counter(iio_block_start(block), len, seed);
	CHECK_INT(r->t->ops->block_send(r->t, hdr, 8, block, len), 8 + len);
	CHECK_INT(host_recv(&r->h, got, len + 1), 8);
	while (off < len) {
		ssize_t m = host_recv(&r->h, got + off, len + 1 - off);

		CHECK(m > 0);
		off += (size_t)m;
		n++;
	}
	CHECK_INT(off, len);
	CHECK_INT(n, data_transfers);
	CHECK(check_counter(got, len, seed));
	CHECK_INT(recv(r->h.in, got, 1, MSG_DONTWAIT), -1);
	free(got);
}

static void test_rx_zero_copy(void)
{
	struct rig r;
	struct iio_block *a, *b;
	char *stats;

	rig_up(&r, 0, true, true, true);
	a = new_block(&r, 2 * MIB, false);
	b = new_block(&r, 4096, false);
	CHECK_INT(ffk.attach_calls, 2);
	CHECK_INT(fio.cpu_disabled, 2);

	/* The whole block as one USB request (usb.md §7.5), and a partial one. */
	send_and_check(&r, a, 2 * MIB, 1, 1);
	CHECK_INT(ffk.last_transfer_len, 2 * MIB);
	send_and_check(&r, a, 1000, 2, 1);
	send_and_check(&r, b, 4096, 3, 1);
	CHECK_INT(ffk.transfer_calls, 3);

	free_block(&r, a);
	CHECK_INT(ffk.detach_calls, 1);
	CHECK_STR(read_stats(), ""); /* the buffer still has a block */
	free_block(&r, b);
	CHECK_INT(ffk.detach_calls, 2);
	stats = read_stats();
	CHECK_STR(stats, "pipe=1 device=fake-adc direction=rx zerocopy_blocks=3 "
			 "zerocopy_bytes=2102248 copy_blocks=0 copy_bytes=0 fallbacks=0 "
			 "reasons=none\n");
	rig_down(&r);
}

/* A fallback decided at CREATE_BLOCK: copies with identical bytes, and says why. */
static void check_attach_fallback(bool dmabuf_opt, bool enabled, bool dmabuf_blocks, int attach_err,
				  int cpu_err, unsigned int want_attach_calls,
				  const char *want_reasons)
{
	struct rig r;
	struct iio_block *block;
	char want[512];

	rig_up(&r, 0, dmabuf_opt, enabled, dmabuf_blocks);
	ffk.attach_err = attach_err;
	fio.cpu_access_err = cpu_err;
	block = new_block(&r, 3 * MIB, false);
	CHECK_INT(ffk.attach_calls, want_attach_calls);
	/* Copy path: 1 MiB transfers. */
	send_and_check(&r, block, 3 * MIB, 5, 3);
	CHECK_INT(ffk.transfer_calls, 0);
	free_block(&r, block);
	/* Nothing attached, nothing to detach (and no DMABUF ioctl while disabled). */
	CHECK_INT(ffk.detach_calls, cpu_err ? 1 : 0);
	snprintf(want, sizeof(want),
		 "pipe=1 device=fake-adc direction=rx zerocopy_blocks=0 "
		 "zerocopy_bytes=0 copy_blocks=1 copy_bytes=3145728 fallbacks=1 reasons=%s\n",
		 want_reasons);
	CHECK_STR(read_stats(), want);
	rig_down(&r);
}

static void test_attach_fallbacks(void)
{
	check_attach_fallback(false, true, true, 0, 0, 0, "no-dmabuf-option:1");
	check_attach_fallback(true, true, false, 0, 0, 0, "no-dmabuf-fd:1");
	/* Before FUNCTIONFS_ENABLE: no DMABUF ioctl at all (6.12 oopses). */
	check_attach_fallback(true, false, true, 0, 0, 0, "function-not-enabled:1");
	CHECK_INT(ffk.dmabuf_ioctls, 0);
	check_attach_fallback(true, true, true, -EPERM, 0, 1, "attach/EPERM:1");
	check_attach_fallback(true, true, true, 0, -EIO, 1, "cpu-access/EIO:1");
}

static void test_transfer_fallbacks(void)
{
	struct rig r;
	struct iio_block *block;
	int busy[2] = {-EBUSY, -EBUSY}, refused[1] = {-EINVAL}, gone[1] = {-ESHUTDOWN};
	uint8_t hdr[8] = {0};

	rig_up(&r, 0, true, true, true);
	block = new_block(&r, MIB, false);

	/* Busy fences: retried, still zero-copy. */
	fake_transfer_errors(2, busy);
	send_and_check(&r, block, MIB, 7, 1);
	CHECK_INT(ffk.transfer_calls, 3);
	/* Refused after the header went out: the data follows by the copy path. */
	fake_transfer_errors(1, refused);
	send_and_check(&r, block, MIB, 8, 1);
	CHECK_INT(fio.cpu_enabled, 1);
	/* ... and that block copies from now on, without trying. */
	send_and_check(&r, block, 512, 9, 1);
	CHECK_INT(ffk.transfer_calls, 4);
	free_block(&r, block);
	CHECK_STR(read_stats(), "pipe=1 device=fake-adc direction=rx zerocopy_blocks=1 "
				"zerocopy_bytes=1048576 copy_blocks=2 copy_bytes=1049088 "
				"fallbacks=1 reasons=transfer/EINVAL:1\n");
	rig_down(&r);

	/* The function went away: the session ends, no copy attempt. */
	rig_up(&r, 0, true, true, true);
	block = new_block(&r, 4096, false);
	fake_transfer_errors(1, gone);
	CHECK_INT(r.t->ops->block_send(r.t, hdr, 8, block, 4096), -EPIPE);
	CHECK(atomic_load(&to_ffs(r.t)->down));
	/* No DMABUF ioctl once the function is gone: closing the endpoint detaches. */
	free_block(&r, block);
	CHECK_INT(ffk.detach_calls, 0);
	rig_down(&r);

	/* Disabled meanwhile (DISABLE event): DETACH skipped too. */
	rig_up(&r, 0, true, true, true);
	block = new_block(&r, 4096, false);
	atomic_store(&r.env.enabled, false);
	free_block(&r, block);
	CHECK_INT(ffk.detach_calls, 0);
	rig_down(&r);
}

static void test_tx(void)
{
	struct rig r;
	struct iio_block *block;
	uint8_t *data = malloc(MIB);
	int refused[1] = {-EINVAL};

	CHECK(data);
	rig_up(&r, 1, true, true, true);
	block = new_block(&r, MIB, true);
	CHECK_INT(ffk.attach_calls, 1);

	/* Straight into the block. */
	fill_counter(data, MIB, 11);
	host_send(&r.h, data, MIB);
	CHECK_INT(r.t->ops->block_recv(r.t, block, MIB), MIB);
	CHECK_INT(ffk.transfer_calls, 1);
	CHECK(check_counter(iio_block_start(block), MIB, 11));

	/* Refused: nothing of the payload was read, the copy path reads it all. */
	fake_transfer_errors(1, refused);
	fill_counter(data, 4096, 12);
	host_send(&r.h, data, 4096);
	host_send(&r.h, "NEXT", 4);
	CHECK_INT(r.t->ops->block_recv(r.t, block, 4096), 4096);
	CHECK(check_counter(iio_block_start(block), 4096, 12));
	CHECK_INT(r.t->ops->read(r.t, data, 4, -1), 4);
	CHECK(!memcmp(data, "NEXT", 4));

	free_block(&r, block);
	CHECK_STR(read_stats(), "pipe=1 device=fake-dac direction=tx zerocopy_blocks=1 "
				"zerocopy_bytes=1048576 copy_blocks=1 copy_bytes=4096 fallbacks=1 "
				"reasons=transfer/EINVAL:1\n");
	rig_down(&r);
	free(data);
}

/* Blocks never detached (a session torn down abruptly) are still reported. */
static void test_release(void)
{
	struct rig r;
	struct iio_block *block;

	rig_up(&r, 0, true, true, true);
	block = new_block(&r, 4096, false);
	send_and_check(&r, block, 4096, 1, 1);
	iiod_transport_destroy(r.t);
	r.t = NULL;
	CHECK(strstr(read_stats(), "zerocopy_blocks=1 zerocopy_bytes=4096 "));
	iio_block_destroy(block);
	host_close(&r.h);
	iio_buffer_close(r.stream);
	iio_context_destroy(r.ctx);
}

int main(void)
{
	int fd;

	strcpy(stats_path, "/tmp/test-ffs-stats-XXXXXX");
	fd = mkstemp(stats_path);
	CHECK(fd >= 0);
	close(fd);
	CHECK_INT(ffs_stats_sink_init(&sink, stats_path, &quiet), 0);

	test_elements();
	test_reads();
	test_cancel();
	test_rx_zero_copy();
	test_attach_fallbacks();
	test_transfer_fallbacks();
	test_tx();
	test_release();

	ffs_stats_sink_fini(&sink);
	unlink(stats_path);
	printf("test-ffs-transport: ok\n");
	return 0;
}
