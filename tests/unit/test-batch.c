/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* HubSpot's batch calls on meetings: the bodies built, and every answer
 * (200, 201, 207, 204, broken) read back into one outcome per input. */

#include <string.h>

#include "common/e-hubspot-batch.h"
#include "common/e-hubspot-error.h"

static JsonNode *
parse (const gchar *text)
{
	g_autofree gchar *json = g_strdup (text);
	GError *error = NULL;
	JsonNode *node;
	gchar *ch;

	/* The cases write JSON with single quotes. */
	for (ch = json; *ch; ch++) {
		if (*ch == '\'')
			*ch = '"';
	}

	node = json_from_string (json, &error);
	g_assert_no_error (error);

	return node;
}

/* A CRM create body of a meeting that ended, as the mapping makes it. */
static JsonNode *
create_body (const gchar *title,
	     const gchar *start,
	     const gchar *end)
{
	g_autofree gchar *text = g_strdup_printf ("{'properties':{'hubspot_owner_id':'77','hs_meeting_title':'%s',"
		"'hs_meeting_start_time':'%s','hs_meeting_end_time':'%s','hs_timestamp':'%s',"
		"'hs_meeting_outcome':'COMPLETED'},'associations':[]}", title, start, end, start);

	return parse (text);
}

/* The meeting HubSpot makes of it. */
static gchar *
meeting_json (const gchar *id,
	      const gchar *trace_id,
	      const gchar *title,
	      const gchar *start,
	      const gchar *end)
{
	g_autofree gchar *trace = trace_id ? g_strdup_printf ("'objectWriteTraceId':'%s',", trace_id) : g_strdup ("");

	return g_strdup_printf ("{'id':'%s',%s'properties':{'hubspot_owner_id':'77','hs_meeting_title':'%s',"
		"'hs_meeting_start_time':'%s','hs_meeting_end_time':'%s','hs_timestamp':'%s',"
		"'hs_meeting_outcome':'COMPLETED','hs_object_id':'%s'},'createdAt':'2026-12-01T10:00:00Z',"
		"'updatedAt':'2026-12-01T10:00:00Z','archived':false}", id, trace, title, start, end, start, id);
}

static const gchar *
outcome_id (EHubSpotBatch *batch,
	    guint index,
	    EHubSpotBatchOutcome expected)
{
	JsonNode *meeting = NULL;
	const GError *error = NULL;

	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, index, &meeting, &error), ==, expected);
	if (expected == E_HUBSPOT_BATCH_DONE)
		g_assert_no_error (error);
	else
		g_assert_null (meeting);

	return meeting ? json_object_get_string_member (json_node_get_object (meeting), "id") : NULL;
}

static void
test_create_body (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	g_autoptr(JsonNode) first = create_body ("One", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) second = create_body ("Two", "2026-11-03T09:00:00Z", "2026-11-03T10:00:00Z");
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *first_before = json_to_string (first, FALSE);
	g_autofree gchar *first_after = NULL;
	JsonArray *inputs;

	g_assert_cmpstr (e_hubspot_batch_get_path (batch), ==, "/crm/objects/2026-03/meetings/batch/create");
	g_assert_cmpuint (e_hubspot_batch_add (batch, NULL, first), ==, 0);
	g_assert_cmpuint (e_hubspot_batch_add (batch, NULL, second), ==, 1);
	/* The same body twice is two meetings: two events */
	g_assert_cmpuint (e_hubspot_batch_add (batch, NULL, first), ==, 2);
	g_assert_cmpuint (e_hubspot_batch_get_length (batch), ==, 3);

	body = e_hubspot_batch_build_body (batch);
	inputs = json_object_get_array_member (json_node_get_object (body), "inputs");
	g_assert_cmpuint (json_array_get_length (inputs), ==, 3);
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (inputs, 0), "objectWriteTraceId"), ==, "0");
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (inputs, 2), "objectWriteTraceId"), ==, "2");
	g_assert_cmpstr (json_object_get_string_member (
		json_object_get_object_member (json_array_get_object_element (inputs, 1), "properties"), "hs_meeting_title"), ==, "Two");
	g_assert_true (json_object_has_member (json_array_get_object_element (inputs, 1), "associations"));
	g_assert_false (json_object_has_member (json_array_get_object_element (inputs, 1), "id"));

	/* The caller's body is left as it was */
	first_after = json_to_string (first, FALSE);
	g_assert_cmpstr (first_before, ==, first_after);
}

static void
test_id_bodies (void)
{
	const gchar *properties[] = { "hs_meeting_title", "hs_meeting_start_time", NULL };
	g_autoptr(EHubSpotBatch) update = e_hubspot_batch_new (E_HUBSPOT_BATCH_UPDATE, NULL);
	g_autoptr(EHubSpotBatch) read = e_hubspot_batch_new (E_HUBSPOT_BATCH_READ, properties);
	g_autoptr(EHubSpotBatch) archive = e_hubspot_batch_new (E_HUBSPOT_BATCH_ARCHIVE, NULL);
	g_autoptr(JsonNode) patch = parse ("{'properties':{'hs_meeting_title':'Moved'}}");
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *text = NULL;

	g_assert_cmpuint (e_hubspot_batch_add (update, "101", patch), ==, 0);
	g_assert_cmpuint (e_hubspot_batch_add (update, "102", patch), ==, 1);
	/* A meeting's second change waits for the next batch: its order holds */
	g_assert_cmpuint (e_hubspot_batch_add (update, "101", patch), ==, G_MAXUINT);
	body = e_hubspot_batch_build_body (update);
	text = json_to_string (body, FALSE);
	g_assert_cmpstr (text, ==, "{\"inputs\":[{\"properties\":{\"hs_meeting_title\":\"Moved\"},\"id\":\"101\"},"
		"{\"properties\":{\"hs_meeting_title\":\"Moved\"},\"id\":\"102\"}]}");
	g_assert_cmpstr (e_hubspot_batch_get_path (update), ==, "/crm/objects/2026-03/meetings/batch/update");

	/* A read asked twice is one input */
	g_assert_cmpuint (e_hubspot_batch_add (read, "7", NULL), ==, 0);
	g_assert_cmpuint (e_hubspot_batch_add (read, "8", NULL), ==, 1);
	g_assert_cmpuint (e_hubspot_batch_add (read, "7", NULL), ==, 0);
	g_clear_pointer (&body, json_node_unref);
	g_clear_pointer (&text, g_free);
	body = e_hubspot_batch_build_body (read);
	text = json_to_string (body, FALSE);
	g_assert_cmpstr (text, ==, "{\"inputs\":[{\"id\":\"7\"},{\"id\":\"8\"}],"
		"\"properties\":[\"hs_meeting_title\",\"hs_meeting_start_time\"]}");
	g_assert_cmpstr (e_hubspot_batch_get_path (read), ==, "/crm/objects/2026-03/meetings/batch/read");

	g_assert_cmpuint (e_hubspot_batch_add (archive, "5", NULL), ==, 0);
	g_assert_cmpuint (e_hubspot_batch_add (archive, "5", NULL), ==, G_MAXUINT);
	g_clear_pointer (&body, json_node_unref);
	g_clear_pointer (&text, g_free);
	body = e_hubspot_batch_build_body (archive);
	text = json_to_string (body, FALSE);
	g_assert_cmpstr (text, ==, "{\"inputs\":[{\"id\":\"5\"}]}");
	g_assert_cmpstr (e_hubspot_batch_get_path (archive), ==, "/crm/objects/2026-03/meetings/batch/archive");
}

static void
test_full (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_ARCHIVE, NULL);
	guint ii;

	for (ii = 0; ii < E_HUBSPOT_BATCH_MAX; ii++) {
		g_autofree gchar *id = g_strdup_printf ("%u", 1000 + ii);

		g_assert_false (e_hubspot_batch_is_full (batch));
		g_assert_cmpuint (e_hubspot_batch_add (batch, id, NULL), ==, ii);
	}

	g_assert_true (e_hubspot_batch_is_full (batch));
	g_assert_cmpuint (e_hubspot_batch_add (batch, "5000", NULL), ==, G_MAXUINT);
	g_assert_cmpuint (e_hubspot_batch_get_length (batch), ==, 100);
}

/* HubSpot may answer in any order: the trace ids say whose each is. */
static void
test_create_by_trace_id (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	g_autoptr(JsonNode) same = create_body ("Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autoptr(JsonNode) other = create_body ("Review", "2026-11-02T11:00:00Z", "2026-11-02T12:00:00Z");
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *m0 = meeting_json ("500", "2", "Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *m1 = meeting_json ("501", "0", "Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *m2 = meeting_json ("502", "1", "Review", "2026-11-02T11:00:00Z", "2026-11-02T12:00:00Z");
	g_autofree gchar *text = NULL;
	GError *error = NULL;

	e_hubspot_batch_add (batch, NULL, same);
	e_hubspot_batch_add (batch, NULL, other);
	e_hubspot_batch_add (batch, NULL, same);

	text = g_strdup_printf ("{'status':'COMPLETE','results':[%s,%s,%s],'startedAt':'x','completedAt':'y'}", m0, m1, m2);
	answer = parse (text);
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, &error));
	g_assert_no_error (error);

	g_assert_cmpstr (outcome_id (batch, 0, E_HUBSPOT_BATCH_DONE), ==, "501");
	g_assert_cmpstr (outcome_id (batch, 1, E_HUBSPOT_BATCH_DONE), ==, "502");
	g_assert_cmpstr (outcome_id (batch, 2, E_HUBSPOT_BATCH_DONE), ==, "500");
}

/* Results without trace ids are matched by what they hold, each meeting
 * to one input; one that matches nothing leaves its input unknown. */
static void
test_create_by_content (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	g_autoptr(JsonNode) same = create_body ("Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autoptr(JsonNode) longer = create_body ("Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:30:00Z");
	g_autoptr(JsonNode) lost = create_body ("Lost", "2026-11-04T09:00:00Z", "2026-11-04T09:30:00Z");
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *m0 = meeting_json ("600", NULL, "Standup", "2026-11-02T09:00:00.000Z", "2026-11-02T09:30:00.000Z");
	g_autofree gchar *m1 = meeting_json ("601", NULL, "Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *m2 = meeting_json ("602", NULL, "Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *stray = meeting_json ("603", NULL, "Nobody else", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *text = NULL;
	const gchar *first, *second;

	e_hubspot_batch_add (batch, NULL, same);
	e_hubspot_batch_add (batch, NULL, longer);
	e_hubspot_batch_add (batch, NULL, same);
	e_hubspot_batch_add (batch, NULL, lost);

	text = g_strdup_printf ("{'status':'COMPLETE','results':[%s,%s,%s,%s]}", m0, m1, stray, m2);
	answer = parse (text);
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, NULL));

	/* The end tells the two standups apart; the identical ones get one each */
	g_assert_cmpstr (outcome_id (batch, 1, E_HUBSPOT_BATCH_DONE), ==, "600");
	first = outcome_id (batch, 0, E_HUBSPOT_BATCH_DONE);
	second = outcome_id (batch, 2, E_HUBSPOT_BATCH_DONE);
	g_assert_nonnull (first);
	g_assert_nonnull (second);
	g_assert_cmpstr (first, !=, second);
	g_assert_true (g_str_equal (first, "601") || g_str_equal (first, "602"));
	g_assert_true (g_str_equal (second, "601") || g_str_equal (second, "602"));
	g_assert_null (outcome_id (batch, 3, E_HUBSPOT_BATCH_UNKNOWN));
}

/* A meeting matched by its content never takes the place of an input
 * that a result's trace id or an error names, whatever their order in
 * the answer (HubSpot's results need not follow the inputs'). */
static void
test_create_content_last (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	g_autoptr(JsonNode) same = create_body ("Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *untraced = meeting_json ("800", NULL, "Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *traced = meeting_json ("801", "1", "Standup", "2026-11-02T09:00:00Z", "2026-11-02T09:15:00Z");
	g_autofree gchar *text = NULL;
	const GError *error = NULL;

	e_hubspot_batch_add (batch, NULL, same);
	e_hubspot_batch_add (batch, NULL, same);
	e_hubspot_batch_add (batch, NULL, same);

	text = g_strdup_printf ("{'status':'COMPLETE','results':[%s,%s],'errors':[{'status':'error',"
		"'category':'VALIDATION_ERROR','message':'No','context':{'objectWriteTraceIds':['0']}}]}", untraced, traced);
	answer = parse (text);
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, NULL));

	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, 0, NULL, &error), ==, E_HUBSPOT_BATCH_FAILED);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_VALIDATION);
	g_assert_cmpstr (outcome_id (batch, 1, E_HUBSPOT_BATCH_DONE), ==, "801");
	g_assert_cmpstr (outcome_id (batch, 2, E_HUBSPOT_BATCH_DONE), ==, "800");
}

/* A 207: the failed inputs get HubSpot's message, the rest their
 * meetings; an input the answer forgets stays unknown. */
static void
test_create_partial (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	g_autoptr(JsonNode) b0 = create_body ("Zero", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) b1 = create_body ("One", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) b2 = create_body ("Two", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) b3 = create_body ("Three", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *m0 = meeting_json ("700", "0", "Zero", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autofree gchar *text = NULL;
	const GError *error = NULL;
	JsonNode *meeting = NULL;

	e_hubspot_batch_add (batch, NULL, b0);
	e_hubspot_batch_add (batch, NULL, b1);
	e_hubspot_batch_add (batch, NULL, b2);
	e_hubspot_batch_add (batch, NULL, b3);

	text = g_strdup_printf ("{'status':'COMPLETE','results':[%s],'numErrors':2,'errors':["
		"{'status':'error','category':'VALIDATION_ERROR','message':'Property values were not valid',"
		"'correlationId':'c-1','context':{'objectWriteTraceId':['1']}},"
		"{'status':'error','category':'OBJECT_NOT_FOUND','message':'Association target gone',"
		"'objectWriteTraceId':'2'}]}", m0);
	answer = parse (text);
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, NULL));

	g_assert_cmpstr (outcome_id (batch, 0, E_HUBSPOT_BATCH_DONE), ==, "700");

	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, 1, &meeting, &error), ==, E_HUBSPOT_BATCH_FAILED);
	g_assert_null (meeting);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_VALIDATION);
	g_assert_nonnull (strstr (error->message, "Property values were not valid"));
	g_assert_cmpstr (e_hubspot_error_get_correlation_id (error), ==, "c-1");
	g_assert_false (e_hubspot_error_is_transient (error));

	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, 2, NULL, &error), ==, E_HUBSPOT_BATCH_FAILED);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND);

	g_assert_null (outcome_id (batch, 3, E_HUBSPOT_BATCH_UNKNOWN));
}

static void
test_read_missing (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_READ, NULL);
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *m8 = meeting_json ("8", NULL, "Eight", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autofree gchar *text = NULL;
	const GError *error = NULL;

	e_hubspot_batch_add (batch, "7", NULL);
	e_hubspot_batch_add (batch, "8", NULL);
	e_hubspot_batch_add (batch, "9", NULL);

	text = g_strdup_printf ("{'status':'COMPLETE','results':[%s],'numErrors':1,'errors':["
		"{'status':'error','category':'OBJECT_NOT_FOUND','message':'Could not get some MEETING objects',"
		"'context':{'ids':['9','7','12']}}]}", m8);
	answer = parse (text);
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, NULL));

	g_assert_cmpstr (outcome_id (batch, 1, E_HUBSPOT_BATCH_DONE), ==, "8");
	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, 0, NULL, &error), ==, E_HUBSPOT_BATCH_FAILED);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND);
	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, 2, NULL, &error), ==, E_HUBSPOT_BATCH_FAILED);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND);
}

/* An update's results by id; an error of a category nobody knows is
 * taken as transient: nothing says the input was wrong. */
static void
test_update_results (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_UPDATE, NULL);
	g_autoptr(JsonNode) patch = parse ("{'properties':{'hs_meeting_title':'Moved'}}");
	g_autoptr(JsonNode) answer = NULL;
	const GError *error = NULL;

	e_hubspot_batch_add (batch, "31", patch);
	e_hubspot_batch_add (batch, "32", patch);
	e_hubspot_batch_add (batch, "33", patch);

	answer = parse ("{'status':'COMPLETE','results':[{'id':'33','properties':{'hs_meeting_title':'Moved'}},"
		"{'id':'99','properties':{}},{'id':'31','properties':{'hs_meeting_title':'Moved'}}],"
		"'errors':[{'status':'error','category':'SOMETHING_NEW','message':'Try later','context':{'ids':['32']}}]}");
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, NULL));

	g_assert_cmpstr (outcome_id (batch, 0, E_HUBSPOT_BATCH_DONE), ==, "31");
	g_assert_cmpstr (outcome_id (batch, 2, E_HUBSPOT_BATCH_DONE), ==, "33");
	g_assert_cmpint (e_hubspot_batch_get_outcome (batch, 1, NULL, &error), ==, E_HUBSPOT_BATCH_FAILED);
	g_assert_true (e_hubspot_error_is_transient (error));
	g_assert_nonnull (strstr (error->message, "Try later"));
}

static void
test_archive_and_broken (void)
{
	g_autoptr(EHubSpotBatch) archive = e_hubspot_batch_new (E_HUBSPOT_BATCH_ARCHIVE, NULL);
	g_autoptr(EHubSpotBatch) update = e_hubspot_batch_new (E_HUBSPOT_BATCH_UPDATE, NULL);
	g_autoptr(JsonNode) patch = parse ("{'properties':{'hs_meeting_title':'Moved'}}");
	g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);
	g_autoptr(JsonNode) broken = parse ("{'status':'COMPLETE','results':{'id':'31'}}");
	GError *error = NULL;

	/* 204: every input archived */
	e_hubspot_batch_add (archive, "41", NULL);
	e_hubspot_batch_add (archive, "42", NULL);
	g_assert_true (e_hubspot_batch_read_answer (archive, null_node, NULL));
	g_assert_null (outcome_id (archive, 0, E_HUBSPOT_BATCH_DONE));
	g_assert_null (outcome_id (archive, 1, E_HUBSPOT_BATCH_DONE));

	/* Not a batch answer: refused, every input unknown */
	e_hubspot_batch_add (update, "31", patch);
	g_assert_false (e_hubspot_batch_read_answer (update, broken, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);
	g_assert_false (e_hubspot_batch_read_answer (update, null_node, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);
	g_assert_null (outcome_id (update, 0, E_HUBSPOT_BATCH_UNKNOWN));
}

/* A result may not take an input another result already has, nor one
 * out of range. */
static void
test_create_trace_id_abuse (void)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	g_autoptr(JsonNode) b0 = create_body ("Zero", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) b1 = create_body ("One", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *m0 = meeting_json ("800", "0", "Zero", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autofree gchar *again = meeting_json ("801", "0", "Zero", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autofree gchar *beyond = meeting_json ("802", "5", "One", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z");
	g_autofree gchar *text = NULL;

	e_hubspot_batch_add (batch, NULL, b0);
	e_hubspot_batch_add (batch, NULL, b1);

	text = g_strdup_printf ("{'status':'COMPLETE','results':[%s,%s,%s]}", m0, again, beyond);
	answer = parse (text);
	g_assert_true (e_hubspot_batch_read_answer (batch, answer, NULL));

	g_assert_cmpstr (outcome_id (batch, 0, E_HUBSPOT_BATCH_DONE), ==, "800");
	g_assert_null (outcome_id (batch, 1, E_HUBSPOT_BATCH_UNKNOWN));
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/batch/create-body", test_create_body);
	g_test_add_func ("/batch/id-bodies", test_id_bodies);
	g_test_add_func ("/batch/full", test_full);
	g_test_add_func ("/batch/create-by-trace-id", test_create_by_trace_id);
	g_test_add_func ("/batch/create-by-content", test_create_by_content);
	g_test_add_func ("/batch/create-content-last", test_create_content_last);
	g_test_add_func ("/batch/create-partial", test_create_partial);
	g_test_add_func ("/batch/read-missing", test_read_missing);
	g_test_add_func ("/batch/update-results", test_update_results);
	g_test_add_func ("/batch/archive-and-broken", test_archive_and_broken);
	g_test_add_func ("/batch/create-trace-id-abuse", test_create_trace_id_abuse);

	return g_test_run ();
}
