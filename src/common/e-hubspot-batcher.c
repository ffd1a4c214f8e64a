/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The account's batches (docs/design.md, "Batch calls"): the calendars'
 * outboxes hand their batchable writes here; they wait together, by kind
 * and by token (a request carries one token), and go 100 to a request,
 * once no other came for a moment, at most a little after the first.
 * Each request takes one place in the account's budget.  The answer is
 * read once (EHubSpotBatch) and each input's outcome goes back to its
 * own task, on its submitter's context.
 *
 * Lock order (docs/design.md, "Locks"): an outbox's lock, then the
 * batcher's, then a budget's or a credential's.  The batcher never calls
 * back with its lock held: tasks end (g_task_return_* ()) on the
 * batcher's thread only, with no lock held, and so never on their
 * submitter's thread, whose lock may be held. */

#include <string.h>

#include "e-hubspot-batcher.h"

typedef struct {
	guint ticket;
	EHubSpotBatchKind kind;
	gchar *key;			/* its gathering's: kind and the token's hash */
	gchar *id;			/* the meeting, or NULL for a create */
	JsonNode *input;
	EHubSpotCredential *credential;
	guint serial;			/* of the credential's token when checked last */
	GTask *task;
	GCancellable *cancellable;
	gulong cancelled_id;
	gboolean sent;			/* in a request: no longer withdrawn */
	gboolean ending;		/* ends cancelled at the next pump */
} Entry;

typedef struct {
	gchar *key;
	EHubSpotBatchKind kind;
	GPtrArray *entries;		/* Entry * (the batcher's), in arrival order */
	gint64 until;			/* monotonic µs: waits for others until then... */
	gint64 end;			/* ...but never past this */
} Gathering;

typedef struct {
	EHubSpotBatcher *batcher;	/* referenced */
	EHubSpotCredential *credential;	/* the token it carries */
	EHubSpotBatch *batch;		/* NULL: a single PATCH or DELETE */
	EHubSpotBatchKind kind;
	gchar *id;			/* a single call's */
	JsonNode *input;		/* a single call's */
	GArray *tickets;		/* guint, in the batch's order */
	GPtrArray *ids;			/* gchar *: the meetings it changes */
} Request;

typedef struct {
	EHubSpotBatchOutcome outcome;
	JsonNode *meeting;
	EHubSpotResponseInfo info;
	GError *error;
} Outcome;

typedef struct {
	EHubSpotBatcher *batcher;	/* referenced */
	guint ticket;
} CancelData;

struct _EHubSpotBatcher {
	gint ref_count;

	GMutex lock;			/* after an outbox's, before a budget's or a credential's */
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	GCancellable *cancellable;	/* the batcher's own requests, at shutdown */
	EHubSpotConnection *cnc;	/* not referenced (it owns the batcher); NULL once stopped */
	EHubSpotBudget *budget;
	EHubSpotClock *clock;
	guint budget_waker;
	gint budget_blocked;		/* atomic: only another request's end frees a place */
	gint pump_scheduled;		/* atomic */
	gboolean stopping;

	GHashTable *entries;		/* ticket ~> Entry *, until its task ends */
	GArray *ending;			/* tickets (guint) of the entries to end cancelled */
	GHashTable *busy_ids;		/* meeting ids a request in flight changes */
	GHashTable *gatherings;		/* key ~> Gathering * */
	guint next_ticket;
	guint in_flight;
	GSource *timer;
	gint64 timer_due;
};

static void
entry_free (Entry *entry)
{
	g_free (entry->key);
	g_free (entry->id);
	g_clear_pointer (&entry->input, json_node_unref);
	g_clear_object (&entry->credential);
	g_clear_object (&entry->task);
	g_clear_object (&entry->cancellable);
	g_free (entry);
}

static void
gathering_free (Gathering *gathering)
{
	g_free (gathering->key);
	g_ptr_array_unref (gathering->entries);
	g_free (gathering);
}

static void
request_free (Request *request)
{
	e_hubspot_batcher_unref (request->batcher);
	g_clear_object (&request->credential);
	g_clear_pointer (&request->batch, e_hubspot_batch_free);
	g_free (request->id);
	g_clear_pointer (&request->input, json_node_unref);
	g_array_unref (request->tickets);
	g_ptr_array_unref (request->ids);
	g_free (request);
}

static void
outcome_free (gpointer ptr)
{
	Outcome *outcome = ptr;

	g_clear_pointer (&outcome->meeting, json_node_unref);
	g_clear_error (&outcome->error);
	g_free (outcome);
}

static void
cancel_data_free (gpointer ptr)
{
	CancelData *data = ptr;

	e_hubspot_batcher_unref (data->batcher);
	g_free (data);
}

/* Which requests an input may share: its kind and its token's hash (a
 * token is never kept, nor compared but by its hash). */
static gchar *
batcher_dup_key (EHubSpotBatchKind kind,
		 EHubSpotCredential *credential,
		 guint *out_serial)
{
	gchar *authorization = e_hubspot_credential_dup_authorization (credential, out_serial);
	g_autofree gchar *hash = NULL;

	if (authorization)
		hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, authorization, -1);
	e_hubspot_token_free (authorization);

	return g_strdup_printf ("%d:%s", kind, hash ? hash : "");
}

static gboolean batcher_pump_cb (gpointer user_data);

static void
batcher_schedule_pump (EHubSpotBatcher *batcher)
{
	GSource *source;

	if (!g_atomic_int_compare_and_exchange (&batcher->pump_scheduled, 0, 1))
		return;

	source = g_idle_source_new ();
	g_source_set_callback (source, batcher_pump_cb, batcher, NULL);
	g_source_set_static_name (source, "[evolution-hubspot] batcher pump");
	g_source_attach (source, batcher->context);
	g_source_unref (source);
}

static gboolean
batcher_timer_cb (gpointer user_data)
{
	EHubSpotBatcher *batcher = user_data;

	g_mutex_lock (&batcher->lock);
	g_clear_pointer (&batcher->timer, g_source_unref);
	g_mutex_unlock (&batcher->lock);

	batcher_schedule_pump (batcher);

	return G_SOURCE_REMOVE;
}

static void
batcher_arm_timer_locked (EHubSpotBatcher *batcher,
			  gint64 due)
{
	e_hubspot_clock_arm_timer (batcher->clock, &batcher->timer, &batcher->timer_due, due,
		batcher->context, batcher_timer_cb, batcher);
}

/* The budget's waker: any thread, the budget's lock held; only an idle. */
static void
batcher_budget_waker (gpointer user_data)
{
	EHubSpotBatcher *batcher = user_data;

	if (g_atomic_int_compare_and_exchange (&batcher->budget_blocked, 1, 0))
		batcher_schedule_pump (batcher);
}

/* Ends the tasks of ended (Entry *, each with its Outcome * as
 * "outcome"): no lock held, on the batcher's thread. */
static void
batcher_end_entries (GPtrArray *ended,
		     GPtrArray *outcomes)
{
	guint ii;

	for (ii = 0; ii < ended->len; ii++) {
		Entry *entry = g_ptr_array_index (ended, ii);
		Outcome *outcome = g_ptr_array_index (outcomes, ii);

		/* Waits for a handler running elsewhere, which finds nothing. */
		if (entry->cancelled_id)
			g_cancellable_disconnect (entry->cancellable, entry->cancelled_id);
		entry->cancelled_id = 0;
		g_task_return_pointer (entry->task, outcome, outcome_free);
		entry_free (entry);
	}
}

static Outcome *
outcome_new_cancelled (void)
{
	Outcome *outcome = g_new0 (Outcome, 1);

	outcome->outcome = E_HUBSPOT_BATCH_FAILED;
	/* Never shown: a cancelled input is only taken back. */
	outcome->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

	return outcome;
}

static void
gathering_remove_entry_locked (EHubSpotBatcher *batcher,
			       Entry *entry)
{
	Gathering *gathering;

	if (entry->sent)
		return;

	gathering = g_hash_table_lookup (batcher->gatherings, entry->key);
	if (gathering)
		g_ptr_array_remove (gathering->entries, entry);
}

/* entry ends cancelled at the next pump. */
static void
batcher_end_entry_locked (EHubSpotBatcher *batcher,
			  Entry *entry)
{
	if (entry->ending)
		return;

	gathering_remove_entry_locked (batcher, entry);
	entry->ending = TRUE;
	g_array_append_val (batcher->ending, entry->ticket);
}

static void
gathering_add_locked (EHubSpotBatcher *batcher,
		      Entry *entry,
		      gint64 now)
{
	Gathering *gathering = g_hash_table_lookup (batcher->gatherings, entry->key);

	if (!gathering) {
		gathering = g_new0 (Gathering, 1);
		gathering->key = g_strdup (entry->key);
		gathering->kind = entry->kind;
		gathering->entries = g_ptr_array_new ();
		g_hash_table_insert (batcher->gatherings, gathering->key, gathering);
	}

	if (!gathering->entries->len) {
		gathering->until = now + E_HUBSPOT_BATCHER_GATHER_MS * 1000;
		gathering->end = now + E_HUBSPOT_BATCHER_GATHER_MAX_MS * 1000;
	} else {
		gathering->until = MIN (now + E_HUBSPOT_BATCHER_GATHER_MS * 1000, gathering->end);
	}

	g_ptr_array_add (gathering->entries, entry);
}

/* The token of an input may have changed since it came (a renewed OAuth
 * token): those that no longer match the gathering's go to their new
 * gathering (moved), as new arrivals. */
static void
gathering_check_tokens_locked (Gathering *gathering,
			       GPtrArray *moved)
{
	guint ii, kept = 0;

	for (ii = 0; ii < gathering->entries->len; ii++) {
		Entry *entry = g_ptr_array_index (gathering->entries, ii);
		g_autofree gchar *key = NULL;

		/* The same token as when its key was made: no new hash (one
		 * per input and per request sent would add up in a push). */
		if (e_hubspot_credential_get_serial (entry->credential) == entry->serial) {
			g_ptr_array_index (gathering->entries, kept++) = entry;
			continue;
		}

		key = batcher_dup_key (entry->kind, entry->credential, &entry->serial);
		if (g_strcmp0 (key, gathering->key) != 0) {
			g_free (entry->key);
			entry->key = g_steal_pointer (&key);
			g_ptr_array_add (moved, entry);
			continue;
		}

		g_ptr_array_index (gathering->entries, kept++) = entry;
	}

	g_ptr_array_set_size (gathering->entries, kept);
}

/* Whether entry's meeting is changed by no request in flight: a second
 * change of a meeting waits for the first one's answer, so that its
 * changes stay in order (one calendar's, or two calendars' linked to it). */
static gboolean
batcher_entry_is_ready_locked (EHubSpotBatcher *batcher,
			       Entry *entry)
{
	return !entry->id || !g_hash_table_contains (batcher->busy_ids, entry->id);
}

static gboolean
gathering_has_ready_locked (EHubSpotBatcher *batcher,
			    Gathering *gathering)
{
	guint ii;

	for (ii = 0; ii < gathering->entries->len; ii++) {
		if (batcher_entry_is_ready_locked (batcher, g_ptr_array_index (gathering->entries, ii)))
			return TRUE;
	}

	return FALSE;
}

/* Up to E_HUBSPOT_BATCH_MAX inputs of gathering (one ready at least) in
 * one request; one change per meeting: a second one waits for a later
 * one. */
static Request *
gathering_take_request_locked (EHubSpotBatcher *batcher,
			       Gathering *gathering)
{
	Request *request = g_new0 (Request, 1);
	guint ii, kept = 0;

	request->batcher = e_hubspot_batcher_ref (batcher);
	request->kind = gathering->kind;
	request->batch = e_hubspot_batch_new (gathering->kind, NULL);
	request->tickets = g_array_new (FALSE, FALSE, sizeof (guint));
	request->ids = g_ptr_array_new_with_free_func (g_free);

	for (ii = 0; ii < gathering->entries->len; ii++) {
		Entry *entry = g_ptr_array_index (gathering->entries, ii);

		if (!e_hubspot_batch_is_full (request->batch) && batcher_entry_is_ready_locked (batcher, entry) &&
		    e_hubspot_batch_add (request->batch, entry->id, entry->input) != G_MAXUINT) {
			entry->sent = TRUE;
			g_array_append_val (request->tickets, entry->ticket);
			if (entry->id) {
				g_hash_table_add (batcher->busy_ids, g_strdup (entry->id));
				g_ptr_array_add (request->ids, g_strdup (entry->id));
			}
			if (!request->credential)
				request->credential = g_object_ref (entry->credential);
			continue;
		}

		g_ptr_array_index (gathering->entries, kept++) = entry;
	}

	g_ptr_array_set_size (gathering->entries, kept);

	/* A PATCH or an archive alone: the single call costs the same, and
	 * its answer is the plainer.  A create stays a batch create (its
	 * meeting is logged through the CRM, not the scheduler). */
	if (gathering->kind != E_HUBSPOT_BATCH_CREATE && request->tickets->len == 1) {
		Entry *entry = g_hash_table_lookup (batcher->entries,
			GUINT_TO_POINTER (g_array_index (request->tickets, guint, 0)));

		g_clear_pointer (&request->batch, e_hubspot_batch_free);
		request->id = g_strdup (entry->id);
		request->input = entry->input ? json_node_ref (entry->input) : NULL;
	}

	return request;
}

static void batcher_request_done_cb (GObject *source_object,
				     GAsyncResult *result,
				     gpointer user_data);

static void
batcher_send (EHubSpotBatcher *batcher,
	      EHubSpotConnection *cnc,
	      Request *request)
{
	if (request->batch) {
		g_debug ("%s: %u inputs in one %s", G_STRFUNC, request->tickets->len,
			e_hubspot_batch_get_path (request->batch));
		e_hubspot_connection_batch_meetings (cnc, request->credential, request->batch,
			batcher->cancellable, batcher_request_done_cb, request);
	} else if (request->kind == E_HUBSPOT_BATCH_ARCHIVE) {
		e_hubspot_connection_archive_meeting (cnc, request->credential, request->id,
			batcher->cancellable, batcher_request_done_cb, request);
	} else {
		e_hubspot_connection_update_meeting (cnc, request->credential, request->id, request->input,
			batcher->cancellable, batcher_request_done_cb, request);
	}
}

static gboolean
batcher_pump_cb (gpointer user_data)
{
	EHubSpotBatcher *batcher = user_data;
	g_autoptr(GPtrArray) ended = g_ptr_array_new ();
	g_autoptr(GPtrArray) outcomes = g_ptr_array_new ();
	g_autoptr(GPtrArray) requests = g_ptr_array_new ();
	g_autoptr(GPtrArray) moved = g_ptr_array_new ();
	EHubSpotConnection *cnc;
	GHashTableIter iter;
	gpointer value;
	gint64 now, next_wakeup = G_MAXINT64;
	guint ii;

	g_atomic_int_set (&batcher->pump_scheduled, 0);

	g_mutex_lock (&batcher->lock);
	if (batcher->stopping) {
		g_mutex_unlock (&batcher->lock);
		return G_SOURCE_REMOVE;
	}

	now = e_hubspot_clock_get_monotonic (batcher->clock);

	/* Withdrawn, or their submitter closed: they end cancelled (unless
	 * an answer ended them first). */
	for (ii = 0; ii < batcher->ending->len; ii++) {
		gpointer ticket = GUINT_TO_POINTER (g_array_index (batcher->ending, guint, ii));
		Entry *entry = g_hash_table_lookup (batcher->entries, ticket);

		if (entry) {
			g_hash_table_steal (batcher->entries, ticket);
			g_ptr_array_add (ended, entry);
			g_ptr_array_add (outcomes, outcome_new_cancelled ());
		}
	}
	g_array_set_size (batcher->ending, 0);

	g_hash_table_iter_init (&iter, batcher->gatherings);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		Gathering *gathering = value;

		while (gathering->entries->len > 0 && batcher->in_flight < E_HUBSPOT_BATCHER_MAX_IN_FLIGHT) {
			gint64 wait;

			/* Not full, and more may come: wait a little for them. */
			if (gathering->entries->len < E_HUBSPOT_BATCH_MAX && now < gathering->until) {
				next_wakeup = MIN (next_wakeup, gathering->until);
				break;
			}

			gathering_check_tokens_locked (gathering, moved);
			/* Nothing, or only second changes of meetings in
			 * flight: their answers pump again. */
			if (!gathering_has_ready_locked (batcher, gathering))
				break;

			/* Every place may be held by a request in flight, maybe
			 * a calendar's: its end wakes the batcher.  Flagged
			 * before asking, so that a place freed meanwhile wakes
			 * it too. */
			g_atomic_int_set (&batcher->budget_blocked, 1);
			wait = e_hubspot_budget_reserve (batcher->budget, FALSE, now);
			if (wait != G_MAXINT64)
				g_atomic_int_set (&batcher->budget_blocked, 0);
			if (wait == G_MAXINT64) {
				break;
			} else if (wait > 0) {
				next_wakeup = MIN (next_wakeup, now + wait);
				break;
			}

			batcher->in_flight++;
			g_ptr_array_add (requests, gathering_take_request_locked (batcher, gathering));
		}

		if (!gathering->entries->len)
			g_hash_table_iter_remove (&iter);
	}

	for (ii = 0; ii < moved->len; ii++)
		gathering_add_locked (batcher, g_ptr_array_index (moved, ii), now);
	if (moved->len)
		next_wakeup = MIN (next_wakeup, now + E_HUBSPOT_BATCHER_GATHER_MS * 1000);

	if (next_wakeup != G_MAXINT64)
		batcher_arm_timer_locked (batcher, next_wakeup);
	/* A request's inputs' submitters hold the connection: alive. */
	cnc = requests->len ? g_object_ref (batcher->cnc) : NULL;
	g_mutex_unlock (&batcher->lock);

	batcher_end_entries (ended, outcomes);
	for (ii = 0; ii < requests->len; ii++)
		batcher_send (batcher, cnc, g_ptr_array_index (requests, ii));
	g_clear_object (&cnc);

	return G_SOURCE_REMOVE;
}

static void
batcher_request_done_cb (GObject *source_object,
			 GAsyncResult *result,
			 gpointer user_data)
{
	Request *request = user_data;
	EHubSpotBatcher *batcher = request->batcher;
	g_autoptr(GPtrArray) ended = g_ptr_array_new ();
	g_autoptr(GPtrArray) outcomes = g_ptr_array_new ();
	g_autoptr(JsonNode) response = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) reading_error = NULL;
	EHubSpotResponseInfo info = { 0, };
	gboolean read = FALSE;
	guint ii;

	response = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), result, &info, &error);

	/* One request, one place, whatever calendars it carried. */
	e_hubspot_budget_complete (batcher->budget, FALSE, info.status, info.rate_max, info.rate_remaining,
		info.rate_interval_ms, e_hubspot_clock_get_monotonic (batcher->clock));

	if (request->batch && !error)
		read = e_hubspot_batch_read_answer (request->batch, response, &reading_error);

	g_mutex_lock (&batcher->lock);
	batcher->in_flight--;
	for (ii = 0; ii < request->ids->len; ii++)
		g_hash_table_remove (batcher->busy_ids, g_ptr_array_index (request->ids, ii));

	for (ii = 0; ii < request->tickets->len; ii++) {
		gpointer ticket = GUINT_TO_POINTER (g_array_index (request->tickets, guint, ii));
		Entry *entry = g_hash_table_lookup (batcher->entries, ticket);
		const GError *failure = NULL;
		JsonNode *meeting = NULL;
		Outcome *outcome;

		/* Its submitter closed meanwhile: forgotten. */
		if (!entry)
			continue;

		g_hash_table_steal (batcher->entries, ticket);
		outcome = g_new0 (Outcome, 1);
		outcome->info = info;
		outcome->info.token_serial = entry->serial;

		if (error) {
			outcome->outcome = E_HUBSPOT_BATCH_FAILED;
			outcome->error = g_error_copy (error);
		} else if (!request->batch) {
			outcome->outcome = E_HUBSPOT_BATCH_DONE;
			outcome->meeting = response ? json_node_ref (response) : NULL;
		} else if (!read) {
			outcome->outcome = E_HUBSPOT_BATCH_FAILED;
			outcome->error = g_error_copy (reading_error);
		} else {
			outcome->outcome = e_hubspot_batch_get_outcome (request->batch, ii, &meeting, &failure);
			if (meeting)
				outcome->meeting = json_node_ref (meeting);
			if (failure)
				outcome->error = g_error_copy (failure);
		}

		g_ptr_array_add (ended, entry);
		g_ptr_array_add (outcomes, outcome);
	}
	g_mutex_unlock (&batcher->lock);

	batcher_end_entries (ended, outcomes);
	/* A place is free: what waits for one may go. */
	batcher_schedule_pump (batcher);
	request_free (request);
}

static gpointer
batcher_thread_func (gpointer user_data)
{
	EHubSpotBatcher *batcher = user_data;
	g_autoptr(GPtrArray) ended = g_ptr_array_new ();
	g_autoptr(GPtrArray) outcomes = g_ptr_array_new ();
	GHashTableIter iter;
	gpointer value;

	g_main_context_push_thread_default (batcher->context);
	g_main_loop_run (batcher->loop);

	/* Whatever is left ends cancelled (no submitter should be left). */
	g_mutex_lock (&batcher->lock);
	g_hash_table_iter_init (&iter, batcher->entries);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		g_hash_table_iter_steal (&iter);
		g_ptr_array_add (ended, value);
		g_ptr_array_add (outcomes, outcome_new_cancelled ());
	}
	g_hash_table_remove_all (batcher->gatherings);
	g_mutex_unlock (&batcher->lock);
	batcher_end_entries (ended, outcomes);

	/* Its cancelled requests' callbacks. */
	g_mutex_lock (&batcher->lock);
	while (batcher->in_flight > 0) {
		g_mutex_unlock (&batcher->lock);
		g_main_context_iteration (batcher->context, TRUE);
		g_mutex_lock (&batcher->lock);
	}
	if (batcher->timer) {
		g_source_destroy (batcher->timer);
		g_clear_pointer (&batcher->timer, g_source_unref);
	}
	g_mutex_unlock (&batcher->lock);

	g_main_context_pop_thread_default (batcher->context);
	e_hubspot_batcher_unref (batcher);

	return NULL;
}

EHubSpotBatcher *
e_hubspot_batcher_new (EHubSpotConnection *cnc,
		       EHubSpotBudget *budget,
		       EHubSpotClock *clock)
{
	EHubSpotBatcher *batcher;

	g_return_val_if_fail (E_IS_HUBSPOT_CONNECTION (cnc), NULL);
	g_return_val_if_fail (budget != NULL, NULL);
	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), NULL);

	batcher = g_new0 (EHubSpotBatcher, 1);
	batcher->ref_count = 2;		/* the caller's and the thread's */
	g_mutex_init (&batcher->lock);
	batcher->context = g_main_context_new ();
	batcher->loop = g_main_loop_new (batcher->context, FALSE);
	batcher->cancellable = g_cancellable_new ();
	batcher->cnc = cnc;
	batcher->budget = e_hubspot_budget_ref (budget);
	batcher->clock = g_object_ref (clock);
	batcher->entries = g_hash_table_new (g_direct_hash, g_direct_equal);
	batcher->ending = g_array_new (FALSE, FALSE, sizeof (guint));
	batcher->busy_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	batcher->gatherings = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) gathering_free);
	batcher->budget_waker = e_hubspot_budget_add_waker (budget, batcher_budget_waker, batcher);
	batcher->thread = g_thread_new ("hubspot-batcher", batcher_thread_func, batcher);

	return batcher;
}

EHubSpotBatcher *
e_hubspot_batcher_ref (EHubSpotBatcher *batcher)
{
	g_return_val_if_fail (batcher != NULL, NULL);

	g_atomic_int_inc (&batcher->ref_count);

	return batcher;
}

void
e_hubspot_batcher_unref (EHubSpotBatcher *batcher)
{
	if (!batcher || !g_atomic_int_dec_and_test (&batcher->ref_count))
		return;

	g_warn_if_fail (g_hash_table_size (batcher->entries) == 0);
	g_hash_table_destroy (batcher->entries);
	g_array_unref (batcher->ending);
	g_hash_table_destroy (batcher->busy_ids);
	g_hash_table_destroy (batcher->gatherings);
	g_object_unref (batcher->cancellable);
	e_hubspot_budget_unref (batcher->budget);
	g_object_unref (batcher->clock);
	g_main_loop_unref (batcher->loop);
	g_main_context_unref (batcher->context);
	g_mutex_clear (&batcher->lock);
	g_free (batcher);
}

void
e_hubspot_batcher_shutdown (EHubSpotBatcher *batcher)
{
	GThread *thread;

	g_return_if_fail (batcher != NULL);

	/* No other request's end wakes it any more. */
	e_hubspot_budget_remove_waker (batcher->budget, batcher->budget_waker);

	g_mutex_lock (&batcher->lock);
	batcher->stopping = TRUE;
	batcher->cnc = NULL;
	thread = g_steal_pointer (&batcher->thread);
	g_mutex_unlock (&batcher->lock);

	if (!thread)
		return;

	g_cancellable_cancel (batcher->cancellable);
	g_main_loop_quit (batcher->loop);

	/* The connection's last reference may go on the batcher's thread (a
	 * request's): the thread ends by itself once the loop returns. */
	if (thread == g_thread_self ())
		g_thread_unref (thread);
	else
		g_thread_join (thread);
}

static void
batcher_cancelled_cb (GCancellable *cancellable,
		      gpointer user_data)
{
	CancelData *data = user_data;
	EHubSpotBatcher *batcher = data->batcher;
	Entry *entry;

	g_mutex_lock (&batcher->lock);
	entry = g_hash_table_lookup (batcher->entries, GUINT_TO_POINTER (data->ticket));
	if (entry)
		batcher_end_entry_locked (batcher, entry);
	g_mutex_unlock (&batcher->lock);

	if (entry)
		batcher_schedule_pump (batcher);
}

guint
e_hubspot_batcher_submit (EHubSpotBatcher *batcher,
			  EHubSpotCredential *credential,
			  EHubSpotBatchKind kind,
			  const gchar *id,
			  JsonNode *input,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	Entry *entry;
	guint ticket;

	g_return_val_if_fail (batcher != NULL, 0);
	g_return_val_if_fail (E_IS_HUBSPOT_CREDENTIAL (credential), 0);
	g_return_val_if_fail (kind != E_HUBSPOT_BATCH_READ, 0);

	entry = g_new0 (Entry, 1);
	entry->kind = kind;
	entry->key = batcher_dup_key (kind, credential, &entry->serial);
	entry->id = g_strdup (id);
	entry->input = input;
	entry->credential = g_object_ref (credential);
	entry->task = g_task_new (NULL, NULL, callback, user_data);
	g_task_set_source_tag (entry->task, e_hubspot_batcher_submit);

	g_mutex_lock (&batcher->lock);
	ticket = ++batcher->next_ticket;
	if (!ticket)
		ticket = ++batcher->next_ticket;
	entry->ticket = ticket;
	g_mutex_unlock (&batcher->lock);

	/* Connected before the entry is known: a handler called at once
	 * (cancelled already) finds nothing, and the check below sees it. */
	if (cancellable) {
		CancelData *data = g_new0 (CancelData, 1);

		data->batcher = e_hubspot_batcher_ref (batcher);
		data->ticket = ticket;
		entry->cancellable = g_object_ref (cancellable);
		entry->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (batcher_cancelled_cb),
			data, cancel_data_free);
	}

	g_mutex_lock (&batcher->lock);
	g_hash_table_insert (batcher->entries, GUINT_TO_POINTER (ticket), entry);
	if (batcher->stopping)
		g_warning ("%s: the batcher is stopped", G_STRFUNC);
	if (g_cancellable_is_cancelled (cancellable))
		batcher_end_entry_locked (batcher, entry);
	else
		gathering_add_locked (batcher, entry, e_hubspot_clock_get_monotonic (batcher->clock));
	g_mutex_unlock (&batcher->lock);

	batcher_schedule_pump (batcher);

	return ticket;
}

EHubSpotBatchOutcome
e_hubspot_batcher_submit_finish (EHubSpotBatcher *batcher,
				 GAsyncResult *result,
				 JsonNode **out_meeting,
				 EHubSpotResponseInfo *out_info,
				 GError **error)
{
	Outcome *outcome;
	EHubSpotBatchOutcome value;

	g_return_val_if_fail (g_task_is_valid (result, NULL), E_HUBSPOT_BATCH_FAILED);
	g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == e_hubspot_batcher_submit, E_HUBSPOT_BATCH_FAILED);

	outcome = g_task_propagate_pointer (G_TASK (result), NULL);
	g_return_val_if_fail (outcome != NULL, E_HUBSPOT_BATCH_FAILED);

	if (out_meeting)
		*out_meeting = g_steal_pointer (&outcome->meeting);
	if (out_info)
		*out_info = outcome->info;
	if (outcome->error)
		g_propagate_error (error, g_steal_pointer (&outcome->error));
	value = outcome->outcome;
	outcome_free (outcome);

	return value;
}

gboolean
e_hubspot_batcher_withdraw (EHubSpotBatcher *batcher,
			    guint ticket)
{
	Entry *entry;
	gboolean withdrawn = FALSE;

	g_return_val_if_fail (batcher != NULL, FALSE);

	g_mutex_lock (&batcher->lock);
	entry = g_hash_table_lookup (batcher->entries, GUINT_TO_POINTER (ticket));
	if (entry && !entry->sent) {
		batcher_end_entry_locked (batcher, entry);
		withdrawn = TRUE;
	}
	g_mutex_unlock (&batcher->lock);

	if (withdrawn)
		batcher_schedule_pump (batcher);

	return withdrawn;
}
