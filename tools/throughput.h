/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Throughput of iio_rwdev: the benchmark line (-B) and the live rate on a terminal. */
#ifndef IIO_TOOLS_THROUGHPUT_H
#define IIO_TOOLS_THROUGHPUT_H

#include <stdbool.h>
#include <stddef.h>

struct throughput {
	bool benchmark, live; /* live: a terminal shows the rate once per second */
	bool line_printed;
	unsigned long long start_us, mark_us, mark_bytes;
	unsigned long long timed_us; /* benchmark: time spent waiting for blocks */
	unsigned int blocks, period; /* benchmark: blocks since the last line, and how many */
};

unsigned long long throughput_now_us(void);

/* Benchmark mode prints "Throughput: N MiB/s" lines; otherwise a terminal on
 * stderr gets the rate once per second. */
void throughput_init(struct throughput *t, bool benchmark);

/* Benchmark: one block took block_us; prints every period blocks (~100 ms). */
void throughput_block(struct throughput *t, unsigned long long block_us, size_t block_bytes);

/* Live display on a terminal: the rate over the last second. */
void throughput_progress(struct throughput *t, unsigned long long total_bytes);

/* Ends the rate line; in benchmark mode, prints the summary of the whole run. */
void throughput_end(struct throughput *t, unsigned long long total_bytes);

#endif /* IIO_TOOLS_THROUGHPUT_H */
