/* e-hubspot-mock-schema-private.h: helpers shared by the schema files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every problem is one errors[] item {message, code, in}; the message
 * starts with the JSON path ("inputs[2].properties.email: ...").
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

G_GNUC_INTERNAL
void		schema_add_problem		(JsonArray *problems,
						 const gchar *code,
						 const gchar *path,
						 const gchar *format,
						 ...) G_GNUC_PRINTF (4, 5);
/* "a string", "an object", "null", ... for messages */
G_GNUC_INTERNAL
const gchar *	schema_node_type_name		(JsonNode *node);
G_GNUC_INTERNAL
gboolean	schema_node_is_string		(JsonNode *node);
G_GNUC_INTERNAL
gboolean	schema_node_is_integer		(JsonNode *node);
G_GNUC_INTERNAL
gboolean	schema_str_in			(const gchar *value,
						 const gchar **values);
/* UNKNOWN_FIELD for every member of @object outside @allowed */
G_GNUC_INTERNAL
void		schema_check_unknown_members	(JsonObject *object,
						 const gchar *path,
						 const gchar **allowed,
						 JsonArray *problems);
G_GNUC_INTERNAL
void		schema_check_enum_node		(JsonNode *node,
						 const gchar *path,
						 const gchar **values,
						 JsonArray *problems);
/* @parent.@member must be {"id": "<non-empty string>"} */
G_GNUC_INTERNAL
void		schema_check_object_id		(JsonObject *parent,
						 const gchar *member,
						 const gchar *path,
						 JsonArray *problems);
/* [{associationCategory, associationTypeId}], at least one */
G_GNUC_INTERNAL
void		schema_check_association_types	(JsonNode *node,
						 const gchar *path,
						 JsonArray *problems);
/* [{to: {id}, types: [...]}] as in object creates */
G_GNUC_INTERNAL
void		schema_check_associations	(JsonNode *node,
						 const gchar *path,
						 JsonArray *problems);
G_GNUC_INTERNAL
gboolean	schema_check_body_object	(JsonNode *body,
						 JsonArray *problems);
/* NULL (and @problems freed) when empty */
G_GNUC_INTERNAL
JsonArray *	schema_finish_problems		(JsonArray *problems);

G_END_DECLS
