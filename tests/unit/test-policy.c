/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* HubSpot's error bodies, the retry policy, and the [HubSpot] keys. */

#include <string.h>
#include <gio/gio.h>

#include "calendar/e-cal-backend-hubspot-state.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-pacer.h"
#include "common/e-hubspot-requests.h"
#include "common/e-hubspot-retry.h"
#include "common/e-source-hubspot.h"

static void
test_error_full_body (void)
{
	const gchar *body =
		"{\"status\":\"error\",\"message\":\"Property values were not valid\","
		"\"correlationId\":\"3f2a1c9e-0000-4000-8000-000000000001\",\"category\":\"VALIDATION_ERROR\","
		"\"errors\":[{\"message\":\"bad\",\"code\":\"INVALID_DATE\"}]}";
	g_autoptr(GError) error = e_hubspot_error_new_from_response (400, "Bad Request", body, strlen (body), NULL);

	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_VALIDATION);
	g_assert_nonnull (strstr (error->message, "Property values were not valid"));
	g_assert_cmpstr (e_hubspot_error_get_category (error), ==, "VALIDATION_ERROR");
	g_assert_cmpstr (e_hubspot_error_get_correlation_id (error), ==, "3f2a1c9e-0000-4000-8000-000000000001");
	g_assert_cmpuint (e_hubspot_error_get_status (error), ==, 400);
	g_assert_cmpint (e_hubspot_error_get_retry_after (error), ==, -1);
	g_assert_false (e_hubspot_error_is_transient (error));
}

/* A missing scope: the user reads which (the documented context, and
 * the errors[].context HubSpot's answers also carry). */
static void
test_error_missing_scopes (void)
{
	const gchar *body =
		"{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
		"\"correlationId\":\"3f2a1c9e-0000-4000-8000-000000000003\",\"category\":\"MISSING_SCOPES\","
		"\"context\":{\"requiredScopes\":[\"crm.objects.contacts.write\"]},"
		"\"errors\":[{\"message\":\"One or more of the following scopes are required.\","
		"\"context\":{\"requiredGranularScopes\":[\"crm.objects.meetings.write\",\"crm.objects.contacts.write\"]}}]}";
	const gchar *plain = "{\"status\":\"error\",\"message\":\"Forbidden here\",\"category\":\"FORBIDDEN\"}";
	g_autoptr(GError) error = e_hubspot_error_new_from_response (403, "Forbidden", body, strlen (body), NULL);
	g_autoptr(GError) without = e_hubspot_error_new_from_response (403, "Forbidden", plain, strlen (plain), NULL);

	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN);
	g_assert_nonnull (strstr (error->message, "This app hasn't been granted all required scopes"));
	g_assert_nonnull (strstr (error->message, "(missing scopes: crm.objects.contacts.write, crm.objects.meetings.write)"));
	g_assert_false (e_hubspot_error_is_transient (error));

	g_assert_error (without, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN);
	g_assert_null (strstr (without->message, "missing scopes"));
}

static void
test_error_rate_limit (void)
{
	const gchar *body =
		"{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
		"\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c1\",\"policyName\":\"DAILY\"}";
	g_autoptr(GError) error = e_hubspot_error_new_from_response (429, "Too Many Requests", body, strlen (body), "7");
	g_autoptr(GError) copy = g_error_copy (error);

	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_RATE_LIMITED);
	g_assert_cmpstr (e_hubspot_error_get_policy_name (error), ==, "DAILY");
	g_assert_cmpstr (e_hubspot_error_get_category (error), ==, "RATE_LIMIT");
	g_assert_cmpint (e_hubspot_error_get_retry_after (error), ==, 7);
	g_assert_true (e_hubspot_error_is_transient (error));

	/* The extended part survives a copy. */
	g_assert_cmpstr (e_hubspot_error_get_correlation_id (copy), ==, "c1");
	g_assert_cmpstr (e_hubspot_error_get_policy_name (copy), ==, "DAILY");
}

/* A proxy's HTML, an empty body, or JSON of the wrong shape: the status
 * and the reason phrase still make a usable error. */
static void
test_error_not_hubspot (void)
{
	const gchar *html = "<html><body>502 Bad Gateway</body></html>";
	const gchar *wrong = "{\"message\": 42, \"correlationId\": [1]}";
	g_autoptr(GError) e1 = e_hubspot_error_new_from_response (502, "Bad Gateway", html, strlen (html), "soon");
	g_autoptr(GError) e2 = e_hubspot_error_new_from_response (401, NULL, NULL, 0, NULL);
	g_autoptr(GError) e3 = e_hubspot_error_new_from_response (404, "Not Found", wrong, strlen (wrong), NULL);

	g_assert_error (e1, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_SERVER);
	g_assert_nonnull (strstr (e1->message, "Bad Gateway"));
	g_assert_cmpint (e_hubspot_error_get_retry_after (e1), ==, -1);
	g_assert_null (e_hubspot_error_get_correlation_id (e1));
	g_assert_error (e2, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_UNAUTHORIZED);
	g_assert_error (e3, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (e3->message, "Not Found"));
	g_assert_null (e_hubspot_error_get_correlation_id (e3));

	/* Not our domain: the getters answer "nothing". */
	{
		g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timeout");

		g_assert_null (e_hubspot_error_get_correlation_id (io));
		g_assert_cmpuint (e_hubspot_error_get_status (io), ==, 0);
		g_assert_true (e_hubspot_error_is_transient (io));
	}
}

static GError *
status_error (guint status,
	      const gchar *retry_after,
	      const gchar *policy)
{
	g_autofree gchar *body = policy ? g_strdup_printf ("{\"policyName\":\"%s\"}", policy) : NULL;

	return e_hubspot_error_new_from_response (status, NULL, body, body ? strlen (body) : 0, retry_after);
}

static void
test_retry_permanent (void)
{
	guint statuses[] = { 400, 401, 403, 404, 409 };
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (statuses); ii++) {
		g_autoptr(GError) error = status_error (statuses[ii], NULL, NULL);

		g_assert_cmpint (e_hubspot_retry_delay_ms (error, 1, 10000, 0, NULL), ==, E_HUBSPOT_RETRY_NEVER);
	}
}

static void
test_retry_backoff (void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed (42);
	g_autoptr(GError) error = status_error (503, NULL, NULL);
	g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
	guint attempt;

	/* Between half and all of 1 s, 2 s, 4 s ..., capped. */
	for (attempt = 1; attempt <= 20; attempt++) {
		gint64 full = MIN ((gint64) E_HUBSPOT_RETRY_BASE_MS << MIN (attempt - 1, 30), E_HUBSPOT_RETRY_CAP_MS);
		gint64 delay = e_hubspot_retry_delay_ms (error, attempt, 10000, 0, rand);

		g_assert_cmpint (delay, >=, full / 2);
		g_assert_cmpint (delay, <=, full);
	}

	g_assert_cmpint (e_hubspot_retry_delay_ms (cancelled, 1, 10000, 0, rand), ==, E_HUBSPOT_RETRY_NEVER);
}

static void
test_retry_hubspot_says (void)
{
	g_autoptr(GError) with_after = status_error (429, "3", "TEN_SECONDLY_ROLLING");
	g_autoptr(GError) no_after = status_error (429, NULL, "TEN_SECONDLY_ROLLING");
	g_autoptr(GError) daily = status_error (429, NULL, "DAILY");
	g_autoptr(GError) locked = status_error (423, NULL, NULL);
	g_autoptr(GError) migration = status_error (477, "30", NULL);
	/* 2026-11-24 13:00:00 UTC: the daily limit clears at midnight UTC. */
	gint64 now = 1795525200;

	g_assert_cmpint (e_hubspot_retry_delay_ms (with_after, 1, 10000, now, NULL), ==, 3000);
	g_assert_cmpint (e_hubspot_retry_delay_ms (no_after, 1, 2000, now, NULL), ==, 2000);
	g_assert_cmpint (e_hubspot_retry_delay_ms (no_after, 1, -1, now, NULL), ==, E_HUBSPOT_RETRY_WINDOW_MS);
	g_assert_cmpint (e_hubspot_retry_delay_ms (daily, 1, 10000, now, NULL), ==, 11 * 3600 * 1000);
	g_assert_cmpint (e_hubspot_retry_delay_ms (locked, 1, 10000, now, NULL), >=, E_HUBSPOT_RETRY_LOCKED_MS);
	g_assert_cmpint (e_hubspot_retry_delay_ms (migration, 1, 10000, now, NULL), ==, 30000);
}

/* The key names are a public interface (README.md): pin them. */
static void
test_source_keys (void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ESource) source = e_source_new (NULL, NULL, &error);
	g_autofree gchar *text = NULL;
	ESourceHubSpot *extension;
	const gchar *keys[] = {
		"ApiUrl=https://api.hubapi.com", "Email=me@example.com", "UserId=9100001", "OwnerId=75000001",
		"PortalId=4242", "UiDomain=app-eu1.hubspot.com", "Timezone=Europe/Paris", "ActivityType=Demo",
		"IncludeInviteDescription=true", "MapAllAlarms=true", "MaxInFlight=4",
		"LookupDelay=3", "ArchiveOnRemove=true"
	};
	guint ii;

	g_assert_no_error (error);
	extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
	g_assert_true (E_IS_SOURCE_HUBSPOT (extension));

	e_source_hubspot_set_email (extension, "me@example.com");
	e_source_hubspot_set_user_id (extension, "9100001");
	e_source_hubspot_set_owner_id (extension, "75000001");
	e_source_hubspot_set_portal_id (extension, "4242");
	e_source_hubspot_set_ui_domain (extension, "app-eu1.hubspot.com");
	e_source_hubspot_set_timezone (extension, "Europe/Paris");
	e_source_hubspot_set_activity_type (extension, "Demo");
	e_source_hubspot_set_include_invite_description (extension, TRUE);
	e_source_hubspot_set_map_all_alarms (extension, TRUE);
	e_source_hubspot_set_max_in_flight (extension, 4);
	e_source_hubspot_set_lookup_delay (extension, 3);
	e_source_hubspot_set_archive_on_remove (extension, TRUE);

	text = e_source_to_string (source, NULL);
	g_assert_nonnull (strstr (text, "[HubSpot]"));
	for (ii = 0; ii < G_N_ELEMENTS (keys); ii++) {
		if (!strstr (text, keys[ii]))
			g_error ("key '%s' missing from:\n%s", keys[ii], text);
	}

	/* Empty means unset. */
	e_source_hubspot_set_email (extension, "");
	g_assert_null (e_source_hubspot_dup_email (extension));
	e_source_hubspot_set_max_in_flight (extension, 1000);
	g_assert_cmpuint (e_source_hubspot_get_max_in_flight (extension), ==, 64);
}

static void
test_api_url_check (void)
{
	const struct {
		const gchar *url;
		gboolean ok;
	} cases[] = {
		{ "https://api.hubapi.com", TRUE },
		{ "https://api-eu1.hubapi.com/", TRUE },
		{ "http://127.0.0.1:8080", TRUE },
		{ "http://localhost:1234", TRUE },
		{ "http://[::1]:1234", TRUE },
		{ "http://127.5.6.7/", TRUE },
		{ "http://api.hubapi.com", FALSE },
		/* Names that only look like this machine (found by the
		 * source-settings fuzz target's corpus). */
		{ "http://127.example.com:8080/", FALSE },
		{ "http://localhost.example.com/", FALSE },
		{ "http://[::1].example.com/", FALSE },
		{ "http://0.0.0.0:8080/", FALSE },
		{ "ftp://api.hubapi.com", FALSE },
		{ "api.hubapi.com", FALSE },
		{ "", FALSE },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(GError) error = NULL;
		gboolean ok = e_source_hubspot_check_api_url (cases[ii].url, &error);

		g_assert_cmpint (ok, ==, cases[ii].ok);
		if (!ok)
			g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS);
	}
}

/* 20 per 2 s: 19 go at once (5% kept for others); a request holds its
 * place from its sending until one interval after its answer. */
static void
test_pacer_window (void)
{
	EHubSpotPacer *pacer = e_hubspot_pacer_new (20, 2000);
	gint64 now = 1000000000, wait;
	guint ii;

	g_assert_cmpuint (e_hubspot_pacer_get_budget (pacer), ==, 19);
	for (ii = 0; ii < 19; ii++)
		g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now + ii * 1000, ii), ==, 0);

	/* All 19 in flight: only an answer frees a place. */
	g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now + 19000, 19), ==, G_MAXINT64);

	/* Answered 500 ms later: the places free 2 s after the answers. */
	for (ii = 0; ii < 19; ii++)
		e_hubspot_pacer_complete (pacer, now + 500000 + ii * 1000);
	wait = e_hubspot_pacer_reserve (pacer, now + 600000, 0);
	g_assert_cmpint (wait, >, 2500000 - 600000);
	g_assert_cmpint (wait, <, 2500000 - 600000 + 100000);
	g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now + 600000 + wait, 0), ==, 0);

	e_hubspot_pacer_free (pacer);
}

/* The headers teach the pacer the account's limit; Remaining 0 (someone
 * else used the window up) and a 429 pause it. */
static void
test_pacer_headers (void)
{
	EHubSpotPacer *pacer = e_hubspot_pacer_new (E_HUBSPOT_PACER_DEFAULT_MAX, E_HUBSPOT_PACER_DEFAULT_INTERVAL_MS);
	gint64 now = 5000000000;

	g_assert_cmpuint (e_hubspot_pacer_get_budget (pacer), ==, 95);
	e_hubspot_pacer_update (pacer, 190, 150, 10000, now);
	g_assert_cmpuint (e_hubspot_pacer_get_budget (pacer), ==, 181);
	g_assert_cmpuint (e_hubspot_pacer_get_interval_ms (pacer), ==, 10000);
	g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now, 0), ==, 0);
	e_hubspot_pacer_complete (pacer, now);

	e_hubspot_pacer_update (pacer, 190, 0, 10000, now);
	g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now + 1, 0), ==, 10000000 - 1);

	e_hubspot_pacer_pause_until (pacer, now + 60000000);
	g_assert_cmpint (e_hubspot_pacer_get_paused_until (pacer), ==, now + 60000000);
	g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now + 30000000, 0), ==, 30000000);
	g_assert_cmpint (e_hubspot_pacer_reserve (pacer, now + 60000000, 0), ==, 0);

	e_hubspot_pacer_free (pacer);
}

static JsonNode *
parse_json (const gchar *text)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;

	json_parser_load_from_data (parser, text, -1, &error);
	g_assert_no_error (error);

	return json_node_copy (json_parser_get_root (parser));
}

static void
test_requests_update_and_cancel (void)
{
	g_autoptr(JsonNode) create = parse_json ("{\"associations\":[],\"timezone\":\"Europe/Paris\","
		"\"properties\":{\"hs_meeting_title\":\"T\",\"hs_attendee_owner_ids\":[\"1\",\"2\"]}}");
	g_autoptr(JsonNode) update = e_hubspot_requests_update_body (create);
	g_autoptr(JsonNode) cancel = e_hubspot_requests_cancel_body ();
	g_autofree gchar *update_text = json_to_string (update, FALSE);
	g_autofree gchar *cancel_text = json_to_string (cancel, FALSE);

	/* Only properties; arrays become HubSpot's ;-separated strings. */
	g_assert_cmpstr (update_text, ==, "{\"properties\":{\"hs_meeting_title\":\"T\",\"hs_attendee_owner_ids\":\"1;2\"}}");
	g_assert_cmpstr (cancel_text, ==, "{\"properties\":{\"hs_meeting_outcome\":\"CANCELED\"}}");
}

/* What the outbox's lookups send, and which result they adopt. */
static void
test_requests_lookup (void)
{
	g_autoptr(JsonNode) create = parse_json ("{\"properties\":{\"hubspot_owner_id\":\"75000001\","
		"\"hs_meeting_title\":\"Review\",\"hs_meeting_start_time\":\"2027-03-10T08:00:00Z\","
		"\"hs_meeting_end_time\":\"2027-03-10T09:00:00Z\",\"hs_timestamp\":\"2027-03-10T08:00:00Z\","
		"\"hs_meeting_outcome\":\"SCHEDULED\"}}");
	/* 7: another start; 8: another end; 9 and 10: the meeting. */
	g_autoptr(JsonNode) answer = parse_json ("{\"total\":4,\"results\":["
		"{\"id\":\"7\",\"properties\":{\"hubspot_owner_id\":\"75000001\",\"hs_meeting_title\":\"Review\","
		"\"hs_meeting_start_time\":\"2027-03-10T09:00:00Z\",\"hs_meeting_end_time\":\"2027-03-10T09:00:00Z\","
		"\"hs_timestamp\":\"2027-03-10T08:00:00Z\",\"hs_meeting_outcome\":\"SCHEDULED\"}},"
		"{\"id\":\"8\",\"properties\":{\"hubspot_owner_id\":\"75000001\",\"hs_meeting_title\":\"Review\","
		"\"hs_meeting_start_time\":\"2027-03-10T08:00:00Z\",\"hs_meeting_end_time\":\"2027-03-10T10:00:00Z\","
		"\"hs_timestamp\":\"2027-03-10T08:00:00Z\",\"hs_meeting_outcome\":\"SCHEDULED\"}},"
		"{\"id\":\"9\",\"properties\":{\"hubspot_owner_id\":\"75000001\",\"hs_meeting_title\":\"Review\","
		"\"hs_meeting_start_time\":\"2027-03-10T08:00:00.000Z\",\"hs_meeting_end_time\":\"2027-03-10T09:00:00.000Z\","
		"\"hs_timestamp\":\"1804665600000\",\"hs_meeting_outcome\":\"SCHEDULED\",\"hs_meeting_body\":null}},"
		"{\"id\":\"10\",\"properties\":{\"hubspot_owner_id\":\"75000001\",\"hs_meeting_title\":\"Review\","
		"\"hs_meeting_start_time\":\"2027-03-10T08:00:00Z\",\"hs_meeting_end_time\":\"2027-03-10T09:00:00Z\","
		"\"hs_timestamp\":\"2027-03-10T08:00:00Z\",\"hs_meeting_outcome\":\"SCHEDULED\"}}]}");
	g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *text = NULL;
	const gchar * const *names = e_hubspot_requests_lookup_properties ();
	EHubSpotLookupKey key;
	JsonNode *match;
	guint ii;

	g_assert_true (e_hubspot_requests_lookup_key (create, &key));
	g_assert_cmpstr (key.title, ==, "Review");

	body = e_hubspot_requests_lookup_body ("75000001", &key, 1);
	text = json_to_string (body, FALSE);
	g_assert_nonnull (strstr (text, "{\"propertyName\":\"hubspot_owner_id\",\"operator\":\"EQ\",\"value\":\"75000001\"}"));
	g_assert_nonnull (strstr (text, "{\"propertyName\":\"hs_meeting_start_time\",\"operator\":\"EQ\",\"value\":\"2027-03-10T08:00:00Z\"}"));
	/* The search brings back everything the match compares. */
	for (ii = 0; names[ii]; ii++) {
		g_autofree gchar *quoted = g_strdup_printf ("\"%s\"", names[ii]);

		g_assert_nonnull (strstr (strstr (text, "\"properties\":["), quoted));
	}
	g_assert_nonnull (strstr (text, "\"hs_meeting_external_url\""));

	/* The same instants written otherwise match; another end does not;
	 * a taken meeting is skipped. */
	match = e_hubspot_requests_lookup_match (answer, create, taken);
	g_assert_cmpstr (json_object_get_string_member (json_node_get_object (match), "id"), ==, "9");
	g_hash_table_add (taken, (gpointer) "9");
	match = e_hubspot_requests_lookup_match (answer, create, taken);
	g_assert_cmpstr (json_object_get_string_member (json_node_get_object (match), "id"), ==, "10");
	g_hash_table_add (taken, (gpointer) "10");
	g_assert_null (e_hubspot_requests_lookup_match (answer, create, taken));
	g_assert_null (e_hubspot_requests_lookup_match (NULL, create, NULL));
}

/* A meeting with one property other than the create's, or set where the
 * create left it out, is another meeting. */
static void
test_requests_meeting_matches (void)
{
	static const gchar *sent_text = "{\"properties\":{\"hubspot_owner_id\":\"75000001\","
		"\"hs_meeting_title\":\"Review\",\"hs_meeting_start_time\":\"2027-03-10T08:00:00Z\","
		"\"hs_meeting_end_time\":\"2027-03-10T09:00:00Z\",\"hs_timestamp\":\"2027-03-10T08:00:00Z\","
		"\"hs_meeting_body\":\"Agenda &amp; notes<br>Second line\",\"hs_meeting_location\":\"Room 1\","
		"\"hs_meeting_location_type\":\"ADDRESS\",\"hs_activity_type\":\"Demo\","
		"\"hs_meeting_outcome\":\"SCHEDULED\"},\"timezone\":\"Europe/Paris\"}";
	static const struct {
		const gchar *name;
		const gchar *value;	/* NULL: JSON null */
		gboolean matches;
	} cases[] = {
		{ NULL, NULL, TRUE },
		{ "hs_meeting_start_time", "2027-03-10T09:00:00+01:00", TRUE },
		{ "hs_meeting_end_time", "1804669200000", TRUE },
		{ "hs_meeting_body", "<p>Agenda &amp; notes<br/>\n Second line</p>", TRUE },
		{ "hs_internal_meeting_notes", "", TRUE },
		{ "hubspot_owner_id", "75000002", FALSE },
		{ "hs_meeting_title", "Review!", FALSE },
		{ "hs_meeting_title", "review", FALSE },
		{ "hs_meeting_start_time", "2027-03-10T08:00:01Z", FALSE },
		{ "hs_meeting_end_time", "2027-03-10T09:30:00Z", FALSE },
		{ "hs_meeting_end_time", NULL, FALSE },
		{ "hs_timestamp", "2027-03-10T08:30:00Z", FALSE },
		{ "hs_meeting_body", "Agenda and notes", FALSE },
		{ "hs_meeting_body", NULL, FALSE },
		{ "hs_meeting_location", "Room 2", FALSE },
		{ "hs_meeting_location_type", "CUSTOM", FALSE },
		{ "hs_internal_meeting_notes", "Someone's notes", FALSE },
		{ "hs_activity_type", "Call", FALSE },
		{ "hs_meeting_outcome", "CANCELED", FALSE },
		{ "hs_meeting_outcome", NULL, FALSE }
	};
	g_autoptr(JsonNode) sent = parse_json (sent_text);
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) meeting = parse_json (sent_text);
		JsonObject *props = json_object_get_object_member (json_node_get_object (meeting), "properties");

		/* The search's answer: strings, and whatever it adds. */
		json_object_set_string_member (props, "hs_object_id", "1000001");
		json_object_set_string_member (props, "hs_createdate", "2027-03-01T10:00:00.000Z");
		if (cases[ii].name && cases[ii].value)
			json_object_set_string_member (props, cases[ii].name, cases[ii].value);
		else if (cases[ii].name)
			json_object_set_null_member (props, cases[ii].name);

		g_test_message ("%s = %s", cases[ii].name, cases[ii].value);
		g_assert_cmpint (e_hubspot_requests_meeting_matches (sent, meeting), ==, cases[ii].matches);
	}

	g_assert_false (e_hubspot_requests_meeting_matches (sent, NULL));
	g_assert_false (e_hubspot_requests_meeting_matches (NULL, sent));
}

static void
test_row_extra (void)
{
	struct {
		EHubSpotRowState state;
		const gchar *id;
		const gchar *extra;
	} cases[] = {
		{ E_HUBSPOT_ROW_PENDING, NULL, "pending" },
		{ E_HUBSPOT_ROW_PENDING, "12", "pending" },
		{ E_HUBSPOT_ROW_DIRTY, "12", "dirty:12" },
		{ E_HUBSPOT_ROW_SYNCED, "12", "synced:12" },
		{ E_HUBSPOT_ROW_FAILED, NULL, "failed" },
		{ E_HUBSPOT_ROW_FAILED, "12", "failed:12" },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autofree gchar *extra = e_hubspot_row_extra_new (cases[ii].state, cases[ii].id);
		g_autofree gchar *id = NULL;

		g_assert_cmpstr (extra, ==, cases[ii].extra);
		g_assert_cmpint (e_hubspot_row_extra_parse (extra, &id), ==, cases[ii].state);
		if (cases[ii].state != E_HUBSPOT_ROW_PENDING)
			g_assert_cmpstr (id, ==, cases[ii].id);
	}

	g_assert_cmpint (e_hubspot_row_extra_parse (NULL, NULL), ==, E_HUBSPOT_ROW_NEW);
	g_assert_cmpint (e_hubspot_row_extra_parse ("something-else", NULL), ==, E_HUBSPOT_ROW_NEW);
	g_assert_cmpint (e_hubspot_row_extra_parse ("synced", NULL), ==, E_HUBSPOT_ROW_SYNCED);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	e_source_hubspot_type_register ();

	g_test_add_func ("/error/full-body", test_error_full_body);
	g_test_add_func ("/error/rate-limit", test_error_rate_limit);
	g_test_add_func ("/error/missing-scopes", test_error_missing_scopes);
	g_test_add_func ("/error/not-hubspot", test_error_not_hubspot);
	g_test_add_func ("/retry/permanent", test_retry_permanent);
	g_test_add_func ("/retry/backoff", test_retry_backoff);
	g_test_add_func ("/retry/hubspot-says", test_retry_hubspot_says);
	g_test_add_func ("/source/keys", test_source_keys);
	g_test_add_func ("/source/api-url", test_api_url_check);
	g_test_add_func ("/pacer/window", test_pacer_window);
	g_test_add_func ("/pacer/headers", test_pacer_headers);
	g_test_add_func ("/requests/update-and-cancel", test_requests_update_and_cancel);
	g_test_add_func ("/requests/lookup", test_requests_lookup);
	g_test_add_func ("/requests/meeting-matches", test_requests_meeting_matches);
	g_test_add_func ("/state/row-extra", test_row_extra);

	return g_test_run ();
}
