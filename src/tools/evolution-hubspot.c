/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot: set up HubSpot calendars and see their state. */

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "common/e-source-hubspot.h"
#include "e-hubspot-tool.h"

typedef struct {
	const gchar *name;
	gint (* run) (gint argc, gchar **argv);
	const gchar *summary;
} Command;

static const Command commands[] = {
	{ "add", e_hubspot_tool_add, N_("Add a HubSpot calendar") },
	{ "list", e_hubspot_tool_list, N_("List the HubSpot calendars") },
	{ "status", e_hubspot_tool_status, N_("Show what is pending, sent and failed, and whether sending is paused") },
	{ "push", e_hubspot_tool_push, N_("Copy the events of a calendar or an .ics file into a HubSpot calendar") },
	{ "remove", e_hubspot_tool_remove, N_("Remove a HubSpot calendar and its sign-in or key") }
};

static void
print_usage (FILE *out)
{
	guint ii;

	fprintf (out, "%s\n", _("Usage: evolution-hubspot COMMAND [OPTION…]"));
	fprintf (out, "\n%s\n", _("Commands:"));
	for (ii = 0; ii < G_N_ELEMENTS (commands); ii++)
		fprintf (out, "  %-8s %s\n", commands[ii].name, _(commands[ii].summary));
	fprintf (out, "\n%s\n", _("Run “evolution-hubspot COMMAND --help” for a command’s options."));
}

gint
main (gint argc,
      gchar **argv)
{
	guint ii;

	setlocale (LC_ALL, "");
	/* For the tests only: HUBSPOT_LOCALEDIR points at the catalogues the
	 * build made (<builddir>/po/fr/LC_MESSAGES/...), so that the tool
	 * speaks French without being installed (tests/integration/test-i18n.c). */
	bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HUBSPOT_LOCALEDIR") ? g_getenv ("HUBSPOT_LOCALEDIR") : LOCALEDIR);
	bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
	textdomain (GETTEXT_PACKAGE);

	e_source_hubspot_type_register ();

	if (argc < 2) {
		print_usage (stderr);
		return E_HUBSPOT_TOOL_EXIT_USAGE;
	}

	if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help")) {
		print_usage (stdout);
		return E_HUBSPOT_TOOL_EXIT_OK;
	}

	if (g_str_equal (argv[1], "--version")) {
		printf ("evolution-hubspot %s\n", PACKAGE_VERSION);
		return E_HUBSPOT_TOOL_EXIT_OK;
	}

	for (ii = 0; ii < G_N_ELEMENTS (commands); ii++) {
		if (g_str_equal (argv[1], commands[ii].name))
			return commands[ii].run (argc - 1, argv + 1);
	}

	g_printerr (_("Unknown command “%s”.\n"), argv[1]);
	print_usage (stderr);

	return E_HUBSPOT_TOOL_EXIT_USAGE;
}
