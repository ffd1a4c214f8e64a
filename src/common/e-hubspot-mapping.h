/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Pure mapping between an iCalendar event and HubSpot's meeting JSON
 * (docs/design.md, "Mapping an event to a meeting" and "Write-back").  No I/O, no global state: everything the mapping
 * depends on (settings, the calendar's zone, "now") is passed in. */

#ifndef E_HUBSPOT_MAPPING_H
#define E_HUBSPOT_MAPPING_H

#include <json-glib/json-glib.h>

/* libical-glib wants this acknowledged; EDS's own headers do the same. */
#ifndef LIBICAL_GLIB_UNSTABLE_API
#define LIBICAL_GLIB_UNSTABLE_API 1
#endif
#include <libical-glib/libical-glib.h>

G_BEGIN_DECLS

/* Properties we keep on the event. */
#define E_HUBSPOT_PROP_MEETING_ID	"X-HUBSPOT-MEETING-ID"
#define E_HUBSPOT_PROP_RECORD_URL	"X-HUBSPOT-RECORD-URL"
#define E_HUBSPOT_PROP_MEETING_URL	"X-HUBSPOT-MEETING-URL"	/* HubSpot's link, when URL is the user's */
#define E_HUBSPOT_PROP_SYNC_STATE	"X-HUBSPOT-SYNC-STATE"	/* pending | synced | failed */
#define E_HUBSPOT_PROP_ERROR		"X-HUBSPOT-ERROR"

/* Resolves a TZID the event uses (from the calendar's timezone cache or
 * the VCALENDAR the event came in); returns a borrowed zone or NULL. */
typedef ICalTimezone *	(*EHubSpotTzidResolver)	(const gchar *tzid,
						 gpointer user_data);

typedef struct {
	const gchar *owner_id;		/* hubspot_owner_id, required */
	const gchar *activity_type;	/* hs_activity_type, or NULL */
	gboolean include_invite_description;
	gboolean map_all_alarms;	/* every VALARM, not only ACTION:EMAIL */
	ICalTimezone *calendar_zone;	/* floating and all-day times, unknown TZIDs; NULL = UTC */
	EHubSpotTzidResolver resolve_tzid;
	gpointer resolve_tzid_data;
	gint64 now;			/* Unix seconds: decides COMPLETED */
	const gchar * const *meeting_types; /* the account's meeting types, for CATEGORIES; may be NULL */
	const gchar *self_email;	/* the calendar's own user: never an attendee; may be NULL */
	gboolean include_attendees;	/* add the attendees for the outbox (E_HUBSPOT_ATTENDEES_MEMBER) */
} EHubSpotMappingContext;

/* The request body of POST /scheduler/2026-03/meetings/calendar
 * (docs/design.md, "HubSpot facts the code relies on").  Fails with E_HUBSPOT_ERROR_INVALID_EVENT when the
 * event has no DTSTART, or ends before it starts. */
JsonNode *	e_hubspot_mapping_build_meeting	(ICalComponent *vevent,
						 const EHubSpotMappingContext *context,
						 GError **error);

/* The IANA name for a zone: builtin zones, Windows/Outlook TZIDs and
 * custom VTIMEZONEs matched to the system's zones; NULL when unknown. */
gchar *		e_hubspot_mapping_iana_zone_name
						(ICalTimezone *zone,
						 const gchar *tzid);

/* UTC date-time string "YYYY-MM-DDTHH:MM:SSZ" of a Unix time; NULL
 * outside the years 1 to 9999. */
gchar *		e_hubspot_mapping_format_utc	(gint64 unix_time);

/* HubSpot's time of the last change of the meeting that the event knows. */
#define E_HUBSPOT_PROP_LAST_MODIFIED	"X-HUBSPOT-LAST-MODIFIED"

typedef struct {
	gchar *meeting_id;
	gchar *external_url;	/* hs_meeting_external_url, or NULL */
	gchar *record_url;	/* https://{uiDomain}/contacts/{portalId}/record/0-47/{id}, or NULL */
	gchar *last_modified;	/* when HubSpot last changed it, as HubSpot wrote it, or NULL */
} EHubSpotMeetingResult;

void		e_hubspot_meeting_result_clear	(EHubSpotMeetingResult *result);

/* Reads HubSpot's answer about a meeting (a create, a PATCH, a read or a
 * search result): id, properties.hs_meeting_external_url, and the time of
 * its last change (lastUpdatedAt of the scheduler, updatedAt of the CRM,
 * else properties.hs_lastmodifieddate); E_HUBSPOT_ERROR_BAD_RESPONSE when
 * it has no id. ui_domain/portal_id may be NULL (then there is no record
 * URL). */
gboolean	e_hubspot_mapping_parse_meeting_response
						(JsonNode *response,
						 const gchar *ui_domain,
						 const gchar *portal_id,
						 EHubSpotMeetingResult *out_result,
						 GError **error);

/* Writes the result onto the event (docs/design.md, "Write-back"): X-HUBSPOT-MEETING-ID,
 * URL (unless the user has one of their own; then X-HUBSPOT-MEETING-URL),
 * X-HUBSPOT-RECORD-URL, X-HUBSPOT-LAST-MODIFIED (when known); sets the
 * sync state to "synced" and drops any X-HUBSPOT-ERROR. */
void		e_hubspot_mapping_apply_result	(ICalComponent *vevent,
						 const EHubSpotMeetingResult *result);

/* The text of a property (TEXT, URI, CAL-ADDRESS or X value), made valid
 * UTF-8; NULL for any other value kind. */
gchar *		e_hubspot_mapping_dup_value_string
						(ICalProperty *prop);

/* Sync state bookkeeping on the event. */
void		e_hubspot_mapping_set_sync_state
						(ICalComponent *vevent,
						 const gchar *state,
						 const gchar *error_message);
gchar *		e_hubspot_mapping_dup_x_property
						(ICalComponent *vevent,
						 const gchar *name);
void		e_hubspot_mapping_set_x_property
						(ICalComponent *vevent,
						 const gchar *name,
						 const gchar *value);

/* The zone a TZID stands for (docs/design.md, "Mapping an event to a meeting"), or NULL. */
ICalTimezone *	e_hubspot_mapping_lookup_zone	(const EHubSpotMappingContext *context,
						 const gchar *tzid);
/* A DATE or DATE-TIME property's Unix time (in its TZID's zone, UTC, or
 * the calendar's zone) and value; FALSE when it holds neither. */
gboolean	e_hubspot_mapping_property_time	(const EHubSpotMappingContext *context,
						 ICalProperty *prop,
						 gint64 *out_unix,
						 ICalTime **out_time);

/* Whether every date of the event is a real one (month 1 to 12, a day of
 * that month, hours, minutes and seconds in range): DTSTART, DTEND, DUE,
 * RECURRENCE-ID, EXDATE, RDATE and the rules' UNTIL.  libical reads
 * "39941430T220000Z" without complaint, and EDS's own occurrence code
 * then runs for minutes over it (docs/design.md, "Hostile input");
 * E_HUBSPOT_ERROR_INVALID_EVENT names the first one that is not. */
gboolean	e_hubspot_mapping_check_dates	(ICalComponent *vevent,
						 GError **error);

/* Unix seconds now; EVOLUTION_HUBSPOT_NOW (ISO 8601) fixes it for tests. */
gint64		e_hubspot_mapping_now		(void);

G_END_DECLS

#endif /* E_HUBSPOT_MAPPING_H */
