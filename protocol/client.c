// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The protocol client: mode detection, the binary response demultiplexer
 * (a reader thread and the ios waiting for responses), the context
 * description download. ASCII exchanges are in client-ascii.c.
 */
#include "client-private.h"
#include "xml.h"

#include <limits.h>
#include <stdlib.h>
#include <time.h>

/* ---- Waiting ---------------------------------------------------------- */

/* Absolute CLOCK_MONOTONIC deadline timeout_ms from now. */
static struct timespec deadline_in(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Waits on the client's condition until io is answered. Lock held. */
static int wait_answered(struct iiod_io *io, int timeout_ms)
{
	struct iiod_client *client = io->client;
	struct timespec deadline;
	int ret;

	if (timeout_ms > 0)
		deadline = deadline_in(timeout_ms);
	while (io->state != IO_DONE) {
		if (timeout_ms == 0)
			return -EBUSY;
		if (timeout_ms < 0) {
			pthread_cond_wait(&client->cond, &client->lock);
			continue;
		}
		ret = pthread_cond_timedwait(&client->cond, &client->lock, &deadline);
		if (ret == ETIMEDOUT && io->state != IO_DONE)
			return -ETIMEDOUT;
	}
	return 0;
}

/* ---- The reader thread (binary mode) ----------------------------------- */

static void unlink_io(struct iiod_client *client, struct iiod_io *io)
{
	struct iiod_io **link, *prev = NULL;

	for (link = &client->pending; *link; prev = *link, link = &(*link)->next) {
		if (*link != io)
			continue;
		*link = io->next;
		if (client->pending_tail == io)
			client->pending_tail = prev;
		io->next = NULL;
		return;
	}
}

/* The connection is unusable: every pending io gets err. Lock held. */
static void fail_all(struct iiod_client *client, int err)
{
	struct iiod_io *io, *next;

	if (!client->error)
		client->error = err;
	for (io = client->pending; io; io = next) {
		next = io->next;
		io->next = NULL;
		io->state = IO_DONE;
		io->code = err;
		if (io->abandoned) {
			if (io->alloc)
				free(io->out);
			free(io);
		}
	}
	client->pending = client->pending_tail = NULL;
	pthread_cond_broadcast(&client->cond);
}

/*
 * Reads a response's data for io (taken off the list, state RECEIVING).
 * Returns a transport error (the connection is lost); a problem of this
 * response only (too large, no memory) goes to *io_err, the data dropped.
 */
/*
 * Once a response has started, its bytes must keep coming: a server silent
 * for longer than the client timeout mid-element is gone (the stream cannot
 * be resynchronised anyway). The wait for a response to start is separate.
 */
static int stall_limit_ms(const struct iiod_client *client)
{
	return client->timeout_ms > 0 ? client->timeout_ms : -1;
}

static int receive_data(struct iiod_client *client, struct iiod_io *io, uint32_t len, int *io_err)
{
	int stall = stall_limit_ms(client);
	size_t n;
	int ret;

	if (io->alloc) {
		if (len > IIO_XML_MAX_SIZE) {
			prm_err(&client->params,
				"Response of %u bytes is larger than the %u "
				"accepted\n",
				len, IIO_XML_MAX_SIZE);
			*io_err = -EFBIG;
			return iiod_discard(client->t, len, stall);
		}
		io->out = malloc(len + 1);
		if (!io->out) {
			*io_err = -ENOMEM;
			return iiod_discard(client->t, len, stall);
		}
		io->out_len = len;
		ret = iiod_read_all(client->t, io->out, len, stall);
		((char *)io->out)[len] = '\0';
		return ret;
	}
	n = len < io->out_len ? len : io->out_len;
	ret = n ? iiod_read_all(client->t, io->out, n, stall) : 0;
	if (!ret && len > n)
		ret = iiod_discard(client->t, len - n, stall);
	return ret;
}

static void *reader_thread(void *arg)
{
	struct iiod_client *client = arg;
	uint8_t raw[IIOD_HEADER_SIZE];
	struct iiod_header hdr;
	struct iiod_io *io;
	int ret, io_err;

	for (;;) {
		ret = iiod_read_all(client->t, raw, sizeof(raw), -1);
		if (ret)
			break;
		iiod_header_decode(&hdr, raw);
		if (hdr.op != IIOD_OP_RESPONSE) {
			prm_err(&client->params,
				"Server sent opcode %u where a response was "
				"expected: closing the connection\n",
				hdr.op);
			ret = -EIO;
			break;
		}

		pthread_mutex_lock(&client->lock);
		for (io = client->pending; io && io->client_id != hdr.client_id; io = io->next)
			;
		if (io) {
			unlink_io(client, io);
			io->state = IO_RECEIVING;
		}
		pthread_mutex_unlock(&client->lock);

		if (!io) {
			/* A response for a block freed meanwhile: its data is dropped. */
			prm_dbg(&client->params, "Dropping a response for client id %u\n",
				hdr.client_id);
			if (hdr.code > 0 && (uint32_t)hdr.code > IIOD_MAX_DISCARD) {
				ret = -EIO;
				break;
			}
			ret = hdr.code > 0 ?
				      iiod_discard(client->t, (uint32_t)hdr.code,
						   stall_limit_ms(client)) : 0;
			if (ret)
				break;
			continue;
		}

		ret = 0;
		io_err = 0;
		if (hdr.code > 0 && io->with_data)
			ret = receive_data(client, io, (uint32_t)hdr.code, &io_err);

		pthread_mutex_lock(&client->lock);
		io->code = ret ? ret : io_err ? io_err : hdr.code;
		io->state = IO_DONE;
		if (io->abandoned) {
			if (io->alloc)
				free(io->out);
			free(io);
		}
		pthread_cond_broadcast(&client->cond);
		pthread_mutex_unlock(&client->lock);
		if (ret)
			break;
	}

	pthread_mutex_lock(&client->lock);
	if (ret != -EBADF)
		prm_dbg(&client->params, "Connection reader stopped (%d)\n", ret);
	fail_all(client, ret == -EPIPE || ret == -EBADF || ret == -EIO ? ret : -EIO);
	pthread_mutex_unlock(&client->lock);
	return NULL;
}

/* ---- ios --------------------------------------------------------------- */

struct iiod_io *iiod_io_new(struct iiod_client *client, uint16_t client_id)
{
	struct iiod_io *io = calloc(1, sizeof(*io));

	if (!io)
		return NULL;
	io->client = client;
	io->client_id = client_id;
	return io;
}

void iiod_io_destroy(struct iiod_io *io)
{
	struct iiod_client *client;

	if (!io)
		return;
	client = io->client;
	pthread_mutex_lock(&client->lock);
	if (io->state == IO_QUEUED)
		unlink_io(client, io);
	/* The reader is writing into the io's memory: let it finish. */
	while (io->state == IO_RECEIVING)
		pthread_cond_wait(&client->cond, &client->lock);
	pthread_mutex_unlock(&client->lock);
	free(io);
}

bool iiod_io_is_pending(const struct iiod_io *io)
{
	return io->state == IO_QUEUED || io->state == IO_RECEIVING;
}

struct iiod_client *iiod_io_get_client(const struct iiod_io *io)
{
	return io->client;
}

int iiod_io_send(struct iiod_io *io, const struct iiod_request *req, bool with_data, void *out,
		 size_t out_len)
{
	struct iiod_client *client = io->client;
	struct iovec iov[IIOD_MAX_ELEMENTS];
	uint8_t raw[IIOD_HEADER_SIZE];
	struct iiod_header hdr = {
		.client_id = io->client_id,
		.op = req->op,
		.dev = req->dev,
		.code = req->code,
	};
	unsigned int i;
	ssize_t ret;

	if (req->nb_payload >= IIOD_MAX_ELEMENTS)
		return -EINVAL;
	iiod_header_encode(&hdr, raw);
	iov[0].iov_base = raw;
	iov[0].iov_len = sizeof(raw);
	for (i = 0; i < req->nb_payload; i++)
		iov[i + 1] = req->payload[i];

	/* Queue and send as one step: same-id responses come in sending order. */
	pthread_mutex_lock(&client->write_lock);
	pthread_mutex_lock(&client->lock);
	if (client->error) {
		ret = client->error;
		pthread_mutex_unlock(&client->lock);
		pthread_mutex_unlock(&client->write_lock);
		return (int)ret;
	}
	if (iiod_io_is_pending(io)) {
		pthread_mutex_unlock(&client->lock);
		pthread_mutex_unlock(&client->write_lock);
		return -EBUSY;
	}
	io->state = IO_QUEUED;
	io->with_data = with_data;
	io->out = out;
	io->out_len = out_len;
	io->code = 0;
	io->next = NULL;
	if (client->pending_tail)
		client->pending_tail->next = io;
	else
		client->pending = io;
	client->pending_tail = io;
	pthread_mutex_unlock(&client->lock);

	ret = client->t->ops->writev(client->t, iov, req->nb_payload + 1, client->timeout_ms);
	pthread_mutex_unlock(&client->write_lock);
	if (ret < 0) {
		/* A partial request leaves the stream unusable. */
		prm_dbg(&client->params, "Unable to send %s (%zd)\n", iiod_opcode_name(req->op),
			ret);
		iiod_transport_cancel(client->t);
		pthread_mutex_lock(&client->lock);
		if (io->state == IO_QUEUED) {
			unlink_io(client, io);
			io->state = IO_IDLE;
		}
		fail_all(client, (int)ret);
		pthread_mutex_unlock(&client->lock);
		return (int)ret;
	}
	return 0;
}

int iiod_io_wait(struct iiod_io *io, int timeout_ms, int32_t *code)
{
	struct iiod_client *client = io->client;
	int ret;

	pthread_mutex_lock(&client->lock);
	if (io->state == IO_IDLE) {
		pthread_mutex_unlock(&client->lock);
		return -EINVAL;
	}
	ret = wait_answered(io, timeout_ms);
	if (!ret) {
		io->state = IO_IDLE;
		*code = io->code;
	}
	pthread_mutex_unlock(&client->lock);
	return ret;
}

int iiod_client_exec(struct iiod_client *client, const struct iiod_request *req, bool with_data,
		     void *out, size_t out_len)
{
	struct iiod_io *io = iiod_io_new(client, req->client_id);
	int ret;

	if (!io)
		return -ENOMEM;
	ret = iiod_io_send(io, req, with_data, out, out_len);
	if (ret) {
		free(io);
		return ret;
	}

	pthread_mutex_lock(&client->lock);
	ret = wait_answered(io, client->timeout_ms);
	if (ret == -ETIMEDOUT && io->state == IO_QUEUED) {
		/* The late response is read and dropped by the reader, which frees io. */
		io->abandoned = true;
		io->out = NULL;
		io->out_len = 0;
		pthread_mutex_unlock(&client->lock);
		prm_dbg(&client->params, "No answer to %s within %d ms\n",
			iiod_opcode_name(req->op), client->timeout_ms);
		return -ETIMEDOUT;
	}
	if (ret == -ETIMEDOUT) /* the data is arriving: it will not take long */
		(void)wait_answered(io, -1);
	/* Default-path codes are lengths or errnos: a wild negative one is an I/O error. */
	ret = io->code < 0 ? iiod_errno(io->code) : io->code;
	pthread_mutex_unlock(&client->lock);
	free(io);
	return ret;
}

/* PRINT with an allocated answer. */
static int exec_alloc(struct iiod_client *client, const struct iiod_request *req, char **out,
		      size_t *out_len)
{
	struct iiod_io *io = iiod_io_new(client, req->client_id);
	int ret;

	if (!io)
		return -ENOMEM;
	io->alloc = true;
	ret = iiod_io_send(io, req, true, NULL, 0);
	if (ret) {
		free(io);
		return ret;
	}
	pthread_mutex_lock(&client->lock);
	ret = wait_answered(io, client->timeout_ms);
	if (ret == -ETIMEDOUT && io->state == IO_QUEUED) {
		io->abandoned = true;
		pthread_mutex_unlock(&client->lock);
		return -ETIMEDOUT;
	}
	if (ret == -ETIMEDOUT)
		(void)wait_answered(io, -1);
	/* Default-path codes are lengths or errnos: a wild negative one is an I/O error. */
	ret = io->code < 0 ? iiod_errno(io->code) : io->code;
	pthread_mutex_unlock(&client->lock);
	if (ret > 0 && io->out) {
		*out = io->out;
		*out_len = io->out_len;
	} else {
		free(io->out);
		if (ret > 0)
			ret = -EIO;
	}
	free(io);
	return ret;
}

/* ---- Creation ----------------------------------------------------------- */

/* The server's share of our timeout (protocol-binary.md §3.1). */
static int remote_timeout(int timeout_ms)
{
	if (timeout_ms <= 0)
		return timeout_ms;
	return timeout_ms / 2 ? timeout_ms / 2 : 1;
}

static int send_timeout(struct iiod_client *client, int timeout_ms)
{
	struct iiod_request req = {.op = IIOD_OP_TIMEOUT, .code = remote_timeout(timeout_ms)};
	char cmd[32];
	long reply;
	int ret;

	if (client->binary) {
		ret = iiod_client_exec(client, &req, false, NULL, 0);
	} else {
		/* ASCII: 0 means "wait forever". */
		snprintf(cmd, sizeof(cmd), "TIMEOUT %d", timeout_ms < 0 ? 0 : req.code);
		ret = iiod_client_ascii_command(client, cmd, NULL, 0, &reply);
		if (!ret)
			ret = (int)reply;
	}
	/* Servers without the command (tinyiiod) answer -EINVAL: harmless. */
	return ret == -EINVAL ? 0 : ret;
}

/* BINARY: exactly "0" switches; any other outcome keeps ASCII, silently. */
static bool try_binary(struct iiod_client *client)
{
	long reply;
	int ret;

	ret = iiod_write_all(client->t, IIOD_BINARY_COMMAND, strlen(IIOD_BINARY_COMMAND),
			     client->timeout_ms);
	if (ret)
		return false;
	ret = iiod_read_int_line(client->t, &reply, client->timeout_ms);
	return !ret && reply == 0;
}

struct iiod_client *iiod_client_new(const struct iio_context_params *params,
				    struct iiod_transport *t, int timeout_ms)
{
	struct iiod_client *client;
	pthread_condattr_t attr;
	int ret;

	client = calloc(1, sizeof(*client));
	if (!client) {
		iiod_transport_destroy(t);
		return iio_ptr(-ENOMEM);
	}
	if (params)
		client->params = *params;
	client->t = t;
	client->timeout_ms = timeout_ms;
	pthread_mutex_init(&client->lock, NULL);
	pthread_mutex_init(&client->write_lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&client->cond, &attr);
	pthread_condattr_destroy(&attr);

	client->binary = try_binary(client);
	prm_dbg(params, "Server speaks the %s protocol\n", client->binary ? "binary" : "ASCII");
	if (client->binary) {
		ret = pthread_create(&client->reader, NULL, reader_thread, client);
		if (ret) {
			iiod_client_destroy(client);
			return iio_ptr(-ret);
		}
		client->reader_started = true;
	}

	ret = send_timeout(client, timeout_ms);
	if (ret < 0) {
		prm_perror(params, ret, "Unable to set the server's timeout");
		iiod_client_destroy(client);
		return iio_ptr(ret);
	}
	return client;
}

void iiod_client_cancel(struct iiod_client *client)
{
	iiod_transport_cancel(client->t);
}

void iiod_client_destroy(struct iiod_client *client)
{
	if (!client)
		return;
	iiod_transport_cancel(client->t);
	if (client->reader_started)
		pthread_join(client->reader, NULL);
	/* The reader freed every abandoned io that was answered; fail_all the others. */
	pthread_mutex_lock(&client->lock);
	fail_all(client, -EBADF);
	pthread_mutex_unlock(&client->lock);
	iiod_transport_destroy(client->t);
	pthread_cond_destroy(&client->cond);
	pthread_mutex_destroy(&client->write_lock);
	pthread_mutex_destroy(&client->lock);
	free(client);
}

struct iiod_transport *iiod_client_get_transport(const struct iiod_client *client)
{
	return client->t;
}

bool iiod_client_is_binary(const struct iiod_client *client)
{
	return client->binary;
}

int iiod_client_get_timeout(const struct iiod_client *client)
{
	return client->timeout_ms;
}

int iiod_client_set_timeout(struct iiod_client *client, int timeout_ms)
{
	int ret = send_timeout(client, timeout_ms);

	if (!ret)
		client->timeout_ms = timeout_ms;
	return ret;
}

/* ---- The context description ------------------------------------------- */

static int finish_xml(struct iiod_client *client, char *blob, size_t len, char **xml,
		      size_t *xml_len)
{
	int ret;

	if (!iio_xml_is_zstd(blob, len)) {
		*xml = blob;
		*xml_len = len;
		return 0;
	}
	ret = iio_xml_decompress(blob, len, xml, xml_len);
	free(blob);
	if (ret)
		prm_perror(&client->params, ret, "Unable to decompress the context description");
	return ret;
}

int iiod_client_get_xml(struct iiod_client *client, char **xml, size_t *len)
{
	struct iiod_request req = {.op = IIOD_OP_PRINT};
	char *blob = NULL;
	size_t blob_len = 0;
	int ret;

	if (client->binary) {
		ret = exec_alloc(client, &req, &blob, &blob_len);
		if (ret == 0)
			ret = -EIO; /* an empty description */
	} else {
		ret = iiod_client_ascii_print(client, &blob, &blob_len);
	}
	if (ret < 0) {
		prm_perror(&client->params, ret, "Unable to get the context description");
		return ret;
	}
	return finish_xml(client, blob, blob_len, xml, len);
}
