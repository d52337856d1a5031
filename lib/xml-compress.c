// SPDX-License-Identifier: LGPL-2.1-or-later
/* zstd-compressed context descriptions (iiod's ZPRINT and binary PRINT blobs). */
#include "xml.h"

#include <stdlib.h>
#include <string.h>

#if WITH_ZSTD
#include <zstd.h>
#endif

/* A zstd frame starts with 0xFD2FB528, little endian. */
static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

bool iio_xml_is_zstd(const void *data, size_t len)
{
	return data && len >= sizeof(zstd_magic) && !memcmp(data, zstd_magic, sizeof(zstd_magic));
}

#if WITH_ZSTD

int iio_xml_decompress(const void *src, size_t len, char **out, size_t *out_len)
{
	unsigned long long size;
	size_t ret;
	char *dst;

	if (!iio_xml_is_zstd(src, len))
		return -EIO;
	size = ZSTD_getFrameContentSize(src, len);
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR)
		return -EIO;
	if (size > IIO_XML_MAX_SIZE)
		return -EFBIG;

	dst = malloc((size_t)size + 1);
	if (!dst)
		return -ENOMEM;
	ret = ZSTD_decompress(dst, (size_t)size, src, len);
	if (ZSTD_isError(ret) || ret != size) {
		free(dst);
		return -EIO;
	}
	dst[ret] = '\0';
	*out = dst;
	*out_len = ret;
	return 0;
}

int iio_xml_compress(const char *xml, size_t len, void **out, size_t *out_len)
{
	size_t bound, ret;
	void *dst;

	if (len > IIO_XML_MAX_SIZE)
		return -EFBIG;
	bound = ZSTD_compressBound(len);
	dst = malloc(bound);
	if (!dst)
		return -ENOMEM;
	ret = ZSTD_compress(dst, bound, xml, len, 3);
	if (ZSTD_isError(ret)) {
		free(dst);
		return -EIO;
	}
	*out = dst;
	*out_len = ret;
	return 0;
}

#else /* !WITH_ZSTD */

int iio_xml_decompress(const void *src, size_t len, char **out, size_t *out_len)
{
	(void)src;
	(void)len;
	(void)out;
	(void)out_len;
	return -ENOSYS;
}

int iio_xml_compress(const char *xml, size_t len, void **out, size_t *out_len)
{
	(void)xml;
	(void)len;
	(void)out;
	(void)out_len;
	return -ENOSYS;
}

#endif /* WITH_ZSTD */
