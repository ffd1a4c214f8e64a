/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The pure steps of a sign-in (docs/design.md, "Signing in"): the PKCE
 * challenge of a verifier, and what a page the authorization flow reached
 * says (the redirect with a code, a refusal, or not the redirect yet).
 * No I/O, no clock, no randomness: the caller brings the random bytes. */

#ifndef E_OAUTH2_SERVICE_HUBSPOT_FLOW_H
#define E_OAUTH2_SERVICE_HUBSPOT_FLOW_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	E_OAUTH2_HUBSPOT_REDIRECT_NONE,		/* not the redirect URI: the flow goes on */
	E_OAUTH2_HUBSPOT_REDIRECT_CODE,		/* a code, with the expected state */
	E_OAUTH2_HUBSPOT_REDIRECT_DENIED,	/* error=access_denied: the user said no */
	E_OAUTH2_HUBSPOT_REDIRECT_ERROR		/* another error, no code, or a wrong state */
} EOAuth2HubSpotRedirect;

/* base64url without padding (RFC 7636): verifiers and states are this of
 * random bytes. */
gchar *		e_oauth2_service_hubspot_flow_encode
						(const guint8 *bytes,
						 gsize n_bytes);
/* code_challenge for code_challenge_method=S256: BASE64URL(SHA256(verifier)). */
gchar *		e_oauth2_service_hubspot_flow_challenge
						(const gchar *verifier);
/* Reads page_uri against the redirect URI (same scheme, host, port and
 * path) and the state the authorization request carried.  out_code is
 * set for _CODE; out_error (nullable) gets HubSpot's error or a reason. */
EOAuth2HubSpotRedirect
		e_oauth2_service_hubspot_flow_parse_redirect
						(const gchar *page_uri,
						 const gchar *redirect_uri,
						 const gchar *expected_state,
						 gchar **out_code,
						 gchar **out_error);

G_END_DECLS

#endif /* E_OAUTH2_SERVICE_HUBSPOT_FLOW_H */
