// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iio_scan(..., "local"): one result, "local:", described by the device
 * names and the board model, e.g. "(ad9361-phy,xadc on Xilinx ZC706)".
 */
#include "local.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Upstream keeps the name list to about this many characters. */
#define NAMES_MAX_LEN 127

struct name_list {
	char text[NAMES_MAX_LEN + 1];
	size_t len;
	unsigned int devices;
	bool full;
};

static void append_name(struct name_list *names, const char *name)
{
	size_t len = strlen(name), needed = len + (names->len ? 1 : 0);

	if (!len || names->full)
		return;
	if (names->len + needed > NAMES_MAX_LEN) {
		names->full = true; /* keep the list in order: no shorter name after this */
		return;
	}
	if (names->len)
		names->text[names->len++] = ',';
	memcpy(names->text + names->len, name, len + 1);
	names->len += len;
}

static void collect_names(const char *root, const char *base, bool iio_only,
			  struct name_list *names)
{
	struct local_dir_list dirs;
	char path[PATH_MAX], name[64];
	unsigned int i;

	if (local_path(path, sizeof(path), root, "%s", base) < 0 ||
	    local_list_dir(path, true, &dirs) < 0)
		return;
	for (i = 0; i < dirs.count; i++) {
		/* Triggers are not what a user looks for in a scan. */
		if (iio_only && !strstr(dirs.names[i], "iio:device"))
			continue;
		names->devices++;
		if (local_path(path, sizeof(path), root, "%s/%s/name", base, dirs.names[i]) >= 0 &&
		    local_read_file(path, name, sizeof(name)) > 0)
			append_name(names, name);
	}
	local_dir_list_free(&dirs);
}

/* The board: devicetree model (NUL-terminated, no newline) or DMI vendor. */
static bool read_model(const char *root, char *model, size_t len)
{
	static const char *const files[] = { LOCAL_DT_MODEL_FILE, LOCAL_DMI_VENDOR_FILE };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		if (local_path(path, sizeof(path), root, "%s", files[i]) < 0)
			continue;
		if (local_read_file(path, model, len) > 0 && model[0])
			return true;
	}
	return false;
}

int local_scan(const struct iio_context_params *params, struct iio_scan *scan, const char *args)
{
	const char *root = local_root_from_env();
	struct name_list names = { .len = 0 };
	char model[128], description[sizeof(names.text) + sizeof(model) + 32];
	bool has_model;

	(void)params;
	(void)args;
	collect_names(root, LOCAL_IIO_DEVICES_DIR, true, &names);
#if LOCAL_WITH_HWMON
	collect_names(root, LOCAL_HWMON_DIR, false, &names);
#endif
	/* Nothing to open: no result rather than an empty context. */
	if (!names.devices)
		return 0;

	has_model = read_model(root, model, sizeof(model));
	if (!has_model)
		snprintf(description, sizeof(description), "(Local IIO devices)");
	else if (names.len)
		snprintf(description, sizeof(description), "(%s on %s)", names.text, model);
	else
		snprintf(description, sizeof(description), "(Local IIO devices on %s)", model);
	return iio_scan_add_result(scan, description, "local:");
}
