/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The object model shared by the core and the backends: contexts, devices,
 * channels, hardware buffers and attribute lists, with the constructors the
 * backends (and the XML parser) use to build a context.
 *
 * Never installed. Backends include this and lib/backend.h; nothing in lib/
 * includes a backend.
 */
#ifndef IIO_LIB_INTERNAL_H
#define IIO_LIB_INTERNAL_H

#include "iio-config.h"

#include <iio/iio.h>
#include <iio/iio-backend.h>
#include <iio/iio-debug.h>

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Marks a function private to the library even under default visibility. */
#define iio_hidden __attribute__((visibility("hidden")))

struct iio_backend;
struct iio_context_pdata;
struct iio_device_pdata;
struct iio_channel_pdata;
struct iio_buffer_pdata;

/* A sorted (strcmp on name) array of attributes of one kind. */
struct iio_attr_list {
	struct iio_attr *attrs;
	char **values;          /* context attributes: their static values; else NULL */
	unsigned int count;
};

enum iio_buffer_direction {
	IIO_BUFFER_DIRECTION_UNKNOWN = 0,
	IIO_BUFFER_DIRECTION_IN,
	IIO_BUFFER_DIRECTION_OUT,
};

struct iio_context {
	const struct iio_backend *backend;
	struct iio_context_pdata *pdata;       /* owned by the backend */
	struct iio_context_params params;      /* resolved copy */
	char *name;                            /* backend name ("local", "xml", "ip", "usb") */
	char *description;                     /* never NULL */
	/* Version of the context's producer (the library itself, or a remote iiod). */
	unsigned int version_major, version_minor;
	char *version_tag;
	struct iio_attr_list attrs;
	struct iio_device **devices;
	unsigned int nb_devices;
	void *userdata;
};

struct iio_device {
	struct iio_context *ctx;
	struct iio_device_pdata *pdata;        /* owned by the backend */
	char *id, *name, *label;
	struct iio_attr_list attrs, debug_attrs, event_attrs;
	struct iio_channel **channels;         /* sorted by iio_context_init() */
	unsigned int nb_channels;
	struct iio_buffer **buffers;           /* index = hardware buffer number */
	unsigned int nb_buffers;
	void *userdata;
};

struct iio_channel {
	struct iio_device *dev;
	struct iio_channel_pdata *pdata;       /* owned by the backend */
	char *id, *name, *label;
	bool is_output;
	bool is_scan_element;
	long index;                            /* scan index, or -ENOENT */
	unsigned int number;                   /* bit in a channels mask */
	enum iio_chan_type type;
	enum iio_modifier modifier;
	struct iio_data_format format;
	struct iio_attr_list attrs, event_attrs;
	void *userdata;
};

struct iio_buffer {
	struct iio_device *dev;
	struct iio_buffer_pdata *pdata;        /* owned by the backend */
	unsigned int index;
	enum iio_buffer_direction direction;
	struct iio_attr_list attrs;
	struct iio_channel **scan_elements;    /* sorted like the device's channels */
	unsigned int nb_scan_elements;
	void *userdata;
};

/* Bit n is the channel whose number is n. */
struct iio_channels_mask {
	unsigned int words;
	uint32_t mask[];
};

static inline bool iio_mask_test(const struct iio_channels_mask *mask, unsigned int bit)
{
	return bit / 32 < mask->words && (mask->mask[bit / 32] & (1u << (bit % 32)));
}

static inline void iio_mask_set(struct iio_channels_mask *mask, unsigned int bit)
{
	if (bit / 32 < mask->words)
		mask->mask[bit / 32] |= 1u << (bit % 32);
}

static inline void iio_mask_clear(struct iio_channels_mask *mask, unsigned int bit)
{
	if (bit / 32 < mask->words)
		mask->mask[bit / 32] &= ~(1u << (bit % 32));
}

/* ---- Building a context (backends, XML parser) --------------------------- */

/*
 * Creates an empty context for a backend. params may be NULL; the timeout is
 * resolved against the backend's default. description may be NULL ("").
 * Returns an error pointer on failure.
 */
iio_hidden struct iio_context *iio_context_new(const struct iio_backend *backend,
					       const struct iio_context_params *params,
					       const char *description);
/* Adds or replaces a context attribute. */
iio_hidden int iio_context_add_attr(struct iio_context *ctx, const char *name, const char *value);
/* The version the context reports (a remote server's); tag NULL keeps the library's. */
iio_hidden int iio_context_set_version(struct iio_context *ctx, unsigned int major,
				       unsigned int minor, const char *tag);
/* name and label may be NULL. Returns an error pointer on failure. */
iio_hidden struct iio_device *iio_context_add_device(struct iio_context *ctx, const char *id,
						     const char *name, const char *label);
/*
 * Adds a channel; its type and modifier are derived from id (hwmon table for
 * hwmon devices). index < 0: not indexed. Returns an error pointer on failure.
 */
iio_hidden struct iio_channel *iio_device_add_channel(struct iio_device *dev, const char *id,
						      bool output, long index);
iio_hidden int iio_channel_set_name(struct iio_channel *chn, const char *name);
iio_hidden int iio_channel_set_label(struct iio_channel *chn, const char *label);
/* The channel with this id and direction, or NULL. */
iio_hidden struct iio_channel *iio_device_lookup_channel(const struct iio_device *dev,
							 const char *id, bool output);
/* type: IIO_ATTR_TYPE_DEVICE, _DEBUG or _DEVICE_EVENT. filename NULL: same as name. */
iio_hidden int iio_device_add_attr(struct iio_device *dev, const char *name,
				   const char *filename, enum iio_attr_type type);
/* type: IIO_ATTR_TYPE_CHANNEL or _CHANNEL_EVENT. filename NULL: same as name. */
iio_hidden int iio_channel_add_attr(struct iio_channel *chn, const char *name,
				    const char *filename, enum iio_attr_type type);
iio_hidden struct iio_buffer *iio_device_add_buffer(struct iio_device *dev, unsigned int index,
						    enum iio_buffer_direction direction);
iio_hidden int iio_buffer_add_attr(struct iio_buffer *buf, const char *name);
iio_hidden int iio_buffer_add_scan_element(struct iio_buffer *buf, struct iio_channel *chn);

/*
 * Finishes a context built by a backend: sorts devices and channels, numbers
 * the channels, then re-reads scan formats and every channel's scale/offset.
 * On failure the caller destroys the context.
 */
iio_hidden int iio_context_init(struct iio_context *ctx);

/* The context an attribute belongs to, whatever its kind. */
iio_hidden const struct iio_context *iio_attr_get_context(const struct iio_attr *attr);

/* Removes an attribute from a list (used when a backend moves shared attributes). */
iio_hidden void iio_attr_list_remove(struct iio_attr_list *list, const char *name);
iio_hidden const struct iio_attr *iio_attr_list_find(const struct iio_attr_list *list,
						     const char *name);
iio_hidden void iio_attr_list_free(struct iio_attr_list *list);

/* ---- XML (lib/xml-writer.c, lib/xml-reader.c) ----------------------------- */

/* The context description (xml.md); with_values reads and embeds attribute values. */
iio_hidden char *iio_context_xml_generate(const struct iio_context *ctx, bool with_values);

/* ---- Helpers ------------------------------------------------------------- */

/* Parses "[bl]e:[sSuU]BITS/LENGTH[Xrepeat]>>SHIFT". Returns 0 or -EINVAL. */
iio_hidden int iio_data_format_parse(struct iio_data_format *fmt, const char *str);
/* Prints the format back in the kernel's form (uppercase S/U when fully defined). */
iio_hidden int iio_data_format_print(const struct iio_data_format *fmt, char *dst, size_t len);

/* Channel type/modifier from a channel id (api.md §8). */
iio_hidden enum iio_chan_type iio_channel_type_from_id(const char *id, bool hwmon);
iio_hidden enum iio_modifier iio_channel_modifier_from_id(const char *id);
/* Length of the modifier name at str if str starts with one followed by NUL or '_', else 0. */
iio_hidden size_t iio_modifier_prefix_len(const char *str);

/* Timeout resolution of api.md §1.3: returns the stored value or -EINVAL. */
iio_hidden int iio_resolve_timeout(int timeout_ms, unsigned int backend_default);

iio_hidden char *iio_strdup_or_null(const char *str);
iio_hidden size_t iio_strlcpy(char *dst, const char *src, size_t size);
/* strtod in the "C" locale, whatever the program's locale is. */
iio_hidden double iio_strtod_c(const char *str, char **end);
/* snprintf of a double in the "C" locale. */
iio_hidden int iio_format_double_c(char *dst, size_t len, const char *fmt, double val);

/* Version of this library. */
iio_hidden const char *iio_library_version_tag(void);

#endif /* IIO_LIB_INTERNAL_H */
