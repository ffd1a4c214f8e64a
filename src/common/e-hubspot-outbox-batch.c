/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's writes go to HubSpot in batches: up to E_HUBSPOT_BATCH_MAX
 * of them in one CRM batch call, one request against the rate limit
 * instead of one each (docs/design.md, "Batch calls").  Three kinds are
 * gathered apart: creates of meetings that ended, PATCHes (changes and
 * cancels), archives.  The pump offers each such op here instead of
 * sending it; a batch goes once it is full or once no other came for a
 * moment, so that a burst of changes (a push, an import, a series moved)
 * shares requests.  Each answer (per input: the meeting, HubSpot's error,
 * or nothing) is taken as the single call's would be. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-batch.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"

#include "e-hubspot-outbox-private.h"

/* A batch waits while ops of its kind keep coming, each at most this
 * long after the last (short against the rate limit's window, long
 * between two saves of one burst), and never longer than
 * E_HUBSPOT_OUTBOX_GATHER_MAX_MS after its first. */
#define E_HUBSPOT_OUTBOX_GATHER_MS 200
#define E_HUBSPOT_OUTBOX_GATHER_MAX_MS 2000

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

gboolean
outbox_batch_offer_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   OutboxOp next_op,
			   OutboxOp op,
			   SendData *sd,
			   gint64 now)
{
	OutboxGathering *gathering;
	gint kind = outbox_batch_kind_locked (outbox, item, op);

	if (kind < 0)
		return FALSE;

	g_warn_if_fail (item->gathered == NULL);

	gathering = &outbox->gatherings[kind];
	if (!gathering->gathered)
		gathering->gathered = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_send_data_free);
	if (!gathering->until) {
		gathering->until = now + E_HUBSPOT_OUTBOX_GATHER_MS * 1000;
		gathering->end = now + E_HUBSPOT_OUTBOX_GATHER_MAX_MS * 1000;
	}
	gathering->n_new++;

	sd->outbox = outbox;
	sd->item = item;
	sd->op = op;
	sd->next_op = next_op;
	sd->generation = item->generation;
	item->gathered = sd;
	g_ptr_array_add (gathering->gathered, sd);

	return TRUE;
}

/* Takes sd out of its item: freed when the gathering is next pruned. */
static void
outbox_batch_detach_locked (SendData *sd)
{
	if (sd->item) {
		sd->item->gathered = NULL;
		sd->item = NULL;
	}
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

	outbox_batch_detach_locked (item->gathered);

	return FALSE;
}

void
outbox_batch_forget_locked (EHubSpotOutbox *outbox,
			    OutboxItem *item)
{
	if (item->gathered)
		outbox_batch_detach_locked (item->gathered);
}

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

/* Drops from the gathering of kind what may not go now: the sds of
 * dropped items, those their item outgrew, and creates a lookup in flight
 * could adopt the meeting of (their items are planned again by the next
 * pump). */
static void
outbox_batch_prune_locked (EHubSpotOutbox *outbox,
			   EHubSpotBatchKind kind)
{
	GPtrArray *gathered = outbox->gatherings[kind].gathered;
	guint ii, kept = 0;

	for (ii = 0; ii < gathered->len; ii++) {
		SendData *sd = g_ptr_array_index (gathered, ii);
		OutboxItem *item = sd->item;

		if (item && (!outbox_batch_is_current_locked (sd, outbox_next_op_locked (item)) ||
		    (kind == E_HUBSPOT_BATCH_CREATE && outbox_is_busy_locked (outbox->looking_keys, item->request))))
			outbox_batch_detach_locked (sd);

		if (sd->item)
			g_ptr_array_index (gathered, kept++) = sd;
		else
			outbox_send_data_free (sd);
	}

	/* Kept in place, freed on the way: one move, not one shift each. */
	g_ptr_array_set_free_func (gathered, NULL);
	g_ptr_array_set_size (gathered, kept);
	g_ptr_array_set_free_func (gathered, (GDestroyNotify) outbox_send_data_free);
}

/* Sends up to E_HUBSPOT_BATCH_MAX of what was gathered of kind (pruned,
 * not empty), as one request (its place is taken). */
static void
outbox_batch_start_locked (EHubSpotOutbox *outbox,
			   EHubSpotBatchKind kind)
{
	GPtrArray *gathered = outbox->gatherings[kind].gathered;
	g_autoptr(EHubSpotBatch) batch = NULL;
	SendData *batch_sd;
	guint ii, kept = 0;

	batch = e_hubspot_batch_new (kind, NULL);
	batch_sd = g_new0 (SendData, 1);
	batch_sd->outbox = outbox;
	batch_sd->batch_sds = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_send_data_free);

	/* What the batch has no room for stays gathered, in its order, and
	 * so does a second change of a meeting (two keys of one meeting):
	 * it waits for a later batch, so that the changes stay in order. */
	for (ii = 0; ii < gathered->len; ii++) {
		SendData *sd = g_ptr_array_index (gathered, ii);
		g_autoptr(JsonNode) input = NULL;
		const gchar *id = NULL;

		if (!e_hubspot_batch_is_full (batch)) {
			input = outbox_batch_input (kind, sd, &id);
			if (e_hubspot_batch_add (batch, id, input) != G_MAXUINT) {
				sd->item->gathered = NULL;
				g_ptr_array_add (batch_sd->batch_sds, sd);
				continue;
			}
		}

		g_ptr_array_index (gathered, kept++) = sd;
	}

	g_ptr_array_set_free_func (gathered, NULL);
	g_ptr_array_set_size (gathered, kept);
	g_ptr_array_set_free_func (gathered, (GDestroyNotify) outbox_send_data_free);

	/* A PATCH or an archive alone: the single call costs the same, and
	 * its answer is the plainer.  A create stays a batch create (its
	 * meeting is logged through the CRM, not the scheduler). */
	if (kind != E_HUBSPOT_BATCH_CREATE && batch_sd->batch_sds->len == 1) {
		SendData *sd = g_ptr_array_steal_index (batch_sd->batch_sds, 0);

		outbox_send_data_free (batch_sd);
		outbox_start_locked (outbox, sd->item, sd->op, sd);
		return;
	}

	for (ii = 0; ii < batch_sd->batch_sds->len; ii++) {
		SendData *sd = g_ptr_array_index (batch_sd->batch_sds, ii);
		OutboxItem *item = sd->item;

		item->in_flight = sd->op;
		item->sent_generation = item->generation;
		/* No lookup of the same key until a create is answered. */
		if (kind == E_HUBSPOT_BATCH_CREATE)
			outbox_hold_busy_locked (batch_sd, outbox->creating_keys, outbox_search_key (item->request));
	}

	outbox->in_flight++;
	batch_sd->batch = g_steal_pointer (&batch);

	g_debug ("%s: %u inputs in one %s", G_STRFUNC, batch_sd->batch_sds->len,
		e_hubspot_batch_get_path (batch_sd->batch));
	e_hubspot_connection_batch_meetings (outbox->cnc, outbox->credential, batch_sd->batch,
		outbox->cancellable, outbox_send_done_cb, batch_sd);
}

static void
outbox_gathering_pump_locked (EHubSpotOutbox *outbox,
			      EHubSpotBatchKind kind,
			      gint64 now,
			      gint64 *inout_next_wakeup)
{
	OutboxGathering *gathering = &outbox->gatherings[kind];

	/* More came since the last pump: wait for others a while longer. */
	if (gathering->n_new > 0) {
		gathering->until = MIN (now + E_HUBSPOT_OUTBOX_GATHER_MS * 1000, gathering->end);
		gathering->n_new = 0;
	}

	while (gathering->gathered && gathering->gathered->len > 0 &&
	       outbox->in_flight < outbox->max_in_flight) {
		/* Not full, and more may come: wait a little for them. */
		if (gathering->gathered->len < E_HUBSPOT_BATCH_MAX && now < gathering->until) {
			*inout_next_wakeup = MIN (*inout_next_wakeup, gathering->until);
			break;
		}

		if (!outbox_could_send_locked (outbox, now, inout_next_wakeup))
			break;

		/* Only what may go now is looked at once more, and only
		 * when a batch can go: not on every pump. */
		outbox_batch_prune_locked (outbox, kind);
		if (!gathering->gathered->len ||
		    !outbox_may_send_locked (outbox, FALSE, now, inout_next_wakeup))
			break;

		outbox_batch_start_locked (outbox, kind);
	}

	/* All went, or what was is gone: the next one gathers anew. */
	if (!gathering->gathered || !gathering->gathered->len)
		gathering->until = 0;
}

void
outbox_batch_pump_locked (EHubSpotOutbox *outbox,
			  gint64 now,
			  gint64 *inout_next_wakeup)
{
	guint kind;

	for (kind = 0; kind < OUTBOX_N_GATHERINGS; kind++)
		outbox_gathering_pump_locked (outbox, kind, now, inout_next_wakeup);
}

void
outbox_batch_clear_locked (EHubSpotOutbox *outbox)
{
	guint kind, ii;

	for (kind = 0; kind < OUTBOX_N_GATHERINGS; kind++) {
		GPtrArray *gathered = outbox->gatherings[kind].gathered;

		for (ii = 0; gathered && ii < gathered->len; ii++)
			outbox_batch_detach_locked (g_ptr_array_index (gathered, ii));
		g_clear_pointer (&outbox->gatherings[kind].gathered, g_ptr_array_unref);
		outbox->gatherings[kind].until = 0;
		outbox->gatherings[kind].n_new = 0;
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

void
outbox_batch_done_locked (EHubSpotOutbox *outbox,
			  SendData *batch_sd,
			  JsonNode *response,
			  const GError *error)
{
	EHubSpotBatchKind kind = e_hubspot_batch_get_kind (batch_sd->batch);
	g_autoptr(GError) reading_error = NULL;
	gboolean read;
	guint ii;

	read = !error && e_hubspot_batch_read_answer (batch_sd->batch, response, &reading_error);

	for (ii = 0; ii < batch_sd->batch_sds->len; ii++) {
		SendData *sd = g_ptr_array_index (batch_sd->batch_sds, ii);
		OutboxItem *item = sd->item;
		OutboxOp op = item->in_flight;
		const GError *failure = NULL;
		JsonNode *meeting = NULL;
		GError *item_error = NULL;

		item->in_flight = OP_NONE;

		if (error) {
			item_error = g_error_copy (error);
		} else if (!read) {
			item_error = g_error_copy (reading_error);
		} else {
			switch (e_hubspot_batch_get_outcome (batch_sd->batch, ii, &meeting, &failure)) {
			case E_HUBSPOT_BATCH_DONE:
				break;
			case E_HUBSPOT_BATCH_FAILED:
				item_error = g_error_copy (failure);
				break;
			case E_HUBSPOT_BATCH_UNKNOWN:
				/* An archive's 207 lists only the failed inputs
				 * (results: []): the others are archived. */
				if (kind != E_HUBSPOT_BATCH_ARCHIVE)
					item_error = outbox_batch_unknown_error (kind);
				break;
			}
		}

		if (op == OP_CREATE) {
			outbox_create_done_locked (outbox, item, meeting, item_error);
			if (meeting && item->meeting_id)
				outbox_attendees_sent_locked (outbox, item, OP_CREATE, sd);
		} else {
			gboolean answered = item_error == NULL;

			outbox_update_done_locked (outbox, item, op, meeting, item_error);
			if (answered && op == OP_UPDATE)
				outbox_attendees_sent_locked (outbox, item, op, sd);
		}
	}
}
