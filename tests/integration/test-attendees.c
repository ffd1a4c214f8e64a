/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Attendees become HubSpot owners and contacts, and past events are
 * logged, on the private bus through ECalClient (docs/design.md, "Attendees"): every test
 * checks the exact requests the mock received. */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

#define CONTACT_TYPE "{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200}"
#define COMPANY_TYPE "{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 188}"

static const HubSpotTestOptions attendees = { .settings = { HUBSPOT_TEST_ADDED_SETTINGS } };
static const HubSpotTestOptions create_contacts = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, "create-contacts", "true" },
};
static const HubSpotTestOptions associate_companies = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, "associate-companies", "true" },
};

/* Helpers */

static gchar *
add_contact (const gchar *email,
	     const gchar *company_id)
{
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) answer = NULL;

	if (company_id)
		body = g_strdup_printf ("{\"email\": \"%s\", \"company_ids\": [\"%s\"]}", email, company_id);
	else
		body = g_strdup_printf ("{\"email\": \"%s\"}", email);
	answer = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/contacts", body);

	return g_strdup (json_object_get_string_member (json_node_get_object (answer), "id"));
}

static gchar *
add_company (const gchar *name)
{
	g_autofree gchar *body = g_strdup_printf ("{\"name\": \"%s\"}", name);
	g_autoptr(JsonNode) answer = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/companies", body);

	return g_strdup (json_object_get_string_member (json_node_get_object (answer), "id"));
}

static JsonNode *
parse_json (const gchar *text)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;

	json_parser_load_from_data (parser, text, -1, &error);
	g_assert_no_error (error);

	return json_node_copy (json_parser_get_root (parser));
}

/* Same JSON, member order aside; both shown when not. */
static void
assert_json (JsonNode *actual,
	     const gchar *expected_text)
{
	g_autoptr(JsonNode) expected = parse_json (expected_text);

	if (!actual || !json_node_equal (actual, expected)) {
		g_autofree gchar *got = actual ? json_to_string (actual, TRUE) : g_strdup ("(null)");
		g_autofree gchar *want = json_to_string (expected, TRUE);

		g_error ("JSON differs.\nexpected: %s\ngot: %s", want, got);
	}
}

/* Every API request so far (logged) but the two-way refresh's searches,
 * which come when the calendar opens. */
static JsonArray *
all_requests (void)
{
	g_autoptr(JsonArray) everything = hubspot_test_mock_requests (hubspot_test_get_mock (), NULL);
	JsonArray *requests = json_array_new ();
	guint ii;

	for (ii = 0; ii < json_array_get_length (everything); ii++) {
		JsonObject *request = json_array_get_object_element (everything, ii);
		const gchar *path = json_object_get_string_member (request, "path");

		g_test_message ("%s %s -> %" G_GINT64_FORMAT, json_object_get_string_member (request, "method"),
			path, json_object_get_int_member (request, "status"));
		if (!g_str_has_suffix (path, "/meetings/search"))
			json_array_add_element (requests, json_node_copy (json_array_get_element (everything, ii)));
	}

	return requests;
}

/* The requests with this method whose path ends with path_end. */
static JsonArray *
requests_to (JsonArray *requests,
	     const gchar *method,
	     const gchar *path_end)
{
	JsonArray *matching = json_array_new ();
	guint ii;

	for (ii = 0; ii < json_array_get_length (requests); ii++) {
		JsonObject *request = json_array_get_object_element (requests, ii);

		if (g_str_equal (json_object_get_string_member (request, "method"), method) &&
		    g_str_has_suffix (json_object_get_string_member (request, "path"), path_end))
			json_array_add_element (matching, json_node_copy (json_array_get_element (requests, ii)));
	}

	return matching;
}

static JsonNode *
request_body (JsonArray *requests,
	      guint index)
{
	return json_object_get_member (json_array_get_object_element (requests, index), "body");
}

/* The owners list is read once, one page. */
static void
assert_owners_read_once (JsonArray *requests)
{
	g_autoptr(JsonArray) owners = requests_to (requests, "GET", "/crm/owners/2026-03");
	JsonObject *query;

	g_assert_cmpuint (json_array_get_length (owners), ==, 1);
	query = json_object_get_object_member (json_array_get_object_element (owners, 0), "query");
	g_assert_cmpstr (json_object_get_string_member (query, "limit"), ==, "100");
	g_assert_false (json_object_has_member (query, "after"));
}

static gchar *
event_text (const gchar *uid,
	    const gchar *summary,
	    const gchar *start,
	    const gchar *end,
	    const gchar *extra_lines)
{
	return g_strdup_printf (
		"BEGIN:VEVENT\r\nUID:%s\r\nSUMMARY:%s\r\n"
		"DTSTART:%s\r\nDTEND:%s\r\n%sEND:VEVENT\r\n", uid, summary, start, end, extra_lines);
}

static gchar *
create_event (HubSpotTestFixture *fixture,
	      const gchar *uid,
	      const gchar *summary,
	      const gchar *attendee_lines)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = event_text (uid, summary, "20270412T090000Z", "20270412T100000Z", attendee_lines);
	gchar *created = hubspot_test_create_event (fixture->client, text, &error);

	g_assert_no_error (error);

	return created;
}

/* The scheduler's create body of a 2027-04-12 09:00-10:00 UTC event. */
static gchar *
expected_create (const gchar *summary,
		 const gchar *owner_ids,
		 const gchar *associations)
{
	g_autofree gchar *owners = owner_ids ? g_strdup_printf (", \"hs_attendee_owner_ids\": %s", owner_ids) : g_strdup ("");

	return g_strdup_printf (
		"{\"associations\": %s,"
		" \"emailReminderSchedule\": {\"reminders\": [], \"shouldIncludeInviteDescription\": false},"
		" \"properties\": {\"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\", \"hs_meeting_title\": \"%s\","
		"   \"hs_meeting_start_time\": \"2027-04-12T09:00:00Z\", \"hs_meeting_end_time\": \"2027-04-12T10:00:00Z\","
		"   \"hs_timestamp\": \"2027-04-12T09:00:00Z\", \"hs_meeting_outcome\": \"SCHEDULED\"%s},"
		" \"timezone\": \"Europe/Paris\"}", associations, summary, owners);
}

static gchar *
contact_association (const gchar *id)
{
	return g_strdup_printf ("{\"to\": {\"id\": \"%s\"}, \"types\": [" CONTACT_TYPE "]}", id);
}

/* The v4 batch create associating the meeting with one contact. */
static gchar *
expected_link (const gchar *meeting_id,
	       const gchar *contact_id)
{
	return g_strdup_printf ("{\"inputs\": [{\"from\": {\"id\": \"%s\"}, \"to\": {\"id\": \"%s\"}, \"types\": [" CONTACT_TYPE "]}]}",
		meeting_id, contact_id);
}

static void
assert_one_create (JsonArray *requests,
		   const gchar *expected)
{
	g_autoptr(JsonArray) creates = requests_to (requests, "POST", "/meetings/calendar");

	g_assert_cmpuint (json_array_get_length (creates), ==, 1);
	assert_json (request_body (creates, 0), expected);
}

static void
assert_contacts_read (JsonArray *requests,
		      guint index,
		      const gchar *inputs)
{
	g_autoptr(JsonArray) reads = requests_to (requests, "POST", "/crm/objects/2026-03/contacts/batch/read");
	g_autofree gchar *expected = g_strdup_printf (
		"{\"idProperty\": \"email\", \"inputs\": %s, \"properties\": [\"email\"]}", inputs);

	g_assert_cmpuint (json_array_get_length (reads), >, index);
	assert_json (request_body (reads, index), expected);
}

static guint
count_to (JsonArray *requests,
	  const gchar *method,
	  const gchar *path_end)
{
	g_autoptr(JsonArray) matching = requests_to (requests, method, path_end);

	return json_array_get_length (matching);
}

static void
wait_synced (HubSpotTestFixture *fixture,
	     const gchar *uid)
{
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 20000));
}

/* The associations the mock's meeting has now. */
static JsonNode *
mock_meeting_associations (const gchar *meeting_id)
{
	g_autofree gchar *path = g_strconcat ("/__mock/meetings/", meeting_id, NULL);
	g_autoptr(JsonNode) meeting = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", path, NULL);

	return json_node_copy (json_object_get_member (json_node_get_object (meeting), "associations"));
}

/* The event got synced after n_requests requests, among them one contacts
 * read (Ada alone) and one create with these owners and Ada (ada_id)
 * associated. */
static void
assert_synced_with_ada (HubSpotTestFixture *fixture,
			const gchar *uid,
			const gchar *summary,
			const gchar *owner_ids,
			const gchar *ada_id,
			guint n_requests)
{
	g_autofree gchar *association = contact_association (ada_id);
	g_autofree gchar *associations = g_strdup_printf ("[%s]", association);
	g_autofree gchar *expected = expected_create (summary, owner_ids, associations);
	g_autoptr(JsonArray) requests = NULL;

	wait_synced (fixture, uid);
	requests = all_requests ();
	g_assert_cmpuint (json_array_get_length (requests), ==, n_requests);
	assert_contacts_read (requests, 0, "[{\"id\": \"ada@example.org\"}]");
	assert_one_create (requests, expected);
}

/* Tests */

/* A contact's e-mail becomes an association of type 200. */
static void
test_contact (HubSpotTestFixture *fixture,
	      gconstpointer user_data)
{
	g_autofree gchar *ada = add_contact ("ada@example.org", NULL);
	g_autofree gchar *uid = create_event (fixture, "contact@test", "With Ada",
		"ATTENDEE;CN=Ada Lovelace;PARTSTAT=ACCEPTED:mailto:ADA@example.org\r\n");
	g_autofree gchar *association = contact_association (ada);
	g_autofree gchar *associations = g_strdup_printf ("[%s]", association);
	g_autofree gchar *meeting_id = NULL;
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonNode) linked = NULL;

	assert_synced_with_ada (fixture, uid, "With Ada", NULL, ada, 3);
	requests = all_requests ();
	assert_owners_read_once (requests);

	meeting_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);
	linked = mock_meeting_associations (meeting_id);
	assert_json (linked, associations);
}

/* An owner's e-mail goes to hs_attendee_owner_ids: no contact lookup. */
static void
test_owner (HubSpotTestFixture *fixture,
	    gconstpointer user_data)
{
	g_autofree gchar *uid = create_event (fixture, "owner@test", "With a colleague",
		"ATTENDEE;CN=Colleague:mailto:Colleague@Example.com\r\n");
	g_autofree gchar *expected = expected_create ("With a colleague", "[\"75000002\"]", "[]");
	g_autoptr(JsonArray) requests = NULL;

	wait_synced (fixture, uid);
	requests = all_requests ();
	g_assert_cmpuint (json_array_get_length (requests), ==, 2);
	assert_owners_read_once (requests);
	assert_one_create (requests, expected);
}

/* The calendar's own user (its Email setting) is neither owner nor
 * contact: nothing is looked up. */
static void
test_own_user (HubSpotTestFixture *fixture,
	       gconstpointer user_data)
{
	g_autofree gchar *uid = create_event (fixture, "self@test", "Only me",
		"ORGANIZER;CN=Me:mailto:" HUBSPOT_TEST_OWNER_EMAIL "\r\n"
		"ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:MAILTO:Owner@Example.com\r\n");
	g_autofree gchar *expected = expected_create ("Only me", NULL, "[]");
	g_autoptr(JsonArray) requests = NULL;

	wait_synced (fixture, uid);
	requests = all_requests ();
	g_assert_cmpuint (json_array_get_length (requests), ==, 1);
	assert_one_create (requests, expected);
}

/* Attendees without an e-mail, rooms and resources are skipped. */
static void
test_no_email (HubSpotTestFixture *fixture,
	       gconstpointer user_data)
{
	g_autofree gchar *ada = add_contact ("ada@example.org", NULL);
	g_autofree gchar *uid = create_event (fixture, "no-email@test", "Some without e-mail",
		"ATTENDEE;CN=Somebody:urn:uuid:4f1c1c3e-7a0e-4d1c-9a41-0d2c6a1a8b01\r\n"
		"ATTENDEE;CUTYPE=ROOM;CN=Big room:mailto:room@example.org\r\n"
		"ATTENDEE;CUTYPE=RESOURCE:mailto:projector@example.org\r\n"
		"ATTENDEE;CN=Phone only:tel:+33123456789\r\n"
		"ATTENDEE;CN=Ada:mailto:ada@example.org\r\n");

	assert_synced_with_ada (fixture, uid, "Some without e-mail", NULL, ada, 3);
}

/* The same person several times (any case): looked up and associated once. */
static void
test_duplicates (HubSpotTestFixture *fixture,
		 gconstpointer user_data)
{
	g_autofree gchar *ada = add_contact ("ada@example.org", NULL);
	g_autofree gchar *uid = create_event (fixture, "dup@test", "Twice the same",
		"ATTENDEE;CN=Ada:Mailto:Ada@Example.org\r\n"
		"ATTENDEE:mailto:ada@example.org\r\n"
		"ATTENDEE;CN=Ada Lovelace:MAILTO:ADA@EXAMPLE.ORG\r\n"
		"ATTENDEE:mailto:colleague@example.com\r\n"
		"ATTENDEE;CN=Colleague:mailto:Colleague@example.com\r\n");

	assert_synced_with_ada (fixture, uid, "Twice the same", "[\"75000002\"]", ada, 3);
}

/* 250 attendees: three batch reads (100, 100, 50), each e-mail once, and
 * every one associated. */
static void
test_batching (HubSpotTestFixture *fixture,
	       gconstpointer user_data)
{
	g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) associated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GString) lines = g_string_new (NULL);
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) reads = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autofree gchar *uid = NULL;
	JsonArray *associations;
	const guint n = 250;
	guint ii, jj, sizes[3];

	for (ii = 0; ii < n; ii++) {
		g_autofree gchar *email = g_strdup_printf ("guest%03u@example.org", ii);

		g_hash_table_insert (ids, g_strdup (email), add_contact (email, NULL));
		g_string_append_printf (lines, "ATTENDEE;CN=Guest %u:mailto:%s\r\n", ii, email);
	}

	uid = create_event (fixture, "many@test", "Town hall", lines->str);
	g_assert_true (hubspot_test_wait_state (fixture->client, uid, "synced", 30000));

	requests = all_requests ();
	reads = requests_to (requests, "POST", "/crm/objects/2026-03/contacts/batch/read");
	g_assert_cmpuint (json_array_get_length (reads), ==, 3);
	for (ii = 0; ii < 3; ii++) {
		JsonObject *body = json_node_get_object (request_body (reads, ii));
		JsonArray *inputs = json_object_get_array_member (body, "inputs");

		g_assert_cmpstr (json_object_get_string_member (body, "idProperty"), ==, "email");
		sizes[ii] = json_array_get_length (inputs);
		for (jj = 0; jj < sizes[ii]; jj++) {
			const gchar *email = json_object_get_string_member (json_array_get_object_element (inputs, jj), "id");

			g_assert_true (g_hash_table_contains (ids, email));
			g_assert_false (g_hash_table_contains (asked, email));
			g_hash_table_add (asked, g_strdup (email));
		}
	}
	g_assert_cmpuint (sizes[0] + sizes[1] + sizes[2], ==, n);
	g_assert_cmpuint (MAX (sizes[0], MAX (sizes[1], sizes[2])), ==, 100);
	g_assert_cmpuint (MIN (sizes[0], MIN (sizes[1], sizes[2])), ==, 50);

	creates = requests_to (requests, "POST", "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (creates), ==, 1);
	associations = json_object_get_array_member (json_node_get_object (request_body (creates, 0)), "associations");
	g_assert_cmpuint (json_array_get_length (associations), ==, n);
	for (ii = 0; ii < n; ii++) {
		JsonObject *association = json_array_get_object_element (associations, ii);
		g_autofree gchar *type = json_to_string (json_array_get_element (json_object_get_array_member (association, "types"), 0), FALSE);

		g_assert_nonnull (strstr (type, "200"));
		g_hash_table_add (associated, g_strdup (json_object_get_string_member (json_object_get_object_member (association, "to"), "id")));
	}
	{
		GHashTableIter iter;
		gpointer value;

		g_hash_table_iter_init (&iter, ids);
		while (g_hash_table_iter_next (&iter, NULL, &value))
			g_assert_true (g_hash_table_contains (associated, value));
	}
	g_assert_cmpuint (json_array_get_length (requests), ==, 1 + 3 + 1);
}

typedef struct {
	HubSpotTestFixture *fixture;
	const gchar *uid;
} EventWait;

static gboolean
event_has_meeting (gpointer user_data)
{
	EventWait *ew = user_data;
	g_autofree gchar *id = hubspot_test_dup_event_property (ew->fixture->client, ew->uid, E_HUBSPOT_PROP_MEETING_ID);

	return id != NULL;
}

static gchar *
read_status_file (HubSpotTestFixture *fixture)
{
	g_autofree gchar *path = g_build_filename (g_get_user_cache_dir (), "evolution", "calendar",
		e_source_get_uid (fixture->source), "hubspot-status.json", NULL);
	gchar *contents = NULL;

	g_file_get_contents (path, &contents, NULL, NULL);

	return contents;
}

static gboolean
status_shows_pending (gpointer user_data)
{
	g_autofree gchar *status = read_status_file (user_data);

	return status && strstr (status, "\"associations_pending\" : 1");
}

/* The contacts lookup fails: the meeting is created at once without the
 * association, the event says it is still pending, and the association
 * is added once the lookup works (v4 batch create). */
static void
test_lookup_fails (HubSpotTestFixture *fixture,
		   gconstpointer user_data)
{
	g_autofree gchar *ada = add_contact ("ada@example.org", NULL);
	g_autofree gchar *uid = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *state = NULL;
	g_autofree gchar *link = NULL;
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) links = NULL;
	g_autoptr(JsonArray) reads = NULL;
	g_autoptr(JsonNode) linked = NULL;
	EventWait ew = { fixture, NULL };

	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/faults",
		"{\"match\": \"/contacts/batch/read\", \"status\": 503, \"count\": 3}");
	uid = create_event (fixture, "lookup-fails@test", "Directory down", "ATTENDEE;CN=Ada:mailto:ada@example.org\r\n");
	ew.uid = uid;

	/* The meeting exists, the association not yet: pending. */
	g_assert_true (hubspot_test_wait_until (event_has_meeting, &ew, 15000));
	state = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_SYNC_STATE);
	g_assert_cmpstr (state, ==, "pending");
	g_assert_true (hubspot_test_wait_until (status_shows_pending, fixture, 3000));
	requests = all_requests ();
	g_assert_cmpuint (count_to (requests, "POST", "/associations/meetings/contacts/batch/create"), ==, 0);
	expected = expected_create ("Directory down", NULL, "[]");
	assert_one_create (requests, expected);
	g_clear_pointer (&requests, json_array_unref);

	wait_synced (fixture, uid);
	requests = all_requests ();
	reads = requests_to (requests, "POST", "/crm/objects/2026-03/contacts/batch/read");
	g_assert_cmpuint (json_array_get_length (reads), ==, 4);
	g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (reads, 3), "status"), ==, 200);
	assert_contacts_read (requests, 3, "[{\"id\": \"ada@example.org\"}]");
	g_assert_cmpuint (count_to (requests, "POST", "/meetings/calendar"), ==, 1);

	meeting_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);
	links = requests_to (requests, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create");
	g_assert_cmpuint (json_array_get_length (links), ==, 1);
	link = expected_link (meeting_id, ada);
	assert_json (request_body (links, 0), link);

	linked = mock_meeting_associations (meeting_id);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (linked)), ==, 1);
}

/* CreateContacts off: an unknown e-mail is looked up, never created. */
static void
test_create_contacts_off (HubSpotTestFixture *fixture,
			  gconstpointer user_data)
{
	g_autofree gchar *uid = create_event (fixture, "unknown@test", "A stranger",
		"ATTENDEE;CN=Grace Hopper:mailto:grace@example.org\r\n");
	g_autofree gchar *expected = expected_create ("A stranger", NULL, "[]");
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonNode) contacts = NULL;

	wait_synced (fixture, uid);
	requests = all_requests ();
	g_assert_cmpuint (json_array_get_length (requests), ==, 3);
	assert_contacts_read (requests, 0, "[{\"id\": \"grace@example.org\"}]");
	g_assert_cmpuint (count_to (requests, "POST", "/crm/objects/2026-03/contacts"), ==, 0);
	assert_one_create (requests, expected);
	contacts = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/contacts", NULL);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (contacts)), ==, 0);
}

/* CreateContacts turned on while the calendar is open (Evolution's
 * properties page): the running backend takes it for the next event, no
 * restart (docs/design.md, "Settings and secrets"). */
static void
test_create_contacts_live (HubSpotTestFixture *fixture,
			   gconstpointer user_data)
{
	g_autofree gchar *before = create_event (fixture, "before@test", "Before the change",
		"ATTENDEE;CN=Grace Hopper:mailto:grace@example.org\r\n");
	g_autofree gchar *after = NULL;
	g_autoptr(JsonArray) requests = NULL;

	wait_synced (fixture, before);
	requests = all_requests ();
	g_assert_cmpuint (count_to (requests, "POST", "/crm/objects/2026-03/contacts"), ==, 0);
	g_clear_pointer (&requests, json_array_unref);

	hubspot_test_configure (fixture->source, "create-contacts", TRUE, NULL);
	/* The registry hands the change to the factory asynchronously. */
	hubspot_test_spin (2000);

	after = create_event (fixture, "after@test", "After the change",
		"ATTENDEE;CN=Ada Lovelace:mailto:ada@example.org\r\n");
	wait_synced (fixture, after);
	requests = all_requests ();
	g_assert_cmpuint (count_to (requests, "POST", "/crm/objects/2026-03/contacts"), ==, 1);
}

/* CreateContacts on: the missing ones are created with their names from
 * CN, and associated. */
static void
test_create_contacts_on (HubSpotTestFixture *fixture,
			 gconstpointer user_data)
{
	static const struct {
		const gchar *email;
		const gchar *body;
	} expected_creates[] = {
		{ "grace@example.org", "{\"properties\": {\"email\": \"grace@example.org\", \"firstname\": \"Grace\", \"lastname\": \"Hopper\"}}" },
		{ "ada@example.org", "{\"properties\": {\"email\": \"ada@example.org\", \"firstname\": \"Ada\", \"lastname\": \"Lovelace\"}}" },
		{ "nocn@example.org", "{\"properties\": {\"email\": \"nocn@example.org\"}}" }
	};
	g_autofree gchar *known = add_contact ("known@example.org", NULL);
	g_autofree gchar *uid = create_event (fixture, "strangers@test", "Strangers",
		"ATTENDEE;CN=Grace Hopper:mailto:grace@example.org\r\n"
		"ATTENDEE;CN=\"Lovelace, Ada\":mailto:Ada@example.org\r\n"
		"ATTENDEE:mailto:nocn@example.org\r\n"
		"ATTENDEE;CN=Known Person:mailto:known@example.org\r\n");
	g_autoptr(GHashTable) created_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autoptr(GString) associations = g_string_new ("[");
	g_autofree gchar *association = contact_association (known);
	g_autofree gchar *expected = NULL;
	guint ii, jj;

	wait_synced (fixture, uid);
	requests = all_requests ();
	assert_contacts_read (requests, 0,
		"[{\"id\": \"grace@example.org\"}, {\"id\": \"ada@example.org\"}, {\"id\": \"nocn@example.org\"}, {\"id\": \"known@example.org\"}]");

	creates = requests_to (requests, "POST", "/crm/objects/2026-03/contacts");
	g_assert_cmpuint (json_array_get_length (creates), ==, 3);
	for (ii = 0; ii < 3; ii++) {
		JsonObject *request = json_array_get_object_element (creates, ii);
		JsonObject *properties = json_object_get_object_member (json_object_get_object_member (request, "body"), "properties");
		const gchar *email = json_object_get_string_member (properties, "email");
		gboolean found = FALSE;

		g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 201);
		for (jj = 0; jj < G_N_ELEMENTS (expected_creates); jj++) {
			if (g_str_equal (email, expected_creates[jj].email)) {
				assert_json (json_object_get_member (request, "body"), expected_creates[jj].body);
				found = TRUE;
			}
		}
		g_assert_true (found);
		g_hash_table_insert (created_ids, g_strdup (email),
			g_strdup (json_object_get_string_member (json_object_get_object_member (request, "response"), "id")));
	}

	/* In the event's order: the created ones, then the known one. */
	for (ii = 0; ii < G_N_ELEMENTS (expected_creates); ii++) {
		g_autofree gchar *one = contact_association (g_hash_table_lookup (created_ids, expected_creates[ii].email));

		g_string_append_printf (associations, "%s, ", one);
	}
	g_string_append_printf (associations, "%s]", association);
	expected = expected_create ("Strangers", NULL, associations->str);
	assert_one_create (requests, expected);
	g_assert_cmpuint (json_array_get_length (requests), ==, 1 + 1 + 3 + 1);
}

/* Two calendars create the same contact at once: HubSpot creates it for
 * one, and answers the other 409 "Existing ID": that id is taken. */
static void
test_create_contacts_conflict (HubSpotTestFixture *fixture,
			       gconstpointer user_data)
{
	ESource *other_source = hubspot_test_create_calendar (hubspot_test_get_registry (),
		hubspot_test_mock_get_url (hubspot_test_get_mock ()), "Europe/Paris");
	ECalClient *other_client = NULL;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *other_uid = NULL;
	g_autofree gchar *text = event_text ("race-2@test", "Race", "20270412T090000Z", "20270412T100000Z",
		"ATTENDEE;CN=Grace Hopper:mailto:grace@example.org\r\n");
	g_autofree gchar *contact_id = NULL;
	g_autofree gchar *association = NULL;
	g_autofree gchar *associations = NULL;
	g_autofree gchar *expected = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) creates = NULL;
	g_autoptr(JsonArray) meetings = NULL;
	g_autoptr(JsonNode) contacts = NULL;
	guint ii, conflicts = 0;

	hubspot_test_configure (other_source, "lookup-delay", 1, "portal-id", "4242", "ui-domain", "app.hubspot.com",
		"create-contacts", TRUE, NULL);
	other_client = hubspot_test_connect (other_source, HUBSPOT_TEST_TOKEN);

	/* Late answers: both look Grace up before either creates her. */
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"delay_ms\": 400}");
	uid = create_event (fixture, "race-1@test", "Race", "ATTENDEE;CN=Grace Hopper:mailto:grace@example.org\r\n");
	other_uid = hubspot_test_create_event (other_client, text, &error);
	g_assert_no_error (error);

	wait_synced (fixture, uid);
	g_assert_true (hubspot_test_wait_state (other_client, other_uid, "synced", 20000));
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/config", "{\"delay_ms\": 0}");

	contacts = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/contacts", NULL);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (contacts)), ==, 1);
	contact_id = g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (contacts), 0), "id"));

	requests = all_requests ();
	creates = requests_to (requests, "POST", "/crm/objects/2026-03/contacts");
	g_assert_cmpuint (json_array_get_length (creates), ==, 2);
	for (ii = 0; ii < 2; ii++) {
		JsonObject *request = json_array_get_object_element (creates, ii);

		assert_json (json_object_get_member (request, "body"),
			"{\"properties\": {\"email\": \"grace@example.org\", \"firstname\": \"Grace\", \"lastname\": \"Hopper\"}}");
		if (json_object_get_int_member (request, "status") == 409)
			conflicts++;
		else
			g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 201);
	}
	g_assert_cmpuint (conflicts, ==, 1);

	/* Both meetings have her, created at once with the association. */
	association = contact_association (contact_id);
	associations = g_strdup_printf ("[%s]", association);
	expected = expected_create ("Race", NULL, associations);
	meetings = requests_to (requests, "POST", "/meetings/calendar");
	g_assert_cmpuint (json_array_get_length (meetings), ==, 2);
	assert_json (request_body (meetings, 0), expected);
	assert_json (request_body (meetings, 1), expected);

	g_object_unref (other_client);
	hubspot_test_remove_calendar (hubspot_test_get_registry (), other_source);
}

/* AssociateCompanies on: the contacts' companies are associated (188). */
static void
test_companies (HubSpotTestFixture *fixture,
		gconstpointer user_data)
{
	g_autofree gchar *company = add_company ("Analytical Engines Ltd");
	g_autofree gchar *ada = add_contact ("ada@example.org", company);
	g_autofree gchar *uid = create_event (fixture, "companies@test", "With the company",
		"ATTENDEE;CN=Ada:mailto:ada@example.org\r\n");
	g_autofree gchar *read = g_strdup_printf ("{\"inputs\": [{\"id\": \"%s\"}]}", ada);
	g_autofree gchar *associations = g_strdup_printf (
		"[{\"to\": {\"id\": \"%s\"}, \"types\": [" CONTACT_TYPE "]},"
		" {\"to\": {\"id\": \"%s\"}, \"types\": [" COMPANY_TYPE "]}]", ada, company);
	g_autofree gchar *expected = expected_create ("With the company", NULL, associations);
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) company_reads = NULL;

	wait_synced (fixture, uid);
	requests = all_requests ();
	g_assert_cmpuint (json_array_get_length (requests), ==, 4);
	assert_contacts_read (requests, 0, "[{\"id\": \"ada@example.org\"}]");
	company_reads = requests_to (requests, "POST", "/crm/associations/2026-03/contacts/companies/batch/read");
	g_assert_cmpuint (json_array_get_length (company_reads), ==, 1);
	assert_json (request_body (company_reads, 0), read);
	assert_one_create (requests, expected);
}

/* An event that had ended is logged: the CRM create, outcome COMPLETED,
 * no reminders nor time zone, owners as a CRM string. */
static void
test_past_event (HubSpotTestFixture *fixture,
		 gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *ada = add_contact ("ada@example.org", NULL);
	g_autofree gchar *text = event_text ("past@test", "Last year's review", "20250310T090000Z", "20250310T100000Z",
		"ATTENDEE;CN=Ada:mailto:ada@example.org\r\n"
		"ATTENDEE;CN=Colleague:mailto:colleague@example.com\r\n"
		"BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT15M\r\nSUMMARY:Soon\r\nDESCRIPTION:Soon\r\n"
		"ATTENDEE:mailto:owner@example.com\r\nEND:VALARM\r\n");
	g_autofree gchar *uid = hubspot_test_create_event (fixture->client, text, &error);
	/* Logged through the CRM's batch create, the one input of its batch */
	g_autofree gchar *expected = g_strdup_printf (
		"{\"inputs\": [{\"properties\": {\"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\", \"hs_meeting_title\": \"Last year's review\","
		"   \"hs_meeting_start_time\": \"2025-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2025-03-10T10:00:00Z\","
		"   \"hs_timestamp\": \"2025-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"COMPLETED\","
		"   \"hs_attendee_owner_ids\": \"75000002\"},"
		" \"associations\": [{\"to\": {\"id\": \"%s\"}, \"types\": [" CONTACT_TYPE "]}],"
		" \"objectWriteTraceId\": \"0\"}]}", ada);
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *record_url = NULL;
	g_autofree gchar *expected_url = NULL;
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) logged = NULL;
	JsonObject *request;

	g_assert_no_error (error);
	wait_synced (fixture, uid);
	requests = all_requests ();
	g_assert_cmpuint (count_to (requests, "POST", "/meetings/calendar"), ==, 0);
	logged = requests_to (requests, "POST", "/crm/objects/2026-03/meetings/batch/create");
	g_assert_cmpuint (json_array_get_length (logged), ==, 1);
	request = json_array_get_object_element (logged, 0);
	g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 201);
	assert_json (json_object_get_member (request, "body"), expected);
	g_assert_cmpuint (json_array_get_length (requests), ==, 3);

	/* Written back like any create. */
	meeting_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);
	g_assert_cmpstr (meeting_id, ==, json_object_get_string_member (json_array_get_object_element (
		json_object_get_array_member (json_object_get_object_member (request, "response"), "results"), 0), "id"));
	record_url = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_RECORD_URL);
	expected_url = g_strdup_printf ("https://app.hubspot.com/contacts/4242/record/0-47/%s", meeting_id);
	g_assert_cmpstr (record_url, ==, expected_url);
}

static gboolean
has_association_create (gpointer user_data)
{
	g_autoptr(JsonArray) links = hubspot_test_mock_requests (hubspot_test_get_mock (), "/crm/associations/2026-03/meetings/contacts/batch/create");

	return json_array_get_length (links) > 0;
}

/* A modified event with one more attendee: PATCHed, and the new contact
 * (only it) associated through the v4 batch create. */
static void
test_patch_adds (HubSpotTestFixture *fixture,
		 gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *ada = add_contact ("ada@example.org", NULL);
	g_autofree gchar *grace = add_contact ("grace@example.org", NULL);
	g_autofree gchar *uid = create_event (fixture, "patch@test", "Growing", "ATTENDEE;CN=Ada:mailto:ada@example.org\r\n");
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *patch_path = NULL;
	g_autofree gchar *link = NULL;
	g_autoptr(JsonArray) requests = NULL;
	g_autoptr(JsonArray) patches = NULL;
	g_autoptr(JsonArray) links = NULL;
	g_autoptr(JsonNode) linked = NULL;
	ICalComponent *icomp;
	ICalProperty *attendee;

	wait_synced (fixture, uid);
	meeting_id = hubspot_test_dup_event_property (fixture->client, uid, E_HUBSPOT_PROP_MEETING_ID);
	json_node_unref (hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", "/__mock/requests", NULL));

	icomp = hubspot_test_get_event (fixture->client, uid);
	g_assert_nonnull (icomp);
	attendee = i_cal_property_new_attendee ("mailto:grace@example.org");
	i_cal_property_set_parameter_from_string (attendee, "CN", "Grace Hopper");
	i_cal_component_take_property (icomp, attendee);
	i_cal_component_set_summary (icomp, "Growing, with Grace");
	e_cal_client_modify_object_sync (fixture->client, icomp, E_CAL_OBJ_MOD_ALL, E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_assert_no_error (error);
	g_object_unref (icomp);

	g_assert_true (hubspot_test_wait_until (has_association_create, NULL, 15000));
	wait_synced (fixture, uid);

	requests = all_requests ();
	g_assert_cmpuint (json_array_get_length (requests), ==, 3);
	/* Ada is known still (ten minutes): only Grace is looked up. */
	assert_contacts_read (requests, 0, "[{\"id\": \"grace@example.org\"}]");
	patch_path = g_strconcat ("/crm/objects/2026-03/meetings/", meeting_id, NULL);
	patches = requests_to (requests, "PATCH", patch_path);
	g_assert_cmpuint (json_array_get_length (patches), ==, 1);
	assert_json (request_body (patches, 0),
		"{\"properties\": {\"hubspot_owner_id\": \"" HUBSPOT_TEST_OWNER_ID "\", \"hs_meeting_title\": \"Growing, with Grace\","
		"   \"hs_meeting_start_time\": \"2027-04-12T09:00:00Z\", \"hs_meeting_end_time\": \"2027-04-12T10:00:00Z\","
		"   \"hs_timestamp\": \"2027-04-12T09:00:00Z\", \"hs_meeting_outcome\": \"SCHEDULED\"}}");
	links = requests_to (requests, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create");
	g_assert_cmpuint (json_array_get_length (links), ==, 1);
	link = expected_link (meeting_id, grace);
	assert_json (request_body (links, 0), link);

	linked = mock_meeting_associations (meeting_id);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (linked)), ==, 2);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	hubspot_test_add ("/attendees/contact", &attendees, test_contact);
	hubspot_test_add ("/attendees/owner", &attendees, test_owner);
	hubspot_test_add ("/attendees/own-user", &attendees, test_own_user);
	hubspot_test_add ("/attendees/no-email", &attendees, test_no_email);
	hubspot_test_add ("/attendees/duplicates", &attendees, test_duplicates);
	hubspot_test_add ("/attendees/batching-250", &attendees, test_batching);
	hubspot_test_add ("/attendees/lookup-fails", &attendees, test_lookup_fails);
	hubspot_test_add ("/attendees/create-contacts-off", &attendees, test_create_contacts_off);
	hubspot_test_add ("/attendees/create-contacts-on", &create_contacts, test_create_contacts_on);
	hubspot_test_add ("/attendees/create-contacts-live", &attendees, test_create_contacts_live);
	hubspot_test_add ("/attendees/create-contacts-conflict", &create_contacts,
		test_create_contacts_conflict);
	hubspot_test_add ("/attendees/associate-companies", &associate_companies, test_companies);
	hubspot_test_add ("/attendees/past-event", &attendees, test_past_event);
	hubspot_test_add ("/attendees/patch-adds", &attendees, test_patch_adds);

	return hubspot_test_run ();
}
