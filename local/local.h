/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private header of the Linux "local:" backend: sysfs discovery of IIO and
 * hwmon devices, attribute I/O, triggers, registers. The streaming part
 * (chardev, buffers, DMABUF) keeps its state in the same per-object structures.
 */
#ifndef IIO_LOCAL_LOCAL_H
#define IIO_LOCAL_LOCAL_H

#include "backend.h"

#include <pthread.h>
#include <stdarg.h>

/* ---- Paths (local/paths.c) ----------------------------------------------- */

/*
 * Every absolute path the backend touches. They are used as they are in
 * production; LIBIIO_LOCAL_ROOT (see local/README.md) only adds a prefix.
 */
#define LOCAL_IIO_DEVICES_DIR "/sys/bus/iio/devices"
#define LOCAL_HWMON_DIR "/sys/class/hwmon"
#define LOCAL_DEBUGFS_DIR "/sys/kernel/debug/iio"
#define LOCAL_DEV_DIR "/dev"
#define LOCAL_INI_FILE "/etc/libiio.ini"
#define LOCAL_DT_MODEL_FILE "/sys/firmware/devicetree/base/model"
#define LOCAL_DMI_VENDOR_FILE "/sys/class/dmi/id/board_vendor"

/* The environment variable holding the root prefix. */
#define LOCAL_ROOT_ENV "LIBIIO_LOCAL_ROOT"

/* The root prefix from the environment, without trailing '/'; "" when unset. */
iio_hidden const char *local_root_from_env(void);
/*
 * Writes root + the formatted absolute path into dst. Returns the length, or
 * -ENAMETOOLONG when it does not fit.
 */
iio_hidden int local_path(char *dst, size_t len, const char *root, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- Per-object private data ----------------------------------------------- */

struct local_sysio;

struct iio_context_pdata {
	char *root;              /* prefix of every path, "" in production */
	pthread_mutex_t lock;    /* guards the devices' chardev fds */
	const struct local_sysio *sysio; /* streaming syscalls (sysio.h); NULL: libc */
};

struct iio_device_pdata {
	bool hwmon;              /* lives under /sys/class/hwmon */
	char *debug_dir;         /* directory name under /sys/kernel/debug/iio, or NULL */
	int fd;                  /* chardev fd kept open by a legacy (pre-5.11) buffer, or -1 */
};

struct iio_channel_pdata {
	char *type_path;         /* "<scan dir>/<prefix>_type" relative to the device dir */
};

/* One channel of a hardware buffer and the file that enables it. */
struct local_scan_element {
	struct iio_channel *chn;
	char *en_path;           /* relative to the device dir, e.g. "buffer1/in_voltage0_en" */
};

struct iio_buffer_pdata {
	char *dir;               /* attribute dir: "buffer" (buffer 0) or "bufferN" */
	struct local_scan_element *elements;
	unsigned int nb_elements;
};

/* ---- File I/O (local/attr.c) --------------------------------------------- */

/*
 * Reads a sysfs file into dst (NUL-terminated, trailing newline dropped).
 * Returns strlen(dst) + 1, or -EFBIG when the file does not fit, or -errno.
 */
iio_hidden ssize_t local_read_file(const char *path, char *dst, size_t len);
/* Writes len bytes in one write(). Returns the bytes written or -errno (-EIO for 0). */
iio_hidden ssize_t local_write_file(const char *path, const void *src, size_t len);
/* The device's directory: /sys/bus/iio/devices/<id> or /sys/class/hwmon/<id>. */
iio_hidden int local_device_path(const struct iio_device *dev, char *dst, size_t len,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
iio_hidden ssize_t local_read_dev_file(const struct iio_device *dev, const char *relpath,
				       char *dst, size_t len);
iio_hidden ssize_t local_write_dev_file(const struct iio_device *dev, const char *relpath,
					const void *src, size_t len);

iio_hidden ssize_t local_read_attr(const struct iio_attr *attr, char *dst, size_t len);
iio_hidden ssize_t local_write_attr(const struct iio_attr *attr, const char *src, size_t len);

/* ---- File name parser (local/names.c): pure functions ---------------------- */

/* The first letter says the direction: "out_..." is an output. */
iio_hidden bool local_name_is_output(const char *name);
/* Length of "in_" / "out_" at the start of name, or 0. */
iio_hidden size_t local_name_prefix_len(const char *name);
/*
 * Length of the channel type token at str: up to the first '_', except that a
 * type whose kernel name has a '_' (delta_angl, delta_velocity) is kept whole.
 */
iio_hidden size_t local_type_token_len(const char *str);
/* Whether a file of an IIO device dir is a channel attribute (local.md §5.2). */
iio_hidden bool local_is_channel_file(const char *name, bool strict);
/* Whether a file of a hwmon device dir is a channel attribute. */
iio_hidden bool local_is_hwmon_channel_file(const char *name);
/*
 * Channel id of a channel file (IIO or hwmon): written to dst. Returns the
 * length of the id, or -EINVAL (not a channel file), -ENAMETOOLONG.
 */
iio_hidden int local_channel_id(const char *name, bool hwmon, char *dst, size_t len);
/*
 * Attribute name of a channel file whose channel id is id: the text after
 * "<prefix><id>_" (IIO) or after "<id>_" (hwmon; the id itself for "pwm1").
 * Returns a pointer into name.
 */
iio_hidden const char *local_channel_attr_name(const char *name, const char *id, bool hwmon);
/*
 * Extended name shared by a channel's attribute names (local.md §5.4): the
 * length of the longest common prefix ending before a '_', 0 if none.
 */
iio_hidden size_t local_extended_name_len(const char *const *names, size_t count);

/* How a device-level file relates to a channel (local.md §5.5). */
enum local_shared_match {
	LOCAL_SHARED_NONE = 0,
	LOCAL_SHARED_BY_TYPE,        /* level 1: in_voltage_scale -> voltage0 */
	LOCAL_SHARED_EXTENDED,       /* level 2: in_voltage_vccint_scale -> voltage0 "vccint" */
};
/*
 * Whether the file name (a device attribute left after the first pass)
 * belongs to the channel (id, direction, extended name chn_name or NULL).
 * On a match, *attr_name points into name at the attribute's short name.
 */
iio_hidden enum local_shared_match local_shared_attr_match(const char *name, const char *chn_id,
							   bool chn_output, const char *chn_name,
							   const char **attr_name);
/*
 * Whether a device-level file is shared by direction ("in_sampling_frequency",
 * "out_scale_available"): a kernel info name after the prefix. *attr_name then
 * points at that info name.
 */
iio_hidden bool local_is_shared_by_direction(const char *name, const char **attr_name);

/* Scan element files: "<prefix><id>_en", "_index", "_type". */
enum local_scan_file {
	LOCAL_SCAN_NONE = 0,
	LOCAL_SCAN_EN,
	LOCAL_SCAN_INDEX,
	LOCAL_SCAN_TYPE,
};
iio_hidden enum local_scan_file local_scan_file_kind(const char *name);
/* Reserved files of a buffer directory, not exposed as buffer attributes. */
iio_hidden bool local_is_reserved_buffer_file(const char *name);
/* Files of a device directory never exposed as device attributes. */
iio_hidden bool local_is_hidden_device_file(const char *name);

/* ---- Discovery ------------------------------------------------------------- */

/* A sorted list of the entries of a directory (names only). */
struct local_dir_list {
	char **names;
	unsigned int count;
};
/* want_dirs: directories (symlinks followed), else regular files. */
iio_hidden int local_list_dir(const char *path, bool want_dirs, struct local_dir_list *list);
iio_hidden void local_dir_list_free(struct local_dir_list *list);
/* Whether path is a directory (following symlinks). */
iio_hidden bool local_is_dir(const char *path);

/* local/device.c: one device directory. */
iio_hidden int local_add_device(struct iio_context *ctx, const char *id, bool hwmon);
/* A new channel, not indexed, with the modifier of its id. */
iio_hidden struct iio_channel *local_new_channel(struct iio_device *dev, const char *id,
						 bool output);
/* local/buffers.c: buffer/, bufferN/ and scan_elements/ of one device. */
iio_hidden int local_add_buffers(struct iio_device *dev);
/* local/events-attrs.c: events/ of one device. */
iio_hidden int local_add_event_attrs(struct iio_device *dev);
/* local/debug.c: /sys/kernel/debug/iio/<dir>/ files as debug attributes. */
iio_hidden void local_add_debug_attrs(struct iio_context *ctx);
/* local/config.c: /etc/libiio.ini [Context Attributes]. */
iio_hidden void local_add_ini_attrs(struct iio_context *ctx);
/* local/scan.c */
iio_hidden int local_scan(const struct iio_context_params *params, struct iio_scan *scan,
			  const char *args);
/* local/context.c */
iio_hidden struct iio_context *local_create_context(const struct iio_context_params *params,
						     const char *args);
iio_hidden void local_shutdown(struct iio_context *ctx);

/* Channel private data, allocated on first use. NULL on -ENOMEM. */
iio_hidden struct iio_channel_pdata *local_channel_pdata(struct iio_channel *chn);
iio_hidden int local_refresh_format(struct iio_channel *chn);

/* local/triggers.c */
iio_hidden const struct iio_device *local_get_trigger(const struct iio_device *dev);
iio_hidden int local_set_trigger(const struct iio_device *dev, const struct iio_device *trigger);

/* local/registers.c */
iio_hidden int local_reg_read(const struct iio_device *dev, uint32_t address, uint32_t *value);
iio_hidden int local_reg_write(const struct iio_device *dev, uint32_t address, uint32_t value);

/* local/events.c: runtime events (IIO_GET_EVENT_FD_IOCTL) */
iio_hidden struct iio_event_stream_pdata *local_open_ev(const struct iio_device *dev);
iio_hidden void local_close_ev(struct iio_event_stream_pdata *pdata);
iio_hidden int local_read_ev(struct iio_event_stream_pdata *pdata, struct iio_event *out,
			     bool nonblock);

#endif /* IIO_LOCAL_LOCAL_H */
