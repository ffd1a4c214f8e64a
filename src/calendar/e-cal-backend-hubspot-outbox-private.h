/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's insides, shared by its two halves: sending
 * (e-cal-backend-hubspot-outbox.c) and reading HubSpot's answers
 * (e-cal-backend-hubspot-outbox-replies.c). */

#ifndef E_CAL_BACKEND_HUBSPOT_OUTBOX_PRIVATE_H
#define E_CAL_BACKEND_HUBSPOT_OUTBOX_PRIVATE_H

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-pacer.h"

#include "e-cal-backend-hubspot-outbox.h"

G_BEGIN_DECLS

typedef enum {
	OP_NONE,
	OP_DONE,
	OP_CREATE,
	OP_LOOKUP,
	OP_UPDATE,
	OP_CANCEL
} OutboxOp;

typedef struct {
	gchar *uid;
	JsonNode *request;		/* the latest create body, or NULL */
	gchar *meeting_id;		/* what HubSpot has, or NULL */
	gboolean removed;		/* the event is gone: cancel its meeting */
	gboolean given_up;		/* HubSpot refused for good; until the next put */
	guint generation;		/* bumped by every put */
	guint synced_generation;	/* the generation the meeting has */
	guint sent_generation;		/* the generation in flight */
	gboolean uncertain;		/* a create may have reached HubSpot unseen */
	gint64 lookup_after;		/* monotonic µs: the search index has caught up */
	guint attempts;			/* failures in a row */
	gint64 not_before;		/* monotonic µs */
	OutboxOp in_flight;
} OutboxItem;

struct _EHubSpotOutbox {
	GMutex lock;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	GCancellable *cancellable;

	EHubSpotConnection *cnc;	/* used on the sender thread only */
	EHubSpotOutboxCallbacks callbacks;
	gpointer user_data;		/* NULL once the owner is gone */

	gchar *owner_id;
	gchar *organizer_user_id;
	gchar *status_file;
	guint max_in_flight;
	gint64 lookup_delay_us;
	gboolean archive_on_remove;

	guint in_flight;		/* requests sent, not answered: meetings and searches */
	guint searches_in_flight;
	gboolean paused_for_credentials;
	gboolean online;
	EHubSpotPacer *pacer;
	EHubSpotPacer *search_pacer;
	const gchar *pause_reason;	/* why the pacer pauses, for the status */

	gchar *portal_id;
	gchar *ui_domain;
	gboolean account_info_busy;
	gboolean account_info_tried;
	guint account_info_attempts;
	gint64 account_info_not_before;

	GQueue queue;			/* OutboxItem *, in arrival order */
	GHashTable *unstored_ids;	/* uid ~> meeting id: created, not yet in the cache */
	GHashTable *items;		/* uid ~> OutboxItem * */
	GPtrArray *results;		/* EHubSpotOutboxResult * */
	GSource *timer;
	gint64 timer_due;
	GRand *rand;

	gchar *last_error;
	gint64 last_error_at;		/* real time, µs */
	GSource *status_timer;
};

typedef struct {
	EHubSpotOutbox *outbox;
	OutboxItem *item;		/* NULL for a lookup */
	GPtrArray *lookup_items;	/* OutboxItem *, for a lookup */
} SendData;

/* The sending half; all but the first two with the lock held. */
G_GNUC_INTERNAL void	outbox_schedule_pump	(EHubSpotOutbox *outbox);
G_GNUC_INTERNAL void	outbox_arm_timer	(EHubSpotOutbox *outbox,
						 gint64 due);
G_GNUC_INTERNAL OutboxOp outbox_next_op		(OutboxItem *item);
G_GNUC_INTERNAL void	outbox_status_changed	(EHubSpotOutbox *outbox);
G_GNUC_INTERNAL void	outbox_add_result	(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 EHubSpotOutboxResultKind kind,
						 JsonNode *response,
						 GError *error);

/* The answers' half: GAsyncReadyCallbacks of the requests. */
G_GNUC_INTERNAL void	outbox_send_done_cb	(GObject *source_object,
						 GAsyncResult *async_result,
						 gpointer user_data);
G_GNUC_INTERNAL void	outbox_account_info_done_cb
						(GObject *source_object,
						 GAsyncResult *async_result,
						 gpointer user_data);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_OUTBOX_PRIVATE_H */
