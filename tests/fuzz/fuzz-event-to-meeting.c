/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Any iCalendar text through the mapping and the recurrence plan, as an
 * invitation or an imported file reaches the backend.  Every VEVENT must
 * map to a body HubSpot's schema accepts (the mock's own check) or be
 * refused with E_HUBSPOT_ERROR_INVALID_EVENT and a message; a series
 * must plan at most the occurrences asked for, each a valid body. */

#include <string.h>

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-recurrence.h"
#include "e-hubspot-mock-schema.h"
#include "fuzz-target.h"

#define NOW_2026 1767225600	/* 2026-01-01T00:00:00Z */
#define HORIZON_DAYS 90
#define MAX_OCCURRENCES 20

/* The zones of the VCALENDAR an event came in, kept for the input's
 * whole run: the mapping borrows what a resolver returns. */
typedef struct {
	ICalComponent *vcalendar;
	GHashTable *zones;	/* TZID ~> ICalTimezone */
} Resolver;

static ICalTimezone *
resolve_in_vcalendar (const gchar *tzid,
		      gpointer user_data)
{
	Resolver *resolver = user_data;
	ICalTimezone *zone;

	if (!resolver->vcalendar || !tzid)
		return NULL;

	zone = g_hash_table_lookup (resolver->zones, tzid);
	if (!zone) {
		zone = i_cal_component_get_timezone (resolver->vcalendar, tzid);
		if (zone)
			g_hash_table_insert (resolver->zones, g_strdup (tzid), zone);
	}

	return zone;
}

static void
check_body (JsonNode *body,
	    const gchar *what)
{
	g_autoptr(GError) error = NULL;

	if (!e_hubspot_mock_schema_check_meeting_create (body, &error)) {
		g_autofree gchar *json = json_to_string (body, TRUE);

		g_error ("%s: a body HubSpot would refuse: %s\n%s", what, error->message, json);
	}
}

static void
check_refusal (const GError *error,
	       const gchar *what)
{
	if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT) ||
	    !error->message || !*error->message)
		g_error ("%s: refused without a clear error (%s)", what, error ? error->message : "no error");
}

static void
map_event (ICalComponent *vevent,
	   ICalComponent *vcalendar,
	   gboolean zoned)
{
	static const gchar *meeting_types[] = { "Holiday", "Business", NULL };
	EHubSpotMappingContext context;
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
	Resolver resolver = { vcalendar, zones };
	JsonNode *body;

	memset (&context, 0, sizeof (context));
	context.owner_id = "31337";
	context.now = NOW_2026;
	context.calendar_zone = zoned ? i_cal_timezone_get_builtin_timezone ("America/New_York") : NULL;
	context.map_all_alarms = zoned;
	context.include_attendees = zoned;
	context.self_email = "owner@example.com";
	context.meeting_types = meeting_types;
	context.resolve_tzid = resolve_in_vcalendar;
	context.resolve_tzid_data = &resolver;

	body = e_hubspot_mapping_build_meeting (vevent, &context, &error);
	if (body) {
		/* The attendees for the outbox ride in a member of ours that
		 * the outbox takes out before HubSpot sees the body. */
		g_autoptr(GPtrArray) attendees = e_hubspot_attendees_from_body (body);

		if (attendees->len > 0 && !zoned)
			g_error ("event: attendees for the outbox without being asked for");
		if (JSON_NODE_HOLDS_OBJECT (body) &&
		    json_object_has_member (json_node_get_object (body), E_HUBSPOT_ATTENDEES_MEMBER))
			json_object_remove_member (json_node_get_object (body), E_HUBSPOT_ATTENDEES_MEMBER);
		check_body (body, "event");
		json_node_unref (body);
	} else {
		check_refusal (error, "event");
	}

	if (e_hubspot_recurrence_needs_plan (vevent)) {
		g_autoptr(GPtrArray) wishes = NULL;
		g_autoptr(GError) plan_error = NULL;
		gboolean truncated = FALSE;
		guint ii;

		context.include_attendees = FALSE;
		wishes = e_hubspot_recurrence_plan (vevent, NULL, NULL, NULL, &context,
			NOW_2026 + HORIZON_DAYS * 86400, MAX_OCCURRENCES, FALSE, &truncated, &plan_error);
		if (!wishes) {
			check_refusal (plan_error, "series");
			return;
		}

		if (wishes->len > MAX_OCCURRENCES)
			g_error ("series: %u occurrences planned, at most %u asked", wishes->len, MAX_OCCURRENCES);

		for (ii = 0; ii < wishes->len; ii++) {
			EHubSpotWish *wish = g_ptr_array_index (wishes, ii);

			if (!wish->key || !*wish->key)
				g_error ("series: a wish without a key");
			if (wish->request)
				check_body (wish->request, "occurrence");
		}
	}
}

static void
map_all (ICalComponent *comp,
	 ICalComponent *vcalendar,
	 guint depth)
{
	ICalComponent *sub;

	if (depth > 4)
		return;

	switch (i_cal_component_isa (comp)) {
	case I_CAL_VEVENT_COMPONENT:
		map_event (comp, vcalendar, FALSE);
		map_event (comp, vcalendar, TRUE);
		break;
	case I_CAL_VCALENDAR_COMPONENT:
	case I_CAL_XROOT_COMPONENT:
		for (sub = i_cal_component_get_first_component (comp, I_CAL_ANY_COMPONENT);
		     sub;
		     g_object_unref (sub), sub = i_cal_component_get_next_component (comp, I_CAL_ANY_COMPONENT)) {
			map_all (sub, i_cal_component_isa (comp) == I_CAL_VCALENDAR_COMPONENT ? comp : vcalendar, depth + 1);
		}
		break;
	default:
		break;
	}
}

int
LLVMFuzzerInitialize (int *argc,
		      char ***argv)
{
	fuzz_init ();

	return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
			size_t size)
{
	g_autofree gchar *text = NULL;
	ICalComponent *root;

	text = fuzz_dup_text (data, size);
	if (!text)
		return 0;
	root = i_cal_parser_parse_string (text);
	if (!root)
		return 0;

	map_all (root, NULL, 0);
	g_object_unref (root);

	return 0;
}
