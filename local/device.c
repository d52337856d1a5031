// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One device directory becomes one device (local.md §4-5): its files are
 * sorted into channel attributes, labels, shared attributes and device
 * attributes; buffers and events are read by their own files.
 */
#include "local.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A channel attribute seen in the first pass, named once extended names are known. */
struct pending_attr {
	const char *filename;    /* owned by the directory listing */
	const char *name;        /* points into filename */
};

struct pending_channel {
	struct iio_channel *chn;
	struct pending_attr *attrs;
	unsigned int count;
};

struct device_builder {
	struct iio_device *dev;
	bool hwmon;
	struct pending_channel *chns;
	unsigned int nb_chns;
	const char **leftovers;  /* device-level files not yet placed */
	unsigned int nb_leftovers;
};

static void builder_free(struct device_builder *b)
{
	unsigned int i;

	for (i = 0; i < b->nb_chns; i++)
		free(b->chns[i].attrs);
	free(b->chns);
	free(b->leftovers);
}

static struct pending_channel *pending_for(struct device_builder *b, struct iio_channel *chn)
{
	struct pending_channel *chns;
	unsigned int i;

	for (i = 0; i < b->nb_chns; i++)
		if (b->chns[i].chn == chn)
			return &b->chns[i];
	chns = realloc(b->chns, (b->nb_chns + 1) * sizeof(*chns));
	if (!chns)
		return NULL;
	b->chns = chns;
	b->chns[b->nb_chns] = (struct pending_channel){ .chn = chn };
	return &b->chns[b->nb_chns++];
}

static int add_pending_attr(struct device_builder *b, struct iio_channel *chn,
			    const char *filename, const char *name)
{
	struct pending_channel *pc = pending_for(b, chn);
	struct pending_attr *attrs;

	if (!pc)
		return -ENOMEM;
	attrs = realloc(pc->attrs, (pc->count + 1) * sizeof(*attrs));
	if (!attrs)
		return -ENOMEM;
	pc->attrs = attrs;
	pc->attrs[pc->count++] = (struct pending_attr){ .filename = filename, .name = name };
	return 0;
}

static int add_leftover(struct device_builder *b, const char *filename)
{
	const char **leftovers = realloc(b->leftovers, (b->nb_leftovers + 1) * sizeof(*leftovers));

	if (!leftovers)
		return -ENOMEM;
	b->leftovers = leftovers;
	b->leftovers[b->nb_leftovers++] = filename;
	return 0;
}

struct iio_channel *local_new_channel(struct iio_device *dev, const char *id, bool output)
{
	struct iio_channel *chn = iio_device_add_channel(dev, id, output, -1);
	size_t type_len = local_type_token_len(id);

	/* The core looks for the modifier after the first '_': wrong for "delta_angl_x". */
	if (!iio_err(chn) && !dev->pdata->hwmon && id[type_len] == '_' &&
	    memchr(id, '_', type_len))
		chn->modifier = iio_channel_modifier_from_id(id + type_len);
	return chn;
}

/* The channel a file name belongs to, created on first sight (not indexed). */
static struct iio_channel *channel_for_file(struct iio_device *dev, const char *filename,
					    bool hwmon, char *id, size_t id_len)
{
	bool output = !hwmon && local_name_is_output(filename);
	struct iio_channel *chn;
	int ret;

	ret = local_channel_id(filename, hwmon, id, id_len);
	if (ret < 0)
		return iio_ptr(ret);
	chn = iio_device_lookup_channel(dev, id, output);
	if (!chn)
		chn = local_new_channel(dev, id, output);
	return chn;
}

static bool ends_with(const char *str, const char *suffix)
{
	size_t len = strlen(str), suffix_len = strlen(suffix);

	return len >= suffix_len && !strcmp(str + len - suffix_len, suffix);
}

static int read_channel_label(struct iio_channel *chn, const char *filename)
{
	char label[256];
	ssize_t ret = local_read_dev_file(chn->dev, filename, label, sizeof(label));

	if (ret < 0) {
		chn_perror(chn, ret, "Unable to read the label file %s", filename);
		return 0; /* a channel without its label is still usable */
	}
	return iio_channel_set_label(chn, label);
}

/* First pass (§5.2-5.3): per-channel files and labels; the rest is kept for later. */
static int sort_device_files(struct device_builder *b, const struct local_dir_list *files)
{
	struct iio_device *dev = b->dev;
	char id[NAME_MAX + 1];
	unsigned int i;
	int ret;

	for (i = 0; i < files->count; i++) {
		const char *filename = files->names[i];
		struct iio_channel *chn;
		const char *name;
		bool is_channel;

		if (local_is_hidden_device_file(filename))
			continue;
		is_channel = b->hwmon ? local_is_hwmon_channel_file(filename)
				      : local_is_channel_file(filename, true);
		if (!is_channel) {
			ret = add_leftover(b, filename);
			if (ret < 0)
				return ret;
			continue;
		}

		chn = channel_for_file(dev, filename, b->hwmon, id, sizeof(id));
		ret = iio_err(chn);
		if (ret < 0)
			return ret;
		name = local_channel_attr_name(filename, chn->id, b->hwmon);
		/* "in_voltage0_label", "in_voltage0_vccint_label", "temp1_label" */
		if (ends_with(name, "_label") || !strcmp(name, "label"))
			ret = read_channel_label(chn, filename);
		else
			ret = add_pending_attr(b, chn, filename, name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* §5.4: a prefix shared by all the attributes of a channel is its extended name. */
static int name_channels(struct device_builder *b)
{
	const char **names;
	unsigned int i, j;
	size_t len;
	int ret = 0;

	for (i = 0; i < b->nb_chns && !ret; i++) {
		struct pending_channel *pc = &b->chns[i];
		char *name;

		/* hwmon has no extended names: "temp1_crit" is not channel "crit". */
		if (b->hwmon || pc->count < 2)
			continue;
		names = malloc(pc->count * sizeof(*names));
		if (!names)
			return -ENOMEM;
		for (j = 0; j < pc->count; j++)
			names[j] = pc->attrs[j].name;
		len = local_extended_name_len(names, pc->count);
		free(names);
		if (!len)
			continue;

		name = strndup(pc->attrs[0].name, len);
		if (!name)
			return -ENOMEM;
		ret = iio_channel_set_name(pc->chn, name);
		free(name);
		for (j = 0; j < pc->count; j++)
			pc->attrs[j].name += len + 1;
	}
	return ret;
}

static int add_pending_attrs(struct device_builder *b)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < b->nb_chns; i++) {
		struct pending_channel *pc = &b->chns[i];

		for (j = 0; j < pc->count; j++) {
			ret = iio_channel_add_attr(pc->chn, pc->attrs[j].name, pc->attrs[j].filename,
						   IIO_ATTR_TYPE_CHANNEL);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

/* §5.5 levels 1 and 2: attach a shared file to every channel it describes. */
static int attach_shared(struct iio_device *dev, const char *filename, bool *matched)
{
	unsigned int i;
	int ret;

	*matched = false;
	for (i = 0; i < dev->nb_channels; i++) {
		struct iio_channel *chn = dev->channels[i];
		const char *name;

		if (local_shared_attr_match(filename, chn->id, chn->is_output, chn->name, &name) ==
		    LOCAL_SHARED_NONE)
			continue;
		ret = iio_channel_add_attr(chn, name, filename, IIO_ATTR_TYPE_CHANNEL);
		if (ret < 0)
			return ret;
		*matched = true;
	}
	return 0;
}

/*
 * Upstream turns "in_sampling_frequency" into a channel "sampling" of unknown
 * type. It is the kernel's shared-by-direction form: give it to every channel
 * of that direction, under its info name.
 */
static int attach_shared_by_direction(struct iio_device *dev, const char *filename,
				      const char *name, bool *matched)
{
	bool output = local_name_is_output(filename);
	unsigned int i;
	int ret;

	*matched = false;
	for (i = 0; i < dev->nb_channels; i++) {
		struct iio_channel *chn = dev->channels[i];

		if (chn->is_output != output)
			continue;
		ret = iio_channel_add_attr(chn, name, filename, IIO_ATTR_TYPE_CHANNEL);
		if (ret < 0)
			return ret;
		*matched = true;
	}
	return 0;
}

/* A leftover that still looks like a channel file: an index-less channel ("in_temp_raw"). */
static int add_indexless_channel_attr(struct iio_device *dev, const char *filename, bool *added)
{
	char id[NAME_MAX + 1];
	struct iio_channel *chn;
	int ret;

	*added = false;
	if (!local_is_channel_file(filename, false))
		return 0;
	ret = local_channel_id(filename, false, id, sizeof(id));
	if (ret < 0)
		return ret;
	/* Not a channel type: "in_out_voltage_filter_fir_en" stays a device attribute. */
	if (iio_channel_type_from_id(id, false) == IIO_CHAN_TYPE_UNKNOWN)
		return 0;
	chn = channel_for_file(dev, filename, false, id, sizeof(id));
	ret = iio_err(chn);
	if (ret < 0)
		return ret;
	*added = true;
	return iio_channel_add_attr(chn, local_channel_attr_name(filename, chn->id, false),
				    filename, IIO_ATTR_TYPE_CHANNEL);
}

static int place_leftovers(struct device_builder *b)
{
	struct iio_device *dev = b->dev;
	unsigned int i;
	bool placed;
	int ret;

	for (i = 0; i < b->nb_leftovers; i++) {
		const char *filename = b->leftovers[i], *name;

		placed = false;
		if (!b->hwmon) {
			ret = attach_shared(dev, filename, &placed);
			if (!ret && !placed)
				ret = add_indexless_channel_attr(dev, filename, &placed);
			if (!ret && !placed && local_is_shared_by_direction(filename, &name))
				ret = attach_shared_by_direction(dev, filename, name, &placed);
			if (ret < 0)
				return ret;
		}
		if (!placed) {
			ret = iio_device_add_attr(dev, filename, NULL, IIO_ATTR_TYPE_DEVICE);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int read_optional(const char *path, char *dst, size_t len, char **out)
{
	ssize_t ret = local_read_file(path, dst, len);

	*out = NULL;
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return (int)ret;
	if (dst[0])
		*out = dst;
	return 0;
}

static int build_device(struct device_builder *b, const struct local_dir_list *files)
{
	int ret;

	ret = sort_device_files(b, files);
	if (!ret && !b->hwmon)
		ret = local_add_buffers(b->dev);
	if (!ret)
		ret = name_channels(b);
	if (!ret)
		ret = add_pending_attrs(b);
	if (!ret && !b->hwmon)
		ret = local_add_event_attrs(b->dev);
	if (!ret)
		ret = place_leftovers(b);
	return ret;
}

int local_add_device(struct iio_context *ctx, const char *id, bool hwmon)
{
	const char *base = hwmon ? LOCAL_HWMON_DIR : LOCAL_IIO_DEVICES_DIR;
	struct device_builder b = { .hwmon = hwmon };
	char dir[PATH_MAX], path[PATH_MAX], name_buf[256], label_buf[256];
	struct local_dir_list files;
	char *name, *label;
	struct iio_device *dev;
	int ret;

	ret = local_path(dir, sizeof(dir), ctx->pdata->root, "%s/%s", base, id);
	if (ret < 0)
		return ret;

	ret = local_path(path, sizeof(path), ctx->pdata->root, "%s/%s/name", base, id);
	if (ret >= 0)
		ret = read_optional(path, name_buf, sizeof(name_buf), &name);
	if (!ret)
		ret = local_path(path, sizeof(path), ctx->pdata->root, "%s/%s/label", base, id);
	if (ret >= 0)
		ret = read_optional(path, label_buf, sizeof(label_buf), &label);
	if (ret < 0) {
		ctx_perror(ctx, ret, "Unable to read the name or label of %s", dir);
		return ret;
	}

	ret = local_list_dir(dir, false, &files);
	if (ret < 0) {
		ctx_perror(ctx, ret, "Unable to list %s", dir);
		return ret;
	}

	dev = iio_context_add_device(ctx, id, name, label);
	ret = iio_err(dev);
	if (ret < 0)
		goto out_free_files;
	dev->pdata = calloc(1, sizeof(*dev->pdata));
	if (!dev->pdata) {
		ret = -ENOMEM;
		goto out_free_files;
	}
	dev->pdata->hwmon = hwmon;
	dev->pdata->fd = -1;

	b.dev = dev;
	ret = build_device(&b, &files);
	builder_free(&b);
	if (ret < 0)
		dev_perror(dev, ret, "Unable to read the device from %s", dir);

out_free_files:
	local_dir_list_free(&files);
	return ret;
}
