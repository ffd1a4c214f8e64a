/* test-mock-oauth.c: hubspot-mock's OAuth 2 authorization server (the
 * authorization page, the token endpoint, access tokens and their limits)
 * over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "mock-test-client.h"

#define REDIRECT "http://127.0.0.1:8765/callback"
#define FORM "application/x-www-form-urlencoded"
#define TOKEN_PATH "/oauth/2026-03/token"
#define OWNERS "/crm/owners/2026-03"
#define SEARCH "/crm/objects/2026-03/meetings/search"
#define SCOPES "crm.objects.contacts.read crm.objects.contacts.write crm.objects.owners.read oauth"

/* RFC 7636 S256 of VERIFIER, computed with openssl (base64url, no padding) */
#define VERIFIER "mock-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"
#define CHALLENGE "SSbZRPZqzt41vB7FMrpKGWPOXWZL3c9AJoCimdKnP3s"
#define OTHER_VERIFIER "mock-test-verifier-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static MockTestServer *server;

static gchar *
escape (const gchar *text)
{
	return g_uri_escape_string (text, NULL, FALSE);
}

/* GET /oauth/authorize?@query: the status, the Location (or NULL) and the body */
static guint
authorize (MockTestServer *on,
	   const gchar *query,
	   gchar **out_location,
	   gchar **out_body)
{
	g_autofree gchar *path = g_strconcat ("/oauth/authorize?", query, NULL);
	g_autoptr(GHashTable) headers = NULL;
	guint status = mock_test_request (on, "GET", path, NULL, NULL, NULL, &headers, out_body);

	*out_location = g_strdup (g_hash_table_lookup (headers, "location"));

	return status;
}

/* The query of a redirect to @base, decoded; fails unless it goes there */
static GHashTable *
redirect_params (const gchar *location,
		 const gchar *base)
{
	g_autoptr(GError) error = NULL;
	GHashTable *params;

	g_assert_nonnull (location);
	if (!g_str_has_prefix (location, base) || location[strlen (base)] != (strchr (base, '?') ? '&' : '?'))
		g_error ("redirect to %s, expected one to %s", location, base);

	params = g_uri_parse_params (location + strlen (base) + 1, -1, "&", G_URI_PARAMS_NONE, &error);
	g_assert_no_error (error);

	return params;
}

/* The authorization query for the client mock-client-id, @redirect_uri,
 * every known scope, @state and @extra (or NULL) */
static gchar *
authorize_query (const gchar *redirect_uri,
		 const gchar *state,
		 const gchar *extra)
{
	g_autofree gchar *uri = escape (redirect_uri);
	g_autofree gchar *escaped_state = escape (state);

	return g_strdup_printf ("client_id=mock-client-id&redirect_uri=%s&scope=%s&state=%s%s%s", uri,
		"crm.objects.contacts.read+crm.objects.contacts.write%20crm.objects.owners.read+oauth",
		escaped_state, extra ? "&" : "", extra ? extra : "");
}

/* A code through the whole authorization page, its state checked */
static gchar *
get_code (MockTestServer *on,
	  const gchar *extra)
{
	g_autofree gchar *query = authorize_query (REDIRECT, "st-1", extra);
	g_autofree gchar *location = NULL;
	g_autoptr(GHashTable) params = NULL;

	g_assert_cmpuint (authorize (on, query, &location, NULL), ==, 302);
	params = redirect_params (location, REDIRECT);
	g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "st-1");
	g_assert_null (g_hash_table_lookup (params, "error"));
	g_assert_nonnull (g_hash_table_lookup (params, "code"));

	return g_strdup (g_hash_table_lookup (params, "code"));
}

static guint
token_call (MockTestServer *on,
	    const gchar *form,
	    JsonNode **out_answer)
{
	g_autofree gchar *body = NULL;
	g_autoptr(GError) error = NULL;
	guint status = mock_test_request (on, "POST", TOKEN_PATH, NULL, FORM, form, NULL, &body);

	*out_answer = json_from_string (body, &error);
	g_assert_no_error (error);

	return status;
}

static gchar *
code_form (const gchar *code,
	   const gchar *redirect_uri,
	   const gchar *verifier)
{
	g_autofree gchar *escaped_code = escape (code);
	g_autofree gchar *uri = escape (redirect_uri);

	return g_strdup_printf ("grant_type=authorization_code&client_id=mock-client-id&client_secret=mock-client-secret"
		"&redirect_uri=%s&code=%s%s%s", uri, escaped_code, verifier ? "&code_verifier=" : "",
		verifier ? verifier : "");
}

static gchar *
refresh_form (const gchar *refresh_token)
{
	g_autofree gchar *escaped = escape (refresh_token);

	return g_strdup_printf ("grant_type=refresh_token&client_id=mock-client-id"
		"&client_secret=mock-client-secret&refresh_token=%s", escaped);
}

/* A 400 of the token endpoint with HubSpot's and RFC 6749's members */
static void
expect_token_error (MockTestServer *on,
		    const gchar *form,
		    const gchar *status,
		    const gchar *error)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *expected = mock_test_printf ("{'status':'%s','message':'<any>','correlationId':'<uuid>',"
		"'error':'%s','error_description':'<any>'}", status, error);
	guint code = token_call (on, form, &answer);

	if (code != 400)
		g_error ("%s: status %u, expected 400", form, code);
	mock_test_assert_json (answer, expected);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, mock_test_get_string (answer, "error_description"));
}

/* A 200 of the token endpoint, its shape checked */
static JsonNode *
expect_tokens (MockTestServer *on,
	       const gchar *form,
	       gint64 expires_in)
{
	JsonNode *answer = NULL;
	g_autofree gchar *expected = mock_test_printf ("{'access_token':'<any>','refresh_token':'<any>','expires_in':%"
		G_GINT64_FORMAT ",'token_type':'bearer','token_use':'access_token','hub_id':4242,'user_id':901,"
		"'scopes':['crm.objects.contacts.read','crm.objects.contacts.write','crm.objects.owners.read','oauth']}",
		expires_in);
	guint code = token_call (on, form, &answer);

	if (code != 200)
		g_error ("%s: status %u, expected 200; %s", form, code, mock_test_to_string (answer));
	mock_test_assert_json (answer, expected);
	g_assert_cmpuint (strlen (mock_test_get_string (answer, "access_token")), >=, 32);
	g_assert_cmpuint (strlen (mock_test_get_string (answer, "access_token")), <=, 300);

	return answer;
}

static guint
api_call (MockTestServer *on,
	  const gchar *token,
	  const gchar *method,
	  const gchar *path,
	  JsonNode **out_answer,
	  GHashTable **out_headers)
{
	g_autofree gchar *body = NULL;
	g_autoptr(GError) error = NULL;
	gboolean post = g_str_equal (method, "POST");
	guint status = mock_test_request (on, method, path, token, post ? "application/json" : NULL,
		post ? "{}" : NULL, out_headers, &body);

	if (out_answer) {
		*out_answer = json_from_string (body, &error);
		g_assert_no_error (error);
	}

	return status;
}

static gint64
oauth_stat (MockTestServer *on,
	    const gchar *name)
{
	g_autoptr(JsonNode) state = mock_test_expect (on, 200, "GET", "/__mock/oauth", NULL);
	JsonNode *member = mock_test_get (state, name);

	g_assert_nonnull (member);

	return json_node_get_int (member);
}

static void
expect_expired (MockTestServer *on,
		const gchar *token)
{
	g_autoptr(JsonNode) answer = NULL;

	g_assert_cmpuint (api_call (on, token, "GET", OWNERS, &answer, NULL), ==, 401);
	mock_test_assert_json (answer, "{'status':'error','message':'<any>','correlationId':'<uuid>',"
		"'category':'EXPIRED_AUTHENTICATION'}");
	g_assert_true (g_str_has_prefix (mock_test_get_string (answer, "message"),
		"The OAuth token used to make this call expired "));
}

static void
expect_invalid (MockTestServer *on,
		const gchar *token)
{
	g_autoptr(JsonNode) answer = NULL;

	g_assert_cmpuint (api_call (on, token, "GET", OWNERS, &answer, NULL), ==, 401);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "INVALID_AUTHENTICATION");
}

static void
test_code_flow_pkce (void)
{
	g_autofree gchar *state = g_strdup ("s t&a=t/e é");
	g_autofree gchar *query = NULL, *location = NULL, *body = NULL, *form = NULL;
	g_autoptr(GHashTable) params = NULL;
	g_autoptr(JsonNode) tokens = NULL, answer = NULL, oauth = NULL;

	mock_test_server_reset (server);

	/* The state comes back as sent, whatever its characters */
	query = authorize_query (REDIRECT, state,
		"response_type=code&code_challenge=" CHALLENGE "&code_challenge_method=S256");
	g_assert_cmpuint (authorize (server, query, &location, &body), ==, 302);
	g_assert_cmpstr (body, ==, "");
	params = redirect_params (location, REDIRECT);
	g_assert_cmpuint (g_hash_table_size (params), ==, 2);
	g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, state);

	form = code_form (g_hash_table_lookup (params, "code"), REDIRECT, VERIFIER);
	tokens = expect_tokens (server, form, 1800);
	g_assert_cmpstr (mock_test_get_string (tokens, "access_token"), !=, MOCK_TEST_TOKEN);

	/* The access token opens the API */
	g_assert_cmpuint (api_call (server, mock_test_get_string (tokens, "access_token"), "GET", OWNERS "/101",
		&answer, NULL), ==, 200);
	g_assert_cmpstr (mock_test_get_string (answer, "email"), ==, "ann@example.com");

	oauth = mock_test_expect (server, 200, "GET", "/__mock/oauth", NULL);
	mock_test_assert_json (oauth, "{'client_id':'mock-client-id','access_token_lifetime':1800,'deny_consent':false,"
		"'registered_redirect_uris':[],'authorizations':1,'grants':{'authorization_code':1,'refresh_token':0},"
		"'rejected_grants':0,'expired_token_calls':0,'refresh_tokens_revoked':0}");

	/* Without PKCE too; a redirect URI with a query keeps it */
	g_clear_pointer (&query, g_free);
	g_clear_pointer (&location, g_free);
	g_clear_pointer (&params, g_hash_table_unref);
	g_clear_pointer (&form, g_free);
	g_clear_pointer (&tokens, json_node_unref);
	query = authorize_query ("http://localhost:9/cb?app=1", "st-2", NULL);
	g_assert_cmpuint (authorize (server, query, &location, NULL), ==, 302);
	params = redirect_params (location, "http://localhost:9/cb?app=1");
	form = code_form (g_hash_table_lookup (params, "code"), "http://localhost:9/cb?app=1", NULL);
	tokens = expect_tokens (server, form, 1800);
	g_assert_cmpint (oauth_stat (server, "grants.authorization_code"), ==, 2);
}

static void
test_wrong_verifier (void)
{
	g_autofree gchar *code = NULL, *form = NULL;

	mock_test_server_reset (server);

	code = get_code (server, "code_challenge=" CHALLENGE "&code_challenge_method=S256");
	form = code_form (code, REDIRECT, OTHER_VERIFIER);
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");

	/* One try per code: the right verifier comes too late */
	g_clear_pointer (&form, g_free);
	form = code_form (code, REDIRECT, VERIFIER);
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");

	/* A challenge needs a verifier, a verifier a challenge */
	g_clear_pointer (&code, g_free);
	g_clear_pointer (&form, g_free);
	code = get_code (server, "code_challenge=" CHALLENGE "&code_challenge_method=S256");
	form = code_form (code, REDIRECT, NULL);
	expect_token_error (server, form, "MISSING_OR_INVALID_PARAMETERS", "invalid_request");

	g_clear_pointer (&code, g_free);
	g_clear_pointer (&form, g_free);
	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, VERIFIER);
	expect_token_error (server, form, "MISSING_OR_INVALID_PARAMETERS", "invalid_request");

	/* The challenge itself as verifier ("plain") is no S256 */
	g_clear_pointer (&code, g_free);
	g_clear_pointer (&form, g_free);
	code = get_code (server, "code_challenge=" CHALLENGE "&code_challenge_method=S256");
	form = code_form (code, REDIRECT, CHALLENGE);
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");

	/* Too short for RFC 7636 */
	g_clear_pointer (&code, g_free);
	g_clear_pointer (&form, g_free);
	code = get_code (server, "code_challenge=" CHALLENGE "&code_challenge_method=S256");
	form = code_form (code, REDIRECT, "short-verifier");
	expect_token_error (server, form, "MISSING_OR_INVALID_PARAMETERS", "invalid_request");

	g_assert_cmpint (oauth_stat (server, "rejected_grants"), ==, 6);
	g_assert_cmpint (oauth_stat (server, "grants.authorization_code"), ==, 0);
}

static void
test_code_twice (void)
{
	g_autofree gchar *code = NULL, *form = NULL, *refresh = NULL;
	g_autoptr(JsonNode) tokens = NULL;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);
	tokens = expect_tokens (server, form, 1800);
	g_assert_cmpuint (api_call (server, mock_test_get_string (tokens, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);

	/* Used again: refused, and what it gave is revoked (RFC 6749 4.1.2) */
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");
	expect_invalid (server, mock_test_get_string (tokens, "access_token"));
	refresh = refresh_form (mock_test_get_string (tokens, "refresh_token"));
	expect_token_error (server, refresh, "BAD_REFRESH_TOKEN", "invalid_grant");
	g_assert_cmpint (oauth_stat (server, "refresh_tokens_revoked"), ==, 1);

	/* A code never issued */
	g_clear_pointer (&form, g_free);
	form = code_form ("na1-never-issued", REDIRECT, NULL);
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");
}

static void
test_redirect_mismatch (void)
{
	g_autofree gchar *code = NULL, *form = NULL;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, "http://127.0.0.1:8765/other", NULL);
	expect_token_error (server, form, "BAD_REDIRECT_URI", "invalid_grant");

	/* The right one after that: the code is spent */
	g_clear_pointer (&form, g_free);
	form = code_form (code, REDIRECT, NULL);
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");
}

static void
test_client_checks (void)
{
	g_autofree gchar *code = NULL, *form = NULL, *changed = NULL;
	g_autoptr(JsonNode) tokens = NULL;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);
	changed = g_strdup (form);
	memcpy (strstr (changed, "mock-client-secret"), "mock-client-SECRET", 18);
	expect_token_error (server, changed, "BAD_CLIENT_ID", "invalid_client");

	/* A wrong client does not spend the code */
	g_clear_pointer (&changed, g_free);
	changed = g_strdup (form);
	memcpy (strstr (changed, "mock-client-id"), "mock-client-XX", 14);
	expect_token_error (server, changed, "BAD_CLIENT_ID", "invalid_client");

	tokens = expect_tokens (server, form, 1800);
	g_assert_cmpint (oauth_stat (server, "rejected_grants"), ==, 2);
}

/* What the authorization page refuses: without a redirect, or with one
 * carrying the error and the state */
static void
test_authorize_checks (void)
{
	g_autofree gchar *query = NULL, *location = NULL, *body = NULL;
	g_autoptr(GHashTable) params = NULL;
	g_autoptr(JsonNode) answer = NULL;
	const struct {
		const gchar *query;
		const gchar *error;
	} redirected[] = {
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth+crm.objects.deals.read&state=x", "invalid_scope" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=&state=x", "invalid_scope" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&state=x", "invalid_scope" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth&state=x&response_type=token", "unsupported_response_type" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth&state=x&code_challenge=" CHALLENGE, "invalid_request" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth&state=x&code_challenge=" CHALLENGE "&code_challenge_method=plain", "invalid_request" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth&state=x&code_challenge=abc&code_challenge_method=S256", "invalid_request" },
		{ "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth&state=x&scopes=oauth", "invalid_request" }
	};
	const gchar *refused[] = {
		"redirect_uri=" REDIRECT "&scope=oauth&state=x",
		"client_id=other-client&redirect_uri=" REDIRECT "&scope=oauth&state=x",
		"client_id=mock-client-id&scope=oauth&state=x",
		"client_id=mock-client-id&redirect_uri=https://example.com/cb&scope=oauth&state=x",
		"client_id=mock-client-id&redirect_uri=http://192.168.1.2:8765/cb&scope=oauth&state=x",
		"client_id=mock-client-id&redirect_uri=callback&scope=oauth&state=x"
	};
	guint ii;

	mock_test_server_reset (server);

	for (ii = 0; ii < G_N_ELEMENTS (redirected); ii++) {
		g_clear_pointer (&location, g_free);
		g_clear_pointer (&params, g_hash_table_unref);
		g_assert_cmpuint (authorize (server, redirected[ii].query, &location, NULL), ==, 302);
		params = redirect_params (location, REDIRECT);
		g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, redirected[ii].error);
		g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "x");
		g_assert_nonnull (g_hash_table_lookup (params, "error_description"));
		g_assert_null (g_hash_table_lookup (params, "code"));
	}

	/* No state: the mock insists on one */
	g_clear_pointer (&location, g_free);
	g_clear_pointer (&params, g_hash_table_unref);
	g_assert_cmpuint (authorize (server, "client_id=mock-client-id&redirect_uri=" REDIRECT "&scope=oauth",
		&location, NULL), ==, 302);
	params = redirect_params (location, REDIRECT);
	g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "invalid_request");

	for (ii = 0; ii < G_N_ELEMENTS (refused); ii++) {
		g_clear_pointer (&location, g_free);
		g_clear_pointer (&body, g_free);
		g_assert_cmpuint (authorize (server, refused[ii], &location, &body), ==, 400);
		g_assert_null (location);
		g_assert_true (g_str_has_prefix (body, "<!DOCTYPE html>"));
	}
	g_assert_cmpint (oauth_stat (server, "authorizations"), ==, 0);

	/* Registered redirect URIs: exactly those, loopback ones no more */
	answer = mock_test_expect (server, 200, "POST", "/__mock/oauth",
		"{'registered_redirect_uris':['https://example.com/cb']}");
	mock_test_assert_json (mock_test_get (answer, "registered_redirect_uris"), "['https://example.com/cb']");
	g_clear_pointer (&location, g_free);
	g_assert_cmpuint (authorize (server, refused[3], &location, NULL), ==, 302);
	g_clear_pointer (&params, g_hash_table_unref);
	params = redirect_params (location, "https://example.com/cb");
	g_assert_nonnull (g_hash_table_lookup (params, "code"));
	query = authorize_query (REDIRECT, "x", NULL);
	g_clear_pointer (&location, g_free);
	g_assert_cmpuint (authorize (server, query, &location, NULL), ==, 400);
	g_assert_null (location);

	/* POST is no way in */
	g_clear_pointer (&body, g_free);
	g_assert_cmpuint (mock_test_request (server, "POST", "/oauth/authorize", NULL, FORM, query, NULL, &body), ==, 405);
}

static void
test_form_checks (void)
{
	g_autofree gchar *code = NULL, *good = NULL, *extra = NULL, *twice = NULL, *body = NULL;
	g_autoptr(JsonNode) tokens = NULL, answer = NULL;
	const gchar *refused[] = {
		"",
		"client_id=mock-client-id&client_secret=mock-client-secret",
		"grant_type=client_credentials&client_id=mock-client-id&client_secret=mock-client-secret",
		"grant_type=refresh_token&client_id=mock-client-id&refresh_token=abc",
		"grant_type=refresh_token&client_id=mock-client-id&client_secret=mock-client-secret&refresh_token=",
		"grant_type=refresh_token&client_id=mock-client-id&client_secret=mock-client-secret&refresh_token=abc&scope=oauth",
		"grant_type=refresh_token&client_id=mock-client-id&client_secret=mock-client-secret&refresh_token=abc&code=abc",
		"grant_type=authorization_code&client_id=mock-client-id&client_secret=mock-client-secret&code=abc",
		"grant_type=refresh_token&client_id=mock-client-id&client_secret=mock-client-secret&refresh_token=%ZZ"
	};
	guint ii;

	mock_test_server_reset (server);

	for (ii = 0; ii < G_N_ELEMENTS (refused); ii++)
		expect_token_error (server, refused[ii], "MISSING_OR_INVALID_PARAMETERS",
			ii == 2 ? "unsupported_grant_type" : "invalid_request");

	code = get_code (server, NULL);
	good = code_form (code, REDIRECT, NULL);

	/* Extra, repeated: refused without spending the code */
	extra = g_strconcat (good, "&scope=oauth", NULL);
	expect_token_error (server, extra, "MISSING_OR_INVALID_PARAMETERS", "invalid_request");
	twice = g_strconcat (good, "&client_id=mock-client-id", NULL);
	expect_token_error (server, twice, "MISSING_OR_INVALID_PARAMETERS", "invalid_request");

	/* The parameters in the body, as a form */
	g_assert_cmpuint (mock_test_request (server, "POST", TOKEN_PATH, NULL, "application/json", "{}", NULL, &body), ==, 400);
	answer = json_from_string (body, NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "error"), ==, "invalid_request");
	g_clear_pointer (&body, g_free);
	g_clear_pointer (&extra, g_free);
	extra = g_strconcat (TOKEN_PATH "?", good, NULL);
	g_assert_cmpuint (mock_test_request (server, "POST", extra, NULL, FORM, "", NULL, &body), ==, 400);
	g_clear_pointer (&body, g_free);
	g_assert_cmpuint (mock_test_request (server, "GET", TOKEN_PATH, NULL, NULL, NULL, NULL, &body), ==, 405);

	tokens = expect_tokens (server, good, 1800);
	g_assert_cmpint (oauth_stat (server, "rejected_grants"), ==, G_N_ELEMENTS (refused) + 4);
}

static void
test_refresh (void)
{
	g_autofree gchar *code = NULL, *form = NULL, *refresh = NULL;
	g_autoptr(JsonNode) tokens = NULL, refreshed = NULL;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);
	tokens = expect_tokens (server, form, 1800);

	refresh = refresh_form (mock_test_get_string (tokens, "refresh_token"));
	refreshed = expect_tokens (server, refresh, 1800);
	g_assert_cmpstr (mock_test_get_string (refreshed, "access_token"), !=, mock_test_get_string (tokens, "access_token"));
	/* HubSpot gives the same refresh token back */
	g_assert_cmpstr (mock_test_get_string (refreshed, "refresh_token"), ==, mock_test_get_string (tokens, "refresh_token"));

	/* Both access tokens work until they expire */
	g_assert_cmpuint (api_call (server, mock_test_get_string (tokens, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);
	g_assert_cmpuint (api_call (server, mock_test_get_string (refreshed, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);
	g_assert_cmpint (oauth_stat (server, "grants.refresh_token"), ==, 1);

	g_clear_pointer (&refresh, g_free);
	refresh = refresh_form ("na1-never-issued");
	expect_token_error (server, refresh, "BAD_REFRESH_TOKEN", "invalid_grant");

	/* A code is no refresh token, nor the other way round */
	g_clear_pointer (&refresh, g_free);
	refresh = refresh_form (code);
	expect_token_error (server, refresh, "BAD_REFRESH_TOKEN", "invalid_grant");
	g_clear_pointer (&form, g_free);
	form = code_form (mock_test_get_string (tokens, "refresh_token"), REDIRECT, NULL);
	expect_token_error (server, form, "BAD_AUTH_CODE", "invalid_grant");
}

static void
test_revoked (void)
{
	g_autofree gchar *code = NULL, *form = NULL, *refresh = NULL;
	g_autoptr(JsonNode) tokens = NULL, answer = NULL;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);
	tokens = expect_tokens (server, form, 1800);

	answer = mock_test_expect (server, 200, "POST", "/__mock/oauth", "{'revoke_refresh_tokens':true}");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "refresh_tokens_revoked")), ==, 1);

	refresh = refresh_form (mock_test_get_string (tokens, "refresh_token"));
	expect_token_error (server, refresh, "BAD_REFRESH_TOKEN", "invalid_grant");
	g_assert_cmpint (oauth_stat (server, "grants.refresh_token"), ==, 0);

	/* The access token lives on until it expires */
	g_assert_cmpuint (api_call (server, mock_test_get_string (tokens, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);
}

static void
test_expiry (void)
{
	g_autofree gchar *code = NULL, *form = NULL, *refresh = NULL;
	g_autoptr(JsonNode) tokens = NULL, refreshed = NULL, answer = NULL;

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 200, "POST", "/__mock/oauth", "{'access_token_lifetime':1}");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "access_token_lifetime")), ==, 1);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);
	tokens = expect_tokens (server, form, 1);
	g_assert_cmpuint (api_call (server, mock_test_get_string (tokens, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);

	g_usleep (1200 * 1000);
	expect_expired (server, mock_test_get_string (tokens, "access_token"));
	g_assert_cmpint (oauth_stat (server, "expired_token_calls"), ==, 1);

	/* A refreshed token works; the old one stays expired */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/__mock/oauth", "{'access_token_lifetime':1800}");
	refresh = refresh_form (mock_test_get_string (tokens, "refresh_token"));
	refreshed = expect_tokens (server, refresh, 1800);
	g_assert_cmpuint (api_call (server, mock_test_get_string (refreshed, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);
	expect_expired (server, mock_test_get_string (tokens, "access_token"));

	/* Expired now, by the control endpoint; the static token is no issued one */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/__mock/oauth", "{'expire_access_tokens':true}");
	expect_expired (server, mock_test_get_string (refreshed, "access_token"));
	g_assert_cmpuint (api_call (server, MOCK_TEST_TOKEN, "GET", OWNERS, NULL, NULL), ==, 200);
	g_assert_cmpint (oauth_stat (server, "expired_token_calls"), ==, 3);

	/* An unknown token is no expired one */
	expect_invalid (server, "CO-never-issued");
	g_assert_cmpint (oauth_stat (server, "expired_token_calls"), ==, 3);
}

static void
test_deny_consent (void)
{
	g_autofree gchar *query = NULL, *location = NULL;
	g_autoptr(GHashTable) params = NULL;
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 200, "POST", "/__mock/oauth", "{'deny_consent':true}");
	g_assert_true (json_node_get_boolean (mock_test_get (answer, "deny_consent")));

	query = authorize_query (REDIRECT, "denied-state", "code_challenge=" CHALLENGE "&code_challenge_method=S256");
	g_assert_cmpuint (authorize (server, query, &location, NULL), ==, 302);
	params = redirect_params (location, REDIRECT);
	g_assert_cmpuint (g_hash_table_size (params), ==, 3);
	g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "access_denied");
	g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "denied-state");
	g_assert_cmpstr (g_hash_table_lookup (params, "error_description"), !=, "");
	g_assert_cmpint (oauth_stat (server, "authorizations"), ==, 0);
}

static void
assert_rate_headers (GHashTable *headers,
		     const gchar *max,
		     const gchar *remaining,
		     gboolean daily)
{
	g_assert_cmpstr (g_hash_table_lookup (headers, "x-hubspot-ratelimit-max"), ==, max);
	g_assert_cmpstr (g_hash_table_lookup (headers, "x-hubspot-ratelimit-remaining"), ==, remaining);
	g_assert_cmpstr (g_hash_table_lookup (headers, "x-hubspot-ratelimit-interval-milliseconds"), ==, max ? "10000" : NULL);
	g_assert_cmpint (g_hash_table_contains (headers, "x-hubspot-ratelimit-daily"), ==, daily);
	g_assert_cmpint (g_hash_table_contains (headers, "x-hubspot-ratelimit-daily-remaining"), ==, daily);
}

static void
test_limits (void)
{
	g_autofree gchar *code = NULL, *form = NULL;
	g_autoptr(JsonNode) tokens = NULL, answer = NULL;
	g_autoptr(GHashTable) headers = NULL;
	const gchar *access;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);
	tokens = expect_tokens (server, form, 1800);
	access = mock_test_get_string (tokens, "access_token");

	/* OAuth: 110 per 10 s, no daily headers; static tokens: 190 and daily */
	g_assert_cmpuint (api_call (server, access, "GET", OWNERS, NULL, &headers), ==, 200);
	assert_rate_headers (headers, "110", "109", FALSE);
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, MOCK_TEST_TOKEN, "GET", OWNERS, NULL, &headers), ==, 200);
	assert_rate_headers (headers, "190", "189", TRUE);

	/* Search answers carry none, whatever the credential */
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, access, "POST", SEARCH, NULL, &headers), ==, 200);
	assert_rate_headers (headers, NULL, NULL, FALSE);
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, MOCK_TEST_TOKEN, "POST", SEARCH, NULL, &headers), ==, 200);
	assert_rate_headers (headers, NULL, NULL, FALSE);
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, MOCK_TEST_TOKEN, "POST", "/crm/objects/2026-03/contacts/search", NULL, &headers), ==, 200);
	assert_rate_headers (headers, NULL, NULL, FALSE);

	/* Nor do the token endpoint's */
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (mock_test_request (server, "POST", TOKEN_PATH, NULL, FORM, "", &headers, NULL), ==, 400);
	assert_rate_headers (headers, NULL, NULL, FALSE);

	/* Each credential has its own budget */
	answer = mock_test_expect (server, 200, "POST", "/__mock/config", "{'oauth_rate_limit':2,'rate_limit':3}");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "oauth_rate_limit")), ==, 2);
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, access, "GET", OWNERS, NULL, &headers), ==, 200);
	assert_rate_headers (headers, "2", "1", FALSE);
	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, access, "GET", OWNERS, NULL, &headers), ==, 200);
	assert_rate_headers (headers, "2", "0", FALSE);
	g_clear_pointer (&headers, g_hash_table_unref);
	g_clear_pointer (&answer, json_node_unref);
	g_assert_cmpuint (api_call (server, access, "GET", OWNERS, &answer, &headers), ==, 429);
	g_assert_cmpstr (mock_test_get_string (answer, "policyName"), ==, "TEN_SECONDLY_ROLLING");
	assert_rate_headers (headers, "2", "0", FALSE);

	g_clear_pointer (&headers, g_hash_table_unref);
	g_assert_cmpuint (api_call (server, MOCK_TEST_TOKEN, "GET", OWNERS, NULL, &headers), ==, 200);
	assert_rate_headers (headers, "3", "2", TRUE);
	g_assert_cmpint (mock_test_stat (server, "rate_limited"), ==, 1);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/config", "{'oauth_rate_limit':-1}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/__mock/config", "{'oauth_rate_limit':0,'rate_limit':0}");
}

static void
assert_no_secret (const gchar *text,
		  const gchar * const *secrets)
{
	guint ii;

	for (ii = 0; secrets[ii]; ii++) {
		if (strstr (text, secrets[ii]))
			g_error ("a secret (#%u) is in %s", ii, text);
	}
}

/* Neither /__mock/requests nor --record shows a secret */
static void
test_records (void)
{
	g_autofree gchar *dir = g_dir_make_tmp ("mock-oauth-XXXXXX", NULL);
	g_autofree gchar *file = g_build_filename (dir, "record", NULL);
	g_autofree gchar *option = g_strconcat ("--record=", file, NULL);
	const gchar *args[] = { option, "--owner", "ann@example.com:101:901", NULL };
	MockTestServer *recorded = mock_test_server_start (args);
	g_autofree gchar *code = NULL, *form = NULL, *refresh = NULL, *text = NULL, *lines = NULL, *query = NULL;
	g_autofree gchar *cut = NULL, *cut_token = NULL;
	g_autoptr(JsonNode) tokens = NULL, refreshed = NULL, again = NULL, requests = NULL;
	g_autoptr(GError) error = NULL;

	code = get_code (recorded, "code_challenge=" CHALLENGE "&code_challenge_method=S256");
	form = code_form (code, REDIRECT, VERIFIER);
	tokens = expect_tokens (recorded, form, 1800);
	refresh = refresh_form (mock_test_get_string (tokens, "refresh_token"));
	refreshed = expect_tokens (recorded, refresh, 1800);
	g_assert_cmpuint (api_call (recorded, mock_test_get_string (refreshed, "access_token"), "GET", OWNERS, NULL, NULL), ==, 200);

	/* A token answer cut in half is recorded without its tokens too */
	requests = mock_test_expect (recorded, 201, "POST", "/__mock/faults",
		"{'match':'/oauth/2026-03/token','kind':'malformed-json'}");
	g_assert_cmpuint (mock_test_request (recorded, "POST", TOKEN_PATH, NULL, FORM, refresh, NULL, &cut), ==, 200);
	if (!g_str_has_prefix (cut, "{\"access_token\":\""))
		g_error ("cut: %s", cut);
	cut_token = g_strndup (cut + 17, strcspn (cut + 17, "\""));
	g_assert_cmpuint (strlen (cut_token), >=, 20);
	again = expect_tokens (recorded, refresh, 1800);
	g_clear_pointer (&requests, json_node_unref);

	expect_token_error (recorded, form, "BAD_AUTH_CODE", "invalid_grant");

	/* Secrets sent where they do not belong are not recorded either */
	query = g_strconcat (TOKEN_PATH "?", refresh, NULL);
	g_assert_cmpuint (mock_test_request (recorded, "POST", query, NULL, FORM, refresh, NULL, NULL), ==, 400);
	g_assert_cmpuint (mock_test_request (recorded, "POST", "/oauth/v1/token", NULL, FORM, form, NULL, NULL), ==, 404);

	{
		const gchar *secrets[] = {
			"mock-client-secret", code, VERIFIER,
			mock_test_get_string (tokens, "access_token"), mock_test_get_string (tokens, "refresh_token"),
			mock_test_get_string (refreshed, "access_token"), cut_token,
			mock_test_get_string (again, "access_token"), NULL
		};

		requests = mock_test_expect (recorded, 200, "GET", "/__mock/requests", NULL);
		text = mock_test_to_string (requests);
		assert_no_secret (text, secrets);

		mock_test_server_stop (recorded);
		g_file_get_contents (file, &lines, NULL, &error);
		g_assert_no_error (error);
		assert_no_secret (lines, secrets);
	}

	/* What the records say instead */
	mock_test_assert_json (mock_test_get (requests, "1.body"), "{'grant_type':'authorization_code',"
		"'client_id':'mock-client-id','client_secret':'<redacted>','redirect_uri':'" REDIRECT "',"
		"'code':'<redacted>','code_verifier':'<redacted>'}");
	g_assert_cmpstr (mock_test_get_string (requests, "1.response.access_token"), ==, "<redacted>");
	g_assert_cmpstr (mock_test_get_string (requests, "1.response.refresh_token"), ==, "<redacted>");
	g_assert_cmpint (json_node_get_int (mock_test_get (requests, "1.response.hub_id")), ==, 4242);
	mock_test_assert_json (mock_test_get (requests, "2.body"), "{'grant_type':'refresh_token',"
		"'client_id':'mock-client-id','client_secret':'<redacted>','refresh_token':'<redacted>'}");
	g_assert_cmpstr (mock_test_get_string (requests, "3.path"), ==, OWNERS);
	g_assert_true (json_node_get_boolean (mock_test_get (requests, "3.authorized")));
	g_assert_cmpint (json_node_get_int (mock_test_get (requests, "6.status")), ==, 400);
	g_assert_cmpstr (mock_test_get_string (requests, "4.fault"), ==, "malformed-json");
	g_assert_cmpstr (mock_test_get_string (requests, "4.response.access_token"), ==, "<redacted>");
	g_assert_cmpstr (mock_test_get_string (requests, "7.query.refresh_token"), ==, "<redacted>");
	g_assert_cmpstr (mock_test_get_string (requests, "7.query.client_id"), ==, "mock-client-id");
	g_assert_cmpstr (mock_test_get_string (requests, "8.path"), ==, "/oauth/v1/token");
	g_assert_cmpstr (mock_test_get_string (requests, "8.body.code"), ==, "<redacted>");
	g_assert_nonnull (strstr (lines, "\"code_verifier\":\"<redacted>\""));

	g_unlink (file);
	g_rmdir (dir);
}

/* --oauth-client-id, --oauth-client-secret, --oauth-token-lifetime,
 * --oauth-rate-limit; a
 * reset brings them back after /__mock/oauth changed them */
static void
test_options_and_reset (void)
{
	const gchar *args[] = {
		"--oauth-client-id", "app-7", "--oauth-client-secret", "s3cret", "--oauth-token-lifetime", "60",
		"--oauth-rate-limit", "5", "--owner", "ann@example.com:101:901", NULL
	};
	MockTestServer *other = mock_test_server_start (args);
	g_autofree gchar *location = NULL, *code = NULL, *form = NULL, *refresh = NULL, *query = NULL;
	g_autoptr(JsonNode) answer = NULL, tokens = NULL;
	g_autoptr(GHashTable) params = NULL;

	answer = mock_test_expect (other, 200, "GET", "/__mock/oauth", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "client_id"), ==, "app-7");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "access_token_lifetime")), ==, 60);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (other, 200, "GET", "/__mock/config", NULL);
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "oauth_rate_limit")), ==, 5);

	/* mock-client-id is no app there */
	query = authorize_query (REDIRECT, "x", NULL);
	g_assert_cmpuint (authorize (other, query, &location, NULL), ==, 400);

	g_clear_pointer (&location, g_free);
	g_assert_cmpuint (authorize (other, "client_id=app-7&redirect_uri=" REDIRECT "&scope=oauth&state=x",
		&location, NULL), ==, 302);
	params = redirect_params (location, REDIRECT);
	code = escape (g_hash_table_lookup (params, "code"));
	form = g_strdup_printf ("grant_type=authorization_code&client_id=app-7&client_secret=s3cret&redirect_uri=%s&code=%s",
		REDIRECT, code);
	g_clear_pointer (&answer, json_node_unref);
	g_assert_cmpuint (token_call (other, form, &answer), ==, 200);
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "expires_in")), ==, 60);
	mock_test_assert_json (mock_test_get (answer, "scopes"), "['oauth']");

	/* Changed, then reset: the options' values, no tokens, no counts */
	tokens = g_steal_pointer (&answer);
	answer = mock_test_expect (other, 200, "POST", "/__mock/oauth",
		"{'client_id':'app-8','client_secret':'other','access_token_lifetime':5,'deny_consent':true,"
		"'registered_redirect_uris':['https://example.com/cb']}");
	mock_test_assert_json (answer, "{'client_id':'app-8','access_token_lifetime':5,'deny_consent':true,"
		"'registered_redirect_uris':['https://example.com/cb'],'authorizations':1,"
		"'grants':{'authorization_code':1,'refresh_token':0},'rejected_grants':0,'expired_token_calls':0,"
		"'refresh_tokens_revoked':0}");
	mock_test_server_reset (other);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (other, 200, "GET", "/__mock/oauth", NULL);
	mock_test_assert_json (answer, "{'client_id':'app-7','access_token_lifetime':60,'deny_consent':false,"
		"'registered_redirect_uris':[],'authorizations':0,'grants':{'authorization_code':0,'refresh_token':0},"
		"'rejected_grants':0,'expired_token_calls':0,'refresh_tokens_revoked':0}");
	expect_invalid (other, mock_test_get_string (tokens, "access_token"));
	refresh = g_strdup_printf ("grant_type=refresh_token&client_id=app-7&client_secret=s3cret&refresh_token=%s",
		mock_test_get_string (tokens, "refresh_token"));
	expect_token_error (other, refresh, "BAD_REFRESH_TOKEN", "invalid_grant");

	mock_test_server_stop (other);
}

static void
test_control_checks (void)
{
	const gchar *bad[] = {
		"{'client_id':''}",
		"{'client_secret':7}",
		"{'access_token_lifetime':0}",
		"{'access_token_lifetime':'60'}",
		"{'deny_consent':'yes'}",
		"{'registered_redirect_uris':'https://example.com/cb'}",
		"{'registered_redirect_uris':['not a uri']}",
		"{'revoke_refresh_token':true}",
		"[]"
	};
	g_autoptr(JsonNode) answer = NULL;
	guint ii;

	mock_test_server_reset (server);

	for (ii = 0; ii < G_N_ELEMENTS (bad); ii++) {
		g_clear_pointer (&answer, json_node_unref);
		answer = mock_test_expect (server, 400, "POST", "/__mock/oauth", bad[ii]);
		g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "VALIDATION_ERROR");
	}

	/* Nothing changed by a refused update */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/oauth", "{'deny_consent':true,'access_token_lifetime':0}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/oauth", NULL);
	g_assert_false (json_node_get_boolean (mock_test_get (answer, "deny_consent")));
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "access_token_lifetime")), ==, 1800);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "DELETE", "/__mock/oauth", NULL);
}

/* The retired token paths are refused like the API's, credential or not */
static void
test_retired_token_paths (void)
{
	const gchar *paths[] = { "/oauth/v1/token", "/oauth/v3/token" };
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *code = NULL, *form = NULL, *body = NULL;
	gint64 refused = mock_test_stat (server, "legacy_refused");
	guint ii;

	mock_test_server_reset (server);

	code = get_code (server, NULL);
	form = code_form (code, REDIRECT, NULL);

	for (ii = 0; ii < G_N_ELEMENTS (paths); ii++) {
		g_autofree gchar *expected = mock_test_printf ("{'status':'error','message':'POST %s: this API version "
			"is retired; use its 2026-03 form (the mock answers retired paths with --legacy-paths or config "
			"legacy_paths)','correlationId':'<uuid>','category':'OBJECT_NOT_FOUND','errors':[]}", paths[ii]);

		g_clear_pointer (&body, g_free);
		g_clear_pointer (&answer, json_node_unref);
		g_assert_cmpuint (mock_test_request (server, "POST", paths[ii], NULL, FORM, form, NULL, &body), ==, 404);
		answer = json_from_string (body, NULL);
		mock_test_assert_json (answer, expected);
	}
	g_assert_cmpint (mock_test_stat (server, "legacy_refused"), ==, refused + 2);

	/* The code was not spent there */
	g_clear_pointer (&answer, json_node_unref);
	answer = expect_tokens (server, form, 1800);
}

int
main (int argc,
      char **argv)
{
	const gchar *args[] = {
		"--owner", "ann@example.com:101:901",
		"--owner", "bob.stone@example.com:102:902",
		NULL
	};
	gint status;

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-oauth/code-flow-pkce", test_code_flow_pkce);
	g_test_add_func ("/mock-oauth/wrong-verifier", test_wrong_verifier);
	g_test_add_func ("/mock-oauth/code-twice", test_code_twice);
	g_test_add_func ("/mock-oauth/redirect-mismatch", test_redirect_mismatch);
	g_test_add_func ("/mock-oauth/client-checks", test_client_checks);
	g_test_add_func ("/mock-oauth/authorize-checks", test_authorize_checks);
	g_test_add_func ("/mock-oauth/form-checks", test_form_checks);
	g_test_add_func ("/mock-oauth/refresh", test_refresh);
	g_test_add_func ("/mock-oauth/revoked", test_revoked);
	g_test_add_func ("/mock-oauth/expiry", test_expiry);
	g_test_add_func ("/mock-oauth/deny-consent", test_deny_consent);
	g_test_add_func ("/mock-oauth/limits", test_limits);
	g_test_add_func ("/mock-oauth/records", test_records);
	g_test_add_func ("/mock-oauth/options-and-reset", test_options_and_reset);
	g_test_add_func ("/mock-oauth/control-checks", test_control_checks);
	g_test_add_func ("/mock-oauth/retired-token-paths", test_retired_token_paths);

	server = mock_test_server_start (args);
	status = g_test_run ();
	mock_test_server_stop (server);

	return status;
}
