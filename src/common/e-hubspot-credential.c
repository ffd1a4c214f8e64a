/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "e-hubspot-connection.h"
#include "e-hubspot-credential.h"

struct _EHubSpotCredential {
	GObject parent;

	/* A leaf (docs/design.md, "Locks"). */
	GMutex lock;
	gchar *token;
	guint serial;
};

G_DEFINE_TYPE (EHubSpotCredential, e_hubspot_credential, G_TYPE_OBJECT)

static void
hubspot_credential_finalize (GObject *object)
{
	EHubSpotCredential *credential = E_HUBSPOT_CREDENTIAL (object);

	e_hubspot_token_free (credential->token);
	g_mutex_clear (&credential->lock);

	G_OBJECT_CLASS (e_hubspot_credential_parent_class)->finalize (object);
}

static void
e_hubspot_credential_class_init (EHubSpotCredentialClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = hubspot_credential_finalize;
}

static void
e_hubspot_credential_init (EHubSpotCredential *credential)
{
	g_mutex_init (&credential->lock);
}

EHubSpotCredential *
e_hubspot_credential_new (void)
{
	return g_object_new (E_TYPE_HUBSPOT_CREDENTIAL, NULL);
}

void
e_hubspot_credential_set_token (EHubSpotCredential *credential,
				const gchar *token)
{
	g_return_if_fail (E_IS_HUBSPOT_CREDENTIAL (credential));

	g_mutex_lock (&credential->lock);
	e_hubspot_token_free (credential->token);
	credential->token = token && *token ? g_strstrip (g_strdup (token)) : NULL;
	credential->serial++;
	g_mutex_unlock (&credential->lock);
}

gboolean
e_hubspot_credential_has_token (EHubSpotCredential *credential)
{
	gboolean has_token;

	g_return_val_if_fail (E_IS_HUBSPOT_CREDENTIAL (credential), FALSE);

	g_mutex_lock (&credential->lock);
	has_token = credential->token != NULL;
	g_mutex_unlock (&credential->lock);

	return has_token;
}

guint
e_hubspot_credential_get_serial (EHubSpotCredential *credential)
{
	guint serial;

	g_return_val_if_fail (E_IS_HUBSPOT_CREDENTIAL (credential), 0);

	g_mutex_lock (&credential->lock);
	serial = credential->serial;
	g_mutex_unlock (&credential->lock);

	return serial;
}

gchar *
e_hubspot_credential_dup_authorization (EHubSpotCredential *credential,
					guint *out_serial)
{
	gchar *authorization = NULL;

	g_return_val_if_fail (E_IS_HUBSPOT_CREDENTIAL (credential), NULL);

	/* The token and its serial read together: a request's 401 is
	 * charged to the token it carried. */
	g_mutex_lock (&credential->lock);
	if (credential->token)
		authorization = g_strconcat ("Bearer ", credential->token, NULL);
	if (out_serial)
		*out_serial = credential->serial;
	g_mutex_unlock (&credential->lock);

	return authorization;
}
