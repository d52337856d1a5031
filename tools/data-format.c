// SPDX-License-Identifier: GPL-2.0-or-later
/* A channel's scan format as the tools print it, e.g. "le:S12/16>>0". */
#include "data-format.h"

#include <stdio.h>

void data_format_string(const struct iio_data_format *fmt, char *dst, size_t len)
{
	char repeat[16] = "";
	char sign = fmt->is_signed ? 's' : 'u';

	if (fmt->is_fully_defined)
		sign = fmt->is_signed ? 'S' : 'U';
	if (fmt->repeat > 1)
		snprintf(repeat, sizeof(repeat), "X%u", fmt->repeat);
	snprintf(dst, len, "%ce:%c%u/%u%s>>%u", fmt->is_be ? 'b' : 'l', sign, fmt->bits,
		 fmt->length, repeat, fmt->shift);
}
