// SPDX-License-Identifier: LGPL-2.1-or-later
/* Triggers (local.md §11): trigger/current_trigger holds the trigger's name. */
#include "local.h"

#include <string.h>

#define CURRENT_TRIGGER "trigger/current_trigger"

const struct iio_device *local_get_trigger(const struct iio_device *dev)
{
	const struct iio_context *ctx = dev->ctx;
	char name[256];
	unsigned int i;
	ssize_t ret;

	ret = local_read_dev_file(dev, CURRENT_TRIGGER, name, sizeof(name));
	if (ret < 0)
		return iio_ptr((int)ret); /* -ENOENT: the device takes no trigger */
	if (!name[0])
		return iio_ptr(-ENODEV);
	for (i = 0; i < ctx->nb_devices; i++) {
		const struct iio_device *trigger = ctx->devices[i];

		if (trigger->name && !strcmp(trigger->name, name))
			return trigger;
	}
	dev_dbg(dev, "Current trigger '%s' is not a device of this context\n", name);
	return iio_ptr(-ENXIO);
}

int local_set_trigger(const struct iio_device *dev, const struct iio_device *trigger)
{
	const char *name = trigger ? trigger->name : "";
	ssize_t ret;

	if (!name)
		return -EINVAL;
	/* The empty string detaches the current trigger. */
	ret = local_write_dev_file(dev, CURRENT_TRIGGER, name, strlen(name) + 1);
	return ret < 0 ? (int)ret : 0;
}
