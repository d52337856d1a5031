// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The bulk IN side of a pipe: a byte stream for the protocol client, with a
 * fast path for RX block responses.
 *
 * What the wire guarantees (usb.md §5): the device writes each protocol
 * element as its own transfer and never sends a ZLP; a host transfer ends when
 * it is full or at a short packet. So as long as every host transfer length is
 * a multiple of wMaxPacketSize, no packet can overflow it and the received
 * transfers, concatenated in submission order, are exactly the bytes the
 * device wrote, whatever the transfer sizes. Sizes only decide where the bytes
 * land and when a transfer completes: a transfer longer than the element it
 * receives, when that element is a multiple of the packet size, waits for the
 * next element.
 *
 * Plain mode (pipe 0, and a buffer pipe until its first block is announced):
 * a read with nothing received queues one transfer of its length rounded up to
 * the packet size, into a bounce buffer. A read that times out leaves that
 * transfer queued; its bytes go to the next read, so the stream stays in sync.
 *
 * Block mode: once the client announces RX block responses (expect), the
 * engine tracks element boundaries in the binary protocol itself (8-byte
 * header, then code bytes when code > 0) and plans ahead: for each announced
 * block, in the order the server answers them (enqueue order), one
 * packet-sized transfer for the header then transfers of at most 1 MiB aimed
 * straight into the block's memory, keeping up to N data transfers queued so
 * the link never idles. When the client then reads the payload into the block,
 * the bytes are already there and nothing is copied. Each completed transfer
 * is checked against the plan; if the device sent something else (an error
 * response, a response of another length, a default-path response), the later
 * transfers are cancelled (a cancelled transfer keeps the bytes it received),
 * everything received is parsed as plain bytes, and planning restarts from the
 * true parse state. Bytes that landed anywhere but their final place are
 * copied out at once, so a block's memory only ever holds its own data.
 */
#include "usb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEADER_SIZE 8

/* Parse state of the stream at some point: between elements, or inside a payload. */
struct cursor {
	bool in_payload;
	size_t remaining;        /* payload bytes still to come */
	uint8_t *region;         /* block memory for this payload, or NULL */
	size_t region_len;       /* payload bytes that belong in region (bytes_used) */
	size_t capacity;         /* bytes of region a transfer may write */
	size_t offset;           /* payload bytes before this point */
};

/* An announced RX block response. */
struct target {
	struct target *next;
	uint16_t id;
	uint8_t *region;
	size_t bytes_used, block_size;
	bool planned;            /* a header transfer has been planned for it */
};

enum xfer_role {
	ROLE_PLAIN,              /* a read's demand, plain mode */
	ROLE_HEADER,
	ROLE_DATA,
};

struct in_xfer {
	struct iio_usb_stream *s;
	struct libusb_transfer *t;
	struct in_xfer *next;
	enum xfer_role role;
	bool done;
	bool cancel_sent;
	bool planned;            /* after is the parse state it should leave */
	struct cursor after;
	uint8_t *bounce;
	size_t bounce_size;
};

struct segment {
	struct segment *next;
	const uint8_t *ptr;
	size_t len;
	bool in_place;           /* ptr is the block's memory, where the reader wants it */
	uint8_t data[];
};

struct iio_usb_stream {
	struct iio_usb_stream_config cfg;
	char name[32];
	unsigned int max_packet;
	unsigned int max_data_in_flight;

	pthread_mutex_t lock;
	pthread_cond_t cond;

	struct in_xfer *head, *tail;      /* submitted, in order */
	unsigned int nb_in_flight, nb_data_in_flight;
	struct in_xfer *spare;

	struct segment *seg_head, *seg_tail;
	size_t seg_offset;

	bool parsing;                     /* block mode */
	struct cursor recv;               /* parse state of the bytes received */
	uint8_t hdr[HEADER_SIZE];
	unsigned int hdr_fill;
	struct cursor plan;               /* parse state after everything in flight */
	bool plan_valid;
	bool recovering;
	unsigned int draining;            /* no planning while a drain waits */
	bool predict_full_block;          /* the server answers with the block size */
	struct target *targets;

	bool cancelled;
	int error;
	struct iio_usb_stream_stats stats;
};

static int submit_libusb(void *data, struct libusb_transfer *t)
{
	(void)data;
	return libusb_submit_transfer(t);
}

static int cancel_libusb(void *data, struct libusb_transfer *t)
{
	(void)data;
	return libusb_cancel_transfer(t);
}

const struct iio_usb_stream_ops iio_usb_libusb_ops = {
	.submit = submit_libusb,
	.cancel = cancel_libusb,
};

unsigned int iio_usb_inflight_from_env(const struct iio_context_params *params)
{
	const char *env = getenv("LIBIIO_USB_INFLIGHT");
	char *end;
	unsigned long value;

	if (!env || !*env)
		return IIO_USB_DEFAULT_INFLIGHT;
	value = strtoul(env, &end, 10);
	if (*end || value < 1 || value > IIO_USB_MAX_INFLIGHT) {
		prm_warn(params, "Ignoring LIBIIO_USB_INFLIGHT='%s': expected 1..%u\n", env,
			 IIO_USB_MAX_INFLIGHT);
		return IIO_USB_DEFAULT_INFLIGHT;
	}
	return (unsigned int)value;
}

bool iio_usb_stats_wanted(void)
{
	const char *env = getenv("LIBIIO_USB_STATS");

	return env && *env && strcmp(env, "0");
}

static size_t round_up(size_t len, size_t to)
{
	return (len + to - 1) / to * to;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* ---- Segments: what the reader gets, in order ------------------------------- */

static int add_segment(struct iio_usb_stream *s, const uint8_t *ptr, size_t len, bool in_place)
{
	struct segment *seg = malloc(sizeof(*seg) + (in_place ? 0 : len));

	if (!seg)
		return -ENOMEM;
	seg->next = NULL;
	seg->len = len;
	seg->in_place = in_place;
	if (in_place) {
		seg->ptr = ptr;
	} else {
		memcpy(seg->data, ptr, len);
		seg->ptr = seg->data;
	}
	if (s->seg_tail)
		s->seg_tail->next = seg;
	else
		s->seg_head = seg;
	s->seg_tail = seg;
	return 0;
}

static void free_segments(struct iio_usb_stream *s)
{
	while (s->seg_head) {
		struct segment *seg = s->seg_head;

		s->seg_head = seg->next;
		free(seg);
	}
	s->seg_tail = NULL;
	s->seg_offset = 0;
}

/* ---- Parser: classifies received bytes, in order ------------------------------ */

static void remove_target(struct iio_usb_stream *s, struct target *t)
{
	struct target **p;

	for (p = &s->targets; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			free(t);
			return;
		}
	}
}

static struct target *find_target(struct iio_usb_stream *s, uint16_t id)
{
	struct target *t;

	for (t = s->targets; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

static void parse_header(struct iio_usb_stream *s)
{
	uint16_t id = (uint16_t)(s->hdr[0] | s->hdr[1] << 8);
	int32_t code = (int32_t)((uint32_t)s->hdr[4] | (uint32_t)s->hdr[5] << 8 |
				 (uint32_t)s->hdr[6] << 16 | (uint32_t)s->hdr[7] << 24);
	struct target *t = s->hdr[2] == 0 ? find_target(s, id) : NULL;
	struct cursor *c = &s->recv;

	*c = (struct cursor){ 0 };
	/* On a buffer pipe every positive response code is a payload length. */
	if (s->hdr[2] == 0 && code > 0) {
		c->in_payload = true;
		c->remaining = (size_t)code;
	}
	if (!t)
		return;
	if (code > 0) {
		c->region = t->region;
		c->region_len = min_size(t->bytes_used, (size_t)code);
		c->capacity = round_up(t->block_size, IIO_USB_BLOCK_ALIGN);
		if (t->bytes_used != t->block_size)
			s->predict_full_block = (size_t)code == t->block_size;
	}
	remove_target(s, t);
}

static int feed(struct iio_usb_stream *s, const uint8_t *p, size_t len)
{
	int ret = 0;

	if (!s->parsing) {
		s->stats.bytes_copied += len;
		return add_segment(s, p, len, false);
	}
	while (len && !ret) {
		struct cursor *c = &s->recv;
		size_t n;

		if (!c->in_payload) {
			n = min_size(HEADER_SIZE - s->hdr_fill, len);
			memcpy(s->hdr + s->hdr_fill, p, n);
			s->hdr_fill += (unsigned int)n;
			s->stats.bytes_copied += n;
			ret = add_segment(s, p, n, false);
			if (s->hdr_fill == HEADER_SIZE) {
				s->hdr_fill = 0;
				parse_header(s);
			}
		} else {
			bool in_place;

			n = min_size(c->remaining, len);
			in_place = c->region && c->offset + n <= c->region_len &&
				   p == c->region + c->offset;
			if (in_place)
				s->stats.bytes_in_place += n;
			else
				s->stats.bytes_copied += n;
			ret = add_segment(s, p, n, in_place);
			c->remaining -= n;
			c->offset += n;
			if (!c->remaining)
				*c = (struct cursor){ 0 };
		}
		p += n;
		len -= n;
	}
	return ret;
}

static bool same_cursor(const struct cursor *a, const struct cursor *b)
{
	if (a->in_payload != b->in_payload)
		return false;
	if (!a->in_payload)
		return true;
	return a->remaining == b->remaining && a->region == b->region &&
	       a->offset == b->offset && a->region_len == b->region_len;
}

/* ---- Transfers ------------------------------------------------------------------ */

static void LIBUSB_CALL on_in_done(struct libusb_transfer *t);

static struct in_xfer *get_xfer(struct iio_usb_stream *s, size_t bounce_size)
{
	struct in_xfer *x = s->spare;

	if (x) {
		s->spare = x->next;
	} else {
		x = calloc(1, sizeof(*x));
		if (!x)
			return NULL;
		x->s = s;
		x->t = libusb_alloc_transfer(0);
		if (!x->t) {
			free(x);
			return NULL;
		}
	}
	if (bounce_size > x->bounce_size) {
		uint8_t *bounce = realloc(x->bounce, bounce_size);

		if (!bounce) {
			x->next = s->spare;
			s->spare = x;
			return NULL;
		}
		x->bounce = bounce;
		x->bounce_size = bounce_size;
	}
	x->next = NULL;
	x->done = false;
	x->cancel_sent = false;
	x->planned = false;
	return x;
}

static void put_xfer(struct iio_usb_stream *s, struct in_xfer *x)
{
	x->next = s->spare;
	s->spare = x;
}

static void free_xfers(struct iio_usb_stream *s)
{
	while (s->spare) {
		struct in_xfer *x = s->spare;

		s->spare = x->next;
		libusb_free_transfer(x->t);
		free(x->bounce);
		free(x);
	}
}

/* buf NULL: the transfer's own bounce buffer. */
static int submit(struct iio_usb_stream *s, enum xfer_role role, uint8_t *buf, size_t len,
		  const struct cursor *after)
{
	struct in_xfer *x = get_xfer(s, buf ? 0 : len);
	int ret;

	if (!x)
		return -ENOMEM;
	x->role = role;
	if (after) {
		x->planned = true;
		x->after = *after;
	}
	libusb_fill_bulk_transfer(x->t, s->cfg.hdl, s->cfg.ep, buf ? buf : x->bounce, (int)len,
				  on_in_done, x, 0);
	ret = iio_usb_error_to_errno(s->cfg.ops->submit(s->cfg.ops_data, x->t));
	if (ret) {
		put_xfer(s, x);
		return ret;
	}
	if (s->tail)
		s->tail->next = x;
	else
		s->head = x;
	s->tail = x;
	s->nb_in_flight++;
	if (role == ROLE_DATA)
		s->nb_data_in_flight++;
	if (s->nb_in_flight > s->stats.max_in_flight)
		s->stats.max_in_flight = s->nb_in_flight;
	return 0;
}

static void cancel_in_flight(struct iio_usb_stream *s, struct in_xfer *from)
{
	struct in_xfer *x;

	for (x = from; x; x = x->next) {
		if (x->done || x->cancel_sent)
			continue;
		x->cancel_sent = true;
		s->cfg.ops->cancel(s->cfg.ops_data, x->t);
	}
}

static void fail(struct iio_usb_stream *s, int err)
{
	if (!s->error)
		s->error = err;
	cancel_in_flight(s, s->head);
}

/* Queues transfers ahead from the planned parse state. */
static void plan_ahead(struct iio_usb_stream *s)
{
	const size_t packet = s->max_packet;

	if (!s->parsing || !s->plan_valid || s->recovering || s->draining || s->error ||
	    s->cancelled)
		return;

	while (s->nb_data_in_flight < s->max_data_in_flight &&
	       s->nb_in_flight < 2 * IIO_USB_MAX_INFLIGHT) {
		struct cursor *c = &s->plan, after;
		int ret;

		if (c->in_payload) {
			size_t chunk = min_size(c->remaining, IIO_USB_MAX_TRANSFER);
			size_t len = round_up(chunk, packet);
			uint8_t *buf = NULL;

			if (c->region && c->offset < c->region_len &&
			    c->offset + len <= c->capacity)
				buf = c->region + c->offset;
			after = *c;
			after.remaining -= chunk;
			after.offset += chunk;
			if (!after.remaining)
				after = (struct cursor){ 0 };
			ret = submit(s, ROLE_DATA, buf, len, &after);
		} else {
			struct target *t;
			size_t expected;

			for (t = s->targets; t && t->planned; t = t->next)
				;
			if (!t)
				break;
			expected = s->predict_full_block ? t->block_size : t->bytes_used;
			after = (struct cursor){
				.in_payload = expected > 0,
				.remaining = expected,
				.region = t->region,
				.region_len = min_size(t->bytes_used, expected),
				.capacity = round_up(t->block_size, IIO_USB_BLOCK_ALIGN),
			};
			if (!expected)
				after = (struct cursor){ 0 };
			ret = submit(s, ROLE_HEADER, NULL, packet, &after);
			if (!ret)
				t->planned = true;
		}
		if (ret) {
			/* Out of usbfs memory, say: retry at the next completion. */
			if (!s->nb_in_flight)
				fail(s, ret);
			break;
		}
		*c = after;
	}
}

/* Takes completed transfers off the head, in submission order. */
static void reap(struct iio_usb_stream *s)
{
	while (s->head && s->head->done) {
		struct in_xfer *x = s->head;
		struct libusb_transfer *t = x->t;
		int status = iio_usb_status_to_errno(t->status);
		int ret = 0;

		s->head = x->next;
		if (!s->head)
			s->tail = NULL;
		s->nb_in_flight--;
		if (x->role == ROLE_DATA)
			s->nb_data_in_flight--;
		s->stats.transfers++;

		if (t->actual_length > 0)
			ret = feed(s, t->buffer, (size_t)t->actual_length);
		if (ret)
			fail(s, ret);
		else if (status && !(status == -EBADF && x->cancel_sent && !s->cancelled))
			fail(s, status);
		else if (x->planned && !s->recovering && !s->error &&
			 (status || s->hdr_fill || !same_cursor(&s->recv, &x->after))) {
			/* The device sent something else: replan from what it did send. */
			s->stats.mispredictions++;
			s->recovering = true;
			cancel_in_flight(s, s->head);
		}
		put_xfer(s, x);
	}

	if (!s->head && s->parsing) {
		struct target *t;

		s->recovering = false;
		s->plan = s->recv;
		s->plan_valid = s->hdr_fill == 0;
		for (t = s->targets; t; t = t->next)
			t->planned = false;
	}
}

static void LIBUSB_CALL on_in_done(struct libusb_transfer *t)
{
	struct in_xfer *x = t->user_data;
	struct iio_usb_stream *s = x->s;

	pthread_mutex_lock(&s->lock);
	x->done = true;
	reap(s);
	plan_ahead(s);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* ---- API --------------------------------------------------------------------- */

struct iio_usb_stream *iio_usb_stream_new(const struct iio_usb_stream_config *cfg)
{
	struct iio_usb_stream *s = calloc(1, sizeof(*s));
	pthread_condattr_t attr;

	if (!s)
		return iio_ptr(-ENOMEM);
	s->cfg = *cfg;
	if (!s->cfg.ops)
		s->cfg.ops = &iio_usb_libusb_ops;
	iio_strlcpy(s->name, cfg->name ? cfg->name : "pipe", sizeof(s->name));
	s->cfg.name = s->name;
	s->max_packet = cfg->max_packet ? cfg->max_packet : 512;
	s->max_data_in_flight = cfg->inflight ? cfg->inflight
					      : iio_usb_inflight_from_env(cfg->params);
	if (s->max_data_in_flight > IIO_USB_MAX_INFLIGHT)
		s->max_data_in_flight = IIO_USB_MAX_INFLIGHT;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

/* Called with the lock held: cancels everything and waits until it is all back. */
static void drain(struct iio_usb_stream *s)
{
	s->draining++;
	cancel_in_flight(s, s->head);
	while (s->nb_in_flight) {
		struct timespec ts;

		/* libusb always completes a cancelled transfer; the log says if it is slow. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += 2;
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT)
			prm_dbg(s->cfg.params, "USB %s: waiting for %u cancelled transfers\n",
				s->name, s->nb_in_flight);
	}
	s->draining--;
}

void iio_usb_stream_free(struct iio_usb_stream *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->cancelled = true;
	drain(s);
	pthread_mutex_unlock(&s->lock);

	prm_dbg(s->cfg.params, "USB %s: %llu bytes received in place, %llu copied, "
		"%llu transfers (up to %u at once), %llu replans\n", s->name,
		(unsigned long long)s->stats.bytes_in_place,
		(unsigned long long)s->stats.bytes_copied, (unsigned long long)s->stats.transfers,
		s->stats.max_in_flight, (unsigned long long)s->stats.mispredictions);
	if (iio_usb_stats_wanted())
		fprintf(stderr, "usb-stats: %s in_place=%llu copied=%llu transfers=%llu "
			"max_in_flight=%u replans=%llu\n", s->name,
			(unsigned long long)s->stats.bytes_in_place,
			(unsigned long long)s->stats.bytes_copied,
			(unsigned long long)s->stats.transfers, s->stats.max_in_flight,
			(unsigned long long)s->stats.mispredictions);

	free_segments(s);
	free_xfers(s);
	while (s->targets)
		remove_target(s, s->targets);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

static int wait_for_bytes(struct iio_usb_stream *s, const struct timespec *deadline)
{
	if (!deadline) {
		pthread_cond_wait(&s->cond, &s->lock);
		return 0;
	}
	return pthread_cond_timedwait(&s->cond, &s->lock, deadline) == ETIMEDOUT ? -ETIMEDOUT : 0;
}

ssize_t iio_usb_stream_read(struct iio_usb_stream *s, void *dst, size_t len, int timeout_ms)
{
	struct timespec deadline, *dl = NULL;
	uint8_t *out = dst;
	size_t copied = 0;
	int ret = 0;

	if (!len)
		return 0;
	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		dl = &deadline;
	}

	pthread_mutex_lock(&s->lock);
	/*
	 * While a misprediction is being recovered, cancelled transfers may still be
	 * writing into block memory at the wrong offset: hand nothing out (the reader
	 * copies into that memory) until they are all back and copied out.
	 */
	while (!s->seg_head || s->recovering) {
		if (s->cancelled) {
			ret = -EBADF;
			goto out;
		}
		if (s->error) {
			ret = s->error;
			goto out;
		}
		if (!s->seg_head && !s->nb_in_flight)
			plan_ahead(s); /* announced blocks first, as planned */
		if (!s->seg_head && !s->nb_in_flight) {
			/* Nothing is coming unless we ask: one transfer for this read. */
			size_t want = s->parsing ? s->max_packet
						 : round_up(min_size(len, IIO_USB_MAX_TRANSFER),
							    s->max_packet);

			ret = submit(s, s->parsing ? ROLE_HEADER : ROLE_PLAIN, NULL, want, NULL);
			if (ret)
				goto out;
			/* The plan does not know this read: replan once it is back. */
			if (s->parsing)
				s->plan_valid = false;
		}
		ret = wait_for_bytes(s, dl);
		if (ret && (!s->seg_head || s->recovering))
			goto out;
		ret = 0;
	}

	while (copied < len && s->seg_head) {
		struct segment *seg = s->seg_head;
		const uint8_t *src = seg->ptr + s->seg_offset;
		size_t n = min_size(seg->len - s->seg_offset, len - copied);

		if (src != out + copied)
			memcpy(out + copied, src, n);
		copied += n;
		s->seg_offset += n;
		if (s->seg_offset == seg->len) {
			s->seg_head = seg->next;
			if (!s->seg_head)
				s->seg_tail = NULL;
			s->seg_offset = 0;
			free(seg);
		}
	}
out:
	pthread_mutex_unlock(&s->lock);
	return ret ? ret : (ssize_t)copied;
}

int iio_usb_stream_expect(struct iio_usb_stream *s, uint16_t client_id, void *region,
			  size_t bytes_used, size_t block_size)
{
	struct target *t, **tail;

	if (!region || !bytes_used || bytes_used > block_size)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	*t = (struct target){
		.id = client_id, .region = region, .bytes_used = bytes_used,
		.block_size = block_size,
	};

	pthread_mutex_lock(&s->lock);
	if (!s->parsing) {
		/* The stream is between elements: what is in flight now is a header read. */
		s->parsing = true;
		s->recv = (struct cursor){ 0 };
		s->hdr_fill = 0;
		s->plan = s->recv;
		s->plan_valid = !s->nb_in_flight;
	}
	for (tail = &s->targets; *tail; tail = &(*tail)->next)
		;
	*tail = t;
	plan_ahead(s);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static bool in_region(const void *p, const uint8_t *region, size_t size)
{
	const uint8_t *b = p;

	return b >= region && b < region + size;
}

void iio_usb_stream_forget(struct iio_usb_stream *s, const void *region, size_t size)
{
	struct segment **link;
	struct target *t, *next;
	struct in_xfer *x;
	bool aimed = false;

	pthread_mutex_lock(&s->lock);
	for (t = s->targets; t; t = next) {
		next = t->next;
		if (t->region == region)
			remove_target(s, t);
	}
	for (x = s->head; x; x = x->next)
		aimed |= in_region(x->t->buffer, region, size) ||
			 (x->planned && x->after.region == region);
	if (aimed) {
		/* Take every transfer back; what they received is parsed as usual. */
		s->recovering = true;
		drain(s);
	}
	if (s->recv.region == region)
		s->recv.region = NULL;

	/* Bytes of this block the reader has not taken yet must outlive its memory. */
	for (link = &s->seg_head; *link; link = &(*link)->next) {
		struct segment *seg = *link, *copy;

		if (!seg->in_place || !in_region(seg->ptr, region, size))
			continue;
		copy = malloc(sizeof(*copy) + seg->len);
		if (!copy) {
			fail(s, -ENOMEM);
			seg->len = s->seg_head == seg ? s->seg_offset : 0;
			continue;
		}
		*copy = *seg;
		memcpy(copy->data, seg->ptr, seg->len);
		copy->ptr = copy->data;
		copy->in_place = false;
		if (s->seg_tail == seg)
			s->seg_tail = copy;
		*link = copy;
		free(seg);
	}
	plan_ahead(s);
	pthread_mutex_unlock(&s->lock);
}

void iio_usb_stream_cancel(struct iio_usb_stream *s)
{
	pthread_mutex_lock(&s->lock);
	s->cancelled = true;
	cancel_in_flight(s, s->head);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void iio_usb_stream_get_stats(struct iio_usb_stream *s, struct iio_usb_stream_stats *stats)
{
	pthread_mutex_lock(&s->lock);
	*stats = s->stats;
	pthread_mutex_unlock(&s->lock);
}
