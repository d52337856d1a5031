// SPDX-License-Identifier: GPL-2.0-or-later
/* iio_attr's name patterns: ".", "*", "key*", "*key" and "*key*". */
#include "name-match.h"

#include <string.h>
#include <strings.h>

/* "." and "*" match anything; "key*", "*key" and "*key*" match parts. */
bool is_pattern(const char *pattern)
{
	return pattern && (!strcmp(pattern, ".") || strchr(pattern, '*'));
}

static bool contains(const char *str, const char *needle, size_t len, bool icase)
{
	for (; *str; str++)
		if (icase ? !strncasecmp(str, needle, len) : !strncmp(str, needle, len))
			return true;
	return !len;
}

bool name_matches(const char *str, const char *pattern, bool icase)
{
	size_t len, slen;
	bool lead, trail;

	if (!str)
		return false;
	if (!strcmp(pattern, ".") || !strcmp(pattern, "*"))
		return true;

	len = strlen(pattern);
	slen = strlen(str);
	lead = pattern[0] == '*';
	trail = len > 1 && pattern[len - 1] == '*';
	if (lead)
		pattern++, len--;
	if (trail)
		len--;

	if (lead && trail)
		return contains(str, pattern, len, icase);
	if (lead)
		return slen >= len && (icase ? !strncasecmp(str + slen - len, pattern, len)
					     : !strncmp(str + slen - len, pattern, len));
	if (trail)
		return icase ? !strncasecmp(str, pattern, len) : !strncmp(str, pattern, len);
	return icase ? !strcasecmp(str, pattern) : !strcmp(str, pattern);
}
