/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which path each block of a USB buffer took: counters per buffer, reported
 * when the buffer's last block goes (a log line, and a line appended to the
 * stats file: `iiod --usb-stats FILE`, default /run/iiod/usb-stats; the
 * format is in iiod/usb/README.md).
 */
#ifndef IIOD_USB_FFS_STATS_H
#define IIOD_USB_FFS_STATS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct iio_context_params;

#define FFS_STATS_DEFAULT_PATH "/run/iiod/usb-stats"

/* Why a block (or one transfer of it) did not go zero-copy. */
enum ffs_fallback {
	FFS_FALLBACK_OPTION,	  /* --no-dmabuf */
	FFS_FALLBACK_NO_DMABUF,	  /* the block has no DMABUF fd (fileio, malloc) */
	FFS_FALLBACK_NOT_ENABLED, /* the USB function was not enabled at CREATE_BLOCK */
	FFS_FALLBACK_ATTACH,	  /* FUNCTIONFS_DMABUF_ATTACH refused */
	FFS_FALLBACK_CPU_ACCESS,  /* iio_block_disable_cpu_access() failed */
	FFS_FALLBACK_TRANSFER,	  /* FUNCTIONFS_DMABUF_TRANSFER refused: that transfer copied */
	FFS_NB_FALLBACKS,
};

#define FFS_STATS_MAX_REASONS 8

struct ffs_fallback_count {
	enum ffs_fallback why;
	int err; /* errno (positive), 0 when not from a syscall */
	uint64_t count;
};

struct ffs_buffer_stats {
	const void *key; /* the iio_buffer_stream */
	char device[64];
	bool is_output;
	unsigned int pipe;
	unsigned int live_blocks;
	uint64_t zerocopy_blocks, zerocopy_bytes;
	uint64_t copy_blocks, copy_bytes;
	uint64_t fallbacks;
	struct ffs_fallback_count reasons[FFS_STATS_MAX_REASONS];
	unsigned int nb_reasons;
	struct ffs_buffer_stats *next;
};

/* Where finished buffers' counters go; shared by every pipe. */
struct ffs_stats_sink {
	pthread_mutex_t lock;
	const struct iio_context_params *params; /* log lines; NULL: stderr */
	char *path;				 /* NULL: log only */
	bool warned;				 /* the file could not be written: said once */
};

int ffs_stats_sink_init(struct ffs_stats_sink *sink, const char *path,
			const struct iio_context_params *params);
void ffs_stats_sink_fini(struct ffs_stats_sink *sink);

void ffs_stats_note_fallback(struct ffs_buffer_stats *st, enum ffs_fallback why, int err);
/* A name for the reason, e.g. "attach" (stable: tests and the file use it). */
const char *ffs_fallback_name(enum ffs_fallback why);

/* Formats the file line ("pipe=1 device=... \n"); returns its length. */
int ffs_stats_format(const struct ffs_buffer_stats *st, char *dst, size_t len);
/* Logs and appends st. */
void ffs_stats_emit(struct ffs_stats_sink *sink, const struct ffs_buffer_stats *st);

#endif /* IIOD_USB_FFS_STATS_H */
