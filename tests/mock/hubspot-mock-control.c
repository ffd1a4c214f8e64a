/* hubspot-mock-control.c: the /__mock/ control endpoints
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For tests only: no authentication, no faults, no delays, never recorded.
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

static const gchar *fault_kind_names[] = {
	"status", "drop", "drop-after-create", "malformed-json", "batch-inputs"
};

const gchar *
mock_fault_kind_to_string (MockFaultKind kind)
{
	return fault_kind_names[kind];
}

MockFault *
mock_fault_copy (const MockFault *fault)
{
	MockFault *copy = g_memdup2 (fault, sizeof (MockFault));

	copy->match = g_strdup (fault->match);
	copy->method = g_strdup (fault->method);
	copy->policy_name = g_strdup (fault->policy_name);
	copy->titles = g_strdupv (fault->titles);
	copy->positions = fault->positions ? g_array_copy (fault->positions) : NULL;
	copy->message = g_strdup (fault->message);

	return copy;
}

void
mock_fault_free (MockFault *fault)
{
	if (!fault)
		return;

	g_free (fault->match);
	g_free (fault->method);
	g_free (fault->policy_name);
	g_strfreev (fault->titles);
	g_clear_pointer (&fault->positions, g_array_unref);
	g_free (fault->message);
	g_free (fault);
}

static void
reply_control_error (MockRequest *req,
		     guint status,
		     const gchar *format,
		     ...) G_GNUC_PRINTF (3, 4);

static void
reply_control_error (MockRequest *req,
		     guint status,
		     const gchar *format,
		     ...)
{
	g_autofree gchar *message = NULL;
	va_list ap;

	va_start (ap, format);
	message = g_strdup_vprintf (format, ap);
	va_end (ap);

	mock_reply_error (req, status,
		status == SOUP_STATUS_NOT_FOUND ? "OBJECT_NOT_FOUND" :
		status == SOUP_STATUS_CONFLICT ? "CONFLICT" : "VALIDATION_ERROR",
		message, NULL);
}

static gboolean
require_object_body (MockRequest *req)
{
	if (!req->body) {
		mock_reply_invalid_body (req);
		return FALSE;
	}

	if (!JSON_NODE_HOLDS_OBJECT (req->body)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object");
		return FALSE;
	}

	return TRUE;
}

/* Rejects members outside @allowed: a typo in a test must not pass silently */
static gboolean
check_members (MockRequest *req,
	       JsonObject *object,
	       const gchar **allowed)
{
	g_autoptr(GList) members = json_object_get_members (object);
	GList *link;

	for (link = members; link; link = g_list_next (link)) {
		if (!g_strv_contains (allowed, link->data)) {
			g_autofree gchar *list = g_strjoinv (", ", (gchar **) allowed);

			reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "Unknown member \"%s\" (known: %s)",
				(const gchar *) link->data, list);
			return FALSE;
		}
	}

	return TRUE;
}

static gboolean
get_int (MockRequest *req,
	 JsonObject *object,
	 const gchar *name,
	 gint64 min,
	 gint64 max,
	 gint64 *inout_value)
{
	JsonNode *node = json_object_get_member (object, name);

	if (!node)
		return TRUE;

	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
	    json_node_get_int (node) < min || json_node_get_int (node) > max) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST,
			"%s: must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, name, min, max);
		return FALSE;
	}

	*inout_value = json_node_get_int (node);

	return TRUE;
}

static gboolean
get_string (MockRequest *req,
	    JsonObject *object,
	    const gchar *name,
	    const gchar **inout_value)
{
	JsonNode *node = json_object_get_member (object, name);

	if (!node || JSON_NODE_HOLDS_NULL (node))
		return TRUE;

	if (!mock_json_get_string (object, name)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "%s: must be a string", name);
		return FALSE;
	}

	*inout_value = json_node_get_string (node);

	return TRUE;
}

static gboolean
get_boolean (MockRequest *req,
	     JsonObject *object,
	     const gchar *name,
	     gboolean *inout_value)
{
	JsonNode *node = json_object_get_member (object, name);

	if (!node)
		return TRUE;

	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "%s: must be a boolean", name);
		return FALSE;
	}

	*inout_value = json_node_get_boolean (node);

	return TRUE;
}

static JsonObject *
fault_to_json (MockFault *fault)
{
	JsonObject *object = json_object_new ();

	json_object_set_int_member (object, "id", fault->id);
	json_object_set_string_member (object, "kind", mock_fault_kind_to_string (fault->kind));
	if (fault->match)
		json_object_set_string_member (object, "match", fault->match);
	else
		json_object_set_null_member (object, "match");
	if (fault->method)
		json_object_set_string_member (object, "method", fault->method);
	else
		json_object_set_null_member (object, "method");
	json_object_set_int_member (object, "count", fault->count);
	if (fault->rate >= 0)
		json_object_set_double_member (object, "rate", fault->rate);
	else
		json_object_set_null_member (object, "rate");
	json_object_set_int_member (object, "status", fault->status);
	if (fault->retry_after >= 0)
		json_object_set_int_member (object, "retry_after", fault->retry_after);
	else
		json_object_set_null_member (object, "retry_after");
	if (fault->policy_name)
		json_object_set_string_member (object, "policy_name", fault->policy_name);
	else
		json_object_set_null_member (object, "policy_name");
	json_object_set_int_member (object, "delay_ms", fault->delay_ms);
	json_object_set_int_member (object, "applied", fault->applied);

	if (fault->kind == MOCK_FAULT_BATCH_INPUTS) {
		JsonArray *titles = json_array_new ();
		JsonArray *positions = json_array_new ();
		guint ii;

		for (ii = 0; fault->titles && fault->titles[ii]; ii++)
			json_array_add_string_element (titles, fault->titles[ii]);
		for (ii = 0; fault->positions && ii < fault->positions->len; ii++)
			json_array_add_int_element (positions, g_array_index (fault->positions, guint, ii));
		json_object_set_array_member (object, "titles", titles);
		json_object_set_array_member (object, "positions", positions);
		if (fault->message)
			json_object_set_string_member (object, "message", fault->message);
		else
			json_object_set_null_member (object, "message");
	}

	return object;
}

static void
faults_list (MockRequest *req)
{
	JsonArray *array = json_array_new ();
	guint ii;

	for (ii = 0; ii < req->mock->faults->len; ii++)
		json_array_add_object_element (array, fault_to_json (g_ptr_array_index (req->mock->faults, ii)));

	mock_reply_json (req, SOUP_STATUS_OK, json_node_init_array (json_node_alloc (), array));
	json_array_unref (array);
}

/* titles and positions choose the inputs a batch-inputs rule fails
 * (README.md, "Batch calls of meetings"); no other kind takes them */
static gboolean
get_batch_inputs (MockRequest *req,
		  JsonObject *object,
		  MockFaultKind kind,
		  GStrv *out_titles,
		  GArray **out_positions)
{
	JsonNode *titles = json_object_get_member (object, "titles");
	JsonNode *positions = json_object_get_member (object, "positions");
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
	guint ii, len;

	if (kind != MOCK_FAULT_BATCH_INPUTS) {
		if (titles || positions || json_object_has_member (object, "message")) {
			reply_control_error (req, SOUP_STATUS_BAD_REQUEST,
				"titles, positions and message go with kind batch-inputs only");
			return FALSE;
		}
		return TRUE;
	}

	if (titles && !JSON_NODE_HOLDS_ARRAY (titles)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "titles: must be an array of strings");
		return FALSE;
	}
	len = titles ? json_array_get_length (json_node_get_array (titles)) : 0;
	for (ii = 0; ii < len; ii++) {
		JsonNode *item = json_array_get_element (json_node_get_array (titles), ii);

		if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING) {
			reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "titles: must be an array of strings");
			return FALSE;
		}
		g_strv_builder_add (builder, json_node_get_string (item));
	}

	if (positions && !JSON_NODE_HOLDS_ARRAY (positions)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "positions: must be an array of integers from 0 to 99");
		return FALSE;
	}
	*out_positions = g_array_new (FALSE, FALSE, sizeof (guint));
	len = positions ? json_array_get_length (json_node_get_array (positions)) : 0;
	for (ii = 0; ii < len; ii++) {
		JsonNode *item = json_array_get_element (json_node_get_array (positions), ii);
		guint position;

		if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64 ||
		    json_node_get_int (item) < 0 || json_node_get_int (item) >= E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX) {
			reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "positions: must be an array of integers from 0 to 99");
			return FALSE;
		}
		position = json_node_get_int (item);
		g_array_append_val (*out_positions, position);
	}

	*out_titles = g_strv_builder_end (builder);
	if (!g_strv_length (*out_titles) && !(*out_positions)->len) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST,
			"kind batch-inputs: titles or positions must choose at least one input");
		return FALSE;
	}

	return TRUE;
}

static void
faults_add (MockRequest *req)
{
	static const gchar *allowed[] = {
		"match", "method", "count", "rate", "status", "retry_after", "policy_name", "delay_ms", "kind",
		"titles", "positions", "message", NULL
	};
	static const gchar *policies[] = { "TEN_SECONDLY_ROLLING", "SECONDLY", "DAILY", NULL };
	JsonObject *object;
	const gchar *match = NULL, *method = NULL, *policy = NULL, *kind = "status", *message = NULL;
	g_auto(GStrv) titles = NULL;
	g_autoptr(GArray) positions = NULL;
	gint64 count = 1, status = 500, retry_after = -1, delay_ms = 0;
	gdouble rate = -1;
	JsonNode *rate_node;
	MockFault *fault;
	guint ii;

	if (!require_object_body (req))
		return;

	object = json_node_get_object (req->body);
	if (!check_members (req, object, allowed) ||
	    !get_string (req, object, "match", &match) ||
	    !get_string (req, object, "method", &method) ||
	    !get_string (req, object, "policy_name", &policy) ||
	    !get_string (req, object, "kind", &kind) ||
	    !get_string (req, object, "message", &message) ||
	    !get_int (req, object, "status", 400, 599, &status) ||
	    !get_int (req, object, "retry_after", 0, 86400, &retry_after) ||
	    !get_int (req, object, "delay_ms", 0, 600000, &delay_ms))
		return;

	rate_node = json_object_get_member (object, "rate");
	if (rate_node) {
		GType type = JSON_NODE_HOLDS_VALUE (rate_node) ? json_node_get_value_type (rate_node) : G_TYPE_INVALID;

		if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
			rate = json_node_get_double (rate_node);
		if (rate < 0 || rate > 1) {
			reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "rate: must be a number from 0 to 1");
			return;
		}
		/* A probability applies forever unless a count says otherwise */
		count = -1;
	}

	if (!get_int (req, object, "count", -1, G_MAXINT32, &count))
		return;
	if (count == 0) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "count: must be -1 (forever) or positive");
		return;
	}

	if (policy && !g_strv_contains (policies, policy)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "policy_name: must be TEN_SECONDLY_ROLLING, SECONDLY or DAILY");
		return;
	}

	for (ii = 0; ii < G_N_ELEMENTS (fault_kind_names); ii++) {
		if (g_str_equal (kind, fault_kind_names[ii]))
			break;
	}
	if (ii == G_N_ELEMENTS (fault_kind_names)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST,
			"kind: must be status, drop, drop-after-create, malformed-json or batch-inputs");
		return;
	}

	if (!get_batch_inputs (req, object, ii, &titles, &positions))
		return;

	fault = g_new0 (MockFault, 1);
	fault->id = req->mock->next_fault_id++;
	fault->kind = ii;
	fault->match = match && *match ? g_strdup (match) : NULL;
	fault->method = method && *method ? g_ascii_strup (method, -1) : NULL;
	fault->count = count;
	fault->rate = rate;
	fault->status = status;
	fault->retry_after = retry_after;
	fault->policy_name = g_strdup (policy);
	fault->delay_ms = delay_ms;
	fault->titles = g_steal_pointer (&titles);
	fault->positions = g_steal_pointer (&positions);
	fault->message = g_strdup (message);
	g_ptr_array_add (req->mock->faults, fault);

	mock_reply_object (req, SOUP_STATUS_CREATED, fault_to_json (fault));
}

static void
faults_remove (MockRequest *req,
	       const gchar *id)
{
	guint ii;

	for (ii = 0; ii < req->mock->faults->len; ii++) {
		MockFault *fault = g_ptr_array_index (req->mock->faults, ii);
		g_autofree gchar *text = g_strdup_printf ("%u", fault->id);

		if (g_str_equal (text, id)) {
			g_ptr_array_remove_index (req->mock->faults, ii);
			mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
			return;
		}
	}

	reply_control_error (req, SOUP_STATUS_NOT_FOUND, "No fault rule %s", id);
}

static JsonObject *
config_to_json (MockServer *mock)
{
	JsonObject *object = json_object_new ();
	JsonArray *owners = json_array_new ();
	guint ii;

	for (ii = 0; ii < mock->owners->len; ii++)
		json_array_add_object_element (owners, mock_owner_to_json (g_ptr_array_index (mock->owners, ii)));

	json_object_set_int_member (object, "delay_ms", mock->delay_ms);
	json_object_set_boolean_member (object, "external_url", mock->external_url);
	json_object_set_string_member (object, "token", mock->token);
	json_object_set_int_member (object, "rate_limit", mock->rate_limit);
	json_object_set_int_member (object, "oauth_rate_limit", mock->oauth_rate_limit);
	json_object_set_int_member (object, "rate_window_ms", mock->rate_window_ms);
	json_object_set_int_member (object, "search_lag_ms", mock->search_lag_ms);
	json_object_set_boolean_member (object, "legacy_paths", mock->legacy_paths);
	json_object_set_int_member (object, "portal_id", mock->portal_id);
	json_object_set_string_member (object, "ui_domain", mock->ui_domain);
	json_object_set_array_member (object, "owners", owners);

	return object;
}

static void
config_update (MockRequest *req)
{
	static const gchar *allowed[] = {
		"delay_ms", "external_url", "token", "rate_limit", "oauth_rate_limit", "rate_window_ms",
		"search_lag_ms", "legacy_paths", NULL
	};
	MockServer *mock = req->mock;
	JsonObject *object;
	gint64 delay_ms = mock->delay_ms, rate_limit = mock->rate_limit;
	gint64 oauth_rate_limit = mock->oauth_rate_limit;
	gint64 rate_window_ms = mock->rate_window_ms, search_lag_ms = mock->search_lag_ms;
	gboolean external_url = mock->external_url, legacy_paths = mock->legacy_paths;
	const gchar *token = mock->token;

	if (!require_object_body (req))
		return;

	/* Check everything before changing anything */
	object = json_node_get_object (req->body);
	if (!check_members (req, object, allowed) ||
	    !get_int (req, object, "delay_ms", 0, 600000, &delay_ms) ||
	    !get_int (req, object, "rate_limit", 0, G_MAXINT32, &rate_limit) ||
	    !get_int (req, object, "oauth_rate_limit", 0, G_MAXINT32, &oauth_rate_limit) ||
	    !get_int (req, object, "rate_window_ms", 1, G_MAXINT32, &rate_window_ms) ||
	    !get_int (req, object, "search_lag_ms", 0, G_MAXINT32, &search_lag_ms) ||
	    !get_boolean (req, object, "external_url", &external_url) ||
	    !get_boolean (req, object, "legacy_paths", &legacy_paths) ||
	    !get_string (req, object, "token", &token))
		return;

	if (!token || !*token) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "token: must not be empty");
		return;
	}

	mock->delay_ms = delay_ms;
	mock->rate_limit = rate_limit;
	mock->oauth_rate_limit = oauth_rate_limit;
	mock->rate_window_ms = rate_window_ms;
	mock->search_lag_ms = search_lag_ms;
	mock->external_url = external_url;
	mock->legacy_paths = legacy_paths;
	if (token != mock->token) {
		gchar *copy = g_strdup (token);

		g_free (mock->token);
		mock->token = copy;
	}

	mock_reply_object (req, SOUP_STATUS_OK, config_to_json (mock));
}

static void
stats (MockRequest *req)
{
	MockServer *mock = req->mock;
	JsonObject *object = json_object_new ();
	guint ii, live = 0;

	for (ii = 0; ii < mock->meetings->len; ii++) {
		MockMeeting *meeting = g_ptr_array_index (mock->meetings, ii);

		if (!meeting->archived_ms)
			live++;
	}

	json_object_set_int_member (object, "requests", mock->n_requests);
	json_object_set_int_member (object, "creates", mock->n_creates);
	json_object_set_int_member (object, "meetings", live);
	json_object_set_int_member (object, "archived_meetings", mock->meetings->len - live);
	json_object_set_int_member (object, "contacts", mock->contacts->len);
	json_object_set_int_member (object, "companies", mock->companies->len);
	json_object_set_int_member (object, "rate_limited", mock->n_rate_limited);
	json_object_set_int_member (object, "faults_applied", mock->n_faults_applied);
	json_object_set_int_member (object, "legacy_refused", mock->n_legacy_refused);

	mock_reply_object (req, SOUP_STATUS_OK, object);
}

static void
requests_list (MockRequest *req)
{
	JsonArray *array = json_array_new ();
	guint ii;

	for (ii = 0; ii < req->mock->requests->len; ii++)
		json_array_add_element (array, json_node_copy (g_ptr_array_index (req->mock->requests, ii)));

	mock_reply_json (req, SOUP_STATUS_OK, json_node_init_array (json_node_alloc (), array));
	json_array_unref (array);
}

static void
meetings_list (MockRequest *req)
{
	JsonArray *array = json_array_new ();
	guint ii;

	for (ii = 0; ii < req->mock->meetings->len; ii++)
		json_array_add_object_element (array, mock_meeting_to_full_json (g_ptr_array_index (req->mock->meetings, ii)));

	mock_reply_json (req, SOUP_STATUS_OK, json_node_init_array (json_node_alloc (), array));
	json_array_unref (array);
}

/* Shared by create and update: the properties member, CRM style */
static gboolean
apply_meeting_body (MockRequest *req,
		    MockMeeting *meeting,
		    JsonObject *object)
{
	JsonNode *node = json_object_get_member (object, "properties");
	const gchar *timezone = NULL, *organizer = NULL;
	gboolean archived = meeting->archived_ms != 0;

	if (node && !JSON_NODE_HOLDS_OBJECT (node)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "properties: must be an object");
		return FALSE;
	}

	if (!get_string (req, object, "timezone", &timezone) ||
	    !get_string (req, object, "organizerUserId", &organizer) ||
	    !get_boolean (req, object, "archived", &archived))
		return FALSE;

	if (node) {
		JsonObject *properties = json_node_get_object (node);
		g_autoptr(GList) members = json_object_get_members (properties);
		GList *link;

		for (link = members; link; link = g_list_next (link))
			mock_meeting_set_property_node (meeting, link->data, json_object_get_member (properties, link->data));
	}

	if (timezone) {
		g_free (meeting->timezone);
		meeting->timezone = g_strdup (timezone);
	}
	if (organizer) {
		g_free (meeting->organizer_user_id);
		meeting->organizer_user_id = g_strdup (organizer);
	}
	if (json_object_has_member (object, "associations")) {
		g_clear_pointer (&meeting->associations, json_node_unref);
		meeting->associations = json_node_copy (json_object_get_member (object, "associations"));
	}
	if (json_object_has_member (object, "emailReminderSchedule")) {
		g_clear_pointer (&meeting->reminder_schedule, json_node_unref);
		meeting->reminder_schedule = json_node_copy (json_object_get_member (object, "emailReminderSchedule"));
	}

	if (archived && !meeting->archived_ms)
		meeting->archived_ms = mock_now_ms ();
	else if (!archived)
		meeting->archived_ms = 0;

	return TRUE;
}

/* A meeting "booked in HubSpot" earlier: createdAt and updatedAt follow
 * the dates the body gave, and the dates are written as HubSpot writes them */
static void
sync_meeting_dates (MockMeeting *meeting)
{
	const gchar *created = g_hash_table_lookup (meeting->properties, "hs_createdate");
	const gchar *updated = g_hash_table_lookup (meeting->properties, "hs_lastmodifieddate");
	gint64 ms;

	if (created && e_hubspot_mock_schema_parse_utc_date_time (created, &ms))
		meeting->created_ms = ms;
	if (updated && e_hubspot_mock_schema_parse_utc_date_time (updated, &ms))
		meeting->updated_ms = ms;
	else
		meeting->updated_ms = MAX (meeting->updated_ms, meeting->created_ms);

	g_hash_table_replace (meeting->properties, g_strdup ("hs_createdate"), mock_iso_time (meeting->created_ms));
	g_hash_table_replace (meeting->properties, g_strdup ("hs_lastmodifieddate"), mock_iso_time (meeting->updated_ms));
}

static const gchar *meeting_members[] = {
	"properties", "timezone", "associations", "emailReminderSchedule", "organizerUserId", "archived", NULL
};

/* As if booked through HubSpot's own meetings page: no schema check */
static void
meetings_create (MockRequest *req)
{
	MockServer *mock = req->mock;
	JsonObject *object;
	MockMeeting *meeting;
	MockOwner *owner = mock->owners->len ? g_ptr_array_index (mock->owners, 0) : NULL;
	g_autofree gchar *uuid = g_uuid_string_random ();
	const gchar *start;

	if (!require_object_body (req))
		return;

	object = json_node_get_object (req->body);
	if (!check_members (req, object, meeting_members))
		return;

	meeting = mock_meeting_new (mock);
	if (!apply_meeting_body (req, meeting, object)) {
		mock_meeting_remove (mock, meeting);
		return;
	}

	g_hash_table_replace (meeting->properties, g_strdup ("hs_unique_id"), g_strdup (uuid));
	if (!g_hash_table_contains (meeting->properties, "hs_engagement_source"))
		g_hash_table_insert (meeting->properties, g_strdup ("hs_engagement_source"), g_strdup ("MEETINGS"));
	if (!g_hash_table_contains (meeting->properties, "hs_meeting_outcome"))
		g_hash_table_insert (meeting->properties, g_strdup ("hs_meeting_outcome"), g_strdup ("SCHEDULED"));
	if (owner && !g_hash_table_contains (meeting->properties, "hubspot_owner_id"))
		g_hash_table_insert (meeting->properties, g_strdup ("hubspot_owner_id"), g_strdup (owner->id));
	start = g_hash_table_lookup (meeting->properties, "hs_meeting_start_time");
	if (start && !g_hash_table_contains (meeting->properties, "hs_timestamp"))
		g_hash_table_insert (meeting->properties, g_strdup ("hs_timestamp"), g_strdup (start));
	if (mock->external_url && !g_hash_table_contains (meeting->properties, "hs_meeting_external_url"))
		g_hash_table_insert (meeting->properties, g_strdup ("hs_meeting_external_url"),
			g_strdup_printf ("https://meet.example.com/mock/%s", meeting->id));
	/* The record's own bookkeeping wins over what the body said */
	g_hash_table_replace (meeting->properties, g_strdup ("hs_object_id"), g_strdup (meeting->id));
	sync_meeting_dates (meeting);

	mock_reply_object (req, SOUP_STATUS_CREATED, mock_meeting_to_full_json (meeting));
}

static void
meeting_one (MockRequest *req,
	     const gchar *id)
{
	MockServer *mock = req->mock;
	MockMeeting *meeting = mock_find_meeting (mock, id);

	if (!meeting) {
		reply_control_error (req, SOUP_STATUS_NOT_FOUND, "No meeting %s", id);
		return;
	}

	if (g_str_equal (req->method, "GET")) {
		mock_reply_object (req, SOUP_STATUS_OK, mock_meeting_to_full_json (meeting));
	} else if (g_str_equal (req->method, "PATCH")) {
		if (!require_object_body (req) ||
		    !check_members (req, json_node_get_object (req->body), meeting_members) ||
		    !apply_meeting_body (req, meeting, json_node_get_object (req->body)))
			return;

		g_hash_table_replace (meeting->properties, g_strdup ("hs_object_id"), g_strdup (meeting->id));
		mock_meeting_touch (meeting);
		mock_reply_object (req, SOUP_STATUS_OK, mock_meeting_to_full_json (meeting));
	} else if (g_str_equal (req->method, "DELETE")) {
		if (g_strcmp0 (mock_query (req, "purge"), "true") == 0)
			mock_meeting_remove (mock, meeting);
		else if (!meeting->archived_ms)
			meeting->archived_ms = mock_now_ms ();
		mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
	} else {
		mock_reply_method_not_allowed (req, "GET, PATCH, DELETE");
	}
}

static void
contacts_list (MockRequest *req)
{
	JsonArray *array = json_array_new ();
	guint ii;

	for (ii = 0; ii < req->mock->contacts->len; ii++)
		json_array_add_object_element (array, mock_contact_to_full_json (g_ptr_array_index (req->mock->contacts, ii)));

	mock_reply_json (req, SOUP_STATUS_OK, json_node_init_array (json_node_alloc (), array));
	json_array_unref (array);
}

/* A contact that exists in HubSpot already: {email, firstname?, lastname?, company_ids?} */
static void
contacts_create (MockRequest *req)
{
	static const gchar *allowed[] = { "email", "firstname", "lastname", "company_ids", NULL };
	MockServer *mock = req->mock;
	const gchar *email = NULL, *first = NULL, *last = NULL;
	JsonObject *object;
	JsonNode *companies;
	MockContact *contact, *existing;
	guint ii;

	if (!require_object_body (req))
		return;

	object = json_node_get_object (req->body);
	if (!check_members (req, object, allowed) ||
	    !get_string (req, object, "email", &email) ||
	    !get_string (req, object, "firstname", &first) ||
	    !get_string (req, object, "lastname", &last))
		return;

	if (!e_hubspot_mock_schema_is_email (email)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "email: \"%s\" is not an e-mail address", email ? email : "");
		return;
	}

	existing = mock_find_contact_by_email (mock, email);
	if (existing) {
		reply_control_error (req, SOUP_STATUS_CONFLICT, "Contact %s has this e-mail already", existing->id);
		return;
	}

	companies = json_object_get_member (object, "company_ids");
	if (companies && !JSON_NODE_HOLDS_ARRAY (companies)) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "company_ids: must be an array of company ids");
		return;
	}
	for (ii = 0; companies && ii < json_array_get_length (json_node_get_array (companies)); ii++) {
		JsonNode *id = json_array_get_element (json_node_get_array (companies), ii);

		if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
		    !mock_find_company (mock, json_node_get_string (id))) {
			reply_control_error (req, SOUP_STATUS_BAD_REQUEST,
				"company_ids[%u]: not the id (a string) of a company made with POST /__mock/companies", ii);
			return;
		}
	}

	contact = mock_contact_new (mock, email);
	if (first && *first)
		g_hash_table_replace (contact->properties, g_strdup ("firstname"), g_strdup (first));
	if (last && *last)
		g_hash_table_replace (contact->properties, g_strdup ("lastname"), g_strdup (last));
	for (ii = 0; companies && ii < json_array_get_length (json_node_get_array (companies)); ii++)
		mock_contact_add_company (contact, json_array_get_string_element (json_node_get_array (companies), ii));

	mock_reply_object (req, SOUP_STATUS_CREATED, mock_contact_to_full_json (contact));
}

static void
companies_list (MockRequest *req)
{
	JsonArray *array = json_array_new ();
	guint ii;

	for (ii = 0; ii < req->mock->companies->len; ii++)
		json_array_add_object_element (array, mock_company_to_json (g_ptr_array_index (req->mock->companies, ii)));

	mock_reply_json (req, SOUP_STATUS_OK, json_node_init_array (json_node_alloc (), array));
	json_array_unref (array);
}

static void
companies_create (MockRequest *req)
{
	static const gchar *allowed[] = { "name", NULL };
	const gchar *name = NULL;
	JsonObject *object;

	if (!require_object_body (req))
		return;

	object = json_node_get_object (req->body);
	if (!check_members (req, object, allowed) || !get_string (req, object, "name", &name))
		return;

	if (!name || !*name) {
		reply_control_error (req, SOUP_STATUS_BAD_REQUEST, "name: a non-empty string is required");
		return;
	}

	mock_reply_object (req, SOUP_STATUS_CREATED, mock_company_to_json (mock_company_new (req->mock, name)));
}

void
mock_control_dispatch (MockRequest *req)
{
	const gchar *path = req->path + strlen ("/__mock");
	const gchar *method = req->method;

	if (g_str_equal (path, "/requests")) {
		if (g_str_equal (method, "GET"))
			requests_list (req);
		else if (g_str_equal (method, "DELETE")) {
			g_ptr_array_set_size (req->mock->requests, 0);
			mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
		} else
			mock_reply_method_not_allowed (req, "GET, DELETE");
	} else if (g_str_equal (path, "/meetings")) {
		if (g_str_equal (method, "GET"))
			meetings_list (req);
		else if (g_str_equal (method, "POST"))
			meetings_create (req);
		else
			mock_reply_method_not_allowed (req, "GET, POST");
	} else if (g_str_has_prefix (path, "/meetings/") && path[10] && !strchr (path + 10, '/')) {
		meeting_one (req, path + 10);
	} else if (g_str_equal (path, "/contacts")) {
		if (g_str_equal (method, "GET"))
			contacts_list (req);
		else if (g_str_equal (method, "POST"))
			contacts_create (req);
		else
			mock_reply_method_not_allowed (req, "GET, POST");
	} else if (g_str_equal (path, "/companies")) {
		if (g_str_equal (method, "GET"))
			companies_list (req);
		else if (g_str_equal (method, "POST"))
			companies_create (req);
		else
			mock_reply_method_not_allowed (req, "GET, POST");
	} else if (g_str_equal (path, "/reset")) {
		if (g_str_equal (method, "POST")) {
			mock_clear_state (req->mock);
			mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
		} else
			mock_reply_method_not_allowed (req, "POST");
	} else if (g_str_equal (path, "/config")) {
		if (g_str_equal (method, "GET"))
			mock_reply_object (req, SOUP_STATUS_OK, config_to_json (req->mock));
		else if (g_str_equal (method, "POST"))
			config_update (req);
		else
			mock_reply_method_not_allowed (req, "GET, POST");
	} else if (g_str_equal (path, "/faults")) {
		if (g_str_equal (method, "GET"))
			faults_list (req);
		else if (g_str_equal (method, "POST"))
			faults_add (req);
		else if (g_str_equal (method, "DELETE")) {
			g_ptr_array_set_size (req->mock->faults, 0);
			mock_reply_json (req, SOUP_STATUS_NO_CONTENT, NULL);
		} else
			mock_reply_method_not_allowed (req, "GET, POST, DELETE");
	} else if (g_str_has_prefix (path, "/faults/") && path[8] && !strchr (path + 8, '/')) {
		if (g_str_equal (method, "DELETE"))
			faults_remove (req, path + 8);
		else
			mock_reply_method_not_allowed (req, "DELETE");
	} else if (g_str_equal (path, "/oauth")) {
		mock_oauth_control (req);
	} else if (g_str_equal (path, "/stats")) {
		if (g_str_equal (method, "GET"))
			stats (req);
		else
			mock_reply_method_not_allowed (req, "GET");
	} else {
		reply_control_error (req, SOUP_STATUS_NOT_FOUND, "No control endpoint %s %s", method, req->path);
	}
}
