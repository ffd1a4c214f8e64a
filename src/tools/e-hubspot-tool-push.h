/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the two halves of "evolution-hubspot push" share: reading and
 * choosing the events (e-hubspot-tool-push-read.c), and storing them in
 * the HubSpot calendar and watching them go (e-hubspot-tool-push.c). */

#ifndef E_HUBSPOT_TOOL_PUSH_H
#define E_HUBSPOT_TOOL_PUSH_H

#include <libecal/libecal.h>

G_BEGIN_DECLS

/* Why an event is not pushed. */
typedef enum {
	SKIP_NOT_EVENT,
	SKIP_PRIVATE,
	SKIP_OUT_OF_RANGE,
	SKIP_HUBSPOT_MEETING,
	SKIP_OLDER_COPY,
	N_SKIP_REASONS
} SkipReason;


/* One event as HubSpot sees it: a master with its detached instances,
 * which travel together. */
typedef struct {
	gchar *uid;
	ICalComponent *master;	/* or a lone detached instance, made a plain event */
	GPtrArray *instances;	/* ICalComponent: detached instances */
} PushEvent;

typedef struct {
	gchar *uid;
	gchar *summary;
	gchar *reason;
} PushFailure;

typedef struct {
	/* Options */
	gchar *from;
	gchar *to;
	gboolean dry_run;
	gboolean include_private;
	gboolean no_wait;
	gint timeout;
	gint64 range_start;	/* Unix time; G_MININT64 when open */
	gint64 range_end;	/* exclusive; G_MAXINT64 when open */

	ESourceRegistry *registry;
	ESource *target_source;
	ECalClient *target;
	ECalClient *from_client;
	gchar *from_name;
	GHashTable *zones;		/* TZID ~> ICalTimezone, from the file or the source calendar */
	GHashTable *unknown_zones;	/* TZIDs the source calendar does not know */
	ICalTimezone *default_zone;	/* floating and all-day times */

	GPtrArray *events;		/* PushEvent, in the source's order */
	GHashTable *events_by_uid;	/* borrowed from events */
	GHashTable *existing;		/* UIDs in the HubSpot calendar */
	GPtrArray *selected;		/* borrowed PushEvent: to push */
	GPtrArray *pushed;		/* borrowed PushEvent: stored in the HubSpot calendar */

	guint already;
	guint skipped[N_SKIP_REASONS];
	GPtrArray *failures;		/* PushFailure: not stored */

	gboolean waited;
	guint synced;
	guint waiting;
	GPtrArray *refused;		/* PushFailure: HubSpot said no */

	gboolean interrupted;
	gboolean tty;
	gboolean bar_shown;
	gint64 last_progress;
	guint last_progress_done;
	const gchar *last_progress_label;
} PushRun;


void		e_hubspot_push_event_free	(gpointer event);

/* Reads the events of run->from into run->events; returns an exit code
 * on failure, else -1. */
gint		e_hubspot_push_read_source	(PushRun *run);
/* Adds the events of an iCalendar text (VEVENTs, VTIMEZONEs) to run. */
gboolean	e_hubspot_push_read_text	(PushRun *run,
						 const gchar *text,
						 GError **error);
/* A detached instance without its recurring event is one meeting on its
 * own: made a plain event. */
void		e_hubspot_push_settle_instances	(PushRun *run);
gboolean	e_hubspot_push_read_existing	(PushRun *run,
						 GError **error);
/* Sorts run->events into selected, already there and skipped. */
void		e_hubspot_push_select		(PushRun *run);
/* Whether every date of the event (and of its detached instances) is a
 * real one; the error names the first that is not. */
gboolean	e_hubspot_push_event_check_dates
						(PushEvent *event,
						 GError **error);
ICalTimezone *	e_hubspot_push_resolve_tzid	(const gchar *tzid,
						 gpointer run,
						 GCancellable *cancellable,
						 GError **error);

G_END_DECLS

#endif /* E_HUBSPOT_TOOL_PUSH_H */
