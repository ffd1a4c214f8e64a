/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One account, one rate budget (src/common/e-hubspot-budget.c), on a
 * clock of the test's own. */

#include "common/e-hubspot-budget.h"

#define SECOND G_USEC_PER_SEC

static void
count_cb (gpointer user_data)
{
	(*(guint *) user_data)++;
}

/* HubSpot says 20 per 2 s: 19 places (5% kept), each held from sending
 * until one window after the answer. */
static void
test_reserve_and_complete (void)
{
	g_autoptr(EHubSpotBudget) budget = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	gint64 now = 1000 * SECOND;
	guint ii, woken = 0;

	e_hubspot_budget_add_waker (budget, count_cb, &woken);

	/* The first answer teaches the limit. */
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now), ==, 0);
	e_hubspot_budget_complete (budget, FALSE, 200, 20, 19, 2000, now);
	g_assert_cmpuint (woken, ==, 1);

	for (ii = 1; ii < 19; ii++)
		g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now), ==, 0);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (budget), ==, 18);
	/* Full: the first answer's place frees when its window rolls. */
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now), >, 2 * SECOND - 1);
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now), <, 3 * SECOND);

	for (ii = 1; ii < 19; ii++)
		e_hubspot_budget_complete (budget, FALSE, 200, 20, 10, 2000, now + SECOND);
	g_assert_cmpuint (woken, ==, 19);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (budget), ==, 0);

	/* All 19 places are held one window after their answers. */
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now + SECOND), >, 0);
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now + 4 * SECOND), ==, 0);
}

/* Every place held by a request in flight: only an answer frees one. */
static void
test_all_in_flight (void)
{
	g_autoptr(EHubSpotBudget) budget = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	guint ii;

	/* 100 per 10 s by default: 95 places. */
	for (ii = 0; ii < 95; ii++)
		g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, 0), ==, 0);
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, 0), ==, G_MAXINT64);
}

/* A search also needs a place in the search limit (4 a second). */
static void
test_search_limit (void)
{
	g_autoptr(EHubSpotBudget) budget = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	gint64 now = 1000 * SECOND;
	guint ii;

	for (ii = 0; ii < 4; ii++)
		g_assert_cmpint (e_hubspot_budget_reserve (budget, TRUE, now), ==, 0);
	g_assert_cmpint (e_hubspot_budget_reserve (budget, TRUE, now), !=, 0);
	/* Other calls still go. */
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now), ==, 0);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (budget), ==, 5);

	for (ii = 0; ii < 4; ii++)
		e_hubspot_budget_complete (budget, TRUE, 0, -1, -1, -1, now);
	g_assert_cmpint (e_hubspot_budget_reserve (budget, TRUE, now + 2 * SECOND), ==, 0);
}

/* A 429 pauses every caller, with its reason. */
static void
test_pause (void)
{
	g_autoptr(EHubSpotBudget) budget = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	gint64 now = 1000 * SECOND;
	const gchar *reason = NULL;

	e_hubspot_budget_pause_until (budget, now + 10 * SECOND, "daily-limit");
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now), ==, 10 * SECOND);
	g_assert_cmpint (e_hubspot_budget_get_paused_until (budget, now, &reason), ==, now + 10 * SECOND);
	g_assert_cmpstr (reason, ==, "daily-limit");
	g_assert_cmpint (e_hubspot_budget_get_paused_until (budget, now + 11 * SECOND, &reason), ==, 0);
	g_assert_null (reason);
	g_assert_cmpint (e_hubspot_budget_reserve (budget, FALSE, now + 11 * SECOND), ==, 0);
}

/* Every holder of one budget (the calendars of one account, through its
 * connection) sees the places the others take, and a waker hears of a
 * place freed by any of them until it is removed. */
static void
test_wakers (void)
{
	EHubSpotBudget *a1 = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	EHubSpotBudget *a2 = e_hubspot_budget_ref (a1);
	guint woken = 0, waker;

	waker = e_hubspot_budget_add_waker (a2, count_cb, &woken);
	g_assert_cmpint (e_hubspot_budget_reserve (a1, FALSE, 0), ==, 0);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (a2), ==, 1);
	e_hubspot_budget_complete (a1, FALSE, 200, 100, 99, 10000, 0);
	g_assert_cmpuint (woken, ==, 1);
	e_hubspot_budget_remove_waker (a2, waker);
	g_assert_cmpint (e_hubspot_budget_reserve (a2, FALSE, 0), ==, 0);
	e_hubspot_budget_complete (a1, FALSE, 0, -1, -1, -1, 0);
	g_assert_cmpuint (woken, ==, 1);

	e_hubspot_budget_unref (a1);
	e_hubspot_budget_unref (a2);
}

/* The first limit, before any header: an OAuth app's is 110 per 10 s on
 * every tier; a key's tier is unknown, so the lowest, 100.  5% kept. */
static void
test_limit_by_credential (void)
{
	g_autoptr(EHubSpotBudget) oauth = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_OAUTH);
	g_autoptr(EHubSpotBudget) key = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	guint ii;

	g_assert_cmpuint (e_hubspot_budget_get_places (oauth), ==, 105);
	g_assert_cmpuint (e_hubspot_budget_get_places (key), ==, 95);
	g_assert_cmpuint (e_hubspot_budget_get_interval_ms (oauth), ==, 10000);

	for (ii = 0; ii < 105; ii++)
		g_assert_cmpint (e_hubspot_budget_reserve (oauth, FALSE, 0), ==, 0);
	g_assert_cmpint (e_hubspot_budget_reserve (oauth, FALSE, 0), ==, G_MAXINT64);
	for (ii = 0; ii < 95; ii++)
		g_assert_cmpint (e_hubspot_budget_reserve (key, FALSE, 0), ==, 0);
	g_assert_cmpint (e_hubspot_budget_reserve (key, FALSE, 0), ==, G_MAXINT64);
}

/* Headers still teach: a Professional key's 190, an OAuth app's 110 said
 * again; a search's answer, which has none, teaches nothing, not even
 * from a header a proxy might add. */
static void
test_learning (void)
{
	g_autoptr(EHubSpotBudget) key = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_KEY);
	g_autoptr(EHubSpotBudget) oauth = e_hubspot_budget_new (E_HUBSPOT_CREDENTIAL_OAUTH);
	gint64 now = 1000 * SECOND;

	g_assert_cmpint (e_hubspot_budget_reserve (key, FALSE, now), ==, 0);
	e_hubspot_budget_complete (key, FALSE, 200, 190, 189, 10000, now);
	g_assert_cmpuint (e_hubspot_budget_get_places (key), ==, 181);

	/* Searches: no headers, or foreign ones, change nothing. */
	g_assert_cmpint (e_hubspot_budget_reserve (key, TRUE, now), ==, 0);
	e_hubspot_budget_complete (key, TRUE, 200, -1, -1, -1, now);
	g_assert_cmpint (e_hubspot_budget_reserve (key, TRUE, now), ==, 0);
	e_hubspot_budget_complete (key, TRUE, 200, 10, 0, 1000, now);
	g_assert_cmpuint (e_hubspot_budget_get_places (key), ==, 181);
	g_assert_cmpuint (e_hubspot_budget_get_interval_ms (key), ==, 10000);
	g_assert_cmpint (e_hubspot_budget_get_paused_until (key, now, NULL), ==, 0);

	/* An OAuth answer: 110 per 10 s, and no daily headers. */
	g_assert_cmpint (e_hubspot_budget_reserve (oauth, FALSE, now), ==, 0);
	e_hubspot_budget_complete (oauth, FALSE, 200, 110, 109, 10000, now);
	g_assert_cmpuint (e_hubspot_budget_get_places (oauth), ==, 105);
	/* Someone else used the window up: everything waits it out. */
	g_assert_cmpint (e_hubspot_budget_reserve (oauth, FALSE, now), ==, 0);
	e_hubspot_budget_complete (oauth, FALSE, 200, 110, 0, 10000, now);
	g_assert_cmpint (e_hubspot_budget_reserve (oauth, FALSE, now), >, 9 * SECOND);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/budget/reserve-and-complete", test_reserve_and_complete);
	g_test_add_func ("/budget/all-in-flight", test_all_in_flight);
	g_test_add_func ("/budget/search-limit", test_search_limit);
	g_test_add_func ("/budget/pause", test_pause);
	g_test_add_func ("/budget/wakers", test_wakers);
	g_test_add_func ("/budget/limit-by-credential", test_limit_by_credential);
	g_test_add_func ("/budget/learning", test_learning);

	return g_test_run ();
}
