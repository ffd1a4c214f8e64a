/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Every real-world file of tests/data/ics/ pushed with evolution-hubspot
 * push, each into its own HubSpot calendar (zone Europe/Berlin; two files
 * share a UID), and the meetings the mock then holds compared with the
 * hand-written ics-expectations.txt: count, UTC start and end, the create
 * body's time zone, the outcome, and which call created each meeting.
 * The factory's clock is fixed at 2020-01-28T12:00:00Z (meson.build). */

#include <string.h>

#include "common/e-hubspot-mapping.h"
#include "hubspot-test-fixture.h"

#define CALENDAR_ZONE "Europe/Berlin"

typedef struct {
	gchar *start;
	gchar *end;
	gchar *zone;		/* "-": the create body has none */
	gchar *outcome;
	gchar *via;		/* "scheduler" or "crm" */
	gchar *title;
} Meeting;

typedef struct {
	gchar *name;
	gint exit_code;
	GPtrArray *stdout_lines;	/* whole lines of the summary */
	GPtrArray *stderr_texts;	/* found anywhere in standard error */
	GPtrArray *meetings;	/* Meeting, by start then title */
} FileExpectation;

static void
meeting_free (gpointer ptr)
{
	Meeting *meeting = ptr;

	g_free (meeting->start);
	g_free (meeting->end);
	g_free (meeting->zone);
	g_free (meeting->outcome);
	g_free (meeting->via);
	g_free (meeting->title);
	g_free (meeting);
}

static void
file_expectation_free (gpointer ptr)
{
	FileExpectation *file = ptr;

	g_free (file->name);
	g_ptr_array_unref (file->stdout_lines);
	g_ptr_array_unref (file->stderr_texts);
	g_ptr_array_unref (file->meetings);
	g_free (file);
}

/* A file next to this source, or in tests/data/ics: __FILE__ is relative
 * to the build directory. */
static gchar *
source_path (const gchar *first,
	     ...)
{
	g_autofree gchar *source = g_path_is_absolute (__FILE__) ? g_strdup (__FILE__) :
		g_build_filename (g_getenv ("HUBSPOT_BUILD_DIR"), __FILE__, NULL);
	g_autofree gchar *dir = g_path_get_dirname (source);
	g_autoptr(GPtrArray) parts = g_ptr_array_new ();
	const gchar *part;
	va_list ap;

	g_ptr_array_add (parts, dir);
	va_start (ap, first);
	for (part = first; part; part = va_arg (ap, const gchar *))
		g_ptr_array_add (parts, (gpointer) part);
	va_end (ap);
	g_ptr_array_add (parts, NULL);

	return g_build_filenamev ((gchar **) parts->pdata);
}

static GPtrArray *
read_expectations (void)
{
	g_autofree gchar *path = source_path ("ics-expectations.txt", NULL);
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = NULL;
	GPtrArray *files = g_ptr_array_new_with_free_func (file_expectation_free);
	FileExpectation *file = NULL;
	guint ii;

	g_file_get_contents (path, &text, NULL, &error);
	g_assert_no_error (error);
	lines = g_strsplit (text, "\n", -1);

	for (ii = 0; lines[ii]; ii++) {
		const gchar *line = lines[ii];

		if (!*line || *line == '#')
			continue;

		if (g_str_has_prefix (line, "file ")) {
			g_assert_null (file);
			file = g_new0 (FileExpectation, 1);
			file->name = g_strdup (line + 5);
			file->stdout_lines = g_ptr_array_new_with_free_func (g_free);
			file->stderr_texts = g_ptr_array_new_with_free_func (g_free);
			file->meetings = g_ptr_array_new_with_free_func (meeting_free);
		} else if (g_str_equal (line, "end")) {
			g_assert_nonnull (file);
			g_ptr_array_add (files, file);
			file = NULL;
		} else if (g_str_has_prefix (line, "exit ")) {
			g_assert_nonnull (file);
			file->exit_code = (gint) g_ascii_strtoll (line + 5, NULL, 10);
		} else if (g_str_has_prefix (line, "stdout ")) {
			g_assert_nonnull (file);
			g_ptr_array_add (file->stdout_lines, g_strdup (line + 7));
		} else if (g_str_has_prefix (line, "stderr ")) {
			g_assert_nonnull (file);
			g_ptr_array_add (file->stderr_texts, g_strdup (line + 7));
		} else if (g_str_has_prefix (line, "meeting ")) {
			g_auto(GStrv) fields = g_strsplit (line + 8, " ", 6);
			Meeting *meeting;

			g_assert_nonnull (file);
			if (g_strv_length (fields) != 6)
				g_error ("ics-expectations.txt:%u: a meeting has six fields", ii + 1);
			meeting = g_new0 (Meeting, 1);
			meeting->start = g_strdup (fields[0]);
			meeting->end = g_strdup (fields[1]);
			meeting->zone = g_strdup (fields[2]);
			meeting->outcome = g_strdup (fields[3]);
			meeting->via = g_strdup (fields[4]);
			meeting->title = g_strstrip (g_strdup (fields[5]));
			g_ptr_array_add (file->meetings, meeting);
		} else {
			g_error ("ics-expectations.txt:%u: cannot read “%s”", ii + 1, line);
		}
	}
	g_assert_null (file);

	return files;
}

static gint
run_push (const gchar *path,
	  const gchar *calendar_uid,
	  gchar **out_stdout,
	  gchar **out_stderr,
	  gboolean *out_signalled)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;

	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
	g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
	process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HUBSPOT_TOOL"), "push",
		"--from", path, "--to", calendar_uid, "--timeout", "30", NULL);
	g_assert_no_error (error);
	g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, out_stderr, &error);
	g_assert_no_error (error);
	g_test_message ("push %s: %s %d\n%s%s", path,
		g_subprocess_get_if_exited (process) ? "exit" : "signal",
		g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) :
		g_subprocess_get_term_sig (process), *out_stdout, *out_stderr);

	*out_signalled = !g_subprocess_get_if_exited (process);

	return *out_signalled ? -1 : g_subprocess_get_exit_status (process);
}

/* --timeout 30 above: "seconds without progress"; every file here is
 * sent within a few seconds, and a file the tool would wait for in vain
 * must not cost the default 120 s. */

/* The outbox may still PATCH a meeting after the tool saw the events
 * synced: wait until the mock has seen no request for a second. */
static void
wait_quiet (void)
{
	gint64 last = -1, now;
	guint quiet = 0, ii;

	for (ii = 0; ii < 600 && quiet < 4; ii++) {
		hubspot_test_spin (250);
		now = hubspot_test_mock_stat (hubspot_test_get_mock (), "requests");
		quiet = now == last ? quiet + 1 : 0;
		last = now;
	}
}

static const gchar *
props_string (JsonObject *props,
	      const gchar *name)
{
	JsonNode *node = json_object_get_member (props, name);

	return node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static gint
compare_meetings (gconstpointer a,
		  gconstpointer b)
{
	const Meeting *ma = *(const Meeting * const *) a;
	const Meeting *mb = *(const Meeting * const *) b;
	gint cmp = g_strcmp0 (ma->start, mb->start);

	return cmp ? cmp : g_strcmp0 (ma->title, mb->title);
}

/* The meetings the mock holds whose id is not in seen (then added), as
 * Meeting records: final properties, and the create call that made them. */
static GPtrArray *
new_meetings (GHashTable *seen)
{
	g_autoptr(JsonNode) all = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/meetings", NULL);
	g_autoptr(JsonNode) requests = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/requests", NULL);
	g_autoptr(GHashTable) bodies = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GHashTable) scheduled = g_hash_table_new (g_str_hash, g_str_equal);
	JsonArray *meetings = json_node_get_array (all);
	JsonArray *reqs = json_node_get_array (requests);
	GPtrArray *found = g_ptr_array_new_with_free_func (meeting_free);
	guint ii, jj;

	/* Meeting id -> the body that created it: a create's, or its input
	 * in a batch create (matched by objectWriteTraceId). */
	for (ii = 0; ii < json_array_get_length (reqs); ii++) {
		JsonObject *request = json_array_get_object_element (reqs, ii);
		JsonNode *response = json_object_get_member (request, "response");
		const gchar *path = json_object_get_string_member (request, "path");
		JsonObject *body = json_object_get_object_member (request, "body");
		const gchar *id;

		if (g_strcmp0 (json_object_get_string_member (request, "method"), "POST") != 0 ||
		    json_object_get_int_member (request, "status") >= 300 ||
		    !response || !JSON_NODE_HOLDS_OBJECT (response))
			continue;

		if (g_str_equal (path, "/crm/objects/2026-03/meetings/batch/create")) {
			JsonArray *results = json_object_get_array_member (json_node_get_object (response), "results");
			JsonArray *inputs = json_object_get_array_member (body, "inputs");

			for (jj = 0; jj < json_array_get_length (results); jj++) {
				JsonObject *result = json_array_get_object_element (results, jj);
				guint64 index;

				if (!g_ascii_string_to_unsigned (json_object_get_string_member (result, "objectWriteTraceId"), 10,
					0, json_array_get_length (inputs) - 1, &index, NULL))
					g_error ("a batch create's result names no input");
				g_hash_table_insert (bodies, (gpointer) json_object_get_string_member (result, "id"),
					json_array_get_object_element (inputs, (guint) index));
			}
			continue;
		}

		if (!g_str_has_suffix (path, "/meetings/calendar") && !g_str_equal (path, "/crm/objects/2026-03/meetings"))
			continue;
		id = json_object_get_string_member_with_default (json_node_get_object (response), "id", NULL);
		if (!id)
			continue;
		g_hash_table_insert (bodies, (gpointer) id, body);
		if (g_str_has_suffix (path, "/meetings/calendar"))
			g_hash_table_add (scheduled, (gpointer) id);
	}

	for (ii = 0; ii < json_array_get_length (meetings); ii++) {
		JsonObject *object = json_array_get_object_element (meetings, ii);
		JsonObject *props = json_object_get_object_member (object, "properties");
		const gchar *id = json_object_get_string_member (object, "id");
		JsonObject *body;
		Meeting *meeting;

		if (g_hash_table_contains (seen, id))
			continue;
		g_hash_table_add (seen, g_strdup (id));

		body = g_hash_table_lookup (bodies, id);
		if (!body)
			g_error ("meeting %s was not made by a create call this test knows", id);

		meeting = g_new0 (Meeting, 1);
		meeting->start = g_strdup (props_string (props, "hs_meeting_start_time"));
		meeting->end = g_strdup (props_string (props, "hs_meeting_end_time"));
		meeting->zone = g_strdup (json_object_get_string_member_with_default (body, "timezone", "-"));
		meeting->outcome = g_strdup (props_string (props, "hs_meeting_outcome"));
		meeting->via = g_strdup (g_hash_table_contains (scheduled, id) ? "scheduler" : "crm");
		meeting->title = g_strstrip (g_strdup (props_string (props, "hs_meeting_title")));
		if (json_object_get_boolean_member_with_default (object, "archived", FALSE)) {
			g_free (meeting->outcome);
			meeting->outcome = g_strdup ("ARCHIVED");
		}
		/* Logged, not scheduled: no invitation, no reminders. */
		if (g_str_equal (meeting->via, "crm") && json_object_has_member (body, "emailReminderSchedule")) {
			g_free (meeting->via);
			meeting->via = g_strdup ("crm+reminders");
		}
		g_ptr_array_add (found, meeting);
	}

	g_ptr_array_sort (found, compare_meetings);

	return found;
}

static gchar *
format_meeting (const Meeting *meeting)
{
	return g_strdup_printf ("%s %s %s %s %s %s", meeting->start, meeting->end, meeting->zone,
		meeting->outcome, meeting->via, meeting->title);
}

/* Pushes one file into a new calendar and compares; returns the
 * differences, one per line (empty: as expected). */
static gchar *
check_file (FileExpectation *expected,
	    GHashTable *seen)
{
	g_autofree gchar *path = source_path ("..", "data", "ics", expected->name, NULL);
	g_autofree gchar *out = NULL, *err = NULL;
	g_autoptr(GPtrArray) got = NULL;
	GString *problems = g_string_new (NULL);
	ESource *source;
	ECalClient *client;
	gboolean signalled = FALSE;
	gint code;
	guint ii;

	source = hubspot_test_create_calendar (hubspot_test_get_registry (),
		hubspot_test_mock_get_url (hubspot_test_get_mock ()), CALENDAR_ZONE);
	hubspot_test_configure (source, "lookup-delay", 1, "portal-id", "4242", "ui-domain", "app.hubspot.com", NULL);
	client = hubspot_test_connect (source, HUBSPOT_TEST_TOKEN);

	code = run_push (path, e_source_get_uid (source), &out, &err, &signalled);
	wait_quiet ();
	got = new_meetings (seen);

	if (signalled)
		g_string_append (problems, "  the tool died of a signal\n");
	else if (code != expected->exit_code)
		g_string_append_printf (problems, "  exit %d, expected %d\n", code, expected->exit_code);
	for (ii = 0; ii < expected->stdout_lines->len; ii++) {
		g_autofree gchar *needle = g_strconcat ("\n", (gchar *) g_ptr_array_index (expected->stdout_lines, ii), "\n", NULL);
		g_autofree gchar *text = g_strconcat ("\n", out ? out : "", NULL);

		if (!strstr (text, needle))
			g_string_append_printf (problems, "  no line “%s” in the output\n",
				(gchar *) g_ptr_array_index (expected->stdout_lines, ii));
	}
	for (ii = 0; ii < expected->stderr_texts->len; ii++) {
		if (!err || !strstr (err, g_ptr_array_index (expected->stderr_texts, ii)))
			g_string_append_printf (problems, "  no “%s” on standard error\n",
				(gchar *) g_ptr_array_index (expected->stderr_texts, ii));
	}

	if (got->len != expected->meetings->len)
		g_string_append_printf (problems, "  %u meetings, expected %u\n", got->len, expected->meetings->len);
	for (ii = 0; ii < MAX (got->len, expected->meetings->len); ii++) {
		g_autofree gchar *want = ii < expected->meetings->len ? format_meeting (g_ptr_array_index (expected->meetings, ii)) : NULL;
		g_autofree gchar *have = ii < got->len ? format_meeting (g_ptr_array_index (got, ii)) : NULL;

		if (g_strcmp0 (want, have) != 0)
			g_string_append_printf (problems, "  #%u expected: %s\n  #%u got:      %s\n",
				ii + 1, want ? want : "(none)", ii + 1, have ? have : "(none)");
	}

	g_object_unref (client);
	/* The meetings stay in the mock; the calendar is not needed any more. */
	hubspot_test_remove_calendar (hubspot_test_get_registry (), source);

	return g_string_free (problems, FALSE);
}

static void
test_all_files (void)
{
	g_autoptr(GPtrArray) files = read_expectations ();
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *dir = source_path ("..", "data", "ics", NULL);
	g_autoptr(GDir) listing = NULL;
	g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GError) error = NULL;
	GString *report = g_string_new (NULL);
	const gchar *name;
	guint ii, failed = 0;

	/* One block per file, no file forgotten. */
	for (ii = 0; ii < files->len; ii++)
		g_hash_table_add (listed, ((FileExpectation *) g_ptr_array_index (files, ii))->name);
	listing = g_dir_open (dir, 0, &error);
	g_assert_no_error (error);
	while ((name = g_dir_read_name (listing))) {
		if (g_str_has_suffix (name, ".ics") && !g_hash_table_contains (listed, name))
			g_error ("%s has no block in ics-expectations.txt", name);
	}
	g_assert_cmpuint (files->len, ==, 20);

	for (ii = 0; ii < files->len; ii++) {
		FileExpectation *file = g_ptr_array_index (files, ii);
		g_autofree gchar *problems = check_file (file, seen);

		g_test_message ("%s: %s", file->name, *problems ? "FAIL" : "ok");
		if (*problems) {
			failed++;
			g_string_append_printf (report, "%s:\n%s", file->name, problems);
		}
	}

	if (failed)
		g_error ("%u of %u files differ from ics-expectations.txt:\n%s", failed, files->len, report->str);
	g_string_free (report, TRUE);
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	g_test_add_func ("/ics/real-world-files", test_all_files);

	return hubspot_test_run ();
}
