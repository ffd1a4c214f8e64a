/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "e-hubspot-attendees.h"
#include "e-hubspot-error.h"
#include "e-hubspot-tz.h"
#include "e-hubspot-mapping.h"
#include "e-hubspot-mapping-private.h"
#include "e-hubspot-requests.h"

#define SECONDS_PER_MINUTE	60
#define MINUTES_PER_HOUR	60
#define MINUTES_PER_DAY		(24 * MINUTES_PER_HOUR)
#define MINUTES_PER_WEEK	(7 * MINUTES_PER_DAY)

/* Caps on what one event sends (docs/design.md, "Hostile input"): HubSpot
 * keeps at most 65,536 characters in a property, and nobody needs more
 * than 20 reminders of a meeting.  The event keeps all of its own. */
#define MAPPING_MAX_TEXT	65536
#define MAPPING_MAX_REMINDERS	20

/* Reading values defensively: a malformed file may give a property any
 * value kind, and libical's typed getters do not all check it. */

gchar *
e_hubspot_mapping_native_dup_text (icalproperty *prop)
{
	icalvalue *value;
	const gchar *text = NULL;

	value = icalproperty_get_value (prop);
	if (!value)
		return NULL;

	switch (icalvalue_isa (value)) {
	case ICAL_CALADDRESS_VALUE:
		text = icalvalue_get_caladdress (value);
		break;
	case ICAL_TEXT_VALUE:
		text = icalvalue_get_text (value);
		break;
	case ICAL_URI_VALUE:
		text = icalvalue_get_uri (value);
		break;
	case ICAL_X_VALUE:
		text = icalvalue_get_x (value);
		break;
	default:
		break;
	}

	/* libical passes any bytes through; JSON and GLib want UTF-8. */
	if (text && !g_utf8_validate (text, -1, NULL))
		return g_utf8_make_valid (text, -1);

	return g_strdup (text);
}

gchar *
e_hubspot_mapping_dup_value_string (ICalProperty *prop)
{
	g_return_val_if_fail (I_CAL_IS_PROPERTY (prop), NULL);

	return e_hubspot_mapping_native_dup_text (E_HUBSPOT_MAPPING_NATIVE (prop));
}

/* text cut to max_chars characters (a mark at the end says so); takes text. */
static gchar *
mapping_cut_text (gchar *text,
		  glong max_chars)
{
	g_autofree gchar *head = NULL;
	const gchar *cut;

	if (!text || g_utf8_strlen (text, -1) <= max_chars)
		return text;

	cut = g_utf8_offset_to_pointer (text, max_chars - 1);
	head = g_strndup (text, cut - text);
	g_free (text);

	return g_strconcat (head, "…", NULL);
}

/* The first value of @kind that is not blank, trimmed. */
static gchar *
mapping_dup_first_text (icalcomponent *comp,
			icalproperty_kind kind)
{
	icalproperty *prop;
	gchar *result = NULL;

	for (prop = icalcomponent_get_first_property (comp, kind);
	     prop && !result;
	     prop = icalcomponent_get_next_property (comp, kind)) {
		result = e_hubspot_mapping_native_dup_text (prop);
		if (result && !*g_strstrip (result))
			g_clear_pointer (&result, g_free);
	}

	return result;
}

/* libical takes "20261345" as a date and would quietly normalize it. */
static gboolean
mapping_time_fields_valid (const struct icaltimetype *tt)
{
	if (icaltime_is_null_time (*tt) || !icaltime_is_valid_time (*tt))
		return FALSE;

	if (tt->year < 1 || tt->year > 9999 || tt->month < 1 || tt->month > 12 ||
	    tt->day < 1 || tt->day > g_date_get_days_in_month (tt->month, tt->year))
		return FALSE;

	if (tt->is_date)
		return TRUE;

	return tt->hour >= 0 && tt->hour <= 23 &&
	       tt->minute >= 0 && tt->minute <= 59 &&
	       tt->second >= 0 && tt->second <= 60;
}

/* A DATE or DATE-TIME value that is a real time, into @out_tt. */
static gboolean
mapping_property_get_time (icalproperty *prop,
			   struct icaltimetype *out_tt)
{
	icalvalue *value;

	value = icalproperty_get_value (prop);
	if (!value)
		return FALSE;

	if (icalvalue_isa (value) == ICAL_DATETIME_VALUE)
		*out_tt = icalvalue_get_datetime (value);
	else if (icalvalue_isa (value) == ICAL_DATE_VALUE)
		*out_tt = icalvalue_get_date (value);
	else
		return FALSE;

	return mapping_time_fields_valid (out_tt);
}

/* A DURATION value that is not a bad one, into @out_duration. */
static gboolean
mapping_property_get_duration (icalproperty *prop,
			       struct icaldurationtype *out_duration)
{
	icalvalue *value;

	value = icalproperty_get_value (prop);
	if (!value || icalvalue_isa (value) != ICAL_DURATION_VALUE)
		return FALSE;

	*out_duration = icalvalue_get_duration (value);

	return !icaldurationtype_is_bad_duration (*out_duration);
}

/* Time zones */

static gchar *
mapping_zone_name (ICalTimezone *zone,
		   const gchar *tzid,
		   gint year)
{
	const gchar *iana;

	if (zone && zone == i_cal_timezone_get_utc_timezone ())
		return g_strdup ("UTC");

	iana = e_hubspot_tz_match_name (tzid);

	if (!iana && zone) {
		/* The location is X-LIC-LOCATION for a custom VTIMEZONE. */
		iana = e_hubspot_tz_match_name (i_cal_timezone_get_location (zone));
		if (!iana)
			iana = e_hubspot_tz_match_name (i_cal_timezone_get_tzid (zone));
		if (!iana)
			iana = e_hubspot_tz_guess_location (zone, year);
	}

	return g_strdup (iana);
}

/* IANA-style names get the system's zone (as EDS does on import: the
 * system's rules are newer than any copy in an invitation); anything
 * else gets the caller's VTIMEZONE, whose rules are those the
 * organizer's client used; a Windows name without a VTIMEZONE gets the
 * system zone it stands for.  NULL when nobody knows the TZID. */
static ICalTimezone *
mapping_lookup_tzid (const EHubSpotMappingContext *context,
		     const gchar *tzid)
{
	ICalTimezone *zone = NULL;
	const gchar *iana;

	iana = e_hubspot_tz_match_location (tzid);
	if (iana)
		zone = e_hubspot_tz_get_builtin_zone (iana);

	if (!zone && context->resolve_tzid)
		zone = context->resolve_tzid (tzid, context->resolve_tzid_data);

	if (!zone) {
		iana = e_hubspot_tz_windows_to_iana (tzid);
		if (iana)
			zone = e_hubspot_tz_get_builtin_zone (iana);
	}

	return zone;
}

typedef struct {
	struct icaltimetype tt;
	ICalTimezone *zone;	/* converts tt to UTC; NULL: tt is UTC */
	gchar *tzid;		/* the TZID parameter */
	gboolean zone_from_tzid;	/* the zone is the one the TZID names */
} MappingTime;

static void
mapping_time_clear (MappingTime *mt)
{
	g_clear_pointer (&mt->tzid, g_free);
	mt->zone = NULL;
	mt->zone_from_tzid = FALSE;
}

/* Whether libical writes @byte of a parameter value as it is (RFC 6868
 * encodes the others, or blanks them). */
static gboolean
mapping_param_byte_kept (guchar byte)
{
	return byte == ' ' || byte == '\t' || byte == '!' ||
	       (byte >= 0x23 && byte <= 0x7e) || (byte >= 0x80 && byte <= 0xf8);
}

/* The TZID parameter, as i_cal_property_get_parameter_as_string() gives
 * it, without its round trip through the parameter's text (a 1 KiB
 * buffer each time); the two differ only for bytes libical encodes, for
 * which libical is asked. */
static gchar *
mapping_dup_tzid (icalproperty *prop)
{
	icalparameter *param;
	const gchar *tzid, *pp;
	gchar *text, *result;

	param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
	if (!param)
		return NULL;

	tzid = icalparameter_get_tzid (param);
	for (pp = tzid; pp && *pp && mapping_param_byte_kept (*pp); pp++)
		;

	if (pp && !*pp)
		return g_strdup (tzid);

	text = icalproperty_get_parameter_as_string_r (prop, "TZID");
	result = g_strdup (text);
	free (text);

	return result;
}

/* Reads a date-time property (DTSTART, DTEND, an absolute TRIGGER) and
 * decides which zone it is in: UTC, its TZID's zone, or - for floating
 * times, dates and unknown TZIDs - the calendar's zone. */
static gboolean
mapping_time_read (const EHubSpotMappingContext *context,
		   icalproperty *prop,
		   MappingTime *mt)
{
	memset (mt, 0, sizeof (MappingTime));

	if (!mapping_property_get_time (prop, &mt->tt))
		return FALSE;

	if (icaltime_is_utc (mt->tt))
		return TRUE;

	mt->zone = context->calendar_zone;

	/* All-day: midnight to midnight where the calendar is. */
	if (mt->tt.is_date)
		return TRUE;

	mt->tzid = mapping_dup_tzid (prop);
	if (mt->tzid && *mt->tzid) {
		ICalTimezone *zone = mapping_lookup_tzid (context, mt->tzid);

		if (zone) {
			mt->zone = zone;
			mt->zone_from_tzid = TRUE;
		} else {
			g_debug ("%s: unknown TZID '%s', using the calendar's zone instead",
				 G_STRFUNC, mt->tzid);
		}
	}

	return TRUE;
}

static gint64
mapping_time_to_unix (struct icaltimetype tt,
		      ICalTimezone *zone)
{
	icaltimezone *native_zone;

	if (!zone || icaltime_is_utc (tt))
		native_zone = icaltimezone_get_utc_timezone ();
	else
		native_zone = E_HUBSPOT_MAPPING_NATIVE (zone);

	return (gint64) icaltime_as_timet_with_zone (tt, native_zone);
}

/* Start, end, time zone */

typedef struct {
	gint64 start;
	gint64 end;
	gchar *timezone;
} MappingSpan;

/* Days and weeks of a DURATION are nominal (the same wall-clock time
 * that many days later, RFC 5545 3.3.6), hours and less are exact. */
static gint64
mapping_add_duration (const MappingTime *start,
		      const struct icaldurationtype *duration)
{
	struct icaltimetype tt = start->tt;
	gint sign = duration->is_neg ? -1 : 1;
	gint64 days, seconds;

	days = (gint64) duration->weeks * 7 + duration->days;
	seconds = (gint64) duration->hours * 3600 +
		  (gint64) duration->minutes * 60 +
		  duration->seconds;

	icaltime_adjust (&tt, (gint) CLAMP (sign * days, -G_MAXINT / 2, G_MAXINT / 2), 0, 0, 0);

	return mapping_time_to_unix (tt, start->zone) + sign * seconds;
}

static gboolean
mapping_read_span (icalcomponent *comp,
		   const EHubSpotMappingContext *context,
		   MappingSpan *span,
		   GError **error)
{
	MappingTime start, end_time;
	icalproperty *prop;
	gboolean have_end = FALSE;

	memset (span, 0, sizeof (MappingSpan));

	prop = icalcomponent_get_first_property (comp, ICAL_DTSTART_PROPERTY);
	if (!prop) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event has no start time"));
		return FALSE;
	}

	if (!mapping_time_read (context, prop, &start)) {
		mapping_time_clear (&start);
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event’s start time is not valid"));
		return FALSE;
	}

	span->start = mapping_time_to_unix (start.tt, start.zone);

	prop = icalcomponent_get_first_property (comp, ICAL_DTEND_PROPERTY);
	if (prop) {
		if (mapping_time_read (context, prop, &end_time)) {
			span->end = mapping_time_to_unix (end_time.tt, end_time.zone);
			have_end = TRUE;
		}
		mapping_time_clear (&end_time);
	}

	if (!have_end) {
		prop = icalcomponent_get_first_property (comp, ICAL_DURATION_PROPERTY);
		if (prop) {
			struct icaldurationtype duration;

			if (mapping_property_get_duration (prop, &duration)) {
				span->end = mapping_add_duration (&start, &duration);
				have_end = TRUE;
			}
		}
	}

	if (!have_end) {
		if (start.tt.is_date) {
			struct icaltimetype tt = start.tt;

			icaltime_adjust (&tt, 1, 0, 0, 0);
			span->end = mapping_time_to_unix (tt, start.zone);
		} else {
			span->end = span->start;
		}
	}

	if (span->end < span->start) {
		mapping_time_clear (&start);
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event ends before it starts"));
		return FALSE;
	}

	if (start.zone_from_tzid)
		span->timezone = mapping_zone_name (start.zone, start.tzid, start.tt.year);
	if (!span->timezone && context->calendar_zone)
		span->timezone = mapping_zone_name (context->calendar_zone, NULL, start.tt.year);
	if (!span->timezone)
		span->timezone = g_strdup ("UTC");

	mapping_time_clear (&start);

	return TRUE;
}

/* Text fields */

static gchar *
mapping_description_to_html (const gchar *text)
{
	g_autofree gchar *escaped = NULL;
	GString *html;
	const gchar *pp;

	escaped = g_markup_escape_text (text, -1);
	html = g_string_sized_new (strlen (escaped) + 16);

	for (pp = escaped; *pp; pp++) {
		if (*pp == '\r') {
			if (pp[1] == '\n')
				pp++;
			g_string_append (html, "<br>");
		} else if (*pp == '\n') {
			g_string_append (html, "<br>");
		} else {
			g_string_append_c (html, *pp);
		}
	}

	return g_string_free (html, FALSE);
}

/* Digits and the usual separators only, and enough digits to dial. */
static gboolean
mapping_looks_like_phone (const gchar *text)
{
	guint n_digits = 0;
	const gchar *pp;

	for (pp = text; *pp; pp++) {
		if (g_ascii_isdigit (*pp))
			n_digits++;
		else if (!strchr (" +-().", *pp))
			return FALSE;
	}

	return n_digits >= 6;
}

static const gchar *
mapping_location_type (const gchar *location)
{
	if (g_ascii_strncasecmp (location, "tel:", 4) == 0 || mapping_looks_like_phone (location))
		return "PHONE";

	if (g_ascii_strncasecmp (location, "http://", 7) == 0 ||
	    g_ascii_strncasecmp (location, "https://", 8) == 0)
		return "CUSTOM";

	return "ADDRESS";
}

static gchar *
mapping_dup_comments (icalcomponent *comp)
{
	icalproperty *prop;
	GString *notes = NULL;

	for (prop = icalcomponent_get_first_property (comp, ICAL_COMMENT_PROPERTY);
	     prop;
	     prop = icalcomponent_get_next_property (comp, ICAL_COMMENT_PROPERTY)) {
		g_autofree gchar *text = e_hubspot_mapping_native_dup_text (prop);

		if (!text || !*g_strstrip (text))
			continue;

		if (!notes)
			notes = g_string_new (text);
		else
			g_string_append_printf (notes, "\n%s", text);
	}

	return notes ? g_string_free (notes, FALSE) : NULL;
}

/* The account's own spelling of the first CATEGORIES value that names
 * one of its meeting types. */
static const gchar *
mapping_find_activity_type (icalcomponent *comp,
			    const gchar * const *meeting_types)
{
	icalproperty *prop;
	const gchar *found = NULL;

	if (!meeting_types || !meeting_types[0])
		return NULL;

	for (prop = icalcomponent_get_first_property (comp, ICAL_CATEGORIES_PROPERTY);
	     prop && !found;
	     prop = icalcomponent_get_next_property (comp, ICAL_CATEGORIES_PROPERTY)) {
		g_autofree gchar *text = e_hubspot_mapping_native_dup_text (prop);
		g_auto(GStrv) values = NULL;
		guint ii, jj;

		if (!text)
			continue;

		/* libical may or may not have split a list already. */
		values = g_strsplit (text, ",", -1);
		for (ii = 0; values[ii] && !found; ii++) {
			g_autofree gchar *folded = NULL;

			if (!*g_strstrip (values[ii]))
				continue;

			folded = g_utf8_casefold (values[ii], -1);
			for (jj = 0; meeting_types[jj] && !found; jj++) {
				g_autofree gchar *type_folded = g_utf8_casefold (meeting_types[jj], -1);

				if (g_strcmp0 (folded, type_folded) == 0)
					found = meeting_types[jj];
			}
		}
	}

	return found;
}

/* Reminders */

static gboolean
mapping_alarm_is_email (icalcomponent *valarm)
{
	icalproperty *prop;
	icalvalue *value;

	prop = icalcomponent_get_first_property (valarm, ICAL_ACTION_PROPERTY);
	value = prop ? icalproperty_get_value (prop) : NULL;

	return value && icalvalue_isa (value) == ICAL_ACTION_VALUE &&
		icalvalue_get_action (value) == ICAL_ACTION_EMAIL;
}

/* How many seconds before the start @valarm fires; <= 0 when it does
 * not fire before the start (or has no usable trigger). */
static gint64
mapping_alarm_lead_time (icalcomponent *valarm,
			 const EHubSpotMappingContext *context,
			 const MappingSpan *span)
{
	icalproperty *prop;
	icalvalue *value;
	icalvalue_kind kind;
	gint64 lead = 0;

	prop = icalcomponent_get_first_property (valarm, ICAL_TRIGGER_PROPERTY);
	if (!prop)
		return 0;

	value = icalproperty_get_value (prop);
	kind = value ? icalvalue_isa (value) : ICAL_NO_VALUE;

	if (kind == ICAL_DATETIME_VALUE) {
		MappingTime mt;

		/* TRIGGER;VALUE=DATE-TIME:...Z */
		if (mapping_time_read (context, prop, &mt))
			lead = span->start - mapping_time_to_unix (mt.tt, mt.zone);
		mapping_time_clear (&mt);
	} else if (kind == ICAL_TRIGGER_VALUE || kind == ICAL_DURATION_VALUE) {
		struct icaltriggertype trigger = icalproperty_get_trigger (prop);

		if (icaltriggertype_is_bad_trigger (trigger)) {
			lead = 0;
		} else if (!icaltime_is_null_time (trigger.time)) {
			lead = span->start - mapping_time_to_unix (trigger.time, context->calendar_zone);
		} else {
			icalparameter *param;
			gint64 offset = icaldurationtype_as_int (trigger.duration);

			param = icalproperty_get_first_parameter (prop, ICAL_RELATED_PARAMETER);
			if (param && icalparameter_get_related (param) == ICAL_RELATED_END)
				offset += span->end - span->start;

			lead = -offset;
		}
	}

	return lead;
}

static JsonArray *
mapping_build_reminders (icalcomponent *comp,
			 const EHubSpotMappingContext *context,
			 const MappingSpan *span)
{
	g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
	JsonArray *reminders = json_array_new ();
	icalcomponent *valarm;

	for (valarm = icalcomponent_get_first_component (comp, ICAL_VALARM_COMPONENT);
	     valarm;
	     valarm = icalcomponent_get_next_component (comp, ICAL_VALARM_COMPONENT)) {
		JsonObject *reminder;
		const gchar *unit;
		gint64 lead, minutes, count;
		gboolean duplicate = FALSE;
		guint ii;

		if (!context->map_all_alarms && !mapping_alarm_is_email (valarm))
			continue;

		if (seen->len >= MAPPING_MAX_REMINDERS)
			break;

		lead = mapping_alarm_lead_time (valarm, context, span);
		if (lead <= 0)
			continue;

		/* HubSpot counts in minutes at best: round up, never remind late. */
		minutes = (lead + SECONDS_PER_MINUTE - 1) / SECONDS_PER_MINUTE;

		for (ii = 0; ii < seen->len && !duplicate; ii++)
			duplicate = g_array_index (seen, gint64, ii) == minutes;
		if (duplicate)
			continue;
		g_array_append_val (seen, minutes);

		if (minutes % MINUTES_PER_WEEK == 0) {
			unit = "WEEKS";
			count = minutes / MINUTES_PER_WEEK;
		} else if (minutes % MINUTES_PER_DAY == 0) {
			unit = "DAYS";
			count = minutes / MINUTES_PER_DAY;
		} else if (minutes % MINUTES_PER_HOUR == 0) {
			unit = "HOURS";
			count = minutes / MINUTES_PER_HOUR;
		} else {
			unit = "MINUTES";
			count = minutes;
		}

		reminder = json_object_new ();
		json_object_set_int_member (reminder, "numberOfTimeUnits", count);
		json_object_set_string_member (reminder, "timeUnit", unit);
		json_array_add_object_element (reminders, reminder);
	}

	return reminders;
}

/* The create body */

JsonNode *
e_hubspot_mapping_build_meeting (ICalComponent *vevent,
				 const EHubSpotMappingContext *context,
				 GError **error)
{
	g_autofree gchar *title = NULL;
	g_autofree gchar *start_str = NULL;
	g_autofree gchar *end_str = NULL;
	g_autofree gchar *description = NULL;
	g_autofree gchar *location = NULL;
	g_autofree gchar *notes = NULL;
	const gchar *activity_type;
	const gchar *outcome;
	JsonObject *root, *properties, *schedule;
	JsonNode *node;
	MappingSpan span;
	icalcomponent *comp;

	g_return_val_if_fail (context != NULL, NULL);

	if (!vevent || !I_CAL_IS_COMPONENT (vevent) ||
	    i_cal_component_isa (vevent) != I_CAL_VEVENT_COMPONENT) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("Only events can become HubSpot meetings"));
		return NULL;
	}

	if (!context->owner_id || !*context->owner_id) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
			_("The calendar has no HubSpot owner set"));
		return NULL;
	}

	comp = E_HUBSPOT_MAPPING_NATIVE (vevent);

	if (!mapping_read_span (comp, context, &span, error))
		return NULL;


	start_str = e_hubspot_mapping_format_utc (span.start);
	end_str = e_hubspot_mapping_format_utc (span.end);
	if (!start_str || !end_str) {
		g_free (span.timezone);
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event’s time is out of range"));
		return NULL;
	}

	properties = json_object_new ();
	json_object_set_string_member (properties, "hubspot_owner_id", context->owner_id);

	title = mapping_cut_text (mapping_dup_first_text (comp, ICAL_SUMMARY_PROPERTY), MAPPING_MAX_TEXT);
	json_object_set_string_member (properties, "hs_meeting_title", title ? title : _("Untitled meeting"));

	json_object_set_string_member (properties, "hs_meeting_start_time", start_str);
	json_object_set_string_member (properties, "hs_meeting_end_time", end_str);
	json_object_set_string_member (properties, "hs_timestamp", start_str);

	description = mapping_cut_text (mapping_dup_first_text (comp, ICAL_DESCRIPTION_PROPERTY), MAPPING_MAX_TEXT);
	if (description) {
		g_autofree gchar *html = mapping_description_to_html (description);

		/* Escaping and line breaks make the HTML longer than the
		 * text: a shorter text until it fits. */
		while (g_utf8_strlen (html, -1) > MAPPING_MAX_TEXT) {
			description = mapping_cut_text (description, g_utf8_strlen (description, -1) * 3 / 4);
			g_free (html);
			html = mapping_description_to_html (description);
		}

		json_object_set_string_member (properties, "hs_meeting_body", html);
	}

	location = mapping_cut_text (mapping_dup_first_text (comp, ICAL_LOCATION_PROPERTY), MAPPING_MAX_TEXT);
	if (location) {
		json_object_set_string_member (properties, "hs_meeting_location", location);
		json_object_set_string_member (properties, "hs_meeting_location_type", mapping_location_type (location));
	}

	notes = mapping_cut_text (mapping_dup_comments (comp), MAPPING_MAX_TEXT);
	if (notes)
		json_object_set_string_member (properties, "hs_internal_meeting_notes", notes);

	activity_type = mapping_find_activity_type (comp, context->meeting_types);
	if (!activity_type && context->activity_type && *context->activity_type)
		activity_type = context->activity_type;
	if (activity_type)
		json_object_set_string_member (properties, "hs_activity_type", activity_type);

	if (icalcomponent_get_status (comp) == ICAL_STATUS_CANCELLED)
		outcome = "CANCELED";
	else if (span.end <= context->now)
		outcome = "COMPLETED";
	else
		outcome = "SCHEDULED";
	json_object_set_string_member (properties, "hs_meeting_outcome", outcome);

	schedule = json_object_new ();
	json_object_set_array_member (schedule, "reminders", mapping_build_reminders (comp, context, &span));
	json_object_set_boolean_member (schedule, "shouldIncludeInviteDescription",
		context->include_invite_description);

	root = json_object_new ();
	json_object_set_array_member (root, "associations", json_array_new ());
	json_object_set_object_member (root, "emailReminderSchedule", schedule);
	json_object_set_object_member (root, "properties", properties);
	json_object_set_string_member (root, "timezone", span.timezone);

	/* For the outbox, which looks them up in HubSpot and strips them. */
	if (context->include_attendees) {
		JsonArray *attendees = e_hubspot_attendees_collect (vevent, context->self_email);

		if (json_array_get_length (attendees))
			json_object_set_array_member (root, E_HUBSPOT_ATTENDEES_MEMBER, attendees);
		else
			json_array_unref (attendees);
	}

	g_free (span.timezone);

	node = json_node_new (JSON_NODE_OBJECT);
	json_node_take_object (node, root);

	return node;
}

gchar *
e_hubspot_mapping_iana_zone_name (ICalTimezone *zone,
				  const gchar *tzid)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

	if (!zone && (!tzid || !*tzid))
		return NULL;

	return mapping_zone_name (zone, tzid, g_date_time_get_year (now));
}

/* @width decimal digits of @value at @out. */
static void
mapping_put_digits (gchar *out,
		    gint value,
		    guint width)
{
	while (width-- > 0) {
		out[width] = '0' + value % 10;
		value /= 10;
	}
}

/* NULL outside years 1..9999, which ISO 8601 basic form cannot write. */
gchar *
e_hubspot_mapping_format_utc (gint64 unix_time)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);
	gchar text[] = "YYYY-MM-DDTHH:MM:SSZ";
	gint year, month, day;

	if (!dt)
		return NULL;

	/* Four digits for the year: GLib's %Y writes year 9 as "9", which
	 * is no date HubSpot reads (found by the meeting-to-event fuzz
	 * target).  Digit by digit: printf was a large share of the mapping. */
	g_date_time_get_ymd (dt, &year, &month, &day);
	mapping_put_digits (text, year, 4);
	mapping_put_digits (text + 5, month, 2);
	mapping_put_digits (text + 8, day, 2);
	mapping_put_digits (text + 11, g_date_time_get_hour (dt), 2);
	mapping_put_digits (text + 14, g_date_time_get_minute (dt), 2);
	mapping_put_digits (text + 17, g_date_time_get_second (dt), 2);

	return g_strdup (text);
}

static gboolean
mapping_time_is_real (ICalTime *tt)
{
	gint year = i_cal_time_get_year (tt), month = i_cal_time_get_month (tt);

	if (year < 1 || year > 9999 || month < 1 || month > 12 ||
	    i_cal_time_get_day (tt) < 1 || i_cal_time_get_day (tt) > i_cal_time_days_in_month (month, year))
		return FALSE;

	return i_cal_time_is_date (tt) ||
		(i_cal_time_get_hour (tt) >= 0 && i_cal_time_get_hour (tt) < 24 &&
		 i_cal_time_get_minute (tt) >= 0 && i_cal_time_get_minute (tt) < 60 &&
		 i_cal_time_get_second (tt) >= 0 && i_cal_time_get_second (tt) <= 60);
}

static ICalTime *
mapping_dup_property_time (ICalProperty *prop)
{
	switch (i_cal_property_isa (prop)) {
	case I_CAL_DTSTART_PROPERTY:
		return i_cal_property_get_dtstart (prop);
	case I_CAL_DTEND_PROPERTY:
		return i_cal_property_get_dtend (prop);
	case I_CAL_DUE_PROPERTY:
		return i_cal_property_get_due (prop);
	case I_CAL_RECURRENCEID_PROPERTY:
		return i_cal_property_get_recurrenceid (prop);
	case I_CAL_EXDATE_PROPERTY:
		return i_cal_property_get_exdate (prop);
	case I_CAL_RDATE_PROPERTY: {
		ICalDatetimeperiod *period = i_cal_property_get_rdate (prop);
		ICalTime *tt = period ? i_cal_datetimeperiod_get_time (period) : NULL;

		g_clear_object (&period);
		return tt;
	}
	case I_CAL_RRULE_PROPERTY: {
		ICalRecurrence *rule = i_cal_property_get_rrule (prop);
		ICalTime *until = rule ? i_cal_recurrence_get_until (rule) : NULL;

		g_clear_object (&rule);
		/* No UNTIL: a null time, which is no date to check. */
		if (until && i_cal_time_is_null_time (until))
			g_clear_object (&until);
		return until;
	}
	default:
		return NULL;
	}
}

gboolean
e_hubspot_mapping_check_dates (ICalComponent *vevent,
			       GError **error)
{
	ICalProperty *prop;

	g_return_val_if_fail (I_CAL_IS_COMPONENT (vevent), FALSE);

	for (prop = i_cal_component_get_first_property (vevent, I_CAL_ANY_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (vevent, I_CAL_ANY_PROPERTY)) {
		ICalTime *tt = mapping_dup_property_time (prop);
		gboolean real = !tt || i_cal_time_is_null_time (tt) || mapping_time_is_real (tt);

		g_clear_object (&tt);
		if (!real) {
			g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
				/* Translators: %s is an iCalendar property name, such as DTSTART */
				_("The event’s %s is not a real date"),
				i_cal_property_kind_to_string (i_cal_property_isa (prop)));
			g_object_unref (prop);
			return FALSE;
		}
	}

	return TRUE;
}

/* Tests of what is past and what falls inside the recurrence horizon need
 * a fixed clock: EVOLUTION_HUBSPOT_NOW, an ISO 8601 time, overrides it. */
gint64
e_hubspot_mapping_now (void)
{
	const gchar *fixed = g_getenv ("EVOLUTION_HUBSPOT_NOW");

	if (fixed && *fixed) {
		g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
		g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (fixed, utc);

		if (when)
			return g_date_time_to_unix (when);
		g_warning ("EVOLUTION_HUBSPOT_NOW=“%s” is not an ISO 8601 time; using the real clock", fixed);
	}

	return g_get_real_time () / G_USEC_PER_SEC;
}

ICalTimezone *
e_hubspot_mapping_lookup_zone (const EHubSpotMappingContext *context,
			       const gchar *tzid)
{
	return tzid && *tzid ? mapping_lookup_tzid (context, tzid) : NULL;
}

gboolean
e_hubspot_mapping_property_time (const EHubSpotMappingContext *context,
				 ICalProperty *prop,
				 gint64 *out_unix,
				 ICalTime **out_time)
{
	MappingTime mt;

	g_return_val_if_fail (context != NULL, FALSE);
	g_return_val_if_fail (I_CAL_IS_PROPERTY (prop), FALSE);

	if (!mapping_time_read (context, E_HUBSPOT_MAPPING_NATIVE (prop), &mt)) {
		mapping_time_clear (&mt);
		return FALSE;
	}

	if (out_unix)
		*out_unix = mapping_time_to_unix (mt.tt, mt.zone);
	if (out_time) {
		/* The value is a DATE or a DATE-TIME: mapping_time_read() said so. */
		ICalValue *value = i_cal_property_get_value (prop);

		*out_time = i_cal_value_isa (value) == I_CAL_DATETIME_VALUE ?
			i_cal_value_get_datetime (value) : i_cal_value_get_date (value);
		g_object_unref (value);
	}
	mapping_time_clear (&mt);

	return TRUE;
}
