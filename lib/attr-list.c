// SPDX-License-Identifier: LGPL-2.1-or-later
/* Sorted attribute lists: every object kind keeps its attributes in one. */
#include "attr-list.h"

#include <stdlib.h>
#include <string.h>

int iio_attr_list_add(struct iio_attr_list *list, union iio_pointer owner,
		      enum iio_attr_type type, const char *name, const char *filename,
		      const char *value)
{
	struct iio_attr *attrs;
	char **values = list->values;
	char *n, *f = NULL, *v = NULL;
	unsigned int pos;

	if (!name || !*name)
		return -EINVAL;
	/* The kernel never has two files of one name: a duplicate is a replacement. */
	for (pos = 0; pos < list->count; pos++) {
		int cmp = strcmp(list->attrs[pos].name, name);

		if (cmp == 0) {
			if (value) {
				v = strdup(value);
				if (!v)
					return -ENOMEM;
				if (list->values) {
					free(list->values[pos]);
					list->values[pos] = v;
				} else {
					free(v);
				}
			}
			return 0;
		}
		if (cmp > 0)
			break;
	}

	n = strdup(name);
	if (filename && strcmp(filename, name))
		f = strdup(filename);
	if (value)
		v = strdup(value);
	if (!n || (filename && strcmp(filename, name) && !f) || (value && !v))
		goto err_nomem;

	attrs = realloc(list->attrs, (list->count + 1) * sizeof(*attrs));
	if (!attrs)
		goto err_nomem;
	list->attrs = attrs;
	if (value || values) {
		values = realloc(values, (list->count + 1) * sizeof(*values));
		if (!values)
			goto err_nomem;
		if (!list->values)
			memset(values, 0, list->count * sizeof(*values));
		list->values = values;
		memmove(&values[pos + 1], &values[pos], (list->count - pos) * sizeof(*values));
		values[pos] = v;
	}
	memmove(&attrs[pos + 1], &attrs[pos], (list->count - pos) * sizeof(*attrs));
	attrs[pos] = (struct iio_attr){
		.iio = owner,
		.type = type,
		.name = n,
		.filename = f ? f : n,
	};
	list->count++;
	return 0;

err_nomem:
	free(n);
	free(f);
	free(v);
	return -ENOMEM;
}

const struct iio_attr *iio_attr_list_find(const struct iio_attr_list *list, const char *name)
{
	unsigned int lo = 0, hi = list->count;

	if (!name)
		return NULL;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int cmp = strcmp(list->attrs[mid].name, name);

		if (!cmp)
			return &list->attrs[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct iio_attr *iio_attr_list_get(const struct iio_attr_list *list, unsigned int index)
{
	return index < list->count ? &list->attrs[index] : NULL;
}

const char *iio_attr_list_value(const struct iio_attr_list *list, const struct iio_attr *attr)
{
	if (!list->values || attr < list->attrs || attr >= list->attrs + list->count)
		return NULL;
	return list->values[attr - list->attrs];
}

static void free_entry(struct iio_attr_list *list, unsigned int i)
{
	struct iio_attr *attr = &list->attrs[i];

	if (attr->filename != attr->name)
		free((char *)attr->filename);
	free((char *)attr->name);
	if (list->values)
		free(list->values[i]);
}

void iio_attr_list_remove(struct iio_attr_list *list, const char *name)
{
	const struct iio_attr *attr = iio_attr_list_find(list, name);
	unsigned int i;

	if (!attr)
		return;
	i = (unsigned int)(attr - list->attrs);
	free_entry(list, i);
	memmove(&list->attrs[i], &list->attrs[i + 1], (list->count - i - 1) * sizeof(*attr));
	if (list->values)
		memmove(&list->values[i], &list->values[i + 1],
			(list->count - i - 1) * sizeof(*list->values));
	list->count--;
}

void iio_attr_list_free(struct iio_attr_list *list)
{
	unsigned int i;

	for (i = 0; i < list->count; i++)
		free_entry(list, i);
	free(list->attrs);
	free(list->values);
	*list = (struct iio_attr_list){ 0 };
}
