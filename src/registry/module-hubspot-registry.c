/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A module of evolution-source-registry that provides "hubspot-stub", the
 * source every HubSpot calendar has as its parent (Parent=hubspot-stub).
 *
 * The registry exports a source only once its parent exists: without the
 * stub, HubSpot calendars stay hidden from every client.  The registry of
 * EDS 3.46 reads only the user's sources and its own built-in ones (not
 * <privdatadir>/ro-sources), so the stub comes from here, in memory, the
 * way built-in stubs such as "local-stub" are always there.
 *
 * The registry also refreshes the OAuth 2 tokens of calendars signed in
 * with HubSpot (Method=HubSpot), for the backends that ask over D-Bus:
 * the "HubSpot" service must exist here (docs/design.md, "Signing in"). */

#include <glib/gi18n-lib.h>
#include <libebackend/libebackend.h>

#include "common/e-oauth2-service-hubspot.h"

#define HUBSPOT_STUB_UID "hubspot-stub"

typedef EExtension EHubSpotRegistry;
typedef EExtensionClass EHubSpotRegistryClass;

GType e_hubspot_registry_get_type (void);

G_DEFINE_DYNAMIC_TYPE (EHubSpotRegistry, e_hubspot_registry, E_TYPE_EXTENSION)

static void
hubspot_registry_add_stub (ESourceRegistryServer *server)
{
	g_autoptr(GError) error = NULL;
	ESource *source;

	/* A user's own copy of the stub wins. */
	source = e_source_registry_server_ref_source (server, HUBSPOT_STUB_UID);
	if (source) {
		g_object_unref (source);
		return;
	}

	source = e_server_side_source_new_memory_only (server, HUBSPOT_STUB_UID, &error);
	if (!source) {
		g_warning ("%s: cannot create the “%s” source: %s", G_STRFUNC, HUBSPOT_STUB_UID,
			error ? error->message : "unknown error");
		return;
	}

	/* The heading Evolution shows above HubSpot calendars: a name. */
	e_source_set_display_name (source, "HubSpot");
	e_source_set_enabled (source, TRUE);
	e_source_registry_server_add_source (server, source);
	g_object_unref (source);
}

/* Before the registry loads the user's sources, so that the calendars
 * find their parent as they load (the cache reaper, which runs once all
 * are loaded, must never take them for orphans). */
static void
hubspot_registry_bus_acquired_cb (EDBusServer *server,
				  GDBusConnection *connection,
				  gpointer user_data)
{
	hubspot_registry_add_stub (E_SOURCE_REGISTRY_SERVER (server));
}

static void
hubspot_registry_constructed (GObject *object)
{
	EExtensible *extensible = e_extension_get_extensible (E_EXTENSION (object));

	G_OBJECT_CLASS (e_hubspot_registry_parent_class)->constructed (object);

	g_signal_connect (extensible, "bus-acquired", G_CALLBACK (hubspot_registry_bus_acquired_cb), NULL);
}

static void
e_hubspot_registry_class_init (EHubSpotRegistryClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);

	object_class->constructed = hubspot_registry_constructed;
	klass->extensible_type = E_TYPE_SOURCE_REGISTRY_SERVER;
}

static void
e_hubspot_registry_class_finalize (EHubSpotRegistryClass *klass)
{
}

static void
e_hubspot_registry_init (EHubSpotRegistry *extension)
{
}

G_MODULE_EXPORT void e_module_load (GTypeModule *type_module);
G_MODULE_EXPORT void e_module_unload (GTypeModule *type_module);

G_MODULE_EXPORT void
e_module_load (GTypeModule *type_module)
{
	bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

	/* Before the registry makes its EOAuth2Services (after the modules
	 * load), so that the service is among them. */
	e_oauth2_service_hubspot_type_register (type_module);

	/* Called again each time the module is used anew: GTypeModule
	 * expects its types registered on every load. */
	e_hubspot_registry_register_type (type_module);
}

G_MODULE_EXPORT void
e_module_unload (GTypeModule *type_module)
{
}
