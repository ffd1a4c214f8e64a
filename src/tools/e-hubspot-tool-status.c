/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot status: per HubSpot calendar, how many events are
 * pending, sent and failed, the last error, and whether sending is paused
 * (rate limit, daily limit, credentials, offline) and until when.  The
 * counts come from the events; the sending state from the status file the
 * backend keeps in its cache directory. */

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libecal/libecal.h>

#include "common/e-hubspot-mapping.h"
#include "e-hubspot-tool.h"

#define STATUS_FILE "hubspot-status.json"

typedef struct {
	guint pending;
	guint synced;
	guint failed;
	gchar *last_failure;	/* the error of the most recently changed failed event */
	GPtrArray *failures;	/* "“summary” (start): error" of failed events, the first few */
} EventCounts;

/* Failed events named one by one; the count says how many there are. */
#define MAX_NAMED_FAILURES 20

static gchar *
describe_failure (ICalComponent *icomp)
{
	g_autofree gchar *error = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_ERROR);
	ICalTime *start = i_cal_component_get_dtstart (icomp);
	const gchar *summary = i_cal_component_get_summary (icomp);
	g_autofree gchar *when = NULL;
	gchar *text;

	if (start && !i_cal_time_is_null_time (start))
		when = i_cal_time_is_date (start) ?
			g_strdup_printf ("%04d-%02d-%02d", i_cal_time_get_year (start), i_cal_time_get_month (start), i_cal_time_get_day (start)) :
			g_strdup_printf ("%04d-%02d-%02d %02d:%02d", i_cal_time_get_year (start), i_cal_time_get_month (start),
				i_cal_time_get_day (start), i_cal_time_get_hour (start), i_cal_time_get_minute (start));
	g_clear_object (&start);

	/* Translators: a failed event in "evolution-hubspot status": its
	 * title, its start, and why HubSpot did not take it */
	text = g_strdup_printf (_("“%s” (%s): %s"), summary && *summary ? summary : _("untitled"),
		when ? when : "?", error && *error ? error : _("no reason given"));

	return text;
}

static void
count_events (ECalClient *client,
	      EventCounts *counts,
	      GError **error)
{
	GSList *comps = NULL, *link;
	ICalTime *newest = NULL;

	if (!e_cal_client_get_object_list_as_comps_sync (client, "#t", &comps, NULL, error))
		return;

	for (link = comps; link; link = link->next) {
		ICalComponent *icomp = e_cal_component_get_icalcomponent (link->data);
		g_autofree gchar *state = NULL;

		if (e_cal_component_is_instance (link->data))
			continue;

		state = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_SYNC_STATE);
		if (g_strcmp0 (state, "synced") == 0) {
			counts->synced++;
		} else if (g_strcmp0 (state, "failed") == 0) {
			ICalTime *modified = e_cal_component_get_last_modified (link->data);

			counts->failed++;
			if (counts->failures->len < MAX_NAMED_FAILURES)
				g_ptr_array_add (counts->failures, describe_failure (icomp));
			if (!newest || (modified && i_cal_time_compare (modified, newest) > 0)) {
				g_free (counts->last_failure);
				counts->last_failure = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_ERROR);
				g_clear_object (&newest);
				newest = modified ? g_object_ref (modified) : i_cal_time_new_null_time ();
			}
			g_clear_object (&modified);
		} else {
			counts->pending++;
		}
	}

	g_clear_object (&newest);
	g_slist_free_full (comps, g_object_unref);
}

static JsonObject *
read_status_file (ECalClient *client)
{
	g_autofree gchar *cache_dir = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(JsonParser) parser = json_parser_new ();

	if (!e_client_get_backend_property_sync (E_CLIENT (client), CLIENT_BACKEND_PROPERTY_CACHE_DIR, &cache_dir, NULL, NULL) ||
	    !cache_dir)
		return NULL;

	path = g_build_filename (cache_dir, STATUS_FILE, NULL);
	if (!json_parser_load_from_file (parser, path, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
		return NULL;

	return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const gchar *
describe_pause (const gchar *paused)
{
	if (!paused)
		return _("sending");
	if (g_str_equal (paused, "rate-limit"))
		return _("paused: HubSpot’s rate limit");
	if (g_str_equal (paused, "daily-limit"))
		return _("paused: HubSpot’s daily limit is reached");
	if (g_str_equal (paused, "credentials"))
		return _("paused: waiting for a valid sign-in or key");
	if (g_str_equal (paused, "offline"))
		return _("paused: offline");
	if (g_str_equal (paused, "unreachable"))
		return _("waiting: HubSpot cannot be reached");

	return paused;
}

static gboolean
print_calendar_status (ESource *source)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) status = NULL;
	EventCounts counts = { 0, };
	guint ii;
	EClient *client;
	const gchar *paused = NULL, *until = NULL, *last_error = NULL, *last_error_at = NULL;

	printf ("%s (%s)\n", e_source_get_display_name (source), e_source_get_uid (source));

	/* (guint32) -1: open without waiting for HubSpot; counts come from
	 * the calendar itself. */
	client = e_cal_client_connect_sync (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS, (guint32) -1, NULL, &error);
	if (!client) {
		e_hubspot_tool_print_error (_("  Cannot open the calendar"), error);
		return FALSE;
	}

	counts.failures = g_ptr_array_new_with_free_func (g_free);
	count_events (E_CAL_CLIENT (client), &counts, &error);
	if (error)
		e_hubspot_tool_print_error (_("  Cannot read the events"), error);
	status = read_status_file (E_CAL_CLIENT (client));
	g_object_unref (client);

	if (status) {
		paused = json_object_get_string_member_with_default (status, "paused", NULL);
		until = json_object_get_string_member_with_default (status, "paused_until", NULL);
		last_error = json_object_get_string_member_with_default (status, "last_error", NULL);
		last_error_at = json_object_get_string_member_with_default (status, "last_error_at", NULL);
	}

	/* Translators: counts of events in a HubSpot calendar */
	printf (_("  pending: %u   sent: %u   failed: %u\n"), counts.pending, counts.synced, counts.failed);
	/* Each failed event by name: the user finds it in the calendar, and
	 * reads why (docs/design.md, "Rules of the outbox", 6). */
	for (ii = 0; ii < counts.failures->len; ii++)
		printf (_("  failed: %s\n"), (const gchar *) g_ptr_array_index (counts.failures, ii));
	if (counts.failed > counts.failures->len)
		printf (g_dngettext (GETTEXT_PACKAGE, "  and %u more failed event\n", "  and %u more failed events\n",
			counts.failed - counts.failures->len), counts.failed - counts.failures->len);
	if (until)
		/* Translators: the first %s says why sending is paused, the second is a UTC date and time */
		printf (_("  %s, until %s\n"), describe_pause (paused), until);
	else
		printf ("  %s\n", describe_pause (paused));

	if (last_error && last_error_at)
		printf (_("  last error: %s (%s)\n"), last_error, last_error_at);
	else if (counts.last_failure)
		printf (_("  last error: %s\n"), counts.last_failure);

	g_free (counts.last_failure);
	g_ptr_array_unref (counts.failures);

	return !error;
}

gint
e_hubspot_tool_status (gint argc,
		       gchar **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(ESourceRegistry) registry = NULL;
	g_autoptr(GError) error = NULL;
	GList *sources = NULL, *link;
	gboolean ok = TRUE;

	context = g_option_context_new (_("[CALENDAR]"));
	g_option_context_set_summary (context, _("Shows, for each HubSpot calendar (or the one named by UID or name), "
		"how many events are pending, sent and failed, the last error, and whether sending is paused and until when."));
	g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("%s\n", error->message);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	registry = e_source_registry_new_sync (NULL, &error);
	if (!registry) {
		e_hubspot_tool_print_error (_("Cannot reach the calendar service (evolution-source-registry)"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	if (argc > 1) {
		ESource *source = e_hubspot_tool_find_hubspot_calendar (registry, argv[1], &error);

		if (!source) {
			g_printerr ("%s\n", error->message);
			return E_HUBSPOT_TOOL_EXIT_USAGE;
		}
		sources = g_list_prepend (NULL, source);
	} else {
		sources = e_hubspot_tool_list_hubspot_calendars (registry);
	}

	if (!sources)
		printf ("%s\n", _("No HubSpot calendar. Add one with “evolution-hubspot add”."));

	for (link = sources; link; link = link->next)
		ok = print_calendar_status (link->data) && ok;
	g_list_free_full (sources, g_object_unref);

	return ok ? E_HUBSPOT_TOOL_EXIT_OK : E_HUBSPOT_TOOL_EXIT_FAILED;
}
