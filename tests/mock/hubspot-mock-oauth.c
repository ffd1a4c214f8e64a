/* hubspot-mock-oauth.c: HubSpot's OAuth 2 authorization server, mocked
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The authorization page (consent is automatic), the token endpoint with
 * the authorization_code and refresh_token grants (PKCE S256), the access
 * tokens it issued and their lifetime, and GET/POST /__mock/oauth.  See
 * README.md, "OAuth 2", and docs/design.md for what the client does.
 */

#include <string.h>

#include "hubspot-mock-private.h"

#define CODE_LIFETIME_MS (10 * 60 * 1000)
#define REDACTED "<redacted>"

typedef struct {
	gchar *client_id;
	gchar *redirect_uri;
	gchar **scopes;
	gchar *challenge;	/* S256 code_challenge, or NULL */
	gint64 created_ms;
	gboolean used;
	guint grant;		/* what it was exchanged for, 0 before */
} MockOAuthCode;

typedef struct {
	guint grant;
	gint64 expires_ms;
} MockOAuthAccess;

typedef struct {
	guint grant;
	gchar **scopes;
} MockOAuthRefresh;

struct _MockOAuth {
	/* From the options: what a reset restores */
	gchar *start_client_id;
	gchar *start_client_secret;
	gint64 start_lifetime_s;

	gchar *client_id;
	gchar *client_secret;
	gint64 lifetime_s;
	gboolean deny_consent;
	GPtrArray *registered_uris;	/* gchar *; empty: any loopback http URI */

	GHashTable *codes;		/* code ~> MockOAuthCode * */
	GHashTable *access_tokens;	/* token ~> MockOAuthAccess * (expired ones too) */
	GHashTable *refresh_tokens;	/* token ~> MockOAuthRefresh * (valid ones only) */
	guint next_grant;

	guint64 n_authorizations;
	guint64 n_code_grants;
	guint64 n_refresh_grants;
	guint64 n_rejected_grants;
	guint64 n_expired_calls;
	guint64 n_refresh_revoked;
};

/* What the authorization page grants; the scopes the mock's API needs */
static const gchar *known_scopes[] = {
	"crm.objects.contacts.read",
	"crm.objects.contacts.write",
	"crm.objects.companies.read",
	"crm.objects.owners.read",
	"oauth",
	NULL
};

static void
oauth_code_free (MockOAuthCode *code)
{
	g_free (code->client_id);
	g_free (code->redirect_uri);
	g_strfreev (code->scopes);
	g_free (code->challenge);
	g_free (code);
}

static void
oauth_refresh_free (MockOAuthRefresh *refresh)
{
	g_strfreev (refresh->scopes);
	g_free (refresh);
}

MockOAuth *
mock_oauth_new (const gchar *client_id,
		const gchar *client_secret,
		gint64 lifetime_s)
{
	MockOAuth *oauth = g_new0 (MockOAuth, 1);

	oauth->start_client_id = g_strdup (client_id);
	oauth->start_client_secret = g_strdup (client_secret);
	oauth->start_lifetime_s = lifetime_s;
	oauth->registered_uris = g_ptr_array_new_with_free_func (g_free);
	oauth->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) oauth_code_free);
	oauth->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	oauth->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) oauth_refresh_free);
	oauth->next_grant = 1;
	mock_oauth_reset (oauth);

	return oauth;
}

void
mock_oauth_free (MockOAuth *oauth)
{
	if (!oauth)
		return;

	g_free (oauth->start_client_id);
	g_free (oauth->start_client_secret);
	g_free (oauth->client_id);
	g_free (oauth->client_secret);
	g_ptr_array_unref (oauth->registered_uris);
	g_hash_table_unref (oauth->codes);
	g_hash_table_unref (oauth->access_tokens);
	g_hash_table_unref (oauth->refresh_tokens);
	g_free (oauth);
}

/* Between tests: the options' settings, no codes, no tokens, no counts */
void
mock_oauth_reset (MockOAuth *oauth)
{
	g_free (oauth->client_id);
	oauth->client_id = g_strdup (oauth->start_client_id);
	g_free (oauth->client_secret);
	oauth->client_secret = g_strdup (oauth->start_client_secret);
	oauth->lifetime_s = oauth->start_lifetime_s;
	oauth->deny_consent = FALSE;
	g_ptr_array_set_size (oauth->registered_uris, 0);

	g_hash_table_remove_all (oauth->codes);
	g_hash_table_remove_all (oauth->access_tokens);
	g_hash_table_remove_all (oauth->refresh_tokens);

	oauth->n_authorizations = 0;
	oauth->n_code_grants = 0;
	oauth->n_refresh_grants = 0;
	oauth->n_rejected_grants = 0;
	oauth->n_expired_calls = 0;
	oauth->n_refresh_revoked = 0;
}

/* Random base64url text; not the seeded generator of the faults, so that
 * signing in does not change which faults fire */
static gchar *
random_text (gsize n_bytes)
{
	g_autofree guint8 *bytes = g_new (guint8, n_bytes);
	g_autofree gchar *text = NULL;
	gsize ii;

	for (ii = 0; ii < n_bytes; ii++)
		bytes[ii] = g_random_int_range (0, 256);

	text = g_base64_encode (bytes, n_bytes);
	g_strdelimit (text, "+", '-');
	g_strdelimit (text, "/", '_');
	g_strdelimit (text, "=", '\0');

	return g_strdup (text);
}

/* PKCE S256 (RFC 7636): base64url, without padding, of SHA-256 of the verifier */
static gchar *
s256 (const gchar *verifier)
{
	g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
	guint8 digest[32];
	gsize len = sizeof (digest);
	g_autofree gchar *text = NULL;

	g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
	g_checksum_get_digest (checksum, digest, &len);

	text = g_base64_encode (digest, len);
	g_strdelimit (text, "+", '-');
	g_strdelimit (text, "/", '_');
	g_strdelimit (text, "=", '\0');

	return g_strdup (text);
}

/* RFC 7636: 43 to 128 of [A-Za-z0-9-._~], for verifiers and challenges alike */
static gboolean
is_pkce_text (const gchar *text)
{
	gsize len = strlen (text), ii;

	if (len < 43 || len > 128)
		return FALSE;

	for (ii = 0; ii < len; ii++) {
		if (!g_ascii_isalnum (text[ii]) && !strchr ("-._~", text[ii]))
			return FALSE;
	}

	return TRUE;
}

/* ------------------------------------------------------------------ */
/* The authorization page */

static void
reply_html (MockRequest *req,
	    guint status,
	    const gchar *title,
	    const gchar *message)
{
	g_autofree gchar *escaped = g_markup_escape_text (message, -1);

	g_free (req->html);
	req->html = g_strdup_printf ("<!DOCTYPE html>\n<html><head><title>%s</title></head>\n"
		"<body><h1>%s</h1><p>%s</p></body></html>\n", title, title, escaped);
	req->status = status;
}

static void
reply_bad_authorize (MockRequest *req,
		     const gchar *format,
		     ...) G_GNUC_PRINTF (2, 3);

/* Nothing to redirect to safely: an error page, as HubSpot shows */
static void
reply_bad_authorize (MockRequest *req,
		     const gchar *format,
		     ...)
{
	g_autofree gchar *message = NULL;
	va_list ap;

	va_start (ap, format);
	message = g_strdup_vprintf (format, ap);
	va_end (ap);

	reply_html (req, SOUP_STATUS_BAD_REQUEST, "Authorization failed", message);
}

static void
append_param (GString *location,
	      const gchar *name,
	      const gchar *value)
{
	g_autofree gchar *escaped = g_uri_escape_string (value, NULL, FALSE);

	g_string_append_printf (location, "%c%s=%s", strchr (location->str, '?') ? '&' : '?', name, escaped);
}

/* 302 to the client: @code, or @error and @description; the state echoed */
static void
redirect (MockRequest *req,
	  const gchar *redirect_uri,
	  const gchar *code,
	  const gchar *error,
	  const gchar *description)
{
	g_autoptr(GString) location = g_string_new (redirect_uri);
	const gchar *state = mock_query (req, "state");

	if (code) {
		append_param (location, "code", code);
	} else {
		append_param (location, "error", error);
		append_param (location, "error_description", description);
	}
	if (state)
		append_param (location, "state", state);

	mock_add_extra_header (req, "Location", location->str);
	req->status = SOUP_STATUS_FOUND;
	g_clear_pointer (&req->reason, g_free);
	req->reason = g_strdup ("Found");
}

/* Registered URIs: exactly one of them.  None registered: any http URI on
 * the loopback, as a desktop app's local listener uses. */
static gboolean
redirect_uri_allowed (MockOAuth *oauth,
		      const gchar *uri_text,
		      gchar **out_why)
{
	g_autoptr(GUri) uri = g_uri_parse (uri_text, G_URI_FLAGS_NONE, NULL);
	const gchar *host;
	guint ii;

	if (!uri) {
		*out_why = g_strdup_printf ("redirect_uri %s is not an absolute URI", uri_text);
		return FALSE;
	}

	if (g_uri_get_fragment (uri)) {
		*out_why = g_strdup_printf ("redirect_uri %s has a fragment", uri_text);
		return FALSE;
	}

	if (oauth->registered_uris->len) {
		for (ii = 0; ii < oauth->registered_uris->len; ii++) {
			if (g_str_equal (g_ptr_array_index (oauth->registered_uris, ii), uri_text))
				return TRUE;
		}
		*out_why = g_strdup_printf ("redirect_uri %s is not one of the app's redirect URLs", uri_text);
		return FALSE;
	}

	host = g_uri_get_host (uri);
	if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || !host ||
	    (g_ascii_strcasecmp (host, "127.0.0.1") != 0 && g_ascii_strcasecmp (host, "localhost") != 0 &&
	     g_strcmp0 (host, "::1") != 0)) {
		*out_why = g_strdup_printf ("redirect_uri %s is not an http URI on 127.0.0.1, localhost or [::1] "
			"(the app has no other redirect URL)", uri_text);
		return FALSE;
	}

	return TRUE;
}

/* Space- or '+'-separated scopes, each known; added to @scopes once */
static gboolean
collect_scopes (const gchar *text,
		GPtrArray *scopes,
		gchar **out_why)
{
	g_auto(GStrv) parts = g_strsplit_set (text, " +", -1);
	guint ii;

	for (ii = 0; parts[ii]; ii++) {
		if (!*parts[ii])
			continue;
		if (!g_strv_contains (known_scopes, parts[ii])) {
			*out_why = g_strdup_printf ("unknown scope %s", parts[ii]);
			return FALSE;
		}
		if (!g_ptr_array_find_with_equal_func (scopes, parts[ii], g_str_equal, NULL))
			g_ptr_array_add (scopes, g_strdup (parts[ii]));
	}

	return TRUE;
}

static void
authorize (MockRequest *req)
{
	static const gchar *allowed[] = {
		"client_id", "redirect_uri", "scope", "optional_scope", "state", "response_type",
		"code_challenge", "code_challenge_method", NULL
	};
	MockOAuth *oauth = req->mock->oauth;
	const gchar *client_id = mock_query (req, "client_id");
	const gchar *redirect_uri = mock_query (req, "redirect_uri");
	const gchar *scope = mock_query (req, "scope");
	const gchar *optional = mock_query (req, "optional_scope");
	const gchar *response_type = mock_query (req, "response_type");
	const gchar *challenge = mock_query (req, "code_challenge");
	const gchar *method = mock_query (req, "code_challenge_method");
	g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
	g_autofree gchar *why = NULL;
	GHashTableIter iter;
	gpointer key;
	MockOAuthCode *code;
	g_autofree gchar *random = NULL;
	gchar *code_text;

	if (!g_str_equal (req->method, "GET")) {
		reply_bad_authorize (req, "HTTP %s is not supported by %s (allowed: GET)", req->method, req->path);
		req->status = SOUP_STATUS_METHOD_NOT_ALLOWED;
		mock_add_extra_header (req, "Allow", "GET");
		return;
	}

	if (!client_id || !*client_id) {
		reply_bad_authorize (req, "client_id is missing");
		return;
	}
	if (!g_str_equal (client_id, oauth->client_id)) {
		reply_bad_authorize (req, "client_id %s is not the id of an app", client_id);
		return;
	}
	if (!redirect_uri || !*redirect_uri) {
		reply_bad_authorize (req, "redirect_uri is missing");
		return;
	}
	if (!redirect_uri_allowed (oauth, redirect_uri, &why)) {
		reply_bad_authorize (req, "%s", why);
		return;
	}

	/* From here on the client can be told (RFC 6749 4.1.2.1) */
	g_hash_table_iter_init (&iter, req->query);
	while (g_hash_table_iter_next (&iter, &key, NULL)) {
		if (!g_strv_contains (allowed, key)) {
			g_autofree gchar *message = g_strdup_printf ("unknown parameter %s", (const gchar *) key);

			redirect (req, redirect_uri, NULL, "invalid_request", message);
			return;
		}
	}

	/* HubSpot makes state optional; a client without it is open to
	 * cross-site request forgery, so the mock insists */
	if (!mock_query (req, "state") || !*mock_query (req, "state")) {
		redirect (req, redirect_uri, NULL, "invalid_request", "state is missing");
		return;
	}

	if (response_type && !g_str_equal (response_type, "code")) {
		redirect (req, redirect_uri, NULL, "unsupported_response_type", "response_type must be code");
		return;
	}

	if (!scope || !collect_scopes (scope, scopes, &why) || !scopes->len) {
		redirect (req, redirect_uri, NULL, "invalid_scope", why ? why : "scope is missing or empty");
		return;
	}
	if (optional && !collect_scopes (optional, scopes, &why)) {
		redirect (req, redirect_uri, NULL, "invalid_scope", why);
		return;
	}

	if (challenge || method) {
		if (!challenge || !is_pkce_text (challenge)) {
			redirect (req, redirect_uri, NULL, "invalid_request",
				"code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
			return;
		}
		if (g_strcmp0 (method, "S256") != 0) {
			redirect (req, redirect_uri, NULL, "invalid_request", "code_challenge_method must be S256");
			return;
		}
	}

	if (oauth->deny_consent) {
		redirect (req, redirect_uri, NULL, "access_denied", "The user did not grant the app access");
		return;
	}

	code = g_new0 (MockOAuthCode, 1);
	code->client_id = g_strdup (client_id);
	code->redirect_uri = g_strdup (redirect_uri);
	g_ptr_array_add (scopes, NULL);
	code->scopes = (gchar **) g_ptr_array_steal (scopes, NULL);
	code->challenge = g_strdup (challenge);
	code->created_ms = mock_now_ms ();

	random = random_text (24);
	code_text = g_strconcat ("na1-", random, NULL);
	g_hash_table_insert (oauth->codes, code_text, code);
	oauth->n_authorizations++;

	redirect (req, redirect_uri, code_text, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* The token endpoint */

static void
reply_token_error (MockRequest *req,
		   const gchar *hubspot_status,
		   const gchar *rfc_error,
		   const gchar *format,
		   ...) G_GNUC_PRINTF (4, 5);

/* Both HubSpot's members and RFC 6749's (5.2) */
static void
reply_token_error (MockRequest *req,
		   const gchar *hubspot_status,
		   const gchar *rfc_error,
		   const gchar *format,
		   ...)
{
	JsonObject *body = json_object_new ();
	g_autofree gchar *message = NULL;
	g_autofree gchar *uuid = g_uuid_string_random ();
	va_list ap;

	va_start (ap, format);
	message = g_strdup_vprintf (format, ap);
	va_end (ap);

	json_object_set_string_member (body, "status", hubspot_status);
	json_object_set_string_member (body, "message", message);
	json_object_set_string_member (body, "correlationId", uuid);
	json_object_set_string_member (body, "error", rfc_error);
	json_object_set_string_member (body, "error_description", message);

	req->mock->oauth->n_rejected_grants++;
	mock_reply_object (req, SOUP_STATUS_BAD_REQUEST, body);
}

static const gchar *code_parameters[] = {
	"grant_type", "client_id", "client_secret", "redirect_uri", "code", "code_verifier", NULL
};
static const gchar *code_required[] = {
	"client_id", "client_secret", "redirect_uri", "code", NULL
};
static const gchar *refresh_parameters[] = {
	"grant_type", "client_id", "client_secret", "refresh_token", NULL
};
static const gchar *refresh_required[] = {
	"client_id", "client_secret", "refresh_token", NULL
};

/* The body as text, NULL when not a form; @out_form gets it decoded */
static gboolean
decode_form (MockRequest *req,
	     GHashTable **out_form)
{
	SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
	g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
	g_autofree gchar *text = NULL;
	g_autoptr(GHashTable) form = NULL;
	g_auto(GStrv) pairs = NULL;
	GHashTableIter iter;
	gpointer key, value;
	gsize len = 0;
	const gchar *data = g_bytes_get_data (bytes, &len);
	guint n_pairs = 0, ii;

	text = g_strndup (data ? data : "", len);
	if (strlen (text) != len) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request", "the body holds a NUL byte");
		return FALSE;
	}

	form = soup_form_decode (text);
	pairs = g_strsplit (text, "&", -1);
	for (ii = 0; pairs[ii]; ii++) {
		if (*pairs[ii])
			n_pairs++;
	}

	/* soup_form_decode() keeps the last of repeated names and skips
	 * pairs it cannot decode: both are errors here (RFC 6749 3.2) */
	if (!form || g_hash_table_size (form) != n_pairs) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
			"the body is not a form of distinct name=value parameters");
		return FALSE;
	}

	g_hash_table_iter_init (&iter, form);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		if (!g_utf8_validate (key, -1, NULL) || !g_utf8_validate (value, -1, NULL)) {
			reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
				"the body is not UTF-8");
			return FALSE;
		}
	}

	*out_form = g_steal_pointer (&form);

	return TRUE;
}

static gboolean
check_parameters (MockRequest *req,
		  GHashTable *form,
		  const gchar * const *allowed,
		  const gchar * const *required)
{
	g_autoptr(GString) missing = g_string_new (NULL);
	GHashTableIter iter;
	gpointer key, value;
	guint ii;

	g_hash_table_iter_init (&iter, form);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		if (!g_strv_contains (allowed, key)) {
			reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
				"unknown parameter %s for grant_type %s", (const gchar *) key,
				(const gchar *) g_hash_table_lookup (form, "grant_type"));
			return FALSE;
		}
	}

	for (ii = 0; required[ii]; ii++) {
		const gchar *value_text = g_hash_table_lookup (form, required[ii]);

		if (!value_text || !*value_text)
			g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", required[ii]);
	}

	if (missing->len) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
			"missing or empty parameters: %s", missing->str);
		return FALSE;
	}

	return TRUE;
}

static gboolean
check_client (MockRequest *req,
	      GHashTable *form)
{
	MockOAuth *oauth = req->mock->oauth;

	if (!g_str_equal (g_hash_table_lookup (form, "client_id"), oauth->client_id)) {
		reply_token_error (req, "BAD_CLIENT_ID", "invalid_client", "missing or unknown client id");
		return FALSE;
	}

	if (!g_str_equal (g_hash_table_lookup (form, "client_secret"), oauth->client_secret)) {
		reply_token_error (req, "BAD_CLIENT_ID", "invalid_client", "the client secret does not match the client id");
		return FALSE;
	}

	return TRUE;
}

/* Every token of @grant stops working (a code used twice: RFC 6749 4.1.2) */
static void
revoke_grant (MockOAuth *oauth,
	      guint grant)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init (&iter, oauth->access_tokens);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		if (((MockOAuthAccess *) value)->grant == grant)
			g_hash_table_iter_remove (&iter);
	}

	g_hash_table_iter_init (&iter, oauth->refresh_tokens);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		if (((MockOAuthRefresh *) value)->grant == grant) {
			g_hash_table_iter_remove (&iter);
			oauth->n_refresh_revoked++;
		}
	}
}

static void
reply_tokens (MockRequest *req,
	      guint grant,
	      const gchar *refresh_token,
	      gchar **scopes)
{
	MockServer *mock = req->mock;
	MockOAuth *oauth = mock->oauth;
	MockOwner *owner = mock->owners->len ? g_ptr_array_index (mock->owners, 0) : NULL;
	MockOAuthAccess *access = g_new0 (MockOAuthAccess, 1);
	g_autofree gchar *random = random_text (48);
	gchar *access_token = g_strconcat ("CO", random, NULL);
	JsonObject *body = json_object_new ();
	JsonArray *scope_array = json_array_new ();
	guint ii;

	access->grant = grant;
	access->expires_ms = mock_now_ms () + oauth->lifetime_s * 1000;
	g_hash_table_insert (oauth->access_tokens, access_token, access);

	for (ii = 0; scopes[ii]; ii++)
		json_array_add_string_element (scope_array, scopes[ii]);

	json_object_set_string_member (body, "access_token", access_token);
	json_object_set_string_member (body, "refresh_token", refresh_token);
	json_object_set_int_member (body, "expires_in", oauth->lifetime_s);
	json_object_set_string_member (body, "token_type", "bearer");
	json_object_set_string_member (body, "token_use", "access_token");
	json_object_set_int_member (body, "hub_id", mock->portal_id);
	if (owner)
		json_object_set_int_member (body, "user_id", owner->user_id);
	json_object_set_array_member (body, "scopes", scope_array);

	req->redact_response = TRUE;
	mock_reply_object (req, SOUP_STATUS_OK, body);
}

static void
grant_code (MockRequest *req,
	    GHashTable *form)
{
	MockOAuth *oauth = req->mock->oauth;
	const gchar *code_text = g_hash_table_lookup (form, "code");
	const gchar *verifier = g_hash_table_lookup (form, "code_verifier");
	MockOAuthRefresh *refresh;
	MockOAuthCode *code;
	g_autofree gchar *random = NULL;
	gchar *refresh_token;

	if (!check_parameters (req, form, code_parameters, code_required) || !check_client (req, form))
		return;

	code = g_hash_table_lookup (oauth->codes, code_text);
	if (!code || !g_str_equal (code->client_id, oauth->client_id)) {
		reply_token_error (req, "BAD_AUTH_CODE", "invalid_grant", "missing or unknown auth code");
		return;
	}

	if (code->used) {
		if (code->grant)
			revoke_grant (oauth, code->grant);
		reply_token_error (req, "BAD_AUTH_CODE", "invalid_grant",
			"the auth code was used already (the tokens it gave are revoked)");
		return;
	}

	/* Whatever happens next, a code is good for one try */
	code->used = TRUE;

	if (mock_now_ms () - code->created_ms > CODE_LIFETIME_MS) {
		reply_token_error (req, "BAD_AUTH_CODE", "invalid_grant", "the auth code expired");
		return;
	}

	if (!g_str_equal (g_hash_table_lookup (form, "redirect_uri"), code->redirect_uri)) {
		reply_token_error (req, "BAD_REDIRECT_URI", "invalid_grant",
			"redirect_uri does not match the one of the authorization request");
		return;
	}

	if (code->challenge && (!verifier || !*verifier)) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
			"code_verifier is required: the authorization request sent a code_challenge");
		return;
	}
	if (!code->challenge && verifier) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
			"code_verifier without a code_challenge in the authorization request");
		return;
	}
	if (code->challenge) {
		g_autofree gchar *computed = NULL;

		if (!is_pkce_text (verifier)) {
			reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
				"code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
			return;
		}

		computed = s256 (verifier);
		if (!g_str_equal (computed, code->challenge)) {
			reply_token_error (req, "BAD_AUTH_CODE", "invalid_grant",
				"code_verifier does not match the code_challenge (S256)");
			return;
		}
	}

	code->grant = oauth->next_grant++;
	refresh = g_new0 (MockOAuthRefresh, 1);
	refresh->grant = code->grant;
	refresh->scopes = g_strdupv (code->scopes);
	random = g_uuid_string_random ();
	refresh_token = g_strconcat ("na1-", random, NULL);
	g_hash_table_insert (oauth->refresh_tokens, refresh_token, refresh);

	oauth->n_code_grants++;
	reply_tokens (req, code->grant, refresh_token, code->scopes);
}

/* HubSpot keeps the refresh token: the answer gives the same one back */
static void
grant_refresh (MockRequest *req,
	       GHashTable *form)
{
	MockOAuth *oauth = req->mock->oauth;
	const gchar *token = g_hash_table_lookup (form, "refresh_token");
	MockOAuthRefresh *refresh;

	if (!check_parameters (req, form, refresh_parameters, refresh_required) || !check_client (req, form))
		return;

	refresh = g_hash_table_lookup (oauth->refresh_tokens, token);
	if (!refresh) {
		reply_token_error (req, "BAD_REFRESH_TOKEN", "invalid_grant", "missing or unknown refresh token");
		return;
	}

	oauth->n_refresh_grants++;
	reply_tokens (req, refresh->grant, token, refresh->scopes);
}

static void
token (MockRequest *req)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
	const gchar *content_type = soup_message_headers_get_content_type (headers, NULL);
	g_autoptr(GHashTable) form = NULL;
	const gchar *grant_type;

	if (!g_str_equal (req->method, "POST")) {
		mock_reply_method_not_allowed (req, "POST");
		return;
	}

	if (g_hash_table_size (req->query)) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
			"parameters belong in the body, not in the query");
		return;
	}

	if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request",
			"the body must be application/x-www-form-urlencoded");
		return;
	}

	if (!decode_form (req, &form))
		return;

	grant_type = g_hash_table_lookup (form, "grant_type");
	if (!grant_type || !*grant_type) {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "invalid_request", "grant_type is missing");
	} else if (g_str_equal (grant_type, "authorization_code")) {
		grant_code (req, form);
	} else if (g_str_equal (grant_type, "refresh_token")) {
		grant_refresh (req, form);
	} else {
		reply_token_error (req, "MISSING_OR_INVALID_PARAMETERS", "unsupported_grant_type",
			"grant_type must be authorization_code or refresh_token");
	}
}

gboolean
mock_oauth_is_endpoint (const gchar *path)
{
	return g_str_equal (path, MOCK_OAUTH_AUTHORIZE_PATH) || g_str_equal (path, MOCK_OAUTH_TOKEN_PATH);
}

void
mock_oauth_dispatch (MockRequest *req)
{
	if (g_str_equal (req->path, MOCK_OAUTH_AUTHORIZE_PATH))
		authorize (req);
	else
		token (req);
}

/* ------------------------------------------------------------------ */
/* Access tokens on API calls */

MockOAuthTokenState
mock_oauth_check_access_token (MockServer *mock,
			       const gchar *token,
			       gint64 *out_expired_ms_ago)
{
	MockOAuthAccess *access = g_hash_table_lookup (mock->oauth->access_tokens, token);
	gint64 now = mock_now_ms ();

	if (!access)
		return MOCK_OAUTH_TOKEN_UNKNOWN;

	if (now >= access->expires_ms) {
		mock->oauth->n_expired_calls++;
		*out_expired_ms_ago = now - access->expires_ms;
		return MOCK_OAUTH_TOKEN_EXPIRED;
	}

	return MOCK_OAUTH_TOKEN_VALID;
}

/* ------------------------------------------------------------------ */
/* Records: no secret in them */

gboolean
mock_oauth_is_secret_name (const gchar *name)
{
	static const gchar *secrets[] = {
		"client_secret", "code", "code_verifier", "refresh_token", "access_token", NULL
	};

	return g_strv_contains (secrets, name);
}

/* The token request's form as an object, in the order sent, each secret
 * value "<redacted>"; the raw text redacted when it is no form */
JsonNode *
mock_oauth_record_body (MockRequest *req)
{
	SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
	g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
	gsize len = 0;
	const gchar *data = g_bytes_get_data (bytes, &len);
	g_autofree gchar *text = g_strndup (data, len);
	g_auto(GStrv) pairs = NULL;
	JsonObject *object;
	guint ii;

	if (!len)
		return json_node_init_null (json_node_alloc ());

	object = json_object_new ();
	pairs = g_strsplit (text, "&", -1);
	for (ii = 0; pairs[ii]; ii++) {
		g_autofree gchar *name = NULL, *value = NULL;
		gchar *eq = strchr (pairs[ii], '=');

		if (!*pairs[ii])
			continue;
		if (eq)
			*eq = '\0';

		g_strdelimit (pairs[ii], "+", ' ');
		name = g_uri_unescape_string (pairs[ii], NULL);
		if (!name || !g_utf8_validate (name, -1, NULL)) {
			g_free (name);
			name = g_strdup ("<undecodable>");
		}

		if (mock_oauth_is_secret_name (name) || !eq) {
			value = g_strdup (eq ? REDACTED : "");
		} else {
			g_strdelimit (eq + 1, "+", ' ');
			value = g_uri_unescape_string (eq + 1, NULL);
			if (!value || !g_utf8_validate (value, -1, NULL)) {
				g_free (value);
				value = g_strdup ("<undecodable>");
			}
		}

		/* A repeated name (refused anyway) keeps its first value */
		if (!json_object_has_member (object, name))
			json_object_set_string_member (object, name, value);
	}

	return json_node_init_object (json_node_alloc (), object);
}

/* A copy of the token endpoint's answer without the tokens */
JsonNode *
mock_oauth_redact_response (JsonNode *response)
{
	JsonNode *copy = json_node_copy (response);
	JsonObject *object = JSON_NODE_HOLDS_OBJECT (copy) ? json_node_get_object (copy) : NULL;

	if (object && json_object_has_member (object, "access_token"))
		json_object_set_string_member (object, "access_token", REDACTED);
	if (object && json_object_has_member (object, "refresh_token"))
		json_object_set_string_member (object, "refresh_token", REDACTED);

	return copy;
}

/* ------------------------------------------------------------------ */
/* GET/POST /__mock/oauth */

static JsonObject *
oauth_to_json (MockOAuth *oauth)
{
	JsonObject *object = json_object_new ();
	JsonObject *grants = json_object_new ();
	JsonArray *uris = json_array_new ();
	guint ii;

	for (ii = 0; ii < oauth->registered_uris->len; ii++)
		json_array_add_string_element (uris, g_ptr_array_index (oauth->registered_uris, ii));

	json_object_set_int_member (grants, "authorization_code", oauth->n_code_grants);
	json_object_set_int_member (grants, "refresh_token", oauth->n_refresh_grants);

	json_object_set_string_member (object, "client_id", oauth->client_id);
	json_object_set_int_member (object, "access_token_lifetime", oauth->lifetime_s);
	json_object_set_boolean_member (object, "deny_consent", oauth->deny_consent);
	json_object_set_array_member (object, "registered_redirect_uris", uris);
	json_object_set_int_member (object, "authorizations", oauth->n_authorizations);
	json_object_set_object_member (object, "grants", grants);
	json_object_set_int_member (object, "rejected_grants", oauth->n_rejected_grants);
	json_object_set_int_member (object, "expired_token_calls", oauth->n_expired_calls);
	json_object_set_int_member (object, "refresh_tokens_revoked", oauth->n_refresh_revoked);

	return object;
}

static void
reply_control_error (MockRequest *req,
		     const gchar *message)
{
	mock_reply_error (req, SOUP_STATUS_BAD_REQUEST, "VALIDATION_ERROR", message, NULL);
}

static gboolean
get_nonempty_string (MockRequest *req,
		     JsonObject *object,
		     const gchar *name,
		     const gchar **inout_value)
{
	g_autofree gchar *message = NULL;
	const gchar *value;

	if (!json_object_has_member (object, name))
		return TRUE;

	value = mock_json_get_string (object, name);
	if (value && *value) {
		*inout_value = value;
		return TRUE;
	}

	message = g_strdup_printf ("%s: must be a non-empty string", name);
	reply_control_error (req, message);

	return FALSE;
}

static gboolean
get_flag (MockRequest *req,
	  JsonObject *object,
	  const gchar *name,
	  gboolean *inout_value)
{
	JsonNode *node = json_object_get_member (object, name);
	g_autofree gchar *message = NULL;

	if (!node)
		return TRUE;

	if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN) {
		*inout_value = json_node_get_boolean (node);
		return TRUE;
	}

	message = g_strdup_printf ("%s: must be a boolean", name);
	reply_control_error (req, message);

	return FALSE;
}

static void
oauth_update (MockRequest *req)
{
	static const gchar *allowed[] = {
		"client_id", "client_secret", "access_token_lifetime", "deny_consent",
		"registered_redirect_uris", "revoke_refresh_tokens", "expire_access_tokens", NULL
	};
	MockOAuth *oauth = req->mock->oauth;
	const gchar *client_id = oauth->client_id, *client_secret = oauth->client_secret;
	gboolean deny = oauth->deny_consent, revoke = FALSE, expire = FALSE;
	gint64 lifetime = oauth->lifetime_s;
	g_autoptr(GList) members = NULL;
	JsonObject *object;
	JsonNode *node;
	JsonArray *uris = NULL;
	GList *link;
	guint ii;

	if (!req->body || !JSON_NODE_HOLDS_OBJECT (req->body)) {
		reply_control_error (req, "The body must be a JSON object");
		return;
	}

	/* Check everything before changing anything */
	object = json_node_get_object (req->body);
	members = json_object_get_members (object);
	for (link = members; link; link = g_list_next (link)) {
		if (!g_strv_contains (allowed, link->data)) {
			g_autofree gchar *list = g_strjoinv (", ", (gchar **) allowed);
			g_autofree gchar *message = g_strdup_printf ("Unknown member \"%s\" (known: %s)",
				(const gchar *) link->data, list);

			reply_control_error (req, message);
			return;
		}
	}

	if (!get_nonempty_string (req, object, "client_id", &client_id) ||
	    !get_nonempty_string (req, object, "client_secret", &client_secret) ||
	    !get_flag (req, object, "deny_consent", &deny) ||
	    !get_flag (req, object, "revoke_refresh_tokens", &revoke) ||
	    !get_flag (req, object, "expire_access_tokens", &expire))
		return;

	node = json_object_get_member (object, "access_token_lifetime");
	if (node) {
		if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
		    json_node_get_int (node) < 1 || json_node_get_int (node) > 86400) {
			reply_control_error (req, "access_token_lifetime: must be an integer from 1 to 86400 (seconds)");
			return;
		}
		lifetime = json_node_get_int (node);
	}

	node = json_object_get_member (object, "registered_redirect_uris");
	if (node) {
		uris = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
		for (ii = 0; uris && ii < json_array_get_length (uris); ii++) {
			JsonNode *element = json_array_get_element (uris, ii);
			g_autoptr(GUri) uri = NULL;

			if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
				uri = g_uri_parse (json_node_get_string (element), G_URI_FLAGS_NONE, NULL);
			if (!uri) {
				uris = NULL;
				break;
			}
		}
		if (!uris) {
			reply_control_error (req, "registered_redirect_uris: must be an array of absolute URIs");
			return;
		}
	}

	if (client_id != oauth->client_id) {
		gchar *copy = g_strdup (client_id);

		g_free (oauth->client_id);
		oauth->client_id = copy;
	}
	if (client_secret != oauth->client_secret) {
		gchar *copy = g_strdup (client_secret);

		g_free (oauth->client_secret);
		oauth->client_secret = copy;
	}
	oauth->lifetime_s = lifetime;
	oauth->deny_consent = deny;
	if (uris) {
		g_ptr_array_set_size (oauth->registered_uris, 0);
		for (ii = 0; ii < json_array_get_length (uris); ii++)
			g_ptr_array_add (oauth->registered_uris, g_strdup (json_array_get_string_element (uris, ii)));
	}

	if (revoke) {
		oauth->n_refresh_revoked += g_hash_table_size (oauth->refresh_tokens);
		g_hash_table_remove_all (oauth->refresh_tokens);
	}

	if (expire) {
		GHashTableIter iter;
		gpointer value;
		gint64 now = mock_now_ms ();

		g_hash_table_iter_init (&iter, oauth->access_tokens);
		while (g_hash_table_iter_next (&iter, NULL, &value)) {
			MockOAuthAccess *access = value;

			access->expires_ms = MIN (access->expires_ms, now);
		}
	}

	mock_reply_object (req, SOUP_STATUS_OK, oauth_to_json (oauth));
}

void
mock_oauth_control (MockRequest *req)
{
	if (g_str_equal (req->method, "GET"))
		mock_reply_object (req, SOUP_STATUS_OK, oauth_to_json (req->mock->oauth));
	else if (g_str_equal (req->method, "POST"))
		oauth_update (req);
	else
		mock_reply_method_not_allowed (req, "GET, POST");
}
