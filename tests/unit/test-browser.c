/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* $BROWSER read as xdg-open and Python's webbrowser read it. */

#include "tools/e-hubspot-tool-browser.h"

#define URL "https://app.hubspot.com/oauth/authorize?client_id=abc&state=x%2By"

static void
assert_argv (GPtrArray *commands,
	     guint index,
	     const gchar * const *expected)
{
	gchar **argv;

	g_assert_cmpuint (index, <, commands->len);
	argv = g_ptr_array_index (commands, index);
	g_assert_cmpstrv (argv, expected);
}

static void
test_unset (void)
{
	g_autoptr(GPtrArray) commands = e_hubspot_tool_browser_commands (NULL, URL);

	g_assert_cmpuint (commands->len, ==, 0);
	g_clear_pointer (&commands, g_ptr_array_unref);

	commands = e_hubspot_tool_browser_commands ("", URL);
	g_assert_cmpuint (commands->len, ==, 0);
	g_clear_pointer (&commands, g_ptr_array_unref);

	commands = e_hubspot_tool_browser_commands (" : :", URL);
	g_assert_cmpuint (commands->len, ==, 0);
}

static void
test_url_appended (void)
{
	g_autoptr(GPtrArray) commands = e_hubspot_tool_browser_commands ("firefox", URL);
	const gchar *expected[] = { "firefox", URL, NULL };

	g_assert_cmpuint (commands->len, ==, 1);
	assert_argv (commands, 0, expected);
}

static void
test_placeholder (void)
{
	g_autoptr(GPtrArray) commands = e_hubspot_tool_browser_commands ("w3m -o 'a b' %s --x=100%%", URL);
	const gchar *expected[] = { "w3m", "-o", "a b", URL, "--x=100%", NULL };

	g_assert_cmpuint (commands->len, ==, 1);
	assert_argv (commands, 0, expected);
	g_clear_pointer (&commands, g_ptr_array_unref);

	/* Inside a word, and twice. */
	commands = e_hubspot_tool_browser_commands ("open --url=%s --again=%s", URL);
	{
		const gchar *twice[] = { "open", "--url=" URL, "--again=" URL, NULL };

		assert_argv (commands, 0, twice);
	}
}

static void
test_list (void)
{
	g_autoptr(GPtrArray) commands = e_hubspot_tool_browser_commands ("/nonexistent/browser:lynx %s::sensible-browser", URL);
	const gchar *first[] = { "/nonexistent/browser", URL, NULL };
	const gchar *second[] = { "lynx", URL, NULL };
	const gchar *third[] = { "sensible-browser", URL, NULL };

	g_assert_cmpuint (commands->len, ==, 3);
	assert_argv (commands, 0, first);
	assert_argv (commands, 1, second);
	assert_argv (commands, 2, third);
}

static void
test_bad_entry_skipped (void)
{
	/* An unterminated quote is no command; the next one still is. */
	g_autoptr(GPtrArray) commands = e_hubspot_tool_browser_commands ("broken 'quote:xdg-open", URL);
	const gchar *expected[] = { "xdg-open", URL, NULL };

	g_assert_cmpuint (commands->len, ==, 1);
	assert_argv (commands, 0, expected);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/browser/unset", test_unset);
	g_test_add_func ("/browser/url-appended", test_url_appended);
	g_test_add_func ("/browser/placeholder", test_placeholder);
	g_test_add_func ("/browser/list", test_list);
	g_test_add_func ("/browser/bad-entry-skipped", test_bad_entry_skipped);

	return g_test_run ();
}
