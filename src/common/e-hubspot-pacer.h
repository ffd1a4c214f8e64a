/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Keeps requests under HubSpot's rolling rate limit (docs/design.md, "HubSpot facts the code relies on"),
 * learnt from the X-HubSpot-RateLimit-* headers, a little under the
 * account's maximum, so that a bulk import runs at the limit without a
 * single 429.  HubSpot counts a request some time after it leaves (a slow
 * network, a busy server): a request therefore holds its place in the
 * window from the moment it is sent until one interval after its answer
 * came back.  Pure: the caller passes the (monotonic, µs) time. */

#ifndef E_HUBSPOT_PACER_H
#define E_HUBSPOT_PACER_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EHubSpotPacer EHubSpotPacer;

/* HubSpot's Free and Starter limit, used until an answer says better. */
#define E_HUBSPOT_PACER_DEFAULT_MAX		100
/* An OAuth app's limit, whatever the account's tier. */
#define E_HUBSPOT_PACER_OAUTH_MAX		110
#define E_HUBSPOT_PACER_DEFAULT_INTERVAL_MS	10000

EHubSpotPacer *	e_hubspot_pacer_new		(guint max_requests,
						 guint interval_ms);
void		e_hubspot_pacer_free		(EHubSpotPacer *pacer);

/* 0 when one more request may go at now, with in_flight requests (the
 * caller's count) still unanswered; otherwise the µs to wait before asking
 * again (or G_MAXINT64 when only an answer can free a place). */
gint64		e_hubspot_pacer_reserve		(EHubSpotPacer *pacer,
						 gint64 now,
						 guint in_flight);
/* The answer to a request came back (or it failed) at now: it holds its
 * place one interval more. */
void		e_hubspot_pacer_complete	(EHubSpotPacer *pacer,
						 gint64 now);
/* What an answer's headers said; -1 for an absent header. */
void		e_hubspot_pacer_update		(EHubSpotPacer *pacer,
						 gint max_requests,
						 gint remaining,
						 gint interval_ms,
						 gint64 now);
/* Nothing goes before until (a 429, a daily limit). */
void		e_hubspot_pacer_pause_until	(EHubSpotPacer *pacer,
						 gint64 until);
gint64		e_hubspot_pacer_get_paused_until
						(EHubSpotPacer *pacer);
guint		e_hubspot_pacer_get_budget	(EHubSpotPacer *pacer);
guint		e_hubspot_pacer_get_interval_ms	(EHubSpotPacer *pacer);

G_END_DECLS

#endif /* E_HUBSPOT_PACER_H */
