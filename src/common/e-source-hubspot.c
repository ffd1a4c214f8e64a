/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gi18n-lib.h>

#include "e-hubspot-error.h"
#include "e-source-hubspot.h"

/* String settings live in one array indexed by property id, so that a new
 * key is one enum value and one row in class_init. */
enum {
	PROP_0,
	PROP_API_URL,
	PROP_EMAIL,
	PROP_USER_ID,
	PROP_OWNER_ID,
	PROP_PORTAL_ID,
	PROP_UI_DOMAIN,
	PROP_TIMEZONE,
	PROP_ACTIVITY_TYPE,
	PROP_AUTH_URL,
	PROP_OAUTH_CLIENT_ID,
	PROP_OAUTH_REDIRECT_URI,
	N_STRING_PROPS,
	PROP_INCLUDE_INVITE_DESCRIPTION = N_STRING_PROPS,
	PROP_MAP_ALL_ALARMS,
	PROP_MAX_IN_FLIGHT,
	PROP_LOOKUP_DELAY,
	PROP_ARCHIVE_ON_REMOVE,
	PROP_CREATE_CONTACTS,
	PROP_ASSOCIATE_COMPANIES,
	PROP_RECURRENCE_HORIZON,
	PROP_MAX_OCCURRENCES,
	PROP_SYNC_PAST_DAYS,
	N_PROPS
};

struct _ESourceHubSpot {
	ESourceExtension parent;

	gchar *strings[N_STRING_PROPS];
	gboolean include_invite_description;
	gboolean map_all_alarms;
	guint max_in_flight;
	guint lookup_delay;
	gboolean archive_on_remove;
	gboolean create_contacts;
	gboolean associate_companies;
	guint recurrence_horizon;
	guint max_occurrences;
	guint sync_past_days;
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE (ESourceHubSpot, e_source_hubspot, E_TYPE_SOURCE_EXTENSION)

static gchar *
source_hubspot_dup_string (ESourceHubSpot *extension,
			   guint prop_id)
{
	gchar *value;

	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), NULL);

	e_source_extension_property_lock (E_SOURCE_EXTENSION (extension));
	value = g_strdup (extension->strings[prop_id]);
	e_source_extension_property_unlock (E_SOURCE_EXTENSION (extension));

	return value;
}

static void
source_hubspot_set_string (ESourceHubSpot *extension,
			   guint prop_id,
			   const gchar *value)
{
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension));

	if (value && !*value)
		value = NULL;

	e_source_extension_property_lock (E_SOURCE_EXTENSION (extension));
	if (g_strcmp0 (extension->strings[prop_id], value) == 0) {
		e_source_extension_property_unlock (E_SOURCE_EXTENSION (extension));
		return;
	}
	g_free (extension->strings[prop_id]);
	extension->strings[prop_id] = g_strdup (value);
	e_source_extension_property_unlock (E_SOURCE_EXTENSION (extension));

	g_object_notify_by_pspec (G_OBJECT (extension), properties[prop_id]);
}

static void
source_hubspot_set_property (GObject *object,
			     guint prop_id,
			     const GValue *value,
			     GParamSpec *pspec)
{
	ESourceHubSpot *extension = E_SOURCE_HUBSPOT (object);

	if (prop_id > PROP_0 && prop_id < N_STRING_PROPS) {
		source_hubspot_set_string (extension, prop_id, g_value_get_string (value));
		return;
	}

	switch (prop_id) {
	case PROP_INCLUDE_INVITE_DESCRIPTION:
		e_source_hubspot_set_include_invite_description (extension, g_value_get_boolean (value));
		return;
	case PROP_MAP_ALL_ALARMS:
		e_source_hubspot_set_map_all_alarms (extension, g_value_get_boolean (value));
		return;
	case PROP_MAX_IN_FLIGHT:
		e_source_hubspot_set_max_in_flight (extension, g_value_get_uint (value));
		return;
	case PROP_LOOKUP_DELAY:
		e_source_hubspot_set_lookup_delay (extension, g_value_get_uint (value));
		return;
	case PROP_ARCHIVE_ON_REMOVE:
		e_source_hubspot_set_archive_on_remove (extension, g_value_get_boolean (value));
		return;
	case PROP_CREATE_CONTACTS:
		e_source_hubspot_set_create_contacts (extension, g_value_get_boolean (value));
		return;
	case PROP_ASSOCIATE_COMPANIES:
		e_source_hubspot_set_associate_companies (extension, g_value_get_boolean (value));
		return;
	case PROP_RECURRENCE_HORIZON:
		e_source_hubspot_set_recurrence_horizon (extension, g_value_get_uint (value));
		return;
	case PROP_MAX_OCCURRENCES:
		e_source_hubspot_set_max_occurrences (extension, g_value_get_uint (value));
		return;
	case PROP_SYNC_PAST_DAYS:
		e_source_hubspot_set_sync_past_days (extension, g_value_get_uint (value));
		return;
	}

	G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
source_hubspot_get_property (GObject *object,
			     guint prop_id,
			     GValue *value,
			     GParamSpec *pspec)
{
	ESourceHubSpot *extension = E_SOURCE_HUBSPOT (object);

	if (prop_id > PROP_0 && prop_id < N_STRING_PROPS) {
		g_value_take_string (value, source_hubspot_dup_string (extension, prop_id));
		return;
	}

	switch (prop_id) {
	case PROP_INCLUDE_INVITE_DESCRIPTION:
		g_value_set_boolean (value, e_source_hubspot_get_include_invite_description (extension));
		return;
	case PROP_MAP_ALL_ALARMS:
		g_value_set_boolean (value, e_source_hubspot_get_map_all_alarms (extension));
		return;
	case PROP_MAX_IN_FLIGHT:
		g_value_set_uint (value, e_source_hubspot_get_max_in_flight (extension));
		return;
	case PROP_LOOKUP_DELAY:
		g_value_set_uint (value, e_source_hubspot_get_lookup_delay (extension));
		return;
	case PROP_ARCHIVE_ON_REMOVE:
		g_value_set_boolean (value, e_source_hubspot_get_archive_on_remove (extension));
		return;
	case PROP_CREATE_CONTACTS:
		g_value_set_boolean (value, e_source_hubspot_get_create_contacts (extension));
		return;
	case PROP_ASSOCIATE_COMPANIES:
		g_value_set_boolean (value, e_source_hubspot_get_associate_companies (extension));
		return;
	case PROP_RECURRENCE_HORIZON:
		g_value_set_uint (value, e_source_hubspot_get_recurrence_horizon (extension));
		return;
	case PROP_MAX_OCCURRENCES:
		g_value_set_uint (value, e_source_hubspot_get_max_occurrences (extension));
		return;
	case PROP_SYNC_PAST_DAYS:
		g_value_set_uint (value, e_source_hubspot_get_sync_past_days (extension));
		return;
	}

	G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
source_hubspot_finalize (GObject *object)
{
	ESourceHubSpot *extension = E_SOURCE_HUBSPOT (object);
	guint ii;

	for (ii = 0; ii < N_STRING_PROPS; ii++)
		g_free (extension->strings[ii]);

	G_OBJECT_CLASS (e_source_hubspot_parent_class)->finalize (object);
}

static GParamSpec *
source_hubspot_string_param (const gchar *name,
			     const gchar *default_value)
{
	/* E_SOURCE_PARAM_SETTING makes "api-url" the key "ApiUrl". */
	return g_param_spec_string (name, NULL, NULL, default_value,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);
}

static GParamSpec *
source_hubspot_boolean_param (const gchar *name)
{
	return g_param_spec_boolean (name, NULL, NULL, FALSE,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);
}

static GParamSpec *
source_hubspot_uint_param (const gchar *name,
			   guint minimum,
			   guint maximum,
			   guint default_value)
{
	return g_param_spec_uint (name, NULL, NULL, minimum, maximum, default_value,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);
}

static void
e_source_hubspot_class_init (ESourceHubSpotClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	ESourceExtensionClass *extension_class = E_SOURCE_EXTENSION_CLASS (klass);

	object_class->set_property = source_hubspot_set_property;
	object_class->get_property = source_hubspot_get_property;
	object_class->finalize = source_hubspot_finalize;

	extension_class->name = E_SOURCE_EXTENSION_HUBSPOT;

	properties[PROP_API_URL] = source_hubspot_string_param ("api-url", E_HUBSPOT_DEFAULT_API_URL);
	properties[PROP_EMAIL] = source_hubspot_string_param ("email", NULL);
	properties[PROP_USER_ID] = source_hubspot_string_param ("user-id", NULL);
	properties[PROP_OWNER_ID] = source_hubspot_string_param ("owner-id", NULL);
	properties[PROP_PORTAL_ID] = source_hubspot_string_param ("portal-id", NULL);
	properties[PROP_UI_DOMAIN] = source_hubspot_string_param ("ui-domain", NULL);
	properties[PROP_TIMEZONE] = source_hubspot_string_param ("timezone", NULL);
	properties[PROP_ACTIVITY_TYPE] = source_hubspot_string_param ("activity-type", NULL);

	/* "Sign in with HubSpot" (docs/design.md, "Signing in"): where the
	 * authorization page is, and the app's client id and redirect URI
	 * when not the build's.  "o-auth-..." makes the keys "OAuth...". */
	properties[PROP_AUTH_URL] = source_hubspot_string_param ("auth-url", E_HUBSPOT_DEFAULT_AUTH_URL);
	properties[PROP_OAUTH_CLIENT_ID] = source_hubspot_string_param ("o-auth-client-id", NULL);
	properties[PROP_OAUTH_REDIRECT_URI] = source_hubspot_string_param ("o-auth-redirect-uri", NULL);
	properties[PROP_INCLUDE_INVITE_DESCRIPTION] = g_param_spec_boolean (
		"include-invite-description", NULL, NULL, FALSE,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);
	properties[PROP_MAP_ALL_ALARMS] = g_param_spec_boolean (
		"map-all-alarms", NULL, NULL, FALSE,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);
	properties[PROP_MAX_IN_FLIGHT] = g_param_spec_uint (
		"max-in-flight", NULL, NULL, 1, E_SOURCE_HUBSPOT_MAX_IN_FLIGHT_LIMIT, 8,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);

	/* Seconds HubSpot's search index may lag behind a create: how long
	 * to wait before looking up a meeting whose creation is uncertain. */
	properties[PROP_LOOKUP_DELAY] = g_param_spec_uint (
		"lookup-delay", NULL, NULL, 0, 600, 10,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);
	properties[PROP_ARCHIVE_ON_REMOVE] = g_param_spec_boolean (
		"archive-on-remove", NULL, NULL, FALSE,
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
		G_PARAM_STATIC_STRINGS | E_SOURCE_PARAM_SETTING);

	/* Attendees who are not contacts yet become contacts; the contacts'
	 * companies are associated too. */
	properties[PROP_CREATE_CONTACTS] = source_hubspot_boolean_param ("create-contacts");
	properties[PROP_ASSOCIATE_COMPANIES] = source_hubspot_boolean_param ("associate-companies");

	/* Recurring events: days ahead whose occurrences become meetings, and
	 * at most this many meetings per series inside them. */
	properties[PROP_RECURRENCE_HORIZON] = source_hubspot_uint_param ("recurrence-horizon", 1, 730, 90);
	properties[PROP_MAX_OCCURRENCES] = source_hubspot_uint_param ("max-occurrences", 1, 1000, 100);

	/* Two-way sync: how many days back HubSpot's meetings are listed. */
	properties[PROP_SYNC_PAST_DAYS] = source_hubspot_uint_param ("sync-past-days", 0, 365, 30);

	g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
e_source_hubspot_init (ESourceHubSpot *extension)
{
}

void
e_source_hubspot_type_register (void)
{
	/* Readers of the extension must know the type before they touch a
	 * source, or ESource hands them a plain ESourceExtension. */
	g_type_ensure (E_TYPE_SOURCE_HUBSPOT);
}

#define STRING_ACCESSORS(name, PROP) \
gchar * \
e_source_hubspot_dup_##name (ESourceHubSpot *extension) \
{ \
	return source_hubspot_dup_string (extension, PROP); \
} \
\
void \
e_source_hubspot_set_##name (ESourceHubSpot *extension, \
			     const gchar *value) \
{ \
	source_hubspot_set_string (extension, PROP, value); \
}

STRING_ACCESSORS (api_url, PROP_API_URL)
STRING_ACCESSORS (email, PROP_EMAIL)
STRING_ACCESSORS (user_id, PROP_USER_ID)
STRING_ACCESSORS (owner_id, PROP_OWNER_ID)
STRING_ACCESSORS (portal_id, PROP_PORTAL_ID)
STRING_ACCESSORS (ui_domain, PROP_UI_DOMAIN)
STRING_ACCESSORS (timezone, PROP_TIMEZONE)
STRING_ACCESSORS (activity_type, PROP_ACTIVITY_TYPE)
STRING_ACCESSORS (auth_url, PROP_AUTH_URL)
STRING_ACCESSORS (oauth_client_id, PROP_OAUTH_CLIENT_ID)
STRING_ACCESSORS (oauth_redirect_uri, PROP_OAUTH_REDIRECT_URI)

gboolean
e_source_hubspot_get_include_invite_description (ESourceHubSpot *extension)
{
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), FALSE);

	return extension->include_invite_description;
}

void
e_source_hubspot_set_include_invite_description (ESourceHubSpot *extension,
						 gboolean include_invite_description)
{
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension));

	if (extension->include_invite_description == !!include_invite_description)
		return;
	extension->include_invite_description = !!include_invite_description;
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP_INCLUDE_INVITE_DESCRIPTION]);
}

gboolean
e_source_hubspot_get_map_all_alarms (ESourceHubSpot *extension)
{
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), FALSE);

	return extension->map_all_alarms;
}

void
e_source_hubspot_set_map_all_alarms (ESourceHubSpot *extension,
				     gboolean map_all_alarms)
{
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension));

	if (extension->map_all_alarms == !!map_all_alarms)
		return;
	extension->map_all_alarms = !!map_all_alarms;
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP_MAP_ALL_ALARMS]);
}

guint
e_source_hubspot_get_max_in_flight (ESourceHubSpot *extension)
{
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), 1);

	return extension->max_in_flight;
}

void
e_source_hubspot_set_max_in_flight (ESourceHubSpot *extension,
				    guint max_in_flight)
{
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension));

	max_in_flight = CLAMP (max_in_flight, 1, E_SOURCE_HUBSPOT_MAX_IN_FLIGHT_LIMIT);
	if (extension->max_in_flight == max_in_flight)
		return;
	extension->max_in_flight = max_in_flight;
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP_MAX_IN_FLIGHT]);
}

guint
e_source_hubspot_get_lookup_delay (ESourceHubSpot *extension)
{
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), 10);

	return extension->lookup_delay;
}

void
e_source_hubspot_set_lookup_delay (ESourceHubSpot *extension,
				   guint seconds)
{
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension));

	seconds = MIN (seconds, 600);
	if (extension->lookup_delay == seconds)
		return;
	extension->lookup_delay = seconds;
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP_LOOKUP_DELAY]);
}

gboolean
e_source_hubspot_get_archive_on_remove (ESourceHubSpot *extension)
{
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), FALSE);

	return extension->archive_on_remove;
}

void
e_source_hubspot_set_archive_on_remove (ESourceHubSpot *extension,
					gboolean archive_on_remove)
{
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension));

	if (extension->archive_on_remove == !!archive_on_remove)
		return;
	extension->archive_on_remove = !!archive_on_remove;
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP_ARCHIVE_ON_REMOVE]);
}

#define BOOLEAN_ACCESSORS(name, PROP) \
gboolean \
e_source_hubspot_get_##name (ESourceHubSpot *extension) \
{ \
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), FALSE); \
\
	return extension->name; \
} \
\
void \
e_source_hubspot_set_##name (ESourceHubSpot *extension, \
			     gboolean value) \
{ \
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension)); \
\
	if (extension->name == !!value) \
		return; \
	extension->name = !!value; \
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP]); \
}

/* Out-of-range values are clamped to the property's range. */
#define UINT_ACCESSORS(name, PROP) \
guint \
e_source_hubspot_get_##name (ESourceHubSpot *extension) \
{ \
	g_return_val_if_fail (E_IS_SOURCE_HUBSPOT (extension), 0); \
\
	return extension->name; \
} \
\
void \
e_source_hubspot_set_##name (ESourceHubSpot *extension, \
			     guint value) \
{ \
	GParamSpecUInt *pspec; \
\
	g_return_if_fail (E_IS_SOURCE_HUBSPOT (extension)); \
\
	pspec = G_PARAM_SPEC_UINT (properties[PROP]); \
	value = CLAMP (value, pspec->minimum, pspec->maximum); \
	if (extension->name == value) \
		return; \
	extension->name = value; \
	g_object_notify_by_pspec (G_OBJECT (extension), properties[PROP]); \
}

BOOLEAN_ACCESSORS (create_contacts, PROP_CREATE_CONTACTS)
BOOLEAN_ACCESSORS (associate_companies, PROP_ASSOCIATE_COMPANIES)
UINT_ACCESSORS (recurrence_horizon, PROP_RECURRENCE_HORIZON)
UINT_ACCESSORS (max_occurrences, PROP_MAX_OCCURRENCES)
UINT_ACCESSORS (sync_past_days, PROP_SYNC_PAST_DAYS)

static gboolean
source_hubspot_check_url (const gchar *url,
			  const gchar *invalid_message,
			  const gchar *insecure_message,
			  GError **error);

/* The token travels in every request: plain http is only allowed to this
 * machine (the mock, a local proxy). */
gboolean
e_source_hubspot_is_loopback_host (const gchar *host)
{
	g_autoptr(GInetAddress) address = NULL;

	if (!host || !*host)
		return FALSE;

	if (g_ascii_strcasecmp (host, "localhost") == 0)
		return TRUE;

	/* An address, not a name that merely starts like one
	 * ("127.example.com" is anywhere). */
	address = g_inet_address_new_from_string (host);

	return address && g_inet_address_get_is_loopback (address);
}

gboolean
e_source_hubspot_check_api_url (const gchar *api_url,
				GError **error)
{
	return source_hubspot_check_url (api_url,
		_("The API URL “%s” is not a valid URL"),
		_("The API URL “%s” must use https (plain http is only allowed to this machine)"),
		error);
}

/* The sign-in page: the same rule as the API's. */
gboolean
e_source_hubspot_check_auth_url (const gchar *auth_url,
				 GError **error)
{
	return source_hubspot_check_url (auth_url,
		_("The sign-in URL “%s” is not a valid URL"),
		_("The sign-in URL “%s” must use https (plain http is only allowed to this machine)"),
		error);
}

static gboolean
source_hubspot_check_url (const gchar *api_url,
			  const gchar *invalid_message,
			  const gchar *insecure_message,
			  GError **error)
{
	g_autoptr(GUri) uri = NULL;
	const gchar *scheme, *host;

	uri = g_uri_parse (api_url ? api_url : "", G_URI_FLAGS_NONE, NULL);
	if (!uri || !g_uri_get_host (uri) || !*g_uri_get_host (uri)) {
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
			invalid_message, api_url ? api_url : "");
		return FALSE;
	}

	scheme = g_uri_get_scheme (uri);
	host = g_uri_get_host (uri);
	if (g_ascii_strcasecmp (scheme, "https") == 0)
		return TRUE;

	if (g_ascii_strcasecmp (scheme, "http") == 0 && e_source_hubspot_is_loopback_host (host))
		return TRUE;

	g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
		insecure_message, api_url);
	return FALSE;
}
