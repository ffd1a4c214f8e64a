/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A refresh of a HubSpot calendar (docs/design.md, "A refresh"): lists the
 * owner's meetings in a time window and tells ECalMetaBackend which
 * events to create (meetings born in HubSpot), change (meetings changed
 * there) and remove (meetings archived there).  Local work only: the
 * outbox fetches from HubSpot (e_hubspot_outbox_start_fetch ()) on its
 * own thread, and this applies what it fetched (docs/design.md, "A
 * refresh"). */

#ifndef E_CAL_BACKEND_HUBSPOT_SYNC_H
#define E_CAL_BACKEND_HUBSPOT_SYNC_H

#include <libedata-cal/libedata-cal.h>

#include "common/e-hubspot-mapping.h"

#include "common/e-hubspot-outbox.h"

G_BEGIN_DECLS

typedef struct {
	const gchar *owner_id;
	const gchar *portal_id;		/* may be NULL: imported meetings lack their record URL */
	const gchar *ui_domain;
	guint past_days;		/* the window: now - past_days ... */
	guint horizon_days;		/* ... now + horizon_days */
	const EHubSpotMappingContext *mapping;	/* the calendar's; its "now" is the window's */
	ECalCache *cal_cache;
	EHubSpotOutbox *outbox;		/* may be NULL */
} EHubSpotSyncSettings;

/* An event whose meeting must get the event's state again: HubSpot won
 * a conflict while an older PATCH waited, or the event won and carries a
 * note of it.  Hand it to the outbox. */
typedef struct {
	gchar *uid;
	JsonNode *request;
	gchar *meeting_id;
} EHubSpotSyncResend;

typedef struct {
	GSList *created;	/* ECalMetaBackendInfo *, with the object and extra */
	GSList *modified;	/* ECalMetaBackendInfo *, with the object and extra */
	GSList *removed;	/* ECalMetaBackendInfo *, the UID only */
	GPtrArray *resend;	/* EHubSpotSyncResend * */
} EHubSpotSyncChanges;

void		e_hubspot_sync_changes_clear	(EHubSpotSyncChanges *changes);

/* What a fetch should read besides the search: the meetings of the
 * calendar's synced single events starting inside the window, which
 * *out_from and *out_until (Unix seconds) receive. */
GPtrArray *	e_cal_backend_hubspot_sync_prepare
						(const EHubSpotSyncSettings *settings,
						 gint64 *out_from,
						 gint64 *out_until,
						 GCancellable *cancellable,
						 GError **error);
/* The changes the fetched meetings bring, against the cache as it is now.
 * Fails with the fetch's error; then nothing is changed. */
gboolean	e_cal_backend_hubspot_sync_apply
						(const EHubSpotSyncSettings *settings,
						 EHubSpotOutboxFetch *fetch,
						 EHubSpotSyncChanges *out_changes,
						 GCancellable *cancellable,
						 GError **error);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_SYNC_H */
