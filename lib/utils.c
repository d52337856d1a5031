// SPDX-License-Identifier: LGPL-2.1-or-later
/* Small string, number and error helpers used across the library. */
#include "internal.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void iio_strerror(int err, char *dst, size_t len)
{
	char tmp[128];
	const char *msg;
	int code = err < 0 ? -err : err;

	if (!dst || !len)
		return;

	/* The GNU strerror_r returns the message, possibly not in tmp. */
	msg = strerror_r(code, tmp, sizeof(tmp));
	if (msg && strncmp(msg, "Unknown error", 13) != 0)
		snprintf(dst, len, "%s (%d)", msg, -code);
	else
		snprintf(dst, len, "Unknown error %d", -code);
}

char *iio_strdup_or_null(const char *str)
{
	return str ? strdup(str) : NULL;
}

size_t iio_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* The "C" locale object, created once; newlocale() is thread-safe. */
static locale_t c_locale(void)
{
	static locale_t loc;

	if (!__atomic_load_n(&loc, __ATOMIC_ACQUIRE)) {
		locale_t l = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
		locale_t expected = (locale_t)0;

		if (!__atomic_compare_exchange_n(&loc, &expected, l, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE) && l)
			freelocale(l);
	}
	return loc;
}

double iio_strtod_c(const char *str, char **end)
{
	locale_t loc = c_locale();

	return loc ? strtod_l(str, end, loc) : strtod(str, end);
}

int iio_format_double_c(char *dst, size_t len, const char *fmt, double val)
{
	locale_t loc = c_locale(), old;
	int ret;

	if (!loc)
		return snprintf(dst, len, fmt, val);
	old = uselocale(loc);
	ret = snprintf(dst, len, fmt, val);
	uselocale(old);
	return ret;
}

int iio_resolve_timeout(int timeout_ms, unsigned int backend_default)
{
	if (timeout_ms == IIO_TIMEOUT_BACKEND)
		return (int)backend_default;
	if (timeout_ms == IIO_TIMEOUT_NONBLOCK)
		return 0;
	if (timeout_ms == IIO_TIMEOUT_INFINITE || timeout_ms > 0)
		return timeout_ms;
	return -EINVAL;
}

const char *iio_library_version_tag(void)
{
	return LIBIIO_VERSION_GIT;
}
