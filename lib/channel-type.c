// SPDX-License-Identifier: LGPL-2.1-or-later
/* Channel type and modifier from a channel id, with the kernel's names. */
#include "internal.h"

#include <string.h>

/* Indexed by enum iio_chan_type. */
static const char *const iio_type_names[] = {
	"voltage", "current", "power", "accel", "anglvel", "magn", "illuminance",
	"intensity", "proximity", "temp", "incli", "rot", "angl", "timestamp",
	"capacitance", "altvoltage", "cct", "pressure", "humidityrelative", "activity",
	"steps", "energy", "distance", "velocity", "concentration", "resistance", "ph",
	"uvindex", "electricalconductivity", "count", "index", "gravity",
	"positionrelative", "phase", "massconcentration", "delta_angl", "delta_velocity",
	"colortemp", "chromaticity", "attention", "altcurrent", "coverage",
};

/* Indexed by enum hwmon_chan_type. */
static const char *const hwmon_type_names[] = {
	"in", "fan", "pwm", "temp", "curr", "power", "energy", "humidity", "intrusion",
};

/* Indexed by enum iio_modifier; entry 0 (no modifier) has no name. */
static const char *const modifier_names[] = {
	NULL, "x", "y", "z", "x&y", "x&z", "y&z", "x&y&z", "x|y", "x|z", "y|z", "x|y|z",
	"both", "ir", "sqrt(x^2+y^2)", "x^2+y^2+z^2", "clear", "red", "green", "blue",
	"quaternion", "ambient", "object", "from_north_magnetic", "from_north_true",
	"from_north_magnetic_tilt_comp", "from_north_true_tilt_comp", "running", "jogging",
	"walking", "still", "sqrt(x^2+y^2+z^2)", "i", "q", "co2", "voc", "uv", "duv", "pm1",
	"pm2p5", "pm4", "pm10", "ethanol", "h2", "o2", "linear_x", "linear_y", "linear_z",
	"pitch", "yaw", "roll", "uva", "uvb", "rms", "active", "reactive", "apparent",
	"quaternionaxis",
};

static bool type_follower_ok(char c)
{
	return c == '\0' || c == '_' || (c >= '0' && c <= '9');
}

enum iio_chan_type iio_channel_type_from_id(const char *id, bool hwmon)
{
	const char *const *names = hwmon ? hwmon_type_names : iio_type_names;
	size_t count = hwmon ? ARRAY_SIZE(hwmon_type_names) : ARRAY_SIZE(iio_type_names);
	size_t i;

	for (i = 0; i < count; i++) {
		size_t len = strlen(names[i]);

		if (!strncmp(id, names[i], len) && type_follower_ok(id[len]))
			return (enum iio_chan_type)i;
	}
	return IIO_CHAN_TYPE_UNKNOWN;
}

size_t iio_modifier_prefix_len(const char *str)
{
	size_t i, best = 0;

	/* The longest match wins so that "x&y" is not taken for "x". */
	for (i = 1; i < ARRAY_SIZE(modifier_names); i++) {
		size_t len = strlen(modifier_names[i]);

		if (len > best && !strncmp(str, modifier_names[i], len) &&
		    (str[len] == '\0' || str[len] == '_'))
			best = len;
	}
	return best;
}

enum iio_modifier iio_channel_modifier_from_id(const char *id)
{
	const char *p = strchr(id, '_');
	size_t i, best_len = 0;
	enum iio_modifier best = IIO_NO_MOD;

	if (!p)
		return IIO_NO_MOD;
	p++;
	/* Longest name wins: "x&y" is not "x" (upstream takes the first prefix). */
	for (i = 1; i < ARRAY_SIZE(modifier_names); i++) {
		size_t len = strlen(modifier_names[i]);

		if (len > best_len && !strncmp(p, modifier_names[i], len)) {
			best_len = len;
			best = (enum iio_modifier)i;
		}
	}
	return best;
}
