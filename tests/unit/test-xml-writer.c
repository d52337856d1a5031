// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The writer's exact bytes: prolog and DTD, element and attribute order,
 * escaping, scan formats, buffers and the compat buffer-attribute list,
 * values and read errors. Contexts are built with the core constructors.
 */
#include "test-xml-util.h"

#include <locale.h>
#include <unistd.h>

/* Values the fake backend reads: the attribute's filename decides. */
static ssize_t fake_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	const char *value;

	if (!strcmp(attr->name, "scale"))
		value = "0.732421875";
	else if (!strcmp(attr->filename, "in_temp0_raw"))
		return -EIO;
	else if (!strcmp(attr->name, "tricky"))
		value = "a&b<c>d\"e'f\tg\nh\x01i\xffj \xc3\xa9";
	else
		value = attr->filename;
	if (strlen(value) + 1 > len)
		return -EFBIG;
	strcpy(dst, value);
	return (ssize_t)strlen(value) + 1;
}

static const struct iio_backend_ops fake_ops = {
	.read_attr = fake_read_attr,
};

static const struct iio_backend fake_local = {
	.name = "local",
	.uri_prefix = "fake:",
	.ops = &fake_ops,
};

/* spec/xml.md §1, declarations typed out one per line, then joined without whitespace. */
static const char *const dtd_lines[] = {
	"<!ELEMENT context (device | context-attribute)*>",
	"<!ELEMENT context-attribute EMPTY>",
	"<!ELEMENT device (channel | buffer | attribute | debug-attribute | event-attribute | "
	"buffer-attribute)*>",
	"<!ELEMENT channel (scan-element?, attribute*, event-attribute*)>",
	"<!ELEMENT buffer (attribute*, channel+)>",
	"<!ELEMENT attribute EMPTY>",
	"<!ELEMENT scan-element EMPTY>",
	"<!ELEMENT debug-attribute EMPTY>",
	"<!ELEMENT event-attribute EMPTY>",
	"<!ELEMENT buffer-attribute EMPTY>",
	"<!ATTLIST context name CDATA #REQUIRED version-major CDATA #REQUIRED version-minor CDATA "
	"#REQUIRED version-git CDATA #REQUIRED description CDATA #IMPLIED>",
	"<!ATTLIST context-attribute name CDATA #REQUIRED value CDATA #REQUIRED>",
	"<!ATTLIST device id CDATA #REQUIRED name CDATA #IMPLIED label CDATA #IMPLIED>",
	"<!ATTLIST channel id CDATA #REQUIRED type (input|output) #REQUIRED name CDATA #IMPLIED "
	"label CDATA #IMPLIED>",
	"<!ATTLIST buffer index CDATA #REQUIRED direction (in|out) #IMPLIED>",
	"<!ATTLIST scan-element index CDATA #REQUIRED format CDATA #REQUIRED scale CDATA #IMPLIED>",
	"<!ATTLIST attribute name CDATA #REQUIRED filename CDATA #IMPLIED value CDATA #IMPLIED>",
	"<!ATTLIST debug-attribute name CDATA #REQUIRED value CDATA #IMPLIED>",
	"<!ATTLIST event-attribute name CDATA #REQUIRED filename CDATA #IMPLIED value CDATA "
	"#IMPLIED>",
	"<!ATTLIST buffer-attribute name CDATA #REQUIRED value CDATA #IMPLIED>",
};

static char *expected_prolog(void)
{
	char *prolog = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&prolog, &size);
	unsigned int i;

	CHECK(f);
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE context [", f);
	for (i = 0; i < ARRAY_SIZE(dtd_lines); i++)
		fputs(dtd_lines[i], f);
	fputs("]>", f);
	fclose(f);
	return prolog;
}

/* When the spec is at hand, its §1 code block must give the same declarations. */
static void check_prolog_against_spec(const char *prolog)
{
	const char *path = IIO_SOURCE_DIR "/../shared/spec/xml.md";
	char *spec, *p, *end, *joined;
	size_t len, o = 0;

	if (access(path, R_OK)) {
		printf("spec/xml.md not found: checked against the typed-out DTD only\n");
		return;
	}
	spec = xml_read_file(path, &len);
	p = strstr(spec, "```\n<!ELEMENT context ");
	CHECK(p);
	p += 4;
	end = strstr(p, "```");
	CHECK(end);
	joined = calloc(1, len + 1);
	CHECK(joined);
	for (; p < end; p++)
		if (*p != '\n')
			joined[o++] = *p;
	CHECK(strstr(prolog, joined));
	CHECK_INT(strlen(prolog), strlen("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
					 "<!DOCTYPE context [") + o + 2);
	free(joined);
	free(spec);
}

/* The context of spec/xml.md §3. */
static struct iio_context *build_example(void)
{
	struct iio_context *ctx = iio_context_new(&fake_local, NULL,
						  "Linux pluto 5.15.0 #1 SMP armv7l");
	struct iio_device *dev;
	struct iio_channel *chn;
	struct iio_buffer *buf;

	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_set_version(ctx, 1, 0, "4e3cfe6"), 0);
	CHECK_INT(iio_context_add_attr(ctx, "uri", "local:"), 0);
	CHECK_INT(iio_context_add_attr(ctx, "local,kernel", "5.15.0"), 0);

	/* Added out of order on purpose: devices and channels get sorted. */
	CHECK(!iio_err(iio_context_add_device(ctx, "trigger0", "xadc-samplerate", NULL)));
	dev = iio_context_add_device(ctx, "iio:device0", "xadc", NULL);
	CHECK(!iio_err(dev));
	chn = iio_device_add_channel(dev, "temp0", false, -1);
	CHECK(!iio_err(chn));
	CHECK_INT(iio_channel_add_attr(chn, "raw", "in_temp0_raw", IIO_ATTR_TYPE_CHANNEL), 0);
	chn = iio_device_add_channel(dev, "voltage0", false, 0);
	CHECK(!iio_err(chn));
	CHECK_INT(iio_channel_set_name(chn, "vccint"), 0);
	CHECK_INT(iio_data_format_parse(&chn->format, "le:u12/16>>4"), 0);
	CHECK_INT(iio_channel_add_attr(chn, "scale", "in_voltage0_vccint_scale",
				       IIO_ATTR_TYPE_CHANNEL), 0);
	CHECK_INT(iio_channel_add_attr(chn, "raw", "in_voltage0_vccint_raw",
				       IIO_ATTR_TYPE_CHANNEL), 0);
	buf = iio_device_add_buffer(dev, 0, IIO_BUFFER_DIRECTION_IN);
	CHECK(!iio_err(buf));
	CHECK_INT(iio_buffer_add_attr(buf, "data_available"), 0);
	CHECK_INT(iio_buffer_add_scan_element(buf, chn), 0);
	CHECK_INT(iio_device_add_attr(dev, "sampling_frequency", NULL, IIO_ATTR_TYPE_DEVICE), 0);
	CHECK_INT(iio_device_add_attr(dev, "direct_reg_access", NULL, IIO_ATTR_TYPE_DEBUG), 0);
	CHECK_INT(iio_context_init(ctx), 0);
	return ctx;
}

static void test_example(void)
{
	static const char body[] =
		"<context name=\"local\" version-major=\"1\" version-minor=\"0\" "
		"version-git=\"4e3cfe6\" description=\"Linux pluto 5.15.0 #1 SMP armv7l\" >"
		"<context-attribute name=\"local,kernel\" value=\"5.15.0\" />"
		"<context-attribute name=\"uri\" value=\"local:\" />"
		"<device id=\"iio:device0\" name=\"xadc\" >"
		"<channel id=\"voltage0\" name=\"vccint\" type=\"input\" >"
		"<scan-element index=\"0\" format=\"le:u12/16&gt;&gt;4\" scale=\"0.732422\" />"
		"<attribute name=\"raw\" filename=\"in_voltage0_vccint_raw\" />"
		"<attribute name=\"scale\" filename=\"in_voltage0_vccint_scale\" />"
		"</channel>"
		"<channel id=\"temp0\" type=\"input\" >"
		"<attribute name=\"raw\" filename=\"in_temp0_raw\" />"
		"</channel>"
		"<buffer index=\"0\" direction=\"in\" >"
		"<attribute name=\"data_available\" />"
		"<channel id=\"voltage0\" type=\"input\" />"
		"</buffer>"
		"<attribute name=\"sampling_frequency\" />"
		"<debug-attribute name=\"direct_reg_access\" />"
		"<buffer-attribute name=\"data_available\" />"
		"</device>"
		"<device id=\"trigger0\" name=\"xadc-samplerate\" ></device>"
		"</context>";
	static const char with_values[] =
		"<channel id=\"voltage0\" name=\"vccint\" type=\"input\" >"
		"<scan-element index=\"0\" format=\"le:u12/16&gt;&gt;4\" scale=\"0.732422\" />"
		"<attribute name=\"raw\" filename=\"in_voltage0_vccint_raw\" "
		"value=\"in_voltage0_vccint_raw\" />"
		"<attribute name=\"scale\" filename=\"in_voltage0_vccint_scale\" "
		"value=\"0.732421875\" />"
		"</channel>"
		"<channel id=\"temp0\" type=\"input\" >"
		"<attribute name=\"raw\" filename=\"in_temp0_raw\" value=\"ERROR:-5\" />"
		"</channel>"
		"<buffer index=\"0\" direction=\"in\" >"
		"<attribute name=\"data_available\" value=\"data_available\" />"
		"<channel id=\"voltage0\" type=\"input\" />"
		"</buffer>"
		"<attribute name=\"sampling_frequency\" value=\"sampling_frequency\" />"
		"<debug-attribute name=\"direct_reg_access\" value=\"direct_reg_access\" />"
		"<buffer-attribute name=\"data_available\" />"
		"</device>";
	struct iio_context *ctx = build_example();
	char *prolog = expected_prolog(), *xml;

	check_prolog_against_spec(prolog);
	xml = iio_context_xml_generate(ctx, false);
	CHECK(xml);
	CHECK(!strncmp(xml, prolog, strlen(prolog)));
	CHECK_STR(xml + strlen(prolog), body);
	free(xml);

	/* The public call follows the context's flags. */
	xml = iio_context_get_xml(ctx);
	CHECK(!iio_err(xml));
	CHECK_STR(xml + strlen(prolog), body);
	free(xml);
	ctx->params.flags |= IIO_CTX_XML_INCLUDE_VALUES;
	xml = iio_context_get_xml(ctx);
	CHECK(!iio_err(xml));
	CHECK(strstr(xml, with_values));
	free(xml);

	free(prolog);
	iio_context_destroy(ctx);
}

/* Locale must not change the scale's decimal point. */
static void test_locale(void)
{
	struct iio_context *ctx;
	char *xml;

	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
		printf("no comma-decimal locale installed: locale check skipped\n");
		return;
	}
	ctx = build_example();
	xml = iio_context_xml_generate(ctx, false);
	CHECK(xml && strstr(xml, "scale=\"0.732422\""));
	free(xml);
	iio_context_destroy(ctx);
	setlocale(LC_NUMERIC, "C");
}

static void test_escaping(void)
{
	struct iio_context *ctx = iio_context_new(&fake_local, NULL, "<desc & \"more\" 'x'>");
	struct iio_context *back;
	struct iio_device *dev;
	struct iio_channel *chn;
	const struct iio_attr *attr;
	char *xml, buf[128];

	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_add_attr(ctx, "k", "v<&>\"'"), 0);
	dev = iio_context_add_device(ctx, "iio:device1", "n&m", "l<1>");
	CHECK(!iio_err(dev));
	chn = iio_device_add_channel(dev, "altvoltage0", true, -1);
	CHECK(!iio_err(chn));
	CHECK_INT(iio_channel_set_label(chn, "TX \"LO\""), 0);
	CHECK_INT(iio_channel_add_attr(chn, "tricky", "out_altvoltage0_tricky",
				       IIO_ATTR_TYPE_CHANNEL), 0);
	CHECK_INT(iio_context_init(ctx), 0);

	xml = iio_context_xml_generate(ctx, true);
	CHECK(xml);
	CHECK(strstr(xml, " description=\"&lt;desc &amp; &quot;more&quot; &apos;x&apos;&gt;\" >"));
	CHECK(strstr(xml, "<context-attribute name=\"k\" value=\"v&lt;&amp;&gt;&quot;&apos;\" />"));
	CHECK(strstr(xml, "<device id=\"iio:device1\" name=\"n&amp;m\" label=\"l&lt;1&gt;\" >"));
	CHECK(strstr(xml, "label=\"TX &quot;LO&quot;\" type=\"output\" >"));
	/* Tab/newline survive as references; bytes XML cannot carry become '?'. */
	CHECK(strstr(xml, "value=\"a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;h?i?j \xc3\xa9\" />"));

	/* And the reader gives back the same strings. */
	back = iio_context_from_xml(&fake_local, NULL, xml, strlen(xml));
	CHECK(!iio_err(back));
	CHECK_STR(iio_context_get_description(back), "<desc & \"more\" 'x'>");
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(back, "k")), "v<&>\"'");
	dev = iio_context_find_device(back, "iio:device1");
	CHECK(dev);
	CHECK_STR(iio_device_get_name(dev), "n&m");
	CHECK_STR(iio_device_get_label(dev), "l<1>");
	chn = iio_device_find_channel(dev, "altvoltage0", true);
	CHECK(chn);
	CHECK_STR(iio_channel_get_label(chn), "TX \"LO\"");
	attr = iio_channel_find_attr(chn, "tricky");
	CHECK(attr);
	CHECK_STR(iio_attr_get_filename(attr), "out_altvoltage0_tricky");
	/* fake_local reads the live value, not the document's. */
	CHECK(iio_attr_read_raw(attr, buf, sizeof(buf)) > 0);
	iio_context_destroy(back);

#if WITH_XML_BACKEND
	{
		struct iio_xml_values *values;

		back = iio_xml_build_context(&iio_xml_backend, NULL, xml, strlen(xml), &values);
		CHECK(!iio_err(back));
		dev = iio_context_find_device(back, "iio:device1");
		chn = iio_device_find_channel(dev, "altvoltage0", true);
		attr = iio_channel_find_attr(chn, "tricky");
		CHECK_INT(iio_xml_values_read(values, attr, buf, sizeof(buf)),
			  strlen("a&b<c>d\"e'f\tg\nh?i?j \xc3\xa9") + 1);
		CHECK_STR(buf, "a&b<c>d\"e'f\tg\nh?i?j \xc3\xa9");
		CHECK_INT(iio_xml_values_read(values, attr, buf, 4), -EFBIG);
		iio_xml_values_free(values);
		iio_context_destroy(back);
	}
#endif
	free(xml);
	iio_context_destroy(ctx);
}

/* Formats: uppercase when fully defined, repeat only above 1, big endian, shift. */
static void test_formats_and_buffers(void)
{
	static const char *const formats[] = {
		"le:S16/16>>0", "le:s12/16>>4", "be:U24/32>>8", "le:s12/16X4>>0", "le:u1/8>>0",
	};
	struct iio_context *ctx = iio_context_new(&fake_local, NULL, NULL), *back;
	struct iio_device *dev, *two;
	struct iio_buffer *buf;
	char *xml, *xml2, id[16], expected[96];
	unsigned int i;

	CHECK(!iio_err(ctx));
	dev = iio_context_add_device(ctx, "iio:device0", NULL, NULL);
	CHECK(!iio_err(dev));
	buf = iio_device_add_buffer(dev, 0, IIO_BUFFER_DIRECTION_OUT);
	CHECK(!iio_err(buf));
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		struct iio_channel *chn;

		snprintf(id, sizeof(id), "voltage%u", i);
		chn = iio_device_add_channel(dev, id, true, (long)i);
		CHECK(!iio_err(chn));
		CHECK_INT(iio_data_format_parse(&chn->format, formats[i]), 0);
		CHECK_INT(iio_buffer_add_scan_element(buf, chn), 0);
	}
	/* A device whose buffers have no scan elements, one with attributes. */
	two = iio_context_add_device(ctx, "iio:device1", "empty-buffers", NULL);
	CHECK(!iio_err(two));
	buf = iio_device_add_buffer(two, 0, IIO_BUFFER_DIRECTION_UNKNOWN);
	CHECK(!iio_err(buf));
	CHECK_INT(iio_buffer_add_attr(buf, "length"), 0);
	CHECK_INT(iio_context_init(ctx), 0);

	xml = iio_context_xml_generate(ctx, false);
	CHECK(xml);
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		char fmt[32];
		size_t o = 0;
		const char *p;

		for (p = formats[i]; *p; p++)
			o += (size_t)snprintf(fmt + o, sizeof(fmt) - o, "%s",
					      *p == '>' ? "&gt;" : (char[]){ *p, 0 });
		snprintf(expected, sizeof(expected),
			 "<scan-element index=\"%u\" format=\"%s\" />", i, fmt);
		CHECK(strstr(xml, expected));
	}
	CHECK(strstr(xml, "<buffer index=\"0\" direction=\"out\" ><channel id=\"voltage0\" "
			  "type=\"output\" /><channel id=\"voltage1\" type=\"output\" />"));
	/* No <buffer> without <channel> (DTD: channel+), but v0.x clients still see it. */
	CHECK(strstr(xml, "<device id=\"iio:device1\" name=\"empty-buffers\" >"
			  "<buffer-attribute name=\"length\" /></device>"));
	/* No description: the attribute is left out. */
	CHECK(strstr(xml, "version-git=\"" LIBIIO_VERSION_GIT "\" >"));

	back = iio_context_from_xml(&fake_local, NULL, xml, strlen(xml));
	CHECK(!iio_err(back));
	xml_compare_contexts(ctx, back);
	xml2 = iio_context_xml_generate(back, false);
	CHECK_STR(xml2, xml);
	free(xml2);
	iio_context_destroy(back);

	/* Without <buffer>, the compat list is the only place left for the values. */
	xml2 = iio_context_xml_generate(ctx, true);
	CHECK(strstr(xml2, "<device id=\"iio:device1\" name=\"empty-buffers\" >"
			   "<buffer-attribute name=\"length\" value=\"length\" /></device>"));
#if WITH_XML_BACKEND
	{
		struct iio_xml_values *values;
		char value[32];

		back = iio_xml_build_context(&fake_local, NULL, xml2, strlen(xml2), &values);
		CHECK(!iio_err(back));
		two = iio_context_find_device(back, "iio:device1");
		CHECK_INT(iio_xml_values_read(values, iio_buffer_find_attr(two->buffers[0], "length"),
					      value, sizeof(value)), 7);
		CHECK_STR(value, "length");
		iio_xml_values_free(values);
		iio_context_destroy(back);
	}
#endif
	free(xml2);

	/* A second buffer with scan elements after an empty first one keeps its index. */
	two = iio_context_find_device(ctx, "iio:device1");
	CHECK(two);
	buf = iio_device_add_buffer(two, 1, IIO_BUFFER_DIRECTION_IN);
	CHECK(!iio_err(buf));
	{
		struct iio_channel *chn = iio_device_add_channel(two, "voltage0", false, 0);

		CHECK(!iio_err(chn));
		CHECK_INT(iio_data_format_parse(&chn->format, "le:s16/16>>0"), 0);
		CHECK_INT(iio_buffer_add_scan_element(buf, chn), 0);
	}
	CHECK_INT(iio_context_init(ctx), 0);
	free(xml);
	xml = iio_context_xml_generate(ctx, false);
	CHECK(strstr(xml, "</channel><buffer index=\"1\" direction=\"in\" >"));
	CHECK(!strstr(xml, "<buffer index=\"0\" ></buffer>"));
	back = iio_context_from_xml(&fake_local, NULL, xml, strlen(xml));
	CHECK(!iio_err(back));
	two = iio_context_find_device(back, "iio:device1");
	CHECK_INT(iio_device_get_buffers_count(two), 2);
	CHECK_INT(iio_buffer_get_scan_elements_count(iio_device_get_buffer(two, 0)), 0);
	CHECK_INT(iio_buffer_get_scan_elements_count(iio_device_get_buffer(two, 1)), 1);
	CHECK(!iio_buffer_is_output(iio_device_get_buffer(two, 1)));
	iio_context_destroy(back);
	free(xml);
	iio_context_destroy(ctx);
}

int main(void)
{
	test_example();
	test_escaping();
	test_formats_and_buffers();
	test_locale();
	return 0;
}
