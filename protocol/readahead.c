// SPDX-License-Identifier: LGPL-2.1-or-later
/* Read-ahead shared by the fd and FunctionFS transports (readahead.h). */
#include "readahead.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void iiod_readahead_free(struct iiod_readahead *ra)
{
	free(ra->buf);
	ra->buf = NULL;
	ra->pos = ra->len = 0;
}

size_t iiod_readahead_take(struct iiod_readahead *ra, void *dst, size_t len)
{
	size_t n = ra->len - ra->pos;

	if (n > len)
		n = len;
	if (n) {
		memcpy(dst, ra->buf + ra->pos, n);
		ra->pos += n;
	}
	return n;
}

ssize_t iiod_readahead_fill(struct iiod_readahead *ra, iiod_readahead_fill_fn fill, void *ctx,
			    int timeout_ms)
{
	ssize_t ret;

	if (iiod_readahead_pending(ra))
		return -EBUSY;
	if (!ra->buf) {
		if (!ra->size)
			return -EINVAL;
		ra->buf = malloc(ra->size);
		if (!ra->buf)
			return -ENOMEM;
	}
	ra->pos = ra->len = 0;
	ret = fill(ctx, ra->buf, ra->size, timeout_ms);
	if (ret < 0)
		return ret;
	if (ret == 0 || (size_t)ret > ra->size)
		return -EIO; /* a broken fill: nothing is taken from it */
	ra->len = (size_t)ret;
	return ret;
}

ssize_t iiod_readahead_line(struct iiod_readahead *ra, char *dst, size_t len,
			    bool consume_overflow, iiod_readahead_fill_fn fill, void *ctx,
			    int timeout_ms)
{
	size_t copied = 0;
	ssize_t ret;

	for (;;) {
		char *start = ra->buf ? ra->buf + ra->pos : NULL;
		size_t avail = ra->len - ra->pos;
		char *nl = avail ? memchr(start, '\n', avail) : NULL;
		size_t n = nl ? (size_t)(nl - start) + 1 : avail;

		if (copied + n > len) {
			if (consume_overflow)
				ra->pos += len - copied;
			return -EFBIG;
		}
		if (n) {
			memcpy(dst + copied, start, n);
			copied += n;
			ra->pos += n;
		}
		if (nl)
			return (ssize_t)copied;

		ret = iiod_readahead_fill(ra, fill, ctx, timeout_ms);
		if (ret < 0)
			return ret;
	}
}
