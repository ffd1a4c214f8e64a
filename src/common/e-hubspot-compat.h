/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The releases we build on, and how they differ: the one place for it.
 * meson.build force-includes this header (-include) before any other, in
 * every file of the project.
 *
 * Tested: Debian 12 (EDS 3.46, GLib 2.74, libsoup 3.2, json-glib 1.6) and
 * Debian 13 (EDS 3.56, GLib 2.84, libsoup 3.6, json-glib 1.10); .ci/run
 * builds and tests on both.
 *
 * - The oldest versions are the floor: code that calls an API newer than
 *   Debian 12's gets a warning on Debian 13 too (MAX_ALLOWED), instead of
 *   building there and breaking on Debian 12.
 * - EDS 3.46's headers still use GTimeVal, deprecated in GLib 2.62: with
 *   MIN_REQUIRED at 2.58 its use in those headers does not warn.  Our
 *   own code uses no deprecated API: the build has
 *   -Wdeprecated-declarations on, and no warning on either release.
 * - EDS 3.46 to 3.56: no API this project calls changed or became
 *   deprecated (checked with EDS 3.56.2).  When one does, the switch goes
 *   here, as a macro or a static inline function over EDS_CHECK_VERSION()
 *   (libedataserver/eds-version.h), documented with both versions.
 * - What differs outside the APIs, and where it is handled: Debian 13
 *   installs old time-zone names ("US/Eastern", "Asia/Calcutta") only with
 *   tzdata-legacy (e-hubspot-tz.c maps them to current names);
 *   glibc 2.41 ignores LANGUAGE under LANG=C.UTF-8 (the i18n test makes
 *   a real fr_FR.UTF-8); AppStream 1.0 wants <developer id=...> and a
 *   homepage (the metainfo file in data/, valid for AppStream 0.16 and 1.0). */

#ifndef E_HUBSPOT_COMPAT_H
#define E_HUBSPOT_COMPAT_H

#define GLIB_VERSION_MIN_REQUIRED	GLIB_VERSION_2_58
#define GLIB_VERSION_MAX_ALLOWED	GLIB_VERSION_2_74

#define SOUP_VERSION_MIN_REQUIRED	SOUP_VERSION_3_0
#define SOUP_VERSION_MAX_ALLOWED	SOUP_VERSION_3_2

#define JSON_VERSION_MIN_REQUIRED	JSON_VERSION_1_6
#define JSON_VERSION_MAX_ALLOWED	JSON_VERSION_1_6

#endif /* E_HUBSPOT_COMPAT_H */
