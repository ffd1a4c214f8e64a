/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One HubSpot account's rate budget (docs/design.md, "Pacing and
 * retries"), shared by every calendar of the account in the process
 * through the account's connection: the
 * requests in flight, the rolling window learnt from HubSpot's headers
 * (EHubSpotPacer), the search endpoints' own limit, and a pause that a
 * 429 puts on all of them.  Thread-safe: each calendar's outbox runs on a
 * thread of its own.  The clock is the caller's (monotonic µs), so that
 * the unit tests drive it.
 *
 * Wakers are told when a place frees up: an outbox that waits for "a
 * request to end" may be waiting for another calendar's.  They run with
 * the budget's lock held (so that a waker removed is never called after):
 * they must only schedule work, taking no lock of ours. */

#ifndef E_HUBSPOT_BUDGET_H
#define E_HUBSPOT_BUDGET_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EHubSpotBudget EHubSpotBudget;

/* Which limit the requests count against: HubSpot limits an OAuth app
 * (110 per 10 s per account) apart from a service key or private app
 * (100, 190 or 250 per 10 s by tier, unknown until the headers say). */
typedef enum {
	E_HUBSPOT_CREDENTIAL_KEY,
	E_HUBSPOT_CREDENTIAL_OAUTH
} EHubSpotCredentialKind;

typedef void	(* EHubSpotBudgetWaker)		(gpointer user_data);

/* The account's connection holds the account's budget
 * (e_hubspot_connection_get_budget ()). */
EHubSpotBudget *e_hubspot_budget_new		(EHubSpotCredentialKind kind);
EHubSpotBudget *e_hubspot_budget_ref		(EHubSpotBudget *budget);
void		e_hubspot_budget_unref		(EHubSpotBudget *budget);

guint		e_hubspot_budget_add_waker	(EHubSpotBudget *budget,
						 EHubSpotBudgetWaker waker,
						 gpointer user_data);
void		e_hubspot_budget_remove_waker	(EHubSpotBudget *budget,
						 guint waker_id);

/* Takes a place for one request (a search also takes one of the search
 * limit's) and returns 0; or takes none and returns how long to wait
 * (µs), G_MAXINT64 when only a request's end can free a place.  Every
 * place taken is given back by e_hubspot_budget_complete (). */
gint64		e_hubspot_budget_reserve	(EHubSpotBudget *budget,
						 gboolean search,
						 gint64 now);
/* What reserve () would answer, taking nothing. */
gint64		e_hubspot_budget_peek		(EHubSpotBudget *budget,
						 gboolean search,
						 gint64 now);
/* The request that reserve() let go has its answer (or failed): its
 * place is held one window more, what HubSpot's headers said is learnt
 * (rate_max, rate_remaining, rate_interval_ms: -1 when absent; status 0
 * when no answer came; a search's answer teaches nothing, HubSpot sends
 * it without the headers), and the wakers are told. */
void		e_hubspot_budget_complete	(EHubSpotBudget *budget,
						 gboolean search,
						 guint status,
						 gint rate_max,
						 gint rate_remaining,
						 gint rate_interval_ms,
						 gint64 now);
/* Everything waits until then (a 429); reason is a static string shown
 * in the status ("rate-limit", "daily-limit"). */
void		e_hubspot_budget_pause_until	(EHubSpotBudget *budget,
						 gint64 until,
						 const gchar *reason);
/* When the pause ends (0: none), and why. */
gint64		e_hubspot_budget_get_paused_until
						(EHubSpotBudget *budget,
						 gint64 now,
						 const gchar **out_reason);
guint		e_hubspot_budget_get_interval_ms
						(EHubSpotBudget *budget);
guint		e_hubspot_budget_get_in_flight	(EHubSpotBudget *budget);
/* The places of one window (the limit less a 5% margin), as learnt so far. */
guint		e_hubspot_budget_get_places	(EHubSpotBudget *budget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EHubSpotBudget, e_hubspot_budget_unref)

G_END_DECLS

#endif /* E_HUBSPOT_BUDGET_H */
