/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Meetings coming back (docs/design.md, "A refresh"), on the private bus: a
 * meeting booked in HubSpot appears after one refresh, its change and its
 * archive follow; the calendar's own meetings are never imported again,
 * not even while their create is on its way; conflicts both ways; other
 * owners' meetings stay out; the search pages; meetings the search's
 * index does not list yet are read by batches.
 *
 * The factory's clock is fixed (EVOLUTION_HUBSPOT_NOW in meson.build, the
 * same as TWOWAY_NOW here), so that the search's window is exact. */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "hubspot-test-fixture.h"

#define TWOWAY_NOW_UNIX G_GINT64_CONSTANT (1806537600)	/* 2027-04-01T00:00:00Z */
#define CONFLICT_PROP "X-HUBSPOT-CONFLICT"
#define SEARCH_PATH "/crm/objects/2026-03/meetings/search"
#define MEETING_PATH "/crm/objects/2026-03/meetings/"
#define BATCH_READ_PATH "/crm/objects/2026-03/meetings/batch/read"
#define READ_PROPERTIES "hs_meeting_title,hs_meeting_start_time,hs_meeting_end_time,hs_meeting_body," \
	"hs_meeting_location,hs_internal_meeting_notes,hs_meeting_outcome,hs_meeting_external_url," \
	"hubspot_owner_id,hs_createdate,hs_lastmodifieddate"

static const HubSpotTestOptions twoway = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS },
	.wait_refresh = TRUE,
};

/* The create whose answer is lost is looked up after the test's refresh. */
static const HubSpotTestOptions late_lookups = {
	.settings = { "lookup-delay", "4", "portal-id", "4242", "ui-domain", "app.hubspot.com" },
	.wait_refresh = TRUE,
};

static gboolean
search_seen (gpointer user_data)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), "POST", SEARCH_PATH) >= GPOINTER_TO_UINT (user_data);
}

/* A meeting "booked in HubSpot"; returns its id. */
static gchar *
book (const gchar *properties)
{
	g_autofree gchar *body = g_strdup_printf ("{\"properties\": %s}", properties);
	g_autoptr(JsonNode) answer = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/meetings", body);

	return g_strdup (json_object_get_string_member (json_node_get_object (answer), "id"));
}

static JsonNode *
mock_meeting (const gchar *meeting_id)
{
	g_autofree gchar *path = g_strconcat ("/__mock/meetings/", meeting_id, NULL);

	return hubspot_test_mock_call (hubspot_test_get_mock (), "GET", path, NULL);
}

static const gchar *
meeting_property (JsonNode *meeting,
		  const gchar *name)
{
	JsonObject *props = json_object_get_object_member (json_node_get_object (meeting), "properties");

	return json_object_get_string_member_with_default (props, name, NULL);
}

/* A batch read's record: it asked what a single read asks, and the ids
 * of its inputs are added to ids (when not NULL); returns how many. */
static guint
batch_read_inputs (JsonObject *record,
		   GHashTable *ids)
{
	JsonObject *body = json_object_get_object_member (record, "body");
	JsonArray *inputs = json_object_get_array_member (body, "inputs");
	JsonArray *properties = json_object_get_array_member (body, "properties");
	g_autoptr(GString) asked = g_string_new (NULL);
	guint ii;

	for (ii = 0; ii < json_array_get_length (properties); ii++)
		g_string_append_printf (asked, "%s%s", ii ? "," : "", json_array_get_string_element (properties, ii));
	g_assert_cmpstr (asked->str, ==, READ_PROPERTIES);

	for (ii = 0; ids && ii < json_array_get_length (inputs); ii++)
		g_hash_table_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (inputs, ii), "id")));

	return json_array_get_length (inputs);
}

static void
change_in_hubspot (const gchar *meeting_id,
		   const gchar *properties)
{
	g_autofree gchar *path = g_strconcat ("/__mock/meetings/", meeting_id, NULL);
	g_autofree gchar *body = g_strdup_printf ("{\"properties\": %s}", properties);
	g_autoptr(JsonNode) answer = hubspot_test_mock_call (hubspot_test_get_mock (), "PATCH", path, body);
}

static void
archive_in_hubspot (const gchar *meeting_id)
{
	g_autofree gchar *path = g_strconcat ("/__mock/meetings/", meeting_id, NULL);
	g_autoptr(JsonNode) answer = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", path, NULL);
}

/* One refresh, as a client asks for it; returns once its search is
 * answered and its outcome had time to reach the cache. */
static void
refresh (HubSpotTestFixture *fixture)
{
	g_autoptr(GError) error = NULL;
	guint searches = hubspot_test_mock_count (hubspot_test_get_mock (), "POST", SEARCH_PATH);

	e_client_refresh_sync (E_CLIENT (fixture->client), NULL, &error);
	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_until (search_seen, GUINT_TO_POINTER (searches + 1), 15000));
	hubspot_test_spin (800);
}

static guint
count_events (HubSpotTestFixture *fixture)
{
	GSList *comps = NULL;
	guint count;

	g_assert_true (e_cal_client_get_object_list_sync (fixture->client, "#t", &comps, NULL, NULL));
	count = g_slist_length (comps);
	g_slist_free_full (comps, g_object_unref);

	return count;
}

typedef struct {
	ECalClient *client;
	const gchar *uid;
	const gchar *summary;	/* NULL: the event exists; "": the event is gone */
} EventWait;

static gboolean
event_matches (gpointer user_data)
{
	EventWait *ew = user_data;
	ICalComponent *icomp = hubspot_test_get_event (ew->client, ew->uid);
	gboolean matches;

	if (ew->summary && !*ew->summary)
		matches = !icomp;
	else
		matches = icomp && (!ew->summary || g_strcmp0 (i_cal_component_get_summary (icomp), ew->summary) == 0);

	g_clear_object (&icomp);

	return matches;
}

static gboolean
wait_event (HubSpotTestFixture *fixture,
	    const gchar *uid,
	    const gchar *summary)
{
	EventWait ew = { fixture->client, uid, summary };

	return hubspot_test_wait_until (event_matches, &ew, 15000);
}

static gchar *
event_time (ICalComponent *icomp,
	    ICalPropertyKind kind)
{
	ICalProperty *prop = i_cal_component_get_first_property (icomp, kind);
	gchar *text;

	g_assert_nonnull (prop);
	text = i_cal_property_as_ical_string (prop);
	g_object_unref (prop);
	g_strstrip (text);

	return text;
}

static gchar *
event_text_property (ICalComponent *icomp,
		     ICalPropertyKind kind)
{
	ICalProperty *prop = i_cal_component_get_first_property (icomp, kind);
	gchar *text = NULL;

	if (prop) {
		ICalValue *value = i_cal_property_get_value (prop);

		text = g_strdup (i_cal_value_get_text (value));
		g_object_unref (value);
		g_object_unref (prop);
	}

	return text;
}

static gchar *
create_synced (HubSpotTestFixture *fixture,
	       const gchar *uid,
	       const gchar *summary,
	       gchar **out_meeting_id)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = g_strdup_printf (
		"BEGIN:VEVENT\r\nUID:%s\r\nSUMMARY:%s\r\n"
		"DTSTART;TZID=Europe/Paris:20270415T100000\r\nDTEND;TZID=Europe/Paris:20270415T110000\r\n"
		"LOCATION:Room 1\r\nEND:VEVENT\r\n", uid, summary);
	gchar *created = hubspot_test_create_event (fixture->client, text, &error);

	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (fixture->client, created, "synced", 20000));
	*out_meeting_id = hubspot_test_dup_event_property (fixture->client, created, E_HUBSPOT_PROP_MEETING_ID);
	g_assert_nonnull (*out_meeting_id);

	return created;
}

static void
modify_summary (HubSpotTestFixture *fixture,
		const gchar *uid,
		const gchar *summary)
{
	g_autoptr(GError) error = NULL;
	ICalComponent *icomp = hubspot_test_get_event (fixture->client, uid);

	g_assert_nonnull (icomp);
	i_cal_component_set_summary (icomp, summary);
	e_cal_client_modify_object_sync (fixture->client, icomp, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	g_object_unref (icomp);
}

/* The exact search of a refresh: the owner's meetings in [now - 30 days,
 * now + 90 days], oldest record first, 200 a page. */
static void
assert_search_body (JsonObject *request,
		    const gchar *after)
{
	g_autofree gchar *expected_text = g_strdup_printf (
		"{\"filterGroups\":[{\"filters\":["
		"{\"propertyName\":\"hubspot_owner_id\",\"operator\":\"EQ\",\"value\":\"" HUBSPOT_TEST_OWNER_ID "\"},"
		"{\"propertyName\":\"hs_meeting_start_time\",\"operator\":\"BETWEEN\","
		"\"value\":\"%" G_GINT64_FORMAT "\",\"highValue\":\"%" G_GINT64_FORMAT "\"}]}],"
		"\"properties\":[\"hs_meeting_title\",\"hs_meeting_start_time\",\"hs_meeting_end_time\","
		"\"hs_meeting_body\",\"hs_meeting_location\",\"hs_internal_meeting_notes\",\"hs_meeting_outcome\","
		"\"hs_meeting_external_url\",\"hubspot_owner_id\",\"hs_createdate\",\"hs_lastmodifieddate\"],"
		"\"sorts\":[{\"propertyName\":\"hs_object_id\",\"direction\":\"ASCENDING\"}],"
		"\"limit\":200%s%s%s}",
		(TWOWAY_NOW_UNIX - 30 * 86400) * 1000, (TWOWAY_NOW_UNIX + 90 * 86400) * 1000,
		after ? ",\"after\":\"" : "", after ? after : "", after ? "\"" : "");
	g_autoptr(JsonNode) expected = json_from_string (expected_text, NULL);
	JsonNode *body = json_object_get_member (request, "body");
	g_autofree gchar *got = json_to_string (body, FALSE);

	g_assert_nonnull (expected);
	g_test_message ("search body: %s", got);
	g_assert_true (json_node_equal (body, expected));
	g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 200);
}

/* A meeting booked in HubSpot appears after one refresh, exactly; a local
 * edit PATCHes it; HubSpot's later change shows after the next refresh;
 * its archive removes the event.  Nothing of it is ever sent back as a
 * new meeting. */
static void
test_booked_meeting (HubSpotTestFixture *fixture,
		     gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *record_url = NULL;
	g_autoptr(JsonArray) searches = NULL;
	g_autoptr(JsonArray) patches = NULL;
	g_autoptr(JsonArray) reads = NULL;
	g_autoptr(JsonNode) stored = NULL;
	ICalComponent *icomp;
	JsonObject *props;

	meeting_id = book ("{\"hs_meeting_title\": \"Booked demo\","
		"\"hs_meeting_start_time\": \"2027-04-12T09:00:00Z\", \"hs_meeting_end_time\": \"2027-04-12T09:30:00Z\","
		"\"hs_meeting_body\": \"<p>Booked via the page</p><p>Bring &amp; share questions</p>\","
		"\"hs_meeting_location\": \"https://meet.example.com/booked\","
		"\"hs_internal_meeting_notes\": \"Prepare slides\","
		"\"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\"}");
	uid = g_strconcat ("hubspot-meeting-", meeting_id, NULL);
	record_url = g_strconcat ("https://app.hubspot.com/contacts/4242/record/0-47/", meeting_id, NULL);

	refresh (fixture);
	g_assert_true (wait_event (fixture, uid, NULL));

	searches = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", SEARCH_PATH);
	g_assert_cmpuint (json_array_get_length (searches), ==, 1);
	assert_search_body (json_array_get_object_element (searches, 0), NULL);

	stored = mock_meeting (meeting_id);
	icomp = hubspot_test_get_event (fixture->client, uid);
	{
		g_autofree gchar *dtstart = event_time (icomp, I_CAL_DTSTART_PROPERTY);
		g_autofree gchar *dtend = event_time (icomp, I_CAL_DTEND_PROPERTY);
		g_autofree gchar *description = event_text_property (icomp, I_CAL_DESCRIPTION_PROPERTY);
		g_autofree gchar *comment = event_text_property (icomp, I_CAL_COMMENT_PROPERTY);
		g_autofree gchar *id = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_ID);
		g_autofree gchar *record = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_RECORD_URL);
		g_autofree gchar *modified = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_LAST_MODIFIED);
		g_autofree gchar *state = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_SYNC_STATE);
		ICalProperty *url = i_cal_component_get_first_property (icomp, I_CAL_URL_PROPERTY);

		g_assert_cmpstr (i_cal_component_get_summary (icomp), ==, "Booked demo");
		g_assert_cmpstr (dtstart, ==, "DTSTART:20270412T090000Z");
		g_assert_cmpstr (dtend, ==, "DTEND:20270412T093000Z");
		g_assert_cmpstr (description, ==, "Booked via the page\nBring & share questions");
		g_assert_cmpstr (i_cal_component_get_location (icomp), ==, "https://meet.example.com/booked");
		g_assert_cmpstr (comment, ==, "Prepare slides");
		g_assert_false (e_cal_util_component_has_property (icomp, I_CAL_STATUS_PROPERTY));
		g_assert_nonnull (url);
		g_assert_cmpstr (i_cal_property_get_url (url), ==, record_url);
		g_object_unref (url);
		g_assert_cmpstr (id, ==, meeting_id);
		g_assert_cmpstr (record, ==, record_url);
		g_assert_cmpstr (modified, ==, meeting_property (stored, "hs_lastmodifieddate"));
		g_assert_cmpstr (state, ==, "synced");
	}
	g_object_unref (icomp);

	/* Nothing went back to HubSpot. */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), NULL, "/meetings/calendar"), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", MEETING_PATH), ==, 0);
	/* ...nor in a batch (docs/design.md, "Batch calls") */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/batch/update"), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/crm/objects/2026-03/meetings") -
		hubspot_test_mock_count (hubspot_test_get_mock (), "POST", SEARCH_PATH), ==, 0);

	/* A local edit PATCHes the meeting it came from. */
	modify_summary (fixture, uid, "Booked demo, renamed here");
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 15000));
	hubspot_test_spin (300);
	patches = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "PATCH", MEETING_PATH);
	g_assert_cmpuint (json_array_get_length (patches), ==, 1);
	{
		JsonObject *patch = json_array_get_object_element (patches, 0);
		g_autofree gchar *path = g_strconcat (MEETING_PATH, meeting_id, NULL);

		g_assert_cmpstr (json_object_get_string_member (patch, "path"), ==, path);
		props = json_object_get_object_member (json_object_get_object_member (patch, "body"), "properties");
		g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_title"), ==, "Booked demo, renamed here");
		g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_start_time"), ==, "2027-04-12T09:00:00Z");
	}
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), NULL, "/meetings/calendar"), ==, 0);

	/* HubSpot's later change: after the next refresh, on the event, and
	 * not sent back. */
	hubspot_test_spin (50);
	change_in_hubspot (meeting_id, "{\"hs_meeting_title\": \"Booked demo (moved)\","
		"\"hs_meeting_start_time\": \"2027-04-13T14:00:00Z\", \"hs_meeting_end_time\": \"2027-04-13T15:00:00Z\"}");
	refresh (fixture);
	g_assert_true (wait_event (fixture, uid, "Booked demo (moved)"));
	g_clear_pointer (&stored, json_node_unref);
	stored = mock_meeting (meeting_id);
	icomp = hubspot_test_get_event (fixture->client, uid);
	{
		g_autofree gchar *dtstart = event_time (icomp, I_CAL_DTSTART_PROPERTY);
		g_autofree gchar *dtend = event_time (icomp, I_CAL_DTEND_PROPERTY);
		g_autofree gchar *modified = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_LAST_MODIFIED);

		g_assert_cmpstr (dtstart, ==, "DTSTART:20270413T140000Z");
		g_assert_cmpstr (dtend, ==, "DTEND:20270413T150000Z");
		g_autofree gchar *conflict = e_hubspot_mapping_dup_x_property (icomp, CONFLICT_PROP);

		g_assert_cmpstr (modified, ==, meeting_property (stored, "hs_lastmodifieddate"));
		/* Nothing waited here: no conflict. */
		g_assert_null (conflict);
	}
	g_object_unref (icomp);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", MEETING_PATH), ==, 1);
	g_assert_cmpuint (count_events (fixture), ==, 1);

	/* Archived in HubSpot: the search no longer lists it, a batch read
	 * says it is not found, the event goes; nothing is cancelled in
	 * return. */
	archive_in_hubspot (meeting_id);
	refresh (fixture);
	g_assert_true (wait_event (fixture, uid, ""));
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "GET", MEETING_PATH), ==, 0);
	reads = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", BATCH_READ_PATH);
	g_assert_cmpuint (json_array_get_length (reads), ==, 1);
	{
		g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		JsonObject *read = json_array_get_object_element (reads, 0);
		JsonObject *error = json_array_get_object_element (json_object_get_array_member (
			json_object_get_object_member (read, "response"), "errors"), 0);

		g_assert_cmpuint (batch_read_inputs (read, ids), ==, 1);
		g_assert_true (g_hash_table_contains (ids, meeting_id));
		g_assert_cmpint (json_object_get_int_member (read, "status"), ==, 207);
		g_assert_cmpstr (json_object_get_string_member (error, "category"), ==, "OBJECT_NOT_FOUND");
	}
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", MEETING_PATH), ==, 1);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "DELETE", NULL), ==, 0);
	/* ...nor in a batch (docs/design.md, "Batch calls") */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/batch/update"), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/batch/archive"), ==, 0);
	g_assert_cmpuint (count_events (fixture), ==, 0);
}

static gboolean
meeting_read (gpointer user_data)
{
	return hubspot_test_mock_count (hubspot_test_get_mock (), "POST", BATCH_READ_PATH) > 0;
}

/* The calendar's own meetings come back in every search: recognised by
 * id, never a second event; one the search index does not list yet stays
 * (read by a batch read); one archived in HubSpot goes. */
static void
test_own_meetings (HubSpotTestFixture *fixture,
		   gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, "own@test", "Our own meeting", &meeting_id);
	g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(JsonArray) reads = NULL;

	refresh (fixture);
	g_assert_cmpuint (count_events (fixture), ==, 1);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 1);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", BATCH_READ_PATH), ==, 0);

	/* HubSpot's index has not caught up: the meeting is read, and stays. */
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"search_lag_ms\": 600000}");
	refresh (fixture);
	g_assert_true (hubspot_test_wait_until (meeting_read, NULL, 10000));
	reads = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", BATCH_READ_PATH);
	g_assert_cmpuint (json_array_get_length (reads), ==, 1);
	g_assert_cmpuint (batch_read_inputs (json_array_get_object_element (reads, 0), ids), ==, 1);
	g_assert_true (g_hash_table_contains (ids, meeting_id));
	g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (reads, 0), "status"), ==, 200);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "GET", MEETING_PATH), ==, 0);
	g_assert_true (wait_event (fixture, uid, "Our own meeting"));
	g_assert_cmpuint (count_events (fixture), ==, 1);

	/* Archived in HubSpot: a local event goes too. */
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"search_lag_ms\": 0}");
	archive_in_hubspot (meeting_id);
	refresh (fixture);
	g_assert_true (wait_event (fixture, uid, ""));
	g_assert_cmpuint (count_events (fixture), ==, 0);
	/* Removed by HubSpot, not by the user: nothing to cancel. */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", NULL), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "DELETE", NULL), ==, 0);
	/* ...nor in a batch (docs/design.md, "Batch calls") */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/batch/update"), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/batch/archive"), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 1);
}

/* A refresh while the create is on its way: HubSpot has the meeting, the
 * calendar does not know its id yet.  Neither a slow answer nor a lost
 * one (looked up later) makes a second event. */
static void
test_create_in_flight (HubSpotTestFixture *fixture,
		       gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uid = NULL;
	gboolean lost_answer = user_data == &late_lookups;
	guint searches;

	if (lost_answer)
		hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/faults",
			"{\"match\": \"/meetings/calendar\", \"kind\": \"drop-after-create\"}");
	else
		hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"delay_ms\": 2500}");

	uid = hubspot_test_create_event (fixture->client,
		"BEGIN:VEVENT\r\nUID:flight@test\r\nSUMMARY:In flight\r\n"
		"DTSTART:20270420T080000Z\r\nDTEND:20270420T090000Z\r\nEND:VEVENT\r\n", &error);
	g_assert_no_error (error);

	/* HubSpot has the meeting (the mock stores it at once). */
	for (guint ii = 0; ii < 500 && hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings") < 1; ii++)
		hubspot_test_spin (20);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 1);

	searches = hubspot_test_mock_count (hubspot_test_get_mock (), "POST", SEARCH_PATH);
	e_client_refresh_sync (E_CLIENT (fixture->client), NULL, &error);
	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_until (search_seen, GUINT_TO_POINTER (searches + 1), 15000));

	/* The search found it before the calendar knew its id. */
	{
		g_autoptr(JsonArray) found = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", SEARCH_PATH);
		JsonObject *answer = json_object_get_object_member (json_array_get_object_element (found,
			json_array_get_length (found) - 1), "response");
		g_autofree gchar *state = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_SYNC_STATE);

		g_assert_cmpint (json_object_get_int_member (answer, "total"), ==, 1);
		if (lost_answer)
			g_assert_cmpstr (state, ==, "pending");
	}

	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));
	hubspot_test_spin (500);
	g_assert_cmpuint (count_events (fixture), ==, 1);

	/* And a refresh after the write-back still finds the event its own. */
	refresh (fixture);
	g_assert_cmpuint (count_events (fixture), ==, 1);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 1);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 1);
}

static void
add_patch_fault (const gchar *meeting_id)
{
	g_autofree gchar *fault = g_strdup_printf (
		"{\"match\": \"" MEETING_PATH "%s\", \"method\": \"PATCH\", \"status\": 503, \"count\": -1}", meeting_id);

	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/faults", fault);
}

static gboolean
patch_failed (gpointer user_data)
{
	g_autoptr(JsonArray) patches = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "PATCH", MEETING_PATH);
	guint ii;

	for (ii = 0; ii < json_array_get_length (patches); ii++) {
		if (json_object_get_int_member (json_array_get_object_element (patches, ii), "status") == 503)
			return TRUE;
	}

	return FALSE;
}

/* The titles of the PATCHes HubSpot took. */
static GPtrArray *
applied_patch_titles (void)
{
	g_autoptr(JsonArray) patches = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "PATCH", MEETING_PATH);
	GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);
	guint ii;

	for (ii = 0; ii < json_array_get_length (patches); ii++) {
		JsonObject *patch = json_array_get_object_element (patches, ii);
		JsonObject *props;

		if (json_object_get_int_member (patch, "status") != 200)
			continue;
		props = json_object_get_object_member (json_object_get_object_member (patch, "body"), "properties");
		g_ptr_array_add (titles, g_strdup (json_object_get_string_member (props, "hs_meeting_title")));
	}

	return titles;
}

/* Changed here (the PATCH cannot go out), then in HubSpot: HubSpot's
 * newer change wins; the local values stay on the event; the waiting
 * PATCH never overwrites HubSpot's values. */
static void
test_conflict_hubspot_wins (HubSpotTestFixture *fixture,
			    gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, "conflict-1@test", "Planning", &meeting_id);
	g_autofree gchar *conflict = NULL;
	g_autofree gchar *description = NULL;
	g_autoptr(GPtrArray) titles = NULL;
	g_autoptr(JsonNode) stored = NULL;
	guint ii;

	add_patch_fault (meeting_id);
	modify_summary (fixture, uid, "Planning, local title");
	g_assert_true (hubspot_test_wait_until (patch_failed, NULL, 15000));

	/* LAST-MODIFIED has whole seconds: HubSpot's change comes a second later. */
	hubspot_test_spin (1100);
	change_in_hubspot (meeting_id, "{\"hs_meeting_title\": \"Planning, HubSpot's title\"}");
	refresh (fixture);
	g_assert_true (wait_event (fixture, uid, "Planning, HubSpot's title"));

	conflict = hubspot_test_dup_event_property (fixture->client, uid, CONFLICT_PROP);
	g_test_message ("conflict: %s", conflict);
	g_assert_nonnull (conflict);
	g_assert_true (g_str_has_prefix (conflict, "HubSpot’s change ("));
	g_assert_nonnull (strstr (conflict, "; lost: title “Planning, local title”, start 2027-04-15T08:00:00Z, "
		"end 2027-04-15T09:00:00Z, location “Room 1”"));
	{
		ICalComponent *icomp = hubspot_test_get_event (fixture->client, uid);

		description = event_text_property (icomp, I_CAL_DESCRIPTION_PROPERTY);
		g_object_unref (icomp);
	}
	g_assert_nonnull (description);
	g_assert_true (g_str_has_prefix (description, "Sync conflict: "));
	g_assert_cmpstr (description + strlen ("Sync conflict: "), ==, conflict);

	/* HubSpot comes back: what goes out is HubSpot's winning title. */
	{
		g_autoptr(JsonNode) cleared = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", "/__mock/faults", NULL);
	}
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 30000));
	hubspot_test_spin (300);

	titles = applied_patch_titles ();
	g_assert_cmpuint (titles->len, >=, 1);
	for (ii = 0; ii < titles->len; ii++)
		g_assert_cmpstr (g_ptr_array_index (titles, ii), ==, "Planning, HubSpot's title");
	stored = mock_meeting (meeting_id);
	g_assert_cmpstr (meeting_property (stored, "hs_meeting_title"), ==, "Planning, HubSpot's title");
	g_assert_cmpuint (count_events (fixture), ==, 1);
}

/* Changed in HubSpot, then here (the PATCH cannot go out yet): the local
 * change is newer and wins; HubSpot's values stay on the event. */
static void
test_conflict_local_wins (HubSpotTestFixture *fixture,
			  gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, "conflict-2@test", "Review", &meeting_id);
	g_autofree gchar *conflict = NULL;
	g_autoptr(GPtrArray) titles = NULL;
	g_autoptr(JsonNode) stored = NULL;

	change_in_hubspot (meeting_id, "{\"hs_meeting_title\": \"Review, HubSpot's title\", \"hs_meeting_location\": \"Room 9\"}");
	hubspot_test_spin (1100);
	add_patch_fault (meeting_id);
	modify_summary (fixture, uid, "Review, local title");
	g_assert_true (hubspot_test_wait_until (patch_failed, NULL, 15000));

	refresh (fixture);
	g_assert_true (wait_event (fixture, uid, "Review, local title"));
	conflict = hubspot_test_dup_event_property (fixture->client, uid, CONFLICT_PROP);
	g_test_message ("conflict: %s", conflict);
	g_assert_nonnull (conflict);
	g_assert_true (g_str_has_prefix (conflict, "This calendar’s change ("));
	g_assert_nonnull (strstr (conflict, "; lost: title “Review, HubSpot's title”, start 2027-04-15T08:00:00Z, "
		"end 2027-04-15T09:00:00Z, location “Room 9”"));

	{
		g_autoptr(JsonNode) cleared = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", "/__mock/faults", NULL);
	}
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 30000));
	hubspot_test_spin (300);

	/* The local values reach HubSpot, with the note of what they replaced. */
	titles = applied_patch_titles ();
	g_assert_cmpuint (titles->len, >=, 1);
	g_assert_cmpstr (g_ptr_array_index (titles, titles->len - 1), ==, "Review, local title");
	stored = mock_meeting (meeting_id);
	g_assert_cmpstr (meeting_property (stored, "hs_meeting_title"), ==, "Review, local title");
	g_assert_cmpstr (meeting_property (stored, "hs_meeting_location"), ==, "Room 1");
	g_assert_nonnull (strstr (meeting_property (stored, "hs_meeting_body"), "Sync conflict: This calendar’s change"));

	/* Settled: the next refresh changes nothing. */
	{
		ICalComponent *before = hubspot_test_get_event (fixture->client, uid);
		ICalComponent *after;
		g_autofree gchar *before_text = i_cal_component_as_ical_string (before);
		g_autofree gchar *after_text = NULL;

		refresh (fixture);
		after = hubspot_test_get_event (fixture->client, uid);
		after_text = i_cal_component_as_ical_string (after);
		g_assert_cmpstr (after_text, ==, before_text);
		g_object_unref (before);
		g_object_unref (after);
	}
}

/* Other owners' meetings never show; neither do cancelled ones nobody
 * here knew. */
static void
test_other_owners (HubSpotTestFixture *fixture,
		   gconstpointer user_data)
{
	g_autofree gchar *ours = book ("{\"hs_meeting_title\": \"Ours\", \"hs_meeting_start_time\": \"2027-04-12T09:00:00Z\","
		"\"hs_meeting_end_time\": \"2027-04-12T10:00:00Z\", \"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\"}");
	g_autofree gchar *theirs = book ("{\"hs_meeting_title\": \"A colleague's\", \"hs_meeting_start_time\": \"2027-04-12T09:00:00Z\","
		"\"hs_meeting_end_time\": \"2027-04-12T10:00:00Z\", \"hubspot_owner_id\": \"75000002\"}");
	g_autofree gchar *cancelled = book ("{\"hs_meeting_title\": \"Cancelled before we saw it\","
		"\"hs_meeting_start_time\": \"2027-04-12T11:00:00Z\", \"hs_meeting_end_time\": \"2027-04-12T12:00:00Z\","
		"\"hs_meeting_outcome\": \"CANCELED\", \"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\"}");
	g_autofree gchar *outside = book ("{\"hs_meeting_title\": \"Next year\", \"hs_meeting_start_time\": \"2028-04-12T09:00:00Z\","
		"\"hs_meeting_end_time\": \"2028-04-12T10:00:00Z\", \"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\"}");
	g_autofree gchar *our_uid = g_strconcat ("hubspot-meeting-", ours, NULL);
	g_autofree gchar *their_uid = g_strconcat ("hubspot-meeting-", theirs, NULL);
	ICalComponent *icomp;

	refresh (fixture);
	g_assert_true (wait_event (fixture, our_uid, "Ours"));
	icomp = hubspot_test_get_event (fixture->client, their_uid);
	g_assert_null (icomp);
	g_assert_cmpuint (count_events (fixture), ==, 1);
	/* Neither imported nor otherwise touched. */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "GET", MEETING_PATH), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", NULL), ==, 0);
	/* ...nor in a batch (docs/design.md, "Batch calls") */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/batch/update"), ==, 0);
}

/* More than one page of meetings: the second page is asked with the
 * first's cursor, and every meeting becomes an event. */
static void
test_paging (HubSpotTestFixture *fixture,
	     gconstpointer user_data)
{
	g_autoptr(JsonArray) searches = NULL;
	const guint n = 205;
	guint ii;

	for (ii = 0; ii < n; ii++) {
		g_autofree gchar *props = g_strdup_printf (
			"{\"hs_meeting_title\": \"Booked %03u\", \"hs_meeting_start_time\": \"2027-05-%02uT%02u:00:00Z\","
			"\"hs_meeting_end_time\": \"2027-05-%02uT%02u:30:00Z\", \"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\"}",
			ii, 1 + ii / 10, 8 + ii % 10, 1 + ii / 10, 8 + ii % 10);
		g_autofree gchar *id = book (props);
	}

	refresh (fixture);
	for (ii = 0; ii < 100 && count_events (fixture) < n; ii++)
		hubspot_test_spin (100);
	g_assert_cmpuint (count_events (fixture), ==, n);

	searches = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", SEARCH_PATH);
	g_assert_cmpuint (json_array_get_length (searches), ==, 2);
	assert_search_body (json_array_get_object_element (searches, 0), NULL);
	assert_search_body (json_array_get_object_element (searches, 1), "200");
	g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
		json_array_get_object_element (searches, 1), "response"), "total"), ==, n);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "GET", MEETING_PATH), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 0);
}

/* The search's index lags behind 150 of the calendar's meetings: they
 * are read in two batch reads, not one by one; a change made in HubSpot
 * shows, an archive removes its event, the others stay as they were. */
static void
test_index_lag (HubSpotTestFixture *fixture,
		gconstpointer user_data)
{
	g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) reads = NULL;
	g_autofree gchar *changed_id = NULL;
	g_autofree gchar *archived_id = NULL;
	GSList *objects = NULL, *uids = NULL;
	const guint n = 150;
	guint ii, inputs = 0;

	/* Ended (they go in batch creates), inside the window's 30 past days. */
	for (ii = n; ii > 0; ii--) {
		g_autofree gchar *text = g_strdup_printf (
			"BEGIN:VEVENT\r\nUID:lag-%03u@test\r\nSUMMARY:Lag %03u\r\n"
			"DTSTART:20270320T%02u%02u00Z\r\nDURATION:PT30M\r\nEND:VEVENT\r\n",
			ii - 1, ii - 1, 8 + (ii - 1) / 60, (ii - 1) % 60);

		objects = g_slist_prepend (objects, i_cal_component_new_from_string (text));
	}
	e_cal_client_create_objects_sync (fixture->client, objects, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error);
	g_assert_no_error (error);
	g_slist_free_full (objects, g_object_unref);
	g_slist_free_full (uids, g_free);
	g_assert_true (hubspot_test_wait_synced_count (fixture->client, n, 60000));

	changed_id = hubspot_test_dup_event_property (fixture->client, "lag-007@test", E_HUBSPOT_PROP_MEETING_ID);
	archived_id = hubspot_test_dup_event_property (fixture->client, "lag-120@test", E_HUBSPOT_PROP_MEETING_ID);
	g_assert_nonnull (changed_id);
	g_assert_nonnull (archived_id);
	change_in_hubspot (changed_id, "{\"hs_meeting_title\": \"Lag 007, renamed in HubSpot\"}");
	archive_in_hubspot (archived_id);

	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"search_lag_ms\": 600000}");
	refresh (fixture);
	g_assert_true (wait_event (fixture, "lag-007@test", "Lag 007, renamed in HubSpot"));
	g_assert_true (wait_event (fixture, "lag-120@test", ""));
	g_assert_cmpuint (count_events (fixture), ==, n - 1);
	g_assert_true (wait_event (fixture, "lag-006@test", "Lag 006"));
	g_assert_true (wait_event (fixture, "lag-149@test", "Lag 149"));

	reads = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", BATCH_READ_PATH);
	g_assert_cmpuint (json_array_get_length (reads), ==, 2);
	for (ii = 0; ii < json_array_get_length (reads); ii++) {
		g_autoptr(GHashTable) read_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		JsonObject *read = json_array_get_object_element (reads, ii);
		guint n_inputs = batch_read_inputs (read, read_ids);
		GHashTableIter iter;
		gpointer id;

		g_assert_cmpuint (n_inputs, <=, 100);
		inputs += n_inputs;
		/* The archived one: a 207 naming it. */
		g_assert_cmpint (json_object_get_int_member (read, "status"), ==,
			g_hash_table_contains (read_ids, archived_id) ? 207 : 200);
		g_hash_table_iter_init (&iter, read_ids);
		while (g_hash_table_iter_next (&iter, &id, NULL))
			g_hash_table_add (ids, g_strdup (id));
	}
	g_assert_cmpuint (inputs, ==, n);
	g_assert_cmpuint (g_hash_table_size (ids), ==, n);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "GET", MEETING_PATH), ==, 0);
	/* Nothing sent back: no PATCH, no cancel. */
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "PATCH", NULL), ==, 0);
	g_assert_cmpuint (hubspot_test_mock_count (hubspot_test_get_mock (), "DELETE", NULL), ==, 0);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	hubspot_test_add ("/twoway/booked-meeting", &twoway, test_booked_meeting);
	hubspot_test_add ("/twoway/own-meetings", &twoway, test_own_meetings);
	hubspot_test_add ("/twoway/create-in-flight/slow-answer", &twoway, test_create_in_flight);
	hubspot_test_add ("/twoway/create-in-flight/lost-answer", &late_lookups, test_create_in_flight);
	hubspot_test_add ("/twoway/conflict/hubspot-wins", &twoway, test_conflict_hubspot_wins);
	hubspot_test_add ("/twoway/conflict/local-wins", &twoway, test_conflict_local_wins);
	hubspot_test_add ("/twoway/other-owners", &twoway, test_other_owners);
	hubspot_test_add ("/twoway/paging", &twoway, test_paging);
	hubspot_test_add ("/twoway/index-lag", &twoway, test_index_lag);

	return hubspot_test_run ();
}
