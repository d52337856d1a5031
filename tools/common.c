// SPDX-License-Identifier: GPL-2.0-or-later
/* Common options, usage text, context creation and signal handling of the tools. */
#include "common.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMMON_OPTSTRING "hVu:a::S::T:"

static const struct option common_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"uri", required_argument, NULL, 'u'},
	{"scan", optional_argument, NULL, 'S'},
	{"auto", optional_argument, NULL, 'a'},
	{"timeout", required_argument, NULL, 'T'},
	{NULL, 0, NULL, 0},
};

static const char *const common_help[] = {
	"Print this help text and exit.",
	"Print the versions of this tool and of the library, then exit.",
	"Use the IIO context at this URI, for instance\n"
	"'local:' (Linux only), 'xml:/path/to/context.xml',\n"
	"'ip:192.168.2.1', 'ip:pluto.local', 'ip:' (DNS-SD),\n"
	"'usb:1.2.3', 'usb:', 'serial:/dev/ttyUSB0,115200,8n1'.",
	"List the IIO contexts that can be found and exit.\n"
	"The optional argument restricts the search to some\n"
	"backends: 'ip', 'usb', 'ip,usb', 'usb=0456:*' ...",
	"Look for IIO contexts and use the one found, if there is\n"
	"exactly one. The optional argument selects backends as\n"
	"for --scan.",
	"I/O timeout in milliseconds: 0 = the backend's default,\n"
	"-1 = wait forever, 'nb' or 'nonblocking' = never wait.",
};

/* Names a scan string may start with: they tell "-S ip" from "-a mydevice". */
static const char *const scan_backend_names[] = {"local", "ip", "usb", "serial", "xml", "emu"};

static char *merged_optstring;
static struct option *merged_options;
static atomic_bool stop_requested;

static void die_oom(void)
{
	fprintf(stderr, "ERROR: out of memory\n");
	exit(EXIT_FAILURE);
}

/* The common options followed by the tool's, as getopt wants them. */
static void merge_options(const struct tool_info *tool)
{
	size_t nb_common = sizeof(common_options) / sizeof(common_options[0]) - 1;
	size_t nb_tool = 0, len;

	if (merged_options)
		return;
	while (tool->options && tool->options[nb_tool].name)
		nb_tool++;

	merged_options = calloc(nb_common + nb_tool + 1, sizeof(*merged_options));
	len = strlen(COMMON_OPTSTRING) + strlen(tool->optstring) + 2;
	merged_optstring = malloc(len);
	if (!merged_options || !merged_optstring)
		die_oom();
	memcpy(merged_options, common_options, nb_common * sizeof(*merged_options));
	if (nb_tool)
		memcpy(merged_options + nb_common, tool->options,
		       nb_tool * sizeof(*merged_options));
	/* The leading '+' is for the tool's pass; the first pass skips it. */
	snprintf(merged_optstring, len, "+%s%s", COMMON_OPTSTRING, tool->optstring);
}

static void print_help_text(FILE *out, const char *text)
{
	const char *line = text, *end;

	do {
		end = strchr(line, '\n');
		fprintf(out, "\t\t\t%.*s\n", end ? (int)(end - line) : (int)strlen(line), line);
		line = end ? end + 1 : NULL;
	} while (line);
}

static void print_option(FILE *out, const struct option *opt, const char *help)
{
	fprintf(out, "\t-%c, --%s", opt->val, opt->name);
	if (opt->has_arg == required_argument)
		fprintf(out, " [arg]");
	else if (opt->has_arg == optional_argument)
		fprintf(out, " <arg>");
	fprintf(out, "\n");
	print_help_text(out, help ? help : "");
}

void common_usage(const struct tool_info *tool, int status)
{
	FILE *out = status ? stderr : stdout;
	unsigned int i;

	fprintf(out, "Usage:\n\t%s [OPTION]...\t%s\nOptions:\n", tool->name, tool->synopsis);
	for (i = 0; common_options[i].name; i++)
		print_option(out, &common_options[i], common_help[i]);
	for (i = 0; tool->options && tool->options[i].name; i++)
		print_option(out, &tool->options[i], tool->help[i]);
	fprintf(out, "\nThis program is free software, distributed under the GNU General Public\n"
		     "License, version 2 or later. It comes WITHOUT ANY WARRANTY, not even the\n"
		     "implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n");
	exit(status);
}

void common_print_version(const char *name)
{
	unsigned int i, nb = iio_get_builtin_backends_count();

	printf("%s version: %u.%u (git tag:%s)\n", name, TOOLS_VERSION_MAJOR, TOOLS_VERSION_MINOR,
	       TOOLS_GIT_TAG);
	printf("Libiio version: %u.%u (git tag: %s) backends:", iio_context_get_version_major(NULL),
	       iio_context_get_version_minor(NULL), iio_context_get_version_tag(NULL));
	for (i = 0; i < nb; i++) {
		const char *backend = iio_get_builtin_backend(i);

		if (backend)
			printf(" %s", backend);
	}
	printf("\n");
}

bool common_parse_ullong(const char *str, unsigned long long max, unsigned long long *val)
{
	unsigned long long v;
	char *end;

	if (!str || *str < '0' || *str > '9')
		return false;
	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno || *end || v > max)
		return false;
	*val = v;
	return true;
}

static void parse_timeout(const struct tool_info *tool, const char *arg,
			  struct iio_context_params *params)
{
	long val;
	char *end;

	if (!strcmp(arg, "nb") || !strcmp(arg, "nonblocking")) {
		params->timeout_ms = IIO_TIMEOUT_NONBLOCK;
		return;
	}
	errno = 0;
	val = strtol(arg, &end, 10);
	if (!*arg || *end || errno || val < -1 || val > INT_MAX) {
		fprintf(stderr,
			"%s: invalid timeout '%s': expected milliseconds (0 = backend "
			"default, -1 = infinite) or 'nonblocking'\n",
			tool->name, arg);
		exit(EXIT_FAILURE);
	}
	params->timeout_ms = (int)val;
}

/* Is word a scan string such as "ip", "usb=0456:*" or "local,ip"? */
static bool is_scan_string(const char *word)
{
	const char *tok = word;

	if (!word || !*word)
		return false;
	while (*tok) {
		size_t len = strcspn(tok, ",="), i;
		bool known = false;

		for (i = 0; i < sizeof(scan_backend_names) / sizeof(scan_backend_names[0]); i++)
			if (strlen(scan_backend_names[i]) == len &&
			    !strncmp(tok, scan_backend_names[i], len))
				known = true;
		if (!known)
			return false;
		tok += len;
		if (*tok == '=')
			tok += strcspn(tok, ",");
		if (*tok == ',')
			tok++;
	}
	return true;
}

/* -S and -a take an optional argument, attached ("-Sip") or as the next word. */
static const char *optional_scan_argument(int nargs, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < nargs && is_scan_string(argv[optind]))
		return argv[optind++];
	return NULL;
}

static void print_scan_results(FILE *out, const struct iio_scan *scan)
{
	size_t i, nb = iio_scan_get_results_count(scan);

	for (i = 0; i < nb; i++)
		fprintf(out, "\t%zu: %s [%s]\n", i, iio_scan_get_description(scan, i),
			iio_scan_get_uri(scan, i));
}

static struct iio_scan *do_scan(const struct iio_context_params *params, const char *backends)
{
	struct iio_scan *scan = iio_scan(params, backends);
	char err[256];

	if (iio_err(scan)) {
		iio_strerror(-iio_err(scan), err, sizeof(err));
		fprintf(stderr, "ERROR: Unable to scan for IIO contexts: %s\n", err);
		return NULL;
	}
	return scan;
}

static void scan_and_exit(const struct common_opts *opts, const char *backends)
{
	struct iio_scan *scan = do_scan(&opts->params, backends);
	size_t nb;

	if (!scan)
		exit(EXIT_FAILURE);
	nb = iio_scan_get_results_count(scan);
	if (nb) {
		printf("Available contexts:\n");
		print_scan_results(stdout, scan);
	} else {
		fprintf(stderr, "No IIO context found.\n");
	}
	iio_scan_destroy(scan);
	exit(nb ? EXIT_SUCCESS : EXIT_FAILURE);
}

void common_parse(const struct tool_info *tool, int nargs, char **argv, struct common_opts *opts)
{
	bool help = false, version = false, scan = false;
	const char *scan_backends = NULL;
	int c;

	memset(opts, 0, sizeof(*opts));
	merge_options(tool);

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(nargs, argv, merged_optstring + 1, merged_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			help = true;
			break;
		case 'V':
			version = true;
			break;
		case 'u':
			opts->uri = optarg;
			break;
		case 'T':
			parse_timeout(tool, optarg, &opts->params);
			break;
		case 'S':
			scan = true;
			scan_backends = optional_scan_argument(nargs, argv);
			break;
		case 'a':
			opts->autodetect = true;
			opts->auto_backends = optional_scan_argument(nargs, argv);
			break;
		default:
			break; /* the tool's options, and errors, are for the second pass */
		}
	}
	opterr = 1;
	optind = 0;

	if (help)
		common_usage(tool, EXIT_SUCCESS);
	if (version) {
		common_print_version(tool->name);
		exit(EXIT_SUCCESS);
	}
	if ((!!opts->uri + opts->autodetect + scan) > 1) {
		fprintf(stderr, "%s: -a, -u and -S are mutually exclusive\n", tool->name);
		exit(EXIT_FAILURE);
	}
	if (scan)
		scan_and_exit(opts, scan_backends);
}

int common_next_option(const struct tool_info *tool, int nargs, char **argv)
{
	int c;

	for (;;) {
		c = getopt_long(nargs, argv, merged_optstring, merged_options, NULL);
		switch (c) {
		case 'h':
		case 'V':
		case 'u':
		case 'T':
			continue; /* done by common_parse() */
		case 'S':
		case 'a':
			(void)optional_scan_argument(nargs, argv);
			continue;
		case '?':
		case ':':
			fprintf(stderr, "Try '%s --help' for more information.\n", tool->name);
			exit(EXIT_FAILURE);
		default:
			return c;
		}
	}
}

static char *autodetect_uri(const struct common_opts *opts)
{
	struct iio_scan *scan = do_scan(&opts->params, opts->auto_backends);
	char *uri = NULL;
	size_t nb;

	if (!scan)
		return NULL;
	nb = iio_scan_get_results_count(scan);
	if (nb == 1) {
		uri = strdup(iio_scan_get_uri(scan, 0));
		if (!uri)
			die_oom();
		fprintf(stderr, "Using auto-detected IIO context at URI \"%s\"\n", uri);
	} else if (nb > 1) {
		fprintf(stderr, "Multiple contexts found. Please select one using --uri:\n");
		print_scan_results(stderr, scan);
	} else {
		fprintf(stderr, "No IIO context found.\n");
	}
	iio_scan_destroy(scan);
	return uri;
}

struct iio_context *common_create_context(const struct tool_info *tool,
					  const struct common_opts *opts)
{
	const char *uri = opts->uri, *remote;
	struct iio_context *ctx;
	char *detected = NULL;
	char err[256];

	(void)tool;
	if (opts->autodetect) {
		detected = autodetect_uri(opts);
		if (!detected)
			return NULL;
		uri = detected;
	}

	ctx = iio_create_context(&opts->params, uri);
	if (iio_err(ctx)) {
		iio_strerror(-iio_err(ctx), err, sizeof(err));
		remote = getenv("IIOD_REMOTE");
		if (uri)
			fprintf(stderr, "ERROR: Unable to create IIO context %s: %s\n", uri, err);
		else if (remote && *remote)
			fprintf(stderr,
				"ERROR: Unable to create IIO context %s (from IIOD_REMOTE): %s\n",
				remote, err);
		else
			fprintf(stderr, "ERROR: Unable to create local IIO context: %s\n", err);
		ctx = NULL;
	}
	free(detected);
	return ctx;
}

/* ---- Termination signals ------------------------------------------------ */

struct signal_waiter {
	sigset_t set;
	void (*on_signal)(void *data);
	void *data;
};

static void *signal_thread(void *arg)
{
	struct signal_waiter *waiter = arg;
	unsigned int count = 0;
	int sig;

	for (;;) {
		if (sigwait(&waiter->set, &sig))
			continue;
		if (count++ == 0) {
			atomic_store(&stop_requested, true);
			waiter->on_signal(waiter->data);
		} else {
			static const char msg[] = "Second signal: exiting immediately\n";

			(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
			_exit(EXIT_FAILURE);
		}
	}
	return NULL;
}

int common_catch_signals(void (*on_signal)(void *data), void *data)
{
	static struct signal_waiter waiter;
	pthread_t thread;
	int ret;

	sigemptyset(&waiter.set);
	sigaddset(&waiter.set, SIGHUP);
	sigaddset(&waiter.set, SIGINT);
	sigaddset(&waiter.set, SIGPIPE);
	sigaddset(&waiter.set, SIGTERM);
	waiter.on_signal = on_signal;
	waiter.data = data;

	ret = pthread_sigmask(SIG_BLOCK, &waiter.set, NULL);
	if (ret)
		return -ret;
	ret = pthread_create(&thread, NULL, signal_thread, &waiter);
	if (ret)
		return -ret;
	pthread_detach(thread);
	return 0;
}

bool common_stop_requested(void)
{
	return atomic_load(&stop_requested);
}
