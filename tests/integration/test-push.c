/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot push and remove, run as a person would: a local
 * calendar of 500 events and .ics files pushed into a HubSpot calendar
 * (added with the tool, token in the keyring), against the mock HubSpot. */

#include <string.h>
#include <glib/gstdio.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

#define HUBSPOT_NAME "HubSpot push"
#define LOCAL_NAME "Local to push"

/* The local calendar: 500 events. */
#define N_PLAIN 435		/* 2027-01-01 + i days */
#define N_MEETINGS 5		/* carry X-HUBSPOT-MEETING-ID: skipped */
#define N_PRIVATE 20		/* CLASS:PRIVATE */
#define N_CONFIDENTIAL 10	/* CLASS:CONFIDENTIAL */
#define N_RECURRING 20		/* weekly x5 from 2026-12-01 + r days; the first 10 with a detached instance */
#define N_OCCURRENCES 5		/* each a meeting: the factory's clock is 2026-11-15 (meson.build) */
#define N_DETACHED 10
#define N_ALREADY 10		/* also in the HubSpot calendar before the first push */
#define N_TO_PUSH (N_PLAIN + N_RECURRING)
#define N_SKIPPED (N_MEETINGS + N_PRIVATE + N_CONFIDENTIAL)

static ESource *hubspot_source;
static ECalClient *hubspot_client;
static ESource *local_source;
static ECalClient *local_client;

static gint
run_tool_argv (const gchar * const *args,
	       gchar **out_stdout,
	       gchar **out_stderr)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new ();
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;
	guint ii;

	g_ptr_array_add (argv, (gpointer) g_getenv ("HUBSPOT_TOOL"));
	for (ii = 0; args[ii]; ii++)
		g_ptr_array_add (argv, (gpointer) args[ii]);
	g_ptr_array_add (argv, NULL);

	/* Dates are read in the local zone; messages untranslated. */
	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
	g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
	process = g_subprocess_launcher_spawnv (launcher, (const gchar * const *) argv->pdata, &error);
	g_assert_no_error (error);
	g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, out_stderr, &error);
	g_assert_no_error (error);
	if (!g_subprocess_get_if_exited (process))
		g_error ("evolution-hubspot %s died of signal %d:\n%s%s", args[0],
			g_subprocess_get_term_sig (process), *out_stdout, *out_stderr);
	g_test_message ("evolution-hubspot %s: exit %d\n%s%s", args[0],
		g_subprocess_get_exit_status (process), *out_stdout, *out_stderr);

	return g_subprocess_get_exit_status (process);
}

#define run_tool(out, err, ...) run_tool_argv ((const gchar * const []) { __VA_ARGS__, NULL }, out, err)

/* The number after "Label: " at the start of a line of the summary. */
static gint
summary_count (const gchar *output,
	       const gchar *label)
{
	g_autofree gchar *needle = g_strconcat ("\n", label, ": ", NULL);
	g_autofree gchar *text = g_strconcat ("\n", output, NULL);
	const gchar *found = strstr (text, needle);

	if (!found)
		return -1;

	return (gint) g_ascii_strtoll (found + strlen (needle), NULL, 10);
}

static gint64
mock_stat (const gchar *name)
{
	g_autoptr(JsonNode) stats = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/stats", NULL);

	return json_object_get_int_member (json_node_get_object (stats), name);
}

static guint
count_events (ECalClient *client)
{
	GSList *icomps = NULL;
	g_autoptr(GError) error = NULL;
	guint count;

	e_cal_client_get_object_list_sync (client, "#t", &icomps, NULL, &error);
	g_assert_no_error (error);
	count = g_slist_length (icomps);
	g_slist_free_full (icomps, g_object_unref);

	return count;
}

static guint
count_instances (ECalClient *client,
		 const gchar *uid)
{
	GSList *comps = NULL;
	guint count;

	if (!e_cal_client_get_objects_for_uid_sync (client, uid, &comps, NULL, NULL))
		return 0;
	count = g_slist_length (comps);
	g_slist_free_full (comps, g_object_unref);

	return count;
}

static gboolean
has_event (ECalClient *client,
	   const gchar *uid)
{
	ICalComponent *icomp = hubspot_test_get_event (client, uid);
	gboolean found = icomp != NULL;

	g_clear_object (&icomp);

	return found;
}

static gchar *
day_utc (gint days_from_2027,
	 gint hour)
{
	g_autoptr(GDateTime) base = g_date_time_new_utc (2027, 1, 1, hour, 0, 0);
	g_autoptr(GDateTime) day = g_date_time_add_days (base, days_from_2027);

	return g_date_time_format (day, "%Y%m%dT%H%M%SZ");
}

static ICalComponent *
new_event (const gchar *uid,
	   const gchar *summary,
	   gint day,
	   const gchar *extra)
{
	g_autofree gchar *start = day_utc (day, 10);
	g_autofree gchar *end = day_utc (day, 11);
	g_autofree gchar *text = g_strdup_printf (
		"BEGIN:VEVENT\r\nUID:%s\r\nSUMMARY:%s\r\nDTSTART:%s\r\nDTEND:%s\r\n%sEND:VEVENT\r\n",
		uid, summary, start, end, extra ? extra : "");
	ICalComponent *icomp = i_cal_component_new_from_string (text);

	g_assert_nonnull (icomp);

	return icomp;
}

static void
create_all (ECalClient *client,
	    GSList *icomps)
{
	g_autoptr(GError) error = NULL;
	GSList *uids = NULL;

	e_cal_client_create_objects_sync (client, icomps, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error);
	g_assert_no_error (error);
	g_slist_free_full (uids, g_free);
	g_slist_free_full (icomps, g_object_unref);
}

static void
fill_local_calendar (void)
{
	g_autoptr(GError) error = NULL;
	GSList *icomps = NULL, *already = NULL;
	guint ii;

	for (ii = 0; ii < N_PLAIN; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("plain-%u@push.test", ii);
		g_autofree gchar *summary = g_strdup_printf ("Plain event %u", ii);

		icomps = g_slist_prepend (icomps, new_event (uid, summary, ii, NULL));
	}
	for (ii = 0; ii < N_MEETINGS; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("meeting-%u@push.test", ii);

		icomps = g_slist_prepend (icomps, new_event (uid, "Already a meeting", 151 + ii,
			"X-HUBSPOT-MEETING-ID:99000\r\nX-HUBSPOT-SYNC-STATE:synced\r\n"));
	}
	for (ii = 0; ii < N_PRIVATE + N_CONFIDENTIAL; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("private-%u@push.test", ii);

		icomps = g_slist_prepend (icomps, new_event (uid, "Doctor", ii,
			ii < N_PRIVATE ? "CLASS:PRIVATE\r\n" : "CLASS:CONFIDENTIAL\r\n"));
	}
	for (ii = 0; ii < N_RECURRING; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("recurring-%u@push.test", ii);

		icomps = g_slist_prepend (icomps, new_event (uid, "Weekly sync", (gint) ii - 31,
			"RRULE:FREQ=WEEKLY;COUNT=5\r\n"));
	}
	for (ii = 0; ii < N_ALREADY; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("already-%u@push.test", ii);

		icomps = g_slist_prepend (icomps, new_event (uid, "Pushed before", 120 + ii, NULL));
		already = g_slist_prepend (already, new_event (uid, "Pushed before", 120 + ii, NULL));
	}
	g_assert_cmpuint (g_slist_length (icomps), ==, 500);
	create_all (local_client, g_slist_reverse (icomps));

	/* The second occurrence of the first recurring events moved by an hour. */
	for (ii = 0; ii < N_DETACHED; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("recurring-%u@push.test", ii);
		g_autofree gchar *rid = day_utc ((gint) ii - 31 + 7, 10);
		g_autofree gchar *extra = g_strdup_printf ("RECURRENCE-ID:%s\r\n", rid);
		ICalComponent *instance = new_event (uid, "Weekly sync (moved)", (gint) ii - 31 + 7, extra);
		ICalTime *start = i_cal_component_get_dtstart (instance);
		ICalTime *end = i_cal_component_get_dtend (instance);

		i_cal_time_adjust (start, 0, 1, 0, 0);
		i_cal_time_adjust (end, 0, 1, 0, 0);
		i_cal_component_set_dtstart (instance, start);
		i_cal_component_set_dtend (instance, end);
		e_cal_client_modify_object_sync (local_client, instance, E_CAL_OBJ_MOD_THIS,
			E_CAL_OPERATION_FLAG_NONE, NULL, &error);
		g_assert_no_error (error);
		g_object_unref (start);
		g_object_unref (end);
		g_object_unref (instance);
	}
	g_assert_cmpuint (count_events (local_client), ==, 500 + N_DETACHED);

	/* An earlier push already sent these. */
	create_all (hubspot_client, g_slist_reverse (already));
	for (ii = 0; ii < N_ALREADY; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("already-%u@push.test", ii);

		g_assert_true (hubspot_test_wait_state (hubspot_client, uid, "synced", 20000));
	}
	g_assert_cmpint (mock_stat ("meetings"), ==, N_ALREADY);
}

static void
test_dry_run (void)
{
	g_autofree gchar *out = NULL, *err = NULL;

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--to", HUBSPOT_NAME, "--dry-run"), ==, 0);
	g_assert_cmpint (summary_count (out, "Would push"), ==, N_TO_PUSH);
	g_assert_cmpint (summary_count (out, "Already there"), ==, N_ALREADY);
	g_assert_cmpint (summary_count (out, "Skipped"), ==, N_SKIPPED);
	g_assert_nonnull (strstr (out, "private (use --include-private to push them): 30\n"));
	g_assert_nonnull (strstr (out, "already a HubSpot meeting (X-HUBSPOT-MEETING-ID): 5\n"));
	/* What would be sent: start, end, summary. */
	g_assert_nonnull (strstr (out, "2027-01-01 10:00 UTC  2027-01-01 11:00 UTC  Plain event 0\n"));
	g_assert_nonnull (strstr (out, "Weekly sync (recurring)\n"));
	g_assert_null (strstr (out, "Doctor"));

	/* Nothing changed. */
	g_assert_cmpuint (count_events (hubspot_client), ==, N_ALREADY);
	g_assert_cmpint (mock_stat ("meetings"), ==, N_ALREADY);
}

static void
test_range (void)
{
	g_autofree gchar *out = NULL, *err = NULL;

	/* Plain events 9 to 18, and the recurring events whose last
	 * occurrence (2026-12-29 + r days) reaches 2027-01-10: r = 12..19. */
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--dry-run",
		"--since", "2027-01-10", "--until", "2027-01-19"), ==, 0);
	g_assert_cmpint (summary_count (out, "Would push"), ==, 10 + 8);
	g_assert_cmpint (summary_count (out, "Already there"), ==, 0);
	g_assert_nonnull (strstr (out, "outside the date range: 447\n"));
	g_assert_nonnull (strstr (out, "Plain event 9\n"));
	g_assert_nonnull (strstr (out, "Plain event 18\n"));
	g_assert_null (strstr (out, "Plain event 19\n"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--dry-run", "--until", "2027-01-02"), ==, 0);
	/* Plain 0 and 1, and every recurring event. */
	g_assert_cmpint (summary_count (out, "Would push"), ==, 2 + N_RECURRING);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--since", "2027-02-30"), ==, 2);
	g_assert_nonnull (strstr (err, "YYYY-MM-DD"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--since", "2027-03-01", "--until", "2027-02-01"), ==, 2);
}

static void
test_push_twice (void)
{
	g_autofree gchar *out = NULL, *err = NULL;
	gint64 creates;
	gint code;

	code = run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--to", HUBSPOT_NAME);
	if (code != 0) {
		/* What the tool said is the only trace of a rare failure. */
		g_printerr ("push exited with %d; its output:\n%s\n%s\n", code, out, err);
	}
	g_assert_cmpint (code, ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, N_TO_PUSH);
	g_assert_cmpint (summary_count (out, "Already there"), ==, N_ALREADY);
	g_assert_cmpint (summary_count (out, "Skipped"), ==, N_SKIPPED);
	g_assert_cmpint (summary_count (out, "Failed"), ==, 0);
	g_assert_cmpint (summary_count (out, "Sent to HubSpot"), ==, N_TO_PUSH);
	g_assert_cmpint (summary_count (out, "Refused by HubSpot"), ==, 0);
	/* Not a terminal: plain progress lines. */
	g_assert_nonnull (strstr (err, "Pushing 455/455\n"));

	/* One meeting per event: a recurring event is one meeting for now. */
	g_assert_cmpint (mock_stat ("meetings"), ==, N_ALREADY + N_PLAIN + N_RECURRING * N_OCCURRENCES);
	g_assert_cmpuint (count_events (hubspot_client), ==, N_ALREADY + N_TO_PUSH + N_DETACHED);
	g_assert_cmpuint (count_instances (hubspot_client, "recurring-3@push.test"), ==, 2);
	g_assert_cmpuint (count_instances (hubspot_client, "recurring-13@push.test"), ==, 1);
	g_assert_false (has_event (hubspot_client, "private-0@push.test"));
	g_assert_false (has_event (hubspot_client, "meeting-0@push.test"));
	g_assert_true (hubspot_test_wait_state (hubspot_client, "plain-434@push.test", "synced", 1000));

	creates = mock_stat ("creates");
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	/* Again: nothing new. */
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--to", HUBSPOT_NAME), ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 0);
	g_assert_cmpint (summary_count (out, "Already there"), ==, N_ALREADY + N_TO_PUSH);
	g_assert_cmpint (summary_count (out, "Skipped"), ==, N_SKIPPED);
	g_assert_nonnull (strstr (out, "Nothing new to push"));
	hubspot_test_spin (500);
	g_assert_cmpint (mock_stat ("creates"), ==, creates);
	g_assert_cmpint (mock_stat ("meetings"), ==, N_ALREADY + N_PLAIN + N_RECURRING * N_OCCURRENCES);
	g_assert_cmpuint (count_events (hubspot_client), ==, N_ALREADY + N_TO_PUSH + N_DETACHED);
}

/* tests/data/ics/NAME: __FILE__ is relative to the build directory. */
static gchar *
data_file (const gchar *name)
{
	g_autofree gchar *source = g_path_is_absolute (__FILE__) ? g_strdup (__FILE__) :
		g_build_filename (g_getenv ("HUBSPOT_BUILD_DIR"), __FILE__, NULL);
	g_autofree gchar *dir = g_path_get_dirname (source);

	return g_build_filename (dir, "..", "data", "ics", name, NULL);
}

static void
test_ics (void)
{
	g_autofree gchar *zimbra = data_file ("zimbra_recur_instances_exdate_rdate.ics");
	g_autofree gchar *confidential = data_file ("eds_event_private_class.ics");
	g_autofree gchar *out = NULL, *err = NULL;
	ICalTimezone *zone = NULL;
	gint64 meetings = mock_stat ("meetings");

	/* A recurring event with two changed occurrences and its own
	 * VTIMEZONE; --to left out: there is one HubSpot calendar. */
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", zimbra), ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 1);
	g_assert_nonnull (strstr (out, "not an event: 1\n"));
	g_assert_cmpuint (count_instances (hubspot_client, "623c13c0-6c2b-45d6-a12b-c33ad61c4868"), ==, 3);
	g_assert_true (e_cal_client_get_timezone_sync (hubspot_client, "America/Los_Angeles", &zone, NULL, NULL));
	g_assert_nonnull (zone);
	/* First Tuesdays, no end: 1 December, 5 January and 2 February are
	 * inside the 90 days after the clock's 15 November. */
	g_assert_true (hubspot_test_wait_state (hubspot_client, "623c13c0-6c2b-45d6-a12b-c33ad61c4868", "synced", 20000));
	g_assert_cmpint (mock_stat ("meetings"), ==, meetings + 3);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", zimbra, "--to", HUBSPOT_NAME), ==, 0);
	g_assert_cmpint (summary_count (out, "Already there"), ==, 1);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 0);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	/* CLASS:CONFIDENTIAL stays out unless asked for. */
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", confidential), ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 0);
	g_assert_nonnull (strstr (out, "private (use --include-private to push them): 1\n"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", confidential, "--include-private"), ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 1);
	g_assert_cmpint (mock_stat ("meetings"), ==, meetings + 4);
}

static gchar *
write_ics (const gchar *events)
{
	g_autofree gchar *text = g_strconcat ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", events, "END:VCALENDAR\r\n", NULL);
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename (g_get_tmp_dir (), "push-XXXXXX.ics", NULL);
	gint fd = g_mkstemp (path);

	g_assert_cmpint (fd, >=, 0);
	g_close (fd, NULL);
	g_file_set_contents (path, text, -1, &error);
	g_assert_no_error (error);

	return path;
}

/* A batch with a bad event: the others go through, one by one. */
static void
test_bad_event (void)
{
	g_autofree gchar *path = write_ics (
		"BEGIN:VEVENT\r\nUID:good-1@push.test\r\nSUMMARY:Good one\r\n"
		"DTSTART:20270801T100000Z\r\nDTEND:20270801T110000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:bad@push.test\r\nSUMMARY:Ends before it starts\r\n"
		"DTSTART:20270801T100000Z\r\nDTEND:20270801T090000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:good-2@push.test\r\nSUMMARY:Good two\r\n"
		"DTSTART:20270802T100000Z\r\nDTEND:20270802T110000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VTODO\r\nUID:todo@push.test\r\nSUMMARY:A task\r\nEND:VTODO\r\n");
	g_autofree gchar *out = NULL, *err = NULL;

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", path), ==, 1);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 2);
	g_assert_cmpint (summary_count (out, "Failed"), ==, 1);
	g_assert_nonnull (strstr (out, "“Ends before it starts” (bad@push.test): "));
	g_assert_nonnull (strstr (out, "not an event: 1\n"));
	g_assert_true (has_event (hubspot_client, "good-1@push.test"));
	g_assert_true (has_event (hubspot_client, "good-2@push.test"));
	g_assert_false (has_event (hubspot_client, "bad@push.test"));

	g_unlink (path);
}

/* HubSpot says no to one event: the summary says which and why. */
static void
test_refused (void)
{
	g_autofree gchar *path = write_ics (
		"BEGIN:VEVENT\r\nUID:refused@push.test\r\nSUMMARY:Refused one\r\n"
		"DTSTART:20271001T100000Z\r\nDTEND:20271001T110000Z\r\nEND:VEVENT\r\n");
	g_autofree gchar *other = write_ics (
		"BEGIN:VEVENT\r\nUID:later@push.test\r\nSUMMARY:Sent later\r\n"
		"DTSTART:20271002T100000Z\r\nDTEND:20271002T110000Z\r\nEND:VEVENT\r\n");
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(JsonNode) fault = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/faults",
		"{\"match\": \"/meetings/calendar\", \"status\": 400, \"count\": 1}");
	g_autoptr(JsonNode) cleared = NULL;

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", path), ==, 3);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 1);
	g_assert_cmpint (summary_count (out, "Sent to HubSpot"), ==, 0);
	g_assert_cmpint (summary_count (out, "Refused by HubSpot"), ==, 1);
	g_assert_nonnull (strstr (out, "“Refused one” (refused@push.test): "));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	cleared = hubspot_test_mock_call (hubspot_test_get_mock (), "DELETE", "/__mock/faults", NULL);

	/* --no-wait: stored, and sent after the command is gone. */
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", other, "--no-wait"), ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 1);
	g_assert_cmpint (summary_count (out, "Sent to HubSpot"), ==, -1);
	g_assert_true (hubspot_test_wait_state (hubspot_client, "later@push.test", "synced", 20000));

	g_unlink (path);
	g_unlink (other);
}

/* Runs the tool and sends it SIGINT once it printed a line starting with
 * "line"; returns its exit status. */
static gint
run_tool_interrupted (const gchar * const *args,
		      const gchar *line,
		      gchar **out_stdout)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new ();
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GDataInputStream) in = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *err = NULL;
	gboolean seen = FALSE;
	guint ii;

	g_ptr_array_add (argv, (gpointer) g_getenv ("HUBSPOT_TOOL"));
	for (ii = 0; args[ii]; ii++)
		g_ptr_array_add (argv, (gpointer) args[ii]);
	g_ptr_array_add (argv, NULL);

	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
	process = g_subprocess_launcher_spawnv (launcher, (const gchar * const *) argv->pdata, &error);
	g_assert_no_error (error);

	/* Progress goes to standard error, one line at a time off a terminal. */
	in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
	while (!seen) {
		g_autofree gchar *text = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

		g_assert_no_error (error);
		g_assert_nonnull (text);
		seen = g_str_has_prefix (text, line);
	}
	g_subprocess_send_signal (process, SIGINT);
	g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, &err, &error);
	g_assert_no_error (error);
	if (!g_subprocess_get_if_exited (process))
		g_error ("the interrupted push died of signal %d:\n%s%s", g_subprocess_get_term_sig (process), *out_stdout, err);
	g_test_message ("interrupted push: exit %d\n%s%s", g_subprocess_get_exit_status (process), *out_stdout, err);

	return g_subprocess_get_exit_status (process);
}

static gchar *
write_events (const gchar *prefix,
	      guint count)
{
	GString *events = g_string_new (NULL);
	gchar *path;
	guint ii;

	for (ii = 0; ii < count; ii++)
		g_string_append_printf (events, "BEGIN:VEVENT\r\nUID:%s-%u@push.test\r\nSUMMARY:%s %u\r\n"
			"DTSTART:20270901T100000Z\r\nDTEND:20270901T110000Z\r\nEND:VEVENT\r\n", prefix, ii, prefix, ii);
	path = write_ics (events->str);
	g_string_free (events, TRUE);

	return path;
}

/* Ctrl-C between two batches: the summary so far; running again pushes
 * the rest.  Into a calendar whose HubSpot is out of reach, so that no
 * meeting goes anywhere. */
static void
test_interrupt_batches (void)
{
	g_autofree gchar *path = write_events ("batch", 500);
	g_autofree gchar *out = NULL, *err = NULL;
	ESource *source = hubspot_test_create_calendar (hubspot_test_get_registry (), "http://127.0.0.1:1", NULL);
	ECalClient *client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);
	const gchar *args[] = { "push", "--from", path, "--to", e_source_get_uid (source), "--no-wait", NULL };
	gint pushed, left;

	g_assert_cmpint (run_tool_interrupted (args, "Pushing 0/500", &out), ==, 1);
	g_assert_nonnull (strstr (out, "Interrupted"));
	pushed = summary_count (out, "Pushed");
	left = summary_count (out, "Interrupted. Not pushed yet");
	g_assert_cmpint (pushed % 50, ==, 0);
	g_assert_cmpint (pushed, <, 500);
	g_assert_cmpint (pushed + left, ==, 500);
	g_assert_cmpuint (count_events (client), ==, (guint) pushed);
	g_clear_pointer (&out, g_free);

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", path, "--to", e_source_get_uid (source), "--no-wait"), ==, 0);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 500 - pushed);
	g_assert_cmpint (summary_count (out, "Already there"), ==, pushed);
	g_assert_cmpuint (count_events (client), ==, 500);

	g_object_unref (client);
	hubspot_test_remove_calendar (hubspot_test_get_registry (), source);
	g_unlink (path);
}

/* Ctrl-C while waiting for HubSpot: the summary so far, nothing lost. */
static void
test_interrupt_waiting (void)
{
	g_autofree gchar *path = write_events ("slow", 20);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(JsonNode) config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST",
		"/__mock/config", "{\"delay_ms\": 1500}");
	const gchar *args[] = { "push", "--from", path, NULL };
	gint64 meetings = mock_stat ("meetings");

	g_assert_cmpint (run_tool_interrupted (args, "Sending to HubSpot", &out), ==, 1);
	g_assert_cmpint (summary_count (out, "Pushed"), ==, 20);
	g_assert_nonnull (strstr (out, "Interrupted while waiting"));

	/* The calendar keeps sending; running again finds everything there. */
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&config, json_node_unref);
	config = hubspot_test_mock_call (hubspot_test_get_mock (), "POST", "/__mock/config", "{\"delay_ms\": 0}");
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", path), ==, 0);
	g_assert_cmpint (summary_count (out, "Already there"), ==, 20);
	g_assert_true (hubspot_test_wait_state (hubspot_client, "slow-19@push.test", "synced", 20000));
	g_assert_cmpint (mock_stat ("meetings"), ==, meetings + 20);

	g_unlink (path);
}

static gboolean
has_source (const gchar *uid)
{
	ESource *source = e_source_registry_ref_source (hubspot_test_get_registry (), uid);
	gboolean found = source != NULL;

	g_clear_object (&source);

	return found;
}

static gboolean
source_gone (gpointer user_data)
{
	return !has_source (user_data);
}

static void
test_refusals (void)
{
	g_autofree gchar *out = NULL, *err = NULL;

	g_assert_cmpint (run_tool (&out, &err, "push", "--from", "No such calendar"), ==, 2);
	g_assert_nonnull (strstr (err, "No such calendar"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", "/nonexistent/file.ics"), ==, 2);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--to", HUBSPOT_NAME), ==, 2);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", HUBSPOT_NAME, "--to", HUBSPOT_NAME), ==, 2);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", HUBSPOT_NAME, "--to", LOCAL_NAME), ==, 2);
	g_assert_nonnull (strstr (err, "not a HubSpot calendar"));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "remove", LOCAL_NAME), ==, 2);
	g_assert_nonnull (strstr (err, "not a HubSpot calendar"));
	g_assert_true (has_source (e_source_get_uid (local_source)));
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_cmpint (run_tool (&out, &err, "push", "--help"), ==, 0);
	g_assert_nonnull (strstr (out, "--include-private"));
}


static void
test_remove (void)
{
	g_autofree gchar *out = NULL, *err = NULL;
	g_autofree gchar *uid = g_strdup (e_source_get_uid (hubspot_source));
	g_autofree gchar *password = NULL;
	g_autoptr(GError) error = NULL;
	gint64 meetings = mock_stat ("meetings");

	e_source_lookup_password_sync (hubspot_source, NULL, &password, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (password, ==, HUBSPOT_TEST_TOKEN);
	g_clear_pointer (&password, g_free);
	g_clear_object (&hubspot_client);

	g_assert_cmpint (run_tool (&out, &err, "remove", HUBSPOT_NAME), ==, 0);
	g_assert_nonnull (strstr (out, uid));
	g_assert_nonnull (strstr (out, "stay in HubSpot"));
	g_assert_true (hubspot_test_wait_until (source_gone, uid, 5000));

	/* The keyring forgot the token; HubSpot kept the meetings. */
	e_source_lookup_password_sync (hubspot_source, NULL, &password, &error);
	g_assert_no_error (error);
	g_assert_null (password);
	g_assert_cmpint (mock_stat ("meetings"), ==, meetings);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	/* Nothing left to push into. */
	g_assert_cmpint (run_tool (&out, &err, "push", "--from", LOCAL_NAME, "--dry-run"), ==, 2);
	g_assert_nonnull (strstr (err, "no HubSpot calendar"));
}

static ESource *
create_local_calendar (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ESource) source = NULL;
	ESourceBackend *calendar;

	source = e_source_new (NULL, NULL, &error);
	g_assert_no_error (error);
	e_source_set_display_name (source, LOCAL_NAME);
	e_source_set_parent (source, "local-stub");
	calendar = e_source_get_extension (source, E_SOURCE_EXTENSION_CALENDAR);
	e_source_backend_set_backend_name (calendar, "local");
	e_source_registry_commit_source_sync (hubspot_test_get_registry (), source, NULL, &error);
	g_assert_no_error (error);

	return e_source_registry_ref_source (hubspot_test_get_registry (), e_source_get_uid (source));
}

static ESource *
add_hubspot_calendar (void)
{
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *input = g_strconcat (HUBSPOT_TEST_TOKEN, "\n", NULL);
	gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
	ESource *source = NULL;

	process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
		g_getenv ("HUBSPOT_TOOL"), "add", "--name", HUBSPOT_NAME, "--email", HUBSPOT_TEST_OWNER_EMAIL,
		"--api-url", hubspot_test_mock_get_url (hubspot_test_get_mock ()), NULL);
	g_assert_no_error (error);

	g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
	g_strstrip (out);

	while (!source && g_get_monotonic_time () < deadline) {
		hubspot_test_spin (20);
		source = e_source_registry_ref_source (hubspot_test_get_registry (), out);
	}
	g_assert_nonnull (source);

	return source;
}

gint
main (gint argc,
      gchar **argv)
{
	g_autoptr(GError) error = NULL;
	gint result;

	hubspot_test_init (&argc, &argv, NULL);

	hubspot_source = add_hubspot_calendar ();
	hubspot_client = hubspot_test_connect (hubspot_source, NULL);
	local_source = create_local_calendar ();
	local_client = E_CAL_CLIENT (e_cal_client_connect_sync (local_source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS,
		(guint32) -1, NULL, &error));
	g_assert_no_error (error);
	fill_local_calendar ();

	g_test_add_func ("/push/dry-run", test_dry_run);
	g_test_add_func ("/push/range", test_range);
	g_test_add_func ("/push/calendar-twice", test_push_twice);
	g_test_add_func ("/push/ics", test_ics);
	g_test_add_func ("/push/bad-event", test_bad_event);
	g_test_add_func ("/push/refused", test_refused);
	g_test_add_func ("/push/interrupt-batches", test_interrupt_batches);
	g_test_add_func ("/push/interrupt-waiting", test_interrupt_waiting);
	g_test_add_func ("/push/refusals", test_refusals);
	g_test_add_func ("/push/remove", test_remove);

	result = g_test_run ();

	g_clear_object (&hubspot_client);
	g_object_unref (local_client);
	e_source_remove_sync (local_source, NULL, NULL);
	g_object_unref (local_source);
	g_object_unref (hubspot_source);
	hubspot_test_shutdown ();

	return result;
}
