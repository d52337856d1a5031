// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The read-ahead shared by the fd and FunctionFS transports: lines split
 * across reads, bytes after a line kept for later reads, lines too long
 * (both overflow rules), fill errors, and a buffer smaller than a line.
 */
#include "check.h"
#include "protocol/readahead.h"

#include <errno.h>

/* A fake source: a list of reads, each what one transfer or recv() brings. */
struct source {
	const char *const *chunks;
	unsigned int next, count;
	int error; /* returned once the chunks are used up */
	unsigned int calls;
};

static ssize_t fill(void *ctx, void *dst, size_t len, int timeout_ms)
{
	struct source *src = ctx;
	size_t n;

	(void)timeout_ms;
	src->calls++;
	if (src->next == src->count)
		return src->error;
	n = strlen(src->chunks[src->next]);
	if (n > len)
		n = len; /* like a recv() into a short buffer: the rest is lost here */
	memcpy(dst, src->chunks[src->next++], n);
	return (ssize_t)n;
}

static void test_line_then_payload(void)
{
	static const char *const chunks[] = {"PRINT\nabc", "def"};
	struct source src = {chunks, 0, 2, -EPIPE, 0};
	struct iiod_readahead ra;
	char line[32] = {0}, data[8] = {0};
	ssize_t ret;

	iiod_readahead_init(&ra, 64);
	CHECK(!iiod_readahead_pending(&ra));
	ret = iiod_readahead_line(&ra, line, sizeof(line), false, fill, &src, -1);
	CHECK_INT(ret, 6);
	CHECK(!memcmp(line, "PRINT\n", 6));
	/* What followed the '\n' in the same read is kept... */
	CHECK(iiod_readahead_pending(&ra));
	CHECK_INT(iiod_readahead_take(&ra, data, 2), 2);
	CHECK(!memcmp(data, "ab", 2));
	CHECK_INT(iiod_readahead_take(&ra, data, sizeof(data)), 1);
	CHECK_INT(data[0], 'c');
	/* ...and nothing more: the next bytes are the transport's. */
	CHECK(!iiod_readahead_pending(&ra));
	CHECK_INT(iiod_readahead_take(&ra, data, sizeof(data)), 0);
	CHECK_INT(src.calls, 1);
	iiod_readahead_free(&ra);
}

static void test_line_across_reads(void)
{
	static const char *const chunks[] = {"READ iio:dev", "ice0 sampling", "_frequency\nX"};
	struct source src = {chunks, 0, 3, -EPIPE, 0};
	struct iiod_readahead ra;
	char line[64] = {0};
	ssize_t ret;

	iiod_readahead_init(&ra, 16);
	ret = iiod_readahead_line(&ra, line, sizeof(line), true, fill, &src, -1);
	CHECK_INT(ret, (ssize_t)strlen("READ iio:device0 sampling_frequency\n"));
	CHECK(!memcmp(line, "READ iio:device0 sampling_frequency\n", (size_t)ret));
	CHECK_INT(src.calls, 3);
	/* The "X" after the '\n' stays for the next read. */
	CHECK(iiod_readahead_pending(&ra));
	iiod_readahead_free(&ra);
	CHECK(!iiod_readahead_pending(&ra));
}

/* Two lines in one read: the second needs no read at all. */
static void test_two_lines_one_read(void)
{
	static const char *const chunks[] = {"A\nBB\n"};
	struct source src = {chunks, 0, 1, -ETIMEDOUT, 0};
	struct iiod_readahead ra;
	char line[8];

	iiod_readahead_init(&ra, 32);
	CHECK_INT(iiod_readahead_line(&ra, line, sizeof(line), false, fill, &src, 10), 2);
	CHECK_INT(iiod_readahead_line(&ra, line, sizeof(line), false, fill, &src, 10), 3);
	CHECK(!memcmp(line, "BB\n", 3));
	CHECK_INT(src.calls, 1);
	/* The source's error comes through, and nothing is left pending. */
	CHECK_INT(iiod_readahead_line(&ra, line, sizeof(line), false, fill, &src, 10), -ETIMEDOUT);
	CHECK(!iiod_readahead_pending(&ra));
	iiod_readahead_free(&ra);
}

/* A line longer than the caller's buffer, with both overflow rules. */
static void test_too_long(bool consume)
{
	static const char *const chunks[] = {"0123456789\nrest"};
	struct source src = {chunks, 0, 1, -EPIPE, 0};
	struct iiod_readahead ra;
	char line[4], rest[16] = {0};
	size_t n;

	iiod_readahead_init(&ra, 32);
	CHECK_INT(iiod_readahead_line(&ra, line, sizeof(line), consume, fill, &src, -1), -EFBIG);
	n = iiod_readahead_take(&ra, rest, sizeof(rest));
	if (consume) {
		/* The 4 bytes looked at are gone. */
		CHECK_INT(n, strlen("456789\nrest"));
		CHECK(!memcmp(rest, "456789\nrest", n));
	} else {
		CHECK_INT(n, strlen("0123456789\nrest"));
		CHECK(!memcmp(rest, "0123456789\nrest", n));
	}
	iiod_readahead_free(&ra);
}

static void test_fill_rules(void)
{
	static const char *const chunks[] = {"xy"};
	struct source src = {chunks, 0, 1, -ECONNRESET, 0};
	struct iiod_readahead ra;
	char c;

	iiod_readahead_init(&ra, 8);
	CHECK_INT(iiod_readahead_fill(&ra, fill, &src, -1), 2);
	/* A refill while bytes are pending would lose them. */
	CHECK_INT(iiod_readahead_fill(&ra, fill, &src, -1), -EBUSY);
	CHECK_INT(iiod_readahead_take(&ra, &c, 1), 1);
	CHECK_INT(c, 'x');
	CHECK_INT(iiod_readahead_take(&ra, &c, 1), 1);
	CHECK_INT(c, 'y');
	CHECK_INT(iiod_readahead_fill(&ra, fill, &src, -1), -ECONNRESET);
	CHECK(!iiod_readahead_pending(&ra));
	iiod_readahead_free(&ra);
	iiod_readahead_free(&ra); /* twice is harmless */

	/* No size: nothing can be read ahead. */
	iiod_readahead_init(&ra, 0);
	CHECK_INT(iiod_readahead_fill(&ra, fill, &src, -1), -EINVAL);
}

int main(void)
{
	test_line_then_payload();
	test_line_across_reads();
	test_two_lines_one_read();
	test_too_long(true);
	test_too_long(false);
	test_fill_rules();
	printf("test-readahead: ok\n");
	return 0;
}
