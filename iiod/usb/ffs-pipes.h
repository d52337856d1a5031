/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pipes of a FunctionFS function: pipe p is the endpoint files
 * ep(2p+1) (bulk IN) and ep(2p+2) (bulk OUT). OPEN_PIPE runs a protocol
 * session on a pipe in a thread of its own; CLOSE_PIPE and RESET_PIPES ask
 * sessions to stop, without waiting (the next OPEN_PIPE of that pipe, or
 * ffs_pipes_stop(), waits).
 */
#ifndef IIOD_USB_FFS_PIPES_H
#define IIOD_USB_FFS_PIPES_H

#include <pthread.h>
#include <stdbool.h>

struct ffs_usb_env;
struct iiod_transport;

struct ffs_pipe {
	struct ffs_pipes *owner;
	unsigned int index;
	bool thread_running; /* started and not joined yet */
	pthread_t thread;
	struct iiod_transport *t; /* the session's transport, held until joined */
	void *session_data;	  /* run_session's data when it started */
	char peer[32];		  /* "usb pipe N" */
};

struct ffs_pipes {
	pthread_mutex_t lock;
	unsigned int nb;
	struct ffs_pipe *pipes;
	const char *ffs_dir;
	struct ffs_usb_env *env;
	/* Runs a session on t until it is over; takes t over (destroy when done). */
	void (*run_session)(void *data, struct iiod_transport *t, const char *peer);
	void *data;
	/* Opens <ffs_dir>/ep<nr>; an fd or -errno. NULL: open(2). */
	int (*open_ep)(const char *ffs_dir, unsigned int nr, int flags);
	bool stopped; /* no more sessions */
};

int ffs_pipes_init(struct ffs_pipes *pipes, unsigned int nb, const char *ffs_dir,
		   struct ffs_usb_env *env,
		   void (*run_session)(void *data, struct iiod_transport *t, const char *peer),
		   void *data);
/* Stops every session and waits for them; no pipe opens until ffs_pipes_resume(). */
void ffs_pipes_stop(struct ffs_pipes *pipes);
/* Pipes open again, their sessions run with data. */
void ffs_pipes_resume(struct ffs_pipes *pipes, void *data);
void ffs_pipes_fini(struct ffs_pipes *pipes);

/* The ffs_control_ops handlers (data = the struct ffs_pipes). */
int ffs_pipes_open(struct ffs_pipes *pipes, unsigned int index);
void ffs_pipes_close(struct ffs_pipes *pipes, unsigned int index);
void ffs_pipes_reset(struct ffs_pipes *pipes);

/* Sessions running now (tests). */
unsigned int ffs_pipes_running(struct ffs_pipes *pipes);

#endif /* IIOD_USB_FFS_PIPES_H */
