// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The xml: backend: a context read from an XML description, either a file
 * (xml:/path/ctx.xml, plain or zstd-compressed) or the document itself
 * (xml:<?xml ...). Static: no streaming, events, triggers or registers.
 *
 * Attribute reads return the value= the document stored (iio_genxml -e, or
 * IIO_CTX_XML_INCLUDE_VALUES), else -ENOSYS as upstream's xml: backend.
 * Writes are refused with -ENOSYS: nothing backs the attributes.
 */
#include "xml.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct iio_context_pdata {
	struct iio_xml_values *values;
};

static ssize_t xml_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	const struct iio_context *ctx = iio_attr_get_context(attr);
	ssize_t ret;

	ret = iio_xml_values_read(ctx->pdata ? ctx->pdata->values : NULL, attr, dst, len);
	if (ret == -ENOENT) {
		prm_dbg(&ctx->params, "xml: attribute '%s' has no value in the document\n",
			attr->name);
		return -ENOSYS;
	}
	/* A document saved with values records a failed read as "ERROR:<-errno>". */
	if (ret > 0 && !strncmp(dst, "ERROR:", 6)) {
		char *end;
		long err = strtol(dst + 6, &end, 10);

		if (end != dst + 6 && !*end && err < 0 && err > -4096)
			return (ssize_t)err;
	}
	return ret;
}

static ssize_t xml_write_attr(const struct iio_attr *attr, const char *src, size_t len)
{
	const struct iio_context *ctx = iio_attr_get_context(attr);

	(void)src;
	(void)len;
	prm_err(&ctx->params, "xml: cannot write attribute '%s': an XML context is read-only\n",
		attr->name);
	return -ENOSYS;
}

static void xml_shutdown(struct iio_context *ctx)
{
	if (!ctx->pdata)
		return;
	iio_xml_values_free(ctx->pdata->values);
	free(ctx->pdata);
	ctx->pdata = NULL;
}

/* Reads a whole file of at most IIO_XML_MAX_SIZE bytes. */
static int read_file(const struct iio_context_params *params, const char *path, char **out,
		     size_t *out_len)
{
	struct stat st;
	size_t done = 0;
	char *data;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		prm_perror(params, ret, "xml: unable to open '%s'", path);
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		prm_perror(params, ret, "xml: unable to stat '%s'", path);
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		prm_err(params, "xml: '%s' is not a regular file\n", path);
		goto err_close;
	}
	if (st.st_size <= 0 || (unsigned long long)st.st_size > IIO_XML_MAX_SIZE) {
		ret = st.st_size <= 0 ? -EINVAL : -EFBIG;
		prm_err(params, "xml: '%s' is %s (%lld bytes, limit %u)\n", path,
			st.st_size <= 0 ? "empty" : "too large", (long long)st.st_size,
			IIO_XML_MAX_SIZE);
		goto err_close;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		ret = -ENOMEM;
		goto err_close;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			prm_perror(params, ret, "xml: unable to read '%s'", path);
			free(data);
			goto err_close;
		}
		done += (size_t)n;
	}
	close(fd);
	data[done] = '\0';
	*out = data;
	*out_len = done;
	return 0;

err_close:
	close(fd);
	return ret;
}

/* The reader's iio_context_init() must not read attributes: scale comes from scan-element. */
static const struct iio_backend_ops xml_init_ops = {
	.shutdown = xml_shutdown,
};

static const struct iio_backend xml_init_backend = {
	.name = "xml",
	.uri_prefix = "xml:",
	.ops = &xml_init_ops,
	.default_timeout_ms = 0,
};

static struct iio_context *xml_create(const struct iio_context_params *params, const char *args)
{
	struct iio_xml_values *values;
	struct iio_context *ctx;
	bool in_memory = !strncmp(args, "<?xml", 5);
	char *file = NULL, *uri;
	size_t len;
	int ret;

	if (in_memory) {
		len = strlen(args);
	} else {
		if (!*args) {
			prm_err(params,
				"xml: no file name in the URI (xml:<path> or xml:<?xml ...)\n");
			return iio_ptr(-EINVAL);
		}
		ret = read_file(params, args, &file, &len);
		if (ret)
			return iio_ptr(ret);
	}

	ctx = iio_xml_build_context(&xml_init_backend, params, in_memory ? args : file, len,
				    &values);
	free(file);
	if (iio_err(ctx)) {
		if (!in_memory)
			prm_err(params, "xml: unable to create a context from '%s'\n", args);
		return ctx;
	}

	ctx->pdata = calloc(1, sizeof(*ctx->pdata));
	if (!ctx->pdata) {
		iio_xml_values_free(values);
		ret = -ENOMEM;
		goto err_destroy;
	}
	ctx->pdata->values = values;

	ret = iio_context_init(ctx);
	if (ret)
		goto err_destroy;
	ctx->backend = &iio_xml_backend;

	/* Say where the context came from, rather than where the document was made. */
	if (!in_memory) {
		if (asprintf(&uri, "xml:%s", args) < 0) {
			ret = -ENOMEM;
			goto err_destroy;
		}
		ret = iio_context_add_attr(ctx, "uri", uri);
		free(uri);
		if (ret)
			goto err_destroy;
	}
	return ctx;

err_destroy:
	iio_context_destroy(ctx);
	return iio_ptr(ret);
}

static const struct iio_backend_ops xml_ops = {
	.create = xml_create,
	.shutdown = xml_shutdown,
	.read_attr = xml_read_attr,
	.write_attr = xml_write_attr,
};

const struct iio_backend iio_xml_backend = {
	.name = "xml",
	.uri_prefix = "xml:",
	.ops = &xml_ops,
	.default_timeout_ms = 0,
};
