// SPDX-License-Identifier: LGPL-2.1-or-later
/* configfs gadget set-up for iiod's FunctionFS transport. */
#include "gadget.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char default_serial[64];

void usb_gadget_config_defaults(struct usb_gadget_config *cfg)
{
	if (!cfg->configfs)
		cfg->configfs = "/sys/kernel/config";
	if (!cfg->name)
		cfg->name = "iio";
	if (!cfg->vendor_id)
		cfg->vendor_id = 0x0456; /* Analog Devices */
	if (!cfg->product_id)
		cfg->product_id = 0xb671;
	if (!cfg->manufacturer)
		cfg->manufacturer = "Analog Devices Inc.";
	if (!cfg->product)
		cfg->product = "IIO over USB (iiod)";
	if (!cfg->ffs_dir)
		cfg->ffs_dir = "/dev/iio_ffs";
	if (!cfg->serial) {
		FILE *f = fopen("/etc/machine-id", "re");

		if (!f || !fgets(default_serial, 17, f))
			gethostname(default_serial, sizeof(default_serial) - 1);
		if (f)
			fclose(f);
		default_serial[strcspn(default_serial, "\n")] = '\0';
		cfg->serial = default_serial;
	}
}

static int gadget_path(char *dst, size_t len, const struct usb_gadget_config *cfg, const char *fmt,
		       ...)
{
	char rel[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	n = snprintf(dst, len, "%s/usb_gadget/%s%s%s", cfg->configfs, cfg->name, rel[0] ? "/" : "",
		     rel);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t ret;

	if (fd < 0) {
		fprintf(stderr, "iiod: usb gadget: cannot open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	ret = write(fd, value, strlen(value));
	if (ret < 0) {
		ret = -errno;
		fprintf(stderr, "iiod: usb gadget: writing '%s' to %s failed: %s\n", value, path,
			strerror(errno));
	}
	close(fd);
	return ret < 0 ? (int)ret : 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "iiod: usb gadget: cannot create %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Writes value into the gadget's file rel (printf-style path). */
static int set_attr(const struct usb_gadget_config *cfg, const char *rel, const char *value)
{
	char path[PATH_MAX];
	int ret = gadget_path(path, sizeof(path), cfg, "%s", rel);

	return ret ? ret : write_file(path, value);
}

static int mkdir_rel(const struct usb_gadget_config *cfg, const char *rel)
{
	char path[PATH_MAX];
	int ret = gadget_path(path, sizeof(path), cfg, "%s", rel);

	return ret ? ret : make_dir(path);
}

static int first_udc(char *dst, size_t len)
{
	DIR *dir = opendir("/sys/class/udc");
	struct dirent *entry;
	int ret = -ENODEV;

	if (!dir) {
		fprintf(stderr, "iiod: usb gadget: no /sys/class/udc: is a UDC driver loaded?\n");
		return -ENODEV;
	}
	while ((entry = readdir(dir))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(dst, len, "%s", entry->d_name);
		ret = 0;
		break;
	}
	closedir(dir);
	if (ret)
		fprintf(stderr, "iiod: usb gadget: no USB device controller in /sys/class/udc\n");
	return ret;
}

int usb_gadget_create(const struct usb_gadget_config *cfg)
{
	char path[PATH_MAX], target[PATH_MAX], value[32];
	char func[64];
	int ret;

	ret = gadget_path(path, sizeof(path), cfg, "");
	if (ret)
		return ret;
	if (!access(path, F_OK)) {
		fprintf(stderr, "iiod: usb gadget: %s already exists (another iiod?)\n", path);
		return -EEXIST;
	}
	snprintf(path, sizeof(path), "%s/usb_gadget", cfg->configfs);
	if (access(path, F_OK)) {
		fprintf(stderr,
			"iiod: usb gadget: %s missing: mount configfs and load libcomposite\n",
			path);
		return -ENOENT;
	}
	snprintf(func, sizeof(func), "functions/ffs.%s", cfg->name);

	ret = mkdir_rel(cfg, "");
	if (ret)
		return ret;
	snprintf(value, sizeof(value), "0x%04x", cfg->vendor_id);
	ret = set_attr(cfg, "idVendor", value);
	snprintf(value, sizeof(value), "0x%04x", cfg->product_id);
	ret = ret ?: set_attr(cfg, "idProduct", value);
	ret = ret ?: set_attr(cfg, "bcdDevice", "0x0100");
	ret = ret ?: mkdir_rel(cfg, "strings/0x409");
	ret = ret ?: set_attr(cfg, "strings/0x409/manufacturer", cfg->manufacturer);
	ret = ret ?: set_attr(cfg, "strings/0x409/product", cfg->product);
	ret = ret ?: set_attr(cfg, "strings/0x409/serialnumber", cfg->serial);
	ret = ret ?: mkdir_rel(cfg, "configs/c.1");
	ret = ret ?: mkdir_rel(cfg, "configs/c.1/strings/0x409");
	ret = ret ?: set_attr(cfg, "configs/c.1/strings/0x409/configuration", "IIO");
	ret = ret ?: set_attr(cfg, "configs/c.1/MaxPower", "500");
	ret = ret ?: mkdir_rel(cfg, func);
	if (ret)
		goto err_remove;

	gadget_path(target, sizeof(target), cfg, "%s", func);
	gadget_path(path, sizeof(path), cfg, "configs/c.1/ffs.%s", cfg->name);
	if (symlink(target, path)) {
		ret = -errno;
		fprintf(stderr, "iiod: usb gadget: linking the function failed: %s\n",
			strerror(errno));
		goto err_remove;
	}

	if (cfg->winusb) {
		ret = set_attr(cfg, "os_desc/use", "1");
		ret = ret ?: set_attr(cfg, "os_desc/b_vendor_code", "0xcd");
		ret = ret ?: set_attr(cfg, "os_desc/qw_sign", "MSFT100");
		if (ret)
			goto err_remove;
		gadget_path(target, sizeof(target), cfg, "configs/c.1");
		gadget_path(path, sizeof(path), cfg, "os_desc/c.1");
		if (symlink(target, path)) {
			ret = -errno;
			fprintf(stderr, "iiod: usb gadget: enabling OS descriptors failed: %s\n",
				strerror(errno));
			goto err_remove;
		}
	}

	ret = make_dir(cfg->ffs_dir);
	if (ret)
		goto err_remove;
	if (mount(cfg->name, cfg->ffs_dir, "functionfs", 0, NULL)) {
		ret = -errno;
		fprintf(stderr, "iiod: usb gadget: mounting functionfs '%s' on %s failed: %s\n",
			cfg->name, cfg->ffs_dir, strerror(errno));
		goto err_remove;
	}
	return 0;

err_remove:
	usb_gadget_remove(cfg);
	return ret;
}

int usb_gadget_bind(const struct usb_gadget_config *cfg)
{
	char udc[256];
	int ret;

	if (cfg->udc) {
		snprintf(udc, sizeof(udc), "%s", cfg->udc);
	} else {
		ret = first_udc(udc, sizeof(udc));
		if (ret)
			return ret;
	}
	ret = set_attr(cfg, "UDC", udc);
	if (!ret)
		fprintf(stderr, "iiod: usb gadget %04x:%04x bound to %s\n", cfg->vendor_id,
			cfg->product_id, udc);
	return ret;
}

static void remove_rel(const struct usb_gadget_config *cfg, const char *rel, bool link)
{
	char path[PATH_MAX];

	if (gadget_path(path, sizeof(path), cfg, "%s", rel))
		return;
	if (link)
		unlink(path);
	else
		rmdir(path);
}

void usb_gadget_unbind(const struct usb_gadget_config *cfg)
{
	char path[PATH_MAX], udc[64] = "";
	int fd;

	if (gadget_path(path, sizeof(path), cfg, "UDC") || access(path, F_OK))
		return;
	/* Writing an empty UDC to an unbound gadget fails: look first. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, udc, sizeof(udc) - 1) < 0)
			udc[0] = '\0';
		close(fd);
	}
	if (udc[0] && udc[0] != '\n')
		write_file(path, "\n");
}

void usb_gadget_remove(const struct usb_gadget_config *cfg)
{
	char path[PATH_MAX];

	usb_gadget_unbind(cfg);
	umount2(cfg->ffs_dir, MNT_DETACH);
	rmdir(cfg->ffs_dir);

	snprintf(path, sizeof(path), "configs/c.1/ffs.%s", cfg->name);
	remove_rel(cfg, path, true);
	remove_rel(cfg, "os_desc/c.1", true);
	remove_rel(cfg, "configs/c.1/strings/0x409", false);
	remove_rel(cfg, "configs/c.1", false);
	snprintf(path, sizeof(path), "functions/ffs.%s", cfg->name);
	remove_rel(cfg, path, false);
	remove_rel(cfg, "strings/0x409", false);
	remove_rel(cfg, "", false);
}
