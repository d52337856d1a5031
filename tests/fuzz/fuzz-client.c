// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The protocol client facing a hostile server: the input is the server's
 * answers, one chunk per request ("~~~\n" between chunks, "~~~stall\n" for
 * a server that goes silent, see fuzz-transport.h). The client detects the
 * protocol (BINARY), sets the timeout, downloads the description (PRINT / ZPRINT, maybe zstd),
 * builds the remote context (which reads every channel's scale and offset), then this harness makes
 * a few more remote calls with what is left. Errors are fine; crashes, leaks and hangs are not.
 */
#include "fuzz.h"
#include "fuzz-transport.h"
#include "protocol/client.h"
#include "protocol/remote.h"

/* The remote operations with no link for buffers: only the context's connection. */
static const struct iio_backend_ops fuzz_remote_ops = {
	IIOD_REMOTE_BACKEND_OPS,
};

static const struct iio_backend fuzz_remote_backend = {
	.name = "ip",
	.uri_prefix = "ip:",
	.ops = &fuzz_remote_ops,
	.default_timeout_ms = 1000,
};

/*
 * The client's wait limit: below the transport's lockstep wait, so that a
 * request whose answer is cut short times out before the answer goes on in
 * the next chunk, the same way on every run.
 */
static int client_timeout_ms(void)
{
	int ms = fuzz_lockstep_ms() / 2;

	return ms > 2 ? ms : 2;
}

static void read_attr(const struct iio_attr *attr)
{
	char buf[256];

	if (attr && iio_attr_read_raw(attr, buf, sizeof(buf)) >= 0)
		FUZZ_CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
}

/*
 * False when ptr is an error pointer holding a server's code that is no
 * errno (crashers/client/, open): fatal unless $FUZZ_IGNORE_KNOWN.
 */
static bool check_ptr(const void *ptr)
{
	if (!fuzz_is_bad_err_ptr(ptr))
		return true;
	if (!fuzz_ignore_known()) {
		fprintf(stderr,
			"fuzz-client: error pointer %p is no errno: iio_err() takes it "
			"for an object\n",
			ptr);
		abort();
	}
	return false;
}

/* A few calls of each kind, in a fixed order so that chunks line up with them. */
static void exercise(struct iio_context *ctx)
{
	unsigned int i, nb = iio_context_get_devices_count(ctx);
	struct iio_device *dev;
	struct iio_channel *chn;
	const struct iio_device *trig;
	uint32_t value;

	for (i = 0; i < nb && i < 2; i++) {
		dev = iio_context_get_device(ctx, i);
		read_attr(iio_device_get_attr(dev, 0));
		read_attr(iio_device_get_debug_attr(dev, 0));
		chn = iio_device_get_channel(dev, 0);
		if (chn) {
			read_attr(iio_channel_get_attr(chn, 0));
			(void)iio_channel_refresh_format(chn);
		}
		if (iio_device_get_buffers_count(dev))
			read_attr(iio_buffer_get_attr(iio_device_get_buffer(dev, 0), 0));
		trig = iio_device_get_trigger(dev);
		if (!check_ptr(trig))
			continue;
		if (!iio_err(trig) && trig)
			FUZZ_CHECK(iio_device_get_context(trig) == ctx);
		(void)iio_device_reg_read(dev, 0x80000000u | i, &value);
		if (iio_device_get_attrs_count(dev))
			(void)iio_attr_write_string(iio_device_get_attr(dev, 0), "1");
	}
	(void)iio_context_set_timeout(ctx, client_timeout_ms());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iio_context_params params = fuzz_params();
	struct iiod_transport *t;
	struct iiod_client *client;
	struct iio_context *ctx;

	/* Known bug (crashers/client/stall-mid-print-hangs): a silent server can hang the client.
	 */
	if (fuzz_ignore_known() && memmem(data, size, FUZZ_CHUNK_STALL, strlen(FUZZ_CHUNK_STALL)))
		return 0;
	params.timeout_ms = client_timeout_ms();
	t = fuzz_transport_new(data, size, true);
	if (!t)
		return 0;
	client = iiod_client_new(&params, t, params.timeout_ms);
	if (!check_ptr(client) || iio_err(client))
		return 0;
	ctx = iiod_remote_create_context(&fuzz_remote_backend, &params, client, NULL, NULL, "fuzz");
	if (!check_ptr(ctx) || iio_err(ctx))
		return 0;
	exercise(ctx);
	iio_context_destroy(ctx);
	return 0;
}
