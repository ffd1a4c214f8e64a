/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "common/e-hubspot-recurrence.h"

#include "e-cal-backend-hubspot-state.h"

#define TOMBSTONES_KEY "hubspot-removed"
#define EXTRA_COLUMN "bdata"	/* ECalCache's column for "extra" */

static const struct {
	EHubSpotRowState state;
	const gchar *name;
} row_states[] = {
	{ E_HUBSPOT_ROW_PENDING, "pending" },
	{ E_HUBSPOT_ROW_DIRTY, "dirty" },
	{ E_HUBSPOT_ROW_SYNCED, "synced" },
	{ E_HUBSPOT_ROW_FAILED, "failed" }
};

gchar *
e_hubspot_row_extra_new (EHubSpotRowState state,
			 const gchar *meeting_id)
{
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (row_states); ii++) {
		if (row_states[ii].state != state)
			continue;
		if (meeting_id && *meeting_id && state != E_HUBSPOT_ROW_PENDING)
			return g_strconcat (row_states[ii].name, ":", meeting_id, NULL);
		return g_strdup (row_states[ii].name);
	}

	return NULL;
}

EHubSpotRowState
e_hubspot_row_extra_parse (const gchar *extra,
			   gchar **out_meeting_id)
{
	const gchar *colon;
	gsize len;
	guint ii;

	if (out_meeting_id)
		*out_meeting_id = NULL;

	if (!extra || !*extra)
		return E_HUBSPOT_ROW_NEW;

	colon = strchr (extra, ':');
	len = colon ? (gsize) (colon - extra) : strlen (extra);

	for (ii = 0; ii < G_N_ELEMENTS (row_states); ii++) {
		if (strlen (row_states[ii].name) != len || strncmp (extra, row_states[ii].name, len) != 0)
			continue;
		if (out_meeting_id && colon && colon[1])
			*out_meeting_id = g_strdup (colon + 1);
		return row_states[ii].state;
	}

	return E_HUBSPOT_ROW_NEW;
}

/* The tombstones are one JSON object in the cache's key table: written in
 * the same SQLite file as the rows, so a crash keeps both or neither. */
static JsonNode *
tombstones_load (ECalCache *cal_cache)
{
	g_autofree gchar *text = e_cache_dup_key (E_CACHE (cal_cache), TOMBSTONES_KEY, NULL);
	g_autoptr(JsonParser) parser = json_parser_new ();

	if (text && *text && json_parser_load_from_data (parser, text, -1, NULL) &&
	    JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
		return json_node_copy (json_parser_get_root (parser));

	{
		JsonNode *root = json_node_new (JSON_NODE_OBJECT);

		json_node_take_object (root, json_object_new ());

		return root;
	}
}

static gboolean
tombstones_store (ECalCache *cal_cache,
		  JsonNode *root,
		  GError **error)
{
	g_autofree gchar *text = NULL;

	if (json_object_get_size (json_node_get_object (root)) == 0)
		return e_cache_set_key (E_CACHE (cal_cache), TOMBSTONES_KEY, NULL, error);

	text = json_to_string (root, FALSE);

	return e_cache_set_key (E_CACHE (cal_cache), TOMBSTONES_KEY, text, error);
}

gboolean
e_hubspot_tombstone_put (ECalCache *cal_cache,
			 const gchar *uid,
			 const gchar *meeting_id,
			 JsonNode *request,
			 GError **error)
{
	g_autoptr(JsonNode) root = tombstones_load (cal_cache);
	JsonObject *entry = json_object_new ();

	if (meeting_id)
		json_object_set_string_member (entry, "id", meeting_id);
	else
		json_object_set_null_member (entry, "id");
	if (request)
		json_object_set_member (entry, "request", json_node_copy (request));

	json_object_set_object_member (json_node_get_object (root), uid, entry);

	return tombstones_store (cal_cache, root, error);
}

gboolean
e_hubspot_tombstone_drop (ECalCache *cal_cache,
			  const gchar *uid,
			  GError **error)
{
	g_autoptr(JsonNode) root = tombstones_load (cal_cache);

	if (!json_object_has_member (json_node_get_object (root), uid))
		return TRUE;

	json_object_remove_member (json_node_get_object (root), uid);

	return tombstones_store (cal_cache, root, error);
}

gboolean
e_hubspot_tombstone_exists (ECalCache *cal_cache,
			    const gchar *uid)
{
	g_autoptr(JsonNode) root = tombstones_load (cal_cache);

	return json_object_has_member (json_node_get_object (root), uid);
}

void
e_hubspot_tombstone_foreach (ECalCache *cal_cache,
			     EHubSpotTombstoneFunc func,
			     gpointer user_data)
{
	g_autoptr(JsonNode) root = tombstones_load (cal_cache);
	JsonObject *object = json_node_get_object (root);
	GList *members, *link;

	members = json_object_get_members (object);
	for (link = members; link; link = link->next) {
		JsonNode *node = json_object_get_member (object, link->data);
		JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

		if (!entry)
			continue;

		func (link->data, json_object_get_string_member_with_default (entry, "id", NULL),
			json_object_get_member (entry, "request"), user_data);
	}
	g_list_free (members);
}

/* Walks the rows e_cache_foreach () finds with where: func gets each
 * one's UID, extra and object (a string, maybe NULL). */
typedef void	(* RowFunc)			(const gchar *uid,
						 const gchar *extra,
						 const gchar *object,
						 gpointer func,
						 gpointer user_data);

typedef struct {
	RowFunc row_func;
	gpointer func;
	gpointer user_data;
} RowWalk;

static gboolean
row_walk_cb (ECache *cache,
	     const gchar *uid,
	     const gchar *revision,
	     const gchar *object,
	     EOfflineState offline_state,
	     gint ncols,
	     const gchar *column_names[],
	     const gchar *column_values[],
	     gpointer user_data)
{
	RowWalk *walk = user_data;
	const gchar *extra = NULL;
	gint ii;

	for (ii = 0; ii < ncols; ii++) {
		if (g_strcmp0 (column_names[ii], EXTRA_COLUMN) == 0)
			extra = column_values[ii];
	}

	walk->row_func (uid, extra, object, walk->func, walk->user_data);

	return TRUE;
}

static gboolean
row_walk (ECalCache *cal_cache,
	  const gchar *where,
	  RowFunc row_func,
	  gpointer func,
	  gpointer user_data,
	  GCancellable *cancellable,
	  GError **error)
{
	RowWalk walk = { row_func, func, user_data };

	return e_cache_foreach (E_CACHE (cal_cache), E_CACHE_EXCLUDE_DELETED, where,
		row_walk_cb, &walk, cancellable, error);
}

static void
row_unsent (const gchar *uid,
	    const gchar *extra,
	    const gchar *object,
	    gpointer func,
	    gpointer user_data)
{
	EHubSpotUnsentFunc unsent_func = func;
	g_autofree gchar *meeting_id = NULL;
	EHubSpotRowState state = e_hubspot_row_extra_parse (extra, &meeting_id);
	ICalComponent *icomp;
	ICalProperty *rid;

	icomp = object ? i_cal_component_new_from_string (object) : NULL;
	if (!icomp)
		return;

	/* The master carries the event's state; detached instances ride along. */
	rid = i_cal_component_get_first_property (icomp, I_CAL_RECURRENCEID_PROPERTY);
	if (!rid)
		unsent_func (icomp, state, meeting_id, user_data);

	g_clear_object (&rid);
	g_object_unref (icomp);
}

gboolean
e_hubspot_row_foreach_unsent (ECalCache *cal_cache,
			      EHubSpotUnsentFunc func,
			      gpointer user_data,
			      GCancellable *cancellable,
			      GError **error)
{
	return row_walk (cal_cache, EXTRA_COLUMN "='pending' OR " EXTRA_COLUMN " LIKE 'dirty:%'",
		row_unsent, func, user_data, cancellable, error);
}

static void
row_linked (const gchar *uid,
	    const gchar *extra,
	    const gchar *object,
	    gpointer func,
	    gpointer user_data)
{
	EHubSpotLinkedFunc linked_func = func;
	g_autofree gchar *meeting_id = NULL;
	g_autoptr(GHashTable) marks = NULL;
	ICalComponent *icomp;
	GHashTableIter iter;
	gpointer value;

	if (e_hubspot_row_extra_parse (extra, &meeting_id) != E_HUBSPOT_ROW_NEW && meeting_id)
		linked_func (uid, meeting_id, user_data);

	/* A series' meetings are its master's occurrence marks. */
	if (!object || !strstr (object, E_HUBSPOT_PROP_OCCURRENCE))
		return;

	icomp = i_cal_component_new_from_string (object);
	if (!icomp)
		return;

	marks = e_hubspot_occurrence_marks_read (icomp);
	g_hash_table_iter_init (&iter, marks);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		EHubSpotOccurrenceMark *mark = value;
		g_autofree gchar *key = NULL;

		if (!mark->meeting_id)
			continue;
		key = e_hubspot_recurrence_make_key (uid, mark->rid);
		linked_func (key, mark->meeting_id, user_data);
	}
	g_object_unref (icomp);
}

gboolean
e_hubspot_row_foreach_linked (ECalCache *cal_cache,
			      EHubSpotLinkedFunc func,
			      gpointer user_data,
			      GCancellable *cancellable,
			      GError **error)
{
	return row_walk (cal_cache,
		EXTRA_COLUMN " LIKE '%:%' OR " E_CACHE_COLUMN_OBJECT " LIKE '%" E_HUBSPOT_PROP_OCCURRENCE "%'",
		row_linked, func, user_data, cancellable, error);
}

typedef struct {
	ECalComponent *comp;
	gchar *extra;
	guint32 custom_flags;
} RowRead;

static gboolean
row_read_cb (ECalCache *cal_cache,
	     const gchar *uid,
	     const gchar *rid,
	     const gchar *revision,
	     const gchar *object,
	     const gchar *extra,
	     guint32 custom_flags,
	     EOfflineState offline_state,
	     gpointer user_data)
{
	RowRead *row = user_data;

	if (rid && *rid)
		return TRUE;

	row->comp = e_cal_component_new_from_string (object);
	row->extra = g_strdup (extra);
	row->custom_flags = custom_flags;

	return FALSE;
}

gboolean
e_hubspot_row_read (ECalCache *cal_cache,
		    const gchar *uid,
		    ECalComponent **out_comp,
		    gchar **out_extra,
		    guint32 *out_custom_flags,
		    GCancellable *cancellable)
{
	g_autoptr(GString) sexp = g_string_new ("(uid? ");
	RowRead row = { NULL, NULL, 0 };

	e_sexp_encode_string (sexp, uid);
	g_string_append_c (sexp, ')');

	e_cal_cache_search_with_callback (cal_cache, sexp->str, row_read_cb, &row, cancellable, NULL);
	if (!row.comp) {
		g_free (row.extra);
		return FALSE;
	}

	*out_comp = row.comp;
	*out_extra = row.extra;
	*out_custom_flags = row.custom_flags;

	return TRUE;
}
