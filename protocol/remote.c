// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Remote contexts: creation from the server's description, then attribute,
 * trigger, register, format and timeout calls, in binary or ASCII mode.
 */
#include "remote.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>

static struct iio_context_pdata *ctx_pdata(const struct iio_context *ctx)
{
	return ctx->pdata;
}

static struct iiod_client *ctx_client(const struct iio_context *ctx)
{
	return ctx->pdata->client;
}

int iiod_remote_device_index(const struct iio_device *dev)
{
	const struct iio_context *ctx = dev->ctx;
	unsigned int i;

	for (i = 0; i < ctx->nb_devices && i <= UINT8_MAX; i++)
		if (ctx->devices[i] == dev)
			return (int)i;
	return -ENODEV;
}

/* ---- Context ------------------------------------------------------------ */

struct iio_context *iiod_remote_create_context(const struct iio_backend *backend,
					       const struct iio_context_params *params,
					       struct iiod_client *client,
					       const struct iiod_link_ops *link_ops,
					       void *link_data, const char *description)
{
	struct iio_context_pdata *pdata;
	struct iio_context *ctx;
	char *xml = NULL, *desc;
	size_t len = 0;
	int ret;

	ret = iiod_client_get_xml(client, &xml, &len);
	if (ret)
		goto err_client;

	ctx = iio_xml_build_context(backend, params, xml, len, NULL);
	free(xml);
	if (iio_err(ctx)) {
		ret = iio_err(ctx);
		prm_perror(params, ret, "Unable to read the context description the server sent");
		goto err_client;
	}

	pdata = calloc(1, sizeof(*pdata));
	if (!pdata) {
		iio_context_destroy(ctx);
		ret = -ENOMEM;
		goto err_client;
	}
	pthread_mutex_init(&pdata->lock, NULL);
	pdata->client = client;
	pdata->link_ops = link_ops;
	pdata->link_data = link_data;
	pdata->next_event_id = 0xffff;
	ctx->pdata = pdata;

	if (description) {
		desc = strdup(description);
		if (!desc) {
			iio_context_destroy(ctx);
			return iio_ptr(-ENOMEM);
		}
		free(ctx->description);
		ctx->description = desc;
	}

	/* Sorts, then reads every channel's format, scale and offset remotely. */
	ret = iio_context_init(ctx);
	if (ret) {
		prm_perror(params, ret, "Unable to initialise the remote context");
		iio_context_destroy(ctx);
		return iio_ptr(ret);
	}
	return ctx;

err_client:
	iiod_client_destroy(client);
	if (link_ops && link_ops->free)
		link_ops->free(link_data);
	return iio_ptr(ret);
}

void iiod_remote_shutdown(struct iio_context *ctx)
{
	struct iio_context_pdata *pdata = ctx_pdata(ctx);

	if (!pdata)
		return;
	iiod_client_destroy(pdata->client);
	if (pdata->link_ops && pdata->link_ops->free)
		pdata->link_ops->free(pdata->link_data);
	pthread_mutex_destroy(&pdata->lock);
	free(pdata);
	ctx->pdata = NULL;
}

int iiod_remote_set_timeout(struct iio_context *ctx, int timeout_ms)
{
	return iiod_client_set_timeout(ctx_client(ctx), timeout_ms);
}

int iiod_remote_ping(struct iio_context *ctx)
{
	struct iiod_client *client = ctx_client(ctx);
	struct iiod_request req = {.op = IIOD_OP_NOP};
	char version[64];
	ssize_t ret;

	if (iiod_client_is_binary(client))
		return iiod_client_exec(client, &req, false, NULL, 0);
	/* ASCII servers have no NOP: VERSION is a harmless round trip. */
	ret = iiod_client_ascii_read_line_command(client, "VERSION", version, sizeof(version));
	return ret < 0 ? (int)ret : 0;
}

/* ---- Attributes --------------------------------------------------------- */

/* Where an attribute is on the wire: its opcode pair, device, code. */
struct attr_address {
	uint8_t read_op, write_op;
	uint8_t dev;
	int32_t code;
};

static const struct iio_device *attr_device(const struct iio_attr *attr)
{
	switch (attr->type) {
	case IIO_ATTR_TYPE_CHANNEL:
	case IIO_ATTR_TYPE_CHANNEL_EVENT:
		return attr->iio.chn->dev;
	case IIO_ATTR_TYPE_BUFFER:
		return attr->iio.buf->dev;
	default:
		return attr->iio.dev;
	}
}

/* Position of attr in list; both ends sort the lists by name. */
static int attr_index(const struct iio_attr_list *list, const struct iio_attr *attr)
{
	if (attr < list->attrs || attr >= list->attrs + list->count)
		return -ENOENT;
	return (int)(attr - list->attrs);
}

static int address_attr(const struct iio_attr *attr, struct attr_address *addr)
{
	const struct iio_device *dev = attr_device(attr);
	int dev_index = iiod_remote_device_index(dev), index;
	unsigned int low = 0;

	if (dev_index < 0)
		return dev_index;
	switch (attr->type) {
	case IIO_ATTR_TYPE_DEVICE:
		addr->read_op = IIOD_OP_READ_ATTR;
		addr->write_op = IIOD_OP_WRITE_ATTR;
		index = attr_index(&dev->attrs, attr);
		break;
	case IIO_ATTR_TYPE_DEBUG:
		addr->read_op = IIOD_OP_READ_DBG_ATTR;
		addr->write_op = IIOD_OP_WRITE_DBG_ATTR;
		index = attr_index(&dev->debug_attrs, attr);
		break;
	case IIO_ATTR_TYPE_DEVICE_EVENT:
		addr->read_op = IIOD_OP_READ_DEV_EVT_ATTR;
		addr->write_op = IIOD_OP_WRITE_DEV_EVT_ATTR;
		index = attr_index(&dev->event_attrs, attr);
		break;
	case IIO_ATTR_TYPE_BUFFER:
		addr->read_op = IIOD_OP_READ_BUF_ATTR;
		addr->write_op = IIOD_OP_WRITE_BUF_ATTR;
		index = attr_index(&attr->iio.buf->attrs, attr);
		low = attr->iio.buf->index;
		break;
	case IIO_ATTR_TYPE_CHANNEL:
		addr->read_op = IIOD_OP_READ_CHN_ATTR;
		addr->write_op = IIOD_OP_WRITE_CHN_ATTR;
		index = attr_index(&attr->iio.chn->attrs, attr);
		low = attr->iio.chn->number;
		break;
	case IIO_ATTR_TYPE_CHANNEL_EVENT:
		addr->read_op = IIOD_OP_READ_CHN_EVT_ATTR;
		addr->write_op = IIOD_OP_WRITE_CHN_EVT_ATTR;
		index = attr_index(&attr->iio.chn->event_attrs, attr);
		low = attr->iio.chn->number;
		break;
	default:
		return -EINVAL;
	}
	if (index < 0 || index > 0xffff || low > 0xffff)
		return -EINVAL;
	addr->dev = (uint8_t)dev_index;
	addr->code = iiod_code_pack((unsigned int)index, low);
	return 0;
}

/*
 * The ASCII addressing of an attribute: "<dev> [DEBUG|BUFFER|INPUT <chn>|
 * OUTPUT <chn>] <name>". Event attributes and buffers other than 0 have none.
 */
static int ascii_attr_target(const struct iio_attr *attr, char *dst, size_t len)
{
	const struct iio_device *dev = attr_device(attr);
	const struct iio_channel *chn;
	int n;

	switch (attr->type) {
	case IIO_ATTR_TYPE_DEVICE:
		n = snprintf(dst, len, "%s %s", dev->id, attr->name);
		break;
	case IIO_ATTR_TYPE_DEBUG:
		n = snprintf(dst, len, "%s DEBUG %s", dev->id, attr->name);
		break;
	case IIO_ATTR_TYPE_BUFFER:
		if (attr->iio.buf->index)
			return -ENOSYS;
		n = snprintf(dst, len, "%s BUFFER %s", dev->id, attr->name);
		break;
	case IIO_ATTR_TYPE_CHANNEL:
		chn = attr->iio.chn;
		n = snprintf(dst, len, "%s %s %s %s", dev->id, chn->is_output ? "OUTPUT" : "INPUT",
			     chn->id, attr->name);
		break;
	default:
		return -ENOSYS;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

ssize_t iiod_remote_read_attr(const struct iio_attr *attr, char *dst, size_t len)
{
	struct iiod_client *client = ctx_client(attr_device(attr)->ctx);
	struct attr_address addr;
	char cmd[IIOD_MAX_LINE / 2];
	struct iiod_request req;
	int ret;

	if (!iiod_client_is_binary(client)) {
		ret = ascii_attr_target(attr, cmd + 5, sizeof(cmd) - 5);
		if (ret)
			return ret;
		memcpy(cmd, "READ ", 5);
		return iiod_client_ascii_read_value(client, cmd, dst, len);
	}

	ret = address_attr(attr, &addr);
	if (ret)
		return ret;
	req = (struct iiod_request){.op = addr.read_op, .dev = addr.dev, .code = addr.code};
	/* Keep the last byte for the terminating NUL. */
	ret = iiod_client_exec(client, &req, true, dst, len - 1);
	if (ret >= 0)
		dst[(size_t)ret < len - 1 ? (size_t)ret : len - 1] = '\0';
	return ret;
}

ssize_t iiod_remote_write_attr(const struct iio_attr *attr, const char *src, size_t len)
{
	struct iiod_client *client = ctx_client(attr_device(attr)->ctx);
	struct attr_address addr;
	char cmd[IIOD_MAX_LINE / 2];
	struct iiod_request req;
	uint8_t raw_len[8];
	struct iovec iov[2];
	size_t n;
	long reply;
	int ret;

	if (!iiod_client_is_binary(client)) {
		memcpy(cmd, "WRITE ", 6);
		ret = ascii_attr_target(attr, cmd + 6, sizeof(cmd) - 6);
		if (ret)
			return ret;
		n = strlen(cmd);
		snprintf(cmd + n, sizeof(cmd) - n, " %zu", len);
		ret = iiod_client_ascii_command(client, cmd, src, len, &reply);
		return ret ? ret : (ssize_t)reply;
	}

	ret = address_attr(attr, &addr);
	if (ret)
		return ret;
	iiod_put_le64(raw_len, len);
	iov[0] = (struct iovec){.iov_base = raw_len, .iov_len = sizeof(raw_len)};
	iov[1] = (struct iovec){.iov_base = (void *)src, .iov_len = len};
	req = (struct iiod_request){
		.op = addr.write_op,
		.dev = addr.dev,
		.code = addr.code,
		.payload = iov,
		.nb_payload = len ? 2 : 1,
	};
	return iiod_client_exec(client, &req, false, NULL, 0);
}

/* ---- Triggers ----------------------------------------------------------- */

const struct iio_device *iiod_remote_get_trigger(const struct iio_device *dev)
{
	struct iiod_client *client = ctx_client(dev->ctx);
	const struct iio_context *ctx = dev->ctx;
	struct iiod_request req = {.op = IIOD_OP_GETTRIG};
	char cmd[256], name[256];
	int dev_index;
	unsigned int i;
	ssize_t ret;

	if (!iiod_client_is_binary(client)) {
		snprintf(cmd, sizeof(cmd), "GETTRIG %s", dev->id);
		ret = iiod_client_ascii_read_value(client, cmd, name, sizeof(name));
		if (ret < 0)
			return iio_ptr((int)ret);
		if (ret == 0)
			return iio_ptr(-ENODEV);
		/* The server sends the trigger's name. */
		for (i = 0; i < ctx->nb_devices; i++) {
			const struct iio_device *trig = ctx->devices[i];

			if (iio_device_is_trigger(trig) && trig->name && !strcmp(trig->name, name))
				return trig;
		}
		return iio_ptr(-ENXIO);
	}

	dev_index = iiod_remote_device_index(dev);
	if (dev_index < 0)
		return iio_ptr(dev_index);
	req.dev = (uint8_t)dev_index;
	ret = iiod_client_exec(client, &req, false, NULL, 0);
	if (ret < 0)
		return iio_ptr((int)ret);
	if ((size_t)ret >= ctx->nb_devices)
		return iio_ptr(-ENXIO);
	return ctx->devices[ret];
}

int iiod_remote_set_trigger(const struct iio_device *dev, const struct iio_device *trigger)
{
	struct iiod_client *client = ctx_client(dev->ctx);
	struct iiod_request req = {.op = IIOD_OP_SETTRIG, .code = -1};
	char cmd[256];
	long reply;
	int ret, index;

	if (!iiod_client_is_binary(client)) {
		snprintf(cmd, sizeof(cmd), "SETTRIG %s%s%s", dev->id, trigger ? " " : "",
			 trigger ? trigger->id : "");
		ret = iiod_client_ascii_command(client, cmd, NULL, 0, &reply);
		return ret ? ret : (int)reply;
	}

	index = iiod_remote_device_index(dev);
	if (index < 0)
		return index;
	req.dev = (uint8_t)index;
	if (trigger) {
		index = iiod_remote_device_index(trigger);
		if (index < 0)
			return index;
		req.code = index;
	}
	return iiod_client_exec(client, &req, false, NULL, 0);
}

/* ---- Formats and registers ---------------------------------------------- */

int iiod_remote_refresh_format(struct iio_channel *chn)
{
	struct iiod_client *client = ctx_client(chn->dev->ctx);
	struct iiod_request req = {.op = IIOD_OP_REFRESH_FORMAT};
	struct iio_data_format fmt = {0};
	char text[64];
	int ret, dev_index;

	if (!iiod_client_is_binary(client))
		return -ENOSYS;
	dev_index = iiod_remote_device_index(chn->dev);
	if (dev_index < 0)
		return dev_index;
	req.dev = (uint8_t)dev_index;
	/* The server takes the channel's position in the device's list. */
	req.code = (int32_t)chn->number;
	ret = iiod_client_exec(client, &req, true, text, sizeof(text) - 1);
	if (ret < 0)
		return ret;
	text[(size_t)ret < sizeof(text) - 1 ? (size_t)ret : sizeof(text) - 1] = '\0';
	ret = iio_data_format_parse(&fmt, text);
	if (ret) {
		chn_err(chn, "Server sent an unreadable scan format '%s'\n", text);
		return ret;
	}
	chn->format.length = fmt.length;
	chn->format.bits = fmt.bits;
	chn->format.shift = fmt.shift;
	chn->format.is_signed = fmt.is_signed;
	chn->format.is_fully_defined = fmt.is_fully_defined;
	chn->format.is_be = fmt.is_be;
	chn->format.repeat = fmt.repeat;
	return 0;
}

int iiod_remote_reg_read(const struct iio_device *dev, uint32_t address, uint32_t *value)
{
	struct iiod_client *client = ctx_client(dev->ctx);
	struct iiod_request req = {.op = IIOD_OP_REG_READ, .code = (int32_t)address};
	uint8_t raw[4];
	int ret, dev_index;

	/* ASCII servers: the core falls back to direct_reg_access. */
	if (!iiod_client_is_binary(client))
		return -ENOSYS;
	dev_index = iiod_remote_device_index(dev);
	if (dev_index < 0)
		return dev_index;
	req.dev = (uint8_t)dev_index;
	ret = iiod_client_exec(client, &req, true, raw, sizeof(raw));
	if (ret < 0)
		return ret;
	if (ret != sizeof(raw))
		return -EIO;
	*value = iiod_get_le32(raw);
	return 0;
}

int iiod_remote_reg_write(const struct iio_device *dev, uint32_t address, uint32_t value)
{
	struct iiod_client *client = ctx_client(dev->ctx);
	uint8_t raw[4];
	struct iovec iov = {.iov_base = raw, .iov_len = sizeof(raw)};
	struct iiod_request req = {
		.op = IIOD_OP_REG_WRITE,
		.code = (int32_t)address,
		.payload = &iov,
		.nb_payload = 1,
	};
	int dev_index;

	if (!iiod_client_is_binary(client))
		return -ENOSYS;
	dev_index = iiod_remote_device_index(dev);
	if (dev_index < 0)
		return dev_index;
	req.dev = (uint8_t)dev_index;
	iiod_put_le32(raw, value);
	return iiod_client_exec(client, &req, false, NULL, 0);
}
