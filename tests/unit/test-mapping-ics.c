/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Real-world iCalendar files (tests/data/ics, see ORIGINS.txt) through
 * the mapping: every VEVENT either maps to a body HubSpot's schema
 * accepts, or is refused with E_HUBSPOT_ERROR_INVALID_EVENT; nothing
 * crashes.  A few files also get expectations worked out by hand. */

#include <string.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-mapping.h"

#ifdef HAVE_MOCK_SCHEMA
#include "e-hubspot-mock-schema.h"
#endif

#define NOW_2026 1767225600	/* 2026-01-01T00:00:00Z */
#define MALFORMED_FILE "libical_fuzz_issue252_malformed.ics"

/* ------------------------------------------------------------------ */
/* A resolver over the VTIMEZONEs of one VCALENDAR */

typedef struct {
	ICalComponent *vcalendar;	/* borrowed, may be NULL */
	GHashTable *zones;		/* tzid ~> ICalTimezone */
} IcsResolver;

static ICalTimezone *
ics_resolve (const gchar *tzid,
	     gpointer user_data)
{
	IcsResolver *resolver = user_data;
	ICalTimezone *zone;

	if (!resolver->vcalendar)
		return NULL;

	zone = g_hash_table_lookup (resolver->zones, tzid);
	if (!zone) {
		zone = i_cal_component_get_timezone (resolver->vcalendar, tzid);
		if (zone)
			g_hash_table_insert (resolver->zones, g_strdup (tzid), zone);
	}

	return zone;
}

static void
ics_resolver_init (IcsResolver *resolver,
		   ICalComponent *vcalendar)
{
	resolver->vcalendar = vcalendar;
	resolver->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static void
ics_resolver_clear (IcsResolver *resolver)
{
	g_clear_pointer (&resolver->zones, g_hash_table_destroy);
	resolver->vcalendar = NULL;
}

static void
ics_context_init (EHubSpotMappingContext *context,
		  IcsResolver *resolver,
		  ICalTimezone *calendar_zone,
		  gboolean map_all_alarms)
{
	static const gchar *meeting_types[] = { "Holiday", "Business", NULL };

	memset (context, 0, sizeof (EHubSpotMappingContext));
	context->owner_id = "31337";
	context->now = NOW_2026;
	context->calendar_zone = calendar_zone;
	context->map_all_alarms = map_all_alarms;
	context->meeting_types = meeting_types;
	context->resolve_tzid = ics_resolve;
	context->resolve_tzid_data = resolver;
}

/* ------------------------------------------------------------------ */
/* Reading a file: one or several VCALENDARs, or a bare VEVENT */

typedef void (*IcsEventFunc) (ICalComponent *vevent,
			      ICalComponent *vcalendar,
			      gpointer user_data);

static void
ics_foreach_event_in (ICalComponent *comp,
		      ICalComponent *vcalendar,
		      IcsEventFunc func,
		      gpointer user_data)
{
	ICalComponent *sub;

	switch (i_cal_component_isa (comp)) {
	case I_CAL_VEVENT_COMPONENT:
		func (comp, vcalendar, user_data);
		break;
	case I_CAL_VCALENDAR_COMPONENT:
	case I_CAL_XROOT_COMPONENT:
		for (sub = i_cal_component_get_first_component (comp, I_CAL_ANY_COMPONENT);
		     sub;
		     g_object_unref (sub), sub = i_cal_component_get_next_component (comp, I_CAL_ANY_COMPONENT)) {
			ICalComponentKind kind = i_cal_component_isa (sub);

			if (kind == I_CAL_VEVENT_COMPONENT || kind == I_CAL_VCALENDAR_COMPONENT)
				ics_foreach_event_in (sub,
					kind == I_CAL_VCALENDAR_COMPONENT ? sub :
					i_cal_component_isa (comp) == I_CAL_VCALENDAR_COMPONENT ? comp : NULL,
					func, user_data);
		}
		break;
	default:
		break;
	}
}

/* When libical gives up on the whole file, its VEVENTs one by one:
 * a malformed file still says something about the mapping's robustness. */
static void
ics_foreach_event_chunk (const gchar *contents,
			 IcsEventFunc func,
			 gpointer user_data)
{
	const gchar *begin = contents;

	while ((begin = strstr (begin, "BEGIN:VEVENT")) != NULL) {
		const gchar *end = strstr (begin, "END:VEVENT");
		g_autofree gchar *chunk = NULL;
		ICalComponent *vevent;

		if (!end)
			break;

		chunk = g_strndup (begin, end + strlen ("END:VEVENT") - begin);
		vevent = i_cal_component_new_from_string (chunk);
		if (vevent) {
			ics_foreach_event_in (vevent, NULL, func, user_data);
			g_object_unref (vevent);
		}

		begin = end;
	}
}

static void
ics_foreach_event (const gchar *filename,
		   IcsEventFunc func,
		   gpointer user_data)
{
	g_autofree gchar *path = g_build_filename (ICS_DIR, filename, NULL);
	g_autofree gchar *contents = NULL;
	GError *error = NULL;
	ICalComponent *root;
	gsize length = 0, ii;

	g_file_get_contents (path, &contents, &length, &error);
	g_assert_no_error (error);

	/* The fuzzed file holds NUL bytes: let libical see all of it. */
	for (ii = 0; ii < length; ii++) {
		if (!contents[ii])
			contents[ii] = '?';
	}

	root = i_cal_parser_parse_string (contents);
	if (root) {
		ics_foreach_event_in (root, i_cal_component_isa (root) == I_CAL_VCALENDAR_COMPONENT ? root : NULL,
			func, user_data);
		g_object_unref (root);
	} else {
		g_test_message ("%s: libical cannot parse the file; trying its VEVENTs one by one", filename);
		ics_foreach_event_chunk (contents, func, user_data);
	}
}

/* ------------------------------------------------------------------ */
/* Every VEVENT of every file */

typedef struct {
	const gchar *filename;
	gboolean well_formed;
	guint mapped;
	guint rejected;
	GHashTable *reasons;	/* message ~> count */
} IcsReport;

static gchar *
ics_dup_raw_time (ICalComponent *vevent,
		  ICalPropertyKind kind,
		  gchar **out_tzid)
{
	ICalProperty *prop = i_cal_component_get_first_property (vevent, kind);
	gchar *value;

	if (!prop)
		return NULL;

	value = i_cal_property_get_value_as_string (prop);
	*out_tzid = i_cal_property_get_parameter_as_string (prop, "TZID");
	g_object_unref (prop);

	return value;
}

/* Some files do have events that end before they start (two of RFC
 * 2446's examples): the only refusal a well-formed file may get.  Told
 * apart here on the raw values, which share a form in those files. */
static gboolean
ics_ends_before_start (ICalComponent *vevent)
{
	g_autofree gchar *start_tzid = NULL, *end_tzid = NULL;
	g_autofree gchar *start = ics_dup_raw_time (vevent, I_CAL_DTSTART_PROPERTY, &start_tzid);
	g_autofree gchar *end = ics_dup_raw_time (vevent, I_CAL_DTEND_PROPERTY, &end_tzid);

	return start && end && strlen (start) == strlen (end) &&
	       g_strcmp0 (start_tzid, end_tzid) == 0 && strcmp (end, start) < 0;
}

static void
ics_map_one (ICalComponent *vevent,
	     ICalComponent *vcalendar,
	     gpointer user_data)
{
	IcsReport *report = user_data;
	EHubSpotMappingContext context;
	IcsResolver resolver;
	ICalProperty *dtstart;
	GError *error = NULL;
	JsonNode *body;
	guint pass;

	dtstart = i_cal_component_get_first_property (vevent, I_CAL_DTSTART_PROPERTY);

	/* Once with the calendar in UTC and only e-mail alarms, once with a
	 * calendar zone and every alarm: the two paths through the zone code. */
	for (pass = 0; pass < 2; pass++) {
		ICalTimezone *calendar_zone = pass ? i_cal_timezone_get_builtin_timezone ("America/New_York") : NULL;

		ics_resolver_init (&resolver, vcalendar);
		ics_context_init (&context, &resolver, calendar_zone, pass == 1);

		body = e_hubspot_mapping_build_meeting (vevent, &context, &error);
		if (body) {
			g_assert_no_error (error);
#ifdef HAVE_MOCK_SCHEMA
			if (!e_hubspot_mock_schema_check_meeting_create (body, &error)) {
				g_autofree gchar *json = json_to_string (body, TRUE);

				g_error ("%s: the body does not pass HubSpot's schema: %s\n%s",
					report->filename, error->message, json);
			}
#endif
			if (pass == 0)
				report->mapped++;
			json_node_unref (body);
		} else {
			g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT);
			g_assert_nonnull (error->message);
			g_assert_cmpstr (error->message, !=, "");

			if (report->well_formed && dtstart && !ics_ends_before_start (vevent))
				g_error ("%s: an event with a DTSTART was refused: %s", report->filename, error->message);

			if (pass == 0) {
				report->rejected++;
				g_hash_table_insert (report->reasons, g_strdup (error->message),
					GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (report->reasons, error->message)) + 1));
			}
			g_clear_error (&error);
		}

		ics_resolver_clear (&resolver);
	}

	g_clear_object (&dtstart);
}

static void
test_ics_file (gconstpointer data)
{
	const gchar *filename = data;
	IcsReport report = { 0 };
	GHashTableIter iter;
	gpointer key, value;

	report.filename = filename;
	report.well_formed = g_strcmp0 (filename, MALFORMED_FILE) != 0;
	report.reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

	ics_foreach_event (filename, ics_map_one, &report);

	g_test_message ("%s: %u mapped, %u rejected", filename, report.mapped, report.rejected);
	g_hash_table_iter_init (&iter, report.reasons);
	while (g_hash_table_iter_next (&iter, &key, &value))
		g_test_message ("%s:   rejected %ux: %s", filename, GPOINTER_TO_UINT (value), (const gchar *) key);

	if (report.well_formed)
		g_assert_cmpuint (report.mapped, >, 0);

	g_hash_table_destroy (report.reasons);
}

/* ------------------------------------------------------------------ */
/* Expectations worked out by reading the files */

typedef struct {
	guint wanted;		/* index of the VEVENT in the file */
	guint seen;
	ICalTimezone *calendar_zone;
	gboolean map_all_alarms;
	JsonNode *body;
} IcsPick;

static void
ics_pick_one (ICalComponent *vevent,
	      ICalComponent *vcalendar,
	      gpointer user_data)
{
	IcsPick *pick = user_data;
	EHubSpotMappingContext context;
	IcsResolver resolver;
	GError *error = NULL;

	if (pick->seen++ != pick->wanted)
		return;

	ics_resolver_init (&resolver, vcalendar);
	ics_context_init (&context, &resolver, pick->calendar_zone, pick->map_all_alarms);

	pick->body = e_hubspot_mapping_build_meeting (vevent, &context, &error);
	g_assert_no_error (error);
	g_assert_nonnull (pick->body);

	ics_resolver_clear (&resolver);
}

typedef struct {
	const gchar *file;
	guint index;
	const gchar *calendar_zone;
	gboolean map_all_alarms;
	const gchar *start;
	const gchar *end;
	const gchar *timezone;
	const gchar *title;
	const gchar *outcome;
	const gchar *reminders;	/* "15 MINUTES,1 HOURS" */
} IcsExpectation;

static const IcsExpectation expectations[] = {
	/* DTSTART;TZID=America/Los_Angeles:20120630T060000 (PDT, UTC-7), DURATION:P1D */
	{ "google_duration_instead_of_dtend.ics", 0, NULL, FALSE,
	  "2012-06-30T13:00:00Z", "2012-07-01T13:00:00Z", "America/Los_Angeles",
	  "Really long event name thing", "COMPLETED", "" },
	/* TZID=Europe/Berlin (no VTIMEZONE of that name in the file; the file's
	 * own is "W. Europe Standard Time"), 2020-04-26 14:00-14:30 CEST */
	{ "exchange2010_via_evolution_rrule_exdate.ics", 0, NULL, FALSE,
	  "2020-04-26T12:00:00Z", "2020-04-26T12:30:00Z", "Europe/Berlin",
	  "Reoccur", "COMPLETED", "" },
	/* Europe/London 2024-10-23 15:00-16:00 BST (UTC+1); two DISPLAY alarms */
	{ "thunderbird_alarm_vtimezone.ics", 0, NULL, FALSE,
	  "2024-10-23T14:00:00Z", "2024-10-23T15:00:00Z", "Europe/London",
	  "event with alarms", "COMPLETED", "" },
	{ "thunderbird_alarm_vtimezone.ics", 0, NULL, TRUE,
	  "2024-10-23T14:00:00Z", "2024-10-23T15:00:00Z", "Europe/London",
	  "event with alarms", "COMPLETED", "15 MINUTES,45 MINUTES" },
	/* DTSTART:20180110 (a date), DURATION:P3D; New York in January: UTC-5 */
	{ "floating_duration_no_dtend.ics", 0, "America/New_York", FALSE,
	  "2018-01-10T05:00:00Z", "2018-01-13T05:00:00Z", "America/New_York",
	  "Duration Event 1", "COMPLETED", "" },
	/* floating 2018-01-15 10:00, PT3H */
	{ "floating_duration_no_dtend.ics", 1, "America/New_York", FALSE,
	  "2018-01-15T15:00:00Z", "2018-01-15T18:00:00Z", "America/New_York",
	  "Duration Event 2", "COMPLETED", "" },
	/* floating 2018-01-20 12:00, neither DTEND nor DURATION */
	{ "floating_duration_no_dtend.ics", 2, NULL, FALSE,
	  "2018-01-20T12:00:00Z", "2018-01-20T12:00:00Z", "UTC",
	  "Short event", "COMPLETED", "" },
	/* "GMT +0100 (Standard) / GMT +0200 (Daylight)", Europe's rules:
	 * 2015-07-03 10:00-10:30 at UTC+2, named after Windows' first such zone */
	{ "exchange_cdo_quoted_custom_tzid_daily.ics", 0, NULL, FALSE,
	  "2015-07-03T08:00:00Z", "2015-07-03T08:30:00Z", "Europe/Berlin",
	  "Sprint 25 Daily Standup", "COMPLETED", "" },
	/* UTC times; one EMAIL alarm 15 min before, three DISPLAY alarms
	 * (10, 14 and another 15 min) */
	{ "google_attendees_alarm_utc.ics", 0, NULL, FALSE,
	  "2024-10-04T18:15:00Z", "2024-10-04T19:00:00Z", "UTC",
	  NULL, "COMPLETED", "15 MINUTES" },
	{ "google_attendees_alarm_utc.ics", 0, "Europe/Berlin", TRUE,
	  "2024-10-04T18:15:00Z", "2024-10-04T19:00:00Z", "Europe/Berlin",
	  NULL, "COMPLETED", "10 MINUTES,14 MINUTES,15 MINUTES" },
	/* a bare VEVENT: America/New_York 2017-02-25 16:00-17:00 EST */
	{ "eds_event_tzid_attendees.ics", 0, NULL, FALSE,
	  "2017-02-25T21:00:00Z", "2017-02-25T22:00:00Z", "America/New_York",
	  "2-on-1", "COMPLETED", "" },
	/* America/Chicago 2020-11-16 08:15-08:30, after the switch back: CST, UTC-6 */
	{ "google_recurring_across_dst.ics", 0, NULL, FALSE,
	  "2020-11-16T14:15:00Z", "2020-11-16T14:30:00Z", "America/Chicago",
	  "Event#1", "COMPLETED", "" },
	/* TZID "America-SanJose", its VTIMEZONE with the US rules of 1997:
	 * 14:00-15:00 PDT (UTC-7); named by its offsets */
	{ "libical_rfc2446_itip_examples.ics", 21, NULL, FALSE,
	  "1997-07-01T21:00:00Z", "1997-07-01T22:00:00Z", "America/Los_Angeles",
	  "Weekly Phone Conference", "COMPLETED", "" },
	/* the cancelled instance: Europe/Berlin 2020-01-29 22:00-23:00 CET */
	{ "thunderbird_cancelled_instance.ics", 1, NULL, FALSE,
	  "2020-01-29T21:00:00Z", "2020-01-29T22:00:00Z", "Europe/Berlin",
	  NULL, "CANCELED", "" },
};

static void
test_ics_expectation (gconstpointer data)
{
	const IcsExpectation *expected = data;
	JsonObject *root, *props, *schedule;
	JsonArray *reminders;
	GString *got;
	IcsPick pick = { 0 };
	guint ii;

	pick.wanted = expected->index;
	pick.map_all_alarms = expected->map_all_alarms;
	if (expected->calendar_zone) {
		pick.calendar_zone = i_cal_timezone_get_builtin_timezone (expected->calendar_zone);
		g_assert_nonnull (pick.calendar_zone);
	}

	ics_foreach_event (expected->file, ics_pick_one, &pick);
	g_assert_nonnull (pick.body);

	root = json_node_get_object (pick.body);
	props = json_object_get_object_member (root, "properties");
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_start_time"), ==, expected->start);
	g_assert_cmpstr (json_object_get_string_member (props, "hs_timestamp"), ==, expected->start);
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_end_time"), ==, expected->end);
	g_assert_cmpstr (json_object_get_string_member (root, "timezone"), ==, expected->timezone);
	if (expected->title)
		g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_title"), ==, expected->title);
	g_assert_cmpstr (json_object_get_string_member (props, "hs_meeting_outcome"), ==, expected->outcome);

	schedule = json_object_get_object_member (root, "emailReminderSchedule");
	reminders = json_object_get_array_member (schedule, "reminders");
	got = g_string_new ("");
	for (ii = 0; ii < json_array_get_length (reminders); ii++) {
		JsonObject *reminder = json_array_get_object_element (reminders, ii);

		g_string_append_printf (got, "%s%" G_GINT64_FORMAT " %s", ii ? "," : "",
			json_object_get_int_member (reminder, "numberOfTimeUnits"),
			json_object_get_string_member (reminder, "timeUnit"));
	}
	g_assert_cmpstr (got->str, ==, expected->reminders);
	g_string_free (got, TRUE);

	json_node_unref (pick.body);
}

static gint
compare_names (gconstpointer aa,
	       gconstpointer bb)
{
	return g_strcmp0 (*(const gchar * const *) aa, *(const gchar * const *) bb);
}

int
main (int argc,
      char **argv)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;
	const gchar *name;
	guint ii;

	g_test_init (&argc, &argv, NULL);

	dir = g_dir_open (ICS_DIR, 0, &error);
	g_assert_no_error (error);
	while ((name = g_dir_read_name (dir)) != NULL) {
		if (g_str_has_suffix (name, ".ics"))
			g_ptr_array_add (files, g_strdup (name));
	}
	g_ptr_array_sort (files, compare_names);
	g_assert_cmpuint (files->len, >, 0);

	for (ii = 0; ii < files->len; ii++) {
		g_autofree gchar *path = g_strconcat ("/mapping-ics/file/", (const gchar *) files->pdata[ii], NULL);

		g_test_add_data_func (path, files->pdata[ii], test_ics_file);
	}

	for (ii = 0; ii < G_N_ELEMENTS (expectations); ii++) {
		g_autofree gchar *path = g_strdup_printf ("/mapping-ics/expected/%s/%u%s",
			expectations[ii].file, expectations[ii].index,
			expectations[ii].map_all_alarms ? "-all-alarms" : "");

		g_test_add_data_func (path, &expectations[ii], test_ics_expectation);
	}

	return g_test_run ();
}
