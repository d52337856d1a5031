/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A protocol transport over the fuzz input: reads come from the input, writes
 * are counted and dropped (or copied to stderr with $FUZZ_TRACE set, to see
 * what a seed makes the other side say).
 *
 * The peer goes away (-EPIPE) once FUZZ_MAX_OUTPUT bytes were written.
 *
 * Stream mode (the server harness): the input is what the peer sends, all of
 * it readable at once; at its end reads fail with -EPIPE (peer gone).
 *
 * Lockstep mode (the client harness): the input is the peer's answers, one
 * chunk per request, chunks separated by FUZZ_CHUNK_SEP. Chunk i becomes
 * readable once i + 1 requests were written, so that a client with a reader
 * thread cannot read an answer before it asked. When the current chunk runs
 * out but more input is left, the answer was short: a reader in the thread
 * that writes (ASCII mode) gets the next chunk at once, another thread (the
 * binary reader) once fuzz_lockstep_ms() pass without a new request. A
 * FUZZ_CHUNK_STALL instead of a separator ends the input with a peer that
 * stays connected but says nothing more: reads wait until cancelled.
 */
#ifndef IIO_TESTS_FUZZ_TRANSPORT_H
#define IIO_TESTS_FUZZ_TRANSPORT_H

#include "protocol/transport.h"

#include <stdint.h>

#define FUZZ_CHUNK_SEP "~~~\n"
#define FUZZ_CHUNK_STALL "~~~stall\n"
/* A peer that stops reading after this much: writes fail with -EPIPE (READBUF of 6 GB). */
#define FUZZ_MAX_OUTPUT (16u << 20)

/*
 * How long a short answer waits for the next request before it goes on in
 * the next chunk: $FUZZ_LOCKSTEP_MS, else 200 ms. Long enough that a busy
 * machine replays the same way; a campaign may trade that for speed (5).
 */
int fuzz_lockstep_ms(void);

/* Returns NULL without memory. The data is copied. */
struct iiod_transport *fuzz_transport_new(const uint8_t *data, size_t size, bool lockstep);

#endif /* IIO_TESTS_FUZZ_TRANSPORT_H */
