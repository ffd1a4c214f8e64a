/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Time-zone names: which IANA zone a TZID means.  iCalendar TZIDs are
 * free-form; in the wild they are IANA names (possibly with a vendor
 * prefix such as "/freeassociation.sourceforge.net/"), Windows/Outlook
 * names ("W. Europe Standard Time"), or anything at all with a VTIMEZONE
 * beside it.  Pure functions over libical's builtin (system) zones;
 * their answers are remembered (docs/design.md, "Mapping an event to a
 * meeting"). */

#ifndef E_HUBSPOT_TZ_H
#define E_HUBSPOT_TZ_H

#include <glib.h>

/* libical-glib wants this acknowledged; EDS's own headers do the same. */
#ifndef LIBICAL_GLIB_UNSTABLE_API
#define LIBICAL_GLIB_UNSTABLE_API 1
#endif
#include <libical-glib/libical-glib.h>

G_BEGIN_DECLS

/* The current IANA name of @name: "UTC" for every UTC alias, the name an
 * old or alias name links to in tzdata ("US/Eastern" -> "America/New_York",
 * "Asia/Calcutta" -> "Asia/Kolkata"; Debian 13 and Ubuntu since 23.10 have
 * those only with tzdata-legacy), else @name itself.  Every name below
 * goes through it.  An interned string, or NULL for NULL or "". */
const gchar *	e_hubspot_tz_canonical_name	(const gchar *name);

/* The IANA name of an IANA-style TZID: builtin zones by name or by
 * builtin TZID, then EDS's fuzzy matching (vendor prefixes, suffixes
 * such as "-(Standard)" or " 1"), old names by their current ones.
 * Every UTC alias becomes "UTC".
 * Returns an interned string, or NULL. */
const gchar *	e_hubspot_tz_match_location	(const gchar *name);

/* The IANA name for a Windows time-zone name (CLDR windowsZones,
 * territory 001), case-insensitive; an interned string or NULL. */
const gchar *	e_hubspot_tz_windows_to_iana	(const gchar *windows_name);

/* e_hubspot_tz_match_location(), then e_hubspot_tz_windows_to_iana(). */
const gchar *	e_hubspot_tz_match_name		(const gchar *name);

/* The builtin zone for an IANA name as returned above ("UTC" included);
 * borrowed, or NULL. */
ICalTimezone *	e_hubspot_tz_get_builtin_zone	(const gchar *iana_name);

/* A well-known IANA zone with the same UTC offsets as @zone through
 * @year (probed month by month, then only in January and July), for
 * custom VTIMEZONEs that carry no usable name; an interned string or NULL. */
const gchar *	e_hubspot_tz_guess_location	(ICalTimezone *zone,
						 gint year);

/* The tables, for tests: Windows names, the zones tried first when
 * guessing, and old names with their current ones. */
guint		e_hubspot_tz_get_n_windows_zones
						(void);
void		e_hubspot_tz_get_windows_zone	(guint index,
						 const gchar **out_windows_name,
						 const gchar **out_iana_name);
guint		e_hubspot_tz_get_n_preferred_zones
						(void);
const gchar *	e_hubspot_tz_get_preferred_zone	(guint index);
guint		e_hubspot_tz_get_n_aliases	(void);
void		e_hubspot_tz_get_alias		(guint index,
						 const gchar **out_alias,
						 const gchar **out_name);

G_END_DECLS

#endif /* E_HUBSPOT_TZ_H */
