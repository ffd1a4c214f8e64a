/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <unistd.h>
#include <libsoup/soup.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-recurrence.h"
#include "bench-common.h"

gdouble
bench_now (void)
{
	return g_get_monotonic_time () / (gdouble) G_USEC_PER_SEC;
}

static gint
compare_doubles (gconstpointer a,
		 gconstpointer b)
{
	gdouble da = *(const gdouble *) a, db = *(const gdouble *) b;

	return da < db ? -1 : da > db ? 1 : 0;
}

gdouble
bench_percentile (GArray *values,
		  gdouble percentile)
{
	gdouble rank;
	guint low;

	if (!values->len)
		return -1;

	g_array_sort (values, compare_doubles);
	rank = percentile / 100.0 * (values->len - 1);
	low = (guint) rank;
	if (low + 1 >= values->len)
		return g_array_index (values, gdouble, values->len - 1);

	return g_array_index (values, gdouble, low) +
		(rank - low) * (g_array_index (values, gdouble, low + 1) - g_array_index (values, gdouble, low));
}

gdouble
bench_median (GArray *values)
{
	return bench_percentile (values, 50);
}

gint64
bench_event_base (void)
{
	gint64 now = g_get_real_time () / G_USEC_PER_SEC;

	/* A week ahead, on the hour: every event is a future meeting, so
	 * all of them take the scheduler's calendar call. */
	return now - now % 3600 + 7 * 86400;
}

gchar *
bench_event_uid (const gchar *tag,
		 guint index)
{
	return g_strdup_printf ("bench-%s-%u@evolution-hubspot", tag, index);
}

gchar *
bench_new_tag (const gchar *prefix)
{
	return g_strdup_printf ("%s%d-%" G_GINT64_FORMAT, prefix, (gint) getpid (), g_get_real_time () % 100000000);
}

/* GLib reads and expands a zone's file for every new GTimeZone (about
 * 0.15 ms each): the few zones the events use are made once, so that
 * making events costs the harness little. */
static GTimeZone *
zone_for (const gchar *zone_name)
{
	static GHashTable *zones = NULL;
	GTimeZone *zone;

	if (!zones)
		zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_time_zone_unref);

	zone = g_hash_table_lookup (zones, zone_name ? zone_name : "UTC");
	if (!zone) {
		zone = zone_name ? g_time_zone_new_identifier (zone_name) : NULL;
		if (!zone)
			zone = g_time_zone_new_utc ();
		g_hash_table_insert (zones, g_strdup (zone_name ? zone_name : "UTC"), zone);
	}

	return zone;
}

static gchar *
format_in_zone (gint64 unix_time,
		const gchar *zone_name,
		const gchar *format)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
	g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone_for (zone_name));

	return g_date_time_format (local, format);
}

/* Event index of a run, starting at start (Unix seconds), with extra
 * lines (an RRULE) or none. */
static gchar *
bench_event_ical_at (const gchar *tag,
		     guint index,
		     gint64 start,
		     const gchar *extra)
{
	g_autofree gchar *uid = bench_event_uid (tag, index);
	g_autofree gchar *stamp = format_in_zone (g_get_real_time () / G_USEC_PER_SEC, NULL, "%Y%m%dT%H%M%SZ");
	g_autofree gchar *start_paris = format_in_zone (start, "Europe/Paris", "%Y%m%dT%H%M%S");
	g_autofree gchar *end_paris = format_in_zone (start + 3600, "Europe/Paris", "%Y%m%dT%H%M%S");
	g_autofree gchar *day = format_in_zone (start, "Europe/Paris", "%Y%m%d");
	g_autofree gchar *next_day = format_in_zone (start + 86400, "Europe/Paris", "%Y%m%d");
	g_autofree gchar *start_utc = format_in_zone (start, NULL, "%Y%m%dT%H%M%SZ");
	g_autofree gchar *start_ny = format_in_zone (start, "America/New_York", "%Y%m%dT%H%M%S");
	g_autofree gchar *end_ny = format_in_zone (start + 1800, "America/New_York", "%Y%m%dT%H%M%S");
	g_autofree gchar *body = NULL;

	/* What Evolution and GNOME Calendar typically create. */
	switch (index % 4) {
	case 0:
		body = g_strdup_printf (
			"SUMMARY:Customer call %u\r\n"
			"DTSTART;TZID=Europe/Paris:%s\r\nDTEND;TZID=Europe/Paris:%s\r\n"
			"DESCRIPTION:Agenda:\\n1. numbers\\n2. next steps <draft>\r\n"
			"LOCATION:https://meet.example.com/room-%u\r\n"
			"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=START:-PT15M\r\n"
			"DESCRIPTION:Customer call\r\nEND:VALARM\r\n",
			index, start_paris, end_paris, index);
		break;
	case 1:
		body = g_strdup_printf (
			"SUMMARY:Customer offsite %u\r\n"
			"DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\nTRANSP:TRANSPARENT\r\n"
			"LOCATION:12 Quai de la Tournelle\\, Paris\r\n",
			index, day, next_day);
		break;
	case 2:
		body = g_strdup_printf (
			"SUMMARY:Renewal negotiation %u\r\n"
			"DTSTART:%s\r\nDURATION:PT45M\r\n"
			"ORGANIZER;CN=Owner:mailto:owner@example.com\r\n"
			"ATTENDEE;CN=Pat Buyer;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:pat@customer.example\r\n"
			"BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-P1D\r\nSUMMARY:Reminder\r\n"
			"DESCRIPTION:Prepare the renewal\r\nATTENDEE:mailto:owner@example.com\r\nEND:VALARM\r\n",
			index, start_utc);
		break;
	default:
		body = g_strdup_printf (
			"SUMMARY:Support follow-up %u\r\n"
			"DTSTART;TZID=America/New_York:%s\r\nDTEND;TZID=America/New_York:%s\r\n"
			"LOCATION:tel:+1 555 0100\r\nCOMMENT:Ticket %u: escalated twice\r\nCATEGORIES:Support\r\n",
			index, start_ny, end_ny, index);
		break;
	}

	return g_strdup_printf (
		"BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:%s\r\nCREATED:%s\r\nLAST-MODIFIED:%s\r\nSEQUENCE:0\r\n"
		"%s%sEND:VEVENT\r\n", uid, stamp, stamp, stamp, body, extra ? extra : "");
}

gchar *
bench_event_ical (const gchar *tag,
		  guint index,
		  gint64 base_utc)
{
	return bench_event_ical_at (tag, index, base_utc + (gint64) index * 3600, NULL);
}

gchar *
bench_event_ical_mixed (const gchar *tag,
			guint index,
			gint64 now)
{
	gint64 hour = now - now % 3600;

	switch (index % 10) {
	case 7:
	case 8:
		return bench_event_ical_at (tag, index, hour + 7 * 86400 + (gint64) index * 60, NULL);
	case 9:
		/* Started yesterday: that occurrence ended and is not sent;
		 * today's and tomorrow's are.  Within a minute of each other:
		 * spread over hours, the all-day ones' first day crossed
		 * midnight in Paris in evening runs, and had three to send. */
		return bench_event_ical_at (tag, index, hour - 86400 + 2 * 3600 + (gint64) (index % 60),
			"RRULE:FREQ=DAILY;COUNT=3\r\n");
	default:
		return bench_event_ical_at (tag, index, hour - 30 * 86400 + (gint64) index * 60, NULL);
	}
}

static SoupSession *
main_session (void)
{
	static SoupSession *session = NULL;

	if (!session)
		session = soup_session_new_with_options ("timeout", 30, NULL);

	return session;
}

static JsonNode *
mock_call (SoupSession *session,
	   const gchar *mock_url,
	   const gchar *method,
	   const gchar *path)
{
	g_autofree gchar *uri = g_strconcat (mock_url, path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new ();

	if (!msg) {
		g_printerr ("bench: bad URL %s\n", uri);
		return NULL;
	}

	bytes = soup_session_send_and_read (session, msg, NULL, &error);
	if (!bytes || soup_message_get_status (msg) >= 300) {
		g_printerr ("bench: %s %s failed: %s\n", method, uri, error ? error->message :
			soup_message_get_reason_phrase (msg));
		return NULL;
	}

	if (!g_bytes_get_size (bytes))
		return json_node_new (JSON_NODE_NULL);

	if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) {
		g_printerr ("bench: %s %s: %s\n", method, uri, error->message);
		return NULL;
	}

	return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
bench_mock_call (const gchar *mock_url,
		 const gchar *method,
		 const gchar *path)
{
	return mock_call (main_session (), mock_url, method, path);
}

static gboolean
mock_stats (SoupSession *session,
	    const gchar *mock_url,
	    gint64 *out_requests,
	    gint64 *out_creates,
	    gint64 *out_rate_limited)
{
	g_autoptr(JsonNode) node = mock_call (session, mock_url, "GET", "/__mock/stats");
	JsonObject *stats;

	if (!node || !JSON_NODE_HOLDS_OBJECT (node))
		return FALSE;

	stats = json_node_get_object (node);
	if (out_requests)
		*out_requests = json_object_get_int_member_with_default (stats, "requests", -1);
	if (out_creates)
		*out_creates = json_object_get_int_member_with_default (stats, "creates", -1);
	if (out_rate_limited)
		*out_rate_limited = json_object_get_int_member_with_default (stats, "rate_limited", -1);

	return TRUE;
}

gboolean
bench_mock_stats (const gchar *mock_url,
		  gint64 *out_requests,
		  gint64 *out_creates,
		  gint64 *out_rate_limited)
{
	return mock_stats (main_session (), mock_url, out_requests, out_creates, out_rate_limited);
}

/* D-Bus re-parents the factory to PID 1: find ours by the session's
 * private runtime dir, as tests/hubspot-sandbox does. */
gint
bench_factory_pid (void)
{
	const gchar *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
	g_autofree gchar *wanted = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir ? runtime_dir : "", NULL);
	g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
	const gchar *name;

	if (!dir || !runtime_dir)
		return 0;

	while ((name = g_dir_read_name (dir))) {
		g_autofree gchar *cmdline_path = NULL, *environ_path = NULL;
		g_autofree gchar *cmdline = NULL, *environ = NULL;
		g_autofree gchar *base = NULL;
		gsize len = 0, pos;

		if (!g_ascii_isdigit (*name))
			continue;

		cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
		if (!g_file_get_contents (cmdline_path, &cmdline, NULL, NULL))
			continue;
		base = g_path_get_basename (cmdline);
		if (g_strcmp0 (base, "evolution-calendar-factory") != 0)
			continue;

		environ_path = g_build_filename ("/proc", name, "environ", NULL);
		if (!g_file_get_contents (environ_path, &environ, &len, NULL))
			continue;
		for (pos = 0; pos < len; pos += strlen (environ + pos) + 1) {
			if (g_strcmp0 (environ + pos, wanted) == 0)
				return (gint) g_ascii_strtoll (name, NULL, 10);
		}
	}

	return 0;
}

gint64
bench_proc_status_kib (gint pid,
		       const gchar *field)
{
	g_autofree gchar *path = g_strdup_printf ("/proc/%d/status", pid);
	g_autofree gchar *contents = NULL;
	g_autofree gchar *key = g_strconcat ("\n", field, ":", NULL);
	const gchar *found;

	if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL))
		return -1;

	found = strstr (contents, key);
	if (!found)
		return -1;

	return g_ascii_strtoll (found + strlen (key), NULL, 10);
}

gdouble
bench_proc_cpu_seconds (gint pid)
{
	g_autofree gchar *path = g_strdup_printf ("/proc/%d/stat", pid);
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) fields = NULL;
	const gchar *after;

	if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL))
		return -1;

	/* The command name may hold spaces: count fields after its ')'. */
	after = strrchr (contents, ')');
	if (!after)
		return -1;
	fields = g_strsplit (after + 2, " ", -1);
	if (g_strv_length (fields) < 13)
		return -1;

	/* fields[0] is field 3 (state); utime and stime are fields 14, 15. */
	return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) /
		(gdouble) sysconf (_SC_CLK_TCK);
}

struct _BenchIdTracker {
	ECalClientView *view;
	gchar *uid_prefix;
	guint series_occurrences;	/* a series is synced with this many synced marks */
	GHashTable *ids;	/* uids seen with a meeting id */
	GHashTable *failed;	/* uids seen failed */
	gdouble last_id_at;
};

static guint
tracker_count_synced_marks (ICalComponent *master)
{
	g_autoptr(GHashTable) marks = e_hubspot_occurrence_marks_read (master);
	GHashTableIter iter;
	gpointer value;
	guint synced = 0;

	g_hash_table_iter_init (&iter, marks);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		EHubSpotOccurrenceMark *mark = value;

		if (g_strcmp0 (mark->state, E_HUBSPOT_OCCURRENCE_SYNCED) == 0)
			synced++;
	}

	return synced;
}

static void
tracker_objects_cb (ECalClientView *view,
		    const GSList *objects,
		    gpointer user_data)
{
	BenchIdTracker *tracker = user_data;
	const GSList *link;

	for (link = objects; link; link = link->next) {
		ICalComponent *icomp = link->data;
		const gchar *uid = i_cal_component_get_uid (icomp);
		g_autofree gchar *id = NULL;
		g_autofree gchar *state = NULL;

		if (!uid || !g_str_has_prefix (uid, tracker->uid_prefix))
			continue;

		id = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_MEETING_ID);
		if (!id && tracker->series_occurrences &&
		    e_cal_util_component_has_property (icomp, I_CAL_RRULE_PROPERTY) &&
		    tracker_count_synced_marks (icomp) >= tracker->series_occurrences)
			id = g_strdup ("series");
		if (id && !g_hash_table_contains (tracker->ids, uid)) {
			g_hash_table_add (tracker->ids, g_strdup (uid));
			tracker->last_id_at = bench_now ();
			continue;
		}

		state = e_hubspot_mapping_dup_x_property (icomp, E_HUBSPOT_PROP_SYNC_STATE);
		if (g_strcmp0 (state, "failed") == 0)
			g_hash_table_add (tracker->failed, g_strdup (uid));
	}
}

BenchIdTracker *
bench_id_tracker_new (ECalClient *client,
		      const gchar *tag,
		      GError **error)
{
	BenchIdTracker *tracker = g_new0 (BenchIdTracker, 1);

	tracker->uid_prefix = g_strdup_printf ("bench-%s-", tag);
	tracker->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	tracker->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

	if (!e_cal_client_get_view_sync (client, "#t", &tracker->view, NULL, error)) {
		bench_id_tracker_free (tracker);
		return NULL;
	}

	g_signal_connect (tracker->view, "objects-added", G_CALLBACK (tracker_objects_cb), tracker);
	g_signal_connect (tracker->view, "objects-modified", G_CALLBACK (tracker_objects_cb), tracker);
	e_cal_client_view_start (tracker->view, error);
	if (error && *error) {
		bench_id_tracker_free (tracker);
		return NULL;
	}

	return tracker;
}

void
bench_id_tracker_set_series_occurrences (BenchIdTracker *tracker,
					 guint occurrences)
{
	tracker->series_occurrences = occurrences;
}

void
bench_id_tracker_free (BenchIdTracker *tracker)
{
	if (!tracker)
		return;

	if (tracker->view) {
		g_signal_handlers_disconnect_by_data (tracker->view, tracker);
		e_cal_client_view_stop (tracker->view, NULL);
		g_object_unref (tracker->view);
	}
	g_hash_table_destroy (tracker->ids);
	g_hash_table_destroy (tracker->failed);
	g_free (tracker->uid_prefix);
	g_free (tracker);
}

guint
bench_id_tracker_count_ids (BenchIdTracker *tracker)
{
	return g_hash_table_size (tracker->ids);
}

guint
bench_id_tracker_count_failed (BenchIdTracker *tracker)
{
	return g_hash_table_size (tracker->failed);
}

static gboolean
wake_cb (gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

gdouble
bench_id_tracker_wait (BenchIdTracker *tracker,
		       guint count,
		       gdouble deadline)
{
	/* A tick, so that the deadline is checked while nothing arrives. */
	guint wake_id = g_timeout_add (50, wake_cb, NULL);

	while (g_hash_table_size (tracker->ids) < count &&
	       g_hash_table_size (tracker->ids) + g_hash_table_size (tracker->failed) < count &&
	       bench_now () < deadline)
		g_main_context_iteration (NULL, TRUE);

	g_source_remove (wake_id);

	return g_hash_table_size (tracker->ids) >= count ? tracker->last_id_at : -1;
}

struct _BenchStatsPoller {
	GThread *thread;
	gchar *mock_url;
	gint64 target;		/* creates to wait for */
	gint stop;
	gdouble reached_at;
};

static gpointer
stats_poller_thread (gpointer user_data)
{
	BenchStatsPoller *poller = user_data;
	g_autoptr(GMainContext) context = g_main_context_new ();
	g_autoptr(SoupSession) session = NULL;

	g_main_context_push_thread_default (context);
	session = soup_session_new_with_options ("timeout", 30, NULL);

	while (!g_atomic_int_get (&poller->stop)) {
		gint64 creates = -1;

		if (mock_stats (session, poller->mock_url, NULL, &creates, NULL) && creates >= poller->target) {
			poller->reached_at = bench_now ();
			break;
		}
		g_usleep (25000);
	}

	g_clear_object (&session);
	g_main_context_pop_thread_default (context);

	return NULL;
}

BenchStatsPoller *
bench_stats_poller_start (const gchar *mock_url,
			  gint64 creates_before,
			  gint64 count)
{
	BenchStatsPoller *poller = g_new0 (BenchStatsPoller, 1);

	poller->mock_url = g_strdup (mock_url);
	poller->target = creates_before + count;
	poller->reached_at = -1;
	poller->thread = g_thread_new ("bench-stats", stats_poller_thread, poller);

	return poller;
}

gdouble
bench_stats_poller_stop (BenchStatsPoller *poller)
{
	gdouble reached_at;

	g_atomic_int_set (&poller->stop, 1);
	g_thread_join (poller->thread);
	reached_at = poller->reached_at;
	g_free (poller->mock_url);
	g_free (poller);

	return reached_at;
}

JsonObject *
bench_result_new (const gchar *benchmark)
{
	JsonObject *result = json_object_new ();

	json_object_set_string_member (result, "benchmark", benchmark);

	return result;
}

gboolean
bench_result_write (JsonObject *result,
		    const gchar *path)
{
	g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;

	json_node_set_object (root, result);
	text = json_to_string (root, TRUE);
	if (!g_file_set_contents (path, text, -1, &error)) {
		g_printerr ("bench: cannot write %s: %s\n", path, error->message);
		return FALSE;
	}

	return TRUE;
}
