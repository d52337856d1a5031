// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iiod's TCP transport: a dual-stack listening socket and one session
 * thread per accepted connection (network.md §1).
 */
#include "tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG 16
/* Connections served at once; more are refused (each costs a thread). */
#define MAX_CONNECTIONS 512

struct connection {
	struct iiod_tcp *tcp;
	int fd;
	char peer[96];
};

static void set_int_opt(int fd, int level, int name, int value)
{
	(void)setsockopt(fd, level, name, &value, sizeof(value));
}

static void describe_peer(const struct sockaddr_storage *ss, char *dst, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], addr, sizeof(addr));
		else
			inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
		port = ntohs(sin6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
		port = ntohs(sin->sin_port);
	}
	snprintf(dst, len, "%s:%u", addr, port);
}

static void *connection_thread(void *arg)
{
	struct connection *conn = arg;
	struct iiod_tcp *tcp = conn->tcp;
	struct iiod_transport *t = iiod_fd_transport_new(conn->fd, conn->fd, true);

	if (iio_err(t)) {
		close(conn->fd);
		ctx_err(tcp->srv->ctx, "iiod: %s: unable to set up the connection\n", conn->peer);
	} else {
		iiod_session_run(tcp->srv, t, conn->peer);
	}
	free(conn);

	pthread_mutex_lock(&tcp->lock);
	tcp->nb_threads--;
	pthread_cond_broadcast(&tcp->threads_done);
	pthread_mutex_unlock(&tcp->lock);
	return NULL;
}

static void serve_connection(struct iiod_tcp *tcp, int fd, const struct sockaddr_storage *ss)
{
	struct connection *conn;
	pthread_attr_t attr;
	pthread_t thread;
	int ret;

	/* A dead peer is noticed after about 70 s of silence. */
	set_int_opt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	set_int_opt(fd, IPPROTO_TCP, TCP_KEEPIDLE, 10);
	set_int_opt(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10);
	set_int_opt(fd, IPPROTO_TCP, TCP_KEEPCNT, 6);
	set_int_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);

	conn = calloc(1, sizeof(*conn));
	if (!conn) {
		close(fd);
		return;
	}
	conn->tcp = tcp;
	conn->fd = fd;
	describe_peer(ss, conn->peer, sizeof(conn->peer));

	pthread_mutex_lock(&tcp->lock);
	if (tcp->nb_threads >= MAX_CONNECTIONS) {
		pthread_mutex_unlock(&tcp->lock);
		ctx_warn(tcp->srv->ctx, "iiod: %s: refused, %u connections already\n", conn->peer,
			 MAX_CONNECTIONS);
		close(fd);
		free(conn);
		return;
	}
	tcp->nb_threads++;
	pthread_mutex_unlock(&tcp->lock);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, connection_thread, conn);
	pthread_attr_destroy(&attr);
	if (ret) {
		ctx_err(tcp->srv->ctx, "iiod: %s: no thread for the connection\n", conn->peer);
		close(fd);
		free(conn);
		pthread_mutex_lock(&tcp->lock);
		tcp->nb_threads--;
		pthread_mutex_unlock(&tcp->lock);
	}
}

static void *accept_thread(void *arg)
{
	struct iiod_tcp *tcp = arg;
	struct pollfd pfds[2] = {
		{.fd = tcp->fd, .events = POLLIN},
		{.fd = tcp->stop_fd, .events = POLLIN},
	};
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	for (;;) {
		if (poll(pfds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ctx_err(tcp->srv->ctx, "iiod: poll on the listening socket failed\n");
			break;
		}
		if (pfds[1].revents)
			break;
		len = sizeof(ss);
		fd = accept4(tcp->fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
		if (fd < 0) {
			/* Out of fds or a connection reset before accept: try again later. */
			if (errno == EMFILE || errno == ENFILE)
				usleep(100000);
			continue;
		}
		serve_connection(tcp, fd, &ss);
	}
	return NULL;
}

/* Dual-stack [::] when IPv6 is there, else 0.0.0.0. */
static int open_listener(uint16_t port)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = INADDR_ANY,
	};
	int fd, err;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
		set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
		if (!bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)))
			goto listen;
		err = -errno;
		close(fd);
		if (err != -EAFNOSUPPORT && err != -EADDRNOTAVAIL)
			return err;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		err = -errno;
		close(fd);
		return err;
	}
listen:
	if (listen(fd, LISTEN_BACKLOG)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int iiod_tcp_start(struct iiod_tcp *tcp, struct iiod_server *srv, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int ret;

	memset(tcp, 0, sizeof(*tcp));
	tcp->srv = srv;
	tcp->fd = open_listener(port);
	if (tcp->fd < 0) {
		ctx_perror(srv->ctx, tcp->fd, "iiod: Unable to listen on TCP port %u", port);
		return tcp->fd;
	}
	/* Port 0: the kernel chose one; it is what DNS-SD advertises. */
	if (!getsockname(tcp->fd, (struct sockaddr *)&ss, &len))
		tcp->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
							   : ((struct sockaddr_in *)&ss)->sin_port);
	tcp->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (tcp->stop_fd < 0) {
		ret = -errno;
		close(tcp->fd);
		return ret;
	}
	pthread_mutex_init(&tcp->lock, NULL);
	pthread_cond_init(&tcp->threads_done, NULL);
	ret = pthread_create(&tcp->thread, NULL, accept_thread, tcp);
	if (ret) {
		close(tcp->stop_fd);
		close(tcp->fd);
		return -ret;
	}
	ctx_info(srv->ctx, "iiod: serving on TCP port %u\n", tcp->port);
	return 0;
}

void iiod_tcp_stop(struct iiod_tcp *tcp)
{
	uint64_t one = 1;

	if (write(tcp->stop_fd, &one, sizeof(one)) < 0)
		ctx_err(tcp->srv->ctx, "iiod: unable to stop the TCP listener\n");
	pthread_join(tcp->thread, NULL);
	close(tcp->fd);
	close(tcp->stop_fd);
	/* Sessions are cancelled by iiod_server_stop(); wait for their threads to go. */
	iiod_server_stop(tcp->srv);
	pthread_mutex_lock(&tcp->lock);
	while (tcp->nb_threads)
		pthread_cond_wait(&tcp->threads_done, &tcp->lock);
	pthread_mutex_unlock(&tcp->lock);
	pthread_cond_destroy(&tcp->threads_done);
	pthread_mutex_destroy(&tcp->lock);
}
