/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "e-hubspot-error.h"
#include "e-hubspot-requests.h"

JsonObject *
e_hubspot_requests_get_properties (JsonNode *object_node)
{
	JsonNode *props;

	if (!object_node || !JSON_NODE_HOLDS_OBJECT (object_node))
		return NULL;

	props = json_object_get_member (json_node_get_object (object_node), "properties");

	return props && JSON_NODE_HOLDS_OBJECT (props) ? json_node_get_object (props) : NULL;
}

gint64
e_hubspot_requests_parse_time_ms (const gchar *text)
{
	g_autoptr(GTimeZone) utc = NULL;
	g_autoptr(GDateTime) dt = NULL;
	gint64 ms;

	if (!text || !*text)
		return G_MININT64;

	if (g_ascii_string_to_signed (text, 10, G_MININT64 / 2, G_MAXINT64 / 2, &ms, NULL))
		return ms;

	utc = g_time_zone_new_utc ();
	dt = g_date_time_new_from_iso8601 (text, utc);
	if (!dt)
		return G_MININT64;

	return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

JsonNode *
e_hubspot_requests_update_body (JsonNode *create_body)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	JsonObject *props = e_hubspot_requests_get_properties (create_body);
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
	JsonObject *props = e_hubspot_requests_get_properties (create_body);

	if (!props)
		return FALSE;

	out_key->title = json_object_get_string_member_with_default (props, "hs_meeting_title", NULL);
	out_key->start = json_object_get_string_member_with_default (props, "hs_meeting_start_time", NULL);

	return out_key->title && out_key->start;
}

/* Search bodies (POST .../meetings/search): the filter groups go between
 * requests_search_begin () and requests_search_end (). */

static void
requests_search_begin (JsonBuilder *builder)
{
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "filterGroups");
	json_builder_begin_array (builder);
}

static void
requests_search_begin_group (JsonBuilder *builder)
{
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "filters");
	json_builder_begin_array (builder);
}

static void
requests_search_end_group (JsonBuilder *builder)
{
	json_builder_end_array (builder);
	json_builder_end_object (builder);
}

static void
requests_search_add_filter (JsonBuilder *builder,
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

/* Closes the filter groups; sorts by record id (oldest first) when
 * by_record; after: the page's cursor, or NULL. */
static JsonNode *
requests_search_end (JsonBuilder *builder,
		     const gchar * const *properties,
		     gboolean by_record,
		     gint limit,
		     const gchar *after)
{
	guint ii;

	json_builder_end_array (builder);

	json_builder_set_member_name (builder, "properties");
	json_builder_begin_array (builder);
	for (ii = 0; properties && properties[ii]; ii++)
		json_builder_add_string_value (builder, properties[ii]);
	json_builder_end_array (builder);

	if (by_record) {
		json_builder_set_member_name (builder, "sorts");
		json_builder_begin_array (builder);
		json_builder_begin_object (builder);
		json_builder_set_member_name (builder, "propertyName");
		json_builder_add_string_value (builder, "hs_object_id");
		json_builder_set_member_name (builder, "direction");
		json_builder_add_string_value (builder, "ASCENDING");
		json_builder_end_object (builder);
		json_builder_end_array (builder);
	}

	json_builder_set_member_name (builder, "limit");
	json_builder_add_int_value (builder, limit);

	if (after && *after) {
		json_builder_set_member_name (builder, "after");
		json_builder_add_string_value (builder, after);
	}

	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

typedef enum {
	COMPARE_TEXT,
	COMPARE_TIME,	/* the same instant, however written */
	COMPARE_HTML	/* the same text, whatever the markup */
} CompareKind;

/* Every property e_hubspot_mapping_build_meeting () sets but the
 * attendees' owners, which depend on the directory when sent (an adopted
 * meeting gets them again). */
static const gchar * const lookup_properties[] = {
	"hubspot_owner_id",
	"hs_meeting_title",
	"hs_meeting_start_time",
	"hs_meeting_end_time",
	"hs_timestamp",
	"hs_meeting_body",
	"hs_meeting_location",
	"hs_meeting_location_type",
	"hs_internal_meeting_notes",
	"hs_activity_type",
	"hs_meeting_outcome",
	NULL
};

static CompareKind
requests_compare_kind (const gchar *name)
{
	if (g_str_has_suffix (name, "_time") || g_str_equal (name, "hs_timestamp"))
		return COMPARE_TIME;

	return g_str_equal (name, "hs_meeting_body") ? COMPARE_HTML : COMPARE_TEXT;
}

const gchar * const *
e_hubspot_requests_lookup_properties (void)
{
	return lookup_properties;
}

JsonNode *
e_hubspot_requests_lookup_body (const gchar *owner_id,
				const EHubSpotLookupKey *keys,
				guint n_keys)
{
	g_autoptr(GPtrArray) properties = g_ptr_array_new ();
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	guint ii;

	/* The answer is written back as the create's would be. */
	for (ii = 0; lookup_properties[ii]; ii++)
		g_ptr_array_add (properties, (gpointer) lookup_properties[ii]);
	g_ptr_array_add (properties, (gpointer) "hs_meeting_external_url");
	g_ptr_array_add (properties, NULL);

	requests_search_begin (builder);
	for (ii = 0; ii < n_keys; ii++) {
		requests_search_begin_group (builder);
		requests_search_add_filter (builder, "hubspot_owner_id", "EQ", owner_id, NULL);
		requests_search_add_filter (builder, "hs_meeting_title", "EQ", keys[ii].title, NULL);
		requests_search_add_filter (builder, "hs_meeting_start_time", "EQ", keys[ii].start, NULL);
		requests_search_end_group (builder);
	}

	return requests_search_end (builder, (const gchar * const *) properties->pdata, FALSE, 100, NULL);
}

gboolean
e_hubspot_requests_key_matches (const EHubSpotLookupKey *key,
				const gchar *title,
				const gchar *start)
{
	gint64 start_ms;

	if (!key || g_strcmp0 (title, key->title) != 0)
		return FALSE;

	/* HubSpot may answer a date-time with or without milliseconds. */
	start_ms = e_hubspot_requests_parse_time_ms (start);

	return start_ms != G_MININT64 && start_ms == e_hubspot_requests_parse_time_ms (key->start);
}

/* The text of an HTML body: tags are spaces, the usual entities their
 * characters, blanks one space.  HubSpot may store <br> as <br/>, or
 * wrap the body in a paragraph. */
static gchar *
requests_html_text (const gchar *html)
{
	static const struct {
		const gchar *entity;
		gchar c;
	} entities[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		{ "&#39;", '\'' }, { "&apos;", '\'' }, { "&nbsp;", ' ' }, { "&#160;", ' ' }
	};
	GString *text = g_string_new (NULL);
	const gchar *pp = html;

	while (*pp) {
		gchar c = *pp;
		guint ii;

		if (c == '<') {
			const gchar *end = strchr (pp, '>');

			pp = end ? end + 1 : pp + strlen (pp);
			c = ' ';
		} else if (c == '&') {
			for (ii = 0; ii < G_N_ELEMENTS (entities); ii++) {
				if (g_str_has_prefix (pp, entities[ii].entity))
					break;
			}
			if (ii < G_N_ELEMENTS (entities)) {
				c = entities[ii].c;
				pp += strlen (entities[ii].entity);
			} else {
				pp++;
			}
		} else {
			pp++;
		}

		if (g_ascii_isspace (c)) {
			if (text->len && text->str[text->len - 1] != ' ')
				g_string_append_c (text, ' ');
		} else {
			g_string_append_c (text, c);
		}
	}

	if (text->len && text->str[text->len - 1] == ' ')
		g_string_truncate (text, text->len - 1);

	return g_string_free (text, FALSE);
}

static gboolean
requests_values_equal (CompareKind kind,
		       const gchar *sent,
		       const gchar *found)
{
	if (!sent || !found)
		return !sent && !found;

	if (g_strcmp0 (sent, found) == 0)
		return TRUE;

	switch (kind) {
	case COMPARE_TIME:
		return e_hubspot_requests_parse_time_ms (sent) != G_MININT64 &&
			e_hubspot_requests_parse_time_ms (sent) == e_hubspot_requests_parse_time_ms (found);
	case COMPARE_HTML: {
		g_autofree gchar *sent_text = requests_html_text (sent);
		g_autofree gchar *found_text = requests_html_text (found);

		return g_strcmp0 (sent_text, found_text) == 0;
	}
	case COMPARE_TEXT:
	default:
		return FALSE;
	}
}

gboolean
e_hubspot_requests_meeting_matches (JsonNode *create_body,
				    JsonNode *meeting)
{
	JsonObject *sent = e_hubspot_requests_get_properties (create_body);
	JsonObject *found = e_hubspot_requests_get_properties (meeting);
	guint ii;

	if (!sent || !found)
		return FALSE;

	for (ii = 0; lookup_properties[ii]; ii++) {
		/* Every value is a string there; unset ones null or "". */
		if (!requests_values_equal (requests_compare_kind (lookup_properties[ii]),
			e_hubspot_json_get_text (sent, lookup_properties[ii]),
			e_hubspot_json_get_text (found, lookup_properties[ii])))
			return FALSE;
	}

	return TRUE;
}

JsonNode *
e_hubspot_requests_lookup_match (JsonNode *search_response,
				 JsonNode *create_body,
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
		g_autofree gchar *id = e_hubspot_json_dup_id (item, "id");

		if (!id || (taken && g_hash_table_contains (taken, id)))
			continue;

		if (e_hubspot_requests_meeting_matches (create_body, item))
			return item;
	}

	return NULL;
}

/* The owner's meetings in a time window (two-way sync) */

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

	g_return_val_if_fail (owner_id != NULL, NULL);

	requests_search_begin (builder);
	requests_search_begin_group (builder);
	requests_search_add_filter (builder, "hubspot_owner_id", "EQ", owner_id, NULL);
	/* Epoch milliseconds: what HubSpot's date-time filters read everywhere. */
	requests_search_add_filter (builder, "hs_meeting_start_time", "BETWEEN", from_ms, until_ms);
	requests_search_end_group (builder);

	/* Oldest record first: a meeting created while we page comes last,
	 * and never shifts a page we have not read yet. */
	return requests_search_end (builder, properties, TRUE, E_HUBSPOT_SEARCH_PAGE_MAX, after);
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
		g_autofree gchar *id = e_hubspot_json_dup_id (item, "id");

		if (id)
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
