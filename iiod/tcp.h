/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iiod's TCP listener. */
#ifndef IIOD_TCP_H
#define IIOD_TCP_H

#include "server.h"

struct iiod_tcp {
	struct iiod_server *srv;
	int fd;	       /* listening socket */
	int stop_fd;   /* eventfd waking the accept thread */
	uint16_t port; /* the port really listened on */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t threads_done;
	unsigned int nb_threads; /* connection threads still running */
};

/* Listens on port (0: any) and serves every connection in a session thread. */
iio_hidden int iiod_tcp_start(struct iiod_tcp *tcp, struct iiod_server *srv, uint16_t port);
/* Stops listening, cancels every session (iiod_server_stop) and waits for them. */
iio_hidden void iiod_tcp_stop(struct iiod_tcp *tcp);

#endif /* IIOD_TCP_H */
