/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The demo's client: creates a few events in a HubSpot calendar through
 * ECalClient, as Evolution or GNOME Calendar would, waits until HubSpot's
 * answers are written back, and prints what each event carries.
 *
 *   hubspot-demo CALENDAR-UID MOCK-URL */

#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>
#include <libecal/libecal.h>

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"

static const struct {
	const gchar *what;
	const gchar *ical;
} events[] = {
	{ "timed, Europe/Paris",
	  "BEGIN:VEVENT\r\nUID:demo-timed@evolution-hubspot\r\nSUMMARY:Quarterly review with ACME\r\n"
	  "DTSTART;TZID=Europe/Paris:20270310T090000\r\nDTEND;TZID=Europe/Paris:20270310T100000\r\n"
	  "LOCATION:https://meet.example.com/acme\r\nDESCRIPTION:Numbers\\, plans\\, next steps.\r\nEND:VEVENT\r\n" },
	{ "all-day",
	  "BEGIN:VEVENT\r\nUID:demo-allday@evolution-hubspot\r\nSUMMARY:Customer offsite\r\n"
	  "DTSTART;VALUE=DATE:20270415\r\nDTEND;VALUE=DATE:20270416\r\nLOCATION:12 Quai de la Tournelle\\, Paris\r\nEND:VEVENT\r\n" },
	{ "Windows time zone",
	  "BEGIN:VEVENT\r\nUID:demo-windows-tz@evolution-hubspot\r\nSUMMARY:Call from Outlook invite\r\n"
	  "DTSTART;TZID=W. Europe Standard Time:20270520T140000\r\nDTEND;TZID=W. Europe Standard Time:20270520T143000\r\n"
	  "LOCATION:tel:+33 1 23 45 67 89\r\nEND:VEVENT\r\n" },
	{ "e-mail alarm",
	  "BEGIN:VEVENT\r\nUID:demo-alarm@evolution-hubspot\r\nSUMMARY:Renewal negotiation\r\n"
	  "DTSTART:20270601T150000Z\r\nDURATION:PT45M\r\n"
	  "BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-P1D\r\nSUMMARY:Reminder\r\nDESCRIPTION:Prepare the renewal\r\n"
	  "ATTENDEE:mailto:owner@example.com\r\nEND:VALARM\r\nEND:VEVENT\r\n" },
};

static gboolean
all_synced (ECalClient *client)
{
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (events); ii++) {
		ICalComponent *icomp = i_cal_component_new_from_string (events[ii].ical);
		ICalComponent *stored = NULL;
		g_autofree gchar *state = NULL;

		e_cal_client_get_object_sync (client, i_cal_component_get_uid (icomp), NULL, &stored, NULL, NULL);
		g_object_unref (icomp);
		if (!stored)
			return FALSE;
		state = e_hubspot_mapping_dup_x_property (stored, E_HUBSPOT_PROP_SYNC_STATE);
		g_object_unref (stored);
		if (g_strcmp0 (state, "synced") != 0 && g_strcmp0 (state, "failed") != 0)
			return FALSE;
	}

	return TRUE;
}

static void
print_request (const gchar *mock_url,
	       const gchar *uid_summary)
{
	g_autoptr(SoupSession) session = soup_session_new ();
	g_autofree gchar *uri = g_strconcat (mock_url, "/__mock/requests", NULL);
	g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
	g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, NULL);
	g_autoptr(JsonParser) parser = json_parser_new ();
	JsonArray *requests;
	guint ii;

	if (!bytes || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
		return;

	requests = json_node_get_array (json_parser_get_root (parser));
	for (ii = 0; ii < json_array_get_length (requests); ii++) {
		JsonObject *request = json_array_get_object_element (requests, ii);
		JsonNode *body = json_object_get_member (request, "body");
		g_autofree gchar *text = NULL;

		if (!strstr (json_object_get_string_member_with_default (request, "path", ""), "/meetings/calendar") ||
		    !body || !JSON_NODE_HOLDS_OBJECT (body) ||
		    g_strcmp0 (json_object_get_string_member_with_default (
			json_object_get_object_member (json_node_get_object (body), "properties"),
			"hs_meeting_title", NULL), uid_summary) != 0)
			continue;

		text = json_to_string (body, TRUE);
		printf ("\nWhat the mock HubSpot received for “%s”:\nPOST %s?organizerUserId=%s\n%s\n", uid_summary,
			json_object_get_string_member (request, "path"),
			json_object_get_string_member_with_default (json_object_get_object_member (request, "query"), "organizerUserId", "?"),
			text);
		return;
	}
}

gint
main (gint argc,
      gchar **argv)
{
	g_autoptr(ESourceRegistry) registry = NULL;
	g_autoptr(ESource) source = NULL;
	g_autoptr(GError) error = NULL;
	EClient *client;
	gint64 deadline;
	gboolean done;
	guint ii;

	if (argc != 3) {
		g_printerr ("usage: %s CALENDAR-UID MOCK-URL\n", argv[0]);
		return 2;
	}

	e_source_hubspot_type_register ();
	registry = e_source_registry_new_sync (NULL, &error);
	g_assert_no_error (error);
	source = e_source_registry_ref_source (registry, argv[1]);
	if (!source) {
		g_printerr ("no calendar %s\n", argv[1]);
		return 1;
	}

	/* The token comes from the keyring, through the registry, exactly
	 * as when Evolution opens the calendar. */
	client = e_cal_client_connect_sync (source, E_CAL_CLIENT_SOURCE_TYPE_EVENTS, (guint32) -1, NULL, &error);
	if (!client) {
		g_printerr ("cannot open the calendar: %s\n", error->message);
		return 1;
	}

	printf ("Creating %u events in “%s”…\n", (guint) G_N_ELEMENTS (events), e_source_get_display_name (source));
	for (ii = 0; ii < G_N_ELEMENTS (events); ii++) {
		ICalComponent *icomp = i_cal_component_new_from_string (events[ii].ical);
		g_autofree gchar *uid = NULL;
		gint64 started = g_get_monotonic_time ();

		if (!e_cal_client_create_object_sync (E_CAL_CLIENT (client), icomp, E_CAL_OPERATION_FLAG_NONE, &uid, NULL, &error)) {
			g_printerr ("create failed: %s\n", error->message);
			return 1;
		}
		printf ("  %-22s created in %.1f ms\n", events[ii].what, (g_get_monotonic_time () - started) / 1000.0);
		g_object_unref (icomp);
	}

	printf ("Waiting for HubSpot’s answers to be written back…\n");
	deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
	while (!(done = all_synced (E_CAL_CLIENT (client))) && g_get_monotonic_time () < deadline) {
		g_main_context_iteration (NULL, FALSE);
		g_usleep (100000);
	}

	printf ("\n%-28s %-9s %-10s %s\n", "EVENT", "STATE", "MEETING", "URL");
	for (ii = 0; ii < G_N_ELEMENTS (events); ii++) {
		ICalComponent *icomp = i_cal_component_new_from_string (events[ii].ical);
		ICalComponent *stored = NULL;
		g_autofree gchar *id = NULL;
		g_autofree gchar *state = NULL;
		g_autofree gchar *error_text = NULL;
		ICalProperty *url;

		e_cal_client_get_object_sync (E_CAL_CLIENT (client), i_cal_component_get_uid (icomp), NULL, &stored, NULL, NULL);
		g_object_unref (icomp);
		if (!stored)
			continue;
		id = e_hubspot_mapping_dup_x_property (stored, E_HUBSPOT_PROP_MEETING_ID);
		state = e_hubspot_mapping_dup_x_property (stored, E_HUBSPOT_PROP_SYNC_STATE);
		error_text = e_hubspot_mapping_dup_x_property (stored, E_HUBSPOT_PROP_ERROR);
		url = i_cal_component_get_first_property (stored, I_CAL_URL_PROPERTY);
		printf ("%-28s %-9s %-10s %s\n", i_cal_component_get_summary (stored), state ? state : "-",
			id ? id : "-", url ? i_cal_property_get_url (url) : (error_text ? error_text : "-"));
		g_clear_object (&url);
		g_object_unref (stored);
	}

	print_request (argv[2], "Quarterly review with ACME");
	print_request (argv[2], "Renewal negotiation");

	g_object_unref (client);

	return done ? 0 : 1;
}
