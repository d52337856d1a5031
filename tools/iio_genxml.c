// SPDX-License-Identifier: GPL-2.0-or-later
/* iio_genxml: print a context's XML description, then check that it loads back. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option genxml_options[] = {
	{"emulator", no_argument, NULL, 'e'},
	{NULL, 0, NULL, 0},
};

static const char *const genxml_help[] = {
	"Embed the value of every attribute in the XML (for the\n"
	"emu: backend).",
};

static const struct tool_info genxml_tool = {
	.name = "iio_genxml",
	.synopsis = "[-e] [-u <uri>]",
	.optstring = "e",
	.options = genxml_options,
	.help = genxml_help,
};

/* The XML must describe a context that xml: can load again. */
static bool check_round_trip(const struct common_opts *opts, const char *xml)
{
	size_t len = strlen(xml);
	struct iio_context *ctx;
	char *uri, err[256];

	uri = malloc(len + sizeof("xml:"));
	if (!uri) {
		fprintf(stderr, "Unable to re-generate context: out of memory\n");
		return false;
	}
	memcpy(uri, "xml:", 4);
	memcpy(uri + 4, xml, len + 1);

	ctx = iio_create_context(&opts->params, uri);
	if (iio_err(ctx)) {
		iio_strerror(-iio_err(ctx), err, sizeof(err));
		fprintf(stderr, "Unable to re-generate context: %s\n", err);
		ctx = NULL;
	} else {
		iio_context_destroy(ctx);
	}
	free(uri);
	return ctx != NULL;
}

int main(int argc, char **argv)
{
	struct common_opts opts;
	struct iio_context *ctx;
	char *xml, err[256];
	bool ok;
	int c;

	common_parse(&genxml_tool, argc, argv, &opts);
	while ((c = common_next_option(&genxml_tool, argc, argv)) != -1) {
		if (c == 'e')
			opts.params.flags |= IIO_CTX_XML_INCLUDE_VALUES;
	}
	if (optind != argc) {
		fprintf(stderr, "Incorrect number of arguments.\n\n");
		common_usage(&genxml_tool, EXIT_FAILURE);
	}

	ctx = common_create_context(&genxml_tool, &opts);
	if (!ctx)
		return EXIT_FAILURE;

	xml = iio_context_get_xml(ctx);
	if (iio_err(xml)) {
		iio_strerror(-iio_err(xml), err, sizeof(err));
		fprintf(stderr, "Unable to generate the XML description: %s\n", err);
		iio_context_destroy(ctx);
		return EXIT_FAILURE;
	}
	printf("%s\n", xml);
	fflush(stdout);

	ok = check_round_trip(&opts, xml);
	free(xml);
	iio_context_destroy(ctx);
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
