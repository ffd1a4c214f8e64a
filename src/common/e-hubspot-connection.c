/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "e-hubspot-attendees.h"
#include "e-hubspot-error.h"
#include "e-hubspot-json.h"
#include "e-hubspot-paths.h"
#include "e-source-hubspot.h"
#include "e-hubspot-batch.h"
#include "e-hubspot-batcher.h"
#include "e-hubspot-connection.h"

#define USER_AGENT "evolution-hubspot/" PACKAGE_VERSION

struct _EHubSpotConnection {
	GObject parent;

	SoupSession *session;	/* set up once, then only sent through */
	gchar *api_url;		/* without a trailing slash */
	EHubSpotBudget *budget;
	GMutex batcher_lock;	/* a leaf: guards batcher's making */
	EHubSpotBatcher *batcher;	/* made on first use, or NULL */
	gchar *shared_key;	/* in the shared table, or NULL */

	/* The tests' transport, instead of the session (set_transport ()) */
	EHubSpotTransportFunc transport_send;
	gpointer transport_data;
	GDestroyNotify transport_destroy;
};

G_DEFINE_TYPE (EHubSpotConnection, e_hubspot_connection, G_TYPE_OBJECT)

/* The accounts' connections (docs/design.md, "Locks": a leaf).  An entry
 * does not keep its connection alive: the weak reference is empty from
 * the moment the last reference goes, and the entry leaves the table when
 * that connection is finalized, unless a new one took its place. */
typedef struct {
	GWeakRef ref;
	EHubSpotConnection *cnc;	/* not referenced: only compared */
} SharedEntry;

static GMutex shared_lock;
static GHashTable *shared;		/* key ~> SharedEntry * */

static void
shared_entry_free (gpointer ptr)
{
	SharedEntry *entry = ptr;

	g_weak_ref_clear (&entry->ref);
	g_free (entry);
}

static gboolean
hubspot_debug_enabled (void)
{
	static gint enabled = -1;

	if (enabled == -1) {
		const gchar *env = g_getenv ("HUBSPOT_DEBUG");

		enabled = env && *env && g_strcmp0 (env, "0") != 0;
	}

	return enabled;
}

/* Headers go to the trace verbatim except the one that holds the token. */
static void
hubspot_debug_headers (SoupMessageHeaders *headers,
		       const gchar *prefix)
{
	SoupMessageHeadersIter iter;
	const gchar *name, *value;

	soup_message_headers_iter_init (&iter, headers);
	while (soup_message_headers_iter_next (&iter, &name, &value)) {
		if (g_ascii_strcasecmp (name, "Authorization") == 0)
			value = "Bearer [redacted]";
		g_printerr ("%s %s: %s\n", prefix, name, value);
	}
}

static void
hubspot_debug_request (SoupMessage *msg,
		       GBytes *body)
{
	g_autofree gchar *uri = NULL;

	if (!hubspot_debug_enabled ())
		return;

	uri = g_uri_to_string_partial (soup_message_get_uri (msg), G_URI_HIDE_PASSWORD);
	g_printerr ("[hubspot] > %s %s\n", soup_message_get_method (msg), uri);
	hubspot_debug_headers (soup_message_get_request_headers (msg), "[hubspot] >");
	if (body)
		g_printerr ("[hubspot] > %.*s\n", (gint) g_bytes_get_size (body),
			(const gchar *) g_bytes_get_data (body, NULL));
}

/* What came back, from libsoup or from the tests' transport. */
typedef struct {
	guint status;
	const gchar *reason;
	SoupMessageHeaders *headers;
} HubSpotAnswer;

static void
hubspot_debug_response (SoupMessage *msg,
			const HubSpotAnswer *answer,
			GBytes *body,
			const GError *error)
{
	if (!hubspot_debug_enabled ())
		return;

	if (error) {
		g_printerr ("[hubspot] < %s %s: %s\n", soup_message_get_method (msg),
			g_uri_get_path (soup_message_get_uri (msg)), error->message);
		return;
	}

	g_printerr ("[hubspot] < %u %s\n", answer->status, answer->reason ? answer->reason : "");
	hubspot_debug_headers (answer->headers, "[hubspot] <");
	if (body && g_bytes_get_size (body) > 0)
		g_printerr ("[hubspot] < %.*s\n", (gint) g_bytes_get_size (body),
			(const gchar *) g_bytes_get_data (body, NULL));
}

static void
hubspot_connection_finalize (GObject *object)
{
	EHubSpotConnection *cnc = E_HUBSPOT_CONNECTION (object);

	if (cnc->shared_key) {
		SharedEntry *entry;

		g_mutex_lock (&shared_lock);
		entry = g_hash_table_lookup (shared, cnc->shared_key);
		if (entry && entry->cnc == cnc)
			g_hash_table_remove (shared, cnc->shared_key);
		g_mutex_unlock (&shared_lock);
	}

	/* No request holds it any more (each holds the connection): the
	 * session only closes its idle connections, on whichever thread. */
	if (cnc->batcher) {
		e_hubspot_batcher_shutdown (cnc->batcher);
		e_hubspot_batcher_unref (cnc->batcher);
	}
	g_mutex_clear (&cnc->batcher_lock);
	g_clear_object (&cnc->session);
	if (cnc->transport_destroy)
		cnc->transport_destroy (cnc->transport_data);
	g_free (cnc->api_url);
	g_free (cnc->shared_key);
	e_hubspot_budget_unref (cnc->budget);

	G_OBJECT_CLASS (e_hubspot_connection_parent_class)->finalize (object);
}

static void
e_hubspot_connection_class_init (EHubSpotConnectionClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = hubspot_connection_finalize;
}

static void
e_hubspot_connection_init (EHubSpotConnection *cnc)
{
	g_mutex_init (&cnc->batcher_lock);
}

static gchar *
hubspot_connection_normalize_url (const gchar *api_url)
{
	gchar *url = g_strdup (api_url && *api_url ? api_url : E_HUBSPOT_DEFAULT_API_URL);

	while (g_str_has_suffix (url, "/"))
		url[strlen (url) - 1] = '\0';

	return url;
}

/* Everything the session needs is set here, before any request: libsoup
 * allows nothing but sending from other threads. */
static EHubSpotConnection *
hubspot_connection_create (const gchar *api_url,
			   guint max_conns,
			   EHubSpotCredentialKind kind,
			   GError **error)
{
	EHubSpotConnection *cnc;

	if (!e_source_hubspot_check_api_url (api_url, error))
		return NULL;

	cnc = g_object_new (E_TYPE_HUBSPOT_CONNECTION, NULL);
	cnc->api_url = g_strdup (api_url);
	cnc->budget = e_hubspot_budget_new (kind);

	max_conns = MAX (max_conns, 1);
	cnc->session = soup_session_new_with_options (
		"user-agent", USER_AGENT,
		"max-conns-per-host", (gint) max_conns,
		"max-conns", (gint) MAX (max_conns, 10),
		"timeout", 60,
		"idle-timeout", 60,
		NULL);

	return cnc;
}

EHubSpotConnection *
e_hubspot_connection_new (const gchar *api_url,
			  guint max_in_flight,
			  GError **error)
{
	g_autofree gchar *url = hubspot_connection_normalize_url (api_url);

	/* libsoup's default of 2 connections per host would cap the caller
	 * at two requests in flight: allow what it asks for. */
	return hubspot_connection_create (url, max_in_flight, E_HUBSPOT_CREDENTIAL_KEY, error);
}

EHubSpotConnection *
e_hubspot_connection_ref_shared (const gchar *api_url,
				 const gchar *account_key,
				 EHubSpotCredentialKind kind,
				 GError **error)
{
	g_autofree gchar *url = hubspot_connection_normalize_url (api_url);
	g_autofree gchar *key = NULL;
	EHubSpotConnection *cnc = NULL;
	SharedEntry *entry;

	g_return_val_if_fail (account_key != NULL, NULL);

	/* HubSpot counts an OAuth app's requests apart from a key's. */
	key = g_strdup_printf ("%s\n%s\n%s", url, account_key, kind == E_HUBSPOT_CREDENTIAL_OAUTH ? "oauth" : "key");

	g_mutex_lock (&shared_lock);
	if (!shared)
		shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shared_entry_free);

	entry = g_hash_table_lookup (shared, key);
	if (entry)
		cnc = g_weak_ref_get (&entry->ref);

	if (!cnc) {
		/* Each calendar keeps to its own MaxInFlight (the outbox
		 * counts): the session allows the most any may set, so that a
		 * higher setting applies at once. */
		cnc = hubspot_connection_create (url, E_SOURCE_HUBSPOT_MAX_IN_FLIGHT_LIMIT, kind, error);
		if (cnc) {
			cnc->shared_key = g_strdup (key);
			entry = g_new0 (SharedEntry, 1);
			g_weak_ref_init (&entry->ref, cnc);
			entry->cnc = cnc;
			g_hash_table_replace (shared, g_steal_pointer (&key), entry);
		}
	}
	g_mutex_unlock (&shared_lock);

	return cnc;
}

EHubSpotBudget *
e_hubspot_connection_get_budget (EHubSpotConnection *cnc)
{
	g_return_val_if_fail (E_IS_HUBSPOT_CONNECTION (cnc), NULL);

	return cnc->budget;
}

EHubSpotBatcher *
e_hubspot_connection_get_batcher (EHubSpotConnection *cnc,
				  EHubSpotClock *clock)
{
	EHubSpotBatcher *batcher;

	g_return_val_if_fail (E_IS_HUBSPOT_CONNECTION (cnc), NULL);
	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), NULL);

	g_mutex_lock (&cnc->batcher_lock);
	if (!cnc->batcher)
		cnc->batcher = e_hubspot_batcher_new (cnc, cnc->budget, clock);
	batcher = cnc->batcher;
	g_mutex_unlock (&cnc->batcher_lock);

	return batcher;
}

void
e_hubspot_connection_set_transport (EHubSpotConnection *cnc,
				    EHubSpotTransportFunc send,
				    gpointer user_data,
				    GDestroyNotify destroy)
{
	g_return_if_fail (E_IS_HUBSPOT_CONNECTION (cnc));

	if (cnc->transport_destroy)
		cnc->transport_destroy (cnc->transport_data);
	cnc->transport_send = send;
	cnc->transport_data = user_data;
	cnc->transport_destroy = destroy;
}

/* out_body: the request's body, for a transport; may be NULL. */
static SoupMessage *
hubspot_connection_new_message (EHubSpotConnection *cnc,
				EHubSpotCredential *credential,
				const gchar *method,
				const gchar *path_and_query,
				JsonNode *body,
				guint *out_token_serial,
				GBytes **out_body,
				GError **error)
{
	g_autofree gchar *uri = NULL;
	g_autoptr(EHubSpotToken) auth = NULL;
	g_autoptr(GBytes) bytes = NULL;
	SoupMessage *msg;

	uri = g_strconcat (cnc->api_url, path_and_query, NULL);
	msg = soup_message_new (method, uri);
	if (!msg) {
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
			_("Cannot build a request for “%s”"), uri);
		return NULL;
	}

	*out_token_serial = 0;
	if (credential)
		auth = e_hubspot_credential_dup_authorization (credential, out_token_serial);

	if (auth)
		soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
	soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");

	if (body) {
		gchar *text = json_to_string (body, FALSE);

		bytes = g_bytes_new_take (text, strlen (text));
		soup_message_set_request_body_from_bytes (msg, "application/json;charset=utf-8", bytes);
	}

	hubspot_debug_request (msg, bytes);
	if (out_body)
		*out_body = g_steal_pointer (&bytes);

	return msg;
}

static gint
hubspot_header_int (SoupMessageHeaders *headers,
		    const gchar *name)
{
	const gchar *value = soup_message_headers_get_one (headers, name);
	gchar *end = NULL;
	gint64 number;

	if (!value)
		return -1;

	number = g_ascii_strtoll (value, &end, 10);
	if (end == value || number < 0)
		return -1;

	return (gint) MIN (number, G_MAXINT);
}

static void
hubspot_answer_from_message (HubSpotAnswer *answer,
			     SoupMessage *msg)
{
	answer->status = soup_message_get_status (msg);
	answer->reason = soup_message_get_reason_phrase (msg);
	answer->headers = soup_message_get_response_headers (msg);
}

/* Turns a finished exchange into JSON or an EHubSpotError. */
static JsonNode *
hubspot_connection_read_response (const HubSpotAnswer *answer,
				  GBytes *bytes,
				  EHubSpotResponseInfo *out_info,
				  GError **error)
{
	SoupMessageHeaders *headers = answer->headers;
	guint status = answer->status;
	const gchar *data;
	gsize len = 0;

	if (out_info) {
		out_info->status = status;
		out_info->rate_max = hubspot_header_int (headers, "X-HubSpot-RateLimit-Max");
		out_info->rate_remaining = hubspot_header_int (headers, "X-HubSpot-RateLimit-Remaining");
		out_info->rate_interval_ms = hubspot_header_int (headers, "X-HubSpot-RateLimit-Interval-Milliseconds");
		out_info->daily_remaining = hubspot_header_int (headers, "X-HubSpot-RateLimit-Daily-Remaining");
	}

	data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

	if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
		g_propagate_error (error, e_hubspot_error_new_from_response (status,
			answer->reason, data, len,
			soup_message_headers_get_one (headers, "Retry-After")));
		return NULL;
	}

	if (status == SOUP_STATUS_NO_CONTENT || len == 0)
		return json_node_new (JSON_NODE_NULL);

	return e_hubspot_json_parse (data, len, error);
}

/* An answer is read up to this size (docs/design.md, "Hostile input"):
 * HubSpot's largest, a batch of 100 records, is well under 1 MiB. */
#define HUBSPOT_MAX_ANSWER (16 * 1024 * 1024)
#define HUBSPOT_READ_CHUNK (64 * 1024)

static GError *
hubspot_connection_too_large_error (void)
{
	return g_error_new (E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
		_("HubSpot sent an answer larger than %u MiB; it was not read"),
		HUBSPOT_MAX_ANSWER / (1024 * 1024));
}

/* What Content-Length announces, before reading any of it. */
static gboolean
hubspot_connection_check_length (SoupMessageHeaders *headers,
				 GError **error)
{
	goffset length = soup_message_headers_get_content_length (headers);

	if (length > HUBSPOT_MAX_ANSWER) {
		g_propagate_error (error, hubspot_connection_too_large_error ());
		return FALSE;
	}

	return TRUE;
}

typedef struct {
	SoupMessage *msg;
	EHubSpotResponseInfo info;
	GInputStream *stream;
	GByteArray *body;
	GCancellable *cancellable;

	/* A transport's exchange */
	gboolean answered;
	GSource *cancel_source;		/* ends the exchange when cancelled */
} RequestData;

static void
request_data_free (gpointer ptr)
{
	RequestData *rd = ptr;

	g_clear_object (&rd->msg);
	g_clear_object (&rd->stream);
	g_clear_object (&rd->cancellable);
	if (rd->body)
		g_byte_array_unref (rd->body);
	g_free (rd);
}

/* Both paths end here: libsoup's and a transport's. */
static void
hubspot_connection_request_answered (GTask *task,
				     const HubSpotAnswer *answer,
				     GBytes *bytes,
				     GError *error)
{
	RequestData *rd = g_task_get_task_data (task);
	JsonNode *node;

	hubspot_debug_response (rd->msg, answer, bytes, error);
	if (error) {
		g_task_return_error (task, error);
		return;
	}

	node = hubspot_connection_read_response (answer, bytes, &rd->info, &error);
	if (node)
		g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
	else
		g_task_return_error (task, error);
}

static void
hubspot_connection_request_finish_read (GTask *task,
					GError *error)
{
	RequestData *rd = g_task_get_task_data (task);
	g_autoptr(GBytes) bytes = NULL;
	HubSpotAnswer answer;

	if (!error)
		bytes = g_byte_array_free_to_bytes (g_steal_pointer (&rd->body));
	hubspot_answer_from_message (&answer, rd->msg);
	hubspot_connection_request_answered (task, &answer, bytes, error);
}

static void
hubspot_connection_read_cb (GObject *source_object,
			    GAsyncResult *result,
			    gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GBytes) chunk = NULL;
	RequestData *rd = g_task_get_task_data (task);
	GError *error = NULL;

	chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result, &error);
	if (!chunk) {
		hubspot_connection_request_finish_read (task, error);
		return;
	}

	if (g_bytes_get_size (chunk) == 0) {
		hubspot_connection_request_finish_read (task, NULL);
		return;
	}

	if (rd->body->len + g_bytes_get_size (chunk) > HUBSPOT_MAX_ANSWER) {
		hubspot_connection_request_finish_read (task, hubspot_connection_too_large_error ());
		return;
	}

	g_byte_array_append (rd->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
	g_input_stream_read_bytes_async (rd->stream, HUBSPOT_READ_CHUNK, G_PRIORITY_DEFAULT,
		rd->cancellable, hubspot_connection_read_cb, g_steal_pointer (&task));
}

static void
hubspot_connection_request_done_cb (GObject *source_object,
				    GAsyncResult *result,
				    gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	RequestData *rd = g_task_get_task_data (task);
	GError *error = NULL;

	rd->stream = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
	if (!rd->stream || !hubspot_connection_check_length (soup_message_get_response_headers (rd->msg), &error)) {
		hubspot_connection_request_finish_read (task, error);
		return;
	}

	rd->body = g_byte_array_new ();
	g_input_stream_read_bytes_async (rd->stream, HUBSPOT_READ_CHUNK, G_PRIORITY_DEFAULT,
		rd->cancellable, hubspot_connection_read_cb, g_steal_pointer (&task));
}

static void
hubspot_connection_exchange_end (GTask *exchange,
				 const HubSpotAnswer *answer,
				 GBytes *body,
				 GError *error)
{
	RequestData *rd = g_task_get_task_data (exchange);

	if (rd->answered) {
		/* Cancelled first: the late answer is dropped. */
		g_clear_error (&error);
		return;
	}

	rd->answered = TRUE;
	if (rd->cancel_source) {
		g_source_destroy (rd->cancel_source);
		g_clear_pointer (&rd->cancel_source, g_source_unref);
	}

	/* The bounds of libsoup's path (docs/design.md, "Hostile input"). */
	if (!error && hubspot_connection_check_length (answer->headers, &error) &&
	    body && g_bytes_get_size (body) > HUBSPOT_MAX_ANSWER)
		error = hubspot_connection_too_large_error ();

	hubspot_connection_request_answered (exchange, answer, body, error);
}

void
e_hubspot_connection_exchange_return (GTask *exchange,
				      guint status,
				      SoupMessageHeaders *response_headers,
				      GBytes *body)
{
	g_autoptr(SoupMessageHeaders) none = NULL;
	HubSpotAnswer answer;

	g_return_if_fail (G_IS_TASK (exchange));
	g_return_if_fail (g_task_get_source_tag (exchange) == e_hubspot_connection_request);

	if (!response_headers)
		response_headers = none = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

	answer.status = status;
	answer.reason = soup_status_get_phrase (status);
	answer.headers = response_headers;
	hubspot_connection_exchange_end (exchange, &answer, body, NULL);

	g_object_unref (exchange);
}

void
e_hubspot_connection_exchange_return_error (GTask *exchange,
					    GError *error)
{
	g_return_if_fail (G_IS_TASK (exchange));
	g_return_if_fail (g_task_get_source_tag (exchange) == e_hubspot_connection_request);
	g_return_if_fail (error != NULL);

	hubspot_connection_exchange_end (exchange, NULL, NULL, error);

	g_object_unref (exchange);
}

static gboolean
hubspot_connection_exchange_cancelled_cb (GCancellable *cancellable,
					  gpointer user_data)
{
	GTask *exchange = user_data;
	GError *error = NULL;

	g_cancellable_set_error_if_cancelled (cancellable, &error);
	hubspot_connection_exchange_end (exchange, NULL, NULL, error);

	return G_SOURCE_REMOVE;
}

/* Hands the exchange to the tests' transport instead of libsoup. */
static void
hubspot_connection_send_to_transport (EHubSpotConnection *cnc,
				      GTask *task,
				      GBytes *body)
{
	RequestData *rd = g_task_get_task_data (task);
	g_autofree gchar *uri = g_uri_to_string (soup_message_get_uri (rd->msg));

	/* A cancelled exchange ends at once, as libsoup's does. */
	if (rd->cancellable) {
		rd->cancel_source = g_cancellable_source_new (rd->cancellable);
		g_source_set_callback (rd->cancel_source, G_SOURCE_FUNC (hubspot_connection_exchange_cancelled_cb),
			g_object_ref (task), g_object_unref);
		g_source_attach (rd->cancel_source, g_task_get_context (task));
	}

	cnc->transport_send (task, soup_message_get_method (rd->msg), uri,
		soup_message_get_request_headers (rd->msg), body, rd->cancellable, cnc->transport_data);
}

void
e_hubspot_connection_request (EHubSpotConnection *cnc,
			      EHubSpotCredential *credential,
			      const gchar *method,
			      const gchar *path_and_query,
			      JsonNode *body,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task;
	RequestData *rd;
	g_autoptr(GBytes) bytes = NULL;
	GError *error = NULL;

	g_return_if_fail (E_IS_HUBSPOT_CONNECTION (cnc));
	g_return_if_fail (credential == NULL || E_IS_HUBSPOT_CREDENTIAL (credential));

	task = g_task_new (cnc, cancellable, callback, user_data);
	g_task_set_source_tag (task, e_hubspot_connection_request);

	rd = g_new0 (RequestData, 1);
	rd->info.status = 0;
	g_task_set_task_data (task, rd, request_data_free);

	rd->msg = hubspot_connection_new_message (cnc, credential, method, path_and_query, body, &rd->info.token_serial, &bytes, &error);
	if (!rd->msg) {
		g_task_return_error (task, error);
		g_object_unref (task);
		return;
	}

	rd->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
	if (cnc->transport_send) {
		hubspot_connection_send_to_transport (cnc, task, bytes);
		return;
	}
	soup_session_send_async (cnc->session, rd->msg, G_PRIORITY_DEFAULT, cancellable,
		hubspot_connection_request_done_cb, task);
}

JsonNode *
e_hubspot_connection_request_finish (EHubSpotConnection *cnc,
				     GAsyncResult *result,
				     EHubSpotResponseInfo *out_info,
				     GError **error)
{
	g_return_val_if_fail (g_task_is_valid (result, cnc), NULL);

	if (out_info) {
		RequestData *rd = g_task_get_task_data (G_TASK (result));

		*out_info = rd->info;
	}

	return g_task_propagate_pointer (G_TASK (result), error);
}

static GBytes *
hubspot_connection_send_and_read_sync (EHubSpotConnection *cnc,
				       SoupMessage *msg,
				       GCancellable *cancellable,
				       GError **error)
{
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GByteArray) body = NULL;

	stream = soup_session_send (cnc->session, msg, cancellable, error);
	if (!stream || !hubspot_connection_check_length (soup_message_get_response_headers (msg), error))
		return NULL;

	body = g_byte_array_new ();
	for (;;) {
		g_autoptr(GBytes) chunk = g_input_stream_read_bytes (stream, HUBSPOT_READ_CHUNK, cancellable, error);

		if (!chunk)
			return NULL;
		if (g_bytes_get_size (chunk) == 0)
			break;
		if (body->len + g_bytes_get_size (chunk) > HUBSPOT_MAX_ANSWER) {
			g_propagate_error (error, hubspot_connection_too_large_error ());
			return NULL;
		}
		g_byte_array_append (body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
	}

	return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

static void
hubspot_connection_sync_done_cb (GObject *source_object,
				 GAsyncResult *result,
				 gpointer user_data)
{
	*(GAsyncResult **) user_data = g_object_ref (result);
}

/* A transport answers on a main context: the sync call runs one of its own. */
static JsonNode *
hubspot_connection_request_via_transport_sync (EHubSpotConnection *cnc,
					       EHubSpotCredential *credential,
					       const gchar *method,
					       const gchar *path_and_query,
					       JsonNode *body,
					       EHubSpotResponseInfo *out_info,
					       GCancellable *cancellable,
					       GError **error)
{
	g_autoptr(GMainContext) context = g_main_context_new ();
	g_autoptr(GAsyncResult) result = NULL;

	g_main_context_push_thread_default (context);
	e_hubspot_connection_request (cnc, credential, method, path_and_query, body, cancellable,
		hubspot_connection_sync_done_cb, &result);
	while (!result)
		g_main_context_iteration (context, TRUE);
	g_main_context_pop_thread_default (context);

	return e_hubspot_connection_request_finish (cnc, result, out_info, error);
}

JsonNode *
e_hubspot_connection_request_sync (EHubSpotConnection *cnc,
				   EHubSpotCredential *credential,
				   const gchar *method,
				   const gchar *path_and_query,
				   JsonNode *body,
				   EHubSpotResponseInfo *out_info,
				   GCancellable *cancellable,
				   GError **error)
{
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GBytes) bytes = NULL;
	GError *local_error = NULL;
	HubSpotAnswer answer;
	guint token_serial = 0;

	g_return_val_if_fail (E_IS_HUBSPOT_CONNECTION (cnc), NULL);
	g_return_val_if_fail (credential == NULL || E_IS_HUBSPOT_CREDENTIAL (credential), NULL);

	if (cnc->transport_send)
		return hubspot_connection_request_via_transport_sync (cnc, credential, method, path_and_query, body,
			out_info, cancellable, error);

	msg = hubspot_connection_new_message (cnc, credential, method, path_and_query, body, &token_serial, NULL, error);
	if (!msg)
		return NULL;
	if (out_info)
		out_info->token_serial = token_serial;

	bytes = hubspot_connection_send_and_read_sync (cnc, msg, cancellable, &local_error);
	hubspot_answer_from_message (&answer, msg);
	hubspot_debug_response (msg, &answer, bytes, local_error);
	if (!bytes) {
		g_propagate_error (error, local_error);
		return NULL;
	}

	return hubspot_connection_read_response (&answer, bytes, out_info, error);
}

/* The typed calls: each HubSpot path is built here, once, from
 * e-hubspot-paths.h. */

/* prefix, value escaped, then suffix (may be NULL). */
static gchar *
hubspot_path_with (const gchar *prefix,
		   const gchar *value,
		   const gchar *suffix)
{
	g_autofree gchar *escaped = g_uri_escape_string (value ? value : "", NULL, FALSE);

	return g_strconcat (prefix, escaped, suffix, NULL);
}

/* A call on one meeting: /crm/objects/2026-03/meetings/{id}[query]. */
static void
hubspot_connection_meeting_request (EHubSpotConnection *cnc,
				    EHubSpotCredential *credential,
				    const gchar *method,
				    const gchar *meeting_id,
				    const gchar *query,
				    JsonNode *body,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autofree gchar *path = NULL;

	g_return_if_fail (meeting_id && *meeting_id);

	path = hubspot_path_with (E_HUBSPOT_CRM_MEETINGS_PATH "/", meeting_id, query);
	e_hubspot_connection_request (cnc, credential, method, path, body, cancellable, callback, user_data);
}

void
e_hubspot_connection_create_meeting (EHubSpotConnection *cnc,
				     EHubSpotCredential *credential,
				     const gchar *organizer_user_id,
				     JsonNode *body,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	g_autofree gchar *path = hubspot_path_with (E_HUBSPOT_MEETINGS_CALENDAR_PATH "?organizerUserId=",
		organizer_user_id, NULL);

	e_hubspot_connection_request (cnc, credential, "POST", path, body, cancellable, callback, user_data);
}

void
e_hubspot_connection_batch_meetings (EHubSpotConnection *cnc,
				     EHubSpotCredential *credential,
				     EHubSpotBatch *batch,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	g_autoptr(JsonNode) body = NULL;

	g_return_if_fail (batch != NULL);

	body = e_hubspot_batch_build_body (batch);
	e_hubspot_connection_request (cnc, credential, "POST", e_hubspot_batch_get_path (batch), body,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_update_meeting (EHubSpotConnection *cnc,
				     EHubSpotCredential *credential,
				     const gchar *meeting_id,
				     JsonNode *body,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	hubspot_connection_meeting_request (cnc, credential, "PATCH", meeting_id, NULL, body,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_archive_meeting (EHubSpotConnection *cnc,
				      EHubSpotCredential *credential,
				      const gchar *meeting_id,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	hubspot_connection_meeting_request (cnc, credential, "DELETE", meeting_id, NULL, NULL,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_search_meetings (EHubSpotConnection *cnc,
				      EHubSpotCredential *credential,
				      JsonNode *body,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	e_hubspot_connection_request (cnc, credential, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH, body,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_associate_meeting (EHubSpotConnection *cnc,
					EHubSpotCredential *credential,
					gint association_type,
					JsonNode *body,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	g_return_if_fail (association_type == E_HUBSPOT_ASSOCIATION_CONTACT ||
			  association_type == E_HUBSPOT_ASSOCIATION_COMPANY);

	e_hubspot_connection_request (cnc, credential, "POST",
		association_type == E_HUBSPOT_ASSOCIATION_COMPANY ?
			E_HUBSPOT_MEETING_COMPANIES_CREATE_PATH : E_HUBSPOT_MEETING_CONTACTS_CREATE_PATH,
		body, cancellable, callback, user_data);
}

void
e_hubspot_connection_lookup_owner (EHubSpotConnection *cnc,
				   EHubSpotCredential *credential,
				   const gchar *email,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autofree gchar *path = NULL;

	g_return_if_fail (email && *email);

	path = hubspot_path_with (E_HUBSPOT_OWNERS_PATH "?email=", email, NULL);
	e_hubspot_connection_request (cnc, credential, "GET", path, NULL, cancellable, callback, user_data);
}

/* HubSpot's largest page of owners. */
#define OWNERS_PAGE_PATH E_HUBSPOT_OWNERS_PATH "?limit=100"

void
e_hubspot_connection_list_owners (EHubSpotConnection *cnc,
				  EHubSpotCredential *credential,
				  const gchar *after,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autofree gchar *path = NULL;

	path = after ? hubspot_path_with (OWNERS_PAGE_PATH "&after=", after, NULL) : g_strdup (OWNERS_PAGE_PATH);
	e_hubspot_connection_request (cnc, credential, "GET", path, NULL, cancellable, callback, user_data);
}

void
e_hubspot_connection_read_contacts (EHubSpotConnection *cnc,
				    EHubSpotCredential *credential,
				    JsonNode *body,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	e_hubspot_connection_request (cnc, credential, "POST", E_HUBSPOT_CONTACTS_READ_PATH, body,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_create_contact (EHubSpotConnection *cnc,
				     EHubSpotCredential *credential,
				     JsonNode *body,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	e_hubspot_connection_request (cnc, credential, "POST", E_HUBSPOT_CONTACTS_PATH, body,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_read_contact_companies (EHubSpotConnection *cnc,
					     EHubSpotCredential *credential,
					     JsonNode *body,
					     GCancellable *cancellable,
					     GAsyncReadyCallback callback,
					     gpointer user_data)
{
	e_hubspot_connection_request (cnc, credential, "POST", E_HUBSPOT_CONTACT_COMPANIES_READ_PATH, body,
		cancellable, callback, user_data);
}

void
e_hubspot_connection_get_account_info (EHubSpotConnection *cnc,
				       EHubSpotCredential *credential,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	e_hubspot_connection_request (cnc, credential, "GET", E_HUBSPOT_ACCOUNT_INFO_PATH, NULL,
		cancellable, callback, user_data);
}

/* The answer of GET /account-info/2026-03/details: the portal and its UI domain. */
gboolean
e_hubspot_connection_parse_account_info (JsonNode *node,
					 gchar **out_portal_id,
					 gchar **out_ui_domain,
					 GError **error)
{
	g_autofree gchar *portal_id = e_hubspot_json_dup_id (node, "portalId");
	g_autofree gchar *ui_domain = e_hubspot_json_dup_id (node, "uiDomain");

	if (!portal_id || !ui_domain) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s account details lack the portal id or the UI domain"));
		return FALSE;
	}

	if (out_portal_id)
		*out_portal_id = g_steal_pointer (&portal_id);
	if (out_ui_domain)
		*out_ui_domain = g_steal_pointer (&ui_domain);

	return TRUE;
}

gboolean
e_hubspot_connection_parse_owner (JsonNode *node,
				  const gchar *email,
				  gchar **out_owner_id,
				  gchar **out_user_id,
				  GError **error)
{
	JsonObject *object;
	JsonArray *results = NULL;
	guint ii;

	g_return_val_if_fail (email && *email, FALSE);

	object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
	if (object && json_object_has_member (object, "results") &&
	    JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "results")))
		results = json_object_get_array_member (object, "results");

	for (ii = 0; results && ii < json_array_get_length (results); ii++) {
		JsonNode *item = json_array_get_element (results, ii);
		JsonObject *owner = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
		const gchar *owner_email = owner ? json_object_get_string_member_with_default (owner, "email", NULL) : NULL;
		g_autofree gchar *owner_id = NULL;
		g_autofree gchar *user_id = NULL;

		/* The filter is HubSpot's; check the answer anyway. */
		if (!owner_email || g_ascii_strcasecmp (owner_email, email) != 0)
			continue;

		owner_id = e_hubspot_json_dup_id (item, "id");
		user_id = e_hubspot_json_dup_id (item, "userId");
		if (!owner_id || !user_id)
			continue;

		if (out_owner_id)
			*out_owner_id = g_steal_pointer (&owner_id);
		if (out_user_id)
			*out_user_id = g_steal_pointer (&user_id);
		return TRUE;
	}

	g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND,
		_("No HubSpot user has the e-mail address “%s”"), email);
	return FALSE;
}

gboolean
e_hubspot_connection_get_account_info_sync (EHubSpotConnection *cnc,
					    EHubSpotCredential *credential,
					    gchar **out_portal_id,
					    gchar **out_ui_domain,
					    GCancellable *cancellable,
					    GError **error)
{
	g_autoptr(JsonNode) node = NULL;

	node = e_hubspot_connection_request_sync (cnc, credential, "GET", E_HUBSPOT_ACCOUNT_INFO_PATH, NULL,
		NULL, cancellable, error);

	return node && e_hubspot_connection_parse_account_info (node, out_portal_id, out_ui_domain, error);
}

gboolean
e_hubspot_connection_lookup_owner_sync (EHubSpotConnection *cnc,
					EHubSpotCredential *credential,
					const gchar *email,
					gchar **out_owner_id,
					gchar **out_user_id,
					GCancellable *cancellable,
					GError **error)
{
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *path = NULL;

	g_return_val_if_fail (email && *email, FALSE);

	path = hubspot_path_with (E_HUBSPOT_OWNERS_PATH "?email=", email, NULL);
	node = e_hubspot_connection_request_sync (cnc, credential, "GET", path, NULL, NULL, cancellable, error);
	if (!node)
		return FALSE;

	return e_hubspot_connection_parse_owner (node, email, out_owner_id, out_user_id, error);
}

void
e_hubspot_token_free (gchar *token)
{
	if (token)
		memset (token, 0, strlen (token));
	g_free (token);
}
