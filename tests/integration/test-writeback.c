/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The write-back racing HubSpot's answers, on the private bus.
 *
 * Each write-back ends by asking the outbox whether the backend may let
 * go of itself, while the sender thread, with the outbox's lock held,
 * tells the backend that new answers are ready.  The two once took the
 * backend's and the outbox's locks in opposite orders and deadlocked:
 * sending stopped for good (issue #11, `push` stalled after about 350
 * of 455 events).  meson.build sets EVOLUTION_HUBSPOT_TEST_RELEASE_DELAY_MS
 * for this test: the factory then lingers inside that question, and the
 * mock answers slowly, so that answers arrive during it every time
 * instead of once in many runs (the old code stalled 3 runs of 3). */

#include "hubspot-test-fixture.h"

#define N_EVENTS 150		/* inside one pacing window of the mock */
#define STALL_S 20		/* without a new meeting: a deadlock never ends */

static void
test_answers_during_release (void)
{
	ESource *source;
	ECalClient *client;
	GSList *objects = NULL, *uids = NULL;
	g_autoptr(GError) error = NULL;
	gint64 creates = -1, last_change = g_get_monotonic_time ();
	guint ii;

	g_assert_nonnull (g_getenv ("EVOLUTION_HUBSPOT_TEST_RELEASE_DELAY_MS"));

	source = hubspot_test_create_calendar (hubspot_test_get_registry (),
		hubspot_test_mock_get_url (hubspot_test_get_mock ()), "Europe/Paris");
	hubspot_test_configure (source, "portal-id", "4242", "ui-domain", "app.hubspot.com", NULL);
	client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);
	/* Answers trickle in, a few every write-back. */
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"delay_ms\": 100}");

	for (ii = 0; ii < N_EVENTS; ii++) {
		g_autofree gchar *text = g_strdup_printf (
			"BEGIN:VEVENT\r\nUID:race-%03u@test\r\nSUMMARY:Race %u\r\n"
			"DTSTART:20270412T090000Z\r\nDTEND:20270412T100000Z\r\nEND:VEVENT\r\n", ii, ii);

		objects = g_slist_prepend (objects, i_cal_component_new_from_string (text));
	}
	e_cal_client_create_objects_sync (client, objects, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error);
	g_assert_no_error (error);
	g_slist_free_full (objects, g_object_unref);
	g_slist_free_full (uids, g_free);

	/* Watched from the mock's side: a deadlocked factory would not
	 * answer the calendar's own calls either. */
	while (creates < N_EVENTS) {
		gint64 now_creates = hubspot_test_mock_stat (hubspot_test_get_mock (), "creates");

		if (now_creates != creates) {
			creates = now_creates;
			last_change = g_get_monotonic_time ();
		} else if (g_get_monotonic_time () - last_change > STALL_S * G_USEC_PER_SEC) {
			g_error ("sending stalled: %" G_GINT64_FORMAT " of %u meetings created, none for %d s",
				creates, N_EVENTS, STALL_S);
		}
		hubspot_test_spin (250);
	}

	g_assert_true (hubspot_test_wait_synced_count (client, N_EVENTS, 30000));
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, N_EVENTS);

	g_object_unref (client);
	hubspot_test_remove_calendar (hubspot_test_get_registry (), source);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	g_test_add_func ("/writeback/answers-during-release", test_answers_during_release);

	return hubspot_test_run ();
}
