/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sorted attribute lists (lib/attr-list.c). */
#ifndef IIO_LIB_ATTR_LIST_H
#define IIO_LIB_ATTR_LIST_H

#include "internal.h"

/* Inserts in name order; an existing name is kept (its value replaced if value given). */
iio_hidden int iio_attr_list_add(struct iio_attr_list *list, union iio_pointer owner,
				 enum iio_attr_type type, const char *name,
				 const char *filename, const char *value);
iio_hidden const struct iio_attr *iio_attr_list_get(const struct iio_attr_list *list,
						    unsigned int index);
/* The static value stored with attr (context attributes), or NULL. */
iio_hidden const char *iio_attr_list_value(const struct iio_attr_list *list,
					   const struct iio_attr *attr);

#endif /* IIO_LIB_ATTR_LIST_H */
