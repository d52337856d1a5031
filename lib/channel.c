// SPDX-License-Identifier: LGPL-2.1-or-later
/* Channels: construction, getters and attribute lookup. */
#include "attr-list.h"
#include "backend.h"

#include <stdlib.h>
#include <string.h>

iio_hidden void iio_channel_free(struct iio_channel *chn);

struct iio_channel *iio_device_add_channel(struct iio_device *dev, const char *id, bool output,
					   long index)
{
	struct iio_channel *chn, **chns;
	bool hwmon = dev->id[0] == 'h';

	if (!id || !*id)
		return iio_ptr(-EINVAL);
	chn = calloc(1, sizeof(*chn));
	if (!chn)
		return iio_ptr(-ENOMEM);
	chn->id = strdup(id);
	chns = realloc(dev->channels, (dev->nb_channels + 1) * sizeof(*chns));
	if (!chn->id || !chns) {
		if (chns)
			dev->channels = chns;
		free(chn->id);
		free(chn);
		return iio_ptr(-ENOMEM);
	}
	chn->dev = dev;
	chn->is_output = output;
	chn->index = index < 0 ? -ENOENT : index;
	chn->type = iio_channel_type_from_id(id, hwmon);
	chn->modifier = hwmon ? IIO_NO_MOD : iio_channel_modifier_from_id(id);
	chn->format.repeat = 1;
	chn->number = dev->nb_channels;
	dev->channels = chns;
	dev->channels[dev->nb_channels++] = chn;
	return chn;
}

static int replace_string(char **dst, const char *src)
{
	char *copy = iio_strdup_or_null(src);

	if (src && !copy)
		return -ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

int iio_channel_set_name(struct iio_channel *chn, const char *name)
{
	return replace_string(&chn->name, name);
}

int iio_channel_set_label(struct iio_channel *chn, const char *label)
{
	return replace_string(&chn->label, label);
}

int iio_channel_add_attr(struct iio_channel *chn, const char *name, const char *filename,
			 enum iio_attr_type type)
{
	union iio_pointer owner = { .chn = chn };

	switch (type) {
	case IIO_ATTR_TYPE_CHANNEL:
		return iio_attr_list_add(&chn->attrs, owner, type, name, filename, NULL);
	case IIO_ATTR_TYPE_CHANNEL_EVENT:
		return iio_attr_list_add(&chn->event_attrs, owner, type, name, filename, NULL);
	default:
		return -EINVAL;
	}
}

void iio_channel_free(struct iio_channel *chn)
{
	iio_attr_list_free(&chn->attrs);
	iio_attr_list_free(&chn->event_attrs);
	free(chn->id);
	free(chn->name);
	free(chn->label);
	free(chn);
}

const struct iio_device *iio_channel_get_device(const struct iio_channel *chn)
{
	return chn->dev;
}

const char *iio_channel_get_id(const struct iio_channel *chn)
{
	return chn->id;
}

const char *iio_channel_get_name(const struct iio_channel *chn)
{
	return chn->name;
}

const char *iio_channel_get_label(const struct iio_channel *chn)
{
	return chn->label;
}

bool iio_channel_is_output(const struct iio_channel *chn)
{
	return chn->is_output;
}

bool iio_channel_is_scan_element(const struct iio_channel *chn)
{
	return chn->is_scan_element;
}

unsigned int iio_channel_get_attrs_count(const struct iio_channel *chn)
{
	return chn->attrs.count;
}

const struct iio_attr *iio_channel_get_attr(const struct iio_channel *chn, unsigned int index)
{
	return iio_attr_list_get(&chn->attrs, index);
}

const struct iio_attr *iio_channel_find_attr(const struct iio_channel *chn, const char *name)
{
	const struct iio_attr *attr = iio_attr_list_find(&chn->attrs, name);
	size_t len;

	/* Old kernels' names carried the extended name: accept "<name>_<attr>" too. */
	if (!attr && name && chn->name) {
		len = strlen(chn->name);
		if (!strncmp(name, chn->name, len) && name[len] == '_')
			attr = iio_attr_list_find(&chn->attrs, name + len + 1);
	}
	return attr;
}

unsigned int iio_channel_get_event_attrs_count(const struct iio_channel *chn)
{
	return chn->event_attrs.count;
}

const struct iio_attr *iio_channel_get_event_attr(const struct iio_channel *chn,
						  unsigned int index)
{
	return iio_attr_list_get(&chn->event_attrs, index);
}

const struct iio_attr *iio_channel_find_event_attr(const struct iio_channel *chn,
						   const char *name)
{
	return iio_attr_list_find(&chn->event_attrs, name);
}

void iio_channel_set_data(struct iio_channel *chn, void *data)
{
	chn->userdata = data;
}

void *iio_channel_get_data(const struct iio_channel *chn)
{
	return chn->userdata;
}

enum iio_chan_type iio_channel_get_type(const struct iio_channel *chn)
{
	return chn->type;
}

enum iio_modifier iio_channel_get_modifier(const struct iio_channel *chn)
{
	return chn->modifier;
}

long iio_channel_get_index(const struct iio_channel *chn)
{
	return chn->index;
}

const struct iio_data_format *iio_channel_get_data_format(const struct iio_channel *chn)
{
	return &chn->format;
}

int iio_channel_refresh_format(struct iio_channel *chn)
{
	const struct iio_backend_ops *ops = chn->dev->ctx->backend->ops;

	if (!chn->is_scan_element)
		return -EINVAL;
	if (!ops->refresh_format)
		return -ENOSYS;
	return ops->refresh_format(chn);
}
