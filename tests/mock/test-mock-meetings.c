/* test-mock-meetings.c: what two-way sync relies on in hubspot-mock's
 * meetings: every change dates itself (to the millisecond), and search
 * filters, sorts and pages on owner, start and last change, over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "mock-test-client.h"

#define MEETING_PROPERTIES \
	"'properties':{'hs_meeting_title':'Review','hs_meeting_start_time':'2026-04-01T09:00:00Z'," \
	"'hs_meeting_end_time':'2026-04-01T10:00:00Z','hs_timestamp':'2026-04-01T09:00:00Z'," \
	"'hs_meeting_outcome':'SCHEDULED','hubspot_owner_id':'75000001'}"

static MockTestServer *server;

/* The clock moves on by at least one millisecond */
static void
tick (void)
{
	g_usleep (3000);
}

static void
assert_between (const gchar *time,
		gint64 before_ms,
		gint64 after_ms)
{
	gint64 ms = mock_test_parse_time (time);

	if (ms < before_ms || ms > after_ms)
		g_error ("%s is not between the call's start (%" G_GINT64_FORMAT ") and end (%" G_GINT64_FORMAT ")",
			time, before_ms, after_ms);
}

/* The API's view: createdAt/updatedAt equal hs_createdate/hs_lastmodifieddate */
static JsonNode *
read_meeting (const gchar *id)
{
	g_autofree gchar *path = mock_test_printf ("/crm/objects/2026-03/meetings/%s", id);
	JsonNode *answer = mock_test_expect (server, 200, "GET", path, NULL);

	g_assert_cmpstr (mock_test_get_string (answer, "createdAt"), ==,
		mock_test_get_string (answer, "properties.hs_createdate"));
	g_assert_cmpstr (mock_test_get_string (answer, "updatedAt"), ==,
		mock_test_get_string (answer, "properties.hs_lastmodifieddate"));

	return answer;
}

static void
test_created_dates (void)
{
	const gchar *creates[][3] = {
		{ "/scheduler/2026-03/meetings/calendar?organizerUserId=9100001",
		  "{'associations':[],'emailReminderSchedule':{'reminders':[],'shouldIncludeInviteDescription':false},"
		  "'timezone':'UTC'," MEETING_PROPERTIES "}", "200" },
		{ "/crm/objects/2026-03/meetings", "{" MEETING_PROPERTIES "}", "201" },
		{ "/__mock/meetings", "{" MEETING_PROPERTIES "}", "201" }
	};
	guint ii;

	mock_test_server_reset (server);

	for (ii = 0; ii < G_N_ELEMENTS (creates); ii++) {
		g_autoptr(JsonNode) answer = NULL;
		g_autoptr(JsonNode) read = NULL;
		gint64 before = mock_test_now_ms (), after;
		const gchar *created;

		answer = mock_test_expect (server, atoi (creates[ii][2]), "POST", creates[ii][0], creates[ii][1]);
		after = mock_test_now_ms ();

		created = mock_test_get_string (answer, "createdAt");
		assert_between (created, before, after);
		g_assert_cmpstr (mock_test_get_string (answer, "properties.hs_createdate"), ==, created);
		g_assert_cmpstr (mock_test_get_string (answer, "properties.hs_lastmodifieddate"), ==, created);
		g_assert_cmpstr (mock_test_get_string (answer, ii == 0 ? "lastUpdatedAt" : "updatedAt"), ==, created);

		read = read_meeting (mock_test_get_string (answer, "id"));
		g_assert_cmpstr (mock_test_get_string (read, "createdAt"), ==, created);
		g_assert_cmpstr (mock_test_get_string (read, "updatedAt"), ==, created);
	}

	/* A meeting "booked in HubSpot" earlier keeps the dates it was given, written as HubSpot writes them */
	{
		g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/__mock/meetings",
			"{'properties':{'hs_meeting_title':'Old','hs_createdate':'2026-01-05T10:00:00Z',"
			"'hs_lastmodifieddate':'2026-01-06T11:30:00.25Z'}}");
		g_autoptr(JsonNode) read = read_meeting (mock_test_get_string (answer, "id"));

		g_assert_cmpstr (mock_test_get_string (read, "createdAt"), ==, "2026-01-05T10:00:00.000Z");
		g_assert_cmpstr (mock_test_get_string (read, "updatedAt"), ==, "2026-01-06T11:30:00.250Z");
	}
}

static void
test_changed_dates (void)
{
	g_autoptr(JsonNode) created = NULL;
	g_autofree gchar *id = NULL, *api_path = NULL, *control_path = NULL, *previous = NULL;
	gint64 before, after;
	guint ii;

	mock_test_server_reset (server);
	created = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/meetings", "{" MEETING_PROPERTIES "}");
	id = g_strdup (mock_test_get_string (created, "id"));
	api_path = mock_test_printf ("/crm/objects/2026-03/meetings/%s", id);
	control_path = mock_test_printf ("/__mock/meetings/%s", id);
	previous = g_strdup (mock_test_get_string (created, "updatedAt"));

	/* PATCH through the API, then through the control endpoint, several times */
	for (ii = 0; ii < 6; ii++) {
		g_autoptr(JsonNode) answer = NULL;
		g_autoptr(JsonNode) read = NULL;
		g_autofree gchar *body = mock_test_printf ("{'properties':{'hs_meeting_title':'Change %u'}}", ii);
		const gchar *updated;

		tick ();
		before = mock_test_now_ms ();
		answer = mock_test_expect (server, 200, "PATCH", ii % 2 ? control_path : api_path, body);
		after = mock_test_now_ms ();

		updated = mock_test_get_string (answer, "updatedAt");
		assert_between (updated, before, after);
		g_assert_cmpstr (mock_test_get_string (answer, "properties.hs_lastmodifieddate"), ==, updated);
		g_assert_cmpint (mock_test_parse_time (updated), >, mock_test_parse_time (previous));

		/* Creation stays */
		g_assert_cmpstr (mock_test_get_string (answer, "createdAt"), ==, mock_test_get_string (created, "createdAt"));
		g_assert_cmpstr (mock_test_get_string (answer, "properties.hs_createdate"), ==,
			mock_test_get_string (created, "createdAt"));

		read = read_meeting (id);
		g_assert_cmpstr (mock_test_get_string (read, "updatedAt"), ==, updated);

		g_free (previous);
		previous = g_strdup (updated);
	}

	/* Two changes within a millisecond still move the date */
	{
		g_autoptr(JsonNode) first = mock_test_expect (server, 200, "PATCH", api_path, "{'properties':{'hs_meeting_body':'a'}}");
		g_autoptr(JsonNode) second = mock_test_expect (server, 200, "PATCH", api_path, "{'properties':{'hs_meeting_body':'b'}}");

		g_assert_cmpint (mock_test_parse_time (mock_test_get_string (second, "updatedAt")), >,
			mock_test_parse_time (mock_test_get_string (first, "updatedAt")));
	}

	/* A rejected change changes nothing */
	{
		g_autoptr(JsonNode) read = read_meeting (id);
		g_autoptr(JsonNode) rejected = mock_test_expect (server, 400, "PATCH", api_path,
			"{'properties':{'hs_meeting_outcome':'CANCELLED'}}");
		g_autoptr(JsonNode) again = NULL;

		tick ();
		again = read_meeting (id);
		g_assert_cmpstr (mock_test_get_string (again, "updatedAt"), ==, mock_test_get_string (read, "updatedAt"));
	}
}

static gchar *
make_meeting (const gchar *owner,
	      const gchar *start,
	      gboolean archived)
{
	g_autofree gchar *body = mock_test_printf ("{'properties':{'hs_meeting_title':'At %s','hubspot_owner_id':'%s',"
		"'hs_meeting_start_time':'%s','hs_timestamp':'%s'},'archived':%s}", start, owner, start, start,
		archived ? "true" : "false");
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/__mock/meetings", body);

	return g_strdup (mock_test_get_string (answer, "id"));
}

static gchar *
result (const gchar *id,
	const gchar *owner,
	const gchar *start)
{
	return mock_test_printf ("{'id':'%s','properties':{'hs_meeting_start_time':'%s','hubspot_owner_id':'%s'},"
		"'createdAt':'<time>','updatedAt':'<time>','archived':false}", id, start, owner);
}

static void
test_search (void)
{
	g_autofree gchar *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL, *m5 = NULL, *m6 = NULL;
	g_autofree gchar *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *expected = NULL, *body = NULL;
	g_autofree gchar *since = NULL, *path = NULL;
	g_autoptr(JsonNode) answer = NULL;
	GString *many;
	guint ii;

	mock_test_server_reset (server);
	m1 = make_meeting ("75000001", "2026-04-01T09:00:00Z", FALSE);
	m2 = make_meeting ("75000001", "2026-04-02T09:00:00Z", FALSE);
	m3 = make_meeting ("75000002", "2026-04-02T10:00:00Z", FALSE);
	m4 = make_meeting ("75000001", "2026-04-03T09:00:00Z", FALSE);
	m5 = make_meeting ("75000001", "2026-05-01T09:00:00Z", FALSE);
	m6 = make_meeting ("75000001", "2026-04-02T12:00:00Z", TRUE);
	r1 = result (m1, "75000001", "2026-04-01T09:00:00Z");
	r2 = result (m2, "75000001", "2026-04-02T09:00:00Z");
	r3 = result (m3, "75000002", "2026-04-02T10:00:00Z");
	r4 = result (m4, "75000001", "2026-04-03T09:00:00Z");

	/* The owner's meetings in a window, sorted by start, paged; archived ones never */
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search",
		"{'filterGroups':[{'filters':[{'propertyName':'hubspot_owner_id','operator':'EQ','value':'75000001'},"
		"{'propertyName':'hs_meeting_start_time','operator':'BETWEEN','value':'2026-04-01T00:00:00Z',"
		"'highValue':'2026-04-30T23:59:59.999Z'}]}],'properties':['hs_meeting_start_time','hubspot_owner_id'],"
		"'sorts':[{'propertyName':'hs_meeting_start_time','direction':'ASCENDING'}],'limit':2}");
	expected = mock_test_printf ("{'total':3,'results':[%s,%s],'paging':{'next':{'after':'2'}}}", r1, r2);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search",
		"{'filterGroups':[{'filters':[{'propertyName':'hubspot_owner_id','operator':'EQ','value':'75000001'},"
		"{'propertyName':'hs_meeting_start_time','operator':'BETWEEN','value':'2026-04-01T00:00:00Z',"
		"'highValue':'2026-04-30T23:59:59.999Z'}]}],'properties':['hs_meeting_start_time','hubspot_owner_id'],"
		"'sorts':[{'propertyName':'hs_meeting_start_time','direction':'ASCENDING'}],'limit':2,'after':'2'}");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':3,'results':[%s]}", r4);
	mock_test_assert_json (answer, expected);

	/* GTE and LTE include their bounds; epoch milliseconds work too; descending */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search",
		"{'filterGroups':[{'filters':[{'propertyName':'hs_meeting_start_time','operator':'GTE','value':'1775120400000'},"
		"{'propertyName':'hs_meeting_start_time','operator':'LTE','value':'2026-04-03T09:00:00.000Z'}]}],"
		"'properties':['hs_meeting_start_time','hubspot_owner_id'],"
		"'sorts':[{'propertyName':'hs_meeting_start_time','direction':'DESCENDING'}],'limit':200}");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':3,'results':[%s,%s,%s]}", r4, r3, r2);
	mock_test_assert_json (answer, expected);

	/* Changed since: through the API and the control endpoint */
	tick ();
	since = g_strdup_printf ("%" G_GINT64_FORMAT, mock_test_now_ms ());
	tick ();
	path = mock_test_printf ("/crm/objects/2026-03/meetings/%s", m2);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "PATCH", path, "{'properties':{'hs_meeting_title':'Moved'}}");
	tick ();
	g_clear_pointer (&path, g_free);
	path = mock_test_printf ("/__mock/meetings/%s", m3);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "PATCH", path, "{'properties':{'hs_meeting_location':'Room 2'}}");

	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'filterGroups':[{'filters':[{'propertyName':'hs_lastmodifieddate','operator':'GTE',"
		"'value':'%s'}]}],'properties':['hs_meeting_start_time','hubspot_owner_id'],"
		"'sorts':[{'propertyName':'hs_lastmodifieddate','direction':'DESCENDING'}]}", since);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':2,'results':[%s,%s]}", r3, r2);
	mock_test_assert_json (answer, expected);

	/* The same as an ISO time */
	{
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (g_ascii_strtoll (since, NULL, 10) / 1000);
		g_autofree gchar *text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
		g_autofree gchar *iso = g_strdup_printf ("%s.%03dZ", text, (gint) (g_ascii_strtoll (since, NULL, 10) % 1000));

		g_clear_pointer (&body, g_free);
		body = mock_test_printf ("{'filterGroups':[{'filters':[{'propertyName':'hs_lastmodifieddate','operator':'GTE',"
			"'value':'%s'},{'propertyName':'hubspot_owner_id','operator':'EQ','value':'75000001'}]}],"
			"'properties':['hs_meeting_start_time','hubspot_owner_id']}", iso);
		g_clear_pointer (&answer, json_node_unref);
		answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search", body);
		g_clear_pointer (&expected, g_free);
		expected = mock_test_printf ("{'total':1,'results':[%s]}", r2);
		mock_test_assert_json (answer, expected);
	}

	/* 200 a page at most */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/meetings/search", "{'limit':201}");
	mock_test_assert_json (answer, "{'status':'error','message':'Invalid input: limit: 201 is over the maximum of 200',"
		"'correlationId':'<uuid>','category':'VALIDATION_ERROR','errors':[{'message':"
		"'limit: 201 is over the maximum of 200','code':'INVALID_VALUE','in':'limit'}]}");

	/* Paging walks every meeting once */
	many = g_string_new (NULL);
	for (ii = 0; ii < 5; ii++) {
		g_autoptr(JsonNode) page = NULL;
		g_autofree gchar *page_body = mock_test_printf ("{'limit':2,'after':'%u','sorts':['hs_object_id']}", ii * 2);
		JsonArray *results;
		guint jj;

		page = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search", page_body);
		g_assert_cmpint (json_node_get_int (mock_test_get (page, "total")), ==, 5);
		results = json_node_get_array (mock_test_get (page, "results"));
		for (jj = 0; jj < json_array_get_length (results); jj++)
			g_string_append_printf (many, "%s ", mock_test_get_string (json_array_get_element (results, jj), "id"));
		if (ii < 2)
			g_assert_cmpstr (mock_test_get_string (page, "paging.next.after"), ==, ii == 0 ? "2" : "4");
		else
			g_assert_null (mock_test_get (page, "paging"));
	}
	g_clear_pointer (&expected, g_free);
	expected = g_strdup_printf ("%s %s %s %s %s ", m1, m2, m3, m4, m5);
	g_assert_cmpstr (many->str, ==, expected);
	g_string_free (many, TRUE);
}

int
main (int argc,
      char **argv)
{
	gint status;

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-meetings/created-dates", test_created_dates);
	g_test_add_func ("/mock-meetings/changed-dates", test_changed_dates);
	g_test_add_func ("/mock-meetings/search", test_search);

	server = mock_test_server_start (NULL);
	status = g_test_run ();
	mock_test_server_stop (server);

	return status;
}
