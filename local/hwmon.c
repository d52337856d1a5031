// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hwmon devices (local.md §8): every /sys/class/hwmon/hwmonN is a device whose
 * channel files follow the hwmon naming ("temp1_input", "in0_input", "pwm1").
 * They have no buffers, events, triggers or debug attributes.
 */
#include "local.h"

#include <limits.h>

int local_add_hwmon_devices(struct iio_context *ctx)
{
	struct local_dir_list dirs;
	char path[PATH_MAX];
	unsigned int i;
	int ret;

	ret = local_path(path, sizeof(path), ctx->pdata->root, LOCAL_HWMON_DIR);
	if (ret < 0)
		return ret;
	ret = local_list_dir(path, true, &dirs);
	if (ret < 0)
		return ret;
	for (i = 0; i < dirs.count && !ret; i++)
		ret = local_add_device(ctx, dirs.names[i], true);
	local_dir_list_free(&dirs);
	return ret;
}
