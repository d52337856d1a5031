// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ip: backend: a context served by an iiod over TCP. URI forms:
 * "ip:" (DNS-SD), "ip:host", "ip:host:port", "ip:v6addr", "ip:[v6addr]",
 * "ip:[v6addr]:port". Each opened buffer gets a TCP connection of its own.
 */
#include "network.h"
#include "protocol/remote.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define IP_DEFAULT_TIMEOUT_MS 5000

/* Where the context's server is: every stream connection goes there too. */
struct ip_link {
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

static void set_int_opt(int fd, int level, int name, int value)
{
	/* Best effort: a socket without these options still works. */
	(void)setsockopt(fd, level, name, &value, sizeof(value));
}

int ip_connect(const struct sockaddr *addr, socklen_t addrlen, int timeout_ms)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int fd, ret, err = 0;

	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, addr, addrlen);
	if (ret < 0 && errno != EINPROGRESS) {
		err = -errno;
		goto err_close;
	}
	if (ret < 0) {
		pfd = (struct pollfd){.fd = fd, .events = POLLOUT};
		do {
			ret = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
		} while (ret < 0 && errno == EINTR);
		if (ret < 0) {
			err = -errno;
			goto err_close;
		}
		if (ret == 0) {
			err = -ETIMEDOUT;
			goto err_close;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
			err = -errno;
			goto err_close;
		}
		if (err) {
			err = -err;
			goto err_close;
		}
	}
	set_int_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	/* Notice a server that vanished (upstream's client sets no keepalive). */
	set_int_opt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	set_int_opt(fd, IPPROTO_TCP, TCP_KEEPIDLE, 10);
	set_int_opt(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10);
	set_int_opt(fd, IPPROTO_TCP, TCP_KEEPCNT, 6);
	return fd;

err_close:
	close(fd);
	return err;
}

void ip_service_format_address(struct ip_service *svc)
{
	if (getnameinfo((const struct sockaddr *)&svc->addr, svc->addrlen, svc->address,
			sizeof(svc->address), NULL, 0, NI_NUMERICHOST))
		iio_strlcpy(svc->address, "?", sizeof(svc->address));
}

/* A connect timeout: the context's, but never "do not wait". */
static int connect_timeout(int timeout_ms)
{
	return timeout_ms == 0 ? IP_DEFAULT_TIMEOUT_MS : timeout_ms;
}

/* ---- URI ---------------------------------------------------------------- */

struct ip_target {
	char host[256];
	char port[8];
	bool explicit_port;
};

/* Splits the text after "ip:" into host and port (network.md §2.1). */
static int parse_target(const struct iio_context_params *params, const char *args,
			struct ip_target *target)
{
	const char *port = NULL, *host = args, *end;
	size_t host_len;
	unsigned long value;
	char *stop;

	if (args[0] == '[') {
		end = strchr(args, ']');
		if (!end || (end[1] && end[1] != ':')) {
			prm_err(params,
				"Invalid URI 'ip:%s': expected ip:[address] or "
				"ip:[address]:port\n",
				args);
			return -EINVAL;
		}
		host = args + 1;
		host_len = (size_t)(end - host);
		if (end[1] == ':')
			port = end + 2;
	} else {
		end = strchr(args, ':');
		/* Several colons: an IPv6 address without a port. */
		if (end && !strchr(end + 1, ':'))
			port = end + 1;
		host_len = port ? (size_t)(end - args) : strlen(args);
	}
	if (!host_len || host_len >= sizeof(target->host)) {
		prm_err(params, "Invalid host name in URI 'ip:%s'\n", args);
		return -EINVAL;
	}
	memcpy(target->host, host, host_len);
	target->host[host_len] = '\0';

	value = IIOD_DEFAULT_PORT;
	if (port) {
		errno = 0;
		value = strtoul(port, &stop, 0);
		if (!*port || *stop || errno || value > 65535) {
			prm_err(params, "Invalid port '%s' in URI 'ip:%s'\n", port, args);
			return -ENOENT;
		}
	}
	target->explicit_port = port != NULL;
	snprintf(target->port, sizeof(target->port), "%lu", value);
	return 0;
}

/* Resolves and connects: every address getaddrinfo gives, in order, then avahi. */
static int connect_target(const struct iio_context_params *params, const struct ip_target *target,
			  int timeout_ms, struct ip_link *link)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res, *ai;
	struct ip_service svc;
	int fd = -ENOENT, ret;

	ret = getaddrinfo(target->host, target->port, &hints, &res);
	if (ret) {
		/* Without nss-mdns, "*.local" names resolve through avahi only. */
		if (WITH_DNS_SD && !ip_dnssd_resolve_host(params, target->host,
							  (uint16_t)atoi(target->port), &svc)) {
			fd = ip_connect((struct sockaddr *)&svc.addr, svc.addrlen, timeout_ms);
			if (fd >= 0) {
				memcpy(&link->addr, &svc.addr, svc.addrlen);
				link->addrlen = svc.addrlen;
			}
			return fd;
		}
		prm_err(params, "Unable to resolve '%s': %s\n", target->host, gai_strerror(ret));
		return ret == EAI_SYSTEM ? -errno : -ENOENT;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = ip_connect(ai->ai_addr, ai->ai_addrlen, timeout_ms);
		if (fd >= 0) {
			memcpy(&link->addr, ai->ai_addr, ai->ai_addrlen);
			link->addrlen = ai->ai_addrlen;
			break;
		}
	}
	freeaddrinfo(res);
	return fd;
}

/* ---- Links -------------------------------------------------------------- */

static struct iiod_transport *ip_open_stream_link(struct iio_context *ctx, void *link_data,
						  int *link_id)
{
	struct ip_link *link = link_data;
	struct iiod_transport *t;
	int fd;

	*link_id = 0;
	fd = ip_connect((struct sockaddr *)&link->addr, link->addrlen,
			connect_timeout(ctx->params.timeout_ms));
	if (fd < 0)
		return iio_ptr(fd);
	t = iiod_fd_transport_new(fd, fd, true);
	if (iio_err(t))
		close(fd);
	return t;
}

static const struct iiod_link_ops ip_link_ops = {
	.open_stream_link = ip_open_stream_link,
	.free = free,
};

/* ---- Context ------------------------------------------------------------ */

/* "uri": a URI that reconnects to the same server (upstream drops the port). */
static int add_context_attrs(struct iio_context *ctx, const struct ip_target *target,
			     const struct ip_link *link)
{
	struct ip_service svc = {.addrlen = link->addrlen};
	char uri[320];
	bool v6 = strchr(target->host, ':') != NULL;
	int ret;

	memcpy(&svc.addr, &link->addr, link->addrlen);
	ip_service_format_address(&svc);
	ret = iio_context_add_attr(ctx, "ip,ip-addr", svc.address);
	if (ret)
		return ret;
	if (target->explicit_port && strcmp(target->port, "30431"))
		snprintf(uri, sizeof(uri), v6 ? "ip:[%s]:%s" : "ip:%s:%s", target->host,
			 target->port);
	else
		snprintf(uri, sizeof(uri), "ip:%s", target->host);
	return iio_context_add_attr(ctx, "uri", uri);
}

static struct iio_context *create_for_target(const struct iio_context_params *params,
					     const struct ip_target *target)
{
	int timeout = iio_resolve_timeout(params ? params->timeout_ms : 0, IP_DEFAULT_TIMEOUT_MS);
	struct ip_service svc;
	struct iiod_transport *t;
	struct iiod_client *client;
	struct iio_context *ctx;
	struct ip_link *link;
	int fd, ret;

	if (timeout == -EINVAL)
		return iio_ptr(-EINVAL);
	link = calloc(1, sizeof(*link));
	if (!link)
		return iio_ptr(-ENOMEM);
	fd = connect_target(params, target, connect_timeout(timeout), link);
	if (fd < 0) {
		prm_perror(params, fd, "Unable to connect to %s port %s", target->host,
			   target->port);
		free(link);
		return iio_ptr(fd);
	}
	t = iiod_fd_transport_new(fd, fd, true);
	if (iio_err(t)) {
		close(fd);
		free(link);
		return iio_err_cast(t);
	}
	client = iiod_client_new(params, t, timeout);
	if (iio_err(client)) {
		prm_perror(params, iio_err(client), "Unable to talk to the iiod at %s port %s",
			   target->host, target->port);
		free(link);
		return iio_err_cast(client);
	}

	svc.addrlen = link->addrlen;
	memcpy(&svc.addr, &link->addr, link->addrlen);
	ip_service_format_address(&svc);
	ctx = iiod_remote_create_context(&iio_ip_backend, params, client, &ip_link_ops, link,
					 svc.address);
	if (iio_err(ctx))
		return ctx;
	ret = add_context_attrs(ctx, target, link);
	if (ret) {
		iio_context_destroy(ctx);
		return iio_ptr(ret);
	}
	return ctx;
}

/* "ip:" alone: the first server DNS-SD finds on the default port. */
static int discover_target(const struct iio_context_params *params, struct ip_target *target)
{
	struct ip_service *services = NULL;
	int i, count = WITH_DNS_SD ? ip_dnssd_discover(params, &services) : -ENOSYS;

	if (count == -ENOSYS)
		prm_err(params, "'ip:' without a host needs DNS-SD, which this build lacks\n");
	if (count < 0)
		return count == -ENOSYS ? -ENOENT : count;
	for (i = 0; i < count; i++) {
		if (services[i].port != IIOD_DEFAULT_PORT)
			continue;
		iio_strlcpy(target->host, services[i].address, sizeof(target->host));
		snprintf(target->port, sizeof(target->port), "%u", services[i].port);
		target->explicit_port = false;
		free(services);
		return 0;
	}
	free(services);
	prm_err(params, "DNS-SD found no iiod on port %u\n", IIOD_DEFAULT_PORT);
	return -ENOENT;
}

static struct iio_context *ip_create(const struct iio_context_params *params, const char *args)
{
	struct ip_target target;
	int ret;

	ret = args[0] ? parse_target(params, args, &target) : discover_target(params, &target);
	if (ret)
		return iio_ptr(ret);
	return create_for_target(params, &target);
}

/* ---- Scan --------------------------------------------------------------- */

/* "<addr> (<model>), serial=<serial>" and the other forms of network.md §4. */
static void describe(const struct iio_context *ctx, const char *address, char *dst, size_t len)
{
	const struct iio_attr *model = iio_context_find_attr(ctx, "hw_model");
	const struct iio_attr *serial = iio_context_find_attr(ctx, "hw_serial");
	const char *m = model ? iio_attr_get_static_value(model) : NULL;
	const char *s = serial ? iio_attr_get_static_value(serial) : NULL;
	unsigned int i;
	size_t n;

	if (m && s) {
		snprintf(dst, len, "%s (%s), serial=%s", address, m, s);
	} else if (m || s) {
		snprintf(dst, len, "%s %s", address, m ? m : s);
	} else if (!ctx->nb_devices) {
		snprintf(dst, len, "%s", ctx->description);
	} else {
		n = (size_t)snprintf(dst, len, "%s (", address);
		for (i = 0; i < ctx->nb_devices && n < len; i++) {
			const struct iio_device *dev = ctx->devices[i];

			n += (size_t)snprintf(dst + n, len - n, "%s%s", i ? "," : "",
					      dev->name ? dev->name : dev->id);
		}
		if (n < len)
			snprintf(dst + n, len - n, ")");
	}
}

static int ip_scan(const struct iio_context_params *params, struct iio_scan *scan, const char *args)
{
	struct ip_service *services = NULL;
	struct ip_target target;
	struct iio_context *ctx;
	char uri[320], desc[1024];
	int i, count, ret = 0;

	(void)args;
	if (!WITH_DNS_SD)
		return 0;
	count = ip_dnssd_discover(params, &services);
	if (count < 0)
		return count == -ENXIO ? 0 : count; /* no daemon: already said, no results */

	for (i = 0; i < count && !ret; i++) {
		const struct ip_service *svc = &services[i];
		bool v6 = strchr(svc->address, ':') != NULL;

		/* A usable URI (upstream returns the bare host name). */
		if (svc->port == IIOD_DEFAULT_PORT)
			snprintf(uri, sizeof(uri), "ip:%s", svc->address);
		else
			snprintf(uri, sizeof(uri), v6 ? "ip:[%s]:%u" : "ip:%s:%u", svc->address,
				 svc->port);
		iio_strlcpy(target.host, svc->address, sizeof(target.host));
		snprintf(target.port, sizeof(target.port), "%u", svc->port);
		target.explicit_port = svc->port != IIOD_DEFAULT_PORT;

		ctx = create_for_target(params, &target);
		if (iio_err(ctx)) {
			prm_dbg(params, "DNS-SD: skipping %s, no context there\n", uri);
			continue;
		}
		describe(ctx, svc->address, desc, sizeof(desc));
		iio_context_destroy(ctx);
		ret = iio_scan_add_result(scan, desc, uri);
	}
	free(services);
	return ret;
}

static const struct iio_backend_ops ip_ops = {
	.scan = ip_scan,
	.create = ip_create,
	IIOD_REMOTE_BACKEND_OPS,
};

const struct iio_backend iio_ip_backend = {
	.name = "ip",
	.uri_prefix = "ip:",
	.ops = &ip_ops,
	.default_timeout_ms = IP_DEFAULT_TIMEOUT_MS,
};
