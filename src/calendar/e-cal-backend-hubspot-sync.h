/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A refresh of a HubSpot calendar (DESIGN.md §5, two-way): lists the
 * owner's meetings in a time window and tells ECalMetaBackend which
 * events to create (meetings born in HubSpot), change (meetings changed
 * there) and remove (meetings archived there).  It runs on the calling
 * thread, with a connection of its own, synchronously. */

#ifndef E_CAL_BACKEND_HUBSPOT_SYNC_H
#define E_CAL_BACKEND_HUBSPOT_SYNC_H

#include <libedata-cal/libedata-cal.h>

#include "common/e-hubspot-mapping.h"

#include "e-cal-backend-hubspot-outbox.h"

G_BEGIN_DECLS

typedef struct {
	const gchar *api_url;
	const gchar *token;		/* never logged */
	const gchar *owner_id;
	const gchar *portal_id;		/* may be NULL: asked for when a meeting comes in */
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
	gchar *portal_id;	/* the account's details, when this refresh asked for them */
	gchar *ui_domain;
} EHubSpotSyncChanges;

void		e_hubspot_sync_changes_clear	(EHubSpotSyncChanges *changes);

/* Fails with HubSpot's error (E_HUBSPOT_ERROR_UNAUTHORIZED for a bad
 * token) or a network error; then nothing is changed. */
gboolean	e_cal_backend_hubspot_sync_run	(const EHubSpotSyncSettings *settings,
						 EHubSpotSyncChanges *out_changes,
						 GCancellable *cancellable,
						 GError **error);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_SYNC_H */
