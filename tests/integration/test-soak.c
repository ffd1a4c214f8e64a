/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The soak run: events created in bursts while the mock injects mixed
 * faults on about 30% of the calls and the factory is killed (SIGKILL) at
 * random moments and restarted.  At the end HubSpot must hold exactly one
 * meeting per event, and every event its meeting's id.
 *
 * HUBSPOT_SOAK_EVENTS (default 120), HUBSPOT_SOAK_KILLS (default 1) and
 * HUBSPOT_SOAK_SEED set the run; tests/soak runs the full one (1,000
 * events, 3 kills). */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

#define BURST 25

static guint
env_uint (const gchar *name,
	  guint fallback)
{
	const gchar *value = g_getenv (name);

	return value && *value ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

/* Rules are tried in order, each with its own chance: together they hit
 * 1 - (0.95^4 * 0.96^3) = 30% of the calls. */
static const gchar *faults[] = {
	"{\"rate\": 0.05, \"status\": 503}",
	"{\"rate\": 0.05, \"status\": 500}",
	"{\"rate\": 0.05, \"status\": 429, \"policy_name\": \"TEN_SECONDLY_ROLLING\"}",
	"{\"rate\": 0.05, \"kind\": \"drop\"}",
	"{\"rate\": 0.04, \"kind\": \"drop-after-create\"}",
	"{\"rate\": 0.04, \"kind\": \"malformed-json\"}",
	"{\"rate\": 0.04, \"status\": 429, \"retry_after\": 1, \"policy_name\": \"SECONDLY\"}",
};

static void
test_soak (void)
{
	guint n_events = env_uint ("HUBSPOT_SOAK_EVENTS", 120);
	guint n_kills = env_uint ("HUBSPOT_SOAK_KILLS", 1);
	guint seed = env_uint ("HUBSPOT_SOAK_SEED", g_random_int_range (1, G_MAXINT32));
	g_autofree gchar *seed_args = g_strdup_printf ("--seed=%u", seed);
	const gchar *mock_args[] = { seed_args, NULL };
	HubSpotTestMock *mock = hubspot_test_mock_start (0, mock_args);
	g_autoptr(ESourceRegistry) registry = hubspot_test_registry ();
	g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
	g_autoptr(GHashTable) kill_after = g_hash_table_new (g_direct_hash, g_direct_equal);
	g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(JsonArray) meetings = NULL;
	guint n_bursts = (n_events + BURST - 1) / BURST;
	guint created = 0, kills = 0, lost = 0, duplicates = 0, ii;
	gint64 started;
	ESource *source;
	ECalClient *client;

	if (hubspot_test_skip_timing ()) {
		hubspot_test_mock_stop (mock);
		return;
	}

	g_test_message ("soak: %u events, %u kills, seed %u", n_events, n_kills, seed);

	{
		g_autoptr(JsonNode) config = hubspot_test_mock_call (mock, "POST", "/__mock/config",
			"{\"rate_window_ms\": 1000, \"search_lag_ms\": 500}");
	}
	for (ii = 0; ii < G_N_ELEMENTS (faults); ii++) {
		g_autoptr(JsonNode) fault = hubspot_test_mock_call (mock, "POST", "/__mock/faults", faults[ii]);
	}

	/* Kills fall after random bursts (never the last: the end of the
	 * run must see a live factory drain its queue). */
	while (g_hash_table_size (kill_after) < MIN (n_kills, MAX (n_bursts, 2) - 1))
		g_hash_table_add (kill_after, GUINT_TO_POINTER (g_rand_int_range (rand, 0, MAX (n_bursts - 1, 1))));

	source = hubspot_test_create_calendar (registry, hubspot_test_mock_get_url (mock), "Europe/Paris");
	hubspot_test_configure (source, "lookup-delay", 1, "portal-id", "4242", "ui-domain", "app.hubspot.com", NULL);
	client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);

	started = g_get_monotonic_time ();
	for (ii = 0; ii < n_bursts; ii++) {
		GSList *objects = NULL, *uids = NULL;
		g_autoptr(GError) error = NULL;
		guint jj;

		for (jj = 0; jj < BURST && created + jj < n_events; jj++) {
			g_autofree gchar *text = g_strdup_printf (
				"BEGIN:VEVENT\r\nUID:soak-%04u@test\r\nSUMMARY:Soak event %04u\r\n"
				"DTSTART:20270301T%02u%02u00Z\r\nDURATION:PT30M\r\nEND:VEVENT\r\n",
				created + jj, created + jj, 8 + (created + jj) / 60 % 10, (created + jj) % 60);

			objects = g_slist_prepend (objects, i_cal_component_new_from_string (text));
		}

		e_cal_client_create_objects_sync (client, objects, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error);
		g_assert_no_error (error);
		created += g_slist_length (uids);
		g_slist_free_full (uids, g_free);
		g_slist_free_full (objects, g_object_unref);

		hubspot_test_spin (g_rand_int_range (rand, 0, 400));

		if (g_hash_table_contains (kill_after, GUINT_TO_POINTER (ii))) {
			hubspot_test_spin (g_rand_int_range (rand, 0, 800));
			hubspot_test_kill_factory ();
			kills++;
			g_clear_object (&client);
			client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);
		}
	}
	g_assert_cmpuint (created, ==, n_events);

	if (!hubspot_test_wait_synced_count (client, n_events, 60000 + n_events * 1000)) {
		g_autoptr(JsonNode) stats = hubspot_test_mock_call (mock, "GET", "/__mock/stats", NULL);
		g_autofree gchar *text = json_to_string (stats, FALSE);

		g_test_message ("not all synced: pending %u, failed %u; mock %s",
			hubspot_test_count_state (client, "pending"), hubspot_test_count_state (client, "failed"), text);
		g_test_fail ();
		return;
	}

	/* Exactly one live meeting per event, and the event carries its id. */
	meetings = hubspot_test_mock_meetings (mock);
	for (ii = 0; ii < json_array_get_length (meetings); ii++) {
		JsonObject *props = json_object_get_object_member (json_array_get_object_element (meetings, ii), "properties");
		const gchar *title = json_object_get_string_member (props, "hs_meeting_title");

		if (g_hash_table_contains (titles, title))
			duplicates++;
		else
			g_hash_table_add (titles, g_strdup (title));
	}

	for (ii = 0; ii < n_events; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("soak-%04u@test", ii);
		g_autofree gchar *title = g_strdup_printf ("Soak event %04u", ii);
		gchar *id = hubspot_test_dup_event_property (client, uid, E_HUBSPOT_PROP_MEETING_ID);

		if (!id || !g_hash_table_contains (titles, title) || g_hash_table_contains (ids, id)) {
			lost++;
			g_free (id);
		} else {
			g_hash_table_add (ids, id);
		}
	}

	g_test_message ("soak figures: events %u, meetings %u, requests %" G_GINT64_FORMAT ", faults injected %" G_GINT64_FORMAT
		", 429s %" G_GINT64_FORMAT ", kills %u, duplicates %u, lost %u, wall time %.1f s",
		n_events, json_array_get_length (meetings), hubspot_test_mock_stat (mock, "requests"),
		hubspot_test_mock_stat (mock, "faults_applied"), hubspot_test_mock_stat (mock, "rate_limited"),
		kills, duplicates, lost, (g_get_monotonic_time () - started) / 1e6);

	g_assert_cmpuint (kills, ==, MIN (n_kills, MAX (n_bursts, 2) - 1));
	g_assert_cmpuint (duplicates, ==, 0);
	g_assert_cmpuint (lost, ==, 0);
	g_assert_cmpuint (json_array_get_length (meetings), ==, n_events);

	g_object_unref (client);
	hubspot_test_remove_calendar (registry, source);
	hubspot_test_mock_stop (mock);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/soak/faults-and-kills", test_soak);

	return g_test_run ();
}
