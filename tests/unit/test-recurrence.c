/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Unit tests of the expansion of a series into its occurrences and of the
 * marks that keep each occurrence's meeting on the master. */

#include <string.h>

#include <libecal/libecal.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-recurrence.h"

#define DAY 86400

/* libical-glib 3.0 declares no autoptr cleanup of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ICalComponent, g_object_unref)

static gint64
utc (const gchar *iso)
{
	g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, zone);

	g_assert_nonnull (dt);
	return g_date_time_to_unix (dt);
}

static ICalComponent *
parse (const gchar *text)
{
	ICalComponent *icomp = i_cal_component_new_from_string (text);

	g_assert_nonnull (icomp);
	return icomp;
}

static void
context_init (EHubSpotMappingContext *context,
	      const gchar *calendar_zone)
{
	memset (context, 0, sizeof (EHubSpotMappingContext));
	context->owner_id = "75000001";
	context->calendar_zone = calendar_zone ? i_cal_timezone_get_builtin_timezone (calendar_zone) : NULL;
	context->now = utc ("2026-01-01T00:00:00Z");
}

/* The UTC start and end HubSpot would get for an occurrence. */
static void
assert_meeting_times (EHubSpotOccurrence *occurrence,
		      const EHubSpotMappingContext *context,
		      const gchar *start,
		      const gchar *end,
		      const gchar *timezone)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = e_hubspot_mapping_build_meeting (occurrence->vevent, context, &error);
	JsonObject *properties;

	g_assert_no_error (error);
	properties = json_object_get_object_member (json_node_get_object (body), "properties");
	g_assert_cmpstr (json_object_get_string_member (properties, "hs_meeting_start_time"), ==, start);
	g_assert_cmpstr (json_object_get_string_member (properties, "hs_meeting_end_time"), ==, end);
	if (timezone)
		g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "timezone"), ==, timezone);
	g_assert_false (e_cal_util_component_has_property (occurrence->vevent, I_CAL_RRULE_PROPERTY));
	g_assert_false (e_cal_util_component_has_property (occurrence->vevent, I_CAL_EXDATE_PROPERTY));
}

#define OCC(array, ii) ((EHubSpotOccurrence *) g_ptr_array_index ((array), (ii)))

/* A date that is none: refused at once, before libical's expansion,
 * which runs for minutes over it (docs/design.md, "Hostile input"). */
static void
test_unreal_dates (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:unreal\r\nSUMMARY:Never\r\n"
		"DTSTART:39941430T220000Z\r\nDTEND:19970715T230000Z\r\n"
		"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
	g_autoptr(ICalComponent) fine = parse (
		"BEGIN:VEVENT\r\nUID:fine\r\nSUMMARY:Daily\r\n"
		"DTSTART:20260301T090000Z\r\nDTEND:20260301T100000Z\r\n"
		"RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n");
	g_autoptr(GPtrArray) detached = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context;

	context_init (&context, "UTC");

	occurrences = e_hubspot_recurrence_expand (master, NULL, &context,
		utc ("2026-03-01T00:00:00Z"), utc ("2026-06-01T00:00:00Z"), 100, NULL, &error);
	g_assert_null (occurrences);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT);
	g_assert_nonnull (strstr (error->message, "DTSTART"));
	g_clear_error (&error);

	/* ...and in a detached instance of a series that is fine */
	g_ptr_array_add (detached, parse (
		"BEGIN:VEVENT\r\nUID:fine\r\nSUMMARY:Moved\r\n"
		"RECURRENCE-ID:20260302T090000Z\r\nDTSTART:20260302T110000Z\r\nDTEND:20261302T120000Z\r\n"
		"END:VEVENT\r\n"));
	occurrences = e_hubspot_recurrence_expand (fine, detached, &context,
		utc ("2026-03-01T00:00:00Z"), utc ("2026-06-01T00:00:00Z"), 100, NULL, &error);
	g_assert_null (occurrences);
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT);
	g_assert_nonnull (strstr (error->message, "DTEND"));
}

static void
test_weekly_across_dst (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:weekly\r\nSUMMARY:Stand-up\r\n"
		"DTSTART;TZID=Europe/Paris:20260316T100000\r\nDTEND;TZID=Europe/Paris:20260316T103000\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\n");
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context;
	gboolean truncated = TRUE;

	context_init (&context, "UTC");
	g_assert_true (e_hubspot_recurrence_is_recurring (master));

	occurrences = e_hubspot_recurrence_expand (master, NULL, &context,
		utc ("2026-03-01T00:00:00Z"), utc ("2026-06-01T00:00:00Z"), 100, &truncated, &error);
	g_assert_no_error (error);
	g_assert_false (truncated);
	g_assert_cmpuint (occurrences->len, ==, 4);

	/* Paris moves to summer time on 29 March: 10:00 stays 10:00 there. */
	g_assert_cmpstr (OCC (occurrences, 0)->rid, ==, "20260316T090000Z");
	g_assert_cmpstr (OCC (occurrences, 1)->rid, ==, "20260323T090000Z");
	g_assert_cmpstr (OCC (occurrences, 2)->rid, ==, "20260330T080000Z");
	g_assert_cmpstr (OCC (occurrences, 3)->rid, ==, "20260406T080000Z");
	assert_meeting_times (OCC (occurrences, 0), &context, "2026-03-16T09:00:00Z", "2026-03-16T09:30:00Z", "Europe/Paris");
	assert_meeting_times (OCC (occurrences, 2), &context, "2026-03-30T08:00:00Z", "2026-03-30T08:30:00Z", "Europe/Paris");
	g_assert_cmpint (OCC (occurrences, 3)->start, ==, utc ("2026-04-06T08:00:00Z"));
	g_assert_cmpint (OCC (occurrences, 3)->end, ==, utc ("2026-04-06T08:30:00Z"));
}

static void
test_window_and_count (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:daily\r\nSUMMARY:Daily, no end\r\n"
		"DTSTART:20200101T120000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context;
	gint64 now = utc ("2026-05-10T12:30:00Z");
	gboolean truncated = FALSE;

	context_init (&context, NULL);

	/* No end: only the horizon bounds it.  The occurrence under way at
	 * "now" has not ended, so it is in. */
	occurrences = e_hubspot_recurrence_expand (master, NULL, &context, now, now + 90 * DAY, 1000, &truncated, &error);
	g_assert_no_error (error);
	g_assert_false (truncated);
	g_assert_cmpuint (occurrences->len, ==, 91);
	g_assert_cmpstr (OCC (occurrences, 0)->rid, ==, "20260510T120000Z");
	g_assert_cmpstr (OCC (occurrences, 90)->rid, ==, "20260808T120000Z");
	assert_meeting_times (OCC (occurrences, 90), &context, "2026-08-08T12:00:00Z", "2026-08-08T13:00:00Z", NULL);
	g_clear_pointer (&occurrences, g_ptr_array_unref);

	/* The count bounds it too. */
	occurrences = e_hubspot_recurrence_expand (master, NULL, &context, now, now + 90 * DAY, 10, &truncated, &error);
	g_assert_no_error (error);
	g_assert_true (truncated);
	g_assert_cmpuint (occurrences->len, ==, 10);
	g_assert_cmpstr (OCC (occurrences, 9)->rid, ==, "20260519T120000Z");
}

static void
test_exdate_and_detached (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:series\r\nSUMMARY:Review\r\n"
		"DTSTART;TZID=America/New_York:20260105T090000\r\nDTEND;TZID=America/New_York:20260105T100000\r\n"
		"RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/New_York:20260106T090000\r\nEND:VEVENT\r\n");
	g_autoptr(ICalComponent) moved = parse (
		"BEGIN:VEVENT\r\nUID:series\r\nSUMMARY:Review (moved)\r\n"
		"RECURRENCE-ID;TZID=America/New_York:20260107T090000\r\n"
		"DTSTART;TZID=America/New_York:20260107T150000\r\nDTEND;TZID=America/New_York:20260107T153000\r\nEND:VEVENT\r\n");
	g_autoptr(ICalComponent) cancelled = parse (
		"BEGIN:VEVENT\r\nUID:series\r\nSUMMARY:Review\r\nSTATUS:CANCELLED\r\n"
		"RECURRENCE-ID:20260108T140000Z\r\n"
		"DTSTART;TZID=America/New_York:20260108T090000\r\nDTEND;TZID=America/New_York:20260108T100000\r\nEND:VEVENT\r\n");
	g_autoptr(GPtrArray) detached = g_ptr_array_new ();
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	EHubSpotMappingContext context;

	context_init (&context, "Europe/Berlin");
	g_ptr_array_add (detached, moved);
	g_ptr_array_add (detached, cancelled);

	occurrences = e_hubspot_recurrence_expand (master, detached, &context,
		utc ("2026-01-01T00:00:00Z"), utc ("2026-02-01T00:00:00Z"), 100, NULL, &error);
	g_assert_no_error (error);

	/* 5 minus the EXDATE; the 7th is the moved instance, the 8th the
	 * cancelled one (its RECURRENCE-ID in UTC matches all the same). */
	g_assert_cmpuint (occurrences->len, ==, 4);
	g_assert_cmpstr (OCC (occurrences, 0)->rid, ==, "20260105T140000Z");
	g_assert_cmpstr (OCC (occurrences, 1)->rid, ==, "20260107T140000Z");
	g_assert_cmpstr (OCC (occurrences, 2)->rid, ==, "20260108T140000Z");
	g_assert_cmpstr (OCC (occurrences, 3)->rid, ==, "20260109T140000Z");

	g_assert_cmpstr (i_cal_component_get_summary (OCC (occurrences, 1)->vevent), ==, "Review (moved)");
	assert_meeting_times (OCC (occurrences, 1), &context, "2026-01-07T20:00:00Z", "2026-01-07T20:30:00Z", "America/New_York");
	assert_meeting_times (OCC (occurrences, 3), &context, "2026-01-09T14:00:00Z", "2026-01-09T15:00:00Z", "America/New_York");

	body = e_hubspot_mapping_build_meeting (OCC (occurrences, 2)->vevent, &context, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (body),
		"properties"), "hs_meeting_outcome"), ==, "CANCELED");
}

static void
test_all_day_yearly (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:birthday\r\nSUMMARY:Birthday\r\n"
		"DTSTART;VALUE=DATE:20120803\r\nDTEND;VALUE=DATE:20120804\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n");
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context;

	context_init (&context, "Europe/Paris");
	occurrences = e_hubspot_recurrence_expand (master, NULL, &context,
		utc ("2026-06-01T00:00:00Z"), utc ("2026-06-01T00:00:00Z") + 90 * DAY, 100, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (occurrences->len, ==, 1);
	g_assert_cmpstr (OCC (occurrences, 0)->rid, ==, "20260803");
	/* Midnight to midnight where the calendar is. */
	assert_meeting_times (OCC (occurrences, 0), &context, "2026-08-02T22:00:00Z", "2026-08-03T22:00:00Z", "Europe/Paris");
	g_assert_cmpint (e_hubspot_recurrence_rid_to_time ("20260803", context.calendar_zone), ==, utc ("2026-08-02T22:00:00Z"));
	g_assert_cmpint (e_hubspot_recurrence_rid_to_time ("20260803T120000Z", NULL), ==, utc ("2026-08-03T12:00:00Z"));
	g_assert_cmpint (e_hubspot_recurrence_rid_to_time ("garbage", NULL), ==, G_MININT64);
}

static void
test_rejected_rule (void)
{
	g_autoptr(ICalComponent) vevent = parse (
		"BEGIN:VEVENT\r\nUID:bad\r\nSUMMARY:Bad rule\r\nDTSTART:20260105T090000Z\r\n"
		"RRULE:FREQ=SOMETIMES;BYDAY=XX\r\nEND:VEVENT\r\n");
	g_autoptr(ICalComponent) good = parse (
		"BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20260105T090000Z\r\nRRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n");
	g_autofree gchar *rejected = e_hubspot_recurrence_dup_rejected_rule (vevent);
	g_autofree gchar *none = e_hubspot_recurrence_dup_rejected_rule (good);
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context;

	/* libical drops the rule and says so: the event is then single. */
	g_assert_nonnull (rejected);
	g_assert_null (none);
	g_assert_false (e_hubspot_recurrence_is_recurring (vevent));

	context_init (&context, NULL);
	occurrences = e_hubspot_recurrence_expand (vevent, NULL, &context,
		utc ("2026-01-01T00:00:00Z"), utc ("2026-02-01T00:00:00Z"), 100, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (occurrences->len, ==, 1);
}

static void
test_marks (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:marks\r\nDTSTART:20260105T090000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
	g_autoptr(GHashTable) marks = NULL;
	EHubSpotOccurrenceMark *mark;
	g_autofree gchar *text = NULL;

	e_hubspot_occurrence_mark_set (master, "20260105T090000Z", "101", E_HUBSPOT_OCCURRENCE_SYNCED,
		"https://app.hubspot.com/contacts/4242/record/0-47/101");
	e_hubspot_occurrence_mark_set (master, "20260106T090000Z", NULL, E_HUBSPOT_OCCURRENCE_FAILED, NULL);
	e_hubspot_occurrence_mark_set (master, "20260107T090000Z", "103", E_HUBSPOT_OCCURRENCE_SYNCED, NULL);
	/* Replacing keeps one mark per occurrence. */
	e_hubspot_occurrence_mark_set (master, "20260107T090000Z", "103", E_HUBSPOT_OCCURRENCE_CANCELLED, NULL);

	/* They survive a round trip through text, as in the cache. */
	text = i_cal_component_as_ical_string (master);
	g_clear_object (&master);
	master = parse (text);

	marks = e_hubspot_occurrence_marks_read (master);
	g_assert_cmpuint (g_hash_table_size (marks), ==, 3);

	mark = g_hash_table_lookup (marks, "20260105T090000Z");
	g_assert_cmpstr (mark->meeting_id, ==, "101");
	g_assert_cmpstr (mark->state, ==, E_HUBSPOT_OCCURRENCE_SYNCED);
	g_assert_cmpstr (mark->url, ==, "https://app.hubspot.com/contacts/4242/record/0-47/101");

	mark = g_hash_table_lookup (marks, "20260106T090000Z");
	g_assert_null (mark->meeting_id);
	g_assert_cmpstr (mark->state, ==, E_HUBSPOT_OCCURRENCE_FAILED);
	g_assert_null (mark->url);

	mark = g_hash_table_lookup (marks, "20260107T090000Z");
	g_assert_cmpstr (mark->meeting_id, ==, "103");
	g_assert_cmpstr (mark->state, ==, E_HUBSPOT_OCCURRENCE_CANCELLED);
}

#define WISH(array, ii) ((EHubSpotWish *) g_ptr_array_index ((array), (ii)))

static void
test_plan (void)
{
	g_autoptr(ICalComponent) master = parse (
		"BEGIN:VEVENT\r\nUID:plan\r\nSUMMARY:Weekly\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE:20260119T090000Z\r\nEND:VEVENT\r\n");
	g_autoptr(GPtrArray) wishes = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *rid = NULL;
	EHubSpotMappingContext context;
	const gchar separator[2] = { E_HUBSPOT_OCCURRENCE_KEY_SEPARATOR, 0 };
	g_autofree gchar *key = g_strconcat ("plan", separator, "20260112T090000Z", NULL);

	context_init (&context, NULL);
	context.now = utc ("2026-01-10T00:00:00Z");

	/* Sent before: the 5th (past), the 12th (kept), the 19th (EXDATE'd
	 * since: cancel), the 26th (cancelled already: nothing more). */
	e_hubspot_occurrence_mark_set (master, "20260105T090000Z", "500", E_HUBSPOT_OCCURRENCE_SYNCED, NULL);
	e_hubspot_occurrence_mark_set (master, "20260112T090000Z", "512", E_HUBSPOT_OCCURRENCE_SYNCED, NULL);
	e_hubspot_occurrence_mark_set (master, "20260119T090000Z", "519", E_HUBSPOT_OCCURRENCE_SYNCED, NULL);
	e_hubspot_occurrence_mark_set (master, "20260126T090000Z", "526", E_HUBSPOT_OCCURRENCE_CANCELLED, NULL);

	wishes = e_hubspot_recurrence_plan (master, NULL, NULL, NULL, &context, utc ("2026-02-03T00:00:00Z"), 100, FALSE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 4);

	g_assert_cmpstr (WISH (wishes, 0)->key, ==, key);
	e_hubspot_recurrence_split_key (WISH (wishes, 0)->key, &uid, &rid);
	g_assert_cmpstr (uid, ==, "plan");
	g_assert_cmpstr (rid, ==, "20260112T090000Z");
	g_assert_cmpstr (WISH (wishes, 0)->meeting_id, ==, "512");
	g_assert_true (WISH (wishes, 0)->marked);
	g_assert_nonnull (WISH (wishes, 0)->request);

	/* A cancelled occurrence that is one again gets its meeting back. */
	g_assert_cmpstr (WISH (wishes, 1)->rid, ==, "20260126T090000Z");
	g_assert_cmpstr (WISH (wishes, 1)->meeting_id, ==, "526");

	g_assert_cmpstr (WISH (wishes, 2)->rid, ==, "20260202T090000Z");
	g_assert_null (WISH (wishes, 2)->meeting_id);
	g_assert_false (WISH (wishes, 2)->marked);

	g_assert_cmpstr (WISH (wishes, 3)->rid, ==, "20260119T090000Z");
	g_assert_null (WISH (wishes, 3)->request);
	g_assert_cmpstr (WISH (wishes, 3)->meeting_id, ==, "519");
	g_clear_pointer (&wishes, g_ptr_array_unref);

	/* The horizon moved: only what was never sent, and no cancel. */
	wishes = e_hubspot_recurrence_plan (master, NULL, NULL, NULL, &context, utc ("2026-02-03T00:00:00Z"), 100, TRUE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 1);
	g_assert_cmpstr (WISH (wishes, 0)->rid, ==, "20260202T090000Z");
	g_assert_nonnull (WISH (wishes, 0)->request);
	g_assert_false (WISH (wishes, 0)->marked);
}

/* A plain event is a series of one: one wish on its UID with the row's
 * meeting; a request mapped already is used, not mapped again. */
static void
test_plan_plain (void)
{
	g_autoptr(ICalComponent) plain = parse (
		"BEGIN:VEVENT\r\nUID:plain\r\nSUMMARY:Once\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nEND:VEVENT\r\n");
	g_autoptr(JsonNode) mapped = json_from_string ("{\"properties\":{\"hs_meeting_title\":\"mapped\"}}", NULL);
	g_autoptr(GPtrArray) wishes = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context;

	context_init (&context, NULL);
	context.now = utc ("2026-01-01T00:00:00Z");

	wishes = e_hubspot_recurrence_plan (plain, NULL, "900", mapped, &context, utc ("2026-03-01T00:00:00Z"), 100, FALSE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 1);
	g_assert_cmpstr (WISH (wishes, 0)->key, ==, "plain");
	g_assert_null (WISH (wishes, 0)->rid);
	g_assert_cmpstr (WISH (wishes, 0)->meeting_id, ==, "900");
	g_assert_true (WISH (wishes, 0)->request == mapped);
	g_clear_pointer (&wishes, g_ptr_array_unref);

	/* Not yet sent, mapped here. */
	wishes = e_hubspot_recurrence_plan (plain, NULL, NULL, NULL, &context, utc ("2026-03-01T00:00:00Z"), 100, FALSE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 1);
	g_assert_null (WISH (wishes, 0)->meeting_id);
	g_assert_false (WISH (wishes, 0)->marked);
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (
		WISH (wishes, 0)->request), "properties"), "hs_meeting_title"), ==, "Once");
	g_clear_pointer (&wishes, g_ptr_array_unref);

	/* The horizon moved: a series of one has nothing new. */
	wishes = e_hubspot_recurrence_plan (plain, NULL, "900", NULL, &context, utc ("2026-03-01T00:00:00Z"), 100, TRUE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 0);
}

static void
test_plan_single_and_back (void)
{
	g_autoptr(ICalComponent) single = parse (
		"BEGIN:VEVENT\r\nUID:flip\r\nSUMMARY:Flip\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nEND:VEVENT\r\n");
	g_autoptr(ICalComponent) series = NULL;
	g_autoptr(GPtrArray) wishes = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	EHubSpotMappingContext context;

	context_init (&context, NULL);
	context.now = utc ("2026-01-01T00:00:00Z");
	g_assert_false (e_hubspot_recurrence_needs_plan (single));

	/* Made weekly: the single event's meeting is the first occurrence. */
	text = i_cal_component_as_ical_string (single);
	series = parse (text);
	i_cal_component_take_property (series, i_cal_property_new_from_string ("RRULE:FREQ=WEEKLY;COUNT=2"));
	g_assert_true (e_hubspot_recurrence_needs_plan (series));

	wishes = e_hubspot_recurrence_plan (series, NULL, "700", NULL, &context, utc ("2026-03-01T00:00:00Z"), 100, FALSE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 2);
	g_assert_cmpstr (WISH (wishes, 0)->rid, ==, "20260105T090000Z");
	g_assert_cmpstr (WISH (wishes, 0)->meeting_id, ==, "700");
	g_assert_null (WISH (wishes, 1)->meeting_id);
	g_clear_pointer (&wishes, g_ptr_array_unref);

	/* Single again: the first occurrence's meeting is the event's, the
	 * second occurrence's is cancelled. */
	e_hubspot_occurrence_mark_set (single, "20260105T090000Z", "700", E_HUBSPOT_OCCURRENCE_SYNCED, NULL);
	e_hubspot_occurrence_mark_set (single, "20260112T090000Z", "701", E_HUBSPOT_OCCURRENCE_SYNCED, NULL);
	g_assert_true (e_hubspot_recurrence_needs_plan (single));

	wishes = e_hubspot_recurrence_plan (single, NULL, NULL, NULL, &context, utc ("2026-03-01T00:00:00Z"), 100, FALSE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (wishes->len, ==, 2);
	g_assert_cmpstr (WISH (wishes, 0)->key, ==, "flip");
	g_assert_null (WISH (wishes, 0)->rid);
	g_assert_cmpstr (WISH (wishes, 0)->meeting_id, ==, "700");
	g_assert_nonnull (WISH (wishes, 0)->request);
	g_assert_cmpstr (WISH (wishes, 1)->rid, ==, "20260112T090000Z");
	g_assert_cmpstr (WISH (wishes, 1)->meeting_id, ==, "701");
	g_assert_null (WISH (wishes, 1)->request);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/recurrence/weekly-across-dst", test_weekly_across_dst);
	g_test_add_func ("/recurrence/unreal-dates", test_unreal_dates);
	g_test_add_func ("/recurrence/window-and-count", test_window_and_count);
	g_test_add_func ("/recurrence/exdate-and-detached", test_exdate_and_detached);
	g_test_add_func ("/recurrence/all-day-yearly", test_all_day_yearly);
	g_test_add_func ("/recurrence/rejected-rule", test_rejected_rule);
	g_test_add_func ("/recurrence/marks", test_marks);
	g_test_add_func ("/recurrence/plan", test_plan);
	g_test_add_func ("/recurrence/plan-plain", test_plan_plain);
	g_test_add_func ("/recurrence/plan-single-and-back", test_plan_single_and_back);

	return g_test_run ();
}
