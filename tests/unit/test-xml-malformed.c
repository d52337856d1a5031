// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bad documents: truncated, wrong root, missing or invalid attributes,
 * dangling references, entities, huge or deeply nested input. Each gives a
 * clear error naming what is wrong, never a crash, a leak or a hang.
 */
#include "test-xml-util.h"

#include <time.h>

#if HAVE_LIBXML2

static const struct iio_backend_ops bare_ops = { 0 };
static const struct iio_backend bare = {
	.name = "xml",
	.uri_prefix = "bare:",
	.ops = &bare_ops,
};

static char last_log[4096];

/* Loads a document; returns 0 or the error, the messages go to last_log. */
static int load_len(const char *doc, size_t len)
{
	struct iio_context_params params = { 0 };
	struct iio_context *ctx;
	size_t n;
	int ret;

	params.err = tmpfile();
	CHECK(params.err);
	ctx = iio_context_from_xml(&bare, &params, doc, len);
	ret = iio_err(ctx);
	if (!ret)
		iio_context_destroy(ctx);
	rewind(params.err);
	n = fread(last_log, 1, sizeof(last_log) - 1, params.err);
	last_log[n] = '\0';
	fclose(params.err);
	return ret;
}

static int load(const char *doc)
{
	return load_len(doc, strlen(doc));
}

#define HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>"

/* body goes inside <context>; the error and a piece of the message are checked. */
static void expect_error(const char *body, int err, const char *message)
{
	char *doc;
	int ret;

	CHECK(asprintf(&doc, HEAD "<context name=\"t\">%s</context>", body) > 0);
	ret = load(doc);
	if (ret != err || !strstr(last_log, message)) {
		fprintf(stderr, "document: %s\ngot %d, expected %d\nlog: %s\nexpected in log: %s\n",
			doc, ret, err, last_log, message);
		exit(1);
	}
	free(doc);
}

static void test_missing_and_invalid(void)
{
	expect_error("<context-attribute name=\"a\" />", -EINVAL,
		     "line 1: <context-attribute> needs a name and a value");
	expect_error("<context-attribute value=\"a\" />", -EINVAL, "needs a name and a value");
	expect_error("<device name=\"x\" />", -EINVAL, "<device> without an id");
	expect_error("<device id=\"\" />", -EINVAL, "<device> without an id");
	expect_error("<device id=\"d\" /><device id=\"d\" />", -EINVAL, "duplicate device id 'd'");
	expect_error("<device id=\"iio:device0\"><channel type=\"input\" /></device>", -EINVAL,
		     "<channel> without an id in device 'iio:device0'");
	expect_error("<device id=\"d\"><channel id=\"v\" /><channel id=\"v\" /></device>", -EINVAL,
		     "duplicate input channel 'v' in device 'd'");
	expect_error("<device id=\"d\"><channel id=\"v\"><attribute filename=\"f\" /></channel>"
		     "</device>", -EINVAL, "<attribute> without a name in channel 'v' of device 'd'");
	expect_error("<device id=\"d\"><channel id=\"v\"><event-attribute name=\"\" /></channel>"
		     "</device>", -EINVAL, "<event-attribute> without a name in channel 'v'");
	expect_error("<device id=\"d\"><debug-attribute /></device>", -EINVAL,
		     "<debug-attribute> without a name in device 'd'");
	expect_error("<device id=\"d\"><attribute /></device>", -EINVAL,
		     "<attribute> without a name in device 'd'");
	expect_error("<device id=\"d\"><buffer-attribute /></device>", -EINVAL,
		     "<buffer-attribute> without a name in device 'd'");

	/* Scan elements. */
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"0\" /></channel>"
		     "</device>", -EINVAL, "<scan-element> of channel 'v' in device 'd' has no format");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"0\" "
		     "format=\"le:x16/16&gt;&gt;0\" /></channel></device>", -EINVAL,
		     "invalid scan format 'le:x16/16>>0' for channel 'v' in device 'd'");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"0\" "
		     "format=\"le:s16/16\" /></channel></device>", -EINVAL, "invalid scan format");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"-1\" "
		     "format=\"le:s16/16&gt;&gt;0\" /></channel></device>", -EINVAL,
		     "invalid or missing scan index '-1' in device 'd'");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"1x\" "
		     "format=\"le:s16/16&gt;&gt;0\" /></channel></device>", -EINVAL,
		     "invalid or missing scan index '1x'");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element "
		     "format=\"le:s16/16&gt;&gt;0\" /></channel></device>", -EINVAL,
		     "invalid or missing scan index ''");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"0\" "
		     "format=\"le:s16/16&gt;&gt;0\" scale=\"abc\" /></channel></device>", -EINVAL,
		     "invalid scale 'abc' for channel 'v' in device 'd'");
	expect_error("<device id=\"d\"><channel id=\"v\"><scan-element index=\"0\" "
		     "format=\"le:s16/16&gt;&gt;0\" scale=\"nan\" /></channel></device>", -EINVAL,
		     "invalid scale 'nan'");

	/* Buffers. */
	expect_error("<device id=\"d\"><channel id=\"v\" type=\"input\" /><buffer index=\"0\">"
		     "<channel id=\"v\" type=\"output\" /></buffer></device>", -ENOENT,
		     "buffer 0 of device 'd' refers to unknown output channel 'v'");
	expect_error("<device id=\"d\"><buffer index=\"0\"><channel id=\"w\" type=\"input\" />"
		     "</buffer><channel id=\"w\" /></device>", -ENOENT,
		     "refers to unknown input channel 'w'");
	expect_error("<device id=\"d\"><channel id=\"v\" /><buffer><channel id=\"v\" /></buffer>"
		     "</device>", -EINVAL, "<channel> in buffer 0 of device 'd' needs an id and a type");
	expect_error("<device id=\"d\"><buffer index=\"x\" /></device>", -EINVAL,
		     "invalid buffer index 'x' in device 'd'");
	expect_error("<device id=\"d\"><buffer index=\"4294967296\" /></device>", -EINVAL,
		     "invalid buffer index '4294967296'");
	expect_error("<device id=\"d\"><buffer index=\"-1\" /></device>", -EINVAL,
		     "invalid buffer index '-1'");
	expect_error("<device id=\"d\"><channel id=\"v\" /><buffer index=\"0\" direction=\"in\">"
		     "<channel id=\"v\" type=\"input\" /></buffer><buffer index=\"0\">"
		     "<channel id=\"v\" type=\"input\" /></buffer></device>", -EINVAL,
		     "duplicate buffer 0 in device 'd'");
	expect_error("<device id=\"d\"><buffer><attribute /></buffer></device>", -EINVAL,
		     "<attribute> without a name in buffer 0 of device 'd'");
}

static void test_not_a_context(void)
{
	CHECK_INT(load(""), -EINVAL);
	CHECK(strstr(last_log, "document size 0 out of range"));
	CHECK_INT(load_len("", 0), -EINVAL);
	CHECK_INT(load("not xml at all"), -EINVAL);
	CHECK(strstr(last_log, "not a well-formed document"));
	CHECK_INT(load(HEAD "<foo name=\"x\"/>"), -EINVAL);
	CHECK(strstr(last_log, "root element is <foo>, expected <context>"));
	CHECK_INT(load(HEAD "<context><device id=\"d\"></context>"), -EINVAL);
	CHECK(strstr(last_log, "XML line 1: not a well-formed document"));
	CHECK_INT(load(HEAD "<context/><context/>"), -EINVAL);
	/* Invalid UTF-8 when the document says UTF-8. */
	CHECK_INT(load(HEAD "<context><device id=\"\xff\xfe\"/></context>"), -EINVAL);
	/* A NUL in the middle stops the document there. */
	CHECK_INT(load_len(HEAD "<context>\0</context>", sizeof(HEAD "<context>\0</context>") - 1),
		  -EINVAL);
	/* Accepted: unknown elements and attributes, comments, no DTD at all. */
	CHECK_INT(load(HEAD "<context foo=\"1\"><!-- c --><thing/>text<device id=\"d\" x=\"y\">"
			    "<gadget/></device></context>"), 0);
	/* A missing or bad version is only a warning. */
	CHECK_INT(load(HEAD "<context version-major=\"x\" version-git=\"g\" />"), 0);
	CHECK(strstr(last_log, "invalid version-major 'x' of <context>, using 0"));
}

/* Every prefix of a real document fails cleanly (or, at the very end, loads). */
static void test_truncated(void)
{
	char *path, *doc;
	size_t len, cut, step;

	CHECK(asprintf(&path, "%s/fmcomms2.xml", xml_fixtures_dir()) > 0);
	doc = xml_read_file(path, &len);
	step = len / 97 + 1;
	for (cut = 0; cut < len - 16; cut += step)
		CHECK_INT(load_len(doc, cut), -EINVAL);
	/* Cut just before the closing tag. */
	CHECK_INT(load_len(doc, (size_t)(strstr(doc, "</context>") - doc)), -EINVAL);
	CHECK_INT(load_len(doc, len), 0);
	free(doc);
	free(path);
}

static void test_entities(void)
{
	static const char laughs[] =
		HEAD "<!DOCTYPE context [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"
		"<context description=\"&h;\"><device id=\"&h;\"/></context>";
	static const char external[] =
		HEAD "<!DOCTYPE context [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<context description=\"&x;\"/>";
	static const char parameter[] =
		HEAD "<!DOCTYPE context [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]>"
		"<context/>";
	static const char external_dtd[] =
		HEAD "<!DOCTYPE context SYSTEM \"http://127.0.0.1:9/context.dtd\"><context/>";
	static const char undefined[] = HEAD "<context description=\"&nope;\"/>";

	CHECK_INT(load(laughs), -EINVAL);
	CHECK(strstr(last_log, "entity declarations are not allowed"));
	CHECK_INT(load(external), -EINVAL);
	CHECK(strstr(last_log, "entity declarations are not allowed"));
	CHECK_INT(load(parameter), -EINVAL);
	CHECK(strstr(last_log, "entity declarations are not allowed"));
	/* An external DTD is never fetched: the document itself is fine. */
	CHECK_INT(load(external_dtd), 0);
	CHECK_INT(load(undefined), -EINVAL);
	CHECK(strstr(last_log, "not a well-formed document"));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A document with count copies of element inside <device id="d">. */
static char *repeated(const char *fmt, unsigned int count, bool in_device)
{
	char *doc = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&doc, &size);
	unsigned int i;

	CHECK(f);
	fputs(HEAD "<context>", f);
	if (in_device)
		fputs("<device id=\"d\">", f);
	for (i = 0; i < count; i++)
		fprintf(f, fmt, i);
	if (in_device)
		fputs("</device>", f);
	fputs("</context>", f);
	fclose(f);
	return doc;
}

static void test_huge(void)
{
	size_t len = IIO_XML_MAX_SIZE + 100;
	char *doc = malloc(len + 1), *many;
	double start;
	unsigned int depth;

	/* Larger than the limit: refused before parsing. */
	CHECK(doc);
	memset(doc, ' ', len);
	memcpy(doc, HEAD "<context>", strlen(HEAD "<context>"));
	strcpy(doc + len - strlen("</context>"), "</context>");
	CHECK_INT(load_len(doc, len), -EINVAL);
	CHECK(strstr(last_log, "out of range"));
	free(doc);

	/* Nesting far deeper than any context: the parser's depth limit, no recursion here. */
	depth = 100000;
	doc = malloc(depth * 3 + 64);
	CHECK(doc);
	strcpy(doc, HEAD);
	for (unsigned int i = 0; i < depth; i++)
		strcat(doc + strlen(HEAD) + i * 3, "<a>");
	CHECK_INT(load(doc), -EINVAL);
	free(doc);

	/* Too many objects: clear limits, and quickly. */
	start = now();
	many = repeated("<device id=\"d%u\"/>", IIO_XML_MAX_DEVICES + 1, false);
	CHECK_INT(load(many), -EINVAL);
	CHECK(strstr(last_log, "more than 4096 devices"));
	free(many);
	many = repeated("<channel id=\"voltage%u\"/>", IIO_XML_MAX_CHANNELS + 1, true);
	CHECK_INT(load(many), -EINVAL);
	CHECK(strstr(last_log, "device 'd' has more than 4096 channels"));
	free(many);
	many = repeated("<attribute name=\"a%u\"/>", IIO_XML_MAX_ATTRS + 1, true);
	CHECK_INT(load(many), -EINVAL);
	CHECK(strstr(last_log, "<attribute>: more than 4096 attributes in one list"));
	free(many);
	many = repeated("<context-attribute name=\"a%u\" value=\"\"/>", IIO_XML_MAX_ATTRS + 1,
			false);
	CHECK_INT(load(many), -EINVAL);
	CHECK(strstr(last_log, "more than 4096 context attributes"));
	free(many);
	/* Within the limits it loads. */
	many = repeated("<debug-attribute name=\"r%u\"/>", IIO_XML_MAX_ATTRS, true);
	CHECK_INT(load(many), 0);
	free(many);
	many = repeated("<buffer index=\"%u\"/>", IIO_XML_MAX_BUFFERS, true);
	CHECK_INT(load(many), 0);
	free(many);
	printf("limits checked in %.2f s\n", now() - start);
	CHECK(now() - start < 60);
}

static void test_zstd_errors(void)
{
	static const unsigned char corrupt[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x01, 0x02, 0x03 };
	struct iio_context *ctx;

	ctx = iio_context_from_xml(&bare, NULL, (const char *)corrupt, sizeof(corrupt));
#if WITH_ZSTD
	CHECK_INT(iio_err(ctx), -EIO);
#else
	CHECK_INT(iio_err(ctx), -ENOSYS);
#endif
}

int main(void)
{
	test_missing_and_invalid();
	test_not_a_context();
	test_truncated();
	test_entities();
	test_huge();
	test_zstd_errors();
	return 0;
}

#else

int main(void)
{
	printf("built without libxml2: nothing to test\n");
	return 0;
}

#endif
