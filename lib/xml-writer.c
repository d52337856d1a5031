// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Writes a context as its XML description (spec/xml.md §1-2): the prolog and
 * internal DTD, then the context, its attributes and devices, in the exact
 * byte layout stock libiio clients and servers produce.
 *
 * Plain string building: no XML library is needed to write.
 */
#include "backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Size of the scratch buffer attribute values are read into. */
#define XML_VALUE_MAX 0x10000

/* The prolog and DTD, without any whitespace between tokens. */
static const char xml_prolog[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	"<!DOCTYPE context ["
	"<!ELEMENT context (device | context-attribute)*>"
	"<!ELEMENT context-attribute EMPTY>"
	"<!ELEMENT device (channel | buffer | attribute | debug-attribute | event-attribute"
	" | buffer-attribute)*>"
	"<!ELEMENT channel (scan-element?, attribute*, event-attribute*)>"
	"<!ELEMENT buffer (attribute*, channel+)>"
	"<!ELEMENT attribute EMPTY>"
	"<!ELEMENT scan-element EMPTY>"
	"<!ELEMENT debug-attribute EMPTY>"
	"<!ELEMENT event-attribute EMPTY>"
	"<!ELEMENT buffer-attribute EMPTY>"
	"<!ATTLIST context name CDATA #REQUIRED version-major CDATA #REQUIRED"
	" version-minor CDATA #REQUIRED version-git CDATA #REQUIRED description CDATA #IMPLIED>"
	"<!ATTLIST context-attribute name CDATA #REQUIRED value CDATA #REQUIRED>"
	"<!ATTLIST device id CDATA #REQUIRED name CDATA #IMPLIED label CDATA #IMPLIED>"
	"<!ATTLIST channel id CDATA #REQUIRED type (input|output) #REQUIRED"
	" name CDATA #IMPLIED label CDATA #IMPLIED>"
	"<!ATTLIST buffer index CDATA #REQUIRED direction (in|out) #IMPLIED>"
	"<!ATTLIST scan-element index CDATA #REQUIRED format CDATA #REQUIRED"
	" scale CDATA #IMPLIED>"
	"<!ATTLIST attribute name CDATA #REQUIRED filename CDATA #IMPLIED value CDATA #IMPLIED>"
	"<!ATTLIST debug-attribute name CDATA #REQUIRED value CDATA #IMPLIED>"
	"<!ATTLIST event-attribute name CDATA #REQUIRED filename CDATA #IMPLIED"
	" value CDATA #IMPLIED>"
	"<!ATTLIST buffer-attribute name CDATA #REQUIRED value CDATA #IMPLIED>"
	"]>";

struct xml_writer {
	char *data;
	size_t len, cap;
	bool failed; /* out of memory: everything after is dropped */
	bool with_values;
	char *value; /* scratch for attribute reads (with_values only) */
};

static void put_bytes(struct xml_writer *w, const char *src, size_t len)
{
	if (w->failed)
		return;
	if (w->len + len + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		char *data;

		while (w->len + len + 1 > cap)
			cap *= 2;
		data = realloc(w->data, cap);
		if (!data) {
			w->failed = true;
			return;
		}
		w->data = data;
		w->cap = cap;
	}
	memcpy(w->data + w->len, src, len);
	w->len += len;
	w->data[w->len] = '\0';
}

static void put(struct xml_writer *w, const char *str)
{
	put_bytes(w, str, strlen(str));
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_sequence_len(const unsigned char *s)
{
	unsigned int cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF and U+FFFE/U+FFFF are not XML chars. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* The reference for characters written escaped, or NULL. */
static const char *escape_of(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\'':
		return "&apos;";
	case '"':
		return "&quot;";
	case '\t':
		return "&#9;";
	case '\n':
		return "&#10;";
	case '\r':
		return "&#13;";
	default:
		return NULL;
	}
}

/*
 * Writes text as an attribute value. Besides the five markup characters,
 * tab/newline/carriage return become character references so a parser gives
 * them back unchanged (it would turn them into spaces otherwise), and bytes
 * XML 1.0 cannot carry (control characters below 0x20, invalid UTF-8) become '?'
 * so the document stays well-formed.
 */
static void put_escaped(struct xml_writer *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *run = s;

	while (*s) {
		const char *rep = escape_of(*s);
		size_t n = 1;

		if (!rep && *s == 0x7f) {
			rep = "&#127;"; /* DEL is a valid XML character: keep it */
		} else if (!rep && *s < 0x20) {
			rep = "?";
		} else if (!rep) {
			n = utf8_sequence_len(s);
			if (!n) {
				rep = "?";
				n = 1;
			}
		}
		if (rep) {
			put_bytes(w, (const char *)run, (size_t)(s - run));
			put(w, rep);
			s += n;
			run = s;
		} else {
			s += n;
		}
	}
	put_bytes(w, (const char *)run, (size_t)(s - run));
}

static void putf(struct xml_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct xml_writer *w, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ret < 0 || (size_t)ret >= sizeof(buf))
		w->failed = true; /* only used for short numeric fields */
	else
		put_bytes(w, buf, (size_t)ret);
}

/* Writes ` key="value"` with value escaped; nothing when value is NULL. */
static void put_xml_attr(struct xml_writer *w, const char *key, const char *value)
{
	if (!value)
		return;
	put(w, " ");
	put(w, key);
	put(w, "=\"");
	put_escaped(w, value);
	put(w, "\"");
}

/* Writes ` value="…"` when values are requested: the read value or ERROR:<errno>. */
static void put_attr_value(struct xml_writer *w, const struct iio_attr *attr)
{
	ssize_t ret;

	if (!w->with_values)
		return;
	ret = iio_attr_read_raw(attr, w->value, XML_VALUE_MAX);
	if (ret < 0) {
		putf(w, " value=\"ERROR:%zd\"", ret);
		return;
	}
	w->value[XML_VALUE_MAX - 1] = '\0';
	put_xml_attr(w, "value", w->value);
}

/* <tag name="…" [filename="…"] [value="…"] /> for each attribute of a list. */
static void put_attr_list(struct xml_writer *w, const char *tag, const struct iio_attr_list *list,
			  bool with_filename, bool read_values)
{
	unsigned int i;

	for (i = 0; i < list->count; i++) {
		const struct iio_attr *attr = &list->attrs[i];

		put(w, "<");
		put(w, tag);
		put_xml_attr(w, "name", attr->name);
		if (with_filename)
			put_xml_attr(w, "filename", attr->filename);
		if (read_values)
			put_attr_value(w, attr);
		put(w, " />");
	}
}

static void put_channel(struct xml_writer *w, const struct iio_channel *chn)
{
	char format[64];

	put(w, "<channel");
	put_xml_attr(w, "id", chn->id);
	put_xml_attr(w, "name", chn->name);
	put_xml_attr(w, "label", chn->label);
	put(w, chn->is_output ? " type=\"output\" >" : " type=\"input\" >");

	if (chn->is_scan_element) {
		if (iio_data_format_print(&chn->format, format, sizeof(format)) >=
		    (int)sizeof(format)) {
			w->failed = true;
			return;
		}
		putf(w, "<scan-element index=\"%li\"", chn->index);
		put_xml_attr(w, "format", format);
		if (chn->format.with_scale) {
			char scale[512];
			int ret;

			ret = iio_format_double_c(scale, sizeof(scale), "%f", chn->format.scale);

			if (ret < 0 || (size_t)ret >= sizeof(scale)) {
				w->failed = true;
				return;
			}
			put_xml_attr(w, "scale", scale);
		}
		put(w, " />");
	}
	put_attr_list(w, "attribute", &chn->attrs, true, true);
	put_attr_list(w, "event-attribute", &chn->event_attrs, true, true);
	put(w, "</channel>");
}

static void put_buffer(struct xml_writer *w, const struct iio_buffer *buf)
{
	unsigned int i;

	/*
	 * The DTD wants at least one <channel> in a <buffer>: a buffer without
	 * scan elements is left out (upstream writes it and stock clients then
	 * refuse the whole document). A device's only buffer still keeps its
	 * attributes through the compat <buffer-attribute> list.
	 */
	if (!buf->nb_scan_elements)
		return;

	putf(w, "<buffer index=\"%u\"", buf->index);
	if (buf->direction == IIO_BUFFER_DIRECTION_IN)
		put(w, " direction=\"in\"");
	else if (buf->direction == IIO_BUFFER_DIRECTION_OUT)
		put(w, " direction=\"out\"");
	put(w, " >");
	put_attr_list(w, "attribute", &buf->attrs, false, true);
	for (i = 0; i < buf->nb_scan_elements; i++) {
		const struct iio_channel *chn = buf->scan_elements[i];

		put(w, "<channel");
		put_xml_attr(w, "id", chn->id);
		put(w, chn->is_output ? " type=\"output\" />" : " type=\"input\" />");
	}
	put(w, "</buffer>");
}

static void put_device(struct xml_writer *w, const struct iio_device *dev)
{
	unsigned int i;

	put(w, "<device");
	put_xml_attr(w, "id", dev->id);
	put_xml_attr(w, "name", dev->name);
	put_xml_attr(w, "label", dev->label);
	put(w, " >");
	for (i = 0; i < dev->nb_channels; i++)
		put_channel(w, dev->channels[i]);
	for (i = 0; i < dev->nb_buffers; i++)
		put_buffer(w, dev->buffers[i]);
	put_attr_list(w, "attribute", &dev->attrs, false, true);
	put_attr_list(w, "debug-attribute", &dev->debug_attrs, false, true);
	put_attr_list(w, "event-attribute", &dev->event_attrs, false, true);
	/*
	 * v0.x clients only know <buffer-attribute>: list the sole buffer's
	 * attributes. They carry the values only when <buffer> was left out.
	 */
	if (dev->nb_buffers == 1)
		put_attr_list(w, "buffer-attribute", &dev->buffers[0]->attrs, false,
			      !dev->buffers[0]->nb_scan_elements);
	put(w, "</device>");
}

static void put_context(struct xml_writer *w, const struct iio_context *ctx)
{
	unsigned int i;

	put(w, xml_prolog);
	put(w, "<context");
	put_xml_attr(w, "name", ctx->name);
	putf(w, " version-major=\"%u\" version-minor=\"%u\"", ctx->version_major,
	     ctx->version_minor);
	put_xml_attr(w, "version-git", iio_context_get_version_tag(ctx));
	if (ctx->description && *ctx->description)
		put_xml_attr(w, "description", ctx->description);
	put(w, " >");

	for (i = 0; i < ctx->attrs.count; i++) {
		const struct iio_attr *attr = &ctx->attrs.attrs[i];
		const char *value = ctx->attrs.values ? ctx->attrs.values[i] : NULL;

		put(w, "<context-attribute");
		put_xml_attr(w, "name", attr->name);
		put_xml_attr(w, "value", value ? value : "");
		put(w, " />");
	}
	for (i = 0; i < ctx->nb_devices; i++)
		put_device(w, ctx->devices[i]);
	put(w, "</context>");
}

char *iio_context_xml_generate(const struct iio_context *ctx, bool with_values)
{
	struct xml_writer w = { .with_values = with_values };

	if (with_values) {
		w.value = malloc(XML_VALUE_MAX);
		if (!w.value)
			return NULL;
	}
	put_context(&w, ctx);
	free(w.value);
	if (w.failed) {
		free(w.data);
		return NULL;
	}
	return w.data;
}
