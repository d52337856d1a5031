// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * "local:" contexts built from the fixture trees (the .sysfs files of tests/fixtures):
 * devices, channels, attributes and their values, buffers, events, debug and
 * context attributes, ordering.
 */
#include "test-local-fixture.h"

#include <iio/iio-backend.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#include "iio-config.h"

#if WITH_LOCAL_BACKEND

static void check_attr_names(const struct iio_channel *chn, const char *const *names,
			     unsigned int count)
{
	unsigned int i;

	CHECK_INT(iio_channel_get_attrs_count(chn), count);
	for (i = 0; i < count; i++)
		CHECK_STR(iio_attr_get_name(iio_channel_get_attr(chn, i)), names[i]);
}

static void test_ad9361_phy(const struct iio_context *ctx)
{
	static const char *const rx_attrs[] = {
		"bb_dc_offset_tracking_en", "filter_fir_en", "gain_control_mode",
		"gain_control_mode_available", "hardwaregain", "hardwaregain_available",
		"quadrature_tracking_en", "rf_bandwidth", "rf_bandwidth_available",
		"rf_dc_offset_tracking_en", "rf_port_select", "rf_port_select_available", "rssi",
		"sampling_frequency", "sampling_frequency_available",
	};
	static const char *const lo_attrs[] = {
		"external", "fastlock_load", "fastlock_recall", "fastlock_save", "fastlock_store",
		"frequency", "frequency_available", "powerdown",
	};
	struct iio_device *phy = find_device(ctx, "ad9361-phy");
	const struct iio_channel *chn;
	const struct iio_attr *attr;
	unsigned int i;

	CHECK_STR(iio_device_get_id(phy), "iio:device0");
	CHECK(iio_device_get_label(phy) == NULL);
	CHECK(!iio_device_is_trigger(phy));
	CHECK(!iio_device_is_hwmon(phy));
	CHECK_INT(iio_device_get_buffers_count(phy), 0);
	/* rx 0-2, temp0, tx 0-3, two LOs; "in_out_voltage_filter_fir_en" is no channel. */
	CHECK_INT(iio_device_get_channels_count(phy), 10);
	CHECK(iio_device_find_channel(phy, "out", false) == NULL);

	chn = find_channel(phy, "voltage0", false);
	check_attr_names(chn, rx_attrs, ARRAY_SIZE(rx_attrs));
	CHECK(iio_channel_get_name(chn) == NULL);
	CHECK_INT(iio_channel_get_type(chn), IIO_VOLTAGE);
	CHECK_INT(iio_channel_get_modifier(chn), IIO_NO_MOD);
	CHECK(!iio_channel_is_scan_element(chn));
	CHECK(iio_channel_get_index(chn) < 0);
	attr = iio_channel_find_attr(chn, "rf_bandwidth");
	CHECK_STR(iio_attr_get_filename(attr), "in_voltage_rf_bandwidth");
	CHECK_INT(attr->type, IIO_ATTR_TYPE_CHANNEL);
	check_value(attr, "18000000");
	check_value(iio_channel_find_attr(chn, "rssi"), "100.25 dB");
	CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "rssi")), "in_voltage0_rssi");

	/* The auxiliary ADC: scale and offset were read at creation. */
	chn = find_channel(phy, "voltage2", false);
	CHECK(iio_channel_get_data_format(chn)->with_scale);
	CHECK(iio_channel_get_data_format(chn)->scale == 0.30525);
	CHECK(iio_channel_get_data_format(chn)->offset == 57.0);

	/* Extended names: the LOs. */
	chn = find_channel(phy, "altvoltage0", true);
	CHECK_STR(iio_channel_get_name(chn), "RX_LO");
	CHECK(find_channel(phy, "RX_LO", true) == chn);
	CHECK_INT(iio_channel_get_type(chn), IIO_ALTVOLTAGE);
	check_attr_names(chn, lo_attrs, ARRAY_SIZE(lo_attrs));
	attr = iio_channel_find_attr(chn, "frequency");
	CHECK_STR(iio_attr_get_filename(attr), "out_altvoltage0_RX_LO_frequency");
	check_value(attr, "2400000000");
	/* Old-kernel style name: "<extended name>_<attr>". */
	CHECK(iio_channel_find_attr(chn, "RX_LO_frequency") == attr);
	CHECK_STR(iio_channel_get_name(find_channel(phy, "altvoltage1", true)), "TX_LO");

	/* Device attributes: everything else, sorted, name/uevent/dev hidden. */
	CHECK_INT(iio_device_get_attrs_count(phy), 18);
	for (i = 1; i < iio_device_get_attrs_count(phy); i++)
		CHECK(strcmp(iio_attr_get_name(iio_device_get_attr(phy, i - 1)),
			     iio_attr_get_name(iio_device_get_attr(phy, i))) < 0);
	CHECK(iio_device_find_attr(phy, "name") == NULL);
	CHECK(iio_device_find_attr(phy, "uevent") == NULL);
	CHECK(iio_device_find_attr(phy, "dev") == NULL);
	CHECK(iio_device_find_attr(phy, "power") == NULL);
	CHECK(iio_device_find_attr(phy, "subsystem") == NULL);
	check_value(iio_device_find_attr(phy, "ensm_mode"), "fdd");
	check_value(iio_device_find_attr(phy, "in_out_voltage_filter_fir_en"), "0");
	attr = iio_device_find_attr(phy, "calib_mode");
	CHECK_INT(attr->type, IIO_ATTR_TYPE_DEVICE);
	CHECK_STR(iio_attr_get_filename(attr), "calib_mode");

	/* Debug attributes from debugfs. */
	CHECK_INT(iio_device_get_debug_attrs_count(phy), 17);
	attr = iio_device_find_debug_attr(phy, "adi,2rx-2tx-mode-enable");
	CHECK_INT(attr->type, IIO_ATTR_TYPE_DEBUG);
	check_value(attr, "1");
	check_value(iio_device_find_debug_attr(phy, "direct_reg_access"), "0x5a5a");
}

static void test_ad9361_cores(const struct iio_context *ctx)
{
	struct iio_device *rx = find_device(ctx, "cf-ad9361-lpc");
	struct iio_device *tx = find_device(ctx, "cf-ad9361-dds-core-lpc");
	const struct iio_data_format *fmt;
	const struct iio_channel *chn;
	const struct iio_buffer *buf;
	unsigned int i;

	CHECK_INT(iio_device_get_channels_count(rx), 4);
	CHECK_INT(iio_device_get_buffers_count(rx), 1);
	buf = iio_device_get_buffer(rx, 0);
	CHECK(!iio_buffer_is_output(buf));
	CHECK_INT(iio_buffer_get_scan_elements_count(buf), 4);
	/* Reserved buffer files are hidden. */
	CHECK_INT(iio_buffer_get_attrs_count(buf), 2);
	check_value(iio_buffer_find_attr(buf, "length_align_bytes"), "8");
	CHECK_INT(iio_buffer_find_attr(buf, "data_available")->type, IIO_ATTR_TYPE_BUFFER);
	CHECK(iio_buffer_find_attr(buf, "length") == NULL);
	CHECK(iio_buffer_find_attr(buf, "enable") == NULL);
	CHECK(iio_buffer_find_attr(buf, "watermark") == NULL);
	CHECK(iio_buffer_find_attr(buf, "direction") == NULL);
	for (i = 0; i < 4; i++) {
		char id[16];

		snprintf(id, sizeof(id), "voltage%u", i);
		chn = iio_device_get_channel(rx, i);
		CHECK_STR(iio_channel_get_id(chn), id);
		CHECK(iio_buffer_get_scan_element(buf, i) == chn);
		CHECK(iio_channel_is_scan_element(chn));
		CHECK_INT(iio_channel_get_index(chn), i);
		fmt = iio_channel_get_data_format(chn);
		/* le:S12/16>>0 */
		CHECK_INT(fmt->length, 16);
		CHECK_INT(fmt->bits, 12);
		CHECK_INT(fmt->shift, 0);
		CHECK(fmt->is_signed);
		CHECK(fmt->is_fully_defined);
		CHECK(!fmt->is_be);
		CHECK_INT(fmt->repeat, 1);
		CHECK_INT(iio_channel_get_attrs_count(chn), 4);
		CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "sampling_frequency")),
			  "in_voltage_sampling_frequency");
	}
	check_value(iio_channel_find_attr(iio_device_get_channel(rx, 3), "calibscale"),
		    "1.000000");

	/* TX: 4 DMA channels first (indexed), then 8 DDS tones. */
	CHECK_INT(iio_device_get_channels_count(tx), 12);
	buf = iio_device_get_buffer(tx, 0);
	CHECK(iio_buffer_is_output(buf));
	CHECK_INT(iio_buffer_get_scan_elements_count(buf), 4);
	for (i = 0; i < 4; i++) {
		chn = iio_device_get_channel(tx, i);
		CHECK(iio_channel_is_output(chn));
		CHECK_INT(iio_channel_get_index(chn), i);
		CHECK_INT(iio_channel_get_data_format(chn)->bits, 16);
	}
	chn = find_channel(tx, "TX2_Q_F1", true);
	CHECK_STR(iio_channel_get_id(chn), "altvoltage6");
	CHECK(!iio_channel_is_scan_element(chn));
	check_value(iio_channel_find_attr(chn, "phase"), "0");
	check_value(iio_channel_find_attr(find_channel(tx, "TX1_I_F1", true), "phase"), "90000");
	check_value(iio_channel_find_attr(chn, "sampling_frequency"), "30720000");
	CHECK(iio_channel_get_data_format(chn)->scale == 0.25);
	check_value(iio_device_find_debug_attr(tx, "direct_reg_access"), "0x90162");
}

static void test_ad9361(void)
{
	struct iio_context *ctx;
	const struct iio_attr *attr;
	char *xml;

	fixture_generate("context-ad9361", "ad9361.sysfs", NULL);
	ctx = fixture_context();

	CHECK_STR(iio_context_get_name(ctx), "local");
	CHECK(strncmp(iio_context_get_description(ctx), "Linux ", 6) == 0);
	CHECK_INT(iio_context_get_devices_count(ctx), 3);
	CHECK_STR(iio_device_get_id(iio_context_get_device(ctx, 0)), "iio:device0");
	CHECK_STR(iio_device_get_id(iio_context_get_device(ctx, 2)), "iio:device2");
	CHECK_INT(iio_context_get_params(ctx)->timeout_ms, 1000);

	/* Context attributes: the ini file, then uri and local,kernel. */
	CHECK_INT(iio_context_get_attrs_count(ctx), 4);
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "hw_model")),
		  "AD9361 fixture on Zynq");
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "hw_carrier")),
		  "Fixture ZC706");
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "uri")), "local:");
	attr = iio_context_find_attr(ctx, "local,kernel");
	CHECK(attr && strlen(iio_attr_get_static_value(attr)) > 0);
	CHECK_STR(iio_attr_get_name(iio_context_get_attr(ctx, 0)), "hw_carrier");
	CHECK_STR(iio_attr_get_name(iio_context_get_attr(ctx, 3)), "uri");

	test_ad9361_phy(ctx);
	test_ad9361_cores(ctx);

	xml = iio_context_get_xml(ctx);
	CHECK(!iio_err(xml));
	CHECK(strstr(xml, "<device id=\"iio:device2\" name=\"cf-ad9361-lpc\"") != NULL);
	CHECK(strstr(xml, "format=\"le:S12/16&gt;&gt;0\"") != NULL);
	free(xml);
	iio_context_destroy(ctx);
}

static void test_accelerometer(const struct iio_context *ctx)
{
	struct iio_device *dev = find_device(ctx, "adxl345");
	const struct iio_channel *chn;
	const struct iio_attr *attr;
	const struct iio_buffer *buf;
	static const char *const axes[] = { "accel_x", "accel_y", "accel_z" };
	static const char *const raw[] = { "12", "-3", "256" };
	unsigned int i;

	CHECK_STR(iio_device_get_id(dev), "iio:device0");
	CHECK_STR(iio_device_get_label(dev), "accel-base");
	CHECK(find_device(ctx, "accel-base") == dev);
	CHECK_INT(iio_device_get_channels_count(dev), 4);
	for (i = 0; i < 3; i++) {
		chn = iio_device_get_channel(dev, i);
		CHECK_STR(iio_channel_get_id(chn), axes[i]);
		CHECK_INT(iio_channel_get_type(chn), IIO_ACCEL);
		CHECK_INT(iio_channel_get_modifier(chn), IIO_MOD_X + i);
		CHECK_INT(iio_channel_get_index(chn), i);
		CHECK(iio_channel_get_name(chn) == NULL);
		CHECK_INT(iio_channel_get_attrs_count(chn), 6);
		check_value(iio_channel_find_attr(chn, "raw"), raw[i]);
		attr = iio_channel_find_attr(chn, "scale");
		CHECK_STR(iio_attr_get_filename(attr), "in_accel_scale");
		CHECK(iio_channel_get_data_format(chn)->with_scale);
		CHECK(iio_channel_get_data_format(chn)->scale == 0.0383);
		CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "scale_available")),
			  "in_accel_scale_available");
		CHECK_INT(iio_channel_get_data_format(chn)->bits, 13);
		CHECK(!iio_channel_get_data_format(chn)->is_fully_defined);

		/* Channel events, read from events/. */
		CHECK_INT(iio_channel_get_event_attrs_count(chn), 2);
		attr = iio_channel_find_event_attr(chn, "thresh_rising_en");
		CHECK_INT(attr->type, IIO_ATTR_TYPE_CHANNEL_EVENT);
		check_value(attr, i == 0 ? "1" : "0");
	}
	CHECK_STR(iio_attr_get_filename(
			  iio_channel_find_event_attr(iio_device_get_channel(dev, 0),
						      "thresh_rising_en")),
		  "in_accel_x_thresh_rising_en");

	chn = iio_device_get_channel(dev, 3);
	CHECK_STR(iio_channel_get_id(chn), "timestamp");
	CHECK_INT(iio_channel_get_type(chn), IIO_TIMESTAMP);
	CHECK_INT(iio_channel_get_index(chn), 3);
	CHECK_INT(iio_channel_get_attrs_count(chn), 0);
	CHECK_INT(iio_channel_get_data_format(chn)->length, 64);

	/* Shared event files and the "x&y&z" event stay with the device. */
	CHECK_INT(iio_device_get_event_attrs_count(dev), 4);
	attr = iio_device_find_event_attr(dev, "in_accel_thresh_rising_value");
	CHECK_INT(attr->type, IIO_ATTR_TYPE_DEVICE_EVENT);
	check_value(attr, "48");
	CHECK(iio_device_find_event_attr(dev, "in_accel_x&y&z_mag_rising_en") != NULL);

	CHECK_INT(iio_device_get_attrs_count(dev), 1);
	check_value(iio_device_find_attr(dev, "current_timestamp_clock"), "realtime");
	CHECK(iio_device_find_attr(dev, "of_node") == NULL); /* a link to a directory */

	buf = iio_device_get_buffer(dev, 0);
	CHECK_INT(iio_device_get_buffers_count(dev), 1);
	/* No direction file: output iff an output scan element exists. */
	CHECK(!iio_buffer_is_output(buf));
	CHECK_INT(iio_buffer_get_scan_elements_count(buf), 4);
	CHECK_INT(iio_buffer_get_attrs_count(buf), 1);

	CHECK_INT(iio_device_get_debug_attrs_count(dev), 1);
}

static void test_triggers(const struct iio_context *ctx)
{
	const struct iio_device *trig0 = find_device(ctx, "trigger0");
	const struct iio_device *trig1 = find_device(ctx, "sysfstrig1");
	const struct iio_device *sysfs = find_device(ctx, "iio_sysfs_trigger");

	CHECK_STR(iio_device_get_name(trig0), "adxl345-dev0");
	CHECK(iio_device_is_trigger(trig0));
	CHECK_INT(iio_device_get_attrs_count(trig0), 0);
	CHECK(iio_device_is_trigger(trig1));
	check_value(iio_device_find_attr(trig1, "trigger_now"), "0");
	/* No name file: not a trigger, just a device with two attributes. */
	CHECK(iio_device_get_name(sysfs) == NULL);
	CHECK(!iio_device_is_trigger(sysfs));
	CHECK_INT(iio_device_get_attrs_count(sysfs), 2);
	/* Triggers have no character device, so no chardev fd bookkeeping matters. */
	CHECK_INT(iio_device_get_channels_count(trig0), 0);
}

static void test_xadc(const struct iio_context *ctx)
{
	struct iio_device *dev = find_device(ctx, "xadc");
	static const char *const names[] = { "vccint", "vccaux", "vccbram" };
	const struct iio_channel *chn;
	const struct iio_attr *attr;
	unsigned int i;

	/* temp0 (index 0) first, then voltage0..2 (indexes 1..3). */
	CHECK_INT(iio_device_get_channels_count(dev), 4);
	CHECK_STR(iio_channel_get_id(iio_device_get_channel(dev, 0)), "temp0");
	for (i = 0; i < 3; i++) {
		chn = iio_device_get_channel(dev, i + 1);
		CHECK_STR(iio_channel_get_name(chn), names[i]);
		CHECK_INT(iio_channel_get_index(chn), i + 1);
		CHECK_INT(iio_channel_get_attrs_count(chn), 2);
		CHECK(iio_channel_find_attr(chn, "raw") != NULL);
		CHECK(iio_channel_get_data_format(chn)->scale == 0.732421875);
		CHECK_INT(iio_channel_get_data_format(chn)->shift, 4);
		CHECK(!iio_channel_get_data_format(chn)->is_signed);
	}
	/* A label file with the extended name in it. */
	chn = find_channel(dev, "vccbram", false);
	CHECK_STR(iio_channel_get_label(chn), "BRAM supply");
	CHECK(iio_channel_find_attr(chn, "label") == NULL);
	CHECK(iio_channel_get_label(find_channel(dev, "vccint", false)) == NULL);

	chn = find_channel(dev, "vccint", false);
	CHECK_STR(iio_channel_get_id(chn), "voltage0");
	check_value(iio_channel_find_attr(chn, "raw"), "1365");
	CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "raw")),
		  "in_voltage0_vccint_raw");
	/* Events keep their file name but lose the extended name, like attributes. */
	attr = iio_channel_find_event_attr(chn, "thresh_rising_value");
	CHECK_STR(iio_attr_get_filename(attr), "in_voltage0_vccint_thresh_rising_value");
	check_value(attr, "1500");

	chn = find_channel(dev, "temp0", false);
	CHECK(iio_channel_get_name(chn) == NULL);
	CHECK_INT(iio_channel_get_attrs_count(chn), 3);
	CHECK(iio_channel_get_data_format(chn)->offset == -2219.0);
	CHECK_INT(iio_channel_get_event_attrs_count(chn), 2);

	/* Shared by all stays on the device; an event of a missing channel too. */
	CHECK_INT(iio_device_get_attrs_count(dev), 1);
	CHECK(iio_device_find_attr(dev, "sampling_frequency") != NULL);
	CHECK_INT(iio_device_get_event_attrs_count(dev), 2);
	CHECK(iio_device_find_event_attr(dev, "in_voltage10_thresh_rising_en") != NULL);
	CHECK(iio_device_find_event_attr(dev, "sampling_frequency") != NULL);
	CHECK_INT(iio_buffer_get_scan_elements_count(iio_device_get_buffer(dev, 0)), 4);
}

static void test_sigma_delta(const struct iio_context *ctx)
{
	struct iio_device *dev = find_device(ctx, "bridge-adc");
	const struct iio_channel *chn;
	const struct iio_buffer *buf;
	const struct iio_attr *attr;

	CHECK_STR(iio_device_get_name(dev), "ad7124-8");
	CHECK_INT(iio_device_get_channels_count(dev), 8);

	/* Differential channels share in_voltage-voltage_*, not in_voltage_*. */
	chn = find_channel(dev, "voltage0-voltage1", false);
	CHECK_STR(iio_channel_get_label(chn), "load-cell");
	CHECK(find_channel(dev, "load-cell", false) == chn);
	CHECK(iio_channel_find_attr(chn, "label") == NULL);
	CHECK_INT(iio_channel_get_type(chn), IIO_VOLTAGE);
	CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "scale")),
		  "in_voltage-voltage_scale");
	CHECK(iio_channel_get_data_format(chn)->scale == 0.000298);
	CHECK(iio_channel_get_data_format(chn)->offset == -8388608.0);
	CHECK(iio_channel_get_data_format(chn)->is_be);
	CHECK_INT(iio_channel_get_data_format(chn)->shift, 8);
	CHECK(iio_channel_get_label(find_channel(dev, "voltage2-voltage3", false)) == NULL);

	chn = find_channel(dev, "voltage4", false);
	CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "scale")), "in_voltage_scale");
	CHECK(iio_channel_get_data_format(chn)->scale == 0.000149);

	/* sampling_frequency + sampling_frequency_available: no "sampling" name. */
	chn = find_channel(dev, "voltage5", false);
	CHECK(iio_channel_get_name(chn) == NULL);
	attr = iio_channel_find_attr(chn, "sampling_frequency");
	CHECK_STR(iio_attr_get_filename(attr), "in_voltage5_sampling_frequency");
	check_value(attr, "9600");
	check_value(iio_channel_find_attr(chn, "sampling_frequency_available"), "9600 19200");

	/* Shared by direction: every input channel, never a "sampling" channel. */
	CHECK(iio_device_find_channel(dev, "sampling", false) == NULL);
	attr = iio_channel_find_attr(find_channel(dev, "voltage0-voltage1", false),
				     "sampling_frequency");
	CHECK_STR(iio_attr_get_filename(attr), "in_sampling_frequency");
	check_value(attr, "19200");
	CHECK(iio_channel_find_attr(find_channel(dev, "voltage0", true), "sampling_frequency") ==
	      NULL);

	/* Index-less channel from leftovers. */
	chn = find_channel(dev, "temp", false);
	CHECK_INT(iio_channel_get_type(chn), IIO_TEMP);
	CHECK(iio_channel_get_index(chn) < 0);
	CHECK(iio_channel_get_data_format(chn)->scale == 8.0);
	CHECK(iio_channel_find_attr(chn, "raw") != NULL);

	/* A kernel type with '_' in its name. */
	chn = find_channel(dev, "delta_angl_x", false);
	CHECK_INT(iio_channel_get_type(chn), IIO_DELTA_ANGL);
	CHECK_INT(iio_channel_get_modifier(chn), IIO_MOD_X);
	CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "scale")),
		  "in_delta_angl_scale");

	/* Output channel with label, in buffer 1 only. */
	chn = find_channel(dev, "voltage0", true);
	CHECK_STR(iio_channel_get_label(chn), "excitation");
	CHECK_INT(iio_channel_get_index(chn), 0);
	CHECK(iio_channel_is_scan_element(chn));

	/* Two buffers: buffer/ + scan_elements/, buffer1/; buffer0/ and buffer3/ ignored. */
	CHECK_INT(iio_device_get_buffers_count(dev), 2);
	buf = iio_device_get_buffer(dev, 0);
	CHECK(!iio_buffer_is_output(buf));
	CHECK_INT(iio_buffer_get_scan_elements_count(buf), 3);
	CHECK_STR(iio_channel_get_id(iio_buffer_get_scan_element(buf, 0)), "voltage0-voltage1");
	CHECK_STR(iio_channel_get_id(iio_buffer_get_scan_element(buf, 2)), "timestamp");
	buf = iio_device_get_buffer(dev, 1);
	CHECK(iio_buffer_is_output(buf));
	CHECK_INT(iio_buffer_get_scan_elements_count(buf), 1);
	CHECK(iio_buffer_get_scan_element(buf, 0) == chn);
	CHECK_INT(iio_buffer_get_attrs_count(buf), 2);
	check_value(iio_buffer_find_attr(buf, "length_align_bytes"), "4");
	CHECK(iio_buffer_find_attr(buf, "out_voltage0_en") == NULL);

	/* Channel order: indexed by (index, shift), then index-less ones. */
	CHECK_STR(iio_channel_get_id(iio_device_get_channel(dev, 0)), "voltage0");
	CHECK(iio_channel_is_output(iio_device_get_channel(dev, 0)));
	CHECK_STR(iio_channel_get_id(iio_device_get_channel(dev, 1)), "voltage0-voltage1");
	CHECK_STR(iio_channel_get_id(iio_device_get_channel(dev, 2)), "voltage2-voltage3");
	CHECK_STR(iio_channel_get_id(iio_device_get_channel(dev, 3)), "timestamp");
	CHECK(iio_channel_get_index(iio_device_get_channel(dev, 4)) < 0);
}

static void test_hwmon(const struct iio_context *ctx)
{
	struct iio_device *dev = find_device(ctx, "nct6775");
	const struct iio_channel *chn;
	unsigned int i;

	CHECK_STR(iio_device_get_id(dev), "hwmon2");
	CHECK(iio_device_is_hwmon(dev));
	CHECK(!iio_device_is_trigger(dev));
	CHECK_INT(iio_device_get_buffers_count(dev), 0);
	CHECK_INT(iio_device_get_debug_attrs_count(dev), 0);
	/* fan1-2, in0-10, intrusion0, pwm1, temp1-2 */
	CHECK_INT(iio_device_get_channels_count(dev), 17);
	for (i = 0; i < iio_device_get_channels_count(dev); i++)
		CHECK(!iio_channel_is_output(iio_device_get_channel(dev, i)));

	chn = find_channel(dev, "in10", false);
	CHECK_INT(hwmon_channel_get_type(chn), HWMON_VOLTAGE);
	check_value(iio_channel_find_attr(chn, "input"), "1048");
	CHECK_STR(iio_attr_get_filename(iio_channel_find_attr(chn, "input")), "in10_input");
	chn = find_channel(dev, "temp2", false);
	CHECK_INT(hwmon_channel_get_type(chn), HWMON_TEMP);
	CHECK_STR(iio_channel_get_label(chn), "CPUTIN");
	CHECK(find_channel(dev, "SYSTIN", false) == find_channel(dev, "temp1", false));
	CHECK_INT(iio_channel_get_attrs_count(chn), 1);
	chn = find_channel(dev, "pwm1", false);
	CHECK_INT(hwmon_channel_get_type(chn), HWMON_PWM);
	check_value(iio_channel_find_attr(chn, "pwm1"), "128");
	check_value(iio_channel_find_attr(chn, "enable"), "2");
	CHECK_INT(hwmon_channel_get_type(find_channel(dev, "fan1", false)), HWMON_FAN);
	CHECK_INT(hwmon_channel_get_type(find_channel(dev, "intrusion0", false)), HWMON_INTRUSION);
	CHECK_INT(iio_channel_get_attrs_count(find_channel(dev, "fan1", false)), 2);

	dev = find_device(ctx, "ina219");
	CHECK_INT(iio_device_get_attrs_count(dev), 2);
	check_value(iio_device_find_attr(dev, "shunt_resistor"), "100000");
	CHECK_INT(hwmon_channel_get_type(find_channel(dev, "curr1", false)), HWMON_CURRENT);
	CHECK_INT(hwmon_channel_get_type(find_channel(dev, "power1", false)), HWMON_POWER);

	dev = find_device(ctx, "cpu_thermal");
	chn = find_channel(dev, "temp1", false);
	/* hwmon has no extended names, whatever the attributes look like. */
	CHECK(iio_channel_get_name(chn) == NULL);
	check_value(iio_channel_find_attr(chn, "crit"), "95000");
}

static void test_sensors(void)
{
	static const char *const order[] = {
		"hwmon0", "hwmon1", "hwmon2", "iio:device0", "iio:device1", "iio:device10",
		"iio:device2", "iio_sysfs_trigger", "trigger0", "trigger1",
	};
	struct iio_context *ctx;
	unsigned int i;

	fixture_generate("context-sensors", "adxl345.sysfs", "hwmon.sysfs", "parser-rules.sysfs",
			 NULL);
	ctx = fixture_context();

	/* Sorted by id with strcmp, as upstream: "iio:device10" before "iio:device2". */
	CHECK_INT(iio_context_get_devices_count(ctx), ARRAY_SIZE(order));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		CHECK_STR(iio_device_get_id(iio_context_get_device(ctx, i)), order[i]);
	/* No ini file: just the two attributes of the backend. */
	CHECK_INT(iio_context_get_attrs_count(ctx), 2);

	test_accelerometer(ctx);
	test_triggers(ctx);
	test_xadc(ctx);
	test_sigma_delta(ctx);
	test_hwmon(ctx);

	/* Found in debugfs by its label. */
	check_value(iio_device_find_debug_attr(find_device(ctx, "ltc2983"), "direct_reg_access"),
		    "0x12");
	iio_context_destroy(ctx);
}

int main(void)
{
	test_ad9361();
	test_sensors();
	printf("test-local-context: OK\n");
	return 0;
}

#else /* !WITH_LOCAL_BACKEND */

int main(void)
{
	printf("test-local-context: SKIP (built without the local backend)\n");
	return 0;
}

#endif /* WITH_LOCAL_BACKEND */
