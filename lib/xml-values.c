// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The value= attributes of a context description, kept aside so the xml:
 * backend can answer attribute reads (an XML saved with values prints them).
 * Attributes live in sorted arrays that move while a context is built, so the
 * key is (owner object, attribute kind, name), never the attribute pointer.
 */
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct xml_value {
	uintptr_t owner;
	enum iio_attr_type type;
	unsigned int order; /* document order: the last of duplicates wins */
	char *name, *value;
};

struct iio_xml_values {
	struct xml_value *items;
	size_t count, capacity;
};

int iio_xml_values_add(struct iio_xml_values **values, const void *owner,
		       enum iio_attr_type type, const char *name, const char *value)
{
	struct iio_xml_values *v = *values;
	struct xml_value *item;

	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
		*values = v;
	}
	if (v->count == v->capacity) {
		size_t capacity = v->capacity ? v->capacity * 2 : 64;
		struct xml_value *items = realloc(v->items, capacity * sizeof(*items));

		if (!items)
			return -ENOMEM;
		v->items = items;
		v->capacity = capacity;
	}
	item = &v->items[v->count];
	item->owner = (uintptr_t)owner;
	item->type = type;
	item->order = (unsigned int)v->count;
	item->name = strdup(name);
	item->value = strdup(value);
	if (!item->name || !item->value) {
		free(item->name);
		free(item->value);
		return -ENOMEM;
	}
	v->count++;
	return 0;
}

static int compare_key(uintptr_t owner, enum iio_attr_type type, const char *name,
		       const struct xml_value *item)
{
	if (owner != item->owner)
		return owner < item->owner ? -1 : 1;
	if (type != item->type)
		return type < item->type ? -1 : 1;
	return strcmp(name, item->name);
}

static int compare_items(const void *a, const void *b)
{
	const struct xml_value *ia = a, *ib = b;
	int cmp = compare_key(ia->owner, ia->type, ia->name, ib);

	if (cmp)
		return cmp;
	return ia->order < ib->order ? -1 : ia->order > ib->order;
}

void iio_xml_values_finish(struct iio_xml_values *values)
{
	size_t i, kept = 0;

	if (!values || !values->count)
		return;
	qsort(values->items, values->count, sizeof(*values->items), compare_items);
	/* Keep only the last value given to each attribute. */
	for (i = 0; i < values->count; i++) {
		struct xml_value *item = &values->items[i];

		if (i + 1 < values->count &&
		    !compare_key(item->owner, item->type, item->name, &values->items[i + 1])) {
			free(item->name);
			free(item->value);
			continue;
		}
		values->items[kept++] = *item;
	}
	values->count = kept;
}

ssize_t iio_xml_values_read(const struct iio_xml_values *values, const struct iio_attr *attr,
			    char *dst, size_t len)
{
	size_t lo = 0, hi, size;

	if (!values)
		return -ENOENT;
	hi = values->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct xml_value *item = &values->items[mid];
		int cmp = compare_key((uintptr_t)attr->iio.ctx, attr->type, attr->name, item);

		if (!cmp) {
			size = strlen(item->value) + 1;
			if (size > len)
				return -EFBIG;
			memcpy(dst, item->value, size);
			return (ssize_t)size;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -ENOENT;
}

void iio_xml_values_free(struct iio_xml_values *values)
{
	size_t i;

	if (!values)
		return;
	for (i = 0; i < values->count; i++) {
		free(values->items[i].name);
		free(values->items[i].value);
	}
	free(values->items);
	free(values);
}
