// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /etc/libiio.ini: the "key = value" lines of its [Context Attributes]
 * section become context attributes (e.g. hw_model). A missing file is
 * normal; a malformed line is reported and skipped.
 */
#include "local.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INI_SECTION "Context Attributes"

static char *trim(char *str)
{
	char *end;

	while (isspace((unsigned char)*str))
		str++;
	end = str + strlen(str);
	while (end > str && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return str;
}

/* Removes one pair of surrounding double quotes. */
static char *unquote(char *str)
{
	size_t len = strlen(str);

	if (len >= 2 && str[0] == '"' && str[len - 1] == '"') {
		str[len - 1] = '\0';
		return str + 1;
	}
	return str;
}

static void parse_line(struct iio_context *ctx, const char *path, unsigned int lineno,
		       char *line, bool *in_section)
{
	char *key, *value, *eq, *end;
	int ret;

	line = trim(line);
	if (!*line || *line == ';' || *line == '#')
		return;
	if (*line == '[') {
		end = strchr(line, ']');
		if (!end) {
			ctx_warn(ctx, "%s:%u: unterminated section header\n", path, lineno);
			*in_section = false;
			return;
		}
		*end = '\0';
		*in_section = !strcasecmp(trim(line + 1), INI_SECTION);
		return;
	}
	if (!*in_section)
		return;

	eq = strchr(line, '=');
	if (!eq) {
		ctx_warn(ctx, "%s:%u: expected 'key = value'\n", path, lineno);
		return;
	}
	*eq = '\0';
	key = trim(line);
	value = unquote(trim(eq + 1));
	if (!*key) {
		ctx_warn(ctx, "%s:%u: empty key\n", path, lineno);
		return;
	}
	ret = iio_context_add_attr(ctx, key, value);
	if (ret < 0)
		ctx_perror(ctx, ret, "%s:%u: unable to add context attribute '%s'", path, lineno,
			   key);
}

void local_add_ini_attrs(struct iio_context *ctx)
{
	char path[PATH_MAX], *line = NULL;
	bool in_section = false;
	unsigned int lineno = 0;
	size_t size = 0;
	FILE *file;

	if (local_path(path, sizeof(path), ctx->pdata->root, LOCAL_INI_FILE) < 0)
		return;
	file = fopen(path, "re");
	if (!file) {
		if (errno != ENOENT)
			ctx_perror(ctx, -errno, "Unable to open %s", path);
		return;
	}
	errno = 0;
	while (getline(&line, &size, file) >= 0)
		parse_line(ctx, path, ++lineno, line, &in_section);
	if (ferror(file))
		ctx_perror(ctx, -errno, "Unable to read %s", path);
	free(line);
	fclose(file);
}
