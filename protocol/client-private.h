/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What client.c and client-ascii.c share: the client and io structures. */
#ifndef IIO_PROTOCOL_CLIENT_PRIVATE_H
#define IIO_PROTOCOL_CLIENT_PRIVATE_H

#include "client.h"

#include <pthread.h>

enum iiod_io_state {
	IO_IDLE,      /* nothing pending */
	IO_QUEUED,    /* request sent, in the client's pending list */
	IO_RECEIVING, /* the reader took it and is reading its data */
	IO_DONE,      /* answered (code set), not collected yet */
};

struct iiod_io {
	struct iiod_client *client;
	uint16_t client_id;
	/* Under client->lock. */
	enum iiod_io_state state;
	bool with_data; /* a positive code is followed by that many bytes */
	bool alloc;	/* the reader allocates out for the data */
	bool abandoned; /* nobody waits any more: the reader frees it */
	void *out;
	size_t out_len;
	int32_t code;
	struct iiod_io *next; /* pending list */
};

struct iiod_client {
	struct iio_context_params params;
	struct iiod_transport *t;
	bool binary;
	int timeout_ms;

	/* Guards the pending list, io states and error; cond signals answers. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct iiod_io *pending, *pending_tail;
	int error; /* the connection failed: every request fails with it */

	/* Serialises writes (binary) or whole exchanges (ASCII). */
	pthread_mutex_t write_lock;

	pthread_t reader;
	bool reader_started;
};

/* ASCII ZPRINT, falling back to PRINT: the blob as sent, malloc'd. */
iio_hidden int iiod_client_ascii_print(struct iiod_client *client, char **blob, size_t *len);

#endif /* IIO_PROTOCOL_CLIENT_PRIVATE_H */
