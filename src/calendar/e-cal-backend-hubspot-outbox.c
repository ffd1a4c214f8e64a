/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-retry.h"

#include "e-cal-backend-hubspot-outbox.h"

typedef struct {
	gchar *uid;
	JsonNode *request;
	guint attempts;		/* failures so far */
	gint64 not_before;	/* monotonic µs */
	gboolean in_flight;
	gboolean cancelled;	/* removed by the user while in flight */
	JsonNode *next_request;	/* a newer version saved while in flight */
} OutboxItem;

struct _EHubSpotOutbox {
	GMutex lock;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	GCancellable *cancellable;

	EHubSpotConnection *cnc;	/* used on the sender thread only */
	EHubSpotOutboxCallbacks callbacks;
	gpointer user_data;		/* NULL once the owner is gone */

	guint max_in_flight;
	guint in_flight;
	gchar *organizer_user_id;
	gboolean paused_for_credentials;
	gint rate_interval_ms;

	/* The record URL needs the portal and its UI domain: ask for them
	 * once, before the first meeting goes out. */
	gchar *portal_id;
	gchar *ui_domain;
	gboolean account_info_busy;
	gboolean account_info_tried;

	GQueue queue;			/* OutboxItem *, in arrival order */
	GHashTable *items;		/* uid ~> OutboxItem * (in the queue) */
	GPtrArray *results;		/* EHubSpotOutboxResult * */
	GSource *timer;
	gint64 timer_due;		/* monotonic µs */
	GRand *rand;
};

static void outbox_schedule_pump (EHubSpotOutbox *outbox);

static void
outbox_item_free (OutboxItem *item)
{
	g_free (item->uid);
	g_clear_pointer (&item->request, json_node_unref);
	g_clear_pointer (&item->next_request, json_node_unref);
	g_free (item);
}

void
e_hubspot_outbox_result_free (gpointer ptr)
{
	EHubSpotOutboxResult *result = ptr;

	if (!result)
		return;

	g_free (result->uid);
	g_clear_pointer (&result->response, json_node_unref);
	g_clear_error (&result->error);
	g_free (result);
}

/* Called with the lock held. */
static void
outbox_remove_item (EHubSpotOutbox *outbox,
		    OutboxItem *item)
{
	g_queue_remove (&outbox->queue, item);
	g_hash_table_remove (outbox->items, item->uid);
	outbox_item_free (item);
}

/* Called with the lock held. */
static void
outbox_add_result (EHubSpotOutbox *outbox,
		   const gchar *uid,
		   JsonNode *response,
		   GError *error)
{
	EHubSpotOutboxResult *result = g_new0 (EHubSpotOutboxResult, 1);

	result->uid = g_strdup (uid);
	result->response = response ? json_node_ref (response) : NULL;
	result->error = error;
	g_ptr_array_add (outbox->results, result);

	if (outbox->results->len == 1 && outbox->user_data && outbox->callbacks.results_ready)
		outbox->callbacks.results_ready (outbox->user_data);
}

typedef struct {
	EHubSpotOutbox *outbox;
	OutboxItem *item;
} SendData;

static void
outbox_send_done_cb (GObject *source_object,
		     GAsyncResult *async_result,
		     gpointer user_data)
{
	SendData *sd = user_data;
	EHubSpotOutbox *outbox = sd->outbox;
	OutboxItem *item = sd->item;
	EHubSpotResponseInfo info = { 0, };
	g_autoptr(JsonNode) response = NULL;
	GError *error = NULL;

	g_free (sd);

	response = e_hubspot_connection_create_meeting_finish (E_HUBSPOT_CONNECTION (source_object),
		async_result, &info, &error);

	g_mutex_lock (&outbox->lock);

	outbox->in_flight--;
	item->in_flight = FALSE;
	if (info.rate_interval_ms > 0)
		outbox->rate_interval_ms = info.rate_interval_ms;

	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* Shutting down: the cache row stays pending for the next start. */
		g_clear_error (&error);
	} else if (response) {
		outbox_add_result (outbox, item->uid, response, NULL);
		outbox_remove_item (outbox, item);
	} else if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_UNAUTHORIZED)) {
		/* Keep the work, wait for a new token. */
		outbox->paused_for_credentials = TRUE;
		if (outbox->user_data && outbox->callbacks.credentials_rejected)
			outbox->callbacks.credentials_rejected (outbox->user_data, error);
		g_clear_error (&error);
	} else {
		gint64 delay_ms;

		item->attempts++;
		delay_ms = e_hubspot_retry_delay_ms (error, item->attempts, outbox->rate_interval_ms,
			g_get_real_time () / G_USEC_PER_SEC, outbox->rand);

		if (delay_ms == E_HUBSPOT_RETRY_NEVER || item->cancelled) {
			if (item->cancelled)
				g_clear_error (&error);
			else
				outbox_add_result (outbox, item->uid, NULL, g_steal_pointer (&error));
			outbox_remove_item (outbox, item);
		} else {
			g_debug ("%s: %s, attempt %u, again in %" G_GINT64_FORMAT " ms", G_STRFUNC,
				error->message, item->attempts, delay_ms);
			item->not_before = g_get_monotonic_time () + delay_ms * 1000;
			g_clear_error (&error);
		}
	}

	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
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

static gboolean outbox_pump_cb (gpointer user_data);

static void
outbox_account_info_done_cb (GObject *source_object,
			     GAsyncResult *async_result,
			     gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;

	node = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), async_result, NULL, &error);

	g_mutex_lock (&outbox->lock);
	outbox->account_info_busy = FALSE;
	outbox->account_info_tried = TRUE;
	if (node && JSON_NODE_HOLDS_OBJECT (node)) {
		JsonObject *object = json_node_get_object (node);
		JsonNode *portal = json_object_get_member (object, "portalId");

		if (portal && JSON_NODE_HOLDS_VALUE (portal) && json_node_get_value_type (portal) == G_TYPE_INT64)
			outbox->portal_id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (portal));
		else if (portal && JSON_NODE_HOLDS_VALUE (portal) && json_node_get_value_type (portal) == G_TYPE_STRING)
			outbox->portal_id = g_strdup (json_node_get_string (portal));
		outbox->ui_domain = g_strdup (json_object_get_string_member_with_default (object, "uiDomain", NULL));
	} else if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		/* Not fatal: meetings still get HubSpot's own link, and the
		 * next start of the backend asks again. */
		g_debug ("%s: no account details: %s", G_STRFUNC, error->message);
	}
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

/* Called with the lock held; TRUE while the account details are awaited. */
static gboolean
outbox_need_account_info (EHubSpotOutbox *outbox)
{
	if (outbox->account_info_busy)
		return TRUE;

	if (outbox->account_info_tried || (outbox->portal_id && outbox->ui_domain) ||
	    outbox->paused_for_credentials || !e_hubspot_connection_has_token (outbox->cnc))
		return FALSE;

	outbox->account_info_busy = TRUE;
	e_hubspot_connection_request (outbox->cnc, "GET", "/account-info/v3/details", NULL,
		outbox->cancellable, outbox_account_info_done_cb, outbox);

	return TRUE;
}

/* Starts what may start now and arms a timer for the earliest retry. */
static gboolean
outbox_pump_cb (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	gint64 now = g_get_monotonic_time ();
	gint64 next_wakeup = G_MAXINT64;
	GList *link;

	g_mutex_lock (&outbox->lock);

	if (!g_queue_is_empty (&outbox->queue) && outbox_need_account_info (outbox)) {
		g_mutex_unlock (&outbox->lock);
		return G_SOURCE_REMOVE;
	}

	for (link = outbox->queue.head; link && outbox->in_flight < outbox->max_in_flight; link = link->next) {
		OutboxItem *item = link->data;
		SendData *sd;

		if (item->in_flight || outbox->paused_for_credentials ||
		    !e_hubspot_connection_has_token (outbox->cnc))
			continue;

		if (item->not_before > now) {
			next_wakeup = MIN (next_wakeup, item->not_before);
			continue;
		}

		if (item->next_request) {
			json_node_unref (item->request);
			item->request = g_steal_pointer (&item->next_request);
		}

		item->in_flight = TRUE;
		outbox->in_flight++;

		sd = g_new0 (SendData, 1);
		sd->outbox = outbox;
		sd->item = item;
		e_hubspot_connection_create_meeting (outbox->cnc, outbox->organizer_user_id, item->request,
			outbox->cancellable, outbox_send_done_cb, sd);
	}

	if (next_wakeup != G_MAXINT64 && outbox->timer && outbox->timer_due > next_wakeup) {
		g_source_destroy (outbox->timer);
		g_clear_pointer (&outbox->timer, g_source_unref);
	}

	if (next_wakeup != G_MAXINT64 && !outbox->timer) {
		outbox->timer_due = next_wakeup;
		outbox->timer = g_timeout_source_new ((guint) MAX ((next_wakeup - now) / 1000, 1));
		g_source_set_callback (outbox->timer, outbox_timer_cb, outbox, NULL);
		g_source_attach (outbox->timer, outbox->context);
	}

	g_mutex_unlock (&outbox->lock);

	return G_SOURCE_REMOVE;
}

static void
outbox_schedule_pump (EHubSpotOutbox *outbox)
{
	g_main_context_invoke (outbox->context, outbox_pump_cb, outbox);
}

static gpointer
outbox_thread_func (gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;

	g_main_context_push_thread_default (outbox->context);
	g_main_loop_run (outbox->loop);

	/* Let cancelled requests finish their callbacks before the
	 * connection goes away. */
	g_mutex_lock (&outbox->lock);
	while (outbox->in_flight > 0 || outbox->account_info_busy) {
		g_mutex_unlock (&outbox->lock);
		g_main_context_iteration (outbox->context, TRUE);
		g_mutex_lock (&outbox->lock);
	}
	g_mutex_unlock (&outbox->lock);

	g_clear_object (&outbox->cnc);
	g_main_context_pop_thread_default (outbox->context);

	return NULL;
}

EHubSpotOutbox *
e_hubspot_outbox_new (const gchar *api_url,
		      guint max_in_flight,
		      const EHubSpotOutboxCallbacks *callbacks,
		      gpointer user_data,
		      GError **error)
{
	EHubSpotOutbox *outbox;
	EHubSpotConnection *cnc;
	GMainContext *context;

	/* The connection must be created on the context it will run on:
	 * push the sender's context while creating it. */
	context = g_main_context_new ();
	g_main_context_push_thread_default (context);
	cnc = e_hubspot_connection_new (api_url, max_in_flight, error);
	g_main_context_pop_thread_default (context);

	if (!cnc) {
		g_main_context_unref (context);
		return NULL;
	}

	outbox = g_new0 (EHubSpotOutbox, 1);
	g_mutex_init (&outbox->lock);
	outbox->context = context;
	outbox->loop = g_main_loop_new (context, FALSE);
	outbox->cancellable = g_cancellable_new ();
	outbox->cnc = cnc;
	outbox->callbacks = *callbacks;
	outbox->user_data = user_data;
	outbox->max_in_flight = MAX (max_in_flight, 1);
	outbox->rate_interval_ms = E_HUBSPOT_RETRY_WINDOW_MS;
	outbox->items = g_hash_table_new (g_str_hash, g_str_equal);
	outbox->results = g_ptr_array_new_with_free_func (e_hubspot_outbox_result_free);
	outbox->rand = g_rand_new ();
	g_queue_init (&outbox->queue);

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

	g_cancellable_cancel (outbox->cancellable);
	g_main_loop_quit (outbox->loop);
	g_thread_join (outbox->thread);

	if (outbox->timer) {
		g_source_destroy (outbox->timer);
		g_source_unref (outbox->timer);
	}

	while ((item = g_queue_pop_head (&outbox->queue)))
		outbox_item_free (item);
	g_hash_table_destroy (outbox->items);
	g_ptr_array_unref (outbox->results);
	g_rand_free (outbox->rand);
	g_free (outbox->organizer_user_id);
	g_free (outbox->portal_id);
	g_free (outbox->ui_domain);
	g_object_unref (outbox->cancellable);
	g_main_loop_unref (outbox->loop);
	g_main_context_unref (outbox->context);
	g_mutex_clear (&outbox->lock);
	g_free (outbox);
}

void
e_hubspot_outbox_set_token (EHubSpotOutbox *outbox,
			    const gchar *token)
{
	e_hubspot_connection_set_token (outbox->cnc, token);

	g_mutex_lock (&outbox->lock);
	outbox->paused_for_credentials = FALSE;
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

gboolean
e_hubspot_outbox_has_token (EHubSpotOutbox *outbox)
{
	gboolean has_token;

	g_mutex_lock (&outbox->lock);
	has_token = !outbox->paused_for_credentials && e_hubspot_connection_has_token (outbox->cnc);
	g_mutex_unlock (&outbox->lock);

	return has_token;
}

void
e_hubspot_outbox_set_organizer (EHubSpotOutbox *outbox,
				const gchar *user_id)
{
	g_mutex_lock (&outbox->lock);
	g_free (outbox->organizer_user_id);
	outbox->organizer_user_id = g_strdup (user_id);
	g_mutex_unlock (&outbox->lock);
}

/* A newer version of an event replaces the queued one; while a version is
 * in flight the newer one waits, so that per event the order holds. */
void
e_hubspot_outbox_enqueue (EHubSpotOutbox *outbox,
			  const gchar *uid,
			  JsonNode *request)
{
	OutboxItem *item;

	g_return_if_fail (uid != NULL);
	g_return_if_fail (request != NULL);

	g_mutex_lock (&outbox->lock);

	item = g_hash_table_lookup (outbox->items, uid);
	if (item && item->in_flight) {
		g_clear_pointer (&item->next_request, json_node_unref);
		item->next_request = json_node_copy (request);
		item->cancelled = FALSE;
	} else if (item) {
		json_node_unref (item->request);
		item->request = json_node_copy (request);
		item->attempts = 0;
		item->not_before = 0;
	} else {
		item = g_new0 (OutboxItem, 1);
		item->uid = g_strdup (uid);
		item->request = json_node_copy (request);
		g_queue_push_tail (&outbox->queue, item);
		g_hash_table_insert (outbox->items, item->uid, item);
	}

	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}

/* A removed event that was never sent sends nothing.  Returns whether a
 * request for it is in flight (its answer will still come back). */
gboolean
e_hubspot_outbox_cancel (EHubSpotOutbox *outbox,
			 const gchar *uid)
{
	OutboxItem *item;
	gboolean in_flight = FALSE;

	g_mutex_lock (&outbox->lock);
	item = g_hash_table_lookup (outbox->items, uid);
	if (item && item->in_flight) {
		item->cancelled = TRUE;
		g_clear_pointer (&item->next_request, json_node_unref);
		in_flight = TRUE;
	} else if (item) {
		outbox_remove_item (outbox, item);
	}
	g_mutex_unlock (&outbox->lock);

	return in_flight;
}

/* Back online: what waits for a retry goes now. */
void
e_hubspot_outbox_wake (EHubSpotOutbox *outbox)
{
	GList *link;

	g_mutex_lock (&outbox->lock);
	for (link = outbox->queue.head; link; link = link->next) {
		OutboxItem *item = link->data;

		item->not_before = 0;
	}
	g_mutex_unlock (&outbox->lock);

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
	gboolean idle;

	g_mutex_lock (&outbox->lock);
	idle = g_queue_is_empty (&outbox->queue) && outbox->results->len == 0;
	g_mutex_unlock (&outbox->lock);

	return idle;
}

guint
e_hubspot_outbox_count_queued (EHubSpotOutbox *outbox)
{
	guint count;

	g_mutex_lock (&outbox->lock);
	count = g_queue_get_length (&outbox->queue);
	g_mutex_unlock (&outbox->lock);

	return count;
}
