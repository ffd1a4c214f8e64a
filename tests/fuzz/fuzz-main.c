/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Runs a fuzz target over files without libFuzzer: every file named on
 * the command line, or every file in a directory named there.  This is
 * how the committed corpus (and every crash found, kept there) runs as a
 * regression test in each build, sanitized or not. */

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz-target.h"

static guint n_inputs;

static gboolean
run_file (const gchar *path)
{
	g_autofree gchar *data = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;

	if (!g_file_get_contents (path, &data, &len, &error)) {
		fprintf (stderr, "%s\n", error->message);
		return FALSE;
	}

	LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
	n_inputs++;

	return TRUE;
}

static gboolean
run_path (const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = NULL;
	const gchar *name;
	guint ii;

	if (!g_file_test (path, G_FILE_TEST_IS_DIR))
		return run_file (path);

	dir = g_dir_open (path, 0, NULL);
	if (!dir)
		return FALSE;

	/* In a fixed order, so that a failure is reproducible. */
	names = g_ptr_array_new_with_free_func (g_free);
	while ((name = g_dir_read_name (dir)))
		g_ptr_array_add (names, g_build_filename (path, name, NULL));
	g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

	for (ii = 0; ii < names->len; ii++) {
		const gchar *child = *(const gchar **) &names->pdata[ii];

		if (!g_file_test (child, G_FILE_TEST_IS_DIR) && !run_file (child))
			return FALSE;
	}

	return TRUE;
}

int
main (int argc,
      char **argv)
{
	gint ii;

	if (argc < 2) {
		fprintf (stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}

	LLVMFuzzerInitialize (&argc, &argv);

	printf ("1..1\n");
	for (ii = 1; ii < argc; ii++) {
		if (!run_path (argv[ii])) {
			printf ("not ok 1 - %s\n", argv[ii]);
			return 1;
		}
	}

	/* An empty corpus proves nothing. */
	if (n_inputs == 0) {
		printf ("not ok 1 - no input found\n");
		return 1;
	}

	printf ("ok 1 - %u inputs without a crash, a leak or a failed check\n", n_inputs);

	return 0;
}
