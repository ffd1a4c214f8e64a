/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The benchmarks that go through EDS, as Evolution does: run inside
 * tests/hubspot-sandbox, against the real registry and calendar factory.
 *
 *   bench-eds respond --mock URL --count N --rounds R --out FILE
 *       create N events one by one, then N in one call, in a HubSpot
 *       calendar and in a local ("On This Computer") one, R rounds
 *   bench-eds sync --mock URL --count N [--chunk C] [--timeout S]
 *                  [--backend hubspot|local] [--mix] --out FILE
 *       create N events (C per call) and wait until each carries its
 *       meeting id; the factory's memory and CPU before and after;
 *       --mix: a push's mix of ended, future and recurring events
 *       (bench_event_ical_mixed ())
 *   bench-eds bodies --count N [--mix] --out FILE
 *       the request bodies of N events, one JSON per line, for the peers;
 *       --mix: {"crm": body} for a meeting that ended (HubSpot's CRM
 *       create), {"scheduler": body} for the others, one per occurrence
 *   bench-eds max-in-flight
 *       the default MaxInFlight of a HubSpot calendar
 *
 * Exits non-zero only when the benchmark could not run. */

#include <stdio.h>
#include <string.h>

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-recurrence.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"
#include "bench-common.h"

#define SETTLE_SECONDS 1.0

static gchar *opt_mock = NULL;
static gchar *opt_out = NULL;
static gchar *opt_backend = NULL;
static gint opt_count = 1000;
static gint opt_rounds = 3;
static gint opt_chunk = 0;
static gint opt_timeout = 300;
static gboolean opt_mix = FALSE;

static GOptionEntry entries[] = {
	{ "mock", 0, 0, G_OPTION_ARG_STRING, &opt_mock, "The mock HubSpot's URL", "URL" },
	{ "out", 0, 0, G_OPTION_ARG_FILENAME, &opt_out, "Write the figures (JSON) there", "FILE" },
	{ "backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend, "sync: hubspot (default) or local", "NAME" },
	{ "count", 0, 0, G_OPTION_ARG_INT, &opt_count, "Events (default 1000)", "N" },
	{ "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "respond: rounds (default 3)", "R" },
	{ "chunk", 0, 0, G_OPTION_ARG_INT, &opt_chunk, "sync: events per create call (default all)", "C" },
	{ "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, "sync: give up after S seconds (default 300)", "S" },
	{ "mix", 0, 0, G_OPTION_ARG_NONE, &opt_mix, "sync, bodies: a push's mix of ended, future and recurring events", NULL },
	{ NULL }
};

static ESource *
create_local_calendar (ESourceRegistry *registry)
{
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	ESourceBackend *calendar;
	ESource *registered;

	source = e_source_new (NULL, NULL, &error);
	g_assert_no_error (error);
	e_source_set_display_name (source, "On This Computer (bench)");
	e_source_set_parent (source, "local-stub");
	calendar = e_source_get_extension (source, E_SOURCE_EXTENSION_CALENDAR);
	e_source_backend_set_backend_name (calendar, "local");

	e_source_registry_commit_source_sync (registry, source, NULL, &error);
	g_assert_no_error (error);
	registered = e_source_registry_ref_source (registry, e_source_get_uid (source));
	g_assert_nonnull (registered);

	return registered;
}

/* The fixture's connect, with patience: a factory under valgrind may
 * not know a calendar made a moment ago, nor connect within seconds. */
static ECalClient *
connect_calendar (ESource *source,
		  const gchar *token)
{
	gdouble deadline = bench_now () + 180;
	g_autoptr(GError) error = NULL;
	EClient *client;

	while (!(client = e_cal_client_connect_sync (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS, (guint32) -1,
		NULL, &error))) {
		if (bench_now () > deadline)
			g_error ("cannot open %s: %s", e_source_get_uid (source), error->message);
		g_clear_error (&error);
		hubspot_test_spin (500);
	}

	if (token) {
		ENamedParameters *credentials = e_named_parameters_new ();

		e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_PASSWORD, token);
		while (!e_source_invoke_authenticate_sync (source, credentials, NULL, &error)) {
			if (bench_now () > deadline)
				g_error ("cannot authenticate: %s", error->message);
			g_clear_error (&error);
			hubspot_test_spin (500);
		}
		e_named_parameters_free (credentials);

		while (e_source_get_connection_status (source) != E_SOURCE_CONNECTION_STATUS_CONNECTED) {
			if (bench_now () > deadline)
				g_error ("the calendar never connected");
			hubspot_test_spin (50);
		}
	}

	return E_CAL_CLIENT (client);
}

static GSList *
make_events (const gchar *tag,
	     guint first,
	     guint count,
	     gint64 base)
{
	GSList *events = NULL;
	guint ii;

	for (ii = first + count; ii > first; ii--) {
		g_autofree gchar *ical = opt_mix ? bench_event_ical_mixed (tag, ii - 1, g_get_real_time () / G_USEC_PER_SEC) :
			bench_event_ical (tag, ii - 1, base);

		events = g_slist_prepend (events, i_cal_component_new_from_string (ical));
	}

	return events;
}

/* Waits until the mock has taken the creates of a phase. */
static void
wait_mock_creates (const gchar *mock_url,
		   gint64 target,
		   gdouble timeout)
{
	gdouble deadline = bench_now () + timeout;
	gint64 creates = 0;

	while (bench_now () < deadline &&
	       bench_mock_stats (mock_url, NULL, &creates, NULL) && creates < target)
		hubspot_test_spin (50);
	if (creates < target)
		g_printerr ("bench-eds: the mock saw %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " creates\n",
			creates, target);
}

typedef struct {
	const gchar *name;
	gboolean is_hubspot;
	GArray *one_ms;		/* every single create, ms */
	GArray *first_ms;	/* the first tenth of each phase's creates */
	GArray *last_ms;	/* the last tenth: the calendar has grown */
	GArray *batch_ms;	/* per event, one value per round */
	GArray *one_cpu_ms;	/* factory CPU per event, per round */
	GArray *batch_cpu_ms;
} Calendar;

/* One phase: count creates in one calendar, one by one or in one call;
 * then, for HubSpot, until the mock has them all, and a settle. */
static void
respond_phase (Calendar *cal,
	       ECalClient *client,
	       gboolean batch,
	       guint round,
	       gint64 base)
{
	g_autofree gchar *tag = g_strdup_printf ("%s%s%u", cal->name, batch ? "b" : "o", round);
	g_autoptr(GError) error = NULL;
	GSList *events = make_events (tag, 0, opt_count, base), *link;
	gint64 creates_before = 0;
	gint pid = bench_factory_pid ();
	gdouble cpu_before = bench_proc_cpu_seconds (pid);
	gdouble started, cpu_ms;

	if (cal->is_hubspot)
		bench_mock_stats (opt_mock, NULL, &creates_before, NULL);

	if (batch) {
		GSList *uids = NULL;
		gdouble per_event_ms;

		started = bench_now ();
		if (!e_cal_client_create_objects_sync (client, events, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error))
			g_error ("batch create in %s: %s", cal->name, error->message);
		per_event_ms = (bench_now () - started) * 1000.0 / opt_count;
		g_array_append_val (cal->batch_ms, per_event_ms);
		g_slist_free_full (uids, g_free);
	} else {
		for (link = events; link; link = link->next) {
			gchar *uid = NULL;
			gdouble ms;

			started = bench_now ();
			if (!e_cal_client_create_object_sync (client, link->data, E_CAL_OPERATION_FLAG_NONE, &uid, NULL, &error))
				g_error ("create in %s: %s", cal->name, error->message);
			ms = (bench_now () - started) * 1000.0;
			g_array_append_val (cal->one_ms, ms);
			g_free (uid);
		}

		g_array_append_vals (cal->first_ms, &g_array_index (cal->one_ms, gdouble, cal->one_ms->len - opt_count),
			MAX (opt_count / 10, 1));
		g_array_append_vals (cal->last_ms, &g_array_index (cal->one_ms, gdouble,
			cal->one_ms->len - MAX (opt_count / 10, 1)), MAX (opt_count / 10, 1));
	}
	g_slist_free_full (events, g_object_unref);

	/* The background work is part of an event's cost: count it. */
	if (cal->is_hubspot)
		wait_mock_creates (opt_mock, creates_before + opt_count, 120);
	hubspot_test_spin ((guint) (SETTLE_SECONDS * 1000));

	cpu_ms = (bench_proc_cpu_seconds (pid) - cpu_before) * 1000.0 / opt_count;
	g_array_append_val (batch ? cal->batch_cpu_ms : cal->one_cpu_ms, cpu_ms);
}

/* The median of the last phase's creates only. */
static gdouble
phase_median (GArray *all)
{
	g_autoptr(GArray) last = g_array_new (FALSE, FALSE, sizeof (gdouble));

	g_array_append_vals (last, &g_array_index (all, gdouble, all->len - opt_count), opt_count);

	return bench_median (last);
}

static JsonObject *
calendar_figures (Calendar *cal)
{
	JsonObject *object = json_object_new ();

	json_object_set_double_member (object, "one_median_ms", bench_median (cal->one_ms));
	json_object_set_double_member (object, "one_p90_ms", bench_percentile (cal->one_ms, 90));
	json_object_set_double_member (object, "one_first_median_ms", bench_median (cal->first_ms));
	json_object_set_double_member (object, "one_last_median_ms", bench_median (cal->last_ms));
	json_object_set_double_member (object, "batch_median_ms", bench_median (cal->batch_ms));
	json_object_set_double_member (object, "one_factory_cpu_ms", bench_median (cal->one_cpu_ms));
	json_object_set_double_member (object, "batch_factory_cpu_ms", bench_median (cal->batch_cpu_ms));

	return object;
}

static gint
run_respond (void)
{
	g_autoptr(ESourceRegistry) registry = hubspot_test_registry ();
	Calendar cals[2] = {
		{ "local", FALSE },
		{ "hubspot", TRUE },
	};
	JsonObject *result = bench_result_new ("respond");
	gint64 base = bench_event_base ();
	guint round, ii;

	for (ii = 0; ii < 2; ii++) {
		cals[ii].one_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
		cals[ii].first_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
		cals[ii].last_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
		cals[ii].batch_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
		cals[ii].one_cpu_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
		cals[ii].batch_cpu_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
	}

	for (round = 0; round < (guint) opt_rounds; round++) {
		ESource *sources[2];
		ECalClient *clients[2];
		guint mode;

		/* Fresh calendars each round, so that rounds compare. */
		sources[0] = create_local_calendar (registry);
		sources[1] = hubspot_test_create_calendar (registry, opt_mock, "Europe/Paris");
		clients[0] = connect_calendar (sources[0], NULL);
		clients[1] = connect_calendar (sources[1], BENCH_TOKEN);

		/* Alternate which calendar goes first: the machine drifts. */
		for (mode = 0; mode < 2; mode++) {
			for (ii = 0; ii < 2; ii++) {
				guint which = (ii + round) % 2;

				respond_phase (&cals[which], clients[which], mode == 1, round, base);
				printf ("round %u %-8s %-11s %.3f ms/event\n", round + 1, cals[which].name,
					mode ? "batch" : "one-by-one",
					mode ? g_array_index (cals[which].batch_ms, gdouble, cals[which].batch_ms->len - 1) :
					phase_median (cals[which].one_ms));
				fflush (stdout);
			}
		}

		for (ii = 0; ii < 2; ii++) {
			g_object_unref (clients[ii]);
			hubspot_test_remove_calendar (registry, sources[ii]);
		}
	}

	json_object_set_int_member (result, "count", opt_count);
	json_object_set_int_member (result, "rounds", opt_rounds);
	for (ii = 0; ii < 2; ii++) {
		json_object_set_object_member (result, cals[ii].name, calendar_figures (&cals[ii]));
		g_array_unref (cals[ii].one_ms);
		g_array_unref (cals[ii].first_ms);
		g_array_unref (cals[ii].last_ms);
		g_array_unref (cals[ii].batch_ms);
		g_array_unref (cals[ii].one_cpu_ms);
		g_array_unref (cals[ii].batch_cpu_ms);
	}

	printf ("one-by-one: local %.3f ms, HubSpot %.3f ms (median per event)\n",
		json_object_get_double_member (json_object_get_object_member (result, "local"), "one_median_ms"),
		json_object_get_double_member (json_object_get_object_member (result, "hubspot"), "one_median_ms"));
	printf ("batch:      local %.3f ms, HubSpot %.3f ms (per event)\n",
		json_object_get_double_member (json_object_get_object_member (result, "local"), "batch_median_ms"),
		json_object_get_double_member (json_object_get_object_member (result, "hubspot"), "batch_median_ms"));

	return bench_result_write (result, opt_out) ? 0 : 1;
}

/* The meetings count events make: one each, two for each series of a
 * mix. */
static gint64
bench_meetings (gint count)
{
	return opt_mix ? count + (gint64) (count / 10) * (BENCH_MIX_SERIES_SENT - 1) : count;
}

static gint
run_sync (void)
{
	g_autoptr(ESourceRegistry) registry = hubspot_test_registry ();
	gboolean is_hubspot = g_strcmp0 (opt_backend ? opt_backend : "hubspot", "hubspot") == 0;
	g_autofree gchar *tag = bench_new_tag ("s");
	JsonObject *result = bench_result_new ("sync");
	BenchIdTracker *tracker = NULL;
	BenchStatsPoller *poller = NULL;
	g_autoptr(GError) error = NULL;
	gint64 base = bench_event_base ();
	gint64 requests = 0, creates = 0, rate_limited = 0, creates_before = 0;
	guint chunk = opt_chunk > 0 ? (guint) opt_chunk : (guint) opt_count;
	gdouble started, created_at, ids_at = -1, mock_at = -1, waited_at, cpu_before;
	ESource *source;
	ECalClient *client;
	GPtrArray *chunks;
	gint64 rss_before;
	guint first, ii;
	gint pid;

	source = is_hubspot ? hubspot_test_create_calendar (registry, opt_mock, "Europe/Paris") :
		create_local_calendar (registry);
	client = connect_calendar (source, is_hubspot ? BENCH_TOKEN : NULL);

	if (is_hubspot) {
		tracker = bench_id_tracker_new (client, tag, &error);
		if (!tracker)
			g_error ("view: %s", error->message);
		if (opt_mix)
			bench_id_tracker_set_series_occurrences (tracker, BENCH_MIX_SERIES_SENT);
	}

	hubspot_test_spin ((guint) (SETTLE_SECONDS * 1000));
	pid = bench_factory_pid ();
	rss_before = bench_proc_status_kib (pid, "VmRSS");
	cpu_before = bench_proc_cpu_seconds (pid);

	if (is_hubspot) {
		bench_mock_stats (opt_mock, NULL, &creates_before, NULL);
		poller = bench_stats_poller_start (opt_mock, creates_before, bench_meetings (opt_count));
	}

	/* The events are made before the clock starts: the harness's work is
	 * not the calendar's. */
	chunks = g_ptr_array_new ();
	for (first = 0; first < (guint) opt_count; first += chunk)
		g_ptr_array_add (chunks, make_events (tag, first, MIN (chunk, opt_count - first), base));

	started = bench_now ();
	for (ii = 0; ii < chunks->len; ii++) {
		GSList *events = g_ptr_array_index (chunks, ii);
		GSList *uids = NULL;

		if (!e_cal_client_create_objects_sync (client, events, E_CAL_OPERATION_FLAG_NONE, &uids, NULL, &error))
			g_error ("create: %s", error->message);
		g_slist_free_full (uids, g_free);
		g_slist_free_full (events, g_object_unref);
	}
	created_at = bench_now ();
	g_ptr_array_unref (chunks);

	if (is_hubspot) {
		ids_at = bench_id_tracker_wait (tracker, opt_count, started + opt_timeout);
		mock_at = bench_stats_poller_stop (poller);
		bench_mock_stats (opt_mock, &requests, &creates, &rate_limited);
	}
	waited_at = bench_now ();
	hubspot_test_spin ((guint) (SETTLE_SECONDS * 1000));

	json_object_set_string_member (result, "backend", is_hubspot ? "hubspot" : "local");
	json_object_set_int_member (result, "count", opt_count);
	json_object_set_boolean_member (result, "mix", opt_mix);
	json_object_set_int_member (result, "meetings", bench_meetings (opt_count));
	json_object_set_int_member (result, "chunk", chunk);
	json_object_set_int_member (result, "max_in_flight",
		e_source_hubspot_get_max_in_flight (e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT)));
	json_object_set_double_member (result, "created_s", created_at - started);
	json_object_set_double_member (result, "ids_s", ids_at >= 0 ? ids_at - started : -1);
	json_object_set_double_member (result, "mock_s", mock_at >= 0 ? mock_at - started : -1);
	json_object_set_double_member (result, "waited_s", waited_at - started);
	json_object_set_boolean_member (result, "complete", !is_hubspot || ids_at >= 0);
	if (tracker) {
		json_object_set_int_member (result, "ids_seen", bench_id_tracker_count_ids (tracker));
		json_object_set_int_member (result, "failed_seen", bench_id_tracker_count_failed (tracker));
	}
	json_object_set_int_member (result, "mock_requests", requests);
	json_object_set_int_member (result, "mock_creates", creates - creates_before);
	json_object_set_int_member (result, "mock_rate_limited", rate_limited);
	json_object_set_int_member (result, "factory_rss_before_kib", rss_before);
	json_object_set_int_member (result, "factory_rss_after_kib", bench_proc_status_kib (pid, "VmRSS"));
	json_object_set_int_member (result, "factory_hwm_kib", bench_proc_status_kib (pid, "VmHWM"));
	json_object_set_double_member (result, "factory_cpu_s", bench_proc_cpu_seconds (pid) - cpu_before);

	printf ("%s: %d events created in %.2f s", is_hubspot ? "HubSpot" : "local", opt_count, created_at - started);
	if (is_hubspot)
		printf ("; the mock had %s at %.2f s; %s carry their meeting id at %.2f s (%u seen, %u failed, %"
			G_GINT64_FORMAT " 429s)", mock_at >= 0 ? "them all" : "not all", (mock_at >= 0 ? mock_at : bench_now ()) - started,
			ids_at >= 0 ? "all" : "not all", (ids_at >= 0 ? ids_at : bench_now ()) - started,
			bench_id_tracker_count_ids (tracker), bench_id_tracker_count_failed (tracker), rate_limited);
	printf ("; factory RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " KiB\n", rss_before,
		bench_proc_status_kib (pid, "VmRSS"));

	bench_id_tracker_free (tracker);
	g_object_unref (client);
	hubspot_test_remove_calendar (registry, source);

	return bench_result_write (result, opt_out) ? 0 : 1;
}

static ICalTimezone *
resolve_builtin (const gchar *tzid,
		 gpointer user_data)
{
	return i_cal_timezone_get_builtin_timezone (tzid);
}

/* The bodies our mapping makes of the same events, as the backend maps
 * them, for the peers to send. */
static gint
run_bodies (void)
{
	g_autoptr(GString) lines = g_string_new (NULL);
	g_autoptr(GError) error = NULL;
	EHubSpotMappingContext context = { 0, };
	gint64 base = bench_event_base ();
	guint ii;

	context.owner_id = HUBSPOT_TEST_OWNER_ID;
	context.calendar_zone = i_cal_timezone_get_builtin_timezone ("Europe/Paris");
	context.resolve_tzid = resolve_builtin;
	context.now = g_get_real_time () / G_USEC_PER_SEC;

	for (ii = 0; ii < (guint) opt_count; ii++) {
		g_autofree gchar *ical = opt_mix ? bench_event_ical_mixed ("peer", ii, context.now) :
			bench_event_ical ("peer", ii, base);
		ICalComponent *icomp = i_cal_component_new_from_string (ical);
		g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
		guint jj;

		/* As the backend plans it: a meeting per occurrence that has
		 * not ended, inside the default horizon (a plain event is a
		 * series of one). */
		g_autoptr(GPtrArray) wishes = e_hubspot_recurrence_plan (icomp, NULL, NULL, NULL, &context,
			context.now + 90 * 86400, 100, FALSE, NULL, &error);

		if (!wishes)
			g_error ("planning event %u: %s", ii, error->message);
		for (jj = 0; jj < wishes->len; jj++) {
			EHubSpotWish *wish = g_ptr_array_index (wishes, jj);

			if (wish->request)
				g_ptr_array_add (requests, json_node_ref (wish->request));
		}
		g_object_unref (icomp);

		for (jj = 0; jj < requests->len; jj++) {
			JsonNode *request = g_ptr_array_index (requests, jj);
			g_autoptr(JsonNode) body = NULL;
			g_autofree gchar *text = NULL;

			if (!opt_mix) {
				text = json_to_string (request, FALSE);
			} else {
				gboolean ended = e_hubspot_attendees_body_is_completed (request);
				g_autoptr(JsonBuilder) builder = json_builder_new ();

				body = ended ? e_hubspot_attendees_crm_create_body (request, NULL) :
					e_hubspot_attendees_scheduler_body (request, NULL);
				json_builder_begin_object (builder);
				json_builder_set_member_name (builder, ended ? "crm" : "scheduler");
				json_builder_add_value (builder, json_node_ref (body));
				json_builder_end_object (builder);
				g_clear_pointer (&body, json_node_unref);
				body = json_builder_get_root (builder);
				text = json_to_string (body, FALSE);
			}
			g_string_append (lines, text);
			g_string_append_c (lines, '\n');
		}
	}

	if (!g_file_set_contents (opt_out, lines->str, lines->len, &error)) {
		g_printerr ("bench-eds: %s\n", error->message);
		return 1;
	}

	return 0;
}

static gint
run_max_in_flight (void)
{
	g_autoptr(ESource) source = NULL;

	e_source_hubspot_type_register ();
	source = e_source_new (NULL, NULL, NULL);
	printf ("%u\n", e_source_hubspot_get_max_in_flight (e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT)));

	return 0;
}

gint
main (gint argc,
      gchar **argv)
{
	g_autoptr(GOptionContext) options = g_option_context_new ("respond|sync|bodies|max-in-flight");
	g_autoptr(GError) error = NULL;
	const gchar *command;

	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error) || argc != 2 || opt_count <= 0) {
		g_printerr ("bench-eds: %s\n", error ? error->message : "one command: respond, sync, bodies or max-in-flight");
		return 2;
	}
	command = argv[1];

	if (g_str_equal (command, "max-in-flight"))
		return run_max_in_flight ();

	if (!opt_out) {
		g_printerr ("bench-eds: --out is required\n");
		return 2;
	}

	if (g_str_equal (command, "bodies"))
		return run_bodies ();

	if (!opt_mock) {
		g_printerr ("bench-eds: --mock is required\n");
		return 2;
	}

	if (g_str_equal (command, "respond"))
		return run_respond ();
	if (g_str_equal (command, "sync"))
		return run_sync ();

	g_printerr ("bench-eds: unknown command %s\n", command);
	return 2;
}
