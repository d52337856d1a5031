// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sessions: one per connection (or USB pipe), run by a thread of its own,
 * transport-independent. Replies go out whole under the session's write
 * lock, since buffer workers answer block transfers from other threads.
 */
#include "server.h"

#include <stdlib.h>

static int register_session(struct iiod_server *srv, struct iiod_session *s)
{
	int ret = 0;

	pthread_mutex_lock(&srv->sessions_lock);
	if (srv->stopping) {
		ret = -ECANCELED;
	} else {
		s->id = ++srv->next_session_id;
		s->next = srv->sessions;
		srv->sessions = s;
		srv->nb_sessions++;
	}
	pthread_mutex_unlock(&srv->sessions_lock);
	return ret;
}

static void unregister_session(struct iiod_server *srv, struct iiod_session *s)
{
	struct iiod_session **link;

	pthread_mutex_lock(&srv->sessions_lock);
	for (link = &srv->sessions; *link; link = &(*link)->next) {
		if (*link == s) {
			*link = s->next;
			break;
		}
	}
	srv->nb_sessions--;
	pthread_cond_broadcast(&srv->sessions_done);
	pthread_mutex_unlock(&srv->sessions_lock);
}

void iiod_session_get(struct iiod_session *s)
{
	atomic_fetch_add(&s->refs, 1);
}

void iiod_session_put(struct iiod_session *s)
{
	if (atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	iiod_transport_destroy(s->t);
	pthread_mutex_destroy(&s->write_lock);
	free(s);
}

void iiod_session_run(struct iiod_server *srv, struct iiod_transport *t, const char *peer)
{
	struct iiod_session *s = calloc(1, sizeof(*s));

	if (!s) {
		ctx_err(srv->ctx, "iiod: %s: out of memory, connection dropped\n", peer);
		iiod_transport_destroy(t);
		return;
	}
	s->srv = srv;
	s->t = t;
	iio_strlcpy(s->peer, peer, sizeof(s->peer));
	atomic_init(&s->refs, 1);
	pthread_mutex_init(&s->write_lock, NULL);
	if (register_session(srv, s)) {
		iiod_session_put(s);
		return;
	}
	sess_dbg(s, "session %u started\n", s->id);
	/* Thread names show up in /proc/PID/task/<tid>/comm: profiles tell the roles apart. */
	pthread_setname_np(pthread_self(), "iiod-session");

	if (iiod_ascii_run(s) == IIOD_ASCII_BINARY) {
		s->binary = true;
		iiod_binary_run(s);
	}

	/* Everything the session opened goes with it. */
	iiod_bin_events_session_end(s);
	iiod_bin_session_end(s);
	iiod_legacy_session_end(s);

	pthread_mutex_lock(&s->write_lock);
	s->closed = true;
	pthread_mutex_unlock(&s->write_lock);
	iiod_transport_cancel(s->t);
	sess_dbg(s, "session %u ended\n", s->id);
	unregister_session(srv, s);
	iiod_session_put(s);
}

int iiod_session_write(struct iiod_session *s, const struct iovec *iov, unsigned int count)
{
	ssize_t ret;

	pthread_mutex_lock(&s->write_lock);
	if (s->closed)
		ret = -EPIPE;
	else
		ret = s->t->ops->writev(s->t, iov, count, -1);
	pthread_mutex_unlock(&s->write_lock);
	return ret < 0 ? (int)ret : 0;
}

int iiod_session_respond(struct iiod_session *s, uint16_t client_id, int32_t code, const void *data,
			 size_t len)
{
	struct iiod_header hdr = {.client_id = client_id, .code = code};
	uint8_t raw[IIOD_HEADER_SIZE];
	struct iovec iov[2] = {
		{.iov_base = raw, .iov_len = sizeof(raw)},
		{.iov_base = (void *)data, .iov_len = len},
	};

	iiod_header_encode(&hdr, raw);
	return iiod_session_write(s, iov, data && len ? 2 : 1);
}

int iiod_session_respond_block(struct iiod_session *s, uint16_t client_id, struct iio_block *block,
			       size_t len, bool hooked)
{
	struct iiod_header hdr = {.client_id = client_id, .code = (int32_t)len};
	uint8_t raw[IIOD_HEADER_SIZE];
	struct iovec iov[2] = {
		{.iov_base = raw, .iov_len = sizeof(raw)},
		{.iov_base = iio_block_start(block), .iov_len = len},
	};
	ssize_t ret;

	iiod_header_encode(&hdr, raw);
	pthread_mutex_lock(&s->write_lock);
	if (s->closed)
		ret = -EPIPE;
	else if (hooked && s->t->ops->block_send)
		ret = s->t->ops->block_send(s->t, raw, sizeof(raw), block, len);
	else
		ret = s->t->ops->writev(s->t, iov, 2, -1);
	pthread_mutex_unlock(&s->write_lock);
	return ret < 0 ? (int)ret : 0;
}

int iiod_session_read(struct iiod_session *s, void *dst, size_t len)
{
	return iiod_read_all(s->t, dst, len, -1);
}

int iiod_session_discard(struct iiod_session *s, uint64_t len, const char *what)
{
	if (len > IIOD_MAX_DISCARD) {
		sess_err(s,
			 "%s announces %llu bytes of payload, more than the %u accepted: "
			 "closing the session\n",
			 what, (unsigned long long)len, IIOD_MAX_DISCARD);
		return -EFBIG;
	}
	return iiod_discard(s->t, len, -1);
}
