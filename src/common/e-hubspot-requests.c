/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gi18n-lib.h>

#include "e-hubspot-error.h"
#include "e-hubspot-requests.h"

gchar *
e_hubspot_requests_meeting_path (const gchar *meeting_id)
{
	g_autofree gchar *escaped = g_uri_escape_string (meeting_id, NULL, FALSE);

	return g_strconcat (E_HUBSPOT_CRM_MEETINGS_PATH "/", escaped, NULL);
}

static JsonObject *
requests_properties (JsonNode *create_body)
{
	JsonObject *root;
	JsonNode *props;

	if (!create_body || !JSON_NODE_HOLDS_OBJECT (create_body))
		return NULL;

	root = json_node_get_object (create_body);
	props = json_object_get_member (root, "properties");

	return props && JSON_NODE_HOLDS_OBJECT (props) ? json_node_get_object (props) : NULL;
}

JsonNode *
e_hubspot_requests_update_body (JsonNode *create_body)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	JsonObject *props = requests_properties (create_body);
	GList *members, *link;

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "properties");
	json_builder_begin_object (builder);

	members = props ? json_object_get_members (props) : NULL;
	for (link = members; link; link = link->next) {
		JsonNode *value = json_object_get_member (props, link->data);

		/* Arrays (attendee owners) are ;-separated strings in the CRM API. */
		json_builder_set_member_name (builder, link->data);
		if (JSON_NODE_HOLDS_ARRAY (value)) {
			JsonArray *array = json_node_get_array (value);
			g_autoptr(GString) joined = g_string_new (NULL);
			guint ii;

			for (ii = 0; ii < json_array_get_length (array); ii++) {
				if (ii)
					g_string_append_c (joined, ';');
				g_string_append (joined, json_array_get_string_element (array, ii));
			}
			json_builder_add_string_value (builder, joined->str);
		} else {
			json_builder_add_value (builder, json_node_copy (value));
		}
	}
	g_list_free (members);

	json_builder_end_object (builder);
	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

JsonNode *
e_hubspot_requests_cancel_body (void)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "properties");
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "hs_meeting_outcome");
	json_builder_add_string_value (builder, "CANCELED");
	json_builder_end_object (builder);
	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

gboolean
e_hubspot_requests_lookup_key (JsonNode *create_body,
			       EHubSpotLookupKey *out_key)
{
	JsonObject *props = requests_properties (create_body);

	if (!props)
		return FALSE;

	out_key->title = json_object_get_string_member_with_default (props, "hs_meeting_title", NULL);
	out_key->start = json_object_get_string_member_with_default (props, "hs_meeting_start_time", NULL);

	return out_key->title && out_key->start;
}

static void
requests_add_filter (JsonBuilder *builder,
		     const gchar *name,
		     const gchar *value)
{
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "propertyName");
	json_builder_add_string_value (builder, name);
	json_builder_set_member_name (builder, "operator");
	json_builder_add_string_value (builder, "EQ");
	json_builder_set_member_name (builder, "value");
	json_builder_add_string_value (builder, value);
	json_builder_end_object (builder);
}

JsonNode *
e_hubspot_requests_lookup_body (const gchar *owner_id,
				const EHubSpotLookupKey *keys,
				guint n_keys)
{
	static const gchar *properties[] = {
		"hs_meeting_title", "hs_meeting_start_time", "hs_meeting_external_url", "hubspot_owner_id"
	};
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	guint ii;

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "filterGroups");
	json_builder_begin_array (builder);
	for (ii = 0; ii < n_keys; ii++) {
		json_builder_begin_object (builder);
		json_builder_set_member_name (builder, "filters");
		json_builder_begin_array (builder);
		requests_add_filter (builder, "hubspot_owner_id", owner_id);
		requests_add_filter (builder, "hs_meeting_title", keys[ii].title);
		requests_add_filter (builder, "hs_meeting_start_time", keys[ii].start);
		json_builder_end_array (builder);
		json_builder_end_object (builder);
	}
	json_builder_end_array (builder);

	json_builder_set_member_name (builder, "properties");
	json_builder_begin_array (builder);
	for (ii = 0; ii < G_N_ELEMENTS (properties); ii++)
		json_builder_add_string_value (builder, properties[ii]);
	json_builder_end_array (builder);

	json_builder_set_member_name (builder, "limit");
	json_builder_add_int_value (builder, 100);
	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

/* HubSpot may answer a date-time with or without milliseconds. */
static gboolean
requests_same_instant (const gchar *a,
		       const gchar *b)
{
	g_autoptr(GDateTime) da = a ? g_date_time_new_from_iso8601 (a, NULL) : NULL;
	g_autoptr(GDateTime) db = b ? g_date_time_new_from_iso8601 (b, NULL) : NULL;

	return da && db && g_date_time_equal (da, db);
}

gboolean
e_hubspot_requests_key_matches (const EHubSpotLookupKey *key,
				const gchar *title,
				const gchar *start)
{
	return key && g_strcmp0 (title, key->title) == 0 && requests_same_instant (start, key->start);
}

JsonNode *
e_hubspot_requests_lookup_match (JsonNode *search_response,
				 const EHubSpotLookupKey *key,
				 GHashTable *taken)
{
	JsonObject *root;
	JsonNode *results;
	JsonArray *array;
	guint ii;

	if (!search_response || !JSON_NODE_HOLDS_OBJECT (search_response))
		return NULL;

	root = json_node_get_object (search_response);
	results = json_object_get_member (root, "results");
	if (!results || !JSON_NODE_HOLDS_ARRAY (results))
		return NULL;

	array = json_node_get_array (results);
	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonNode *item = json_array_get_element (array, ii);
		JsonObject *object, *props;
		const gchar *id;

		if (!JSON_NODE_HOLDS_OBJECT (item))
			continue;
		object = json_node_get_object (item);
		id = json_object_get_string_member_with_default (object, "id", NULL);
		if (!id || (taken && g_hash_table_contains (taken, id)) ||
		    !json_object_has_member (object, "properties") ||
		    !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "properties")))
			continue;

		props = json_object_get_object_member (object, "properties");
		if (e_hubspot_requests_key_matches (key,
			json_object_get_string_member_with_default (props, "hs_meeting_title", NULL),
			json_object_get_string_member_with_default (props, "hs_meeting_start_time", NULL)))
			return item;
	}

	return NULL;
}

/* The owner's meetings in a time window (two-way sync) */

static void
search_add_filter (JsonBuilder *builder,
		   const gchar *name,
		   const gchar *op,
		   const gchar *value,
		   const gchar *high_value)
{
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "propertyName");
	json_builder_add_string_value (builder, name);
	json_builder_set_member_name (builder, "operator");
	json_builder_add_string_value (builder, op);
	json_builder_set_member_name (builder, "value");
	json_builder_add_string_value (builder, value);
	if (high_value) {
		json_builder_set_member_name (builder, "highValue");
		json_builder_add_string_value (builder, high_value);
	}
	json_builder_end_object (builder);
}

JsonNode *
e_hubspot_requests_window_search_body (const gchar *owner_id,
				       gint64 from,
				       gint64 until,
				       const gchar * const *properties,
				       const gchar *after)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	g_autofree gchar *from_ms = g_strdup_printf ("%" G_GINT64_FORMAT, from * 1000);
	g_autofree gchar *until_ms = g_strdup_printf ("%" G_GINT64_FORMAT, until * 1000);
	guint ii;

	g_return_val_if_fail (owner_id != NULL, NULL);

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "filterGroups");
	json_builder_begin_array (builder);
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "filters");
	json_builder_begin_array (builder);
	search_add_filter (builder, "hubspot_owner_id", "EQ", owner_id, NULL);
	/* Epoch milliseconds: what HubSpot's date-time filters read everywhere. */
	search_add_filter (builder, "hs_meeting_start_time", "BETWEEN", from_ms, until_ms);
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	json_builder_end_array (builder);

	json_builder_set_member_name (builder, "properties");
	json_builder_begin_array (builder);
	for (ii = 0; properties && properties[ii]; ii++)
		json_builder_add_string_value (builder, properties[ii]);
	json_builder_end_array (builder);

	/* Oldest record first: a meeting created while we page comes last,
	 * and never shifts a page we have not read yet. */
	json_builder_set_member_name (builder, "sorts");
	json_builder_begin_array (builder);
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "propertyName");
	json_builder_add_string_value (builder, "hs_object_id");
	json_builder_set_member_name (builder, "direction");
	json_builder_add_string_value (builder, "ASCENDING");
	json_builder_end_object (builder);
	json_builder_end_array (builder);

	json_builder_set_member_name (builder, "limit");
	json_builder_add_int_value (builder, E_HUBSPOT_SEARCH_PAGE_MAX);

	if (after && *after) {
		json_builder_set_member_name (builder, "after");
		json_builder_add_string_value (builder, after);
	}

	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

static gboolean
meeting_has_id (JsonNode *meeting)
{
	JsonNode *id;

	if (!meeting || !JSON_NODE_HOLDS_OBJECT (meeting))
		return FALSE;

	id = json_object_get_member (json_node_get_object (meeting), "id");

	return id && JSON_NODE_HOLDS_VALUE (id) &&
		((json_node_get_value_type (id) == G_TYPE_STRING && *json_node_get_string (id)) ||
		 json_node_get_value_type (id) == G_TYPE_INT64);
}

gboolean
e_hubspot_requests_read_search_page (JsonNode *response,
				     GPtrArray *out_meetings,
				     gchar **out_next_after,
				     GError **error)
{
	JsonObject *root, *paging = NULL, *next = NULL;
	JsonNode *node;
	JsonArray *results;
	guint ii;

	g_return_val_if_fail (out_meetings != NULL, FALSE);
	g_return_val_if_fail (out_next_after != NULL, FALSE);

	*out_next_after = NULL;

	root = response && JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
	node = root ? json_object_get_member (root, "results") : NULL;
	if (!node || !JSON_NODE_HOLDS_ARRAY (node)) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s answer to a meeting search has no results"));
		return FALSE;
	}

	results = json_node_get_array (node);
	for (ii = 0; ii < json_array_get_length (results); ii++) {
		JsonNode *item = json_array_get_element (results, ii);

		if (meeting_has_id (item))
			g_ptr_array_add (out_meetings, json_node_ref (item));
	}

	node = json_object_get_member (root, "paging");
	if (node && JSON_NODE_HOLDS_OBJECT (node))
		paging = json_node_get_object (node);
	node = paging ? json_object_get_member (paging, "next") : NULL;
	if (node && JSON_NODE_HOLDS_OBJECT (node))
		next = json_node_get_object (node);
	node = next ? json_object_get_member (next, "after") : NULL;
	if (node && JSON_NODE_HOLDS_VALUE (node)) {
		if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node))
			*out_next_after = g_strdup (json_node_get_string (node));
		else if (json_node_get_value_type (node) == G_TYPE_INT64)
			*out_next_after = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
	}

	return TRUE;
}
