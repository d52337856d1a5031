/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private header of the ip: backend: TCP connections and DNS-SD discovery. */
#ifndef IIO_NETWORK_NETWORK_H
#define IIO_NETWORK_NETWORK_H

#include "backend.h"

#include <sys/socket.h>

/* A server found by DNS-SD (or a resolved address), ready to connect to. */
struct ip_service {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char host[256];	  /* mDNS host name, e.g. "pluto.local" */
	char address[64]; /* numeric, with "%ifname" for IPv6 link-local */
	uint16_t port;
};

/*
 * Connects to addr within timeout_ms (< 0: no limit), with TCP_NODELAY and
 * keepalive. Returns the socket or a negative errno.
 */
iio_hidden int ip_connect(const struct sockaddr *addr, socklen_t addrlen, int timeout_ms);

/* Fills svc->address (numeric form) from svc->addr. */
iio_hidden void ip_service_format_address(struct ip_service *svc);

/*
 * Browses _iio._tcp: every reachable iiod (duplicates and loopback addresses
 * dropped). *services is malloc'd. Returns the count, or a negative errno
 * (-ENXIO when avahi-daemon cannot be reached, logged once, clearly).
 */
iio_hidden int ip_dnssd_discover(const struct iio_context_params *params,
				 struct ip_service **services);

/* Resolves an mDNS host name through avahi (IPv4 first). 0 or a negative errno. */
iio_hidden int ip_dnssd_resolve_host(const struct iio_context_params *params, const char *host,
				     uint16_t port, struct ip_service *svc);

#endif /* IIO_NETWORK_NETWORK_H */
