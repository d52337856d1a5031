// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The iiod wire codec (protocol/codec.c) and the fd transport: exact bytes
 * from the specs' worked examples, malformed input, line reads that never
 * swallow a following payload, cancel/timeout/hang-up.
 */
#include "check.h"
#include "protocol/transport.h"
#include "protocol/wire.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static void test_header(void)
{
	/* protocol-binary.md §13: TIMEOUT id0 code 2500. */
	const uint8_t timeout[8] = {0x00, 0x00, 0x02, 0x00, 0xc4, 0x09, 0x00, 0x00};
	/* CREATE_BLOCK id1, dev3, blk0|buf0. */
	const uint8_t create[8] = {0x01, 0x00, 0x15, 0x03, 0x00, 0x00, 0x00, 0x00};
	struct iiod_header hdr = {.op = IIOD_OP_TIMEOUT, .code = 2500}, back;
	uint8_t raw[8];

	iiod_header_encode(&hdr, raw);
	CHECK(!memcmp(raw, timeout, 8));
	hdr = (struct iiod_header){.client_id = 1, .op = IIOD_OP_CREATE_BLOCK, .dev = 3};
	iiod_header_encode(&hdr, raw);
	CHECK(!memcmp(raw, create, 8));

	hdr = (struct iiod_header){.client_id = 0xfffe, .op = 31, .dev = 255, .code = -22};
	iiod_header_encode(&hdr, raw);
	iiod_header_decode(&back, raw);
	CHECK_INT(back.client_id, 0xfffe);
	CHECK_INT(back.op, 31);
	CHECK_INT(back.dev, 255);
	CHECK_INT(back.code, -22);

	CHECK_INT(iiod_code_pack(5, 2), 0x50002);
	CHECK_INT(iiod_code_high(iiod_code_pack(0x7fff, 0xffff)), 0x7fff);
	CHECK_INT(iiod_code_low(iiod_code_pack(0x7fff, 0xffff)), 0xffff);

	/* Enqueue errors are shifted (§5.5): -16 -> 0xFFF00000. */
	CHECK_INT((uint32_t)iiod_block_enqueue_error(-16), 0xfff00000u);
	CHECK_INT((uint32_t)iiod_block_enqueue_error(-22), 0xffea0000u);
	CHECK(iiod_block_code_is_enqueue_error(iiod_block_enqueue_error(-16)));
	CHECK_INT(iiod_block_code_enqueue_errno(iiod_block_enqueue_error(-16)), -16);
	CHECK(!iiod_block_code_is_enqueue_error(-110));
	CHECK(!iiod_block_code_is_enqueue_error(16384));
	CHECK_STR(iiod_opcode_name(IIOD_OP_NOP), "NOP");
	CHECK_INT(IIOD_NB_OPCODES, 33);
}

static void test_int_lines(void)
{
	long v;

	CHECK_INT(iiod_parse_int_line("0\n", 2, &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(iiod_parse_int_line("\n\n-22\n", 6, &v), 0);
	CHECK_INT(v, -22);
	CHECK_INT(iiod_parse_int_line("16384\r\n", 7, &v), 0);
	CHECK_INT(v, 16384);
	CHECK_INT(iiod_parse_int_line("abc\n", 4, &v), -EINVAL);
	CHECK_INT(iiod_parse_int_line("12x\n", 4, &v), -EINVAL);
	CHECK_INT(iiod_parse_int_line("\n", 1, &v), -EINVAL);
	CHECK_INT(iiod_parse_int_line("99999999999999999999\n", 21, &v), -EINVAL);
	CHECK_INT(iiod_parse_int_line("3000000000\n", 11, &v), -EINVAL);
}

static void test_masks(void)
{
	/* protocol-legacy.md §5: 40 channels, channels 0, 1 and 33. */
	uint32_t words[2] = {0x3, 0x2}, back[2];
	char text[17];

	iiod_mask_to_text(words, 2, text);
	CHECK_STR(text, "0000000200000003");
	CHECK_INT(iiod_mask_from_text(text, 16, back, 2), 0);
	CHECK_INT(back[0], 3);
	CHECK_INT(back[1], 2);
	CHECK_INT(iiod_mask_from_text("00000003", 8, back, 1), 0);
	CHECK_INT(back[0], 3);
	CHECK_INT(iiod_mask_from_text("ABCDEF01", 8, back, 1), 0);
	CHECK_INT(back[0], 0xabcdef01u);
	CHECK_INT(iiod_mask_from_text("0000003", 7, back, 1), -EINVAL);
	CHECK_INT(iiod_mask_from_text("0000000g", 8, back, 1), -EINVAL);
	CHECK_INT(iiod_mask_from_text("000000030", 9, back, 1), -EINVAL);
}

struct seen {
	unsigned int count;
	unsigned int index[8];
	char value[8][16];
};

static int collect(unsigned int index, const char *value, size_t len, void *d)
{
	struct seen *seen = d;

	CHECK(seen->count < 8 && len < 16);
	seen->index[seen->count] = index;
	memcpy(seen->value[seen->count], value, len);
	seen->value[seen->count][len] = '\0';
	seen->count++;
	return 0;
}

static void test_attr_block(void)
{
	const char expected[] = {
		0,	    0,		0,	    5,		'1', '0', '0', '0', 0,
		0,	    0,		0,			/* "1000\0" padded to 8 */
		(char)0xff, (char)0xff, (char)0xff, (char)0xfe, /* -2: that attribute failed */
		0,	    0,		0,	    4,		'a', 'b', 'c', 0, /* exactly 4, no
										     padding */
	};
	struct iiod_attr_block blk = {0};
	struct seen seen = {0};

	CHECK_INT(iiod_attr_block_add(&blk, "1000", 5), 0);
	CHECK_INT(iiod_attr_block_add(&blk, NULL, -2), 0);
	CHECK_INT(iiod_attr_block_add(&blk, "abc", 4), 0);
	CHECK_INT(blk.len, sizeof(expected));
	CHECK(!memcmp(blk.data, expected, sizeof(expected)));

	CHECK_INT(iiod_attr_block_parse(blk.data, blk.len, collect, &seen), 0);
	CHECK_INT(seen.count, 2);
	CHECK_INT(seen.index[0], 0);
	CHECK_STR(seen.value[0], "1000");
	CHECK_INT(seen.index[1], 2); /* the failed entry still counts */
	CHECK_STR(seen.value[1], "abc");

	/* Truncated: a length that runs past the end, or a partial length field. */
	seen.count = 0;
	CHECK_INT(iiod_attr_block_parse(blk.data, 10, collect, &seen), -EINVAL);
	CHECK_INT(iiod_attr_block_parse(blk.data, 2, collect, &seen), -EINVAL);
	/* The last value without its padding is accepted. */
	seen.count = 0;
	CHECK_INT(iiod_attr_block_parse("\0\0\0\x03xyz", 7, collect, &seen), 0);
	CHECK_STR(seen.value[0], "xyz");
	/* A huge announced length is refused, not trusted. */
	CHECK_INT(iiod_attr_block_parse("\x7f\xff\xff\xff", 4, collect, &seen), -EINVAL);
	free(blk.data);
}

static void *cancel_later(void *arg)
{
	usleep(100000);
	iiod_transport_cancel(arg);
	return NULL;
}

static void test_transport(bool is_socket)
{
	struct iiod_transport *t;
	char line[64], data[8];
	pthread_t thread;
	int sv[2], p2[2];
	long value;
	ssize_t ret;

	if (is_socket) {
		CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		t = iiod_fd_transport_new(sv[0], sv[0], true);
	} else {
		/* Plain fds: read from one pipe, write to the other. */
		CHECK(!pipe(sv));
		CHECK(!pipe(p2));
		t = iiod_fd_transport_new(sv[0], p2[1], false);
	}
	CHECK(!iio_err(t));

	/* A command line followed by its payload and the next line, in one write. */
	CHECK_INT(write(sv[1], "WRITE dev attr 3\r\nXYZREAD x\n", 28), 28);
	ret = t->ops->read_line(t, line, sizeof(line), 1000);
	CHECK_INT(ret, 18);
	CHECK(!memcmp(line, "WRITE dev attr 3\r\n", 18));
	CHECK_INT(iiod_read_all(t, data, 3, 1000), 0);
	CHECK(!memcmp(data, "XYZ", 3));
	ret = t->ops->read_line(t, line, sizeof(line), 1000);
	CHECK_INT(ret, 7);
	CHECK(!memcmp(line, "READ x\n", 7));

	/* Integer replies skip empty lines. */
	CHECK_INT(write(sv[1], "\n\n-19\n", 6), 6);
	CHECK_INT(iiod_read_int_line(t, &value, 1000), 0);
	CHECK_INT(value, -19);

	/* Nothing comes: a timeout. A line longer than the buffer: -EFBIG. */
	CHECK_INT(t->ops->read_line(t, line, sizeof(line), 50), -ETIMEDOUT);
	memset(line, 'a', sizeof(line));
	CHECK_INT(write(sv[1], line, sizeof(line)), sizeof(line));
	CHECK_INT(t->ops->read_line(t, line, 16, 1000), -EFBIG);
	CHECK_INT(iiod_discard(t, sizeof(line) - 16, 1000), 0);

	/* Writes: every element, in order. */
	CHECK_INT(iiod_write_int_line(t, -22, 1000), 0);
	ret = read(is_socket ? sv[1] : p2[0], line, sizeof(line));
	CHECK_INT(ret, 4);
	CHECK(!memcmp(line, "-22\n", 4));

	/* A blocked read is woken by a cancel from another thread; later calls fail too. */
	if (is_socket) {
		/* A payload read waits for all its bytes in the kernel: a cancel still ends it. */
		char big[4096];

		CHECK_INT(write(sv[1], "abc", 3), 3);
		CHECK(!pthread_create(&thread, NULL, cancel_later, t));
		CHECK_INT(iiod_read_all(t, big, sizeof(big), -1), -EBADF);
	} else {
		CHECK(!pthread_create(&thread, NULL, cancel_later, t));
		CHECK_INT(t->ops->read(t, data, 1, -1), -EBADF);
	}
	pthread_join(thread, NULL);
	CHECK_INT(iiod_write_int_line(t, 0, 1000), -EBADF);
	iiod_transport_destroy(t);

	/* The peer leaves: -EPIPE. */
	if (is_socket) {
		close(sv[1]);
		CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		t = iiod_fd_transport_new(sv[0], sv[0], true);
		close(sv[1]);
		CHECK_INT(t->ops->read(t, data, 1, 1000), -EPIPE);
		CHECK_INT(iiod_write_int_line(t, 0, 1000), -EPIPE);
		iiod_transport_destroy(t);
	} else {
		close(sv[1]);
		close(p2[0]);
	}
}

int main(void)
{
	test_header();
	test_int_lines();
	test_masks();
	test_attr_block();
	test_transport(true);
	test_transport(false);
	printf("test-protocol: OK\n");
	return 0;
}
