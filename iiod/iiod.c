// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iiod: serves an IIO context (any URI: local:, usb:, ip:, xml:) to libiio
 * clients over TCP, in both the legacy ASCII and the binary protocol.
 * Options follow upstream's letters (tools.md §10); what upstream lacks has
 * a long name only.
 */
#include "dnssd.h"
#include "server.h"
#include "tcp.h"
#include "usb/ffs-server.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct options {
	const char *uri;
	uint16_t port;
	bool debug;
	bool demux;
	bool dnssd;
	bool daemonize;
	const char *ffs;
	const char *serial;
	unsigned int nb_pipes;
	struct iiod_usb_options usb;
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"debug", no_argument, NULL, 'd'},
	{"demux", no_argument, NULL, 'D'},
	{"ffs", required_argument, NULL, 'F'},
	{"nb-pipes", required_argument, NULL, 'n'},
	{"serial", required_argument, NULL, 's'},
	{"port", required_argument, NULL, 'p'},
	{"uri", required_argument, NULL, 'u'},
	{"no-dnssd", no_argument, NULL, 'N'},
	{"daemon", no_argument, NULL, 'B'},
	IIOD_USB_LONG_OPTIONS,
	{NULL, 0, NULL, 0},
};

static const char *const option_help[] = {
	"Show this help and quit.",
	"Display the version of this program.",
	"Log debug messages too (the default is info and above).",
	"Demultiplex channels directly on the server.",
	"Use the given FunctionFS mountpoint to serve over USB.",
	"Specify the number of USB pipes (ep couples) to use.",
	"Run iiod on the specified UART.",
	"Port to listen on (default = 30431).",
	"Use the context at the given URI (default = local:).",
	"Do not publish the service with DNS-SD (avahi).",
	"Run in the background (output stays on the same stderr).",
};

static void usage(FILE *out)
{
	unsigned int i;

	fprintf(out, "Usage:\n\tiiod [OPTIONS ...]\n\nOptions:\n");
	for (i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++) {
		int c = long_options[i].val;

		/* Options upstream lacks have no letter. */
		if (c == 'N' || c == 'B')
			fprintf(out, "\t    --%s", long_options[i].name);
		else
			fprintf(out, "\t-%c, --%s", c, long_options[i].name);
		if (long_options[i].has_arg == required_argument)
			fprintf(out, " [arg]");
		fprintf(out, "\n\t\t\t%s\n", option_help[i]);
	}
	iiod_usb_print_help(out);
}

static int parse_unsigned(const char *text, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(text, &end, 10);
	return *text && !*end && !errno && *out <= max ? 0 : -EINVAL;
}

/* 0: run; 1: exit with success (help, version); < 0: exit with failure. */
static int parse_options(int argc, char **argv, struct options *opts)
{
	unsigned long value;
	int c, ret;

	*opts = (struct options){
		.uri = "local:", .port = IIOD_DEFAULT_PORT, .dnssd = true, .nb_pipes = 3};
	iiod_usb_options_init(&opts->usb);
	while ((c = getopt_long(argc, argv, "+hVdDF:n:s:p:u:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("%u.%u\n", LIBIIO_VERSION_MAJOR, LIBIIO_VERSION_MINOR);
			return 1;
		case 'd':
			opts->debug = true;
			break;
		case 'D':
			opts->demux = true;
			break;
		case 'F':
			opts->ffs = optarg;
			break;
		case 's':
			opts->serial = optarg;
			break;
		case 'n':
			/* One IN and one OUT endpoint per pipe: 15 of each at most. */
			if (parse_unsigned(optarg, 15, &value) || !value) {
				fprintf(stderr, "iiod: invalid number of USB pipes '%s' (1..15)\n",
					optarg);
				return -EINVAL;
			}
			opts->nb_pipes = (unsigned int)value;
			break;
		case 'p':
			if (parse_unsigned(optarg, 65535, &value)) {
				fprintf(stderr, "iiod: invalid port '%s' (0..65535)\n", optarg);
				return -EINVAL;
			}
			opts->port = (uint16_t)value;
			break;
		case 'u':
			opts->uri = optarg;
			break;
		case 'N':
			opts->dnssd = false;
			break;
		case 'B':
			opts->daemonize = true;
			break;
		default:
			ret = iiod_usb_parse_option(&opts->usb, c, optarg);
			if (ret > 0)
				break;
			if (!ret)
				usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "iiod: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	opts->usb.ffs_dir = opts->ffs;
	opts->usb.nb_pipes = opts->nb_pipes;
	if (opts->serial) {
		fprintf(stderr, "iiod: serving on a UART (-s %s) is not available in this build\n",
			opts->serial);
		return -ENOSYS;
	}
	return 0;
}

/* One run: context, server, listener, publication; until a signal says what next. */
static int serve(struct options *opts, const sigset_t *signals, bool *restart,
		 struct iiod_usb **usb)
{
	struct iio_context_params params = {
		.log_level = opts->debug ? LEVEL_DEBUG : LEVEL_INFO,
	};
	struct iiod_server srv;
	struct iiod_dnssd *dnssd = NULL;
	struct iio_context *ctx;
	struct iiod_tcp tcp;
	int sig, ret;

	*restart = false;
	ctx = iio_create_context(&params, opts->uri);
	if (iio_err(ctx)) {
		prm_perror(&params, iio_err(ctx), "iiod: Unable to create the context '%s'",
			   opts->uri);
		return iio_err(ctx);
	}
	ret = iiod_server_init(&srv, ctx, opts->demux);
	if (ret) {
		iiod_server_free(&srv);
		return ret;
	}
	ret = iiod_tcp_start(&tcp, &srv, opts->port);
	if (ret) {
		iiod_server_free(&srv);
		return ret;
	}
	/* After a restart (SIGUSR1), the same port, even one the kernel chose. */
	opts->port = tcp.port;
	if (opts->dnssd)
		dnssd = iiod_dnssd_publish(&params, tcp.port);
	if (iiod_usb_requested(&opts->usb)) {
		ret = iiod_usb_serve(usb, &opts->usb, &srv);
		if (ret) {
			iiod_dnssd_withdraw(dnssd);
			iiod_tcp_stop(&tcp);
			iiod_server_free(&srv);
			return ret;
		}
	}

	do {
		sig = sigwaitinfo(signals, NULL);
	} while (sig < 0 && errno == EINTR);
	if (sig == SIGUSR1) {
		prm_info(&params, "iiod: SIGUSR1, restarting with a fresh context\n");
		*restart = true;
	} else {
		prm_info(&params, "iiod: signal %d, stopping\n", sig);
	}

	iiod_usb_unserve(*usb);
	iiod_dnssd_withdraw(dnssd);
	iiod_tcp_stop(&tcp);
	iiod_server_free(&srv);
	return 0;
}

int main(int argc, char **argv)
{
	struct iiod_usb *usb = NULL;
	struct options opts;
	sigset_t signals;
	bool restart;
	int ret;

	/* Log lines go out as they come, even into a file or a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = parse_options(argc, argv, &opts);
	if (ret)
		return ret > 0 ? EXIT_SUCCESS : EXIT_FAILURE;

	/* Before any thread exists: a fork keeps only the calling thread. */
	if (opts.daemonize) {
		if (daemon(0, 1)) {
			perror("iiod: unable to run in the background");
			return EXIT_FAILURE;
		}
		printf("iiod: running in the background, pid %d\n", (int)getpid());
	}

	/* Every thread inherits this mask; the main thread takes the signals. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGHUP);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	/* A peer that went away is an error return, never a signal. */
	signal(SIGPIPE, SIG_IGN);

	do {
		ret = serve(&opts, &signals, &restart, &usb);
	} while (!ret && restart);
	iiod_usb_stop(usb);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
