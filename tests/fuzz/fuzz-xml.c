// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The XML context reader on arbitrary bytes (plain or zstd), through the whole
 * xml: backend: the input is written to a memfd and opened as
 * "xml:/proc/self/fd/N", like a file given on the command line.
 *
 * When a context comes out, everything a user would touch is touched: every
 * attribute read (values come from the document) and parsed as a number, a
 * range and a list; every scan element's format printed and a sample
 * converted both ways; the sample size of all scan elements; event ids mapped
 * to channels. Then the context is written back to XML, which must read again
 * into a context of the same shape.
 */
#include "fuzz.h"
#include "xml.h"

#include <sys/mman.h>
#include <unistd.h>

/* Bytes of sample memory given to the converter (larger samples are skipped). */
#define MAX_SAMPLE_BYTES 65536

static uint8_t sample_in[MAX_SAMPLE_BYTES], sample_out[MAX_SAMPLE_BYTES];

static void touch_attr(const struct iio_attr *attr)
{
	char buf[512], *list[16], **alloc_list;
	size_t count = ARRAY_SIZE(list);
	double min, step, max, d;
	long long ll;
	ssize_t ret;
	bool b;

	FUZZ_CHECK(attr != NULL);
	FUZZ_CHECK(iio_attr_get_name(attr) != NULL);
	(void)iio_attr_get_filename(attr);
	(void)iio_attr_get_static_value(attr);
	ret = iio_attr_read_raw(attr, buf, sizeof(buf));
	if (ret >= 0) {
		FUZZ_CHECK((size_t)ret <= sizeof(buf));
		FUZZ_CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
	}
	(void)iio_attr_read_longlong(attr, &ll);
	(void)iio_attr_read_double(attr, &d);
	(void)iio_attr_read_bool(attr, &b);
	(void)iio_attr_get_range(attr, &min, &step, &max);
	if (!iio_attr_get_available_buf(attr, buf, sizeof(buf), list, &count))
		FUZZ_CHECK(count <= ARRAY_SIZE(list));
	if (!iio_attr_get_available(attr, &alloc_list, &count))
		iio_available_list_free(alloc_list, count);
}

static void touch_format(const struct iio_channel *chn, const uint8_t *data, size_t size)
{
	const struct iio_data_format *fmt = iio_channel_get_data_format(chn);
	struct iio_data_format again = {0};
	size_t bytes, i;
	char text[64];
	int len;

	FUZZ_CHECK(fmt != NULL);
	len = iio_data_format_print(fmt, text, sizeof(text));
	FUZZ_CHECK(len > 0 && (size_t)len < sizeof(text));
	/* What the reader accepted prints to something it accepts again. */
	FUZZ_CHECK(iio_data_format_parse(&again, text) == 0);

	bytes = (size_t)(fmt->length / 8) * (fmt->repeat ? fmt->repeat : 1);
	if (!bytes || bytes > MAX_SAMPLE_BYTES)
		return;
	for (i = 0; i < bytes; i++)
		sample_in[i] = size ? data[i % size] : (uint8_t)i;
	iio_channel_convert(chn, sample_out, sample_in);
	iio_channel_convert_inverse(chn, sample_in, sample_out);
}

static void touch_channel(const struct iio_device *dev, const struct iio_channel *chn,
			  const uint8_t *data, size_t size)
{
	unsigned int i;

	FUZZ_CHECK(iio_channel_get_device(chn) == dev);
	FUZZ_CHECK(iio_channel_get_id(chn) != NULL);
	(void)iio_channel_get_name(chn);
	(void)iio_channel_get_label(chn);
	(void)iio_channel_get_type(chn);
	(void)iio_channel_get_modifier(chn);
	(void)iio_channel_get_index(chn);
	for (i = 0; i < iio_channel_get_attrs_count(chn); i++)
		touch_attr(iio_channel_get_attr(chn, i));
	for (i = 0; i < iio_channel_get_event_attrs_count(chn); i++)
		touch_attr(iio_channel_get_event_attr(chn, i));
	if (iio_channel_is_scan_element(chn))
		touch_format(chn, data, size);
}

static void touch_device(const struct iio_context *ctx, const struct iio_device *dev,
			 const uint8_t *data, size_t size)
{
	unsigned int i, nb = iio_device_get_channels_count(dev);
	struct iio_channels_mask *mask;
	struct iio_event event;
	const struct iio_buffer *buf;

	FUZZ_CHECK(iio_device_get_context(dev) == ctx);
	FUZZ_CHECK(iio_device_get_id(dev) != NULL);
	(void)iio_device_get_name(dev);
	(void)iio_device_get_label(dev);
	(void)iio_device_is_trigger(dev);
	for (i = 0; i < iio_device_get_attrs_count(dev); i++)
		touch_attr(iio_device_get_attr(dev, i));
	for (i = 0; i < iio_device_get_debug_attrs_count(dev); i++)
		touch_attr(iio_device_get_debug_attr(dev, i));
	for (i = 0; i < iio_device_get_event_attrs_count(dev); i++)
		touch_attr(iio_device_get_event_attr(dev, i));
	for (i = 0; i < iio_device_get_buffers_count(dev); i++) {
		unsigned int j;

		buf = iio_device_get_buffer(dev, i);
		FUZZ_CHECK(buf && iio_buffer_get_device(buf) == dev);
		for (j = 0; j < iio_buffer_get_attrs_count(buf); j++)
			touch_attr(iio_buffer_get_attr(buf, j));
	}
	for (i = 0; i < nb; i++)
		touch_channel(dev, iio_device_get_channel(dev, i), data, size);

	mask = iio_create_channels_mask(nb);
	if (mask) {
		for (i = 0; i < nb; i++) {
			const struct iio_channel *chn = iio_device_get_channel(dev, i);

			if (iio_channel_is_scan_element(chn))
				iio_channel_enable(chn, mask);
		}
		(void)iio_device_get_sample_size(dev, mask);
		iio_channels_mask_destroy(mask);
	}

	/* Event ids naming channels by type, index and modifier: taken from the input. */
	if (size >= 8) {
		memcpy(&event.id, data, sizeof(event.id));
		event.timestamp = 0;
		(void)iio_event_get_channel(&event, dev, false);
		(void)iio_event_get_channel(&event, dev, true);
	}
}

/*
 * Devices, and channels and attributes per device, in order. Buffers: the
 * writer leaves out those without scan elements (a <buffer> must list
 * channels), so only the others must come back, at the same index.
 */
/* Known bug (crashers/xml/writer-del-becomes-question-mark): DEL is written as '?'. */
static bool same_text(const char *a, const char *b)
{
	if (!fuzz_ignore_known())
		return !strcmp(a, b);
	for (; *a && (*a == *b || (*a == 0x7f && *b == '?')); a++, b++)
		;
	return *a == *b;
}

static void print_devices(const char *what, const struct iio_context *ctx)
{
	unsigned int i;

	fprintf(stderr, "%s:", what);
	for (i = 0; i < iio_context_get_devices_count(ctx); i++)
		fprintf(stderr, " '%s'", iio_device_get_id(iio_context_get_device(ctx, i)));
	fprintf(stderr, "\n");
}

static void check_same_shape(const struct iio_context *a, const struct iio_context *b)
{
	unsigned int i, j, nb = iio_context_get_devices_count(a);

	if (getenv("FUZZ_LOG")) {
		print_devices("read", a);
		print_devices("read back", b);
	}
	FUZZ_CHECK(iio_context_get_devices_count(b) == nb);
	for (i = 0; i < nb; i++) {
		const struct iio_device *da = iio_context_get_device(a, i);
		const struct iio_device *db = iio_context_get_device(b, i);

		FUZZ_CHECK(same_text(iio_device_get_id(da), iio_device_get_id(db)));
		FUZZ_CHECK(iio_device_get_channels_count(da) == iio_device_get_channels_count(db));
		FUZZ_CHECK(iio_device_get_attrs_count(da) == iio_device_get_attrs_count(db));
		for (j = 0; j < iio_device_get_buffers_count(da); j++) {
			const struct iio_buffer *ba = iio_device_get_buffer(da, j), *bb;

			if (!ba->nb_scan_elements)
				continue;
			bb = iio_device_get_buffer(db, j);
			FUZZ_CHECK(bb && bb->nb_scan_elements == ba->nb_scan_elements);
		}
	}
}

/* The document as a file given to the xml: backend (a memfd: nothing on disk). */
static struct iio_context *open_xml(const struct iio_context_params *params, const void *data,
				    size_t size)
{
	struct iio_context *ctx;
	char uri[64];
	int fd;

	fd = memfd_create("fuzz-xml", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(uri, sizeof(uri), "xml:/proc/self/fd/%d", fd);
	ctx = iio_create_context(params, uri);
	close(fd);
	return ctx;
}

static void round_trip(const struct iio_context *ctx, const struct iio_context_params *params)
{
	struct iio_context *again;
	char *xml = iio_context_get_xml(ctx);

	if (iio_err(xml) == -ENOMEM)
		return;
	FUZZ_CHECK(!iio_err(xml));
	again = open_xml(params, xml, strlen(xml));
	if (iio_err(again)) {
		fprintf(stderr, "fuzz-xml: the writer's output does not read back (%d):\n%s\n",
			iio_err(again), xml);
		abort();
	}
	check_same_shape(ctx, again);
	iio_context_destroy(again);
	free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iio_context_params params = fuzz_params();
	struct iio_context *ctx;
	unsigned int i;

	ctx = open_xml(&params, data, size);
	if (iio_err(ctx))
		return 0;

	FUZZ_CHECK(iio_context_get_name(ctx) != NULL);
	FUZZ_CHECK(iio_context_get_description(ctx) != NULL);
	(void)iio_context_get_version_tag(ctx);
	for (i = 0; i < iio_context_get_attrs_count(ctx); i++)
		touch_attr(iio_context_get_attr(ctx, i));
	for (i = 0; i < iio_context_get_devices_count(ctx); i++)
		touch_device(ctx, iio_context_get_device(ctx, i), data, size);
	round_trip(ctx, &params);
	iio_context_destroy(ctx);
	return 0;
}
