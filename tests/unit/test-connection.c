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

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/connection/bounds", test_bounds);
	g_test_add_func ("/connection/tls-error", test_tls_error);

	return g_test_run ();
}
