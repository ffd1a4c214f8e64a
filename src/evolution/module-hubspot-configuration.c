/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Evolution's module entry points: "HubSpot" in the New Calendar dialog
 * and on a HubSpot calendar's properties page. */

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "e-cal-config-hubspot.h"

void	e_module_load	(GTypeModule *type_module);
void	e_module_unload	(GTypeModule *type_module);

/* The EModule that registered our types.  Evolution may load this file
 * twice at start-up; a dynamic type can belong to one module only. */
static GTypeModule *types_owner;

G_MODULE_EXPORT void
e_module_load (GTypeModule *type_module)
{
	if (types_owner && types_owner != type_module)
		return;

	/* Another copy of this file (the system's and the user's module
	 * directories) got here first: let it serve. */
	if (!types_owner && g_type_from_name ("ECalConfigHubSpot"))
		return;

	bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

	/* Reading the [HubSpot] group needs its type before any source. */
	e_source_hubspot_type_register ();
	/* Evolution's sign-in window finds the service by the method. */
	e_oauth2_service_hubspot_type_register (type_module);

	/* A reload by the same module registers again: GTypeModule wants it. */
	e_cal_config_hubspot_type_register (type_module);
	types_owner = type_module;
}

G_MODULE_EXPORT void
e_module_unload (GTypeModule *type_module)
{
	/* EModule keeps the library resident; the types stay ours. */
}
