/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "e-hubspot-pacer.h"

/* Between HubSpot's answer and our noticing it, and between our clock
 * and HubSpot's: a little slack at the end of each request's interval. */
#define MARGIN_US (30 * 1000)

struct _EHubSpotPacer {
	guint max_requests;
	guint budget;		/* what we allow ourselves in one window */
	gint64 interval_us;
	gint64 paused_until;
	GQueue done;		/* gint64 * times of the answers in the window, oldest first */
};

/* Leave room for other users of the same account (HubSpot's limit is per
 * app and account) and for requests we do not see, e.g. a retry racing
 * a new send: 5% of the limit, at least one request. */
static guint
pacer_budget_for (guint max_requests)
{
	guint safety = MAX (1, max_requests / 20);

	return max_requests > safety ? max_requests - safety : 1;
}

EHubSpotPacer *
e_hubspot_pacer_new (guint max_requests,
		     guint interval_ms)
{
	EHubSpotPacer *pacer = g_new0 (EHubSpotPacer, 1);

	pacer->max_requests = MAX (max_requests, 1);
	pacer->budget = pacer_budget_for (pacer->max_requests);
	pacer->interval_us = (gint64) MAX (interval_ms, 1) * 1000;
	g_queue_init (&pacer->done);

	return pacer;
}

void
e_hubspot_pacer_free (EHubSpotPacer *pacer)
{
	if (!pacer)
		return;

	g_queue_clear_full (&pacer->done, g_free);
	g_free (pacer);
}

static void
pacer_forget_old (EHubSpotPacer *pacer,
		  gint64 now)
{
	gint64 *oldest;

	while ((oldest = g_queue_peek_head (&pacer->done)) && *oldest + pacer->interval_us + MARGIN_US <= now)
		g_free (g_queue_pop_head (&pacer->done));
}

gint64
e_hubspot_pacer_reserve (EHubSpotPacer *pacer,
			 gint64 now,
			 guint in_flight)
{
	if (pacer->paused_until > now)
		return pacer->paused_until - now;

	pacer_forget_old (pacer, now);

	/* The caller counts what is in flight: a count of its own here
	 * could drift from the truth and stall sending for good. */
	if (in_flight + g_queue_get_length (&pacer->done) >= pacer->budget) {
		gint64 *oldest = g_queue_peek_head (&pacer->done);

		/* All places taken by requests in flight: their answers free them. */
		if (!oldest)
			return G_MAXINT64;

		return MAX (*oldest + pacer->interval_us + MARGIN_US - now, 1);
	}

	return 0;
}

void
e_hubspot_pacer_complete (EHubSpotPacer *pacer,
			  gint64 now)
{
	gint64 *stamp;

	stamp = g_new (gint64, 1);
	*stamp = now;
	g_queue_push_tail (&pacer->done, stamp);
}

void
e_hubspot_pacer_update (EHubSpotPacer *pacer,
			gint max_requests,
			gint remaining,
			gint interval_ms,
			gint64 now)
{
	if (max_requests > 0 && (guint) max_requests != pacer->max_requests) {
		pacer->max_requests = max_requests;
		pacer->budget = pacer_budget_for (max_requests);
	}

	if (interval_ms > 0)
		pacer->interval_us = (gint64) interval_ms * 1000;

	/* Someone else used the account's window up: wait it out. */
	if (remaining == 0)
		e_hubspot_pacer_pause_until (pacer, now + pacer->interval_us);
}

void
e_hubspot_pacer_pause_until (EHubSpotPacer *pacer,
			     gint64 until)
{
	pacer->paused_until = MAX (pacer->paused_until, until);
}

gint64
e_hubspot_pacer_get_paused_until (EHubSpotPacer *pacer)
{
	return pacer->paused_until;
}

guint
e_hubspot_pacer_get_budget (EHubSpotPacer *pacer)
{
	return pacer->budget;
}

guint
e_hubspot_pacer_get_interval_ms (EHubSpotPacer *pacer)
{
	return (guint) (pacer->interval_us / 1000);
}
