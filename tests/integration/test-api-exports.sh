#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libiio.so.1 exports every function of the libiio 1.0 API (tests/api-1.0.symbols,
# the list of the spec) and nothing outside the iio_ namespace.
set -euo pipefail
lib="$IIO_BUILD_DIR/libiio.so.1"
[ -e "$lib" ] || { echo "SKIP-FAIL: $lib not built (static build?)"; exit 1; }

exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u)
missing=$(comm -23 "$IIO_SOURCE_DIR/tests/api-1.0.symbols" <(echo "$exported"))
if [ -n "$missing" ]; then
	echo "Missing from $lib:"
	echo "$missing"
	exit 1
fi
stray=$(echo "$exported" | grep -v '^iio_' || true)
if [ -n "$stray" ]; then
	echo "Exported outside the iio_ namespace:"
	echo "$stray"
	exit 1
fi
echo "All $(wc -l < "$IIO_SOURCE_DIR/tests/api-1.0.symbols") libiio 1.0 functions are exported"
