/* e-hubspot-mock-schema-batch.c: the schemas of the meetings' batch calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A batch input is checked by the code of its single call (the CRM create
 * or update of a meeting); only its paths gain "inputs[N].", so that a
 * batch is refused for exactly what refuses the single call
 * (tests/mock/README.md, "Batch calls of meetings").
 */

#include "e-hubspot-mock-schema.h"
#include "e-hubspot-mock-schema-private.h"

void
e_hubspot_mock_schema_append_prefixed (JsonArray *dest,
				       JsonArray *problems,
				       const gchar *prefix)
{
	guint ii;

	for (ii = 0; problems && ii < json_array_get_length (problems); ii++) {
		JsonObject *item = json_array_get_object_element (problems, ii);
		const gchar *in = json_object_get_string_member_with_default (item, "in", "");
		const gchar *message = json_object_get_string_member_with_default (item, "message", "");
		const gchar *code = json_object_get_string_member_with_default (item, "code", "INVALID_VALUE");
		g_autofree gchar *path = *in ? g_strconcat (prefix, ".", in, NULL) : g_strdup (prefix);

		/* Every message starts with its path (e-hubspot-mock-schema-private.h) */
		if (*in && g_str_has_prefix (message, in))
			schema_add_problem (dest, code, path, "%s.%s", prefix, message);
		else
			schema_add_problem (dest, code, path, "%s: %s", prefix, message);
	}
}

/* HubSpot lists associations among a batch create input's members (only
 * objectWriteTraceId is optional there): README.md, "Batch calls of meetings" */
static void
check_create_input (JsonObject *input,
		    const gchar *path,
		    JsonArray *problems)
{
	static const gchar *members[] = { "properties", "associations", "objectWriteTraceId", NULL };
	g_autoptr(JsonArray) own = json_array_new ();

	schema_check_crm_meeting_create (input, members, own);
	if (!json_object_has_member (input, "associations"))
		schema_add_problem (own, "REQUIRED", "associations", "associations: required field is missing");

	e_hubspot_mock_schema_append_prefixed (problems, own, path);
}

JsonArray *
e_hubspot_mock_schema_collect_meeting_batch_create_problems (JsonNode *body)
{
	return schema_finish_problems (schema_collect_batch_problems (body, E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX,
		check_create_input));
}

/* The id, as the single PATCH's path, and the PATCH's body */
static void
check_update_input (JsonObject *input,
		    const gchar *path,
		    JsonArray *problems)
{
	static const gchar *members[] = { "id", "properties", NULL };
	g_autoptr(JsonArray) own = json_array_new ();

	schema_check_id (json_object_get_member (input, "id"), "id", own);
	schema_check_crm_meeting_update (input, members, own);

	e_hubspot_mock_schema_append_prefixed (problems, own, path);
}

/* Two changes of one record in a batch would leave it to chance which wins */
static void
check_unique_ids (JsonNode *body,
		  JsonArray *problems)
{
	JsonArray *inputs = json_object_get_array_member (json_node_get_object (body), "inputs");
	g_autoptr(GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal);
	guint ii;

	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		const gchar *id = json_object_get_string_member (json_array_get_object_element (inputs, ii), "id");
		gpointer earlier;

		if (g_hash_table_lookup_extended (first, id, NULL, &earlier)) {
			g_autofree gchar *path = g_strdup_printf ("inputs[%u].id", ii);

			schema_add_problem (problems, "INVALID_VALUE", path,
				"%s: %s is updated by inputs[%u] already; an id may come once in a batch",
				path, id, GPOINTER_TO_UINT (earlier));
		} else {
			g_hash_table_insert (first, (gpointer) id, GUINT_TO_POINTER (ii));
		}
	}
}

JsonArray *
e_hubspot_mock_schema_collect_meeting_batch_update_problems (JsonNode *body)
{
	JsonArray *problems = schema_collect_batch_problems (body, E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX,
		check_update_input);

	/* Only once every id is known to be a string */
	if (!json_array_get_length (problems))
		check_unique_ids (body, problems);

	return schema_finish_problems (problems);
}

static JsonArray *
collect_id_problems (JsonNode *body,
		     const gchar **members)
{
	static const gchar *input_members[] = { "id", NULL };
	JsonArray *problems = json_array_new ();
	JsonObject *object;

	if (!schema_check_body_object (body, problems))
		return problems;

	object = json_node_get_object (body);
	schema_check_unknown_members (object, "", members, problems);
	schema_check_id_inputs (schema_check_inputs (object, E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX, problems),
		input_members, problems);

	return problems;
}

JsonArray *
e_hubspot_mock_schema_collect_meeting_batch_archive_problems (JsonNode *body)
{
	static const gchar *members[] = { "inputs", NULL };

	return schema_finish_problems (collect_id_problems (body, members));
}

JsonArray *
e_hubspot_mock_schema_collect_meeting_batch_read_problems (JsonNode *body)
{
	static const gchar *members[] = { "inputs", "properties", NULL };
	JsonArray *problems = collect_id_problems (body, members);

	/* Property names, as the single read's ?properties= */
	if (body && JSON_NODE_HOLDS_OBJECT (body))
		schema_check_names (json_node_get_object (body), "properties", problems);

	return schema_finish_problems (problems);
}
