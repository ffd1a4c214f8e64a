/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Any text as a calendar's .source file, hand-edited: its [HubSpot]
 * keys go onto the extension the way EDS's loader puts them (each setting
 * property by its key, from the key file's typed readers), then
 * everything the backend and the tool read back is read: the API URL and
 * its check, the zone, the numbers and switches. */

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-tz.h"
#include "common/e-source-hubspot.h"
#include "fuzz-target.h"

static ESource *source;

static void
load_group (ESourceExtension *extension,
	    GKeyFile *key_file,
	    const gchar *group)
{
	g_autofree GParamSpec **pspecs = NULL;
	guint ii, n_pspecs = 0;

	pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (extension), &n_pspecs);
	for (ii = 0; ii < n_pspecs; ii++) {
		GParamSpec *pspec = pspecs[ii];
		g_autofree gchar *key = NULL;
		g_auto(GValue) value = G_VALUE_INIT;
		g_autoptr(GError) error = NULL;

		if (!(pspec->flags & E_SOURCE_PARAM_SETTING))
			continue;

		key = e_source_parameter_to_key (pspec->name);
		if (!g_key_file_has_key (key_file, group, key, NULL))
			continue;

		g_value_init (&value, pspec->value_type);
		if (pspec->value_type == G_TYPE_STRING) {
			g_autofree gchar *text = g_key_file_get_string (key_file, group, key, &error);

			if (!text)
				continue;
			g_value_take_string (&value, g_steal_pointer (&text));
		} else if (pspec->value_type == G_TYPE_BOOLEAN) {
			gboolean flag = g_key_file_get_boolean (key_file, group, key, &error);

			if (error)
				continue;
			g_value_set_boolean (&value, flag);
		} else if (pspec->value_type == G_TYPE_UINT) {
			guint64 number = g_key_file_get_uint64 (key_file, group, key, &error);

			if (error)
				continue;
			g_value_set_uint (&value, (guint) MIN (number, G_MAXUINT));
		} else {
			continue;
		}

		/* Out-of-range numbers are clamped as GObject does for EDS. */
		g_param_value_validate (pspec, &value);
		g_object_set_property (G_OBJECT (extension), pspec->name, &value);
	}
}

static void
read_back (ESourceHubSpot *extension)
{
	g_autofree gchar *api_url = e_source_hubspot_dup_api_url (extension);
	g_autofree gchar *zone_name = e_source_hubspot_dup_timezone (extension);
	g_autoptr(GError) error = NULL;

	if (!e_source_hubspot_check_api_url (api_url, &error)) {
		if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS) ||
		    !g_utf8_validate (error->message, -1, NULL))
			g_error ("an API URL refused without a clear error");
	} else {
		g_autoptr(GUri) uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);

		if (!uri || !g_uri_get_host (uri))
			g_error ("an API URL accepted without a host: %s", api_url);

		/* Plain http only to this machine: the token must not travel
		 * in the clear (docs/design.md, "Settings and secrets"). */
		if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0) {
			g_autoptr(GInetAddress) address = g_inet_address_new_from_string (g_uri_get_host (uri));

			if (g_ascii_strcasecmp (g_uri_get_host (uri), "localhost") != 0 &&
			    !(address && g_inet_address_get_is_loopback (address)))
				g_error ("a plain http API URL to another machine accepted: %s", api_url);
		}
	}

	if (zone_name)
		e_hubspot_tz_get_builtin_zone (zone_name);

	g_free (e_source_hubspot_dup_email (extension));
	g_free (e_source_hubspot_dup_owner_id (extension));
	g_free (e_source_hubspot_dup_user_id (extension));
	g_free (e_source_hubspot_dup_portal_id (extension));
	g_free (e_source_hubspot_dup_ui_domain (extension));
	g_free (e_source_hubspot_dup_activity_type (extension));
	e_source_hubspot_get_include_invite_description (extension);
	e_source_hubspot_get_map_all_alarms (extension);
	e_source_hubspot_get_archive_on_remove (extension);
	e_source_hubspot_get_create_contacts (extension);
	e_source_hubspot_get_associate_companies (extension);

	if (e_source_hubspot_get_max_in_flight (extension) == 0 ||
	    e_source_hubspot_get_recurrence_horizon (extension) == 0 ||
	    e_source_hubspot_get_max_occurrences (extension) == 0)
		g_error ("a setting read back as 0 where 0 is not allowed");
	e_source_hubspot_get_lookup_delay (extension);
	e_source_hubspot_get_sync_past_days (extension);
}

int
LLVMFuzzerInitialize (int *argc,
		      char ***argv)
{
	fuzz_init ();
	e_source_hubspot_type_register ();
	source = e_source_new (NULL, NULL, NULL);

	return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
			size_t size)
{
	g_autoptr(GKeyFile) key_file = NULL;
	g_autoptr(ESource) scratch = NULL;
	ESourceHubSpot *extension;

	if (size > FUZZ_MAX_INPUT)
		return 0;

	/* .source files are UTF-8; GLib 2.74's key file reader warns about
	 * its own double-set GError on some invalid text (found by this
	 * target; not our code), and hands our setters only UTF-8 anyway. */
	if (!g_utf8_validate ((const gchar *) data, size, NULL))
		return 0;

	key_file = g_key_file_new ();
	if (!g_key_file_load_from_data (key_file, (const gchar *) data, size, G_KEY_FILE_NONE, NULL))
		return 0;

	/* A source of its own per input: nothing carries over. */
	scratch = e_source_new (NULL, NULL, NULL);
	extension = e_source_get_extension (scratch, E_SOURCE_EXTENSION_HUBSPOT);
	load_group (E_SOURCE_EXTENSION (extension), key_file, E_SOURCE_EXTENSION_HUBSPOT);
	read_back (extension);

	return 0;
}
