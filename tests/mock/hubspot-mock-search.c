/* hubspot-mock-search.c: POST .../meetings/search and .../contacts/search
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Filter groups are OR'ed, the filters inside a group AND'ed.  Date-time
 * properties compare as times (ISO 8601 or epoch milliseconds), integers as
 * numbers, everything else as strings (e-mails ignoring case).  Archived
 * records are never found, nor, with a search lag, records younger than the
 * lag (HubSpot's index is eventually consistent).  A MockSearchKind says
 * what the records are.
 */

#include <string.h>

#include "e-hubspot-mock-schema.h"
#include "hubspot-mock-private.h"

#define SEARCH_MAX_GROUPS 6
#define SEARCH_MAX_FILTERS 6
#define SEARCH_MAX_LIMIT 200
#define SEARCH_DEFAULT_LIMIT 10

typedef enum {
	OP_EQ,
	OP_NEQ,
	OP_LT,
	OP_LTE,
	OP_GT,
	OP_GTE,
	OP_BETWEEN,
	OP_IN,
	OP_NOT_IN,
	OP_HAS_PROPERTY,
	OP_NOT_HAS_PROPERTY,
	OP_CONTAINS_TOKEN,
	OP_NOT_CONTAINS_TOKEN
} Operator;

static const gchar *operator_names[] = {
	"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
	"HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"
};

typedef struct {
	gchar *name;
	Operator op;
	gchar *value;
	gchar *high;
	GPtrArray *values;	/* gchar * */
} Filter;

typedef struct {
	gchar *name;
	gboolean descending;
} Sort;

static const gchar *meeting_default_properties[] = {
	"hs_createdate", "hs_lastmodifieddate", "hs_object_id", NULL
};

static const gchar *meeting_text_properties[] = {
	"hs_meeting_title", "hs_meeting_body", "hs_internal_meeting_notes", "hs_meeting_location", NULL
};

static void
filter_free (Filter *filter)
{
	g_free (filter->name);
	g_free (filter->value);
	g_free (filter->high);
	g_clear_pointer (&filter->values, g_ptr_array_unref);
	g_free (filter);
}

static void
sort_free (Sort *sort)
{
	g_free (sort->name);
	g_free (sort);
}

static gchar *
scalar_text (JsonNode *node)
{
	if (!node || !JSON_NODE_HOLDS_VALUE (node))
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

static gboolean
parse_integer (const gchar *text,
	       gint64 *out_value)
{
	return text && *text && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out_value, NULL);
}

static gboolean
parse_any_time (const gchar *text,
		gint64 *out_ms)
{
	g_autoptr(GTimeZone) utc = NULL;
	g_autoptr(GDateTime) dt = NULL;

	if (!text)
		return FALSE;
	if (e_hubspot_mock_schema_parse_utc_date_time (text, out_ms))
		return TRUE;
	if (parse_integer (text, out_ms))
		return TRUE;

	utc = g_time_zone_new_utc ();
	dt = g_date_time_new_from_iso8601 (text, utc);
	if (!dt)
		return FALSE;

	*out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;

	return TRUE;
}

/* FALSE when the two cannot be compared (then no ordering filter matches) */
static gboolean
compare_values (const gchar *name,
		const gchar *stored,
		const gchar *wanted,
		gint *out_cmp)
{
	gint64 aa, bb;

	if (!stored || !wanted)
		return FALSE;

	if (e_hubspot_mock_schema_is_date_time_property (name)) {
		if (!parse_any_time (stored, &aa) || !parse_any_time (wanted, &bb))
			return FALSE;
	} else if (!parse_integer (stored, &aa) || !parse_integer (wanted, &bb)) {
		gint cmp = strcmp (stored, wanted);

		*out_cmp = cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
		return TRUE;
	}

	*out_cmp = aa < bb ? -1 : aa > bb ? 1 : 0;

	return TRUE;
}

static gboolean
contains_token (const gchar *stored,
		const gchar *token)
{
	g_autofree gchar *haystack = NULL, *pattern = NULL;
	g_auto(GStrv) words = NULL;
	guint ii;

	if (!stored || !token)
		return FALSE;

	haystack = g_utf8_strdown (stored, -1);
	pattern = g_utf8_strdown (token, -1);

	/* "*@example.com" names a whole value */
	if (g_pattern_match_simple (pattern, haystack))
		return TRUE;

	/* Words are what HubSpot indexes; "*" is a wildcard */
	g_strdelimit (haystack, " \t\n;,.:/@-_()[]<>\"'", ' ');
	words = g_strsplit (haystack, " ", -1);
	for (ii = 0; words[ii]; ii++) {
		if (*words[ii] && g_pattern_match_simple (pattern, words[ii]))
			return TRUE;
	}

	return FALSE;
}

static gboolean
is_folded (const MockSearchKind *kind,
	   const gchar *name)
{
	return kind->folded_properties && g_strv_contains (kind->folded_properties, name);
}

static gboolean
filter_matches (Filter *filter,
		const MockSearchKind *kind,
		gpointer record)
{
	const gchar *value = g_hash_table_lookup (kind->properties (record), filter->name);
	g_autofree gchar *folded = value && is_folded (kind, filter->name) ? g_utf8_strdown (value, -1) : NULL;
	const gchar *stored = folded ? folded : value;
	gint cmp = 0, high_cmp = 0;
	guint ii;

	switch (filter->op) {
	case OP_HAS_PROPERTY:
		return stored != NULL;
	case OP_NOT_HAS_PROPERTY:
		return stored == NULL;
	case OP_EQ:
		return compare_values (filter->name, stored, filter->value, &cmp) && cmp == 0;
	case OP_NEQ:
		return !compare_values (filter->name, stored, filter->value, &cmp) || cmp != 0;
	case OP_LT:
		return compare_values (filter->name, stored, filter->value, &cmp) && cmp < 0;
	case OP_LTE:
		return compare_values (filter->name, stored, filter->value, &cmp) && cmp <= 0;
	case OP_GT:
		return compare_values (filter->name, stored, filter->value, &cmp) && cmp > 0;
	case OP_GTE:
		return compare_values (filter->name, stored, filter->value, &cmp) && cmp >= 0;
	case OP_BETWEEN:
		return compare_values (filter->name, stored, filter->value, &cmp) && cmp >= 0 &&
		       compare_values (filter->name, stored, filter->high, &high_cmp) && high_cmp <= 0;
	case OP_IN:
	case OP_NOT_IN:
		for (ii = 0; ii < filter->values->len; ii++) {
			if (compare_values (filter->name, stored, g_ptr_array_index (filter->values, ii), &cmp) && cmp == 0)
				return filter->op == OP_IN;
		}
		return filter->op == OP_NOT_IN;
	case OP_CONTAINS_TOKEN:
		return contains_token (stored, filter->value);
	case OP_NOT_CONTAINS_TOKEN:
		return !contains_token (stored, filter->value);
	}

	return FALSE;
}

static gchar *
fold (gchar *text)
{
	gchar *folded;

	if (!text)
		return NULL;

	folded = g_utf8_strdown (text, -1);
	g_free (text);

	return folded;
}

static Filter *
parse_filter (JsonNode *node,
	      const gchar *path,
	      const MockSearchKind *kind,
	      JsonArray *errors)
{
	JsonObject *object;
	JsonNode *name, *op, *values;
	Filter *filter;
	guint ii;

	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		mock_add_error_item (errors, "INVALID_TYPE", path, "%s: must be an object", path);
		return NULL;
	}

	object = json_node_get_object (node);
	name = json_object_get_member (object, "propertyName");
	op = json_object_get_member (object, "operator");

	if (!name || !JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING) {
		mock_add_error_item (errors, "REQUIRED", path, "%s.propertyName: a string is required", path);
		return NULL;
	}

	filter = g_new0 (Filter, 1);
	filter->name = g_strdup (json_node_get_string (name));

	if (!op || !JSON_NODE_HOLDS_VALUE (op) || json_node_get_value_type (op) != G_TYPE_STRING) {
		mock_add_error_item (errors, "REQUIRED", path, "%s.operator: a string is required", path);
		filter_free (filter);
		return NULL;
	}

	for (ii = 0; ii < G_N_ELEMENTS (operator_names); ii++) {
		if (g_str_equal (operator_names[ii], json_node_get_string (op)))
			break;
	}
	if (ii == G_N_ELEMENTS (operator_names)) {
		mock_add_error_item (errors, "INVALID_ENUM", path, "%s.operator: unknown operator \"%s\"",
			path, json_node_get_string (op));
		filter_free (filter);
		return NULL;
	}
	filter->op = ii;

	filter->value = scalar_text (json_object_get_member (object, "value"));
	filter->high = scalar_text (json_object_get_member (object, "highValue"));
	if (is_folded (kind, filter->name)) {
		filter->value = fold (filter->value);
		filter->high = fold (filter->high);
	}

	values = json_object_get_member (object, "values");
	if (values && JSON_NODE_HOLDS_ARRAY (values)) {
		JsonArray *array = json_node_get_array (values);

		filter->values = g_ptr_array_new_with_free_func (g_free);
		for (ii = 0; ii < json_array_get_length (array); ii++) {
			gchar *text = scalar_text (json_array_get_element (array, ii));

			if (text && is_folded (kind, filter->name))
				text = fold (text);
			if (text)
				g_ptr_array_add (filter->values, text);
		}
	}

	switch (filter->op) {
	case OP_HAS_PROPERTY:
	case OP_NOT_HAS_PROPERTY:
		break;
	case OP_BETWEEN:
		if (!filter->value || !filter->high) {
			mock_add_error_item (errors, "REQUIRED", path, "%s: BETWEEN needs value and highValue", path);
			g_clear_pointer (&filter, filter_free);
		}
		break;
	case OP_IN:
	case OP_NOT_IN:
		if (!filter->values) {
			mock_add_error_item (errors, "REQUIRED", path, "%s: %s needs a values array", path,
				operator_names[filter->op]);
			g_clear_pointer (&filter, filter_free);
		}
		break;
	default:
		if (!filter->value) {
			mock_add_error_item (errors, "REQUIRED", path, "%s: %s needs a value", path,
				operator_names[filter->op]);
			g_clear_pointer (&filter, filter_free);
		}
		break;
	}

	return filter;
}

/* Returns the groups (GPtrArray of GPtrArray of Filter) */
static GPtrArray *
parse_filter_groups (JsonNode *node,
		     const MockSearchKind *kind,
		     JsonArray *errors)
{
	GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
	JsonArray *array;
	guint ii, jj;

	if (!node)
		return groups;

	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		mock_add_error_item (errors, "INVALID_TYPE", "filterGroups", "filterGroups: must be an array");
		return groups;
	}

	array = json_node_get_array (node);
	if (json_array_get_length (array) > SEARCH_MAX_GROUPS) {
		mock_add_error_item (errors, "TOO_MANY_FILTER_GROUPS", "filterGroups",
			"filterGroups: %u filter groups, at most %d are allowed",
			json_array_get_length (array), SEARCH_MAX_GROUPS);
		return groups;
	}

	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonNode *group_node = json_array_get_element (array, ii);
		g_autofree gchar *path = g_strdup_printf ("filterGroups[%u]", ii);
		GPtrArray *group = g_ptr_array_new_with_free_func ((GDestroyNotify) filter_free);
		JsonArray *filters;

		g_ptr_array_add (groups, group);

		if (!JSON_NODE_HOLDS_OBJECT (group_node) ||
		    !json_object_has_member (json_node_get_object (group_node), "filters") ||
		    !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (group_node), "filters"))) {
			mock_add_error_item (errors, "INVALID_TYPE", path, "%s: must be an object with a filters array", path);
			continue;
		}

		filters = json_object_get_array_member (json_node_get_object (group_node), "filters");
		if (json_array_get_length (filters) > SEARCH_MAX_FILTERS) {
			mock_add_error_item (errors, "TOO_MANY_FILTERS", path,
				"%s: %u filters, at most %d are allowed in a group", path,
				json_array_get_length (filters), SEARCH_MAX_FILTERS);
			continue;
		}

		for (jj = 0; jj < json_array_get_length (filters); jj++) {
			g_autofree gchar *filter_path = g_strdup_printf ("%s.filters[%u]", path, jj);
			Filter *filter = parse_filter (json_array_get_element (filters, jj), filter_path, kind, errors);

			if (filter)
				g_ptr_array_add (group, filter);
		}
	}

	return groups;
}

static GPtrArray *
parse_sorts (JsonNode *node,
	     JsonArray *errors)
{
	GPtrArray *sorts = g_ptr_array_new_with_free_func ((GDestroyNotify) sort_free);
	JsonArray *array;
	guint ii;

	if (!node)
		return sorts;

	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		mock_add_error_item (errors, "INVALID_TYPE", "sorts", "sorts: must be an array");
		return sorts;
	}

	array = json_node_get_array (node);
	for (ii = 0; ii < json_array_get_length (array); ii++) {
		JsonNode *item = json_array_get_element (array, ii);
		Sort *sort = g_new0 (Sort, 1);

		/* Both {propertyName, direction} and the older "-name" form */
		if (JSON_NODE_HOLDS_OBJECT (item)) {
			JsonObject *object = json_node_get_object (item);
			const gchar *direction = mock_json_get_string (object, "direction");

			sort->name = g_strdup (mock_json_get_string (object, "propertyName"));
			sort->descending = g_strcmp0 (direction, "DESCENDING") == 0;
		} else if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING) {
			const gchar *text = json_node_get_string (item);

			sort->descending = *text == '-';
			sort->name = g_strdup (text + (sort->descending ? 1 : 0));
		}

		if (!sort->name || !*sort->name) {
			mock_add_error_item (errors, "INVALID_TYPE", "sorts", "sorts[%u]: needs a propertyName", ii);
			sort_free (sort);
			continue;
		}

		g_ptr_array_add (sorts, sort);
	}

	return sorts;
}

typedef struct {
	GPtrArray *sorts;
	const MockSearchKind *kind;
} SortData;

static gint
compare_records (gconstpointer aa,
		 gconstpointer bb,
		 gpointer user_data)
{
	SortData *data = user_data;
	GHashTable *pa = data->kind->properties (*(gpointer *) aa);
	GHashTable *pb = data->kind->properties (*(gpointer *) bb);
	guint ii;

	for (ii = 0; ii < data->sorts->len; ii++) {
		Sort *sort = g_ptr_array_index (data->sorts, ii);
		const gchar *va = g_hash_table_lookup (pa, sort->name);
		const gchar *vb = g_hash_table_lookup (pb, sort->name);
		gint cmp = 0;

		/* Unset values last, whatever the direction */
		if (!va || !vb) {
			if (va != vb)
				return va ? -1 : 1;
			continue;
		}

		if (compare_values (sort->name, va, vb, &cmp) && cmp != 0)
			return sort->descending ? -cmp : cmp;
	}

	return 0;
}

static gboolean
matches_query (const MockSearchKind *kind,
	       gpointer record,
	       const gchar *query)
{
	GHashTable *properties = kind->properties (record);
	g_autofree gchar *needle = NULL;
	guint ii;

	if (!query || !*query)
		return TRUE;

	needle = g_utf8_strdown (query, -1);
	for (ii = 0; kind->text_properties[ii]; ii++) {
		const gchar *value = g_hash_table_lookup (properties, kind->text_properties[ii]);
		g_autofree gchar *haystack = value ? g_utf8_strdown (value, -1) : NULL;

		if (haystack && strstr (haystack, needle))
			return TRUE;
	}

	return FALSE;
}

static gboolean
get_count (JsonObject *body,
	   const gchar *name,
	   gint64 *out_value,
	   JsonArray *errors)
{
	JsonNode *node = json_object_get_member (body, name);

	*out_value = -1;
	if (!node || JSON_NODE_HOLDS_NULL (node))
		return TRUE;

	if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64) {
		*out_value = json_node_get_int (node);
	} else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
		guint64 value;

		if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT32, &value, NULL))
			*out_value = value;
	}

	if (*out_value < 0) {
		mock_add_error_item (errors, "INVALID_TYPE", name, "%s: must be a non-negative integer", name);
		return FALSE;
	}

	return TRUE;
}

static gchar **
get_properties (JsonObject *body,
		const MockSearchKind *kind,
		JsonArray *errors)
{
	JsonNode *node = json_object_get_member (body, "properties");
	GPtrArray *names;
	JsonArray *array;
	guint ii;

	if (!node || (JSON_NODE_HOLDS_ARRAY (node) && !json_array_get_length (json_node_get_array (node))))
		return g_strdupv ((gchar **) kind->default_properties);

	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		mock_add_error_item (errors, "INVALID_TYPE", "properties", "properties: must be an array of names");
		return NULL;
	}

	names = g_ptr_array_new ();
	array = json_node_get_array (node);
	for (ii = 0; ii < json_array_get_length (array); ii++) {
		gchar *text = scalar_text (json_array_get_element (array, ii));

		if (text)
			g_ptr_array_add (names, text);
	}
	g_ptr_array_add (names, NULL);

	return (gchar **) g_ptr_array_free (names, FALSE);
}

static GHashTable *
meeting_properties (gpointer record)
{
	return ((MockMeeting *) record)->properties;
}

static gboolean
meeting_visible (gpointer record,
		 gint64 visible_before_ms)
{
	MockMeeting *meeting = record;

	return !meeting->archived_ms && meeting->created_ms <= visible_before_ms;
}

static JsonObject *
meeting_to_json (gpointer record,
		 const gchar * const *names)
{
	return mock_meeting_to_json (record, names);
}

const MockSearchKind mock_meeting_search = {
	meeting_properties,
	meeting_visible,
	meeting_to_json,
	meeting_default_properties,
	meeting_text_properties,
	NULL
};

void
mock_api_search (MockRequest *req,
		 const MockSearchKind *kind,
		 GPtrArray *records)
{
	static const gchar *known_members[] = {
		"filterGroups", "properties", "sorts", "limit", "after", "query", NULL
	};
	MockServer *mock = req->mock;
	g_autoptr(GPtrArray) groups = NULL, sorts = NULL, found = NULL;
	g_auto(GStrv) names = NULL;
	g_autoptr(GList) members = NULL;
	JsonArray *errors, *results;
	JsonObject *body, *answer;
	const gchar *query;
	gint64 limit, after, visible_before;
	GList *link;
	guint ii;

	if (!req->body) {
		mock_reply_invalid_body (req);
		return;
	}

	errors = json_array_new ();
	if (!JSON_NODE_HOLDS_OBJECT (req->body)) {
		mock_add_error_item (errors, "INVALID_TYPE", "", "body: must be a JSON object");
		mock_reply_error (req, SOUP_STATUS_BAD_REQUEST, "VALIDATION_ERROR", "Invalid input: body must be a JSON object", errors);
		return;
	}

	body = json_node_get_object (req->body);
	members = json_object_get_members (body);
	for (link = members; link; link = g_list_next (link)) {
		if (!g_strv_contains (known_members, link->data))
			mock_add_error_item (errors, "UNKNOWN_FIELD", link->data, "%s: unrecognized field \"%s\"",
				(const gchar *) link->data, (const gchar *) link->data);
	}

	groups = parse_filter_groups (json_object_get_member (body, "filterGroups"), kind, errors);
	sorts = parse_sorts (json_object_get_member (body, "sorts"), errors);
	names = get_properties (body, kind, errors);
	if (get_count (body, "limit", &limit, errors) && limit > SEARCH_MAX_LIMIT)
		mock_add_error_item (errors, "INVALID_VALUE", "limit", "limit: %" G_GINT64_FORMAT " is over the maximum of %d",
			limit, SEARCH_MAX_LIMIT);
	get_count (body, "after", &after, errors);
	query = mock_json_get_string (body, "query");

	if (json_array_get_length (errors)) {
		g_autofree gchar *joined = NULL, *message = NULL;
		guint jj;

		/* HubSpot's wording, for the one a client most likely hits */
		for (jj = 0; jj < json_array_get_length (errors); jj++) {
			JsonObject *item = json_array_get_object_element (errors, jj);

			if (g_strcmp0 (json_object_get_string_member (item, "code"), "TOO_MANY_FILTER_GROUPS") == 0)
				message = g_strdup_printf ("Too many filter groups: at most %d are allowed", SEARCH_MAX_GROUPS);
		}
		if (!message) {
			joined = e_hubspot_mock_schema_problems_to_string (errors);
			message = g_strdup_printf ("Invalid input: %s", joined);
		}
		mock_reply_error (req, SOUP_STATUS_BAD_REQUEST, "VALIDATION_ERROR", message, errors);
		return;
	}
	json_array_unref (errors);

	if (limit < 0)
		limit = SEARCH_DEFAULT_LIMIT;
	if (after < 0)
		after = 0;

	visible_before = mock->search_lag_ms ? mock_now_ms () - mock->search_lag_ms : G_MAXINT64;
	found = g_ptr_array_new ();
	for (ii = 0; ii < records->len; ii++) {
		gpointer record = g_ptr_array_index (records, ii);
		gboolean match = groups->len == 0;
		guint gg, ff;

		if (!kind->visible (record, visible_before))
			continue;

		for (gg = 0; !match && gg < groups->len; gg++) {
			GPtrArray *group = g_ptr_array_index (groups, gg);

			match = TRUE;
			for (ff = 0; match && ff < group->len; ff++)
				match = filter_matches (g_ptr_array_index (group, ff), kind, record);
		}

		if (match && matches_query (kind, record, query))
			g_ptr_array_add (found, record);
	}

	/* g_ptr_array_sort_with_data() is stable: ties stay in id order */
	if (sorts->len) {
		SortData data = { sorts, kind };

		g_ptr_array_sort_with_data (found, compare_records, &data);
	}

	answer = json_object_new ();
	results = json_array_new ();
	json_object_set_int_member (answer, "total", found->len);
	for (ii = after; ii < found->len && ii < after + limit; ii++)
		json_array_add_object_element (results,
			kind->to_json (g_ptr_array_index (found, ii), (const gchar * const *) names));
	json_object_set_array_member (answer, "results", results);

	if (limit > 0 && after + limit < found->len) {
		JsonObject *paging = json_object_new ();
		JsonObject *next = json_object_new ();
		g_autofree gchar *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, after + limit);

		json_object_set_string_member (next, "after", cursor);
		json_object_set_object_member (paging, "next", next);
		json_object_set_object_member (answer, "paging", paging);
	}

	mock_reply_object (req, SOUP_STATUS_OK, answer);
}
