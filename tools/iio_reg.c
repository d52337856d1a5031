// SPDX-License-Identifier: GPL-2.0-or-later
/* iio_reg: read or write one register of a device (debugfs direct_reg_access). */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const struct tool_info reg_tool = {
	.name = "iio_reg",
	.synopsis = "<device> <register> [<value>]",
	.optstring = "",
	.options = NULL,
	.help = NULL,
};

/* strtoul base 0: "0x10", "16" and "020" are the same register. */
static bool parse_u32(const char *str, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (!str || !*str || *str == '-')
		return false;
	errno = 0;
	v = strtoull(str, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*val = (uint32_t)v;
	return true;
}

int main(int argc, char **argv)
{
	struct common_opts opts;
	struct iio_context *ctx;
	struct iio_device *dev;
	uint32_t addr, value = 0;
	const char *dev_name;
	char err[256];
	int nb_args, ret;

	common_parse(&reg_tool, argc, argv, &opts);
	while (common_next_option(&reg_tool, argc, argv) != -1)
		;
	nb_args = argc - optind;
	if (nb_args == 0 && argc == 1)
		common_usage(&reg_tool, EXIT_SUCCESS);
	if (nb_args != 2 && nb_args != 3) {
		fprintf(stderr, "Incorrect number of arguments.\n\n");
		common_usage(&reg_tool, EXIT_FAILURE);
	}

	dev_name = argv[optind];
	if (!parse_u32(argv[optind + 1], &addr)) {
		fprintf(stderr,
			"Invalid register address '%s': expected a number from 0 to 0xffffffff\n",
			argv[optind + 1]);
		return EXIT_FAILURE;
	}
	if (nb_args == 3 && !parse_u32(argv[optind + 2], &value)) {
		fprintf(stderr,
			"Invalid register value '%s': expected a number from 0 to 0xffffffff\n",
			argv[optind + 2]);
		return EXIT_FAILURE;
	}

	ctx = common_create_context(&reg_tool, &opts);
	if (!ctx)
		return EXIT_FAILURE;

	dev = iio_context_find_device(ctx, dev_name);
	if (!dev) {
		fprintf(stderr, "Unable to find device '%s'\n", dev_name);
		iio_context_destroy(ctx);
		return EXIT_FAILURE;
	}

	if (nb_args == 3) {
		ret = iio_device_reg_write(dev, addr, value);
		if (ret < 0) {
			iio_strerror(-ret, err, sizeof(err));
			fprintf(stderr, "Unable to write register 0x%x of %s: %s\n", addr, dev_name,
				err);
		}
	} else {
		ret = iio_device_reg_read(dev, addr, &value);
		if (ret < 0) {
			iio_strerror(-ret, err, sizeof(err));
			fprintf(stderr, "Unable to read register 0x%x of %s: %s\n", addr, dev_name,
				err);
		} else {
			printf("0x%x\n", value);
		}
	}

	iio_context_destroy(ctx);
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
