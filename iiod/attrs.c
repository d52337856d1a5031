// SPDX-License-Identifier: LGPL-2.1-or-later
/* Attribute access shared by the ASCII and binary protocols. */
#include "server.h"

#include <stdlib.h>

ssize_t iiod_attr_read(const struct iio_attr *attr, char *buf)
{
	ssize_t ret = iio_attr_read_raw(attr, buf, IIOD_ATTR_BUF_SIZE);

	/* A backend reporting more than it could store must not make us send garbage. */
	if (ret > IIOD_ATTR_BUF_SIZE)
		return -EFBIG;
	return ret;
}

int iiod_attrs_read_all(const struct iio_attr *(*get)(const void *obj, unsigned int i),
			const void *obj, unsigned int count, struct iiod_attr_block *out)
{
	char *buf = malloc(IIOD_ATTR_BUF_SIZE);
	unsigned int i;
	ssize_t ret;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < count && !err; i++) {
		ret = iiod_attr_read(get(obj, i), buf);
		/* A failed attribute is an entry with its error, not a failed request. */
		err = iiod_attr_block_add(out, buf, ret ? ret : 0);
	}
	free(buf);
	return err;
}

struct write_all_ctx {
	const struct iio_attr *(*get)(const void *obj, unsigned int i);
	const void *obj;
	unsigned int count;
};

static int check_one(unsigned int index, const char *value, size_t len, void *d)
{
	struct write_all_ctx *w = d;

	(void)value, (void)len;
	return index < w->count ? 0 : -EINVAL;
}

static int write_one(unsigned int index, const char *value, size_t len, void *d)
{
	struct write_all_ctx *w = d;
	ssize_t ret;

	if (index >= w->count)
		return -EINVAL;
	ret = iio_attr_write_raw(w->get(w->obj, index), value, len);
	return ret < 0 ? (int)ret : 0;
}

ssize_t iiod_attrs_write_all(const struct iio_attr *(*get)(const void *obj, unsigned int i),
			     const void *obj, unsigned int count, const char *data, size_t len)
{
	struct write_all_ctx w = {.get = get, .obj = obj, .count = count};
	/* Nothing is written unless the whole block is well formed. */
	int ret = iiod_attr_block_parse(data, len, check_one, &w);

	if (!ret)
		ret = iiod_attr_block_parse(data, len, write_one, &w);

	return ret ? ret : (ssize_t)len;
}
