// SPDX-License-Identifier: GPL-2.0-or-later
/* iio_event: print the events of a device as they arrive, until interrupted. */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define POLL_PERIOD_NS (50 * 1000 * 1000)

static const struct tool_info event_tool = {
	.name = "iio_event",
	.synopsis = "<device>",
	.optstring = "",
	.options = NULL,
	.help = NULL,
};

static const char *const event_types[] = {
	[IIO_EV_TYPE_THRESH] = "thresh",
	[IIO_EV_TYPE_MAG] = "mag",
	[IIO_EV_TYPE_ROC] = "roc",
	[IIO_EV_TYPE_THRESH_ADAPTIVE] = "thresh_adaptive",
	[IIO_EV_TYPE_MAG_ADAPTIVE] = "mag_adaptive",
	[IIO_EV_TYPE_CHANGE] = "change",
	[IIO_EV_TYPE_MAG_REFERENCED] = "mag_referenced",
	[IIO_EV_TYPE_GESTURE] = "gesture",
	[IIO_EV_TYPE_FAULT] = "fault",
};

static const char *const event_directions[] = {
	[IIO_EV_DIR_EITHER] = "either",		  [IIO_EV_DIR_RISING] = "rising",
	[IIO_EV_DIR_FALLING] = "falling",	  [IIO_EV_DIR_NONE] = NULL,
	[IIO_EV_DIR_SINGLETAP] = "singletap",	  [IIO_EV_DIR_DOUBLETAP] = "doubletap",
	[IIO_EV_DIR_FAULT_OPENWIRE] = "openwire",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void print_event(const struct iio_device *dev, const struct iio_event *event)
{
	enum iio_event_type type = iio_event_get_type(event);
	enum iio_event_direction dir = iio_event_get_direction(event);
	const struct iio_channel *chn = iio_event_get_channel(event, dev, false);
	const struct iio_channel *chn2 = iio_event_get_channel(event, dev, true);

	printf("Event: time: %lld", (long long)event->timestamp);
	if (chn) {
		printf(", channel(s): %s", iio_channel_get_id(chn));
		if (chn2)
			printf("-%s", iio_channel_get_id(chn2));
	}
	if ((unsigned int)type < ARRAY_SIZE(event_types))
		printf(", evtype: %s", event_types[type]);
	else
		printf(", evtype: unknown (%u)", (unsigned int)type);
	if ((unsigned int)dir < ARRAY_SIZE(event_directions) && event_directions[dir])
		printf(", direction: %s", event_directions[dir]);
	else if ((unsigned int)dir >= ARRAY_SIZE(event_directions))
		printf(", direction: unknown (%u)", (unsigned int)dir);
	printf("\n");
	fflush(stdout);
}

static void ignore_signal(void *data)
{
	(void)data; /* the main loop polls common_stop_requested() */
}

int main(int argc, char **argv)
{
	const struct timespec period = {.tv_sec = 0, .tv_nsec = POLL_PERIOD_NS};
	struct iio_event_stream *stream;
	struct common_opts opts;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_event event;
	char err[256];
	int ret;

	common_parse(&event_tool, argc, argv, &opts);
	while (common_next_option(&event_tool, argc, argv) != -1)
		;
	if (argc - optind != 1) {
		if (argc == 1)
			common_usage(&event_tool, EXIT_SUCCESS);
		fprintf(stderr, "Incorrect number of arguments.\n\n");
		common_usage(&event_tool, EXIT_FAILURE);
	}

	ret = common_catch_signals(ignore_signal, NULL);
	if (ret < 0) {
		iio_strerror(-ret, err, sizeof(err));
		fprintf(stderr, "Unable to set up signal handling: %s\n", err);
		return EXIT_FAILURE;
	}

	ctx = common_create_context(&event_tool, &opts);
	if (!ctx)
		return EXIT_FAILURE;

	dev = iio_context_find_device(ctx, argv[optind]);
	if (!dev) {
		fprintf(stderr, "Unable to find device '%s'\n", argv[optind]);
		iio_context_destroy(ctx);
		return EXIT_FAILURE;
	}

	stream = iio_device_create_event_stream(dev);
	if (iio_err(stream)) {
		iio_strerror(-iio_err(stream), err, sizeof(err));
		fprintf(stderr, "Unable to open the event stream of %s: %s\n", argv[optind], err);
		iio_context_destroy(ctx);
		return EXIT_FAILURE;
	}

	/* Non-blocking reads, so that a signal ends the loop within one period. */
	while (!common_stop_requested()) {
		ret = iio_event_stream_read(stream, &event, true);
		if (ret == -EAGAIN || ret == -EBUSY) {
			nanosleep(&period, NULL);
			continue;
		}
		if (ret < 0) {
			iio_strerror(-ret, err, sizeof(err));
			fprintf(stderr, "Unable to read events: %s\n", err);
			break;
		}
		print_event(dev, &event);
	}

	iio_event_stream_destroy(stream);
	iio_context_destroy(ctx);
	return ret < 0 && ret != -EAGAIN && ret != -EBUSY ? EXIT_FAILURE : EXIT_SUCCESS;
}
