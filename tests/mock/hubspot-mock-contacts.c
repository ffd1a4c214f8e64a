/* hubspot-mock-contacts.c: the mock's contacts and companies, and the contacts API
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * HubSpot stores e-mails lower-case and finds them whatever their case; a
 * second contact with the same e-mail is a conflict (409).  Companies exist
 * only to be associated with contacts (and meetings): they have a name.
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

/* Contact to company: the primary one, and any other (HubSpot's type ids) */
#define CONTACT_TO_PRIMARY_COMPANY 1
#define CONTACT_TO_COMPANY 279

/* What HubSpot returns for a contact unless told otherwise */
static const gchar *contact_default_properties[] = {
	"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname", NULL
};

/* What a search "query" looks in */
static const gchar *contact_text_properties[] = {
	"email", "firstname", "lastname", "company", NULL
};

/* A search without "properties" answers the usual six, when set */
static const gchar *contact_no_properties[] = {
	NULL
};

static const gchar *contact_folded_properties[] = {
	"email", NULL
};

MockContact *
mock_contact_new (MockServer *mock,
		  const gchar *email)
{
	MockContact *contact = g_new0 (MockContact, 1);
	g_autofree gchar *now = NULL;

	contact->id = g_strdup_printf ("%" G_GUINT64_FORMAT, mock->next_contact_id++);
	contact->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	contact->company_ids = g_ptr_array_new_with_free_func (g_free);
	contact->created_ms = mock_now_ms ();
	contact->updated_ms = contact->created_ms;

	now = mock_iso_time (contact->created_ms);
	g_hash_table_insert (contact->properties, g_strdup ("hs_object_id"), g_strdup (contact->id));
	g_hash_table_insert (contact->properties, g_strdup ("email"), g_utf8_strdown (email, -1));
	g_hash_table_insert (contact->properties, g_strdup ("createdate"), g_strdup (now));
	g_hash_table_insert (contact->properties, g_strdup ("lastmodifieddate"), g_strdup (now));

	g_ptr_array_add (mock->contacts, contact);
	g_hash_table_insert (mock->contacts_by_id, contact->id, contact);
	g_hash_table_insert (mock->contacts_by_email, g_hash_table_lookup (contact->properties, "email"), contact);

	return contact;
}

void
mock_contact_free (MockContact *contact)
{
	if (!contact)
		return;

	g_free (contact->id);
	g_hash_table_unref (contact->properties);
	g_ptr_array_unref (contact->company_ids);
	g_free (contact);
}

MockContact *
mock_find_contact (MockServer *mock,
		   const gchar *id)
{
	return id ? g_hash_table_lookup (mock->contacts_by_id, id) : NULL;
}

MockContact *
mock_find_contact_by_email (MockServer *mock,
			    const gchar *email)
{
	g_autofree gchar *folded = email ? g_utf8_strdown (email, -1) : NULL;

	return folded ? g_hash_table_lookup (mock->contacts_by_email, folded) : NULL;
}

void
mock_contact_add_company (MockContact *contact,
			  const gchar *company_id)
{
	guint ii;

	for (ii = 0; ii < contact->company_ids->len; ii++) {
		if (g_str_equal (g_ptr_array_index (contact->company_ids, ii), company_id))
			return;
	}

	g_ptr_array_add (contact->company_ids, g_strdup (company_id));
}

static gint
compare_names (gconstpointer aa,
	       gconstpointer bb)
{
	return g_strcmp0 (*(const gchar **) aa, *(const gchar **) bb);
}

JsonObject *
mock_contact_to_json (MockContact *contact,
		      const gchar * const *names)
{
	JsonObject *object = json_object_new ();
	JsonObject *properties = json_object_new ();
	g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
	g_autofree gchar *created = mock_iso_time (contact->created_ms);
	g_autofree gchar *updated = mock_iso_time (contact->updated_ms);
	guint ii;

	if (names) {
		for (ii = 0; contact_default_properties[ii]; ii++) {
			if (g_hash_table_contains (contact->properties, contact_default_properties[ii]))
				g_ptr_array_add (wanted, (gpointer) contact_default_properties[ii]);
		}
		for (ii = 0; names[ii]; ii++) {
			if (*names[ii])
				g_ptr_array_add (wanted, (gpointer) names[ii]);
		}
	} else {
		GHashTableIter iter;
		gpointer key;

		g_hash_table_iter_init (&iter, contact->properties);
		while (g_hash_table_iter_next (&iter, &key, NULL))
			g_ptr_array_add (wanted, key);
	}

	g_ptr_array_sort (wanted, compare_names);
	for (ii = 0; ii < wanted->len; ii++) {
		const gchar *name = g_ptr_array_index (wanted, ii);
		const gchar *value = g_hash_table_lookup (contact->properties, name);

		/* Once each, and requested but unset ones as null, as in HubSpot */
		if (ii > 0 && g_str_equal (name, g_ptr_array_index (wanted, ii - 1)))
			continue;
		if (value)
			json_object_set_string_member (properties, name, value);
		else
			json_object_set_null_member (properties, name);
	}

	json_object_set_string_member (object, "id", contact->id);
	json_object_set_object_member (object, "properties", properties);
	json_object_set_string_member (object, "createdAt", created);
	json_object_set_string_member (object, "updatedAt", updated);
	json_object_set_boolean_member (object, "archived", FALSE);

	return object;
}

JsonObject *
mock_contact_to_full_json (MockContact *contact)
{
	JsonObject *object = mock_contact_to_json (contact, NULL);
	JsonArray *companies = json_array_new ();
	guint ii;

	for (ii = 0; ii < contact->company_ids->len; ii++)
		json_array_add_string_element (companies, g_ptr_array_index (contact->company_ids, ii));
	json_object_set_array_member (object, "company_ids", companies);

	return object;
}

MockCompany *
mock_company_new (MockServer *mock,
		  const gchar *name)
{
	MockCompany *company = g_new0 (MockCompany, 1);

	company->id = g_strdup_printf ("%" G_GUINT64_FORMAT, mock->next_company_id++);
	company->name = g_strdup (name);
	company->created_ms = mock_now_ms ();

	g_ptr_array_add (mock->companies, company);
	g_hash_table_insert (mock->companies_by_id, company->id, company);

	return company;
}

void
mock_company_free (MockCompany *company)
{
	if (!company)
		return;

	g_free (company->id);
	g_free (company->name);
	g_free (company);
}

MockCompany *
mock_find_company (MockServer *mock,
		   const gchar *id)
{
	return id ? g_hash_table_lookup (mock->companies_by_id, id) : NULL;
}

JsonObject *
mock_company_to_json (MockCompany *company)
{
	JsonObject *object = json_object_new ();

	json_object_set_string_member (object, "id", company->id);
	json_object_set_string_member (object, "name", company->name);

	return object;
}

/* The search over contacts */

static GHashTable *
contact_properties (gpointer record)
{
	return ((MockContact *) record)->properties;
}

static gboolean
contact_visible (gpointer record,
		 gint64 visible_before_ms)
{
	return ((MockContact *) record)->created_ms <= visible_before_ms;
}

static JsonObject *
contact_to_json (gpointer record,
		 const gchar * const *names)
{
	return mock_contact_to_json (record, names);
}

static const MockSearchKind contact_search = {
	contact_properties,
	contact_visible,
	contact_to_json,
	contact_no_properties,
	contact_text_properties,
	contact_folded_properties
};

/* The API */

static void
reply_contact_not_found (MockRequest *req,
			 const gchar *id_property,
			 const gchar *id)
{
	g_autofree gchar *message = g_strdup_printf ("resource not found: no contact with %s %s", id_property, id);
	JsonArray *errors = json_array_new ();

	mock_add_error_item (errors, "OBJECT_NOT_FOUND", "id", "%s", message);
	mock_reply_error (req, SOUP_STATUS_NOT_FOUND, "OBJECT_NOT_FOUND", message, errors);
}

static gchar *
conflict_message (MockContact *existing)
{
	return g_strdup_printf ("Contact already exists. Existing ID: %s", existing->id);
}

/* HubSpot's 409 has no errors[] */
static void
reply_conflict (MockRequest *req,
		MockContact *existing)
{
	JsonObject *body = json_object_new ();
	g_autofree gchar *message = conflict_message (existing);
	g_autofree gchar *uuid = g_uuid_string_random ();

	json_object_set_string_member (body, "status", "error");
	json_object_set_string_member (body, "message", message);
	json_object_set_string_member (body, "correlationId", uuid);
	json_object_set_string_member (body, "category", "CONFLICT");

	mock_reply_object (req, SOUP_STATUS_CONFLICT, body);
}

static gchar **
query_names (MockRequest *req)
{
	const gchar *text = mock_query (req, "properties");

	return text && *text ? g_strsplit (text, ",", -1) : g_new0 (gchar *, 1);
}

/* GET .../contacts/{id}[?idProperty=email|hs_object_id][&properties=a,b] */
static void
contact_read (MockRequest *req,
	      const gchar *id)
{
	const gchar *id_property = mock_query (req, "idProperty");
	g_auto(GStrv) names = NULL;
	MockContact *contact;

	if (!id_property || g_str_equal (id_property, "hs_object_id")) {
		contact = mock_find_contact (req->mock, id);
	} else if (g_str_equal (id_property, "email")) {
		contact = mock_find_contact_by_email (req->mock, id);
	} else {
		mock_reply_bad_request (req, "idProperty", "idProperty: must be email or hs_object_id");
		return;
	}

	if (!contact) {
		reply_contact_not_found (req, id_property ? id_property : "id", id);
		return;
	}

	names = query_names (req);
	mock_reply_object (req, SOUP_STATUS_OK, mock_contact_to_json (contact, (const gchar * const *) names));
}

/* POST .../contacts/batch/read */
static void
contacts_batch_read (MockRequest *req)
{
	MockServer *mock = req->mock;
	gint64 started_ms = mock_now_ms ();
	g_autoptr(GHashTable) seen = NULL, missing_seen = NULL;
	g_autoptr(GPtrArray) missing = NULL, names = NULL;
	JsonArray *problems, *inputs, *results, *errors = NULL;
	JsonObject *body;
	JsonNode *properties;
	gboolean by_email;
	guint ii;

	if (!mock_require_json_body (req))
		return;

	problems = e_hubspot_mock_schema_collect_contact_batch_read_problems (req->body);
	if (problems) {
		mock_reply_validation_errors (req, problems);
		return;
	}

	body = json_node_get_object (req->body);
	by_email = g_strcmp0 (mock_json_get_string (body, "idProperty"), "email") == 0;
	inputs = json_object_get_array_member (body, "inputs");

	names = g_ptr_array_new ();
	properties = json_object_get_member (body, "properties");
	for (ii = 0; properties && ii < json_array_get_length (json_node_get_array (properties)); ii++)
		g_ptr_array_add (names, (gpointer) json_array_get_string_element (json_node_get_array (properties), ii));
	g_ptr_array_add (names, NULL);

	seen = g_hash_table_new (g_str_hash, g_str_equal);
	missing_seen = g_hash_table_new (g_str_hash, g_str_equal);
	missing = g_ptr_array_new ();
	results = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		const gchar *id = json_object_get_string_member (json_array_get_object_element (inputs, ii), "id");
		MockContact *contact = by_email ? mock_find_contact_by_email (mock, id) : mock_find_contact (mock, id);

		/* Duplicated inputs are answered once */
		if (contact && g_hash_table_add (seen, contact->id))
			json_array_add_object_element (results,
				mock_contact_to_json (contact, (const gchar * const *) names->pdata));
		else if (!contact && g_hash_table_add (missing_seen, (gpointer) id))
			g_ptr_array_add (missing, (gpointer) id);
	}

	if (missing->len) {
		errors = json_array_new ();
		json_array_add_object_element (errors, mock_batch_error ("OBJECT_NOT_FOUND",
			"Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.",
			"ids", missing));
	}

	mock_reply_batch (req, SOUP_STATUS_OK, results, errors, started_ms);
}

static gboolean
is_company_type (JsonObject *type)
{
	gint64 id = json_object_get_int_member (type, "associationTypeId");

	return g_strcmp0 (mock_json_get_string (type, "associationCategory"), "HUBSPOT_DEFINED") == 0 &&
	       (id == CONTACT_TO_PRIMARY_COMPANY || id == CONTACT_TO_COMPANY);
}

/* A contact's associations may only name companies; the schema is checked */
static void
check_contact_associations (MockServer *mock,
			    JsonObject *input,
			    const gchar *path,
			    JsonArray *errors)
{
	JsonNode *node = json_object_get_member (input, "associations");
	JsonArray *associations;
	guint ii, jj;

	if (!node)
		return;

	associations = json_node_get_array (node);
	for (ii = 0; ii < json_array_get_length (associations); ii++) {
		JsonObject *association = json_array_get_object_element (associations, ii);
		const gchar *to = json_object_get_string_member (json_object_get_object_member (association, "to"), "id");
		JsonArray *types = json_object_get_array_member (association, "types");

		if (!mock_find_company (mock, to)) {
			g_autofree gchar *to_path = g_strdup_printf ("%sassociations[%u].to.id", path, ii);

			mock_add_error_item (errors, "INVALID_VALUE", to_path,
				"%s: %s is not the id of a company", to_path, to);
		}

		for (jj = 0; jj < json_array_get_length (types); jj++) {
			JsonObject *type = json_array_get_object_element (types, jj);
			g_autofree gchar *type_path = NULL;

			if (is_company_type (type))
				continue;

			type_path = g_strdup_printf ("%sassociations[%u].types[%u]", path, ii, jj);
			mock_add_error_item (errors, "INVALID_VALUE", type_path,
				"%s: %s %" G_GINT64_FORMAT " is not an association type from contacts to companies "
				"(HUBSPOT_DEFINED %d for the primary one, or %d)", type_path,
				json_object_get_string_member (type, "associationCategory"),
				json_object_get_int_member (type, "associationTypeId"),
				CONTACT_TO_PRIMARY_COMPANY, CONTACT_TO_COMPANY);
		}
	}
}

/* The primary company comes first */
static void
contact_set_primary_company (MockContact *contact,
			     const gchar *company_id)
{
	guint ii;

	for (ii = 0; ii < contact->company_ids->len; ii++) {
		if (g_str_equal (g_ptr_array_index (contact->company_ids, ii), company_id)) {
			g_ptr_array_remove_index (contact->company_ids, ii);
			break;
		}
	}

	g_ptr_array_insert (contact->company_ids, 0, g_strdup (company_id));
}

/* Stores one valid create; the e-mail is known to be new */
static MockContact *
create_contact (MockServer *mock,
		JsonObject *input)
{
	JsonObject *properties = json_object_get_object_member (input, "properties");
	JsonNode *node = json_object_get_member (input, "associations");
	g_autoptr(GList) members = json_object_get_members (properties);
	MockContact *contact;
	GList *link;
	guint ii;

	contact = mock_contact_new (mock, json_object_get_string_member (properties, "email"));
	for (link = members; link; link = g_list_next (link)) {
		const gchar *value = json_object_get_string_member (properties, link->data);

		/* "" sets nothing, as in HubSpot */
		if (!g_str_equal (link->data, "email") && *value)
			g_hash_table_replace (contact->properties, g_strdup (link->data), g_strdup (value));
	}

	for (ii = 0; node && ii < json_array_get_length (json_node_get_array (node)); ii++) {
		JsonObject *association = json_array_get_object_element (json_node_get_array (node), ii);
		JsonObject *to = json_object_get_object_member (association, "to");
		JsonArray *types = json_object_get_array_member (association, "types");
		const gchar *company_id = json_object_get_string_member (to, "id");
		gboolean primary = FALSE;
		guint jj;

		for (jj = 0; jj < json_array_get_length (types); jj++) {
			if (json_object_get_int_member (json_array_get_object_element (types, jj),
							"associationTypeId") == CONTACT_TO_PRIMARY_COMPANY)
				primary = TRUE;
		}

		if (primary)
			contact_set_primary_company (contact, company_id);
		else
			mock_contact_add_company (contact, company_id);
	}

	return contact;
}

static const gchar *
input_email (JsonObject *input)
{
	return json_object_get_string_member (json_object_get_object_member (input, "properties"), "email");
}

/* POST .../contacts */
static void
contact_create (MockRequest *req)
{
	MockServer *mock = req->mock;
	JsonArray *errors;
	JsonObject *input;
	MockContact *existing;

	if (!mock_require_json_body (req))
		return;

	errors = e_hubspot_mock_schema_collect_contact_create_problems (req->body);
	if (errors) {
		mock_reply_validation_errors (req, errors);
		return;
	}

	input = json_node_get_object (req->body);
	errors = json_array_new ();
	check_contact_associations (mock, input, "", errors);
	if (json_array_get_length (errors)) {
		mock_reply_validation_errors (req, errors);
		return;
	}
	json_array_unref (errors);

	existing = mock_find_contact_by_email (mock, input_email (input));
	if (existing) {
		reply_conflict (req, existing);
		return;
	}

	mock_reply_object (req, SOUP_STATUS_CREATED, mock_contact_to_json (create_contact (mock, input), NULL));
}

/* POST .../contacts/batch/create: all checked first; conflicts are per input */
static void
contacts_batch_create (MockRequest *req)
{
	MockServer *mock = req->mock;
	gint64 started_ms = mock_now_ms ();
	JsonArray *errors, *inputs, *results;
	guint ii;

	if (!mock_require_json_body (req))
		return;

	errors = e_hubspot_mock_schema_collect_contact_batch_create_problems (req->body);
	if (errors) {
		mock_reply_validation_errors (req, errors);
		return;
	}

	inputs = json_object_get_array_member (json_node_get_object (req->body), "inputs");
	errors = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		g_autofree gchar *path = g_strdup_printf ("inputs[%u].", ii);

		check_contact_associations (mock, json_array_get_object_element (inputs, ii), path, errors);
	}
	if (json_array_get_length (errors)) {
		mock_reply_validation_errors (req, errors);
		return;
	}

	results = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *input = json_array_get_object_element (inputs, ii);
		MockContact *existing = mock_find_contact_by_email (mock, input_email (input));

		if (existing) {
			g_autofree gchar *message = conflict_message (existing);
			g_autofree gchar *email = g_utf8_strdown (input_email (input), -1);
			g_autoptr(GPtrArray) ids = g_ptr_array_new ();
			JsonObject *item;
			JsonArray *emails = json_array_new ();

			g_ptr_array_add (ids, existing->id);
			item = mock_batch_error ("CONFLICT", message, "existingId", ids);
			json_array_add_string_element (emails, email);
			json_object_set_array_member (json_object_get_object_member (item, "context"), "email", emails);
			json_array_add_object_element (errors, item);
			continue;
		}

		json_array_add_object_element (results, mock_contact_to_json (create_contact (mock, input), NULL));
	}

	mock_reply_batch (req, SOUP_STATUS_CREATED, results, errors, started_ms);
}

void
mock_api_contacts (MockRequest *req,
		   const gchar *rest)
{
	const gchar *method = req->method;

	if (!*rest) {
		if (g_str_equal (method, "POST"))
			contact_create (req);
		else
			mock_reply_method_not_allowed (req, "POST");
	} else if (g_str_equal (rest, "/batch/read") || g_str_equal (rest, "/batch/create") ||
		   g_str_equal (rest, "/search")) {
		if (!g_str_equal (method, "POST"))
			mock_reply_method_not_allowed (req, "POST");
		else if (g_str_equal (rest, "/batch/read"))
			contacts_batch_read (req);
		else if (g_str_equal (rest, "/batch/create"))
			contacts_batch_create (req);
		else
			mock_api_search (req, &contact_search, req->mock->contacts);
	} else if (!strchr (rest + 1, '/') && rest[1]) {
		if (g_str_equal (method, "GET"))
			contact_read (req, rest + 1);
		else
			mock_reply_method_not_allowed (req, "GET");
	} else {
		mock_reply_not_found (req);
	}
}
