/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot add: checks the token and the owner against HubSpot,
 * creates the calendar's source, and puts the token in the keyring. */

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include <libical-glib/libical-glib.h>

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-tz.h"
#include "common/e-source-hubspot.h"
#include "e-hubspot-tool.h"

/* The token never comes from the command line, where other users see it
 * in the process list: from a file, or from standard input. */
static gchar *
read_token (const gchar *token_file,
	    GError **error)
{
	g_autofree gchar *contents = NULL;

	if (token_file) {
		if (!g_file_get_contents (token_file, &contents, NULL, error))
			return NULL;
	} else {
		GString *text = g_string_new (NULL);
		struct termios saved, quiet;
		gboolean tty = isatty (STDIN_FILENO);
		gint ch;

		if (tty) {
			fprintf (stderr, "%s", _("HubSpot token: "));
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
			_("The token is empty"));
		return NULL;
	}

	return g_steal_pointer (&contents);
}

static gint
exit_code_for (const GError *error)
{
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
explain_hubspot_error (const GError *error)
{
	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_UNAUTHORIZED))
		g_printerr ("%s\n", _("HubSpot rejected the token: check that it is a valid private-app token."));
	else if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN))
		g_printerr ("%s\n", _("The token lacks a scope this calendar needs: crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read."));
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
	g_autoptr(EHubSpotToken) token = NULL;
	g_autofree gchar *portal_id = NULL;
	g_autofree gchar *ui_domain = NULL;
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(ESourceRegistry) registry = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = NULL;
	ESourceHubSpot *extension;
	ESourceBackend *calendar;
	ESourceAuthentication *auth;
	GOptionEntry entries[] = {
		{ "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The calendar’s name"), N_("NAME") },
		{ "email", 'e', 0, G_OPTION_ARG_STRING, &email, N_("Your HubSpot e-mail address (finds the owner and user ids)"), N_("EMAIL") },
		{ "owner-id", 0, 0, G_OPTION_ARG_STRING, &owner_id, N_("Your HubSpot owner id, instead of --email"), N_("ID") },
		{ "user-id", 0, 0, G_OPTION_ARG_STRING, &user_id, N_("Your HubSpot user id, instead of --email"), N_("ID") },
		{ "api-url", 0, 0, G_OPTION_ARG_STRING, &api_url, N_("HubSpot’s API address (default: https://api.hubapi.com)"), N_("URL") },
		{ "token-file", 't', 0, G_OPTION_ARG_FILENAME, &token_file, N_("Read the private-app token from FILE (default: standard input)"), N_("FILE") },
		{ "timezone", 0, 0, G_OPTION_ARG_STRING, &timezone, N_("Time zone for floating and all-day events (default: the system’s)"), N_("ZONE") },
		{ NULL }
	};

	context = g_option_context_new (NULL);
	g_option_context_set_summary (context, _("Adds a HubSpot calendar: every event created in it becomes a meeting in HubSpot."));
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
	if (timezone) {
		/* Saved by its current name: "US/Eastern" becomes America/New_York. */
		const gchar *canonical = e_hubspot_tz_canonical_name (timezone);

		g_free (timezone);
		timezone = g_strdup (canonical);
	}
	if (!api_url)
		api_url = g_strdup (E_HUBSPOT_DEFAULT_API_URL);

	token = read_token (token_file, &error);
	if (!token) {
		e_hubspot_tool_print_error (_("Cannot read the token"), error);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	cnc = e_hubspot_connection_new (api_url, 1, &error);
	if (!cnc) {
		e_hubspot_tool_print_error (_("Invalid API URL"), error);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}
	e_hubspot_connection_set_token (cnc, token);
	e_hubspot_connection_set_timeout (cnc, 30);

	/* Check everything against HubSpot before anything is saved. */
	if (email && !e_hubspot_connection_lookup_owner_sync (cnc, email, &owner_id, &user_id, NULL, &error)) {
		e_hubspot_tool_print_error (_("Cannot find the HubSpot owner"), error);
		explain_hubspot_error (error);
		return exit_code_for (error);
	}

	if (!e_hubspot_connection_get_account_info_sync (cnc, &portal_id, &ui_domain, NULL, &error)) {
		if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN)) {
			e_hubspot_tool_print_error (_("Cannot read the HubSpot account"), error);
			explain_hubspot_error (error);
			return exit_code_for (error);
		}
		/* Only the link to a meeting's page needs it: go on. */
		g_printerr ("%s\n", _("Warning: the token may not read the account details (scope “oauth”); meeting links will come from HubSpot’s answers only."));
		g_clear_error (&error);
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
	e_source_hubspot_set_portal_id (extension, portal_id);
	e_source_hubspot_set_ui_domain (extension, ui_domain);
	e_source_hubspot_set_timezone (extension, timezone);

	/* What the credentials prompt shows; the token itself goes to the
	 * keyring below, never into the .source file. */
	uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);
	auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
	e_source_authentication_set_host (auth, uri ? g_uri_get_host (uri) : NULL);
	e_source_authentication_set_user (auth, email ? email : owner_id);

	if (!e_source_registry_commit_source_sync (registry, source, NULL, &error)) {
		e_hubspot_tool_print_error (_("Cannot save the calendar"), error);
		return E_HUBSPOT_TOOL_EXIT_FAILED;
	}

	if (!e_source_store_password_sync (source, token, TRUE, NULL, &error)) {
		/* No keyring: the calendar asks for the token when it opens. */
		e_hubspot_tool_print_error (_("Warning: the token could not be stored in the keyring"), error);
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

	return E_HUBSPOT_TOOL_EXIT_OK;
}
