/* mock-test-client.c: the HTTP tests of hubspot-mock run it and talk to it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "mock-test-client.h"

struct _MockTestServer {
	GSubprocess *process;
	gchar *dir;
	gchar *url;
	SoupSession *session;
};

static gchar *
swap_quotes (const gchar *text)
{
	gchar *copy = g_strdup (text);

	g_strdelimit (copy, "'", '"');

	return copy;
}

/* A failed assertion aborts the test: the mock must not outlive it (it
 * would keep the test's stderr open, and meson would wait for it) */
static void
die_with_parent (gpointer user_data)
{
	prctl (PR_SET_PDEATHSIG, SIGTERM);
}

MockTestServer *
mock_test_server_start (const gchar * const *args)
{
	MockTestServer *server = g_new0 (MockTestServer, 1);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GProxyResolver) resolver = NULL;
	g_autofree gchar *port_file = NULL;
	const gchar *program = g_getenv ("HUBSPOT_MOCK");
	gint64 deadline;
	guint ii;

	g_assert_nonnull (program);

	server->dir = g_dir_make_tmp ("mock-test-XXXXXX", &error);
	g_assert_no_error (error);
	port_file = g_build_filename (server->dir, "port", NULL);

	g_ptr_array_add (argv, g_strdup (program));
	g_ptr_array_add (argv, g_strdup_printf ("--port-file=%s", port_file));
	for (ii = 0; args && args[ii]; ii++)
		g_ptr_array_add (argv, g_strdup (args[ii]));
	g_ptr_array_add (argv, NULL);

	/* Its stdout would get in the way of TAP */
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
	server->process = g_subprocess_launcher_spawnv (launcher, (const gchar * const *) argv->pdata, &error);
	g_assert_no_error (error);

	deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
	while (!server->url) {
		g_autofree gchar *text = NULL;

		if (g_file_get_contents (port_file, &text, NULL, NULL) && strchr (text, '\n'))
			server->url = g_strdup_printf ("http://127.0.0.1:%u", (guint) g_ascii_strtoull (text, NULL, 10));
		else if (g_get_monotonic_time () > deadline)
			g_error ("hubspot-mock did not start within 10 s");
		else
			g_usleep (10000);
	}

	/* Straight to 127.0.0.1, whatever proxy the environment names */
	resolver = g_simple_proxy_resolver_new (NULL, NULL);
	server->session = soup_session_new_with_options ("timeout", 30, "proxy-resolver", resolver, NULL);

	return server;
}

void
mock_test_server_stop (MockTestServer *server)
{
	g_autofree gchar *port_file = g_build_filename (server->dir, "port", NULL);

	g_subprocess_send_signal (server->process, SIGTERM);
	g_subprocess_wait (server->process, NULL, NULL);
	g_assert_true (g_subprocess_get_if_exited (server->process));
	g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

	g_unlink (port_file);
	g_rmdir (server->dir);
	g_object_unref (server->process);
	g_object_unref (server->session);
	g_free (server->dir);
	g_free (server->url);
	g_free (server);
}

/* Sends one API or control call; NULL and @error when no answer came */
static GBytes *
send_call (MockTestServer *server,
	   const gchar *method,
	   const gchar *path,
	   const gchar *body,
	   guint *out_status,
	   GError **error)
{
	g_autofree gchar *url = g_strconcat (server->url, path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new (method, url);
	GBytes *bytes;

	g_assert_nonnull (msg);

	if (!g_str_has_prefix (path, "/__mock/"))
		soup_message_headers_replace (soup_message_get_request_headers (msg),
			"Authorization", "Bearer " MOCK_TEST_TOKEN);

	if (body) {
		g_autoptr(GBytes) request = g_bytes_new_take (swap_quotes (body), strlen (body));

		soup_message_set_request_body_from_bytes (msg, "application/json", request);
	}

	bytes = soup_session_send_and_read (server->session, msg, NULL, error);
	*out_status = soup_message_get_status (msg);

	return bytes;
}

guint
mock_test_call (MockTestServer *server,
		const gchar *method,
		const gchar *path,
		const gchar *body,
		JsonNode **out_answer)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *data;
	guint status = 0;

	bytes = send_call (server, method, path, body, &status, &error);
	g_assert_no_error (error);

	data = g_bytes_get_data (bytes, &len);
	if (out_answer) {
		*out_answer = NULL;
		if (len) {
			g_autoptr(JsonParser) parser = json_parser_new ();

			json_parser_load_from_data (parser, data, len, &error);
			g_assert_no_error (error);
			*out_answer = json_node_copy (json_parser_get_root (parser));
		}
	}

	return status;
}

gboolean
mock_test_call_dropped (MockTestServer *server,
			const gchar *method,
			const gchar *path,
			const gchar *body)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	guint status = 0;

	bytes = send_call (server, method, path, body, &status, &error);

	return !bytes && error && status == 0;
}

JsonNode *
mock_test_expect (MockTestServer *server,
		  guint expected_status,
		  const gchar *method,
		  const gchar *path,
		  const gchar *body)
{
	JsonNode *answer = NULL;
	guint status = mock_test_call (server, method, path, body, &answer);

	if (status != expected_status) {
		g_autofree gchar *text = answer ? json_to_string (answer, FALSE) : g_strdup ("(empty)");

		g_error ("%s %s: status %u, expected %u; answer: %s", method, path, status, expected_status, text);
	}

	return answer;
}

static void
collect_header_cb (const char *name,
		   const char *value,
		   gpointer user_data)
{
	g_hash_table_replace (user_data, g_ascii_strdown (name, -1), g_strdup (value));
}

guint
mock_test_request (MockTestServer *server,
		   const gchar *method,
		   const gchar *path,
		   const gchar *token,
		   const gchar *content_type,
		   const gchar *body,
		   GHashTable **out_headers,
		   gchar **out_body)
{
	g_autofree gchar *url = g_strconcat (server->url, path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new (method, url);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *data;

	g_assert_nonnull (msg);
	soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

	if (token) {
		g_autofree gchar *value = g_strconcat ("Bearer ", token, NULL);

		soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
	}

	if (body) {
		g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

		soup_message_set_request_body_from_bytes (msg, content_type, request);
	} else if (content_type) {
		soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Type", content_type);
	}

	bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
	g_assert_no_error (error);

	if (out_headers) {
		*out_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		soup_message_headers_foreach (soup_message_get_response_headers (msg), collect_header_cb, *out_headers);
	}

	data = g_bytes_get_data (bytes, &len);
	if (out_body)
		*out_body = g_strndup (data ? data : "", len);

	return soup_message_get_status (msg);
}

void
mock_test_server_reset (MockTestServer *server)
{
	g_assert_cmpuint (mock_test_call (server, "POST", "/__mock/reset", NULL, NULL), ==, 204);
	g_assert_cmpuint (mock_test_call (server, "DELETE", "/__mock/faults", NULL, NULL), ==, 204);
}

gchar *
mock_test_printf (const gchar *format,
		  ...)
{
	gchar *text;
	va_list ap;

	va_start (ap, format);
	text = g_strdup_vprintf (format, ap);
	va_end (ap);

	return text;
}

gchar *
mock_test_to_string (JsonNode *node)
{
	return json_to_string (node, FALSE);
}

gint64
mock_test_parse_time (const gchar *text)
{
	g_autoptr(GDateTime) dt = NULL;
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
	gsize len = text ? strlen (text) : 0;

	/* Exactly YYYY-MM-DDTHH:MM:SS.mmmZ */
	if (len != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
	    text[16] != ':' || text[19] != '.' || text[23] != 'Z' ||
	    !g_ascii_isdigit (text[20]) || !g_ascii_isdigit (text[21]) || !g_ascii_isdigit (text[22]))
		g_error ("\"%s\" is not an ISO 8601 UTC time with milliseconds", text ? text : "(null)");

	dt = g_date_time_new_from_iso8601 (text, utc);
	if (!dt)
		g_error ("\"%s\" is not a valid time", text);

	return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

gint64
mock_test_now_ms (void)
{
	return g_get_real_time () / 1000;
}

static gboolean
is_uuid (const gchar *text)
{
	return text && g_uuid_string_is_valid (text);
}

static void
assert_node (JsonNode *actual,
	     JsonNode *expected,
	     const gchar *path,
	     GString *problems)
{
	if (JSON_NODE_HOLDS_VALUE (expected) && json_node_get_value_type (expected) == G_TYPE_STRING) {
		const gchar *want = json_node_get_string (expected);
		const gchar *have = actual && JSON_NODE_HOLDS_VALUE (actual) &&
			json_node_get_value_type (actual) == G_TYPE_STRING ? json_node_get_string (actual) : NULL;

		if (g_str_equal (want, "<any>")) {
			if (!actual)
				g_string_append_printf (problems, "%s: missing\n", path);
			return;
		}
		if (g_str_equal (want, "<time>")) {
			if (!have || strlen (have) != 24 || have[19] != '.' || have[23] != 'Z' || have[10] != 'T')
				g_string_append_printf (problems, "%s: \"%s\" is not a time with milliseconds\n", path,
					have ? have : "(not a string)");
			else
				mock_test_parse_time (have);
			return;
		}
		if (g_str_equal (want, "<uuid>")) {
			if (!is_uuid (have))
				g_string_append_printf (problems, "%s: not a UUID\n", path);
			return;
		}
	}

	if (!actual) {
		g_string_append_printf (problems, "%s: missing\n", path);
		return;
	}

	if (JSON_NODE_TYPE (actual) != JSON_NODE_TYPE (expected)) {
		g_string_append_printf (problems, "%s: of another JSON type\n", path);
		return;
	}

	if (JSON_NODE_HOLDS_OBJECT (expected)) {
		JsonObject *want = json_node_get_object (expected);
		JsonObject *have = json_node_get_object (actual);
		g_autoptr(GList) want_members = json_object_get_members (want);
		g_autoptr(GList) have_members = json_object_get_members (have);
		GList *link;

		for (link = want_members; link; link = g_list_next (link)) {
			g_autofree gchar *sub = g_strconcat (path, ".", (const gchar *) link->data, NULL);

			assert_node (json_object_get_member (have, link->data), json_object_get_member (want, link->data),
				sub, problems);
		}
		for (link = have_members; link; link = g_list_next (link)) {
			if (!json_object_has_member (want, link->data))
				g_string_append_printf (problems, "%s.%s: not expected\n", path, (const gchar *) link->data);
		}
	} else if (JSON_NODE_HOLDS_ARRAY (expected)) {
		JsonArray *want = json_node_get_array (expected);
		JsonArray *have = json_node_get_array (actual);
		guint ii;

		if (json_array_get_length (want) != json_array_get_length (have)) {
			g_string_append_printf (problems, "%s: %u elements, expected %u\n", path,
				json_array_get_length (have), json_array_get_length (want));
			return;
		}

		for (ii = 0; ii < json_array_get_length (want); ii++) {
			g_autofree gchar *sub = g_strdup_printf ("%s[%u]", path, ii);

			assert_node (json_array_get_element (have, ii), json_array_get_element (want, ii), sub, problems);
		}
	} else if (JSON_NODE_HOLDS_VALUE (expected)) {
		if (!json_node_equal (actual, expected)) {
			g_autofree gchar *have = json_to_string (actual, FALSE);
			g_autofree gchar *want = json_to_string (expected, FALSE);

			g_string_append_printf (problems, "%s: %s, expected %s\n", path, have, want);
		}
	}
}

void
mock_test_assert_json (JsonNode *actual,
		       const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = swap_quotes (expected);
	g_autoptr(JsonNode) want = json_from_string (text, &error);
	g_autoptr(GString) problems = g_string_new (NULL);

	if (error)
		g_error ("bad expectation %s: %s", expected, error->message);

	assert_node (actual, want, "$", problems);
	if (problems->len) {
		g_autofree gchar *have = actual ? json_to_string (actual, TRUE) : g_strdup ("(nothing)");

		g_error ("JSON differs:\n%sactual: %s", problems->str, have);
	}
}

JsonNode *
mock_test_get (JsonNode *node,
	       const gchar *path)
{
	g_auto(GStrv) parts = g_strsplit (path, ".", -1);
	guint ii;

	for (ii = 0; node && parts[ii]; ii++) {
		if (JSON_NODE_HOLDS_OBJECT (node)) {
			node = json_object_get_member (json_node_get_object (node), parts[ii]);
		} else if (JSON_NODE_HOLDS_ARRAY (node)) {
			guint64 index = g_ascii_strtoull (parts[ii], NULL, 10);
			JsonArray *array = json_node_get_array (node);

			node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
		} else {
			node = NULL;
		}
	}

	return node;
}

const gchar *
mock_test_get_string (JsonNode *node,
		      const gchar *path)
{
	JsonNode *member = mock_test_get (node, path);

	if (!member || !JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
		g_error ("no string at %s", path);

	return json_node_get_string (member);
}

gint64
mock_test_stat (MockTestServer *server,
		const gchar *name)
{
	g_autoptr(JsonNode) stats = mock_test_expect (server, 200, "GET", "/__mock/stats", NULL);
	JsonNode *member = mock_test_get (stats, name);

	g_assert_nonnull (member);

	return json_node_get_int (member);
}
