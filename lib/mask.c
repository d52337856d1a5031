// SPDX-License-Identifier: LGPL-2.1-or-later
/* Channel masks and the sample layout they imply. */
#include "internal.h"

#include <stdlib.h>

struct iio_channels_mask *iio_create_channels_mask(unsigned int nb_channels)
{
	unsigned int words = (nb_channels + 31) / 32;
	struct iio_channels_mask *mask;

	if (!nb_channels)
		return NULL;
	mask = calloc(1, sizeof(*mask) + words * sizeof(uint32_t));
	if (mask)
		mask->words = words;
	return mask;
}

void iio_channels_mask_destroy(struct iio_channels_mask *mask)
{
	free(mask);
}

static bool can_enable(const struct iio_channel *chn)
{
	return chn->is_scan_element && chn->index >= 0;
}

void iio_channel_enable(const struct iio_channel *chn, struct iio_channels_mask *mask)
{
	if (mask && can_enable(chn))
		iio_mask_set(mask, chn->number);
}

void iio_channel_disable(const struct iio_channel *chn, struct iio_channels_mask *mask)
{
	if (mask && can_enable(chn))
		iio_mask_clear(mask, chn->number);
}

bool iio_channel_is_enabled(const struct iio_channel *chn, const struct iio_channels_mask *mask)
{
	return mask && chn->index >= 0 && iio_mask_test(mask, chn->number);
}

ssize_t iio_device_get_sample_size(const struct iio_device *dev,
				   const struct iio_channels_mask *mask)
{
	size_t size = 0, largest = 1;
	long prev_index = -1;
	unsigned int i;

	if (!mask || mask->words != (dev->nb_channels + 31) / 32)
		return -EINVAL;

	for (i = 0; i < dev->nb_channels; i++) {
		const struct iio_channel *chn = dev->channels[i];
		size_t len = chn->format.length / 8 * chn->format.repeat;

		if (chn->index < 0)
			break;
		if (!iio_mask_test(mask, chn->number))
			continue;
		/* Channels sharing an index share their storage. */
		if (chn->index == prev_index)
			continue;
		prev_index = chn->index;
		if (!len)
			continue;
		if (size % len)
			size += len - size % len;
		size += len;
		if (len > largest)
			largest = len;
	}
	if (size % largest)
		size += largest - size % largest;
	return (ssize_t)size;
}
