// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bulk transfer mechanics: libusb error and status mapping, the thread that
 * runs libusb's event handling (so that completions are reaped and the IN
 * stream refilled while the application is busy), and the OUT writer built on
 * the asynchronous API so that another thread can cancel it.
 */
#include "usb.h"

#include <time.h>

int iio_usb_error_to_errno(int libusb_error)
{
	switch (libusb_error) {
	case LIBUSB_SUCCESS:
		return 0;
	case LIBUSB_ERROR_INVALID_PARAM:
		return -EINVAL;
	case LIBUSB_ERROR_ACCESS:
		return -EACCES;
	case LIBUSB_ERROR_NO_DEVICE:
		return -ENODEV;
	case LIBUSB_ERROR_NOT_FOUND:
		return -ENXIO;
	case LIBUSB_ERROR_BUSY:
		return -EBUSY;
	case LIBUSB_ERROR_TIMEOUT:
		return -ETIMEDOUT;
	case LIBUSB_ERROR_PIPE:
		return -EPIPE;
	case LIBUSB_ERROR_INTERRUPTED:
		return -EINTR;
	case LIBUSB_ERROR_NO_MEM:
		return -ENOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		return -ENOSYS;
	case LIBUSB_ERROR_IO:
	case LIBUSB_ERROR_OVERFLOW:
	case LIBUSB_ERROR_OTHER:
	default:
		return -EIO;
	}
}

int iio_usb_status_to_errno(enum libusb_transfer_status status)
{
	switch (status) {
	case LIBUSB_TRANSFER_COMPLETED:
		return 0;
	case LIBUSB_TRANSFER_TIMED_OUT:
		return -ETIMEDOUT;
	case LIBUSB_TRANSFER_STALL:
		return -EPIPE;
	case LIBUSB_TRANSFER_NO_DEVICE:
		return -ENODEV;
	case LIBUSB_TRANSFER_CANCELLED:
		return -EBADF;
	case LIBUSB_TRANSFER_ERROR:
	case LIBUSB_TRANSFER_OVERFLOW:
	default:
		return -EIO;
	}
}

/* ---- Event thread ------------------------------------------------------------ */

static void *run_events(void *arg)
{
	struct iio_usb_events *ev = arg;

	while (!__atomic_load_n(&ev->stop, __ATOMIC_ACQUIRE)) {
		int ret = libusb_handle_events_completed(ev->usb, &ev->stop);

		/* Only a broken context fails here; do not spin on it. */
		if (ret && ret != LIBUSB_ERROR_INTERRUPTED && ret != LIBUSB_ERROR_TIMEOUT) {
			struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };

			nanosleep(&pause, NULL);
		}
	}
	return NULL;
}

int iio_usb_events_start(struct iio_usb_events *ev, libusb_context *usb)
{
	int ret;

	ev->usb = usb;
	ev->stop = 0;
	ret = pthread_create(&ev->thread, NULL, run_events, ev);
	if (ret)
		return -ret;
	ev->running = true;
	return 0;
}

void iio_usb_events_stop(struct iio_usb_events *ev)
{
	if (!ev->running)
		return;
	__atomic_store_n(&ev->stop, 1, __ATOMIC_RELEASE);
	libusb_interrupt_event_handler(ev->usb);
	pthread_join(ev->thread, NULL);
	ev->running = false;
}

/* ---- Bulk OUT -------------------------------------------------------------- */

static int init_cond_monotonic(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int ret;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	ret = pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
	return -ret;
}

int iio_usb_writer_init(struct iio_usb_writer *w, libusb_device_handle *hdl, uint8_t ep)
{
	int ret;

	*w = (struct iio_usb_writer){ .hdl = hdl, .ep = ep };
	ret = init_cond_monotonic(&w->done);
	if (ret)
		return ret;
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->state_lock, NULL);
	return 0;
}

void iio_usb_writer_cleanup(struct iio_usb_writer *w)
{
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->state_lock);
	pthread_cond_destroy(&w->done);
}

struct out_chunk {
	struct iio_usb_writer *w;
	struct libusb_transfer *t;
	bool finished;
};

static void LIBUSB_CALL on_out_done(struct libusb_transfer *t)
{
	struct out_chunk *chunk = t->user_data;
	struct iio_usb_writer *w = chunk->w;

	pthread_mutex_lock(&w->state_lock);
	chunk->finished = true;
	w->in_flight--;
	pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->state_lock);
}

static void deadline_after(struct timespec *ts, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/*
 * 1 MiB transfers queued at once for one element. usbfs caps the memory of all
 * URBs in flight (usbfs_memory_mb, 16 MiB by default), shared with the IN side.
 */
#define OUT_MAX_CHUNKS 4

/* Writes len bytes (at most OUT_MAX_CHUNKS transfers) and waits for all of them. */
static ssize_t write_element(struct iio_usb_writer *w, const uint8_t *src, size_t len,
			     int timeout_ms)
{
	struct out_chunk chunks[OUT_MAX_CHUNKS] = { 0 };
	unsigned int nb = 0, i;
	struct timespec deadline;
	size_t offset, sent = 0;
	bool timed_out = false;
	int ret = 0;

	if (timeout_ms >= 0)
		deadline_after(&deadline, timeout_ms);

	pthread_mutex_lock(&w->state_lock);
	if (w->cancelled || w->error) {
		ret = w->cancelled ? -EBADF : w->error;
		pthread_mutex_unlock(&w->state_lock);
		return ret;
	}
	/*
	 * Chunks start at multiples of 1 MiB from src: every chunk but the last is a
	 * whole number of packets, so none ends the device's request early, and a block
	 * in usbfs device memory (block-mem.c: 1 MiB mappings from its 1 MiB-aligned
	 * start) is sent without a chunk leaving its mapping.
	 */
	for (offset = 0; offset < len; offset += IIO_USB_MAX_TRANSFER, nb++) {
		size_t n = len - offset;
		struct libusb_transfer *t = libusb_alloc_transfer(0);

		if (n > IIO_USB_MAX_TRANSFER)
			n = IIO_USB_MAX_TRANSFER;

		if (!t) {
			ret = -ENOMEM;
			break;
		}
		chunks[nb] = (struct out_chunk){ .w = w, .t = t };
		/* libusb takes a non-const buffer; OUT transfers only read it. */
		libusb_fill_bulk_transfer(t, w->hdl, w->ep,
					  (unsigned char *)(uintptr_t)(src + offset), (int)n,
					  on_out_done, &chunks[nb], 0);
		ret = iio_usb_error_to_errno(libusb_submit_transfer(t));
		if (ret) {
			libusb_free_transfer(t);
			chunks[nb].t = NULL;
			break;
		}
		w->in_flight++;
	}

	/* Wait for every queued chunk, cancelling them all on error, timeout or cancel. */
	for (;;) {
		bool all_done = true, cancel_now = ret || timed_out || w->cancelled;

		for (i = 0; i < nb; i++) {
			if (!chunks[i].t || chunks[i].finished)
				continue;
			all_done = false;
			if (cancel_now)
				libusb_cancel_transfer(chunks[i].t);
		}
		if (all_done)
			break;
		if (timeout_ms >= 0 && !timed_out) {
			int wait = pthread_cond_timedwait(&w->done, &w->state_lock, &deadline);

			timed_out = wait == ETIMEDOUT;
		} else {
			pthread_cond_wait(&w->done, &w->state_lock);
		}
	}

	for (i = 0; i < nb; i++) {
		struct libusb_transfer *t = chunks[i].t;
		int status;

		if (!t)
			continue;
		status = iio_usb_status_to_errno(t->status);
		sent += (size_t)t->actual_length;
		if (!ret && status)
			ret = status;
		libusb_free_transfer(t);
	}
	if (!ret && timed_out && sent < len)
		ret = -ETIMEDOUT;
	if (ret == -EBADF && !w->cancelled && timed_out)
		ret = -ETIMEDOUT; /* we cancelled it because of the deadline */
	if (ret && sent) {
		/* The device got part of the element: the session can no longer be trusted. */
		w->error = -EPIPE;
	}
	pthread_mutex_unlock(&w->state_lock);
	return ret ? ret : (ssize_t)len;
}

ssize_t iio_usb_writer_write(struct iio_usb_writer *w, const void *src, size_t len,
			     int timeout_ms)
{
	const size_t batch = (size_t)OUT_MAX_CHUNKS * IIO_USB_MAX_TRANSFER;
	const uint8_t *p = src;
	ssize_t ret = 0;
	size_t done;

	/* Batches of 1 MiB transfers look the same on the wire as one long queue. */
	pthread_mutex_lock(&w->lock);
	for (done = 0; done < len; done += (size_t)ret) {
		size_t n = len - done < batch ? len - done : batch;

		ret = write_element(w, p + done, n, timeout_ms);
		if (ret < 0) {
			if (done) {
				pthread_mutex_lock(&w->state_lock);
				w->error = -EPIPE;
				pthread_mutex_unlock(&w->state_lock);
			}
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return ret < 0 ? ret : (ssize_t)len;
}

void iio_usb_writer_cancel(struct iio_usb_writer *w)
{
	pthread_mutex_lock(&w->state_lock);
	w->cancelled = true;
	pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->state_lock);
}
