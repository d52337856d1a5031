// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ffs-stream: gadget side of the bare kernel chain (no libiio).
 *
 * Writes FunctionFS descriptors for one interface (string "IIO") with a bulk IN and a
 * bulk OUT endpoint, waits until the host enables the function, then streams between
 * the simulated converters (iio_sim_dma) and the endpoints:
 *
 *   zerocopy     RX: N dma-heap DMABUFs attached to the ADC's IIO buffer and to the IN
 *                endpoint; per block: wait for the IIO fence, FUNCTIONFS_DMABUF_TRANSFER,
 *                re-enqueue to IIO once the USB transfer of an older block is done
 *   copy         RX: read() from the IIO buffer fd, write() to the IN endpoint
 *   static       RX: write() of a buffer prepared once (no IIO at all)
 *   zerocopy-tx  TX: DMABUFs attached to the OUT endpoint and the DAC's IIO buffer;
 *                USB data lands in the DMABUF, which is then enqueued to the DAC
 *   copy-tx      TX: read() from the OUT endpoint, write() to the DAC's buffer fd
 *   early        no host: DMABUF ioctls on an endpoint before the function is bound
 *                must fail cleanly (kernel-patches 0002); exits 0 if they all do
 *
 * If zero-copy is refused (e.g. by a UDC without scatter-gather), it says why and
 * falls back to the copy path.  Prints one line:
 *   GADGET mode=<requested> used=<mode> bytes=N wall_s=W cpu_s=C cpu_s_per_gib=X \
 *          blocks=B zc_blocks=Z reason=<why zero-copy was not used, or -> \
 *          [dac_words=N dac_errors=N]     (TX modes: what the DAC checked)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define MAX_BUFS 32

static const char *ffs_dir = "/dev/iio_ffs";
static const char *iio_name;	/* default: ADC for RX modes, DAC for TX modes */
static bool tx;
static const char *mode = "zerocopy";
static size_t block_size = 1 << 20;
static unsigned int nbufs = 4;
static unsigned int depth = 1;
static unsigned long long total = 256ULL << 20;
static const char *ready_file;
static unsigned int linger_ms;
static const char *done_file;
static bool headers;	/* -H: an 8-byte header write before every block, as iiod does */

static char reason[256] = "-";

/* ------------------------------------------------------------ FunctionFS setup */

struct ep_pair {
	struct usb_ep_desc_noaudio in, out;
} __attribute__((packed));

struct ss_ep_pair {
	struct usb_ep_desc_noaudio in;
	struct usb_ss_comp_desc in_comp;
	struct usb_ep_desc_noaudio out;
	struct usb_ss_comp_desc out_comp;
} __attribute__((packed));

static struct {
	struct ffs_descs_head_v2 head;
	uint32_t fs_count, hs_count, ss_count;
	struct usb_iface_desc fs_intf;
	struct ep_pair fs;
	struct usb_iface_desc hs_intf;
	struct ep_pair hs;
	struct usb_iface_desc ss_intf;
	struct ss_ep_pair ss;
} __attribute__((packed)) descs;

static struct {
	uint32_t magic, length, str_count, lang_count;
	uint16_t lang;
	char str[4];
} __attribute__((packed)) strs;

static void fill_ep(struct usb_ep_desc_noaudio *d, uint8_t addr, uint16_t mps)
{
	d->bLength = sizeof(*d);
	d->bDescriptorType = USB_DT_ENDPOINT;
	d->bEndpointAddress = addr;
	d->bmAttributes = USB_XFER_BULK;
	d->wMaxPacketSize = mps;	/* little-endian host assumed */
	d->bInterval = 0;
}

static void fill_intf(struct usb_iface_desc *d)
{
	d->bLength = sizeof(*d);
	d->bDescriptorType = USB_DT_INTERFACE;
	d->bNumEndpoints = 2;
	d->bInterfaceClass = USB_CLASS_VENDOR;
	d->iInterface = 1;
}

static void fill_comp(struct usb_ss_comp_desc *d)
{
	d->bLength = sizeof(*d);
	d->bDescriptorType = USB_DT_SS_EP_COMP;
}

static int ffs_setup(int *ep_in, int *ep_out)
{
	char path[512];
	int ep0;

	descs.head.magic = FFS_DESCRIPTORS_MAGIC_V2;
	descs.head.length = sizeof(descs);
	descs.head.flags = FFS_HAS_FS_DESC | FFS_HAS_HS_DESC | FFS_HAS_SS_DESC;
	descs.fs_count = 3;
	descs.hs_count = 3;
	descs.ss_count = 5;
	fill_intf(&descs.fs_intf);
	fill_ep(&descs.fs.in, USB_DIR_IN | 1, 64);
	fill_ep(&descs.fs.out, 2, 64);
	fill_intf(&descs.hs_intf);
	fill_ep(&descs.hs.in, USB_DIR_IN | 1, 512);
	fill_ep(&descs.hs.out, 2, 512);
	fill_intf(&descs.ss_intf);
	fill_ep(&descs.ss.in, USB_DIR_IN | 1, 1024);
	fill_comp(&descs.ss.in_comp);
	fill_ep(&descs.ss.out, 2, 1024);
	fill_comp(&descs.ss.out_comp);

	strs.magic = FFS_STRINGS_MAGIC;
	strs.length = sizeof(strs);
	strs.str_count = 1;
	strs.lang_count = 1;
	strs.lang = 0x0409;
	memcpy(strs.str, "IIO", 4);

	snprintf(path, sizeof(path), "%s/ep0", ffs_dir);
	ep0 = open(path, O_RDWR);
	if (ep0 < 0)
		die(path);
	write_all(ep0, &descs, sizeof(descs), "write descriptors");
	write_all(ep0, &strs, sizeof(strs), "write strings");

	snprintf(path, sizeof(path), "%s/ep1", ffs_dir);
	*ep_in = open(path, O_WRONLY);
	if (*ep_in < 0)
		die(path);
	snprintf(path, sizeof(path), "%s/ep2", ffs_dir);
	*ep_out = open(path, O_RDONLY);
	if (*ep_out < 0)
		die(path);

	if (ready_file) {
		int fd = open(ready_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0)
			close(fd);
	}
	fprintf(stderr, "ffs-stream: descriptors written, waiting for the host\n");
	return ep0;
}

/* Read ep0 events until the function is enabled; stall any control request. */
static void ffs_wait_enable(int ep0)
{
	struct ffs_event ev;

	for (;;) {
		ssize_t n = read(ep0, &ev, sizeof(ev));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read ep0 event");
		}
		if (n != sizeof(ev))
			continue;
		if (ev.type == FFS_EV_ENABLE)
			return;
		if (ev.type == FFS_EV_SETUP) {
			if (ev.bRequestType & USB_DIR_IN) {
				if (read(ep0, NULL, 0) < 0 && errno != EL2HLT)
					(void)0;
			} else {
				if (write(ep0, NULL, 0) < 0 && errno != EL2HLT)
					(void)0;
			}
		}
	}
}

/* ------------------------------------------------------------ IIO setup */

/* ------------------------------------------------------------ streaming */

struct stats {
	unsigned long long bytes, blocks, zc_blocks;
};

static size_t this_block(unsigned long long sent)
{
	unsigned long long left = total - sent;

	return left < block_size ? (size_t)left : block_size;
}

/* Try to set up zero-copy; on failure leave nothing attached and say why. */
static bool zc_setup(int buf_fd, int ep, int *dmabufs)
{
	struct dma_heap_alloc req;
	unsigned int i, ffs_ok = 0, iio_ok = 0;
	int heap;

	for (i = 0; i < nbufs; i++)
		dmabufs[i] = -1;

	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (heap < 0) {
		snprintf(reason, sizeof(reason), "open(/dev/dma_heap/system):%s",
			 strerror(errno));
		return false;
	}
	for (i = 0; i < nbufs; i++) {
		memset(&req, 0, sizeof(req));
		req.len = block_size;
		req.fd_flags = O_RDWR | O_CLOEXEC;
		if (ioctl(heap, DMA_HEAP_ALLOC, &req) < 0) {
			snprintf(reason, sizeof(reason), "DMA_HEAP_IOCTL_ALLOC:%s",
				 strerror(errno));
			goto fail;
		}
		dmabufs[i] = req.fd;
	}
	close(heap);
	heap = -1;

	/* USB first: a refusal there must not leave DMABUFs attached to IIO. */
	for (i = 0; i < nbufs; i++, ffs_ok++) {
		if (ioctl(ep, FFS_DMABUF_ATTACH, &dmabufs[i]) < 0) {
			snprintf(reason, sizeof(reason), "FUNCTIONFS_DMABUF_ATTACH:%s",
				 strerror(errno));
			goto fail;
		}
	}
	for (i = 0; i < nbufs; i++, iio_ok++) {
		if (ioctl(buf_fd, IIO_BUF_DMABUF_ATTACH, &dmabufs[i]) < 0) {
			snprintf(reason, sizeof(reason), "IIO_BUFFER_DMABUF_ATTACH:%s",
				 strerror(errno));
			goto fail;
		}
	}
	return true;

fail:
	for (i = 0; i < iio_ok; i++)
		ioctl(buf_fd, IIO_BUF_DMABUF_DETACH, &dmabufs[i]);
	for (i = 0; i < ffs_ok; i++)
		ioctl(ep, FFS_DMABUF_DETACH, &dmabufs[i]);
	for (i = 0; i < nbufs; i++)
		if (dmabufs[i] >= 0)
			close(dmabufs[i]);
	if (heap >= 0)
		close(heap);
	if (iio_ok)
		usleep(200000);	/* IIO releases detached blocks from a worker */
	for (i = 0; reason[i]; i++)	/* one word, for key=value parsers */
		if (reason[i] == ' ')
			reason[i] = '_';
	fprintf(stderr, "ffs-stream: zero-copy refused (%s), using the copy path\n", reason);
	return false;
}

/* -H: what iiod sends ahead of each RX block: an 8-byte response header, its own write */
static void put_header(int ep_in)
{
	static const unsigned char hdr[8] = { 1, 0, 0, 0, 0, 0, 0x10, 0 };

	if (headers)
		write_all(ep_in, (const char *)hdr, sizeof(hdr), "write header");
}

static void stream_zerocopy(int buf_fd, int ep_in, int *dmabufs, struct stats *st)
{
	unsigned long long queued = 0;	/* bytes handed to IIO */
	size_t lens[MAX_BUFS];
	unsigned long long k, nblocks = (total + block_size - 1) / block_size;
	unsigned int i;
	char len[32];

	/* the buffer is in DMABUF mode; length only matters for fileio */
	snprintf(len, sizeof(len), "%zu", 2 * block_size / 8);
	sysfs_write("buffer0/length", len);

	for (i = 0; i < nbufs && queued < total; i++) {
		lens[i] = this_block(queued);
		iio_enqueue(buf_fd, dmabufs[i], lens[i], 0);
		queued += lens[i];
	}
	sysfs_write("buffer0/enable", "1");

	for (k = 0; k < nblocks; k++) {
		unsigned int b = k % nbufs;
		struct ffs_dmabuf_transfer t = {
			.fd = dmabufs[b], .flags = 0, .length = lens[b],
		};

		/* the IIO "DMA" is done when the write fence is signalled */
		wait_fd(dmabufs[b], POLLIN, "IIO fence");
		put_header(ep_in);
		while (ioctl(ep_in, FFS_DMABUF_TRANSFER, &t) < 0) {
			if (errno == EINTR)
				continue;
			die("FUNCTIONFS_DMABUF_TRANSFER");
		}
		st->bytes += lens[b];
		st->blocks++;
		st->zc_blocks++;

		/* re-enqueue the block whose USB transfer is `depth - 1` behind */
		if (k + 1 >= depth) {
			unsigned int r = (k + 1 - depth) % nbufs;

			if (queued < total) {
				wait_fd(dmabufs[r], POLLOUT, "USB fence");
				lens[r] = this_block(queued);
				iio_enqueue(buf_fd, dmabufs[r], lens[r], 0);
				queued += lens[r];
			}
		}
	}
	/* wait for every outstanding USB transfer */
	for (i = 0; i < nbufs; i++)
		wait_fd(dmabufs[i], POLLOUT, "last USB fences");
	sysfs_write("buffer0/enable", "0");
}

static void stream_copy(int buf_fd, int ep_in, struct stats *st)
{
	char *buf = malloc(block_size);
	char len[32];

	if (!buf)
		die("malloc");
	/* two fileio blocks of block_size each */
	snprintf(len, sizeof(len), "%zu", 2 * block_size / 8);
	sysfs_write("buffer0/length", len);
	sysfs_write("buffer0/enable", "1");

	while (st->bytes < total) {
		size_t want = this_block(st->bytes), got = 0;

		while (got < want) {
			ssize_t n = read(buf_fd, buf + got, want - got);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN) {
					wait_fd(buf_fd, POLLIN, "IIO data");
					continue;
				}
				die("read IIO buffer");
			}
			if (n == 0) {
				fprintf(stderr, "ffs-stream: IIO buffer read returned 0\n");
				exit(1);
			}
			got += n;
		}
		put_header(ep_in);
		write_all(ep_in, buf, want, "write IN endpoint");
		st->bytes += want;
		st->blocks++;
	}
	sysfs_write("buffer0/enable", "0");
	free(buf);
}

static void stream_static(int ep_in, struct stats *st)
{
	uint16_t *buf = malloc(block_size);
	size_t i;

	if (!buf)
		die("malloc");
	/* block_size is a multiple of 128 KiB: every block continues the counter */
	for (i = 0; i < block_size / 2; i++)
		buf[i] = (uint16_t)i;
	while (st->bytes < total) {
		size_t want = this_block(st->bytes);

		put_header(ep_in);
		write_all(ep_in, buf, want, "write IN endpoint");
		st->bytes += want;
		st->blocks++;
	}
	free(buf);
}

static void ffs_transfer(int ep, int dmabuf, size_t len)
{
	struct ffs_dmabuf_transfer t = { .fd = dmabuf, .flags = 0, .length = len };

	while (ioctl(ep, FFS_DMABUF_TRANSFER, &t) < 0) {
		if (errno == EINTR)
			continue;
		die("FUNCTIONFS_DMABUF_TRANSFER");
	}
}

/* Wait until the DAC has consumed @words words (its blocks complete asynchronously). */
static void dac_wait_words(unsigned long long words)
{
	double t0 = now_s();

	while ((unsigned long long)sysfs_read_ll("sim_words") < words) {
		if (now_s() - t0 > BARE_POLL_TIMEOUT_MS / 1000.0) {
			fprintf(stderr, "ffs-stream: DAC consumed %llu of %llu words\n",
				(unsigned long long)sysfs_read_ll("sim_words"), words);
			exit(1);
		}
		usleep(1000);
	}
}

static void stream_zerocopy_tx(int buf_fd, int ep_out, int *dmabufs, struct stats *st)
{
	unsigned long long k, nblocks = (total + block_size - 1) / block_size;
	size_t lens[MAX_BUFS];
	unsigned int i;

	/* the host's data lands in the DMABUFs while the DAC buffer is enabled */
	for (k = 0; k < nbufs && k < nblocks; k++) {
		lens[k] = this_block(k * block_size);
		ffs_transfer(ep_out, dmabufs[k], lens[k]);
	}
	sysfs_write("buffer0/enable", "1");

	for (k = 0; k < nblocks; k++) {
		unsigned int b = k % nbufs;

		/* USB write fence: the OUT transfer has landed */
		wait_fd(dmabufs[b], POLLIN, "USB OUT fence");
		iio_enqueue(buf_fd, dmabufs[b], lens[b], 0);
		st->bytes += lens[b];
		st->blocks++;
		st->zc_blocks++;
		if (k + nbufs < nblocks) {
			/* all fences: the DAC has consumed the block */
			wait_fd(dmabufs[b], POLLOUT, "DAC fence");
			lens[b] = this_block((k + nbufs) * block_size);
			ffs_transfer(ep_out, dmabufs[b], lens[b]);
		}
	}
	for (i = 0; i < nbufs; i++)
		wait_fd(dmabufs[i], POLLOUT, "last DAC fences");
	dac_wait_words(total / 2);
	sysfs_write("buffer0/enable", "0");
}

static void stream_copy_tx(int buf_fd, int ep_out, struct stats *st)
{
	char *buf = malloc(block_size);
	char len[32];

	if (!buf)
		die("malloc");
	snprintf(len, sizeof(len), "%zu", 2 * block_size / 8);
	sysfs_write("buffer0/length", len);
	sysfs_write("buffer0/enable", "1");

	while (st->bytes < total) {
		size_t want = this_block(st->bytes), got = 0, put = 0;

		while (got < want) {
			ssize_t n = read(ep_out, buf + got, want - got);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				die("read OUT endpoint");
			}
			if (n == 0) {
				fprintf(stderr, "ffs-stream: OUT endpoint read returned 0\n");
				exit(1);
			}
			got += n;
		}
		while (put < want) {
			ssize_t n = write(buf_fd, buf + put, want - put);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN) {
					wait_fd(buf_fd, POLLOUT, "DAC space");
					continue;
				}
				die("write DAC buffer");
			}
			put += n;
		}
		st->bytes += want;
		st->blocks++;
	}
	/* fileio hands a block to the "DMA" when it is full: all of them are */
	dac_wait_words(total / 2);
	sysfs_write("buffer0/enable", "0");
	free(buf);
}

/* DMABUF ioctls before the function is bound must fail, not oops (patch 0002). */
static int early_ioctls(int ep_in)
{
	struct dma_heap_alloc req = { .len = block_size, .fd_flags = O_RDWR | O_CLOEXEC };
	struct ffs_dmabuf_transfer t = { .length = block_size };
	int heap, ok = 1, r;

	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (heap < 0 || ioctl(heap, DMA_HEAP_ALLOC, &req) < 0)
		die("dma-heap");
	t.fd = req.fd;

	r = ioctl(ep_in, FFS_DMABUF_ATTACH, &t.fd);
	printf("EARLY attach=%s", r < 0 ? strerror(errno) : "succeeded");
	ok &= r < 0;
	r = ioctl(ep_in, FFS_DMABUF_TRANSFER, &t);
	printf(" | transfer=%s", r < 0 ? strerror(errno) : "succeeded");
	ok &= r < 0;
	r = ioctl(ep_in, FFS_DMABUF_DETACH, &t.fd);
	printf(" | detach=%s", r < 0 ? strerror(errno) : "succeeded");
	ok &= r < 0;
	printf(" | %s\n", ok ? "ok" : "BAD");
	close(req.fd);
	close(heap);
	return ok ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ffs-stream [-m zerocopy|copy|static|zerocopy-tx|copy-tx|early]\n"
		"                  [-f FFS_DIR] [-d IIO_NAME]\n"
		"                  [-s BLOCK_BYTES] [-n NBUFS] [-q DEPTH] [-b TOTAL_BYTES]\n"
		"                  [-r READY_FILE] [-L LINGER_MS] [-W DONE_FILE] [-H]\n"
		"  -H  write an 8-byte header before every block, as iiod does (zerocopy,\n"
		"      copy, static; read with usb-reader -H BLOCK_BYTES)\n"
		"  -L  keep the function bound this long after the last transfer (the UDC may\n"
		"      complete a short last IN transfer before the host has read it)\n"
		"  -W  keep it bound until DONE_FILE exists (at most 30 s), e.g. created by\n"
		"      the host side once it has read everything\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int dmabufs[MAX_BUFS];
	struct stats st = { 0 };
	const char *used;
	int ep0, ep_in, ep_out, buf_fd = -1, c, ret = 0;
	double t0, c0, wall, cpu;

	while ((c = getopt(argc, argv, "m:f:d:s:n:q:b:r:L:W:hH")) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 'f': ffs_dir = optarg; break;
		case 'd': iio_name = optarg; break;
		case 's': block_size = strtoull(optarg, NULL, 0); break;
		case 'n': nbufs = atoi(optarg); break;
		case 'q': depth = atoi(optarg); break;
		case 'b': total = strtoull(optarg, NULL, 0); break;
		case 'r': ready_file = optarg; break;
		case 'L': linger_ms = atoi(optarg); break;
		case 'W': done_file = optarg; break;
		case 'H': headers = true; break;
		default: usage();
		}
	}
	if (strcmp(mode, "zerocopy") && strcmp(mode, "copy") && strcmp(mode, "static") &&
	    strcmp(mode, "zerocopy-tx") && strcmp(mode, "copy-tx") && strcmp(mode, "early"))
		usage();
	tx = strstr(mode, "-tx") != NULL;
	if (!iio_name)
		iio_name = tx ? "cf-ad9361-dds-core-lpc" : "cf-ad9361-lpc";
	if (!nbufs || nbufs > MAX_BUFS || !depth || depth > nbufs ||
	    !block_size || block_size % (128 << 10) || !total)
		usage();

	ep0 = ffs_setup(&ep_in, &ep_out);
	if (!strcmp(mode, "early"))
		return early_ioctls(ep_in);
	ffs_wait_enable(ep0);
	fprintf(stderr, "ffs-stream: function enabled\n");

	if (strcmp(mode, "static"))
		buf_fd = iio_open_buffer(iio_name, tx, 4);

	used = mode;
	if (!strcmp(mode, "zerocopy") && !zc_setup(buf_fd, ep_in, dmabufs))
		used = "copy";
	if (!strcmp(mode, "zerocopy-tx") && !zc_setup(buf_fd, ep_out, dmabufs))
		used = "copy-tx";

	t0 = now_s();
	c0 = cpu_s();
	if (!strcmp(used, "zerocopy"))
		stream_zerocopy(buf_fd, ep_in, dmabufs, &st);
	else if (!strcmp(used, "copy"))
		stream_copy(buf_fd, ep_in, &st);
	else if (!strcmp(used, "zerocopy-tx"))
		stream_zerocopy_tx(buf_fd, ep_out, dmabufs, &st);
	else if (!strcmp(used, "copy-tx"))
		stream_copy_tx(buf_fd, ep_out, &st);
	else
		stream_static(ep_in, &st);
	wall = now_s() - t0;
	cpu = cpu_s() - c0;

	printf("GADGET mode=%s used=%s bytes=%llu wall_s=%.3f cpu_s=%.3f cpu_s_per_gib=%.3f "
	       "blocks=%llu zc_blocks=%llu reason=%s",
	       mode, used, st.bytes, wall, cpu, cpu / (st.bytes / 1073741824.0),
	       st.blocks, st.zc_blocks, reason);
	if (tx)
		printf(" dac_words=%llu dac_errors=%llu", (unsigned long long)sysfs_read_ll("sim_words"),
		       (unsigned long long)sysfs_read_ll("sim_pattern_errors"));
	printf("\n");
	fflush(stdout);
	if (tx && ((unsigned long long)sysfs_read_ll("sim_pattern_errors") || (unsigned long long)sysfs_read_ll("sim_words") != total / 2))
		ret = 1;

	if (linger_ms)
		usleep(linger_ms * 1000);
	if (done_file) {
		int i;

		for (i = 0; i < 3000 && access(done_file, F_OK); i++)
			usleep(10000);
	}
	/* closing the endpoint files detaches the DMABUFs; closing ep0 unbinds */
	if (buf_fd >= 0)
		close(buf_fd);
	close(ep_in);
	close(ep_out);
	close(ep0);
	return ret;
}
