/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The floor: a bare libsoup loop that POSTs ready-made meeting bodies to
 * the mock with a fixed number in flight, and nothing else (no mapping,
 * no JSON parsing, no calendar).  At high concurrency it also shows the
 * mock's own ceiling on this machine.
 *
 *   bench-bare --url URL --bodies FILE --concurrency C [--count N] --out FILE
 *
 * --count sends N requests, going round the bodies as often as needed. */

#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>

#include "common/e-hubspot-paths.h"
#include "bench-common.h"

typedef struct {
	SoupSession *session;
	GPtrArray *bodies;	/* GBytes */
	gchar *uri;
	guint count;		/* requests to send */
	guint next;
	guint done;
	guint errors;
	guint in_flight;
	GMainLoop *loop;
} Bare;

static void send_next (Bare *bare);

static void
send_done_cb (GObject *source_object,
	      GAsyncResult *result,
	      gpointer user_data)
{
	Bare *bare = user_data;
	SoupMessage *msg = soup_session_get_async_result_message (bare->session, result);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;

	bytes = soup_session_send_and_read_finish (bare->session, result, &error);
	if (!bytes || soup_message_get_status (msg) != SOUP_STATUS_OK) {
		if (bare->errors++ < 3)
			g_printerr ("bench-bare: %s\n", error ? error->message : soup_message_get_reason_phrase (msg));
	}
	g_object_unref (msg);

	bare->in_flight--;
	bare->done++;
	send_next (bare);
	if (bare->done == bare->count)
		g_main_loop_quit (bare->loop);
}

static void
send_next (Bare *bare)
{
	SoupMessage *msg;

	if (bare->next >= bare->count)
		return;

	msg = soup_message_new (SOUP_METHOD_POST, bare->uri);
	soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", "Bearer " BENCH_TOKEN);
	soup_message_set_request_body_from_bytes (msg, "application/json", g_ptr_array_index (bare->bodies, bare->next % bare->bodies->len));
	bare->next++;
	bare->in_flight++;
	soup_session_send_and_read_async (bare->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, bare);
}

gint
main (gint argc,
      gchar **argv)
{
	g_autofree gchar *url = NULL, *bodies_path = NULL, *out = NULL, *contents = NULL;
	gint concurrency = 8, count = 0;
	GOptionEntry entries[] = {
		{ "url", 0, 0, G_OPTION_ARG_STRING, &url, "The mock's URL", "URL" },
		{ "bodies", 0, 0, G_OPTION_ARG_FILENAME, &bodies_path, "Request bodies, one JSON per line", "FILE" },
		{ "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "Requests in flight (default 8)", "C" },
		{ "count", 0, 0, G_OPTION_ARG_INT, &count, "Requests to send (default: one per body)", "N" },
		{ "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write the figures (JSON) there", "FILE" },
		{ NULL }
	};
	g_autoptr(GOptionContext) options = g_option_context_new (NULL);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = NULL;
	JsonObject *result;
	Bare bare = { 0, };
	gdouble started, elapsed;
	guint ii;

	g_option_context_add_main_entries (options, entries, NULL);
	if (!g_option_context_parse (options, &argc, &argv, &error) || !url || !bodies_path || !out || concurrency < 1) {
		g_printerr ("bench-bare: %s\n", error ? error->message : "--url, --bodies and --out are required");
		return 2;
	}

	if (!g_file_get_contents (bodies_path, &contents, NULL, &error)) {
		g_printerr ("bench-bare: %s\n", error->message);
		return 1;
	}

	bare.bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
	lines = g_strsplit (contents, "\n", -1);
	for (ii = 0; lines[ii]; ii++) {
		if (*lines[ii])
			g_ptr_array_add (bare.bodies, g_bytes_new (lines[ii], strlen (lines[ii])));
	}
	if (!bare.bodies->len) {
		g_printerr ("bench-bare: no bodies in %s\n", bodies_path);
		return 1;
	}

	bare.count = count > 0 ? (guint) count : bare.bodies->len;
	bare.uri = g_strconcat (url, E_HUBSPOT_MEETINGS_CALENDAR_PATH, "?organizerUserId=", BENCH_USER_ID, NULL);
	bare.session = soup_session_new_with_options ("max-conns-per-host", concurrency,
		"max-conns", concurrency, "timeout", 60, NULL);
	bare.loop = g_main_loop_new (NULL, FALSE);

	started = bench_now ();
	for (ii = 0; ii < (guint) concurrency && ii < bare.count; ii++)
		send_next (&bare);
	g_main_loop_run (bare.loop);
	elapsed = bench_now () - started;

	printf ("bare libsoup loop, %d in flight: %u requests in %.3f s (%.0f/s), %u errors\n",
		concurrency, bare.count, elapsed, bare.count / elapsed, bare.errors);

	result = bench_result_new ("bare");
	json_object_set_int_member (result, "count", bare.count);
	json_object_set_int_member (result, "concurrency", concurrency);
	json_object_set_double_member (result, "seconds", elapsed);
	json_object_set_int_member (result, "errors", bare.errors);

	g_main_loop_unref (bare.loop);
	g_object_unref (bare.session);
	g_ptr_array_unref (bare.bodies);
	g_free (bare.uri);

	return bench_result_write (result, out) ? 0 : 1;
}
