/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the test-local-io* programs: a small sysfs/devfs fixture tree
 * built in C, and a fake kernel behind the local backend's syscall table
 * (local/sysio.h) that implements the IIO buffer fd, the IIO DMABUF ioctls,
 * a DMA heap and udmabuf with the rules of the real ones, and records every
 * call that matters in a log the tests compare against.
 *
 * Every fake object owns a real fd (an eventfd or a memfd), so fd numbers are
 * unique, close() is real, and poll() really blocks: a DMABUF's fence is an
 * eventfd that the fake hardware signals when the block is done.
 */
#ifndef IIO_TESTS_LOCAL_IO_FAKE_H
#define IIO_TESTS_LOCAL_IO_FAKE_H

#include "check.h"
#include "local/buffer-io.h"
#include "local/uapi-dmabuf.h"
#include "local/uapi-iio.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEST_UNUSED __attribute__((unused))

/* ---- Fixture tree ---------------------------------------------------------- */

static TEST_UNUSED void fx_mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
	mkdir(tmp, 0755);
}

static TEST_UNUSED void fx_put(const char *root, const char *rel, const char *content)
{
	char path[PATH_MAX], dir[PATH_MAX];
	FILE *f;

	CHECK(snprintf(path, sizeof(path), "%s/%s", root, rel) < (int)sizeof(path));
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	fx_mkdirs(dir);
	f = fopen(path, "w");
	CHECK(f);
	fputs(content, f);
	fclose(f);
}

static TEST_UNUSED void fx_read(const char *root, const char *rel, char *dst, size_t len)
{
	char path[PATH_MAX];
	size_t n;
	FILE *f;

	CHECK(snprintf(path, sizeof(path), "%s/%s", root, rel) < (int)sizeof(path));
	f = fopen(path, "r");
	CHECK(f);
	n = fread(dst, 1, len - 1, f);
	dst[n] = '\0';
	if (n && dst[n - 1] == '\n')
		dst[n - 1] = '\0';
	fclose(f);
}

#define FX_ADC "sys/bus/iio/devices/iio:device0/"
#define FX_DAC "sys/bus/iio/devices/iio:device1/"

/*
 * iio:device0 "adc": input buffer 0 with voltage0/1 (le:s16/16), buffer 1
 * with voltage2. iio:device1 "dac": output buffer 0 with voltage0.
 * chardev_fifo: /dev/iio:deviceN are FIFOs, else empty regular files.
 */
static TEST_UNUSED void fx_make(char *root, size_t len, bool chardev_fifo)
{
	static const char *const adc_files[][2] = {
		{FX_ADC "name", "adc\n"},
		{FX_ADC "buffer/enable", "0\n"},
		{FX_ADC "buffer/length", "0\n"},
		{FX_ADC "buffer/watermark", "1\n"},
		{FX_ADC "buffer/direction", "in\n"},
		{FX_ADC "scan_elements/in_voltage0_en", "0\n"},
		{FX_ADC "scan_elements/in_voltage0_index", "0\n"},
		{FX_ADC "scan_elements/in_voltage0_type", "le:s16/16>>0\n"},
		{FX_ADC "scan_elements/in_voltage1_en", "0\n"},
		{FX_ADC "scan_elements/in_voltage1_index", "1\n"},
		{FX_ADC "scan_elements/in_voltage1_type", "le:s16/16>>0\n"},
		{FX_ADC "buffer1/enable", "0\n"},
		{FX_ADC "buffer1/length", "0\n"},
		{FX_ADC "buffer1/watermark", "1\n"},
		{FX_ADC "buffer1/direction", "in\n"},
		{FX_ADC "buffer1/in_voltage2_en", "0\n"},
		{FX_ADC "buffer1/in_voltage2_index", "2\n"},
		{FX_ADC "buffer1/in_voltage2_type", "le:s16/16>>0\n"},
		{FX_DAC "name", "dac\n"},
		{FX_DAC "buffer/enable", "0\n"},
		{FX_DAC "buffer/length", "0\n"},
		{FX_DAC "buffer/watermark", "1\n"},
		{FX_DAC "buffer/direction", "out\n"},
		{FX_DAC "scan_elements/out_voltage0_en", "0\n"},
		{FX_DAC "scan_elements/out_voltage0_index", "0\n"},
		{FX_DAC "scan_elements/out_voltage0_type", "le:s16/16>>0\n"},
	};
	char path[PATH_MAX];
	unsigned int i;

	snprintf(root, len, "/tmp/test-local-io-XXXXXX");
	CHECK(mkdtemp(root));
	for (i = 0; i < ARRAY_SIZE(adc_files); i++)
		fx_put(root, adc_files[i][0], adc_files[i][1]);
	for (i = 0; i < 2; i++) {
		CHECK(snprintf(path, sizeof(path), "%s/dev", root) < (int)sizeof(path));
		fx_mkdirs(path);
		CHECK(snprintf(path, sizeof(path), "%s/dev/iio:device%u", root, i) <
		      (int)sizeof(path));
		if (chardev_fifo)
			CHECK(mkfifo(path, 0600) == 0);
		else
			fx_put(root, path + strlen(root) + 1, "");
	}
}

static TEST_UNUSED void fx_remove(const char *root)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
}

/* A local: context on the fixture; log messages go to *log (a memstream). */
struct fx_ctx {
	struct iio_context *ctx;
	char *log;
	size_t log_len;
	FILE *log_file;
};

static TEST_UNUSED void fx_ctx_open(struct fx_ctx *fc, const char *root, int timeout_ms)
{
	struct iio_context_params params = {
		.timeout_ms = timeout_ms,
		.log_level = LEVEL_DEBUG,
		.stderr_level = LEVEL_DEBUG,
		.timestamp_level = LEVEL_NOLOG,
	};

	memset(fc, 0, sizeof(*fc));
	fc->log_file = open_memstream(&fc->log, &fc->log_len);
	CHECK(fc->log_file);
	params.err = fc->log_file;
	params.out = fc->log_file;
	CHECK(setenv("LIBIIO_LOCAL_ROOT", root, 1) == 0);
	fc->ctx = iio_create_context(&params, "local:");
	if (iio_err(fc->ctx)) {
		fflush(fc->log_file);
		fprintf(stderr, "context creation failed: %s\n", fc->log);
	}
	CHECK(!iio_err(fc->ctx));
}

/* Whether the messages so far contain text. */
static TEST_UNUSED bool fx_logged(struct fx_ctx *fc, const char *text)
{
	fflush(fc->log_file);
	return fc->log && strstr(fc->log, text);
}

static TEST_UNUSED void fx_ctx_close(struct fx_ctx *fc)
{
	iio_context_destroy(fc->ctx);
	fclose(fc->log_file);
	free(fc->log);
}

/* Opens buffer index of device id with the channels listed (NULL-terminated). */
static TEST_UNUSED struct iio_buffer_stream *fx_open(struct fx_ctx *fc, const char *id,
						     unsigned int index, ...)
{
	struct iio_device *dev = iio_context_find_device(fc->ctx, id);
	struct iio_channels_mask *mask;
	struct iio_buffer_stream *stream;
	const char *chn_id;
	va_list ap;

	CHECK(dev);
	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	CHECK(mask);
	va_start(ap, index);
	while ((chn_id = va_arg(ap, const char *))) {
		bool output = !strcmp(id, "dac");
		const struct iio_channel *chn = iio_device_find_channel(dev, chn_id, output);

		CHECK(chn);
		iio_channel_enable(chn, mask);
	}
	va_end(ap);
	stream = iio_buffer_open(iio_device_get_buffer(dev, index), mask);
	iio_channels_mask_destroy(mask);
	return stream;
}

/* ---- Fake kernel ------------------------------------------------------------- */

enum fake_kind {
	FAKE_NONE = 0,
	FAKE_CHARDEV,	  /* /dev/iio:deviceN */
	FAKE_BUFFER,	  /* from IIO_BUFFER_GET_FD_IOCTL */
	FAKE_HEAP,	  /* /dev/dma_heap/<name> */
	FAKE_UDMABUF_DEV, /* /dev/udmabuf */
	FAKE_DMABUF,
	FAKE_SYSFS, /* a fixture file, passed through and logged */
};

#define FAKE_MAX_FDS 256
#define FAKE_LOG_MAX 512

struct fake_obj {
	enum fake_kind kind;
	char name[64];	    /* sysfs: path relative to the device dir; dmabuf: "dN" */
	int dev;	    /* chardev/buffer/sysfs: device number */
	unsigned int index; /* buffer: index */
	/* DMABUF */
	int fence; /* eventfd: readable when no fence is pending */
	size_t size;
	int attached_to; /* buffer fd, or -1 */
	bool queued;
	bool cyclic;
	size_t bytes_used;
	bool cpu_access; /* between SYNC START and END */
	unsigned int nb_syncs;
};

struct fake_kernel {
	pthread_mutex_t lock;
	char root[PATH_MAX];
	/* What the kernel offers. */
	bool get_fd;	    /* IIO_BUFFER_GET_FD_IOCTL (else EINVAL like Linux < 5.11) */
	int dmabuf_api_err; /* 0: IIO DMABUF ioctls work; else ATTACH fails with it */
	bool heap;	    /* /dev/dma_heap/system exists */
	int heap_alloc_err;
	bool udmabuf;	    /* /dev/udmabuf exists */
	bool auto_complete; /* the hardware finishes blocks as soon as it can */
	bool gone;	    /* device unplugged: ENODEV everywhere */
	bool chardev_busy;  /* another process has /dev/iio:deviceN open */
	bool coupled;	    /* enabling adc voltage0 also enables voltage1 */
	int enqueue_err;    /* forced DMABUF_ENQUEUE error */
	/* State. */
	bool enabled[2][2]; /* [device][buffer] from the enable files */
	struct fake_obj objs[FAKE_MAX_FDS];
	unsigned int nb_dmabufs;
	uint8_t pattern; /* next byte the fake read() returns */
	char log[FAKE_LOG_MAX][96];
	unsigned int nb_log;
};

static struct fake_kernel fk;

static TEST_UNUSED void fake_log(const char *fmt, ...)
{
	va_list ap;

	if (fk.nb_log >= FAKE_LOG_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(fk.log[fk.nb_log++], sizeof(fk.log[0]), fmt, ap);
	va_end(ap);
}

static bool fake_all_passed;

/* On a failed CHECK (exit(1)), the calls the fake saw say what happened. */
static void fake_dump_on_failure(void)
{
	unsigned int i;

	if (fake_all_passed)
		return;
	fprintf(stderr, "fake kernel log:\n");
	for (i = 0; i < fk.nb_log; i++)
		fprintf(stderr, "  %s\n", fk.log[i]);
}

static TEST_UNUSED void fake_reset(const char *root)
{
	static bool registered;

	if (!registered)
		atexit(fake_dump_on_failure);
	registered = true;
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++)
		CHECK(fk.objs[i].kind == FAKE_NONE); /* the library closed everything */
	memset(&fk, 0, sizeof(fk));
	pthread_mutex_init(&fk.lock, NULL);
	snprintf(fk.root, sizeof(fk.root), "%s", root);
	fk.get_fd = true;
	fk.heap = true;
	fk.udmabuf = true;
	fk.auto_complete = true;
}

static TEST_UNUSED void fake_clear_log(void)
{
	pthread_mutex_lock(&fk.lock);
	fk.nb_log = 0;
	pthread_mutex_unlock(&fk.lock);
}

/* The log lines starting at first, joined with "; ". */
static TEST_UNUSED const char *fake_log_text(unsigned int first)
{
	static char text[FAKE_LOG_MAX * 40];
	unsigned int i;

	text[0] = '\0';
	pthread_mutex_lock(&fk.lock);
	for (i = first; i < fk.nb_log; i++) {
		if (i > first)
			strncat(text, "; ", sizeof(text) - strlen(text) - 1);
		strncat(text, fk.log[i], sizeof(text) - strlen(text) - 1);
	}
	pthread_mutex_unlock(&fk.lock);
	return text;
}

static TEST_UNUSED bool fake_log_has(const char *line)
{
	unsigned int i;
	bool found = false;

	pthread_mutex_lock(&fk.lock);
	for (i = 0; i < fk.nb_log && !found; i++)
		found = !strcmp(fk.log[i], line);
	pthread_mutex_unlock(&fk.lock);
	return found;
}

/* Index of the first log line equal to line, or -1. */
static TEST_UNUSED int fake_log_index(const char *line)
{
	unsigned int i;
	int found = -1;

	pthread_mutex_lock(&fk.lock);
	for (i = 0; i < fk.nb_log && found < 0; i++)
		if (!strcmp(fk.log[i], line))
			found = (int)i;
	pthread_mutex_unlock(&fk.lock);
	return found;
}

/* Objects read()/write() move samples through: buffer fds, and the chardev of old kernels. */
static bool is_data_fd(const struct fake_obj *o)
{
	return o && (o->kind == FAKE_BUFFER || o->kind == FAKE_CHARDEV);
}

static struct fake_obj *fake_obj(int fd)
{
	if (fd < 0 || fd >= FAKE_MAX_FDS || fk.objs[fd].kind == FAKE_NONE)
		return NULL;
	return &fk.objs[fd];
}

static struct fake_obj *fake_new(int fd, enum fake_kind kind)
{
	CHECK(fd >= 0 && fd < FAKE_MAX_FDS);
	CHECK(fk.objs[fd].kind == FAKE_NONE);
	memset(&fk.objs[fd], 0, sizeof(fk.objs[fd]));
	fk.objs[fd].kind = kind;
	fk.objs[fd].fence = -1;
	fk.objs[fd].attached_to = -1;
	return &fk.objs[fd];
}

static void fence_set(struct fake_obj *o, bool signalled)
{
	uint64_t v = 1;

	if (signalled) {
		CHECK(write(o->fence, &v, sizeof(v)) == sizeof(v));
	} else {
		/* Drain: non-blocking eventfd, EAGAIN when already 0. */
		if (read(o->fence, &v, sizeof(v)) < 0)
			CHECK(errno == EAGAIN);
	}
}

/* The fake hardware: a queued block of an enabled buffer completes. Lock held. */
static void fake_complete_locked(struct fake_obj *o)
{
	struct fake_obj *b = fake_obj(o->attached_to);
	void *map;

	if (!o->queued || !b)
		return;
	if (o->cyclic)
		return; /* repeats until the buffer is disabled */
	if (b->dev == 0) {
		/* RX: fill with a byte counter, through the DMABUF's own memory. */
		int fd = (int)(o - fk.objs);

		map = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		CHECK(map != MAP_FAILED);
		for (size_t i = 0; i < o->bytes_used; i++)
			((uint8_t *)map)[i] = fk.pattern++;
		munmap(map, o->size);
	}
	o->queued = false;
	fence_set(o, true);
	fake_log("done %s", o->name);
}

static void fake_run_hardware_locked(void)
{
	unsigned int fd;

	if (!fk.auto_complete)
		return;
	for (fd = 0; fd < FAKE_MAX_FDS; fd++) {
		struct fake_obj *o = &fk.objs[fd];
		struct fake_obj *b = fake_obj(o->attached_to);

		if (o->kind == FAKE_DMABUF && o->queued && b && fk.enabled[b->dev][b->index])
			fake_complete_locked(o);
	}
}

/* Disabling a buffer gives its queued blocks back (their fences signal). Lock held. */
static void fake_abort_locked(int dev, unsigned int index)
{
	unsigned int fd;

	for (fd = 0; fd < FAKE_MAX_FDS; fd++) {
		struct fake_obj *o = &fk.objs[fd];
		struct fake_obj *b = fake_obj(o->attached_to);

		if (o->kind != FAKE_DMABUF || !o->queued || !b || b->dev != dev ||
		    b->index != index)
			continue;
		o->queued = false;
		fence_set(o, true);
		fake_log("aborted %s", o->name);
	}
}

/* Completes every queued block now (tests with auto_complete off). */
static TEST_UNUSED void fake_complete_all(void)
{
	unsigned int fd;

	pthread_mutex_lock(&fk.lock);
	for (fd = 0; fd < FAKE_MAX_FDS; fd++)
		if (fk.objs[fd].kind == FAKE_DMABUF)
			fake_complete_locked(&fk.objs[fd]);
	pthread_mutex_unlock(&fk.lock);
}

/* "<root>/sys/bus/iio/devices/iio:deviceN/<rel>" -> N and rel; else -1. */
static int sysfs_rel(const char *path, const char **rel)
{
	static const char prefix[] = "/sys/bus/iio/devices/iio:device";
	size_t root_len = strlen(fk.root);
	const char *p;

	if (strncmp(path, fk.root, root_len) ||
	    strncmp(path + root_len, prefix, sizeof(prefix) - 1))
		return -1;
	p = path + root_len + sizeof(prefix) - 1;
	if (*p != '0' && *p != '1')
		return -1;
	*rel = p + 2;
	return *p - '0';
}

static int fake_open(const char *path, int flags, mode_t mode)
{
	size_t root_len = strlen(fk.root);
	const char *rel = path + root_len;
	struct fake_obj *o;
	int dev, fd, ret = 0;

	pthread_mutex_lock(&fk.lock);
	if (strncmp(path, fk.root, root_len)) {
		ret = -EACCES; /* the library must stay inside the root */
		goto out;
	}
	dev = sysfs_rel(path, &rel);
	if (dev >= 0) {
		fd = open(path, flags, mode);
		if (fd < 0) {
			ret = -errno;
			goto out;
		}
		o = fake_new(fd, FAKE_SYSFS);
		o->dev = dev;
		snprintf(o->name, sizeof(o->name), "%s", rel);
		ret = fd;
		goto out;
	}
	rel = path + root_len;
	fake_log("open %s", rel);
	if (!strcmp(rel, "/dev/iio:device0") || !strcmp(rel, "/dev/iio:device1")) {
		if (fk.gone || fk.chardev_busy) {
			ret = fk.gone ? -ENOENT : -EBUSY;
			goto out;
		}
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		o = fake_new(fd, FAKE_CHARDEV);
		o->dev = rel[strlen(rel) - 1] - '0';
		ret = fd;
	} else if (!strcmp(rel, "/dev/dma_heap/system")) {
		if (!fk.heap) {
			ret = -ENOENT;
			goto out;
		}
		CHECK(flags & O_CLOEXEC);
		ret = eventfd(0, EFD_CLOEXEC);
		fake_new(ret, FAKE_HEAP);
	} else if (!strcmp(rel, "/dev/udmabuf")) {
		if (!fk.udmabuf) {
			ret = -ENOENT;
			goto out;
		}
		ret = eventfd(0, EFD_CLOEXEC);
		fake_new(ret, FAKE_UDMABUF_DEV);
	} else {
		ret = -ENOENT;
	}
out:
	pthread_mutex_unlock(&fk.lock);
	return ret;
}

static int fake_close(int fd)
{
	struct fake_obj *o;

	pthread_mutex_lock(&fk.lock);
	o = fake_obj(fd);
	if (o) {
		if (o->kind == FAKE_DMABUF) {
			fake_log("close %s", o->name);
			CHECK(o->attached_to < 0 || fk.gone); /* detached before being closed */
			close(o->fence);
		} else if (o->kind == FAKE_BUFFER) {
			fake_log("close buffer%u", o->index);
		} else if (o->kind == FAKE_CHARDEV) {
			fake_log("close chardev");
		}
		o->kind = FAKE_NONE;
	}
	pthread_mutex_unlock(&fk.lock);
	return close(fd) < 0 ? -errno : 0;
}

static struct fake_obj *new_dmabuf_locked(int memfd, size_t size)
{
	struct fake_obj *o = fake_new(memfd, FAKE_DMABUF);

	o->fence = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK); /* no fence yet: ready */
	o->size = size;
	snprintf(o->name, sizeof(o->name), "d%u", fk.nb_dmabufs++);
	return o;
}

static int dmabuf_ioctl(struct fake_obj *b, unsigned long request, void *arg)
{
	struct fake_obj *d;
	int dfd;

	if (fk.gone)
		return -ENODEV;
	if (request == LOCAL_IIO_BUFFER_DMABUF_ENQUEUE_IOCTL) {
		const struct local_iio_dmabuf *req = arg;

		dfd = (int)req->fd;
	} else {
		dfd = *(int *)arg;
	}
	d = fake_obj(dfd);
	if (!d || d->kind != FAKE_DMABUF)
		return -EBADF;

	switch (request) {
	case LOCAL_IIO_BUFFER_DMABUF_ATTACH_IOCTL:
		fake_log("ATTACH %s", d->name);
		if (fk.dmabuf_api_err)
			return fk.dmabuf_api_err;
		if (fk.enabled[b->dev][b->index])
			return -EBUSY;
		if (d->attached_to >= 0)
			return -EBUSY;
		d->attached_to = (int)(b - fk.objs);
		return 0;
	case LOCAL_IIO_BUFFER_DMABUF_DETACH_IOCTL:
		fake_log("DETACH %s", d->name);
		if (d->attached_to != (int)(b - fk.objs))
			return -ENOENT;
		d->attached_to = -1;
		d->queued = false;
		return 0;
	case LOCAL_IIO_BUFFER_DMABUF_ENQUEUE_IOCTL: {
		const struct local_iio_dmabuf *req = arg;

		fake_log("ENQUEUE %s %llu%s", d->name, (unsigned long long)req->bytes_used,
			 req->flags & LOCAL_IIO_BUFFER_DMABUF_CYCLIC ? " cyclic" : "");
		if (d->attached_to != (int)(b - fk.objs))
			return -EPERM;
		if (d->queued)
			return -EPERM;
		if (req->flags & ~LOCAL_IIO_BUFFER_DMABUF_CYCLIC)
			return -EINVAL;
		if ((req->flags & LOCAL_IIO_BUFFER_DMABUF_CYCLIC) && b->dev == 0)
			return -EINVAL;
		if (!req->bytes_used || req->bytes_used > d->size)
			return -EINVAL;
		CHECK(!d->cpu_access); /* CPU access ended before the hardware gets it */
		if (fk.enqueue_err)
			return fk.enqueue_err;
		d->queued = true;
		d->cyclic = req->flags & LOCAL_IIO_BUFFER_DMABUF_CYCLIC;
		d->bytes_used = req->bytes_used;
		fence_set(d, false);
		fake_run_hardware_locked();
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	struct fake_obj *o, *d;
	int ret = -ENOTTY;

	pthread_mutex_lock(&fk.lock);
	o = fake_obj(fd);
	if (!o) {
		ret = -EBADF;
		goto out;
	}
	switch (o->kind) {
	case FAKE_CHARDEV:
		if (request == LOCAL_IIO_BUFFER_GET_FD_IOCTL) {
			int *index = arg;

			fake_log("GET_FD %d", *index);
			if (!fk.get_fd) {
				ret = -EINVAL;
				break;
			}
			if (*index < 0 || *index > (o->dev == 0 ? 1 : 0)) {
				ret = -ENODEV;
				break;
			}
			ret = eventfd(0, EFD_CLOEXEC); /* blocking, like the kernel's */
			d = fake_new(ret, FAKE_BUFFER);
			d->dev = o->dev;
			d->index = (unsigned int)*index;
			*index = ret;
			ret = 0;
		} else {
			ret = -ENODEV; /* the chardev answers ENODEV to unknown ioctls */
		}
		break;
	case FAKE_BUFFER:
		ret = dmabuf_ioctl(o, request, arg);
		break;
	case FAKE_HEAP: {
		struct local_dma_heap_alloc *req = arg;
		int memfd;

		if (request != LOCAL_DMA_HEAP_IOCTL_ALLOC)
			break;
		fake_log("HEAP_ALLOC %llu", (unsigned long long)req->len);
		if (fk.heap_alloc_err) {
			ret = fk.heap_alloc_err;
			break;
		}
		CHECK(req->fd_flags == (O_RDWR | O_CLOEXEC) && !req->heap_flags);
		memfd = memfd_create("fake-heap", MFD_CLOEXEC);
		CHECK(memfd >= 0 && ftruncate(memfd, (off_t)req->len) == 0);
		new_dmabuf_locked(memfd, req->len);
		req->fd = (uint32_t)memfd;
		ret = 0;
		break;
	}
	case FAKE_UDMABUF_DEV: {
		const struct local_udmabuf_create *req = arg;
		struct stat st;
		int seals, dfd;

		if (request != LOCAL_UDMABUF_CREATE)
			break;
		fake_log("UDMABUF_CREATE %llu", (unsigned long long)req->size);
		seals = fcntl((int)req->memfd, F_GET_SEALS);
		/* The kernel's rules: shrinking sealed, writing not, whole pages. */
		if (seals < 0 || !(seals & F_SEAL_SHRINK) || (seals & F_SEAL_WRITE) ||
		    req->size % (size_t)sysconf(_SC_PAGESIZE) || req->offset ||
		    fstat((int)req->memfd, &st) || (uint64_t)st.st_size < req->size) {
			ret = -EINVAL;
			break;
		}
		dfd = fcntl((int)req->memfd, F_DUPFD_CLOEXEC, 0);
		CHECK(dfd >= 0);
		new_dmabuf_locked(dfd, req->size);
		ret = dfd;
		break;
	}
	case FAKE_DMABUF: {
		const struct local_dma_buf_sync *req = arg;
		bool end = req->flags & LOCAL_DMA_BUF_SYNC_END;

		if (request != LOCAL_DMA_BUF_IOCTL_SYNC)
			break;
		fake_log("SYNC %s %s", end ? "END" : "START", o->name);
		if (req->flags & ~(LOCAL_DMA_BUF_SYNC_RW | LOCAL_DMA_BUF_SYNC_END) ||
		    !(req->flags & LOCAL_DMA_BUF_SYNC_RW)) {
			ret = -EINVAL;
			break;
		}
		CHECK(o->cpu_access == end); /* START and END alternate */
		o->cpu_access = !end;
		o->nb_syncs++;
		ret = 0;
		break;
	}
	default:
		break;
	}
out:
	pthread_mutex_unlock(&fk.lock);
	return ret;
}

/* Polls the fds the fake stands for through the real fds behind them. */
static int fake_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	struct pollfd real[8];
	bool dmabuf[8] = {false};
	nfds_t i;
	int ret;

	CHECK(nfds <= 8);
	pthread_mutex_lock(&fk.lock);
	for (i = 0; i < nfds; i++) {
		struct fake_obj *o = fake_obj(fds[i].fd);

		real[i] = fds[i];
		if (o && o->kind == FAKE_DMABUF) {
			/* POLLOUT on a DMABUF: every fence has signalled. */
			real[i].fd = o->fence;
			real[i].events = POLLIN;
			dmabuf[i] = true;
		} else if (is_data_fd(o)) {
			real[i].fd = -1; /* always ready, answered below */
		}
	}
	pthread_mutex_unlock(&fk.lock);

	for (i = 0; i < nfds; i++)
		if (real[i].fd == -1)
			timeout_ms = 0;
	ret = poll(real, nfds, timeout_ms);
	if (ret < 0)
		return -errno;
	ret = 0;
	pthread_mutex_lock(&fk.lock);
	for (i = 0; i < nfds; i++) {
		struct fake_obj *o = fake_obj(fds[i].fd);

		fds[i].revents = real[i].revents;
		if (dmabuf[i])
			fds[i].revents = real[i].revents & POLLIN ? POLLOUT : 0;
		else if (is_data_fd(o))
			fds[i].revents = fds[i].events & (POLLIN | POLLOUT);
		if (fds[i].revents)
			ret++;
	}
	pthread_mutex_unlock(&fk.lock);
	return ret;
}

static bool any_attached_locked(int buffer_fd)
{
	unsigned int fd;

	for (fd = 0; fd < FAKE_MAX_FDS; fd++)
		if (fk.objs[fd].kind == FAKE_DMABUF && fk.objs[fd].attached_to == buffer_fd)
			return true;
	return false;
}

static ssize_t fake_read(int fd, void *dst, size_t len)
{
	struct fake_obj *o;
	ssize_t ret;

	pthread_mutex_lock(&fk.lock);
	o = fake_obj(fd);
	if (is_data_fd(o)) {
		if (fk.gone)
			ret = -ENODEV;
		else if (any_attached_locked(fd))
			ret = -EBUSY; /* fileio is off while DMABUFs are attached */
		else {
			for (size_t i = 0; i < len; i++)
				((uint8_t *)dst)[i] = fk.pattern++;
			ret = (ssize_t)len;
		}
		pthread_mutex_unlock(&fk.lock);
		return ret;
	}
	pthread_mutex_unlock(&fk.lock);
	ret = read(fd, dst, len);
	return ret < 0 ? -errno : ret;
}

static ssize_t fake_write(int fd, const void *src, size_t len)
{
	struct fake_obj *o;
	ssize_t ret;

	pthread_mutex_lock(&fk.lock);
	o = fake_obj(fd);
	if (o && o->kind == FAKE_SYSFS) {
		char value[32];
		size_t n = len < sizeof(value) - 1 ? len : sizeof(value) - 1;

		memcpy(value, src, n);
		value[n] = '\0';
		fake_log("write %s %s", o->name, value);
		if (!strcmp(o->name, "buffer/enable") || !strcmp(o->name, "buffer1/enable")) {
			fk.enabled[o->dev][o->name[6] == '1'] = value[0] == '1';
			if (value[0] == '0')
				fake_abort_locked(o->dev, o->name[6] == '1');
			fake_run_hardware_locked();
		}
		if (fk.coupled && o->dev == 0 && !strcmp(o->name, "scan_elements/in_voltage0_en") &&
		    value[0] == '1')
			fx_put(fk.root, FX_ADC "scan_elements/in_voltage1_en", "1\n");
	} else if (is_data_fd(o)) {
		ret = fk.gone ? -ENODEV : any_attached_locked(fd) ? -EBUSY : (ssize_t)len;
		if (ret > 0)
			fake_log("fileio write %zu", len);
		pthread_mutex_unlock(&fk.lock);
		return ret;
	}
	pthread_mutex_unlock(&fk.lock);
	ret = write(fd, src, len);
	return ret < 0 ? -errno : ret;
}

static int fake_fcntl(int fd, int cmd, int arg)
{
	struct fake_obj *o;
	int ret;

	pthread_mutex_lock(&fk.lock);
	o = fake_obj(fd);
	if (o && o->kind == FAKE_BUFFER && cmd == F_SETFL)
		fake_log("F_SETFL buffer%u%s", o->index, arg & O_NONBLOCK ? " O_NONBLOCK" : "");
	pthread_mutex_unlock(&fk.lock);
	ret = fcntl(fd, cmd, arg);
	return ret < 0 ? -errno : ret;
}

static int fake_mmap(size_t len, int prot, int flags, int fd, off_t offset, void **addr)
{
	struct fake_obj *o;
	void *ptr;

	pthread_mutex_lock(&fk.lock);
	o = fake_obj(fd);
	CHECK(o && o->kind == FAKE_DMABUF && len <= o->size && !offset);
	CHECK(flags == MAP_SHARED && prot == (PROT_READ | PROT_WRITE));
	pthread_mutex_unlock(&fk.lock);
	ptr = mmap(NULL, len, prot, flags, fd, offset);
	if (ptr == MAP_FAILED)
		return -errno;
	*addr = ptr;
	return 0;
}

static int fake_munmap(void *addr, size_t len)
{
	return munmap(addr, len) < 0 ? -errno : 0;
}

static int fake_eventfd(unsigned int initval, int flags)
{
	int fd = eventfd(initval, flags);

	return fd < 0 ? -errno : fd;
}

static int fake_memfd_create(const char *name, unsigned int flags)
{
	int fd = memfd_create(name, flags);

	return fd < 0 ? -errno : fd;
}

static int fake_ftruncate(int fd, off_t len)
{
	return ftruncate(fd, len) < 0 ? -errno : 0;
}

static TEST_UNUSED const struct local_sysio fake_sysio = {
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.poll = fake_poll,
	.read = fake_read,
	.write = fake_write,
	.fcntl = fake_fcntl,
	.mmap = fake_mmap,
	.munmap = fake_munmap,
	.eventfd = fake_eventfd,
	.memfd_create = fake_memfd_create,
	.ftruncate = fake_ftruncate,
};

/* Puts the fake kernel under a context. */
static TEST_UNUSED void fake_attach(struct fx_ctx *fc)
{
	fc->ctx->pdata->sysio = &fake_sysio;
}

#endif /* IIO_TESTS_LOCAL_IO_FAKE_H */
