/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Finding a calendar the way a person names it: by its UID, or by the
 * name Evolution shows. */

#include <glib/gi18n-lib.h>

#include "e-hubspot-tool.h"

static GList *
find_by_name (ESourceRegistry *registry,
	      const gchar *name,
	      gboolean hubspot_only)
{
	GList *sources, *link, *found = NULL;

	sources = e_source_registry_list_sources (registry, E_SOURCE_EXTENSION_CALENDAR);
	for (link = sources; link; link = link->next) {
		ESource *source = link->data;

		if (hubspot_only && !e_hubspot_tool_is_hubspot_calendar (source))
			continue;
		if (!name || g_strcmp0 (e_source_get_display_name (source), name) == 0)
			found = g_list_prepend (found, g_object_ref (source));
	}
	g_list_free_full (sources, g_object_unref);

	return g_list_reverse (found);
}

static void
set_ambiguous_error (GList *sources,
		     const gchar *what,
		     GError **error)
{
	GString *text = g_string_new (what);
	GList *link;

	for (link = sources; link; link = link->next)
		g_string_append_printf (text, "\n  %s  %s", e_source_get_uid (link->data),
			e_source_get_display_name (link->data));

	g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, text->str);
	g_string_free (text, TRUE);
}

/* Every HubSpot calendar, in the registry's order. */
GList *
e_hubspot_tool_list_hubspot_calendars (ESourceRegistry *registry)
{
	return find_by_name (registry, NULL, TRUE);
}

ESource *
e_hubspot_tool_find_calendar (ESourceRegistry *registry,
			      const gchar *uid_or_name,
			      GError **error)
{
	ESource *source;
	GList *found;

	source = e_source_registry_ref_source (registry, uid_or_name);
	if (source && e_source_has_extension (source, E_SOURCE_EXTENSION_CALENDAR))
		return source;
	g_clear_object (&source);

	found = find_by_name (registry, uid_or_name, FALSE);
	if (found && !found->next) {
		source = g_object_ref (found->data);
	} else if (found) {
		g_autofree gchar *what = g_strdup_printf (
			_("Several calendars are named “%s”; give the UID of one of them:"), uid_or_name);

		set_ambiguous_error (found, what, error);
	} else {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			_("No calendar has the UID or the name “%s”."), uid_or_name);
	}
	g_list_free_full (found, g_object_unref);

	return source;
}

ESource *
e_hubspot_tool_find_hubspot_calendar (ESourceRegistry *registry,
				      const gchar *uid_or_name,
				      GError **error)
{
	ESource *source;
	GList *found;

	if (uid_or_name) {
		source = e_hubspot_tool_find_calendar (registry, uid_or_name, error);
		if (source && !e_hubspot_tool_is_hubspot_calendar (source)) {
			g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
				_("“%s” is not a HubSpot calendar."), e_source_get_display_name (source));
			g_clear_object (&source);
		}

		return source;
	}

	/* Without a name, the only HubSpot calendar is the obvious one. */
	source = NULL;
	found = find_by_name (registry, NULL, TRUE);
	if (found && !found->next)
		source = g_object_ref (found->data);
	else if (found)
		set_ambiguous_error (found, _("There are several HubSpot calendars; choose one with --to:"), error);
	else
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			_("There is no HubSpot calendar. Add one with “evolution-hubspot add”."));
	g_list_free_full (found, g_object_unref);

	return source;
}
