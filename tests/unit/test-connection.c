/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The connection against a server of the test's own on 127.0.0.1 that
 * answers what HubSpot never should: answers too large (announced or
 * not), nested too deep, not JSON, and a certificate nobody vouches for
 * (docs/design.md, "Hostile input").  And the account's shared
 * connection: one per account and kind of credential, each typed call's
 * path, and two threads sending through it at once, each with its own
 * credential (docs/design.md, "Pacing and retries"). */

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"

#define ABOVE_LIMIT (17 * 1024 * 1024)

typedef struct {
	SoupServer *server;
	gchar *url;
	GMainLoop *loop;
	guint n_big_bytes_sent;
	GPtrArray *seen;	/* "METHOD path[?query] Authorization" of each request */
	GPtrArray *held;	/* SoupServerMessage *: /hang, paused */
} Fixture;

static void
server_cb (SoupServer *server,
	   SoupServerMessage *msg,
	   const gchar *path,
	   GHashTable *query,
	   gpointer user_data)
{
	Fixture *fixture = user_data;
	SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
	SoupMessageBody *body = soup_server_message_get_response_body (msg);
	const gchar *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
	const gchar *uri_query = g_uri_get_query (soup_server_message_get_uri (msg));

	g_ptr_array_add (fixture->seen, g_strdup_printf ("%s %s%s%s %s", soup_server_message_get_method (msg),
		path, uri_query ? "?" : "", uri_query ? uri_query : "", auth ? auth : "-"));

	soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
	soup_message_headers_replace (headers, "Content-Type", "application/json");

	if (g_str_equal (path, "/echo")) {
		/* Which token came: each thread checks it got its own answer. */
		g_autofree gchar *text = g_strdup_printf ("{\"auth\":\"%s\"}", auth ? auth : "");

		soup_message_body_append (body, SOUP_MEMORY_COPY, text, strlen (text));
	} else if (g_str_equal (path, "/hang")) {
		/* Answered when the test stops: only a cancel ends it before. */
		soup_server_message_pause (msg);
		g_ptr_array_add (fixture->held, g_object_ref (msg));
	} else if (g_str_has_prefix (path, "/crm/") || g_str_has_prefix (path, "/scheduler/") ||
		   g_str_has_prefix (path, "/account-info/")) {
		soup_message_body_append (body, SOUP_MEMORY_STATIC, "{}", 2);
	} else if (g_str_equal (path, "/small")) {
		soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"id\":\"7\"}", 10);
	} else if (g_str_equal (path, "/big-announced") || g_str_equal (path, "/big-chunked")) {
		/* A valid JSON string, just too long. */
		gchar *text = g_malloc (ABOVE_LIMIT);

		memset (text, 'a', ABOVE_LIMIT);
		text[0] = '"';
		text[ABOVE_LIMIT - 1] = '"';
		if (g_str_equal (path, "/big-chunked"))
			soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
		soup_message_body_append (body, SOUP_MEMORY_TAKE, text, ABOVE_LIMIT);
	} else if (g_str_equal (path, "/deep")) {
		GString *text = g_string_new (NULL);
		guint ii;

		for (ii = 0; ii < 200000; ii++)
			g_string_append_c (text, '[');
		for (ii = 0; ii < 200000; ii++)
			g_string_append_c (text, ']');
		soup_message_body_append (body, SOUP_MEMORY_TAKE, text->str, text->len);
		g_string_free (text, FALSE);
	} else if (g_str_equal (path, "/html")) {
		soup_message_headers_replace (headers, "Content-Type", "text/html");
		soup_message_body_append (body, SOUP_MEMORY_STATIC, "<html>hello</html>", 18);
	} else {
		soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
	}
}

static void
fixture_start (Fixture *fixture,
	       GTlsCertificate *certificate)
{
	g_autoptr(GError) error = NULL;
	GSList *uris;

	fixture->loop = g_main_loop_new (NULL, FALSE);
	fixture->seen = g_ptr_array_new_with_free_func (g_free);
	fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
	fixture->server = soup_server_new ("tls-certificate", certificate, NULL);
	soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
	g_assert_true (soup_server_listen_local (fixture->server, 0,
		certificate ? SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY : SOUP_SERVER_LISTEN_IPV4_ONLY,
		&error));
	g_assert_no_error (error);

	uris = soup_server_get_uris (fixture->server);
	g_assert_nonnull (uris);
	fixture->url = g_uri_to_string (uris->data);
	g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
	/* No trailing slash: the paths bring their own. */
	if (g_str_has_suffix (fixture->url, "/"))
		fixture->url[strlen (fixture->url) - 1] = '\0';
}

static void
fixture_stop (Fixture *fixture)
{
	for (guint ii = 0; ii < fixture->held->len; ii++)
		soup_server_message_unpause (g_ptr_array_index (fixture->held, ii));
	g_clear_pointer (&fixture->held, g_ptr_array_unref);
	g_clear_pointer (&fixture->seen, g_ptr_array_unref);
	g_clear_object (&fixture->server);
	g_clear_pointer (&fixture->loop, g_main_loop_unref);
	g_clear_pointer (&fixture->url, g_free);
}

typedef struct {
	GMainLoop *loop;
	JsonNode *node;
	GError *error;
} Answer;

static void
request_done_cb (GObject *source_object,
		 GAsyncResult *result,
		 gpointer user_data)
{
	Answer *answer = user_data;

	answer->node = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), result,
		NULL, &answer->error);
	if (answer->loop)
		g_main_loop_quit (answer->loop);
}

/* The request as the outbox makes it: asynchronously, on this thread. */
static JsonNode *
request (Fixture *fixture,
	 const gchar *path,
	 GError **error)
{
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(EHubSpotCredential) credential = e_hubspot_credential_new ();
	Answer answer = { fixture->loop, NULL, NULL };

	cnc = e_hubspot_connection_new (fixture->url, 1, error);
	if (!cnc)
		return NULL;
	e_hubspot_credential_set_token (credential, "test-token");

	e_hubspot_connection_request (cnc, credential, "GET", path, NULL, NULL, request_done_cb, &answer);
	g_main_loop_run (fixture->loop);

	if (answer.error)
		g_propagate_error (error, answer.error);

	return answer.node;
}

static void
test_bounds (void)
{
	Fixture fixture = { 0 };
	g_autoptr(GError) error = NULL;
	JsonNode *node;

	fixture_start (&fixture, NULL);

	node = request (&fixture, "/small", &error);
	g_assert_no_error (error);
	g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
	json_node_unref (node);

	g_assert_null (request (&fixture, "/big-announced", &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_assert_nonnull (strstr (error->message, "MiB"));
	g_clear_error (&error);

	g_assert_null (request (&fixture, "/big-chunked", &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_assert_nonnull (strstr (error->message, "MiB"));
	g_clear_error (&error);

	g_assert_null (request (&fixture, "/deep", &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);

	g_assert_null (request (&fixture, "/html", &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);

	/* The connection still works after all that. */
	node = request (&fixture, "/small", &error);
	g_assert_no_error (error);
	json_node_unref (node);

	fixture_stop (&fixture);
}

/* A self-signed certificate made for this run with openssl. */
static GTlsCertificate *
make_certificate (const gchar *dir)
{
	g_autofree gchar *cert = g_build_filename (dir, "cert.pem", NULL);
	g_autofree gchar *key = g_build_filename (dir, "key.pem", NULL);
	g_autofree gchar *openssl = g_find_program_in_path ("openssl");
	g_autoptr(GError) error = NULL;
	gint status = 0;
	const gchar *argv[] = {
		NULL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
		"-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL
	};
	GTlsCertificate *certificate;

	if (!openssl)
		return NULL;
	argv[0] = openssl;

	if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
			   NULL, NULL, NULL, NULL, &status, &error) || !g_spawn_check_wait_status (status, NULL))
		return NULL;

	certificate = g_tls_certificate_new_from_files (cert, key, &error);
	g_assert_no_error (error);

	return certificate;
}

/* HubSpot behind a certificate nobody vouches for (a captive portal, a
 * proxy that intercepts): the request fails with the TLS error, and the
 * token is never sent. */
static SoupServer *tls_server_kept;

static void
test_tls_error (void)
{
	g_autofree gchar *dir = g_dir_make_tmp ("hubspot-tls-XXXXXX", NULL);
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(GError) error = NULL;
	Fixture fixture = { 0 };
	g_autofree gchar *cert = NULL, *key = NULL;

	if (!g_tls_backend_supports_tls (g_tls_backend_get_default ())) {
		g_test_skip ("no TLS backend (glib-networking)");
		return;
	}

	certificate = make_certificate (dir);
	if (!certificate) {
		g_test_skip ("openssl cannot make a certificate here");
		return;
	}

	fixture_start (&fixture, certificate);
	g_assert_true (g_str_has_prefix (fixture.url, "https://"));

	g_assert_null (request (&fixture, "/small", &error));
	g_assert_nonnull (error);
	g_assert_cmpuint (error->domain, ==, G_TLS_ERROR);
	g_test_message ("%s", error->message);

	/* The server's side of the refused handshake ends later, on this
	 * thread's main context; libsoup 3.6 then uses the server's
	 * connection, which freeing (or disconnecting) the server now would
	 * have freed: the next test's main loop crashed on Debian 13.  The
	 * server lives until the program ends. */
	tls_server_kept = g_steal_pointer (&fixture.server);
	fixture_stop (&fixture);

	cert = g_build_filename (dir, "cert.pem", NULL);
	key = g_build_filename (dir, "key.pem", NULL);
	g_unlink (cert);
	g_unlink (key);
	g_rmdir (dir);
}

/* The tests' transport (docs/design.md, "Testing the outbox without a
 * bus"): what the connection hands over, and its reading of the answer,
 * the same as libsoup's. */
typedef struct {
	guint status;
	SoupMessageHeaders *headers;
	GBytes *body;
	GError *error;		/* answered instead, when set */
	gboolean hold;		/* keep the exchange in held */

	GTask *held;
	gchar *method;
	gchar *uri;
	gchar *authorization;
	gchar *request_body;
} Transport;

static void
transport_clear (Transport *transport)
{
	g_clear_pointer (&transport->headers, soup_message_headers_unref);
	g_clear_pointer (&transport->body, g_bytes_unref);
	g_clear_error (&transport->error);
	g_clear_pointer (&transport->method, g_free);
	g_clear_pointer (&transport->uri, g_free);
	g_clear_pointer (&transport->authorization, g_free);
	g_clear_pointer (&transport->request_body, g_free);
}

static gboolean
transport_answer_cb (gpointer user_data)
{
	GTask *exchange = user_data;
	Transport *transport = g_object_get_data (G_OBJECT (exchange), "transport");

	if (transport->error)
		e_hubspot_connection_exchange_return_error (exchange, g_steal_pointer (&transport->error));
	else
		e_hubspot_connection_exchange_return (exchange, transport->status, transport->headers, transport->body);

	return G_SOURCE_REMOVE;
}

static void
transport_send (GTask *exchange,
		const gchar *method,
		const gchar *uri,
		SoupMessageHeaders *request_headers,
		GBytes *body,
		GCancellable *cancellable,
		gpointer user_data)
{
	Transport *transport = user_data;
	GSource *source;

	transport->method = g_strdup (method);
	transport->uri = g_strdup (uri);
	transport->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
	transport->request_body = body ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) : NULL;
	g_object_set_data (G_OBJECT (exchange), "transport", transport);

	if (transport->hold) {
		transport->held = exchange;
		return;
	}

	/* Later, on the caller's context: never from inside send. */
	source = g_idle_source_new ();
	g_source_set_callback (source, transport_answer_cb, exchange, NULL);
	g_source_attach (source, g_task_get_context (exchange));
	g_source_unref (source);
}

typedef struct {
	GMainLoop *loop;
	JsonNode *node;
	GError *error;
	EHubSpotResponseInfo info;
	guint n_calls;
} TransportAnswer;

static void
transport_done_cb (GObject *source_object,
		   GAsyncResult *result,
		   gpointer user_data)
{
	TransportAnswer *answer = user_data;

	answer->n_calls++;
	answer->node = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), result,
		&answer->info, &answer->error);
	g_main_loop_quit (answer->loop);
}

/* The transport's connection, with the credential its requests carry
 * (the connection's data "credential"). */
static EHubSpotConnection *
transport_connection_new (Transport *transport)
{
	g_autoptr(GError) error = NULL;
	EHubSpotCredential *credential = e_hubspot_credential_new ();
	EHubSpotConnection *cnc;

	cnc = e_hubspot_connection_new ("http://127.0.0.1:9", 1, &error);
	g_assert_no_error (error);
	e_hubspot_credential_set_token (credential, "test-token");
	g_object_set_data_full (G_OBJECT (cnc), "credential", credential, g_object_unref);
	e_hubspot_connection_set_transport (cnc, transport_send, transport, NULL);

	return cnc;
}

static EHubSpotCredential *
transport_credential (EHubSpotConnection *cnc)
{
	return g_object_get_data (G_OBJECT (cnc), "credential");
}

static void
transport_request (EHubSpotConnection *cnc,
		   JsonNode *body,
		   GCancellable *cancellable,
		   TransportAnswer *answer)
{
	answer->loop = g_main_loop_new (NULL, FALSE);
	e_hubspot_connection_request (cnc, transport_credential (cnc), "POST", "/crm/objects/2026-03/meetings?x=1",
		body, cancellable, transport_done_cb, answer);
	g_main_loop_run (answer->loop);
	g_main_loop_unref (answer->loop);
}

static void
test_transport_exchange (void)
{
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(JsonNode) body = json_from_string ("{\"a\": 1}", NULL);
	Transport transport = { 200, };
	TransportAnswer answer = { 0, };

	transport.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
	soup_message_headers_replace (transport.headers, "X-HubSpot-RateLimit-Max", "110");
	soup_message_headers_replace (transport.headers, "X-HubSpot-RateLimit-Remaining", "109");
	soup_message_headers_replace (transport.headers, "X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
	transport.body = g_bytes_new_static ("{\"id\": \"5\"}", 11);
	cnc = transport_connection_new (&transport);

	transport_request (cnc, body, NULL, &answer);

	g_assert_cmpstr (transport.method, ==, "POST");
	g_assert_cmpstr (transport.uri, ==, "http://127.0.0.1:9/crm/objects/2026-03/meetings?x=1");
	g_assert_cmpstr (transport.authorization, ==, "Bearer test-token");
	g_assert_cmpstr (transport.request_body, ==, "{\"a\":1}");
	g_assert_no_error (answer.error);
	g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer.node), "id"), ==, "5");
	g_assert_cmpuint (answer.info.status, ==, 200);
	g_assert_cmpint (answer.info.rate_max, ==, 110);
	g_assert_cmpint (answer.info.rate_remaining, ==, 109);
	g_assert_cmpint (answer.info.rate_interval_ms, ==, 10000);
	g_assert_cmpint (answer.info.daily_remaining, ==, -1);
	g_assert_cmpuint (answer.info.token_serial, ==, e_hubspot_credential_get_serial (transport_credential (cnc)));

	json_node_unref (answer.node);
	transport_clear (&transport);
}

/* HubSpot's error body, the answer's bounds and a lost answer, as on
 * libsoup's path. */
static void
test_transport_errors (void)
{
	const gchar *error_body = "{\"status\": \"error\", \"message\": \"Property values were not valid\", "
		"\"correlationId\": \"abc-123\", \"category\": \"VALIDATION_ERROR\"}";
	g_autoptr(EHubSpotConnection) cnc = NULL;
	Transport transport = { 400, };
	TransportAnswer answer = { 0, };
	gsize big = 17 * 1024 * 1024;

	transport.body = g_bytes_new_static (error_body, strlen (error_body));
	cnc = transport_connection_new (&transport);

	transport_request (cnc, NULL, NULL, &answer);
	g_assert_error (answer.error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_VALIDATION);
	g_assert_nonnull (strstr (answer.error->message, "Property values were not valid"));
	g_assert_cmpuint (answer.info.status, ==, 400);
	g_clear_error (&answer.error);
	transport_clear (&transport);

	transport.status = 200;
	transport.body = g_bytes_new_take (g_malloc0 (big), big);
	transport_request (cnc, NULL, NULL, &answer);
	g_assert_error (answer.error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_assert_nonnull (strstr (answer.error->message, "MiB"));
	g_clear_error (&answer.error);
	transport_clear (&transport);

	transport.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
	soup_message_headers_set_content_length (transport.headers, big);
	transport.body = g_bytes_new_static ("{}", 2);
	transport_request (cnc, NULL, NULL, &answer);
	g_assert_error (answer.error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&answer.error);
	transport_clear (&transport);

	transport.error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "gone");
	transport_request (cnc, NULL, NULL, &answer);
	g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
	g_clear_error (&answer.error);
	transport_clear (&transport);
}

/* A cancelled exchange ends at once; the transport's late answer is dropped. */
static void
test_transport_cancel (void)
{
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new ();
	Transport transport = { 200, };
	TransportAnswer answer = { 0, };

	transport.hold = TRUE;
	cnc = transport_connection_new (&transport);
	g_cancellable_cancel (cancellable);

	transport_request (cnc, NULL, cancellable, &answer);
	g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_nonnull (transport.held);

	e_hubspot_connection_exchange_return (g_steal_pointer (&transport.held), 200, NULL, NULL);
	while (g_main_context_iteration (NULL, FALSE))
		;
	g_assert_cmpuint (answer.n_calls, ==, 1);

	g_clear_error (&answer.error);
	transport_clear (&transport);
}

/* The sync calls (the tool's) go through the transport too. */
static void
test_transport_sync (void)
{
	const gchar *owners = "{\"results\": [{\"id\": \"7\", \"userId\": 77, \"email\": \"a@example.com\"}]}";
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *owner_id = NULL;
	g_autofree gchar *user_id = NULL;
	Transport transport = { 200, };

	transport.body = g_bytes_new_static (owners, strlen (owners));
	cnc = transport_connection_new (&transport);

	g_assert_true (e_hubspot_connection_lookup_owner_sync (cnc, transport_credential (cnc), "a@example.com",
		&owner_id, &user_id, NULL, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (owner_id, ==, "7");
	g_assert_cmpstr (user_id, ==, "77");
	g_assert_cmpstr (transport.method, ==, "GET");
	g_assert_cmpstr (transport.uri, ==, "http://127.0.0.1:9/crm/owners/2026-03?email=a%40example.com");

	transport_clear (&transport);
}

/* One connection per account and kind of credential, each with the
 * account's budget; forgotten once its last user lets go. */
static void
test_shared (void)
{
	g_autoptr(GError) error = NULL;
	EHubSpotConnection *a1, *a2, *other_account, *other_url, *oauth, *again;
	gpointer gone;

	a1 = e_hubspot_connection_ref_shared ("https://api.hubapi.com", "4242", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	a2 = e_hubspot_connection_ref_shared ("https://api.hubapi.com/", "4242", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	other_account = e_hubspot_connection_ref_shared ("https://api.hubapi.com", "4243", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	other_url = e_hubspot_connection_ref_shared ("http://127.0.0.1:8080", "4242", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	oauth = e_hubspot_connection_ref_shared ("https://api.hubapi.com", "4242", E_HUBSPOT_CREDENTIAL_OAUTH, &error);
	g_assert_no_error (error);

	g_assert_true (a1 == a2);
	g_assert_true (a1 != other_account);
	g_assert_true (a1 != other_url);
	g_assert_true (a1 != oauth);

	/* One budget for the account: a place one calendar takes, the other
	 * sees; the OAuth app's limit apart from the key's. */
	g_assert_true (e_hubspot_connection_get_budget (a1) == e_hubspot_connection_get_budget (a2));
	g_assert_true (e_hubspot_connection_get_budget (a1) != e_hubspot_connection_get_budget (other_account));
	g_assert_cmpint (e_hubspot_budget_reserve (e_hubspot_connection_get_budget (a1), FALSE, 0), ==, 0);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (e_hubspot_connection_get_budget (a2)), ==, 1);
	g_assert_cmpuint (e_hubspot_budget_get_places (e_hubspot_connection_get_budget (oauth)), ==, 105);
	g_assert_cmpuint (e_hubspot_budget_get_places (e_hubspot_connection_get_budget (a1)), ==, 95);

	/* A URL the calendar refuses makes none. */
	g_assert_null (e_hubspot_connection_ref_shared ("http://example.com", "4242", E_HUBSPOT_CREDENTIAL_KEY, &error));
	g_assert_nonnull (error);
	g_clear_error (&error);

	gone = a1;
	g_object_add_weak_pointer (G_OBJECT (a1), &gone);
	g_object_unref (a1);
	g_assert_nonnull (gone);
	g_object_unref (a2);
	g_assert_null (gone);

	/* The table forgot it: a new one, with a budget of its own. */
	again = e_hubspot_connection_ref_shared ("https://api.hubapi.com", "4242", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (e_hubspot_connection_get_budget (again)), ==, 0);

	/* A private one is no account's. */
	a1 = e_hubspot_connection_new ("https://api.hubapi.com", 1, &error);
	g_assert_no_error (error);
	g_assert_true (a1 != again);
	g_assert_true (e_hubspot_connection_get_budget (a1) != e_hubspot_connection_get_budget (again));

	g_object_unref (a1);
	g_object_unref (again);
	g_object_unref (other_account);
	g_object_unref (other_url);
	g_object_unref (oauth);
}

static void
wait_for (Answer *answer)
{
	while (!answer->node && !answer->error)
		g_main_context_iteration (NULL, TRUE);
}

/* Each typed call asks for its path, once written (e-hubspot-paths.h),
 * with the caller's token. */
static void
test_paths (void)
{
	const gchar * const properties[] = { "hs_meeting_title", "hs_meeting_start_time", NULL };
	Fixture fixture = { 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(EHubSpotCredential) credential = e_hubspot_credential_new ();
	g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
	g_autoptr(EHubSpotBatch) read = e_hubspot_batch_new (E_HUBSPOT_BATCH_READ, properties);
	const gchar *expected[] = {
		"POST /scheduler/2026-03/meetings/calendar?organizerUserId=9%201",
		"PATCH /crm/objects/2026-03/meetings/77",
		"DELETE /crm/objects/2026-03/meetings/77",
		"POST /crm/objects/2026-03/meetings/search",
		"POST /crm/objects/2026-03/meetings/batch/read",
		"POST /crm/associations/2026-03/meetings/contacts/batch/create",
		"POST /crm/associations/2026-03/meetings/companies/batch/create",
		"GET /crm/owners/2026-03?email=ann%2Bx%40example.com",
		"GET /crm/owners/2026-03?limit=100",
		"GET /crm/owners/2026-03?limit=100&after=abc%3D%26",
		"POST /crm/objects/2026-03/contacts/batch/read",
		"POST /crm/objects/2026-03/contacts",
		"POST /crm/associations/2026-03/contacts/companies/batch/read",
		"GET /account-info/2026-03/details"
	};
	Answer answers[G_N_ELEMENTS (expected)];
	guint ii;

	memset (answers, 0, sizeof (answers));
	fixture_start (&fixture, NULL);
	cnc = e_hubspot_connection_new (fixture.url, 1, &error);
	g_assert_no_error (error);
	e_hubspot_credential_set_token (credential, "pat-paths");

	/* One at a time, so that the server sees them in this order. */
	ii = 0;
	e_hubspot_connection_create_meeting (cnc, credential, "9 1", body, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_update_meeting (cnc, credential, "77", body, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_archive_meeting (cnc, credential, "77", NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_search_meetings (cnc, credential, body, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_batch_add (read, "77", NULL);
	e_hubspot_connection_batch_meetings (cnc, credential, read, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_associate_meeting (cnc, credential, E_HUBSPOT_ASSOCIATION_CONTACT, body, NULL,
		request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_associate_meeting (cnc, credential, E_HUBSPOT_ASSOCIATION_COMPANY, body, NULL,
		request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_lookup_owner (cnc, credential, "ann+x@example.com", NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_list_owners (cnc, credential, NULL, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_list_owners (cnc, credential, "abc=&", NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_read_contacts (cnc, credential, body, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_create_contact (cnc, credential, body, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_read_contact_companies (cnc, credential, body, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	e_hubspot_connection_get_account_info (cnc, credential, NULL, request_done_cb, &answers[ii]);
	wait_for (&answers[ii++]);
	g_assert_cmpuint (ii, ==, G_N_ELEMENTS (expected));

	g_assert_cmpuint (fixture.seen->len, ==, G_N_ELEMENTS (expected));
	for (ii = 0; ii < G_N_ELEMENTS (expected); ii++) {
		g_autofree gchar *line = g_strconcat (expected[ii], " Bearer pat-paths", NULL);

		g_assert_no_error (answers[ii].error);
		g_assert_cmpstr (g_ptr_array_index (fixture.seen, ii), ==, line);
		json_node_unref (answers[ii].node);
	}

	fixture_stop (&fixture);
}

/* Cancelling one caller's request leaves the others on the connection
 * alone: closing a calendar cuts only its own requests. */
static void
test_cancel_one (void)
{
	Fixture fixture = { 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new ();
	Answer hung = { NULL, NULL, NULL }, other = { NULL, NULL, NULL };

	fixture_start (&fixture, NULL);
	cnc = e_hubspot_connection_ref_shared (fixture.url, "cancel", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);

	e_hubspot_connection_request (cnc, NULL, "GET", "/hang", NULL, cancellable, request_done_cb, &hung);
	while (fixture.held->len == 0)
		g_main_context_iteration (NULL, TRUE);
	g_cancellable_cancel (cancellable);
	wait_for (&hung);
	g_assert_error (hung.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error (&hung.error);

	e_hubspot_connection_request (cnc, NULL, "GET", "/small", NULL, NULL, request_done_cb, &other);
	wait_for (&other);
	g_assert_no_error (other.error);
	g_assert_true (JSON_NODE_HOLDS_OBJECT (other.node));
	json_node_unref (other.node);

	fixture_stop (&fixture);
}

#define N_PER_THREAD 16

typedef struct {
	EHubSpotConnection *cnc;	/* the thread's reference */
	const gchar *token;
	GThread *thread;
	GMainContext *context;
	guint n_answers;
	guint n_own;			/* answers that echo this thread's token */
	guint n_wrong_place;		/* callbacks off this thread or context */
	guint n_errors;
	guint n_serial;			/* answers with the credential's serial */
	guint serial;
	gint *n_done;
} Sender;

static void
sender_done_cb (GObject *source_object,
		GAsyncResult *result,
		gpointer user_data)
{
	Sender *sender = user_data;
	EHubSpotResponseInfo info = { 0, };
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *expected = g_strconcat ("Bearer ", sender->token, NULL);

	node = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object), result, &info, &error);
	sender->n_answers++;
	if (g_thread_self () != sender->thread || g_main_context_get_thread_default () != sender->context ||
	    !g_main_context_is_owner (sender->context))
		sender->n_wrong_place++;
	if (!node) {
		g_test_message ("%s", error->message);
		sender->n_errors++;
		return;
	}
	if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "auth", NULL), expected) == 0)
		sender->n_own++;
	if (info.token_serial == sender->serial)
		sender->n_serial++;
}

static gpointer
sender_thread (gpointer user_data)
{
	Sender *sender = user_data;
	g_autoptr(EHubSpotCredential) credential = e_hubspot_credential_new ();
	guint ii;

	sender->context = g_main_context_new ();
	g_main_context_push_thread_default (sender->context);

	/* A first token, replaced: the requests carry the second. */
	e_hubspot_credential_set_token (credential, "replaced");
	e_hubspot_credential_set_token (credential, sender->token);
	sender->serial = e_hubspot_credential_get_serial (credential);

	for (ii = 0; ii < N_PER_THREAD; ii++)
		e_hubspot_connection_request (sender->cnc, credential, "GET", "/echo", NULL, NULL, sender_done_cb, sender);
	while (sender->n_answers < N_PER_THREAD)
		g_main_context_iteration (sender->context, TRUE);

	/* The last reference may be this thread's. */
	g_clear_object (&sender->cnc);
	g_main_context_pop_thread_default (sender->context);
	g_main_context_unref (sender->context);

	g_atomic_int_inc (sender->n_done);
	g_main_context_wakeup (NULL);

	return NULL;
}

/* Two threads, each with its own main context and credential, send
 * through one shared connection at once: each gets its own answers, on
 * its own context, and the server sees each one's token. */
static void
test_threads (void)
{
	Fixture fixture = { 0 };
	g_autoptr(GError) error = NULL;
	EHubSpotConnection *cnc;
	Sender senders[2] = { { 0, }, { 0, } };
	gint n_done = 0;
	gpointer gone;
	guint ii, n_a = 0, n_b = 0;

	fixture_start (&fixture, NULL);
	cnc = e_hubspot_connection_ref_shared (fixture.url, "threads", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	gone = cnc;
	g_object_add_weak_pointer (G_OBJECT (cnc), &gone);

	senders[0].token = "pat-a";
	senders[1].token = "pat-b";
	for (ii = 0; ii < 2; ii++) {
		senders[ii].cnc = g_object_ref (cnc);
		senders[ii].n_done = &n_done;
	}
	/* The threads hold the only references from now on. */
	g_object_unref (cnc);
	for (ii = 0; ii < 2; ii++)
		senders[ii].thread = g_thread_new ("sender", sender_thread, &senders[ii]);

	/* The server runs here. */
	while (g_atomic_int_get (&n_done) < 2)
		g_main_context_iteration (NULL, TRUE);
	for (ii = 0; ii < 2; ii++)
		g_thread_join (senders[ii].thread);

	for (ii = 0; ii < 2; ii++) {
		g_assert_cmpuint (senders[ii].n_answers, ==, N_PER_THREAD);
		g_assert_cmpuint (senders[ii].n_errors, ==, 0);
		g_assert_cmpuint (senders[ii].n_wrong_place, ==, 0);
		g_assert_cmpuint (senders[ii].n_own, ==, N_PER_THREAD);
		g_assert_cmpuint (senders[ii].n_serial, ==, N_PER_THREAD);
	}

	for (ii = 0; ii < fixture.seen->len; ii++) {
		const gchar *line = g_ptr_array_index (fixture.seen, ii);

		if (g_str_equal (line, "GET /echo Bearer pat-a"))
			n_a++;
		else if (g_str_equal (line, "GET /echo Bearer pat-b"))
			n_b++;
		else
			g_assert_not_reached ();
	}
	g_assert_cmpuint (n_a, ==, N_PER_THREAD);
	g_assert_cmpuint (n_b, ==, N_PER_THREAD);

	/* The last thread to let go finalized it, and the table forgot it. */
	g_assert_null (gone);
	cnc = e_hubspot_connection_ref_shared (fixture.url, "threads", E_HUBSPOT_CREDENTIAL_KEY, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (e_hubspot_budget_get_in_flight (e_hubspot_connection_get_budget (cnc)), ==, 0);
	g_object_unref (cnc);

	fixture_stop (&fixture);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/connection/bounds", test_bounds);
	g_test_add_func ("/connection/tls-error", test_tls_error);
	g_test_add_func ("/connection/transport/exchange", test_transport_exchange);
	g_test_add_func ("/connection/transport/errors", test_transport_errors);
	g_test_add_func ("/connection/transport/cancel", test_transport_cancel);
	g_test_add_func ("/connection/transport/sync", test_transport_sync);
	g_test_add_func ("/connection/shared", test_shared);
	g_test_add_func ("/connection/paths", test_paths);
	g_test_add_func ("/connection/cancel-one", test_cancel_one);
	g_test_add_func ("/connection/threads", test_threads);

	return g_test_run ();
}
