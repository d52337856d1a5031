// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DMABUF blocks (local.md §10.4, kernel IIO DMABUF API, Linux >= 6.11): one
 * iio_block is one DMABUF from a DMA heap (else from udmabuf), mapped for the
 * CPU and attached to the IIO buffer before it is enabled. Enqueue hands it
 * to the kernel, which attaches a fence to it; dequeue polls the DMABUF fd
 * until that fence signals. CPU access is bracketed with DMA_BUF_IOCTL_SYNC,
 * and left out entirely after iio_block_disable_cpu_access() (iiod passing
 * the same DMABUF to USB never touches the samples).
 *
 * The first block of a buffer decides: if no DMABUF can be made or attached,
 * create_block answers -ENOSYS for this buffer from then on, and the core
 * moves its own blocks with read()/write(). The reason is kept.
 */
#include "buffer-io.h"
#include "uapi-dmabuf.h"
#include "uapi-iio.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct iio_block_pdata {
	struct iio_buffer_stream_pdata *stream;
	enum local_dmabuf_source source;
	int fd; /* the DMABUF */
	void *map;
	size_t size;		  /* as asked for */
	size_t map_size;	  /* rounded up to pages */
	bool enqueued;		  /* the kernel has it */
	bool cpu_access_disabled; /* no DMA_BUF_IOCTL_SYNC at all */
	bool cpu_owned;		  /* a SYNC START is in effect */
};

/* One failed step of the DMABUF chain. */
struct chain_error {
	enum local_io_step step;
	int err;
};

static const char *const source_names[LOCAL_DMABUF_NB_SOURCES] = {
	[LOCAL_DMABUF_HEAP] = "DMA heap",
	[LOCAL_DMABUF_UDMABUF] = "udmabuf",
};

/* Heaps a user may pick: the name ends up in a path, so only known ones. */
static const char *const known_heaps[] = {
	"system", "default_cma_region", "reserved", "linux,cma", "default-pool",
};

static int heap_name(struct iio_buffer_stream_pdata *pdata, const char **name)
{
	const char *env = secure_getenv(LOCAL_DMA_HEAP_ENV);
	unsigned int i;

	if (!env || !env[0]) {
		*name = LOCAL_DMA_HEAP_DEFAULT;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(known_heaps); i++) {
		if (!strcmp(env, known_heaps[i])) {
			*name = known_heaps[i];
			return 0;
		}
	}
	buf_err(pdata,
		"Unable to create a block: %s='%s' is not a known DMA heap (system, "
		"default_cma_region, reserved, linux,cma, default-pool)\n",
		LOCAL_DMA_HEAP_ENV, env);
	return -EINVAL;
}

static size_t page_round(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t align = page > 0 ? (size_t)page : 4096;

	if (size > SIZE_MAX - align)
		return 0;
	return (size + align - 1) / align * align;
}

/* A DMABUF from /dev/dma_heap/<heap>; its fd or a negative errno (step in *e). */
static int alloc_from_heap(struct iio_buffer_stream_pdata *pdata, const char *heap, size_t size,
			   struct chain_error *e)
{
	const struct local_sysio *sys = pdata->sys;
	struct local_dma_heap_alloc req = {
		.len = size,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	char path[PATH_MAX];
	int heap_fd, ret;

	ret = local_path(path, sizeof(path), pdata->dev->ctx->pdata->root, LOCAL_DMA_HEAP_DIR "/%s",
			 heap);
	if (ret < 0) {
		*e = (struct chain_error){LOCAL_STEP_HEAP_OPEN, ret};
		return ret;
	}
	heap_fd = sys->open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (heap_fd < 0) {
		*e = (struct chain_error){LOCAL_STEP_HEAP_OPEN, heap_fd};
		return heap_fd;
	}
	ret = sys->ioctl(heap_fd, LOCAL_DMA_HEAP_IOCTL_ALLOC, &req);
	sys->close(heap_fd);
	if (ret < 0) {
		*e = (struct chain_error){LOCAL_STEP_HEAP_ALLOC, ret};
		return ret;
	}
	return (int)req.fd;
}

/*
 * A DMABUF made by /dev/udmabuf from a memfd: the memfd must be sealed
 * against shrinking (the pages stay), size and offset page aligned.
 */
static int alloc_from_udmabuf(struct iio_buffer_stream_pdata *pdata, size_t size,
			      struct chain_error *e)
{
	const struct local_sysio *sys = pdata->sys;
	struct local_udmabuf_create req = {
		.flags = LOCAL_UDMABUF_FLAGS_CLOEXEC,
		.size = size,
	};
	char path[PATH_MAX];
	int dev_fd, memfd, ret;

	ret = local_path(path, sizeof(path), pdata->dev->ctx->pdata->root, LOCAL_UDMABUF_DEV);
	if (ret < 0) {
		*e = (struct chain_error){LOCAL_STEP_UDMABUF_OPEN, ret};
		return ret;
	}
	dev_fd = sys->open(path, O_RDWR | O_CLOEXEC, 0);
	if (dev_fd < 0) {
		*e = (struct chain_error){LOCAL_STEP_UDMABUF_OPEN, dev_fd};
		return dev_fd;
	}
	memfd = sys->memfd_create("libiio-block", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0) {
		ret = memfd;
		goto err_memfd;
	}
	ret = sys->ftruncate(memfd, (off_t)size);
	if (!ret)
		ret = sys->fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK);
	if (ret < 0)
		goto err_memfd;
	req.memfd = (uint32_t)memfd;
	ret = sys->ioctl(dev_fd, LOCAL_UDMABUF_CREATE, &req);
	sys->close(memfd);
	sys->close(dev_fd);
	if (ret < 0)
		*e = (struct chain_error){LOCAL_STEP_UDMABUF_CREATE, ret};
	return ret;

err_memfd:
	if (memfd >= 0)
		sys->close(memfd);
	sys->close(dev_fd);
	*e = (struct chain_error){LOCAL_STEP_MEMFD, ret};
	return ret;
}

static int sync_block(struct iio_block_pdata *block, uint64_t start_or_end)
{
	struct local_dma_buf_sync req = {.flags = start_or_end | LOCAL_DMA_BUF_SYNC_RW};
	int ret;

	/* START may wait for fences, interruptibly. */
	do {
		ret = block->stream->sys->ioctl(block->fd, LOCAL_DMA_BUF_IOCTL_SYNC, &req);
	} while (ret == -EINTR || ret == -EAGAIN);
	if (!ret)
		block->cpu_owned = start_or_end == LOCAL_DMA_BUF_SYNC_START;
	return ret;
}

static void release_dmabuf(struct iio_block_pdata *block)
{
	const struct local_sysio *sys = block->stream->sys;

	if (block->map)
		sys->munmap(block->map, block->map_size);
	if (block->fd >= 0)
		sys->close(block->fd);
}

/* Makes, maps and attaches one DMABUF from source. Lock held. */
static int make_block(struct iio_block_pdata *block, enum local_dmabuf_source source,
		      const char *heap, struct chain_error *e)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	const struct local_sysio *sys = pdata->sys;
	int ret;

	block->source = source;
	if (source == LOCAL_DMABUF_HEAP)
		ret = alloc_from_heap(pdata, heap, block->map_size, e);
	else
		ret = alloc_from_udmabuf(pdata, block->map_size, e);
	if (ret < 0)
		return ret;
	block->fd = ret;

	ret = sys->mmap(block->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, block->fd, 0,
			&block->map);
	if (ret < 0) {
		block->map = NULL;
		*e = (struct chain_error){LOCAL_STEP_MMAP, ret};
		goto err_release;
	}
	/* A new block is dequeued: the CPU owns it. */
	ret = sync_block(block, LOCAL_DMA_BUF_SYNC_START);
	if (ret < 0) {
		*e = (struct chain_error){LOCAL_STEP_SYNC, ret};
		goto err_release;
	}
	/* On the buffer fd, never on /dev/<id>; only while the buffer is disabled. */
	ret = sys->ioctl(pdata->fd, LOCAL_IIO_BUFFER_DMABUF_ATTACH_IOCTL, &block->fd);
	if (ret < 0) {
		*e = (struct chain_error){LOCAL_STEP_ATTACH, ret};
		goto err_release;
	}
	return 0;

err_release:
	release_dmabuf(block);
	block->fd = -1;
	block->map = NULL;
	block->cpu_owned = false;
	return ret;
}

/* Errors that only say "this kernel or machine cannot do it". */
static bool is_unsupported(int err)
{
	return err == -ENOENT || err == -ENODEV || err == -EPERM || err == -ENOTTY ||
	       err == -EOPNOTSUPP || err == -ENOSYS || err == -EACCES || err == -ENXIO;
}

static void note_fallback(struct iio_buffer_stream_pdata *pdata, const char *what, const char *to,
			  const struct chain_error *e)
{
	char text[128];

	iio_strerror(-e->err, text, sizeof(text));
	buf_dbg(pdata, "%s not used (%s: %s), using %s\n", what, local_io_step_name(e->step), text,
		to);
	/* Expected on kernels without the API; anything else deserves a word. */
	if (!is_unsupported(e->err))
		buf_warn(pdata, "%s failed at %s: %s; using %s\n", what,
			 local_io_step_name(e->step), text, to);
}

/* Gives up DMABUF for this buffer: the core's blocks and read()/write() take over. Lock held. */
static void *fall_back_to_fileio(struct iio_buffer_stream_pdata *pdata, const struct chain_error *e)
{
	pdata->info.path = LOCAL_IO_FILEIO;
	pdata->info.fileio = (struct local_io_fallback){e->step, e->err};
	note_fallback(pdata, "DMABUF", "read()/write()", e);
	return iio_ptr(-ENOSYS);
}

static void report_create_error(struct iio_buffer_stream_pdata *pdata, const struct chain_error *e,
				size_t size)
{
	if (e->step == LOCAL_STEP_ATTACH && e->err == -EBUSY)
		buf_err(pdata, "Unable to attach a DMABUF block: the buffer is enabled; create "
			       "every block before starting the stream\n");
	else
		buf_perror(pdata, e->err, "Unable to create a DMABUF block of %zu bytes (%s)", size,
			   local_io_step_name(e->step));
}

struct iio_block_pdata *local_create_block(struct iio_buffer_stream_pdata *pdata, size_t size,
					   void **data)
{
	struct chain_error e = {LOCAL_STEP_NONE, 0};
	struct iio_block_pdata *block;
	const char *heap = NULL;
	bool decided;
	int ret;

	pthread_mutex_lock(&pdata->lock);
	if (pdata->info.path == LOCAL_IO_FILEIO) {
		pthread_mutex_unlock(&pdata->lock);
		return iio_ptr(-ENOSYS);
	}
	if (atomic_load(&pdata->cancelled)) {
		pthread_mutex_unlock(&pdata->lock);
		return iio_ptr(-EBADF);
	}
	if (pdata->fd_is_chardev) {
		/* The DMABUF ioctls live on buffer fds only. */
		e = (struct chain_error){LOCAL_STEP_LEGACY_FD, -ENOTTY};
		block = fall_back_to_fileio(pdata, &e);
		pthread_mutex_unlock(&pdata->lock);
		return block;
	}
	decided = pdata->info.path == LOCAL_IO_DMABUF;
	if (!pdata->heap_given_up) {
		ret = heap_name(pdata, &heap);
		if (ret < 0) {
			pthread_mutex_unlock(&pdata->lock);
			return iio_ptr(ret);
		}
	}

	block = calloc(1, sizeof(*block));
	if (!block) {
		pthread_mutex_unlock(&pdata->lock);
		return iio_ptr(-ENOMEM);
	}
	block->stream = pdata;
	block->fd = -1;
	block->size = size;
	block->map_size = page_round(size);
	if (!block->map_size) {
		pthread_mutex_unlock(&pdata->lock);
		free(block);
		return iio_ptr(-EINVAL);
	}

	ret = -ENOENT;
	if (!pdata->heap_given_up) {
		ret = make_block(block, LOCAL_DMABUF_HEAP, heap, &e);
		if (ret < 0 && !(e.step == LOCAL_STEP_ATTACH && e.err == -EBUSY)) {
			pdata->info.source[LOCAL_DMABUF_HEAP] =
				(struct local_io_fallback){e.step, e.err};
			pdata->heap_given_up = true;
			note_fallback(pdata, source_names[LOCAL_DMABUF_HEAP], "udmabuf", &e);
			/* An attach refused for a heap DMABUF is refused for any. */
			if (e.step != LOCAL_STEP_ATTACH)
				ret = make_block(block, LOCAL_DMABUF_UDMABUF, NULL, &e);
			if (ret < 0 && e.step != LOCAL_STEP_ATTACH)
				pdata->info.source[LOCAL_DMABUF_UDMABUF] =
					(struct local_io_fallback){e.step, e.err};
		}
	} else {
		ret = make_block(block, LOCAL_DMABUF_UDMABUF, NULL, &e);
		if (ret < 0 && e.step != LOCAL_STEP_ATTACH)
			pdata->info.source[LOCAL_DMABUF_UDMABUF] =
				(struct local_io_fallback){e.step, e.err};
	}

	if (ret < 0) {
		free(block);
		/* Attached blocks turn read()/write() off: no fallback once one exists. */
		if (!decided && !(e.step == LOCAL_STEP_ATTACH && e.err == -EBUSY)) {
			block = fall_back_to_fileio(pdata, &e);
			pthread_mutex_unlock(&pdata->lock);
			return block;
		}
		pthread_mutex_unlock(&pdata->lock);
		report_create_error(pdata, &e, size);
		return iio_ptr(e.err);
	}

	if (!decided)
		buf_dbg(pdata, "zero-copy: DMABUF blocks from %s\n", source_names[block->source]);
	pdata->info.path = LOCAL_IO_DMABUF;
	pdata->info.nb_blocks[block->source]++;
	if (!pdata->nb_dmabuf_blocks++ || size < pdata->min_block_size)
		pdata->min_block_size = size;
	pthread_mutex_unlock(&pdata->lock);

	*data = block->map;
	return block;
}

void local_free_block(struct iio_block_pdata *block)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	int ret;

	/* Also fine while enqueued: the kernel keeps its own reference until done. */
	ret = pdata->sys->ioctl(pdata->fd, LOCAL_IIO_BUFFER_DMABUF_DETACH_IOCTL, &block->fd);
	if (ret < 0)
		buf_dbg(pdata, "detaching a DMABUF failed: %d\n", ret);
	if (block->cpu_owned)
		(void)sync_block(block, LOCAL_DMA_BUF_SYNC_END);
	release_dmabuf(block);

	pthread_mutex_lock(&pdata->lock);
	if (!--pdata->nb_dmabuf_blocks)
		pdata->min_block_size = 0;
	pthread_mutex_unlock(&pdata->lock);
	free(block);
}

int local_enqueue_block(struct iio_block_pdata *block, size_t bytes_used, bool cyclic)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	struct local_iio_dmabuf req = {
		.fd = (uint32_t)block->fd,
		.flags = cyclic ? LOCAL_IIO_BUFFER_DMABUF_CYCLIC : 0,
		.bytes_used = bytes_used,
	};
	bool was_owned = block->cpu_owned;
	int ret;

	if (block->enqueued) {
		buf_err(pdata, "Unable to enqueue a DMABUF block: already enqueued\n");
		return -EPERM;
	}
	if (!bytes_used || bytes_used > block->size) {
		buf_err(pdata,
			"Unable to enqueue a DMABUF block: %zu bytes used, the block has "
			"%zu\n",
			bytes_used, block->size);
		return -EINVAL;
	}
	if (atomic_load(&pdata->cancelled))
		return -EBADF;

	if (was_owned) {
		ret = sync_block(block, LOCAL_DMA_BUF_SYNC_END);
		if (ret < 0) {
			buf_perror(pdata, ret, "Unable to end CPU access to a DMABUF block");
			return ret;
		}
	}
	ret = pdata->sys->ioctl(pdata->fd, LOCAL_IIO_BUFFER_DMABUF_ENQUEUE_IOCTL, &req);
	if (ret < 0) {
		/* Still the application's: give the CPU its access back. */
		if (was_owned)
			(void)sync_block(block, LOCAL_DMA_BUF_SYNC_START);
		if (ret == -EBUSY)
			buf_err(pdata, "Unable to enqueue a DMABUF block: still in use by the "
				       "hardware (a fence did not signal)\n");
		else if (ret == -EPERM)
			buf_err(pdata, "Unable to enqueue a DMABUF block: the kernel has it "
				       "queued already\n");
		else if (ret == -ENODEV)
			buf_err(pdata, "Unable to enqueue a DMABUF block: the device is gone\n");
		else
			buf_perror(pdata, ret, "Unable to enqueue a DMABUF block (%zu bytes%s)",
				   bytes_used, cyclic ? ", cyclic" : "");
		return ret;
	}
	block->enqueued = true;
	return 0;
}

int local_dequeue_block(struct iio_block_pdata *block, bool nonblock)
{
	struct iio_buffer_stream_pdata *pdata = block->stream;
	struct local_deadline dl;
	int ret;

	if (!block->enqueued) {
		buf_err(pdata, "Unable to dequeue a DMABUF block: not enqueued\n");
		return -EPERM;
	}
	/* The kernel's fence on the DMABUF signals when the transfer is done. */
	local_deadline_start(&dl, nonblock ? 0 : local_io_timeout(pdata));
	ret = local_io_wait(pdata, block->fd, POLLOUT, &dl);
	if (ret == -ETIMEDOUT) {
		if (nonblock)
			return -EBUSY;
		buf_dbg(pdata, "DMABUF block not done after %d ms\n", local_io_timeout(pdata));
		return -ETIMEDOUT;
	}
	/* From here on the core considers the block dequeued. */
	block->enqueued = false;
	if (ret < 0) {
		if (ret == -EBADF)
			buf_dbg(pdata, "DMABUF dequeue ended by a cancel\n");
		else
			buf_perror(pdata, ret, "Unable to wait for a DMABUF block");
		return ret;
	}
	if (!(ret & POLLOUT)) {
		buf_err(pdata, "Unable to wait for a DMABUF block: poll returned 0x%x\n",
			(unsigned int)ret);
		return -EIO;
	}
	if (!block->cpu_access_disabled) {
		ret = sync_block(block, LOCAL_DMA_BUF_SYNC_START);
		if (ret < 0) {
			buf_perror(pdata, ret, "Unable to start CPU access to a DMABUF block");
			return ret;
		}
	}
	return 0;
}

int local_get_dmabuf_fd(struct iio_block_pdata *block)
{
	return block->fd;
}

int local_disable_cpu_access(struct iio_block_pdata *block, bool disable)
{
	int ret = 0;

	/* While the kernel has the block, the next dequeue applies the choice. */
	if (!block->enqueued) {
		if (disable && block->cpu_owned)
			ret = sync_block(block, LOCAL_DMA_BUF_SYNC_END);
		else if (!disable && !block->cpu_owned)
			ret = sync_block(block, LOCAL_DMA_BUF_SYNC_START);
	}
	if (ret < 0) {
		buf_perror(block->stream, ret, "Unable to %s CPU access to a DMABUF block",
			   disable ? "end" : "start");
		return ret;
	}
	block->cpu_access_disabled = disable;
	return 0;
}
