/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A "HubSpot" calendar: events live in ECalMetaBackend's local cache, and
 * every event becomes a HubSpot meeting through the outbox.
 *
 * The path of an event: save_component_sync() does no network; it marks
 * the event pending (or its meeting dirty), keeps the marked copy for
 * load_component_sync() (which ECalMetaBackend calls right after, to
 * store it), and hands the outbox the meeting the event should be.  The
 * outbox sends on its own thread; its answers are written back in one
 * custom operation on the backend's serial operation queue, so they never
 * race a user's edit.
 *
 * What survives a crash is the cache: each row's "extra" says pending,
 * dirty:<id>, synced:<id> or failed[:<id>], and removed events leave a
 * tombstone until their meeting is cancelled (e-cal-backend-hubspot-state.h).
 * When the backend connects it hands the outbox everything unsent again;
 * a pending create may have reached HubSpot before the crash, so the
 * outbox looks it up before creating it. */

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-mapping.h"
#include "common/e-hubspot-meeting-event.h"
#include "common/e-hubspot-recurrence.h"
#include "common/e-hubspot-tz.h"
#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"

#include "e-cal-backend-hubspot-private.h"
#include "e-cal-backend-hubspot-state.h"
#include "e-cal-backend-hubspot-sync.h"

#define STATUS_FILE "hubspot-status.json"


G_DEFINE_TYPE_WITH_PRIVATE (ECalBackendHubSpot, e_cal_backend_hubspot, E_TYPE_CAL_META_BACKEND)

ESourceHubSpot *
ecb_hubspot_get_extension (ECalBackendHubSpot *cbhs)
{
	ESource *source = e_backend_get_source (E_BACKEND (cbhs));

	return e_source_get_extension (source, E_SOURCE_EXTENSION_HUBSPOT);
}

static ICalTimezone *
ecb_hubspot_resolve_tzid (const gchar *tzid,
			  gpointer user_data)
{
	return e_timezone_cache_get_timezone (E_TIMEZONE_CACHE (user_data), tzid);
}

/* The calendar's zone: the Timezone setting (an old name by its current
 * one), else the system's. */
static ICalTimezone *
ecb_hubspot_calendar_zone (ESourceHubSpot *extension)
{
	g_autofree gchar *location = e_source_hubspot_dup_timezone (extension);
	ICalTimezone *zone = NULL;

	if (location)
		zone = e_hubspot_tz_get_builtin_zone (location);

	return zone ? zone : e_cal_util_get_system_timezone ();
}

gboolean
ecb_hubspot_mapping_init (ECalBackendHubSpot *cbhs,
			  ECalBackendHubSpotMapping *mapping,
			  GError **error)
{
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	EHubSpotMappingContext *context = &mapping->context;

	memset (mapping, 0, sizeof (ECalBackendHubSpotMapping));
	mapping->owner_id = e_source_hubspot_dup_owner_id (extension);
	mapping->user_id = e_source_hubspot_dup_user_id (extension);
	mapping->activity_type = e_source_hubspot_dup_activity_type (extension);
	mapping->email = e_source_hubspot_dup_email (extension);

	if (!mapping->owner_id || !mapping->user_id) {
		ecb_hubspot_mapping_clear (mapping);
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
			_("The calendar has no HubSpot owner: set OwnerId and UserId (the tool’s “add --email” finds them)"));
		return FALSE;
	}

	context->owner_id = mapping->owner_id;
	context->activity_type = mapping->activity_type;
	context->include_invite_description = e_source_hubspot_get_include_invite_description (extension);
	context->map_all_alarms = e_source_hubspot_get_map_all_alarms (extension);
	context->calendar_zone = ecb_hubspot_calendar_zone (extension);
	context->resolve_tzid = ecb_hubspot_resolve_tzid;
	context->resolve_tzid_data = cbhs;
	context->now = e_hubspot_mapping_now ();
	context->self_email = mapping->email;
	context->include_attendees = TRUE;

	return TRUE;
}

void
ecb_hubspot_mapping_clear (ECalBackendHubSpotMapping *mapping)
{
	g_clear_pointer (&mapping->owner_id, g_free);
	g_clear_pointer (&mapping->user_id, g_free);
	g_clear_pointer (&mapping->activity_type, g_free);
	g_clear_pointer (&mapping->email, g_free);
}

gboolean
ecb_hubspot_owner_awaited (ECalBackendHubSpot *cbhs,
			   const gchar *uid,
			   gboolean uncertain)
{
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	g_autofree gchar *owner_id = e_source_hubspot_dup_owner_id (extension);
	g_autofree gchar *user_id = e_source_hubspot_dup_user_id (extension);
	g_autofree gchar *email = e_source_hubspot_dup_email (extension);

	if ((owner_id && user_id) || !email || !*email)
		return FALSE;

	if (uid) {
		g_mutex_lock (&cbhs->priv->lock);
		if (!g_hash_table_contains (cbhs->priv->owner_waiting, uid) || uncertain)
			g_hash_table_replace (cbhs->priv->owner_waiting, g_strdup (uid), GINT_TO_POINTER (1 + (uncertain ? 1 : 0)));
		g_mutex_unlock (&cbhs->priv->lock);
	}

	return TRUE;
}

/* Maps one event with the calendar's current settings. */
static JsonNode *
ecb_hubspot_build_request (ECalBackendHubSpot *cbhs,
			   ICalComponent *vevent,
			   GError **error)
{
	ECalBackendHubSpotMapping mapping;
	JsonNode *request;

	if (!ecb_hubspot_mapping_init (cbhs, &mapping, error))
		return NULL;

	request = e_hubspot_mapping_build_meeting (vevent, &mapping.context, error);
	ecb_hubspot_mapping_clear (&mapping);

	return request;
}

/* The error a person reads: HubSpot's message and its correlation id,
 * which is what HubSpot's support asks for. */
gchar *
ecb_hubspot_describe_error (const GError *error)
{
	const gchar *correlation_id = e_hubspot_error_get_correlation_id (error);

	if (correlation_id)
		return g_strdup_printf (_("%s (correlation id %s)"), error->message, correlation_id);

	return g_strdup (error->message);
}

/* Before work goes to the outbox.  The factory drops a backend when its
 * last client leaves, right after a create maybe: keep it alive until
 * the work is sent. */
static void
ecb_hubspot_hold (ECalBackendHubSpot *cbhs)
{
	gboolean take;

	g_mutex_lock (&cbhs->priv->lock);
	take = !cbhs->priv->holds_self;
	cbhs->priv->holds_self = TRUE;
	cbhs->priv->handing++;
	g_mutex_unlock (&cbhs->priv->lock);

	if (take)
		g_object_ref (cbhs);
}

/* ...and once the outbox has it (or it was dropped). */
void
ecb_hubspot_handed (ECalBackendHubSpot *cbhs)
{
	g_mutex_lock (&cbhs->priv->lock);
	cbhs->priv->handing--;
	cbhs->priv->hand_serial++;
	g_mutex_unlock (&cbhs->priv->lock);
}

/* Tests widen the window between reading the backend's state and asking
 * the outbox whether it is idle, where HubSpot's answers race the release
 * (EVOLUTION_HUBSPOT_TEST_RELEASE_DELAY_MS, tests/integration/test-writeback.c:
 * with the locks nested there, as before, this deadlocked). */
static void
ecb_hubspot_test_delay (void)
{
	static gint delay_ms = -1;
	gint ms = g_atomic_int_get (&delay_ms);

	if (ms < 0) {
		const gchar *env = g_getenv ("EVOLUTION_HUBSPOT_TEST_RELEASE_DELAY_MS");

		ms = env ? (gint) CLAMP (g_ascii_strtoll (env, NULL, 10), 0, 1000) : 0;
		g_atomic_int_set (&delay_ms, ms);
	}

	if (ms > 0)
		g_usleep ((gulong) ms * 1000);
}

/* Never called on the outbox thread: dropping the last reference there
 * would make dispose join the thread it runs on.  The backend's lock and
 * the outbox's are never held together (docs/design.md, "Locks"): the
 * outbox is asked between two looks at the backend's state, and work
 * handed over meanwhile (hand_serial) keeps the reference. */
void
ecb_hubspot_release_if_idle (ECalBackendHubSpot *cbhs)
{
	EHubSpotOutbox *outbox;
	gboolean drop = FALSE;
	guint serial;

	g_mutex_lock (&cbhs->priv->lock);
	outbox = cbhs->priv->holds_self && !cbhs->priv->handing && !cbhs->priv->writeback_scheduled ?
		cbhs->priv->outbox : NULL;
	serial = cbhs->priv->hand_serial;
	g_mutex_unlock (&cbhs->priv->lock);

	ecb_hubspot_test_delay ();

	/* The reference held keeps the outbox (freed in dispose) alive. */
	if (!outbox || !e_hubspot_outbox_is_idle (outbox))
		return;

	g_mutex_lock (&cbhs->priv->lock);
	if (cbhs->priv->holds_self && !cbhs->priv->handing && !cbhs->priv->writeback_scheduled &&
	    cbhs->priv->hand_serial == serial) {
		cbhs->priv->holds_self = FALSE;
		drop = TRUE;
	}
	g_mutex_unlock (&cbhs->priv->lock);

	if (drop)
		g_object_unref (cbhs);
}

EHubSpotOutbox *
ecb_hubspot_get_outbox (ECalBackendHubSpot *cbhs)
{
	return cbhs->priv->outbox;
}

void
ecb_hubspot_hand_over (ECalBackendHubSpot *cbhs,
		       gboolean remove,
		       const gchar *key,
		       JsonNode *request,
		       const gchar *meeting_id,
		       gboolean uncertain)
{
	if (remove)
		e_hubspot_outbox_remove (cbhs->priv->outbox, key, request, meeting_id, uncertain);
	else
		e_hubspot_outbox_put (cbhs->priv->outbox, key, request, meeting_id, uncertain);
}

/* The outbox has work: keep the backend alive until it is done.  Inside
 * a client call of many events, the work waits for the call's commit. */
void
ecb_hubspot_put (ECalBackendHubSpot *cbhs,
		 const gchar *uid,
		 JsonNode *request,
		 const gchar *meeting_id,
		 gboolean uncertain)
{
	ecb_hubspot_hold (cbhs);
	if (ecb_hubspot_call_defer (cbhs, FALSE, uid, request, meeting_id, uncertain))
		return;
	ecb_hubspot_hand_over (cbhs, FALSE, uid, request, meeting_id, uncertain);
	ecb_hubspot_handed (cbhs);
}

void
ecb_hubspot_remove (ECalBackendHubSpot *cbhs,
		    const gchar *uid,
		    JsonNode *request,
		    const gchar *meeting_id,
		    gboolean uncertain)
{
	ecb_hubspot_hold (cbhs);
	if (ecb_hubspot_call_defer (cbhs, TRUE, uid, request, meeting_id, uncertain))
		return;
	ecb_hubspot_hand_over (cbhs, TRUE, uid, request, meeting_id, uncertain);
	ecb_hubspot_handed (cbhs);
}

/* Outbox callback, on the sender thread (never under the outbox's lock). */
static void
ecb_hubspot_results_ready_cb (gpointer user_data)
{
	ECalBackendHubSpot *cbhs = user_data;
	gboolean schedule;

	g_mutex_lock (&cbhs->priv->lock);
	schedule = !cbhs->priv->writeback_scheduled;
	cbhs->priv->writeback_scheduled = TRUE;
	g_mutex_unlock (&cbhs->priv->lock);

	if (schedule)
		e_cal_backend_schedule_custom_operation (E_CAL_BACKEND (cbhs), NULL,
			ecb_hubspot_write_back_op, NULL, NULL);
}

/* Outbox callback, on the sender thread: a refresh's fetch is done; the
 * refresh that applies it is scheduled now, or, when one still runs
 * (ECalMetaBackend then drops the request), once it completed. */
static void
ecb_hubspot_fetch_ready_cb (gpointer user_data)
{
	e_cal_meta_backend_schedule_refresh (E_CAL_META_BACKEND (user_data));
}

/* A refresh ended: the one that applies a finished fetch, or that starts
 * the fetch a user's Refresh asked for (ECalMetaBackend drops a request
 * made while a refresh runs), comes next. */
static void
ecb_hubspot_refresh_completed_cb (ECalMetaBackend *meta_backend,
				  gpointer user_data)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);
	EHubSpotOutboxFetchState state;
	gboolean wanted;

	if (!cbhs->priv->outbox)
		return;

	state = e_hubspot_outbox_get_fetch_state (cbhs->priv->outbox);
	g_mutex_lock (&cbhs->priv->lock);
	wanted = cbhs->priv->refresh_wanted;
	g_mutex_unlock (&cbhs->priv->lock);

	if (state == E_HUBSPOT_OUTBOX_FETCH_DONE || (wanted && state == E_HUBSPOT_OUTBOX_FETCH_NONE))
		e_cal_meta_backend_schedule_refresh (meta_backend);
}

/* A client's Refresh (Evolution's button, e_client_refresh ()):
 * remembered, so that a fetch starts after it even when ECalMetaBackend
 * drops the request because a refresh runs. */
static void
ecb_hubspot_refresh_sync (ECalBackendSync *sync_backend,
			  EDataCal *cal,
			  GCancellable *cancellable,
			  GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (sync_backend);

	g_mutex_lock (&cbhs->priv->lock);
	cbhs->priv->refresh_wanted = TRUE;
	g_mutex_unlock (&cbhs->priv->lock);

	E_CAL_BACKEND_SYNC_CLASS (e_cal_backend_hubspot_parent_class)->refresh_sync (sync_backend, cal, cancellable, error);
}

static gchar *
ecb_hubspot_hash_token (const gchar *token)
{
	return token ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1) : NULL;
}

/* Signed in with HubSpot ([Authentication] Method=HubSpot), or a bearer
 * key handed over as the password. */
static gboolean
ecb_hubspot_uses_oauth2 (ECalBackendHubSpot *cbhs)
{
	ESource *source = e_backend_get_source (E_BACKEND (cbhs));
	g_autofree gchar *method = NULL;

	if (!e_source_has_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION))
		return FALSE;

	method = e_source_authentication_dup_method (e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION));

	return g_strcmp0 (method, E_OAUTH2_SERVICE_HUBSPOT_NAME) == 0;
}

/* Outbox callback, on the sender thread (never under the outbox's lock):
 * HubSpot said 401 to a key, or EDS has no token for a sign-in. */
static void
ecb_hubspot_credentials_rejected_cb (gpointer user_data,
				     const GError *error)
{
	ECalBackendHubSpot *cbhs = user_data;
	gboolean oauth2 = ecb_hubspot_uses_oauth2 (cbhs);

	g_mutex_lock (&cbhs->priv->lock);
	g_free (cbhs->priv->rejected_token_hash);
	cbhs->priv->rejected_token_hash = g_strdup (cbhs->priv->token_hash);
	if (oauth2) {
		cbhs->priv->oauth2_rejected = TRUE;
		cbhs->priv->oauth2_reconnect = FALSE;
	}
	g_mutex_unlock (&cbhs->priv->lock);

	e_backend_schedule_credentials_required (E_BACKEND (cbhs), E_SOURCE_CREDENTIALS_REASON_REJECTED,
		NULL, 0, error, NULL, G_STRFUNC);
}

static void
ecb_hubspot_recover_row_cb (ICalComponent *vevent,
			    EHubSpotRowState state,
			    const gchar *meeting_id,
			    gpointer user_data);

typedef struct {
	ECalBackendHubSpot *cbhs;
	GHashTable *waiting;	/* uid ~> 1 + uncertain */
} OwnerKnownData;

/* Each event that waited for the owner (docs/design.md, "Signing in"),
 * handed over now that it maps: those saved meanwhile were never sent;
 * those found pending after a restart may have been. */
static void
ecb_hubspot_owner_row_cb (ICalComponent *vevent,
			  EHubSpotRowState state,
			  const gchar *meeting_id,
			  gpointer user_data)
{
	OwnerKnownData *data = user_data;
	const gchar *uid = i_cal_component_get_uid (vevent);
	gpointer value = uid ? g_hash_table_lookup (data->waiting, uid) : NULL;

	if (!value)
		return;

	if (GPOINTER_TO_INT (value) > 1)
		ecb_hubspot_recover_row_cb (vevent, state, meeting_id, data->cbhs);
	else
		ecb_hubspot_series_put (data->cbhs, vevent, NULL, meeting_id, NULL, FALSE, FALSE, NULL, NULL);
}

/* A custom operation (the cache is read on the backend's queue, with no
 * network): the owner is known, what waited for it goes. */
static void
ecb_hubspot_owner_known_op (ECalBackend *cal_backend,
			    gpointer user_data,
			    GCancellable *cancellable,
			    GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (cal_backend);
	ECalCache *cal_cache;
	OwnerKnownData data = { cbhs, NULL };
	g_autoptr(GError) local_error = NULL;

	g_mutex_lock (&cbhs->priv->lock);
	data.waiting = g_steal_pointer (&cbhs->priv->owner_waiting);
	cbhs->priv->owner_waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_mutex_unlock (&cbhs->priv->lock);

	if (!cbhs->priv->outbox || !g_hash_table_size (data.waiting)) {
		g_hash_table_unref (data.waiting);
		return;
	}

	cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));
	if (!e_hubspot_row_foreach_unsent (cal_cache, ecb_hubspot_owner_row_cb, &data, cancellable, &local_error))
		g_warning ("%s: cannot read the waiting events: %s", G_STRFUNC, local_error ? local_error->message : "?");
	g_object_unref (cal_cache);
	g_hash_table_unref (data.waiting);

	ecb_hubspot_release_if_idle (cbhs);
}

/* A custom operation: HubSpot has no owner with the calendar's Email;
 * the events wait until it is changed. */
static void
ecb_hubspot_owner_unknown_op (ECalBackend *cal_backend,
			      gpointer user_data,
			      GCancellable *cancellable,
			      GError **error)
{
	e_cal_backend_notify_error (cal_backend, user_data);
}

static void
ecb_hubspot_source_written_cb (GObject *source_object,
			       GAsyncResult *result,
			       gpointer user_data)
{
	g_autoptr(GError) local_error = NULL;

	if (!e_source_write_finish (E_SOURCE (source_object), result, &local_error))
		g_debug ("%s: cannot store the owner: %s", G_STRFUNC, local_error->message);
}

/* Outbox callback, on the sender thread (never under the outbox's lock):
 * the calendar's owner was looked up by its Email (docs/design.md,
 * "Signing in").  The calendar keeps it, written without waiting for the
 * registry, and the waiting events are handed over on the backend's
 * queue. */
static void
ecb_hubspot_owner_found_cb (gpointer user_data,
			    const gchar *owner_id,
			    const gchar *user_id,
			    const GError *error)
{
	ECalBackendHubSpot *cbhs = user_data;
	ESource *source = e_backend_get_source (E_BACKEND (cbhs));
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);

	if (error) {
		g_autofree gchar *described = ecb_hubspot_describe_error (error);
		gchar *message = g_strdup_printf (
			_("The calendar’s e-mail address is not a HubSpot user of this account, so its events wait: %s"),
			described);

		e_cal_backend_schedule_custom_operation (E_CAL_BACKEND (cbhs), NULL,
			ecb_hubspot_owner_unknown_op, message, g_free);
		return;
	}

	e_source_hubspot_set_owner_id (extension, owner_id);
	e_source_hubspot_set_user_id (extension, user_id);
	e_source_write (source, NULL, ecb_hubspot_source_written_cb, NULL);

	e_cal_backend_schedule_custom_operation (E_CAL_BACKEND (cbhs), NULL,
		ecb_hubspot_owner_known_op, NULL, NULL);
}

/* The user may have set another Email while the owner is unknown: look
 * it up (the outbox asks again only when the e-mail changed).  Called
 * on every change of the source (ecb_hubspot_source_changed_cb). */
static void
ecb_hubspot_follow_owner_email (ECalBackendHubSpot *cbhs)
{
	g_autofree gchar *email = NULL;
	EHubSpotOutbox *outbox;

	g_mutex_lock (&cbhs->priv->lock);
	outbox = cbhs->priv->outbox;
	g_mutex_unlock (&cbhs->priv->lock);

	if (!outbox || !ecb_hubspot_owner_awaited (cbhs, NULL, FALSE))
		return;

	email = e_source_hubspot_dup_email (ecb_hubspot_get_extension (cbhs));
	e_hubspot_outbox_set_owner_email (outbox, email);
}

/* Creates the outbox the first time the backend connects. */
static gboolean
ecb_hubspot_ensure_outbox (ECalBackendHubSpot *cbhs,
			   GError **error)
{
	static const EHubSpotOutboxCallbacks callbacks = {
		ecb_hubspot_results_ready_cb,
		ecb_hubspot_credentials_rejected_cb,
		ecb_hubspot_fetch_ready_cb,
		ecb_hubspot_owner_found_cb
	};
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	g_autofree gchar *api_url = e_source_hubspot_dup_api_url (extension);
	g_autofree gchar *owner_id = e_source_hubspot_dup_owner_id (extension);
	g_autofree gchar *user_id = e_source_hubspot_dup_user_id (extension);
	g_autofree gchar *portal_id = e_source_hubspot_dup_portal_id (extension);
	g_autofree gchar *ui_domain = e_source_hubspot_dup_ui_domain (extension);
	g_autofree gchar *email = e_source_hubspot_dup_email (extension);
	g_autofree gchar *status_file = NULL;
	g_autoptr(EHubSpotConnection) cnc = NULL;
	EHubSpotOutboxSettings settings = { 0, };
	EHubSpotOutbox *outbox;
	gboolean oauth2;

	if (cbhs->priv->outbox)
		return TRUE;

	/* One account, one connection and rate budget: calendars of the same
	 * portal share them; until the portal is known (add and Evolution's
	 * dialog store it), the calendar counts as an account of its own.
	 * An OAuth app's requests count apart from a key's. */
	oauth2 = ecb_hubspot_uses_oauth2 (cbhs);
	cnc = e_hubspot_connection_ref_shared (api_url,
		portal_id && *portal_id ? portal_id : e_source_get_uid (e_backend_get_source (E_BACKEND (cbhs))),
		oauth2 ? E_HUBSPOT_CREDENTIAL_OAUTH : E_HUBSPOT_CREDENTIAL_KEY, error);
	if (!cnc)
		return FALSE;

	status_file = g_build_filename (e_cal_backend_get_cache_dir (E_CAL_BACKEND (cbhs)), STATUS_FILE, NULL);
	settings.api_url = api_url;
	settings.connection = cnc;
	settings.owner_id = owner_id;
	settings.organizer_user_id = user_id;
	/* A calendar made by Evolution's dialog has only an Email: the outbox
	 * looks its owner up first (docs/design.md, "Signing in"). */
	settings.owner_email = email;
	settings.max_in_flight = e_source_hubspot_get_max_in_flight (extension);
	settings.lookup_delay_ms = e_source_hubspot_get_lookup_delay (extension) * 1000;
	settings.archive_on_remove = e_source_hubspot_get_archive_on_remove (extension);
	settings.create_contacts = e_source_hubspot_get_create_contacts (extension);
	settings.associate_companies = e_source_hubspot_get_associate_companies (extension);
	settings.status_file = status_file;
	settings.oauth2_source = oauth2 ? e_backend_get_source (E_BACKEND (cbhs)) : NULL;

	outbox = e_hubspot_outbox_new (&settings, &callbacks, cbhs, error);
	if (!outbox)
		return FALSE;

	e_hubspot_outbox_set_account_info (outbox, portal_id, ui_domain);
	e_hubspot_outbox_set_online (outbox, e_backend_get_online (E_BACKEND (cbhs)));

	g_mutex_lock (&cbhs->priv->lock);
	cbhs->priv->outbox = outbox;
	g_mutex_unlock (&cbhs->priv->lock);

	return TRUE;
}

static void
ecb_hubspot_recover_row_cb (ICalComponent *vevent,
			    EHubSpotRowState state,
			    const gchar *meeting_id,
			    gpointer user_data)
{
	ECalBackendHubSpot *cbhs = user_data;
	gboolean uncertain = state == E_HUBSPOT_ROW_PENDING;

	/* A pending create may have reached HubSpot just before the crash
	 * (what has a meeting is certain); without an owner yet, the event
	 * waits for it, looked up by e-mail. */
	if (!ecb_hubspot_series_put (cbhs, vevent, NULL, meeting_id, NULL, uncertain, FALSE, NULL, NULL))
		ecb_hubspot_owner_awaited (cbhs, i_cal_component_get_uid (vevent), uncertain);
}

static void
ecb_hubspot_recover_tombstone_cb (const gchar *uid,
				  const gchar *meeting_id,
				  JsonNode *request,
				  gpointer user_data)
{
	ecb_hubspot_remove (user_data, uid, request, meeting_id, !meeting_id);
}

static void
ecb_hubspot_recover_linked_cb (const gchar *key,
			       const gchar *meeting_id,
			       gpointer user_data)
{
	e_hubspot_outbox_link (user_data, key, meeting_id);
}

/* After a crash or restart: hand the outbox again whatever was not sent,
 * once it knows every meeting the events have (no lookup adopts one). */
static void
ecb_hubspot_recover_pending (ECalBackendHubSpot *cbhs,
			     GCancellable *cancellable)
{
	ECalCache *cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));
	g_autoptr(GError) error = NULL;

	if (!e_hubspot_row_foreach_linked (cal_cache, ecb_hubspot_recover_linked_cb, cbhs->priv->outbox, cancellable, &error)) {
		g_warning ("%s: cannot read the events' meetings: %s", G_STRFUNC, error ? error->message : "?");
		g_clear_error (&error);
	}
	if (!e_hubspot_row_foreach_unsent (cal_cache, ecb_hubspot_recover_row_cb, cbhs, cancellable, &error))
		g_warning ("%s: cannot read the unsent events: %s", G_STRFUNC, error ? error->message : "?");
	e_hubspot_tombstone_foreach (cal_cache, ecb_hubspot_recover_tombstone_cb, cbhs);

	g_object_unref (cal_cache);
}

static gboolean
ecb_hubspot_connect_sync (ECalMetaBackend *meta_backend,
			  const ENamedParameters *credentials,
			  ESourceAuthenticationResult *out_auth_result,
			  gchar **out_certificate_pem,
			  GTlsCertificateFlags *out_certificate_errors,
			  GCancellable *cancellable,
			  GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);
	const gchar *token = credentials ? e_named_parameters_get (credentials, E_SOURCE_CREDENTIAL_PASSWORD) : NULL;
	g_autofree gchar *token_hash = NULL;
	gboolean rejected, recover;

	/* No network here: the calendar opens and works with HubSpot out of
	 * reach; the outbox finds out about the network on its own. */
	if (!ecb_hubspot_ensure_outbox (cbhs, error)) {
		*out_auth_result = E_SOURCE_AUTHENTICATION_ERROR;
		return FALSE;
	}

	/* Signed in with HubSpot: EDS holds the tokens, the outbox asks for
	 * them on its own thread; nothing comes as credentials.  Once EDS
	 * had none to give, only a new sign-in (which disconnects first)
	 * makes it worth asking again (docs/design.md, "Signing in"). */
	if (ecb_hubspot_uses_oauth2 (cbhs)) {
		gboolean reconnect, was_rejected;

		g_mutex_lock (&cbhs->priv->lock);
		reconnect = cbhs->priv->oauth2_reconnect;
		was_rejected = cbhs->priv->oauth2_rejected;
		rejected = was_rejected && !reconnect;
		if (!rejected)
			cbhs->priv->oauth2_rejected = FALSE;
		cbhs->priv->oauth2_reconnect = FALSE;
		g_mutex_unlock (&cbhs->priv->lock);

		if (rejected) {
			*out_auth_result = E_SOURCE_AUTHENTICATION_REJECTED;
			return FALSE;
		}

		e_hubspot_outbox_use_oauth2 (cbhs->priv->outbox, e_backend_get_source (E_BACKEND (cbhs)), reconnect);

		/* Events saved while the calendar waited for the sign-in are
		 * EDS's local changes: a refresh uploads them. */
		if (was_rejected)
			e_cal_meta_backend_schedule_refresh (meta_backend);
		token_hash = NULL;
		goto connected;
	}

	token_hash = ecb_hubspot_hash_token (token && *token ? token : NULL);

	g_mutex_lock (&cbhs->priv->lock);
	rejected = token_hash && g_strcmp0 (token_hash, cbhs->priv->rejected_token_hash) == 0;
	if (token_hash && !rejected) {
		g_clear_pointer (&cbhs->priv->rejected_token_hash, g_free);
		g_free (cbhs->priv->token_hash);
		cbhs->priv->token_hash = g_strdup (token_hash);
	}
	g_mutex_unlock (&cbhs->priv->lock);

	if (rejected) {
		*out_auth_result = E_SOURCE_AUTHENTICATION_REJECTED;
		return FALSE;
	}

	if (token_hash)
		e_hubspot_outbox_set_token (cbhs->priv->outbox, token);
	else if (!e_hubspot_outbox_has_token (cbhs->priv->outbox)) {
		*out_auth_result = E_SOURCE_AUTHENTICATION_REQUIRED;
		return FALSE;
	}

connected:
	g_mutex_lock (&cbhs->priv->lock);
	recover = !cbhs->priv->recovered;
	cbhs->priv->recovered = TRUE;
	g_mutex_unlock (&cbhs->priv->lock);

	if (recover) {
		ecb_hubspot_recover_pending (cbhs, cancellable);

		/* The only read of the cache under ECalMetaBackend's connect
		 * lock: from now on a client call may hold the cache while
		 * EDS connects inside it (e-cal-backend-hubspot-call.c). */
		g_mutex_lock (&cbhs->priv->lock);
		cbhs->priv->recovery_done = TRUE;
		g_mutex_unlock (&cbhs->priv->lock);
	}

	e_cal_backend_set_writable (E_CAL_BACKEND (cbhs), TRUE);
	*out_auth_result = E_SOURCE_AUTHENTICATION_ACCEPTED;

	return TRUE;
}

static gboolean
ecb_hubspot_disconnect_sync (ECalMetaBackend *meta_backend,
			     GCancellable *cancellable,
			     GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);

	/* The outbox keeps its queue and its token until new credentials
	 * replace it: pending work is not dropped by a reconnect.  A sign-in
	 * (authenticate_sync disconnects first) makes EDS worth asking again. */
	g_mutex_lock (&cbhs->priv->lock);
	cbhs->priv->oauth2_reconnect = TRUE;
	g_mutex_unlock (&cbhs->priv->lock);

	return TRUE;
}

/* The account's details the outbox learnt make the record URLs; the
 * calendar keeps them for the next start. */
static void
ecb_hubspot_store_account_info (ECalBackendHubSpot *cbhs,
				GCancellable *cancellable)
{
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	g_autofree gchar *portal_id = e_source_hubspot_dup_portal_id (extension);
	g_autofree gchar *ui_domain = e_source_hubspot_dup_ui_domain (extension);
	g_autofree gchar *known_portal_id = NULL;
	g_autofree gchar *known_ui_domain = NULL;
	g_autoptr(GError) local_error = NULL;

	if (!e_hubspot_outbox_dup_account_info (cbhs->priv->outbox, &known_portal_id, &known_ui_domain) ||
	    (g_strcmp0 (portal_id, known_portal_id) == 0 && g_strcmp0 (ui_domain, known_ui_domain) == 0))
		return;

	e_source_hubspot_set_portal_id (extension, known_portal_id);
	e_source_hubspot_set_ui_domain (extension, known_ui_domain);
	if (!e_source_write_sync (e_backend_get_source (E_BACKEND (cbhs)), cancellable, &local_error))
		g_debug ("%s: cannot store the account details: %s", G_STRFUNC, local_error->message);
}

static void
ecb_hubspot_start_fetch (ECalBackendHubSpot *cbhs,
			 const EHubSpotSyncSettings *settings,
			 GCancellable *cancellable)
{
	g_autoptr(GPtrArray) check_ids = NULL;
	g_autoptr(GError) local_error = NULL;
	gint64 from, until;

	/* Occurrences that entered the horizon since the last fetch (or
	 * with the settings now). */
	ecb_hubspot_series_extend_horizons (cbhs, cancellable);

	check_ids = e_cal_backend_hubspot_sync_prepare (settings, &from, &until, cancellable, &local_error);
	if (check_ids)
		e_hubspot_outbox_start_fetch (cbhs->priv->outbox, from, until, e_hubspot_meeting_event_properties (), check_ids);
	else
		g_debug ("%s: no refresh: %s", G_STRFUNC, local_error ? local_error->message : "?");
}

/* Two-way (docs/design.md, "A refresh"): the owner's meetings in the
 * window come back as events.  The network half runs on the outbox's
 * thread; here, on the backend's queue and under the cache's lock, only
 * local work: a refresh starts a fetch and returns, and the refresh the
 * fetch schedules when it is done applies it.  The sync tag is the time
 * of the last applied fetch. */
static gboolean
ecb_hubspot_get_changes_sync (ECalMetaBackend *meta_backend,
			      const gchar *last_sync_tag,
			      gboolean is_repeat,
			      gchar **out_new_sync_tag,
			      gboolean *out_repeat,
			      GSList **out_created_objects,
			      GSList **out_modified_objects,
			      GSList **out_removed_objects,
			      GCancellable *cancellable,
			      GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	EHubSpotOutbox *outbox = cbhs->priv->outbox;
	ECalBackendHubSpotMapping mapping;
	EHubSpotSyncSettings settings = { 0, };
	EHubSpotSyncChanges changes = { 0, };
	g_autofree gchar *portal_id = NULL;
	g_autofree gchar *ui_domain = NULL;
	g_autoptr(EHubSpotOutboxFetch) fetch = NULL;
	g_autoptr(GError) local_error = NULL;
	ECalCache *cal_cache;
	gboolean success, fetch_again, running;
	guint ii;

	*out_repeat = FALSE;
	*out_new_sync_tag = g_strdup (last_sync_tag);

	/* A token HubSpot refused, or settings that make no meeting: the
	 * calendar stays as it is (saving an event reports the settings). */
	if (!outbox || !e_hubspot_outbox_has_token (outbox) || !ecb_hubspot_mapping_init (cbhs, &mapping, NULL))
		return TRUE;

	portal_id = e_source_hubspot_dup_portal_id (extension);
	ui_domain = e_source_hubspot_dup_ui_domain (extension);
	if (!portal_id || !ui_domain) {
		g_clear_pointer (&portal_id, g_free);
		g_clear_pointer (&ui_domain, g_free);
		e_hubspot_outbox_dup_account_info (outbox, &portal_id, &ui_domain);
	}

	cal_cache = e_cal_meta_backend_ref_cache (meta_backend);
	settings.owner_id = mapping.owner_id;
	settings.portal_id = portal_id;
	settings.ui_domain = ui_domain;
	settings.past_days = e_source_hubspot_get_sync_past_days (extension);
	settings.horizon_days = e_source_hubspot_get_recurrence_horizon (extension);
	settings.mapping = &mapping.context;
	settings.cal_cache = cal_cache;
	settings.outbox = outbox;

	fetch = e_hubspot_outbox_take_fetch (outbox);
	if (!fetch) {
		/* Nothing fetched yet: ask, and come back when it is here.  A
		 * refresh asked for while one fetches gets a fetch of its own,
		 * which starts once that one is applied. */
		running = e_hubspot_outbox_get_fetch_state (outbox) == E_HUBSPOT_OUTBOX_FETCH_RUNNING;
		g_mutex_lock (&cbhs->priv->lock);
		cbhs->priv->refresh_wanted = running;
		g_mutex_unlock (&cbhs->priv->lock);
		if (!running)
			ecb_hubspot_start_fetch (cbhs, &settings, cancellable);
		g_object_unref (cal_cache);
		ecb_hubspot_mapping_clear (&mapping);
		return TRUE;
	}

	success = e_cal_backend_hubspot_sync_apply (&settings, fetch, &changes, cancellable, &local_error);

	g_mutex_lock (&cbhs->priv->lock);
	fetch_again = cbhs->priv->refresh_wanted;
	cbhs->priv->refresh_wanted = FALSE;
	g_mutex_unlock (&cbhs->priv->lock);
	if (fetch_again)
		ecb_hubspot_start_fetch (cbhs, &settings, cancellable);

	g_object_unref (cal_cache);
	ecb_hubspot_mapping_clear (&mapping);

	if (!success) {
		g_propagate_error (error, g_steal_pointer (&local_error));
		return FALSE;
	}

	/* Conflicts: the outbox sends the events' state again, after what
	 * it has in flight. */
	for (ii = 0; ii < changes.resend->len; ii++) {
		EHubSpotSyncResend *resend = g_ptr_array_index (changes.resend, ii);

		ecb_hubspot_put (cbhs, resend->uid, resend->request, resend->meeting_id, FALSE);
	}

	ecb_hubspot_store_account_info (cbhs, cancellable);

	*out_created_objects = g_steal_pointer (&changes.created);
	*out_modified_objects = g_steal_pointer (&changes.modified);
	*out_removed_objects = g_steal_pointer (&changes.removed);
	g_free (*out_new_sync_tag);
	*out_new_sync_tag = e_hubspot_mapping_format_utc (g_get_real_time () / G_USEC_PER_SEC);

	e_hubspot_sync_changes_clear (&changes);

	return TRUE;
}

static ICalComponent *
ecb_hubspot_vcalendar_from_instances (GSList *instances) /* ECalComponent * */
{
	ICalComponent *vcalendar = e_cal_util_new_top_level ();
	GSList *link;

	for (link = instances; link; link = link->next)
		i_cal_component_take_component (vcalendar,
			i_cal_component_clone (e_cal_component_get_icalcomponent (link->data)));

	return vcalendar;
}

static gboolean
ecb_hubspot_load_component_sync (ECalMetaBackend *meta_backend,
				 const gchar *uid,
				 const gchar *extra,
				 ICalComponent **out_component,
				 gchar **out_extra,
				 GCancellable *cancellable,
				 GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);
	ICalComponent *saved = NULL;
	gchar *saved_uid = NULL;

	g_mutex_lock (&cbhs->priv->lock);
	if (g_hash_table_steal_extended (cbhs->priv->saved, uid, (gpointer *) &saved_uid, (gpointer *) &saved))
		g_free (saved_uid);
	g_mutex_unlock (&cbhs->priv->lock);

	if (!saved) {
		ECalCache *cal_cache = e_cal_meta_backend_ref_cache (meta_backend);
		GSList *instances = NULL;

		if (e_cal_cache_get_components_by_uid (cal_cache, uid, &instances, cancellable, NULL) && instances)
			saved = ecb_hubspot_vcalendar_from_instances (instances);
		g_slist_free_full (instances, g_object_unref);
		g_object_unref (cal_cache);
	}

	if (!saved) {
		g_propagate_error (error, e_cal_client_error_create (E_CAL_CLIENT_ERROR_OBJECT_NOT_FOUND, NULL));
		return FALSE;
	}

	*out_component = saved;
	*out_extra = g_strdup (extra);

	return TRUE;
}

/* HubSpot's marks are ours: a client that drops X- properties on edit
 * must not make the event forget its meeting. */
static void
ecb_hubspot_keep_marks (ICalComponent *vevent,
			ECalComponent *cached)
{
	static const gchar *names[] = {
		E_HUBSPOT_PROP_MEETING_ID, E_HUBSPOT_PROP_RECORD_URL,
		E_HUBSPOT_PROP_MEETING_URL, E_HUBSPOT_PROP_SYNC_STATE
	};
	ICalComponent *cached_icomp = e_cal_component_get_icalcomponent (cached);
	g_autoptr(GHashTable) marks = e_hubspot_occurrence_marks_read (vevent);
	GHashTableIter iter;
	gpointer value;
	guint ii;

	/* Each sent occurrence's meeting, unless the client kept them. */
	if (!g_hash_table_size (marks)) {
		g_clear_pointer (&marks, g_hash_table_unref);
		marks = e_hubspot_occurrence_marks_read (cached_icomp);
		g_hash_table_iter_init (&iter, marks);
		while (g_hash_table_iter_next (&iter, NULL, &value)) {
			EHubSpotOccurrenceMark *mark = value;

			e_hubspot_occurrence_mark_set (vevent, mark->rid, mark->meeting_id, mark->state, mark->url);
		}
	}

	for (ii = 0; ii < G_N_ELEMENTS (names); ii++) {
		g_autofree gchar *value = NULL;
		g_autofree gchar *current = e_hubspot_mapping_dup_x_property (vevent, names[ii]);

		if (current)
			continue;
		value = e_hubspot_mapping_dup_x_property (cached_icomp, names[ii]);
		if (value)
			e_hubspot_mapping_set_x_property (vevent, names[ii], value);
	}
}

/* Keeps the instances for load_component_sync(). */
void
ecb_hubspot_keep_saved (ECalBackendHubSpot *cbhs,
			const gchar *uid,
			GSList *clones) /* ECalComponent *, consumed */
{
	ICalComponent *vcalendar = ecb_hubspot_vcalendar_from_instances (clones);

	g_slist_free_full (clones, g_object_unref);

	g_mutex_lock (&cbhs->priv->lock);
	g_hash_table_replace (cbhs->priv->saved, g_strdup (uid), vcalendar);
	g_mutex_unlock (&cbhs->priv->lock);
}

static gboolean
ecb_hubspot_save_component_sync (ECalMetaBackend *meta_backend,
				 gboolean overwrite_existing,
				 EConflictResolution conflict_resolution,
				 const GSList *instances,
				 const gchar *extra,
				 ECalOperationFlags opflags,
				 gchar **out_new_uid,
				 gchar **out_new_extra,
				 GCancellable *cancellable,
				 GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);
	g_autoptr(GError) local_error = NULL;
	g_autoptr(JsonNode) request = NULL;
	ICalComponent *master = NULL;
	GSList *link, *clones = NULL;
	g_autofree gchar *uid = NULL;
	g_autofree gchar *meeting_id = NULL;
	gchar *checked_uid = NULL;
	EHubSpotRowState row_state;

	for (link = (GSList *) instances; link; link = link->next) {
		ECalComponent *clone = e_cal_component_clone (link->data);

		clones = g_slist_append (clones, clone);
		if (!master || !e_cal_component_is_instance (clone))
			master = e_cal_component_get_icalcomponent (clone);
	}

	if (!master) {
		g_propagate_error (error, e_cal_client_error_create (E_CAL_CLIENT_ERROR_INVALID_OBJECT, NULL));
		return FALSE;
	}

	/* A date that is none ("39941430T220000Z") is refused with its name
	 * before EDS stores the event: its occurrence code runs for minutes
	 * over one (docs/design.md, "Hostile input"). */
	for (link = clones; link; link = link->next) {
		if (!e_hubspot_mapping_check_dates (e_cal_component_get_icalcomponent (link->data), &local_error)) {
			g_slist_free_full (clones, g_object_unref);
			g_propagate_error (error, e_cal_client_error_create (E_CAL_CLIENT_ERROR_INVALID_OBJECT,
				local_error->message));
			return FALSE;
		}
	}

	uid = g_strdup (i_cal_component_get_uid (master));
	row_state = e_hubspot_row_extra_parse (extra, &meeting_id);

	/* A meeting already: keep its marks (a client may drop X-
	 * properties) and send the changes as a PATCH, never a new create. */
	if (row_state != E_HUBSPOT_ROW_NEW) {
		ECalCache *cal_cache = e_cal_meta_backend_ref_cache (meta_backend);
		ECalComponent *cached = NULL;

		if (e_cal_cache_get_component (cal_cache, uid, NULL, &cached, cancellable, NULL)) {
			ecb_hubspot_keep_marks (master, cached);
			g_object_unref (cached);
		}
		g_object_unref (cal_cache);
	}

	/* Mapped already by ecb_hubspot_check_objects() in this operation. */
	g_mutex_lock (&cbhs->priv->lock);
	if (g_hash_table_steal_extended (cbhs->priv->checked, uid, (gpointer *) &checked_uid, (gpointer *) &request))
		g_free (checked_uid);
	g_mutex_unlock (&cbhs->priv->lock);

	return ecb_hubspot_series_save (cbhs, master, clones, g_steal_pointer (&uid), meeting_id, request,
		out_new_uid, out_new_extra, error);
}

static gboolean
ecb_hubspot_remove_component_sync (ECalMetaBackend *meta_backend,
				   EConflictResolution conflict_resolution,
				   const gchar *uid,
				   const gchar *extra,
				   const gchar *object,
				   ECalOperationFlags opflags,
				   GCancellable *cancellable,
				   GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (meta_backend);
	g_autofree gchar *meeting_id = NULL;
	g_autoptr(GPtrArray) detached = NULL;
	ICalComponent *icomp, *master = NULL;
	EHubSpotRowState state = e_hubspot_row_extra_parse (extra, &meeting_id);
	ECalCache *cal_cache;
	gboolean stored;

	if (!cbhs->priv->outbox || state == E_HUBSPOT_ROW_NEW)
		return TRUE;

	/* Its last body: to find its meetings if a create is in flight. */
	icomp = object ? i_cal_component_new_from_string (object) : NULL;
	if (icomp)
		master = ecb_hubspot_series_split (icomp, &detached);

	cal_cache = e_cal_meta_backend_ref_cache (meta_backend);
	stored = ecb_hubspot_series_remove (cbhs, cal_cache, uid, master, detached, meeting_id, error);
	g_object_unref (cal_cache);
	g_clear_object (&master);
	g_clear_object (&icomp);
	ecb_hubspot_release_if_idle (cbhs);

	return stored;
}

/* Rejects what cannot become a meeting before anything is stored, so the
 * client gets a clear error and the cache never holds half an event.  The
 * requests it builds wait for save_component_sync(), later in the same
 * operation: an event is mapped once. */
static gboolean
ecb_hubspot_check_objects (ECalBackendHubSpot *cbhs,
			   const GSList *calobjs,
			   GError **error)
{
	const GSList *link;

	for (link = calobjs; link; link = link->next) {
		ICalComponent *icomp = i_cal_component_new_from_string (link->data);
		JsonNode *request = NULL;
		g_autoptr(GError) local_error = NULL;

		if (!icomp)
			continue; /* ECalMetaBackend reports it */

		if (i_cal_component_isa (icomp) == I_CAL_VEVENT_COMPONENT)
			request = ecb_hubspot_build_request (cbhs, icomp, &local_error);

		/* Only a master's request is the event's. */
		if (request && i_cal_component_get_uid (icomp) &&
		    !e_cal_util_component_has_property (icomp, I_CAL_RECURRENCEID_PROPERTY)) {
			g_mutex_lock (&cbhs->priv->lock);
			g_hash_table_replace (cbhs->priv->checked, g_strdup (i_cal_component_get_uid (icomp)), request);
			g_mutex_unlock (&cbhs->priv->lock);
		} else if (request) {
			json_node_unref (request);
		}
		g_object_unref (icomp);

		if (g_error_matches (local_error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_EVENT)) {
			g_propagate_error (error, e_cal_client_error_create (E_CAL_CLIENT_ERROR_INVALID_OBJECT,
				local_error->message));
			return FALSE;
		}
	}

	return TRUE;
}

/* What the operation did not use goes: never a stale request later. */
static void
ecb_hubspot_forget_checked (ECalBackendHubSpot *cbhs)
{
	g_mutex_lock (&cbhs->priv->lock);
	g_hash_table_remove_all (cbhs->priv->checked);
	g_mutex_unlock (&cbhs->priv->lock);
}

static void
ecb_hubspot_create_objects_sync (ECalBackendSync *sync_backend,
				 EDataCal *cal,
				 GCancellable *cancellable,
				 const GSList *calobjs,
				 ECalOperationFlags opflags,
				 GSList **out_uids,
				 GSList **out_new_components,
				 GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (sync_backend);
	ECalBackendHubSpotCall *call;
	GError *local_error = NULL;

	if (ecb_hubspot_check_objects (cbhs, calobjs, error)) {
		call = ecb_hubspot_call_begin (cbhs, cancellable);
		E_CAL_BACKEND_SYNC_CLASS (e_cal_backend_hubspot_parent_class)->create_objects_sync (sync_backend,
			cal, cancellable, calobjs, opflags, out_uids, out_new_components, &local_error);
		/* ECalMetaBackend drops the error when the calendar stops being
		 * connected inside the call (its second ensure_connected_sync,
		 * before loading what was saved, clears it): an event then is
		 * not stored, and the client must hear so, not a success
		 * without its UID. */
		if (!local_error && g_slist_length (*out_uids) != g_slist_length ((GSList *) calobjs))
			local_error = g_error_new_literal (E_CLIENT_ERROR, E_CLIENT_ERROR_REPOSITORY_OFFLINE,
				_("The calendar lost its connection to HubSpot while saving; save again"));
		ecb_hubspot_call_end (call, local_error != NULL);
		if (local_error)
			g_propagate_error (error, local_error);
	}
	ecb_hubspot_forget_checked (cbhs);
}

static void
ecb_hubspot_modify_objects_sync (ECalBackendSync *sync_backend,
				 EDataCal *cal,
				 GCancellable *cancellable,
				 const GSList *calobjs,
				 ECalObjModType mod,
				 ECalOperationFlags opflags,
				 GSList **out_old_components,
				 GSList **out_new_components,
				 GError **error)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (sync_backend);
	ECalBackendHubSpotCall *call;
	GError *local_error = NULL;

	if (ecb_hubspot_check_objects (cbhs, calobjs, error)) {
		call = ecb_hubspot_call_begin (cbhs, cancellable);
		E_CAL_BACKEND_SYNC_CLASS (e_cal_backend_hubspot_parent_class)->modify_objects_sync (sync_backend,
			cal, cancellable, calobjs, mod, opflags, out_old_components, out_new_components, &local_error);
		ecb_hubspot_call_end (call, local_error != NULL);
		if (local_error)
			g_propagate_error (error, local_error);
	}
	ecb_hubspot_forget_checked (cbhs);
}

static void
ecb_hubspot_remove_objects_sync (ECalBackendSync *sync_backend,
				 EDataCal *cal,
				 GCancellable *cancellable,
				 const GSList *ids,
				 ECalObjModType mod,
				 ECalOperationFlags opflags,
				 GSList **out_old_components,
				 GSList **out_new_components,
				 GError **error)
{
	ECalBackendHubSpotCall *call = ecb_hubspot_call_begin (E_CAL_BACKEND_HUBSPOT (sync_backend), cancellable);
	GError *local_error = NULL;

	E_CAL_BACKEND_SYNC_CLASS (e_cal_backend_hubspot_parent_class)->remove_objects_sync (sync_backend,
		cal, cancellable, ids, mod, opflags, out_old_components, out_new_components, &local_error);
	ecb_hubspot_call_end (call, local_error != NULL);
	if (local_error)
		g_propagate_error (error, local_error);
}

/* Reachability follows ApiUrl: a fixed host would put the backend offline
 * whenever HubSpot is replaced by a local stand-in. */
static gboolean
ecb_hubspot_get_destination_address (EBackend *backend,
				     gchar **host,
				     guint16 *port)
{
	g_autofree gchar *api_url = NULL;
	g_autoptr(GUri) uri = NULL;

	if (!e_backend_get_source (backend))
		return FALSE;

	api_url = e_source_hubspot_dup_api_url (ecb_hubspot_get_extension (E_CAL_BACKEND_HUBSPOT (backend)));
	uri = g_uri_parse (api_url ? api_url : E_HUBSPOT_DEFAULT_API_URL, G_URI_FLAGS_NONE, NULL);
	if (!uri || !g_uri_get_host (uri))
		return FALSE;

	*host = g_strdup (g_uri_get_host (uri));
	*port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) :
		(g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ? 80 : 443);

	return TRUE;
}

/* The policy settings the outbox reads, taken on every change of the
 * source (docs/design.md, "Settings and
 * secrets"); the others are read where they are used, or need a new
 * connection (API URL, ids) and apply when the backend opens again. */
static void
ecb_hubspot_apply_policy (ECalBackendHubSpot *cbhs)
{
	ESourceHubSpot *extension = ecb_hubspot_get_extension (cbhs);
	EHubSpotOutboxSettings settings = { 0, };
	EHubSpotOutbox *outbox = NULL;

	/* Like notify::online: dispose takes the outbox away first. */
	g_mutex_lock (&cbhs->priv->lock);
	outbox = cbhs->priv->outbox;
	g_mutex_unlock (&cbhs->priv->lock);
	if (!outbox)
		return;

	settings.max_in_flight = e_source_hubspot_get_max_in_flight (extension);
	settings.lookup_delay_ms = e_source_hubspot_get_lookup_delay (extension) * 1000;
	settings.archive_on_remove = e_source_hubspot_get_archive_on_remove (extension);
	settings.create_contacts = e_source_hubspot_get_create_contacts (extension);
	settings.associate_companies = e_source_hubspot_get_associate_companies (extension);
	e_hubspot_outbox_set_policy (outbox, &settings);
}

static void
ecb_hubspot_notify_online_cb (GObject *object,
			      GParamSpec *param,
			      gpointer user_data)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (object);
	gboolean online = e_backend_get_online (E_BACKEND (cbhs));

	if (cbhs->priv->outbox)
		e_hubspot_outbox_set_online (cbhs->priv->outbox, online);

	/* Events created offline were stored as local changes: a refresh
	 * uploads them (through save_component_sync). */
	if (online)
		e_cal_meta_backend_schedule_refresh (E_CAL_META_BACKEND (cbhs));
}

/* The source changed.  Its Email, while the owner is unknown: looked up.
 * Its RecurrenceHorizon or MaxOccurrences (the properties page,
 * `evolution-hubspot`, a test): the change reaches this
 * factory on its own way, the registry's signal, in no order with a
 * client's Refresh, so a Refresh made right after it may have planned
 * with the old values.  Refresh now that they are here, as a client's
 * Refresh does (docs/design.md, "Recurring events").  ESource::changed
 * (an idle on the source's context), not the extension's notify: that
 * one is emitted while ESource holds its lock over the new data, and a
 * refresh asked for from there once hung the factory. */
static void
ecb_hubspot_source_changed_cb (ESource *source,
			       gpointer user_data)
{
	ECalBackendHubSpot *cbhs = g_weak_ref_get (user_data);
	ESourceHubSpot *extension;
	guint horizon, max_count;
	gboolean changed;

	if (!cbhs)
		return;

	extension = ecb_hubspot_get_extension (cbhs);
	horizon = e_source_hubspot_get_recurrence_horizon (extension);
	max_count = e_source_hubspot_get_max_occurrences (extension);

	g_mutex_lock (&cbhs->priv->lock);
	changed = horizon != cbhs->priv->horizon_days || max_count != cbhs->priv->max_occurrences;
	cbhs->priv->horizon_days = horizon;
	cbhs->priv->max_occurrences = max_count;
	if (changed)
		cbhs->priv->refresh_wanted = TRUE;
	g_mutex_unlock (&cbhs->priv->lock);

	if (changed) {
		g_debug ("%s: horizon now %u days, at most %u occurrences: refresh", G_STRFUNC, horizon, max_count);
		e_cal_meta_backend_schedule_refresh (E_CAL_META_BACKEND (cbhs));
	}

	ecb_hubspot_follow_owner_email (cbhs);
	ecb_hubspot_apply_policy (cbhs);

	g_object_unref (cbhs);
}

static void
ecb_hubspot_weak_ref_free (gpointer data,
			   GClosure *closure)
{
	g_weak_ref_clear (data);
	g_free (data);
}

static void
ecb_hubspot_constructed (GObject *object)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (object);
	ESourceHubSpot *extension;
	GWeakRef *ref;

	G_OBJECT_CLASS (e_cal_backend_hubspot_parent_class)->constructed (object);

	/* The Authentication extension, if any, does not name HubSpot's
	 * host: reachability comes from get_destination_address(). */
	e_backend_set_connectable (E_BACKEND (cbhs), NULL);

	/* Writable before the first connect: without a token, events are
	 * still created, and sent once the token arrives. */
	e_cal_backend_set_writable (E_CAL_BACKEND (cbhs), TRUE);

	g_signal_connect (cbhs, "notify::online", G_CALLBACK (ecb_hubspot_notify_online_cb), NULL);
	g_signal_connect (cbhs, "refresh-completed", G_CALLBACK (ecb_hubspot_refresh_completed_cb), NULL);

	/* The cache (events, meeting ids, HubSpot's errors) and the status
	 * file are the owner's to read only; EDS makes the directory 0755
	 * (docs/design.md, "Hostile input"). */
	if (g_chmod (e_cal_backend_get_cache_dir (E_CAL_BACKEND (cbhs)), 0700) != 0)
		g_debug ("%s: cannot make the cache directory private: %s", G_STRFUNC, g_strerror (errno));

	extension = ecb_hubspot_get_extension (cbhs);
	cbhs->priv->horizon_days = e_source_hubspot_get_recurrence_horizon (extension);
	cbhs->priv->max_occurrences = e_source_hubspot_get_max_occurrences (extension);
	ref = g_new0 (GWeakRef, 1);
	g_weak_ref_init (ref, cbhs);
	cbhs->priv->source_changed_handler = g_signal_connect_data (e_backend_get_source (E_BACKEND (cbhs)), "changed",
		G_CALLBACK (ecb_hubspot_source_changed_cb), ref, ecb_hubspot_weak_ref_free, 0);
}

static void
ecb_hubspot_dispose (GObject *object)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (object);
	EHubSpotOutbox *outbox;

	/* The source outlives the backend. */
	if (cbhs->priv->source_changed_handler) {
		g_signal_handler_disconnect (e_backend_get_source (E_BACKEND (cbhs)), cbhs->priv->source_changed_handler);
		cbhs->priv->source_changed_handler = 0;
	}

	g_mutex_lock (&cbhs->priv->lock);
	outbox = g_steal_pointer (&cbhs->priv->outbox);
	g_mutex_unlock (&cbhs->priv->lock);

	/* Stops the sender and joins it; unsent work stays pending in the
	 * cache for the next start. */
	e_hubspot_outbox_free (outbox);

	G_OBJECT_CLASS (e_cal_backend_hubspot_parent_class)->dispose (object);
}

static void
ecb_hubspot_finalize (GObject *object)
{
	ECalBackendHubSpot *cbhs = E_CAL_BACKEND_HUBSPOT (object);

	g_hash_table_destroy (cbhs->priv->saved);
	g_hash_table_destroy (cbhs->priv->checked);
	g_hash_table_destroy (cbhs->priv->owner_waiting);
	g_free (cbhs->priv->token_hash);
	g_free (cbhs->priv->rejected_token_hash);
	g_mutex_clear (&cbhs->priv->lock);

	G_OBJECT_CLASS (e_cal_backend_hubspot_parent_class)->finalize (object);
}

static void
e_cal_backend_hubspot_init (ECalBackendHubSpot *cbhs)
{
	cbhs->priv = e_cal_backend_hubspot_get_instance_private (cbhs);
	g_mutex_init (&cbhs->priv->lock);
	cbhs->priv->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
	cbhs->priv->checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
	cbhs->priv->owner_waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
e_cal_backend_hubspot_class_init (ECalBackendHubSpotClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	EBackendClass *backend_class = E_BACKEND_CLASS (klass);
	ECalBackendSyncClass *sync_class = E_CAL_BACKEND_SYNC_CLASS (klass);
	ECalMetaBackendClass *meta_class = E_CAL_META_BACKEND_CLASS (klass);

	meta_class->connect_sync = ecb_hubspot_connect_sync;
	meta_class->disconnect_sync = ecb_hubspot_disconnect_sync;
	meta_class->get_changes_sync = ecb_hubspot_get_changes_sync;
	meta_class->load_component_sync = ecb_hubspot_load_component_sync;
	meta_class->save_component_sync = ecb_hubspot_save_component_sync;
	meta_class->remove_component_sync = ecb_hubspot_remove_component_sync;

	sync_class->refresh_sync = ecb_hubspot_refresh_sync;
	sync_class->create_objects_sync = ecb_hubspot_create_objects_sync;
	sync_class->modify_objects_sync = ecb_hubspot_modify_objects_sync;
	sync_class->remove_objects_sync = ecb_hubspot_remove_objects_sync;

	backend_class->get_destination_address = ecb_hubspot_get_destination_address;

	object_class->constructed = ecb_hubspot_constructed;
	object_class->dispose = ecb_hubspot_dispose;
	object_class->finalize = ecb_hubspot_finalize;
}
