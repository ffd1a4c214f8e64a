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
		return e_hubspot_attendees_body_is_completed (item->request) ? E_HUBSPOT_BATCH_CREATE : -1;
	case OP_UPDATE:
		return E_HUBSPOT_BATCH_UPDATE;
	case OP_CANCEL:
		return outbox->archive_on_remove ? E_HUBSPOT_BATCH_ARCHIVE : E_HUBSPOT_BATCH_UPDATE;
	default:
		return -1;
	}
}

gboolean
outbox_batch_offer_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   OutboxOp op,
			   SendData *sd,
			   gint64 now)
{
	OutboxGathering *gathering;
	gint kind = outbox_batch_kind_locked (outbox, item, op);

	if (kind < 0)
		return FALSE;

	gathering = &outbox->gatherings[kind];
	if (!gathering->gathered)
		gathering->gathered = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_send_data_free);
	if (!gathering->until) {
		gathering->until = now + E_HUBSPOT_OUTBOX_GATHER_MS * 1000;
		gathering->end = now + E_HUBSPOT_OUTBOX_GATHER_MAX_MS * 1000;
		gathering->n_last = 0;
	}

	sd->outbox = outbox;
	sd->item = item;
	sd->op = op;
	g_ptr_array_add (gathering->gathered, sd);

	return TRUE;
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

/* Sends up to E_HUBSPOT_BATCH_MAX of what was gathered of kind, as one
 * request (its place is taken). */
static void
outbox_batch_start_locked (EHubSpotOutbox *outbox,
			   EHubSpotBatchKind kind)
{
	OutboxGathering *gathering = &outbox->gatherings[kind];
	g_autoptr(EHubSpotBatch) batch = NULL;
	SendData *batch_sd;
	guint ii;

	/* A PATCH or an archive alone: the single call costs the same, and
	 * its answer is the plainer.  A create stays a batch create (its
	 * meeting is logged through the CRM, not the scheduler). */
	if (kind != E_HUBSPOT_BATCH_CREATE && gathering->gathered->len == 1) {
		SendData *sd = g_ptr_array_steal_index (gathering->gathered, 0);

		outbox_start_locked (outbox, sd->item, sd->op, sd);
		return;
	}

	batch = e_hubspot_batch_new (kind, NULL);
	batch_sd = g_new0 (SendData, 1);
	batch_sd->outbox = outbox;
	batch_sd->batch_sds = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_send_data_free);

	for (ii = 0; ii < gathering->gathered->len && !e_hubspot_batch_is_full (batch); ii++) {
		SendData *sd = g_ptr_array_index (gathering->gathered, ii);
		OutboxItem *item = sd->item;
		g_autoptr(JsonNode) input = NULL;
		const gchar *id = NULL;

		input = outbox_batch_input (kind, sd, &id);
		/* One change per meeting in a batch (two keys of one meeting):
		 * the other waits for a later pump, so that they stay in order. */
		if (e_hubspot_batch_add (batch, id, input) == G_MAXUINT) {
			g_ptr_array_index (gathering->gathered, ii) = NULL;
			outbox_send_data_free (sd);
			continue;
		}

		item->in_flight = sd->op;
		item->sent_generation = item->generation;
		/* No lookup of the same key until a create is answered. */
		if (kind == E_HUBSPOT_BATCH_CREATE)
			outbox_hold_busy_locked (batch_sd, outbox->creating_keys, outbox_search_key (item->request));
		g_ptr_array_add (batch_sd->batch_sds, sd);
	}

	/* Taken by the batch: out of the gathered ones in one move, not
	 * one shift of the rest for each. */
	g_ptr_array_set_free_func (gathering->gathered, NULL);
	g_ptr_array_remove_range (gathering->gathered, 0, ii);
	g_ptr_array_set_free_func (gathering->gathered, (GDestroyNotify) outbox_send_data_free);

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

	if (!gathering->gathered || !gathering->gathered->len) {
		/* Nothing gathered (what was is gone, or waits): the next
		 * one gathers anew. */
		if (now >= gathering->until)
			gathering->until = 0;
		g_clear_pointer (&gathering->gathered, g_ptr_array_unref);
		return;
	}

	/* More came since the last pump: wait for others a while longer. */
	if (gathering->gathered->len > gathering->n_last) {
		gathering->until = MIN (now + E_HUBSPOT_OUTBOX_GATHER_MS * 1000, gathering->end);
		gathering->n_last = gathering->gathered->len;
	}

	while (gathering->gathered->len > 0 && outbox->in_flight < outbox->max_in_flight) {
		/* Not full, and more may come: wait a little for them. */
		if (gathering->gathered->len < E_HUBSPOT_BATCH_MAX && now < gathering->until) {
			*inout_next_wakeup = MIN (*inout_next_wakeup, gathering->until);
			break;
		}

		if (!outbox_may_send_locked (outbox, FALSE, now, inout_next_wakeup))
			break;

		outbox_batch_start_locked (outbox, kind);
	}

	/* All went: the next one gathers anew. */
	if (!gathering->gathered->len)
		gathering->until = 0;
	gathering->n_last = gathering->gathered->len;

	/* What did not go is offered again by the next pump, with what its
	 * event and attendees are then. */
	g_clear_pointer (&gathering->gathered, g_ptr_array_unref);
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
	guint kind;

	for (kind = 0; kind < OUTBOX_N_GATHERINGS; kind++) {
		g_clear_pointer (&outbox->gatherings[kind].gathered, g_ptr_array_unref);
		outbox->gatherings[kind].until = 0;
		outbox->gatherings[kind].n_last = 0;
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
