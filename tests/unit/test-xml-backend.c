// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The xml: backend: files and in-memory documents, zstd-compressed files,
 * values read back from a document saved with IIO_CTX_XML_INCLUDE_VALUES,
 * refused writes, and errors that name the file.
 */
#include "test-xml-util.h"

#if WITH_XML_BACKEND

#include <unistd.h>
#if WITH_ZSTD
#include <zstd.h>
#endif

/* An in-memory document: one value given, one not, and its own uri. */
#define HEAD_DOC                                                                        \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><context name=\"ip\">"              \
	"<context-attribute name=\"uri\" value=\"ip:1.2.3.4\"/><device id=\"iio:device0\">" \
	"<attribute name=\"a\"/><attribute name=\"b\" value=\"42\"/>"                      \
	"<attribute name=\"c\" value=\"ERROR:-22\"/><channel id=\"voltage0\">"             \
	"<scan-element index=\"0\" format=\"le:s16/16&gt;&gt;0\"/>"                       \
	"<attribute name=\"scale\" value=\"2\"/></channel></device></context>"

static char tmpdir[] = "/tmp/test-xml-backend-XXXXXX";
static char last_log[4096];

/* The "live" values of a pretend local context. */
static ssize_t live_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	char value[128];

	if (!strcmp(attr->name, "broken"))
		return -EIO;
	if (!strcmp(attr->name, "scale"))
		snprintf(value, sizeof(value), "0.5");
	else
		snprintf(value, sizeof(value), "%s=%d", attr->filename, (int)attr->type);
	if (strlen(value) + 1 > len)
		return -EFBIG;
	strcpy(dst, value);
	return (ssize_t)strlen(value) + 1;
}

static const struct iio_backend_ops live_ops = { .read_attr = live_read_attr };
static const struct iio_backend live = {
	.name = "local",
	.uri_prefix = "live:",
	.ops = &live_ops,
};

/* Reads nothing, like the xml: backend while the context is created. */
static const struct iio_backend_ops bare_ops = { 0 };
static const struct iio_backend bare = {
	.name = "xml",
	.uri_prefix = "bare:",
	.ops = &bare_ops,
};

static struct iio_context *build_live(void)
{
	struct iio_context *ctx = iio_context_new(&live, NULL, "a test board");
	struct iio_device *dev;
	struct iio_channel *chn;
	struct iio_buffer *buf;

	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_add_attr(ctx, "uri", "local:"), 0);
	dev = iio_context_add_device(ctx, "iio:device0", "adc", "main-adc");
	CHECK(!iio_err(dev));
	chn = iio_device_add_channel(dev, "voltage0", false, 0);
	CHECK(!iio_err(chn));
	CHECK_INT(iio_data_format_parse(&chn->format, "le:s12/16>>4"), 0);
	CHECK_INT(iio_channel_add_attr(chn, "raw", "in_voltage0_raw", IIO_ATTR_TYPE_CHANNEL), 0);
	CHECK_INT(iio_channel_add_attr(chn, "scale", "in_voltage_scale", IIO_ATTR_TYPE_CHANNEL), 0);
	CHECK_INT(iio_channel_add_attr(chn, "thresh_rising_en", "in_voltage0_thresh_rising_en",
				       IIO_ATTR_TYPE_CHANNEL_EVENT), 0);
	chn = iio_device_add_channel(dev, "temp0", false, -1);
	CHECK(!iio_err(chn));
	CHECK_INT(iio_channel_add_attr(chn, "input", "in_temp0_input", IIO_ATTR_TYPE_CHANNEL), 0);
	buf = iio_device_add_buffer(dev, 0, IIO_BUFFER_DIRECTION_IN);
	CHECK(!iio_err(buf));
	CHECK_INT(iio_buffer_add_attr(buf, "watermark"), 0);
	CHECK_INT(iio_buffer_add_scan_element(buf, dev->channels[0]), 0);
	CHECK_INT(iio_device_add_attr(dev, "sampling_frequency", NULL, IIO_ATTR_TYPE_DEVICE), 0);
	CHECK_INT(iio_device_add_attr(dev, "broken", NULL, IIO_ATTR_TYPE_DEVICE), 0);
	CHECK_INT(iio_device_add_attr(dev, "direct_reg_access", NULL, IIO_ATTR_TYPE_DEBUG), 0);
	CHECK_INT(iio_device_add_attr(dev, "events_enabled", NULL, IIO_ATTR_TYPE_DEVICE_EVENT), 0);
	CHECK_INT(iio_context_init(ctx), 0);
	ctx->params.flags |= IIO_CTX_XML_INCLUDE_VALUES;
	return ctx;
}

/* The contexts keep logging to it after creation: one file for the whole test. */
static FILE *log_file;

static struct iio_context *create(const char *uri)
{
	struct iio_context_params params = { 0 };
	struct iio_context *ctx;
	size_t n;

	CHECK(ftruncate(fileno(log_file), 0) == 0);
	rewind(log_file);
	params.err = log_file;
	ctx = iio_create_context(&params, uri);
	fflush(log_file);
	rewind(log_file);
	n = fread(last_log, 1, sizeof(last_log) - 1, log_file);
	last_log[n] = '\0';
	return ctx;
}

/* Every attribute of xml reads back what the live context read (or fails the same way). */
static void check_values_match(const struct iio_context *live_ctx, const struct iio_context *xml)
{
	const struct iio_attr_list *lists_a[8], *lists_b[8];
	char va[256], vb[256];
	unsigned int i, j, n = 0;
	const struct iio_device *da = live_ctx->devices[0], *db = xml->devices[0];

	lists_a[n] = &da->attrs, lists_b[n++] = &db->attrs;
	lists_a[n] = &da->debug_attrs, lists_b[n++] = &db->debug_attrs;
	lists_a[n] = &da->event_attrs, lists_b[n++] = &db->event_attrs;
	lists_a[n] = &da->buffers[0]->attrs, lists_b[n++] = &db->buffers[0]->attrs;
	for (i = 0; i < da->nb_channels; i++) {
		lists_a[n] = &da->channels[i]->attrs, lists_b[n++] = &db->channels[i]->attrs;
		lists_a[n] = &da->channels[i]->event_attrs,
		lists_b[n++] = &db->channels[i]->event_attrs;
	}
	for (i = 0; i < n; i++) {
		CHECK_INT(lists_a[i]->count, lists_b[i]->count);
		for (j = 0; j < lists_a[i]->count; j++) {
			ssize_t ra = iio_attr_read_raw(&lists_a[i]->attrs[j], va, sizeof(va));
			ssize_t rb = iio_attr_read_raw(&lists_b[i]->attrs[j], vb, sizeof(vb));

			if (ra < 0) {
				CHECK_INT(rb, ra);
				continue;
			}
			CHECK(rb > 0);
			CHECK_STR(vb, va);
		}
	}
}

static void test_file_with_values(void)
{
	struct iio_context *live_ctx = build_live(), *ctx, *again;
	const struct iio_channel *chn;
	const struct iio_device *dev;
	char path[64], *uri, *xml, *xml2, buf[64];

	xml = iio_context_get_xml(live_ctx);
	CHECK(!iio_err(xml));
	CHECK(strstr(xml, "<attribute name=\"broken\" value=\"ERROR:-5\" />"));
	snprintf(path, sizeof(path), "%s/ctx.xml", tmpdir);
	xml_write_file(path, xml, strlen(xml));

	CHECK(asprintf(&uri, "xml:%s", path) > 0);
	ctx = create(uri);
	CHECK(!iio_err(ctx));
	CHECK_STR(iio_context_get_name(ctx), "xml");
	CHECK_STR(iio_context_get_description(ctx), "a test board");
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "uri")), uri);
	CHECK_INT(iio_context_get_attrs_count(ctx), 1);
	check_values_match(live_ctx, ctx);

	dev = iio_context_find_device(ctx, "main-adc");
	CHECK(dev);
	chn = iio_device_find_channel(dev, "voltage0", false);
	CHECK(chn);
	/* The live scale went into <scan-element scale=>. */
	CHECK(iio_channel_get_data_format(chn)->with_scale);
	CHECK(iio_channel_get_data_format(chn)->scale == 0.5);
	CHECK_INT(iio_channel_get_data_format(chn)->bits, 12);
	CHECK_INT(iio_channel_get_data_format(chn)->shift, 4);

	/* Static context: writes refused, no ping, no registers. */
	CHECK_INT(iio_attr_write_string(iio_device_find_attr(dev, "sampling_frequency"), "1"),
		  -ENOSYS);
	CHECK_INT(iio_context_ping(ctx), -ENOTSUP);
	CHECK(iio_device_reg_read((struct iio_device *)dev, 0, (uint32_t *)buf) < 0);
	/* A value that does not fit. */
	CHECK_INT(iio_attr_read_raw(iio_device_find_attr(dev, "sampling_frequency"), buf, 4),
		  -EFBIG);

	/* In memory, the generated document gives the same context and bytes back. */
	xml2 = iio_context_get_xml(ctx);
	CHECK(!iio_err(xml2));
	free(uri);
	CHECK(asprintf(&uri, "xml:%s", xml2) > 0);
	again = create(uri);
	CHECK(!iio_err(again));
	xml_compare_contexts(ctx, again);
	iio_context_destroy(again);

	free(uri);
	free(xml);
	free(xml2);
	iio_context_destroy(ctx);
	iio_context_destroy(live_ctx);
}

static void test_no_values(void)
{
	struct iio_context *ctx;
	const struct iio_device *dev;
	char buf[64];

	ctx = create("xml:" HEAD_DOC);
	CHECK(!iio_err(ctx));
	dev = iio_context_find_device(ctx, "iio:device0");
	CHECK(dev);
	CHECK_INT(iio_attr_read_raw(iio_device_find_attr(dev, "a"), buf, sizeof(buf)), -ENOSYS);
	CHECK_INT(iio_attr_read_raw(iio_device_find_attr(dev, "b"), buf, sizeof(buf)), 3);
	CHECK_STR(buf, "42");
	/* A read that failed when the document was saved fails the same way. */
	CHECK_INT(iio_attr_read_raw(iio_device_find_attr(dev, "c"), buf, sizeof(buf)), -EINVAL);
	/* Scale only comes from scan-element scale=, not from reading the attribute. */
	CHECK(!iio_channel_get_data_format(iio_device_get_channel(dev, 0))->with_scale);
	CHECK_INT(iio_attr_read_raw(iio_channel_find_attr(iio_device_get_channel(dev, 0), "scale"),
				    buf, sizeof(buf)), 2);
	/* The document's own uri is kept for in-memory documents. */
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "uri")), "ip:1.2.3.4");
	iio_context_destroy(ctx);
}

static void test_errors(void)
{
	static const char bad[] = "<?xml version=\"1.0\"?><context><device/></context>";
	char path[64];
	struct iio_context *ctx;

	ctx = create("xml:/nonexistent/dir/ctx.xml");
	CHECK_INT(iio_err(ctx), -ENOENT);
	CHECK(strstr(last_log, "xml: unable to open '/nonexistent/dir/ctx.xml'"));
	ctx = create("xml:");
	CHECK_INT(iio_err(ctx), -EINVAL);
	CHECK(strstr(last_log, "no file name"));
	ctx = create(strcat(strcpy(path, "xml:"), tmpdir));
	CHECK_INT(iio_err(ctx), -EINVAL);
	CHECK(strstr(last_log, "is not a regular file"));

	snprintf(path, sizeof(path), "%s/empty.xml", tmpdir);
	xml_write_file(path, "", 0);
	ctx = create(strcat(strcpy((char[80]){ 0 }, "xml:"), path));
	CHECK_INT(iio_err(ctx), -EINVAL);
	CHECK(strstr(last_log, "is empty"));

	snprintf(path, sizeof(path), "%s/bad.xml", tmpdir);
	xml_write_file(path, bad, strlen(bad));
	ctx = create(strcat(strcpy((char[80]){ 0 }, "xml:"), path));
	CHECK_INT(iio_err(ctx), -EINVAL);
	CHECK(strstr(last_log, "<device> without an id"));
	CHECK(strstr(last_log, "xml: unable to create a context from '"));
	CHECK(strstr(last_log, "/bad.xml'"));
}

#if WITH_ZSTD
static void test_zstd(void)
{
	struct iio_context *live_ctx = build_live(), *plain, *packed;
	char path[64], *xml, *out, uri[96];
	size_t bound, size, out_len;
	void *blob;
	ZSTD_CStream *stream;
	ZSTD_outBuffer ob;
	ZSTD_inBuffer ib;

	xml = iio_context_get_xml(live_ctx);
	CHECK(!iio_err(xml));
	bound = ZSTD_compressBound(strlen(xml));
	blob = malloc(bound);
	CHECK(blob);
	size = ZSTD_compress(blob, bound, xml, strlen(xml), 3);
	CHECK(!ZSTD_isError(size));
	snprintf(path, sizeof(path), "%s/ctx.xml.zst", tmpdir);
	xml_write_file(path, blob, size);

	snprintf(uri, sizeof(uri), "xml:%s", path);
	packed = create(uri);
	CHECK(!iio_err(packed));
	plain = iio_context_from_xml(&bare, NULL, xml, strlen(xml));
	CHECK(!iio_err(plain));
	/* Same objects; the xml: one reads the stored values. */
	CHECK_STR(iio_context_get_name(packed), "xml");
	check_values_match(live_ctx, packed);
	/* Only the uri differs: the file's context says where it was loaded from. */
	CHECK_INT(iio_context_add_attr(plain, "uri", uri), 0);
	xml_compare_contexts(plain, packed);
	iio_context_destroy(plain);
	iio_context_destroy(packed);

	/* The library helpers agree with libzstd, both ways. */
	CHECK(iio_xml_is_zstd(blob, size));
	CHECK(!iio_xml_is_zstd(xml, strlen(xml)));
	CHECK_INT(iio_xml_decompress(blob, size, &out, &out_len), 0);
	CHECK_INT(out_len, strlen(xml));
	CHECK_STR(out, xml);
	free(out);
	free(blob);
	CHECK_INT(iio_xml_compress(xml, strlen(xml), &blob, &size), 0);
	out = malloc(strlen(xml) + 1);
	CHECK(out);
	CHECK_INT(ZSTD_decompress(out, strlen(xml), blob, size), strlen(xml));
	CHECK(!memcmp(out, xml, strlen(xml)));
	free(out);

	/* Truncated frame, and a frame with no recorded size (streamed): -EIO. */
	CHECK_INT(iio_xml_decompress(blob, size / 2, &out, &out_len), -EIO);
	free(blob);
	stream = ZSTD_createCStream();
	CHECK(stream);
	ZSTD_initCStream(stream, 3);
	blob = malloc(bound);
	ob = (ZSTD_outBuffer){ blob, bound, 0 };
	ib = (ZSTD_inBuffer){ xml, strlen(xml), 0 };
	CHECK(!ZSTD_isError(ZSTD_compressStream(stream, &ob, &ib)));
	CHECK_INT(ZSTD_endStream(stream, &ob), 0);
	ZSTD_freeCStream(stream);
	CHECK_INT(iio_xml_decompress(blob, ob.pos, &out, &out_len), -EIO);
	free(blob);

	/* More than the limit once decompressed (compresses to almost nothing). */
	{
		size_t big = IIO_XML_MAX_SIZE + 1;
		char *zeros = calloc(1, big);

		CHECK(zeros);
		bound = ZSTD_compressBound(big);
		blob = malloc(bound);
		CHECK(blob);
		size = ZSTD_compress(blob, bound, zeros, big, 1);
		CHECK(!ZSTD_isError(size));
		CHECK_INT(iio_xml_decompress(blob, size, &out, &out_len), -EFBIG);
		free(zeros);
		free(blob);
	}
	free(xml);
	iio_context_destroy(live_ctx);
}
#endif

int main(void)
{
	char path[64];

	CHECK(mkdtemp(tmpdir));
	log_file = tmpfile();
	CHECK(log_file);
	test_file_with_values();
	test_no_values();
	test_errors();
#if WITH_ZSTD
	test_zstd();
#else
	printf("built without zstd: compressed XML not tested\n");
#endif
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpdir);
	CHECK(system(path) == 0);
	fclose(log_file);
	return 0;
}

#else

int main(void)
{
	printf("xml: backend not built: nothing to test\n");
	return 0;
}

#endif
