/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Any text as the .ics file given to `evolution-hubspot push`: read,
 * grouped by UID, lone instances settled, and chosen (private events,
 * a date range) as the tool does before it stores anything.  Every event
 * read has a UID and a master; nothing is counted twice. */

#include "tools/e-hubspot-tool-push.h"
#include "fuzz-target.h"

#define RANGE_START 1767225600	/* 2026-01-01T00:00:00Z */
#define RANGE_END 1798761600	/* 2027-01-01T00:00:00Z */

static void
run_init (PushRun *run)
{
	memset (run, 0, sizeof (*run));
	run->from_name = g_strdup ("fuzz.ics");
	run->range_start = RANGE_START;
	run->range_end = RANGE_END;
	run->default_zone = i_cal_timezone_get_builtin_timezone ("Europe/Berlin");
	run->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
	run->unknown_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	run->events = g_ptr_array_new_with_free_func (e_hubspot_push_event_free);
	run->events_by_uid = g_hash_table_new (g_str_hash, g_str_equal);
	run->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	run->selected = g_ptr_array_new ();
}

static void
run_clear (PushRun *run)
{
	g_free (run->from_name);
	g_hash_table_unref (run->zones);
	g_hash_table_unref (run->unknown_zones);
	g_ptr_array_unref (run->selected);
	g_hash_table_unref (run->events_by_uid);
	g_ptr_array_unref (run->events);
	g_hash_table_unref (run->existing);
}

int
LLVMFuzzerInitialize (int *argc,
		      char ***argv)
{
	fuzz_init ();

	return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
			size_t size)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	PushRun run;
	guint ii, counted;

	text = fuzz_dup_text (data, size);
	if (!text)
		return 0;
	run_init (&run);

	if (e_hubspot_push_read_text (&run, text, &error)) {
		e_hubspot_push_settle_instances (&run);

		for (ii = 0; ii < run.events->len; ii++) {
			PushEvent *event = g_ptr_array_index (run.events, ii);

			if (!event->uid || !*event->uid || !event->master)
				g_error ("an event read without a UID or a master");
		}

		/* Twice: the choice depends on the range, so the other half
		 * of the events are reached with everything allowed. */
		e_hubspot_push_select (&run);
		counted = run.selected->len + run.already;
		for (ii = 0; ii < N_SKIP_REASONS; ii++)
			if (ii != SKIP_NOT_EVENT && ii != SKIP_OLDER_COPY)
				counted += run.skipped[ii];
		if (counted != run.events->len)
			g_error ("%u events read, %u chosen or skipped", run.events->len, counted);

		g_ptr_array_set_size (run.selected, 0);
		run.range_start = G_MININT64;
		run.range_end = G_MAXINT64;
		run.include_private = TRUE;
		e_hubspot_push_select (&run);
	} else if (!error || !error->message) {
		g_error ("a text refused without an error");
	}

	run_clear (&run);

	return 0;
}
