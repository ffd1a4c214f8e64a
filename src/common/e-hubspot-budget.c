/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "e-hubspot-budget.h"
#include "e-hubspot-pacer.h"

/* HubSpot's search endpoints have their own, lower limit (about 5/s). */
#define SEARCH_MAX_PER_SECOND 4

typedef struct {
	guint id;
	EHubSpotBudgetWaker waker;
	gpointer user_data;
} Waker;

struct _EHubSpotBudget {
	gint ref_count;

	GMutex lock;
	EHubSpotPacer *pacer;
	EHubSpotPacer *search_pacer;
	guint in_flight;
	guint searches_in_flight;
	const gchar *pause_reason;
	GArray *wakers;			/* Waker */
	guint next_waker_id;
};

EHubSpotBudget *
e_hubspot_budget_new (EHubSpotCredentialKind kind)
{
	EHubSpotBudget *budget = g_new0 (EHubSpotBudget, 1);

	budget->ref_count = 1;
	g_mutex_init (&budget->lock);
	/* The tier of a key is unknown until the first answer's headers: the
	 * lowest; an OAuth app has one limit for every tier. */
	budget->pacer = e_hubspot_pacer_new (kind == E_HUBSPOT_CREDENTIAL_OAUTH ? E_HUBSPOT_PACER_OAUTH_MAX :
		E_HUBSPOT_PACER_DEFAULT_MAX, E_HUBSPOT_PACER_DEFAULT_INTERVAL_MS);
	/* Search's pacer holds SEARCH_MAX_PER_SECOND after its 5% margin. */
	budget->search_pacer = e_hubspot_pacer_new (SEARCH_MAX_PER_SECOND + 1, 1000);
	budget->wakers = g_array_new (FALSE, FALSE, sizeof (Waker));
	budget->next_waker_id = 1;

	return budget;
}

EHubSpotBudget *
e_hubspot_budget_ref (EHubSpotBudget *budget)
{
	g_return_val_if_fail (budget != NULL, NULL);

	g_atomic_int_inc (&budget->ref_count);

	return budget;
}

void
e_hubspot_budget_unref (EHubSpotBudget *budget)
{
	if (!budget || !g_atomic_int_dec_and_test (&budget->ref_count))
		return;

	e_hubspot_pacer_free (budget->pacer);
	e_hubspot_pacer_free (budget->search_pacer);
	g_array_unref (budget->wakers);
	g_mutex_clear (&budget->lock);
	g_free (budget);
}

guint
e_hubspot_budget_add_waker (EHubSpotBudget *budget,
			    EHubSpotBudgetWaker waker,
			    gpointer user_data)
{
	Waker entry = { 0, waker, user_data };

	g_return_val_if_fail (budget != NULL, 0);
	g_return_val_if_fail (waker != NULL, 0);

	g_mutex_lock (&budget->lock);
	entry.id = budget->next_waker_id++;
	g_array_append_val (budget->wakers, entry);
	g_mutex_unlock (&budget->lock);

	return entry.id;
}

void
e_hubspot_budget_remove_waker (EHubSpotBudget *budget,
			       guint waker_id)
{
	g_return_if_fail (budget != NULL);

	g_mutex_lock (&budget->lock);
	for (guint ii = 0; ii < budget->wakers->len; ii++) {
		if (g_array_index (budget->wakers, Waker, ii).id == waker_id) {
			g_array_remove_index (budget->wakers, ii);
			break;
		}
	}
	g_mutex_unlock (&budget->lock);
}

static gint64
budget_wait_locked (EHubSpotBudget *budget,
		    gboolean search,
		    gint64 now)
{
	gint64 wait = e_hubspot_pacer_reserve (budget->pacer, now, budget->in_flight);

	if (wait == 0 && search)
		wait = e_hubspot_pacer_reserve (budget->search_pacer, now, budget->searches_in_flight);

	return wait;
}

gint64
e_hubspot_budget_peek (EHubSpotBudget *budget,
		       gboolean search,
		       gint64 now)
{
	gint64 wait;

	g_return_val_if_fail (budget != NULL, G_MAXINT64);

	g_mutex_lock (&budget->lock);
	wait = budget_wait_locked (budget, search, now);
	g_mutex_unlock (&budget->lock);

	return wait;
}

gint64
e_hubspot_budget_reserve (EHubSpotBudget *budget,
			  gboolean search,
			  gint64 now)
{
	gint64 wait;

	g_return_val_if_fail (budget != NULL, G_MAXINT64);

	g_mutex_lock (&budget->lock);
	wait = budget_wait_locked (budget, search, now);
	if (wait == 0) {
		budget->in_flight++;
		if (search)
			budget->searches_in_flight++;
	}
	g_mutex_unlock (&budget->lock);

	return wait;
}

void
e_hubspot_budget_complete (EHubSpotBudget *budget,
			   gboolean search,
			   guint status,
			   gint rate_max,
			   gint rate_remaining,
			   gint rate_interval_ms,
			   gint64 now)
{
	g_return_if_fail (budget != NULL);

	g_mutex_lock (&budget->lock);
	g_warn_if_fail (budget->in_flight > 0);
	if (budget->in_flight > 0)
		budget->in_flight--;
	e_hubspot_pacer_complete (budget->pacer, now);
	if (search) {
		if (budget->searches_in_flight > 0)
			budget->searches_in_flight--;
		e_hubspot_pacer_complete (budget->search_pacer, now);
	}
	/* Search answers carry no rate-limit headers: nothing to learn (a
	 * proxy's or a future answer's headers would not be the account's). */
	if (status && !search)
		e_hubspot_pacer_update (budget->pacer, rate_max, rate_remaining, rate_interval_ms, now);
	for (guint ii = 0; ii < budget->wakers->len; ii++) {
		Waker *waker = &g_array_index (budget->wakers, Waker, ii);

		waker->waker (waker->user_data);
	}
	g_mutex_unlock (&budget->lock);
}

void
e_hubspot_budget_pause_until (EHubSpotBudget *budget,
			      gint64 until,
			      const gchar *reason)
{
	g_return_if_fail (budget != NULL);

	g_mutex_lock (&budget->lock);
	if (until > e_hubspot_pacer_get_paused_until (budget->pacer))
		budget->pause_reason = reason;
	e_hubspot_pacer_pause_until (budget->pacer, until);
	g_mutex_unlock (&budget->lock);
}

gint64
e_hubspot_budget_get_paused_until (EHubSpotBudget *budget,
				   gint64 now,
				   const gchar **out_reason)
{
	gint64 until;

	g_return_val_if_fail (budget != NULL, 0);

	g_mutex_lock (&budget->lock);
	until = e_hubspot_pacer_get_paused_until (budget->pacer);
	if (until <= now)
		until = 0;
	if (out_reason)
		*out_reason = until ? (budget->pause_reason ? budget->pause_reason : "rate-limit") : NULL;
	g_mutex_unlock (&budget->lock);

	return until;
}

guint
e_hubspot_budget_get_interval_ms (EHubSpotBudget *budget)
{
	guint interval_ms;

	g_return_val_if_fail (budget != NULL, 0);

	g_mutex_lock (&budget->lock);
	interval_ms = e_hubspot_pacer_get_interval_ms (budget->pacer);
	g_mutex_unlock (&budget->lock);

	return interval_ms;
}

guint
e_hubspot_budget_get_in_flight (EHubSpotBudget *budget)
{
	guint in_flight;

	g_return_val_if_fail (budget != NULL, 0);

	g_mutex_lock (&budget->lock);
	in_flight = budget->in_flight;
	g_mutex_unlock (&budget->lock);

	return in_flight;
}

guint
e_hubspot_budget_get_places (EHubSpotBudget *budget)
{
	guint places;

	g_return_val_if_fail (budget != NULL, 0);

	g_mutex_lock (&budget->lock);
	places = e_hubspot_pacer_get_budget (budget->pacer);
	g_mutex_unlock (&budget->lock);

	return places;
}
