/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-recurrence.h"
#include "common/e-hubspot-requests.h"
#include "common/e-hubspot-retry.h"
#include "common/e-source-hubspot.h"

#include "e-hubspot-outbox-private.h"

#define STATUS_DELAY_MS 500

static void
outbox_item_free (OutboxItem *item)
{
	outbox_attendees_item_clear (item);
	g_free (item->uid);
	g_clear_pointer (&item->request, json_node_unref);
	g_free (item->meeting_id);
	g_free (item);
}

void
e_hubspot_outbox_result_free (gpointer ptr)
{
	EHubSpotOutboxResult *result = ptr;

	if (!result)
		return;

	g_free (result->uid);
	g_free (result->meeting_id);
	g_clear_pointer (&result->response, json_node_unref);
	g_clear_error (&result->error);
	g_free (result);
}

void
outbox_send_data_free (SendData *sd)
{
	if (!sd)
		return;

	g_clear_pointer (&sd->lookup_items, g_ptr_array_unref);
	g_clear_pointer (&sd->resolution, e_hubspot_attendee_resolution_free);
	g_clear_pointer (&sd->associate_ids, g_ptr_array_unref);
	g_clear_pointer (&sd->busy_keys, g_ptr_array_unref);
	g_free (sd);
}

void
outbox_link_locked (EHubSpotOutbox *outbox,
		    const gchar *key,
		    const gchar *meeting_id)
{
	if (meeting_id && *meeting_id)
		g_hash_table_replace (outbox->linked, g_strdup (meeting_id), g_strdup (key ? key : ""));
}

void
outbox_unlink_locked (EHubSpotOutbox *outbox,
		      const gchar *key,
		      const gchar *meeting_id)
{
	if (meeting_id && g_strcmp0 (g_hash_table_lookup (outbox->linked, meeting_id), key) == 0)
		g_hash_table_remove (outbox->linked, meeting_id);
}

gchar *
outbox_search_key (JsonNode *request)
{
	EHubSpotLookupKey key;
	gint64 start_ms;

	if (!request || !e_hubspot_requests_lookup_key (request, &key))
		return NULL;

	start_ms = e_hubspot_requests_parse_time_ms (key.start);

	return start_ms == G_MININT64 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT " %s", start_ms, key.title);
}

/* Takes a place in table for key (consumed) until sd is answered. */
void
outbox_hold_busy_locked (SendData *sd,
			 GHashTable *table,
			 gchar *key)
{
	if (!key)
		return;

	sd->busy_table = table;
	if (!sd->busy_keys)
		sd->busy_keys = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (sd->busy_keys, g_strdup (key));
	g_hash_table_replace (table, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (table, key)) + 1));
}

void
outbox_release_busy_locked (SendData *sd)
{
	guint ii;

	for (ii = 0; sd->busy_keys && ii < sd->busy_keys->len; ii++) {
		const gchar *key = g_ptr_array_index (sd->busy_keys, ii);
		guint count = GPOINTER_TO_UINT (g_hash_table_lookup (sd->busy_table, key));

		if (count > 1)
			g_hash_table_replace (sd->busy_table, g_strdup (key), GUINT_TO_POINTER (count - 1));
		else
			g_hash_table_remove (sd->busy_table, key);
	}
	g_clear_pointer (&sd->busy_keys, g_ptr_array_unref);
}

gboolean
outbox_is_busy_locked (GHashTable *table,
		       JsonNode *request)
{
	g_autofree gchar *key = g_hash_table_size (table) ? outbox_search_key (request) : NULL;

	return key && g_hash_table_contains (table, key);
}

/* What closes the gap between what the event wants and what HubSpot has. */
OutboxOp
outbox_next_op_locked (OutboxItem *item)
{
	if (item->in_flight != OP_NONE)
		return OP_NONE;

	if (item->given_up)
		return OP_DONE;

	if (item->removed) {
		if (item->meeting_id)
			return OP_CANCEL;
		return item->uncertain && item->request ? OP_LOOKUP : OP_DONE;
	}

	if (!item->meeting_id)
		return item->uncertain ? OP_LOOKUP : OP_CREATE;

	if (item->generation != item->synced_generation)
		return OP_UPDATE;

	return item->attendees_dirty ? OP_ATTENDEES : OP_DONE;
}

/* The event UID of a key: the key itself, or an occurrence's event's. */
static gchar *
outbox_series_uid (const gchar *key)
{
	g_autofree gchar *rid = NULL;
	gchar *uid = NULL;

	e_hubspot_recurrence_split_key (key, &uid, &rid);

	return uid;
}

static void
outbox_drop_item_locked (EHubSpotOutbox *outbox,
			 OutboxItem *item)
{
	g_autofree gchar *series_uid = outbox_series_uid (item->uid);
	GPtrArray *series = g_hash_table_lookup (outbox->series, series_uid);

	if (series) {
		g_ptr_array_remove_fast (series, item);
		if (!series->len)
			g_hash_table_remove (outbox->series, series_uid);
	}
	outbox_batch_forget_locked (outbox, item);
	g_queue_delete_link (&outbox->queue, item->link);
	g_hash_table_remove (outbox->items, item->uid);
	outbox_attendees_item_forget_locked (outbox, item);
	outbox_item_free (item);
}

static gboolean outbox_write_status_cb (gpointer user_data);

void
outbox_status_changed_locked (EHubSpotOutbox *outbox)
{
	if (!outbox->status_file || outbox->status_timer)
		return;

	outbox->status_timer = e_hubspot_clock_timeout_source_new (outbox->clock,
		e_hubspot_clock_get_monotonic (outbox->clock) + STATUS_DELAY_MS * 1000);
	g_source_set_callback (outbox->status_timer, outbox_write_status_cb, outbox, NULL);
	g_source_attach (outbox->status_timer, outbox->context);
}

void
outbox_add_result_locked (EHubSpotOutbox *outbox,
			  OutboxItem *item,
			  EHubSpotOutboxResultKind kind,
			  JsonNode *response,
			  GError *error)
{
	EHubSpotOutboxResult *result = g_new0 (EHubSpotOutboxResult, 1);

	result->uid = g_strdup (item->uid);
	result->kind = kind;
	result->meeting_id = g_strdup (item->meeting_id);
	result->response = response ? json_node_ref (response) : NULL;
	result->error = error;
	g_ptr_array_add (outbox->results, result);

	/* Until the backend stored the id, a new version of the event comes
	 * back with no id: it must not become a second meeting. */
	if (kind == E_HUBSPOT_OUTBOX_CREATED && item->meeting_id)
		g_hash_table_replace (outbox->unstored_ids, g_strdup (item->uid), g_strdup (item->meeting_id));

	if (error) {
		g_free (outbox->last_error);
		outbox->last_error = g_strdup (error->message);
		outbox->last_error_at = e_hubspot_clock_get_real (outbox->clock);
	}
	outbox_status_changed_locked (outbox);

	/* Called once the lock is dropped (outbox_unlock_and_notify ()). */
	if (outbox->results->len == 1)
		outbox->notify_results = TRUE;
}

void
outbox_unlock_and_notify (EHubSpotOutbox *outbox)
{
	g_autoptr(GError) rejected = g_steal_pointer (&outbox->notify_rejected);
	gboolean results = outbox->notify_results;
	gboolean fetch = outbox->notify_fetch;
	gboolean owner = outbox->notify_owner;
	g_autoptr(GError) owner_error = g_steal_pointer (&outbox->notify_owner_error);
	g_autofree gchar *owner_id = owner ? g_strdup (outbox->owner_id) : NULL;
	g_autofree gchar *user_id = owner ? g_strdup (outbox->organizer_user_id) : NULL;
	gpointer user_data = outbox->user_data;

	outbox->notify_results = FALSE;
	outbox->notify_fetch = FALSE;
	outbox->notify_owner = FALSE;
	g_mutex_unlock (&outbox->lock);

	/* The owner stays alive meanwhile: e_hubspot_outbox_free () clears
	 * user_data, then joins this thread. */
	if (!user_data)
		return;
	if (rejected && outbox->callbacks.credentials_rejected)
		outbox->callbacks.credentials_rejected (user_data, rejected);
	if (results && outbox->callbacks.results_ready)
		outbox->callbacks.results_ready (user_data);
	if (fetch && outbox->callbacks.fetch_ready)
		outbox->callbacks.fetch_ready (user_data);
	if (owner && outbox->callbacks.owner_found)
		outbox->callbacks.owner_found (user_data, owner_id, user_id, owner_error);
}

/* Whether the owner is still to be looked up by e-mail (a calendar made
 * by Evolution's dialog has only its Email; docs/design.md, "Signing in"). */
static gboolean
outbox_owner_wanted_locked (EHubSpotOutbox *outbox)
{
	return outbox->owner_email && !outbox->owner_id && !outbox->owner_refused;
}

/* TRUE while the owner is unknown: nothing can be sent for it (every
 * meeting names its organizer).  Asks for it, as any other request,
 * within the account's budget. */
static gboolean
outbox_need_owner_locked (EHubSpotOutbox *outbox,
			  gint64 now,
			  gint64 *inout_next_wakeup)
{
	if (!outbox->owner_email)
		return FALSE;

	if (outbox->owner_busy || outbox->owner_refused)
		return TRUE;

	if (outbox->owner_not_before > now) {
		*inout_next_wakeup = MIN (*inout_next_wakeup, outbox->owner_not_before);
		return TRUE;
	}

	if (!outbox_may_send_locked (outbox, FALSE, now, inout_next_wakeup))
		return TRUE;

	outbox->owner_busy = TRUE;
	outbox->in_flight++;
	g_free (outbox->owner_asked);
	outbox->owner_asked = g_strdup (outbox->owner_email);
	e_hubspot_connection_lookup_owner (outbox->cnc, outbox->credential, outbox->owner_email,
		outbox->cancellable, outbox_owner_done_cb, outbox);

	return TRUE;
}

/* TRUE while the account details are awaited
 * (asked once, before the first meeting goes out: the record URL needs them). */
static gboolean
outbox_need_account_info_locked (EHubSpotOutbox *outbox)
{
	if (outbox->account_info_busy)
		return TRUE;

	if (outbox->account_info_tried || (outbox->portal_id && outbox->ui_domain))
		return FALSE;

	if (outbox->account_info_not_before > e_hubspot_clock_get_monotonic (outbox->clock))
		return TRUE;

	if (e_hubspot_budget_reserve (outbox->budget, FALSE, e_hubspot_clock_get_monotonic (outbox->clock)) != 0)
		return FALSE;

	outbox->account_info_busy = TRUE;
	outbox->in_flight++;
	e_hubspot_connection_get_account_info (outbox->cnc, outbox->credential,
		outbox->cancellable, outbox_account_info_done_cb, outbox);

	return TRUE;
}

JsonNode *
outbox_update_body (OutboxItem *item,
		    OutboxOp op,
		    SendData *sd)
{
	gboolean clear_owners;

	if (op == OP_CANCEL)
		return e_hubspot_requests_cancel_body ();

	/* Owners the meeting had and the event lost are cleared. */
	clear_owners = item->sent_owner_ids && item->sent_owner_ids->len > 0;

	return e_hubspot_attendees_update_body (item->request, sd->resolution, clear_owners);
}

void
outbox_start_locked (EHubSpotOutbox *outbox,
		     OutboxItem *item,
		     OutboxOp op,
		     SendData *sd)
{
	g_autoptr(JsonNode) body = NULL;

	sd->outbox = outbox;
	sd->item = item;
	item->in_flight = op;
	item->sent_generation = item->generation;
	outbox->in_flight++;

	switch (op) {
	case OP_CREATE:
		/* No lookup of the same key until it is answered. */
		outbox_hold_busy_locked (sd, outbox->creating_keys, outbox_search_key (item->request));

		/* A future meeting: the scheduler's call puts it in the
		 * organizer's calendar.  One that ended never comes here: it
		 * is logged in a batch (e-hubspot-outbox-batch.c). */
		body = e_hubspot_attendees_scheduler_body (item->request, sd->resolution);
		e_hubspot_connection_create_meeting (outbox->cnc, outbox->credential, outbox->organizer_user_id,
			body, outbox->cancellable, outbox_send_done_cb, sd);
		return;
	case OP_UPDATE:
		body = outbox_update_body (item, op, sd);
		e_hubspot_connection_update_meeting (outbox->cnc, outbox->credential, item->meeting_id, body,
			outbox->cancellable, outbox_send_done_cb, sd);
		return;
	case OP_ASSOCIATE:
		body = e_hubspot_attendees_associations_body (item->meeting_id,
			(const gchar * const *) sd->associate_ids->pdata, sd->associate_ids->len, sd->associate_type);
		e_hubspot_connection_associate_meeting (outbox->cnc, outbox->credential, sd->associate_type,
			body, outbox->cancellable, outbox_send_done_cb, sd);
		return;
	case OP_CANCEL:
		if (outbox->archive_on_remove) {
			e_hubspot_connection_archive_meeting (outbox->cnc, outbox->credential, item->meeting_id,
				outbox->cancellable, outbox_send_done_cb, sd);
		} else {
			body = outbox_update_body (item, op, sd);
			e_hubspot_connection_update_meeting (outbox->cnc, outbox->credential, item->meeting_id, body,
				outbox->cancellable, outbox_send_done_cb, sd);
		}
		return;
	default:
		g_warn_if_reached ();
	}
}

static gboolean
outbox_budget_allows_locked (EHubSpotOutbox *outbox,
			     gboolean search,
			     gboolean take,
			     gint64 now,
			     gint64 *inout_next_wakeup)
{
	gint64 wait;

	if (outbox->in_flight >= outbox->max_in_flight)
		return FALSE;

	wait = take ? e_hubspot_budget_reserve (outbox->budget, search, now) :
		e_hubspot_budget_peek (outbox->budget, search, now);
	/* G_MAXINT64: every place is held by a request in flight, maybe
	 * another calendar's: its end wakes this outbox (outbox_budget_waker). */
	if (wait == G_MAXINT64)
		g_atomic_int_set (&outbox->budget_blocked, 1);
	else if (wait > 0)
		*inout_next_wakeup = MIN (*inout_next_wakeup, now + wait);

	return wait == 0;
}

gboolean
outbox_may_send_locked (EHubSpotOutbox *outbox,
			gboolean search,
			gint64 now,
			gint64 *inout_next_wakeup)
{
	return outbox_budget_allows_locked (outbox, search, TRUE, now, inout_next_wakeup);
}

gboolean
outbox_could_send_locked (EHubSpotOutbox *outbox,
			  gint64 now,
			  gint64 *inout_next_wakeup)
{
	return outbox_budget_allows_locked (outbox, FALSE, FALSE, now, inout_next_wakeup);
}

static gboolean
outbox_budget_pump_cb (gpointer user_data)
{
	outbox_schedule_pump (user_data);

	return G_SOURCE_REMOVE;
}

/* The budget's waker, on any thread, with the budget's lock held: only
 * schedules a pump (an idle, never a direct call) when this outbox waits
 * for a place. */
static void
outbox_budget_waker (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	GSource *source;

	if (!g_atomic_int_compare_and_exchange (&outbox->budget_blocked, 1, 0))
		return;

	source = g_idle_source_new ();
	g_source_set_callback (source, outbox_budget_pump_cb, outbox, NULL);
	g_source_attach (source, outbox->context);
	g_source_unref (source);
}

/* One search for up to E_HUBSPOT_LOOKUP_MAX uncertain creates that are
 * due.  Returns whether one was started. */
static gboolean
outbox_start_lookup_locked (EHubSpotOutbox *outbox,
			    gint64 now,
			    gint64 *inout_next_wakeup)
{
	EHubSpotLookupKey keys[E_HUBSPOT_LOOKUP_MAX];
	g_autoptr(GPtrArray) batch = g_ptr_array_new ();
	g_autoptr(JsonNode) body = NULL;
	SendData *sd;
	GList *link;

	for (link = outbox->queue.head; link && batch->len < E_HUBSPOT_LOOKUP_MAX; link = link->next) {
		OutboxItem *item = link->data;

		if (outbox_next_op_locked (item) != OP_LOOKUP)
			continue;
		if (MAX (item->lookup_after, item->not_before) > now) {
			*inout_next_wakeup = MIN (*inout_next_wakeup, MAX (item->lookup_after, item->not_before));
			continue;
		}
		if (!e_hubspot_requests_lookup_key (item->request, &keys[batch->len])) {
			item->uncertain = FALSE;
			continue;
		}
		/* Its answer could name that create's meeting, which is not
		 * linked yet; the create's answer pumps again. */
		if (outbox_is_busy_locked (outbox->creating_keys, item->request))
			continue;
		g_ptr_array_add (batch, item);
	}

	if (!batch->len)
		return FALSE;

	/* A search counts against the account's limit and the search one. */
	if (!outbox_may_send_locked (outbox, TRUE, now, inout_next_wakeup))
		return FALSE;

	body = e_hubspot_requests_lookup_body (outbox->owner_id, keys, batch->len);

	sd = g_new0 (SendData, 1);
	sd->outbox = outbox;
	sd->lookup_items = g_ptr_array_ref (batch);
	for (guint ii = 0; ii < batch->len; ii++) {
		OutboxItem *item = g_ptr_array_index (batch, ii);

		item->in_flight = OP_LOOKUP;
		outbox_hold_busy_locked (sd, outbox->looking_keys, outbox_search_key (item->request));
	}
	outbox->in_flight++;

	e_hubspot_connection_search_meetings (outbox->cnc, outbox->credential, body,
		outbox->cancellable, outbox_send_done_cb, sd);

	return TRUE;
}

static gboolean
outbox_timer_cb (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;

	g_mutex_lock (&outbox->lock);
	g_clear_pointer (&outbox->timer, g_source_unref);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);

	return G_SOURCE_REMOVE;
}

/* Wakes the pump at due (monotonic µs). */
void
outbox_arm_timer_locked (EHubSpotOutbox *outbox,
			 gint64 due)
{
	e_hubspot_clock_arm_timer (outbox->clock, &outbox->timer, &outbox->timer_due, due,
		outbox->context, outbox_timer_cb, outbox);
}

static gboolean
outbox_can_send_locked (EHubSpotOutbox *outbox)
{
	return outbox->online && !outbox->paused_for_credentials &&
		e_hubspot_credential_has_token (outbox->credential);
}

/* Whether anything waits to be sent. */
static gboolean
outbox_has_work_locked (EHubSpotOutbox *outbox)
{
	return !g_queue_is_empty (&outbox->queue) || outbox->fetch;
}

/* Starts what may start now, within the pacing and the concurrency, and
 * arms a timer for what waits. */
static gboolean
outbox_pump_cb (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	gint64 next_wakeup = G_MAXINT64;
	gboolean ask_token = FALSE, singles_wait = FALSE;
	GList *link, *next;

	/* Closing (e_hubspot_outbox_free ()): nothing starts any more, so
	 * that the answers the thread still waits for do not start others
	 * (an input handed to the batcher now would only end cancelled,
	 * and pump again). */
	if (g_cancellable_is_cancelled (outbox->cancellable))
		return G_SOURCE_REMOVE;

	g_mutex_lock (&outbox->lock);

	/* Drop what has nothing left to do.  A removed event's end is
	 * reported, so that the backend drops its tombstone. */
	for (link = outbox->queue.head; link; link = next) {
		OutboxItem *item = link->data;

		next = link->next;
		/* Handed to the batcher: taken back if the event changed,
		 * or in flight if it went. */
		if (item->gathered)
			outbox_batch_holds_locked (outbox, item, outbox_next_op_locked (item));
		if (outbox_next_op_locked (item) != OP_DONE)
			continue;
		if (item->removed && !item->given_up)
			outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_CANCELLED, NULL, NULL);
		outbox_drop_item_locked (outbox, item);
	}

	/* Signed in with HubSpot: a valid token first (renewed ahead of its
	 * end when there is work, not while idle); EDS is asked once the
	 * lock is dropped. */
	if ((!outbox_has_work_locked (outbox) && !outbox_owner_wanted_locked (outbox)) || !outbox->online ||
	    !outbox_token_ready_locked (outbox, now, &next_wakeup, &ask_token) ||
	    !outbox_can_send_locked (outbox) || outbox_need_owner_locked (outbox, now, &next_wakeup) ||
	    outbox_need_account_info_locked (outbox)) {
		if (next_wakeup != G_MAXINT64 && (outbox_has_work_locked (outbox) || outbox_owner_wanted_locked (outbox)))
			outbox_arm_timer_locked (outbox, next_wakeup);
		outbox_status_changed_locked (outbox);
		outbox_unlock_and_notify (outbox);
		if (ask_token)
			outbox_token_ask (outbox);
		return G_SOURCE_REMOVE;
	}

	/* A refresh has one request out at most: it goes first, so that it
	 * keeps moving however long the queue. */
	outbox_fetch_pump_locked (outbox, now, &next_wakeup);

	if (outbox->in_flight < outbox->max_in_flight)
		outbox_start_lookup_locked (outbox, now, &next_wakeup);

	/* Who the attendees are, for the creates and PATCHes below. */
	outbox_attendees_pump_locked (outbox, now, &next_wakeup);

	for (link = outbox->queue.head; link; link = link->next) {
		OutboxItem *item = link->data;
		OutboxOp op = outbox_next_op_locked (item), next_op;
		SendData *sd;

		if (op != OP_CREATE && op != OP_UPDATE && op != OP_CANCEL && op != OP_ATTENDEES)
			continue;

		/* Planned and gathered by an earlier pump: it waits there. */
		if (outbox_batch_holds_locked (outbox, item, op))
			continue;

		if (item->not_before > now) {
			next_wakeup = MIN (next_wakeup, item->not_before);
			continue;
		}

		/* No place for a request of its own: the walk goes on only
		 * for what the batcher takes, so that batches fill at once
		 * and do not wait behind the single calls (a push's ended
		 * meetings all came last, and their write-back with them). */
		if ((singles_wait || outbox->in_flight >= outbox->max_in_flight) &&
		    !outbox_batch_could_take_locked (outbox, item, op))
			continue;

		/* A lookup in flight could adopt the meeting it makes; the
		 * lookup's answer pumps again. */
		if (op == OP_CREATE && outbox_is_busy_locked (outbox->looking_keys, item->request))
			continue;

		next_op = op;
		sd = g_new0 (SendData, 1);
		if (op != OP_CANCEL && !outbox_attendees_plan_locked (outbox, item, &op, sd, now)) {
			outbox_send_data_free (sd);
			continue;
		}

		/* A meeting that ended, a PATCH, a cancel: waits for others
		 * to share a request. */
		if (outbox_batch_offer_locked (outbox, item, next_op, op, sd, now))
			continue;

		if (singles_wait || outbox->in_flight >= outbox->max_in_flight ||
		    !outbox_may_send_locked (outbox, FALSE, now, &next_wakeup)) {
			outbox_send_data_free (sd);
			singles_wait = TRUE;
			continue;
		}

		outbox_start_locked (outbox, item, op, sd);
	}

	if (next_wakeup != G_MAXINT64)
		outbox_arm_timer_locked (outbox, next_wakeup);

	outbox_status_changed_locked (outbox);
	outbox_unlock_and_notify (outbox);

	return G_SOURCE_REMOVE;
}

static gboolean
outbox_scheduled_pump_cb (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;

	/* What changes from here on asks for another pump. */
	g_atomic_int_set (&outbox->pump_scheduled, 0);

	return outbox_pump_cb (outbox);
}

/* A pass walks the whole queue: a burst of puts (a client's call of
 * 1,000 events) or of answers shares one, the next time the sender
 * thread's loop turns, instead of one each. */
void
outbox_schedule_pump (EHubSpotOutbox *outbox)
{
	GSource *source;

	if (!g_atomic_int_compare_and_exchange (&outbox->pump_scheduled, 0, 1))
		return;

	source = g_idle_source_new ();
	g_source_set_priority (source, G_PRIORITY_DEFAULT);
	g_source_set_callback (source, outbox_scheduled_pump_cb, outbox, NULL);
	g_source_set_static_name (source, "[evolution-hubspot] outbox pump");
	g_source_attach (source, outbox->context);
	g_source_unref (source);
}

static gchar *
outbox_format_real_time (gint64 real_us)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);

	return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* The state `evolution-hubspot status` shows, as JSON beside the cache. */
static gboolean
outbox_write_status_cb (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *path = NULL;
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	gint64 paused_until = 0, retry_at = G_MAXINT64;
	const gchar *paused = NULL;
	GList *link;

	g_mutex_lock (&outbox->lock);
	g_clear_pointer (&outbox->status_timer, g_source_unref);

	for (link = outbox->queue.head; link; link = link->next) {
		OutboxItem *item = link->data;

		if (item->attempts > 0 && item->not_before > now)
			retry_at = MIN (retry_at, item->not_before);
	}

	if (!outbox->online) {
		paused = "offline";
	} else if (outbox->paused_for_credentials ||
		   (!outbox->oauth2_source && !e_hubspot_credential_has_token (outbox->credential))) {
		paused = "credentials";
	} else if ((paused_until = e_hubspot_budget_get_paused_until (outbox->budget, now, &paused)) != 0) {
		/* the account's pause: a 429 here or in another calendar */
	} else if (retry_at != G_MAXINT64 && outbox->in_flight == 0) {
		paused = "unreachable";
		paused_until = retry_at;
	}

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "queued");
	json_builder_add_int_value (builder, g_queue_get_length (&outbox->queue));
	json_builder_set_member_name (builder, "in_flight");
	json_builder_add_int_value (builder, outbox->in_flight);
	json_builder_set_member_name (builder, "associations_pending");
	json_builder_add_int_value (builder, outbox_attendees_pending_locked (outbox));
	json_builder_set_member_name (builder, "paused");
	if (paused)
		json_builder_add_string_value (builder, paused);
	else
		json_builder_add_null_value (builder);
	json_builder_set_member_name (builder, "paused_until");
	if (paused_until) {
		g_autofree gchar *until = outbox_format_real_time (e_hubspot_clock_get_real (outbox->clock) + (paused_until - now));

		json_builder_add_string_value (builder, until);
	} else {
		json_builder_add_null_value (builder);
	}
	json_builder_set_member_name (builder, "last_error");
	if (outbox->last_error)
		json_builder_add_string_value (builder, outbox->last_error);
	else
		json_builder_add_null_value (builder);
	json_builder_set_member_name (builder, "last_error_at");
	if (outbox->last_error_at) {
		g_autofree gchar *at = outbox_format_real_time (outbox->last_error_at);

		json_builder_add_string_value (builder, at);
	} else {
		json_builder_add_null_value (builder);
	}
	json_builder_set_member_name (builder, "updated_at");
	{
		g_autofree gchar *at = outbox_format_real_time (e_hubspot_clock_get_real (outbox->clock));

		json_builder_add_string_value (builder, at);
	}
	json_builder_end_object (builder);

	path = g_strdup (outbox->status_file);
	g_mutex_unlock (&outbox->lock);

	root = json_builder_get_root (builder);
	text = json_to_string (root, TRUE);
	/* It names the events and HubSpot's errors: the owner's to read only. */
	if (path && !g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
		g_debug ("%s: cannot write %s", G_STRFUNC, path);

	return G_SOURCE_REMOVE;
}

static gpointer
outbox_thread_func (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;

	g_main_context_push_thread_default (outbox->context);
	g_main_loop_run (outbox->loop);

	/* Let this outbox's cancelled requests finish their callbacks (the
	 * connection may be the account's, still used by other calendars). */
	g_mutex_lock (&outbox->lock);
	while (outbox->in_flight > 0 || outbox->batch_tasks > 0 || outbox->token_renewing) {
		g_mutex_unlock (&outbox->lock);
		g_main_context_iteration (outbox->context, TRUE);
		g_mutex_lock (&outbox->lock);
	}
	g_mutex_unlock (&outbox->lock);

	/* Maybe the connection's last reference: it may go on any thread,
	 * none of its requests left. */
	g_clear_object (&outbox->cnc);
	g_main_context_pop_thread_default (outbox->context);

	return NULL;
}

EHubSpotOutbox *
e_hubspot_outbox_new (const EHubSpotOutboxSettings *settings,
		      const EHubSpotOutboxCallbacks *callbacks,
		      gpointer user_data,
		      GError **error)
{
	EHubSpotOutbox *outbox;
	EHubSpotConnection *cnc;

	g_return_val_if_fail (settings != NULL, NULL);
	g_return_val_if_fail (callbacks != NULL, NULL);
	g_return_val_if_fail (settings->connection == NULL || E_IS_HUBSPOT_CONNECTION (settings->connection), NULL);

	/* Requests go from the sender thread, their answers come on its
	 * context, whichever thread made the connection (libsoup 3.2). */
	if (settings->connection)
		cnc = g_object_ref (settings->connection);
	else
		cnc = e_hubspot_connection_new (settings->api_url, settings->max_in_flight, error);
	if (!cnc)
		return NULL;

	outbox = g_new0 (EHubSpotOutbox, 1);
	g_mutex_init (&outbox->lock);
	outbox->context = g_main_context_new ();
	outbox->loop = g_main_loop_new (outbox->context, FALSE);
	outbox->cancellable = g_cancellable_new ();
	outbox->cnc = cnc;
	outbox->clock = settings->clock ? g_object_ref (settings->clock) : e_hubspot_clock_dup_default ();
	outbox->credential = e_hubspot_credential_new ();
	outbox->callbacks = *callbacks;
	outbox->user_data = user_data;
	outbox->owner_id = g_strdup (settings->owner_id);
	outbox->organizer_user_id = g_strdup (settings->organizer_user_id);
	if (!outbox->owner_id || !outbox->organizer_user_id) {
		g_clear_pointer (&outbox->owner_id, g_free);
		g_clear_pointer (&outbox->organizer_user_id, g_free);
		outbox->owner_email = settings->owner_email && *settings->owner_email ?
			g_strdup (settings->owner_email) : NULL;
	}
	outbox->status_file = g_strdup (settings->status_file);
	outbox->max_in_flight = MAX (settings->max_in_flight, 1);
	outbox->lookup_delay_us = (gint64) settings->lookup_delay_ms * 1000;
	outbox->archive_on_remove = settings->archive_on_remove;
	outbox->online = TRUE;
	if (settings->oauth2_source) {
		outbox->oauth2_source = g_object_ref (settings->oauth2_source);
		outbox->token_wanted = TRUE;
	}
	outbox->budget = e_hubspot_budget_ref (e_hubspot_connection_get_budget (cnc));
	outbox->budget_waker = e_hubspot_budget_add_waker (outbox->budget, outbox_budget_waker, outbox);
	outbox->items = g_hash_table_new (g_str_hash, g_str_equal);
	outbox->series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
	outbox->unstored_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	outbox->linked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	outbox->creating_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	outbox->looking_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	outbox->results = g_ptr_array_new_with_free_func (e_hubspot_outbox_result_free);
	outbox->rand = settings->jitter_seed ? g_rand_new_with_seed (settings->jitter_seed) : g_rand_new ();
	g_queue_init (&outbox->queue);
	outbox_attendees_init (outbox, settings);

	outbox->thread = g_thread_new ("hubspot-outbox", outbox_thread_func, outbox);

	return outbox;
}

void
e_hubspot_outbox_free (EHubSpotOutbox *outbox)
{
	OutboxItem *item;

	if (!outbox)
		return;

	g_mutex_lock (&outbox->lock);
	outbox->user_data = NULL;
	g_mutex_unlock (&outbox->lock);

	/* Other calendars' requests no longer wake this outbox. */
	e_hubspot_budget_remove_waker (outbox->budget, outbox->budget_waker);

	g_cancellable_cancel (outbox->cancellable);
	g_main_loop_quit (outbox->loop);
	g_thread_join (outbox->thread);

	if (outbox->timer) {
		g_source_destroy (outbox->timer);
		g_source_unref (outbox->timer);
	}
	if (outbox->status_timer) {
		g_source_destroy (outbox->status_timer);
		g_source_unref (outbox->status_timer);
	}

	/* Every task handed to the batcher has ended (the thread waited):
	 * nothing points at the items. */
	while ((item = g_queue_pop_head (&outbox->queue)))
		outbox_item_free (item);
	g_hash_table_destroy (outbox->items);
	g_hash_table_destroy (outbox->series);
	g_hash_table_destroy (outbox->unstored_ids);
	g_hash_table_destroy (outbox->linked);
	g_hash_table_destroy (outbox->creating_keys);
	g_hash_table_destroy (outbox->looking_keys);
	g_ptr_array_unref (outbox->results);
	g_rand_free (outbox->rand);
	g_object_unref (outbox->clock);
	e_hubspot_budget_unref (outbox->budget);
	outbox_attendees_clear (outbox);
	outbox_fetch_clear_locked (outbox);
	outbox_token_clear (outbox);
	g_free (outbox->owner_id);
	g_free (outbox->organizer_user_id);
	g_free (outbox->owner_email);
	g_free (outbox->owner_asked);
	g_clear_error (&outbox->notify_owner_error);
	g_free (outbox->status_file);
	g_free (outbox->portal_id);
	g_free (outbox->ui_domain);
	g_free (outbox->last_error);
	g_object_unref (outbox->cancellable);
	g_object_unref (outbox->credential);
	g_clear_error (&outbox->notify_rejected);
	g_main_loop_unref (outbox->loop);
	g_main_context_unref (outbox->context);
	g_mutex_clear (&outbox->lock);
	g_free (outbox);
}

void
e_hubspot_outbox_set_token (EHubSpotOutbox *outbox,
			    const gchar *token)
{
	g_return_if_fail (outbox != NULL);

	e_hubspot_credential_set_token (outbox->credential, token);

	g_mutex_lock (&outbox->lock);
	/* A key replaces a sign-in: EDS's tokens are no longer asked for. */
	outbox_token_clear (outbox);
	outbox->token_wanted = FALSE;
	outbox->token_renew_at = 0;
	outbox->paused_for_credentials = FALSE;
	outbox_status_changed_locked (outbox);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

gboolean
e_hubspot_outbox_has_token (EHubSpotOutbox *outbox)
{
	gboolean has_token;

	g_mutex_lock (&outbox->lock);
	has_token = !outbox->paused_for_credentials &&
		(outbox->oauth2_source || e_hubspot_credential_has_token (outbox->credential));
	g_mutex_unlock (&outbox->lock);

	return has_token;
}

void
e_hubspot_outbox_set_online (EHubSpotOutbox *outbox,
			     gboolean online)
{
	GList *link;

	g_mutex_lock (&outbox->lock);
	outbox->online = online;
	/* Offline: what waits in the batcher waits here instead. */
	if (!online)
		outbox_batch_clear_locked (outbox);
	/* Back online: what waits for a retry goes now. */
	for (link = outbox->queue.head; online && link; link = link->next)
		((OutboxItem *) link->data)->not_before = 0;
	outbox_status_changed_locked (outbox);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

static OutboxItem *
outbox_ensure_item_locked (EHubSpotOutbox *outbox,
			   const gchar *uid)
{
	OutboxItem *item = g_hash_table_lookup (outbox->items, uid);

	if (!item) {
		gchar *series_uid = outbox_series_uid (uid);
		GPtrArray *series = g_hash_table_lookup (outbox->series, series_uid);

		item = g_new0 (OutboxItem, 1);
		item->uid = g_strdup (uid);
		g_queue_push_tail (&outbox->queue, item);
		item->link = g_queue_peek_tail_link (&outbox->queue);
		g_hash_table_insert (outbox->items, item->uid, item);

		if (!series) {
			series = g_ptr_array_new ();
			g_hash_table_insert (outbox->series, series_uid, series);
		} else {
			g_free (series_uid);
		}
		g_ptr_array_add (series, item);
	}

	return item;
}

/* A new wish for the event: retry at once, and take the meeting id the
 * caller knows, or the one this run learnt and the cache does not hold
 * yet. */
static void
outbox_item_renew_locked (EHubSpotOutbox *outbox,
			  OutboxItem *item,
			  const gchar *meeting_id,
			  gboolean uncertain)
{
	item->attempts = 0;
	item->not_before = 0;

	if (!meeting_id)
		meeting_id = g_hash_table_lookup (outbox->unstored_ids, item->uid);
	if (!item->meeting_id && meeting_id) {
		item->meeting_id = g_strdup (meeting_id);
		outbox_link_locked (outbox, item->uid, item->meeting_id);
	}

	if (uncertain && !item->meeting_id && !item->uncertain) {
		item->uncertain = TRUE;
		item->lookup_after = e_hubspot_clock_get_monotonic (outbox->clock) + outbox->lookup_delay_us;
	}

	outbox_status_changed_locked (outbox);
}

void
e_hubspot_outbox_put (EHubSpotOutbox *outbox,
		      const gchar *uid,
		      JsonNode *request,
		      const gchar *meeting_id,
		      gboolean uncertain)
{
	OutboxItem *item;

	g_return_if_fail (uid != NULL);
	g_return_if_fail (request != NULL);

	g_mutex_lock (&outbox->lock);

	item = outbox_ensure_item_locked (outbox, uid);
	g_clear_pointer (&item->request, json_node_unref);
	item->request = json_node_copy (request);
	item->ended = e_hubspot_attendees_body_is_completed (item->request);
	outbox_attendees_item_set_request (item);
	item->removed = FALSE;
	item->given_up = FALSE;
	item->generation++;
	outbox_item_renew_locked (outbox, item, meeting_id, uncertain);
	outbox_attendees_item_recall_locked (outbox, item);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

void
e_hubspot_outbox_remove (EHubSpotOutbox *outbox,
			 const gchar *uid,
			 JsonNode *request,
			 const gchar *meeting_id,
			 gboolean uncertain)
{
	OutboxItem *item;

	g_return_if_fail (uid != NULL);

	g_mutex_lock (&outbox->lock);

	item = outbox_ensure_item_locked (outbox, uid);
	item->removed = TRUE;
	item->given_up = FALSE;
	if (request && !item->request) {
		item->request = json_node_copy (request);
		item->ended = e_hubspot_attendees_body_is_completed (item->request);
	}
	outbox_item_renew_locked (outbox, item, meeting_id, uncertain);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

static gboolean
outbox_key_has_work_locked (EHubSpotOutbox *outbox,
			    const gchar *uid)
{
	OutboxItem *item = g_hash_table_lookup (outbox->items, uid);

	return item && (item->in_flight != OP_NONE || outbox_next_op_locked (item) != OP_DONE);
}

gboolean
e_hubspot_outbox_has_work (EHubSpotOutbox *outbox,
			   const gchar *uid)
{
	gboolean has_work;

	g_mutex_lock (&outbox->lock);
	has_work = outbox_key_has_work_locked (outbox, uid);
	g_mutex_unlock (&outbox->lock);

	return has_work;
}

gboolean
e_hubspot_outbox_is_sending (EHubSpotOutbox *outbox,
			     const gchar *uid)
{
	gboolean sending;

	g_mutex_lock (&outbox->lock);
	sending = outbox_key_has_work_locked (outbox, uid) || g_hash_table_contains (outbox->unstored_ids, uid);
	g_mutex_unlock (&outbox->lock);

	return sending;
}

gboolean
e_hubspot_outbox_has_series_work (EHubSpotOutbox *outbox,
				  const gchar *uid)
{
	GPtrArray *series;
	gboolean has_work = FALSE;
	guint ii;

	g_return_val_if_fail (outbox != NULL, FALSE);
	g_return_val_if_fail (uid != NULL, FALSE);

	g_mutex_lock (&outbox->lock);
	series = g_hash_table_lookup (outbox->series, uid);
	for (ii = 0; series && ii < series->len && !has_work; ii++) {
		OutboxItem *item = g_ptr_array_index (series, ii);

		has_work = item->in_flight != OP_NONE || outbox_next_op_locked (item) != OP_DONE;
	}
	g_mutex_unlock (&outbox->lock);

	return has_work;
}

gboolean
e_hubspot_outbox_claims_meeting (EHubSpotOutbox *outbox,
				 const gchar *meeting_id,
				 const gchar *title,
				 const gchar *start)
{
	gboolean claimed;
	GList *link;

	g_mutex_lock (&outbox->lock);

	/* Created and maybe not stored yet, or any event's: every meeting
	 * the outbox knows as an event's is linked. */
	claimed = meeting_id && g_hash_table_contains (outbox->linked, meeting_id);

	for (link = outbox->queue.head; link && !claimed; link = link->next) {
		OutboxItem *item = link->data;
		EHubSpotLookupKey key;

		if (!item->meeting_id && !item->given_up && e_hubspot_requests_lookup_key (item->request, &key))
			claimed = e_hubspot_requests_key_matches (&key, title, start);
	}

	/* The refresh shows it as an event of its own: never adopted. */
	if (!claimed)
		outbox_link_locked (outbox, NULL, meeting_id);

	g_mutex_unlock (&outbox->lock);

	return claimed;
}

void
e_hubspot_outbox_link (EHubSpotOutbox *outbox,
		       const gchar *key,
		       const gchar *meeting_id)
{
	g_return_if_fail (key != NULL);

	g_mutex_lock (&outbox->lock);
	outbox_link_locked (outbox, key, meeting_id);
	g_mutex_unlock (&outbox->lock);
}

/* The settings a person may change while the calendar is open (Evolution's
 * properties page, docs/design.md "Settings and secrets"): they apply to
 * the next request.  The API URL, ids and credentials are not among them. */
void
e_hubspot_outbox_set_policy (EHubSpotOutbox *outbox,
			     const EHubSpotOutboxSettings *settings)
{
	g_return_if_fail (outbox != NULL);
	g_return_if_fail (settings != NULL);

	g_mutex_lock (&outbox->lock);
	outbox->max_in_flight = MAX (settings->max_in_flight, 1);
	outbox->lookup_delay_us = (gint64) settings->lookup_delay_ms * 1000;
	outbox->archive_on_remove = settings->archive_on_remove;
	outbox->create_contacts = settings->create_contacts;
	outbox->associate_companies = settings->associate_companies;
	/* What waits in a batch was planned with the old settings (a
	 * cancel's kind, the attendees): planned again by the next pump. */
	outbox_batch_clear_locked (outbox);
	g_mutex_unlock (&outbox->lock);

	/* More requests may go at once now. */
	outbox_schedule_pump (outbox);
}

void
e_hubspot_outbox_set_owner_email (EHubSpotOutbox *outbox,
				  const gchar *email)
{
	gboolean changed;

	g_mutex_lock (&outbox->lock);
	changed = !outbox->owner_id && email && *email &&
		(g_strcmp0 (email, outbox->owner_email) != 0 || outbox->owner_refused);
	if (changed) {
		g_free (outbox->owner_email);
		outbox->owner_email = g_strdup (email);
		outbox->owner_refused = FALSE;
		outbox->owner_attempts = 0;
		outbox->owner_not_before = 0;
	}
	g_mutex_unlock (&outbox->lock);

	if (changed)
		outbox_schedule_pump (outbox);
}

void
e_hubspot_outbox_set_account_info (EHubSpotOutbox *outbox,
				   const gchar *portal_id,
				   const gchar *ui_domain)
{
	g_mutex_lock (&outbox->lock);
	if (portal_id && ui_domain) {
		g_free (outbox->portal_id);
		g_free (outbox->ui_domain);
		outbox->portal_id = g_strdup (portal_id);
		outbox->ui_domain = g_strdup (ui_domain);
	}
	g_mutex_unlock (&outbox->lock);
}

gboolean
e_hubspot_outbox_dup_account_info (EHubSpotOutbox *outbox,
				   gchar **out_portal_id,
				   gchar **out_ui_domain)
{
	gboolean known;

	g_mutex_lock (&outbox->lock);
	known = outbox->portal_id && outbox->ui_domain;
	*out_portal_id = g_strdup (outbox->portal_id);
	*out_ui_domain = g_strdup (outbox->ui_domain);
	g_mutex_unlock (&outbox->lock);

	return known;
}

/* The backend stored these results in the cache: their ids are known
 * there from now on. */
void
e_hubspot_outbox_results_stored (EHubSpotOutbox *outbox,
				 GPtrArray *results)
{
	guint ii;

	g_mutex_lock (&outbox->lock);
	for (ii = 0; ii < results->len; ii++) {
		EHubSpotOutboxResult *result = g_ptr_array_index (results, ii);

		if (result->kind == E_HUBSPOT_OUTBOX_CREATED &&
		    g_strcmp0 (g_hash_table_lookup (outbox->unstored_ids, result->uid), result->meeting_id) == 0)
			g_hash_table_remove (outbox->unstored_ids, result->uid);
	}
	g_mutex_unlock (&outbox->lock);
}

GPtrArray *
e_hubspot_outbox_steal_results (EHubSpotOutbox *outbox)
{
	GPtrArray *results;

	g_mutex_lock (&outbox->lock);
	results = outbox->results;
	outbox->results = g_ptr_array_new_with_free_func (e_hubspot_outbox_result_free);
	g_mutex_unlock (&outbox->lock);

	return results;
}

gboolean
e_hubspot_outbox_is_idle (EHubSpotOutbox *outbox)
{
	gboolean idle = TRUE;
	GList *link;

	g_mutex_lock (&outbox->lock);
	for (link = outbox->queue.head; link && idle; link = link->next) {
		OutboxItem *item = link->data;

		/* A removed event's end is still to be reported (the pump
		 * drops the item and tells the backend). */
		idle = item->in_flight == OP_NONE && outbox_next_op_locked (item) == OP_DONE &&
			(!item->removed || item->given_up);
	}
	idle = idle && outbox->results->len == 0;
	g_mutex_unlock (&outbox->lock);

	return idle;
}
