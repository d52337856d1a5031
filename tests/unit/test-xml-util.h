/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the XML unit tests: files, and an object-by-object context comparison. */
#ifndef IIO_TESTS_TEST_XML_UTIL_H
#define IIO_TESTS_TEST_XML_UTIL_H

#include "check.h"
#include "xml.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The real documents of spec/xml.md; IIO_XML_FIXTURES overrides the directory. */
static inline const char *xml_fixtures_dir(void)
{
	const char *dir = getenv("IIO_XML_FIXTURES");

	return dir ? dir : IIO_XML_FIXTURES_DIR;
}

static inline char *xml_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long size;

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	CHECK(fseek(f, 0, SEEK_END) == 0);
	size = ftell(f);
	CHECK(size >= 0);
	rewind(f);
	data = malloc((size_t)size + 1);
	CHECK(data);
	CHECK(fread(data, 1, (size_t)size, f) == (size_t)size);
	data[size] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)size;
	return data;
}

static inline void xml_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f);
	CHECK(fwrite(data, 1, len, f) == len);
	CHECK(fclose(f) == 0);
}

/* The *.xml files of the fixtures directory, sorted; NULL-terminated, malloc'd. */
static inline char **xml_fixture_paths(unsigned int *count)
{
	const char *dir = xml_fixtures_dir();
	struct dirent **entries;
	char **paths;
	int i, n, k = 0;

	n = scandir(dir, &entries, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "cannot list the XML fixtures in %s\n", dir);
		exit(1);
	}
	paths = calloc((size_t)n + 1, sizeof(*paths));
	CHECK(paths);
	for (i = 0; i < n; i++) {
		size_t len = strlen(entries[i]->d_name);

		if (len > 4 && !strcmp(entries[i]->d_name + len - 4, ".xml"))
			CHECK(asprintf(&paths[k++], "%s/%s", dir, entries[i]->d_name) > 0);
		free(entries[i]);
	}
	free(entries);
	*count = (unsigned int)k;
	return paths;
}

static inline void xml_free_paths(char **paths)
{
	unsigned int i;

	for (i = 0; paths[i]; i++)
		free(paths[i]);
	free(paths);
}

static inline bool xml_str_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static inline void xml_compare_attr_lists(const struct iio_attr_list *a,
					  const struct iio_attr_list *b, const char *what)
{
	unsigned int i;

	if (a->count != b->count) {
		fprintf(stderr, "%s: %u attributes vs %u\n", what, a->count, b->count);
		exit(1);
	}
	for (i = 0; i < a->count; i++) {
		CHECK_STR(a->attrs[i].name, b->attrs[i].name);
		CHECK_STR(a->attrs[i].filename, b->attrs[i].filename);
		CHECK_INT(a->attrs[i].type, b->attrs[i].type);
	}
}

static inline void xml_compare_channels(const struct iio_channel *a, const struct iio_channel *b)
{
	const struct iio_data_format *fa = &a->format, *fb = &b->format;

	CHECK_STR(a->id, b->id);
	CHECK(xml_str_equal(a->name, b->name));
	CHECK(xml_str_equal(a->label, b->label));
	CHECK_INT(a->is_output, b->is_output);
	CHECK_INT(a->is_scan_element, b->is_scan_element);
	CHECK_INT(a->index, b->index);
	CHECK_INT(a->number, b->number);
	CHECK_INT(a->type, b->type);
	CHECK_INT(a->modifier, b->modifier);
	if (a->is_scan_element) {
		CHECK_INT(fa->length, fb->length);
		CHECK_INT(fa->bits, fb->bits);
		CHECK_INT(fa->shift, fb->shift);
		CHECK_INT(fa->repeat, fb->repeat);
		CHECK_INT(fa->is_signed, fb->is_signed);
		CHECK_INT(fa->is_fully_defined, fb->is_fully_defined);
		CHECK_INT(fa->is_be, fb->is_be);
		CHECK_INT(fa->with_scale, fb->with_scale);
		/* The XML carries the scale with 6 decimals ("%f"). */
		CHECK(fabs(fa->scale - fb->scale) <= 5e-7);
	}
	xml_compare_attr_lists(&a->attrs, &b->attrs, a->id);
	xml_compare_attr_lists(&a->event_attrs, &b->event_attrs, a->id);
}

/* Everything the XML describes must be equal; buffers also by their scan elements' ids. */
static inline void xml_compare_contexts(const struct iio_context *a, const struct iio_context *b)
{
	unsigned int i, j, k;

	CHECK_STR(a->name, b->name);
	CHECK_STR(a->description, b->description);
	CHECK_INT(a->version_major, b->version_major);
	CHECK_INT(a->version_minor, b->version_minor);
	CHECK_STR(iio_context_get_version_tag(a), iio_context_get_version_tag(b));
	xml_compare_attr_lists(&a->attrs, &b->attrs, "context");
	for (i = 0; i < a->attrs.count; i++)
		CHECK_STR(a->attrs.values[i], b->attrs.values[i]);

	CHECK_INT(a->nb_devices, b->nb_devices);
	for (i = 0; i < a->nb_devices; i++) {
		const struct iio_device *da = a->devices[i], *db = b->devices[i];

		CHECK_STR(da->id, db->id);
		CHECK(xml_str_equal(da->name, db->name));
		CHECK(xml_str_equal(da->label, db->label));
		xml_compare_attr_lists(&da->attrs, &db->attrs, da->id);
		xml_compare_attr_lists(&da->debug_attrs, &db->debug_attrs, da->id);
		xml_compare_attr_lists(&da->event_attrs, &db->event_attrs, da->id);
		CHECK_INT(da->nb_channels, db->nb_channels);
		for (j = 0; j < da->nb_channels; j++)
			xml_compare_channels(da->channels[j], db->channels[j]);
		CHECK_INT(da->nb_buffers, db->nb_buffers);
		for (j = 0; j < da->nb_buffers; j++) {
			const struct iio_buffer *ba = da->buffers[j], *bb = db->buffers[j];

			CHECK_INT(ba->index, bb->index);
			CHECK_INT(ba->direction, bb->direction);
			xml_compare_attr_lists(&ba->attrs, &bb->attrs, da->id);
			CHECK_INT(ba->nb_scan_elements, bb->nb_scan_elements);
			for (k = 0; k < ba->nb_scan_elements; k++) {
				CHECK_STR(ba->scan_elements[k]->id, bb->scan_elements[k]->id);
				CHECK_INT(ba->scan_elements[k]->is_output,
					  bb->scan_elements[k]->is_output);
			}
		}
	}
}

#endif /* IIO_TESTS_TEST_XML_UTIL_H */
