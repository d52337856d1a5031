// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iio_rwdev: stream samples between a device's buffer and stdout (read) or
 * stdin (write). Also built as iio_readdev and iio_writedev, the names of its
 * v0.x predecessors: the program name picks the default direction.
 */
#include "common.h"
#include "throughput.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NB_BLOCKS 4
#define DEFAULT_BUFFER_SIZE 256
#define DEFAULT_TRIGGER_RATE 100
#define MAX_BLOCK_BYTES (1ULL << 31)
#define POLL_PERIOD_MS 200

static const struct option rwdev_options[] = {
	{"trigger", required_argument, NULL, 't'},
	{"trigger-rate", required_argument, NULL, 'r'},
	{"buffer-size", required_argument, NULL, 'b'},
	{"buffer-index", required_argument, NULL, 'i'},
	{"samples", required_argument, NULL, 's'},
	{"write", no_argument, NULL, 'w'},
	{"cyclic", no_argument, NULL, 'c'},
	{"benchmark", no_argument, NULL, 'B'},
	{"network", required_argument, NULL, 'n'},
	{"xml", required_argument, NULL, 'x'},
	{NULL, 0, NULL, 0},
};

static const char *const rwdev_help[] = {
	"Use this trigger (id, label or name).",
	"Sampling rate set on the trigger, in Hz (default 100).",
	"Samples per block transferred (default 256).",
	"Index of the device's buffer to use (default 0).",
	"Number of samples to transfer, 0 = until interrupted\n"
	"(default 0).",
	"Write samples read from standard input to the device\n"
	"(the default of iio_writedev).",
	"Cyclic mode: the first block read from standard input is\n"
	"repeated until interrupted (with -w).",
	"Measure the throughput, without reading or writing the\n"
	"standard streams. It is printed on standard error.",
	"Same as -u ip:<host> (kept for v0.x scripts).",
	"Same as -u xml:<file> (kept for v0.x scripts).",
};

struct rwdev_opts {
	const char *trigger;
	unsigned long long trigger_rate;
	unsigned long long buffer_size;
	unsigned int buffer_index;
	unsigned long long samples; /* 0: no limit */
	bool write, cyclic, benchmark;
	const char *device;
	char **channels;
	int nb_channels;
};

/* The stream a signal must cancel, published by the main thread. */
struct cancel_target {
	pthread_mutex_t lock;
	struct iio_stream *stream;
};

/* Where the data goes or comes from, and how it is laid out. */
struct transfer {
	const struct iio_device *dev;
	const struct iio_channels_mask *mask; /* the channels asked for */
	size_t sample_size;		      /* device layout of the asked channels */
	size_t packed_size;		      /* one sample of each asked channel, no padding */
	size_t stream_sample_size;	      /* layout of what the hardware streams */
	char *packed;			      /* demux buffer: one block of packed samples */
	size_t packed_pos, packed_len;
	unsigned long long remaining; /* samples left when opts->samples is set */
	unsigned long long total_bytes;
};

static struct tool_info rwdev_tool = {
	.synopsis = "[-t <trigger>] [-b <buffer-size>] [-i <buffer-index>] [-s <samples>] "
		    "[-w] [-c] <iio_device> [<channel> ...]",
	.optstring = "t:r:b:i:s:wcBn:x:",
	.options = rwdev_options,
	.help = rwdev_help,
};

static struct cancel_target cancel_target = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void print_error(const char *what, int err)
{
	char buf[256];

	iio_strerror(-err, buf, sizeof(buf));
	fprintf(stderr, "%s: %s: %s\n", rwdev_tool.name, what, buf);
}

static void on_signal(void *data)
{
	struct cancel_target *target = data;

	pthread_mutex_lock(&target->lock);
	if (target->stream)
		iio_stream_cancel(target->stream);
	pthread_mutex_unlock(&target->lock);
}

static void publish_stream(struct iio_stream *stream)
{
	pthread_mutex_lock(&cancel_target.lock);
	cancel_target.stream = stream;
	pthread_mutex_unlock(&cancel_target.lock);
	if (stream && common_stop_requested())
		iio_stream_cancel(stream); /* the signal came before the stream existed */
}

/* ---- Standard streams, interruptible by a signal ----------------------- */

static bool wait_fd(int fd, short events)
{
	struct pollfd pfd = {.fd = fd, .events = events};

	while (!common_stop_requested()) {
		if (poll(&pfd, 1, POLL_PERIOD_MS) != 0)
			return true;
	}
	return false;
}

/* Returns 0, -EINTR when a signal asked to stop, or a negative errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		if (!wait_fd(fd, POLLOUT))
			return -EINTR;
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fills buf unless stdin ends first; returns the byte count, -EINTR or a negative errno. */
static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		if (!wait_fd(fd, POLLIN))
			return -EINTR;
		n = read(fd, buf + done, len - done);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (!n)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* ---- Samples in and out of blocks --------------------------------------- */

static size_t channel_bytes(const struct iio_channel *chn)
{
	const struct iio_data_format *fmt = iio_channel_get_data_format(chn);

	return fmt->length / 8 * (fmt->repeat ? fmt->repeat : 1);
}

static ssize_t gather_sample(const struct iio_channel *chn, void *src, size_t bytes, void *d)
{
	struct transfer *t = d;
	size_t len = channel_bytes(chn);

	(void)bytes;
	if (t->packed_pos + len > t->packed_len)
		return -ENOSPC; /* enough samples: stop the walk */
	memcpy(t->packed + t->packed_pos, src, len);
	t->packed_pos += len;
	return (ssize_t)len;
}

static ssize_t scatter_sample(const struct iio_channel *chn, void *dst, size_t bytes, void *d)
{
	struct transfer *t = d;
	size_t len = channel_bytes(chn);

	(void)bytes;
	if (t->packed_pos + len > t->packed_len)
		return -ENOSPC;
	memcpy(dst, t->packed + t->packed_pos, len);
	t->packed_pos += len;
	return (ssize_t)len;
}

static size_t samples_in(const struct transfer *t, const struct iio_block *block,
			 const struct rwdev_opts *opts)
{
	size_t bytes = (size_t)((char *)iio_block_end(block) - (char *)iio_block_start(block));
	unsigned long long nb = bytes / t->stream_sample_size;

	if (opts->samples && nb > t->remaining)
		nb = t->remaining;
	return (size_t)nb;
}

/* Whole-block copy when the hardware streams exactly the channels asked for. */
static bool whole_blocks(const struct transfer *t)
{
	return t->stream_sample_size == t->sample_size;
}

/* RX: one block to stdout. Returns 0, -EINTR or a negative errno. */
static int output_block(struct transfer *t, const struct iio_block *block, size_t nb)
{
	ssize_t ret;

	if (whole_blocks(t)) {
		t->total_bytes += nb * t->sample_size;
		return write_all(STDOUT_FILENO, iio_block_start(block), nb * t->sample_size);
	}
	t->packed_pos = 0;
	t->packed_len = nb * t->packed_size;
	ret = iio_block_foreach_sample(block, t->mask, gather_sample, t);
	if (ret < 0 && ret != -ENOSPC)
		return (int)ret;
	t->total_bytes += t->packed_pos;
	return write_all(STDOUT_FILENO, t->packed, t->packed_pos);
}

/* TX: fills a block from stdin; returns the samples read, or -EINTR / a negative errno. */
static ssize_t input_block(struct transfer *t, struct iio_block *block, size_t nb)
{
	char *start = iio_block_start(block);
	size_t size = (size_t)((char *)iio_block_end(block) - start);
	ssize_t got, ret;

	if (whole_blocks(t)) {
		got = read_full(STDIN_FILENO, start, nb * t->sample_size);
		if (got < 0)
			return got;
		memset(start + got, 0, size - (size_t)got);
		t->total_bytes += (size_t)got;
		return got / (ssize_t)t->sample_size;
	}
	got = read_full(STDIN_FILENO, t->packed, nb * t->packed_size);
	if (got < 0)
		return got;
	memset(start, 0, size);
	t->packed_pos = 0;
	t->packed_len = (size_t)got - (size_t)got % t->packed_size;
	ret = iio_block_foreach_sample(block, t->mask, scatter_sample, t);
	if (ret < 0 && ret != -ENOSPC)
		return ret;
	t->total_bytes += t->packed_len;
	return (ssize_t)(t->packed_len / t->packed_size);
}

/* ---- Streaming ------------------------------------------------------------ */

static int stream_samples(struct iio_buffer *buf, struct iio_channels_mask *mask,
			  struct transfer *t, const struct rwdev_opts *opts)
{
	struct iio_stream *stream;
	const struct iio_block *block;
	struct throughput tp;
	unsigned long long start;
	size_t block_bytes = 0, nb, want;
	ssize_t got;
	int ret = 0;

	stream = iio_buffer_create_stream(buf, NB_BLOCKS, opts->buffer_size, mask);
	if (iio_err(stream)) {
		print_error("Unable to create the stream", iio_err(stream));
		return iio_err(stream);
	}
	publish_stream(stream);
	throughput_init(&tp, opts->benchmark);

	while (!common_stop_requested()) {
		start = throughput_now_us();
		block = iio_stream_get_next_block(stream);
		if (iio_err(block)) {
			if (!common_stop_requested()) {
				ret = iio_err(block);
				print_error(opts->write ? "Unable to push a block"
							: "Unable to get a block",
					    ret);
			}
			break;
		}
		if (!block_bytes) {
			const struct iio_channels_mask *effective =
				iio_buffer_stream_get_channels_mask(
					iio_block_get_buffer_stream(block));
			ssize_t size = iio_device_get_sample_size(t->dev, effective);

			t->stream_sample_size = size > 0 ? (size_t)size : t->sample_size;
			block_bytes = (size_t)((char *)iio_block_end(block) -
					       (char *)iio_block_start(block));
		}
		want = samples_in(t, block, opts);
		if (opts->benchmark) {
			throughput_block(&tp, throughput_now_us() - start, block_bytes);
			nb = want;
			t->total_bytes += nb * t->stream_sample_size;
		} else if (opts->write) {
			got = input_block(t, (struct iio_block *)block, want);
			if (got < 0) {
				if (got != -EINTR) {
					ret = (int)got;
					print_error("Unable to read standard input", ret);
				}
				break;
			}
			nb = (size_t)got;
		} else {
			nb = want;
			ret = output_block(t, block, nb);
			if (ret == -EPIPE || ret == -EINTR) {
				ret = 0; /* the reader went away, or a signal: a normal end */
				break;
			}
			if (ret < 0) {
				print_error("Unable to write standard output", ret);
				break;
			}
		}
		throughput_progress(&tp, t->total_bytes);

		if (opts->samples)
			t->remaining -= nb;
		if ((opts->samples && !t->remaining) || nb < want) {
			/* Done (-s reached, or end of stdin): the block just filled still has
			 * to go out, which the next call does. */
			if (opts->write && nb) {
				block = iio_stream_get_next_block(stream);
				if (iio_err(block) && !common_stop_requested()) {
					ret = iio_err(block);
					print_error("Unable to push the last block", ret);
				}
			}
			break;
		}
	}

	throughput_end(&tp, t->total_bytes);
	publish_stream(NULL);
	iio_stream_destroy(stream);
	return ret;
}

/* -c: one block from stdin, repeated by the hardware until a signal. */
static int stream_cyclic(struct iio_buffer *buf, struct iio_channels_mask *mask, struct transfer *t,
			 const struct rwdev_opts *opts)
{
	const struct timespec period = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
	struct iio_buffer_stream *bstream;
	struct iio_block *block;
	ssize_t size, got;
	int ret;

	bstream = iio_buffer_open(buf, mask);
	if (iio_err(bstream)) {
		print_error("Unable to open the buffer", iio_err(bstream));
		return iio_err(bstream);
	}
	size = iio_device_get_sample_size(t->dev, iio_buffer_stream_get_channels_mask(bstream));
	t->stream_sample_size = size > 0 ? (size_t)size : t->sample_size;

	block = iio_buffer_stream_create_block(bstream, opts->buffer_size * t->stream_sample_size);
	ret = iio_err(block);
	if (ret) {
		print_error("Unable to create a block", ret);
		goto out_close;
	}

	got = input_block(t, block, opts->buffer_size);
	if (got <= 0) {
		ret = got < 0 ? (int)got : -ENODATA;
		if (ret != -EINTR)
			print_error("Unable to read a block from standard input", ret);
		else
			ret = 0;
		goto out_destroy;
	}

	ret = iio_block_enqueue(block, (size_t)got * t->stream_sample_size, true);
	if (ret < 0) {
		print_error("Unable to enqueue the cyclic block", ret);
		goto out_destroy;
	}
	ret = iio_buffer_stream_start(bstream);
	if (ret < 0) {
		print_error("Unable to start the buffer", ret);
		goto out_destroy;
	}

	while (!common_stop_requested())
		nanosleep(&period, NULL);

out_destroy:
	iio_block_destroy(block);
out_close:
	iio_buffer_close(bstream);
	return ret;
}

/* ---- Set-up ------------------------------------------------------------------ */

static bool buffer_has_channel(const struct iio_buffer *buf, const struct iio_channel *chn)
{
	unsigned int i, nb = iio_buffer_get_scan_elements_count(buf);

	for (i = 0; i < nb; i++)
		if (iio_buffer_get_scan_element(buf, i) == chn)
			return true;
	return false;
}

static int select_channels(const struct iio_device *dev, const struct iio_buffer *buf,
			   struct iio_channels_mask *mask, const struct rwdev_opts *opts)
{
	unsigned int i, nb = iio_buffer_get_scan_elements_count(buf);
	int c;

	if (!opts->nb_channels) {
		for (i = 0; i < nb; i++)
			iio_channel_enable(iio_buffer_get_scan_element(buf, i), mask);
		return 0;
	}
	for (c = 0; c < opts->nb_channels; c++) {
		const struct iio_channel *chn =
			iio_device_find_channel(dev, opts->channels[c], opts->write);

		if (!chn) {
			fprintf(stderr, "%s: %s channel '%s' not found in device %s\n",
				rwdev_tool.name, opts->write ? "Output" : "Input",
				opts->channels[c], opts->device);
			return -ENOENT;
		}
		if (!buffer_has_channel(buf, chn)) {
			fprintf(stderr, "%s: channel '%s' is not a scan element of buffer %u\n",
				rwdev_tool.name, opts->channels[c], opts->buffer_index);
			return -EINVAL;
		}
		iio_channel_enable(chn, mask);
	}
	return 0;
}

static int setup_trigger(const struct iio_context *ctx, const struct iio_device *dev,
			 const struct rwdev_opts *opts)
{
	const struct iio_device *trigger = iio_context_find_device(ctx, opts->trigger);
	const struct iio_attr *attr;
	int ret;

	if (!trigger) {
		fprintf(stderr, "%s: trigger '%s' not found\n", rwdev_tool.name, opts->trigger);
		return -ENOENT;
	}
	if (!iio_device_is_trigger(trigger)) {
		fprintf(stderr, "%s: device '%s' is not a trigger\n", rwdev_tool.name,
			opts->trigger);
		return -EINVAL;
	}
	attr = iio_device_find_attr(trigger, "sampling_frequency");
	if (!attr)
		attr = iio_device_find_attr(trigger, "frequency");
	if (!attr) {
		fprintf(stderr,
			"%s: trigger '%s' has no sampling_frequency or frequency attribute\n",
			rwdev_tool.name, opts->trigger);
		return -ENOENT;
	}
	ret = iio_attr_write_longlong(attr, (long long)opts->trigger_rate);
	if (ret < 0) {
		print_error("Unable to set the trigger's sampling rate", ret);
		return ret;
	}
	ret = iio_device_set_trigger(dev, trigger);
	if (ret < 0)
		print_error("Unable to attach the trigger", ret);
	return ret;
}

static size_t packed_sample_size(const struct iio_device *dev, const struct iio_channels_mask *mask)
{
	unsigned int i, nb = iio_device_get_channels_count(dev);
	size_t size = 0;

	for (i = 0; i < nb; i++) {
		const struct iio_channel *chn = iio_device_get_channel(dev, i);

		if (iio_channel_is_enabled(chn, mask))
			size += channel_bytes(chn);
	}
	return size;
}

static int run(struct iio_context *ctx, const struct rwdev_opts *opts)
{
	struct transfer t = {0};
	struct iio_channels_mask *mask;
	struct iio_buffer *buf;
	struct iio_device *dev;
	ssize_t size;
	int ret;

	dev = iio_context_find_device(ctx, opts->device);
	if (!dev) {
		fprintf(stderr, "%s: device '%s' not found\n", rwdev_tool.name, opts->device);
		return -ENODEV;
	}
	buf = iio_device_get_buffer(dev, opts->buffer_index);
	if (!buf) {
		fprintf(stderr, "%s: no buffer at index %u in device %s\n", rwdev_tool.name,
			opts->buffer_index, opts->device);
		return -ENOENT;
	}
	if (!iio_buffer_get_scan_elements_count(buf)) {
		fprintf(stderr, "%s: no scan elements in buffer %u of device %s\n", rwdev_tool.name,
			opts->buffer_index, opts->device);
		return -ENOENT;
	}
	if (iio_buffer_is_output(buf) != opts->write) {
		fprintf(stderr, "%s: Buffer %u is an %s buffer, but %s was requested\n",
			rwdev_tool.name, opts->buffer_index,
			iio_buffer_is_output(buf) ? "output" : "input",
			opts->write ? "output" : "input");
		return -EINVAL;
	}

	if (opts->trigger) {
		ret = setup_trigger(ctx, dev, opts);
		if (ret < 0)
			return ret;
	}

	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	if (!mask) {
		fprintf(stderr, "%s: unable to create a channels mask\n", rwdev_tool.name);
		return -ENOMEM;
	}
	ret = select_channels(dev, buf, mask, opts);
	if (ret < 0)
		goto out_mask;

	size = iio_device_get_sample_size(dev, mask);
	if (size <= 0) {
		ret = size < 0 ? (int)size : -EINVAL;
		print_error("Unable to compute the sample size", ret);
		goto out_mask;
	}
	if (opts->buffer_size > MAX_BLOCK_BYTES / (size_t)size) {
		fprintf(stderr, "%s: buffer size %llu is too large\n", rwdev_tool.name,
			opts->buffer_size);
		ret = -EINVAL;
		goto out_mask;
	}

	t.dev = dev;
	t.mask = mask;
	t.sample_size = (size_t)size;
	t.packed_size = packed_sample_size(dev, mask);
	t.remaining = opts->samples;
	if (!opts->benchmark) {
		t.packed = malloc(opts->buffer_size * (size_t)size);
		if (!t.packed) {
			ret = -ENOMEM;
			print_error("Unable to allocate memory", ret);
			goto out_mask;
		}
	}

	if (opts->cyclic)
		ret = stream_cyclic(buf, mask, &t, opts);
	else
		ret = stream_samples(buf, mask, &t, opts);

	free(t.packed);
out_mask:
	iio_channels_mask_destroy(mask);
	return ret;
}

/* No device given: show a command line for each device that can stream this way. */
static void print_example(const char *uri, bool with_w, unsigned int buffer_index,
			  const char *dev_name, const char *chn_id)
{
	printf("Example : %s", rwdev_tool.name);
	if (uri)
		printf(" -u %s", uri);
	printf(" -b 256 -s 1024");
	if (with_w)
		printf(" -w");
	if (buffer_index)
		printf(" -i %u", buffer_index);
	printf(" %s", dev_name);
	if (chn_id)
		printf(" %s", chn_id);
	printf("\n");
}

static void print_examples(const struct iio_context *ctx, const struct common_opts *common,
			   const struct rwdev_opts *opts)
{
	const struct iio_attr *uri_attr = iio_context_find_attr(ctx, "uri");
	const char *uri = uri_attr ? iio_attr_get_static_value(uri_attr) : common->uri;
	bool with_w = opts->write && !strcmp(rwdev_tool.name, "iio_rwdev");
	unsigned int i, j, k, nb;

	for (i = 0; i < iio_context_get_devices_count(ctx); i++) {
		const struct iio_device *dev = iio_context_get_device(ctx, i);
		const char *name = iio_device_get_name(dev);

		if (!name)
			name = iio_device_get_id(dev);
		for (j = 0; j < iio_device_get_buffers_count(dev); j++) {
			const struct iio_buffer *buf = iio_device_get_buffer(dev, j);

			nb = iio_buffer_get_scan_elements_count(buf);
			if (!nb || iio_buffer_is_output(buf) != opts->write)
				continue;
			for (k = 0; k < nb; k++)
				print_example(
					uri, with_w, j, name,
					iio_channel_get_id(iio_buffer_get_scan_element(buf, k)));
			print_example(uri, with_w, j, name, NULL);
		}
	}
}

static const char *program_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	return slash ? slash + 1 : argv0;
}

/* v0.x's -n <host> and -x <file>: spellings of -u ip:<host> and -u xml:<file>. */
static void set_legacy_uri(struct common_opts *common, const char *prefix, const char *arg)
{
	static char *uri;
	size_t len = strlen(prefix) + strlen(arg) + 1;

	if (common->uri || common->autodetect) {
		fprintf(stderr, "%s: -n, -x, -u and -a are mutually exclusive\n", rwdev_tool.name);
		exit(EXIT_FAILURE);
	}
	uri = malloc(len);
	if (!uri) {
		fprintf(stderr, "%s: out of memory\n", rwdev_tool.name);
		exit(EXIT_FAILURE);
	}
	snprintf(uri, len, "%s%s", prefix, arg);
	common->uri = uri; /* lives until exit */
}

static void parse_command_line(int argc, char **argv, struct rwdev_opts *opts,
			       struct common_opts *common)
{
	unsigned long long val;
	int c;

	rwdev_tool.name = program_name(argv[0]);
	opts->write = !strcmp(rwdev_tool.name, "iio_writedev");
	opts->buffer_size = DEFAULT_BUFFER_SIZE;
	opts->trigger_rate = DEFAULT_TRIGGER_RATE;

	common_parse(&rwdev_tool, argc, argv, common);
	while ((c = common_next_option(&rwdev_tool, argc, argv)) != -1) {
		switch (c) {
		case 't':
			opts->trigger = optarg;
			break;
		case 'r':
			if (!common_parse_ullong(optarg, LLONG_MAX, &opts->trigger_rate)) {
				fprintf(stderr, "%s: invalid trigger rate '%s'\n", rwdev_tool.name,
					optarg);
				exit(EXIT_FAILURE);
			}
			break;
		case 'b':
			if (!common_parse_ullong(optarg, MAX_BLOCK_BYTES, &opts->buffer_size)) {
				fprintf(stderr, "%s: invalid buffer size '%s'\n", rwdev_tool.name,
					optarg);
				exit(EXIT_FAILURE);
			}
			if (!opts->buffer_size)
				opts->buffer_size = 1;
			break;
		case 'i':
			if (!common_parse_ullong(optarg, UINT_MAX, &val)) {
				fprintf(stderr, "%s: invalid buffer index '%s'\n", rwdev_tool.name,
					optarg);
				exit(EXIT_FAILURE);
			}
			opts->buffer_index = (unsigned int)val;
			break;
		case 's':
			if (!common_parse_ullong(optarg, ULLONG_MAX, &opts->samples)) {
				fprintf(stderr, "%s: invalid number of samples '%s'\n",
					rwdev_tool.name, optarg);
				exit(EXIT_FAILURE);
			}
			break;
		case 'w':
			opts->write = true;
			break;
		case 'c':
			opts->cyclic = true;
			break;
		case 'B':
			opts->benchmark = true;
			break;
		case 'n':
		case 'x':
			set_legacy_uri(common, c == 'n' ? "ip:" : "xml:", optarg);
			break;
		}
	}

	if (opts->cyclic && !opts->write) {
		fprintf(stderr, "%s: cyclic mode (-c) is for writing (-w)\n", rwdev_tool.name);
		exit(EXIT_FAILURE);
	}
	if (opts->cyclic && opts->benchmark) {
		fprintf(stderr, "%s: -c and -B exclude each other\n", rwdev_tool.name);
		exit(EXIT_FAILURE);
	}
	if (optind < argc) {
		opts->device = argv[optind++];
		opts->channels = argv + optind;
		opts->nb_channels = argc - optind;
	}
}

int main(int argc, char **argv)
{
	struct rwdev_opts opts = {0};
	struct common_opts common;
	struct iio_context *ctx;
	int ret;

	parse_command_line(argc, argv, &opts, &common);

	/* Before the context: the library's threads must inherit the blocked signals. */
	ret = common_catch_signals(on_signal, &cancel_target);
	if (ret < 0) {
		print_error("Unable to set up signal handling", ret);
		return EXIT_FAILURE;
	}

	ctx = common_create_context(&rwdev_tool, &common);
	if (!ctx)
		return EXIT_FAILURE;

	if (!opts.device) {
		print_examples(ctx, &common, &opts);
		iio_context_destroy(ctx);
		common_usage(&rwdev_tool, EXIT_SUCCESS);
	}

	ret = run(ctx, &opts);
	iio_context_destroy(ctx);
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
