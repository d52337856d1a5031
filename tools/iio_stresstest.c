// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iio_stresstest: many threads, each connecting to the same context over and
 * over, opening a stream on one device's buffer, taking a random number of
 * blocks from it and tearing everything down again. It finds servers and
 * backends that leak, deadlock or crash when clients come and go quickly.
 *
 * -T (and its alias -d) is the run time in seconds here, not the common I/O
 * timeout in milliseconds: upstream's iio_stresstest gives the letter that
 * meaning. This file therefore reads -T and -h itself before the common
 * parser runs, and prints its own usage text.
 */
#include "common.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NB_BLOCKS 4
#define DEFAULT_BUFFER_SIZE 256
#define MAX_BUFFER_SIZE (4u * 1024 * 1024)
#define MAX_THREADS 1024
#define MAX_RUN_TIME_S 86400
#define MAX_BLOCK_BYTES (1ULL << 31)
#define RETRY_DELAY_MS 100
#define POLL_PERIOD_MS 20
/* Per connection: 1..MAX_STREAMS streams; per stream: 0..MAX_REFILLS blocks. */
#define MAX_STREAMS 4
#define MAX_REFILLS 32
/* Histogram of the gaps between context creations: [0,1) ms, then powers of two. */
#define NB_GAP_BUCKETS 18

static const struct option stress_options[] = {
	{"buffer-size", required_argument, NULL, 'b'},
	{"threads", required_argument, NULL, 't'},
	{"verbose", no_argument, NULL, 'v'},
	{"duration", required_argument, NULL, 'd'},
	{NULL, 0, NULL, 0},
};

/* The usage text: the common options (with this tool's -T), then the tool's. */
static const struct {
	char letter;
	const char *name;
	int has_arg;
	const char *help;
} usage_entries[] = {
	{'h', "help", no_argument, "Print this help text and exit."},
	{'V', "version", no_argument,
	 "Print the versions of this tool and of the library, then exit."},
	{'u', "uri", required_argument,
	 "Use the IIO context at this URI ('local:', 'ip:<host>',\n"
	 "'usb:<bus>.<address>', 'xml:<file>' ...). Without -u and -a:\n"
	 "$IIOD_REMOTE if set, else 'local:'."},
	{'S', "scan", optional_argument,
	 "List the IIO contexts that can be found and exit. The\n"
	 "optional argument restricts the search to some backends:\n"
	 "'ip', 'usb', 'ip,usb', 'usb=0456:*' ..."},
	{'a', "auto", optional_argument,
	 "Look for IIO contexts and use the one found, if there is\n"
	 "exactly one. The optional argument selects backends as\n"
	 "for --scan."},
	{'T', "timeout", required_argument,
	 "Run time in seconds (0..86400), also the longest wait for\n"
	 "the context to come up; 0 = until interrupted (default)."},
	{'b', "buffer-size", required_argument,
	 "Samples per block (default 256), clamped to the cache line\n"
	 "size .. 4194304."},
	{'t', "threads", required_argument,
	 "Number of threads (default: 4 per CPU core), clamped to\n"
	 "1..1024."},
	{'v', "verbose", no_argument,
	 "Say more: -v prints every error of the threads, -vv also\n"
	 "every context and stream, -vvv also every block."},
	{'d', "duration", required_argument, "Same as -T."},
};

static const struct tool_info stress_tool = {
	.name = "iio_stresstest",
	.synopsis = "[-b <buffer-size>] [-t <threads>] [-T <seconds>] [-v...] "
		    "<iio_device> [<channel> ...]",
	.optstring = "b:t:vd:",
	.options = stress_options,
	.help = NULL, /* stress_usage() prints the help */
};

struct stress_opts {
	unsigned long long buffer_size;
	unsigned int nb_threads;
	unsigned int run_time_s; /* 0: until a signal */
	unsigned int verbose;
	const char *device;
	char **channels;
	int nb_channels;
};

/* One thread's counters, and the stream a stop must cancel. */
struct worker {
	unsigned int id;
	pthread_t thread;
	bool started;
	uint64_t rng;
	pthread_mutex_t lock;
	struct iio_stream *stream; /* under lock */
	unsigned int runs, buffers, refills;
	unsigned int ctx_errors, buffer_errors, refill_errors;
};

struct stress {
	struct stress_opts opts;
	struct iio_context_params params;	 /* the first context's */
	struct iio_context_params thread_params; /* quieter, unless -v */
	const char *uri; /* NULL: $IIOD_REMOTE or local:, as for the first context */
	atomic_bool stop;
	unsigned long long deadline_us; /* 0: none */
	pthread_mutex_t gap_lock;
	unsigned long long last_ctx_us;
	unsigned int gaps[NB_GAP_BUCKETS];
	unsigned int nb_contexts;
};

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

static bool must_stop(struct stress *s)
{
	if (atomic_load(&s->stop) || common_stop_requested())
		return true;
	if (s->deadline_us && now_us() >= s->deadline_us) {
		atomic_store(&s->stop, true);
		return true;
	}
	return false;
}

/* Sleeps up to ms, in short steps so that a stop is not delayed. */
static void pause_ms(struct stress *s, unsigned int ms)
{
	const struct timespec step = {.tv_sec = 0, .tv_nsec = POLL_PERIOD_MS * 1000 * 1000};
	unsigned long long end = now_us() + ms * 1000ULL;

	while (!must_stop(s) && now_us() < end)
		nanosleep(&step, NULL);
}

/* xorshift64*: each thread has its own generator, rand() is not thread-safe. */
static unsigned int next_random(struct worker *w, unsigned int bound)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (unsigned int)((w->rng * 0x2545F4914F6CDD1DULL) >> 33) % bound;
}

static void print_err(const char *prefix, const char *what, int err)
{
	char buf[256];

	iio_strerror(-err, buf, sizeof(buf));
	fprintf(stderr, "%s%s: %s\n", prefix, what, buf); /* buf ends with the number */
}

static void worker_say(const struct stress *s, unsigned int level, const struct worker *w,
		       const char *what, int err)
{
	char prefix[32];

	if (s->opts.verbose < level)
		return;
	snprintf(prefix, sizeof(prefix), "%s: %2u: ", stress_tool.name, w->id);
	if (err)
		print_err(prefix, what, err);
	else
		fprintf(stderr, "%s%s\n", prefix, what);
}

static void record_context(struct stress *s)
{
	unsigned long long now, gap_ms;
	unsigned int bucket = 0;

	pthread_mutex_lock(&s->gap_lock);
	now = now_us(); /* under the lock: the times come in order */
	if (s->nb_contexts++) {
		gap_ms = (now - s->last_ctx_us) / 1000;
		while (gap_ms && bucket < NB_GAP_BUCKETS - 1) {
			gap_ms >>= 1;
			bucket++;
		}
		s->gaps[bucket]++;
	}
	s->last_ctx_us = now;
	pthread_mutex_unlock(&s->gap_lock);
}

static void publish_stream(struct stress *s, struct worker *w, struct iio_stream *stream)
{
	pthread_mutex_lock(&w->lock);
	w->stream = stream;
	pthread_mutex_unlock(&w->lock);
	if (stream && must_stop(s))
		iio_stream_cancel(stream); /* the stop came before the stream was published */
}

static void cancel_worker(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	if (w->stream)
		iio_stream_cancel(w->stream);
	pthread_mutex_unlock(&w->lock);
}

static bool buffer_has_channel(const struct iio_buffer *buf, const struct iio_channel *chn)
{
	unsigned int i, nb = iio_buffer_get_scan_elements_count(buf);

	for (i = 0; i < nb; i++)
		if (iio_buffer_get_scan_element(buf, i) == chn)
			return true;
	return false;
}

/*
 * Finds the device, its buffer 0 and the channels in ctx, and fills mask.
 * quiet: say nothing (a thread's repeated checks). Returns 0 or a negative errno.
 */
static int select_channels(const struct iio_context *ctx, const struct stress_opts *opts,
			   struct iio_device **devp, struct iio_buffer **bufp,
			   struct iio_channels_mask **maskp, bool quiet)
{
	struct iio_device *dev = iio_context_find_device(ctx, opts->device);
	struct iio_channels_mask *mask;
	struct iio_buffer *buf;
	unsigned int i, nb;
	int c;

	if (!dev) {
		if (!quiet)
			fprintf(stderr, "%s: device '%s' not found\n", stress_tool.name,
				opts->device);
		return -ENODEV;
	}
	buf = iio_device_get_buffer(dev, 0);
	nb = buf ? iio_buffer_get_scan_elements_count(buf) : 0;
	if (!nb) {
		if (!quiet)
			fprintf(stderr, "%s: device '%s' has no buffer with scan elements\n",
				stress_tool.name, opts->device);
		return -ENOENT;
	}
	if (iio_buffer_is_output(buf)) {
		if (!quiet)
			fprintf(stderr,
				"%s: buffer 0 of device '%s' is an output buffer; "
				"this tool only reads\n",
				stress_tool.name, opts->device);
		return -EINVAL;
	}

	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	if (!mask) {
		if (!quiet)
			fprintf(stderr, "%s: out of memory\n", stress_tool.name);
		return -ENOMEM;
	}
	if (!opts->nb_channels) {
		for (i = 0; i < nb; i++)
			iio_channel_enable(iio_buffer_get_scan_element(buf, i), mask);
	}
	for (c = 0; c < opts->nb_channels; c++) {
		const struct iio_channel *chn =
			iio_device_find_channel(dev, opts->channels[c], false);

		if (!chn || !buffer_has_channel(buf, chn)) {
			if (!quiet)
				fprintf(stderr,
					"%s: input channel '%s' not found among the scan "
					"elements of device '%s'\n",
					stress_tool.name, opts->channels[c], opts->device);
			iio_channels_mask_destroy(mask);
			return -ENOENT;
		}
		iio_channel_enable(chn, mask);
	}

	*devp = dev;
	*bufp = buf;
	*maskp = mask;
	return 0;
}

/* One stream: open it, take a random number of blocks, close it. */
static void stream_once(struct stress *s, struct worker *w, struct iio_buffer *buf,
			struct iio_channels_mask *mask)
{
	unsigned int nb_refills = next_random(w, MAX_REFILLS + 1), i;
	struct iio_stream *stream;
	const struct iio_block *block;
	char what[64];
	int ret;

	stream = iio_buffer_create_stream(buf, NB_BLOCKS, (size_t)s->opts.buffer_size, mask);
	ret = iio_err(stream);
	if (ret) {
		w->buffer_errors++;
		worker_say(s, 1, w, "Unable to create a stream", ret);
		pause_ms(s, RETRY_DELAY_MS); /* e.g. -EBUSY: another thread has the buffer */
		return;
	}
	publish_stream(s, w, stream);
	w->buffers++;
	snprintf(what, sizeof(what), "stream opened, %u blocks to take", nb_refills);
	worker_say(s, 2, w, what, 0);

	for (i = 0; i < nb_refills && !must_stop(s); i++) {
		block = iio_stream_get_next_block(stream);
		ret = iio_err(block);
		if (ret) {
			if (!must_stop(s)) { /* a cancel is no error */
				w->refill_errors++;
				worker_say(s, 1, w, "Unable to get a block", ret);
			}
			break;
		}
		w->refills++;
		worker_say(s, 3, w, "block", 0);
	}

	publish_stream(s, w, NULL);
	iio_stream_destroy(stream);
}

/* One connection: a context, then a few streams. */
static void run_once(struct stress *s, struct worker *w)
{
	struct iio_channels_mask *mask;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_buffer *buf;
	unsigned int nb_streams, i;
	int ret;

	ctx = iio_create_context(&s->thread_params, s->uri);
	ret = iio_err(ctx);
	if (ret) {
		w->ctx_errors++;
		worker_say(s, 1, w, "Unable to create the context", ret);
		pause_ms(s, RETRY_DELAY_MS);
		return;
	}
	record_context(s);
	worker_say(s, 2, w, "context created", 0);

	ret = select_channels(ctx, &s->opts, &dev, &buf, &mask, true);
	if (ret) {
		/* The context changed since the start (a board re-plugged, another URI). */
		w->ctx_errors++;
		worker_say(s, 1, w, "The device or its channels are gone", ret);
		iio_context_destroy(ctx);
		pause_ms(s, RETRY_DELAY_MS);
		return;
	}

	nb_streams = 1 + next_random(w, MAX_STREAMS);
	for (i = 0; i < nb_streams && !must_stop(s); i++)
		stream_once(s, w, buf, mask);

	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
	w->runs++;
	worker_say(s, 2, w, "context destroyed", 0);
}

struct worker_arg {
	struct stress *s;
	struct worker *w;
};

static void *worker_main(void *data)
{
	struct worker_arg *arg = data;

	while (!must_stop(arg->s))
		run_once(arg->s, arg->w);
	return NULL;
}

/* The first context: retried until it comes up, the deadline or a signal. */
static struct iio_context *first_context(struct stress *s, const struct common_opts *common)
{
	const char *uri = s->uri ? s->uri : getenv("IIOD_REMOTE");
	struct iio_context *ctx;
	char what[256];
	int ret, last = 0;

	if (common->autodetect)
		return common_create_context(&stress_tool, common); /* scans once, says why */

	for (;;) {
		/* Retries are quiet: this loop says what goes wrong, once per error. */
		ctx = iio_create_context(last ? &s->thread_params : &s->params, s->uri);
		ret = iio_err(ctx);
		if (!ret)
			return ctx;
		snprintf(what, sizeof(what), " %s", uri && *uri ? uri : "local:");
		/* A URI no backend takes will not get better by waiting. */
		if (ret == -ENOSYS || ret == -EINVAL || ret == -EOPNOTSUPP || must_stop(s) ||
		    !s->deadline_us) {
			print_err("ERROR: Unable to create IIO context", what, ret);
			return NULL;
		}
		if (ret != last)
			print_err("Waiting for IIO context", what, ret);
		last = ret;
		pause_ms(s, RETRY_DELAY_MS);
	}
}

static void print_report(struct stress *s, struct worker *workers, unsigned long long elapsed_us)
{
	unsigned int i, runs = 0, buffers = 0, refills = 0, ctx_err = 0, buf_err = 0, ref_err = 0;
	unsigned long long secs = elapsed_us / 1000000;
	double t = elapsed_us ? (double)elapsed_us / 1e6 : 1.0;
	int first = -1, last = -1, b;

	for (i = 0; i < s->opts.nb_threads; i++) {
		struct worker *w = &workers[i];

		printf("%2u: Ran : %u times, opening %u buffers, doing %u refills\n", i, w->runs,
		       w->buffers, w->refills);
		runs += w->runs;
		buffers += w->buffers;
		refills += w->refills;
		ctx_err += w->ctx_errors;
		buf_err += w->buffer_errors;
		ref_err += w->refill_errors;
	}
	printf("total: %lluh%02llum%02llus Context : %u (%.1f/s), buffers: %u (%.1f/s), "
	       "refills : %u (%.1f/s)\n",
	       secs / 3600, secs / 60 % 60, secs % 60, s->nb_contexts, s->nb_contexts / t, buffers,
	       buffers / t, refills, refills / t);
	printf("completed runs: %u, errors: %u context, %u stream, %u block\n", runs, ctx_err,
	       buf_err, ref_err);

	for (b = 0; b < NB_GAP_BUCKETS; b++) {
		if (s->gaps[b]) {
			if (first < 0)
				first = b;
			last = b;
		}
	}
	if (first < 0) {
		printf("Context creation gaps: none (fewer than 2 contexts created)\n");
		return;
	}
	printf("Context creation gaps (time between two contexts created, any thread):\n");
	for (b = first; b <= last; b++) {
		unsigned long long lo = b ? 1ULL << (b - 1) : 0, hi = 1ULL << b;

		if (b == NB_GAP_BUCKETS - 1)
			printf("  >= %6llu ms     : %u\n", lo, s->gaps[b]);
		else
			printf("  %6llu - %6llu ms: %u\n", lo, hi, s->gaps[b]);
	}
}

/* ---- Command line ----------------------------------------------------------- */

static void stress_usage(int status)
{
	FILE *out = status ? stderr : stdout;
	const char *line, *end;
	size_t i;

	fprintf(out, "Usage:\n\t%s [OPTION]...\t%s\nOptions:\n", stress_tool.name,
		stress_tool.synopsis);
	for (i = 0; i < sizeof(usage_entries) / sizeof(usage_entries[0]); i++) {
		fprintf(out, "\t-%c, --%s%s\n", usage_entries[i].letter, usage_entries[i].name,
			usage_entries[i].has_arg == required_argument	? " [arg]"
			: usage_entries[i].has_arg == optional_argument ? " <arg>"
									: "");
		for (line = usage_entries[i].help; line; line = end ? end + 1 : NULL) {
			end = strchr(line, '\n');
			fprintf(out, "\t\t\t%.*s\n", end ? (int)(end - line) : (int)strlen(line),
				line);
		}
	}
	fprintf(out, "\nThis program is free software, distributed under the GNU General Public\n"
		     "License, version 2 or later. It comes WITHOUT ANY WARRANTY, not even the\n"
		     "implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n");
	exit(status);
}

static unsigned int parse_run_time(const char *arg)
{
	unsigned long long val;

	if (!common_parse_ullong(arg, ULLONG_MAX, &val)) {
		fprintf(stderr, "%s: invalid timeout '%s': expected seconds (0..%u)\n",
			stress_tool.name, arg, MAX_RUN_TIME_S);
		exit(EXIT_FAILURE);
	}
	if (val > MAX_RUN_TIME_S) {
		fprintf(stderr, "%s: timeout %llu s clamped to %u s\n", stress_tool.name, val,
			MAX_RUN_TIME_S);
		val = MAX_RUN_TIME_S;
	}
	return (unsigned int)val;
}

/*
 * Before the common parser: -h (this tool's usage) and -T (seconds). Knows
 * every option so that arguments are not taken for options.
 */
static void prescan(int argc, char **argv, struct stress_opts *opts)
{
	static const struct option all_options[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"uri", required_argument, NULL, 'u'},
		{"scan", optional_argument, NULL, 'S'},
		{"auto", optional_argument, NULL, 'a'},
		{"timeout", required_argument, NULL, 'T'},
		{"buffer-size", required_argument, NULL, 'b'},
		{"threads", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"duration", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	bool help = false;
	char **copy;
	int c;

	/* On a copy: getopt reorders what it walks, which would move the word
	 * after "-a" or "-S" away from it before common_parse() sees it. */
	copy = calloc((size_t)argc + 1, sizeof(*copy));
	if (!copy) {
		fprintf(stderr, "%s: out of memory\n", stress_tool.name);
		exit(EXIT_FAILURE);
	}
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, copy, "hVu:a::S::T:b:t:vd:", all_options, NULL)) != -1) {
		if (c == 'h')
			help = true;
		else if (c == 'T' && !help)
			opts->run_time_s = parse_run_time(optarg);
	}
	opterr = 1;
	optind = 0;
	free(copy);
	if (help)
		stress_usage(EXIT_SUCCESS);
}

static unsigned long long parse_clamped(const char *what, const char *arg, unsigned long long min,
					unsigned long long max)
{
	unsigned long long val;

	if (!common_parse_ullong(arg, ULLONG_MAX, &val)) {
		fprintf(stderr, "%s: invalid %s '%s'\n", stress_tool.name, what, arg);
		exit(EXIT_FAILURE);
	}
	if (val < min || val > max) {
		val = val < min ? min : max;
		fprintf(stderr, "%s: %s '%s' clamped to %llu\n", stress_tool.name, what, arg, val);
	}
	return val;
}

static void parse_command_line(int argc, char **argv, struct stress_opts *opts,
			       struct common_opts *common)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	long line = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
	unsigned long long min_size = line > 0 ? (unsigned long long)line : 64;
	int c;

	opts->buffer_size = DEFAULT_BUFFER_SIZE;
	if (cores < 1)
		cores = 1;
	opts->nb_threads = cores > MAX_THREADS / 4 ? MAX_THREADS : 4 * (unsigned int)cores;

	prescan(argc, argv, opts);
	common_parse(&stress_tool, argc, argv, common);
	/* common_parse() took -T for milliseconds of I/O timeout; here it is the run time. */
	common->params.timeout_ms = 0;

	while ((c = common_next_option(&stress_tool, argc, argv)) != -1) {
		switch (c) {
		case 'b':
			opts->buffer_size =
				parse_clamped("buffer size", optarg, min_size, MAX_BUFFER_SIZE);
			break;
		case 't':
			opts->nb_threads = (unsigned int)parse_clamped("number of threads", optarg,
								       1, MAX_THREADS);
			break;
		case 'v':
			opts->verbose++;
			break;
		case 'd':
			opts->run_time_s = parse_run_time(optarg);
			break;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no device given\n\n", stress_tool.name);
		stress_usage(EXIT_FAILURE);
	}
	opts->device = argv[optind++];
	opts->channels = argv + optind;
	opts->nb_channels = argc - optind;
}

static void ignore_signal(void *data)
{
	(void)data; /* the main loop polls common_stop_requested() */
}

/* Checks the device and channels once, so that errors are said before any thread starts. */
static int check_device(struct stress *s, const struct common_opts *common)
{
	struct iio_channels_mask *mask;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_buffer *buf;
	const struct iio_attr *uri_attr;
	static char *detected_uri;
	ssize_t size;
	int ret;

	ctx = first_context(s, common);
	if (!ctx)
		return -ENXIO;

	if (common->autodetect) {
		/* The threads connect to what the scan found, not scan again. */
		uri_attr = iio_context_find_attr(ctx, "uri");
		if (uri_attr && iio_attr_get_static_value(uri_attr)) {
			detected_uri = strdup(iio_attr_get_static_value(uri_attr));
			s->uri = detected_uri;
		}
		if (!s->uri) {
			fprintf(stderr, "%s: the detected context does not say its URI\n",
				stress_tool.name);
			iio_context_destroy(ctx);
			return -EINVAL;
		}
	}

	ret = select_channels(ctx, &s->opts, &dev, &buf, &mask, false);
	if (ret) {
		iio_context_destroy(ctx);
		return ret;
	}
	size = iio_device_get_sample_size(dev, mask);
	if (size <= 0) {
		ret = size < 0 ? (int)size : -EINVAL;
		print_err("ERROR: Unable to compute the sample size", "", ret);
	} else if (s->opts.buffer_size > MAX_BLOCK_BYTES / (unsigned long long)size) {
		fprintf(stderr, "%s: buffer size %llu is too large for %zd-byte samples\n",
			stress_tool.name, s->opts.buffer_size, size);
		ret = -EINVAL;
	}
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
	return ret;
}

int main(int argc, char **argv)
{
	struct common_opts common;
	struct worker *workers;
	struct worker_arg *args;
	struct stress *s;
	unsigned long long start;
	unsigned int i, started = 0;
	int ret, status = EXIT_SUCCESS;

	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "%s: out of memory\n", stress_tool.name);
		return EXIT_FAILURE;
	}
	parse_command_line(argc, argv, &s->opts, &common);
	s->params = common.params;
	/* The threads' failures are counted and, with -v, said by this tool; the
	 * library's own messages about them are only wanted with -v. */
	s->thread_params = common.params;
	if (!s->opts.verbose)
		s->thread_params.log_level = LEVEL_NOLOG;
	s->uri = common.uri;
	atomic_init(&s->stop, false);
	pthread_mutex_init(&s->gap_lock, NULL);

	/* Before any thread: they all inherit the blocked signals. */
	ret = common_catch_signals(ignore_signal, NULL);
	if (ret < 0) {
		print_err("ERROR: Unable to set up signal handling", "", ret);
		free(s);
		return EXIT_FAILURE;
	}

	start = now_us();
	if (s->opts.run_time_s)
		s->deadline_us = start + s->opts.run_time_s * 1000000ULL;
	if (check_device(s, &common) < 0) {
		free(s);
		return EXIT_FAILURE;
	}

	workers = calloc(s->opts.nb_threads, sizeof(*workers));
	args = calloc(s->opts.nb_threads, sizeof(*args));
	if (!workers || !args) {
		fprintf(stderr, "%s: out of memory\n", stress_tool.name);
		free(workers);
		free(args);
		free(s);
		return EXIT_FAILURE;
	}

	start = now_us();
	for (i = 0; i < s->opts.nb_threads; i++) {
		struct worker *w = &workers[i];

		w->id = i;
		w->rng = (start ^ (0x9E3779B97F4A7C15ULL * (i + 1))) | 1;
		pthread_mutex_init(&w->lock, NULL);
		args[i].s = s;
		args[i].w = w;
		ret = pthread_create(&w->thread, NULL, worker_main, &args[i]);
		if (ret) {
			print_err("ERROR: Unable to start a thread", "", -ret);
			status = EXIT_FAILURE;
			break;
		}
		w->started = true;
		started++;
	}
	if (s->opts.verbose && s->opts.run_time_s)
		fprintf(stderr, "%s: %u threads, %llu samples a block, for %u s\n",
			stress_tool.name, started, s->opts.buffer_size, s->opts.run_time_s);
	else if (s->opts.verbose)
		fprintf(stderr, "%s: %u threads, %llu samples a block, until interrupted\n",
			stress_tool.name, started, s->opts.buffer_size);

	while (status == EXIT_SUCCESS && !must_stop(s))
		pause_ms(s, 1000);

	/* Stop: blocked reads end through their stream's cancel, the rest at their next check. */
	atomic_store(&s->stop, true);
	for (i = 0; i < s->opts.nb_threads; i++)
		if (workers[i].started)
			cancel_worker(&workers[i]);
	for (i = 0; i < s->opts.nb_threads; i++)
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);

	print_report(s, workers, now_us() - start);

	for (i = 0; i < s->opts.nb_threads; i++)
		pthread_mutex_destroy(&workers[i].lock);
	pthread_mutex_destroy(&s->gap_lock);
	free(workers);
	free(args);
	free(s);
	return status;
}
