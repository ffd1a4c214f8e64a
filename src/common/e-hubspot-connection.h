/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One HubSpot account: a SoupSession, the bearer token, JSON in and out,
 * HubSpot's errors as EHubSpotError.  HUBSPOT_DEBUG=1 traces requests and
 * answers to stderr with the token redacted.
 *
 * A connection belongs to the thread (and thread-default main context)
 * that created it; only set_token() may be called from another thread. */

#ifndef E_HUBSPOT_CONNECTION_H
#define E_HUBSPOT_CONNECTION_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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
	guint token_serial;	/* which token the request carried (e_hubspot_connection_get_token_serial ()) */
} EHubSpotResponseInfo;

EHubSpotConnection *
		e_hubspot_connection_new	(const gchar *api_url,
						 guint max_in_flight,
						 GError **error);
void		e_hubspot_connection_set_token	(EHubSpotConnection *cnc,
						 const gchar *token);
gboolean	e_hubspot_connection_has_token	(EHubSpotConnection *cnc);
/* Counts the tokens set: a 401 for a request that carried an older token
 * than the current one says nothing about the current one. */
guint		e_hubspot_connection_get_token_serial
						(EHubSpotConnection *cnc);
void		e_hubspot_connection_set_timeout
						(EHubSpotConnection *cnc,
						 guint seconds);

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
 * be NULL.  Returns the answer's JSON (a null node for 204). */
void		e_hubspot_connection_request	(EHubSpotConnection *cnc,
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
						 const gchar *method,
						 const gchar *path_and_query,
						 JsonNode *body,
						 EHubSpotResponseInfo *out_info,
						 GCancellable *cancellable,
						 GError **error);

/* POST /scheduler/2026-03/meetings/calendar?organizerUserId=... */
void		e_hubspot_connection_create_meeting
						(EHubSpotConnection *cnc,
						 const gchar *organizer_user_id,
						 JsonNode *meeting,
						 GCancellable *cancellable,
						 GAsyncReadyCallback callback,
						 gpointer user_data);
#define e_hubspot_connection_create_meeting_finish e_hubspot_connection_request_finish

/* Reads the answer of GET /account-info/2026-03/details. */
gboolean	e_hubspot_connection_parse_account_info
						(JsonNode *node,
						 gchar **out_portal_id,
						 gchar **out_ui_domain,
						 GError **error);

/* GET /account-info/2026-03/details */
gboolean	e_hubspot_connection_get_account_info_sync
						(EHubSpotConnection *cnc,
						 gchar **out_portal_id,
						 gchar **out_ui_domain,
						 GCancellable *cancellable,
						 GError **error);

/* The path of GET /crm/owners/2026-03?email=..., the e-mail escaped. */
gchar *		e_hubspot_connection_owner_path	(const gchar *email);

/* Reads its answer: the owner id and the user id of the owner with that
 * e-mail, or E_HUBSPOT_ERROR_NOT_FOUND. */
gboolean	e_hubspot_connection_parse_owner
						(JsonNode *node,
						 const gchar *email,
						 gchar **out_owner_id,
						 gchar **out_user_id,
						 GError **error);

/* GET /crm/owners/2026-03?email=...: the owner id and the user id. */
gboolean	e_hubspot_connection_lookup_owner_sync
						(EHubSpotConnection *cnc,
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
