/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot remove: takes a HubSpot calendar off this machine,
 * its token too. HubSpot keeps the meetings. */

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "e-hubspot-tool.h"

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
		  "and its token from the keyring."));
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

	/* The token first: a keyring entry left behind would outlive the
	 * only thing that names it. */
	token_removed = e_source_delete_password_sync (source, NULL, &error);
	if (!token_removed) {
		e_hubspot_tool_print_error (_("Warning: the token could not be removed from the keyring"), error);
		g_clear_error (&error);
	}

	if (!e_source_remove_sync (source, NULL, &error)) {
		e_hubspot_tool_print_error (_("Cannot remove the calendar"), error);
		return E_HUBSPOT_TOOL_EXIT_FAILED;
	}

	printf (_("Removed the calendar “%s” (%s).\n"), name, uid);
	if (token_removed)
		printf ("%s\n", _("Its token is no longer in the keyring."));
	printf ("%s\n", _("The meetings it sent stay in HubSpot."));

	return E_HUBSPOT_TOOL_EXIT_OK;
}
