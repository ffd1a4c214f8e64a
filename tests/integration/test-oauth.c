/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* "Sign in with HubSpot" on the private bus (docs/design.md, "Signing
 * in"): a calendar with [Authentication] Method=HubSpot whose tokens EDS
 * keeps in the sandbox's keyring and the registry refreshes with our
 * service, against the mock's authorization server.
 *
 * The sign-in is the one EDS's window makes, without the window: the
 * service prepares the authorization request (state, PKCE), the test
 * GETs the mock's authorization page and reads the redirect's Location
 * instead of following it, the service takes the code from it and EDS
 * exchanges it and stores the tokens.  Access tokens live 12 s here, so
 * that EDS refreshes them often (it does inside their last 10 s). */

#include <libsoup/soup.h>

#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "hubspot-test-fixture.h"

#define TOKEN_LIFETIME_S 12
#define CLIENT_ID "mock-client-id"
#define CLIENT_SECRET "mock-client-secret"

#define EVENT \
	"BEGIN:VEVENT\r\n" \
	"UID:%s\r\n" \
	"SUMMARY:OAuth meeting %u\r\n" \
	"DTSTART:20270412T%02u%02u00Z\r\n" \
	"DTEND:20270412T%02u%02u00Z\r\n" \
	"END:VEVENT\r\n"

static const HubSpotTestOptions oauth_options = {
	.settings = { HUBSPOT_TEST_ADDED_SETTINGS, NULL },
	.no_connect = TRUE,
};

typedef struct {
	guint count;
	ESourceCredentialsReason reason;
} CredentialsSeen;

static void
credentials_required_cb (ESource *source,
			 ESourceCredentialsReason reason,
			 const gchar *certificate_pem,
			 GTlsCertificateFlags certificate_errors,
			 const GError *op_error,
			 gpointer user_data)
{
	CredentialsSeen *seen = user_data;

	seen->count++;
	seen->reason = reason;
}

static gint64
oauth_stat (const gchar *member,
	    const gchar *sub_member)
{
	g_autoptr(JsonNode) node = hubspot_test_mock_call (hubspot_test_get_mock (), "GET", "/__mock/oauth", NULL);
	JsonObject *object = json_node_get_object (node);

	if (sub_member)
		object = json_object_get_object_member (object, member);

	return json_object_get_int_member (object, sub_member ? sub_member : member);
}

/* What EDS's sign-in window does, the page read by hand. */
static void
sign_in (ESource *source)
{
	g_autoptr(EOAuth2Service) service = e_oauth2_service_hubspot_new ();
	g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(SoupSession) session = soup_session_new ();
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *form = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *code = NULL;
	const gchar *location;

	e_oauth2_service_prepare_authentication_uri_query (service, source, query);
	g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, CLIENT_ID);
	g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
	form = soup_form_encode_hash (query);
	uri = g_strconcat (e_oauth2_service_get_authentication_uri (service, source), "?", form, NULL);
	g_assert_true (g_str_has_prefix (uri, hubspot_test_mock_get_url (hubspot_test_get_mock ())));

	msg = soup_message_new ("GET", uri);
	soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
	bytes = soup_session_send_and_read (session, msg, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
	location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
	g_assert_nonnull (location);
	g_assert_true (g_str_has_prefix (location, e_oauth2_service_get_redirect_uri (service, source)));

	g_assert_true (e_oauth2_service_extract_authorization_code (service, source, NULL, location, NULL, &code));
	g_assert_nonnull (code);

	g_assert_true (e_oauth2_service_receive_and_store_token_sync (service, source, code,
		(EOAuth2ServiceRefSourceFunc) e_source_registry_ref_source, hubspot_test_get_registry (), NULL, &error));
	g_assert_no_error (error);
}

static gchar *
create_event (ECalClient *client,
	      guint nth)
{
	g_autofree gchar *uid = g_strdup_printf ("oauth-%u@example.com", nth);
	g_autofree gchar *text = g_strdup_printf (EVENT, uid, nth, 8 + nth / 60, nth % 60, 8 + (nth + 1) / 60, (nth + 1) % 60);
	g_autoptr(GError) error = NULL;
	gchar *created = hubspot_test_create_event (client, text, &error);

	g_assert_no_error (error);
	g_assert_nonnull (created);

	return created;
}

static gchar *
read_status (ESource *source)
{
	g_autofree gchar *path = g_build_filename (g_get_user_cache_dir (), "evolution", "calendar",
		e_source_get_uid (source), "hubspot-status.json", NULL);
	gchar *contents = NULL;

	g_file_get_contents (path, &contents, NULL, NULL);

	return contents;
}

static gboolean
status_shows_credentials (gpointer user_data)
{
	g_autofree gchar *status = read_status (user_data);

	return status && strstr (status, "\"paused\" : \"credentials\"");
}

static gboolean
credentials_were_required (gpointer user_data)
{
	return ((CredentialsSeen *) user_data)->count > 0;
}

/* Set up as "Sign in with HubSpot" makes a calendar: the method, the user
 * EDS keys the tokens with, the app's client id and, in the keyring, its
 * secret; the authorization page on the mock. */
static void
prepare_calendar (ESource *source)
{
	ESourceAuthentication *auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
	ESourceHubSpot *extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
	g_autoptr(GError) error = NULL;
	guint attempt, steady = 0;

	/* The registry sends the source's data back after each write, in no
	 * order with this call's return, and the factory writes the source
	 * too (the owner, the portal) from its own copy: either can undo
	 * these settings for a while (the sanitizer pass saw both).  Written
	 * again until they have held for half a second. */
	for (attempt = 0; attempt < 5 && steady < 5; attempt++) {
		gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

		e_source_authentication_set_method (auth, E_OAUTH2_SERVICE_HUBSPOT_NAME);
		e_source_authentication_set_user (auth, HUBSPOT_TEST_OWNER_EMAIL);
		e_source_hubspot_set_auth_url (extension, hubspot_test_mock_get_url (hubspot_test_get_mock ()));
		e_source_hubspot_set_oauth_client_id (extension, CLIENT_ID);
		e_source_write_sync (source, NULL, &error);
		g_assert_no_error (error);

		steady = 0;
		while (steady < 5 && g_get_monotonic_time () < deadline) {
			g_autofree gchar *client_id = e_source_hubspot_dup_oauth_client_id (extension);

			steady = g_strcmp0 (client_id, CLIENT_ID) == 0 ? steady + 1 : 0;
			hubspot_test_spin (100);
		}
		if (steady < 5)
			g_test_message ("the calendar's sign-in settings were undone; written again");
	}
	g_assert_cmpuint (steady, ==, 5);

	g_assert_true (e_oauth2_service_hubspot_store_client_secret_sync (source, CLIENT_SECRET, NULL, &error));
	g_assert_no_error (error);
}

/* Access tokens expire every 12 s while events keep coming, one of them
 * mid-burst on HubSpot's side before EDS's clock says so: every event
 * becomes a meeting, none fails, nobody is asked to sign in.  Then the
 * refresh tokens die: the calendar asks for a sign-in, the new events
 * wait, and after the sign-in all go, none twice. */
static void
test_tokens (HubSpotTestFixture *fixture,
	     gconstpointer user_data)
{
	HubSpotTestMock *mock = hubspot_test_get_mock ();
	CredentialsSeen seen = { 0, };
	g_autoptr(GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
	g_autofree gchar *lifetime = g_strdup_printf ("{\"access_token_lifetime\": %d}", TOKEN_LIFETIME_S);
	gint64 start, refreshes;
	guint ii, burst, later = 5;
	gboolean expired = FALSE;
	gulong handler;

	hubspot_test_mock_post (mock, "/__mock/oauth", lifetime);
	prepare_calendar (fixture->source);
	sign_in (fixture->source);
	g_assert_cmpint (oauth_stat ("grants", "authorization_code"), ==, 1);

	handler = g_signal_connect (fixture->source, "credentials-required", G_CALLBACK (credentials_required_cb), &seen);
	fixture->client = hubspot_test_connect (fixture->source, NULL);

	/* Three lifetimes of events, one every 1.5 s; halfway, right after
	 * a refresh (so that the calendar will not renew on its own first),
	 * HubSpot says every token it gave is expired. */
	start = g_get_monotonic_time ();
	for (ii = 0, refreshes = 0; g_get_monotonic_time () - start < 3 * TOKEN_LIFETIME_S * G_USEC_PER_SEC; ii++) {
		gint64 now_refreshes = oauth_stat ("grants", "refresh_token");

		if (!expired && ii >= 12 && now_refreshes > refreshes) {
			hubspot_test_mock_post (mock, "/__mock/oauth", "{\"expire_access_tokens\": true}");
			expired = TRUE;
		}
		refreshes = now_refreshes;
		g_ptr_array_add (uids, create_event (fixture->client, ii));
		hubspot_test_spin (1500);
	}
	g_assert_true (expired);
	burst = uids->len;
	g_test_message ("%u events over %u s", burst, 3 * TOKEN_LIFETIME_S);

	g_assert_true (hubspot_test_wait_synced_count (fixture->client, burst, 30000));
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	g_assert_cmpint (hubspot_test_mock_stat (mock, "creates"), ==, burst);
	refreshes = oauth_stat ("grants", "refresh_token");
	g_test_message ("%" G_GINT64_FORMAT " refreshes, %" G_GINT64_FORMAT " calls with an expired token",
		refreshes, oauth_stat ("expired_token_calls", NULL));
	/* At least one a lifetime, and the mid-burst expiry met. */
	g_assert_cmpint (refreshes, >=, 3);
	g_assert_cmpint (oauth_stat ("expired_token_calls", NULL), >=, 1);
	g_assert_cmpuint (seen.count, ==, 0);

	/* The app is uninstalled, say: no refresh token works any more, and
	 * the access tokens are expired. */
	hubspot_test_mock_post (mock, "/__mock/oauth", "{\"revoke_refresh_tokens\": true, \"expire_access_tokens\": true}");
	for (ii = 0; ii < later; ii++)
		g_ptr_array_add (uids, create_event (fixture->client, burst + ii));

	g_assert_true (hubspot_test_wait_until (credentials_were_required, &seen, 30000));
	g_assert_cmpint (seen.reason, ==, E_SOURCE_CREDENTIALS_REASON_REJECTED);
	g_assert_true (hubspot_test_wait_until (status_shows_credentials, fixture->source, 5000));
	g_assert_cmpint (oauth_stat ("rejected_grants", NULL), >=, 1);

	/* They wait, and stay waiting: in the outbox ("pending"), or, those
	 * saved once the calendar knew it needs a sign-in, in EDS's cache
	 * as local changes to upload (no state yet). */
	hubspot_test_spin (2000);
	g_test_message ("after the refusal: %u pending, %u synced, %u failed, %" G_GINT64_FORMAT " creates",
		hubspot_test_count_state (fixture->client, "pending"), hubspot_test_count_state (fixture->client, "synced"),
		hubspot_test_count_state (fixture->client, "failed"), hubspot_test_mock_stat (mock, "creates"));
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "synced"), ==, burst);
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	g_assert_cmpint (hubspot_test_mock_stat (mock, "creates"), ==, burst);

	/* A new sign-in, then what EDS's window does after it: authenticate. */
	sign_in (fixture->source);
	hubspot_test_authenticate (fixture->source, NULL);

	g_assert_true (hubspot_test_wait_synced_count (fixture->client, burst + later, 30000));
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	g_assert_cmpint (hubspot_test_mock_stat (mock, "creates"), ==, burst + later);
	g_assert_cmpint (hubspot_test_mock_stat (mock, "meetings"), ==, burst + later);

	g_signal_handler_disconnect (fixture->source, handler);
}

/* HubSpot's clock ends a token before EDS's does (here: the mock expires
 * every token at once, when EDS still counts 20 s): EDS hands back the
 * refused token, so the calendar waits until EDS refreshes it, inside its
 * last 10 s, and the event goes then.  A token HubSpot does not know at
 * all is no matter of time: the calendar asks for a new sign-in. */
static void
test_expired_early (HubSpotTestFixture *fixture,
		    gconstpointer user_data)
{
	HubSpotTestMock *mock = hubspot_test_get_mock ();
	CredentialsSeen seen = { 0, };
	g_autofree gchar *first = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *third = NULL;
	gint64 asked;
	gulong handler;

	hubspot_test_mock_post (mock, "/__mock/oauth", "{\"access_token_lifetime\": 30}");
	prepare_calendar (fixture->source);
	sign_in (fixture->source);

	handler = g_signal_connect (fixture->source, "credentials-required", G_CALLBACK (credentials_required_cb), &seen);
	fixture->client = hubspot_test_connect (fixture->source, NULL);

	first = create_event (fixture->client, 1);
	g_assert_true (hubspot_test_wait_synced_count (fixture->client, 1, 10000));
	g_assert_cmpint (oauth_stat ("grants", "refresh_token"), ==, 0);

	hubspot_test_mock_post (mock, "/__mock/oauth", "{\"expire_access_tokens\": true}");
	asked = g_get_monotonic_time ();
	second = create_event (fixture->client, 2);

	/* Not before EDS refreshes: 30 s tokens, refreshed inside their last 10 s. */
	g_assert_true (hubspot_test_wait_synced_count (fixture->client, 2, 30000));
	g_test_message ("sent %.1f s after the expiry", (g_get_monotonic_time () - asked) / (gdouble) G_USEC_PER_SEC);
	g_assert_cmpint (g_get_monotonic_time () - asked, >=, 5 * G_USEC_PER_SEC);
	g_assert_cmpint (oauth_stat ("expired_token_calls", NULL), >=, 1);
	g_assert_cmpint (oauth_stat ("grants", "refresh_token"), ==, 1);
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	g_assert_cmpuint (seen.count, ==, 0);

	/* The mock forgets every token and meeting it had: 401
	 * INVALID_AUTHENTICATION, and EDS hands the same token back (or
	 * fails to refresh it). */
	hubspot_test_mock_post (mock, "/__mock/reset", NULL);
	hubspot_test_mock_post (mock, "/__mock/oauth", "{\"access_token_lifetime\": 30}");
	third = create_event (fixture->client, 3);
	g_assert_true (hubspot_test_wait_until (credentials_were_required, &seen, 20000));
	g_assert_cmpint (seen.reason, ==, E_SOURCE_CREDENTIALS_REASON_REJECTED);
	g_assert_cmpint (hubspot_test_mock_stat (mock, "creates"), ==, 0);

	/* Signed in again: it goes. */
	sign_in (fixture->source);
	hubspot_test_authenticate (fixture->source, NULL);
	g_assert_true (hubspot_test_wait_synced_count (fixture->client, 3, 20000));
	g_assert_cmpint (hubspot_test_mock_stat (mock, "creates"), ==, 1);
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);

	g_signal_handler_disconnect (fixture->source, handler);
}

/* As Evolution's dialog makes a calendar: an Email, no OwnerId/UserId. */
static void
forget_owner (ESource *source,
	      const gchar *email)
{
	ESourceHubSpot *extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
	g_autoptr(GError) error = NULL;

	/* The registry's echo of the last write reaches this ESource on the
	 * registry's own thread: let it land before changing the data. */
	hubspot_test_spin (500);
	e_source_hubspot_set_owner_id (extension, NULL);
	e_source_hubspot_set_user_id (extension, NULL);
	e_source_hubspot_set_email (extension, email);
	e_source_write_sync (source, NULL, &error);
	g_assert_no_error (error);
	hubspot_test_spin (500);
}

static gboolean
source_has_owner (gpointer user_data)
{
	ESourceHubSpot *extension = e_source_get_extension (user_data, E_SOURCE_EXTENSION_HUBSPOT);
	g_autofree gchar *owner_id = e_source_hubspot_dup_owner_id (extension);
	g_autofree gchar *user_id = e_source_hubspot_dup_user_id (extension);

	return g_strcmp0 (owner_id, HUBSPOT_TEST_OWNER_ID) == 0 && g_strcmp0 (user_id, HUBSPOT_TEST_USER_ID) == 0;
}

static void
backend_error_cb (EClient *client,
		  const gchar *message,
		  gpointer user_data)
{
	g_ptr_array_add (user_data, g_strdup (message));
}

static gboolean
error_seen (gpointer user_data)
{
	return ((GPtrArray *) user_data)->len > 0;
}

static gboolean
status_names_unknown (gpointer user_data)
{
	g_autofree gchar *status = read_status (user_data);

	return status && strstr (status, "nobody@example.com");
}

/* Every create went for the owner found by e-mail: the organizer's user
 * id in the query, the owner id in the body. */
static void
assert_creates_by_owner (guint expected)
{
	g_autoptr(JsonArray) creates = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "POST", "/meetings/calendar");
	guint ii;

	g_assert_cmpuint (json_array_get_length (creates), ==, expected);
	for (ii = 0; ii < json_array_get_length (creates); ii++) {
		JsonObject *request = json_array_get_object_element (creates, ii);
		JsonObject *query = json_object_get_object_member (request, "query");
		JsonObject *body = json_object_get_object_member (request, "body");
		JsonObject *properties = json_object_get_object_member (body, "properties");

		g_assert_cmpstr (json_object_get_string_member_with_default (query, "organizerUserId", NULL), ==, HUBSPOT_TEST_USER_ID);
		g_assert_cmpstr (json_object_get_string_member_with_default (properties, "hubspot_owner_id", NULL), ==, HUBSPOT_TEST_OWNER_ID);
		g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 200);
	}
}

/* The owner is looked up once, by the calendar's e-mail. */
static guint
count_owner_lookups (const gchar *email)
{
	g_autoptr(JsonArray) lookups = hubspot_test_mock_requests_by (hubspot_test_get_mock (), "GET", "/crm/owners/2026-03");
	guint ii, count = 0;

	for (ii = 0; ii < json_array_get_length (lookups); ii++) {
		JsonObject *query = json_object_get_object_member (json_array_get_object_element (lookups, ii), "query");

		if (g_strcmp0 (json_object_get_string_member_with_default (query, "email", NULL), email) == 0)
			count++;
	}

	return count;
}

/* A calendar made by Evolution's dialog (docs/design.md, "Signing in"):
 * its events, created right away, wait for the owner the backend looks
 * up with its first token, then go as that owner's; the calendar keeps
 * the owner.  With key: the same with a bearer key. */
static void
run_owner_by_email (HubSpotTestFixture *fixture,
		    gboolean key)
{
	g_autoptr(GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
	guint ii;

	if (!key)
		prepare_calendar (fixture->source);
	forget_owner (fixture->source, HUBSPOT_TEST_OWNER_EMAIL);
	g_assert_false (source_has_owner (fixture->source));
	if (!key)
		sign_in (fixture->source);
	fixture->client = hubspot_test_connect (fixture->source, key ? HUBSPOT_TEST_TOKEN : NULL);

	for (ii = 0; ii < 3; ii++)
		g_ptr_array_add (uids, create_event (fixture->client, ii));

	g_assert_true (hubspot_test_wait_synced_count (fixture->client, 3, 20000));
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	assert_creates_by_owner (3);
	g_assert_cmpuint (count_owner_lookups (HUBSPOT_TEST_OWNER_EMAIL), ==, 1);
	g_assert_true (hubspot_test_wait_until (source_has_owner, fixture->source, 10000));
}

static void
test_owner_by_email (HubSpotTestFixture *fixture,
		     gconstpointer user_data)
{
	run_owner_by_email (fixture, FALSE);
}

static void
test_owner_by_email_key (HubSpotTestFixture *fixture,
			 gconstpointer user_data)
{
	run_owner_by_email (fixture, TRUE);
}

/* An e-mail that is no owner of the account: the events stay pending,
 * the user reads why (the client's backend error, the status file), and
 * they go once the Email is set right. */
static void
test_owner_unknown (HubSpotTestFixture *fixture,
		    gconstpointer user_data)
{
	g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
	ESourceHubSpot *extension = e_source_get_extension (fixture->source, E_SOURCE_EXTENSION_HUBSPOT);
	g_autoptr(GError) error = NULL;
	guint ii;

	prepare_calendar (fixture->source);
	forget_owner (fixture->source, "nobody@example.com");
	sign_in (fixture->source);
	fixture->client = hubspot_test_connect (fixture->source, NULL);
	g_signal_connect (fixture->client, "backend-error", G_CALLBACK (backend_error_cb), messages);

	for (ii = 0; ii < 2; ii++)
		g_free (create_event (fixture->client, ii));

	g_assert_true (hubspot_test_wait_until (error_seen, messages, 15000));
	g_test_message ("told: %s", (const gchar *) g_ptr_array_index (messages, 0));
	g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), "nobody@example.com"));
	g_assert_true (hubspot_test_wait_until (status_names_unknown, fixture->source, 5000));
	g_assert_cmpuint (count_owner_lookups ("nobody@example.com"), ==, 1);

	hubspot_test_spin (2000);
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "pending"), ==, 2);
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	g_assert_cmpint (hubspot_test_mock_count (hubspot_test_get_mock (), "POST", "/meetings/calendar"), ==, 0);
	g_assert_false (source_has_owner (fixture->source));

	/* The user sets the right e-mail: it is looked up, and they go. */
	e_source_hubspot_set_email (extension, HUBSPOT_TEST_OWNER_EMAIL);
	e_source_write_sync (fixture->source, NULL, &error);
	g_assert_no_error (error);

	g_assert_true (hubspot_test_wait_synced_count (fixture->client, 2, 20000));
	g_assert_cmpuint (hubspot_test_count_state (fixture->client, "failed"), ==, 0);
	assert_creates_by_owner (2);
	g_assert_true (hubspot_test_wait_until (source_has_owner, fixture->source, 10000));
}

gint
main (gint argc,
      gchar **argv)
{
	hubspot_test_init (&argc, &argv, NULL);

	/* The test process signs in, like the tool or Evolution. */
	e_oauth2_service_hubspot_type_register (NULL);

	hubspot_test_add ("/oauth/tokens", &oauth_options, test_tokens);
	hubspot_test_add ("/oauth/expired-early", &oauth_options, test_expired_early);
	hubspot_test_add ("/oauth/owner-by-email", &oauth_options, test_owner_by_email);
	hubspot_test_add ("/oauth/owner-by-email-key", &oauth_options, test_owner_by_email_key);
	hubspot_test_add ("/oauth/owner-unknown", &oauth_options, test_owner_unknown);

	return hubspot_test_run ();
}
