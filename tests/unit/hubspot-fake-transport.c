/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "common/e-hubspot-paths.h"
#include "common/e-hubspot-requests.h"

#include "hubspot-fake-transport.h"

typedef struct {
	gchar *method;
	gchar *path_prefix;
	HubSpotFakeAction action;
	guint times;
	guint status;
	gchar *message;
	gint64 delay_us;
} Rule;

/* An answer on its way back to the connection. */
typedef struct {
	HubSpotFakeTransport *fake;
	GTask *exchange;
	guint status;
	SoupMessageHeaders *headers;
	GBytes *body;
	GError *error;
	gchar **titles;		/* the meeting titles the request counts against */
} Answer;

struct _HubSpotFakeTransport {
	GMutex lock;		/* a leaf: nothing is called with it held */
	EHubSpotClock *clock;
	gint rate_max;
	gint rate_interval_ms;
	gchar *token;
	GQueue rules;		/* Rule * */
	GPtrArray *requests;	/* HubSpotFakeRequest * */
	GHashTable *meetings;	/* id ~> JsonObject * of properties */
	guint next_id;
	GPtrArray *held;	/* Answer * */
	GHashTable *title_in_flight;	/* title ~> count */
	guint max_per_title;
	guint in_flight;
	GHashTable *failing_inputs;	/* title ~> Rule *: a batch input's failure, once */
};

static void
rule_free (gpointer ptr)
{
	Rule *rule = ptr;

	g_free (rule->method);
	g_free (rule->path_prefix);
	g_free (rule->message);
	g_free (rule);
}

void
hubspot_fake_request_free (gpointer ptr)
{
	HubSpotFakeRequest *request = ptr;

	g_free (request->method);
	g_free (request->path);
	g_free (request->query);
	g_clear_pointer (&request->body, json_node_unref);
	g_free (request->authorization);
	g_free (request);
}

static HubSpotFakeRequest *
fake_request_copy (const HubSpotFakeRequest *src)
{
	HubSpotFakeRequest *request = g_new0 (HubSpotFakeRequest, 1);

	request->method = g_strdup (src->method);
	request->path = g_strdup (src->path);
	request->query = g_strdup (src->query);
	request->start = src->start;
	request->body = src->body ? json_node_copy (src->body) : NULL;
	request->authorization = g_strdup (src->authorization);

	return request;
}

HubSpotFakeTransport *
hubspot_fake_transport_new (EHubSpotClock *clock)
{
	HubSpotFakeTransport *fake = g_new0 (HubSpotFakeTransport, 1);

	g_mutex_init (&fake->lock);
	fake->clock = g_object_ref (clock);
	fake->rate_max = 100;
	fake->rate_interval_ms = 10000;
	g_queue_init (&fake->rules);
	fake->requests = g_ptr_array_new_with_free_func (hubspot_fake_request_free);
	fake->meetings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
	fake->next_id = 1001;
	fake->held = g_ptr_array_new ();
	fake->title_in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	fake->failing_inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rule_free);

	return fake;
}

void
hubspot_fake_transport_free (HubSpotFakeTransport *fake)
{
	if (!fake)
		return;

	g_warn_if_fail (fake->held->len == 0);
	g_queue_clear_full (&fake->rules, rule_free);
	g_ptr_array_unref (fake->requests);
	g_hash_table_destroy (fake->meetings);
	g_ptr_array_unref (fake->held);
	g_hash_table_destroy (fake->title_in_flight);
	g_hash_table_destroy (fake->failing_inputs);
	g_free (fake->token);
	g_object_unref (fake->clock);
	g_mutex_clear (&fake->lock);
	g_free (fake);
}

void
hubspot_fake_transport_set_rate_limit (HubSpotFakeTransport *fake,
				       gint max,
				       gint interval_ms)
{
	g_mutex_lock (&fake->lock);
	fake->rate_max = max;
	fake->rate_interval_ms = interval_ms;
	g_mutex_unlock (&fake->lock);
}

void
hubspot_fake_transport_set_token (HubSpotFakeTransport *fake,
				  const gchar *token)
{
	g_mutex_lock (&fake->lock);
	g_free (fake->token);
	fake->token = g_strdup (token);
	g_mutex_unlock (&fake->lock);
}

void
hubspot_fake_transport_script (HubSpotFakeTransport *fake,
			       const gchar *method,
			       const gchar *path_prefix,
			       HubSpotFakeAction action,
			       guint times,
			       guint status,
			       const gchar *message,
			       gint64 delay_us)
{
	Rule *rule = g_new0 (Rule, 1);

	rule->method = g_strdup (method);
	rule->path_prefix = g_strdup (path_prefix ? path_prefix : "");
	rule->action = action;
	rule->times = times;
	rule->status = status;
	rule->message = g_strdup (message ? message : "Scripted failure");
	rule->delay_us = delay_us;

	g_mutex_lock (&fake->lock);
	g_queue_push_tail (&fake->rules, rule);
	g_mutex_unlock (&fake->lock);
}

void
hubspot_fake_transport_fail_batch_input (HubSpotFakeTransport *fake,
					 const gchar *title,
					 guint status,
					 const gchar *message)
{
	Rule *rule = g_new0 (Rule, 1);

	rule->action = HUBSPOT_FAKE_FAIL;
	rule->status = status;
	rule->message = g_strdup (message ? message : "Scripted failure");

	g_mutex_lock (&fake->lock);
	g_hash_table_replace (fake->failing_inputs, g_strdup (title), rule);
	g_mutex_unlock (&fake->lock);
}

/* Takes one use of the first rule that matches, or NULL. */
static Rule *
fake_take_rule_locked (HubSpotFakeTransport *fake,
		       const gchar *method,
		       const gchar *path,
		       Rule *out_copy)
{
	GList *link;

	for (link = fake->rules.head; link; link = link->next) {
		Rule *rule = link->data;

		if ((rule->method && g_strcmp0 (rule->method, method) != 0) ||
		    !g_str_has_prefix (path, rule->path_prefix))
			continue;

		/* A copy: the rule may go now. */
		out_copy->action = rule->action;
		out_copy->status = rule->status;
		out_copy->delay_us = rule->delay_us;
		out_copy->message = g_strdup (rule->message);
		if (--rule->times == 0) {
			g_queue_delete_link (&fake->rules, link);
			rule_free (rule);
		}
		return out_copy;
	}

	return NULL;
}

/* Meetings */

static gboolean
fake_is_time_property (const gchar *name)
{
	return g_str_has_suffix (name, "_time") || g_str_equal (name, "hs_timestamp");
}

static gchar *
fake_node_to_string (JsonNode *node)
{
	if (!node || JSON_NODE_HOLDS_NULL (node))
		return NULL;
	if (json_node_get_value_type (node) == G_TYPE_STRING)
		return g_strdup (json_node_get_string (node));
	if (json_node_get_value_type (node) == G_TYPE_INT64)
		return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

	return json_to_string (node, FALSE);
}

static gboolean
fake_values_equal (const gchar *name,
		   const gchar *a,
		   const gchar *b)
{
	if (!a || !b)
		return FALSE;
	if (fake_is_time_property (name))
		return e_hubspot_requests_parse_time_ms (a) == e_hubspot_requests_parse_time_ms (b);

	return g_str_equal (a, b);
}

static JsonNode *
fake_meeting_node (const gchar *id,
		   JsonObject *properties,
		   JsonArray *only)
{
	JsonObject *object = json_object_new ();
	JsonObject *props = json_object_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);
	GList *members, *link;

	members = json_object_get_members (properties);
	for (link = members; link; link = link->next) {
		const gchar *name = link->data;
		gboolean wanted = !only;
		guint ii;

		for (ii = 0; only && ii < json_array_get_length (only) && !wanted; ii++)
			wanted = g_strcmp0 (json_array_get_string_element (only, ii), name) == 0;
		if (wanted)
			json_object_set_member (props, name, json_node_copy (json_object_get_member (properties, name)));
	}
	g_list_free (members);

	json_object_set_string_member (object, "id", id);
	json_object_set_string_member (object, "createdAt", "2026-01-01T00:00:00.000Z");
	json_object_set_string_member (object, "updatedAt", "2026-01-01T00:00:00.000Z");
	json_object_set_boolean_member (object, "archived", FALSE);
	json_object_set_object_member (object, "properties", props);
	json_node_take_object (node, object);

	return node;
}

static gchar *
fake_add_meeting_locked (HubSpotFakeTransport *fake,
			 JsonObject *properties)
{
	gchar *id = g_strdup_printf ("%u", fake->next_id++);
	JsonObject *copy = json_object_new ();
	GList *members, *link;

	members = json_object_get_members (properties);
	for (link = members; link; link = link->next)
		json_object_set_member (copy, link->data, json_node_copy (json_object_get_member (properties, link->data)));
	g_list_free (members);
	json_object_set_string_member (copy, "hs_object_id", id);

	g_hash_table_insert (fake->meetings, g_strdup (id), copy);

	return id;
}

gchar *
hubspot_fake_transport_add_meeting (HubSpotFakeTransport *fake,
				    JsonObject *properties)
{
	gchar *id;

	g_mutex_lock (&fake->lock);
	id = fake_add_meeting_locked (fake, properties);
	g_mutex_unlock (&fake->lock);

	return id;
}

guint
hubspot_fake_transport_count_meetings (HubSpotFakeTransport *fake)
{
	guint count;

	g_mutex_lock (&fake->lock);
	count = g_hash_table_size (fake->meetings);
	g_mutex_unlock (&fake->lock);

	return count;
}

gchar *
hubspot_fake_transport_dup_property (HubSpotFakeTransport *fake,
				     const gchar *meeting_id,
				     const gchar *name)
{
	JsonObject *properties;
	gchar *value = NULL;

	g_mutex_lock (&fake->lock);
	properties = g_hash_table_lookup (fake->meetings, meeting_id);
	if (properties && json_object_has_member (properties, name))
		value = fake_node_to_string (json_object_get_member (properties, name));
	g_mutex_unlock (&fake->lock);

	return value;
}

/* One filter of a search group: EQ or BETWEEN, as the outbox sends them. */
static gboolean
fake_filter_matches (JsonObject *properties,
		     JsonObject *filter)
{
	const gchar *name = json_object_get_string_member_with_default (filter, "propertyName", "");
	const gchar *op = json_object_get_string_member_with_default (filter, "operator", "");
	g_autofree gchar *have = NULL;
	g_autofree gchar *value = NULL;

	if (!json_object_has_member (properties, name))
		return FALSE;
	have = fake_node_to_string (json_object_get_member (properties, name));
	value = fake_node_to_string (json_object_get_member (filter, "value"));

	if (g_str_equal (op, "EQ"))
		return fake_values_equal (name, have, value);

	if (g_str_equal (op, "BETWEEN")) {
		g_autofree gchar *high = fake_node_to_string (json_object_get_member (filter, "highValue"));
		gint64 at = e_hubspot_requests_parse_time_ms (have);

		return value && high && at >= e_hubspot_requests_parse_time_ms (value) &&
			at <= e_hubspot_requests_parse_time_ms (high);
	}

	return FALSE;
}

static gboolean
fake_group_matches (JsonObject *properties,
		    JsonObject *group)
{
	JsonArray *filters = json_object_get_array_member (group, "filters");
	guint ii;

	for (ii = 0; ii < json_array_get_length (filters); ii++) {
		if (!fake_filter_matches (properties, json_array_get_object_element (filters, ii)))
			return FALSE;
	}

	return TRUE;
}

static JsonNode *
fake_search_locked (HubSpotFakeTransport *fake,
		    JsonNode *body)
{
	JsonObject *request = json_node_get_object (body);
	JsonArray *groups = json_object_get_array_member (request, "filterGroups");
	JsonArray *only = json_object_has_member (request, "properties") ?
		json_object_get_array_member (request, "properties") : NULL;
	JsonArray *results = json_array_new ();
	JsonObject *answer = json_object_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);
	g_autoptr(GList) ids = g_hash_table_get_keys (fake->meetings);
	GList *link;

	/* Oldest record first, as the outbox's window search asks. */
	ids = g_list_sort (ids, (GCompareFunc) g_strcmp0);
	for (link = ids; link; link = link->next) {
		JsonObject *properties = g_hash_table_lookup (fake->meetings, link->data);
		gboolean match = FALSE;
		guint ii;

		for (ii = 0; ii < json_array_get_length (groups) && !match; ii++)
			match = fake_group_matches (properties, json_array_get_object_element (groups, ii));
		if (match)
			json_array_add_element (results, fake_meeting_node (link->data, properties, only));
	}

	json_object_set_int_member (answer, "total", json_array_get_length (results));
	json_object_set_array_member (answer, "results", results);
	json_node_take_object (node, answer);

	return node;
}

static JsonNode *
fake_error_body (guint status,
		 const gchar *message,
		 guint serial)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();
	g_autofree gchar *correlation = g_strdup_printf ("fake-%u", serial);

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "status");
	json_builder_add_string_value (builder, "error");
	json_builder_set_member_name (builder, "message");
	json_builder_add_string_value (builder, message);
	json_builder_set_member_name (builder, "correlationId");
	json_builder_add_string_value (builder, correlation);
	json_builder_set_member_name (builder, "category");
	json_builder_add_string_value (builder, status == 429 ? "RATE_LIMITS" :
		status == 401 ? "INVALID_AUTHENTICATION" : status == 404 ? "OBJECT_NOT_FOUND" :
		status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR");
	if (status == 429) {
		json_builder_set_member_name (builder, "policyName");
		json_builder_add_string_value (builder, "TEN_SECONDLY_ROLLING");
	}
	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

/* An input's error in a batch's 207: HubSpot's error, naming its id. */
static JsonNode *
fake_input_error (guint status,
		  const gchar *message,
		  const gchar *id,
		  guint serial)
{
	JsonNode *node = fake_error_body (status, message, serial);
	JsonObject *context = json_object_new ();
	JsonArray *ids = json_array_new ();

	json_array_add_string_element (ids, id);
	json_object_set_array_member (context, "ids", ids);
	json_object_set_object_member (json_node_get_object (node), "context", context);

	return node;
}

/* A batch call's answer: 200 with its results, or 207 when some inputs
 * failed (errors); takes both arrays. */
static JsonNode *
fake_batch_answer (JsonArray *results,
		   JsonArray *errors,
		   guint *out_status)
{
	JsonObject *answer = json_object_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);

	json_object_set_string_member (answer, "status", "COMPLETE");
	json_object_set_array_member (answer, "results", results);
	if (json_array_get_length (errors) > 0) {
		json_object_set_int_member (answer, "numErrors", json_array_get_length (errors));
		json_object_set_array_member (answer, "errors", errors);
		*out_status = 207;
	} else {
		json_array_unref (errors);
		*out_status = 200;
	}
	json_node_take_object (node, answer);

	return node;
}

/* The title a batch input concerns: its update's, or its meeting's. */
static gchar *
fake_input_title_locked (HubSpotFakeTransport *fake,
			 JsonObject *input)
{
	JsonObject *properties = json_object_has_member (input, "properties") ?
		json_object_get_object_member (input, "properties") : NULL;
	const gchar *id = json_object_has_member (input, "id") ? json_object_get_string_member (input, "id") : NULL;

	if ((!properties || !json_object_has_member (properties, "hs_meeting_title")) && id)
		properties = g_hash_table_lookup (fake->meetings, id);
	if (!properties || !json_object_has_member (properties, "hs_meeting_title"))
		return NULL;

	return fake_node_to_string (json_object_get_member (properties, "hs_meeting_title"));
}

/* Batch update and archive: each input as its single call, a 207 with
 * the failed ones (an unknown id, or one scripted to fail). */
static JsonNode *
fake_batch_change_locked (HubSpotFakeTransport *fake,
			  gboolean archive,
			  JsonArray *inputs,
			  guint *out_status)
{
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	JsonArray *results, *errors;
	guint ii;

	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *input = json_array_get_object_element (inputs, ii);
		const gchar *id = input && json_object_has_member (input, "id") ?
			json_object_get_string_member (input, "id") : NULL;

		if (!id || (!archive && !json_object_has_member (input, "properties")) ||
		    !g_hash_table_add (seen, (gpointer) id)) {
			*out_status = 400;
			return fake_error_body (400, "Each input needs its own id (and an update its properties)",
				fake->requests->len);
		}
	}

	results = json_array_new ();
	errors = json_array_new ();
	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *input = json_array_get_object_element (inputs, ii);
		const gchar *id = json_object_get_string_member (input, "id");
		JsonObject *properties = g_hash_table_lookup (fake->meetings, id);
		g_autofree gchar *title = fake_input_title_locked (fake, input);
		Rule *rule = title ? g_hash_table_lookup (fake->failing_inputs, title) : NULL;

		if (rule) {
			json_array_add_element (errors, fake_input_error (rule->status, rule->message, id, fake->requests->len));
			g_hash_table_remove (fake->failing_inputs, title);
		} else if (!properties) {
			json_array_add_element (errors, fake_input_error (404, "Could not get some MEETING objects", id,
				fake->requests->len));
		} else if (archive) {
			g_hash_table_remove (fake->meetings, id);
		} else {
			JsonObject *changes = json_object_get_object_member (input, "properties");
			GList *members = json_object_get_members (changes), *link;

			for (link = members; link; link = link->next)
				json_object_set_member (properties, link->data, json_node_copy (json_object_get_member (changes, link->data)));
			g_list_free (members);
			json_array_add_element (results, fake_meeting_node (id, properties, NULL));
		}
	}

	if (archive && json_array_get_length (errors) == 0) {
		json_array_unref (results);
		json_array_unref (errors);
		*out_status = 204;
		return NULL;
	}

	return fake_batch_answer (results, errors, out_status);
}

/* A batch read: the meetings known, in input order (an id asked twice
 * answered once), and a 207 with one OBJECT_NOT_FOUND error per unknown
 * id, as HubSpot names them (context.ids). */
static JsonNode *
fake_batch_read_locked (HubSpotFakeTransport *fake,
			JsonArray *inputs,
			JsonArray *only,
			guint *out_status)
{
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	JsonArray *results = json_array_new ();
	JsonArray *errors = json_array_new ();
	guint ii;

	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		const gchar *id = json_object_get_string_member_with_default (
			json_array_get_object_element (inputs, ii), "id", "");
		JsonObject *properties = g_hash_table_lookup (fake->meetings, id);

		if (!g_hash_table_add (seen, (gpointer) id))
			continue;

		if (properties)
			json_array_add_element (results, fake_meeting_node (id, properties, only));
		else
			json_array_add_element (errors, fake_input_error (404,
				"Could not get some MEETING objects, they may be deleted or not exist.", id, fake->requests->len));
	}

	return fake_batch_answer (results, errors, out_status);
}

/* The meeting path's id, or NULL when path is not /meetings/{id}. */
static const gchar *
fake_meeting_id (const gchar *path)
{
	const gchar *prefix = E_HUBSPOT_CRM_MEETINGS_PATH "/";
	const gchar *id;

	if (!g_str_has_prefix (path, prefix))
		return NULL;
	id = path + strlen (prefix);

	return *id && !strchr (id, '/') && !g_str_equal (id, "search") ? id : NULL;
}

/* What HubSpot does with a request: *out_status and the answer's body. */
static JsonNode *
fake_apply_locked (HubSpotFakeTransport *fake,
		   const gchar *method,
		   const gchar *path,
		   const gchar *query,
		   JsonNode *body,
		   guint *out_status)
{
	const gchar *meeting_id = fake_meeting_id (path);
	JsonObject *request = body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
	JsonArray *inputs = request && json_object_has_member (request, "inputs") ?
		json_object_get_array_member (request, "inputs") : NULL;
	JsonObject *properties;

	*out_status = 200;

	/* Every batch call on meetings takes 1 to 100 inputs. */
	if (g_str_equal (method, "POST") && g_str_has_prefix (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/") &&
	    (!inputs || json_array_get_length (inputs) == 0 || json_array_get_length (inputs) > 100)) {
		*out_status = 400;
		return fake_error_body (400, "A batch takes 1 to 100 inputs", fake->requests->len);
	}

	if (g_str_equal (method, "POST") &&
	    (g_str_equal (path, E_HUBSPOT_MEETINGS_CALENDAR_PATH) || g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_PATH))) {
		g_autofree gchar *id = NULL;

		if (!request || !json_object_has_member (request, "properties")) {
			*out_status = 400;
			return fake_error_body (400, "A meeting needs properties", fake->requests->len);
		}
		id = fake_add_meeting_locked (fake, json_object_get_object_member (request, "properties"));
		*out_status = g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_PATH) ? 201 : 200;
		return fake_meeting_node (id, g_hash_table_lookup (fake->meetings, id), NULL);
	}

	if (g_str_equal (method, "POST") && g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/create")) {
		JsonObject *answer;
		JsonArray *results;
		JsonNode *node;
		guint ii;

		for (ii = 0; ii < json_array_get_length (inputs); ii++) {
			if (!json_object_has_member (json_array_get_object_element (inputs, ii), "properties")) {
				*out_status = 400;
				return fake_error_body (400, "A meeting needs properties", fake->requests->len);
			}
		}

		results = json_array_new ();
		for (ii = 0; ii < json_array_get_length (inputs); ii++) {
			JsonObject *input = json_array_get_object_element (inputs, ii);
			g_autofree gchar *id = fake_add_meeting_locked (fake, json_object_get_object_member (input, "properties"));
			JsonNode *meeting = fake_meeting_node (id, g_hash_table_lookup (fake->meetings, id), NULL);

			if (json_object_has_member (input, "objectWriteTraceId"))
				json_object_set_member (json_node_get_object (meeting), "objectWriteTraceId",
					json_node_copy (json_object_get_member (input, "objectWriteTraceId")));
			json_array_add_element (results, meeting);
		}

		answer = json_object_new ();
		json_object_set_string_member (answer, "status", "COMPLETE");
		json_object_set_array_member (answer, "results", results);
		*out_status = 201;
		node = json_node_new (JSON_NODE_OBJECT);
		json_node_take_object (node, answer);
		return node;
	}

	if (g_str_equal (method, "POST") && (g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/update") ||
					      g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/archive"))) {

		return fake_batch_change_locked (fake, g_str_has_suffix (path, "/archive"), inputs, out_status);
	}

	if (g_str_equal (method, "POST") && g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/read")) {


		return fake_batch_read_locked (fake, inputs, json_object_has_member (request, "properties") ?
			json_object_get_array_member (request, "properties") : NULL, out_status);
	}

	if (g_str_equal (method, "POST") && g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH) && request)
		return fake_search_locked (fake, body);

	if (meeting_id) {
		properties = g_hash_table_lookup (fake->meetings, meeting_id);
		if (!properties) {
			*out_status = 404;
			return fake_error_body (404, "Object not found", fake->requests->len);
		}
		if (g_str_equal (method, "DELETE")) {
			g_hash_table_remove (fake->meetings, meeting_id);
			*out_status = 204;
			return NULL;
		}
		if (g_str_equal (method, "PATCH") && request && json_object_has_member (request, "properties")) {
			JsonObject *changes = json_object_get_object_member (request, "properties");
			GList *members = json_object_get_members (changes), *link;

			for (link = members; link; link = link->next)
				json_object_set_member (properties, link->data, json_node_copy (json_object_get_member (changes, link->data)));
			g_list_free (members);
		}
		return fake_meeting_node (meeting_id, properties, NULL);
	}

	if (g_str_equal (method, "GET") && g_str_equal (path, E_HUBSPOT_OWNERS_PATH)) {
		g_autofree gchar *email = NULL;
		g_autofree gchar *text = NULL;

		if (query && g_str_has_prefix (query, "email="))
			email = g_uri_unescape_string (query + strlen ("email="), NULL);
		text = g_strdup_printf ("{\"results\": [{\"id\": \"1\", \"userId\": 11, \"email\": \"%s\"}]}",
			email ? email : "owner@example.com");
		return json_from_string (text, NULL);
	}

	if (g_str_equal (method, "GET") && g_str_equal (path, E_HUBSPOT_ACCOUNT_INFO_PATH))
		return json_from_string ("{\"portalId\": 42, \"uiDomain\": \"app.hubspot.com\"}", NULL);

	*out_status = 404;
	return fake_error_body (404, "The fake has no such call", fake->requests->len);
}

/* The titles a request concerns: its body's, or its meeting's; a batch
 * update's or archive's, each input's. */
static gchar **
fake_request_titles_locked (HubSpotFakeTransport *fake,
			    const gchar *path,
			    JsonNode *body)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
	JsonObject *properties = body ? e_hubspot_requests_get_properties (body) : NULL;
	const gchar *meeting_id = fake_meeting_id (path);

	if (body && JSON_NODE_HOLDS_OBJECT (body) && (g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/update") ||
						     g_str_equal (path, E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/archive"))) {
		JsonObject *object = json_node_get_object (body);
		JsonArray *inputs = json_object_has_member (object, "inputs") ? json_object_get_array_member (object, "inputs") : NULL;
		guint ii;

		for (ii = 0; inputs && ii < json_array_get_length (inputs); ii++) {
			JsonObject *input = json_array_get_object_element (inputs, ii);
			g_autofree gchar *title = input ? fake_input_title_locked (fake, input) : NULL;

			if (title)
				g_strv_builder_add (builder, title);
		}
		return g_strv_builder_end (builder);
	}

	/* A cancel's body has no title: its meeting has. */
	if ((!properties || !json_object_has_member (properties, "hs_meeting_title")) && meeting_id)
		properties = g_hash_table_lookup (fake->meetings, meeting_id);
	if (properties && json_object_has_member (properties, "hs_meeting_title")) {
		g_autofree gchar *title = fake_node_to_string (json_object_get_member (properties, "hs_meeting_title"));

		g_strv_builder_add (builder, title);
	}

	return g_strv_builder_end (builder);
}

static gint
fake_rate_remaining_locked (HubSpotFakeTransport *fake,
			    gint64 now)
{
	gint used = 0;
	guint ii;

	for (ii = 0; ii < fake->requests->len; ii++) {
		HubSpotFakeRequest *request = g_ptr_array_index (fake->requests, ii);

		if (request->start > now - (gint64) fake->rate_interval_ms * 1000)
			used++;
	}

	return MAX (fake->rate_max - used, 0);
}

static void
answer_free (Answer *answer)
{
	g_clear_pointer (&answer->headers, soup_message_headers_unref);
	g_clear_pointer (&answer->body, g_bytes_unref);
	g_clear_error (&answer->error);
	g_strfreev (answer->titles);
	g_free (answer);
}

/* On the exchange's context: the answer goes back, the fake's lock
 * dropped first (the connection's callback takes the outbox's lock). */
static gboolean
fake_deliver_cb (gpointer user_data)
{
	Answer *answer = user_data;
	HubSpotFakeTransport *fake = answer->fake;
	GTask *exchange = g_steal_pointer (&answer->exchange);
	guint ii;

	g_mutex_lock (&fake->lock);
	fake->in_flight--;
	for (ii = 0; answer->titles && answer->titles[ii]; ii++) {
		const gchar *title = answer->titles[ii];
		guint count = GPOINTER_TO_UINT (g_hash_table_lookup (fake->title_in_flight, title));

		if (count > 1)
			g_hash_table_replace (fake->title_in_flight, g_strdup (title), GUINT_TO_POINTER (count - 1));
		else
			g_hash_table_remove (fake->title_in_flight, title);
	}
	g_mutex_unlock (&fake->lock);

	if (answer->error)
		e_hubspot_connection_exchange_return_error (exchange, g_steal_pointer (&answer->error));
	else
		e_hubspot_connection_exchange_return (exchange, answer->status, answer->headers, answer->body);

	answer_free (answer);

	return G_SOURCE_REMOVE;
}

static void
fake_send_later (Answer *answer,
		 GSource *source)
{
	g_source_set_callback (source, fake_deliver_cb, answer, NULL);
	g_source_attach (source, g_task_get_context (answer->exchange));
	g_source_unref (source);
}

static void
fake_send (GTask *exchange,
	   const gchar *method,
	   const gchar *uri,
	   SoupMessageHeaders *request_headers,
	   GBytes *body,
	   GCancellable *cancellable,
	   gpointer user_data)
{
	HubSpotFakeTransport *fake = user_data;
	g_autoptr(GUri) guri = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
	g_autoptr(JsonNode) answer_node = NULL;
	HubSpotFakeRequest *request;
	Answer *answer;
	Rule rule_copy = { 0, }, *rule = NULL;
	g_autofree gchar *token_header = NULL;
	const gchar *auth;
	gint64 now = e_hubspot_clock_get_monotonic (fake->clock);
	guint count, ii;

	request = g_new0 (HubSpotFakeRequest, 1);
	request->method = g_strdup (method);
	request->path = g_strdup (guri ? g_uri_get_path (guri) : uri);
	request->query = guri ? g_strdup (g_uri_get_query (guri)) : NULL;
	request->start = now;
	if (body && g_bytes_get_size (body))
		request->body = json_from_string (g_bytes_get_data (body, NULL), NULL);
	auth = soup_message_headers_get_one (request_headers, "Authorization");
	request->authorization = g_strdup (auth);

	answer = g_new0 (Answer, 1);
	answer->fake = fake;
	answer->exchange = exchange;
	answer->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

	g_mutex_lock (&fake->lock);
	token_header = fake->token ? g_strconcat ("Bearer ", fake->token, NULL) : NULL;
	g_ptr_array_add (fake->requests, request);
	fake->in_flight++;
	answer->titles = fake_request_titles_locked (fake, request->path, request->body);
	for (ii = 0; answer->titles[ii]; ii++) {
		count = GPOINTER_TO_UINT (g_hash_table_lookup (fake->title_in_flight, answer->titles[ii])) + 1;
		g_hash_table_replace (fake->title_in_flight, g_strdup (answer->titles[ii]), GUINT_TO_POINTER (count));
		fake->max_per_title = MAX (fake->max_per_title, count);
	}

	if (fake->token && g_strcmp0 (auth, token_header) != 0) {
		answer->status = 401;
		answer_node = fake_error_body (401, "Authentication credentials not found", fake->requests->len);
	} else if ((rule = fake_take_rule_locked (fake, method, request->path, &rule_copy)) &&
		   rule->action == HUBSPOT_FAKE_FAIL) {
		answer->status = rule->status;
		answer_node = fake_error_body (rule->status, rule->message, fake->requests->len);
	} else {
		answer_node = fake_apply_locked (fake, method, request->path, request->query, request->body, &answer->status);
	}

	if (rule && rule->action == HUBSPOT_FAKE_FORGET_LAST && answer_node && JSON_NODE_HOLDS_OBJECT (answer_node)) {
		JsonNode *results = json_object_get_member (json_node_get_object (answer_node), "results");

		if (results && JSON_NODE_HOLDS_ARRAY (results) && json_array_get_length (json_node_get_array (results)) > 0)
			json_array_remove_element (json_node_get_array (results), json_array_get_length (json_node_get_array (results)) - 1);
	}

	/* A search's answer carries no rate-limit headers (docs/design.md,
	 * "HubSpot facts the code relies on"). */
	if (!g_str_has_suffix (request->path, "/search")) {
		g_autofree gchar *max = g_strdup_printf ("%d", fake->rate_max);
		g_autofree gchar *remaining = g_strdup_printf ("%d", fake_rate_remaining_locked (fake, now));
		g_autofree gchar *interval = g_strdup_printf ("%d", fake->rate_interval_ms);

		soup_message_headers_replace (answer->headers, "X-HubSpot-RateLimit-Max", max);
		soup_message_headers_replace (answer->headers, "X-HubSpot-RateLimit-Remaining", remaining);
		soup_message_headers_replace (answer->headers, "X-HubSpot-RateLimit-Interval-Milliseconds", interval);
	}
	if (answer_node) {
		gchar *text = json_to_string (answer_node, FALSE);

		answer->body = g_bytes_new_take (text, strlen (text));
		soup_message_headers_replace (answer->headers, "Content-Type", "application/json");
	}

	if (rule && rule->action == HUBSPOT_FAKE_DROP_ANSWER) {
		answer->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
			"The fake dropped the answer");
	}

	if (rule && rule->action == HUBSPOT_FAKE_HOLD)
		g_ptr_array_add (fake->held, answer);
	else if (rule && rule->action == HUBSPOT_FAKE_DELAY)
		fake_send_later (answer, e_hubspot_clock_timeout_source_new (fake->clock, now + rule->delay_us));
	else
		fake_send_later (answer, g_idle_source_new ());

	g_mutex_unlock (&fake->lock);

	g_free (rule_copy.message);
}

void
hubspot_fake_transport_attach (HubSpotFakeTransport *fake,
			       EHubSpotConnection *cnc)
{
	e_hubspot_connection_set_transport (cnc, fake_send, fake, NULL);
}

guint
hubspot_fake_transport_release (HubSpotFakeTransport *fake)
{
	g_autoptr(GPtrArray) held = NULL;
	guint ii;

	g_mutex_lock (&fake->lock);
	held = g_steal_pointer (&fake->held);
	fake->held = g_ptr_array_new ();
	g_mutex_unlock (&fake->lock);

	for (ii = 0; ii < held->len; ii++)
		fake_send_later (g_ptr_array_index (held, ii), g_idle_source_new ());

	return held->len;
}

guint
hubspot_fake_transport_get_n_held (HubSpotFakeTransport *fake)
{
	guint n_held;

	g_mutex_lock (&fake->lock);
	n_held = fake->held->len;
	g_mutex_unlock (&fake->lock);

	return n_held;
}

static gboolean
fake_request_is (const HubSpotFakeRequest *request,
		 const gchar *method,
		 const gchar *path_prefix)
{
	return (!method || g_str_equal (request->method, method)) &&
		(!path_prefix || g_str_has_prefix (request->path, path_prefix));
}

guint
hubspot_fake_transport_count (HubSpotFakeTransport *fake,
			      const gchar *method,
			      const gchar *path_prefix)
{
	guint ii, count = 0;

	g_mutex_lock (&fake->lock);
	for (ii = 0; ii < fake->requests->len; ii++)
		count += fake_request_is (g_ptr_array_index (fake->requests, ii), method, path_prefix);
	g_mutex_unlock (&fake->lock);

	return count;
}

GPtrArray *
hubspot_fake_transport_dup_requests (HubSpotFakeTransport *fake,
				     const gchar *method,
				     const gchar *path_prefix)
{
	GPtrArray *requests = g_ptr_array_new_with_free_func (hubspot_fake_request_free);
	guint ii;

	g_mutex_lock (&fake->lock);
	for (ii = 0; ii < fake->requests->len; ii++) {
		HubSpotFakeRequest *request = g_ptr_array_index (fake->requests, ii);

		if (fake_request_is (request, method, path_prefix))
			g_ptr_array_add (requests, fake_request_copy (request));
	}
	g_mutex_unlock (&fake->lock);

	return requests;
}

guint
hubspot_fake_transport_get_max_in_flight_per_title (HubSpotFakeTransport *fake)
{
	guint max;

	g_mutex_lock (&fake->lock);
	max = fake->max_per_title;
	g_mutex_unlock (&fake->lock);

	return max;
}

guint
hubspot_fake_transport_get_in_flight (HubSpotFakeTransport *fake)
{
	guint in_flight;

	g_mutex_lock (&fake->lock);
	in_flight = fake->in_flight;
	g_mutex_unlock (&fake->lock);

	return in_flight;
}
