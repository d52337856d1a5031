// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iio_event: print the events of a device as they arrive, until SIGINT,
 * SIGTERM or SIGHUP. The read blocks; the signal thread destroys the stream,
 * which makes the blocked read return -EINTR and ends the loop.
 */
#include "common.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EVENT_CODE_DIFF (1ULL << 55)

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

/* IIO_EV_DIR_NONE has no entry: that direction is not printed. */
static const char *const event_directions[] = {
	[IIO_EV_DIR_EITHER] = "either",	      [IIO_EV_DIR_RISING] = "rising",
	[IIO_EV_DIR_FALLING] = "falling",     [IIO_EV_DIR_SINGLETAP] = "singletap",
	[IIO_EV_DIR_DOUBLETAP] = "doubletap", [IIO_EV_DIR_FAULT_OPENWIRE] = "openwire",
};

/* The stream, shared with the signal thread, which destroys it exactly once. */
static struct {
	pthread_mutex_t lock;
	struct iio_event_stream *stream;
} shared = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void print_channels(const struct iio_device *dev, const struct iio_event *event)
{
	const struct iio_channel *chn = iio_event_get_channel(event, dev, false);
	const struct iio_channel *chn2 = iio_event_get_channel(event, dev, true);
	const struct iio_channel *pair = NULL;

	/* A differential channel's id already names both inputs ("voltage0-voltage1"). */
	if (event->id & EVENT_CODE_DIFF) {
		if (chn && strchr(iio_channel_get_id(chn), '-'))
			pair = chn;
		else if (chn2 && strchr(iio_channel_get_id(chn2), '-'))
			pair = chn2;
	}
	if (pair) {
		printf(", channel(s): %s", iio_channel_get_id(pair));
	} else if (chn) {
		printf(", channel(s): %s", iio_channel_get_id(chn));
		if (chn2)
			printf("-%s", iio_channel_get_id(chn2));
	}
}

static void print_event(const struct iio_device *dev, const struct iio_event *event)
{
	unsigned int type = iio_event_get_type(event);
	unsigned int dir = iio_event_get_direction(event);

	printf("Event: time: %lld", (long long)event->timestamp);
	print_channels(dev, event);
	if (type < ARRAY_SIZE(event_types))
		printf(", evtype: %s", event_types[type]);
	else
		printf(", evtype: unknown (%u)", type);
	if (dir < ARRAY_SIZE(event_directions) && event_directions[dir])
		printf(", direction: %s", event_directions[dir]);
	else if (dir != IIO_EV_DIR_NONE)
		printf(", direction: unknown (%u)", dir);
	printf("\n");
	/* One line per event, visible at once even through a pipe. */
	fflush(stdout);
}

/* Signal thread: unblocks the main thread's read (-EINTR). */
static void stop_stream(void *data)
{
	(void)data;
	pthread_mutex_lock(&shared.lock);
	if (shared.stream)
		iio_event_stream_destroy(shared.stream);
	shared.stream = NULL;
	pthread_mutex_unlock(&shared.lock);
}

/*
 * The stream to read from, or NULL once a signal destroyed it. A signal that
 * lands in the few instructions between this check and the start of the read
 * would free the stream under it: the API (destroy as the only way to unblock
 * a read) offers no way to close that window.
 */
static struct iio_event_stream *current_stream(void)
{
	struct iio_event_stream *stream;

	pthread_mutex_lock(&shared.lock);
	stream = shared.stream;
	pthread_mutex_unlock(&shared.lock);
	return stream;
}

int main(int argc, char **argv)
{
	struct iio_event_stream *stream;
	struct common_opts opts;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_event event;
	int ret = 0, status = EXIT_SUCCESS;
	char err[256];

	common_parse(&event_tool, argc, argv, &opts);
	while (common_next_option(&event_tool, argc, argv) != -1)
		;
	if (argc - optind != 1) {
		if (argc == 1)
			common_usage(&event_tool, EXIT_SUCCESS);
		fprintf(stderr, "Incorrect number of arguments.\n\n");
		common_usage(&event_tool, EXIT_FAILURE);
	}

	/* Before the context: its threads must inherit the blocked signals. */
	ret = common_catch_signals(stop_stream, NULL);
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
	pthread_mutex_lock(&shared.lock);
	if (common_stop_requested())
		iio_event_stream_destroy(stream); /* a signal came during the setup */
	else
		shared.stream = stream;
	pthread_mutex_unlock(&shared.lock);

	while ((stream = current_stream())) {
		ret = iio_event_stream_read(stream, &event, false);
		if (ret == -EINTR)
			break; /* destroyed by a signal */
		if (ret < 0) {
			iio_strerror(-ret, err, sizeof(err));
			fprintf(stderr, "Unable to read events from %s: %s\n", argv[optind], err);
			status = EXIT_FAILURE;
			break;
		}
		print_event(dev, &event);
	}

	stop_stream(NULL);
	iio_context_destroy(ctx);
	return status;
}
