/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* JSON from outside, read with bounds (docs/design.md, "Hostile input"),
 * and HubSpot's error bodies made fit to show. */

#include <string.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-json.h"

static gchar *
nested_arrays (guint depth)
{
	GString *text = g_string_sized_new (depth * 2);
	guint ii;

	for (ii = 0; ii < depth; ii++)
		g_string_append_c (text, '[');
	for (ii = 0; ii < depth; ii++)
		g_string_append_c (text, ']');

	return g_string_free (text, FALSE);
}

static void
test_depth (void)
{
	const struct {
		const gchar *text;
		guint depth;
	} cases[] = {
		{ "", 0 },
		{ "42", 0 },
		{ "{}", 1 },
		{ "{\"a\":[1,{\"b\":[]}]}", 4 },
		/* Brackets inside strings, escaped quotes, do not count. */
		{ "{\"a\":\"[[[[{{{{\"}", 1 },
		{ "[\"\\\"[[[\",[]]", 2 },
		{ "[\"\\\\\",[[]]]", 3 },
		/* Counting stops where the top-level value ends, or at once
		 * when the text starts with none (it is refused anyway). */
		{ "[]]]][[[[", 1 },
		{ "x[[[", 0 },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++)
		g_assert_cmpuint (e_hubspot_json_get_depth (cases[ii].text, strlen (cases[ii].text), 100), ==, cases[ii].depth);

	/* It stops counting past the limit. */
	g_assert_cmpuint (e_hubspot_json_get_depth ("[[[[[[", 6, 3), ==, 4);
}

/* json-glib 1.6 overflows its stack near 100,000 levels: such an answer
 * is refused before the parser sees it. */
static void
test_parse_bounds (void)
{
	g_autofree gchar *at_limit = nested_arrays (E_HUBSPOT_JSON_MAX_DEPTH);
	g_autofree gchar *too_deep = nested_arrays (E_HUBSPOT_JSON_MAX_DEPTH + 1);
	g_autofree gchar *very_deep = nested_arrays (1000000);
	g_autoptr(GError) error = NULL;
	JsonNode *node;

	node = e_hubspot_json_parse (at_limit, strlen (at_limit), &error);
	g_assert_no_error (error);
	g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
	json_node_unref (node);

	g_assert_null (e_hubspot_json_parse (too_deep, strlen (too_deep), &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);

	g_assert_null (e_hubspot_json_parse (very_deep, strlen (very_deep), &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);

	g_assert_null (e_hubspot_json_parse ("", 0, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);

	g_assert_null (e_hubspot_json_parse ("{\"a\":", 5, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);

	/* More after the value (json-glib 1.6 leaks it): refused; white
	 * space after it is fine. */
	g_assert_null (e_hubspot_json_parse ("{\"a\":1}{\"b\":2}]", strlen ("{\"a\":1}{\"b\":2}]"), &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);
	g_assert_null (e_hubspot_json_parse ("[1] x", 5, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);
	/* A bare value, alone or followed by more (the fuzzers' leaks). */
	g_assert_null (e_hubspot_json_parse ("2{\"id\":\"1\"}", strlen ("2{\"id\":\"1\"}"), &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);
	g_assert_null (e_hubspot_json_parse ("\"text\"", 6, &error));
	g_assert_error (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_clear_error (&error);
	node = e_hubspot_json_parse ("{\"a\":\"}{\"}\r\n \t", strlen ("{\"a\":\"}{\"}\r\n \t"), &error);
	g_assert_no_error (error);
	g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
	json_node_unref (node);

	/* An error body nested too deep is no error body: the reason
	 * phrase speaks, and nothing crashes. */
	{
		g_autoptr(GError) answer = e_hubspot_error_new_from_response (502, "Bad Gateway",
			very_deep, strlen (very_deep), NULL);

		g_assert_nonnull (strstr (answer->message, "Bad Gateway"));
		g_assert_cmpuint (e_hubspot_error_get_status (answer), ==, 502);
	}
}

static void
test_dup_id (void)
{
	const struct {
		const gchar *json;
		const gchar *id;
	} cases[] = {
		{ "{\"id\":\"123\"}", "123" },
		{ "{\"id\":123}", "123" },
		/* A double above int64 that is a whole number. */
		{ "{\"id\":1e19}", "10000000000000000000" },
		/* Not 2^64 - 1: json-glib 1.6 wraps it to a negative int64
		 * (no id), 1.10 (Debian 13) clamps it to G_MAXINT64. */
		{ "{\"id\":12345.0}", "12345" },
		{ "{\"id\":12.5}", NULL },
		{ "{\"id\":0}", NULL },
		{ "{\"id\":-4}", NULL },
		/* Beyond 2^64: no id, and no undefined cast on the way. */
		{ "{\"id\":1e30}", NULL },
		{ "{\"id\":1e400}", NULL },
		{ "{\"id\":\"\"}", NULL },
		{ "{\"id\":null}", NULL },
		{ "{\"id\":[1]}", NULL },
		{ "[1]", NULL },
	};
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (cases); ii++) {
		g_autoptr(JsonNode) node = e_hubspot_json_parse (cases[ii].json, strlen (cases[ii].json), NULL);
		g_autofree gchar *id = NULL;

		if (!node) {
			/* 1e400 is no JSON json-glib reads; nothing to ask. */
			g_assert_null (cases[ii].id);
			continue;
		}

		id = e_hubspot_json_dup_id (node, "id");
		g_assert_cmpstr (id, ==, cases[ii].id);
	}
}

/* What a user reads is UTF-8 and of a sane length, whatever was sent. */
static void
test_error_readable (void)
{
	g_autoptr(GString) long_message = g_string_new ("{\"message\":\"");
	g_autoptr(GError) latin1 = NULL;
	g_autoptr(GError) huge = NULL;
	guint ii;

	latin1 = e_hubspot_error_new_from_response (503, "Service indisponible \xe9t\xe9", "<html>", 6, NULL);
	g_assert_true (g_utf8_validate (latin1->message, -1, NULL));
	g_assert_nonnull (strstr (latin1->message, "Service indisponible"));

	for (ii = 0; ii < 100000; ii++)
		g_string_append (long_message, "é");
	g_string_append (long_message, "\"}");
	huge = e_hubspot_error_new_from_response (400, "Bad Request", long_message->str, long_message->len, NULL);
	g_assert_true (g_utf8_validate (huge->message, -1, NULL));
	g_assert_cmpuint (g_utf8_strlen (huge->message, -1), <, 1200);
	g_assert_true (g_str_has_suffix (huge->message, "…"));
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/json/depth", test_depth);
	g_test_add_func ("/json/parse-bounds", test_parse_bounds);
	g_test_add_func ("/json/dup-id", test_dup_id);
	g_test_add_func ("/json/error-readable", test_error_readable);

	return g_test_run ();
}
