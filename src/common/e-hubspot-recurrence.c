/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libecal/libecal.h>

#include "e-hubspot-error.h"
#include "e-hubspot-recurrence.h"

/* No rule may make a series cost more than this in one expansion, however
 * short its interval: the horizon and max_count bound the rest. */
#define EXPAND_HARD_LIMIT 10000

void
e_hubspot_occurrence_free (gpointer ptr)
{
	EHubSpotOccurrence *occurrence = ptr;

	if (!occurrence)
		return;

	g_free (occurrence->rid);
	g_clear_object (&occurrence->vevent);
	g_free (occurrence);
}

gboolean
e_hubspot_recurrence_is_recurring (ICalComponent *vevent)
{
	return e_cal_util_component_has_property (vevent, I_CAL_RRULE_PROPERTY) ||
	       e_cal_util_component_has_property (vevent, I_CAL_RDATE_PROPERTY);
}

gchar *
e_hubspot_recurrence_dup_rejected_rule (ICalComponent *vevent)
{
	ICalProperty *prop;
	gchar *found = NULL;

	for (prop = i_cal_component_get_first_property (vevent, I_CAL_XLICERROR_PROPERTY);
	     prop && !found;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (vevent, I_CAL_XLICERROR_PROPERTY)) {
		const gchar *text = i_cal_property_get_xlicerror (prop);

		if (text && (strstr (text, "RRULE") || strstr (text, "recurrence") || strstr (text, "RECUR")))
			found = g_strdup (text);
	}
	g_clear_object (&prop);

	return found;
}

/* The rid of a time: its date for an all-day occurrence, else its UTC. */
static gchar *
recurrence_format_rid (ICalTime *tt,
		       gint64 unix_time)
{
	g_autoptr(GDateTime) utc = NULL;

	if (i_cal_time_is_date (tt))
		return g_strdup_printf ("%04d%02d%02d", i_cal_time_get_year (tt),
			i_cal_time_get_month (tt), i_cal_time_get_day (tt));

	utc = g_date_time_new_from_unix_utc (unix_time);
	return utc ? g_date_time_format (utc, "%Y%m%dT%H%M%SZ") : NULL;
}

gint64
e_hubspot_recurrence_rid_to_time (const gchar *rid,
				  ICalTimezone *calendar_zone)
{
	ICalTime *tt;
	gint64 result;

	if (!rid || (strlen (rid) != 8 && strlen (rid) != 16))
		return G_MININT64;

	tt = i_cal_time_new_from_string (rid);
	if (!tt || i_cal_time_is_null_time (tt)) {
		g_clear_object (&tt);
		return G_MININT64;
	}

	if (i_cal_time_is_date (tt))
		result = i_cal_time_as_timet_with_zone (tt, calendar_zone ? calendar_zone : i_cal_timezone_get_utc_timezone ());
	else
		result = i_cal_time_as_timet_with_zone (tt, i_cal_timezone_get_utc_timezone ());
	g_object_unref (tt);

	return result;
}

gchar *
e_hubspot_recurrence_dup_rid (ICalComponent *vevent,
			      const EHubSpotMappingContext *context)
{
	ICalProperty *prop;
	ICalTime *tt = NULL;
	gint64 unix_time = 0;
	gchar *rid = NULL;

	prop = i_cal_component_get_first_property (vevent, I_CAL_RECURRENCEID_PROPERTY);
	if (!prop)
		prop = i_cal_component_get_first_property (vevent, I_CAL_DTSTART_PROPERTY);
	if (prop && e_hubspot_mapping_property_time (context, prop, &unix_time, &tt))
		rid = recurrence_format_rid (tt, unix_time);
	g_clear_object (&tt);
	g_clear_object (&prop);

	return rid;
}

typedef struct {
	const EHubSpotMappingContext *context;
	GPtrArray *found;	/* EHubSpotOccurrence *, vevent not yet set */
	GPtrArray *times;	/* ICalTime * pairs: start, end */
	guint limit;
} ExpandData;

static ICalTimezone *
recurrence_resolve_tzid_cb (const gchar *tzid,
			    gpointer user_data,
			    GCancellable *cancellable,
			    GError **error)
{
	return e_hubspot_mapping_lookup_zone (user_data, tzid);
}

static gint64
recurrence_time_to_unix (ICalTime *tt,
			 ICalTimezone *fallback)
{
	ICalTimezone *zone = i_cal_time_get_timezone (tt);

	if (i_cal_time_is_utc (tt))
		zone = i_cal_timezone_get_utc_timezone ();
	if (!zone)
		zone = fallback ? fallback : i_cal_timezone_get_utc_timezone ();

	return i_cal_time_as_timet_with_zone (tt, zone);
}

static gboolean
recurrence_instance_cb (ICalComponent *icomp,
			ICalTime *instance_start,
			ICalTime *instance_end,
			gpointer user_data,
			GCancellable *cancellable,
			GError **error)
{
	ExpandData *data = user_data;
	EHubSpotOccurrence *occurrence = g_new0 (EHubSpotOccurrence, 1);

	occurrence->start = recurrence_time_to_unix (instance_start, data->context->calendar_zone);
	occurrence->end = instance_end ? recurrence_time_to_unix (instance_end, data->context->calendar_zone) : occurrence->start;
	occurrence->rid = recurrence_format_rid (instance_start, occurrence->start);

	g_ptr_array_add (data->found, occurrence);
	g_ptr_array_add (data->times, i_cal_time_clone (instance_start));
	g_ptr_array_add (data->times, instance_end ? i_cal_time_clone (instance_end) : i_cal_time_clone (instance_start));

	/* Instances come in order: once past the limit, the rest can wait. */
	return data->found->len < data->limit;
}

/* Sets a DTSTART or DTEND to the wall-clock time of tt in the zone the
 * property's TZID names, keeping its parameters. */
static void
recurrence_move_property (ICalComponent *vevent,
			  ICalPropertyKind kind,
			  ICalTime *tt,
			  const EHubSpotMappingContext *context)
{
	ICalProperty *prop = i_cal_component_get_first_property (vevent, kind);
	ICalTime *moved;
	g_autofree gchar *tzid = NULL;
	ICalTimezone *zone = NULL;

	if (!prop)
		return;

	moved = i_cal_time_clone (tt);

	tzid = i_cal_property_get_parameter_as_string (prop, "TZID");
	if (tzid)
		zone = e_hubspot_mapping_lookup_zone (context, tzid);

	if (!i_cal_time_is_date (moved)) {
		ICalTime *current = NULL;
		gboolean was_utc;

		e_hubspot_mapping_property_time (context, prop, NULL, &current);
		was_utc = current && i_cal_time_is_utc (current);

		g_clear_object (&current);
		if (was_utc)
			i_cal_time_convert_to_zone_inplace (moved, i_cal_timezone_get_utc_timezone ());
		else if (zone && i_cal_time_get_timezone (moved))
			i_cal_time_convert_to_zone_inplace (moved, zone);
		else if (!zone && !tzid && i_cal_time_get_timezone (moved) && context->calendar_zone &&
			 !i_cal_time_is_utc (moved))
			i_cal_time_convert_to_zone_inplace (moved, context->calendar_zone);
		if (!was_utc)
			i_cal_time_set_timezone (moved, NULL);
	}

	if (kind == I_CAL_DTSTART_PROPERTY)
		i_cal_property_set_dtstart (prop, moved);
	else
		i_cal_property_set_dtend (prop, moved);
	g_object_unref (moved);
	g_object_unref (prop);
}

/* The master, moved to one occurrence, as a single event. */
static ICalComponent *
recurrence_make_occurrence (ICalComponent *master,
			    ICalTime *start,
			    ICalTime *end,
			    const EHubSpotMappingContext *context)
{
	static const ICalPropertyKind strip[] = {
		I_CAL_RRULE_PROPERTY, I_CAL_RDATE_PROPERTY, I_CAL_EXDATE_PROPERTY,
		I_CAL_EXRULE_PROPERTY, I_CAL_RECURRENCEID_PROPERTY
	};
	ICalComponent *vevent = i_cal_component_clone (master);
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (strip); ii++)
		e_cal_util_component_remove_property_by_kind (vevent, strip[ii], TRUE);

	recurrence_move_property (vevent, I_CAL_DTSTART_PROPERTY, start, context);
	if (e_cal_util_component_has_property (vevent, I_CAL_DTEND_PROPERTY))
		recurrence_move_property (vevent, I_CAL_DTEND_PROPERTY, end, context);

	return vevent;
}

static gboolean
recurrence_instance_start (const EHubSpotMappingContext *context,
			   ICalComponent *instance,
			   gint64 *out_start)
{
	ICalProperty *start = i_cal_component_get_first_property (instance, I_CAL_DTSTART_PROPERTY);
	gboolean found = start && e_hubspot_mapping_property_time (context, start, out_start, NULL);

	g_clear_object (&start);

	return found;
}

static gint
recurrence_compare_occurrences (gconstpointer aa,
				gconstpointer bb)
{
	const EHubSpotOccurrence *occ_a = *((EHubSpotOccurrence **) aa);
	const EHubSpotOccurrence *occ_b = *((EHubSpotOccurrence **) bb);

	if (occ_a->start != occ_b->start)
		return occ_a->start < occ_b->start ? -1 : 1;

	return g_strcmp0 (occ_a->rid, occ_b->rid);
}

GPtrArray *
e_hubspot_recurrence_expand (ICalComponent *master,
			     GPtrArray *detached,
			     const EHubSpotMappingContext *context,
			     gint64 from,
			     gint64 until,
			     guint max_count,
			     gboolean *out_truncated,
			     GError **error)
{
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (e_hubspot_occurrence_free);
	g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func (g_object_unref);
	g_autoptr(GHashTable) by_rid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
	ICalTime *interval_start, *interval_end;
	gboolean expanded;
	g_autoptr(GError) local_error = NULL;
	ExpandData data;
	guint ii, n_detached = detached ? detached->len : 0;

	if (out_truncated)
		*out_truncated = FALSE;

	if (!e_cal_util_component_has_property (master, I_CAL_DTSTART_PROPERTY)) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event has no start time"));
		return NULL;
	}

	/* libical's expansion runs for minutes over a date that is none. */
	if (!e_hubspot_mapping_check_dates (master, error))
		return NULL;
	for (ii = 0; ii < n_detached; ii++) {
		if (!e_hubspot_mapping_check_dates (g_ptr_array_index (detached, ii), error))
			return NULL;
	}

	for (ii = 0; ii < n_detached; ii++) {
		ICalComponent *instance = g_ptr_array_index (detached, ii);
		gchar *rid = e_hubspot_recurrence_dup_rid (instance, context);

		if (rid)
			g_hash_table_replace (by_rid, rid, instance);
	}

	/* A day of margin each side: the callback's own times decide. */
	interval_start = i_cal_time_new_from_timet_with_zone ((time_t) (from - 86400), FALSE, i_cal_timezone_get_utc_timezone ());
	interval_end = i_cal_time_new_from_timet_with_zone ((time_t) (until + 86400), FALSE, i_cal_timezone_get_utc_timezone ());

	data.context = context;
	data.found = g_ptr_array_new_with_free_func (e_hubspot_occurrence_free);
	data.times = times;
	data.limit = MIN ((guint) EXPAND_HARD_LIMIT, max_count + n_detached + 2);

	expanded = e_cal_recur_generate_instances_sync (master, interval_start, interval_end,
		recurrence_instance_cb, &data, recurrence_resolve_tzid_cb, (gpointer) context,
		context->calendar_zone ? context->calendar_zone : i_cal_timezone_get_utc_timezone (),
		NULL, &local_error);
	g_object_unref (interval_start);
	g_object_unref (interval_end);
	/* Stopped by the limit: FALSE, and no error. */
	if (!expanded && (local_error || data.found->len < data.limit)) {
		g_ptr_array_unref (data.found);
		g_set_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event’s repeat rule cannot be expanded: %s"),
			local_error ? local_error->message : _("unknown error"));
		return NULL;
	}

	if (data.found->len >= data.limit && out_truncated)
		*out_truncated = TRUE;

	for (ii = 0; ii < data.found->len; ii++) {
		EHubSpotOccurrence *occurrence = g_ptr_array_index (data.found, ii);
		ICalComponent *instance = g_hash_table_lookup (by_rid, occurrence->rid);

		/* Detached: the instance is the occurrence, with its own start
		 * (moved, maybe). */
		if (instance) {
			gint64 duration = MAX (occurrence->end - occurrence->start, 0);

			g_hash_table_add (used, instance);
			if (recurrence_instance_start (context, instance, &occurrence->start))
				occurrence->end = occurrence->start + duration;
		}

		if (occurrence->end <= from || occurrence->start >= until)
			continue;

		occurrence->vevent = instance ? i_cal_component_clone (instance) :
			recurrence_make_occurrence (master,
				g_ptr_array_index (times, 2 * ii), g_ptr_array_index (times, 2 * ii + 1), context);
		g_ptr_array_add (result, g_steal_pointer (&data.found->pdata[ii]));
	}
	g_ptr_array_unref (data.found);

	/* A detached instance the rule no longer makes (its original time is
	 * outside the window, or the rule changed) still is an occurrence. */
	for (ii = 0; ii < n_detached; ii++) {
		ICalComponent *instance = g_ptr_array_index (detached, ii);
		EHubSpotOccurrence *occurrence;
		gint64 start_time = 0;

		if (g_hash_table_contains (used, instance) ||
		    !recurrence_instance_start (context, instance, &start_time) ||
		    start_time >= until || start_time < from)
			continue;

		occurrence = g_new0 (EHubSpotOccurrence, 1);
		occurrence->rid = e_hubspot_recurrence_dup_rid (instance, context);
		occurrence->vevent = i_cal_component_clone (instance);
		occurrence->start = start_time;
		occurrence->end = start_time;
		if (occurrence->rid)
			g_ptr_array_add (result, occurrence);
		else
			e_hubspot_occurrence_free (occurrence);
	}

	g_ptr_array_sort (result, recurrence_compare_occurrences);
	if (result->len > max_count) {
		g_ptr_array_set_size (result, max_count);
		if (out_truncated)
			*out_truncated = TRUE;
	}

	return g_steal_pointer (&result);
}

/* Marks */

void
e_hubspot_occurrence_mark_free (gpointer ptr)
{
	EHubSpotOccurrenceMark *mark = ptr;

	if (!mark)
		return;

	g_free (mark->rid);
	g_free (mark->meeting_id);
	g_free (mark->state);
	g_free (mark->url);
	g_free (mark);
}

static EHubSpotOccurrenceMark *
occurrence_mark_parse (const gchar *value)
{
	g_auto(GStrv) parts = NULL;
	EHubSpotOccurrenceMark *mark;

	if (!value)
		return NULL;

	parts = g_strsplit (value, " ", 4);
	if (g_strv_length (parts) < 3 || !*parts[0])
		return NULL;

	mark = g_new0 (EHubSpotOccurrenceMark, 1);
	mark->rid = g_strdup (parts[0]);
	mark->meeting_id = g_strcmp0 (parts[1], "-") != 0 ? g_strdup (parts[1]) : NULL;
	mark->state = g_strdup (parts[2]);
	mark->url = parts[3] && *parts[3] ? g_strdup (parts[3]) : NULL;

	return mark;
}

GHashTable *
e_hubspot_occurrence_marks_read (ICalComponent *master)
{
	GHashTable *marks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, e_hubspot_occurrence_mark_free);
	ICalProperty *prop;

	for (prop = i_cal_component_get_first_property (master, I_CAL_X_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (master, I_CAL_X_PROPERTY)) {
		EHubSpotOccurrenceMark *mark;

		if (g_strcmp0 (i_cal_property_get_x_name (prop), E_HUBSPOT_PROP_OCCURRENCE) != 0)
			continue;

		mark = occurrence_mark_parse (i_cal_property_get_x (prop));
		if (mark)
			g_hash_table_replace (marks, mark->rid, mark);
	}

	return marks;
}

void
e_hubspot_occurrence_mark_set (ICalComponent *master,
			       const gchar *rid,
			       const gchar *meeting_id,
			       const gchar *state,
			       const gchar *url)
{
	g_autoptr(GSList) stale = NULL;
	ICalProperty *prop;
	g_autofree gchar *value = NULL;
	GSList *link;

	g_return_if_fail (rid && *rid && state);

	for (prop = i_cal_component_get_first_property (master, I_CAL_X_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (master, I_CAL_X_PROPERTY)) {
		EHubSpotOccurrenceMark *mark;

		if (g_strcmp0 (i_cal_property_get_x_name (prop), E_HUBSPOT_PROP_OCCURRENCE) != 0)
			continue;

		mark = occurrence_mark_parse (i_cal_property_get_x (prop));
		if (mark && g_strcmp0 (mark->rid, rid) == 0)
			stale = g_slist_prepend (stale, g_object_ref (prop));
		e_hubspot_occurrence_mark_free (mark);
	}

	for (link = stale; link; link = link->next) {
		i_cal_component_remove_property (master, link->data);
		g_object_unref (link->data);
	}

	/* Spaces separate the fields: a URL never holds one unescaped. */
	value = g_strdup_printf ("%s %s %s%s%s", rid, meeting_id && *meeting_id ? meeting_id : "-", state,
		url && *url ? " " : "", url && *url ? url : "");
	prop = i_cal_property_new_x (value);
	i_cal_property_set_x_name (prop, E_HUBSPOT_PROP_OCCURRENCE);
	i_cal_component_take_property (master, prop);
}

/* Planning */

void
e_hubspot_wish_free (gpointer ptr)
{
	EHubSpotWish *wish = ptr;

	if (!wish)
		return;

	g_free (wish->key);
	g_free (wish->rid);
	g_clear_pointer (&wish->request, json_node_unref);
	g_free (wish->meeting_id);
	g_free (wish);
}

gchar *
e_hubspot_recurrence_make_key (const gchar *uid,
			       const gchar *rid)
{
	const gchar separator[2] = { E_HUBSPOT_OCCURRENCE_KEY_SEPARATOR, '\0' };

	return rid ? g_strconcat (uid, separator, rid, NULL) : g_strdup (uid);
}

void
e_hubspot_recurrence_split_key (const gchar *key,
				gchar **out_uid,
				gchar **out_rid)
{
	const gchar *separator = strrchr (key, E_HUBSPOT_OCCURRENCE_KEY_SEPARATOR);

	*out_uid = separator ? g_strndup (key, separator - key) : g_strdup (key);
	*out_rid = separator ? g_strdup (separator + 1) : NULL;
}

gboolean
e_hubspot_recurrence_needs_plan (ICalComponent *master)
{
	ICalProperty *prop;
	gboolean marked = FALSE;

	if (e_hubspot_recurrence_is_recurring (master))
		return TRUE;

	for (prop = i_cal_component_get_first_property (master, I_CAL_X_PROPERTY);
	     prop && !marked;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (master, I_CAL_X_PROPERTY))
		marked = g_strcmp0 (i_cal_property_get_x_name (prop), E_HUBSPOT_PROP_OCCURRENCE) == 0;
	g_clear_object (&prop);

	return marked;
}

static EHubSpotWish *
recurrence_wish_new (const gchar *uid,
		     const gchar *rid,
		     JsonNode *request,
		     const gchar *meeting_id,
		     gboolean marked)
{
	EHubSpotWish *wish = g_new0 (EHubSpotWish, 1);

	wish->key = e_hubspot_recurrence_make_key (uid, rid);
	wish->rid = g_strdup (rid);
	wish->request = request;
	wish->meeting_id = g_strdup (meeting_id);
	wish->marked = marked;

	return wish;
}

GPtrArray *
e_hubspot_recurrence_plan (ICalComponent *master,
			   GPtrArray *detached,
			   const gchar *row_meeting_id,
			   JsonNode *master_request,
			   const EHubSpotMappingContext *context,
			   gint64 horizon_end,
			   guint max_count,
			   gboolean only_unsent,
			   gboolean *out_truncated,
			   GError **error)
{
	g_autoptr(GPtrArray) wishes = g_ptr_array_new_with_free_func (e_hubspot_wish_free);
	g_autoptr(GPtrArray) occurrences = NULL;
	g_autoptr(GHashTable) marks = e_hubspot_occurrence_marks_read (master);
	g_autoptr(GHashTable) planned = g_hash_table_new (g_str_hash, g_str_equal);
	g_autofree gchar *first_rid = e_hubspot_recurrence_dup_rid (master, context);
	const gchar *uid = i_cal_component_get_uid (master);
	gboolean legacy_taken = FALSE;
	GHashTableIter iter;
	gpointer value;
	guint ii;

	if (out_truncated)
		*out_truncated = FALSE;

	if (!uid || !*uid) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT,
			_("The event has no UID"));
		return NULL;
	}

	if (!e_hubspot_recurrence_is_recurring (master)) {
		/* No occurrence enters a horizon. */
		if (only_unsent)
			return g_steal_pointer (&wishes);

		/* Single (again): the meeting of its start, if it had one. */
		EHubSpotOccurrenceMark *mark = first_rid ? g_hash_table_lookup (marks, first_rid) : NULL;
		const gchar *meeting_id = row_meeting_id;
		JsonNode *request = master_request ? json_node_ref (master_request) :
			e_hubspot_mapping_build_meeting (master, context, error);

		if (!request)
			return NULL;
		if (!meeting_id && mark && mark->meeting_id) {
			meeting_id = mark->meeting_id;
			g_hash_table_add (planned, mark->rid);
		}
		g_ptr_array_add (wishes, recurrence_wish_new (uid, NULL, request, meeting_id, meeting_id != NULL));
		legacy_taken = TRUE;
	} else {
		occurrences = e_hubspot_recurrence_expand (master, detached, context, context->now, horizon_end,
			max_count, out_truncated, error);
		if (!occurrences)
			return NULL;

		for (ii = 0; ii < occurrences->len; ii++) {
			EHubSpotOccurrence *occurrence = g_ptr_array_index (occurrences, ii);
			EHubSpotOccurrenceMark *mark = g_hash_table_lookup (marks, occurrence->rid);
			const gchar *meeting_id = mark ? mark->meeting_id : NULL;
			g_autoptr(GError) local_error = NULL;
			JsonNode *request;

			/* Mapping is the costly part: not for what was sent. */
			if (only_unsent && mark)
				continue;

			/* The single event's meeting becomes its first occurrence. */
			if (!meeting_id && row_meeting_id && !legacy_taken && g_strcmp0 (occurrence->rid, first_rid) == 0) {
				meeting_id = row_meeting_id;
				legacy_taken = TRUE;
			}

			request = e_hubspot_mapping_build_meeting (occurrence->vevent, context, &local_error);
			if (!request) {
				/* A broken detached instance: the others still go. */
				g_debug ("%s: occurrence %s of '%s' is skipped: %s", G_STRFUNC, occurrence->rid, uid,
					local_error->message);
				continue;
			}

			g_hash_table_add (planned, occurrence->rid);
			g_ptr_array_add (wishes, recurrence_wish_new (uid, occurrence->rid, request, meeting_id, mark != NULL));
		}
	}

	if (only_unsent)
		return g_steal_pointer (&wishes);

	/* Sent occurrences that are no more, and have not happened yet. */
	g_hash_table_iter_init (&iter, marks);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		EHubSpotOccurrenceMark *mark = value;

		if (!mark->meeting_id || g_hash_table_contains (planned, mark->rid) ||
		    g_strcmp0 (mark->state, E_HUBSPOT_OCCURRENCE_CANCELLED) == 0 ||
		    e_hubspot_recurrence_rid_to_time (mark->rid, context->calendar_zone) < context->now)
			continue;

		g_ptr_array_add (wishes, recurrence_wish_new (uid, mark->rid, NULL, mark->meeting_id, TRUE));
	}

	if (row_meeting_id && !legacy_taken)
		g_ptr_array_add (wishes, recurrence_wish_new (uid, NULL, NULL, row_meeting_id, TRUE));

	return g_steal_pointer (&wishes);
}
