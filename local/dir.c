// SPDX-License-Identifier: LGPL-2.1-or-later
/* Directory listings in a stable order, so contexts do not depend on readdir order. */
#include "local.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool local_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int compare_names(const void *a, const void *b)
{
	/* Natural order: "temp2" before "temp10". */
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

static int list_add(struct local_dir_list *list, const char *name)
{
	char **names, *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	names = realloc(list->names, (list->count + 1) * sizeof(*names));
	if (!names) {
		free(copy);
		return -ENOMEM;
	}
	list->names = names;
	list->names[list->count++] = copy;
	return 0;
}

int local_list_dir(const char *path, bool want_dirs, struct local_dir_list *list)
{
	char entry_path[PATH_MAX];
	struct dirent *entry;
	struct stat st;
	DIR *dir;
	int ret = 0;

	*list = (struct local_dir_list){ 0 };
	dir = opendir(path);
	if (!dir)
		return -errno;

	while ((entry = readdir(dir))) {
		if (entry->d_name[0] == '.')
			continue;
		if (snprintf(entry_path, sizeof(entry_path), "%s/%s", path, entry->d_name) >=
		    (int)sizeof(entry_path)) {
			ret = -ENAMETOOLONG;
			break;
		}
		/* stat() follows the symlinks sysfs is made of. */
		if (stat(entry_path, &st) < 0) {
			/*
			 * A dangling link, or an entry that went away meanwhile:
			 * upstream aborts the whole context here; skip it instead.
			 */
			if (errno == ENOENT)
				continue;
			ret = -errno;
			break;
		}
		if (want_dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
			continue;
		ret = list_add(list, entry->d_name);
		if (ret < 0)
			break;
	}
	closedir(dir);

	if (ret < 0) {
		local_dir_list_free(list);
		return ret;
	}
	if (list->count > 1)
		qsort(list->names, list->count, sizeof(*list->names), compare_names);
	return 0;
}

void local_dir_list_free(struct local_dir_list *list)
{
	unsigned int i;

	for (i = 0; i < list->count; i++)
		free(list->names[i]);
	free(list->names);
	*list = (struct local_dir_list){ 0 };
}
