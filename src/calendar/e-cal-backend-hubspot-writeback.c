/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The write-back: HubSpot's answers, as the outbox collected them, go to
 * the cache in one custom operation on the backend's serial queue, so
 * that they never race a user's edit (docs/design.md, "Write-back"). */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-recurrence.h"
#include "common/e-source-hubspot.h"

#include "e-cal-backend-hubspot-private.h"
#include "e-cal-backend-hubspot-state.h"

/* The result of an event that is gone belongs to its tombstone. */
static void
ecb_hubspot_write_back_removed (ECalCache *cal_cache,
				EHubSpotOutboxResult *result,
				const gchar *meeting_id,
				gchar **out_failure)
{
	if (result->kind == E_HUBSPOT_OUTBOX_FAILED) {
		g_autofree gchar *reason = ecb_hubspot_describe_error (result->error);

		e_hubspot_tombstone_drop (cal_cache, result->uid, NULL);
		*out_failure = g_strdup_printf (_("The meeting of a removed event could not be cancelled in HubSpot: %s"), reason);
	} else if (result->kind != E_HUBSPOT_OUTBOX_CANCELLED && meeting_id &&
		   e_hubspot_tombstone_exists (cal_cache, result->uid)) {
		/* Created while it was being removed: remember the id, so
		 * that the cancel survives a crash too. */
		e_hubspot_tombstone_put (cal_cache, result->uid, meeting_id, NULL, NULL);
	}
}

static gint
write_back_compare_strings (gconstpointer a,
			    gconstpointer b)
{
	return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* What the write-back may change on an event, as one string: URL and
 * every X-HUBSPOT- property, sorted (an occurrence's mark set again moves
 * to the end).  Cheaper than the whole event as a string. */
static gchar *
write_back_signature (ICalComponent *icomp)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
	ICalProperty *prop;
	GString *signature;
	guint ii;

	for (prop = i_cal_component_get_first_property (icomp, I_CAL_URL_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (icomp, I_CAL_URL_PROPERTY))
		g_ptr_array_add (values, g_strconcat ("URL:", i_cal_property_get_url (prop), NULL));

	for (prop = i_cal_component_get_first_property (icomp, I_CAL_X_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (icomp, I_CAL_X_PROPERTY)) {
		const gchar *name = i_cal_property_get_x_name (prop);

		if (name && g_str_has_prefix (name, "X-HUBSPOT-"))
			g_ptr_array_add (values, g_strconcat (name, ":", i_cal_property_get_x (prop), NULL));
	}

	g_ptr_array_sort (values, write_back_compare_strings);
	signature = g_string_new (NULL);
	for (ii = 0; ii < values->len; ii++) {
		g_string_append (signature, g_ptr_array_index (values, ii));
		g_string_append_c (signature, '\n');
	}

	return g_string_free (signature, FALSE);
}

/* One master row the write-back changes: read once, every result of its
 * event applied to it in turn, stored once and only if it changed
 * (docs/design.md, "Write-back"). */
typedef struct {
	ECalComponent *old_comp;
	ECalComponent *new_comp;
	gchar *old_extra;
	gchar *extra;		/* as the results applied so far leave it */
	gchar *old_signature;
	guint32 custom_flags;
} WriteBackRow;

static void
write_back_row_free (gpointer ptr)
{
	WriteBackRow *row = ptr;

	if (!row)
		return;

	g_clear_object (&row->old_comp);
	g_clear_object (&row->new_comp);
	g_free (row->old_extra);
	g_free (row->extra);
	g_free (row->old_signature);
	g_free (row);
}

/* The rows of one write-back: uid ~> WriteBackRow (NULL: no such row). */
typedef struct {
	GHashTable *rows;
	GPtrArray *order;	/* WriteBackRow *, borrowed, as first read */
} WriteBackRows;

static WriteBackRow *
write_back_row_get (WriteBackRows *rows,
		    ECalCache *cal_cache,
		    const gchar *uid,
		    GCancellable *cancellable)
{
	WriteBackRow *row = NULL;
	gpointer value;

	if (g_hash_table_lookup_extended (rows->rows, uid, NULL, &value))
		return value;

	row = g_new0 (WriteBackRow, 1);
	if (e_hubspot_row_read (cal_cache, uid, &row->old_comp, &row->old_extra, &row->custom_flags, cancellable)) {
		row->new_comp = e_cal_component_clone (row->old_comp);
		row->extra = g_strdup (row->old_extra);
		row->old_signature = write_back_signature (e_cal_component_get_icalcomponent (row->old_comp));
		g_ptr_array_add (rows->order, row);
	} else {
		g_clear_pointer (&row, g_free);
	}
	g_hash_table_insert (rows->rows, g_strdup (uid), row);

	return row;
}

/* Stores a row the results changed; the pair to notify, or FALSE (stored
 * already as it is, or the store failed). */
static gboolean
write_back_row_store (ECalCache *cal_cache,
		      WriteBackRow *row,
		      GCancellable *cancellable)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *signature = write_back_signature (e_cal_component_get_icalcomponent (row->new_comp));

	if (g_strcmp0 (signature, row->old_signature) == 0 && g_strcmp0 (row->extra, row->old_extra) == 0) {
		g_debug ("%s: '%s' has it already", G_STRFUNC, e_cal_component_get_uid (row->new_comp));
		return FALSE;
	}

	if (!e_cal_cache_put_component (cal_cache, row->new_comp, row->extra, row->custom_flags, E_CACHE_IS_ONLINE,
		cancellable, &error)) {
		g_warning ("%s: cannot store the write-back of '%s': %s", G_STRFUNC,
			e_cal_component_get_uid (row->new_comp), error ? error->message : "?");
		return FALSE;
	}

	g_debug ("%s: '%s' is now '%s'", G_STRFUNC, e_cal_component_get_uid (row->new_comp), row->extra);

	return TRUE;
}

/* Applies one outbox result to its event's row (read once per
 * write-back, in rows), or to the tombstone of a removed event.  A plain
 * event is a series of one: its key is its UID and its meeting is
 * recorded on the event and in the row's extra; an occurrence's (key:
 * UID, separator, rid) in a mark on the master (docs/design.md,
 * "Write-back").  Called under the cache's write lock. */
static void
ecb_hubspot_write_back_one (ECalBackendHubSpot *cbhs,
			    ECalCache *cal_cache,
			    WriteBackRows *rows,
			    EHubSpotOutboxResult *result,
			    const gchar *portal_id,
			    const gchar *ui_domain,
			    gchar **out_failure,
			    GCancellable *cancellable)
{
	g_autofree gchar *uid = NULL;
	g_autofree gchar *rid = NULL;
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *reason = NULL;
	g_autoptr(GHashTable) marks = NULL;
	g_autoptr(GError) local_error = NULL;
	EHubSpotOccurrenceMark *mark;
	EHubSpotMeetingResult meeting = { 0, };
	WriteBackRow *row;
	ICalComponent *icomp;
	EHubSpotRowState row_state;
	GHashTableIter iter;
	gpointer value;
	gboolean more_to_send, failed_any;

	e_hubspot_recurrence_split_key (result->uid, &uid, &rid);

	if (result->kind == E_HUBSPOT_OUTBOX_CANCELLED)
		e_hubspot_tombstone_drop (cal_cache, result->uid, NULL);

	row = write_back_row_get (rows, cal_cache, uid, cancellable);
	if (!row) {
		ecb_hubspot_write_back_removed (cal_cache, result, result->meeting_id, out_failure);
		return;
	}

	icomp = e_cal_component_get_icalcomponent (row->new_comp);
	marks = rid ? e_hubspot_occurrence_marks_read (icomp) : NULL;
	mark = rid ? g_hash_table_lookup (marks, rid) : NULL;

	/* The meeting the key has: the answer's, else the one recorded. */
	meeting_id = g_strdup (result->meeting_id);
	if (!meeting_id && mark)
		meeting_id = g_strdup (mark->meeting_id);
	else if (!meeting_id && !rid)
		e_hubspot_row_extra_parse (row->extra, &meeting_id);

	switch (result->kind) {
	case E_HUBSPOT_OUTBOX_CREATED:
		if (!e_hubspot_mapping_parse_meeting_response (result->response, ui_domain, portal_id, &meeting, &local_error)) {
			reason = ecb_hubspot_describe_error (local_error);
			break;
		}
		if (rid)
			e_hubspot_occurrence_mark_set (icomp, rid, meeting.meeting_id, E_HUBSPOT_OCCURRENCE_SYNCED,
				meeting.external_url ? meeting.external_url : meeting.record_url);
		else
			e_hubspot_mapping_apply_result (icomp, &meeting);
		g_free (meeting_id);
		meeting_id = g_strdup (meeting.meeting_id);
		e_hubspot_meeting_result_clear (&meeting);
		break;
	case E_HUBSPOT_OUTBOX_UPDATED:
		if (rid) {
			e_hubspot_occurrence_mark_set (icomp, rid, meeting_id, E_HUBSPOT_OCCURRENCE_SYNCED, mark ? mark->url : NULL);
		} else if (result->response &&
			   e_hubspot_mapping_parse_meeting_response (result->response, NULL, NULL, &meeting, NULL)) {
			/* The PATCH's answer: what a refresh tells HubSpot's own changes by. */
			if (meeting.last_modified)
				e_hubspot_mapping_set_x_property (icomp, E_HUBSPOT_PROP_LAST_MODIFIED, meeting.last_modified);
			e_hubspot_meeting_result_clear (&meeting);
		}
		break;
	case E_HUBSPOT_OUTBOX_CANCELLED:
		if (!mark || !mark->meeting_id) {
			/* A removed event's meeting, or one never sent: nothing
			 * to remember. */
			return;
		}
		e_hubspot_occurrence_mark_set (icomp, rid, mark->meeting_id, E_HUBSPOT_OCCURRENCE_CANCELLED, mark->url);
		break;
	case E_HUBSPOT_OUTBOX_FAILED:
		reason = ecb_hubspot_describe_error (result->error);
		break;
	}

	if (reason) {
		const gchar *summary = i_cal_component_get_summary (icomp);

		if (rid) {
			e_hubspot_occurrence_mark_set (icomp, rid, meeting_id, E_HUBSPOT_OCCURRENCE_FAILED, NULL);
			*out_failure = g_strdup_printf (_("The occurrence %s of “%s” could not be sent to HubSpot: %s"),
				rid, summary && *summary ? summary : uid, reason);
		} else {
			*out_failure = g_strdup_printf (_("The event “%s” could not be sent to HubSpot: %s"),
				summary && *summary ? summary : uid, reason);
		}
	}

	/* This key failed, or for an occurrence another before. */
	failed_any = reason != NULL;
	if (marks)
		g_hash_table_iter_init (&iter, marks);
	while (rid && !failed_any && g_hash_table_iter_next (&iter, NULL, &value)) {
		EHubSpotOccurrenceMark *other = value;

		failed_any = g_strcmp0 (other->rid, rid) != 0 &&
			g_strcmp0 (other->state, E_HUBSPOT_OCCURRENCE_FAILED) == 0;
	}

	/* A plain event has one key: no need to look for others. */
	more_to_send = rid ? e_hubspot_outbox_has_series_work (cbhs->priv->outbox, uid) :
		e_hubspot_outbox_has_work (cbhs->priv->outbox, uid);
	if (reason) {
		e_hubspot_mapping_set_sync_state (icomp, more_to_send ? STATE_PENDING : STATE_FAILED, reason);
	} else {
		g_autofree gchar *kept = failed_any ? e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_ERROR) : NULL;

		e_hubspot_mapping_set_sync_state (icomp, more_to_send ? STATE_PENDING : failed_any ? STATE_FAILED : STATE_SYNCED, kept);
	}

	/* The row's extra names the meeting of a plain event only (a failed
	 * row keeps the one it had). */
	row_state = more_to_send ? (!rid && meeting_id ? E_HUBSPOT_ROW_DIRTY : E_HUBSPOT_ROW_PENDING) :
		failed_any ? E_HUBSPOT_ROW_FAILED : E_HUBSPOT_ROW_SYNCED;
	g_free (row->extra);
	row->extra = e_hubspot_row_extra_new (row_state, rid ? NULL : meeting_id);
}

void
ecb_hubspot_write_back_op (ECalBackend *cal_backend,
			   gpointer user_data,
			   GCancellable *cancellable,
			   GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (cal_backend);
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	g_autoptr(GPtrArray) results = NULL;
	g_autoptr(GPtrArray) notify_old = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr(GPtrArray) notify_new = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
	g_autofree gchar *portal_id = NULL;
	g_autofree gchar *ui_domain = NULL;
	WriteBackRows rows;
	ECalCache *cal_cache;
	guint ii;

	g_mutex_lock (&cbhs->priv->lock);
	cbhs->priv->writeback_scheduled = FALSE;
	g_mutex_unlock (&cbhs->priv->lock);

	/* Keep what the account-info call learnt on the calendar's source. */
	if (e_hubspot_outbox_dup_account_info (cbhs->priv->outbox, &portal_id, &ui_domain)) {
		g_autofree gchar *known_portal = e_source_hubspot_dup_portal_id (extension);
		g_autofree gchar *known_domain = e_source_hubspot_dup_ui_domain (extension);

		if (g_strcmp0 (known_portal, portal_id) != 0 || g_strcmp0 (known_domain, ui_domain) != 0) {
			g_autoptr(GError) local_error = NULL;

			e_source_hubspot_set_portal_id (extension, portal_id);
			e_source_hubspot_set_ui_domain (extension, ui_domain);
			if (!e_source_write_sync (e_backend_get_source (E_BACKEND (cbhs)), cancellable, &local_error))
				g_debug ("%s: cannot store the account details: %s", G_STRFUNC, local_error->message);
		}
	}

	cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));

	rows.rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, write_back_row_free);
	rows.order = g_ptr_array_new ();

	/* One transaction, one revision change for all the results. */
	e_cache_lock (E_CACHE (cal_cache), E_CACHE_LOCK_WRITE);
	e_cache_freeze_revision_change (E_CACHE (cal_cache));
	/* Taken once the cache is ours: what arrived while a client call
	 * held it goes in this write-back too. */
	results = e_hubspot_outbox_steal_results (cbhs->priv->outbox);
	for (ii = 0; ii < results->len; ii++) {
		gchar *failure = NULL;

		ecb_hubspot_write_back_one (cbhs, cal_cache, &rows, g_ptr_array_index (results, ii), portal_id, ui_domain,
			&failure, cancellable);
		if (failure)
			g_ptr_array_add (failures, failure);
	}
	for (ii = 0; ii < rows.order->len; ii++) {
		WriteBackRow *row = g_ptr_array_index (rows.order, ii);

		if (write_back_row_store (cal_cache, row, cancellable)) {
			g_ptr_array_add (notify_old, g_steal_pointer (&row->old_comp));
			g_ptr_array_add (notify_new, g_steal_pointer (&row->new_comp));
		}
	}
	e_cache_thaw_revision_change (E_CACHE (cal_cache));
	e_cache_unlock (E_CACHE (cal_cache), E_CACHE_UNLOCK_COMMIT);
	g_ptr_array_unref (rows.order);
	g_hash_table_unref (rows.rows);
	g_object_unref (cal_cache);
	e_hubspot_outbox_results_stored (cbhs->priv->outbox, results);

	for (ii = 0; ii < notify_new->len; ii++)
		e_cal_backend_notify_component_modified (cal_backend,
			g_ptr_array_index (notify_old, ii), g_ptr_array_index (notify_new, ii));

	for (ii = 0; ii < failures->len; ii++)
		e_cal_backend_notify_error (cal_backend, g_ptr_array_index (failures, ii));

	ecb_hubspot_release_if_idle (cbhs);
}
