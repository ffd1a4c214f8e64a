/* hubspot-mock-batch.c: the meetings' batch calls (create, update, archive, read)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each input is checked as its single call's body is, and every input
 * before any is applied: a problem in any input refuses the whole batch
 * (400, every problem listed, nothing done).  A record that is not there,
 * or an input failed by a batch-inputs fault, is one errors[] item of a
 * 207 while the other inputs are applied (README.md, "Batch calls of
 * meetings").  A batch is one request: one record, one count against the
 * rate limit.
 */

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

#define NOT_FOUND_MESSAGE "Could not get some MEETING objects, they may be deleted or not exist. Check that ids are valid."

static MockMeeting *
find_live_meeting (MockServer *mock,
		   const gchar *id)
{
	MockMeeting *meeting = mock_find_meeting (mock, id);

	return meeting && !meeting->archived_ms ? meeting : NULL;
}

static const gchar *
meeting_title (MockMeeting *meeting)
{
	return meeting ? g_hash_table_lookup (meeting->properties, "hs_meeting_title") : NULL;
}

static gboolean
fault_chooses (const MockFault *fault,
	       guint index,
	       const gchar *title)
{
	guint ii;

	for (ii = 0; fault->positions && ii < fault->positions->len; ii++) {
		if (g_array_index (fault->positions, guint, ii) == index)
			return TRUE;
	}

	return title && fault->titles && g_strv_contains ((const gchar * const *) fault->titles, title);
}

/* One batch call being applied */
typedef struct {
	MockRequest *req;
	MockFault *rule;	/* its batch-inputs rule (borrowed), or NULL */
	JsonArray *results;
	JsonArray *errors;
	gint64 started_ms;
	/* batch/read: the property names to answer, the ids answered */
	GPtrArray *names;
	GHashTable *seen;
} Batch;

typedef void (*ApplyInput) (Batch *batch,
			    guint index,
			    JsonObject *input);

static void
batch_clear (Batch *batch)
{
	g_clear_pointer (&batch->results, json_array_unref);
	g_clear_pointer (&batch->errors, json_array_unref);
	g_clear_pointer (&batch->names, g_ptr_array_unref);
	g_clear_pointer (&batch->seen, g_hash_table_unref);
}

/* Fails the input when the batch-inputs rule chooses it (the rule counts
 * as applied once per batch it failed inputs of); @context_name NULL: an
 * empty context */
static gboolean
fail_injected (Batch *batch,
	       guint index,
	       const gchar *title,
	       const gchar *context_name,
	       const gchar *context_value)
{
	const MockFault *rule = batch->rule;
	const gchar *category, *message;
	g_autoptr(GPtrArray) values = g_ptr_array_new ();

	if (!rule || !fault_chooses (rule, index, title))
		return FALSE;

	mock_fault_describe (rule->status, &category, &message);
	g_ptr_array_add (values, (gpointer) context_value);
	json_array_add_object_element (batch->errors,
		mock_batch_error (category, rule->message ? rule->message : message, context_name, values));

	if (!batch->req->fault)
		mock_fault_apply (batch->req, batch->rule);

	return TRUE;
}

static gboolean
fail_unknown (Batch *batch,
	      MockMeeting *meeting,
	      const gchar *id)
{
	g_autoptr(GPtrArray) ids = NULL;

	if (meeting)
		return FALSE;

	ids = g_ptr_array_new ();
	g_ptr_array_add (ids, (gpointer) id);
	json_array_add_object_element (batch->errors, mock_batch_error ("OBJECT_NOT_FOUND", NOT_FOUND_MESSAGE, "ids", ids));

	return TRUE;
}

/* Problems of each create or update input beyond its schema, under the
 * input's path; an unknown id is the input's failure, not the batch's */
static JsonArray *
record_problems (MockServer *mock,
		 JsonArray *inputs,
		 gboolean update)
{
	JsonArray *errors = json_array_new ();
	guint ii;

	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *input = json_array_get_object_element (inputs, ii);
		MockMeeting *meeting = update ? find_live_meeting (mock, json_object_get_string_member (input, "id")) : NULL;
		g_autoptr(JsonArray) problems = json_array_new ();
		g_autofree gchar *prefix = g_strdup_printf ("inputs[%u]", ii);

		if (update && !meeting)
			continue;

		mock_check_crm_meeting_input (mock, input, meeting, problems);
		e_hubspot_mock_schema_append_prefixed (errors, problems, prefix);
	}

	return errors;
}

typedef enum {
	RECORDS_NONE,
	RECORDS_CREATE,
	RECORDS_UPDATE
} RecordCheck;

/* Checks every input, before any is applied: the inputs, or NULL when the
 * batch is refused (the answer given) */
static JsonArray *
batch_begin (Batch *batch,
	     MockRequest *req,
	     JsonArray *(*collect_problems) (JsonNode *body),
	     RecordCheck records)
{
	JsonArray *problems = collect_problems (req->body);
	JsonArray *inputs;

	batch->req = req;
	batch->started_ms = mock_now_ms ();

	if (problems) {
		mock_reply_validation_errors (req, problems);
		return NULL;
	}

	inputs = json_object_get_array_member (json_node_get_object (req->body), "inputs");
	if (records != RECORDS_NONE) {
		problems = record_problems (req->mock, inputs, records == RECORDS_UPDATE);
		if (json_array_get_length (problems)) {
			mock_reply_validation_errors (req, problems);
			return NULL;
		}
		json_array_unref (problems);
	}

	/* No other fault applies to the call, or that one alone does */
	batch->rule = req->fault ? NULL : mock_match_fault (req, TRUE);
	batch->results = json_array_new ();
	batch->errors = json_array_new ();

	return inputs;
}

static void
batch_apply (Batch *batch,
	     JsonArray *inputs,
	     ApplyInput apply)
{
	guint ii;

	for (ii = 0; ii < json_array_get_length (inputs); ii++)
		apply (batch, ii, json_array_get_object_element (inputs, ii));
}

/* @ok_status, or 207 when some inputs failed */
static void
batch_reply (Batch *batch,
	     guint ok_status)
{
	mock_reply_batch (batch->req, ok_status, g_steal_pointer (&batch->results),
		g_steal_pointer (&batch->errors), batch->started_ms);
}

static void
create_input (Batch *batch,
	      guint index,
	      JsonObject *input)
{
	const gchar *trace_id = mock_json_get_string (input, "objectWriteTraceId");
	const gchar *title = mock_json_get_string (json_object_get_object_member (input, "properties"), "hs_meeting_title");
	JsonObject *result;

	/* The trace id is how a client pairs results and errors with inputs */
	if (fail_injected (batch, index, title, trace_id ? "objectWriteTraceId" : NULL, trace_id))
		return;

	result = mock_meeting_to_json (mock_meeting_create_crm (batch->req->mock, input), NULL);
	if (trace_id)
		json_object_set_string_member (result, "objectWriteTraceId", trace_id);
	json_array_add_object_element (batch->results, result);
}

static void
update_input (Batch *batch,
	      guint index,
	      JsonObject *input)
{
	JsonObject *properties = json_object_get_object_member (input, "properties");
	const gchar *id = json_object_get_string_member (input, "id");
	MockMeeting *meeting = find_live_meeting (batch->req->mock, id);
	const gchar *title = mock_json_get_string (properties, "hs_meeting_title");

	if (fail_injected (batch, index, title ? title : meeting_title (meeting), "ids", id) ||
	    fail_unknown (batch, meeting, id))
		return;

	mock_meeting_update (meeting, properties);
	json_array_add_object_element (batch->results, mock_meeting_to_json (meeting, NULL));
}

/* An archived meeting again is done, as for the single DELETE; 204 and no
 * body when every input was archived */
static void
archive_input (Batch *batch,
	       guint index,
	       JsonObject *input)
{
	const gchar *id = json_object_get_string_member (input, "id");
	MockMeeting *meeting = mock_find_meeting (batch->req->mock, id);

	if (fail_injected (batch, index, meeting_title (meeting), "ids", id) ||
	    fail_unknown (batch, meeting, id))
		return;

	if (!meeting->archived_ms)
		meeting->archived_ms = mock_now_ms ();
}

static void
read_input (Batch *batch,
	    guint index,
	    JsonObject *input)
{
	const gchar *id = json_object_get_string_member (input, "id");
	MockMeeting *meeting = find_live_meeting (batch->req->mock, id);

	/* An id asked twice is answered (or named) once */
	if (!g_hash_table_add (batch->seen, (gpointer) id))
		return;

	if (fail_injected (batch, index, meeting_title (meeting), "ids", id) ||
	    fail_unknown (batch, meeting, id))
		return;

	json_array_add_object_element (batch->results,
		mock_meeting_to_json (meeting, (const gchar * const *) batch->names->pdata));
}

/* Without properties, what the single read answers without ?properties= */
static void
read_prepare (Batch *batch)
{
	JsonNode *properties = json_object_get_member (json_node_get_object (batch->req->body), "properties");
	JsonArray *names = properties ? json_node_get_array (properties) : NULL;
	guint ii;

	batch->names = g_ptr_array_new ();
	batch->seen = g_hash_table_new (g_str_hash, g_str_equal);
	for (ii = 0; names && ii < json_array_get_length (names); ii++)
		g_ptr_array_add (batch->names, (gpointer) json_array_get_string_element (names, ii));
	for (ii = 0; !names && mock_meeting_default_properties[ii]; ii++)
		g_ptr_array_add (batch->names, (gpointer) mock_meeting_default_properties[ii]);
	g_ptr_array_add (batch->names, NULL);
}

static const struct {
	const gchar *action;
	JsonArray *	(*collect_problems)	(JsonNode *body);
	RecordCheck records;
	void		(*prepare)		(Batch *batch);
	ApplyInput apply;
	guint ok_status;	/* 204: no body when all inputs were done */
} calls[] = {
	{ "create", e_hubspot_mock_schema_collect_meeting_batch_create_problems, RECORDS_CREATE,
	  NULL, create_input, SOUP_STATUS_CREATED },
	{ "update", e_hubspot_mock_schema_collect_meeting_batch_update_problems, RECORDS_UPDATE,
	  NULL, update_input, SOUP_STATUS_OK },
	{ "archive", e_hubspot_mock_schema_collect_meeting_batch_archive_problems, RECORDS_NONE,
	  NULL, archive_input, SOUP_STATUS_NO_CONTENT },
	{ "read", e_hubspot_mock_schema_collect_meeting_batch_read_problems, RECORDS_NONE,
	  read_prepare, read_input, SOUP_STATUS_OK }
};

void
mock_api_meetings_batch (MockRequest *req,
			 const gchar *action)
{
	Batch batch = { NULL };
	JsonArray *inputs;
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (calls) && !g_str_equal (action, calls[ii].action); ii++)
		;

	/* upsert too: meetings have no property with unique values to upsert by */
	if (ii == G_N_ELEMENTS (calls)) {
		mock_reply_not_found (req);
		return;
	}

	if (!g_str_equal (req->method, "POST")) {
		mock_reply_method_not_allowed (req, "POST");
		return;
	}

	if (!mock_require_json_body (req))
		return;

	inputs = batch_begin (&batch, req, calls[ii].collect_problems, calls[ii].records);
	if (!inputs)
		return;

	if (calls[ii].prepare)
		calls[ii].prepare (&batch);
	batch_apply (&batch, inputs, calls[ii].apply);

	if (calls[ii].ok_status == SOUP_STATUS_NO_CONTENT && !json_array_get_length (batch.errors))
		mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
	else
		batch_reply (&batch, calls[ii].ok_status);

	batch_clear (&batch);
}
