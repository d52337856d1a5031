/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iiod's DNS-SD publication (_iio._tcp) through avahi. */
#ifndef IIOD_DNSSD_H
#define IIOD_DNSSD_H

#include "internal.h"

struct iiod_dnssd;

/*
 * Publishes "iiod on <hostname>" for port. Returns NULL (after one clear log
 * line) when DNS-SD is not built in or the system bus cannot be reached;
 * with a bus but no avahi-daemon yet, waits for one in the background and
 * publishes when it comes (again after it restarts).
 */
iio_hidden struct iiod_dnssd *iiod_dnssd_publish(const struct iio_context_params *params,
						 uint16_t port);
iio_hidden void iiod_dnssd_withdraw(struct iiod_dnssd *dnssd);

#endif /* IIOD_DNSSD_H */
