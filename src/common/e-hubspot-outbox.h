/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The sender: a thread with its own main context and its own HubSpot
 * connection.  For each event it knows the state HubSpot should reach
 * (a meeting with these properties, or a cancelled one) and what HubSpot
 * has (a meeting id or none), and sends what closes the gap: a create, a
 * PATCH, a cancel, or first a lookup when an earlier create may have
 * reached HubSpot unseen.  Several requests in flight, paced under the
 * account's rate limit, retried as HubSpot's errors say.
 *
 * The queue in memory mirrors the cache (rows marked pending or dirty,
 * tombstones of removed events): the cache, not this queue, survives a
 * crash, and the backend fills the queue again from it. */

#ifndef E_HUBSPOT_OUTBOX_H
#define E_HUBSPOT_OUTBOX_H

#include <json-glib/json-glib.h>
#include <libedataserver/libedataserver.h>

#include "common/e-hubspot-clock.h"
#include "common/e-hubspot-connection.h"

G_BEGIN_DECLS

typedef struct _EHubSpotOutbox EHubSpotOutbox;

typedef enum {
	E_HUBSPOT_OUTBOX_CREATED,	/* a meeting was created, or an earlier one found */
	E_HUBSPOT_OUTBOX_UPDATED,	/* the meeting now has the event's properties (or,
					 * with no response, its attendees' associations) */
	E_HUBSPOT_OUTBOX_CANCELLED,	/* a removed event's meeting is cancelled (or gone) */
	E_HUBSPOT_OUTBOX_FAILED		/* HubSpot refused for good: error says why */
} EHubSpotOutboxResultKind;

typedef struct {
	gchar *uid;
	EHubSpotOutboxResultKind kind;
	gchar *meeting_id;	/* the meeting, when known */
	JsonNode *response;	/* HubSpot's meeting object: the create's answer for
				 * CREATED, the PATCH's for UPDATED; NULL for an
				 * UPDATED that only added associations */
	GError *error;		/* for FAILED */
} EHubSpotOutboxResult;

/* What a refresh fetched from HubSpot (e_hubspot_outbox_start_fetch ()). */
typedef struct {
	gint64 from;		/* the window, Unix seconds */
	gint64 until;
	GPtrArray *meetings;	/* JsonNode *: the owner's meetings the search found */
	GHashTable *reads;	/* meeting id ~> JsonNode * of a checked meeting the
				 * search did not return; a null node: not found */
	GError *error;		/* the fetch failed: nothing to apply */
} EHubSpotOutboxFetch;

/* All are called on the sender thread, never with the outbox's lock
 * held (docs/design.md, "Locks"): they may take their owner's lock, and
 * must not call the outbox back nor wait for another thread. */
typedef struct {
	void	(* results_ready)	(gpointer user_data);
	void	(* credentials_rejected)(gpointer user_data,
					 const GError *error);
	void	(* fetch_ready)		(gpointer user_data);
	/* The owner of settings.owner_email is known (error NULL), or
	 * HubSpot has none (error says so; nothing is sent until another
	 * e-mail is set). */
	void	(* owner_found)		(gpointer user_data,
					 const gchar *owner_id,
					 const gchar *user_id,
					 const GError *error);
} EHubSpotOutboxCallbacks;

typedef struct {
	const gchar *api_url;
	const gchar *account_key;	/* names the account (its portal id): calendars of
					 * one account share one rate budget */
	const gchar *owner_id;		/* for lookups */
	const gchar *organizer_user_id;
	const gchar *owner_email;	/* without owner_id and organizer_user_id: the
					 * calendar's Email, whose owner is looked up
					 * before anything goes (docs/design.md, "Signing in") */
	guint max_in_flight;
	guint lookup_delay_ms;		/* the search index's lag */
	gboolean archive_on_remove;	/* DELETE instead of outcome CANCELED */
	gboolean create_contacts;	/* attendees who are no contact become one */
	gboolean associate_companies;	/* and the contacts' companies are associated */
	const gchar *status_file;	/* where `evolution-hubspot status` reads the state, or NULL */
	ESource *oauth2_source;		/* signed in with HubSpot: the outbox gets and renews
					 * its access tokens through EDS for this source;
					 * NULL: a bearer key, handed over with set_token () */
	EHubSpotClock *clock;		/* what the outbox reads the time from and waits on;
					 * NULL: the real clock */
	EHubSpotConnection *connection;	/* NULL: the outbox makes its own for api_url;
					 * else it sends through this one (referenced) */
	guint32 jitter_seed;		/* the retries' jitter: 0 random; else this seed,
					 * so that tests repeat */
} EHubSpotOutboxSettings;

EHubSpotOutbox *e_hubspot_outbox_new		(const EHubSpotOutboxSettings *settings,
						 const EHubSpotOutboxCallbacks *callbacks,
						 gpointer user_data,
						 GError **error);
void		e_hubspot_outbox_free		(EHubSpotOutbox *outbox);

/* A bearer key (a service key or a private app's token). */
void		e_hubspot_outbox_set_token	(EHubSpotOutbox *outbox,
						 const gchar *token);
/* Signed in with HubSpot: the outbox asks EDS for source's access token
 * before the one it has expires or when HubSpot says it did, on its own
 * thread (docs/design.md, "Signing in"); renew: ask now, and again after
 * EDS had none (a new sign-in makes the old token useless). */
void		e_hubspot_outbox_use_oauth2	(EHubSpotOutbox *outbox,
						 ESource *source,
						 gboolean renew);
gboolean	e_hubspot_outbox_has_token	(EHubSpotOutbox *outbox);
void		e_hubspot_outbox_set_online	(EHubSpotOutbox *outbox,
						 gboolean online);
/* The calendar's Email changed while its owner is unknown: look it up
 * again. */
void		e_hubspot_outbox_set_owner_email
						(EHubSpotOutbox *outbox,
						 const gchar *email);

void		e_hubspot_outbox_set_policy	(EHubSpotOutbox *outbox,
						 const EHubSpotOutboxSettings *settings);
void		e_hubspot_outbox_set_account_info
						(EHubSpotOutbox *outbox,
						 const gchar *portal_id,
						 const gchar *ui_domain);
gboolean	e_hubspot_outbox_dup_account_info
						(EHubSpotOutbox *outbox,
						 gchar **out_portal_id,
						 gchar **out_ui_domain);

/* The event should be a meeting like request (a create body).  meeting_id:
 * the meeting it already is, or NULL; uncertain: a create for it may have
 * reached HubSpot unseen (after a restart): look it up before creating.
 * The request's attendees (E_HUBSPOT_ATTENDEES_MEMBER) are looked up first
 * (owners, contacts), and become hs_attendee_owner_ids and associations;
 * while HubSpot's directory fails, the meeting goes without them, and
 * they are added once it answers again (the key has work until then).
 * A request of an event that had ended (outcome COMPLETED) is logged with
 * the CRM create instead of the scheduler's. */
void		e_hubspot_outbox_put		(EHubSpotOutbox *outbox,
						 const gchar *uid,
						 JsonNode *request,
						 const gchar *meeting_id,
						 gboolean uncertain);
/* The event was removed: cancel its meeting.  request (may be NULL) is its
 * last create body, used to look the meeting up when its id is unknown. */
void		e_hubspot_outbox_remove		(EHubSpotOutbox *outbox,
						 const gchar *uid,
						 JsonNode *request,
						 const gchar *meeting_id,
						 gboolean uncertain);
/* Keys: an event's UID, or for one occurrence of a recurring event the
 * UID, E_HUBSPOT_OCCURRENCE_KEY_SEPARATOR and the occurrence's recurrence
 * id (e_hubspot_recurrence_make_key ()).  Only
 * e_hubspot_outbox_has_series_work () looks inside a key. */

/* Whether anything is still to be sent for this key. */
gboolean	e_hubspot_outbox_has_work	(EHubSpotOutbox *outbox,
						 const gchar *uid);

/* Whether the key has work, or a meeting created for it that the cache
 * does not hold yet. */
gboolean	e_hubspot_outbox_is_sending	(EHubSpotOutbox *outbox,
						 const gchar *uid);

/* ...for the event with this UID, or any of its occurrences. */
gboolean	e_hubspot_outbox_has_series_work
						(EHubSpotOutbox *outbox,
						 const gchar *uid);

/* Whether a meeting a refresh found is the outbox's own: an event's
 * (created and not yet stored in the cache, or any meeting linked), or
 * maybe the one of a create still on its way or being looked up whose
 * title and UTC start are these.  When it is not, the refresh shows it as
 * an event of its own: from then on no lookup adopts it. */
gboolean	e_hubspot_outbox_claims_meeting	(EHubSpotOutbox *outbox,
						 const gchar *meeting_id,
						 const gchar *title,
						 const gchar *start);

/* The cache links meeting_id to the event (or occurrence) key: a lookup
 * never adopts it for another.  The backend tells the outbox of every
 * meeting in the cache when it connects; the outbox keeps the set current
 * from then on (creates, lookups, cancels). */
void		e_hubspot_outbox_link		(EHubSpotOutbox *outbox,
						 const gchar *key,
						 const gchar *meeting_id);

GPtrArray *	e_hubspot_outbox_steal_results	(EHubSpotOutbox *outbox);
void		e_hubspot_outbox_results_stored	(EHubSpotOutbox *outbox,
						 GPtrArray *results);
gboolean	e_hubspot_outbox_is_idle	(EHubSpotOutbox *outbox);

/* The network half of a refresh, on the sender thread, within the same
 * budget as everything else sent for the account: every page of the
 * owner's meetings starting in [from, until] (Unix seconds), then a read
 * of each of check_ids (meeting ids) the search did not return.  FALSE
 * when a fetch is already under way or waits to be taken.  fetch_ready is
 * called when it is done. */
gboolean	e_hubspot_outbox_start_fetch	(EHubSpotOutbox *outbox,
						 gint64 from,
						 gint64 until,
						 const gchar * const *properties,
						 GPtrArray *check_ids);
/* The finished fetch, or NULL while there is none or it runs. */
EHubSpotOutboxFetch *
		e_hubspot_outbox_take_fetch	(EHubSpotOutbox *outbox);
typedef enum {
	E_HUBSPOT_OUTBOX_FETCH_NONE,
	E_HUBSPOT_OUTBOX_FETCH_RUNNING,
	E_HUBSPOT_OUTBOX_FETCH_DONE	/* waits to be taken */
} EHubSpotOutboxFetchState;

EHubSpotOutboxFetchState
		e_hubspot_outbox_get_fetch_state
						(EHubSpotOutbox *outbox);
void		e_hubspot_outbox_fetch_free	(EHubSpotOutboxFetch *fetch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EHubSpotOutboxFetch, e_hubspot_outbox_fetch_free)

void		e_hubspot_outbox_result_free	(gpointer result);

G_END_DECLS

#endif /* E_HUBSPOT_OUTBOX_H */
