// SPDX-License-Identifier: LGPL-2.1-or-later
/* Log output through a context's parameters: level filter, stream choice, timestamps. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static struct timespec library_start;

__attribute__((constructor)) static void log_init(void)
{
	clock_gettime(CLOCK_MONOTONIC, &library_start);
}

void iio_prm_printf(const struct iio_context_params *params, enum iio_log_level msg_level,
		    const char *fmt, ...)
{
	enum iio_log_level level = DEFAULT_LOG_LEVEL, stderr_level = LEVEL_WARNING;
	enum iio_log_level ts_level = LEVEL_DEBUG;
	FILE *out = stdout, *err = stderr, *dst;
	va_list ap;

	if (params) {
		if (params->log_level)
			level = params->log_level;
		if (params->stderr_level)
			stderr_level = params->stderr_level;
		if (params->timestamp_level)
			ts_level = params->timestamp_level;
		if (params->out)
			out = params->out;
		if (params->err)
			err = params->err;
	}
	if (msg_level > level || level == LEVEL_NOLOG)
		return;

	dst = msg_level <= stderr_level ? err : out;
	if (ts_level != LEVEL_NOLOG && msg_level >= ts_level) {
		struct timespec now;
		long long us;

		clock_gettime(CLOCK_MONOTONIC, &now);
		us = (now.tv_sec - library_start.tv_sec) * 1000000LL +
		     (now.tv_nsec - library_start.tv_nsec) / 1000;
		fprintf(dst, "(%lld.%06llds) ", us / 1000000, us % 1000000);
	}
	va_start(ap, fmt);
	vfprintf(dst, fmt, ap);
	va_end(ap);
}
