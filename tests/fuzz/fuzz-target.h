/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What every fuzz target defines: libFuzzer's entry points.  A target
 * aborts (g_error) when a check of its own fails: that is a finding, as
 * a crash is. */

#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <glib.h>

int	LLVMFuzzerInitialize	(int *argc,
				 char ***argv);
int	LLVMFuzzerTestOneInput	(const uint8_t *data,
				 size_t size);

/* A warning, a critical or a failed check of the target aborts, so that
 * libFuzzer keeps the input (GLib's own way out is a breakpoint trap,
 * which it does not catch). */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags log_level,
		 const GLogField *fields,
		 gsize n_fields,
		 gpointer user_data)
{
	const gchar *domain = NULL;
	gsize ii;

	for (ii = 0; ii < n_fields; ii++) {
		if (g_strcmp0 (fields[ii].key, "GLIB_DOMAIN") == 0 && fields[ii].length < 0)
			domain = fields[ii].value;
	}

	/* GLib 2.74's key file reader warns about its own double-set GError
	 * on some values ending in a backslash (found by the source-settings
	 * target): GLib's warnings are shown, not counted as ours. */
	if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "GLib") == 0) {
		g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
		return G_LOG_WRITER_HANDLED;
	}

	if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
		g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
		abort ();
	}

	return G_LOG_WRITER_HANDLED;
}

/* What every target's LLVMFuzzerInitialize does first: times read in
 * UTC whatever the machine says, and logging as above. */
static inline void
fuzz_init (void)
{
	g_setenv ("TZ", "UTC", TRUE);
	g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* Inputs above this are skipped: the targets look for bugs in the
 * parsers, not for the time it takes to read megabytes (the bounds on
 * what HubSpot may send are tested in the integration tests). */
#define FUZZ_MAX_INPUT (256 * 1024)

/* The input as a NUL-terminated text, or NULL when it is too large. */
static inline gchar *
fuzz_dup_text (const uint8_t *data,
	       size_t size)
{
	return size > FUZZ_MAX_INPUT ? NULL : g_strndup ((const gchar *) data, size);
}

#endif /* FUZZ_TARGET_H */
