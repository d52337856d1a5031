// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The binary protocol (protocol-binary.md): the session's reader loop and
 * the context-level requests (description, timeout, attributes, triggers,
 * registers, formats). Every handler reads its request's whole payload
 * before it validates anything, so that a refused request never leaves the
 * stream out of step; a payload too large to read ends the session.
 */
#include "server.h"

#include <limits.h>
#include <stdlib.h>

static int respond(struct iiod_session *s, int32_t code)
{
	return iiod_session_respond(s, 0, code, NULL, 0);
}

/* ---- Attributes ---------------------------------------------------------- */

static const struct iio_attr *find_attr(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev);
	unsigned int index = iiod_code_high(hdr->code), low = iiod_code_low(hdr->code);
	struct iio_channel *chn;
	struct iio_buffer *buf;

	if (!dev)
		return NULL;
	switch (hdr->op) {
	case IIOD_OP_READ_ATTR:
	case IIOD_OP_WRITE_ATTR:
		return iio_device_get_attr(dev, index);
	case IIOD_OP_READ_DBG_ATTR:
	case IIOD_OP_WRITE_DBG_ATTR:
		return iio_device_get_debug_attr(dev, index);
	case IIOD_OP_READ_DEV_EVT_ATTR:
	case IIOD_OP_WRITE_DEV_EVT_ATTR:
		return iio_device_get_event_attr(dev, index);
	case IIOD_OP_READ_BUF_ATTR:
	case IIOD_OP_WRITE_BUF_ATTR:
		buf = iio_device_get_buffer(dev, low);
		return buf ? iio_buffer_get_attr(buf, index) : NULL;
	case IIOD_OP_READ_CHN_ATTR:
	case IIOD_OP_WRITE_CHN_ATTR:
		chn = iio_device_get_channel(dev, low);
		return chn ? iio_channel_get_attr(chn, index) : NULL;
	case IIOD_OP_READ_CHN_EVT_ATTR:
	case IIOD_OP_WRITE_CHN_EVT_ATTR:
		chn = iio_device_get_channel(dev, low);
		return chn ? iio_channel_get_event_attr(chn, index) : NULL;
	default:
		return NULL;
	}
}

static int read_attr(struct iiod_session *s, const struct iiod_header *hdr)
{
	const struct iio_attr *attr = find_attr(s, hdr);
	char *buf;
	ssize_t len;
	int ret;

	if (!attr)
		return respond(s, -EINVAL);
	buf = malloc(IIOD_ATTR_BUF_SIZE);
	if (!buf)
		return respond(s, -ENOMEM);
	len = iiod_attr_read(attr, buf);
	if (len < 0)
		ret = respond(s, (int32_t)len);
	else
		ret = iiod_session_respond(s, 0, (int32_t)len, buf, (size_t)len);
	free(buf);
	return ret;
}

static int write_attr(struct iiod_session *s, const struct iiod_header *hdr)
{
	const struct iio_attr *attr;
	uint8_t raw[8];
	uint64_t len;
	ssize_t ret;
	char *data;

	ret = iiod_session_read(s, raw, sizeof(raw));
	if (ret)
		return (int)ret;
	len = iiod_get_le64(raw);
	if (len > IIOD_MAX_ATTR_WRITE) {
		ret = iiod_session_discard(s, len, iiod_opcode_name(hdr->op));
		return ret ? (int)ret : respond(s, -EFBIG);
	}
	data = malloc((size_t)len + 1);
	if (!data) {
		ret = iiod_session_discard(s, len, iiod_opcode_name(hdr->op));
		return ret ? (int)ret : respond(s, -ENOMEM);
	}
	ret = iiod_session_read(s, data, (size_t)len);
	if (ret) {
		free(data);
		return (int)ret;
	}
	data[len] = '\0';
	attr = find_attr(s, hdr);
	ret = attr ? iio_attr_write_raw(attr, data, (size_t)len) : -EINVAL;
	free(data);
	return respond(s, (int32_t)ret);
}

/* ---- Other context-level requests ----------------------------------------- */

static int print_context(struct iiod_session *s)
{
	struct iiod_server *srv = s->srv;

	/* Without zstd, the plain XML: clients tell one from the other by its magic. */
	if (srv->zxml)
		return iiod_session_respond(s, 0, (int32_t)srv->zxml_len, srv->zxml, srv->zxml_len);
	return iiod_session_respond(s, 0, (int32_t)srv->xml_len, srv->xml, srv->xml_len);
}

static int set_timeout(struct iiod_session *s, const struct iiod_header *hdr)
{
	/* -1 forever, 0 the backend's default, INT_MIN never wait, else ms. */
	if (hdr->code < -1 && hdr->code != INT_MIN)
		return respond(s, -EINVAL);
	/* Every client sends one: the shared value is only written when it changes. */
	if (hdr->code > 0 || hdr->code == -1) {
		if (iio_context_get_params(s->srv->ctx)->timeout_ms == hdr->code)
			return respond(s, 0);
	}
	return respond(s, iio_context_set_timeout(s->srv->ctx, hdr->code));
}

static int get_trigger(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev);
	const struct iio_device *trig;

	if (!dev)
		return respond(s, -EINVAL);
	trig = iio_device_get_trigger(dev);
	if (iio_err(trig))
		return respond(s, iio_err(trig));
	return respond(s, iiod_server_device_index(s->srv, trig));
}

static int set_trigger(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev), *trig = NULL;

	if (!dev)
		return respond(s, -EINVAL);
	if (hdr->code != -1) {
		trig = hdr->code >= 0 ? iiod_server_device(s->srv, (unsigned int)hdr->code) : NULL;
		if (!trig)
			return respond(s, -EINVAL);
	}
	return respond(s, iio_device_set_trigger(dev, trig));
}

static int reg_read(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev);
	uint32_t value;
	uint8_t raw[4];
	int ret;

	if (!dev)
		return respond(s, -ENODEV);
	ret = iio_device_reg_read(dev, (uint32_t)hdr->code, &value);
	if (ret)
		return respond(s, ret);
	iiod_put_le32(raw, value);
	return iiod_session_respond(s, 0, sizeof(raw), raw, sizeof(raw));
}

static int reg_write(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev;
	uint8_t raw[4];
	int ret = iiod_session_read(s, raw, sizeof(raw));

	if (ret)
		return ret;
	dev = iiod_server_device(s->srv, hdr->dev);
	if (!dev)
		return respond(s, -ENODEV);
	return respond(s, iio_device_reg_write(dev, (uint32_t)hdr->code, iiod_get_le32(raw)));
}

static int refresh_format(struct iiod_session *s, const struct iiod_header *hdr)
{
	struct iio_device *dev = iiod_server_device(s->srv, hdr->dev);
	struct iio_channel *chn;
	char text[64];
	int ret;

	if (!dev)
		return respond(s, -ENODEV);
	/* The channel's position in the device's list (what upstream's server reads too). */
	chn = iio_device_get_channel(dev, iiod_code_low(hdr->code));
	if (!chn)
		return respond(s, -EINVAL);
	pthread_mutex_lock(&s->srv->format_lock);
	ret = iio_channel_refresh_format(chn);
	/* A backend that cannot re-read it still knows the format it has. */
	if (!ret || ret == -ENOSYS)
		ret = iio_data_format_print(iio_channel_get_data_format(chn), text, sizeof(text));
	else
		text[0] = '\0';
	pthread_mutex_unlock(&s->srv->format_lock);
	if (ret < 0)
		return respond(s, ret);
	if ((size_t)ret >= sizeof(text))
		return respond(s, -EINVAL);
	return iiod_session_respond(s, 0, ret, text, (size_t)ret);
}

/* ---- The loop -------------------------------------------------------------- */

/* Returns < 0 when the session must end. */
static int handle(struct iiod_session *s, const struct iiod_header *hdr)
{
	switch (hdr->op) {
	case IIOD_OP_RESPONSE:
		/* A response to nothing: its data is dropped. */
		return hdr->code > 0 ? iiod_session_discard(s, (uint32_t)hdr->code, "RESPONSE") : 0;
	case IIOD_OP_PRINT:
		return print_context(s);
	case IIOD_OP_TIMEOUT:
		return set_timeout(s, hdr);
	case IIOD_OP_READ_ATTR:
	case IIOD_OP_READ_DBG_ATTR:
	case IIOD_OP_READ_BUF_ATTR:
	case IIOD_OP_READ_CHN_ATTR:
	case IIOD_OP_READ_DEV_EVT_ATTR:
	case IIOD_OP_READ_CHN_EVT_ATTR:
		return read_attr(s, hdr);
	case IIOD_OP_WRITE_ATTR:
	case IIOD_OP_WRITE_DBG_ATTR:
	case IIOD_OP_WRITE_BUF_ATTR:
	case IIOD_OP_WRITE_CHN_ATTR:
	case IIOD_OP_WRITE_DEV_EVT_ATTR:
	case IIOD_OP_WRITE_CHN_EVT_ATTR:
		return write_attr(s, hdr);
	case IIOD_OP_GETTRIG:
		return get_trigger(s, hdr);
	case IIOD_OP_SETTRIG:
		return set_trigger(s, hdr);
	case IIOD_OP_OPEN_BUFFER:
		return iiod_bin_open_buffer(s, hdr);
	case IIOD_OP_CLOSE_BUFFER:
		return iiod_bin_close_buffer(s, hdr);
	case IIOD_OP_ENABLE_BUFFER:
		return iiod_bin_enable_buffer(s, hdr, true);
	case IIOD_OP_DISABLE_BUFFER:
		return iiod_bin_enable_buffer(s, hdr, false);
	case IIOD_OP_CREATE_BLOCK:
		return iiod_bin_create_block(s, hdr);
	case IIOD_OP_FREE_BLOCK:
		return iiod_bin_free_block(s, hdr);
	case IIOD_OP_TRANSFER_BLOCK:
	case IIOD_OP_ENQUEUE_BLOCK_CYCLIC:
		return iiod_bin_transfer_block(s, hdr);
	case IIOD_OP_RETRY_DEQUEUE_BLOCK:
		return iiod_bin_retry_dequeue(s, hdr);
	case IIOD_OP_CREATE_EVSTREAM:
		return iiod_bin_create_evstream(s, hdr);
	case IIOD_OP_FREE_EVSTREAM:
		return iiod_bin_free_evstream(s, hdr);
	case IIOD_OP_READ_EVENT:
		return iiod_bin_read_event(s, hdr);
	case IIOD_OP_REG_READ:
		return reg_read(s, hdr);
	case IIOD_OP_REG_WRITE:
		return reg_write(s, hdr);
	case IIOD_OP_REFRESH_FORMAT:
		return refresh_format(s, hdr);
	case IIOD_OP_NOP:
		return respond(s, 0);
	default:
		/* No length field: nothing after an unknown opcode can be trusted. */
		sess_err(s, "unknown opcode %u: closing the session\n", hdr->op);
		return -EPROTO;
	}
}

void iiod_binary_run(struct iiod_session *s)
{
	static const char binary_again[] = IIOD_BINARY_COMMAND;
	uint8_t raw[IIOD_HEADER_SIZE];
	struct iiod_header hdr;
	struct iovec iov;
	int ret;

	for (;;) {
		ret = iiod_session_read(s, raw, sizeof(raw));
		if (ret)
			break;
		/* Never a valid header (op 0x4e): a new client on a link that stayed binary. */
		if (!memcmp(raw, binary_again, sizeof(raw))) {
			iov = (struct iovec){.iov_base = "0\r\n", .iov_len = 3};
			ret = iiod_session_write(s, &iov, 1);
			if (ret)
				break;
			continue;
		}
		iiod_header_decode(&hdr, raw);
		ret = handle(s, &hdr);
		if (ret < 0)
			break;
	}
	if (ret != -EPIPE && ret != -EBADF)
		sess_dbg(s, "binary session ends (%d)\n", ret);
}
