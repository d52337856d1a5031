/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The iiod wire formats, shared by the server (iiod) and the remote backends
 * (ip:, usb:): the binary protocol's 8-byte header and opcodes, the ASCII
 * protocol's integer lines and channel-mask text, the "all attributes" block,
 * and the limits every length read from the wire is checked against.
 *
 * Never installed; everything here is iio_hidden.
 */
#ifndef IIO_PROTOCOL_WIRE_H
#define IIO_PROTOCOL_WIRE_H

#include "internal.h"

#include <stdint.h>
#include <string.h>

#define IIOD_DEFAULT_PORT 30431

/* ---- Limits ------------------------------------------------------------- */

/* Longest ASCII command line the server accepts (upstream's lexer buffer). */
#define IIOD_MAX_LINE 8192
/* Largest attribute value the server reads, and the client accepts per read. */
#define IIOD_MAX_ATTR_VALUE 65536
/* Largest attribute write payload the server accepts. */
#define IIOD_MAX_ATTR_WRITE (1u << 20)
/* Largest block (CREATE_BLOCK, legacy OPEN samples x sample size). */
#define IIOD_MAX_BLOCK_SIZE (64u << 20)
/* Bytes of an unwanted payload the server still reads to stay in sync. */
#define IIOD_MAX_DISCARD (64u << 20)
/* Most channels a legacy mask line may describe (upstream: 16 words). */
#define IIOD_MAX_MASK_WORDS 16
/* Blocks per buffer a binary client may create (the index is 15 bits). */
#define IIOD_MAX_BLOCKS 0x8000

/* ---- Binary protocol ---------------------------------------------------- */

#define IIOD_HEADER_SIZE 8

/* The 8 bytes a client sends to leave ASCII mode. */
#define IIOD_BINARY_COMMAND "BINARY\r\n"

/* HEAD numbering (protocol-binary.md §3). */
enum iiod_opcode {
	IIOD_OP_RESPONSE = 0,
	IIOD_OP_PRINT,
	IIOD_OP_TIMEOUT,
	IIOD_OP_READ_ATTR,
	IIOD_OP_READ_DBG_ATTR,
	IIOD_OP_READ_BUF_ATTR,
	IIOD_OP_READ_CHN_ATTR,
	IIOD_OP_READ_DEV_EVT_ATTR,
	IIOD_OP_READ_CHN_EVT_ATTR,
	IIOD_OP_WRITE_ATTR,
	IIOD_OP_WRITE_DBG_ATTR,
	IIOD_OP_WRITE_BUF_ATTR,
	IIOD_OP_WRITE_CHN_ATTR,
	IIOD_OP_WRITE_DEV_EVT_ATTR,
	IIOD_OP_WRITE_CHN_EVT_ATTR,
	IIOD_OP_GETTRIG,
	IIOD_OP_SETTRIG,
	IIOD_OP_OPEN_BUFFER,
	IIOD_OP_CLOSE_BUFFER,
	IIOD_OP_ENABLE_BUFFER,
	IIOD_OP_DISABLE_BUFFER,
	IIOD_OP_CREATE_BLOCK,
	IIOD_OP_FREE_BLOCK,
	IIOD_OP_TRANSFER_BLOCK,
	IIOD_OP_ENQUEUE_BLOCK_CYCLIC,
	IIOD_OP_RETRY_DEQUEUE_BLOCK,
	IIOD_OP_CREATE_EVSTREAM,
	IIOD_OP_FREE_EVSTREAM,
	IIOD_OP_READ_EVENT,
	IIOD_OP_REG_READ,
	IIOD_OP_REG_WRITE,
	IIOD_OP_REFRESH_FORMAT,
	IIOD_OP_NOP,
	IIOD_NB_OPCODES,
};

struct iiod_header {
	uint16_t client_id;
	uint8_t op;
	uint8_t dev;
	int32_t code;
};

static inline void iiod_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void iiod_put_le32(uint8_t *p, uint32_t v)
{
	iiod_put_le16(p, (uint16_t)v);
	iiod_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void iiod_put_le64(uint8_t *p, uint64_t v)
{
	iiod_put_le32(p, (uint32_t)v);
	iiod_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t iiod_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t iiod_get_le32(const uint8_t *p)
{
	return (uint32_t)iiod_get_le16(p) | (uint32_t)iiod_get_le16(p + 2) << 16;
}

static inline uint64_t iiod_get_le64(const uint8_t *p)
{
	return (uint64_t)iiod_get_le32(p) | (uint64_t)iiod_get_le32(p + 4) << 32;
}

/* Upstream copies the struct from host memory: little-endian on every real peer. */
static inline void iiod_header_encode(const struct iiod_header *hdr, uint8_t out[IIOD_HEADER_SIZE])
{
	iiod_put_le16(out, hdr->client_id);
	out[2] = hdr->op;
	out[3] = hdr->dev;
	iiod_put_le32(out + 4, (uint32_t)hdr->code);
}

static inline void iiod_header_decode(struct iiod_header *hdr, const uint8_t in[IIOD_HEADER_SIZE])
{
	hdr->client_id = iiod_get_le16(in);
	hdr->op = in[2];
	hdr->dev = in[3];
	hdr->code = (int32_t)iiod_get_le32(in + 4);
}

/* code layouts: attribute (or block) index in bits 31..16, argument in 15..0. */
static inline int32_t iiod_code_pack(unsigned int high, unsigned int low)
{
	return (int32_t)(((uint32_t)high << 16) | (low & 0xffff));
}

static inline unsigned int iiod_code_high(int32_t code)
{
	return (uint32_t)code >> 16;
}

static inline unsigned int iiod_code_low(int32_t code)
{
	return (uint32_t)code & 0xffff;
}

/*
 * Block responses: an enqueue failure -e is sent as (-e) << 16 (low half 0),
 * so that the client knows the block is not enqueued; a dequeue failure as -e.
 */
static inline int32_t iiod_block_enqueue_error(int err)
{
	return (int32_t)((uint32_t)err << 16);
}

static inline bool iiod_block_code_is_enqueue_error(int32_t code)
{
	return code < 0 && !(code & 0xffff);
}

static inline int iiod_block_code_enqueue_errno(int32_t code)
{
	return code >> 16;
}

/*
 * A negative code from the peer as an errno: anything an error pointer could
 * not carry (below -4095) becomes -EIO.
 */
static inline int iiod_errno(long code)
{
	return code < 0 && code >= -4095 ? (int)code : -EIO;
}

/* Human name of an opcode, for log lines ("OP#57" for unknown ones is the caller's). */
iio_hidden const char *iiod_opcode_name(unsigned int op);

/* ---- ASCII protocol ----------------------------------------------------- */

/*
 * Parses an integer reply line: leading '\n's skipped, base 10, a trailing
 * '\r' and '\n' tolerated. Returns 0 or -EINVAL.
 */
iio_hidden int iiod_parse_int_line(const char *line, size_t len, long *out);

/* Characters of the text form of a mask of nb_words words (8 per word). */
static inline size_t iiod_mask_text_len(unsigned int nb_words)
{
	return 8 * (size_t)nb_words;
}

/*
 * Prints a mask as 8 lowercase hex digits per word, highest word first.
 * dst must hold iiod_mask_text_len(nb_words) + 1 bytes.
 */
iio_hidden void iiod_mask_to_text(const uint32_t *words, unsigned int nb_words, char *dst);

/* Parses the text form of exactly nb_words words. Returns 0 or -EINVAL. */
iio_hidden int iiod_mask_from_text(const char *text, size_t len, uint32_t *words,
				   unsigned int nb_words);

/*
 * The "all attributes" block (protocol-legacy.md §6): per attribute a
 * big-endian i32 length (negative: that attribute's error), the value,
 * padding to a multiple of 4.
 */
struct iiod_attr_block {
	char *data;
	size_t len, capacity;
};

/* Appends one entry: value/len when len > 0, or the error err (< 0). */
iio_hidden int iiod_attr_block_add(struct iiod_attr_block *blk, const char *value, ssize_t len);

/*
 * Walks a received block: calls cb for each entry with a positive length, in
 * order (index counts every entry). Returns 0, -EINVAL when the entries do not
 * exactly cover len, or the first error cb returns.
 */
iio_hidden int iiod_attr_block_parse(const char *data, size_t len,
				     int (*cb)(unsigned int index, const char *value,
					       size_t value_len, void *d),
				     void *d);

#endif /* IIO_PROTOCOL_WIRE_H */
