// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Where the backend looks: the production paths, optionally under a root
 * prefix taken from LIBIIO_LOCAL_ROOT so that tests can run on fixture trees.
 */
#include "local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *local_root_from_env(void)
{
	/* secure_getenv: a set-uid program must not be pointed at another tree. */
	const char *root = secure_getenv(LOCAL_ROOT_ENV);

	return root ? root : "";
}

int local_path(char *dst, size_t len, const char *root, const char *fmt, ...)
{
	size_t root_len = strlen(root);
	va_list ap;
	int ret;

	/* "/tmp/x/" and "/tmp/x" are the same root: never produce "//sys". */
	while (root_len > 0 && root[root_len - 1] == '/')
		root_len--;
	if (root_len >= len)
		return -ENAMETOOLONG;
	memcpy(dst, root, root_len);

	va_start(ap, fmt);
	ret = vsnprintf(dst + root_len, len - root_len, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -EINVAL;
	if ((size_t)ret >= len - root_len)
		return -ENAMETOOLONG;
	return (int)root_len + ret;
}
