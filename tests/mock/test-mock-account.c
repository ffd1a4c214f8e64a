/* test-mock-account.c: hubspot-mock's owners and account details
 * (2026-03), and its refusal of the v1 to v4 paths HubSpot retires,
 * over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "mock-test-client.h"

#define OWNERS "/crm/owners/2026-03"

#define OWNER_JSON(email, id, user_id, first, last) \
	"{'id':'" id "','email':'" email "','type':'PERSON','firstName':'" first "','lastName':'" last "'," \
	"'userId':" user_id ",'userIdIncludingInactive':" user_id "," \
	"'createdAt':'2024-01-15T08:00:00.000Z','updatedAt':'2024-01-15T08:00:00.000Z','archived':false}"

#define ANN OWNER_JSON ("ann@example.com", "101", "901", "Ann", "Mock")
#define BOB OWNER_JSON ("bob.stone@example.com", "102", "902", "Bob", "Stone")
#define CAT OWNER_JSON ("cat@example.com", "103", "903", "Cat", "Mock")

static MockTestServer *server;

static void
test_owners_list (void)
{
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);

	/* userId is an integer in the 2026-03 owners */
	answer = mock_test_expect (server, 200, "GET", OWNERS, NULL);
	mock_test_assert_json (answer, "{'results':[" ANN "," BOB "," CAT "]}");

	/* The e-mail filter ignores case */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", OWNERS "?email=BOB.Stone%40example.com", NULL);
	mock_test_assert_json (answer, "{'results':[" BOB "]}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", OWNERS "/?email=nobody@example.com", NULL);
	mock_test_assert_json (answer, "{'results':[]}");

	/* Pages */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", OWNERS "?limit=2", NULL);
	mock_test_assert_json (answer, "{'results':[" ANN "," BOB "],'paging':{'next':{'after':'2'}}}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", OWNERS "?limit=2&after=2", NULL);
	mock_test_assert_json (answer, "{'results':[" CAT "]}");

	/* As strict as HubSpot about the query */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "GET", OWNERS "?limit=501", NULL);
	mock_test_assert_json (answer, "{'status':'error','message':'limit: must be an integer from 1 to 500',"
		"'correlationId':'<uuid>','category':'VALIDATION_ERROR','errors':[{'message':"
		"'limit: must be an integer from 1 to 500','code':'INVALID_VALUE','in':'limit'}]}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "GET", OWNERS "?limit=0", NULL);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "GET", OWNERS "?after=xyz", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "after: not a paging cursor from this server");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "POST", OWNERS, "{}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"HTTP POST is not supported by " OWNERS " (allowed: GET)");
}

static void
test_owners_read (void)
{
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 200, "GET", OWNERS "/102", NULL);
	mock_test_assert_json (answer, BOB);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", OWNERS "/903?idProperty=userId", NULL);
	mock_test_assert_json (answer, CAT);

	/* A user id is no owner id */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", OWNERS "/903", NULL);
	mock_test_assert_json (answer, "{'status':'error','message':'resource not found: no owner with id 903',"
		"'correlationId':'<uuid>','category':'OBJECT_NOT_FOUND','errors':[]}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "GET", OWNERS "/101?idProperty=email", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "VALIDATION_ERROR");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", OWNERS "/101/teams", NULL);
}

static void
test_account_details (void)
{
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 200, "GET", "/account-info/2026-03/details", NULL);
	mock_test_assert_json (answer, "{'portalId':4242,'accountType':'STANDARD','uiDomain':'app.hubspot.com',"
		"'timeZone':'America/New_York','companyCurrency':'USD','additionalCurrencies':[],"
		"'utcOffset':'-05:00','utcOffsetMilliseconds':-18000000,'dataHostingLocation':'na1'}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "POST", "/account-info/2026-03/details", "{}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/account-info/2026-03/usage", NULL);
}

/* Every retired call the mock knew, and its 2026-03 form */
static const gchar *legacy_calls[][4] = {
	{ "GET", "/crm/v3/owners?email=bob.stone@example.com", "/crm/v3/owners", "/crm/owners/2026-03" },
	{ "GET", "/account-info/v3/details", "/account-info/v3/details", "/account-info/2026-03/details" },
	{ "POST", "/crm/v3/objects/contacts/batch/read", "/crm/v3/objects/contacts/batch/read",
	  "/crm/objects/2026-03/contacts/batch/read" },
	{ "POST", "/crm/v4/associations/contacts/companies/batch/read",
	  "/crm/v4/associations/contacts/companies/batch/read",
	  "/crm/associations/2026-03/contacts/companies/batch/read" },
	{ "POST", "/crm/v3/objects/meetings/search", "/crm/v3/objects/meetings/search",
	  "/crm/objects/2026-03/meetings/search" },
	{ "POST", "/scheduler/v3/meetings/calendar?organizerUserId=901", "/scheduler/v3/meetings/calendar",
	  "/scheduler/2026-03/meetings/calendar" }
};

static const gchar *legacy_bodies[] = {
	NULL,
	NULL,
	"{'idProperty':'email','inputs':[{'id':'nobody@example.com'}]}",
	"{'inputs':[{'id':'2999999'}]}",
	"{}",
	"{}"
};

static void
test_legacy_refused (void)
{
	g_autoptr(JsonNode) answer = NULL;
	gint64 refused = mock_test_stat (server, "legacy_refused");
	guint ii;

	mock_test_server_reset (server);

	for (ii = 0; ii < G_N_ELEMENTS (legacy_calls); ii++) {
		g_autofree gchar *expected = mock_test_printf ("{'status':'error','message':'%s %s: this API version "
			"is retired; use %s %s (the mock answers retired paths with --legacy-paths or config "
			"legacy_paths)','correlationId':'<uuid>','category':'OBJECT_NOT_FOUND','errors':[]}",
			legacy_calls[ii][0], legacy_calls[ii][2], legacy_calls[ii][0], legacy_calls[ii][3]);

		g_clear_pointer (&answer, json_node_unref);
		answer = mock_test_expect (server, 404, legacy_calls[ii][0], legacy_calls[ii][1], legacy_bodies[ii]);
		mock_test_assert_json (answer, expected);
	}

	/* A retired version of a call the mock lacks, anywhere in the first
	 * two segments; a "v3" further on is no version */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/oauth/v1/token", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "POST /oauth/v1/token: this API version is "
		"retired; use its 2026-03 form (the mock answers retired paths with --legacy-paths or config legacy_paths)");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/v2/owners", NULL);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", OWNERS "/v3", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "resource not found: no owner with id v3");

	/* Counted since the start (a reset keeps the count), recorded like any call */
	mock_test_server_reset (server);
	g_assert_cmpint (mock_test_stat (server, "legacy_refused"), ==, refused + G_N_ELEMENTS (legacy_calls) + 2);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/crm/v3/owners/101", NULL);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/requests", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "0.path"), ==, "/crm/v3/owners/101");
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "0.status")), ==, 404);
}

/* legacy_paths: the retired paths answer as their 2026-03 forms */
static void
test_legacy_allowed (void)
{
	g_autoptr(JsonNode) answer = NULL;
	gint64 refused = mock_test_stat (server, "legacy_refused");

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 200, "POST", "/__mock/config", "{'legacy_paths':true}");
	g_assert_true (json_node_get_boolean (mock_test_get (answer, "legacy_paths")));

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/crm/v3/owners?email=bob.stone@example.com", NULL);
	mock_test_assert_json (answer, "{'results':[" BOB "]}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/crm/v3/owners/903?idProperty=userId", NULL);
	mock_test_assert_json (answer, CAT);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/account-info/v3/details", NULL);
	g_assert_cmpint (json_node_get_int (mock_test_get (answer, "portalId")), ==, 4242);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/v3/objects/meetings/search", "{}");
	mock_test_assert_json (answer, "{'total':0,'results':[]}");

	/* The same checks, and messages naming the path as sent */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "GET", "/crm/v4/associations/contacts/companies/batch/read", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"HTTP GET is not supported by /crm/v4/associations/contacts/companies/batch/read (allowed: POST)");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "GET", "/crm/v3/owners?limit=501", NULL);

	/* A retired call the mock never had is still unknown */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/oauth/v1/token", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "OBJECT_NOT_FOUND");
	g_assert_cmpint (mock_test_stat (server, "legacy_refused"), ==, refused);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/config", "{'legacy_paths':'yes'}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/__mock/config", "{'legacy_paths':false}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/account-info/v3/details", NULL);
}

/* --legacy-paths: allowed from the start */
static void
test_legacy_option (void)
{
	const gchar *args[] = { "--legacy-paths", "--owner", "ann@example.com:101:901", NULL };
	MockTestServer *legacy = mock_test_server_start (args);
	g_autoptr(JsonNode) answer = NULL;

	answer = mock_test_expect (legacy, 200, "GET", "/__mock/config", NULL);
	g_assert_true (json_node_get_boolean (mock_test_get (answer, "legacy_paths")));

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (legacy, 200, "GET", "/crm/v3/owners", NULL);
	mock_test_assert_json (answer, "{'results':[" ANN "]}");
	g_assert_cmpint (mock_test_stat (legacy, "legacy_refused"), ==, 0);

	mock_test_server_stop (legacy);
}

int
main (int argc,
      char **argv)
{
	const gchar *args[] = {
		"--owner", "ann@example.com:101:901",
		"--owner", "bob.stone@example.com:102:902",
		"--owner", "cat@example.com:103:903",
		NULL
	};
	gint status;

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-account/owners-list", test_owners_list);
	g_test_add_func ("/mock-account/owners-read", test_owners_read);
	g_test_add_func ("/mock-account/account-details", test_account_details);
	g_test_add_func ("/mock-account/legacy-refused", test_legacy_refused);
	g_test_add_func ("/mock-account/legacy-allowed", test_legacy_allowed);
	g_test_add_func ("/mock-account/legacy-option", test_legacy_option);

	server = mock_test_server_start (args);
	status = g_test_run ();
	mock_test_server_stop (server);

	return status;
}
