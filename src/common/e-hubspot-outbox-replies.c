/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the outbox does with HubSpot's answers: adopt the meeting, retry
 * later, pause everything (429, 401), look an uncertain create up, or give
 * up and tell the backend. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"
#include "common/e-hubspot-retry.h"

#include "e-hubspot-outbox-private.h"

/* A request that failed on the way may still have reached HubSpot: only
 * a refused or unresolvable connection proves it did not. */
static gboolean
outbox_error_is_uncertain (const GError *error)
{
	if (error->domain == E_HUBSPOT_ERROR)
		return error->code == E_HUBSPOT_ERROR_BAD_RESPONSE || error->code == E_HUBSPOT_ERROR_SERVER;

	return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) &&
		!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) &&
		!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) &&
		!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) &&
		error->domain != G_RESOLVER_ERROR;
}

gboolean
outbox_handle_account_error_locked (EHubSpotOutbox *outbox,
				    const GError *error)
{
	gboolean daily;
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	gint64 delay_ms;

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_UNAUTHORIZED)) {
		/* What waits in the batcher would carry the refused token:
		 * it waits here for the next one. */
		outbox_batch_clear_locked (outbox);

		/* Signed in with HubSpot: EDS renews the token, the request
		 * waits for it. */
		if (outbox_token_refused_locked (outbox, error))
			return TRUE;

		/* Keep the work, wait for a new token. */
		if (!outbox->paused_for_credentials && !outbox->notify_rejected)
			outbox->notify_rejected = g_error_copy (error);
		outbox->paused_for_credentials = TRUE;
		return TRUE;
	}

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_RATE_LIMITED)) {
		/* The whole account is limited, not this request: everything waits. */
		delay_ms = e_hubspot_retry_delay_ms (error, 1, e_hubspot_budget_get_interval_ms (outbox->budget),
			e_hubspot_clock_get_real (outbox->clock) / G_USEC_PER_SEC, outbox->rand);
		daily = g_strcmp0 (e_hubspot_error_get_policy_name (error), "DAILY") == 0;
		/* The account's pause: every calendar of the account waits. */
		e_hubspot_budget_pause_until (outbox->budget, now + delay_ms * 1000, daily ? "daily-limit" : "rate-limit");
		if (daily)
			g_message ("HubSpot's daily limit is reached: sending pauses for %" G_GINT64_FORMAT " s", delay_ms / 1000);
		return TRUE;
	}

	return FALSE;
}

gboolean
outbox_note_failure_locked (EHubSpotOutbox *outbox,
			    const GError *error,
			    guint *inout_attempts,
			    gint64 *out_delay_ms)
{
	g_free (outbox->last_error);
	outbox->last_error = g_strdup (error->message);
	outbox->last_error_at = e_hubspot_clock_get_real (outbox->clock);
	outbox_status_changed_locked (outbox);

	if (outbox_handle_account_error_locked (outbox, error))
		return TRUE;

	(*inout_attempts)++;
	*out_delay_ms = e_hubspot_retry_delay_ms (error, *inout_attempts, e_hubspot_budget_get_interval_ms (outbox->budget),
		e_hubspot_clock_get_real (outbox->clock) / G_USEC_PER_SEC, outbox->rand);

	return FALSE;
}

/* A meeting's request failed.  Returns TRUE when the error was dealt with
 * (the item waits or the outbox pauses), FALSE when it is permanent for
 * this item. */
gboolean
outbox_handle_transient_locked (EHubSpotOutbox *outbox,
				OutboxItem *item,
				const GError *error,
				gboolean may_have_created)
{
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	gint64 delay_ms;

	if (outbox_note_failure_locked (outbox, error, &item->attempts, &delay_ms))
		return TRUE;

	if (may_have_created && outbox_error_is_uncertain (error)) {
		item->uncertain = TRUE;
		item->lookup_after = now + outbox->lookup_delay_us;
	}

	if (delay_ms == E_HUBSPOT_RETRY_NEVER)
		return FALSE;

	g_debug ("%s: '%s': %s, attempt %u, again in %" G_GINT64_FORMAT " ms", G_STRFUNC,
		item->uid, error->message, item->attempts, delay_ms);
	item->not_before = now + delay_ms * 1000;

	return TRUE;
}

/* Every answer (or failure) frees the request's place among this
 * outbox's requests in flight and in the account's budget, which learns
 * what HubSpot said. */
void
outbox_request_ended_locked (EHubSpotOutbox *outbox,
			     const EHubSpotResponseInfo *info,
			     gboolean search)
{
	outbox->in_flight--;
	outbox_token_request_ended_locked (outbox, info);
	e_hubspot_budget_complete (outbox->budget, search, info->status, info->rate_max, info->rate_remaining,
		info->rate_interval_ms, e_hubspot_clock_get_monotonic (outbox->clock));
}


void
outbox_create_done_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   JsonNode *response,
			   GError *error)
{
	g_autofree gchar *meeting_id = response ? e_hubspot_json_dup_id (response, "id") : NULL;

	if (response && !meeting_id) {
		g_clear_error (&error);
		error = g_error_new_literal (E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s answer has no meeting id"));
	}

	/* A lookup gave this meeting to another event meanwhile (it cannot,
	 * while the create is in flight; a server that answers a create
	 * with an older meeting could): the first link stays, and this event
	 * looks its own meeting up again, or is created anew. */
	if (meeting_id && g_hash_table_contains (outbox->linked, meeting_id) &&
	    g_strcmp0 (g_hash_table_lookup (outbox->linked, meeting_id), item->uid) != 0) {
		g_message ("HubSpot answered the create of '%s' with meeting %s, which is another event's: looked up again",
			item->uid, meeting_id);
		g_clear_pointer (&meeting_id, g_free);
		item->uncertain = TRUE;
		item->lookup_after = e_hubspot_clock_get_monotonic (outbox->clock) + outbox->lookup_delay_us;
		g_clear_error (&error);
		return;
	}

	if (meeting_id) {
		item->meeting_id = g_steal_pointer (&meeting_id);
		outbox_link_locked (outbox, item->uid, item->meeting_id);
		item->synced_generation = item->sent_generation;
		item->uncertain = FALSE;
		item->attempts = 0;
		outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_CREATED, response, NULL);
	} else if (!outbox_handle_transient_locked (outbox, item, error, TRUE)) {
		outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_FAILED, NULL, g_steal_pointer (&error));
		item->given_up = TRUE;
		item->uncertain = FALSE;
	}

	g_clear_error (&error);
}

void
outbox_update_done_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   OutboxOp op,
			   JsonNode *response,
			   GError *error)
{
	if (!error) {
		item->attempts = 0;
		if (op == OP_CANCEL) {
			/* Dropping the item reports it (outbox_pump_cb). */
			outbox_unlink_locked (outbox, item->uid, item->meeting_id);
			g_clear_pointer (&item->meeting_id, g_free);
			item->uncertain = FALSE;
		} else {
			item->synced_generation = item->sent_generation;
			outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_UPDATED, response, NULL);
		}
		return;
	}

	if (op == OP_CANCEL && g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND)) {
		/* Already gone in HubSpot: nothing left to cancel. */
		outbox_unlink_locked (outbox, item->uid, item->meeting_id);
		g_clear_pointer (&item->meeting_id, g_free);
		item->uncertain = FALSE;
	} else if (!outbox_handle_transient_locked (outbox, item, error, FALSE)) {
		if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND)) {
			/* A copy keeps HubSpot's correlation id for the user. */
			GError *gone = g_error_copy (error);
			gchar *message = g_strdup_printf (_("The meeting was deleted in HubSpot; it is not created again (%s)"),
				error->message);

			g_free (gone->message);
			gone->message = message;

			outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_FAILED, NULL, gone);
		} else {
			outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_FAILED, NULL, g_error_copy (error));
		}
		/* Until the user edits it again, nothing more to send. */
		item->given_up = TRUE;
	}

	g_clear_error (&error);
}

static void
outbox_lookup_done_locked (EHubSpotOutbox *outbox,
			   GPtrArray *lookup_items,
			   JsonNode *response,
			   GError *error)
{
	guint ii;

	for (ii = 0; ii < lookup_items->len; ii++) {
		OutboxItem *item = g_ptr_array_index (lookup_items, ii);
		EHubSpotLookupKey key;
		JsonNode *match;

		if (error) {
			if (!outbox_handle_transient_locked (outbox, item, error, FALSE)) {
				/* The search is refused: create anyway rather than
				 * never; a duplicate beats a lost meeting. */
				item->uncertain = FALSE;
			}
			item->lookup_after = MAX (item->lookup_after, item->not_before);
			continue;
		}

		if (!e_hubspot_requests_lookup_key (item->request, &key)) {
			item->uncertain = FALSE;
			continue;
		}

		/* Never a meeting another event has (the cache's, the
		 * outbox's, this answer's earlier adoptions). */
		match = e_hubspot_requests_lookup_match (response, item->request, outbox->linked);
		item->uncertain = FALSE;
		item->attempts = 0;
		if (match) {
			item->meeting_id = e_hubspot_json_dup_id (match, "id");
			outbox_link_locked (outbox, item->uid, item->meeting_id);
			/* It has everything the request sets: take it as what
			 * we sent last. */
			item->synced_generation = item->generation;
			g_debug ("%s: '%s' already is meeting %s", G_STRFUNC, item->uid, item->meeting_id);
			if (!item->removed) {
				outbox_attendees_adopted_locked (outbox, item);
				outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_CREATED, match, NULL);
			}
		}
	}

	g_clear_error (&error);
}

void
outbox_send_done_cb (GObject *source_object,
		     GAsyncResult *async_result,
		     gpointer user_data)
{
	SendData *sd = user_data;
	EHubSpotOutbox *outbox = sd->outbox;
	EHubSpotResponseInfo info = { 0, };
	JsonNode *response;
	GError *error = NULL;
	guint ii;

	response = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object),
		async_result, &info, &error);

	g_mutex_lock (&outbox->lock);
	outbox_request_ended_locked (outbox, &info, sd->lookup_items != NULL);
	outbox_release_busy_locked (sd);

	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* Shutting down: the cache keeps the work for the next start. */
		g_clear_error (&error);
		if (sd->item)
			sd->item->in_flight = OP_NONE;
		for (ii = 0; sd->lookup_items && ii < sd->lookup_items->len; ii++)
			((OutboxItem *) g_ptr_array_index (sd->lookup_items, ii))->in_flight = OP_NONE;
	} else if (sd->lookup_items) {
		for (ii = 0; ii < sd->lookup_items->len; ii++)
			((OutboxItem *) g_ptr_array_index (sd->lookup_items, ii))->in_flight = OP_NONE;
		outbox_lookup_done_locked (outbox, sd->lookup_items, response, error);
	} else {
		OutboxOp op = sd->item->in_flight;
		gboolean answered = error == NULL;

		sd->item->in_flight = OP_NONE;
		if (op == OP_CREATE) {
			outbox_create_done_locked (outbox, sd->item, response, error);
			if (answered && sd->item->meeting_id)
				outbox_attendees_sent_locked (outbox, sd->item, op, sd);
		} else if (op == OP_ASSOCIATE) {
			outbox_associate_done_locked (outbox, sd, response, error);
		} else {
			outbox_update_done_locked (outbox, sd->item, op, response, error);
			if (answered && op == OP_UPDATE)
				outbox_attendees_sent_locked (outbox, sd->item, op, sd);
		}
	}

	outbox_status_changed_locked (outbox);
	outbox_unlock_and_notify (outbox);

	g_clear_pointer (&response, json_node_unref);
	outbox_send_data_free (sd);

	outbox_schedule_pump (outbox);
}

/* The owner of the calendar's Email (docs/design.md, "Signing in"): once
 * known, everything may go; an e-mail that is no owner's waits for the
 * user to set another, with the error told (owner_found). */
void
outbox_owner_done_cb (GObject *source_object,
		      GAsyncResult *async_result,
		      gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotResponseInfo info = { 0, };
	g_autofree gchar *owner_id = NULL;
	g_autofree gchar *user_id = NULL;

	gboolean cancelled;

	node = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), async_result, &info, &error);
	cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

	g_mutex_lock (&outbox->lock);
	outbox->owner_busy = FALSE;
	outbox_request_ended_locked (outbox, &info, FALSE);

	/* The Email changed meanwhile: the answer is no more of use, the
	 * new one is asked next. */
	if (cancelled || g_strcmp0 (outbox->owner_asked, outbox->owner_email) != 0) {
		/* nothing learnt */
	} else if (node && e_hubspot_connection_parse_owner (node, outbox->owner_email, &owner_id, &user_id, &error)) {
		outbox->owner_id = g_steal_pointer (&owner_id);
		outbox->organizer_user_id = g_steal_pointer (&user_id);
		g_clear_pointer (&outbox->owner_email, g_free);
		outbox->owner_attempts = 0;
		outbox->notify_owner = TRUE;
		g_clear_error (&outbox->notify_owner_error);
	} else if (error && !outbox_handle_account_error_locked (outbox, error)) {
		gint64 delay_ms = node ? E_HUBSPOT_RETRY_NEVER :
			e_hubspot_retry_delay_ms (error, ++outbox->owner_attempts,
				e_hubspot_budget_get_interval_ms (outbox->budget), e_hubspot_clock_get_real (outbox->clock) / G_USEC_PER_SEC, outbox->rand);

		/* No such owner, or a refusal (a missing scope): only the
		 * user can help; the network is tried again. */
		if (delay_ms == E_HUBSPOT_RETRY_NEVER) {
			outbox->owner_refused = TRUE;
			g_free (outbox->last_error);
			outbox->last_error = g_strdup (error->message);
			outbox->last_error_at = e_hubspot_clock_get_real (outbox->clock);
			outbox->notify_owner = TRUE;
			g_clear_error (&outbox->notify_owner_error);
			outbox->notify_owner_error = g_error_copy (error);
		} else {
			outbox->owner_not_before = e_hubspot_clock_get_monotonic (outbox->clock) + delay_ms * 1000;
			outbox_arm_timer_locked (outbox, outbox->owner_not_before);
		}
	}
	outbox_status_changed_locked (outbox);
	outbox_unlock_and_notify (outbox);

	if (!cancelled)
		outbox_schedule_pump (outbox);
}

void
outbox_account_info_done_cb (GObject *source_object,
			     GAsyncResult *async_result,
			     gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotResponseInfo info = { 0, };

	node = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), async_result, &info, &error);

	g_mutex_lock (&outbox->lock);
	outbox->account_info_busy = FALSE;
	outbox_request_ended_locked (outbox, &info, FALSE);
	if (node) {
		g_autoptr(GError) local_error = NULL;

		/* Without them meetings still get HubSpot's own link: asked once. */
		outbox->account_info_tried = TRUE;
		g_clear_pointer (&outbox->portal_id, g_free);
		g_clear_pointer (&outbox->ui_domain, g_free);
		if (!e_hubspot_connection_parse_account_info (node, &outbox->portal_id, &outbox->ui_domain, &local_error))
			g_debug ("%s: %s", G_STRFUNC, local_error->message);
	} else if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
		   !outbox_handle_account_error_locked (outbox, error)) {
		gint64 delay_ms = e_hubspot_retry_delay_ms (error, ++outbox->account_info_attempts,
			e_hubspot_budget_get_interval_ms (outbox->budget), e_hubspot_clock_get_real (outbox->clock) / G_USEC_PER_SEC, outbox->rand);

		/* A refusal is final (meetings then carry HubSpot's own link
		 * only); the network is tried again, first. */
		g_debug ("%s: no account details: %s", G_STRFUNC, error->message);
		if (delay_ms == E_HUBSPOT_RETRY_NEVER) {
			outbox->account_info_tried = TRUE;
		} else {
			outbox->account_info_not_before = e_hubspot_clock_get_monotonic (outbox->clock) + delay_ms * 1000;
			outbox_arm_timer_locked (outbox, outbox->account_info_not_before);
		}
	}
	outbox_unlock_and_notify (outbox);

	if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		outbox_schedule_pump (outbox);
}
