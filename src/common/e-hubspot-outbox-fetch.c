/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The network half of a refresh (docs/design.md, "A refresh"): the pages
 * of the owner's meetings in a window, then the known meetings the search
 * did not return, read by batches of up to E_HUBSPOT_BATCH_MAX.  It runs
 * on the sender thread, one request at a time, inside the account's
 * budget: creates and changes never wait behind it, and it never waits on
 * the backend's queue. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"
#include "common/e-hubspot-retry.h"

#include "e-hubspot-outbox-private.h"

#define FETCH_MAX_ATTEMPTS 3
/* HubSpot's search does not page beyond 10,000 results; a server that
 * keeps sending pages (empty ones, new cursors) is stopped after as many
 * pages as 10,000 results fill at the smallest useful page size. */
#define FETCH_MAX_RESULTS 10000
#define FETCH_MAX_PAGES (FETCH_MAX_RESULTS / 100)

typedef struct {
	EHubSpotOutbox *outbox;
	OutboxFetch *fetch;
	EHubSpotBatch *batch;	/* a batch read's, or NULL for a search page */
} FetchStep;

static void
fetch_step_free (FetchStep *step)
{
	g_clear_pointer (&step->batch, e_hubspot_batch_free);
	g_free (step);
}

void
e_hubspot_outbox_fetch_free (EHubSpotOutboxFetch *fetch)
{
	if (!fetch)
		return;

	g_clear_pointer (&fetch->meetings, g_ptr_array_unref);
	g_clear_pointer (&fetch->reads, g_hash_table_unref);
	g_clear_error (&fetch->error);
	g_free (fetch);
}

static void
outbox_fetch_free (OutboxFetch *fetch)
{
	e_hubspot_outbox_fetch_free (fetch->result);
	g_strfreev (fetch->properties);
	g_free (fetch->after);
	g_clear_pointer (&fetch->check_ids, g_ptr_array_unref);
	g_clear_pointer (&fetch->found, g_hash_table_unref);
	g_free (fetch);
}

void
outbox_fetch_clear_locked (EHubSpotOutbox *outbox)
{
	g_clear_pointer (&outbox->fetch, outbox_fetch_free);
	g_clear_pointer (&outbox->fetched, e_hubspot_outbox_fetch_free);
}

/* The fetch is over (error: why it failed): it waits to be taken, and
 * the owner is told once the lock is dropped. */
static void
outbox_fetch_finish_locked (EHubSpotOutbox *outbox,
			    GError *error)
{
	OutboxFetch *fetch = outbox->fetch;

	g_clear_pointer (&outbox->fetched, e_hubspot_outbox_fetch_free);
	outbox->fetched = g_steal_pointer (&fetch->result);
	outbox->fetched->error = error;
	outbox->fetch = NULL;
	outbox_fetch_free (fetch);
	outbox->notify_fetch = TRUE;
}

static void outbox_fetch_done_cb (GObject *source_object,
				  GAsyncResult *async_result,
				  gpointer user_data);

/* Whether meeting_id still has to be read: the search did not return
 * it, and no read answered it yet. */
static gboolean
outbox_fetch_is_unread (OutboxFetch *fetch,
			const gchar *meeting_id)
{
	return !g_hash_table_contains (fetch->found, meeting_id) &&
		!g_hash_table_contains (fetch->result->reads, meeting_id);
}

/* Whether any of check_ids is still to be read; moves next_check past
 * the first ones that are not. */
static gboolean
outbox_fetch_has_unread_locked (OutboxFetch *fetch)
{
	while (fetch->next_check < fetch->check_ids->len) {
		if (outbox_fetch_is_unread (fetch, g_ptr_array_index (fetch->check_ids, fetch->next_check)))
			return TRUE;
		fetch->next_check++;
	}

	return FALSE;
}

/* The next batch read: the first unread of check_ids, up to a full
 * batch.  An input a failed read left unanswered comes first again. */
static EHubSpotBatch *
outbox_fetch_next_batch_locked (OutboxFetch *fetch)
{
	EHubSpotBatch *batch = e_hubspot_batch_new (E_HUBSPOT_BATCH_READ, (const gchar * const *) fetch->properties);
	guint ii;

	for (ii = fetch->next_check; ii < fetch->check_ids->len && !e_hubspot_batch_is_full (batch); ii++) {
		const gchar *meeting_id = g_ptr_array_index (fetch->check_ids, ii);

		if (outbox_fetch_is_unread (fetch, meeting_id))
			e_hubspot_batch_add (batch, meeting_id, NULL);
	}

	return batch;
}

void
outbox_fetch_pump_locked (EHubSpotOutbox *outbox,
			  gint64 now,
			  gint64 *inout_next_wakeup)
{
	OutboxFetch *fetch = outbox->fetch;
	FetchStep *step;

	if (!fetch || fetch->busy)
		return;

	if (fetch->not_before > now) {
		*inout_next_wakeup = MIN (*inout_next_wakeup, fetch->not_before);
		return;
	}

	if (fetch->searching) {
		g_autoptr(JsonNode) body = NULL;

		/* A search counts against the account's limit and the search one. */
		if (!outbox_may_send_locked (outbox, TRUE, now, inout_next_wakeup))
			return;

		body = e_hubspot_requests_window_search_body (outbox->owner_id, fetch->result->from,
			fetch->result->until, (const gchar * const *) fetch->properties, fetch->after);
		step = g_new0 (FetchStep, 1);
		step->outbox = outbox;
		step->fetch = fetch;
		fetch->busy = TRUE;
		outbox->in_flight++;
		e_hubspot_connection_search_meetings (outbox->cnc, outbox->credential, body,
			outbox->cancellable, outbox_fetch_done_cb, step);
	} else {
		gboolean unread = outbox_fetch_has_unread_locked (fetch);

		/* The last step finishes the fetch in its callback. */
		g_return_if_fail (unread);

		/* A batch read is one request: one place in the budget. */
		if (!outbox_may_send_locked (outbox, FALSE, now, inout_next_wakeup))
			return;

		step = g_new0 (FetchStep, 1);
		step->outbox = outbox;
		step->fetch = fetch;
		step->batch = outbox_fetch_next_batch_locked (fetch);
		fetch->busy = TRUE;
		outbox->in_flight++;
		e_hubspot_connection_batch_meetings (outbox->cnc, outbox->credential, step->batch,
			outbox->cancellable, outbox_fetch_done_cb, step);
	}
}

/* A search page came: keep its meetings, and go on to the next page or
 * to the reads.  FALSE when the answer is no search answer. */
static gboolean
outbox_fetch_take_page_locked (OutboxFetch *fetch,
			       JsonNode *response,
			       GError **error)
{
	g_autofree gchar *next = NULL;
	guint first = fetch->result->meetings->len;

	if (!e_hubspot_requests_read_search_page (response, fetch->result->meetings, &next, error))
		return FALSE;

	for (guint ii = first; ii < fetch->result->meetings->len; ii++) {
		gchar *meeting_id = e_hubspot_json_dup_id (g_ptr_array_index (fetch->result->meetings, ii), "id");

		if (meeting_id)
			g_hash_table_add (fetch->found, meeting_id);
	}

	if (next && g_strcmp0 (next, fetch->after) == 0) {
		g_debug ("%s: the search repeats its cursor '%s'; stopping", G_STRFUNC, next);
		g_clear_pointer (&next, g_free);
	} else if (next && fetch->result->meetings->len >= FETCH_MAX_RESULTS) {
		g_message ("HubSpot lists more than %d meetings in the calendar’s window; the rest are not shown",
			FETCH_MAX_RESULTS);
		g_clear_pointer (&next, g_free);
	} else if (next && ++fetch->n_pages >= FETCH_MAX_PAGES) {
		g_message ("HubSpot’s search went on for %d pages; the rest are not read", FETCH_MAX_PAGES);
		g_clear_pointer (&next, g_free);
	}

	g_free (fetch->after);
	fetch->after = g_steal_pointer (&next);
	fetch->searching = fetch->after != NULL;

	return TRUE;
}

/* A batch read came: each meeting read is kept, and each one HubSpot does
 * not find is kept as a null node (gone), as a single GET's 404 would
 * say.  FALSE when an input is left unanswered (another failure, or the
 * answer does not name it) or the answer is no batch answer: error is
 * the first such input's, and the fetch retries those inputs. */
static gboolean
outbox_fetch_take_reads_locked (OutboxFetch *fetch,
				EHubSpotBatch *batch,
				JsonNode *response,
				GError **error)
{
	GError *first = NULL;
	guint ii;

	if (!e_hubspot_batch_read_answer (batch, response, error))
		return FALSE;

	for (ii = 0; ii < e_hubspot_batch_get_length (batch); ii++) {
		const gchar *meeting_id = e_hubspot_batch_get_id (batch, ii);
		const GError *failure = NULL;
		JsonNode *meeting = NULL;

		switch (e_hubspot_batch_get_outcome (batch, ii, &meeting, &failure)) {
		case E_HUBSPOT_BATCH_DONE:
			g_hash_table_insert (fetch->result->reads, g_strdup (meeting_id), json_node_copy (meeting));
			break;
		case E_HUBSPOT_BATCH_FAILED:
			if (g_error_matches (failure, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND))
				g_hash_table_insert (fetch->result->reads, g_strdup (meeting_id), json_node_new (JSON_NODE_NULL));
			else if (!first)
				first = g_error_copy (failure);
			break;
		case E_HUBSPOT_BATCH_UNKNOWN:
			if (!first)
				first = g_error_new (E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
					_("HubSpot’s answer to a batch read says nothing of meeting %s"), meeting_id);
			break;
		}
	}

	if (first) {
		g_propagate_error (error, first);
		return FALSE;
	}

	return TRUE;
}

static void
outbox_fetch_done_cb (GObject *source_object,
		      GAsyncResult *async_result,
		      gpointer user_data)
{
	FetchStep *step = user_data;
	EHubSpotOutbox *outbox = step->outbox;
	OutboxFetch *fetch = step->fetch;
	EHubSpotResponseInfo info = { 0, };
	g_autoptr(JsonNode) response = NULL;
	g_autoptr(GError) error = NULL;
	gint64 delay_ms;

	response = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), async_result, &info, &error);

	g_mutex_lock (&outbox->lock);
	outbox_request_ended_locked (outbox, &info, step->batch == NULL);
	fetch->busy = FALSE;

	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* Shutting down: the next refresh asks again. */
		g_mutex_unlock (&outbox->lock);
		fetch_step_free (step);
		return;
	}

	/* What each input's answer says is kept even when another's failed. */
	if (response && !(step->batch ?
			  outbox_fetch_take_reads_locked (fetch, step->batch, response, &error) :
			  outbox_fetch_take_page_locked (fetch, response, &error)))
		g_clear_pointer (&response, json_node_unref);

	if (response) {
		fetch->attempts = 0;
		if (!fetch->searching && !outbox_fetch_has_unread_locked (fetch))
			outbox_fetch_finish_locked (outbox, NULL);
	} else if (!outbox_note_failure_locked (outbox, error, &fetch->attempts, &delay_ms)) {
		/* 401 and 429 made the whole outbox wait; anything else is
		 * tried a few times, then left to the next refresh. */
		if (delay_ms == E_HUBSPOT_RETRY_NEVER || fetch->attempts >= FETCH_MAX_ATTEMPTS) {
			g_debug ("%s: the refresh gives up: %s", G_STRFUNC, error->message);
			outbox_fetch_finish_locked (outbox, g_steal_pointer (&error));
		} else {
			g_debug ("%s: %s; again in %" G_GINT64_FORMAT " ms", G_STRFUNC, error->message, delay_ms);
			fetch->not_before = e_hubspot_clock_get_monotonic (outbox->clock) + delay_ms * 1000;
		}
	}

	fetch_step_free (step);
	outbox_unlock_and_notify (outbox);

	outbox_schedule_pump (outbox);
}

gboolean
e_hubspot_outbox_start_fetch (EHubSpotOutbox *outbox,
			      gint64 from,
			      gint64 until,
			      const gchar * const *properties,
			      GPtrArray *check_ids)
{
	OutboxFetch *fetch;

	g_return_val_if_fail (outbox != NULL, FALSE);
	g_return_val_if_fail (properties != NULL, FALSE);

	g_mutex_lock (&outbox->lock);
	if (outbox->fetch || outbox->fetched) {
		g_mutex_unlock (&outbox->lock);
		return FALSE;
	}

	fetch = g_new0 (OutboxFetch, 1);
	fetch->result = g_new0 (EHubSpotOutboxFetch, 1);
	fetch->result->from = from;
	fetch->result->until = until;
	fetch->result->meetings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
	fetch->result->reads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
	fetch->properties = g_strdupv ((gchar **) properties);
	fetch->searching = TRUE;
	fetch->check_ids = g_ptr_array_new_with_free_func (g_free);
	for (guint ii = 0; check_ids && ii < check_ids->len; ii++)
		g_ptr_array_add (fetch->check_ids, g_strdup (g_ptr_array_index (check_ids, ii)));
	fetch->found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	outbox->fetch = fetch;
	outbox_status_changed_locked (outbox);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);

	return TRUE;
}

EHubSpotOutboxFetch *
e_hubspot_outbox_take_fetch (EHubSpotOutbox *outbox)
{
	EHubSpotOutboxFetch *fetched;

	g_return_val_if_fail (outbox != NULL, NULL);

	g_mutex_lock (&outbox->lock);
	fetched = g_steal_pointer (&outbox->fetched);
	g_mutex_unlock (&outbox->lock);

	return fetched;
}

EHubSpotOutboxFetchState
e_hubspot_outbox_get_fetch_state (EHubSpotOutbox *outbox)
{
	EHubSpotOutboxFetchState state;

	g_return_val_if_fail (outbox != NULL, E_HUBSPOT_OUTBOX_FETCH_NONE);

	g_mutex_lock (&outbox->lock);
	state = outbox->fetched ? E_HUBSPOT_OUTBOX_FETCH_DONE :
		outbox->fetch ? E_HUBSPOT_OUTBOX_FETCH_RUNNING : E_HUBSPOT_OUTBOX_FETCH_NONE;
	g_mutex_unlock (&outbox->lock);

	return state;
}
