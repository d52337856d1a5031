#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The manual pages (man/, configured into <build>/man/man1 and man8): one for
# every program this build ships; each has the usual sections; every option
# the program's --help prints is described in its OPTIONS section, and (for
# the tools) every option described there exists; SEE ALSO names only pages
# we ship; each page renders without a warning from groff and man-db; and
# "cmake --install" puts them under the man directory.
set -euo pipefail
. "$(dirname "$0")/tools-helpers.sh"

mandir=$IIO_BUILD_DIR/man
tools="iio_info iio_attr iio_readdev iio_writedev iio_rwdev iio_reg iio_genxml iio_event iio_ping"
tools+=" iio_stresstest"
# shellcheck disable=SC2086 # a list of words
require_tools $tools
[ -d "$mandir/man1" ] || { echo "FAIL: no $mandir/man1: the man/ folder is not configured"; exit 1; }
command -v groff >/dev/null || skip "groff is not installed (scripts/install-deps.sh installs groff-base)"

cat >"$tmp/check_page.py" <<'EOF'
"""check_page.py PAGE HELP STRICT: PAGE (roff) against a --help output."""
import re
import sys

page_path, help_path, strict = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
src = open(page_path, encoding="utf-8").read()
errors = []

# Options printed by --help: the lines after "Options:" that start with a
# tab and a dash ("\t-u, --uri [arg]"), or with spaces before a long option.
help_opts = set()
in_options = False
for line in open(help_path, encoding="utf-8").read().split("\n"):
    if line == "Options:":
        in_options = True
        continue
    if in_options and re.match(r"^\t( +)?-", line):
        help_opts.update(re.findall(r"(?<![\w-])(--?[A-Za-z0-9][A-Za-z0-9-]*)", line))
if not help_opts:
    errors.append("no option found in the --help output")


def plain(text):
    """roff source to plain words: font escapes out, \\- to -."""
    text = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", text)
    text = text.replace("\\-", "-").replace("\\&", "").replace("\\(bu", "*")
    return re.sub(r'^\.(B|I|BR|RB|BI|IB|IR|RI)\s+', "", text, flags=re.M).replace('"', " ")


# Sections in order of appearance, each with its text.
sections = {}
current = None
for line in src.split("\n"):
    m = re.match(r'^\.SH\s+"?([^"]*)"?\s*$', line)
    if m:
        current = m.group(1).strip()
        sections[current] = []
    elif current:
        sections[current].append(line)
for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "EXIT STATUS", "SEE ALSO"):
    if name not in sections:
        errors.append("no %s section" % name)
if not src.lstrip().startswith(".\\\"") and not src.startswith(".TH"):
    errors.append("does not start with a comment or .TH")
if not re.search(r"^\.TH [A-Z_]+ [18] ", src, re.M):
    errors.append("no .TH line with section 1 or 8")

options_text = plain("\n".join(sections.get("OPTIONS", [])))
for opt in sorted(help_opts):
    if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), options_text):
        errors.append("option %s (in --help) is not described in OPTIONS" % opt)

# Options the page describes: the tags of .TP paragraphs (the line after .TP).
lines = sections.get("OPTIONS", [])
documented = set()
for i, line in enumerate(lines[:-1]):
    if line.startswith(".TP"):
        tag = plain(lines[i + 1])
        documented.update(re.findall(r"(?<![\w-])(--?[A-Za-z0-9][A-Za-z0-9-]*)", tag))
if strict:
    for opt in sorted(documented - help_opts):
        errors.append("OPTIONS describes %s, which --help does not print" % opt)

for e in errors:
    print("FAIL: %s: %s" % (page_path, e))
sys.exit(1 if errors else 0)
EOF

# page_of PROGRAM: its page file, after a ".so man1/x.1" redirection.
page_of() {
	local page
	page=$(ls "$mandir"/man[18]/"$1".[18] 2>/dev/null | head -n1)
	[ -n "$page" ] || return 1
	if grep -qE '^\.so ' "$page"; then
		page=$mandir/$(sed -nE 's/^\.so (.*)/\1/p' "$page")
	fi
	echo "$page"
}

programs=$tools
iiod_bin=$IIO_BUILD_DIR/iiod/iiod
[ -x "$iiod_bin" ] && programs+=" iiod"
checked=0
for prog in $programs; do
	if ! page=$(page_of "$prog") || [ ! -f "$page" ]; then
		echo "FAIL: no manual page for $prog in $mandir"
		fail=1
		continue
	fi
	bin=$IIO_BUILD_DIR/tools/$prog
	strict=1
	if [ "$prog" = iiod ]; then
		bin=$iiod_bin
		strict=0 # its USB options are described even in a build without them
	fi
	"$bin" --help >"$tmp/$prog.help" || { echo "FAIL: $prog --help failed"; fail=1; continue; }
	python3 "$tmp/check_page.py" "$page" "$tmp/$prog.help" $strict || fail=1

	# Renders without a warning (-ww: all of groff's warnings).
	if ! groff -man -ww -z "$page" 2>"$tmp/groff.err" || [ -s "$tmp/groff.err" ]; then
		echo "FAIL: groff warns about $page:"; cat "$tmp/groff.err"; fail=1
	fi
	if command -v man >/dev/null; then
		# From the manual folder, so that the .so pages resolve as once installed.
		if ! (cd "$mandir" && MANWIDTH=80 man --warnings -l "man${page##*.}/${page##*/}") \
			>"$tmp/man.out" 2>"$tmp/man.err" || [ -s "$tmp/man.err" ]; then
			echo "FAIL: man --warnings -l $page:"; cat "$tmp/man.err"; fail=1
		fi
		grep -q "^NAME" "$tmp/man.out" || { echo "FAIL: man rendered no NAME for $prog"; fail=1; }
	fi
	checked=$((checked + 1))
done

# SEE ALSO names pages that exist here.
for page in "$mandir"/man[18]/*.[18]; do
	grep -q '^\.so ' "$page" && continue
	sed -n '/^\.SH SEE ALSO/,/^\.SH/p' "$page" | sed -nE 's/^\.BR ([a-z_0-9]+) \(([18])\).*/\1 \2/p' |
		while read -r name section; do
			[ -f "$mandir/man$section/$name.$section" ] ||
				echo "FAIL: ${page##*/}: SEE ALSO names $name($section), which is not shipped"
		done >"$tmp/seealso"
	[ ! -s "$tmp/seealso" ] || { cat "$tmp/seealso"; fail=1; }
done

# A usb: example for iio_readdev, as its users need one.
grep -q '^\.B iio_readdev \\-u usb: ' "$(page_of iio_readdev)" ||
	{ echo "FAIL: the iio_readdev page has no usb: example"; fail=1; }

# Installed under CMAKE_INSTALL_MANDIR (only the man/ folder's rules run).
cmake -DCMAKE_INSTALL_PREFIX="$tmp/inst" -P "$mandir/cmake_install.cmake" >"$tmp/install.log" ||
	{ echo "FAIL: installing the pages:"; cat "$tmp/install.log"; fail=1; }
for prog in $programs; do
	section=1
	[ "$prog" = iiod ] && section=8
	found=$(find "$tmp/inst" -path "*/man/man$section/$prog.$section" | head -n1)
	[ -n "$found" ] || { echo "FAIL: $prog.$section not installed under */man/man$section"; fail=1; }
done

[ "$checked" -gt 0 ] || { echo "FAIL: no page checked"; fail=1; }
[ $fail = 0 ] && echo "manual pages: $checked programs checked"
exit $fail
