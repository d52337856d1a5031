// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * iiod, server side: the input is everything a client sends on one
 * connection (ASCII commands, and after "BINARY\r\n" binary requests). The
 * session runs in this thread until the input ends; it must answer or close,
 * and leave nothing behind (buffers, sessions), whatever the bytes.
 *
 * Served context: by default the devices of fmcomms2.xml ($IIO_XML_FIXTURES
 * or the shared fixtures; a small built-in document when absent) on a
 * simulated backend defined here, which also streams (reads give a byte
 * pattern, writes are swallowed, events come every third poll), so that the
 * buffer, block and event code of both protocols runs too. $FUZZ_IIOD_URI
 * serves a real context instead (xml:..., or local: with $LIBIIO_LOCAL_ROOT
 * on a tests/fixtures/gen-sysfs.py tree).
 */
#include "fuzz.h"
#include "fuzz-transport.h"
#include "server.h"
#include "xml.h"

#include <stdatomic.h>
#include <unistd.h>

/* Used when fmcomms2.xml is not around: a bit of everything the protocol addresses. */
static const char builtin_xml[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	"<context name=\"xml\" version-major=\"1\" version-minor=\"0\" version-git=\"fuzz\">"
	"<context-attribute name=\"hw_model\" value=\"fuzz board\"/>"
	"<device id=\"iio:device0\" name=\"adc\">"
	"<channel id=\"voltage0\" type=\"input\">"
	"<scan-element index=\"0\" format=\"le:S12/16&gt;&gt;4\" scale=\"0.5\"/>"
	"<attribute name=\"raw\" filename=\"in_voltage0_raw\" value=\"123\"/>"
	"</channel>"
	"<channel id=\"voltage1\" type=\"input\">"
	"<scan-element index=\"1\" format=\"be:u32/32X2&gt;&gt;0\"/>"
	"</channel>"
	"<attribute name=\"sampling_frequency\" value=\"1000\"/>"
	"<debug-attribute name=\"direct_reg_access\" value=\"0x0\"/>"
	"<buffer-attribute name=\"length\" value=\"4096\"/>"
	"</device>"
	"<device id=\"iio:device1\" name=\"dac\">"
	"<channel id=\"voltage0\" type=\"output\">"
	"<scan-element index=\"0\" format=\"le:s16/16&gt;&gt;0\"/>"
	"</channel>"
	"</device>"
	"<device id=\"trigger0\" name=\"sysfstrig0\"/>"
	"</context>";

/* ---- The simulated backend ------------------------------------------------ */

struct iio_context_pdata {
	struct iio_xml_values *values;
};

struct iio_buffer_stream_pdata {
	atomic_bool cancelled;
	uint8_t next;
};

struct iio_event_stream_pdata {
	unsigned int polls;
};

static ssize_t sim_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	const struct iio_context *ctx = iio_attr_get_context(attr);
	ssize_t ret = iio_xml_values_read(ctx->pdata ? ctx->pdata->values : NULL, attr, dst, len);

	if (ret != -ENOENT)
		return ret;
	if (len < 2)
		return -EFBIG;
	memcpy(dst, "0", 2);
	return 2;
}

static ssize_t sim_write_attr(const struct iio_attr *attr, const char *src, size_t len)
{
	(void)attr;
	(void)src;
	return (ssize_t)len;
}

static int sim_set_trigger(const struct iio_device *dev, const struct iio_device *trigger)
{
	(void)dev;
	(void)trigger;
	return 0;
}

static int sim_reg_read(const struct iio_device *dev, uint32_t address, uint32_t *value)
{
	(void)dev;
	*value = address * 2654435761u;
	return 0;
}

static int sim_reg_write(const struct iio_device *dev, uint32_t address, uint32_t value)
{
	(void)dev;
	(void)address;
	(void)value;
	return 0;
}

static struct iio_buffer_stream_pdata *sim_open_buffer(const struct iio_buffer *buf,
						       struct iio_channels_mask *mask)
{
	struct iio_buffer_stream_pdata *pdata = calloc(1, sizeof(*pdata));

	(void)buf;
	(void)mask;
	if (!pdata)
		return iio_ptr(-ENOMEM);
	atomic_init(&pdata->cancelled, false);
	return pdata;
}

static void sim_close_buffer(struct iio_buffer_stream_pdata *pdata)
{
	free(pdata);
}

static int sim_enable_buffer(struct iio_buffer_stream_pdata *pdata, size_t nb_samples, bool enable,
			     bool cyclic)
{
	(void)nb_samples;
	(void)enable;
	(void)cyclic;
	return atomic_load(&pdata->cancelled) ? -EBADF : 0;
}

static void sim_cancel_buffer(struct iio_buffer_stream_pdata *pdata)
{
	atomic_store(&pdata->cancelled, true);
}

static ssize_t sim_readbuf(struct iio_buffer_stream_pdata *pdata, void *dst, size_t len)
{
	uint8_t *p = dst;
	size_t i;

	if (atomic_load(&pdata->cancelled))
		return -EBADF;
	for (i = 0; i < len; i++)
		p[i] = pdata->next++;
	return (ssize_t)len;
}

static ssize_t sim_writebuf(struct iio_buffer_stream_pdata *pdata, const void *src, size_t len)
{
	(void)src;
	return atomic_load(&pdata->cancelled) ? -EBADF : (ssize_t)len;
}

static ssize_t sim_io_ready(struct iio_buffer_stream_pdata *pdata)
{
	return atomic_load(&pdata->cancelled) ? -EBADF : 1 << 20;
}

static struct iio_block_pdata *sim_create_block(struct iio_buffer_stream_pdata *pdata, size_t size,
						void **data)
{
	(void)pdata;
	(void)size;
	(void)data;
	return iio_ptr(-ENOSYS); /* core blocks, filled through readbuf/writebuf */
}

static struct iio_event_stream_pdata *sim_open_ev(const struct iio_device *dev)
{
	struct iio_event_stream_pdata *pdata = calloc(1, sizeof(*pdata));

	(void)dev;
	return pdata ? pdata : iio_ptr(-ENOMEM);
}

static void sim_close_ev(struct iio_event_stream_pdata *pdata)
{
	free(pdata);
}

static int sim_read_ev(struct iio_event_stream_pdata *pdata, struct iio_event *out, bool nonblock)
{
	if (nonblock && ++pdata->polls % 3)
		return -EAGAIN;
	out->id = pdata->polls;
	out->timestamp = 1000 * (int64_t)pdata->polls;
	return 0;
}

static void sim_shutdown(struct iio_context *ctx)
{
	if (!ctx->pdata)
		return;
	iio_xml_values_free(ctx->pdata->values);
	free(ctx->pdata);
	ctx->pdata = NULL;
}

static const struct iio_backend_ops sim_ops = {
	.shutdown = sim_shutdown,
	.read_attr = sim_read_attr,
	.write_attr = sim_write_attr,
	.set_trigger = sim_set_trigger,
	.reg_read = sim_reg_read,
	.reg_write = sim_reg_write,
	.open_buffer = sim_open_buffer,
	.close_buffer = sim_close_buffer,
	.enable_buffer = sim_enable_buffer,
	.cancel_buffer = sim_cancel_buffer,
	.readbuf = sim_readbuf,
	.writebuf = sim_writebuf,
	.io_ready = sim_io_ready,
	.create_block = sim_create_block,
	.open_ev = sim_open_ev,
	.close_ev = sim_close_ev,
	.read_ev = sim_read_ev,
};

static const struct iio_backend sim_backend = {
	.name = "sim",
	.uri_prefix = "sim:",
	.ops = &sim_ops,
	.default_timeout_ms = 1000,
};

static char *read_whole_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (size = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		data = malloc((size_t)size);
		if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
			free(data);
			data = NULL;
		}
		*len = (size_t)size;
	}
	fclose(f);
	return data;
}

static struct iio_context *sim_context(const struct iio_context_params *params)
{
	const char *dir = getenv("IIO_XML_FIXTURES");
	struct iio_xml_values *values;
	struct iio_context *ctx;
	char path[4096], *xml;
	size_t len = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/fmcomms2.xml",
		 dir ? dir : IIO_XML_FIXTURES_DIR);
	xml = read_whole_file(path, &len);
	ctx = iio_xml_build_context(&sim_backend, params, xml ? xml : builtin_xml,
				    xml ? len : sizeof(builtin_xml) - 1, &values);
	free(xml);
	if (iio_err(ctx))
		return ctx;
	ctx->pdata = calloc(1, sizeof(*ctx->pdata));
	if (!ctx->pdata) {
		iio_xml_values_free(values);
		iio_context_destroy(ctx);
		return iio_ptr(-ENOMEM);
	}
	ctx->pdata->values = values;
	ret = iio_context_init(ctx);
	if (ret) {
		iio_context_destroy(ctx);
		return iio_ptr(ret);
	}
	return ctx;
}

/* ---- The harness ------------------------------------------------------------ */

static struct iiod_server server;
static bool server_ready;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct iio_context_params params = fuzz_params();
	const char *uri = getenv("FUZZ_IIOD_URI");
	struct iio_context *ctx;
	int ret;

	(void)argc;
	(void)argv;
	ctx = uri ? iio_create_context(&params, uri) : sim_context(&params);
	if (iio_err(ctx)) {
		fprintf(stderr, "fuzz-iiod: no context to serve (%d)\n", iio_err(ctx));
		abort();
	}
	ret = iiod_server_init(&server, ctx, getenv("FUZZ_IIOD_DEMUX") != NULL);
	if (ret) {
		fprintf(stderr, "fuzz-iiod: iiod_server_init: %d\n", ret);
		abort();
	}
	server_ready = true;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iiod_transport *t;

	if (!server_ready)
		LLVMFuzzerInitialize(NULL, NULL);
	t = fuzz_transport_new(data, size, false);
	if (!t)
		return 0;
	iiod_session_run(&server, t, "fuzz");

	/* Whatever the session opened went with it. */
	FUZZ_CHECK(server.nb_sessions == 0);
	FUZZ_CHECK(server.sessions == NULL);
	pthread_mutex_lock(&server.buffers_lock);
	FUZZ_CHECK(server.buffers == NULL);
	pthread_mutex_unlock(&server.buffers_lock);
	return 0;
}
