/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot add: signs in to HubSpot (--sign-in, OAuth 2) or
 * reads a service key or private-app token, checks it and the owner
 * against HubSpot, creates the calendar's source, and leaves the
 * credential in the keyring.  Nothing is saved unless all of it worked. */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include <libical-glib/libical-glib.h>

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-tz.h"
#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "e-hubspot-tool.h"

/* A secret never comes from the command line, where other users see it
 * in the process list: from a file, or from standard input. */
static gchar *
read_secret (const gchar *file,
	     const gchar *prompt,
	     const gchar *empty_message,
	     GError **error)
{
	g_autofree gchar *contents = NULL;

	if (file) {
		if (!g_file_get_contents (file, &contents, NULL, error))
			return NULL;
	} else {
		GString *text = g_string_new (NULL);
		struct termios saved, quiet;
		gboolean tty = isatty (STDIN_FILENO);
		gint ch;

		if (tty) {
			fprintf (stderr, "%s", prompt);
			tcgetattr (STDIN_FILENO, &saved);
			quiet = saved;
			quiet.c_lflag &= ~ECHO;
			tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
		}

		while ((ch = getchar ()) != EOF && ch != '\n')
			g_string_append_c (text, (gchar) ch);

		if (tty) {
			tcsetattr (STDIN_FILENO, TCSANOW, &saved);
			fprintf (stderr, "\n");
		}

		contents = g_string_free (text, FALSE);
	}

	g_strstrip (contents);
	if (!*contents) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
			empty_message);
		return NULL;
	}

	return g_steal_pointer (&contents);
}

static gint
exit_code_for (const GError *error)
{
	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return E_HUBSPOT_TOOL_EXIT_INTERRUPTED;

	if (error && error->domain == E_HUBSPOT_TOOL_SIGN_IN_ERROR) {
		switch (error->code) {
		case E_HUBSPOT_TOOL_SIGN_IN_ERROR_LISTEN:
			return E_HUBSPOT_TOOL_EXIT_USAGE;
		case E_HUBSPOT_TOOL_SIGN_IN_ERROR_DENIED:
			return E_HUBSPOT_TOOL_EXIT_DENIED;
		case E_HUBSPOT_TOOL_SIGN_IN_ERROR_STATE:
			return E_HUBSPOT_TOOL_EXIT_STATE;
		case E_HUBSPOT_TOOL_SIGN_IN_ERROR_TIMEOUT:
			return E_HUBSPOT_TOOL_EXIT_TIMEOUT;
		case E_HUBSPOT_TOOL_SIGN_IN_ERROR_REFUSED:
			return E_HUBSPOT_TOOL_EXIT_CODE_REFUSED;
		default:
			return E_HUBSPOT_TOOL_EXIT_HUBSPOT;
		}
	}

	if (error && error->domain == E_HUBSPOT_ERROR) {
		switch (error->code) {
		case E_HUBSPOT_ERROR_INVALID_SETTINGS:
			return E_HUBSPOT_TOOL_EXIT_USAGE;
		case E_HUBSPOT_ERROR_SERVER:
		case E_HUBSPOT_ERROR_BAD_RESPONSE:
			return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
		default:
			return E_HUBSPOT_TOOL_EXIT_HUBSPOT;
		}
	}

	return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
}

/* Says what HubSpot's refusal means for this command. */
static void
explain_hubspot_error (const GError *error,
		       gboolean signed_in)
{
	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_UNAUTHORIZED))
		g_printerr ("%s\n", signed_in ?
			_("HubSpot rejected the sign-in’s token: try again.") :
			_("HubSpot rejected the key: check that it is a valid service key or private-app token."));
	else if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN))
		g_printerr ("%s\n", signed_in ?
			_("The sign-in lacks a scope this calendar needs: crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read.") :
			_("The service key or private-app token lacks a scope this calendar needs: crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read."));
}

/* ------------------------------------------------------------------ */
/* What HubSpot says of the owner and the account, in a thread.       */

typedef struct {
	gchar *api_url;
	gchar *token;		/* a key, or NULL: the signed-in source's */
	EOAuth2Service *service;
	ESource *source;
	gchar *email;

	gchar *owner_id;
	gchar *user_id;
	gchar *portal_id;
	gchar *ui_domain;
	gboolean no_account_details;
	const gchar *failed;	/* what failed, for the message */
} Check;

static void
check_free (gpointer ptr)
{
	Check *check = ptr;

	g_free (check->api_url);
	if (check->token) {
		memset (check->token, 0, strlen (check->token));
		g_free (check->token);
	}
	g_clear_object (&check->service);
	g_clear_object (&check->source);
	g_free (check->email);
	g_free (check->owner_id);
	g_free (check->user_id);
	g_free (check->portal_id);
	g_free (check->ui_domain);
	g_free (check);
}

static ESource *
no_source_cb (gpointer user_data,
	      const gchar *uid)
{
	return NULL;
}

static void
check_thread (GTask *task,
	      gpointer source_object,
	      gpointer task_data,
	      GCancellable *cancellable)
{
	Check *check = task_data;
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(EHubSpotCredential) credential = NULL;
	g_autoptr(EHubSpotToken) access_token = NULL;
	GError *error = NULL;

	if (!check->token) {
		gint expires_in = 0;

		/* The token the sign-in just stored, as the backend gets it. */
		if (!e_oauth2_service_get_access_token_sync (check->service, check->source, no_source_cb, NULL,
							     &access_token, &expires_in, cancellable, &error)) {
			check->failed = _("Cannot read the sign-in’s token from the keyring");
			g_task_return_error (task, error);
			return;
		}
	}

	/* The tool's own connection: it is a process of its own. */
	cnc = e_hubspot_connection_new (check->api_url, 1, &error);
	if (!cnc) {
		check->failed = _("Invalid API URL");
		g_task_return_error (task, error);
		return;
	}
	credential = e_hubspot_credential_new ();
	e_hubspot_credential_set_token (credential, check->token ? check->token : access_token);

	if (check->email && !e_hubspot_connection_lookup_owner_sync (cnc, credential, check->email, &check->owner_id,
								     &check->user_id, cancellable, &error)) {
		check->failed = _("Cannot find the HubSpot owner");
		g_task_return_error (task, error);
		return;
	}

	if (!e_hubspot_connection_get_account_info_sync (cnc, credential, &check->portal_id, &check->ui_domain,
							 cancellable, &error)) {
		if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN)) {
			check->failed = _("Cannot read the HubSpot account");
			g_task_return_error (task, error);
			return;
		}
		/* Only the link to a meeting's page needs it: go on. */
		check->no_account_details = TRUE;
		g_clear_error (&error);
	}

	g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------ */

static gboolean
interrupted_cb (gpointer user_data)
{
	g_cancellable_cancel (user_data);

	return G_SOURCE_CONTINUE;
}

/* Another calendar signed in as the same user shares EDS's token record
 * (it is kept per service and user): it must outlive a failed add. */
static gboolean
token_is_shared (ESourceRegistry *registry,
		 ESource *source)
{
	ESourceAuthentication *auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
	g_autofree gchar *user = e_source_authentication_dup_user (auth);
	GList *sources, *link;
	gboolean shared = FALSE;

	sources = e_source_registry_list_sources (registry, E_SOURCE_EXTENSION_AUTHENTICATION);
	for (link = sources; link && !shared; link = link->next) {
		ESourceAuthentication *other = e_source_get_extension (link->data, E_SOURCE_EXTENSION_AUTHENTICATION);
		g_autofree gchar *other_user = e_source_authentication_dup_user (other);
		g_autofree gchar *other_method = e_source_authentication_dup_method (other);

		shared = g_strcmp0 (e_source_get_uid (link->data), e_source_get_uid (source)) != 0 &&
			g_strcmp0 (other_method, E_OAUTH2_SERVICE_HUBSPOT_NAME) == 0 &&
			g_strcmp0 (other_user, user) == 0;
	}
	g_list_free_full (sources, g_object_unref);

	return shared;
}

/* A failed sign-in leaves nothing in the keyring. */
static void
forget_sign_in (EOAuth2Service *service,
		ESourceRegistry *registry,
		ESource *source,
		gboolean client_secret_stored)
{
	g_autoptr(GError) error = NULL;

	if (!token_is_shared (registry, source) &&
	    !e_oauth2_service_delete_token_sync (service, source, NULL, &error) &&
	    !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
		e_hubspot_tool_print_error (_("Warning: the sign-in’s token could not be removed from the keyring"), error);
	}
	g_clear_error (&error);

	if (client_secret_stored &&
	    !e_oauth2_service_hubspot_store_client_secret_sync (source, NULL, NULL, &error))
		e_hubspot_tool_print_error (_("Warning: the client secret could not be removed from the keyring"), error);
}

gint
e_hubspot_tool_add (gint argc,
		    gchar **argv)
{
	g_autofree gchar *name = NULL;
	g_autofree gchar *email = NULL;
	g_autofree gchar *owner_id = NULL;
	g_autofree gchar *user_id = NULL;
	g_autofree gchar *api_url = NULL;
	g_autofree gchar *token_file = NULL;
	g_autofree gchar *timezone = NULL;
	g_autofree gchar *auth_url = NULL;
	g_autofree gchar *client_id = NULL;
	g_autofree gchar *client_secret_file = NULL;
	g_autofree gchar *redirect_uri = NULL;
	g_autoptr(EHubSpotToken) token = NULL;
	g_autoptr(EHubSpotToken) client_secret = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(ESourceRegistry) registry = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GCancellable) cancellable = NULL;
	g_autoptr(EOAuth2Service) service = NULL;
	ESourceHubSpot *extension;
	ESourceBackend *calendar;
	ESourceAuthentication *auth;
	Check *check;
	gboolean sign_in = FALSE, client_secret_stored = FALSE, checked;
	gint timeout_seconds = 300, exit_code;
	guint sigint_id = 0, sigterm_id = 0;
	GOptionEntry entries[] = {
		{ "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The calendar’s name"), N_("NAME") },
		{ "email", 'e', 0, G_OPTION_ARG_STRING, &email, N_("Your HubSpot e-mail address (finds the owner and user ids)"), N_("EMAIL") },
		{ "owner-id", 0, 0, G_OPTION_ARG_STRING, &owner_id, N_("Your HubSpot owner id, instead of --email"), N_("ID") },
		{ "user-id", 0, 0, G_OPTION_ARG_STRING, &user_id, N_("Your HubSpot user id, instead of --email"), N_("ID") },
		{ "api-url", 0, 0, G_OPTION_ARG_STRING, &api_url, N_("HubSpot’s API address (default: https://api.hubapi.com)"), N_("URL") },
		{ "token-file", 't', 0, G_OPTION_ARG_FILENAME, &token_file, N_("Read the service key or private-app token from FILE (default: standard input)"), N_("FILE") },
		{ "timezone", 0, 0, G_OPTION_ARG_STRING, &timezone, N_("Time zone for floating and all-day events (default: the system’s)"), N_("ZONE") },
		{ "sign-in", 's', 0, G_OPTION_ARG_NONE, &sign_in, N_("Sign in with HubSpot in a web browser instead of giving a key"), NULL },
		{ "auth-url", 0, 0, G_OPTION_ARG_STRING, &auth_url, N_("With --sign-in: HubSpot’s sign-in address (default: https://app.hubspot.com)"), N_("URL") },
		{ "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, N_("With --sign-in: the client id of your own HubSpot app (default: the one built in)"), N_("ID") },
		{ "client-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &client_secret_file, N_("With --sign-in: read your own app’s client secret from FILE (kept in the keyring)"), N_("FILE") },
		{ "redirect-uri", 0, 0, G_OPTION_ARG_STRING, &redirect_uri, N_("With --sign-in: the address on this computer HubSpot sends you back to (port 0: any free port)"), N_("URI") },
		{ "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_seconds, N_("With --sign-in: how long to wait for the browser, in seconds (default: 300)"), N_("SECONDS") },
		{ NULL }
	};

	g_set_prgname ("evolution-hubspot add");
	context = g_option_context_new (NULL);
	g_option_context_set_summary (context, _("Adds a HubSpot calendar: every event created in it becomes a meeting in HubSpot."));
	g_option_context_set_description (context,
		_("With --sign-in, you sign in to HubSpot in a web browser and the calendar keeps the sign-in in your keyring. "
		  "Without it, the calendar uses a service key or private-app token, read from --token-file or standard input.\n"
		  "Exit codes: 0 added, 1 failed, 2 bad arguments, 3 HubSpot refused, 4 HubSpot or EDS unreachable, "
		  "5 access not granted, 6 an answer not from this sign-in, 7 no answer from the browser in time, "
		  "8 HubSpot refused the sign-in’s code, 130 interrupted."));
	g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
	g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("%s\n", error->message);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (!name || !*name) {
		g_printerr ("%s\n", _("A calendar name is required (--name)."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (!email && (!owner_id || !user_id)) {
		g_printerr ("%s\n", _("Give --email, or both --owner-id and --user-id."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (timezone && !e_hubspot_tz_get_builtin_zone (timezone)) {
		g_printerr (_("Unknown time zone “%s”.\n"), timezone);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (sign_in && token_file) {
		g_printerr ("%s\n", _("Give either --sign-in or --token-file, not both."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (!sign_in && (auth_url || client_id || client_secret_file || redirect_uri)) {
		g_printerr ("%s\n", _("--auth-url, --client-id, --client-secret-file and --redirect-uri go with --sign-in."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (timeout_seconds <= 0) {
		g_printerr ("%s\n", _("--timeout takes a number of seconds above 0."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (timezone) {
		/* Saved by its current name: "US/Eastern" becomes America/New_York. */
		const gchar *canonical = e_hubspot_tz_canonical_name (timezone);

		g_free (timezone);
		timezone = g_strdup (canonical);
	}
	if (!api_url)
		api_url = g_strdup (E_HUBSPOT_DEFAULT_API_URL);
	if (!e_source_hubspot_check_api_url (api_url, &error)) {
		e_hubspot_tool_print_error (_("Invalid API URL"), error);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	if (auth_url && !e_source_hubspot_check_auth_url (auth_url, &error)) {
		e_hubspot_tool_print_error (_("Invalid sign-in address"), error);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (sign_in) {
		if (client_secret_file) {
			client_secret = read_secret (client_secret_file, "", _("The client secret is empty"), &error);
			if (!client_secret) {
				e_hubspot_tool_print_error (_("Cannot read the client secret"), error);
				return E_HUBSPOT_TOOL_EXIT_USAGE;
			}
		}
	} else {
		token = read_secret (token_file, _("HubSpot service key or private-app token: "),
			_("The service key or private-app token is empty"), &error);
		if (!token) {
			e_hubspot_tool_print_error (_("Cannot read the service key or private-app token"), error);
			return E_HUBSPOT_TOOL_EXIT_USAGE;
		}
	}

	registry = e_source_registry_new_sync (NULL, &error);
	if (!registry) {
		e_hubspot_tool_print_error (_("Cannot reach the calendar service (evolution-source-registry)"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	source = e_source_new (NULL, NULL, &error);
	if (!source) {
		e_hubspot_tool_print_error (_("Cannot create the calendar"), error);
		return E_HUBSPOT_TOOL_EXIT_FAILED;
	}

	e_source_set_display_name (source, name);
	e_source_set_parent (source, E_HUBSPOT_PARENT_UID);

	calendar = e_source_get_extension (source, E_SOURCE_EXTENSION_CALENDAR);
	e_source_backend_set_backend_name (calendar, E_HUBSPOT_BACKEND_NAME);
	e_source_selectable_set_selected (E_SOURCE_SELECTABLE (calendar), TRUE);

	extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
	e_source_hubspot_set_api_url (extension, api_url);
	e_source_hubspot_set_email (extension, email);
	e_source_hubspot_set_owner_id (extension, owner_id);
	e_source_hubspot_set_user_id (extension, user_id);
	e_source_hubspot_set_timezone (extension, timezone);

	/* What the credentials prompt shows; the secrets themselves go to
	 * the keyring, never into the .source file.  EDS keeps a sign-in's
	 * token under the service's name and this user. */
	uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);
	auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
	e_source_authentication_set_host (auth, uri ? g_uri_get_host (uri) : NULL);
	e_source_authentication_set_user (auth, email ? email : owner_id);

	check = g_new0 (Check, 1);
	check->api_url = g_strdup (api_url);
	check->email = g_strdup (email);

	cancellable = g_cancellable_new ();

	if (sign_in) {
		e_source_authentication_set_method (auth, E_OAUTH2_SERVICE_HUBSPOT_NAME);
		if (auth_url)
			e_source_hubspot_set_auth_url (extension, auth_url);
		if (client_id)
			e_source_hubspot_set_oauth_client_id (extension, client_id);
		if (redirect_uri)
			e_source_hubspot_set_oauth_redirect_uri (extension, redirect_uri);

		/* Ctrl-C ends the wait and the calls; what was stored goes. */
		sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
		sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);

		service = e_oauth2_service_hubspot_new ();

		/* HubSpot would only show an error page, and the wait would
		 * last until --timeout. */
		if (!e_oauth2_service_get_client_id (service, source) || !*e_oauth2_service_get_client_id (service, source)) {
			g_printerr ("%s\n", _("This build has no HubSpot app to sign in with: give your app’s --client-id and --client-secret-file (README.md, “Signing in”)."));
			check_free (check);
			exit_code = E_HUBSPOT_TOOL_EXIT_USAGE;
			goto out;
		}

		if (client_secret) {
			if (!e_oauth2_service_hubspot_store_client_secret_sync (source, client_secret, cancellable, &error)) {
				e_hubspot_tool_print_error (_("Cannot store the client secret in the keyring"), error);
				check_free (check);
				exit_code = E_HUBSPOT_TOOL_EXIT_FAILED;
				goto out;
			}
			client_secret_stored = TRUE;
		}

		if (!e_hubspot_tool_sign_in_sync (service, source, registry, timeout_seconds, cancellable, &error)) {
			if (error->domain == E_HUBSPOT_TOOL_SIGN_IN_ERROR || error->domain == G_IO_ERROR)
				g_printerr ("%s\n", error->message);
			else
				e_hubspot_tool_print_error (_("Cannot sign in to HubSpot"), error);
			forget_sign_in (service, registry, source, client_secret_stored);
			check_free (check);
			exit_code = exit_code_for (error);
			goto out;
		}

		check->service = g_object_ref (service);
		check->source = g_object_ref (source);
	} else {
		check->token = g_strdup (token);
	}

	/* Check everything against HubSpot before anything is saved. */
	checked = e_hubspot_tool_run_in_thread_sync (check_thread, check, NULL, cancellable, &error);
	if (!checked) {
		if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_printerr ("%s\n", _("Interrupted: nothing was saved."));
		else
			e_hubspot_tool_print_error (check->failed ? check->failed : _("Cannot check the calendar with HubSpot"), error);
		explain_hubspot_error (error, sign_in);
		if (sign_in)
			forget_sign_in (service, registry, source, client_secret_stored);
		exit_code = exit_code_for (error);
		check_free (check);
		goto out;
	}

	if (!email) {
		/* owner_id and user_id came from the command line. */
	} else {
		e_source_hubspot_set_owner_id (extension, check->owner_id);
		e_source_hubspot_set_user_id (extension, check->user_id);
	}
	e_source_hubspot_set_portal_id (extension, check->portal_id);
	e_source_hubspot_set_ui_domain (extension, check->ui_domain);
	if (check->no_account_details)
		g_printerr ("%s\n", sign_in ?
			_("Warning: the sign-in may not read the account details (scope “oauth”); meeting links will come from HubSpot’s answers only.") :
			_("Warning: the service key or private-app token may not read the account details (scope “oauth”); meeting links will come from HubSpot’s answers only."));
	check_free (check);

	if (g_cancellable_set_error_if_cancelled (cancellable, &error)) {
		g_printerr ("%s\n", _("Interrupted: nothing was saved."));
		if (sign_in)
			forget_sign_in (service, registry, source, client_secret_stored);
		exit_code = E_HUBSPOT_TOOL_EXIT_INTERRUPTED;
		goto out;
	}

	if (!e_source_registry_commit_source_sync (registry, source, NULL, &error)) {
		e_hubspot_tool_print_error (_("Cannot save the calendar"), error);
		if (sign_in)
			forget_sign_in (service, registry, source, client_secret_stored);
		exit_code = E_HUBSPOT_TOOL_EXIT_FAILED;
		goto out;
	}

	if (sign_in) {
		/* The backend asks EDS for the token when it opens. */
	} else if (!e_source_store_password_sync (source, token, TRUE, NULL, &error)) {
		/* No keyring: the calendar asks for the key when it opens. */
		e_hubspot_tool_print_error (_("Warning: the service key or private-app token could not be stored in the keyring"), error);
		g_clear_error (&error);
	} else {
		g_autoptr(ESource) registered = e_source_registry_ref_source (registry, e_source_get_uid (source));
		ENamedParameters *credentials = e_named_parameters_new ();

		/* A backend that already runs for this calendar gets it now. */
		e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_PASSWORD, token);
		if (registered)
			e_source_invoke_authenticate_sync (registered, credentials, NULL, NULL);
		e_named_parameters_free (credentials);
	}

	printf ("%s\n", e_source_get_uid (source));
	exit_code = E_HUBSPOT_TOOL_EXIT_OK;

 out:
	if (sigint_id)
		g_source_remove (sigint_id);
	if (sigterm_id)
		g_source_remove (sigterm_id);

	return exit_code;
}
