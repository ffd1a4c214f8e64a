/* hubspot-mock.c: a strict mock of the HubSpot API parts this project uses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This file holds the server itself: options, listening, authentication,
 * rate limiting, fault injection, recording and the delayed delivery of
 * answers.  The API endpoints are in hubspot-mock-api.c, the /__mock/
 * control endpoints in hubspot-mock-control.c, the stored data in
 * hubspot-mock-store.c, contacts and companies in hubspot-mock-contacts.c,
 * associations in hubspot-mock-associations.c, the meetings' batch calls
 * in hubspot-mock-batch.c, the OAuth 2 authorization
 * server in hubspot-mock-oauth.c.  See README.md for the reference.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <gio/gio.h>

#include "hubspot-mock-private.h"

#define JSON_CONTENT_TYPE "application/json;charset=utf-8"
#define DEFAULT_RATE_MAX 190
#define DEFAULT_OAUTH_RATE_MAX 110
#define DEFAULT_RATE_WINDOW_MS 10000
#define DAILY_LIMIT 500000

static gboolean verbose = FALSE;

gint64
mock_now_ms (void)
{
	return g_get_real_time () / 1000;
}

gchar *
mock_iso_time (gint64 ms)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
	g_autofree gchar *text = NULL;

	if (!dt)
		return g_strdup ("1970-01-01T00:00:00.000Z");

	text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

	return g_strdup_printf ("%s.%03dZ", text, (gint) (ms % 1000));
}

/* Query strings: application/x-www-form-urlencoded; a repeated name
 * (?properties=a&properties=b) is joined with ',' like HubSpot's lists. */
static gchar *
form_decode (const gchar *text,
	     gssize len)
{
	g_autofree gchar *copy = len < 0 ? g_strdup (text) : g_strndup (text, len);
	gchar *decoded, *p;

	for (p = copy; *p; p++) {
		if (*p == '+')
			*p = ' ';
	}

	decoded = g_uri_unescape_string (copy, NULL);
	if (!decoded)
		decoded = g_steal_pointer (&copy);

	if (!g_utf8_validate (decoded, -1, NULL)) {
		gchar *valid = g_utf8_make_valid (decoded, -1);

		g_free (decoded);
		decoded = valid;
	}

	return decoded;
}

static GHashTable *
parse_query (const gchar *query)
{
	GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) pairs = NULL;
	guint ii;

	if (!query || !*query)
		return table;

	pairs = g_strsplit (query, "&", -1);
	for (ii = 0; pairs[ii]; ii++) {
		const gchar *eq = strchr (pairs[ii], '=');
		gchar *name, *value;
		const gchar *existing;

		if (!*pairs[ii])
			continue;

		name = form_decode (pairs[ii], eq ? eq - pairs[ii] : -1);
		value = eq ? form_decode (eq + 1, -1) : g_strdup ("");

		existing = g_hash_table_lookup (table, name);
		if (existing) {
			gchar *joined = g_strconcat (existing, ",", value, NULL);

			g_free (value);
			value = joined;
		}

		g_hash_table_replace (table, name, value);
	}

	return table;
}

const gchar *
mock_json_get_string (JsonObject *object,
		      const gchar *name)
{
	JsonNode *node = object ? json_object_get_member (object, name) : NULL;

	if (!node || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;

	return json_node_get_string (node);
}

const gchar *
mock_query (MockRequest *req,
	    const gchar *name)
{
	return g_hash_table_lookup (req->query, name);
}

/* The authorization server's paths, retired ones too */
static gboolean
is_oauth_path (const gchar *path)
{
	return g_str_has_prefix (path, "/oauth/");
}

/* Static tokens and OAuth access tokens have limits of their own
 * (README.md, "Rate limits by credential") */
static GQueue *
rate_times (MockRequest *req)
{
	return req->oauth_credential ? &req->mock->oauth_rate_times : &req->mock->rate_times;
}

static guint
rate_limit (MockRequest *req)
{
	return req->oauth_credential ? req->mock->oauth_rate_limit : req->mock->rate_limit;
}

/* The rolling window: the times of the requests it counted */
static gboolean
rate_limit_allows (MockRequest *req)
{
	GQueue *times = rate_times (req);
	gint64 now = g_get_monotonic_time ();
	gint64 window_us = (gint64) req->mock->rate_window_ms * 1000;
	gint64 *stamp;

	while ((stamp = g_queue_peek_head (times)) && now - *stamp >= window_us)
		g_free (g_queue_pop_head (times));

	if (!rate_limit (req))
		return TRUE;

	if (g_queue_get_length (times) >= rate_limit (req))
		return FALSE;

	stamp = g_new (gint64, 1);
	*stamp = now;
	g_queue_push_tail (times, stamp);

	return TRUE;
}

/* HubSpot sends no rate-limit headers with search answers */
static gboolean
is_search_path (const gchar *path)
{
	const gchar *last = strrchr (path, '/');

	return g_str_has_prefix (path, "/crm/") && last && g_str_equal (last, "/search");
}

static void
add_rate_headers (MockRequest *req,
		  SoupMessageHeaders *headers)
{
	MockServer *mock = req->mock;
	g_autofree gchar *max = NULL, *remaining = NULL, *interval = NULL, *daily_remaining = NULL;
	guint limit = rate_limit (req);

	if (is_oauth_path (req->path) || is_search_path (req->path))
		return;

	if (limit) {
		guint used = g_queue_get_length (rate_times (req));

		max = g_strdup_printf ("%u", limit);
		remaining = g_strdup_printf ("%u", used >= limit ? 0 : limit - used);
		interval = g_strdup_printf ("%u", mock->rate_window_ms);
	} else {
		guint default_max = req->oauth_credential ? DEFAULT_OAUTH_RATE_MAX : DEFAULT_RATE_MAX;

		/* Not enforcing: constant, so that clients pacing on them never wait */
		max = g_strdup_printf ("%u", default_max);
		remaining = g_strdup_printf ("%u", default_max - 1);
		interval = g_strdup_printf ("%u", DEFAULT_RATE_WINDOW_MS);
	}

	soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Max", max);
	soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Remaining", remaining);
	soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Interval-Milliseconds", interval);

	/* Not sent for OAuth calls */
	if (req->oauth_credential)
		return;

	daily_remaining = g_strdup_printf ("%" G_GUINT64_FORMAT,
		mock->n_daily >= DAILY_LIMIT ? 0 : DAILY_LIMIT - mock->n_daily);

	soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Daily", G_STRINGIFY (DAILY_LIMIT));
	soup_message_headers_replace (headers, "X-HubSpot-RateLimit-Daily-Remaining", daily_remaining);
}

static gboolean
check_auth (MockRequest *req)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
	const gchar *value = soup_message_headers_get_one (headers, "Authorization");
	MockOAuthTokenState state = MOCK_OAUTH_TOKEN_UNKNOWN;
	gint64 expired_ms_ago = 0;

	if (!value) {
		mock_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
			NULL);
		return FALSE;
	}

	if (g_ascii_strncasecmp (value, "Bearer ", 7) == 0 && g_strcmp0 (value + 7, req->mock->token) == 0)
		return TRUE;

	if (g_ascii_strncasecmp (value, "Bearer ", 7) == 0)
		state = mock_oauth_check_access_token (req->mock, value + 7, &expired_ms_ago);

	if (state == MOCK_OAUTH_TOKEN_VALID) {
		req->oauth_credential = TRUE;
		return TRUE;
	}

	if (state == MOCK_OAUTH_TOKEN_EXPIRED) {
		g_autofree gchar *uuid = g_uuid_string_random ();
		g_autofree gchar *message = g_strdup_printf ("The OAuth token used to make this call expired %"
			G_GINT64_FORMAT " second(s) ago.", expired_ms_ago / 1000);
		JsonObject *body = json_object_new ();

		/* HubSpot's body has no errors[] here */
		json_object_set_string_member (body, "status", "error");
		json_object_set_string_member (body, "message", message);
		json_object_set_string_member (body, "correlationId", uuid);
		json_object_set_string_member (body, "category", "EXPIRED_AUTHENTICATION");
		req->oauth_credential = TRUE;
		mock_reply_object (req, SOUP_STATUS_UNAUTHORIZED, body);
		return FALSE;
	}

	mock_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "INVALID_AUTHENTICATION",
		"Authentication credentials are invalid: the access token is not valid (hubspot-mock)", NULL);

	return FALSE;
}

MockFault *
mock_match_fault (MockRequest *req,
		  gboolean batch_inputs)
{
	MockServer *mock = req->mock;
	guint ii;

	for (ii = 0; ii < mock->faults->len; ii++) {
		MockFault *fault = g_ptr_array_index (mock->faults, ii);

		if (fault->count == 0)
			continue;
		if ((fault->kind == MOCK_FAULT_BATCH_INPUTS) != batch_inputs)
			continue;
		if (fault->match && !strstr (req->path, fault->match))
			continue;
		if (fault->method && g_ascii_strcasecmp (fault->method, req->method) != 0)
			continue;
		/* A rule with a rate that does not fire lets the next rule try */
		if (fault->rate >= 0 && g_rand_double (mock->rand) >= fault->rate)
			continue;

		return fault;
	}

	return NULL;
}

void
mock_fault_apply (MockRequest *req,
		  MockFault *fault)
{
	if (fault->count > 0)
		fault->count--;
	fault->applied++;
	req->mock->n_faults_applied++;
	req->delay_ms += fault->delay_ms;

	g_clear_pointer (&req->fault, mock_fault_free);
	req->fault = mock_fault_copy (fault);
}

static void
record_start (MockRequest *req)
{
	MockServer *mock = req->mock;
	JsonObject *record = json_object_new ();
	JsonObject *query = json_object_new ();
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_iter_init (&iter, req->query);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		/* No secret in a record, even one sent where it does not belong */
		if (is_oauth_path (req->path) && mock_oauth_is_secret_name (key))
			value = (gpointer) "<redacted>";
		json_object_set_string_member (query, key, value);
	}

	json_object_set_int_member (record, "seq", (gint64) mock->next_seq++);
	json_object_set_string_member (record, "method", req->method);
	json_object_set_string_member (record, "path", req->path);
	json_object_set_object_member (record, "query", query);
	json_object_set_boolean_member (record, "authorized", FALSE);

	if (is_oauth_path (req->path)) {
		/* No secret in a record: the token endpoint's form, or one sent
		 * to a retired token path */
		json_object_set_member (record, "body", mock_oauth_record_body (req));
	} else if (req->body) {
		json_object_set_member (record, "body", json_node_copy (req->body));
	} else if (!req->body_empty) {
		SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
		g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
		gsize len = 0;
		const gchar *data = g_bytes_get_data (bytes, &len);
		g_autofree gchar *text = g_utf8_make_valid (data, len);

		json_object_set_string_member (record, "body", text);
	} else {
		json_object_set_null_member (record, "body");
	}

	json_object_set_int_member (record, "status", 0);
	json_object_set_null_member (record, "response");
	json_object_set_null_member (record, "fault");

	req->record = json_node_init_object (json_node_alloc (), record);
	json_object_unref (record);
	g_ptr_array_add (mock->requests, json_node_ref (req->record));
}

static void
record_finish (MockRequest *req,
	       guint status,
	       const gchar *answer_text)
{
	JsonObject *record = json_node_get_object (req->record);

	json_object_set_int_member (record, "status", status);

	/* Tokens stay out of a record, even cut in half */
	if (req->response && req->redact_response)
		json_object_set_member (record, "response", mock_oauth_redact_response (req->response));
	else if (req->fault && req->fault->kind == MOCK_FAULT_MALFORMED_JSON && answer_text)
		json_object_set_string_member (record, "response", answer_text);
	else if (req->response)
		json_object_set_member (record, "response", json_node_copy (req->response));
	else if (req->html)
		json_object_set_string_member (record, "response", req->html);

	if (req->fault) {
		g_autofree gchar *text = NULL;

		if (req->fault->kind == MOCK_FAULT_STATUS)
			text = g_strdup_printf ("status:%u", req->fault->status);
		else
			text = g_strdup (mock_fault_kind_to_string (req->fault->kind));
		json_object_set_string_member (record, "fault", text);
	}

	if (req->mock->record_file) {
		g_autofree gchar *line = mock_json_to_string (req->record);

		fprintf (req->mock->record_file, "%s\n", line);
		fflush (req->mock->record_file);
	}

	if (verbose)
		g_printerr ("hubspot-mock: #%" G_GINT64_FORMAT " %s %s -> %u%s%s\n",
			json_object_get_int_member (record, "seq"), req->method, req->path, status,
			req->fault ? " fault " : "",
			req->fault ? json_object_get_string_member (record, "fault") : "");
}

static void
mock_request_free (MockRequest *req)
{
	if (req->finished_handler)
		g_signal_handler_disconnect (req->msg, req->finished_handler);
	g_clear_object (&req->msg);
	g_free (req->path);
	g_clear_pointer (&req->query, g_hash_table_unref);
	g_clear_pointer (&req->body, json_node_unref);
	g_free (req->body_error);
	g_clear_pointer (&req->record, json_node_unref);
	g_free (req->reason);
	g_clear_pointer (&req->response, json_node_unref);
	g_free (req->html);
	g_clear_pointer (&req->extra_headers, g_hash_table_unref);
	g_clear_pointer (&req->fault, mock_fault_free);
	g_free (req);
}

static gboolean
forget_connection_cb (gpointer key,
		      gpointer value,
		      gpointer user_data)
{
	return value == user_data;
}

static void
connection_gone_cb (gpointer user_data,
		    GObject *where_the_object_was)
{
	MockServer *mock = user_data;

	g_hash_table_foreach_remove (mock->connections, forget_connection_cb, where_the_object_was);
}

static guint
address_port (GSocketAddress *address)
{
	if (!G_IS_INET_SOCKET_ADDRESS (address))
		return 0;

	return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* We accept the connections ourselves and hand them to libsoup: libsoup
 * 3.2's own listener leaks every accepted socket (fixed in 3.4). */
static gboolean
incoming_cb (GSocketService *service,
	     GSocketConnection *connection,
	     GObject *source_object,
	     gpointer user_data)
{
	MockServer *mock = user_data;
	g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
	g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

	/* The client may be gone already */
	if (!local || !remote)
		return TRUE;

	g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

	g_hash_table_replace (mock->connections, GUINT_TO_POINTER (address_port (remote)), connection);
	g_object_weak_ref (G_OBJECT (connection), connection_gone_cb, mock);

	soup_server_accept_iostream (mock->server, G_IO_STREAM (connection), local, remote, NULL);

	return TRUE;
}

static GSocket *
message_socket (MockServer *mock,
		SoupServerMessage *msg)
{
	GSocketConnection *connection = g_hash_table_lookup (mock->connections,
		GUINT_TO_POINTER (address_port (soup_server_message_get_remote_address (msg))));

	return connection ? g_socket_connection_get_socket (connection) : NULL;
}

static gboolean
request_drops (MockRequest *req)
{
	return req->fault && (req->fault->kind == MOCK_FAULT_DROP ||
			      req->fault->kind == MOCK_FAULT_DROP_AFTER_CREATE);
}

static void
deliver (MockRequest *req)
{
	if (request_drops (req) && !req->finished) {
		GSocket *socket = message_socket (req->mock, req->msg);

		/* The client sees the connection closed without an answer;
		 * libsoup then fails its write and drops the connection. */
		if (socket)
			g_socket_shutdown (socket, TRUE, TRUE, NULL);
	}

	if (req->paused && !req->finished)
		soup_server_message_unpause (req->msg);

	mock_request_free (req);
}

static gboolean
deliver_timeout_cb (gpointer user_data)
{
	deliver (user_data);

	return G_SOURCE_REMOVE;
}

static void
message_finished_cb (SoupServerMessage *msg,
		     gpointer user_data)
{
	MockRequest *req = user_data;

	req->finished = TRUE;
}

static void
finish_request (MockRequest *req)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
	g_autofree gchar *text = NULL;
	gboolean drops = request_drops (req);

	if (req->response)
		text = mock_json_to_string (req->response);

	if (req->fault && req->fault->kind == MOCK_FAULT_MALFORMED_JSON) {
		gsize len = text ? strlen (text) : 0;

		/* An answer cut in the middle, as by a broken proxy */
		if (len < 4) {
			g_free (text);
			text = g_strdup ("{\"id\":");
		} else {
			text[len / 2] = '\0';
		}
		req->status = SOUP_STATUS_OK;
		g_clear_pointer (&req->reason, g_free);
	}

	if (!req->status)
		req->status = drops ? SOUP_STATUS_INTERNAL_SERVER_ERROR : SOUP_STATUS_NO_CONTENT;

	if (req->record) {
		add_rate_headers (req, headers);
		record_finish (req, drops ? 0 : req->status, text);
	}

	/* Without libsoup's own listener, libsoup closes every connection
	 * after its answer; say so, or clients would reuse it and fail */
	soup_message_headers_replace (headers, "Connection", "close");

	if (req->extra_headers) {
		GHashTableIter iter;
		gpointer key, value;

		g_hash_table_iter_init (&iter, req->extra_headers);
		while (g_hash_table_iter_next (&iter, &key, &value))
			soup_message_headers_replace (headers, key, value);
	}

	if (!req->reason) {
		/* libsoup 3.2 knows no phrase for these */
		if (req->status == 423)
			req->reason = g_strdup ("Locked");
		else if (req->status == 429)
			req->reason = g_strdup ("Too Many Requests");
		else if (req->status == 477)
			req->reason = g_strdup ("Migration In Progress");
	}

	soup_server_message_set_status (req->msg, req->status, req->reason);
	if (req->html && !drops) {
		gsize len = strlen (req->html);

		soup_server_message_set_response (req->msg, "text/html;charset=utf-8", SOUP_MEMORY_TAKE,
			g_steal_pointer (&req->html), len);
	} else if (text && !drops && req->status != SOUP_STATUS_NO_CONTENT) {
		gsize len = strlen (text);

		soup_server_message_set_response (req->msg, JSON_CONTENT_TYPE, SOUP_MEMORY_TAKE,
			g_steal_pointer (&text), len);
	}

	if (req->delay_ms > 0) {
		/* Answer later without blocking the other clients */
		req->finished_handler = g_signal_connect (req->msg, "finished",
			G_CALLBACK (message_finished_cb), req);
		soup_server_message_pause (req->msg);
		req->paused = TRUE;
		g_timeout_add (req->delay_ms, deliver_timeout_cb, req);
	} else {
		deliver (req);
	}
}

/* TRUE when a fault rule answers (or drops) the request instead of the handler */
static gboolean
apply_fault (MockRequest *req)
{
	MockFault *fault = mock_match_fault (req, FALSE);

	if (!fault)
		return FALSE;

	mock_fault_apply (req, fault);

	if (fault->kind == MOCK_FAULT_STATUS) {
		mock_reply_fault_status (req, fault);
		return TRUE;
	}

	return fault->kind == MOCK_FAULT_DROP;
}

static void
handle_api_request (MockRequest *req)
{
	MockServer *mock = req->mock;

	mock->n_requests++;
	record_start (req);
	req->delay_ms = mock->delay_ms;

	/* The authorization server: no bearer token, no API limits; faults
	 * and delays apply, so that clients can be tested against its
	 * failures.  Its retired paths are refused like the API's. */
	if (is_oauth_path (req->path)) {
		if (apply_fault (req))
			return;
		if (mock_oauth_is_endpoint (req->path))
			mock_oauth_dispatch (req);
		else
			mock_api_dispatch (req);
		return;
	}

	mock->n_daily++;

	if (!check_auth (req))
		return;

	json_object_set_boolean_member (json_node_get_object (req->record), "authorized", TRUE);

	if (!rate_limit_allows (req)) {
		mock_reply_rate_limited (req, "TEN_SECONDLY_ROLLING");
		return;
	}

	if (!apply_fault (req))
		mock_api_dispatch (req);
}

static void
read_body (MockRequest *req)
{
	SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
	g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
	g_autoptr(JsonParser) parser = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data (bytes, &len);

	if (!len) {
		req->body_empty = TRUE;
		return;
	}

	parser = json_parser_new_immutable ();
	if (!json_parser_load_from_data (parser, data, len, &error)) {
		guint line = 0, column = 0;
		gint consumed = 0;

		/* json-glib says "<data>:LINE:COLUMN: what"; HubSpot (Jackson) names line and column */
		if (sscanf (error->message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
			req->body_error = g_strdup_printf ("on line %u, column %u: %s", line, column, error->message + consumed);
		else
			req->body_error = g_strdup_printf (": %s", error->message);
		return;
	}

	if (!json_parser_get_root (parser)) {
		req->body_empty = TRUE;
		return;
	}

	/* A mutable copy: handlers may need to change it */
	req->body = json_node_copy (json_parser_get_root (parser));
}

static gchar *
decode_path (const gchar *path)
{
	gchar *decoded = g_uri_unescape_string (path, NULL);

	if (!decoded || !g_utf8_validate (decoded, -1, NULL)) {
		g_free (decoded);
		return g_utf8_make_valid (path, -1);
	}

	return decoded;
}

static void
server_cb (SoupServer *server,
	   SoupServerMessage *msg,
	   const gchar *path,
	   GHashTable *query,
	   gpointer user_data)
{
	MockRequest *req = g_new0 (MockRequest, 1);
	GUri *uri = soup_server_message_get_uri (msg);

	req->mock = user_data;
	req->msg = g_object_ref (msg);
	req->method = soup_server_message_get_method (msg);
	req->path = decode_path (g_uri_get_path (uri));
	req->query = parse_query (g_uri_get_query (uri));
	read_body (req);

	if (g_str_has_prefix (req->path, "/__mock/") || g_strcmp0 (req->path, "/__mock") == 0)
		mock_control_dispatch (req);
	else
		handle_api_request (req);

	finish_request (req);
}

static gboolean
quit_cb (gpointer user_data)
{
	MockServer *mock = user_data;

	g_main_loop_quit (mock->loop);

	return G_SOURCE_CONTINUE;
}

static gboolean
listen_local (MockServer *mock,
	      gint port,
	      guint *out_port,
	      GError **error)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, port);
	g_autoptr(GSocketAddress) effective = NULL;

	mock->service = g_socket_service_new ();
	/* Hundreds of clients may connect at once; the default backlog is 10 */
	g_socket_listener_set_backlog (G_SOCKET_LISTENER (mock->service), 1024);

	if (!g_socket_listener_add_address (G_SOCKET_LISTENER (mock->service), address,
					    G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
					    &effective, error))
		return FALSE;

	g_signal_connect (mock->service, "incoming", G_CALLBACK (incoming_cb), mock);
	g_socket_service_start (mock->service);

	*out_port = address_port (effective);

	return TRUE;
}

static void
raise_fd_limit (void)
{
	struct rlimit limit;

	/* Each client connection is a descriptor; the soft limit is often 1024 */
	if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
		limit.rlim_cur = limit.rlim_max;
		setrlimit (RLIMIT_NOFILE, &limit);
	}
}

static void
mock_server_free (MockServer *mock)
{
	if (mock->service) {
		g_socket_service_stop (mock->service);
		g_socket_listener_close (G_SOCKET_LISTENER (mock->service));
		g_clear_object (&mock->service);
	}
	mock_clear_state (mock);
	g_ptr_array_unref (mock->meetings);
	g_hash_table_unref (mock->meetings_by_id);
	g_ptr_array_unref (mock->contacts);
	g_hash_table_unref (mock->contacts_by_id);
	g_hash_table_unref (mock->contacts_by_email);
	g_ptr_array_unref (mock->companies);
	g_hash_table_unref (mock->companies_by_id);
	g_ptr_array_unref (mock->requests);
	g_ptr_array_unref (mock->faults);
	g_ptr_array_unref (mock->owners);
	g_free (mock->token);
	mock_oauth_free (mock->oauth);
	g_free (mock->ui_domain);
	g_rand_free (mock->rand);
	if (mock->record_file)
		fclose (mock->record_file);
	g_clear_object (&mock->server);
	g_hash_table_unref (mock->connections);
	g_clear_pointer (&mock->loop, g_main_loop_unref);
	g_free (mock);
}

int
main (int argc,
      char **argv)
{
	gint port = 0, delay_ms = 0, rate_limit = 0, rate_window_ms = DEFAULT_RATE_WINDOW_MS;
	gint oauth_rate_limit = 0, oauth_token_lifetime = 1800;
	gint search_lag_ms = 0, seed = -1;
	gint64 portal_id = 4242;
	gboolean external_url = FALSE, legacy_paths = FALSE;
	g_autofree gchar *port_file = NULL, *token = NULL, *record = NULL, *ui_domain = NULL;
	g_autofree gchar *oauth_client_id = NULL, *oauth_client_secret = NULL;
	g_auto(GStrv) owner_specs = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
		{ "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on, on 127.0.0.1 (0: any free port)", "N" },
		{ "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "Write the port number to FILE once listening", "FILE" },
		{ "token", 0, 0, G_OPTION_ARG_STRING, &token, "Bearer token the API calls must carry (default: mock-token)", "TOKEN" },
		{ "record", 0, 0, G_OPTION_ARG_FILENAME, &record, "Append every API request as one JSON line to FILE", "FILE" },
		{ "delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms, "Answer API calls after N milliseconds", "N" },
		{ "external-url", 0, 0, G_OPTION_ARG_NONE, &external_url, "Give created meetings an hs_meeting_external_url", NULL },
		{ "owner", 0, 0, G_OPTION_ARG_STRING_ARRAY, &owner_specs, "An owner of the account (repeatable)", "EMAIL:OWNER_ID:USER_ID" },
		{ "portal-id", 0, 0, G_OPTION_ARG_INT64, &portal_id, "The account's portal id (default 4242)", "N" },
		{ "ui-domain", 0, 0, G_OPTION_ARG_STRING, &ui_domain, "The account's UI domain (default app.hubspot.com)", "DOMAIN" },
		{ "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit, "Enforce N requests per rolling window (default 0: off)", "N" },
		{ "rate-window-ms", 0, 0, G_OPTION_ARG_INT, &rate_window_ms, "The rolling window (default 10000)", "MS" },
		{ "oauth-rate-limit", 0, 0, G_OPTION_ARG_INT, &oauth_rate_limit, "Enforce N calls with OAuth access tokens per rolling window (default 0: off)", "N" },
		{ "oauth-client-id", 0, 0, G_OPTION_ARG_STRING, &oauth_client_id, "The OAuth app's client id (default mock-client-id)", "ID" },
		{ "oauth-client-secret", 0, 0, G_OPTION_ARG_STRING, &oauth_client_secret, "The OAuth app's client secret (default mock-client-secret)", "SECRET" },
		{ "oauth-token-lifetime", 0, 0, G_OPTION_ARG_INT, &oauth_token_lifetime, "Lifetime of issued access tokens (default 1800)", "SECONDS" },
		{ "search-lag-ms", 0, 0, G_OPTION_ARG_INT, &search_lag_ms, "Search does not see meetings younger than MS (default 0)", "MS" },
		{ "legacy-paths", 0, 0, G_OPTION_ARG_NONE, &legacy_paths, "Answer the v1 to v4 paths HubSpot retires (default: 404)", NULL },
		{ "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the random faults (default: random)", "N" },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log every API request to stderr", NULL },
		{ NULL }
	};
	MockServer *mock;
	guint listening_port = 0, ii;

	context = g_option_context_new ("- mock HubSpot API server for tests");
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("hubspot-mock: %s\n", error->message);
		return 2;
	}

	if (port < 0 || port > 65535 || delay_ms < 0 || rate_limit < 0 || rate_window_ms <= 0 ||
	    search_lag_ms < 0 || portal_id <= 0 || oauth_rate_limit < 0 ||
	    oauth_token_lifetime < 1 || oauth_token_lifetime > 86400) {
		g_printerr ("hubspot-mock: a numeric option is out of range\n");
		return 2;
	}

	if ((oauth_client_id && !*oauth_client_id) || (oauth_client_secret && !*oauth_client_secret)) {
		g_printerr ("hubspot-mock: the OAuth client id and secret must not be empty\n");
		return 2;
	}

	mock = g_new0 (MockServer, 1);
	mock->token = g_strdup (token ? token : "mock-token");
	mock->delay_ms = delay_ms;
	mock->external_url = external_url;
	mock->rate_limit = rate_limit;
	mock->oauth_rate_limit = oauth_rate_limit;
	mock->rate_window_ms = rate_window_ms;
	mock->search_lag_ms = search_lag_ms;
	mock->legacy_paths = legacy_paths;
	mock->portal_id = portal_id;
	mock->ui_domain = g_strdup (ui_domain ? ui_domain : "app.hubspot.com");
	mock->owners = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_owner_free);
	mock->meetings = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_meeting_free);
	mock->meetings_by_id = g_hash_table_new (g_str_hash, g_str_equal);
	mock->next_id = 1000001;
	/* Other ranges: an id of the wrong kind is never found by chance */
	mock->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_contact_free);
	mock->contacts_by_id = g_hash_table_new (g_str_hash, g_str_equal);
	mock->contacts_by_email = g_hash_table_new (g_str_hash, g_str_equal);
	mock->next_contact_id = 2000001;
	mock->companies = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_company_free);
	mock->companies_by_id = g_hash_table_new (g_str_hash, g_str_equal);
	mock->next_company_id = 3000001;
	mock->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
	mock->next_seq = 1;
	mock->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_fault_free);
	mock->next_fault_id = 1;
	g_queue_init (&mock->rate_times);
	g_queue_init (&mock->oauth_rate_times);
	mock->oauth = mock_oauth_new (oauth_client_id ? oauth_client_id : "mock-client-id",
		oauth_client_secret ? oauth_client_secret : "mock-client-secret", oauth_token_lifetime);
	mock->connections = g_hash_table_new (g_direct_hash, g_direct_equal);
	mock->rand = seed >= 0 ? g_rand_new_with_seed (seed) : g_rand_new ();

	if (owner_specs && *owner_specs) {
		for (ii = 0; owner_specs[ii]; ii++) {
			MockOwner *owner = mock_owner_new_from_spec (owner_specs[ii], &error);

			if (!owner) {
				g_printerr ("hubspot-mock: --owner %s: %s\n", owner_specs[ii], error->message);
				mock_server_free (mock);
				return 2;
			}
			g_ptr_array_add (mock->owners, owner);
		}
	} else {
		g_ptr_array_add (mock->owners, mock_owner_new_from_spec ("owner@example.com:75000001:9100001", NULL));
		g_ptr_array_add (mock->owners, mock_owner_new_from_spec ("colleague@example.com:75000002:9100002", NULL));
	}

	if (record) {
		mock->record_file = fopen (record, "a");
		if (!mock->record_file) {
			g_printerr ("hubspot-mock: cannot open %s: %s\n", record, g_strerror (errno));
			mock_server_free (mock);
			return 1;
		}
	}

	signal (SIGPIPE, SIG_IGN);
	raise_fd_limit ();

	mock->loop = g_main_loop_new (NULL, FALSE);
	mock->server = soup_server_new ("server-header", "hubspot-mock ", NULL);
	soup_server_add_handler (mock->server, NULL, server_cb, mock, NULL);

	if (!listen_local (mock, port, &listening_port, &error)) {
		g_printerr ("hubspot-mock: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
		mock_server_free (mock);
		return 1;
	}

	if (port_file) {
		g_autofree gchar *text = g_strdup_printf ("%u\n", listening_port);

		/* g_file_set_contents() writes a temporary file and renames it */
		if (!g_file_set_contents (port_file, text, -1, &error)) {
			g_printerr ("hubspot-mock: %s\n", error->message);
			mock_server_free (mock);
			return 1;
		}
	}

	g_print ("hubspot-mock listening on http://127.0.0.1:%u\n", listening_port);
	fflush (stdout);

	g_unix_signal_add (SIGTERM, quit_cb, mock);
	g_unix_signal_add (SIGINT, quit_cb, mock);

	g_main_loop_run (mock->loop);

	soup_server_disconnect (mock->server);
	mock_server_free (mock);

	return 0;
}
