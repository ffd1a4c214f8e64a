/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The backend end to end, on a private bus: the real registry and
 * calendar factory with our module, ECalClient, and the mock HubSpot. */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

static const HubSpotTestOptions new_york = { .timezone = "America/New_York" };

static JsonObject *
only_create_request (JsonArray *creates)
{
	g_assert_cmpuint (json_array_get_length (creates), ==, 1);

	return json_array_get_object_element (creates, 0);
}

#define TIMED_EVENT \
	"BEGIN:VEVENT\r\n" \
	"UID:%s\r\n" \
	"SUMMARY:Quarterly review with ACME\r\n" \
	"DTSTART;TZID=Europe/Paris:20270310T090000\r\n" \
	"DTEND;TZID=Europe/Paris:20270310T100000\r\n" \
	"DESCRIPTION:Agenda:\\n1. numbers\\n2. <plans>\r\n" \
	"LOCATION:https://meet.example.com/acme\r\n" \
	"%s" \
	"END:VEVENT\r\n"

typedef struct {
	guint modified_with_id;
} ViewData;

static void
view_objects_modified_cb (ECalClientView *view,
			  const GSList *objects,
			  gpointer user_data)
{
	ViewData *vd = user_data;
	const GSList *link;

	for (link = objects; link; link = link->next) {
		g_autofree gchar *id = e_hubspot_mapping_dup_x_property (link->data, E_HUBSPOT_PROP_MEETING_ID);

		if (id)
			vd->modified_with_id++;
	}
}

static gboolean
view_saw_write_back (gpointer user_data)
{
	return ((ViewData *) user_data)->modified_with_id > 0;
}

static gboolean
source_has_portal (gpointer user_data)
{
	ESourceHubSpot *extension = e_source_get_extension (user_data, E_SOURCE_EXTENSION_HUBSPOT);
	g_autofree gchar *portal_id = e_source_hubspot_dup_portal_id (extension);
	g_autofree gchar *ui_domain = e_source_hubspot_dup_ui_domain (extension);

	return g_strcmp0 (portal_id, "4242") == 0 && g_strcmp0 (ui_domain, "app.hubspot.com") == 0;
}

/* The create returns at once; HubSpot answers 2 s later; the write-back
 * reaches an open view and the event read back. */
static void
test_create_write_back (HubSpotTestFixture *fixture,
			gconstpointer user_data)
{
	g_autoptr(JsonNode) config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST",
		"/__mock/config", "{\"delay_ms\": 2000}");
	g_autoptr(ECalClientView) view = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autofree gchar *ical = g_strdup_printf (TIMED_EVENT, "writeback-1@test", "");
	g_autofree gchar *uid = NULL;
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *record_url = NULL;
	g_autofree gchar *expected_url = NULL;
	ViewData vd = { 0 };
	ICalComponent *icomp;
	ICalProperty *url;
	JsonObject *request, *body, *props, *query, *response;
	gint64 started, elapsed_ms;

	e_cal_client_get_view_sync (fixture->client, "#t", &view, NULL, &error);
	g_assert_no_error (error);
	g_signal_connect (view, "objects-modified", G_CALLBACK (view_objects_modified_cb), &vd);
	e_cal_client_view_start (view, &error);
	g_assert_no_error (error);

	started = g_get_monotonic_time ();
	uid = hubspot_test_create_event (fixture->client, ical, &error);
	elapsed_ms = (g_get_monotonic_time () - started) / 1000;
	g_assert_no_error (error);
	g_assert_cmpstr (uid, ==, "writeback-1@test");
	g_test_message ("create returned after %" G_GINT64_FORMAT " ms; HubSpot answers after 2000 ms", elapsed_ms);
	g_assert_cmpint (elapsed_ms, <, 1000);

	/* Right after the create: stored and pending, no id yet. */
	{
		g_autofree gchar *state = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_SYNC_STATE);
		g_autofree gchar *early_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);

		g_assert_cmpstr (state, ==, "pending");
		g_assert_null (early_id);
	}

	g_assert_true (hubspot_test_wait_until (view_saw_write_back, &vd, 15000));
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 5000));

	icomp = hubspot_test_get_event (fixture->client, uid);
	g_assert_nonnull (icomp);
	meeting_id = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_ID);
	record_url = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_RECORD_URL);
	g_assert_nonnull (meeting_id);
	expected_url = g_strdup_printf ("https://app.hubspot.com/contacts/4242/record/0-47/%s", meeting_id);
	g_assert_cmpstr (record_url, ==, expected_url);
	url = i_cal_component_get_first_property (icomp, I_CAL_URL_PROPERTY);
	g_assert_nonnull (url);
	g_assert_cmpstr (i_cal_property_get_url (url), ==, expected_url);
	g_object_unref (url);
	g_object_unref (icomp);

	/* Exactly one create, valid, with the calendar's owner and UTC times. */
	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	request = only_create_request (creates);
	g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 200);
	query = json_object_get_object_member (request, "query");
	g_assert_cmpstr (json_object_get_string_member (query, "organizerUserId"), ==, HUBSPOT_TEST_USER_ID);
	body = json_object_get_object_member (request, "body");
	props = json_object_get_object_member (body, "properties");
	g_assert_cmpstr (json_object_get_string_member (props, "hubspot_owner_id"), ==, HUBSPOT_TEST_OWNER_ID);
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_title"), ==, "Quarterly review with ACME");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_start_time"), ==, "2027-03-10T08:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_timestamp"), ==, "2027-03-10T08:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_end_time"), ==, "2027-03-10T09:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_outcome"), ==, "SCHEDULED");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_location_type"), ==, "CUSTOM");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_body"), ==,
		"Agenda:<br>1. numbers<br>2. &lt;plans&gt;");
	g_assert_cmpstr (json_object_get_string_member (body, "timezone"), ==, "Europe/Paris");
	response = json_object_get_object_member (request, "response");
	g_assert_cmpstr (json_object_get_string_member (response, "id"), ==, meeting_id);

	/* The account details were asked once and kept on the calendar. */
	g_assert_true (hubspot_test_wait_until (source_has_portal, fixture->source, 5000));
	g_clear_pointer (&creates, json_array_unref);
	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/account-info/");
	g_assert_cmpuint (json_array_get_length (creates), ==, 1);
}

/* HubSpot's own link goes to URL; a user's URL stays. */
static void
test_external_url (HubSpotTestFixture *fixture,
		   gconstpointer user_data)
{
	g_autoptr(JsonNode) config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST",
		"/__mock/config", "{\"external_url\": true}");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *plain = g_strdup_printf (TIMED_EVENT, "ext-1@test", "");
	g_autofree gchar *with_url = g_strdup_printf (TIMED_EVENT, "ext-2@test", "URL:https://example.org/my-agenda\r\n");
	g_autofree gchar *uid1 = hubspot_test_create_event (fixture->client, plain, &error);
	g_autofree gchar *uid2 = hubspot_test_create_event (fixture->client, with_url, &error);
	g_autofree gchar *id1 = NULL;
	g_autofree gchar *link2 = NULL;
	g_autofree gchar *id2 = NULL;
	g_autofree gchar *expected = NULL;
	ICalComponent *icomp;
	ICalProperty *url;

	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (fixture->client, uid1, "synced", 15000));
	g_assert_true (hubspot_test_wait_state (fixture->client, uid2, "synced", 15000));

	icomp = hubspot_test_get_event (fixture->client, uid1);
	id1 = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_ID);
	expected = g_strdup_printf ("https://meet.example.com/mock/%s", id1);
	url = i_cal_component_get_first_property (icomp, I_CAL_URL_PROPERTY);
	g_assert_cmpstr (i_cal_property_get_url (url), ==, expected);
	g_object_unref (url);
	g_object_unref (icomp);

	icomp = hubspot_test_get_event (fixture->client, uid2);
	id2 = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_ID);
	link2 = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_URL);
	url = i_cal_component_get_first_property (icomp, I_CAL_URL_PROPERTY);
	g_assert_cmpstr (i_cal_property_get_url (url), ==, "https://example.org/my-agenda");
	g_clear_pointer (&expected, g_free);
	expected = g_strdup_printf ("https://meet.example.com/mock/%s", id2);
	g_assert_cmpstr (link2, ==, expected);
	g_object_unref (url);
	g_object_unref (icomp);
}

static void
assert_rejected_and_not_stored (HubSpotTestFixture *fixture,
				const gchar *ical,
				const gchar *uid,
				const gchar *message_part)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *created = hubspot_test_create_event (fixture->client, ical, &error);
	g_autoptr(JsonArray) creates = NULL;
	ICalComponent *icomp;

	g_assert_null (created);
	g_assert_error (error, E_CAL_CLIENT_ERROR, E_CAL_CLIENT_ERROR_INVALID_OBJECT);
	g_test_message ("the client was told: %s", error->message);
	g_assert_nonnull (strstr (error->message, message_part));

	icomp = hubspot_test_get_event (fixture->client, uid);
	g_assert_null (icomp);

	hubspot_test_spin (500);
	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 0);
}

static void
test_no_dtstart (HubSpotTestFixture *fixture,
		 gconstpointer user_data)
{
	assert_rejected_and_not_stored (fixture,
		"BEGIN:VEVENT\r\nUID:nostart@test\r\nSUMMARY:No start\r\nEND:VEVENT\r\n",
		"nostart@test", "start");
}

/* libical reads month 14 without complaint, and EDS's occurrence code
 * then runs for minutes over a repeating event that has it (the
 * ics-reader fuzz target's finding): refused before EDS stores it, a
 * start as a start, any other date by its name. */
static void
test_not_a_date (HubSpotTestFixture *fixture,
		 gconstpointer user_data)
{
	gint64 started = g_get_monotonic_time ();

	assert_rejected_and_not_stored (fixture,
		"BEGIN:VEVENT\r\nUID:month14@test\r\nSUMMARY:Month fourteen\r\n"
		"DTSTART:39941430T220000Z\r\nDTEND:19970715T230000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n",
		"month14@test", "start");
	assert_rejected_and_not_stored (fixture,
		"BEGIN:VEVENT\r\nUID:exdate14@test\r\nSUMMARY:Month fourteen\r\n"
		"DTSTART:20270101T090000Z\r\nDTEND:20270101T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"
		"EXDATE:20271402T090000Z\r\nEND:VEVENT\r\n",
		"exdate14@test", "EXDATE");
	g_test_message ("refused in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);
}

static void
test_end_before_start (HubSpotTestFixture *fixture,
		       gconstpointer user_data)
{
	assert_rejected_and_not_stored (fixture,
		"BEGIN:VEVENT\r\nUID:backwards@test\r\nSUMMARY:Backwards\r\n"
		"DTSTART:20270310T100000Z\r\nDTEND:20270310T090000Z\r\nEND:VEVENT\r\n",
		"backwards@test", "ends before");
}

/* An unknown TZID: the calendar's zone stands in. */
static void
test_unknown_tzid (HubSpotTestFixture *fixture,
		   gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autofree gchar *uid = hubspot_test_create_event (fixture->client,
		"BEGIN:VEVENT\r\nUID:mars@test\r\nSUMMARY:Base camp\r\n"
		"DTSTART;TZID=Mars/Olympus_Mons:20270615T140000\r\n"
		"DTEND;TZID=Mars/Olympus_Mons:20270615T150000\r\nEND:VEVENT\r\n", &error);
	JsonObject *body, *props;

	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 15000));

	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	body = json_object_get_object_member (only_create_request (creates), "body");
	props = json_object_get_object_member (body, "properties");
	/* The calendar is in America/New_York (EDT in June: UTC-4). */
	g_assert_cmpstr (json_object_get_string_member (body, "timezone"), ==, "America/New_York");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_start_time"), ==, "2027-06-15T18:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_end_time"), ==, "2027-06-15T19:00:00Z");
}

static void
backend_error_cb (EClient *client,
		  const gchar *message,
		  gpointer user_data)
{
	GPtrArray *messages = user_data;

	g_ptr_array_add (messages, g_strdup (message));
}

static gboolean
has_messages (gpointer user_data)
{
	return ((GPtrArray *) user_data)->len > 0;
}

/* HubSpot answers 400: the event stays, failed, with HubSpot's message and
 * correlation id, and the user is told. */
static void
test_http_400 (HubSpotTestFixture *fixture,
	       gconstpointer user_data)
{
	g_autoptr(JsonNode) fault = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/faults",
		"{\"match\": \"/meetings/calendar\", \"status\": 400, \"count\": 1}");
	g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autofree gchar *ical = g_strdup_printf (TIMED_EVENT, "bad-request@test", "");
	g_autofree gchar *uid = NULL;
	g_autofree gchar *stored_error = NULL;
	JsonObject *response;
	const gchar *correlation_id, *message;
	ICalComponent *icomp;

	g_signal_connect (fixture->client, "backend-error", G_CALLBACK (backend_error_cb), messages);

	uid = hubspot_test_create_event (fixture->client, ical, &error);
	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "failed", 15000));

	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	response = json_object_get_object_member (only_create_request (creates), "response");
	correlation_id = json_object_get_string_member (response, "correlationId");
	message = json_object_get_string_member (response, "message");
	g_assert_nonnull (correlation_id);

	icomp = hubspot_test_get_event (fixture->client, uid);
	g_assert_nonnull (icomp);
	g_assert_cmpstr (i_cal_component_get_summary (icomp), ==, "Quarterly review with ACME");
	stored_error = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_ERROR);
	g_object_unref (icomp);
	g_test_message ("stored error: %s", stored_error);
	g_assert_nonnull (strstr (stored_error, message));
	g_assert_nonnull (strstr (stored_error, correlation_id));

	g_assert_true (hubspot_test_wait_until (has_messages, messages, 5000));
	g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), correlation_id));

	/* Permanent: not retried. */
	hubspot_test_spin (1500);
	g_clear_pointer (&creates, json_array_unref);
	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 1);
}

static gboolean
reason_is_set (gpointer user_data)
{
	return *((ESourceCredentialsReason *) user_data) != E_SOURCE_CREDENTIALS_REASON_UNKNOWN;
}

/* No token: the calendar opens, asks for credentials the standard way,
 * keeps events, and sends them once the token arrives. */
static void
test_no_token (void)
{
	ESourceCredentialsReason reason = E_SOURCE_CREDENTIALS_REASON_UNKNOWN;
	g_autoptr(JsonNode) reset = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/reset", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autofree gchar *ical = g_strdup_printf (TIMED_EVENT, "no-token@test", "");
	g_autofree gchar *uid = NULL;
	ESource *source;
	ECalClient *client;

	source = hubspot_test_create_calendar (hubspot_test_get_registry (),
		hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL);
	g_signal_connect (source, "credentials-required", G_CALLBACK (hubspot_test_credentials_required_cb), &reason);

	client = hubspot_test_connect (source, NULL);
	g_assert_true (hubspot_test_wait_until (reason_is_set, &reason, 10000));
	g_assert_cmpint (reason, ==, E_SOURCE_CREDENTIALS_REASON_REQUIRED);

	uid = hubspot_test_create_event (client, ical, &error);
	g_assert_no_error (error);
	hubspot_test_spin (1000);
	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 0);
	g_assert_nonnull (hubspot_test_get_event (client, uid));

	hubspot_test_authenticate (source, HUBSPOT_TEST_TOKEN);
	g_assert_true (hubspot_test_wait_state (client, uid, "synced", 15000));

	g_clear_pointer (&creates, json_array_unref);
	creates = hubspot_test_mock_requests (hubspot_test_get_mock (), "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 1);

	g_object_unref (client);
	hubspot_test_remove_calendar (hubspot_test_get_registry (), source);
}

/* HubSpot unreachable: the event waits, pending, and goes out once the
 * service is back, without a restart. */
static void
test_mock_down (void)
{
	HubSpotTestMock *down = hubspot_test_mock_start (0, NULL);
	guint port = hubspot_test_mock_get_port (down);
	g_autofree gchar *url = g_strdup (hubspot_test_mock_get_url (down));
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autofree gchar *ical = g_strdup_printf (TIMED_EVENT, "offline@test", "");
	g_autofree gchar *uid = NULL;
	g_autofree gchar *state = NULL;
	ESource *source;
	ECalClient *client;

	hubspot_test_mock_stop (down);

	source = hubspot_test_create_calendar (hubspot_test_get_registry (), url, NULL);
	client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);

	uid = hubspot_test_create_event (client, ical, &error);
	g_assert_no_error (error);
	hubspot_test_spin (2000);
	state = hubspot_test_dup_event_property (client, uid, E_HUBSPOT_PROP_SYNC_STATE);
	g_assert_cmpstr (state, ==, "pending");

	down = hubspot_test_mock_start (port, NULL);
	g_assert_true (hubspot_test_wait_state (client, uid, "synced", 30000));
	creates = hubspot_test_mock_requests (down, "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 1);
	hubspot_test_mock_stop (down);

	g_object_unref (client);
	hubspot_test_remove_calendar (hubspot_test_get_registry (), source);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	hubspot_test_add ("/backend/create/write-back", NULL, test_create_write_back);
	hubspot_test_add ("/backend/create/external-url", NULL, test_external_url);
	hubspot_test_add ("/backend/invalid/no-dtstart", NULL, test_no_dtstart);
	hubspot_test_add ("/backend/invalid/end-before-start", NULL, test_end_before_start);
	hubspot_test_add ("/backend/invalid/not-a-date", NULL, test_not_a_date);
	hubspot_test_add ("/backend/unknown-tzid", &new_york, test_unknown_tzid);
	hubspot_test_add ("/backend/hubspot-400", NULL, test_http_400);
	g_test_add_func ("/backend/no-token", test_no_token);
	g_test_add_func ("/backend/hubspot-unreachable", test_mock_down);

	return hubspot_test_run ();
}
