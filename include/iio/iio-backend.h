/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Public layout of struct iio_attr, for programs (such as upstream's
 * iio_info) that read attr->type directly. Backends are built into the
 * library; this fork does not load external backend modules.
 */
#ifndef IIO_IIO_BACKEND_H
#define IIO_IIO_BACKEND_H

#include <iio/iio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum iio_attr_type {
	IIO_ATTR_TYPE_DEVICE = 0,
	IIO_ATTR_TYPE_DEBUG,
	IIO_ATTR_TYPE_DEVICE_EVENT,
	IIO_ATTR_TYPE_BUFFER,
	IIO_ATTR_TYPE_CHANNEL,
	IIO_ATTR_TYPE_CHANNEL_EVENT,
	IIO_ATTR_TYPE_CONTEXT,
};

union iio_pointer {
	const struct iio_context *ctx;
	const struct iio_device *dev;
	const struct iio_channel *chn;
	const struct iio_buffer *buf;
};

struct iio_attr {
	union iio_pointer iio;      /* the object the attribute belongs to */
	enum iio_attr_type type;
	const char *name;           /* name in the API, e.g. "raw" */
	const char *filename;       /* backing file, e.g. "in_voltage0_raw" */
};

#ifdef __cplusplus
}
#endif

#endif /* IIO_IIO_BACKEND_H */
