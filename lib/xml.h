/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private XML helpers shared by the xml: backend, the remote backends (which
 * receive the context description from a server) and iiod (which serves it).
 *
 * The writer is iio_context_xml_generate() (lib/internal.h); the one-step
 * reader is iio_context_from_xml() (lib/backend.h).
 */
#ifndef IIO_LIB_XML_H
#define IIO_LIB_XML_H

#include "backend.h"

/* Largest document accepted, after decompression. */
#define IIO_XML_MAX_SIZE (16u << 20)

/* Limits against hostile documents (also keep the sorted inserts fast). */
#define IIO_XML_MAX_DEVICES 4096u
#define IIO_XML_MAX_CHANNELS 4096u     /* per device */
#define IIO_XML_MAX_BUFFERS 256u       /* per device */
#define IIO_XML_MAX_ATTRS 4096u        /* per attribute list */

/* ---- zstd (lib/xml-compress.c) ------------------------------------------- */

/* True when data starts with a zstd frame's magic number. */
iio_hidden bool iio_xml_is_zstd(const void *data, size_t len);

/*
 * Decompresses a zstd blob (one frame whose content size is recorded, as
 * iiod's ZPRINT sends) of at most IIO_XML_MAX_SIZE bytes. *out is malloc'd and
 * NUL-terminated; *out_len excludes the NUL. Returns 0, -EIO for a corrupt or
 * unsized frame, -EFBIG when too large, -ENOMEM, or -ENOSYS without zstd.
 */
iio_hidden int iio_xml_decompress(const void *src, size_t len, char **out, size_t *out_len);

/* Compresses with zstd level 3 (iiod's ZPRINT blob). *out is malloc'd. Same errors. */
iio_hidden int iio_xml_compress(const char *xml, size_t len, void **out, size_t *out_len);

/* ---- Reading (lib/xml-reader.c, lib/xml-values.c) ------------------------ */

/* The value= of each attribute of a document, looked up by attribute. */
struct iio_xml_values;

/*
 * Builds the context a document describes (plain XML, or zstd-compressed)
 * WITHOUT calling iio_context_init(): a backend whose read_attr needs its
 * pdata sets it first, then calls iio_context_init() itself (which reads
 * every channel's scale/offset through the backend) and destroys the context
 * if that fails. values NULL: the document's value= attributes are ignored;
 * else *values receives them (possibly NULL when there are none), to free with
 * iio_xml_values_free(). Returns the context or an error pointer (-EINVAL for
 * a malformed document, with a message naming the element, -ENOMEM ...).
 */
iio_hidden struct iio_context *iio_xml_build_context(const struct iio_backend *backend,
						     const struct iio_context_params *params,
						     const void *xml, size_t len,
						     struct iio_xml_values **values);

/*
 * Copies the stored value of attr into dst (NUL-terminated) and returns
 * strlen + 1, like a sysfs read. -ENOENT if the document gave no value,
 * -EFBIG if it does not fit in len.
 */
iio_hidden ssize_t iio_xml_values_read(const struct iio_xml_values *values,
				       const struct iio_attr *attr, char *dst, size_t len);
iio_hidden void iio_xml_values_free(struct iio_xml_values *values);

/* Used by the reader: records owner/type/name -> value (copies the strings). */
iio_hidden int iio_xml_values_add(struct iio_xml_values **values, const void *owner,
				  enum iio_attr_type type, const char *name, const char *value);
/* Used by the reader once the document is read: sorts for lookups. */
iio_hidden void iio_xml_values_finish(struct iio_xml_values *values);

#endif /* IIO_LIB_XML_H */
