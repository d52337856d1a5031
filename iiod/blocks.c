// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binary-protocol blocks: CREATE/FREE/TRANSFER/RETRY, and the per-buffer
 * enqueue and dequeue workers that keep all of a client's blocks in flight
 * (bin-buffers.h says how it fits together).
 */
#include "bin-buffers.h"

#include <stdlib.h>

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
			b->live_bytes -= blk->size;
			return;
		}
	}
}

/* Frees a block nobody works on and that is out of every list. */
void iiod_bin_destroy_block(struct bin_block *blk)
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
	iiod_bin_destroy_block(blk);
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

void *iiod_bin_enqueue_worker(void *arg)
{
	struct bin_buffer *b = arg;
	struct bin_block *blk;
	int ret;

	pthread_setname_np(pthread_self(), "iiod-enqueue");
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->stopping && !b->to_enqueue.head)
			pthread_cond_wait(&b->cond, &b->lock);
		if (b->stopping)
			break;
		blk = fifo_pop(&b->to_enqueue);
		blk->busy = true;
		pthread_mutex_unlock(&b->lock);
		pthread_mutex_lock(&b->stream_lock);
		ret = iio_block_enqueue(blk->block, blk->bytes_used, blk->cyclic);
		pthread_mutex_unlock(&b->stream_lock);
		pthread_mutex_lock(&b->lock);
		after_enqueue(b, blk, ret);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

void *iiod_bin_dequeue_worker(void *arg)
{
	struct bin_buffer *b = arg;
	struct bin_block *blk;
	int ret;

	pthread_setname_np(pthread_self(), "iiod-dequeue");
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

static int respond(struct iiod_session *s, uint16_t client_id, int32_t code)
{
	return iiod_session_respond(s, client_id, code, NULL, 0);
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
	b = iiod_bin_get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return respond(s, hdr->client_id, -EBADF);

	pthread_mutex_lock(&b->lock);
	if (index >= IIOD_MAX_BLOCKS || size < b->sample_size || size > IIOD_MAX_BLOCK_SIZE)
		ret = -EINVAL;
	else if (find_block(b, index))
		ret = -EEXIST;
	else if (b->nb_blocks >= MAX_LIVE_BLOCKS || b->live_bytes + size > MAX_LIVE_BYTES)
		ret = -ENOSPC; /* one client must not take all the memory */
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
	b->live_bytes += blk->size;
	b->had_blocks = true;
out_unlock:
	pthread_mutex_unlock(&b->lock);
	iiod_bin_put_buffer(b);
	return respond(s, hdr->client_id, ret);
}

int iiod_bin_free_block(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct bin_block *blk;
	struct bin_buffer *b;
	bool now = false;

	if (!iiod_server_device(s->srv, hdr->dev))
		return respond(s, hdr->client_id, -EINVAL);
	b = iiod_bin_get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
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
		iiod_bin_destroy_block(blk);
	iiod_bin_put_buffer(b);
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
	b = iiod_bin_get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
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
		ret = b->is_output ? iiod_session_discard(s, bytes_used, iiod_opcode_name(hdr->op))
				   : 0;
		iiod_bin_put_buffer(b);
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
			iiod_bin_put_buffer(b);
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
		pthread_mutex_lock(&b->stream_lock);
		ret = iio_block_enqueue(blk->block, blk->bytes_used, false);
		pthread_mutex_unlock(&b->stream_lock);
		pthread_mutex_lock(&b->lock);
		after_enqueue(b, blk, ret);
	} else {
		fifo_push(&b->to_enqueue, blk);
	}
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	iiod_bin_put_buffer(b);
	return 0;
}

int iiod_bin_retry_dequeue(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct bin_block *blk;
	struct bin_buffer *b;
	int err = 0;
	uint16_t reply_id = hdr->client_id;

	b = iiod_bin_get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
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
	iiod_bin_put_buffer(b);
	return err ? respond(s, reply_id, err) : 0;
}
