/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* An event's attendees and HubSpot (docs/design.md, "Attendees"):
 * owners go to hs_attendee_owner_ids, contacts (and optionally their
 * companies) become the meeting's associations.
 *
 * The mapping puts the attendees into the create body as a private member
 * (E_HUBSPOT_ATTENDEES_MEMBER); the outbox looks them up (the calls'
 * bodies and answers are here, what is known in e-hubspot-directory.h)
 * and builds the body it sends from the create body and what the
 * attendees resolved to.  Pure: no I/O. */

#ifndef E_HUBSPOT_ATTENDEES_H
#define E_HUBSPOT_ATTENDEES_H

#include <json-glib/json-glib.h>

#ifndef LIBICAL_GLIB_UNSTABLE_API
#define LIBICAL_GLIB_UNSTABLE_API 1
#endif
#include <libical-glib/libical-glib.h>

G_BEGIN_DECLS

/* Never sent: the outbox strips it. [{"email": "...", "name": "..."}] */
#define E_HUBSPOT_ATTENDEES_MEMBER		"x-hubspot-attendees"

#define E_HUBSPOT_ASSOCIATION_CONTACT		200	/* meeting -> contact */
#define E_HUBSPOT_ASSOCIATION_COMPANY		188	/* meeting -> company */
#define E_HUBSPOT_DIRECTORY_BATCH_MAX		100	/* inputs of one batch call */
/* Attendees of one meeting that are looked up and associated; an event
 * with more (a mailing list expanded) keeps them all, the meeting gets
 * the first ones (docs/design.md, "Hostile input"). */
#define E_HUBSPOT_ATTENDEES_MAX			500

/* From the event */

/* The lower-cased e-mail of a calendar address ("mailto:", any case, or
 * a bare address); NULL when it holds none. */
gchar *		e_hubspot_attendees_address_to_email
						(const gchar *cal_address);
/* The event's ATTENDEEs as [{"email", "name"}]: e-mails lower-cased, each
 * once, rooms and resources left out, and self_email (the calendar's own
 * user; may be NULL) never.  An empty array when there is nobody. */
JsonArray *	e_hubspot_attendees_collect	(ICalComponent *vevent,
						 const gchar *self_email);
/* First and last name from a CN: "Ada Lovelace" and "Lovelace, Ada" both
 * give Ada / Lovelace; a single word is a first name; NULL for none. */
void		e_hubspot_attendees_split_name	(const gchar *cn,
						 gchar **out_first,
						 gchar **out_last);

/* From the create body */

typedef struct {
	gchar *email;
	gchar *name;	/* the CN, or NULL */
} EHubSpotAttendee;

void		e_hubspot_attendee_free		(gpointer attendee);
/* The attendees a create body carries (EHubSpotAttendee *); never NULL. */
GPtrArray *	e_hubspot_attendees_from_body	(JsonNode *create_body);
/* Whether the body is of an event that had ended when it was mapped
 * (outcome COMPLETED): it is logged with the CRM create, not scheduled. */
gboolean	e_hubspot_attendees_body_is_completed
						(JsonNode *create_body);

/* What the attendees resolved to, and the bodies built from it */

typedef struct {
	GPtrArray *owner_ids;	/* gchar *: hs_attendee_owner_ids */
	GPtrArray *contact_ids;	/* gchar *: associations, type 200 */
	GPtrArray *company_ids;	/* gchar *: associations, type 188 */
	gboolean complete;	/* every attendee is accounted for */
} EHubSpotAttendeeResolution;

EHubSpotAttendeeResolution *
		e_hubspot_attendee_resolution_new
						(void);
void		e_hubspot_attendee_resolution_free
						(EHubSpotAttendeeResolution *resolution);

/* POST /scheduler/.../meetings/calendar: the create body without the
 * private member, with owners and associations; resolution may be NULL. */
JsonNode *	e_hubspot_attendees_scheduler_body
						(JsonNode *create_body,
						 const EHubSpotAttendeeResolution *resolution);
/* POST /crm/objects/2026-03/meetings: {properties, associations} only,
 * every property a string (CRM style: arrays ";"-joined). */
JsonNode *	e_hubspot_attendees_crm_create_body
						(JsonNode *create_body,
						 const EHubSpotAttendeeResolution *resolution);
/* PATCH body with the owners as a ";"-joined string; clear_owners sends ""
 * when there are none (the meeting had some). */
JsonNode *	e_hubspot_attendees_update_body	(JsonNode *create_body,
						 const EHubSpotAttendeeResolution *resolution,
						 gboolean clear_owners);

/* The directory calls' bodies and answers */

JsonNode *	e_hubspot_attendees_contacts_read_body
						(const gchar * const *emails,
						 guint n_emails);
/* Fills found (lower-cased e-mail ~> contact id) from a batch read answer
 * (200 or 207); FALSE when the answer has no results array. */
gboolean	e_hubspot_attendees_parse_contacts_read
						(JsonNode *response,
						 GHashTable *found);
JsonNode *	e_hubspot_attendees_contact_create_body
						(const gchar *email,
						 const gchar *name);
/* The id in HubSpot's 409 "Contact already exists. Existing ID: 123". */
gchar *		e_hubspot_attendees_conflict_id	(const gchar *message);
JsonNode *	e_hubspot_attendees_ids_read_body
						(const gchar * const *ids,
						 guint n_ids);
/* Fills found (contact id ~> GPtrArray of company ids) from an
 * association batch read answer; FALSE when it has no results array. */
gboolean	e_hubspot_attendees_parse_companies_read
						(JsonNode *response,
						 GHashTable *found);
/* Batch create of meeting_id's associations to ids. */
JsonNode *	e_hubspot_attendees_associations_body
						(const gchar *meeting_id,
						 const gchar * const *ids,
						 guint n_ids,
						 gint association_type_id);
/* Adds the page's owners to owners (lower-cased e-mail ~> owner id);
 * out_after: the next page's cursor, or NULL for the last page. */
gboolean	e_hubspot_attendees_parse_owners_page
						(JsonNode *response,
						 GHashTable *owners,
						 gchar **out_after);

G_END_DECLS

#endif /* E_HUBSPOT_ATTENDEES_H */
