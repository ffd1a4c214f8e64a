/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot push: copies the events of a calendar or of an .ics
 * file into a HubSpot calendar, which sends them to HubSpot.
 *
 * The HubSpot calendar does the sending; this command only stores the
 * events in it, in batches, and then watches their sync state.  Events
 * are known by UID, so a second run, or a run after an interruption,
 * creates nothing twice. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <libecal/libecal.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"
#include "e-hubspot-tool.h"
#include "e-hubspot-tool-push.h"

#define BATCH_SIZE 50
#define POLL_INTERVAL_MS 500
#define CONNECT_TIMEOUT_S 15
#define DEFAULT_WAIT_TIMEOUT_S 120
#define BAR_WIDTH 30

static const gchar *skip_reasons[N_SKIP_REASONS] = {
	N_("not an event"),
	N_("private (use --include-private to push them)"),
	N_("outside the date range"),
	N_("already a HubSpot meeting (X-HUBSPOT-MEETING-ID)"),
	N_("an older copy of another event with the same UID")
};

static void
push_failure_free (gpointer ptr)
{
	PushFailure *failure = ptr;

	g_free (failure->uid);
	g_free (failure->summary);
	g_free (failure->reason);
	g_free (failure);
}

static const gchar *
event_summary (ICalComponent *icomp)
{
	const gchar *summary = icomp ? i_cal_component_get_summary (icomp) : NULL;

	return summary && *summary ? summary : _("(untitled)");
}

static void
add_failure (GPtrArray *failures,
	     PushEvent *event,
	     const gchar *reason)
{
	PushFailure *failure = g_new0 (PushFailure, 1);

	failure->uid = g_strdup (event->uid);
	failure->summary = g_strdup (event_summary (event->master));
	failure->reason = g_strdup (reason && *reason ? reason : _("Unknown error"));
	g_ptr_array_add (failures, failure);
}

/* ---- Progress ---------------------------------------------------------- */

static void
progress_show (PushRun *run,
	       const gchar *label,
	       guint done,
	       guint total,
	       gboolean force)
{
	gint64 now = g_get_monotonic_time ();

	if (run->tty) {
		gchar bar[BAR_WIDTH + 1];
		guint filled = total ? (guint) ((guint64) done * BAR_WIDTH / total) : BAR_WIDTH;

		memset (bar, '#', filled);
		memset (bar + filled, '-', BAR_WIDTH - filled);
		bar[BAR_WIDTH] = '\0';
		fprintf (stderr, "\r%s [%s] %u/%u ", label, bar, done, total);
		fflush (stderr);
		run->bar_shown = TRUE;
	} else if (force || label != run->last_progress_label ||
		   (done != run->last_progress_done && now - run->last_progress >= G_USEC_PER_SEC)) {
		/* Not a terminal: a plain line now and then, for logs. */
		fprintf (stderr, "%s %u/%u\n", label, done, total);
		run->last_progress = now;
		run->last_progress_done = done;
		run->last_progress_label = label;
	}
}

static void
progress_end (PushRun *run)
{
	if (run->bar_shown)
		fprintf (stderr, "\n");
	run->bar_shown = FALSE;
}

static gboolean
push_on_signal (gpointer user_data)
{
	PushRun *run = user_data;

	run->interrupted = TRUE;

	return G_SOURCE_CONTINUE;
}

/* The signal sources are dispatched here, between two batches. */
static gboolean
push_check_interrupted (PushRun *run)
{
	while (g_main_context_iteration (NULL, FALSE))
		;

	return run->interrupted;
}

/* ---- Dry run ------------------------------------------------------------ */

static gchar *
format_time (ICalTime *itt,
	     const gchar *tzid)
{
	if (!itt || i_cal_time_is_null_time (itt))
		return g_strdup ("-");

	if (i_cal_time_is_date (itt))
		return g_strdup_printf ("%04d-%02d-%02d", i_cal_time_get_year (itt),
			i_cal_time_get_month (itt), i_cal_time_get_day (itt));

	return g_strdup_printf ("%04d-%02d-%02d %02d:%02d%s%s", i_cal_time_get_year (itt),
		i_cal_time_get_month (itt), i_cal_time_get_day (itt),
		i_cal_time_get_hour (itt), i_cal_time_get_minute (itt),
		i_cal_time_is_utc (itt) ? " UTC" : tzid ? " " : "",
		i_cal_time_is_utc (itt) || !tzid ? "" : tzid);
}

static gchar *
prop_dup_tzid (ICalProperty *prop)
{
	ICalParameter *param = prop ? i_cal_property_get_first_parameter (prop, I_CAL_TZID_PARAMETER) : NULL;
	gchar *tzid = NULL;

	if (param) {
		tzid = g_strdup (i_cal_parameter_get_tzid (param));
		g_object_unref (param);
	}

	return tzid;
}

static gchar *
dup_tzid (ICalComponent *icomp,
	  ICalPropertyKind kind)
{
	ICalProperty *prop = i_cal_component_get_first_property (icomp, kind);
	gchar *tzid = prop_dup_tzid (prop);

	g_clear_object (&prop);

	return tzid;
}

static void
print_dry_run (PushRun *run)
{
	guint ii;

	for (ii = 0; ii < run->selected->len; ii++) {
		PushEvent *event = g_ptr_array_index (run->selected, ii);
		ICalTime *dtstart = i_cal_component_get_dtstart (event->master);
		ICalTime *dtend = i_cal_component_get_dtend (event->master);
		g_autofree gchar *start_tzid = dup_tzid (event->master, I_CAL_DTSTART_PROPERTY);
		g_autofree gchar *end_tzid = dup_tzid (event->master, I_CAL_DTEND_PROPERTY);
		g_autofree gchar *start = format_time (dtstart, start_tzid);
		g_autofree gchar *end = format_time (dtend, end_tzid ? end_tzid : start_tzid);

		g_clear_object (&dtstart);
		g_clear_object (&dtend);

		printf ("%s  %s  %s", start, end, event_summary (event->master));
		if (e_cal_util_component_has_property (event->master, I_CAL_RRULE_PROPERTY) ||
		    e_cal_util_component_has_property (event->master, I_CAL_RDATE_PROPERTY))
			printf (" %s", _("(recurring)"));
		printf ("\n");
	}
}

/* ---- Pushing ------------------------------------------------------------ */

/* The time zones the events name, copied first so that their times keep
 * their meaning in the HubSpot calendar. */
static void
copy_timezones (PushRun *run)
{
	g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	guint ii, jj;

	for (ii = 0; ii < run->selected->len; ii++) {
		PushEvent *event = g_ptr_array_index (run->selected, ii);

		for (jj = 0; jj <= event->instances->len; jj++) {
			ICalComponent *icomp = jj ? g_ptr_array_index (event->instances, jj - 1) : event->master;
			ICalProperty *prop;

			for (prop = i_cal_component_get_first_property (icomp, I_CAL_ANY_PROPERTY);
			     prop;
			     g_object_unref (prop), prop = i_cal_component_get_next_property (icomp, I_CAL_ANY_PROPERTY)) {
				g_autofree gchar *tzid = prop_dup_tzid (prop);
				g_autoptr(GError) error = NULL;
				ICalTimezone *zone;

				if (!tzid || g_hash_table_contains (done, tzid))
					continue;
				g_hash_table_add (done, g_strdup (tzid));

				/* Builtin zones the calendar knows by itself. */
				e_hubspot_push_resolve_tzid (tzid, run, NULL, NULL);
				zone = g_hash_table_lookup (run->zones, tzid);
				if (zone && !e_cal_client_add_timezone_sync (run->target, zone, NULL, &error))
					g_printerr (_("Warning: cannot copy the time zone “%s”: %s\n"), tzid, error->message);
			}
		}
	}
}

static gboolean
push_instances (PushRun *run,
		PushEvent *event)
{
	g_autoptr(GError) error = NULL;
	GSList *icomps = NULL;
	guint ii;

	if (!event->instances->len)
		return TRUE;

	for (ii = event->instances->len; ii > 0; ii--)
		icomps = g_slist_prepend (icomps, g_ptr_array_index (event->instances, ii - 1));

	e_cal_client_modify_objects_sync (run->target, icomps, E_CAL_OBJ_MOD_THIS,
		E_CAL_OPERATION_FLAG_NONE, NULL, &error);
	g_slist_free (icomps);

	if (error) {
		g_autofree gchar *reason = g_strdup_printf (
			_("the event is in the calendar, but not its changed occurrences: %s"), error->message);

		add_failure (run->failures, event, reason);
		return FALSE;
	}

	return TRUE;
}

static void
push_one (PushRun *run,
	  PushEvent *event)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uid = NULL;

	if (!e_hubspot_push_event_check_dates (event, &error)) {
		add_failure (run->failures, event, error->message);
		return;
	}

	/* Already there: the batch that failed stored it before it stopped. */
	if (e_cal_client_create_object_sync (run->target, event->master, E_CAL_OPERATION_FLAG_NONE,
		&uid, NULL, &error) ||
	    g_error_matches (error, E_CAL_CLIENT_ERROR, E_CAL_CLIENT_ERROR_OBJECT_ID_ALREADY_EXISTS)) {
		if (push_instances (run, event))
			g_ptr_array_add (run->pushed, event);
	} else {
		add_failure (run->failures, event, error->message);
	}
}

static void
push_batch (PushRun *run,
	    guint from,
	    guint count)
{
	g_autoptr(GError) error = NULL;
	GSList *icomps = NULL, *uids = NULL;
	gboolean all_dates_real = TRUE;
	guint ii;

	for (ii = from + count; ii > from; ii--) {
		PushEvent *event = g_ptr_array_index (run->selected, ii - 1);

		icomps = g_slist_prepend (icomps, event->master);
		all_dates_real = all_dates_real && e_hubspot_push_event_check_dates (event, NULL);
	}

	/* An event with a date that is none never reaches EDS (push_one
	 * says why); the others of its batch go one by one. */
	if (all_dates_real &&
	    e_cal_client_create_objects_sync (run->target, icomps, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error)) {
		for (ii = from; ii < from + count; ii++) {
			PushEvent *event = g_ptr_array_index (run->selected, ii);

			if (push_instances (run, event))
				g_ptr_array_add (run->pushed, event);
		}
	} else {
		/* One bad event must not hold back the others. */
		for (ii = from; ii < from + count; ii++)
			push_one (run, g_ptr_array_index (run->selected, ii));
	}

	g_slist_free (icomps);
	g_slist_free_full (uids, g_free);
}

static void
push_all (PushRun *run)
{
	const gchar *label = _("Pushing");
	guint done = 0;

	progress_show (run, label, 0, run->selected->len, TRUE);

	while (done < run->selected->len && !push_check_interrupted (run)) {
		guint count = MIN (BATCH_SIZE, run->selected->len - done);

		push_batch (run, done, count);
		done += count;
		progress_show (run, label, done, run->selected->len, done == run->selected->len);
	}

	progress_end (run);
}

/* Waits until the HubSpot calendar has sent each pushed event, or failed
 * to; gives up after run->timeout seconds without any progress. */
static void
wait_for_hubspot (PushRun *run)
{
	g_autoptr(GHashTable) pushed = g_hash_table_new (g_str_hash, g_str_equal);
	const gchar *label = _("Sending to HubSpot");
	gint64 last_change = g_get_monotonic_time ();
	guint last_done = G_MAXUINT;
	guint ii;

	for (ii = 0; ii < run->pushed->len; ii++) {
		PushEvent *event = g_ptr_array_index (run->pushed, ii);

		g_hash_table_insert (pushed, event->uid, event);
	}

	run->waited = TRUE;

	while (TRUE) {
		g_autoptr(GError) error = NULL;
		GSList *icomps = NULL, *link;
		guint synced = 0, waiting = 0;

		g_ptr_array_set_size (run->refused, 0);

		if (!e_cal_client_get_object_list_sync (run->target, "#t", &icomps, NULL, &error)) {
			progress_end (run);
			e_hubspot_tool_print_error (_("Cannot read the HubSpot calendar"), error);
			run->waiting = run->pushed->len;
			return;
		}

		for (link = icomps; link; link = link->next) {
			ICalComponent *icomp = link->data;
			PushEvent *event = g_hash_table_lookup (pushed, i_cal_component_get_uid (icomp));
			g_autofree gchar *state = NULL;

			if (!event || e_cal_util_component_has_property (icomp, I_CAL_RECURRENCEID_PROPERTY))
				continue;

			state = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_SYNC_STATE);
			if (g_strcmp0 (state, "synced") == 0) {
				synced++;
			} else if (g_strcmp0 (state, "failed") == 0) {
				g_autofree gchar *reason = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_ERROR);

				add_failure (run->refused, event, reason);
			} else {
				waiting++;
			}
		}
		g_slist_free_full (icomps, g_object_unref);

		run->synced = synced;
		run->waiting = waiting;

		if (synced + run->refused->len != last_done) {
			last_done = synced + run->refused->len;
			last_change = g_get_monotonic_time ();
		}
		progress_show (run, label, last_done, last_done + waiting, !waiting);

		if (!waiting || push_check_interrupted (run) ||
		    g_get_monotonic_time () - last_change > (gint64) run->timeout * G_USEC_PER_SEC)
			break;

		g_usleep (POLL_INTERVAL_MS * 1000);
	}

	progress_end (run);
}

/* Without a connection the HubSpot calendar keeps the events as offline
 * changes: give the registry a moment to hand it the token first. */
static void
wait_for_connection (PushRun *run)
{
	gint64 deadline = g_get_monotonic_time () + CONNECT_TIMEOUT_S * G_USEC_PER_SEC;

	while (e_source_get_connection_status (run->target_source) != E_SOURCE_CONNECTION_STATUS_CONNECTED) {
		if (push_check_interrupted (run))
			return;
		if (g_get_monotonic_time () >= deadline) {
			g_printerr (_("Warning: the calendar “%s” is not connected to HubSpot (no sign-in or key in the keyring?); "
				      "it keeps the events and sends them once it connects.\n"),
				e_source_get_display_name (run->target_source));
			return;
		}
		g_usleep (20000);
	}
}

/* ---- The summary -------------------------------------------------------- */

static void
print_failures (GPtrArray *failures)
{
	guint ii;

	for (ii = 0; ii < failures->len; ii++) {
		PushFailure *failure = g_ptr_array_index (failures, ii);

		printf ("    “%s” (%s): %s\n", failure->summary, failure->uid, failure->reason);
	}
}

static void
print_summary (PushRun *run)
{
	guint skipped = 0;
	guint ii;

	for (ii = 0; ii < N_SKIP_REASONS; ii++)
		skipped += run->skipped[ii];

	if (run->dry_run)
		printf (_("Would push: %u\n"), run->selected->len);
	else
		printf (_("Pushed: %u\n"), run->pushed->len);
	printf (_("Already there: %u\n"), run->already);
	printf (_("Skipped: %u\n"), skipped);
	for (ii = 0; ii < N_SKIP_REASONS; ii++) {
		if (run->skipped[ii])
			printf ("    %s: %u\n", _(skip_reasons[ii]), run->skipped[ii]);
	}
	if (!run->dry_run) {
		printf (_("Failed: %u\n"), run->failures->len);
		print_failures (run->failures);
	}

	if (run->waited) {
		printf (_("Sent to HubSpot: %u\n"), run->synced);
		printf (_("Refused by HubSpot: %u\n"), run->refused->len);
		print_failures (run->refused);
		if (run->waiting && !run->interrupted)
			printf (_("Still waiting: %u (the calendar sends them when HubSpot can be reached)\n"), run->waiting);
	}

	if (run->interrupted) {
		guint left = run->selected->len - run->pushed->len - run->failures->len;

		if (left)
			printf (_("Interrupted. Not pushed yet: %u. Run the same command again to push the rest.\n"), left);
		else
			printf (_("Interrupted while waiting: the HubSpot calendar has every event and keeps sending them.\n"));
	}

	if (!run->dry_run && !run->selected->len && run->already)
		printf (_("Nothing new to push: “%s” already has these events of %s.\n"),
			e_source_get_display_name (run->target_source), run->from_name);
	else if (!run->dry_run && !run->selected->len)
		printf (_("Nothing to push from %s.\n"), run->from_name);
}

/* ---- The command ---------------------------------------------------------- */

static gboolean
parse_date (const gchar *text,
	    gint64 *out_time,
	    gint add_days)
{
	g_autoptr(GDateTime) date = NULL;
	g_autoptr(GDateTime) shifted = NULL;
	guint year, month, day;
	gchar extra;

	if (sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &extra) != 3 ||
	    strlen (text) != 10 || !g_date_valid_dmy (day, month, year))
		return FALSE;

	date = g_date_time_new_local (year, month, day, 0, 0, 0);
	shifted = date ? g_date_time_add_days (date, add_days) : NULL;
	if (!shifted)
		return FALSE;

	*out_time = g_date_time_to_unix (shifted);

	return TRUE;
}

static void
push_run_clear (PushRun *run)
{
	g_free (run->from);
	g_free (run->to);
	g_free (run->from_name);
	g_clear_object (&run->registry);
	g_clear_object (&run->target_source);
	g_clear_object (&run->target);
	g_clear_object (&run->from_client);
	g_clear_pointer (&run->zones, g_hash_table_unref);
	g_clear_pointer (&run->unknown_zones, g_hash_table_unref);
	g_clear_pointer (&run->selected, g_ptr_array_unref);
	g_clear_pointer (&run->pushed, g_ptr_array_unref);
	g_clear_pointer (&run->events_by_uid, g_hash_table_unref);
	g_clear_pointer (&run->events, g_ptr_array_unref);
	g_clear_pointer (&run->existing, g_hash_table_unref);
	g_clear_pointer (&run->failures, g_ptr_array_unref);
	g_clear_pointer (&run->refused, g_ptr_array_unref);
}

static gint
push_exit_code (PushRun *run)
{
	if (run->interrupted || run->failures->len)
		return E_HUBSPOT_TOOL_EXIT_FAILED;
	if (run->refused->len)
		return E_HUBSPOT_TOOL_EXIT_HUBSPOT;
	if (run->waiting)
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;

	return E_HUBSPOT_TOOL_EXIT_OK;
}

static gint
push_run (PushRun *run)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *zone_name = NULL;
	EClient *client;
	gint code;

	run->registry = e_source_registry_new_sync (NULL, &error);
	if (!run->registry) {
		e_hubspot_tool_print_error (_("Cannot reach the calendar service (evolution-source-registry)"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	run->target_source = e_hubspot_tool_find_hubspot_calendar (run->registry, run->to, &error);
	if (!run->target_source) {
		g_printerr ("%s\n", error->message);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	zone_name = e_source_hubspot_dup_timezone (e_source_get_extension (run->target_source, E_SOURCE_EXTENSION_HUBSPOT));
	run->default_zone = zone_name ? i_cal_timezone_get_builtin_timezone (zone_name) : NULL;
	if (!run->default_zone)
		run->default_zone = e_cal_util_get_system_timezone ();

	code = e_hubspot_push_read_source (run);
	if (code >= 0)
		return code;

	/* (guint32) -1: no waiting inside the call, which stalls without a
	 * main loop; wait_for_connection() waits instead. */
	client = e_cal_client_connect_sync (run->target_source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS, (guint32) -1, NULL, &error);
	if (client) {
		run->target = E_CAL_CLIENT (client);
		e_hubspot_push_read_existing (run, &error);
	}
	if (error) {
		e_hubspot_tool_print_error (_("Cannot open the HubSpot calendar"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	e_hubspot_push_select (run);

	if (run->dry_run) {
		print_dry_run (run);
		print_summary (run);
		return E_HUBSPOT_TOOL_EXIT_OK;
	}

	if (run->selected->len) {
		guint sigint_id = g_unix_signal_add (SIGINT, push_on_signal, run);
		guint sigterm_id = g_unix_signal_add (SIGTERM, push_on_signal, run);

		wait_for_connection (run);
		copy_timezones (run);
		push_all (run);

		if (!run->no_wait && run->pushed->len && !run->interrupted)
			wait_for_hubspot (run);

		g_source_remove (sigint_id);
		g_source_remove (sigterm_id);
	}

	print_summary (run);

	return push_exit_code (run);
}

gint
e_hubspot_tool_push (gint argc,
		     gchar **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *since = NULL;
	g_autofree gchar *until = NULL;
	PushRun run = { 0, };
	gint code;
	GOptionEntry entries[] = {
		{ "from", 'f', 0, G_OPTION_ARG_FILENAME, &run.from, N_("The calendar (UID or name) or the .ics file (“-”: standard input) to copy the events of"), N_("CALENDAR|FILE") },
		{ "to", 't', 0, G_OPTION_ARG_STRING, &run.to, N_("The HubSpot calendar (UID or name); may be left out when there is only one"), N_("CALENDAR") },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only events that end on or after this day"), N_("YYYY-MM-DD") },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Only events that start on or before this day"), N_("YYYY-MM-DD") },
		{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &run.dry_run, N_("Only list the events that would be pushed; change nothing"), NULL },
		{ "include-private", 0, 0, G_OPTION_ARG_NONE, &run.include_private, N_("Push private and confidential events too"), NULL },
		{ "no-wait", 0, 0, G_OPTION_ARG_NONE, &run.no_wait, N_("Do not wait for the HubSpot calendar to send the events"), NULL },
		{ "timeout", 0, 0, G_OPTION_ARG_INT, &run.timeout, N_("Stop waiting after this many seconds without progress (default: 120)"), N_("SECONDS") },
		{ NULL }
	};

	run.timeout = DEFAULT_WAIT_TIMEOUT_S;
	run.range_start = G_MININT64;
	run.range_end = G_MAXINT64;

	g_set_prgname ("evolution-hubspot push");
	context = g_option_context_new (NULL);
	g_option_context_set_summary (context,
		_("Copies the events of a calendar or of an .ics file into a HubSpot calendar, which sends them to HubSpot as meetings."));
	g_option_context_set_description (context,
		_("Events are known by their UID: an event already in the HubSpot calendar is left alone, so running\n"
		  "the command again creates nothing twice, and an interrupted push (Ctrl-C) can simply be run again.\n"
		  "A recurring event goes with its changed occurrences. Private and confidential events are skipped\n"
		  "unless --include-private is given. Dates are days in the local time zone; an event is taken when\n"
		  "it overlaps the range (a recurring one: from its first to its last occurrence).\n"
		  "\n"
		  "Exit status: 0 done, 1 some events could not be stored or the push was interrupted, 2 bad\n"
		  "arguments, 3 HubSpot refused some events, 4 the calendar service could not be reached, or\n"
		  "events were still waiting to be sent when the command stopped waiting.\n"
		  "\n"
		  "Example: evolution-hubspot push --from Personal --to HubSpot --since 2026-01-01"));
	g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
	g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("%s\n", error->message);
		push_run_clear (&run);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	code = -1;
	if (argc > 1) {
		g_printerr (_("Unexpected argument “%s”.\n"), argv[1]);
		code = E_HUBSPOT_TOOL_EXIT_USAGE;
	} else if (!run.from || !*run.from) {
		g_printerr ("%s\n", _("Say where the events come from: --from CALENDAR or --from FILE.ics."));
		code = E_HUBSPOT_TOOL_EXIT_USAGE;
	} else if ((since && !parse_date (since, &run.range_start, 0)) ||
		   (until && !parse_date (until, &run.range_end, 1))) {
		g_printerr ("%s\n", _("Dates are written YYYY-MM-DD, for example 2026-03-31."));
		code = E_HUBSPOT_TOOL_EXIT_USAGE;
	} else if (run.range_start >= run.range_end) {
		g_printerr ("%s\n", _("--since is after --until."));
		code = E_HUBSPOT_TOOL_EXIT_USAGE;
	} else if (run.timeout <= 0) {
		g_printerr ("%s\n", _("--timeout must be a positive number of seconds."));
		code = E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (code < 0) {
		run.tty = isatty (STDERR_FILENO);
		run.zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
		run.unknown_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		run.events = g_ptr_array_new_with_free_func (e_hubspot_push_event_free);
		run.events_by_uid = g_hash_table_new (g_str_hash, g_str_equal);
		run.existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		run.selected = g_ptr_array_new ();
		run.pushed = g_ptr_array_new ();
		run.failures = g_ptr_array_new_with_free_func (push_failure_free);
		run.refused = g_ptr_array_new_with_free_func (push_failure_free);

		code = push_run (&run);
	}

	push_run_clear (&run);

	return code;
}
