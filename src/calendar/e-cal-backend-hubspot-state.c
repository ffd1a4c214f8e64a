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

/* The tombstones are rows of a table of their own in the cache's SQLite
 * file: written with the events' rows, so a crash keeps both or neither,
 * and each put or drop touches one row (removing many events stays
 * linear).  Before 0.2 they were one JSON object in the key table
 * (TOMBSTONES_KEY): moved over the first time the table is made. */
#define TOMBSTONES_TABLE "hubspot_tombstones"

static gboolean
tombstones_put_row (ECalCache *cal_cache,
		    const gchar *uid,
		    const gchar *meeting_id,
		    JsonNode *request,
		    GError **error)
{
	g_autofree gchar *request_text = request ? json_to_string (request, FALSE) : NULL;
	gchar *stmt = e_cache_sqlite_stmt_printf (
		"INSERT OR REPLACE INTO " TOMBSTONES_TABLE " (uid, meeting_id, request) VALUES (%Q, %Q, %Q)",
		uid, meeting_id, request_text);
	gboolean success = e_cache_sqlite_exec (E_CACHE (cal_cache), stmt, NULL, error);

	e_cache_sqlite_stmt_free (stmt);

	return success;
}

static void
tombstones_migrate (ECalCache *cal_cache)
{
	g_autofree gchar *text = e_cache_dup_key (E_CACHE (cal_cache), TOMBSTONES_KEY, NULL);
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;
	JsonObject *object;
	GList *members, *link;

	if (!text || !*text || !json_parser_load_from_data (parser, text, -1, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
		return;

	object = json_node_get_object (json_parser_get_root (parser));
	members = json_object_get_members (object);
	for (link = members; link; link = link->next) {
		JsonNode *node = json_object_get_member (object, link->data);
		JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

		if (entry && !tombstones_put_row (cal_cache, link->data,
			json_object_get_string_member_with_default (entry, "id", NULL),
			json_object_get_member (entry, "request"), &error))
			break;
	}
	g_list_free (members);

	if (error)
		g_warning ("%s: cannot move the tombstones: %s", G_STRFUNC, error->message);
	else
		e_cache_set_key (E_CACHE (cal_cache), TOMBSTONES_KEY, NULL, NULL);
}

/* Makes the table once per cache object. */
static gboolean
tombstones_ensure (ECalCache *cal_cache,
		   GError **error)
{
	static const gchar *ready = "hubspot-tombstones-ready";

	if (g_object_get_data (G_OBJECT (cal_cache), ready))
		return TRUE;

	if (!e_cache_sqlite_exec (E_CACHE (cal_cache),
		"CREATE TABLE IF NOT EXISTS " TOMBSTONES_TABLE
		" (uid TEXT PRIMARY KEY, meeting_id TEXT, request TEXT)", NULL, error))
		return FALSE;

	tombstones_migrate (cal_cache);
	g_object_set_data (G_OBJECT (cal_cache), ready, GINT_TO_POINTER (1));

	return TRUE;
}

gboolean
e_hubspot_tombstone_put (ECalCache *cal_cache,
			 const gchar *uid,
			 const gchar *meeting_id,
			 JsonNode *request,
			 GError **error)
{
	g_return_val_if_fail (E_IS_CAL_CACHE (cal_cache), FALSE);
	g_return_val_if_fail (uid != NULL, FALSE);

	return tombstones_ensure (cal_cache, error) &&
		tombstones_put_row (cal_cache, uid, meeting_id, request, error);
}

gboolean
e_hubspot_tombstone_drop (ECalCache *cal_cache,
			  const gchar *uid,
			  GError **error)
{
	gchar *stmt;
	gboolean success;

	g_return_val_if_fail (E_IS_CAL_CACHE (cal_cache), FALSE);
	g_return_val_if_fail (uid != NULL, FALSE);

	if (!tombstones_ensure (cal_cache, error))
		return FALSE;

	stmt = e_cache_sqlite_stmt_printf ("DELETE FROM " TOMBSTONES_TABLE " WHERE uid=%Q", uid);
	success = e_cache_sqlite_exec (E_CACHE (cal_cache), stmt, NULL, error);
	e_cache_sqlite_stmt_free (stmt);

	return success;
}

static gboolean
tombstone_exists_cb (ECache *cache,
		     gint ncols,
		     const gchar *column_names[],
		     const gchar *column_values[],
		     gpointer user_data)
{
	*((gboolean *) user_data) = TRUE;

	return FALSE;
}

gboolean
e_hubspot_tombstone_exists (ECalCache *cal_cache,
			    const gchar *uid)
{
	gboolean exists = FALSE;
	gchar *stmt;

	g_return_val_if_fail (E_IS_CAL_CACHE (cal_cache), FALSE);
	g_return_val_if_fail (uid != NULL, FALSE);

	if (!tombstones_ensure (cal_cache, NULL))
		return FALSE;

	stmt = e_cache_sqlite_stmt_printf ("SELECT uid FROM " TOMBSTONES_TABLE " WHERE uid=%Q", uid);
	e_cache_sqlite_select (E_CACHE (cal_cache), stmt, tombstone_exists_cb, &exists, NULL, NULL);
	e_cache_sqlite_stmt_free (stmt);

	return exists;
}

typedef struct {
	EHubSpotTombstoneFunc func;
	gpointer user_data;
} TombstoneData;

static gboolean
tombstone_foreach_cb (ECache *cache,
		      gint ncols,
		      const gchar *column_names[],
		      const gchar *column_values[],
		      gpointer user_data)
{
	TombstoneData *td = user_data;
	g_autoptr(JsonNode) request = NULL;

	/* uid, meeting_id, request, as selected */
	if (ncols != 3 || !column_values[0])
		return TRUE;

	if (column_values[2])
		request = json_from_string (column_values[2], NULL);

	td->func (column_values[0], column_values[1], request, td->user_data);

	return TRUE;
}

void
e_hubspot_tombstone_foreach (ECalCache *cal_cache,
			     EHubSpotTombstoneFunc func,
			     gpointer user_data)
{
	TombstoneData td = { func, user_data };
	g_autoptr(GError) error = NULL;

	g_return_if_fail (E_IS_CAL_CACHE (cal_cache));
	g_return_if_fail (func != NULL);

	if (!tombstones_ensure (cal_cache, &error) ||
	    !e_cache_sqlite_select (E_CACHE (cal_cache),
		"SELECT uid, meeting_id, request FROM " TOMBSTONES_TABLE " ORDER BY rowid",
		tombstone_foreach_cb, &td, NULL, &error))
		g_warning ("%s: cannot read the tombstones: %s", G_STRFUNC, error ? error->message : "?");
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

/* ECalCache's columns of a row's extra and custom flags: private names,
 * the same in EDS 3.46 and 3.56 (its table's format since 3.26); read
 * through ECalCache's own calls if they ever change. */
#define ROW_COLUMN_EXTRA "bdata"
#define ROW_COLUMN_CUSTOM_FLAGS "custom_flags"

gboolean
e_hubspot_row_read (ECalCache *cal_cache,
		    const gchar *uid,
		    ECalComponent **out_comp,
		    gchar **out_extra,
		    guint32 *out_custom_flags,
		    GCancellable *cancellable)
{
	ECacheColumnValues *columns = NULL;
	g_autofree gchar *object = NULL;
	ECalComponent *comp;

	/* A master's row is keyed by its UID alone: one lookup by the
	 * table's key, whatever the size of the calendar (the "uid?"
	 * search also matches its instances, and SQLite scans the table
	 * for it). */
	object = e_cache_get (E_CACHE (cal_cache), uid, NULL, &columns, cancellable, NULL);
	comp = object ? e_cal_component_new_from_string (object) : NULL;
	if (!comp) {
		g_clear_pointer (&columns, e_cache_column_values_free);
		return FALSE;
	}

	if (columns && e_cache_column_values_contains (columns, ROW_COLUMN_EXTRA) &&
	    e_cache_column_values_contains (columns, ROW_COLUMN_CUSTOM_FLAGS)) {
		const gchar *flags = e_cache_column_values_lookup (columns, ROW_COLUMN_CUSTOM_FLAGS);

		*out_extra = g_strdup (e_cache_column_values_lookup (columns, ROW_COLUMN_EXTRA));
		*out_custom_flags = flags ? (guint32) g_ascii_strtoull (flags, NULL, 10) : 0;
	} else {
		*out_extra = NULL;
		*out_custom_flags = 0;
		e_cal_cache_get_component_extra (cal_cache, uid, NULL, out_extra, cancellable, NULL);
		e_cal_cache_get_component_custom_flags (cal_cache, uid, NULL, out_custom_flags, cancellable, NULL);
	}
	g_clear_pointer (&columns, e_cache_column_values_free);

	*out_comp = comp;

	return TRUE;
}
