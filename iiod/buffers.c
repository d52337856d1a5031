// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binary-protocol buffers and blocks. An opened buffer is global to iiod
 * (clients free blocks and close buffers through their context connection,
 * not the buffer's own) and owned by the session that opened it: it goes
 * when that session ends.
 *
 * Each buffer has two workers, so that every block a client enqueued is in
 * flight at once: the enqueue worker hands blocks to the hardware in request
 * order, the dequeue worker waits for them in that same order and sends each
 * response (an RX block's samples straight from the block). The session's
 * reader thread only parses requests and reads TX payloads into the blocks.
 */
#include "server.h"

#include <stdlib.h>

/* Live blocks a buffer may have at once. */
#define MAX_LIVE_BLOCKS 256

enum block_state {
	BLK_IDLE,        /* with the server */
	BLK_FILLING,     /* the reader thread is reading its TX payload */
	BLK_TO_ENQUEUE,  /* in the enqueue FIFO, or being enqueued */
	BLK_ENQUEUED,    /* in the hardware: in the dequeue FIFO or being dequeued */
	BLK_FAILED,      /* its dequeue failed but it is still enqueued: RETRY may follow */
	BLK_CYCLIC,      /* repeated by the hardware, never dequeued */
};

struct bin_block {
	struct bin_buffer *buf;
	unsigned int index;
	uint16_t client_id;            /* of CREATE_BLOCK: every response of the block */
	struct iio_block *block;
	size_t size, bytes_used;
	bool cyclic;
	enum block_state state;
	bool busy;                     /* a thread works on it without the buffer's lock */
	bool responding;               /* a worker is sending its response */
	bool free_pending;             /* FREE_BLOCK came while busy: the worker frees it */
	struct iiod_session *link;     /* created through it: its transport's hooks (ref) */
	bool attached;                 /* to link's transport (e.g. FunctionFS DMABUF) */
	struct iiod_session *reply_to; /* who asked for the current transfer (ref) */
	struct bin_block *next;        /* the buffer's list */
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
	struct iiod_session *owner;    /* ref */
	bool is_output;
	size_t sample_size;
	bool had_blocks;               /* ENABLE needs a block created first */

	pthread_mutex_t lock;          /* blocks, FIFOs, states */
	pthread_cond_t cond;           /* FIFO work, busy flags going down */
	struct bin_block *blocks;
	unsigned int nb_blocks;
	struct block_fifo to_enqueue, to_dequeue;
	bool stopping;
	pthread_t enqueuer, dequeuer;
	bool workers_started;

	/* Under srv->buffers_lock. */
	bool ready;                    /* opened (not just reserved) */
	bool closing;
	unsigned int users;            /* handlers using it right now */
	pthread_cond_t users_done;
	struct bin_buffer *next;
};

/* ---- FIFOs ------------------------------------------------------------------ */

static void fifo_push(struct block_fifo *f, struct bin_block *blk)
{
	blk->qnext = NULL;
	if (f->tail)
		f->tail->qnext = blk;
	else
		f->head = blk;
	f->tail = blk;
}

static struct bin_block *fifo_pop(struct block_fifo *f)
{
	struct bin_block *blk = f->head;

	if (blk) {
		f->head = blk->qnext;
		if (!f->head)
			f->tail = NULL;
		blk->qnext = NULL;
	}
	return blk;
}

static bool fifo_remove(struct block_fifo *f, struct bin_block *blk)
{
	struct bin_block **link, *prev = NULL;

	for (link = &f->head; *link; prev = *link, link = &(*link)->qnext) {
		if (*link != blk)
			continue;
		*link = blk->qnext;
		if (f->tail == blk)
			f->tail = prev;
		blk->qnext = NULL;
		return true;
	}
	return false;
}

/* ---- Blocks ------------------------------------------------------------------ */

static struct bin_block *find_block(struct bin_buffer *b, unsigned int index)
{
	struct bin_block *blk;

	for (blk = b->blocks; blk; blk = blk->next)
		if (blk->index == index)
			return blk;
	return NULL;
}

static void unlink_block(struct bin_buffer *b, struct bin_block *blk)
{
	struct bin_block **link;

	for (link = &b->blocks; *link; link = &(*link)->next) {
		if (*link == blk) {
			*link = blk->next;
			b->nb_blocks--;
			return;
		}
	}
}

/* Frees a block nobody works on and that is out of every list. */
static void destroy_block(struct bin_block *blk)
{
	struct iiod_transport *t = blk->link->t;

	if (blk->attached && t->ops->block_detach)
		t->ops->block_detach(t, blk->block);
	iio_block_destroy(blk->block);
	iiod_session_put(blk->link);
	if (blk->reply_to)
		iiod_session_put(blk->reply_to);
	free(blk);
}

static void set_reply_to(struct bin_block *blk, struct iiod_session *s)
{
	iiod_session_get(s);
	if (blk->reply_to)
		iiod_session_put(blk->reply_to);
	blk->reply_to = s;
}

/* Errors after which a block stays enqueued (lib/block.c's rule). */
static bool leaves_enqueued(int err)
{
	return err == -EBUSY || err == -ETIMEDOUT || err == -EAGAIN || err == -EINTR;
}

/*
 * Sends a block's response with the buffer's lock dropped (the client may be
 * slow); the block stays busy meanwhile so that nobody frees or reuses it.
 */
static void respond_unlocked(struct bin_buffer *b, struct bin_block *blk, int32_t code,
			     bool with_data)
{
	struct iiod_session *s = blk->reply_to;
	int ret;

	if (!s)
		return;
	iiod_session_get(s);
	blk->responding = true;
	pthread_mutex_unlock(&b->lock);
	if (with_data)
		ret = iiod_session_respond_block(s, blk->client_id, blk->block, blk->bytes_used,
						 blk->attached && s == blk->link);
	else
		ret = iiod_session_respond(s, blk->client_id, code, NULL, 0);
	if (ret && ret != -EPIPE)
		sess_dbg(s, "unable to answer for block %u (%d)\n", blk->index, ret);
	iiod_session_put(s);
	pthread_mutex_lock(&b->lock);
	blk->responding = false;
}

/* A worker is done with blk: honour a FREE_BLOCK that came meanwhile. Lock held. */
static void release_block(struct bin_buffer *b, struct bin_block *blk)
{
	blk->busy = false;
	pthread_cond_broadcast(&b->cond);
	if (!blk->free_pending)
		return;
	fifo_remove(&b->to_enqueue, blk);
	fifo_remove(&b->to_dequeue, blk);
	unlink_block(b, blk);
	pthread_mutex_unlock(&b->lock);
	destroy_block(blk);
	pthread_mutex_lock(&b->lock);
}

/* ---- Workers ------------------------------------------------------------------- */

/* What follows an enqueue of the busy block blk; lock held, blk released. */
static void after_enqueue(struct bin_buffer *b, struct bin_block *blk, int ret)
{
	if (ret) {
		blk->state = BLK_IDLE;
		respond_unlocked(b, blk, iiod_block_enqueue_error(ret), false);
	} else if (blk->cyclic) {
		blk->state = BLK_CYCLIC;
		respond_unlocked(b, blk, 0, false);
	} else {
		blk->state = BLK_ENQUEUED;
		/* The dequeue worker takes it from here (it waits for busy to drop). */
		fifo_push(&b->to_dequeue, blk);
	}
	release_block(b, blk);
}

static void *enqueue_worker(void *arg)
{
	struct bin_buffer *b = arg;
	struct bin_block *blk;
	int ret;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->stopping && !b->to_enqueue.head)
			pthread_cond_wait(&b->cond, &b->lock);
		if (b->stopping)
			break;
		blk = fifo_pop(&b->to_enqueue);
		blk->busy = true;
		pthread_mutex_unlock(&b->lock);
		ret = iio_block_enqueue(blk->block, blk->bytes_used, blk->cyclic);
		pthread_mutex_lock(&b->lock);
		after_enqueue(b, blk, ret);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

static void *dequeue_worker(void *arg)
{
	struct bin_buffer *b = arg;
	struct bin_block *blk;
	int ret;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->stopping && (!b->to_dequeue.head || b->to_dequeue.head->busy))
			pthread_cond_wait(&b->cond, &b->lock);
		if (b->stopping)
			break;
		blk = fifo_pop(&b->to_dequeue);
		blk->busy = true;
		pthread_mutex_unlock(&b->lock);
		ret = iio_block_dequeue(blk->block, false);
		pthread_mutex_lock(&b->lock);

		if (blk->free_pending) {
			release_block(b, blk); /* freed: nobody wants the answer */
			continue;
		}
		/*
		 * The state is final before the answer goes out; the block stays busy
		 * until the samples are sent, and a TRANSFER for it waits for that.
		 */
		blk->state = !ret ? BLK_IDLE : leaves_enqueued(ret) ? BLK_FAILED : BLK_IDLE;
		respond_unlocked(b, blk, ret, !ret && !b->is_output);
		release_block(b, blk);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* ---- The buffer table ------------------------------------------------------------ */

/* The opened buffer (dev, index), held against closing until put_buffer(). */
static struct bin_buffer *get_buffer(struct iiod_server *srv, unsigned int dev_index,
				     unsigned int buf_index)
{
	struct bin_buffer *b;

	pthread_mutex_lock(&srv->buffers_lock);
	for (b = srv->buffers; b; b = b->next) {
		if (b->dev_index == dev_index && b->buf_index == buf_index && b->ready &&
		    !b->closing) {
			b->users++;
			break;
		}
	}
	pthread_mutex_unlock(&srv->buffers_lock);
	return b;
}

static void put_buffer(struct bin_buffer *b)
{
	struct iiod_server *srv = b->srv;

	pthread_mutex_lock(&srv->buffers_lock);
	if (!--b->users)
		pthread_cond_broadcast(&b->users_done);
	pthread_mutex_unlock(&srv->buffers_lock);
}

/* Takes b out of the table and waits until no handler uses it. buffers_lock held. */
static void detach_buffer_locked(struct bin_buffer *b)
{
	struct bin_buffer **link;

	for (link = &b->srv->buffers; *link; link = &(*link)->next) {
		if (*link == b) {
			*link = b->next;
			break;
		}
	}
	b->closing = true;
	while (b->users)
		pthread_cond_wait(&b->users_done, &b->srv->buffers_lock);
}

/* Stops the workers, frees every block, closes the stream. b is out of the table. */
static void destroy_buffer(struct bin_buffer *b)
{
	struct bin_block *blk;

	if (b->stream) {
		pthread_mutex_lock(&b->lock);
		b->stopping = true;
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
		/* Wakes a worker waiting for the hardware. */
		iio_buffer_stream_cancel(b->stream);
	}
	if (b->workers_started) {
		pthread_join(b->enqueuer, NULL);
		pthread_join(b->dequeuer, NULL);
	}
	while ((blk = b->blocks)) {
		b->blocks = blk->next;
		destroy_block(blk);
	}
	if (b->stream)
		iio_buffer_close(b->stream);
	if (b->owner)
		iiod_session_put(b->owner);
	pthread_cond_destroy(&b->users_done);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static void close_buffer(struct bin_buffer *b)
{
	pthread_mutex_lock(&b->srv->buffers_lock);
	detach_buffer_locked(b);
	pthread_mutex_unlock(&b->srv->buffers_lock);
	destroy_buffer(b);
}

static int respond(struct iiod_session *s, uint16_t client_id, int32_t code)
{
	return iiod_session_respond(s, client_id, code, NULL, 0);
}

/* ---- OPEN / CLOSE / ENABLE / DISABLE ---------------------------------------------- */

/* Reserves (dev, index) in the table: -EEXIST when someone has it. */
static int reserve_buffer(struct iiod_server *srv, struct bin_buffer *b)
{
	struct bin_buffer *other;

	pthread_mutex_lock(&srv->buffers_lock);
	for (other = srv->buffers; other; other = other->next) {
		if (other->dev_index == b->dev_index && other->buf_index == b->buf_index &&
		    !other->closing) {
			pthread_mutex_unlock(&srv->buffers_lock);
			return -EEXIST;
		}
	}
	b->next = srv->buffers;
	srv->buffers = b;
	pthread_mutex_unlock(&srv->buffers_lock);
	return 0;
}

static int start_buffer(struct bin_buffer *b, struct iio_buffer *buf, uint32_t *words,
			unsigned int nb_words)
{
	unsigned int i, n = iio_device_get_channels_count(b->dev);
	struct iio_channels_mask *mask = iio_create_channels_mask(n);
	const struct iio_channels_mask *eff;
	ssize_t sample_size;

	if (!mask)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (words[i / 32] & (1u << (i % 32)))
			iio_mask_set(mask, i);
	b->stream = iio_buffer_open(buf, mask);
	iio_channels_mask_destroy(mask);
	if (iio_err(b->stream)) {
		int ret = iio_err(b->stream);

		b->stream = NULL;
		return ret;
	}
	/* The answer: the request, with every existing channel's bit as really opened. */
	eff = iio_buffer_stream_get_channels_mask(b->stream);
	for (i = 0; i < n && i / 32 < nb_words; i++) {
		if (iio_mask_test(eff, i))
			words[i / 32] |= 1u << (i % 32);
		else
			words[i / 32] &= ~(1u << (i % 32));
	}
	sample_size = iio_device_get_sample_size(b->dev, eff);
	b->sample_size = sample_size > 0 ? (size_t)sample_size : 1;
	b->is_output = iio_buffer_is_output(buf);

	if (pthread_create(&b->enqueuer, NULL, enqueue_worker, b))
		return -ENOMEM;
	if (pthread_create(&b->dequeuer, NULL, dequeue_worker, b)) {
		pthread_mutex_lock(&b->lock);
		b->stopping = true;
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->enqueuer, NULL);
		return -ENOMEM;
	}
	b->workers_started = true;
	return 0;
}

int iiod_bin_open_buffer(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iiod_server *srv = s->srv;
	struct iio_device *dev = iiod_server_device(srv, hdr->dev);
	unsigned int nb_words, i;
	struct iio_buffer *buf;
	struct bin_buffer *b;
	uint32_t *words;
	uint8_t *raw;
	size_t len;
	int ret;

	if (!dev) {
		/* The mask's length depends on the device: nothing after this can be parsed. */
		sess_err(s, "OPEN_BUFFER for unknown device %u: closing the session\n", hdr->dev);
		return -EPROTO;
	}
	nb_words = (iio_device_get_channels_count(dev) + 31) / 32;
	len = nb_words * sizeof(uint32_t);
	raw = malloc(len ? len : 1);
	words = calloc(nb_words ? nb_words : 1, sizeof(*words));
	if (!raw || !words) {
		free(raw);
		free(words);
		ret = iiod_session_discard(s, len, "OPEN_BUFFER");
		return ret ? ret : respond(s, 0, -ENOMEM);
	}
	ret = iiod_session_read(s, raw, len);
	if (ret)
		goto out;
	for (i = 0; i < nb_words; i++)
		words[i] = iiod_get_le32(raw + 4 * i);

	buf = iio_device_get_buffer(dev, iiod_code_low(hdr->code));
	if (!buf) {
		ret = respond(s, 0, -ENODEV);
		goto out;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		ret = respond(s, 0, -ENOMEM);
		goto out;
	}
	b->srv = srv;
	b->dev = dev;
	b->dev_index = hdr->dev;
	b->buf_index = iiod_code_low(hdr->code);
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	pthread_cond_init(&b->users_done, NULL);

	ret = reserve_buffer(srv, b);
	if (ret) {
		destroy_buffer(b);
		ret = respond(s, 0, ret);
		goto out;
	}
	ret = start_buffer(b, buf, words, nb_words);
	if (ret) {
		close_buffer(b);
		ret = respond(s, 0, ret);
		goto out;
	}
	iiod_session_get(s);
	b->owner = s;
	pthread_mutex_lock(&srv->buffers_lock);
	b->ready = true;
	pthread_mutex_unlock(&srv->buffers_lock);
	sess_dbg(s, "opened buffer %u of %s\n", b->buf_index, iio_device_get_id(dev));

	for (i = 0; i < nb_words; i++)
		iiod_put_le32(raw + 4 * i, words[i]);
	ret = iiod_session_respond(s, 0, (int32_t)len, raw, len);
out:
	free(raw);
	free(words);
	return ret;
}

int iiod_bin_close_buffer(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iiod_server *srv = s->srv;
	struct bin_buffer *b;

	if (!iiod_server_device(srv, hdr->dev))
		return respond(s, 0, -EINVAL);
	pthread_mutex_lock(&srv->buffers_lock);
	for (b = srv->buffers; b; b = b->next)
		if (b->dev_index == hdr->dev && b->buf_index == iiod_code_low(hdr->code) &&
		    b->ready && !b->closing)
			break;
	if (b)
		detach_buffer_locked(b);
	pthread_mutex_unlock(&srv->buffers_lock);
	if (!b)
		return respond(s, 0, -EBADF);
	destroy_buffer(b);
	return respond(s, 0, 0);
}

int iiod_bin_enable_buffer(struct iiod_session *s, const struct iiod_header *hdr, bool enable)
{
	struct bin_buffer *b;
	int ret;

	if (!iiod_server_device(s->srv, hdr->dev))
		return respond(s, 0, -EINVAL);
	b = get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return respond(s, 0, -EBADF);
	if (enable)
		ret = b->had_blocks ? iio_buffer_stream_start(b->stream) : -EINVAL;
	else
		ret = iio_buffer_stream_stop(b->stream);
	put_buffer(b);
	return respond(s, 0, ret);
}

/* ---- Blocks ------------------------------------------------------------------------ */

int iiod_bin_create_block(struct iiod_session *s, const struct iiod_header *hdr)
{
	unsigned int index = iiod_code_high(hdr->code);
	struct iiod_transport *t = s->t;
	struct bin_block *blk;
	struct bin_buffer *b;
	uint8_t raw[8];
	uint64_t size;
	int ret = iiod_session_read(s, raw, sizeof(raw));

	if (ret)
		return ret;
	size = iiod_get_le64(raw);
	if (!iiod_server_device(s->srv, hdr->dev))
		return respond(s, hdr->client_id, -EINVAL);
	b = get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return respond(s, hdr->client_id, -EBADF);

	pthread_mutex_lock(&b->lock);
	if (index >= IIOD_MAX_BLOCKS || size < b->sample_size || size > IIOD_MAX_BLOCK_SIZE)
		ret = -EINVAL;
	else if (find_block(b, index))
		ret = -EEXIST;
	else if (b->nb_blocks >= MAX_LIVE_BLOCKS)
		ret = -ENOSPC;
	if (ret)
		goto out_unlock;

	blk = calloc(1, sizeof(*blk));
	if (!blk) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	blk->block = iio_buffer_stream_create_block(b->stream, (size_t)size);
	if (iio_err(blk->block)) {
		ret = iio_err(blk->block);
		free(blk);
		goto out_unlock;
	}
	blk->buf = b;
	blk->index = index;
	blk->client_id = hdr->client_id;
	blk->size = (size_t)size;
	blk->link = s;
	iiod_session_get(s);
	/* A transport that can move the block itself (DMABUF) takes it now; else copies. */
	if (t->ops->block_attach)
		blk->attached = !t->ops->block_attach(t, blk->block, b->is_output);
	blk->next = b->blocks;
	b->blocks = blk;
	b->nb_blocks++;
	b->had_blocks = true;
out_unlock:
	pthread_mutex_unlock(&b->lock);
	put_buffer(b);
	return respond(s, hdr->client_id, ret);
}

int iiod_bin_free_block(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct bin_block *blk;
	struct bin_buffer *b;
	bool now = false;

	if (!iiod_server_device(s->srv, hdr->dev))
		return respond(s, hdr->client_id, -EINVAL);
	b = get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return respond(s, hdr->client_id, -EBADF);

	pthread_mutex_lock(&b->lock);
	blk = find_block(b, iiod_code_high(hdr->code));
	if (blk && !blk->free_pending) {
		if (blk->busy || blk->state == BLK_FILLING) {
			blk->free_pending = true; /* whoever holds it frees it */
		} else {
			if (blk->state == BLK_TO_ENQUEUE)
				fifo_remove(&b->to_enqueue, blk);
			else if (blk->state == BLK_ENQUEUED)
				fifo_remove(&b->to_dequeue, blk);
			unlink_block(b, blk);
			now = true;
		}
	}
	pthread_mutex_unlock(&b->lock);
	if (now)
		destroy_block(blk);
	put_buffer(b);
	return respond(s, hdr->client_id, blk ? 0 : -EBADF);
}

/* Reads a TX payload into the block (or through the transport's hook). */
static int receive_payload(struct iiod_session *s, struct bin_block *blk, size_t len)
{
	struct iiod_transport *t = s->t;
	ssize_t ret;

	if (blk->attached && s == blk->link && t->ops->block_recv) {
		ret = t->ops->block_recv(t, blk->block, len);
		return ret < 0 ? (int)ret : 0;
	}
	return iiod_session_read(s, iio_block_start(blk->block), len);
}

/* TRANSFER_BLOCK for a buffer that is not open: stay in step if at all possible. */
static int transfer_unknown(struct iiod_session *s, const struct iiod_header *hdr,
			    uint64_t bytes_used)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev);
	struct iio_buffer *buf = dev ? iio_device_get_buffer(dev, iiod_code_low(hdr->code)) : NULL;
	int ret;

	if (!buf) {
		/* Whether sample data follows depends on the buffer's direction. */
		sess_err(s, "%s for unknown buffer %u of device %u: closing the session\n",
			 iiod_opcode_name(hdr->op), iiod_code_low(hdr->code), hdr->dev);
		return -EPROTO;
	}
	if (iio_buffer_is_output(buf)) {
		ret = iiod_session_discard(s, bytes_used, iiod_opcode_name(hdr->op));
		if (ret)
			return ret;
	}
	/* Upstream sends nothing here and the client waits forever. */
	return respond(s, hdr->client_id, iiod_block_enqueue_error(-EBADF));
}

int iiod_bin_transfer_block(struct iiod_session *s, const struct iiod_header *hdr)
{
	bool cyclic = hdr->op == IIOD_OP_ENQUEUE_BLOCK_CYCLIC;
	struct bin_block *blk;
	struct bin_buffer *b;
	uint64_t bytes_used;
	uint16_t reply_id;
	uint8_t raw[8];
	int ret = iiod_session_read(s, raw, sizeof(raw)), err = 0;

	if (ret)
		return ret;
	bytes_used = iiod_get_le64(raw);
	b = get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return transfer_unknown(s, hdr, bytes_used);

	pthread_mutex_lock(&b->lock);
	/* A client may send the next transfer before our worker let go of the last one. */
	while ((blk = find_block(b, iiod_code_high(hdr->code))) && blk->responding)
		pthread_cond_wait(&b->cond, &b->lock);
	reply_id = blk ? blk->client_id : hdr->client_id;
	if (!blk)
		err = -EBADF;
	else if (blk->state != BLK_IDLE || blk->busy || blk->free_pending)
		err = -EPERM; /* still in flight */
	else if (!bytes_used || bytes_used > blk->size || (cyclic && !b->is_output))
		err = -EINVAL;
	if (err) {
		pthread_mutex_unlock(&b->lock);
		/* TX: upstream reads the block size, not bytes_used; here, what was announced. */
		ret = b->is_output ? iiod_session_discard(s, bytes_used,
							  iiod_opcode_name(hdr->op)) : 0;
		put_buffer(b);
		return ret ? ret : respond(s, reply_id, iiod_block_enqueue_error(err));
	}
	blk->bytes_used = (size_t)bytes_used;
	blk->cyclic = cyclic;
	set_reply_to(blk, s);

	if (b->is_output) {
		blk->state = BLK_FILLING;
		pthread_mutex_unlock(&b->lock);
		ret = receive_payload(s, blk, blk->bytes_used);
		pthread_mutex_lock(&b->lock);
		if (ret || blk->free_pending) {
			blk->state = BLK_IDLE;
			release_block(b, blk);
			pthread_mutex_unlock(&b->lock);
			put_buffer(b);
			return ret;
		}
	}
	blk->state = BLK_TO_ENQUEUE;
	if (!b->is_output && !b->to_enqueue.head) {
		/*
		 * An RX enqueue only hands the block over (a core block waits in a
		 * FIFO, a DMABUF one is an ioctl): done here, it saves a thread hop.
		 */
		blk->busy = true;
		pthread_mutex_unlock(&b->lock);
		ret = iio_block_enqueue(blk->block, blk->bytes_used, false);
		pthread_mutex_lock(&b->lock);
		after_enqueue(b, blk, ret);
	} else {
		fifo_push(&b->to_enqueue, blk);
	}
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	put_buffer(b);
	return 0;
}

int iiod_bin_retry_dequeue(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct bin_block *blk;
	struct bin_buffer *b;
	int err = 0;
	uint16_t reply_id = hdr->client_id;

	b = get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return respond(s, reply_id, iiod_block_enqueue_error(-EBADF));
	pthread_mutex_lock(&b->lock);
	while ((blk = find_block(b, iiod_code_high(hdr->code))) && blk->responding)
		pthread_cond_wait(&b->cond, &b->lock);
	if (blk)
		reply_id = blk->client_id;
	if (!blk)
		err = iiod_block_enqueue_error(-EBADF);
	else if (blk->state != BLK_FAILED || blk->free_pending)
		err = iiod_block_enqueue_error(-EPERM);
	if (!err) {
		set_reply_to(blk, s);
		blk->state = BLK_ENQUEUED;
		fifo_push(&b->to_dequeue, blk);
		pthread_cond_broadcast(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	put_buffer(b);
	return err ? respond(s, reply_id, err) : 0;
}

/* ---- Life cycle ------------------------------------------------------------------- */

void iiod_bin_session_end(struct iiod_session *s)
{
	struct iiod_server *srv = s->srv;
	struct bin_buffer *b;

	for (;;) {
		pthread_mutex_lock(&srv->buffers_lock);
		for (b = srv->buffers; b; b = b->next)
			if (b->owner == s && !b->closing)
				break;
		if (b)
			detach_buffer_locked(b);
		pthread_mutex_unlock(&srv->buffers_lock);
		if (!b)
			break;
		sess_dbg(s, "closing buffer %u of %s left open\n", b->buf_index,
			 iio_device_get_id(b->dev));
		destroy_buffer(b);
	}
}

void iiod_bin_free_all(struct iiod_server *srv)
{
	struct bin_buffer *b;

	for (;;) {
		pthread_mutex_lock(&srv->buffers_lock);
		b = srv->buffers;
		if (b)
			detach_buffer_locked(b);
		pthread_mutex_unlock(&srv->buffers_lock);
		if (!b)
			break;
		destroy_buffer(b);
	}
}
