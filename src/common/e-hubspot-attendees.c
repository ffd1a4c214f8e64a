/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "e-hubspot-mapping.h"
#include "e-hubspot-requests.h"
#include "e-hubspot-attendees.h"

/* From the event */

/* No blank, no separator; anything odd is no address, and that includes
 * U+FFFD, which stands for bytes that were not UTF-8. */
static gboolean
attendees_is_email (const gchar *text)
{
	const gchar *at = strchr (text, '@');
	const gchar *pp;

	if (!at || at == text || !at[1] || strchr (at + 1, '@') || !strchr (at + 1, '.'))
		return FALSE;

	for (pp = text; *pp; pp++) {
		if ((guchar) *pp <= ' ' || strchr ("<>,;:\"()[]\\", *pp))
			return FALSE;
	}

	return g_utf8_validate (text, -1, NULL) && !g_utf8_strchr (text, -1, 0xFFFD);
}

gchar *
e_hubspot_attendees_address_to_email (const gchar *cal_address)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *unescaped = NULL;
	gchar *address, *query;

	if (!cal_address)
		return NULL;

	text = g_strstrip (g_strdup (cal_address));
	address = text;

	/* The scheme is case-insensitive (RFC 3986): "MAILTO:", "Mailto:". */
	if (g_ascii_strncasecmp (address, "mailto:", 7) == 0) {
		address = g_strchug (address + 7);
		query = strchr (address, '?');
		if (query)
			*query = '\0';
		if (strchr (address, '%')) {
			unescaped = g_uri_unescape_string (address, NULL);
			if (unescaped)
				address = unescaped;
		}
	} else if (strchr (address, ':')) {
		/* urn:uuid:..., tel:...: not an e-mail. */
		return NULL;
	}

	if (!attendees_is_email (address))
		return NULL;

	return g_utf8_strdown (address, -1);
}

static gchar *
attendees_dup_param (ICalProperty *prop,
		     const gchar *name)
{
	gchar *value = i_cal_property_get_parameter_as_string (prop, name);

	if (value && (!g_utf8_validate (value, -1, NULL) || !*g_strstrip (value)))
		g_clear_pointer (&value, g_free);

	return value;
}

/* Rooms and resources are not people HubSpot knows. */
static gboolean
attendees_is_place (ICalProperty *prop)
{
	g_autofree gchar *cutype = attendees_dup_param (prop, "CUTYPE");

	return cutype && (g_ascii_strcasecmp (cutype, "ROOM") == 0 ||
			  g_ascii_strcasecmp (cutype, "RESOURCE") == 0);
}

static gchar *
attendees_dup_email (ICalProperty *prop)
{
	g_autofree gchar *address = e_hubspot_mapping_dup_value_string (prop);
	gchar *email = e_hubspot_attendees_address_to_email (address);

	/* RFC 7986's EMAIL parameter, for addresses that are not mailto:. */
	if (!email) {
		g_autofree gchar *param = attendees_dup_param (prop, "EMAIL");

		email = e_hubspot_attendees_address_to_email (param);
	}

	return email;
}

JsonArray *
e_hubspot_attendees_collect (ICalComponent *vevent,
			     const gchar *self_email)
{
	g_autofree gchar *self = e_hubspot_attendees_address_to_email (self_email);
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	JsonArray *attendees = json_array_new ();
	ICalProperty *prop;

	g_return_val_if_fail (I_CAL_IS_COMPONENT (vevent), attendees);

	for (prop = i_cal_component_get_first_property (vevent, I_CAL_ATTENDEE_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (vevent, I_CAL_ATTENDEE_PROPERTY)) {
		g_autofree gchar *email = NULL;
		g_autofree gchar *name = NULL;
		JsonObject *attendee;

		if (attendees_is_place (prop))
			continue;

		email = attendees_dup_email (prop);
		if (!email || g_strcmp0 (email, self) == 0)
			continue;

		name = attendees_dup_param (prop, "CN");

		/* Once each; a later copy may bring the name the first lacked. */
		attendee = g_hash_table_lookup (seen, email);
		if (attendee) {
			if (name && !json_object_has_member (attendee, "name"))
				json_object_set_string_member (attendee, "name", name);
			continue;
		}

		if (json_array_get_length (attendees) >= E_HUBSPOT_ATTENDEES_MAX)
			continue;

		attendee = json_object_new ();
		json_object_set_string_member (attendee, "email", email);
		if (name)
			json_object_set_string_member (attendee, "name", name);
		json_array_add_object_element (attendees, attendee);
		g_hash_table_insert (seen, g_steal_pointer (&email), attendee);
	}

	return attendees;
}

static gchar *
attendees_strip_or_null (gchar *text)
{
	if (text && !*g_strstrip (text))
		g_clear_pointer (&text, g_free);

	return text;
}

void
e_hubspot_attendees_split_name (const gchar *cn,
				gchar **out_first,
				gchar **out_last)
{
	g_autofree gchar *text = NULL;
	g_autofree gchar *email = NULL;
	gchar *comma, *space;

	g_return_if_fail (out_first != NULL);
	g_return_if_fail (out_last != NULL);

	*out_first = NULL;
	*out_last = NULL;

	text = cn ? g_strstrip (g_strdup (cn)) : NULL;
	if (!text || !*text || !g_utf8_validate (text, -1, NULL))
		return;

	/* Some clients put the address itself in CN: that is no name. */
	email = e_hubspot_attendees_address_to_email (text);
	if (email)
		return;

	comma = strchr (text, ',');
	if (comma) {
		/* "Lovelace, Ada" */
		*comma = '\0';
		*out_last = attendees_strip_or_null (g_strdup (text));
		*out_first = attendees_strip_or_null (g_strdup (comma + 1));
		return;
	}

	/* "Ada Lovelace", "Ludwig van Beethoven": the first word is the
	 * first name, the rest the last name. */
	for (space = text; *space && !g_ascii_isspace (*space); space++)
		;
	if (*space) {
		*space = '\0';
		*out_last = attendees_strip_or_null (g_strdup (space + 1));
	}
	*out_first = attendees_strip_or_null (g_strdup (text));
}

/* From the create body */

void
e_hubspot_attendee_free (gpointer ptr)
{
	EHubSpotAttendee *attendee = ptr;

	if (!attendee)
		return;

	g_free (attendee->email);
	g_free (attendee->name);
	g_free (attendee);
}

static JsonObject *
attendees_get_object (JsonObject *object,
		      const gchar *member)
{
	JsonNode *node = object ? json_object_get_member (object, member) : NULL;

	return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
attendees_get_array (JsonObject *object,
		     const gchar *member)
{
	JsonNode *node = object ? json_object_get_member (object, member) : NULL;

	return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
attendees_root (JsonNode *body)
{
	return body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
}

static JsonNode *
attendees_node_take (JsonObject *object)
{
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);

	json_node_take_object (node, object);

	return node;
}

GPtrArray *
e_hubspot_attendees_from_body (JsonNode *create_body)
{
	GPtrArray *attendees = g_ptr_array_new_with_free_func (e_hubspot_attendee_free);
	JsonArray *array = attendees_get_array (attendees_root (create_body), E_HUBSPOT_ATTENDEES_MEMBER);
	guint ii;

	for (ii = 0; array && ii < json_array_get_length (array); ii++) {
		JsonNode *node = json_array_get_element (array, ii);
		JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
		g_autofree gchar *email = e_hubspot_attendees_address_to_email (e_hubspot_json_get_text (object, "email"));
		const gchar *name = e_hubspot_json_get_text (object, "name");
		EHubSpotAttendee *attendee;

		if (!email)
			continue;

		attendee = g_new0 (EHubSpotAttendee, 1);
		attendee->email = g_steal_pointer (&email);
		attendee->name = g_strdup (name);
		g_ptr_array_add (attendees, attendee);
	}

	return attendees;
}

gboolean
e_hubspot_attendees_body_is_completed (JsonNode *create_body)
{
	JsonObject *properties = e_hubspot_requests_get_properties (create_body);

	return g_strcmp0 (e_hubspot_json_get_text (properties, "hs_meeting_outcome"), "COMPLETED") == 0;
}

/* The bodies sent */

EHubSpotAttendeeResolution *
e_hubspot_attendee_resolution_new (void)
{
	EHubSpotAttendeeResolution *resolution = g_new0 (EHubSpotAttendeeResolution, 1);

	resolution->owner_ids = g_ptr_array_new_with_free_func (g_free);
	resolution->contact_ids = g_ptr_array_new_with_free_func (g_free);
	resolution->company_ids = g_ptr_array_new_with_free_func (g_free);
	resolution->complete = TRUE;

	return resolution;
}

void
e_hubspot_attendee_resolution_free (EHubSpotAttendeeResolution *resolution)
{
	if (!resolution)
		return;

	g_ptr_array_unref (resolution->owner_ids);
	g_ptr_array_unref (resolution->contact_ids);
	g_ptr_array_unref (resolution->company_ids);
	g_free (resolution);
}

/* json_node_copy() shares objects and arrays: the caller's body must
 * stay as it is (it is sent again, or looked up, later). */
static JsonNode *
attendees_deep_copy (JsonNode *node)
{
	JsonNode *copy;
	GList *members, *link;
	guint ii;

	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *object = json_node_get_object (node);
		JsonObject *object_copy = json_object_new ();

		members = json_object_get_members (object);
		for (link = members; link; link = link->next)
			json_object_set_member (object_copy, link->data,
				attendees_deep_copy (json_object_get_member (object, link->data)));
		g_list_free (members);

		return attendees_node_take (object_copy);
	}
	case JSON_NODE_ARRAY: {
		JsonArray *array = json_node_get_array (node);
		JsonArray *array_copy = json_array_new ();

		for (ii = 0; ii < json_array_get_length (array); ii++)
			json_array_add_element (array_copy, attendees_deep_copy (json_array_get_element (array, ii)));

		copy = json_node_new (JSON_NODE_ARRAY);
		json_node_take_array (copy, array_copy);
		return copy;
	}
	default:
		return json_node_copy (node);
	}
}

static JsonObject *
attendees_new_association_to (const gchar *id,
			      gint association_type_id)
{
	JsonObject *association = json_object_new ();
	JsonObject *to = json_object_new ();
	JsonObject *type = json_object_new ();
	JsonArray *types = json_array_new ();

	json_object_set_string_member (to, "id", id);
	json_object_set_string_member (type, "associationCategory", "HUBSPOT_DEFINED");
	json_object_set_int_member (type, "associationTypeId", association_type_id);
	json_array_add_object_element (types, type);

	json_object_set_object_member (association, "to", to);
	json_object_set_array_member (association, "types", types);

	return association;
}

static void
attendees_add_associations (JsonArray *associations,
			    GPtrArray *ids,
			    gint association_type_id)
{
	guint ii;

	for (ii = 0; ids && ii < ids->len; ii++)
		json_array_add_object_element (associations,
			attendees_new_association_to (g_ptr_array_index (ids, ii), association_type_id));
}

/* The associations a create carries: the body's own, then the attendees'. */
static JsonArray *
attendees_build_associations (JsonObject *root,
			      const EHubSpotAttendeeResolution *resolution)
{
	JsonArray *existing = attendees_get_array (root, "associations");
	JsonArray *associations = json_array_new ();
	guint ii;

	for (ii = 0; existing && ii < json_array_get_length (existing); ii++)
		json_array_add_element (associations, attendees_deep_copy (json_array_get_element (existing, ii)));

	if (resolution) {
		attendees_add_associations (associations, resolution->contact_ids, E_HUBSPOT_ASSOCIATION_CONTACT);
		attendees_add_associations (associations, resolution->company_ids, E_HUBSPOT_ASSOCIATION_COMPANY);
	}

	return associations;
}

static gchar *
attendees_join_ids (GPtrArray *ids)
{
	GString *joined = g_string_new (NULL);
	guint ii;

	for (ii = 0; ids && ii < ids->len; ii++) {
		if (ii)
			g_string_append_c (joined, ';');
		g_string_append (joined, g_ptr_array_index (ids, ii));
	}

	return g_string_free (joined, FALSE);
}

JsonNode *
e_hubspot_attendees_scheduler_body (JsonNode *create_body,
				    const EHubSpotAttendeeResolution *resolution)
{
	JsonNode *body;
	JsonObject *root, *properties;

	g_return_val_if_fail (create_body != NULL, NULL);

	body = attendees_deep_copy (create_body);
	root = attendees_root (body);
	if (!root)
		return body;

	json_object_remove_member (root, E_HUBSPOT_ATTENDEES_MEMBER);
	if (!resolution)
		return body;

	properties = e_hubspot_requests_get_properties (body);
	if (properties && resolution->owner_ids->len) {
		JsonArray *owners = json_array_new ();
		guint ii;

		for (ii = 0; ii < resolution->owner_ids->len; ii++)
			json_array_add_string_element (owners, g_ptr_array_index (resolution->owner_ids, ii));
		json_object_set_array_member (properties, "hs_attendee_owner_ids", owners);
	}

	json_object_set_array_member (root, "associations", attendees_build_associations (root, resolution));

	return body;
}

JsonNode *
e_hubspot_attendees_update_body (JsonNode *create_body,
				 const EHubSpotAttendeeResolution *resolution,
				 gboolean clear_owners)
{
	JsonNode *body = e_hubspot_requests_update_body (create_body);
	JsonObject *properties = e_hubspot_requests_get_properties (body);

	if (properties && resolution && (resolution->owner_ids->len || clear_owners)) {
		g_autofree gchar *joined = attendees_join_ids (resolution->owner_ids);

		json_object_set_string_member (properties, "hs_attendee_owner_ids", joined);
	}

	return body;
}

JsonNode *
e_hubspot_attendees_crm_create_body (JsonNode *create_body,
				     const EHubSpotAttendeeResolution *resolution)
{
	g_autoptr(JsonNode) properties_body = NULL;
	JsonObject *root, *properties;

	/* The CRM's properties are all strings, as in a PATCH; the calendar
	 * members (reminders, time zone) do not exist for a logged meeting. */
	properties_body = e_hubspot_attendees_update_body (create_body, resolution, FALSE);
	properties = e_hubspot_requests_get_properties (properties_body);

	root = json_object_new ();
	json_object_set_object_member (root, "properties",
		properties ? json_object_ref (properties) : json_object_new ());
	json_object_set_array_member (root, "associations",
		attendees_build_associations (attendees_root (create_body), resolution));

	return attendees_node_take (root);
}

/* The directory calls */

static JsonArray *
attendees_id_inputs (const gchar * const *ids,
		     guint n_ids)
{
	JsonArray *inputs = json_array_new ();
	guint ii;

	for (ii = 0; ii < n_ids; ii++) {
		JsonObject *input = json_object_new ();

		json_object_set_string_member (input, "id", ids[ii]);
		json_array_add_object_element (inputs, input);
	}

	return inputs;
}

JsonNode *
e_hubspot_attendees_contacts_read_body (const gchar * const *emails,
					guint n_emails)
{
	JsonObject *root = json_object_new ();
	JsonArray *properties = json_array_new ();

	json_array_add_string_element (properties, "email");

	json_object_set_string_member (root, "idProperty", "email");
	json_object_set_array_member (root, "inputs", attendees_id_inputs (emails, n_emails));
	json_object_set_array_member (root, "properties", properties);

	return attendees_node_take (root);
}

gboolean
e_hubspot_attendees_parse_contacts_read (JsonNode *response,
					 GHashTable *found)
{
	JsonArray *results = attendees_get_array (attendees_root (response), "results");
	guint ii;

	if (!results)
		return FALSE;

	for (ii = 0; ii < json_array_get_length (results); ii++) {
		JsonNode *node = json_array_get_element (results, ii);
		JsonObject *properties = e_hubspot_requests_get_properties (node);
		g_autofree gchar *id = e_hubspot_json_dup_id (node, "id");
		gchar *email = e_hubspot_attendees_address_to_email (e_hubspot_json_get_text (properties, "email"));

		if (id && email)
			g_hash_table_replace (found, email, g_steal_pointer (&id));
		else
			g_free (email);
	}

	return TRUE;
}

JsonNode *
e_hubspot_attendees_contact_create_body (const gchar *email,
					 const gchar *name)
{
	g_autofree gchar *first = NULL;
	g_autofree gchar *last = NULL;
	JsonObject *root = json_object_new ();
	JsonObject *properties = json_object_new ();

	e_hubspot_attendees_split_name (name, &first, &last);

	json_object_set_string_member (properties, "email", email);
	if (first)
		json_object_set_string_member (properties, "firstname", first);
	if (last)
		json_object_set_string_member (properties, "lastname", last);
	json_object_set_object_member (root, "properties", properties);

	return attendees_node_take (root);
}

gchar *
e_hubspot_attendees_conflict_id (const gchar *message)
{
	static const gchar marker[] = "Existing ID:";
	const gchar *pp, *start;

	if (!message)
		return NULL;

	for (pp = message; *pp; pp++) {
		if (g_ascii_strncasecmp (pp, marker, strlen (marker)) == 0)
			break;
	}
	if (!*pp)
		return NULL;

	for (pp += strlen (marker); *pp == ' '; pp++)
		;
	for (start = pp; g_ascii_isdigit (*pp); pp++)
		;

	return pp > start ? g_strndup (start, pp - start) : NULL;
}

JsonNode *
e_hubspot_attendees_ids_read_body (const gchar * const *ids,
				   guint n_ids)
{
	JsonObject *root = json_object_new ();

	json_object_set_array_member (root, "inputs", attendees_id_inputs (ids, n_ids));

	return attendees_node_take (root);
}

gboolean
e_hubspot_attendees_parse_companies_read (JsonNode *response,
					  GHashTable *found)
{
	JsonArray *results = attendees_get_array (attendees_root (response), "results");
	guint ii, jj;

	if (!results)
		return FALSE;

	for (ii = 0; ii < json_array_get_length (results); ii++) {
		JsonNode *node = json_array_get_element (results, ii);
		JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
		gchar *contact_id = result ? e_hubspot_json_dup_id (json_object_get_member (result, "from"), "id") : NULL;
		JsonArray *to = attendees_get_array (result, "to");
		GPtrArray *companies;

		if (!contact_id)
			continue;

		companies = g_hash_table_lookup (found, contact_id);
		if (companies) {
			g_free (contact_id);
		} else {
			companies = g_ptr_array_new_with_free_func (g_free);
			g_hash_table_insert (found, contact_id, companies);
		}

		for (jj = 0; to && jj < json_array_get_length (to); jj++) {
			gchar *company_id = e_hubspot_json_dup_id (json_array_get_element (to, jj), "toObjectId");

			if (company_id)
				g_ptr_array_add (companies, company_id);
		}
	}

	return TRUE;
}

JsonNode *
e_hubspot_attendees_associations_body (const gchar *meeting_id,
				       const gchar * const *ids,
				       guint n_ids,
				       gint association_type_id)
{
	JsonObject *root = json_object_new ();
	JsonArray *inputs = json_array_new ();
	guint ii;

	for (ii = 0; ii < n_ids; ii++) {
		JsonObject *input = attendees_new_association_to (ids[ii], association_type_id);
		JsonObject *from = json_object_new ();

		json_object_set_string_member (from, "id", meeting_id);
		json_object_set_object_member (input, "from", from);
		json_array_add_object_element (inputs, input);
	}
	json_object_set_array_member (root, "inputs", inputs);

	return attendees_node_take (root);
}

gboolean
e_hubspot_attendees_parse_owners_page (JsonNode *response,
				       GHashTable *owners,
				       gchar **out_after)
{
	JsonObject *root = attendees_root (response);
	JsonArray *results = attendees_get_array (root, "results");
	JsonObject *next;
	guint ii;

	*out_after = NULL;

	if (!results)
		return FALSE;

	for (ii = 0; ii < json_array_get_length (results); ii++) {
		JsonNode *node = json_array_get_element (results, ii);
		JsonObject *owner = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
		gchar *email = e_hubspot_attendees_address_to_email (e_hubspot_json_get_text (owner, "email"));
		gchar *id = e_hubspot_json_dup_id (node, "id");

		if (email && id) {
			g_hash_table_replace (owners, email, id);
		} else {
			g_free (email);
			g_free (id);
		}
	}

	next = attendees_get_object (attendees_get_object (root, "paging"), "next");
	*out_after = g_strdup (e_hubspot_json_get_text (next, "after"));

	return TRUE;
}
