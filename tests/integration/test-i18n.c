/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot speaks French: the tool, run as a French-speaking
 * person would, inside the private session (tests/hubspot-sandbox), with
 * the catalogue the build made from po/fr.po.
 *
 * Where the catalogue comes from: the tool binds its domain to
 * $HUBSPOT_LOCALEDIR when set (tests only), else to LOCALEDIR, the
 * installed prefix/share/locale.  The meson test environment sets
 * HUBSPOT_LOCALEDIR=<builddir>/po, where i18n.gettext() writes
 * fr/LC_MESSAGES/evolution-hubspot.mo.  That .mo is a default target:
 * plain `ninja -C <builddir>` builds it, `meson test` alone rebuilds only
 * the tests' own dependencies, which do not include it.
 *
 * The language: a real French locale, LANG=fr_FR.UTF-8, as a French-speaking
 * user has it.  The test makes its own with localedef (from the locales
 * package's definitions, /usr/share/i18n) in a temporary directory and
 * points LOCPATH there, so it needs no locale generated on the machine and
 * depends on no glibc's handling of LANGUAGE under C.UTF-8 (glibc 2.36, in
 * Debian 12, gave French for LANG=C.UTF-8 LANGUAGE=fr; glibc 2.41, in
 * Debian 13, gives English).  Without the definitions the French cases
 * are skipped, saying how to get them.  LC_ALL, LC_MESSAGES and LANGUAGE
 * are unset for the tool: LANG alone chooses.  /i18n/fr-locale also runs
 * the tool in the system's own fr_FR.UTF-8 when the machine has one. */

#include <locale.h>
#include <string.h>

#include "hubspot-test-fixture.h"

/* French typography in the catalogue: a non-breaking space before ":" and
 * inside « », a narrow one before ";", "?" and "!".  Kept as separate
 * literals so that no hex escape swallows the next character. */
#define NBSP "\xc2\xa0"
#define LQ "\xc2\xab" NBSP	/* « */
#define RQ NBSP "\xc2\xbb"	/* » */

/* The private locale directory (LOCPATH), or NULL when it could not be
 * made; and why not. */
static gchar *locpath;
static gchar *locpath_missing;

static void
rm_rf (const gchar *dir)
{
	const gchar *argv[] = { "rm", "-rf", dir, NULL };

	g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static gint
run_tool (const gchar *lang,
	  gchar **out_stdout,
	  gchar **out_stderr,
	  ...)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new ();
	g_autoptr(GSubprocess) process = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *arg;
	va_list ap;

	g_ptr_array_add (argv, (gpointer) g_getenv ("HUBSPOT_TOOL"));
	va_start (ap, out_stderr);
	while ((arg = va_arg (ap, const gchar *)))
		g_ptr_array_add (argv, (gpointer) arg);
	va_end (ap);
	g_ptr_array_add (argv, NULL);

	launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_unsetenv (launcher, "LC_ALL");
	g_subprocess_launcher_unsetenv (launcher, "LC_MESSAGES");
	g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
	g_subprocess_launcher_setenv (launcher, "LANG", lang, TRUE);
	if (locpath && g_strcmp0 (lang, "C") != 0)
		g_subprocess_launcher_setenv (launcher, "LOCPATH", locpath, TRUE);
	else
		g_subprocess_launcher_unsetenv (launcher, "LOCPATH");

	process = g_subprocess_launcher_spawnv (launcher, (const gchar * const *) argv->pdata, &error);
	g_assert_no_error (error);
	/* Empty standard input: "add" must not get as far as reading a token. */
	g_subprocess_communicate_utf8 (process, "", NULL, out_stdout, out_stderr, &error);
	g_assert_no_error (error);
	g_test_message ("LANG=%s evolution-hubspot %s: exit %d\n%s%s", lang,
		(gchar *) argv->pdata[1], g_subprocess_get_exit_status (process), *out_stdout, *out_stderr);

	return g_subprocess_get_exit_status (process);
}

static void
check_help (const gchar *lang)
{
	g_autofree gchar *out = NULL, *err = NULL;

	g_assert_cmpint (run_tool (lang, &out, &err, "--help", NULL), ==, 0);
	g_assert_cmpstr (out, ==,
		"Utilisation" NBSP ": evolution-hubspot COMMANDE [OPTION…]\n"
		"\n"
		"Commandes" NBSP ":\n"
		"  add      Ajouter un agenda HubSpot\n"
		"  list     Lister les agendas HubSpot\n"
		"  status   Afficher ce qui est en attente, envoyé ou en échec, et si l’envoi est en pause\n"
		"  push     Copier les évènements d’un agenda ou d’un fichier .ics dans un agenda HubSpot\n"
		"  remove   Supprimer un agenda HubSpot et sa connexion ou sa clé\n"
		"\n"
		"Lancez " LQ "evolution-hubspot COMMANDE --help" RQ " pour voir les options d’une commande.\n");
}

static void
check_add_without_email (const gchar *lang)
{
	g_autofree gchar *out = NULL, *err = NULL;

	/* A usage error, found before any token is read or HubSpot asked. */
	g_assert_cmpint (run_tool (lang, &out, &err, "add", "--name", "X", NULL), ==, 2);
	g_assert_cmpstr (err, ==, "Indiquez --email, ou bien à la fois --owner-id et --user-id.\n");
	g_assert_cmpstr (out, ==, "");
}

static void
check_status_without_calendar (const gchar *lang)
{
	g_autofree gchar *out = NULL, *err = NULL;

	/* The private session has no HubSpot calendar. */
	g_assert_cmpint (run_tool (lang, &out, &err, "status", NULL), ==, 0);
	g_assert_cmpstr (out, ==, "Aucun agenda HubSpot. Ajoutez-en un avec " LQ "evolution-hubspot add" RQ ".\n");
}

/* The French checks in the private fr_FR.UTF-8; FALSE (skipped) when the
 * test could not make it. */
static gboolean
have_private_locale (void)
{
	if (locpath)
		return TRUE;

	g_test_skip (locpath_missing);
	return FALSE;
}

static void
test_help (void)
{
	if (have_private_locale ())
		check_help ("fr_FR.UTF-8");
}

static void
test_add_without_email (void)
{
	if (have_private_locale ())
		check_add_without_email ("fr_FR.UTF-8");
}

static void
test_status_without_calendar (void)
{
	if (have_private_locale ())
		check_status_without_calendar ("fr_FR.UTF-8");
}

/* The control: in the "C" locale the tool speaks English, so the French
 * above comes from the locale and the catalogue, not from some other
 * setting of this machine. */
static void
test_c_locale_stays_english (void)
{
	g_autofree gchar *out = NULL, *err = NULL;

	g_assert_cmpint (run_tool ("C", &out, &err, "status", NULL), ==, 0);
	g_assert_cmpstr (out, ==, "No HubSpot calendar. Add one with “evolution-hubspot add”.\n");
}

/* The system's own fr_FR.UTF-8, where the machine has one (locale-gen). */
static void
test_fr_locale (void)
{
	const gchar *saved = setlocale (LC_MESSAGES, NULL);
	g_autofree gchar *previous = g_strdup (saved);
	g_autofree gchar *private_locpath = g_steal_pointer (&locpath);
	gboolean available = setlocale (LC_MESSAGES, "fr_FR.UTF-8") != NULL;

	setlocale (LC_MESSAGES, previous);
	if (available) {
		check_help ("fr_FR.UTF-8");
		check_add_without_email ("fr_FR.UTF-8");
		check_status_without_calendar ("fr_FR.UTF-8");
	} else {
		g_test_skip ("the system has no fr_FR.UTF-8 locale (the private one is tested above)");
	}
	locpath = g_steal_pointer (&private_locpath);
}

/* Makes fr_FR.UTF-8 in a temporary directory, for LOCPATH. */
static void
make_private_locale (void)
{
	const gchar *argv[] = { "localedef", "-i", "fr_FR", "-f", "UTF-8", NULL, NULL };
	g_autoptr(GError) error = NULL;
	g_autofree gchar *output = NULL, *ctype = NULL, *dir = NULL;
	g_autofree gchar *out = NULL, *err = NULL;
	gint status = -1;

	if (!g_file_test ("/usr/share/i18n/locales/fr_FR", G_FILE_TEST_EXISTS)) {
		locpath_missing = g_strdup ("no definition of fr_FR in /usr/share/i18n/locales to make "
			"fr_FR.UTF-8 from: install the locales package (apt-get install locales)");
		return;
	}

	dir = g_dir_make_tmp ("hubspot-i18n-XXXXXX", &error);
	g_assert_no_error (error);
	output = g_build_filename (dir, "fr_FR.UTF-8", NULL);
	argv[5] = output;
	/* localedef exits 1 for mere warnings: the files it wrote decide. */
	g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
		&out, &err, &status, &error);
	ctype = g_build_filename (output, "LC_CTYPE", NULL);
	if (error || !g_file_test (ctype, G_FILE_TEST_IS_REGULAR)) {
		locpath_missing = g_strdup_printf ("localedef -i fr_FR -f UTF-8 failed (%s%s): install the "
			"locales package, or generate fr_FR.UTF-8 (dpkg-reconfigure locales)",
			error ? error->message : "", err ? err : "");
		rm_rf (dir);
		return;
	}

	locpath = g_steal_pointer (&dir);
}

gint
main (gint argc,
      gchar **argv)
{
	const gchar *localedir = g_getenv ("HUBSPOT_LOCALEDIR");
	g_autofree gchar *mo = NULL;
	gint status;

	/* So that g_test_message() logs the French output in UTF-8. */
	setlocale (LC_ALL, "");
	g_test_init (&argc, &argv, NULL);

	if (!localedir || !g_getenv ("HUBSPOT_TOOL")) {
		g_printerr ("HUBSPOT_LOCALEDIR and HUBSPOT_TOOL must be set (meson test does)\n");
		return 1;
	}

	mo = g_build_filename (localedir, "fr", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
	if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR)) {
		g_printerr ("%s is missing: build the catalogues with “ninja -C <builddir>”\n", mo);
		return 1;
	}

	make_private_locale ();

	g_test_add_func ("/i18n/help", test_help);
	g_test_add_func ("/i18n/add-without-email", test_add_without_email);
	g_test_add_func ("/i18n/status-without-calendar", test_status_without_calendar);
	g_test_add_func ("/i18n/c-locale-stays-english", test_c_locale_stays_english);
	g_test_add_func ("/i18n/fr-locale", test_fr_locale);

	status = g_test_run ();

	if (locpath)
		rm_rf (locpath);
	g_free (locpath);
	g_free (locpath_missing);

	return status;
}
