/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A channel's scan format as the tools print it, e.g. "le:S12/16>>0". */
#ifndef IIO_TOOLS_DATA_FORMAT_H
#define IIO_TOOLS_DATA_FORMAT_H

#include <stddef.h>
#include <iio/iio.h>

/* Letters as in the XML format, a literal ">>", uppercase S/U when fully
 * defined, "X<repeat>" when a sample holds several elements. */
void data_format_string(const struct iio_data_format *fmt, char *dst, size_t len);

#endif /* IIO_TOOLS_DATA_FORMAT_H */
