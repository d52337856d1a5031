// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The local backend's operations besides attribute I/O: triggers,
 * debugfs register access, scan format refresh, context scan.
 */
#include "test-local-fixture.h"

#include <fcntl.h>
#include "iio-config.h"

#if WITH_LOCAL_BACKEND

static const struct iio_context_params quiet = { .log_level = LEVEL_NOLOG };

static void test_triggers(void)
{
	const char *root = fixture_generate("ops-sensors", "adxl345.sysfs", "hwmon.sysfs",
					    "parser-rules.sysfs", NULL);
	struct iio_context *ctx = fixture_context();
	const struct iio_device *accel = find_device(ctx, "adxl345");
	const struct iio_device *xadc = find_device(ctx, "xadc");
	const struct iio_device *trig0 = find_device(ctx, "trigger0");
	const struct iio_device *trig1 = find_device(ctx, "trigger1");
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/trigger/current_trigger",
		 fixture_device_dir(root, "iio:device0"));

	/* The current trigger is found by name. */
	CHECK(iio_device_get_trigger(accel) == trig0);

	/* Attach another one: its name is written. */
	CHECK_INT(iio_device_set_trigger(accel, trig1), 0);
	CHECK_STR(fixture_read(path), "sysfstrig1");
	CHECK(iio_device_get_trigger(accel) == trig1);

	/* Detach: an empty name; then no trigger. */
	CHECK_INT(iio_device_set_trigger(accel, NULL), 0);
	CHECK_INT(fixture_read(path)[0], '\0');
	CHECK_INT(iio_err(iio_device_get_trigger(accel)), -ENODEV);

	/* A trigger that is not in the context. */
	fixture_write(path, "some-other-trigger\n");
	CHECK_INT(iio_err(iio_device_get_trigger(accel)), -ENXIO);

	/* Empty current_trigger (xadc), no trigger/ at all (hwmon, ltc2983). */
	CHECK_INT(iio_err(iio_device_get_trigger(xadc)), -ENODEV);
	CHECK_INT(iio_err(iio_device_get_trigger(find_device(ctx, "ltc2983"))), -ENOENT);
	CHECK_INT(iio_device_set_trigger(find_device(ctx, "ltc2983"), trig0), -ENOENT);
	CHECK_INT(iio_err(iio_device_get_trigger(find_device(ctx, "hwmon0"))), -ENOENT);

	/* Only triggers can be set as triggers. */
	CHECK_INT(iio_device_set_trigger(accel, xadc), -EINVAL);
	CHECK_INT(iio_device_set_trigger(accel, find_device(ctx, "iio_sysfs_trigger")), -EINVAL);
	iio_context_destroy(ctx);
}

static void test_registers(void)
{
	const char *root = fixture_generate("ops-ad9361", "ad9361.sysfs", NULL);
	struct iio_context *ctx = fixture_context();
	struct iio_device *phy = find_device(ctx, "ad9361-phy");
	struct iio_device *ltc;
	char path[PATH_MAX];
	uint32_t value = 0;

	snprintf(path, sizeof(path), "%s/sys/kernel/debug/iio/iio:device0/direct_reg_access", root);

	/*
	 * A plain file stands in for the driver: the address is written over
	 * the start of "0x5a5a\n", then the file is read back.
	 */
	CHECK_INT(iio_device_reg_read(phy, 0x5, &value), 0);
	CHECK_INT(value, 0x5a5a);
	CHECK_INT(iio_device_reg_read(phy, 0x7, &value), 0);
	CHECK_INT(value, 0x7a5a);
	CHECK_STR(fixture_read(path), "0x7a5a\n");

	/* Write: "0x<address> 0x<value>" replaces the content. */
	CHECK_INT(iio_device_reg_write(phy, 0x10, 0xdeadbeef), 0);
	CHECK_STR(fixture_read(path), "0x10 0xdeadbeef");

	/* Not a register value: -EIO, never a made-up number. */
	fixture_write(path, "garbage\n");
	CHECK_INT(iio_device_reg_read(phy, 0x1, &value), -EIO);
	fixture_write(path, "0x1ffffffff\n");
	CHECK_INT(iio_device_reg_read(phy, 0x1, &value), -EIO);
	CHECK_INT(iio_device_reg_read(phy, 0x1, NULL), -EINVAL);

	/* No debugfs directory: -ENOENT. */
	iio_context_destroy(ctx);
	fixture_generate("ops-sensors", "adxl345.sysfs", "hwmon.sysfs", "parser-rules.sysfs",
			 NULL);
	ctx = fixture_context();
	CHECK_INT(iio_device_reg_read(find_device(ctx, "xadc"), 0, &value), -ENOENT);
	CHECK_INT(iio_device_reg_write(find_device(ctx, "xadc"), 0, 1), -ENOENT);
	/* Found by the label of its debugfs directory. */
	ltc = find_device(ctx, "ltc2983");
	CHECK_INT(iio_device_reg_read(ltc, 0x1, &value), 0);
	CHECK_INT(value, 0x12);
	iio_context_destroy(ctx);
}

static void test_refresh_format(void)
{
	const char *root = fixture_generate("ops-refresh", "ad9361.sysfs", NULL);
	struct iio_context *ctx = fixture_context();
	struct iio_device *rx = find_device(ctx, "cf-ad9361-lpc");
	struct iio_channel *chn = find_channel(rx, "voltage1", false);
	const struct iio_data_format *fmt = iio_channel_get_data_format(chn);
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/scan_elements/in_voltage1_type",
		 fixture_device_dir(root, "iio:device2"));
	CHECK_INT(fmt->bits, 12);

	fixture_write(path, "be:u14/32X2>>2\n");
	CHECK_INT(iio_channel_refresh_format(chn), 0);
	CHECK_INT(fmt->bits, 14);
	CHECK_INT(fmt->length, 32);
	CHECK_INT(fmt->shift, 2);
	CHECK_INT(fmt->repeat, 2);
	CHECK(fmt->is_be);
	CHECK(!fmt->is_signed);
	CHECK(!fmt->is_fully_defined);

	/* A bad format is an error and leaves the previous one. */
	fixture_write(path, "nonsense\n");
	CHECK_INT(iio_channel_refresh_format(chn), -EINVAL);
	CHECK_INT(fmt->bits, 14);

	chn = find_channel(find_device(ctx, "ad9361-phy"), "voltage2", false);
	CHECK_INT(iio_channel_refresh_format(chn), -EINVAL); /* not a scan element */
	iio_context_destroy(ctx);

	/* scale and offset survive a refresh. */
	root = fixture_generate("ops-refresh-accel", "adxl345.sysfs", NULL);
	ctx = fixture_context();
	chn = find_channel(find_device(ctx, "adxl345"), "accel_y", false);
	fmt = iio_channel_get_data_format(chn);
	snprintf(path, sizeof(path), "%s/scan_elements/in_accel_y_type",
		 fixture_device_dir(root, "iio:device0"));
	fixture_write(path, "le:s10/16>>6\n");
	CHECK_INT(iio_channel_refresh_format(chn), 0);
	CHECK_INT(fmt->bits, 10);
	CHECK_INT(fmt->shift, 6);
	CHECK(fmt->with_scale);
	CHECK(fmt->scale == 0.0383);
	iio_context_destroy(ctx);
}

static void check_scan(const char *expected)
{
	struct iio_scan *scan = iio_scan(&quiet, "local");

	CHECK(!iio_err(scan));
	if (!expected) {
		CHECK_INT(iio_scan_get_results_count(scan), 0);
	} else {
		CHECK_INT(iio_scan_get_results_count(scan), 1);
		CHECK_STR(iio_scan_get_uri(scan, 0), "local:");
		CHECK_STR(iio_scan_get_description(scan, 0), expected);
	}
	iio_scan_destroy(scan);
}

static void test_scan(void)
{
	const char *root;
	char path[PATH_MAX];

	/* Devicetree model; IIO device names (not triggers). */
	fixture_generate("ops-scan-ad9361", "ad9361.sysfs", NULL);
	check_scan("(ad9361-phy,cf-ad9361-dds-core-lpc,cf-ad9361-lpc on Fixture ZC706 board)");

	/* DMI vendor; hwmon names too. */
	root = fixture_generate("ops-scan-sensors", "adxl345.sysfs", "hwmon.sysfs", NULL);
	check_scan("(adxl345,cpu_thermal,ina219,nct6775 on Fixture Boards Inc.)");

	/* No model anywhere. */
	snprintf(path, sizeof(path), "%s/sys/class/dmi/id/board_vendor", root);
	CHECK(unlink(path) == 0);
	check_scan("(Local IIO devices)");

	/* Nothing at all: no result. */
	snprintf(path, sizeof(path), "%s/local-fixtures/does-not-exist", IIO_BUILD_DIR);
	CHECK(setenv("LIBIIO_LOCAL_ROOT", path, 1) == 0);
	check_scan(NULL);
}

static void test_many_names_in_scan(void)
{
	const char *root = fixture_generate("ops-scan-many", "hwmon.sysfs", NULL);
	struct iio_scan *scan;
	const char *desc;
	char cmd[2 * PATH_MAX];
	unsigned int i;

	/* 40 devices with long names: the description stays bounded. */
	for (i = 0; i < 40; i++) {
		snprintf(cmd, sizeof(cmd),
			 "mkdir -p '%s/sys/bus/iio/devices/iio:device%u' && "
			 "echo a-rather-long-device-name-%u > '%s/sys/bus/iio/devices/iio:device%u/name'",
			 root, i, i, root, i);
		CHECK(system(cmd) == 0);
	}
	scan = iio_scan(&quiet, "local");
	CHECK_INT(iio_scan_get_results_count(scan), 1);
	desc = iio_scan_get_description(scan, 0);
	CHECK(strlen(desc) < 200);
	CHECK_STR(desc, "(a-rather-long-device-name-0,a-rather-long-device-name-1,"
			"a-rather-long-device-name-2,a-rather-long-device-name-3 on "
			"Fixture Boards Inc.)");
	iio_scan_destroy(scan);
}

int main(void)
{
	test_triggers();
	test_registers();
	test_refresh_format();
	test_scan();
	test_many_names_in_scan();
	printf("test-local-ops: OK\n");
	return 0;
}

#else /* !WITH_LOCAL_BACKEND */

int main(void)
{
	printf("test-local-ops: SKIP (built without the local backend)\n");
	return 0;
}

#endif /* WITH_LOCAL_BACKEND */
