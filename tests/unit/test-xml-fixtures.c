// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every real document of the fixtures loads, with the devices, channels and
 * attributes that an independent tag scan (no libxml2) finds in it; each one
 * survives read -> write -> read unchanged, and what we write validates
 * against the DTD it declares.
 */
#include "test-xml-util.h"

#if WITH_XML_BACKEND

#include <libxml/parser.h>
#include <libxml/valid.h>

/* Reads nothing: the context is only what the document says (like xml: during creation). */
static const struct iio_backend_ops bare_ops = { 0 };
static const struct iio_backend bare_xml = {
	.name = "xml",
	.uri_prefix = "bare:",
	.ops = &bare_ops,
};

/* ---- An independent, deliberately simple reading of the documents -------- */

struct tag {
	char name[32];
	const char *text;       /* the whole tag, from '<' */
	size_t len;
	bool closing, empty;    /* </x>, <x ... /> */
};

/* The next element tag at or after *p (skips <? ?>, <! > and comments). */
static bool next_tag(const char **p, struct tag *t)
{
	const char *s = *p, *end;
	size_t n;

	for (;;) {
		s = strchr(s, '<');
		if (!s)
			return false;
		if (!strncmp(s, "<!--", 4)) {
			s = strstr(s, "-->");
			CHECK(s);
			continue;
		}
		if (!strncmp(s, "<!DOCTYPE", 9)) {
			s = strstr(s, "]>");
			CHECK(s);
			continue;
		}
		if (s[1] == '?' || s[1] == '!') {
			s++;
			continue;
		}
		break;
	}
	end = strchr(s, '>');
	CHECK(end);
	t->text = s;
	t->len = (size_t)(end - s) + 1;
	t->closing = s[1] == '/';
	t->empty = end[-1] == '/';
	s += t->closing ? 2 : 1;
	n = strcspn(s, " \t\r\n/>");
	CHECK(n < sizeof(t->name));
	memcpy(t->name, s, n);
	t->name[n] = '\0';
	*p = end + 1;
	return true;
}

/* The value of key="..." in a tag, as an XML parser gives it; "" if absent. */
static bool tag_attr(const struct tag *t, const char *key, char *dst, size_t len)
{
	char pattern[64];
	const char *s, *e;
	size_t o = 0;

	snprintf(pattern, sizeof(pattern), " %s=\"", key);
	s = memmem(t->text, t->len, pattern, strlen(pattern));
	dst[0] = '\0';
	if (!s)
		return false;
	s += strlen(pattern);
	e = memchr(s, '"', t->len - (size_t)(s - t->text));
	CHECK(e);
	while (s < e && o + 1 < len) {
		static const char *const ents[][2] = {
			{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
			{ "&apos;", "'" }, { "&quot;", "\"" },
		};
		unsigned int i;

		for (i = 0; i < 5; i++) {
			if (!strncmp(s, ents[i][0], strlen(ents[i][0]))) {
				dst[o++] = ents[i][1][0];
				s += strlen(ents[i][0]);
				break;
			}
		}
		/* XML normalizes literal whitespace in attribute values to spaces. */
		if (i == 5)
			dst[o++] = strchr("\t\r\n", *s) ? ' ' : *s;
		if (i == 5)
			s++;
	}
	CHECK(s == e); /* the value fits */
	dst[o] = '\0';
	return true;
}

struct expected_value {
	char owner[160];        /* "dev", "dev/chn/out" or "dev#buf" */
	enum iio_attr_type type;
	char name[96];
	char value[16384];
};

struct expected_channel {
	char id[64];
	bool output, scan;
	unsigned int attrs, event_attrs;
};

struct expected_device {
	char id[64];
	unsigned int attrs, debug_attrs, event_attrs, buffer_elements, max_buffer_index;
	unsigned int buffer0_attrs, legacy_buffer_attrs, nb_channels;
	struct expected_channel channels[128];
};

struct expected {
	unsigned int ctx_attrs, nb_devices, nb_values;
	bool has_uri;
	struct expected_device devices[16];
	struct expected_value values[1024];
};

static void expect_value(struct expected *e, const struct tag *t, const char *owner,
			 enum iio_attr_type type)
{
	struct expected_value *v;
	char value[sizeof(((struct expected_value *)0)->value)];

	if (!tag_attr(t, "value", value, sizeof(value)))
		return;
	CHECK(e->nb_values < ARRAY_SIZE(e->values));
	v = &e->values[e->nb_values++];
	snprintf(v->owner, sizeof(v->owner), "%s", owner);
	v->type = type;
	tag_attr(t, "name", v->name, sizeof(v->name));
	snprintf(v->value, sizeof(v->value), "%s", value);
}

static void scan_document(const char *doc, struct expected *e)
{
	struct expected_device *dev = NULL;
	struct expected_channel *chn = NULL;
	char parents[8][32] = { { 0 } }, buf[256], owner[160];
	unsigned int depth = 0, buffer_index = 0;
	const char *p = doc;
	struct tag t;

	memset(e, 0, sizeof(*e));
	while (next_tag(&p, &t)) {
		const char *parent = depth ? parents[depth - 1] : "";

		if (t.closing) {
			CHECK(depth > 0);
			depth--;
			continue;
		}
		if (!strcmp(t.name, "context-attribute")) {
			e->ctx_attrs++;
			tag_attr(&t, "name", buf, sizeof(buf));
			e->has_uri |= !strcmp(buf, "uri");
		} else if (!strcmp(t.name, "device")) {
			CHECK(e->nb_devices < ARRAY_SIZE(e->devices));
			dev = &e->devices[e->nb_devices++];
			tag_attr(&t, "id", dev->id, sizeof(dev->id));
		} else if (!strcmp(t.name, "channel") && !strcmp(parent, "device")) {
			CHECK(dev->nb_channels < ARRAY_SIZE(dev->channels));
			chn = &dev->channels[dev->nb_channels++];
			tag_attr(&t, "id", chn->id, sizeof(chn->id));
			tag_attr(&t, "type", buf, sizeof(buf));
			chn->output = !strcmp(buf, "output");
		} else if (!strcmp(t.name, "scan-element")) {
			chn->scan = true;
		} else if (!strcmp(t.name, "buffer")) {
			dev->buffer_elements++;
			tag_attr(&t, "index", buf, sizeof(buf));
			buffer_index = (unsigned int)atoi(buf);
			if (buffer_index > dev->max_buffer_index)
				dev->max_buffer_index = buffer_index;
		} else if (!strcmp(t.name, "buffer-attribute")) {
			dev->legacy_buffer_attrs++;
			snprintf(owner, sizeof(owner), "%s#0", dev->id);
			/* Legacy: only meaningful before any <buffer>. */
			if (!dev->buffer_elements)
				expect_value(e, &t, owner, IIO_ATTR_TYPE_BUFFER);
		} else if (!strcmp(t.name, "attribute") || !strcmp(t.name, "event-attribute") ||
			   !strcmp(t.name, "debug-attribute")) {
			bool event = !strcmp(t.name, "event-attribute");

			if (!strcmp(parent, "channel")) {
				tag_attr(&t, "filename", buf, sizeof(buf));
				event |= !strncmp(buf, "events/", 7);
				if (event)
					chn->event_attrs++;
				else
					chn->attrs++;
				snprintf(owner, sizeof(owner), "%s/%s/%s", dev->id, chn->id,
					 chn->output ? "out" : "in");
				expect_value(e, &t, owner,
					     event ? IIO_ATTR_TYPE_CHANNEL_EVENT :
						     IIO_ATTR_TYPE_CHANNEL);
			} else if (!strcmp(parent, "buffer")) {
				if (buffer_index == 0)
					dev->buffer0_attrs++;
				snprintf(owner, sizeof(owner), "%s#%u", dev->id, buffer_index);
				expect_value(e, &t, owner, IIO_ATTR_TYPE_BUFFER);
			} else if (!strcmp(t.name, "debug-attribute")) {
				dev->debug_attrs++;
				expect_value(e, &t, dev->id, IIO_ATTR_TYPE_DEBUG);
			} else if (event) {
				dev->event_attrs++;
				expect_value(e, &t, dev->id, IIO_ATTR_TYPE_DEVICE_EVENT);
			} else {
				dev->attrs++;
				expect_value(e, &t, dev->id, IIO_ATTR_TYPE_DEVICE);
			}
		}
		if (!t.empty) {
			CHECK(depth < ARRAY_SIZE(parents));
			snprintf(parents[depth++], sizeof(parents[0]), "%s", t.name);
		}
	}
	CHECK_INT(depth, 0);
}

/* ---- Checks against the loaded context ----------------------------------- */

static const struct iio_device *device_by_id(const struct iio_context *ctx, const char *id)
{
	unsigned int i;

	for (i = 0; i < ctx->nb_devices; i++)
		if (!strcmp(ctx->devices[i]->id, id))
			return ctx->devices[i];
	return NULL;
}

static void check_counts(const struct iio_context *ctx, const struct expected *e,
			 unsigned int extra_ctx_attrs)
{
	unsigned int i, j, scan_channels;

	CHECK_INT(ctx->attrs.count, e->ctx_attrs + extra_ctx_attrs);
	CHECK_INT(ctx->nb_devices, e->nb_devices);
	for (i = 0; i < e->nb_devices; i++) {
		const struct expected_device *ed = &e->devices[i];
		const struct iio_device *dev = device_by_id(ctx, ed->id);
		unsigned int nb_buffers;

		CHECK(dev);
		CHECK_INT(dev->attrs.count, ed->attrs);
		CHECK_INT(dev->debug_attrs.count, ed->debug_attrs);
		CHECK_INT(dev->event_attrs.count, ed->event_attrs);
		CHECK_INT(dev->nb_channels, ed->nb_channels);

		scan_channels = 0;
		for (j = 0; j < ed->nb_channels; j++) {
			const struct expected_channel *ec = &ed->channels[j];
			const struct iio_channel *chn =
				iio_device_lookup_channel(dev, ec->id, ec->output);

			CHECK(chn);
			CHECK_INT(chn->attrs.count, ec->attrs);
			CHECK_INT(chn->event_attrs.count, ec->event_attrs);
			CHECK_INT(chn->is_scan_element, ec->scan);
			CHECK_INT(chn->index >= 0, ec->scan);
			scan_channels += ec->scan;
		}

		if (ed->buffer_elements)
			nb_buffers = ed->max_buffer_index + 1;
		else
			nb_buffers = (ed->legacy_buffer_attrs || scan_channels) ? 1 : 0;
		CHECK_INT(dev->nb_buffers, nb_buffers);
		if (nb_buffers) {
			CHECK_INT(dev->buffers[0]->attrs.count,
				  ed->buffer_elements ? ed->buffer0_attrs : ed->legacy_buffer_attrs);
			/* These documents predate buffers listing channels: all go to buffer 0. */
			CHECK_INT(dev->buffers[0]->nb_scan_elements, scan_channels);
		}
	}
}

static const struct iio_attr *find_attr(const struct iio_context *ctx,
					const struct expected_value *v)
{
	char dev_id[160], *sep;
	const struct iio_device *dev;
	const struct iio_channel *chn;
	unsigned int buf;
	bool output;

	snprintf(dev_id, sizeof(dev_id), "%s", v->owner);
	switch (v->type) {
	case IIO_ATTR_TYPE_CHANNEL:
	case IIO_ATTR_TYPE_CHANNEL_EVENT:
		/* "<device>/<channel>/<in|out>" */
		sep = strrchr(dev_id, '/');
		*sep = '\0';
		output = !strcmp(sep + 1, "out");
		sep = strrchr(dev_id, '/');
		*sep = '\0';
		dev = device_by_id(ctx, dev_id);
		CHECK(dev);
		chn = iio_device_lookup_channel(dev, sep + 1, output);
		CHECK(chn);
		return v->type == IIO_ATTR_TYPE_CHANNEL ?
			       iio_attr_list_find(&chn->attrs, v->name) :
			       iio_attr_list_find(&chn->event_attrs, v->name);
	case IIO_ATTR_TYPE_BUFFER:
		sep = strrchr(dev_id, '#');
		*sep = '\0';
		buf = (unsigned int)atoi(sep + 1);
		dev = device_by_id(ctx, dev_id);
		CHECK(dev && buf < dev->nb_buffers);
		return iio_attr_list_find(&dev->buffers[buf]->attrs, v->name);
	default:
		dev = device_by_id(ctx, dev_id);
		CHECK(dev);
		return iio_attr_list_find(v->type == IIO_ATTR_TYPE_DEVICE ? &dev->attrs :
					  v->type == IIO_ATTR_TYPE_DEBUG ? &dev->debug_attrs :
									   &dev->event_attrs,
					  v->name);
	}
}

/* Through the xml: backend, every value= of the document reads back. */
static void check_values(const struct iio_context *ctx, const struct expected *e)
{
	static char buf[0x10000];
	unsigned int i;

	for (i = 0; i < e->nb_values; i++) {
		const struct expected_value *v = &e->values[i];
		const struct iio_attr *attr = find_attr(ctx, v);
		ssize_t ret;

		CHECK(attr);
		ret = iio_attr_read_raw(attr, buf, sizeof(buf));
		/* A read that failed when the document was saved fails the same way. */
		if (!strncmp(v->value, "ERROR:", 6)) {
			CHECK_INT(ret, strtol(v->value + 6, NULL, 10));
			continue;
		}
		if (ret < 0) {
			fprintf(stderr, "%s %s: read failed %zd\n", v->owner, v->name, ret);
			exit(1);
		}
		CHECK_INT(ret, strlen(v->value) + 1);
		CHECK_STR(buf, v->value);
	}
}

/* What we write must be valid against its own DTD (stock 1.0 clients validate). */
static void check_valid_against_dtd(const char *xml)
{
	xmlParserCtxtPtr pctx = xmlNewParserCtxt();
	xmlDocPtr doc;

	CHECK(pctx);
	doc = xmlCtxtReadMemory(pctx, xml, (int)strlen(xml), NULL, NULL,
				XML_PARSE_DTDVALID | XML_PARSE_NONET);
	CHECK(doc);
	CHECK(pctx->valid);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pctx);
}

static void check_fixture(const char *path)
{
	struct iio_context *ctx1, *ctx2, *ctx3;
	struct expected *e = calloc(1, sizeof(*e));
	char *doc, *xml1, *xml2, *uri;
	size_t len;

	CHECK(e);
	doc = xml_read_file(path, &len);
	scan_document(doc, e);
	CHECK(e->nb_devices > 0);

	/* Straight from the library reader. */
	ctx1 = iio_context_from_xml(&bare_xml, NULL, doc, len);
	if (iio_err(ctx1)) {
		fprintf(stderr, "%s: load failed: %d\n", path, iio_err(ctx1));
		exit(1);
	}
	CHECK_STR(iio_context_get_name(ctx1), "xml");
	check_counts(ctx1, e, 0);

	/* read -> write -> read: same context, same bytes. */
	xml1 = iio_context_xml_generate(ctx1, false);
	CHECK(xml1);
	check_valid_against_dtd(xml1);
	ctx2 = iio_context_from_xml(&bare_xml, NULL, xml1, strlen(xml1));
	CHECK(!iio_err(ctx2));
	xml_compare_contexts(ctx1, ctx2);
	xml2 = iio_context_xml_generate(ctx2, false);
	CHECK(xml2);
	CHECK_STR(xml2, xml1);

	/* Through the backend: values readable, uri says where the file was. */
	CHECK(asprintf(&uri, "xml:%s", path) > 0);
	ctx3 = iio_create_context(NULL, uri);
	CHECK(!iio_err(ctx3));
	check_counts(ctx3, e, e->has_uri ? 0 : 1);
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx3, "uri")), uri);
	check_values(ctx3, e);

	printf("%s: %u devices, %u values: ok\n", path, e->nb_devices, e->nb_values);
	iio_context_destroy(ctx1);
	iio_context_destroy(ctx2);
	iio_context_destroy(ctx3);
	free(xml1);
	free(xml2);
	free(uri);
	free(doc);
	free(e);
}

/* fmcomms2.xml (5 IIO devices and a trigger, per spec/xml.md) in detail. */
static void check_fmcomms2(void)
{
	const struct iio_channel *chn;
	const struct iio_device *dev;
	struct iio_context *ctx;
	char *path;

	CHECK(asprintf(&path, "xml:%s/fmcomms2.xml", xml_fixtures_dir()) > 0);
	ctx = iio_create_context(NULL, path);
	CHECK(!iio_err(ctx));
	CHECK_STR(iio_context_get_version_tag(ctx), "5f9b6f1c");
	CHECK_INT(iio_context_get_version_major(ctx), 1);
	CHECK(strstr(iio_context_get_description(ctx), "armv7l 10.48.69.129"));
	CHECK(iio_context_find_device(ctx, "ad7291"));
	CHECK(iio_context_find_device(ctx, "ad9361-phy"));
	CHECK(iio_context_find_device(ctx, "xadc"));
	CHECK(iio_context_find_device(ctx, "cf-ad9361-lpc"));
	dev = iio_context_find_device(ctx, "cf-ad9361-dds-core-lpc");
	CHECK(dev);
	CHECK_INT(iio_device_get_buffers_count(dev), 1);
	chn = iio_device_find_channel(dev, "voltage0", true);
	CHECK(chn && iio_channel_is_scan_element(chn));
	CHECK_INT(iio_channel_get_index(chn), 0);
	CHECK_INT(iio_channel_get_data_format(chn)->bits, 16);
	CHECK(iio_channel_get_data_format(chn)->is_signed);
	CHECK_INT(iio_channel_get_type(chn), IIO_VOLTAGE);
	/* v0.x "events/" channel attributes are channel event attributes. */
	dev = iio_context_find_device(ctx, "ad7291");
	chn = iio_device_find_channel(dev, "voltage6", false);
	CHECK(chn);
	CHECK(iio_channel_find_event_attr(chn, "thresh_rising_en"));
	CHECK(!iio_channel_find_attr(chn, "thresh_rising_en"));
	CHECK_STR(iio_attr_get_filename(iio_channel_find_event_attr(chn, "thresh_rising_en")),
		  "in_voltage6_thresh_rising_en");
	iio_context_destroy(ctx);
	free(path);
}

int main(void)
{
	unsigned int i, count;
	char **paths = xml_fixture_paths(&count);

	CHECK(count >= 7);
	for (i = 0; i < count; i++)
		check_fixture(paths[i]);
	xml_free_paths(paths);
	check_fmcomms2();
	return 0;
}

#else

int main(void)
{
	printf("xml: backend not built: nothing to test\n");
	return 0;
}

#endif
