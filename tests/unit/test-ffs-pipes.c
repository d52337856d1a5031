// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iiod's USB pipe bookkeeping (usb.md §2): OPEN_PIPE starts a session on
 * ep(2p+1)/ep(2p+2) and first ends the pipe's previous one, closing its
 * endpoint files (nothing it queued or read in part reaches the new one) and
 * flushing both FIFOs; CLOSE_PIPE and RESET_PIPES stop sessions without
 * waiting; bad pipe ids and endpoint files that do not open are refused and
 * the service keeps going. Also the USB command-line options.
 */
#include "test-ffs-fake.h"

#include "ffs-control.h"
#include "ffs-pipes.h"
#include "ffs-server.h"
#include "ffs-stats.h"
#include "ffs-transport.h"

#include <stdatomic.h>
#include <stdio.h>

#define NB_PIPES 3

static int host_end[2 * NB_PIPES + 1]; /* by endpoint number */
static int open_error;
static bool line_sessions;    /* sessions read lines and answer each */
static atomic_uint linger_ms; /* someone else holds an ended session's transport so long */

static void *let_go_later(void *arg)
{
	usleep(atomic_load(&linger_ms) * 1000);
	iiod_transport_destroy(arg);
	return NULL;
}
static atomic_uint sessions_started, sessions_ended;
static char last_peer[32];
static char last_data[16];

static int fake_open_ep(const char *dir, unsigned int nr, int flags)
{
	int gadget, host;

	CHECK_STR(dir, "/fake/ffs");
	CHECK(nr >= 1 && nr <= 2 * NB_PIPES);
	/* Odd: bulk IN, written by the device. */
	CHECK_INT(flags & O_ACCMODE, nr % 2 ? O_WRONLY : O_RDONLY);
	CHECK(flags & O_NONBLOCK);
	if (open_error)
		return open_error;
	/* The previous session's file of this endpoint is closed by now. */
	if (host_end[nr] > 0)
		CHECK(fake_hung_up(host_end[nr]));
	fake_endpoint(nr % 2, &gadget, &host);
	if (host_end[nr] > 0)
		close(host_end[nr]);
	host_end[nr] = host;
	return gadget;
}

/* A session: reads until its transport fails, keeps what it read. */
static void fake_run_session(void *data, struct iiod_transport *t, const char *peer)
{
	char buf[16];
	ssize_t ret;

	CHECK_STR(data, "server");
	snprintf(last_peer, sizeof(last_peer), "%s", peer);
	atomic_fetch_add(&sessions_started, 1);
	while (line_sessions && (ret = t->ops->read_line(t, buf, sizeof(buf) - 1, -1)) > 0) {
		char reply[24];
		struct iovec iov = {.iov_base = reply};

		buf[ret] = '\0';
		snprintf(last_data, sizeof(last_data), "%s", buf);
		iov.iov_len = (size_t)snprintf(reply, sizeof(reply), "ok:%s", buf);
		if (t->ops->writev(t, &iov, 1, -1) < 0)
			break;
	}
	while (!line_sessions && (ret = t->ops->read(t, buf, sizeof(buf) - 1, -1)) > 0) {
		buf[ret] = '\0';
		snprintf(last_data, sizeof(last_data), "%s", buf);
	}
	if (linger_ms) {
		/* Like a block of another session's buffer still holding this session. */
		pthread_t th;

		ffs_transport_hold(t);
		CHECK(!pthread_create(&th, NULL, let_go_later, t));
		pthread_detach(th);
	}
	iiod_transport_destroy(t);
	atomic_fetch_add(&sessions_ended, 1);
}

static void wait_for(atomic_uint *counter, unsigned int value)
{
	unsigned int i;

	for (i = 0; i < 2000 && atomic_load(counter) < value; i++)
		usleep(1000);
	CHECK_INT(atomic_load(counter), value);
}

static void test_pipes(void)
{
	struct iio_context_params quiet = {.log_level = LEVEL_ERROR};
	struct ffs_usb_env env = {.sys = &fake_sysio, .params = &quiet, .dmabuf = true};
	struct ffs_pipes pipes;
	char server[] = "server";

	atomic_init(&env.enabled, true);
	CHECK_INT(ffs_pipes_init(&pipes, NB_PIPES, "/fake/ffs", &env, fake_run_session, server), 0);
	pipes.open_ep = fake_open_ep;

	/* Pipe 1 = ep3 (IN) + ep4 (OUT); the IN FIFO is flushed of a previous session's data. */
	fake_ffs_reset();
	CHECK_INT(ffs_pipes_open(&pipes, 1), 0);
	wait_for(&sessions_started, 1);
	CHECK_INT(ffk.flush_calls, 2); /* IN and OUT */
	CHECK_INT(ffk.flush_in_calls, 1);
	CHECK_STR(last_peer, "usb pipe 1");
	CHECK_INT(send(host_end[4], "hello", 5, MSG_EOR), 5);
	for (int i = 0; i < 2000 && strcmp(last_data, "hello"); i++)
		usleep(1000);
	CHECK_STR(last_data, "hello");

	/* CLOSE_PIPE: the session stops, nobody waits. */
	ffs_pipes_close(&pipes, 1);
	wait_for(&sessions_ended, 1);
	CHECK_INT(ffs_pipes_running(&pipes), 1); /* not waited for yet */
	/* OPEN_PIPE again: waits for the old one, starts a new one. */
	CHECK_INT(ffs_pipes_open(&pipes, 1), 0);
	wait_for(&sessions_started, 2);
	CHECK_INT(ffs_pipes_running(&pipes), 1);
	/* A pipe opened twice in a row: the first session is stopped first. */
	CHECK_INT(ffs_pipes_open(&pipes, 1), 0);
	wait_for(&sessions_ended, 2);
	wait_for(&sessions_started, 3);

	/* Bad ids and endpoint files that do not open: refused, nothing left behind. */
	CHECK_INT(ffs_pipes_open(&pipes, NB_PIPES), -EINVAL);
	open_error = -ENOENT;
	CHECK_INT(ffs_pipes_open(&pipes, 2), -ENOENT);
	open_error = 0;
	CHECK_INT(ffs_pipes_running(&pipes), 1);
	ffs_pipes_close(&pipes, NB_PIPES); /* ignored */

	/* RESET_PIPES: every session stops. */
	CHECK_INT(ffs_pipes_open(&pipes, 0), 0);
	wait_for(&sessions_started, 4);
	ffs_pipes_reset(&pipes);
	wait_for(&sessions_ended, 4);

	/* Host gone: a session ends by itself. */
	CHECK_INT(ffs_pipes_open(&pipes, 2), 0);
	wait_for(&sessions_started, 5);
	close(host_end[6]);
	host_end[6] = -1;
	wait_for(&sessions_ended, 5);

	/* Stopped (SIGUSR1 restart): no session until resumed. */
	CHECK_INT(ffs_pipes_open(&pipes, 0), 0);
	wait_for(&sessions_started, 6);
	ffs_pipes_stop(&pipes);
	wait_for(&sessions_ended, 6);
	CHECK_INT(ffs_pipes_running(&pipes), 0);
	CHECK_INT(ffs_pipes_open(&pipes, 0), -ECANCELED);
	ffs_pipes_resume(&pipes, server);
	CHECK_INT(ffs_pipes_open(&pipes, 0), 0);
	wait_for(&sessions_started, 7);

	ffs_pipes_fini(&pipes);
	wait_for(&sessions_ended, 7);
	for (unsigned int i = 1; i <= 2 * NB_PIPES; i++)
		if (host_end[i] > 0)
			close(host_end[i]);
}

static void op_reset(void *data)
{
	ffs_pipes_reset(data);
}

static int op_open(void *data, unsigned int pipe)
{
	return ffs_pipes_open(data, pipe);
}

static void op_close(void *data, unsigned int pipe)
{
	ffs_pipes_close(data, pipe);
}

/* The control dispatch drives the pipes: a bad request stalls, the next one works. */
static void test_dispatch(void)
{
	struct iio_context_params quiet = {.log_level = LEVEL_ERROR};
	struct ffs_usb_env env = {.sys = &fake_sysio, .params = &quiet, .dmabuf = true};
	struct ffs_pipes pipes;
	char server[] = "server";
	struct ffs_control_ops ops = {
		.reset_pipes = op_reset,
		.open_pipe = op_open,
		.close_pipe = op_close,
	};
	struct ffs_event ev = {.type = FFS_EVENT_SETUP};
	unsigned int started = atomic_load(&sessions_started);

	memset(host_end, 0, sizeof(host_end));
	atomic_init(&env.enabled, true);
	CHECK_INT(ffs_pipes_init(&pipes, NB_PIPES, "/fake/ffs", &env, fake_run_session, server), 0);
	pipes.open_ep = fake_open_ep;

	ev.setup.bRequestType = 0x41;
	ev.setup.bRequest = IIO_USB_OPEN_PIPE;
	ev.setup.wValue = 7;
	CHECK_INT(ffs_control_dispatch(&ev, NB_PIPES, &ops, &pipes), FFS_ANSWER_STALL);
	open_error = -EIO;
	ev.setup.wValue = 0;
	CHECK_INT(ffs_control_dispatch(&ev, NB_PIPES, &ops, &pipes), FFS_ANSWER_STALL);
	open_error = 0;
	CHECK_INT(ffs_control_dispatch(&ev, NB_PIPES, &ops, &pipes), FFS_ANSWER_ACK);
	wait_for(&sessions_started, started + 1);
	ev.setup.bRequest = IIO_USB_RESET_PIPES;
	CHECK_INT(ffs_control_dispatch(&ev, NB_PIPES, &ops, &pipes), FFS_ANSWER_ACK);
	wait_for(&sessions_ended, started + 1);
	ffs_pipes_fini(&pipes);
	for (unsigned int i = 1; i <= 2 * NB_PIPES; i++)
		if (host_end[i] > 0)
			close(host_end[i]);
}

static void wait_data(const char *what)
{
	for (int i = 0; i < 2000 && strcmp(last_data, what); i++)
		usleep(1000);
	CHECK_STR(last_data, what);
}

/*
 * A host killed in the middle of a conversation: its session holds part of a
 * command (an ASCII line's leftovers) and a reply it never read. The next
 * host's OPEN_PIPE ends that session before answering: its first command and
 * reply are its own.
 */
static void test_reopen_after_dead_host(void)
{
	struct iio_context_params quiet = {.log_level = LEVEL_ERROR};
	struct ffs_usb_env env = {.sys = &fake_sysio, .params = &quiet, .dmabuf = true};
	struct ffs_pipes pipes;
	char server[] = "server", reply[32];
	unsigned int started = atomic_load(&sessions_started);
	unsigned int ended = atomic_load(&sessions_ended);
	int old_in, old_out;
	ssize_t n;

	memset(host_end, 0, sizeof(host_end));
	atomic_init(&env.enabled, true);
	line_sessions = true;
	CHECK_INT(ffs_pipes_init(&pipes, NB_PIPES, "/fake/ffs", &env, fake_run_session, server), 0);
	pipes.open_ep = fake_open_ep;

	fake_ffs_reset();
	CHECK_INT(ffs_pipes_open(&pipes, 0), 0);
	wait_for(&sessions_started, started + 1);
	/* One transfer: a line and the start of the next one; the reply is never read. */
	CHECK_INT(send(host_end[2], "old\npart", 8, MSG_EOR), 8);
	wait_data("old\n");
	old_in = host_end[1];
	old_out = host_end[2];

	/*
	 * The next host: OPEN_PIPE(0) with that session still running, its transport
	 * held for a while after it ended: the old files close before the new ones open
	 * (fake_open_ep checks).
	 */
	linger_ms = 100;
	CHECK_INT(ffs_pipes_open(&pipes, 0), 0);
	linger_ms = 0;
	wait_for(&sessions_ended, ended + 1);
	wait_for(&sessions_started, started + 2);
	CHECK(host_end[1] != old_in && host_end[2] != old_out);
	CHECK_INT(ffk.flush_calls, 4);
	CHECK_INT(ffk.flush_in_calls, 2);
	CHECK_INT(send(host_end[2], "new\n", 4, MSG_EOR), 4);
	wait_data("new\n"); /* not "partnew\n" */
	n = recv(host_end[1], reply, sizeof(reply) - 1, 0);
	CHECK(n > 0);
	reply[n] = '\0';
	CHECK_STR(reply, "ok:new\n"); /* not the old session's "ok:old\n" */

	ffs_pipes_fini(&pipes);
	wait_for(&sessions_ended, ended + 2);
	line_sessions = false;
	for (unsigned int i = 1; i <= 2 * NB_PIPES; i++)
		if (host_end[i] > 0)
			close(host_end[i]);
}

static void test_options(void)
{
	struct iiod_usb_options o;

	iiod_usb_options_init(&o);
	CHECK_INT(o.nb_pipes, 3);
	CHECK_INT(o.ss_burst, IIOD_USB_DEFAULT_SS_BURST);
	CHECK(o.ss_burst > 0);
	CHECK_STR(o.stats_path, FFS_STATS_DEFAULT_PATH);
	CHECK(!iiod_usb_requested(&o));

	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_GADGET, NULL), 1);
	CHECK(iiod_usb_requested(&o));
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_VID, "0x0456"), 1);
	CHECK_INT(o.gadget_cfg.vendor_id, 0x0456);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_PID, "b673"), 1);
	CHECK_INT(o.gadget_cfg.product_id, 0xb673);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_PID, "10000"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_VID, "xyz"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_SS_BURST, "0"), 1);
	CHECK_INT(o.ss_burst, 0);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_SS_BURST, "16"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_SS_BURST, "-1"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_NB_PIPES, "15"), 1);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_NB_PIPES, "0"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_NB_PIPES, "16"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_GADGET_NAME, "a/b"), -EINVAL);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_GADGET_NAME, "iio2"), 1);
	CHECK_STR(o.gadget_cfg.name, "iio2");
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_WINUSB, NULL), 1);
	CHECK(o.winusb && o.gadget_cfg.winusb);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_NO_DMABUF, NULL), 1);
	CHECK(o.no_dmabuf);
	CHECK_INT(iiod_usb_parse_option(&o, IIOD_USB_OPT_STATS, ""), 1);
	CHECK_STR(o.stats_path, "");
	CHECK_INT(iiod_usb_parse_option(&o, 'p', "1"), 0); /* not ours */
}

static void test_stats_format(void)
{
	struct ffs_buffer_stats st = {.pipe = 2, .is_output = true, .zerocopy_blocks = 3};
	char line[256];

	snprintf(st.device, sizeof(st.device), "cf-ad9361-dds-core-lpc");
	st.zerocopy_bytes = 3 << 20;
	ffs_stats_note_fallback(&st, FFS_FALLBACK_ATTACH, EPERM);
	ffs_stats_note_fallback(&st, FFS_FALLBACK_ATTACH, EPERM);
	ffs_stats_note_fallback(&st, FFS_FALLBACK_TRANSFER, EBUSY);
	CHECK(ffs_stats_format(&st, line, sizeof(line)) > 0);
	CHECK_STR(line, "pipe=2 device=cf-ad9361-dds-core-lpc direction=tx zerocopy_blocks=3 "
			"zerocopy_bytes=3145728 copy_blocks=0 copy_bytes=0 fallbacks=3 "
			"reasons=attach/EPERM:2,transfer/EBUSY:1\n");
	CHECK_INT(ffs_stats_format(&st, line, 40), -ENOSPC);
}

int main(void)
{
	test_pipes();
	test_dispatch();
	test_reopen_after_dead_host();
	test_options();
	test_stats_format();
	printf("test-ffs-pipes: ok\n");
	return 0;
}
