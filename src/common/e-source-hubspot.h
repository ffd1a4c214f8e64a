/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The [HubSpot] group of a calendar's .source file.  Its key names
 * (ApiUrl, Email, UserId, ...) are a public interface: README.md lists them. */

#ifndef E_SOURCE_HUBSPOT_H
#define E_SOURCE_HUBSPOT_H

#include <libedataserver/libedataserver.h>

G_BEGIN_DECLS

#define E_TYPE_SOURCE_HUBSPOT (e_source_hubspot_get_type ())
G_DECLARE_FINAL_TYPE (ESourceHubSpot, e_source_hubspot, E, SOURCE_HUBSPOT, ESourceExtension)

#define E_SOURCE_EXTENSION_HUBSPOT "HubSpot"
#define E_HUBSPOT_DEFAULT_API_URL "https://api.hubapi.com"
#define E_HUBSPOT_DEFAULT_AUTH_URL "https://app.hubspot.com"
#define E_HUBSPOT_BACKEND_NAME "hubspot"
#define E_HUBSPOT_PARENT_UID "hubspot-stub"

void		e_source_hubspot_type_register	(void);

gchar *		e_source_hubspot_dup_api_url	(ESourceHubSpot *extension);
void		e_source_hubspot_set_api_url	(ESourceHubSpot *extension,
						 const gchar *api_url);
gchar *		e_source_hubspot_dup_email	(ESourceHubSpot *extension);
void		e_source_hubspot_set_email	(ESourceHubSpot *extension,
						 const gchar *email);
gchar *		e_source_hubspot_dup_user_id	(ESourceHubSpot *extension);
void		e_source_hubspot_set_user_id	(ESourceHubSpot *extension,
						 const gchar *user_id);
gchar *		e_source_hubspot_dup_owner_id	(ESourceHubSpot *extension);
void		e_source_hubspot_set_owner_id	(ESourceHubSpot *extension,
						 const gchar *owner_id);
gchar *		e_source_hubspot_dup_portal_id	(ESourceHubSpot *extension);
void		e_source_hubspot_set_portal_id	(ESourceHubSpot *extension,
						 const gchar *portal_id);
gchar *		e_source_hubspot_dup_ui_domain	(ESourceHubSpot *extension);
void		e_source_hubspot_set_ui_domain	(ESourceHubSpot *extension,
						 const gchar *ui_domain);
gchar *		e_source_hubspot_dup_timezone	(ESourceHubSpot *extension);
void		e_source_hubspot_set_timezone	(ESourceHubSpot *extension,
						 const gchar *timezone);
gchar *		e_source_hubspot_dup_activity_type
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_activity_type
						(ESourceHubSpot *extension,
						 const gchar *activity_type);
/* Sign-in (docs/design.md, "Signing in"): AuthUrl, OAuthClientId and
 * OAuthRedirectUri (GObject properties "auth-url", "o-auth-client-id",
 * "o-auth-redirect-uri"); empty: the build's defaults.  The client
 * secret is never a setting: e_oauth2_service_hubspot_store_client_secret_sync (). */
gchar *		e_source_hubspot_dup_auth_url	(ESourceHubSpot *extension);
void		e_source_hubspot_set_auth_url	(ESourceHubSpot *extension,
						 const gchar *auth_url);
gchar *		e_source_hubspot_dup_oauth_client_id
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_oauth_client_id
						(ESourceHubSpot *extension,
						 const gchar *client_id);
gchar *		e_source_hubspot_dup_oauth_redirect_uri
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_oauth_redirect_uri
						(ESourceHubSpot *extension,
						 const gchar *redirect_uri);
gboolean	e_source_hubspot_get_include_invite_description
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_include_invite_description
						(ESourceHubSpot *extension,
						 gboolean include_invite_description);
gboolean	e_source_hubspot_get_map_all_alarms
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_map_all_alarms
						(ESourceHubSpot *extension,
						 gboolean map_all_alarms);
/* MaxInFlight's largest value: also what an account's shared connection
 * lets through at once. */
#define E_SOURCE_HUBSPOT_MAX_IN_FLIGHT_LIMIT 64

guint		e_source_hubspot_get_max_in_flight
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_max_in_flight
						(ESourceHubSpot *extension,
						 guint max_in_flight);

guint		e_source_hubspot_get_lookup_delay
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_lookup_delay
						(ESourceHubSpot *extension,
						 guint seconds);
gboolean	e_source_hubspot_get_archive_on_remove
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_archive_on_remove
						(ESourceHubSpot *extension,
						 gboolean archive_on_remove);

gboolean	e_source_hubspot_get_create_contacts
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_create_contacts
						(ESourceHubSpot *extension,
						 gboolean value);
gboolean	e_source_hubspot_get_associate_companies
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_associate_companies
						(ESourceHubSpot *extension,
						 gboolean value);
/* Days ahead; 90 by default. */
guint		e_source_hubspot_get_recurrence_horizon
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_recurrence_horizon
						(ESourceHubSpot *extension,
						 guint value);
guint		e_source_hubspot_get_max_occurrences
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_max_occurrences
						(ESourceHubSpot *extension,
						 guint value);
guint		e_source_hubspot_get_sync_past_days
						(ESourceHubSpot *extension);
void		e_source_hubspot_set_sync_past_days
						(ESourceHubSpot *extension,
						 guint value);

/* Whether host (as a URL holds it) is this machine: "localhost" or a
 * loopback address; the only hosts plain http may reach. */
gboolean	e_source_hubspot_is_loopback_host
						(const gchar *host);
gboolean	e_source_hubspot_check_api_url	(const gchar *api_url,
						 GError **error);
gboolean	e_source_hubspot_check_auth_url	(const gchar *auth_url,
						 GError **error);

G_END_DECLS

#endif /* E_SOURCE_HUBSPOT_H */
