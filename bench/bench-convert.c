// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Throughput of taking a block apart: demultiplexing a 4-channel 16-bit
 * block (as an AD9361 RX pair streams it, le:S12/16>>0) with and without
 * conversion, a 2-channel I/Q block, iio_block_foreach_sample(), and
 * multiplexing back. Each figure is given against memcpy() of the same bytes,
 * measured in the same run:
 *
 *   BENCH convert-4ch-s12 mibs=... memcpy_mibs=... ratio=...
 *
 * Usage: bench-convert [--quick] [--size MiB]
 */
#include "backend.h"
#include "stream-internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A backend that only opens buffers: the bench never moves data through it. */
static int bench_pdata;

static struct iio_buffer_stream_pdata *bench_open(const struct iio_buffer *buf,
						  struct iio_channels_mask *mask)
{
	(void)buf;
	(void)mask;
	return (struct iio_buffer_stream_pdata *)&bench_pdata;
}

static ssize_t bench_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len)
{
	(void)pdata;
	(void)dst;
	return (ssize_t)len;
}

static const struct iio_backend_ops bench_ops = {
	.open_buffer = bench_open,
	.readbuf = bench_readbuf,
};

static const struct iio_backend bench_backend = {
	.name = "bench",
	.uri_prefix = "bench:",
	.ops = &bench_ops,
	.default_timeout_ms = 1000,
};

static double min_seconds = 0.5;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Keeps the compiler from dropping work whose result is never read. */
static void clobber(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

struct job {
	const char *name;
	void (*run)(struct job *job);
	struct iio_block *block;
	struct iio_channel *chn[4];
	unsigned int nb_chn;
	struct iio_channels_mask *mask;
	void *out[4];
	size_t out_len, bytes; /* bytes: what one run processes */
	void *src, *dst;       /* memcpy baseline */
};

/* MiB/s of job->run over at least min_seconds (after one warm-up run). */
static double measure(struct job *job)
{
	double t0, elapsed;
	unsigned long runs = 0;

	job->run(job);
	t0 = now();
	do {
		job->run(job);
		runs++;
		elapsed = now() - t0;
	} while (elapsed < min_seconds);
	return (double)job->bytes * runs / elapsed / (1024.0 * 1024.0);
}

static void run_memcpy(struct job *job)
{
	memcpy(job->dst, job->src, job->bytes);
	clobber(job->dst);
}

static void run_demux(struct job *job, bool raw)
{
	unsigned int i;

	for (i = 0; i < job->nb_chn; i++) {
		if (!iio_channel_read(job->chn[i], job->block, job->out[i], job->out_len, raw))
			abort();
		clobber(job->out[i]);
	}
}

static void run_convert(struct job *job)
{
	run_demux(job, false);
}

static void run_raw(struct job *job)
{
	run_demux(job, true);
}

static void run_mux(struct job *job)
{
	unsigned int i;

	for (i = 0; i < job->nb_chn; i++)
		if (!iio_channel_write(job->chn[i], job->block, job->out[i], job->out_len, false))
			abort();
	clobber(iio_block_start(job->block));
}

struct sink {
	struct job *job;
	size_t pos[4];
};

static ssize_t copy_sample(const struct iio_channel *chn, void *src, size_t bytes, void *d)
{
	struct sink *sink = d;
	unsigned int i = chn->number;

	memcpy((char *)sink->job->out[i] + sink->pos[i], src, bytes);
	sink->pos[i] += bytes;
	return (ssize_t)bytes;
}

static void run_foreach(struct job *job)
{
	struct sink sink = {.job = job};

	if (iio_block_foreach_sample(job->block, job->mask, copy_sample, &sink) <= 0)
		abort();
	clobber(job->out[0]);
}

static void report(const char *name, double mibs, double memcpy_mibs)
{
	printf("BENCH %s mibs=%.1f memcpy_mibs=%.1f ratio=%.3f\n", name, mibs, memcpy_mibs,
	       mibs / memcpy_mibs);
	fflush(stdout);
}

static void set_format(struct job *job, const char *format)
{
	unsigned int i;

	for (i = 0; i < job->nb_chn; i++)
		if (iio_data_format_parse(&job->chn[i]->format, format))
			abort();
}

/* Checks that sample k of channel i came out as the pattern put in. */
static void verify(struct job *job, bool sign_extended)
{
	size_t k, samples = job->out_len / 2;
	unsigned int i;

	for (i = 0; i < job->nb_chn; i++) {
		for (k = 0; k < samples; k += 997) {
			int16_t got, want = (int16_t)(((k * job->nb_chn + i) * 37) & 0xfff);

			if (sign_extended && (want & 0x800))
				want = (int16_t)(want | 0xf000);
			memcpy(&got, (char *)job->out[i] + 2 * k, 2);
			if (got != want) {
				fprintf(stderr, "bench: channel %u sample %zu is %d, expected %d\n",
					i, k, got, want);
				exit(1);
			}
		}
	}
}

static void fill_block(struct job *job)
{
	int16_t *data = iio_block_start(job->block);
	size_t k, n = job->bytes / 2;

	for (k = 0; k < n; k++)
		data[k] = (int16_t)((k * 37) & 0xfff);
}

/* Opens a stream of the first nb channels and a block of size bytes. */
static void setup(struct job *job, struct iio_device *dev, unsigned int nb, size_t size)
{
	struct iio_buffer_stream *stream;
	unsigned int i;

	job->nb_chn = nb;
	job->mask = iio_create_channels_mask(dev->nb_channels);
	for (i = 0; i < nb; i++) {
		job->chn[i] = dev->channels[i];
		iio_channel_enable(job->chn[i], job->mask);
	}
	stream = iio_buffer_open(dev->buffers[0], job->mask);
	if (iio_err(stream))
		abort();
	job->block = iio_buffer_stream_create_block(stream, size);
	if (iio_err(job->block))
		abort();
	job->bytes = size;
	job->out_len = size / nb;
	for (i = 0; i < nb; i++)
		job->out[i] = aligned_alloc(4096, job->out_len);
	fill_block(job);
}

static void teardown(struct job *job)
{
	struct iio_buffer_stream *stream = iio_block_get_buffer_stream(job->block);
	unsigned int i;

	iio_block_destroy(job->block);
	iio_buffer_close(stream);
	iio_channels_mask_destroy(job->mask);
	for (i = 0; i < job->nb_chn; i++)
		free(job->out[i]);
}

int main(int argc, char **argv)
{
	size_t size = 4 << 20;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_buffer *buf;
	struct job job = {0}, copy = {0};
	double memcpy_mibs;
	unsigned int i;
	int arg;

	for (arg = 1; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--quick")) {
			min_seconds = 0.05;
		} else if (!strcmp(argv[arg], "--size") && arg + 1 < argc) {
			size = (size_t)atoi(argv[++arg]) << 20;
		} else {
			fprintf(stderr, "Usage: %s [--quick] [--size MiB]\n", argv[0]);
			return 2;
		}
	}
	if (!size || size % 8)
		return 2;

	ctx = iio_context_new(&bench_backend, NULL, NULL);
	dev = iio_context_add_device(ctx, "iio:device0", "cf-ad9361-lpc", NULL);
	buf = iio_device_add_buffer(dev, 0, IIO_BUFFER_DIRECTION_IN);
	if (iio_err(ctx) || iio_err(dev) || iio_err(buf))
		return 1;
	for (i = 0; i < 4; i++) {
		char id[16];
		struct iio_channel *chn;

		snprintf(id, sizeof(id), "voltage%u", i);
		chn = iio_device_add_channel(dev, id, false, i);
		if (iio_err(chn) || iio_buffer_add_scan_element(buf, chn) ||
		    iio_data_format_parse(&chn->format, "le:S12/16>>0"))
			return 1;
	}
	if (iio_context_init(ctx))
		return 1;

	/* The baseline: memcpy of the same number of bytes, same run. */
	copy.bytes = size;
	copy.src = aligned_alloc(4096, size);
	copy.dst = aligned_alloc(4096, size);
	memset(copy.src, 0x5a, size);
	copy.run = run_memcpy;
	memcpy_mibs = measure(&copy);

	setup(&job, dev, 4, size);

	job.run = run_convert;
	report("convert-4ch-s12", measure(&job), memcpy_mibs);
	verify(&job, false);

	set_format(&job, "le:s12/16>>0");
	report("convert-4ch-s12-signext", measure(&job), memcpy_mibs);
	verify(&job, true);

	set_format(&job, "le:S12/16>>0");
	job.run = run_raw;
	report("demux-4ch-raw", measure(&job), memcpy_mibs);
	verify(&job, false);

	job.run = run_foreach;
	report("foreach-4ch", measure(&job), memcpy_mibs);
	verify(&job, false);

	job.run = run_mux;
	report("mux-4ch-s12", measure(&job), memcpy_mibs);
	teardown(&job);

	setup(&job, dev, 2, size);
	job.run = run_raw;
	report("demux-iq-raw", measure(&job), memcpy_mibs);
	verify(&job, false);
	job.run = run_convert;
	set_format(&job, "le:s12/16>>0");
	report("convert-iq-s12-signext", measure(&job), memcpy_mibs);
	verify(&job, true);
	teardown(&job);

	free(copy.src);
	free(copy.dst);
	iio_context_destroy(ctx);
	return 0;
}
