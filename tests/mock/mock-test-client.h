/* mock-test-client.h: the HTTP tests of hubspot-mock run it and talk to it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MOCK_TEST_TOKEN "mock-token"

typedef struct _MockTestServer MockTestServer;

/* Starts $HUBSPOT_MOCK on a free port with @args (NULL-terminated, may be NULL) */
MockTestServer *mock_test_server_start		(const gchar * const *args);
void		mock_test_server_stop		(MockTestServer *server);

/* POST /__mock/reset and DELETE /__mock/faults: a clean state for each test */
void		mock_test_server_reset		(MockTestServer *server);

/* JSON texts given to these functions may quote with ' instead of " (so that
 * tests stay readable): every ' becomes " before use. */

/* One call; @body is JSON text or NULL; API calls carry the token.  Returns
 * the status; @out_answer gets the parsed answer (NULL when empty). */
guint		mock_test_call			(MockTestServer *server,
						 const gchar *method,
						 const gchar *path,
						 const gchar *body,
						 JsonNode **out_answer);
/* Same, for a call the mock should drop (a drop fault): TRUE when the
 * connection closed without an answer */
gboolean	mock_test_call_dropped		(MockTestServer *server,
						 const gchar *method,
						 const gchar *path,
						 const gchar *body);
/* Same as mock_test_call(), asserting @expected_status; returns the answer (transfer full) */
JsonNode *	mock_test_expect		(MockTestServer *server,
						 guint expected_status,
						 const gchar *method,
						 const gchar *path,
						 const gchar *body);

/* One request as given, for the OAuth tests: @token NULL sends no
 * Authorization; @content_type and @body (sent as they are, no quote swap)
 * may be NULL; redirects are not followed.  @out_headers gets the answer's
 * headers, names lower-case (transfer full, nullable), @out_body its text
 * (nullable).  Returns the status. */
guint		mock_test_request		(MockTestServer *server,
						 const gchar *method,
						 const gchar *path,
						 const gchar *token,
						 const gchar *content_type,
						 const gchar *body,
						 GHashTable **out_headers,
						 gchar **out_body);

/* Asserts that @actual is @expected (JSON text), where the string
 * "<time>" stands for an ISO 8601 UTC time with milliseconds
 * (YYYY-MM-DDTHH:MM:SS.mmmZ), "<uuid>" for a UUID and "<any>" for any
 * value.  Objects must have exactly the same members, arrays the same
 * elements in the same order. */
void		mock_test_assert_json		(JsonNode *actual,
						 const gchar *expected);

/* printf, for bodies and expectations */
gchar *		mock_test_printf		(const gchar *format,
						 ...) G_GNUC_PRINTF (1, 2);
/* @node as JSON text */
gchar *		mock_test_to_string		(JsonNode *node);

/* A member's string, at a '.'-separated path ("properties.email", "results.0.id") */
const gchar *	mock_test_get_string		(JsonNode *node,
						 const gchar *path);
JsonNode *	mock_test_get			(JsonNode *node,
						 const gchar *path);

/* YYYY-MM-DDTHH:MM:SS.mmmZ to epoch milliseconds; fails the test otherwise */
gint64		mock_test_parse_time		(const gchar *text);
gint64		mock_test_now_ms		(void);

/* The member @name of GET /__mock/stats */
gint64		mock_test_stat			(MockTestServer *server,
						 const gchar *name);

G_END_DECLS
