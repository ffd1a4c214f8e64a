/* hubspot-mock-api.c: the HubSpot API endpoints of the mock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every handler leaves its answer in the MockRequest (mock_reply_*());
 * hubspot-mock.c sends it, with headers, delays and faults.
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

#define LIST_DEFAULT_LIMIT 10
#define LIST_MAX_LIMIT 100
#define OWNERS_MAX_LIMIT 500
#define OWNERS_DEFAULT_LIMIT 100

const gchar *mock_meeting_default_properties[] = {
	"hs_createdate", "hs_lastmodifieddate", "hs_object_id", NULL
};

/* "/a/b" with prefix "/a" gives "/b"; "/a" gives "" */
static gboolean
strip_prefix (const gchar *path,
	      const gchar *prefix,
	      const gchar **out_rest)
{
	gsize len = strlen (prefix);

	if (strncmp (path, prefix, len) != 0 || (path[len] != '\0' && path[len] != '/'))
		return FALSE;

	*out_rest = path + len;
	if (g_strcmp0 (*out_rest, "/") == 0)
		*out_rest = "";

	return TRUE;
}

static void
append_all (JsonArray *dest,
	    JsonArray *src)
{
	guint ii;

	for (ii = 0; src && ii < json_array_get_length (src); ii++)
		json_array_add_element (dest, json_node_copy (json_array_get_element (src, ii)));
}

/* Parses a non-negative integer query or body value; -1 when absent */
static gboolean
parse_count (const gchar *text,
	     gint64 *out_value)
{
	guint64 value;

	if (!text) {
		*out_value = -1;
		return TRUE;
	}

	if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
		return FALSE;

	*out_value = (gint64) value;

	return TRUE;
}

static gchar **
requested_properties (MockRequest *req)
{
	const gchar *text = mock_query (req, "properties");

	if (!text || !*text)
		return g_strdupv ((gchar **) mock_meeting_default_properties);

	return g_strsplit (text, ",", -1);
}

static void
store_properties (MockMeeting *meeting,
		  JsonObject *properties)
{
	g_autoptr(GList) members = json_object_get_members (properties);
	GList *link;

	for (link = members; link; link = g_list_next (link))
		mock_meeting_set_property_node (meeting, link->data, json_object_get_member (properties, link->data));
}

static void
set_property (MockMeeting *meeting,
	      const gchar *name,
	      const gchar *value)
{
	g_hash_table_replace (meeting->properties, g_strdup (name), g_strdup (value));
}

/* POST /scheduler/2026-03/meetings/calendar?organizerUserId= */
static void
scheduler_create (MockRequest *req)
{
	MockServer *mock = req->mock;
	const gchar *organizer = mock_query (req, "organizerUserId");
	g_autoptr(JsonArray) problems = NULL;
	JsonArray *errors;
	JsonObject *body, *properties, *answer;
	JsonNode *include;
	MockMeeting *meeting;
	g_autofree gchar *uuid = NULL, *created = NULL;

	if (!mock_require_json_body (req))
		return;

	errors = json_array_new ();
	if (!organizer || !*organizer)
		mock_add_error_item (errors, "REQUIRED", "organizerUserId",
			"organizerUserId: the required query parameter is missing");
	else if (!mock_find_owner_by_user_id (mock, organizer))
		mock_add_error_item (errors, "INVALID_VALUE", "organizerUserId",
			"organizerUserId: %s is not the userId of a user in this account (an owner id is not a user id)",
			organizer);

	problems = e_hubspot_mock_schema_collect_meeting_create_problems (req->body);
	append_all (errors, problems);
	if (!problems) {
		mock_check_owner_ids (mock, json_object_get_object_member (json_node_get_object (req->body), "properties"), errors);
		mock_check_meeting_associations (mock, json_object_get_member (json_node_get_object (req->body), "associations"), errors);
	}

	if (json_array_get_length (errors)) {
		mock_reply_validation_errors (req, errors);
		return;
	}
	json_array_unref (errors);

	body = json_node_get_object (req->body);
	properties = json_object_get_object_member (body, "properties");

	meeting = mock_meeting_new (mock);
	store_properties (meeting, properties);
	meeting->timezone = g_strdup (json_object_get_string_member (body, "timezone"));
	meeting->associations = json_node_copy (json_object_get_member (body, "associations"));
	meeting->reminder_schedule = json_node_copy (json_object_get_member (body, "emailReminderSchedule"));
	meeting->organizer_user_id = g_strdup (organizer);

	uuid = g_uuid_string_random ();
	include = json_object_get_member (json_object_get_object_member (body, "emailReminderSchedule"),
		"shouldIncludeInviteDescription");
	set_property (meeting, "hs_engagement_source", "MEETINGS");
	set_property (meeting, "hs_engagement_source_id", organizer);
	set_property (meeting, "hs_unique_id", uuid);
	set_property (meeting, "hs_include_description_in_reminder",
		json_node_get_boolean (include) ? "true" : "false");
	if (mock->external_url) {
		g_autofree gchar *url = g_strdup_printf ("https://meet.example.com/mock/%s", meeting->id);

		set_property (meeting, "hs_meeting_external_url", url);
	}

	mock->n_creates++;

	answer = mock_meeting_to_json (meeting, NULL);
	created = mock_iso_time (meeting->created_ms);
	json_object_remove_member (answer, "updatedAt");
	json_object_remove_member (answer, "archived");
	json_object_set_string_member (answer, "lastUpdatedAt", created);

	mock_reply_object (req, SOUP_STATUS_OK, answer);
}

void
mock_check_crm_meeting_input (MockServer *mock,
			      JsonObject *input,
			      MockMeeting *meeting,
			      JsonArray *errors)
{
	JsonObject *properties = json_object_get_object_member (input, "properties");

	mock_check_owner_ids (mock, properties, errors);
	mock_check_meeting_associations (mock, json_object_get_member (input, "associations"), errors);
	if (meeting)
		mock_check_merged_times (meeting, properties, errors);
}

MockMeeting *
mock_meeting_create_crm (MockServer *mock,
			 JsonObject *input)
{
	MockMeeting *meeting = mock_meeting_new (mock);
	g_autofree gchar *uuid = g_uuid_string_random ();

	store_properties (meeting, json_object_get_object_member (input, "properties"));
	if (json_object_has_member (input, "associations"))
		meeting->associations = json_node_copy (json_object_get_member (input, "associations"));

	set_property (meeting, "hs_unique_id", uuid);
	set_property (meeting, "hs_engagement_source", "INTEGRATION");
	mock->n_creates++;

	return meeting;
}

void
mock_meeting_update (MockMeeting *meeting,
		     JsonObject *properties)
{
	store_properties (meeting, properties);
	mock_meeting_touch (meeting);
}

/* POST .../meetings: a meeting record without a calendar event */
static void
crm_create (MockRequest *req)
{
	MockServer *mock = req->mock;
	JsonArray *errors;

	if (!mock_require_json_body (req))
		return;

	errors = e_hubspot_mock_schema_collect_crm_meeting_create_problems (req->body);
	if (!errors) {
		errors = json_array_new ();
		mock_check_crm_meeting_input (mock, json_node_get_object (req->body), NULL, errors);
	}

	if (json_array_get_length (errors)) {
		mock_reply_validation_errors (req, errors);
		return;
	}
	json_array_unref (errors);

	mock_reply_object (req, SOUP_STATUS_CREATED,
		mock_meeting_to_json (mock_meeting_create_crm (mock, json_node_get_object (req->body)), NULL));
}

static void
reply_meeting_not_found (MockRequest *req,
			 const gchar *id)
{
	g_autofree gchar *message = g_strdup_printf ("resource not found: no meeting with id %s", id);
	JsonArray *errors = json_array_new ();

	mock_add_error_item (errors, "OBJECT_NOT_FOUND", "id", "%s", message);
	mock_reply_error (req, SOUP_STATUS_NOT_FOUND, "OBJECT_NOT_FOUND", message, errors);
}

static void
crm_read (MockRequest *req,
	  const gchar *id)
{
	MockMeeting *meeting = mock_find_meeting (req->mock, id);
	g_auto(GStrv) names = NULL;

	if (!meeting || (meeting->archived_ms && g_strcmp0 (mock_query (req, "archived"), "true") != 0)) {
		reply_meeting_not_found (req, id);
		return;
	}

	names = requested_properties (req);
	mock_reply_object (req, SOUP_STATUS_OK, mock_meeting_to_json (meeting, (const gchar * const *) names));
}

static void
crm_update (MockRequest *req,
	    const gchar *id)
{
	MockServer *mock = req->mock;
	MockMeeting *meeting = mock_find_meeting (mock, id);
	JsonArray *errors;

	if (!mock_require_json_body (req))
		return;

	errors = e_hubspot_mock_schema_collect_meeting_update_problems (req->body);
	if (errors) {
		mock_reply_validation_errors (req, errors);
		return;
	}

	if (!meeting || meeting->archived_ms) {
		reply_meeting_not_found (req, id);
		return;
	}

	errors = json_array_new ();
	mock_check_crm_meeting_input (mock, json_node_get_object (req->body), meeting, errors);
	if (json_array_get_length (errors)) {
		mock_reply_validation_errors (req, errors);
		return;
	}
	json_array_unref (errors);

	mock_meeting_update (meeting, json_object_get_object_member (json_node_get_object (req->body), "properties"));

	mock_reply_object (req, SOUP_STATUS_OK, mock_meeting_to_json (meeting, NULL));
}

static void
crm_archive (MockRequest *req,
	     const gchar *id)
{
	MockMeeting *meeting = mock_find_meeting (req->mock, id);

	if (!meeting) {
		reply_meeting_not_found (req, id);
		return;
	}

	if (!meeting->archived_ms)
		meeting->archived_ms = mock_now_ms ();

	mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
add_paging (JsonObject *answer,
	    guint next_offset)
{
	JsonObject *paging = json_object_new ();
	JsonObject *next = json_object_new ();
	g_autofree gchar *after = g_strdup_printf ("%u", next_offset);

	json_object_set_string_member (next, "after", after);
	json_object_set_object_member (paging, "next", next);
	json_object_set_object_member (answer, "paging", paging);
}

/* GET .../meetings?limit=&after=&properties=&archived= */
static void
crm_list (MockRequest *req)
{
	MockServer *mock = req->mock;
	gboolean archived = g_strcmp0 (mock_query (req, "archived"), "true") == 0;
	g_auto(GStrv) names = requested_properties (req);
	JsonObject *answer;
	JsonArray *results;
	gint64 limit, after;
	guint ii, seen = 0;

	if (!parse_count (mock_query (req, "limit"), &limit) || limit == 0 || limit > LIST_MAX_LIMIT) {
		mock_reply_bad_request (req, "limit", "limit: must be an integer from 1 to 100");
		return;
	}
	if (!parse_count (mock_query (req, "after"), &after)) {
		mock_reply_bad_request (req, "after", "after: not a paging cursor from this server");
		return;
	}
	if (limit < 0)
		limit = LIST_DEFAULT_LIMIT;
	if (after < 0)
		after = 0;

	answer = json_object_new ();
	results = json_array_new ();
	json_object_set_array_member (answer, "results", results);
	for (ii = 0; ii < mock->meetings->len; ii++) {
		MockMeeting *meeting = g_ptr_array_index (mock->meetings, ii);

		if ((meeting->archived_ms != 0) != archived)
			continue;

		if (seen >= after && json_array_get_length (results) < limit)
			json_array_add_object_element (results, mock_meeting_to_json (meeting, (const gchar * const *) names));
		else if (seen >= after) {
			add_paging (answer, seen);
			break;
		}
		seen++;
	}

	mock_reply_object (req, SOUP_STATUS_OK, answer);
}

static void
crm_meetings (MockRequest *req,
	      const gchar *rest)
{
	const gchar *method = req->method;

	if (!*rest) {
		if (g_str_equal (method, "POST"))
			crm_create (req);
		else if (g_str_equal (method, "GET"))
			crm_list (req);
		else
			mock_reply_method_not_allowed (req, "GET, POST");
	} else if (g_str_equal (rest, "/search")) {
		if (g_str_equal (method, "POST"))
			mock_api_search (req, &mock_meeting_search, req->mock->meetings);
		else
			mock_reply_method_not_allowed (req, "POST");
	} else if (g_str_has_prefix (rest, "/batch/")) {
		mock_api_meetings_batch (req, rest + strlen ("/batch/"));
	} else if (!strchr (rest + 1, '/') && rest[1]) {
		const gchar *id = rest + 1;

		if (g_str_equal (method, "GET"))
			crm_read (req, id);
		else if (g_str_equal (method, "PATCH"))
			crm_update (req, id);
		else if (g_str_equal (method, "DELETE"))
			crm_archive (req, id);
		else
			mock_reply_method_not_allowed (req, "GET, PATCH, DELETE");
	} else {
		mock_reply_not_found (req);
	}
}

static void
owners_list (MockRequest *req)
{
	MockServer *mock = req->mock;
	const gchar *email = mock_query (req, "email");
	JsonObject *answer;
	JsonArray *results;
	gint64 limit, after;
	guint ii, seen = 0;

	if (!parse_count (mock_query (req, "limit"), &limit) || limit == 0 || limit > OWNERS_MAX_LIMIT) {
		mock_reply_bad_request (req, "limit", "limit: must be an integer from 1 to 500");
		return;
	}
	if (!parse_count (mock_query (req, "after"), &after)) {
		mock_reply_bad_request (req, "after", "after: not a paging cursor from this server");
		return;
	}
	if (limit < 0)
		limit = OWNERS_DEFAULT_LIMIT;
	if (after < 0)
		after = 0;

	answer = json_object_new ();
	results = json_array_new ();
	json_object_set_array_member (answer, "results", results);
	for (ii = 0; ii < mock->owners->len; ii++) {
		MockOwner *owner = g_ptr_array_index (mock->owners, ii);

		if (email && *email && g_ascii_strcasecmp (owner->email, email) != 0)
			continue;

		if (seen >= after && json_array_get_length (results) < limit)
			json_array_add_object_element (results, mock_owner_to_json (owner));
		else if (seen >= after) {
			add_paging (answer, seen);
			break;
		}
		seen++;
	}

	mock_reply_object (req, SOUP_STATUS_OK, answer);
}

static void
owners_read (MockRequest *req,
	     const gchar *id)
{
	const gchar *id_property = mock_query (req, "idProperty");
	MockOwner *owner;

	if (!id_property || g_str_equal (id_property, "id")) {
		owner = mock_find_owner_by_id (req->mock, id);
	} else if (g_str_equal (id_property, "userId")) {
		owner = mock_find_owner_by_user_id (req->mock, id);
	} else {
		mock_reply_bad_request (req, "idProperty", "idProperty: must be id or userId");
		return;
	}

	if (!owner) {
		g_autofree gchar *message = g_strdup_printf ("resource not found: no owner with %s %s",
			id_property ? id_property : "id", id);

		mock_reply_error (req, SOUP_STATUS_NOT_FOUND, "OBJECT_NOT_FOUND", message, NULL);
		return;
	}

	mock_reply_object (req, SOUP_STATUS_OK, mock_owner_to_json (owner));
}

static void
account_details (MockRequest *req)
{
	JsonObject *answer = json_object_new ();

	json_object_set_int_member (answer, "portalId", req->mock->portal_id);
	json_object_set_string_member (answer, "accountType", "STANDARD");
	json_object_set_string_member (answer, "uiDomain", req->mock->ui_domain);
	json_object_set_string_member (answer, "timeZone", "America/New_York");
	json_object_set_string_member (answer, "companyCurrency", "USD");
	json_object_set_array_member (answer, "additionalCurrencies", json_array_new ());
	json_object_set_string_member (answer, "utcOffset", "-05:00");
	json_object_set_int_member (answer, "utcOffsetMilliseconds", -5 * 3600 * 1000);
	json_object_set_string_member (answer, "dataHostingLocation", "na1");

	mock_reply_object (req, SOUP_STATUS_OK, answer);
}

/* The calls the mock implements, in the versions HubSpot retires, and their
 * 2026-03 forms: the same calls, checked the same way. */
static const struct {
	const gchar *legacy;
	const gchar *current;
} legacy_prefixes[] = {
	{ "/scheduler/v3/meetings/calendar", "/scheduler/2026-03/meetings/calendar" },
	{ "/crm/v3/objects/meetings", "/crm/objects/2026-03/meetings" },
	{ "/crm/v3/objects/contacts", "/crm/objects/2026-03/contacts" },
	{ "/crm/v4/associations", "/crm/associations/2026-03" },
	{ "/crm/v3/owners", "/crm/owners/2026-03" },
	{ "/account-info/v3/details", "/account-info/2026-03/details" }
};

/* HubSpot puts an API's version in the first or second segment
 * (/crm/v3/..., /oauth/v1/...); v1 to v4 are the retired ones. */
static gboolean
is_legacy_path (const gchar *path)
{
	g_auto(GStrv) segments = g_strsplit (path, "/", 4);
	guint ii;

	for (ii = 1; segments[ii] && ii <= 2; ii++) {
		if (segments[ii][0] == 'v' && segments[ii][1] >= '1' && segments[ii][1] <= '4' && !segments[ii][2])
			return TRUE;
	}

	return FALSE;
}

/* The 2026-03 form of a legacy path, or NULL for a call the mock lacks */
static gchar *
legacy_path_to_current (const gchar *path)
{
	const gchar *rest;
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (legacy_prefixes); ii++) {
		if (strip_prefix (path, legacy_prefixes[ii].legacy, &rest))
			return g_strconcat (legacy_prefixes[ii].current, rest, NULL);
	}

	return NULL;
}

/* HubSpot answers a retired API version with 404, as it did for the v2
 * owners API; the message names the replacement. */
static void
reply_legacy_path (MockRequest *req,
		   const gchar *current)
{
	g_autofree gchar *message = NULL;

	if (current)
		message = g_strdup_printf ("%s %s: this API version is retired; use %s %s "
			"(the mock answers retired paths with --legacy-paths or config legacy_paths)",
			req->method, req->path, req->method, current);
	else
		message = g_strdup_printf ("%s %s: this API version is retired; use its 2026-03 form "
			"(the mock answers retired paths with --legacy-paths or config legacy_paths)",
			req->method, req->path);

	req->mock->n_legacy_refused++;
	mock_reply_error (req, SOUP_STATUS_NOT_FOUND, "OBJECT_NOT_FOUND", message, NULL);
}

void
mock_api_dispatch (MockRequest *req)
{
	g_autofree gchar *current = NULL;
	const gchar *path = req->path;
	const gchar *rest = NULL;

	if (is_legacy_path (path)) {
		current = legacy_path_to_current (path);
		if (!req->mock->legacy_paths) {
			reply_legacy_path (req, current);
			return;
		}
		if (current)
			path = current;
	}

	if (g_str_equal (path, "/scheduler/2026-03/meetings/calendar")) {
		if (g_str_equal (req->method, "POST"))
			scheduler_create (req);
		else
			mock_reply_method_not_allowed (req, "POST");
	} else if (strip_prefix (path, "/crm/objects/2026-03/meetings", &rest)) {
		crm_meetings (req, rest);
	} else if (strip_prefix (path, "/crm/objects/2026-03/contacts", &rest)) {
		mock_api_contacts (req, rest);
	} else if (strip_prefix (path, "/crm/associations/2026-03", &rest)) {
		mock_api_associations (req, rest);
	} else if (strip_prefix (path, "/crm/owners/2026-03", &rest)) {
		if (!g_str_equal (req->method, "GET"))
			mock_reply_method_not_allowed (req, "GET");
		else if (!*rest)
			owners_list (req);
		else if (!strchr (rest + 1, '/'))
			owners_read (req, rest + 1);
		else
			mock_reply_not_found (req);
	} else if (g_str_equal (path, "/account-info/2026-03/details")) {
		if (g_str_equal (req->method, "GET"))
			account_details (req);
		else
			mock_reply_method_not_allowed (req, "GET");
	} else {
		mock_reply_not_found (req);
	}
}
