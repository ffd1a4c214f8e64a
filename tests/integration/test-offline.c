/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Going offline and online again drains the queue without a restart.
 * The network state is EDS's own: the factory's GLib network monitor is
 * the desktop portal's, answered by the test (docs/design.md, "Testing
 * the network state"); the machine's network is never touched.  Events
 * created offline are stored at once and nothing reaches HubSpot; back
 * online, each is sent exactly once and written back, with the same
 * client and the same factory. */

#include "common/e-hubspot-mapping.h"
#include "hubspot-test-fixture.h"
#include "hubspot-test-portal.h"

/* What a person notices; offline creates only store. */
#define CREATE_MAX_MS 250
/* Offline follows the portal's signal at once; online waits for EBackend's
 * five-second delay, then asks CanReach. */
#define GO_OFFLINE_MS 10000
#define GO_ONLINE_MS 30000
#define SYNC_MS 30000

#define EVENT \
	"BEGIN:VEVENT\r\n" \
	"UID:offline-%u@test\r\n" \
	"SUMMARY:Offline call %u\r\n" \
	"DTSTART;TZID=Europe/Paris:20270412T%02u0000\r\n" \
	"DTEND;TZID=Europe/Paris:20270412T%02u3000\r\n" \
	"END:VEVENT\r\n"

static HubSpotTestPortal *portal;

static const HubSpotTestOptions options = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, NULL }
};

static gboolean
client_is_online (gpointer user_data)
{
	return e_client_is_online (user_data);
}

static gboolean
client_is_offline (gpointer user_data)
{
	return !e_client_is_online (user_data);
}

static gboolean
search_seen (gpointer user_data)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/search") > 0;
}

static void
offline_setup (HubSpotTestFixture *fixture,
	       gconstpointer user_data)
{
	g_autoptr(JsonNode) cleared = NULL;

	hubspot_test_portal_set_online (portal, TRUE);
	hubspot_test_fixture_setup (fixture, user_data);

	/* The portal's monitor starts "unavailable" until its first answer,
	 * and EBackend goes online five seconds after the network did. */
	g_assert_true (hubspot_test_wait_until (client_is_online, fixture->client, GO_ONLINE_MS));
	/* The refresh that follows the opening; the test counts from here. */
	g_assert_true (hubspot_test_wait_until (search_seen, NULL, 15000));
	hubspot_test_spin (300);
	cleared = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", "/__mock/requests", NULL);
}

static void
offline_teardown (HubSpotTestFixture *fixture,
		  gconstpointer user_data)
{
	hubspot_test_portal_set_online (portal, TRUE);
	hubspot_test_fixture_teardown (fixture, user_data);
}

static gchar *
create_event (ECalClient *client,
	      guint index)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *ical = g_strdup_printf (EVENT, index, index, 8 + index, 8 + index);
	gchar *uid;
	gint64 started = g_get_monotonic_time ();
	gint64 elapsed_ms;

	uid = hubspot_test_create_event (client, ical, &error);
	elapsed_ms = (g_get_monotonic_time () - started) / 1000;
	g_assert_no_error (error);
	g_assert_nonnull (uid);
	g_test_message ("create %u returned after %" G_GINT64_FORMAT " ms (%s)", index, elapsed_ms,
		e_client_is_online (E_CLIENT (client)) ? "online" : "offline");
	g_assert_cmpint (elapsed_ms, <, CREATE_MAX_MS);

	return uid;
}

static guint
count_meeting_creates (void)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar");
}

static guint
count_all_requests (void)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), NULL, NULL);
}

static void
go_offline (ECalClient *client)
{
	gint64 started = g_get_monotonic_time ();

	hubspot_test_portal_set_online (portal, FALSE);
	g_assert_true (hubspot_test_wait_until (client_is_offline, client, GO_OFFLINE_MS));
	g_test_message ("offline after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);
}

static void
go_online (ECalClient *client)
{
	gint64 started = g_get_monotonic_time ();

	hubspot_test_portal_set_online (portal, TRUE);
	if (!hubspot_test_wait_until (client_is_online, client, GO_ONLINE_MS)) {
		ESource *source = e_client_get_source (E_CLIENT (client));
		g_autofree gchar *status_path = g_build_filename (g_get_user_cache_dir (), "evolution", "calendar",
			e_source_get_uid (source), "hubspot-status.json", NULL);
		g_autofree gchar *status = NULL;

		g_file_get_contents (status_path, &status, NULL, NULL);
		g_test_message ("still offline; the portal answered GetStatus %u times, CanReach %u times; "
			"connection status %d; outbox status: %s",
			hubspot_test_portal_count_calls (portal, "GetStatus"),
			hubspot_test_portal_count_calls (portal, "CanReach"),
			e_source_get_connection_status (source), status);
		g_assert_not_reached ();
	}
	g_test_message ("online after %" G_GINT64_FORMAT " ms; the portal answered GetStatus %u times, CanReach %u times",
		(g_get_monotonic_time () - started) / 1000, hubspot_test_portal_count_calls (portal, "GetStatus"),
		hubspot_test_portal_count_calls (portal, "CanReach"));
}

static void
assert_no_meeting_id (ECalClient *client,
		      const gchar *uid)
{
	g_autofree gchar *meeting_id = hubspot_test_dup_event_property (client, uid, E_HUBSPOT_PROP_MEETING_ID);
	ICalComponent *icomp = hubspot_test_get_event (client, uid);

	/* Stored, not sent. */
	g_assert_nonnull (icomp);
	g_object_unref (icomp);
	g_assert_null (meeting_id);
}

/* Every event synced with a meeting of its own, HubSpot holding exactly
 * these meetings, each made by one create. */
static void
assert_each_sent_once (ECalClient *client,
		       gchar **uids,
		       guint n_uids)
{
	g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(JsonArray) meetings = NULL;
	guint ii;

	g_assert_true (hubspot_test_wait_synced_count (client, n_uids, SYNC_MS));
	for (ii = 0; ii < n_uids; ii++) {
		gchar *meeting_id = hubspot_test_dup_event_property (client, uids[ii], E_HUBSPOT_PROP_MEETING_ID);

		g_assert_true (hubspot_test_wait_state (client, uids[ii], "synced", 1000));
		g_assert_nonnull (meeting_id);
		g_assert_false (g_hash_table_contains (ids, meeting_id));
		g_hash_table_add (ids, meeting_id);
	}

	meetings = hubspot_test_mock_meetings (hubspot_test_get_mock ());
	g_assert_cmpuint (json_array_get_length (meetings), ==, n_uids);
	for (ii = 0; ii < json_array_get_length (meetings); ii++) {
		JsonObject *meeting = json_array_get_object_element (meetings, ii);

		g_assert_true (g_hash_table_contains (ids, json_object_get_string_member (meeting, "id")));
	}
	g_assert_cmpuint (count_meeting_creates (), ==, n_uids);
}

static void
free_uids (gchar **uids,
	   guint n_uids)
{
	guint ii;

	for (ii = 0; ii < n_uids; ii++)
		g_free (uids[ii]);
}

/* One trip offline and back: events created offline are stored at once
 * and nothing reaches HubSpot for as long as the network is away; online
 * again, each waiting event is sent once and written back.  uids[0 ..
 * n_before - 1] are synced already. */
static void
offline_trip (ECalClient *client,
	      gchar **uids,
	      guint n_before,
	      guint n_new)
{
	guint ii, requests_before;

	go_offline (client);
	requests_before = count_all_requests ();

	for (ii = n_before; ii < n_before + n_new; ii++)
		uids[ii] = create_event (client, ii);
	for (ii = n_before; ii < n_before + n_new; ii++)
		assert_no_meeting_id (client, uids[ii]);

	/* Long enough for the outbox to have sent them, were it sending. */
	hubspot_test_spin (3000);
	g_assert_false (e_client_is_online (E_CLIENT (client)));
	g_assert_cmpuint (count_all_requests (), ==, requests_before);
	g_assert_cmpuint (count_meeting_creates (), ==, n_before);
	for (ii = n_before; ii < n_before + n_new; ii++)
		assert_no_meeting_id (client, uids[ii]);

	go_online (client);
	assert_each_sent_once (client, uids, n_before + n_new);
}

/* Two trips offline with the same client and the same factory: the
 * second is not helped by EDS's own refresh on going online, which runs
 * at most once an hour. */
static void
test_queue_drains (HubSpotTestFixture *fixture,
		   gconstpointer user_data)
{
	gchar *uids[6] = { NULL, };
	gint factory_pid;

	uids[0] = create_event (fixture->client, 0);
	g_assert_true (hubspot_test_wait_state (fixture->client, uids[0], "synced", SYNC_MS));
	factory_pid = hubspot_test_factory_pid ();
	g_assert_cmpint (factory_pid, >, 0);

	offline_trip (fixture->client, uids, 1, 3);
	/* The factory's network monitor is the portal. */
	g_assert_cmpuint (hubspot_test_portal_count_calls (portal, "GetStatus"), >, 0);
	g_assert_cmpuint (hubspot_test_portal_count_calls (portal, "CanReach"), >, 0);

	offline_trip (fixture->client, uids, 4, 2);

	/* The same factory did it all. */
	g_assert_cmpint (hubspot_test_factory_pid (), ==, factory_pid);
	g_assert_true (e_client_is_online (E_CLIENT (fixture->client)));

	free_uids (uids, G_N_ELEMENTS (uids));
}

static gboolean
creates_arrived (gpointer user_data)
{
	return count_meeting_creates () >= GPOINTER_TO_UINT (user_data);
}

/* One request at a time (MaxInFlight 1), each answered 2 s late: when
 * the network goes, one create is in flight and two wait in the outbox.
 * The answer in flight is written back; the outbox starts nothing more
 * until the network is back, and then nothing is created twice. */
static const HubSpotTestOptions one_at_a_time = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, "max-in-flight", "1", NULL }
};

static void
test_in_flight (HubSpotTestFixture *fixture,
		gconstpointer user_data)
{
	g_autoptr(JsonNode) config = NULL;
	gchar *uids[4] = { NULL, };
	guint ii;

	config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/config", "{\"delay_ms\": 2000}");
	for (ii = 0; ii < 3; ii++)
		uids[ii] = create_event (fixture->client, ii);
	g_assert_true (hubspot_test_wait_until (creates_arrived, GUINT_TO_POINTER (1), 10000));

	go_offline (fixture->client);
	uids[3] = create_event (fixture->client, 3);

	/* The answer in flight arrives while offline and is kept. */
	g_assert_true (hubspot_test_wait_state (fixture->client, uids[0], "synced", SYNC_MS));
	/* Longer than an answer takes: were the outbox sending, the next
	 * create would have arrived. */
	hubspot_test_spin (3000);
	g_assert_false (e_client_is_online (E_CLIENT (fixture->client)));
	g_assert_cmpuint (count_meeting_creates (), ==, 1);
	for (ii = 1; ii < G_N_ELEMENTS (uids); ii++)
		assert_no_meeting_id (fixture->client, uids[ii]);

	g_clear_pointer (&config, json_node_unref);
	config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/config", "{\"delay_ms\": 0}");
	go_online (fixture->client);
	assert_each_sent_once (fixture->client, uids, G_N_ELEMENTS (uids));

	free_uids (uids, G_N_ELEMENTS (uids));
}

/* A create in flight whose answer is lost while offline (HubSpot made
 * the meeting, the connection dropped): nothing is tried while offline;
 * back online, the meeting is looked up and adopted, not created again
 * (docs/design.md, "Rules of the outbox", 3). */
static void
test_in_flight_lost (HubSpotTestFixture *fixture,
		     gconstpointer user_data)
{
	g_autoptr(JsonNode) fault = NULL;
	gchar *uids[1] = { NULL, };
	guint requests_before;

	fault = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/faults",
		"{\"match\": \"/meetings/calendar\", \"kind\": \"drop-after-create\", \"delay_ms\": 2000}");
	uids[0] = create_event (fixture->client, 0);
	g_assert_true (hubspot_test_wait_until (creates_arrived, GUINT_TO_POINTER (1), 10000));

	go_offline (fixture->client);
	/* The dropped answer, then time for a retry or a lookup (LookupDelay
	 * is 1 s here), were the outbox sending. */
	hubspot_test_spin (2000);
	requests_before = count_all_requests ();
	hubspot_test_spin (3000);
	g_assert_false (e_client_is_online (E_CLIENT (fixture->client)));
	g_assert_cmpuint (count_all_requests (), ==, requests_before);
	assert_no_meeting_id (fixture->client, uids[0]);

	/* Back online: the one meeting HubSpot made is the event's, and no
	 * second create was made. */
	go_online (fixture->client);
	assert_each_sent_once (fixture->client, uids, G_N_ELEMENTS (uids));

	free_uids (uids, G_N_ELEMENTS (uids));
}

static gboolean
list_has_uid (ECalClient *client,
	      const gchar *uid)
{
	g_autoptr(GError) error = NULL;
	GSList *comps = NULL, *link;
	gboolean found = FALSE;

	e_cal_client_get_object_list_sync (client, "#t", &comps, NULL, &error);
	g_assert_no_error (error);
	for (link = comps; link; link = link->next)
		found = found || g_strcmp0 (i_cal_component_get_uid (link->data), uid) == 0;
	g_slist_free_full (comps, g_object_unref);

	return found;
}

static JsonObject *
get_mock_meeting (const gchar *meeting_id)
{
	g_autofree gchar *path = g_strconcat ("/__mock/meetings/", meeting_id, NULL);
	g_autoptr(JsonNode) meeting = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", path, NULL);

	return json_object_ref (json_node_get_object (meeting));
}

typedef struct {
	const gchar *meeting_id;
	const gchar *property;
	const gchar *value;
} MeetingData;

static gboolean
meeting_has (gpointer user_data)
{
	MeetingData *md = user_data;
	g_autoptr(JsonObject) meeting = get_mock_meeting (md->meeting_id);
	JsonObject *props = json_object_get_object_member (meeting, "properties");

	return g_strcmp0 (json_object_get_string_member_with_default (props, md->property, NULL), md->value) == 0;
}

/* A change and a removal made offline wait like creates, and go once the
 * network is back: a PATCH of the changed event's meeting, the removed
 * one's cancelled, nothing created for either. */
static void
test_changes (HubSpotTestFixture *fixture,
	      gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	gchar *uids[3] = { NULL, };
	g_autofree gchar *changed_id = NULL;
	g_autofree gchar *removed_id = NULL;
	g_autofree gchar *after_id = NULL;
	MeetingData changed = { NULL, "hs_meeting_title", "Changed offline" };
	MeetingData cancelled = { NULL, "hs_meeting_outcome", "CANCELED" };
	g_autoptr(JsonArray) writes = NULL;
	ICalComponent *icomp;
	guint requests_before;

	uids[0] = create_event (fixture->client, 0);
	uids[1] = create_event (fixture->client, 1);
	g_assert_true (hubspot_test_wait_synced_count (fixture->client, 2, SYNC_MS));
	changed_id = hubspot_test_dup_event_property (fixture->client, uids[0], E_HUBSPOT_PROP_MEETING_ID);
	removed_id = hubspot_test_dup_event_property (fixture->client, uids[1], E_HUBSPOT_PROP_MEETING_ID);
	g_assert_nonnull (changed_id);
	g_assert_nonnull (removed_id);

	go_offline (fixture->client);
	requests_before = count_all_requests ();

	icomp = hubspot_test_get_event (fixture->client, uids[0]);
	g_assert_nonnull (icomp);
	i_cal_component_set_summary (icomp, "Changed offline");
	e_cal_client_modify_object_sync (fixture->client, icomp, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	g_object_unref (icomp);
	e_cal_client_remove_object_sync (fixture->client, uids[1], NULL, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	uids[2] = create_event (fixture->client, 2);

	hubspot_test_spin (3000);
	g_assert_false (e_client_is_online (E_CLIENT (fixture->client)));
	g_assert_cmpuint (count_all_requests (), ==, requests_before);
	/* Gone from the calendar's list (EDS 3.46 still answers a get of it
	 * by its UID until the removal is uploaded). */
	g_assert_false (list_has_uid (fixture->client, uids[1]));
	g_assert_true (list_has_uid (fixture->client, uids[2]));
	changed.meeting_id = changed_id;
	cancelled.meeting_id = removed_id;
	g_assert_false (meeting_has (&changed));
	g_assert_false (meeting_has (&cancelled));

	go_online (fixture->client);
	g_assert_true (hubspot_test_wait_state (fixture->client, uids[2], "synced", SYNC_MS));
	g_assert_true (hubspot_test_wait_until (meeting_has, &changed, SYNC_MS));
	g_assert_true (hubspot_test_wait_until (meeting_has, &cancelled, SYNC_MS));
	g_assert_true (hubspot_test_wait_state (fixture->client, uids[0], "synced", SYNC_MS));
	after_id = hubspot_test_dup_event_property (fixture->client, uids[0], E_HUBSPOT_PROP_MEETING_ID);
	g_assert_cmpstr (after_id, ==, changed_id);

	hubspot_test_spin (1000);
	g_assert_cmpuint (count_meeting_creates (), ==, 3);
	/* Alone or in one batch (docs/design.md, "Batch calls"): once each */
	writes = hubspot_test_mock_meeting_writes (hubspot_test_get_mock (), changed_id);
	g_assert_cmpuint (json_array_get_length (writes), ==, 1);
	g_clear_pointer (&writes, json_array_unref);
	writes = hubspot_test_mock_meeting_writes (hubspot_test_get_mock (), removed_id);
	g_assert_cmpuint (json_array_get_length (writes), ==, 1);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "GET", removed_id), ==, 0);

	free_uids (uids, G_N_ELEMENTS (uids));
}

static void
client_notify_online_cb (GObject *object,
			 GParamSpec *param,
			 gpointer user_data)
{
	if (!e_client_is_online (E_CLIENT (object)))
		(*(guint *) user_data)++;
}

/* Offline and online again within a fraction of a second, twice, with
 * events created on the way and requests in flight: the calendar ends
 * online and every event is sent exactly once. */
static void
test_flap (HubSpotTestFixture *fixture,
	   gconstpointer user_data)
{
	g_autoptr(JsonNode) config = NULL;
	gchar *uids[4] = { NULL, };
	guint went_offline = 0;
	gulong handler_id;

	handler_id = g_signal_connect (fixture->client, "notify::online", G_CALLBACK (client_notify_online_cb), &went_offline);
	config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/config", "{\"delay_ms\": 500}");

	uids[0] = create_event (fixture->client, 0);
	hubspot_test_portal_set_online (portal, FALSE);
	hubspot_test_spin (100);
	uids[1] = create_event (fixture->client, 1);
	hubspot_test_portal_set_online (portal, TRUE);
	hubspot_test_spin (100);
	uids[2] = create_event (fixture->client, 2);
	hubspot_test_portal_set_online (portal, FALSE);
	hubspot_test_spin (200);
	hubspot_test_portal_set_online (portal, TRUE);
	uids[3] = create_event (fixture->client, 3);

	g_assert_true (hubspot_test_wait_until (client_is_online, fixture->client, GO_ONLINE_MS));
	assert_each_sent_once (fixture->client, uids, G_N_ELEMENTS (uids));
	/* The flaps did reach the calendar. */
	g_test_message ("the client saw %u offline notifications", went_offline);
	g_assert_cmpuint (went_offline, >, 0);

	/* And it stays online. */
	hubspot_test_spin (2000);
	g_assert_true (e_client_is_online (E_CLIENT (fixture->client)));
	g_assert_cmpuint (count_meeting_creates (), ==, G_N_ELEMENTS (uids));

	g_signal_handler_disconnect (fixture->client, handler_id);
	free_uids (uids, G_N_ELEMENTS (uids));
}

gint
main (gint argc,
      gchar **argv)
{
	gint result;

	hubspot_test_init (&argc, &argv, NULL);
	/* Before the first calendar opens: the factory D-Bus starts then
	 * must find the portal and the environment that picks it. */
	portal = hubspot_test_portal_start ();

	g_test_add ("/offline/queue-drains", HubSpotTestFixture, &options,
		offline_setup, test_queue_drains, offline_teardown);
	g_test_add ("/offline/in-flight", HubSpotTestFixture, &one_at_a_time,
		offline_setup, test_in_flight, offline_teardown);
	g_test_add ("/offline/in-flight-lost", HubSpotTestFixture, &options,
		offline_setup, test_in_flight_lost, offline_teardown);
	g_test_add ("/offline/changes", HubSpotTestFixture, &options,
		offline_setup, test_changes, offline_teardown);
	g_test_add ("/offline/flap", HubSpotTestFixture, &options,
		offline_setup, test_flap, offline_teardown);

	result = hubspot_test_run ();
	hubspot_test_portal_stop (portal);

	return result;
}
