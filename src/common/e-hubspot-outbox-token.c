/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The access token of a calendar signed in with HubSpot (docs/design.md,
 * "Signing in").  EDS keeps the tokens: e_source_get_oauth2_access_token ()
 * asks the source registry, which refreshes the access token with the
 * refresh token when it has less than 10 s to live.  The outbox asks on
 * its own thread, asynchronously, with no lock held: before the token
 * expires, and when HubSpot answers 401 to a request that carried the
 * current token.  Meanwhile nothing is sent, and the refused requests
 * wait in the queue: no event fails for an expired token. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"

#include "e-hubspot-outbox-private.h"

/* EDS refreshes a token only when it has at most 10 s left
 * (e-oauth2-service.c's TOKEN_VALIDITY_GAP_SECS): ask a little later
 * than that, so that the answer is a fresh token. */
#define EDS_REFRESH_GAP_S 10
#define RENEW_BEFORE_S 8
#define MAX_BACKOFF_S 60

void
outbox_token_clear (EHubSpotOutbox *outbox)
{
	g_clear_object (&outbox->oauth2_source);
	g_clear_error (&outbox->token_refusal);
	g_clear_pointer (&outbox->token_hash, g_free);
}

static gchar *
outbox_token_hash (const gchar *token)
{
	return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
outbox_token_ready_locked (EHubSpotOutbox *outbox,
			   gint64 now,
			   gint64 *inout_next_wakeup,
			   gboolean *out_ask)
{
	*out_ask = FALSE;

	if (!outbox->oauth2_source)
		return TRUE;

	if (outbox->paused_for_credentials || outbox->token_renewing)
		return FALSE;

	if (outbox->token_refused || !e_hubspot_connection_has_token (outbox->cnc) ||
	    (outbox->token_renew_at && now >= outbox->token_renew_at))
		outbox->token_wanted = TRUE;

	if (!outbox->token_wanted) {
		if (outbox->token_renew_at)
			*inout_next_wakeup = MIN (*inout_next_wakeup, outbox->token_renew_at);
		return TRUE;
	}

	if (outbox->token_not_before > now) {
		*inout_next_wakeup = MIN (*inout_next_wakeup, outbox->token_not_before);
		return FALSE;
	}

	outbox->token_renewing = TRUE;
	*out_ask = TRUE;

	return FALSE;
}

/* Signing in again is what helps, or nothing will: EDS says "sign in
 * again" with G_IO_ERROR_CONNECTION_REFUSED (the refresh token was
 * refused, or the access token expired and could not be refreshed), has
 * no token (G_IO_ERROR_NOT_FOUND), or the token endpoint refused the app. */
static gboolean
outbox_token_error_is_transient (const GError *error)
{
	if (error->domain == G_DBUS_ERROR || error->domain == G_RESOLVER_ERROR)
		return TRUE;

	if (error->domain == E_SOUP_SESSION_ERROR)
		return error->code >= 500 || error->code == 429;

	return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
		g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
		g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
		g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
		g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
		g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
		g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

static void
outbox_token_reject_locked (EHubSpotOutbox *outbox,
			    const GError *error)
{
	g_free (outbox->last_error);
	outbox->last_error = g_strdup (error->message);
	outbox->last_error_at = e_hubspot_clock_get_real (outbox->clock);

	/* The queue stays; the backend asks EDS for a new sign-in. */
	if (!outbox->paused_for_credentials && !outbox->notify_rejected)
		outbox->notify_rejected = g_error_copy (error);
	outbox->paused_for_credentials = TRUE;
	outbox->token_wanted = FALSE;
}

static void
outbox_token_done_cb (GObject *source_object,
		      GAsyncResult *result,
		      gpointer user_data)
{
	EHubSpotOutbox *outbox = user_data;
	g_autoptr(EHubSpotToken) token = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *hash = NULL;
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	gint64 lifetime_s;
	gint expires_in = 0;

	e_source_get_oauth2_access_token_finish (E_SOURCE (source_object), result, &token, &expires_in, &error);

	g_mutex_lock (&outbox->lock);
	outbox->token_renewing = FALSE;

	if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || source_object != (GObject *) outbox->oauth2_source) {
		/* Shutting down, or the calendar changed its credential meanwhile. */
	} else if (error || !token || !*token) {
		if (!error)
			error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("HubSpot gave no access token"));

		if (outbox_token_error_is_transient (error)) {
			gint64 delay_s = MIN ((gint64) 1 << MIN (outbox->token_attempts, 6), MAX_BACKOFF_S);

			outbox->token_attempts++;
			outbox->token_not_before = now + delay_s * G_USEC_PER_SEC;
			g_free (outbox->last_error);
			outbox->last_error = g_strdup (error->message);
			outbox->last_error_at = e_hubspot_clock_get_real (outbox->clock);
			g_debug ("%s: no access token (%s), asking again in %" G_GINT64_FORMAT " s", G_STRFUNC,
				error->message, delay_s);
		} else {
			outbox_token_reject_locked (outbox, error);
		}
	} else if (outbox->token_refused && (hash = outbox_token_hash (token)) &&
		   g_strcmp0 (hash, outbox->token_hash) == 0) {
		/* EDS handed back the token HubSpot refused. */
		if (outbox->token_expired && expires_in > EDS_REFRESH_GAP_S) {
			/* HubSpot's clock ends it sooner than EDS's: EDS refreshes
			 * it once inside its last 10 s. */
			outbox->token_not_before = now + (gint64) (expires_in - EDS_REFRESH_GAP_S + 1) * G_USEC_PER_SEC;
			g_debug ("%s: HubSpot says the token expired, EDS renews it in %d s", G_STRFUNC,
				expires_in - EDS_REFRESH_GAP_S + 1);
		} else {
			outbox_token_reject_locked (outbox, outbox->token_refusal);
		}
	} else {
		if (!hash)
			hash = outbox_token_hash (token);
		e_hubspot_connection_set_token (outbox->cnc, token);
		outbox->token_serial = e_hubspot_connection_get_token_serial (outbox->cnc);
		g_free (outbox->token_hash);
		outbox->token_hash = g_steal_pointer (&hash);
		outbox->token_wanted = FALSE;
		outbox->token_refused = FALSE;
		outbox->token_expired = FALSE;
		g_clear_error (&outbox->token_refusal);
		outbox->token_attempts = 0;
		outbox->token_not_before = 0;
		/* Renewed inside EDS's last 10 s, or halfway through a token
		 * that lives less than that. */
		lifetime_s = MAX (expires_in, 1);
		outbox->token_renew_at = now + (lifetime_s - MIN (RENEW_BEFORE_S, lifetime_s / 2)) * G_USEC_PER_SEC;
	}

	outbox_status_changed_locked (outbox);
	outbox_unlock_and_notify (outbox);

	if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		outbox_schedule_pump (outbox);
}

void
outbox_token_ask (EHubSpotOutbox *outbox)
{
	ESource *source;

	g_mutex_lock (&outbox->lock);
	source = outbox->oauth2_source ? g_object_ref (outbox->oauth2_source) : NULL;
	g_mutex_unlock (&outbox->lock);

	if (!source)
		return;

	/* The answer comes on this thread's context: the outbox's. */
	e_source_get_oauth2_access_token (source, outbox->cancellable, outbox_token_done_cb, outbox);
	g_object_unref (source);
}

void
outbox_token_request_ended_locked (EHubSpotOutbox *outbox,
				   const EHubSpotResponseInfo *info)
{
	if (info->status == 401)
		outbox->refused_serial = info->token_serial;
}

gboolean
outbox_token_refused_locked (EHubSpotOutbox *outbox,
			     const GError *error)
{
	if (!outbox->oauth2_source)
		return FALSE;

	/* A request that carried an older token: the current one is not in
	 * question; the request goes again with it. */
	if (outbox->refused_serial != outbox->token_serial || outbox->token_refused)
		return TRUE;

	outbox->token_refused = TRUE;
	outbox->token_expired = g_strcmp0 (e_hubspot_error_get_category (error), "EXPIRED_AUTHENTICATION") == 0;
	g_clear_error (&outbox->token_refusal);
	outbox->token_refusal = g_error_copy (error);
	g_debug ("%s: HubSpot refused the access token (%s)", G_STRFUNC,
		outbox->token_expired ? "expired" : "invalid");

	return TRUE;
}

void
e_hubspot_outbox_use_oauth2 (EHubSpotOutbox *outbox,
			     ESource *source,
			     gboolean renew)
{
	g_return_if_fail (E_IS_SOURCE (source));

	g_mutex_lock (&outbox->lock);
	if (outbox->oauth2_source != source) {
		g_clear_object (&outbox->oauth2_source);
		outbox->oauth2_source = g_object_ref (source);
		renew = TRUE;
	}
	/* The backend connects before every change it saves: only a new
	 * sign-in, or a first use, asks EDS before the token's time. */
	if (!renew) {
		g_mutex_unlock (&outbox->lock);
		return;
	}
	outbox->paused_for_credentials = FALSE;
	outbox->token_wanted = TRUE;
	outbox->token_refused = FALSE;
	outbox->token_expired = FALSE;
	outbox->token_not_before = 0;
	outbox->token_attempts = 0;
	outbox_status_changed_locked (outbox);
	g_mutex_unlock (&outbox->lock);

	outbox_schedule_pump (outbox);
}
