// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DNS-SD publication of iiod with avahi's threaded poll: service _iio._tcp,
 * name "iiod on <hostname>" (avahi's alternative on collision), no TXT
 * records, on every interface. Survives avahi-daemon restarts.
 */
#include "dnssd.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#if WITH_DNS_SD

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/thread-watch.h>

#define IIO_SERVICE_TYPE "_iio._tcp"
/* A DNS label holds 63 bytes. */
#define MAX_NAME 63

struct iiod_dnssd {
	struct iio_context_params params;
	AvahiThreadedPoll *poll;
	AvahiClient *client;
	AvahiEntryGroup *group;
	char *name;
	uint16_t port;
};

static void create_services(struct iiod_dnssd *d, AvahiClient *c);

static void rename_service(struct iiod_dnssd *d)
{
	char *alt = avahi_alternative_service_name(d->name);

	if (alt) {
		avahi_free(d->name);
		d->name = alt;
	}
	prm_info(&d->params, "iiod: DNS-SD name in use, now publishing as '%s'\n", d->name);
}

static void group_cb(AvahiEntryGroup *g, AvahiEntryGroupState state, void *data)
{
	struct iiod_dnssd *d = data;

	switch (state) {
	case AVAHI_ENTRY_GROUP_ESTABLISHED:
		prm_info(&d->params, "iiod: published '%s' (" IIO_SERVICE_TYPE ", port %u)\n",
			 d->name, d->port);
		break;
	case AVAHI_ENTRY_GROUP_COLLISION:
		rename_service(d);
		avahi_entry_group_reset(g);
		create_services(d, avahi_entry_group_get_client(g));
		break;
	case AVAHI_ENTRY_GROUP_FAILURE:
		prm_warn(&d->params, "iiod: DNS-SD publication failed: %s\n",
			 avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g))));
		break;
	default:
		break;
	}
}

static void create_services(struct iiod_dnssd *d, AvahiClient *c)
{
	int ret;

	if (!d->group) {
		d->group = avahi_entry_group_new(c, group_cb, d);
		if (!d->group) {
			prm_warn(&d->params, "iiod: DNS-SD: no entry group: %s\n",
				 avahi_strerror(avahi_client_errno(c)));
			return;
		}
	}
	if (!avahi_entry_group_is_empty(d->group))
		return;
	for (;;) {
		ret = avahi_entry_group_add_service(d->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
						    0, d->name, IIO_SERVICE_TYPE, NULL, NULL,
						    d->port, NULL);
		if (ret != AVAHI_ERR_COLLISION)
			break;
		rename_service(d);
	}
	if (!ret)
		ret = avahi_entry_group_commit(d->group);
	if (ret)
		prm_warn(&d->params, "iiod: DNS-SD: unable to publish: %s\n", avahi_strerror(ret));
}

static void client_cb(AvahiClient *c, AvahiClientState state, void *data);

static int new_client(struct iiod_dnssd *d)
{
	int error;

	/* NO_FAIL: with a bus but no daemon, wait for the daemon to come. */
	d->client = avahi_client_new(avahi_threaded_poll_get(d->poll), AVAHI_CLIENT_NO_FAIL,
				     client_cb, d, &error);
	return d->client ? 0 : error;
}

static void client_cb(AvahiClient *c, AvahiClientState state, void *data)
{
	struct iiod_dnssd *d = data;

	switch (state) {
	case AVAHI_CLIENT_S_RUNNING:
		create_services(d, c);
		break;
	case AVAHI_CLIENT_S_COLLISION:
	case AVAHI_CLIENT_S_REGISTERING:
		if (d->group)
			avahi_entry_group_reset(d->group);
		break;
	case AVAHI_CLIENT_FAILURE:
		if (avahi_client_errno(c) != AVAHI_ERR_DISCONNECTED) {
			prm_warn(&d->params, "iiod: DNS-SD client failed: %s\n",
				 avahi_strerror(avahi_client_errno(c)));
			break;
		}
		/* avahi-daemon went away: start over, publishing again when it is back. */
		prm_info(&d->params, "iiod: avahi-daemon disconnected, waiting for it\n");
		d->group = NULL;
		avahi_client_free(c);
		d->client = NULL;
		if (new_client(d))
			prm_warn(&d->params, "iiod: DNS-SD publication stopped\n");
		break;
	case AVAHI_CLIENT_CONNECTING:
		prm_dbg(&d->params, "iiod: waiting for avahi-daemon\n");
		break;
	default:
		break;
	}
}

/* "iiod on <hostname>", the host name cut so that the label fits. */
static char *service_name(void)
{
	char host[256] = "", name[MAX_NAME + 1];

	if (gethostname(host, sizeof(host) - 1) || !host[0])
		iio_strlcpy(host, "unknown", sizeof(host));
	snprintf(name, sizeof(name), "iiod on %.*s", MAX_NAME - 8, host);
	return avahi_strdup(name);
}

struct iiod_dnssd *iiod_dnssd_publish(const struct iio_context_params *params, uint16_t port)
{
	struct iiod_dnssd *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return NULL;
	if (params)
		d->params = *params;
	d->port = port;
	d->name = service_name();
	d->poll = avahi_threaded_poll_new();
	if (!d->name || !d->poll)
		goto err;
	ret = new_client(d);
	if (ret) {
		prm_warn(params,
			 "iiod: DNS-SD disabled, cannot reach avahi (%s); "
			 "clients must be given the address\n",
			 avahi_strerror(ret));
		goto err;
	}
	if (avahi_threaded_poll_start(d->poll) < 0)
		goto err;
	return d;
err:
	if (d->client)
		avahi_client_free(d->client);
	if (d->poll)
		avahi_threaded_poll_free(d->poll);
	avahi_free(d->name);
	free(d);
	return NULL;
}

void iiod_dnssd_withdraw(struct iiod_dnssd *d)
{
	if (!d)
		return;
	avahi_threaded_poll_stop(d->poll);
	if (d->client)
		avahi_client_free(d->client); /* withdraws the entry group with it */
	avahi_threaded_poll_free(d->poll);
	avahi_free(d->name);
	free(d);
}

#else /* !WITH_DNS_SD */

struct iiod_dnssd *iiod_dnssd_publish(const struct iio_context_params *params, uint16_t port)
{
	(void)port;
	prm_info(params, "iiod: built without DNS-SD: not published\n");
	return NULL;
}

void iiod_dnssd_withdraw(struct iiod_dnssd *dnssd)
{
	(void)dnssd;
}

#endif /* WITH_DNS_SD */
