// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Runtime events of the local backend (local/events.c) on a fixture context,
 * with a fake kernel behind the syscall table (local/sysio.h): the fake
 * /dev/<id> answers IIO_GET_EVENT_FD_IOCTL with one end of a SOCK_SEQPACKET
 * socket pair, so every message the test sends on the other end is exactly
 * one read() of the library, and poll() really blocks.
 *
 * Covers: the ioctl protocol (chardev opened, asked, closed; a legacy
 * buffer's chardev fd borrowed), decoding, iio_event_get_channel on normal,
 * extended-name, modified and differential channels, blocking and
 * non-blocking reads, destroy waking blocked readers with -EINTR, and the
 * errors with their messages.
 */
#include "check.h"
#include "local/local.h"
#include "local/sysio.h"
#include "local/uapi-iio.h"

#include <iio/iio.h>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A light sensor with indexed modified channels, which the shared fixtures lack. */
static const char extra_fixture[] = "[iio iio:device3]\n"
				    "name = light\n"
				    "in_intensity{0,1}_ir_raw = <5,7>\n"
				    "in_intensity0_both_raw = 6\n"
				    "events/in_intensity0_ir_thresh_rising_en = 0\n";

/* ---- Fake kernel ------------------------------------------------------------- */

#define FAKE_MAX_FDS 1024

enum fake_kind { FK_NONE = 0, FK_CHARDEV, FK_EVENT, FK_EVENTFD };

struct fake_dev {
	char id[32];
	int ioctl_err; /* forced IIO_GET_EVENT_FD_IOCTL error */
	int lib_fd;    /* the event fd the library holds, or -1 */
	int hw_fd;     /* the test's end */
};

static struct {
	pthread_mutex_t lock;
	char root[PATH_MAX];
	enum fake_kind kind[FAKE_MAX_FDS];
	struct fake_dev devs[8];
	unsigned int nb_devs;
	int open_err;	/* forced error of open(/dev/<id>) */
	int open_flags; /* flags of the last chardev open */
	unsigned int nb_chardev_opens, nb_chardev_closes;
	int last_ioctl_fd;
	unsigned long last_ioctl;
	unsigned int nb_ioctls;
	int poll_eintr; /* the next n polls fail with EINTR */
	int last_poll_timeout;
	atomic_uint nb_blocking_polls;
	int read_err; /* forced error of the next event fd read() */
	unsigned int nb_event_reads;
} fk = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct fake_dev *fake_dev_by_id(const char *id)
{
	unsigned int i;

	for (i = 0; i < fk.nb_devs; i++)
		if (!strcmp(fk.devs[i].id, id))
			return &fk.devs[i];
	CHECK(fk.nb_devs < sizeof(fk.devs) / sizeof(fk.devs[0]));
	snprintf(fk.devs[fk.nb_devs].id, sizeof(fk.devs[0].id), "%s", id);
	fk.devs[fk.nb_devs].lib_fd = -1;
	fk.devs[fk.nb_devs].hw_fd = -1;
	return &fk.devs[fk.nb_devs++];
}

static struct fake_dev *fake_dev_by_lib_fd(int fd)
{
	unsigned int i;

	for (i = 0; i < fk.nb_devs; i++)
		if (fk.devs[i].lib_fd == fd)
			return &fk.devs[i];
	return NULL;
}

static void set_kind(int fd, enum fake_kind kind)
{
	CHECK(fd >= 0 && fd < FAKE_MAX_FDS);
	fk.kind[fd] = kind;
}

static enum fake_kind kind_of(int fd)
{
	return fd >= 0 && fd < FAKE_MAX_FDS ? fk.kind[fd] : FK_NONE;
}

/* Chardev fds remember their device through a /dev/null fd and this table. */
static char chardev_id[FAKE_MAX_FDS][32];

static int fake_open(const char *path, int flags, mode_t mode)
{
	size_t root_len = strlen(fk.root);
	int fd, err;

	if (strncmp(path, fk.root, root_len) || strncmp(path + root_len, "/dev/", 5))
		return local_sysio_libc.open(path, flags, mode);

	pthread_mutex_lock(&fk.lock);
	fk.open_flags = flags;
	err = fk.open_err;
	pthread_mutex_unlock(&fk.lock);
	if (err)
		return err;
	if (access(path, F_OK))
		return -ENOENT; /* no chardev for this device in the fixture */
	fd = local_sysio_libc.open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	pthread_mutex_lock(&fk.lock);
	set_kind(fd, FK_CHARDEV);
	snprintf(chardev_id[fd], sizeof(chardev_id[0]), "%s", path + root_len + 5);
	fk.nb_chardev_opens++;
	pthread_mutex_unlock(&fk.lock);
	return fd;
}

static int fake_close(int fd)
{
	struct fake_dev *dev;

	pthread_mutex_lock(&fk.lock);
	switch (kind_of(fd)) {
	case FK_CHARDEV:
		fk.nb_chardev_closes++;
		break;
	case FK_EVENT:
		/* The kernel frees the device's event fd slot. */
		dev = fake_dev_by_lib_fd(fd);
		CHECK(dev);
		close(dev->hw_fd);
		dev->hw_fd = -1;
		dev->lib_fd = -1;
		break;
	default:
		break;
	}
	if (fd >= 0 && fd < FAKE_MAX_FDS)
		fk.kind[fd] = FK_NONE;
	pthread_mutex_unlock(&fk.lock);
	return local_sysio_libc.close(fd);
}

static int fake_ioctl(int fd, unsigned long request, void *arg)
{
	struct fake_dev *dev;
	int sv[2], ret = 0;

	pthread_mutex_lock(&fk.lock);
	if (kind_of(fd) != FK_CHARDEV) {
		pthread_mutex_unlock(&fk.lock);
		return local_sysio_libc.ioctl(fd, request, arg);
	}
	fk.nb_ioctls++;
	fk.last_ioctl = request;
	fk.last_ioctl_fd = fd;
	dev = fake_dev_by_id(chardev_id[fd]);
	if (request != LOCAL_IIO_GET_EVENT_FD_IOCTL)
		ret = -EINVAL;
	else if (dev->ioctl_err)
		ret = dev->ioctl_err;
	else if (dev->lib_fd >= 0)
		ret = -EBUSY; /* one event fd per device */
	else if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		ret = -errno;
	if (!ret) {
		/* Like anon_inode_getfd(): blocking, the library must change that. */
		dev->lib_fd = sv[0];
		dev->hw_fd = sv[1];
		set_kind(sv[0], FK_EVENT);
		*(int *)arg = sv[0];
	}
	pthread_mutex_unlock(&fk.lock);
	return ret;
}

static int fake_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	pthread_mutex_lock(&fk.lock);
	fk.last_poll_timeout = timeout_ms;
	if (fk.poll_eintr > 0) {
		fk.poll_eintr--;
		pthread_mutex_unlock(&fk.lock);
		return -EINTR;
	}
	pthread_mutex_unlock(&fk.lock);
	if (timeout_ms < 0)
		atomic_fetch_add(&fk.nb_blocking_polls, 1);
	return local_sysio_libc.poll(fds, nfds, timeout_ms);
}

static ssize_t fake_read(int fd, void *dst, size_t len)
{
	int err = 0;

	pthread_mutex_lock(&fk.lock);
	if (kind_of(fd) == FK_EVENT) {
		fk.nb_event_reads++;
		err = fk.read_err;
		fk.read_err = 0;
	}
	pthread_mutex_unlock(&fk.lock);
	if (err)
		return err;
	return local_sysio_libc.read(fd, dst, len);
}

static int fake_eventfd(unsigned int initval, int flags)
{
	int fd = local_sysio_libc.eventfd(initval, flags);

	if (fd >= 0) {
		pthread_mutex_lock(&fk.lock);
		set_kind(fd, FK_EVENTFD);
		pthread_mutex_unlock(&fk.lock);
	}
	return fd;
}

static const struct local_sysio *fake_sysio(void)
{
	static struct local_sysio sys;

	sys = local_sysio_libc;
	sys.open = fake_open;
	sys.close = fake_close;
	sys.ioctl = fake_ioctl;
	sys.poll = fake_poll;
	sys.read = fake_read;
	sys.eventfd = fake_eventfd;
	return &sys;
}

/* Number of fds of the given kind still open. */
static unsigned int fake_open_fds(enum fake_kind kind)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&fk.lock);
	for (i = 0; i < FAKE_MAX_FDS; i++)
		n += fk.kind[i] == kind;
	pthread_mutex_unlock(&fk.lock);
	return n;
}

static void clear_log(void);

static void fake_reset(void)
{
	unsigned int i;

	clear_log();

	CHECK(fake_open_fds(FK_EVENT) == 0);
	CHECK(fake_open_fds(FK_EVENTFD) == 0);
	pthread_mutex_lock(&fk.lock);
	CHECK(fk.nb_chardev_opens == fk.nb_chardev_closes);
	for (i = 0; i < fk.nb_devs; i++)
		fk.devs[i].ioctl_err = 0;
	fk.open_err = 0;
	fk.nb_chardev_opens = fk.nb_chardev_closes = 0;
	fk.nb_ioctls = 0;
	fk.last_ioctl = 0;
	fk.last_ioctl_fd = -1;
	fk.poll_eintr = 0;
	fk.read_err = 0;
	fk.nb_event_reads = 0;
	pthread_mutex_unlock(&fk.lock);
}

/* The test's end of a device's event fd. */
static int hw_fd(const char *id)
{
	int fd;

	pthread_mutex_lock(&fk.lock);
	fd = fake_dev_by_id(id)->hw_fd;
	pthread_mutex_unlock(&fk.lock);
	CHECK(fd >= 0);
	return fd;
}

static void send_event(const char *id, uint64_t code, int64_t timestamp)
{
	struct iio_event ev = {.id = code, .timestamp = timestamp};

	CHECK(write(hw_fd(id), &ev, sizeof(ev)) == (ssize_t)sizeof(ev));
}

/* ---- Helpers ----------------------------------------------------------------- */

static uint64_t ev_code(enum iio_chan_type type, int chan, enum iio_modifier mod,
			enum iio_event_type et, enum iio_event_direction dir)
{
	return (uint64_t)et << 56 | (uint64_t)dir << 48 | (uint64_t)mod << 40 |
	       (uint64_t)type << 32 | (uint16_t)chan;
}

static uint64_t ev_diff_code(enum iio_chan_type type, int chan, int chan2, enum iio_event_type et,
			     enum iio_event_direction dir)
{
	return ev_code(type, chan, IIO_NO_MOD, et, dir) | 1ULL << 55 |
	       (uint64_t)(uint16_t)chan2 << 16;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *log_buf;
static size_t log_len;
static FILE *log_file;

/* Whether the messages since the last clear_log() contain text. */
static bool logged(const char *text)
{
	bool found;

	fflush(log_file);
	found = log_buf && strstr(log_buf, text);
	if (!found)
		fprintf(stderr, "log lacks \"%s\":\n%s\n", text, log_buf ? log_buf : "");
	return found;
}

static void clear_log(void)
{
	rewind(log_file);
	fflush(log_file);
	if (log_buf)
		log_buf[0] = '\0';
}

static const char *fixture_root;

static void generate_fixture(void)
{
	static char root[PATH_MAX];
	char extra[PATH_MAX], cmd[4 * PATH_MAX];
	FILE *f;

	snprintf(root, sizeof(root), "%s/local-fixtures/events", IIO_BUILD_DIR);
	snprintf(extra, sizeof(extra), "%s/local-fixtures/events-light.sysfs", IIO_BUILD_DIR);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/local-fixtures'", IIO_BUILD_DIR);
	CHECK(system(cmd) == 0);
	f = fopen(extra, "w");
	CHECK(f);
	fputs(extra_fixture, f);
	CHECK(fclose(f) == 0);
	snprintf(cmd, sizeof(cmd),
		 "python3 '%1$s/tests/fixtures/gen-sysfs.py' --clean '%2$s' "
		 "'%1$s/tests/fixtures/adxl345.sysfs' '%1$s/tests/fixtures/parser-rules.sysfs' "
		 "'%1$s/tests/fixtures/hwmon.sysfs' '%3$s'",
		 IIO_SOURCE_DIR, root, extra);
	CHECK(system(cmd) == 0);
	CHECK(setenv("LIBIIO_LOCAL_ROOT", root, 1) == 0);
	fixture_root = root;
}

static struct iio_context *open_context(bool fake)
{
	struct iio_context_params params = {
		.log_level = LEVEL_DEBUG,
		.stderr_level = LEVEL_DEBUG,
		.timestamp_level = LEVEL_NOLOG,
	};
	struct iio_context *ctx;

	params.err = log_file;
	params.out = log_file;
	ctx = iio_create_context(&params, "local:");
	CHECK(!iio_err(ctx));
	if (fake)
		ctx->pdata->sysio = fake_sysio();
	return ctx;
}

static struct iio_device *device(struct iio_context *ctx, const char *name)
{
	struct iio_device *dev = iio_context_find_device(ctx, name);

	CHECK(dev);
	return dev;
}

static const char *mapped(const struct iio_device *dev, uint64_t code, bool diff)
{
	struct iio_event ev = {.id = code};
	const struct iio_channel *chn = iio_event_get_channel(&ev, dev, diff);

	return chn ? iio_channel_get_id(chn) : "(none)";
}

/* ---- Tests ------------------------------------------------------------------- */

/* The fixed HEAD defect: no -EPERM, the chardev is opened, asked, and closed. */
static void test_open_protocol(struct iio_context *ctx)
{
	struct iio_device *dev = device(ctx, "adxl345");
	struct iio_event_stream *stream;
	int fd, flags;

	stream = iio_device_create_event_stream(dev);
	CHECK(!iio_err(stream));
	CHECK_INT(fk.nb_chardev_opens, 1);
	CHECK_INT(fk.nb_chardev_closes, 1); /* the event fd keeps the device */
	CHECK_INT(fk.nb_ioctls, 1);
	CHECK(fk.last_ioctl == 0x80046990UL);
	CHECK_INT(fk.open_flags & O_ACCMODE, O_RDONLY);
	CHECK(fk.open_flags & O_CLOEXEC);
	CHECK(fk.open_flags & O_NONBLOCK);
	fd = fake_dev_by_id("iio:device0")->lib_fd;
	CHECK(fd >= 0);
	flags = fcntl(fd, F_GETFL);
	CHECK(flags >= 0 && (flags & O_NONBLOCK)); /* read() must never block */
	CHECK_INT(fake_open_fds(FK_EVENTFD), 1);   /* the cancel eventfd */

	iio_event_stream_destroy(stream);
	CHECK_INT(fake_open_fds(FK_EVENT), 0);
	CHECK_INT(fake_open_fds(FK_EVENTFD), 0);

	/* The slot is free again. */
	stream = iio_device_create_event_stream(dev);
	CHECK(!iio_err(stream));
	iio_event_stream_destroy(stream);
	fake_reset();
}

/*
 * Before Linux 5.11 (no IIO_BUFFER_GET_FD_IOCTL, which the fake refuses like
 * those kernels), buffer 0 reads /dev/<id> itself and keeps it open; the
 * kernel allows no second open, so the event ioctl goes to that fd.
 */
static void test_borrowed_chardev(struct iio_context *ctx)
{
	struct iio_device *dev = device(ctx, "xadc");
	struct iio_channels_mask *mask;
	struct iio_buffer_stream *buffer;
	struct iio_event_stream *stream;
	struct iio_event ev;
	int legacy;

	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	CHECK(mask);
	iio_channel_enable(iio_device_find_channel(dev, "voltage0", false), mask);
	buffer = iio_buffer_open(iio_device_get_buffer(dev, 0), mask);
	iio_channels_mask_destroy(mask);
	CHECK(!iio_err(buffer));
	legacy = dev->pdata->fd;
	CHECK(legacy >= 0 && kind_of(legacy) == FK_CHARDEV);
	CHECK_INT(fk.nb_chardev_opens, 1);

	stream = iio_device_create_event_stream(dev);
	CHECK(!iio_err(stream));
	CHECK_INT(fk.nb_chardev_opens, 1);  /* no second open */
	CHECK_INT(fk.nb_chardev_closes, 0); /* the buffer's fd stays open */
	CHECK_INT(fk.last_ioctl_fd, legacy);
	CHECK(fk.last_ioctl == LOCAL_IIO_GET_EVENT_FD_IOCTL);

	/* Either can go first: the event fd does not depend on the chardev fd. */
	iio_buffer_close(buffer);
	CHECK_INT(fk.nb_chardev_closes, 1);
	send_event("iio:device1", 5, 6);
	CHECK_INT(iio_event_stream_read(stream, &ev, true), 0);
	CHECK(ev.id == 5 && ev.timestamp == 6);
	iio_event_stream_destroy(stream);
	fake_reset();
}

static void test_decoding(struct iio_context *ctx)
{
	struct iio_device *dev = device(ctx, "xadc");
	const uint64_t codes[] = {
		ev_code(IIO_VOLTAGE, 0, IIO_NO_MOD, IIO_EV_TYPE_THRESH, IIO_EV_DIR_RISING),
		ev_code(IIO_TEMP, 0, IIO_NO_MOD, IIO_EV_TYPE_THRESH, IIO_EV_DIR_FALLING),
		ev_code(IIO_VOLTAGE, 2, IIO_NO_MOD, IIO_EV_TYPE_FAULT, IIO_EV_DIR_FAULT_OPENWIRE),
	};
	const int64_t stamps[] = {1000, -5, INT64_MAX};
	const char *const channels[] = {"voltage0", "temp0", "voltage2"};
	const enum iio_event_type types[] = {IIO_EV_TYPE_THRESH, IIO_EV_TYPE_THRESH,
					     IIO_EV_TYPE_FAULT};
	const enum iio_event_direction dirs[] = {IIO_EV_DIR_RISING, IIO_EV_DIR_FALLING,
						 IIO_EV_DIR_FAULT_OPENWIRE};
	struct iio_event_stream *stream;
	struct iio_event ev;
	unsigned int i;

	stream = iio_device_create_event_stream(dev);
	CHECK(!iio_err(stream));
	/* Queued before the first read: they come back one per read, in order. */
	for (i = 0; i < 3; i++)
		send_event("iio:device1", codes[i], stamps[i]);
	for (i = 0; i < 3; i++) {
		memset(&ev, 0xa5, sizeof(ev));
		CHECK_INT(iio_event_stream_read(stream, &ev, i == 1), 0);
		CHECK(ev.id == codes[i]);
		CHECK(ev.timestamp == stamps[i]);
		CHECK_INT(iio_event_get_type(&ev), types[i]);
		CHECK_INT(iio_event_get_direction(&ev), dirs[i]);
		CHECK_STR(mapped(dev, ev.id, false), channels[i]);
		CHECK(!iio_event_get_channel(&ev, dev, true));
	}
	CHECK_INT(iio_event_stream_read(stream, &ev, true), -EAGAIN);
	CHECK_INT(iio_event_stream_read(stream, NULL, true), -EINVAL);
	iio_event_stream_destroy(stream);
	fake_reset();
}

static void test_channel_mapping(struct iio_context *ctx)
{
	struct iio_device *xadc = device(ctx, "xadc");
	struct iio_device *ad7124 = device(ctx, "ad7124-8");
	struct iio_device *light = device(ctx, "light");
	struct iio_device *ltc = device(ctx, "ltc2983");
	const enum iio_event_type th = IIO_EV_TYPE_THRESH;
	const enum iio_event_direction up = IIO_EV_DIR_RISING;

	/* Normal channels; voltage0 has the extended name "vccint". */
	CHECK_STR(mapped(xadc, ev_code(IIO_VOLTAGE, 0, IIO_NO_MOD, th, up), false), "voltage0");
	CHECK_STR(mapped(xadc, ev_code(IIO_VOLTAGE, 1, IIO_NO_MOD, th, up), false), "voltage1");
	CHECK_STR(mapped(xadc, ev_code(IIO_TEMP, 0, IIO_NO_MOD, th, up), false), "temp0");
	CHECK_STR(mapped(ltc, ev_code(IIO_TEMP, 2, IIO_NO_MOD, th, up), false), "temp2");
	CHECK_STR(mapped(ad7124, ev_code(IIO_VOLTAGE, 4, IIO_NO_MOD, th, up), false), "voltage4");
	/* No such channel number, type, or a negative number. */
	CHECK_STR(mapped(xadc, ev_code(IIO_VOLTAGE, 5, IIO_NO_MOD, th, up), false), "(none)");
	CHECK_STR(mapped(xadc, ev_code(IIO_CURRENT, 0, IIO_NO_MOD, th, up), false), "(none)");
	CHECK_STR(mapped(xadc, ev_code(IIO_VOLTAGE, -1, IIO_NO_MOD, th, up), false), "(none)");
	/* diff asked of a non-differential event. */
	CHECK_STR(mapped(xadc, ev_code(IIO_VOLTAGE, 0, IIO_NO_MOD, th, up), true), "(none)");

	/* Modified channels: the modifier must match too. */
	CHECK_STR(mapped(light, ev_code(IIO_INTENSITY, 0, IIO_MOD_LIGHT_IR, th, up), false),
		  "intensity0_ir");
	CHECK_STR(mapped(light, ev_code(IIO_INTENSITY, 1, IIO_MOD_LIGHT_IR, th, up), false),
		  "intensity1_ir");
	CHECK_STR(mapped(light, ev_code(IIO_INTENSITY, 0, IIO_MOD_LIGHT_BOTH, th, up), false),
		  "intensity0_both");
	CHECK_STR(mapped(light, ev_code(IIO_INTENSITY, 1, IIO_MOD_LIGHT_BOTH, th, up), false),
		  "(none)");
	CHECK_STR(mapped(light, ev_code(IIO_INTENSITY, 0, IIO_NO_MOD, th, up), false), "(none)");

	/* Differential channels: channel2 is the second input. */
	CHECK_STR(mapped(ad7124, ev_diff_code(IIO_VOLTAGE, 0, 1, th, up), true),
		  "voltage0-voltage1");
	CHECK_STR(mapped(ad7124, ev_diff_code(IIO_VOLTAGE, 2, 3, th, up), true),
		  "voltage2-voltage3");
	CHECK_STR(mapped(ad7124, ev_diff_code(IIO_VOLTAGE, 2, 5, th, up), true), "(none)");
	CHECK_STR(mapped(ad7124, ev_diff_code(IIO_VOLTAGE, 0, -2, th, up), true), "(none)");
}

static void test_nonblock(struct iio_context *ctx)
{
	struct iio_event_stream *stream;
	struct iio_event ev;
	double t0;

	stream = iio_device_create_event_stream(device(ctx, "adxl345"));
	CHECK(!iio_err(stream));
	t0 = now_s();
	CHECK_INT(iio_event_stream_read(stream, &ev, true), -EAGAIN);
	CHECK(now_s() - t0 < 0.5);
	CHECK_INT(fk.last_poll_timeout, 0);

	/* The data went to another reader between poll and read. */
	send_event("iio:device0", 1, 2);
	fk.read_err = -EAGAIN;
	CHECK_INT(iio_event_stream_read(stream, &ev, true), -EAGAIN);
	CHECK_INT(iio_event_stream_read(stream, &ev, true), 0);
	CHECK(ev.id == 1 && ev.timestamp == 2);
	/* The same in blocking mode: wait again. */
	send_event("iio:device0", 3, 4);
	fk.read_err = -EAGAIN;
	CHECK_INT(iio_event_stream_read(stream, &ev, false), 0);
	CHECK(ev.id == 3 && ev.timestamp == 4);
	CHECK_INT(fk.nb_event_reads, 4);
	iio_event_stream_destroy(stream);
	fake_reset();
}

struct sender {
	const char *id;
	uint64_t code;
	int delay_ms;
};

static void *send_later(void *arg)
{
	const struct sender *s = arg;
	struct timespec ts = {.tv_sec = s->delay_ms / 1000,
			      .tv_nsec = (long)(s->delay_ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
	send_event(s->id, s->code, 77);
	return NULL;
}

/* A blocking read waits as long as it takes: the context's I/O timeout is not for events. */
static void test_blocking(struct iio_context *ctx)
{
	struct sender s = {"iio:device0", 0x1234, 300};
	struct iio_event_stream *stream;
	struct iio_event ev;
	pthread_t thread;

	CHECK_INT(iio_context_set_timeout(ctx, 20), 0);
	stream = iio_device_create_event_stream(device(ctx, "adxl345"));
	CHECK(!iio_err(stream));
	fk.poll_eintr = 2; /* signals during the wait are no errors */
	CHECK(pthread_create(&thread, NULL, send_later, &s) == 0);
	CHECK_INT(iio_event_stream_read(stream, &ev, false), 0);
	CHECK(ev.id == 0x1234 && ev.timestamp == 77);
	CHECK_INT(fk.last_poll_timeout, -1);
	CHECK(pthread_join(thread, NULL) == 0);
	iio_event_stream_destroy(stream);
	CHECK_INT(iio_context_set_timeout(ctx, 1000), 0);
	fake_reset();
}

struct reader {
	struct iio_event_stream *stream;
	atomic_int ret;
	double end;
};

static void *read_blocking(void *arg)
{
	struct reader *r = arg;
	struct iio_event ev;

	atomic_store(&r->ret, iio_event_stream_read(r->stream, &ev, false));
	r->end = now_s();
	return NULL;
}

/* Destroy from another thread wakes every blocked reader, which gets -EINTR. */
static void test_destroy_unblocks(struct iio_context *ctx)
{
	struct reader readers[2];
	pthread_t threads[2];
	unsigned int i, start;
	double t0, deadline;

	struct iio_event_stream *stream = iio_device_create_event_stream(device(ctx, "adxl345"));

	CHECK(!iio_err(stream));
	start = atomic_load(&fk.nb_blocking_polls);
	for (i = 0; i < 2; i++) {
		readers[i].stream = stream;
		atomic_init(&readers[i].ret, 1);
		CHECK(pthread_create(&threads[i], NULL, read_blocking, &readers[i]) == 0);
	}
	/* Both are inside poll(), with no timeout. */
	deadline = now_s() + 10;
	while (atomic_load(&fk.nb_blocking_polls) < start + 2) {
		CHECK(now_s() < deadline);
		usleep(1000);
	}
	usleep(50000);
	CHECK_INT(atomic_load(&readers[0].ret), 1); /* still blocked */
	CHECK_INT(atomic_load(&readers[1].ret), 1);

	t0 = now_s();
	iio_event_stream_destroy(stream);
	for (i = 0; i < 2; i++) {
		CHECK(pthread_join(threads[i], NULL) == 0);
		CHECK_INT(atomic_load(&readers[i].ret), -EINTR);
		/* close waited for the readers: they were done before it returned. */
		CHECK(readers[i].end - t0 < 2.0);
	}
	CHECK_INT(fake_open_fds(FK_EVENT), 0);
	fake_reset();
}

static void test_errors(struct iio_context *ctx)
{
	struct iio_device *adxl = device(ctx, "adxl345");
	struct iio_event_stream *stream, *second;
	struct iio_event ev;

	/* One event fd per device: the kernel says EBUSY to the second. */
	stream = iio_device_create_event_stream(adxl);
	CHECK(!iio_err(stream));
	clear_log();
	second = iio_device_create_event_stream(adxl);
	CHECK_INT(iio_err(second), -EBUSY);
	CHECK(logged("ERROR: iio:device0: Unable to get the event fd: busy"));
	CHECK_INT(fake_open_fds(FK_EVENTFD), 1); /* nothing of the failed one left */

	/* A short record, then a read error (device unplugged). */
	CHECK(write(hw_fd("iio:device0"), "12345678", 8) == 8);
	CHECK_INT(iio_event_stream_read(stream, &ev, false), -EIO);
	CHECK(logged("iio:device0: Unable to read an event: 8 bytes instead of 16"));
	send_event("iio:device0", 1, 1);
	fk.read_err = -ENODEV;
	CHECK_INT(iio_event_stream_read(stream, &ev, false), -ENODEV);
	CHECK(logged("iio:device0: Unable to read an event: No such device"));
	iio_event_stream_destroy(stream);
	fake_reset();

	/* Someone else holds the chardev. */
	fk.open_err = -EBUSY;
	CHECK_INT(iio_err(iio_device_create_event_stream(adxl)), -EBUSY);
	CHECK(logged("iio:device0: Unable to open"));
	CHECK(logged("dev/iio:device0 for events: busy, another process"));
	fake_reset();

	fk.open_err = -EACCES;
	CHECK_INT(iio_err(iio_device_create_event_stream(adxl)), -EACCES);
	CHECK(logged("for events: Permission denied"));
	fake_reset();

	fake_dev_by_id("iio:device0")->ioctl_err = -EFAULT;
	CHECK_INT(iio_err(iio_device_create_event_stream(adxl)), -EFAULT);
	CHECK(logged("ERROR: iio:device0: Unable to get the event fd from"));
	fake_reset();

	/* No event interface: -ENODEV, said at debug level only (iio_info asks everyone). */
	fake_dev_by_id("iio:device0")->ioctl_err = -ENODEV;
	CHECK_INT(iio_err(iio_device_create_event_stream(adxl)), -ENODEV);
	CHECK(logged("DEBUG: iio:device0: No event interface"));
	fake_reset();
	fake_dev_by_id("iio:device0")->ioctl_err = -EINVAL;
	CHECK_INT(iio_err(iio_device_create_event_stream(adxl)), -ENODEV);
	fake_reset();

	/* A trigger has no /dev node; a hwmon device has no events at all. */
	CHECK_INT(iio_err(iio_device_create_event_stream(device(ctx, "adxl345-dev0"))), -ENODEV);
	CHECK(logged("DEBUG: trigger0: No event interface: no character device"));
	CHECK_INT(fk.nb_ioctls, 0);
	fake_reset();
	CHECK_INT(iio_err(iio_device_create_event_stream(iio_context_find_device(ctx, "hwmon0"))),
		  -ENODEV);
	CHECK(logged("DEBUG: hwmon0: No event interface: hwmon devices have none"));
	CHECK_INT(fk.nb_chardev_opens, 0);
	fake_reset();
}

/* Without the fake: a fixture's /dev/<id> is a plain file, which answers ENOTTY. */
static void test_real_syscalls(void)
{
	struct iio_context *ctx = open_context(false);
	struct iio_event_stream *stream;

	clear_log();
	stream = iio_device_create_event_stream(device(ctx, "adxl345"));
	CHECK_INT(iio_err(stream), -ENODEV);
	CHECK(logged("IIO_GET_EVENT_FD_IOCTL refused"));
	iio_context_destroy(ctx);
}

int main(void)
{
	struct iio_context *ctx;

	log_file = open_memstream(&log_buf, &log_len);
	CHECK(log_file);
	generate_fixture();
	snprintf(fk.root, sizeof(fk.root), "%s", fixture_root);

	ctx = open_context(true);
	test_open_protocol(ctx);
	test_borrowed_chardev(ctx);
	test_decoding(ctx);
	test_channel_mapping(ctx);
	test_nonblock(ctx);
	test_blocking(ctx);
	test_destroy_unblocks(ctx);
	test_errors(ctx);
	iio_context_destroy(ctx);
	test_real_syscalls();

	fclose(log_file);
	free(log_buf);
	printf("local events: all checks passed\n");
	return 0;
}
