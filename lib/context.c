// SPDX-License-Identifier: LGPL-2.1-or-later
/* Contexts: creation from a URI, the post-creation pass, getters, destruction. */
#include "attr-list.h"
#include "backend.h"

#include <stdlib.h>
#include <string.h>

struct iio_context *iio_context_new(const struct iio_backend *backend,
				    const struct iio_context_params *params,
				    const char *description)
{
	struct iio_context *ctx;
	int timeout;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return iio_ptr(-ENOMEM);
	if (params)
		ctx->params = *params;
	timeout = iio_resolve_timeout(ctx->params.timeout_ms, backend->default_timeout_ms);
	if (timeout == -EINVAL) {
		free(ctx);
		return iio_ptr(-EINVAL);
	}
	ctx->params.timeout_ms = timeout;
	if (!ctx->params.log_level)
		ctx->params.log_level = DEFAULT_LOG_LEVEL;
	if (!ctx->params.stderr_level)
		ctx->params.stderr_level = LEVEL_WARNING;
	if (!ctx->params.timestamp_level)
		ctx->params.timestamp_level = LEVEL_DEBUG;

	ctx->backend = backend;
	ctx->version_major = LIBIIO_VERSION_MAJOR;
	ctx->version_minor = LIBIIO_VERSION_MINOR;
	ctx->name = strdup(backend->name);
	ctx->description = strdup(description ? description : "");
	if (!ctx->name || !ctx->description) {
		free(ctx->name);
		free(ctx->description);
		free(ctx);
		return iio_ptr(-ENOMEM);
	}
	return ctx;
}

int iio_context_add_attr(struct iio_context *ctx, const char *name, const char *value)
{
	union iio_pointer owner = { .ctx = ctx };

	if (!value)
		return -EINVAL;
	return iio_attr_list_add(&ctx->attrs, owner, IIO_ATTR_TYPE_CONTEXT, name, NULL, value);
}

int iio_context_set_version(struct iio_context *ctx, unsigned int major, unsigned int minor,
			    const char *tag)
{
	char *copy = NULL;

	if (tag) {
		copy = strdup(tag);
		if (!copy)
			return -ENOMEM;
	}
	free(ctx->version_tag);
	ctx->version_tag = copy;
	ctx->version_major = major;
	ctx->version_minor = minor;
	return 0;
}

struct iio_device *iio_context_add_device(struct iio_context *ctx, const char *id,
					  const char *name, const char *label)
{
	struct iio_device *dev, **devices;

	if (!id || !*id)
		return iio_ptr(-EINVAL);
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return iio_ptr(-ENOMEM);
	dev->ctx = ctx;
	dev->id = strdup(id);
	dev->name = iio_strdup_or_null(name);
	dev->label = iio_strdup_or_null(label);
	devices = realloc(ctx->devices, (ctx->nb_devices + 1) * sizeof(*devices));
	if (!dev->id || (name && !dev->name) || (label && !dev->label) || !devices) {
		if (devices)
			ctx->devices = devices;
		free(dev->id);
		free(dev->name);
		free(dev->label);
		free(dev);
		return iio_ptr(-ENOMEM);
	}
	ctx->devices = devices;
	ctx->devices[ctx->nb_devices++] = dev;
	return dev;
}

/* Defined in device.c: frees one device and everything below it. */
iio_hidden void iio_device_free(struct iio_device *dev);
/* Defined in device.c: sorts and numbers the channels of a device. */
iio_hidden void iio_device_sort_channels(struct iio_device *dev);

static int compare_devices(const void *a, const void *b)
{
	const struct iio_device *const *da = a, *const *db = b;

	return strcmp((*da)->id, (*db)->id);
}

/* Re-reads the scan format, then scale and offset, of every channel. */
static int refresh_channel(struct iio_channel *chn)
{
	const struct iio_attr *attr;
	const struct iio_backend_ops *ops = chn->dev->ctx->backend->ops;
	double value;
	int ret;

	if (chn->is_scan_element && ops->refresh_format) {
		ret = ops->refresh_format(chn);
		if (ret < 0 && ret != -ENOSYS) {
			chn_perror(chn, ret, "Unable to read the scan format");
			return ret;
		}
	}
	attr = iio_channel_find_attr(chn, "scale");
	if (attr && chn->dev->ctx->backend->ops->read_attr) {
		ret = iio_attr_read_double(attr, &value);
		if (ret < 0) {
			chn_perror(chn, ret, "Unable to read the scale");
			return ret;
		}
		chn->format.with_scale = true;
		chn->format.scale = value;
	}
	attr = iio_channel_find_attr(chn, "offset");
	if (attr && chn->dev->ctx->backend->ops->read_attr) {
		ret = iio_attr_read_double(attr, &value);
		if (ret < 0) {
			chn_perror(chn, ret, "Unable to read the offset");
			return ret;
		}
		chn->format.offset = value;
	}
	return 0;
}

int iio_context_init(struct iio_context *ctx)
{
	unsigned int i, j;
	int ret;

	if (ctx->nb_devices) /* qsort() wants a valid pointer even for 0 elements */
		qsort(ctx->devices, ctx->nb_devices, sizeof(*ctx->devices), compare_devices);
	for (i = 0; i < ctx->nb_devices; i++)
		iio_device_sort_channels(ctx->devices[i]);

	for (i = 0; i < ctx->nb_devices; i++) {
		struct iio_device *dev = ctx->devices[i];

		for (j = 0; j < dev->nb_channels; j++) {
			ret = refresh_channel(dev->channels[j]);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

struct iio_context *iio_create_context(const struct iio_context_params *params, const char *uri)
{
	const struct iio_backend *backend;
	struct iio_context *ctx;
	const char *env;

	if (!uri) {
		env = getenv("IIOD_REMOTE");
		if (env && strlen(env) >= 3 && strlen(env) <= 255)
			uri = env;
		else
			uri = "local:";
	}

	backend = iio_backend_for_uri(uri);
	if (!backend) {
		prm_err(params, "No backend for URI '%s' (known prefixes: local: xml: ip: usb:)\n",
			uri);
		return iio_ptr(-ENOSYS);
	}
	if (!backend->ops->create)
		return iio_ptr(-ENOSYS);

	ctx = backend->ops->create(params, uri + strlen(backend->uri_prefix));
	if (iio_err(ctx))
		return ctx;

	if (!iio_context_find_attr(ctx, "uri")) {
		int ret = iio_context_add_attr(ctx, "uri", uri);

		if (ret < 0) {
			iio_context_destroy(ctx);
			return iio_ptr(ret);
		}
	}
	return ctx;
}

void iio_context_destroy(struct iio_context *ctx)
{
	unsigned int i;

	if (!ctx)
		return;
	if (ctx->backend && ctx->backend->ops->shutdown)
		ctx->backend->ops->shutdown(ctx);
	for (i = 0; i < ctx->nb_devices; i++)
		iio_device_free(ctx->devices[i]);
	free(ctx->devices);
	iio_attr_list_free(&ctx->attrs);
	free(ctx->name);
	free(ctx->description);
	free(ctx->version_tag);
	free(ctx);
}

unsigned int iio_context_get_version_major(const struct iio_context *ctx)
{
	return ctx ? ctx->version_major : LIBIIO_VERSION_MAJOR;
}

unsigned int iio_context_get_version_minor(const struct iio_context *ctx)
{
	return ctx ? ctx->version_minor : LIBIIO_VERSION_MINOR;
}

const char *iio_context_get_version_tag(const struct iio_context *ctx)
{
	if (ctx && ctx->version_tag)
		return ctx->version_tag;
	return iio_library_version_tag();
}

char *iio_context_get_xml(const struct iio_context *ctx)
{
	char *xml = iio_context_xml_generate(ctx,
					    !!(ctx->params.flags & IIO_CTX_XML_INCLUDE_VALUES));

	return xml ? xml : iio_ptr(-ENOMEM);
}

const char *iio_context_get_name(const struct iio_context *ctx)
{
	return ctx->name;
}

const char *iio_context_get_description(const struct iio_context *ctx)
{
	return ctx->description;
}

unsigned int iio_context_get_attrs_count(const struct iio_context *ctx)
{
	return ctx->attrs.count;
}

const struct iio_attr *iio_context_get_attr(const struct iio_context *ctx, unsigned int index)
{
	return iio_attr_list_get(&ctx->attrs, index);
}

const struct iio_attr *iio_context_find_attr(const struct iio_context *ctx, const char *name)
{
	return iio_attr_list_find(&ctx->attrs, name);
}

unsigned int iio_context_get_devices_count(const struct iio_context *ctx)
{
	return ctx->nb_devices;
}

struct iio_device *iio_context_get_device(const struct iio_context *ctx, unsigned int index)
{
	return index < ctx->nb_devices ? ctx->devices[index] : NULL;
}

struct iio_device *iio_context_find_device(const struct iio_context *ctx, const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < ctx->nb_devices; i++) {
		struct iio_device *dev = ctx->devices[i];

		if (!strcmp(dev->id, name) || (dev->label && !strcmp(dev->label, name)) ||
		    (dev->name && !strcmp(dev->name, name)))
			return dev;
	}
	return NULL;
}

int iio_context_set_timeout(struct iio_context *ctx, int timeout_ms)
{
	int timeout = iio_resolve_timeout(timeout_ms, ctx->backend->default_timeout_ms);
	int ret;

	if (timeout == -EINVAL)
		return -EINVAL;
	if (ctx->backend->ops->set_timeout) {
		ret = ctx->backend->ops->set_timeout(ctx, timeout);
		if (ret < 0) {
			ctx_perror(ctx, ret, "Unable to set the timeout");
			return ret;
		}
	}
	ctx->params.timeout_ms = timeout;
	return 0;
}

const struct iio_context_params *iio_context_get_params(const struct iio_context *ctx)
{
	return &ctx->params;
}

void iio_context_set_data(struct iio_context *ctx, void *data)
{
	ctx->userdata = data;
}

void *iio_context_get_data(const struct iio_context *ctx)
{
	return ctx->userdata;
}

int iio_context_ping(struct iio_context *ctx)
{
	if (!ctx->backend->ops->ping)
		return -ENOTSUP;
	return ctx->backend->ops->ping(ctx);
}
