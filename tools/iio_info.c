// SPDX-License-Identifier: GPL-2.0-or-later
/* iio_info: print everything a context holds, with the attribute values. */
#include "common.h"
#include "data-format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <iio/iio-backend.h>

#define VALUE_SIZE 16384

static const struct option info_options[] = {
	{"read-debug-attr", no_argument, NULL, 'd'},
	{"no-read-attr", no_argument, NULL, 'n'},
	{NULL, 0, NULL, 0},
};

static const char *const info_help[] = {
	"Also read and print the values of the debug attributes.",
	"Do not read device, channel and buffer attributes: list\n"
	"their names only.",
};

static const struct tool_info info_tool = {
	.name = "iio_info",
	.synopsis = "[-u <uri>]",
	.optstring = "dn",
	.options = info_options,
	.help = info_help,
};

/* ANSI colours, used only when stdout is a terminal. */
enum color { COLOR_DEVICE, COLOR_CHANNEL, COLOR_ATTR, COLOR_BUFFER, COLOR_ERROR };

static const char *const color_codes[] = {
	[COLOR_DEVICE] = "\033[1;32m", [COLOR_CHANNEL] = "\033[0;33m", [COLOR_ATTR] = "\033[1;34m",
	[COLOR_BUFFER] = "\033[0;36m", [COLOR_ERROR] = "\033[1;31m",
};

static bool use_colors;

static const char *on(enum color c)
{
	return use_colors ? color_codes[c] : "";
}

static const char *off(void)
{
	return use_colors ? "\033[0m" : "";
}

static bool ends_with(const char *str, const char *suffix)
{
	size_t len = strlen(str), slen = strlen(suffix);

	return len >= slen && !strcmp(str + len - slen, suffix);
}

/* Value of a "*available" attribute: "[min step max]" or a list of words. */
static void print_available(const char *value)
{
	double min, step, max;
	char *copy, *word, *save = NULL;

	if (value[0] == '[') {
		if (sscanf(value, "[%lf %lf %lf]", &min, &step, &max) == 3)
			printf(" range: [min: %g step: %g max: %g]\n", min, step, max);
		else
			printf(" value: %s\n", value);
		return;
	}

	copy = strdup(value);
	if (!copy) {
		printf(" value: %s\n", value);
		return;
	}
	printf(" options:");
	for (word = strtok_r(copy, " \n", &save); word; word = strtok_r(NULL, " \n", &save))
		printf(" %s", word);
	printf("\n");
	free(copy);
}

static void print_attr(const struct iio_attr *attr, unsigned int level, unsigned int idx,
		       bool read_value)
{
	const char *name = iio_attr_get_name(attr), *filename = iio_attr_get_filename(attr);
	char value[VALUE_SIZE], err[256];
	ssize_t ret;

	printf("%.*sattr %2u: %s%s%s", (int)level, "\t\t\t\t\t", idx, on(COLOR_ATTR), name, off());
	if (filename && strcmp(filename, name))
		printf(" (%s)", filename);

	if (attr->type == IIO_ATTR_TYPE_CONTEXT) {
		const char *static_value = iio_attr_get_static_value(attr);

		printf(" value: %s\n", static_value ? static_value : "");
		return;
	}
	if (!read_value) {
		printf("\n");
		return;
	}

	ret = iio_attr_read_raw(attr, value, sizeof(value));
	if (ret < 0) {
		iio_strerror((int)-ret, err, sizeof(err));
		printf(" value: %sERROR: %s%s\n", on(COLOR_ERROR), err, off());
	} else if (attr->type != IIO_ATTR_TYPE_BUFFER && ends_with(name, "available")) {
		print_available(value);
	} else {
		printf(" value: %s\n", value);
	}
}

static void print_channel(const struct iio_channel *chn, bool read_values)
{
	const char *name = iio_channel_get_name(chn), *label = iio_channel_get_label(chn);
	unsigned int i, nb_attrs;
	char format[64];

	printf("\t\t\t%s%s%s: %s", on(COLOR_CHANNEL), iio_channel_get_id(chn), off(),
	       name ? name : "");
	if (label)
		printf(" (label: %s)", label);
	printf(" (%s", iio_channel_is_output(chn) ? "output" : "input");
	if (iio_channel_get_type(chn) == IIO_CHAN_TYPE_UNKNOWN)
		printf(", %sERROR: iio_channel_get_type() = UNKNOWN%s", on(COLOR_ERROR), off());
	if (iio_channel_is_scan_element(chn)) {
		data_format_string(iio_channel_get_data_format(chn), format, sizeof(format));
		printf(", index: %ld, format: %s)\n", iio_channel_get_index(chn), format);
	} else {
		printf(")\n");
	}

	nb_attrs = iio_channel_get_attrs_count(chn);
	if (!nb_attrs)
		return;
	printf("\t\t\t%u channel-specific attributes found:\n", nb_attrs);
	for (i = 0; i < nb_attrs; i++)
		print_attr(iio_channel_get_attr(chn, i), 4, i, read_values);

	nb_attrs = iio_channel_get_event_attrs_count(chn);
	if (!nb_attrs)
		return;
	printf("\t\t\t%u event-specific attributes found:\n", nb_attrs);
	for (i = 0; i < nb_attrs; i++)
		print_attr(iio_channel_get_event_attr(chn, i), 4, i, read_values);
}

static void print_buffer(const struct iio_buffer *buf, unsigned int idx, bool read_values)
{
	unsigned int i, nb = iio_buffer_get_scan_elements_count(buf);

	printf("\t\t\t%sbuffer%u%s: (%s)\n", on(COLOR_BUFFER), idx, off(),
	       iio_buffer_is_output(buf) ? "output" : "input");
	printf("\t\t\t%u scan elements found:\n", nb);
	for (i = 0; i < nb; i++) {
		const struct iio_channel *chn = iio_buffer_get_scan_element(buf, i);

		printf("\t\t\t\tScan element %u: %s (%s)\n", i, iio_channel_get_id(chn),
		       iio_channel_is_output(chn) ? "output" : "input");
	}

	nb = iio_buffer_get_attrs_count(buf);
	if (!nb)
		return;
	printf("\t\t\t%u buffer attributes found:\n", nb);
	for (i = 0; i < nb; i++)
		print_attr(iio_buffer_get_attr(buf, i), 4, i, read_values);
}

static void print_trigger(const struct iio_device *dev)
{
	const struct iio_device *trigger = iio_device_get_trigger(dev);
	int ret = iio_err(trigger);
	char err[256];

	if (!ret) {
		const char *name = iio_device_get_name(trigger);

		printf("\t\tCurrent trigger: %s(%s)\n", iio_device_get_id(trigger),
		       name ? name : "");
	} else if (ret == -ENODEV) {
		printf("\t\tNo trigger assigned to device\n");
	} else if (ret == -ENOENT) {
		printf("\t\tNo trigger on this device\n");
	} else {
		iio_strerror(-ret, err, sizeof(err));
		printf("\t\t%sERROR: checking for trigger : %s%s\n", on(COLOR_ERROR), err, off());
	}
}

static bool has_scan_elements(const struct iio_device *dev)
{
	unsigned int i, nb = iio_device_get_channels_count(dev);

	for (i = 0; i < nb; i++)
		if (iio_channel_is_scan_element(iio_device_get_channel(dev, i)))
			return true;
	return false;
}

static bool supports_events(const struct iio_device *dev)
{
	struct iio_event_stream *stream = iio_device_create_event_stream(dev);

	if (iio_err(stream))
		return false;
	iio_event_stream_destroy(stream);
	return true;
}

static void print_device(const struct iio_device *dev, bool read_values, bool read_debug)
{
	const char *name = iio_device_get_name(dev), *label = iio_device_get_label(dev);
	unsigned int i, nb;

	printf("\t%s%s%s:", on(COLOR_DEVICE), iio_device_get_id(dev), off());
	if (name)
		printf(" %s", name);
	if (label)
		printf(" (label: %s)", label);
	if (has_scan_elements(dev))
		printf(" (buffer capable)");
	if (supports_events(dev))
		printf(" (events supported)");
	printf("\n");

	nb = iio_device_get_channels_count(dev);
	printf("\t\t%u channels found:\n", nb);
	for (i = 0; i < nb; i++)
		print_channel(iio_device_get_channel(dev, i), read_values);

	nb = iio_device_get_attrs_count(dev);
	if (nb) {
		printf("\t\t%u device-specific attributes found:\n", nb);
		for (i = 0; i < nb; i++)
			print_attr(iio_device_get_attr(dev, i), 3, i, read_values);
	}

	nb = iio_device_get_buffers_count(dev);
	printf("\t\t%u buffer%s found:\n", nb, nb == 1 ? "" : "s");
	for (i = 0; i < nb; i++)
		print_buffer(iio_device_get_buffer(dev, i), i, read_values);

	nb = iio_device_get_event_attrs_count(dev);
	if (nb) {
		printf("\t\t%u event attributes found:\n", nb);
		for (i = 0; i < nb; i++)
			print_attr(iio_device_get_event_attr(dev, i), 3, i, read_values);
	}

	nb = iio_device_get_debug_attrs_count(dev);
	if (nb) {
		printf("\t\t%u debug attributes found:\n", nb);
		for (i = 0; i < nb; i++)
			print_attr(iio_device_get_debug_attr(dev, i), 3, i, read_debug);
	}

	print_trigger(dev);
}

static void print_context(const struct iio_context *ctx, bool read_values, bool read_debug)
{
	unsigned int i, nb;

	printf("IIO context created with %s backend.\n", iio_context_get_name(ctx));
	printf("Backend version: %u.%u (git tag: %s)\n", iio_context_get_version_major(ctx),
	       iio_context_get_version_minor(ctx), iio_context_get_version_tag(ctx));
	printf("Backend description string: %s\n", iio_context_get_description(ctx));

	nb = iio_context_get_attrs_count(ctx);
	if (nb)
		printf("IIO context has %u attributes:\n", nb);
	for (i = 0; i < nb; i++)
		print_attr(iio_context_get_attr(ctx, i), 1, i, true);

	nb = iio_context_get_devices_count(ctx);
	printf("IIO context has %u devices:\n", nb);
	for (i = 0; i < nb; i++)
		print_device(iio_context_get_device(ctx, i), read_values, read_debug);
}

int main(int argc, char **argv)
{
	bool read_values = true, read_debug = false;
	struct common_opts opts;
	struct iio_context *ctx;
	int c;

	common_parse(&info_tool, argc, argv, &opts);
	while ((c = common_next_option(&info_tool, argc, argv)) != -1) {
		switch (c) {
		case 'd':
			read_debug = true;
			break;
		case 'n':
			read_values = false;
			break;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "Incorrect number of arguments.\n\n");
		common_usage(&info_tool, EXIT_FAILURE);
	}

	use_colors = isatty(STDOUT_FILENO);
	common_print_version(info_tool.name);

	ctx = common_create_context(&info_tool, &opts);
	if (!ctx)
		return EXIT_FAILURE;

	print_context(ctx, read_values, read_debug);
	iio_context_destroy(ctx);
	return EXIT_SUCCESS;
}
