/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the cache remembers of each event's way to HubSpot, so that it
 * survives a crash: the row's "extra" (state and meeting id), and the
 * tombstones of removed events whose meeting is still to be cancelled. */

#ifndef E_CAL_BACKEND_HUBSPOT_STATE_H
#define E_CAL_BACKEND_HUBSPOT_STATE_H

#include <libedata-cal/libedata-cal.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	E_HUBSPOT_ROW_NEW,	/* never handed to the outbox (no extra) */
	E_HUBSPOT_ROW_PENDING,	/* no meeting yet: to create */
	E_HUBSPOT_ROW_DIRTY,	/* a meeting, with changes to send */
	E_HUBSPOT_ROW_SYNCED,	/* a meeting, up to date */
	E_HUBSPOT_ROW_FAILED	/* HubSpot refused; an edit tries again */
} EHubSpotRowState;

/* "pending", "dirty:<id>", "synced:<id>", "failed" or "failed:<id>". */
gchar *		e_hubspot_row_extra_new		(EHubSpotRowState state,
						 const gchar *meeting_id);
EHubSpotRowState
		e_hubspot_row_extra_parse	(const gchar *extra,
						 gchar **out_meeting_id);

/* Tombstones: uid ~> { "id": meeting id or null, "request": last create body }. */
gboolean	e_hubspot_tombstone_put		(ECalCache *cal_cache,
						 const gchar *uid,
						 const gchar *meeting_id,
						 JsonNode *request,
						 GError **error);
gboolean	e_hubspot_tombstone_drop	(ECalCache *cal_cache,
						 const gchar *uid,
						 GError **error);
gboolean	e_hubspot_tombstone_exists	(ECalCache *cal_cache,
						 const gchar *uid);

typedef void	(* EHubSpotTombstoneFunc)	(const gchar *uid,
						 const gchar *meeting_id,
						 JsonNode *request,
						 gpointer user_data);
void		e_hubspot_tombstone_foreach	(ECalCache *cal_cache,
						 EHubSpotTombstoneFunc func,
						 gpointer user_data);

/* Every master event whose row is pending or dirty. */
typedef void	(* EHubSpotUnsentFunc)		(ICalComponent *vevent,
						 EHubSpotRowState state,
						 const gchar *meeting_id,
						 gpointer user_data);
gboolean	e_hubspot_row_foreach_unsent	(ECalCache *cal_cache,
						 EHubSpotUnsentFunc func,
						 gpointer user_data,
						 GCancellable *cancellable,
						 GError **error);

/* Every meeting the cache links to an event: the meeting id of each row
 * (key: its UID) and of each occurrence mark of a series (key:
 * e_hubspot_recurrence_make_key ()). */
typedef void	(* EHubSpotLinkedFunc)		(const gchar *key,
						 const gchar *meeting_id,
						 gpointer user_data);
gboolean	e_hubspot_row_foreach_linked	(ECalCache *cal_cache,
						 EHubSpotLinkedFunc func,
						 gpointer user_data,
						 GCancellable *cancellable,
						 GError **error);

/* A master row in one query (the write-back's hot path): its component,
 * extra and custom flags; FALSE when there is none. */
gboolean	e_hubspot_row_read		(ECalCache *cal_cache,
						 const gchar *uid,
						 ECalComponent **out_comp,
						 gchar **out_extra,
						 guint32 *out_custom_flags,
						 GCancellable *cancellable);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_STATE_H */
