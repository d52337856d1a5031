// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The protocol client against a scripted server on a socketpair: binary
 * detection, responses matched by client_id in any order, data longer than
 * the reader's buffer, a late response after a timeout that must not shift
 * the next answers, the silent ASCII fallback for 0.x servers, a peer that
 * goes away.
 */
#include "check.h"
#include "protocol/client.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static void expect(int fd, const void *bytes, size_t len)
{
	char buf[256];
	size_t got = 0;
	ssize_t ret;

	CHECK(len <= sizeof(buf));
	while (got < len) {
		ret = read(fd, buf + got, len - got);
		CHECK(ret > 0);
		got += (size_t)ret;
	}
	if (memcmp(buf, bytes, len)) {
		fprintf(stderr, "server expected '%.*s', got '%.*s'\n", (int)len,
			(const char *)bytes, (int)len, buf);
		exit(1);
	}
}

static void send_all(int fd, const void *bytes, size_t len)
{
	CHECK_INT(write(fd, bytes, len), (ssize_t)len);
}

static struct iiod_header expect_header(int fd, uint8_t op)
{
	uint8_t raw[8];
	struct iiod_header hdr;
	size_t got = 0;
	ssize_t ret;

	while (got < 8) {
		ret = read(fd, raw + got, 8 - got);
		CHECK(ret > 0);
		got += (size_t)ret;
	}
	iiod_header_decode(&hdr, raw);
	CHECK_INT(hdr.op, op);
	return hdr;
}

static void respond(int fd, uint16_t id, int32_t code, const void *data, size_t len)
{
	struct iiod_header hdr = {.client_id = id, .code = code};
	uint8_t raw[8];

	iiod_header_encode(&hdr, raw);
	send_all(fd, raw, 8);
	if (len)
		send_all(fd, data, len);
}

static uint64_t read_u64(int fd)
{
	uint8_t raw[8];

	CHECK_INT(read(fd, raw, 8), 8);
	return iiod_get_le64(raw);
}

static void *binary_server(void *arg)
{
	int fd = *(int *)arg;
	struct iiod_header hdr, first, second;
	expect(fd, "BINARY\r\n", 8);
	send_all(fd, "0\n", 2);
	hdr = expect_header(fd, IIOD_OP_TIMEOUT);
	CHECK_INT(hdr.code, 2500); /* half of the client's 5000 ms */
	respond(fd, 0, 0, NULL, 0);

	hdr = expect_header(fd, IIOD_OP_READ_ATTR);
	CHECK_INT(hdr.dev, 2);
	CHECK_INT(hdr.code, 3 << 16);
	respond(fd, 0, 5, "1000", 5);

	/* Two blocks in flight: answered in the opposite order. */
	first = expect_header(fd, IIOD_OP_TRANSFER_BLOCK);
	CHECK_INT(read_u64(fd), 4);
	second = expect_header(fd, IIOD_OP_TRANSFER_BLOCK);
	CHECK_INT(read_u64(fd), 4);
	CHECK_INT(first.client_id, 1);
	CHECK_INT(second.client_id, 2);
	respond(fd, 2, 4, "BBBB", 4);
	respond(fd, 1, 6, "AAAAAA", 6); /* longer than the block: the rest is dropped */

	/* A shorter timeout, then a NOP answered too late, then one answered at once. */
	hdr = expect_header(fd, IIOD_OP_TIMEOUT);
	CHECK_INT(hdr.code, 500);
	respond(fd, 0, 0, NULL, 0);
	expect_header(fd, IIOD_OP_READ_ATTR);
	/* After the client's 1 s: late, yet the NOP sent at 1 s has 0.9 s to be answered. */
	usleep(1100000);
	respond(fd, 0, 9, "late-data", 9);
	expect_header(fd, IIOD_OP_NOP);
	respond(fd, 0, 0, NULL, 0);

	hdr = expect_header(fd, IIOD_OP_WRITE_ATTR);
	CHECK_INT(read_u64(fd), 3);
	expect(fd, "12", 3);
	respond(fd, 0, 3, NULL, 0);

	/* A response for nobody, with data: dropped, the stream stays in step. */
	respond(fd, 77, 4, "zzzz", 4);
	expect_header(fd, IIOD_OP_NOP);
	respond(fd, 0, 0, NULL, 0);

	close(fd);
	return NULL;
}

static void test_binary(void)
{
	struct iiod_request req = {.op = IIOD_OP_READ_ATTR, .dev = 2, .code = 3 << 16};
	struct iiod_request nop = {.op = IIOD_OP_NOP};
	struct iiod_client *client;
	struct iiod_io *io1, *io2;
	uint8_t len_raw[8];
	struct iovec iov = {.iov_base = len_raw, .iov_len = 8};
	struct iovec wiov[2];
	char a[4], b[4], value[16];
	pthread_t thread;
	int32_t code;
	int sv[2], ret;

	CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK(!pthread_create(&thread, NULL, binary_server, &sv[1]));
	client = iiod_client_new(NULL, iiod_fd_transport_new(sv[0], sv[0], true), 5000);
	CHECK(!iio_err(client));
	CHECK(iiod_client_is_binary(client));

	memset(value, 0, sizeof(value));
	CHECK_INT(iiod_client_exec(client, &req, true, value, sizeof(value)), 5);
	CHECK_STR(value, "1000");

	io1 = iiod_io_new(client, 1);
	io2 = iiod_io_new(client, 2);
	iiod_put_le64(len_raw, 4);
	req = (struct iiod_request){.op = IIOD_OP_TRANSFER_BLOCK, .payload = &iov, .nb_payload = 1};
	CHECK_INT(iiod_io_send(io1, &req, true, a, sizeof(a)), 0);
	CHECK_INT(iiod_io_send(io1, &req, true, a, sizeof(a)), -EBUSY); /* one at a time */
	CHECK_INT(iiod_io_send(io2, &req, true, b, sizeof(b)), 0);
	CHECK_INT(iiod_io_wait(io1, 1000, &code), 0);
	CHECK_INT(code, 6);
	CHECK(!memcmp(a, "AAAA", 4));
	CHECK_INT(iiod_io_wait(io2, 1000, &code), 0);
	CHECK_INT(code, 4);
	CHECK(!memcmp(b, "BBBB", 4));
	CHECK(!iiod_io_is_pending(io1));
	iiod_io_destroy(io1);
	iiod_io_destroy(io2);

	CHECK_INT(iiod_client_set_timeout(client, 1000), 0);
	req = (struct iiod_request){.op = IIOD_OP_READ_ATTR};
	CHECK_INT(iiod_client_exec(client, &req, true, value, sizeof(value)), -ETIMEDOUT);
	/* The late answer (with data) goes to the abandoned request, not this one. */
	ret = iiod_client_exec(client, &nop, false, NULL, 0);
	CHECK_INT(ret, 0);

	iiod_put_le64(len_raw, 3);
	wiov[0] = iov;
	wiov[1] = (struct iovec){.iov_base = "12", .iov_len = 3};
	req = (struct iiod_request){.op = IIOD_OP_WRITE_ATTR, .payload = wiov, .nb_payload = 2};
	CHECK_INT(iiod_client_exec(client, &req, false, NULL, 0), 3);
	CHECK_INT(iiod_client_exec(client, &nop, false, NULL, 0), 0);

	/* The server is gone. */
	pthread_join(thread, NULL);
	CHECK_INT(iiod_client_exec(client, &nop, false, NULL, 0), -EPIPE);
	iiod_client_destroy(client);
}

static void *ascii_server(void *arg)
{
	int fd = *(int *)arg;

	expect(fd, "BINARY\r\n", 8);
	send_all(fd, "-22\n", 4); /* a libiio 0.x iiod */
	expect(fd, "TIMEOUT 2500\r\n", 14);
	send_all(fd, "0\n", 2);
	expect(fd, "READ iio:device0 raw\r\n", 22);
	send_all(fd, "5\n1000\0\n", 8);
	expect(fd, "WRITE iio:device0 raw 3\r\n12", 28);
	send_all(fd, "3\n", 2);
	expect(fd, "READBUF iio:device1 10\r\n", 24);
	send_all(fd, "8\n00000003\n01234567", 19);
	send_all(fd, "2\n89", 4);
	expect(fd, "READ iio:device0 nosuch\r\n", 25);
	send_all(fd, "-2\n", 3);
	close(fd);
	return NULL;
}

static void test_ascii(void)
{
	struct iiod_client *client;
	char value[16], samples[16];
	uint32_t mask;
	pthread_t thread;
	long reply;
	int sv[2];

	CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK(!pthread_create(&thread, NULL, ascii_server, &sv[1]));
	client = iiod_client_new(NULL, iiod_fd_transport_new(sv[0], sv[0], true), 5000);
	CHECK(!iio_err(client));
	CHECK(!iiod_client_is_binary(client));

	CHECK_INT(
		iiod_client_ascii_read_value(client, "READ iio:device0 raw", value, sizeof(value)),
		5);
	CHECK_STR(value, "1000");
	CHECK_INT(iiod_client_ascii_command(client, "WRITE iio:device0 raw 3", "12", 3, &reply), 0);
	CHECK_INT(reply, 3);
	CHECK_INT(iiod_client_ascii_readbuf(client, "iio:device1", samples, 10, &mask, 1), 10);
	CHECK(!memcmp(samples, "0123456789", 10));
	CHECK_INT(mask, 3);
	CHECK_INT(iiod_client_ascii_read_value(client, "READ iio:device0 nosuch", value,
					       sizeof(value)),
		  -2);
	pthread_join(thread, NULL);
	CHECK(iiod_client_ascii_read_value(client, "READ iio:device0 raw", value, sizeof(value)) <
	      0);
	iiod_client_destroy(client);
}

int main(void)
{
	test_binary();
	test_ascii();
	printf("test-protocol-client: OK\n");
	return 0;
}
