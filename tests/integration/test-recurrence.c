/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Recurring events on the private bus: one meeting per occurrence inside
 * the horizon, detached instances, EXDATEs, removal of the series, the
 * horizon moving, an event gaining and losing its rule, a crash with both
 * kinds on their way, a rule libical rejects.  The factory's clock is fixed
 * by EVOLUTION_HUBSPOT_NOW=2026-03-02T00:00:00Z (see meson.build). */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-recurrence.h"
#include "hubspot-test-fixture.h"

static const HubSpotTestOptions recurrence = { .settings = { HUBSPOT_TEST_ADDED_SETTINGS } };
/* A horizon of two weeks from the start: settings written before the
 * calendar opens are the factory's before its first event. */
static const HubSpotTestOptions two_weeks = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, "recurrence-horizon", "14", "max-occurrences", "100" },
	.wait_refresh = TRUE
};

static JsonObject *
request_properties (JsonArray *array,
		    guint index)
{
	JsonObject *body = json_object_get_object_member (json_array_get_object_element (array, index), "body");

	return json_object_get_object_member (body, "properties");
}

/* The meetings' PATCHes so far, alone or as inputs of batch updates
 * (docs/design.md, "Batch calls"). */
static guint
count_meeting_patches (void)
{
	g_autoptr(JsonArray) batches = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", "/meetings/batch/update");
	guint ii, count = hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", "/meetings/");

	for (ii = 0; ii < json_array_get_length (batches); ii++) {
		JsonObject *body = json_object_get_object_member (json_array_get_object_element (batches, ii), "body");

		count += json_array_get_length (json_object_get_array_member (body, "inputs"));
	}

	return count;
}

/* The properties of the request in array whose start is start (the
 * outbox sends several at once, in no set order). */
static JsonObject *
request_starting (JsonArray *array,
		  const gchar *start)
{
	guint ii;

	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonObject *props = request_properties (array, ii);

		if (g_strcmp0 (json_object_get_string_member (props, "hs_meeting_start_time"), start) == 0)
			return props;
	}

	g_error ("no request starts at %s", start);
	return NULL;
}

static ICalComponent *
get_master (HubSpotTestFixture *fixture,
	    const gchar *uid)
{
	ICalComponent *icomp = hubspot_test_get_event (fixture->client, uid);

	g_assert_nonnull (icomp);
	if (i_cal_component_isa (icomp) == I_CAL_VCALENDAR_COMPONENT) {
		ICalComponent *subcomp;

		for (subcomp = i_cal_component_get_first_component (icomp, I_CAL_VEVENT_COMPONENT);
		     subcomp;
		     subcomp = i_cal_component_get_next_component (icomp, I_CAL_VEVENT_COMPONENT)) {
			if (!e_cal_util_component_has_property (subcomp, I_CAL_RECURRENCEID_PROPERTY)) {
				g_object_unref (icomp);
				return subcomp;
			}
			g_object_unref (subcomp);
		}
		g_assert_not_reached ();
	}

	return icomp;
}

static GHashTable *
get_marks (HubSpotTestFixture *fixture,
	   const gchar *uid)
{
	ICalComponent *master = get_master (fixture, uid);
	GHashTable *marks = e_hubspot_occurrence_marks_read (master);

	g_object_unref (master);

	return marks;
}

typedef struct {
	HubSpotTestFixture *fixture;
	const gchar *uid;
	guint n_marks;
	const gchar *state;
} WaitMarks;

static gboolean
marks_reached_cb (gpointer user_data)
{
	WaitMarks *wait = user_data;
	g_autoptr(GHashTable) marks = get_marks (wait->fixture, wait->uid);
	g_autofree gchar *state = hubspot_test_dup_event_property (wait->fixture->client, wait->uid, E_HUBSPOT_PROP_SYNC_STATE);
	GHashTableIter iter;
	gpointer value;
	guint n = 0;

	g_hash_table_iter_init (&iter, marks);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		if (g_strcmp0 (((EHubSpotOccurrenceMark *) value)->state, E_HUBSPOT_OCCURRENCE_SYNCED) == 0)
			n++;
	}

	return n == wait->n_marks && g_strcmp0 (state, wait->state) == 0;
}

/* Waits until the series has n synced occurrences and the state. */
static void
wait_marks (HubSpotTestFixture *fixture,
	    const gchar *uid,
	    guint n_marks,
	    const gchar *state)
{
	WaitMarks wait = { fixture, uid, n_marks, state };

	if (!hubspot_test_wait_until (marks_reached_cb, &wait, 30000)) {
		g_autoptr(GHashTable) marks = get_marks (fixture, uid);

		g_error ("'%s' has %u marks, not %u synced in state %s", uid, g_hash_table_size (marks), n_marks, state);
	}
}

static gchar *
create (HubSpotTestFixture *fixture,
	const gchar *text)
{
	g_autoptr(GError) error = NULL;
	gchar *uid = hubspot_test_create_event (fixture->client, text, &error);

	g_assert_no_error (error);

	return uid;
}

/* Stores a change of the whole series; icomp is consumed. */
static void
modify_all (HubSpotTestFixture *fixture,
	    ICalComponent *icomp)
{
	g_autoptr(GError) error = NULL;

	e_cal_client_modify_object_sync (fixture->client, icomp, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	g_object_unref (icomp);
}

#define WEEKLY \
	"BEGIN:VEVENT\r\nUID:weekly@test\r\nSUMMARY:Weekly review\r\n" \
	"DTSTART;TZID=Europe/Paris:20260302T100000\r\nDTEND;TZID=Europe/Paris:20260302T110000\r\n" \
	"RRULE:FREQ=WEEKLY;COUNT=20\r\nEND:VEVENT\r\n"

/* 20 Mondays from 2 March; 13 fall in the 90 days after "now", across the
 * change to summer time on 29 March. */
static void
test_weekly (HubSpotTestFixture *fixture,
	     gconstpointer user_data)
{
	g_autofree gchar *uid = create (fixture, WEEKLY);
	g_autoptr(JsonArray) creates = NULL;
	g_autoptr(GHashTable) marks = NULL;
	g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
	EHubSpotOccurrenceMark *mark;
	GHashTableIter iter;
	gpointer value;
	JsonObject *props;

	wait_marks (fixture, uid, 13, "synced");

	creates = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 13);
	props = request_starting (creates, "2026-03-02T09:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_title"), ==, "Weekly review");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_end_time"), ==, "2026-03-02T10:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_timestamp"), ==, "2026-03-02T09:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_outcome"), ==, "SCHEDULED");
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
		json_array_get_object_element (creates, 0), "body"), "timezone"), ==, "Europe/Paris");
	/* Summer time: 10:00 in Paris is 08:00 UTC. */
	props = request_starting (creates, "2026-03-30T08:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_end_time"), ==, "2026-03-30T09:00:00Z");
	request_starting (creates, "2026-05-25T08:00:00Z");

	/* Each occurrence keeps its own meeting and link. */
	marks = get_marks (fixture, uid);
	g_assert_cmpuint (g_hash_table_size (marks), ==, 13);
	mark = g_hash_table_lookup (marks, "20260330T080000Z");
	g_assert_nonnull (mark);
	g_assert_nonnull (mark->meeting_id);
	g_assert_true (g_str_has_suffix (mark->url, mark->meeting_id));
	g_assert_true (g_str_has_prefix (mark->url, "https://app.hubspot.com/contacts/4242/record/0-47/"));
	g_hash_table_iter_init (&iter, marks);
	while (g_hash_table_iter_next (&iter, NULL, &value))
		g_hash_table_add (ids, ((EHubSpotOccurrenceMark *) value)->meeting_id);
	g_assert_cmpuint (g_hash_table_size (ids), ==, 13);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 13);
}

static ICalComponent *
instance_of (HubSpotTestFixture *fixture,
	     const gchar *uid,
	     const gchar *start)
{
	ICalComponent *master = get_master (fixture, uid);
	ICalComponent *instance = i_cal_component_clone (master);
	ICalTime *rid = i_cal_time_new_from_string (start);

	g_object_unref (master);
	e_cal_util_component_remove_property_by_kind (instance, I_CAL_RRULE_PROPERTY, TRUE);
	i_cal_time_set_timezone (rid, i_cal_timezone_get_builtin_timezone ("Europe/Paris"));
	i_cal_component_set_recurrenceid (instance, rid);
	i_cal_component_set_dtstart (instance, rid);
	i_cal_time_adjust (rid, 0, 1, 0, 0);
	i_cal_component_set_dtend (instance, rid);
	g_object_unref (rid);

	return instance;
}

/* A moved occurrence PATCHes its own meeting; a removed one (EXDATE) is
 * cancelled; the other meetings are left as they are. */
static void
test_detached_and_exdate (HubSpotTestFixture *fixture,
			  gconstpointer user_data)
{
	g_autofree gchar *uid = create (fixture, WEEKLY);
	g_autoptr(GHashTable) marks = NULL;
	g_autoptr(JsonArray) patches = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *moved_path = NULL;
	g_autofree gchar *removed_path = NULL;
	ICalComponent *instance;
	JsonObject *props;
	guint patches_before;

	wait_marks (fixture, uid, 13, "synced");
	marks = get_marks (fixture, uid);
	moved_path = g_strconcat ("/meetings/", ((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260316T090000Z"))->meeting_id, NULL);
	removed_path = g_strconcat ("/meetings/", ((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260323T090000Z"))->meeting_id, NULL);
	patches_before = count_meeting_patches ();

	/* This occurrence only: a new title. */
	instance = instance_of (fixture, uid, "20260316T100000");
	i_cal_component_set_summary (instance, "Weekly review (moved)");
	e_cal_client_modify_object_sync (fixture->client, instance, E_CAL_OBJ_MOD_THIS, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	g_object_unref (instance);
	wait_marks (fixture, uid, 13, "synced");

	patches = hubspot_test_mock_meeting_writes (hubspot_test_get_mock (), moved_path + strlen ("/meetings/"));
	g_assert_cmpuint (json_array_get_length (patches), >=, 1);
	props = request_properties (patches, json_array_get_length (patches) - 1);
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_title"), ==, "Weekly review (moved)");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_start_time"), ==, "2026-03-16T09:00:00Z");
	g_clear_pointer (&patches, json_array_unref);

	/* Another occurrence removed: its meeting is cancelled, kept. */
	e_cal_client_remove_object_sync (fixture->client, uid, "20260323T100000", E_CAL_OBJ_MOD_THIS,
		E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	wait_marks (fixture, uid, 12, "synced");

	patches = hubspot_test_mock_meeting_writes (hubspot_test_get_mock (), removed_path + strlen ("/meetings/"));
	g_assert_cmpuint (json_array_get_length (patches), >=, 1);
	props = request_properties (patches, json_array_get_length (patches) - 1);
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_outcome"), ==, "CANCELED");
	g_clear_pointer (&marks, g_hash_table_unref);
	marks = get_marks (fixture, uid);
	g_assert_cmpstr (((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260323T090000Z"))->state, ==,
		E_HUBSPOT_OCCURRENCE_CANCELLED);

	/* No new meeting was made on the way. */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 13);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 13);
	g_assert_cmpuint (count_meeting_patches (), >=, patches_before + 2);
}

/* Removing the series cancels every occurrence's meeting. */
static void
test_remove_series (HubSpotTestFixture *fixture,
		    gconstpointer user_data)
{
	g_autofree gchar *uid = create (fixture,
		"BEGIN:VEVENT\r\nUID:remove-series@test\r\nSUMMARY:Short series\r\n"
		"DTSTART:20260310T090000Z\r\nDTEND:20260310T093000Z\r\nRRULE:FREQ=DAILY;COUNT=4\r\nEND:VEVENT\r\n");
	g_autoptr(JsonArray) meetings = NULL;
	g_autoptr(GError) error = NULL;
	guint ii;

	wait_marks (fixture, uid, 4, "synced");
	e_cal_client_remove_object_sync (fixture->client, uid, NULL, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);

	for (ii = 0; ii < 300 && count_meeting_patches () < 4; ii++)
		hubspot_test_spin (100);
	g_assert_cmpuint (count_meeting_patches (), ==, 4);

	meetings = hubspot_test_mock_meetings (hubspot_test_get_mock ());
	g_assert_cmpuint (json_array_get_length (meetings), ==, 4);
	for (ii = 0; ii < 4; ii++) {
		JsonObject *props = json_object_get_object_member (json_array_get_object_element (meetings, ii), "properties");

		g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_outcome"), ==, "CANCELED");
	}
}

/* No end: the horizon bounds it, then MaxOccurrences; a longer horizon
 * (as time passes) brings the next occurrences on the next refresh.  The
 * Refresh may reach the factory before the setting does: the refresh the
 * setting's arrival makes then plans them (docs/design.md, "Recurring
 * events"). */
static void
test_no_end_and_horizon (HubSpotTestFixture *fixture,
			 gconstpointer user_data)
{
	g_autofree gchar *uid = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) creates = NULL;

	uid = create (fixture,
		"BEGIN:VEVENT\r\nUID:daily@test\r\nSUMMARY:Daily\r\n"
		"DTSTART:20250101T080000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
	wait_marks (fixture, uid, 14, "synced");
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 14);

	hubspot_test_configure (fixture->source, "recurrence-horizon", 21, NULL);
	e_client_refresh_sync (E_CLIENT (fixture->client), NULL, &error);
	g_assert_no_error (error);
	wait_marks (fixture, uid, 21, "synced");

	creates = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 21);
	g_assert_cmpstr (json_object_get_string_member (request_starting (creates, "2026-03-16T08:00:00Z"),
		"hs_meeting_end_time"), ==, "2026-03-16T08:15:00Z");
	g_assert_cmpstr (json_object_get_string_member (request_starting (creates, "2026-03-22T08:00:00Z"),
		"hs_meeting_end_time"), ==, "2026-03-22T08:15:00Z");
	g_assert_cmpuint (count_meeting_patches (), ==, 0);

	/* A bound on the count keeps a long horizon cheap. */
	hubspot_test_configure (fixture->source, "recurrence-horizon", 365, "max-occurrences", 30, NULL);
	e_client_refresh_sync (E_CLIENT (fixture->client), NULL, &error);
	g_assert_no_error (error);
	wait_marks (fixture, uid, 30, "synced");
	hubspot_test_spin (500);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 30);
}

static gboolean
search_count_above (gpointer user_data)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/search") > GPOINTER_TO_UINT (user_data);
}

/* The horizon widened on an open calendar reaches the factory on its own
 * way (the registry's signal), unordered with a client's Refresh: here
 * the refresh plans first, with the old horizon, and the setting comes
 * after it (docs/design.md, "Recurring events"). */
static void
test_horizon_after_refresh (HubSpotTestFixture *fixture,
			    gconstpointer user_data)
{
	g_autofree gchar *uid = create (fixture,
		"BEGIN:VEVENT\r\nUID:daily@test\r\nSUMMARY:Daily\r\n"
		"DTSTART:20250101T080000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
	g_autoptr(GError) error = NULL;
	guint searches;

	wait_marks (fixture, uid, 14, "synced");

	/* The refresh's search: its horizon step is done, with 14 days. */
	searches = hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/search");
	e_client_refresh_sync (E_CLIENT (fixture->client), NULL, &error);
	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_until (search_count_above, GUINT_TO_POINTER (searches), 15000));

	hubspot_test_configure (fixture->source, "recurrence-horizon", 21, NULL);
	wait_marks (fixture, uid, 21, "synced");
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 21);
	g_assert_cmpuint (count_meeting_patches (), ==, 0);
}

/* A single event made weekly: its meeting is the first occurrence's. */
static void
test_single_made_weekly (HubSpotTestFixture *fixture,
			 gconstpointer user_data)
{
	g_autofree gchar *uid = create (fixture,
		"BEGIN:VEVENT\r\nUID:flip@test\r\nSUMMARY:One-off\r\n"
		"DTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nEND:VEVENT\r\n");
	g_autofree gchar *meeting_id = NULL;
	g_autoptr(GHashTable) marks = NULL;
	ICalComponent *icomp;

	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));
	meeting_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);

	icomp = hubspot_test_get_event (fixture->client, uid);
	i_cal_component_take_property (icomp, i_cal_property_new_from_string ("RRULE:FREQ=WEEKLY;COUNT=3"));
	modify_all (fixture, icomp);

	wait_marks (fixture, uid, 3, "synced");
	marks = get_marks (fixture, uid);
	g_assert_cmpstr (((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260303T090000Z"))->meeting_id, ==, meeting_id);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 3);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 3);
}

static gboolean
patched_title_cb (gpointer user_data)
{
	const gchar **args = user_data;
	g_autoptr(JsonArray) patches = hubspot_test_mock_meeting_writes (hubspot_test_get_mock (), args[0] + strlen ("/meetings/"));
	guint ii;

	for (ii = 0; ii < json_array_get_length (patches); ii++) {
		if (g_strcmp0 (json_object_get_string_member_with_default (request_properties (patches, ii),
			"hs_meeting_title", NULL), args[1]) == 0)
			return TRUE;
	}

	return FALSE;
}

/* A series made single again: its first occurrence's meeting is the
 * event's, the others are cancelled, and the event keeps syncing to
 * that meeting (docs/design.md, "Recurring events"). */
static void
test_series_made_single (HubSpotTestFixture *fixture,
			 gconstpointer user_data)
{
	g_autofree gchar *uid = create (fixture,
		"BEGIN:VEVENT\r\nUID:unflip@test\r\nSUMMARY:Three times\r\n"
		"DTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n");
	g_autofree gchar *first_path = NULL;
	g_autoptr(GHashTable) marks = NULL;
	const gchar *args[2];
	ICalComponent *icomp;

	wait_marks (fixture, uid, 3, "synced");
	marks = get_marks (fixture, uid);
	first_path = g_strconcat ("/meetings/", ((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260303T090000Z"))->meeting_id, NULL);

	icomp = get_master (fixture, uid);
	e_cal_util_component_remove_property_by_kind (icomp, I_CAL_RRULE_PROPERTY, TRUE);
	modify_all (fixture, icomp);

	/* The first meeting stays, the two others are cancelled. */
	wait_marks (fixture, uid, 1, "synced");
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));

	/* An edit of the single event goes to the kept meeting. */
	icomp = get_master (fixture, uid);
	i_cal_component_set_summary (icomp, "Once now");
	modify_all (fixture, icomp);
	args[0] = first_path;
	args[1] = "Once now";
	g_assert_true (hubspot_test_wait_until (patched_title_cb, args, 20000));
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));

	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 3);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 3);
	g_clear_pointer (&marks, g_hash_table_unref);
	marks = get_marks (fixture, uid);
	g_assert_cmpstr (((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260310T090000Z"))->state, ==,
		E_HUBSPOT_OCCURRENCE_CANCELLED);
	g_assert_cmpstr (((EHubSpotOccurrenceMark *) g_hash_table_lookup (marks, "20260317T090000Z"))->state, ==,
		E_HUBSPOT_OCCURRENCE_CANCELLED);
}

static gboolean
mock_stat_reaches (gpointer user_data)
{
	return hubspot_test_mock_stat (hubspot_test_get_mock (), "creates") >= GPOINTER_TO_UINT (user_data);
}

static gboolean
meeting_cancelled_cb (gpointer user_data)
{
	g_autofree gchar *path = g_strconcat ("/__mock/meetings/", (const gchar *) user_data, NULL);
	g_autoptr(JsonNode) meeting = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", path, NULL);
	JsonObject *props = json_object_get_object_member (json_node_get_object (meeting), "properties");

	return g_strcmp0 (json_object_get_string_member_with_default (props, "hs_meeting_outcome", NULL), "CANCELED") == 0;
}

/* A crash with a series' creates, a plain event's and a removed event's
 * cancel on their way: the first connect hands every unsent row and
 * tombstone again through the one path, and nothing is made twice
 * (docs/design.md, "Rules of the outbox"). */
static void
test_crash_in_flight (HubSpotTestFixture *fixture,
		      gconstpointer user_data)
{
	g_autofree gchar *gone = create (fixture,
		"BEGIN:VEVENT\r\nUID:gone@test\r\nSUMMARY:Removed\r\n"
		"DTSTART:20260304T090000Z\r\nDTEND:20260304T100000Z\r\nEND:VEVENT\r\n");
	g_autofree gchar *series = NULL;
	g_autofree gchar *plain = NULL;
	g_autofree gchar *gone_id = NULL;
	g_autofree gchar *plain_id = NULL;
	g_autofree gchar *fault = NULL;
	g_autoptr(JsonNode) cleared = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true (hubspot_test_wait_state (fixture->client, gone, "synced", 20000));
	gone_id = hubspot_test_dup_event_property (fixture->client, gone, E_HUBSPOT_PROP_MEETING_ID);

	/* The cancel is refused until the crash: only the tombstone has it. */
	fault = g_strdup_printf ("{\"match\": \"%s\", \"method\": \"PATCH\", \"count\": -1, \"status\": 503}", gone_id);
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/faults", fault);
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"delay_ms\": 3000}");
	series = create (fixture,
		"BEGIN:VEVENT\r\nUID:crash-series@test\r\nSUMMARY:Series at the crash\r\n"
		"DTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n");
	plain = create (fixture,
		"BEGIN:VEVENT\r\nUID:crash-plain@test\r\nSUMMARY:Plain at the crash\r\n"
		"DTSTART:20260305T090000Z\r\nDTEND:20260305T100000Z\r\nEND:VEVENT\r\n");
	e_cal_client_remove_object_sync (fixture->client, gone, NULL, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);

	g_assert_true (hubspot_test_wait_until (mock_stat_reaches, GUINT_TO_POINTER (5), 15000));
	hubspot_test_kill_factory ();
	g_assert_false (meeting_cancelled_cb (gone_id));
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"delay_ms\": 0}");
	cleared = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", "/__mock/faults", NULL);

	g_clear_object (&fixture->client);
	fixture->client = hubspot_test_connect (fixture->source, HUBSPOT_TEST_TOKEN);

	wait_marks (fixture, series, 3, "synced");
	g_assert_true (hubspot_test_wait_state (fixture->client, plain, "synced", 30000));
	plain_id = hubspot_test_dup_event_property (fixture->client, plain, E_HUBSPOT_PROP_MEETING_ID);
	g_assert_nonnull (plain_id);
	g_assert_true (hubspot_test_wait_until (meeting_cancelled_cb, gone_id, 30000));

	/* Adopted after the crash, not made again. */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 5);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 5);
}

/* A rule libical rejects: the event is kept, its first occurrence is a
 * meeting; an EXDATE of a never-sent occurrence sends nothing. */
static void
test_bad_input (HubSpotTestFixture *fixture,
		gconstpointer user_data)
{
	g_autofree gchar *bad = create (fixture,
		"BEGIN:VEVENT\r\nUID:bad-rule@test\r\nSUMMARY:Bad rule\r\n"
		"DTSTART:20260305T090000Z\r\nDTEND:20260305T100000Z\r\nRRULE:FREQ=SOMETIMES;BYDAY=XX\r\nEND:VEVENT\r\n");
	g_autofree gchar *far = NULL;
	ICalComponent *icomp;

	g_assert_true (hubspot_test_wait_state (fixture->client, bad, "synced", 20000));
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 1);

	far = create (fixture,
		"BEGIN:VEVENT\r\nUID:far@test\r\nSUMMARY:Far\r\n"
		"DTSTART:20260304T090000Z\r\nDTEND:20260304T100000Z\r\nRRULE:FREQ=MONTHLY;COUNT=12\r\nEND:VEVENT\r\n");
	wait_marks (fixture, far, 3, "synced");
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 4);

	/* December is far beyond the horizon: never sent, nothing to cancel. */
	icomp = get_master (fixture, far);
	i_cal_component_take_property (icomp, i_cal_property_new_from_string ("EXDATE:20261204T090000Z"));
	modify_all (fixture, icomp);
	wait_marks (fixture, far, 3, "synced");
	hubspot_test_spin (500);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 4);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 4);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	hubspot_test_add ("/recurrence/weekly", &recurrence, test_weekly);
	hubspot_test_add ("/recurrence/detached-and-exdate", &recurrence, test_detached_and_exdate);
	hubspot_test_add ("/recurrence/remove-series", &recurrence, test_remove_series);
	hubspot_test_add ("/recurrence/no-end-and-horizon", &two_weeks, test_no_end_and_horizon);
	hubspot_test_add ("/recurrence/horizon-after-refresh", &two_weeks, test_horizon_after_refresh);
	hubspot_test_add ("/recurrence/single-made-weekly", &recurrence, test_single_made_weekly);
	hubspot_test_add ("/recurrence/series-made-single", &recurrence, test_series_made_single);
	hubspot_test_add ("/recurrence/crash-in-flight", &recurrence, test_crash_in_flight);
	hubspot_test_add ("/recurrence/bad-input", &recurrence, test_bad_input);

	return hubspot_test_run ();
}
