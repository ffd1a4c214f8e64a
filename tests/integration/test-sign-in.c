/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot add --sign-in, run as a person would: the browser is
 * a script in $BROWSER that follows HubSpot's redirect (curl), on the
 * private bus with the real keyring, against the mock's OAuth endpoints.
 * Each way a sign-in fails has its message and exit code, and leaves no
 * calendar and no keyring item behind (docs/design.md, "Signing in from
 * the tool and from Evolution"). */

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

#define CLIENT_ID "mock-client-id"
#define CLIENT_SECRET "mock-client-secret"
#define REDIRECT_ANY_PORT "http://127.0.0.1:0/hubspot-oauth"

static gchar *work_dir;
static gchar *secret_file;

/* A $BROWSER script, written into the run's directory. */
static gchar *
write_browser (const gchar *name,
	       const gchar *body)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename (work_dir, name, NULL);
	g_autofree gchar *text = g_strconcat ("#!/bin/sh\n# $1: HubSpot's authorization page\n", body, NULL);

	g_file_set_contents (path, text, -1, &error);
	g_assert_no_error (error);
	g_assert_cmpint (g_chmod (path, 0755), ==, 0);

	return path;
}

/* A browser that follows HubSpot's redirect back to the tool, and says
 * (on its stderr, in the test's log) what the tool's page said. */
static gchar *
following_browser (void)
{
	return write_browser ("follow", "curl -sS -L --max-redirs 2 \"$1\" | sed -n 's/.*<h1>\\(.*\\)<\\/h1>.*/browser page: \\1/p' >&2\n");
}

typedef struct {
	gint exit_status;
	gchar *out;
	gchar *err;
} ToolRun;

static void
tool_run_clear (ToolRun *run)
{
	g_free (run->out);
	g_free (run->err);
}

static GSubprocess *
spawn_add (const gchar *browser,
	   const gchar *name,
	   const gchar *timeout,
	   GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	const gchar *url = hubspot_test_mock_get_url (hubspot_test_get_mock ());
	const gchar *argv[] = {
		g_getenv ("HUBSPOT_TOOL"), "add", "--sign-in", "--name", name,
		"--email", HUBSPOT_TEST_OWNER_EMAIL, "--api-url", url, "--auth-url", url,
		"--client-id", CLIENT_ID, "--client-secret-file", secret_file,
		"--redirect-uri", REDIRECT_ANY_PORT, "--timeout", timeout, NULL
	};

	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv (launcher, "BROWSER", browser, TRUE);
	g_subprocess_launcher_setenv (launcher, "MOCK_URL", url, TRUE);

	return g_subprocess_launcher_spawnv (launcher, argv, error);
}

static void
run_add (const gchar *browser,
	 const gchar *name,
	 const gchar *timeout,
	 ToolRun *run)
{
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;

	process = spawn_add (browser, name, timeout, &error);
	g_assert_no_error (error);
	g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
	g_assert_no_error (error);
	g_assert_true (g_subprocess_get_if_exited (process));
	run->exit_status = g_subprocess_get_exit_status (process);
	g_test_message ("evolution-hubspot add --sign-in: exit %d\n%s%s", run->exit_status, run->out, run->err);
}

/* Every item in the session's keyring, whoever stored it (no schema, no
 * attribute: everything). */
static guint
count_keyring_items (void)
{
	g_autoptr(SecretService) service = NULL;
	g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GError) error = NULL;
	GList *items, *link;
	guint count;

	service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
	g_assert_no_error (error);
	items = secret_service_search_sync (service, NULL, attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
		NULL, &error);
	g_assert_no_error (error);
	count = g_list_length (items);
	for (link = items; link; link = link->next) {
		g_autofree gchar *label = secret_item_get_label (link->data);

		g_test_message ("keyring item: %s", label);
	}
	g_list_free_full (items, g_object_unref);

	return count;
}

/* A source named as the tool names the new calendar's credentials. */
static ESource *
new_probe_source (void)
{
	ESource *source = e_source_new (NULL, NULL, NULL);
	ESourceAuthentication *auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
	ESourceHubSpot *extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);

	e_source_authentication_set_method (auth, E_OAUTH2_SERVICE_HUBSPOT_NAME);
	e_source_authentication_set_user (auth, HUBSPOT_TEST_OWNER_EMAIL);
	e_source_hubspot_set_api_url (extension, hubspot_test_mock_get_url (hubspot_test_get_mock ()));
	e_source_hubspot_set_oauth_client_id (extension, CLIENT_ID);

	return source;
}

static ESource *
no_source_cb (gpointer user_data,
	      const gchar *uid)
{
	return NULL;
}

/* The access token EDS keeps for source, or NULL (with the reason). */
static gchar *
dup_stored_access_token (ESource *source,
			 GError **error)
{
	g_autoptr(EOAuth2Service) service = e_oauth2_service_hubspot_new ();
	gchar *access_token = NULL;
	gint expires_in = 0;

	if (!e_oauth2_service_get_access_token_sync (service, source, no_source_cb, NULL, &access_token,
						     &expires_in, NULL, error))
		return NULL;

	return access_token;
}

static gint64
oauth_stat (const gchar *path_in_state)
{
	g_autoptr(JsonNode) state = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/oauth", NULL);
	JsonObject *object = json_node_get_object (state);

	if (g_str_has_prefix (path_in_state, "grants."))
		return json_object_get_int_member (json_object_get_object_member (object, "grants"),
			path_in_state + strlen ("grants."));

	return json_object_get_int_member (object, path_in_state);
}

static gboolean
source_appeared (gpointer user_data)
{
	ESource *source = e_source_registry_ref_source (hubspot_test_get_registry (), user_data);
	gboolean found = source != NULL;

	g_clear_object (&source);

	return found;
}

/* Nothing of a failed sign-in stays: no calendar, no keyring item, and
 * no token EDS would find for the user. */
static void
assert_nothing_saved (guint calendars_before,
		      guint items_before)
{
	g_autoptr(ESource) probe = new_probe_source ();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *token = NULL;

	hubspot_test_spin (500);
	g_assert_cmpuint (hubspot_test_count_calendars (), ==, calendars_before);
	g_assert_cmpuint (count_keyring_items (), ==, items_before);
	token = dup_stored_access_token (probe, &error);
	g_assert_null (token);
	g_assert_nonnull (error);
}

static void
reset_oauth (void)
{
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/oauth",
		"{\"deny_consent\":false,\"client_secret\":\"" CLIENT_SECRET "\"}");
}

/* ------------------------------------------------------------------ */

static void
test_sign_in_and_sync (void)
{
	g_autofree gchar *browser = following_browser ();
	g_autofree gchar *uid = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *access_token = NULL;
	g_autofree gchar *method = NULL;
	g_autofree gchar *owner_id = NULL;
	g_autofree gchar *redirect_uri = NULL;
	g_autofree gchar *event_uid = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	ToolRun run = { 0 };
	gint64 code_grants = oauth_stat ("grants.authorization_code");
	guint items = count_keyring_items ();
	g_autoptr(GSubprocess) remove = NULL;
	g_autofree gchar *remove_out = NULL;
	ECalClient *client;

	reset_oauth ();
	run_add (browser, "Signed in", "30", &run);
	g_assert_cmpint (run.exit_status, ==, 0);
	/* The browser was told it may close. */
	g_assert_nonnull (strstr (run.err, "browser page: Signed in to HubSpot"));
	g_assert_cmpint (oauth_stat ("grants.authorization_code"), ==, code_grants + 1);

	uid = g_strstrip (g_strdup (run.out));
	g_assert_true (hubspot_test_wait_until (source_appeared, uid, 5000));
	source = e_source_registry_ref_source (hubspot_test_get_registry (), uid);
	method = e_source_authentication_dup_method (e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION));
	g_assert_cmpstr (method, ==, E_OAUTH2_SERVICE_HUBSPOT_NAME);
	owner_id = e_source_hubspot_dup_owner_id (e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT));
	g_assert_cmpstr (owner_id, ==, HUBSPOT_TEST_OWNER_ID);
	/* Port 0 became the port the tool listened on: the refreshes send it. */
	redirect_uri = e_source_hubspot_dup_oauth_redirect_uri (e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT));
	g_assert_true (g_str_has_prefix (redirect_uri, "http://127.0.0.1:"));
	g_assert_false (g_str_has_prefix (redirect_uri, "http://127.0.0.1:0/"));

	/* The token is in the keyring, and neither in the .source file nor
	 * in anything the tool printed; nor is the client secret. */
	access_token = dup_stored_access_token (source, &error);
	g_assert_no_error (error);
	g_assert_nonnull (access_token);
	path = g_strconcat (g_get_user_config_dir (), "/evolution/sources/", uid, ".source", NULL);
	g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
	g_assert_null (strstr (contents, access_token));
	g_assert_null (strstr (contents, CLIENT_SECRET));
	g_assert_nonnull (strstr (contents, "Method=" E_OAUTH2_SERVICE_HUBSPOT_NAME));
	g_assert_null (strstr (run.out, access_token));
	g_assert_null (strstr (run.err, access_token));
	g_assert_null (strstr (run.err, CLIENT_SECRET));
	g_assert_null (strstr (run.err, "code="));
	/* EDS's token record and the calendar's own client secret. */
	g_assert_cmpuint (count_keyring_items (), ==, items + 2);

	/* The backend gets the token through EDS and sends an event. */
	client = hubspot_test_connect (source, NULL);
	event_uid = hubspot_test_create_event (client,
		"BEGIN:VEVENT\r\nUID:sign-in@test\r\nSUMMARY:Signed in\r\n"
		"DTSTART:20270101T100000Z\r\nDTEND:20270101T110000Z\r\nEND:VEVENT\r\n", &error);
	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (client, event_uid, "synced", 20000));

	g_object_unref (client);

	/* remove takes both out of the keyring. */
	remove = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("HUBSPOT_TOOL"), "remove", uid, NULL);
	g_assert_no_error (error);
	g_subprocess_communicate_utf8 (remove, NULL, NULL, &remove_out, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpint (g_subprocess_get_exit_status (remove), ==, 0);
	g_assert_nonnull (strstr (remove_out, "sign-in is no longer in the keyring"));
	g_assert_cmpuint (count_keyring_items (), ==, items);
	tool_run_clear (&run);
}

static void
test_denied (void)
{
	g_autofree gchar *browser = following_browser ();
	guint calendars = hubspot_test_count_calendars ();
	guint items = count_keyring_items ();
	ToolRun run = { 0 };

	reset_oauth ();
	hubspot_test_mock_post (hubspot_test_get_mock (), "/__mock/oauth", "{\"deny_consent\":true}");
	run_add (browser, "Denied", "30", &run);
	reset_oauth ();

	g_assert_cmpint (run.exit_status, ==, 5);
	g_assert_nonnull (strstr (run.err, "not granted"));
	g_assert_nonnull (strstr (run.err, "browser page: HubSpot sign-in failed"));
	g_assert_cmpstr (run.out, ==, "");
	assert_nothing_saved (calendars, items);
	tool_run_clear (&run);
}

static void
test_wrong_state (void)
{
	/* Someone else's answer: the same redirect with another state. */
	g_autofree gchar *browser = write_browser ("wrong-state",
		"location=$(curl -sS -o /dev/null -w '%{redirect_url}' \"$1\")\n"
		"curl -sS \"$(printf '%s' \"$location\" | sed 's/state=/state=forged/')\" >/dev/null\n");
	guint calendars = hubspot_test_count_calendars ();
	guint items = count_keyring_items ();
	gint64 code_grants = oauth_stat ("grants.authorization_code");
	ToolRun run = { 0 };

	reset_oauth ();
	run_add (browser, "Wrong state", "30", &run);

	g_assert_cmpint (run.exit_status, ==, 6);
	g_assert_nonnull (strstr (run.err, "does not belong to this sign-in"));
	/* The code was never exchanged. */
	g_assert_cmpint (oauth_stat ("grants.authorization_code"), ==, code_grants);
	assert_nothing_saved (calendars, items);
	tool_run_clear (&run);
}

static void
test_code_used_twice (void)
{
	/* The code is spent at the token endpoint before the tool gets it:
	 * HubSpot answers the tool's exchange with 400 invalid_grant. */
	g_autofree gchar *browser = write_browser ("spend-code",
		"location=$(curl -sS -o /dev/null -w '%{redirect_url}' \"$1\")\n"
		"code=$(printf '%s' \"$location\" | sed -n 's/.*[?&]code=\\([^&]*\\).*/\\1/p')\n"
		"curl -sS -o /dev/null --data-urlencode grant_type=authorization_code"
		" --data-urlencode client_id=" CLIENT_ID " --data-urlencode client_secret=" CLIENT_SECRET
		" --data-urlencode \"redirect_uri=${location%%\\?*}\" --data-urlencode \"code=$code\""
		" \"$MOCK_URL/oauth/2026-03/token\"\n"
		"curl -sS \"$location\" >/dev/null\n");
	guint calendars = hubspot_test_count_calendars ();
	guint items = count_keyring_items ();
	gint64 rejected = oauth_stat ("rejected_grants");
	ToolRun run = { 0 };

	reset_oauth ();
	run_add (browser, "Code used twice", "30", &run);

	g_assert_cmpint (run.exit_status, ==, 8);
	g_assert_nonnull (strstr (run.err, "invalid_grant"));
	g_assert_nonnull (strstr (run.err, "correlation id"));
	/* The script's try and the tool's. */
	g_assert_cmpint (oauth_stat ("rejected_grants"), ==, rejected + 2);
	assert_nothing_saved (calendars, items);
	tool_run_clear (&run);
}

static void
test_timeout (void)
{
	/* A browser that shows nothing and never comes back. */
	g_autofree gchar *browser = write_browser ("idle", "exit 0\n");
	guint calendars = hubspot_test_count_calendars ();
	guint items = count_keyring_items ();
	gint64 started = g_get_monotonic_time ();
	ToolRun run = { 0 };

	reset_oauth ();
	run_add (browser, "Timeout", "2", &run);

	g_assert_cmpint (run.exit_status, ==, 7);
	g_assert_nonnull (strstr (run.err, "within 2 seconds"));
	/* The URL is printed for a machine without a browser. */
	g_assert_nonnull (strstr (run.err, "/oauth/authorize?"));
	g_assert_cmpint (g_get_monotonic_time () - started, >=, 2 * G_USEC_PER_SEC);
	g_assert_cmpint (g_get_monotonic_time () - started, <, 20 * G_USEC_PER_SEC);
	assert_nothing_saved (calendars, items);
	tool_run_clear (&run);
}

typedef struct {
	GString *err;
	gboolean waiting;	/* the tool printed the address */
	gboolean eof;
} ErrReader;

static void
read_err_cb (GObject *source_object,
	     GAsyncResult *result,
	     gpointer user_data)
{
	ErrReader *reader = user_data;
	g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result, NULL);

	if (!bytes || !g_bytes_get_size (bytes)) {
		reader->eof = TRUE;
		return;
	}

	g_string_append_len (reader->err, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
	reader->waiting = strstr (reader->err->str, "/oauth/authorize?") != NULL;
	g_input_stream_read_bytes_async (G_INPUT_STREAM (source_object), 4096, G_PRIORITY_DEFAULT, NULL,
		read_err_cb, reader);
}

static gboolean
reader_waiting (gpointer user_data)
{
	return ((ErrReader *) user_data)->waiting;
}

static gboolean
reader_eof (gpointer user_data)
{
	return ((ErrReader *) user_data)->eof;
}

static void
test_interrupted (void)
{
	g_autofree gchar *browser = write_browser ("idle", "exit 0\n");
	guint calendars = hubspot_test_count_calendars ();
	guint items = count_keyring_items ();
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;
	ErrReader reader = { g_string_new (NULL), FALSE, FALSE };

	reset_oauth ();
	process = spawn_add (browser, "Interrupted", "60", &error);
	g_assert_no_error (error);
	g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (process), 4096, G_PRIORITY_DEFAULT, NULL,
		read_err_cb, &reader);

	/* Ctrl-C while it waits for the browser. */
	g_assert_true (hubspot_test_wait_until (reader_waiting, &reader, 10000));
	g_subprocess_send_signal (process, SIGINT);
	g_assert_true (hubspot_test_wait_until (reader_eof, &reader, 10000));
	g_subprocess_wait (process, NULL, &error);
	g_assert_no_error (error);
	g_test_message ("evolution-hubspot add --sign-in, interrupted:\n%s", reader.err->str);

	g_assert_true (g_subprocess_get_if_exited (process));
	g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
	g_assert_nonnull (strstr (reader.err->str, "interrupted"));
	assert_nothing_saved (calendars, items);
	g_string_free (reader.err, TRUE);
}

/* A build without a HubSpot app of its own (the meson option
 * oauth_client_id empty, as here) needs --client-id: said at once, not
 * after --timeout in front of HubSpot's error page. */
static void
test_no_client_id (void)
{
	g_autoptr(EOAuth2Service) service = e_oauth2_service_hubspot_new ();
	g_autoptr(ESource) plain = e_source_new (NULL, NULL, NULL);
	const gchar *url = hubspot_test_mock_get_url (hubspot_test_get_mock ());
	const gchar *client_id = e_oauth2_service_get_client_id (service, plain);
	g_autofree gchar *browser = write_browser ("idle", "exit 0\n");
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL, *err = NULL;
	guint calendars = hubspot_test_count_calendars ();
	guint items = count_keyring_items ();

	if (client_id && *client_id) {
		g_test_skip ("this build has a HubSpot client id of its own");
		return;
	}

	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv (launcher, "BROWSER", browser, TRUE);
	process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HUBSPOT_TOOL"), "add", "--sign-in",
		"--name", "No client", "--email", HUBSPOT_TEST_OWNER_EMAIL, "--api-url", url, "--auth-url", url,
		"--redirect-uri", REDIRECT_ANY_PORT, "--timeout", "30", NULL);
	g_assert_no_error (error);
	g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
	g_assert_no_error (error);
	g_test_message ("evolution-hubspot add --sign-in (no client id): exit %d\n%s", g_subprocess_get_exit_status (process), err);

	g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
	g_assert_nonnull (strstr (err, "--client-id"));
	/* It never listened nor sent anyone to HubSpot. */
	g_assert_null (strstr (err, "/oauth/authorize?"));
	assert_nothing_saved (calendars, items);
}

gint
main (gint argc,
      gchar **argv)
{
	g_autoptr(GError) error = NULL;
	gint status;

	hubspot_test_init (&argc, &argv, NULL);

	work_dir = g_dir_make_tmp ("hubspot-sign-in-XXXXXX", &error);
	g_assert_no_error (error);
	secret_file = g_build_filename (work_dir, "client-secret", NULL);
	g_file_set_contents (secret_file, CLIENT_SECRET "\n", -1, &error);
	g_assert_no_error (error);

	g_test_add_func ("/sign-in/add-and-sync", test_sign_in_and_sync);
	g_test_add_func ("/sign-in/denied", test_denied);
	g_test_add_func ("/sign-in/wrong-state", test_wrong_state);
	g_test_add_func ("/sign-in/code-used-twice", test_code_used_twice);
	g_test_add_func ("/sign-in/timeout", test_timeout);
	g_test_add_func ("/sign-in/interrupted", test_interrupted);
	g_test_add_func ("/sign-in/no-client-id", test_no_client_id);

	status = hubspot_test_run ();

	{
		const gchar *rm[] = { "rm", "-rf", "--", work_dir, NULL };

		g_spawn_sync (NULL, (gchar **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	}
	g_free (secret_file);
	g_free (work_dir);

	return status;
}
