// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Debug attributes: the files of /sys/kernel/debug/iio/<dir>/, where <dir>
 * names a device by id, label or name. debugfs is often not mounted or not
 * readable by the user: then the devices simply have no debug attributes.
 */
#include "local.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static struct iio_device *device_for_debug_dir(struct iio_context *ctx, const char *dir)
{
	unsigned int i;

	/* The kernel names the directory after the device id: try that first. */
	for (i = 0; i < ctx->nb_devices; i++)
		if (!ctx->devices[i]->pdata->hwmon && !strcmp(ctx->devices[i]->id, dir))
			return ctx->devices[i];
	for (i = 0; i < ctx->nb_devices; i++) {
		struct iio_device *dev = ctx->devices[i];

		if (dev->pdata->hwmon)
			continue;
		if ((dev->label && !strcmp(dev->label, dir)) ||
		    (dev->name && !strcmp(dev->name, dir)))
			return dev;
	}
	return NULL;
}

static void add_debug_dir(struct iio_context *ctx, const char *debugfs, const char *dir)
{
	struct iio_device *dev = device_for_debug_dir(ctx, dir);
	struct local_dir_list files;
	char path[PATH_MAX];
	unsigned int i;
	int ret;

	if (!dev || dev->pdata->debug_dir)
		return;
	if (snprintf(path, sizeof(path), "%s/%s", debugfs, dir) >= (int)sizeof(path))
		return;
	if (local_list_dir(path, false, &files) < 0)
		return;
	dev->pdata->debug_dir = strdup(dir);
	for (i = 0; dev->pdata->debug_dir && i < files.count; i++) {
		ret = iio_device_add_attr(dev, files.names[i], NULL, IIO_ATTR_TYPE_DEBUG);
		if (ret < 0)
			dev_perror(dev, ret, "Unable to add debug attribute %s", files.names[i]);
	}
	local_dir_list_free(&files);
}

void local_add_debug_attrs(struct iio_context *ctx)
{
	struct local_dir_list dirs;
	char debugfs[PATH_MAX];
	unsigned int i;

	if (local_path(debugfs, sizeof(debugfs), ctx->pdata->root, LOCAL_DEBUGFS_DIR) < 0)
		return;
	if (local_list_dir(debugfs, true, &dirs) < 0)
		return;
	for (i = 0; i < dirs.count; i++)
		add_debug_dir(ctx, debugfs, dirs.names[i]);
	local_dir_list_free(&dirs);
}
