// SPDX-License-Identifier: GPL-2.0-or-later
/* iio_ping: check that a context answers, and how fast. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct option ping_options[] = {
	{"count", required_argument, NULL, 'c'},
	{"interval", required_argument, NULL, 'i'},
	{NULL, 0, NULL, 0},
};

static const char *const ping_help[] = {
	"Number of requests to send (default 4).",
	"Time between two requests, in milliseconds (default 1000).",
};

static const struct tool_info ping_tool = {
	.name = "iio_ping",
	.synopsis = "[-c <count>] [-i <interval_ms>]",
	.optstring = "c:i:",
	.options = ping_options,
	.help = ping_help,
};

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

static void ignore_signal(void *data)
{
	(void)data; /* the loop checks common_stop_requested() */
}

/* Sleeps in short steps so that Ctrl-C is not delayed by a long interval. */
static void wait_ms(unsigned long long ms)
{
	const struct timespec step = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
	unsigned long long end = now_us() + ms * 1000;

	while (!common_stop_requested() && now_us() < end)
		nanosleep(&step, NULL);
}

int main(int argc, char **argv)
{
	unsigned long long count = 4, interval = 1000, i, sent = 0, received = 0, start, elapsed;
	struct common_opts opts;
	struct iio_context *ctx;
	const char *name;
	char err[256];
	int c, ret;

	common_parse(&ping_tool, argc, argv, &opts);
	while ((c = common_next_option(&ping_tool, argc, argv)) != -1) {
		if (c == 'c' && (!common_parse_ullong(optarg, UINT_MAX, &count) || !count)) {
			fprintf(stderr, "Invalid count '%s': expected a positive number\n", optarg);
			return EXIT_FAILURE;
		}
		if (c == 'i' && !common_parse_ullong(optarg, 3600 * 1000, &interval)) {
			fprintf(stderr, "Invalid interval '%s': expected milliseconds\n", optarg);
			return EXIT_FAILURE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "Incorrect number of arguments.\n\n");
		common_usage(&ping_tool, EXIT_FAILURE);
	}

	ret = common_catch_signals(ignore_signal, NULL);
	if (ret < 0) {
		iio_strerror(-ret, err, sizeof(err));
		fprintf(stderr, "Unable to set up signal handling: %s\n", err);
		return EXIT_FAILURE;
	}

	ctx = common_create_context(&ping_tool, &opts);
	if (!ctx)
		return EXIT_FAILURE;

	name = iio_context_get_name(ctx);
	printf("PING %s backend (%s)\n", name, iio_context_get_description(ctx));
	for (i = 0; i < count && !common_stop_requested(); i++) {
		if (i)
			wait_ms(interval);
		if (common_stop_requested())
			break;
		start = now_us();
		ret = iio_context_ping(ctx);
		elapsed = now_us() - start;
		sent++;
		if (ret < 0) {
			printf("No reply from %s: seq=%llu error=%d (%s)\n", name, i, ret,
			       strerror(-ret));
		} else {
			received++;
			printf("Reply from %s: seq=%llu time=%llu.%03llu ms\n", name, i,
			       elapsed / 1000, elapsed % 1000);
		}
		fflush(stdout);
	}

	printf("\n--- %s ping statistics ---\n", name);
	printf("%llu requests sent, %llu received, %llu%% loss\n", sent, received,
	       sent ? (sent - received) * 100 / sent : 0);
	iio_context_destroy(ctx);
	return sent && received == sent ? EXIT_SUCCESS : EXIT_FAILURE;
}
