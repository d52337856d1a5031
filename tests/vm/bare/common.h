/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the bare kernel-chain programs share: error exits, clocks, and the IIO sysfs
 * and buffer set-up done by both the gadget side (ffs-stream) and the IIO-only
 * program (iio-local).  Header-only so that each program stays one compile command.
 */
#ifndef BARE_COMMON_H
#define BARE_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "uapi.h"

/* How long a program waits for any fence or endpoint before it gives up. */
#define BARE_POLL_TIMEOUT_MS 20000

static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	exit(1);
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process has used so far. */
static inline double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static inline void write_all(int fd, const void *buf, size_t len, const char *what)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(what);
		}
		p += n;
		len -= n;
	}
}

/* Waits until @fd is ready for @events; a timeout is fatal, named after @what. */
static inline void wait_fd(int fd, short events, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do
		r = poll(&p, 1, BARE_POLL_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die(what);
	if (r == 0) {
		fprintf(stderr, "%s: timeout waiting for %s\n", program_invocation_short_name,
			what);
		exit(1);
	}
}

/* The IIO device found by iio_open_buffer(): /sys/bus/iio/devices/iio:deviceN */
static char iio_sysfs[512] __attribute__((unused));

static inline void sysfs_write(const char *attr, const char *val)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", iio_sysfs, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		die(path);
	close(fd);
}

static inline long long sysfs_read_ll(const char *attr)
{
	char path[1024], val[64] = "";
	int fd;

	snprintf(path, sizeof(path), "%s/%s", iio_sysfs, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, val, sizeof(val) - 1) < 0)
		die(path);
	close(fd);
	return strtoll(val, NULL, 0);
}

/* Sets iio_sysfs to the IIO device called @name; exits if there is none. */
static inline void iio_find_device(const char *name)
{
	char path[600], buf[64];
	struct dirent *de;
	DIR *d;

	iio_sysfs[0] = '\0';
	d = opendir("/sys/bus/iio/devices");
	if (!d)
		die("/sys/bus/iio/devices");
	while (!iio_sysfs[0] && (de = readdir(d))) {
		FILE *f;

		if (strncmp(de->d_name, "iio:device", 10))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/iio/devices/%s/name", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			if (!strcmp(buf, name))
				snprintf(iio_sysfs, sizeof(iio_sysfs), "/sys/bus/iio/devices/%s",
					 de->d_name);
		}
		fclose(f);
	}
	closedir(d);
	if (!iio_sysfs[0]) {
		fprintf(stderr, "%s: no IIO device named %s\n", program_invocation_short_name,
			name);
		exit(1);
	}
}

/*
 * Finds the IIO device @name, enables the first @nchan of its four voltage scan
 * channels (out_ for a DAC), and returns the fd of its first buffer.
 */
static inline int iio_open_buffer(const char *name, bool out, unsigned int nchan)
{
	char path[600];
	unsigned int i;
	int fd, idx = 0;

	iio_find_device(name);
	sysfs_write("buffer0/enable", "0");
	for (i = 0; i < 4; i++) {
		char attr[64];

		snprintf(attr, sizeof(attr), "buffer0/%s_voltage%u_en", out ? "out" : "in", i);
		sysfs_write(attr, i < nchan ? "1" : "0");
	}
	snprintf(path, sizeof(path), "/dev/%s", strrchr(iio_sysfs, '/') + 1);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die(path);
	if (ioctl(fd, IIO_BUF_GET_FD, &idx) < 0)
		die("IIO_BUFFER_GET_FD_IOCTL");
	close(fd);
	return idx;
}

/* Hands a DMABUF holding @len bytes to the IIO buffer @buf_fd. */
static inline void iio_enqueue(int buf_fd, int dmabuf, size_t len, uint32_t flags)
{
	struct iio_dmabuf_req r = { .fd = dmabuf, .flags = flags, .bytes_used = len };

	while (ioctl(buf_fd, IIO_BUF_DMABUF_ENQUEUE, &r) < 0)
		if (errno != EINTR)
			die("IIO_BUFFER_DMABUF_ENQUEUE");
}

#endif /* BARE_COMMON_H */
