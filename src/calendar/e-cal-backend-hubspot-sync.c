/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the calendar knows comes from its cache: each row's extra names
 * the meeting of a single event (e-cal-backend-hubspot-state.h), a
 * recurring event's master lists its occurrences' meetings
 * (e-hubspot-recurrence.h), and tombstones hold the meetings of removed
 * events still to be cancelled.  The outbox knows the meetings it is
 * creating right now.  A meeting none of them knows was born in HubSpot.
 *
 * The search index lags behind HubSpot's records: a known meeting the
 * search does not return is read on its own before its event goes. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-meeting-event.h"
#include "common/e-hubspot-recurrence.h"
#include "common/e-hubspot-requests.h"

#include "e-cal-backend-hubspot-state.h"
#include "e-cal-backend-hubspot-sync.h"

#define DAY_SECONDS ((gint64) 86400)

typedef struct {
	gchar *uid;
	EHubSpotRowState state;
	ICalComponent *vevent;	/* the event (a single one), or NULL: only its id is known */
	gboolean series;	/* a recurring event's: left alone here */
	gboolean seen;		/* the search returned it */
} KnownMeeting;

typedef struct {
	const EHubSpotSyncSettings *settings;
	EHubSpotSyncChanges *changes;
	EHubSpotOutboxFetch *fetch;	/* what HubSpot said, or NULL while listing checks */
	GHashTable *known;		/* meeting id ~> KnownMeeting * */
	GHashTable *removed_ids;	/* meeting ids of removed events (tombstones) */
	GHashTable *series_uids;	/* UIDs with detached instances */
	GHashTable *done_ids;		/* meeting ids handled in this refresh */
	gint64 from;			/* the window, Unix seconds */
	gint64 until;
	const gchar *portal_id;
	const gchar *ui_domain;
} SyncRun;

static void
known_meeting_free (gpointer ptr)
{
	KnownMeeting *known = ptr;

	g_free (known->uid);
	g_clear_object (&known->vevent);
	g_free (known);
}

static void
sync_resend_free (gpointer ptr)
{
	EHubSpotSyncResend *resend = ptr;

	g_free (resend->uid);
	g_clear_pointer (&resend->request, json_node_unref);
	g_free (resend->meeting_id);
	g_free (resend);
}

void
e_hubspot_sync_changes_clear (EHubSpotSyncChanges *changes)
{
	if (!changes)
		return;

	g_slist_free_full (changes->created, e_cal_meta_backend_info_free);
	g_slist_free_full (changes->modified, e_cal_meta_backend_info_free);
	g_slist_free_full (changes->removed, e_cal_meta_backend_info_free);
	g_clear_pointer (&changes->resend, g_ptr_array_unref);
	changes->created = NULL;
	changes->modified = NULL;
	changes->removed = NULL;
}

/* What the calendar knows */

static void
sync_add_known (SyncRun *run,
		const gchar *meeting_id,
		const gchar *uid,
		EHubSpotRowState state,
		ICalComponent *vevent,
		gboolean series)
{
	KnownMeeting *known;

	if (!meeting_id || !*meeting_id)
		return;

	known = g_hash_table_lookup (run->known, meeting_id);
	if (known) {
		/* The event that names it in its row wins over a mere mark. */
		if (vevent && !known->vevent) {
			g_free (known->uid);
			known->uid = g_strdup (uid);
			known->state = state;
			known->vevent = g_object_ref (vevent);
		}
		known->series = known->series || series;
		return;
	}

	known = g_new0 (KnownMeeting, 1);
	known->uid = g_strdup (uid);
	known->state = state;
	known->vevent = vevent ? g_object_ref (vevent) : NULL;
	known->series = series;
	g_hash_table_insert (run->known, g_strdup (meeting_id), known);
}

static gboolean
sync_read_row_cb (ECalCache *cal_cache,
		  const gchar *uid,
		  const gchar *rid,
		  const gchar *revision,
		  const gchar *object,
		  const gchar *extra,
		  guint32 custom_flags,
		  EOfflineState offline_state,
		  gpointer user_data)
{
	SyncRun *run = user_data;
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *marked_id = NULL;
	EHubSpotRowState state;
	ICalComponent *icomp;
	gboolean series;

	/* The search leaves out locally deleted rows. */
	if (!uid)
		return TRUE;

	state = e_hubspot_row_extra_parse (extra, &meeting_id);
	icomp = object ? i_cal_component_new_from_string (object) : NULL;
	if (!icomp)
		return TRUE;

	if (i_cal_component_isa (icomp) == I_CAL_VCALENDAR_COMPONENT) {
		ICalComponent *vevent = i_cal_component_get_first_component (icomp, I_CAL_VEVENT_COMPONENT);

		g_object_unref (icomp);
		icomp = vevent;
		if (!icomp)
			return TRUE;
	}

	marked_id = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_ID);

	if (rid && *rid) {
		/* A detached instance: its event is a series. */
		g_hash_table_add (run->series_uids, g_strdup (uid));
		sync_add_known (run, meeting_id, uid, state, NULL, TRUE);
		sync_add_known (run, marked_id, uid, state, NULL, TRUE);
	} else {
		g_autoptr(GHashTable) marks = e_hubspot_occurrence_marks_read (icomp);
		GHashTableIter iter;
		gpointer value;

		series = e_hubspot_recurrence_needs_plan (icomp) || g_hash_table_size (marks) > 0;

		g_hash_table_iter_init (&iter, marks);
		while (g_hash_table_iter_next (&iter, NULL, &value)) {
			EHubSpotOccurrenceMark *mark = value;

			sync_add_known (run, mark->meeting_id, uid, state, NULL, TRUE);
		}

		sync_add_known (run, meeting_id, uid, state, series ? NULL : icomp, series);
		/* A meeting the event names but its row does not: known, so
		 * never imported, but not the event's to follow. */
		if (g_strcmp0 (marked_id, meeting_id) != 0)
			sync_add_known (run, marked_id, uid, state, NULL, series);
	}

	g_object_unref (icomp);

	return TRUE;
}

static void
sync_read_tombstone_cb (const gchar *uid,
			const gchar *meeting_id,
			JsonNode *request,
			gpointer user_data)
{
	SyncRun *run = user_data;

	if (meeting_id)
		g_hash_table_add (run->removed_ids, g_strdup (meeting_id));
}

static gboolean
sync_read_cache (SyncRun *run,
		 GCancellable *cancellable,
		 GError **error)
{
	GHashTableIter iter;
	gpointer value;

	if (!e_cal_cache_search_with_callback (run->settings->cal_cache, NULL, sync_read_row_cb, run, cancellable, error))
		return FALSE;

	e_hubspot_tombstone_foreach (run->settings->cal_cache, sync_read_tombstone_cb, run);

	g_hash_table_iter_init (&iter, run->known);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		KnownMeeting *known = value;

		if (g_hash_table_contains (run->series_uids, known->uid)) {
			known->series = TRUE;
			g_clear_object (&known->vevent);
		}
	}

	return TRUE;
}

/* Changes */

static gchar *
sync_vcalendar_string (ICalComponent *vevent)
{
	ICalComponent *vcalendar = e_cal_util_new_top_level ();
	gchar *text;

	i_cal_component_take_component (vcalendar, i_cal_component_clone (vevent));
	text = i_cal_component_as_ical_string (vcalendar);
	g_object_unref (vcalendar);

	return text;
}

static void
sync_resend (SyncRun *run,
	     const gchar *uid,
	     ICalComponent *vevent,
	     const gchar *meeting_id)
{
	EHubSpotSyncResend *resend;
	JsonNode *request = e_hubspot_mapping_build_meeting (vevent, run->settings->mapping, NULL);

	if (!request)
		return;

	resend = g_new0 (EHubSpotSyncResend, 1);
	resend->uid = g_strdup (uid);
	resend->request = request;
	resend->meeting_id = g_strdup (meeting_id);
	g_ptr_array_add (run->changes->resend, resend);
}

/* A meeting the calendar has as a single event: HubSpot's change, if
 * any, goes onto the event (docs/design.md, "A refresh", for conflicts). */
static void
sync_merge_known (SyncRun *run,
		  const gchar *meeting_id,
		  KnownMeeting *known,
		  JsonNode *meeting)
{
	const EHubSpotSyncSettings *settings = run->settings;
	g_autofree gchar *extra = NULL;
	g_autofree gchar *object = NULL;
	g_autofree gchar *revision = NULL;
	ICalComponent *vevent;
	EHubSpotMergeResult merge;
	EHubSpotRowState state;
	gboolean outbox_work, local_pending, resend = FALSE;

	outbox_work = settings->outbox && e_hubspot_outbox_has_work (settings->outbox, known->uid);
	local_pending = outbox_work || known->state == E_HUBSPOT_ROW_PENDING ||
		known->state == E_HUBSPOT_ROW_DIRTY || known->state == E_HUBSPOT_ROW_FAILED;

	vevent = i_cal_component_clone (known->vevent);
	merge = e_hubspot_meeting_event_merge (vevent, meeting, local_pending, settings->mapping,
		run->ui_domain, run->portal_id);

	switch (merge) {
	case E_HUBSPOT_MERGE_NONE:
		g_object_unref (vevent);
		return;
	case E_HUBSPOT_MERGE_UPDATED:
		state = E_HUBSPOT_ROW_SYNCED;
		break;
	case E_HUBSPOT_MERGE_HUBSPOT_WON:
	case E_HUBSPOT_MERGE_LOCAL_WON:
	default:
		/* What waits in the outbox is older than the event now: it
		 * goes again as the event is, after anything in flight. */
		resend = outbox_work || known->state == E_HUBSPOT_ROW_DIRTY;
		if (resend) {
			e_hubspot_mapping_set_sync_state (vevent, "pending", NULL);
			state = E_HUBSPOT_ROW_DIRTY;
		} else if (merge == E_HUBSPOT_MERGE_HUBSPOT_WON) {
			state = E_HUBSPOT_ROW_SYNCED;
		} else {
			state = known->state;
		}
		break;
	}
	extra = e_hubspot_row_extra_new (state, meeting_id);

	g_debug ("%s: meeting %s changed in HubSpot: event '%s' %s", G_STRFUNC, meeting_id, known->uid,
		merge == E_HUBSPOT_MERGE_UPDATED ? "updated" :
		merge == E_HUBSPOT_MERGE_HUBSPOT_WON ? "takes HubSpot's values (conflict)" : "keeps its values (conflict)");

	if (resend)
		sync_resend (run, known->uid, vevent, meeting_id);

	object = sync_vcalendar_string (vevent);
	revision = e_hubspot_mapping_dup_x_property (vevent, E_HUBSPOT_PROP_LAST_MODIFIED);
	run->changes->modified = g_slist_prepend (run->changes->modified,
		e_cal_meta_backend_info_new (known->uid, revision, object, extra));

	/* The next merge of this meeting, if any, starts from here. */
	g_object_unref (known->vevent);
	known->vevent = vevent;
	known->state = state;
}

/* A meeting nobody in the calendar knows: an event born in HubSpot. */
static void
sync_import (SyncRun *run,
	     const gchar *meeting_id,
	     JsonNode *meeting)
{
	g_autoptr(GError) local_error = NULL;
	g_autofree gchar *extra = NULL;
	g_autofree gchar *object = NULL;
	ICalComponent *vevent;
	const gchar *uid;

	vevent = e_hubspot_meeting_event_new (meeting, run->ui_domain, run->portal_id, &local_error);
	if (!vevent) {
		g_debug ("%s: meeting %s is not shown: %s", G_STRFUNC, meeting_id, local_error->message);
		return;
	}

	uid = i_cal_component_get_uid (vevent);
	if (e_cal_cache_contains (run->settings->cal_cache, uid, NULL, E_CACHE_INCLUDE_DELETED)) {
		/* An event of that UID that does not name the meeting: the
		 * user's own copy, left alone. */
		g_debug ("%s: meeting %s: an event '%s' exists already", G_STRFUNC, meeting_id, uid);
		g_object_unref (vevent);
		return;
	}

	g_debug ("%s: meeting %s comes from HubSpot as event '%s'", G_STRFUNC, meeting_id, uid);

	extra = e_hubspot_row_extra_new (E_HUBSPOT_ROW_SYNCED, meeting_id);
	object = sync_vcalendar_string (vevent);
	run->changes->created = g_slist_prepend (run->changes->created,
		e_cal_meta_backend_info_new (uid, e_hubspot_meeting_event_get_property (meeting, "hs_lastmodifieddate"),
			object, extra));

	g_object_unref (vevent);
}

static void
sync_remove (SyncRun *run,
	     KnownMeeting *known,
	     const gchar *meeting_id,
	     const gchar *why)
{
	g_debug ("%s: meeting %s %s: event '%s' removed", G_STRFUNC, meeting_id, why, known->uid);
	run->changes->removed = g_slist_prepend (run->changes->removed,
		e_cal_meta_backend_info_new (known->uid, NULL, NULL, NULL));
	known->seen = TRUE;
}

static gboolean
sync_is_other_owner (SyncRun *run,
		     JsonNode *meeting)
{
	const gchar *owner = e_hubspot_meeting_event_get_property (meeting, "hubspot_owner_id");

	return owner && g_strcmp0 (owner, run->settings->owner_id) != 0;
}

static void
sync_handle_meeting (SyncRun *run,
		     JsonNode *meeting)
{
	g_autofree gchar *meeting_id = e_hubspot_json_dup_id (meeting, "id");
	KnownMeeting *known;

	if (!meeting_id || g_hash_table_contains (run->done_ids, meeting_id))
		return;
	g_hash_table_add (run->done_ids, g_strdup (meeting_id));

	/* The search asks for the owner's meetings only; never show another's. */
	if (sync_is_other_owner (run, meeting))
		return;

	/* The meeting of a removed event, still to be cancelled. */
	if (g_hash_table_contains (run->removed_ids, meeting_id))
		return;

	known = g_hash_table_lookup (run->known, meeting_id);
	if (known) {
		known->seen = TRUE;
		if (known->series)
			g_debug ("%s: meeting %s is an occurrence of '%s'; HubSpot's changes to occurrences are not applied yet",
				G_STRFUNC, meeting_id, known->uid);
		else if (known->vevent)
			sync_merge_known (run, meeting_id, known, meeting);
		return;
	}

	if (run->settings->outbox && e_hubspot_outbox_claims_meeting (run->settings->outbox, meeting_id,
		e_hubspot_meeting_event_get_property (meeting, "hs_meeting_title"),
		e_hubspot_meeting_event_get_property (meeting, "hs_meeting_start_time"))) {
		g_debug ("%s: meeting %s is being created from this calendar", G_STRFUNC, meeting_id);
		return;
	}

	/* A cancelled meeting nobody here knew (or the one of an event
	 * removed here, cancelled since) is no news for the calendar. */
	if (g_strcmp0 (e_hubspot_meeting_event_get_property (meeting, "hs_meeting_outcome"), "CANCELED") == 0) {
		g_debug ("%s: meeting %s is cancelled and unknown here: not shown", G_STRFUNC, meeting_id);
		return;
	}

	sync_import (run, meeting_id, meeting);
}

/* The start of a known event, as the meeting would have it (read as the
 * mapping reads it, without mapping the whole event). */
static gboolean
sync_event_start (SyncRun *run,
		  KnownMeeting *known,
		  gint64 *out_start)
{
	ICalProperty *dtstart = i_cal_component_get_first_property (known->vevent, I_CAL_DTSTART_PROPERTY);
	gboolean success;

	if (!dtstart)
		return FALSE;

	success = e_hubspot_mapping_property_time (run->settings->mapping, dtstart, out_start, NULL);
	g_object_unref (dtstart);

	return success;
}

/* Whether a known meeting is one a refresh checks when the search does
 * not return it: a single event's, synced, starting inside the window. */
static gboolean
sync_is_checked (SyncRun *run,
		 KnownMeeting *known)
{
	gint64 start;

	return !known->series && known->vevent && known->state == E_HUBSPOT_ROW_SYNCED &&
		sync_event_start (run, known, &start) && start >= run->from && start <= run->until;
}

/* Known meetings in the window that the search did not return: gone, or
 * not indexed yet (the index lags), or moved out of the window; the fetch
 * read each on its own.  Only events with nothing left to send go: a
 * change waiting for a meeting that is gone is reported on the event by
 * the outbox instead. */
static void
sync_check_unseen (SyncRun *run)
{
	const EHubSpotSyncSettings *settings = run->settings;
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	GHashTableIter iter;
	gpointer key, value;
	guint ii;

	g_hash_table_iter_init (&iter, run->known);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		KnownMeeting *known = value;

		if (known->seen || g_hash_table_contains (run->done_ids, key) || !sync_is_checked (run, known) ||
		    (settings->outbox && e_hubspot_outbox_has_work (settings->outbox, known->uid)))
			continue;

		g_ptr_array_add (ids, g_strdup (key));
	}

	/* In a stable order, for the changes' sake. */
	g_ptr_array_sort (ids, (GCompareFunc) g_strcmp0);

	for (ii = 0; ii < ids->len; ii++) {
		const gchar *meeting_id = g_ptr_array_index (ids, ii);
		KnownMeeting *known = g_hash_table_lookup (run->known, meeting_id);
		JsonNode *meeting = g_hash_table_lookup (run->fetch->reads, meeting_id);

		/* Synced since the fetch started: the next refresh reads it. */
		if (!meeting)
			continue;

		g_hash_table_add (run->done_ids, g_strdup (meeting_id));

		if (JSON_NODE_HOLDS_NULL (meeting)) {
			sync_remove (run, known, meeting_id, "was archived or deleted in HubSpot");
		} else if (JSON_NODE_HOLDS_OBJECT (meeting) &&
			   json_object_get_boolean_member_with_default (json_node_get_object (meeting), "archived", FALSE)) {
			sync_remove (run, known, meeting_id, "was archived in HubSpot");
		} else if (sync_is_other_owner (run, meeting)) {
			sync_remove (run, known, meeting_id, "belongs to another owner now");
		} else {
			known->seen = TRUE;
			sync_merge_known (run, meeting_id, known, meeting);
		}
	}
}

static void
sync_run_init (SyncRun *run,
	       const EHubSpotSyncSettings *settings,
	       gint64 from,
	       gint64 until)
{
	run->settings = settings;
	run->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, known_meeting_free);
	run->removed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	run->series_uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	run->done_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	run->from = from;
	run->until = until;
	run->portal_id = settings->portal_id && *settings->portal_id ? settings->portal_id : NULL;
	run->ui_domain = settings->ui_domain && *settings->ui_domain ? settings->ui_domain : NULL;
}

static void
sync_run_clear (SyncRun *run)
{
	g_hash_table_destroy (run->known);
	g_hash_table_destroy (run->removed_ids);
	g_hash_table_destroy (run->series_uids);
	g_hash_table_destroy (run->done_ids);
}

GPtrArray *
e_cal_backend_hubspot_sync_prepare (const EHubSpotSyncSettings *settings,
				    gint64 *out_from,
				    gint64 *out_until,
				    GCancellable *cancellable,
				    GError **error)
{
	g_autoptr(GPtrArray) check_ids = NULL;
	SyncRun run = { 0, };
	GHashTableIter iter;
	gpointer key, value;

	g_return_val_if_fail (settings != NULL, NULL);
	g_return_val_if_fail (settings->mapping != NULL, NULL);

	if (!settings->owner_id || !*settings->owner_id) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
			_("The calendar has no HubSpot owner set"));
		return NULL;
	}

	*out_from = settings->mapping->now - settings->past_days * DAY_SECONDS;
	*out_until = settings->mapping->now + settings->horizon_days * DAY_SECONDS;
	sync_run_init (&run, settings, *out_from, *out_until);

	if (sync_read_cache (&run, cancellable, error)) {
		check_ids = g_ptr_array_new_with_free_func (g_free);
		g_hash_table_iter_init (&iter, run.known);
		while (g_hash_table_iter_next (&iter, &key, &value)) {
			if (sync_is_checked (&run, value))
				g_ptr_array_add (check_ids, g_strdup (key));
		}
		/* In a stable order, for the requests' sake. */
		g_ptr_array_sort (check_ids, (GCompareFunc) g_strcmp0);
	}

	sync_run_clear (&run);

	return g_steal_pointer (&check_ids);
}

gboolean
e_cal_backend_hubspot_sync_apply (const EHubSpotSyncSettings *settings,
				  EHubSpotOutboxFetch *fetch,
				  EHubSpotSyncChanges *out_changes,
				  GCancellable *cancellable,
				  GError **error)
{
	SyncRun run = { 0, };
	gboolean success = FALSE;
	guint ii;

	g_return_val_if_fail (settings != NULL, FALSE);
	g_return_val_if_fail (settings->mapping != NULL, FALSE);
	g_return_val_if_fail (fetch != NULL, FALSE);
	g_return_val_if_fail (out_changes != NULL, FALSE);

	memset (out_changes, 0, sizeof (EHubSpotSyncChanges));
	out_changes->resend = g_ptr_array_new_with_free_func (sync_resend_free);

	if (fetch->error) {
		g_propagate_error (error, g_error_copy (fetch->error));
		return FALSE;
	}

	sync_run_init (&run, settings, fetch->from, fetch->until);
	run.changes = out_changes;
	run.fetch = fetch;

	if (sync_read_cache (&run, cancellable, error)) {
		for (ii = 0; ii < fetch->meetings->len; ii++)
			sync_handle_meeting (&run, g_ptr_array_index (fetch->meetings, ii));

		sync_check_unseen (&run);

		out_changes->created = g_slist_reverse (out_changes->created);
		out_changes->modified = g_slist_reverse (out_changes->modified);
		out_changes->removed = g_slist_reverse (out_changes->removed);
		success = TRUE;
	}

	if (!success)
		e_hubspot_sync_changes_clear (out_changes);
	sync_run_clear (&run);

	return success;
}
