/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libecal/libecal.h>

#include "e-hubspot-error.h"
#include "e-hubspot-meeting-event.h"
#include "e-hubspot-requests.h"

#define UID_PREFIX "hubspot-meeting-"

static const gchar *meeting_properties[] = {
	"hs_meeting_title",
	"hs_meeting_start_time",
	"hs_meeting_end_time",
	"hs_meeting_body",
	"hs_meeting_location",
	"hs_internal_meeting_notes",
	"hs_meeting_outcome",
	"hs_meeting_external_url",
	"hubspot_owner_id",
	"hs_createdate",
	"hs_lastmodifieddate",
	NULL
};

gchar *
e_hubspot_meeting_event_make_uid (const gchar *meeting_id)
{
	g_return_val_if_fail (meeting_id && *meeting_id, NULL);

	return g_strconcat (UID_PREFIX, meeting_id, NULL);
}

const gchar * const *
e_hubspot_meeting_event_properties (void)
{
	return meeting_properties;
}

/* HTML to text */

static const gchar *block_tags[] = {
	"p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "section", "article",
	"header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", NULL
};

/* Their content is not text a person wrote. */
static const gchar *skipped_tags[] = {
	"script", "style", "head", "title", NULL
};

static void
html_end_line (GString *out)
{
	if (out->len && out->str[out->len - 1] != '\n')
		g_string_append_c (out, '\n');
}

/* Decodes the entity at *pp ('&'); FALSE (nothing read) when it is not one. */
static gboolean
html_read_entity (const gchar **pp,
		  GString *out)
{
	static const struct {
		const gchar *name;
		const gchar *text;
	} named[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
		{ "apos", "'" }, { "nbsp", " " }
	};
	const gchar *start = *pp + 1;
	const gchar *semicolon = start;
	guint ii;

	while (*semicolon && *semicolon != ';' && semicolon - start < 12 &&
	       (g_ascii_isalnum (*semicolon) || *semicolon == '#'))
		semicolon++;
	if (*semicolon != ';' || semicolon == start)
		return FALSE;

	if (*start == '#') {
		gboolean hex = start[1] == 'x' || start[1] == 'X';
		g_autofree gchar *digits = g_strndup (start + (hex ? 2 : 1), semicolon - start - (hex ? 2 : 1));
		guint64 code = 0;

		if (!*digits || !g_ascii_string_to_unsigned (digits, hex ? 16 : 10, 1, 0x10FFFF, &code, NULL) ||
		    !g_unichar_validate ((gunichar) code))
			return FALSE;
		/* A non-breaking space is a space to the person who reads it. */
		g_string_append_unichar (out, code == 0xA0 ? ' ' : (gunichar) code);
		*pp = semicolon + 1;
		return TRUE;
	}

	for (ii = 0; ii < G_N_ELEMENTS (named); ii++) {
		if (strlen (named[ii].name) == (gsize) (semicolon - start) &&
		    g_ascii_strncasecmp (start, named[ii].name, semicolon - start) == 0) {
			g_string_append (out, named[ii].text);
			*pp = semicolon + 1;
			return TRUE;
		}
	}

	return FALSE;
}

/* The end of the tag that starts at p ('<'), quotes respected; NULL when
 * it does not end. */
static const gchar *
html_tag_end (const gchar *p)
{
	gchar quote = 0;

	for (p++; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '>') {
			return p;
		}
	}

	return NULL;
}

/* Past the closing tag of name, or the end of the text. */
static const gchar *
html_skip_element (const gchar *p,
		   const gchar *name)
{
	gsize len = strlen (name);

	for (; *p; p++) {
		if (p[0] == '<' && p[1] == '/' && g_ascii_strncasecmp (p + 2, name, len) == 0 &&
		    !g_ascii_isalnum (p[2 + len])) {
			const gchar *end = html_tag_end (p);

			return end ? end + 1 : p + strlen (p);
		}
	}

	return p;
}

gchar *
e_hubspot_meeting_event_html_to_text (const gchar *html)
{
	GString *out;
	const gchar *p;

	if (!html)
		return NULL;

	out = g_string_sized_new (strlen (html));

	for (p = html; *p;) {
		if (p[0] == '<' && g_str_has_prefix (p, "<!--")) {
			const gchar *end = strstr (p + 4, "-->");

			p = end ? end + 3 : p + strlen (p);
		} else if (p[0] == '<' && (g_ascii_isalpha (p[1]) || (p[1] == '/' && g_ascii_isalpha (p[2])) || p[1] == '!')) {
			const gchar *end = html_tag_end (p);
			const gchar *name_start = p + (p[1] == '/' ? 2 : 1);
			const gchar *name_end = name_start;
			g_autofree gchar *name = NULL;
			gboolean closing = p[1] == '/';

			if (!end) {
				/* Not a tag after all: the rest is text. */
				g_string_append (out, p);
				break;
			}

			while (g_ascii_isalnum (*name_end))
				name_end++;
			name = g_ascii_strdown (name_start, name_end - name_start);
			p = end + 1;

			if (g_str_equal (name, "br"))
				g_string_append_c (out, '\n');
			else if (g_strv_contains (block_tags, name))
				html_end_line (out);
			else if (!closing && g_strv_contains (skipped_tags, name))
				p = html_skip_element (p, name);
		} else if (p[0] == '&') {
			if (!html_read_entity (&p, out)) {
				g_string_append_c (out, '&');
				p++;
			}
		} else if (p[0] == '\r' || p[0] == '\n' || p[0] == '\t') {
			/* Line breaks in the source are layout, not text: a run of
			 * white space with one is a single space, none at a line start. */
			while (*p == '\r' || *p == '\n' || *p == '\t' || *p == ' ')
				p++;
			if (out->len && out->str[out->len - 1] != '\n')
				g_string_append_c (out, ' ');
		} else {
			g_string_append_c (out, *p);
			p++;
		}
	}

	g_strstrip (out->str);
	out->len = strlen (out->str);

	if (!g_utf8_validate (out->str, -1, NULL)) {
		gchar *valid = g_utf8_make_valid (out->str, -1);

		g_string_free (out, TRUE);
		return valid;
	}

	return g_string_free (out, FALSE);
}

/* Notes we send are plain text; HubSpot's editor writes HTML. */
static gchar *
meeting_notes_to_text (const gchar *notes)
{
	static const gchar *markers[] = { "<p", "<br", "<div", "</", "<span", "<ul", "<li", "<strong", "<em", "<a " };
	guint ii;

	if (!notes)
		return NULL;

	if (strstr (notes, "&nbsp;"))
		return e_hubspot_meeting_event_html_to_text (notes);
	for (ii = 0; ii < G_N_ELEMENTS (markers); ii++) {
		if (strstr (notes, markers[ii]))
			return e_hubspot_meeting_event_html_to_text (notes);
	}

	return g_strstrip (g_strdup (notes));
}

/* Reading meetings */

const gchar *
e_hubspot_meeting_event_get_property (JsonNode *meeting,
				      const gchar *name)
{
	return e_hubspot_json_get_text (e_hubspot_requests_get_properties (meeting), name);
}

/* Whole seconds, rounded down also before 1970. */
static gint64
ms_to_seconds (gint64 ms)
{
	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

static gchar *
format_ms (gint64 ms)
{
	gchar *text = ms != G_MININT64 ? e_hubspot_mapping_format_utc (ms_to_seconds (ms)) : NULL;

	return text ? text : g_strdup (_("an unknown time"));
}

/* The event */

static ICalTime *
time_from_seconds (gint64 seconds)
{
	return i_cal_time_new_from_timet_with_zone ((time_t) seconds, FALSE, i_cal_timezone_get_utc_timezone ());
}

static void
set_utc_property (ICalComponent *vevent,
		  ICalPropertyKind kind,
		  gint64 seconds)
{
	ICalTime *tt;
	ICalProperty *prop;

	e_cal_util_component_remove_property_by_kind (vevent, kind, TRUE);

	tt = time_from_seconds (seconds);

	switch (kind) {
	case I_CAL_DTSTAMP_PROPERTY:
		prop = i_cal_property_new_dtstamp (tt);
		break;
	case I_CAL_CREATED_PROPERTY:
		prop = i_cal_property_new_created (tt);
		break;
	case I_CAL_LASTMODIFIED_PROPERTY:
		prop = i_cal_property_new_lastmodified (tt);
		break;
	case I_CAL_DTSTART_PROPERTY:
		prop = i_cal_property_new_dtstart (tt);
		break;
	case I_CAL_DTEND_PROPERTY:
		prop = i_cal_property_new_dtend (tt);
		break;
	default:
		g_return_if_reached ();
	}

	g_object_unref (tt);
	i_cal_component_take_property (vevent, prop);
}

/* Replaces every property of kind by one with text, or none. */
static void
set_text_property (ICalComponent *vevent,
		   ICalPropertyKind kind,
		   const gchar *text)
{
	ICalProperty *prop;

	e_cal_util_component_remove_property_by_kind (vevent, kind, TRUE);

	if (!text || !*text)
		return;

	switch (kind) {
	case I_CAL_SUMMARY_PROPERTY:
		prop = i_cal_property_new_summary (text);
		break;
	case I_CAL_DESCRIPTION_PROPERTY:
		prop = i_cal_property_new_description (text);
		break;
	case I_CAL_LOCATION_PROPERTY:
		prop = i_cal_property_new_location (text);
		break;
	case I_CAL_COMMENT_PROPERTY:
		prop = i_cal_property_new_comment (text);
		break;
	default:
		g_return_if_reached ();
	}

	i_cal_component_take_property (vevent, prop);
}

static gboolean
meeting_is_cancelled (JsonNode *meeting)
{
	return g_strcmp0 (e_hubspot_meeting_event_get_property (meeting, "hs_meeting_outcome"), "CANCELED") == 0;
}

static void
set_cancelled (ICalComponent *vevent,
	       gboolean cancelled)
{
	if (cancelled)
		i_cal_component_set_status (vevent, I_CAL_STATUS_CANCELLED);
	else if (i_cal_component_get_status (vevent) == I_CAL_STATUS_CANCELLED)
		e_cal_util_component_remove_property_by_kind (vevent, I_CAL_STATUS_PROPERTY, TRUE);
}

/* The meeting's start and end in Unix seconds; FALSE without a start. */
static gboolean
meeting_get_span (JsonNode *meeting,
		  gint64 *out_start,
		  gint64 *out_end)
{
	gint64 start_ms, end_ms;

	start_ms = e_hubspot_requests_parse_time_ms (e_hubspot_meeting_event_get_property (meeting, "hs_meeting_start_time"));
	if (start_ms == G_MININT64)
		start_ms = e_hubspot_requests_parse_time_ms (e_hubspot_meeting_event_get_property (meeting, "hs_timestamp"));
	if (start_ms == G_MININT64)
		return FALSE;

	end_ms = e_hubspot_requests_parse_time_ms (e_hubspot_meeting_event_get_property (meeting, "hs_meeting_end_time"));
	if (end_ms == G_MININT64 || end_ms < start_ms)
		end_ms = start_ms;

	*out_start = ms_to_seconds (start_ms);
	*out_end = ms_to_seconds (end_ms);

	return TRUE;
}

ICalComponent *
e_hubspot_meeting_event_new (JsonNode *meeting,
			     const gchar *ui_domain,
			     const gchar *portal_id,
			     GError **error)
{
	EHubSpotMeetingResult result = { 0, };
	ICalComponent *vevent;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *description = NULL;
	g_autofree gchar *notes = NULL;
	gint64 start, end, modified_ms, created_ms;

	if (!e_hubspot_mapping_parse_meeting_response (meeting, ui_domain, portal_id, &result, error))
		return NULL;

	if (!meeting_get_span (meeting, &start, &end)) {
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s meeting %s has no start time"), result.meeting_id);
		e_hubspot_meeting_result_clear (&result);
		return NULL;
	}

	uid = e_hubspot_meeting_event_make_uid (result.meeting_id);
	modified_ms = e_hubspot_requests_parse_time_ms (result.last_modified);
	created_ms = e_hubspot_requests_parse_time_ms (e_hubspot_meeting_event_get_property (meeting, "hs_createdate"));
	if (created_ms == G_MININT64 && JSON_NODE_HOLDS_OBJECT (meeting))
		created_ms = e_hubspot_requests_parse_time_ms (e_hubspot_json_get_text (json_node_get_object (meeting), "createdAt"));

	vevent = i_cal_component_new_vevent ();
	i_cal_component_set_uid (vevent, uid);
	/* The meeting's own times, so that the same meeting always makes
	 * the same event. */
	set_utc_property (vevent, I_CAL_DTSTAMP_PROPERTY,
		modified_ms != G_MININT64 ? ms_to_seconds (modified_ms) :
		created_ms != G_MININT64 ? ms_to_seconds (created_ms) : start);
	if (created_ms != G_MININT64)
		set_utc_property (vevent, I_CAL_CREATED_PROPERTY, ms_to_seconds (created_ms));
	if (modified_ms != G_MININT64)
		set_utc_property (vevent, I_CAL_LASTMODIFIED_PROPERTY, ms_to_seconds (modified_ms));

	set_text_property (vevent, I_CAL_SUMMARY_PROPERTY, e_hubspot_meeting_event_get_property (meeting, "hs_meeting_title"));
	set_utc_property (vevent, I_CAL_DTSTART_PROPERTY, start);
	set_utc_property (vevent, I_CAL_DTEND_PROPERTY, end);

	description = e_hubspot_meeting_event_html_to_text (e_hubspot_meeting_event_get_property (meeting, "hs_meeting_body"));
	set_text_property (vevent, I_CAL_DESCRIPTION_PROPERTY, description);
	set_text_property (vevent, I_CAL_LOCATION_PROPERTY, e_hubspot_meeting_event_get_property (meeting, "hs_meeting_location"));
	notes = meeting_notes_to_text (e_hubspot_meeting_event_get_property (meeting, "hs_internal_meeting_notes"));
	set_text_property (vevent, I_CAL_COMMENT_PROPERTY, notes);
	set_cancelled (vevent, meeting_is_cancelled (meeting));

	e_hubspot_mapping_apply_result (vevent, &result);
	e_hubspot_meeting_result_clear (&result);

	return vevent;
}

/* Differences */

static gboolean
same_text (const gchar *a,
	   const gchar *b)
{
	return g_strcmp0 (a ? a : "", b ? b : "") == 0;
}

static gboolean
same_time (const gchar *a,
	   const gchar *b)
{
	return e_hubspot_requests_parse_time_ms (a) == e_hubspot_requests_parse_time_ms (b);
}

EHubSpotMeetingDiff
e_hubspot_meeting_event_diff (JsonNode *request,
			      JsonNode *meeting)
{
	JsonObject *ours = e_hubspot_requests_get_properties (request);
	JsonObject *theirs = e_hubspot_requests_get_properties (meeting);
	EHubSpotMeetingDiff diff = E_HUBSPOT_MEETING_DIFF_NONE;
	g_autofree gchar *our_body = NULL, *their_body = NULL;
	g_autofree gchar *their_notes = NULL;
	g_autofree gchar *our_notes = NULL;

	if (!ours)
		return E_HUBSPOT_MEETING_DIFF_TITLE | E_HUBSPOT_MEETING_DIFF_START | E_HUBSPOT_MEETING_DIFF_END |
			E_HUBSPOT_MEETING_DIFF_BODY | E_HUBSPOT_MEETING_DIFF_LOCATION | E_HUBSPOT_MEETING_DIFF_NOTES |
			E_HUBSPOT_MEETING_DIFF_CANCELLED;

	if (!same_text (e_hubspot_json_get_text (ours, "hs_meeting_title"), e_hubspot_json_get_text (theirs, "hs_meeting_title")))
		diff |= E_HUBSPOT_MEETING_DIFF_TITLE;
	if (!same_time (e_hubspot_json_get_text (ours, "hs_meeting_start_time"), e_hubspot_json_get_text (theirs, "hs_meeting_start_time")))
		diff |= E_HUBSPOT_MEETING_DIFF_START;
	if (!same_time (e_hubspot_json_get_text (ours, "hs_meeting_end_time"), e_hubspot_json_get_text (theirs, "hs_meeting_end_time")))
		diff |= E_HUBSPOT_MEETING_DIFF_END;

	/* Compared as text: HubSpot may rewrite the markup of a body. */
	our_body = e_hubspot_meeting_event_html_to_text (e_hubspot_json_get_text (ours, "hs_meeting_body"));
	their_body = e_hubspot_meeting_event_html_to_text (e_hubspot_json_get_text (theirs, "hs_meeting_body"));
	if (!same_text (our_body, their_body))
		diff |= E_HUBSPOT_MEETING_DIFF_BODY;

	if (!same_text (e_hubspot_json_get_text (ours, "hs_meeting_location"), e_hubspot_json_get_text (theirs, "hs_meeting_location")))
		diff |= E_HUBSPOT_MEETING_DIFF_LOCATION;

	our_notes = meeting_notes_to_text (e_hubspot_json_get_text (ours, "hs_internal_meeting_notes"));
	their_notes = meeting_notes_to_text (e_hubspot_json_get_text (theirs, "hs_internal_meeting_notes"));
	if (!same_text (our_notes, their_notes))
		diff |= E_HUBSPOT_MEETING_DIFF_NOTES;

	if ((g_strcmp0 (e_hubspot_json_get_text (ours, "hs_meeting_outcome"), "CANCELED") == 0) !=
	    (g_strcmp0 (e_hubspot_json_get_text (theirs, "hs_meeting_outcome"), "CANCELED") == 0))
		diff |= E_HUBSPOT_MEETING_DIFF_CANCELLED;

	return diff;
}

EHubSpotWinner
e_hubspot_meeting_event_pick_winner (gint64 local_modified,
				     gint64 hubspot_modified_ms)
{
	if (hubspot_modified_ms == G_MININT64)
		return E_HUBSPOT_WINNER_LOCAL;
	if (local_modified == G_MININT64)
		return E_HUBSPOT_WINNER_HUBSPOT;

	return ms_to_seconds (hubspot_modified_ms) > local_modified ? E_HUBSPOT_WINNER_HUBSPOT : E_HUBSPOT_WINNER_LOCAL;
}

/* Merging */

/* Sets a DTSTART or DTEND to a new instant, in the zone its TZID names
 * (or zone_prop's, for a DTEND that replaces a DURATION) when the context
 * knows it, else in UTC. */
static void
set_event_time (ICalComponent *vevent,
		ICalPropertyKind kind,
		gint64 seconds,
		const EHubSpotMappingContext *context)
{
	ICalTime *utc = time_from_seconds (seconds);
	ICalTime *local = NULL;
	g_autofree gchar *tzid = NULL;
	ICalProperty *prop, *zone_prop;
	ICalParameter *param;
	ICalTimezone *zone = NULL;

	prop = i_cal_component_get_first_property (vevent, kind);
	zone_prop = prop ? g_object_ref (prop) : i_cal_component_get_first_property (vevent, I_CAL_DTSTART_PROPERTY);

	param = zone_prop ? i_cal_property_get_first_parameter (zone_prop, I_CAL_TZID_PARAMETER) : NULL;
	if (param) {
		tzid = g_strdup (i_cal_parameter_get_tzid (param));
		g_object_unref (param);
	}
	g_clear_object (&zone_prop);

	if (tzid && context)
		zone = e_hubspot_mapping_lookup_zone (context, tzid);
	if (zone)
		local = i_cal_time_convert_to_zone (utc, zone);

	if (kind == I_CAL_DTEND_PROPERTY)
		e_cal_util_component_remove_property_by_kind (vevent, I_CAL_DURATION_PROPERTY, TRUE);

	if (!prop) {
		prop = kind == I_CAL_DTSTART_PROPERTY ? i_cal_property_new_dtstart (local ? local : utc) :
			i_cal_property_new_dtend (local ? local : utc);
		i_cal_component_add_property (vevent, prop);
	} else {
		/* A DATE becomes a DATE-TIME; a TZID stays as the event wrote it. */
		i_cal_property_remove_parameter_by_kind (prop, I_CAL_VALUE_PARAMETER);
		if (!local)
			i_cal_property_remove_parameter_by_kind (prop, I_CAL_TZID_PARAMETER);
		if (kind == I_CAL_DTSTART_PROPERTY)
			i_cal_property_set_dtstart (prop, local ? local : utc);
		else
			i_cal_property_set_dtend (prop, local ? local : utc);
	}

	param = local ? i_cal_property_get_first_parameter (prop, I_CAL_TZID_PARAMETER) : NULL;
	if (local && !param)
		i_cal_property_take_parameter (prop, i_cal_parameter_new_tzid (tzid));
	g_clear_object (&param);

	g_object_unref (prop);
	g_clear_object (&local);
	g_object_unref (utc);
}

static void
apply_meeting_values (ICalComponent *vevent,
		      JsonNode *meeting,
		      EHubSpotMeetingDiff diff,
		      const EHubSpotMappingContext *context)
{
	gint64 start, end;

	if (diff & E_HUBSPOT_MEETING_DIFF_TITLE)
		set_text_property (vevent, I_CAL_SUMMARY_PROPERTY, e_hubspot_meeting_event_get_property (meeting, "hs_meeting_title"));

	if ((diff & (E_HUBSPOT_MEETING_DIFF_START | E_HUBSPOT_MEETING_DIFF_END)) && meeting_get_span (meeting, &start, &end)) {
		set_event_time (vevent, I_CAL_DTSTART_PROPERTY, start, context);
		set_event_time (vevent, I_CAL_DTEND_PROPERTY, end, context);
	}

	if (diff & E_HUBSPOT_MEETING_DIFF_BODY) {
		g_autofree gchar *text = e_hubspot_meeting_event_html_to_text (
			e_hubspot_meeting_event_get_property (meeting, "hs_meeting_body"));

		set_text_property (vevent, I_CAL_DESCRIPTION_PROPERTY, text);
	}

	if (diff & E_HUBSPOT_MEETING_DIFF_LOCATION)
		set_text_property (vevent, I_CAL_LOCATION_PROPERTY, e_hubspot_meeting_event_get_property (meeting, "hs_meeting_location"));

	if (diff & E_HUBSPOT_MEETING_DIFF_NOTES) {
		g_autofree gchar *text = meeting_notes_to_text (
			e_hubspot_meeting_event_get_property (meeting, "hs_internal_meeting_notes"));

		set_text_property (vevent, I_CAL_COMMENT_PROPERTY, text);
	}

	if (diff & E_HUBSPOT_MEETING_DIFF_CANCELLED)
		set_cancelled (vevent, meeting_is_cancelled (meeting));
}

/* "title “…”, start …, end …[, location “…”]" of a create body or a meeting. */
static gchar *
describe_values (JsonObject *props)
{
	const gchar *title = e_hubspot_json_get_text (props, "hs_meeting_title");
	const gchar *location = e_hubspot_json_get_text (props, "hs_meeting_location");
	g_autofree gchar *start = format_ms (e_hubspot_requests_parse_time_ms (e_hubspot_json_get_text (props, "hs_meeting_start_time")));
	g_autofree gchar *end = format_ms (e_hubspot_requests_parse_time_ms (e_hubspot_json_get_text (props, "hs_meeting_end_time")));
	GString *text = g_string_new (NULL);

	g_string_append_printf (text, _("title “%s”, start %s, end %s"), title ? title : "", start, end);
	if (location)
		g_string_append_printf (text, _(", location “%s”"), location);

	return g_string_free (text, FALSE);
}

/* The event's own values when it cannot be mapped (no request). */
static gchar *
describe_event (ICalComponent *vevent)
{
	const gchar *title = i_cal_component_get_summary (vevent);
	const gchar *location = i_cal_component_get_location (vevent);
	GString *text = g_string_new (NULL);

	g_string_append_printf (text, _("title “%s”"), title ? title : "");
	if (location && *location)
		g_string_append_printf (text, _(", location “%s”"), location);

	return g_string_free (text, FALSE);
}

static gint64
event_last_modified (ICalComponent *vevent)
{
	ICalProperty *prop = i_cal_component_get_first_property (vevent, I_CAL_LASTMODIFIED_PROPERTY);
	ICalTime *tt;
	gint64 seconds = G_MININT64;

	if (!prop)
		return G_MININT64;

	tt = i_cal_property_get_lastmodified (prop);
	g_object_unref (prop);

	if (tt && !i_cal_time_is_null_time (tt) && i_cal_time_is_valid_time (tt))
		seconds = (gint64) i_cal_time_as_timet_with_zone (tt, i_cal_timezone_get_utc_timezone ());
	g_clear_object (&tt);

	return seconds;
}

/* Keeps the losing side on the event: a property, and a note a person
 * sees at the end of the description. */
static void
keep_loser (ICalComponent *vevent,
	    const gchar *summary)
{
	ICalProperty *prop;
	g_autofree gchar *description = NULL;
	g_autofree gchar *note = NULL;
	const gchar *current;

	prop = i_cal_property_new_x (summary);
	i_cal_property_set_x_name (prop, E_HUBSPOT_PROP_CONFLICT);
	i_cal_component_take_property (vevent, prop);

	note = g_strdup_printf (_("Sync conflict: %s"), summary);
	current = i_cal_component_get_description (vevent);
	if (current && *current)
		description = g_strconcat (current, "\n\n", note, NULL);
	else
		description = g_strdup (note);

	set_text_property (vevent, I_CAL_DESCRIPTION_PROPERTY, description);
}

EHubSpotMergeResult
e_hubspot_meeting_event_merge (ICalComponent *vevent,
			       JsonNode *meeting,
			       gboolean local_pending,
			       const EHubSpotMappingContext *context,
			       const gchar *ui_domain,
			       const gchar *portal_id)
{
	EHubSpotMeetingResult result = { 0, };
	g_autoptr(JsonNode) request = NULL;
	g_autofree gchar *known = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *lost = NULL;
	g_autofree gchar *hubspot_when = NULL;
	g_autofree gchar *local_when = NULL;
	EHubSpotMeetingDiff diff;
	EHubSpotMergeResult merge;
	gint64 remote_ms, known_ms, local_modified;

	g_return_val_if_fail (I_CAL_IS_COMPONENT (vevent), E_HUBSPOT_MERGE_NONE);
	g_return_val_if_fail (context != NULL, E_HUBSPOT_MERGE_NONE);

	if (!e_hubspot_mapping_parse_meeting_response (meeting, ui_domain, portal_id, &result, NULL))
		return E_HUBSPOT_MERGE_NONE;

	remote_ms = e_hubspot_requests_parse_time_ms (result.last_modified);
	known = e_hubspot_mapping_dup_x_property (vevent, E_HUBSPOT_PROP_LAST_MODIFIED);
	known_ms = e_hubspot_requests_parse_time_ms (known);

	/* Nothing happened in HubSpot since the event last heard of it... */
	if (remote_ms != G_MININT64 && known_ms != G_MININT64 && remote_ms <= known_ms) {
		e_hubspot_meeting_result_clear (&result);
		return E_HUBSPOT_MERGE_NONE;
	}

	/* ...or nothing that shows in the event (our own PATCH, a change
	 * of something we do not map).  The event as we would send it is
	 * made only now: most refreshes stop above. */
	request = e_hubspot_mapping_build_meeting (vevent, context, NULL);
	diff = e_hubspot_meeting_event_diff (request, meeting);
	if (diff == E_HUBSPOT_MEETING_DIFF_NONE) {
		e_hubspot_meeting_result_clear (&result);
		return E_HUBSPOT_MERGE_NONE;
	}

	if (!local_pending) {
		apply_meeting_values (vevent, meeting, diff, context);
		if (remote_ms != G_MININT64)
			set_utc_property (vevent, I_CAL_LASTMODIFIED_PROPERTY, ms_to_seconds (remote_ms));
		e_hubspot_mapping_apply_result (vevent, &result);
		e_hubspot_meeting_result_clear (&result);
		return E_HUBSPOT_MERGE_UPDATED;
	}

	local_modified = event_last_modified (vevent);
	hubspot_when = format_ms (remote_ms);
	local_when = local_modified != G_MININT64 ? format_ms (local_modified * 1000) : format_ms (G_MININT64);

	if (e_hubspot_meeting_event_pick_winner (local_modified, remote_ms) == E_HUBSPOT_WINNER_HUBSPOT) {
		JsonObject *ours = e_hubspot_requests_get_properties (request);

		lost = ours ? describe_values (ours) : describe_event (vevent);
		summary = g_strdup_printf (_("HubSpot’s change (%s) won over this calendar’s (%s); lost: %s"),
			hubspot_when, local_when, lost);

		apply_meeting_values (vevent, meeting, diff, context);
		if (remote_ms != G_MININT64)
			set_utc_property (vevent, I_CAL_LASTMODIFIED_PROPERTY, ms_to_seconds (remote_ms));
		e_hubspot_mapping_apply_result (vevent, &result);
		merge = E_HUBSPOT_MERGE_HUBSPOT_WON;
	} else {
		lost = describe_values (e_hubspot_requests_get_properties (meeting));
		summary = g_strdup_printf (_("This calendar’s change (%s) won over HubSpot’s (%s); lost: %s"),
			local_when, hubspot_when, lost);

		/* HubSpot's change is seen: the next refresh does not bring it again. */
		if (result.last_modified)
			e_hubspot_mapping_set_x_property (vevent, E_HUBSPOT_PROP_LAST_MODIFIED, result.last_modified);
		merge = E_HUBSPOT_MERGE_LOCAL_WON;
	}

	keep_loser (vevent, summary);
	e_hubspot_meeting_result_clear (&result);

	return merge;
}
