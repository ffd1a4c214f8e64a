/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "e-oauth2-service-hubspot-flow.h"

gchar *
e_oauth2_service_hubspot_flow_encode (const guint8 *bytes,
				      gsize n_bytes)
{
	gchar *text;
	gsize len;

	g_return_val_if_fail (bytes != NULL || n_bytes == 0, NULL);

	text = g_base64_encode (bytes, n_bytes);
	for (len = 0; text[len]; len++) {
		if (text[len] == '+')
			text[len] = '-';
		else if (text[len] == '/')
			text[len] = '_';
	}
	while (len > 0 && text[len - 1] == '=')
		text[--len] = '\0';

	return text;
}

gchar *
e_oauth2_service_hubspot_flow_challenge (const gchar *verifier)
{
	g_autoptr(GChecksum) checksum = NULL;
	guint8 digest[32];
	gsize digest_len = sizeof (digest);

	g_return_val_if_fail (verifier != NULL, NULL);

	checksum = g_checksum_new (G_CHECKSUM_SHA256);
	g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
	g_checksum_get_digest (checksum, digest, &digest_len);

	return e_oauth2_service_hubspot_flow_encode (digest, digest_len);
}

/* The same endpoint: scheme, host, port and path (the query is the answer). */
static gboolean
flow_same_endpoint (GUri *page,
		    GUri *redirect)
{
	const gchar *page_path = g_uri_get_path (page);
	const gchar *redirect_path = g_uri_get_path (redirect);

	if (!page_path || !*page_path)
		page_path = "/";
	if (!redirect_path || !*redirect_path)
		redirect_path = "/";

	return g_ascii_strcasecmp (g_uri_get_scheme (page), g_uri_get_scheme (redirect)) == 0 &&
		g_uri_get_host (page) && g_uri_get_host (redirect) &&
		g_ascii_strcasecmp (g_uri_get_host (page), g_uri_get_host (redirect)) == 0 &&
		g_uri_get_port (page) == g_uri_get_port (redirect) &&
		g_strcmp0 (page_path, redirect_path) == 0;
}

EOAuth2HubSpotRedirect
e_oauth2_service_hubspot_flow_parse_redirect (const gchar *page_uri,
					      const gchar *redirect_uri,
					      const gchar *expected_state,
					      gchar **out_code,
					      gchar **out_error)
{
	g_autoptr(GUri) page = NULL;
	g_autoptr(GUri) redirect = NULL;
	g_autoptr(GHashTable) params = NULL;
	const gchar *code, *error, *state;

	if (out_code)
		*out_code = NULL;
	if (out_error)
		*out_error = NULL;

	if (!page_uri || !redirect_uri)
		return E_OAUTH2_HUBSPOT_REDIRECT_NONE;

	page = g_uri_parse (page_uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
	redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
	if (!page || !redirect || !flow_same_endpoint (page, redirect))
		return E_OAUTH2_HUBSPOT_REDIRECT_NONE;

	if (g_uri_get_query (page))
		params = g_uri_parse_params (g_uri_get_query (page), -1, "&", G_URI_PARAMS_NONE, NULL);

	code = params ? g_hash_table_lookup (params, "code") : NULL;
	error = params ? g_hash_table_lookup (params, "error") : NULL;
	state = params ? g_hash_table_lookup (params, "state") : NULL;

	/* A redirect that is not the answer to our own request (another
	 * sign-in's, or forged) is refused, whatever it carries. */
	if (!expected_state || g_strcmp0 (state, expected_state) != 0) {
		if (out_error)
			*out_error = g_strdup ("state mismatch");
		return E_OAUTH2_HUBSPOT_REDIRECT_ERROR;
	}

	if (error && *error) {
		if (out_error)
			*out_error = g_strdup (error);
		return g_strcmp0 (error, "access_denied") == 0 ?
			E_OAUTH2_HUBSPOT_REDIRECT_DENIED : E_OAUTH2_HUBSPOT_REDIRECT_ERROR;
	}

	if (!code || !*code) {
		if (out_error)
			*out_error = g_strdup ("no code");
		return E_OAUTH2_HUBSPOT_REDIRECT_ERROR;
	}

	if (out_code)
		*out_code = g_strdup (code);

	return E_OAUTH2_HUBSPOT_REDIRECT_CODE;
}
