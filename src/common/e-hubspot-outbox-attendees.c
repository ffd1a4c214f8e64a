/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's attendees: before a meeting is created or PATCHed, its
 * attendees are looked up in HubSpot's directory: the owners list (paged,
 * kept an hour), then the others as contacts (batches of up to 100 e-mails
 * gathered across every waiting event, kept ten minutes, "not a contact"
 * too), optionally created, and optionally their companies.  These calls
 * go through the same pacer and retries as the meetings.
 *
 * A directory that fails does not hold meetings back: they go without
 * what could not be learnt, and stay "dirty" until it answers again; then
 * a PATCH sets the owners and batch creates add the associations.  A
 * modified event's new attendees are added the same way.  A call HubSpot
 * refuses for good (a missing scope) is not asked again for an hour, and
 * meetings do without it. */

#include <glib/gi18n-lib.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-requests.h"
#include "common/e-hubspot-retry.h"

#include "e-hubspot-outbox-private.h"

#define OWNERS_TTL_US		(G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define CONTACTS_TTL_US		(G_GINT64_CONSTANT (600) * G_USEC_PER_SEC)
#define REFUSED_US		(G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
/* A batch not full waits this long for more e-mails (events created
 * together are looked up together). */
#define GATHER_US		(50 * 1000)
/* 100 owners a page: 10,000 users. */
#define DIRECTORY_MAX_OWNER_PAGES	100

#define CONTACT_KEY_PREFIX	"contact:"
#define COMPANY_KEY_PREFIX	"company:"

typedef enum {
	DIRECTORY_OWNERS,
	DIRECTORY_READ,
	DIRECTORY_CREATE,
	DIRECTORY_COMPANIES
} DirectoryKind;

typedef struct {
	EHubSpotOutbox *outbox;
	DirectoryKind kind;
	GPtrArray *keys;	/* e-mails or contact ids asked */
} DirectoryData;

static void directory_done_cb (GObject *source_object, GAsyncResult *async_result, gpointer user_data);

/* What a meeting was given, kept when its item leaves the queue. */
typedef struct {
	gchar *meeting_id;
	GPtrArray *sent_owner_ids;
	GHashTable *associated;
} SentAttendees;

static void
sent_attendees_free (gpointer ptr)
{
	SentAttendees *sent = ptr;

	g_free (sent->meeting_id);
	g_clear_pointer (&sent->sent_owner_ids, g_ptr_array_unref);
	g_clear_pointer (&sent->associated, g_hash_table_unref);
	g_free (sent);
}

void
outbox_attendees_init (EHubSpotOutbox *outbox,
		       const EHubSpotOutboxSettings *settings)
{
	outbox->create_contacts = settings->create_contacts;
	outbox->associate_companies = settings->associate_companies;
	outbox->directory = e_hubspot_directory_new (OWNERS_TTL_US, CONTACTS_TTL_US);
	outbox->reading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	outbox->creating = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	outbox->companies_reading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	outbox->sent_attendees = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sent_attendees_free);
}

void
outbox_attendees_clear (EHubSpotOutbox *outbox)
{
	g_clear_pointer (&outbox->directory, e_hubspot_directory_free);
	g_clear_pointer (&outbox->reading, g_hash_table_unref);
	g_clear_pointer (&outbox->creating, g_hash_table_unref);
	g_clear_pointer (&outbox->companies_reading, g_hash_table_unref);
	g_clear_pointer (&outbox->sent_attendees, g_hash_table_unref);
	g_clear_pointer (&outbox->owners_partial, g_hash_table_unref);
	g_clear_pointer (&outbox->owners_after, g_free);
}

void
outbox_attendees_item_clear (OutboxItem *item)
{
	g_clear_pointer (&item->attendees, g_ptr_array_unref);
	g_clear_pointer (&item->sent_owner_ids, g_ptr_array_unref);
	g_clear_pointer (&item->associated, g_hash_table_unref);
}

void
outbox_attendees_item_set_request (OutboxItem *item)
{
	g_clear_pointer (&item->attendees, g_ptr_array_unref);
	item->attendees = e_hubspot_attendees_from_body (item->request);
}

void
outbox_attendees_item_forget_locked (EHubSpotOutbox *outbox,
				     OutboxItem *item)
{
	SentAttendees *sent;

	if (!item->meeting_id || item->removed || (!item->sent_owner_ids && !item->associated)) {
		g_hash_table_remove (outbox->sent_attendees, item->uid);
		return;
	}

	sent = g_new0 (SentAttendees, 1);
	sent->meeting_id = g_strdup (item->meeting_id);
	sent->sent_owner_ids = g_steal_pointer (&item->sent_owner_ids);
	sent->associated = g_steal_pointer (&item->associated);
	g_hash_table_replace (outbox->sent_attendees, g_strdup (item->uid), sent);
}

void
outbox_attendees_item_recall_locked (EHubSpotOutbox *outbox,
				     OutboxItem *item)
{
	SentAttendees *sent = g_hash_table_lookup (outbox->sent_attendees, item->uid);

	if (!sent || item->sent_owner_ids || item->associated)
		return;

	/* Only for the same meeting; after a restart nothing is known, and
	 * everything is associated again (HubSpot keeps one of each). */
	if (g_strcmp0 (sent->meeting_id, item->meeting_id) == 0) {
		item->sent_owner_ids = g_steal_pointer (&sent->sent_owner_ids);
		item->associated = g_steal_pointer (&sent->associated);
	}
	g_hash_table_remove (outbox->sent_attendees, item->uid);
}

static gboolean
item_has_attendees (OutboxItem *item)
{
	return item->attendees && item->attendees->len > 0;
}

/* Resolving */

static gboolean
call_refused (const OutboxDirectoryCall *call,
	      gint64 now)
{
	return call->refused_until > now;
}

static EHubSpotAttendeeResolution *
outbox_resolve_locked (EHubSpotOutbox *outbox,
		       OutboxItem *item,
		       gint64 now,
		       EHubSpotDirectoryNeeds *needs)
{
	EHubSpotResolveOptions options = { 0, };

	options.create_contacts = outbox->create_contacts;
	options.associate_companies = outbox->associate_companies;
	options.without_owners = call_refused (&outbox->owners_call, now) &&
		!e_hubspot_directory_has_owners (outbox->directory);
	options.self_owner_id = outbox->owner_id;

	return e_hubspot_directory_resolve (outbox->directory, item->attendees, &options, now, needs);
}

typedef enum {
	NEEDS_NONE,		/* everything is known, or will not be */
	NEEDS_DEGRADED,		/* some of it cannot be had now: go without */
	NEEDS_WAIT		/* answers are on their way: wait for them */
} NeedsState;

/* Whether an item can go with what is known.  A failing call is tried
 * again by outbox_attendees_pump_locked(), whose answer pumps again. */
static NeedsState
outbox_needs_state_locked (EHubSpotOutbox *outbox,
			   const EHubSpotDirectoryNeeds *needs,
			   gint64 now)
{
	const struct {
		gboolean needed;
		const OutboxDirectoryCall *call;
	} kinds[] = {
		{ needs->owners, &outbox->owners_call },
		{ needs->lookups->len > 0, &outbox->read_call },
		{ needs->creates->len > 0, &outbox->create_call },
		{ needs->companies->len > 0, &outbox->companies_call }
	};
	NeedsState state = NEEDS_NONE;
	guint ii;

	for (ii = 0; ii < G_N_ELEMENTS (kinds); ii++) {
		if (!kinds[ii].needed || call_refused (kinds[ii].call, now))
			continue;

		if (kinds[ii].call->failing)
			state = MAX (state, NEEDS_DEGRADED);
		else
			state = NEEDS_WAIT;
	}

	return state;
}

static gboolean
owners_equal (GPtrArray *a,
	      GPtrArray *b)
{
	guint ii, jj;

	if (a->len != b->len)
		return FALSE;

	for (ii = 0; ii < a->len; ii++) {
		gboolean found = FALSE;

		for (jj = 0; jj < b->len && !found; jj++)
			found = g_strcmp0 (g_ptr_array_index (a, ii), g_ptr_array_index (b, jj)) == 0;
		if (!found)
			return FALSE;
	}

	return TRUE;
}

/* The ids (at most one batch) the meeting lacks; NULL when none. */
static GPtrArray *
missing_ids (OutboxItem *item,
	     GPtrArray *ids,
	     const gchar *prefix)
{
	GPtrArray *missing = NULL;
	guint ii;

	for (ii = 0; ii < ids->len && (!missing || missing->len < E_HUBSPOT_DIRECTORY_BATCH_MAX); ii++) {
		g_autofree gchar *key = g_strconcat (prefix, g_ptr_array_index (ids, ii), NULL);

		if (item->associated && g_hash_table_contains (item->associated, key))
			continue;
		if (!missing)
			missing = g_ptr_array_new_with_free_func (g_free);
		g_ptr_array_add (missing, g_strdup (g_ptr_array_index (ids, ii)));
	}

	return missing;
}

static void
item_associate (OutboxItem *item,
		GPtrArray *ids,
		const gchar *prefix)
{
	guint ii;

	if (!item->associated)
		item->associated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

	for (ii = 0; ids && ii < ids->len; ii++)
		g_hash_table_add (item->associated, g_strconcat (prefix, g_ptr_array_index (ids, ii), NULL));
}

/* The meeting has every attendee it can have: the event can say so. */
static void
item_attendees_done_locked (EHubSpotOutbox *outbox,
			    OutboxItem *item)
{
	item->attendees_dirty = FALSE;
	outbox_add_result_locked (outbox, item, E_HUBSPOT_OUTBOX_UPDATED, NULL, NULL);
}

gboolean
outbox_attendees_plan_locked (EHubSpotOutbox *outbox,
			      OutboxItem *item,
			      OutboxOp *inout_op,
			      SendData *sd,
			      gint64 now)
{
	EHubSpotAttendeeResolution *resolution;
	EHubSpotDirectoryNeeds needs;
	NeedsState state;
	GPtrArray *missing;
	gboolean owners_known;

	if (!item_has_attendees (item) && *inout_op == OP_ATTENDEES) {
		item_attendees_done_locked (outbox, item);
		return FALSE;
	}

	e_hubspot_directory_needs_init (&needs);
	resolution = outbox_resolve_locked (outbox, item, now, &needs);
	state = outbox_needs_state_locked (outbox, &needs, now);
	owners_known = !needs.owners;
	e_hubspot_directory_needs_clear (&needs);

	/* The directory calls were started by outbox_attendees_pump_locked(). */
	if (state == NEEDS_WAIT) {
		e_hubspot_attendee_resolution_free (resolution);
		return FALSE;
	}
	resolution->complete = state == NEEDS_NONE;

	if (*inout_op != OP_ATTENDEES) {
		sd->resolution = resolution;
		return TRUE;
	}

	/* The meeting exists: owners are PATCHed, the rest associated. */
	if (owners_known && (item->sent_owner_ids ? !owners_equal (item->sent_owner_ids, resolution->owner_ids) :
	    resolution->owner_ids->len > 0)) {
		*inout_op = OP_UPDATE;
		sd->resolution = resolution;
		return TRUE;
	}

	missing = missing_ids (item, resolution->contact_ids, CONTACT_KEY_PREFIX);
	sd->associate_type = E_HUBSPOT_ASSOCIATION_CONTACT;
	if (!missing) {
		missing = missing_ids (item, resolution->company_ids, COMPANY_KEY_PREFIX);
		sd->associate_type = E_HUBSPOT_ASSOCIATION_COMPANY;
	}
	if (missing) {
		*inout_op = OP_ASSOCIATE;
		sd->associate_ids = missing;
		sd->resolution = resolution;
		return TRUE;
	}

	/* Degraded: the rest waits for the directory to answer again. */
	if (resolution->complete)
		item_attendees_done_locked (outbox, item);
	e_hubspot_attendee_resolution_free (resolution);

	return FALSE;
}

/* Whether the meeting lacks some of what resolution found. */
static gboolean
item_lacks (OutboxItem *item,
	    EHubSpotAttendeeResolution *resolution)
{
	g_autoptr(GPtrArray) contacts = missing_ids (item, resolution->contact_ids, CONTACT_KEY_PREFIX);
	g_autoptr(GPtrArray) companies = missing_ids (item, resolution->company_ids, COMPANY_KEY_PREFIX);

	return !resolution->complete || contacts || companies;
}

void
outbox_attendees_sent_locked (EHubSpotOutbox *outbox,
			      OutboxItem *item,
			      OutboxOp op,
			      SendData *sd)
{
	EHubSpotAttendeeResolution *resolution = sd->resolution;
	guint ii;

	if (!resolution)
		return;

	g_clear_pointer (&item->sent_owner_ids, g_ptr_array_unref);
	item->sent_owner_ids = g_ptr_array_new_with_free_func (g_free);
	for (ii = 0; ii < resolution->owner_ids->len; ii++)
		g_ptr_array_add (item->sent_owner_ids, g_strdup (g_ptr_array_index (resolution->owner_ids, ii)));

	/* A create carries its associations; a PATCH none. */
	if (op == OP_CREATE) {
		g_clear_pointer (&item->associated, g_hash_table_unref);
		item_associate (item, resolution->contact_ids, CONTACT_KEY_PREFIX);
		item_associate (item, resolution->company_ids, COMPANY_KEY_PREFIX);
	}

	item->attendees_dirty = item_has_attendees (item) && item_lacks (item, resolution);
}

void
outbox_attendees_adopted_locked (EHubSpotOutbox *outbox,
				 OutboxItem *item)
{
	g_clear_pointer (&item->sent_owner_ids, g_ptr_array_unref);
	g_clear_pointer (&item->associated, g_hash_table_unref);
	item->attendees_dirty = item_has_attendees (item);
}

void
outbox_associate_done_locked (EHubSpotOutbox *outbox,
			      SendData *sd,
			      JsonNode *response,
			      GError *error)
{
	OutboxItem *item = sd->item;

	if (!error) {
		/* Still dirty: the next pump sees whether more is missing,
		 * or tells the backend the meeting is complete. */
		item->attempts = 0;
		item_associate (item, sd->associate_ids,
			sd->associate_type == E_HUBSPOT_ASSOCIATION_COMPANY ? COMPANY_KEY_PREFIX : CONTACT_KEY_PREFIX);
		return;
	}

	if (!outbox_handle_transient_locked (outbox, item, error, FALSE)) {
		/* Refused for good (the meeting or a contact is gone, a
		 * scope is missing): the meeting stays as it is until the
		 * event changes; the status keeps the error. */
		g_debug ("%s: '%s': associations refused: %s", G_STRFUNC, item->uid, error->message);
		item->attempts = 0;
		item_attendees_done_locked (outbox, item);
	}

	g_clear_error (&error);
}

guint
outbox_attendees_pending_locked (EHubSpotOutbox *outbox)
{
	GList *link;
	guint count = 0;

	for (link = outbox->queue.head; link; link = link->next) {
		OutboxItem *item = link->data;

		if (item->attendees_dirty && item->meeting_id && !item->removed && !item->given_up)
			count++;
	}

	return count;
}

/* The directory calls */

/* Whether one more call of this kind may go now. */
static gboolean
directory_may_start_locked (EHubSpotOutbox *outbox,
			    const OutboxDirectoryCall *call,
			    gint64 now,
			    gint64 *inout_next_wakeup)
{
	if (call_refused (call, now))
		return FALSE;

	if (call->not_before > now) {
		*inout_next_wakeup = MIN (*inout_next_wakeup, call->not_before);
		return FALSE;
	}

	return outbox_may_send_locked (outbox, FALSE, now, inout_next_wakeup);
}

static OutboxDirectoryCall *
directory_call (EHubSpotOutbox *outbox,
		DirectoryKind kind)
{
	switch (kind) {
	case DIRECTORY_OWNERS:
		return &outbox->owners_call;
	case DIRECTORY_READ:
		return &outbox->read_call;
	case DIRECTORY_CREATE:
		return &outbox->create_call;
	case DIRECTORY_COMPANIES:
		return &outbox->companies_call;
	}

	g_return_val_if_reached (NULL);
}

/* Sends a directory call; keys (taken) are what it asks about. */
static void
directory_send_locked (EHubSpotOutbox *outbox,
		       DirectoryKind kind,
		       const gchar *method,
		       const gchar *path,
		       JsonNode *body,
		       GPtrArray *keys)
{
	DirectoryData *dd = g_new0 (DirectoryData, 1);

	dd->outbox = outbox;
	dd->kind = kind;
	dd->keys = keys;
	directory_call (outbox, kind)->busy++;
	outbox->in_flight++;

	e_hubspot_connection_request (outbox->cnc, method, path, body, outbox->cancellable, directory_done_cb, dd);
}

static void
directory_start_owners_locked (EHubSpotOutbox *outbox,
			       gint64 now,
			       gint64 *inout_next_wakeup)
{
	g_autofree gchar *path = NULL;

	if (outbox->owners_call.busy || !directory_may_start_locked (outbox, &outbox->owners_call, now, inout_next_wakeup))
		return;

	path = e_hubspot_attendees_owners_path (outbox->owners_after);
	directory_send_locked (outbox, DIRECTORY_OWNERS, "GET", path, NULL, NULL);
}

/* What waits to be asked, in the order the events name it, each once. */
typedef struct {
	GPtrArray *keys;
	GHashTable *values;	/* key ~> value (a name), or NULL */
} Pending;

static void
pending_init (Pending *pending)
{
	pending->keys = g_ptr_array_new_with_free_func (g_free);
	pending->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
pending_clear (Pending *pending)
{
	g_ptr_array_unref (pending->keys);
	g_hash_table_unref (pending->values);
}

static void
pending_add (Pending *pending,
	     const gchar *key,
	     const gchar *value)
{
	if (!g_hash_table_contains (pending->values, key)) {
		g_ptr_array_add (pending->keys, g_strdup (key));
		g_hash_table_insert (pending->values, g_strdup (key), g_strdup (value));
	} else if (value && !g_hash_table_lookup (pending->values, key)) {
		/* The first name known for the address. */
		g_hash_table_replace (pending->values, g_strdup (key), g_strdup (value));
	}
}

/* Sends what waits in pending by batches, but what busy has already. */
static void
directory_start_batches_locked (EHubSpotOutbox *outbox,
				DirectoryKind kind,
				Pending *pending,
				GHashTable *busy,
				gboolean gather,
				gint64 now,
				gint64 *inout_next_wakeup)
{
	OutboxDirectoryCall *call = directory_call (outbox, kind);
	g_autoptr(GPtrArray) todo = g_ptr_array_new ();
	guint ii, next = 0;

	for (ii = 0; ii < pending->keys->len; ii++) {
		if (!g_hash_table_contains (busy, g_ptr_array_index (pending->keys, ii)))
			g_ptr_array_add (todo, g_ptr_array_index (pending->keys, ii));
	}

	if (!todo->len) {
		if (gather)
			outbox->gather_until = 0;
		return;
	}

	/* A partial batch waits a moment for the e-mails of the events
	 * created right after this one. */
	if (gather && todo->len < E_HUBSPOT_DIRECTORY_BATCH_MAX) {
		if (!outbox->gather_until)
			outbox->gather_until = now + GATHER_US;
		if (outbox->gather_until > now) {
			*inout_next_wakeup = MIN (*inout_next_wakeup, outbox->gather_until);
			return;
		}
	}

	while (next < todo->len && directory_may_start_locked (outbox, call, now, inout_next_wakeup)) {
		g_autoptr(JsonNode) body = NULL;
		GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

		for (; next < todo->len && keys->len < E_HUBSPOT_DIRECTORY_BATCH_MAX; next++) {
			g_ptr_array_add (keys, g_strdup (g_ptr_array_index (todo, next)));
			g_hash_table_add (busy, g_strdup (g_ptr_array_index (todo, next)));
		}

		if (kind == DIRECTORY_READ) {
			body = e_hubspot_attendees_contacts_read_body ((const gchar * const *) keys->pdata, keys->len);
			directory_send_locked (outbox, kind, "POST", E_HUBSPOT_CONTACTS_READ_PATH, body, keys);
			outbox->gather_until = 0;
		} else {
			body = e_hubspot_attendees_ids_read_body ((const gchar * const *) keys->pdata, keys->len);
			directory_send_locked (outbox, kind, "POST", E_HUBSPOT_CONTACT_COMPANIES_READ_PATH, body, keys);
		}
	}
}

/* One create per address: HubSpot answers each on its own (409...). */
static void
directory_start_creates_locked (EHubSpotOutbox *outbox,
				Pending *creates,
				gint64 now,
				gint64 *inout_next_wakeup)
{
	guint ii;

	for (ii = 0; ii < creates->keys->len; ii++) {
		const gchar *email = g_ptr_array_index (creates->keys, ii);
		g_autoptr(JsonNode) body = NULL;
		GPtrArray *keys;

		if (g_hash_table_contains (outbox->creating, email))
			continue;
		if (!directory_may_start_locked (outbox, &outbox->create_call, now, inout_next_wakeup))
			break;

		keys = g_ptr_array_new_with_free_func (g_free);
		g_ptr_array_add (keys, g_strdup (email));
		g_hash_table_add (outbox->creating, g_strdup (email));
		body = e_hubspot_attendees_contact_create_body (email, g_hash_table_lookup (creates->values, email));
		directory_send_locked (outbox, DIRECTORY_CREATE, "POST", E_HUBSPOT_CONTACTS_PATH, body, keys);
	}
}

static void
needs_merge (EHubSpotDirectoryNeeds *needs,
	     Pending *lookups,
	     Pending *creates,
	     Pending *companies)
{
	guint ii;

	for (ii = 0; ii < needs->lookups->len; ii++)
		pending_add (lookups, g_ptr_array_index (needs->lookups, ii), NULL);

	for (ii = 0; ii < needs->creates->len; ii++) {
		EHubSpotAttendee *attendee = g_ptr_array_index (needs->creates, ii);

		pending_add (creates, attendee->email, attendee->name);
	}

	for (ii = 0; ii < needs->companies->len; ii++)
		pending_add (companies, g_ptr_array_index (needs->companies, ii), NULL);
}

void
outbox_attendees_pump_locked (EHubSpotOutbox *outbox,
			      gint64 now,
			      gint64 *inout_next_wakeup)
{
	Pending lookups, creates, companies;
	gboolean need_owners = FALSE, any = FALSE;
	GList *link;

	/* No call can start now: what they would ask need not be known. */
	if (!outbox_could_send_locked (outbox, now, inout_next_wakeup))
		return;

	pending_init (&lookups);
	pending_init (&creates);
	pending_init (&companies);

	/* What every event about to be sent still needs to know. */
	for (link = outbox->queue.head; link; link = link->next) {
		OutboxItem *item = link->data;
		OutboxOp op = outbox_next_op_locked (item);
		EHubSpotDirectoryNeeds needs;
		EHubSpotAttendeeResolution *resolution;

		if ((op != OP_CREATE && op != OP_UPDATE && op != OP_ATTENDEES) ||
		    !item_has_attendees (item) || item->not_before > now)
			continue;

		any = TRUE;
		e_hubspot_directory_needs_init (&needs);
		resolution = outbox_resolve_locked (outbox, item, now, &needs);
		need_owners = need_owners || needs.owners;
		needs_merge (&needs, &lookups, &creates, &companies);
		e_hubspot_directory_needs_clear (&needs);
		e_hubspot_attendee_resolution_free (resolution);
	}

	/* Owners first; an hour-old list is refreshed, meanwhile still used. */
	if (any && (need_owners || outbox->owners_partial ||
	    e_hubspot_directory_owners_expired (outbox->directory, now)))
		directory_start_owners_locked (outbox, now, inout_next_wakeup);

	directory_start_batches_locked (outbox, DIRECTORY_READ, &lookups, outbox->reading, TRUE, now, inout_next_wakeup);
	directory_start_creates_locked (outbox, &creates, now, inout_next_wakeup);
	directory_start_batches_locked (outbox, DIRECTORY_COMPANIES, &companies, outbox->companies_reading, FALSE,
		now, inout_next_wakeup);

	pending_clear (&lookups);
	pending_clear (&creates);
	pending_clear (&companies);
}

/* The answers */

static void
directory_succeeded (OutboxDirectoryCall *call)
{
	call->attempts = 0;
	call->failing = FALSE;
	call->refused_until = 0;
}

/* Returns FALSE when the error is permanent (the call is then refused
 * for a while, unless per_key: then the caller deals with the key). */
static gboolean
directory_failed_locked (EHubSpotOutbox *outbox,
			 OutboxDirectoryCall *call,
			 const GError *error,
			 gboolean per_key)
{
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	gint64 delay_ms;

	if (outbox_note_failure_locked (outbox, error, &call->attempts, &delay_ms))
		return TRUE;

	if (delay_ms == E_HUBSPOT_RETRY_NEVER) {
		if (!per_key) {
			g_message ("HubSpot refuses a directory call (%s): meetings go without it for an hour",
				error->message);
			call->failing = FALSE;
			call->attempts = 0;
			call->refused_until = now + REFUSED_US;
		}
		return FALSE;
	}

	/* Meetings stop waiting for it; it is tried again. */
	g_debug ("%s: %s, attempt %u, again in %" G_GINT64_FORMAT " ms", G_STRFUNC,
		error->message, call->attempts, delay_ms);
	call->failing = TRUE;
	call->not_before = now + delay_ms * 1000;

	return TRUE;
}

static void
directory_owners_done_locked (EHubSpotOutbox *outbox,
			      JsonNode *response,
			      GError **error)
{
	g_autofree gchar *after = NULL;

	if (!*error) {
		if (!outbox->owners_partial)
			outbox->owners_partial = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		if (!e_hubspot_attendees_parse_owners_page (response, outbox->owners_partial, &after))
			g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
				_("HubSpot’s list of owners cannot be read"));
	}

	if (*error) {
		g_clear_pointer (&outbox->owners_partial, g_hash_table_unref);
		g_clear_pointer (&outbox->owners_after, g_free);
		outbox->owners_pages = 0;
		directory_failed_locked (outbox, &outbox->owners_call, *error, FALSE);
		return;
	}

	/* An account has at most a few thousand users; a server that keeps
	 * sending pages is not followed beyond that. */
	if (after && ++outbox->owners_pages >= DIRECTORY_MAX_OWNER_PAGES) {
		g_message ("HubSpot’s list of owners went on for %d pages; the rest are not read",
			DIRECTORY_MAX_OWNER_PAGES);
		g_clear_pointer (&after, g_free);
	}

	g_free (outbox->owners_after);
	outbox->owners_after = g_steal_pointer (&after);
	if (!outbox->owners_after) {
		outbox->owners_pages = 0;
		e_hubspot_directory_set_owners (outbox->directory, g_steal_pointer (&outbox->owners_partial),
			e_hubspot_clock_get_monotonic (outbox->clock));
		directory_succeeded (&outbox->owners_call);
	}
}

static void
directory_read_done_locked (EHubSpotOutbox *outbox,
			    GPtrArray *emails,
			    JsonNode *response,
			    GError **error)
{
	g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	guint ii;

	if (!*error && !e_hubspot_attendees_parse_contacts_read (response, found))
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s answer about contacts cannot be read"));

	if (*error) {
		directory_failed_locked (outbox, &outbox->read_call, *error, FALSE);
		return;
	}

	/* Whoever is not in the answer is not a contact (HubSpot's 207). */
	for (ii = 0; ii < emails->len; ii++) {
		const gchar *email = g_ptr_array_index (emails, ii);

		e_hubspot_directory_set_contact (outbox->directory, email, g_hash_table_lookup (found, email), now);
	}
	directory_succeeded (&outbox->read_call);
}

static void
directory_create_done_locked (EHubSpotOutbox *outbox,
			      const gchar *email,
			      JsonNode *response,
			      GError **error)
{
	g_autofree gchar *id = NULL;
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);

	if (*error && e_hubspot_error_get_status (*error) == 409) {
		/* Created meanwhile (by someone else, or by a create whose
		 * answer was lost): HubSpot names it. */
		id = e_hubspot_attendees_conflict_id ((*error)->message);
		g_clear_error (error);
		if (!id) {
			/* Taken (a secondary e-mail of a contact the batch read
			 * does not find?) but not named: do without it. */
			e_hubspot_directory_set_refused (outbox->directory, email, now);
			directory_succeeded (&outbox->create_call);
			return;
		}
	} else if (!*error) {
		id = e_hubspot_json_dup_id (response, "id");
		if (!id)
			g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
				_("HubSpot’s answer does not name the created contact"));
	}

	if (*error) {
		if (!directory_failed_locked (outbox, &outbox->create_call, *error, TRUE)) {
			/* Refused for this address (not a valid e-mail for
			 * HubSpot...): the meeting goes without it. */
			g_debug ("%s: contact '%s' refused: %s", G_STRFUNC, email, (*error)->message);
			e_hubspot_directory_set_refused (outbox->directory, email, now);
		}
		return;
	}

	e_hubspot_directory_set_contact (outbox->directory, email, id, now);
	directory_succeeded (&outbox->create_call);
}

static void
directory_companies_done_locked (EHubSpotOutbox *outbox,
				 GPtrArray *contact_ids,
				 JsonNode *response,
				 GError **error)
{
	g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
		(GDestroyNotify) g_ptr_array_unref);
	gint64 now = e_hubspot_clock_get_monotonic (outbox->clock);
	guint ii;

	if (!*error && !e_hubspot_attendees_parse_companies_read (response, found))
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s answer about the contacts’ companies cannot be read"));

	if (*error) {
		directory_failed_locked (outbox, &outbox->companies_call, *error, FALSE);
		return;
	}

	/* A contact missing from the answer has no company. */
	for (ii = 0; ii < contact_ids->len; ii++) {
		const gchar *contact_id = g_ptr_array_index (contact_ids, ii);

		e_hubspot_directory_set_companies (outbox->directory, contact_id,
			g_hash_table_lookup (found, contact_id), now);
	}
	directory_succeeded (&outbox->companies_call);
}

static void
directory_done_cb (GObject *source_object,
		   GAsyncResult *async_result,
		   gpointer user_data)
{
	DirectoryData *dd = user_data;
	EHubSpotOutbox *outbox = dd->outbox;
	EHubSpotResponseInfo info = { 0, };
	g_autoptr(JsonNode) response = NULL;
	g_autoptr(GError) error = NULL;
	gboolean cancelled;
	guint ii;

	response = e_hubspot_connection_request_finish (E_HUBSPOT_CONNECTION (source_object),
		async_result, &info, &error);
	cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

	g_mutex_lock (&outbox->lock);
	outbox_request_ended_locked (outbox, &info, FALSE);
	directory_call (outbox, dd->kind)->busy--;

	switch (dd->kind) {
	case DIRECTORY_OWNERS:
		if (!cancelled)
			directory_owners_done_locked (outbox, response, &error);
		break;
	case DIRECTORY_READ:
		for (ii = 0; ii < dd->keys->len; ii++)
			g_hash_table_remove (outbox->reading, g_ptr_array_index (dd->keys, ii));
		if (!cancelled)
			directory_read_done_locked (outbox, dd->keys, response, &error);
		break;
	case DIRECTORY_CREATE:
		g_hash_table_remove (outbox->creating, g_ptr_array_index (dd->keys, 0));
		if (!cancelled)
			directory_create_done_locked (outbox, g_ptr_array_index (dd->keys, 0), response, &error);
		break;
	case DIRECTORY_COMPANIES:
		for (ii = 0; ii < dd->keys->len; ii++)
			g_hash_table_remove (outbox->companies_reading, g_ptr_array_index (dd->keys, ii));
		if (!cancelled)
			directory_companies_done_locked (outbox, dd->keys, response, &error);
		break;
	}

	outbox_status_changed_locked (outbox);
	outbox_unlock_and_notify (outbox);

	g_clear_pointer (&dd->keys, g_ptr_array_unref);
	g_free (dd);

	/* Shutting down: nothing more starts. */
	if (!cancelled)
		outbox_schedule_pump (outbox);
}
