/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Every event in the backend is a series (docs/design.md, "Recurring
 * events"): a plain event is a series of one, whose outbox key is its UID
 * and whose meeting is recorded on the event itself (row extra,
 * X-HUBSPOT-MEETING-ID); a recurring event is one cache row (its master,
 * plus a row per detached instance) but many meetings: each occurrence
 * inside the horizon has its own outbox key (UID, separator, rid) and,
 * once sent, its own X-HUBSPOT-OCCURRENCE mark on the master.  Save,
 * remove, recovery and the refresh plan both kinds here
 * (e_hubspot_recurrence_plan ()). */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-recurrence.h"
#include "common/e-source-hubspot.h"

#include "e-cal-backend-hubspot-private.h"
#include "e-cal-backend-hubspot-state.h"

#define DAY_SECONDS ((gint64) 86400)

ICalComponent *
ecb_hubspot_series_split (ICalComponent *vcalendar,
			  GPtrArray **out_detached)
{
	ICalComponent *master = NULL;
	ICalComponent *subcomp;

	*out_detached = g_ptr_array_new_with_free_func (g_object_unref);

	if (i_cal_component_isa (vcalendar) == I_CAL_VEVENT_COMPONENT)
		return g_object_ref (vcalendar);

	for (subcomp = i_cal_component_get_first_component (vcalendar, I_CAL_VEVENT_COMPONENT);
	     subcomp;
	     subcomp = i_cal_component_get_next_component (vcalendar, I_CAL_VEVENT_COMPONENT)) {
		if (e_cal_util_component_has_property (subcomp, I_CAL_RECURRENCEID_PROPERTY))
			g_ptr_array_add (*out_detached, subcomp);
		else if (!master)
			master = subcomp;
		else
			g_object_unref (subcomp);
	}

	return master;
}

static GPtrArray *
series_load_detached (ECalCache *cal_cache,
		      const gchar *uid,
		      GCancellable *cancellable)
{
	GPtrArray *detached = g_ptr_array_new_with_free_func (g_object_unref);
	GSList *instances = NULL, *link;

	if (e_cal_cache_get_components_by_uid (cal_cache, uid, &instances, cancellable, NULL)) {
		for (link = instances; link; link = link->next) {
			ICalComponent *icomp = e_cal_component_get_icalcomponent (link->data);

			if (e_cal_util_component_has_property (icomp, I_CAL_RECURRENCEID_PROPERTY))
				g_ptr_array_add (detached, g_object_ref (icomp));
		}
	}
	g_slist_free_full (instances, g_object_unref);

	return detached;
}

static GPtrArray *
series_plan (ECalBackendHubSpot *cbhs,
	     ICalComponent *master,
	     GPtrArray *detached,
	     const gchar *row_meeting_id,
	     JsonNode *master_request,
	     gboolean only_unsent,
	     GError **error)
{
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	ECalBackendHubSpotMapping mapping;
	GPtrArray *wishes;
	gboolean truncated = FALSE;
	gint64 horizon_end;
	guint max_count;

	if (!ecb_hubspot_mapping_init (cbhs, &mapping, error))
		return NULL;

	horizon_end = mapping.context.now + e_source_hubspot_get_recurrence_horizon (extension) * DAY_SECONDS;
	max_count = e_source_hubspot_get_max_occurrences (extension);

	wishes = e_hubspot_recurrence_plan (master, detached, row_meeting_id, master_request, &mapping.context,
		horizon_end, max_count, only_unsent, &truncated, error);
	if (truncated)
		g_debug ("%s: only the next %u occurrences of '%s' become meetings", G_STRFUNC, max_count,
			i_cal_component_get_uid (master));

	ecb_hubspot_mapping_clear (&mapping);

	return wishes;
}

gboolean
ecb_hubspot_series_put (ECalBackendHubSpot *cbhs,
			ICalComponent *master,
			GPtrArray *detached,
			const gchar *row_meeting_id,
			JsonNode *master_request,
			gboolean uncertain,
			gboolean only_new,
			guint *out_sent,
			GError **error)
{
	g_autoptr(GPtrArray) loaded = NULL;
	g_autoptr(GPtrArray) wishes = NULL;
	EHubSpotOutbox *outbox = ecb_hubspot_get_outbox (cbhs);
	guint ii, sent = 0;

	/* Only a recurring event has detached instances to read. */
	if (!detached && e_hubspot_recurrence_is_recurring (master)) {
		ECalCache *cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));

		detached = loaded = series_load_detached (cal_cache, i_cal_component_get_uid (master), NULL);
		g_object_unref (cal_cache);
	}

	wishes = series_plan (cbhs, master, detached, row_meeting_id, master_request, only_new, error);
	if (!wishes)
		return FALSE;

	for (ii = 0; ii < wishes->len; ii++) {
		EHubSpotWish *wish = g_ptr_array_index (wishes, ii);

		/* The horizon moved: occurrences never sent, unless on their
		 * way or created and not written back yet. */
		if (only_new && e_hubspot_outbox_is_sending (outbox, wish->key))
			continue;

		if (wish->request) {
			ecb_hubspot_put (cbhs, wish->key, wish->request, wish->meeting_id, uncertain && !wish->meeting_id);
		} else {
			/* The single event's meeting, gone with it becoming a
			 * series: a tombstone keeps the cancel across a crash
			 * (an occurrence's mark does that for the others). */
			if (!wish->rid) {
				ECalCache *cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));

				e_hubspot_tombstone_put (cal_cache, wish->key, wish->meeting_id, NULL, NULL);
				g_object_unref (cal_cache);
			}
			ecb_hubspot_remove (cbhs, wish->key, NULL, wish->meeting_id, FALSE);
		}
		sent++;
	}

	if (out_sent)
		*out_sent = sent;

	return TRUE;
}

/* save_component_sync() of any event: its meeting, or one per
 * occurrence.  The row's meeting id is kept in the extra for a plain
 * event only (its meeting is the row's); a series' are in its marks. */
gboolean
ecb_hubspot_series_save (ECalBackendHubSpot *cbhs,
			 ICalComponent *master,
			 GSList *clones, /* ECalComponent *, consumed */
			 gchar *uid, /* consumed */
			 const gchar *meeting_id,
			 JsonNode *master_request,
			 gchar **out_new_uid,
			 gchar **out_new_extra,
			 GError **error)
{
	g_autoptr(GPtrArray) detached = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr(GError) local_error = NULL;
	g_autofree gchar *rejected = NULL;
	const gchar *row_id = e_hubspot_recurrence_needs_plan (master) ? NULL : meeting_id;
	EHubSpotRowState unsent = row_id ? E_HUBSPOT_ROW_DIRTY : E_HUBSPOT_ROW_PENDING;
	GSList *link;
	guint sent = 0;

	for (link = clones; link; link = link->next) {
		ICalComponent *icomp = e_cal_component_get_icalcomponent (link->data);

		if (icomp != master && e_cal_util_component_has_property (icomp, I_CAL_RECURRENCEID_PROPERTY))
			g_ptr_array_add (detached, g_object_ref (icomp));
	}

	if (ecb_hubspot_series_put (cbhs, master, detached, meeting_id, master_request, FALSE, FALSE, &sent, &local_error)) {
		/* No occurrence inside the horizon yet: nothing for HubSpot now;
		 * a refresh sends them as they come within it. */
		e_hubspot_mapping_set_sync_state (master, sent ? STATE_PENDING : STATE_SYNCED, NULL);
		*out_new_extra = e_hubspot_row_extra_new (sent ? unsent : E_HUBSPOT_ROW_SYNCED, row_id);
	} else if (g_error_matches (local_error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT)) {
		g_slist_free_full (clones, g_object_unref);
		g_free (uid);
		g_propagate_error (error, e_cal_client_error_create (E_CAL_CLIENT_ERROR_INVALID_OBJECT,
			local_error->message));
		return FALSE;
	} else if (ecb_hubspot_owner_awaited (cbhs, uid, FALSE)) {
		/* Stored now, sent once the outbox found the owner by the
		 * calendar's Email (docs/design.md, "Signing in"). */
		e_hubspot_mapping_set_sync_state (master, STATE_PENDING, NULL);
		*out_new_extra = e_hubspot_row_extra_new (unsent, row_id);
	} else {
		/* Settings errors keep the event, marked failed and told. */
		e_hubspot_mapping_set_sync_state (master, STATE_FAILED, local_error->message);
		*out_new_extra = e_hubspot_row_extra_new (E_HUBSPOT_ROW_FAILED, meeting_id);
		e_cal_backend_notify_error (E_CAL_BACKEND (cbhs), local_error->message);
	}

	rejected = e_hubspot_recurrence_dup_rejected_rule (master);
	if (rejected) {
		const gchar *summary = i_cal_component_get_summary (master);
		g_autofree gchar *message = g_strdup_printf (
			_("The repeat rule of “%s” is not understood (%s): only its first occurrence becomes a HubSpot meeting"),
			summary && *summary ? summary : uid, rejected);

		e_cal_backend_notify_error (E_CAL_BACKEND (cbhs), message);
	}

	ecb_hubspot_keep_saved (cbhs, uid, clones);
	*out_new_uid = uid;

	return TRUE;
}

/* remove_component_sync() of any event: every key the plan holds, a
 * meeting to cancel or a create maybe on its way (the last body finds
 * it); the tombstone keeps the promise across a crash.  An event that
 * cannot be planned (no owner yet; master NULL: the removed object is not
 * known) still cancels the row's meeting and each sent occurrence still
 * to come. */
gboolean
ecb_hubspot_series_remove (ECalBackendHubSpot *cbhs,
			   ECalCache *cal_cache,
			   const gchar *uid,
			   ICalComponent *master,
			   GPtrArray *detached,
			   const gchar *row_meeting_id,
			   GError **error)
{
	g_autoptr(GPtrArray) wishes = master ? series_plan (cbhs, master, detached, row_meeting_id, NULL, FALSE, NULL) : NULL;
	g_autoptr(GHashTable) marks = NULL;
	GHashTableIter iter;
	gpointer value;
	guint ii;

	for (ii = 0; wishes && ii < wishes->len; ii++) {
		EHubSpotWish *wish = g_ptr_array_index (wishes, ii);

		if (!e_hubspot_tombstone_put (cal_cache, wish->key, wish->meeting_id, wish->request, error))
			return FALSE;
		ecb_hubspot_remove (cbhs, wish->key, wish->request, wish->meeting_id, FALSE);
	}

	if (wishes)
		return TRUE;

	if (!e_hubspot_tombstone_put (cal_cache, uid, row_meeting_id, NULL, error))
		return FALSE;
	ecb_hubspot_remove (cbhs, uid, NULL, row_meeting_id, FALSE);

	marks = master ? e_hubspot_occurrence_marks_read (master) : NULL;
	if (marks)
		g_hash_table_iter_init (&iter, marks);
	while (marks && g_hash_table_iter_next (&iter, NULL, &value)) {
		EHubSpotOccurrenceMark *mark = value;
		g_autofree gchar *key = e_hubspot_recurrence_make_key (uid, mark->rid);

		if (!mark->meeting_id || g_strcmp0 (mark->state, E_HUBSPOT_OCCURRENCE_CANCELLED) == 0 ||
		    e_hubspot_recurrence_rid_to_time (mark->rid, NULL) < e_hubspot_mapping_now ())
			continue;

		if (!e_hubspot_tombstone_put (cal_cache, key, mark->meeting_id, NULL, error))
			return FALSE;
		ecb_hubspot_remove (cbhs, key, NULL, mark->meeting_id, FALSE);
	}

	return TRUE;
}

typedef struct {
	ICalComponent *master;
	gchar *extra;
} SeriesRow;

static void
series_row_free (gpointer ptr)
{
	SeriesRow *row = ptr;

	g_clear_object (&row->master);
	g_free (row->extra);
	g_free (row);
}

/* Masters with their extra, in the one query. */
static gboolean
series_collect_master_cb (ECalCache *cal_cache,
			  const gchar *uid,
			  const gchar *rid,
			  const gchar *revision,
			  const gchar *object,
			  const gchar *extra,
			  guint32 custom_flags,
			  EOfflineState offline_state,
			  gpointer user_data)
{
	SeriesRow *row;

	if (rid && *rid)
		return TRUE;

	row = g_new0 (SeriesRow, 1);
	row->master = i_cal_component_new_from_string (object);
	row->extra = g_strdup (extra);
	if (row->master)
		g_ptr_array_add (user_data, row);
	else
		series_row_free (row);

	return TRUE;
}

/* On refresh: occurrences that entered the horizon since the series was
 * last planned become meetings. */
void
ecb_hubspot_series_extend_horizons (ECalBackendHubSpot *cbhs,
				    GCancellable *cancellable)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (series_row_free);
	g_autoptr(GError) error = NULL;
	ECalCache *cal_cache;
	guint ii;

	if (!ecb_hubspot_get_outbox (cbhs))
		return;

	g_debug ("%s: horizon %u days, at most %u occurrences", G_STRFUNC,
		 e_source_hubspot_get_recurrence_horizon (ecb_hubspot_get_extension (cbhs)),
		 e_source_hubspot_get_max_occurrences (ecb_hubspot_get_extension (cbhs)));
	cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));
	if (!e_cal_cache_search_with_callback (cal_cache, "(has-recurrences? #t)", series_collect_master_cb, rows,
		cancellable, &error))
		g_debug ("%s: cannot list the recurring events: %s", G_STRFUNC, error ? error->message : "?");

	for (ii = 0; ii < rows->len; ii++) {
		SeriesRow *row = g_ptr_array_index (rows, ii);
		const gchar *uid = i_cal_component_get_uid (row->master);
		g_autofree gchar *meeting_id = NULL;
		EHubSpotRowState state = e_hubspot_row_extra_parse (row->extra, &meeting_id);
		guint sent = 0;

		if (!uid || state == E_HUBSPOT_ROW_NEW || state == E_HUBSPOT_ROW_FAILED)
			continue;

		/* The row says pending until the new occurrences are written
		 * back: a crash replans them with a lookup first. */
		if (ecb_hubspot_series_put (cbhs, row->master, NULL, meeting_id, NULL, FALSE, TRUE, &sent, NULL) &&
		    sent > 0 && state != E_HUBSPOT_ROW_PENDING) {
			g_autofree gchar *pending = e_hubspot_row_extra_new (E_HUBSPOT_ROW_PENDING, NULL);

			e_cal_cache_set_component_extra (cal_cache, uid, NULL, pending, cancellable, NULL);
		}
	}

	g_object_unref (cal_cache);
}
