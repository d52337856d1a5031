/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for the local backend tests: generate a fixture tree under the
 * build directory with tests/fixtures/gen-sysfs.py and open it as "local:".
 */
#ifndef IIO_TESTS_LOCAL_FIXTURE_H
#define IIO_TESTS_LOCAL_FIXTURE_H

#include "check.h"

#include <iio/iio.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/*
 * Generates ROOT = <build>/local-fixtures/<name> from the given descriptions
 * (file names under tests/fixtures/, NULL-terminated) and points
 * LIBIIO_LOCAL_ROOT at it. Returns the root (static storage).
 */
static inline const char *fixture_generate(const char *name, ...)
{
	static char root[PATH_MAX];
	char cmd[4096];
	const char *input;
	size_t len;
	va_list ap;

	snprintf(root, sizeof(root), "%s/local-fixtures/%s", IIO_BUILD_DIR, name);
	len = (size_t)snprintf(cmd, sizeof(cmd), "python3 '%s/tests/fixtures/gen-sysfs.py' --clean '%s'",
			       IIO_SOURCE_DIR, root);
	va_start(ap, name);
	while ((input = va_arg(ap, const char *)) && len < sizeof(cmd))
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " '%s/tests/fixtures/%s'",
					IIO_SOURCE_DIR, input);
	va_end(ap);
	CHECK(len < sizeof(cmd));
	if (system(cmd) != 0) {
		fprintf(stderr, "fixture generation failed: %s\n", cmd);
		exit(1);
	}
	CHECK(setenv("LIBIIO_LOCAL_ROOT", root, 1) == 0);
	return root;
}

static inline struct iio_context *fixture_context(void)
{
	struct iio_context *ctx = iio_create_context(NULL, "local:");

	if (iio_err(ctx)) {
		char msg[128];

		iio_strerror(iio_err(ctx), msg, sizeof(msg));
		fprintf(stderr, "local context on %s: %s\n", getenv("LIBIIO_LOCAL_ROOT"), msg);
		exit(1);
	}
	return ctx;
}

/* The real directory of a device of the fixture ("iio:device0", "hwmon1"). */
static inline const char *fixture_device_dir(const char *root, const char *id)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/%s/%s", root,
		 strncmp(id, "hwmon", 5) ? "devices/platform/fixture" : "devices/virtual/hwmon",
		 id);
	return path;
}

static inline void fixture_write(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	CHECK(fputs(content, f) >= 0);
	CHECK(fclose(f) == 0);
}

static inline const char *fixture_read(const char *path)
{
	static char buf[4096];
	size_t len;
	FILE *f = fopen(path, "r");

	CHECK(f != NULL);
	len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static inline struct iio_device *find_device(const struct iio_context *ctx, const char *name)
{
	struct iio_device *dev = iio_context_find_device(ctx, name);

	if (!dev) {
		fprintf(stderr, "no device '%s'\n", name);
		exit(1);
	}
	return dev;
}

static inline struct iio_channel *find_channel(const struct iio_device *dev, const char *id,
					bool output)
{
	struct iio_channel *chn = iio_device_find_channel(dev, id, output);

	if (!chn) {
		fprintf(stderr, "%s: no %s channel '%s'\n", iio_device_get_id(dev),
			output ? "output" : "input", id);
		exit(1);
	}
	return chn;
}

/* Reads an attribute and checks its value and the byte count (strlen + 1). */
static inline void check_value(const struct iio_attr *attr, const char *expected)
{
	char buf[1024];
	ssize_t ret;

	if (!attr) {
		fprintf(stderr, "missing attribute (expected value \"%s\")\n", expected);
		exit(1);
	}
	ret = iio_attr_read_raw(attr, buf, sizeof(buf));
	if (ret < 0) {
		fprintf(stderr, "reading %s failed: %zd\n", iio_attr_get_filename(attr), ret);
		exit(1);
	}
	CHECK_STR(buf, expected);
	CHECK_INT(ret, strlen(expected) + 1);
}

#endif /* IIO_TESTS_LOCAL_FIXTURE_H */
