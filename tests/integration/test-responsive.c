/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Nothing the user does waits for HubSpot (docs/design.md, "A refresh"):
 * with every HubSpot answer 15 s late, creates made right after the
 * calendar opens and right after a user's Refresh return at once, and
 * all of them are written back later. */

#include "common/e-hubspot-mapping.h"
#include "hubspot-test-fixture.h"

#define HUBSPOT_DELAY_MS 15000
/* What a person notices; the creates measured here take a few ms. */
#define CREATE_MAX_MS 250
#define N_EVENTS 6

#define EVENT \
	"BEGIN:VEVENT\r\n" \
	"UID:responsive-%u@test\r\n" \
	"SUMMARY:Call %u\r\n" \
	"DTSTART;TZID=Europe/Paris:20270310T%02u0000\r\n" \
	"DTEND;TZID=Europe/Paris:20270310T%02u3000\r\n" \
	"END:VEVENT\r\n"

static gint64
create_timed (ECalClient *client,
	      guint index)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *ical = g_strdup_printf (EVENT, index, index, 8 + index, 8 + index);
	g_autofree gchar *uid = NULL;
	gint64 started = g_get_monotonic_time ();
	gint64 elapsed_ms;

	uid = hubspot_test_create_event (client, ical, &error);
	elapsed_ms = (g_get_monotonic_time () - started) / 1000;
	g_assert_no_error (error);
	g_assert_nonnull (uid);
	g_test_message ("create %u returned after %" G_GINT64_FORMAT " ms", index, elapsed_ms);

	return elapsed_ms;
}

static gboolean
search_started (gpointer user_data)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/search") >= GPOINTER_TO_UINT (user_data);
}

static void
test_creates_never_wait (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) config = NULL;
	ECalClient *client;
	ESource *source;
	gint64 slowest = 0;
	guint ii, searches;

	if (hubspot_test_skip_timing ())
		return;

	config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/config", "{\"delay_ms\": 15000}");
	source = hubspot_test_create_calendar (hubspot_test_get_registry (),
		hubspot_test_mock_get_url (hubspot_test_get_mock ()), "Europe/Paris");

	/* Right after opening: the opening refresh is on its way. */
	client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);
	for (ii = 1; ii <= N_EVENTS / 2; ii++) {
		gint64 elapsed_ms = create_timed (client, ii);

		slowest = MAX (slowest, elapsed_ms);
	}

	/* Right after a user's Refresh, while its search waits for HubSpot. */
	g_assert_true (hubspot_test_wait_until (search_started, GUINT_TO_POINTER (1), 30000));
	searches = hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/search");
	e_client_refresh_sync (E_CLIENT (client), NULL, &error);
	g_assert_no_error (error);
	for (ii = N_EVENTS / 2 + 1; ii <= N_EVENTS; ii++) {
		gint64 elapsed_ms = create_timed (client, ii);

		slowest = MAX (slowest, elapsed_ms);
	}

	g_test_message ("slowest create: %" G_GINT64_FORMAT " ms; HubSpot answers after %d ms",
		slowest, HUBSPOT_DELAY_MS);
	g_assert_cmpint (slowest, <, CREATE_MAX_MS);

	/* Account details, then the creates, each answered 15 s late: all
	 * six are written back. */
	g_assert_true (hubspot_test_wait_synced_count (client, N_EVENTS, 6 * HUBSPOT_DELAY_MS));
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, N_EVENTS);
	/* The user's Refresh did reach HubSpot, once the first was done. */
	g_assert_true (hubspot_test_wait_until (search_started, GUINT_TO_POINTER (searches + 1), 3 * HUBSPOT_DELAY_MS));

	g_object_unref (client);
	hubspot_test_remove_calendar (hubspot_test_get_registry (), source);
	g_clear_pointer (&config, json_node_unref);
	config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/config", "{\"delay_ms\": 0}");
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	g_test_add_func ("/responsive/creates-never-wait", test_creates_never_wait);

	return hubspot_test_run ();
}
