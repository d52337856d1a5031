# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Guest scenario: the IIO side alone (no USB), with the bare iio-local program:
# DMABUF vs fileio RX from the simulated ADC (every word checked), alternated;
# two channels only; a cyclic DMABUF into the DAC; the throttled rate.
#
#   tests/vm/run-vm.sh -s tests/vm/scenarios/iio-local.sh -b <bare-bin>/iio-local
#
# Environment: LOCAL_PAIRS (default 3), LOCAL_MIB (default 256), LOCAL_RATE (scans/s for
# the throttled case, default 4000000 = 30.5 MiB/s with four channels).

pairs=${LOCAL_PAIRS:-3}
bytes=$((${LOCAL_MIB:-256} * 1048576))
rate=${LOCAL_RATE:-4000000}

i=0
while [ $i -lt "$pairs" ]; do
	for m in dmabuf fileio; do
		out=$(iio-local -m $m -b "$bytes") || { echo "$out"; exit 1; }
		echo "$out"
		vm_result "$out"
	done
	i=$((i + 1))
done

out=$(iio-local -m dmabuf -c 2 -b $((64 * 1048576))) || { echo "$out"; exit 1; }
echo "$out"; vm_result "$out"
out=$(iio-local -m cyclic-tx) || { echo "$out"; exit 1; }
echo "$out"; vm_result "$out"

vm_iio_attr cf-ad9361-lpc sampling_frequency "$rate" || exit 1
out=$(iio-local -m dmabuf -b $((64 * 1048576))) || { echo "$out"; exit 1; }
echo "THROTTLED rate=$rate expect_mibs=$(awk -v r="$rate" 'BEGIN { printf "%.1f", r * 8 / 1048576 }') $out"
vm_result "THROTTLED rate=$rate $out"
vm_iio_attr cf-ad9361-lpc sampling_frequency 0

grep -q "^Total 0 objects" /sys/kernel/debug/dma_buf/bufinfo ||
	{ echo "leftover DMABUFs:"; cat /sys/kernel/debug/dma_buf/bufinfo; exit 1; }
vm_dmesg_check
