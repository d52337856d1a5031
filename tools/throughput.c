// SPDX-License-Identifier: GPL-2.0-or-later
/* Throughput of iio_rwdev: the benchmark line (-B) and the live rate on a terminal. */
#include "throughput.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

unsigned long long throughput_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

static void print_rate(unsigned long long bytes, unsigned long long us)
{
	unsigned long long rate = us ? bytes * 1000000ULL / us : 0;

	if (rate > 1024 * 1024)
		fprintf(stderr, "\033[2K\rThroughput: %llu MiB/s", rate / (1024 * 1024));
	else
		fprintf(stderr, "\033[2K\rThroughput: %llu KiB/s", rate / 1024);
	fflush(stderr);
}

void throughput_init(struct throughput *t, bool benchmark)
{
	memset(t, 0, sizeof(*t));
	t->benchmark = benchmark;
	t->live = !benchmark && isatty(STDERR_FILENO);
	t->start_us = t->mark_us = throughput_now_us();
	t->period = 10;
}

/* Benchmark: called with the time one block took; prints every period blocks (~100 ms). */
void throughput_block(struct throughput *t, unsigned long long block_us, size_t block_bytes)
{
	unsigned long long per_block;

	t->timed_us += block_us;
	if (++t->blocks < t->period)
		return;
	print_rate((unsigned long long)block_bytes * t->blocks, t->timed_us);
	t->line_printed = true;
	per_block = t->timed_us / t->blocks;
	t->period = per_block ? (unsigned int)(100000ULL / per_block) : 1000;
	if (t->period < 10)
		t->period = 10;
	t->blocks = 0;
	t->timed_us = 0;
}

/* Live display on a terminal: the rate over the last second. */
void throughput_progress(struct throughput *t, unsigned long long total_bytes)
{
	unsigned long long now;

	if (!t->live)
		return;
	now = throughput_now_us();
	if (now - t->mark_us < 1000000ULL)
		return;
	print_rate(total_bytes - t->mark_bytes, now - t->mark_us);
	t->line_printed = true;
	t->mark_us = now;
	t->mark_bytes = total_bytes;
}

void throughput_end(struct throughput *t, unsigned long long total_bytes)
{
	unsigned long long us = throughput_now_us() - t->start_us;
	double secs = (double)us / 1e6;

	if (t->line_printed)
		fprintf(stderr, "\n");
	if (t->benchmark)
		fprintf(stderr, "Transferred %llu bytes in %.3f s: %.2f MiB/s\n", total_bytes, secs,
			secs > 0 ? (double)total_bytes / secs / (1024 * 1024) : 0.0);
}
