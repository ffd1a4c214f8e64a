/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* evolution-hubspot add --sign-in: OAuth 2 through a web browser and a
 * listener on 127.0.0.1 (the loopback flow of RFC 8252).  The service
 * (EOAuth2ServiceHubSpot) builds the address, checks HubSpot's answer and
 * keeps the token; this file only carries the answer from the browser to
 * it (docs/design.md, "Signing in from the tool and from Evolution"). */

#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "e-hubspot-tool-browser.h"
#include "e-hubspot-tool.h"

/* How long the browser may take to read the page that ends the sign-in. */
#define ANSWER_SECONDS 5

G_DEFINE_QUARK (e-hubspot-tool-sign-in-error-quark, e_hubspot_tool_sign_in_error)

typedef struct {
	gchar *redirect_uri;		/* where HubSpot sends the browser back */
	gchar *path;			/* ... its path */
	SoupServerMessage *answer;	/* HubSpot's redirect, paused */
	gchar *answer_uri;
	gboolean answered;		/* the page is written */
	gboolean timed_out;
	gboolean cancelled;
} Listener;

static void
listener_clear (Listener *listener)
{
	g_free (listener->redirect_uri);
	g_free (listener->path);
	g_clear_object (&listener->answer);
	g_free (listener->answer_uri);
}

static void
set_page (SoupServerMessage *msg,
	  guint status,
	  const gchar *title,
	  const gchar *text)
{
	g_autofree gchar *title_html = g_markup_escape_text (title, -1);
	g_autofree gchar *text_html = g_markup_escape_text (text, -1);
	g_autofree gchar *close_html = g_markup_escape_text (_("You can close this window and go back to the terminal."), -1);
	gchar *page;

	page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
		"<body><h1>%s</h1>\n<p>%s</p>\n<p>%s</p></body></html>\n",
		title_html, title_html, text_html, close_html);
	soup_server_message_set_status (msg, status, NULL);
	soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page, strlen (page));
}

static void
listener_handler_cb (SoupServer *server,
		     SoupServerMessage *msg,
		     const gchar *path,
		     GHashTable *query,
		     gpointer user_data)
{
	Listener *listener = user_data;
	const gchar *request_query;

	if (g_strcmp0 (path, listener->path) != 0) {
		soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}

	if (listener->answer || listener->answer_uri) {
		set_page (msg, SOUP_STATUS_OK, _("HubSpot sign-in"),
			_("This sign-in already has HubSpot’s answer."));
		return;
	}

	/* Answered once the code is exchanged, with the outcome. */
	listener->answer = g_object_ref (msg);
	/* The redirect URI as the service knows it (the browser may name
	 * this computer otherwise), with HubSpot's answer. */
	request_query = g_uri_get_query (soup_server_message_get_uri (msg));
	listener->answer_uri = g_strconcat (listener->redirect_uri, "?", request_query ? request_query : "", NULL);
	soup_server_message_pause (msg);
}

static void
answer_finished_cb (SoupServerMessage *msg,
		    gpointer user_data)
{
	Listener *listener = user_data;

	listener->answered = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
	*(gboolean *) user_data = TRUE;

	return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
	      gpointer user_data)
{
	Listener *listener = user_data;

	listener->cancelled = TRUE;
	g_main_context_wakeup (NULL);
}

/* $BROWSER's commands still to try.  Shared with the callbacks of the
 * commands started: a browser may end after the sign-in did. */
typedef struct {
	GPtrArray *commands;
	GSubprocessLauncher *launcher;
	gchar *url;
	gboolean done;		/* the sign-in is over: start no other */
} BrowserQueue;

static void
browser_queue_clear (gpointer ptr)
{
	BrowserQueue *queue = ptr;

	g_clear_pointer (&queue->commands, g_ptr_array_unref);
	g_clear_object (&queue->launcher);
	g_free (queue->url);
}

static void browser_try_next (BrowserQueue *queue);

static void
browser_exited_cb (GObject *source_object,
		   GAsyncResult *result,
		   gpointer user_data)
{
	BrowserQueue *queue = user_data;
	g_autoptr(GError) error = NULL;

	/* A command that fails lets the next one try, as xdg-open does. */
	if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source_object), result, &error) && !queue->done)
		browser_try_next (queue);

	g_rc_box_release_full (queue, browser_queue_clear);
}

static void
browser_try_next (BrowserQueue *queue)
{
	while (queue->commands->len) {
		gchar **argv = g_ptr_array_steal_index (queue->commands, 0);
		g_autoptr(GSubprocess) process = NULL;

		process = g_subprocess_launcher_spawnv (queue->launcher, (const gchar * const *) argv, NULL);
		g_strfreev (argv);
		if (!process)
			continue;

		/* The browser may outlive the sign-in: nothing waits for it. */
		g_subprocess_wait_check_async (process, NULL, browser_exited_cb, g_rc_box_acquire (queue));
		return;
	}

	g_printerr ("%s\n", _("None of the browsers in $BROWSER could be started: open the address above yourself."));
}

static BrowserQueue *
open_browser (const gchar *url)
{
	const gchar *browser = g_getenv ("BROWSER");
	g_autoptr(GError) error = NULL;
	BrowserQueue *queue;
	gint out_fd;

	if (!browser || !*browser) {
		if (!g_app_info_launch_default_for_uri (url, NULL, &error))
			e_hubspot_tool_print_error (_("Cannot open a web browser: open the address above yourself"), error);
		return NULL;
	}

	queue = g_rc_box_new0 (BrowserQueue);
	queue->commands = e_hubspot_tool_browser_commands (browser, url);
	queue->url = g_strdup (url);
	queue->launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
	/* Standard output is the new calendar's UID, for scripts. */
	out_fd = dup (STDERR_FILENO);
	if (out_fd >= 0)
		g_subprocess_launcher_take_stdout_fd (queue->launcher, out_fd);
	browser_try_next (queue);

	return queue;
}

static gboolean
is_loopback_host (const gchar *host)
{
	return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "localhost") == 0;
}

static gchar *
build_authorization_url (EOAuth2Service *service,
			 ESource *source,
			 gchar **out_state)
{
	g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	const gchar *base = e_oauth2_service_get_authentication_uri (service, source);
	g_autofree gchar *encoded = NULL;

	e_oauth2_service_prepare_authentication_uri_query (service, source, query);
	*out_state = g_strdup (g_hash_table_lookup (query, "state"));
	encoded = soup_form_encode_hash (query);

	return g_strconcat (base, strchr (base, '?') ? "&" : "?", encoded, NULL);
}

/* HubSpot's answer in the browser's address: a code, or why not. */
static gchar *
take_authorization_code (EOAuth2Service *service,
			 ESource *source,
			 const gchar *answer_uri,
			 const gchar *sent_state,
			 GError **error)
{
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GHashTable) params = NULL;
	gchar *code = NULL;
	const gchar *returned_error, *state;

	if (e_oauth2_service_extract_authorization_code (service, source, NULL, answer_uri, NULL, &code) && code)
		return code;
	g_free (code);

	/* Why the service refused it, to say so in words. */
	uri = g_uri_parse (answer_uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
	if (uri && g_uri_get_query (uri))
		params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
	returned_error = params ? g_hash_table_lookup (params, "error") : NULL;
	state = params ? g_hash_table_lookup (params, "state") : NULL;

	if (g_strcmp0 (state, sent_state) != 0)
		g_set_error_literal (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_STATE,
			_("The browser brought back an answer that does not belong to this sign-in (its “state” differs): nothing was saved. Try again."));
	else if (g_strcmp0 (returned_error, "access_denied") == 0)
		g_set_error_literal (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_DENIED,
			_("Access to HubSpot was not granted in the browser: nothing was saved."));
	else if (returned_error)
		/* Translators: %s is HubSpot's error code, e.g. invalid_scope */
		g_set_error (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_DENIED,
			_("HubSpot did not sign you in (%s): nothing was saved."), returned_error);
	else
		g_set_error_literal (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_STATE,
			_("HubSpot’s answer carried no authorization code: nothing was saved. Try again."));

	return NULL;
}

/* The token endpoint's refusal, without the code or any secret: HubSpot's
 * "message" (else "error_description") and correlation id from the body
 * EDS puts into the error's text, "Bad Request ({...})". */
static void
set_refused_error (const GError *soup_error,
		   GError **error)
{
	const gchar *json_start = strchr (soup_error->message, '(');
	g_autoptr(JsonParser) parser = json_parser_new ();
	const gchar *message = NULL, *correlation_id = NULL, *code = NULL;
	g_autofree gchar *body = NULL;

	if (json_start) {
		body = g_strdup (json_start + 1);
		if (*body && body[strlen (body) - 1] == ')')
			body[strlen (body) - 1] = '\0';
	}

	if (body && json_parser_load_from_data (parser, body, -1, NULL) &&
	    JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
		JsonObject *object = json_node_get_object (json_parser_get_root (parser));

		message = json_object_get_string_member_with_default (object, "message",
			json_object_get_string_member_with_default (object, "error_description", NULL));
		correlation_id = json_object_get_string_member_with_default (object, "correlationId", NULL);
		code = json_object_get_string_member_with_default (object, "error", NULL);
	}

	if (correlation_id)
		/* Translators: the first %s is HubSpot's error code (invalid_grant), the second its message, the third its id of the error */
		g_set_error (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_REFUSED,
			_("HubSpot refused the sign-in (%s): %s (correlation id %s). Nothing was saved; try again."),
			code ? code : "?", message ? message : "?", correlation_id);
	else
		/* Translators: the first %s is HubSpot's error code (invalid_grant), the second its message */
		g_set_error (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_REFUSED,
			_("HubSpot refused the sign-in (%s): %s. Nothing was saved; try again."),
			code ? code : "?", message ? message : soup_status_get_phrase (soup_error->code));
}

static ESource *
ref_source_cb (gpointer user_data,
	       const gchar *uid)
{
	/* Only asked for a proxy source; the new calendar has none. */
	return user_data ? e_source_registry_ref_source (user_data, uid) : NULL;
}

typedef struct {
	EOAuth2Service *service;
	ESource *source;
	ESourceRegistry *registry;
	gchar *code;
} Exchange;

static void
exchange_thread (GTask *task,
		 gpointer source_object,
		 gpointer task_data,
		 GCancellable *cancellable)
{
	Exchange *exchange = task_data;
	GError *local_error = NULL;

	if (e_oauth2_service_receive_and_store_token_sync (exchange->service, exchange->source, exchange->code,
							   ref_source_cb, exchange->registry, cancellable, &local_error)) {
		g_task_return_boolean (task, TRUE);
		return;
	}

	if (local_error && local_error->domain == E_SOUP_SESSION_ERROR &&
	    local_error->code >= 400 && local_error->code < 500) {
		GError *refused = NULL;

		set_refused_error (local_error, &refused);
		g_clear_error (&local_error);
		local_error = refused;
	} else if (!local_error) {
		/* EDS says nothing when the answer lacks a token. */
		local_error = g_error_new_literal (E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_BAD_ANSWER,
			_("HubSpot’s token service gave no usable token."));
	}

	/* The message is printed and shown in the browser: never the code,
	 * should a server echo it. */
	if (*exchange->code && strstr (local_error->message, exchange->code)) {
		g_auto(GStrv) parts = g_strsplit (local_error->message, exchange->code, -1);

		g_free (local_error->message);
		local_error->message = g_strjoinv ("…", parts);
	}
	g_task_return_error (task, local_error);
}

static void
exchange_free (gpointer ptr)
{
	Exchange *exchange = ptr;

	g_clear_object (&exchange->service);
	g_clear_object (&exchange->source);
	g_clear_object (&exchange->registry);
	if (exchange->code) {
		memset (exchange->code, 0, strlen (exchange->code));
		g_free (exchange->code);
	}
	g_free (exchange);
}

/**
 * e_hubspot_tool_run_in_thread_sync:
 * @func: what to run
 * @task_data: (transfer full): its data, freed with @task_data_free
 * @task_data_free: frees @task_data
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Runs @func in a thread while the default main context goes on (Ctrl-C
 * is a source there) and waits for its boolean result.
 *
 * Returns: @func's result
 */
gboolean
e_hubspot_tool_run_in_thread_sync (GTaskThreadFunc func,
				   gpointer task_data,
				   GDestroyNotify task_data_free,
				   GCancellable *cancellable,
				   GError **error)
{
	g_autoptr(GTask) task = NULL;

	task = g_task_new (NULL, cancellable, NULL, NULL);
	g_task_set_task_data (task, task_data, task_data_free);
	g_task_set_return_on_cancel (task, FALSE);
	g_task_run_in_thread (task, func);

	while (!g_task_get_completed (task))
		g_main_context_iteration (NULL, TRUE);

	return g_task_propagate_boolean (task, error);
}

static void
answer_browser (Listener *listener,
		const GError *error)
{
	gulong handler_id;
	guint timeout_id;
	gboolean late = FALSE;

	if (!listener->answer)
		return;

	if (error)
		set_page (listener->answer, SOUP_STATUS_OK, _("HubSpot sign-in failed"), error->message);
	else
		set_page (listener->answer, SOUP_STATUS_OK, _("Signed in to HubSpot"),
			_("evolution-hubspot now sets up your calendar."));

	handler_id = g_signal_connect (listener->answer, "finished", G_CALLBACK (answer_finished_cb), listener);
	soup_server_message_unpause (listener->answer);

	timeout_id = g_timeout_add_seconds (ANSWER_SECONDS, flag_cb, &late);
	while (!listener->answered && !late)
		g_main_context_iteration (NULL, TRUE);
	if (!late)
		g_source_remove (timeout_id);
	g_signal_handler_disconnect (listener->answer, handler_id);
}

/**
 * e_hubspot_tool_sign_in_sync:
 * @service: the HubSpot OAuth 2 service
 * @source: the new calendar, not yet saved: its [HubSpot] settings say
 *    where HubSpot is and which client and redirect URI to use
 * @registry: (nullable): the registry, for a proxy setting
 * @timeout_seconds: how long to wait for the browser's answer
 * @cancellable: (nullable): cancels the wait (Ctrl-C)
 * @error: return location for a #GError, or %NULL
 *
 * Opens HubSpot's authorization page in a browser, waits for HubSpot's
 * answer on the redirect URI (127.0.0.1; port 0 takes a free port and
 * writes the URI into @source's OAuthRedirectUri), and has the service
 * exchange the code and store the token in the keyring under @source.
 * Errors are %E_HUBSPOT_TOOL_SIGN_IN_ERROR, %G_IO_ERROR_CANCELLED, or
 * reaching HubSpot's.  Nothing is stored unless it succeeds, except
 * when the cancellation comes during the exchange itself: the caller
 * forgets the token then.
 *
 * Returns: whether the token is stored
 */
gboolean
e_hubspot_tool_sign_in_sync (EOAuth2Service *service,
			     ESource *source,
			     ESourceRegistry *registry,
			     guint timeout_seconds,
			     GCancellable *cancellable,
			     GError **error)
{
	Listener listener = { 0 };
	ESourceHubSpot *extension;
	g_autoptr(SoupServer) server = NULL;
	g_autoptr(GUri) redirect = NULL;
	g_autoptr(GInetAddress) loopback = NULL;
	g_autoptr(GSocketAddress) address = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *sent_state = NULL;
	g_autofree gchar *code = NULL;
	g_autoptr(GError) local_error = NULL;
	const gchar *redirect_uri;
	gulong cancelled_id = 0;
	guint timeout_id;
	BrowserQueue *browsers;
	gint port;
	gboolean success = FALSE;

	g_return_val_if_fail (E_IS_OAUTH2_SERVICE (service), FALSE);
	g_return_val_if_fail (E_IS_SOURCE (source), FALSE);

	redirect_uri = e_oauth2_service_get_redirect_uri (service, source);
	redirect = redirect_uri ? g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL) : NULL;
	if (!redirect || g_strcmp0 (g_uri_get_scheme (redirect), "http") != 0 ||
	    !is_loopback_host (g_uri_get_host (redirect))) {
		/* Translators: %s is the redirect URI given */
		g_set_error (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_LISTEN,
			_("The redirect URI “%s” is not an http address on this computer (127.0.0.1 or localhost)."),
			redirect_uri ? redirect_uri : "");
		return FALSE;
	}

	listener.path = g_strdup (*g_uri_get_path (redirect) ? g_uri_get_path (redirect) : "/");
	port = g_uri_get_port (redirect) > 0 ? g_uri_get_port (redirect) : (g_uri_get_port (redirect) == 0 ? 0 : 80);

	server = soup_server_new ("server-header", "evolution-hubspot ", NULL);
	soup_server_add_handler (server, NULL, listener_handler_cb, &listener, NULL);
	loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
	address = g_inet_socket_address_new (loopback, port);
	if (!soup_server_listen (server, address, 0, &local_error)) {
		/* Translators: the first %s is the redirect URI, the second why it cannot be used */
		g_set_error (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_LISTEN,
			_("Cannot wait for HubSpot’s answer at %s: %s"), redirect_uri, local_error->message);
		listener_clear (&listener);
		return FALSE;
	}

	if (port != 0) {
		listener.redirect_uri = g_strdup (redirect_uri);
	} else {
		GSList *uris = soup_server_get_uris (server);
		g_autofree gchar *chosen = NULL;

		port = uris ? g_uri_get_port (uris->data) : 0;
		g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
		chosen = g_strdup_printf ("http://%s:%d%s", g_uri_get_host (redirect), port, listener.path);
		listener.redirect_uri = g_strdup (chosen);

		/* The service reads the redirect URI from here, now and when
		 * it refreshes the token. */
		extension = e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
		e_source_hubspot_set_oauth_redirect_uri (extension, chosen);
	}

	url = build_authorization_url (service, source, &sent_state);

	g_printerr ("%s\n  %s\n", _("Sign in to HubSpot in your web browser. If no browser opens, open this address:"), url);
	browsers = open_browser (url);

	if (cancellable)
		cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), &listener, NULL);
	/* Not g_timeout_add_seconds (): it may fire up to a second early. */
	timeout_id = g_timeout_add ((guint) MIN ((guint64) timeout_seconds * 1000, G_MAXUINT), flag_cb, &listener.timed_out);

	while (!listener.answer_uri && !listener.timed_out && !listener.cancelled)
		g_main_context_iteration (NULL, TRUE);

	if (!listener.timed_out)
		g_source_remove (timeout_id);

	if (listener.cancelled) {
		g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
			_("Sign-in interrupted: nothing was saved."));
	} else if (!listener.answer_uri) {
		/* Translators: %u is a number of seconds */
		g_set_error (error, E_HUBSPOT_TOOL_SIGN_IN_ERROR, E_HUBSPOT_TOOL_SIGN_IN_ERROR_TIMEOUT,
			g_dngettext (GETTEXT_PACKAGE,
				"No answer came from the browser within %u second: nothing was saved. Run the command again to sign in.",
				"No answer came from the browser within %u seconds: nothing was saved. Run the command again to sign in.",
				timeout_seconds), timeout_seconds);
	} else if ((code = take_authorization_code (service, source, listener.answer_uri, sent_state, &local_error))) {
		Exchange *exchange = g_new0 (Exchange, 1);

		exchange->service = g_object_ref (service);
		exchange->source = g_object_ref (source);
		exchange->registry = registry ? g_object_ref (registry) : NULL;
		exchange->code = g_steal_pointer (&code);

		g_printerr ("%s\n", _("HubSpot answered; getting the token…"));
		success = e_hubspot_tool_run_in_thread_sync (exchange_thread, exchange, exchange_free,
			cancellable, &local_error);
		if (!success && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_clear_error (&local_error);
			g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
				_("Sign-in interrupted: nothing was saved."));
		}
		answer_browser (&listener, local_error);
		if (local_error)
			g_propagate_error (error, g_steal_pointer (&local_error));
	} else {
		answer_browser (&listener, local_error);
		g_propagate_error (error, g_steal_pointer (&local_error));
	}

	if (cancelled_id)
		g_cancellable_disconnect (cancellable, cancelled_id);
	if (browsers) {
		browsers->done = TRUE;
		g_rc_box_release_full (browsers, browser_queue_clear);
	}
	soup_server_disconnect (server);
	listener_clear (&listener);

	return success;
}
