/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every command-line tool shares: the common options (-h -V -u -S -a -T),
 * the usage text, context creation with its error messages, and a thread that
 * turns termination signals into a callback.
 *
 * Options are parsed in two passes. The first pass knows every option (common
 * and tool-specific), so GNU getopt moves all options, with their arguments,
 * in front of the positional words; it acts on the common ones only. The tool
 * then walks the same argv again with common_next_option(), which hides the
 * common options from it. Options and positional words can therefore come in
 * any order on the command line.
 */
#ifndef IIO_TOOLS_COMMON_H
#define IIO_TOOLS_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <iio/iio.h>

/* A tool's description: its options come after the common ones in --help. */
struct tool_info {
	const char *name;	      /* program name used in messages */
	const char *synopsis;	      /* what follows "[OPTION]..." in the usage line */
	const char *optstring;	      /* the tool's own getopt letters */
	const struct option *options; /* the tool's long options, zero-terminated */
	const char *const *help;      /* one description per entry of options */
};

struct common_opts {
	struct iio_context_params params;
	const char *uri;	   /* -u */
	bool autodetect;	   /* -a */
	const char *auto_backends; /* -a's optional backend list */
};

/*
 * First pass over argv (which it reorders). Handles -h, -V and -S itself (they
 * exit), records -u, -a and -T in opts, and exits with a message on a bad
 * common option. Tool options are left for common_next_option().
 * nargs may be smaller than argc to keep trailing words away from getopt.
 */
void common_parse(const struct tool_info *tool, int nargs, char **argv, struct common_opts *opts);

/*
 * The tool's own pass: returns the next tool option as getopt_long() would,
 * skipping the common ones, or -1 at the first positional word (optind then
 * points at it). An unknown option or a missing argument ends the program with
 * a message.
 */
int common_next_option(const struct tool_info *tool, int nargs, char **argv);

/* Creates the context selected by -u / -a (default: $IIOD_REMOTE or local:).
 * Prints a clear message and returns NULL on failure. */
struct iio_context *common_create_context(const struct tool_info *tool,
					  const struct common_opts *opts);

/* Prints the usage text; to stdout and exit(0) when status is 0, else to stderr. */
void common_usage(const struct tool_info *tool, int status) __attribute__((noreturn));

/* "<tool> version: ..." and "Libiio version: ..." lines. */
void common_print_version(const char *name);

/* Parses a decimal number of [min, max] into *val; false (and *val untouched) if invalid. */
bool common_parse_ullong(const char *str, unsigned long long max, unsigned long long *val);

/*
 * Blocks SIGHUP, SIGINT, SIGPIPE and SIGTERM in the calling thread (and so in
 * every thread started afterwards: call it before creating the context) and
 * waits for them in a dedicated thread, which calls on_signal(data) for the
 * first one. A second signal ends the program at once, for the case where the
 * first did not manage to unblock it. Returns 0 or a negative errno.
 */
int common_catch_signals(void (*on_signal)(void *data), void *data);

/* True once a caught signal has been delivered. */
bool common_stop_requested(void);

#endif /* IIO_TOOLS_COMMON_H */
