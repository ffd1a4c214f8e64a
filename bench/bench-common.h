/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the benchmark programs share: the events they create, the mock's
 * control endpoints, the calendar factory's own figures from /proc, a
 * tracker of the meeting ids written back, and the JSON files the report
 * is made from. */

#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <json-glib/json-glib.h>
#include <libecal/libecal.h>

G_BEGIN_DECLS

#define BENCH_TOKEN "mock-token"
#define BENCH_USER_ID "9100001"

/* Monotonic time in seconds. */
gdouble		bench_now		(void);

/* The median and a percentile (0..100) of values; sorts them in place. */
gdouble		bench_median		(GArray *values);
gdouble		bench_percentile	(GArray *values,
					 gdouble percentile);

/* Event number index of a run: four shapes in turn (timed in a named
 * zone with a display alarm, all-day, UTC with an e-mail alarm and an
 * attendee, timed in another zone), all in the future, one hour apart.
 * The UID is "bench-<tag>-<index>@evolution-hubspot". */
gchar *		bench_event_ical	(const gchar *tag,
					 guint index,
					 gint64 base_utc);
gint64		bench_event_base	(void);
/* Event number index of a push's mix: seven in ten ended (within the
 * last month), two in ten single events next week, one in ten a daily
 * series of three that began yesterday (BENCH_MIX_SERIES_SENT of its
 * occurrences have not ended: those are sent). */
#define BENCH_MIX_SERIES_SENT 2
gchar *		bench_event_ical_mixed	(const gchar *tag,
					 guint index,
					 gint64 now);
gchar *		bench_event_uid		(const gchar *tag,
					 guint index);
/* A tag unique to this process and moment. */
gchar *		bench_new_tag		(const gchar *prefix);

/* The mock's control endpoints.  NULL (and a message) on failure. */
JsonNode *	bench_mock_call		(const gchar *mock_url,
					 const gchar *method,
					 const gchar *path);
gboolean	bench_mock_stats	(const gchar *mock_url,
					 gint64 *out_requests,
					 gint64 *out_creates,
					 gint64 *out_rate_limited);

/* The evolution-calendar-factory of this session (same XDG_RUNTIME_DIR),
 * or 0. */
gint		bench_factory_pid	(void);
/* VmRSS and VmHWM in KiB; user+system CPU in seconds; -1 when unknown. */
gint64		bench_proc_status_kib	(gint pid,
					 const gchar *field);
gdouble		bench_proc_cpu_seconds	(gint pid);

/* Counts the events of one run (by UID prefix) that a view has seen
 * carrying X-HUBSPOT-MEETING-ID, or marked failed. */
typedef struct _BenchIdTracker BenchIdTracker;

BenchIdTracker *bench_id_tracker_new	(ECalClient *client,
					 const gchar *tag,
					 GError **error);
void		bench_id_tracker_free	(BenchIdTracker *tracker);
/* A series (an RRULE) counts as synced with this many occurrence marks
 * synced; 0 (the default): never. */
void		bench_id_tracker_set_series_occurrences
					(BenchIdTracker *tracker,
					 guint occurrences);
guint		bench_id_tracker_count_ids
					(BenchIdTracker *tracker);
guint		bench_id_tracker_count_failed
					(BenchIdTracker *tracker);
/* Iterates the default main context until count ids are seen or the
 * deadline (bench_now() seconds) passes; returns the time the last one
 * was seen, or -1 on timeout. */
gdouble		bench_id_tracker_wait	(BenchIdTracker *tracker,
					 guint count,
					 gdouble deadline);

/* Polls the mock's stats on a thread of its own, to learn when the mock
 * had received count creates while the main thread is blocked in a
 * D-Bus call. */
typedef struct _BenchStatsPoller BenchStatsPoller;

BenchStatsPoller *
		bench_stats_poller_start
					(const gchar *mock_url,
					 gint64 creates_before,
					 gint64 count);
/* The bench_now() time the mock had seen count creates, or -1. */
gdouble		bench_stats_poller_stop	(BenchStatsPoller *poller);

/* A JSON object of figures, written to a file at the end. */
JsonObject *	bench_result_new	(const gchar *benchmark);
gboolean	bench_result_write	(JsonObject *result,
					 const gchar *path);

G_END_DECLS

#endif /* BENCH_COMMON_H */
