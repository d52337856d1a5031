#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# iio_genxml -e writes a context XML from which the xml: backend rebuilds the
# same context: iio_info prints the same thing for both, apart from the
# backend name, the uri context attribute and the trigger lines (the XML
# format carries no trigger assignment, so xml: cannot answer that question).
set -euo pipefail

. "$(dirname "$0")/tools-helpers.sh"
require_tools iio_info iio_genxml
require_xml_fixtures

# iio_info output without the lines that name the backend. A read error is
# embedded in the XML as "ERROR:<errno>", which is what the copy then shows.
comparable() {
	grep -v -E -e '^IIO context created with .* backend\.$' \
		-e '^	attr +[0-9]+: uri value: ' \
		-e '^		No trigger on this device$' \
		-e '^		No trigger assigned to device$' \
		-e '^		Current trigger: ' \
		-e '^		ERROR: checking for trigger : ' "$1" |
		sed -E -e 's/ \(events supported\)$//' \
			-e 's/ value: ERROR: .* \((-[0-9]+)\)$/ value: ERROR:\1/' \
			-e 's/ options: (ERROR:-[0-9]+)$/ value: \1/'
}

round_trip() { # $1: name, then the environment/URI of the original context
	local name=$1 uri=$2
	if ! iio_genxml -e -u "$uri" > "$tmp/$name.xml" 2> "$tmp/err"; then
		echo "FAIL: iio_genxml -e -u $uri"; cat "$tmp/err"; fail=1; return
	fi
	head -c 5 "$tmp/$name.xml" | grep -q '^<?xml' ||
		{ echo "FAIL: iio_genxml output of $uri is not XML"; fail=1; return; }
	iio_info -u "$uri" > "$tmp/$name.orig"
	iio_info -u "xml:$tmp/$name.xml" > "$tmp/$name.copy"
	if ! diff <(comparable "$tmp/$name.orig") <(comparable "$tmp/$name.copy") > "$tmp/diff"; then
		echo "FAIL: iio_info differs between $uri and its iio_genxml copy:"
		head -n 20 "$tmp/diff"; fail=1; return
	fi
	# The comparison must have had something to compare.
	grep -q '^IIO context has [1-9][0-9]* devices:$' "$tmp/$name.orig" ||
		{ echo "FAIL: no device in $uri"; fail=1; return; }
	echo "$uri: $(grep -c 'attr ' "$tmp/$name.orig") attribute lines identical in the copy"
}

# xml: -> iio_genxml -> xml:
for xml in "$fixtures"/*.xml; do
	round_trip "xml-$(basename "$xml" .xml)" "xml:$xml"
done

# Extra arguments are refused.
if iio_genxml extra > /dev/null 2> "$tmp/err" || ! grep -q "Incorrect number of arguments" "$tmp/err"; then
	echo "FAIL: iio_genxml accepted a positional argument"; fail=1
fi

# local: -> iio_genxml -> xml:
have_local_backend || skip "the local backend is not built; only the xml: round trips ran"
for xml in "$fixtures"/*.xml; do
	root=$tmp/root-$(basename "$xml" .xml)
	python3 "$gen" "$root" "$xml"
	LIBIIO_LOCAL_ROOT=$root round_trip "local-$(basename "$xml" .xml)" local:
done

[ $fail = 0 ] && echo "iio_genxml: all round trips identical"
exit $fail
