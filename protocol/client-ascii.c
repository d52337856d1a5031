// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The client's ASCII mode, for libiio 0.x servers: one exchange at a time
 * under the write lock. A transport failure in the middle of an exchange
 * leaves the stream out of step, so it fails the connection for good.
 */
#include "client-private.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>

/* Marks the connection unusable after a transport error. write_lock held. */
static int ascii_fail(struct iiod_client *client, int err)
{
	pthread_mutex_lock(&client->lock);
	if (!client->error)
		client->error = err;
	pthread_mutex_unlock(&client->lock);
	iiod_transport_cancel(client->t);
	return err;
}

static int ascii_begin(struct iiod_client *client)
{
	int err;

	pthread_mutex_lock(&client->write_lock);
	pthread_mutex_lock(&client->lock);
	err = client->error;
	pthread_mutex_unlock(&client->lock);
	if (err)
		pthread_mutex_unlock(&client->write_lock);
	return err;
}

static void ascii_end(struct iiod_client *client)
{
	pthread_mutex_unlock(&client->write_lock);
}

/* Sends "cmd\r\n" and, as its own element, the payload. */
static int send_command(struct iiod_client *client, const char *cmd, const void *payload,
			size_t len)
{
	char line[IIOD_MAX_LINE];
	struct iovec iov[2];
	int n = snprintf(line, sizeof(line), "%s\r\n", cmd);
	ssize_t ret;

	if (n < 0 || (size_t)n >= sizeof(line))
		return -ENAMETOOLONG;
	iov[0].iov_base = line;
	iov[0].iov_len = (size_t)n;
	iov[1].iov_base = (void *)payload;
	iov[1].iov_len = len;
	ret = client->t->ops->writev(client->t, iov, len ? 2 : 1, client->timeout_ms);
	return ret < 0 ? (int)ret : 0;
}

int iiod_client_ascii_command(struct iiod_client *client, const char *cmd, const void *payload,
			      size_t len, long *reply)
{
	int ret = ascii_begin(client);

	if (ret)
		return ret;
	ret = send_command(client, cmd, payload, len);
	if (ret == -ENAMETOOLONG)
		goto out;
	if (!ret)
		ret = iiod_read_int_line(client->t, reply, client->timeout_ms);
	if (ret)
		ret = ascii_fail(client, ret);
	else if (*reply < 0)
		*reply = iiod_errno(*reply);
out:
	ascii_end(client);
	return ret;
}

ssize_t iiod_client_ascii_read_line_command(struct iiod_client *client, const char *cmd, char *dst,
					    size_t len)
{
	ssize_t ret = ascii_begin(client);

	if (ret)
		return ret;
	ret = send_command(client, cmd, NULL, 0);
	if (!ret)
		ret = client->t->ops->read_line(client->t, dst, len, client->timeout_ms);
	if (ret < 0 && ret != -ENAMETOOLONG)
		ret = ascii_fail(client, ret == -EFBIG ? -EIO : (int)ret);
	else if (ret > 0)
		dst[ret - 1] = '\0';
	ascii_end(client);
	return ret;
}

/* Reads len bytes of which the first dst_len go to dst. */
static int read_keep(struct iiod_client *client, void *dst, size_t dst_len, size_t len)
{
	size_t n = len < dst_len ? len : dst_len;
	int ret = n ? iiod_read_all(client->t, dst, n, client->timeout_ms) : 0;

	if (!ret && len > n)
		ret = iiod_discard(client->t, len - n, client->timeout_ms);
	return ret;
}

ssize_t iiod_client_ascii_read_value(struct iiod_client *client, const char *cmd, char *dst,
				     size_t len)
{
	long value;
	size_t keep;
	int ret = ascii_begin(client);

	if (ret)
		return ret;
	ret = send_command(client, cmd, NULL, 0);
	if (ret == -ENAMETOOLONG)
		goto out;
	if (!ret)
		ret = iiod_read_int_line(client->t, &value, client->timeout_ms);
	if (ret)
		goto fail;
	if (value < 0) {
		ret = iiod_errno(value);
		goto out;
	}
	if ((unsigned long)value > IIOD_MAX_DISCARD) {
		prm_err(&client->params, "Server announced a %ld-byte value\n", value);
		ret = -EIO;
		goto fail;
	}
	/* The value, then a '\n' that is not part of it. */
	keep = len ? len - 1 : 0;
	if (keep > (size_t)value)
		keep = (size_t)value;
	ret = read_keep(client, dst, keep, (size_t)value + 1);
	if (ret)
		goto fail;
	if (len)
		dst[keep] = '\0';
	ascii_end(client);
	return value;
fail:
	ret = ascii_fail(client, ret);
out:
	ascii_end(client);
	return ret;
}

int iiod_client_ascii_print(struct iiod_client *client, char **blob, size_t *len)
{
	const char *cmds[] = {WITH_ZSTD ? "ZPRINT" : "PRINT", "PRINT"};
	unsigned int i;
	long value = -EINVAL;
	char *data;
	int ret = ascii_begin(client);

	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		ret = send_command(client, cmds[i], NULL, 0);
		if (!ret)
			ret = iiod_read_int_line(client->t, &value, client->timeout_ms);
		if (ret)
			goto fail;
		if (value >= 0)
			break;
	}
	if (value <= 0) {
		ascii_end(client);
		return value ? iiod_errno(value) : -EIO;
	}
	if ((unsigned long)value > IIO_XML_MAX_SIZE) {
		prm_err(&client->params, "Context description of %ld bytes is too large\n", value);
		ret = -EFBIG;
		goto fail;
	}
	data = malloc((size_t)value + 1);
	if (!data) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = iiod_read_all(client->t, data, (size_t)value + 1, client->timeout_ms);
	if (ret) {
		free(data);
		goto fail;
	}
	data[value] = '\0'; /* replaces the trailing '\n' */
	*blob = data;
	*len = (size_t)value;
	ascii_end(client);
	return 0;
fail:
	ret = ascii_fail(client, ret);
	ascii_end(client);
	return ret;
}

ssize_t iiod_client_ascii_readbuf(struct iiod_client *client, const char *dev_id, void *dst,
				  size_t len, uint32_t *mask, unsigned int mask_words)
{
	char cmd[128], line[8 * IIOD_MAX_MASK_WORDS + 4];
	bool first = true;
	size_t received = 0;
	long value;
	ssize_t n;
	int ret;

	snprintf(cmd, sizeof(cmd), "READBUF %s %zu", dev_id, len);
	ret = ascii_begin(client);
	if (ret)
		return ret;
	ret = send_command(client, cmd, NULL, 0);
	if (ret)
		goto fail;

	while (received < len) {
		ret = iiod_read_int_line(client->t, &value, client->timeout_ms);
		if (ret)
			goto fail;
		if (value < 0) {
			ascii_end(client);
			return received ? (ssize_t)received : iiod_errno(value);
		}
		if (value == 0)
			break;
		if (first) {
			n = client->t->ops->read_line(client->t, line, sizeof(line),
						      client->timeout_ms);
			if (n < 0) {
				ret = n == -EFBIG ? -EIO : (int)n;
				goto fail;
			}
			if (mask && iiod_mask_from_text(line, (size_t)n - 1, mask, mask_words))
				prm_dbg(&client->params, "READBUF: unexpected mask line\n");
			first = false;
		}
		if ((size_t)value > len - received) {
			/* More than asked: keep what fits, stay in step. */
			ret = read_keep(client, (char *)dst + received, len - received,
					(size_t)value);
			value = (long)(len - received);
		} else {
			ret = iiod_read_all(client->t, (char *)dst + received, (size_t)value,
					    client->timeout_ms);
		}
		if (ret)
			goto fail;
		received += (size_t)value;
	}
	ascii_end(client);
	return (ssize_t)received;
fail:
	ret = ascii_fail(client, ret);
	ascii_end(client);
	return received ? (ssize_t)received : ret;
}

ssize_t iiod_client_ascii_writebuf(struct iiod_client *client, const char *dev_id, const void *src,
				   size_t len)
{
	char cmd[128];
	long value;
	int ret;

	snprintf(cmd, sizeof(cmd), "WRITEBUF %s %zu", dev_id, len);
	ret = ascii_begin(client);
	if (ret)
		return ret;
	ret = send_command(client, cmd, NULL, 0);
	if (!ret)
		ret = iiod_read_int_line(client->t, &value, client->timeout_ms);
	if (ret)
		goto fail;
	if (value < 0) {
		/* Refused before any data: nothing was sent, still in step. */
		ascii_end(client);
		return iiod_errno(value);
	}
	ret = iiod_write_all(client->t, src, len, client->timeout_ms);
	if (!ret)
		ret = iiod_read_int_line(client->t, &value, client->timeout_ms);
	if (ret)
		goto fail;
	ascii_end(client);
	return value < 0 ? iiod_errno(value) : value;
fail:
	ret = ascii_fail(client, ret);
	ascii_end(client);
	return ret;
}
