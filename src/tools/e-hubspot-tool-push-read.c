/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot push, first half: reads the events of a calendar or
 * of an .ics file, one PushEvent per UID (a master with its detached
 * instances), and chooses which ones to push. */

#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixinputstream.h>

#include "common/e-hubspot-mapping.h"
#include "e-hubspot-tool.h"
#include "e-hubspot-tool-push.h"

void
e_hubspot_push_event_free (gpointer ptr)
{
	PushEvent *event = ptr;

	g_free (event->uid);
	g_clear_object (&event->master);
	g_ptr_array_unref (event->instances);
	g_free (event);
}

ICalTimezone *
e_hubspot_push_resolve_tzid (const gchar *tzid,
			     gpointer user_data,
			     GCancellable *cancellable,
			     GError **error)
{
	PushRun *run = user_data;
	ICalTimezone *zone;

	if (!tzid || !*tzid)
		return NULL;

	zone = g_hash_table_lookup (run->zones, tzid);
	if (zone)
		return zone;

	/* One question per zone to the source calendar, even for the ones
	 * it does not know. */
	if (run->from_client && !g_hash_table_contains (run->unknown_zones, tzid)) {
		if (e_cal_client_get_timezone_sync (run->from_client, tzid, &zone, NULL, NULL) && zone) {
			g_hash_table_insert (run->zones, g_strdup (tzid), g_object_ref (zone));
			return zone;
		}
		g_hash_table_add (run->unknown_zones, g_strdup (tzid));
	}

	zone = i_cal_timezone_get_builtin_timezone_from_tzid (tzid);

	return zone ? zone : i_cal_timezone_get_builtin_timezone (tzid);
}

/* Our marks belong to the calendar that sent the event, not to the copy. */
static void
strip_hubspot_marks (ICalComponent *icomp)
{
	GSList *marks = NULL, *link;
	ICalProperty *prop;

	for (prop = i_cal_component_get_first_property (icomp, I_CAL_X_PROPERTY);
	     prop;
	     prop = i_cal_component_get_next_property (icomp, I_CAL_X_PROPERTY)) {
		const gchar *name = i_cal_property_get_x_name (prop);

		if (name && g_ascii_strncasecmp (name, "X-HUBSPOT-", 10) == 0)
			marks = g_slist_prepend (marks, prop);
		else
			g_object_unref (prop);
	}

	for (link = marks; link; link = link->next)
		i_cal_component_remove_property (icomp, link->data);
	g_slist_free_full (marks, g_object_unref);
}

static gboolean
is_private (ICalComponent *icomp)
{
	ICalProperty *prop = i_cal_component_get_first_property (icomp, I_CAL_CLASS_PROPERTY);
	ICalProperty_Class klass;

	if (!prop)
		return FALSE;

	klass = i_cal_property_get_class (prop);
	g_object_unref (prop);

	return klass == I_CAL_CLASS_PRIVATE || klass == I_CAL_CLASS_CONFIDENTIAL;
}

static gint
event_sequence (ICalComponent *icomp)
{
	return e_cal_util_component_has_property (icomp, I_CAL_SEQUENCE_PROPERTY) ?
		i_cal_component_get_sequence (icomp) : 0;
}

/* Takes icomp (a VEVENT). */
static void
add_component (PushRun *run,
	       ICalComponent *icomp)
{
	PushEvent *event;
	const gchar *uid = i_cal_component_get_uid (icomp);
	gboolean instance = e_cal_util_component_has_property (icomp, I_CAL_RECURRENCEID_PROPERTY);

	if (!uid || !*uid) {
		/* A UID from the content, so that running again finds it. */
		g_autofree gchar *text = i_cal_component_as_ical_string (icomp);
		g_autofree gchar *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
		g_autofree gchar *new_uid = g_strdup_printf ("evolution-hubspot-push-%.32s", hash);

		i_cal_component_set_uid (icomp, new_uid);
		uid = i_cal_component_get_uid (icomp);
	}

	event = g_hash_table_lookup (run->events_by_uid, uid);
	if (!event) {
		event = g_new0 (PushEvent, 1);
		event->uid = g_strdup (uid);
		event->instances = g_ptr_array_new_with_free_func (g_object_unref);
		g_ptr_array_add (run->events, event);
		g_hash_table_insert (run->events_by_uid, event->uid, event);
	}

	if (instance) {
		g_ptr_array_add (event->instances, icomp);
	} else if (!event->master) {
		event->master = icomp;
	} else {
		/* The same event twice (an .ics of iTIP messages, say): the
		 * newest complete version wins; a reply has no start. */
		gboolean has_start = e_cal_util_component_has_property (icomp, I_CAL_DTSTART_PROPERTY);
		gboolean had_start = e_cal_util_component_has_property (event->master, I_CAL_DTSTART_PROPERTY);

		if (has_start != had_start ? has_start : event_sequence (icomp) > event_sequence (event->master)) {
			g_object_unref (event->master);
			event->master = icomp;
		} else {
			g_object_unref (icomp);
		}
		run->skipped[SKIP_OLDER_COPY]++;
	}
}

static void
add_timezone_component (PushRun *run,
			ICalComponent *vtimezone)
{
	ICalTimezone *zone = i_cal_timezone_new ();
	ICalComponent *clone = i_cal_component_clone (vtimezone);

	/* The zone keeps the clone's contents. */
	if (i_cal_timezone_set_component (zone, clone) && i_cal_timezone_get_tzid (zone))
		g_hash_table_insert (run->zones, g_strdup (i_cal_timezone_get_tzid (zone)), g_object_ref (zone));

	g_object_unref (clone);
	g_object_unref (zone);
}

static void
collect_from_file (PushRun *run,
		   ICalComponent *icomp)
{
	ICalComponent *sub;

	switch (i_cal_component_isa (icomp)) {
	case I_CAL_XROOT_COMPONENT:
	case I_CAL_VCALENDAR_COMPONENT:
		for (sub = i_cal_component_get_first_component (icomp, I_CAL_ANY_COMPONENT);
		     sub;
		     g_object_unref (sub), sub = i_cal_component_get_next_component (icomp, I_CAL_ANY_COMPONENT))
			collect_from_file (run, sub);
		break;
	case I_CAL_VEVENT_COMPONENT:
		add_component (run, i_cal_component_clone (icomp));
		break;
	case I_CAL_VTIMEZONE_COMPONENT:
		add_timezone_component (run, icomp);
		break;
	default:
		run->skipped[SKIP_NOT_EVENT]++;
		break;
	}
}

gboolean
e_hubspot_push_read_text (PushRun *run,
			  const gchar *text,
			  GError **error)
{
	ICalComponent *root;

	g_return_val_if_fail (run != NULL, FALSE);
	g_return_val_if_fail (text != NULL, FALSE);

	root = i_cal_parser_parse_string (text);
	if (!root) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			_("“%s” is not an iCalendar file"), run->from_name ? run->from_name : "");
		return FALSE;
	}

	collect_from_file (run, root);
	g_object_unref (root);

	return TRUE;
}

static gboolean
read_file (PushRun *run,
	   GError **error)
{
	g_autofree gchar *contents = NULL;

	if (g_str_equal (run->from, "-")) {
		g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
		g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

		/* The text ends with a NUL for the parser. */
		if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, error) < 0 ||
		    !g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
		    !g_output_stream_close (out, NULL, error))
			return FALSE;
		contents = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
		run->from_name = g_strdup (_("standard input"));
	} else {
		if (!g_file_get_contents (run->from, &contents, NULL, error))
			return FALSE;
		run->from_name = g_strdup (run->from);
	}

	return e_hubspot_push_read_text (run, contents, error);
}

static gboolean
read_calendar (PushRun *run,
	       ESource *source,
	       GError **error)
{
	GSList *icomps = NULL, *link;
	EClient *client;

	client = e_cal_client_connect_sync (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS, (guint32) -1, NULL, error);
	if (!client)
		return FALSE;
	run->from_client = E_CAL_CLIENT (client);
	run->from_name = g_strdup (e_source_get_display_name (source));

	if (!e_cal_client_get_object_list_sync (run->from_client, "#t", &icomps, NULL, error))
		return FALSE;

	for (link = icomps; link; link = link->next) {
		if (i_cal_component_isa (link->data) == I_CAL_VEVENT_COMPONENT) {
			add_component (run, link->data);
		} else {
			run->skipped[SKIP_NOT_EVENT]++;
			g_object_unref (link->data);
		}
	}
	g_slist_free (icomps);

	return TRUE;
}

void
e_hubspot_push_settle_instances (PushRun *run)
{
	guint ii;

	g_return_if_fail (run != NULL);

	for (ii = 0; ii < run->events->len; ii++) {
		PushEvent *event = g_ptr_array_index (run->events, ii);
		ICalProperty *prop;

		if (event->master || !event->instances->len)
			continue;

		event->master = g_ptr_array_steal_index (event->instances, 0);
		prop = i_cal_component_get_first_property (event->master, I_CAL_RECURRENCEID_PROPERTY);
		if (prop) {
			i_cal_component_remove_property (event->master, prop);
			g_object_unref (prop);
		}
	}
}

/* Choosing what to push */

static gboolean
component_overlaps (PushRun *run,
		    ICalComponent *icomp)
{
	ECalComponent *comp;
	time_t start = 0, end = 0;

	/* Without a start there is no range to judge; the calendar says why
	 * it refuses such an event. */
	if (!e_cal_util_component_has_property (icomp, I_CAL_DTSTART_PROPERTY))
		return TRUE;

	comp = e_cal_component_new_from_icalcomponent (i_cal_component_clone (icomp));
	if (!comp)
		return TRUE;

	/* For a recurring event: from its first start to its last end. */
	e_cal_util_get_component_occur_times (comp, &start, &end, e_hubspot_push_resolve_tzid, run,
		run->default_zone, I_CAL_VEVENT_COMPONENT);
	g_object_unref (comp);

	if ((gint64) start >= run->range_end)
		return FALSE;

	return (gint64) end > run->range_start || (gint64) start >= run->range_start;
}

static gboolean
event_overlaps (PushRun *run,
		PushEvent *event)
{
	guint ii;

	if (run->range_start == G_MININT64 && run->range_end == G_MAXINT64)
		return TRUE;

	if (component_overlaps (run, event->master))
		return TRUE;

	for (ii = 0; ii < event->instances->len; ii++) {
		if (component_overlaps (run, g_ptr_array_index (event->instances, ii)))
			return TRUE;
	}

	return FALSE;
}

gboolean
e_hubspot_push_event_check_dates (PushEvent *event,
				  GError **error)
{
	guint ii;

	g_return_val_if_fail (event != NULL, FALSE);

	if (!e_hubspot_mapping_check_dates (event->master, error))
		return FALSE;

	for (ii = 0; ii < event->instances->len; ii++) {
		if (!e_hubspot_mapping_check_dates (g_ptr_array_index (event->instances, ii), error))
			return FALSE;
	}

	return TRUE;
}

void
e_hubspot_push_select (PushRun *run)
{
	guint ii, jj;

	for (ii = 0; ii < run->events->len; ii++) {
		PushEvent *event = g_ptr_array_index (run->events, ii);
		g_autofree gchar *meeting_id = e_hubspot_mapping_dup_x_property (event->master, E_HUBSPOT_PROP_MEETING_ID);

		if (meeting_id) {
			run->skipped[SKIP_HUBSPOT_MEETING]++;
		} else if (!run->include_private && is_private (event->master)) {
			run->skipped[SKIP_PRIVATE]++;
		} else if (!e_hubspot_push_event_check_dates (event, NULL)) {
			/* No range to judge (EDS's occurrence code runs for
			 * minutes over such dates): the push says why it
			 * refuses it. */
			g_ptr_array_add (run->selected, event);
		} else if (!event_overlaps (run, event)) {
			run->skipped[SKIP_OUT_OF_RANGE]++;
		} else if (g_hash_table_contains (run->existing, event->uid)) {
			run->already++;
		} else {
			strip_hubspot_marks (event->master);
			for (jj = 0; jj < event->instances->len; jj++)
				strip_hubspot_marks (g_ptr_array_index (event->instances, jj));
			g_ptr_array_add (run->selected, event);
		}
	}
}

gboolean
e_hubspot_push_read_existing (PushRun *run,
			      GError **error)
{
	GSList *icomps = NULL, *link;

	if (!e_cal_client_get_object_list_sync (run->target, "#t", &icomps, NULL, error))
		return FALSE;

	for (link = icomps; link; link = link->next) {
		const gchar *uid = i_cal_component_get_uid (link->data);

		if (uid)
			g_hash_table_add (run->existing, g_strdup (uid));
	}
	g_slist_free_full (icomps, g_object_unref);

	return TRUE;
}

static gboolean
looks_like_file (const gchar *from)
{
	g_autofree gchar *lower = g_ascii_strdown (from, -1);

	return g_str_equal (from, "-") || g_str_has_suffix (lower, ".ics") || strchr (from, G_DIR_SEPARATOR);
}

gint
e_hubspot_push_read_source (PushRun *run)
{
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;

	if (!looks_like_file (run->from)) {
		source = e_hubspot_tool_find_calendar (run->registry, run->from, &error);
		if (!source && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
		    g_file_test (run->from, G_FILE_TEST_IS_REGULAR))
			g_clear_error (&error);
		else if (!source) {
			g_printerr ("%s\n", error->message);
			return E_HUBSPOT_TOOL_EXIT_USAGE;
		}
	}

	if (source && g_str_equal (e_source_get_uid (source), e_source_get_uid (run->target_source))) {
		g_printerr ("%s\n", _("--from and --to name the same calendar."));
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (source ? read_calendar (run, source, &error) : read_file (run, &error)) {
		e_hubspot_push_settle_instances (run);
		return -1;
	}

	if (source) {
		e_hubspot_tool_print_error (_("Cannot read the calendar"), error);
		return E_HUBSPOT_TOOL_EXIT_UNREACHABLE;
	}

	e_hubspot_tool_print_error (_("Cannot read the file"), error);

	return g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ?
		E_HUBSPOT_TOOL_EXIT_USAGE : E_HUBSPOT_TOOL_EXIT_FAILED;
}

