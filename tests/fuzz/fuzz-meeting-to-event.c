/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Any JSON as a HubSpot meeting coming back in a refresh: the event it
 * becomes, that event mapped again (what an edit of it sends), and the
 * merge into an event the calendar has.  A meeting becomes a VEVENT with
 * a UID or is refused with E_HUBSPOT_ERROR_BAD_RESPONSE; what it becomes
 * must map to a body HubSpot accepts, or be refused clearly. */

#include <string.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-json.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-meeting-event.h"
#include "common/e-hubspot-requests.h"
#include "e-hubspot-mock-schema.h"
#include "fuzz-target.h"

#define NOW_2026 1767225600	/* 2026-01-01T00:00:00Z */

static void
context_init (EHubSpotMappingContext *context)
{
	memset (context, 0, sizeof (*context));
	context->owner_id = "31337";
	context->now = NOW_2026;
	context->calendar_zone = i_cal_timezone_get_builtin_timezone ("Europe/Paris");
}

static void
check_event (ICalComponent *vevent,
	     JsonNode *meeting)
{
	EHubSpotMappingContext context;
	g_autoptr(GError) error = NULL;
	ICalComponent *reparsed, *local;
	g_autofree gchar *ical = NULL;
	JsonNode *body;

	if (i_cal_component_isa (vevent) != I_CAL_VEVENT_COMPONENT || !i_cal_component_get_uid (vevent))
		g_error ("a meeting became something other than an event with a UID");

	/* What the cache stores must read back. */
	ical = i_cal_component_as_ical_string (vevent);
	reparsed = i_cal_component_new_from_string (ical);
	if (!reparsed)
		g_error ("the event a meeting became does not parse again:\n%s", ical);

	context_init (&context);
	body = e_hubspot_mapping_build_meeting (reparsed, &context, &error);
	if (body) {
		if (!e_hubspot_mock_schema_check_meeting_create (body, &error))
			g_error ("a meeting came back as an event whose body HubSpot would refuse: %s\n%s",
				error->message, ical);
		e_hubspot_meeting_event_diff (body, meeting);
		json_node_unref (body);
	} else if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT)) {
		g_error ("a meeting's event refused without a clear error: %s", error->message);
	}

	/* The same meeting merged into an older copy of its event, with and
	 * without local changes waiting. */
	local = i_cal_component_clone (reparsed);
	e_hubspot_mapping_set_x_property (local, "X-HUBSPOT-LAST-MODIFIED", "2020-01-01T00:00:00Z");
	e_hubspot_meeting_event_merge (local, meeting, FALSE, &context, "app.hubspot.com", "4242");
	e_hubspot_meeting_event_merge (local, meeting, TRUE, &context, "app.hubspot.com", "4242");

	g_object_unref (local);
	g_object_unref (reparsed);
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
	g_autoptr(JsonNode) meeting = NULL;
	g_autoptr(GError) error = NULL;
	EHubSpotMeetingResult result = { 0 };
	ICalComponent *vevent;
	const gchar *body;

	if (size > FUZZ_MAX_INPUT)
		return 0;

	/* As the connection reads an answer. */
	meeting = e_hubspot_json_parse ((const gchar *) data, size, NULL);
	if (!meeting)
		return 0;

	vevent = e_hubspot_meeting_event_new (meeting, "app.hubspot.com", "4242", &error);
	if (vevent) {
		check_event (vevent, meeting);
		g_object_unref (vevent);
	} else if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE) ||
		   !error->message || !*error->message) {
		g_error ("a meeting refused without a clear error: %s", error ? error->message : "none");
	}
	g_clear_error (&error);

	/* The same object as the answer to a create, a PATCH or a read. */
	if (e_hubspot_mapping_parse_meeting_response (meeting, "app.hubspot.com", "4242", &result, &error)) {
		if (!result.meeting_id || !*result.meeting_id)
			g_error ("a meeting answer read without an id");
	} else if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE)) {
		g_error ("a meeting answer refused without a clear error");
	}
	e_hubspot_meeting_result_clear (&result);

	body = e_hubspot_meeting_event_get_property (meeting, "hs_meeting_body");
	if (body)
		g_free (e_hubspot_meeting_event_html_to_text (body));

	return 0;
}
