// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binary-protocol event streams. A stream belongs to the session that
 * created it (client_id = the stream's id). A blocking READ_EVENT is served
 * by the stream's worker, which polls the device's events without blocking
 * in the backend, so that freeing the stream or ending the session never
 * waits for an event that may not come.
 */
#include "server.h"

#include <stdlib.h>
#include <time.h>

/* How often a worker looks for an event while a blocking read is pending. */
#define EVENT_POLL_MS 10

struct bin_evstream {
	struct iiod_session *s;
	uint16_t id;
	uint8_t dev;
	struct iio_event_stream *stream;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool pending; /* a blocking READ_EVENT waits for an event */
	bool stopping;
	pthread_t worker;
	struct bin_evstream *next;
};

static int send_event(struct iiod_session *s, uint16_t id, const struct iio_event *ev)
{
	uint8_t raw[16];

	iiod_put_le64(raw, ev->id);
	iiod_put_le64(raw + 8, (uint64_t)ev->timestamp);
	return iiod_session_respond(s, id, sizeof(raw), raw, sizeof(raw));
}

static struct timespec in_ms(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static void *event_worker(void *arg)
{
	struct bin_evstream *es = arg;
	struct iio_event ev;
	struct timespec ts;
	int ret;

	pthread_mutex_lock(&es->lock);
	for (;;) {
		while (!es->stopping && !es->pending)
			pthread_cond_wait(&es->cond, &es->lock);
		if (es->stopping)
			break;
		pthread_mutex_unlock(&es->lock);
		ret = iio_event_stream_read(es->stream, &ev, true);
		pthread_mutex_lock(&es->lock);
		if (ret == -EAGAIN || ret == -EBUSY) {
			ts = in_ms(EVENT_POLL_MS);
			pthread_cond_timedwait(&es->cond, &es->lock, &ts);
			continue;
		}
		es->pending = false;
		pthread_mutex_unlock(&es->lock);
		if (ret)
			iiod_session_respond(es->s, es->id, ret, NULL, 0);
		else
			send_event(es->s, es->id, &ev);
		pthread_mutex_lock(&es->lock);
	}
	pthread_mutex_unlock(&es->lock);
	return NULL;
}

static struct bin_evstream *find_stream(struct iiod_session *s, uint16_t id, uint8_t dev)
{
	struct bin_evstream *es;

	for (es = s->evstreams; es; es = es->next)
		if (es->id == id && es->dev == dev)
			return es;
	return NULL;
}

static void destroy_stream(struct bin_evstream *es)
{
	pthread_mutex_lock(&es->lock);
	es->stopping = true;
	pthread_cond_broadcast(&es->cond);
	pthread_mutex_unlock(&es->lock);
	pthread_join(es->worker, NULL);
	iio_event_stream_destroy(es->stream);
	pthread_cond_destroy(&es->cond);
	pthread_mutex_destroy(&es->lock);
	free(es);
}

int iiod_bin_create_evstream(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev);
	struct bin_evstream *es;
	int ret;

	if (!dev)
		return iiod_session_respond(s, hdr->client_id, -EINVAL, NULL, 0);
	if (find_stream(s, hdr->client_id, hdr->dev))
		return iiod_session_respond(s, hdr->client_id, -EEXIST, NULL, 0);
	es = calloc(1, sizeof(*es));
	if (!es)
		return iiod_session_respond(s, hdr->client_id, -ENOMEM, NULL, 0);
	es->stream = iio_device_create_event_stream(dev);
	if (iio_err(es->stream)) {
		ret = iio_err(es->stream);
		free(es);
		return iiod_session_respond(s, hdr->client_id, ret, NULL, 0);
	}
	es->s = s;
	es->id = hdr->client_id;
	es->dev = hdr->dev;
	pthread_mutex_init(&es->lock, NULL);
	pthread_cond_init(&es->cond, NULL);
	if (pthread_create(&es->worker, NULL, event_worker, es)) {
		iio_event_stream_destroy(es->stream);
		pthread_cond_destroy(&es->cond);
		pthread_mutex_destroy(&es->lock);
		free(es);
		return iiod_session_respond(s, hdr->client_id, -ENOMEM, NULL, 0);
	}
	/* Only the session's own thread touches its list. */
	es->next = s->evstreams;
	s->evstreams = es;
	return iiod_session_respond(s, hdr->client_id, 0, NULL, 0);
}

int iiod_bin_free_evstream(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct bin_evstream **link, *es;

	if (hdr->code < 0 || hdr->code > 0xffff)
		return iiod_session_respond(s, 0, -EBADF, NULL, 0);
	for (link = &s->evstreams; (es = *link); link = &es->next)
		if (es->id == (uint16_t)hdr->code && es->dev == hdr->dev)
			break;
	if (!es)
		return iiod_session_respond(s, 0, -EBADF, NULL, 0);
	*link = es->next;
	destroy_stream(es);
	return iiod_session_respond(s, 0, 0, NULL, 0);
}

int iiod_bin_read_event(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct bin_evstream *es = find_stream(s, hdr->client_id, hdr->dev);
	struct iio_event ev;
	bool busy;
	int ret;

	/* Upstream does not answer this; a client would wait forever. */
	if (!es)
		return iiod_session_respond(s, hdr->client_id, -EBADF, NULL, 0);
	pthread_mutex_lock(&es->lock);
	busy = es->pending;
	pthread_mutex_unlock(&es->lock);
	if (busy)
		return iiod_session_respond(s, hdr->client_id, -EBUSY, NULL, 0);

	if (hdr->code) {
		ret = iio_event_stream_read(es->stream, &ev, true);
		if (ret)
			return iiod_session_respond(s, hdr->client_id, ret, NULL, 0);
		return send_event(s, hdr->client_id, &ev);
	}
	pthread_mutex_lock(&es->lock);
	es->pending = true;
	pthread_cond_broadcast(&es->cond);
	pthread_mutex_unlock(&es->lock);
	return 0;
}

void iiod_bin_events_session_end(struct iiod_session *s)
{
	struct bin_evstream *es;

	while ((es = s->evstreams)) {
		s->evstreams = es->next;
		destroy_stream(es);
	}
}
