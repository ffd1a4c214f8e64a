/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Meetings that ended go to HubSpot in batches: up to E_HUBSPOT_BATCH_MAX
 * of them in one CRM batch create, one request against the rate limit
 * instead of one each (docs/design.md, "Batch calls").  The pump offers
 * each such create here instead of sending it; the batch goes once it is
 * full or once no other came for a moment, so that a burst of events (a
 * push, an import) shares requests.  Each answer
 * (per input: the meeting, HubSpot's error, or nothing) is taken as the
 * single create's would be. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-batch.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"

#include "e-hubspot-outbox-private.h"

/* A batch waits while meetings that ended keep coming, each at most this
 * long after the last (short against the rate limit's window, long
 * between two saves of one burst), and never longer than
 * E_HUBSPOT_OUTBOX_GATHER_MAX_MS after its first. */
#define E_HUBSPOT_OUTBOX_GATHER_MS 200
#define E_HUBSPOT_OUTBOX_GATHER_MAX_MS 2000

gboolean
outbox_batch_offer_locked (EHubSpotOutbox *outbox,
			   OutboxItem *item,
			   SendData *sd,
			   gint64 now)
{
	if (!e_hubspot_attendees_body_is_completed (item->request))
		return FALSE;

	if (!outbox->gathered)
		outbox->gathered = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_send_data_free);
	if (!outbox->batch_gather_until) {
		outbox->batch_gather_until = now + E_HUBSPOT_OUTBOX_GATHER_MS * 1000;
		outbox->batch_gather_end = now + E_HUBSPOT_OUTBOX_GATHER_MAX_MS * 1000;
		outbox->batch_gathered = 0;
	}

	sd->outbox = outbox;
	sd->item = item;
	g_ptr_array_add (outbox->gathered, sd);

	return TRUE;
}

/* Sends up to E_HUBSPOT_BATCH_MAX of what was gathered, as one request. */
static void
outbox_batch_start_locked (EHubSpotOutbox *outbox)
{
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_CREATE, NULL);
	SendData *batch_sd = g_new0 (SendData, 1);
	guint ii, n = MIN (outbox->gathered->len, E_HUBSPOT_BATCH_MAX);

	batch_sd->outbox = outbox;
	batch_sd->batch_sds = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_send_data_free);

	for (ii = 0; ii < n; ii++) {
		SendData *sd = g_ptr_array_index (outbox->gathered, ii);
		OutboxItem *item = sd->item;
		g_autoptr(JsonNode) input = e_hubspot_attendees_crm_create_body (item->request, sd->resolution);

		item->in_flight = OP_CREATE;
		item->sent_generation = item->generation;
		/* No lookup of the same key until it is answered. */
		outbox_hold_busy_locked (batch_sd, outbox->creating_keys, outbox_search_key (item->request));
		e_hubspot_batch_add (batch, NULL, input);
		g_ptr_array_add (batch_sd->batch_sds, sd);
	}

	/* Taken by the batch: out of the gathered ones in one move, not
	 * one shift of the rest for each. */
	g_ptr_array_set_free_func (outbox->gathered, NULL);
	g_ptr_array_remove_range (outbox->gathered, 0, n);
	g_ptr_array_set_free_func (outbox->gathered, (GDestroyNotify) outbox_send_data_free);

	outbox->in_flight++;
	batch_sd->batch = g_steal_pointer (&batch);

	g_debug ("%s: %u meetings that ended in one batch create", G_STRFUNC, n);
	e_hubspot_connection_batch_meetings (outbox->cnc, outbox->credential, batch_sd->batch,
		outbox->cancellable, outbox_send_done_cb, batch_sd);
}

void
outbox_batch_pump_locked (EHubSpotOutbox *outbox,
			  gint64 now,
			  gint64 *inout_next_wakeup)
{
	if (!outbox->gathered || !outbox->gathered->len) {
		/* Nothing gathered (what was is gone, or waits): the next
		 * one gathers anew. */
		if (now >= outbox->batch_gather_until)
			outbox->batch_gather_until = 0;
		return;
	}

	/* More came since the last pump: wait for others a while longer. */
	if (outbox->gathered->len > outbox->batch_gathered) {
		outbox->batch_gather_until = MIN (now + E_HUBSPOT_OUTBOX_GATHER_MS * 1000, outbox->batch_gather_end);
		outbox->batch_gathered = outbox->gathered->len;
	}

	while (outbox->gathered->len > 0 && outbox->in_flight < outbox->max_in_flight) {
		/* Not full, and more may come: wait a little for them. */
		if (outbox->gathered->len < E_HUBSPOT_BATCH_MAX && now < outbox->batch_gather_until) {
			*inout_next_wakeup = MIN (*inout_next_wakeup, outbox->batch_gather_until);
			break;
		}

		if (!outbox_may_send_locked (outbox, FALSE, now, inout_next_wakeup))
			break;

		outbox_batch_start_locked (outbox);
	}

	/* All went: the next one gathers anew. */
	if (!outbox->gathered->len)
		outbox->batch_gather_until = 0;
	outbox->batch_gathered = outbox->gathered->len;

	/* What did not go is offered again by the next pump, with what its
	 * attendees are then. */
	g_clear_pointer (&outbox->gathered, g_ptr_array_unref);
}

void
outbox_batch_clear_locked (EHubSpotOutbox *outbox)
{
	g_clear_pointer (&outbox->gathered, g_ptr_array_unref);
	outbox->batch_gather_until = 0;
	outbox->batch_gathered = 0;
}

void
outbox_batch_done_locked (EHubSpotOutbox *outbox,
			  SendData *batch_sd,
			  JsonNode *response,
			  const GError *error)
{
	g_autoptr(GError) reading_error = NULL;
	gboolean read;
	guint ii;

	read = !error && e_hubspot_batch_read_answer (batch_sd->batch, response, &reading_error);

	for (ii = 0; ii < batch_sd->batch_sds->len; ii++) {
		SendData *sd = g_ptr_array_index (batch_sd->batch_sds, ii);
		OutboxItem *item = sd->item;
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
				/* It may have been made: uncertain, looked up. */
				item_error = g_error_new_literal (E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
					_("HubSpot’s answer to a batch create says nothing of this meeting"));
				break;
			}
		}

		outbox_create_done_locked (outbox, item, meeting, item_error);
		if (meeting && item->meeting_id)
			outbox_attendees_sent_locked (outbox, item, OP_CREATE, sd);
	}
}
