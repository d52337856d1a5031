// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulated converters' data pattern on a pipe, for scenarios that stream with
 * the libiio tools (iio_readdev | pattern check, pattern gen | iio_writedev).
 *
 *   pattern check [-n BYTES] [-q] [-v]  read stdin; every 16-bit little-endian word must be
 *                                   word[n] = n & 0xffff (n from 0). Prints
 *                                   "bytes=N secs=S mibs=X wall_s=W integrity=ok|BAD ..."
 *                                   (secs/mibs: from the first byte to EOF, so client
 *                                   set-up is not counted; wall_s: from the start)
 *                                   Exit 1 if a word is wrong or fewer than BYTES came.
 *                                   -v: print the first discontinuities to stderr
 *   pattern gen -n BYTES            write BYTES of the counter to stdout
 *
 * The check is a memcmp() against a precomputed period of the counter: a per-word loop
 * costs several CPU-seconds per GiB under QEMU TCG and would throttle every case.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

/* Two periods of the counter: any window of up to one period starting at any phase. */
static uint16_t period[2 * 65536];
static unsigned char buf[CHUNK + 1];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: pattern check [-n BYTES] [-q] [-v] | pattern gen -n BYTES\n");
	exit(2);
}

static int gen(unsigned long long bytes)
{
	const unsigned char *src = (const unsigned char *)period;
	unsigned long long done = 0;

	/* a period is 128 KiB: every write starts at phase 0 */
	while (done < bytes) {
		size_t n = sizeof(period) / 2;
		ssize_t w;

		if (bytes - done < n)
			n = bytes - done;
		w = write(1, src, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "pattern gen: write after %llu bytes: %s\n", done,
				strerror(errno));
			return 1;
		}
		/* a short write leaves the phase where it stopped: continue from there */
		src = (const unsigned char *)period + ((done + w) % (sizeof(period) / 2));
		done += w;
	}
	return 0;
}

static int check(unsigned long long want, int quiet, int verbose)
{
	unsigned long long total = 0, first_bad = ~0ULL, bad_words = 0;
	double t_start = now(), t_first = 0, t_end;
	size_t have = 0; /* bytes in buf (an odd byte stays for the next read) */
	unsigned int phase = 0; /* counter value expected for the next word */

	/* a larger pipe: fewer wake-ups between the tool and the checker */
	fcntl(0, F_SETPIPE_SZ, CHUNK);
	for (;;) {
		ssize_t r = read(0, buf + have, CHUNK - have);
		size_t words, off;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "pattern check: read after %llu bytes: %s\n", total,
				strerror(errno));
			return 1;
		}
		if (r == 0)
			break;
		if (!total)
			t_first = now();
		total += r;
		have += r;
		words = have / 2;
		for (off = 0; off < words;) {
			size_t n = words - off;

			if (n > 65536)
				n = 65536;
			if (memcmp(buf + 2 * off, &period[phase], 2 * n)) {
				/* slow path: find the word, then resynchronise on what came */
				size_t i;

				for (i = 0; i < n; i++) {
					uint16_t w;

					memcpy(&w, buf + 2 * (off + i), 2);
					w = le16toh(w);
					if (w != ((phase + i) & 0xffff)) {
						unsigned long long at = (total - have) / 2 + off + i;

						if (first_bad == ~0ULL)
							first_bad = at;
						if (verbose && bad_words < 32)
							fprintf(stderr,
								"pattern check: word %llu (byte %llu): "
								"0x%04x, expected 0x%04x\n",
								at, 2 * at, w,
								(unsigned int)(phase + i) & 0xffff);
						bad_words++;
						phase = (unsigned int)(w - i) & 0xffff;
					}
				}
			}
			phase = (phase + n) & 0xffff;
			off += n;
		}
		if (have & 1) {
			buf[0] = buf[have - 1];
			have = 1;
		} else {
			have = 0;
		}
	}
	t_end = now();

	double secs = total ? t_end - t_first : 0;
	int ok = !bad_words && !have && (!want || total == want);

	printf("bytes=%llu secs=%.3f mibs=%.1f wall_s=%.3f integrity=%s", total, secs,
	       secs > 0 ? total / 1048576.0 / secs : 0.0, t_end - t_start, ok ? "ok" : "BAD");
	if (bad_words)
		printf(" bad_words=%llu first_bad_word=%llu", bad_words, first_bad);
	if (want && total != want)
		printf(" expected_bytes=%llu", want);
	if (have)
		printf(" odd_trailing_byte=1");
	printf("\n");
	if (!ok && !quiet)
		fprintf(stderr, "pattern check: the stream is not the counter (see above)\n");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long long bytes = 0;
	int quiet = 0, verbose = 0, opt;
	const char *mode;
	unsigned int i;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "n:qv")) != -1) {
		switch (opt) {
		case 'n':
			bytes = strtoull(optarg, NULL, 0);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	for (i = 0; i < 2 * 65536; i++)
		period[i] = htole16((uint16_t)i);
	if (!strcmp(mode, "check"))
		return check(bytes, quiet, verbose);
	if (!strcmp(mode, "gen") && bytes)
		return gen(bytes);
	usage();
	return 2;
}
