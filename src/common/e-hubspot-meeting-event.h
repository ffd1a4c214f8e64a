/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Meetings coming back (docs/design.md, "A refresh"): the search that lists the
 * calendar owner's meetings in a time window, a HubSpot meeting as an
 * event, and what a refresh does with a meeting the calendar already
 * knows: take HubSpot's change, or, when the event has local changes not
 * sent yet, let the newer change win and keep the loser on the event.
 * Pure: no I/O, times are passed in. */

#ifndef E_HUBSPOT_MEETING_EVENT_H
#define E_HUBSPOT_MEETING_EVENT_H

#include "e-hubspot-mapping.h"

G_BEGIN_DECLS

/* One per conflict, on the event: a one-line summary of the side that lost. */
#define E_HUBSPOT_PROP_CONFLICT		"X-HUBSPOT-CONFLICT"

/* The UID of an event born in HubSpot: stable, derived from the meeting id. */
gchar *		e_hubspot_meeting_event_make_uid
						(const gchar *meeting_id);

/* Text of HubSpot's HTML: tags dropped, <br> and block ends as line
 * breaks, entities decoded.  Our own bodies (escaped text, <br> for line
 * breaks) come back exactly as the DESCRIPTION they were made from. */
gchar *		e_hubspot_meeting_event_html_to_text
						(const gchar *html);

/* The meeting properties a refresh reads (and asks its search for). */
const gchar * const *
		e_hubspot_meeting_event_properties
						(void);

/* A property of a meeting object (properties.name) as a string, NULL when
 * absent, null or empty. */
const gchar *	e_hubspot_meeting_event_get_property
						(JsonNode *meeting,
						 const gchar *name);

/* The event a meeting becomes (a VEVENT), with the record URL when
 * ui_domain and portal_id are known; E_HUBSPOT_ERROR_BAD_RESPONSE when the
 * meeting has no id or no start. */
ICalComponent *	e_hubspot_meeting_event_new	(JsonNode *meeting,
						 const gchar *ui_domain,
						 const gchar *portal_id,
						 GError **error);

/* What differs between a create body (an event as we would send it) and
 * a meeting.  Outcomes other than CANCELED do not count: HubSpot marks
 * meetings completed on its own. */
typedef enum {
	E_HUBSPOT_MEETING_DIFF_NONE	= 0,
	E_HUBSPOT_MEETING_DIFF_TITLE	= 1 << 0,
	E_HUBSPOT_MEETING_DIFF_START	= 1 << 1,
	E_HUBSPOT_MEETING_DIFF_END	= 1 << 2,
	E_HUBSPOT_MEETING_DIFF_BODY	= 1 << 3,
	E_HUBSPOT_MEETING_DIFF_LOCATION	= 1 << 4,
	E_HUBSPOT_MEETING_DIFF_NOTES	= 1 << 5,
	E_HUBSPOT_MEETING_DIFF_CANCELLED = 1 << 6
} EHubSpotMeetingDiff;

EHubSpotMeetingDiff
		e_hubspot_meeting_event_diff	(JsonNode *request,
						 JsonNode *meeting);

typedef enum {
	E_HUBSPOT_WINNER_HUBSPOT,
	E_HUBSPOT_WINNER_LOCAL
} EHubSpotWinner;

/* The newer change wins.  local_modified: the event's LAST-MODIFIED (Unix
 * seconds, G_MININT64 when it has none); hubspot_modified_ms: the
 * meeting's hs_lastmodifieddate (Unix milliseconds).  LAST-MODIFIED counts
 * whole seconds: within the same second the local change wins. */
EHubSpotWinner	e_hubspot_meeting_event_pick_winner
						(gint64 local_modified,
						 gint64 hubspot_modified_ms);

typedef enum {
	E_HUBSPOT_MERGE_NONE,		/* nothing new from HubSpot: the event is left as it is */
	E_HUBSPOT_MERGE_UPDATED,	/* HubSpot's change is on the event */
	E_HUBSPOT_MERGE_HUBSPOT_WON,	/* both changed; HubSpot's values are on the event */
	E_HUBSPOT_MERGE_LOCAL_WON	/* both changed; the event keeps its own values */
} EHubSpotMergeResult;

/* Brings a change made in HubSpot to the event that has the meeting.
 * local_pending: the event has changes HubSpot does not have yet.  A
 * meeting changed since the event's X-HUBSPOT-LAST-MODIFIED whose values
 * differ from the event as we would send it (mapped with context) is
 * HubSpot's change: it goes onto the event, unless local_pending and the
 * event's LAST-MODIFIED is newer.  Either way the losing values stay on
 * the event (E_HUBSPOT_PROP_CONFLICT and a note at the end of the
 * DESCRIPTION).  context also resolves the event's zones, so that a
 * moved meeting keeps the event's TZIDs. */
EHubSpotMergeResult
		e_hubspot_meeting_event_merge	(ICalComponent *vevent,
						 JsonNode *meeting,
						 gboolean local_pending,
						 const EHubSpotMappingContext *context,
						 const gchar *ui_domain,
						 const gchar *portal_id);

G_END_DECLS

#endif /* E_HUBSPOT_MEETING_EVENT_H */
