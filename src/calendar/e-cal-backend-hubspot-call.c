/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One client call of many events (create_objects, modify_objects,
 * remove_objects) as one cache transaction with the cache's revision
 * frozen: ECalMetaBackend would commit, and bump the revision, once per
 * event.  What the call hands the outbox waits until the transaction
 * committed: the outbox never sends for an event a crash could still
 * take out of the cache (docs/design.md, "How an event travels"). */

#include "common/e-hubspot-recurrence.h"

#include "e-cal-backend-hubspot-private.h"

typedef struct {
	gboolean remove;
	gchar *key;
	JsonNode *request;	/* nullable */
	gchar *meeting_id;	/* nullable */
	gboolean uncertain;
} CallHandOver;

struct _ECalBackendHubSpotCall {
	ECalBackendHubSpot *cbhs;
	ECalCache *cal_cache;
	GPtrArray *hand_overs;	/* CallHandOver *, in the order they were made */
};

/* The call the current thread runs, if any: ECalBackend runs the
 * non-blocking client calls of one backend on several threads at once,
 * and only the call's own thread defers. */
static GPrivate call_current;

static void
call_hand_over_free (gpointer ptr)
{
	CallHandOver *hand_over = ptr;

	g_free (hand_over->key);
	g_clear_pointer (&hand_over->request, json_node_unref);
	g_free (hand_over->meeting_id);
	g_free (hand_over);
}

static gboolean
call_recovery_done (ECalBackendHubSpot *cbhs)
{
	gboolean done;

	g_mutex_lock (&cbhs->priv->lock);
	done = cbhs->priv->recovery_done;
	g_mutex_unlock (&cbhs->priv->lock);

	return done;
}

/* Takes the cache's write lock for the whole call, or returns NULL: the
 * caller then chains up as it is, one transaction per event.
 *
 * ECalMetaBackend connects inside the call (under our lock) and takes its
 * connect lock there; the first connect's recovery reads the cache under
 * that connect lock.  So the call holds the cache only once the recovery
 * is done: no holder of the connect lock then waits for the cache.  It
 * connects first itself if need be, and, offline, keeps EDS's way (no
 * reachability check under the lock). */
ECalBackendHubSpotCall *
ecb_hubspot_call_begin (ECalBackendHubSpot *cbhs,
			GCancellable *cancellable)
{
	ECalBackendHubSpotCall *call;

	g_return_val_if_fail (E_IS_CAL_BACKEND_HUBSPOT (cbhs), NULL);

	if (g_private_get (&call_current) || !e_backend_get_online (E_BACKEND (cbhs)))
		return NULL;

	if (!call_recovery_done (cbhs) &&
	    (!e_cal_meta_backend_ensure_connected_sync (E_CAL_META_BACKEND (cbhs), cancellable, NULL) ||
	     !call_recovery_done (cbhs)))
		return NULL;

	call = g_new0 (ECalBackendHubSpotCall, 1);
	call->cbhs = g_object_ref (cbhs);
	call->cal_cache = e_cal_meta_backend_ref_cache (E_CAL_META_BACKEND (cbhs));
	call->hand_overs = g_ptr_array_new_with_free_func (call_hand_over_free);

	e_cache_lock (E_CACHE (call->cal_cache), E_CACHE_LOCK_WRITE);
	e_cache_freeze_revision_change (E_CACHE (call->cal_cache));
	g_private_set (&call_current, call);

	return call;
}

/* Tests kill the factory in the middle of a call: each event whose key
 * starts with EVOLUTION_HUBSPOT_TEST_SLOW_CALL_KEYS takes 10 ms more, so
 * that a call of them surely runs when the kill comes
 * (tests/integration/test-outbox.c, /outbox/crash/during-call). */
static void
call_test_delay (const gchar *key)
{
	static gsize init = 0;
	static const gchar *prefix = NULL;

	if (g_once_init_enter (&init)) {
		prefix = g_getenv ("EVOLUTION_HUBSPOT_TEST_SLOW_CALL_KEYS");
		g_once_init_leave (&init, 1);
	}

	if (prefix && *prefix && g_str_has_prefix (key, prefix))
		g_usleep (10000);
}

/* Called by ecb_hubspot_put () and ecb_hubspot_remove (), the backend
 * already held for the work: TRUE when the current thread runs a call of
 * this backend, which keeps the work until it committed. */
gboolean
ecb_hubspot_call_defer (ECalBackendHubSpot *cbhs,
			gboolean remove,
			const gchar *key,
			JsonNode *request,
			const gchar *meeting_id,
			gboolean uncertain)
{
	ECalBackendHubSpotCall *call = g_private_get (&call_current);
	CallHandOver *hand_over;

	if (!call || call->cbhs != cbhs)
		return FALSE;

	call_test_delay (key);

	hand_over = g_new0 (CallHandOver, 1);
	hand_over->remove = remove;
	hand_over->key = g_strdup (key);
	hand_over->request = request ? json_node_ref (request) : NULL;
	hand_over->meeting_id = g_strdup (meeting_id);
	hand_over->uncertain = uncertain;
	g_ptr_array_add (call->hand_overs, hand_over);

	return TRUE;
}

/* Whether a create or change the call made may go: after a failure,
 * ECalMetaBackend keeps the events stored before it (as EDS does), and
 * the one that failed may have handed its request over before its row
 * was refused.  Removals go: their tombstones are in the cache. */
static gboolean
call_hand_over_stored (ECalCache *cal_cache,
		       CallHandOver *hand_over)
{
	g_autofree gchar *uid = NULL;
	g_autofree gchar *rid = NULL;

	if (hand_over->remove)
		return TRUE;

	e_hubspot_recurrence_split_key (hand_over->key, &uid, &rid);

	return e_cal_cache_contains (cal_cache, uid, NULL, E_CACHE_EXCLUDE_DELETED);
}

/* Commits what the call stored (ECalMetaBackend keeps what it did before
 * a failure: so does the one transaction), one revision change for all,
 * then hands the outbox the call's work in its order. */
void
ecb_hubspot_call_end (ECalBackendHubSpotCall *call,
		      gboolean failed)
{
	ECalBackendHubSpot *cbhs;
	guint ii;

	if (!call)
		return;

	g_private_set (&call_current, NULL);
	cbhs = call->cbhs;

	/* Read inside the transaction: what it holds is what commits. */
	for (ii = 0; failed && ii < call->hand_overs->len; ii++) {
		CallHandOver *hand_over = g_ptr_array_index (call->hand_overs, ii);

		if (!call_hand_over_stored (call->cal_cache, hand_over)) {
			g_debug ("%s: '%s' was not stored: not sent", G_STRFUNC, hand_over->key);
			g_clear_pointer (&hand_over->key, g_free);
		}
	}

	e_cache_thaw_revision_change (E_CACHE (call->cal_cache));
	e_cache_unlock (E_CACHE (call->cal_cache), E_CACHE_UNLOCK_COMMIT);

	for (ii = 0; ii < call->hand_overs->len; ii++) {
		CallHandOver *hand_over = g_ptr_array_index (call->hand_overs, ii);

		if (hand_over->key)
			ecb_hubspot_hand_over (cbhs, hand_over->remove, hand_over->key, hand_over->request,
				hand_over->meeting_id, hand_over->uncertain);
		ecb_hubspot_handed (cbhs);
	}

	g_ptr_array_unref (call->hand_overs);
	g_object_unref (call->cal_cache);
	g_free (call);

	ecb_hubspot_release_if_idle (cbhs);
	g_object_unref (cbhs);
}
