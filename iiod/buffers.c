// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binary-protocol buffers: the global table, OPEN/CLOSE/ENABLE/DISABLE, and
 * closing what a session leaves open (bin-buffers.h says how it fits together).
 */
#include "bin-buffers.h"

#include <stdlib.h>

/* ---- The buffer table ------------------------------------------------------------ */

/* The opened buffer (dev, index), held against closing until iiod_bin_put_buffer(). */
struct bin_buffer *iiod_bin_get_buffer(struct iiod_server *srv, unsigned int dev_index,
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

void iiod_bin_put_buffer(struct bin_buffer *b)
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
		iiod_bin_destroy_block(blk);
	}
	if (b->stream)
		iio_buffer_close(b->stream);
	if (b->owner)
		iiod_session_put(b->owner);
	pthread_cond_destroy(&b->users_done);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->stream_lock);
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
	pthread_mutex_lock(&b->srv->format_lock);
	b->stream = iio_buffer_open(buf, mask);
	iio_channels_mask_destroy(mask);
	if (iio_err(b->stream)) {
		int ret = iio_err(b->stream);

		pthread_mutex_unlock(&b->srv->format_lock);
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
	pthread_mutex_unlock(&b->srv->format_lock);
	b->sample_size = sample_size > 0 ? (size_t)sample_size : 1;
	b->is_output = iio_buffer_is_output(buf);

	if (pthread_create(&b->enqueuer, NULL, iiod_bin_enqueue_worker, b))
		return -ENOMEM;
	if (pthread_create(&b->dequeuer, NULL, iiod_bin_dequeue_worker, b)) {
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
	pthread_mutex_init(&b->stream_lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	pthread_cond_init(&b->users_done, NULL);
	/* Owned from the start: other sessions look at it in the table. */
	iiod_session_get(s);
	b->owner = s;

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
	b = iiod_bin_get_buffer(s->srv, hdr->dev, iiod_code_low(hdr->code));
	if (!b)
		return respond(s, 0, -EBADF);
	pthread_mutex_lock(&b->stream_lock);
	if (enable)
		ret = b->had_blocks ? iio_buffer_stream_start(b->stream) : -EINVAL;
	else
		ret = iio_buffer_stream_stop(b->stream);
	pthread_mutex_unlock(&b->stream_lock);
	iiod_bin_put_buffer(b);
	return respond(s, 0, ret);
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
