/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gi18n-lib.h>

#include "e-hubspot-batch.h"
#include "e-hubspot-error.h"
#include "e-hubspot-json.h"
#include "e-hubspot-paths.h"
#include "e-hubspot-requests.h"

typedef struct {
	gchar *id;			/* UPDATE, ARCHIVE, READ */
	JsonNode *body;			/* CREATE, UPDATE */
	EHubSpotBatchOutcome outcome;
	JsonNode *meeting;
	GError *error;
} BatchInput;

struct _EHubSpotBatch {
	EHubSpotBatchKind kind;
	gchar **properties;
	GArray *inputs;			/* BatchInput */
	GHashTable *by_id;		/* id ~> index + 1 */
};

static void
batch_input_clear (gpointer data)
{
	BatchInput *input = data;

	g_free (input->id);
	g_clear_pointer (&input->body, json_node_unref);
	g_clear_pointer (&input->meeting, json_node_unref);
	g_clear_error (&input->error);
}

EHubSpotBatch *
e_hubspot_batch_new (EHubSpotBatchKind kind,
		     const gchar * const *properties)
{
	EHubSpotBatch *batch = g_new0 (EHubSpotBatch, 1);

	batch->kind = kind;
	batch->properties = g_strdupv ((gchar **) properties);
	batch->inputs = g_array_sized_new (FALSE, TRUE, sizeof (BatchInput), 16);
	g_array_set_clear_func (batch->inputs, batch_input_clear);
	batch->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

	return batch;
}

void
e_hubspot_batch_free (EHubSpotBatch *batch)
{
	if (!batch)
		return;

	g_strfreev (batch->properties);
	g_array_unref (batch->inputs);
	g_hash_table_destroy (batch->by_id);
	g_free (batch);
}

EHubSpotBatchKind
e_hubspot_batch_get_kind (EHubSpotBatch *batch)
{
	g_return_val_if_fail (batch != NULL, E_HUBSPOT_BATCH_CREATE);

	return batch->kind;
}

guint
e_hubspot_batch_get_length (EHubSpotBatch *batch)
{
	g_return_val_if_fail (batch != NULL, 0);

	return batch->inputs->len;
}

gboolean
e_hubspot_batch_is_full (EHubSpotBatch *batch)
{
	g_return_val_if_fail (batch != NULL, TRUE);

	return batch->inputs->len >= E_HUBSPOT_BATCH_MAX;
}

guint
e_hubspot_batch_add (EHubSpotBatch *batch,
		     const gchar *id,
		     JsonNode *body)
{
	BatchInput input = { 0 };
	gpointer known;

	g_return_val_if_fail (batch != NULL, G_MAXUINT);
	g_return_val_if_fail ((batch->kind == E_HUBSPOT_BATCH_CREATE) == (id == NULL), G_MAXUINT);
	g_return_val_if_fail ((batch->kind == E_HUBSPOT_BATCH_CREATE ||
			       batch->kind == E_HUBSPOT_BATCH_UPDATE) == (body != NULL), G_MAXUINT);

	if (id && (known = g_hash_table_lookup (batch->by_id, id)) != NULL)
		return batch->kind == E_HUBSPOT_BATCH_READ ? GPOINTER_TO_UINT (known) - 1 : G_MAXUINT;

	if (e_hubspot_batch_is_full (batch))
		return G_MAXUINT;

	input.id = g_strdup (id);
	input.body = body ? json_node_ref (body) : NULL;
	g_array_append_val (batch->inputs, input);

	if (id)
		g_hash_table_insert (batch->by_id, g_strdup (id), GUINT_TO_POINTER (batch->inputs->len));

	return batch->inputs->len - 1;
}

const gchar *
e_hubspot_batch_get_path (EHubSpotBatch *batch)
{
	g_return_val_if_fail (batch != NULL, NULL);

	switch (batch->kind) {
	case E_HUBSPOT_BATCH_CREATE:
		return E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/create";
	case E_HUBSPOT_BATCH_UPDATE:
		return E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/update";
	case E_HUBSPOT_BATCH_ARCHIVE:
		return E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/archive";
	case E_HUBSPOT_BATCH_READ:
		return E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/read";
	}

	g_return_val_if_reached (NULL);
}

/* A create's objectWriteTraceId: its index, which only has to tell the
 * inputs of one batch apart. */
static gchar *
batch_trace_id (guint index)
{
	return g_strdup_printf ("%u", index);
}

JsonNode *
e_hubspot_batch_build_body (EHubSpotBatch *batch)
{
	JsonObject *root;
	JsonNode *node;
	JsonArray *inputs;
	guint ii;

	g_return_val_if_fail (batch != NULL, NULL);

	root = json_object_new ();
	inputs = json_array_new ();

	for (ii = 0; ii < batch->inputs->len; ii++) {
		BatchInput *input = &g_array_index (batch->inputs, BatchInput, ii);
		JsonObject *item;

		/* A new object around the body's members: json_node_copy ()
		 * would share the body's object, which the members below
		 * would change for every input holding it. */
		item = json_object_new ();
		if (input->body && JSON_NODE_HOLDS_OBJECT (input->body)) {
			JsonObjectIter iter;
			const gchar *name;
			JsonNode *value;

			json_object_iter_init (&iter, json_node_get_object (input->body));
			while (json_object_iter_next (&iter, &name, &value))
				json_object_set_member (item, name, json_node_copy (value));
		}

		if (input->id)
			json_object_set_string_member (item, "id", input->id);
		if (batch->kind == E_HUBSPOT_BATCH_CREATE) {
			g_autofree gchar *trace_id = batch_trace_id (ii);

			json_object_set_string_member (item, "objectWriteTraceId", trace_id);
		}

		json_array_add_object_element (inputs, item);
	}

	json_object_set_array_member (root, "inputs", inputs);

	if (batch->kind == E_HUBSPOT_BATCH_READ && batch->properties) {
		JsonArray *properties = json_array_new ();

		for (ii = 0; batch->properties[ii]; ii++)
			json_array_add_string_element (properties, batch->properties[ii]);
		json_object_set_array_member (root, "properties", properties);
	}

	node = json_node_new (JSON_NODE_OBJECT);
	json_node_take_object (node, root);

	return node;
}

/* The input named by id (UPDATE, ARCHIVE, READ) or by a create's trace
 * id; NULL when none is, or when it already has its outcome. */
static BatchInput *
batch_find_input (EHubSpotBatch *batch,
		  const gchar *name)
{
	BatchInput *input = NULL;

	if (!name)
		return NULL;

	if (batch->kind == E_HUBSPOT_BATCH_CREATE) {
		guint64 index;

		if (g_ascii_string_to_unsigned (name, 10, 0, batch->inputs->len - 1, &index, NULL))
			input = &g_array_index (batch->inputs, BatchInput, index);
	} else {
		gpointer known = g_hash_table_lookup (batch->by_id, name);

		if (known)
			input = &g_array_index (batch->inputs, BatchInput, GPOINTER_TO_UINT (known) - 1);
	}

	return input && input->outcome == E_HUBSPOT_BATCH_UNKNOWN ? input : NULL;
}

/* A created meeting without a trace id: the first open create whose body
 * it fulfils (identical bodies are interchangeable). */
static BatchInput *
batch_match_create (EHubSpotBatch *batch,
		    JsonNode *meeting)
{
	guint ii;

	for (ii = 0; ii < batch->inputs->len; ii++) {
		BatchInput *input = &g_array_index (batch->inputs, BatchInput, ii);

		if (input->outcome == E_HUBSPOT_BATCH_UNKNOWN &&
		    e_hubspot_requests_meeting_matches (input->body, meeting))
			return input;
	}

	return NULL;
}

static void
batch_read_result (EHubSpotBatch *batch,
		   JsonNode *meeting)
{
	JsonObject *object = JSON_NODE_HOLDS_OBJECT (meeting) ? json_node_get_object (meeting) : NULL;
	g_autofree gchar *id = e_hubspot_json_dup_id (meeting, "id");
	BatchInput *input;

	if (!id)
		return;

	if (batch->kind == E_HUBSPOT_BATCH_CREATE) {
		const gchar *trace_id = e_hubspot_json_get_text (object, "objectWriteTraceId");

		/* A trace id that names no open input names none: that input
		 * stays unknown, and a lookup finds its meeting later. */
		input = trace_id ? batch_find_input (batch, trace_id) : batch_match_create (batch, meeting);
	} else {
		input = batch_find_input (batch, id);
	}

	if (input) {
		input->outcome = E_HUBSPOT_BATCH_DONE;
		input->meeting = json_node_ref (meeting);
	}
}

/* The status an input's error stands for: its own, when it gives one as
 * a number, else its category's. */
static guint
batch_error_status (JsonObject *object)
{
	static const struct {
		const gchar *category;
		guint status;
	} categories[] = {
		{ "VALIDATION_ERROR", 400 },
		{ "INVALID_AUTHENTICATION", 401 },
		{ "EXPIRED_AUTHENTICATION", 401 },
		{ "MISSING_SCOPES", 403 },
		{ "OBJECT_NOT_FOUND", 404 },
		{ "CONFLICT", 409 },
		{ "LOCKED", 423 },
		{ "RATE_LIMITS", 429 }
	};
	const gchar *status = e_hubspot_json_get_text (object, "status");
	const gchar *category = e_hubspot_json_get_text (object, "category");
	guint64 number;
	guint ii;

	if (status && g_ascii_string_to_unsigned (status, 10, 100, 599, &number, NULL))
		return (guint) number;
	if (json_object_has_member (object, "status") &&
	    JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "status")) &&
	    json_node_get_value_type (json_object_get_member (object, "status")) == G_TYPE_INT64) {
		gint64 value = json_object_get_int_member (object, "status");

		if (value >= 100 && value <= 599)
			return (guint) value;
	}

	for (ii = 0; category && ii < G_N_ELEMENTS (categories); ii++) {
		if (g_str_equal (category, categories[ii].category))
			return categories[ii].status;
	}

	/* Unknown: nothing says the input is wrong, so it is tried again. */
	return 500;
}

static void
batch_fail_named (EHubSpotBatch *batch,
		  const gchar *name,
		  const GError *error)
{
	BatchInput *input = batch_find_input (batch, name);

	if (input) {
		input->outcome = E_HUBSPOT_BATCH_FAILED;
		input->error = g_error_copy (error);
	}
}

/* An input's error names its inputs by a member of its own (id, or a
 * create's objectWriteTraceId) or in its context, as lists (ids). */
static void
batch_read_error (EHubSpotBatch *batch,
		  JsonNode *error_node)
{
	gboolean create = batch->kind == E_HUBSPOT_BATCH_CREATE;
	const gchar *names[] = { create ? "objectWriteTraceId" : "id", create ? "objectWriteTraceIds" : "ids" };
	g_autofree gchar *own = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *object, *context = NULL;
	JsonNode *member;
	guint ii, jj;

	if (!JSON_NODE_HOLDS_OBJECT (error_node))
		return;

	/* One GError for every input it names. */
	object = json_node_get_object (error_node);
	error = e_hubspot_error_new_from_object (batch_error_status (object), NULL, object, NULL);

	own = e_hubspot_json_dup_id (error_node, names[0]);
	batch_fail_named (batch, own, error);

	member = json_object_get_member (object, "context");
	if (member && JSON_NODE_HOLDS_OBJECT (member))
		context = json_node_get_object (member);

	for (ii = 0; context && ii < G_N_ELEMENTS (names); ii++) {
		JsonArray *array;

		member = json_object_get_member (context, names[ii]);
		if (!member || !JSON_NODE_HOLDS_ARRAY (member))
			continue;

		array = json_node_get_array (member);
		for (jj = 0; jj < json_array_get_length (array); jj++) {
			JsonNode *element = json_array_get_element (array, jj);

			if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
				batch_fail_named (batch, json_node_get_string (element), error);
		}
	}
}

static JsonArray *
batch_get_array (JsonObject *object,
		 const gchar *member)
{
	JsonNode *node = json_object_get_member (object, member);

	return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
e_hubspot_batch_read_answer (EHubSpotBatch *batch,
			     JsonNode *answer,
			     GError **error)
{
	g_autoptr(GPtrArray) untraced = NULL;
	JsonObject *object;
	JsonArray *results, *errors;
	guint ii;

	g_return_val_if_fail (batch != NULL, FALSE);

	/* An archive's 204: every input is archived. */
	if (batch->kind == E_HUBSPOT_BATCH_ARCHIVE && (!answer || JSON_NODE_HOLDS_NULL (answer))) {
		for (ii = 0; ii < batch->inputs->len; ii++)
			g_array_index (batch->inputs, BatchInput, ii).outcome = E_HUBSPOT_BATCH_DONE;
		return TRUE;
	}

	object = answer && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
	results = object ? batch_get_array (object, "results") : NULL;
	errors = object ? batch_get_array (object, "errors") : NULL;

	if (!results && !errors) {
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s answer to a batch call has neither results nor errors"));
		return FALSE;
	}

	/* The ones that name their input (results by id or trace id, then
	 * errors) first, so that a created meeting matched by its content
	 * cannot take another input's place: those wait for the end. */
	untraced = g_ptr_array_new ();
	for (ii = 0; results && ii < json_array_get_length (results); ii++) {
		JsonNode *meeting = json_array_get_element (results, ii);

		if (batch->kind == E_HUBSPOT_BATCH_CREATE && JSON_NODE_HOLDS_OBJECT (meeting) &&
		    !e_hubspot_json_get_text (json_node_get_object (meeting), "objectWriteTraceId"))
			g_ptr_array_add (untraced, meeting);
		else
			batch_read_result (batch, meeting);
	}

	for (ii = 0; errors && ii < json_array_get_length (errors); ii++)
		batch_read_error (batch, json_array_get_element (errors, ii));

	for (ii = 0; ii < untraced->len; ii++)
		batch_read_result (batch, g_ptr_array_index (untraced, ii));

	return TRUE;
}

EHubSpotBatchOutcome
e_hubspot_batch_get_outcome (EHubSpotBatch *batch,
			     guint index,
			     JsonNode **out_meeting,
			     const GError **out_error)
{
	BatchInput *input;

	g_return_val_if_fail (batch != NULL, E_HUBSPOT_BATCH_UNKNOWN);
	g_return_val_if_fail (index < batch->inputs->len, E_HUBSPOT_BATCH_UNKNOWN);

	input = &g_array_index (batch->inputs, BatchInput, index);

	if (out_meeting)
		*out_meeting = input->meeting;
	if (out_error)
		*out_error = input->error;

	return input->outcome;
}

const gchar *
e_hubspot_batch_get_id (EHubSpotBatch *batch,
			guint index)
{
	g_return_val_if_fail (batch != NULL, NULL);
	g_return_val_if_fail (index < batch->inputs->len, NULL);

	return g_array_index (batch->inputs, BatchInput, index).id;
}
