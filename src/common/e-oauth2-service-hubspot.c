/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The service lives in every process that signs in or refreshes: the
 * source registry (it refreshes the tokens that backends ask for over
 * D-Bus), the calendar factory (EDS's in-process fallback), Evolution (its
 * sign-in window) and the tool.  docs/design.md, "Signing in". */

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "e-oauth2-service-hubspot.h"
#include "e-oauth2-service-hubspot-flow.h"
#include "e-source-hubspot.h"

#define AUTHORIZE_PATH "/oauth/authorize"
#define TOKEN_PATH "/oauth/2026-03/token"

/* 32 random bytes: a 43-character verifier (RFC 7636 asks 43 to 128). */
#define RANDOM_BYTES 32

typedef struct {
	gchar *state;
	gchar *verifier;
} PendingSignIn;

struct _EOAuth2ServiceHubSpot {
	EOAuth2ServiceBase parent;

	GMutex lock;
	GHashTable *strings;	/* the strings handed out (const gchar * answers), kept */
	GHashTable *pending;	/* source UID ~> PendingSignIn *: the sign-in under way */
};

static void e_oauth2_service_hubspot_interface_init (EOAuth2ServiceInterface *iface);

/* A static type: the tool registers it without a module, and EModule keeps
 * our modules resident, so no module ever unloads it. */
G_DEFINE_TYPE_WITH_CODE (EOAuth2ServiceHubSpot, e_oauth2_service_hubspot, E_TYPE_OAUTH2_SERVICE_BASE,
	G_IMPLEMENT_INTERFACE (E_TYPE_OAUTH2_SERVICE, e_oauth2_service_hubspot_interface_init))

static void
pending_sign_in_free (gpointer data)
{
	PendingSignIn *pending = data;

	if (pending) {
		g_free (pending->state);
		g_free (pending->verifier);
		g_free (pending);
	}
}

/* The answers of the EOAuth2Service getters are const: each distinct
 * string is kept for the service's life. */
static const gchar *
service_hubspot_intern (EOAuth2ServiceHubSpot *service,
			gchar *value) /* (transfer full) */
{
	const gchar *interned;

	if (!value)
		return NULL;

	g_mutex_lock (&service->lock);
	interned = g_hash_table_lookup (service->strings, value);
	if (interned) {
		g_free (value);
	} else {
		g_hash_table_add (service->strings, value);
		interned = value;
	}
	g_mutex_unlock (&service->lock);

	return interned;
}

static gchar *
service_hubspot_dup_setting (ESource *source,
			     gchar * (* dup) (ESourceHubSpot *extension))
{
	if (!source || !e_source_has_extension (source, E_SOURCE_EXTENSION_HUBSPOT))
		return NULL;

	return dup (e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT));
}

/* A URL without its trailing slashes, or NULL when it may not carry
 * secrets (https, or http to this machine only). */
static gchar *
service_hubspot_checked_base (gchar *url) /* (transfer full) */
{
	gsize len;

	if (!url || !e_source_hubspot_check_api_url (url, NULL)) {
		g_free (url);
		return NULL;
	}

	len = strlen (url);
	while (len > 0 && url[len - 1] == '/')
		url[--len] = '\0';

	return url;
}

static gboolean
service_hubspot_random (gchar **out_text)
{
	guint8 bytes[RANDOM_BYTES];
	gsize got = 0;

	while (got < sizeof (bytes)) {
		gssize n = getrandom (bytes + got, sizeof (bytes) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return FALSE;
		}
		got += n;
	}

	*out_text = e_oauth2_service_hubspot_flow_encode (bytes, sizeof (bytes));
	memset (bytes, 0, sizeof (bytes));

	return TRUE;
}

static gchar *
service_hubspot_client_secret_key (ESource *source)
{
	return g_strdup_printf ("OAuth2::%s::ClientSecret[%s]", E_OAUTH2_SERVICE_HUBSPOT_NAME, e_source_get_uid (source));
}

static const gchar *
service_hubspot_get_name (EOAuth2Service *service)
{
	return E_OAUTH2_SERVICE_HUBSPOT_NAME;
}

static const gchar *
service_hubspot_get_display_name (EOAuth2Service *service)
{
	/* Translators: the name of an OAuth 2 service, shown in the sign-in window. */
	return C_("OAuth2Service", "HubSpot");
}

static const gchar *
service_hubspot_get_client_id (EOAuth2Service *service,
			       ESource *source)
{
	gchar *client_id = service_hubspot_dup_setting (source, e_source_hubspot_dup_oauth_client_id);

	if (client_id && *client_id)
		return service_hubspot_intern (E_OAUTH2_SERVICE_HUBSPOT (service), client_id);

	g_free (client_id);

	return HUBSPOT_OAUTH_CLIENT_ID;
}

static const gchar *
service_hubspot_get_client_secret (EOAuth2Service *service,
				   ESource *source)
{
	g_autofree gchar *key = NULL;
	gchar *secret = NULL;
	g_autoptr(GError) error = NULL;

	/* The calendar's own secret goes with its own client id. */
	if (source) {
		key = service_hubspot_client_secret_key (source);
		if (!e_secret_store_lookup_sync (key, &secret, NULL, &error))
			g_debug ("%s: no client secret of the calendar’s own: %s", G_STRFUNC, error ? error->message : "?");
		if (secret && *secret)
			return service_hubspot_intern (E_OAUTH2_SERVICE_HUBSPOT (service), secret);
		g_free (secret);
	}

	return *HUBSPOT_OAUTH_CLIENT_SECRET ? HUBSPOT_OAUTH_CLIENT_SECRET : NULL;
}

/* {base}{path}, base from the calendar's setting; HubSpot's own when it
 * is unset, or when it would send the form (client secret, refresh
 * token) in clear to another machine. */
static const gchar *
service_hubspot_endpoint (EOAuth2Service *service,
			  ESource *source,
			  gchar * (* dup_base) (ESourceHubSpot *extension),
			  const gchar *default_uri,
			  const gchar *path)
{
	g_autofree gchar *base = service_hubspot_checked_base (service_hubspot_dup_setting (source, dup_base));

	if (!base)
		return default_uri;

	return service_hubspot_intern (E_OAUTH2_SERVICE_HUBSPOT (service), g_strconcat (base, path, NULL));
}

static const gchar *
service_hubspot_get_authentication_uri (EOAuth2Service *service,
					ESource *source)
{
	return service_hubspot_endpoint (service, source, e_source_hubspot_dup_auth_url,
		E_HUBSPOT_DEFAULT_AUTH_URL AUTHORIZE_PATH, AUTHORIZE_PATH);
}

static const gchar *
service_hubspot_get_refresh_uri (EOAuth2Service *service,
				 ESource *source)
{
	return service_hubspot_endpoint (service, source, e_source_hubspot_dup_api_url,
		E_HUBSPOT_DEFAULT_API_URL TOKEN_PATH, TOKEN_PATH);
}

static const gchar *
service_hubspot_get_redirect_uri (EOAuth2Service *service,
				  ESource *source)
{
	gchar *redirect_uri = service_hubspot_dup_setting (source, e_source_hubspot_dup_oauth_redirect_uri);

	if (redirect_uri && *redirect_uri)
		return service_hubspot_intern (E_OAUTH2_SERVICE_HUBSPOT (service), redirect_uri);

	g_free (redirect_uri);

	return HUBSPOT_OAUTH_REDIRECT_URI;
}

static void
service_hubspot_prepare_authentication_uri_query (EOAuth2Service *service,
						  ESource *source,
						  GHashTable *uri_query)
{
	EOAuth2ServiceHubSpot *self = E_OAUTH2_SERVICE_HUBSPOT (service);
	PendingSignIn *pending;
	gchar *challenge;

	g_return_if_fail (uri_query != NULL);

	pending = g_new0 (PendingSignIn, 1);
	if (!service_hubspot_random (&pending->state) || !service_hubspot_random (&pending->verifier)) {
		/* No randomness: no request that an attacker could predict. */
		g_warning ("%s: no random bytes: %s", G_STRFUNC, g_strerror (errno));
		pending_sign_in_free (pending);
		g_hash_table_remove_all (uri_query);
		return;
	}

	challenge = e_oauth2_service_hubspot_flow_challenge (pending->verifier);

	/* HubSpot knows no login_hint (EDS adds the [Authentication] user). */
	e_oauth2_service_util_set_to_form (uri_query, "login_hint", NULL);
	e_oauth2_service_util_set_to_form (uri_query, "scope", E_OAUTH2_SERVICE_HUBSPOT_SCOPE);
	e_oauth2_service_util_set_to_form (uri_query, "state", pending->state);
	e_oauth2_service_util_take_to_form (uri_query, "code_challenge", challenge);
	e_oauth2_service_util_set_to_form (uri_query, "code_challenge_method", "S256");

	/* A new sign-in of the calendar replaces the one before. */
	g_mutex_lock (&self->lock);
	g_hash_table_replace (self->pending, g_strdup (e_source_get_uid (source)), pending);
	g_mutex_unlock (&self->lock);
}

/* EDS's answers: FALSE while the page is not the redirect (the sign-in
 * goes on); TRUE with the code; TRUE without a code when the redirect
 * came without one (refused, an error, or not the answer to our request:
 * EDS's sign-in window then closes).  Callers check the code. */
static gboolean
service_hubspot_extract_authorization_code (EOAuth2Service *service,
					    ESource *source,
					    const gchar *page_title,
					    const gchar *page_uri,
					    const gchar *page_content,
					    gchar **out_authorization_code)
{
	EOAuth2ServiceHubSpot *self = E_OAUTH2_SERVICE_HUBSPOT (service);
	g_autofree gchar *state = NULL;
	g_autofree gchar *reason = NULL;
	EOAuth2HubSpotRedirect redirect;
	PendingSignIn *pending;

	g_return_val_if_fail (out_authorization_code != NULL, FALSE);

	*out_authorization_code = NULL;

	g_mutex_lock (&self->lock);
	pending = g_hash_table_lookup (self->pending, e_source_get_uid (source));
	state = pending ? g_strdup (pending->state) : NULL;
	g_mutex_unlock (&self->lock);

	redirect = e_oauth2_service_hubspot_flow_parse_redirect (page_uri,
		e_oauth2_service_get_redirect_uri (service, source), state, out_authorization_code, &reason);

	switch (redirect) {
	case E_OAUTH2_HUBSPOT_REDIRECT_NONE:
		return FALSE;
	case E_OAUTH2_HUBSPOT_REDIRECT_CODE:
		return TRUE;
	case E_OAUTH2_HUBSPOT_REDIRECT_DENIED:
	case E_OAUTH2_HUBSPOT_REDIRECT_ERROR:
		/* The reason is HubSpot's error name or ours: no secret in it. */
		g_debug ("%s: sign-in of '%s' ended without a code: %s", G_STRFUNC, e_source_get_uid (source), reason);
		break;
	}

	return TRUE;
}

static void
service_hubspot_prepare_get_token_form (EOAuth2Service *service,
					ESource *source,
					const gchar *authorization_code,
					GHashTable *form)
{
	EOAuth2ServiceHubSpot *self = E_OAUTH2_SERVICE_HUBSPOT (service);
	PendingSignIn *pending;

	/* The verifier goes once, with the code it was made for. */
	g_mutex_lock (&self->lock);
	pending = g_hash_table_lookup (self->pending, e_source_get_uid (source));
	if (pending && pending->verifier)
		e_oauth2_service_util_take_to_form (form, "code_verifier", g_steal_pointer (&pending->verifier));
	g_mutex_unlock (&self->lock);
}

static void
service_hubspot_finalize (GObject *object)
{
	EOAuth2ServiceHubSpot *self = E_OAUTH2_SERVICE_HUBSPOT (object);

	g_hash_table_destroy (self->strings);
	g_hash_table_destroy (self->pending);
	g_mutex_clear (&self->lock);

	G_OBJECT_CLASS (e_oauth2_service_hubspot_parent_class)->finalize (object);
}

static void
e_oauth2_service_hubspot_interface_init (EOAuth2ServiceInterface *iface)
{
	iface->get_name = service_hubspot_get_name;
	iface->get_display_name = service_hubspot_get_display_name;
	iface->get_client_id = service_hubspot_get_client_id;
	iface->get_client_secret = service_hubspot_get_client_secret;
	iface->get_authentication_uri = service_hubspot_get_authentication_uri;
	iface->get_refresh_uri = service_hubspot_get_refresh_uri;
	iface->get_redirect_uri = service_hubspot_get_redirect_uri;
	iface->prepare_authentication_uri_query = service_hubspot_prepare_authentication_uri_query;
	iface->extract_authorization_code = service_hubspot_extract_authorization_code;
	iface->prepare_get_token_form = service_hubspot_prepare_get_token_form;
}

static void
e_oauth2_service_hubspot_class_init (EOAuth2ServiceHubSpotClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);

	object_class->finalize = service_hubspot_finalize;
}

static void
e_oauth2_service_hubspot_init (EOAuth2ServiceHubSpot *self)
{
	g_mutex_init (&self->lock);
	self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_sign_in_free);
}

void
e_oauth2_service_hubspot_type_register (GTypeModule *type_module)
{
	/* The service reads the calendar's [HubSpot] settings. */
	e_source_hubspot_type_register ();
	g_type_ensure (E_TYPE_OAUTH2_SERVICE_HUBSPOT);
}

EOAuth2Service *
e_oauth2_service_hubspot_new (void)
{
	g_autoptr(EOAuth2Services) services = NULL;
	EOAuth2Service *service = NULL;
	GSList *list, *link;

	e_oauth2_service_hubspot_type_register (NULL);

	/* EOAuth2Services is a singleton that made one of ours when it was
	 * created after the type: that one serves, else a new one joins it. */
	services = e_oauth2_services_new ();
	list = e_oauth2_services_list (services);
	for (link = list; link && !service; link = link->next) {
		if (E_IS_OAUTH2_SERVICE_HUBSPOT (link->data))
			service = g_object_ref (link->data);
	}
	g_slist_free_full (list, g_object_unref);

	if (!service)
		service = g_object_new (E_TYPE_OAUTH2_SERVICE_HUBSPOT, "extensible", services, NULL);

	return service;
}

gboolean
e_oauth2_service_hubspot_store_client_secret_sync (ESource *source,
						   const gchar *secret,
						   GCancellable *cancellable,
						   GError **error)
{
	g_autofree gchar *key = NULL;
	g_autofree gchar *label = NULL;

	g_return_val_if_fail (E_IS_SOURCE (source), FALSE);

	key = service_hubspot_client_secret_key (source);
	if (!secret || !*secret)
		return e_secret_store_delete_sync (key, cancellable, error);

	label = g_strdup_printf ("HubSpot OAuth client secret - %s", e_source_get_display_name (source));

	return e_secret_store_store_sync (key, secret, label, TRUE, cancellable, error);
}
