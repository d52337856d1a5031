# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Guest scenario: our local: backend streaming from the simulated ADC with
# `iio_readdev -u local:`, every byte checked: IIO DMABUF blocks from the DMA heap,
# from udmabuf (heap made unavailable), and read() fileio (both made unavailable),
# alternated. Which path each case took is read from the kernel, not from the library:
# /sys/kernel/debug/dma_buf/bufinfo is sampled while the stream runs (DMABUF blocks
# attached to iio-sim-dma, and their exporter) and must show none for fileio.
# Then a TX case: `iio_writedev -u local:` into the DAC, which checks the counter.
#
# How the paths are forced (local/dmabuf.c): LIBIIO_DMA_HEAP_PATH=reserved names a known
# heap that this guest lacks, so the heap step fails with ENOENT and the backend tries
# udmabuf; renaming /dev/udmabuf away makes that fail too, and the buffer falls back to
# read()/write().
#
# Needs: iio_readdev, iio_writedev, pattern. Environment: LOCAL_PAIRS (default 2),
# LOCAL_MIB (default 128), LOCAL_SAMPLES (samples per block, default 131072: 1 MiB
# blocks; the fileio path's kernel blocks are physically contiguous, and buffers of
# several 8 MiB blocks make industrialio-buffer-dma's allocation warn).

pairs=${LOCAL_PAIRS:-2}
mib=${LOCAL_MIB:-128}
bsamples=${LOCAL_SAMPLES:-131072}
bytes=$((mib * 1048576))
dev=cf-ad9361-lpc
dac=cf-ad9361-dds-core-lpc
fail=0

# Prints "max_objects exporters" seen in bufinfo while $1 (a pid) lives.
watch_dmabufs() {
	pid=$1 max=0 exps=""
	# until it exits (a zombie until the wait below: check its state)
	while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
		n=$(sed -n 's/^Total \([0-9]*\) objects.*/\1/p' /sys/kernel/debug/dma_buf/bufinfo)
		[ "${n:-0}" -gt "$max" ] && max=$n
		e=$(awk '/^[0-9]+\t/ { print $5 }' /sys/kernel/debug/dma_buf/bufinfo | sort -u |
			paste -sd, -)
		[ -n "$e" ] && exps=$e
		sleep 0.2
	done
	echo "$max ${exps:--}"
}

run_case() {
	name=$1 n=$2
	rm -f /tmp/rd.rc
	(
		{
			timeout -s KILL 120 iio_readdev -u local: -b "$bsamples" -s $((bytes / 8)) \
				"$dev" 2> /tmp/rd.err
			echo $? > /tmp/rd.rc
		} | pattern check -n "$bytes" > /tmp/chk.out
	) &
	p=$!
	seen=$(watch_dmabufs "$p")
	wait "$p"
	objs=${seen%% *}
	exps=${seen#* }
	line="LOCAL n=$n path=$name $(cat /tmp/chk.out) dmabufs_seen=$objs exporters=$exps"
	line="$line readdev_rc=$(cat /tmp/rd.rc)"
	echo "$line"
	vm_result "$line"
	bad=""
	grep -q "integrity=ok" /tmp/chk.out || bad="$bad pattern"
	[ "$(cat /tmp/rd.rc)" = 0 ] || bad="$bad iio_readdev-exit"
	case $name in
	heap) [ "$objs" -gt 0 ] && echo "$exps" | grep -q system || bad="$bad no-heap-dmabuf" ;;
	udmabuf) [ "$objs" -gt 0 ] && echo "$exps" | grep -q udmabuf || bad="$bad no-udmabuf" ;;
	fileio) [ "$objs" = 0 ] || bad="$bad dmabuf-used-for-fileio" ;;
	esac
	if [ -n "$bad" ]; then
		echo "case $n ($name) FAILED:$bad"
		cat /tmp/rd.err
		fail=1
	fi
}

n=0
i=0
while [ $i -lt "$pairs" ]; do
	n=$((n + 1)); run_case heap $n
	n=$((n + 1)); LIBIIO_DMA_HEAP_PATH=reserved run_case udmabuf $n
	mv /dev/udmabuf /dev/udmabuf.hidden || exit 1
	n=$((n + 1)); LIBIIO_DMA_HEAP_PATH=reserved run_case fileio $n
	mv /dev/udmabuf.hidden /dev/udmabuf || exit 1
	i=$((i + 1))
done

# TX: the counter into the DAC through local:, default (DMABUF) path; the DAC checks it
tx_bytes=$((64 * 1048576))
pattern gen -n "$tx_bytes" |
	timeout -s KILL 120 iio_writedev -u local: -b "$bsamples" -s $((tx_bytes / 8)) "$dac" \
		2> /tmp/wr.err
wrc=$?
words=$(vm_iio_attr "$dac" sim_words)
errs=$(vm_iio_attr "$dac" sim_pattern_errors)
line="LOCAL-TX bytes=$tx_bytes writedev_rc=$wrc dac_words=$words dac_errors=$errs"
echo "$line"
vm_result "$line"
if [ "$wrc" != 0 ] || [ "$errs" != 0 ] || [ "$words" != $((tx_bytes / 2)) ]; then
	echo "local TX FAILED"; cat /tmp/wr.err; fail=1
fi

grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ echo "leftover DMABUFs:"; cat /sys/kernel/debug/dma_buf/bufinfo; fail=1; }
vm_dmesg_check || fail=1
exit $fail
