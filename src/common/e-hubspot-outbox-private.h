/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's insides, shared by its parts: sending
 * (e-hubspot-outbox.c), reading HubSpot's answers
 * (e-hubspot-outbox-replies.c) and the attendees' directory
 * calls (e-hubspot-outbox-attendees.c). */

#ifndef E_HUBSPOT_OUTBOX_PRIVATE_H
#define E_HUBSPOT_OUTBOX_PRIVATE_H

#include "common/e-hubspot-attendees.h"
#include "common/e-hubspot-batch.h"
#include "common/e-hubspot-batcher.h"
#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-directory.h"
#include "common/e-hubspot-budget.h"

#include "e-hubspot-outbox.h"

G_BEGIN_DECLS

typedef enum {
	OP_NONE,
	OP_DONE,
	OP_CREATE,
	OP_LOOKUP,
	OP_UPDATE,
	OP_CANCEL,
	OP_ATTENDEES,		/* the meeting may lack some attendees: see what to send */
	OP_ASSOCIATE		/* in flight: an association batch create */
} OutboxOp;

typedef struct {
	gchar *uid;
	JsonNode *request;		/* the latest create body, or NULL */
	gboolean ended;			/* request is of a meeting that ended (a CRM create) */
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
	struct _SendData *gathered;	/* handed to the account's batcher and not
					 * known to have gone (e-hubspot-outbox-batch.c),
					 * or NULL */

	/* Attendees (e-hubspot-outbox-attendees.c) */
	GPtrArray *attendees;		/* EHubSpotAttendee *, from the request */
	GPtrArray *sent_owner_ids;	/* hs_attendee_owner_ids the meeting has; NULL: unknown */
	GHashTable *associated;		/* "contact:<id>", "company:<id>" the meeting has */
	gboolean attendees_dirty;	/* the meeting may lack some of them */

	GList *link;			/* its place in the queue */
} OutboxItem;

/* The refresh's fetch under way (e-hubspot-outbox-fetch.c). */
typedef struct {
	EHubSpotOutboxFetch *result;	/* filled as the answers come */
	gchar **properties;
	gchar *after;			/* the next search page's cursor */
	gboolean searching;		/* pages are still to come */
	guint n_pages;			/* search pages read so far */
	GPtrArray *check_ids;		/* gchar *: meetings to read unless the search had them */
	guint next_check;		/* the ones before it are all read */
	GHashTable *found;		/* meeting ids the search returned */
	gboolean busy;			/* a request in flight */
	guint attempts;			/* failures in a row */
	gint64 not_before;		/* monotonic µs */
} OutboxFetch;

/* One kind of directory call (owners, contacts read or create, companies). */
typedef struct {
	guint busy;			/* requests in flight */
	guint attempts;			/* failures in a row */
	gint64 not_before;		/* monotonic µs: the next try */
	gboolean failing;		/* the last one failed: meetings go without waiting */
	gint64 refused_until;		/* refused for good (a scope): not asked until then */
} OutboxDirectoryCall;

struct _EHubSpotOutbox {
	GMutex lock;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	GCancellable *cancellable;

	EHubSpotConnection *cnc;	/* maybe the account's; used on the sender thread only */
	EHubSpotCredential *credential;	/* this calendar's token, carried by every request */
	EHubSpotClock *clock;		/* every time read and timer of the outbox */
	EHubSpotOutboxCallbacks callbacks;
	gpointer user_data;		/* NULL once the owner is gone */
	gboolean notify_results;	/* results_ready is due (outbox_unlock_and_notify) */
	GError *notify_rejected;	/* credentials_rejected is due, with this error */
	gboolean notify_fetch;		/* fetch_ready is due */
	gboolean notify_owner;		/* owner_found is due, with notify_owner_error */
	GError *notify_owner_error;

	gchar *owner_id;
	gchar *organizer_user_id;
	gchar *status_file;
	guint max_in_flight;
	gint64 lookup_delay_us;
	gboolean archive_on_remove;

	gint pump_scheduled;		/* atomic: a pump waits in the context */
	guint in_flight;		/* requests sent, not answered: of every kind */
	gboolean paused_for_credentials;
	gboolean online;
	EHubSpotBudget *budget;		/* the account's, shared with its other calendars */
	guint budget_waker;
	gint budget_blocked;		/* atomic: only another request's end frees a place */

	gchar *portal_id;
	gchar *ui_domain;
	gboolean account_info_busy;
	gboolean account_info_tried;
	guint account_info_attempts;
	gint64 account_info_not_before;

	/* The owner looked up by e-mail (docs/design.md, "Signing in") */
	gchar *owner_email;		/* the calendar's Email while owner_id is unknown */
	gchar *owner_asked;		/* the e-mail of the lookup in flight */
	gboolean owner_busy;
	gboolean owner_refused;		/* HubSpot said no: wait for another Email */
	guint owner_attempts;
	gint64 owner_not_before;

	GQueue queue;			/* OutboxItem *, in arrival order */
	GHashTable *unstored_ids;	/* uid ~> meeting id: created, not yet in the cache */
	GHashTable *linked;		/* meeting id ~> key ("" when unknown): every meeting an
					 * event of the calendar has; never adopted again */
	GHashTable *creating_keys;	/* search key ~> creates in flight */
	GHashTable *looking_keys;	/* search key ~> lookups in flight */
	GHashTable *items;		/* uid ~> OutboxItem * */
	GHashTable *series;		/* event UID ~> GPtrArray of the items of the event
					 * and its occurrences (not owned): no per-result
					 * walk of every item (has_series_work) */
	GPtrArray *results;		/* EHubSpotOutboxResult * */
	GSource *timer;
	gint64 timer_due;
	GRand *rand;

	gchar *last_error;
	gint64 last_error_at;		/* real time, µs */
	GSource *status_timer;

	/* Attendees (e-hubspot-outbox-attendees.c) */
	gboolean create_contacts;
	gboolean associate_companies;
	EHubSpotDirectory *directory;
	OutboxDirectoryCall owners_call;
	OutboxDirectoryCall read_call;
	OutboxDirectoryCall create_call;
	OutboxDirectoryCall companies_call;
	GHashTable *owners_partial;	/* e-mail ~> owner id: the pages read so far */
	guint owners_pages;		/* how many */
	gchar *owners_after;		/* the next page's cursor */
	GHashTable *reading;		/* e-mails in a contacts batch read */
	GHashTable *creating;		/* e-mails being created */
	GHashTable *companies_reading;	/* contact ids whose companies are being read */
	gint64 gather_until;		/* monotonic µs: a partial batch waits for more e-mails */
	GHashTable *sent_attendees;	/* uid ~> what its meeting has, once the item is gone */

	/* Batch calls (e-hubspot-outbox-batch.c) */
	EHubSpotBatcher *batcher;	/* the connection's, once used; not referenced */
	guint batch_tasks;		/* inputs handed to it whose task has not ended */

	/* A refresh's fetch (e-hubspot-outbox-fetch.c) */
	OutboxFetch *fetch;		/* under way, or NULL */
	EHubSpotOutboxFetch *fetched;	/* done, waiting to be taken */

	/* Signed in with HubSpot (e-hubspot-outbox-token.c) */
	ESource *oauth2_source;		/* NULL: a bearer key */
	gboolean token_renewing;	/* EDS is asked for a token */
	gboolean token_wanted;		/* nothing goes before EDS hands a token */
	gboolean token_refused;		/* HubSpot refused the current token (401) */
	gboolean token_expired;		/* ...saying it expired */
	GError *token_refusal;		/* that 401 */
	guint token_serial;		/* the credential's serial of the current token */
	guint refused_serial;		/* the serial a request got its last 401 with */
	gchar *token_hash;		/* SHA-256 of the current token: EDS may hand it again */
	gint64 token_renew_at;		/* monotonic µs: renew from then on; 0: unknown */
	gint64 token_not_before;	/* monotonic µs: the next ask */
	guint token_attempts;		/* failed asks in a row */
};

typedef struct _SendData {
	EHubSpotOutbox *outbox;
	OutboxItem *item;		/* NULL for a lookup, or a gathered item's that was dropped */
	GPtrArray *lookup_items;	/* OutboxItem *, for a lookup */
	EHubSpotAttendeeResolution *resolution;	/* what a create or PATCH carries */
	GPtrArray *associate_ids;	/* OP_ASSOCIATE: contact or company ids */
	gint associate_type;		/* E_HUBSPOT_ASSOCIATION_CONTACT or _COMPANY */
	GHashTable *busy_table;		/* creating_keys or looking_keys: ... */
	GPtrArray *busy_keys;		/* ...holds these while in flight */
	OutboxOp op;			/* what a gathered item goes as... */
	OutboxOp next_op;		/* ...planned from this next op... */
	guint generation;		/* ...of this generation of the item */
	guint ticket;			/* its input in the batcher (e-hubspot-outbox-batch.c)... */
	EHubSpotBatchKind batch_kind;	/* ...in a batch of this kind */
} SendData;

/* Locks (docs/design.md, "Locks"): a function whose name ends in _locked
 * expects the outbox's lock held; the others take it themselves.  The
 * owner's callbacks never run under the lock: code under it only notes
 * them, and the sender thread's sources drop the lock with
 * outbox_unlock_and_notify (), which calls them. */
G_GNUC_INTERNAL void	outbox_unlock_and_notify
						(EHubSpotOutbox *outbox);

/* The sending half. */
G_GNUC_INTERNAL void	outbox_schedule_pump	(EHubSpotOutbox *outbox);
G_GNUC_INTERNAL void	outbox_send_data_free	(SendData *sd);
G_GNUC_INTERNAL void	outbox_arm_timer_locked	(EHubSpotOutbox *outbox,
						 gint64 due);
G_GNUC_INTERNAL OutboxOp outbox_next_op_locked	(OutboxItem *item);
G_GNUC_INTERNAL void	outbox_status_changed_locked
						(EHubSpotOutbox *outbox);
G_GNUC_INTERNAL void	outbox_add_result_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 EHubSpotOutboxResultKind kind,
						 JsonNode *response,
						 GError *error);
/* Whether one more request (a search, or any other) may go at now: a
 * free place among this outbox's requests in flight, and the account's
 * budget's leave.  TRUE takes the place: the request must be sent, and
 * its end given to outbox_request_ended_locked ().  Else
 * *inout_next_wakeup learns when to ask again, unless only an answer can
 * free a place (its end pumps again, whichever calendar's it is). */
G_GNUC_INTERNAL gboolean outbox_may_send_locked	(EHubSpotOutbox *outbox,
						 gboolean search,
						 gint64 now,
						 gint64 *inout_next_wakeup);
/* ...the same question, taking nothing. */
G_GNUC_INTERNAL gboolean outbox_could_send_locked
						(EHubSpotOutbox *outbox,
						 gint64 now,
						 gint64 *inout_next_wakeup);

/* The meetings linked to an event: a lookup never adopts one of them. */
G_GNUC_INTERNAL void	outbox_link_locked	(EHubSpotOutbox *outbox,
						 const gchar *key,
						 const gchar *meeting_id);
G_GNUC_INTERNAL void	outbox_unlink_locked	(EHubSpotOutbox *outbox,
						 const gchar *key,
						 const gchar *meeting_id);
/* The search key of a request (owner's title and start instant), or NULL. */
G_GNUC_INTERNAL gchar *	outbox_search_key	(JsonNode *request);
/* Whether a request with this search key is in flight in table: a
 * lookup then could see (and adopt) the meeting a create makes. */
G_GNUC_INTERNAL gboolean outbox_is_busy_locked	(GHashTable *table,
						 JsonNode *request);
/* Frees sd's places in busy_table (see SendData). */
G_GNUC_INTERNAL void	outbox_release_busy_locked
						(SendData *sd);

/* The answers' half. */
G_GNUC_INTERNAL void	outbox_request_ended_locked
						(EHubSpotOutbox *outbox,
						 const EHubSpotResponseInfo *info,
						 gboolean search);
/* 401 and 429 concern the whole account: TRUE when error was one (the
 * outbox then waits for a token, or pauses). */
G_GNUC_INTERNAL gboolean outbox_handle_account_error_locked
						(EHubSpotOutbox *outbox,
						 const GError *error);
/* What every failed request shares (a meeting's, a directory call's): the
 * status shows the error, and 401 and 429 are dealt with (TRUE).  Else
 * FALSE: *inout_attempts counts the failure and *out_delay_ms says when to
 * try again, or is E_HUBSPOT_RETRY_NEVER. */
G_GNUC_INTERNAL gboolean outbox_note_failure_locked
						(EHubSpotOutbox *outbox,
						 const GError *error,
						 guint *inout_attempts,
						 gint64 *out_delay_ms);
G_GNUC_INTERNAL gboolean outbox_handle_transient_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 const GError *error,
						 gboolean may_have_created);

/* Attendees (e-hubspot-outbox-attendees.c). */
G_GNUC_INTERNAL void	outbox_attendees_init	(EHubSpotOutbox *outbox,
						 const EHubSpotOutboxSettings *settings);
G_GNUC_INTERNAL void	outbox_attendees_clear	(EHubSpotOutbox *outbox);
G_GNUC_INTERNAL void	outbox_attendees_item_clear
						(OutboxItem *item);
/* The request changed: its attendees are read again. */
G_GNUC_INTERNAL void	outbox_attendees_item_set_request
						(OutboxItem *item);
/* The item leaves the queue: what its meeting has is kept for the next
 * change of the event; restored once the item knows its meeting. */
G_GNUC_INTERNAL void	outbox_attendees_item_forget_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item);
G_GNUC_INTERNAL void	outbox_attendees_item_recall_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item);
/* Starts the directory calls the waiting items need. */
G_GNUC_INTERNAL void	outbox_attendees_pump_locked
						(EHubSpotOutbox *outbox,
						 gint64 now,
						 gint64 *inout_next_wakeup);
/* What item sends for op now: FALSE to wait (or nothing to send); TRUE
 * with sd filled, and *inout_op an OP_UPDATE or OP_ASSOCIATE when it was
 * OP_ATTENDEES. */
G_GNUC_INTERNAL gboolean outbox_attendees_plan_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp *inout_op,
						 SendData *sd,
						 gint64 now);
/* A create or PATCH carrying sd->resolution succeeded. */
G_GNUC_INTERNAL void	outbox_attendees_sent_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp op,
						 SendData *sd);
/* A lookup found the meeting: which attendees it has is unknown. */
G_GNUC_INTERNAL void	outbox_attendees_adopted_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item);
G_GNUC_INTERNAL void	outbox_associate_done_locked
						(EHubSpotOutbox *outbox,
						 SendData *sd,
						 JsonNode *response,
						 GError *error);
/* Items whose meeting still lacks some attendees. */
G_GNUC_INTERNAL guint	outbox_attendees_pending_locked
						(EHubSpotOutbox *outbox);

/* Batch calls (e-hubspot-outbox-batch.c).  The pump offers each op it
 * would send (a create of a meeting that ended, a PATCH, a cancel),
 * planned as op from the item's next_op: TRUE when the account's batcher
 * took it (and sd), which sends it with others once full or after a
 * short wait.  What was handed over stays there from pump to pump, as
 * long as its item is as it was; else it is taken back, or, gone
 * already, its item is in flight. */
G_GNUC_INTERNAL gboolean outbox_batch_offer_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp next_op,
						 OutboxOp op,
						 SendData *sd,
						 gint64 now);
/* Whether next_op of item would go in a batch (planned, an OP_ATTENDEES
 * may still become an association): the pump offers these even while
 * no request of item's own could go. */
G_GNUC_INTERNAL gboolean outbox_batch_could_take_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp next_op);
/* TRUE when item waits in the batcher for next_op, as it is, or went:
 * the pump leaves it there.  A gathered sd the item outgrew is taken
 * back, or, gone, makes the item in flight (TRUE). */
G_GNUC_INTERNAL gboolean outbox_batch_holds_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp next_op);
/* The item is dropped: its gathered sd, if any, is taken back (the pump
 * settled it first: it has not gone); its task frees it. */
G_GNUC_INTERNAL void	outbox_batch_forget_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item);
/* Takes back whatever was handed over and has not gone (new settings). */
G_GNUC_INTERNAL void	outbox_batch_clear_locked
						(EHubSpotOutbox *outbox);
/* A create's answer (response borrowed) or its error (taken). */
G_GNUC_INTERNAL void	outbox_create_done_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 JsonNode *response,
						 GError *error);
/* A PATCH's or a cancel's answer (response borrowed) or its error
 * (taken); op is OP_UPDATE or OP_CANCEL. */
G_GNUC_INTERNAL void	outbox_update_done_locked
						(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp op,
						 JsonNode *response,
						 GError *error);
/* Sends op for item alone; sd (taken) holds what the attendees resolved to. */
G_GNUC_INTERNAL void	outbox_start_locked	(EHubSpotOutbox *outbox,
						 OutboxItem *item,
						 OutboxOp op,
						 SendData *sd);
/* The body of item's PATCH (OP_UPDATE, with sd's attendees) or cancel
 * PATCH (OP_CANCEL). */
G_GNUC_INTERNAL JsonNode *outbox_update_body	(OutboxItem *item,
						 OutboxOp op,
						 SendData *sd);
/* Holds key (taken) in table until sd's request ends. */
G_GNUC_INTERNAL void	outbox_hold_busy_locked	(SendData *sd,
						 GHashTable *table,
						 gchar *key);

/* A refresh's fetch (e-hubspot-outbox-fetch.c): starts its
 * next request when it may.  With the lock held. */
G_GNUC_INTERNAL void	outbox_fetch_pump_locked
						(EHubSpotOutbox *outbox,
						 gint64 now,
						 gint64 *inout_next_wakeup);
G_GNUC_INTERNAL void	outbox_fetch_clear_locked
						(EHubSpotOutbox *outbox);

/* The access token of a calendar signed in with HubSpot
 * (e-hubspot-outbox-token.c). */
G_GNUC_INTERNAL void	outbox_token_clear	(EHubSpotOutbox *outbox);
/* Whether requests may go as far as the token is concerned (always, with
 * a bearer key).  Else notes when to look again in *inout_next_wakeup,
 * and sets *out_ask when EDS must be asked: the caller calls
 * outbox_token_ask () once it dropped the lock. */
G_GNUC_INTERNAL gboolean outbox_token_ready_locked
						(EHubSpotOutbox *outbox,
						 gint64 now,
						 gint64 *inout_next_wakeup,
						 gboolean *out_ask);
G_GNUC_INTERNAL void	outbox_token_ask	(EHubSpotOutbox *outbox);
/* A request's end: which token got a 401. */
G_GNUC_INTERNAL void	outbox_token_request_ended_locked
						(EHubSpotOutbox *outbox,
						 const EHubSpotResponseInfo *info);
/* A 401 with OAuth: TRUE, the request waits for a new token. */
G_GNUC_INTERNAL gboolean outbox_token_refused_locked
						(EHubSpotOutbox *outbox,
						 const GError *error);

/* The answers' half: GAsyncReadyCallbacks of the requests (on the sender
 * thread; they end with outbox_unlock_and_notify ()). */
G_GNUC_INTERNAL void	outbox_send_done_cb	(GObject *source_object,
						 GAsyncResult *async_result,
						 gpointer user_data);
G_GNUC_INTERNAL void	outbox_owner_done_cb	(GObject *source_object,
						 GAsyncResult *async_result,
						 gpointer user_data);
G_GNUC_INTERNAL void	outbox_account_info_done_cb
						(GObject *source_object,
						 GAsyncResult *async_result,
						 gpointer user_data);

G_END_DECLS

#endif /* E_HUBSPOT_OUTBOX_PRIVATE_H */
