/* test-mock-associations.c: hubspot-mock's associations, the contacts and
 * companies of meeting creates, and how recording, faults and the rate
 * limit apply to the contacts and associations calls, over HTTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "mock-test-client.h"

#define CONTACT_NOT_FOUND "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid."
#define MEETING_NOT_FOUND "Could not get some MEETING objects, they may be deleted or not exist. Check that ids are valid."

#define MEETING_PROPERTIES \
	"'properties':{'hs_meeting_title':'Review','hs_meeting_start_time':'2026-04-01T09:00:00Z'," \
	"'hs_meeting_end_time':'2026-04-01T10:00:00Z','hs_timestamp':'2026-04-01T09:00:00Z'," \
	"'hs_meeting_outcome':'SCHEDULED','hubspot_owner_id':'75000001'}"

#define SCHEDULER_PATH "/scheduler/2026-03/meetings/calendar?organizerUserId=9100001"

static MockTestServer *server;

static gchar *
make_company (const gchar *name)
{
	g_autofree gchar *body = mock_test_printf ("{'name':'%s'}", name);
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/__mock/companies", body);

	return g_strdup (mock_test_get_string (answer, "id"));
}

static gchar *
make_contact (const gchar *email,
	      const gchar *extra)
{
	g_autofree gchar *body = mock_test_printf ("{'email':'%s'%s}", email, extra ? extra : "");
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/__mock/contacts", body);

	return g_strdup (mock_test_get_string (answer, "id"));
}

/* A meeting made through the CRM API, without associations */
static gchar *
make_meeting (void)
{
	g_autoptr(JsonNode) answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/meetings",
		"{" MEETING_PROPERTIES "}");

	return g_strdup (mock_test_get_string (answer, "id"));
}

/* The stored associations of a meeting, as /__mock/meetings/{id} shows them */
static JsonNode *
stored_associations (const gchar *meeting)
{
	g_autofree gchar *path = mock_test_printf ("/__mock/meetings/%s", meeting);
	g_autoptr(JsonNode) answer = mock_test_expect (server, 200, "GET", path, NULL);

	return json_node_copy (mock_test_get (answer, "associations"));
}

static gchar *
association (const gchar *to,
	     gint type_id)
{
	return mock_test_printf ("{'to':{'id':'%s'},'types':[{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':%d}]}",
		to, type_id);
}

static gchar *
link_input (const gchar *from,
	    const gchar *to,
	    const gchar *category,
	    gint type_id)
{
	return mock_test_printf ("{'from':{'id':'%s'},'to':{'id':'%s'},'types':[{'associationCategory':'%s','associationTypeId':%d}]}",
		from, to, category, type_id);
}

static void
assert_validation_error (JsonNode *answer,
			 const gchar *errors)
{
	g_autofree gchar *expected = mock_test_printf ("{'status':'error','message':'<any>','correlationId':'<uuid>',"
		"'category':'VALIDATION_ERROR','errors':%s}", errors);
	GString *message = g_string_new ("Invalid input: ");
	JsonArray *array;
	guint ii;

	mock_test_assert_json (answer, expected);

	array = json_node_get_array (mock_test_get (answer, "errors"));
	for (ii = 0; ii < json_array_get_length (array); ii++)
		g_string_append_printf (message, "%s%s", ii ? "; " : "",
			json_object_get_string_member (json_array_get_object_element (array, ii), "message"));
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==, message->str);
	g_string_free (message, TRUE);
}

static void
test_contact_companies (void)
{
	g_autofree gchar *acme = NULL, *globex = NULL, *ann = NULL, *bob = NULL, *body = NULL, *expected = NULL;
	g_autofree gchar *result = NULL, *extra = NULL;
	g_autoptr(JsonNode) answer = NULL;
	GString *inputs;
	guint ii;

	mock_test_server_reset (server);
	acme = make_company ("Acme");
	globex = make_company ("Globex");
	extra = mock_test_printf (",'company_ids':['%s','%s']", acme, globex);
	ann = make_contact ("ann@example.com", extra);
	bob = make_contact ("bob@example.com", NULL);

	/* The primary company, another one; a contact without any is absent; duplicates once; unknown ids 207 */
	body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'%s'},{'id':'%s'},{'id':'2999999'},{'id':'2999999'}]}",
		ann, bob, ann);
	answer = mock_test_expect (server, 207, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", body);
	result = mock_test_printf ("{'from':{'id':'%s'},'to':["
		"{'toObjectId':%s,'associationTypes':[{'category':'HUBSPOT_DEFINED','typeId':1,'label':'Primary'}]},"
		"{'toObjectId':%s,'associationTypes':[{'category':'HUBSPOT_DEFINED','typeId':279,'label':null}]}]}",
		ann, acme, globex);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s],'numErrors':1,'errors':[{'status':'error',"
		"'category':'OBJECT_NOT_FOUND','message':'" CONTACT_NOT_FOUND "','context':{'ids':['2999999']}}],"
		"'startedAt':'<time>','completedAt':'<time>'}", result);
	mock_test_assert_json (answer, expected);

	/* All known: 200; the date-versioned path and object type ids too */
	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'%s'}]}", bob, ann);
	answer = mock_test_expect (server, 200, "POST", "/crm/associations/2026-03/0-1/0-2/batch/read", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[%s],'startedAt':'<time>','completedAt':'<time>'}", result);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&answer, json_node_unref);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[{'id':'%s'}]}", bob);
	answer = mock_test_expect (server, 200, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", body);
	mock_test_assert_json (answer, "{'status':'COMPLETE','results':[],'startedAt':'<time>','completedAt':'<time>'}");

	/* Bad bodies */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/contacts/companies/batch/read",
		"{'inputs':[{'id':5},{'id':'1','after':7}],'properties':[]}");
	assert_validation_error (answer, "["
		"{'message':'properties: unrecognized field \\'properties\\'','code':'UNKNOWN_FIELD','in':'properties'},"
		"{'message':'inputs[0].id: must be a string, not an integer','code':'INVALID_TYPE','in':'inputs[0].id'},"
		"{'message':'inputs[1].after: must be a string, not an integer','code':'INVALID_TYPE','in':'inputs[1].after'}]");

	inputs = g_string_new ("{'inputs':[");
	for (ii = 0; ii < 1001; ii++)
		g_string_append_printf (inputs, "%s{'id':'%u'}", ii ? "," : "", ii);
	g_string_append (inputs, "]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", inputs->str);
	assert_validation_error (answer, "[{'message':'inputs: 1001 inputs, at most 1000 are allowed in one batch',"
		"'code':'TOO_MANY_INPUTS','in':'inputs'}]");
	g_string_free (inputs, TRUE);

	/* Only the calls the mock knows */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 405, "GET", "/crm/associations/2026-03/contacts/companies/batch/read", NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "message"), ==,
		"HTTP GET is not supported by /crm/associations/2026-03/contacts/companies/batch/read (allowed: POST)");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/crm/associations/2026-03/companies/contacts/batch/read", "{}");
	g_assert_cmpstr (mock_test_get_string (answer, "category"), ==, "OBJECT_NOT_FOUND");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/crm/associations/2026-03/contacts/companies/batch/archive", "{}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/crm/associations/2026-03/contacts/companies/batch/create", "{}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/crm/associations/2026-03/contacts/deals/batch/read", "{}");
}

static void
test_meeting_batch_create (void)
{
	g_autofree gchar *acme = NULL, *ann = NULL, *bob = NULL, *meeting = NULL, *other = NULL, *body = NULL;
	g_autofree gchar *expected = NULL, *in1 = NULL, *in2 = NULL, *in3 = NULL, *a1 = NULL, *a2 = NULL, *a3 = NULL;
	g_autofree gchar *path = NULL, *modified = NULL;
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(JsonNode) stored = NULL;

	mock_test_server_reset (server);
	acme = make_company ("Acme");
	ann = make_contact ("ann@example.com", NULL);
	bob = make_contact ("bob@example.com", NULL);
	meeting = make_meeting ();
	other = make_meeting ();

	path = mock_test_printf ("/crm/objects/2026-03/meetings/%s?properties=hs_lastmodifieddate", meeting);
	answer = mock_test_expect (server, 200, "GET", path, NULL);
	modified = g_strdup (mock_test_get_string (answer, "properties.hs_lastmodifieddate"));

	/* Contacts (200), a duplicated input answered once */
	in1 = link_input (meeting, ann, "HUBSPOT_DEFINED", 200);
	in2 = link_input (meeting, bob, "HUBSPOT_DEFINED", 200);
	body = mock_test_printf ("{'inputs':[%s,%s,%s]}", in1, in2, in1);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create", body);
	expected = mock_test_printf ("{'status':'COMPLETE','results':["
		"{'fromObjectTypeId':'0-47','fromObjectId':%s,'toObjectTypeId':'0-1','toObjectId':%s,'labels':[]},"
		"{'fromObjectTypeId':'0-47','fromObjectId':%s,'toObjectTypeId':'0-1','toObjectId':%s,'labels':[]}],"
		"'startedAt':'<time>','completedAt':'<time>'}", meeting, ann, meeting, bob);
	mock_test_assert_json (answer, expected);

	/* A company (188), through the date-versioned path */
	in3 = link_input (meeting, acme, "HUBSPOT_DEFINED", 188);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[%s]}", in3);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/associations/2026-03/meetings/companies/batch/create", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':["
		"{'fromObjectTypeId':'0-47','fromObjectId':%s,'toObjectTypeId':'0-2','toObjectId':%s,'labels':[]}],"
		"'startedAt':'<time>','completedAt':'<time>'}", meeting, acme);
	mock_test_assert_json (answer, expected);

	/* Stored on the meeting once each, even when sent again */
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[%s]}", in2);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create", body);

	a1 = association (ann, 200);
	a2 = association (bob, 200);
	a3 = association (acme, 188);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("[%s,%s,%s]", a1, a2, a3);
	stored = stored_associations (meeting);
	mock_test_assert_json (stored, expected);
	g_clear_pointer (&stored, json_node_unref);
	stored = stored_associations (other);
	mock_test_assert_json (stored, "[]");

	/* Associations are no change of the meeting's own properties */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "GET", path, NULL);
	g_assert_cmpstr (mock_test_get_string (answer, "properties.hs_lastmodifieddate"), ==, modified);

	/* Read back through the batch read */
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[{'id':'%s'},{'id':'%s'},{'id':'1999999'}]}", meeting, other);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 207, "POST", "/crm/associations/2026-03/meetings/contacts/batch/read", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[{'from':{'id':'%s'},'to':["
		"{'toObjectId':%s,'associationTypes':[{'category':'HUBSPOT_DEFINED','typeId':200,'label':null}]},"
		"{'toObjectId':%s,'associationTypes':[{'category':'HUBSPOT_DEFINED','typeId':200,'label':null}]}]}],"
		"'numErrors':1,'errors':[{'status':'error','category':'OBJECT_NOT_FOUND','message':'" MEETING_NOT_FOUND "',"
		"'context':{'ids':['1999999']}}],'startedAt':'<time>','completedAt':'<time>'}", meeting, ann, bob);
	mock_test_assert_json (answer, expected);

	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[{'id':'%s'}]}", meeting);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/associations/2026-03/meetings/companies/batch/read", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("{'status':'COMPLETE','results':[{'from':{'id':'%s'},'to':["
		"{'toObjectId':%s,'associationTypes':[{'category':'HUBSPOT_DEFINED','typeId':188,'label':null}]}]}],"
		"'startedAt':'<time>','completedAt':'<time>'}", meeting, acme);
	mock_test_assert_json (answer, expected);

	/* Unknown records and wrong types: 400 listing each, nothing added */
	g_clear_pointer (&in1, g_free);
	g_clear_pointer (&in2, g_free);
	g_clear_pointer (&in3, g_free);
	in1 = link_input ("1999999", ann, "HUBSPOT_DEFINED", 200);
	in2 = link_input (other, acme, "HUBSPOT_DEFINED", 188);
	in3 = link_input (other, bob, "USER_DEFINED", 200);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[%s,%s,%s]}", in1, in2, in3);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("["
		"{'message':'inputs[0].from.id: 1999999 is not the id of a meeting','code':'INVALID_VALUE','in':'inputs[0].from.id'},"
		"{'message':'inputs[1].to.id: %s is not the id of a contact','code':'INVALID_VALUE','in':'inputs[1].to.id'},"
		"{'message':'inputs[1].types[0]: HUBSPOT_DEFINED 188 is not an association type from meetings to contacts "
		"(HUBSPOT_DEFINED 200)','code':'INVALID_VALUE','in':'inputs[1].types[0]'},"
		"{'message':'inputs[2].types[0]: USER_DEFINED 200 is not an association type from meetings to contacts "
		"(HUBSPOT_DEFINED 200)','code':'INVALID_VALUE','in':'inputs[2].types[0]'}]", acme);
	assert_validation_error (answer, expected);

	g_clear_pointer (&in1, g_free);
	in1 = link_input (other, ann, "HUBSPOT_DEFINED", 188);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[%s]}", in1);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/meetings/companies/batch/create", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("["
		"{'message':'inputs[0].to.id: %s is not the id of a company','code':'INVALID_VALUE','in':'inputs[0].to.id'}]", ann);
	assert_validation_error (answer, expected);

	g_clear_pointer (&stored, json_node_unref);
	stored = stored_associations (other);
	mock_test_assert_json (stored, "[]");

	/* An archived meeting takes none */
	g_clear_pointer (&path, g_free);
	path = mock_test_printf ("/crm/objects/2026-03/meetings/%s", other);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 204, "DELETE", path, NULL);
	g_clear_pointer (&in1, g_free);
	in1 = link_input (other, ann, "HUBSPOT_DEFINED", 200);
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'inputs':[%s]}", in1);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create", body);
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("[{'message':'inputs[0].from.id: %s is not the id of a meeting',"
		"'code':'INVALID_VALUE','in':'inputs[0].from.id'}]", other);
	assert_validation_error (answer, expected);

	/* The schema */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create",
		"{'inputs':[{'from':'1','to':{'id':''},'types':[]},{'from':{'id':'1','type':'x'},'to':{'id':'2'}}]}");
	assert_validation_error (answer, "["
		"{'message':'inputs[0].from: must be an object, not a string','code':'INVALID_TYPE','in':'inputs[0].from'},"
		"{'message':'inputs[0].to.id: must not be empty','code':'INVALID_VALUE','in':'inputs[0].to.id'},"
		"{'message':'inputs[0].types: must name at least one association type','code':'INVALID_VALUE','in':'inputs[0].types'},"
		"{'message':'inputs[1].from.type: unrecognized field \\'type\\'','code':'UNKNOWN_FIELD','in':'inputs[1].from.type'},"
		"{'message':'inputs[1].types: required field is missing','code':'REQUIRED','in':'inputs[1].types'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/meetings/companies/batch/create", "{'inputs':[]}");
	assert_validation_error (answer, "[{'message':'inputs: must hold at least one input','code':'INVALID_VALUE','in':'inputs'}]");

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 404, "POST", "/crm/associations/2026-03/meetings/deals/batch/create", "{'inputs':[]}");
}

static void
test_meeting_creates (void)
{
	g_autofree gchar *acme = NULL, *ann = NULL, *a_ann = NULL, *a_acme = NULL, *body = NULL, *expected = NULL;
	g_autofree gchar *a_bad_contact = NULL, *a_company_as_contact = NULL, *a_contact_as_company = NULL;
	g_autofree gchar *a_deal = NULL, *path = NULL;
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(JsonNode) stored = NULL;

	mock_test_server_reset (server);
	acme = make_company ("Acme");
	ann = make_contact ("ann@example.com", NULL);

	a_ann = association (ann, 200);
	a_acme = association (acme, 188);
	a_bad_contact = association ("2999999", 200);
	a_company_as_contact = association (acme, 200);
	a_contact_as_company = association (ann, 188);
	a_deal = association ("4000001", 212);

	/* The scheduler create: unknown records and types named, nothing created */
	body = mock_test_printf ("{'associations':[%s,%s,%s,%s,%s],'emailReminderSchedule':{'reminders':[],"
		"'shouldIncludeInviteDescription':false},'timezone':'Europe/Paris'," MEETING_PROPERTIES "}",
		a_ann, a_bad_contact, a_company_as_contact, a_contact_as_company, a_deal);
	answer = mock_test_expect (server, 400, "POST", SCHEDULER_PATH, body);
	expected = mock_test_printf ("["
		"{'message':'associations[1].to.id: 2999999 is not the id of a contact','code':'INVALID_VALUE','in':'associations[1].to.id'},"
		"{'message':'associations[2].to.id: %s is not the id of a contact','code':'INVALID_VALUE','in':'associations[2].to.id'},"
		"{'message':'associations[3].to.id: %s is not the id of a company','code':'INVALID_VALUE','in':'associations[3].to.id'},"
		"{'message':'associations[4].types[0]: HUBSPOT_DEFINED 212 is not an association type the mock knows from "
		"meetings (HUBSPOT_DEFINED 200 to contacts, 188 to companies)','code':'INVALID_VALUE','in':'associations[4].types[0]'}]",
		acme, ann);
	assert_validation_error (answer, expected);
	g_assert_cmpint (mock_test_stat (server, "creates"), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "meetings"), ==, 0);

	/* Known ones: created and stored as sent */
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'associations':[%s,%s],'emailReminderSchedule':{'reminders':[],"
		"'shouldIncludeInviteDescription':false},'timezone':'Europe/Paris'," MEETING_PROPERTIES "}", a_ann, a_acme);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/scheduler/2026-03/meetings/calendar?organizerUserId=9100001", body);
	stored = stored_associations (mock_test_get_string (answer, "id"));
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("[%s,%s]", a_ann, a_acme);
	mock_test_assert_json (stored, expected);

	/* The CRM create checks them the same way */
	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'associations':[%s]," MEETING_PROPERTIES "}", a_bad_contact);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/objects/2026-03/meetings", body);
	assert_validation_error (answer, "[{'message':'associations[0].to.id: 2999999 is not the id of a contact',"
		"'code':'INVALID_VALUE','in':'associations[0].to.id'}]");
	g_assert_cmpint (mock_test_stat (server, "creates"), ==, 1);

	g_clear_pointer (&body, g_free);
	body = mock_test_printf ("{'associations':[%s,%s]," MEETING_PROPERTIES "}", a_acme, a_ann);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/meetings", body);
	g_clear_pointer (&stored, json_node_unref);
	stored = stored_associations (mock_test_get_string (answer, "id"));
	g_clear_pointer (&expected, g_free);
	expected = mock_test_printf ("[%s,%s]", a_acme, a_ann);
	mock_test_assert_json (stored, expected);
	g_assert_cmpint (mock_test_stat (server, "creates"), ==, 2);

	/* Without associations: none stored */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/meetings", "{" MEETING_PROPERTIES "}");
	path = g_strdup (mock_test_get_string (answer, "id"));
	g_clear_pointer (&stored, json_node_unref);
	stored = stored_associations (path);
	mock_test_assert_json (stored, "[]");
}

/* Every contacts and associations call is recorded like the meeting calls */
static void
test_recorded (void)
{
	g_autofree gchar *ann = NULL, *meeting = NULL, *body = NULL, *input = NULL;
	g_autoptr(JsonNode) read = NULL;
	g_autoptr(JsonNode) created = NULL;
	g_autoptr(JsonNode) linked = NULL;
	g_autoptr(JsonNode) requests = NULL;
	const gchar *calls[][2] = {
		{ "POST", "/crm/objects/2026-03/contacts/batch/read" },
		{ "POST", "/crm/objects/2026-03/contacts" },
		{ "POST", "/crm/objects/2026-03/meetings" },
		{ "POST", "/crm/associations/2026-03/meetings/contacts/batch/create" },
		{ "GET", "/crm/objects/2026-03/contacts/ann@example.com" }
	};
	guint ii;

	mock_test_server_reset (server);
	ann = make_contact ("ann@example.com", NULL);

	read = mock_test_expect (server, 200, "POST", calls[0][1], "{'idProperty':'email','inputs':[{'id':'Ann@example.com'}]}");
	created = mock_test_expect (server, 201, "POST", calls[1][1], "{'properties':{'email':'new@example.com'}}");
	meeting = make_meeting ();
	input = link_input (meeting, ann, "HUBSPOT_DEFINED", 200);
	body = mock_test_printf ("{'inputs':[%s]}", input);
	linked = mock_test_expect (server, 201, "POST", calls[3][1], body);
	g_assert_cmpuint (mock_test_call (server, "GET", "/crm/objects/2026-03/contacts/ann@example.com?idProperty=email", NULL, NULL), ==, 200);

	requests = mock_test_expect (server, 200, "GET", "/__mock/requests", NULL);
	g_assert_cmpuint (json_array_get_length (json_node_get_array (requests)), ==, G_N_ELEMENTS (calls));
	for (ii = 0; ii < G_N_ELEMENTS (calls); ii++) {
		JsonObject *record = json_array_get_object_element (json_node_get_array (requests), ii);

		g_assert_cmpint (json_object_get_int_member (record, "seq"), ==, ii + 1);
		g_assert_cmpstr (json_object_get_string_member (record, "method"), ==, calls[ii][0]);
		g_assert_cmpstr (json_object_get_string_member (record, "path"), ==, calls[ii][1]);
		g_assert_true (json_object_get_boolean_member (record, "authorized"));
		g_assert_true (json_object_get_null_member (record, "fault"));
	}

	mock_test_assert_json (mock_test_get (requests, "0"), "{'seq':1,'method':'POST',"
		"'path':'/crm/objects/2026-03/contacts/batch/read','query':{},'authorized':true,"
		"'body':{'idProperty':'email','inputs':[{'id':'Ann@example.com'}]},'status':200,'response':'<any>','fault':null}");
	g_assert_true (json_node_equal (mock_test_get (requests, "0.response"), read));
	g_assert_cmpint (json_node_get_int (mock_test_get (requests, "1.status")), ==, 201);
	g_assert_true (json_node_equal (mock_test_get (requests, "1.response"), created));
	g_assert_true (json_node_equal (mock_test_get (requests, "3.response"), linked));
	g_assert_cmpstr (mock_test_get_string (requests, "3.body.inputs.0.to.id"), ==, ann);
	mock_test_assert_json (mock_test_get (requests, "4.query"), "{'idProperty':'email'}");
	g_assert_cmpint (mock_test_stat (server, "requests"), ==, G_N_ELEMENTS (calls));
}

static void
test_faults (void)
{
	g_autofree gchar *ann = NULL, *body = NULL;
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(JsonNode) requests = NULL;
	g_autoptr(JsonNode) faults = NULL;

	mock_test_server_reset (server);
	ann = make_contact ("ann@example.com", NULL);

	/* Matched on a path part: only the batch read fails, once */
	answer = mock_test_expect (server, 201, "POST", "/__mock/faults", "{'match':'contacts/batch/read','status':503}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/contacts", "{'properties':{'email':'x@example.com'}}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 503, "POST", "/crm/objects/2026-03/contacts/batch/read",
		"{'idProperty':'email','inputs':[{'id':'ann@example.com'}]}");
	mock_test_assert_json (answer, "{'status':'error','message':'Internal error (injected fault)',"
		"'correlationId':'<uuid>','category':'INTERNAL_ERROR','errors':[]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/batch/read",
		"{'idProperty':'email','inputs':[{'id':'ann@example.com'}]}");

	requests = mock_test_expect (server, 200, "GET", "/__mock/requests", NULL);
	g_assert_true (json_node_is_null (mock_test_get (requests, "0.fault")));
	g_assert_cmpstr (mock_test_get_string (requests, "1.fault"), ==, "status:503");
	g_assert_cmpint (json_node_get_int (mock_test_get (requests, "1.status")), ==, 503);
	g_assert_true (json_node_is_null (mock_test_get (requests, "2.fault")));

	/* On associations, and before any check of the body: a 429 does nothing */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/__mock/faults",
		"{'match':'/crm/associations/2026-03/','status':429,'policy_name':'SECONDLY','count':2}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 429, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", "not json");
	mock_test_assert_json (answer, "{'status':'error','message':'You have reached your secondly limit.',"
		"'errorType':'RATE_LIMIT','correlationId':'<uuid>','policyName':'SECONDLY'}");
	g_clear_pointer (&answer, json_node_unref);
	body = mock_test_printf ("{'inputs':[{'from':{'id':'1000001'},'to':{'id':'%s'},"
		"'types':[{'associationCategory':'HUBSPOT_DEFINED','associationTypeId':200}]}]}", ann);
	answer = mock_test_expect (server, 429, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create", body);
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 400, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", "not json");

	faults = mock_test_expect (server, 200, "GET", "/__mock/faults", NULL);
	g_assert_cmpint (json_node_get_int (mock_test_get (faults, "0.applied")), ==, 1);
	g_assert_cmpint (json_node_get_int (mock_test_get (faults, "1.applied")), ==, 2);
	g_assert_cmpint (json_node_get_int (mock_test_get (faults, "1.count")), ==, 0);
	g_assert_cmpint (mock_test_stat (server, "faults_applied"), ==, 3);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 2);
}

static void
test_rate_limit (void)
{
	g_autoptr(JsonNode) answer = NULL;

	mock_test_server_reset (server);
	answer = mock_test_expect (server, 200, "POST", "/__mock/config", "{'rate_limit':3,'rate_window_ms':60000}");

	/* Contacts and associations calls count like any other */
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 201, "POST", "/crm/objects/2026-03/contacts", "{'properties':{'email':'a@example.com'}}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 207, "POST", "/crm/objects/2026-03/contacts/batch/read", "{'inputs':[{'id':'1'}]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 207, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", "{'inputs':[{'id':'1'}]}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 429, "POST", "/crm/objects/2026-03/contacts/search", "{}");
	mock_test_assert_json (answer, "{'status':'error','message':'You have reached your ten_secondly_rolling limit.',"
		"'errorType':'RATE_LIMIT','correlationId':'<uuid>','policyName':'TEN_SECONDLY_ROLLING'}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 429, "POST", "/crm/associations/2026-03/meetings/contacts/batch/create", "{}");
	g_assert_cmpint (mock_test_stat (server, "rate_limited"), ==, 2);
	g_assert_cmpint (mock_test_stat (server, "contacts"), ==, 1);

	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/__mock/config", "{'rate_limit':0,'rate_window_ms':10000}");
	g_clear_pointer (&answer, json_node_unref);
	answer = mock_test_expect (server, 200, "POST", "/crm/objects/2026-03/contacts/search", "{}");
}

int
main (int argc,
      char **argv)
{
	gint status;

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/mock-associations/contact-companies", test_contact_companies);
	g_test_add_func ("/mock-associations/meeting-batch-create", test_meeting_batch_create);
	g_test_add_func ("/mock-associations/meeting-creates", test_meeting_creates);
	g_test_add_func ("/mock-associations/recorded", test_recorded);
	g_test_add_func ("/mock-associations/faults", test_faults);
	g_test_add_func ("/mock-associations/rate-limit", test_rate_limit);

	server = mock_test_server_start (NULL);
	status = g_test_run ();
	mock_test_server_stop (server);

	return status;
}
