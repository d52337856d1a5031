// SPDX-License-Identifier: LGPL-2.1-or-later
/* Per-buffer counters of the USB data path, and where they are reported. */
#include "ffs-stats.h"

#include <iio/iio-debug.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const fallback_names[FFS_NB_FALLBACKS] = {
	[FFS_FALLBACK_OPTION] = "no-dmabuf-option",
	[FFS_FALLBACK_NO_DMABUF] = "no-dmabuf-fd",
	[FFS_FALLBACK_NOT_ENABLED] = "function-not-enabled",
	[FFS_FALLBACK_ATTACH] = "attach",
	[FFS_FALLBACK_CPU_ACCESS] = "cpu-access",
	[FFS_FALLBACK_TRANSFER] = "transfer",
};

const char *ffs_fallback_name(enum ffs_fallback why)
{
	return why < FFS_NB_FALLBACKS ? fallback_names[why] : "unknown";
}

void ffs_stats_note_fallback(struct ffs_buffer_stats *st, enum ffs_fallback why, int err)
{
	unsigned int i;

	st->fallbacks++;
	for (i = 0; i < st->nb_reasons; i++) {
		if (st->reasons[i].why == why && st->reasons[i].err == err) {
			st->reasons[i].count++;
			return;
		}
	}
	if (st->nb_reasons == FFS_STATS_MAX_REASONS)
		i = FFS_STATS_MAX_REASONS - 1; /* the last slot counts the rest */
	else
		st->nb_reasons++;
	st->reasons[i].why = why;
	st->reasons[i].err = err;
	st->reasons[i].count++;
}

static const char *errno_name(int err, char *buf, size_t len)
{
	const char *name = err ? strerrorname_np(err) : NULL;

	if (name)
		return name;
	snprintf(buf, len, "%d", err);
	return buf;
}

int ffs_stats_format(const struct ffs_buffer_stats *st, char *dst, size_t len)
{
	size_t pos;
	unsigned int i;
	int n;

	n = snprintf(dst, len,
		     "pipe=%u device=%s direction=%s zerocopy_blocks=%" PRIu64
		     " zerocopy_bytes=%" PRIu64 " copy_blocks=%" PRIu64 " copy_bytes=%" PRIu64
		     " fallbacks=%" PRIu64 " reasons=",
		     st->pipe, st->device[0] ? st->device : "?", st->is_output ? "tx" : "rx",
		     st->zerocopy_blocks, st->zerocopy_bytes, st->copy_blocks, st->copy_bytes,
		     st->fallbacks);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	pos = (size_t)n;
	for (i = 0; i < st->nb_reasons; i++) {
		char num[16];
		const struct ffs_fallback_count *r = &st->reasons[i];

		n = snprintf(dst + pos, len - pos, "%s%s%s%s:%" PRIu64, i ? "," : "",
			     ffs_fallback_name(r->why), r->err ? "/" : "",
			     r->err ? errno_name(r->err, num, sizeof(num)) : "", r->count);
		if (n < 0 || (size_t)n >= len - pos)
			return -ENOSPC;
		pos += (size_t)n;
	}
	n = snprintf(dst + pos, len - pos, "%s\n", st->nb_reasons ? "" : "none");
	if (n < 0 || (size_t)n >= len - pos)
		return -ENOSPC;
	return (int)(pos + (size_t)n);
}

static void make_parent_dir(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	mkdir(dir, 0755); /* one level (/run/iiod): the rest must exist */
}

int ffs_stats_sink_init(struct ffs_stats_sink *sink, const char *path,
			const struct iio_context_params *params)
{
	int fd;

	memset(sink, 0, sizeof(*sink));
	sink->params = params;
	pthread_mutex_init(&sink->lock, NULL);
	if (!path || !path[0])
		return 0;
	sink->path = strdup(path);
	if (!sink->path)
		return -ENOMEM;
	/* Each run starts an empty file: it describes this iiod's buffers. */
	make_parent_dir(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int err = errno;

		if (params)
			prm_warn(params,
				 "iiod: usb: cannot create the stats file %s: %s; "
				 "counters go to the log only\n",
				 path, strerror(err));
		sink->warned = true;
		return 0;
	}
	close(fd);
	return 0;
}

void ffs_stats_sink_fini(struct ffs_stats_sink *sink)
{
	free(sink->path);
	sink->path = NULL;
	pthread_mutex_destroy(&sink->lock);
}

void ffs_stats_emit(struct ffs_stats_sink *sink, const struct ffs_buffer_stats *st)
{
	char line[1024];
	int len = ffs_stats_format(st, line, sizeof(line));
	int fd;

	if (len < 0)
		return;
	if (sink->params)
		prm_info(sink->params, "iiod: usb: buffer closed: %s", line);
	else
		fprintf(stderr, "iiod: usb: buffer closed: %s", line);

	if (!sink->path)
		return;
	pthread_mutex_lock(&sink->lock);
	fd = open(sink->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, (size_t)len) != len) {
		if (!sink->warned && sink->params)
			prm_warn(sink->params,
				 "iiod: usb: cannot append to the stats file %s: %s\n", sink->path,
				 strerror(errno));
		sink->warned = true;
	}
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&sink->lock);
}
