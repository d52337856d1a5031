# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the test-tools-*.sh scripts: this build's tools first in PATH, a
# work folder ($tmp) removed at exit with the background processes listed in
# $pids, the fixture paths, and the checks the scripts share.
# Needs IIO_BUILD_DIR and IIO_SOURCE_DIR (ctest sets them; set them by hand
# to run a script alone).

: "${IIO_BUILD_DIR:?run through ctest, or set IIO_BUILD_DIR}"
: "${IIO_SOURCE_DIR:?run through ctest, or set IIO_SOURCE_DIR}"
export PATH="$IIO_BUILD_DIR/tools:$IIO_BUILD_DIR/iiod:$PATH"
export LD_LIBRARY_PATH="$IIO_BUILD_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# Context XML documents (the project's shared fixtures) and the local: tree generator.
# shellcheck disable=SC2034 # both used by the scripts that source this file
{
	fixtures=${IIO_XML_FIXTURES:-$IIO_SOURCE_DIR/../shared/fixtures/xml}
	gen=$IIO_SOURCE_DIR/tests/fixtures/gen-sysfs.py
}

fail=0
pids=()
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tools-test.XXXXXX")
tools_cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill -9 "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap tools_cleanup EXIT

# require_tools TOOL...: each must be this build's, not one found further down
# PATH (e.g. Debian's 0.x tools): a missing one is a failure, not a skip.
require_tools() {
	local tool
	for tool in "$@"; do
		[ "$(command -v "$tool")" = "$IIO_BUILD_DIR/tools/$tool" ] ||
			{ echo "FAIL: $tool is not built in $IIO_BUILD_DIR/tools"; exit 1; }
	done
}

# skip REASON: exit 77 (skipped), unless a check already failed (then exit 1).
skip() {
	[ "$fail" = 0 ] || exit 1
	echo "SKIP: $*"
	exit 77
}

require_xml_fixtures() {
	compgen -G "$fixtures/*.xml" >/dev/null ||
		skip "no context XML files in $fixtures (set IIO_XML_FIXTURES)"
}

have_local_backend() {
	iio_info -V | grep -q 'backends:.* local'
}

# expect_failure [-x] WANT COMMAND...: COMMAND (stdin from /dev/null) must
# fail and print WANT on stderr (-x: as a whole line). Sets fail=1 if not;
# the output stays in $tmp/out and $tmp/err.
expect_failure() {
	local grep_opts=-qF
	if [ "$1" = -x ]; then
		grep_opts=-qxF
		shift
	fi
	local want=$1
	shift
	if "$@" </dev/null >"$tmp/out" 2>"$tmp/err"; then
		echo "FAIL: '$*' succeeded"
		fail=1
	elif ! grep $grep_opts -- "$want" "$tmp/err"; then
		echo "FAIL: '$*': expected '$want' on stderr, got:"
		cat "$tmp/err"
		fail=1
	fi
}
