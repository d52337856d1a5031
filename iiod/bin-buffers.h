/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Binary-protocol buffers (buffers.c) and their blocks and workers
 * (blocks.c). An opened buffer is global to iiod (clients free blocks and
 * close buffers through their context connection, not the buffer's own) and
 * owned by the session that opened it: it goes when that session ends.
 *
 * Each buffer has two workers, so that every block a client enqueued is in
 * flight at once: the enqueue worker hands blocks to the hardware in request
 * order, the dequeue worker waits for them in that same order and sends each
 * response (an RX block's samples straight from the block). The session's
 * reader thread only parses requests and reads TX payloads into the blocks
 * (and enqueues RX blocks itself: that never waits).
 */
#ifndef IIOD_BIN_BUFFERS_H
#define IIOD_BIN_BUFFERS_H

#include "server.h"

/* Live blocks a buffer may have at once, and their total size. */
#define MAX_LIVE_BLOCKS 256
#define MAX_LIVE_BYTES (1ull << 30)

enum block_state {
	BLK_IDLE,	/* with the server */
	BLK_FILLING,	/* the reader thread is reading its TX payload */
	BLK_TO_ENQUEUE, /* in the enqueue FIFO, or being enqueued */
	BLK_ENQUEUED,	/* in the hardware: in the dequeue FIFO or being dequeued */
	BLK_FAILED,	/* its dequeue failed but it is still enqueued: RETRY may follow */
	BLK_CYCLIC,	/* repeated by the hardware, never dequeued */
};

struct bin_block {
	struct bin_buffer *buf;
	unsigned int index;
	uint16_t client_id; /* of CREATE_BLOCK: every response of the block */
	struct iio_block *block;
	size_t size, bytes_used;
	bool cyclic;
	enum block_state state;
	bool busy;		       /* a thread works on it without the buffer's lock */
	bool responding;	       /* a worker is sending its response */
	bool free_pending;	       /* FREE_BLOCK came while busy: the worker frees it */
	struct iiod_session *link;     /* created through it: its transport's hooks (ref) */
	bool attached;		       /* to link's transport (e.g. FunctionFS DMABUF) */
	struct iiod_session *reply_to; /* who asked for the current transfer (ref) */
	struct bin_block *next;	       /* the buffer's list */
	struct bin_block *qnext;       /* a FIFO */
};

struct block_fifo {
	struct bin_block *head, *tail;
};

struct bin_buffer {
	struct iiod_server *srv;
	unsigned int dev_index, buf_index;
	struct iio_device *dev;
	struct iio_buffer_stream *stream;
	struct iiod_session *owner; /* ref */
	bool is_output;
	size_t sample_size;
	bool had_blocks; /* ENABLE needs a block created first */

	pthread_mutex_t lock; /* blocks, FIFOs, states */
	/* Enqueues, start and stop: the stream's state is not for concurrent changes. */
	pthread_mutex_t stream_lock;
	pthread_cond_t cond; /* FIFO work, busy flags going down */
	struct bin_block *blocks;
	unsigned int nb_blocks;
	uint64_t live_bytes; /* sum of the blocks' sizes */
	struct block_fifo to_enqueue, to_dequeue;
	bool stopping;
	pthread_t enqueuer, dequeuer;
	bool workers_started;

	/* Under srv->buffers_lock. */
	bool ready; /* opened (not just reserved) */
	bool closing;
	unsigned int users; /* handlers using it right now */
	pthread_cond_t users_done;
	struct bin_buffer *next;
};

/* buffers.c: the opened buffer (dev, index), held against closing until put. */
iio_hidden struct bin_buffer *iiod_bin_get_buffer(struct iiod_server *srv, unsigned int dev_index,
						  unsigned int buf_index);
iio_hidden void iiod_bin_put_buffer(struct bin_buffer *b);

/* blocks.c */
iio_hidden void *iiod_bin_enqueue_worker(void *arg);
iio_hidden void *iiod_bin_dequeue_worker(void *arg);
/* Frees a block nobody works on and that is out of every list. */
iio_hidden void iiod_bin_destroy_block(struct bin_block *blk);

#endif /* IIOD_BIN_BUFFERS_H */
