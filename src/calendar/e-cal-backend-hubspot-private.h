/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the backend's parts share: the backend itself
 * (e-cal-backend-hubspot.c), its events as series
 * (e-cal-backend-hubspot-series.c) and the write-back
 * (e-cal-backend-hubspot-writeback.c). */

#ifndef E_CAL_BACKEND_HUBSPOT_PRIVATE_H
#define E_CAL_BACKEND_HUBSPOT_PRIVATE_H

#include "common/e-hubspot-mapping.h"
#include "common/e-source-hubspot.h"

#include "common/e-hubspot-outbox.h"
#include "e-cal-backend-hubspot.h"

G_BEGIN_DECLS

#define STATE_PENDING "pending"
#define STATE_SYNCED "synced"
#define STATE_FAILED "failed"

/* Shared by the backend's files; the lock guards all but the tables'
 * contents' owners noted.  It is never held while the outbox's lock is
 * taken, nor the other way round (docs/design.md, "Locks"). */
struct _ECalBackendHubSpotPrivate {
	GMutex lock;
	EHubSpotOutbox *outbox;
	GHashTable *saved;		/* uid ~> ICalComponent (VCALENDAR) for load_component_sync */
	GHashTable *checked;		/* uid ~> JsonNode: requests built while checking a create or modify */
	gchar *token_hash;		/* SHA-256 of the token in use, never the token */
	gchar *rejected_token_hash;	/* ...of the token HubSpot answered 401 to */
	gboolean oauth2_rejected;	/* signed in with HubSpot: EDS has no usable token
					 * (docs/design.md, "Signing in") ... */
	gboolean oauth2_reconnect;	/* ...until a disconnect (a new sign-in disconnects first) */
	gboolean holds_self;		/* one reference while the outbox has work */
	guint handing;			/* work being handed to the outbox */
	guint hand_serial;		/* work handed so far */
	gboolean writeback_scheduled;
	gboolean recovered;
	gboolean recovery_done;		/* the first connect's recovery read the cache:
					 * a client call may hold the cache's transaction
					 * (e-cal-backend-hubspot-call.c) */
	gboolean refresh_wanted;	/* a refresh was asked for that no fetch started
					 * after yet: the next one starts */
	guint horizon_days;		/* RecurrenceHorizon and MaxOccurrences as last */
	guint max_occurrences;		/* seen: a change asks for a refresh */
	gulong source_changed_handler;	/* connected in constructed, gone in dispose */
	GHashTable *owner_waiting;	/* uid ~> GINT_TO_POINTER (1 + uncertain): events kept
					 * pending until the owner is found by e-mail
					 * (docs/design.md, "Signing in") */
};

/* A mapping context with the calendar's current settings, and the
 * strings it points to. */
typedef struct {
	EHubSpotMappingContext context;
	gchar *owner_id;
	gchar *user_id;
	gchar *activity_type;
	gchar *email;
} ECalBackendHubSpotMapping;

G_GNUC_INTERNAL gboolean ecb_hubspot_mapping_init	(ECalBackendHubSpot *cbhs,
							 ECalBackendHubSpotMapping *mapping,
							 GError **error);
G_GNUC_INTERNAL void	ecb_hubspot_mapping_clear	(ECalBackendHubSpotMapping *mapping);
/* No OwnerId/UserId yet, but an Email the outbox looks the owner up by:
 * an event that cannot be mapped for that waits, pending (uid: remember
 * it, to hand it over once the owner is known; uncertain: a create of it
 * may have reached HubSpot before). */
G_GNUC_INTERNAL gboolean ecb_hubspot_owner_awaited	(ECalBackendHubSpot *cbhs,
							 const gchar *uid,
							 gboolean uncertain);

G_GNUC_INTERNAL EHubSpotOutbox *
			ecb_hubspot_get_outbox		(ECalBackendHubSpot *cbhs);
/* Hand the outbox work for a key (and keep the backend alive until it is
 * sent); inside a client call of many events, once the call committed
 * (ecb_hubspot_call_defer ()). */
G_GNUC_INTERNAL void	ecb_hubspot_put			(ECalBackendHubSpot *cbhs,
							 const gchar *key,
							 JsonNode *request,
							 const gchar *meeting_id,
							 gboolean uncertain);
G_GNUC_INTERNAL void	ecb_hubspot_remove		(ECalBackendHubSpot *cbhs,
							 const gchar *key,
							 JsonNode *request,
							 const gchar *meeting_id,
							 gboolean uncertain);
/* What ecb_hubspot_put () and ecb_hubspot_remove () do once the backend
 * holds itself for the work: the outbox takes it; then each piece of
 * work held for is handed (given to the outbox, or dropped). */
G_GNUC_INTERNAL void	ecb_hubspot_hand_over		(ECalBackendHubSpot *cbhs,
							 gboolean remove,
							 const gchar *key,
							 JsonNode *request,
							 const gchar *meeting_id,
							 gboolean uncertain);
G_GNUC_INTERNAL void	ecb_hubspot_handed		(ECalBackendHubSpot *cbhs);
G_GNUC_INTERNAL gchar *	ecb_hubspot_describe_error	(const GError *error);
G_GNUC_INTERNAL ESourceHubSpot *
			ecb_hubspot_get_extension	(ECalBackendHubSpot *cbhs);
G_GNUC_INTERNAL void	ecb_hubspot_release_if_idle	(ECalBackendHubSpot *cbhs);

/* The write-back custom operation (e-cal-backend-hubspot-writeback.c). */
G_GNUC_INTERNAL void	ecb_hubspot_write_back_op	(ECalBackend *cal_backend,
							 gpointer user_data,
							 GCancellable *cancellable,
							 GError **error);

/* One client call of many events in one cache transaction, its
 * hand-overs to the outbox after the commit
 * (e-cal-backend-hubspot-call.c; docs/design.md, "How an event travels"). */
typedef struct _ECalBackendHubSpotCall ECalBackendHubSpotCall;

G_GNUC_INTERNAL ECalBackendHubSpotCall *
			ecb_hubspot_call_begin		(ECalBackendHubSpot *cbhs,
							 GCancellable *cancellable);
G_GNUC_INTERNAL gboolean ecb_hubspot_call_defer		(ECalBackendHubSpot *cbhs,
							 gboolean remove,
							 const gchar *key,
							 JsonNode *request,
							 const gchar *meeting_id,
							 gboolean uncertain);
G_GNUC_INTERNAL void	ecb_hubspot_call_end		(ECalBackendHubSpotCall *call,
							 gboolean failed);

/* Keeps the instances save_component_sync() stored for the
 * load_component_sync() that follows. */
G_GNUC_INTERNAL void	ecb_hubspot_keep_saved		(ECalBackendHubSpot *cbhs,
							 const gchar *uid,
							 GSList *clones);

/* Every event as a series, a plain one a series of one
 * (e-cal-backend-hubspot-series.c).  master_request: the master mapped
 * already, or NULL; detached NULL: read from the cache. */
G_GNUC_INTERNAL gboolean ecb_hubspot_series_save	(ECalBackendHubSpot *cbhs,
							 ICalComponent *master,
							 GSList *clones,
							 gchar *uid,
							 const gchar *meeting_id,
							 JsonNode *master_request,
							 gchar **out_new_uid,
							 gchar **out_new_extra,
							 GError **error);
G_GNUC_INTERNAL gboolean ecb_hubspot_series_put		(ECalBackendHubSpot *cbhs,
							 ICalComponent *master,
							 GPtrArray *detached,
							 const gchar *row_meeting_id,
							 JsonNode *master_request,
							 gboolean uncertain,
							 gboolean only_new,
							 guint *out_sent,
							 GError **error);
G_GNUC_INTERNAL gboolean ecb_hubspot_series_remove	(ECalBackendHubSpot *cbhs,
							 ECalCache *cal_cache,
							 const gchar *uid,
							 ICalComponent *master,
							 GPtrArray *detached,
							 const gchar *row_meeting_id,
							 GError **error);
G_GNUC_INTERNAL void	ecb_hubspot_series_extend_horizons
							(ECalBackendHubSpot *cbhs,
							 GCancellable *cancellable);
/* The VEVENTs of a VCALENDAR (or one VEVENT): the master and the
 * detached instances (each borrowed from vcalendar). */
G_GNUC_INTERNAL ICalComponent *
			ecb_hubspot_series_split	(ICalComponent *vcalendar,
							 GPtrArray **out_detached);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_PRIVATE_H */
