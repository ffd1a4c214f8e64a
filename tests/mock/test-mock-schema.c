/* test-mock-schema.c: the mock's HubSpot schema checks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"

static const gchar *valid_create_body =
	"{"
	"  \"associations\": ["
	"    { \"to\": { \"id\": \"501\" },"
	"      \"types\": [ { \"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200 } ] }"
	"  ],"
	"  \"emailReminderSchedule\": {"
	"    \"reminders\": [ { \"numberOfTimeUnits\": 30, \"timeUnit\": \"MINUTES\" } ],"
	"    \"shouldIncludeInviteDescription\": false"
	"  },"
	"  \"properties\": {"
	"    \"hs_meeting_title\": \"Quarterly review\","
	"    \"hs_meeting_start_time\": \"2026-03-30T09:00:00Z\","
	"    \"hs_meeting_end_time\": \"2026-03-30T10:00:00.000Z\","
	"    \"hs_timestamp\": \"2026-03-30T09:00:00.000Z\","
	"    \"hs_meeting_outcome\": \"SCHEDULED\","
	"    \"hubspot_owner_id\": \"75000001\","
	"    \"hs_meeting_body\": \"<p>Agenda</p>\","
	"    \"hs_meeting_location\": \"https://meet.example.com/x\","
	"    \"hs_meeting_location_type\": \"CUSTOM\","
	"    \"hs_internal_meeting_notes\": \"notes\","
	"    \"hs_activity_type\": \"Sales call\","
	"    \"hs_attendee_owner_ids\": [ \"75000002\" ],"
	"    \"hs_attachment_ids\": []"
	"  },"
	"  \"timezone\": \"Europe/Paris\""
	"}";

static JsonNode *
parse (const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = json_from_string (text, &error);

	g_assert_no_error (error);
	g_assert_nonnull (node);

	return node;
}

static JsonNode *
valid_body (void)
{
	return parse (valid_create_body);
}

static JsonObject *
body_member (JsonNode *body,
	     const gchar *name)
{
	return json_object_get_object_member (json_node_get_object (body), name);
}

static JsonObject *
props (JsonNode *body)
{
	return body_member (body, "properties");
}

/* Asserts that @body fails with a message naming @expected_path, and that
 * collect lists a problem at @expected_path with @expected_code. */
static void
assert_create_fails (JsonNode *body,
		     const gchar *expected_path,
		     const gchar *expected_code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) problems = NULL;
	gboolean found = FALSE;
	guint ii;

	g_assert_false (e_hubspot_mock_schema_check_meeting_create (body, &error));
	g_assert_error (error, E_HUBSPOT_MOCK_SCHEMA_ERROR, E_HUBSPOT_MOCK_SCHEMA_ERROR_INVALID);
	if (!strstr (error->message, expected_path))
		g_error ("message \"%s\" does not name %s", error->message, expected_path);

	problems = e_hubspot_mock_schema_collect_meeting_create_problems (body);
	g_assert_nonnull (problems);

	for (ii = 0; ii < json_array_get_length (problems); ii++) {
		JsonObject *item = json_array_get_object_element (problems, ii);

		g_assert_true (json_object_has_member (item, "message"));
		g_assert_true (json_object_has_member (item, "in"));
		if (strstr (json_object_get_string_member (item, "message"), expected_path) &&
		    g_strcmp0 (json_object_get_string_member (item, "code"), expected_code) == 0)
			found = TRUE;
	}

	if (!found)
		g_error ("no %s problem naming %s in: %s", expected_code, expected_path, error->message);
}

static void
test_valid (void)
{
	g_autoptr(JsonNode) body = valid_body ();
	g_autoptr(GError) error = NULL;

	g_assert_true (e_hubspot_mock_schema_check_meeting_create (body, &error));
	g_assert_no_error (error);
	g_assert_null (e_hubspot_mock_schema_collect_meeting_create_problems (body));

	/* The minimum: empty arrays, UTC zone, only required properties */
	json_node_unref (body);
	body = parse ("{\"associations\":[],\"emailReminderSchedule\":{\"reminders\":[],"
		"\"shouldIncludeInviteDescription\":true},\"timezone\":\"UTC\",\"properties\":{"
		"\"hs_meeting_title\":\"x\",\"hs_meeting_start_time\":\"2026-01-01T00:00:00Z\","
		"\"hs_meeting_end_time\":\"2026-01-01T00:00:00Z\",\"hs_timestamp\":\"2026-01-01T00:00:00Z\","
		"\"hs_meeting_outcome\":\"CANCELED\",\"hubspot_owner_id\":\"1\"}}");
	g_assert_true (e_hubspot_mock_schema_check_meeting_create (body, &error));
	g_assert_no_error (error);
}

static void
test_not_object (void)
{
	g_autoptr(JsonNode) body = parse ("[1,2]");
	g_autoptr(GError) error = NULL;

	g_assert_false (e_hubspot_mock_schema_check_meeting_create (body, &error));
	g_assert_error (error, E_HUBSPOT_MOCK_SCHEMA_ERROR, E_HUBSPOT_MOCK_SCHEMA_ERROR_INVALID);
	g_clear_error (&error);

	g_assert_false (e_hubspot_mock_schema_check_meeting_create (NULL, &error));
	g_assert_error (error, E_HUBSPOT_MOCK_SCHEMA_ERROR, E_HUBSPOT_MOCK_SCHEMA_ERROR_INVALID);
}

static void
test_missing_top_level (void)
{
	const gchar *members[] = { "associations", "emailReminderSchedule", "properties", "timezone" };
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (members); ii++) {
		g_autoptr(JsonNode) body = valid_body ();

		json_object_remove_member (json_node_get_object (body), members[ii]);
		assert_create_fails (body, members[ii], "REQUIRED");
	}
}

static void
test_unknown_top_level (void)
{
	g_autoptr(JsonNode) body = valid_body ();

	json_object_set_string_member (json_node_get_object (body), "organizerUserId", "9100001");
	assert_create_fails (body, "organizerUserId", "UNKNOWN_FIELD");
}

static void
test_missing_property (void)
{
	const gchar *names[] = {
		"hs_meeting_title", "hs_meeting_start_time", "hs_meeting_end_time",
		"hs_timestamp", "hs_meeting_outcome", "hubspot_owner_id"
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (names); ii++) {
		g_autoptr(JsonNode) body = valid_body ();
		g_autofree gchar *path = g_strconcat ("properties.", names[ii], NULL);

		json_object_remove_member (props (body), names[ii]);
		assert_create_fails (body, path, "REQUIRED");
	}
}

static void
test_bad_enums (void)
{
	g_autoptr(JsonNode) body = valid_body ();

	/* Two Ls is the usual mistake */
	json_object_set_string_member (props (body), "hs_meeting_outcome", "CANCELLED");
	assert_create_fails (body, "properties.hs_meeting_outcome", "INVALID_ENUM");

	json_node_unref (body);
	body = valid_body ();
	json_object_set_string_member (props (body), "hs_meeting_location_type", "URL");
	assert_create_fails (body, "properties.hs_meeting_location_type", "INVALID_ENUM");
}

static void
test_epoch_time (void)
{
	g_autoptr(JsonNode) body = valid_body ();

	json_object_set_int_member (props (body), "hs_meeting_start_time", 1774861200);
	assert_create_fails (body, "properties.hs_meeting_start_time", "INVALID_DATE");

	json_node_unref (body);
	body = valid_body ();
	json_object_set_string_member (props (body), "hs_meeting_end_time", "1774864800000");
	assert_create_fails (body, "properties.hs_meeting_end_time", "INVALID_DATE");
}

static void
test_offset_time (void)
{
	const gchar *bad[] = {
		"2026-03-30T11:00:00+02:00",
		"2026-03-30T09:00:00",
		"2026-03-30 09:00:00Z",
		"2026-03-30T09:00Z",
		"2026-03-30T09:00:00.Z",
		"2026-02-30T09:00:00Z",
		"2026-03-30T24:00:00Z",
		"2026-03-30T09:00:00Zjunk",
		""
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (bad); ii++) {
		g_autoptr(JsonNode) body = valid_body ();

		g_assert_false (e_hubspot_mock_schema_parse_utc_date_time (bad[ii], NULL));

		json_object_set_string_member (props (body), "hs_meeting_start_time", bad[ii]);
		json_object_set_string_member (props (body), "hs_timestamp", bad[ii]);
		assert_create_fails (body, "properties.hs_meeting_start_time", "INVALID_DATE");
	}
}

static void
test_parse_date_time (void)
{
	gint64 ms = 0;

	g_assert_true (e_hubspot_mock_schema_parse_utc_date_time ("1970-01-01T00:00:01.5Z", &ms));
	g_assert_cmpint (ms, ==, 1500);
	g_assert_true (e_hubspot_mock_schema_parse_utc_date_time ("2026-03-30T09:00:00.123456Z", &ms));
	g_assert_cmpint (ms % 1000, ==, 123);
	g_assert_true (e_hubspot_mock_schema_parse_utc_date_time ("2028-02-29T23:59:59Z", NULL));
}

static void
test_end_before_start (void)
{
	g_autoptr(JsonNode) body = valid_body ();

	json_object_set_string_member (props (body), "hs_meeting_end_time", "2026-03-30T08:59:59Z");
	assert_create_fails (body, "properties.hs_meeting_end_time", "INVALID_VALUE");
}

static void
test_timestamp_not_start (void)
{
	g_autoptr(JsonNode) body = valid_body ();

	json_object_set_string_member (props (body), "hs_timestamp", "2026-03-30T10:00:00Z");
	assert_create_fails (body, "properties.hs_timestamp", "INVALID_VALUE");
}

static void
test_unknown_property (void)
{
	g_autoptr(JsonNode) body = valid_body ();
	g_autoptr(GError) error = NULL;

	json_object_set_string_member (props (body), "hs_meeting_start", "2026-03-30T09:00:00Z");
	assert_create_fails (body, "properties.hs_meeting_start", "UNKNOWN_PROPERTY");

	g_assert_false (e_hubspot_mock_schema_check_meeting_create (body, &error));
	g_assert_nonnull (strstr (error->message, "does not exist"));

	/* CRM-only properties are unknown to the scheduler call */
	json_node_unref (body);
	body = valid_body ();
	json_object_set_string_member (props (body), "hs_meeting_external_url", "https://x");
	assert_create_fails (body, "properties.hs_meeting_external_url", "UNKNOWN_PROPERTY");
}

static void
test_property_types (void)
{
	g_autoptr(JsonNode) body = valid_body ();

	json_object_set_string_member (props (body), "hs_meeting_title", "  ");
	assert_create_fails (body, "properties.hs_meeting_title", "INVALID_VALUE");

	json_node_unref (body);
	body = valid_body ();
	json_object_set_int_member (props (body), "hubspot_owner_id", 75000001);
	assert_create_fails (body, "properties.hubspot_owner_id", "INVALID_TYPE");

	json_node_unref (body);
	body = valid_body ();
	json_object_set_string_member (props (body), "hubspot_owner_id", "owner@example.com");
	assert_create_fails (body, "properties.hubspot_owner_id", "INVALID_VALUE");

	json_node_unref (body);
	body = valid_body ();
	json_object_set_string_member (props (body), "hs_attendee_owner_ids", "75000002");
	assert_create_fails (body, "properties.hs_attendee_owner_ids", "INVALID_TYPE");

	json_node_unref (body);
	body = valid_body ();
	json_object_set_array_member (props (body), "hs_attachment_ids", json_array_new ());
	json_array_add_int_element (json_object_get_array_member (props (body), "hs_attachment_ids"), 5);
	assert_create_fails (body, "properties.hs_attachment_ids[0]", "INVALID_TYPE");
}

static void
test_bad_association (void)
{
	struct {
		const gchar *json;
		const gchar *path;
		const gchar *code;
	} cases[] = {
		{ "{}", "associations", "INVALID_TYPE" },
		{ "[ 1 ]", "associations[0]", "INVALID_TYPE" },
		{ "[ { \"types\": [ { \"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200 } ] } ]",
		  "associations[0].to", "REQUIRED" },
		{ "[ { \"to\": { \"id\": 501 }, \"types\": [ { \"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200 } ] } ]",
		  "associations[0].to.id", "INVALID_TYPE" },
		{ "[ { \"to\": { \"id\": \"501\" }, \"types\": [ { \"associationCategory\": \"HUBSPOT\", \"associationTypeId\": 200 } ] } ]",
		  "associations[0].types[0].associationCategory", "INVALID_ENUM" },
		{ "[ { \"to\": { \"id\": \"501\" }, \"types\": [ { \"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": \"200\" } ] } ]",
		  "associations[0].types[0].associationTypeId", "INVALID_TYPE" },
		{ "[ { \"to\": { \"id\": \"501\" }, \"types\": [ { \"associationCategory\": \"HUBSPOT_DEFINED\" } ] } ]",
		  "associations[0].types[0].associationTypeId", "REQUIRED" },
		{ "[ { \"to\": { \"id\": \"501\" }, \"types\": [] } ]",
		  "associations[0].types", "INVALID_VALUE" },
		{ "[ { \"to\": { \"id\": \"501\" }, \"type\": [] } ]",
		  "associations[0].type", "UNKNOWN_FIELD" }
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) body = valid_body ();

		json_object_set_member (json_node_get_object (body), "associations", parse (cases[ii].json));
		assert_create_fails (body, cases[ii].path, cases[ii].code);
	}
}

static void
test_bad_reminder (void)
{
	struct {
		const gchar *json;
		const gchar *path;
		const gchar *code;
	} cases[] = {
		{ "[]", "emailReminderSchedule", "INVALID_TYPE" },
		{ "{ \"reminders\": [] }", "emailReminderSchedule.shouldIncludeInviteDescription", "REQUIRED" },
		{ "{ \"shouldIncludeInviteDescription\": false }", "emailReminderSchedule.reminders", "REQUIRED" },
		{ "{ \"reminders\": [], \"shouldIncludeInviteDescription\": \"false\" }",
		  "emailReminderSchedule.shouldIncludeInviteDescription", "INVALID_TYPE" },
		{ "{ \"reminders\": [ { \"numberOfTimeUnits\": 0, \"timeUnit\": \"MINUTES\" } ], \"shouldIncludeInviteDescription\": false }",
		  "emailReminderSchedule.reminders[0].numberOfTimeUnits", "INVALID_VALUE" },
		{ "{ \"reminders\": [ { \"numberOfTimeUnits\": 1.5, \"timeUnit\": \"HOURS\" } ], \"shouldIncludeInviteDescription\": false }",
		  "emailReminderSchedule.reminders[0].numberOfTimeUnits", "INVALID_TYPE" },
		{ "{ \"reminders\": [ { \"numberOfTimeUnits\": 1, \"timeUnit\": \"SECONDS\" } ], \"shouldIncludeInviteDescription\": false }",
		  "emailReminderSchedule.reminders[0].timeUnit", "INVALID_ENUM" },
		{ "{ \"reminders\": [ { \"numberOfTimeUnits\": 1 } ], \"shouldIncludeInviteDescription\": false }",
		  "emailReminderSchedule.reminders[0].timeUnit", "REQUIRED" },
		{ "{ \"reminders\": [], \"shouldIncludeInviteDescription\": false, \"method\": \"EMAIL\" }",
		  "emailReminderSchedule.method", "UNKNOWN_FIELD" }
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) body = valid_body ();

		json_object_set_member (json_node_get_object (body), "emailReminderSchedule", parse (cases[ii].json));
		assert_create_fails (body, cases[ii].path, cases[ii].code);
	}
}

static void
test_bad_timezone (void)
{
	const gchar *bad[] = { "", "Mars/Olympus_Mons", "+02:00" };
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (bad); ii++) {
		g_autoptr(JsonNode) body = valid_body ();

		json_object_set_string_member (json_node_get_object (body), "timezone", bad[ii]);
		assert_create_fails (body, "timezone", "INVALID_VALUE");
	}
}

static void
test_collects_all (void)
{
	g_autoptr(JsonNode) body = valid_body ();
	g_autoptr(JsonArray) problems = NULL;
	g_autoptr(GError) error = NULL;

	json_object_set_string_member (props (body), "hs_meeting_outcome", "DONE");
	json_object_set_string_member (props (body), "bogus", "x");
	json_object_remove_member (json_node_get_object (body), "timezone");

	problems = e_hubspot_mock_schema_collect_meeting_create_problems (body);
	g_assert_nonnull (problems);
	g_assert_cmpuint (json_array_get_length (problems), ==, 3);

	g_assert_false (e_hubspot_mock_schema_check_meeting_create (body, &error));
	g_assert_nonnull (strstr (error->message, "hs_meeting_outcome"));
	g_assert_nonnull (strstr (error->message, "bogus"));
	g_assert_nonnull (strstr (error->message, "timezone"));
}

static void
assert_update (const gchar *json,
	       const gchar *expected_path)
{
	g_autoptr(JsonNode) body = parse (json);
	g_autoptr(GError) error = NULL;

	if (!expected_path) {
		g_assert_true (e_hubspot_mock_schema_check_meeting_update (body, &error));
		g_assert_no_error (error);
	} else {
		g_assert_false (e_hubspot_mock_schema_check_meeting_update (body, &error));
		g_assert_error (error, E_HUBSPOT_MOCK_SCHEMA_ERROR, E_HUBSPOT_MOCK_SCHEMA_ERROR_INVALID);
		if (!strstr (error->message, expected_path))
			g_error ("message \"%s\" does not name %s", error->message, expected_path);
	}
}

static void
test_update (void)
{
	assert_update ("{\"properties\":{\"hs_meeting_outcome\":\"CANCELED\"}}", NULL);
	assert_update ("{\"properties\":{\"hs_meeting_start_time\":\"2026-03-30T09:00:00Z\","
		"\"hs_timestamp\":\"2026-03-30T09:00:00Z\",\"hs_meeting_end_time\":\"2026-03-30T09:30:00Z\","
		"\"hs_meeting_body\":\"\",\"hs_attendee_owner_ids\":\"1;2\",\"hs_meeting_external_url\":\"https://x\"}}", NULL);
	assert_update ("{\"properties\":{}}", NULL);

	assert_update ("[]", "body");
	assert_update ("{}", "properties");
	assert_update ("{\"properties\":{\"hs_meeting_outcome\":\"CANCELLED\"}}", "properties.hs_meeting_outcome");
	assert_update ("{\"properties\":{\"nope\":\"x\"}}", "properties.nope");
	assert_update ("{\"properties\":{\"hs_object_id\":\"1\"}}", "properties.hs_object_id");
	assert_update ("{\"properties\":{\"hs_meeting_title\":1}}", "properties.hs_meeting_title");
	assert_update ("{\"properties\":{\"hs_meeting_title\":\"\"}}", "properties.hs_meeting_title");
	assert_update ("{\"properties\":{\"hs_meeting_start_time\":1774861200000}}", "properties.hs_meeting_start_time");
	assert_update ("{\"properties\":{\"hs_attendee_owner_ids\":[\"1\"]}}", "properties.hs_attendee_owner_ids");
	assert_update ("{\"properties\":{\"hs_meeting_start_time\":\"2026-03-30T09:00:00Z\","
		"\"hs_meeting_end_time\":\"2026-03-30T08:00:00Z\"}}", "properties.hs_meeting_end_time");
	assert_update ("{\"properties\":{},\"associations\":[]}", "associations");
}

static void
test_crm_create (void)
{
	g_autoptr(JsonNode) body = parse ("{\"properties\":{\"hs_meeting_title\":\"x\","
		"\"hs_meeting_start_time\":\"2026-01-01T00:00:00Z\",\"hs_meeting_end_time\":\"2026-01-01T01:00:00Z\","
		"\"hs_timestamp\":\"2026-01-01T00:00:00Z\",\"hs_meeting_outcome\":\"COMPLETED\","
		"\"hubspot_owner_id\":\"1\"},\"associations\":[]}");
	g_autoptr(JsonArray) problems = e_hubspot_mock_schema_collect_crm_meeting_create_problems (body);
	g_autofree gchar *text = NULL;

	g_assert_null (problems);

	json_object_remove_member (props (body), "hs_meeting_outcome");
	problems = e_hubspot_mock_schema_collect_crm_meeting_create_problems (body);
	g_assert_nonnull (problems);
	text = e_hubspot_mock_schema_problems_to_string (problems);
	g_assert_nonnull (strstr (text, "properties.hs_meeting_outcome"));
}

static void
test_email (void)
{
	const gchar *good[] = {
		"a@example.com", "Jane.Doe@Example.COM", "a+tag@sub.example.co.uk", "x_y-z@a-b.io", "1@2.ab"
	};
	const gchar *bad[] = {
		"", "a", "a@b", "@example.com", "a@", "a b@example.com", "a@@example.com", "a@b@example.com",
		"a@example.c", "a@example.c0m", "a..b@example.com", ".a@example.com", "a.@example.com",
		"a@-x.com", "a@x-.com", "a@x..com", "a@exa_mple.com", "<a@example.com>", "a@example.com\n"
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (good); ii++) {
		if (!e_hubspot_mock_schema_is_email (good[ii]))
			g_error ("\"%s\" should be an e-mail", good[ii]);
	}
	for (ii = 0; ii < G_N_ELEMENTS (bad); ii++) {
		if (e_hubspot_mock_schema_is_email (bad[ii]))
			g_error ("\"%s\" should not be an e-mail", bad[ii]);
	}
	g_assert_false (e_hubspot_mock_schema_is_email (NULL));
}

/* Asserts the problems' "in" paths and codes, in order ("path:CODE path:CODE") */
static void
assert_problems (JsonArray *problems,
		 const gchar *expected)
{
	GString *text = g_string_new (NULL);
	guint ii;

	for (ii = 0; problems && ii < json_array_get_length (problems); ii++) {
		JsonObject *item = json_array_get_object_element (problems, ii);

		g_string_append_printf (text, "%s%s:%s", ii ? " " : "",
			json_object_get_string_member (item, "in"), json_object_get_string_member (item, "code"));
		/* Every message starts with its path */
		g_assert_true (g_str_has_prefix (json_object_get_string_member (item, "message"),
			*json_object_get_string_member (item, "in") ? json_object_get_string_member (item, "in") : "body"));
	}

	g_assert_cmpstr (text->str, ==, expected);
	g_string_free (text, TRUE);
}

static void
test_contact_create (void)
{
	struct {
		const gchar *json;
		const gchar *problems;
	} cases[] = {
		{ "{\"properties\":{\"email\":\"a@example.com\",\"firstname\":\"A\",\"lifecyclestage\":\"lead\"}}", "" },
		{ "{\"properties\":{\"email\":\"a@example.com\"},\"associations\":[],\"objectWriteTraceId\":\"x\"}", "" },
		{ "{}", "properties:REQUIRED" },
		{ "{\"properties\":[]}", "properties:INVALID_TYPE" },
		{ "{\"properties\":{\"firstname\":\"A\"}}", "properties.email:REQUIRED" },
		{ "{\"properties\":{\"email\":\"a\",\"createdate\":\"x\",\"x\":\"y\",\"phone\":1}}",
		  "properties.email:INVALID_EMAIL properties.createdate:READ_ONLY_VALUE properties.x:UNKNOWN_PROPERTY properties.phone:INVALID_TYPE" },
		{ "{\"properties\":{\"email\":\"a@example.com\"},\"associations\":[{\"to\":{}}],\"objectWriteTraceId\":1}",
		  "associations[0].to.id:REQUIRED associations[0].types:REQUIRED objectWriteTraceId:INVALID_TYPE" },
		{ "{\"properties\":{\"email\":\"a@example.com\",\"lifecyclestage\":\"Lead\"},\"id\":\"1\"}",
		  "id:UNKNOWN_FIELD properties.lifecyclestage:INVALID_ENUM" }
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) body = parse (cases[ii].json);
		g_autoptr(JsonArray) problems = e_hubspot_mock_schema_collect_contact_create_problems (body);

		assert_problems (problems, cases[ii].problems);
	}
}

static void
test_contact_batches (void)
{
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(JsonArray) problems = NULL;
	GString *many = g_string_new ("{\"inputs\":[");
	guint ii;

	body = parse ("{\"inputs\":[{\"properties\":{\"email\":\"a@example.com\"}},{\"properties\":{}},[]]}");
	problems = e_hubspot_mock_schema_collect_contact_batch_create_problems (body);
	assert_problems (problems, "inputs[1].properties.email:REQUIRED inputs[2]:INVALID_TYPE");

	g_clear_pointer (&body, json_node_unref);
	g_clear_pointer (&problems, json_array_unref);
	body = parse ("{\"idProperty\":\"email\",\"inputs\":[{\"id\":\"a@example.com\"}],\"properties\":[\"email\"]}");
	problems = e_hubspot_mock_schema_collect_contact_batch_read_problems (body);
	assert_problems (problems, "");

	for (ii = 0; ii < 101; ii++)
		g_string_append_printf (many, "%s{\"id\":\"%u\"}", ii ? "," : "", ii);
	g_string_append (many, "]}");
	g_clear_pointer (&body, json_node_unref);
	body = parse (many->str);
	g_string_free (many, TRUE);
	problems = e_hubspot_mock_schema_collect_contact_batch_read_problems (body);
	assert_problems (problems, "inputs:TOO_MANY_INPUTS");

	/* The association read takes up to 1000 */
	g_clear_pointer (&problems, json_array_unref);
	problems = e_hubspot_mock_schema_collect_association_batch_read_problems (body);
	assert_problems (problems, "");

	g_clear_pointer (&body, json_node_unref);
	g_clear_pointer (&problems, json_array_unref);
	body = parse ("{\"idProperty\":\"id\",\"inputs\":\"x\",\"properties\":[1]}");
	problems = e_hubspot_mock_schema_collect_contact_batch_read_problems (body);
	assert_problems (problems, "idProperty:INVALID_ENUM properties[0]:INVALID_TYPE inputs:INVALID_TYPE");
}

static void
test_association_create (void)
{
	g_autoptr(JsonNode) body = parse ("{\"inputs\":[{\"from\":{\"id\":\"1\"},\"to\":{\"id\":\"2\"},"
		"\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":200}]}]}");
	g_autoptr(JsonArray) problems = e_hubspot_mock_schema_collect_association_batch_create_problems (body);

	assert_problems (problems, "");

	json_node_unref (body);
	body = parse ("{\"inputs\":[{\"to\":{\"id\":2},\"types\":[{\"associationCategory\":\"MINE\","
		"\"associationTypeId\":0}],\"label\":\"x\"}],\"more\":1}");
	problems = e_hubspot_mock_schema_collect_association_batch_create_problems (body);
	assert_problems (problems, "more:UNKNOWN_FIELD inputs[0].label:UNKNOWN_FIELD inputs[0].from:REQUIRED "
		"inputs[0].to.id:INVALID_TYPE inputs[0].types[0].associationCategory:INVALID_ENUM "
		"inputs[0].types[0].associationTypeId:INVALID_VALUE");
}

#define SIX_PROPERTIES "\"hs_meeting_title\":\"T\",\"hs_meeting_start_time\":\"2026-03-30T09:00:00Z\"," \
	"\"hs_meeting_end_time\":\"2026-03-30T10:00:00Z\",\"hs_timestamp\":\"2026-03-30T09:00:00Z\"," \
	"\"hs_meeting_outcome\":\"COMPLETED\",\"hubspot_owner_id\":\"75000001\""

/* Each input as its single call checks it, the paths under inputs[N] */
static void
test_meeting_batches (void)
{
	struct {
		JsonArray *(*collect) (JsonNode *body);
		const gchar *json;
		const gchar *problems;
	} cases[] = {
		{ e_hubspot_mock_schema_collect_meeting_batch_create_problems,
		  "{\"inputs\":[{\"properties\":{" SIX_PROPERTIES "},\"associations\":[],\"objectWriteTraceId\":\"a\"}]}", "" },
		{ e_hubspot_mock_schema_collect_meeting_batch_create_problems,
		  "{\"inputs\":[{\"properties\":{" SIX_PROPERTIES ",\"hs_meeting_outcome\":\"DONE\"}},"
		  "{\"properties\":{" SIX_PROPERTIES "},\"associations\":[],\"objectWriteTraceId\":1,\"x\":1}],\"y\":1}",
		  "y:UNKNOWN_FIELD inputs[0].properties.hs_meeting_outcome:INVALID_ENUM inputs[0].associations:REQUIRED "
		  "inputs[1].x:UNKNOWN_FIELD inputs[1].objectWriteTraceId:INVALID_TYPE" },
		{ e_hubspot_mock_schema_collect_meeting_batch_create_problems, "[]", ":INVALID_TYPE" },
		{ e_hubspot_mock_schema_collect_meeting_batch_update_problems,
		  "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"hs_meeting_body\":\"\"}},{\"id\":\"2\",\"properties\":{}}]}", "" },
		{ e_hubspot_mock_schema_collect_meeting_batch_update_problems,
		  "{\"inputs\":[{\"id\":\"\",\"properties\":{\"hs_meeting_title\":\"\"}},{\"properties\":{},\"objectWriteTraceId\":\"t\"}]}",
		  "inputs[0].id:INVALID_VALUE inputs[0].properties.hs_meeting_title:INVALID_VALUE "
		  "inputs[1].id:REQUIRED inputs[1].objectWriteTraceId:UNKNOWN_FIELD" },
		{ e_hubspot_mock_schema_collect_meeting_batch_update_problems,
		  "{\"inputs\":[{\"id\":\"1\",\"properties\":{}},{\"id\":\"2\",\"properties\":{}},{\"id\":\"1\",\"properties\":{}}]}",
		  "inputs[2].id:INVALID_VALUE" },
		{ e_hubspot_mock_schema_collect_meeting_batch_archive_problems, "{\"inputs\":[{\"id\":\"1\"},{\"id\":\"1\"}]}", "" },
		{ e_hubspot_mock_schema_collect_meeting_batch_archive_problems,
		  "{\"inputs\":[{\"id\":\"1\",\"properties\":[]}],\"properties\":[]}",
		  "properties:UNKNOWN_FIELD inputs[0].properties:UNKNOWN_FIELD" },
		{ e_hubspot_mock_schema_collect_meeting_batch_read_problems,
		  "{\"inputs\":[{\"id\":\"1\"}],\"properties\":[\"hs_meeting_title\"]}", "" },
		{ e_hubspot_mock_schema_collect_meeting_batch_read_problems,
		  "{\"inputs\":[{}],\"properties\":[1],\"archived\":true}",
		  "archived:UNKNOWN_FIELD inputs[0].id:REQUIRED properties[0]:INVALID_TYPE" },
		{ e_hubspot_mock_schema_collect_meeting_batch_read_problems, "{\"inputs\":[]}", "inputs:INVALID_VALUE" }
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) body = parse (cases[ii].json);
		g_autoptr(JsonArray) problems = cases[ii].collect (body);

		assert_problems (problems, cases[ii].problems);
	}
}

int
main (int argc,
      char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-schema/create/valid", test_valid);
	g_test_add_func ("/mock-schema/create/not-object", test_not_object);
	g_test_add_func ("/mock-schema/create/missing-top-level", test_missing_top_level);
	g_test_add_func ("/mock-schema/create/unknown-top-level", test_unknown_top_level);
	g_test_add_func ("/mock-schema/create/missing-property", test_missing_property);
	g_test_add_func ("/mock-schema/create/bad-enums", test_bad_enums);
	g_test_add_func ("/mock-schema/create/epoch-time", test_epoch_time);
	g_test_add_func ("/mock-schema/create/offset-time", test_offset_time);
	g_test_add_func ("/mock-schema/create/end-before-start", test_end_before_start);
	g_test_add_func ("/mock-schema/create/timestamp-not-start", test_timestamp_not_start);
	g_test_add_func ("/mock-schema/create/unknown-property", test_unknown_property);
	g_test_add_func ("/mock-schema/create/property-types", test_property_types);
	g_test_add_func ("/mock-schema/create/bad-association", test_bad_association);
	g_test_add_func ("/mock-schema/create/bad-reminder", test_bad_reminder);
	g_test_add_func ("/mock-schema/create/bad-timezone", test_bad_timezone);
	g_test_add_func ("/mock-schema/create/collects-all", test_collects_all);
	g_test_add_func ("/mock-schema/parse-date-time", test_parse_date_time);
	g_test_add_func ("/mock-schema/update", test_update);
	g_test_add_func ("/mock-schema/crm-create", test_crm_create);
	g_test_add_func ("/mock-schema/email", test_email);
	g_test_add_func ("/mock-schema/contact-create", test_contact_create);
	g_test_add_func ("/mock-schema/contact-batches", test_contact_batches);
	g_test_add_func ("/mock-schema/association-create", test_association_create);
	g_test_add_func ("/mock-schema/meeting-batches", test_meeting_batches);

	return g_test_run ();
}
