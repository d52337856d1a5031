// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Hardware buffers (local.md §6): buffer/ + scan_elements/ for buffer 0,
 * bufferN/ for the others; scan element files give channels their index,
 * their sample format and the _en file the streaming code writes.
 */
#include "local.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct iio_channel_pdata *local_channel_pdata(struct iio_channel *chn)
{
	if (!chn->pdata)
		chn->pdata = calloc(1, sizeof(*chn->pdata));
	return chn->pdata;
}

static int read_format(struct iio_channel *chn, const char *relpath)
{
	char text[64];
	ssize_t ret;

	ret = local_read_dev_file(chn->dev, relpath, text, sizeof(text));
	if (ret < 0) {
		chn_perror(chn, ret, "Unable to read the scan format from %s", relpath);
		return (int)ret;
	}
	ret = iio_data_format_parse(&chn->format, text);
	if (ret < 0)
		chn_err(chn, "Invalid scan format '%s' in %s\n", text, relpath);
	return (int)ret;
}

int local_refresh_format(struct iio_channel *chn)
{
	if (!chn->is_scan_element)
		return -EINVAL;
	if (!chn->pdata || !chn->pdata->type_path)
		return -ENOENT;
	/* iio_data_format_parse keeps scale and offset. */
	return read_format(chn, chn->pdata->type_path);
}

static int read_index(struct iio_channel *chn, const char *relpath)
{
	char text[32], *end;
	long long index;
	ssize_t ret;

	ret = local_read_dev_file(chn->dev, relpath, text, sizeof(text));
	if (ret < 0) {
		chn_perror(chn, ret, "Unable to read the scan index from %s", relpath);
		return (int)ret;
	}
	errno = 0;
	index = strtoll(text, &end, 0);
	if (end == text || *end || errno || index < 0 || index > LONG_MAX) {
		chn_err(chn, "Invalid scan index '%s' in %s\n", text, relpath);
		return -EINVAL;
	}
	chn->index = (long)index;
	return 0;
}

static int remember_enable_file(struct iio_buffer *buf, struct iio_channel *chn,
				const char *relpath)
{
	struct iio_buffer_pdata *pdata = buf->pdata;
	struct local_scan_element *elements;
	char *copy;
	int ret;

	ret = iio_buffer_add_scan_element(buf, chn);
	if (ret < 0)
		return ret;
	copy = strdup(relpath);
	elements = realloc(pdata->elements, (pdata->nb_elements + 1) * sizeof(*elements));
	if (!copy || !elements) {
		free(copy);
		if (elements)
			pdata->elements = elements;
		return -ENOMEM;
	}
	pdata->elements = elements;
	pdata->elements[pdata->nb_elements++] = (struct local_scan_element){
		.chn = chn,
		.en_path = copy,
	};
	return 0;
}

static int add_scan_file(struct iio_buffer *buf, const char *scan_dir, const char *filename,
			 enum local_scan_file kind)
{
	struct iio_device *dev = buf->dev;
	bool output = local_name_is_output(filename);
	struct iio_channel_pdata *pdata;
	struct iio_channel *chn;
	char id[NAME_MAX + 1], relpath[PATH_MAX];
	int ret;

	ret = local_channel_id(filename, false, id, sizeof(id));
	if (ret < 0)
		return ret;
	if (snprintf(relpath, sizeof(relpath), "%s/%s", scan_dir, filename) >= (int)sizeof(relpath))
		return -ENAMETOOLONG;

	/* Channels with nothing but scan elements (e.g. "timestamp") start here. */
	chn = iio_device_lookup_channel(dev, id, output);
	if (!chn) {
		chn = local_new_channel(dev, id, output);
		ret = iio_err(chn);
		if (ret < 0)
			return ret;
	}
	chn->is_scan_element = true;

	switch (kind) {
	case LOCAL_SCAN_EN:
		return remember_enable_file(buf, chn, relpath);
	case LOCAL_SCAN_INDEX:
		return read_index(chn, relpath);
	case LOCAL_SCAN_TYPE:
		pdata = local_channel_pdata(chn);
		if (!pdata)
			return -ENOMEM;
		/* A channel in several buffers has one format: read it once. */
		if (pdata->type_path)
			return 0;
		pdata->type_path = strdup(relpath);
		if (!pdata->type_path)
			return -ENOMEM;
		return read_format(chn, relpath);
	default:
		return 0;
	}
}

static enum iio_buffer_direction read_direction(struct iio_device *dev, const char *dir)
{
	char relpath[PATH_MAX], text[16];

	snprintf(relpath, sizeof(relpath), "%s/direction", dir);
	if (local_read_dev_file(dev, relpath, text, sizeof(text)) < 0)
		return IIO_BUFFER_DIRECTION_UNKNOWN;
	return strcmp(text, "in") ? IIO_BUFFER_DIRECTION_OUT : IIO_BUFFER_DIRECTION_IN;
}

/* Scan element files of scan_dir; other files are buffer attributes when attrs is set. */
static int read_buffer_dir(struct iio_buffer *buf, const char *dir, bool scan_files,
			   bool attrs)
{
	struct local_dir_list files;
	char path[PATH_MAX];
	unsigned int i;
	int ret;

	ret = local_device_path(buf->dev, path, sizeof(path), "%s", dir);
	if (ret < 0)
		return ret;
	ret = local_list_dir(path, false, &files);
	if (ret == -ENOENT && !attrs)
		return 0; /* a buffer without scan_elements/ */
	if (ret < 0) {
		dev_perror(buf->dev, ret, "Unable to list %s", path);
		return ret;
	}

	for (i = 0; i < files.count && !ret; i++) {
		const char *name = files.names[i];
		enum local_scan_file kind = scan_files ? local_scan_file_kind(name)
						       : LOCAL_SCAN_NONE;

		if (kind != LOCAL_SCAN_NONE)
			ret = add_scan_file(buf, dir, name, kind);
		else if (attrs && !local_is_reserved_buffer_file(name))
			ret = iio_buffer_add_attr(buf, name);
	}
	local_dir_list_free(&files);
	return ret;
}

static int add_buffer(struct iio_device *dev, unsigned int index, const char *dir)
{
	struct iio_buffer *buf;
	int ret;

	buf = iio_device_add_buffer(dev, index, read_direction(dev, dir));
	ret = iio_err(buf);
	if (ret < 0)
		return ret;
	buf->pdata = calloc(1, sizeof(*buf->pdata));
	if (!buf->pdata)
		return -ENOMEM;
	buf->pdata->dir = strdup(dir);
	if (!buf->pdata->dir)
		return -ENOMEM;

	/* buffer0/ mirrors buffer/ + scan_elements/, which older kernels only have. */
	if (index == 0) {
		ret = read_buffer_dir(buf, dir, false, true);
		if (!ret)
			ret = read_buffer_dir(buf, "scan_elements", true, false);
		return ret;
	}
	return read_buffer_dir(buf, dir, true, true);
}

int local_add_buffers(struct iio_device *dev)
{
	char path[PATH_MAX], dir[32];
	unsigned int index;
	int ret;

	ret = local_device_path(dev, path, sizeof(path), "buffer");
	if (ret < 0)
		return ret;
	if (!local_is_dir(path))
		return 0;
	ret = add_buffer(dev, 0, "buffer");

	/* Buffers are numbered without gaps: stop at the first missing one. */
	for (index = 1; !ret; index++) {
		snprintf(dir, sizeof(dir), "buffer%u", index);
		ret = local_device_path(dev, path, sizeof(path), "%s", dir);
		if (ret < 0 || !local_is_dir(path))
			break;
		ret = add_buffer(dev, index, dir);
	}
	return ret < 0 ? ret : 0;
}
