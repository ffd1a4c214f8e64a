/* e-hubspot-mock-schema-crm.c: the schemas of the contacts and associations calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * As strict as the meeting schemas: every problem is listed, each naming its
 * JSON path.  Whether the records named exist is for the server to say.
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "e-hubspot-mock-schema-private.h"

typedef enum {
	CONTACT_TEXT,
	CONTACT_EMAIL,
	CONTACT_LIFECYCLE
} ContactKind;

typedef struct {
	const gchar *name;
	ContactKind kind;
} ContactProp;

/* The writable contact properties the mock knows */
static const ContactProp contact_props[] = {
	{ "email", CONTACT_EMAIL },
	{ "firstname", CONTACT_TEXT },
	{ "lastname", CONTACT_TEXT },
	{ "company", CONTACT_TEXT },
	{ "phone", CONTACT_TEXT },
	{ "mobilephone", CONTACT_TEXT },
	{ "jobtitle", CONTACT_TEXT },
	{ "website", CONTACT_TEXT },
	{ "city", CONTACT_TEXT },
	{ "country", CONTACT_TEXT },
	{ "lifecyclestage", CONTACT_LIFECYCLE }
};

static const gchar *contact_read_only_props[] = {
	"hs_object_id", "createdate", "lastmodifieddate", NULL
};

static const gchar *lifecycle_values[] = {
	"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
	"opportunity", "customer", "evangelist", "other", NULL
};

static const gchar *id_property_values[] = {
	"email", "hs_object_id", NULL
};

static gboolean
is_domain_label (const gchar *label)
{
	gsize len = strlen (label);
	gsize ii;

	if (!len || len > 63 || label[0] == '-' || label[len - 1] == '-')
		return FALSE;

	for (ii = 0; ii < len; ii++) {
		if (!g_ascii_isalnum (label[ii]) && label[ii] != '-')
			return FALSE;
	}

	return TRUE;
}

gboolean
e_hubspot_mock_schema_is_email (const gchar *text)
{
	const gchar *at, *p;
	g_auto(GStrv) labels = NULL;
	guint ii, n_labels;

	if (!text || !g_utf8_validate (text, -1, NULL))
		return FALSE;

	at = strrchr (text, '@');
	if (!at || at == text || at - text > 64 || strchr (text, '@') != at)
		return FALSE;

	for (p = text; p < at; p++) {
		if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("()<>[]:;,\\\"", *p))
			return FALSE;
	}
	if (text[0] == '.' || at[-1] == '.' || strstr (text, ".."))
		return FALSE;

	labels = g_strsplit (at + 1, ".", -1);
	n_labels = g_strv_length (labels);
	if (n_labels < 2)
		return FALSE;

	for (ii = 0; ii < n_labels; ii++) {
		if (!is_domain_label (labels[ii]))
			return FALSE;
	}

	/* The top-level domain: letters only, two at least */
	if (strlen (labels[n_labels - 1]) < 2)
		return FALSE;
	for (p = labels[n_labels - 1]; *p; p++) {
		if (!g_ascii_isalpha (*p))
			return FALSE;
	}

	return TRUE;
}

static const ContactProp *
find_contact_prop (const gchar *name)
{
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (contact_props); ii++) {
		if (g_strcmp0 (contact_props[ii].name, name) == 0)
			return &contact_props[ii];
	}

	return NULL;
}

static void
check_contact_properties (JsonNode *node,
			  const gchar *path,
			  JsonArray *problems)
{
	JsonObject *properties;
	g_autoptr(GList) members = NULL;
	GList *link;

	if (!node || !JSON_NODE_HOLDS_OBJECT (node)) {
		schema_add_problem (problems, "INVALID_TYPE", path,
			"%s: must be an object, not %s", path, schema_node_type_name (node));
		return;
	}

	properties = json_node_get_object (node);
	if (!json_object_has_member (properties, "email")) {
		g_autofree gchar *email_path = g_strconcat (path, ".email", NULL);

		schema_add_problem (problems, "REQUIRED", email_path, "%s: required property is missing", email_path);
	}

	members = json_object_get_members (properties);
	for (link = members; link; link = g_list_next (link)) {
		const gchar *name = link->data;
		g_autofree gchar *member_path = g_strconcat (path, ".", name, NULL);
		const ContactProp *info = find_contact_prop (name);
		JsonNode *value = json_object_get_member (properties, name);
		const gchar *text;

		if (!info) {
			if (schema_str_in (name, contact_read_only_props))
				schema_add_problem (problems, "READ_ONLY_VALUE", member_path,
					"%s: Property \"%s\" is read-only", member_path, name);
			else
				schema_add_problem (problems, "UNKNOWN_PROPERTY", member_path,
					"%s: Property \"%s\" does not exist", member_path, name);
			continue;
		}

		if (!schema_node_is_string (value)) {
			schema_add_problem (problems, "INVALID_TYPE", member_path,
				"%s: must be a string, not %s", member_path, schema_node_type_name (value));
			continue;
		}

		text = json_node_get_string (value);
		switch (info->kind) {
		case CONTACT_TEXT:
			break;
		case CONTACT_EMAIL:
			if (!e_hubspot_mock_schema_is_email (text))
				schema_add_problem (problems, "INVALID_EMAIL", member_path,
					"%s: Email address \"%s\" is invalid", member_path, text);
			break;
		case CONTACT_LIFECYCLE:
			schema_check_enum_node (value, member_path, lifecycle_values, problems);
			break;
		}
	}
}

static void
check_trace_id (JsonObject *object,
		const gchar *path,
		JsonArray *problems)
{
	JsonNode *trace_id = json_object_get_member (object, "objectWriteTraceId");

	if (trace_id && !schema_node_is_string (trace_id)) {
		g_autofree gchar *trace_path = *path ? g_strconcat (path, ".objectWriteTraceId", NULL) :
			g_strdup ("objectWriteTraceId");

		schema_add_problem (problems, "INVALID_TYPE", trace_path,
			"%s: must be a string, not %s", trace_path, schema_node_type_name (trace_id));
	}
}

/* One contact create, at @path ("" for the body itself) */
static void
check_contact_create (JsonObject *object,
		      const gchar *path,
		      JsonArray *problems)
{
	static const gchar *members[] = { "properties", "associations", "objectWriteTraceId", NULL };
	g_autofree gchar *properties_path = *path ? g_strconcat (path, ".properties", NULL) : g_strdup ("properties");
	g_autofree gchar *associations_path = *path ? g_strconcat (path, ".associations", NULL) : g_strdup ("associations");

	schema_check_unknown_members (object, path, members, problems);

	if (!json_object_has_member (object, "properties"))
		schema_add_problem (problems, "REQUIRED", properties_path, "%s: required field is missing", properties_path);
	else
		check_contact_properties (json_object_get_member (object, "properties"), properties_path, problems);

	if (json_object_has_member (object, "associations"))
		schema_check_associations (json_object_get_member (object, "associations"), associations_path, problems);

	check_trace_id (object, path, problems);
}

JsonArray *
e_hubspot_mock_schema_collect_contact_create_problems (JsonNode *body)
{
	JsonArray *problems = json_array_new ();

	if (!schema_check_body_object (body, problems))
		return problems;

	check_contact_create (json_node_get_object (body), "", problems);

	return schema_finish_problems (problems);
}

JsonArray *
schema_check_inputs (JsonObject *body,
		     guint max,
		     JsonArray *problems)
{
	JsonNode *node = json_object_get_member (body, "inputs");
	JsonArray *inputs;
	guint len;

	if (!node) {
		schema_add_problem (problems, "REQUIRED", "inputs", "inputs: required field is missing");
		return NULL;
	}

	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		schema_add_problem (problems, "INVALID_TYPE", "inputs",
			"inputs: must be an array, not %s", schema_node_type_name (node));
		return NULL;
	}

	inputs = json_node_get_array (node);
	len = json_array_get_length (inputs);
	if (!len) {
		schema_add_problem (problems, "INVALID_VALUE", "inputs", "inputs: must hold at least one input");
		return NULL;
	}

	if (len > max) {
		schema_add_problem (problems, "TOO_MANY_INPUTS", "inputs",
			"inputs: %u inputs, at most %u are allowed in one batch", len, max);
		return NULL;
	}

	return inputs;
}

JsonArray *
schema_collect_batch_problems (JsonNode *body,
			       guint max,
			       SchemaCheckInput check)
{
	static const gchar *members[] = { "inputs", NULL };
	JsonArray *problems = json_array_new ();
	JsonArray *inputs;
	guint ii;

	if (!schema_check_body_object (body, problems))
		return problems;

	schema_check_unknown_members (json_node_get_object (body), "", members, problems);

	inputs = schema_check_inputs (json_node_get_object (body), max, problems);
	for (ii = 0; inputs && ii < json_array_get_length (inputs); ii++) {
		JsonNode *item = json_array_get_element (inputs, ii);
		g_autofree gchar *path = g_strdup_printf ("inputs[%u]", ii);

		if (!JSON_NODE_HOLDS_OBJECT (item)) {
			schema_add_problem (problems, "INVALID_TYPE", path,
				"%s: must be an object, not %s", path, schema_node_type_name (item));
			continue;
		}

		check (json_node_get_object (item), path, problems);
	}

	return problems;
}

JsonArray *
e_hubspot_mock_schema_collect_contact_batch_create_problems (JsonNode *body)
{
	return schema_finish_problems (schema_collect_batch_problems (body, E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX,
		check_contact_create));
}

void
schema_check_names (JsonObject *body,
		    const gchar *name,
		    JsonArray *problems)
{
	JsonNode *node = json_object_get_member (body, name);
	JsonArray *array;
	guint ii;

	if (!node)
		return;

	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		schema_add_problem (problems, "INVALID_TYPE", name,
			"%s: must be an array of property names, not %s", name, schema_node_type_name (node));
		return;
	}

	array = json_node_get_array (node);
	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonNode *item = json_array_get_element (array, ii);
		g_autofree gchar *path = g_strdup_printf ("%s[%u]", name, ii);

		if (!schema_node_is_string (item))
			schema_add_problem (problems, "INVALID_TYPE", path,
				"%s: must be a string, not %s", path, schema_node_type_name (item));
	}
}

void
schema_check_id_inputs (JsonArray *inputs,
			const gchar **allowed,
			JsonArray *problems)
{
	guint ii;

	for (ii = 0; inputs && ii < json_array_get_length (inputs); ii++) {
		JsonNode *item = json_array_get_element (inputs, ii);
		g_autofree gchar *path = g_strdup_printf ("inputs[%u]", ii);
		g_autofree gchar *id_path = g_strconcat (path, ".id", NULL);
		JsonObject *input;

		if (!JSON_NODE_HOLDS_OBJECT (item)) {
			schema_add_problem (problems, "INVALID_TYPE", path,
				"%s: must be an object, not %s", path, schema_node_type_name (item));
			continue;
		}

		input = json_node_get_object (item);
		schema_check_unknown_members (input, path, allowed, problems);

		schema_check_id (json_object_get_member (input, "id"), id_path, problems);
	}
}

JsonArray *
e_hubspot_mock_schema_collect_contact_batch_read_problems (JsonNode *body)
{
	static const gchar *members[] = { "idProperty", "inputs", "properties", NULL };
	static const gchar *input_members[] = { "id", NULL };
	JsonArray *problems = json_array_new ();
	JsonObject *object;
	JsonNode *id_property;

	if (!schema_check_body_object (body, problems))
		return problems;

	object = json_node_get_object (body);
	schema_check_unknown_members (object, "", members, problems);

	id_property = json_object_get_member (object, "idProperty");
	if (id_property)
		schema_check_enum_node (id_property, "idProperty", id_property_values, problems);

	schema_check_names (object, "properties", problems);
	schema_check_id_inputs (schema_check_inputs (object, E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX, problems), input_members, problems);

	return schema_finish_problems (problems);
}

JsonArray *
e_hubspot_mock_schema_collect_association_batch_read_problems (JsonNode *body)
{
	static const gchar *members[] = { "inputs", NULL };
	static const gchar *input_members[] = { "id", "after", NULL };
	JsonArray *problems = json_array_new ();
	JsonArray *inputs;
	guint ii;

	if (!schema_check_body_object (body, problems))
		return problems;

	schema_check_unknown_members (json_node_get_object (body), "", members, problems);

	inputs = schema_check_inputs (json_node_get_object (body), E_HUBSPOT_MOCK_SCHEMA_ASSOCIATION_READ_MAX, problems);
	schema_check_id_inputs (inputs, input_members, problems);

	for (ii = 0; inputs && ii < json_array_get_length (inputs); ii++) {
		JsonNode *item = json_array_get_element (inputs, ii);
		JsonNode *after = JSON_NODE_HOLDS_OBJECT (item) ?
			json_object_get_member (json_node_get_object (item), "after") : NULL;

		if (after && !schema_node_is_string (after)) {
			g_autofree gchar *path = g_strdup_printf ("inputs[%u].after", ii);

			schema_add_problem (problems, "INVALID_TYPE", path,
				"%s: must be a string, not %s", path, schema_node_type_name (after));
		}
	}

	return schema_finish_problems (problems);
}

static void
check_association_create (JsonObject *input,
			  const gchar *path,
			  JsonArray *problems)
{
	static const gchar *input_members[] = { "from", "to", "types", NULL };
	g_autofree gchar *types_path = g_strconcat (path, ".types", NULL);

	schema_check_unknown_members (input, path, input_members, problems);
	schema_check_object_id (input, "from", path, problems);
	schema_check_object_id (input, "to", path, problems);

	if (!json_object_has_member (input, "types"))
		schema_add_problem (problems, "REQUIRED", types_path, "%s: required field is missing", types_path);
	else
		schema_check_association_types (json_object_get_member (input, "types"), types_path, problems);
}

JsonArray *
e_hubspot_mock_schema_collect_association_batch_create_problems (JsonNode *body)
{
	return schema_finish_problems (schema_collect_batch_problems (body, E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX,
		check_association_create));
}
