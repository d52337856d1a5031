// SPDX-License-Identifier: LGPL-2.1-or-later
/* Devices: construction, channel ordering, getters, triggers and register access. */
#include "attr-list.h"
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

iio_hidden void iio_channel_free(struct iio_channel *chn);
iio_hidden void iio_buffer_free(struct iio_buffer *buf);
iio_hidden void iio_device_sort_channels(struct iio_device *dev);
iio_hidden void iio_device_free(struct iio_device *dev);

int iio_device_add_attr(struct iio_device *dev, const char *name, const char *filename,
			enum iio_attr_type type)
{
	union iio_pointer owner = { .dev = dev };

	switch (type) {
	case IIO_ATTR_TYPE_DEVICE:
		return iio_attr_list_add(&dev->attrs, owner, type, name, filename, NULL);
	case IIO_ATTR_TYPE_DEBUG:
		return iio_attr_list_add(&dev->debug_attrs, owner, type, name, filename, NULL);
	case IIO_ATTR_TYPE_DEVICE_EVENT:
		return iio_attr_list_add(&dev->event_attrs, owner, type, name, filename, NULL);
	default:
		return -EINVAL;
	}
}

/* Scan-indexed channels first, by index then shift; the others keep their order. */
static bool channel_before(const struct iio_channel *a, const struct iio_channel *b)
{
	if (a->index < 0)
		return false;
	if (b->index < 0)
		return true;
	if (a->index != b->index)
		return a->index < b->index;
	return a->format.shift < b->format.shift;
}

/* Stable insertion sort: channel lists are short and mostly sorted already. */
static void sort_channels(struct iio_channel **chns, unsigned int count)
{
	unsigned int i, j;

	for (i = 1; i < count; i++) {
		struct iio_channel *chn = chns[i];

		for (j = i; j > 0 && channel_before(chn, chns[j - 1]); j--)
			chns[j] = chns[j - 1];
		chns[j] = chn;
	}
}

void iio_device_sort_channels(struct iio_device *dev)
{
	unsigned int i;

	sort_channels(dev->channels, dev->nb_channels);
	for (i = 0; i < dev->nb_channels; i++)
		dev->channels[i]->number = i;
	for (i = 0; i < dev->nb_buffers; i++)
		sort_channels(dev->buffers[i]->scan_elements, dev->buffers[i]->nb_scan_elements);
}

void iio_device_free(struct iio_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nb_channels; i++)
		iio_channel_free(dev->channels[i]);
	for (i = 0; i < dev->nb_buffers; i++)
		iio_buffer_free(dev->buffers[i]);
	free(dev->channels);
	free(dev->buffers);
	iio_attr_list_free(&dev->attrs);
	iio_attr_list_free(&dev->debug_attrs);
	iio_attr_list_free(&dev->event_attrs);
	free(dev->id);
	free(dev->name);
	free(dev->label);
	free(dev);
}

const struct iio_context *iio_device_get_context(const struct iio_device *dev)
{
	return dev->ctx;
}

const char *iio_device_get_id(const struct iio_device *dev)
{
	return dev->id;
}

const char *iio_device_get_name(const struct iio_device *dev)
{
	return dev->name;
}

const char *iio_device_get_label(const struct iio_device *dev)
{
	return dev->label;
}

unsigned int iio_device_get_channels_count(const struct iio_device *dev)
{
	return dev->nb_channels;
}

unsigned int iio_device_get_attrs_count(const struct iio_device *dev)
{
	return dev->attrs.count;
}

unsigned int iio_device_get_buffers_count(const struct iio_device *dev)
{
	return dev->nb_buffers;
}

struct iio_channel *iio_device_get_channel(const struct iio_device *dev, unsigned int index)
{
	return index < dev->nb_channels ? dev->channels[index] : NULL;
}

const struct iio_attr *iio_device_get_attr(const struct iio_device *dev, unsigned int index)
{
	return iio_attr_list_get(&dev->attrs, index);
}

struct iio_buffer *iio_device_get_buffer(const struct iio_device *dev, unsigned int index)
{
	return index < dev->nb_buffers ? dev->buffers[index] : NULL;
}

struct iio_channel *iio_device_find_channel(const struct iio_device *dev, const char *name,
					    bool output)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < dev->nb_channels; i++) {
		struct iio_channel *chn = dev->channels[i];

		if (chn->is_output != output)
			continue;
		if (!strcmp(chn->id, name) || (chn->label && !strcmp(chn->label, name)) ||
		    (chn->name && !strcmp(chn->name, name)))
			return chn;
	}
	return NULL;
}

struct iio_channel *iio_device_lookup_channel(const struct iio_device *dev, const char *id,
					      bool output)
{
	unsigned int i;

	for (i = 0; i < dev->nb_channels; i++)
		if (dev->channels[i]->is_output == output && !strcmp(dev->channels[i]->id, id))
			return dev->channels[i];
	return NULL;
}

const struct iio_attr *iio_device_find_attr(const struct iio_device *dev, const char *name)
{
	return iio_attr_list_find(&dev->attrs, name);
}

void iio_device_set_data(struct iio_device *dev, void *data)
{
	dev->userdata = data;
}

void *iio_device_get_data(const struct iio_device *dev)
{
	return dev->userdata;
}

const struct iio_device *iio_device_get_trigger(const struct iio_device *dev)
{
	const struct iio_backend_ops *ops = dev->ctx->backend->ops;

	if (!ops->get_trigger)
		return iio_ptr(-ENOSYS);
	return ops->get_trigger(dev);
}

int iio_device_set_trigger(const struct iio_device *dev, const struct iio_device *trigger)
{
	const struct iio_backend_ops *ops = dev->ctx->backend->ops;

	if (trigger && !iio_device_is_trigger(trigger))
		return -EINVAL;
	if (!ops->set_trigger)
		return -ENOSYS;
	return ops->set_trigger(dev, trigger);
}

bool iio_device_is_trigger(const struct iio_device *dev)
{
	return dev->nb_channels == 0 && dev->name && !strncmp(dev->id, "trigger", 7);
}

unsigned int iio_device_get_event_attrs_count(const struct iio_device *dev)
{
	return dev->event_attrs.count;
}

const struct iio_attr *iio_device_get_event_attr(const struct iio_device *dev, unsigned int index)
{
	return iio_attr_list_get(&dev->event_attrs, index);
}

const struct iio_attr *iio_device_find_event_attr(const struct iio_device *dev, const char *name)
{
	return iio_attr_list_find(&dev->event_attrs, name);
}

unsigned int iio_device_get_debug_attrs_count(const struct iio_device *dev)
{
	return dev->debug_attrs.count;
}

const struct iio_attr *iio_device_get_debug_attr(const struct iio_device *dev, unsigned int index)
{
	return iio_attr_list_get(&dev->debug_attrs, index);
}

const struct iio_attr *iio_device_find_debug_attr(const struct iio_device *dev, const char *name)
{
	return iio_attr_list_find(&dev->debug_attrs, name);
}

int iio_device_reg_write(struct iio_device *dev, uint32_t address, uint32_t value)
{
	const struct iio_backend_ops *ops = dev->ctx->backend->ops;
	const struct iio_attr *attr;
	char buf[32];
	ssize_t ret;

	if (ops->reg_write) {
		ret = ops->reg_write(dev, address, value);
		if (ret != -ENOSYS)
			return (int)ret;
	}
	attr = iio_device_find_debug_attr(dev, "direct_reg_access");
	if (!attr)
		return -ENOENT;
	snprintf(buf, sizeof(buf), "0x%x 0x%x", address, value);
	ret = iio_attr_write_string(attr, buf);
	return ret < 0 ? (int)ret : 0;
}

int iio_device_reg_read(struct iio_device *dev, uint32_t address, uint32_t *value)
{
	const struct iio_backend_ops *ops = dev->ctx->backend->ops;
	const struct iio_attr *attr;
	long long v;
	int ret;

	if (!value)
		return -EINVAL;
	if (ops->reg_read) {
		ret = ops->reg_read(dev, address, value);
		if (ret != -ENOSYS)
			return ret;
	}
	attr = iio_device_find_debug_attr(dev, "direct_reg_access");
	if (!attr)
		return -ENOENT;
	ret = iio_attr_write_longlong(attr, (long long)address);
	if (ret < 0)
		return ret;
	ret = iio_attr_read_longlong(attr, &v);
	if (ret < 0)
		return ret;
	*value = (uint32_t)v;
	return 0;
}
