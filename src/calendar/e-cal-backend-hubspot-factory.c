/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The module entry points: evolution-calendar-factory loads this module
 * and gets a factory for "hubspot" event calendars. */

#include <glib/gi18n-lib.h>
#include <libedata-cal/libedata-cal.h>

#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "e-cal-backend-hubspot.h"

typedef ECalBackendFactory ECalBackendHubSpotEventsFactory;
typedef ECalBackendFactoryClass ECalBackendHubSpotEventsFactoryClass;

static EModule *e_module;

void e_module_load (GTypeModule *type_module);
void e_module_unload (GTypeModule *type_module);

GType e_cal_backend_hubspot_events_factory_get_type (void);

G_DEFINE_DYNAMIC_TYPE (ECalBackendHubSpotEventsFactory, e_cal_backend_hubspot_events_factory, E_TYPE_CAL_BACKEND_FACTORY)

static void
e_cal_backend_hubspot_events_factory_class_init (ECalBackendFactoryClass *klass)
{
	EBackendFactoryClass *backend_factory_class = E_BACKEND_FACTORY_CLASS (klass);

	backend_factory_class->e_module = e_module;
	backend_factory_class->share_subprocess = TRUE;

	klass->factory_name = E_HUBSPOT_BACKEND_NAME;
	klass->component_kind = I_CAL_VEVENT_COMPONENT;
	klass->backend_type = E_TYPE_CAL_BACKEND_HUBSPOT;
}

static void
e_cal_backend_hubspot_events_factory_class_finalize (ECalBackendFactoryClass *klass)
{
}

static void
e_cal_backend_hubspot_events_factory_init (ECalBackendFactory *factory)
{
}

G_MODULE_EXPORT void
e_module_load (GTypeModule *type_module)
{
	/* The factory may call this twice at start-up. */
	if (e_module)
		return;

	bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

	e_module = E_MODULE (type_module);

	e_source_hubspot_type_register ();
	/* EDS's in-process path to a token when the registry offers none. */
	e_oauth2_service_hubspot_type_register (type_module);
	e_cal_backend_hubspot_events_factory_register_type (type_module);
}

G_MODULE_EXPORT void
e_module_unload (GTypeModule *type_module)
{
	e_module = NULL;
}
