// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Event attributes (local.md §7): files of events/ that name a channel of the
 * device belong to it ("thresh_rising_en"); the others stay with the device.
 */
#include "local.h"

#include <limits.h>
#include <string.h>

static int add_event_file(struct iio_device *dev, const char *filename)
{
	struct iio_channel *chn = NULL;
	char id[NAME_MAX + 1];
	const char *name;
	size_t len;

	if (local_name_prefix_len(filename) &&
	    local_channel_id(filename, false, id, sizeof(id)) > 0)
		chn = iio_device_lookup_channel(dev, id, local_name_is_output(filename));
	/*
	 * Upstream picks the channel by a prefix test and fails the whole
	 * context (-ENODEV) when "in_voltage10_..." meets a "voltage1" channel
	 * only; an unknown channel simply makes a device event attribute here.
	 */
	if (!chn)
		return iio_device_add_attr(dev, filename, NULL, IIO_ATTR_TYPE_DEVICE_EVENT);

	name = local_channel_attr_name(filename, chn->id, false);
	/* Strip the extended name too, as for the channel's other attributes. */
	if (chn->name) {
		len = strlen(chn->name);
		if (!strncmp(name, chn->name, len) && name[len] == '_' && name[len + 1])
			name += len + 1;
	}
	return iio_channel_add_attr(chn, name, filename, IIO_ATTR_TYPE_CHANNEL_EVENT);
}

int local_add_event_attrs(struct iio_device *dev)
{
	struct local_dir_list files;
	char path[PATH_MAX];
	unsigned int i;
	int ret;

	ret = local_device_path(dev, path, sizeof(path), "events");
	if (ret < 0)
		return ret;
	ret = local_list_dir(path, false, &files);
	if (ret == -ENOENT || ret == -ENOTDIR)
		return 0;
	if (ret < 0) {
		dev_perror(dev, ret, "Unable to list %s", path);
		return ret;
	}
	for (i = 0; i < files.count && !ret; i++)
		ret = add_event_file(dev, files.names[i]);
	local_dir_list_free(&files);
	return ret;
}
