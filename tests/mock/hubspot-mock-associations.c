/* hubspot-mock-associations.c: the associations API (2026-03) of the mock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * POST /crm/associations/2026-03/{from}/{to}/batch/read reads a contact's
 * companies or a meeting's contacts and companies; .../batch/create adds
 * contacts and companies to existing meetings.  Meeting creates name their
 * contacts and companies too: mock_check_meeting_associations() makes sure
 * those exist.
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

/* From a meeting (docs/design.md, "HubSpot facts the code relies on") */
#define MEETING_TO_CONTACT 200
#define MEETING_TO_COMPANY 188
/* From a contact to its primary company, and to any other */
#define CONTACT_TO_PRIMARY_COMPANY 1
#define CONTACT_TO_COMPANY 279

typedef enum {
	OBJECT_CONTACTS,
	OBJECT_COMPANIES,
	OBJECT_MEETINGS,
	OBJECT_UNKNOWN
} ObjectKind;

static const struct {
	const gchar *plural;
	const gchar *singular;
	const gchar *type_id;
	const gchar *upper;	/* as HubSpot's messages name it */
} objects[] = {
	{ "contacts", "contact", "0-1", "CONTACT" },
	{ "companies", "company", "0-2", "COMPANY" },
	{ "meetings", "meeting", "0-47", "MEETING" }
};

static ObjectKind
object_kind (const gchar *name)
{
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (objects); ii++) {
		if (g_str_equal (name, objects[ii].plural) || g_str_equal (name, objects[ii].singular) ||
		    g_str_equal (name, objects[ii].type_id))
			return ii;
	}

	return OBJECT_UNKNOWN;
}

static MockMeeting *
find_live_meeting (MockServer *mock,
		   const gchar *id)
{
	MockMeeting *meeting = mock_find_meeting (mock, id);

	return meeting && !meeting->archived_ms ? meeting : NULL;
}

static gboolean
object_exists (MockServer *mock,
	       ObjectKind kind,
	       const gchar *id)
{
	switch (kind) {
	case OBJECT_CONTACTS:
		return mock_find_contact (mock, id) != NULL;
	case OBJECT_COMPANIES:
		return mock_find_company (mock, id) != NULL;
	case OBJECT_MEETINGS:
		return find_live_meeting (mock, id) != NULL;
	case OBJECT_UNKNOWN:
		break;
	}

	return FALSE;
}

/* The association type of meeting→@to, or 0 */
static gint64
meeting_type_to (ObjectKind to)
{
	return to == OBJECT_CONTACTS ? MEETING_TO_CONTACT : to == OBJECT_COMPANIES ? MEETING_TO_COMPANY : 0;
}

/* Numbers as HubSpot writes them in association answers; anything else stays a string */
static void
set_object_id (JsonObject *object,
	       const gchar *name,
	       const gchar *id)
{
	guint64 value;

	if (g_ascii_string_to_unsigned (id, 10, 0, G_MAXINT64, &value, NULL))
		json_object_set_int_member (object, name, (gint64) value);
	else
		json_object_set_string_member (object, name, id);
}

static JsonObject *
association_type (gint64 type_id,
		  const gchar *label)
{
	JsonObject *type = json_object_new ();

	json_object_set_string_member (type, "category", "HUBSPOT_DEFINED");
	json_object_set_int_member (type, "typeId", type_id);
	if (label)
		json_object_set_string_member (type, "label", label);
	else
		json_object_set_null_member (type, "label");

	return type;
}

static JsonObject *
read_target (const gchar *to_id,
	     JsonObject *type)
{
	JsonObject *target = json_object_new ();
	JsonArray *types = json_array_new ();

	set_object_id (target, "toObjectId", to_id);
	json_array_add_object_element (types, type);
	json_object_set_array_member (target, "associationTypes", types);

	return target;
}

/* Whether a stored (or requested) association entry is @to_id with @type_id */
static gboolean
association_has (JsonObject *association,
		 const gchar *to_id,
		 gint64 type_id)
{
	JsonNode *to = json_object_get_member (association, "to");
	JsonNode *types = json_object_get_member (association, "types");
	guint ii;

	if (!to || !JSON_NODE_HOLDS_OBJECT (to) || !types || !JSON_NODE_HOLDS_ARRAY (types))
		return FALSE;
	if (to_id && g_strcmp0 (mock_json_get_string (json_node_get_object (to), "id"), to_id) != 0)
		return FALSE;

	for (ii = 0; ii < json_array_get_length (json_node_get_array (types)); ii++) {
		JsonNode *type = json_array_get_element (json_node_get_array (types), ii);
		JsonNode *id = JSON_NODE_HOLDS_OBJECT (type) ?
			json_object_get_member (json_node_get_object (type), "associationTypeId") : NULL;

		if (id && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64 &&
		    json_node_get_int (id) == type_id)
			return TRUE;
	}

	return FALSE;
}

/* The targets of one "from" record, as the batch read lists them */
static JsonArray *
read_targets (MockServer *mock,
	      ObjectKind from,
	      ObjectKind to,
	      const gchar *from_id)
{
	JsonArray *targets = json_array_new ();
	guint ii;

	if (from == OBJECT_CONTACTS) {
		MockContact *contact = mock_find_contact (mock, from_id);

		for (ii = 0; ii < contact->company_ids->len; ii++)
			json_array_add_object_element (targets, read_target (g_ptr_array_index (contact->company_ids, ii),
				ii == 0 ? association_type (CONTACT_TO_PRIMARY_COMPANY, "Primary") :
					  association_type (CONTACT_TO_COMPANY, NULL)));
	} else {
		MockMeeting *meeting = find_live_meeting (mock, from_id);
		JsonArray *stored = meeting->associations && JSON_NODE_HOLDS_ARRAY (meeting->associations) ?
			json_node_get_array (meeting->associations) : NULL;
		gint64 type_id = meeting_type_to (to);

		for (ii = 0; stored && ii < json_array_get_length (stored); ii++) {
			JsonNode *item = json_array_get_element (stored, ii);
			JsonObject *association = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

			if (association && association_has (association, NULL, type_id))
				json_array_add_object_element (targets, read_target (
					json_object_get_string_member (json_object_get_object_member (association, "to"), "id"),
					association_type (type_id, NULL)));
		}
	}

	return targets;
}

static void
associations_batch_read (MockRequest *req,
			 ObjectKind from,
			 ObjectKind to)
{
	MockServer *mock = req->mock;
	gint64 started_ms = mock_now_ms ();
	g_autoptr(GHashTable) seen = NULL;
	g_autoptr(GPtrArray) missing = NULL;
	JsonArray *problems, *inputs, *results, *errors = NULL;
	guint ii;

	if (!mock_require_json_body (req))
		return;

	problems = e_hubspot_mock_schema_collect_association_batch_read_problems (req->body);
	if (problems) {
		mock_reply_validation_errors (req, problems);
		return;
	}

	inputs = json_object_get_array_member (json_node_get_object (req->body), "inputs");
	seen = g_hash_table_new (g_str_hash, g_str_equal);
	missing = g_ptr_array_new ();
	results = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		const gchar *id = json_object_get_string_member (json_array_get_object_element (inputs, ii), "id");
		JsonArray *targets;
		JsonObject *result, *from_object;

		/* Duplicated inputs are answered once */
		if (!g_hash_table_add (seen, (gpointer) id))
			continue;

		if (!object_exists (mock, from, id)) {
			g_ptr_array_add (missing, (gpointer) id);
			continue;
		}

		/* A record without any is not in the results */
		targets = read_targets (mock, from, to, id);
		if (!json_array_get_length (targets)) {
			json_array_unref (targets);
			continue;
		}

		result = json_object_new ();
		from_object = json_object_new ();
		json_object_set_string_member (from_object, "id", id);
		json_object_set_object_member (result, "from", from_object);
		json_object_set_array_member (result, "to", targets);
		json_array_add_object_element (results, result);
	}

	if (missing->len) {
		g_autofree gchar *message = g_strdup_printf (
			"Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.",
			objects[from].upper);

		errors = json_array_new ();
		json_array_add_object_element (errors, mock_batch_error ("OBJECT_NOT_FOUND", message, "ids", missing));
	}

	mock_reply_batch (req, SOUP_STATUS_OK, results, errors, started_ms);
}

static void
check_meeting_target (MockServer *mock,
		      ObjectKind to,
		      const gchar *id,
		      const gchar *path,
		      JsonArray *errors)
{
	if (!object_exists (mock, to, id))
		mock_add_error_item (errors, "INVALID_VALUE", path, "%s: %s is not the id of a %s", path, id,
			objects[to].singular);
}

/* Every type must be meeting→@to as HubSpot defines it */
static void
check_meeting_types (JsonArray *types,
		     ObjectKind to,
		     const gchar *path,
		     JsonArray *errors)
{
	gint64 expected = meeting_type_to (to);
	guint ii;

	for (ii = 0; ii < json_array_get_length (types); ii++) {
		JsonObject *type = json_array_get_object_element (types, ii);
		const gchar *category = json_object_get_string_member (type, "associationCategory");
		gint64 id = json_object_get_int_member (type, "associationTypeId");
		g_autofree gchar *type_path = NULL;

		if (g_str_equal (category, "HUBSPOT_DEFINED") && id == expected)
			continue;

		type_path = g_strdup_printf ("%s[%u]", path, ii);
		mock_add_error_item (errors, "INVALID_VALUE", type_path,
			"%s: %s %" G_GINT64_FORMAT " is not an association type from meetings to %s (HUBSPOT_DEFINED %" G_GINT64_FORMAT ")",
			type_path, category, id, objects[to].plural, expected);
	}
}

/* Adds meeting→@to_id once */
static void
meeting_add_association (MockMeeting *meeting,
			 const gchar *to_id,
			 gint64 type_id)
{
	JsonObject *association, *to, *type;
	JsonArray *stored, *types;
	guint ii;

	if (!meeting->associations || !JSON_NODE_HOLDS_ARRAY (meeting->associations)) {
		g_clear_pointer (&meeting->associations, json_node_unref);
		meeting->associations = json_node_init_array (json_node_alloc (), json_array_new ());
		json_array_unref (json_node_get_array (meeting->associations));
	}

	stored = json_node_get_array (meeting->associations);
	for (ii = 0; ii < json_array_get_length (stored); ii++) {
		JsonNode *item = json_array_get_element (stored, ii);

		if (JSON_NODE_HOLDS_OBJECT (item) && association_has (json_node_get_object (item), to_id, type_id))
			return;
	}

	association = json_object_new ();
	to = json_object_new ();
	json_object_set_string_member (to, "id", to_id);
	json_object_set_object_member (association, "to", to);
	types = json_array_new ();
	type = json_object_new ();
	json_object_set_string_member (type, "associationCategory", "HUBSPOT_DEFINED");
	json_object_set_int_member (type, "associationTypeId", type_id);
	json_array_add_object_element (types, type);
	json_object_set_array_member (association, "types", types);
	json_array_add_object_element (stored, association);
}

static void
associations_batch_create (MockRequest *req,
			   ObjectKind to)
{
	MockServer *mock = req->mock;
	gint64 started_ms = mock_now_ms ();
	gint64 type_id = meeting_type_to (to);
	g_autoptr(GHashTable) seen = NULL;
	JsonArray *errors, *inputs, *results;
	guint ii;

	if (!mock_require_json_body (req))
		return;

	errors = e_hubspot_mock_schema_collect_association_batch_create_problems (req->body);
	if (errors) {
		mock_reply_validation_errors (req, errors);
		return;
	}

	/* All or nothing: any unknown record or wrong type rejects the batch */
	inputs = json_object_get_array_member (json_node_get_object (req->body), "inputs");
	errors = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *input = json_array_get_object_element (inputs, ii);
		const gchar *from_id = json_object_get_string_member (json_object_get_object_member (input, "from"), "id");
		const gchar *to_id = json_object_get_string_member (json_object_get_object_member (input, "to"), "id");
		g_autofree gchar *from_path = g_strdup_printf ("inputs[%u].from.id", ii);
		g_autofree gchar *to_path = g_strdup_printf ("inputs[%u].to.id", ii);
		g_autofree gchar *types_path = g_strdup_printf ("inputs[%u].types", ii);

		check_meeting_target (mock, OBJECT_MEETINGS, from_id, from_path, errors);
		check_meeting_target (mock, to, to_id, to_path, errors);
		check_meeting_types (json_object_get_array_member (input, "types"), to, types_path, errors);
	}
	if (json_array_get_length (errors)) {
		mock_reply_validation_errors (req, errors);
		return;
	}
	json_array_unref (errors);

	seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	results = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *input = json_array_get_object_element (inputs, ii);
		const gchar *from_id = json_object_get_string_member (json_object_get_object_member (input, "from"), "id");
		const gchar *to_id = json_object_get_string_member (json_object_get_object_member (input, "to"), "id");
		gchar *pair = g_strconcat (from_id, "/", to_id, NULL);
		JsonObject *result;

		meeting_add_association (find_live_meeting (mock, from_id), to_id, type_id);

		if (!g_hash_table_add (seen, pair))
			continue;

		result = json_object_new ();
		json_object_set_string_member (result, "fromObjectTypeId", objects[OBJECT_MEETINGS].type_id);
		set_object_id (result, "fromObjectId", from_id);
		json_object_set_string_member (result, "toObjectTypeId", objects[to].type_id);
		set_object_id (result, "toObjectId", to_id);
		json_object_set_array_member (result, "labels", json_array_new ());
		json_array_add_object_element (results, result);
	}

	mock_reply_batch (req, SOUP_STATUS_CREATED, results, NULL, started_ms);
}

/* rest: "/{from}/{to}/batch/{read,create}" */
void
mock_api_associations (MockRequest *req,
		       const gchar *rest)
{
	g_auto(GStrv) parts = *rest ? g_strsplit (rest + 1, "/", -1) : NULL;
	ObjectKind from, to;
	gboolean read, create;

	if (!parts || g_strv_length (parts) != 4 || !g_str_equal (parts[2], "batch")) {
		mock_reply_not_found (req);
		return;
	}

	from = object_kind (parts[0]);
	to = object_kind (parts[1]);
	read = g_str_equal (parts[3], "read") &&
	       ((from == OBJECT_CONTACTS && to == OBJECT_COMPANIES) ||
		(from == OBJECT_MEETINGS && (to == OBJECT_CONTACTS || to == OBJECT_COMPANIES)));
	create = g_str_equal (parts[3], "create") &&
		 from == OBJECT_MEETINGS && (to == OBJECT_CONTACTS || to == OBJECT_COMPANIES);

	if (!read && !create)
		mock_reply_not_found (req);
	else if (!g_str_equal (req->method, "POST"))
		mock_reply_method_not_allowed (req, "POST");
	else if (read)
		associations_batch_read (req, from, to);
	else
		associations_batch_create (req, to);
}

gboolean
mock_check_meeting_associations (MockServer *mock,
				 JsonNode *associations,
				 JsonArray *errors)
{
	guint before = json_array_get_length (errors);
	JsonArray *array;
	guint ii, jj;

	if (!associations || !JSON_NODE_HOLDS_ARRAY (associations))
		return TRUE;

	array = json_node_get_array (associations);
	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonObject *association = json_array_get_object_element (array, ii);
		const gchar *to_id = json_object_get_string_member (json_object_get_object_member (association, "to"), "id");
		JsonArray *types = json_object_get_array_member (association, "types");

		for (jj = 0; jj < json_array_get_length (types); jj++) {
			JsonObject *type = json_array_get_object_element (types, jj);
			const gchar *category = json_object_get_string_member (type, "associationCategory");
			gint64 id = json_object_get_int_member (type, "associationTypeId");
			g_autofree gchar *path = NULL;

			if (g_str_equal (category, "HUBSPOT_DEFINED") && id == MEETING_TO_CONTACT) {
				path = g_strdup_printf ("associations[%u].to.id", ii);
				check_meeting_target (mock, OBJECT_CONTACTS, to_id, path, errors);
			} else if (g_str_equal (category, "HUBSPOT_DEFINED") && id == MEETING_TO_COMPANY) {
				path = g_strdup_printf ("associations[%u].to.id", ii);
				check_meeting_target (mock, OBJECT_COMPANIES, to_id, path, errors);
			} else {
				/* Deals and tickets do not exist in the mock */
				path = g_strdup_printf ("associations[%u].types[%u]", ii, jj);
				mock_add_error_item (errors, "INVALID_VALUE", path,
					"%s: %s %" G_GINT64_FORMAT " is not an association type the mock knows from meetings "
					"(HUBSPOT_DEFINED %d to contacts, %d to companies)", path, category, id,
					MEETING_TO_CONTACT, MEETING_TO_COMPANY);
			}
		}
	}

	return json_array_get_length (errors) == before;
}
