// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The local backend's sysfs file name parser (local/names.c): every naming
 * rule of local.md §5-7, on the kernel's real file names.
 */
#include "check.h"
#include "local/local.h"
#include "iio-config.h"

#if WITH_LOCAL_BACKEND

static void check_id(const char *file, bool hwmon, const char *expected)
{
	char id[64];
	int ret = local_channel_id(file, hwmon, id, sizeof(id));

	if (!expected) {
		CHECK(ret < 0);
		return;
	}
	if (ret < 0) {
		fprintf(stderr, "local_channel_id(\"%s\") failed: %d\n", file, ret);
		exit(1);
	}
	CHECK_STR(id, expected);
	CHECK_INT(ret, strlen(expected));
}

static void check_attr_name(const char *file, bool hwmon, const char *expected)
{
	char id[64];

	CHECK(local_channel_id(file, hwmon, id, sizeof(id)) > 0);
	CHECK_STR(local_channel_attr_name(file, id, hwmon), expected);
}

static void test_prefix_and_direction(void)
{
	CHECK_INT(local_name_prefix_len("in_voltage0_raw"), 3);
	CHECK_INT(local_name_prefix_len("out_voltage0_raw"), 4);
	CHECK_INT(local_name_prefix_len("sampling_frequency"), 0);
	CHECK_INT(local_name_prefix_len("input"), 0);
	CHECK_INT(local_name_prefix_len("outer"), 0);
	CHECK(local_name_is_output("out_altvoltage0_frequency"));
	CHECK(!local_name_is_output("in_voltage0_raw"));
}

static void test_strict_channel_detection(void)
{
	/* Indexed channels: a digit before the '_'. */
	CHECK(local_is_channel_file("in_voltage0_raw", true));
	CHECK(local_is_channel_file("out_voltage3_raw", true));
	CHECK(local_is_channel_file("in_voltage12_scale", true));
	/* Modified channels: a modifier name after the type. */
	CHECK(local_is_channel_file("in_accel_x_raw", true));
	CHECK(local_is_channel_file("in_anglvel_z_calibbias", true));
	CHECK(local_is_channel_file("in_intensity_both_raw", true));
	CHECK(local_is_channel_file("in_rot_from_north_magnetic_tilt_comp_raw", true));
	CHECK(local_is_channel_file("in_massconcentration_pm2p5_input", true));
	CHECK(local_is_channel_file("in_accel_x", true)); /* modifier then NUL */
	/* Differential channels. */
	CHECK(local_is_channel_file("in_voltage0-voltage1_raw", true));
	/* Extended names. */
	CHECK(local_is_channel_file("in_voltage0_vccint_raw", true));
	CHECK(local_is_channel_file("out_altvoltage0_RX_LO_frequency", true));
	/* The timestamp channel is always a channel. */
	CHECK(local_is_channel_file("in_timestamp_en", true));
	CHECK(local_is_channel_file("in_timestamp_type", true));

	/* Shared by type, direction or all: not channels in the first pass. */
	CHECK(!local_is_channel_file("in_voltage_scale", true));
	CHECK(!local_is_channel_file("in_accel_scale", true));
	CHECK(!local_is_channel_file("in_voltage-voltage_scale", true));
	CHECK(!local_is_channel_file("in_sampling_frequency", true));
	CHECK(!local_is_channel_file("out_voltage_rf_bandwidth", true));
	CHECK(!local_is_channel_file("sampling_frequency", true));
	CHECK(!local_is_channel_file("name", true));
	/* A modifier must be a whole word: "xyz" is not "x". */
	CHECK(!local_is_channel_file("in_accel_xyz_raw", true));
	/* No '_' after the type, or an empty type. */
	CHECK(!local_is_channel_file("in_voltage0", true));
	CHECK(!local_is_channel_file("in__raw", true));
	CHECK(!local_is_channel_file("in__raw", false));
	CHECK(!local_is_channel_file("in_", false));
}

static void test_loose_channel_detection(void)
{
	/* Leftovers: anything "in_<x>_<y>" may be an index-less channel. */
	CHECK(local_is_channel_file("in_temp_raw", false));
	CHECK(local_is_channel_file("in_illuminance_input", false));
	CHECK(local_is_channel_file("in_sampling_frequency", false));
	CHECK(!local_is_channel_file("sampling_frequency", false));
	CHECK(!local_is_channel_file("in_steps", false));
}

static void test_channel_ids(void)
{
	check_id("in_voltage0_raw", false, "voltage0");
	check_id("out_voltage3_scale", false, "voltage3");
	check_id("in_accel_x_raw", false, "accel_x");
	check_id("in_accel_y_calibbias", false, "accel_y");
	check_id("in_accel_x", false, "accel_x");
	check_id("in_voltage0-voltage1_raw", false, "voltage0-voltage1");
	check_id("in_timestamp_en", false, "timestamp");
	check_id("out_altvoltage0_RX_LO_frequency", false, "altvoltage0");
	check_id("in_voltage0_vccint_raw", false, "voltage0");
	check_id("in_intensity0_ir_raw", false, "intensity0_ir");
	check_id("in_rot_from_north_magnetic_tilt_comp_raw", false,
		 "rot_from_north_magnetic_tilt_comp");
	/* The longest modifier wins: "x&y&z", not "x". */
	check_id("in_accel_x&y&z_mag_rising_en", false, "accel_x&y&z");
	/* Upstream splits "delta_angl" at its '_'; we keep the kernel type whole. */
	check_id("in_delta_angl_x_raw", false, "delta_angl_x");
	check_id("in_delta_velocity_z_raw", false, "delta_velocity_z");
	check_id("in_delta_angl0_raw", false, "delta_angl0");
	check_id("in_temp_raw", false, "temp");
	check_id("sampling_frequency", false, NULL);
	check_id("in__raw", false, NULL);

	/* hwmon: text before the first '_', or the whole name. */
	check_id("temp1_input", true, "temp1");
	check_id("in0_input", true, "in0");
	check_id("fan2_alarm", true, "fan2");
	check_id("pwm1", true, "pwm1");
	check_id("pwm1_enable", true, "pwm1");

	/* A name longer than the caller's buffer is an error, not a truncation. */
	{
		char small[4];

		CHECK_INT(local_channel_id("in_voltage0_raw", false, small, sizeof(small)),
			  -ENAMETOOLONG);
	}
}

static void test_attr_names(void)
{
	check_attr_name("in_voltage0_raw", false, "raw");
	check_attr_name("in_accel_x_calibbias", false, "calibbias");
	check_attr_name("in_voltage0-voltage1_raw", false, "raw");
	check_attr_name("in_voltage0_vccint_raw", false, "vccint_raw");
	check_attr_name("out_altvoltage0_RX_LO_frequency", false, "RX_LO_frequency");
	check_attr_name("in_timestamp_en", false, "en");
	check_attr_name("in_voltage0_label", false, "label");
	check_attr_name("in_delta_angl_x_raw", false, "raw");
	check_attr_name("temp1_input", true, "input");
	check_attr_name("temp1_crit_alarm", true, "crit_alarm");
	check_attr_name("pwm1", true, "pwm1");
}

static void test_hwmon_detection(void)
{
	CHECK(local_is_hwmon_channel_file("in0_input"));
	CHECK(local_is_hwmon_channel_file("temp1_input"));
	CHECK(local_is_hwmon_channel_file("fan1_input"));
	CHECK(local_is_hwmon_channel_file("pwm1"));
	CHECK(local_is_hwmon_channel_file("curr1_input"));
	CHECK(local_is_hwmon_channel_file("power1_average"));
	CHECK(local_is_hwmon_channel_file("energy1_input"));
	CHECK(local_is_hwmon_channel_file("humidity1_input"));
	CHECK(local_is_hwmon_channel_file("intrusion0_alarm"));
	CHECK(!local_is_hwmon_channel_file("name"));
	CHECK(!local_is_hwmon_channel_file("update_interval"));
	CHECK(!local_is_hwmon_channel_file("index"));   /* "in" then 'd' */
	CHECK(!local_is_hwmon_channel_file("pwmfoo"));
	CHECK(!local_is_hwmon_channel_file("temperature"));
}

static size_t ext_len(const char *const *names, size_t count)
{
	return local_extended_name_len(names, count);
}

static void test_extended_names(void)
{
	static const char *const xadc[] = { "vccint_raw", "vccint_scale" };
	static const char *const lo[] = { "RX_LO_frequency", "RX_LO_external", "RX_LO_powerdown",
					  "RX_LO_frequency_available" };
	static const char *const tone[] = { "TX1_I_F1_frequency", "TX1_I_F1_phase",
					    "TX1_I_F1_raw", "TX1_I_F1_scale" };
	static const char *const plain[] = { "raw", "scale", "offset" };
	static const char *const partial[] = { "vccint_raw", "scale" };
	static const char *const sampling[] = { "sampling_frequency",
						"sampling_frequency_available" };
	static const char *const filters[] = { "filter_low_pass_3db_frequency",
					       "filter_high_pass_3db_frequency" };
	static const char *const named_sampling[] = { "adc_sampling_frequency",
						      "adc_sampling_frequency_available" };
	static const char *const gain[] = { "hardwaregain", "hardwaregain_available" };
	static const char *const one[] = { "vccint_raw" };

	CHECK_INT(ext_len(xadc, 2), 6);
	CHECK_INT(ext_len(lo, 4), 5);
	CHECK_INT(ext_len(tone, 4), 8);
	CHECK_INT(ext_len(plain, 3), 0);
	CHECK_INT(ext_len(partial, 2), 0);
	/* Upstream's "sampling" channel name: a kernel info name is never cut. */
	CHECK_INT(ext_len(sampling, 2), 0);
	CHECK_INT(ext_len(filters, 2), 0);
	CHECK_INT(ext_len(named_sampling, 2), 3);
	CHECK_INT(ext_len(gain, 2), 0);
	/* One attribute says nothing about a shared prefix. */
	CHECK_INT(ext_len(one, 1), 0);
}

static void check_shared(const char *file, const char *id, bool output, const char *name,
			 enum local_shared_match expected, const char *expected_attr)
{
	const char *attr = NULL;
	enum local_shared_match got = local_shared_attr_match(file, id, output, name, &attr);

	if (got != expected) {
		fprintf(stderr, "%s vs channel %s: match %d, expected %d\n", file, id, got,
			expected);
		exit(1);
	}
	if (expected != LOCAL_SHARED_NONE)
		CHECK_STR(attr, expected_attr);
}

static void test_shared_attrs(void)
{
	/* Level 1: shared by type. */
	check_shared("in_voltage_scale", "voltage0", false, NULL, LOCAL_SHARED_BY_TYPE, "scale");
	check_shared("in_voltage_scale", "voltage12", false, NULL, LOCAL_SHARED_BY_TYPE, "scale");
	check_shared("in_voltage_sampling_frequency", "voltage3", false, NULL,
		     LOCAL_SHARED_BY_TYPE, "sampling_frequency");
	check_shared("out_voltage_rf_bandwidth", "voltage1", true, NULL, LOCAL_SHARED_BY_TYPE,
		     "rf_bandwidth");
	check_shared("in_accel_scale", "accel_x", false, NULL, LOCAL_SHARED_BY_TYPE, "scale");
	check_shared("in_accel_scale_available", "accel_z", false, NULL, LOCAL_SHARED_BY_TYPE,
		     "scale_available");
	check_shared("in_intensity_scale", "intensity0_ir", false, NULL, LOCAL_SHARED_BY_TYPE,
		     "scale");
	check_shared("in_voltage-voltage_scale", "voltage0-voltage1", false, NULL,
		     LOCAL_SHARED_BY_TYPE, "scale");
	check_shared("in_voltage-voltage_scale", "voltage10-voltage11", false, NULL,
		     LOCAL_SHARED_BY_TYPE, "scale");
	check_shared("in_delta_angl_scale", "delta_angl_x", false, NULL, LOCAL_SHARED_BY_TYPE,
		     "scale");
	/* A named channel gets level 1 attributes under their plain name. */
	check_shared("in_voltage_scale", "voltage0", false, "vccint", LOCAL_SHARED_BY_TYPE,
		     "scale");
	/* Level 2: the extended name after the type. */
	check_shared("in_voltage_vccint_scale", "voltage0", false, "vccint",
		     LOCAL_SHARED_EXTENDED, "scale");

	/* Wrong direction, wrong type, other shapes. */
	check_shared("in_voltage_scale", "voltage0", true, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("out_voltage_scale", "voltage0", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("in_voltage_scale", "altvoltage0", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("in_voltage_scale", "voltagex", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("in_voltage_scale", "voltage", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("in_accel_scale", "anglvel_x", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("in_accel_scale", "accel_xyz", false, NULL, LOCAL_SHARED_NONE, NULL);
	/* Shared by type is not shared with the differential form, and back. */
	check_shared("in_voltage_scale", "voltage0-voltage1", false, NULL, LOCAL_SHARED_NONE,
		     NULL);
	check_shared("in_voltage-voltage_scale", "voltage0", false, NULL, LOCAL_SHARED_NONE,
		     NULL);
	check_shared("in_voltage-voltage_scale", "voltage0-temp1", false, NULL,
		     LOCAL_SHARED_NONE, NULL);
	/* Shared by direction or all: not a type match. */
	check_shared("in_sampling_frequency", "voltage0", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("sampling_frequency", "voltage0", false, NULL, LOCAL_SHARED_NONE, NULL);
	check_shared("in_voltage_", "voltage0", false, NULL, LOCAL_SHARED_NONE, NULL);
}

static void test_shared_by_direction(void)
{
	const char *name = NULL;

	CHECK(local_is_shared_by_direction("in_sampling_frequency", &name));
	CHECK_STR(name, "sampling_frequency");
	CHECK(local_is_shared_by_direction("out_scale_available", &name));
	CHECK_STR(name, "scale_available");
	CHECK(local_is_shared_by_direction("in_oversampling_ratio", &name));
	CHECK(!local_is_shared_by_direction("sampling_frequency", &name));
	CHECK(!local_is_shared_by_direction("in_out_voltage_filter_fir_en", &name));
	CHECK(!local_is_shared_by_direction("in_scale_foo", &name));
}

static void test_scan_files(void)
{
	CHECK_INT(local_scan_file_kind("in_voltage0_en"), LOCAL_SCAN_EN);
	CHECK_INT(local_scan_file_kind("in_voltage0_index"), LOCAL_SCAN_INDEX);
	CHECK_INT(local_scan_file_kind("in_voltage0_type"), LOCAL_SCAN_TYPE);
	CHECK_INT(local_scan_file_kind("out_voltage3_en"), LOCAL_SCAN_EN);
	CHECK_INT(local_scan_file_kind("in_timestamp_type"), LOCAL_SCAN_TYPE);
	CHECK_INT(local_scan_file_kind("in_accel_x_index"), LOCAL_SCAN_INDEX);
	CHECK_INT(local_scan_file_kind("data_available"), LOCAL_SCAN_NONE);
	CHECK_INT(local_scan_file_kind("enable"), LOCAL_SCAN_NONE);
	CHECK_INT(local_scan_file_kind("length_align_bytes"), LOCAL_SCAN_NONE);
	CHECK_INT(local_scan_file_kind("hwfifo_en"), LOCAL_SCAN_NONE);
	CHECK_INT(local_scan_file_kind("in_en"), LOCAL_SCAN_NONE);

	CHECK(local_is_reserved_buffer_file("length"));
	CHECK(local_is_reserved_buffer_file("enable"));
	CHECK(local_is_reserved_buffer_file("watermark"));
	CHECK(local_is_reserved_buffer_file("direction"));
	CHECK(!local_is_reserved_buffer_file("data_available"));
	CHECK(!local_is_reserved_buffer_file("length_align_bytes"));
}

static void test_hidden_device_files(void)
{
	CHECK(local_is_hidden_device_file("dev"));
	CHECK(local_is_hidden_device_file("uevent"));
	CHECK(local_is_hidden_device_file("waiting_for_supplier"));
	CHECK(local_is_hidden_device_file("name"));
	CHECK(local_is_hidden_device_file("label"));
	CHECK(!local_is_hidden_device_file("sampling_frequency"));
	CHECK(!local_is_hidden_device_file("current_timestamp_clock"));
}

static void test_paths(void)
{
	char path[64];

	CHECK_INT(local_path(path, sizeof(path), "", "%s/%s", LOCAL_IIO_DEVICES_DIR, "x"),
		  strlen("/sys/bus/iio/devices/x"));
	CHECK_STR(path, "/sys/bus/iio/devices/x");
	CHECK(local_path(path, sizeof(path), "/tmp/root/", LOCAL_INI_FILE) > 0);
	CHECK_STR(path, "/tmp/root/etc/libiio.ini");
	CHECK(local_path(path, sizeof(path), "/tmp/root", LOCAL_DEV_DIR "/%s", "iio:device0") > 0);
	CHECK_STR(path, "/tmp/root/dev/iio:device0");
	CHECK_INT(local_path(path, 8, "/tmp/root", LOCAL_INI_FILE), -ENAMETOOLONG);
	CHECK_INT(local_path(path, 4, "/tmp/root", LOCAL_INI_FILE), -ENAMETOOLONG);
}

int main(void)
{
	test_prefix_and_direction();
	test_strict_channel_detection();
	test_loose_channel_detection();
	test_channel_ids();
	test_attr_names();
	test_hwmon_detection();
	test_extended_names();
	test_shared_attrs();
	test_shared_by_direction();
	test_scan_files();
	test_hidden_device_files();
	test_paths();
	printf("test-local-names: OK\n");
	return 0;
}

#else /* !WITH_LOCAL_BACKEND */

int main(void)
{
	printf("test-local-names: SKIP (built without the local backend)\n");
	return 0;
}

#endif /* WITH_LOCAL_BACKEND */
