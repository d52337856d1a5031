// SPDX-License-Identifier: LGPL-2.1-or-later
/* The fuzz input as a protocol transport (see fuzz-transport.h). */
#include "fuzz-transport.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fuzz_transport {
	struct iiod_transport base;
	uint8_t *data; /* the chunks, separators removed */
	size_t *ends;  /* end offset of each chunk */
	unsigned int nb_chunks;
	unsigned int unlocked; /* chunks readable so far */
	size_t pos;
	unsigned int writes;
	size_t written;	  /* bytes, up to FUZZ_MAX_OUTPUT */
	pthread_t writer; /* the thread of the last write */
	bool has_writer;
	atomic_bool cancelled;
	bool stall; /* the input ends with FUZZ_CHUNK_STALL */
	bool trace;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

int fuzz_lockstep_ms(void)
{
	const char *env = getenv("FUZZ_LOCKSTEP_MS");
	int ms = env ? atoi(env) : 0;

	return ms > 0 ? ms : 200;
}

static struct fuzz_transport *to_fuzz(struct iiod_transport *t)
{
	return (struct fuzz_transport *)t;
}

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += (long)ms * 1000000L;
	ts->tv_sec += ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

/* Lock held. Bytes readable now; 0 with *end set when the input is over. */
static size_t readable(struct fuzz_transport *ft, bool *end)
{
	size_t limit = ft->unlocked ? ft->ends[ft->unlocked - 1] : 0;

	*end = ft->pos >= ft->ends[ft->nb_chunks - 1];
	return limit > ft->pos ? limit - ft->pos : 0;
}

static ssize_t fuzz_read(struct iiod_transport *t, void *dst, size_t len, int timeout_ms)
{
	struct fuzz_transport *ft = to_fuzz(t);
	struct timespec deadline;
	unsigned int writes;
	size_t n = 0;
	bool end;
	int wait_ms;

	if (!len)
		return 0;
	pthread_mutex_lock(&ft->lock);
	for (;;) {
		if (atomic_load(&ft->cancelled)) {
			pthread_mutex_unlock(&ft->lock);
			return -EBADF;
		}
		n = readable(ft, &end);
		if (n || (end && !ft->stall))
			break;
		if (timeout_ms == 0) {
			pthread_mutex_unlock(&ft->lock);
			return -ETIMEDOUT;
		}
		if (end) {
			/* A silent peer: the wait ends by cancelling or its time limit. */
			if (timeout_ms < 0) {
				pthread_cond_wait(&ft->cond, &ft->lock);
				continue;
			}
			deadline_in(&deadline, timeout_ms);
			while (!atomic_load(&ft->cancelled) &&
			       !pthread_cond_timedwait(&ft->cond, &ft->lock, &deadline))
				;
			if (atomic_load(&ft->cancelled))
				continue;
			pthread_mutex_unlock(&ft->lock);
			return -ETIMEDOUT;
		}
		/* The current answer is used up and more input is left. */
		if (!ft->has_writer || !pthread_equal(ft->writer, pthread_self())) {
			wait_ms = fuzz_lockstep_ms();
			if (timeout_ms > 0 && timeout_ms < wait_ms)
				wait_ms = timeout_ms;
			writes = ft->writes;
			deadline_in(&deadline, wait_ms);
			while (ft->writes == writes && !atomic_load(&ft->cancelled) &&
			       !pthread_cond_timedwait(&ft->cond, &ft->lock, &deadline))
				;
			if (ft->writes != writes || atomic_load(&ft->cancelled))
				continue;
		}
		/* Nobody is going to ask again: the answer goes on in the next chunk. */
		ft->unlocked++;
	}
	if (!n) {
		pthread_mutex_unlock(&ft->lock);
		return -EPIPE;
	}
	if (n > len)
		n = len;
	memcpy(dst, ft->data + ft->pos, n);
	ft->pos += n;
	pthread_mutex_unlock(&ft->lock);
	return (ssize_t)n;
}

static ssize_t fuzz_writev(struct iiod_transport *t, const struct iovec *iov, unsigned int count,
			   int timeout_ms)
{
	struct fuzz_transport *ft = to_fuzz(t);
	size_t total = 0;
	unsigned int i;

	(void)timeout_ms;
	if (count > IIOD_MAX_ELEMENTS)
		return -EINVAL;
	pthread_mutex_lock(&ft->lock);
	if (atomic_load(&ft->cancelled)) {
		pthread_mutex_unlock(&ft->lock);
		return -EBADF;
	}
	for (i = 0; i < count; i++)
		total += iov[i].iov_len;
	if (total > FUZZ_MAX_OUTPUT - ft->written) {
		pthread_mutex_unlock(&ft->lock);
		return -EPIPE;
	}
	ft->written += total;
	for (i = 0; i < count && ft->trace; i++)
		fwrite(iov[i].iov_base, 1, iov[i].iov_len, stderr);
	ft->writes++;
	if (ft->unlocked < ft->writes && ft->unlocked < ft->nb_chunks)
		ft->unlocked = ft->writes < ft->nb_chunks ? ft->writes : ft->nb_chunks;
	ft->writer = pthread_self();
	ft->has_writer = true;
	pthread_cond_broadcast(&ft->cond);
	pthread_mutex_unlock(&ft->lock);
	return (ssize_t)total;
}

/* One byte at a time: nothing after the '\n' is consumed. */
static ssize_t fuzz_read_line(struct iiod_transport *t, char *dst, size_t len, int timeout_ms)
{
	size_t copied = 0;
	ssize_t ret;

	while (copied < len) {
		ret = fuzz_read(t, dst + copied, 1, timeout_ms);
		if (ret < 0)
			return ret;
		if (dst[copied++] == '\n')
			return (ssize_t)copied;
	}
	return -EFBIG;
}

static void fuzz_cancel(struct iiod_transport *t)
{
	struct fuzz_transport *ft = to_fuzz(t);

	atomic_store(&ft->cancelled, true);
	pthread_mutex_lock(&ft->lock);
	pthread_cond_broadcast(&ft->cond);
	pthread_mutex_unlock(&ft->lock);
}

static void fuzz_destroy(struct iiod_transport *t)
{
	struct fuzz_transport *ft = to_fuzz(t);

	pthread_cond_destroy(&ft->cond);
	pthread_mutex_destroy(&ft->lock);
	free(ft->ends);
	free(ft->data);
	free(ft);
}

static const struct iiod_transport_ops fuzz_transport_ops = {
	.read = fuzz_read,
	.writev = fuzz_writev,
	.read_line = fuzz_read_line,
	.cancel = fuzz_cancel,
	.destroy = fuzz_destroy,
};

/* Splits data on the separators into ft->data / ft->ends; stops at a stall. */
static int split_chunks(struct fuzz_transport *ft, const uint8_t *data, size_t size)
{
	const size_t sep_len = strlen(FUZZ_CHUNK_SEP), stall_len = strlen(FUZZ_CHUNK_STALL);
	size_t i = 0, out = 0, max_chunks = size / sep_len + 1;

	ft->data = malloc(size ? size : 1);
	ft->ends = malloc(max_chunks * sizeof(*ft->ends));
	if (!ft->data || !ft->ends)
		return -ENOMEM;
	while (i < size) {
		if (size - i >= stall_len && !memcmp(data + i, FUZZ_CHUNK_STALL, stall_len)) {
			ft->stall = true;
			break;
		}
		if (size - i >= sep_len && !memcmp(data + i, FUZZ_CHUNK_SEP, sep_len)) {
			ft->ends[ft->nb_chunks++] = out;
			i += sep_len;
			continue;
		}
		ft->data[out++] = data[i++];
	}
	ft->ends[ft->nb_chunks++] = out;
	return 0;
}

struct iiod_transport *fuzz_transport_new(const uint8_t *data, size_t size, bool lockstep)
{
	struct fuzz_transport *ft = calloc(1, sizeof(*ft));
	pthread_condattr_t attr;

	if (!ft)
		return NULL;
	if (lockstep) {
		if (split_chunks(ft, data, size)) {
			free(ft->data);
			free(ft->ends);
			free(ft);
			return NULL;
		}
	} else {
		ft->data = malloc(size ? size : 1);
		ft->ends = malloc(sizeof(*ft->ends));
		if (!ft->data || !ft->ends) {
			free(ft->data);
			free(ft->ends);
			free(ft);
			return NULL;
		}
		memcpy(ft->data, data, size);
		ft->ends[0] = size;
		ft->nb_chunks = 1;
		ft->unlocked = 1;
	}
	ft->trace = getenv("FUZZ_TRACE") != NULL;
	atomic_init(&ft->cancelled, false);
	pthread_mutex_init(&ft->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ft->cond, &attr);
	pthread_condattr_destroy(&attr);
	ft->base.ops = &fuzz_transport_ops;
	return &ft->base;
}
