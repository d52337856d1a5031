// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iio_attr: read and write attributes of one class (context, device, channel,
 * buffer, debug, device event, channel event), selected by device, channel
 * and attribute names or patterns.
 */
#include "common.h"
#include "data-format.h"
#include "gen-code.h"
#include "name-match.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iio/iio-backend.h>

#define NAME "iio_attr"
#define VALUE_SIZE 16384
#define MAX_FILE_SIZE (1024 * 1024)

enum attr_class {
	CLASS_NONE,
	CLASS_CONTEXT,
	CLASS_DEVICE,
	CLASS_CHANNEL,
	CLASS_BUFFER,
	CLASS_DEBUG,
	CLASS_EVENT,
	CLASS_CHANNEL_EVENT,
};

/* Words used in messages, per class. */
static const char *const class_words[] = {
	[CLASS_CONTEXT] = "context",
	[CLASS_DEVICE] = "device",
	[CLASS_CHANNEL] = "channel",
	[CLASS_BUFFER] = "buffer",
	[CLASS_DEBUG] = "debug",
	[CLASS_EVENT] = "event",
	[CLASS_CHANNEL_EVENT] = "channel event",
};

struct query {
	enum attr_class cls;
	const char *device, *channel, *attr, *value;
	unsigned int buffer_index;
	bool input_only, output_only, scan_only;
	bool ignore_case, write_only, quiet, verbose, value_from_file;
	const char *gen_file; /* -g */
};

/* One attribute selected by the query, with the objects it hangs off. */
struct match {
	const struct iio_device *dev;
	const struct iio_channel *chn;
	const struct iio_attr *attr;
};

struct match_list {
	struct match *items;
	size_t count, capacity;
};

static const struct option attr_options[] = {
	{"device-attr", no_argument, NULL, 'd'},
	{"channel-attr", no_argument, NULL, 'c'},
	{"context-attr", no_argument, NULL, 'C'},
	{"buffer-attr", no_argument, NULL, 'B'},
	{"buffer-index", required_argument, NULL, 'b'},
	{"debug-attr", no_argument, NULL, 'D'},
	{"event-attr", no_argument, NULL, 'E'},
	{"channel-event-attr", no_argument, NULL, 'e'},
	{"input-channel", no_argument, NULL, 'i'},
	{"output-channel", no_argument, NULL, 'o'},
	{"scan-channel", no_argument, NULL, 's'},
	{"ignore-case", no_argument, NULL, 'I'},
	{"write-only", no_argument, NULL, 'w'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"generate-code", required_argument, NULL, 'g'},
	{"input-file", no_argument, NULL, 'f'},
	{NULL, 0, NULL, 0},
};

static const char *const attr_help[] = {
	"Device attributes: -d [device] [attr] [value]",
	"Channel attributes: -c [device] [channel] [attr] [value]",
	"Context attributes (read only): -C [attr]",
	"Buffer attributes: -B [device] [attr] [value]",
	"Index of the buffer whose attributes -B works on (default 0).",
	"Debug attributes: -D [device] [attr] [value]",
	"Device event attributes: -E [device] [attr] [value]",
	"Channel event attributes: -e [device] [channel] [attr] [value]",
	"Only input channels.",
	"Only output channels.",
	"Only channels that are scan elements (usable in a buffer).",
	"Match names without regard to case.",
	"After a write, do not read the attribute back.",
	"Print values only.",
	"Say what is read and written, with device and channel names.",
	"Also write a C (<file>.c) or Python (<file>.py) program\n"
	"doing the same access (one attribute named in full).",
	"The [value] argument is the path of a file whose raw\n"
	"content is written to the attribute.",
};

static const struct tool_info attr_tool = {
	.name = NAME,
	.synopsis = "-d [device] [attr] [value]\n"
		    "\t\t\t\t-c [device] [channel] [attr] [value]\n"
		    "\t\t\t\t-B [device] [attr] [value]\n"
		    "\t\t\t\t-D [device] [attr] [value]\n"
		    "\t\t\t\t-E [device] [attr] [value]\n"
		    "\t\t\t\t-e [device] [channel] [attr] [value]\n"
		    "\t\t\t\t-C [attr]",
	.optstring = "dcCBb:DEeiosIwqvg:f",
	.options = attr_options,
	.help = attr_help,
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

/* ---- Name matching ------------------------------------------------------- */

static bool device_matches(const struct iio_device *dev, const char *pattern, bool icase)
{
	return name_matches(iio_device_get_id(dev), pattern, icase) ||
	       name_matches(iio_device_get_label(dev), pattern, icase) ||
	       name_matches(iio_device_get_name(dev), pattern, icase);
}

static bool channel_matches(const struct iio_channel *chn, const char *pattern, bool icase)
{
	return name_matches(iio_channel_get_id(chn), pattern, icase) ||
	       name_matches(iio_channel_get_label(chn), pattern, icase) ||
	       name_matches(iio_channel_get_name(chn), pattern, icase);
}

static bool channel_selected(const struct iio_channel *chn, const struct query *q)
{
	if (q->input_only && iio_channel_is_output(chn))
		return false;
	if (q->output_only && !iio_channel_is_output(chn))
		return false;
	if (q->scan_only && !iio_channel_is_scan_element(chn))
		return false;
	return !q->channel || channel_matches(chn, q->channel, q->ignore_case);
}

/* ---- Attributes of each class ------------------------------------------- */

static unsigned int device_attrs_count(const struct iio_device *dev, const struct query *q)
{
	const struct iio_buffer *buf;

	switch (q->cls) {
	case CLASS_DEVICE:
		return iio_device_get_attrs_count(dev);
	case CLASS_DEBUG:
		return iio_device_get_debug_attrs_count(dev);
	case CLASS_EVENT:
		return iio_device_get_event_attrs_count(dev);
	case CLASS_BUFFER:
		buf = iio_device_get_buffer(dev, q->buffer_index);
		return buf ? iio_buffer_get_attrs_count(buf) : 0;
	default:
		return 0;
	}
}

static const struct iio_attr *device_attr(const struct iio_device *dev, const struct query *q,
					  unsigned int idx)
{
	switch (q->cls) {
	case CLASS_DEVICE:
		return iio_device_get_attr(dev, idx);
	case CLASS_DEBUG:
		return iio_device_get_debug_attr(dev, idx);
	case CLASS_EVENT:
		return iio_device_get_event_attr(dev, idx);
	case CLASS_BUFFER:
		return iio_buffer_get_attr(iio_device_get_buffer(dev, q->buffer_index), idx);
	default:
		return NULL;
	}
}

static unsigned int channel_attrs_count(const struct iio_channel *chn, const struct query *q)
{
	return q->cls == CLASS_CHANNEL ? iio_channel_get_attrs_count(chn)
				       : iio_channel_get_event_attrs_count(chn);
}

static const struct iio_attr *channel_attr(const struct iio_channel *chn, const struct query *q,
					   unsigned int idx)
{
	return q->cls == CLASS_CHANNEL ? iio_channel_get_attr(chn, idx)
				       : iio_channel_get_event_attr(chn, idx);
}

/* ---- Printing ------------------------------------------------------------- */

static const char *device_label(const struct iio_device *dev)
{
	const char *label = iio_device_get_label(dev);

	if (!label)
		label = iio_device_get_name(dev);
	return label ? label : iio_device_get_id(dev);
}

static const char *direction(const struct iio_channel *chn)
{
	return iio_channel_is_output(chn) ? "output" : "input";
}

/* "dev 'x', channel 'y' (input), id 'z', " and the like, before "attr '...'". */
static void print_owner(const struct match *m, const struct query *q)
{
	const char *name;

	printf("%s '%s', ", iio_device_is_trigger(m->dev) ? "trig" : "dev", device_label(m->dev));
	if (m->chn) {
		printf("channel '%s' (%s), ", iio_channel_get_id(m->chn), direction(m->chn));
		name = iio_channel_get_name(m->chn);
		if (name)
			printf("id '%s', ", name);
	}
	if (q->cls == CLASS_BUFFER)
		printf("buffer ");
	else if (q->cls == CLASS_DEBUG)
		printf("debug ");
	else if (q->cls == CLASS_EVENT || q->cls == CLASS_CHANNEL_EVENT)
		printf("event ");
}

static bool ends_with(const char *str, const char *suffix)
{
	size_t len = strlen(str), slen = strlen(suffix);

	return len >= slen && !strcmp(str + len - slen, suffix);
}

/* A lone value: lists of "*available" attributes space-separated, ranges as "min step max". */
static void print_bare_value(const struct iio_attr *attr, const char *value)
{
	const char *p;
	size_t len = strlen(value);
	bool space = false;

	if (attr->type == IIO_ATTR_TYPE_BUFFER ||
	    !ends_with(iio_attr_get_name(attr), "available")) {
		printf("%s\n", value);
		return;
	}
	if (value[0] == '[' && len > 1 && value[len - 1] == ']') {
		value++;
		len -= 2;
	}
	for (p = value; p < value + len; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			space = true;
			continue;
		}
		if (space && p != value)
			putchar(' ');
		space = false;
		putchar(*p);
	}
	putchar('\n');
}

/* Reads one attribute and prints it; returns false if the read failed. */
static bool print_match(const struct match *m, const struct query *q, bool verbose)
{
	const char *name = iio_attr_get_name(m->attr);
	char value[VALUE_SIZE], err[256];
	ssize_t ret;

	ret = iio_attr_read_raw(m->attr, value, sizeof(value));
	if (ret < 0)
		iio_strerror((int)-ret, err, sizeof(err));

	if (verbose && !q->quiet) {
		print_owner(m, q);
		if (ret < 0)
			printf("attr '%s', ERROR: %s\n", name, err);
		else
			printf("attr '%s', value '%s'\n", name, value);
	} else if (ret < 0) {
		fprintf(stderr, "%s: unable to read attribute '%s': %s\n", NAME, name, err);
	} else {
		print_bare_value(m->attr, value);
	}
	return ret >= 0;
}

static char *read_value_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;

	if (!f)
		die("unable to open '%s': %s\n", path, strerror(errno));
	data = malloc(MAX_FILE_SIZE);
	if (!data)
		die("out of memory\n");
	*len = fread(data, 1, MAX_FILE_SIZE, f);
	if (ferror(f))
		die("unable to read '%s': %s\n", path, strerror(errno));
	if (!feof(f) && fgetc(f) != EOF)
		die("'%s' is larger than %d bytes\n", path, MAX_FILE_SIZE);
	fclose(f);
	return data;
}

static bool write_match(const struct match *m, const struct query *q, const void *data, size_t len)
{
	const char *name = iio_attr_get_name(m->attr);
	char err[256];
	ssize_t ret;

	if (q->value_from_file)
		ret = iio_attr_write_raw(m->attr, data, len);
	else
		ret = iio_attr_write_string(m->attr, q->value);
	if (ret < 0) {
		iio_strerror((int)-ret, err, sizeof(err));
		if (q->value_from_file)
			fprintf(stderr,
				"%s: unable to write the content of '%s' to attribute '%s': %s\n",
				NAME, q->value, name, err);
		else
			fprintf(stderr, "%s: unable to write '%s' to attribute '%s': %s\n", NAME,
				q->value, name, err);
		return false;
	}
	if (q->verbose && !q->quiet) {
		print_owner(m, q);
		printf("attr '%s', wrote %zd bytes\n", name, ret);
	}
	return true;
}

/* ---- Selection ------------------------------------------------------------ */

static void add_match(struct match_list *list, const struct iio_device *dev,
		      const struct iio_channel *chn, const struct iio_attr *attr)
{
	if (list->count == list->capacity) {
		size_t cap = list->capacity ? list->capacity * 2 : 16;
		struct match *items = realloc(list->items, cap * sizeof(*items));

		if (!items)
			die("out of memory\n");
		list->items = items;
		list->capacity = cap;
	}
	list->items[list->count++] = (struct match){.dev = dev, .chn = chn, .attr = attr};
}

static void print_devices_summary(const struct iio_context *ctx, const struct query *q)
{
	unsigned int i, nb = iio_context_get_devices_count(ctx);

	printf("IIO context has %u devices:\n", nb);
	for (i = 0; i < nb; i++) {
		const struct iio_device *dev = iio_context_get_device(ctx, i);
		const char *label = iio_device_get_label(dev);
		unsigned int count;
		const char *what;

		if (!label)
			label = iio_device_get_name(dev);
		printf("\t%s", iio_device_get_id(dev));
		if (label)
			printf(", %s", label);

		if (q->cls == CLASS_CHANNEL || q->cls == CLASS_CHANNEL_EVENT) {
			count = iio_device_get_channels_count(dev);
			what = "channels";
		} else {
			count = device_attrs_count(dev, q);
			what = q->cls == CLASS_DEVICE	? "device attributes"
			       : q->cls == CLASS_BUFFER ? "buffer attributes"
			       : q->cls == CLASS_DEBUG	? "debug attributes"
							: "event attributes";
		}
		printf(": found %u %s\n", count, what);
	}
}

static void print_channel_summary(const struct iio_device *dev, const struct iio_channel *chn,
				  const struct query *q)
{
	const char *name = iio_channel_get_name(chn);
	char format[64];

	printf("dev '%s', channel '%s'", device_label(dev), iio_channel_get_id(chn));
	if (name)
		printf(", id '%s'", name);
	printf(" (%s", direction(chn));
	if (iio_channel_is_scan_element(chn)) {
		data_format_string(iio_channel_get_data_format(chn), format, sizeof(format));
		printf(", index: %ld, format: %s", iio_channel_get_index(chn), format);
	}
	printf("), found %u %s attributes\n", channel_attrs_count(chn, q),
	       q->cls == CLASS_CHANNEL ? "channel-specific" : "event-specific");
}

/* Adds the attributes of one owner that match the query's attribute name. */
static void select_attrs(struct match_list *list, const struct query *q,
			 const struct iio_device *dev, const struct iio_channel *chn)
{
	unsigned int i, nb = chn ? channel_attrs_count(chn, q) : device_attrs_count(dev, q);

	for (i = 0; i < nb; i++) {
		const struct iio_attr *attr =
			chn ? channel_attr(chn, q, i) : device_attr(dev, q, i);

		if (!q->attr || name_matches(iio_attr_get_name(attr), q->attr, q->ignore_case))
			add_match(list, dev, chn, attr);
	}
}

/* Device and channel levels of the query; returns false (after a message) on no match. */
static bool select_matches(const struct iio_context *ctx, const struct query *q,
			   struct match_list *list)
{
	unsigned int i, j, nb = iio_context_get_devices_count(ctx);
	bool device_found = false, channel_found = false, buffer_found = false;

	for (i = 0; i < nb; i++) {
		const struct iio_device *dev = iio_context_get_device(ctx, i);

		if (!device_matches(dev, q->device, q->ignore_case))
			continue;
		device_found = true;

		if (q->cls != CLASS_CHANNEL && q->cls != CLASS_CHANNEL_EVENT) {
			if (q->cls == CLASS_BUFFER && !iio_device_get_buffer(dev, q->buffer_index))
				continue;
			buffer_found = true;
			select_attrs(list, q, dev, NULL);
			continue;
		}

		for (j = 0; j < iio_device_get_channels_count(dev); j++) {
			const struct iio_channel *chn = iio_device_get_channel(dev, j);

			if (!channel_selected(chn, q))
				continue;
			channel_found = true;
			if (q->channel)
				select_attrs(list, q, dev, chn);
			else
				print_channel_summary(dev, chn, q);
		}
	}

	if (!device_found) {
		fprintf(stderr, "%s: Error : could not find device (%s)\n", NAME, q->device);
		return false;
	}
	if (q->cls == CLASS_BUFFER && !buffer_found) {
		fprintf(stderr, "%s: Error : device (%s) has no buffer at index %u\n", NAME,
			q->device, q->buffer_index);
		return false;
	}
	if ((q->cls == CLASS_CHANNEL || q->cls == CLASS_CHANNEL_EVENT) && !channel_found) {
		if (q->channel)
			fprintf(stderr, "%s: Error : could not find channel (%s)\n", NAME,
				q->channel);
		else if (q->input_only || q->output_only || q->scan_only)
			fprintf(stderr, "%s: Error : device (%s) has no channel of that kind\n",
				NAME, q->device);
		else
			fprintf(stderr, "%s: Error : device (%s) has 0 channels\n", NAME,
				q->device);
		return false;
	}
	if (q->channel || (q->cls != CLASS_CHANNEL && q->cls != CLASS_CHANNEL_EVENT)) {
		if (list->count)
			return true;
		if (q->attr)
			fprintf(stderr, "%s: Error : could not find attribute (%s)\n", NAME,
				q->attr);
		else
			fprintf(stderr, "%s: Error : %s (%s) has 0 %s attributes\n", NAME,
				q->channel ? "channel" : "device",
				q->channel ? q->channel : q->device, class_words[q->cls]);
		return false;
	}
	return true;
}

/* The URI a generated program should open: the context's own if it has one. */
static const char *context_uri(const struct iio_context *ctx, const struct common_opts *opts)
{
	const struct iio_attr *attr = iio_context_find_attr(ctx, "uri");
	const char *uri = attr ? iio_attr_get_static_value(attr) : NULL;

	return uri ? uri : opts->uri;
}

static const enum gen_code_class gen_classes[] = {
	[CLASS_CONTEXT] = GEN_CODE_CONTEXT,
	[CLASS_DEVICE] = GEN_CODE_DEVICE,
	[CLASS_CHANNEL] = GEN_CODE_CHANNEL,
	[CLASS_BUFFER] = GEN_CODE_BUFFER,
	[CLASS_DEBUG] = GEN_CODE_DEBUG,
	[CLASS_EVENT] = GEN_CODE_EVENT,
	[CLASS_CHANNEL_EVENT] = GEN_CODE_CHANNEL_EVENT,
};

/* -g: the program doing what this command does on the one selected attribute. */
static bool generate_code(const struct query *q, const char *uri, const struct match *m,
			  const char *attr_name, size_t nb_matches)
{
	struct gen_code_access access = {
		.cls = gen_classes[q->cls],
		.uri = uri,
		.buffer_index = q->buffer_index,
		.attr = attr_name,
		.value = q->value,
		.read_back = !q->write_only,
	};
	char err[256];
	int ret;

	if (nb_matches != 1) {
		fprintf(stderr,
			"%s: -g needs a query that selects one attribute, this one selects %zu\n",
			NAME, nb_matches);
		return false;
	}
	if (m) {
		access.device = iio_device_get_id(m->dev);
		if (m->chn) {
			access.channel = iio_channel_get_id(m->chn);
			access.output = iio_channel_is_output(m->chn);
		}
	}
	ret = gen_code_write(q->gen_file, &access);
	if (ret < 0) {
		iio_strerror(-ret, err, sizeof(err));
		fprintf(stderr, "%s: unable to write '%s': %s\n", NAME, q->gen_file, err);
		return false;
	}
	return true;
}

static int run_context_query(const struct iio_context *ctx, const struct query *q, const char *uri)
{
	unsigned int i, nb = iio_context_get_attrs_count(ctx);
	const char *last = NULL;
	size_t found = 0;

	if (!q->attr && !q->quiet)
		printf("IIO context with %u attributes:\n", nb);
	for (i = 0; i < nb; i++) {
		const struct iio_attr *attr = iio_context_get_attr(ctx, i);
		const char *value = iio_attr_get_static_value(attr);

		if (q->attr && !name_matches(iio_attr_get_name(attr), q->attr, q->ignore_case))
			continue;
		found++;
		last = iio_attr_get_name(attr);
		if (q->quiet)
			printf("%s\n", value ? value : "");
		else
			printf("%s: %s\n", iio_attr_get_name(attr), value ? value : "");
	}
	if (q->attr && !found) {
		fprintf(stderr, "%s: Error : could not find attribute (%s)\n", NAME, q->attr);
		return EXIT_FAILURE;
	}
	if (q->gen_file && !generate_code(q, uri, NULL, last, found))
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}

static int run_query(const struct iio_context *ctx, const struct query *q, const char *uri)
{
	struct match_list list = {0};
	bool ok = true, verbose;
	char *data = NULL;
	size_t i, len = 0;

	if (q->cls == CLASS_CONTEXT)
		return run_context_query(ctx, q, uri);
	if (!q->device) {
		print_devices_summary(ctx, q);
		return EXIT_SUCCESS;
	}
	if (!select_matches(ctx, q, &list) ||
	    (q->gen_file && !generate_code(q, uri, &list.items[0],
					   iio_attr_get_name(list.items[0].attr), list.count))) {
		free(list.items);
		return EXIT_FAILURE;
	}

	/* A lone named attribute prints its bare value; anything else says what it is. */
	verbose = q->verbose || !q->attr || is_pattern(q->device) || is_pattern(q->channel) ||
		  is_pattern(q->attr) || list.count > 1;

	if (q->value && q->value_from_file)
		data = read_value_file(q->value, &len);

	for (i = 0; i < list.count; i++) {
		if (q->value && !write_match(&list.items[i], q, data, len)) {
			ok = false;
			continue;
		}
		if (q->value && q->write_only)
			continue;
		if (!print_match(&list.items[i], q, verbose))
			ok = false;
	}
	free(data);
	free(list.items);
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- Command line ---------------------------------------------------------- */

static void set_class(struct query *q, enum attr_class cls)
{
	if (q->cls != CLASS_NONE && q->cls != cls)
		die("the options -d, -c, -C, -B, -D, -E and -e are exclusive (use only one)\n");
	q->cls = cls;
}

/* "-1", "-0.5": a negative number given as the last word is a value, not an option. */
static bool is_negative_number(const char *word)
{
	char *end;

	if (word[0] != '-' || !word[1])
		return false;
	(void)strtod(word, &end);
	return !*end;
}

static bool option_takes_argument(const char *word)
{
	static const char *const with_arg[] = {"-u", "--uri",	       "-T", "--timeout",
					       "-b", "--buffer-index", "-g", "--generate-code"};
	size_t i;

	for (i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++)
		if (!strcmp(word, with_arg[i]))
			return true;
	return false;
}

static void assign_positionals(struct query *q, char **words, int nb)
{
	const char **slots[4];
	int nb_slots = 0, i;

	switch (q->cls) {
	case CLASS_CONTEXT:
		slots[nb_slots++] = &q->attr;
		break;
	case CLASS_CHANNEL:
	case CLASS_CHANNEL_EVENT:
		slots[nb_slots++] = &q->device;
		slots[nb_slots++] = &q->channel;
		slots[nb_slots++] = &q->attr;
		slots[nb_slots++] = &q->value;
		break;
	default:
		slots[nb_slots++] = &q->device;
		slots[nb_slots++] = &q->attr;
		slots[nb_slots++] = &q->value;
		break;
	}
	if (nb > nb_slots)
		die("too many arguments for searching for %s attributes\n", class_words[q->cls]);
	for (i = 0; i < nb; i++)
		*slots[i] = words[i];

	if (q->device && !q->device[0])
		die("Device name required\n");
	if (q->channel && !q->channel[0])
		die("Channel name required\n");
	if (q->attr && !q->attr[0])
		die("Attribute name required\n");
}

static void parse_command_line(int argc, char **argv, struct query *q, struct common_opts *opts)
{
	unsigned long long index;
	char *words[4];
	int nargs = argc, nb_words = 0, c;
	bool index_set = false;

	/* Keep a trailing negative value away from getopt. */
	if (argc > 2 && is_negative_number(argv[argc - 1]) &&
	    !option_takes_argument(argv[argc - 2]))
		nargs--;

	common_parse(&attr_tool, nargs, argv, opts);
	while ((c = common_next_option(&attr_tool, nargs, argv)) != -1) {
		switch (c) {
		case 'd':
			set_class(q, CLASS_DEVICE);
			break;
		case 'c':
			set_class(q, CLASS_CHANNEL);
			break;
		case 'C':
			set_class(q, CLASS_CONTEXT);
			break;
		case 'B':
			set_class(q, CLASS_BUFFER);
			break;
		case 'D':
			set_class(q, CLASS_DEBUG);
			break;
		case 'E':
			set_class(q, CLASS_EVENT);
			break;
		case 'e':
			set_class(q, CLASS_CHANNEL_EVENT);
			break;
		case 'b':
			if (!common_parse_ullong(optarg, UINT_MAX - 1, &index))
				die("invalid buffer index '%s'\n", optarg);
			q->buffer_index = (unsigned int)index;
			index_set = true;
			break;
		case 'i':
			q->input_only = true;
			break;
		case 'o':
			q->output_only = true;
			break;
		case 's':
			q->scan_only = true;
			break;
		case 'I':
			q->ignore_case = true;
			break;
		case 'w':
			q->write_only = true;
			break;
		case 'q':
			q->quiet = true;
			break;
		case 'v':
			q->verbose = true;
			break;
		case 'g':
			if (!gen_code_supported(optarg))
				die("-g needs a file name ending in .c or .py, not '%s'\n", optarg);
			q->gen_file = optarg;
			break;
		case 'f':
			q->value_from_file = true;
			break;
		}
	}

	if (q->cls == CLASS_NONE) {
		if (argc == 1)
			common_usage(&attr_tool, EXIT_SUCCESS);
		die("must specify one of -d, -c, -C, -B, -D, -E or -e.\n");
	}
	if (q->input_only && q->output_only)
		die("-i and -o exclude each other\n");
	if ((q->input_only || q->output_only || q->scan_only) && q->cls != CLASS_CHANNEL &&
	    q->cls != CLASS_CHANNEL_EVENT)
		die("-i, -o and -s only apply to channels (-c or -e)\n");
	if (index_set && q->cls != CLASS_BUFFER)
		die("-b only applies to buffer attributes (-B)\n");
	if (q->value_from_file && q->cls == CLASS_CONTEXT)
		die("-f cannot be used with context attributes, which are read only\n");

	while (optind < nargs && nb_words < 4)
		words[nb_words++] = argv[optind++];
	if (optind < nargs || (nargs < argc && nb_words == 4))
		die("too many arguments for searching for %s attributes\n", class_words[q->cls]);
	if (nargs < argc)
		words[nb_words++] = argv[nargs];
	assign_positionals(q, words, nb_words);

	if (q->value && (is_pattern(q->device) || is_pattern(q->channel) || is_pattern(q->attr)))
		die("can't write value with wildcard match\n");
	if (q->value_from_file && !q->value)
		die("-f needs a file name in place of the value\n");
	if (q->write_only && !q->value)
		die("-w only applies when writing a value\n");
	if (q->gen_file && (is_pattern(q->device) || is_pattern(q->channel) ||
			    is_pattern(q->attr) || q->value_from_file))
		die("-g cannot be used with patterns or -f\n");
	if (q->gen_file && !q->attr)
		die("-g needs the attribute named in full\n");
}

int main(int argc, char **argv)
{
	struct query q = {.cls = CLASS_NONE};
	struct common_opts opts;
	struct iio_context *ctx;
	int ret;

	parse_command_line(argc, argv, &q, &opts);

	ctx = common_create_context(&attr_tool, &opts);
	if (!ctx)
		return EXIT_FAILURE;

	ret = run_query(ctx, &q, context_uri(ctx, &opts));
	iio_context_destroy(ctx);
	return ret;
}
