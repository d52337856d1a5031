/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iiod's shared state and the session layer. A session is one protocol
 * conversation over a transport (a TCP connection; later a FunctionFS
 * pipe): it starts in ASCII mode, may switch to binary, and frees all it
 * opened when it ends. Sessions run in threads of their own and share the
 * served context, the buffers opened in binary mode (a global table, as
 * clients free blocks through another connection than the one that
 * created them) and the per-device state of the legacy protocol.
 */
#ifndef IIOD_SERVER_H
#define IIOD_SERVER_H

#include "internal.h"
#include "protocol/transport.h"
#include "protocol/wire.h"

#include <pthread.h>
#include <stdatomic.h>

struct bin_buffer;
struct bin_evstream;
struct legacy_device;

struct iiod_server {
	struct iio_context *ctx;
	/* The description served by PRINT, and its zstd form (ZPRINT, binary PRINT). */
	char *xml;
	size_t xml_len;
	void *zxml;
	size_t zxml_len;
	bool demux; /* -D: legacy READBUF sends each client its channels */

	/*
	 * REFRESH_FORMAT rewrites a channel's format while other sessions open
	 * streams whose layout depends on it: one at a time.
	 */
	pthread_mutex_t format_lock;

	/* Binary-protocol buffers, keyed by (device, buffer index). */
	pthread_mutex_t buffers_lock;
	struct bin_buffer *buffers;

	/* Legacy-protocol state, one per device of ctx. */
	struct legacy_device *legacy;

	/* Running sessions, so that stopping can cancel them and wait. */
	pthread_mutex_t sessions_lock;
	pthread_cond_t sessions_done;
	struct iiod_session *sessions;
	unsigned int nb_sessions;
	unsigned int next_session_id;
	bool stopping;
};

struct iiod_session {
	struct iiod_server *srv;
	struct iiod_transport *t;
	char peer[96]; /* for log lines: "127.0.0.1:41234" */
	unsigned int id;
	atomic_uint refs; /* the session thread + workers replying through it */

	/* Whole responses at a time; closed: the peer is gone, replies dropped. */
	pthread_mutex_t write_lock;
	bool closed;

	bool binary;
	struct bin_evstream *evstreams; /* event streams of this session (binary) */

	struct iiod_session *next; /* the server's list */
};

/* ---- Server (server.c) --------------------------------------------------- */

/* Serves ctx (taken over): computes the descriptions, prepares the state. */
iio_hidden int iiod_server_init(struct iiod_server *srv, struct iio_context *ctx, bool demux);
/* Cancels every session and waits for them; then frees the state and ctx. */
iio_hidden void iiod_server_stop(struct iiod_server *srv);
iio_hidden void iiod_server_free(struct iiod_server *srv);
/* The device at position index (the binary protocol's device number), or NULL. */
iio_hidden struct iio_device *iiod_server_device(const struct iiod_server *srv, unsigned int index);
iio_hidden int iiod_server_device_index(const struct iiod_server *srv,
					const struct iio_device *dev);

/* ---- Sessions (session.c) ------------------------------------------------- */

/*
 * Runs a session on t (taken over) until the peer leaves, the protocol is
 * violated or the server stops; frees everything the session opened.
 * Returns when done. peer: a name for the log lines.
 */
iio_hidden void iiod_session_run(struct iiod_server *srv, struct iiod_transport *t,
				 const char *peer);
iio_hidden void iiod_session_get(struct iiod_session *s);
iio_hidden void iiod_session_put(struct iiod_session *s);
/* Writes elements as one response; -EPIPE once the session is closed. */
iio_hidden int iiod_session_write(struct iiod_session *s, const struct iovec *iov,
				  unsigned int count);
/* A binary response: header (op 0, dev 0) and len bytes of data if data. */
iio_hidden int iiod_session_respond(struct iiod_session *s, uint16_t client_id, int32_t code,
				    const void *data, size_t len);
/*
 * A binary block response carrying len bytes of block's samples; through
 * the transport's block_send hook when hooked (the block is attached to it).
 */
iio_hidden int iiod_session_respond_block(struct iiod_session *s, uint16_t client_id,
					  struct iio_block *block, size_t len, bool hooked);
/* Reads exactly len bytes of request payload (no time limit: the peer decides). */
iio_hidden int iiod_session_read(struct iiod_session *s, void *dst, size_t len);
/*
 * Reads and drops an unwanted payload to stay in step; a payload beyond
 * IIOD_MAX_DISCARD ends the session instead (-EFBIG, logged with what).
 */
iio_hidden int iiod_session_discard(struct iiod_session *s, uint64_t len, const char *what);

#define sess_info(s, fmt, ...) ctx_info((s)->srv->ctx, "iiod: %s: " fmt, (s)->peer, ##__VA_ARGS__)
#define sess_warn(s, fmt, ...) ctx_warn((s)->srv->ctx, "iiod: %s: " fmt, (s)->peer, ##__VA_ARGS__)
#define sess_dbg(s, fmt, ...) ctx_dbg((s)->srv->ctx, "iiod: %s: " fmt, (s)->peer, ##__VA_ARGS__)
#define sess_err(s, fmt, ...) ctx_err((s)->srv->ctx, "iiod: %s: " fmt, (s)->peer, ##__VA_ARGS__)

/* ---- Protocols ------------------------------------------------------------ */

enum iiod_ascii_result {
	IIOD_ASCII_END,	   /* the session is over */
	IIOD_ASCII_BINARY, /* BINARY accepted: continue in binary mode */
};

/* ascii.c: the legacy interpreter. */
iio_hidden enum iiod_ascii_result iiod_ascii_run(struct iiod_session *s);
/* binary.c: the binary loop; returns when the session is over. */
iio_hidden void iiod_binary_run(struct iiod_session *s);

/* Attribute helpers shared by both protocols (attrs.c). Value buffer size: */
#define IIOD_ATTR_BUF_SIZE IIOD_MAX_ATTR_VALUE
/* Reads attr into buf (IIOD_ATTR_BUF_SIZE bytes); the length or -errno. */
iio_hidden ssize_t iiod_attr_read(const struct iio_attr *attr, char *buf);
/* The "all attributes" block of a list (count attributes, get(i) gives each). */
iio_hidden int iiod_attrs_read_all(const struct iio_attr *(*get)(const void *obj, unsigned int i),
				   const void *obj, unsigned int count,
				   struct iiod_attr_block *out);
/* Writes each entry of a block to attribute i of obj; len on success. */
iio_hidden ssize_t iiod_attrs_write_all(const struct iio_attr *(*get)(const void *obj,
								      unsigned int i),
					const void *obj, unsigned int count, const char *data,
					size_t len);

/* legacy.c: OPEN/CLOSE/READBUF/WRITEBUF/SET and their shared device state. */
iio_hidden int iiod_legacy_init(struct iiod_server *srv);
iio_hidden void iiod_legacy_free(struct iiod_server *srv);
iio_hidden int iiod_legacy_open(struct iiod_session *s, struct iio_device *dev, size_t nb_samples,
				const char *mask_text, bool cyclic);
iio_hidden int iiod_legacy_close(struct iiod_session *s, struct iio_device *dev);
/* READBUF/WRITEBUF answer on the session themselves; an error < 0 ends the session. */
iio_hidden int iiod_legacy_readbuf(struct iiod_session *s, struct iio_device *dev, long long bytes);
iio_hidden int iiod_legacy_writebuf(struct iiod_session *s, struct iio_device *dev,
				    long long bytes);
iio_hidden int iiod_legacy_set_buffers_count(struct iiod_session *s, struct iio_device *dev,
					     long count);
/* Closes every device the session opened. */
iio_hidden void iiod_legacy_session_end(struct iiod_session *s);

/* buffers.c: binary buffers and blocks. Each handler answers the request. */
iio_hidden int iiod_bin_open_buffer(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_close_buffer(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_enable_buffer(struct iiod_session *s, const struct iiod_header *hdr,
				      bool enable);
iio_hidden int iiod_bin_create_block(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_free_block(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_transfer_block(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_retry_dequeue(struct iiod_session *s, const struct iiod_header *hdr);
/* Closes every buffer the session opened; forgets it as a reply target elsewhere. */
iio_hidden void iiod_bin_session_end(struct iiod_session *s);
/* Closes every buffer left (server stop). */
iio_hidden void iiod_bin_free_all(struct iiod_server *srv);

/* events.c: binary event streams. */
iio_hidden int iiod_bin_create_evstream(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_free_evstream(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden int iiod_bin_read_event(struct iiod_session *s, const struct iiod_header *hdr);
iio_hidden void iiod_bin_events_session_end(struct iiod_session *s);

#endif /* IIOD_SERVER_H */
