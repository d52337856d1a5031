// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The local backend's sysfs file name parser (local/names.c), twice over:
 *
 * 1. Each name through the pure functions, with their contracts checked
 *    (lengths inside the name, returned pointers into it, ids that are
 *    substrings), and the extended-name rule on each channel's attribute
 *    names grouped the way local/device.c groups them.
 * 2. The same names as files of a device directory of a fake sysfs tree
 *    (LIBIIO_LOCAL_ROOT, a private temporary directory), opened with
 *    "local:": the real discovery code on hostile file names.
 *
 * Input: one entry per line, "[subdir/]name[=content]" (subdir e.g.
 * scan_elements, buffer0, events); a first line "@hwmon" makes the device a
 * hwmon one (sys/class/hwmon/hwmon0) instead of iio:device0.
 */
#include "fuzz.h"
#include "local.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTRIES 64

struct entry {
	char *dir; /* NULL: the device directory itself */
	char *name;
	char *content; /* NULL: "1\n" */
};

static char root[PATH_MAX];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup_root(void)
{
	if (root[0])
		remove_tree();
}

/* Trees of earlier runs that crashed (no atexit then): their process is gone. */
static void remove_stale_roots(const char *tmp)
{
	struct dirent *e;
	DIR *dir = opendir(tmp);
	char *end;
	long pid;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "fuzz-local-", 11))
			continue;
		pid = strtol(e->d_name + 11, &end, 10);
		if (*end || pid <= 0 || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		snprintf(root, sizeof(root), "%s/%s", tmp, e->d_name);
		remove_tree();
	}
	closedir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	/* Thousands of files a second: memory (tmpfs) is much faster than a disk. */
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	remove_stale_roots(tmp);
	snprintf(root, sizeof(root), "%s/fuzz-local-%ld", tmp, (long)getpid());
	remove_tree();
	if (mkdir(root, 0700))
		abort();
	setenv("LIBIIO_LOCAL_ROOT", root, 1);
	atexit(cleanup_root);
	return 0;
}

static bool inside(const char *p, const char *name)
{
	return p >= name && p <= name + strlen(name);
}

/* 1. The pure functions on one name. */
static void check_name(const char *name, bool hwmon)
{
	char id[NAME_MAX + 1], small[4];
	const char *attr, *p;
	size_t prefix = local_name_prefix_len(name), type_len;
	int len;

	FUZZ_CHECK(prefix == 0 || prefix == 3 || prefix == 4);
	FUZZ_CHECK(prefix <= strlen(name));
	(void)local_name_is_output(name);
	type_len = local_type_token_len(name + prefix);
	FUZZ_CHECK(type_len <= strlen(name + prefix));
	(void)local_is_channel_file(name, true);
	(void)local_is_channel_file(name, false);
	(void)local_is_hwmon_channel_file(name);
	(void)local_scan_file_kind(name);
	(void)local_is_reserved_buffer_file(name);
	(void)local_is_hidden_device_file(name);
	if (local_is_shared_by_direction(name, &attr))
		FUZZ_CHECK(inside(attr, name));

	len = local_channel_id(name, hwmon, id, sizeof(id));
	FUZZ_CHECK(len < 0 || (size_t)len == strlen(id));
	if (len > 0) {
		FUZZ_CHECK(strstr(name, id) != NULL);
		p = local_channel_attr_name(name, id, hwmon);
		FUZZ_CHECK(inside(p, name));
		FUZZ_CHECK(local_channel_id(name, hwmon, small, sizeof(small)) ==
			   (len < (int)sizeof(small) ? len : -ENAMETOOLONG));
		if (local_shared_attr_match(name, id, local_name_is_output(name), NULL, &attr) !=
		    LOCAL_SHARED_NONE)
			FUZZ_CHECK(inside(attr, name));
	}
}

/* The extended-name rule on the attribute names of the channel of names[first]. */
static void check_extended(struct entry *e, unsigned int count, unsigned int first)
{
	const char *names[MAX_ENTRIES];
	char id[NAME_MAX + 1], other[NAME_MAX + 1];
	unsigned int i, n = 0;
	size_t len;

	if (local_channel_id(e[first].name, false, id, sizeof(id)) <= 0)
		return;
	for (i = 0; i < count; i++) {
		if (e[i].dir || !local_is_channel_file(e[i].name, true) ||
		    local_channel_id(e[i].name, false, other, sizeof(other)) <= 0 ||
		    strcmp(id, other) ||
		    local_name_is_output(e[i].name) != local_name_is_output(e[first].name))
			continue;
		names[n++] = local_channel_attr_name(e[i].name, id, false);
	}
	if (n < 2)
		return;
	len = local_extended_name_len(names, n);
	for (i = 0; len && i < n; i++) {
		FUZZ_CHECK(len < strlen(names[i]));
		FUZZ_CHECK(names[i][len] == '_');
		FUZZ_CHECK(!strncmp(names[i], names[0], len));
	}
}

/* A single path component the file system takes. */
static bool valid_component(const char *s)
{
	return *s && strlen(s) <= NAME_MAX && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

static unsigned int parse_entries(char *text, struct entry *e, bool *hwmon)
{
	unsigned int n = 0;
	char *save = NULL, *line, *slash, *eq;

	*hwmon = false;
	for (line = strtok_r(text, "\n", &save); line && n < MAX_ENTRIES;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!n && !*hwmon && !strcmp(line, "@hwmon")) {
			*hwmon = true;
			continue;
		}
		e[n] = (struct entry){.name = line};
		eq = strchr(line, '=');
		if (eq) {
			*eq = '\0';
			e[n].content = eq + 1;
		}
		slash = strchr(line, '/');
		if (slash) {
			*slash = '\0';
			e[n].dir = line;
			e[n].name = slash + 1;
			if (!valid_component(e[n].dir))
				continue;
		}
		/* Known bug (crashers/local-names/empty-attr-name-overread). */
		if (fuzz_ignore_known() && *e[n].name && e[n].name[strlen(e[n].name) - 1] == '_')
			continue;
		if (valid_component(e[n].name))
			n++;
	}
	return n;
}

static int write_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = content ? strlen(content) : 2;
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, content ? content : "1\n", len) != (ssize_t)len)
		ret = -1;
	close(fd);
	return ret;
}

/* 2. The entries as a device directory, read by the local backend. */
static void check_tree(const struct entry *e, unsigned int n, bool hwmon)
{
	struct iio_context_params params = fuzz_params();
	char dev_dir[PATH_MAX + 64], path[PATH_MAX * 2];
	struct iio_context *ctx;
	unsigned int i, j, k;
	char buf[256];

	snprintf(dev_dir, sizeof(dev_dir), "%s/sys", root);
	mkdir(dev_dir, 0755);
	snprintf(dev_dir, sizeof(dev_dir), "%s/sys/%s", root, hwmon ? "class" : "bus");
	mkdir(dev_dir, 0755);
	if (!hwmon) {
		strcat(dev_dir, "/iio");
		mkdir(dev_dir, 0755);
	}
	strcat(dev_dir, hwmon ? "/hwmon" : "/devices");
	mkdir(dev_dir, 0755);
	strcat(dev_dir, hwmon ? "/hwmon0" : "/iio:device0");
	if (mkdir(dev_dir, 0755))
		abort();

	for (i = 0; i < n; i++) {
		if (e[i].dir) {
			snprintf(path, sizeof(path), "%s/%s", dev_dir, e[i].dir);
			mkdir(path, 0755);
			snprintf(path, sizeof(path), "%s/%s/%s", dev_dir, e[i].dir, e[i].name);
		} else {
			snprintf(path, sizeof(path), "%s/%s", dev_dir, e[i].name);
		}
		(void)write_file(path, e[i].content);
	}

	ctx = iio_create_context(&params, "local:");
	if (!iio_err(ctx)) {
		for (i = 0; i < iio_context_get_devices_count(ctx); i++) {
			const struct iio_device *dev = iio_context_get_device(ctx, i);

			for (j = 0; j < iio_device_get_attrs_count(dev); j++)
				(void)iio_attr_read_raw(iio_device_get_attr(dev, j), buf,
							sizeof(buf));
			for (j = 0; j < iio_device_get_channels_count(dev); j++) {
				const struct iio_channel *chn = iio_device_get_channel(dev, j);

				FUZZ_CHECK(iio_channel_get_id(chn) != NULL);
				for (k = 0; k < iio_channel_get_attrs_count(chn); k++)
					(void)iio_attr_read_raw(iio_channel_get_attr(chn, k), buf,
								sizeof(buf));
			}
		}
		iio_context_destroy(ctx);
	}
	remove_tree();
	mkdir(root, 0700);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct entry e[MAX_ENTRIES];
	unsigned int i, n;
	char *text;
	bool hwmon;

	if (!root[0])
		LLVMFuzzerInitialize(NULL, NULL);
	text = fuzz_strndup(data, size);
	if (!text)
		return 0;
	n = parse_entries(text, e, &hwmon);
	for (i = 0; i < n; i++) {
		if (!e[i].dir)
			check_name(e[i].name, hwmon);
		if (!e[i].dir && !hwmon && local_is_channel_file(e[i].name, true))
			check_extended(e, n, i);
	}
	check_tree(e, n, hwmon);
	free(text);
	return 0;
}
