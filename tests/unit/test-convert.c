// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iio_channel_convert() and iio_channel_convert_inverse() against known
 * vectors: signs, shifts, both byte orders, fully defined formats, repeat,
 * 8/16/32/64-bit elements, odd (24-bit) and wide (128-bit) ones; round trips
 * over random values; oversized elements rejected.
 */
#include "stream-internal.h"
#include "backend.h"
#include "check.h"

#include <stdint.h>

static const struct iio_backend convert_backend = {
	.name = "convert", .uri_prefix = "convert:", .ops = &(const struct iio_backend_ops){ 0 },
};

static struct iio_device *dev;
static unsigned int nb_chn;

static struct iio_channel *channel(const char *format)
{
	char id[32];
	struct iio_channel *chn;

	snprintf(id, sizeof(id), "voltage%u", nb_chn);
	chn = iio_device_add_channel(dev, id, false, nb_chn++);
	CHECK(!iio_err(chn));
	if (iio_data_format_parse(&chn->format, format)) {
		fprintf(stderr, "bad format %s\n", format);
		CHECK(!"format");
	}
	return chn;
}

/* An element of width bytes in host byte order, as a number. */
static uint64_t host_value(const uint8_t *p, unsigned int width)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v |= (uint64_t)p[__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? i : width - 1 - i]
		     << (8 * i);
	return v;
}

static void put_host_value(uint8_t *p, unsigned int width, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		p[__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? i : width - 1 - i] =
			(uint8_t)(v >> (8 * i));
}

struct vector {
	const char *format;
	uint8_t raw[8];         /* the hardware's bytes */
	uint64_t value;         /* host value, truncated to the element width */
};

static const struct vector forward[] = {
	{ "le:s12/16>>4", { 0xf0, 0xff }, 0xffff },
	{ "le:s12/16>>4", { 0xf0, 0x7f }, 0x07ff },
	{ "le:s12/16>>4", { 0x00, 0x80 }, 0xf800 },
	{ "le:s12/16>>4", { 0x0f, 0x00 }, 0x0000 },
	{ "le:s12/16>>4", { 0x10, 0x00 }, 0x0001 },
	{ "be:s12/16>>4", { 0xff, 0xf0 }, 0xffff },
	{ "be:s12/16>>4", { 0x80, 0x00 }, 0xf800 },
	{ "be:s12/16>>4", { 0x7f, 0xf0 }, 0x07ff },
	{ "le:u12/16>>4", { 0xf0, 0xff }, 0x0fff },
	{ "le:u12/16>>4", { 0x34, 0x12 }, 0x0123 },
	{ "be:u12/16>>4", { 0x12, 0x34 }, 0x0123 },
	{ "le:S12/16>>0", { 0xff, 0xff }, 0xffff },
	{ "le:S12/16>>0", { 0x00, 0x10 }, 0x1000 }, /* fully defined: kept as is */
	{ "le:S12/16>>0", { 0x00, 0xf8 }, 0xf800 },
	{ "le:s12/16>>0", { 0x00, 0x10 }, 0x0000 }, /* bit 12 is not part of the value */
	{ "le:s12/16>>0", { 0x00, 0x08 }, 0xf800 },
	{ "le:s12/16>>0", { 0xff, 0x07 }, 0x07ff },
	{ "le:u16/16>>0", { 0x34, 0x12 }, 0x1234 },
	{ "be:u16/16>>0", { 0x12, 0x34 }, 0x1234 },
	{ "be:s16/16>>0", { 0x80, 0x00 }, 0x8000 },
	{ "le:s6/8>>2", { 0xfc }, 0xff },
	{ "le:s6/8>>2", { 0x7c }, 0x1f },
	{ "le:s6/8>>2", { 0x80 }, 0xe0 },
	{ "le:u8/8>>0", { 0xab }, 0xab },
	{ "le:u4/8>>4", { 0xab }, 0x0a },
	{ "be:s24/32>>8", { 0x80, 0x00, 0x00, 0x12 }, 0xff800000 },
	{ "be:s24/32>>8", { 0x00, 0x12, 0x34, 0x56 }, 0x00001234 },
	{ "le:u24/32>>0", { 0x56, 0x34, 0x12, 0xff }, 0x00123456 },
	{ "le:s32/32>>0", { 0xfe, 0xff, 0xff, 0xff }, 0xfffffffe },
	{ "be:s32/32>>0", { 0xff, 0xff, 0xff, 0xfe }, 0xfffffffe },
	{ "le:S32/32>>4", { 0x00, 0x00, 0x00, 0x80 }, 0xf8000000 }, /* arithmetic shift */
	{ "le:U32/32>>4", { 0x00, 0x00, 0x00, 0x80 }, 0x08000000 },
	{ "le:s64/64>>0", { 1, 2, 3, 4, 5, 6, 7, 0x88 }, 0x8807060504030201 },
	{ "be:u64/64>>0", { 1, 2, 3, 4, 5, 6, 7, 8 }, 0x0102030405060708 },
	{ "le:s48/64>>16", { 0xff, 0xff, 0, 0, 0, 0, 0, 0x80 }, 0xffff800000000000 },
	{ "le:s48/64>>16", { 0xff, 0xff, 0, 0, 0, 0, 0xff, 0x7f }, 0x00007fff00000000 },
	{ "be:u40/64>>8", { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12 }, 0xffffffffff },
	/* 24-bit storage: not a kernel format, but handled. */
	{ "le:s20/24>>4", { 0xf0, 0xff, 0xff }, 0xffffff },
	{ "le:s20/24>>4", { 0x10, 0x00, 0x80 }, 0xf80001 },
	{ "be:u24/24>>0", { 0x12, 0x34, 0x56 }, 0x123456 },
};

static const struct vector inverse[] = {
	{ "le:s12/16>>4", { 0xf0, 0xff }, 0xffff },
	{ "le:s12/16>>4", { 0x00, 0x80 }, 0xf800 },
	{ "le:s12/16>>4", { 0xf0, 0x7f }, 0x07ff },
	{ "be:s12/16>>4", { 0xff, 0xf0 }, 0xffff },
	{ "le:u12/16>>4", { 0xc0, 0xab }, 0xfabc }, /* bits above 12 dropped */
	{ "le:S12/16>>0", { 0xff, 0xff }, 0xffff },
	{ "le:s12/16>>0", { 0xff, 0x0f }, 0xffff },
	{ "be:u16/16>>0", { 0x12, 0x34 }, 0x1234 },
	{ "le:s6/8>>2", { 0xfc }, 0xff },
	{ "be:s24/32>>8", { 0x80, 0x00, 0x00, 0x00 }, 0xff800000 },
	{ "le:u24/32>>0", { 0x56, 0x34, 0x12, 0x00 }, 0xff123456 },
	{ "be:s32/32>>0", { 0xff, 0xff, 0xff, 0xfe }, 0xfffffffe },
	{ "be:u64/64>>0", { 1, 2, 3, 4, 5, 6, 7, 8 }, 0x0102030405060708 },
	{ "le:s48/64>>16", { 0, 0, 0, 0, 0, 0, 0, 0x80 }, 0xffff800000000000 },
	{ "le:s20/24>>4", { 0xf0, 0xff, 0xff }, 0xffffff },
	{ "be:u24/24>>0", { 0x12, 0x34, 0x56 }, 0x123456 },
};

static void test_vectors(void)
{
	uint8_t out[8];
	unsigned int i, width;

	for (i = 0; i < ARRAY_SIZE(forward); i++) {
		const struct vector *v = &forward[i];
		struct iio_channel *chn = channel(v->format);

		width = chn->format.length / 8;
		memset(out, 0xee, sizeof(out));
		iio_channel_convert(chn, out, v->raw);
		if (host_value(out, width) != v->value) {
			fprintf(stderr, "convert %s vector %u: got 0x%llx, expected 0x%llx\n",
				v->format, i, (unsigned long long)host_value(out, width),
				(unsigned long long)v->value);
			CHECK(!"forward vector");
		}
		CHECK(width == 8 || out[width] == 0xee); /* nothing written past the element */
	}
	for (i = 0; i < ARRAY_SIZE(inverse); i++) {
		const struct vector *v = &inverse[i];
		struct iio_channel *chn = channel(v->format);
		uint8_t in[8];

		width = chn->format.length / 8;
		put_host_value(in, width, v->value);
		memset(out, 0xee, sizeof(out));
		iio_channel_convert_inverse(chn, out, in);
		if (memcmp(out, v->raw, width)) {
			fprintf(stderr, "inverse %s vector %u: got %02x %02x %02x %02x\n",
				v->format, i, out[0], out[1], out[2], out[3]);
			CHECK(!"inverse vector");
		}
	}
}

static void test_repeat_and_in_place(void)
{
	struct iio_channel *chn = channel("be:s12/16X3>>4");
	uint8_t raw[6] = { 0xff, 0xf0, 0x00, 0x10, 0x80, 0x00 }, out[6], back[6];

	CHECK_INT(chn->format.repeat, 3);
	iio_channel_convert(chn, out, raw);
	CHECK_INT(host_value(out, 2), 0xffff);
	CHECK_INT(host_value(out + 2, 2), 0x0001);
	CHECK_INT(host_value(out + 4, 2), 0xf800);
	iio_channel_convert_inverse(chn, back, out);
	CHECK(!memcmp(back, raw, 6));

	/* In place, both ways. */
	memcpy(out, raw, 6);
	iio_channel_convert(chn, out, out);
	CHECK_INT(host_value(out + 4, 2), 0xf800);
	iio_channel_convert_inverse(chn, out, out);
	CHECK(!memcmp(out, raw, 6));
}

static void test_wide(void)
{
	struct iio_channel *be = channel("be:U128/128>>0");
	struct iio_channel *shifted = channel("le:s120/128>>8");
	struct iio_channel *masked = channel("be:u100/128>>4");
	uint8_t raw[16], out[16], lsb[16], expect[16];
	unsigned int i;
	bool little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

	for (i = 0; i < 16; i++)
		raw[i] = (uint8_t)(i + 1);
	iio_channel_convert(be, out, raw);
	for (i = 0; i < 16; i++) /* most significant first in raw */
		CHECK_INT(out[little ? 15 - i : i], i + 1);
	iio_channel_convert_inverse(be, expect, out);
	CHECK(!memcmp(expect, raw, 16));

	/* 0xAB in the low byte is shifted out; 0x80 on top sign-extends. */
	raw[0] = 0xab;
	raw[15] = 0x80;
	iio_channel_convert(shifted, out, raw);
	for (i = 0; i < 16; i++)
		lsb[i] = out[little ? i : 15 - i];
	for (i = 0; i < 15; i++)
		CHECK_INT(lsb[i], raw[i + 1]);
	CHECK_INT(lsb[15], 0xff);
	/* Back: the low byte comes back as 0, the top byte as the sign. */
	iio_channel_convert_inverse(shifted, expect, out);
	CHECK_INT(expect[0], 0);
	CHECK(!memcmp(expect + 1, raw + 1, 15));

	/* 100 bits of ones, under a 4-bit shift. */
	memset(raw, 0xff, 16);
	iio_channel_convert(masked, out, raw);
	for (i = 0; i < 16; i++)
		lsb[i] = out[little ? i : 15 - i];
	for (i = 0; i < 12; i++)
		CHECK_INT(lsb[i], 0xff);
	CHECK_INT(lsb[12], 0x0f);
	CHECK_INT(lsb[13] | lsb[14] | lsb[15], 0);
	iio_channel_convert_inverse(masked, expect, out);
	/* Bits 4..103 set, big endian: 3 zero bytes, 0xff x 12, then 0xf0. */
	CHECK_INT(expect[0] | expect[1] | expect[2], 0);
	for (i = 3; i < 15; i++)
		CHECK_INT(expect[i], 0xff);
	CHECK_INT(expect[15], 0xf0);
}

static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> 11;
}

/* Any value the format can hold survives inverse then forward. */
static void test_round_trips(void)
{
	static const char *const formats[] = {
		"le:s12/16>>4", "be:s12/16>>4", "le:u12/16>>4", "be:u14/16>>2", "le:S12/16>>0",
		"le:s16/16>>0", "be:s16/16>>0", "le:u8/8>>0", "le:s7/8>>1", "be:s24/32>>8",
		"le:u24/32>>0", "le:s32/32>>0", "be:u32/32>>0", "le:s64/64>>0", "be:s64/64>>0",
		"le:s48/64>>16", "be:u40/64>>8", "le:s20/24>>4", "be:u24/24>>0", "le:S32/32>>4",
	};
	uint64_t state = 12345;
	unsigned int f, n;

	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		struct iio_channel *chn = channel(formats[f]);
		const struct iio_data_format *fmt = &chn->format;
		unsigned int width = fmt->length / 8, bits = fmt->is_fully_defined ?
				     fmt->length - fmt->shift : fmt->bits;

		for (n = 0; n < 2000; n++) {
			uint64_t v = next_random(&state) ^ (next_random(&state) << 40);
			uint8_t in[8], raw[8], out[8];

			if (bits < 64) {
				v &= (UINT64_C(1) << bits) - 1;
				if (fmt->is_signed && (v >> (bits - 1)) & 1)
					v |= ~UINT64_C(0) << bits; /* negative */
			}
			put_host_value(in, width, v);
			iio_channel_convert_inverse(chn, raw, in);
			iio_channel_convert(chn, out, raw);
			if (memcmp(out, in, width)) {
				fprintf(stderr, "%s: 0x%llx came back as 0x%llx\n", formats[f],
					(unsigned long long)host_value(in, width),
					(unsigned long long)host_value(out, width));
				CHECK(!"round trip");
			}
		}
	}
}

/*
 * Strided conversion (the demux path) agrees with element-by-element calls,
 * for every sample size the 16-bit fast paths take, at every position in the
 * sample; the block is allocated to its exact size so that a read past its
 * end shows under ASan.
 */
static void test_strided(void)
{
	static const char *const formats[] = {
		"le:s12/16>>4", "be:u16/16>>0", "le:S12/16>>0", "be:s12/16>>4", "le:u12/16>>2",
		"be:S16/16>>0", "le:u16/16>>0", "be:s24/32>>8", "le:s32/32>>0", "le:U32/32>>0",
		"be:u32/32>>0", "le:u20/32>>4", "be:S32/32>>4", "le:s48/64>>16", "le:u8/8>>0",
		"le:s20/24>>4", "be:s12/16X2>>4",
	};
	static const size_t strides[] = { 2, 4, 8, 16, 24 };
	uint8_t out[100 * 8], one[16];
	unsigned int f, s, i, count;
	size_t offset;

	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		struct iio_channel *chn = channel(formats[f]);
		size_t len = chn->format.length / 8 * chn->format.repeat;

		for (s = 0; s < ARRAY_SIZE(strides); s++) {
			size_t stride = strides[s];

			if (len > stride)
				continue;
			for (count = 1; count <= 100; count += 33) {
				uint8_t *block = malloc(stride * count);

				CHECK(block);
				for (i = 0; i < stride * count; i++)
					block[i] = (uint8_t)(i * 37 + 11 + f);
				for (offset = 0; offset + len <= stride; offset += len) {
					const uint8_t *src = block + offset;

					CHECK_INT(iio_channel_convert_samples(chn, out, len, src, stride,
									      count, false), 0);
					for (i = 0; i < count; i++) {
						iio_channel_convert(chn, one, src + stride * i);
						CHECK(!memcmp(one, out + i * len, len));
					}
					/* Raw demux: the same bytes, unconverted. */
					iio_copy_samples(out, len, src, stride, len, count);
					for (i = 0; i < count; i++)
						CHECK(!memcmp(out + i * len, src + stride * i, len));
				}
				free(block);
			}
		}
	}
}

static void test_oversized(void)
{
	struct iio_channel *chn = channel("le:u16/16>>0");
	uint8_t src[2] = { 1, 2 }, dst[2] = { 0xee, 0xee };

	/* 1025-byte elements: refused with a logged error, nothing written. */
	chn->format.length = 8200;
	chn->format.bits = 8200;
	CHECK_INT(iio_channel_convert_samples(chn, dst, 2, src, 2, 1, false), -EINVAL);
	iio_channel_convert(chn, dst, src);
	iio_channel_convert_inverse(chn, dst, src);
	CHECK_INT(dst[0], 0xee);
	CHECK_INT(dst[1], 0xee);

	/* Exactly 1024 bytes is fine. */
	{
		static uint8_t big_in[1024], big_out[1024];

		chn->format.length = 8192;
		chn->format.bits = 8192;
		chn->format.is_be = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
		big_in[0] = 0x42;
		CHECK_INT(iio_channel_convert_samples(chn, big_out, 1024, big_in, 1024, 1, false),
			  0);
		CHECK_INT(big_out[1023], 0x42);
	}
}

int main(void)
{
	struct iio_context *ctx = iio_context_new(&convert_backend, NULL, NULL);

	CHECK(!iio_err(ctx));
	dev = iio_context_add_device(ctx, "iio:device0", "converter", NULL);
	CHECK(!iio_err(dev));

	test_vectors();
	test_repeat_and_in_place();
	test_wide();
	test_round_trips();
	test_strided();
	test_oversized();

	iio_context_destroy(ctx);
	printf("test-convert: OK\n");
	return 0;
}
