// SPDX-License-Identifier: LGPL-2.1-or-later
/* Context discovery: each backend named in the scan string adds its results. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

struct iio_scan_result {
	char *description;
	char *uri;
};

struct iio_scan {
	const struct iio_context_params *params;
	struct iio_scan_result *results;
	size_t count;
};

int iio_scan_add_result(struct iio_scan *scan, const char *description, const char *uri)
{
	struct iio_scan_result *results;
	char *d, *u;
	size_t i;

	for (i = 0; i < scan->count; i++)
		if (!strcmp(scan->results[i].uri, uri))
			return 0; /* the same context seen twice (e.g. IPv4 and IPv6) */

	d = strdup(description ? description : "");
	u = strdup(uri);
	results = realloc(scan->results, (scan->count + 1) * sizeof(*results));
	if (!d || !u || !results) {
		if (results)
			scan->results = results;
		free(d);
		free(u);
		return -ENOMEM;
	}
	scan->results = results;
	scan->results[scan->count++] = (struct iio_scan_result){ .description = d, .uri = u };
	return 0;
}

static void scan_backend(struct iio_scan *scan, const struct iio_context_params *params,
			 const char *token, size_t len)
{
	const struct iio_backend *backend;
	char name[64];
	const char *args = NULL;
	const char *eq = memchr(token, '=', len);
	size_t name_len = eq ? (size_t)(eq - token) : len;
	char *args_copy = NULL;
	int ret;

	if (!len)
		return;
	if (name_len >= sizeof(name)) {
		prm_warn(params, "Ignoring unknown backend '%.*s' in scan string\n", (int)len, token);
		return;
	}
	memcpy(name, token, name_len);
	name[name_len] = '\0';

	backend = iio_backend_by_name(name);
	if (!backend) {
		prm_warn(params, "Ignoring unknown backend '%s' in scan string\n", name);
		return;
	}
	if (!backend->ops->scan) {
		prm_dbg(params, "Backend '%s' cannot scan\n", name);
		return;
	}
	if (eq) {
		args_copy = strndup(eq + 1, len - name_len - 1);
		if (!args_copy)
			return;
		args = args_copy;
	}
	ret = backend->ops->scan(params, scan, args);
	if (ret < 0)
		prm_perror(params, ret, "Scanning the '%s' backend failed", name);
	free(args_copy);
}

struct iio_scan *iio_scan(const struct iio_context_params *params, const char *backends)
{
	struct iio_scan *scan;
	const char *p, *end;
	unsigned int i;

	scan = calloc(1, sizeof(*scan));
	if (!scan)
		return iio_ptr(-ENOMEM);
	scan->params = params;

	if (!backends) {
		for (i = 0; i < iio_get_builtin_backends_count(); i++) {
			const char *name = iio_get_builtin_backend(i);

			scan_backend(scan, params, name, strlen(name));
		}
		return scan;
	}

	/* Commas separate backends; semicolons too, for scripts written for 0.x. */
	for (p = backends; *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",;");
		scan_backend(scan, params, p, (size_t)(end - p));
	}
	return scan;
}

void iio_scan_destroy(struct iio_scan *ctx)
{
	size_t i;

	if (!ctx)
		return;
	for (i = 0; i < ctx->count; i++) {
		free(ctx->results[i].description);
		free(ctx->results[i].uri);
	}
	free(ctx->results);
	free(ctx);
}

size_t iio_scan_get_results_count(const struct iio_scan *ctx)
{
	return ctx->count;
}

const char *iio_scan_get_description(const struct iio_scan *ctx, size_t idx)
{
	return idx < ctx->count ? ctx->results[idx].description : NULL;
}

const char *iio_scan_get_uri(const struct iio_scan *ctx, size_t idx)
{
	return idx < ctx->count ? ctx->results[idx].uri : NULL;
}
