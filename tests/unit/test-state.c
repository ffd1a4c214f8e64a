/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the cache keeps of each event's way to HubSpot
 * (src/calendar/e-cal-backend-hubspot-state.c), on a real ECalCache in a
 * temporary directory: row extras and tombstones. */

#include <glib/gstdio.h>

#include "calendar/e-cal-backend-hubspot-state.h"

typedef struct {
	gchar *dir;
	ECalCache *cache;
} Fixture;

static void
fixture_setup (Fixture *fixture,
	       gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;

	fixture->dir = g_dir_make_tmp ("hubspot-state-XXXXXX", &error);
	g_assert_no_error (error);
	path = g_build_filename (fixture->dir, "cache.db", NULL);
	fixture->cache = e_cal_cache_new (path, NULL, &error);
	g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fixture,
		  gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename (fixture->dir, "cache.db", NULL);

	g_clear_object (&fixture->cache);
	g_unlink (path);
	g_rmdir (fixture->dir);
	g_free (fixture->dir);
}

static void
collect_cb (const gchar *uid,
	    const gchar *meeting_id,
	    JsonNode *request,
	    gpointer user_data)
{
	GString *seen = user_data;
	g_autofree gchar *request_text = request ? json_to_string (request, FALSE) : NULL;

	g_string_append_printf (seen, "%s=%s:%s;", uid, meeting_id ? meeting_id : "-",
		request_text ? request_text : "-");
}

static gchar *
list_tombstones (ECalCache *cache)
{
	GString *seen = g_string_new ("");

	e_hubspot_tombstone_foreach (cache, collect_cb, seen);

	return g_string_free (seen, FALSE);
}

static void
test_tombstones (Fixture *fixture,
		 gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) request = json_from_string ("{\"properties\":{\"hs_meeting_title\":\"It's\"}}", NULL);
	g_autofree gchar *listed = NULL;

	g_assert_false (e_hubspot_tombstone_exists (fixture->cache, "a@test"));
	g_assert_true (e_hubspot_tombstone_put (fixture->cache, "a@test", "101", NULL, &error));
	g_assert_no_error (error);
	g_assert_true (e_hubspot_tombstone_put (fixture->cache, "b'quote@test", NULL, request, &error));
	g_assert_no_error (error);
	g_assert_true (e_hubspot_tombstone_exists (fixture->cache, "a@test"));
	g_assert_true (e_hubspot_tombstone_exists (fixture->cache, "b'quote@test"));

	listed = list_tombstones (fixture->cache);
	g_assert_cmpstr (listed, ==,
		"a@test=101:-;b'quote@test=-:{\"properties\":{\"hs_meeting_title\":\"It's\"}};");

	/* A second put replaces: the meeting id learnt later. */
	g_assert_true (e_hubspot_tombstone_put (fixture->cache, "b'quote@test", "102", request, &error));
	g_assert_true (e_hubspot_tombstone_drop (fixture->cache, "a@test", &error));
	g_assert_no_error (error);
	g_assert_false (e_hubspot_tombstone_exists (fixture->cache, "a@test"));
	g_clear_pointer (&listed, g_free);
	listed = list_tombstones (fixture->cache);
	g_assert_cmpstr (listed, ==, "b'quote@test=102:{\"properties\":{\"hs_meeting_title\":\"It's\"}};");

	/* Dropping what is not there is no error. */
	g_assert_true (e_hubspot_tombstone_drop (fixture->cache, "never@test", &error));
	g_assert_no_error (error);
}

/* A thousand removed events: a row each, every one kept and dropped. */
static void
test_tombstones_many (Fixture *fixture,
		      gconstpointer user_data)
{
	g_autofree gchar *listed = NULL;
	guint ii;

	for (ii = 0; ii < 1000; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("e%04u@test", ii);
		g_autofree gchar *id = g_strdup_printf ("%u", 5000 + ii);

		g_assert_true (e_hubspot_tombstone_put (fixture->cache, uid, id, NULL, NULL));
	}
	listed = list_tombstones (fixture->cache);
	g_assert_true (g_str_has_prefix (listed, "e0000@test=5000:-;e0001@test=5001:-;"));
	g_assert_true (g_str_has_suffix (listed, "e0999@test=5999:-;"));

	for (ii = 0; ii < 1000; ii += 2) {
		g_autofree gchar *uid = g_strdup_printf ("e%04u@test", ii);

		g_assert_true (e_hubspot_tombstone_drop (fixture->cache, uid, NULL));
	}
	g_assert_false (e_hubspot_tombstone_exists (fixture->cache, "e0998@test"));
	g_assert_true (e_hubspot_tombstone_exists (fixture->cache, "e0999@test"));
}

/* Tombstones written by 0.1 (one JSON object in the key table) move to
 * rows the first time, and the old key goes. */
static void
test_tombstones_migrate (Fixture *fixture,
			 gconstpointer user_data)
{
	g_autofree gchar *listed = NULL;
	g_autofree gchar *left = NULL;

	g_assert_true (e_cache_set_key (E_CACHE (fixture->cache), "hubspot-removed",
		"{\"old1@test\":{\"id\":\"77\"},\"old2@test\":{\"id\":null,\"request\":{\"properties\":{}}}}", NULL));

	listed = list_tombstones (fixture->cache);
	g_assert_cmpstr (listed, ==, "old1@test=77:-;old2@test=-:{\"properties\":{}};");
	left = e_cache_dup_key (E_CACHE (fixture->cache), "hubspot-removed", NULL);
	g_assert_true (!left || !*left);
}

static void
test_extra (void)
{
	g_autofree gchar *synced = e_hubspot_row_extra_new (E_HUBSPOT_ROW_SYNCED, "42");
	g_autofree gchar *pending = e_hubspot_row_extra_new (E_HUBSPOT_ROW_PENDING, "42");
	g_autofree gchar *id = NULL;

	g_assert_cmpstr (synced, ==, "synced:42");
	g_assert_cmpstr (pending, ==, "pending");
	g_assert_cmpint (e_hubspot_row_extra_parse ("dirty:7", &id), ==, E_HUBSPOT_ROW_DIRTY);
	g_assert_cmpstr (id, ==, "7");
	g_assert_cmpint (e_hubspot_row_extra_parse (NULL, NULL), ==, E_HUBSPOT_ROW_NEW);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add ("/state/tombstones", Fixture, NULL, fixture_setup, test_tombstones, fixture_teardown);
	g_test_add ("/state/tombstones/many", Fixture, NULL, fixture_setup, test_tombstones_many, fixture_teardown);
	g_test_add ("/state/tombstones/migrate", Fixture, NULL, fixture_setup, test_tombstones_migrate, fixture_teardown);
	g_test_add_func ("/state/extra", test_extra);

	return g_test_run ();
}
