// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The legacy ASCII interpreter (protocol-legacy.md): one command line at a
 * time, integer replies. Where upstream leaves a payload unread or a client
 * waiting for nothing, this one always reads what the command announced and
 * always answers.
 */
#include "server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TOKENS 16

struct command {
	char *tok[MAX_TOKENS];
	unsigned int count;
};

/* What a command handler tells the loop. */
enum step {
	STEP_NEXT,   /* answered (or nothing to answer): next line */
	STEP_END,    /* end the session */
	STEP_BINARY, /* switch to the binary protocol */
};

static const char help_text[] =
	"Available commands:\n\n"
	"\tHELP\n\t\tPrint this help message\n"
	"\tEXIT\n\t\tClose the current session\n"
	"\tPRINT\n\t\tDisplay a XML string corresponding to the current IIO context\n"
	"\tZPRINT\n\t\tSame as PRINT, compressed with zstd\n"
	"\tVERSION\n\t\tGet the version of libiio in use\n"
	"\tBINARY\n\t\tSwitch to the binary protocol\n"
	"\tTIMEOUT <timeout_ms>\n\t\tSet the timeout (in ms) for I/O operations\n"
	"\tOPEN <device> <samples_count> <mask> [CYCLIC]\n\t\tOpen the specified device\n"
	"\tCLOSE <device>\n\t\tClose the specified device\n"
	"\tREAD <device> [DEBUG|BUFFER|INPUT|OUTPUT <channel>] [<attribute>]\n"
	"\t\tRead the value of an attribute (all of them without a name)\n"
	"\tWRITE <device> [DEBUG|BUFFER|INPUT|OUTPUT <channel>] [<attribute>] <bytes_count>\n"
	"\t\tWrite the value of an attribute\n"
	"\tREADBUF <device> <bytes_count>\n\t\tRead raw data from the specified device\n"
	"\tWRITEBUF <device> <bytes_count>\n\t\tWrite raw data to the specified device\n"
	"\tGETTRIG <device>\n\t\tGet the name of the trigger used by the specified device\n"
	"\tSETTRIG <device> [<trigger>]\n\t\tSet the trigger to use for the specified device\n"
	"\tSET <device> BUFFERS_COUNT <count>\n\t\tSet the number of kernel buffers\n";

/* Keywords are recognised in exactly upper case or exactly lower case. */
static bool keyword(const char *tok, const char *upper)
{
	size_t i;

	if (!tok)
		return false;
	if (!strcmp(tok, upper))
		return true;
	for (i = 0; upper[i]; i++)
		if (tok[i] != tolower((unsigned char)upper[i]))
			return false;
	return tok[i] == '\0';
}

static bool is_selector(const char *tok)
{
	return keyword(tok, "DEBUG") || keyword(tok, "BUFFER") || keyword(tok, "INPUT") ||
	       keyword(tok, "OUTPUT");
}

/* A decimal number and nothing else. */
static bool parse_number(const char *tok, long long *value)
{
	char *end;

	if (!tok || !*tok)
		return false;
	errno = 0;
	*value = strtoll(tok, &end, 10);
	return !*end && !errno;
}

static int reply_int(struct iiod_session *s, long value)
{
	char line[32];
	int len = snprintf(line, sizeof(line), "%li\n", value);
	struct iovec iov = {.iov_base = line, .iov_len = (size_t)len};

	return iiod_session_write(s, &iov, 1);
}

/* "<len>\n" + data + "\n": the length line and the data are separate elements. */
static int reply_data(struct iiod_session *s, const void *data, size_t len)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%zu\n", len);
	struct iovec iov[3] = {
		{.iov_base = line, .iov_len = (size_t)n},
		{.iov_base = (void *)data, .iov_len = len},
		{.iov_base = "\n", .iov_len = 1},
	};

	return iiod_session_write(s, iov, 3);
}

static enum step answered(int ret)
{
	return ret < 0 ? STEP_END : STEP_NEXT;
}

static struct iio_device *find_device(struct iiod_session *s, const char *name)
{
	return name ? iio_context_find_device(s->srv->ctx, name) : NULL;
}

/* ---- Attribute addressing ------------------------------------------------- */

enum attr_kind {
	KIND_DEVICE,
	KIND_DEBUG,
	KIND_BUFFER,
	KIND_CHANNEL,
};

/* What READ/WRITE address: a list of attributes, and maybe one of them. */
struct attr_target {
	enum attr_kind kind;
	const void *obj;  /* device, buffer or channel */
	const char *name; /* NULL: every attribute of the list */
};

static const struct iio_attr *get_dev_attr(const void *obj, unsigned int i)
{
	return iio_device_get_attr(obj, i);
}

static const struct iio_attr *get_dbg_attr(const void *obj, unsigned int i)
{
	return iio_device_get_debug_attr(obj, i);
}

static const struct iio_attr *get_buf_attr(const void *obj, unsigned int i)
{
	return iio_buffer_get_attr(obj, i);
}

static const struct iio_attr *get_chn_attr(const void *obj, unsigned int i)
{
	return iio_channel_get_attr(obj, i);
}

static const struct iio_attr *(*const kind_get[])(const void *, unsigned int) = {
	[KIND_DEVICE] = get_dev_attr,
	[KIND_DEBUG] = get_dbg_attr,
	[KIND_BUFFER] = get_buf_attr,
	[KIND_CHANNEL] = get_chn_attr,
};

static unsigned int kind_count(const struct attr_target *tgt)
{
	switch (tgt->kind) {
	case KIND_DEVICE:
		return iio_device_get_attrs_count(tgt->obj);
	case KIND_DEBUG:
		return iio_device_get_debug_attrs_count(tgt->obj);
	case KIND_BUFFER:
		return iio_buffer_get_attrs_count(tgt->obj);
	default:
		return iio_channel_get_attrs_count(tgt->obj);
	}
}

static const struct iio_attr *find_target_attr(const struct attr_target *tgt)
{
	switch (tgt->kind) {
	case KIND_DEVICE:
		return iio_device_find_attr(tgt->obj, tgt->name);
	case KIND_DEBUG:
		return iio_device_find_debug_attr(tgt->obj, tgt->name);
	case KIND_BUFFER:
		return iio_buffer_find_attr(tgt->obj, tgt->name);
	default:
		return iio_channel_find_attr(tgt->obj, tgt->name);
	}
}

/*
 * Resolves "<dev> [DEBUG|BUFFER|INPUT <chn>|OUTPUT <chn>] [<attr>]" from
 * tok[0] (count tokens). Returns 0 or the error to answer.
 */
static int resolve_target(struct iiod_session *s, char **tok, unsigned int count,
			  struct attr_target *tgt)
{
	struct iio_device *dev;
	struct iio_buffer *buf;
	struct iio_channel *chn;
	unsigned int next = 1;

	if (!count)
		return -EINVAL;
	dev = find_device(s, tok[0]);
	if (!dev)
		return -ENODEV;
	tgt->kind = KIND_DEVICE;
	tgt->obj = dev;
	if (count > 1 && is_selector(tok[1])) {
		next = 2;
		if (keyword(tok[1], "DEBUG")) {
			tgt->kind = KIND_DEBUG;
		} else if (keyword(tok[1], "BUFFER")) {
			buf = iio_device_get_buffer(dev, 0);
			if (!buf)
				return -EBADF;
			tgt->kind = KIND_BUFFER;
			tgt->obj = buf;
		} else {
			if (count < 3)
				return -EINVAL;
			chn = iio_device_find_channel(dev, tok[2], keyword(tok[1], "OUTPUT"));
			if (!chn)
				return -ENXIO;
			tgt->kind = KIND_CHANNEL;
			tgt->obj = chn;
			next = 3;
		}
	}
	if (count > next + 1)
		return -EINVAL;
	tgt->name = count > next ? tok[next] : NULL;
	return 0;
}

static enum step cmd_read(struct iiod_session *s, struct command *cmd)
{
	struct iiod_attr_block all = {0};
	struct attr_target tgt;
	const struct iio_attr *attr;
	char *buf;
	ssize_t len;
	int ret;

	ret = resolve_target(s, cmd->tok + 1, cmd->count - 1, &tgt);
	if (ret)
		return answered(reply_int(s, ret));

	if (!tgt.name) {
		ret = iiod_attrs_read_all(kind_get[tgt.kind], tgt.obj, kind_count(&tgt), &all);
		ret = ret ? reply_int(s, ret) : reply_data(s, all.data, all.len);
		free(all.data);
		return answered(ret);
	}

	attr = find_target_attr(&tgt);
	if (!attr)
		return answered(reply_int(s, -ENOENT));
	buf = malloc(IIOD_ATTR_BUF_SIZE);
	if (!buf)
		return answered(reply_int(s, -ENOMEM));
	len = iiod_attr_read(attr, buf);
	ret = len < 0 ? reply_int(s, (long)len) : reply_data(s, buf, (size_t)len);
	free(buf);
	return answered(ret);
}

/* WRITE: the payload is read first, whatever happens next. */
static enum step cmd_write(struct iiod_session *s, struct command *cmd)
{
	struct attr_target tgt;
	const struct iio_attr *attr;
	long long len;
	ssize_t ret;
	char *data;
	int err;

	if (cmd->count < 3 || !parse_number(cmd->tok[cmd->count - 1], &len) || len < 0)
		return answered(reply_int(s, -EINVAL));
	if ((unsigned long long)len > IIOD_MAX_ATTR_WRITE) {
		err = iiod_session_discard(s, (uint64_t)len, "WRITE");
		return err ? STEP_END : answered(reply_int(s, -EFBIG));
	}
	data = malloc((size_t)len + 1);
	if (!data) {
		err = iiod_session_discard(s, (uint64_t)len, "WRITE");
		return err ? STEP_END : answered(reply_int(s, -ENOMEM));
	}
	if (iiod_session_read(s, data, (size_t)len)) {
		free(data);
		return STEP_END;
	}
	data[len] = '\0';

	ret = resolve_target(s, cmd->tok + 1, cmd->count - 2, &tgt);
	if (!ret && tgt.name) {
		attr = find_target_attr(&tgt);
		ret = attr ? iio_attr_write_raw(attr, data, (size_t)len) : -ENOENT;
	} else if (!ret) {
		ret = iiod_attrs_write_all(kind_get[tgt.kind], tgt.obj, kind_count(&tgt), data,
					   (size_t)len);
	}
	free(data);
	return answered(reply_int(s, (long)ret));
}

/* ---- Other commands -------------------------------------------------------- */

static enum step cmd_version(struct iiod_session *s)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "%u.%u.%-7.7s\n", LIBIIO_VERSION_MAJOR,
			   LIBIIO_VERSION_MINOR, LIBIIO_VERSION_GIT);
	struct iovec iov = {.iov_base = line, .iov_len = (size_t)len};

	return answered(iiod_session_write(s, &iov, 1));
}

static enum step cmd_timeout(struct iiod_session *s, struct command *cmd)
{
	long long value;
	int ret;

	if (cmd->count != 2 || !parse_number(cmd->tok[1], &value) || value > INT32_MAX ||
	    value < -1)
		return answered(reply_int(s, -EINVAL));
	/* 0 means "no limit" in this protocol. Upstream: context-wide, as here. */
	value = value == 0 ? -1 : value;
	if (iio_context_get_params(s->srv->ctx)->timeout_ms == value)
		return answered(reply_int(s, 0)); /* written only when it changes */
	ret = iio_context_set_timeout(s->srv->ctx, (int)value);
	return answered(reply_int(s, ret));
}

static enum step cmd_gettrig(struct iiod_session *s, struct command *cmd)
{
	const struct iio_device *dev, *trig;
	const char *name;

	if (cmd->count != 2)
		return answered(reply_int(s, -EINVAL));
	dev = find_device(s, cmd->tok[1]);
	if (!dev)
		return answered(reply_int(s, -ENODEV));
	trig = iio_device_get_trigger(dev);
	if (iio_err(trig))
		return answered(reply_int(s, iio_err(trig)));
	name = iio_device_get_name(trig);
	if (!name)
		name = iio_device_get_id(trig);
	return answered(reply_data(s, name, strlen(name)));
}

static enum step cmd_settrig(struct iiod_session *s, struct command *cmd)
{
	const struct iio_device *dev, *trig = NULL;

	if (cmd->count < 2 || cmd->count > 3)
		return answered(reply_int(s, -EINVAL));
	dev = find_device(s, cmd->tok[1]);
	if (!dev)
		return answered(reply_int(s, -ENODEV));
	if (cmd->count == 3) {
		trig = find_device(s, cmd->tok[2]);
		if (!trig)
			return answered(reply_int(s, -ENOENT));
	}
	return answered(reply_int(s, iio_device_set_trigger(dev, trig)));
}

static enum step cmd_open(struct iiod_session *s, struct command *cmd)
{
	struct iio_device *dev;
	long long samples;
	bool cyclic = false;

	if (cmd->count == 5 && keyword(cmd->tok[4], "CYCLIC"))
		cyclic = true;
	else if (cmd->count != 4)
		return answered(reply_int(s, -EINVAL));
	dev = find_device(s, cmd->tok[1]);
	if (!dev)
		return answered(reply_int(s, -ENODEV));
	if (!parse_number(cmd->tok[2], &samples) || samples <= 0)
		return answered(reply_int(s, -EINVAL));
	return answered(
		reply_int(s, iiod_legacy_open(s, dev, (size_t)samples, cmd->tok[3], cyclic)));
}

static enum step cmd_close(struct iiod_session *s, struct command *cmd)
{
	struct iio_device *dev;

	if (cmd->count != 2)
		return answered(reply_int(s, -EINVAL));
	dev = find_device(s, cmd->tok[1]);
	if (!dev)
		return answered(reply_int(s, -ENODEV));
	return answered(reply_int(s, iiod_legacy_close(s, dev)));
}

static enum step cmd_rwbuf(struct iiod_session *s, struct command *cmd, bool write)
{
	struct iio_device *dev;
	long long bytes;

	if (cmd->count != 3 || !parse_number(cmd->tok[2], &bytes) || bytes < 0)
		return answered(reply_int(s, -EINVAL));
	dev = find_device(s, cmd->tok[1]);
	if (!dev)
		return answered(reply_int(s, -ENODEV));
	if (write)
		return answered(iiod_legacy_writebuf(s, dev, bytes));
	return answered(iiod_legacy_readbuf(s, dev, bytes));
}

static enum step cmd_set(struct iiod_session *s, struct command *cmd)
{
	struct iio_device *dev;
	long long count;

	if (cmd->count != 4 || !keyword(cmd->tok[2], "BUFFERS_COUNT") ||
	    !parse_number(cmd->tok[3], &count) || count > INT32_MAX)
		return answered(reply_int(s, -EINVAL));
	dev = find_device(s, cmd->tok[1]);
	if (!dev)
		return answered(reply_int(s, -ENODEV));
	return answered(reply_int(s, iiod_legacy_set_buffers_count(s, dev, (long)count)));
}

static enum step dispatch(struct iiod_session *s, struct command *cmd)
{
	const char *c = cmd->tok[0];

	if (keyword(c, "READ"))
		return cmd_read(s, cmd);
	if (keyword(c, "WRITE"))
		return cmd_write(s, cmd);
	if (keyword(c, "READBUF"))
		return cmd_rwbuf(s, cmd, false);
	if (keyword(c, "WRITEBUF"))
		return cmd_rwbuf(s, cmd, true);
	if (keyword(c, "OPEN"))
		return cmd_open(s, cmd);
	if (keyword(c, "CLOSE"))
		return cmd_close(s, cmd);
	if (keyword(c, "GETTRIG"))
		return cmd_gettrig(s, cmd);
	if (keyword(c, "SETTRIG"))
		return cmd_settrig(s, cmd);
	if (keyword(c, "SET"))
		return cmd_set(s, cmd);
	if (keyword(c, "TIMEOUT"))
		return cmd_timeout(s, cmd);
	if (keyword(c, "VERSION"))
		return cmd_version(s);
	if (keyword(c, "PRINT"))
		return answered(reply_data(s, s->srv->xml, s->srv->xml_len));
	if (keyword(c, "ZPRINT")) {
		if (!s->srv->zxml)
			return answered(reply_int(s, -EINVAL));
		return answered(reply_data(s, s->srv->zxml, s->srv->zxml_len));
	}
	if (keyword(c, "HELP")) {
		struct iovec iov = {.iov_base = (void *)help_text, .iov_len = strlen(help_text)};

		return answered(iiod_session_write(s, &iov, 1));
	}
	if (keyword(c, "BINARY"))
		return reply_int(s, 0) ? STEP_END : STEP_BINARY;
	/* v0.x ended the session on EXIT; clients send it right before closing. */
	if (keyword(c, "EXIT") || keyword(c, "QUIT"))
		return STEP_END;
	return answered(reply_int(s, -EINVAL));
}

/* Splits a line on spaces and tabs; false when there are too many tokens. */
static bool tokenize(char *line, struct command *cmd)
{
	char *save = NULL, *tok;

	cmd->count = 0;
	for (tok = strtok_r(line, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (cmd->count == MAX_TOKENS)
			return false;
		cmd->tok[cmd->count++] = tok;
	}
	return true;
}

enum iiod_ascii_result iiod_ascii_run(struct iiod_session *s)
{
	struct command cmd;
	enum step step = STEP_NEXT;
	char *line = malloc(IIOD_MAX_LINE + 1);
	ssize_t len;

	if (!line)
		return IIOD_ASCII_END;
	while (step == STEP_NEXT) {
		len = s->t->ops->read_line(s->t, line, IIOD_MAX_LINE, -1);
		if (len == -EFBIG) {
			sess_err(s, "command line longer than %d bytes: closing the session\n",
				 IIOD_MAX_LINE);
			break;
		}
		if (len < 0)
			break;
		line[len] = '\0';
		if (memchr(line, '\0', (size_t)len)) {
			step = answered(reply_int(s, -EINVAL));
			continue;
		}
		if (!tokenize(line, &cmd)) {
			step = answered(reply_int(s, -EINVAL));
			continue;
		}
		if (!cmd.count)
			continue; /* empty line: no answer */
		step = dispatch(s, &cmd);
	}
	free(line);
	return step == STEP_BINARY ? IIOD_ASCII_BINARY : IIOD_ASCII_END;
}
