// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Pipe bookkeeping: one session thread per opened pipe, stopped on request.
 *
 * A host process that dies (killed, crashed) sends nothing: its sessions run
 * on until the next host's RESET_PIPES or OPEN_PIPE ends them. What it may
 * have left behind, and where it goes when OPEN_PIPE reopens the pipe:
 * - IN: responses or block data iiod queued that nobody read. Ending the
 *   session cancels its AIO transfers; destroying its blocks detaches their
 *   DMABUFs, which dequeues their transfers; closing the endpoint files
 *   does both for anything left. Bytes the UDC already completed into its
 *   FIFO are flushed where the UDC can (FUNCTIONFS_FIFO_FLUSH); the host
 *   reads out what a UDC without a flush keeps (the usb: backend does).
 * - OUT: a command received in part (a header whose payload never came, an
 *   ASCII line's leftovers). They live in the old session's transport, which
 *   goes with it; a packet the UDC holds in its FIFO is flushed too.
 * All of it happens before OPEN_PIPE is acknowledged, so the new host's
 * first request meets a clean pipe. The old endpoint files must be closed
 * before the new ones are used: FunctionFS detaches every DMABUF of an
 * endpoint when any file of it is released, the new session's too.
 */
#include "ffs-pipes.h"
#include "ffs-io.h"
#include "ffs-transport-priv.h"
#include "ffs-uapi.h"

#include <iio/iio-debug.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long OPEN_PIPE waits for others to let go of an ended session's transport. */
#define RELEASE_WAIT_MS 500

#define pipes_log(pipes, level, ...)                                                               \
	do {                                                                                       \
		if ((pipes)->env->params)                                                          \
			prm_##level((pipes)->env->params, __VA_ARGS__);                            \
	} while (0)

static int open_ep_file(const char *ffs_dir, unsigned int nr, int flags)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/ep%u", ffs_dir, nr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ffs_pipes_init(struct ffs_pipes *pipes, unsigned int nb, const char *ffs_dir,
		   struct ffs_usb_env *env,
		   void (*run_session)(void *data, struct iiod_transport *t, const char *peer),
		   void *data)
{
	unsigned int i;

	memset(pipes, 0, sizeof(*pipes));
	pipes->pipes = calloc(nb, sizeof(*pipes->pipes));
	if (!pipes->pipes)
		return -ENOMEM;
	pthread_mutex_init(&pipes->lock, NULL);
	pipes->nb = nb;
	pipes->ffs_dir = ffs_dir;
	pipes->env = env;
	pipes->run_session = run_session;
	pipes->data = data;
	pipes->open_ep = open_ep_file;
	for (i = 0; i < nb; i++) {
		pipes->pipes[i].owner = pipes;
		pipes->pipes[i].index = i;
		snprintf(pipes->pipes[i].peer, sizeof(pipes->pipes[i].peer), "usb pipe %u", i);
	}
	return 0;
}

static void *pipe_thread(void *arg)
{
	struct ffs_pipe *p = arg;
	struct ffs_pipes *pipes = p->owner;
	struct iiod_transport *t;
	void *data;

	pthread_mutex_lock(&pipes->lock);
	t = p->t;
	data = p->session_data;
	pthread_mutex_unlock(&pipes->lock);
	pipes->run_session(data, t, p->peer);
	return NULL;
}

/* Cancels the pipe's session, if any. Lock held. */
static void cancel_locked(struct ffs_pipe *p)
{
	if (p->t)
		iiod_transport_cancel(p->t);
}

/*
 * Waits until the pipe table holds the last reference to t (blocks of another
 * session's buffer may still hold the session). False if they still do.
 */
static bool wait_released(struct iiod_transport *t)
{
	struct timespec nap = {.tv_nsec = 1000000};
	unsigned int i;

	for (i = 0; i < RELEASE_WAIT_MS; i++) {
		if (atomic_load(&to_ffs(t)->refs) == 1)
			return true;
		nanosleep(&nap, NULL);
	}
	return atomic_load(&to_ffs(t)->refs) == 1;
}

/*
 * Cancels the pipe's session, waits for it and, within limits, for its
 * transport to be released: then its endpoint files are closed and nothing
 * it queued is left on the endpoints. Lock held; dropped meanwhile.
 */
static void stop_locked(struct ffs_pipes *pipes, struct ffs_pipe *p)
{
	struct iiod_transport *t;
	pthread_t thread;
	bool released;

	if (!p->thread_running) {
		/* A session that failed to start left nothing; one being joined elsewhere is
		 * theirs. */
		return;
	}
	cancel_locked(p);
	thread = p->thread;
	t = p->t;
	p->thread_running = false;
	pthread_mutex_unlock(&pipes->lock);
	pthread_join(thread, NULL);
	released = wait_released(t);
	pthread_mutex_lock(&pipes->lock);
	if (!released)
		pipes_log(pipes, warn,
			  "iiod: usb: pipe %u: its ended session is still referenced: its "
			  "endpoint files stay open\n",
			  p->index);
	/* Kept until now: a concurrent CLOSE_PIPE may still cancel through it. */
	if (p->t == t)
		p->t = NULL;
	iiod_transport_destroy(t); /* our reference, normally the last: the files close */
}

/* FUNCTIONFS_FIFO_FLUSH: best effort, not every UDC has a FIFO to flush. */
static void flush_fifo(struct ffs_pipes *pipes, int fd)
{
	(void)pipes->env->sys->ioctl(fd, FUNCTIONFS_FIFO_FLUSH, NULL);
}

int ffs_pipes_open(struct ffs_pipes *pipes, unsigned int index)
{
	struct ffs_pipe *p;
	struct iiod_transport *t;
	int in, out, ret;

	if (index >= pipes->nb)
		return -EINVAL;
	p = &pipes->pipes[index];

	pthread_mutex_lock(&pipes->lock);
	if (p->thread_running)
		pipes_log(pipes, dbg, "iiod: usb: pipe %u: opened again: ending its session\n",
			  index);
	/* One OPEN_PIPE at a time per pipe: a second one waits for the first. */
	stop_locked(pipes, p);
	if (pipes->stopped) {
		ret = -ECANCELED;
		goto out_unlock;
	}

	/* Non-blocking: nothing may hang on an endpoint the host disabled. */
	in = pipes->open_ep(pipes->ffs_dir, 2 * index + 1, O_WRONLY | O_NONBLOCK);
	if (in < 0) {
		ret = in;
		pipes_log(pipes, err, "iiod: usb: pipe %u: cannot open %s/ep%u: %s\n", index,
			  pipes->ffs_dir, 2 * index + 1, strerror(-ret));
		goto out_unlock;
	}
	out = pipes->open_ep(pipes->ffs_dir, 2 * index + 2, O_RDONLY | O_NONBLOCK);
	if (out < 0) {
		ret = out;
		close(in);
		pipes_log(pipes, err, "iiod: usb: pipe %u: cannot open %s/ep%u: %s\n", index,
			  pipes->ffs_dir, 2 * index + 2, strerror(-ret));
		goto out_unlock;
	}
	/*
	 * What the UDC holds for the previous session, a response the host never
	 * read (IN) or part of a command (OUT), must not reach this one.
	 */
	flush_fifo(pipes, in);
	flush_fifo(pipes, out);
	t = ffs_transport_new(pipes->env, index, in, 2 * index + 1, out, 2 * index + 2);
	ret = iio_err(t);
	if (ret) {
		pipes_log(pipes, err, "iiod: usb: pipe %u: cannot set up its transport: %s\n",
			  index, strerror(-ret));
		goto out_unlock;
	}
	ffs_transport_hold(t);
	p->t = t;
	p->session_data = pipes->data;
	ret = -pthread_create(&p->thread, NULL, pipe_thread, p);
	if (ret) {
		p->t = NULL;
		iiod_transport_destroy(t);
		iiod_transport_destroy(t);
		pipes_log(pipes, err, "iiod: usb: pipe %u: cannot start its session: %s\n", index,
			  strerror(-ret));
		goto out_unlock;
	}
	p->thread_running = true;
	pipes_log(pipes, dbg, "iiod: usb: pipe %u opened\n", index);
out_unlock:
	pthread_mutex_unlock(&pipes->lock);
	return ret;
}

void ffs_pipes_close(struct ffs_pipes *pipes, unsigned int index)
{
	if (index >= pipes->nb)
		return;
	pthread_mutex_lock(&pipes->lock);
	cancel_locked(&pipes->pipes[index]);
	pthread_mutex_unlock(&pipes->lock);
}

void ffs_pipes_reset(struct ffs_pipes *pipes)
{
	unsigned int i;

	pthread_mutex_lock(&pipes->lock);
	for (i = 0; i < pipes->nb; i++)
		cancel_locked(&pipes->pipes[i]);
	pthread_mutex_unlock(&pipes->lock);
}

void ffs_pipes_stop(struct ffs_pipes *pipes)
{
	unsigned int i;

	pthread_mutex_lock(&pipes->lock);
	pipes->stopped = true;
	for (i = 0; i < pipes->nb; i++)
		cancel_locked(&pipes->pipes[i]);
	for (i = 0; i < pipes->nb; i++)
		stop_locked(pipes, &pipes->pipes[i]);
	pthread_mutex_unlock(&pipes->lock);
}

void ffs_pipes_resume(struct ffs_pipes *pipes, void *data)
{
	pthread_mutex_lock(&pipes->lock);
	pipes->data = data;
	pipes->stopped = false;
	pthread_mutex_unlock(&pipes->lock);
}

void ffs_pipes_fini(struct ffs_pipes *pipes)
{
	if (!pipes->pipes)
		return;
	ffs_pipes_stop(pipes);
	pthread_mutex_destroy(&pipes->lock);
	free(pipes->pipes);
	pipes->pipes = NULL;
}

unsigned int ffs_pipes_running(struct ffs_pipes *pipes)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&pipes->lock);
	for (i = 0; i < pipes->nb; i++)
		n += pipes->pipes[i].thread_running;
	pthread_mutex_unlock(&pipes->lock);
	return n;
}
