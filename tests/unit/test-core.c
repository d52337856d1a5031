// SPDX-License-Identifier: LGPL-2.1-or-later
/* The core object model: constructors, ordering, lookups, masks, formats, errors. */
#include "backend.h"
#include "check.h"

#include <errno.h>
#include <string.h>

static ssize_t fake_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	/* Every attribute reads back as its own file name; "scale" as a number. */
	const char *value = strcmp(attr->name, "scale") ? attr->filename : "0.25";

	if (strlen(value) + 1 > len)
		return -EFBIG;
	strcpy(dst, value);
	return (ssize_t)strlen(value) + 1;
}

static const struct iio_backend_ops fake_ops = {
	.read_attr = fake_read_attr,
};

static const struct iio_backend fake_backend = {
	.name = "fake",
	.uri_prefix = "fake:",
	.ops = &fake_ops,
	.default_timeout_ms = 1234,
};

static void test_errors(void)
{
	char buf[64];

	CHECK_INT(iio_err(iio_ptr(-ENOENT)), -ENOENT);
	CHECK_INT(iio_err(NULL), 0);
	CHECK_INT(iio_err(iio_ptr(-4096)), 0);
	iio_strerror(EINVAL, buf, sizeof(buf));
	CHECK_STR(buf, "Invalid argument (-22)");
	iio_strerror(-EINVAL, buf, sizeof(buf));
	CHECK_STR(buf, "Invalid argument (-22)");
	iio_strerror(EINVAL, buf, 1);
	CHECK_STR(buf, "");
	iio_strerror(EINVAL, NULL, 0);
	iio_strerror(123456, buf, sizeof(buf));
	CHECK_STR(buf, "Unknown error -123456");
}

static void test_timeouts(void)
{
	CHECK_INT(iio_resolve_timeout(0, 1000), 1000);
	CHECK_INT(iio_resolve_timeout(IIO_TIMEOUT_INFINITE, 1000), -1);
	CHECK_INT(iio_resolve_timeout(IIO_TIMEOUT_NONBLOCK, 1000), 0);
	CHECK_INT(iio_resolve_timeout(250, 1000), 250);
	CHECK_INT(iio_resolve_timeout(-2, 1000), -EINVAL);
}

static void test_formats(void)
{
	struct iio_data_format f = { .with_scale = true, .scale = 2.0 };
	char buf[64];

	CHECK_INT(iio_data_format_parse(&f, "le:s12/16>>4"), 0);
	CHECK(!f.is_be && f.is_signed && !f.is_fully_defined);
	CHECK_INT(f.bits, 12);
	CHECK_INT(f.length, 16);
	CHECK_INT(f.shift, 4);
	CHECK_INT(f.repeat, 1);
	CHECK(f.with_scale && f.scale == 2.0); /* kept across a refresh */
	iio_data_format_print(&f, buf, sizeof(buf));
	CHECK_STR(buf, "le:s12/16>>4");

	CHECK_INT(iio_data_format_parse(&f, "be:U24/32X4>>0"), 0);
	CHECK(f.is_be && !f.is_signed && f.is_fully_defined);
	CHECK_INT(f.repeat, 4);
	iio_data_format_print(&f, buf, sizeof(buf));
	CHECK_STR(buf, "be:U24/32X4>>0");

	CHECK_INT(iio_data_format_parse(&f, "le:u16/16>>0"), 0);
	CHECK(f.is_fully_defined); /* bits == length */

	CHECK_INT(iio_data_format_parse(&f, "xe:s12/16>>4"), -EINVAL);
	CHECK_INT(iio_data_format_parse(&f, "le:s12/16"), -EINVAL);
	CHECK_INT(iio_data_format_parse(&f, "le:s17/16>>0"), -EINVAL);
	CHECK_INT(iio_data_format_parse(&f, "le:s12/12>>0"), -EINVAL);
	CHECK_INT(iio_data_format_parse(&f, "le:s12/16>>4 "), -EINVAL);
	CHECK_INT(iio_data_format_parse(&f, "le:s12/16X0>>4"), -EINVAL);
	CHECK_INT(iio_data_format_parse(&f, ""), -EINVAL);
}

static void test_types(void)
{
	CHECK_INT(iio_channel_type_from_id("voltage0", false), IIO_VOLTAGE);
	CHECK_INT(iio_channel_type_from_id("accel_x", false), IIO_ACCEL);
	CHECK_INT(iio_channel_type_from_id("timestamp", false), IIO_TIMESTAMP);
	CHECK_INT(iio_channel_type_from_id("altvoltage1", false), IIO_ALTVOLTAGE);
	CHECK_INT(iio_channel_type_from_id("voltagex", false), IIO_CHAN_TYPE_UNKNOWN);
	CHECK_INT(iio_channel_type_from_id("sampling", false), IIO_CHAN_TYPE_UNKNOWN);
	CHECK_INT(iio_channel_type_from_id("in0", true), HWMON_VOLTAGE);
	CHECK_INT(iio_channel_type_from_id("temp1", true), HWMON_TEMP);
	CHECK_INT(iio_channel_modifier_from_id("accel_x"), IIO_MOD_X);
	CHECK_INT(iio_channel_modifier_from_id("accel_x&y"), IIO_MOD_X_AND_Y);
	CHECK_INT(iio_channel_modifier_from_id("voltage0"), IIO_NO_MOD);
	CHECK_INT(iio_channel_modifier_from_id("intensity_ir"), IIO_MOD_LIGHT_IR);
	CHECK_INT(iio_modifier_prefix_len("x_raw"), 1);
	CHECK_INT(iio_modifier_prefix_len("xy"), 0);
	CHECK_INT(iio_modifier_prefix_len("linear_x_raw"), 8);
}

static void test_context(void)
{
	struct iio_context *ctx = iio_context_new(&fake_backend, NULL, "a test context");
	struct iio_device *dev, *dev2;
	struct iio_channel *c0, *c1, *c2, *ts, *temp;
	struct iio_buffer *buf;
	struct iio_channels_mask *mask;
	const struct iio_attr *attr;
	char value[64];

	CHECK(!iio_err(ctx));
	CHECK_INT(iio_context_get_params(ctx)->timeout_ms, 1234);
	CHECK_STR(iio_context_get_name(ctx), "fake");
	CHECK_STR(iio_context_get_description(ctx), "a test context");
	CHECK_INT(iio_context_add_attr(ctx, "zeta", "last"), 0);
	CHECK_INT(iio_context_add_attr(ctx, "alpha", "first"), 0);
	CHECK_INT(iio_context_add_attr(ctx, "alpha", "replaced"), 0);
	CHECK_INT(iio_context_get_attrs_count(ctx), 2);
	CHECK_STR(iio_attr_get_name(iio_context_get_attr(ctx, 0)), "alpha");
	CHECK_STR(iio_attr_get_static_value(iio_context_find_attr(ctx, "alpha")), "replaced");
	CHECK_INT(iio_attr_read_raw(iio_context_find_attr(ctx, "zeta"), value, sizeof(value)), 4);
	CHECK_STR(value, "last");
	CHECK_INT(iio_attr_write_string(iio_context_find_attr(ctx, "zeta"), "x"), -EPERM);

	dev2 = iio_context_add_device(ctx, "iio:device2", "adc", NULL);
	dev = iio_context_add_device(ctx, "iio:device10", "phy", "my-label");
	CHECK(!iio_err(dev) && !iio_err(dev2));
	CHECK(iio_err(iio_context_add_device(ctx, "", NULL, NULL)) == -EINVAL);

	temp = iio_device_add_channel(dev, "temp0", false, -1);
	c2 = iio_device_add_channel(dev, "voltage2", false, 2);
	ts = iio_device_add_channel(dev, "timestamp", false, 3);
	c0 = iio_device_add_channel(dev, "voltage0", false, 0);
	c1 = iio_device_add_channel(dev, "voltage1", false, 1);
	CHECK(!iio_err(temp) && !iio_err(c0) && !iio_err(c1) && !iio_err(c2) && !iio_err(ts));
	c0->format = (struct iio_data_format){ .length = 16, .bits = 12, .repeat = 1 };
	c1->format = c0->format;
	c2->format = (struct iio_data_format){ .length = 32, .bits = 32, .repeat = 1 };
	ts->format = (struct iio_data_format){ .length = 64, .bits = 64, .repeat = 1 };
	CHECK_INT(iio_channel_add_attr(c0, "scale", "in_voltage_scale", IIO_ATTR_TYPE_CHANNEL), 0);
	CHECK_INT(iio_channel_add_attr(c0, "raw", "in_voltage0_raw", IIO_ATTR_TYPE_CHANNEL), 0);
	CHECK_INT(iio_channel_add_attr(c0, "thresh_rising_en", "in_voltage0_thresh_rising_en",
				       IIO_ATTR_TYPE_CHANNEL_EVENT), 0);
	CHECK_INT(iio_channel_set_name(c0, "vccint"), 0);
	CHECK_INT(iio_device_add_attr(dev, "sampling_frequency", NULL, IIO_ATTR_TYPE_DEVICE), 0);
	CHECK_INT(iio_device_add_attr(dev, "direct_reg_access", NULL, IIO_ATTR_TYPE_DEBUG), 0);

	buf = iio_device_add_buffer(dev, 0, IIO_BUFFER_DIRECTION_IN);
	CHECK(!iio_err(buf));
	CHECK(iio_err(iio_device_add_buffer(dev, 2, IIO_BUFFER_DIRECTION_IN)) == -EINVAL);
	CHECK_INT(iio_buffer_add_scan_element(buf, ts), 0);
	CHECK_INT(iio_buffer_add_scan_element(buf, c1), 0);
	CHECK_INT(iio_buffer_add_scan_element(buf, c0), 0);
	CHECK_INT(iio_buffer_add_scan_element(buf, c2), 0);
	CHECK_INT(iio_buffer_add_attr(buf, "data_available"), 0);

	CHECK_INT(iio_context_init(ctx), 0);

	/* Devices by strcmp of id, channels by scan index, index-less last. */
	CHECK(iio_context_get_device(ctx, 0) == dev);
	CHECK(iio_context_get_device(ctx, 1) == dev2);
	CHECK(iio_context_get_device(ctx, 2) == NULL);
	CHECK(iio_context_find_device(ctx, "my-label") == dev);
	CHECK(iio_context_find_device(ctx, "adc") == dev2);
	CHECK(iio_context_find_device(ctx, "iio:device2") == dev2);
	CHECK(iio_context_find_device(ctx, "nope") == NULL);
	CHECK(iio_device_get_channel(dev, 0) == c0);
	CHECK(iio_device_get_channel(dev, 1) == c1);
	CHECK(iio_device_get_channel(dev, 2) == c2);
	CHECK(iio_device_get_channel(dev, 3) == ts);
	CHECK(iio_device_get_channel(dev, 4) == temp);
	CHECK(iio_buffer_get_scan_element(buf, 0) == c0);
	CHECK(iio_buffer_get_scan_element(buf, 3) == ts);
	CHECK(iio_channel_is_scan_element(c0) && !iio_channel_is_scan_element(temp));
	CHECK_INT(iio_channel_get_index(temp), -ENOENT);
	CHECK(!iio_buffer_is_output(buf));

	/* scale was read back by iio_context_init() into the format. */
	CHECK(c0->format.with_scale && c0->format.scale == 0.25);
	CHECK(!c1->format.with_scale);

	/* Lookups, including the extended-name fallback. */
	CHECK(iio_device_find_channel(dev, "vccint", false) == c0);
	CHECK(iio_device_find_channel(dev, "voltage1", false) == c1);
	CHECK(iio_device_find_channel(dev, "voltage1", true) == NULL);
	attr = iio_channel_find_attr(c0, "vccint_raw");
	CHECK(attr && !strcmp(iio_attr_get_filename(attr), "in_voltage0_raw"));
	CHECK_STR(iio_attr_get_name(iio_channel_get_attr(c0, 0)), "raw");
	CHECK_INT(iio_attr_read_raw(attr, value, sizeof(value)), 16);
	CHECK_STR(value, "in_voltage0_raw");
	CHECK(iio_attr_get_static_value(attr) == NULL);
	CHECK_INT(iio_channel_get_event_attrs_count(c0), 1);
	CHECK_INT(iio_device_get_debug_attrs_count(dev), 1);
	CHECK(iio_device_find_attr(dev, "sampling_frequency") != NULL);
	CHECK(!iio_device_is_trigger(dev));

	/* Masks and sample size: 2 + 2 + (pad to 4) 4 + 8 = 16 bytes. */
	mask = iio_create_channels_mask(iio_device_get_channels_count(dev));
	CHECK(mask);
	CHECK(iio_create_channels_mask(0) == NULL);
	iio_channel_enable(c0, mask);
	iio_channel_enable(temp, mask); /* not a scan element: ignored */
	CHECK(iio_channel_is_enabled(c0, mask));
	CHECK(!iio_channel_is_enabled(temp, mask));
	CHECK_INT(iio_device_get_sample_size(dev, mask), 2);
	iio_channel_enable(c1, mask);
	iio_channel_enable(c2, mask);
	CHECK_INT(iio_device_get_sample_size(dev, mask), 8);
	iio_channel_enable(ts, mask);
	CHECK_INT(iio_device_get_sample_size(dev, mask), 16);
	iio_channel_disable(c1, mask);
	CHECK_INT(iio_device_get_sample_size(dev, mask), 16);
	iio_channel_disable(c2, mask);
	CHECK_INT(iio_device_get_sample_size(dev, mask), 16);
	iio_channels_mask_destroy(mask);
	mask = iio_create_channels_mask(100);
	CHECK_INT(iio_device_get_sample_size(dev, mask), -EINVAL);
	iio_channels_mask_destroy(mask);

	CHECK_INT(iio_context_set_timeout(ctx, -5), -EINVAL);
	CHECK_INT(iio_context_set_timeout(ctx, 42), 0);
	CHECK_INT(iio_context_get_params(ctx)->timeout_ms, 42);
	CHECK_INT(iio_context_ping(ctx), -ENOTSUP);
	CHECK(iio_err(iio_device_get_trigger(dev)) == -ENOSYS);
	iio_context_destroy(ctx);
}

static void test_uris(void)
{
	struct iio_context *ctx = iio_create_context(NULL, "nosuchbackend:foo");

	CHECK_INT(iio_err(ctx), -ENOSYS);
	CHECK(!iio_has_backend(NULL, ""));
	CHECK(!iio_has_backend(NULL, "nosuch"));
	CHECK(iio_get_builtin_backend(iio_get_builtin_backends_count()) == NULL);
}

static void test_scan_strings(void)
{
	const char *strings[] = { "", ";;", ",,,", "nosuch", "nosuch=1,,x" };
	struct iio_context_params params = { .log_level = LEVEL_NOLOG };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		struct iio_scan *scan = iio_scan(&params, strings[i]);

		CHECK(!iio_err(scan));
		CHECK_INT(iio_scan_get_results_count(scan), 0);
		CHECK(iio_scan_get_uri(scan, 0) == NULL);
		iio_scan_destroy(scan);
	}
}

static uint64_t event_id(unsigned int chan_type, unsigned int modifier, bool diff, int chan,
			 int chan2)
{
	return (uint64_t)IIO_EV_TYPE_THRESH << 56 | (uint64_t)IIO_EV_DIR_RISING << 48 |
	       (uint64_t)diff << 55 | (uint64_t)modifier << 40 | (uint64_t)chan_type << 32 |
	       (uint64_t)(uint16_t)chan2 << 16 | (uint16_t)chan;
}

static void test_event_channels(void)
{
	struct iio_context *ctx = iio_context_new(&fake_backend, NULL, NULL);
	struct iio_device *dev = iio_context_add_device(ctx, "iio:device0", "adc", NULL);
	struct iio_channel *out0 = iio_device_add_channel(dev, "voltage0", true, -1);
	struct iio_channel *v0 = iio_device_add_channel(dev, "voltage0", false, -1);
	struct iio_channel *v1 = iio_device_add_channel(dev, "voltage1", false, -1);
	struct iio_channel *d01 = iio_device_add_channel(dev, "voltage0-voltage1", false, -1);
	struct iio_channel *ax = iio_device_add_channel(dev, "accel_x", false, -1);
	struct iio_channel *ay = iio_device_add_channel(dev, "accel_y", false, -1);
	struct iio_channel *temp = iio_device_add_channel(dev, "temp", false, -1);
	struct iio_event ev = { 0 };

	CHECK_INT(iio_context_init(ctx), 0);
	ev.id = event_id(IIO_VOLTAGE, IIO_NO_MOD, false, 1, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == v1);
	CHECK(iio_event_get_channel(&ev, dev, true) == NULL);
	ev.id = event_id(IIO_VOLTAGE, IIO_NO_MOD, false, 0, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == v0);     /* input first, not out0 */
	ev.id = event_id(IIO_VOLTAGE, IIO_NO_MOD, true, 0, 1);
	CHECK(iio_event_get_channel(&ev, dev, false) == v0);
	CHECK(iio_event_get_channel(&ev, dev, true) == d01);
	ev.id = event_id(IIO_VOLTAGE, IIO_NO_MOD, true, 1, 0);   /* no voltage1-voltage0 */
	CHECK(iio_event_get_channel(&ev, dev, false) == v1);
	CHECK(iio_event_get_channel(&ev, dev, true) == NULL);
	ev.id = event_id(IIO_ACCEL, IIO_MOD_Y, false, 0, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == ay);
	ev.id = event_id(IIO_ACCEL, IIO_MOD_X, false, 0, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == ax);
	ev.id = event_id(IIO_TEMP, IIO_NO_MOD, false, 0, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == temp);
	ev.id = event_id(IIO_TEMP, IIO_NO_MOD, false, 3, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == NULL);
	ev.id = event_id(IIO_VOLTAGE, IIO_NO_MOD, false, -1, 0);
	CHECK(iio_event_get_channel(&ev, dev, false) == NULL);
	CHECK(out0 && iio_event_get_type(&ev) == IIO_EV_TYPE_THRESH);
	CHECK(iio_event_get_direction(&ev) == IIO_EV_DIR_RISING);
	iio_context_destroy(ctx);
}

int main(void)
{
	test_event_channels();
	test_errors();
	test_timeouts();
	test_formats();
	test_types();
	test_context();
	test_uris();
	test_scan_strings();
	return 0;
}
