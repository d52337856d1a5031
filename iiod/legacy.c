// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Streaming in the legacy protocol (OPEN, CLOSE, READBUF, WRITEBUF, SET
 * BUFFERS_COUNT). Per device, one stream shared by every session that
 * opened it: the union of their masks, the largest block; re-created on
 * each OPEN and CLOSE. Without -D every reader gets the union's samples
 * (the mask line says which channels they hold); with -D each gets its own
 * channels, re-packed. The device lock serialises the transfers.
 *
 * Several readers: the most advanced one takes each block from the hardware
 * and leaves a copy in a short history, where the others find it; a reader
 * that falls behind the history loses what it missed, as it would with the
 * hardware alone.
 */
#include "server.h"

#include <stdlib.h>

#define DEFAULT_BUFFERS_COUNT 4
#define MAX_BUFFERS_COUNT 64

struct legacy_opener {
	struct iiod_session *s;
	struct iio_channels_mask *mask; /* as the session asked */
	size_t samples;
	bool cyclic;
	uint64_t next_seq; /* RX: the block this reader gets next */
	struct legacy_opener *next;
};

struct legacy_device {
	struct iio_device *dev;
	pthread_mutex_t lock;
	unsigned int nb_blocks; /* SET BUFFERS_COUNT, used at the next (re)open */
	struct legacy_opener *openers;

	struct iio_buffer_stream *stream;
	struct iio_block **blocks;
	bool *enqueued;
	unsigned int nb;
	size_t block_size, sample_size;
	unsigned int next; /* RX: next block to dequeue; TX: next to fill */
	bool is_output, cyclic, started;
	/* RX with several readers: copies of the last blocks taken from the hardware. */
	uint64_t seq_next; /* sequence number of the next hardware block */
	char **history;	   /* history[seq % nb], NULL with one reader */
};

static struct legacy_device *legacy_of(struct iiod_session *s, struct iio_device *dev)
{
	int index = iiod_server_device_index(s->srv, dev);

	return index < 0 ? NULL : &s->srv->legacy[index];
}

static unsigned int mask_words(const struct iio_device *dev)
{
	return (iio_device_get_channels_count(dev) + 31) / 32;
}

/* ---- The shared stream -------------------------------------------------- */

static void free_history(struct legacy_device *ld)
{
	unsigned int i;

	for (i = 0; ld->history && i < ld->nb; i++)
		free(ld->history[i]);
	free(ld->history);
	ld->history = NULL;
}

static void teardown(struct legacy_device *ld)
{
	unsigned int i;

	free_history(ld);
	if (!ld->stream)
		return;
	iio_buffer_stream_cancel(ld->stream);
	for (i = 0; i < ld->nb; i++)
		iio_block_destroy(ld->blocks[i]);
	iio_buffer_close(ld->stream);
	free(ld->blocks);
	free(ld->enqueued);
	ld->stream = NULL;
	ld->blocks = NULL;
	ld->enqueued = NULL;
	ld->nb = 0;
	ld->started = false;
}

static int setup(struct legacy_device *ld)
{
	struct iio_device *dev = ld->dev;
	struct iio_buffer *buf = iio_device_get_buffer(dev, 0);
	struct iio_channels_mask *mask;
	struct legacy_opener *op;
	size_t samples = 0;
	ssize_t sample_size;
	unsigned int i, w;
	int ret = 0;

	if (!ld->openers)
		return 0;
	if (!buf)
		return -ENODEV;
	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	if (!mask)
		return -ENOMEM;
	ld->cyclic = false;
	for (op = ld->openers; op; op = op->next) {
		for (w = 0; w < mask_words(dev); w++)
			mask->mask[w] |= op->mask->mask[w];
		if (op->samples > samples)
			samples = op->samples;
		ld->cyclic |= op->cyclic;
	}

	ld->stream = iio_buffer_open(buf, mask);
	iio_channels_mask_destroy(mask);
	if (iio_err(ld->stream)) {
		ret = iio_err(ld->stream);
		ld->stream = NULL;
		return ret;
	}
	ld->is_output = iio_buffer_is_output(buf);
	sample_size =
		iio_device_get_sample_size(dev, iio_buffer_stream_get_channels_mask(ld->stream));
	if (sample_size <= 0 || samples > IIOD_MAX_BLOCK_SIZE / (size_t)sample_size) {
		ret = -EINVAL;
		goto err;
	}
	ld->sample_size = (size_t)sample_size;
	ld->block_size = samples * ld->sample_size;
	ld->nb = ld->cyclic ? 1 : ld->nb_blocks;
	ld->blocks = calloc(ld->nb, sizeof(*ld->blocks));
	ld->enqueued = calloc(ld->nb, sizeof(*ld->enqueued));
	if (!ld->blocks || !ld->enqueued) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < ld->nb; i++) {
		ld->blocks[i] = iio_buffer_stream_create_block(ld->stream, ld->block_size);
		if (iio_err(ld->blocks[i])) {
			ret = iio_err(ld->blocks[i]);
			ld->blocks[i] = NULL;
			goto err;
		}
	}
	ld->next = 0;
	ld->seq_next = 0;
	for (op = ld->openers; op; op = op->next)
		op->next_seq = 0;
	/* Capture starts at OPEN: every block queued, then the stream. */
	if (!ld->is_output) {
		if (ld->openers->next) {
			ld->history = calloc(ld->nb, sizeof(*ld->history));
			for (i = 0; ld->history && i < ld->nb; i++)
				if (!(ld->history[i] = malloc(ld->block_size)))
					break;
			if (!ld->history || i < ld->nb) {
				free_history(ld);
				ret = -ENOMEM;
				goto err;
			}
		}
		for (i = 0; i < ld->nb && !ret; i++) {
			ret = iio_block_enqueue(ld->blocks[i], 0, false);
			ld->enqueued[i] = !ret;
		}
		if (!ret)
			ret = iio_buffer_stream_start(ld->stream);
		if (ret)
			goto err;
		ld->started = true;
	}
	return 0;

err:
	free_history(ld);
	for (i = 0; ld->blocks && i < ld->nb; i++)
		if (ld->blocks[i] && !iio_err(ld->blocks[i]))
			iio_block_destroy(ld->blocks[i]);
	iio_buffer_close(ld->stream);
	free(ld->blocks);
	free(ld->enqueued);
	ld->stream = NULL;
	ld->blocks = NULL;
	ld->enqueued = NULL;
	ld->nb = 0;
	return ret;
}

static int rebuild(struct iiod_server *srv, struct legacy_device *ld)
{
	int ret;

	teardown(ld);
	/* The layout depends on the channels' formats, which REFRESH_FORMAT rewrites. */
	pthread_mutex_lock(&srv->format_lock);
	ret = setup(ld);
	pthread_mutex_unlock(&srv->format_lock);
	return ret;
}

static struct legacy_opener **find_opener(struct legacy_device *ld, struct iiod_session *s)
{
	struct legacy_opener **link;

	for (link = &ld->openers; *link; link = &(*link)->next)
		if ((*link)->s == s)
			return link;
	return NULL;
}

static void remove_opener(struct legacy_opener **link)
{
	struct legacy_opener *op = *link;

	*link = op->next;
	iio_channels_mask_destroy(op->mask);
	free(op);
}

/* ---- Commands ------------------------------------------------------------- */

int iiod_legacy_open(struct iiod_session *s, struct iio_device *dev, size_t nb_samples,
		     const char *mask_text, bool cyclic)
{
	struct legacy_device *ld = legacy_of(s, dev);
	unsigned int words = mask_words(dev), nb_chn = iio_device_get_channels_count(dev);
	struct legacy_opener *op, **link;
	int ret;

	if (!ld || !nb_chn)
		return -ENODEV;
	if (words > IIOD_MAX_MASK_WORDS)
		return -ENOSPC;
	op = calloc(1, sizeof(*op));
	if (!op)
		return -ENOMEM;
	op->mask = iio_create_channels_mask(nb_chn);
	if (!op->mask) {
		free(op);
		return -ENOMEM;
	}
	if (iiod_mask_from_text(mask_text, strlen(mask_text), op->mask->mask, words)) {
		iio_channels_mask_destroy(op->mask);
		free(op);
		return -EINVAL;
	}
	if (nb_chn % 32)
		op->mask->mask[words - 1] &= (1u << (nb_chn % 32)) - 1;
	op->s = s;
	op->samples = nb_samples;
	op->cyclic = cyclic;

	pthread_mutex_lock(&ld->lock);
	link = find_opener(ld, s);
	if (link)
		remove_opener(link);
	/* A cyclic stream is never shared. */
	if (ld->openers && (cyclic || ld->cyclic)) {
		pthread_mutex_unlock(&ld->lock);
		iio_channels_mask_destroy(op->mask);
		free(op);
		return -EBUSY;
	}
	op->next = ld->openers;
	ld->openers = op;
	ret = rebuild(s->srv, ld);
	if (ret) {
		dev_perror(dev, ret, "iiod: %s: unable to open the device", s->peer);
		remove_opener(&ld->openers);
		if (rebuild(s->srv, ld))
			dev_err(dev, "iiod: the other clients' stream could not be restored\n");
	}
	pthread_mutex_unlock(&ld->lock);
	return ret;
}

int iiod_legacy_close(struct iiod_session *s, struct iio_device *dev)
{
	struct legacy_device *ld = legacy_of(s, dev);
	struct legacy_opener **link;
	int ret;

	if (!ld)
		return -ENODEV;
	pthread_mutex_lock(&ld->lock);
	link = find_opener(ld, s);
	if (!link) {
		pthread_mutex_unlock(&ld->lock);
		return -ENXIO;
	}
	remove_opener(link);
	ret = rebuild(s->srv, ld);
	if (ret)
		dev_perror(dev, ret, "iiod: unable to re-open the device for its other clients");
	pthread_mutex_unlock(&ld->lock);
	return 0;
}

int iiod_legacy_set_buffers_count(struct iiod_session *s, struct iio_device *dev, long count)
{
	struct legacy_device *ld = legacy_of(s, dev);

	if (!ld)
		return -ENODEV;
	if (count < 1 || count > MAX_BUFFERS_COUNT)
		return -EINVAL;
	pthread_mutex_lock(&ld->lock);
	ld->nb_blocks = (unsigned int)count;
	pthread_mutex_unlock(&ld->lock);
	return 0;
}

static int reply_int(struct iiod_session *s, long value)
{
	char line[32];
	int len = snprintf(line, sizeof(line), "%li\n", value);
	struct iovec iov = {.iov_base = line, .iov_len = (size_t)len};

	return iiod_session_write(s, &iov, 1);
}

/* ---- READBUF ---------------------------------------------------------------- */

/* Where a session's channels go in its own samples (-D). */
struct demux {
	size_t sample_size; /* of the session's samples */
	unsigned int count;
	struct {
		size_t from, to, len;
	} chn[64];
};

/* The layout rule of iio_device_get_sample_size(), channel by channel. */
static bool plan_demux(const struct legacy_device *ld, const struct legacy_opener *op,
		       const struct iio_block *block, struct demux *dm)
{
	const struct iio_channels_mask *eff = iio_buffer_stream_get_channels_mask(ld->stream);
	unsigned int i, n = iio_device_get_channels_count(ld->dev);
	size_t size = 0, largest = 1, start = (size_t)iio_block_start(block);
	long prev = -1;

	dm->count = 0;
	for (i = 0; i < n; i++) {
		const struct iio_channel *chn = iio_device_get_channel(ld->dev, i);
		const struct iio_data_format *fmt = iio_channel_get_data_format(chn);
		size_t len = fmt->length / 8 * fmt->repeat;
		long index = iio_channel_get_index(chn);

		if (index < 0)
			break;
		if (!iio_channel_is_enabled(chn, op->mask) || index == prev || !len)
			continue;
		prev = index;
		if (size % len)
			size += len - size % len;
		if (dm->count == ARRAY_SIZE(dm->chn) || !iio_channel_is_enabled(chn, eff))
			return false;
		dm->chn[dm->count].from = (size_t)iio_block_first(block, chn) - start;
		dm->chn[dm->count].to = size;
		dm->chn[dm->count].len = len;
		dm->count++;
		size += len;
		if (len > largest)
			largest = len;
	}
	if (size % largest)
		size += largest - size % largest;
	dm->sample_size = size;
	return size > 0;
}

static void demux_samples(const struct demux *dm, const char *src, size_t src_sample,
			  size_t nb_samples, char *dst)
{
	size_t i;
	unsigned int c;

	memset(dst, 0, nb_samples * dm->sample_size);
	for (i = 0; i < nb_samples; i++)
		for (c = 0; c < dm->count; c++)
			memcpy(dst + i * dm->sample_size + dm->chn[c].to,
			       src + i * src_sample + dm->chn[c].from, dm->chn[c].len);
}

/* One chunk: "<len>\n" [mask line] data. */
static int send_chunk(struct iiod_session *s, const void *data, size_t len, const char *mask)
{
	char line[32], mask_line[8 * IIOD_MAX_MASK_WORDS + 2];
	int n = snprintf(line, sizeof(line), "%zu\n", len);
	struct iovec iov[3];
	unsigned int count = 0;

	iov[count++] = (struct iovec){.iov_base = line, .iov_len = (size_t)n};
	if (mask) {
		n = snprintf(mask_line, sizeof(mask_line), "%s\n", mask);
		iov[count++] = (struct iovec){.iov_base = mask_line, .iov_len = (size_t)n};
	}
	iov[count++] = (struct iovec){.iov_base = (void *)data, .iov_len = len};
	return iiod_session_write(s, iov, count);
}

/*
 * The samples op gets next: a block from the hardware when op is the most
 * advanced reader (copied to the history if others read too), else the
 * history's copy. *blk: the hardware block to put back once sent, or NULL.
 */
static int next_block(struct legacy_device *ld, struct legacy_opener *op, const void **src,
		      struct iio_block **blk)
{
	uint64_t oldest = ld->seq_next > ld->nb ? ld->seq_next - ld->nb : 0;
	int ret;

	*blk = NULL;
	if (ld->history && op->next_seq < oldest)
		op->next_seq = oldest; /* fell behind: the rest is gone */
	if (ld->history && op->next_seq < ld->seq_next) {
		*src = ld->history[op->next_seq++ % ld->nb];
		return 0;
	}

	*blk = ld->blocks[ld->next];
	ret = ld->enqueued[ld->next] ? iio_block_dequeue(*blk, false) : -EBADF;
	if (ret < 0) {
		/* A failed transfer hands the block back: into the ring again. */
		if (ld->enqueued[ld->next] && ret != -EBUSY && ret != -ETIMEDOUT &&
		    ret != -EAGAIN && ret != -EINTR)
			ld->enqueued[ld->next] = !iio_block_enqueue(*blk, 0, false);
		return ret;
	}
	ld->enqueued[ld->next] = false;
	*src = iio_block_start(*blk);
	if (ld->history)
		memcpy(ld->history[ld->seq_next % ld->nb], *src, ld->block_size);
	ld->seq_next++;
	op->next_seq = ld->seq_next;
	return 0;
}

static int readbuf_locked(struct iiod_session *s, struct legacy_device *ld,
			  struct legacy_opener *op, long long bytes)
{
	const struct iio_channels_mask *eff;
	char mask_text[8 * IIOD_MAX_MASK_WORDS + 1];
	unsigned int words = mask_words(ld->dev);
	size_t remaining = (size_t)bytes, sample, chunk;
	struct demux dm = {0};
	bool first = true, demux = false;
	char *packed = NULL;
	struct iio_block *blk;
	const void *src;
	int ret = 0;

	if (!ld->stream)
		return reply_int(s, -EBADF);
	if (ld->is_output)
		return reply_int(s, -EINVAL);
	eff = iio_buffer_stream_get_channels_mask(ld->stream);
	if (s->srv->demux && memcmp(eff->mask, op->mask->mask, words * sizeof(uint32_t))) {
		if (!plan_demux(ld, op, ld->blocks[0], &dm))
			return reply_int(s, -EINVAL);
		packed = malloc(ld->block_size / ld->sample_size * dm.sample_size);
		if (!packed)
			return reply_int(s, -ENOMEM);
		demux = true;
	}
	/* The channels the data holds: this client's with -D, else the union. */
	iiod_mask_to_text(demux ? op->mask->mask : eff->mask, words, mask_text);
	sample = demux ? dm.sample_size : ld->sample_size;
	if (remaining < sample) {
		free(packed);
		return reply_int(s, 0);
	}

	while (remaining >= sample) {
		ret = next_block(ld, op, &src, &blk);
		if (ret < 0) {
			ret = reply_int(s, ret);
			free(packed);
			return ret;
		}
		if (demux) {
			size_t nb = ld->block_size / ld->sample_size;

			demux_samples(&dm, src, ld->sample_size, nb, packed);
			chunk = nb * dm.sample_size;
		} else {
			chunk = ld->block_size;
		}
		if (chunk > remaining)
			chunk = remaining;
		ret = send_chunk(s, demux ? packed : src, chunk, first ? mask_text : NULL);
		/* Back in the ring, whatever happened to the client. */
		if (blk) {
			ld->enqueued[ld->next] = !iio_block_enqueue(blk, 0, false);
			ld->next = (ld->next + 1) % ld->nb;
		}
		if (ret < 0)
			break;
		remaining -= chunk;
		first = false;
	}
	free(packed);
	if (!ret && remaining)
		ret = reply_int(s, 0);
	return ret;
}

int iiod_legacy_readbuf(struct iiod_session *s, struct iio_device *dev, long long bytes)
{
	struct legacy_device *ld = legacy_of(s, dev);
	struct legacy_opener **link;
	int ret;

	if (!ld)
		return reply_int(s, -ENODEV);
	pthread_mutex_lock(&ld->lock);
	link = find_opener(ld, s);
	ret = link ? readbuf_locked(s, ld, *link, bytes) : reply_int(s, -EBADF);
	pthread_mutex_unlock(&ld->lock);
	return ret;
}

/* ---- WRITEBUF --------------------------------------------------------------- */

/* The block to fill next, back from the hardware if needed. */
static int next_free_block(struct legacy_device *ld)
{
	int ret;

	if (!ld->enqueued[ld->next])
		return 0;
	if (ld->cyclic)
		return -EBUSY; /* a cyclic block never comes back */
	ret = iio_block_dequeue(ld->blocks[ld->next], false);
	if (!ret)
		ld->enqueued[ld->next] = false;
	return ret;
}

static int writebuf_locked(struct iiod_session *s, struct legacy_device *ld, long long bytes)
{
	size_t remaining = (size_t)bytes, chunk;
	struct iio_block *blk;
	int ret, err = 0;

	if (!ld->stream)
		return reply_int(s, -EBADF);
	if (!ld->is_output)
		return reply_int(s, -EINVAL);
	if (remaining < ld->sample_size) {
		/* Upstream leaves these bytes unread; they are read and dropped here. */
		ret = reply_int(s, 0);
		if (!ret)
			ret = iiod_session_discard(s, remaining, "WRITEBUF");
		return ret ? ret : reply_int(s, 0);
	}
	ret = next_free_block(ld);
	if (ret)
		return reply_int(s, ret); /* refused before any data: the client sends none */
	ret = reply_int(s, 0);
	if (ret)
		return ret;

	while (remaining) {
		chunk = remaining < ld->block_size ? remaining : ld->block_size;
		if (err) {
			/* Still read everything announced, to stay in step. */
			ret = iiod_session_discard(s, remaining, "WRITEBUF");
			if (ret)
				return ret;
			break;
		}
		blk = ld->blocks[ld->next];
		ret = iiod_session_read(s, iio_block_start(blk), chunk);
		if (ret)
			return ret;
		remaining -= chunk;
		err = iio_block_enqueue(blk, chunk, ld->cyclic);
		if (err)
			continue;
		ld->enqueued[ld->next] = true;
		ld->next = (ld->next + 1) % ld->nb;
		if (!ld->started) {
			err = iio_buffer_stream_start(ld->stream);
			ld->started = !err;
		}
		if (!err && remaining)
			err = next_free_block(ld);
	}
	return reply_int(s, err ? err : (long)bytes);
}

int iiod_legacy_writebuf(struct iiod_session *s, struct iio_device *dev, long long bytes)
{
	struct legacy_device *ld = legacy_of(s, dev);
	int ret;

	if (!ld)
		return reply_int(s, -ENODEV);
	pthread_mutex_lock(&ld->lock);
	ret = find_opener(ld, s) ? writebuf_locked(s, ld, bytes) : reply_int(s, -EBADF);
	pthread_mutex_unlock(&ld->lock);
	return ret;
}

/* ---- Life cycle -------------------------------------------------------------- */

void iiod_legacy_session_end(struct iiod_session *s)
{
	unsigned int i, count = iio_context_get_devices_count(s->srv->ctx);
	struct legacy_opener **link;

	for (i = 0; i < count; i++) {
		struct legacy_device *ld = &s->srv->legacy[i];

		pthread_mutex_lock(&ld->lock);
		link = find_opener(ld, s);
		if (link) {
			remove_opener(link);
			if (rebuild(s->srv, ld))
				dev_err(ld->dev, "iiod: unable to re-open the device for its "
						 "other clients\n");
		}
		pthread_mutex_unlock(&ld->lock);
	}
}

int iiod_legacy_init(struct iiod_server *srv)
{
	unsigned int i, count = iio_context_get_devices_count(srv->ctx);

	srv->legacy = calloc(count ? count : 1, sizeof(*srv->legacy));
	if (!srv->legacy)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		srv->legacy[i].dev = iio_context_get_device(srv->ctx, i);
		srv->legacy[i].nb_blocks = DEFAULT_BUFFERS_COUNT;
		pthread_mutex_init(&srv->legacy[i].lock, NULL);
	}
	return 0;
}

void iiod_legacy_free(struct iiod_server *srv)
{
	unsigned int i, count;

	if (!srv->legacy)
		return;
	count = iio_context_get_devices_count(srv->ctx);
	for (i = 0; i < count; i++) {
		struct legacy_device *ld = &srv->legacy[i];

		while (ld->openers)
			remove_opener(&ld->openers);
		teardown(ld);
		pthread_mutex_destroy(&ld->lock);
	}
	free(srv->legacy);
	srv->legacy = NULL;
}
