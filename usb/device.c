// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The USB device behind a usb: context: open by bus and address, claim the
 * IIO interface, check its endpoint layout, vendor requests on ep0, pipes
 * (pipe 0 for the context, one per open buffer), block memory and the
 * context attributes.
 */
#include "usb.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static void *run_cancels(void *arg);

static const char *request_name(enum iio_usb_request req)
{
	switch (req) {
	case IIO_USB_REQ_RESET_PIPES:
		return "RESET_PIPES";
	case IIO_USB_REQ_OPEN_PIPE:
		return "OPEN_PIPE";
	case IIO_USB_REQ_CLOSE_PIPE:
		return "CLOSE_PIPE";
	default:
		return "unknown request";
	}
}

/* ---- Endpoint layout and pipe bookkeeping (no I/O) ------------------------------ */

int iio_usb_pipes_from_interface(const struct libusb_interface_descriptor *desc,
				 struct iio_usb_pipe_eps *eps, unsigned int max)
{
	unsigned int i, nb;

	if (desc->bNumEndpoints < 2 || desc->bNumEndpoints % 2)
		return -EINVAL;
	nb = desc->bNumEndpoints / 2;
	if (nb > max)
		nb = max;
	for (i = 0; i < nb; i++) {
		const struct libusb_endpoint_descriptor *in = &desc->endpoint[2 * i];
		const struct libusb_endpoint_descriptor *out = &desc->endpoint[2 * i + 1];

		if (!(in->bEndpointAddress & LIBUSB_ENDPOINT_IN) ||
		    (out->bEndpointAddress & LIBUSB_ENDPOINT_IN))
			return -EINVAL;
		if ((in->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK ||
		    (out->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK)
			return -EINVAL;
		/* A zero packet size would make every transfer length invalid. */
		if (!(in->wMaxPacketSize & 0x7ff) || !(out->wMaxPacketSize & 0x7ff))
			return -EINVAL;
		eps[i] = (struct iio_usb_pipe_eps){
			.in = in->bEndpointAddress,
			.out = out->bEndpointAddress,
			.in_max_packet = in->wMaxPacketSize & 0x7ff,
			.out_max_packet = out->wMaxPacketSize & 0x7ff,
		};
	}
	return (int)nb;
}

int iio_usb_pipe_map_reserve(struct iio_usb_pipe_map *map)
{
	unsigned int i;

	for (i = 1; i < map->nb_pipes && i < 32; i++) {
		if (!(map->used & (1u << i))) {
			map->used |= 1u << i;
			return (int)i;
		}
	}
	return -EBUSY;
}

void iio_usb_pipe_map_release(struct iio_usb_pipe_map *map, unsigned int pipe)
{
	if (pipe < 32)
		map->used &= ~(1u << pipe);
}

/* ---- Opening ------------------------------------------------------------------ */

/*
 * Opens the usbfs node ourselves when we can, so that block-mem.c can map
 * device memory on the very file the transfers go through; libusb_open()
 * otherwise (no /dev/bus/usb, or a libusb that cannot wrap a descriptor).
 */
static int open_device_node(struct iio_usb_device *dev, libusb_device *device)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/bus/usb/%03u/%03u", dev->bus, dev->address);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		if (!libusb_wrap_sys_device(dev->usb, (intptr_t)fd, &dev->hdl)) {
			dev->usbfs_fd = fd;
			return 0;
		}
		close(fd);
	}
	return iio_usb_error_to_errno(libusb_open(device, &dev->hdl));
}

static int open_by_address(struct iio_usb_device *dev)
{
	libusb_device **list;
	ssize_t count, i;
	int ret = -ENODEV;

	count = libusb_get_device_list(dev->usb, &list);
	if (count < 0)
		return iio_usb_error_to_errno((int)count);
	for (i = 0; i < count; i++) {
		if (libusb_get_bus_number(list[i]) != dev->bus ||
		    libusb_get_device_address(list[i]) != dev->address)
			continue;
		ret = open_device_node(dev, list[i]);
		if (!ret)
			ret = iio_usb_error_to_errno(
				libusb_get_device_descriptor(list[i], &dev->desc));
		break;
	}
	libusb_free_device_list(list, 1);
	return ret;
}

static int read_layout(struct iio_usb_device *dev)
{
	struct libusb_config_descriptor *config;
	const struct libusb_interface *intf = NULL;
	int ret, i;

	ret = iio_usb_error_to_errno(
		libusb_get_active_config_descriptor(libusb_get_device(dev->hdl), &config));
	if (ret)
		return ret;
	for (i = 0; i < config->bNumInterfaces; i++) {
		if (config->interface[i].num_altsetting > 0 &&
		    config->interface[i].altsetting[0].bInterfaceNumber == dev->intf) {
			intf = &config->interface[i];
			break;
		}
	}
	ret = intf ? iio_usb_pipes_from_interface(&intf->altsetting[0], dev->eps,
						  IIO_USB_MAX_PIPES)
		   : -ENOENT;
	libusb_free_config_descriptor(config);
	if (ret < 0)
		return ret;
	dev->nb_pipes = (unsigned int)ret;
	dev->pipes.nb_pipes = dev->nb_pipes;
	return 0;
}

int iio_usb_device_open(const struct iio_context_params *params, const struct iio_usb_uri *uri,
			struct iio_usb_device **out)
{
	struct iio_usb_device *dev = calloc(1, sizeof(*dev));
	int ret;

	if (!dev)
		return -ENOMEM;
	if (params) {
		dev->params_copy = *params;
		dev->params = &dev->params_copy;
	}
	params = dev->params;
	dev->bus = uri->bus;
	dev->address = uri->address;
	dev->intf = uri->intf;
	dev->cancel_fd = -1;
	dev->usbfs_fd = -1;
	pthread_mutex_init(&dev->lock, NULL);
	snprintf(dev->uri, sizeof(dev->uri), "usb:%u.%u.%u", dev->bus, dev->address, dev->intf);

	ret = iio_usb_error_to_errno(libusb_init(&dev->usb));
	if (ret) {
		prm_perror(params, ret, "Unable to initialise libusb");
		dev->usb = NULL;
		goto err;
	}

	ret = open_by_address(dev);
	if (ret) {
		if (ret == -ENODEV)
			prm_err(params, "No USB device at bus %u address %u (%s)\n", dev->bus,
				dev->address, dev->uri);
		else
			prm_perror(params, ret, "Unable to open the USB device %s", dev->uri);
		goto err;
	}

	/* A kernel driver bound to the interface (none expected) is set aside while we use it. */
	libusb_set_auto_detach_kernel_driver(dev->hdl, 1);
	ret = iio_usb_error_to_errno(libusb_claim_interface(dev->hdl, dev->intf));
	if (ret) {
		prm_perror(params, ret, "Unable to claim interface %u of %s%s", dev->intf,
			   dev->uri, ret == -EBUSY ? " (is another program using it?)" : "");
		goto err;
	}
	dev->claimed = true;

	ret = read_layout(dev);
	if (ret) {
		prm_err(params, "Interface %u of %s is not an IIO interface: expected pairs "
			"of bulk IN/OUT endpoints\n", dev->intf, dev->uri);
		goto err;
	}

	ret = iio_usb_events_start(&dev->events, dev->usb);
	if (ret) {
		prm_perror(params, ret, "Unable to start the USB event thread for %s", dev->uri);
		goto err;
	}
	dev->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ret = dev->cancel_fd < 0 ? -errno : -pthread_create(&dev->cancel_thread, NULL,
							     run_cancels, dev);
	if (ret) {
		prm_perror(params, ret, "Unable to start the USB cancel thread for %s", dev->uri);
		goto err;
	}
	dev->cancel_thread_running = true;

	dev->description = iio_usb_describe(dev->hdl, &dev->desc);
	if (!dev->description) {
		ret = -ENOMEM;
		goto err;
	}
	*out = dev;
	return 0;

err:
	iio_usb_device_close(dev);
	return ret;
}

void iio_usb_device_close(struct iio_usb_device *dev)
{
	if (!dev)
		return;
	if (dev->cancel_thread_running) {
		uint64_t one = 1;

		__atomic_store_n(&dev->stopping, 1, __ATOMIC_RELEASE);
		if (write(dev->cancel_fd, &one, sizeof(one)) < 0)
			pthread_cancel(dev->cancel_thread);
		pthread_join(dev->cancel_thread, NULL);
	}
	if (dev->cancel_fd >= 0)
		close(dev->cancel_fd);
	iio_usb_events_stop(&dev->events);
	iio_usb_block_mem_free_all(dev);
	if (dev->claimed)
		libusb_release_interface(dev->hdl, dev->intf);
	if (dev->hdl)
		libusb_close(dev->hdl);
	if (dev->usbfs_fd >= 0)
		close(dev->usbfs_fd); /* libusb leaves a wrapped descriptor to its owner */
	if (dev->usb)
		libusb_exit(dev->usb);
	pthread_mutex_destroy(&dev->lock);
	free(dev->description);
	free(dev);
}

int iio_usb_device_request(struct iio_usb_device *dev, enum iio_usb_request req, uint16_t value)
{
	int ret;

	/* Unplugged: say it once, not once per pipe being torn down. */
	if (__atomic_load_n(&dev->gone, __ATOMIC_ACQUIRE))
		return -ENODEV;
	ret = libusb_control_transfer(dev->hdl, IIO_USB_REQ_TYPE, (uint8_t)req, value, dev->intf,
				      NULL, 0, IIO_USB_CONTROL_TIMEOUT_MS);
	ret = ret < 0 ? iio_usb_error_to_errno(ret) : 0;
	if (ret == -ENODEV) {
		__atomic_store_n(&dev->gone, 1, __ATOMIC_RELEASE);
		prm_err(dev->params, "USB device %s is gone (unplugged?)\n", dev->uri);
	} else if (ret && req == IIO_USB_REQ_RESET_PIPES)
		prm_perror(dev->params, ret, "USB request RESET_PIPES failed on %s", dev->uri);
	else if (ret)
		prm_perror(dev->params, ret, "USB request %s for pipe %u failed on %s%s",
			   request_name(req), value, dev->uri,
			   ret == -EPIPE ? " (refused by the device)" : "");
	return ret;
}

/* ---- Pipes ------------------------------------------------------------------------ */

/*
 * Stale bytes: what a previous host process left in a pipe's IN direction
 * (it was killed before reading a response or a block). iiod dequeues what
 * its old session still had queued before it acknowledges OPEN_PIPE, but
 * what a UDC already moved into its IN FIFO stays there for whoever reads
 * next (dummy_hcd completes IN requests of up to 64 bytes that way, and has
 * no FIFO flush; other controllers prefetch too). A fresh session sends
 * nothing before our first request, so anything read before that is stale.
 *
 * An IN transfer is kept queued while OPEN_PIPE is exchanged: the host
 * controller polls the endpoint all that time, and a device with bytes in its
 * FIFO sends them. If nothing came by the acknowledgement, the FIFO was
 * empty and the pipe is clean at no cost. If something came, more may follow
 * (the transfer was full or being requeued): then the endpoint is read until
 * it stays quiet for DRAIN_QUIET_MS, the only timed part. Without the
 * asynchronous transfer (out of memory), the timed read alone is the net.
 */
#define DRAIN_BUF_SIZE 16384 /* a multiple of every wMaxPacketSize */
#define DRAIN_QUIET_MS 20
#define DRAIN_MAX_ROUNDS 64
#define DRAIN_CANCEL_WAIT_S 5

struct stale_drain {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct libusb_transfer *xfer;
	bool stop;    /* no more resubmission */
	bool done;    /* the transfer is back for good: no callback to come */
	size_t bytes; /* dropped so far */
	unsigned char buf[DRAIN_BUF_SIZE];
};

static void LIBUSB_CALL drain_done(struct libusb_transfer *xfer)
{
	struct stale_drain *d = xfer->user_data;

	pthread_mutex_lock(&d->lock);
	d->bytes += (size_t)xfer->actual_length;
	if (d->stop || xfer->status != LIBUSB_TRANSFER_COMPLETED || libusb_submit_transfer(xfer))
		d->done = true;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* Queues the drain transfer on pipe id's IN endpoint; NULL if it cannot. */
static struct stale_drain *drain_start(struct iio_usb_device *dev, unsigned int id)
{
	struct stale_drain *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->xfer = libusb_alloc_transfer(0);
	if (!d->xfer) {
		free(d);
		return NULL;
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	/* No timeout: it is cancelled once OPEN_PIPE is answered. */
	libusb_fill_bulk_transfer(d->xfer, dev->hdl, dev->eps[id].in, d->buf, sizeof(d->buf),
				  drain_done, d, 0);
	if (libusb_submit_transfer(d->xfer)) {
		libusb_free_transfer(d->xfer);
		pthread_cond_destroy(&d->cond);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return NULL;
	}
	return d;
}

/*
 * Takes the drain transfer back; the bytes it dropped, or -ETIMEDOUT if
 * libusb never gave it back (then d is left allocated: its callback may
 * still come).
 */
static ssize_t drain_stop(struct stale_drain *d)
{
	struct timespec until;
	ssize_t ret = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += DRAIN_CANCEL_WAIT_S;
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_mutex_unlock(&d->lock);
	/* Already back (NOT_FOUND) is fine: it is freed below only. */
	libusb_cancel_transfer(d->xfer);
	pthread_mutex_lock(&d->lock);
	while (!d->done && !ret)
		if (pthread_cond_timedwait(&d->cond, &d->lock, &until) == ETIMEDOUT)
			ret = -ETIMEDOUT;
	pthread_mutex_unlock(&d->lock);
	if (ret)
		return ret;
	ret = (ssize_t)d->bytes;
	libusb_free_transfer(d->xfer);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
	return ret;
}

/* Reads and drops until the IN endpoint stays quiet for DRAIN_QUIET_MS; the bytes dropped. */
static size_t drain_until_quiet(struct iio_usb_device *dev, unsigned int id)
{
	unsigned char buf[4096]; /* a multiple of every wMaxPacketSize */
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < DRAIN_MAX_ROUNDS; i++) {
		int got = 0;
		int ret = libusb_bulk_transfer(dev->hdl, dev->eps[id].in, buf, sizeof(buf), &got,
					       DRAIN_QUIET_MS);

		total += (size_t)(got > 0 ? got : 0);
		if (ret || !got)
			break;
	}
	return total;
}

int iio_usb_pipe_open(struct iio_usb_device *dev, unsigned int id, struct iio_usb_pipe **out)
{
	struct iio_usb_stream_config cfg = {
		.hdl = dev->hdl,
		.ep = dev->eps[id].in,
		.max_packet = dev->eps[id].in_max_packet,
		.params = dev->params,
	};
	struct stale_drain *drain;
	struct iio_usb_pipe *pipe;
	ssize_t stale;
	char name[32];
	int ret;

	if (id >= dev->nb_pipes)
		return -EINVAL;
	pipe = calloc(1, sizeof(*pipe));
	if (!pipe)
		return -ENOMEM;
	pipe->dev = dev;
	pipe->id = id;

	drain = drain_start(dev, id);
	ret = iio_usb_device_request(dev, IIO_USB_REQ_OPEN_PIPE, (uint16_t)id);
	stale = drain ? drain_stop(drain) : -ENOMEM;
	if (stale == -ETIMEDOUT) {
		/* Still queued, it would swallow our first response. */
		prm_err(dev->params,
			"usb: pipe %u: libusb did not give a cancelled transfer "
			"back on %s\n",
			id, dev->uri);
		ret = ret ? ret : -EIO;
	}
	if (ret)
		goto err_free;
	if (stale) {
		/* Something came (or nothing was watching): read on until it is quiet. */
		stale = (stale > 0 ? stale : 0) + (ssize_t)drain_until_quiet(dev, id);
		if (stale)
			prm_dbg(dev->params,
				"usb: pipe %u: dropped %zd stale bytes a previous "
				"program left\n",
				id, stale);
	}
	ret = iio_usb_writer_init(&pipe->out, dev->hdl, dev->eps[id].out);
	if (ret)
		goto err_free;
	snprintf(name, sizeof(name), "pipe %u", id);
	cfg.name = name;
	pipe->in = iio_usb_stream_new(&cfg);
	ret = iio_err(pipe->in);
	if (ret) {
		iio_usb_writer_cleanup(&pipe->out);
		goto err_free;
	}
	pthread_mutex_lock(&dev->lock);
	dev->open[id] = pipe;
	pthread_mutex_unlock(&dev->lock);
	*out = pipe;
	return 0;

err_free:
	free(pipe);
	return ret;
}

static void cancel_pipe_now(struct iio_usb_pipe *pipe)
{
	iio_usb_writer_cancel(&pipe->out);
	iio_usb_stream_cancel(pipe->in);
}

void iio_usb_pipe_cancel(struct iio_usb_pipe *pipe)
{
	uint64_t one = 1;
	ssize_t ret;

	/* Only what a signal handler may do: an atomic store and a write(). */
	__atomic_store_n(&pipe->cancel_requested, 1, __ATOMIC_RELEASE);
	ret = write(pipe->dev->cancel_fd, &one, sizeof(one));
	(void)ret;
}

void iio_usb_pipe_free(struct iio_usb_pipe *pipe)
{
	struct iio_usb_device *dev;

	if (!pipe)
		return;
	dev = pipe->dev;
	pthread_mutex_lock(&dev->lock);
	dev->open[pipe->id] = NULL;
	pthread_mutex_unlock(&dev->lock);
	cancel_pipe_now(pipe);
	iio_usb_stream_free(pipe->in);
	iio_usb_writer_cleanup(&pipe->out);
	free(pipe);
}

static void *run_cancels(void *arg)
{
	struct iio_usb_device *dev = arg;
	struct pollfd pfd = { .fd = dev->cancel_fd, .events = POLLIN };
	uint64_t count;
	unsigned int i;

	while (!__atomic_load_n(&dev->stopping, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		if (read(dev->cancel_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
			break;
		pthread_mutex_lock(&dev->lock);
		for (i = 0; i < dev->nb_pipes; i++) {
			struct iio_usb_pipe *pipe = dev->open[i];

			if (pipe && !pipe->cancelled &&
			    __atomic_load_n(&pipe->cancel_requested, __ATOMIC_ACQUIRE)) {
				pipe->cancelled = true;
				cancel_pipe_now(pipe);
			}
		}
		pthread_mutex_unlock(&dev->lock);
	}
	return NULL;
}

int iio_usb_pipe_reserve(struct iio_usb_device *dev)
{
	int id;

	pthread_mutex_lock(&dev->lock);
	id = iio_usb_pipe_map_reserve(&dev->pipes);
	pthread_mutex_unlock(&dev->lock);
	if (id < 0)
		prm_err(dev->params, "No free USB pipe on %s for another buffer: its %u pipes "
			"allow %u buffers open at once\n", dev->uri, dev->nb_pipes,
			dev->nb_pipes ? dev->nb_pipes - 1 : 0);
	return id;
}

void iio_usb_pipe_unreserve(struct iio_usb_device *dev, unsigned int id)
{
	iio_usb_device_request(dev, IIO_USB_REQ_CLOSE_PIPE, (uint16_t)id);
	pthread_mutex_lock(&dev->lock);
	iio_usb_pipe_map_release(&dev->pipes, id);
	pthread_mutex_unlock(&dev->lock);
}

/* ---- Context attributes ------------------------------------------------------------- */

static int add_string_attr(struct iio_usb_device *dev, struct iio_context *ctx,
			   const char *name, uint8_t index)
{
	unsigned char buf[256];
	int ret;

	if (!index)
		return 0;
	ret = libusb_get_string_descriptor_ascii(dev->hdl, index, buf, sizeof(buf));
	if (ret < 0)
		return 0; /* a missing string is not worth failing the context for */
	return iio_context_add_attr(ctx, name, (const char *)buf);
}

int iio_usb_device_add_context_attrs(struct iio_usb_device *dev, struct iio_context *ctx)
{
	const struct libusb_version *v = libusb_get_version();
	char buf[64];
	int ret;

	ret = iio_context_add_attr(ctx, "uri", dev->uri);
	if (!ret)
		ret = add_string_attr(dev, ctx, "usb,vendor", dev->desc.iManufacturer);
	if (!ret)
		ret = add_string_attr(dev, ctx, "usb,product", dev->desc.iProduct);
	if (!ret)
		ret = add_string_attr(dev, ctx, "usb,serial", dev->desc.iSerialNumber);
	if (!ret) {
		snprintf(buf, sizeof(buf), "%04hx", dev->desc.idVendor);
		ret = iio_context_add_attr(ctx, "usb,idVendor", buf);
	}
	if (!ret) {
		snprintf(buf, sizeof(buf), "%04hx", dev->desc.idProduct);
		ret = iio_context_add_attr(ctx, "usb,idProduct", buf);
	}
	if (!ret) {
		snprintf(buf, sizeof(buf), "%1x.%1x", (dev->desc.bcdUSB >> 8) & 0xf,
			 (dev->desc.bcdUSB >> 4) & 0xf);
		ret = iio_context_add_attr(ctx, "usb,release", buf);
	}
	if (!ret) {
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u%s", v->major, v->minor, v->micro, v->nano,
			 v->rc ? v->rc : "");
		ret = iio_context_add_attr(ctx, "usb,libusb", buf);
	}
	return ret;
}
