/* test-mock-batch.c: hubspot-mock's batch calls of meetings, over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * See tests/mock/README.md, "Batch calls of meetings".
 */

#include <string.h>

#include "mock-test-client.h"

#define BATCH "/crm/objects/2026-03/meetings/batch"
#define NOT_FOUND_MESSAGE "Could not get some MEETING objects, they may be deleted or not exist. Check that ids are valid."

static MockTestServer *server;

/* The six properties a CRM create needs */
static gchar *
properties_json (const gchar *title)
{
	return mock_test_printf ("{'hs_meeting_title':'%s','hs_meeting_start_time':'2026-03-30T09:00:00Z',"
		"'hs_meeting_end_time':'2026-03-30T10:00:00Z','hs_timestamp':'2026-03-30T09:00:00Z',"
		"'hs_meeting_outcome':'COMPLETED','hubspot_owner_id':'75000001'}", title);
}

/* A create input titled "@prefix N", traced "t-N" */
static gchar *
create_input (const gchar *prefix,
	      guint index)
{
	g_autofree gchar *title = mock_test_printf ("%s %u", prefix, index);
	g_autofree gchar *properties = properties_json (title);

	return mock_test_printf ("{'properties':%s,'associations':[],'objectWriteTraceId':'t-%u'}", properties, index);
}

static gchar *
create_body (const gchar *prefix,
	     guint count)
{
	GString *text = g_string_new ("{'inputs':[");
	guint ii;

	for (ii = 0; ii < count; ii++) {
		g_autofree gchar *input = create_input (prefix, ii);

		g_string_append_printf (text, "%s%s", ii ? "," : "", input);
	}
	g_string_append (text, "]}");

	return g_string_free (text, FALSE);
}

/* Creates @count meetings in one batch; their ids in input order */
static GPtrArray *
create_meetings (const gchar *prefix,
		 guint count)
{
	g_autofree gchar *body = create_body (prefix, count);
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", BATCH "/create", body);
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	guint ii;

	for (ii = 0; ii < count; ii++) {
		g_autofree gchar *path = mock_test_printf ("results.%u.id", ii);

		g_ptr_array_add (ids, g_strdup (mock_test_get_string (answer, path)));
	}

	return ids;
}

static gchar *
id_inputs (const gchar * const *ids)
{
	GString *text = g_string_new ("[");
	guint ii;

	for (ii = 0; ids[ii]; ii++)
		g_string_append_printf (text, "%s{'id':'%s'}", ii ? "," : "", ids[ii]);
	g_string_append_c (text, ']');

	return g_string_free (text, FALSE);
}

static gchar *
not_found_error (const gchar *id)
{
	return mock_test_printf ("{'status':'error','category':'OBJECT_NOT_FOUND','message':'" NOT_FOUND_MESSAGE "',"
		"'context':{'ids':['%s']}}", id);
}

/* The stored meeting, as /__mock/meetings shows it, or NULL */
static JsonNode *
stored_meeting (const gchar *id)
{
	g_autoptr(JsonNode) all = mock_test_expect (server, 200, "GET", "/__mock/meetings", NULL);
	JsonArray *array = json_node_get_array (all);
	guint ii;

	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonNode *meeting = json_array_get_element (array, ii);

		if (g_strcmp0 (mock_test_get_string (meeting, "id"), id) == 0)
			return json_node_copy (meeting);
	}

	return NULL;
}

/* The last recorded request */
static JsonNode *
last_record (void)
{
	g_autoptr(JsonNode) requests = mock_test_expect (server, 200, "GET", "/__mock/requests", NULL);
	JsonArray *array = json_node_get_array (requests);

	g_assert_cmpuint (json_array_get_length (array), >, 0);

	return json_node_copy (json_array_get_element (array, json_array_get_length (array) - 1));
}

/* POST /__mock/config */
static void
configure (const gchar *body)
{
	g_autoptr(JsonNode) answer = mock_test_expect (server, 200, "POST", "/__mock/config", body);

	g_assert_nonnull (answer);
}

/* The single DELETE */
static void
archive_one (const gchar *id)
{
	g_autofree gchar *path = mock_test_printf ("/crm/objects/2026-03/meetings/%s", id);

	g_assert_cmpuint (mock_test_call (server, "DELETE", path, NULL, NULL), ==, 204);
}

static gint64
count_titled (const gchar *title)
{
	g_autoptr(JsonNode) all = mock_test_expect (server, 200, "GET", "/__mock/meetings", NULL);
	JsonArray *array = json_node_get_array (all);
	gint64 count = 0;
	guint ii;

	for (ii = 0; ii < json_array_get_length (array); ii++) {
		if (g_strcmp0 (mock_test_get_string (json_array_get_element (array, ii), "properties.hs_meeting_title"), title) == 0)
			count++;
	}

	return count;
}

static void
test_limits (void)
{
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) answer = NULL, record = NULL;
	JsonArray *results;
	guint ii;

	mock_test_server_reset (server);

	/* 100 inputs: one request, 100 meetings, in input order */
	body = create_body ("Full", 100);
	answer = mock_test_expect (server, 201, "POST", BATCH "/create", body);
	results = json_node_get_array (mock_test_get (answer, "results"));
	g_assert_cmpuint (json_array_get_length (results), ==, 100);
	for (ii = 0; ii < 100; ii++) {
		g_autofree gchar *trace_path = mock_test_printf ("results.%u.objectWriteTraceId", ii);
		g_autofree gchar *trace_id = mock_test_printf ("t-%u", ii);

		g_assert_cmpstr (mock_test_get_string (answer, trace_path), ==, trace_id);
	}
	g_assert_null (mock_test_get (answer, "errors"));
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 100);
	g_assert_cmpint (mock_test_stat (server, "creates"), ==, 100);
	g_assert_cmpint (mock_test_stat (server, "requests"), ==, 1);
	g_clear_pointer (&answer, json_node_unref);

	/* 101: HubSpot's 400, nothing created */
	g_free (body);
	body = create_body ("Over", 101);
	answer = mock_test_expect (server, 400, "POST", BATCH "/create", body);
	mock_test_assert_json (answer, "{'status':'error',"
		"'message':'Invalid input: inputs: 101 inputs, at most 100 are allowed in one batch',"
		"'correlationId':'<uuid>','category':'VALIDATION_ERROR','errors':[{"
		"'message':'inputs: 101 inputs, at most 100 are allowed in one batch','code':'TOO_MANY_INPUTS','in':'inputs'}]}");
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 100);
	g_assert_cmpint (count_titled ("Over 0"), ==, 0);
	g_clear_pointer (&answer, json_node_unref);

	/* The same limit on the three other calls; none inputs is refused too */
	for (ii = 0; ii < 3; ii++) {
		static const gchar *actions[] = { "update", "archive", "read" };
		GString *inputs = g_string_new ("[");
		g_autofree gchar *path = mock_test_printf (BATCH "/%s", actions[ii]);
		g_autofree gchar *many = NULL;
		guint jj;

		for (jj = 0; jj < 101; jj++)
			g_string_append_printf (inputs, "%s{'id':'%u'%s}", jj ? "," : "", 1000001 + jj,
				ii == 0 ? ",'properties':{}" : "");
		g_string_append_c (inputs, ']');
		many = mock_test_printf ("{'inputs':%s}", inputs->str);
		g_string_free (inputs, TRUE);

		answer = mock_test_expect (server, 400, "POST", path, many);
		g_assert_cmpstr (mock_test_get_string (answer, "errors.0.code"), ==, "TOO_MANY_INPUTS");
		g_clear_pointer (&answer, json_node_unref);

		answer = mock_test_expect (server, 400, "POST", path, "{'inputs':[]}");
		g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
			"Invalid input: inputs: must hold at least one input");
		g_clear_pointer (&answer, json_node_unref);
	}
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 100);
	g_assert_cmpint (mock_test_stat (server, "archived_meetings"), ==, 0);

	record = last_record ();
	g_assert_cmpstr (mock_test_get_string (record, "path"), ==, BATCH "/read");
}

static void
test_invalid_input (void)
{
	g_autofree gchar *good = NULL, *body = NULL, *single_body = NULL;
	g_autoptr(JsonNode) answer = NULL, single = NULL;
	JsonArray *batch_errors, *single_errors;
	guint ii;

	mock_test_server_reset (server);

	/* One bad input refuses the batch: every problem named by its input, nothing created */
	good = create_input ("Good", 0);
	single_body = g_strdup ("{'properties':{'hs_meeting_title':'Bad','hs_meeting_start_time':1774861200,"
		"'hs_meeting_end_time':'2026-03-30T10:00:00Z','hs_timestamp':'2026-03-30T09:00:00Z',"
		"'hs_meeting_outcome':'DONE','hubspot_owner_id':'75000001','hs_object_id':'1'},'associations':[]}");
	body = mock_test_printf ("{'inputs':[%s,%s,%s]}", good, single_body, good);
	answer = mock_test_expect (server, 400, "POST", BATCH "/create", body);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "VALIDATION_ERROR");
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "creates"), ==, 0);

	/* Exactly the single create's problems, under inputs[1] */
	single = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/meetings", single_body);
	batch_errors = json_node_get_array (mock_test_get (answer, "errors"));
	single_errors = json_node_get_array (mock_test_get (single, "errors"));
	g_assert_cmpuint (json_array_get_length (single_errors), ==, 3);
	g_assert_cmpuint (json_array_get_length (batch_errors), ==, json_array_get_length (single_errors));
	for (ii = 0; ii < json_array_get_length (single_errors); ii++) {
		JsonObject *one = json_array_get_object_element (single_errors, ii);
		JsonObject *batched = json_array_get_object_element (batch_errors, ii);
		g_autofree gchar *message = mock_test_printf ("inputs[1].%s", json_object_get_string_member (one, "message"));
		g_autofree gchar *in = mock_test_printf ("inputs[1].%s", json_object_get_string_member (one, "in"));

		g_assert_cmpstr (json_object_get_string_member (batched, "message"), ==, message);
		g_assert_cmpstr (json_object_get_string_member (batched, "in"), ==, in);
		g_assert_cmpstr (json_object_get_string_member (batched, "code"), ==,
			json_object_get_string_member (one, "code"));
	}
	g_clear_pointer (&answer, json_node_unref);

	/* Owners and associated records must exist, as for the single create */
	g_free (body);
	body = mock_test_printf ("{'inputs':[%s,{'properties':{'hs_meeting_title':'X','hs_meeting_start_time':'2026-03-30T09:00:00Z',"
		"'hs_meeting_end_time':'2026-03-30T10:00:00Z','hs_timestamp':'2026-03-30T09:00:00Z',"
		"'hs_meeting_outcome':'COMPLETED','hubspot_owner_id':'99'},'associations':[{'to':{'id':'2999999'},"
		"'types':[{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':200}]}]}]}", good);
	answer = mock_test_expect (server, 400, "POST", BATCH "/create", body);
	mock_test_assert_json (mock_test_get (answer, "errors"), "["
		"{'message':'inputs[1].properties.hubspot_owner_id: 99 is not the id of an owner in this account',"
		"'code':'INVALID_OWNER_ID','in':'inputs[1].properties.hubspot_owner_id'},"
		"{'message':'<any>','code':'INVALID_VALUE','in':'inputs[1].associations[0].to.id'}]");
	g_assert_true (g_str_has_prefix (mock_test_get_string (answer, "errors.1.message"),
		"inputs[1].associations[0].to.id: 2999999 is not the id of a contact"));
	g_clear_pointer (&answer, json_node_unref);

	/* A batch create input needs associations; an input is an object */
	answer = mock_test_expect (server, 400, "POST", BATCH "/create", "{'inputs':[{'properties':{}},'x'],'extra':1}");
	mock_test_assert_json (mock_test_get (answer, "errors"), "["
		"{'message':'extra: unrecognized field \\\"extra\\\"','code':'UNKNOWN_FIELD','in':'extra'},"
		"{'message':'inputs[0].properties.hs_meeting_title: required property is missing','code':'REQUIRED','in':'inputs[0].properties.hs_meeting_title'},"
		"{'message':'<any>','code':'REQUIRED','in':'inputs[0].properties.hs_meeting_start_time'},"
		"{'message':'<any>','code':'REQUIRED','in':'inputs[0].properties.hs_meeting_end_time'},"
		"{'message':'<any>','code':'REQUIRED','in':'inputs[0].properties.hs_timestamp'},"
		"{'message':'<any>','code':'REQUIRED','in':'inputs[0].properties.hs_meeting_outcome'},"
		"{'message':'<any>','code':'REQUIRED','in':'inputs[0].properties.hubspot_owner_id'},"
		"{'message':'inputs[0].associations: required field is missing','code':'REQUIRED','in':'inputs[0].associations'},"
		"{'message':'inputs[1]: must be an object, not a string','code':'INVALID_TYPE','in':'inputs[1]'}]");
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 0);
	g_clear_pointer (&answer, json_node_unref);

	/* Not JSON: HubSpot's body */
	answer = mock_test_expect (server, 400, "POST", BATCH "/create", "{'inputs':");
	g_assert_true (g_str_has_prefix (mock_test_get_string (answer, "message"), "Invalid input JSON"));
}

static void
test_create_results (void)
{
	g_autofree gchar *single_body = NULL, *body = NULL, *properties = NULL;
	g_autoptr(JsonNode) answer = NULL, single = NULL, found = NULL;
	g_autoptr(GList) single_members = NULL, batch_members = NULL;
	JsonObject *result, *one;
	GList *link;

	mock_test_server_reset (server);

	/* A result is the single create's answer (same members, same
	 * properties), plus the input's objectWriteTraceId */
	properties = properties_json ("Same");
	single_body = mock_test_printf ("{'properties':%s,'associations':[]}", properties);
	single = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/meetings", single_body);
	body = mock_test_printf ("{'inputs':[{'properties':%s,'associations':[],'objectWriteTraceId':'mine'},"
		"{'properties':%s,'associations':[]}]}", properties, properties);
	answer = mock_test_expect (server, 201, "POST", BATCH "/create", body);
	mock_test_assert_json (answer, "{'status':'COMPLETE','results':['<any>','<any>'],"
		"'startedAt':'<time>','completedAt':'<time>'}");

	result = json_node_get_object (mock_test_get (answer, "results.0"));
	one = json_node_get_object (single);
	g_assert_cmpstr (json_object_get_string_member (result, "objectWriteTraceId"), ==, "mine");
	g_assert_false (json_object_has_member (json_node_get_object (mock_test_get (answer, "results.1")), "objectWriteTraceId"));
	json_object_remove_member (result, "objectWriteTraceId");
	single_members = json_object_get_members (json_object_get_object_member (one, "properties"));
	batch_members = json_object_get_members (json_object_get_object_member (result, "properties"));
	g_assert_cmpuint (g_list_length (single_members), ==, g_list_length (batch_members));
	for (link = single_members; link; link = g_list_next (link)) {
		const gchar *name = link->data;

		g_assert_true (json_object_has_member (json_object_get_object_member (result, "properties"), name));
		if (!g_str_equal (name, "hs_object_id") && !g_str_equal (name, "hs_unique_id") &&
		    !g_str_equal (name, "hs_createdate") && !g_str_equal (name, "hs_lastmodifieddate"))
			g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "properties"), name), ==,
				json_object_get_string_member (json_object_get_object_member (one, "properties"), name));
	}
	g_assert_cmpuint (json_object_get_size (result), ==, json_object_get_size (one));
	g_assert_cmpint (mock_test_stat (server, "creates"), ==, 3);

	/* objectWriteTraceId is no idempotency key: the same one twice makes two */
	g_clear_pointer (&answer, json_node_unref);
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'properties':%s,'associations':[],'objectWriteTraceId':'mine'}]}", properties);
	answer = mock_test_expect (server, 201, "POST", BATCH "/create", body);
	g_assert_cmpint (count_titled ("Same"), ==, 4);

	/* Stored as a single create stores it: /__mock/meetings shows the associations sent */
	found = stored_meeting (mock_test_get_string (answer, "results.0.id"));
	g_assert_nonnull (found);
	mock_test_assert_json (mock_test_get (found, "associations"), "[]");
	g_assert_cmpstr (mock_test_get_string (found, "properties.hs_engagement_source"), ==, "INTEGRATION");
}

static JsonNode *
search_titled (const gchar *title)
{
	g_autofree gchar *body = mock_test_printf ("{'filterGroups':[{'filters':[{'propertyName':'hs_meeting_title',"
		"'operator':'EQ','value':'%s'}]}]}", title);

	return mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/meetings/search", body);
}

static void
test_search_lag (void)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(GPtrArray) ids = NULL;

	mock_test_server_reset (server);
	configure ("{'search_lag_ms':800}");

	/* Batch-created meetings join the index as late as single creates */
	ids = create_meetings ("Lagging", 2);
	answer = search_titled ("Lagging 1");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "total")), ==, 0);
	g_clear_pointer (&answer, json_node_unref);

	g_usleep (900 * 1000);
	answer = search_titled ("Lagging 1");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "total")), ==, 1);
	g_assert_cmpstr (mock_test_get_string (answer, "results.0.id"), ==, g_ptr_array_index (ids, 1));

	configure ("{'search_lag_ms':0}");
}

static void
test_partial_failure (void)
{
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) answer = NULL, fault = NULL, record = NULL;
	guint ii;

	mock_test_server_reset (server);

	/* Inputs 1 and 3 fail: a 207 naming exactly those, the others created */
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults",
		"{'kind':'batch-inputs','positions':[1,3],'status':503,'message':'Try this one again'}");
	mock_test_assert_json (fault, "{'id':'<any>','kind':'batch-inputs','match':null,'method':null,'count':1,"
		"'rate':null,'status':503,'retry_after':null,'policy_name':null,'delay_ms':0,'applied':0,"
		"'titles':[],'positions':[1,3],'message':'Try this one again'}");
	body = create_body ("Partly", 5);
	answer = mock_test_expect (server, 207, "POST", BATCH "/create", body);
	mock_test_assert_json (answer, "{'status':'COMPLETE','results':['<any>','<any>','<any>'],'numErrors':2,'errors':["
		"{'status':'error','category':'INTERNAL_ERROR','message':'Try this one again','context':{'objectWriteTraceId':['t-1']}},"
		"{'status':'error','category':'INTERNAL_ERROR','message':'Try this one again','context':{'objectWriteTraceId':['t-3']}}],"
		"'startedAt':'<time>','completedAt':'<time>'}");
	for (ii = 0; ii < 3; ii++) {
		g_autofree gchar *path = mock_test_printf ("results.%u.objectWriteTraceId", ii);
		g_autofree gchar *trace_id = mock_test_printf ("t-%u", ii * 2);
		g_autofree gchar *title = mock_test_printf ("Partly %u", ii * 2);
		g_autofree gchar *failed = mock_test_printf ("Partly %u", ii * 2 + 1);

		g_assert_cmpstr (mock_test_get_string (answer, path), ==, trace_id);
		g_assert_cmpint (count_titled (title), ==, 1);
		if (ii < 2)
			g_assert_cmpint (count_titled (failed), ==, 0);
	}
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 3);
	g_assert_cmpint (mock_test_stat (server, "faults_applied"), ==, 1);
	record = last_record ();
	g_assert_cmpstr (mock_test_get_string (record, "fault"), ==, "batch-inputs");
	g_assert_cmpint (json_node_get_int (mock_test_get (record, "status")), ==, 207);
	g_clear_pointer (&answer, json_node_unref);

	/* The rule was used up: the same batch succeeds whole */
	answer = mock_test_expect (server, 201, "POST", BATCH "/create", body);
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 8);
	g_clear_pointer (&answer, json_node_unref);

	/* By title, the status naming the category, HubSpot's message by default;
	 * an input without objectWriteTraceId has an empty context */
	g_clear_pointer (&fault, json_node_unref);
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults",
		"{'kind':'batch-inputs','titles':['Untraced'],'status':409}");
	g_free (body);
	{
		g_autofree gchar *properties = properties_json ("Untraced");
		g_autofree gchar *other = create_input ("Traced", 0);

		body = mock_test_printf ("{'inputs':[%s,{'properties':%s,'associations':[]}]}", other, properties);
	}
	answer = mock_test_expect (server, 207, "POST", BATCH "/create", body);
	mock_test_assert_json (mock_test_get (answer, "errors"), "[{'status':'error','category':'CONFLICT',"
		"'message':'Conflict (injected fault)','context':{}}]");
	g_assert_cmpstr (mock_test_get_string (answer, "results.0.properties.hs_meeting_title"), ==, "Traced 0");
	g_assert_cmpint (count_titled ("Untraced"), ==, 0);
}

static void
test_update (void)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autofree gchar *body = NULL, *expected = NULL, *missing = NULL, *archived_error = NULL;
	g_autoptr(JsonNode) answer = NULL, before = NULL, after = NULL;
	const gchar *id0, *id1, *id2;

	mock_test_server_reset (server);
	ids = create_meetings ("Update", 3);
	id0 = g_ptr_array_index (ids, 0);
	id1 = g_ptr_array_index (ids, 1);
	id2 = g_ptr_array_index (ids, 2);
	archive_one (id2);
	before = stored_meeting (id0);

	/* Known ids updated, an unknown and an archived one named in the 207 */
	g_usleep (2000);
	body = mock_test_printf ("{'inputs':[{'id':'%s','properties':{'hs_meeting_outcome':'CANCELED','hs_meeting_body':''}},"
		"{'id':'1999999','properties':{'hs_meeting_title':'Nobody'}},"
		"{'id':'%s','properties':{'hs_meeting_title':'Renamed'}},"
		"{'id':'%s','properties':{'hs_meeting_title':'Archived'}}]}", id0, id1, id2);
	answer = mock_test_expect (server, 207, "POST", BATCH "/update", body);
	missing = not_found_error ("1999999");
	archived_error = not_found_error (id2);
	expected = mock_test_printf ("{'status':'COMPLETE','results':['<any>','<any>'],'numErrors':2,'errors':[%s,%s],"
		"'startedAt':'<time>','completedAt':'<time>'}", missing, archived_error);
	mock_test_assert_json (answer, expected);
	g_assert_cmpstr (mock_test_get_string (answer, "results.0.id"), ==, id0);
	g_assert_cmpstr (mock_test_get_string (answer, "results.0.properties.hs_meeting_outcome"), ==, "CANCELED");
	g_assert_cmpstr (mock_test_get_string (answer, "results.1.properties.hs_meeting_title"), ==, "Renamed");
	after = stored_meeting (id0);
	g_assert_cmpstr (mock_test_get_string (after, "properties.hs_meeting_outcome"), ==, "CANCELED");
	g_assert_cmpint (mock_test_parse_time (mock_test_get_string (after, "updatedAt")), >,
		mock_test_parse_time (mock_test_get_string (before, "updatedAt")));
	g_assert_cmpint (count_titled ("Archived"), ==, 0);
	g_assert_cmpint (count_titled ("Nobody"), ==, 0);
	g_clear_pointer (&answer, json_node_unref);

	/* All known: 200 */
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s','properties':{'hs_meeting_location':'Room 1'}}]}", id1);
	answer = mock_test_expect (server, 200, "POST", BATCH "/update", body);
	mock_test_assert_json (answer, "{'status':'COMPLETE','results':['<any>'],'startedAt':'<time>','completedAt':'<time>'}");
	g_assert_cmpstr (mock_test_get_string (answer, "results.0.properties.hs_meeting_location"), ==, "Room 1");
	g_clear_pointer (&answer, json_node_unref);

	/* One bad input: nothing changes (the single PATCH's checks, end before start too) */
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s','properties':{'hs_meeting_title':'Not applied'}},"
		"{'id':'%s','properties':{'hs_meeting_end_time':'2026-03-30T08:00:00Z','hs_object_id':'5'}},"
		"{'id':'1999999','properties':{'hs_meeting_outcome':'LATE'}}]}", id0, id1);
	answer = mock_test_expect (server, 400, "POST", BATCH "/update", body);
	mock_test_assert_json (mock_test_get (answer, "errors"), "["
		"{'message':'inputs[1].properties.hs_object_id: Property \\\"hs_object_id\\\" is read-only','code':'READ_ONLY_VALUE','in':'inputs[1].properties.hs_object_id'},"
		"{'message':'<any>','code':'INVALID_ENUM','in':'inputs[2].properties.hs_meeting_outcome'}]");
	g_clear_pointer (&answer, json_node_unref);
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s','properties':{'hs_meeting_title':'Not applied'}},"
		"{'id':'%s','properties':{'hs_meeting_end_time':'2026-03-30T08:00:00Z'}}]}", id0, id1);
	answer = mock_test_expect (server, 400, "POST", BATCH "/update", body);
	mock_test_assert_json (mock_test_get (answer, "errors"), "[{'message':"
		"'inputs[1].properties.hs_meeting_end_time: the meeting would end (2026-03-30T08:00:00Z) before it starts (2026-03-30T09:00:00Z)',"
		"'code':'INVALID_VALUE','in':'inputs[1].properties.hs_meeting_end_time'}]");
	g_assert_cmpint (count_titled ("Not applied"), ==, 0);
	g_clear_pointer (&answer, json_node_unref);

	/* An id twice, or objectWriteTraceId (not an update input's member): 400 */
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s','properties':{'hs_meeting_title':'Not applied'}},"
		"{'id':'%s','properties':{}}]}", id0, id0);
	answer = mock_test_expect (server, 400, "POST", BATCH "/update", body);
	g_assert_cmpstr (mock_test_get_string (answer, "errors.0.in"), ==, "inputs[1].id");
	g_clear_pointer (&answer, json_node_unref);
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s','properties':{},'objectWriteTraceId':'x'}]}", id0);
	answer = mock_test_expect (server, 400, "POST", BATCH "/update", body);
	g_assert_cmpstr (mock_test_get_string (answer, "errors.0.code"), ==, "UNKNOWN_FIELD");
	g_assert_cmpint (count_titled ("Not applied"), ==, 0);
}

static void
test_archive (void)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autofree gchar *body = NULL, *expected = NULL, *missing = NULL, *path = NULL;
	g_autoptr(JsonNode) answer = NULL, stored = NULL;
	const gchar *known[3];
	guint status;

	mock_test_server_reset (server);
	ids = create_meetings ("Archive", 3);

	/* Known archived, the unknown one named */
	body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'1999999'},{'id':'%s'}]}",
		(gchar *) g_ptr_array_index (ids, 0), (gchar *) g_ptr_array_index (ids, 1));
	answer = mock_test_expect (server, 207, "POST", BATCH "/archive", body);
	missing = not_found_error ("1999999");
	expected = mock_test_printf ("{'status':'COMPLETE','results':[],'numErrors':1,'errors':[%s],"
		"'startedAt':'<time>','completedAt':'<time>'}", missing);
	mock_test_assert_json (answer, expected);
	g_assert_cmpint (mock_test_stat (server, "archived_meetings"), ==, 2);
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 1);
	stored = stored_meeting (g_ptr_array_index (ids, 1));
	g_assert_true (json_node_get_boolean (mock_test_get (stored, "archived")));
	path = mock_test_printf ("/crm/objects/2026-03/meetings/%s", (gchar *) g_ptr_array_index (ids, 0));
	g_assert_cmpuint (mock_test_call (server, "GET", path, NULL, NULL), ==, 404);
	g_clear_pointer (&answer, json_node_unref);

	/* All known (archived already counts, as for the single DELETE): 204, no body */
	known[0] = g_ptr_array_index (ids, 2);
	known[1] = g_ptr_array_index (ids, 0);
	known[2] = NULL;
	g_free (body);
	{
		g_autofree gchar *inputs = id_inputs (known);

		body = mock_test_printf ("{'inputs':%s}", inputs);
	}
	status = mock_test_call (server, "POST", BATCH "/archive", body, &answer);
	g_assert_cmpuint (status, ==, 204);
	g_assert_null (answer);
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "archived_meetings"), ==, 3);

	/* The inputs are {id} */
	answer = mock_test_expect (server, 400, "POST", BATCH "/archive", "{'inputs':[{'id':''},{'id':5,'x':1}]}");
	mock_test_assert_json (mock_test_get (answer, "errors"), "["
		"{'message':'inputs[0].id: must not be empty','code':'INVALID_VALUE','in':'inputs[0].id'},"
		"{'message':'inputs[1].x: unrecognized field \\\"x\\\"','code':'UNKNOWN_FIELD','in':'inputs[1].x'},"
		"{'message':'inputs[1].id: must be a string, not an integer','code':'INVALID_TYPE','in':'inputs[1].id'}]");
}

static void
test_read (void)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autofree gchar *body = NULL, *expected = NULL, *missing = NULL, *archived_error = NULL;
	g_autoptr(JsonNode) answer = NULL;
	const gchar *id0, *id1, *id2;

	mock_test_server_reset (server);
	ids = create_meetings ("Read", 3);
	id0 = g_ptr_array_index (ids, 0);
	id1 = g_ptr_array_index (ids, 1);
	id2 = g_ptr_array_index (ids, 2);
	archive_one (id2);

	/* Found ones answered once each, missing (and archived) ones named once each */
	body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'1999999'},{'id':'%s'},{'id':'%s'},{'id':'1999999'},{'id':'%s'}],"
		"'properties':['hs_meeting_title','hs_meeting_location']}", id1, id0, id1, id2);
	answer = mock_test_expect (server, 207, "POST", BATCH "/read", body);
	missing = not_found_error ("1999999");
	archived_error = not_found_error (id2);
	expected = mock_test_printf ("{'status':'COMPLETE','results':["
		"{'id':'%s','properties':{'hs_meeting_title':'Read 1','hs_meeting_location':null},'createdAt':'<time>','updatedAt':'<time>','archived':false},"
		"{'id':'%s','properties':{'hs_meeting_title':'Read 0','hs_meeting_location':null},'createdAt':'<time>','updatedAt':'<time>','archived':false}],"
		"'numErrors':2,'errors':[%s,%s],'startedAt':'<time>','completedAt':'<time>'}", id1, id0, missing, archived_error);
	mock_test_assert_json (answer, expected);
	g_clear_pointer (&answer, json_node_unref);

	/* All found: 200; without properties, the single read's defaults */
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s'}]}", id0);
	answer = mock_test_expect (server, 200, "POST", BATCH "/read", body);
	g_free (expected);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[{'id':'%s','properties':{'hs_createdate':'<time>',"
		"'hs_lastmodifieddate':'<time>','hs_object_id':'%s'},'createdAt':'<time>','updatedAt':'<time>','archived':false}],"
		"'startedAt':'<time>','completedAt':'<time>'}", id0, id0);
	mock_test_assert_json (answer, expected);
	g_clear_pointer (&answer, json_node_unref);

	/* propertiesWithHistory and idProperty are not among the read's members */
	answer = mock_test_expect (server, 400, "POST", BATCH "/read",
		"{'inputs':[{'id':'1'}],'properties':'hs_meeting_title','propertiesWithHistory':[]}");
	mock_test_assert_json (mock_test_get (answer, "errors"), "["
		"{'message':'propertiesWithHistory: unrecognized field \\\"propertiesWithHistory\\\"','code':'UNKNOWN_FIELD','in':'propertiesWithHistory'},"
		"{'message':'properties: must be an array of property names, not a string','code':'INVALID_TYPE','in':'properties'}]");
}

static void
test_one_request (void)
{
	g_autofree gchar *body = NULL, *read_body = NULL;
	g_autoptr(JsonNode) answer = NULL, requests = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	JsonArray *array;

	mock_test_server_reset (server);
	configure ("{'rate_limit':3,'rate_window_ms':60000}");

	/* 100 creates, then reads and updates of all of them: three requests */
	ids = create_meetings ("Counted", 100);
	g_ptr_array_add (ids, NULL);
	{
		g_autofree gchar *inputs = id_inputs ((const gchar * const *) ids->pdata);

		read_body = mock_test_printf ("{'inputs':%s}", inputs);
	}
	answer = mock_test_expect (server, 200, "POST", BATCH "/read", read_body);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (mock_test_get (answer, "results"))), ==, 100);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 204, "POST", BATCH "/archive", read_body);

	/* The fourth is over the limit, whatever its size */
	g_clear_pointer (&answer, json_node_unref);
	body = create_body ("Limited", 1);
	answer = mock_test_expect (server, 429, "POST", BATCH "/create", body);
	g_assert_cmpstr (mock_test_get_string (answer, "policyName"), ==, "TEN_SECONDLY_ROLLING");
	g_assert_cmpint (count_titled ("Limited 0"), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "rate_limited"), ==, 1);

	/* One record a batch */
	requests = mock_test_expect (server, 200, "GET", "/__mock/requests", NULL);
	array = json_node_get_array (requests);
	g_assert_cmpuint (json_array_get_length (array), ==, 4);
	g_assert_cmpstr (mock_test_get_string (requests, "0.path"), ==, BATCH "/create");
	g_assert_cmpuint (json_array_get_length (json_node_get_array (mock_test_get (requests, "0.body.inputs"))), ==, 100);
	g_assert_cmpint (json_node_get_int (mock_test_get (requests, "0.status")), ==, 201);
	g_assert_cmpstr (mock_test_get_string (requests, "1.path"), ==, BATCH "/read");
	g_assert_cmpstr (mock_test_get_string (requests, "2.path"), ==, BATCH "/archive");
	g_assert_cmpint (json_node_get_int (mock_test_get (requests, "3.status")), ==, 429);
	g_assert_cmpint (mock_test_stat (server, "requests"), ==, 4);

	configure ("{'rate_limit':0,'rate_window_ms':10000}");
}

static void
test_whole_faults (void)
{
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) answer = NULL, fault = NULL, record = NULL;
	g_autoptr(GPtrArray) ids = NULL;

	mock_test_server_reset (server);
	body = create_body ("Whole", 3);

	/* The whole batch answered 503: nothing done */
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults", "{'match':'meetings/batch/create','status':503}");
	answer = mock_test_expect (server, 503, "POST", BATCH "/create", body);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "INTERNAL_ERROR");
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 0);
	record = last_record ();
	g_assert_cmpstr (mock_test_get_string (record, "fault"), ==, "status:503");
	g_clear_pointer (&record, json_node_unref);

	/* Applied, then the answer dropped: the meetings exist, the record keeps the answer */
	g_clear_pointer (&fault, json_node_unref);
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults", "{'match':'meetings/batch/','kind':'drop-after-create'}");
	g_assert_true (mock_test_call_dropped (server, "POST", BATCH "/create", body));
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 3);
	g_assert_cmpint (count_titled ("Whole 2"), ==, 1);
	record = last_record ();
	g_assert_cmpstr (mock_test_get_string (record, "fault"), ==, "drop-after-create");
	g_assert_cmpint (json_node_get_int (mock_test_get (record, "status")), ==, 0);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (mock_test_get (record, "response.results"))), ==, 3);
	g_clear_pointer (&record, json_node_unref);

	/* An archive applied and dropped the same way */
	g_clear_pointer (&fault, json_node_unref);
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults", "{'match':'meetings/batch/archive','kind':'drop-after-create'}");
	ids = create_meetings ("Dropped", 1);
	g_free (body);
	body = mock_test_printf ("{'inputs':[{'id':'%s'}]}", (gchar *) g_ptr_array_index (ids, 0));
	g_assert_true (mock_test_call_dropped (server, "POST", BATCH "/archive", body));
	g_assert_cmpint (mock_test_stat (server, "archived_meetings"), ==, 1);

	/* drop: nothing done */
	g_clear_pointer (&fault, json_node_unref);
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults", "{'match':'meetings/batch/','kind':'drop'}");
	g_free (body);
	body = create_body ("Never", 2);
	g_assert_true (mock_test_call_dropped (server, "POST", BATCH "/create", body));
	g_assert_cmpint (count_titled ("Never 0"), ==, 0);
}

static void
test_fault_control (void)
{
	g_autofree gchar *body = NULL, *single = NULL, *properties = NULL;
	g_autoptr(JsonNode) answer = NULL, fault = NULL, faults = NULL;
	g_autoptr(GPtrArray) ids = NULL;

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 400, "POST", "/__mock/faults", "{'kind':'batch-inputs'}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"kind batch-inputs: titles or positions must choose at least one input");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/faults", "{'kind':'batch-inputs','positions':[100]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/faults", "{'kind':'batch-inputs','titles':[1]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/faults", "{'status':500,'titles':['A']}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "titles, positions and message go with kind batch-inputs only");
	g_clear_pointer (&answer, json_node_unref);

	/* A batch-inputs rule leaves single calls alone and waits for a batch */
	fault = mock_test_expect (server, 201, "POST", "/__mock/faults", "{'kind':'batch-inputs','titles':['Chosen'],'status':404}");
	properties = properties_json ("Chosen");
	single = mock_test_printf ("{'properties':%s,'associations':[]}", properties);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/meetings", single);
	g_clear_pointer (&answer, json_node_unref);
	faults = mock_test_expect (server, 200, "GET", "/__mock/faults", NULL);
	g_assert_cmpint (json_node_get_int (mock_test_get (faults, "0.applied")), ==, 0);

	/* By title on read (update and archive alike): the stored meeting's title */
	ids = create_meetings ("Other", 1);
	{
		g_autoptr(JsonNode) all = mock_test_expect (server, 200, "GET", "/__mock/meetings", NULL);
		const gchar *chosen = mock_test_get_string (all, "0.id");
		g_autofree gchar *expected = mock_test_printf ("[{'status':'error','category':'OBJECT_NOT_FOUND',"
			"'message':'resource not found (injected fault)','context':{'ids':['%s']}}]", chosen);

		body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'%s'}]}", (gchar *) g_ptr_array_index (ids, 0), chosen);
		answer = mock_test_expect (server, 207, "POST", BATCH "/read", body);
		g_assert_cmpuint (json_array_get_length (json_node_get_array (mock_test_get (answer, "results"))), ==, 1);
		g_assert_cmpstr (mock_test_get_string (answer, "results.0.id"), ==, g_ptr_array_index (ids, 0));
		mock_test_assert_json (mock_test_get (answer, "errors"), expected);
	}

	/* Applied once, in the batch where it failed an input */
	g_clear_pointer (&faults, json_node_unref);
	faults = mock_test_expect (server, 200, "GET", "/__mock/faults", NULL);
	g_assert_cmpint (json_node_get_int (mock_test_get (faults, "0.applied")), ==, 1);
	g_assert_cmpint (json_node_get_int (mock_test_get (faults, "0.count")), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "faults_applied"), ==, 1);
}

static void
test_paths (void)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *body = NULL;

	mock_test_server_reset (server);

	/* Upsert needs a property with unique values; meetings have none */
	answer = mock_test_expect (server, 404, "POST", BATCH "/upsert", "{'inputs':[]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "GET", BATCH "/read", NULL);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", BATCH "/read", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"Invalid input JSON : No content to map due to end-of-input");
	g_clear_pointer (&answer, json_node_unref);

	/* The retired form, refused by default, answered with legacy_paths */
	body = create_body ("Legacy", 1);
	answer = mock_test_expect (server, 404, "POST", "/crm/v3/objects/meetings/batch/create", body);
	g_clear_pointer (&answer, json_node_unref);
	configure ("{'legacy_paths':true}");
	answer = mock_test_expect (server, 201, "POST", "/crm/v3/objects/meetings/batch/create", body);
	configure ("{'legacy_paths':false}");
}

int
main (int argc,
      char **argv)
{
	gint status;

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-batch/limits", test_limits);
	g_test_add_func ("/mock-batch/invalid-input", test_invalid_input);
	g_test_add_func ("/mock-batch/create-results", test_create_results);
	g_test_add_func ("/mock-batch/search-lag", test_search_lag);
	g_test_add_func ("/mock-batch/partial-failure", test_partial_failure);
	g_test_add_func ("/mock-batch/update", test_update);
	g_test_add_func ("/mock-batch/archive", test_archive);
	g_test_add_func ("/mock-batch/read", test_read);
	g_test_add_func ("/mock-batch/one-request", test_one_request);
	g_test_add_func ("/mock-batch/whole-faults", test_whole_faults);
	g_test_add_func ("/mock-batch/fault-control", test_fault_control);
	g_test_add_func ("/mock-batch/paths", test_paths);

	server = mock_test_server_start (NULL);
	status = g_test_run ();
	mock_test_server_stop (server);

	return status;
}
