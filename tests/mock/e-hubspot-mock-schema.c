/* e-hubspot-mock-schema.c: HubSpot's request schemas, as the mock enforces them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Deliberately strict: the mock exists to catch the payload mistakes that
 * HubSpot itself would reject (or, worse, silently accept and misread, like
 * epoch seconds for a date-time).
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "e-hubspot-mock-schema-private.h"

G_DEFINE_QUARK (e-hubspot-mock-schema-error-quark, e_hubspot_mock_schema_error)

typedef enum {
	PROP_TEXT,		/* any string */
	PROP_TITLE,		/* non-empty string */
	PROP_DATE,		/* UTC ISO 8601 date-time */
	PROP_OUTCOME,		/* hs_meeting_outcome enumeration */
	PROP_LOCATION_TYPE,	/* hs_meeting_location_type enumeration */
	PROP_OWNER_ID,		/* digits */
	PROP_OWNER_IDS,		/* several owner ids */
	PROP_STRINGS,		/* several strings */
	PROP_BOOLEAN_TEXT	/* "true" or "false" */
} PropKind;

typedef enum {
	MODE_SCHEDULER,		/* scheduler calendar create: JSON arrays for multi-valued */
	MODE_CRM_CREATE,	/* CRM object create: string values only, required six */
	MODE_CRM_UPDATE		/* CRM object update: string values only, any subset */
} CheckMode;

typedef struct {
	const gchar *name;
	PropKind kind;
	gboolean required;
	gboolean in_scheduler;	/* accepted by the scheduler calendar create */
} PropInfo;

static const PropInfo meeting_props[] = {
	{ "hs_meeting_title", PROP_TITLE, TRUE, TRUE },
	{ "hs_meeting_start_time", PROP_DATE, TRUE, TRUE },
	{ "hs_meeting_end_time", PROP_DATE, TRUE, TRUE },
	{ "hs_timestamp", PROP_DATE, TRUE, TRUE },
	{ "hs_meeting_outcome", PROP_OUTCOME, TRUE, TRUE },
	{ "hubspot_owner_id", PROP_OWNER_ID, TRUE, TRUE },
	{ "hs_meeting_body", PROP_TEXT, FALSE, TRUE },
	{ "hs_meeting_location", PROP_TEXT, FALSE, TRUE },
	{ "hs_meeting_location_type", PROP_LOCATION_TYPE, FALSE, TRUE },
	{ "hs_internal_meeting_notes", PROP_TEXT, FALSE, TRUE },
	{ "hs_activity_type", PROP_TEXT, FALSE, TRUE },
	{ "hs_attendee_owner_ids", PROP_OWNER_IDS, FALSE, TRUE },
	{ "hs_attachment_ids", PROP_STRINGS, FALSE, TRUE },
	/* Writable through the CRM object API only */
	{ "hs_meeting_external_url", PROP_TEXT, FALSE, FALSE },
	{ "hs_i_cal_uid", PROP_TEXT, FALSE, FALSE },
	{ "hs_include_description_in_reminder", PROP_BOOLEAN_TEXT, FALSE, FALSE }
};

/* HubSpot computes these; writing them is an error, not an unknown name */
static const gchar *read_only_props[] = {
	"hs_object_id",
	"hs_createdate",
	"hs_lastmodifieddate",
	"hs_engagement_source",
	"hs_engagement_source_id",
	"hs_unique_id",
	NULL
};

static const gchar *outcome_values[] = {
	"SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED", NULL
};

static const gchar *location_type_values[] = {
	"ADDRESS", "CUSTOM", "PHONE", NULL
};

static const gchar *association_category_values[] = {
	"HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED", "WORK", NULL
};

static const gchar *time_unit_values[] = {
	"MINUTES", "HOURS", "DAYS", "WEEKS", NULL
};

static const PropInfo *
find_prop (const gchar *name)
{
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (meeting_props); ii++) {
		if (g_strcmp0 (meeting_props[ii].name, name) == 0)
			return &meeting_props[ii];
	}

	return NULL;
}

gboolean
e_hubspot_mock_schema_is_date_time_property (const gchar *name)
{
	const PropInfo *info = find_prop (name);

	if (info)
		return info->kind == PROP_DATE;

	/* The meetings' own, then the contacts' (no meeting property has those names) */
	return g_strcmp0 (name, "hs_createdate") == 0 ||
	       g_strcmp0 (name, "hs_lastmodifieddate") == 0 ||
	       g_strcmp0 (name, "createdate") == 0 ||
	       g_strcmp0 (name, "lastmodifieddate") == 0;
}

gboolean
e_hubspot_mock_schema_is_multi_valued_property (const gchar *name)
{
	const PropInfo *info = find_prop (name);

	return info && (info->kind == PROP_OWNER_IDS || info->kind == PROP_STRINGS);
}

void
schema_add_problem (JsonArray *problems,
		    const gchar *code,
		    const gchar *path,
		    const gchar *format,
		    ...)
{
	JsonObject *item;
	g_autofree gchar *text = NULL;
	va_list ap;

	va_start (ap, format);
	text = g_strdup_vprintf (format, ap);
	va_end (ap);

	item = json_object_new ();
	json_object_set_string_member (item, "message", text);
	json_object_set_string_member (item, "code", code);
	json_object_set_string_member (item, "in", path);
	json_array_add_object_element (problems, item);
}

const gchar *
schema_node_type_name (JsonNode *node)
{
	if (!node || JSON_NODE_HOLDS_NULL (node))
		return "null";
	if (JSON_NODE_HOLDS_OBJECT (node))
		return "an object";
	if (JSON_NODE_HOLDS_ARRAY (node))
		return "an array";

	switch (json_node_get_value_type (node)) {
	case G_TYPE_STRING:
		return "a string";
	case G_TYPE_BOOLEAN:
		return "a boolean";
	case G_TYPE_INT64:
		return "an integer";
	default:
		return "a number";
	}
}

gboolean
schema_node_is_string (JsonNode *node)
{
	return node && JSON_NODE_HOLDS_VALUE (node) &&
	       json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
schema_node_is_integer (JsonNode *node)
{
	return node && JSON_NODE_HOLDS_VALUE (node) &&
	       json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_boolean (JsonNode *node)
{
	return node && JSON_NODE_HOLDS_VALUE (node) &&
	       json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

gboolean
schema_str_in (const gchar *value,
	       const gchar **values)
{
	guint ii;

	for (ii = 0; values[ii]; ii++) {
		if (g_strcmp0 (values[ii], value) == 0)
			return TRUE;
	}

	return FALSE;
}

static gchar *
join_values (const gchar **values)
{
	return g_strjoinv ("|", (gchar **) values);
}

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

static gboolean
parse_fixed_int (const gchar **pp,
		 guint n_digits,
		 gint *out_value)
{
	gint value = 0;
	guint ii;

	for (ii = 0; ii < n_digits; ii++) {
		if (!g_ascii_isdigit ((*pp)[ii]))
			return FALSE;
		value = value * 10 + ((*pp)[ii] - '0');
	}

	*pp += n_digits;
	*out_value = value;

	return TRUE;
}

gboolean
e_hubspot_mock_schema_parse_utc_date_time (const gchar *text,
					   gint64 *out_ms)
{
	const gchar *p = text;
	gint year, month, day, hour, minute, second, ms = 0;
	g_autoptr(GDateTime) dt = NULL;

	if (!text)
		return FALSE;

	if (!parse_fixed_int (&p, 4, &year) || *p++ != '-' ||
	    !parse_fixed_int (&p, 2, &month) || *p++ != '-' ||
	    !parse_fixed_int (&p, 2, &day) || *p++ != 'T' ||
	    !parse_fixed_int (&p, 2, &hour) || *p++ != ':' ||
	    !parse_fixed_int (&p, 2, &minute) || *p++ != ':' ||
	    !parse_fixed_int (&p, 2, &second))
		return FALSE;

	if (*p == '.') {
		guint n_digits = 0;

		for (p++; g_ascii_isdigit (*p); p++, n_digits++) {
			if (n_digits < 3)
				ms = ms * 10 + (*p - '0');
		}

		if (n_digits == 0 || n_digits > 9)
			return FALSE;

		for (; n_digits < 3; n_digits++)
			ms *= 10;
	}

	if (*p != 'Z' || p[1] != '\0')
		return FALSE;

	/* g_date_time_new_utc() rejects 2026-02-30, 25:00 and the like */
	if (year < 1 || hour > 23 || second > 59)
		return FALSE;

	dt = g_date_time_new_utc (year, month, day, hour, minute, second);
	if (!dt)
		return FALSE;

	if (out_ms)
		*out_ms = g_date_time_to_unix (dt) * 1000 + ms;

	return TRUE;
}

/* Checks that @object has no member outside @allowed (NULL-terminated). */
void
schema_check_unknown_members (JsonObject *object,
			      const gchar *path,
			      const gchar **allowed,
			      JsonArray *problems)
{
	g_autoptr(GList) members = json_object_get_members (object);
	GList *link;

	for (link = members; link; link = g_list_next (link)) {
		const gchar *name = link->data;

		if (!schema_str_in (name, allowed)) {
			g_autofree gchar *member_path = *path ?
				g_strconcat (path, ".", name, NULL) : g_strdup (name);

			schema_add_problem (problems, "UNKNOWN_FIELD", member_path,
				"%s: unrecognized field \"%s\"", member_path, name);
		}
	}
}

void
schema_check_enum_node (JsonNode *node,
			const gchar *path,
			const gchar **values,
			JsonArray *problems)
{
	g_autofree gchar *joined = join_values (values);

	if (!schema_node_is_string (node)) {
		schema_add_problem (problems, "INVALID_TYPE", path,
			"%s: must be a string, one of %s, not %s", path, joined, schema_node_type_name (node));
	} else if (!schema_str_in (json_node_get_string (node), values)) {
		schema_add_problem (problems, "INVALID_ENUM", path,
			"%s: \"%s\" is not one of the allowed values %s", path,
			json_node_get_string (node), joined);
	}
}

static void
check_string_value (const PropInfo *info,
		    const gchar *value,
		    const gchar *path,
		    CheckMode mode,
		    JsonArray *problems)
{
	/* Updates clear a value with ""; the required ones cannot be cleared */
	if (mode == MODE_CRM_UPDATE && !*value) {
		if (info->required)
			schema_add_problem (problems, "INVALID_VALUE", path,
				"%s: a required property cannot be cleared", path);
		return;
	}

	switch (info->kind) {
	case PROP_TEXT:
		break;
	case PROP_TITLE: {
		g_autofree gchar *stripped = g_strstrip (g_strdup (value));

		if (!*stripped)
			schema_add_problem (problems, "INVALID_VALUE", path, "%s: must not be empty", path);
		break;
	}
	case PROP_DATE:
		if (!e_hubspot_mock_schema_parse_utc_date_time (value, NULL))
			schema_add_problem (problems, "INVALID_DATE", path,
				"%s: must be an ISO 8601 date-time in UTC, such as 2026-03-30T09:00:00Z, not \"%s\"",
				path, value);
		break;
	case PROP_OUTCOME:
	case PROP_LOCATION_TYPE: {
		const gchar **values = info->kind == PROP_OUTCOME ? outcome_values : location_type_values;

		if (!schema_str_in (value, values)) {
			g_autofree gchar *joined = join_values (values);

			schema_add_problem (problems, "INVALID_ENUM", path,
				"%s: \"%s\" is not one of the allowed values %s", path, value, joined);
		}
		break;
	}
	case PROP_OWNER_ID:
		if (!is_digits (value))
			schema_add_problem (problems, "INVALID_VALUE", path,
				"%s: \"%s\" is not an owner id (digits)", path, value);
		break;
	case PROP_OWNER_IDS: {
		/* CRM style: "1;2;3" */
		g_auto(GStrv) parts = g_strsplit (value, ";", -1);
		guint ii;

		for (ii = 0; parts[ii]; ii++) {
			if (!is_digits (parts[ii])) {
				schema_add_problem (problems, "INVALID_VALUE", path,
					"%s: \"%s\" is not a ';'-separated list of owner ids", path, value);
				break;
			}
		}
		break;
	}
	case PROP_STRINGS:
		break;
	case PROP_BOOLEAN_TEXT:
		if (g_strcmp0 (value, "true") != 0 && g_strcmp0 (value, "false") != 0)
			schema_add_problem (problems, "INVALID_VALUE", path,
				"%s: must be \"true\" or \"false\"", path);
		break;
	}
}

static void
check_array_value (const PropInfo *info,
		   JsonNode *node,
		   const gchar *path,
		   JsonArray *problems)
{
	JsonArray *array = json_node_get_array (node);
	guint ii, len = json_array_get_length (array);

	for (ii = 0; ii < len; ii++) {
		JsonNode *item = json_array_get_element (array, ii);
		g_autofree gchar *item_path = g_strdup_printf ("%s[%u]", path, ii);

		if (!schema_node_is_string (item)) {
			schema_add_problem (problems, "INVALID_TYPE", item_path,
				"%s: must be a string, not %s", item_path, schema_node_type_name (item));
		} else if (info->kind == PROP_OWNER_IDS && !is_digits (json_node_get_string (item))) {
			schema_add_problem (problems, "INVALID_VALUE", item_path,
				"%s: \"%s\" is not an owner id (digits)", item_path,
				json_node_get_string (item));
		}
	}
}

static void
check_property (const gchar *name,
		JsonNode *node,
		CheckMode mode,
		JsonArray *problems)
{
	g_autofree gchar *path = g_strconcat ("properties.", name, NULL);
	const PropInfo *info = find_prop (name);

	if (info && mode == MODE_SCHEDULER && !info->in_scheduler)
		info = NULL;

	if (!info) {
		if (mode != MODE_SCHEDULER && schema_str_in (name, read_only_props))
			schema_add_problem (problems, "READ_ONLY_VALUE", path,
				"%s: Property \"%s\" is read-only", path, name);
		else
			schema_add_problem (problems, "UNKNOWN_PROPERTY", path,
				"%s: Property \"%s\" does not exist", path, name);
		return;
	}

	if (mode == MODE_SCHEDULER &&
	    (info->kind == PROP_OWNER_IDS || info->kind == PROP_STRINGS)) {
		if (!node || !JSON_NODE_HOLDS_ARRAY (node))
			schema_add_problem (problems, "INVALID_TYPE", path,
				"%s: must be an array of strings, not %s", path, schema_node_type_name (node));
		else
			check_array_value (info, node, path, problems);
		return;
	}

	if (!schema_node_is_string (node)) {
		if (info->kind == PROP_DATE && node && JSON_NODE_HOLDS_VALUE (node) &&
		    json_node_get_value_type (node) != G_TYPE_BOOLEAN)
			schema_add_problem (problems, "INVALID_DATE", path,
				"%s: must be an ISO 8601 date-time in UTC (a string such as 2026-03-30T09:00:00Z), not a number (epoch)",
				path);
		else
			schema_add_problem (problems, "INVALID_TYPE", path,
				"%s: must be a string, not %s", path, schema_node_type_name (node));
		return;
	}

	check_string_value (info, json_node_get_string (node), path, mode, problems);
}

/* A member's value when it is a valid UTC date-time string */
static const gchar *
get_valid_date (JsonObject *properties,
		const gchar *name,
		gint64 *out_ms)
{
	JsonNode *node = json_object_get_member (properties, name);

	if (!schema_node_is_string (node) ||
	    !e_hubspot_mock_schema_parse_utc_date_time (json_node_get_string (node), out_ms))
		return NULL;

	return json_node_get_string (node);
}

/* Cross-member rules; only between values that are themselves valid */
static void
check_times (JsonObject *properties,
	     JsonArray *problems)
{
	gint64 start_ms = 0, end_ms = 0, stamp_ms = 0;
	const gchar *start = get_valid_date (properties, "hs_meeting_start_time", &start_ms);
	const gchar *end = get_valid_date (properties, "hs_meeting_end_time", &end_ms);
	const gchar *stamp = get_valid_date (properties, "hs_timestamp", &stamp_ms);

	if (start && end && end_ms < start_ms)
		schema_add_problem (problems, "INVALID_VALUE", "properties.hs_meeting_end_time",
			"properties.hs_meeting_end_time: %s is before hs_meeting_start_time %s", end, start);

	if (start && stamp && stamp_ms != start_ms)
		schema_add_problem (problems, "INVALID_VALUE", "properties.hs_timestamp",
			"properties.hs_timestamp: %s must equal hs_meeting_start_time %s", stamp, start);
}

static void
check_properties (JsonNode *node,
		  CheckMode mode,
		  JsonArray *problems)
{
	JsonObject *properties;
	g_autoptr(GList) members = NULL;
	GList *link;
	guint ii;

	if (!node || !JSON_NODE_HOLDS_OBJECT (node)) {
		schema_add_problem (problems, "INVALID_TYPE", "properties",
			"properties: must be an object, not %s", schema_node_type_name (node));
		return;
	}

	properties = json_node_get_object (node);

	if (mode != MODE_CRM_UPDATE) {
		for (ii = 0; ii < G_N_ELEMENTS (meeting_props); ii++) {
			if (meeting_props[ii].required &&
			    !json_object_has_member (properties, meeting_props[ii].name)) {
				g_autofree gchar *path = g_strconcat ("properties.", meeting_props[ii].name, NULL);

				schema_add_problem (problems, "REQUIRED", path, "%s: required property is missing", path);
			}
		}
	}

	members = json_object_get_members (properties);
	for (link = members; link; link = g_list_next (link)) {
		const gchar *name = link->data;

		check_property (name, json_object_get_member (properties, name), mode, problems);
	}

	check_times (properties, problems);
}

void
schema_check_association_types (JsonNode *node,
				const gchar *path,
				JsonArray *problems)
{
	static const gchar *type_members[] = { "associationCategory", "associationTypeId", NULL };
	JsonArray *types;
	guint ii, len;

	if (!node || !JSON_NODE_HOLDS_ARRAY (node)) {
		schema_add_problem (problems, "INVALID_TYPE", path,
			"%s: must be an array, not %s", path, schema_node_type_name (node));
		return;
	}

	types = json_node_get_array (node);
	len = json_array_get_length (types);
	if (!len)
		schema_add_problem (problems, "INVALID_VALUE", path, "%s: must name at least one association type", path);

	for (ii = 0; ii < len; ii++) {
		JsonNode *item = json_array_get_element (types, ii);
		g_autofree gchar *item_path = g_strdup_printf ("%s[%u]", path, ii);
		g_autofree gchar *category_path = g_strconcat (item_path, ".associationCategory", NULL);
		g_autofree gchar *id_path = g_strconcat (item_path, ".associationTypeId", NULL);
		JsonObject *type;
		JsonNode *id_node;

		if (!JSON_NODE_HOLDS_OBJECT (item)) {
			schema_add_problem (problems, "INVALID_TYPE", item_path,
				"%s: must be an object, not %s", item_path, schema_node_type_name (item));
			continue;
		}

		type = json_node_get_object (item);
		schema_check_unknown_members (type, item_path, type_members, problems);

		if (!json_object_has_member (type, "associationCategory"))
			schema_add_problem (problems, "REQUIRED", category_path, "%s: required field is missing", category_path);
		else
			schema_check_enum_node (json_object_get_member (type, "associationCategory"), category_path,
				association_category_values, problems);

		id_node = json_object_get_member (type, "associationTypeId");
		if (!id_node)
			schema_add_problem (problems, "REQUIRED", id_path, "%s: required field is missing", id_path);
		else if (!schema_node_is_integer (id_node))
			schema_add_problem (problems, "INVALID_TYPE", id_path,
				"%s: must be an integer, not %s", id_path, schema_node_type_name (id_node));
		else if (json_node_get_int (id_node) <= 0)
			schema_add_problem (problems, "INVALID_VALUE", id_path,
				"%s: must be a positive integer", id_path);
	}
}

void
schema_check_object_id (JsonObject *parent,
			const gchar *member,
			const gchar *path,
			JsonArray *problems)
{
	static const gchar *id_members[] = { "id", NULL };
	g_autofree gchar *object_path = g_strconcat (path, ".", member, NULL);
	g_autofree gchar *id_path = g_strconcat (object_path, ".id", NULL);
	JsonNode *object = json_object_get_member (parent, member);

	if (!object) {
		schema_add_problem (problems, "REQUIRED", object_path, "%s: required field is missing", object_path);
		return;
	}

	if (!JSON_NODE_HOLDS_OBJECT (object)) {
		schema_add_problem (problems, "INVALID_TYPE", object_path,
			"%s: must be an object, not %s", object_path, schema_node_type_name (object));
		return;
	}

	schema_check_unknown_members (json_node_get_object (object), object_path, id_members, problems);

	schema_check_id (json_object_get_member (json_node_get_object (object), "id"), id_path, problems);
}

void
schema_check_id (JsonNode *id,
		 const gchar *path,
		 JsonArray *problems)
{
	if (!id)
		schema_add_problem (problems, "REQUIRED", path, "%s: required field is missing", path);
	else if (!schema_node_is_string (id))
		schema_add_problem (problems, "INVALID_TYPE", path,
			"%s: must be a string, not %s", path, schema_node_type_name (id));
	else if (!*json_node_get_string (id))
		schema_add_problem (problems, "INVALID_VALUE", path, "%s: must not be empty", path);
}

void
schema_check_associations (JsonNode *node,
			   const gchar *path,
			   JsonArray *problems)
{
	static const gchar *association_members[] = { "to", "types", NULL };
	JsonArray *associations;
	guint ii, len;

	if (!node || !JSON_NODE_HOLDS_ARRAY (node)) {
		schema_add_problem (problems, "INVALID_TYPE", path,
			"%s: must be an array, not %s", path, schema_node_type_name (node));
		return;
	}

	associations = json_node_get_array (node);
	len = json_array_get_length (associations);

	for (ii = 0; ii < len; ii++) {
		JsonNode *item = json_array_get_element (associations, ii);
		g_autofree gchar *item_path = g_strdup_printf ("%s[%u]", path, ii);
		g_autofree gchar *types_path = g_strconcat (item_path, ".types", NULL);
		JsonObject *association;

		if (!JSON_NODE_HOLDS_OBJECT (item)) {
			schema_add_problem (problems, "INVALID_TYPE", item_path,
				"%s: must be an object, not %s", item_path, schema_node_type_name (item));
			continue;
		}

		association = json_node_get_object (item);
		schema_check_unknown_members (association, item_path, association_members, problems);
		schema_check_object_id (association, "to", item_path, problems);

		if (!json_object_has_member (association, "types"))
			schema_add_problem (problems, "REQUIRED", types_path, "%s: required field is missing", types_path);
		else
			schema_check_association_types (json_object_get_member (association, "types"), types_path, problems);
	}
}

static void
check_reminders (JsonNode *node,
		 JsonArray *problems)
{
	static const gchar *schedule_members[] = { "reminders", "shouldIncludeInviteDescription", NULL };
	static const gchar *reminder_members[] = { "numberOfTimeUnits", "timeUnit", NULL };
	JsonObject *schedule;
	JsonNode *reminders, *include;

	if (!node || !JSON_NODE_HOLDS_OBJECT (node)) {
		schema_add_problem (problems, "INVALID_TYPE", "emailReminderSchedule",
			"emailReminderSchedule: must be an object, not %s", schema_node_type_name (node));
		return;
	}

	schedule = json_node_get_object (node);
	schema_check_unknown_members (schedule, "emailReminderSchedule", schedule_members, problems);

	include = json_object_get_member (schedule, "shouldIncludeInviteDescription");
	if (!include)
		schema_add_problem (problems, "REQUIRED", "emailReminderSchedule.shouldIncludeInviteDescription",
			"emailReminderSchedule.shouldIncludeInviteDescription: required field is missing");
	else if (!node_is_boolean (include))
		schema_add_problem (problems, "INVALID_TYPE", "emailReminderSchedule.shouldIncludeInviteDescription",
			"emailReminderSchedule.shouldIncludeInviteDescription: must be a boolean, not %s",
			schema_node_type_name (include));

	reminders = json_object_get_member (schedule, "reminders");
	if (!reminders) {
		schema_add_problem (problems, "REQUIRED", "emailReminderSchedule.reminders",
			"emailReminderSchedule.reminders: required field is missing");
	} else if (!JSON_NODE_HOLDS_ARRAY (reminders)) {
		schema_add_problem (problems, "INVALID_TYPE", "emailReminderSchedule.reminders",
			"emailReminderSchedule.reminders: must be an array, not %s", schema_node_type_name (reminders));
	} else {
		JsonArray *array = json_node_get_array (reminders);
		guint ii, len = json_array_get_length (array);

		for (ii = 0; ii < len; ii++) {
			JsonNode *item = json_array_get_element (array, ii);
			g_autofree gchar *path = g_strdup_printf ("emailReminderSchedule.reminders[%u]", ii);
			g_autofree gchar *count_path = g_strconcat (path, ".numberOfTimeUnits", NULL);
			g_autofree gchar *unit_path = g_strconcat (path, ".timeUnit", NULL);
			JsonObject *reminder;
			JsonNode *count, *unit;

			if (!JSON_NODE_HOLDS_OBJECT (item)) {
				schema_add_problem (problems, "INVALID_TYPE", path,
					"%s: must be an object, not %s", path, schema_node_type_name (item));
				continue;
			}

			reminder = json_node_get_object (item);
			schema_check_unknown_members (reminder, path, reminder_members, problems);

			count = json_object_get_member (reminder, "numberOfTimeUnits");
			if (!count)
				schema_add_problem (problems, "REQUIRED", count_path, "%s: required field is missing", count_path);
			else if (!schema_node_is_integer (count))
				schema_add_problem (problems, "INVALID_TYPE", count_path,
					"%s: must be an integer, not %s", count_path, schema_node_type_name (count));
			else if (json_node_get_int (count) <= 0)
				schema_add_problem (problems, "INVALID_VALUE", count_path,
					"%s: must be a positive integer, not %" G_GINT64_FORMAT, count_path,
					json_node_get_int (count));

			unit = json_object_get_member (reminder, "timeUnit");
			if (!unit)
				schema_add_problem (problems, "REQUIRED", unit_path, "%s: required field is missing", unit_path);
			else
				schema_check_enum_node (unit, unit_path, time_unit_values, problems);
		}
	}
}

static void
check_timezone (JsonNode *node,
		JsonArray *problems)
{
	const gchar *name;
	GTimeZone *zone;

	if (!schema_node_is_string (node)) {
		schema_add_problem (problems, "INVALID_TYPE", "timezone",
			"timezone: must be a string, not %s", schema_node_type_name (node));
		return;
	}

	name = json_node_get_string (node);
	if (!*name) {
		schema_add_problem (problems, "INVALID_VALUE", "timezone", "timezone: must not be empty");
		return;
	}

	/* GLib also parses "+01:00" as a zone; HubSpot wants an IANA name */
	if (*name == '+' || *name == '-' || g_ascii_isdigit (*name)) {
		schema_add_problem (problems, "INVALID_VALUE", "timezone",
			"timezone: \"%s\" is an offset, not an IANA time zone name", name);
		return;
	}

	zone = g_time_zone_new_identifier (name);
	if (!zone)
		schema_add_problem (problems, "INVALID_VALUE", "timezone",
			"timezone: \"%s\" is not a known IANA time zone", name);
	else
		g_time_zone_unref (zone);
}

JsonArray *
schema_finish_problems (JsonArray *problems)
{
	if (json_array_get_length (problems) == 0) {
		json_array_unref (problems);
		return NULL;
	}

	return problems;
}

gboolean
schema_check_body_object (JsonNode *body,
			  JsonArray *problems)
{
	if (!body || !JSON_NODE_HOLDS_OBJECT (body)) {
		schema_add_problem (problems, "INVALID_TYPE", "",
			"body: must be a JSON object, not %s", schema_node_type_name (body));
		return FALSE;
	}

	return TRUE;
}

JsonArray *
e_hubspot_mock_schema_collect_meeting_create_problems (JsonNode *body)
{
	static const gchar *top_members[] = {
		"associations", "emailReminderSchedule", "properties", "timezone", NULL
	};
	JsonArray *problems = json_array_new ();
	JsonObject *object;
	guint ii;

	if (!schema_check_body_object (body, problems))
		return problems;

	object = json_node_get_object (body);
	schema_check_unknown_members (object, "", top_members, problems);

	for (ii = 0; top_members[ii]; ii++) {
		if (!json_object_has_member (object, top_members[ii]))
			schema_add_problem (problems, "REQUIRED", top_members[ii],
				"%s: required field is missing", top_members[ii]);
	}

	if (json_object_has_member (object, "associations"))
		schema_check_associations (json_object_get_member (object, "associations"), "associations", problems);
	if (json_object_has_member (object, "emailReminderSchedule"))
		check_reminders (json_object_get_member (object, "emailReminderSchedule"), problems);
	if (json_object_has_member (object, "properties"))
		check_properties (json_object_get_member (object, "properties"), MODE_SCHEDULER, problems);
	if (json_object_has_member (object, "timezone"))
		check_timezone (json_object_get_member (object, "timezone"), problems);

	return schema_finish_problems (problems);
}

static void
check_crm_object (JsonObject *object,
		  CheckMode mode,
		  const gchar **members,
		  JsonArray *problems)
{
	JsonNode *trace_id;

	schema_check_unknown_members (object, "", members, problems);

	if (!json_object_has_member (object, "properties"))
		schema_add_problem (problems, "REQUIRED", "properties", "properties: required field is missing");
	else
		check_properties (json_object_get_member (object, "properties"), mode, problems);

	if (mode == MODE_CRM_CREATE && json_object_has_member (object, "associations"))
		schema_check_associations (json_object_get_member (object, "associations"), "associations", problems);

	trace_id = json_object_get_member (object, "objectWriteTraceId");
	if (trace_id && !schema_node_is_string (trace_id))
		schema_add_problem (problems, "INVALID_TYPE", "objectWriteTraceId",
			"objectWriteTraceId: must be a string, not %s", schema_node_type_name (trace_id));
}

void
schema_check_crm_meeting_create (JsonObject *object,
				 const gchar **members,
				 JsonArray *problems)
{
	check_crm_object (object, MODE_CRM_CREATE, members, problems);
}

void
schema_check_crm_meeting_update (JsonObject *object,
				 const gchar **members,
				 JsonArray *problems)
{
	check_crm_object (object, MODE_CRM_UPDATE, members, problems);
}

static JsonArray *
collect_crm_problems (JsonNode *body,
		      CheckMode mode)
{
	static const gchar *create_members[] = { "properties", "associations", "objectWriteTraceId", NULL };
	static const gchar *update_members[] = { "properties", "objectWriteTraceId", NULL };
	JsonArray *problems = json_array_new ();

	if (!schema_check_body_object (body, problems))
		return problems;

	check_crm_object (json_node_get_object (body), mode,
		mode == MODE_CRM_CREATE ? create_members : update_members, problems);

	return schema_finish_problems (problems);
}

JsonArray *
e_hubspot_mock_schema_collect_meeting_update_problems (JsonNode *body)
{
	return collect_crm_problems (body, MODE_CRM_UPDATE);
}

JsonArray *
e_hubspot_mock_schema_collect_crm_meeting_create_problems (JsonNode *body)
{
	return collect_crm_problems (body, MODE_CRM_CREATE);
}

gchar *
e_hubspot_mock_schema_problems_to_string (JsonArray *problems)
{
	GString *text = g_string_new (NULL);
	guint ii, len = problems ? json_array_get_length (problems) : 0;

	for (ii = 0; ii < len; ii++) {
		JsonObject *item = json_array_get_object_element (problems, ii);

		if (ii)
			g_string_append (text, "; ");
		g_string_append (text, json_object_get_string_member_with_default (item, "message", "?"));
	}

	return g_string_free (text, FALSE);
}

static gboolean
problems_to_error (JsonArray *problems,
		   GError **error)
{
	g_autofree gchar *text = NULL;

	if (!problems)
		return TRUE;

	text = e_hubspot_mock_schema_problems_to_string (problems);
	g_set_error_literal (error, E_HUBSPOT_MOCK_SCHEMA_ERROR, E_HUBSPOT_MOCK_SCHEMA_ERROR_INVALID, text);
	json_array_unref (problems);

	return FALSE;
}

gboolean
e_hubspot_mock_schema_check_meeting_create (JsonNode *body,
					    GError **error)
{
	return problems_to_error (e_hubspot_mock_schema_collect_meeting_create_problems (body), error);
}

gboolean
e_hubspot_mock_schema_check_meeting_update (JsonNode *body,
					    GError **error)
{
	return problems_to_error (e_hubspot_mock_schema_collect_meeting_update_problems (body), error);
}
