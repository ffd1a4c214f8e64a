/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The connection against a server of the test's own on 127.0.0.1 that
 * answers what HubSpot never should: answers too large (announced or
 * not), nested too deep, not JSON, and a certificate nobody vouches for
 * (docs/design.md, "Hostile input"). */

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"

#define ABOVE_LIMIT (17 * 1024 * 1024)

typedef struct {
	SoupServer *server;
	gchar *url;
	GMainLoop *loop;
	guint n_big_bytes_sent;
} Fixture;

static void
server_cb (SoupServer *server,
	   SoupServerMessage *msg,
	   const gchar *path,
	   GHashTable *query,
	   gpointer user_data)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
	SoupMessageBody *body = soup_server_message_get_response_body (msg);

	soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
	soup_message_headers_replace (headers, "Content-Type", "application/json");

	if (g_str_equal (path, "/small")) {
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
	g_main_loop_quit (answer->loop);
}

/* The request as the outbox makes it: asynchronously, on this thread. */
static JsonNode *
request (Fixture *fixture,
	 const gchar *path,
	 GError **error)
{
	g_autoptr(EHubSpotConnection) cnc = NULL;
	Answer answer = { fixture->loop, NULL, NULL };

	cnc = e_hubspot_connection_new (fixture->url, 1, error);
	if (!cnc)
		return NULL;
	e_hubspot_connection_set_token (cnc, "test-token");

	e_hubspot_connection_request (cnc, "GET", path, NULL, NULL, request_done_cb, &answer);
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

static EHubSpotConnection *
transport_connection_new (Transport *transport)
{
	g_autoptr(GError) error = NULL;
	EHubSpotConnection *cnc;

	cnc = e_hubspot_connection_new ("http://127.0.0.1:9", 1, &error);
	g_assert_no_error (error);
	e_hubspot_connection_set_token (cnc, "test-token");
	e_hubspot_connection_set_transport (cnc, transport_send, transport, NULL);

	return cnc;
}

static void
transport_request (EHubSpotConnection *cnc,
		   JsonNode *body,
		   GCancellable *cancellable,
		   TransportAnswer *answer)
{
	answer->loop = g_main_loop_new (NULL, FALSE);
	e_hubspot_connection_request (cnc, "POST", "/crm/objects/2026-03/meetings?x=1", body, cancellable,
		transport_done_cb, answer);
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
	g_assert_cmpuint (answer.info.token_serial, ==, e_hubspot_connection_get_token_serial (cnc));

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

	g_assert_true (e_hubspot_connection_lookup_owner_sync (cnc, "a@example.com", &owner_id, &user_id, NULL, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (owner_id, ==, "7");
	g_assert_cmpstr (user_id, ==, "77");
	g_assert_cmpstr (transport.method, ==, "GET");
	g_assert_cmpstr (transport.uri, ==, "http://127.0.0.1:9/crm/owners/2026-03?email=a%40example.com");

	transport_clear (&transport);
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

	return g_test_run ();
}
