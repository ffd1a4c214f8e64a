/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "e-hubspot-error.h"
#include "e-hubspot-json.h"

typedef struct {
	guint status;
	gchar *category;
	gchar *correlation_id;
	gchar *policy_name;
	gint retry_after;	/* seconds, -1 when HubSpot did not say */
} EHubSpotErrorPrivate;

static void
e_hubspot_error_private_init (EHubSpotErrorPrivate *priv)
{
	priv->retry_after = -1;
}

static void
e_hubspot_error_private_copy (const EHubSpotErrorPrivate *src,
			      EHubSpotErrorPrivate *dest)
{
	dest->status = src->status;
	dest->category = g_strdup (src->category);
	dest->correlation_id = g_strdup (src->correlation_id);
	dest->policy_name = g_strdup (src->policy_name);
	dest->retry_after = src->retry_after;
}

static void
e_hubspot_error_private_clear (EHubSpotErrorPrivate *priv)
{
	g_clear_pointer (&priv->category, g_free);
	g_clear_pointer (&priv->correlation_id, g_free);
	g_clear_pointer (&priv->policy_name, g_free);
}

G_DEFINE_EXTENDED_ERROR (EHubSpotError, e_hubspot_error)

static EHubSpotErrorCode
hubspot_error_code_for_status (guint status)
{
	switch (status) {
	case 400: return E_HUBSPOT_ERROR_VALIDATION;
	case 401: return E_HUBSPOT_ERROR_UNAUTHORIZED;
	case 403: return E_HUBSPOT_ERROR_FORBIDDEN;
	case 404: return E_HUBSPOT_ERROR_NOT_FOUND;
	case 423: return E_HUBSPOT_ERROR_LOCKED;
	case 429: return E_HUBSPOT_ERROR_RATE_LIMITED;
	case 477: return E_HUBSPOT_ERROR_MIGRATION;
	default:
		return status >= 500 && status < 600 ? E_HUBSPOT_ERROR_SERVER : E_HUBSPOT_ERROR_HTTP;
	}
}

static gchar *
hubspot_error_dup_member (JsonObject *object,
			  const gchar *member)
{
	JsonNode *node = object ? json_object_get_member (object, member) : NULL;

	if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
		const gchar *value = json_node_get_string (node);

		if (value && *value)
			return g_strdup (value);
	}

	return NULL;
}

/* What the user reads (and D-Bus carries) is UTF-8 and of a sane length,
 * whatever a server in between sent. */
#define HUBSPOT_ERROR_MAX_MESSAGE 1024

static void
hubspot_error_make_readable (gchar **message)
{
	gchar *valid = g_utf8_make_valid (*message, -1);

	if (g_utf8_strlen (valid, -1) > HUBSPOT_ERROR_MAX_MESSAGE) {
		gchar *cut = g_utf8_offset_to_pointer (valid, HUBSPOT_ERROR_MAX_MESSAGE);
		g_autofree gchar *head = g_strndup (valid, cut - valid);

		g_free (valid);
		valid = g_strconcat (head, "…", NULL);
	}

	g_free (*message);
	*message = valid;
}

static void
hubspot_error_add_scopes (GPtrArray *scopes,
			  JsonObject *context)
{
	static const gchar *members[] = { "requiredScopes", "requiredGranularScopes" };

	for (guint mm = 0; context && mm < G_N_ELEMENTS (members); mm++) {
		JsonNode *node = json_object_get_member (context, members[mm]);
		JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

		for (guint ii = 0; array && ii < json_array_get_length (array); ii++) {
			JsonNode *element = json_array_get_element (array, ii);
			const gchar *scope;

			if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
				continue;
			scope = json_node_get_string (element);
			if (scope && *scope && !g_ptr_array_find_with_equal_func (scopes, scope, g_str_equal, NULL))
				g_ptr_array_add (scopes, g_strdup (scope));
		}
	}
}

static JsonObject *
hubspot_error_get_object_member (JsonObject *object,
				 const gchar *member)
{
	JsonNode *node = object ? json_object_get_member (object, member) : NULL;

	return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A 403 names the scopes the app lacks (context.requiredScopes, or in
 * errors[].context): the user needs them to fix the app or the key. */
static gchar *
hubspot_error_dup_required_scopes (JsonObject *object)
{
	g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
	JsonNode *errors = object ? json_object_get_member (object, "errors") : NULL;

	hubspot_error_add_scopes (scopes, hubspot_error_get_object_member (object, "context"));
	if (errors && JSON_NODE_HOLDS_ARRAY (errors)) {
		JsonArray *array = json_node_get_array (errors);

		for (guint ii = 0; ii < json_array_get_length (array); ii++) {
			JsonNode *element = json_array_get_element (array, ii);

			if (JSON_NODE_HOLDS_OBJECT (element))
				hubspot_error_add_scopes (scopes, hubspot_error_get_object_member (json_node_get_object (element), "context"));
		}
	}

	if (!scopes->len)
		return NULL;

	g_ptr_array_add (scopes, NULL);

	return g_strjoinv (", ", (gchar **) scopes->pdata);
}

/* Every member of HubSpot's error body is optional, and a proxy in
 * between may answer with HTML: fall back to the HTTP reason phrase. */
GError *
e_hubspot_error_new_from_response (guint status,
				   const gchar *reason_phrase,
				   const gchar *body,
				   gsize body_len,
				   const gchar *retry_after)
{
	g_autoptr(JsonNode) root = NULL;
	JsonObject *object = NULL;

	/* Not JSON (a proxy's HTML page, say): the reason phrase speaks. */
	if (body && body_len > 0)
		root = e_hubspot_json_parse (body, body_len, NULL);
	if (root && JSON_NODE_HOLDS_OBJECT (root))
		object = json_node_get_object (root);

	return e_hubspot_error_new_from_object (status, reason_phrase, object, retry_after);
}

GError *
e_hubspot_error_new_from_object (guint status,
				 const gchar *reason_phrase,
				 JsonObject *object,
				 const gchar *retry_after)
{
	g_autofree gchar *message = NULL;
	g_autofree gchar *text = NULL;
	EHubSpotErrorPrivate *priv;
	GError *error;

	message = hubspot_error_dup_member (object, "message");
	if (!message)
		message = g_strdup (reason_phrase && *reason_phrase ? reason_phrase : _("Unknown error"));

	if (status == 403) {
		g_autofree gchar *scopes = hubspot_error_dup_required_scopes (object);

		if (scopes) {
			/* Translators: the first %s is HubSpot's message, the second a list of its scope names */
			gchar *with_scopes = g_strdup_printf (_("%s (missing scopes: %s)"), message, scopes);

			g_free (message);
			message = with_scopes;
		}
	}
	hubspot_error_make_readable (&message);

	text = g_strdup_printf (_("HubSpot answered %u: %s"), status, message);
	error = g_error_new_literal (E_HUBSPOT_ERROR, hubspot_error_code_for_status (status), text);

	priv = e_hubspot_error_get_private (error);
	priv->status = status;
	priv->category = hubspot_error_dup_member (object, "category");
	if (!priv->category)
		priv->category = hubspot_error_dup_member (object, "errorType");
	priv->correlation_id = hubspot_error_dup_member (object, "correlationId");
	priv->policy_name = hubspot_error_dup_member (object, "policyName");

	if (retry_after && *retry_after) {
		gchar *end = NULL;
		gint64 seconds = g_ascii_strtoll (retry_after, &end, 10);

		if (end && !*end && seconds >= 0)
			priv->retry_after = (gint) MIN (seconds, G_MAXINT);
	}

	return error;
}

#define PRIVATE_GETTER(type, name, fallback) \
type \
e_hubspot_error_get_##name (const GError *error) \
{ \
	if (!error || error->domain != E_HUBSPOT_ERROR) \
		return fallback; \
	return e_hubspot_error_get_private (error)->name; \
}

PRIVATE_GETTER (guint, status, 0)
PRIVATE_GETTER (const gchar *, category, NULL)
PRIVATE_GETTER (const gchar *, correlation_id, NULL)
PRIVATE_GETTER (const gchar *, policy_name, NULL)
PRIVATE_GETTER (gint, retry_after, -1)

/* Whether the same request may succeed later without any change to it
 * (docs/design.md, "HubSpot facts the code relies on"). Network errors are transient, the rest is not. */
gboolean
e_hubspot_error_is_transient (const GError *error)
{
	if (!error)
		return FALSE;

	if (error->domain == E_HUBSPOT_ERROR) {
		switch (error->code) {
		case E_HUBSPOT_ERROR_LOCKED:
		case E_HUBSPOT_ERROR_RATE_LIMITED:
		case E_HUBSPOT_ERROR_MIGRATION:
		case E_HUBSPOT_ERROR_SERVER:
		case E_HUBSPOT_ERROR_BAD_RESPONSE:
			return TRUE;
		default:
			return FALSE;
		}
	}

	/* I/O, TLS, resolver and libsoup's own errors: the network, try again. */
	return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
