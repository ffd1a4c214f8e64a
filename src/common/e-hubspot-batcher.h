/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The account's batch calls (docs/design.md, "Batch calls"): the
 * creates of ended meetings, the PATCHes and the archives of every
 * calendar of one account are gathered together, by kind and by token,
 * for a short, bounded time, and go in shared requests.  One per
 * account, owned by its EHubSpotConnection, with a thread and a main
 * context of its own; each request takes one place in the account's
 * budget.
 *
 * Each input is a GTask of its submitter: it ends on the submitter's
 * thread-default main context, never before the submitter's current
 * source returns, with the input's outcome. */

#ifndef E_HUBSPOT_BATCHER_H
#define E_HUBSPOT_BATCHER_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "e-hubspot-batch.h"
#include "e-hubspot-budget.h"
#include "e-hubspot-clock.h"
#include "e-hubspot-connection.h"
#include "e-hubspot-credential.h"

G_BEGIN_DECLS

/* At most this many requests of the batcher in flight at once (the
 * budget may allow fewer). */
#define E_HUBSPOT_BATCHER_MAX_IN_FLIGHT 4

/* An input waits for others while more of its kind and token keep
 * coming, each at most this long after the last, and never longer than
 * E_HUBSPOT_BATCHER_GATHER_MAX_MS after its first. */
#define E_HUBSPOT_BATCHER_GATHER_MS 200
#define E_HUBSPOT_BATCHER_GATHER_MAX_MS 2000

/* cnc is not referenced: it owns the batcher and calls
 * e_hubspot_batcher_shutdown () before it goes. */
EHubSpotBatcher *
		e_hubspot_batcher_new		(EHubSpotConnection *cnc,
						 EHubSpotBudget *budget,
						 EHubSpotClock *clock);
EHubSpotBatcher *
		e_hubspot_batcher_ref		(EHubSpotBatcher *batcher);
void		e_hubspot_batcher_unref		(EHubSpotBatcher *batcher);
/* Stops the thread (from any thread, its own included); what is left
 * ends cancelled. */
void		e_hubspot_batcher_shutdown	(EHubSpotBatcher *batcher);

/* Gathers input (taken: a create's body, a PATCH's body, NULL for an
 * archive) of kind (not READ), id the meeting it changes (NULL for a
 * create), to go with credential's token.  Returns a ticket for
 * e_hubspot_batcher_withdraw ().  The task ends once the input's outcome
 * is known, or at once (cancelled) when cancellable is cancelled or the
 * input withdrawn. */
guint		e_hubspot_batcher_submit	(EHubSpotBatcher *batcher,
						 EHubSpotCredential *credential,
						 EHubSpotBatchKind kind,
						 const gchar *id,
						 JsonNode *input,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* DONE: *out_meeting is HubSpot's meeting (NULL for an archive);
 * FAILED: error is HubSpot's error for this input, or the request's
 * (G_IO_ERROR_CANCELLED: withdrawn, cancelled, or never sent); UNKNOWN:
 * the answer says nothing of it.  out_info (may be NULL) is the
 * request's, with the serial of the submitter's token it carried; its
 * status is 0 when the input never went. */
EHubSpotBatchOutcome
		e_hubspot_batcher_submit_finish	(EHubSpotBatcher *batcher,
						 GAsyncResult *result,
						 JsonNode **out_meeting,
						 EHubSpotResponseInfo *out_info,
						 GError **error);
/* Takes the input back if it has not gone yet (TRUE: its task ends
 * cancelled); FALSE when it went, or is going: its outcome will come. */
gboolean	e_hubspot_batcher_withdraw	(EHubSpotBatcher *batcher,
						 guint ticket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EHubSpotBatcher, e_hubspot_batcher_unref)

G_END_DECLS

#endif /* E_HUBSPOT_BATCHER_H */
