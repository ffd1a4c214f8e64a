/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The sender: a thread with its own main context and its own HubSpot
 * connection, which sends queued meetings asynchronously, several at a
 * time, retries what may succeed later and hands the outcomes back to the
 * backend.  The queue in memory mirrors the cache rows marked "pending";
 * the cache, not this queue, is what survives a crash. */

#ifndef E_CAL_BACKEND_HUBSPOT_OUTBOX_H
#define E_CAL_BACKEND_HUBSPOT_OUTBOX_H

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _EHubSpotOutbox EHubSpotOutbox;

typedef struct {
	gchar *uid;
	JsonNode *response;	/* HubSpot's answer, on success */
	GError *error;		/* why it failed for good, else NULL */
} EHubSpotOutboxResult;

/* Both are called on the sender thread, with the outbox's lock held:
 * they must only schedule work elsewhere. */
typedef struct {
	void	(* results_ready)	(gpointer user_data);
	void	(* credentials_rejected)(gpointer user_data,
					 const GError *error);
} EHubSpotOutboxCallbacks;

EHubSpotOutbox *e_hubspot_outbox_new		(const gchar *api_url,
						 guint max_in_flight,
						 const EHubSpotOutboxCallbacks *callbacks,
						 gpointer user_data,
						 GError **error);
void		e_hubspot_outbox_free		(EHubSpotOutbox *outbox);

void		e_hubspot_outbox_set_token	(EHubSpotOutbox *outbox,
						 const gchar *token);
gboolean	e_hubspot_outbox_has_token	(EHubSpotOutbox *outbox);
void		e_hubspot_outbox_set_organizer	(EHubSpotOutbox *outbox,
						 const gchar *user_id);

void		e_hubspot_outbox_enqueue	(EHubSpotOutbox *outbox,
						 const gchar *uid,
						 JsonNode *request);
gboolean	e_hubspot_outbox_cancel		(EHubSpotOutbox *outbox,
						 const gchar *uid);
void		e_hubspot_outbox_wake		(EHubSpotOutbox *outbox);

void		e_hubspot_outbox_set_account_info
						(EHubSpotOutbox *outbox,
						 const gchar *portal_id,
						 const gchar *ui_domain);
gboolean	e_hubspot_outbox_dup_account_info
						(EHubSpotOutbox *outbox,
						 gchar **out_portal_id,
						 gchar **out_ui_domain);

GPtrArray *	e_hubspot_outbox_steal_results	(EHubSpotOutbox *outbox);
gboolean	e_hubspot_outbox_is_idle	(EHubSpotOutbox *outbox);
guint		e_hubspot_outbox_count_queued	(EHubSpotOutbox *outbox);

void		e_hubspot_outbox_result_free	(gpointer result);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_OUTBOX_H */
