// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sysfs file name parser: which files are channel attributes, which
 * channel they belong to, their short names, extended names and shared
 * attributes. Pure functions on strings, so that unit tests reach every rule.
 *
 * Kernel naming (Documentation/ABI/testing/sysfs-bus-iio):
 *   {in|out}_<type>[<index>][_<modifier>][-<type2><index2>][_<extend_name>]_<info>
 * shared by type: {in|out}_<type>_<info>, by direction: {in|out}_<info>,
 * by all: <info>.
 */
#include "local.h"

#include <string.h>

/* Kernel channel types whose name has a '_' in it. */
static const char *const multiword_types[] = { "delta_angl", "delta_velocity" };

/* Kernel info names (the <info> part) that contain a '_'. */
static const char *const multiword_infos[] = {
	"peak_raw", "peak_scale", "quadrature_correction_raw", "mean_raw", "trough_raw",
	"filter_low_pass_3db_frequency", "filter_high_pass_3db_frequency",
	"sampling_frequency", "hysteresis_relative", "integration_time", "debounce_count",
	"debounce_time", "oversampling_ratio", "thermocouple_type",
};

/* Every kernel info name: what a shared-by-direction file may carry. */
static const char *const single_infos[] = {
	"raw", "input", "scale", "offset", "calibscale", "calibbias", "frequency", "phase",
	"hardwaregain", "hysteresis", "en", "calibheight", "calibweight", "calibemissivity",
	"calibambient", "zeropoint", "convdelay", "powerfactor",
};

static const char *const hwmon_types[] = {
	"in", "fan", "pwm", "temp", "curr", "power", "energy", "humidity", "intrusion",
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool type_follower_ok(char c)
{
	return c == '\0' || c == '_' || is_digit(c);
}

bool local_name_is_output(const char *name)
{
	return name[0] == 'o';
}

size_t local_name_prefix_len(const char *name)
{
	if (!strncmp(name, "in_", 3))
		return 3;
	if (!strncmp(name, "out_", 4))
		return 4;
	return 0;
}

size_t local_type_token_len(const char *str)
{
	const char *start = str, *underscore;
	size_t i;

	/* Upstream splits "delta_angl" at its '_'; keep the kernel's type whole. */
	for (i = 0; i < ARRAY_SIZE(multiword_types); i++) {
		size_t len = strlen(multiword_types[i]);

		if (!strncmp(str, multiword_types[i], len) && type_follower_ok(str[len])) {
			start = str + len;
			break;
		}
	}
	underscore = strchr(start, '_');
	return underscore ? (size_t)(underscore - str) : strlen(str);
}

bool local_is_channel_file(const char *name, bool strict)
{
	size_t prefix = local_name_prefix_len(name), token;
	const char *p;

	if (!strncmp(name, "in_timestamp_", 13))
		return true;
	if (!prefix)
		return false;
	p = name + prefix;
	token = local_type_token_len(p);
	if (!token || p[token] != '_')
		return false;
	if (!strict)
		return true;
	/* "in_voltage0_raw" (indexed) or "in_accel_x_raw" (modified). */
	return is_digit(p[token - 1]) || iio_modifier_prefix_len(p + token + 1) > 0;
}

bool local_is_hwmon_channel_file(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hwmon_types); i++) {
		size_t len = strlen(hwmon_types[i]);

		if (!strncmp(name, hwmon_types[i], len) && type_follower_ok(name[len]))
			return true;
	}
	return false;
}

int local_channel_id(const char *name, bool hwmon, char *dst, size_t len)
{
	const char *p = name;
	size_t n;

	if (hwmon) {
		const char *underscore = strchr(name, '_');

		n = underscore ? (size_t)(underscore - name) : strlen(name);
	} else {
		size_t prefix = local_name_prefix_len(name), modifier;

		if (!prefix)
			return -EINVAL;
		p = name + prefix;
		n = local_type_token_len(p);
		if (p[n] == '_') {
			modifier = iio_modifier_prefix_len(p + n + 1);
			if (modifier)
				n += 1 + modifier;
		}
	}
	if (!n)
		return -EINVAL;
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return (int)n;
}

const char *local_channel_attr_name(const char *name, const char *id, bool hwmon)
{
	size_t len = strlen(id);
	const char *p = hwmon ? name : name + local_name_prefix_len(name);

	if (!strncmp(p, id, len) && p[len] == '_')
		return p + len + 1;
	/* hwmon "pwm1": the file is the channel's value itself. */
	return p;
}

/* Whether cutting name at the '_' at offset cut splits a kernel info name. */
static bool cut_splits_info(const char *name, size_t cut)
{
	size_t start, i;

	for (start = 0; start < cut; start++) {
		if (start > 0 && name[start - 1] != '_')
			continue; /* infos start at a word boundary */
		for (i = 0; i < ARRAY_SIZE(multiword_infos); i++) {
			size_t len = strlen(multiword_infos[i]);

			if (start + len > cut && !strncmp(name + start, multiword_infos[i], len) &&
			    (name[start + len] == '\0' || name[start + len] == '_'))
				return true;
		}
	}
	return false;
}

size_t local_extended_name_len(const char *const *names, size_t count)
{
	const char *first;
	size_t best = 0, cut, i;

	if (count < 2 || !names[0][0])
		return 0;
	first = names[0];
	for (cut = 1; first[cut]; cut++) {
		bool shared = true;

		if (first[cut] != '_')
			continue;
		for (i = 0; i < count && shared; i++) {
			/*
			 * Upstream names a channel with only sampling_frequency and
			 * sampling_frequency_available "sampling": never cut inside a
			 * kernel info name.
			 */
			shared = !strncmp(names[i], first, cut + 1) && names[i][cut + 1] &&
				 !cut_splits_info(names[i], cut);
		}
		if (shared)
			best = cut;
	}
	return best;
}

/* "voltage" + digits, optionally followed by "_<modifier>". */
static bool id_is_type_index(const char *id, const char *type, size_t type_len)
{
	const char *p = id + type_len;

	if (strncmp(id, type, type_len) || !is_digit(*p))
		return false;
	while (is_digit(*p))
		p++;
	return *p == '\0' || (*p == '_' && iio_modifier_prefix_len(p + 1) == strlen(p + 1));
}

/* type "voltage-voltage" against id "voltage0-voltage1". */
static bool id_is_differential(const char *id, const char *type, size_t type_len)
{
	const char *dash_type = memchr(type, '-', type_len), *dash_id = strchr(id, '-');
	size_t len1, len2;

	if (!dash_type || !dash_id)
		return false;
	len1 = (size_t)(dash_type - type);
	len2 = type_len - len1 - 1;
	if (strncmp(id, type, len1) || !is_digit(id[len1]))
		return false;
	for (id += len1; is_digit(*id); id++)
		;
	if (id != dash_id)
		return false;
	id++;
	if (strncmp(id, dash_type + 1, len2) || !is_digit(id[len2]))
		return false;
	for (id += len2; is_digit(*id); id++)
		;
	return *id == '\0';
}

enum local_shared_match local_shared_attr_match(const char *name, const char *chn_id,
						bool chn_output, const char *chn_name,
						const char **attr_name)
{
	size_t prefix = local_name_prefix_len(name), type_len, name_len;
	const char *type, *rest;

	if (!prefix || local_name_is_output(name) != chn_output)
		return LOCAL_SHARED_NONE;
	type = name + prefix;
	type_len = local_type_token_len(type);
	if (!type_len || type[type_len] != '_' || !type[type_len + 1])
		return LOCAL_SHARED_NONE;
	rest = type + type_len + 1;

	if (memchr(type, '-', type_len)) {
		if (!id_is_differential(chn_id, type, type_len))
			return LOCAL_SHARED_NONE;
	} else if (!id_is_type_index(chn_id, type, type_len)) {
		/* Modified channels without index: "accel" -> "accel_x". */
		if (strncmp(chn_id, type, type_len) || chn_id[type_len] != '_' ||
		    iio_modifier_prefix_len(chn_id + type_len + 1) != strlen(chn_id + type_len + 1))
			return LOCAL_SHARED_NONE;
	}

	if (chn_name) {
		name_len = strlen(chn_name);
		if (!strncmp(rest, chn_name, name_len) && rest[name_len] == '_' &&
		    rest[name_len + 1]) {
			*attr_name = rest + name_len + 1;
			return LOCAL_SHARED_EXTENDED;
		}
	}
	*attr_name = rest;
	return LOCAL_SHARED_BY_TYPE;
}

bool local_is_shared_by_direction(const char *name, const char **attr_name)
{
	size_t prefix = local_name_prefix_len(name), i;
	const char *rest = name + prefix;
	size_t len;

	if (!prefix)
		return false;
	for (i = 0; i < ARRAY_SIZE(multiword_infos) + ARRAY_SIZE(single_infos); i++) {
		const char *info = i < ARRAY_SIZE(multiword_infos)
					   ? multiword_infos[i]
					   : single_infos[i - ARRAY_SIZE(multiword_infos)];

		len = strlen(info);
		if (!strncmp(rest, info, len) &&
		    (rest[len] == '\0' || !strcmp(rest + len, "_available"))) {
			*attr_name = rest;
			return true;
		}
	}
	return false;
}

enum local_scan_file local_scan_file_kind(const char *name)
{
	size_t prefix = local_name_prefix_len(name), len = strlen(name);

	/* A channel id must sit between the prefix and the suffix. */
	if (!prefix)
		return LOCAL_SCAN_NONE;
	if (len > prefix + 3 && !strcmp(name + len - 3, "_en"))
		return LOCAL_SCAN_EN;
	if (len > prefix + 6 && !strcmp(name + len - 6, "_index"))
		return LOCAL_SCAN_INDEX;
	if (len > prefix + 5 && !strcmp(name + len - 5, "_type"))
		return LOCAL_SCAN_TYPE;
	return LOCAL_SCAN_NONE;
}

bool local_is_reserved_buffer_file(const char *name)
{
	static const char *const reserved[] = { "length", "enable", "watermark", "direction" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (!strcmp(name, reserved[i]))
			return true;
	return false;
}

bool local_is_hidden_device_file(const char *name)
{
	/* name and label have their own getters; the others are driver-core files. */
	static const char *const hidden[] = {
		"dev", "uevent", "waiting_for_supplier", "name", "label",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hidden); i++)
		if (!strcmp(name, hidden[i]))
			return true;
	return false;
}
