/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gi18n-lib.h>

#include "e-hubspot-error.h"
#include "e-hubspot-json.h"

/* One pass over the text: how deep it nests (stopping past limit), and
 * whether anything but white space follows the top-level object or array
 * (or anything at all follows a text that does not start with one: no
 * answer of HubSpot is a bare number or string). */
static guint
hubspot_json_scan (const gchar *data,
		   gsize len,
		   guint limit,
		   gboolean *out_trailing)
{
	guint depth = 0, deepest = 0;
	gboolean in_string = FALSE, closed = FALSE;
	gsize ii;

	*out_trailing = FALSE;

	for (ii = 0; ii < len && g_ascii_isspace (data[ii]); ii++)
		;
	if (ii < len && data[ii] != '{' && data[ii] != '[') {
		*out_trailing = TRUE;
		return 0;
	}

	for (; ii < len; ii++) {
		gchar ch = data[ii];

		if (closed) {
			if (!g_ascii_isspace (ch)) {
				*out_trailing = TRUE;
				break;
			}
		} else if (in_string) {
			if (ch == '\\')
				ii++;
			else if (ch == '"')
				in_string = FALSE;
		} else if (ch == '"') {
			in_string = TRUE;
		} else if (ch == '[' || ch == '{') {
			if (++depth > deepest) {
				deepest = depth;
				if (deepest > limit)
					return limit + 1;
			}
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			closed = --depth == 0;
		}
	}

	return deepest;
}

guint
e_hubspot_json_get_depth (const gchar *data,
			  gsize len,
			  guint limit)
{
	gboolean trailing;

	g_return_val_if_fail (data != NULL || len == 0, 0);

	return hubspot_json_scan (data, len, limit, &trailing);
}

JsonNode *
e_hubspot_json_parse (const gchar *data,
		      gsize len,
		      GError **error)
{
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GError) local_error = NULL;
	gboolean trailing = FALSE;
	JsonNode *root;

	g_return_val_if_fail (data != NULL || len == 0, NULL);

	if (len == 0) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot sent an empty answer where JSON was expected"));
		return NULL;
	}

	if (hubspot_json_scan (data, len, E_HUBSPOT_JSON_MAX_DEPTH, &trailing) > E_HUBSPOT_JSON_MAX_DEPTH) {
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot sent an answer nested more than %u levels deep"), E_HUBSPOT_JSON_MAX_DEPTH);
		return NULL;
	}

	/* json-glib 1.6 leaks what it read when more follows the first
	 * value (found by the answers and meeting-to-event fuzz targets):
	 * refused first, as is an answer that is no object or array. */
	if (trailing) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot sent an answer that is not one JSON object or array"));
		return NULL;
	}

	/* The parser takes a signed length. */
	parser = json_parser_new ();
	if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) len, &local_error) ||
	    !(root = json_parser_get_root (parser))) {
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot sent an answer that is not valid JSON: %s"),
			local_error ? local_error->message : _("empty answer"));
		return NULL;
	}

	return json_node_ref (root);
}

const gchar *
e_hubspot_json_get_text (JsonObject *object,
			 const gchar *member)
{
	JsonNode *node = object ? json_object_get_member (object, member) : NULL;
	const gchar *value;

	if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;

	value = json_node_get_string (node);

	return value && *value ? value : NULL;
}

gchar *
e_hubspot_json_dup_id (JsonNode *object_node,
		       const gchar *member)
{
	JsonObject *object = object_node && JSON_NODE_HOLDS_OBJECT (object_node) ? json_node_get_object (object_node) : NULL;
	JsonNode *node = object ? json_object_get_member (object, member) : NULL;

	if (!node || !JSON_NODE_HOLDS_VALUE (node))
		return NULL;

	switch (json_node_get_value_type (node)) {
	case G_TYPE_STRING:
		return *json_node_get_string (node) ? g_strdup (json_node_get_string (node)) : NULL;
	case G_TYPE_INT64:
		return json_node_get_int (node) > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)) : NULL;
	case G_TYPE_DOUBLE: {
		/* Too large for an int64: a whole number below 2^64, or no
		 * id (and no cast of a larger one, which is undefined). */
		gdouble value = json_node_get_double (node);

		return value > 0 && value < 18446744073709551616.0 && value == (gdouble) (guint64) value ?
			g_strdup_printf ("%.0f", value) : NULL;
	}
	default:
		return NULL;
	}
}
