/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iio_attr -g: write a small C or Python program doing the same attribute access. */
#ifndef IIO_TOOLS_GEN_CODE_H
#define IIO_TOOLS_GEN_CODE_H

#include <stdbool.h>

enum gen_code_class {
	GEN_CODE_CONTEXT,
	GEN_CODE_DEVICE,
	GEN_CODE_CHANNEL,
	GEN_CODE_BUFFER,
	GEN_CODE_DEBUG,
	GEN_CODE_EVENT,
	GEN_CODE_CHANNEL_EVENT,
};

struct gen_code_access {
	enum gen_code_class cls;
	const char *uri;     /* NULL: the default context */
	const char *device;  /* id, label or name */
	const char *channel; /* channel classes only */
	bool output;	     /* direction of the channel */
	unsigned int buffer_index;
	const char *attr;
	const char *value; /* NULL: read only */
	bool read_back;	   /* read (again) after writing */
};

/* True if path names a file gen_code_write() can produce (*.c or *.py). */
bool gen_code_supported(const char *path);

/* Writes the program to path; returns 0 or a negative errno. */
int gen_code_write(const char *path, const struct gen_code_access *access);

#endif /* IIO_TOOLS_GEN_CODE_H */
