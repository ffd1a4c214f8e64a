/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Any bytes as a HubSpot answer.  The first byte says which call it
 * answers (an error of any status, a search page, account details, the
 * directory calls, a 409's message, a batch call's answer, the second
 * byte then saying which kind); the rest is the body.  Every reader
 * either takes it or says it is not such an answer; an error always has
 * a message and its status. */

#include <string.h>

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-batch.h"
#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"
#include "fuzz-target.h"

enum {
	ANSWER_ERROR,
	ANSWER_SEARCH,
	ANSWER_ACCOUNT,
	ANSWER_CONTACTS,
	ANSWER_COMPANIES,
	ANSWER_OWNERS,
	ANSWER_CONFLICT,
	ANSWER_BATCH,
	N_ANSWERS
};

static void
check_error_answer (guint status,
		    const gchar *reason,
		    const gchar *body,
		    gsize len,
		    const gchar *retry_after)
{
	g_autoptr(GError) error = e_hubspot_error_new_from_response (status, reason, body, len, retry_after);

	if (!error || error->domain != E_HUBSPOT_ERROR || !error->message || !*error->message)
		g_error ("an answer with status %u gave no clear error", status);
	if (e_hubspot_error_get_status (error) != status)
		g_error ("an error lost its status %u", status);
	if (!g_utf8_validate (error->message, -1, NULL))
		g_error ("an error message is not UTF-8");

	e_hubspot_error_get_category (error);
	e_hubspot_error_get_correlation_id (error);
	e_hubspot_error_get_policy_name (error);
	e_hubspot_error_get_retry_after (error);
	e_hubspot_error_is_transient (error);
}

static void
check_search_page (JsonNode *root)
{
	static const gchar *create_json =
		"{\"properties\":{\"hubspot_owner_id\":\"31337\",\"hs_meeting_title\":\"Review\","
		"\"hs_meeting_start_time\":\"2026-03-02T09:00:00Z\",\"hs_meeting_end_time\":\"2026-03-02T10:00:00Z\","
		"\"hs_timestamp\":\"2026-03-02T09:00:00Z\"}}";
	g_autoptr(GPtrArray) meetings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
	g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *after = NULL;
	g_autoptr(JsonNode) create = json_from_string (create_json, NULL);
	JsonNode *match;

	if (!e_hubspot_requests_read_search_page (root, meetings, &after, &error)) {
		if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE))
			g_error ("a search answer refused without a clear error");
		return;
	}

	match = e_hubspot_requests_lookup_match (root, create, taken);
	if (match) {
		g_autofree gchar *id = e_hubspot_json_dup_id (match, "id");

		if (!id)
			g_error ("a lookup adopted a meeting without an id");
	}
}

/* Three inputs of a batch of kind batch_kind, the answer read: each
 * outcome is whole (a done create or read has its meeting with an id; a
 * failure has a clear error). */
static void
check_batch_answer (guint batch_kind,
		    JsonNode *root)
{
	static const gchar *create_json =
		"{\"properties\":{\"hubspot_owner_id\":\"31337\",\"hs_meeting_title\":\"Review\","
		"\"hs_meeting_start_time\":\"2026-03-02T09:00:00Z\",\"hs_meeting_end_time\":\"2026-03-02T10:00:00Z\","
		"\"hs_timestamp\":\"2026-03-02T09:00:00Z\"}}";
	static const gchar *ids[] = { "1", "2", "3" };
	g_autoptr(EHubSpotBatch) batch = e_hubspot_batch_new (batch_kind, NULL);
	g_autoptr(JsonNode) create = json_from_string (create_json, NULL);
	g_autoptr(JsonNode) patch = json_from_string ("{\"properties\":{\"hs_meeting_title\":\"Moved\"}}", NULL);
	g_autoptr(GError) error = NULL;
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (ids); ii++) {
		switch (batch_kind) {
		case E_HUBSPOT_BATCH_CREATE:
			e_hubspot_batch_add (batch, NULL, create);
			break;
		case E_HUBSPOT_BATCH_UPDATE:
			e_hubspot_batch_add (batch, ids[ii], patch);
			break;
		default:
			e_hubspot_batch_add (batch, ids[ii], NULL);
			break;
		}
	}

	if (!e_hubspot_batch_read_answer (batch, root, &error)) {
		if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE))
			g_error ("a batch answer refused without a clear error");
		return;
	}

	for (ii = 0; ii < G_N_ELEMENTS (ids); ii++) {
		JsonNode *meeting = NULL;
		const GError *failure = NULL;

		switch (e_hubspot_batch_get_outcome (batch, ii, &meeting, &failure)) {
		case E_HUBSPOT_BATCH_DONE: {
			g_autofree gchar *id = meeting ? e_hubspot_json_dup_id (meeting, "id") : NULL;

			if (batch_kind != E_HUBSPOT_BATCH_ARCHIVE && !id)
				g_error ("a batch input done without a meeting id");
			if (batch_kind != E_HUBSPOT_BATCH_CREATE && batch_kind != E_HUBSPOT_BATCH_ARCHIVE &&
			    g_strcmp0 (id, ids[ii]) != 0)
				g_error ("a batch input got another meeting: %s for %s", id, ids[ii]);
			if (failure)
				g_error ("a batch input done with an error");
			break;
		}
		case E_HUBSPOT_BATCH_FAILED:
			if (!failure || !failure->message || !g_utf8_validate (failure->message, -1, NULL) || meeting)
				g_error ("a batch input failed without a clear error");
			break;
		case E_HUBSPOT_BATCH_UNKNOWN:
			if (meeting || failure)
				g_error ("a batch input unknown with an outcome");
			break;
		}
	}
}

static void
check_json_answer (guint kind,
		   guint variant,
		   JsonNode *root)
{

	switch (kind) {
	case ANSWER_SEARCH:
		check_search_page (root);
		break;
	case ANSWER_ACCOUNT: {
		g_autofree gchar *portal_id = NULL, *ui_domain = NULL;
		g_autoptr(GError) error = NULL;

		if (e_hubspot_connection_parse_account_info (root, &portal_id, &ui_domain, &error)) {
			if (!portal_id || !*portal_id)
				g_error ("account details read without a portal id");
		} else if (!error || !error->message) {
			g_error ("account details refused without an error");
		}
		break;
	}
	case ANSWER_CONTACTS: {
		g_autoptr(GHashTable) contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

		e_hubspot_attendees_parse_contacts_read (root, contacts);
		break;
	}
	case ANSWER_COMPANIES: {
		g_autoptr(GHashTable) companies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
			(GDestroyNotify) g_ptr_array_unref);

		e_hubspot_attendees_parse_companies_read (root, companies);
		break;
	}
	case ANSWER_OWNERS: {
		g_autoptr(GHashTable) owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		g_autofree gchar *after = NULL;

		e_hubspot_attendees_parse_owners_page (root, owners, &after);
		break;
	}
	case ANSWER_BATCH:
		check_batch_answer (variant % (E_HUBSPOT_BATCH_READ + 1), root);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerInitialize (int *argc,
		      char ***argv)
{
	fuzz_init ();

	return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
			size_t size)
{
	g_autoptr(JsonNode) root = NULL;
	const gchar *body;
	gsize len;
	guint kind;

	if (size < 2 || size > FUZZ_MAX_INPUT)
		return 0;

	kind = data[0] % N_ANSWERS;
	body = (const gchar *) data + 2;
	len = size - 2;

	if (kind == ANSWER_ERROR) {
		/* The second byte picks the status among those HubSpot sends. */
		static const guint statuses[] = { 400, 401, 403, 404, 409, 423, 429, 477, 500, 502, 503, 504, 418, 207 };
		g_autofree gchar *retry_after = g_strndup (body, MIN (len, 12));
		/* Any bytes as the reason phrase, as a proxy may send them. */
		g_autofree gchar *reason = g_strndup (body, MIN (len, 16));

		check_error_answer (statuses[(data[1] & 0x7f) % G_N_ELEMENTS (statuses)], reason, body, len,
			data[1] & 0x80 ? retry_after : NULL);
		return 0;
	}

	if (kind == ANSWER_CONFLICT) {
		g_autofree gchar *message = g_strndup (body, len);
		g_autofree gchar *id = e_hubspot_attendees_conflict_id (message);

		if (id && (!*id || strspn (id, "0123456789") != strlen (id)))
			g_error ("a 409 gave an id that is not a number: %s", id);
		return 0;
	}

	/* As the connection reads an answer. */
	root = e_hubspot_json_parse (body, len, NULL);
	if (root)
		check_json_answer (kind, data[1], root);

	return 0;
}
