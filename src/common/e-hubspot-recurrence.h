/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Recurring events (docs/design.md, "Mapping an event to a meeting"): HubSpot meetings are single
 * occurrences, so a series becomes one meeting per occurrence inside a
 * rolling horizon.  This file expands a series into those occurrences and
 * keeps, on the series' master, the meeting each occurrence became.  Pure:
 * no I/O, the clock is passed in. */

#ifndef E_HUBSPOT_RECURRENCE_H
#define E_HUBSPOT_RECURRENCE_H

#include "e-hubspot-mapping.h"

G_BEGIN_DECLS

/* One per sent occurrence, on the master:
 * "X-HUBSPOT-OCCURRENCE:<rid> <meeting id> <state> [<url>]". */
#define E_HUBSPOT_PROP_OCCURRENCE	"X-HUBSPOT-OCCURRENCE"

#define E_HUBSPOT_OCCURRENCE_SYNCED	"synced"	/* the meeting has the occurrence */
#define E_HUBSPOT_OCCURRENCE_CANCELLED	"cancelled"	/* EXDATE'd or no longer in the rule: cancelled */
#define E_HUBSPOT_OCCURRENCE_FAILED	"failed"	/* HubSpot refused; the next edit tries again */

typedef struct {
	gchar *rid;		/* the occurrence's original start: UTC "YYYYMMDDTHHMMSSZ", or "YYYYMMDD" */
	ICalComponent *vevent;	/* the occurrence as a single event (no RRULE, RDATE, EXDATE) */
	gint64 start;		/* Unix seconds */
	gint64 end;
} EHubSpotOccurrence;

void		e_hubspot_occurrence_free	(gpointer occurrence);

/* Whether the event repeats (RRULE or RDATE). */
gboolean	e_hubspot_recurrence_is_recurring
						(ICalComponent *vevent);

/* The recurrence rule libical could not read, or NULL: libical drops a
 * rule it rejects and leaves an X-LIC-ERROR in its place. */
gchar *		e_hubspot_recurrence_dup_rejected_rule
						(ICalComponent *vevent);

/* The occurrences of master (with its detached instances, each a VEVENT
 * with a RECURRENCE-ID) that end after from and start before until,
 * chronologically, at most max_count (*out_truncated says whether more
 * were left out).  EXDATEs drop occurrences; a detached instance replaces
 * its occurrence.  Array of EHubSpotOccurrence *. */
GPtrArray *	e_hubspot_recurrence_expand	(ICalComponent *master,
						 GPtrArray *detached,
						 const EHubSpotMappingContext *context,
						 gint64 from,
						 gint64 until,
						 guint max_count,
						 gboolean *out_truncated,
						 GError **error);

/* The recurrence id of a detached instance (or of any event: its DTSTART
 * when it has no RECURRENCE-ID) in the form EHubSpotOccurrence.rid uses;
 * NULL when it has neither. */
gchar *		e_hubspot_recurrence_dup_rid	(ICalComponent *vevent,
						 const EHubSpotMappingContext *context);

/* The Unix time of a rid; G_MININT64 when it is not one. */
gint64		e_hubspot_recurrence_rid_to_time
						(const gchar *rid,
						 ICalTimezone *calendar_zone);

typedef struct {
	gchar *rid;
	gchar *meeting_id;	/* NULL when none */
	gchar *state;		/* E_HUBSPOT_OCCURRENCE_* */
	gchar *url;		/* NULL when none */
} EHubSpotOccurrenceMark;

void		e_hubspot_occurrence_mark_free	(gpointer mark);

/* The marks on a master: rid ~> EHubSpotOccurrenceMark *. */
GHashTable *	e_hubspot_occurrence_marks_read	(ICalComponent *master);
/* Adds or replaces the mark of rid; meeting_id and url may be NULL. */
void		e_hubspot_occurrence_mark_set	(ICalComponent *master,
						 const gchar *rid,
						 const gchar *meeting_id,
						 const gchar *state,
						 const gchar *url);

/* What HubSpot should have for one key: a meeting like request, or none
 * (cancel).  Keys: the UID for a single event; UID, the separator and the
 * rid for an occurrence. */
#define E_HUBSPOT_OCCURRENCE_KEY_SEPARATOR '\x1f'

typedef struct {
	gchar *key;
	gchar *rid;		/* NULL for a single event */
	JsonNode *request;	/* the create body; NULL: cancel the meeting */
	gchar *meeting_id;	/* the meeting it is already, or NULL */
	gboolean marked;	/* the occurrence was sent before */
} EHubSpotWish;

void		e_hubspot_wish_free		(gpointer wish);

gchar *		e_hubspot_recurrence_make_key	(const gchar *uid,
						 const gchar *rid);
/* Splits a key; *out_rid is NULL for a single event's key. */
void		e_hubspot_recurrence_split_key	(const gchar *key,
						 gchar **out_uid,
						 gchar **out_rid);

/* Whether the event needs planning per occurrence: it repeats, or it
 * repeated and some occurrences were sent. */
gboolean	e_hubspot_recurrence_needs_plan	(ICalComponent *master);

/* Everything HubSpot should have for a series (master and its detached
 * instances): one wish per occurrence between context->now and
 * horizon_end (at most max_count), and a cancel for each sent occurrence
 * that has not ended and is no longer one (EXDATE, a changed rule).
 * row_meeting_id: the meeting the event had while it was single; it
 * becomes the occurrence at the series' first start, or is cancelled.
 * A master that does not repeat (any more) gets a single wish on its UID:
 * a plain event is a series of one; master_request, when not NULL, is
 * that master mapped already (not mapped again).
 * only_unsent: just the occurrences never sent (the horizon moved), and
 * no cancel.  Array of EHubSpotWish *; *out_truncated when max_count cut
 * it. */
GPtrArray *	e_hubspot_recurrence_plan	(ICalComponent *master,
						 GPtrArray *detached,
						 const gchar *row_meeting_id,
						 JsonNode *master_request,
						 const EHubSpotMappingContext *context,
						 gint64 horizon_end,
						 guint max_count,
						 gboolean only_unsent,
						 gboolean *out_truncated,
						 GError **error);

G_END_DECLS

#endif /* E_HUBSPOT_RECURRENCE_H */
