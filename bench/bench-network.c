// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * RX throughput of the ip: backend over loopback, against a raw TCP copy of
 * the same bytes measured in the same run.
 *
 * An iiod of this build serves the AD9361-like local: fixture, whose RX
 * core's "device node" is a file of zeros; the client streams it through
 * iio_buffer_create_stream()/iio_stream_get_next_block(). The baseline is
 * the least a network transfer of the same bytes costs: a thread reads the
 * same file block by block and send()s it, the client recv()s it into a
 * block-sized buffer. Prints "BENCH network-rx ... ratio=<ip/raw>".
 *
 * Usage: bench-network [--quick] [--block KiB] [--mib MiB]
 */
#include <iio/iio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RX_DEVICE "cf-ad9361-lpc"
#define RX_NODE "dev/iio:device2"
#define SAMPLE_SIZE 8 /* 4 channels x 16 bits */
#define NB_BLOCKS 4
#define RUNS 3

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* ---- The fixture and the server ------------------------------------------- */

static char tree[] = "/tmp/bench-network.XXXXXX";
static pid_t iiod_pid;

static void make_tree(size_t bytes)
{
	char cmd[8192], node[4096];
	int fd;

	if (!mkdtemp(tree))
		die("mkdtemp");
	snprintf(cmd, sizeof(cmd),
		 "python3 '%s/tests/fixtures/gen-sysfs.py' --clean '%s' "
		 "'%s/tests/fixtures/ad9361.sysfs' >/dev/null",
		 IIO_SOURCE_DIR, tree, IIO_SOURCE_DIR);
	if (system(cmd))
		die("gen-sysfs.py");
	/* Zeros: sparse, so the page cache serves them without a disk. */
	snprintf(node, sizeof(node), "%s/" RX_NODE, tree);
	fd = open(node, O_WRONLY | O_TRUNC);
	if (fd < 0 || ftruncate(fd, (off_t)bytes))
		die(node);
	close(fd);
}

static void remove_tree(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	if (system(cmd))
		fprintf(stderr, "bench-network: could not remove %s\n", tree);
}

/* Starts iiod on an ephemeral port; returns the port. */
static unsigned int start_iiod(void)
{
	char line[256];
	unsigned int port = 0;
	int pipefd[2];
	FILE *out;

	if (pipe(pipefd))
		die("pipe");
	iiod_pid = fork();
	if (iiod_pid < 0)
		die("fork");
	if (!iiod_pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		setenv("LIBIIO_LOCAL_ROOT", tree, 1);
		execl(IIO_BUILD_DIR "/iiod/iiod", "iiod", "-p", "0", "--no-dnssd", "-u",
		      "local:", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	while (out && fgets(line, sizeof(line), out))
		if (sscanf(line, "iiod: serving on TCP port %u", &port) == 1)
			break;
	if (!port) {
		fprintf(stderr, "bench-network: iiod did not start\n");
		exit(1);
	}
	/* Keep reading its output so that it never blocks on a full pipe. */
	if (!fork()) {
		while (fgets(line, sizeof(line), out))
			;
		_exit(0);
	}
	fclose(out);
	return port;
}

/* ---- ip: ------------------------------------------------------------------------ */

static double run_ip(unsigned int port, size_t block, size_t total)
{
	struct iio_channels_mask *mask;
	const struct iio_block *blk;
	struct iio_context *ctx;
	struct iio_stream *stream;
	struct iio_device *dev;
	char uri[64];
	size_t got = 0;
	unsigned int i;
	double start, elapsed;

	snprintf(uri, sizeof(uri), "ip:127.0.0.1:%u", port);
	ctx = iio_create_context(NULL, uri);
	if (iio_err(ctx)) {
		fprintf(stderr, "bench-network: no context at %s\n", uri);
		exit(1);
	}
	dev = iio_context_find_device(ctx, RX_DEVICE);
	mask = dev ? iio_create_channels_mask(iio_device_get_channels_count(dev)) : NULL;
	if (!mask)
		exit(1);
	for (i = 0; i < iio_device_get_channels_count(dev); i++)
		iio_channel_enable(iio_device_get_channel(dev, i), mask);

	start = now_s();
	stream = iio_buffer_create_stream(iio_device_get_buffer(dev, 0), NB_BLOCKS,
					  block / SAMPLE_SIZE, mask);
	if (iio_err(stream)) {
		fprintf(stderr, "bench-network: no stream (%d)\n", iio_err(stream));
		exit(1);
	}
	while (got < total) {
		blk = iio_stream_get_next_block(stream);
		if (iio_err(blk)) {
			fprintf(stderr, "bench-network: stream failed (%d)\n", iio_err(blk));
			exit(1);
		}
		got += (size_t)((char *)iio_block_end(blk) - (char *)iio_block_start(blk));
	}
	elapsed = now_s() - start;
	iio_stream_destroy(stream);
	iio_channels_mask_destroy(mask);
	iio_context_destroy(ctx);
	return got / elapsed;
}

/* ---- Raw TCP: the same file, the same block size ---------------------------------- */

struct raw_server {
	int listen_fd;
	size_t block, total;
};

static void *raw_server_thread(void *arg)
{
	struct raw_server *rs = arg;
	char node[4096], *buf = malloc(rs->block);
	size_t sent = 0;
	ssize_t n, w;
	int fd, file;

	fd = accept(rs->listen_fd, NULL, NULL);
	snprintf(node, sizeof(node), "%s/" RX_NODE, tree);
	file = open(node, O_RDONLY);
	if (fd < 0 || file < 0 || !buf)
		die("raw server");
	while (sent < rs->total) {
		n = read(file, buf, rs->block);
		if (n <= 0)
			break;
		for (w = 0; w < n;) {
			ssize_t r = send(fd, buf + w, (size_t)(n - w), MSG_NOSIGNAL);

			if (r <= 0)
				die("send");
			w += r;
		}
		sent += (size_t)n;
	}
	close(file);
	close(fd);
	free(buf);
	return NULL;
}

static double run_raw(size_t block, size_t total)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	struct raw_server rs = {.block = block, .total = total};
	char *buf = malloc(block);
	pthread_t thread;
	size_t got = 0;
	double start, elapsed;
	ssize_t n;
	int fd, one = 1;

	rs.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (rs.listen_fd < 0 || bind(rs.listen_fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(rs.listen_fd, 1) || getsockname(rs.listen_fd, (struct sockaddr *)&sin, &len))
		die("raw listen");
	pthread_create(&thread, NULL, raw_server_thread, &rs);

	start = now_s();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("raw connect");
	while (got < total) {
		n = recv(fd, buf, block, MSG_WAITALL);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	elapsed = now_s() - start;
	close(fd);
	pthread_join(thread, NULL);
	close(rs.listen_fd);
	free(buf);
	if (got < total) {
		fprintf(stderr, "bench-network: raw copy short (%zu of %zu)\n", got, total);
		exit(1);
	}
	return got / elapsed;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t block_kib = 512, total_mib = 512;
	double ip[RUNS], raw[RUNS];
	unsigned int port, i;
	int status;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			total_mib = 64;
		else if (!strcmp(argv[i], "--block") && i + 1 < (unsigned int)argc)
			block_kib = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--mib") && i + 1 < (unsigned int)argc)
			total_mib = strtoul(argv[++i], NULL, 0);
	}
	signal(SIGPIPE, SIG_IGN);
	/* Room for the blocks the server reads ahead. */
	make_tree((total_mib << 20) + 4 * NB_BLOCKS * (block_kib << 10));
	port = start_iiod();

	/* Interleaved runs, so that both see the same machine load. */
	for (i = 0; i < RUNS; i++) {
		raw[i] = run_raw(block_kib << 10, total_mib << 20);
		ip[i] = run_ip(port, block_kib << 10, total_mib << 20);
	}
	qsort(ip, RUNS, sizeof(double), compare);
	qsort(raw, RUNS, sizeof(double), compare);

	kill(iiod_pid, SIGTERM);
	waitpid(iiod_pid, &status, 0);
	remove_tree();
	printf("BENCH network-rx block=%zuKiB bytes=%zuMiB runs=%u (median) ip=%.0fMiB/s "
	       "raw_tcp=%.0fMiB/s ratio=%.2f\n",
	       block_kib, total_mib, RUNS, ip[RUNS / 2] / (1 << 20), raw[RUNS / 2] / (1 << 20),
	       ip[RUNS / 2] / raw[RUNS / 2]);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bench-network: iiod did not exit cleanly\n");
		return 1;
	}
	return 0;
}
