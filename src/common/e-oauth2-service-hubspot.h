/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* "Sign in with HubSpot": EDS's OAuth 2 service for HubSpot calendars
 * ([Authentication] Method=HubSpot).  Everything else goes through EDS's
 * EOAuth2Service API: the authorization page and its query (client id,
 * scopes, redirect URI, a random state, a PKCE S256 challenge), the code
 * taken from the redirect (its state checked), the token exchange (with
 * the PKCE verifier) and the refreshes (docs/design.md, "Signing in"). */

#ifndef E_OAUTH2_SERVICE_HUBSPOT_H
#define E_OAUTH2_SERVICE_HUBSPOT_H

#include <libedataserver/libedataserver.h>

G_BEGIN_DECLS

#define E_OAUTH2_SERVICE_HUBSPOT_NAME "HubSpot"

/* The scopes a calendar asks for (hubspot-api facts in docs/design.md). */
#define E_OAUTH2_SERVICE_HUBSPOT_SCOPE \
	"crm.objects.contacts.read crm.objects.contacts.write crm.objects.owners.read oauth"

#define E_TYPE_OAUTH2_SERVICE_HUBSPOT (e_oauth2_service_hubspot_get_type ())
G_DECLARE_FINAL_TYPE (EOAuth2ServiceHubSpot, e_oauth2_service_hubspot, E, OAUTH2_SERVICE_HUBSPOT, EOAuth2ServiceBase)

/* From each module's e_module_load (registry, backend, Evolution). */
void		e_oauth2_service_hubspot_type_register
						(GTypeModule *type_module);
/* For programs that load no module (the tool, the tests): registers the
 * type once and returns the process's service. */
EOAuth2Service *e_oauth2_service_hubspot_new	(void);
/* The calendar's own client secret (with OAuthClientId), kept in the
 * keyring, never in the .source file; NULL deletes it. */
gboolean	e_oauth2_service_hubspot_store_client_secret_sync
						(ESource *source,
						 const gchar *secret,
						 GCancellable *cancellable,
						 GError **error);

G_END_DECLS

#endif /* E_OAUTH2_SERVICE_HUBSPOT_H */
