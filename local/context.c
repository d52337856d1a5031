// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Creating a "local:" context (local.md §3): every directory of
 * /sys/bus/iio/devices and /sys/class/hwmon becomes a device, then come the
 * debugfs attributes and the context attributes.
 */
#include "local.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/*
 * Every entry of class_dir is a device: triggers and iio_sysfs_trigger
 * included for IIO; for hwmon (local.md §8) every hwmonN, whose channel files
 * follow the hwmon naming ("temp1_input", "in0_input", "pwm1") and which have
 * no buffers, events, triggers or debug attributes.
 */
static int add_devices_of(struct iio_context *ctx, const char *class_dir, bool hwmon)
{
	struct local_dir_list dirs;
	char path[PATH_MAX];
	unsigned int i;
	int ret;

	ret = local_path(path, sizeof(path), ctx->pdata->root, class_dir);
	if (ret < 0)
		return ret;
	ret = local_list_dir(path, true, &dirs);
	if (ret < 0)
		return ret;
	for (i = 0; i < dirs.count && !ret; i++)
		ret = local_add_device(ctx, dirs.names[i], hwmon);
	local_dir_list_free(&dirs);
	return ret;
}

static int add_devices(struct iio_context *ctx)
{
	int iio_ret, hwmon_ret = -ENOENT;
	char path[PATH_MAX];

	iio_ret = add_devices_of(ctx, LOCAL_IIO_DEVICES_DIR, false);
	if (iio_ret < 0 && iio_ret != -ENOENT)
		return iio_ret;
#if LOCAL_WITH_HWMON
	hwmon_ret = add_devices_of(ctx, LOCAL_HWMON_DIR, true);
	if (hwmon_ret < 0 && hwmon_ret != -ENOENT)
		return hwmon_ret;
#endif
	/* No IIO subsystem (module not loaded) is fine as long as hwmon is there. */
	if (iio_ret == -ENOENT && hwmon_ret == -ENOENT) {
		local_path(path, sizeof(path), ctx->pdata->root, LOCAL_IIO_DEVICES_DIR);
		ctx_err(ctx, "No IIO devices: %s does not exist%s\n", path,
			LOCAL_WITH_HWMON ? " and neither does " LOCAL_HWMON_DIR : "");
		return -ENOENT;
	}
	return 0;
}

static int add_context_attrs(struct iio_context *ctx, const struct utsname *uts)
{
	int ret;

#if LOCAL_WITH_CONFIG
	local_add_ini_attrs(ctx);
#endif
	/* These two always describe this machine, whatever the ini file says. */
	ret = iio_context_add_attr(ctx, "local,kernel", uts->release);
	if (!ret)
		ret = iio_context_add_attr(ctx, "uri", "local:");
	return ret;
}

static struct iio_context_pdata *context_pdata_new(void)
{
	struct iio_context_pdata *pdata = calloc(1, sizeof(*pdata));

	if (!pdata)
		return NULL;
	pdata->root = strdup(local_root_from_env());
	if (!pdata->root || pthread_mutex_init(&pdata->lock, NULL)) {
		free(pdata->root);
		free(pdata);
		return NULL;
	}
	return pdata;
}

struct iio_context *local_create_context(const struct iio_context_params *params,
					 const char *args)
{
	struct iio_context_pdata *pdata;
	struct iio_context *ctx;
	struct utsname uts;
	char *description;
	int ret;

	(void)args; /* "local:" takes no argument; anything after the colon is ignored */

	if (uname(&uts) < 0)
		return iio_ptr(-errno);
	if (asprintf(&description, "%s %s %s %s %s", uts.sysname, uts.nodename, uts.release,
		     uts.version, uts.machine) < 0)
		return iio_ptr(-ENOMEM);

	pdata = context_pdata_new();
	if (!pdata) {
		free(description);
		return iio_ptr(-ENOMEM);
	}
	ctx = iio_context_new(&iio_local_backend, params, description);
	free(description);
	if (iio_err(ctx)) {
		pthread_mutex_destroy(&pdata->lock);
		free(pdata->root);
		free(pdata);
		return ctx;
	}
	ctx->pdata = pdata;

	ret = add_devices(ctx);
	if (ret < 0)
		goto err_destroy;
	local_add_debug_attrs(ctx);
	ret = add_context_attrs(ctx, &uts);
	if (ret < 0)
		goto err_destroy;
	ret = iio_context_init(ctx);
	if (ret < 0)
		goto err_destroy;
	return ctx;

err_destroy:
	prm_perror(params, ret, "Unable to create the local context");
	iio_context_destroy(ctx);
	return iio_ptr(ret);
}

static void free_buffer_pdata(struct iio_buffer_pdata *pdata)
{
	unsigned int i;

	if (!pdata)
		return;
	for (i = 0; i < pdata->nb_elements; i++)
		free(pdata->elements[i].en_path);
	free(pdata->elements);
	free(pdata->dir);
	free(pdata);
}

static void free_device_pdata(struct iio_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nb_channels; i++) {
		struct iio_channel *chn = dev->channels[i];

		if (chn->pdata)
			free(chn->pdata->type_path);
		free(chn->pdata);
		chn->pdata = NULL;
	}
	for (i = 0; i < dev->nb_buffers; i++) {
		free_buffer_pdata(dev->buffers[i]->pdata);
		dev->buffers[i]->pdata = NULL;
	}
	if (dev->pdata) {
		if (dev->pdata->fd >= 0)
			close(dev->pdata->fd);
		free(dev->pdata->debug_dir);
		free(dev->pdata);
		dev->pdata = NULL;
	}
}

void local_shutdown(struct iio_context *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nb_devices; i++)
		free_device_pdata(ctx->devices[i]);
	if (ctx->pdata) {
		pthread_mutex_destroy(&ctx->pdata->lock);
		free(ctx->pdata->root);
		free(ctx->pdata);
		ctx->pdata = NULL;
	}
}
