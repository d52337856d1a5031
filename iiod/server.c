// SPDX-License-Identifier: LGPL-2.1-or-later
/* iiod's shared state: the served context, its descriptions, the session registry. */
#include "server.h"
#include "xml.h"

#include <stdlib.h>

int iiod_server_init(struct iiod_server *srv, struct iio_context *ctx, bool demux)
{
	int ret;

	memset(srv, 0, sizeof(*srv));
	srv->ctx = ctx;
	srv->demux = demux;
	pthread_mutex_init(&srv->buffers_lock, NULL);
	pthread_mutex_init(&srv->format_lock, NULL);
	pthread_mutex_init(&srv->sessions_lock, NULL);
	pthread_cond_init(&srv->sessions_done, NULL);

	srv->xml = iio_context_get_xml(ctx);
	if (iio_err(srv->xml)) {
		ret = iio_err(srv->xml);
		srv->xml = NULL;
		ctx_perror(ctx, ret, "iiod: Unable to describe the context");
		return ret;
	}
	srv->xml_len = strlen(srv->xml);

	ret = iio_xml_compress(srv->xml, srv->xml_len, &srv->zxml, &srv->zxml_len);
	if (ret == -ENOSYS) {
		ctx_info(ctx,
			 "iiod: built without zstd: ZPRINT is refused, PRINT sends plain XML\n");
	} else if (ret) {
		ctx_perror(ctx, ret, "iiod: Unable to compress the context description");
		return ret;
	}
	return iiod_legacy_init(srv);
}

void iiod_server_stop(struct iiod_server *srv)
{
	struct iiod_session *s;

	pthread_mutex_lock(&srv->sessions_lock);
	srv->stopping = true;
	for (s = srv->sessions; s; s = s->next)
		iiod_transport_cancel(s->t);
	while (srv->nb_sessions)
		pthread_cond_wait(&srv->sessions_done, &srv->sessions_lock);
	pthread_mutex_unlock(&srv->sessions_lock);
}

void iiod_server_free(struct iiod_server *srv)
{
	iiod_bin_free_all(srv);
	iiod_legacy_free(srv);
	free(srv->xml);
	free(srv->zxml);
	pthread_cond_destroy(&srv->sessions_done);
	pthread_mutex_destroy(&srv->sessions_lock);
	pthread_mutex_destroy(&srv->buffers_lock);
	pthread_mutex_destroy(&srv->format_lock);
	iio_context_destroy(srv->ctx);
	srv->ctx = NULL;
}

struct iio_device *iiod_server_device(const struct iiod_server *srv, unsigned int index)
{
	return iio_context_get_device(srv->ctx, index);
}

int iiod_server_device_index(const struct iiod_server *srv, const struct iio_device *dev)
{
	unsigned int i, count = iio_context_get_devices_count(srv->ctx);

	for (i = 0; i < count; i++)
		if (iio_context_get_device(srv->ctx, i) == dev)
			return (int)i;
	return -ENODEV;
}
