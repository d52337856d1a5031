// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The local backend on bad input: missing trees, wrong URIs, attribute files
 * that vanished or are not files, oversized values, bad writes, malformed
 * scan elements and ini files. Each case must give a clear error and never
 * block, crash or leak.
 */
#include "test-local-fixture.h"

#include <fcntl.h>
#include <time.h>
#include "iio-config.h"

#if WITH_LOCAL_BACKEND

static const struct iio_context_params quiet = { .log_level = LEVEL_NOLOG };

static int create_error(const char *uri)
{
	struct iio_context *ctx = iio_create_context(&quiet, uri);
	int ret = iio_err(ctx);

	if (!ret)
		iio_context_destroy(ctx);
	return ret;
}

static void test_missing_trees(void)
{
	char path[PATH_MAX];
	const char *root;
	struct iio_context *ctx;

	/* Neither /sys/bus/iio/devices nor /sys/class/hwmon. */
	snprintf(path, sizeof(path), "%s/local-fixtures/does-not-exist", IIO_BUILD_DIR);
	CHECK(setenv("LIBIIO_LOCAL_ROOT", path, 1) == 0);
	CHECK_INT(create_error("local:"), -ENOENT);

	/* hwmon only (no IIO subsystem loaded) is a valid, IIO-less context. */
	root = fixture_generate("errors-hwmon-only", "hwmon.sysfs", NULL);
	ctx = iio_create_context(&quiet, "local:");
	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_get_devices_count(ctx), 3);
	iio_context_destroy(ctx);

	/* An empty IIO directory and no hwmon: a context with no device. */
	snprintf(path, sizeof(path), "rm -rf '%s/sys/class/hwmon' && mkdir -p '%s/sys/bus/iio/devices'",
		 root, root);
	CHECK(system(path) == 0);
	ctx = iio_create_context(&quiet, "local:");
	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_get_devices_count(ctx), 0);
	iio_context_destroy(ctx);
}

static void test_uris(void)
{
	struct iio_context *ctx;

	fixture_generate("errors-uris", "hwmon.sysfs", NULL);
	CHECK_INT(create_error("local"), -ENOSYS);
	CHECK_INT(create_error("locall:"), -ENOSYS);
	CHECK_INT(create_error("LOCAL:"), -ENOSYS);
	/* Whatever follows "local:" is ignored; the uri attribute is "local:". */
	ctx = iio_create_context(&quiet, "local:whatever");
	CHECK(!iio_err(ctx));
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "uri")), "local:");
	iio_context_destroy(ctx);
}

static const struct iio_attr *rx_attr(const struct iio_context *ctx, const char *name)
{
	const struct iio_device *dev = find_device(ctx, "ad9361-phy");

	return iio_channel_find_attr(find_channel(dev, "voltage0", false), name);
}

static void replace_with(const char *dir, const char *file, const char *how)
{
	char cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "cd '%s' && rm -f '%s' && %s '%s'", dir, file, how, file);
	CHECK(system(cmd) == 0);
}

static void test_attribute_files(void)
{
	const char *root = fixture_generate("errors-attrs", "ad9361.sysfs", NULL);
	char dir[PATH_MAX], path[2 * PATH_MAX], buf[64], big[3000];
	struct iio_context *ctx = fixture_context();
	const struct iio_attr *attr;
	time_t start;

	snprintf(dir, sizeof(dir), "%s", fixture_device_dir(root, "iio:device0"));

	/* The file went away after the context was made. */
	attr = rx_attr(ctx, "rssi");
	replace_with(dir, "in_voltage0_rssi", "true");
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), -ENOENT);
	CHECK_INT(iio_attr_write_string(attr, "1"), -ENOENT);

	/* A directory where a file is expected. */
	attr = rx_attr(ctx, "gain_control_mode");
	replace_with(dir, "in_voltage0_gain_control_mode", "mkdir");
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), -EISDIR);
	CHECK_INT(iio_attr_write_string(attr, "manual"), -EISDIR);

	/* A dangling symlink. */
	attr = rx_attr(ctx, "rf_port_select");
	replace_with(dir, "in_voltage0_rf_port_select", "ln -s /nonexistent/target");
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), -ENOENT);

	/* A FIFO must not block the reader or the writer. */
	attr = rx_attr(ctx, "hardwaregain");
	replace_with(dir, "in_voltage0_hardwaregain", "mkfifo");
	start = time(NULL);
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), -EINVAL);
	CHECK(iio_attr_write_string(attr, "10") < 0);
	CHECK(time(NULL) - start < 5);

	/* Larger than the caller's buffer. */
	memset(big, '7', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/in_voltage_rf_bandwidth", dir);
	fixture_write(path, big);
	attr = rx_attr(ctx, "rf_bandwidth");
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), -EFBIG);
	CHECK_INT(iio_attr_read_raw(attr, big, sizeof(big) - 1), (ssize_t)sizeof(big) - 1);
	CHECK_INT(strlen(big), sizeof(big) - 2);
	/* Exactly the buffer's size: fits when the last byte is the newline. */
	fixture_write(path, "1234567\n");
	CHECK_INT(iio_attr_read_raw(attr, buf, 8), 8);
	CHECK_STR(buf, "1234567");
	fixture_write(path, "12345678");
	CHECK_INT(iio_attr_read_raw(attr, buf, 8), -EFBIG);
	/* No trailing newline: nothing is cut. */
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), 9);
	CHECK_STR(buf, "12345678");
	/* Empty file. */
	fixture_write(path, "");
	CHECK_INT(iio_attr_read_raw(attr, buf, sizeof(buf)), 1);
	CHECK_STR(buf, "");
	CHECK_INT(iio_attr_read_raw(attr, buf, 0), -EINVAL);

	/* Writes: one write() of the bytes given (the string's NUL included). */
	attr = rx_attr(ctx, "sampling_frequency");
	CHECK_INT(iio_attr_write_string(attr, "1000000"), 8);
	snprintf(path, sizeof(path), "%s/in_voltage_sampling_frequency", dir);
	CHECK(memcmp(fixture_read(path), "1000000", 8) == 0);
	CHECK_INT(iio_attr_write_longlong(attr, 42), 0);
	CHECK_STR(fixture_read(path), "42");
	CHECK_INT(iio_attr_write_raw(attr, "x", 0), -EIO);
	/* A context attribute is not writable. */
	CHECK_INT(iio_attr_write_string(iio_context_find_attr(ctx, "uri"), "x"), -EPERM);

	iio_context_destroy(ctx);
}

static void set_file(const char *root, const char *dev, const char *file, const char *content)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", fixture_device_dir(root, dev), file);
	fixture_write(path, content);
}

static void test_creation_errors(void)
{
	const char *root = fixture_generate("errors-creation", "ad9361.sysfs", NULL);
	char path[PATH_MAX], big[2048];
	struct iio_context *ctx;

	/* Malformed scan format. */
	set_file(root, "iio:device2", "scan_elements/in_voltage1_type", "le:x12/16>>0\n");
	CHECK_INT(create_error("local:"), -EINVAL);
	set_file(root, "iio:device2", "scan_elements/in_voltage1_type", "le:S12/8>>0\n");
	CHECK_INT(create_error("local:"), -EINVAL);
	set_file(root, "iio:device2", "scan_elements/in_voltage1_type", "le:S12/16>>0\n");

	/* Malformed or negative scan index. */
	set_file(root, "iio:device2", "scan_elements/in_voltage1_index", "-1\n");
	CHECK_INT(create_error("local:"), -EINVAL);
	set_file(root, "iio:device2", "scan_elements/in_voltage1_index", "one\n");
	CHECK_INT(create_error("local:"), -EINVAL);
	set_file(root, "iio:device2", "scan_elements/in_voltage1_index", "0x1\n");
	ctx = fixture_context();
	CHECK_INT(iio_channel_get_index(find_channel(find_device(ctx, "cf-ad9361-lpc"),
						     "voltage1", false)),
		  1);
	iio_context_destroy(ctx);

	/* A scale that cannot be read fails the context (api.md §6). */
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	set_file(root, "iio:device0", "in_voltage2_scale", big);
	CHECK_INT(create_error("local:"), -EFBIG);
	set_file(root, "iio:device0", "in_voltage2_scale", "not a number\n");
	CHECK_INT(create_error("local:"), -EINVAL);
	set_file(root, "iio:device0", "in_voltage2_scale", "0.305250\n");

	/* Entries to skip: a FIFO and a dangling link among the files, a dangling device. */
	snprintf(path, sizeof(path), "cd '%s' && mkfifo in_voltage0_fifo_test && "
		 "ln -s /nonexistent in_voltage0_dangling && "
		 "ln -s ../../../devices/nowhere '%s/sys/bus/iio/devices/iio:device7'",
		 fixture_device_dir(root, "iio:device0"), root);
	CHECK(system(path) == 0);
	ctx = fixture_context();
	CHECK_INT(iio_context_get_devices_count(ctx), 3);
	CHECK(iio_channel_find_attr(find_channel(find_device(ctx, "ad9361-phy"), "voltage0", false),
				    "fifo_test") == NULL);
	iio_context_destroy(ctx);
}

static void test_ini_file(void)
{
	const char *root = fixture_generate("errors-ini", "hwmon.sysfs", NULL);
	char path[PATH_MAX];
	struct iio_context *ctx;

	snprintf(path, sizeof(path), "mkdir -p '%s/etc'", root);
	CHECK(system(path) == 0);
	snprintf(path, sizeof(path), "%s/etc/libiio.ini", root);
	fixture_write(path, "; a comment\n"
			    "top = ignored, not in the section\n"
			    "[Other]\n"
			    "other = ignored too\n"
			    "[Context Attributes]\n"
			    "  hw_model =  \"Quoted Board\"  \n"
			    "# another comment\n"
			    "no equals sign here\n"
			    "= no key\n"
			    "uri = ip:1.2.3.4\n"
			    "serial = 1234=5678\n"
			    "[unterminated\n"
			    "after = ignored\n");
	ctx = fixture_context();
	CHECK_INT(iio_context_get_attrs_count(ctx), 4);
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "hw_model")),
		  "Quoted Board");
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "serial")), "1234=5678");
	/* The backend's own attributes win over the file. */
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "uri")), "local:");
	CHECK(iio_context_find_attr(ctx, "top") == NULL);
	CHECK(iio_context_find_attr(ctx, "after") == NULL);
	iio_context_destroy(ctx);

	/* An ini file that is a directory is reported, not fatal. */
	CHECK(unlink(path) == 0);
	CHECK(mkdir(path, 0755) == 0);
	ctx = iio_create_context(&quiet, "local:");
	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_get_attrs_count(ctx), 2);
	iio_context_destroy(ctx);
}

int main(void)
{
	test_missing_trees();
	test_uris();
	test_attribute_files();
	test_creation_errors();
	test_ini_file();
	printf("test-local-errors: OK\n");
	return 0;
}

#else /* !WITH_LOCAL_BACKEND */

int main(void)
{
	printf("test-local-errors: SKIP (built without the local backend)\n");
	return 0;
}

#endif /* WITH_LOCAL_BACKEND */
