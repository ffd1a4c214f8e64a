/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the tool's commands share: how an error is printed, and which
 * calendars are HubSpot calendars. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-source-hubspot.h"
#include "e-hubspot-tool.h"

void
e_hubspot_tool_print_error (const gchar *what,
			    const GError *error)
{
	const gchar *correlation_id = e_hubspot_error_get_correlation_id (error);

	if (correlation_id)
		/* Translators: the first %s says what failed, the second why, the third is HubSpot's id of the error */
		g_printerr (_("%s: %s (correlation id %s)\n"), what, error->message, correlation_id);
	else
		g_printerr ("%s: %s\n", what, error ? error->message : _("Unknown error"));
}

gboolean
e_hubspot_tool_is_hubspot_calendar (ESource *source)
{
	ESourceBackend *backend;

	if (!e_source_has_extension (source, E_SOURCE_EXTENSION_CALENDAR))
		return FALSE;

	backend = e_source_get_extension (source, E_SOURCE_EXTENSION_CALENDAR);

	return g_strcmp0 (e_source_backend_get_backend_name (backend), E_HUBSPOT_BACKEND_NAME) == 0;
}
