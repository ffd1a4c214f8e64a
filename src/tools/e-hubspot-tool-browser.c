/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* $BROWSER: a ':'-separated list of commands, tried in turn.  In each,
 * "%s" stands for the address and "%%" for a '%'; a command without "%s"
 * gets the address as its last argument (xdg-open's reading). */

#include <string.h>

#include "e-hubspot-tool-browser.h"

static gchar *
expand_argument (const gchar *arg,
		 const gchar *url)
{
	GString *text = g_string_sized_new (strlen (arg) + strlen (url));
	const gchar *ptr;

	for (ptr = arg; *ptr; ptr++) {
		if (ptr[0] == '%' && ptr[1] == 's') {
			g_string_append (text, url);
			ptr++;
		} else if (ptr[0] == '%' && ptr[1] == '%') {
			g_string_append_c (text, '%');
			ptr++;
		} else {
			g_string_append_c (text, *ptr);
		}
	}

	return g_string_free (text, FALSE);
}

/**
 * e_hubspot_tool_browser_commands:
 * @browser: (nullable): the value of $BROWSER
 * @url: the address to open
 *
 * Returns: (transfer full) (element-type GStrv): the argument vectors to
 *    try, in order; empty when @browser names no command.  Entries that
 *    are not valid shell words are left out.
 */
GPtrArray *
e_hubspot_tool_browser_commands (const gchar *browser,
				 const gchar *url)
{
	GPtrArray *commands = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
	g_auto(GStrv) entries = NULL;
	guint ii;

	g_return_val_if_fail (url != NULL, commands);

	if (!browser)
		return commands;

	entries = g_strsplit (browser, ":", -1);
	for (ii = 0; entries[ii]; ii++) {
		g_auto(GStrv) argv = NULL;
		GPtrArray *expanded;
		gboolean has_placeholder = strstr (entries[ii], "%s") != NULL;
		gint argc = 0, jj;

		if (!*g_strstrip (entries[ii]))
			continue;
		if (!g_shell_parse_argv (entries[ii], &argc, &argv, NULL))
			continue;

		expanded = g_ptr_array_new ();
		for (jj = 0; jj < argc; jj++)
			g_ptr_array_add (expanded, expand_argument (argv[jj], url));
		if (!has_placeholder)
			g_ptr_array_add (expanded, g_strdup (url));
		g_ptr_array_add (expanded, NULL);

		g_ptr_array_add (commands, g_ptr_array_free (expanded, FALSE));
	}

	return commands;
}
