/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Meetings coming back (docs/design.md, "A refresh"): a HubSpot meeting as an event,
 * HubSpot's HTML as text, the window search and its pages, and what a
 * refresh does with a meeting changed in HubSpot, conflicts both ways. */

#include <string.h>
#include <libecal/libecal.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-meeting-event.h"
#include "common/e-hubspot-requests.h"

#define NOW_2027 1806019200	/* 2027-03-26T00:00:00Z */

static JsonNode *
json_parse (const gchar *text)
{
	GError *error = NULL;
	JsonNode *node = json_from_string (text, &error);

	g_assert_no_error (error);
	g_assert_nonnull (node);

	return node;
}

static ICalComponent *
event_new (const gchar *lines)
{
	g_autofree gchar *text = g_strconcat ("BEGIN:VEVENT\r\nUID:local@example.com\r\n", lines, "END:VEVENT\r\n", NULL);
	ICalComponent *vevent = i_cal_component_new_from_string (text);

	g_assert_nonnull (vevent);
	g_assert_cmpint (i_cal_component_isa (vevent), ==, I_CAL_VEVENT_COMPONENT);

	return vevent;
}

static void
context_init (EHubSpotMappingContext *context)
{
	memset (context, 0, sizeof (EHubSpotMappingContext));
	context->owner_id = "75000001";
	context->now = NOW_2027;
	context->calendar_zone = i_cal_timezone_get_builtin_timezone ("Europe/Paris");
}

static JsonNode *
build_request (ICalComponent *vevent)
{
	EHubSpotMappingContext context;
	GError *error = NULL;
	JsonNode *request;

	context_init (&context);
	request = e_hubspot_mapping_build_meeting (vevent, &context, &error);
	g_assert_no_error (error);

	return request;
}

/* The event's text, without the line folding and with \n endings. */
static gchar *
event_text (ICalComponent *vevent)
{
	g_autofree gchar *text = i_cal_component_as_ical_string (vevent);
	GString *out = g_string_new (NULL);
	const gchar *p;

	for (p = text; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		if (*p != '\r')
			g_string_append_c (out, *p);
	}

	return g_string_free (out, FALSE);
}

static gchar *
dup_x (ICalComponent *vevent,
       const gchar *name)
{
	return e_hubspot_mapping_dup_x_property (vevent, name);
}

static guint
count_x (ICalComponent *vevent,
	 const gchar *name)
{
	ICalProperty *prop;
	guint count = 0;

	for (prop = i_cal_component_get_first_property (vevent, I_CAL_X_PROPERTY);
	     prop;
	     g_object_unref (prop), prop = i_cal_component_get_next_property (vevent, I_CAL_X_PROPERTY)) {
		if (g_strcmp0 (i_cal_property_get_x_name (prop), name) == 0)
			count++;
	}

	return count;
}

/* HTML to text */

static void
test_html_to_text (void)
{
	static const struct {
		const gchar *html;
		const gchar *text;
	} cases[] = {
		/* Our own body (mapping_description_to_html): exact. */
		{ "Agenda:<br>1. numbers<br>2. &lt;plans&gt; &amp; &quot;more&quot; &#39;quoted&#39;",
		  "Agenda:\n1. numbers\n2. <plans> & \"more\" 'quoted'" },
		{ "two<br><br>blank  lines kept", "two\n\nblank  lines kept" },
		/* HubSpot's editor. */
		{ "<p>Hello&nbsp;world</p>\n<p>Second <strong>line</strong></p>", "Hello world\nSecond line" },
		{ "<div><p>Nested</p></div><ul><li>one</li><li>two</li></ul>", "Nested\none\ntwo" },
		{ "<P CLASS=\"x>y\">Attribute with &gt; inside</P>", "Attribute with > inside" },
		{ "line<br/>break<BR />again", "line\nbreak\nagain" },
		{ "a<!-- a comment <b> -->b", "ab" },
		{ "<style>p { color: red; }</style>Styled", "Styled" },
		{ "&#x41;&#66;&#xe9; &unknown; & alone", "ABé &unknown; & alone" },
		{ "a < b and c > d", "a < b and c > d" },
		{ "<p>unterminated <b", "unterminated <b" },
		{ "  \n<p>  trimmed  </p>\n  ", "trimmed" },
		{ "", "" },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autofree gchar *text = e_hubspot_meeting_event_html_to_text (cases[ii].html);

		g_test_message ("%s", cases[ii].html);
		g_assert_cmpstr (text, ==, cases[ii].text);
	}

	g_assert_null (e_hubspot_meeting_event_html_to_text (NULL));
}

/* A DESCRIPTION goes to HubSpot as HTML and comes back as itself. */
static void
test_html_round_trip (void)
{
	static const gchar *descriptions[] = {
		"Plain",
		"Line one\nLine two\n\nafter a blank line",
		"Symbols: <tag> & \"quotes\" 'apostrophes' > <",
		"Indented\n    code & stuff",
		"Ünïcödé — “typographic” ✓",
		"Windows\r\nline ends",
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (descriptions); ii++) {
		ICalComponent *vevent = event_new ("DTSTART:20270412T090000Z\r\nDTEND:20270412T100000Z\r\n");
		g_autoptr(JsonNode) request = NULL;
		g_autofree gchar *text = NULL;
		g_autofree gchar *expected = NULL;
		JsonObject *props;

		i_cal_component_set_description (vevent, descriptions[ii]);
		request = build_request (vevent);
		props = json_object_get_object_member (json_node_get_object (request), "properties");
		text = e_hubspot_meeting_event_html_to_text (json_object_get_string_member (props, "hs_meeting_body"));

		/* CR LF is one line break. */
		expected = g_strdup (descriptions[ii]);
		if (strstr (expected, "\r\n")) {
			g_free (expected);
			expected = g_strdup ("Windows\nline ends");
		}
		g_assert_cmpstr (text, ==, expected);
		g_object_unref (vevent);
	}
}

/* Reading meetings */

static void
test_parse_time (void)
{
	g_assert_cmpint (e_hubspot_requests_parse_time_ms ("2027-04-12T09:00:00Z"), ==, G_GINT64_CONSTANT (1807520400000));
	g_assert_cmpint (e_hubspot_requests_parse_time_ms ("2027-04-12T09:00:00.250Z"), ==, G_GINT64_CONSTANT (1807520400250));
	g_assert_cmpint (e_hubspot_requests_parse_time_ms ("2027-04-12T11:00:00+02:00"), ==, G_GINT64_CONSTANT (1807520400000));
	g_assert_cmpint (e_hubspot_requests_parse_time_ms ("1807520400000"), ==, G_GINT64_CONSTANT (1807520400000));
	g_assert_cmpint (e_hubspot_requests_parse_time_ms ("yesterday"), ==, G_MININT64);
	g_assert_cmpint (e_hubspot_requests_parse_time_ms (""), ==, G_MININT64);
	g_assert_cmpint (e_hubspot_requests_parse_time_ms (NULL), ==, G_MININT64);
}

/* The outbox's lookup reads a search answer's start with the same parser. */
static void
test_lookup_key_matches (void)
{
	const EHubSpotLookupKey key = { "Quarterly review", "2027-04-12T09:00:00Z" };

	g_assert_true (e_hubspot_requests_key_matches (&key, "Quarterly review", "2027-04-12T09:00:00.000Z"));
	g_assert_true (e_hubspot_requests_key_matches (&key, "Quarterly review", "2027-04-12T11:00:00+02:00"));
	g_assert_false (e_hubspot_requests_key_matches (&key, "Quarterly review", "2027-04-12T09:00:01Z"));
	g_assert_false (e_hubspot_requests_key_matches (&key, "Quarterly Review", "2027-04-12T09:00:00Z"));
	g_assert_false (e_hubspot_requests_key_matches (&key, "Quarterly review", "not a time"));
	g_assert_false (e_hubspot_requests_key_matches (&key, "Quarterly review", NULL));
}

/* HubSpot's answers carry the time of the meeting's last change under
 * three names; the write-back keeps it on the event. */
static void
test_response_last_modified (void)
{
	static const struct {
		const gchar *json;
		const gchar *expected;
	} cases[] = {
		/* The scheduler's create. */
		{ "{\"id\":\"1\",\"createdAt\":\"2027-03-01T10:00:00.000Z\",\"lastUpdatedAt\":\"2027-03-01T10:00:00.123Z\","
		  "\"properties\":{\"hs_lastmodifieddate\":\"2027-03-01T10:00:00.000Z\"}}", "2027-03-01T10:00:00.123Z" },
		/* The CRM's create, PATCH, read and search. */
		{ "{\"id\":\"1\",\"updatedAt\":\"2027-03-02T10:00:00.456Z\",\"properties\":{}}", "2027-03-02T10:00:00.456Z" },
		{ "{\"id\":\"1\",\"properties\":{\"hs_lastmodifieddate\":\"2027-03-03T10:00:00.789Z\"}}", "2027-03-03T10:00:00.789Z" },
		{ "{\"id\":\"1\",\"updatedAt\":null,\"properties\":{\"hs_lastmodifieddate\":null}}", NULL },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) node = json_parse (cases[ii].json);
		EHubSpotMeetingResult result = { 0, };
		ICalComponent *vevent = event_new ("DTSTART:20270412T090000Z\r\n");
		g_autofree gchar *stored = NULL;

		g_assert_true (e_hubspot_mapping_parse_meeting_response (node, NULL, NULL, &result, NULL));
		g_assert_cmpstr (result.last_modified, ==, cases[ii].expected);
		e_hubspot_mapping_apply_result (vevent, &result);
		stored = dup_x (vevent, E_HUBSPOT_PROP_LAST_MODIFIED);
		g_assert_cmpstr (stored, ==, cases[ii].expected);
		e_hubspot_meeting_result_clear (&result);
		g_assert_null (result.last_modified);
		g_object_unref (vevent);
	}
}

/* The event a meeting becomes */

static const gchar *booked_meeting =
	"{\"id\":\"512\",\"createdAt\":\"2027-03-20T08:15:00.000Z\",\"updatedAt\":\"2027-03-21T14:30:05.250Z\","
	"\"archived\":false,\"properties\":{"
	"\"hs_meeting_title\":\"Demo with ACME\","
	"\"hs_meeting_start_time\":\"2027-04-12T09:00:00.000Z\","
	"\"hs_meeting_end_time\":\"2027-04-12T09:45:00.000Z\","
	"\"hs_meeting_body\":\"<p>Booked through the <b>meetings page</b>.</p><p>Questions &amp; answers</p>\","
	"\"hs_meeting_location\":\"https://meet.example.com/acme\","
	"\"hs_internal_meeting_notes\":\"<p>Call them back</p>\","
	"\"hs_meeting_outcome\":\"SCHEDULED\","
	"\"hs_meeting_external_url\":null,"
	"\"hubspot_owner_id\":\"75000001\","
	"\"hs_createdate\":\"2027-03-20T08:15:00.000Z\","
	"\"hs_lastmodifieddate\":\"2027-03-21T14:30:05.250Z\"}}";

static void
test_new_event (void)
{
	g_autoptr(JsonNode) meeting = json_parse (booked_meeting);
	g_autofree gchar *text = NULL;
	GError *error = NULL;
	ICalComponent *vevent;

	vevent = e_hubspot_meeting_event_new (meeting, "app-eu1.hubspot.com", "4242", &error);
	g_assert_no_error (error);
	g_assert_nonnull (vevent);

	text = event_text (vevent);
	g_assert_cmpstr (text, ==,
		"BEGIN:VEVENT\n"
		"UID:hubspot-meeting-512\n"
		"DTSTAMP:20270321T143005Z\n"
		"CREATED:20270320T081500Z\n"
		"LAST-MODIFIED:20270321T143005Z\n"
		"SUMMARY:Demo with ACME\n"
		"DTSTART:20270412T090000Z\n"
		"DTEND:20270412T094500Z\n"
		"DESCRIPTION:Booked through the meetings page.\\nQuestions & answers\n"
		"LOCATION:https://meet.example.com/acme\n"
		"COMMENT:Call them back\n"
		"X-HUBSPOT-MEETING-ID:512\n"
		"URL:https://app-eu1.hubspot.com/contacts/4242/record/0-47/512\n"
		"X-HUBSPOT-MEETING-URL:https://app-eu1.hubspot.com/contacts/4242/record/0-47/512\n"
		"X-HUBSPOT-RECORD-URL:https://app-eu1.hubspot.com/contacts/4242/record/0-47/512\n"
		"X-HUBSPOT-LAST-MODIFIED:2027-03-21T14:30:05.250Z\n"
		"X-HUBSPOT-SYNC-STATE:synced\n"
		"END:VEVENT\n");

	g_object_unref (vevent);
}

/* HubSpot's own link goes to URL; cancelled meetings are cancelled
 * events; without the account's details there is no record page. */
static void
test_new_event_variants (void)
{
	g_autoptr(JsonNode) meeting = json_parse (
		"{\"id\":77,\"properties\":{"
		"\"hs_meeting_title\":\"\",\"hs_timestamp\":\"1807520400000\","
		"\"hs_meeting_end_time\":\"2027-04-12T08:00:00Z\","
		"\"hs_meeting_outcome\":\"CANCELED\","
		"\"hs_internal_meeting_notes\":\"plain notes a<b\","
		"\"hs_meeting_external_url\":\"https://meet.example.com/mock/77\"}}");
	g_autofree gchar *text = NULL;
	GError *error = NULL;
	ICalComponent *vevent;

	vevent = e_hubspot_meeting_event_new (meeting, NULL, NULL, &error);
	g_assert_no_error (error);

	/* No title, the start from hs_timestamp, an end before the start
	 * made the start, no modification time: DTSTAMP is the start. */
	text = event_text (vevent);
	g_assert_cmpstr (text, ==,
		"BEGIN:VEVENT\n"
		"UID:hubspot-meeting-77\n"
		"DTSTAMP:20270412T090000Z\n"
		"DTSTART:20270412T090000Z\n"
		"DTEND:20270412T090000Z\n"
		"COMMENT:plain notes a<b\n"
		"STATUS:CANCELLED\n"
		"X-HUBSPOT-MEETING-ID:77\n"
		"URL:https://meet.example.com/mock/77\n"
		"X-HUBSPOT-MEETING-URL:https://meet.example.com/mock/77\n"
		"X-HUBSPOT-SYNC-STATE:synced\n"
		"END:VEVENT\n");
	g_object_unref (vevent);
}

static void
test_new_event_bad (void)
{
	static const gchar *bad[] = {
		"{\"properties\":{\"hs_meeting_start_time\":\"2027-04-12T09:00:00Z\"}}",
		"{\"id\":\"9\",\"properties\":{\"hs_meeting_title\":\"No start\"}}",
		"{\"id\":\"9\",\"properties\":{\"hs_meeting_start_time\":\"soon\"}}",
		"[]",
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (bad); ii++) {
		g_autoptr(JsonNode) meeting = json_parse (bad[ii]);
		GError *error = NULL;

		g_assert_null (e_hubspot_meeting_event_new (meeting, "app.hubspot.com", "1", &error));
		g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
		g_clear_error (&error);
	}

	{
		g_autofree gchar *uid = e_hubspot_meeting_event_make_uid ("98765432101");

		g_assert_cmpstr (uid, ==, "hubspot-meeting-98765432101");
	}
}

/* The search */

static void
assert_json_equal (JsonNode *node,
		   const gchar *expected_text)
{
	g_autoptr(JsonNode) expected = json_parse (expected_text);
	g_autofree gchar *got = json_to_string (node, FALSE);

	g_test_message ("got %s", got);
	g_assert_true (json_node_equal (node, expected));
}

static void
test_search_body (void)
{
	g_autoptr(JsonNode) first = NULL;
	g_autoptr(JsonNode) second = NULL;
	const gchar *expected_format =
		"{\"filterGroups\":[{\"filters\":["
		"{\"propertyName\":\"hubspot_owner_id\",\"operator\":\"EQ\",\"value\":\"75000001\"},"
		"{\"propertyName\":\"hs_meeting_start_time\",\"operator\":\"BETWEEN\","
		"\"value\":\"1803427200000\",\"highValue\":\"1813795200000\"}]}],"
		"\"properties\":[\"hs_meeting_title\",\"hs_meeting_start_time\",\"hs_meeting_end_time\","
		"\"hs_meeting_body\",\"hs_meeting_location\",\"hs_internal_meeting_notes\",\"hs_meeting_outcome\","
		"\"hs_meeting_external_url\",\"hubspot_owner_id\",\"hs_createdate\",\"hs_lastmodifieddate\"],"
		"\"sorts\":[{\"propertyName\":\"hs_object_id\",\"direction\":\"ASCENDING\"}],"
		"\"limit\":200%s}";
	g_autofree gchar *expected_first = g_strdup_printf (expected_format, "");
	g_autofree gchar *expected_second = g_strdup_printf (expected_format, ",\"after\":\"200\"");

	/* 30 days back, 90 ahead. */
	first = e_hubspot_requests_window_search_body ("75000001", NOW_2027 - 30 * 86400, NOW_2027 + 90 * 86400,
		e_hubspot_meeting_event_properties (), NULL);
	assert_json_equal (first, expected_first);
	second = e_hubspot_requests_window_search_body ("75000001", NOW_2027 - 30 * 86400, NOW_2027 + 90 * 86400,
		e_hubspot_meeting_event_properties (), "200");
	assert_json_equal (second, expected_second);
}

static void
test_search_pages (void)
{
	g_autoptr(GPtrArray) meetings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
	g_autoptr(JsonNode) first = json_parse (
		"{\"total\":3,\"results\":["
		"{\"id\":\"1\",\"properties\":{}},"
		"{\"properties\":{\"hs_meeting_title\":\"no id: skipped\"}},"
		"\"not an object\","
		"{\"id\":2,\"properties\":{}}],"
		"\"paging\":{\"next\":{\"after\":\"2\",\"link\":\"?after=2\"}}}");
	g_autoptr(JsonNode) numeric = json_parse ("{\"results\":[],\"paging\":{\"next\":{\"after\":400}}}");
	g_autoptr(JsonNode) last = json_parse ("{\"total\":3,\"results\":[{\"id\":\"3\",\"properties\":{}}]}");
	GError *error = NULL;
	gchar *after = NULL;
	guint ii;

	g_assert_true (e_hubspot_requests_read_search_page (first, meetings, &after, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (after, ==, "2");
	g_clear_pointer (&after, g_free);
	g_assert_cmpuint (meetings->len, ==, 2);

	g_assert_true (e_hubspot_requests_read_search_page (numeric, meetings, &after, &error));
	g_assert_cmpstr (after, ==, "400");
	g_clear_pointer (&after, g_free);

	g_assert_true (e_hubspot_requests_read_search_page (last, meetings, &after, &error));
	g_assert_null (after);
	g_assert_cmpuint (meetings->len, ==, 3);
	for (ii = 0; ii < meetings->len; ii++) {
		JsonNode *id = json_object_get_member (json_node_get_object (g_ptr_array_index (meetings, ii)), "id");
		g_autofree gchar *expected = g_strdup_printf ("%u", ii + 1);
		g_autofree gchar *text = json_node_get_value_type (id) == G_TYPE_STRING ?
			g_strdup (json_node_get_string (id)) :
			g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));

		g_assert_cmpstr (text, ==, expected);
	}

	{
		g_autoptr(JsonNode) error_body = json_parse ("{\"status\":\"error\",\"message\":\"nope\"}");
		g_autoptr(JsonNode) array = json_parse ("[1,2]");

		g_assert_false (e_hubspot_requests_read_search_page (error_body, meetings, &after, &error));
		g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
		g_clear_error (&error);
		g_assert_false (e_hubspot_requests_read_search_page (array, meetings, &after, &error));
		g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
		g_clear_error (&error);
		g_assert_false (e_hubspot_requests_read_search_page (NULL, meetings, &after, &error));
		g_clear_error (&error);
		g_assert_null (after);
		g_assert_cmpuint (meetings->len, ==, 3);
	}
}

/* Differences */

#define LOCAL_EVENT \
	"DTSTAMP:20270320T080000Z\r\n" \
	"LAST-MODIFIED:20270320T080000Z\r\n" \
	"SUMMARY:Quarterly review\r\n" \
	"DTSTART;TZID=Europe/Paris:20270412T110000\r\n" \
	"DTEND;TZID=Europe/Paris:20270412T120000\r\n" \
	"DESCRIPTION:Agenda:\\n1. numbers & <plans>\r\n" \
	"LOCATION:Room 1\r\n" \
	"X-HUBSPOT-MEETING-ID:512\r\n" \
	"X-HUBSPOT-LAST-MODIFIED:2027-03-20T08:00:01.000Z\r\n" \
	"X-HUBSPOT-SYNC-STATE:synced\r\n"

/* The meeting the event above made, as HubSpot lists it. */
static JsonNode *
meeting_new (const gchar *last_modified,
	     const gchar *title,
	     const gchar *start,
	     const gchar *end,
	     const gchar *outcome)
{
	g_autofree gchar *text = g_strdup_printf (
		"{\"id\":\"512\",\"updatedAt\":\"%s\",\"properties\":{"
		"\"hs_meeting_title\":\"%s\","
		"\"hs_meeting_start_time\":\"%s\","
		"\"hs_meeting_end_time\":\"%s\","
		"\"hs_meeting_body\":\"<p>Agenda:</p><p>1. numbers &amp; &lt;plans&gt;</p>\","
		"\"hs_meeting_location\":\"Room 1\","
		"\"hs_meeting_outcome\":\"%s\","
		"\"hs_internal_meeting_notes\":null,"
		"\"hubspot_owner_id\":\"75000001\","
		"\"hs_lastmodifieddate\":\"%s\"}}",
		last_modified, title, start, end, outcome, last_modified);

	return json_parse (text);
}

static void
test_diff (void)
{
	ICalComponent *vevent = event_new (LOCAL_EVENT);
	g_autoptr(JsonNode) request = build_request (vevent);
	g_autoptr(JsonNode) same = meeting_new ("2027-03-22T10:00:00.000Z", "Quarterly review",
		"2027-04-12T09:00:00.000Z", "1807524000000", "COMPLETED");
	g_autoptr(JsonNode) other = meeting_new ("2027-03-22T10:00:00.000Z", "Quarterly review (moved)",
		"2027-04-12T10:00:00Z", "2027-04-12T11:00:00Z", "CANCELED");
	g_autoptr(JsonNode) empty = json_parse ("{\"id\":\"512\",\"properties\":{}}");

	/* Same instants written otherwise, the body's markup rewritten, an
	 * outcome HubSpot set on its own: no difference. */
	g_assert_cmpint (e_hubspot_meeting_event_diff (request, same), ==, E_HUBSPOT_MEETING_DIFF_NONE);

	g_assert_cmpint (e_hubspot_meeting_event_diff (request, other), ==,
		E_HUBSPOT_MEETING_DIFF_TITLE | E_HUBSPOT_MEETING_DIFF_START | E_HUBSPOT_MEETING_DIFF_END |
		E_HUBSPOT_MEETING_DIFF_CANCELLED);

	g_assert_cmpint (e_hubspot_meeting_event_diff (request, empty), ==,
		E_HUBSPOT_MEETING_DIFF_TITLE | E_HUBSPOT_MEETING_DIFF_START | E_HUBSPOT_MEETING_DIFF_END |
		E_HUBSPOT_MEETING_DIFF_BODY | E_HUBSPOT_MEETING_DIFF_LOCATION);

	/* Nothing to compare with: everything differs. */
	g_assert_cmpint (e_hubspot_meeting_event_diff (NULL, same), ==,
		E_HUBSPOT_MEETING_DIFF_TITLE | E_HUBSPOT_MEETING_DIFF_START | E_HUBSPOT_MEETING_DIFF_END |
		E_HUBSPOT_MEETING_DIFF_BODY | E_HUBSPOT_MEETING_DIFF_LOCATION | E_HUBSPOT_MEETING_DIFF_NOTES |
		E_HUBSPOT_MEETING_DIFF_CANCELLED);

	g_object_unref (vevent);
}

static void
test_pick_winner (void)
{
	const gint64 local = 1806400000;	/* whole seconds */

	/* The newer change wins, to the millisecond HubSpot gives. */
	g_assert_cmpint (e_hubspot_meeting_event_pick_winner (local, local * 1000 + 1000), ==, E_HUBSPOT_WINNER_HUBSPOT);
	g_assert_cmpint (e_hubspot_meeting_event_pick_winner (local, local * 1000 - 1), ==, E_HUBSPOT_WINNER_LOCAL);
	g_assert_cmpint (e_hubspot_meeting_event_pick_winner (local + 60, local * 1000), ==, E_HUBSPOT_WINNER_LOCAL);
	/* LAST-MODIFIED has whole seconds: within one, the local change stays. */
	g_assert_cmpint (e_hubspot_meeting_event_pick_winner (local, local * 1000 + 999), ==, E_HUBSPOT_WINNER_LOCAL);
	/* A side without a time loses. */
	g_assert_cmpint (e_hubspot_meeting_event_pick_winner (G_MININT64, local * 1000), ==, E_HUBSPOT_WINNER_HUBSPOT);
	g_assert_cmpint (e_hubspot_meeting_event_pick_winner (local, G_MININT64), ==, E_HUBSPOT_WINNER_LOCAL);
}

/* Merging */

static EHubSpotMergeResult
merge (ICalComponent *vevent,
       JsonNode *meeting,
       gboolean local_pending)
{
	EHubSpotMappingContext context;

	context_init (&context);

	return e_hubspot_meeting_event_merge (vevent, meeting, local_pending, &context, "app.hubspot.com", "4242");
}

static void
test_merge_nothing_new (void)
{
	ICalComponent *vevent = event_new (LOCAL_EVENT);
	g_autofree gchar *before = event_text (vevent);
	g_autofree gchar *after = NULL;
	g_autoptr(JsonNode) older = meeting_new ("2027-03-20T08:00:01.000Z", "Renamed",
		"2027-04-12T09:00:00Z", "2027-04-12T10:00:00Z", "SCHEDULED");
	g_autoptr(JsonNode) same = meeting_new ("2027-03-22T10:00:00.000Z", "Quarterly review",
		"2027-04-12T09:00:00Z", "2027-04-12T10:00:00Z", "SCHEDULED");

	/* Not changed since the event heard of it (even if it differs). */
	g_assert_cmpint (merge (vevent, older, FALSE), ==, E_HUBSPOT_MERGE_NONE);
	/* Changed, but nothing that shows in the event. */
	g_assert_cmpint (merge (vevent, same, TRUE), ==, E_HUBSPOT_MERGE_NONE);

	after = event_text (vevent);
	g_assert_cmpstr (after, ==, before);
	g_object_unref (vevent);
}

/* No local change waits: HubSpot's change goes onto the event, in the
 * event's own zone. */
static void
test_merge_updated (void)
{
	ICalComponent *vevent = event_new (LOCAL_EVENT);
	g_autoptr(JsonNode) meeting = meeting_new ("2027-03-22T10:00:00.500Z", "Quarterly review (moved)",
		"2027-04-13T07:30:00Z", "2027-04-13T08:30:00Z", "SCHEDULED");
	g_autofree gchar *text = NULL;

	g_assert_cmpint (merge (vevent, meeting, FALSE), ==, E_HUBSPOT_MERGE_UPDATED);

	text = event_text (vevent);
	g_assert_cmpstr (text, ==,
		"BEGIN:VEVENT\n"
		"UID:local@example.com\n"
		"DTSTAMP:20270320T080000Z\n"
		"DTSTART;TZID=Europe/Paris:20270413T093000\n"
		"DTEND;TZID=Europe/Paris:20270413T103000\n"
		"DESCRIPTION:Agenda:\\n1. numbers & <plans>\n"
		"LOCATION:Room 1\n"
		"X-HUBSPOT-MEETING-ID:512\n"
		"X-HUBSPOT-LAST-MODIFIED:2027-03-22T10:00:00.500Z\n"
		"X-HUBSPOT-SYNC-STATE:synced\n"
		"SUMMARY:Quarterly review (moved)\n"
		"LAST-MODIFIED:20270322T100000Z\n"
		"URL:https://app.hubspot.com/contacts/4242/record/0-47/512\n"
		"X-HUBSPOT-MEETING-URL:https://app.hubspot.com/contacts/4242/record/0-47/512\n"
		"X-HUBSPOT-RECORD-URL:https://app.hubspot.com/contacts/4242/record/0-47/512\n"
		"END:VEVENT\n");
	g_assert_cmpuint (count_x (vevent, E_HUBSPOT_PROP_CONFLICT), ==, 0);

	g_object_unref (vevent);
}

/* A DURATION gives way to the meeting's end; a cancelled meeting cancels
 * the event, and a meeting scheduled again clears it. */
static void
test_merge_duration_and_status (void)
{
	ICalComponent *vevent = event_new (
		"DTSTART:20270412T090000Z\r\nDURATION:PT1H\r\nSUMMARY:Short\r\n"
		"X-HUBSPOT-LAST-MODIFIED:2027-03-20T08:00:00.000Z\r\n");
	g_autoptr(JsonNode) cancelled = meeting_new ("2027-03-22T10:00:00.000Z", "Short",
		"2027-04-12T09:00:00Z", "2027-04-12T09:30:00Z", "CANCELED");
	g_autoptr(JsonNode) again = meeting_new ("2027-03-23T10:00:00.000Z", "Short",
		"2027-04-12T09:00:00Z", "2027-04-12T09:30:00Z", "RESCHEDULED");
	ICalProperty *prop;
	g_autofree gchar *dtend = NULL;

	g_assert_cmpint (merge (vevent, cancelled, FALSE), ==, E_HUBSPOT_MERGE_UPDATED);
	g_assert_false (e_cal_util_component_has_property (vevent, I_CAL_DURATION_PROPERTY));
	prop = i_cal_component_get_first_property (vevent, I_CAL_DTEND_PROPERTY);
	g_assert_nonnull (prop);
	dtend = i_cal_property_get_value_as_string (prop);
	g_assert_cmpstr (dtend, ==, "20270412T093000Z");
	g_object_unref (prop);
	g_assert_cmpint (i_cal_component_get_status (vevent), ==, I_CAL_STATUS_CANCELLED);

	g_assert_cmpint (merge (vevent, again, FALSE), ==, E_HUBSPOT_MERGE_UPDATED);
	g_assert_false (e_cal_util_component_has_property (vevent, I_CAL_STATUS_PROPERTY));

	g_object_unref (vevent);
}

/* Both sides changed; HubSpot's change is newer: it is on the event, and
 * the local values are kept in X-HUBSPOT-CONFLICT and the description. */
static void
test_merge_conflict_hubspot_wins (void)
{
	ICalComponent *vevent = event_new (LOCAL_EVENT);
	g_autoptr(JsonNode) meeting = meeting_new ("2027-03-20T08:05:00.000Z", "Review, HubSpot's title",
		"2027-04-12T13:00:00Z", "2027-04-12T14:00:00Z", "SCHEDULED");
	g_autofree gchar *conflict = NULL;
	g_autofree gchar *last_modified = NULL;
	const gchar *expected_conflict =
		"HubSpot’s change (2027-03-20T08:05:00Z) won over this calendar’s (2027-03-20T08:00:00Z); "
		"lost: title “Quarterly review”, start 2027-04-12T09:00:00Z, end 2027-04-12T10:00:00Z, location “Room 1”";
	g_autofree gchar *expected_description = g_strconcat ("Agenda:\n1. numbers & <plans>\n\nSync conflict: ",
		expected_conflict, NULL);

	g_assert_cmpint (merge (vevent, meeting, TRUE), ==, E_HUBSPOT_MERGE_HUBSPOT_WON);

	g_assert_cmpstr (i_cal_component_get_summary (vevent), ==, "Review, HubSpot's title");
	conflict = dup_x (vevent, E_HUBSPOT_PROP_CONFLICT);
	g_assert_cmpstr (conflict, ==, expected_conflict);
	g_assert_cmpstr (i_cal_component_get_description (vevent), ==, expected_description);
	last_modified = dup_x (vevent, E_HUBSPOT_PROP_LAST_MODIFIED);
	g_assert_cmpstr (last_modified, ==, "2027-03-20T08:05:00.000Z");

	{
		ICalProperty *prop = i_cal_component_get_first_property (vevent, I_CAL_DTSTART_PROPERTY);
		g_autofree gchar *text = i_cal_property_as_ical_string (prop);

		g_assert_cmpstr (text, ==, "DTSTART;TZID=Europe/Paris:20270412T150000\r\n");
		g_object_unref (prop);
	}

	g_object_unref (vevent);
}

/* Both sides changed; the local change is newer: the event keeps its
 * values, HubSpot's are kept, and the event now knows HubSpot's change. */
static void
test_merge_conflict_local_wins (void)
{
	ICalComponent *vevent = event_new (
		"DTSTAMP:20270320T080000Z\r\n"
		"LAST-MODIFIED:20270320T081000Z\r\n"
		"SUMMARY:Local title\r\n"
		"DTSTART:20270412T090000Z\r\n"
		"DTEND:20270412T100000Z\r\n"
		"X-HUBSPOT-MEETING-ID:512\r\n"
		"X-HUBSPOT-LAST-MODIFIED:2027-03-20T08:00:01.000Z\r\n"
		"X-HUBSPOT-SYNC-STATE:pending\r\n");
	g_autoptr(JsonNode) meeting = meeting_new ("2027-03-20T08:05:00.000Z", "HubSpot title",
		"2027-04-12T13:00:00Z", "2027-04-12T14:00:00Z", "SCHEDULED");
	g_autofree gchar *conflict = NULL;
	g_autofree gchar *last_modified = NULL;
	g_autofree gchar *state = NULL;
	const gchar *expected_conflict =
		"This calendar’s change (2027-03-20T08:10:00Z) won over HubSpot’s (2027-03-20T08:05:00Z); "
		"lost: title “HubSpot title”, start 2027-04-12T13:00:00Z, end 2027-04-12T14:00:00Z, location “Room 1”";
	g_autofree gchar *expected_description = g_strconcat ("Sync conflict: ", expected_conflict, NULL);

	g_assert_cmpint (merge (vevent, meeting, TRUE), ==, E_HUBSPOT_MERGE_LOCAL_WON);

	g_assert_cmpstr (i_cal_component_get_summary (vevent), ==, "Local title");
	g_assert_false (e_cal_util_component_has_property (vevent, I_CAL_LOCATION_PROPERTY));
	conflict = dup_x (vevent, E_HUBSPOT_PROP_CONFLICT);
	g_assert_cmpstr (conflict, ==, expected_conflict);
	g_assert_cmpstr (i_cal_component_get_description (vevent), ==, expected_description);
	last_modified = dup_x (vevent, E_HUBSPOT_PROP_LAST_MODIFIED);
	g_assert_cmpstr (last_modified, ==, "2027-03-20T08:05:00.000Z");
	/* Still to be sent: the caller decides the state. */
	state = dup_x (vevent, E_HUBSPOT_PROP_SYNC_STATE);
	g_assert_cmpstr (state, ==, "pending");

	/* Seen once, not again; a second conflict adds its own record. */
	g_assert_cmpint (merge (vevent, meeting, TRUE), ==, E_HUBSPOT_MERGE_NONE);
	{
		g_autoptr(JsonNode) later = meeting_new ("2027-03-20T08:06:00.000Z", "HubSpot title 2",
			"2027-04-12T13:00:00Z", "2027-04-12T14:00:00Z", "SCHEDULED");

		g_assert_cmpint (merge (vevent, later, TRUE), ==, E_HUBSPOT_MERGE_LOCAL_WON);
		g_assert_cmpuint (count_x (vevent, E_HUBSPOT_PROP_CONFLICT), ==, 2);
	}

	g_object_unref (vevent);
}

/* Without a LAST-MODIFIED the local side cannot prove it is newer. */
static void
test_merge_conflict_no_local_time (void)
{
	ICalComponent *vevent = event_new (
		"DTSTART:20270412T090000Z\r\nDTEND:20270412T100000Z\r\nSUMMARY:Local\r\n");
	g_autoptr(JsonNode) meeting = meeting_new ("2027-03-20T08:05:00.000Z", "Remote",
		"2027-04-12T09:00:00Z", "2027-04-12T10:00:00Z", "SCHEDULED");
	g_autofree gchar *conflict = NULL;

	g_assert_cmpint (merge (vevent, meeting, TRUE), ==, E_HUBSPOT_MERGE_HUBSPOT_WON);
	g_assert_cmpstr (i_cal_component_get_summary (vevent), ==, "Remote");
	conflict = dup_x (vevent, E_HUBSPOT_PROP_CONFLICT);
	g_assert_cmpstr (conflict, ==,
		"HubSpot’s change (2027-03-20T08:05:00Z) won over this calendar’s (an unknown time); "
		"lost: title “Local”, start 2027-04-12T09:00:00Z, end 2027-04-12T10:00:00Z");

	g_object_unref (vevent);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	/* The expected texts are the untranslated ones. */
	g_setenv ("LANGUAGE", "C", TRUE);

	g_test_add_func ("/meeting-event/html/to-text", test_html_to_text);
	g_test_add_func ("/meeting-event/html/round-trip", test_html_round_trip);
	g_test_add_func ("/meeting-event/parse-time", test_parse_time);
	g_test_add_func ("/meeting-event/lookup-key-matches", test_lookup_key_matches);
	g_test_add_func ("/meeting-event/response/last-modified", test_response_last_modified);
	g_test_add_func ("/meeting-event/new/exact", test_new_event);
	g_test_add_func ("/meeting-event/new/variants", test_new_event_variants);
	g_test_add_func ("/meeting-event/new/bad", test_new_event_bad);
	g_test_add_func ("/meeting-event/search/body", test_search_body);
	g_test_add_func ("/meeting-event/search/pages", test_search_pages);
	g_test_add_func ("/meeting-event/diff", test_diff);
	g_test_add_func ("/meeting-event/conflict/winner", test_pick_winner);
	g_test_add_func ("/meeting-event/merge/nothing-new", test_merge_nothing_new);
	g_test_add_func ("/meeting-event/merge/updated", test_merge_updated);
	g_test_add_func ("/meeting-event/merge/duration-and-status", test_merge_duration_and_status);
	g_test_add_func ("/meeting-event/conflict/hubspot-wins", test_merge_conflict_hubspot_wins);
	g_test_add_func ("/meeting-event/conflict/local-wins", test_merge_conflict_local_wins);
	g_test_add_func ("/meeting-event/conflict/no-local-time", test_merge_conflict_no_local_time);

	return g_test_run ();
}
