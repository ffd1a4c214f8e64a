/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One HubSpot account in the process: the SoupSession, the account's rate
 * budget, one typed call per HubSpot call the project makes, JSON in and
 * out, HubSpot's errors as EHubSpotError (docs/design.md, "Pacing and
 * retries").  HUBSPOT_DEBUG=1 traces requests and answers to stderr with
 * the token redacted.
 *
 * The credential is the caller's: every request carries one, so calendars
 * signed in as different users share the account's connection.
 *
 * Requests may start on any thread whose thread-default main context
 * dispatches their callbacks (libsoup 3.2): the session is set up when
 * the connection is made and never changed after. */

#ifndef E_HUBSPOT_CONNECTION_H
#define E_HUBSPOT_CONNECTION_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "e-hubspot-batch.h"
#include "e-hubspot-budget.h"
#include "e-hubspot-clock.h"
#include "e-hubspot-credential.h"

G_BEGIN_DECLS

#define E_TYPE_HUBSPOT_CONNECTION (e_hubspot_connection_get_type ())
G_DECLARE_FINAL_TYPE (EHubSpotConnection, e_hubspot_connection, E, HUBSPOT_CONNECTION, GObject)

/* What the answer's headers said, beside the body. -1 = header absent. */
typedef struct {
	guint status;
	gint rate_max;
	gint rate_remaining;
	gint rate_interval_ms;
	gint daily_remaining;
	guint token_serial;	/* which token the request carried (e_hubspot_credential_get_serial ()) */
} EHubSpotResponseInfo;

/* A connection of its own (the tool, the dialog, tests): at most
 * max_in_flight requests at once, a budget for a key's limit. */
EHubSpotConnection *
		e_hubspot_connection_new	(const gchar *api_url,
						 guint max_in_flight,
						 GError **error);
/* The account's connection, shared by every caller in the process that
 * names the same API URL, account (its portal id, or anything naming it)
 * and kind of credential, made on first use; forgotten when the last
 * reference goes. */
EHubSpotConnection *
		e_hubspot_connection_ref_shared	(const gchar *api_url,
						 const gchar *account_key,
						 EHubSpotCredentialKind kind,
						 GError **error);
/* The account's rate budget, as long as the connection lives. */
EHubSpotBudget *
		e_hubspot_connection_get_budget	(EHubSpotConnection *cnc);
/* The account's batcher (e-hubspot-batcher.h), made on first use with
 * clock (the first caller's: the account's calendars share one), as long
 * as the connection lives. */
typedef struct _EHubSpotBatcher EHubSpotBatcher;
EHubSpotBatcher *
		e_hubspot_connection_get_batcher
						(EHubSpotConnection *cnc,
						 EHubSpotClock *clock);

/* The tests' seam (docs/design.md, "Testing the outbox without a bus"):
 * send gets each exchange instead of libsoup: method, the full URI, the
 * request's headers (Authorization included) and body (NULL when none).
 * It owns exchange and answers it once, later, from exchange's main
 * context (g_task_get_context ()), with
 * e_hubspot_connection_exchange_return () or _return_error () (a network
 * failure, a lost answer); a cancelled exchange ends by itself and its
 * answer is then dropped.  The connection reads the answer as libsoup's.
 * Set it before the first request. */
typedef void	(* EHubSpotTransportFunc)	(GTask *exchange,
						 const gchar *method,
						 const gchar *uri,
						 SoupMessageHeaders *request_headers,
						 GBytes *body,
						 GCancellable *cancellable,
						 gpointer user_data);
void		e_hubspot_connection_set_transport
						(EHubSpotConnection *cnc,
						 EHubSpotTransportFunc send,
						 gpointer user_data,
						 GDestroyNotify destroy);
/* response_headers and body may be NULL; both are borrowed. */
void		e_hubspot_connection_exchange_return
						(GTask *exchange,
						 guint status,
						 SoupMessageHeaders *response_headers,
						 GBytes *body);
void		e_hubspot_connection_exchange_return_error
						(GTask *exchange,
						 GError *error);

/* Generic JSON call: path_and_query is appended to the API URL; body may
 * be NULL; credential NULL sends no token.  Returns the answer's JSON (a
 * null node for 204).  The typed calls below are finished with
 * e_hubspot_connection_request_finish () too. */
void		e_hubspot_connection_request	(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *method,
						 const gchar *path_and_query,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
JsonNode *	e_hubspot_connection_request_finish
						(EHubSpotConnection *cnc,
						 GAsyncResult *result,
						 EHubSpotResponseInfo *out_info,
						 GError **error);
JsonNode *	e_hubspot_connection_request_sync
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *method,
						 const gchar *path_and_query,
						 JsonNode *body,
						 EHubSpotResponseInfo *out_info,
						 GCancellable *cancellable,
						 GError **error);

/* Meetings */

/* POST /scheduler/2026-03/meetings/calendar?organizerUserId=...: in the
 * organizer's calendar (a user id, not an owner id) */
void		e_hubspot_connection_create_meeting
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *organizer_user_id,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* POST /crm/objects/2026-03/meetings/batch/{create,update,archive,read}:
 * the batch's inputs (e-hubspot-batch.h), one request */
void		e_hubspot_connection_batch_meetings
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 EHubSpotBatch *batch,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* PATCH /crm/objects/2026-03/meetings/{id} */
void		e_hubspot_connection_update_meeting
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *meeting_id,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* DELETE /crm/objects/2026-03/meetings/{id} */
void		e_hubspot_connection_archive_meeting
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *meeting_id,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* POST /crm/objects/2026-03/meetings/search */
void		e_hubspot_connection_search_meetings
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* POST /crm/associations/2026-03/meetings/{contacts,companies}/batch/create;
 * association_type: E_HUBSPOT_ASSOCIATION_CONTACT or _COMPANY */
void		e_hubspot_connection_associate_meeting
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 gint association_type,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);

/* Owners and contacts */

/* GET /crm/owners/2026-03?email=...: read with e_hubspot_connection_parse_owner () */
void		e_hubspot_connection_lookup_owner
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *email,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* GET /crm/owners/2026-03?limit=100[&after=...]: one page (after NULL: the first) */
void		e_hubspot_connection_list_owners
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *after,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* POST /crm/objects/2026-03/contacts/batch/read */
void		e_hubspot_connection_read_contacts
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* POST /crm/objects/2026-03/contacts: one contact */
void		e_hubspot_connection_create_contact
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
/* POST /crm/associations/2026-03/contacts/companies/batch/read */
void		e_hubspot_connection_read_contact_companies
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 JsonNode *body,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);

/* The account */

/* GET /account-info/2026-03/details: read with
 * e_hubspot_connection_parse_account_info () */
void		e_hubspot_connection_get_account_info
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);

/* Reads the answer of get_account_info. */
gboolean	e_hubspot_connection_parse_account_info
						(JsonNode *node,
						 gchar **out_portal_id,
						 gchar **out_ui_domain,
						 GError **error);
/* Reads the answer of lookup_owner: the owner id and the user id of the
 * owner with that e-mail, or E_HUBSPOT_ERROR_NOT_FOUND. */
gboolean	e_hubspot_connection_parse_owner
						(JsonNode *node,
						 const gchar *email,
						 gchar **out_owner_id,
						 gchar **out_user_id,
						 GError **error);

/* The same two, blocking, for a thread of the tool or the dialog. */
gboolean	e_hubspot_connection_get_account_info_sync
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 gchar **out_portal_id,
						 gchar **out_ui_domain,
						 GCancellable *cancellable,
						 GError **error);
gboolean	e_hubspot_connection_lookup_owner_sync
						(EHubSpotConnection *cnc,
						 EHubSpotCredential *credential,
						 const gchar *email,
						 gchar **out_owner_id,
						 gchar **out_user_id,
						 GCancellable *cancellable,
						 GError **error);

/* Frees a token, its bytes wiped first: no copy lingers in freed memory. */
void		e_hubspot_token_free		(gchar *token);

/* g_autoptr(EHubSpotToken): a token string wiped when it goes out of scope. */
typedef gchar EHubSpotToken;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EHubSpotToken, e_hubspot_token_free)

G_END_DECLS

#endif /* E_HUBSPOT_CONNECTION_H */
