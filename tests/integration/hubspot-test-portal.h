/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A stand-in for the desktop portal's network monitor on the sandbox's
 * session bus, whose network state a test switches; see docs/design.md,
 * "Testing the network state". */

#ifndef HUBSPOT_TEST_PORTAL_H
#define HUBSPOT_TEST_PORTAL_H

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HubSpotTestPortal HubSpotTestPortal;

/* Owns org.freedesktop.portal.Desktop on the session bus (from a thread
 * of its own, so that it answers while the test waits in a synchronous
 * call) and sets the bus's activation environment so that services the
 * bus starts from now on use it as their network monitor.  Call before
 * the first calendar is opened: the calendar factory must not be running
 * yet.  The network starts available. */
HubSpotTestPortal *
		hubspot_test_portal_start	(void);
void		hubspot_test_portal_stop	(HubSpotTestPortal *portal);
/* Switches the network's availability (and what CanReach answers) and
 * tells the portal's listeners. */
void		hubspot_test_portal_set_online	(HubSpotTestPortal *portal,
						 gboolean online);
/* How many times a portal method (GetStatus, CanReach, ...) was called. */
guint		hubspot_test_portal_count_calls	(HubSpotTestPortal *portal,
						 const gchar *method);

G_END_DECLS

#endif /* HUBSPOT_TEST_PORTAL_H */
