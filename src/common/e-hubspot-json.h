/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* JSON from outside (HubSpot's answers, files we did not write alone):
 * read with bounds, and the readers of the members HubSpot sends in more
 * than one form.  Pure. */

#ifndef E_HUBSPOT_JSON_H
#define E_HUBSPOT_JSON_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* HubSpot's answers nest a few levels deep; json-glib's parser recurses
 * once per level and overflows the stack near 100,000 (docs/design.md,
 * "Hostile input"). */
#define E_HUBSPOT_JSON_MAX_DEPTH 64

/* How deep the arrays and objects of a JSON text nest (strings skipped);
 * stops counting past limit and returns limit + 1. */
guint		e_hubspot_json_get_depth	(const gchar *data,
						 gsize len,
						 guint limit);

/* The JSON object or array of data; E_HUBSPOT_ERROR_BAD_RESPONSE when it
 * is not JSON, is empty, is a bare value, has more after its value, or
 * nests deeper than E_HUBSPOT_JSON_MAX_DEPTH. */
JsonNode *	e_hubspot_json_parse		(const gchar *data,
						 gsize len,
						 GError **error);

/* A non-empty string member of a JSON object (object may be NULL). */
const gchar *	e_hubspot_json_get_text		(JsonObject *object,
						 const gchar *member);

/* A string or number member of a JSON object (ids, portalId, userId:
 * HubSpot sends either), as a string; NULL if absent, empty, or a number
 * that is no id (not a whole number above 0). */
gchar *		e_hubspot_json_dup_id		(JsonNode *object_node,
						 const gchar *member);

G_END_DECLS

#endif /* E_HUBSPOT_JSON_H */
