// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sample layout of a stream with mixed channel sizes: sample size,
 * iio_block_first() offsets, channels with repeat > 1 or sharing an index,
 * iio_block_foreach_sample(), and iio_channel_read()/write() round trips.
 */
#include "test-stream-fake.h"

#include <errno.h>

enum { C_U8, C_S16, C_S32, C_X3, C_TS, C_LO, C_HI, C_TEMP, NB_CHANNELS };

static const struct fake_channel chans[] = {
	[C_U8] = { "voltage0", 0, "le:u8/8>>0" },
	[C_S16] = { "voltage1", 1, "be:s12/16>>4" },
	[C_S32] = { "voltage2", 2, "le:s32/32>>0" },
	[C_X3] = { "accel", 3, "le:u16/16X3>>0" },
	[C_TS] = { "timestamp", 4, "le:s64/64>>0" },
	/* Two channels packed in one 16-bit word (same index, told apart by shift). */
	[C_LO] = { "voltage5", 5, "le:u4/16>>0" },
	[C_HI] = { "voltage6", 5, "le:u4/16>>4" },
	[C_TEMP] = { "temp", -1, "le:u16/16>>0" }, /* not a scan element */
};

static struct iio_context *ctx;
static const struct iio_device *dev;

static const struct iio_channel *chn(unsigned int which)
{
	return iio_device_find_channel(dev, chans[which].id, false);
}

static struct iio_channels_mask *mask_of(unsigned int bits)
{
	struct iio_channels_mask *mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	unsigned int i;

	CHECK(mask);
	for (i = 0; i < NB_CHANNELS; i++)
		if (bits & (1u << i))
			iio_channel_enable(chn(i), mask);
	return mask;
}

#define BIT(x) (1u << (x))
#define ALL (BIT(NB_CHANNELS) - 1)

struct layout_case {
	unsigned int mask;
	ssize_t sample_size;
	long offsets[NB_CHANNELS]; /* -1: not in the stream */
};

static const struct layout_case cases[] = {
	{ ALL, 40, { 0, 2, 4, 12, 24, 32, 32, -1 } },
	{ BIT(C_U8) | BIT(C_S32), 8, { 0, -1, 4, -1, -1, -1, -1, -1 } },
	/* The 6-byte sample aligns to 6, as the kernel lays it out. */
	{ BIT(C_S16) | BIT(C_X3), 12, { -1, 0, -1, 6, -1, -1, -1, -1 } },
	{ BIT(C_U8) | BIT(C_TS), 16, { 0, -1, -1, -1, 8, -1, -1, -1 } },
	{ BIT(C_HI), 2, { -1, -1, -1, -1, -1, -1, 0, -1 } },
	{ BIT(C_LO) | BIT(C_HI) | BIT(C_U8), 4, { 0, -1, -1, -1, -1, 2, 2, -1 } },
	{ BIT(C_X3), 6, { -1, -1, -1, 0, -1, -1, -1, -1 } },
};

static struct iio_buffer_stream *open_stream(unsigned int bits)
{
	struct iio_channels_mask *mask = mask_of(bits);
	struct iio_buffer_stream *stream = iio_buffer_open(fake_buffer(ctx), mask);

	CHECK(!iio_err(stream));
	iio_channels_mask_destroy(mask);
	return stream;
}

static void test_layouts(void)
{
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct iio_channels_mask *mask = mask_of(cases[c].mask);
		struct iio_buffer_stream *stream;
		struct iio_block *block;

		CHECK_INT(iio_device_get_sample_size(dev, mask), cases[c].sample_size);
		stream = iio_buffer_open(fake_buffer(ctx), mask);
		CHECK(!iio_err(stream));
		CHECK_INT(stream->sample_size, cases[c].sample_size);
		block = iio_buffer_stream_create_block(stream, 3 * (size_t)cases[c].sample_size);
		CHECK(!iio_err(block));
		for (i = 0; i < NB_CHANNELS; i++) {
			char *first = iio_block_first(block, chn(i));
			long offset = first == iio_block_end(block) ? -1 :
				      (long)(first - (char *)iio_block_start(block));

			if (offset != cases[c].offsets[i]) {
				fprintf(stderr, "case %u, %s: offset %ld, expected %ld\n", c,
					chans[i].id, offset, cases[c].offsets[i]);
				CHECK(!"offset");
			}
		}
		iio_block_destroy(block);
		iio_buffer_close(stream);
		iio_channels_mask_destroy(mask);
	}
}

struct visit {
	unsigned int calls, stop_at;
	const struct iio_block *block;
	size_t sample_size;
	unsigned int order[64];
	size_t where[64], bytes[64];
};

static ssize_t visit_sample(const struct iio_channel *c, void *src, size_t bytes, void *d)
{
	struct visit *v = d;
	unsigned int i;

	for (i = 0; i < NB_CHANNELS && chn(i) != c; i++)
		;
	if (v->calls < 64) {
		v->order[v->calls] = i;
		v->where[v->calls] = (size_t)((char *)src - (char *)iio_block_start(v->block));
		v->bytes[v->calls] = bytes;
	}
	if (++v->calls == v->stop_at)
		return -42;
	return (ssize_t)bytes;
}

static void test_foreach_sample(void)
{
	struct iio_buffer_stream *stream = open_stream(ALL);
	struct iio_block *block = iio_buffer_stream_create_block(stream, 3 * 40 + 7);
	struct iio_channels_mask *some = mask_of(BIT(C_X3) | BIT(C_TS) | BIT(C_TEMP));
	struct iio_channels_mask *all = mask_of(ALL);
	struct visit v = { .block = block };
	static const unsigned int order[] = { C_U8, C_S16, C_S32, C_X3, C_TS, C_LO, C_HI };
	static const size_t offsets[] = { 0, 2, 4, 12, 24, 32, 32 };
	static const size_t bytes[] = { 1, 2, 4, 2, 8, 2, 2 };
	unsigned int i;

	CHECK(!iio_err(block));
	/* Every channel of every whole sample (the 7 trailing bytes are not one). */
	CHECK_INT(iio_block_foreach_sample(block, all, visit_sample, &v), 3 * 21);
	CHECK_INT(v.calls, 3 * 7);
	for (i = 0; i < v.calls; i++) {
		CHECK_INT(v.order[i], order[i % 7]);
		CHECK_INT(v.where[i], 40 * (i / 7) + offsets[i % 7]);
		CHECK_INT(v.bytes[i], bytes[i % 7]); /* one element, even with repeat */
	}

	/* Only the channels asked for. */
	memset(&v, 0, sizeof(v));
	v.block = block;
	CHECK_INT(iio_block_foreach_sample(block, some, visit_sample, &v), 3 * (2 + 8));
	CHECK_INT(v.calls, 6);
	CHECK_INT(v.order[0], C_X3);
	CHECK_INT(v.order[1], C_TS);
	CHECK_INT(v.where[5], 80 + 24);

	/* A negative return stops the walk. */
	memset(&v, 0, sizeof(v));
	v.block = block;
	v.stop_at = 5;
	CHECK_INT(iio_block_foreach_sample(block, all, visit_sample, &v), -42);
	CHECK_INT(v.calls, 5);
	CHECK_INT(iio_block_foreach_sample(block, NULL, visit_sample, &v), -EINVAL);

	iio_channels_mask_destroy(some);
	iio_channels_mask_destroy(all);
	iio_block_destroy(block);
	iio_buffer_close(stream);
}

#define NB_SAMPLES 10

static void test_read_write(void)
{
	struct iio_buffer_stream *stream = open_stream(ALL & ~BIT(C_LO) & ~BIT(C_HI));
	struct iio_block *block = iio_buffer_stream_create_block(stream, NB_SAMPLES * 32);
	int16_t s16[NB_SAMPLES], s16_back[NB_SAMPLES + 1];
	int32_t s32[NB_SAMPLES], s32_back[NB_SAMPLES];
	uint16_t x3[NB_SAMPLES * 3], x3_back[NB_SAMPLES * 3];
	uint8_t u8[NB_SAMPLES], raw[NB_SAMPLES * 2];
	unsigned int i;

	CHECK(!iio_err(block));
	CHECK_INT(stream->sample_size, 32);
	for (i = 0; i < NB_SAMPLES; i++) {
		s16[i] = (int16_t)(i * 300 - 2048); /* 12-bit signed range */
		s32[i] = (int32_t)(i * 123456789u);
		u8[i] = (uint8_t)(i * 29);
		x3[3 * i] = (uint16_t)i;
		x3[3 * i + 1] = (uint16_t)(1000 + i);
		x3[3 * i + 2] = (uint16_t)(60000 + i);
	}
	CHECK_INT(iio_channel_write(chn(C_S16), block, s16, sizeof(s16), false), sizeof(s16));
	CHECK_INT(iio_channel_write(chn(C_S32), block, s32, sizeof(s32), false), sizeof(s32));
	CHECK_INT(iio_channel_write(chn(C_U8), block, u8, sizeof(u8), true), sizeof(u8));
	CHECK_INT(iio_channel_write(chn(C_X3), block, x3, sizeof(x3), false), sizeof(x3));

	/* The block holds the hardware layout: big-endian 12 bits shifted by 4 at offset 2. */
	for (i = 0; i < NB_SAMPLES; i++) {
		const uint8_t *sample = (uint8_t *)iio_block_start(block) + 32 * i;
		uint16_t word = (uint16_t)(sample[2] << 8 | sample[3]);

		CHECK_INT(word, (uint16_t)((s16[i] & 0xfff) << 4));
		CHECK_INT(sample[0], u8[i]);
	}

	/* Back out: converted, raw, limited by len, whole samples only. */
	memset(s16_back, 0x55, sizeof(s16_back));
	CHECK_INT(iio_channel_read(chn(C_S16), block, s16_back, sizeof(s16_back), false),
		  sizeof(s16));
	CHECK(!memcmp(s16_back, s16, sizeof(s16)));
	CHECK_INT(s16_back[NB_SAMPLES], 0x5555);
	CHECK_INT(iio_channel_read(chn(C_S32), block, s32_back, sizeof(s32_back), false),
		  sizeof(s32));
	CHECK(!memcmp(s32_back, s32, sizeof(s32)));
	CHECK_INT(iio_channel_read(chn(C_X3), block, x3_back, sizeof(x3_back), true),
		  sizeof(x3));
	CHECK(!memcmp(x3_back, x3, sizeof(x3))); /* le on a le host: raw == converted */
	CHECK_INT(iio_channel_read(chn(C_S16), block, raw, 7, true), 6);
	for (i = 0; i < 3; i++)
		CHECK_INT(raw[2 * i] << 8 | raw[2 * i + 1], (uint16_t)((s16[i] & 0xfff) << 4));
	CHECK_INT(iio_channel_read(chn(C_X3), block, x3_back, 5, false), 0); /* < 1 sample */

	/* Channels outside the stream move nothing. */
	CHECK_INT(iio_channel_read(chn(C_LO), block, raw, sizeof(raw), false), 0);
	CHECK_INT(iio_channel_write(chn(C_TEMP), block, raw, sizeof(raw), false), 0);

	iio_block_destroy(block);
	iio_buffer_close(stream);
}

static void test_shared_index_read(void)
{
	struct iio_buffer_stream *stream = open_stream(BIT(C_LO) | BIT(C_HI));
	struct iio_block *block = iio_buffer_stream_create_block(stream, 8);
	uint16_t lo[4], hi[4];
	uint8_t *data;
	unsigned int i;

	CHECK(!iio_err(block));
	data = iio_block_start(block);
	for (i = 0; i < 4; i++) {
		data[2 * i] = (uint8_t)(0x10 * i + 0x0a + i); /* high nibble i, low nibble 0xa + i */
		data[2 * i + 1] = 0xf0;
	}
	CHECK_INT(iio_channel_read(chn(C_LO), block, lo, sizeof(lo), false), 8);
	CHECK_INT(iio_channel_read(chn(C_HI), block, hi, sizeof(hi), false), 8);
	for (i = 0; i < 4; i++) {
		CHECK_INT(lo[i], (0x0a + i) & 0xf);
		CHECK_INT(hi[i], (0x10 * i + 0x0a + i) >> 4);
	}
	iio_block_destroy(block);
	iio_buffer_close(stream);
}

/* A stream of one 16-bit channel reads as one plain copy of the block. */
static void test_single_channel(void)
{
	struct iio_buffer_stream *stream = open_stream(BIT(C_S16));
	struct iio_block *block = iio_buffer_stream_create_block(stream, 2000);
	uint8_t out[2000];
	unsigned int i;

	CHECK(!iio_err(block));
	for (i = 0; i < 2000; i++)
		((uint8_t *)iio_block_start(block))[i] = (uint8_t)(i * 7);
	CHECK_INT(iio_channel_read(chn(C_S16), block, out, sizeof(out), true), 2000);
	CHECK(!memcmp(out, iio_block_start(block), 2000));
	iio_block_destroy(block);
	iio_buffer_close(stream);
}

int main(void)
{
	ctx = fake_context(&fake_stream_backend, 200, false, chans, NB_CHANNELS);
	dev = iio_context_get_device(ctx, 0);
	CHECK_INT(iio_device_get_channels_count(dev), NB_CHANNELS);
	CHECK(iio_device_get_channel(dev, 5) == chn(C_LO)); /* sorted by shift */

	test_layouts();
	test_foreach_sample();
	test_read_write();
	test_shared_index_read();
	test_single_channel();

	iio_context_destroy(ctx);
	printf("test-format-layout: OK\n");
	return 0;
}
