/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging through a context's parameters (levels, streams, timestamps). */
#ifndef IIO_IIO_DEBUG_H
#define IIO_IIO_DEBUG_H

#include <iio/iio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Prints when msg_level <= params->log_level; params NULL: library defaults. */
__api void iio_prm_printf(const struct iio_context_params *params, enum iio_log_level msg_level,
			  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define prm_err(params, ...) iio_prm_printf((params), LEVEL_ERROR, "ERROR: " __VA_ARGS__)
#define prm_warn(params, ...) iio_prm_printf((params), LEVEL_WARNING, "WARNING: " __VA_ARGS__)
#define prm_info(params, ...) iio_prm_printf((params), LEVEL_INFO, __VA_ARGS__)
#define prm_dbg(params, ...) iio_prm_printf((params), LEVEL_DEBUG, "DEBUG: " __VA_ARGS__)

#define ctx_err(ctx, ...) prm_err(iio_context_get_params(ctx), __VA_ARGS__)
#define ctx_warn(ctx, ...) prm_warn(iio_context_get_params(ctx), __VA_ARGS__)
#define ctx_info(ctx, ...) prm_info(iio_context_get_params(ctx), __VA_ARGS__)
#define ctx_dbg(ctx, ...) prm_dbg(iio_context_get_params(ctx), __VA_ARGS__)

#define dev_params_(dev) iio_context_get_params(iio_device_get_context(dev))
#define dev_err(dev, fmt, ...)                                                          \
	prm_err(dev_params_(dev), "%s: " fmt, iio_device_get_id(dev), ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)                                                         \
	prm_warn(dev_params_(dev), "%s: " fmt, iio_device_get_id(dev), ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)                                                         \
	prm_info(dev_params_(dev), "%s: " fmt, iio_device_get_id(dev), ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)                                                          \
	prm_dbg(dev_params_(dev), "%s: " fmt, iio_device_get_id(dev), ##__VA_ARGS__)

#define chn_params_(chn) dev_params_(iio_channel_get_device(chn))
#define chn_err(chn, fmt, ...)                                                          \
	prm_err(chn_params_(chn), "%s: %s: " fmt,                                      \
		iio_device_get_id(iio_channel_get_device(chn)), iio_channel_get_id(chn),   \
		##__VA_ARGS__)
#define chn_warn(chn, fmt, ...)                                                         \
	prm_warn(chn_params_(chn), "%s: %s: " fmt,                                     \
		 iio_device_get_id(iio_channel_get_device(chn)), iio_channel_get_id(chn),  \
		 ##__VA_ARGS__)
#define chn_dbg(chn, fmt, ...)                                                          \
	prm_dbg(chn_params_(chn), "%s: %s: " fmt,                                      \
		iio_device_get_id(iio_channel_get_device(chn)), iio_channel_get_id(chn),   \
		##__VA_ARGS__)

/* The *_perror forms append ": <strerror text> (<err>)". */
#define prm_perror(params, err, fmt, ...)                                               \
	do {                                                                            \
		char buf_[256];                                                         \
		iio_strerror(-(err), buf_, sizeof(buf_));                               \
		prm_err(params, fmt ": %s\n", ##__VA_ARGS__, buf_);                     \
	} while (0)
#define ctx_perror(ctx, err, ...) prm_perror(iio_context_get_params(ctx), err, __VA_ARGS__)
#define dev_perror(dev, err, fmt, ...)                                                  \
	prm_perror(dev_params_(dev), err, "%s: " fmt, iio_device_get_id(dev), ##__VA_ARGS__)
#define chn_perror(chn, err, fmt, ...)                                                  \
	prm_perror(chn_params_(chn), err, "%s: %s: " fmt,                              \
		   iio_device_get_id(iio_channel_get_device(chn)), iio_channel_get_id(chn), \
		   ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* IIO_IIO_DEBUG_H */
