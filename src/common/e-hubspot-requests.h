/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The CRM calls that follow a meeting's creation: their paths and bodies, reading a search answer, and the readers of
 * HubSpot's JSON values (ids, properties, times) the rest shares.  Pure
 * JSON: the unit tests build it without the connection. */

#ifndef E_HUBSPOT_REQUESTS_H
#define E_HUBSPOT_REQUESTS_H

#include <json-glib/json-glib.h>

#include "e-hubspot-json.h"

G_BEGIN_DECLS

#define E_HUBSPOT_LOOKUP_MAX 5	/* filter groups in one search; HubSpot allows 6 */

/* What a lookup searches for: the owner's meetings with this title and
 * start (the search's filters; e_hubspot_requests_meeting_matches ()
 * then compares everything else). */
typedef struct {
	const gchar *title;
	const gchar *start;	/* UTC, as in hs_meeting_start_time */
} EHubSpotLookupKey;

/* The "properties" object of a create or PATCH body or of a meeting
 * HubSpot sent; NULL when it has none. */
JsonObject *	e_hubspot_requests_get_properties
						(JsonNode *object_node);
/* A HubSpot time: ISO 8601 (with or without milliseconds; UTC unless it
 * says otherwise) or epoch milliseconds, as Unix milliseconds;
 * G_MININT64 when it is neither. */
gint64		e_hubspot_requests_parse_time_ms
						(const gchar *text);

/* PATCH body that brings a meeting to what a create body says. */
JsonNode *	e_hubspot_requests_update_body	(JsonNode *create_body);
/* PATCH body of a cancelled meeting: history kept, outcome CANCELED. */
JsonNode *	e_hubspot_requests_cancel_body	(void);

/* Reads title and start from a create body; FALSE when it lacks them. */
gboolean	e_hubspot_requests_lookup_key	(JsonNode *create_body,
						 EHubSpotLookupKey *out_key);
/* The meeting properties a create body fixes, which a lookup compares
 * (and asks the search for); NULL-terminated. */
const gchar * const *
		e_hubspot_requests_lookup_properties
						(void);
/* Search body finding the owner's meetings with any of the keys, with
 * e_hubspot_requests_lookup_properties (). */
JsonNode *	e_hubspot_requests_lookup_body	(const gchar *owner_id,
						 const EHubSpotLookupKey *keys,
						 guint n_keys);
/* Whether a meeting with this title and start (UTC, with or without
 * milliseconds) is one key looks for. */
gboolean	e_hubspot_requests_key_matches	(const EHubSpotLookupKey *key,
						 const gchar *title,
						 const gchar *start);
/* Whether meeting (a search result, or any meeting object) is what
 * create_body makes: each of e_hubspot_requests_lookup_properties ()
 * the same (times as instants, the HTML body by its text), and unset on
 * the meeting when the body leaves it out. */
gboolean	e_hubspot_requests_meeting_matches
						(JsonNode *create_body,
						 JsonNode *meeting);
/* The first result of a search answer that create_body matches, not in
 * taken (meeting ids linked to an event already); NULL if none. */
JsonNode *	e_hubspot_requests_lookup_match	(JsonNode *search_response,
						 JsonNode *create_body,
						 GHashTable *taken);

/* HubSpot's search pages hold at most this many results. */
#define E_HUBSPOT_SEARCH_PAGE_MAX 200

/* POST .../meetings/search body: the owner's meetings starting between
 * from and until (Unix seconds, inclusive), with these properties, oldest
 * record first, E_HUBSPOT_SEARCH_PAGE_MAX a page; after: the cursor of the
 * page, or NULL for the first one. */
JsonNode *	e_hubspot_requests_window_search_body
						(const gchar *owner_id,
						 gint64 from,
						 gint64 until,
						 const gchar * const *properties,
						 const gchar *after);
/* Reads a search answer: adds its results (JsonNode * of meeting objects,
 * referenced) to out_meetings and sets *out_next_after to the next page's
 * cursor (NULL on the last page).  E_HUBSPOT_ERROR_BAD_RESPONSE when it is
 * not a search answer. */
gboolean	e_hubspot_requests_read_search_page
						(JsonNode *response,
						 GPtrArray *out_meetings,
						 gchar **out_next_after,
						 GError **error);

G_END_DECLS

#endif /* E_HUBSPOT_REQUESTS_H */
