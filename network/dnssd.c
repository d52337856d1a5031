// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DNS-SD discovery of iiod servers (_iio._tcp) with the avahi client: browse,
 * resolve every instance, drop duplicates and loopback addresses, keep the
 * ones that accept a TCP connection. Without avahi-daemon: one clear log
 * line and no results.
 */
#include "network.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if WITH_DNS_SD

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/simple-watch.h>

#define IIO_SERVICE_TYPE "_iio._tcp"
/* After ALL_FOR_NOW, how long resolutions still in progress may take. */
#define RESOLVE_GRACE_MS 1000
/* An upper bound on the whole browse, should ALL_FOR_NOW never come. */
#define BROWSE_LIMIT_MS 5000
#define KNOCK_TIMEOUT_MS 5000

struct browse {
	const struct iio_context_params *params;
	AvahiSimplePoll *poll;
	AvahiClient *client;
	struct ip_service *services;
	size_t count, capacity;
	unsigned int resolving;
	bool all_for_now;
	bool failed;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* An avahi address and port as a sockaddr; IPv6 link-local keeps its interface. */
static void to_sockaddr(const AvahiAddress *a, uint16_t port, AvahiIfIndex iface,
			struct ip_service *svc)
{
	memset(&svc->addr, 0, sizeof(svc->addr));
	if (a->proto == AVAHI_PROTO_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&svc->addr;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = a->data.ipv4.address;
		svc->addrlen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&svc->addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->data.ipv6.address, sizeof(sin6->sin6_addr));
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			sin6->sin6_scope_id = (uint32_t)iface;
		svc->addrlen = sizeof(*sin6);
	}
	svc->port = port;
	ip_service_format_address(svc);
}

static int add_service(struct browse *b, const struct ip_service *svc)
{
	struct ip_service *list;

	if (b->count == b->capacity) {
		size_t cap = b->capacity ? 2 * b->capacity : 8;

		list = realloc(b->services, cap * sizeof(*list));
		if (!list)
			return -ENOMEM;
		b->services = list;
		b->capacity = cap;
	}
	b->services[b->count++] = *svc;
	return 0;
}

static void resolve_cb(AvahiServiceResolver *r, AvahiIfIndex iface, AvahiProtocol proto,
		       AvahiResolverEvent event, const char *name, const char *type,
		       const char *domain, const char *host, const AvahiAddress *a, uint16_t port,
		       AvahiStringList *txt, AvahiLookupResultFlags flags, void *data)
{
	struct browse *b = data;
	struct ip_service svc;

	(void)proto, (void)type, (void)domain, (void)txt, (void)flags;
	if (event == AVAHI_RESOLVER_FOUND) {
		to_sockaddr(a, port, iface, &svc);
		iio_strlcpy(svc.host, host, sizeof(svc.host));
		prm_dbg(b->params, "DNS-SD: '%s' at %s port %u\n", name, svc.address, port);
		if (add_service(b, &svc))
			b->failed = true;
	}
	avahi_service_resolver_free(r);
	b->resolving--;
}

static void browse_cb(AvahiServiceBrowser *sb, AvahiIfIndex iface, AvahiProtocol proto,
		      AvahiBrowserEvent event, const char *name, const char *type,
		      const char *domain, AvahiLookupResultFlags flags, void *data)
{
	struct browse *b = data;

	(void)sb, (void)flags;
	switch (event) {
	case AVAHI_BROWSER_NEW:
		if (avahi_service_resolver_new(b->client, iface, proto, name, type, domain,
					       AVAHI_PROTO_UNSPEC, 0, resolve_cb, b))
			b->resolving++;
		break;
	case AVAHI_BROWSER_ALL_FOR_NOW:
		b->all_for_now = true;
		break;
	case AVAHI_BROWSER_FAILURE:
		b->failed = true;
		break;
	default:
		break;
	}
}

static void client_cb(AvahiClient *c, AvahiClientState state, void *data)
{
	struct browse *b = data;

	(void)c;
	if (state == AVAHI_CLIENT_FAILURE)
		b->failed = true;
}

/* Opens the avahi client; one clear line when the daemon is not there. */
static int open_client(struct browse *b)
{
	int error;

	b->poll = avahi_simple_poll_new();
	if (!b->poll)
		return -ENOMEM;
	b->client = avahi_client_new(avahi_simple_poll_get(b->poll), 0, client_cb, b, &error);
	if (!b->client) {
		prm_warn(b->params, "DNS-SD unavailable, cannot reach avahi-daemon: %s\n",
			 avahi_strerror(error));
		avahi_simple_poll_free(b->poll);
		b->poll = NULL;
		return -ENXIO;
	}
	return 0;
}

static void close_client(struct browse *b)
{
	if (b->client)
		avahi_client_free(b->client); /* frees the browser and resolvers too */
	if (b->poll)
		avahi_simple_poll_free(b->poll);
}

static bool is_loopback(const struct ip_service *svc)
{
	if (svc->addr.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&svc->addr;

		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	}
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)&svc->addr)->sin6_addr);
}

/* Drops duplicates, loopback addresses and servers that refuse a connection. */
static size_t filter_services(struct browse *b)
{
	size_t i, j, kept = 0;
	int fd;

	for (i = 0; i < b->count; i++) {
		struct ip_service *svc = &b->services[i];
		bool dup = false;

		for (j = 0; j < kept && !dup; j++)
			dup = b->services[j].port == svc->port &&
			      !strcmp(b->services[j].address, svc->address);
		if (dup || is_loopback(svc))
			continue;
		fd = ip_connect((struct sockaddr *)&svc->addr, svc->addrlen, KNOCK_TIMEOUT_MS);
		if (fd < 0) {
			prm_dbg(b->params, "DNS-SD: %s port %u does not answer\n", svc->address,
				svc->port);
			continue;
		}
		close(fd);
		if (kept != i)
			b->services[kept] = *svc;
		kept++;
	}
	return kept;
}

int ip_dnssd_discover(const struct iio_context_params *params, struct ip_service **services)
{
	struct browse b = {.params = params};
	AvahiServiceBrowser *sb;
	long long start = now_ms(), grace_end = 0;
	int ret;

	ret = open_client(&b);
	if (ret)
		return ret;
	sb = avahi_service_browser_new(b.client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
				       IIO_SERVICE_TYPE, NULL, 0, browse_cb, &b);
	if (!sb) {
		prm_err(params, "DNS-SD: unable to browse: %s\n",
			avahi_strerror(avahi_client_errno(b.client)));
		close_client(&b);
		return -EIO;
	}

	while (!b.failed && now_ms() - start < BROWSE_LIMIT_MS) {
		if (b.all_for_now && !grace_end)
			grace_end = now_ms() + RESOLVE_GRACE_MS;
		if (b.all_for_now && (!b.resolving || now_ms() >= grace_end))
			break;
		if (avahi_simple_poll_iterate(b.poll, 5) != 0)
			break;
	}
	if (b.failed)
		prm_warn(params, "DNS-SD: browsing failed: %s\n",
			 avahi_strerror(avahi_client_errno(b.client)));
	close_client(&b);

	ret = (int)filter_services(&b);
	if (!ret) {
		free(b.services);
		b.services = NULL;
	}
	*services = b.services;
	return ret;
}

struct host_lookup {
	bool done, found;
	AvahiAddress address;
	AvahiIfIndex iface;
};

static void host_cb(AvahiHostNameResolver *r, AvahiIfIndex iface, AvahiProtocol proto,
		    AvahiResolverEvent event, const char *name, const AvahiAddress *a,
		    AvahiLookupResultFlags flags, void *data)
{
	struct host_lookup *lookup = data;

	(void)r, (void)proto, (void)name, (void)flags;
	if (event == AVAHI_RESOLVER_FOUND) {
		lookup->address = *a;
		lookup->iface = iface;
		lookup->found = true;
	}
	lookup->done = true;
}

int ip_dnssd_resolve_host(const struct iio_context_params *params, const char *host, uint16_t port,
			  struct ip_service *svc)
{
	const AvahiProtocol protos[] = {AVAHI_PROTO_INET, AVAHI_PROTO_INET6};
	struct browse b = {.params = params};
	unsigned int i;
	int ret = open_client(&b);

	if (ret)
		return ret;
	ret = -ENOENT;
	for (i = 0; i < ARRAY_SIZE(protos) && ret; i++) {
		struct host_lookup lookup = {0};
		AvahiHostNameResolver *r;
		long long start = now_ms();

		r = avahi_host_name_resolver_new(b.client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
						 host, protos[i], 0, host_cb, &lookup);
		if (!r)
			continue;
		while (!lookup.done && !b.failed && now_ms() - start < BROWSE_LIMIT_MS)
			if (avahi_simple_poll_iterate(b.poll, 5) != 0)
				break;
		avahi_host_name_resolver_free(r);
		if (lookup.found) {
			to_sockaddr(&lookup.address, port, lookup.iface, svc);
			iio_strlcpy(svc->host, host, sizeof(svc->host));
			ret = 0;
		}
	}
	close_client(&b);
	return ret;
}

#else /* !WITH_DNS_SD */

int ip_dnssd_discover(const struct iio_context_params *params, struct ip_service **services)
{
	(void)params;
	*services = NULL;
	return -ENOSYS;
}

int ip_dnssd_resolve_host(const struct iio_context_params *params, const char *host, uint16_t port,
			  struct ip_service *svc)
{
	(void)params, (void)host, (void)port, (void)svc;
	return -ENOSYS;
}

#endif /* WITH_DNS_SD */
