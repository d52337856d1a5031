/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the fuzz harnesses. Each harness defines LLVMFuzzerTestOneInput()
 * (and may define LLVMFuzzerInitialize()); it is linked either with libFuzzer
 * (-fsanitize=fuzzer) or with replay.c, a plain main() that runs files.
 *
 * A harness reports a broken invariant with FUZZ_CHECK: it prints what failed
 * and aborts, so that libFuzzer saves the input and the replay test fails.
 */
#ifndef IIO_TESTS_FUZZ_H
#define IIO_TESTS_FUZZ_H

#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * Logging parameters: silent unless $FUZZ_LOG names a level (1 NoLog ..
 * 5 Debug), which helps when writing seeds or reading a crash.
 */
static inline struct iio_context_params fuzz_params(void)
{
	struct iio_context_params params = {.log_level = LEVEL_NOLOG};
	const char *env = getenv("FUZZ_LOG");

	if (env && *env >= '1' && *env <= '5') {
		params.log_level = (enum iio_log_level)(*env - '0');
		params.stderr_level = LEVEL_DEBUG;
	}
	return params;
}

/*
 * $FUZZ_IGNORE_KNOWN set: the harness steps around the open bugs listed in
 * crashers/README.md, so that a campaign looks past them. Replays never set it.
 */
static inline bool fuzz_ignore_known(void)
{
	return getenv("FUZZ_IGNORE_KNOWN") != NULL;
}

/*
 * An "error pointer" made of an int that is no errno (below -4095): iio_err()
 * sees a valid pointer in it. User-space pointers never look like this.
 */
static inline bool fuzz_is_bad_err_ptr(const void *ptr)
{
	intptr_t v = (intptr_t)ptr;

	return v < -4095 && v >= INT32_MIN;
}

/* A NUL-terminated copy of the input (the parsers under test take C strings). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *str = malloc(size + 1);

	if (str) {
		memcpy(str, data, size);
		str[size] = '\0';
	}
	return str;
}

#endif /* IIO_TESTS_FUZZ_H */
