/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* "Sign in with HubSpot" without a network (docs/design.md, "Signing
 * in"): the PKCE challenge against RFC 7636's own example, the redirect's
 * reading, and the service's answers to EDS on a source in memory. */

#include "common/e-oauth2-service-hubspot.h"
#include "common/e-oauth2-service-hubspot-flow.h"
#include "common/e-source-hubspot.h"

#define REDIRECT "http://127.0.0.1:47213/hubspot-oauth"

/* RFC 7636, appendix B. */
static void
test_challenge (void)
{
	static const guint8 octets[32] = {
		116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
		22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121
	};
	g_autofree gchar *verifier = e_oauth2_service_hubspot_flow_encode (octets, sizeof (octets));
	g_autofree gchar *challenge = NULL;
	g_autofree gchar *short_one = e_oauth2_service_hubspot_flow_encode ((const guint8 *) "\xfb\xff", 2);

	g_assert_cmpstr (verifier, ==, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
	challenge = e_oauth2_service_hubspot_flow_challenge (verifier);
	g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	/* base64 "+/8=" in the URL alphabet, unpadded. */
	g_assert_cmpstr (short_one, ==, "-_8");
}

static void
test_parse_redirect (void)
{
	gchar *code = NULL, *error = NULL;

	/* Not the redirect yet: the sign-in goes on. */
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect ("https://app.hubspot.com/oauth/authorize?state=s1&code=c",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_NONE);
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect ("http://127.0.0.1:47214/hubspot-oauth?state=s1&code=c",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_NONE);
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect ("http://127.0.0.1:47213/other?state=s1&code=c",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_NONE);
	g_assert_null (code);

	/* The answer to our request: the code, decoded. */
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect (REDIRECT "?code=a%2Fb%20c&state=s1",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_CODE);
	g_assert_cmpstr (code, ==, "a/b c");
	g_assert_null (error);
	g_clear_pointer (&code, g_free);

	/* Another request's answer, or none we made. */
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect (REDIRECT "?code=c&state=s2",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_ERROR);
	g_assert_null (code);
	g_assert_cmpstr (error, ==, "state mismatch");
	g_clear_pointer (&error, g_free);
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect (REDIRECT "?code=c",
		REDIRECT, NULL, &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_ERROR);
	g_assert_null (code);
	g_clear_pointer (&error, g_free);

	/* The user said no; another error; no code at all. */
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect (
		REDIRECT "?error=access_denied&error_description=The+user+declined&state=s1",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_DENIED);
	g_assert_cmpstr (error, ==, "access_denied");
	g_clear_pointer (&error, g_free);
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect (REDIRECT "?error=invalid_scope&state=s1",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_ERROR);
	g_assert_cmpstr (error, ==, "invalid_scope");
	g_clear_pointer (&error, g_free);
	g_assert_cmpint (e_oauth2_service_hubspot_flow_parse_redirect (REDIRECT "?state=s1",
		REDIRECT, "s1", &code, &error), ==, E_OAUTH2_HUBSPOT_REDIRECT_ERROR);
	g_assert_null (code);
	g_clear_pointer (&error, g_free);
}

static ESource *
new_calendar (void)
{
	g_autoptr(GError) error = NULL;
	ESource *source = e_source_new (NULL, NULL, &error);
	ESourceAuthentication *auth;

	g_assert_no_error (error);
	auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
	e_source_authentication_set_method (auth, E_OAUTH2_SERVICE_HUBSPOT_NAME);
	e_source_authentication_set_user (auth, "owner@example.com");

	return source;
}

/* The whole dance as EDS drives it, up to the token form. */
static void
test_service (void)
{
	g_autoptr(EOAuth2Service) service = e_oauth2_service_hubspot_new ();
	g_autoptr(EOAuth2Services) services = e_oauth2_services_new ();
	g_autoptr(EOAuth2Service) again = e_oauth2_service_hubspot_new ();
	g_autoptr(ESource) source = new_calendar ();
	g_autoptr(EOAuth2Service) found = e_oauth2_services_find (services, source);
	g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *challenge = NULL;
	g_autofree gchar *redirect = NULL;
	g_autofree gchar *first_state = NULL;
	gchar *code = NULL;
	ESourceHubSpot *extension;

	/* While EDS's list of services lives (a registry holds it), new()
	 * gives its HubSpot service, the one EDS finds by the method. */
	g_assert_true (E_IS_OAUTH2_SERVICE_HUBSPOT (service));
	g_assert_true (found == again);
	g_assert_true (E_IS_OAUTH2_SERVICE_HUBSPOT (found));
	g_object_unref (service);
	service = g_object_ref (again);
	g_assert_cmpstr (e_oauth2_service_get_name (service), ==, "HubSpot");

	g_assert_cmpstr (e_oauth2_service_get_authentication_uri (service, source), ==, "https://app.hubspot.com/oauth/authorize");
	g_assert_cmpstr (e_oauth2_service_get_refresh_uri (service, source), ==, "https://api.hubapi.com/oauth/2026-03/token");
	g_assert_cmpstr (e_oauth2_service_get_redirect_uri (service, source), ==, HUBSPOT_OAUTH_REDIRECT_URI);
	g_assert_cmpstr (e_oauth2_service_get_client_id (service, source), ==, HUBSPOT_OAUTH_CLIENT_ID);

	extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
	e_source_hubspot_set_auth_url (extension, "http://127.0.0.1:8765/");
	e_source_hubspot_set_api_url (extension, "http://127.0.0.1:8765");
	e_source_hubspot_set_oauth_client_id (extension, "calendar-client");
	e_source_hubspot_set_oauth_redirect_uri (extension, "http://localhost:9999/cb");
	g_assert_cmpstr (e_oauth2_service_get_authentication_uri (service, source), ==, "http://127.0.0.1:8765/oauth/authorize");
	g_assert_cmpstr (e_oauth2_service_get_refresh_uri (service, source), ==, "http://127.0.0.1:8765/oauth/2026-03/token");
	g_assert_cmpstr (e_oauth2_service_get_client_id (service, source), ==, "calendar-client");
	g_assert_cmpstr (e_oauth2_service_get_redirect_uri (service, source), ==, "http://localhost:9999/cb");

	/* The secrets never go in clear to another machine. */
	e_source_hubspot_set_api_url (extension, "http://api.example.com");
	e_source_hubspot_set_auth_url (extension, "http://app.example.com");
	g_assert_cmpstr (e_oauth2_service_get_refresh_uri (service, source), ==, "https://api.hubapi.com/oauth/2026-03/token");
	g_assert_cmpstr (e_oauth2_service_get_authentication_uri (service, source), ==, "https://app.hubspot.com/oauth/authorize");

	e_oauth2_service_prepare_authentication_uri_query (service, source, query);
	g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, "calendar-client");
	g_assert_cmpstr (g_hash_table_lookup (query, "redirect_uri"), ==, "http://localhost:9999/cb");
	g_assert_cmpstr (g_hash_table_lookup (query, "scope"), ==,
		"crm.objects.contacts.read crm.objects.contacts.write crm.objects.owners.read oauth");
	g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
	g_assert_false (g_hash_table_contains (query, "login_hint"));
	g_assert_cmpuint (strlen (g_hash_table_lookup (query, "state")), ==, 43);
	first_state = g_strdup (g_hash_table_lookup (query, "state"));

	/* A new sign-in: a new state and challenge; the old answer is refused. */
	e_oauth2_service_prepare_authentication_uri_query (service, source, query);
	g_assert_cmpstr (g_hash_table_lookup (query, "state"), !=, first_state);
	challenge = g_strdup (g_hash_table_lookup (query, "code_challenge"));

	redirect = g_strdup_printf ("http://localhost:9999/cb?code=old&state=%s", first_state);
	g_assert_true (e_oauth2_service_extract_authorization_code (service, source, NULL, redirect, NULL, &code));
	g_assert_null (code);
	g_clear_pointer (&redirect, g_free);

	/* Not the redirect yet. */
	g_assert_false (e_oauth2_service_extract_authorization_code (service, source, NULL,
		"http://app.example.com/login", NULL, &code));
	g_assert_null (code);

	/* Refused by the user: no code, and the window may close. */
	redirect = g_strdup_printf ("http://localhost:9999/cb?error=access_denied&state=%s",
		(const gchar *) g_hash_table_lookup (query, "state"));
	g_assert_true (e_oauth2_service_extract_authorization_code (service, source, NULL, redirect, NULL, &code));
	g_assert_null (code);
	g_clear_pointer (&redirect, g_free);

	redirect = g_strdup_printf ("http://localhost:9999/cb?code=the-code&state=%s",
		(const gchar *) g_hash_table_lookup (query, "state"));
	g_assert_true (e_oauth2_service_extract_authorization_code (service, source, NULL, redirect, NULL, &code));
	g_assert_cmpstr (code, ==, "the-code");

	/* The token form: the verifier of the challenge sent, once. */
	e_oauth2_service_prepare_get_token_form (service, source, code, form);
	g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "authorization_code");
	g_assert_cmpstr (g_hash_table_lookup (form, "code"), ==, "the-code");
	g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, "calendar-client");
	g_assert_cmpstr (g_hash_table_lookup (form, "redirect_uri"), ==, "http://localhost:9999/cb");
	{
		g_autofree gchar *computed = e_oauth2_service_hubspot_flow_challenge (g_hash_table_lookup (form, "code_verifier"));

		g_assert_cmpstr (computed, ==, challenge);
	}
	g_hash_table_remove_all (form);
	e_oauth2_service_prepare_get_token_form (service, source, code, form);
	g_assert_false (g_hash_table_contains (form, "code_verifier"));
	g_free (code);

	/* The refresh form. */
	g_hash_table_remove_all (form);
	e_oauth2_service_prepare_refresh_token_form (service, source, "refresh", form);
	g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
	g_assert_cmpstr (g_hash_table_lookup (form, "refresh_token"), ==, "refresh");
	g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, "calendar-client");

}

/* The sign-in page takes the API's rule: https, or http to this machine. */
static void
test_auth_url (void)
{
	g_autoptr(GError) error = NULL;

	g_assert_true (e_source_hubspot_check_auth_url ("https://app.hubspot.com", NULL));
	g_assert_true (e_source_hubspot_check_auth_url ("http://127.0.0.1:8080", NULL));
	g_assert_true (e_source_hubspot_check_auth_url ("http://localhost", NULL));
	g_assert_false (e_source_hubspot_check_auth_url ("http://app.example.com", &error));
	g_assert_nonnull (strstr (error->message, "sign-in URL"));
	g_clear_error (&error);
	g_assert_false (e_source_hubspot_check_auth_url ("not a url", &error));
	g_assert_nonnull (error);
}

gint
main (gint argc,
      gchar **argv)
{
	/* No keyring here: the calendar's own client secret is looked up and
	 * not found at once, instead of starting a bus. */
	g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hubspot-test", TRUE);

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/oauth-flow/challenge", test_challenge);
	g_test_add_func ("/oauth-flow/parse-redirect", test_parse_redirect);
	g_test_add_func ("/oauth-flow/service", test_service);
	g_test_add_func ("/oauth-flow/auth-url", test_auth_url);

	return g_test_run ();
}
