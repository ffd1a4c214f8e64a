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
/* A record id: a non-empty string (@id NULL: missing) */
G_GNUC_INTERNAL
void		schema_check_id			(JsonNode *id,
						 const gchar *path,
						 JsonArray *problems);
/* @body.@name, when present, must be an array of property names */
G_GNUC_INTERNAL
void		schema_check_names		(JsonObject *body,
						 const gchar *name,
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
/* The inputs array of a batch call (1 to @max inputs, TOO_MANY_INPUTS
 * past that); NULL when it cannot be looked into */
G_GNUC_INTERNAL
JsonArray *	schema_check_inputs		(JsonObject *body,
						 guint max,
						 JsonArray *problems);
/* Checks one batch input, an object at @path ("inputs[2]") */
typedef void (*SchemaCheckInput) (JsonObject *input,
				  const gchar *path,
				  JsonArray *problems);
/* {inputs: [1 to @max objects]}, each checked by @check; the problems,
 * maybe empty (not finished) */
G_GNUC_INTERNAL
JsonArray *	schema_collect_batch_problems	(JsonNode *body,
						 guint max,
						 SchemaCheckInput check);
/* Inputs [{id, ...}] with @allowed members, each id a non-empty string */
G_GNUC_INTERNAL
void		schema_check_id_inputs		(JsonArray *inputs,
						 const gchar **allowed,
						 JsonArray *problems);
/* The members of a CRM meeting create or update (README.md, "API
 * endpoints"), at the top of @object: a body, or a batch input whose
 * problems the caller then prefixes; @members are the allowed ones */
G_GNUC_INTERNAL
void		schema_check_crm_meeting_create	(JsonObject *object,
						 const gchar **members,
						 JsonArray *problems);
G_GNUC_INTERNAL
void		schema_check_crm_meeting_update	(JsonObject *object,
						 const gchar **members,
						 JsonArray *problems);
/* NULL (and @problems freed) when empty */
G_GNUC_INTERNAL
JsonArray *	schema_finish_problems		(JsonArray *problems);

G_END_DECLS
