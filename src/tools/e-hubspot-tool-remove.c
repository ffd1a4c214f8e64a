/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot remove: takes a HubSpot calendar off this machine,
 * its sign-in or key too. HubSpot keeps the meetings. */

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "common/e-oauth2-service-hubspot.h"
#include "e-hubspot-tool.h"

static gboolean
signs_in (ESource *source)
{
	g_autofree gchar *method = NULL;

	if (!e_source_has_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION))
		return FALSE;

	method = e_source_authentication_dup_method (e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION));

	return g_strcmp0 (method, E_OAUTH2_SERVICE_HUBSPOT_NAME) == 0;
}

/* Whether another calendar signed in as the same user shares EDS's token
 * record (it is kept per service and user, not per calendar). */
static gboolean
sign_in_is_shared (ESourceRegistry *registry,
		   ESource *source)
{
	g_autofree gchar *user = e_source_authentication_dup_user (e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION));
	GList *sources, *link;
	gboolean shared = FALSE;

	sources = e_source_registry_list_sources (registry, E_SOURCE_EXTENSION_AUTHENTICATION);
	for (link = sources; link && !shared; link = link->next) {
		g_autofree gchar *other_user = NULL;

		if (g_strcmp0 (e_source_get_uid (link->data), e_source_get_uid (source)) == 0 || !signs_in (link->data))
			continue;
		other_user = e_source_authentication_dup_user (e_source_get_extension (link->data, E_SOURCE_EXTENSION_AUTHENTICATION));
		shared = g_strcmp0 (other_user, user) == 0;
	}
	g_list_free_full (sources, g_object_unref);

	return shared;
}

/* A signed-in calendar's token and its own client secret, if any. */
static gboolean
forget_sign_in (ESourceRegistry *registry,
		ESource *source,
		GError **error)
{
	g_autoptr(EOAuth2Service) service = e_oauth2_service_hubspot_new ();
	GError *local_error = NULL;

	if (!sign_in_is_shared (registry, source) &&
	    !e_oauth2_service_delete_token_sync (service, source, NULL, &local_error) &&
	    !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
		g_propagate_error (error, local_error);
		return FALSE;
	}
	g_clear_error (&local_error);

	return e_oauth2_service_hubspot_store_client_secret_sync (source, NULL, NULL, error);
}

gint
e_hubspot_tool_remove (gint argc,
		       gchar **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(ESourceRegistry) registry = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *uid = NULL;
	gboolean token_removed;

	g_set_prgname ("evolution-hubspot remove");
	context = g_option_context_new (_("CALENDAR"));
	g_option_context_set_summary (context,
		_("Removes a HubSpot calendar, given by its UID or its name, from this computer, "
		  "and its sign-in or key from the keyring."));
	g_option_context_set_description (context,
		_("The meetings the calendar sent stay in HubSpot: remove them there if you want them gone.\n"
		  "Calendars of other types are left alone."));
	g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("%s\n", error->message);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (argc != 2) {
		g_printerr ("%s\n", _("Give one calendar, by its UID or its name."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	registry = e_source_registry_new_sync (NULL, &error);
	if (!registry) {
		e_hubspot_tool_print_error (_("Cannot reach the calendar service (evolution-source-registry)"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	source = e_hubspot_tool_find_hubspot_calendar (registry, argv[1], &error);
	if (!source) {
		g_printerr ("%s\n", error->message);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (!e_source_get_removable (source)) {
		g_printerr (_("The calendar “%s” cannot be removed (it is not one of yours).\n"),
			e_source_get_display_name (source));
		return E_HUBSPOT_TOOL_EXIT_FAILED;
	}

	name = g_strdup (e_source_get_display_name (source));
	uid = g_strdup (e_source_get_uid (source));

	/* The credentials first: a keyring entry left behind would outlive
	 * the only thing that names it. */
	if (signs_in (source))
		token_removed = forget_sign_in (registry, source, &error);
	else
		token_removed = e_source_delete_password_sync (source, NULL, &error);
	if (!token_removed) {
		e_hubspot_tool_print_error (_("Warning: the sign-in or key could not be removed from the keyring"), error);
		g_clear_error (&error);
	}

	if (!e_source_remove_sync (source, NULL, &error)) {
		e_hubspot_tool_print_error (_("Cannot remove the calendar"), error);
		return E_HUBSPOT_TOOL_EXIT_FAILED;
	}

	printf (_("Removed the calendar “%s” (%s).\n"), name, uid);
	if (token_removed)
		printf ("%s\n", signs_in (source) ?
			_("Its sign-in is no longer in the keyring.") :
			_("Its service key or private-app token is no longer in the keyring."));
	printf ("%s\n", _("The meetings it sent stay in HubSpot."));

	return E_HUBSPOT_TOOL_EXIT_OK;
}
