/* e-hubspot-mock-schema.h: HubSpot's request schemas, as the mock enforces them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure functions (no I/O): they check request bodies exactly as HubSpot's
 * published API reference describes them, and describe every
 * problem the way HubSpot lists them in an error body's errors[].
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define E_HUBSPOT_MOCK_SCHEMA_ERROR (e_hubspot_mock_schema_error_quark ())

typedef enum {
	E_HUBSPOT_MOCK_SCHEMA_ERROR_INVALID
} EHubSpotMockSchemaError;

GQuark		e_hubspot_mock_schema_error_quark	(void);

/* Checks the body of POST /scheduler/2026-03/meetings/calendar against
 * HubSpot's schema (docs/design.md, "HubSpot facts the code relies on").  On failure: FALSE and an error whose
 * message lists every problem, each naming its JSON path, e.g.
 * "properties.hs_meeting_start_time: must be an ISO 8601 date-time in UTC". */
gboolean	e_hubspot_mock_schema_check_meeting_create
							(JsonNode *body,
							 GError **error);

/* Same for PATCH {properties:{...}} of CRM meetings: known, writable property
 * names only, values strings (multi-valued ones ';'-separated). */
gboolean	e_hubspot_mock_schema_check_meeting_update
							(JsonNode *body,
							 GError **error);

/* Every problem found, as HubSpot's errors[] items
 * {message, code ("REQUIRED"|"INVALID_ENUM"|"INVALID_DATE"|"UNKNOWN_PROPERTY"|
 * "INVALID_TYPE"|"INVALID_VALUE"|"READ_ONLY_VALUE"|"UNKNOWN_FIELD"), in (JSON path)};
 * NULL when valid.  Free with json_array_unref(). */
JsonArray *	e_hubspot_mock_schema_collect_meeting_create_problems
							(JsonNode *body);
JsonArray *	e_hubspot_mock_schema_collect_meeting_update_problems
							(JsonNode *body);
/* POST /crm/objects/2026-03/meetings: {properties:{the six
 * required, CRM-style string values}, associations?:[...]} */
JsonArray *	e_hubspot_mock_schema_collect_crm_meeting_create_problems
							(JsonNode *body);

/* Contacts and associations (e-hubspot-mock-schema-crm.c) */

/* Inputs of one batch call: contacts batch read and create, association
 * batch create; association batch read takes more. */
#define E_HUBSPOT_MOCK_SCHEMA_BATCH_MAX 100
#define E_HUBSPOT_MOCK_SCHEMA_ASSOCIATION_READ_MAX 1000

/* Whether @text looks like an e-mail address: local@domain.tld, no spaces. */
gboolean	e_hubspot_mock_schema_is_email		(const gchar *text);

/* POST .../contacts: {properties: {email (required), firstname?, lastname?,
 * ...: strings}, associations?: [...], objectWriteTraceId?} */
JsonArray *	e_hubspot_mock_schema_collect_contact_create_problems
							(JsonNode *body);
/* POST .../contacts/batch/create: {inputs: [1..100 create bodies]} */
JsonArray *	e_hubspot_mock_schema_collect_contact_batch_create_problems
							(JsonNode *body);
/* POST .../contacts/batch/read: {idProperty?: "email"|"hs_object_id",
 * inputs: [1..100 {id}], properties?: [names]} */
JsonArray *	e_hubspot_mock_schema_collect_contact_batch_read_problems
							(JsonNode *body);
/* POST /crm/associations/2026-03/{from}/{to}/batch/read: {inputs: [1..1000 {id, after?}]} */
JsonArray *	e_hubspot_mock_schema_collect_association_batch_read_problems
							(JsonNode *body);
/* POST /crm/associations/2026-03/{from}/{to}/batch/create:
 * {inputs: [1..100 {from: {id}, to: {id}, types: [...]}]} */
JsonArray *	e_hubspot_mock_schema_collect_association_batch_create_problems
							(JsonNode *body);

/* The meetings' batch calls (e-hubspot-mock-schema-batch.c): each input is
 * checked by its single call's code, its problems' paths prefixed with
 * "inputs[N]." */

/* POST .../meetings/batch/create: {inputs: [1..100 {properties,
 * associations, objectWriteTraceId?}]} */
JsonArray *	e_hubspot_mock_schema_collect_meeting_batch_create_problems
							(JsonNode *body);
/* POST .../meetings/batch/update: {inputs: [1..100 {id, properties}]},
 * each id once */
JsonArray *	e_hubspot_mock_schema_collect_meeting_batch_update_problems
							(JsonNode *body);
/* POST .../meetings/batch/archive: {inputs: [1..100 {id}]} */
JsonArray *	e_hubspot_mock_schema_collect_meeting_batch_archive_problems
							(JsonNode *body);
/* POST .../meetings/batch/read: {inputs: [1..100 {id}], properties?: [names]} */
JsonArray *	e_hubspot_mock_schema_collect_meeting_batch_read_problems
							(JsonNode *body);

/* Appends @problems (of one input, paths relative to it) to @dest, each
 * path and message prefixed with @prefix ("inputs[2]") */
void		e_hubspot_mock_schema_append_prefixed	(JsonArray *dest,
							 JsonArray *problems,
							 const gchar *prefix);

/* Joins the messages of a problem list with "; " (for logs and GErrors). */
gchar *		e_hubspot_mock_schema_problems_to_string
							(JsonArray *problems);

/* Strict UTC ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fraction]Z" to milliseconds
 * since the epoch; FALSE for anything else (epoch numbers, offsets, bad dates). */
gboolean	e_hubspot_mock_schema_parse_utc_date_time
							(const gchar *text,
							 gint64 *out_ms);

/* Whether @name is one of the meeting's date-time properties. */
gboolean	e_hubspot_mock_schema_is_date_time_property
							(const gchar *name);

/* Whether @name is a multi-valued (';'-separated in the CRM API) property. */
gboolean	e_hubspot_mock_schema_is_multi_valued_property
							(const gchar *name);

G_END_DECLS
