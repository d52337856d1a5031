// SPDX-License-Identifier: LGPL-2.1-or-later
/* The registry of built-in backends: the only global state of the library. */
#include "backend.h"

#include <string.h>

/* Upstream's order: local, ip, usb, xml. */
static const struct iio_backend *const builtin_backends[] = {
#if WITH_LOCAL_BACKEND
	&iio_local_backend,
#endif
#if WITH_NETWORK_BACKEND
	&iio_ip_backend,
#endif
#if WITH_USB_BACKEND
	&iio_usb_backend,
#endif
#if WITH_XML_BACKEND
	&iio_xml_backend,
#endif
	NULL,
};

/* Not a constant expression, so an empty registry does not trip -Wtype-limits. */
static const unsigned int nb_backends = ARRAY_SIZE(builtin_backends) - 1;
#define NB_BACKENDS nb_backends

unsigned int iio_get_builtin_backends_count(void)
{
	return NB_BACKENDS;
}

const char *iio_get_builtin_backend(unsigned int index)
{
	return index < NB_BACKENDS ? builtin_backends[index]->name : NULL;
}

bool iio_has_backend(const struct iio_context_params *params, const char *backend)
{
	(void)params;
	return backend && iio_backend_by_name(backend) != NULL;
}

const struct iio_backend *iio_backend_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < NB_BACKENDS; i++)
		if (!strcmp(builtin_backends[i]->name, name))
			return builtin_backends[i];
	return NULL;
}

const struct iio_backend *iio_backend_for_uri(const char *uri)
{
	unsigned int i;

	for (i = 0; i < NB_BACKENDS; i++) {
		const char *prefix = builtin_backends[i]->uri_prefix;

		if (!strncmp(uri, prefix, strlen(prefix)))
			return builtin_backends[i];
	}
	return NULL;
}
