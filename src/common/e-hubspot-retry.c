/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "e-hubspot-error.h"
#include "e-hubspot-retry.h"

/* Exponential backoff with "equal jitter": half fixed, half random, so
 * that many clients failing together do not come back together. */
static gint64
hubspot_retry_backoff_ms (guint attempt,
			  GRand *rand)
{
	gint64 delay = E_HUBSPOT_RETRY_BASE_MS;
	guint ii;

	for (ii = 1; ii < attempt && delay < E_HUBSPOT_RETRY_CAP_MS; ii++)
		delay *= 2;
	delay = MIN (delay, E_HUBSPOT_RETRY_CAP_MS);

	return delay / 2 + (rand ? g_rand_int_range (rand, 0, (gint32) (delay / 2) + 1) : delay / 2);
}

gint64
e_hubspot_retry_delay_ms (const GError *error,
			  guint attempt,
			  gint rate_interval_ms,
			  gint64 now_utc,
			  GRand *rand)
{
	gint retry_after;

	if (!e_hubspot_error_is_transient (error))
		return E_HUBSPOT_RETRY_NEVER;

	retry_after = e_hubspot_error_get_retry_after (error);

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_RATE_LIMITED)) {
		if (g_strcmp0 (e_hubspot_error_get_policy_name (error), "DAILY") == 0)
			return ((now_utc / 86400) + 1) * 86400 * G_GINT64_CONSTANT (1000) - now_utc * 1000;
		if (retry_after >= 0)
			return (gint64) retry_after * 1000;
		/* No Retry-After on 429s: wait out the rolling window. */
		return rate_interval_ms > 0 ? rate_interval_ms : E_HUBSPOT_RETRY_WINDOW_MS;
	}

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_MIGRATION) && retry_after >= 0)
		return (gint64) retry_after * 1000;

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_LOCKED))
		return MAX (E_HUBSPOT_RETRY_LOCKED_MS, hubspot_retry_backoff_ms (attempt, rand));

	return hubspot_retry_backoff_ms (attempt, rand);
}
