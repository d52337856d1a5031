// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reads a context description (spec/xml.md §4) with libxml2 and builds the
 * context with the object-model constructors. Accepts what HEAD writes, what
 * v0.x servers send (buffer-attribute, events/ channel attributes) and older
 * hand-written documents; validation against the document's own DTD is not
 * required, well-formedness is.
 *
 * Hostile input: the size is bounded, nothing is fetched (no network, no
 * external DTD or entity), any entity declaration refuses the document, and
 * the object counts are capped (lib/xml.h).
 */
#include "xml.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if HAVE_LIBXML2

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

struct xml_reader {
	const struct iio_context_params *params;
	struct iio_context *ctx;
	struct iio_xml_values **values; /* NULL: value= attributes are ignored */
	/* First problem the parser reported. */
	char parse_error[256];
	int parse_error_line;
	bool entity_declared;
};

/* An attribute of an element, as a malloc'd string the caller frees with xmlFree, or NULL. */
static char *prop(const xmlNode *node, const char *name)
{
	return (char *)xmlGetProp(node, (const xmlChar *)name);
}

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

#define xml_err(r, node, fmt, ...)                                                      \
	prm_err((r)->params, "XML line %ld: " fmt "\n", xmlGetLineNo(node), ##__VA_ARGS__)

/* Like strtol/strtoull but the whole string must be a number. */
static bool parse_long_long(const char *str, int base, long long *out)
{
	char *end;

	if (!str || !*str)
		return false;
	errno = 0;
	*out = strtoll(str, &end, base);
	return !errno && end != str && !*end;
}

static bool parse_unsigned(const char *str, unsigned long *out)
{
	char *end;

	if (!str || !*str || *str == '-')
		return false;
	errno = 0;
	*out = strtoul(str, &end, 10);
	return !errno && end != str && !*end;
}

static int record_value(struct xml_reader *r, const xmlNode *node, const void *owner,
			enum iio_attr_type type, const char *name)
{
	char *value;
	int ret;

	if (!r->values)
		return 0;
	value = prop(node, "value");
	if (!value)
		return 0;
	ret = iio_xml_values_add(r->values, owner, type, name, value);
	xmlFree(value);
	return ret;
}

static int check_list_room(struct xml_reader *r, const xmlNode *node,
			   const struct iio_attr_list *list)
{
	if (list->count < IIO_XML_MAX_ATTRS)
		return 0;
	xml_err(r, node, "<%s>: more than %u attributes in one list", (const char *)node->name,
		IIO_XML_MAX_ATTRS);
	return -EINVAL;
}

/* <attribute>/<event-attribute> of a channel. v0.x marks event attributes with "events/". */
static int parse_channel_attr(struct xml_reader *r, struct iio_channel *chn, const xmlNode *node,
			      enum iio_attr_type type)
{
	char *name = prop(node, "name"), *filename = prop(node, "filename");
	const char *file = filename;
	int ret;

	if (!name || !*name) {
		xml_err(r, node, "<%s> without a name in channel '%s' of device '%s'",
			(const char *)node->name, chn->id, chn->dev->id);
		ret = -EINVAL;
		goto out;
	}
	if (type == IIO_ATTR_TYPE_CHANNEL && file && !strncmp(file, "events/", 7)) {
		type = IIO_ATTR_TYPE_CHANNEL_EVENT;
		file += 7;
	}
	if (file && !*file)
		file = NULL;
	ret = check_list_room(r, node,
			      type == IIO_ATTR_TYPE_CHANNEL ? &chn->attrs : &chn->event_attrs);
	if (!ret)
		ret = iio_channel_add_attr(chn, name, file, type);
	if (!ret)
		ret = record_value(r, node, chn, type, name);
out:
	xmlFree(name);
	xmlFree(filename);
	return ret;
}

static int parse_scan_element(struct xml_reader *r, struct iio_channel *chn, const xmlNode *node)
{
	char *format = prop(node, "format"), *scale = prop(node, "scale");
	int ret = -EINVAL;

	if (!format) {
		xml_err(r, node, "<scan-element> of channel '%s' in device '%s' has no format",
			chn->id, chn->dev->id);
		goto out;
	}
	if (iio_data_format_parse(&chn->format, format) < 0) {
		xml_err(r, node, "invalid scan format '%s' for channel '%s' in device '%s'", format,
			chn->id, chn->dev->id);
		goto out;
	}
	if (scale) {
		char *end;
		double value;

		errno = 0;
		value = iio_strtod_c(scale, &end);
		while (*end == ' ')
			end++;
		if (end == scale || *end || errno == ERANGE || !isfinite(value)) {
			xml_err(r, node, "invalid scale '%s' for channel '%s' in device '%s'",
				scale, chn->id, chn->dev->id);
			goto out;
		}
		chn->format.with_scale = true;
		chn->format.scale = value;
	}
	chn->is_scan_element = true;
	ret = 0;
out:
	xmlFree(format);
	xmlFree(scale);
	return ret;
}

/* The scan index of a <channel>: that of its first <scan-element>, else -ENOENT. */
static int channel_scan_index(struct xml_reader *r, const struct iio_device *dev,
			      const xmlNode *node, long *index, const xmlNode **scan)
{
	const xmlNode *child;
	long long value;
	char *str;

	*index = -ENOENT;
	*scan = NULL;
	for (child = node->children; child; child = child->next)
		if (is_element(child, "scan-element"))
			break;
	if (!child)
		return 0;

	str = prop(child, "index");
	if (!parse_long_long(str, 0, &value) || value < 0 || value > INT_MAX) {
		xml_err(r, child, "invalid or missing scan index '%s' in device '%s'",
			str ? str : "", dev->id);
		xmlFree(str);
		return -EINVAL;
	}
	xmlFree(str);
	*index = (long)value;
	*scan = child;
	return 0;
}

static int parse_channel(struct xml_reader *r, struct iio_device *dev, const xmlNode *node)
{
	char *id = prop(node, "id"), *name = prop(node, "name"), *label = prop(node, "label");
	char *type = prop(node, "type");
	const xmlNode *child, *scan;
	struct iio_channel *chn;
	bool output;
	long index;
	int ret = -EINVAL;

	if (!id || !*id) {
		xml_err(r, node, "<channel> without an id in device '%s'", dev->id);
		goto out;
	}
	if (dev->nb_channels >= IIO_XML_MAX_CHANNELS) {
		xml_err(r, node, "device '%s' has more than %u channels", dev->id,
			IIO_XML_MAX_CHANNELS);
		goto out;
	}
	/* Upstream reads an unknown type as input. */
	output = type && !strcmp(type, "output");
	if (iio_device_lookup_channel(dev, id, output)) {
		xml_err(r, node, "duplicate %s channel '%s' in device '%s'",
			output ? "output" : "input", id, dev->id);
		goto out;
	}
	ret = channel_scan_index(r, dev, node, &index, &scan);
	if (ret)
		goto out;

	chn = iio_device_add_channel(dev, id, output, index);
	ret = iio_err(chn);
	if (ret)
		goto out;
	ret = iio_channel_set_name(chn, name);
	if (!ret)
		ret = iio_channel_set_label(chn, label);
	if (!ret && scan)
		ret = parse_scan_element(r, chn, scan);

	for (child = node->children; !ret && child; child = child->next) {
		if (is_element(child, "attribute"))
			ret = parse_channel_attr(r, chn, child, IIO_ATTR_TYPE_CHANNEL);
		else if (is_element(child, "event-attribute"))
			ret = parse_channel_attr(r, chn, child, IIO_ATTR_TYPE_CHANNEL_EVENT);
	}
out:
	xmlFree(id);
	xmlFree(name);
	xmlFree(label);
	xmlFree(type);
	return ret;
}

/* A buffer the document did not describe itself (gap filler or legacy buffer 0). */
static bool is_implicit_buffer(const struct iio_buffer *buf)
{
	return !buf->nb_scan_elements && buf->direction == IIO_BUFFER_DIRECTION_UNKNOWN;
}

/*
 * The buffer of that index, creating it (and empty ones for a gap: we leave
 * out buffers without scan elements when writing) if needed.
 */
static struct iio_buffer *get_buffer(struct iio_device *dev, unsigned int index)
{
	struct iio_buffer *buf;

	while (dev->nb_buffers <= index) {
		buf = iio_device_add_buffer(dev, dev->nb_buffers, IIO_BUFFER_DIRECTION_UNKNOWN);
		if (iio_err(buf))
			return buf;
	}
	return dev->buffers[index];
}

static int parse_buffer_child(struct xml_reader *r, struct iio_buffer *buf, const xmlNode *node)
{
	struct iio_device *dev = buf->dev;
	char *name = NULL, *id = NULL, *type = NULL;
	struct iio_channel *chn;
	int ret = -EINVAL;

	if (is_element(node, "attribute")) {
		name = prop(node, "name");
		if (!name || !*name) {
			xml_err(r, node, "<attribute> without a name in buffer %u of device '%s'",
				buf->index, dev->id);
			goto out;
		}
		ret = check_list_room(r, node, &buf->attrs);
		if (!ret)
			ret = iio_buffer_add_attr(buf, name);
		if (!ret)
			ret = record_value(r, node, buf, IIO_ATTR_TYPE_BUFFER, name);
	} else if (is_element(node, "channel")) {
		id = prop(node, "id");
		type = prop(node, "type");
		if (!id || !type) {
			xml_err(r, node,
				"<channel> in buffer %u of device '%s' needs an id and a type",
				buf->index, dev->id);
			goto out;
		}
		chn = iio_device_lookup_channel(dev, id, !strcmp(type, "output"));
		if (!chn) {
			xml_err(r, node,
				"buffer %u of device '%s' refers to unknown %s channel '%s'",
				buf->index, dev->id, type, id);
			ret = -ENOENT;
			goto out;
		}
		ret = iio_buffer_add_scan_element(buf, chn);
	} else {
		ret = 0; /* text, comments, unknown elements */
	}
out:
	xmlFree(name);
	xmlFree(id);
	xmlFree(type);
	return ret;
}

static int parse_buffer(struct xml_reader *r, struct iio_device *dev, const xmlNode *node)
{
	char *index_str = prop(node, "index"), *direction = prop(node, "direction");
	enum iio_buffer_direction dir = IIO_BUFFER_DIRECTION_UNKNOWN;
	unsigned long index = 0;
	const xmlNode *child;
	struct iio_buffer *buf;
	int ret = -EINVAL;

	if (index_str && (!parse_unsigned(index_str, &index) || index >= IIO_XML_MAX_BUFFERS)) {
		xml_err(r, node, "invalid buffer index '%s' in device '%s'", index_str, dev->id);
		goto out;
	}
	if (direction)
		dir = strcmp(direction, "in") ? IIO_BUFFER_DIRECTION_OUT : IIO_BUFFER_DIRECTION_IN;

	if (index < dev->nb_buffers && !is_implicit_buffer(dev->buffers[index])) {
		xml_err(r, node, "duplicate buffer %lu in device '%s'", index, dev->id);
		goto out;
	}
	buf = get_buffer(dev, (unsigned int)index);
	ret = iio_err(buf);
	if (ret)
		goto out;
	buf->direction = dir;

	for (child = node->children; !ret && child; child = child->next)
		ret = parse_buffer_child(r, buf, child);
out:
	xmlFree(index_str);
	xmlFree(direction);
	return ret;
}

static int parse_device_attr(struct xml_reader *r, struct iio_device *dev, const xmlNode *node,
			     enum iio_attr_type type, bool *seen_buffer)
{
	const struct iio_attr_list *list;
	char *name = prop(node, "name");
	struct iio_buffer *buf;
	int ret = -EINVAL;

	if (!name || !*name) {
		xml_err(r, node, "<%s> without a name in device '%s'", (const char *)node->name,
			dev->id);
		goto out;
	}

	if (type == IIO_ATTR_TYPE_BUFFER) {
		/* Legacy servers: buffer 0's attribute. Ignored after a <buffer>. */
		ret = 0;
		if (*seen_buffer)
			goto out;
		buf = get_buffer(dev, 0);
		ret = iio_err(buf);
		if (!ret)
			ret = check_list_room(r, node, &buf->attrs);
		if (!ret)
			ret = iio_buffer_add_attr(buf, name);
		if (!ret)
			ret = record_value(r, node, buf, type, name);
		goto out;
	}

	if (type == IIO_ATTR_TYPE_DEVICE)
		list = &dev->attrs;
	else if (type == IIO_ATTR_TYPE_DEBUG)
		list = &dev->debug_attrs;
	else
		list = &dev->event_attrs;
	ret = check_list_room(r, node, list);
	if (!ret)
		ret = iio_device_add_attr(dev, name, NULL, type);
	if (!ret)
		ret = record_value(r, node, dev, type, name);
out:
	xmlFree(name);
	return ret;
}

/*
 * No buffer lists its channels (v0.x servers, which had no <buffer>, or 0.x
 * servers whose <buffer> only held attributes): every scan element belongs to
 * buffer 0, in channel order.
 */
static int add_legacy_buffer(struct iio_device *dev)
{
	struct iio_buffer *buf;
	unsigned int i;
	bool any = dev->nb_buffers > 0;
	int ret;

	for (i = 0; i < dev->nb_buffers; i++)
		if (dev->buffers[i]->nb_scan_elements)
			return 0;
	for (i = 0; !any && i < dev->nb_channels; i++)
		any = dev->channels[i]->is_scan_element;
	if (!any)
		return 0;
	buf = get_buffer(dev, 0);
	if (iio_err(buf))
		return iio_err(buf);
	for (i = 0; i < dev->nb_channels; i++) {
		if (!dev->channels[i]->is_scan_element)
			continue;
		ret = iio_buffer_add_scan_element(buf, dev->channels[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_device(struct xml_reader *r, const xmlNode *node)
{
	char *id = prop(node, "id"), *name = prop(node, "name"), *label = prop(node, "label");
	struct iio_context *ctx = r->ctx;
	struct iio_device *dev;
	const xmlNode *child;
	bool seen_buffer = false;
	unsigned int i;
	int ret = -EINVAL;

	if (!id || !*id) {
		xml_err(r, node, "<device> without an id");
		goto out;
	}
	if (ctx->nb_devices >= IIO_XML_MAX_DEVICES) {
		xml_err(r, node, "more than %u devices", IIO_XML_MAX_DEVICES);
		goto out;
	}
	for (i = 0; i < ctx->nb_devices; i++) {
		if (!strcmp(ctx->devices[i]->id, id)) {
			xml_err(r, node, "duplicate device id '%s'", id);
			goto out;
		}
	}
	dev = iio_context_add_device(ctx, id, name, label);
	ret = iio_err(dev);
	if (ret)
		goto out;

	for (child = node->children; !ret && child; child = child->next) {
		if (is_element(child, "channel")) {
			ret = parse_channel(r, dev, child);
		} else if (is_element(child, "buffer")) {
			seen_buffer = true;
			ret = parse_buffer(r, dev, child);
		} else if (is_element(child, "attribute")) {
			ret = parse_device_attr(r, dev, child, IIO_ATTR_TYPE_DEVICE, &seen_buffer);
		} else if (is_element(child, "debug-attribute")) {
			ret = parse_device_attr(r, dev, child, IIO_ATTR_TYPE_DEBUG, &seen_buffer);
		} else if (is_element(child, "event-attribute")) {
			ret = parse_device_attr(r, dev, child, IIO_ATTR_TYPE_DEVICE_EVENT,
						&seen_buffer);
		} else if (is_element(child, "buffer-attribute")) {
			ret = parse_device_attr(r, dev, child, IIO_ATTR_TYPE_BUFFER, &seen_buffer);
		}
	}
	if (!ret)
		ret = add_legacy_buffer(dev);
out:
	xmlFree(id);
	xmlFree(name);
	xmlFree(label);
	return ret;
}

static int parse_context_attr(struct xml_reader *r, const xmlNode *node)
{
	char *name = prop(node, "name"), *value = prop(node, "value");
	int ret = -EINVAL;

	if (!name || !*name || !value)
		xml_err(r, node, "<context-attribute> needs a name and a value");
	else if (r->ctx->attrs.count >= IIO_XML_MAX_ATTRS)
		xml_err(r, node, "more than %u context attributes", IIO_XML_MAX_ATTRS);
	else
		ret = iio_context_add_attr(r->ctx, name, value);
	xmlFree(name);
	xmlFree(value);
	return ret;
}

static unsigned int parse_version_number(struct xml_reader *r, const xmlNode *root,
					 const char *key)
{
	char *str = prop(root, key);
	unsigned long value = 0;

	if (str && (!parse_unsigned(str, &value) || value > UINT_MAX)) {
		prm_warn(r->params, "XML: invalid %s '%s' of <context>, using 0\n", key, str);
		value = 0;
	}
	xmlFree(str);
	return (unsigned int)value;
}

static int parse_context(struct xml_reader *r, const struct iio_backend *backend,
			 const xmlNode *root)
{
	char *description = prop(root, "description"), *git = prop(root, "version-git");
	const xmlNode *child;
	const xmlAttr *attr;
	int ret = 0;

	for (attr = root->properties; attr; attr = attr->next) {
		const char *key = (const char *)attr->name;

		if (strcmp(key, "name") && strcmp(key, "description") &&
		    strcmp(key, "version-major") && strcmp(key, "version-minor") &&
		    strcmp(key, "version-git"))
			prm_dbg(r->params, "XML: unknown attribute '%s' of <context> ignored\n",
				key);
	}

	r->ctx = iio_context_new(backend, r->params, description);
	if (iio_err(r->ctx)) {
		ret = iio_err(r->ctx);
		r->ctx = NULL;
		goto out;
	}
	/* The producer's version, when the document says which it is. */
	if (git)
		ret = iio_context_set_version(r->ctx,
					      parse_version_number(r, root, "version-major"),
					      parse_version_number(r, root, "version-minor"), git);

	for (child = root->children; !ret && child; child = child->next) {
		if (is_element(child, "context-attribute"))
			ret = parse_context_attr(r, child);
		else if (is_element(child, "device"))
			ret = parse_device(r, child);
	}
out:
	xmlFree(description);
	xmlFree(git);
	return ret;
}

/* Keeps the parser's first error for our own message (libxml2 would print to stderr). */
static void on_parser_error(void *user, xmlErrorPtr err)
{
	xmlParserCtxtPtr pctx = user;
	struct xml_reader *r = pctx->_private;
	size_t len;

	if (!err || err->level < XML_ERR_ERROR || r->parse_error[0])
		return;
	iio_strlcpy(r->parse_error, err->message ? err->message : "unknown error",
		    sizeof(r->parse_error));
	len = strlen(r->parse_error);
	if (len && r->parse_error[len - 1] == '\n')
		r->parse_error[len - 1] = '\0';
	r->parse_error_line = err->line;
}

/* Entities are never part of a context description: refuse them (expansion attacks). */
static void on_entity_decl(void *user, const xmlChar *name, int type, const xmlChar *public_id,
			   const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr pctx = user;
	struct xml_reader *r = pctx->_private;

	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	r->entity_declared = true;
	xmlStopParser(pctx);
}

static xmlDocPtr read_document(struct xml_reader *r, const char *xml, size_t len)
{
	xmlParserCtxtPtr pctx;
	xmlDocPtr doc;

	xmlInitParser();
	pctx = xmlNewParserCtxt();
	if (!pctx)
		return NULL;
	pctx->_private = r;
	pctx->sax->serror = on_parser_error;
	pctx->sax->entityDecl = on_entity_decl;
	pctx->sax->warning = NULL;

	/* No network, no external DTD or entity loading, no validation noise. */
	doc = xmlCtxtReadMemory(pctx, xml, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc && (!pctx->wellFormed || r->entity_declared)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(pctx);
	return doc;
}

static int build_from_plain(struct xml_reader *r, const struct iio_backend *backend,
			    const char *xml, size_t len)
{
	const xmlNode *root;
	xmlDocPtr doc;
	int ret;

	if (!len || len > IIO_XML_MAX_SIZE) {
		prm_err(r->params, "XML: document size %zu out of range (1 .. %u bytes)\n", len,
			IIO_XML_MAX_SIZE);
		return -EINVAL;
	}
	doc = read_document(r, xml, len);
	if (!doc) {
		if (r->entity_declared)
			prm_err(r->params,
				"XML: entity declarations are not allowed in a context description\n");
		else if (r->parse_error[0])
			prm_err(r->params, "XML line %d: not a well-formed document: %s\n",
				r->parse_error_line, r->parse_error);
		else
			prm_err(r->params, "XML: unable to parse the document\n");
		return -EINVAL;
	}

	root = xmlDocGetRootElement(doc);
	if (!root || !is_element(root, "context")) {
		prm_err(r->params, "XML: root element is <%s>, expected <context>\n",
			root ? (const char *)root->name : "");
		ret = -EINVAL;
	} else {
		ret = parse_context(r, backend, root);
	}
	xmlFreeDoc(doc);
	return ret;
}

struct iio_context *iio_xml_build_context(const struct iio_backend *backend,
					  const struct iio_context_params *params,
					  const void *xml, size_t len,
					  struct iio_xml_values **values)
{
	struct xml_reader r = { .params = params, .values = values };
	char *plain = NULL;
	size_t plain_len;
	int ret;

	if (values)
		*values = NULL;
	if (!backend || !xml) {
		prm_err(params, "XML: no document\n");
		return iio_ptr(-EINVAL);
	}
	if (iio_xml_is_zstd(xml, len)) {
		ret = iio_xml_decompress(xml, len, &plain, &plain_len);
		if (ret) {
			prm_perror(params, ret, "XML: unable to decompress the zstd document");
			return iio_ptr(ret);
		}
		xml = plain;
		len = plain_len;
	}
	/* Callers may count the terminating NUL. */
	while (len && ((const char *)xml)[len - 1] == '\0')
		len--;

	ret = build_from_plain(&r, backend, xml, len);
	free(plain);
	if (ret) {
		if (ret == -ENOMEM)
			prm_err(params, "XML: out of memory while building the context\n");
		if (r.ctx)
			iio_context_destroy(r.ctx);
		if (values) {
			iio_xml_values_free(*values);
			*values = NULL;
		}
		return iio_ptr(ret);
	}
	if (values)
		iio_xml_values_finish(*values);
	return r.ctx;
}

struct iio_context *iio_context_from_xml(const struct iio_backend *backend,
					 const struct iio_context_params *params,
					 const char *xml, size_t len)
{
	struct iio_context *ctx = iio_xml_build_context(backend, params, xml, len, NULL);
	int ret;

	if (iio_err(ctx))
		return ctx;
	ret = iio_context_init(ctx);
	if (ret) {
		iio_context_destroy(ctx);
		return iio_ptr(ret);
	}
	return ctx;
}

#else /* !HAVE_LIBXML2 */

struct iio_context *iio_xml_build_context(const struct iio_backend *backend,
					  const struct iio_context_params *params,
					  const void *xml, size_t len,
					  struct iio_xml_values **values)
{
	(void)backend;
	(void)xml;
	(void)len;
	if (values)
		*values = NULL;
	prm_err(params, "XML: this library was built without libxml2\n");
	return iio_ptr(-ENOSYS);
}

struct iio_context *iio_context_from_xml(const struct iio_backend *backend,
					 const struct iio_context_params *params,
					 const char *xml, size_t len)
{
	return iio_xml_build_context(backend, params, xml, len, NULL);
}

#endif /* HAVE_LIBXML2 */
