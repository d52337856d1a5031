/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Read-ahead for transports whose reads may bring more than was asked for
 * (a socket recv(), a USB transfer that carried a line and what follows it):
 * the extra bytes are kept and served, in order, to the next reads.
 *
 * The buffer is allocated at the first fill; every refill goes through a
 * callback that reads at most len bytes into dst and returns how many (> 0)
 * or a negative errno (never 0).
 */
#ifndef IIOD_READAHEAD_H
#define IIOD_READAHEAD_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef ssize_t (*iiod_readahead_fill_fn)(void *ctx, void *dst, size_t len, int timeout_ms);

struct iiod_readahead {
	char *buf;
	size_t size;	 /* of buf, allocated at the first fill */
	size_t pos, len; /* bytes [pos, len) of buf are still to be read */
};

/* An empty read-ahead of size bytes (nothing allocated yet). */
static inline void iiod_readahead_init(struct iiod_readahead *ra, size_t size)
{
	*ra = (struct iiod_readahead){.size = size};
}

static inline bool iiod_readahead_pending(const struct iiod_readahead *ra)
{
	return ra->pos < ra->len;
}

/* Frees the buffer; what was pending is dropped. */
iio_hidden void iiod_readahead_free(struct iiod_readahead *ra);

/* Moves up to len pending bytes to dst; returns how many (0: nothing pending). */
iio_hidden size_t iiod_readahead_take(struct iiod_readahead *ra, void *dst, size_t len);

/*
 * Refills an empty read-ahead with one call of fill; returns the bytes now
 * pending, or a negative errno (-ENOMEM, or fill's error). -EBUSY if bytes
 * were still pending (they must be taken first).
 */
iio_hidden ssize_t iiod_readahead_fill(struct iiod_readahead *ra, iiod_readahead_fill_fn fill,
				       void *ctx, int timeout_ms);

/*
 * Reads one line ('\n' included) into dst: pending bytes first, then refills
 * until a '\n' comes; bytes after the '\n' stay pending. Returns the line's
 * length, a negative errno from fill, or -EFBIG when no '\n' comes within len
 * bytes: then, with consume_overflow, the len bytes looked at are consumed;
 * without, the bytes of the last refill that did not fit stay pending.
 */
iio_hidden ssize_t iiod_readahead_line(struct iiod_readahead *ra, char *dst, size_t len,
				       bool consume_overflow, iiod_readahead_fill_fn fill,
				       void *ctx, int timeout_ms);

#endif /* IIOD_READAHEAD_H */
