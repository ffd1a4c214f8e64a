/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* When to try a failed request again (docs/design.md,
 * "Pacing and retries" and "HubSpot facts the code relies on").  Pure: the caller passes the attempt count, the
 * error and a random source, and gets a delay or "never". */

#ifndef E_HUBSPOT_RETRY_H
#define E_HUBSPOT_RETRY_H

#include <glib.h>

G_BEGIN_DECLS

#define E_HUBSPOT_RETRY_NEVER		(-1)
#define E_HUBSPOT_RETRY_BASE_MS		1000
#define E_HUBSPOT_RETRY_CAP_MS		(5 * 60 * 1000)
#define E_HUBSPOT_RETRY_WINDOW_MS	10000	/* HubSpot's rolling window */
#define E_HUBSPOT_RETRY_LOCKED_MS	2000

/* Milliseconds to wait before attempt number attempt + 1 (attempt counts
 * the failures so far, from 1), or E_HUBSPOT_RETRY_NEVER when the error is
 * permanent for this payload.  now_utc (Unix seconds) is used for a DAILY
 * limit, which clears at the next UTC midnight. */
gint64		e_hubspot_retry_delay_ms	(const GError *error,
						 guint attempt,
						 gint rate_interval_ms,
						 gint64 now_utc,
						 GRand *rand);

G_END_DECLS

#endif /* E_HUBSPOT_RETRY_H */
