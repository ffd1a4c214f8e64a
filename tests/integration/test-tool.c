/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot add and list, run as a person would, on a private bus
 * with a headless keyring, against the mock HubSpot. */

#include <string.h>

#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

/* Runs the tool with the token on standard input. */
/* The key as a person types it at the prompt. */
static const gchar *
token_line (void)
{
	static gchar *line;

	if (!line)
		line = g_strconcat (HUBSPOT_TEST_TOKEN, "\n", NULL);

	return line;
}

static gint
run_tool (const gchar *stdin_text,
	  gchar **out_stdout,
	  gchar **out_stderr,
	  ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new ();
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *arg;
	va_list ap;

	g_ptr_array_add (argv, (gpointer) g_getenv ("HUBSPOT_TOOL"));
	va_start (ap, out_stderr);
	while ((arg = va_arg (ap, const gchar *)))
		g_ptr_array_add (argv, (gpointer) arg);
	va_end (ap);
	g_ptr_array_add (argv, NULL);

	process = g_subprocess_newv ((const gchar * const *) argv->pdata,
		G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
	g_assert_no_error (error);
	g_subprocess_communicate_utf8 (process, stdin_text, NULL, out_stdout, out_stderr, &error);
	g_assert_no_error (error);
	g_test_message ("evolution-hubspot %s: exit %d\n%s%s", (gchar *) argv->pdata[1],
		g_subprocess_get_exit_status (process), *out_stdout, *out_stderr);

	return g_subprocess_get_exit_status (process);
}

static gboolean
source_appeared (gpointer user_data)
{
	ESource *source = e_source_registry_ref_source (hubspot_test_get_registry (), user_data);
	gboolean found = source != NULL;

	g_clear_object (&source);

	return found;
}

static void
test_add_by_email (void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *password = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *list_out = NULL;
	g_autofree gchar *list_err = NULL;
	ESourceHubSpot *extension;
	g_autofree gchar *owner_id = NULL, *user_id = NULL, *portal_id = NULL, *ui_domain = NULL, *api_url = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *path = NULL;

	g_assert_cmpint (run_tool (token_line (), &out, &err, "add", "--name", "Sales meetings",
		"--email", HUBSPOT_TEST_OWNER_EMAIL, "--api-url", hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL), ==, 0);
	uid = g_strstrip (g_strdup (out));
	g_assert_cmpuint (strlen (uid), >, 0);

	g_assert_true (hubspot_test_wait_until (source_appeared, uid, 5000));
	source = e_source_registry_ref_source (hubspot_test_get_registry (), uid);
	g_assert_cmpstr (e_source_get_display_name (source), ==, "Sales meetings");
	g_assert_cmpstr (e_source_get_parent (source), ==, E_HUBSPOT_PARENT_UID);
	g_assert_cmpstr (e_source_backend_get_backend_name (e_source_get_extension (source, E_SOURCE_EXTENSION_CALENDAR)), ==, "hubspot");

	extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
	owner_id = e_source_hubspot_dup_owner_id (extension);
	user_id = e_source_hubspot_dup_user_id (extension);
	portal_id = e_source_hubspot_dup_portal_id (extension);
	ui_domain = e_source_hubspot_dup_ui_domain (extension);
	api_url = e_source_hubspot_dup_api_url (extension);
	g_assert_cmpstr (owner_id, ==, HUBSPOT_TEST_OWNER_ID);
	g_assert_cmpstr (user_id, ==, HUBSPOT_TEST_USER_ID);
	g_assert_cmpstr (portal_id, ==, "4242");
	g_assert_cmpstr (ui_domain, ==, "app.hubspot.com");
	g_assert_cmpstr (api_url, ==, hubspot_test_mock_get_url (hubspot_test_get_mock ()));

	/* The token is in the keyring, and nowhere in the .source file. */
	e_source_lookup_password_sync (source, NULL, &password, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (password, ==, HUBSPOT_TEST_TOKEN);
	path = g_build_filename (g_get_user_config_dir (), "evolution", "sources", NULL);
	g_free (path);
	path = g_strconcat (g_get_user_config_dir (), "/evolution/sources/", uid, ".source", NULL);
	g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
	g_assert_null (strstr (contents, HUBSPOT_TEST_TOKEN));
	g_assert_nonnull (strstr (contents, "OwnerId=" HUBSPOT_TEST_OWNER_ID));

	g_assert_cmpint (run_tool (NULL, &list_out, &list_err, "list", NULL), ==, 0);
	g_assert_nonnull (strstr (list_out, uid));
	g_assert_nonnull (strstr (list_out, "Sales meetings"));

	e_source_remove_sync (source, NULL, NULL);
}

/* The backend connects with the token from the keyring, with no prompt,
 * and sends an event. */
static void
test_keyring_token_reaches_backend (void)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *event_uid = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	ECalClient *client;

	g_assert_cmpint (run_tool (token_line (), &out, &err, "add", "--name", "Keyring path",
		"--owner-id", HUBSPOT_TEST_OWNER_ID, "--user-id", HUBSPOT_TEST_USER_ID,
		"--api-url", hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL), ==, 0);
	uid = g_strstrip (g_strdup (out));
	g_assert_true (hubspot_test_wait_until (source_appeared, uid, 5000));
	source = e_source_registry_ref_source (hubspot_test_get_registry (), uid);

	client = hubspot_test_connect (source, NULL);
	event_uid = hubspot_test_create_event (client,
		"BEGIN:VEVENT\r\nUID:keyring@test\r\nSUMMARY:Via the keyring\r\n"
		"DTSTART:20270101T100000Z\r\nDTEND:20270101T110000Z\r\nEND:VEVENT\r\n", &error);
	g_assert_no_error (error);
	g_assert_true (hubspot_test_wait_state (client, event_uid, "synced", 20000));

	g_object_unref (client);
	e_source_remove_sync (source, NULL, NULL);
}

static void
test_add_refusals (void)
{
	guint before = hubspot_test_count_calendars ();
	g_autofree gchar *out = NULL, *err = NULL;

	/* Bad token: HubSpot refuses, nothing is saved. */
	g_assert_cmpint (run_tool ("not-the-token\n", &out, &err, "add", "--name", "X",
		"--email", HUBSPOT_TEST_OWNER_EMAIL, "--api-url", hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL), ==, 3);
	g_assert_nonnull (strstr (err, "token"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	/* Unknown owner e-mail. */
	g_assert_cmpint (run_tool (token_line (), &out, &err, "add", "--name", "X",
		"--email", "nobody@example.com", "--api-url", hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL), ==, 3);
	g_assert_nonnull (strstr (err, "nobody@example.com"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	/* Usage errors. */
	g_assert_cmpint (run_tool (token_line (), &out, &err, "add", "--name", "X", NULL), ==, 2);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (token_line (), &out, &err, "add", "--name", "X", "--email", "a@b.c",
		"--api-url", "http://hubspot.example.com", NULL), ==, 2);
	g_assert_nonnull (strstr (err, "https"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool ("\n", &out, &err, "add", "--name", "X", "--email", HUBSPOT_TEST_OWNER_EMAIL,
		"--api-url", hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL), ==, 2);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (NULL, &out, &err, "frobnicate", NULL), ==, 2);

	hubspot_test_spin (500);
	g_assert_cmpuint (hubspot_test_count_calendars (), ==, before);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	g_test_add_func ("/tool/add/by-email", test_add_by_email);
	g_test_add_func ("/tool/add/keyring-token-reaches-backend", test_keyring_token_reaches_backend);
	g_test_add_func ("/tool/add/refusals", test_add_refusals);

	return hubspot_test_run ();
}
