# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Helper library for scenarios running inside the bench's QEMU guest (busybox sh).
# The guest's /init sources it before running /share/scenario.sh, and a scenario may
# source it again: `. /usr/lib/iio-vm/guest-lib.sh`.
#
# Guest layout
#   /share                 9p share with the host; scenario.sh is read from it and every
#                          file written there is copied back ($VM_RESULTS points to it)
#   /lib/modules/$(uname -r)/extra   the bench's own modules (patched dummy_hcd, usb_f_fs,
#                          industrialio-buffer-dma, iio_sim_dma)
#   /lib/iio-vm/stock/     stock Debian dummy_hcd.ko and usb_f_fs.ko, for the "unpatched" cases
#   /usr/lib/iio-vm/       this library
#   /dev/iio_ffs           FunctionFS mount point of the "iio" function (vm_gadget_create)
#
# Environment (kernel command line words VAR=value, or set before calling)
#   IIO_VM_STOCK_DUMMY_HCD=1   load Debian's unpatched dummy_hcd (no scatter-gather)
#   IIO_VM_STOCK_F_FS=1        load Debian's unpatched usb_f_fs (oopses on DMABUF
#                              TRANSFER/DETACH while unbound)
#   IIO_VM_HIGH_SPEED=1        dummy_hcd without super speed (high speed only)
#   IIO_VM_SIM_RATE=N          iio_sim_dma sampling_frequency at load (0 = unthrottled)
#
# Functions
#   vm_log MSG...                       log to stdout and the console
#   vm_load_modules                     load the USB gadget stack, dummy_hcd, IIO, simulator
#   vm_gadget_create                    configfs gadget g1, function ffs.iio, mount functionfs
#   vm_gadget_bind [UDC]                bind to the UDC (default dummy_udc.0); retries until
#                                       the FunctionFS descriptors are written (10 s)
#   vm_ffs_wait_ready [S]               wait until the FunctionFS descriptors are written
#                                       (ep1 appears in /dev/iio_ffs), default 10 s
#   vm_ffs_start_server CMD [ARG]...    start CMD in the background (pid in $VM_SERVER_PID),
#                                       wait for its descriptors, bind the UDC and wait for
#                                       the host side to enumerate the device
#   vm_gadget_unbind                    unbind from the UDC
#   vm_gadget_remove                    unbind, unmount, remove the configfs gadget
#   vm_wait_usb_device [VID] [PID] [S]  wait until the host side enumerated the gadget;
#                                       prints its sysfs path (e.g. /sys/bus/usb/devices/2-1)
#   vm_iio_dev NAME                     prints iio:deviceN of the IIO device called NAME
#   vm_iio_attr NAME ATTR [VALUE]       read (or write) a device attribute by device name
#   vm_dmesg_check                      non-zero (and prints the lines) if the kernel log has
#                                       WARNING:, BUG:, Oops or Call Trace
#   vm_result KEY=VALUE...              append a line to $VM_RESULTS/results.txt
#   vm_cpu_seconds PID                  utime+stime of a running process, in seconds
#   vm_cpu_mark                         prints a mark (uptime and idle time) for vm_cpu_busy
#   vm_cpu_busy MARK                    whole-guest busy CPU-seconds since MARK
#                                       (ncpus x wall - idle; includes softirq and kworkers,
#                                       which per-process figures miss or misattribute)
#   vm_usb_uri                          libiio URI of the enumerated gadget: usb:BUS.ADDR.0
#   vm_iiod_start NAME [ARG]...         our iiod on the FunctionFS (vm_gadget_create first)
#                                       with extra ARGs, through vm_ffs_start_server: log in
#                                       /tmp/iiod-NAME.log, USB counters in /tmp/stats-NAME
#   vm_stop_pid PID [S]                 SIGTERM to a child; returns its exit status, or 124
#                                       (and SIGKILL) if it is still there after S s (15)
#   vm_iiod_stop [S]                    vm_stop_pid $VM_SERVER_PID [S]
#   vm_kv KEY                           stdin "k=v k=v" lines: prints the values of KEY
#   vm_kv_sum KEY                       the same lines: prints the sum of KEY's values
#   vm_case_start MODE ID, vm_profile_start, vm_profile_stop, vm_use_build base|new:
#                                       the iiod-usb-{rx,tx} cases (comments below)

VM_GADGET=/sys/kernel/config/usb_gadget/g1
VM_FFS_NAME=iio
VM_FFS_MOUNT=/dev/iio_ffs
VM_VID=0x0456
VM_PID=0xb671
VM_RESULTS=${VM_RESULTS:-/share}
VM_KREL=$(uname -r)
VM_EXTRA=/lib/modules/$VM_KREL/extra

vm_log() {
	echo "[vm] $*"
	echo "[vm] $*" > /dev/console 2>/dev/null
}

# 9p and configfs; called by /init before the share is mounted.
vm_load_base_modules() {
	modprobe configfs &&
	mount -t configfs configfs /sys/kernel/config 2>/dev/null
	modprobe 9pnet_virtio && modprobe 9p
}

vm_load_modules() {
	local hs=1 ss=1 rate=${IIO_VM_SIM_RATE:-0}

	[ "${IIO_VM_HIGH_SPEED:-0}" = 1 ] && ss=0
	modprobe usbcore || return 1
	modprobe udc-core || return 1
	modprobe libcomposite || return 1
	if [ "${IIO_VM_STOCK_DUMMY_HCD:-0}" = 1 ]; then
		vm_log "loading STOCK dummy_hcd (no scatter-gather)"
		insmod /lib/iio-vm/stock/dummy_hcd.ko is_high_speed=$hs is_super_speed=$ss || return 1
	else
		insmod "$VM_EXTRA/dummy_hcd.ko" is_high_speed=$hs is_super_speed=$ss || return 1
	fi
	if [ "${IIO_VM_STOCK_F_FS:-0}" = 1 ]; then
		vm_log "loading STOCK usb_f_fs (DMABUF ioctls oops when unbound)"
		insmod /lib/iio-vm/stock/usb_f_fs.ko || return 1
	else
		insmod "$VM_EXTRA/usb_f_fs.ko" || return 1
	fi
	modprobe industrialio || return 1
	insmod "$VM_EXTRA/industrialio-buffer-dma.ko" || return 1
	insmod "$VM_EXTRA/iio_sim_dma.ko" sampling_frequency="$rate" || return 1
	lsmod
	vm_log "modules loaded"
}

vm_mounted() {
	awk -v d="$1" '$2 == d { found = 1 } END { exit !found }' /proc/mounts
}

vm_gadget_create() {
	local g=$VM_GADGET

	vm_mounted /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	mkdir -p "$g" || return 1
	echo "$VM_VID" > "$g/idVendor"
	echo "$VM_PID" > "$g/idProduct"
	echo 0x0200 > "$g/bcdUSB"
	mkdir -p "$g/strings/0x409"
	echo "Analog Devices Inc." > "$g/strings/0x409/manufacturer"
	echo "IIO sim board" > "$g/strings/0x409/product"
	echo "0123456789" > "$g/strings/0x409/serialnumber"
	mkdir -p "$g/configs/c.1/strings/0x409"
	echo "IIO" > "$g/configs/c.1/strings/0x409/configuration"
	echo 500 > "$g/configs/c.1/MaxPower"
	mkdir -p "$g/functions/ffs.$VM_FFS_NAME" || return 1
	[ -e "$g/configs/c.1/ffs.$VM_FFS_NAME" ] ||
		ln -s "$g/functions/ffs.$VM_FFS_NAME" "$g/configs/c.1/" || return 1
	mkdir -p "$VM_FFS_MOUNT"
	vm_mounted "$VM_FFS_MOUNT" ||
		mount -t functionfs "$VM_FFS_NAME" "$VM_FFS_MOUNT" || return 1
}

vm_gadget_bind() {
	local udc=${1:-dummy_udc.0} i=0

	while [ $i -lt 100 ]; do
		if echo "$udc" > "$VM_GADGET/UDC" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	vm_log "could not bind the gadget to $udc"
	return 1
}

vm_ffs_wait_ready() {
	local secs=${1:-10} i=0

	while [ ! -e "$VM_FFS_MOUNT/ep1" ]; do
		[ $i -ge $((secs * 20)) ] && return 1
		sleep 0.05
		i=$((i + 1))
	done
}

vm_ffs_start_server() {
	"$@" &
	VM_SERVER_PID=$!
	if ! vm_ffs_wait_ready 10; then
		vm_log "$1 did not write FunctionFS descriptors"
		return 1
	fi
	vm_gadget_bind || return 1
	VM_USB_DEVICE=$(vm_wait_usb_device) || {
		vm_log "the host side did not enumerate the gadget"
		return 1
	}
}

vm_gadget_unbind() {
	[ -e "$VM_GADGET/UDC" ] || return 0
	[ -n "$(cat "$VM_GADGET/UDC" 2>/dev/null)" ] || return 0
	echo "" > "$VM_GADGET/UDC"
}

vm_gadget_remove() {
	local g=$VM_GADGET

	[ -d "$g" ] || return 0
	vm_gadget_unbind
	umount "$VM_FFS_MOUNT" 2>/dev/null
	rm -f "$g/configs/c.1/ffs.$VM_FFS_NAME"
	rmdir "$g/configs/c.1/strings/0x409" "$g/configs/c.1" 2>/dev/null
	rmdir "$g/functions/ffs.$VM_FFS_NAME" 2>/dev/null
	rmdir "$g/strings/0x409" "$g" 2>/dev/null
}

vm_wait_usb_device() {
	local vid=${1:-$VM_VID} pid=${2:-$VM_PID} secs=${3:-10} i=0 d
	vid=${vid#0x}
	pid=${pid#0x}

	while [ $i -lt $((secs * 10)) ]; do
		for d in /sys/bus/usb/devices/*; do
			[ -f "$d/idVendor" ] || continue
			if [ "$(cat "$d/idVendor" 2>/dev/null)" = "$vid" ] &&
			   [ "$(cat "$d/idProduct" 2>/dev/null)" = "$pid" ]; then
				echo "$d"
				return 0
			fi
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

vm_iio_dev() {
	local d

	for d in /sys/bus/iio/devices/iio:device*; do
		[ -f "$d/name" ] || continue
		if [ "$(cat "$d/name")" = "$1" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

vm_iio_attr() {
	local dev

	dev=$(vm_iio_dev "$1") || return 1
	if [ $# -ge 3 ]; then
		echo "$3" > "/sys/bus/iio/devices/$dev/$2"
	else
		cat "/sys/bus/iio/devices/$dev/$2"
	fi
}

vm_dmesg_check() {
	if dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
		return 1
	fi
	return 0
}

vm_result() {
	echo "$*" >> "$VM_RESULTS/results.txt"
}

vm_cpu_seconds() {
	# fields 14 and 15 of /proc/PID/stat (after the parenthesised command name)
	awk -v hz=100 '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat"
}

vm_cpu_mark() {
	echo "$(cut -d' ' -f1 /proc/uptime) $(awk '/^cpu / { print $5 + $6 }' /proc/stat)"
}

vm_cpu_busy() {
	local now

	now=$(vm_cpu_mark)
	echo "$1 $now $(nproc)" | awk '{ printf "%.3f\n", $5 * ($3 - $1) - ($4 - $2) / 100 }'
}

vm_usb_uri() {
	local d=${VM_USB_DEVICE:-}

	[ -n "$d" ] || d=$(vm_wait_usb_device) || return 1
	echo "usb:$(cat "$d/busnum").$(cat "$d/devnum").0"
}

vm_iiod_start() {
	local name=$1

	shift
	rm -f "/tmp/iiod-$name.log" "/tmp/stats-$name"
	# exec: $VM_SERVER_PID is iiod itself (its CPU time, its exit status)
	vm_ffs_start_server sh -c "exec iiod -F $VM_FFS_MOUNT --no-dnssd \
		--usb-stats /tmp/stats-$name $* > /tmp/iiod-$name.log 2>&1" || {
		vm_log "iiod ($name) did not come up:"
		cat "/tmp/iiod-$name.log"
		return 1
	}
}

vm_stop_pid() {
	local pid=$1 secs=${2:-15} i=0

	kill -TERM "$pid" 2>/dev/null
	while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
		if [ $i -ge $((secs * 10)) ]; then
			vm_log "pid $pid ignored SIGTERM for ${secs}s: killing it"
			kill -KILL "$pid"
			wait "$pid"
			return 124
		fi
		sleep 0.1
		i=$((i + 1))
	done
	wait "$pid"
}

vm_iiod_stop() {
	vm_stop_pid "$VM_SERVER_PID" "${1:-15}"
}

vm_kv() {
	sed -n "s/^\(.* \)*$1=\([^ ]*\).*/\2/p"
}

# vm_kv_sum KEY: the sum of KEY's values over the "k=v k=v" lines of stdin (0 if none)
vm_kv_sum() {
	vm_kv "$1" | awk '{ s += $1 } END { print s + 0 }'
}

# ---- before/after pairs and profiles in one boot (the iiod-usb-{rx,tx} scenarios)

# vm_use_build base|new: take iiod and the tools from /opt/base (another build copied in
# with run-vm.sh -f DIR:/opt/base) or from this one. The first call remembers the paths.
vm_use_build() {
	: "${vm_path0=$PATH}" "${vm_ld0=${LD_LIBRARY_PATH:-}}"
	if [ "$1" = base ]; then
		export PATH=/opt/base/bin:$vm_path0 LD_LIBRARY_PATH=/opt/base/lib:$vm_ld0
	else
		export PATH=$vm_path0 LD_LIBRARY_PATH=$vm_ld0
	fi
}

# Children's user+system seconds from the output of the shell's `times`.
vm_children_cpu() {
	sed -n 2p "$1" | tr 'ms' '  ' | awk '{ printf "%.2f", $1 * 60 + $2 + $3 * 60 + $4 }'
}

# One line per thread of PID: "tid name run_ns slices" from /proc/PID/task/TID/schedstat
# (time on a CPU in ns, exact, and how many times it was scheduled in: its wakeups).
# Shell builtins only, short files: the sampler must not load the guest.
vm_task_snapshot() {
	for t in /proc/"$1"/task/*; do
		read -r run wait slices < "$t/schedstat" && read -r name < "$t/comm" || continue
		echo "${t##*/} $name $run $slices"
	done 2> /dev/null
}

# Samples PID's threads every 0.5 s until it exits or /tmp/prof.stop exists, appending
# to /tmp/prof.all (vm_task_profile takes the last sample of each thread).
vm_task_sampler() {
	: > /tmp/prof.all
	while kill -0 "$1" 2> /dev/null && [ ! -e /tmp/prof.stop ]; do
		vm_task_snapshot "$1" >> /tmp/prof.all
		sleep 0.5
	done
}

# "name=cpu_s/slices ..." summed per thread name, from the start snapshot $1 to the last
# sample in $2 of each thread (threads born during the case start from 0).
vm_task_profile() {
	awk 'FILENAME == ARGV[1] { c0[$1] = $3; s0[$1] = $4; next }
		{ nm[$1] = $2; c[$1] = $3; s[$1] = $4 }
		END { for (t in c) { cn[nm[t]] += c[t] - c0[t]; sn[nm[t]] += s[t] - s0[t] }
			for (n in cn) printf "%s=%.3f/%d ", n, cn[n] / 1e9, sn[n] }' "$1" "$2"
}

# perf record of the whole guest while a case runs (the guest's perf, if any).
vm_perf_start() {
	perf record -a -F 499 -o /tmp/perf.data > /tmp/perf.log 2>&1 &
	perf_pid=$!
	sleep 1
}

vm_perf_stop() {
	kill -INT "$perf_pid"
	wait "$perf_pid"
	echo "--- perf: case $1, by command"
	perf report -i /tmp/perf.data --stdio --no-children --sort comm 2> /dev/null |
		grep -v '^#' | grep . | head -12
	echo "--- perf: case $1, top symbols"
	perf report -i /tmp/perf.data --stdio --no-children --sort comm,dso,sym 2> /dev/null |
		grep -v '^#' | grep . | head -60
}

# vm_case_start MODE ID: starts one iiod-usb-{rx,tx} case. MODE is
# [base-|biiod-|bclient-]{zerocopy|copy}[@SAMPLES]: the prefix says which build serves
# (iiod) and which one is the client (see vm_use_build), @SAMPLES the case's -b. Starts
# iiod (--no-dmabuf for copy) as vm_iiod_start ID, leaves PATH on the client's build, and
# sets VM_CASE_KIND (zerocopy|copy), VM_CASE_SAMPLES (empty without @) and VM_CASE_CPU0
# (iiod's CPU seconds so far).
vm_case_start() {
	local iiod_from=new client_from=new extra=""
	VM_CASE_SAMPLES=""
	case $1 in *@*) VM_CASE_SAMPLES=${1#*@} ;; esac
	VM_CASE_KIND=${1%@*}
	VM_CASE_KIND=${VM_CASE_KIND#*-}
	case $1 in
	base-*) iiod_from=base client_from=base ;;
	biiod-*) iiod_from=base ;;
	bclient-*) client_from=base ;;
	esac
	[ "$VM_CASE_KIND" = copy ] && extra=--no-dmabuf
	vm_use_build $iiod_from
	vm_iiod_start "$2" $extra || return 1
	vm_use_build $client_from
	VM_CASE_CPU0=$(vm_cpu_seconds "$VM_SERVER_PID")
}

# vm_profile_start, then vm_profile_stop: iiod's threads sampled meanwhile; prints
# vm_task_profile's "name=cpu_s/slices ..." for that span.
vm_profile_start() {
	rm -f /tmp/prof.stop
	vm_task_snapshot "$VM_SERVER_PID" > /tmp/prof.start
	vm_task_sampler "$VM_SERVER_PID" &
	vm_sampler_pid=$!
}

vm_profile_stop() {
	touch /tmp/prof.stop
	wait "$vm_sampler_pid"
	vm_task_profile /tmp/prof.start /tmp/prof.all
}
