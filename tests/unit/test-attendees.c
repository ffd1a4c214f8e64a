/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Attendees -> owners and contacts (docs/design.md, "Mapping an event to a meeting"): what the mapping
 * collects from the event, what the directory resolves them to, and the
 * exact bodies of every call the outbox makes with them. */

#include <string.h>

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-directory.h"
#include "common/e-hubspot-mapping.h"

#ifdef HAVE_MOCK_SCHEMA
#include "e-hubspot-mock-schema.h"
#endif

#define NOW_2026 1767225600	/* 2026-01-01T00:00:00Z */
#define MINUTE (G_USEC_PER_SEC * (gint64) 60)

/* Helpers */

static JsonNode *
parse_json (const gchar *text)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) error = NULL;

	json_parser_load_from_data (parser, text, -1, &error);
	g_assert_no_error (error);

	return json_node_copy (json_parser_get_root (parser));
}

/* Same JSON, member order aside; both shown when not. */
static void
assert_json (JsonNode *actual,
	     const gchar *expected_text)
{
	g_autoptr(JsonNode) expected = parse_json (expected_text);

	if (!actual || !json_node_equal (actual, expected)) {
		g_autofree gchar *got = actual ? json_to_string (actual, TRUE) : g_strdup ("(null)");
		g_autofree gchar *want = json_to_string (expected, TRUE);

		g_error ("JSON differs.\nexpected: %s\ngot: %s", want, got);
	}
}

static void
assert_json_array (JsonArray *actual,
		   const gchar *expected_text)
{
	g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

	json_node_set_array (node, actual);
	assert_json (node, expected_text);
}

static ICalComponent *
event_new (const gchar *lines)
{
	g_autofree gchar *text = g_strconcat (
		"BEGIN:VEVENT\r\n"
		"UID:attendees@example.com\r\n"
		"DTSTAMP:20260101T000000Z\r\n"
		"SUMMARY:Review\r\n"
		"DTSTART:20260310T090000Z\r\n"
		"DTEND:20260310T100000Z\r\n",
		lines,
		"END:VEVENT\r\n", NULL);
	ICalComponent *vevent = i_cal_component_new_from_string (text);

	g_assert_nonnull (vevent);

	return vevent;
}

static void
context_init (EHubSpotMappingContext *context)
{
	memset (context, 0, sizeof (EHubSpotMappingContext));
	context->owner_id = "75000001";
	context->now = NOW_2026;
	context->self_email = "Owner@Example.com";
	context->include_attendees = TRUE;
}

static JsonNode *
build (const gchar *lines,
       const EHubSpotMappingContext *context)
{
	g_autoptr(GError) error = NULL;
	ICalComponent *vevent = event_new (lines);
	JsonNode *body = e_hubspot_mapping_build_meeting (vevent, context, &error);

	g_assert_no_error (error);
	g_assert_nonnull (body);
	g_object_unref (vevent);

	return body;
}

static JsonArray *
collect (const gchar *lines,
	 const gchar *self_email)
{
	ICalComponent *vevent = event_new (lines);
	JsonArray *attendees = e_hubspot_attendees_collect (vevent, self_email);

	g_object_unref (vevent);

	return attendees;
}

/* From the event */

static void
test_address_to_email (void)
{
	static const struct {
		const gchar *address;
		const gchar *email;
	} cases[] = {
		{ "mailto:ada@example.org", "ada@example.org" },
		{ "Mailto:Ada@Example.ORG", "ada@example.org" },
		{ "MAILTO: grace@example.org ", "grace@example.org" },
		{ "mailto:ada%2Blists@example.org", "ada+lists@example.org" },
		{ "mailto:ada@example.org?subject=Hello", "ada@example.org" },
		{ "ada@example.org", "ada@example.org" },
		{ "urn:uuid:4f1c1c3e-7a0e-4d1c-9a41-0d2c6a1a8b01", NULL },
		{ "tel:+33123456789", NULL },
		{ "mailto:", NULL },
		{ "mailto:nobody", NULL },
		{ "mailto:@example.org", NULL },
		{ "mailto:ada@", NULL },
		{ "mailto:ada@localhost", NULL },
		{ "mailto:ada lovelace@example.org", NULL },
		{ "mailto:a@b@example.org", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autofree gchar *email = e_hubspot_attendees_address_to_email (cases[ii].address);

		g_assert_cmpstr (email, ==, cases[ii].email);
	}
}

/* The calendar's user, rooms, resources and addresses that are no e-mail
 * are left out; each person once, in the event's order. */
static void
test_collect (void)
{
	g_autoptr(JsonArray) attendees = collect (
		"ORGANIZER;CN=The Owner:mailto:owner@example.com\r\n"
		"ATTENDEE;CN=The Owner;PARTSTAT=ACCEPTED:MAILTO:OWNER@example.com\r\n"
		"ATTENDEE;CN=Ada Lovelace:Mailto:Ada@Example.org\r\n"
		"ATTENDEE;CUTYPE=ROOM;CN=Big room:mailto:room-big@example.org\r\n"
		"ATTENDEE;CUTYPE=RESOURCE:mailto:projector@example.org\r\n"
		"ATTENDEE;CN=No address:urn:uuid:4f1c1c3e-7a0e-4d1c-9a41-0d2c6a1a8b01\r\n"
		"ATTENDEE;CN=Not UTF-8:mailto:caf\xe9@example.org\r\n"
		"ATTENDEE;EMAIL=Grace@Example.org;CN=Grace Hopper:urn:uuid:5e3a\r\n"
		"ATTENDEE:mailto:ada@example.org\r\n"
		"ATTENDEE:mailto:charles@example.org\r\n"
		"ATTENDEE;CN=\"Babbage, Charles\":mailto:CHARLES@example.org\r\n"
		"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=NON-PARTICIPANT:mailto:observer@example.org\r\n",
		"owner@example.com");

	assert_json_array (attendees,
		"[{\"email\": \"ada@example.org\", \"name\": \"Ada Lovelace\"},"
		" {\"email\": \"grace@example.org\", \"name\": \"Grace Hopper\"},"
		" {\"email\": \"charles@example.org\", \"name\": \"Babbage, Charles\"},"
		" {\"email\": \"observer@example.org\"}]");
}

static void
test_collect_none (void)
{
	g_autoptr(JsonArray) nobody = collect ("", NULL);
	g_autoptr(JsonArray) only_self = collect ("ATTENDEE:mailto:owner@example.com\r\n", "mailto:Owner@example.com");
	g_autoptr(JsonArray) no_self = collect ("ATTENDEE:mailto:owner@example.com\r\n", NULL);

	assert_json_array (nobody, "[]");
	assert_json_array (only_self, "[]");
	assert_json_array (no_self, "[{\"email\": \"owner@example.com\"}]");
}

/* The mapping carries them for the outbox, and only when asked to. */
static void
test_mapping_member (void)
{
	EHubSpotMappingContext context;
	g_autoptr(JsonNode) with = NULL;
	g_autoptr(JsonNode) without = NULL;
	g_autoptr(JsonNode) only_self = NULL;
	const gchar *lines =
		"ATTENDEE;CN=Ada Lovelace:mailto:ada@example.org\r\n"
		"ATTENDEE;CN=Owner:mailto:owner@example.com\r\n"
		"ATTENDEE;CN=Colleague:mailto:colleague@example.com\r\n";

	context_init (&context);
	with = build (lines, &context);
	assert_json (with,
		"{\"associations\": [],"
		" \"emailReminderSchedule\": {\"reminders\": [], \"shouldIncludeInviteDescription\": false},"
		" \"properties\": {\"hubspot_owner_id\": \"75000001\", \"hs_meeting_title\": \"Review\","
		"   \"hs_meeting_start_time\": \"2026-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2026-03-10T10:00:00Z\","
		"   \"hs_timestamp\": \"2026-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"SCHEDULED\"},"
		" \"timezone\": \"UTC\","
		" \"x-hubspot-attendees\": [{\"email\": \"ada@example.org\", \"name\": \"Ada Lovelace\"},"
		"   {\"email\": \"colleague@example.com\", \"name\": \"Colleague\"}]}");

	context.include_attendees = FALSE;
	without = build (lines, &context);
	g_assert_false (json_object_has_member (json_node_get_object (without), E_HUBSPOT_ATTENDEES_MEMBER));

	/* Nobody but the calendar's user: no member at all. */
	context.include_attendees = TRUE;
	only_self = build ("ATTENDEE:mailto:owner@example.com\r\n", &context);
	g_assert_false (json_object_has_member (json_node_get_object (only_self), E_HUBSPOT_ATTENDEES_MEMBER));
}

static void
test_split_name (void)
{
	static const struct {
		const gchar *cn;
		const gchar *first;
		const gchar *last;
	} cases[] = {
		{ "Ada Lovelace", "Ada", "Lovelace" },
		{ "Lovelace, Ada", "Ada", "Lovelace" },
		{ "  Lovelace ,  Ada  ", "Ada", "Lovelace" },
		{ "Ludwig van Beethoven", "Ludwig", "van Beethoven" },
		{ "Ada", "Ada", NULL },
		{ "Lovelace,", NULL, "Lovelace" },
		{ "Éléonore  Dupré", "Éléonore", "Dupré" },
		{ "ada@example.org", NULL, NULL },
		{ "   ", NULL, NULL },
		{ "", NULL, NULL },
		{ NULL, NULL, NULL },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autofree gchar *first = NULL;
		g_autofree gchar *last = NULL;

		e_hubspot_attendees_split_name (cases[ii].cn, &first, &last);
		g_assert_cmpstr (first, ==, cases[ii].first);
		g_assert_cmpstr (last, ==, cases[ii].last);
	}
}

static void
test_from_body (void)
{
	g_autoptr(JsonNode) body = parse_json (
		"{\"properties\": {\"hs_meeting_outcome\": \"COMPLETED\"},"
		" \"x-hubspot-attendees\": [{\"email\": \"Ada@Example.org\", \"name\": \"Ada Lovelace\"},"
		"   {\"email\": \"grace@example.org\", \"name\": \"\"}, {\"name\": \"No e-mail\"}, 42,"
		"   {\"email\": \"not an address\"}]}");
	g_autoptr(JsonNode) scheduled = parse_json ("{\"properties\": {\"hs_meeting_outcome\": \"SCHEDULED\"}}");
	g_autoptr(GPtrArray) attendees = e_hubspot_attendees_from_body (body);
	g_autoptr(GPtrArray) none = e_hubspot_attendees_from_body (scheduled);
	EHubSpotAttendee *attendee;

	g_assert_cmpuint (attendees->len, ==, 2);
	attendee = g_ptr_array_index (attendees, 0);
	g_assert_cmpstr (attendee->email, ==, "ada@example.org");
	g_assert_cmpstr (attendee->name, ==, "Ada Lovelace");
	attendee = g_ptr_array_index (attendees, 1);
	g_assert_cmpstr (attendee->email, ==, "grace@example.org");
	g_assert_null (attendee->name);
	g_assert_cmpuint (none->len, ==, 0);

	g_assert_true (e_hubspot_attendees_body_is_completed (body));
	g_assert_false (e_hubspot_attendees_body_is_completed (scheduled));
	g_assert_false (e_hubspot_attendees_body_is_completed (NULL));
}

/* The directory */

static GPtrArray *
attendees_new (const gchar *first_email,
	       ...)
{
	GPtrArray *attendees = g_ptr_array_new_with_free_func (e_hubspot_attendee_free);
	const gchar *email;
	va_list ap;

	va_start (ap, first_email);
	for (email = first_email; email; email = va_arg (ap, const gchar *)) {
		EHubSpotAttendee *attendee = g_new0 (EHubSpotAttendee, 1);

		attendee->email = g_strdup (email);
		attendee->name = g_strdup (va_arg (ap, const gchar *));
		g_ptr_array_add (attendees, attendee);
	}
	va_end (ap);

	return attendees;
}

static GHashTable *
owners_new (void)
{
	GHashTable *owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

	g_hash_table_insert (owners, g_strdup ("owner@example.com"), g_strdup ("75000001"));
	g_hash_table_insert (owners, g_strdup ("colleague@example.com"), g_strdup ("75000002"));

	return owners;
}

static gchar *
join (GPtrArray *strings)
{
	GString *text = g_string_new (NULL);
	guint ii;

	for (ii = 0; ii < strings->len; ii++)
		g_string_append_printf (text, "%s%s", ii ? "," : "", (const gchar *) g_ptr_array_index (strings, ii));

	return g_string_free (text, FALSE);
}

static gchar *
join_creates (GPtrArray *creates)
{
	GString *text = g_string_new (NULL);
	guint ii;

	for (ii = 0; ii < creates->len; ii++) {
		EHubSpotAttendee *attendee = g_ptr_array_index (creates, ii);

		g_string_append_printf (text, "%s%s/%s", ii ? "," : "", attendee->email, attendee->name);
	}

	return g_string_free (text, FALSE);
}

typedef struct {
	gchar *owners;
	gchar *contacts;
	gchar *companies;
	gboolean complete;
	gboolean need_owners;
	gchar *lookups;
	gchar *creates;
	gchar *need_companies;
} Resolved;

static void
resolved_clear (Resolved *resolved)
{
	g_free (resolved->owners);
	g_free (resolved->contacts);
	g_free (resolved->companies);
	g_free (resolved->lookups);
	g_free (resolved->creates);
	g_free (resolved->need_companies);
	memset (resolved, 0, sizeof (Resolved));
}

static void
resolve (EHubSpotDirectory *directory,
	 GPtrArray *attendees,
	 const EHubSpotResolveOptions *options,
	 gint64 now,
	 Resolved *out)
{
	EHubSpotDirectoryNeeds needs;
	EHubSpotAttendeeResolution *resolution;

	resolved_clear (out);
	e_hubspot_directory_needs_init (&needs);
	resolution = e_hubspot_directory_resolve (directory, attendees, options, now, &needs);

	out->owners = join (resolution->owner_ids);
	out->contacts = join (resolution->contact_ids);
	out->companies = join (resolution->company_ids);
	out->complete = resolution->complete;
	out->need_owners = needs.owners;
	out->lookups = join (needs.lookups);
	out->creates = join_creates (needs.creates);
	out->need_companies = join (needs.companies);

	e_hubspot_attendee_resolution_free (resolution);
	e_hubspot_directory_needs_clear (&needs);
}

/* Owners first, then contacts; the calendar's own owner id never. */
static void
test_directory_resolve (void)
{
	EHubSpotDirectory *directory = e_hubspot_directory_new (60 * MINUTE, 10 * MINUTE);
	EHubSpotResolveOptions options = { FALSE, FALSE, FALSE, "75000001" };
	g_autoptr(GPtrArray) attendees = attendees_new (
		"owner@example.com", "Me",
		"colleague@example.com", "Colleague",
		"ada@example.org", "Ada Lovelace",
		"grace@example.org", "Grace Hopper",
		"nobody@example.org", NULL, NULL);
	g_autoptr(GPtrArray) none = attendees_new (NULL);
	g_autoptr(GPtrArray) companies = g_ptr_array_new_with_free_func (g_free);
	Resolved r = { 0, };
	gint64 now = 1000 * MINUTE;

	/* Nobody: nothing to learn. */
	resolve (directory, none, &options, now, &r);
	g_assert_true (r.complete);
	g_assert_false (r.need_owners);

	/* No owners list yet: it comes first, and nothing else is asked. */
	resolve (directory, attendees, &options, now, &r);
	g_assert_false (r.complete);
	g_assert_true (r.need_owners);
	g_assert_cmpstr (r.lookups, ==, "");

	e_hubspot_directory_set_owners (directory, owners_new (), now);
	resolve (directory, attendees, &options, now, &r);
	g_assert_false (r.complete);
	g_assert_false (r.need_owners);
	g_assert_cmpstr (r.owners, ==, "75000002");
	g_assert_cmpstr (r.lookups, ==, "ada@example.org,grace@example.org,nobody@example.org");

	e_hubspot_directory_set_contact (directory, "ada@example.org", "501", now);
	e_hubspot_directory_set_contact (directory, "grace@example.org", NULL, now);
	e_hubspot_directory_set_contact (directory, "nobody@example.org", NULL, now);
	resolve (directory, attendees, &options, now, &r);
	g_assert_true (r.complete);
	g_assert_cmpstr (r.owners, ==, "75000002");
	g_assert_cmpstr (r.contacts, ==, "501");
	g_assert_cmpstr (r.lookups, ==, "");

	/* Creating contacts: the missing ones are to be created, with their CN. */
	options.create_contacts = TRUE;
	resolve (directory, attendees, &options, now, &r);
	g_assert_false (r.complete);
	g_assert_cmpstr (r.creates, ==, "grace@example.org/Grace Hopper,nobody@example.org/(null)");
	e_hubspot_directory_set_contact (directory, "grace@example.org", "502", now);
	e_hubspot_directory_set_refused (directory, "nobody@example.org", now);
	resolve (directory, attendees, &options, now, &r);
	g_assert_true (r.complete);
	g_assert_cmpstr (r.contacts, ==, "501,502");

	/* Companies: asked per contact, each company once. */
	options.associate_companies = TRUE;
	resolve (directory, attendees, &options, now, &r);
	g_assert_false (r.complete);
	g_assert_cmpstr (r.need_companies, ==, "501,502");
	g_ptr_array_add (companies, g_strdup ("9001"));
	e_hubspot_directory_set_companies (directory, "501", companies, now);
	e_hubspot_directory_set_companies (directory, "502", companies, now);
	resolve (directory, attendees, &options, now, &r);
	g_assert_true (r.complete);
	g_assert_cmpstr (r.companies, ==, "9001");

	/* Ten minutes on, contacts are looked up again; the owners list,
	 * though due for a refresh after an hour, is still used. */
	resolve (directory, attendees, &options, now + 10 * MINUTE, &r);
	g_assert_false (r.complete);
	g_assert_cmpstr (r.lookups, ==, "ada@example.org,grace@example.org,nobody@example.org");
	g_assert_false (e_hubspot_directory_owners_expired (directory, now + 59 * MINUTE));
	g_assert_true (e_hubspot_directory_owners_expired (directory, now + 60 * MINUTE));
	resolve (directory, attendees, &options, now + 61 * MINUTE, &r);
	g_assert_false (r.need_owners);
	g_assert_cmpstr (r.owners, ==, "75000002");

	/* Without any owners list to be had, everybody is a contact. */
	e_hubspot_directory_free (directory);
	directory = e_hubspot_directory_new (60 * MINUTE, 10 * MINUTE);
	options.without_owners = TRUE;
	options.associate_companies = FALSE;
	resolve (directory, attendees, &options, now, &r);
	g_assert_false (r.need_owners);
	g_assert_cmpstr (r.lookups, ==,
		"owner@example.com,colleague@example.com,ada@example.org,grace@example.org,nobody@example.org");

	resolved_clear (&r);
	e_hubspot_directory_free (directory);
}

static void
test_directory_lookup (void)
{
	EHubSpotDirectory *directory = e_hubspot_directory_new (60 * MINUTE, 10 * MINUTE);
	const gchar *id = NULL;

	g_assert_false (e_hubspot_directory_has_owners (directory));
	g_assert_cmpint (e_hubspot_directory_lookup (directory, "colleague@example.com", 0, &id), ==, E_HUBSPOT_PERSON_UNKNOWN);
	e_hubspot_directory_set_owners (directory, owners_new (), 0);
	g_assert_true (e_hubspot_directory_has_owners (directory));
	g_assert_cmpint (e_hubspot_directory_lookup (directory, "colleague@example.com", 0, &id), ==, E_HUBSPOT_PERSON_OWNER);
	g_assert_cmpstr (id, ==, "75000002");

	e_hubspot_directory_set_contact (directory, "ada@example.org", "501", 0);
	g_assert_cmpint (e_hubspot_directory_lookup (directory, "ada@example.org", 10 * MINUTE - 1, &id), ==, E_HUBSPOT_PERSON_CONTACT);
	g_assert_cmpstr (id, ==, "501");
	g_assert_cmpint (e_hubspot_directory_lookup (directory, "ada@example.org", 10 * MINUTE, &id), ==, E_HUBSPOT_PERSON_UNKNOWN);
	g_assert_null (id);

	e_hubspot_directory_set_contact (directory, "grace@example.org", NULL, 0);
	g_assert_cmpint (e_hubspot_directory_lookup (directory, "grace@example.org", 0, NULL), ==, E_HUBSPOT_PERSON_NOBODY);

	g_assert_null (e_hubspot_directory_get_companies (directory, "501", 0));

	e_hubspot_directory_free (directory);
}

/* The bodies sent */

static const gchar create_body_text[] =
	"{\"associations\": [],"
	" \"emailReminderSchedule\": {\"reminders\": [{\"numberOfTimeUnits\": 15, \"timeUnit\": \"MINUTES\"}],"
	"   \"shouldIncludeInviteDescription\": false},"
	" \"properties\": {\"hubspot_owner_id\": \"75000001\", \"hs_meeting_title\": \"Review\","
	"   \"hs_meeting_start_time\": \"2025-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2025-03-10T10:00:00Z\","
	"   \"hs_timestamp\": \"2025-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"COMPLETED\"},"
	" \"timezone\": \"Europe/Paris\","
	" \"x-hubspot-attendees\": [{\"email\": \"ada@example.org\", \"name\": \"Ada Lovelace\"}]}";

static EHubSpotAttendeeResolution *
resolution_new (const gchar *owners,
		const gchar *contacts,
		const gchar *companies)
{
	EHubSpotAttendeeResolution *resolution = e_hubspot_attendee_resolution_new ();
	g_auto(GStrv) owner_ids = g_strsplit (owners, ",", -1);
	g_auto(GStrv) contact_ids = g_strsplit (contacts, ",", -1);
	g_auto(GStrv) company_ids = g_strsplit (companies, ",", -1);
	guint ii;

	for (ii = 0; owner_ids[ii]; ii++)
		g_ptr_array_add (resolution->owner_ids, g_strdup (owner_ids[ii]));
	for (ii = 0; contact_ids[ii]; ii++)
		g_ptr_array_add (resolution->contact_ids, g_strdup (contact_ids[ii]));
	for (ii = 0; company_ids[ii]; ii++)
		g_ptr_array_add (resolution->company_ids, g_strdup (company_ids[ii]));

	return resolution;
}

#ifdef HAVE_MOCK_SCHEMA
static void
assert_no_problems (JsonArray *problems)
{
	if (problems) {
		g_autofree gchar *text = e_hubspot_mock_schema_problems_to_string (problems);

		json_array_unref (problems);
		g_error ("HubSpot's schema refuses the body: %s", text);
	}
}
#endif

static void
test_scheduler_body (void)
{
	g_autoptr(JsonNode) create_body = parse_json (create_body_text);
	g_autoptr(JsonNode) bare = NULL;
	g_autoptr(JsonNode) full = NULL;
	EHubSpotAttendeeResolution *resolution = resolution_new ("75000002,75000003", "501,502", "9001");

	/* Unresolved: the private member goes, nothing else changes. */
	bare = e_hubspot_attendees_scheduler_body (create_body, NULL);
	g_assert_false (json_object_has_member (json_node_get_object (bare), E_HUBSPOT_ATTENDEES_MEMBER));
	g_assert_true (json_object_has_member (json_node_get_object (create_body), E_HUBSPOT_ATTENDEES_MEMBER));

	full = e_hubspot_attendees_scheduler_body (create_body, resolution);
	assert_json (full,
		"{\"associations\": ["
		"   {\"to\": {\"id\": \"501\"}, \"types\": [{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200}]},"
		"   {\"to\": {\"id\": \"502\"}, \"types\": [{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200}]},"
		"   {\"to\": {\"id\": \"9001\"}, \"types\": [{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 188}]}],"
		" \"emailReminderSchedule\": {\"reminders\": [{\"numberOfTimeUnits\": 15, \"timeUnit\": \"MINUTES\"}],"
		"   \"shouldIncludeInviteDescription\": false},"
		" \"properties\": {\"hubspot_owner_id\": \"75000001\", \"hs_meeting_title\": \"Review\","
		"   \"hs_meeting_start_time\": \"2025-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2025-03-10T10:00:00Z\","
		"   \"hs_timestamp\": \"2025-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"COMPLETED\","
		"   \"hs_attendee_owner_ids\": [\"75000002\", \"75000003\"]},"
		" \"timezone\": \"Europe/Paris\"}");
#ifdef HAVE_MOCK_SCHEMA
	assert_no_problems (e_hubspot_mock_schema_collect_meeting_create_problems (full));
#endif

	e_hubspot_attendee_resolution_free (resolution);
}

/* A past event is logged: no reminders, no time zone; CRM strings. */
static void
test_crm_create_body (void)
{
	g_autoptr(JsonNode) create_body = parse_json (create_body_text);
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(JsonNode) bare = NULL;
	EHubSpotAttendeeResolution *resolution = resolution_new ("75000002,75000003", "501", "");

	body = e_hubspot_attendees_crm_create_body (create_body, resolution);
	assert_json (body,
		"{\"properties\": {\"hubspot_owner_id\": \"75000001\", \"hs_meeting_title\": \"Review\","
		"   \"hs_meeting_start_time\": \"2025-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2025-03-10T10:00:00Z\","
		"   \"hs_timestamp\": \"2025-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"COMPLETED\","
		"   \"hs_attendee_owner_ids\": \"75000002;75000003\"},"
		" \"associations\": ["
		"   {\"to\": {\"id\": \"501\"}, \"types\": [{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200}]}]}");
#ifdef HAVE_MOCK_SCHEMA
	assert_no_problems (e_hubspot_mock_schema_collect_crm_meeting_create_problems (body));
#endif

	bare = e_hubspot_attendees_crm_create_body (create_body, NULL);
	assert_json (bare,
		"{\"properties\": {\"hubspot_owner_id\": \"75000001\", \"hs_meeting_title\": \"Review\","
		"   \"hs_meeting_start_time\": \"2025-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2025-03-10T10:00:00Z\","
		"   \"hs_timestamp\": \"2025-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"COMPLETED\"},"
		" \"associations\": []}");

	e_hubspot_attendee_resolution_free (resolution);
}

static void
test_update_body (void)
{
	g_autoptr(JsonNode) create_body = parse_json (create_body_text);
	g_autoptr(JsonNode) with_owners = NULL;
	g_autoptr(JsonNode) cleared = NULL;
	g_autoptr(JsonNode) untouched = NULL;
	EHubSpotAttendeeResolution *owners = resolution_new ("75000002,75000003", "501", "");
	EHubSpotAttendeeResolution *nobody = resolution_new ("", "", "");
	const gchar *properties =
		"\"hubspot_owner_id\": \"75000001\", \"hs_meeting_title\": \"Review\","
		" \"hs_meeting_start_time\": \"2025-03-10T09:00:00Z\", \"hs_meeting_end_time\": \"2025-03-10T10:00:00Z\","
		" \"hs_timestamp\": \"2025-03-10T09:00:00Z\", \"hs_meeting_outcome\": \"COMPLETED\"";
	g_autofree gchar *expected_owners = g_strdup_printf ("{\"properties\": {%s, \"hs_attendee_owner_ids\": \"75000002;75000003\"}}", properties);
	g_autofree gchar *expected_cleared = g_strdup_printf ("{\"properties\": {%s, \"hs_attendee_owner_ids\": \"\"}}", properties);
	g_autofree gchar *expected_untouched = g_strdup_printf ("{\"properties\": {%s}}", properties);

	with_owners = e_hubspot_attendees_update_body (create_body, owners, FALSE);
	assert_json (with_owners, expected_owners);
	cleared = e_hubspot_attendees_update_body (create_body, nobody, TRUE);
	assert_json (cleared, expected_cleared);
	untouched = e_hubspot_attendees_update_body (create_body, nobody, FALSE);
	assert_json (untouched, expected_untouched);
#ifdef HAVE_MOCK_SCHEMA
	{
		g_autoptr(GError) error = NULL;

		g_assert_true (e_hubspot_mock_schema_check_meeting_update (with_owners, &error));
		g_assert_no_error (error);
		g_assert_true (e_hubspot_mock_schema_check_meeting_update (cleared, &error));
		g_assert_no_error (error);
	}
#endif

	e_hubspot_attendee_resolution_free (owners);
	e_hubspot_attendee_resolution_free (nobody);
}

/* The directory calls */

static void
test_directory_bodies (void)
{
	const gchar *emails[] = { "ada@example.org", "grace@example.org" };
	const gchar *ids[] = { "501", "502" };
	g_autoptr(JsonNode) read = e_hubspot_attendees_contacts_read_body (emails, 2);
	g_autoptr(JsonNode) create = e_hubspot_attendees_contact_create_body ("ada@example.org", "Lovelace, Ada");
	g_autoptr(JsonNode) create_bare = e_hubspot_attendees_contact_create_body ("nobody@example.org", NULL);
	g_autoptr(JsonNode) companies = e_hubspot_attendees_ids_read_body (ids, 2);
	g_autoptr(JsonNode) associate = e_hubspot_attendees_associations_body ("8001", ids, 2, E_HUBSPOT_ASSOCIATION_CONTACT);

	assert_json (read,
		"{\"idProperty\": \"email\", \"inputs\": [{\"id\": \"ada@example.org\"}, {\"id\": \"grace@example.org\"}],"
		" \"properties\": [\"email\"]}");
	assert_json (create, "{\"properties\": {\"email\": \"ada@example.org\", \"firstname\": \"Ada\", \"lastname\": \"Lovelace\"}}");
	assert_json (create_bare, "{\"properties\": {\"email\": \"nobody@example.org\"}}");
	assert_json (companies, "{\"inputs\": [{\"id\": \"501\"}, {\"id\": \"502\"}]}");
	assert_json (associate,
		"{\"inputs\": ["
		" {\"from\": {\"id\": \"8001\"}, \"to\": {\"id\": \"501\"},"
		"  \"types\": [{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200}]},"
		" {\"from\": {\"id\": \"8001\"}, \"to\": {\"id\": \"502\"},"
		"  \"types\": [{\"associationCategory\": \"HUBSPOT_DEFINED\", \"associationTypeId\": 200}]}]}");

#ifdef HAVE_MOCK_SCHEMA
	assert_no_problems (e_hubspot_mock_schema_collect_contact_batch_read_problems (read));
	assert_no_problems (e_hubspot_mock_schema_collect_contact_create_problems (create));
	assert_no_problems (e_hubspot_mock_schema_collect_association_batch_read_problems (companies));
	assert_no_problems (e_hubspot_mock_schema_collect_association_batch_create_problems (associate));
#endif
}

static void
test_parse_contacts (void)
{
	g_autoptr(JsonNode) answer = parse_json (
		"{\"status\": \"COMPLETE\", \"results\": ["
		"  {\"id\": \"501\", \"properties\": {\"email\": \"Ada@Example.org\", \"hs_object_id\": \"501\"}},"
		"  {\"id\": 502, \"properties\": {\"email\": \"grace@example.org\"}},"
		"  {\"id\": \"503\", \"properties\": {}}, \"junk\"],"
		" \"errors\": [{\"status\": \"error\", \"category\": \"OBJECT_NOT_FOUND\","
		"   \"context\": {\"ids\": [\"nobody@example.org\"]}}]}");
	g_autoptr(JsonNode) broken = parse_json ("{\"status\": \"COMPLETE\"}");
	g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

	g_assert_true (e_hubspot_attendees_parse_contacts_read (answer, found));
	g_assert_cmpuint (g_hash_table_size (found), ==, 2);
	g_assert_cmpstr (g_hash_table_lookup (found, "ada@example.org"), ==, "501");
	g_assert_cmpstr (g_hash_table_lookup (found, "grace@example.org"), ==, "502");
	g_assert_false (e_hubspot_attendees_parse_contacts_read (broken, found));
	g_assert_false (e_hubspot_attendees_parse_contacts_read (NULL, found));
}

static void
test_parse_companies (void)
{
	g_autoptr(JsonNode) answer = parse_json (
		"{\"status\": \"COMPLETE\", \"results\": ["
		"  {\"from\": {\"id\": \"501\"}, \"to\": [{\"toObjectId\": 9001, \"associationTypes\": []},"
		"    {\"toObjectId\": \"9002\", \"associationTypes\": []}]},"
		"  {\"from\": {\"id\": \"502\"}, \"to\": []}]}");
	g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
	GPtrArray *companies;

	g_assert_true (e_hubspot_attendees_parse_companies_read (answer, found));
	companies = g_hash_table_lookup (found, "501");
	g_assert_nonnull (companies);
	g_assert_cmpuint (companies->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (companies, 0), ==, "9001");
	g_assert_cmpstr (g_ptr_array_index (companies, 1), ==, "9002");
	companies = g_hash_table_lookup (found, "502");
	g_assert_nonnull (companies);
	g_assert_cmpuint (companies->len, ==, 0);
}

static void
test_parse_owners (void)
{
	g_autoptr(JsonNode) first = parse_json (
		"{\"results\": [{\"id\": \"75000001\", \"userId\": 9100001, \"email\": \"Owner@Example.com\"},"
		"  {\"id\": \"75000002\", \"email\": \"colleague@example.com\"}, {\"id\": \"75000009\"}],"
		" \"paging\": {\"next\": {\"after\": \"2\", \"link\": \"...\"}}}");
	g_autoptr(JsonNode) last = parse_json ("{\"results\": [{\"id\": 75000003, \"email\": \"third@example.com\"}]}");
	g_autoptr(GHashTable) owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *after = NULL;

	g_assert_true (e_hubspot_attendees_parse_owners_page (first, owners, &after));
	g_assert_cmpstr (after, ==, "2");
	g_clear_pointer (&after, g_free);
	g_assert_true (e_hubspot_attendees_parse_owners_page (last, owners, &after));
	g_assert_null (after);
	g_assert_cmpuint (g_hash_table_size (owners), ==, 3);
	g_assert_cmpstr (g_hash_table_lookup (owners, "owner@example.com"), ==, "75000001");
	g_assert_cmpstr (g_hash_table_lookup (owners, "colleague@example.com"), ==, "75000002");
	g_assert_cmpstr (g_hash_table_lookup (owners, "third@example.com"), ==, "75000003");
}

static void
test_conflict_id (void)
{
	g_autofree gchar *id = e_hubspot_attendees_conflict_id ("HubSpot answered 409: Contact already exists. Existing ID: 1234");
	g_autofree gchar *lower = e_hubspot_attendees_conflict_id ("contact already exists. existing id:77 (more)");
	g_autofree gchar *none = e_hubspot_attendees_conflict_id ("HubSpot answered 409: Conflict");
	g_autofree gchar *empty = e_hubspot_attendees_conflict_id ("Existing ID: none");

	g_assert_cmpstr (id, ==, "1234");
	g_assert_cmpstr (lower, ==, "77");
	g_assert_null (none);
	g_assert_null (empty);
	g_assert_null (e_hubspot_attendees_conflict_id (NULL));
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/attendees/address-to-email", test_address_to_email);
	g_test_add_func ("/attendees/collect", test_collect);
	g_test_add_func ("/attendees/collect-none", test_collect_none);
	g_test_add_func ("/attendees/mapping-member", test_mapping_member);
	g_test_add_func ("/attendees/split-name", test_split_name);
	g_test_add_func ("/attendees/from-body", test_from_body);
	g_test_add_func ("/attendees/directory/resolve", test_directory_resolve);
	g_test_add_func ("/attendees/directory/lookup", test_directory_lookup);
	g_test_add_func ("/attendees/body/scheduler", test_scheduler_body);
	g_test_add_func ("/attendees/body/crm-create", test_crm_create_body);
	g_test_add_func ("/attendees/body/update", test_update_body);
	g_test_add_func ("/attendees/body/directory", test_directory_bodies);
	g_test_add_func ("/attendees/parse/contacts", test_parse_contacts);
	g_test_add_func ("/attendees/parse/companies", test_parse_companies);
	g_test_add_func ("/attendees/parse/owners", test_parse_owners);
	g_test_add_func ("/attendees/parse/conflict-id", test_conflict_id);

	return g_test_run ();
}
