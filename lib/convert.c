// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sample conversion between a channel's hardware format and host integers:
 * byte order, shift, sign extension or masking (api.md §12).
 *
 * Every element is handled as a 64-bit integer when it fits (1 to 8 bytes);
 * the usual widths get loops the compiler specialises, odd ones (24-bit ...)
 * are loaded byte by byte. Wider elements take a byte-array path.
 */
#include "stream-internal.h"

#include <iio/iio-debug.h>

#include <stdint.h>
#include <string.h>

/* Largest element the converter accepts (also the byte-array path's scratch size). */
#define MAX_ELEMENT_BYTES 1024

#define HOST_IS_BE (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

#define always_inline inline __attribute__((always_inline))

struct converter {
	unsigned int width;  /* bytes per element */
	unsigned int repeat; /* elements per sample */
	bool swap;	     /* the sample's byte order is not the host's */
	bool is_signed;
	unsigned int shift; /* right shift of the raw value */
	/* Value bits left after the shift (0: nothing left, the value is 0). */
	unsigned int bits;
};

static int converter_init(const struct iio_channel *chn, struct converter *conv)
{
	const struct iio_data_format *fmt = &chn->format;
	unsigned int width = fmt->length / 8, room;

	if (width > MAX_ELEMENT_BYTES) {
		chn_err(chn,
			"Unable to convert samples: %u-byte elements are larger than the "
			"%u bytes supported\n",
			width, MAX_ELEMENT_BYTES);
		return -EINVAL;
	}
	conv->width = width;
	conv->repeat = fmt->repeat ? fmt->repeat : 1;
	conv->swap = width > 1 && fmt->is_be != HOST_IS_BE;
	conv->is_signed = fmt->is_signed;
	if (fmt->shift >= width * 8) {
		conv->shift = 0;
		conv->bits = 0;
		return 0;
	}
	conv->shift = fmt->shift;
	room = width * 8 - fmt->shift;
	/* Fully defined: every bit above the shift is significant, sign included. */
	conv->bits = fmt->is_fully_defined || !fmt->bits || fmt->bits > room ? room : fmt->bits;
	return 0;
}

static bool converter_is_identity(const struct converter *conv)
{
	return !conv->swap && !conv->shift && conv->bits == conv->width * 8;
}

/* Loads one element of 1 to 8 bytes; swap: the bytes are in the other order. */
static always_inline uint64_t load_element(const uint8_t *src, unsigned int width, bool swap)
{
	uint64_t value = 0;
	uint16_t v16;
	uint32_t v32;
	unsigned int i;
	bool little = HOST_IS_BE == swap;

	switch (width) {
	case 1:
		return *src;
	case 2:
		memcpy(&v16, src, 2);
		return swap ? __builtin_bswap16(v16) : v16;
	case 4:
		memcpy(&v32, src, 4);
		return swap ? __builtin_bswap32(v32) : v32;
	case 8:
		memcpy(&value, src, 8);
		return swap ? __builtin_bswap64(value) : value;
	default:
		for (i = 0; i < width; i++)
			value |= (uint64_t)src[little ? i : width - 1 - i] << (8 * i);
		return value;
	}
}

/* Stores the low width bytes of value; swap: in the other byte order. */
static always_inline void store_element(uint8_t *dst, unsigned int width, uint64_t value, bool swap)
{
	uint16_t v16;
	uint32_t v32;
	unsigned int i;
	bool little = HOST_IS_BE == swap;

	switch (width) {
	case 1:
		*dst = (uint8_t)value;
		return;
	case 2:
		v16 = swap ? __builtin_bswap16((uint16_t)value) : (uint16_t)value;
		memcpy(dst, &v16, 2);
		return;
	case 4:
		v32 = swap ? __builtin_bswap32((uint32_t)value) : (uint32_t)value;
		memcpy(dst, &v32, 4);
		return;
	case 8:
		value = swap ? __builtin_bswap64(value) : value;
		memcpy(dst, &value, 8);
		return;
	default:
		for (i = 0; i < width; i++)
			dst[little ? i : width - 1 - i] = (uint8_t)(value >> (8 * i));
	}
}

static always_inline uint64_t low_bits(unsigned int bits)
{
	return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
}

/* Raw element (host order, width <= 8) to value. */
static always_inline uint64_t forward_value(uint64_t raw, const struct converter *conv)
{
	if (!conv->bits)
		return 0;
	if (conv->is_signed) /* the value's top bit lands on bit 63, then back down */
		return (uint64_t)((int64_t)(raw << (64 - conv->shift - conv->bits)) >>
				  (64 - conv->bits));
	return (raw >> conv->shift) & low_bits(conv->bits);
}

static always_inline uint64_t inverse_value(uint64_t value, const struct converter *conv)
{
	if (!conv->bits)
		return 0;
	return (value & low_bits(conv->bits)) << conv->shift;
}

static always_inline void convert_loop(const struct converter *conv, unsigned int width,
				       unsigned int repeat, bool inverse, uint8_t *dst,
				       size_t dst_stride, const uint8_t *src, size_t src_stride,
				       size_t count)
{
	size_t i;
	unsigned int r;

	for (i = 0; i < count; i++, dst += dst_stride, src += src_stride) {
		for (r = 0; r < repeat; r++) {
			const uint8_t *s = src + (size_t)r * width;
			uint8_t *d = dst + (size_t)r * width;

			if (inverse)
				store_element(d, width,
					      inverse_value(load_element(s, width, false), conv),
					      conv->swap);
			else
				store_element(
					d, width,
					forward_value(load_element(s, width, conv->swap), conv),
					false);
		}
	}
}

/* One function per common width, with the single-element case unrolled. */
#define DEFINE_CONVERT_WIDTH(w)                                                                    \
	static void convert_width_##w(const struct converter *conv, bool inverse, uint8_t *dst,    \
				      size_t dst_stride, const uint8_t *src, size_t src_stride,    \
				      size_t count)                                                \
	{                                                                                          \
		if (conv->repeat == 1 && inverse)                                                  \
			convert_loop(conv, w, 1, true, dst, dst_stride, src, src_stride, count);   \
		else if (conv->repeat == 1)                                                        \
			convert_loop(conv, w, 1, false, dst, dst_stride, src, src_stride, count);  \
		else                                                                               \
			convert_loop(conv, w, conv->repeat, inverse, dst, dst_stride, src,         \
				     src_stride, count);                                           \
	}

DEFINE_CONVERT_WIDTH(1)
DEFINE_CONVERT_WIDTH(2)
DEFINE_CONVERT_WIDTH(4)
DEFINE_CONVERT_WIDTH(8)

static void convert_width_odd(const struct converter *conv, bool inverse, uint8_t *dst,
			      size_t dst_stride, const uint8_t *src, size_t src_stride,
			      size_t count)
{
	convert_loop(conv, conv->width, conv->repeat, inverse, dst, dst_stride, src, src_stride,
		     count);
}

/* ---- 16- and 32-bit channels out of a block: the common SDR formats ------- */

/*
 * The loops below work on fixed-size chunks: at -O2, GCC only vectorises a
 * loop whose trip count is a known multiple of the vector length.
 */
#define CHUNK 16

/*
 * Element i (2 or 4 bytes) at the start of sample i, samples stride bytes
 * apart: a whole-sample load when the sample is 4 or 8 bytes, which the
 * compiler turns into vector loads and shuffles.
 */
static always_inline uint32_t load_small(const uint8_t *src, size_t stride, size_t i,
					 unsigned int width)
{
	uint64_t word64;
	uint32_t word32;
	uint16_t word16;

	if (stride == 8 && width < 8) {
		memcpy(&word64, src + 8 * i, 8);
		if (HOST_IS_BE)
			word64 >>= 64 - 8 * width;
		return width == 2 ? (uint16_t)word64 : (uint32_t)word64;
	}
	if (stride == 4 && width == 2) {
		memcpy(&word32, src + 4 * i, 4);
		return (uint16_t)(HOST_IS_BE ? word32 >> 16 : word32);
	}
	if (width == 2) {
		memcpy(&word16, src + stride * i, 2);
		return word16;
	}
	memcpy(&word32, src + stride * i, 4);
	return word32;
}

static always_inline void store_small(uint8_t *dst, size_t i, unsigned int width, uint32_t v)
{
	uint16_t v16 = (uint16_t)v;

	if (width == 2)
		memcpy(dst + 2 * i, &v16, 2);
	else
		memcpy(dst + 4 * i, &v, 4);
}

/* forward_value() in the element's own width, for vector code. */
static always_inline uint32_t forward_small(uint32_t v, unsigned int width, bool swap,
					    bool is_signed, unsigned int up, unsigned int down,
					    unsigned int shift, uint32_t mask)
{
	uint16_t v16 = (uint16_t)v;

	if (width == 2) {
		if (swap)
			v16 = __builtin_bswap16(v16);
		if (is_signed)
			return (uint16_t)((int16_t)(uint16_t)(v16 << up) >> down);
		return (uint16_t)(v16 >> shift) & mask;
	}
	if (swap)
		v = __builtin_bswap32(v);
	if (is_signed)
		return (uint32_t)((int32_t)(v << up) >> down);
	return (v >> shift) & mask;
}

static always_inline void demux_loop(const struct converter *conv, uint8_t *restrict dst,
				     const uint8_t *restrict src, size_t stride, size_t count,
				     unsigned int width, bool convert, bool swap, bool is_signed)
{
	unsigned int bits = 8 * width, shift = conv->shift;
	unsigned int up = bits - conv->shift - conv->bits, down = bits - conv->bits;
	uint32_t mask = conv->bits >= 32 ? ~0u : (1u << conv->bits) - 1, v;
	size_t i = 0, j, n = count - 1;

	for (; i + CHUNK <= n; i += CHUNK) {
		for (j = 0; j < CHUNK; j++) {
			v = load_small(src, stride, i + j, width);
			if (convert)
				v = forward_small(v, width, swap, is_signed, up, down, shift, mask);
			store_small(dst, i + j, width, v);
		}
	}
	/* The last sample on its own: its whole-sample load could pass the block's end. */
	for (; i < count; i++) {
		v = load_small(src + i * stride, width, 0, width);
		if (convert)
			v = forward_small(v, width, swap, is_signed, up, down, shift, mask);
		store_small(dst, i, width, v);
	}
}

static always_inline void demux_variants(const struct converter *conv, uint8_t *dst,
					 const uint8_t *src, size_t stride, size_t count,
					 unsigned int width)
{
	if (converter_is_identity(conv))
		demux_loop(conv, dst, src, stride, count, width, false, false, false);
	else if (conv->swap && conv->is_signed)
		demux_loop(conv, dst, src, stride, count, width, true, true, true);
	else if (conv->swap)
		demux_loop(conv, dst, src, stride, count, width, true, true, false);
	else if (conv->is_signed)
		demux_loop(conv, dst, src, stride, count, width, true, false, true);
	else
		demux_loop(conv, dst, src, stride, count, width, true, false, false);
}

/*
 * One 16- or 32-bit channel out of samples of 2, 4 or 8 bytes, into a packed
 * array. Returns false when the case is not one of these.
 */
static bool demux_fast(const struct converter *conv, uint8_t *dst, size_t dst_stride,
		       const uint8_t *src, size_t src_stride, size_t count)
{
	unsigned int width = conv->width;

	if ((width != 2 && width != 4) || conv->repeat != 1 || dst_stride != width || !conv->bits ||
	    !count || !(dst + width * count <= src || src + src_stride * count <= dst))
		return false;
	/* A packed identity is one memmove: iio_copy_samples() does it. */
	if (src_stride == width && converter_is_identity(conv))
		return false;

	if (width == 2 && src_stride == 2)
		demux_variants(conv, dst, src, 2, count, 2);
	else if (width == 2 && src_stride == 4)
		demux_variants(conv, dst, src, 4, count, 2);
	else if (width == 2 && src_stride == 8)
		demux_variants(conv, dst, src, 8, count, 2);
	else if (width == 4 && src_stride == 4)
		demux_variants(conv, dst, src, 4, count, 4);
	else if (width == 4 && src_stride == 8)
		demux_variants(conv, dst, src, 8, count, 4);
	else
		return false;
	return true;
}

/* ---- Elements wider than 8 bytes: byte arrays, least significant first ---- */

static void to_lsb_first(uint8_t *out, const uint8_t *in, unsigned int width, bool little)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		out[i] = in[little ? i : width - 1 - i];
}

static void from_lsb_first(uint8_t *out, const uint8_t *in, unsigned int width, bool little)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		out[little ? i : width - 1 - i] = in[i];
}

/* Keeps the low bits of num, filling the rest with fill (0x00 or 0xff). */
static void keep_low_bits(uint8_t *num, unsigned int width, unsigned int bits, uint8_t fill)
{
	unsigned int i;

	for (i = 0; i < width; i++) {
		unsigned int keep = bits > 8 * i ? bits - 8 * i : 0;
		uint8_t mask = keep >= 8 ? 0xff : (uint8_t)((1u << keep) - 1);

		num[i] = (uint8_t)((num[i] & mask) | (fill & ~mask));
	}
}

static void wide_forward(const struct converter *conv, uint8_t *dst, const uint8_t *src)
{
	uint8_t in[MAX_ELEMENT_BYTES], out[MAX_ELEMENT_BYTES];
	unsigned int w = conv->width, bytes = conv->shift / 8, bit = conv->shift % 8, i;
	uint8_t fill, sign;

	to_lsb_first(in, src, w, HOST_IS_BE == conv->swap);
	fill = conv->is_signed && (in[w - 1] & 0x80) ? 0xff : 0;
	for (i = 0; i < w; i++) {
		unsigned int lo = i + bytes < w ? in[i + bytes] : fill;
		unsigned int hi = i + bytes + 1 < w ? in[i + bytes + 1] : fill;

		out[i] = (uint8_t)(bit ? (lo >> bit) | (hi << (8 - bit)) : lo);
	}
	if (!conv->bits) {
		memset(out, 0, w);
	} else {
		sign = (out[(conv->bits - 1) / 8] >> ((conv->bits - 1) % 8)) & 1;
		keep_low_bits(out, w, conv->bits, conv->is_signed && sign ? 0xff : 0);
	}
	from_lsb_first(dst, out, w, !HOST_IS_BE);
}

static void wide_inverse(const struct converter *conv, uint8_t *dst, const uint8_t *src)
{
	uint8_t in[MAX_ELEMENT_BYTES], out[MAX_ELEMENT_BYTES];
	unsigned int w = conv->width, bytes = conv->shift / 8, bit = conv->shift % 8, i;

	to_lsb_first(in, src, w, !HOST_IS_BE);
	keep_low_bits(in, w, conv->bits, 0);
	for (i = 0; i < w; i++) {
		unsigned int lo = i >= bytes ? in[i - bytes] : 0;
		unsigned int below = bit && i >= bytes + 1 ? in[i - bytes - 1] : 0;

		out[i] = (uint8_t)((lo << bit) | (below >> (8 - bit)));
	}
	from_lsb_first(dst, out, w, HOST_IS_BE == conv->swap);
}

static void convert_wide(const struct converter *conv, bool inverse, uint8_t *dst,
			 size_t dst_stride, const uint8_t *src, size_t src_stride, size_t count)
{
	size_t i;
	unsigned int r;

	for (i = 0; i < count; i++, dst += dst_stride, src += src_stride) {
		for (r = 0; r < conv->repeat; r++) {
			size_t at = (size_t)r * conv->width;

			if (inverse)
				wide_inverse(conv, dst + at, src + at);
			else
				wide_forward(conv, dst + at, src + at);
		}
	}
}

/* ---- Plain copies (the format needs no conversion) ------------------------ */

static always_inline void copy_loop(uint8_t *dst, size_t dst_stride, const uint8_t *src,
				    size_t src_stride, size_t len, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++, dst += dst_stride, src += src_stride)
		memmove(dst, src, len);
}

void iio_copy_samples(void *dst_, size_t dst_stride, const void *src_, size_t src_stride,
		      size_t len, size_t count)
{
	uint8_t *dst = dst_;
	const uint8_t *src = src_;

	if (dst_stride == len && src_stride == len) {
		memmove(dst, src, len * count);
		return;
	}
	if (len == 2 || len == 4) {
		struct converter raw = {
			.width = (unsigned int)len,
			.repeat = 1,
			.bits = 8 * (unsigned int)len,
		};

		if (demux_fast(&raw, dst, dst_stride, src, src_stride, count))
			return;
	}
	switch (len) {
	case 2:
		copy_loop(dst, dst_stride, src, src_stride, 2, count);
		break;
	case 4:
		copy_loop(dst, dst_stride, src, src_stride, 4, count);
		break;
	case 8:
		copy_loop(dst, dst_stride, src, src_stride, 8, count);
		break;
	default:
		copy_loop(dst, dst_stride, src, src_stride, len, count);
	}
}

int iio_channel_convert_samples(const struct iio_channel *chn, void *dst, size_t dst_stride,
				const void *src, size_t src_stride, size_t count, bool inverse)
{
	struct converter conv;
	int ret;

	ret = converter_init(chn, &conv);
	if (ret < 0)
		return ret;
	if (!conv.width || !count)
		return 0;

	if (!inverse && demux_fast(&conv, dst, dst_stride, src, src_stride, count))
		return 0;
	if (converter_is_identity(&conv)) {
		iio_copy_samples(dst, dst_stride, src, src_stride, (size_t)conv.width * conv.repeat,
				 count);
		return 0;
	}
	switch (conv.width) {
	case 1:
		convert_width_1(&conv, inverse, dst, dst_stride, src, src_stride, count);
		break;
	case 2:
		convert_width_2(&conv, inverse, dst, dst_stride, src, src_stride, count);
		break;
	case 4:
		convert_width_4(&conv, inverse, dst, dst_stride, src, src_stride, count);
		break;
	case 8:
		convert_width_8(&conv, inverse, dst, dst_stride, src, src_stride, count);
		break;
	default:
		if (conv.width < 8)
			convert_width_odd(&conv, inverse, dst, dst_stride, src, src_stride, count);
		else
			convert_wide(&conv, inverse, dst, dst_stride, src, src_stride, count);
	}
	return 0;
}

static size_t sample_bytes(const struct iio_channel *chn)
{
	return (size_t)(chn->format.length / 8) * (chn->format.repeat ? chn->format.repeat : 1);
}

void iio_channel_convert(const struct iio_channel *chn, void *dst, const void *src)
{
	size_t len = sample_bytes(chn);

	(void)iio_channel_convert_samples(chn, dst, len, src, len, 1, false);
}

void iio_channel_convert_inverse(const struct iio_channel *chn, void *dst, const void *src)
{
	size_t len = sample_bytes(chn);

	(void)iio_channel_convert_samples(chn, dst, len, src, len, 1, true);
}
