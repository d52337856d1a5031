// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The scan format parser, iio_data_format_parse() ("le:S12/16X2>>4", from a
 * sysfs _type file or a remote description), and the sample converter fed
 * with what it accepts.
 *
 * Input: the format string up to the first '\n'; after it one option byte
 * (bits 0-2: samples - 1, bits 3-5: padding bytes between samples) and the
 * sample bytes.
 *
 * Invariants: an accepted format is self-consistent and prints to a string
 * that parses to the same format; converting samples in one call (with
 * strides) gives what converting them one by one gives; converting a value
 * back (inverse) and forward again gives the value.
 */
#include "fuzz.h"
#include "backend.h"
#include "stream-internal.h"

static struct iio_context *ctx;
static struct iio_channel *chn;

/* A channel to hang formats on (the converter logs through it). */
static const char doc[] = "<?xml version=\"1.0\"?><context name=\"xml\"><device id=\"iio:device0\">"
			  "<channel id=\"voltage0\" type=\"input\">"
			  "<scan-element index=\"0\" format=\"le:s16/16&gt;&gt;0\"/></channel>"
			  "</device></context>";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct iio_context_params params = fuzz_params();

	(void)argc;
	(void)argv;
	ctx = iio_context_from_xml(&iio_xml_backend, &params, doc, sizeof(doc) - 1);
	if (iio_err(ctx))
		abort();
	chn = iio_device_get_channel(iio_context_get_device(ctx, 0), 0);
	if (!chn)
		abort();
	return 0;
}

static void check_format(const struct iio_data_format *fmt)
{
	struct iio_data_format again = {0};
	char text[64];
	int len;

	FUZZ_CHECK(fmt->length && fmt->length % 8 == 0);
	FUZZ_CHECK(fmt->bits <= fmt->length);
	FUZZ_CHECK(fmt->shift < fmt->length);
	FUZZ_CHECK(fmt->repeat >= 1);
	len = iio_data_format_print(fmt, text, sizeof(text));
	FUZZ_CHECK(len > 0 && (size_t)len < sizeof(text));
	FUZZ_CHECK(iio_data_format_parse(&again, text) == 0);
	FUZZ_CHECK(again.length == fmt->length && again.bits == fmt->bits);
	FUZZ_CHECK(again.shift == fmt->shift && again.repeat == fmt->repeat);
	FUZZ_CHECK(again.is_signed == fmt->is_signed && again.is_be == fmt->is_be);
	FUZZ_CHECK(again.is_fully_defined == fmt->is_fully_defined);
}

static void check_convert(const uint8_t *data, size_t size, uint8_t options)
{
	size_t sample = (size_t)(chn->format.length / 8) * chn->format.repeat;
	size_t pad = (options >> 3) & 7, stride = sample + pad;
	size_t count = (options & 7) + 1, i;
	uint8_t *one, *all, *back, *again;

	if (size / stride < count)
		count = size / stride;
	if (!count)
		return;
	one = calloc(count, sample);
	all = calloc(count, sample);
	back = calloc(count, sample);
	again = calloc(count, sample);
	if (!one || !all || !back || !again)
		goto out;

	/* Demultiplexed in one call, and sample by sample. */
	FUZZ_CHECK(iio_channel_convert_samples(chn, all, sample, data, stride, count, false) == 0);
	for (i = 0; i < count; i++)
		iio_channel_convert(chn, one + i * sample, data + i * stride);
	FUZZ_CHECK(!memcmp(one, all, count * sample));

	/* Values survive a round trip through the hardware format. */
	FUZZ_CHECK(iio_channel_convert_samples(chn, back, sample, all, sample, count, true) == 0);
	FUZZ_CHECK(iio_channel_convert_samples(chn, again, sample, back, sample, count, false) ==
		   0);
	FUZZ_CHECK(!memcmp(all, again, count * sample));
out:
	free(one);
	free(all);
	free(back);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t str_len = nl ? (size_t)(nl - data) : size;
	struct iio_data_format fmt = {.with_scale = true, .scale = 2.5, .offset = 1};
	char *str;
	int ret;

	if (!ctx)
		LLVMFuzzerInitialize(NULL, NULL);
	str = fuzz_strndup(data, str_len);
	if (!str)
		return 0;
	ret = iio_data_format_parse(&fmt, str);
	free(str);
	if (ret) {
		/* A refused string leaves the format alone. */
		FUZZ_CHECK(fmt.with_scale && fmt.scale == 2.5 && fmt.offset == 1);
		return 0;
	}
	/* The channel attributes' part is kept. */
	FUZZ_CHECK(fmt.with_scale && fmt.scale == 2.5 && fmt.offset == 1);
	check_format(&fmt);

	if (nl && size - str_len >= 2) {
		chn->format = fmt;
		check_convert(data + str_len + 2, size - str_len - 2, data[str_len + 1]);
	}
	return 0;
}
