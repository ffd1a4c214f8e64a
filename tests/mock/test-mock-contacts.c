/* test-mock-contacts.c: hubspot-mock's contacts API and its contacts and
 * companies control endpoints, over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "mock-test-client.h"

#define NOT_FOUND_MESSAGE "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid."

static MockTestServer *server;

static gchar *
make_company (const gchar *name)
{
	g_autofree gchar *body = mock_test_printf ("{'name':'%s'}", name);
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/__mock/companies", body);

	mock_test_assert_json (answer, "{'id':'<any>','name':'<any>'}");
	g_assert_cmpstr (mock_test_get_string (answer, "name"), ==, name);

	return g_strdup (mock_test_get_string (answer, "id"));
}

/* @extra: more members of the control body, e.g. ",'company_ids':['1']" */
static gchar *
make_contact (const gchar *email,
	      const gchar *extra)
{
	g_autofree gchar *body = mock_test_printf ("{'email':'%s'%s}", email, extra ? extra : "");
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/__mock/contacts", body);

	return g_strdup (mock_test_get_string (answer, "id"));
}

/* A contact as the API answers it by default (the six, when set) */
static gchar *
contact_json (const gchar *id,
	      const gchar *email,
	      const gchar *first,
	      const gchar *last,
	      const gchar *extra)
{
	g_autofree gchar *first_member = first ? mock_test_printf (",'firstname':'%s'", first) : g_strdup ("");
	g_autofree gchar *last_member = last ? mock_test_printf (",'lastname':'%s'", last) : g_strdup ("");

	return mock_test_printf ("{'id':'%s','properties':{'createdate':'<time>','email':'%s'%s,'hs_object_id':'%s',"
		"'lastmodifieddate':'<time>'%s%s},'createdAt':'<time>','updatedAt':'<time>','archived':false}",
		id, email, first_member, id, last_member, extra ? extra : "");
}

static gchar *
many_inputs (guint count)
{
	GString *text = g_string_new ("[");
	guint ii;

	for (ii = 0; ii < count; ii++)
		g_string_append_printf (text, "%s{'id':'nobody%u@example.com'}", ii ? "," : "", ii);
	g_string_append_c (text, ']');

	return g_string_free (text, FALSE);
}

static void
assert_validation_error (JsonNode *answer,
			 const gchar *errors)
{
	GString *message = g_string_new ("Invalid input: ");
	g_autofree gchar *expected = NULL;
	g_autoptr(JsonNode) parsed = NULL;
	g_autofree gchar *swapped = g_strdup (errors);
	JsonArray *array;
	guint ii;

	/* The message joins the errors' messages */
	g_strdelimit (swapped, "'", '"');
	parsed = json_from_string (swapped, NULL);
	g_assert_nonnull (parsed);
	array = json_node_get_array (parsed);
	for (ii = 0; ii < json_array_get_length (array); ii++)
		g_string_append_printf (message, "%s%s", ii ? "; " : "",
			json_object_get_string_member (json_array_get_object_element (array, ii), "message"));

	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, message->str);
	g_string_free (message, TRUE);

	expected = mock_test_printf ("{'status':'error','message':'<any>','correlationId':'<uuid>',"
		"'category':'VALIDATION_ERROR','errors':%s}", errors);
	mock_test_assert_json (answer, expected);
}

static void
test_batch_read (void)
{
	g_autofree gchar *jane = NULL, *bob = NULL, *expected = NULL, *jane_json = NULL, *bob_json = NULL;
	g_autofree gchar *inputs = NULL, *body = NULL;
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);
	jane = make_contact ("Jane.Doe@Example.com", ",'firstname':'Jane','lastname':'Doe'");
	bob = make_contact ("bob@example.org", ",'firstname':'Bob'");

	/* By e-mail in any case; duplicates answered once; unknown ones listed once each */
	answer = mock_test_expect (server, 207, "POST", "/crm/objects/2026-03/contacts/batch/read",
		"{'idProperty':'email','inputs':[{'id':'JANE.DOE@example.com'},{'id':'nobody@example.com'},"
		"{'id':'jane.doe@example.com'},{'id':'nobody@example.com'},{'id':'Ghost@Example.com'}],"
		"'properties':['email','phone']}");
	jane_json = contact_json (jane, "jane.doe@example.com", "Jane", "Doe", ",'phone':null");
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s],'numErrors':1,'errors':[{'status':'error',"
		"'category':'OBJECT_NOT_FOUND','message':'" NOT_FOUND_MESSAGE "',"
		"'context':{'ids':['nobody@example.com','Ghost@Example.com']}}],'startedAt':'<time>','completedAt':'<time>'}",
		jane_json);
	mock_test_assert_json (answer, expected);
	g_assert_cmpstr (mock_test_get_string (answer, "results.0.createdAt"), ==,
		mock_test_get_string (answer, "results.0.properties.createdate"));

	/* All found: 200, no errors; the date-versioned path too */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/batch/read",
		"{'idProperty':'email','inputs':[{'id':'BOB@example.org'},{'id':'jane.doe@example.com'}]}");
	g_clear_pointer (&jane_json, g_free);
	jane_json = contact_json (jane, "jane.doe@example.com", "Jane", "Doe", NULL);
	bob_json = contact_json (bob, "bob@example.org", "Bob", NULL, NULL);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s,%s],'startedAt':'<time>','completedAt':'<time>'}",
		bob_json, jane_json);
	mock_test_assert_json (answer, expected);

	/* Record ids, without idProperty or with hs_object_id; an e-mail is not a record id */
	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'%s'}]}", jane, bob);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/batch/read", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s,%s],'startedAt':'<time>','completedAt':'<time>'}",
		jane_json, bob_json);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'idProperty':'hs_object_id','inputs':[{'id':'%s'},{'id':'bob@example.org'}]}", bob);
	answer = mock_test_expect (server, 207, "POST", "/crm/objects/2026-03/contacts/batch/read", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s],'numErrors':1,'errors':[{'status':'error',"
		"'category':'OBJECT_NOT_FOUND','message':'" NOT_FOUND_MESSAGE "','context':{'ids':['bob@example.org']}}],"
		"'startedAt':'<time>','completedAt':'<time>'}", bob_json);
	mock_test_assert_json (answer, expected);

	/* 100 inputs are fine, 101 are not */
	g_clear_pointer (&answer, json_node_unref);
	inputs = many_inputs (100);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'idProperty':'email','inputs':%s}", inputs);
	answer = mock_test_expect (server, 207, "POST", "/crm/objects/2026-03/contacts/batch/read", body);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (mock_test_get (answer, "errors.0.context.ids"))), ==, 100);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (mock_test_get (answer, "results"))), ==, 0);

	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&inputs, g_free);
	inputs = many_inputs (101);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'idProperty':'email','inputs':%s}", inputs);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/read", body);
	assert_validation_error (answer, "[{'message':'inputs: 101 inputs, at most 100 are allowed in one batch',"
		"'code':'TOO_MANY_INPUTS','in':'inputs'}]");

	/* Every problem is listed */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/read",
		"{'idProperty':'phone','inputs':[{'id':5},{'email':'a@example.com'},{'id':''}],'properties':'email',"
		"'propertiesWithHistory':[]}");
	assert_validation_error (answer, "["
		"{'message':'propertiesWithHistory: unrecognized field \\'propertiesWithHistory\\'','code':'UNKNOWN_FIELD','in':'propertiesWithHistory'},"
		"{'message':'idProperty: \\'phone\\' is not one of the allowed values email|hs_object_id','code':'INVALID_ENUM','in':'idProperty'},"
		"{'message':'properties: must be an array of property names, not a string','code':'INVALID_TYPE','in':'properties'},"
		"{'message':'inputs[0].id: must be a string, not an integer','code':'INVALID_TYPE','in':'inputs[0].id'},"
		"{'message':'inputs[1].email: unrecognized field \\'email\\'','code':'UNKNOWN_FIELD','in':'inputs[1].email'},"
		"{'message':'inputs[1].id: required field is missing','code':'REQUIRED','in':'inputs[1].id'},"
		"{'message':'inputs[2].id: must not be empty','code':'INVALID_VALUE','in':'inputs[2].id'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/read", "{'inputs':[]}");
	assert_validation_error (answer, "[{'message':'inputs: must hold at least one input','code':'INVALID_VALUE','in':'inputs'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/read", "{}");
	assert_validation_error (answer, "[{'message':'inputs: required field is missing','code':'REQUIRED','in':'inputs'}]");

	/* Not JSON, and the wrong method */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/read", "{'inputs':");
	mock_test_assert_json (answer, "{'status':'error','message':'<any>','correlationId':'<uuid>',"
		"'category':'VALIDATION_ERROR','errors':[]}");
	g_assert_true (g_str_has_prefix (mock_test_get_string (answer, "message"), "Invalid input JSON "));

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "GET", "/crm/objects/2026-03/contacts/batch/read", NULL);
	mock_test_assert_json (answer, "{'status':'error','message':'HTTP GET is not supported by "
		"/crm/objects/2026-03/contacts/batch/read (allowed: POST)','correlationId':'<uuid>',"
		"'category':'VALIDATION_ERROR','errors':[]}");
}

static void
test_read_one (void)
{
	g_autofree gchar *jane = NULL, *path = NULL, *expected = NULL;
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);
	jane = make_contact ("Jane.Doe@Example.com", ",'firstname':'Jane','lastname':'Doe'");

	path = mock_test_printf ("/crm/objects/2026-03/contacts/%s", jane);
	answer = mock_test_expect (server, 200, "GET", path, NULL);
	expected = contact_json (jane, "jane.doe@example.com", "Jane", "Doe", NULL);
	mock_test_assert_json (answer, expected);

	/* By e-mail, any case; requested properties are null when unset */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET",
		"/crm/objects/2026-03/contacts/JANE.DOE%40EXAMPLE.COM?idProperty=email&properties=phone,email", NULL);
	g_clear_pointer (&expected, g_free);
	expected = contact_json (jane, "jane.doe@example.com", "Jane", "Doe", ",'phone':null");
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET",
		"/crm/objects/2026-03/contacts/nobody@example.com?idProperty=email", NULL);
	mock_test_assert_json (answer, "{'status':'error','message':'resource not found: no contact with email "
		"nobody@example.com','correlationId':'<uuid>','category':'OBJECT_NOT_FOUND','errors':[{'message':"
		"'resource not found: no contact with email nobody@example.com','code':'OBJECT_NOT_FOUND','in':'id'}]}");

	/* An e-mail is not a record id */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/crm/objects/2026-03/contacts/jane.doe@example.com", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "OBJECT_NOT_FOUND");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "GET", "/crm/objects/2026-03/contacts/5?idProperty=phone", NULL);
	mock_test_assert_json (answer, "{'status':'error','message':'idProperty: must be email or hs_object_id',"
		"'correlationId':'<uuid>','category':'VALIDATION_ERROR','errors':[{'message':"
		"'idProperty: must be email or hs_object_id','code':'INVALID_VALUE','in':'idProperty'}]}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "DELETE", path, NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "VALIDATION_ERROR");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/crm/objects/2026-03/contacts/1/associations/companies", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "OBJECT_NOT_FOUND");
}

static void
test_create (void)
{
	const gchar *bad_emails[] = {
		"a@b", "@example.com", "a b@example.com", "a@@example.com", "a@example.c",
		"a..b@example.com", "a@-x.com", "a@x..com", ".a@example.com", "a@exa_mple.com"
	};
	g_autofree gchar *id = NULL, *expected = NULL, *acme = NULL, *globex = NULL, *body = NULL;
	g_autoptr(JsonNode) answer = NULL;
	guint ii;

	mock_test_server_reset (server);

	/* Stored lower-case; "" sets nothing */
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/contacts",
		"{'properties':{'email':'New.Person@Example.COM','firstname':'New','lastname':'Person','jobtitle':''}}");
	id = g_strdup (mock_test_get_string (answer, "id"));
	expected = contact_json (id, "new.person@example.com", "New", "Person", NULL);
	mock_test_assert_json (answer, expected);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 1);

	/* The same e-mail in another case: HubSpot's 409 */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 409, "POST", "/crm/objects/2026-03/contacts",
		"{'properties':{'email':'NEW.PERSON@example.com','firstname':'Other'}}");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'error','message':'Contact already exists. Existing ID: %s',"
		"'correlationId':'<uuid>','category':'CONFLICT'}", id);
	mock_test_assert_json (answer, expected);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 1);

	/* Every problem listed, nothing created */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts",
		"{'properties':{'email':'not an email','nickname':'x','hs_object_id':'1','firstname':5,"
		"'lifecyclestage':'friend'},'extra':true}");
	assert_validation_error (answer, "["
		"{'message':'extra: unrecognized field \\'extra\\'','code':'UNKNOWN_FIELD','in':'extra'},"
		"{'message':'properties.email: Email address \\'not an email\\' is invalid','code':'INVALID_EMAIL','in':'properties.email'},"
		"{'message':'properties.nickname: Property \\'nickname\\' does not exist','code':'UNKNOWN_PROPERTY','in':'properties.nickname'},"
		"{'message':'properties.hs_object_id: Property \\'hs_object_id\\' is read-only','code':'READ_ONLY_VALUE','in':'properties.hs_object_id'},"
		"{'message':'properties.firstname: must be a string, not an integer','code':'INVALID_TYPE','in':'properties.firstname'},"
		"{'message':'properties.lifecyclestage: \\'friend\\' is not one of the allowed values "
		"subscriber|lead|marketingqualifiedlead|salesqualifiedlead|opportunity|customer|evangelist|other',"
		"'code':'INVALID_ENUM','in':'properties.lifecyclestage'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts", "{'properties':{'firstname':'X'}}");
	assert_validation_error (answer, "[{'message':'properties.email: required property is missing',"
		"'code':'REQUIRED','in':'properties.email'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts", "[]");
	assert_validation_error (answer, "[{'message':'body: must be a JSON object, not an array','code':'INVALID_TYPE','in':''}]");

	for (ii = 0; ii < G_N_ELEMENTS (bad_emails); ii++) {
		g_autofree gchar *bad = mock_test_printf ("{'properties':{'email':'%s'}}", bad_emails[ii]);
		g_autoptr(JsonNode) rejected = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts", bad);

		g_assert_cmpstr (mock_test_get_string (rejected, "errors.0.code"), ==, "INVALID_EMAIL");
	}
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 1);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/contacts",
		"{'properties':{'email':'a+tag@sub.example.co.uk'},'objectWriteTraceId':'t-1'}");
	g_assert_cmpstr (mock_test_get_string (answer, "properties.email"), ==, "a+tag@sub.example.co.uk");

	/* Companies: 279 or 1 (primary, listed first) to existing companies only */
	acme = make_company ("Acme");
	globex = make_company ("Globex");
	g_clear_pointer (&answer, json_node_unref);
	body = mock_test_printf ("{'properties':{'email':'worker@example.com'},'associations':["
		"{'to':{'id':'%s'},'types':[{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':279}]},"
		"{'to':{'id':'%s'},'types':[{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':1}]}]}", acme, globex);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/contacts", body);
	g_clear_pointer (&id, g_free);
	id = g_strdup (mock_test_get_string (answer, "id"));

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/contacts", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "2.id"), ==, id);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("['%s','%s']", globex, acme);
	mock_test_assert_json (mock_test_get (answer, "2.company_ids"), expected);

	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'properties':{'email':'worker2@example.com'},'associations':["
		"{'to':{'id':'3999999'},'types':[{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':1}]},"
		"{'to':{'id':'%s'},'types':[{'associationCategory':'USER_DEFINED','associationTypeId':279},"
		"{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':200}]}]}", acme);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts", body);
	assert_validation_error (answer, "["
		"{'message':'associations[0].to.id: 3999999 is not the id of a company','code':'INVALID_VALUE','in':'associations[0].to.id'},"
		"{'message':'associations[1].types[0]: USER_DEFINED 279 is not an association type from contacts to companies "
		"(HUBSPOT_DEFINED 1 for the primary one, or 279)','code':'INVALID_VALUE','in':'associations[1].types[0]'},"
		"{'message':'associations[1].types[1]: HUBSPOT_DEFINED 200 is not an association type from contacts to companies "
		"(HUBSPOT_DEFINED 1 for the primary one, or 279)','code':'INVALID_VALUE','in':'associations[1].types[1]'}]");
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 3);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "GET", "/crm/objects/2026-03/contacts", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "VALIDATION_ERROR");
}

static void
test_batch_create (void)
{
	g_autofree gchar *one = NULL, *two = NULL, *three = NULL, *expected = NULL, *one_json = NULL, *two_json = NULL;
	g_autofree gchar *three_json = NULL;
	g_autoptr(JsonNode) answer = NULL;
	GString *inputs;
	guint ii;

	mock_test_server_reset (server);

	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/contacts/batch/create",
		"{'inputs':[{'properties':{'email':'one@example.com','firstname':'One'}},"
		"{'properties':{'email':'Two@Example.com'}}]}");
	one = g_strdup (mock_test_get_string (answer, "results.0.id"));
	two = g_strdup (mock_test_get_string (answer, "results.1.id"));
	g_assert_cmpstr (one, !=, two);
	one_json = contact_json (one, "one@example.com", "One", NULL, NULL);
	two_json = contact_json (two, "two@example.com", NULL, NULL, NULL);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s,%s],'startedAt':'<time>','completedAt':'<time>'}",
		one_json, two_json);
	mock_test_assert_json (answer, expected);

	/* An existing e-mail, and the same new one twice: 207, the rest created */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 207, "POST", "/crm/objects/2026-03/contacts/batch/create",
		"{'inputs':[{'properties':{'email':'ONE@example.com'}},{'properties':{'email':'three@example.com'}},"
		"{'properties':{'email':'Three@EXAMPLE.com','lastname':'Again'}}]}");
	three = g_strdup (mock_test_get_string (answer, "results.0.id"));
	three_json = contact_json (three, "three@example.com", NULL, NULL, NULL);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s],'numErrors':2,'errors':["
		"{'status':'error','category':'CONFLICT','message':'Contact already exists. Existing ID: %s',"
		"'context':{'existingId':['%s'],'email':['one@example.com']}},"
		"{'status':'error','category':'CONFLICT','message':'Contact already exists. Existing ID: %s',"
		"'context':{'existingId':['%s'],'email':['three@example.com']}}],"
		"'startedAt':'<time>','completedAt':'<time>'}", three_json, one, one, three, three);
	mock_test_assert_json (answer, expected);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 3);

	/* One bad input rejects the whole batch */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/create",
		"{'inputs':[{'properties':{'email':'four@example.com'}},{'properties':{'email':'five'}},{'props':{}}]}");
	assert_validation_error (answer, "["
		"{'message':'inputs[1].properties.email: Email address \\'five\\' is invalid','code':'INVALID_EMAIL','in':'inputs[1].properties.email'},"
		"{'message':'inputs[2].props: unrecognized field \\'props\\'','code':'UNKNOWN_FIELD','in':'inputs[2].props'},"
		"{'message':'inputs[2].properties: required field is missing','code':'REQUIRED','in':'inputs[2].properties'}]");
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 3);

	inputs = g_string_new ("{'inputs':[");
	for (ii = 0; ii < 101; ii++)
		g_string_append_printf (inputs, "%s{'properties':{'email':'p%u@example.com'}}", ii ? "," : "", ii);
	g_string_append (inputs, "]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/batch/create", inputs->str);
	assert_validation_error (answer, "[{'message':'inputs: 101 inputs, at most 100 are allowed in one batch',"
		"'code':'TOO_MANY_INPUTS','in':'inputs'}]");
	g_string_free (inputs, TRUE);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 3);
}

static void
test_search (void)
{
	g_autofree gchar *jane = NULL, *bob = NULL, *carol = NULL, *expected = NULL, *jane_json = NULL, *bob_json = NULL;
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);
	jane = make_contact ("jane.doe@example.com", ",'firstname':'Jane','lastname':'Doe'");
	bob = make_contact ("bob@example.org", ",'firstname':'Bob'");
	carol = make_contact ("carol@example.net", NULL);

	/* e-mail EQ ignores case */
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'email','operator':'EQ','value':'JANE.Doe@Example.COM'}]}]}");
	jane_json = contact_json (jane, "jane.doe@example.com", "Jane", "Doe", NULL);
	expected = mock_test_printf ("{'total':1,'results':[%s]}", jane_json);
	mock_test_assert_json (answer, expected);

	/* IN, requested properties, sorting and paging */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'email','operator':'IN','values':['BOB@example.org','jane.doe@example.com']}]}],"
		"'properties':['phone'],'sorts':[{'propertyName':'email','direction':'ASCENDING'}],'limit':1}");
	bob_json = contact_json (bob, "bob@example.org", "Bob", NULL, ",'phone':null");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':2,'results':[%s],'paging':{'next':{'after':'1'}}}", bob_json);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'email','operator':'IN','values':['BOB@example.org','jane.doe@example.com']}]}],"
		"'sorts':['-email'],'limit':1,'after':'1'}");
	g_clear_pointer (&bob_json, g_free);
	bob_json = contact_json (bob, "bob@example.org", "Bob", NULL, NULL);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':2,'results':[%s]}", bob_json);
	mock_test_assert_json (answer, expected);

	/* A domain as a token, and a text query */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'email','operator':'CONTAINS_TOKEN','value':'*@example.org'}]}]}");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':1,'results':[%s]}", bob_json);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search", "{'query':'doe'}");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'total':1,'results':[%s]}", jane_json);
	mock_test_assert_json (answer, expected);

	/* Unset properties are absent, not null */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'firstname','operator':'NOT_HAS_PROPERTY'}]}]}");
	g_clear_pointer (&expected, g_free);
	g_clear_pointer (&bob_json, g_free);
	bob_json = contact_json (carol, "carol@example.net", NULL, NULL, NULL);
	expected = mock_test_printf ("{'total':1,'results':[%s]}", bob_json);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'email','operator':'EQ','value':'nobody@example.com'}]}]}");
	mock_test_assert_json (answer, "{'total':0,'results':[]}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/contacts/search",
		"{'filterGroups':[{'filters':[{'propertyName':'email','operator':'LIKE','value':'x'}]}],'limit':201}");
	assert_validation_error (answer, "["
		"{'message':'filterGroups[0].filters[0].operator: unknown operator \\'LIKE\\'','code':'INVALID_ENUM','in':'filterGroups[0].filters[0]'},"
		"{'message':'limit: 201 is over the maximum of 200','code':'INVALID_VALUE','in':'limit'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "GET", "/crm/objects/2026-03/contacts/search", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "VALIDATION_ERROR");
}

static void
test_control (void)
{
	g_autofree gchar *acme = NULL, *globex = NULL, *ann = NULL, *expected = NULL, *body = NULL, *again = NULL;
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);

	acme = make_company ("Acme");
	globex = make_company ("Globex");
	g_assert_cmpstr (acme, !=, globex);

	answer = mock_test_expect (server, 200, "GET", "/__mock/companies", NULL);
	expected = mock_test_printf ("[{'id':'%s','name':'Acme'},{'id':'%s','name':'Globex'}]", acme, globex);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/companies", "{'name':''}");
	mock_test_assert_json (answer, "{'status':'error','message':'name: a non-empty string is required',"
		"'correlationId':'<uuid>','category':'VALIDATION_ERROR','errors':[]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/companies", "{'name':'X','domain':'x.example'}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "Unknown member \"domain\" (known: name)");

	/* A contact, its companies in order (the first is the primary one) */
	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'email':'Ann@Example.com','firstname':'Ann','lastname':'Lee','company_ids':['%s','%s']}",
		globex, acme);
	answer = mock_test_expect (server, 201, "POST", "/__mock/contacts", body);
	ann = g_strdup (mock_test_get_string (answer, "id"));
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'id':'%s','properties':{'createdate':'<time>','email':'ann@example.com',"
		"'firstname':'Ann','hs_object_id':'%s','lastmodifieddate':'<time>','lastname':'Lee'},"
		"'createdAt':'<time>','updatedAt':'<time>','archived':false,'company_ids':['%s','%s']}", ann, ann, globex, acme);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/__mock/contacts", "{'email':'solo@example.com'}");
	mock_test_assert_json (mock_test_get (answer, "company_ids"), "[]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 409, "POST", "/__mock/contacts", "{'email':'ANN@example.com'}");
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'error','message':'Contact %s has this e-mail already',"
		"'correlationId':'<uuid>','category':'CONFLICT','errors':[]}", ann);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/contacts", "{'email':'nope'}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "email: \"nope\" is not an e-mail address");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/contacts", "{'firstname':'No e-mail'}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, "email: \"\" is not an e-mail address");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/contacts", "{'email':'x@example.com','company_ids':['3999999']}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"company_ids[0]: not the id (a string) of a company made with POST /__mock/companies");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/__mock/contacts", "{'email':'x@example.com','phone':'1'}");
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"Unknown member \"phone\" (known: email, firstname, lastname, company_ids)");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "PUT", "/__mock/contacts", "{}");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/contacts", NULL);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (answer)), ==, 2);
	g_assert_cmpstr (mock_test_get_string (answer, "0.id"), ==, ann);
	g_assert_cmpstr (mock_test_get_string (answer, "1.properties.email"), ==, "solo@example.com");

	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 2);
	g_assert_cmpint (mock_test_stat (server, "companies"), ==, 2);

	/* Control calls are not API requests */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/requests", NULL);
	mock_test_assert_json (answer, "[]");
	g_assert_cmpint (mock_test_stat (server, "requests"), ==, 0);

	/* Reset forgets them; ids keep increasing */
	mock_test_server_reset (server);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "companies"), ==, 0);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/contacts", NULL);
	mock_test_assert_json (answer, "[]");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", "/__mock/companies", NULL);
	mock_test_assert_json (answer, "[]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "GET", "/crm/objects/2026-03/contacts/ann@example.com?idProperty=email", NULL);
	again = make_contact ("ann@example.com", NULL);
	g_assert_cmpuint (g_ascii_strtoull (again, NULL, 10), >, g_ascii_strtoull (ann, NULL, 10));
}

int
main (int argc,
      char **argv)
{
	gint status;

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-contacts/batch-read", test_batch_read);
	g_test_add_func ("/mock-contacts/read-one", test_read_one);
	g_test_add_func ("/mock-contacts/create", test_create);
	g_test_add_func ("/mock-contacts/batch-create", test_batch_create);
	g_test_add_func ("/mock-contacts/search", test_search);
	g_test_add_func ("/mock-contacts/control", test_control);

	server = mock_test_server_start (NULL);
	status = g_test_run ();
	mock_test_server_stop (server);

	return status;
}
