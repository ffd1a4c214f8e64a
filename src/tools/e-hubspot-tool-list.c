/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot list: the HubSpot calendars and their settings. */

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "common/e-source-hubspot.h"
#include "e-hubspot-tool.h"

gint
e_hubspot_tool_list (gint argc,
		     gchar **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(ESourceRegistry) registry = NULL;
	g_autoptr(GError) error = NULL;
	GList *sources, *link;
	guint count = 0;

	context = g_option_context_new (NULL);
	g_option_context_set_summary (context, _("Lists the HubSpot calendars: UID, name, owner and API address."));
	g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("%s\n", error->message);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	registry = e_source_registry_new_sync (NULL, &error);
	if (!registry) {
		e_hubspot_tool_print_error (_("Cannot reach the calendar service (evolution-source-registry)"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	sources = e_hubspot_tool_list_hubspot_calendars (registry);
	for (link = sources; link; link = link->next) {
		ESource *source = link->data;
		ESourceHubSpot *extension;
		g_autofree gchar *email = NULL;
		g_autofree gchar *owner_id = NULL;
		g_autofree gchar *api_url = NULL;

		extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
		email = e_source_hubspot_dup_email (extension);
		owner_id = e_source_hubspot_dup_owner_id (extension);
		api_url = e_source_hubspot_dup_api_url (extension);

		if (!count)
			/* Translators: column headings of "evolution-hubspot list" */
			printf ("%-40s  %-24s  %-28s  %-10s  %s\n", _("UID"), _("NAME"), _("E-MAIL"), _("OWNER"), _("API URL"));
		printf ("%-40s  %-24s  %-28s  %-10s  %s\n", e_source_get_uid (source),
			e_source_get_display_name (source), email ? email : "-",
			owner_id ? owner_id : "-", api_url ? api_url : "-");
		count++;
	}
	g_list_free_full (sources, g_object_unref);

	if (!count)
		printf ("%s\n", _("No HubSpot calendar. Add one with “evolution-hubspot add”."));

	return E_HUBSPOT_TOOL_EXIT_OK;
}
