/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The CPU cost of one event's mapping, for callgrind: maps every VEVENT
 * of the given files to its request and applies a HubSpot answer to it,
 * N times over.  callgrind's inclusive counts of the mapping functions
 * (bench/lib/measure.py) leave the harness out.
 *
 *   bench-cost --iterations N --out FILE [--generated N] [FILE.ics...] */

#include <stdio.h>
#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "bench-common.h"

typedef struct {
	ICalComponent *vevent;
	GHashTable *zones;	/* tzid ~> ICalTimezone *, the file's VTIMEZONEs */
	gchar *response_text;	/* HubSpot's answer to its request, or NULL */
} Event;

static ICalTimezone *
resolve_tzid (const gchar *tzid,
	      gpointer user_data)
{
	Event *event = user_data;
	ICalTimezone *zone = g_hash_table_lookup (event->zones, tzid);

	/* As the backend's timezone cache: the file's zones, then libical's. */
	if (!zone)
		zone = i_cal_timezone_get_builtin_timezone (tzid);
	if (!zone)
		zone = i_cal_timezone_get_builtin_timezone_from_tzid (tzid);

	return zone;
}

/* The connection's share, measured beside the mapping: the request as
 * text, and the answer's text parsed. */
static G_GNUC_NO_INLINE gchar *
cost_request_to_text (JsonNode *request)
{
	return json_to_string (request, FALSE);
}

static G_GNUC_NO_INLINE JsonNode *
cost_response_from_text (const gchar *text)
{
	return json_from_string (text, NULL);
}

/* What the mock answers: the meeting's properties echoed, with an id. */
static gchar *
make_response (JsonNode *request,
	       guint id)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	g_autoptr(JsonNode) root = NULL;
	JsonObject *properties = json_object_get_object_member (json_node_get_object (request), "properties");
	g_autofree gchar *id_text = g_strdup_printf ("%u", 100000 + id);
	GList *members, *link;

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "id");
	json_builder_add_string_value (builder, id_text);
	json_builder_set_member_name (builder, "createdAt");
	json_builder_add_string_value (builder, "2026-03-30T09:00:00.000Z");
	json_builder_set_member_name (builder, "lastUpdatedAt");
	json_builder_add_string_value (builder, "2026-03-30T09:00:00.000Z");
	json_builder_set_member_name (builder, "properties");
	json_builder_begin_object (builder);
	members = properties ? json_object_get_members (properties) : NULL;
	for (link = members; link; link = link->next) {
		json_builder_set_member_name (builder, link->data);
		json_builder_add_value (builder, json_node_copy (json_object_get_member (properties, link->data)));
	}
	g_list_free (members);
	json_builder_set_member_name (builder, "hs_engagement_source");
	json_builder_add_string_value (builder, "INTEGRATION");
	json_builder_set_member_name (builder, "hs_engagement_source_id");
	json_builder_add_string_value (builder, "bench");
	json_builder_end_object (builder);
	json_builder_end_object (builder);

	root = json_builder_get_root (builder);

	return json_to_string (root, FALSE);
}

/* One VCALENDAR: its VTIMEZONEs, and each VEVENT with them. */
static void
load_vcalendar (const gchar *text,
		GPtrArray *events)
{
	ICalComponent *vcalendar = i_cal_component_new_from_string (text);
	GHashTable *zones;
	ICalComponent *sub;

	if (!vcalendar)
		return;

	zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
	for (sub = i_cal_component_get_first_component (vcalendar, I_CAL_VTIMEZONE_COMPONENT);
	     sub;
	     sub = i_cal_component_get_next_component (vcalendar, I_CAL_VTIMEZONE_COMPONENT)) {
		ICalTimezone *zone = i_cal_timezone_new ();

		if (i_cal_timezone_set_component (zone, i_cal_component_clone (sub)) && i_cal_timezone_get_tzid (zone))
			g_hash_table_replace (zones, g_strdup (i_cal_timezone_get_tzid (zone)), zone);
		else
			g_object_unref (zone);
		g_object_unref (sub);
	}

	for (sub = i_cal_component_get_first_component (vcalendar, I_CAL_VEVENT_COMPONENT);
	     sub;
	     sub = i_cal_component_get_next_component (vcalendar, I_CAL_VEVENT_COMPONENT)) {
		Event *event = g_new0 (Event, 1);

		event->vevent = i_cal_component_clone (sub);
		event->zones = g_hash_table_ref (zones);
		g_ptr_array_add (events, event);
		g_object_unref (sub);
	}

	g_hash_table_unref (zones);
	g_object_unref (vcalendar);
}

/* A file may hold several VCALENDARs (iTIP examples do): libical parses
 * only the first of a string, so split them. */
static void
load_file (const gchar *path,
	   GPtrArray *events)
{
	g_autofree gchar *contents = NULL;
	gchar *begin, *next;

	if (!g_file_get_contents (path, &contents, NULL, NULL)) {
		g_printerr ("bench-cost: cannot read %s\n", path);
		return;
	}

	begin = strstr (contents, "BEGIN:VCALENDAR");
	if (!begin) {
		load_vcalendar (contents, events);
		return;
	}

	while (begin) {
		next = strstr (begin + 1, "BEGIN:VCALENDAR");
		if (next)
			*next = '\0';
		load_vcalendar (begin, events);
		if (next)
			*next = 'B';
		begin = next;
	}
}

/* Typical events, as Evolution creates them (bench_event_ical). */
static void
load_generated (guint count,
		GPtrArray *events)
{
	gint64 base = bench_event_base ();
	guint ii;

	for (ii = 0; ii < count; ii++) {
		g_autofree gchar *ical = bench_event_ical ("cost", ii, base);
		Event *event = g_new0 (Event, 1);

		event->vevent = i_cal_component_new_from_string (ical);
		event->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
		g_ptr_array_add (events, event);
	}
}

gint
main (gint argc,
      gchar **argv)
{
	g_autofree gchar *out = NULL;
	gint iterations = 10, generated = 0;
	GOptionEntry entries[] = {
		{ "generated", 0, 0, G_OPTION_ARG_INT, &generated, "Also N typical generated events", "N" },
		{ "iterations", 0, 0, G_OPTION_ARG_INT, &iterations, "Passes over all events (default 10)", "N" },
		{ "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write the counts (JSON) there", "FILE" },
		{ NULL }
	};
	g_autoptr(GOptionContext) options = g_option_context_new ("FILE.ics...");
	g_autoptr(GPtrArray) events = g_ptr_array_new ();
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context = { 0, };
	guint64 builds = 0, built = 0, applied = 0;
	JsonObject *result;
	gint ii, pass;
	guint jj;

	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error) || (argc < 2 && generated <= 0) || iterations < 1 || !out) {
		g_printerr ("bench-cost: %s\n", error ? error->message : "--out and files or --generated are required");
		return 2;
	}

	for (ii = 1; ii < argc; ii++)
		load_file (argv[ii], events);
	if (generated > 0)
		load_generated (generated, events);

	context.owner_id = "75000001";
	context.calendar_zone = i_cal_timezone_get_builtin_timezone ("Europe/Paris");
	context.resolve_tzid = resolve_tzid;
	context.now = g_get_real_time () / G_USEC_PER_SEC;

	/* HubSpot's answers, made once, outside what is measured. */
	for (jj = 0; jj < events->len; jj++) {
		Event *event = g_ptr_array_index (events, jj);
		g_autoptr(JsonNode) request = NULL;

		context.resolve_tzid_data = event;
		request = e_hubspot_mapping_build_meeting (event->vevent, &context, NULL);
		if (request)
			event->response_text = make_response (request, jj);
	}

	for (pass = 0; pass < iterations; pass++) {
		for (jj = 0; jj < events->len; jj++) {
			Event *event = g_ptr_array_index (events, jj);
			g_autoptr(JsonNode) request = NULL;
			g_autoptr(JsonNode) response = NULL;
			ICalComponent *target;
			g_autofree gchar *text = NULL;
			EHubSpotMeetingResult meeting = { 0, };

			context.resolve_tzid_data = event;
			request = e_hubspot_mapping_build_meeting (event->vevent, &context, NULL);
			builds++;
			if (!request || !event->response_text)
				continue;
			built++;

			text = cost_request_to_text (request);
			response = cost_response_from_text (event->response_text);
			target = i_cal_component_clone (event->vevent);
			if (e_hubspot_mapping_parse_meeting_response (response, "app.hubspot.com", "4242", &meeting, NULL)) {
				e_hubspot_mapping_apply_result (target, &meeting);
				applied++;
			}
			e_hubspot_meeting_result_clear (&meeting);
			g_object_unref (target);
		}
	}

	printf ("%u events, %d passes: %" G_GUINT64_FORMAT " mapped, %" G_GUINT64_FORMAT " of them answered\n",
		events->len, iterations, built, applied);

	result = bench_result_new ("cost");
	json_object_set_int_member (result, "events", events->len);
	json_object_set_int_member (result, "iterations", iterations);
	json_object_set_int_member (result, "build_calls", builds);
	json_object_set_int_member (result, "built", built);
	json_object_set_int_member (result, "applied", applied);

	return bench_result_write (result, out) ? 0 : 1;
}
