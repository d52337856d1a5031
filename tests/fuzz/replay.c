// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The replay driver: main() for builds without libFuzzer (gcc, or clang
 * without WITH_FUZZERS). Runs every file named on the command line, and
 * every regular file of every directory named there (sorted, dot files and
 * README* skipped), through the harness once; a path that does not exist is
 * skipped. Each input is copied into a
 * buffer of exactly its size, so that a sanitizer sees any over-read.
 *
 * Exit status 0 when every input ran; a crash, a broken invariant or an input
 * still running after 20 s (a hang) aborts.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static unsigned int nb_inputs;
static const char *current;

/* A hang fails the test at once, saying which input, rather than at ctest's limit. */
#define HANG_SECONDS 20

static void on_alarm(int sig)
{
	static const char msg[] = "replay: still running after 20 s, a hang: ";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0 ||
	    write(STDERR_FILENO, current, strlen(current)) < 0 || write(STDERR_FILENO, "\n", 1) < 0)
		abort();
	abort();
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (size == cap) {
			uint8_t *bigger;

			cap = cap ? cap * 2 : 4096;
			bigger = realloc(data, cap);
			if (!bigger) {
				fclose(f);
				free(data);
				return -1;
			}
			data = bigger;
		}
		n = fread(data + size, 1, cap - size, f);
		if (!n)
			break;
		size += n;
	}
	fclose(f);

	/* Exactly size bytes (malloc(0) may return NULL: keep a valid pointer). */
	{
		uint8_t *exact = malloc(size ? size : 1);

		if (!exact) {
			free(data);
			return -1;
		}
		memcpy(exact, data, size);
		free(data);
		printf("replay: %s (%zu bytes)\n", path, size);
		fflush(stdout);
		current = path;
		alarm(HANG_SECONDS);
		LLVMFuzzerTestOneInput(exact, size);
		alarm(0);
		free(exact);
	}
	nb_inputs++;
	return 0;
}

static int skip_entry(const struct dirent *e)
{
	return e->d_name[0] != '.' && strncmp(e->d_name, "README", 6);
}

static int run_dir(const char *dir)
{
	struct dirent **entries;
	struct stat st;
	char path[4096];
	int i, n, ret = 0;

	n = scandir(dir, &entries, skip_entry, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, entries[i]->d_name);
		if (!ret && !stat(path, &st) && S_ISREG(st.st_mode))
			ret = run_file(path);
		free(entries[i]);
	}
	free(entries);
	return ret;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i;

	signal(SIGALRM, on_alarm);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		/* A target without crashers has no folder for them yet. */
		if (stat(argv[i], &st) && errno == ENOENT) {
			printf("replay: %s: no such folder, skipped\n", argv[i]);
			continue;
		}
		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]))
			return 1;
	}
	printf("replay: %u inputs, no failure\n", nb_inputs);
	return 0;
}
