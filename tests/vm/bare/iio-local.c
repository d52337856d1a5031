// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iio-local: the IIO side of the bare chain alone, no USB (no libiio).
 *
 *   dmabuf     RX from the simulated ADC through N mmap'ed dma-heap DMABUFs attached to
 *              the IIO buffer: wait for the fence, check the data, re-enqueue
 *   fileio     RX with read() on the buffer fd
 *   cyclic-tx  one DMABUF holding the counter, enqueued once with the CYCLIC flag to the
 *              DAC; the DAC must see it exactly once (its first pass), without errors,
 *              and the buffer must disable cleanly while the block repeats
 *
 * RX modes check every word against the counter (kernel-patches/README.md) and print
 *   LOCAL mode=M bytes=N secs=S mibs=X cpu_s_per_gib=C errors=E channels=K ok|BAD|unchecked
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define MAX_BUFS 32

struct dma_buf_sync_arg {
	uint64_t flags;
};

#define DMA_BUF_SYNC_READ 1
#define DMA_BUF_SYNC_WRITE 2
#define DMA_BUF_SYNC_START 0
#define DMA_BUF_SYNC_END 4
#define DMA_BUF_IOCTL_SYNC _IOW('b', 0, struct dma_buf_sync_arg)
#define IIO_DMABUF_FLAG_CYCLIC 1

static const char *mode = "dmabuf";
static size_t block_size = 1 << 20;
static unsigned int nbufs = 4;
static unsigned int nchan = 4;
static unsigned long long total = 256ULL << 20;

static bool no_check;
static uint16_t pattern[2 * 65536];
static uint16_t expect;
static unsigned long long errors;

static void check(const uint8_t *p, size_t len)
{
	if (no_check)
		return;
	while (len >= 2) {
		size_t n = len & ~(size_t)1;
		size_t i;

		if (n > 2 * 65536)
			n = 2 * 65536;
		if (!memcmp(p, &pattern[expect], n)) {
			expect += n / 2;
		} else {
			for (i = 0; i < n; i += 2) {
				uint16_t w = p[i] | (p[i + 1] << 8);

				if (w != expect) {
					errors++;
					expect = w;
				}
				expect++;
			}
		}
		p += n;
		len -= n;
	}
}

static void sync_buf(int fd, uint64_t flags)
{
	struct dma_buf_sync_arg s = { .flags = flags };

	while (ioctl(fd, DMA_BUF_IOCTL_SYNC, &s) < 0)
		if (errno != EINTR && errno != EAGAIN)
			die("DMA_BUF_IOCTL_SYNC");
}

static int alloc_dmabuf(int heap)
{
	struct dma_heap_alloc req = { .len = block_size, .fd_flags = O_RDWR | O_CLOEXEC };

	if (ioctl(heap, DMA_HEAP_ALLOC, &req) < 0)
		die("DMA_HEAP_IOCTL_ALLOC");
	return req.fd;
}

static unsigned long long rx_dmabuf(int buf_fd)
{
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	unsigned long long done = 0, queued = 0;
	int fds[MAX_BUFS];
	void *maps[MAX_BUFS];
	size_t lens[MAX_BUFS];
	unsigned int i, k;

	if (heap < 0)
		die("/dev/dma_heap/system");
	for (i = 0; i < nbufs; i++) {
		fds[i] = alloc_dmabuf(heap);
		maps[i] = mmap(NULL, block_size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[i], 0);
		if (maps[i] == MAP_FAILED)
			die("mmap DMABUF");
		if (ioctl(buf_fd, IIO_BUF_DMABUF_ATTACH, &fds[i]) < 0)
			die("IIO_BUFFER_DMABUF_ATTACH");
	}
	for (i = 0; i < nbufs && queued < total; i++) {
		lens[i] = total - queued < block_size ? total - queued : block_size;
		iio_enqueue(buf_fd, fds[i], lens[i], 0);
		queued += lens[i];
	}
	sysfs_write("buffer0/enable", "1");
	for (k = 0; done < total; k = (k + 1) % nbufs) {
		wait_fd(fds[k], POLLIN, "IIO fence");
		sync_buf(fds[k], DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
		check(maps[k], lens[k]);
		sync_buf(fds[k], DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
		done += lens[k];
		if (queued < total) {
			lens[k] = total - queued < block_size ? total - queued : block_size;
			iio_enqueue(buf_fd, fds[k], lens[k], 0);
			queued += lens[k];
		}
	}
	sysfs_write("buffer0/enable", "0");
	for (i = 0; i < nbufs; i++) {
		ioctl(buf_fd, IIO_BUF_DMABUF_DETACH, &fds[i]);
		munmap(maps[i], block_size);
		close(fds[i]);
	}
	close(heap);
	return done;
}

static unsigned long long rx_fileio(int buf_fd)
{
	char *buf = malloc(block_size), len[32];
	unsigned long long done = 0;

	if (!buf)
		die("malloc");
	snprintf(len, sizeof(len), "%zu", 2 * block_size / (2 * nchan));
	sysfs_write("buffer0/length", len);
	sysfs_write("buffer0/enable", "1");
	while (done < total) {
		size_t want = total - done < block_size ? total - done : block_size;
		ssize_t n = read(buf_fd, buf, want);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				wait_fd(buf_fd, POLLIN, "IIO data");
				continue;
			}
			die("read");
		}
		if (n == 0)
			die("read returned 0");
		check((uint8_t *)buf, n);
		done += n;
	}
	sysfs_write("buffer0/enable", "0");
	free(buf);
	return done;
}

static int tx_cyclic(int buf_fd)
{
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	long long words, errs, first;
	size_t i;
	uint16_t *map;
	int fd;

	if (heap < 0)
		die("/dev/dma_heap/system");
	fd = alloc_dmabuf(heap);
	map = mmap(NULL, block_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap DMABUF");
	sync_buf(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	for (i = 0; i < block_size / 2; i++)
		map[i] = (uint16_t)i;
	sync_buf(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	if (ioctl(buf_fd, IIO_BUF_DMABUF_ATTACH, &fd) < 0)
		die("IIO_BUFFER_DMABUF_ATTACH");
	iio_enqueue(buf_fd, fd, block_size, IIO_DMABUF_FLAG_CYCLIC);
	sysfs_write("buffer0/enable", "1");
	usleep(300000);
	words = sysfs_read_ll("sim_words");
	errs = sysfs_read_ll("sim_pattern_errors");
	first = sysfs_read_ll("sim_first_error");
	sysfs_write("buffer0/enable", "0");	/* must return although the block repeats */
	if (ioctl(buf_fd, IIO_BUF_DMABUF_DETACH, &fd) < 0)
		die("IIO_BUFFER_DMABUF_DETACH");
	munmap(map, block_size);
	close(fd);
	close(heap);
	printf("LOCAL mode=cyclic-tx block=%zu dac_words=%lld dac_errors=%lld first_error=%lld %s\n",
	       block_size, words, errs, first,
	       (words == (long long)block_size / 2 && !errs) ? "ok" : "BAD");
	return (words == (long long)block_size / 2 && !errs) ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long long done;
	double t0, c0, secs, cpu;
	unsigned int i;
	int c, buf_fd;

	while ((c = getopt(argc, argv, "m:s:n:b:c:N")) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 's': block_size = strtoull(optarg, NULL, 0); break;
		case 'n': nbufs = atoi(optarg); break;
		case 'b': total = strtoull(optarg, NULL, 0); break;
		case 'c': nchan = atoi(optarg); break;
		case 'N': no_check = true; break;
		default:
			fprintf(stderr, "usage: iio-local [-m dmabuf|fileio|cyclic-tx] [-s BLOCK] "
				"[-n NBUFS] [-b TOTAL] [-c NCHANNELS] [-N: no data check]\n");
			return 2;
		}
	}
	if (!nbufs || nbufs > MAX_BUFS || !nchan || nchan > 4 || block_size % (2 * nchan))
		return 2;
	for (i = 0; i < 2 * 65536; i++)
		pattern[i] = (uint16_t)i;

	if (!strcmp(mode, "cyclic-tx"))
		return tx_cyclic(iio_open_buffer("cf-ad9361-dds-core-lpc", true, nchan));

	buf_fd = iio_open_buffer("cf-ad9361-lpc", false, nchan);
	t0 = now_s();
	c0 = cpu_s();
	if (!strcmp(mode, "dmabuf"))
		done = rx_dmabuf(buf_fd);
	else if (!strcmp(mode, "fileio"))
		done = rx_fileio(buf_fd);
	else
		return 2;
	secs = now_s() - t0;
	cpu = cpu_s() - c0;
	printf("LOCAL mode=%s bytes=%llu secs=%.3f mibs=%.1f cpu_s_per_gib=%.3f errors=%llu "
	       "channels=%u %s\n", mode, done, secs, done / 1048576.0 / secs,
	       cpu / (done / 1073741824.0), errors, nchan,
	       no_check ? "unchecked" : errors ? "BAD" : "ok");
	return errors ? 1 : 0;
}
