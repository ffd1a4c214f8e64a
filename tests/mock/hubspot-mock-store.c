/* hubspot-mock-store.c: the mock's owners and meetings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

/* Owners exist since long before any test */
#define OWNER_CREATED_AT "2024-01-15T08:00:00.000Z"

static gboolean
is_digits (const gchar *text)
{
	if (!text || !*text)
		return FALSE;

	for (; *text; text++) {
		if (!g_ascii_isdigit (*text))
			return FALSE;
	}

	return TRUE;
}

MockOwner *
mock_owner_new_from_spec (const gchar *spec,
			  GError **error)
{
	g_auto(GStrv) parts = g_strsplit (spec, ":", -1);
	MockOwner *owner;
	g_autofree gchar *local = NULL;
	gchar *at;

	if (g_strv_length (parts) != 3 || !strchr (parts[0], '@') ||
	    !is_digits (parts[1]) || !is_digits (parts[2]) || strlen (parts[2]) > 15) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			"expected EMAIL:OWNER_ID:USER_ID with numeric ids, got \"%s\"", spec);
		return NULL;
	}

	owner = g_new0 (MockOwner, 1);
	owner->email = g_strdup (parts[0]);
	owner->id = g_strdup (parts[1]);
	owner->user_id = g_ascii_strtoll (parts[2], NULL, 10);

	/* "jane.doe@x" is Jane Doe; "owner@x" is Owner Mock */
	local = g_strdup (parts[0]);
	at = strchr (local, '@');
	if (at)
		*at = '\0';
	at = strchr (local, '.');
	if (at) {
		*at = '\0';
		owner->last_name = g_strdup (at + 1);
	} else {
		owner->last_name = g_strdup ("Mock");
	}
	owner->first_name = g_strdup (local);
	if (*owner->first_name)
		owner->first_name[0] = g_ascii_toupper (owner->first_name[0]);
	if (*owner->last_name)
		owner->last_name[0] = g_ascii_toupper (owner->last_name[0]);

	return owner;
}

void
mock_owner_free (MockOwner *owner)
{
	if (!owner)
		return;

	g_free (owner->email);
	g_free (owner->id);
	g_free (owner->first_name);
	g_free (owner->last_name);
	g_free (owner);
}

MockOwner *
mock_find_owner_by_id (MockServer *mock,
		       const gchar *id)
{
	guint ii;

	for (ii = 0; id && ii < mock->owners->len; ii++) {
		MockOwner *owner = g_ptr_array_index (mock->owners, ii);

		if (g_strcmp0 (owner->id, id) == 0)
			return owner;
	}

	return NULL;
}

MockOwner *
mock_find_owner_by_user_id (MockServer *mock,
			    const gchar *user_id)
{
	guint ii;

	if (!is_digits (user_id) || strlen (user_id) > 15)
		return NULL;

	for (ii = 0; ii < mock->owners->len; ii++) {
		MockOwner *owner = g_ptr_array_index (mock->owners, ii);

		if (owner->user_id == g_ascii_strtoll (user_id, NULL, 10))
			return owner;
	}

	return NULL;
}

MockOwner *
mock_find_owner_by_email (MockServer *mock,
			  const gchar *email)
{
	guint ii;

	for (ii = 0; email && ii < mock->owners->len; ii++) {
		MockOwner *owner = g_ptr_array_index (mock->owners, ii);

		if (g_ascii_strcasecmp (owner->email, email) == 0)
			return owner;
	}

	return NULL;
}

JsonObject *
mock_owner_to_json (MockOwner *owner)
{
	JsonObject *object = json_object_new ();

	json_object_set_string_member (object, "id", owner->id);
	json_object_set_string_member (object, "email", owner->email);
	json_object_set_string_member (object, "type", "PERSON");
	json_object_set_string_member (object, "firstName", owner->first_name);
	json_object_set_string_member (object, "lastName", owner->last_name);
	json_object_set_int_member (object, "userId", owner->user_id);
	json_object_set_int_member (object, "userIdIncludingInactive", owner->user_id);
	json_object_set_string_member (object, "createdAt", OWNER_CREATED_AT);
	json_object_set_string_member (object, "updatedAt", OWNER_CREATED_AT);
	json_object_set_boolean_member (object, "archived", FALSE);

	return object;
}

MockMeeting *
mock_meeting_new (MockServer *mock)
{
	MockMeeting *meeting = g_new0 (MockMeeting, 1);
	g_autofree gchar *now = NULL;

	meeting->id = g_strdup_printf ("%" G_GUINT64_FORMAT, mock->next_id++);
	meeting->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	meeting->created_ms = mock_now_ms ();
	meeting->updated_ms = meeting->created_ms;

	now = mock_iso_time (meeting->created_ms);
	g_hash_table_insert (meeting->properties, g_strdup ("hs_object_id"), g_strdup (meeting->id));
	g_hash_table_insert (meeting->properties, g_strdup ("hs_createdate"), g_strdup (now));
	g_hash_table_insert (meeting->properties, g_strdup ("hs_lastmodifieddate"), g_strdup (now));

	g_ptr_array_add (mock->meetings, meeting);
	g_hash_table_insert (mock->meetings_by_id, meeting->id, meeting);

	return meeting;
}

void
mock_meeting_free (MockMeeting *meeting)
{
	if (!meeting)
		return;

	g_free (meeting->id);
	g_hash_table_unref (meeting->properties);
	g_free (meeting->timezone);
	g_clear_pointer (&meeting->associations, json_node_unref);
	g_clear_pointer (&meeting->reminder_schedule, json_node_unref);
	g_free (meeting->organizer_user_id);
	g_free (meeting);
}

MockMeeting *
mock_find_meeting (MockServer *mock,
		   const gchar *id)
{
	return id ? g_hash_table_lookup (mock->meetings_by_id, id) : NULL;
}

void
mock_meeting_remove (MockServer *mock,
		     MockMeeting *meeting)
{
	g_hash_table_remove (mock->meetings_by_id, meeting->id);
	g_ptr_array_remove (mock->meetings, meeting);
}

static gchar *
scalar_to_string (JsonNode *node)
{
	if (!JSON_NODE_HOLDS_VALUE (node))
		return NULL;

	switch (json_node_get_value_type (node)) {
	case G_TYPE_STRING:
		return g_strdup (json_node_get_string (node));
	case G_TYPE_INT64:
		return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
	case G_TYPE_BOOLEAN:
		return g_strdup (json_node_get_boolean (node) ? "true" : "false");
	default: {
		gchar buffer[G_ASCII_DTOSTR_BUF_SIZE];

		return g_strdup (g_ascii_dtostr (buffer, sizeof (buffer), json_node_get_double (node)));
	}
	}
}

/* Stores a value CRM style: every value a string, arrays ';'-joined;
 * null or "" clears the property. */
void
mock_meeting_set_property_node (MockMeeting *meeting,
				const gchar *name,
				JsonNode *value)
{
	gchar *text = NULL;

	if (value && JSON_NODE_HOLDS_ARRAY (value)) {
		JsonArray *array = json_node_get_array (value);
		GString *joined = g_string_new (NULL);
		guint ii;

		for (ii = 0; ii < json_array_get_length (array); ii++) {
			g_autofree gchar *item = scalar_to_string (json_array_get_element (array, ii));

			if (!item)
				continue;
			if (joined->len)
				g_string_append_c (joined, ';');
			g_string_append (joined, item);
		}

		text = g_string_free (joined, FALSE);
	} else if (value && JSON_NODE_HOLDS_OBJECT (value)) {
		text = json_to_string (value, FALSE);
	} else if (value) {
		text = scalar_to_string (value);
	}

	if (text && *text)
		g_hash_table_replace (meeting->properties, g_strdup (name), text);
	else {
		g_hash_table_remove (meeting->properties, name);
		g_free (text);
	}
}

void
mock_meeting_touch (MockMeeting *meeting)
{
	/* Two changes in the same millisecond still move the date */
	meeting->updated_ms = MAX (mock_now_ms (), meeting->updated_ms + 1);
	g_hash_table_replace (meeting->properties, g_strdup ("hs_lastmodifieddate"),
		mock_iso_time (meeting->updated_ms));
}

static gint
compare_names (gconstpointer aa,
	       gconstpointer bb)
{
	return g_strcmp0 (*(const gchar **) aa, *(const gchar **) bb);
}

JsonObject *
mock_meeting_to_json (MockMeeting *meeting,
		      const gchar * const *names)
{
	JsonObject *object = json_object_new ();
	JsonObject *properties = json_object_new ();
	g_autofree gchar *created = mock_iso_time (meeting->created_ms);
	g_autofree gchar *updated = mock_iso_time (meeting->updated_ms);
	guint ii;

	if (names) {
		/* Requested but unset properties come back as null, as in HubSpot */
		for (ii = 0; names[ii]; ii++) {
			const gchar *value = g_hash_table_lookup (meeting->properties, names[ii]);

			if (!*names[ii])
				continue;
			if (value)
				json_object_set_string_member (properties, names[ii], value);
			else
				json_object_set_null_member (properties, names[ii]);
		}
	} else {
		g_autofree gpointer *keys = g_hash_table_get_keys_as_array (meeting->properties, NULL);
		guint n_keys = g_hash_table_size (meeting->properties);

		qsort (keys, n_keys, sizeof (gpointer), compare_names);
		for (ii = 0; ii < n_keys; ii++)
			json_object_set_string_member (properties, keys[ii],
				g_hash_table_lookup (meeting->properties, keys[ii]));
	}

	json_object_set_string_member (object, "id", meeting->id);
	json_object_set_object_member (object, "properties", properties);
	json_object_set_string_member (object, "createdAt", created);
	json_object_set_string_member (object, "updatedAt", updated);
	json_object_set_boolean_member (object, "archived", meeting->archived_ms != 0);
	if (meeting->archived_ms) {
		g_autofree gchar *archived = mock_iso_time (meeting->archived_ms);

		json_object_set_string_member (object, "archivedAt", archived);
	}

	return object;
}

JsonObject *
mock_meeting_to_full_json (MockMeeting *meeting)
{
	JsonObject *object = mock_meeting_to_json (meeting, NULL);

	if (meeting->timezone)
		json_object_set_string_member (object, "timezone", meeting->timezone);
	else
		json_object_set_null_member (object, "timezone");

	if (meeting->associations)
		json_object_set_member (object, "associations", json_node_copy (meeting->associations));
	else
		json_object_set_array_member (object, "associations", json_array_new ());

	if (meeting->reminder_schedule)
		json_object_set_member (object, "emailReminderSchedule", json_node_copy (meeting->reminder_schedule));
	else
		json_object_set_null_member (object, "emailReminderSchedule");

	if (meeting->organizer_user_id)
		json_object_set_string_member (object, "organizerUserId", meeting->organizer_user_id);
	else
		json_object_set_null_member (object, "organizerUserId");

	return object;
}

void
mock_clear_state (MockServer *mock)
{
	g_hash_table_remove_all (mock->meetings_by_id);
	g_ptr_array_set_size (mock->meetings, 0);
	g_hash_table_remove_all (mock->contacts_by_id);
	g_hash_table_remove_all (mock->contacts_by_email);
	g_ptr_array_set_size (mock->contacts, 0);
	g_hash_table_remove_all (mock->companies_by_id);
	g_ptr_array_set_size (mock->companies, 0);
	g_ptr_array_set_size (mock->requests, 0);
	g_ptr_array_set_size (mock->faults, 0);
	g_queue_clear_full (&mock->rate_times, g_free);
	g_queue_clear_full (&mock->oauth_rate_times, g_free);
	if (mock->oauth)
		mock_oauth_reset (mock->oauth);
	mock->next_seq = 1;
	mock->n_requests = 0;
	mock->n_creates = 0;
	mock->n_rate_limited = 0;
	mock->n_faults_applied = 0;
	mock->n_daily = 0;
}

static void
check_owner_id (MockServer *mock,
		const gchar *id,
		const gchar *path,
		JsonArray *errors)
{
	if (!mock_find_owner_by_id (mock, id))
		mock_add_error_item (errors, "INVALID_OWNER_ID", path,
			"%s: %s is not the id of an owner in this account", path, id);
}

/* Owner ids must name owners of the account; the values are already
 * known to be well-formed (schema checked). */
gboolean
mock_check_owner_ids (MockServer *mock,
		      JsonObject *properties,
		      JsonArray *errors)
{
	guint before = json_array_get_length (errors);
	JsonNode *node;

	node = json_object_get_member (properties, "hubspot_owner_id");
	if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
	    *json_node_get_string (node))
		check_owner_id (mock, json_node_get_string (node), "properties.hubspot_owner_id", errors);

	node = json_object_get_member (properties, "hs_attendee_owner_ids");
	if (node && JSON_NODE_HOLDS_ARRAY (node)) {
		JsonArray *array = json_node_get_array (node);
		guint ii;

		for (ii = 0; ii < json_array_get_length (array); ii++) {
			g_autofree gchar *path = g_strdup_printf ("properties.hs_attendee_owner_ids[%u]", ii);

			check_owner_id (mock, json_array_get_string_element (array, ii), path, errors);
		}
	} else if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
		g_auto(GStrv) ids = g_strsplit (json_node_get_string (node), ";", -1);
		guint ii;

		for (ii = 0; ids[ii]; ii++) {
			if (*ids[ii])
				check_owner_id (mock, ids[ii], "properties.hs_attendee_owner_ids", errors);
		}
	}

	return json_array_get_length (errors) == before;
}

/* For an update: the meeting as it would be must still end after it starts */
gboolean
mock_check_merged_times (MockMeeting *meeting,
			 JsonObject *properties,
			 JsonArray *errors)
{
	const gchar *start, *end;
	gint64 start_ms, end_ms;

	if (!json_object_has_member (properties, "hs_meeting_start_time") &&
	    !json_object_has_member (properties, "hs_meeting_end_time"))
		return TRUE;

	start = json_object_has_member (properties, "hs_meeting_start_time") ?
		json_object_get_string_member (properties, "hs_meeting_start_time") :
		g_hash_table_lookup (meeting->properties, "hs_meeting_start_time");
	end = json_object_has_member (properties, "hs_meeting_end_time") ?
		json_object_get_string_member (properties, "hs_meeting_end_time") :
		g_hash_table_lookup (meeting->properties, "hs_meeting_end_time");

	if (e_hubspot_mock_schema_parse_utc_date_time (start, &start_ms) &&
	    e_hubspot_mock_schema_parse_utc_date_time (end, &end_ms) &&
	    end_ms < start_ms) {
		mock_add_error_item (errors, "INVALID_VALUE", "properties.hs_meeting_end_time",
			"properties.hs_meeting_end_time: the meeting would end (%s) before it starts (%s)", end, start);
		return FALSE;
	}

	return TRUE;
}
