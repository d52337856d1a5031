// SPDX-License-Identifier: LGPL-2.1-or-later
/* Encoding and decoding of the protocol's small items: integer lines, masks, attribute blocks. */
#include "wire.h"

#include <limits.h>
#include <stdlib.h>

static const char *const opcode_names[IIOD_NB_OPCODES] = {
	[IIOD_OP_RESPONSE] = "RESPONSE",
	[IIOD_OP_PRINT] = "PRINT",
	[IIOD_OP_TIMEOUT] = "TIMEOUT",
	[IIOD_OP_READ_ATTR] = "READ_ATTR",
	[IIOD_OP_READ_DBG_ATTR] = "READ_DBG_ATTR",
	[IIOD_OP_READ_BUF_ATTR] = "READ_BUF_ATTR",
	[IIOD_OP_READ_CHN_ATTR] = "READ_CHN_ATTR",
	[IIOD_OP_READ_DEV_EVT_ATTR] = "READ_DEV_EVT_ATTR",
	[IIOD_OP_READ_CHN_EVT_ATTR] = "READ_CHN_EVT_ATTR",
	[IIOD_OP_WRITE_ATTR] = "WRITE_ATTR",
	[IIOD_OP_WRITE_DBG_ATTR] = "WRITE_DBG_ATTR",
	[IIOD_OP_WRITE_BUF_ATTR] = "WRITE_BUF_ATTR",
	[IIOD_OP_WRITE_CHN_ATTR] = "WRITE_CHN_ATTR",
	[IIOD_OP_WRITE_DEV_EVT_ATTR] = "WRITE_DEV_EVT_ATTR",
	[IIOD_OP_WRITE_CHN_EVT_ATTR] = "WRITE_CHN_EVT_ATTR",
	[IIOD_OP_GETTRIG] = "GETTRIG",
	[IIOD_OP_SETTRIG] = "SETTRIG",
	[IIOD_OP_OPEN_BUFFER] = "OPEN_BUFFER",
	[IIOD_OP_CLOSE_BUFFER] = "CLOSE_BUFFER",
	[IIOD_OP_ENABLE_BUFFER] = "ENABLE_BUFFER",
	[IIOD_OP_DISABLE_BUFFER] = "DISABLE_BUFFER",
	[IIOD_OP_CREATE_BLOCK] = "CREATE_BLOCK",
	[IIOD_OP_FREE_BLOCK] = "FREE_BLOCK",
	[IIOD_OP_TRANSFER_BLOCK] = "TRANSFER_BLOCK",
	[IIOD_OP_ENQUEUE_BLOCK_CYCLIC] = "ENQUEUE_BLOCK_CYCLIC",
	[IIOD_OP_RETRY_DEQUEUE_BLOCK] = "RETRY_DEQUEUE_BLOCK",
	[IIOD_OP_CREATE_EVSTREAM] = "CREATE_EVSTREAM",
	[IIOD_OP_FREE_EVSTREAM] = "FREE_EVSTREAM",
	[IIOD_OP_READ_EVENT] = "READ_EVENT",
	[IIOD_OP_REG_READ] = "REG_READ",
	[IIOD_OP_REG_WRITE] = "REG_WRITE",
	[IIOD_OP_REFRESH_FORMAT] = "REFRESH_FORMAT",
	[IIOD_OP_NOP] = "NOP",
};

const char *iiod_opcode_name(unsigned int op)
{
	return op < IIOD_NB_OPCODES ? opcode_names[op] : "unknown opcode";
}

int iiod_parse_int_line(const char *line, size_t len, long *out)
{
	char buf[32], *end;
	size_t start = 0, stop;
	long value;

	while (start < len && line[start] == '\n')
		start++;
	stop = start;
	while (stop < len && line[stop] != '\n' && line[stop] != '\r')
		stop++;
	if (stop == start || stop - start >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, line + start, stop - start);
	buf[stop - start] = '\0';

	errno = 0;
	value = strtol(buf, &end, 10);
	if (end == buf || *end || errno == ERANGE || value < INT_MIN || value > INT_MAX)
		return -EINVAL;
	*out = value;
	return 0;
}

void iiod_mask_to_text(const uint32_t *words, unsigned int nb_words, char *dst)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i, nibble;

	for (i = 0; i < nb_words; i++) {
		uint32_t word = words[nb_words - 1 - i];

		for (nibble = 0; nibble < 8; nibble++)
			*dst++ = hex[(word >> (28 - 4 * nibble)) & 0xf];
	}
	*dst = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int iiod_mask_from_text(const char *text, size_t len, uint32_t *words, unsigned int nb_words)
{
	unsigned int i, nibble;

	if (len != iiod_mask_text_len(nb_words))
		return -EINVAL;
	for (i = 0; i < nb_words; i++) {
		uint32_t word = 0;

		for (nibble = 0; nibble < 8; nibble++) {
			int d = hex_digit(*text++);

			if (d < 0)
				return -EINVAL;
			word = word << 4 | (uint32_t)d;
		}
		words[nb_words - 1 - i] = word;
	}
	return 0;
}

static int attr_block_reserve(struct iiod_attr_block *blk, size_t more)
{
	size_t need = blk->len + more, cap;
	char *data;

	if (need <= blk->capacity)
		return 0;
	cap = blk->capacity ? blk->capacity : 256;
	while (cap < need)
		cap *= 2;
	data = realloc(blk->data, cap);
	if (!data)
		return -ENOMEM;
	blk->data = data;
	blk->capacity = cap;
	return 0;
}

static void put_be32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

static int32_t get_be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (int32_t)((uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]);
}

int iiod_attr_block_add(struct iiod_attr_block *blk, const char *value, ssize_t len)
{
	size_t padded;
	int ret;

	if (len > INT32_MAX)
		return -EFBIG;
	padded = len > 0 ? ((size_t)len + 3) & ~(size_t)3 : 0;
	ret = attr_block_reserve(blk, 4 + padded);
	if (ret)
		return ret;
	put_be32(blk->data + blk->len, (uint32_t)(int32_t)len);
	blk->len += 4;
	if (len > 0) {
		memcpy(blk->data + blk->len, value, (size_t)len);
		memset(blk->data + blk->len + len, 0, padded - (size_t)len);
		blk->len += padded;
	}
	return 0;
}

int iiod_attr_block_parse(const char *data, size_t len,
			  int (*cb)(unsigned int index, const char *value, size_t value_len,
				    void *d),
			  void *d)
{
	unsigned int index = 0;
	size_t pos = 0;
	int ret;

	while (pos < len) {
		int32_t n;
		size_t padded;

		if (len - pos < 4)
			return -EINVAL;
		n = get_be32(data + pos);
		pos += 4;
		if (n > 0) {
			padded = ((size_t)n + 3) & ~(size_t)3;
			/* The last value may come without its padding. */
			if (padded > len - pos && (size_t)n == len - pos)
				padded = (size_t)n;
			if (padded > len - pos)
				return -EINVAL;
			ret = cb(index, data + pos, (size_t)n, d);
			if (ret)
				return ret;
			pos += padded;
		}
		index++;
	}
	return 0;
}
