/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* HubSpot's batch calls on meetings: up to E_HUBSPOT_BATCH_MAX inputs in
 * one request, which counts as one against the rate limit
 * (docs/design.md, "Batch calls").  A batch is built input by input,
 * gives the request's path and body, and reads HubSpot's answer (200 or
 * 201 when every input succeeded, 207 when some failed) back into one
 * outcome per input.  Pure JSON: no I/O. */

#ifndef E_HUBSPOT_BATCH_H
#define E_HUBSPOT_BATCH_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* HubSpot's documented limit of inputs in one batch call */
#define E_HUBSPOT_BATCH_MAX 100

typedef enum {
	E_HUBSPOT_BATCH_CREATE,		/* CRM creates: {properties, associations} */
	E_HUBSPOT_BATCH_UPDATE,		/* PATCHes: {id, properties} */
	E_HUBSPOT_BATCH_ARCHIVE,	/* {id} */
	E_HUBSPOT_BATCH_READ		/* {id}, with the properties asked for */
} EHubSpotBatchKind;

typedef enum {
	E_HUBSPOT_BATCH_UNKNOWN,	/* the answer says nothing of this input: a
					 * create may have reached HubSpot unseen */
	E_HUBSPOT_BATCH_DONE,		/* the meeting (none for an archive) */
	E_HUBSPOT_BATCH_FAILED		/* HubSpot's error for this input */
} EHubSpotBatchOutcome;

typedef struct _EHubSpotBatch EHubSpotBatch;

/* properties: what a READ asks for (NULL for the other kinds). */
EHubSpotBatch *	e_hubspot_batch_new		(EHubSpotBatchKind kind,
						 const gchar * const *properties);
void		e_hubspot_batch_free		(EHubSpotBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EHubSpotBatch, e_hubspot_batch_free)

EHubSpotBatchKind
		e_hubspot_batch_get_kind	(EHubSpotBatch *batch);
guint		e_hubspot_batch_get_length	(EHubSpotBatch *batch);
gboolean	e_hubspot_batch_is_full		(EHubSpotBatch *batch);

/* Adds an input and returns its index.  CREATE: body is a CRM create
 * body, id NULL; UPDATE: the meeting's id and a PATCH body
 * ({properties}); ARCHIVE and READ: the id, body NULL.  A READ of an id
 * already in the batch returns that input's index; an UPDATE or ARCHIVE
 * of one returns G_MAXUINT, as does a full batch: the caller sends it in
 * the next batch (one meeting's changes stay in order). */
guint		e_hubspot_batch_add		(EHubSpotBatch *batch,
						 const gchar *id,
						 JsonNode *body);

/* The path of the call (E_HUBSPOT_CRM_MEETINGS_BATCH_PATH and the
 * kind's verb) and its body, {inputs: [...]}. */
const gchar *	e_hubspot_batch_get_path	(EHubSpotBatch *batch);
JsonNode *	e_hubspot_batch_build_body	(EHubSpotBatch *batch);

/* Reads a successful answer (a null node for an archive's 204).  Each
 * result and each error is given to the inputs it names: creates by the
 * objectWriteTraceId the body gave each input, else (a result that does
 * not carry it) by the meeting having everything an input's body sets
 * (e_hubspot_requests_meeting_matches ()); the others by id.  An input
 * no result or error names stays E_HUBSPOT_BATCH_UNKNOWN.  FALSE, with
 * E_HUBSPOT_ERROR_BAD_RESPONSE, when answer is not a batch answer: every
 * input then stays unknown. */
gboolean	e_hubspot_batch_read_answer	(EHubSpotBatch *batch,
						 JsonNode *answer,
						 GError **error);

/* After read_answer: the outcome of the input at index, with the
 * meeting HubSpot returned (borrowed; NULL for an archive) or its error
 * (borrowed: status from HubSpot's category, its message). */
EHubSpotBatchOutcome
		e_hubspot_batch_get_outcome	(EHubSpotBatch *batch,
						 guint index,
						 JsonNode **out_meeting,
						 const GError **out_error);
/* The id the input at index was added with (NULL for a create). */
const gchar *	e_hubspot_batch_get_id		(EHubSpotBatch *batch,
						 guint index);

G_END_DECLS

#endif /* E_HUBSPOT_BATCH_H */
