/* hubspot-mock-reply.c: the answers of the mock HubSpot server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Handlers only leave their answer in the MockRequest; hubspot-mock.c
 * sends it.  Every error body has HubSpot's shape (docs/design.md, "HubSpot facts the code relies on").
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

void
mock_add_extra_header (MockRequest *req,
		       const gchar *name,
		       const gchar *value)
{
	if (!req->extra_headers)
		req->extra_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_hash_table_replace (req->extra_headers, g_strdup (name), g_strdup (value));
}

void
mock_add_error_item (JsonArray *errors,
		     const gchar *code,
		     const gchar *in,
		     const gchar *format,
		     ...)
{
	JsonObject *item = json_object_new ();
	g_autofree gchar *text = NULL;
	va_list ap;

	va_start (ap, format);
	text = g_strdup_vprintf (format, ap);
	va_end (ap);

	json_object_set_string_member (item, "message", text);
	json_object_set_string_member (item, "code", code);
	if (in)
		json_object_set_string_member (item, "in", in);
	json_array_add_object_element (errors, item);
}

void
mock_reply_json (MockRequest *req,
		 guint status,
		 JsonNode *node)
{
	g_clear_pointer (&req->response, json_node_unref);
	req->response = node;
	req->status = status;
}

void
mock_reply_object (MockRequest *req,
		   guint status,
		   JsonObject *object)
{
	JsonNode *node = json_node_init_object (json_node_alloc (), object);

	json_object_unref (object);
	mock_reply_json (req, status, node);
}

static JsonObject *
error_body (const gchar *category,
	    const gchar *message,
	    JsonArray *errors)
{
	JsonObject *body = json_object_new ();
	g_autofree gchar *uuid = g_uuid_string_random ();

	json_object_set_string_member (body, "status", "error");
	json_object_set_string_member (body, "message", message);
	json_object_set_string_member (body, "correlationId", uuid);
	json_object_set_string_member (body, "category", category);
	json_object_set_array_member (body, "errors", errors ? errors : json_array_new ());

	return body;
}

void
mock_reply_error (MockRequest *req,
		  guint status,
		  const gchar *category,
		  const gchar *message,
		  JsonArray *errors)
{
	mock_reply_object (req, status, error_body (category, message, errors));
}

void
mock_reply_invalid_body (MockRequest *req)
{
	g_autofree gchar *message = NULL;

	if (req->body_empty)
		message = g_strdup ("Invalid input JSON : No content to map due to end-of-input");
	else
		message = g_strdup_printf ("Invalid input JSON %s", req->body_error ? req->body_error : ": not JSON");

	mock_reply_error (req, SOUP_STATUS_BAD_REQUEST, "VALIDATION_ERROR", message, NULL);
}

gboolean
mock_require_json_body (MockRequest *req)
{
	if (req->body)
		return TRUE;

	mock_reply_invalid_body (req);

	return FALSE;
}

void
mock_reply_validation_errors (MockRequest *req,
			      JsonArray *errors)
{
	g_autofree gchar *joined = e_hubspot_mock_schema_problems_to_string (errors);
	g_autofree gchar *message = g_strdup_printf ("Invalid input: %s", joined);

	mock_reply_error (req, SOUP_STATUS_BAD_REQUEST, "VALIDATION_ERROR", message, errors);
}

void
mock_reply_bad_request (MockRequest *req,
			const gchar *in,
			const gchar *message)
{
	JsonArray *errors = json_array_new ();

	mock_add_error_item (errors, "INVALID_VALUE", in, "%s", message);
	mock_reply_error (req, SOUP_STATUS_BAD_REQUEST, "VALIDATION_ERROR", message, errors);
}

JsonObject *
mock_batch_error (const gchar *category,
		  const gchar *message,
		  const gchar *context_name,
		  GPtrArray *context_values)
{
	JsonObject *item = json_object_new ();
	JsonObject *context = json_object_new ();
	guint ii;

	if (context_name) {
		JsonArray *values = json_array_new ();

		for (ii = 0; context_values && ii < context_values->len; ii++)
			json_array_add_string_element (values, g_ptr_array_index (context_values, ii));
		json_object_set_array_member (context, context_name, values);
	}

	json_object_set_string_member (item, "status", "error");
	json_object_set_string_member (item, "category", category);
	json_object_set_string_member (item, "message", message);
	json_object_set_object_member (item, "context", context);

	return item;
}

void
mock_reply_batch (MockRequest *req,
		  guint ok_status,
		  JsonArray *results,
		  JsonArray *errors,
		  gint64 started_ms)
{
	JsonObject *answer = json_object_new ();
	g_autofree gchar *started = mock_iso_time (started_ms);
	g_autofree gchar *completed = mock_iso_time (MAX (mock_now_ms (), started_ms));
	gboolean partial = errors && json_array_get_length (errors) > 0;

	json_object_set_string_member (answer, "status", "COMPLETE");
	json_object_set_array_member (answer, "results", results);
	if (partial) {
		json_object_set_int_member (answer, "numErrors", json_array_get_length (errors));
		json_object_set_array_member (answer, "errors", errors);
	} else if (errors) {
		json_array_unref (errors);
	}
	json_object_set_string_member (answer, "startedAt", started);
	json_object_set_string_member (answer, "completedAt", completed);

	mock_reply_object (req, partial ? SOUP_STATUS_MULTI_STATUS : ok_status, answer);
}

void
mock_reply_not_found (MockRequest *req)
{
	g_autofree gchar *message = g_strdup_printf ("No API endpoint at %s %s (the mock implements only the calls the project makes)",
		req->method, req->path);

	mock_reply_error (req, SOUP_STATUS_NOT_FOUND, "OBJECT_NOT_FOUND", message, NULL);
}

void
mock_reply_method_not_allowed (MockRequest *req,
			       const gchar *allowed)
{
	g_autofree gchar *message = g_strdup_printf ("HTTP %s is not supported by %s (allowed: %s)",
		req->method, req->path, allowed);

	mock_add_extra_header (req, "Allow", allowed);
	mock_reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "VALIDATION_ERROR", message, NULL);
}

/* json-glib 1.6 writes U+001F unescaped, which makes the JSON invalid */
gchar *
mock_json_to_string (JsonNode *node)
{
	g_autofree gchar *text = json_to_string (node, FALSE);
	GString *fixed;
	const gchar *p;

	if (!strchr (text, 0x1f))
		return g_steal_pointer (&text);

	fixed = g_string_sized_new (strlen (text) + 16);
	for (p = text; *p; p++) {
		if (*p == 0x1f)
			g_string_append (fixed, "\\u001f");
		else
			g_string_append_c (fixed, *p);
	}

	return g_string_free (fixed, FALSE);
}

void
mock_reply_rate_limited (MockRequest *req,
		    const gchar *policy)
{
	JsonObject *body = json_object_new ();
	g_autofree gchar *uuid = g_uuid_string_random ();
	const gchar *message;

	if (g_strcmp0 (policy, "SECONDLY") == 0)
		message = "You have reached your secondly limit.";
	else if (g_strcmp0 (policy, "DAILY") == 0)
		message = "You have reached your daily limit.";
	else
		message = "You have reached your ten_secondly_rolling limit.";

	json_object_set_string_member (body, "status", "error");
	json_object_set_string_member (body, "message", message);
	json_object_set_string_member (body, "errorType", "RATE_LIMIT");
	json_object_set_string_member (body, "correlationId", uuid);
	json_object_set_string_member (body, "policyName", policy ? policy : "TEN_SECONDLY_ROLLING");

	req->mock->n_rate_limited++;
	mock_reply_object (req, 429, body);
}

void
mock_fault_describe (guint status,
		     const gchar **out_category,
		     const gchar **out_message)
{
	switch (status) {
	case 400:
		*out_category = "VALIDATION_ERROR";
		*out_message = "Invalid input (injected fault)";
		break;
	case 401:
		*out_category = "INVALID_AUTHENTICATION";
		*out_message = "Authentication credentials not found (injected fault)";
		break;
	case 403:
		*out_category = "MISSING_SCOPES";
		*out_message = "This app hasn't been granted all required scopes to make this call (injected fault)";
		break;
	case 404:
		*out_category = "OBJECT_NOT_FOUND";
		*out_message = "resource not found (injected fault)";
		break;
	case 409:
		*out_category = "CONFLICT";
		*out_message = "Conflict (injected fault)";
		break;
	case 423:
		*out_category = "LOCKED";
		*out_message = "The resource is locked; try again in a few seconds (injected fault)";
		break;
	case 429:
		*out_category = "RATE_LIMITS";
		*out_message = "You have reached your ten_secondly_rolling limit. (injected fault)";
		break;
	case 477:
		*out_category = "MIGRATION_IN_PROGRESS";
		*out_message = "The account is being migrated; try again later (injected fault)";
		break;
	default:
		*out_category = status >= 500 ? "INTERNAL_ERROR" : "UNKNOWN";
		*out_message = "Internal error (injected fault)";
		break;
	}
}

void
mock_reply_fault_status (MockRequest *req,
		    const MockFault *fault)
{
	const gchar *category, *message;
	JsonObject *body;

	if (fault->status == 429) {
		mock_reply_rate_limited (req, fault->policy_name);
	} else {
		mock_fault_describe (fault->status, &category, &message);
		body = error_body (category, message, NULL);
		if (fault->status == 403) {
			JsonObject *context = json_object_new ();
			JsonArray *scopes = json_array_new ();

			json_array_add_string_element (scopes, "crm.objects.contacts.write");
			json_object_set_array_member (context, "requiredScopes", scopes);
			json_object_set_object_member (body, "context", context);
		}

		mock_reply_object (req, fault->status, body);
	}

	if (fault->retry_after >= 0) {
		g_autofree gchar *value = g_strdup_printf ("%d", fault->retry_after);

		mock_add_extra_header (req, "Retry-After", value);
	}
}
