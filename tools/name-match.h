/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iio_attr's name patterns: ".", "*", "key*", "*key" and "*key*". */
#ifndef IIO_TOOLS_NAME_MATCH_H
#define IIO_TOOLS_NAME_MATCH_H

#include <stdbool.h>

/* True if pattern (may be NULL) matches more than one exact name. */
bool is_pattern(const char *pattern);

/* True if str (may be NULL: no match) matches pattern, case-insensitively if icase. */
bool name_matches(const char *str, const char *pattern, bool icase);

#endif /* IIO_TOOLS_NAME_MATCH_H */
