/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GLib's portal network monitor asks org.freedesktop.portal.Desktop for
 * the network's state (GetStatus, version 3 of the NetworkMonitor
 * interface) and whether a host can be reached (CanReach), and asks
 * again when the portal emits "changed".  EDS's backends follow that
 * monitor (network-changed, then CanReach of the destination address),
 * so answering here switches the calendar factory offline and online
 * without touching the machine's network (docs/design.md, "Testing the
 * network state"). */

#include <string.h>

#include "hubspot-test-portal.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define MONITOR_IFACE "org.freedesktop.portal.NetworkMonitor"
#define PROXY_IFACE "org.freedesktop.portal.ProxyResolver"

/* GLib with GTK_USE_PORTAL=1 also asks the portal for proxies (its
 * portal proxy resolver is preferred whenever the name is owned): the
 * ProxyResolver answers "direct" for every address. */
static const gchar introspection_xml[] =
	"<node>"
	"  <interface name='" MONITOR_IFACE "'>"
	"    <method name='GetAvailable'><arg type='b' direction='out'/></method>"
	"    <method name='GetMetered'><arg type='b' direction='out'/></method>"
	"    <method name='GetConnectivity'><arg type='u' direction='out'/></method>"
	"    <method name='GetStatus'><arg type='a{sv}' direction='out'/></method>"
	"    <method name='CanReach'>"
	"      <arg name='hostname' type='s' direction='in'/>"
	"      <arg name='port' type='u' direction='in'/>"
	"      <arg type='b' direction='out'/>"
	"    </method>"
	"    <signal name='changed'/>"
	"    <property name='version' type='u' access='read'/>"
	"  </interface>"
	"  <interface name='" PROXY_IFACE "'>"
	"    <method name='Lookup'>"
	"      <arg name='uri' type='s' direction='in'/>"
	"      <arg type='as' direction='out'/>"
	"    </method>"
	"    <property name='version' type='u' access='read'/>"
	"  </interface>"
	"</node>";

struct _HubSpotTestPortal {
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	GDBusConnection *connection;
	GDBusNodeInfo *node;
	guint registration_ids[2];

	GMutex lock;
	GCond ready_cond;
	gboolean ready;
	gboolean online;
	GHashTable *calls; /* method name ~> count */
};

static gboolean
portal_is_online (HubSpotTestPortal *portal)
{
	gboolean online;

	g_mutex_lock (&portal->lock);
	online = portal->online;
	g_mutex_unlock (&portal->lock);

	return online;
}

static void
portal_method_call_cb (GDBusConnection *connection,
		       const gchar *sender,
		       const gchar *object_path,
		       const gchar *interface_name,
		       const gchar *method_name,
		       GVariant *parameters,
		       GDBusMethodInvocation *invocation,
		       gpointer user_data)
{
	HubSpotTestPortal *portal = user_data;
	gboolean online = portal_is_online (portal);
	/* GNetworkConnectivity: FULL or LOCAL */
	guint32 connectivity = online ? 4 : 1;

	g_mutex_lock (&portal->lock);
	g_hash_table_insert (portal->calls, g_strdup (method_name),
		GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (portal->calls, method_name)) + 1));
	g_mutex_unlock (&portal->lock);

	if (g_str_equal (method_name, "GetAvailable") || g_str_equal (method_name, "CanReach")) {
		g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", online));
	} else if (g_str_equal (method_name, "GetMetered")) {
		g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
	} else if (g_str_equal (method_name, "GetConnectivity")) {
		g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", connectivity));
	} else if (g_str_equal (method_name, "GetStatus")) {
		GVariantBuilder status;

		g_variant_builder_init (&status, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add (&status, "{sv}", "available", g_variant_new_boolean (online));
		g_variant_builder_add (&status, "{sv}", "metered", g_variant_new_boolean (FALSE));
		g_variant_builder_add (&status, "{sv}", "connectivity", g_variant_new_uint32 (connectivity));
		g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a{sv})", &status));
	} else if (g_str_equal (method_name, "Lookup")) {
		const gchar *direct[] = { "direct://", NULL };

		g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", direct));
	} else {
		g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
			"No method %s", method_name);
	}
}

static GVariant *
portal_get_property_cb (GDBusConnection *connection,
			const gchar *sender,
			const gchar *object_path,
			const gchar *interface_name,
			const gchar *property_name,
			GError **error,
			gpointer user_data)
{
	return g_variant_new_uint32 (g_str_equal (interface_name, MONITOR_IFACE) ? 3 : 1);
}

static const GDBusInterfaceVTable portal_vtable = {
	portal_method_call_cb,
	portal_get_property_cb,
	NULL,
	{ 0 }
};

static gpointer
portal_thread (gpointer user_data)
{
	HubSpotTestPortal *portal = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *address = NULL;
	guint ii, result = 0;

	g_main_context_push_thread_default (portal->context);

	/* A connection of its own: its method calls are dispatched in this
	 * thread's context, never in the test's. */
	address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
	g_assert_no_error (error);
	portal->connection = g_dbus_connection_new_for_address_sync (address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error (error);

	for (ii = 0; ii < G_N_ELEMENTS (portal->registration_ids); ii++) {
		portal->registration_ids[ii] = g_dbus_connection_register_object (portal->connection, PORTAL_PATH,
			portal->node->interfaces[ii], &portal_vtable, portal, NULL, &error);
		g_assert_no_error (error);
	}

	/* DBUS_NAME_FLAG_DO_NOT_QUEUE; 1 is DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
	reply = g_dbus_connection_call_sync (portal->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus", "RequestName", g_variant_new ("(su)", PORTAL_NAME, 4),
		G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error (error);
	g_variant_get (reply, "(u)", &result);
	g_assert_cmpuint (result, ==, 1);

	g_mutex_lock (&portal->lock);
	portal->ready = TRUE;
	g_cond_signal (&portal->ready_cond);
	g_mutex_unlock (&portal->lock);

	g_main_loop_run (portal->loop);

	for (ii = 0; ii < G_N_ELEMENTS (portal->registration_ids); ii++)
		g_dbus_connection_unregister_object (portal->connection, portal->registration_ids[ii]);
	g_dbus_connection_close_sync (portal->connection, NULL, NULL);
	g_clear_object (&portal->connection);
	g_main_context_pop_thread_default (portal->context);

	return NULL;
}

HubSpotTestPortal *
hubspot_test_portal_start (void)
{
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder environment;
	HubSpotTestPortal *portal;

	portal = g_new0 (HubSpotTestPortal, 1);
	g_mutex_init (&portal->lock);
	g_cond_init (&portal->ready_cond);
	portal->online = TRUE;
	portal->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	portal->node = g_dbus_node_info_new_for_xml (introspection_xml, &error);
	g_assert_no_error (error);
	portal->context = g_main_context_new ();
	portal->loop = g_main_loop_new (portal->context, FALSE);
	portal->thread = g_thread_new ("hubspot-test-portal", portal_thread, portal);

	g_mutex_lock (&portal->lock);
	while (!portal->ready)
		g_cond_wait (&portal->ready_cond, &portal->lock);
	g_mutex_unlock (&portal->lock);

	/* GLib uses portals outside a Flatpak only with GTK_USE_PORTAL=1
	 * (GLib 2.74, Debian 12) or GIO_USE_PORTALS=1 (GLib 2.84, Debian 13;
	 * glib_should_use_portal ()); GIO_USE_NETWORK_MONITOR picks the
	 * portal's monitor over netlink.  Only services the bus starts from
	 * now on get them: the test itself and the running registry keep
	 * their own. */
	g_variant_builder_init (&environment, G_VARIANT_TYPE ("a{ss}"));
	g_variant_builder_add (&environment, "{ss}", "GTK_USE_PORTAL", "1");
	g_variant_builder_add (&environment, "{ss}", "GIO_USE_PORTALS", "1");
	g_variant_builder_add (&environment, "{ss}", "GIO_USE_NETWORK_MONITOR", "portal");
	bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
	g_assert_no_error (error);
	reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus", "UpdateActivationEnvironment", g_variant_new ("(a{ss})", &environment),
		NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error (error);

	return portal;
}

void
hubspot_test_portal_stop (HubSpotTestPortal *portal)
{
	if (!portal)
		return;

	g_main_loop_quit (portal->loop);
	g_thread_join (portal->thread);
	g_main_loop_unref (portal->loop);
	g_main_context_unref (portal->context);
	g_dbus_node_info_unref (portal->node);
	g_hash_table_unref (portal->calls);
	g_cond_clear (&portal->ready_cond);
	g_mutex_clear (&portal->lock);
	g_free (portal);
}

void
hubspot_test_portal_set_online (HubSpotTestPortal *portal,
				gboolean online)
{
	g_autoptr(GError) error = NULL;

	g_mutex_lock (&portal->lock);
	portal->online = online;
	g_mutex_unlock (&portal->lock);

	/* Version 3's "changed" has no arguments: listeners ask GetStatus. */
	g_dbus_connection_emit_signal (portal->connection, NULL, PORTAL_PATH, MONITOR_IFACE, "changed", NULL, &error);
	g_assert_no_error (error);
	g_dbus_connection_flush_sync (portal->connection, NULL, NULL);
}

guint
hubspot_test_portal_count_calls (HubSpotTestPortal *portal,
				 const gchar *method)
{
	guint count;

	g_mutex_lock (&portal->lock);
	count = GPOINTER_TO_UINT (g_hash_table_lookup (portal->calls, method));
	g_mutex_unlock (&portal->lock);

	return count;
}
