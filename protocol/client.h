/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The protocol client: one per connection (a TCP socket, a USB pipe). It
 * tries the binary protocol first and silently stays in ASCII mode when the
 * server is a libiio 0.x iiod.
 *
 * Binary mode: a reader thread takes every response and hands it to the
 * first pending "io" with the same client_id (FIFO), reading any data
 * straight into the memory that io named (a block's samples land in the
 * block). Requests of one io are answered in order; ios of different ids
 * (blocks, event streams) interleave freely, so several blocks are in
 * flight at once.
 *
 * ASCII mode: one exchange at a time under the client's lock.
 */
#ifndef IIO_PROTOCOL_CLIENT_H
#define IIO_PROTOCOL_CLIENT_H

#include "transport.h"
#include "wire.h"

struct iiod_client;
struct iiod_io;

/*
 * Takes ownership of t (destroyed on failure too). Sends BINARY, then
 * TIMEOUT (half of timeout_ms, the server's wait must end before ours).
 * params: logging; copied. Returns an error pointer.
 */
iio_hidden struct iiod_client *iiod_client_new(const struct iio_context_params *params,
					       struct iiod_transport *t, int timeout_ms);
/* Cancels, stops the reader, frees everything (the ios first, see iiod_io_destroy). */
iio_hidden void iiod_client_destroy(struct iiod_client *client);
iio_hidden bool iiod_client_is_binary(const struct iiod_client *client);
iio_hidden struct iiod_transport *iiod_client_get_transport(const struct iiod_client *client);
/* Every pending and later call fails with -EBADF. Async-signal-safe. */
iio_hidden void iiod_client_cancel(struct iiod_client *client);
/* The local wait limit, and the server's (TIMEOUT request). */
iio_hidden int iiod_client_set_timeout(struct iiod_client *client, int timeout_ms);
iio_hidden int iiod_client_get_timeout(const struct iiod_client *client);
/*
 * The context description, decompressed, NUL-terminated, malloc'd.
 * Binary PRINT, or ASCII ZPRINT falling back to PRINT.
 */
iio_hidden int iiod_client_get_xml(struct iiod_client *client, char **xml, size_t *len);

/* ---- Binary mode -------------------------------------------------------- */

struct iiod_request {
	uint16_t client_id;
	uint8_t op;
	uint8_t dev;
	int32_t code;
	/* Payload elements sent after the header (each its own element). */
	const struct iovec *payload;
	unsigned int nb_payload;
};

/*
 * Sends a request on the default path and waits for its response. Data of a
 * positive response goes to out (at most out_len bytes, the rest dropped)
 * when with_data; returns the response code (which may exceed out_len) or a
 * negative errno (-ETIMEDOUT after the client timeout).
 */
iio_hidden int iiod_client_exec(struct iiod_client *client, const struct iiod_request *req,
				bool with_data, void *out, size_t out_len);

/* A response slot for one client_id (a block, an event stream). */
iio_hidden struct iiod_io *iiod_io_new(struct iiod_client *client, uint16_t client_id);
/* Withdraws a pending request (its late response is dropped), then frees. */
iio_hidden void iiod_io_destroy(struct iiod_io *io);
/*
 * Sends req with this io's client_id; its response's data (if with_data) will
 * go to out. Fails with -EBUSY when a request of this io is still pending.
 */
iio_hidden int iiod_io_send(struct iiod_io *io, const struct iiod_request *req, bool with_data,
			    void *out, size_t out_len);
/*
 * Waits for the response of the pending request: returns its code, or
 * -ETIMEDOUT (timeout_ms < 0: forever; 0: -EBUSY when not there yet) leaving
 * the request pending, or the connection's error.
 */
iio_hidden int iiod_io_wait(struct iiod_io *io, int timeout_ms, int32_t *code);
iio_hidden bool iiod_io_is_pending(const struct iiod_io *io);
iio_hidden struct iiod_client *iiod_io_get_client(const struct iiod_io *io);

/* ---- ASCII mode --------------------------------------------------------- */

/*
 * One command: sends cmd (the "\r\n" is added) then payload (if len), reads
 * the integer reply. Returns 0 and *reply, or a negative errno.
 */
iio_hidden int iiod_client_ascii_command(struct iiod_client *client, const char *cmd,
					 const void *payload, size_t len, long *reply);
/*
 * A command answered by "<L>\n" + L bytes + "\n" (READ, GETTRIG): the bytes
 * go to dst (at most len - 1, NUL-terminated; the rest dropped). Returns L
 * or the negative reply.
 */
iio_hidden ssize_t iiod_client_ascii_read_value(struct iiod_client *client, const char *cmd,
						char *dst, size_t len);
/* A command answered by one text line (VERSION): the line, without its '\n'. */
iio_hidden ssize_t iiod_client_ascii_read_line_command(struct iiod_client *client, const char *cmd,
						       char *dst, size_t len);
/*
 * READBUF: receives up to len sample bytes into dst. *mask_words words of
 * the server's mask line go to mask (may be NULL). Returns the bytes received.
 */
iio_hidden ssize_t iiod_client_ascii_readbuf(struct iiod_client *client, const char *dev_id,
					     void *dst, size_t len, uint32_t *mask,
					     unsigned int mask_words);
/* WRITEBUF: sends len sample bytes. Returns the bytes the server took. */
iio_hidden ssize_t iiod_client_ascii_writebuf(struct iiod_client *client, const char *dev_id,
					      const void *src, size_t len);

#endif /* IIO_PROTOCOL_CLIENT_H */
