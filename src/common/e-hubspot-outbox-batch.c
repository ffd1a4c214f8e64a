/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's writes go to HubSpot in batches: up to E_HUBSPOT_BATCH_MAX
 * of them in one CRM batch call, one request against the rate limit
 * instead of one each (docs/design.md, "Batch calls").  Three kinds are
 * gathered apart: creates of meetings that ended, PATCHes (changes and
 * cancels), archives.  The pump offers each such op here instead of
 * sending it: it goes to the account's EHubSpotBatcher, which gathers
 * the inputs of every calendar of the account with the same token, so
 * that a burst of changes (a push, an import, a series moved, two
 * calendars at once) shares requests.  Until its input goes, an item's
 * op may still be taken back (its event changed); once gone, the item is
 * in flight.  Each answer (per input: the meeting, HubSpot's error, or
 * nothing) is taken as the single call's would be. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-batch.h"
#include "common/e-hubspot-batcher.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"

#include "e-hubspot-outbox-private.h"

/* Which batch op goes in, or -1 for none: future meetings go through the
 * scheduler's call, which has no batch form; associations have their own. */
static gint
outbox_batch_kind_locked (EHubSpotOutbox *outbox,
			  OutboxItem *item,
			  OutboxOp op)
{
	switch (op) {
	case OP_CREATE:
		return item->ended ? E_HUBSPOT_BATCH_CREATE : -1;
	case OP_UPDATE:
		return E_HUBSPOT_BATCH_UPDATE;
	case OP_CANCEL:
		return outbox->archive_on_remove ? E_HUBSPOT_BATCH_ARCHIVE : E_HUBSPOT_BATCH_UPDATE;
	default:
		return -1;
	}
}

gboolean
outbox_batch_could_take_locked (EHubSpotOutbox *outbox,
				OutboxItem *item,
				OutboxOp next_op)
{
	return next_op == OP_ATTENDEES || outbox_batch_kind_locked (outbox, item, next_op) >= 0;
}

static void outbox_batch_done_cb (GObject *source_object,
				  GAsyncResult *result,
				  gpointer user_data);

/* sd's input in a batch of kind; *out_id is the meeting it changes. */
static JsonNode *
outbox_batch_input (EHubSpotBatchKind kind,
		    SendData *sd,
		    const gchar **out_id)
{
	OutboxItem *item = sd->item;

	*out_id = item->meeting_id;

	switch (kind) {
	case E_HUBSPOT_BATCH_CREATE:
		*out_id = NULL;
		return e_hubspot_attendees_crm_create_body (item->request, sd->resolution);
	case E_HUBSPOT_BATCH_UPDATE:
		return outbox_update_body (item, sd->op, sd);
	case E_HUBSPOT_BATCH_ARCHIVE:
		return NULL;
	case E_HUBSPOT_BATCH_READ:
		break;
	}

	g_return_val_if_reached (NULL);
}

gboolean
outbox_batch_offer_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   OutboxOp next_op,
			   OutboxOp op,
			   SendData *sd,
			   gint64 now)
{
	gint kind = outbox_batch_kind_locked (outbox, item, op);
	const gchar *id = NULL;
	JsonNode *input;

	if (kind < 0)
		return FALSE;

	g_warn_if_fail (item->gathered == NULL);

	sd->outbox = outbox;
	sd->item = item;
	sd->op = op;
	sd->next_op = next_op;
	sd->generation = item->generation;
	sd->batch_kind = kind;
	input = outbox_batch_input (kind, sd, &id);

	/* No lookup of the same key while the create may go, or is gone. */
	if (kind == E_HUBSPOT_BATCH_CREATE)
		outbox_hold_busy_locked (sd, outbox->creating_keys, outbox_search_key (item->request));

	/* The account's, made with this calendar's clock if it is the first;
	 * it lives as long as the connection, which outlives this thread's
	 * last task. */
	if (!outbox->batcher)
		outbox->batcher = e_hubspot_connection_get_batcher (outbox->cnc, outbox->clock);

	item->gathered = sd;
	outbox->batch_tasks++;
	sd->ticket = e_hubspot_batcher_submit (outbox->batcher, outbox->credential, kind, id, input,
		outbox->cancellable, outbox_batch_done_cb, sd);

	return TRUE;
}

/* sd no longer says what its item needs, or must go: taken back if it
 * has not gone (its task ends cancelled, and frees it); else the item is
 * in flight, as sd planned it, until its answer. */
static void
outbox_batch_settle_locked (EHubSpotOutbox *outbox,
			    SendData *sd)
{
	OutboxItem *item = sd->item;

	item->gathered = NULL;
	if (e_hubspot_batcher_withdraw (outbox->batcher, sd->ticket)) {
		sd->item = NULL;
		outbox_release_busy_locked (sd);
		return;
	}

	item->in_flight = sd->op;
	item->sent_generation = sd->generation;
}

/* Whether sd still says what its item needs: nothing changed the item
 * since it was planned (a put bumps the generation; a remove, a learnt
 * meeting id or an answer change its next op). */
static gboolean
outbox_batch_is_current_locked (SendData *sd,
				OutboxOp next_op)
{
	return sd->item && sd->generation == sd->item->generation && sd->next_op == next_op;
}

gboolean
outbox_batch_holds_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   OutboxOp next_op)
{
	if (!item->gathered)
		return FALSE;

	if (outbox_batch_is_current_locked (item->gathered, next_op))
		return TRUE;

	outbox_batch_settle_locked (outbox, item->gathered);

	return item->in_flight != OP_NONE;
}

void
outbox_batch_forget_locked (EHubSpotOutbox *outbox,
			    OutboxItem *item)
{
	SendData *sd = item->gathered;

	if (!sd)
		return;

	/* The pump settles a gathered item before it drops it: its input
	 * cannot have gone. */
	outbox_batch_settle_locked (outbox, sd);
	g_warn_if_fail (item->in_flight == OP_NONE);
	sd->item = NULL;
}

void
outbox_batch_clear_locked (EHubSpotOutbox *outbox)
{
	GList *link;

	for (link = outbox->queue.head; link; link = link->next) {
		OutboxItem *item = link->data;

		if (item->gathered)
			outbox_batch_settle_locked (outbox, item->gathered);
	}
}

/* The error an input gets when HubSpot's answer says nothing of it. */
static GError *
outbox_batch_unknown_error (EHubSpotBatchKind kind)
{
	/* A create may have been made: uncertain, looked up.  A PATCH or an
	 * archive is simply sent again (docs/design.md, "Batch calls"). */
	return g_error_new_literal (E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
		kind == E_HUBSPOT_BATCH_CREATE ?
		_("HubSpot’s answer to a batch create says nothing of this meeting") :
		_("HubSpot’s answer to a batch call says nothing of this meeting"));
}

/* A task's end, on the sender thread: the input's outcome, taken as the
 * single call's would be. */
static void
outbox_batch_done_cb (GObject *source_object,
		      GAsyncResult *result,
		      gpointer user_data)
{
	SendData *sd = user_data;
	EHubSpotOutbox *outbox = sd->outbox;
	g_autoptr(JsonNode) meeting = NULL;
	EHubSpotResponseInfo info = { 0, };
	EHubSpotBatchOutcome outcome;
	OutboxItem *item;
	GError *error = NULL;

	outcome = e_hubspot_batcher_submit_finish (outbox->batcher, result, &meeting, &info, &error);

	g_mutex_lock (&outbox->lock);
	outbox->batch_tasks--;
	outbox_release_busy_locked (sd);
	item = sd->item;
	if (item) {
		if (item->gathered == sd)
			item->gathered = NULL;
		item->in_flight = OP_NONE;
		item->sent_generation = sd->generation;
	}

	if (!item || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
	    g_cancellable_is_cancelled (outbox->cancellable)) {
		/* Taken back, or shutting down: the cache keeps the work for
		 * the next start (an input that went is looked up then). */
		g_clear_error (&error);
	} else {
		/* Which token got a 401; the request's place in the budget is
		 * the batcher's to give back. */
		if (info.status)
			outbox_token_request_ended_locked (outbox, &info);

		/* An archive's 207 lists only the failed inputs (results: []):
		 * the others are archived. */
		if (outcome == E_HUBSPOT_BATCH_UNKNOWN && sd->batch_kind != E_HUBSPOT_BATCH_ARCHIVE)
			error = outbox_batch_unknown_error (sd->batch_kind);
		if (outcome != E_HUBSPOT_BATCH_DONE)
			g_clear_pointer (&meeting, json_node_unref);

		if (sd->op == OP_CREATE) {
			outbox_create_done_locked (outbox, item, meeting, error);
			if (meeting && item->meeting_id)
				outbox_attendees_sent_locked (outbox, item, OP_CREATE, sd);
		} else {
			gboolean answered = error == NULL;

			outbox_update_done_locked (outbox, item, sd->op, meeting, error);
			if (answered && sd->op == OP_UPDATE)
				outbox_attendees_sent_locked (outbox, item, sd->op, sd);
		}
	}

	outbox_status_changed_locked (outbox);
	outbox_unlock_and_notify (outbox);

	outbox_send_data_free (sd);
	outbox_schedule_pump (outbox);
}
