// SPDX-License-Identifier: LGPL-2.1-or-later
/* Attribute I/O: raw read/write through the backend, typed helpers, *_available parsing. */
#include "attr-list.h"
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct iio_context *iio_attr_get_context(const struct iio_attr *attr)
{
	switch (attr->type) {
	case IIO_ATTR_TYPE_CONTEXT:
		return attr->iio.ctx;
	case IIO_ATTR_TYPE_CHANNEL:
	case IIO_ATTR_TYPE_CHANNEL_EVENT:
		return attr->iio.chn->dev->ctx;
	case IIO_ATTR_TYPE_BUFFER:
		return attr->iio.buf->dev->ctx;
	default:
		return attr->iio.dev->ctx;
	}
}

const char *iio_attr_get_name(const struct iio_attr *attr)
{
	return attr->name;
}

const char *iio_attr_get_filename(const struct iio_attr *attr)
{
	return attr->filename;
}

const char *iio_attr_get_static_value(const struct iio_attr *attr)
{
	if (attr->type != IIO_ATTR_TYPE_CONTEXT)
		return NULL;
	return iio_attr_list_value(&attr->iio.ctx->attrs, attr);
}

ssize_t iio_attr_read_raw(const struct iio_attr *attr, char *dst, size_t len)
{
	const struct iio_context *ctx;

	if (!attr || !dst || !len)
		return -EINVAL;
	if (attr->type == IIO_ATTR_TYPE_CONTEXT) {
		const char *value = iio_attr_get_static_value(attr);

		if (!value)
			return -ENOENT;
		iio_strlcpy(dst, value, len);
		return (ssize_t)strlen(dst);
	}
	ctx = iio_attr_get_context(attr);
	if (!ctx->backend->ops->read_attr)
		return -ENOSYS;
	return ctx->backend->ops->read_attr(attr, dst, len);
}

ssize_t iio_attr_write_raw(const struct iio_attr *attr, const void *src, size_t len)
{
	const struct iio_context *ctx;

	if (!attr || (!src && len))
		return -EINVAL;
	if (attr->type == IIO_ATTR_TYPE_CONTEXT)
		return -EPERM;
	ctx = iio_attr_get_context(attr);
	if (!ctx->backend->ops->write_attr)
		return -ENOSYS;
	return ctx->backend->ops->write_attr(attr, src, len);
}

int iio_attr_read_longlong(const struct iio_attr *attr, long long *val)
{
	char buf[1024], *end;
	long long value;
	ssize_t ret;

	ret = iio_attr_read_raw(attr, buf, sizeof(buf));
	if (ret < 0)
		return (int)ret;
	errno = 0;
	value = strtoll(buf, &end, 0);
	if (end == buf || errno == ERANGE)
		return -EINVAL;
	*val = value;
	return 0;
}

int iio_attr_read_bool(const struct iio_attr *attr, bool *val)
{
	long long value;
	int ret = iio_attr_read_longlong(attr, &value);

	if (ret < 0)
		return ret;
	*val = !!value;
	return 0;
}

int iio_attr_read_double(const struct iio_attr *attr, double *val)
{
	char buf[1024], *end;
	double value;
	ssize_t ret;

	ret = iio_attr_read_raw(attr, buf, sizeof(buf));
	if (ret < 0)
		return (int)ret;
	errno = 0;
	value = iio_strtod_c(buf, &end);
	if (end == buf || errno == ERANGE)
		return -EINVAL;
	*val = value;
	return 0;
}

ssize_t iio_attr_write_string(const struct iio_attr *attr, const char *src)
{
	if (!src)
		return -EINVAL;
	return iio_attr_write_raw(attr, src, strlen(src) + 1);
}

static int write_text(const struct iio_attr *attr, const char *text)
{
	ssize_t ret = iio_attr_write_string(attr, text);

	return ret < 0 ? (int)ret : 0;
}

int iio_attr_write_bool(const struct iio_attr *attr, bool val)
{
	return write_text(attr, val ? "1" : "0");
}

int iio_attr_write_longlong(const struct iio_attr *attr, long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", val);
	return write_text(attr, buf);
}

int iio_attr_write_double(const struct iio_attr *attr, double val)
{
	char buf[1024];

	iio_format_double_c(buf, sizeof(buf), "%f", val);
	return write_text(attr, buf);
}

/* Only "*_available" attributes of devices/channels/context describe choices. */
static int check_available_attr(const struct iio_attr *attr)
{
	size_t len;

	if (!attr)
		return -EINVAL;
	len = strlen(attr->name);
	if (attr->type == IIO_ATTR_TYPE_BUFFER || len < 9 ||
	    strcmp(attr->name + len - 9, "available"))
		return -ENXIO;
	return 0;
}

int iio_attr_get_range(const struct iio_attr *attr, double *min, double *step, double *max)
{
	char buf[1024], *p, *end;
	double v[3];
	ssize_t ret;
	int i;

	ret = check_available_attr(attr);
	if (ret)
		return (int)ret;
	ret = iio_attr_read_raw(attr, buf, sizeof(buf));
	if (ret < 0)
		return (int)ret;

	p = buf;
	while (*p == ' ')
		p++;
	if (*p++ != '[')
		return -EOPNOTSUPP;
	for (i = 0; i < 3; i++) {
		v[i] = iio_strtod_c(p, &end);
		if (end == p)
			return -EOPNOTSUPP;
		p = end;
	}
	while (*p == ' ')
		p++;
	if (*p != ']')
		return -EOPNOTSUPP;
	if (min)
		*min = v[0];
	if (step)
		*step = v[1];
	if (max)
		*max = v[2];
	return 0;
}

static bool is_separator(char c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

int iio_attr_get_available_buf(const struct iio_attr *attr, char *buf, size_t buflen,
			       char **list, size_t *count)
{
	size_t capacity, n = 0;
	ssize_t ret;
	char *p;

	ret = check_available_attr(attr);
	if (ret)
		return (int)ret;
	if (!buf || !buflen || !count || (*count && !list))
		return -EINVAL;
	ret = iio_attr_read_raw(attr, buf, buflen);
	if (ret < 0)
		return (int)ret;

	p = buf;
	while (is_separator(*p))
		p++;
	if (*p == '[')
		return -EOPNOTSUPP;

	capacity = *count;
	while (*p) {
		if (n == capacity)
			return -ENOSPC;
		list[n++] = p;
		while (*p && !is_separator(*p))
			p++;
		if (*p)
			*p++ = '\0';
		while (is_separator(*p))
			p++;
	}
	*count = n;
	return 0;
}

int iio_attr_get_available(const struct iio_attr *attr, char ***list, size_t *count)
{
	char buf[4096];
	char *tokens[512];
	size_t n = ARRAY_SIZE(tokens), i;
	char **out;
	int ret;

	if (!list || !count)
		return -EINVAL;
	ret = iio_attr_get_available_buf(attr, buf, sizeof(buf), tokens, &n);
	if (ret)
		return ret;

	out = calloc(n ? n : 1, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		out[i] = strdup(tokens[i]);
		if (!out[i]) {
			iio_available_list_free(out, i);
			return -ENOMEM;
		}
	}
	*list = out;
	*count = n;
	return 0;
}

void iio_available_list_free(char **list, size_t count)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < count; i++)
		free(list[i]);
	free(list);
}
