/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A meeting's life after its creation (docs/design.md, "Rules of the outbox"), on the private bus:
 * the exact PATCH of a modified event, STATUS:CANCELLED, archiving on
 * removal, and a meeting deleted in HubSpot meanwhile. */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "hubspot-test-fixture.h"

static const HubSpotTestOptions lifecycle = { .settings = { HUBSPOT_TEST_ADDED_SETTINGS } };
static const HubSpotTestOptions archive_on_remove = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, "archive-on-remove", "true" },
};

/* The body of the last request with this method whose path holds part;
 * NULL when there is none. */
static JsonObject *
last_request (const gchar *method,
	      const gchar *path_part,
	      JsonArray **out_keep)
{
	JsonArray *matching = hubspot_test_mock_requests_by (hubspot_test_get_mock (), method, path_part);
	guint length = json_array_get_length (matching);

	*out_keep = matching;

	return length ? json_array_get_object_element (matching, length - 1) : NULL;
}

static JsonObject *
wait_request (const gchar *method,
	      const gchar *path_part,
	      JsonArray **out_keep)
{
	JsonObject *found = NULL;
	guint ii;

	for (ii = 0; ii < 200; ii++) {
		found = last_request (method, path_part, out_keep);
		if (found)
			return found;
		g_clear_pointer (out_keep, json_array_unref);
		hubspot_test_spin (100);
	}
	g_error ("no %s request to %s", method, path_part);
	return NULL;
}

static gchar *
create_synced (HubSpotTestFixture *fixture,
	       const gchar *text,
	       gchar **out_meeting_id)
{
	g_autoptr(GError) error = NULL;
	gchar *uid = hubspot_test_create_event (fixture->client, text, &error);

	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));
	*out_meeting_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);
	g_assert_nonnull (*out_meeting_id);

	return uid;
}

static void
modify (HubSpotTestFixture *fixture,
	ICalComponent *icomp)
{
	g_autoptr(GError) error = NULL;

	e_cal_client_modify_object_sync (fixture->client, icomp, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
}

#define MEETING_EVENT \
	"BEGIN:VEVENT\r\nUID:life@test\r\nSUMMARY:Planning\r\n" \
	"DTSTART;TZID=Europe/Paris:20270412T090000\r\nDTEND;TZID=Europe/Paris:20270412T100000\r\n" \
	"DESCRIPTION:Agenda\r\nLOCATION:Room 1\r\nEND:VEVENT\r\n"

/* A moved, renamed event PATCHes exactly what changed into the meeting:
 * the CRM object API, every mapped property, never a second create. */
static void
test_modify_patches (HubSpotTestFixture *fixture,
		     gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, MEETING_EVENT, &meeting_id);
	g_autofree gchar *path = g_strconcat ("/crm/objects/2026-03/meetings/", meeting_id, NULL);
	g_autoptr(JsonArray) keep = NULL;
	ICalComponent *icomp = hubspot_test_get_event (fixture->client, uid);
	ICalTime *start = i_cal_time_new_from_string ("20270413T140000");
	ICalTime *end = i_cal_time_new_from_string ("20270413T153000");
	JsonObject *request, *props;

	i_cal_time_set_timezone (start, i_cal_timezone_get_builtin_timezone ("Europe/Paris"));
	i_cal_time_set_timezone (end, i_cal_timezone_get_builtin_timezone ("Europe/Paris"));
	i_cal_component_set_dtstart (icomp, start);
	i_cal_component_set_dtend (icomp, end);
	i_cal_component_set_summary (icomp, "Planning (moved)");
	i_cal_component_set_location (icomp, "tel:+33123456789");
	modify (fixture, icomp);
	g_object_unref (icomp);
	g_object_unref (start);
	g_object_unref (end);

	request = wait_request ("PATCH", path, &keep);
	g_assert_cmpstr (json_object_get_string_member (request, "path"), ==, path);
	props = json_object_get_object_member (json_object_get_object_member (request, "body"), "properties");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_title"), ==, "Planning (moved)");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_start_time"), ==, "2027-04-13T12:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_timestamp"), ==, "2027-04-13T12:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_end_time"), ==, "2027-04-13T13:30:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_location"), ==, "tel:+33123456789");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_location_type"), ==, "PHONE");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_outcome"), ==, "SCHEDULED");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_body"), ==, "Agenda");
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "creates"), ==, 1);
}

/* STATUS:CANCELLED: the meeting's outcome becomes CANCELED, kept. */
static void
test_status_cancelled (HubSpotTestFixture *fixture,
		       gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, MEETING_EVENT, &meeting_id);
	g_autofree gchar *path = g_strconcat ("/crm/objects/2026-03/meetings/", meeting_id, NULL);
	g_autofree gchar *mock_path = g_strconcat ("/__mock/meetings/", meeting_id, NULL);
	g_autoptr(JsonArray) keep = NULL;
	g_autoptr(JsonNode) meeting = NULL;
	ICalComponent *icomp = hubspot_test_get_event (fixture->client, uid);
	JsonObject *request;

	i_cal_component_set_status (icomp, I_CAL_STATUS_CANCELLED);
	modify (fixture, icomp);
	g_object_unref (icomp);

	request = wait_request ("PATCH", path, &keep);
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
		json_object_get_object_member (request, "body"), "properties"), "hs_meeting_outcome"), ==, "CANCELED");
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));

	meeting = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", mock_path, NULL);
	g_assert_false (json_object_get_boolean_member_with_default (json_node_get_object (meeting), "archived", FALSE));
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "creates"), ==, 1);
}

/* ArchiveOnRemove: a removed event's meeting is archived (DELETE). */
static void
test_archive_on_remove (HubSpotTestFixture *fixture,
			gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, MEETING_EVENT, &meeting_id);
	g_autofree gchar *path = g_strconcat ("/crm/objects/2026-03/meetings/", meeting_id, NULL);
	g_autoptr(JsonArray) keep = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *request;
	guint ii;

	e_cal_client_remove_object_sync (fixture->client, uid, NULL, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);

	request = wait_request ("DELETE", path, &keep);
	g_assert_cmpstr (json_object_get_string_member (request, "path"), ==, path);
	for (ii = 0; ii < 100 && hubspot_test_mock_stat (hubspot_test_get_mock (), "archived_meetings") != 1; ii++)
		hubspot_test_spin (100);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "archived_meetings"), ==, 1);
	g_assert_null (last_request ("PATCH", path, &keep));
}

/* The meeting was deleted in HubSpot: the edit's PATCH gets 404, the
 * event says so, and no meeting is made behind the user's back. */
static void
test_patch_gone (HubSpotTestFixture *fixture,
		 gconstpointer user_data)
{
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *uid = create_synced (fixture, MEETING_EVENT, &meeting_id);
	g_autofree gchar *mock_path = g_strconcat ("/__mock/meetings/", meeting_id, "?purge=true", NULL);
	g_autofree gchar *error_text = NULL;
	g_autoptr(JsonNode) gone = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", mock_path, NULL);
	ICalComponent *icomp = hubspot_test_get_event (fixture->client, uid);

	i_cal_component_set_summary (icomp, "Edited after deletion");
	modify (fixture, icomp);
	g_object_unref (icomp);

	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "failed", 20000));
	error_text = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_ERROR);
	g_assert_nonnull (error_text);
	g_assert_nonnull (strstr (error_text, "correlation id"));
	hubspot_test_spin (1500);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "creates"), ==, 1);
	g_assert_cmpint (hubspot_test_mock_stat (hubspot_test_get_mock (), "meetings"), ==, 0);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	hubspot_test_add ("/lifecycle/modify-patches", &lifecycle, test_modify_patches);
	hubspot_test_add ("/lifecycle/status-cancelled", &lifecycle, test_status_cancelled);
	hubspot_test_add ("/lifecycle/archive-on-remove", &archive_on_remove, test_archive_on_remove);
	hubspot_test_add ("/lifecycle/patch-gone", &lifecycle, test_patch_gone);

	return hubspot_test_run ();
}
