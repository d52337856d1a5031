// SPDX-License-Identifier: LGPL-2.1-or-later
/* Hardware buffers of a device: construction, attributes, scan elements. */
#include "attr-list.h"
#include "backend.h"

#include <stdlib.h>

iio_hidden void iio_buffer_free(struct iio_buffer *buf);

struct iio_buffer *iio_device_add_buffer(struct iio_device *dev, unsigned int index,
					 enum iio_buffer_direction direction)
{
	struct iio_buffer *buf, **bufs;

	if (index != dev->nb_buffers)
		return iio_ptr(-EINVAL); /* buffers are numbered without gaps */
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return iio_ptr(-ENOMEM);
	bufs = realloc(dev->buffers, (dev->nb_buffers + 1) * sizeof(*bufs));
	if (!bufs) {
		free(buf);
		return iio_ptr(-ENOMEM);
	}
	buf->dev = dev;
	buf->index = index;
	buf->direction = direction;
	dev->buffers = bufs;
	dev->buffers[dev->nb_buffers++] = buf;
	return buf;
}

int iio_buffer_add_attr(struct iio_buffer *buf, const char *name)
{
	union iio_pointer owner = { .buf = buf };

	return iio_attr_list_add(&buf->attrs, owner, IIO_ATTR_TYPE_BUFFER, name, NULL, NULL);
}

int iio_buffer_add_scan_element(struct iio_buffer *buf, struct iio_channel *chn)
{
	struct iio_channel **elems;
	unsigned int i;

	for (i = 0; i < buf->nb_scan_elements; i++)
		if (buf->scan_elements[i] == chn)
			return 0;
	elems = realloc(buf->scan_elements, (buf->nb_scan_elements + 1) * sizeof(*elems));
	if (!elems)
		return -ENOMEM;
	buf->scan_elements = elems;
	buf->scan_elements[buf->nb_scan_elements++] = chn;
	chn->is_scan_element = true;
	return 0;
}

void iio_buffer_free(struct iio_buffer *buf)
{
	iio_attr_list_free(&buf->attrs);
	free(buf->scan_elements);
	free(buf);
}

const struct iio_device *iio_buffer_get_device(const struct iio_buffer *buf)
{
	return buf->dev;
}

unsigned int iio_buffer_get_attrs_count(const struct iio_buffer *buf)
{
	return buf->attrs.count;
}

const struct iio_attr *iio_buffer_get_attr(const struct iio_buffer *buf, unsigned int index)
{
	return iio_attr_list_get(&buf->attrs, index);
}

const struct iio_attr *iio_buffer_find_attr(const struct iio_buffer *buf, const char *name)
{
	return iio_attr_list_find(&buf->attrs, name);
}

unsigned int iio_buffer_get_scan_elements_count(const struct iio_buffer *buf)
{
	return buf->nb_scan_elements;
}

const struct iio_channel *iio_buffer_get_scan_element(const struct iio_buffer *buf,
						      unsigned int index)
{
	return index < buf->nb_scan_elements ? buf->scan_elements[index] : NULL;
}

bool iio_buffer_is_output(const struct iio_buffer *buf)
{
	unsigned int i;

	if (buf->direction != IIO_BUFFER_DIRECTION_UNKNOWN)
		return buf->direction == IIO_BUFFER_DIRECTION_OUT;
	for (i = 0; i < buf->dev->nb_channels; i++)
		if (buf->dev->channels[i]->is_output && buf->dev->channels[i]->is_scan_element)
			return true;
	return false;
}

void iio_buffer_set_data(struct iio_buffer *buf, void *data)
{
	buf->userdata = data;
}

void *iio_buffer_get_data(const struct iio_buffer *buf)
{
	return buf->userdata;
}
