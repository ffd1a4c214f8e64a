/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>
#include <string.h>

#define LIBICAL_GLIB_UNSTABLE_API 1
#include <libecal/libecal.h>

#include "e-hubspot-tz.h"
#include "e-hubspot-tz-aliases.h"

typedef struct {
	const gchar *windows_name;
	const gchar *iana_name;
	const gchar *display_cities;	/* Windows' display name without its "(UTC+hh:mm) " */
} EHubSpotWindowsZone;

/* Unicode CLDR, common/supplemental/windowsZones.xml: the territory
 * "001" (default) row of every Windows zone, in the file's order (by UTC
 * offset), with the display name from the comment above each group.
 * CLDR keeps its own stable ids, some of them old tzdata names
 * ("Asia/Calcutta", "America/Indianapolis"): here they are the current
 * IANA names those link to, which a tzdata without tzdata-legacy has
 * (test-mapping's /tz/canonical checks every row against the system).
 * After preferred_zones[], e_hubspot_tz_guess_location() prefers earlier rows. */
static const EHubSpotWindowsZone windows_zones[] = {
	{ "Dateline Standard Time", "Etc/GMT+12", "International Date Line West" },
	{ "UTC-11", "Etc/GMT+11", "Coordinated Universal Time-11" },
	{ "Aleutian Standard Time", "America/Adak", "Aleutian Islands" },
	{ "Hawaiian Standard Time", "Pacific/Honolulu", "Hawaii" },
	{ "Marquesas Standard Time", "Pacific/Marquesas", "Marquesas Islands" },
	{ "Alaskan Standard Time", "America/Anchorage", "Alaska" },
	{ "UTC-09", "Etc/GMT+9", "Coordinated Universal Time-09" },
	{ "Pacific Standard Time (Mexico)", "America/Tijuana", "Baja California" },
	{ "UTC-08", "Etc/GMT+8", "Coordinated Universal Time-08" },
	{ "Pacific Standard Time", "America/Los_Angeles", "Pacific Time (US & Canada)" },
	{ "US Mountain Standard Time", "America/Phoenix", "Arizona" },
	{ "Mountain Standard Time (Mexico)", "America/Mazatlan", "Chihuahua, La Paz, Mazatlan" },
	{ "Mountain Standard Time", "America/Denver", "Mountain Time (US & Canada)" },
	{ "Yukon Standard Time", "America/Whitehorse", "Yukon" },
	{ "Central America Standard Time", "America/Guatemala", "Central America" },
	{ "Central Standard Time", "America/Chicago", "Central Time (US & Canada)" },
	{ "Easter Island Standard Time", "Pacific/Easter", "Easter Island" },
	{ "Central Standard Time (Mexico)", "America/Mexico_City", "Guadalajara, Mexico City, Monterrey" },
	{ "Canada Central Standard Time", "America/Regina", "Saskatchewan" },
	{ "SA Pacific Standard Time", "America/Bogota", "Bogota, Lima, Quito, Rio Branco" },
	{ "Eastern Standard Time (Mexico)", "America/Cancun", "Chetumal" },
	{ "Eastern Standard Time", "America/New_York", "Eastern Time (US & Canada)" },
	{ "Haiti Standard Time", "America/Port-au-Prince", "Haiti" },
	{ "Cuba Standard Time", "America/Havana", "Havana" },
	{ "US Eastern Standard Time", "America/Indiana/Indianapolis", "Indiana (East)" },
	{ "Turks And Caicos Standard Time", "America/Grand_Turk", "Turks and Caicos" },
	{ "Paraguay Standard Time", "America/Asuncion", "Asuncion" },
	{ "Atlantic Standard Time", "America/Halifax", "Atlantic Time (Canada)" },
	{ "Venezuela Standard Time", "America/Caracas", "Caracas" },
	{ "Central Brazilian Standard Time", "America/Cuiaba", "Cuiaba" },
	{ "SA Western Standard Time", "America/La_Paz", "Georgetown, La Paz, Manaus, San Juan" },
	{ "Pacific SA Standard Time", "America/Santiago", "Santiago" },
	{ "Newfoundland Standard Time", "America/St_Johns", "Newfoundland" },
	{ "Tocantins Standard Time", "America/Araguaina", "Araguaina" },
	{ "E. South America Standard Time", "America/Sao_Paulo", "Brasilia" },
	{ "SA Eastern Standard Time", "America/Cayenne", "Cayenne, Fortaleza" },
	{ "Argentina Standard Time", "America/Argentina/Buenos_Aires", "City of Buenos Aires" },
	{ "Greenland Standard Time", "America/Nuuk", "Greenland" },
	{ "Montevideo Standard Time", "America/Montevideo", "Montevideo" },
	{ "Magallanes Standard Time", "America/Punta_Arenas", "Punta Arenas" },
	{ "Saint Pierre Standard Time", "America/Miquelon", "Saint Pierre and Miquelon" },
	{ "Bahia Standard Time", "America/Bahia", "Salvador" },
	{ "UTC-02", "Etc/GMT+2", "Coordinated Universal Time-02" },
	{ "Azores Standard Time", "Atlantic/Azores", "Azores" },
	{ "Cape Verde Standard Time", "Atlantic/Cape_Verde", "Cabo Verde Is." },
	{ "UTC", "Etc/UTC", "Coordinated Universal Time" },
	{ "GMT Standard Time", "Europe/London", "Dublin, Edinburgh, Lisbon, London" },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik", "Monrovia, Reykjavik" },
	{ "Sao Tome Standard Time", "Africa/Sao_Tome", "Sao Tome" },
	{ "Morocco Standard Time", "Africa/Casablanca", "Casablanca" },
	{ "W. Europe Standard Time", "Europe/Berlin", "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna" },
	{ "Central Europe Standard Time", "Europe/Budapest", "Belgrade, Bratislava, Budapest, Ljubljana, Prague" },
	{ "Romance Standard Time", "Europe/Paris", "Brussels, Copenhagen, Madrid, Paris" },
	{ "Central European Standard Time", "Europe/Warsaw", "Sarajevo, Skopje, Warsaw, Zagreb" },
	{ "W. Central Africa Standard Time", "Africa/Lagos", "West Central Africa" },
	{ "Jordan Standard Time", "Asia/Amman", "Amman" },
	{ "GTB Standard Time", "Europe/Bucharest", "Athens, Bucharest" },
	{ "Middle East Standard Time", "Asia/Beirut", "Beirut" },
	{ "Egypt Standard Time", "Africa/Cairo", "Cairo" },
	{ "E. Europe Standard Time", "Europe/Chisinau", "Chisinau" },
	{ "Syria Standard Time", "Asia/Damascus", "Damascus" },
	{ "West Bank Standard Time", "Asia/Hebron", "Gaza, Hebron" },
	{ "South Africa Standard Time", "Africa/Johannesburg", "Harare, Pretoria" },
	{ "FLE Standard Time", "Europe/Kyiv", "Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius" },
	{ "Israel Standard Time", "Asia/Jerusalem", "Jerusalem" },
	{ "South Sudan Standard Time", "Africa/Juba", "Juba" },
	{ "Kaliningrad Standard Time", "Europe/Kaliningrad", "Kaliningrad" },
	{ "Sudan Standard Time", "Africa/Khartoum", "Khartoum" },
	{ "Libya Standard Time", "Africa/Tripoli", "Tripoli" },
	{ "Namibia Standard Time", "Africa/Windhoek", "Windhoek" },
	{ "Arabic Standard Time", "Asia/Baghdad", "Baghdad" },
	{ "Turkey Standard Time", "Europe/Istanbul", "Istanbul" },
	{ "Arab Standard Time", "Asia/Riyadh", "Kuwait, Riyadh" },
	{ "Belarus Standard Time", "Europe/Minsk", "Minsk" },
	{ "Russian Standard Time", "Europe/Moscow", "Moscow, St. Petersburg" },
	{ "E. Africa Standard Time", "Africa/Nairobi", "Nairobi" },
	{ "Iran Standard Time", "Asia/Tehran", "Tehran" },
	{ "Arabian Standard Time", "Asia/Dubai", "Abu Dhabi, Muscat" },
	{ "Astrakhan Standard Time", "Europe/Astrakhan", "Astrakhan, Ulyanovsk" },
	{ "Azerbaijan Standard Time", "Asia/Baku", "Baku" },
	{ "Russia Time Zone 3", "Europe/Samara", "Izhevsk, Samara" },
	{ "Mauritius Standard Time", "Indian/Mauritius", "Port Louis" },
	{ "Saratov Standard Time", "Europe/Saratov", "Saratov" },
	{ "Georgian Standard Time", "Asia/Tbilisi", "Tbilisi" },
	{ "Volgograd Standard Time", "Europe/Volgograd", "Volgograd" },
	{ "Caucasus Standard Time", "Asia/Yerevan", "Yerevan" },
	{ "Afghanistan Standard Time", "Asia/Kabul", "Kabul" },
	{ "West Asia Standard Time", "Asia/Tashkent", "Ashgabat, Tashkent" },
	{ "Ekaterinburg Standard Time", "Asia/Yekaterinburg", "Ekaterinburg" },
	{ "Pakistan Standard Time", "Asia/Karachi", "Islamabad, Karachi" },
	{ "Qyzylorda Standard Time", "Asia/Qyzylorda", "Qyzylorda" },
	{ "India Standard Time", "Asia/Kolkata", "Chennai, Kolkata, Mumbai, New Delhi" },
	{ "Sri Lanka Standard Time", "Asia/Colombo", "Sri Jayawardenepura" },
	{ "Nepal Standard Time", "Asia/Kathmandu", "Kathmandu" },
	{ "Central Asia Standard Time", "Asia/Bishkek", "Astana" },
	{ "Bangladesh Standard Time", "Asia/Dhaka", "Dhaka" },
	{ "Omsk Standard Time", "Asia/Omsk", "Omsk" },
	{ "Myanmar Standard Time", "Asia/Yangon", "Yangon (Rangoon)" },
	{ "SE Asia Standard Time", "Asia/Bangkok", "Bangkok, Hanoi, Jakarta" },
	{ "Altai Standard Time", "Asia/Barnaul", "Barnaul, Gorno-Altaysk" },
	{ "W. Mongolia Standard Time", "Asia/Hovd", "Hovd" },
	{ "North Asia Standard Time", "Asia/Krasnoyarsk", "Krasnoyarsk" },
	{ "N. Central Asia Standard Time", "Asia/Novosibirsk", "Novosibirsk" },
	{ "Tomsk Standard Time", "Asia/Tomsk", "Tomsk" },
	{ "China Standard Time", "Asia/Shanghai", "Beijing, Chongqing, Hong Kong, Urumqi" },
	{ "North Asia East Standard Time", "Asia/Irkutsk", "Irkutsk" },
	{ "Singapore Standard Time", "Asia/Singapore", "Kuala Lumpur, Singapore" },
	{ "W. Australia Standard Time", "Australia/Perth", "Perth" },
	{ "Taipei Standard Time", "Asia/Taipei", "Taipei" },
	{ "Ulaanbaatar Standard Time", "Asia/Ulaanbaatar", "Ulaanbaatar" },
	{ "Aus Central W. Standard Time", "Australia/Eucla", "Eucla" },
	{ "Transbaikal Standard Time", "Asia/Chita", "Chita" },
	{ "Tokyo Standard Time", "Asia/Tokyo", "Osaka, Sapporo, Tokyo" },
	{ "North Korea Standard Time", "Asia/Pyongyang", "Pyongyang" },
	{ "Korea Standard Time", "Asia/Seoul", "Seoul" },
	{ "Yakutsk Standard Time", "Asia/Yakutsk", "Yakutsk" },
	{ "Cen. Australia Standard Time", "Australia/Adelaide", "Adelaide" },
	{ "AUS Central Standard Time", "Australia/Darwin", "Darwin" },
	{ "E. Australia Standard Time", "Australia/Brisbane", "Brisbane" },
	{ "AUS Eastern Standard Time", "Australia/Sydney", "Canberra, Melbourne, Sydney" },
	{ "West Pacific Standard Time", "Pacific/Port_Moresby", "Guam, Port Moresby" },
	{ "Tasmania Standard Time", "Australia/Hobart", "Hobart" },
	{ "Vladivostok Standard Time", "Asia/Vladivostok", "Vladivostok" },
	{ "Lord Howe Standard Time", "Australia/Lord_Howe", "Lord Howe Island" },
	{ "Bougainville Standard Time", "Pacific/Bougainville", "Bougainville Island" },
	{ "Russia Time Zone 10", "Asia/Srednekolymsk", "Chokurdakh" },
	{ "Magadan Standard Time", "Asia/Magadan", "Magadan" },
	{ "Norfolk Standard Time", "Pacific/Norfolk", "Norfolk Island" },
	{ "Sakhalin Standard Time", "Asia/Sakhalin", "Sakhalin" },
	{ "Central Pacific Standard Time", "Pacific/Guadalcanal", "Solomon Is., New Caledonia" },
	{ "Russia Time Zone 11", "Asia/Kamchatka", "Anadyr, Petropavlovsk-Kamchatsky" },
	{ "New Zealand Standard Time", "Pacific/Auckland", "Auckland, Wellington" },
	{ "UTC+12", "Etc/GMT-12", "Coordinated Universal Time+12" },
	{ "Fiji Standard Time", "Pacific/Fiji", "Fiji" },
	{ "Chatham Islands Standard Time", "Pacific/Chatham", "Chatham Islands" },
	{ "UTC+13", "Etc/GMT-13", "Coordinated Universal Time+13" },
	{ "Tonga Standard Time", "Pacific/Tongatapu", "Nuku'alofa" },
	{ "Samoa Standard Time", "Pacific/Apia", "Samoa" },
	{ "Line Islands Standard Time", "Pacific/Kiritimati", "Kiritimati Island" },
};

/* Tried first when guessing a zone from its offsets: where most
 * meetings happen.  Zones sharing offsets are told apart by this order. */
static const gchar *preferred_zones[] = {
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
	"America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
	"America/Halifax", "America/Mexico_City", "America/Bogota", "America/Sao_Paulo",
	"Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Helsinki",
	"Europe/Moscow", "Europe/Istanbul", "Africa/Johannesburg", "Africa/Lagos",
	"Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai",
	"Asia/Tokyo", "Australia/Sydney", "Australia/Brisbane", "Pacific/Auckland"
};

static const gchar *utc_aliases[] = {
	"UTC", "GMT", "Z", "UCT", "UT", "Zulu", "Universal", "Greenwich",
	"GMT0", "GMT+0", "GMT-0",
	"Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Zulu", "Etc/Universal",
	"Etc/Greenwich", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0"
};

static gboolean
tz_is_utc_alias (const gchar *name)
{
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (utc_aliases); ii++) {
		if (g_ascii_strcasecmp (name, utc_aliases[ii]) == 0)
			return TRUE;
	}

	return FALSE;
}

/* What a name stands for, remembered for the process (docs/design.md,
 * "Mapping an event to a meeting"): libical finds a builtin zone by a
 * linear search of several hundred names, and every event asks again
 * for the same few.  The answers depend only on the system's zones;
 * builtin zones live as long as the process.  Bounded, as TZIDs come
 * from any file. */
#define TZ_MEMO_MAX_NAMES	256
#define TZ_MEMO_MAX_YEARS	8
#define TZ_MEMO_NONE		""	/* remembered: nothing */

static GMutex tz_memo_lock;
static GHashTable *tz_location_memo;	/* name ~> interned IANA name, or TZ_MEMO_NONE */
static GHashTable *tz_zone_memo;	/* IANA name ~> builtin ICalTimezone, or NULL */
static GHashTable *tz_offsets_memo;	/* year ~> TzCandidateOffsets[], the candidates' offsets */

/* @key in a memo made on first use; *out_found tells a remembered NULL
 * from a name never asked for.  Called with tz_memo_lock held. */
static gpointer
tz_memo_lookup (GHashTable **table,
		GHashFunc hash,
		GEqualFunc equal,
		GDestroyNotify value_free,
		gconstpointer key,
		gboolean *out_found)
{
	gpointer orig_key = NULL, value = NULL;

	if (!*table)
		*table = g_hash_table_new_full (hash, equal, g_free, value_free);

	*out_found = g_hash_table_lookup_extended (*table, key, &orig_key, &value);

	return value;
}

/* Called with tz_memo_lock held. */
static void
tz_memo_insert (GHashTable *table,
		gpointer key,
		gpointer value)
{
	if (g_hash_table_size (table) >= TZ_MEMO_MAX_NAMES)
		g_hash_table_remove_all (table);

	g_hash_table_insert (table, key, value);
}

static gint
tz_alias_compare (gconstpointer key,
		  gconstpointer element)
{
	return g_ascii_strcasecmp (key, ((const EHubSpotTzAlias *) element)->alias);
}

/* The current name of an old or alias name, or NULL. */
static const gchar *
tz_alias_target (const gchar *name)
{
	const EHubSpotTzAlias *found;

	found = bsearch (name, tz_aliases, G_N_ELEMENTS (tz_aliases), sizeof (tz_aliases[0]), tz_alias_compare);

	return found ? found->name : NULL;
}

const gchar *
e_hubspot_tz_canonical_name (const gchar *name)
{
	const gchar *target;

	if (!name || !*name)
		return NULL;

	if (tz_is_utc_alias (name))
		return g_intern_static_string ("UTC");

	target = tz_alias_target (name);

	return target ? g_intern_static_string (target) : g_intern_string (name);
}

static const gchar *
tz_zone_location (ICalTimezone *zone)
{
	const gchar *location;

	if (!zone)
		return NULL;

	if (zone == i_cal_timezone_get_utc_timezone ())
		return g_intern_static_string ("UTC");

	location = i_cal_timezone_get_location (zone);
	if (!location || !*location)
		return NULL;

	/* A zone loaded by an old name (a system with tzdata-legacy) or a
	 * custom VTIMEZONE's X-LIC-LOCATION can carry an alias. */
	return e_hubspot_tz_canonical_name (location);
}

static const gchar *
tz_match_location_uncached (const gchar *name)
{
	const gchar *alias_target;
	ICalTimezone *zone;

	if (!name || !*name)
		return NULL;

	if (tz_is_utc_alias (name))
		return g_intern_static_string ("UTC");

	/* libical loads unknown names from the zoneinfo directory: keep
	 * path tricks and non-printable junk from malformed files away. */
	if (strstr (name, "..") || !g_utf8_validate (name, -1, NULL))
		return NULL;

	/* An old name ("US/Eastern", "Asia/Calcutta") by its current one:
	 * without tzdata-legacy the system has no zone by the old name.
	 * (Not interned: TZIDs come from any file.) */
	alias_target = tz_alias_target (name);
	if (alias_target)
		name = alias_target;

	zone = i_cal_timezone_get_builtin_timezone (name);
	if (!zone)
		zone = i_cal_timezone_get_builtin_timezone_from_tzid (name);
	if (!zone) {
		const gchar *systzid = e_cal_match_tzid (name);

		if (systzid)
			zone = i_cal_timezone_get_builtin_timezone_from_tzid (systzid);
	}
	if (!zone) {
		const gchar *slash;

		/* An old name behind a vendor prefix, as e_cal_match_tzid()
		 * strips them: "/softwarestudio.org/Olson_20011030_5/US/Eastern". */
		for (slash = strchr (name, '/'); slash && !zone; slash = strchr (slash + 1, '/')) {
			const gchar *target = tz_alias_target (slash + 1);

			if (target)
				zone = i_cal_timezone_get_builtin_timezone (target);
		}
	}

	return tz_zone_location (zone);
}

const gchar *
e_hubspot_tz_match_location (const gchar *name)
{
	const gchar *location;
	gboolean found;

	if (!name || !*name)
		return NULL;

	g_mutex_lock (&tz_memo_lock);
	location = tz_memo_lookup (&tz_location_memo, g_str_hash, g_str_equal, NULL, name, &found);
	if (!found) {
		location = tz_match_location_uncached (name);
		tz_memo_insert (tz_location_memo, g_strdup (name), (gpointer) (location ? location : TZ_MEMO_NONE));
	}
	g_mutex_unlock (&tz_memo_lock);

	return location && *location ? location : NULL;
}

/* Outlook writes its display name as a TZID too, e.g.
 * "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna". */
static const gchar *
tz_skip_offset_prefix (const gchar *name)
{
	const gchar *end;

	if (*name != '(')
		return NULL;

	if (g_ascii_strncasecmp (name + 1, "UTC", 3) != 0 &&
	    g_ascii_strncasecmp (name + 1, "GMT", 3) != 0)
		return NULL;

	end = strchr (name, ')');
	if (!end)
		return NULL;

	end++;
	while (g_ascii_isspace (*end))
		end++;

	return end;
}

const gchar *
e_hubspot_tz_windows_to_iana (const gchar *windows_name)
{
	g_autofree gchar *name = NULL;
	const gchar *cities;
	gsize len;
	guint ii;

	if (!windows_name || !*windows_name)
		return NULL;

	name = g_strstrip (g_strdup (windows_name));

	/* Windows' own names may end in a number ("Russia Time Zone 3"). */
	for (ii = 0; ii < G_N_ELEMENTS (windows_zones); ii++) {
		if (g_ascii_strcasecmp (name, windows_zones[ii].windows_name) == 0)
			return g_intern_static_string (windows_zones[ii].iana_name);
	}

	/* EDS renames a conflicting VTIMEZONE by appending " 1", " 2"... */
	len = strlen (name);
	while (len > 0 && g_ascii_isdigit (name[len - 1]))
		len--;
	if (len > 0 && len < strlen (name) && name[len - 1] == ' ') {
		name[len - 1] = '\0';
		g_strchomp (name);
	}

	for (ii = 0; ii < G_N_ELEMENTS (windows_zones); ii++) {
		if (g_ascii_strcasecmp (name, windows_zones[ii].windows_name) == 0)
			return g_intern_static_string (windows_zones[ii].iana_name);
	}

	cities = tz_skip_offset_prefix (name);
	if (cities && *cities) {
		for (ii = 0; ii < G_N_ELEMENTS (windows_zones); ii++) {
			if (g_ascii_strcasecmp (cities, windows_zones[ii].display_cities) == 0)
				return g_intern_static_string (windows_zones[ii].iana_name);
		}
	}

	return NULL;
}

const gchar *
e_hubspot_tz_match_name (const gchar *name)
{
	const gchar *iana;

	iana = e_hubspot_tz_match_location (name);
	if (!iana)
		iana = e_hubspot_tz_windows_to_iana (name);

	/* The table says "Etc/UTC" for Windows' "UTC". */
	if (iana && tz_is_utc_alias (iana))
		iana = g_intern_static_string ("UTC");

	return iana;
}

/* A builtin zone by its name or an old name of it, asked of libical (a
 * search of its zones): e_hubspot_tz_get_builtin_zone () remembers it. */
static ICalTimezone *
tz_builtin_zone_uncached (const gchar *iana_name)
{
	const gchar *alias_target = tz_alias_target (iana_name);

	return i_cal_timezone_get_builtin_timezone (alias_target ? alias_target : iana_name);
}

ICalTimezone *
e_hubspot_tz_get_builtin_zone (const gchar *iana_name)
{
	ICalTimezone *zone;
	gboolean found;

	if (!iana_name || !*iana_name)
		return NULL;

	if (tz_is_utc_alias (iana_name))
		return i_cal_timezone_get_utc_timezone ();

	if (strstr (iana_name, "..") || !g_utf8_validate (iana_name, -1, NULL))
		return NULL;

	g_mutex_lock (&tz_memo_lock);
	zone = tz_memo_lookup (&tz_zone_memo, g_str_hash, g_str_equal, NULL, iana_name, &found);
	if (!found) {
		zone = tz_builtin_zone_uncached (iana_name);
		tz_memo_insert (tz_zone_memo, g_strdup (iana_name), zone);
	}
	g_mutex_unlock (&tz_memo_lock);

	return zone;
}

static gint
tz_offset_at (ICalTimezone *zone,
	      gint year,
	      gint month)
{
	ICalTime *tt;
	gint offset;

	/* Mid-month noon: far from any transition. */
	tt = i_cal_time_new_null_time ();
	i_cal_time_set_date (tt, year, month, 15);
	i_cal_time_set_time (tt, 12, 0, 0);
	offset = i_cal_timezone_get_utc_offset (zone, tt, NULL);
	g_object_unref (tt);

	return offset;
}

#define TZ_N_CANDIDATES (G_N_ELEMENTS (preferred_zones) + G_N_ELEMENTS (windows_zones))

/* A candidate's offsets in one year, month by month, computed when first
 * asked for: builtin zones never change, so a guess compares with
 * remembered figures (the memo above). */
typedef struct {
	gboolean known;
	gboolean has_zone;
	gint offsets[12];
} TzCandidateOffsets;

static const gchar *
tz_candidate_name (guint index)
{
	guint n_preferred = G_N_ELEMENTS (preferred_zones);

	return index < n_preferred ? preferred_zones[index] : windows_zones[index - n_preferred].iana_name;
}

/* Called with tz_memo_lock held. */
static const TzCandidateOffsets *
tz_candidate_offsets (TzCandidateOffsets *year_offsets,
		      guint index,
		      gint year)
{
	TzCandidateOffsets *candidate = &year_offsets[index];

	if (!candidate->known) {
		const gchar *iana = tz_candidate_name (index);
		ICalTimezone *zone;
		guint mm;

		zone = tz_is_utc_alias (iana) ? i_cal_timezone_get_utc_timezone () : tz_builtin_zone_uncached (iana);

		candidate->has_zone = zone != NULL;
		for (mm = 0; zone && mm < 12; mm++)
			candidate->offsets[mm] = tz_offset_at (zone, year, mm + 1);
		candidate->known = TRUE;
	}

	return candidate;
}

const gchar *
e_hubspot_tz_guess_location (ICalTimezone *zone,
			     gint year)
{
	static const gint strict_months[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const gint loose_months[] = { 1, 7 };
	struct {
		const gint *months;
		guint n_months;
	} passes[] = {
		{ strict_months, G_N_ELEMENTS (strict_months) },
		{ loose_months, G_N_ELEMENTS (loose_months) }
	};
	TzCandidateOffsets *year_offsets;
	const gchar *guess = NULL;
	gint offsets[12];
	gboolean found;
	guint pass, ii, mm;

	if (!zone)
		return NULL;

	/* Expanding rules for far-away years costs a lot and tells little. */
	year = CLAMP (year, 1970, 2100);

	for (mm = 0; mm < 12; mm++)
		offsets[mm] = tz_offset_at (zone, year, mm + 1);

	g_mutex_lock (&tz_memo_lock);

	year_offsets = tz_memo_lookup (&tz_offsets_memo, g_int_hash, g_int_equal, g_free, &year, &found);
	if (!year_offsets) {
		gint *key = g_new (gint, 1);

		if (g_hash_table_size (tz_offsets_memo) >= TZ_MEMO_MAX_YEARS)
			g_hash_table_remove_all (tz_offsets_memo);

		*key = year;
		year_offsets = g_new0 (TzCandidateOffsets, TZ_N_CANDIDATES);
		g_hash_table_insert (tz_offsets_memo, key, year_offsets);
	}

	for (pass = 0; pass < G_N_ELEMENTS (passes) && !guess; pass++) {
		for (ii = 0; ii < TZ_N_CANDIDATES && !guess; ii++) {
			const TzCandidateOffsets *candidate = tz_candidate_offsets (year_offsets, ii, year);
			gboolean same = candidate->has_zone;

			for (mm = 0; mm < passes[pass].n_months && same; mm++) {
				gint month = passes[pass].months[mm];

				same = candidate->offsets[month - 1] == offsets[month - 1];
			}

			if (same) {
				const gchar *iana = tz_candidate_name (ii);

				guess = tz_is_utc_alias (iana) ? g_intern_static_string ("UTC") : g_intern_static_string (iana);
			}
		}
	}

	g_mutex_unlock (&tz_memo_lock);

	return guess;
}

guint
e_hubspot_tz_get_n_windows_zones (void)
{
	return G_N_ELEMENTS (windows_zones);
}

guint
e_hubspot_tz_get_n_aliases (void)
{
	return G_N_ELEMENTS (tz_aliases);
}

void
e_hubspot_tz_get_alias (guint index,
			const gchar **out_alias,
			const gchar **out_name)
{
	g_return_if_fail (index < G_N_ELEMENTS (tz_aliases));

	if (out_alias)
		*out_alias = tz_aliases[index].alias;
	if (out_name)
		*out_name = tz_aliases[index].name;
}

guint
e_hubspot_tz_get_n_preferred_zones (void)
{
	return G_N_ELEMENTS (preferred_zones);
}

const gchar *
e_hubspot_tz_get_preferred_zone (guint index)
{
	g_return_val_if_fail (index < G_N_ELEMENTS (preferred_zones), NULL);

	return preferred_zones[index];
}

void
e_hubspot_tz_get_windows_zone (guint index,
			       const gchar **out_windows_name,
			       const gchar **out_iana_name)
{
	g_return_if_fail (index < G_N_ELEMENTS (windows_zones));

	if (out_windows_name)
		*out_windows_name = windows_zones[index].windows_name;
	if (out_iana_name)
		*out_iana_name = windows_zones[index].iana_name;
}
