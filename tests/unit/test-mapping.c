/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The event -> meeting mapping (docs/design.md, "Mapping an event to a meeting", "Write-back"), one row at a time.
 * Expected UTC times are worked out by hand from the zones' rules. */

#include <string.h>

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-requests.h"
#include "common/e-hubspot-tz.h"

#define NOW_2026 1767225600	/* 2026-01-01T00:00:00Z */

/* Helpers */

static gboolean saw_unknown_tzid_debug;

/* Records the mapping's "unknown TZID" debug message; the rest goes on. */
static GLogWriterOutput
test_log_writer (GLogLevelFlags log_level,
		 const GLogField *fields,
		 gsize n_fields,
		 gpointer user_data)
{
	gsize ii;

	if (log_level & G_LOG_LEVEL_DEBUG) {
		for (ii = 0; ii < n_fields; ii++) {
			if (g_strcmp0 (fields[ii].key, "MESSAGE") == 0 && fields[ii].length < 0 &&
			    strstr (fields[ii].value, "unknown TZID"))
				saw_unknown_tzid_debug = TRUE;
		}
		return G_LOG_WRITER_HANDLED;
	}

	return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
context_init (EHubSpotMappingContext *context)
{
	memset (context, 0, sizeof (EHubSpotMappingContext));
	context->owner_id = "31337";
	context->now = NOW_2026;
}

static ICalComponent *
event_new (const gchar *lines)
{
	g_autofree gchar *text = NULL;
	ICalComponent *vevent;

	text = g_strconcat (
		"BEGIN:VEVENT\n"
		"UID:test@example.com\n"
		"DTSTAMP:20260101T000000Z\n",
		lines,
		"END:VEVENT\n", NULL);

	vevent = i_cal_component_new_from_string (text);
	g_assert_nonnull (vevent);
	g_assert_cmpint (i_cal_component_isa (vevent), ==, I_CAL_VEVENT_COMPONENT);

	return vevent;
}

typedef struct {
	JsonNode *node;
	JsonObject *root;
	JsonObject *props;
} Built;

static void
built_clear (Built *built)
{
	g_clear_pointer (&built->node, json_node_unref);
	built->root = NULL;
	built->props = NULL;
}

static void
build_event_ok (ICalComponent *vevent,
		const EHubSpotMappingContext *context,
		Built *built)
{
	GError *error = NULL;

	built->node = e_hubspot_mapping_build_meeting (vevent, context, &error);
	g_assert_no_error (error);
	g_assert_nonnull (built->node);
	g_assert_true (JSON_NODE_HOLDS_OBJECT (built->node));

	built->root = json_node_get_object (built->node);
	g_assert_true (json_object_has_member (built->root, "properties"));
	built->props = json_object_get_object_member (built->root, "properties");
	g_assert_nonnull (built->props);
}

static void
build_ok (const gchar *lines,
	  const EHubSpotMappingContext *context,
	  Built *built)
{
	ICalComponent *vevent = event_new (lines);

	build_event_ok (vevent, context, built);
	g_object_unref (vevent);
}

static void
build_fails (const gchar *lines,
	     const EHubSpotMappingContext *context,
	     gint code,
	     const gchar *message)
{
	ICalComponent *vevent = event_new (lines);
	GError *error = NULL;
	JsonNode *node;

	node = e_hubspot_mapping_build_meeting (vevent, context, &error);
	g_assert_null (node);
	g_assert_error (error, E_HUBSPOT_ERROR, code);
	if (message)
		g_assert_cmpstr (error->message, ==, message);
	g_clear_error (&error);
	g_object_unref (vevent);
}

/* @expected NULL: the member must be absent. */
static void
assert_prop (const Built *built,
	     const gchar *name,
	     const gchar *expected)
{
	if (!expected) {
		g_assert_false (json_object_has_member (built->props, name));
		return;
	}

	g_assert_true (json_object_has_member (built->props, name));
	g_assert_cmpstr (json_object_get_string_member (built->props, name), ==, expected);
}

static void
assert_times (const Built *built,
	      const gchar *start,
	      const gchar *end,
	      const gchar *timezone)
{
	assert_prop (built, "hs_meeting_start_time", start);
	assert_prop (built, "hs_timestamp", start);
	assert_prop (built, "hs_meeting_end_time", end);
	g_assert_cmpstr (json_object_get_string_member (built->root, "timezone"), ==, timezone);
}

static ICalTimezone *
builtin (const gchar *location)
{
	ICalTimezone *zone = i_cal_timezone_get_builtin_timezone (location);

	g_assert_nonnull (zone);
	return zone;
}

/* A resolver over the VTIMEZONEs of one VCALENDAR, like the backend's
 * over its cache: it keeps the zones it hands out. */
typedef struct {
	ICalComponent *vcalendar;
	GHashTable *zones;
	guint n_calls;
} VCalResolver;

static ICalTimezone *
vcal_resolve (const gchar *tzid,
	      gpointer user_data)
{
	VCalResolver *resolver = user_data;
	ICalTimezone *zone;

	resolver->n_calls++;

	zone = g_hash_table_lookup (resolver->zones, tzid);
	if (!zone) {
		zone = i_cal_component_get_timezone (resolver->vcalendar, tzid);
		if (zone)
			g_hash_table_insert (resolver->zones, g_strdup (tzid), zone);
	}

	return zone;
}

static ICalComponent *
vcal_resolver_init (VCalResolver *resolver,
		    const gchar *vcalendar_text)
{
	resolver->vcalendar = i_cal_component_new_from_string (vcalendar_text);
	g_assert_nonnull (resolver->vcalendar);
	resolver->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
	resolver->n_calls = 0;

	return i_cal_component_get_first_component (resolver->vcalendar, I_CAL_VEVENT_COMPONENT);
}

static void
vcal_resolver_clear (VCalResolver *resolver)
{
	g_clear_pointer (&resolver->zones, g_hash_table_destroy);
	g_clear_object (&resolver->vcalendar);
}

/* Table-driven cases from a key file in data/: one GTest per group. */
typedef struct {
	GKeyFile *keys;
	gchar *group;
} KeyCase;

static GPtrArray *key_cases;

static void
key_case_free (gpointer data)
{
	KeyCase *kc = data;

	g_key_file_unref (kc->keys);
	g_free (kc->group);
	g_free (kc);
}

/* NULL when the key is absent. */
static gchar *
key_case_dup (const KeyCase *kc,
	      const gchar *key)
{
	return g_key_file_get_string (kc->keys, kc->group, key, NULL);
}

static void
add_key_cases (const gchar *filename,
	       const gchar *path_prefix,
	       GTestDataFunc func)
{
	g_autofree gchar *path = g_test_build_filename (G_TEST_DIST, "data", filename, NULL);
	GKeyFile *keys = g_key_file_new ();
	GError *error = NULL;
	gchar **groups;
	guint ii;

	g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &error);
	g_assert_no_error (error);

	groups = g_key_file_get_groups (keys, NULL);
	for (ii = 0; groups[ii]; ii++) {
		g_autofree gchar *test_path = g_strconcat (path_prefix, groups[ii], NULL);
		KeyCase *kc = g_new0 (KeyCase, 1);

		kc->keys = g_key_file_ref (keys);
		kc->group = groups[ii];
		g_ptr_array_add (key_cases, kc);
		g_test_add_data_func (test_path, kc, func);
	}

	g_free (groups);
	g_key_file_unref (keys);
}

/* The body's shape, the owner */

static void
test_body_shape (void)
{
	EHubSpotMappingContext context;
	JsonObject *schedule;
	Built built = { 0 };

	context_init (&context);
	context.include_invite_description = TRUE;

	build_ok ("DTSTART:20260615T080000Z\nDTEND:20260615T090000Z\nSUMMARY:Kick-off\n", &context, &built);

	g_assert_cmpuint (json_object_get_size (built.root), ==, 4);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (built.root, "associations")), ==, 0);
	schedule = json_object_get_object_member (built.root, "emailReminderSchedule");
	g_assert_nonnull (schedule);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (schedule, "reminders")), ==, 0);
	g_assert_true (json_object_get_boolean_member (schedule, "shouldIncludeInviteDescription"));

	assert_prop (&built, "hubspot_owner_id", "31337");
	assert_prop (&built, "hs_meeting_title", "Kick-off");
	assert_prop (&built, "hs_meeting_outcome", "SCHEDULED");
	assert_times (&built, "2026-06-15T08:00:00Z", "2026-06-15T09:00:00Z", "UTC");
	/* Nothing optional without a source for it. */
	g_assert_cmpuint (json_object_get_size (built.props), ==, 6);
	g_assert_false (json_object_has_member (built.props, "hs_attendee_owner_ids"));
	built_clear (&built);

	context.include_invite_description = FALSE;
	build_ok ("DTSTART:20260615T080000Z\n", &context, &built);
	schedule = json_object_get_object_member (built.root, "emailReminderSchedule");
	g_assert_false (json_object_get_boolean_member (schedule, "shouldIncludeInviteDescription"));
	built_clear (&built);
}

static void
test_owner_missing (void)
{
	EHubSpotMappingContext context;

	context_init (&context);
	context.owner_id = NULL;
	build_fails ("DTSTART:20260615T080000Z\n", &context, E_HUBSPOT_ERROR_INVALID_SETTINGS, NULL);

	context.owner_id = "";
	build_fails ("DTSTART:20260615T080000Z\n", &context, E_HUBSPOT_ERROR_INVALID_SETTINGS, NULL);
}

/* Times and zones */

/* data/time-cases.ini */
static void
test_time_case (gconstpointer data)
{
	const KeyCase *kc = data;
	g_autofree gchar *calendar_zone = key_case_dup (kc, "calendar-zone");
	g_autofree gchar *lines = key_case_dup (kc, "lines");
	g_autofree gchar *start = key_case_dup (kc, "start");
	g_autofree gchar *end = key_case_dup (kc, "end");
	g_autofree gchar *timezone = key_case_dup (kc, "timezone");
	EHubSpotMappingContext context;
	Built built = { 0 };

	context_init (&context);
	if (calendar_zone)
		context.calendar_zone = builtin (calendar_zone);

	build_ok (lines, &context, &built);
	assert_times (&built, start, end, timezone);
	built_clear (&built);
}

static void
test_tz_windows_names (void)
{
	g_autofree gchar *path = g_test_build_filename (G_TEST_DIST, "data", "tz-names.ini", NULL);
	g_auto(GStrv) names = NULL;
	GKeyFile *keys = g_key_file_new ();
	GError *error = NULL;
	guint ii, n;

	g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &error);
	g_assert_no_error (error);
	names = g_key_file_get_keys (keys, "names", NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (g_strv_length (names), >, 20);

	for (ii = 0; names[ii]; ii++) {
		g_autofree gchar *expected = g_key_file_get_string (keys, "names", names[ii], NULL);

		g_assert_cmpstr (e_hubspot_tz_match_name (names[ii]), ==, *expected ? expected : NULL);
	}
	g_assert_null (e_hubspot_tz_match_name (""));
	g_assert_null (e_hubspot_tz_match_name (NULL));
	g_key_file_unref (keys);

	/* Every row of the table names a zone the system has. */
	n = e_hubspot_tz_get_n_windows_zones ();
	g_assert_cmpuint (n, >=, 130);
	for (ii = 0; ii < n; ii++) {
		const gchar *windows = NULL, *iana = NULL;

		e_hubspot_tz_get_windows_zone (ii, &windows, &iana);
		if (!e_hubspot_tz_get_builtin_zone (iana))
			g_error ("'%s' -> '%s': no such zone here", windows, iana);
	}
}

/* The system's zone database: where libical reads zones from. */
static gchar *
zoneinfo_path (const gchar *name)
{
	const gchar *dir = g_getenv ("TZDIR");

	return g_build_filename (dir && *dir ? dir : "/usr/share/zoneinfo", name, NULL);
}

/* The zones of tzdata.zi ("Z" lines) and the locations of zone.tab and
 * zone1970.tab; NULL when the system has no tzdata.zi. */
static GHashTable *
read_canonical_zones (void)
{
	static const gchar *tabs[] = { "zone.tab", "zone1970.tab" };
	g_autofree gchar *zi_path = zoneinfo_path ("tzdata.zi");
	g_autofree gchar *zi = NULL;
	g_auto(GStrv) lines = NULL;
	GHashTable *zones;
	guint ii, tt;

	if (!g_file_get_contents (zi_path, &zi, NULL, NULL))
		return NULL;

	zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit (zi, "\n", -1);
	for (ii = 0; lines[ii]; ii++) {
		if (g_str_has_prefix (lines[ii], "Z ")) {
			g_auto(GStrv) fields = g_strsplit (lines[ii], " ", 3);

			g_hash_table_add (zones, g_strdup (fields[1]));
		}
	}

	for (tt = 0; tt < G_N_ELEMENTS (tabs); tt++) {
		g_autofree gchar *tab_path = zoneinfo_path (tabs[tt]);
		g_autofree gchar *tab = NULL;
		g_auto(GStrv) tab_lines = NULL;

		if (!g_file_get_contents (tab_path, &tab, NULL, NULL))
			continue;

		tab_lines = g_strsplit (tab, "\n", -1);
		for (ii = 0; tab_lines[ii]; ii++) {
			g_auto(GStrv) fields = g_strsplit (tab_lines[ii], "\t", 4);

			if (*tab_lines[ii] != '#' && g_strv_length (fields) >= 3)
				g_hash_table_add (zones, g_strdup (fields[2]));
		}
	}

	return zones;
}

/* A name the code hands out: HubSpot gets it, and times are worked out in
 * its zone, on whatever system the backend runs.  So it must be a current
 * IANA name: a file of the system's zoneinfo (Debian 13 and Ubuntu since
 * 23.10 install old names only with tzdata-legacy, which desktops lack),
 * no old name of the alias table, and, where the system has tzdata.zi, a
 * zone of it or a zone.tab location (not a link kept for compatibility).
 * "UTC" is the one exception: libical's own zone, never read from files. */
static void
check_canonical (GString *problems,
		 GHashTable *canonical,
		 const gchar *what,
		 const gchar *name)
{
	g_autofree gchar *path = NULL;

	if (!name) {
		g_string_append_printf (problems, "%s: no zone\n", what);
		return;
	}

	if (g_strcmp0 (name, "UTC") == 0)
		return;

	path = zoneinfo_path (name);
	if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
		g_string_append_printf (problems, "%s -> '%s': no %s here\n", what, name, path);
	else if (!e_hubspot_tz_get_builtin_zone (name))
		g_string_append_printf (problems, "%s -> '%s': libical does not load it\n", what, name);

	if (g_strcmp0 (e_hubspot_tz_canonical_name (name), name) != 0)
		g_string_append_printf (problems, "%s -> '%s': an old name of '%s'\n", what, name,
			e_hubspot_tz_canonical_name (name));
	else if (canonical && !g_hash_table_contains (canonical, name))
		g_string_append_printf (problems, "%s -> '%s': a link in tzdata.zi, not a zone\n", what, name);
}

/* Every name the tables can hand out, against this system's tzdata. */
static void
test_tz_canonical (void)
{
	g_autoptr(GString) problems = g_string_new (NULL);
	GHashTable *canonical = read_canonical_zones ();
	guint ii, n;

	if (!canonical)
		g_test_message ("no tzdata.zi here: checking the zoneinfo files only");

	n = e_hubspot_tz_get_n_windows_zones ();
	for (ii = 0; ii < n; ii++) {
		const gchar *windows = NULL, *iana = NULL;
		g_autofree gchar *what = NULL;

		e_hubspot_tz_get_windows_zone (ii, &windows, &iana);
		what = g_strdup_printf ("Windows '%s'", windows);
		check_canonical (problems, canonical, what, e_hubspot_tz_match_name (windows));
		/* "Etc/UTC" is sent as "UTC"; every other row as it is. */
		if (g_strcmp0 (iana, "Etc/UTC") != 0)
			check_canonical (problems, canonical, what, iana);
	}

	n = e_hubspot_tz_get_n_preferred_zones ();
	g_assert_cmpuint (n, >, 10);
	for (ii = 0; ii < n; ii++)
		check_canonical (problems, canonical, "preferred", e_hubspot_tz_get_preferred_zone (ii));

	/* Old names, as TZIDs, by themselves, behind a vendor prefix, and as
	 * the calendar's zone: their current name, whether the system has
	 * the old one (tzdata-legacy) or not. */
	n = e_hubspot_tz_get_n_aliases ();
	g_assert_cmpuint (n, >, 100);
	for (ii = 0; ii < n; ii++) {
		const gchar *alias = NULL, *name = NULL;
		g_autofree gchar *what = NULL, *prefixed = NULL;

		e_hubspot_tz_get_alias (ii, &alias, &name);
		what = g_strdup_printf ("old name '%s'", alias);
		check_canonical (problems, canonical, what, name);
		if (g_strcmp0 (e_hubspot_tz_match_name (alias), name) != 0)
			g_string_append_printf (problems, "%s: matched as '%s', not '%s'\n", what,
				e_hubspot_tz_match_name (alias), name);

		prefixed = g_strconcat ("/softwarestudio.org/Olson_20011030_5/", alias, NULL);
		if (g_strcmp0 (e_hubspot_tz_match_name (prefixed), name) != 0)
			g_string_append_printf (problems, "'%s': matched as '%s', not '%s'\n", prefixed,
				e_hubspot_tz_match_name (prefixed), name);

		if (e_hubspot_tz_get_builtin_zone (alias) != e_hubspot_tz_get_builtin_zone (name))
			g_string_append_printf (problems, "%s: not the zone of '%s'\n", what, name);

		/* Sorted for bsearch(), case-insensitively. */
		if (ii > 0) {
			const gchar *previous = NULL;

			e_hubspot_tz_get_alias (ii - 1, &previous, NULL);
			if (g_ascii_strcasecmp (previous, alias) >= 0)
				g_string_append_printf (problems, "alias table: '%s' before '%s'\n", previous, alias);
		}
	}

	g_clear_pointer (&canonical, g_hash_table_unref);

	if (problems->len > 0)
		g_error ("zone names this system lacks or that are not current:\n%s", problems->str);
}

static const gchar *
guess_from_vtimezone (const gchar *standard,
		      const gchar *daylight,
		      gint year)
{
	g_autofree gchar *text = NULL;
	ICalComponent *vcalendar;
	ICalTimezone *zone;
	const gchar *guess;

	text = g_strdup_printf (
		"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n"
		"BEGIN:VTIMEZONE\nTZID:Somewhere\n%s%s"
		"END:VTIMEZONE\nEND:VCALENDAR\n", standard, daylight ? daylight : "");
	vcalendar = i_cal_component_new_from_string (text);
	zone = i_cal_component_get_timezone (vcalendar, "Somewhere");
	g_assert_nonnull (zone);

	guess = e_hubspot_tz_guess_location (zone, year);

	g_object_unref (zone);
	g_object_unref (vcalendar);

	return guess;
}

#define OBSERVANCE(kind, start, rule, from, to) \
	"BEGIN:" kind "\nDTSTART:" start "\n" rule "TZOFFSETFROM:" from "\nTZOFFSETTO:" to "\nEND:" kind "\n"

static void
test_tz_guess (void)
{
	/* US rules since 2007: Los Angeles, not Tijuana (same offsets). */
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "20071104T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\n", "-0700", "-0800"),
		OBSERVANCE ("DAYLIGHT", "20070311T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\n", "-0800", "-0700"),
		2026), ==, "America/Los_Angeles");
	/* New York and Havana share offsets; Havana is not the usual meeting place. */
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "20071104T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\n", "-0400", "-0500"),
		OBSERVANCE ("DAYLIGHT", "20070311T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\n", "-0500", "-0400"),
		2026), ==, "America/New_York");
	/* Europe's rules */
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n", "+0200", "+0100"),
		OBSERVANCE ("DAYLIGHT", "19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n", "+0100", "+0200"),
		2026), ==, "Europe/Berlin");
	/* Southern hemisphere */
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "20080406T030000", "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\n", "+1100", "+1000"),
		OBSERVANCE ("DAYLIGHT", "20081005T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\n", "+1000", "+1100"),
		2026), ==, "Australia/Sydney");
	/* Fixed offsets */
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "19700101T000000", "", "+0530", "+0530"), NULL, 2026), ==, "Asia/Kolkata");
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "19700101T000000", "", "+0000", "+0000"), NULL, 2026), ==, "UTC");
	g_assert_cmpstr (guess_from_vtimezone (
		OBSERVANCE ("STANDARD", "19700101T000000", "", "+1337", "+1337"), NULL, 2026), ==, NULL);
	g_assert_null (e_hubspot_tz_guess_location (NULL, 2026));
}

/* data/custom-zones.ics: "Company Time" has summer time from the first
 * Sunday of March, not Europe's rule, so the times prove that the
 * VTIMEZONE's own rules are used; its January and July offsets still
 * match Europe/Berlin.  "Paris (custom)" names itself in X-LIC-LOCATION. */
static void
test_time_custom_vtimezone (void)
{
	g_autofree gchar *text = NULL;
	GError *error = NULL;
	EHubSpotMappingContext context;
	VCalResolver resolver;
	ICalComponent *vevent;
	ICalProperty *prop;
	ICalTimezone *zone;
	Built built = { 0 };
	gchar *name;

	context_init (&context);
	context.calendar_zone = builtin ("America/New_York");
	context.resolve_tzid = vcal_resolve;
	context.resolve_tzid_data = &resolver;

	g_file_get_contents (g_test_get_filename (G_TEST_DIST, "data", "custom-zones.ics", NULL), &text, NULL, &error);
	g_assert_no_error (error);
	vevent = vcal_resolver_init (&resolver, text);
	g_assert_nonnull (vevent);

	/* March 15 is summer time in "Company Time" (UTC+2), not in Berlin. */
	build_event_ok (vevent, &context, &built);
	assert_times (&built, "2026-03-15T08:00:00Z", "2026-03-15T09:00:00Z", "Europe/Berlin");
	g_assert_cmpuint (resolver.n_calls, >, 0);
	built_clear (&built);

	/* X-LIC-LOCATION names the zone. */
	prop = i_cal_component_get_first_property (vevent, I_CAL_DTEND_PROPERTY);
	i_cal_component_remove_property (vevent, prop);
	g_object_unref (prop);
	prop = i_cal_component_get_first_property (vevent, I_CAL_DTSTART_PROPERTY);
	i_cal_property_set_parameter_from_string (prop, "TZID", "Paris (custom)");
	g_object_unref (prop);
	build_event_ok (vevent, &context, &built);
	/* March 15 is winter time in Paris: UTC+1. */
	assert_times (&built, "2026-03-15T09:00:00Z", "2026-03-15T09:00:00Z", "Europe/Paris");
	built_clear (&built);

	zone = vcal_resolve ("Company Time", &resolver);
	name = e_hubspot_mapping_iana_zone_name (zone, "Company Time");
	g_assert_cmpstr (name, ==, "Europe/Berlin");
	g_free (name);

	g_object_unref (vevent);
	vcal_resolver_clear (&resolver);
}

/* An unknown TZID is not an error, but it is worth a debug line. */
static void
test_time_unknown_tzid_logged (void)
{
	EHubSpotMappingContext context;
	Built built = { 0 };

	context_init (&context);

	saw_unknown_tzid_debug = FALSE;
	build_ok ("DTSTART;TZID=Nowhere/Special:20260115T090000\n", &context, &built);
	g_assert_true (saw_unknown_tzid_debug);
	built_clear (&built);

	saw_unknown_tzid_debug = FALSE;
	build_ok ("DTSTART;TZID=Europe/Berlin:20260115T090000\n", &context, &built);
	g_assert_false (saw_unknown_tzid_debug);
	built_clear (&built);
}
/* One property at a time */

#define AT_8 "DTSTART:20260615T080000Z\n"

/* data/property-cases.ini */
static void
test_prop_case (gconstpointer data)
{
	const gchar *types[] = { "Discovery call", "Demo", NULL };
	const KeyCase *kc = data;
	g_autofree gchar *lines = key_case_dup (kc, "lines");
	g_autofree gchar *member = key_case_dup (kc, "member");
	g_autofree gchar *expected = key_case_dup (kc, "expected");
	g_autofree gchar *member2 = key_case_dup (kc, "member2");
	g_autofree gchar *expected2 = key_case_dup (kc, "expected2");
	g_autofree gchar *activity_type = key_case_dup (kc, "activity-type");
	EHubSpotMappingContext context;
	Built built = { 0 };

	context_init (&context);
	context.activity_type = activity_type;
	if (g_key_file_get_boolean (kc->keys, kc->group, "meeting-types", NULL))
		context.meeting_types = types;

	build_ok (lines, &context, &built);
	assert_prop (&built, member, expected);
	if (member2)
		assert_prop (&built, member2, expected2);
	built_clear (&built);
}

/* Line breaks that the file format cannot carry unescaped. */
static void
test_body_line_breaks (void)
{
	EHubSpotMappingContext context;
	ICalComponent *vevent;
	Built built = { 0 };

	context_init (&context);
	vevent = event_new (AT_8);
	i_cal_component_set_description (vevent, "one\r\ntwo\nthree\rfour");
	build_event_ok (vevent, &context, &built);
	assert_prop (&built, "hs_meeting_body", "one<br>two<br>three<br>four");
	built_clear (&built);
	g_object_unref (vevent);
}

/* Reminders */

static gchar *
valarm_text (const gchar *action,
	     const gchar *trigger_line)
{
	return g_strdup_printf ("BEGIN:VALARM\nACTION:%s\n%s\nDESCRIPTION:x\nEND:VALARM\n", action, trigger_line);
}

/* @expected: "15 MINUTES,2 HOURS", or "" for none. */
static void
assert_reminders (const gchar *alarms,
		  gboolean map_all,
		  const gchar *expected)
{
	EHubSpotMappingContext context;
	g_autofree gchar *lines = NULL;
	GString *got = g_string_new ("");
	JsonObject *schedule;
	JsonArray *reminders;
	Built built = { 0 };
	guint ii;

	context_init (&context);
	context.map_all_alarms = map_all;

	lines = g_strconcat ("DTSTART:20260615T080000Z\nDTEND:20260615T090000Z\n", alarms, NULL);
	build_ok (lines, &context, &built);

	schedule = json_object_get_object_member (built.root, "emailReminderSchedule");
	reminders = json_object_get_array_member (schedule, "reminders");
	for (ii = 0; ii < json_array_get_length (reminders); ii++) {
		JsonObject *reminder = json_array_get_object_element (reminders, ii);

		g_assert_cmpuint (json_object_get_size (reminder), ==, 2);
		g_string_append_printf (got, "%s%" G_GINT64_FORMAT " %s", ii ? "," : "",
			json_object_get_int_member (reminder, "numberOfTimeUnits"),
			json_object_get_string_member (reminder, "timeUnit"));
	}

	g_assert_cmpstr (got->str, ==, expected);
	g_string_free (got, TRUE);
	built_clear (&built);
}

/* data/reminder-cases.ini */
static void
test_reminder_case (gconstpointer data)
{
	const KeyCase *kc = data;
	g_autofree gchar *trigger = key_case_dup (kc, "trigger");
	g_autofree gchar *expected = key_case_dup (kc, "expected");
	g_autofree gchar *alarms = valarm_text ("EMAIL", trigger);

	assert_reminders (alarms, FALSE, expected);
}

static void
test_reminder_selection (void)
{
	g_autofree gchar *email15 = valarm_text ("EMAIL", "TRIGGER:-PT15M");
	g_autofree gchar *email60 = valarm_text ("EMAIL", "TRIGGER:-PT60M");
	g_autofree gchar *email1h = valarm_text ("EMAIL", "TRIGGER:-PT1H");
	g_autofree gchar *display10 = valarm_text ("DISPLAY", "TRIGGER:-PT10M");
	g_autofree gchar *audio1d = valarm_text ("AUDIO", "TRIGGER:-P1D");
	g_autofree gchar *all = NULL;

	all = g_strconcat (email15, display10, email60, audio1d, email1h,
		"BEGIN:VALARM\nTRIGGER:-PT20M\nEND:VALARM\n", NULL);

	/* Display and audio alarms are the user's own business... */
	assert_reminders (all, FALSE, "15 MINUTES,1 HOURS");
	/* ...unless the calendar says to map them all. */
	assert_reminders (all, TRUE, "15 MINUTES,10 MINUTES,1 HOURS,1 DAYS,20 MINUTES");
	assert_reminders ("", FALSE, "");
}

/* Bad input */

typedef struct {
	const gchar *name;
	const gchar *lines;
	const gchar *message;	/* NULL: any message */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
	{ "no-dtstart", "SUMMARY:No start\n", "The event has no start time" },
	{ "ends-before-start", "DTSTART:20260615T090000Z\nDTEND:20260615T080000Z\n", "The event ends before it starts" },
	{ "negative-duration", "DTSTART:20260615T090000Z\nDURATION:-PT1H\n", "The event ends before it starts" },
	/* libical drops a value it cannot parse and leaves an X-LIC-ERROR */
	{ "unparsable-dtstart", "DTSTART:tomorrow at nine\n", "The event has no start time" },
	/* ...but takes these, which must not be normalized into other dates */
	{ "impossible-date", "DTSTART;VALUE=DATE:20261345\n", NULL },
	{ "impossible-time", "DTSTART:20260615T250000Z\n", NULL },
	{ "dtstart-not-a-time", "DTSTART;VALUE=DURATION:PT1H\n", NULL },
};

static void
test_invalid_case (gconstpointer data)
{
	const InvalidCase *ic = data;
	EHubSpotMappingContext context;

	context_init (&context);
	build_fails (ic->lines, &context, E_HUBSPOT_ERROR_INVALID_EVENT, ic->message);
}

static void
test_invalid_component (void)
{
	EHubSpotMappingContext context;
	ICalComponent *vtodo;
	GError *error = NULL;

	context_init (&context);

	g_assert_null (e_hubspot_mapping_build_meeting (NULL, &context, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT);
	g_clear_error (&error);

	vtodo = i_cal_component_new_from_string ("BEGIN:VTODO\nUID:t\nDTSTART:20260615T090000Z\nEND:VTODO\n");
	g_assert_null (e_hubspot_mapping_build_meeting (vtodo, &context, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT);
	g_clear_error (&error);
	g_object_unref (vtodo);
}

static void
test_format_utc (void)
{
	const struct {
		gint64 unix_time;
		const gchar *expected;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ NOW_2026, "2026-01-01T00:00:00Z" },
		{ 1774747800, "2026-03-29T01:30:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ G_GINT64_CONSTANT (253402300800), NULL },	/* year 10000 */
		/* Years below 1000 keep four digits (meeting-to-event fuzzing). */
		{ G_GINT64_CONSTANT (-61877919600), "0009-03-02T09:00:00Z" },
		{ G_GINT64_CONSTANT (-62135596800), "0001-01-01T00:00:00Z" },
		{ G_MININT64, NULL },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autofree gchar *text = e_hubspot_mapping_format_utc (cases[ii].unix_time);

		g_assert_cmpstr (text, ==, cases[ii].expected);
	}
}

static void
test_iana_zone_name (void)
{
	const gchar *names[][3] = {
		/* zone, tzid, expected */
		{ "Europe/Paris", NULL, "Europe/Paris" },
		{ "America/New_York", "Eastern Standard Time", "America/New_York" },
		{ NULL, "W. Europe Standard Time", "Europe/Berlin" },
		{ NULL, "Tokyo Standard Time", "Asia/Tokyo" },
		{ NULL, "Nowhere/Special", NULL },
		{ NULL, NULL, NULL },
	};
	guint ii;
	gchar *name;

	for (ii = 0; ii < G_N_ELEMENTS (names); ii++) {
		ICalTimezone *zone = names[ii][0] ? builtin (names[ii][0]) : NULL;

		name = e_hubspot_mapping_iana_zone_name (zone, names[ii][1]);
		g_assert_cmpstr (name, ==, names[ii][2]);
		g_free (name);
	}

	name = e_hubspot_mapping_iana_zone_name (i_cal_timezone_get_utc_timezone (), NULL);
	g_assert_cmpstr (name, ==, "UTC");
	g_free (name);
}

/* HubSpot's answer */

static JsonNode *
json_parse (const gchar *text)
{
	GError *error = NULL;
	JsonNode *node = json_from_string (text, &error);

	g_assert_no_error (error);
	return node;
}

static void
test_response_good (void)
{
	EHubSpotMeetingResult result = { 0 };
	GError *error = NULL;
	JsonNode *node;

	node = json_parse ("{\"id\":\"512\",\"createdAt\":\"2026-01-01T00:00:00Z\","
		"\"properties\":{\"hs_meeting_external_url\":\"https://meet.example.com/x\"}}");
	g_assert_true (e_hubspot_mapping_parse_meeting_response (node, "app-eu1.hubspot.com", "4711", &result, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (result.meeting_id, ==, "512");
	g_assert_cmpstr (result.external_url, ==, "https://meet.example.com/x");
	g_assert_cmpstr (result.record_url, ==, "https://app-eu1.hubspot.com/contacts/4711/record/0-47/512");
	e_hubspot_meeting_result_clear (&result);
	g_assert_null (result.meeting_id);
	json_node_unref (node);

	/* A number id, no external URL, no account details. */
	node = json_parse ("{\"id\":98765432101,\"properties\":{\"hs_engagement_source\":\"x\"}}");
	g_assert_true (e_hubspot_mapping_parse_meeting_response (node, NULL, "4711", &result, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (result.meeting_id, ==, "98765432101");
	g_assert_null (result.external_url);
	g_assert_null (result.record_url);
	e_hubspot_meeting_result_clear (&result);
	json_node_unref (node);

	/* Wrongly typed optional members are ignored. */
	node = json_parse ("{\"id\":\"7\",\"properties\":{\"hs_meeting_external_url\":42}}");
	g_assert_true (e_hubspot_mapping_parse_meeting_response (node, "app.hubspot.com", "1", &result, &error));
	g_assert_cmpstr (result.meeting_id, ==, "7");
	g_assert_null (result.external_url);
	g_assert_cmpstr (result.record_url, ==, "https://app.hubspot.com/contacts/1/record/0-47/7");
	e_hubspot_meeting_result_clear (&result);
	json_node_unref (node);

	node = json_parse ("{\"id\":\"8\",\"properties\":\"not an object\"}");
	g_assert_true (e_hubspot_mapping_parse_meeting_response (node, NULL, NULL, &result, &error));
	g_assert_cmpstr (result.meeting_id, ==, "8");
	g_assert_null (result.external_url);
	e_hubspot_meeting_result_clear (&result);
	json_node_unref (node);
}

static void
test_response_bad (void)
{
	const gchar *answers[] = {
		"{\"properties\":{\"hs_meeting_external_url\":\"https://x\"}}",
		"{\"id\":\"\"}",
		"{\"id\":null}",
		"{\"id\":true}",
		"{\"id\":{\"value\":\"1\"}}",
		"{\"id\":[\"1\"]}",
		"{\"id\":1.5}",
		"[{\"id\":\"1\"}]",
		"\"id\"",
		"null",
	};
	guint ii;

	for (ii = 0; ii <= G_N_ELEMENTS (answers); ii++) {
		EHubSpotMeetingResult result = { 0 };
		GError *error = NULL;
		JsonNode *node = ii < G_N_ELEMENTS (answers) ? json_parse (answers[ii]) : NULL;

		g_assert_false (e_hubspot_mapping_parse_meeting_response (node, "app.hubspot.com", "1", &result, &error));
		g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
		g_assert_null (result.meeting_id);
		g_assert_null (result.record_url);
		g_clear_error (&error);
		g_clear_pointer (&node, json_node_unref);
	}
}

/* Write-back */

static guint
count_properties (ICalComponent *comp,
		  ICalPropertyKind kind,
		  const gchar *x_name)
{
	ICalProperty *prop;
	guint count = 0;

	for (prop = i_cal_component_get_first_property (comp, kind);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (comp, kind)) {
		if (!x_name || g_strcmp0 (i_cal_property_get_x_name (prop), x_name) == 0)
			count++;
	}

	return count;
}

static gchar *
dup_url (ICalComponent *vevent)
{
	ICalProperty *prop = i_cal_component_get_first_property (vevent, I_CAL_URL_PROPERTY);
	gchar *url;

	if (!prop)
		return NULL;

	url = g_strdup (i_cal_property_get_url (prop));
	g_object_unref (prop);

	return url;
}

static void
assert_x (ICalComponent *vevent,
	  const gchar *name,
	  const gchar *expected)
{
	g_autofree gchar *value = e_hubspot_mapping_dup_x_property (vevent, name);

	g_assert_cmpstr (value, ==, expected);
	g_assert_cmpuint (count_properties (vevent, I_CAL_X_PROPERTY, name), ==, expected ? 1 : 0);
}

static void
test_apply_no_url (void)
{
	EHubSpotMeetingResult result = {
		(gchar *) "512", NULL, (gchar *) "https://app.hubspot.com/contacts/1/record/0-47/512"
	};
	ICalComponent *vevent = event_new ("DTSTART:20260615T080000Z\n");
	g_autofree gchar *url = NULL;

	e_hubspot_mapping_set_sync_state (vevent, "failed", "HubSpot answered 500: oops");
	e_hubspot_mapping_apply_result (vevent, &result);

	url = dup_url (vevent);
	g_assert_cmpstr (url, ==, "https://app.hubspot.com/contacts/1/record/0-47/512");
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_ID, "512");
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_URL, "https://app.hubspot.com/contacts/1/record/0-47/512");
	assert_x (vevent, E_HUBSPOT_PROP_RECORD_URL, "https://app.hubspot.com/contacts/1/record/0-47/512");
	assert_x (vevent, E_HUBSPOT_PROP_SYNC_STATE, "synced");
	assert_x (vevent, E_HUBSPOT_PROP_ERROR, NULL);

	g_object_unref (vevent);
}

static void
test_apply_user_url (void)
{
	EHubSpotMeetingResult result = {
		(gchar *) "512", (gchar *) "https://meet.example.com/x", (gchar *) "https://app.hubspot.com/contacts/1/record/0-47/512"
	};
	ICalComponent *vevent = event_new ("DTSTART:20260615T080000Z\nURL:https://intranet.example.com/agenda\n");
	g_autofree gchar *url = NULL;

	e_hubspot_mapping_apply_result (vevent, &result);

	url = dup_url (vevent);
	g_assert_cmpstr (url, ==, "https://intranet.example.com/agenda");
	g_assert_cmpuint (count_properties (vevent, I_CAL_URL_PROPERTY, NULL), ==, 1);
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_URL, "https://meet.example.com/x");
	assert_x (vevent, E_HUBSPOT_PROP_RECORD_URL, "https://app.hubspot.com/contacts/1/record/0-47/512");

	g_object_unref (vevent);
}

static void
test_apply_idempotent (void)
{
	EHubSpotMeetingResult first = {
		(gchar *) "512", NULL, (gchar *) "https://app.hubspot.com/contacts/1/record/0-47/512"
	};
	EHubSpotMeetingResult second = {
		(gchar *) "512", (gchar *) "https://meet.example.com/x", (gchar *) "https://app.hubspot.com/contacts/1/record/0-47/512"
	};
	ICalComponent *vevent = event_new ("DTSTART:20260615T080000Z\n");
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *url = NULL;

	e_hubspot_mapping_apply_result (vevent, &first);
	before = i_cal_component_as_ical_string (vevent);
	e_hubspot_mapping_apply_result (vevent, &first);
	after = i_cal_component_as_ical_string (vevent);
	g_assert_cmpstr (before, ==, after);

	/* The URL we set is ours to update when a better link comes. */
	e_hubspot_mapping_apply_result (vevent, &second);
	e_hubspot_mapping_apply_result (vevent, &second);
	url = dup_url (vevent);
	g_assert_cmpstr (url, ==, "https://meet.example.com/x");
	g_assert_cmpuint (count_properties (vevent, I_CAL_URL_PROPERTY, NULL), ==, 1);
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_ID, "512");
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_URL, "https://meet.example.com/x");
	assert_x (vevent, E_HUBSPOT_PROP_RECORD_URL, "https://app.hubspot.com/contacts/1/record/0-47/512");
	assert_x (vevent, E_HUBSPOT_PROP_SYNC_STATE, "synced");

	g_object_unref (vevent);
}

static void
test_apply_without_link (void)
{
	EHubSpotMeetingResult result = { (gchar *) "77", NULL, NULL };
	ICalComponent *vevent = event_new ("DTSTART:20260615T080000Z\n");

	e_hubspot_mapping_apply_result (vevent, &result);
	g_assert_cmpuint (count_properties (vevent, I_CAL_URL_PROPERTY, NULL), ==, 0);
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_ID, "77");
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_URL, NULL);
	assert_x (vevent, E_HUBSPOT_PROP_SYNC_STATE, "synced");

	g_object_unref (vevent);
}

static void
test_x_properties (void)
{
	ICalComponent *vevent, *parsed;
	g_autofree gchar *text = NULL;
	const gchar *message = "HubSpot answered 400: bad; very bad, see\nline two \\ done";

	vevent = event_new ("DTSTART:20260615T080000Z\n"
			    "X-HUBSPOT-MEETING-ID:1\n"
			    "X-HUBSPOT-MEETING-ID:2\n"
			    "X-OTHER:keep\n");

	g_assert_cmpuint (count_properties (vevent, I_CAL_X_PROPERTY, E_HUBSPOT_PROP_MEETING_ID), ==, 2);
	{
		g_autofree gchar *first = e_hubspot_mapping_dup_x_property (vevent, E_HUBSPOT_PROP_MEETING_ID);

		g_assert_cmpstr (first, ==, "1");
	}

	e_hubspot_mapping_set_x_property (vevent, E_HUBSPOT_PROP_MEETING_ID, "3");
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_ID, "3");
	assert_x (vevent, "X-OTHER", "keep");

	e_hubspot_mapping_set_x_property (vevent, E_HUBSPOT_PROP_MEETING_ID, NULL);
	assert_x (vevent, E_HUBSPOT_PROP_MEETING_ID, NULL);
	assert_x (vevent, "X-OTHER", "keep");

	/* Values survive a round trip through the file format. */
	e_hubspot_mapping_set_sync_state (vevent, "failed", message);
	text = i_cal_component_as_ical_string (vevent);
	parsed = i_cal_component_new_from_string (text);
	assert_x (parsed, E_HUBSPOT_PROP_SYNC_STATE, "failed");
	assert_x (parsed, E_HUBSPOT_PROP_ERROR, message);
	g_object_unref (parsed);

	e_hubspot_mapping_set_sync_state (vevent, "pending", NULL);
	assert_x (vevent, E_HUBSPOT_PROP_SYNC_STATE, "pending");
	assert_x (vevent, E_HUBSPOT_PROP_ERROR, NULL);

	g_object_unref (vevent);
}

/* The outbox adopts a meeting found by a lookup only when it has every
 * property the create sets: a property the mapping sets must be one the
 * lookup compares (e_hubspot_requests_lookup_properties ()), or the
 * attendees' owners, which the outbox adds and sends again on adoption. */
static void
test_lookup_compares_every_property (void)
{
	EHubSpotMappingContext context;
	const gchar * const *compared = e_hubspot_requests_lookup_properties ();
	Built built = { 0, };
	GList *members, *link;

	context_init (&context);
	context.activity_type = "Demo";
	build_ok ("SUMMARY:Everything\n"
		"DTSTART:20270412T090000Z\n"
		"DTEND:20270412T100000Z\n"
		"DESCRIPTION:Agenda\n"
		"LOCATION:Room 4\n"
		"COMMENT:Internal\n"
		"ATTENDEE;CN=Ann:mailto:ann@example.com\n", &context, &built);

	members = json_object_get_members (built.props);
	g_assert_cmpuint (g_list_length (members), >=, 11);
	for (link = members; link; link = link->next) {
		g_test_message ("%s", (const gchar *) link->data);
		g_assert_true (g_strv_contains (compared, link->data) ||
			g_str_equal (link->data, "hs_attendee_owner_ids"));
	}
	g_list_free (members);
	built_clear (&built);
}

/* What one event sends is bounded (docs/design.md, "Hostile input"): a
 * 10 MB description, a 100,000-character title, 1,000 alarms and 5,000
 * attendees give a body of sane size; the event itself is not touched. */
static void
test_caps (void)
{
	EHubSpotMappingContext context;
	ICalComponent *vevent;
	g_autoptr(GString) long_text = g_string_sized_new (10 * 1024 * 1024);
	g_autofree gchar *title = NULL;
	Built built = { 0 };
	JsonArray *reminders;
	ICalProperty *prop;
	const gchar *body;
	guint ii;

	vevent = event_new ("DTSTART:20260301T090000Z\nDTEND:20260301T100000Z\n");

	/* Escaped characters make the HTML longer than the text. */
	while (long_text->len < 10 * 1024 * 1024)
		g_string_append (long_text, "a<b> & \"c\"\n");
	i_cal_component_take_property (vevent, i_cal_property_new_description (long_text->str));

	title = g_strnfill (100000, 'T');
	i_cal_component_take_property (vevent, i_cal_property_new_summary (title));

	for (ii = 0; ii < 1000; ii++) {
		g_autofree gchar *text = g_strdup_printf ("BEGIN:VALARM\nACTION:EMAIL\nTRIGGER:-PT%uM\n"
			"SUMMARY:x\nDESCRIPTION:x\nATTENDEE:mailto:owner@example.com\nEND:VALARM\n", ii + 1);

		i_cal_component_take_component (vevent, i_cal_component_new_from_string (text));
	}

	for (ii = 0; ii < 5000; ii++) {
		g_autofree gchar *address = g_strdup_printf ("mailto:person%u@example.com", ii);

		i_cal_component_take_property (vevent, i_cal_property_new_attendee (address));
	}

	context_init (&context);
	context.include_attendees = TRUE;
	build_event_ok (vevent, &context, &built);

	body = json_object_get_string_member (built.props, "hs_meeting_body");
	g_assert_cmpint (g_utf8_strlen (body, -1), <=, 65536);
	g_assert_cmpint (g_utf8_strlen (body, -1), >, 30000);
	g_assert_true (g_str_has_suffix (body, "…"));
	g_assert_cmpint (g_utf8_strlen (json_object_get_string_member (built.props, "hs_meeting_title"), -1), ==, 65536);

	reminders = json_object_get_array_member (json_object_get_object_member (built.root, "emailReminderSchedule"),
		"reminders");
	g_assert_cmpuint (json_array_get_length (reminders), ==, 20);

	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (built.root, E_HUBSPOT_ATTENDEES_MEMBER)),
		==, E_HUBSPOT_ATTENDEES_MAX);

	/* The event keeps everything. */
	prop = i_cal_component_get_first_property (vevent, I_CAL_DESCRIPTION_PROPERTY);
	g_assert_cmpuint (strlen (i_cal_property_get_description (prop)), ==, long_text->len);
	g_object_unref (prop);
	g_assert_cmpint (i_cal_component_count_properties (vevent, I_CAL_ATTENDEE_PROPERTY), ==, 5000);

	built_clear (&built);
	g_object_unref (vevent);
}

/* Dates that are none, which libical reads without complaint. */
static void
test_check_dates (void)
{
	const struct {
		const gchar *lines;
		const gchar *refused;	/* the property named, or NULL */
	} cases[] = {
		{ "DTSTART:20260301T090000Z\nDTEND:20260301T100000Z\n", NULL },
		{ "DTSTART;VALUE=DATE:20240229\n", NULL },
		{ "DTSTART:20260301T090000Z\nRRULE:FREQ=DAILY;UNTIL=20260310T000000Z\nEXDATE:20260302T090000Z\n", NULL },
		{ "DTSTART:39941430T220000Z\nDTEND:19970715T230000Z\nRRULE:FREQ=DAILY;COUNT=3\n", "DTSTART" },
		{ "DTSTART;VALUE=DATE:20230229\n", "DTSTART" },
		{ "DTSTART:20260301T090000Z\nDTEND:20260332T100000Z\n", "DTEND" },
		{ "DTSTART:20260301T090000Z\nEXDATE:20261302T090000Z\n", "EXDATE" },
		{ "DTSTART:20260301T090000Z\nRRULE:FREQ=DAILY;UNTIL=20260010T000000Z\n", "RRULE" },
		{ "DTSTART:20260301T250000Z\n", "DTSTART" },
		{ "DTSTART:20260301T090000Z\nRECURRENCE-ID:20260300T090000Z\n", "RECURRENCE-ID" },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		ICalComponent *vevent = event_new (cases[ii].lines);
		g_autoptr(GError) error = NULL;
		gboolean real = e_hubspot_mapping_check_dates (vevent, &error);

		g_test_message ("%s", cases[ii].lines);
		if (cases[ii].refused) {
			g_assert_false (real);
			g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT);
			g_assert_nonnull (strstr (error->message, cases[ii].refused));
		} else {
			g_assert_no_error (error);
			g_assert_true (real);
		}
		g_object_unref (vevent);
	}
}

int
main (int argc,
      char **argv)
{
	gint result;
	guint ii;

	g_test_init (&argc, &argv, NULL);
	g_log_set_writer_func (test_log_writer, NULL, NULL);
	key_cases = g_ptr_array_new_with_free_func (key_case_free);

	g_test_add_func ("/mapping/body/shape", test_body_shape);
	g_test_add_func ("/mapping/body/owner-missing", test_owner_missing);
	add_key_cases ("time-cases.ini", "/mapping/time/", test_time_case);
	g_test_add_func ("/mapping/time/custom-vtimezone", test_time_custom_vtimezone);
	g_test_add_func ("/mapping/time/unknown-tzid-logged", test_time_unknown_tzid_logged);
	g_test_add_func ("/mapping/tz/names", test_tz_windows_names);
	g_test_add_func ("/mapping/tz/canonical", test_tz_canonical);
	g_test_add_func ("/mapping/tz/guess", test_tz_guess);
	g_test_add_func ("/mapping/tz/iana-zone-name", test_iana_zone_name);
	add_key_cases ("property-cases.ini", "/mapping/", test_prop_case);
	g_test_add_func ("/mapping/body/line-breaks", test_body_line_breaks);
	add_key_cases ("reminder-cases.ini", "/mapping/reminders/", test_reminder_case);
	g_test_add_func ("/mapping/reminders/selection", test_reminder_selection);
	for (ii = 0; ii < G_N_ELEMENTS (invalid_cases); ii++) {
		g_autofree gchar *path = g_strconcat ("/mapping/invalid/", invalid_cases[ii].name, NULL);

		g_test_add_data_func (path, &invalid_cases[ii], test_invalid_case);
	}
	g_test_add_func ("/mapping/invalid/component", test_invalid_component);
	g_test_add_func ("/mapping/format-utc", test_format_utc);
	g_test_add_func ("/mapping/response/good", test_response_good);
	g_test_add_func ("/mapping/response/bad", test_response_bad);
	g_test_add_func ("/mapping/apply/no-url", test_apply_no_url);
	g_test_add_func ("/mapping/apply/user-url", test_apply_user_url);
	g_test_add_func ("/mapping/apply/idempotent", test_apply_idempotent);
	g_test_add_func ("/mapping/apply/without-link", test_apply_without_link);
	g_test_add_func ("/mapping/x-properties", test_x_properties);
	g_test_add_func ("/mapping/lookup-compares-every-property", test_lookup_compares_every_property);
	g_test_add_func ("/mapping/caps", test_caps);
	g_test_add_func ("/mapping/check-dates", test_check_dates);

	result = g_test_run ();
	g_ptr_array_unref (key_cases);

	return result;
}
