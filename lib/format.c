// SPDX-License-Identifier: LGPL-2.1-or-later
/* The scan format string "[bl]e:[sSuU]BITS/LENGTH[Xrepeat]>>SHIFT". */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_uint(const char **p, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (**p < '0' || **p > '9')
		return false;
	v = strtoul(*p, &end, 10);
	if (v > 4096)
		return false;
	*out = (unsigned int)v;
	*p = end;
	return true;
}

int iio_data_format_parse(struct iio_data_format *fmt, const char *str)
{
	struct iio_data_format f = { .repeat = 1 };
	const char *p = str;
	char sign;

	if (!str)
		return -EINVAL;
	if ((p[0] != 'b' && p[0] != 'l') || p[1] != 'e' || p[2] != ':')
		return -EINVAL;
	f.is_be = p[0] == 'b';
	p += 3;

	sign = *p++;
	if (sign != 's' && sign != 'S' && sign != 'u' && sign != 'U')
		return -EINVAL;
	f.is_signed = sign == 's' || sign == 'S';
	f.is_fully_defined = sign == 'S' || sign == 'U';

	if (!parse_uint(&p, &f.bits) || *p++ != '/' || !parse_uint(&p, &f.length))
		return -EINVAL;
	if (*p == 'X') {
		p++;
		if (!parse_uint(&p, &f.repeat) || !f.repeat)
			return -EINVAL;
	}
	if (p[0] != '>' || p[1] != '>')
		return -EINVAL;
	p += 2;
	if (!parse_uint(&p, &f.shift) || *p)
		return -EINVAL;
	/* Storage is whole bytes; the value must fit in it. */
	if (!f.length || f.length % 8 || f.bits > f.length || f.shift >= f.length)
		return -EINVAL;
	if (f.bits == f.length)
		f.is_fully_defined = true;

	/* Keep what the channel attributes gave us. */
	f.with_scale = fmt->with_scale;
	f.scale = fmt->scale;
	f.offset = fmt->offset;
	*fmt = f;
	return 0;
}

int iio_data_format_print(const struct iio_data_format *fmt, char *dst, size_t len)
{
	char sign = fmt->is_signed ? 's' : 'u';
	char repeat[16] = "";

	if (fmt->is_fully_defined)
		sign = (char)(sign - 'a' + 'A');
	if (fmt->repeat > 1)
		snprintf(repeat, sizeof(repeat), "X%u", fmt->repeat);
	return snprintf(dst, len, "%ce:%c%u/%u%s>>%u", fmt->is_be ? 'b' : 'l', sign, fmt->bits,
			fmt->length, repeat, fmt->shift);
}
