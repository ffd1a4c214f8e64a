/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One calendar's bearer token (a key, or an OAuth access token) and the
 * count of tokens it held: two calendars of one account share a
 * connection, not their credentials (docs/design.md, "Pacing and
 * retries").  Thread-safe: the outbox hands a new token over from any
 * thread while its requests read it.  A replaced or freed token is wiped. */

#ifndef E_HUBSPOT_CREDENTIAL_H
#define E_HUBSPOT_CREDENTIAL_H

#include <glib-object.h>

G_BEGIN_DECLS

#define E_TYPE_HUBSPOT_CREDENTIAL (e_hubspot_credential_get_type ())
G_DECLARE_FINAL_TYPE (EHubSpotCredential, e_hubspot_credential, E, HUBSPOT_CREDENTIAL, GObject)

EHubSpotCredential *
		e_hubspot_credential_new	(void);
/* Replaces the token (NULL or "": none) and counts it. */
void		e_hubspot_credential_set_token	(EHubSpotCredential *credential,
						 const gchar *token);
gboolean	e_hubspot_credential_has_token	(EHubSpotCredential *credential);
/* Counts the tokens set: a 401 for a request that carried an older token
 * than the current one says nothing about the current one. */
guint		e_hubspot_credential_get_serial	(EHubSpotCredential *credential);
/* The Authorization header's value ("Bearer ..."), or NULL without a
 * token, and the serial of that token; free it with e_hubspot_token_free (). */
gchar *		e_hubspot_credential_dup_authorization
						(EHubSpotCredential *credential,
						 guint *out_serial);

G_END_DECLS

#endif /* E_HUBSPOT_CREDENTIAL_H */
