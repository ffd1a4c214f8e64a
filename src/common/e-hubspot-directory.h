/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What is known of whom in HubSpot (docs/design.md, "HubSpot facts the code relies on"): the owners list
 * and, per e-mail, contact or not, and each contact's companies, each for
 * a while; and what an event's attendees resolve to with it.  Pure: the
 * caller does the calls and passes the (monotonic) time in. */

#ifndef E_HUBSPOT_DIRECTORY_H
#define E_HUBSPOT_DIRECTORY_H

#include "e-hubspot-attendees.h"

G_BEGIN_DECLS

typedef struct _EHubSpotDirectory EHubSpotDirectory;

typedef enum {
	E_HUBSPOT_PERSON_UNKNOWN,	/* never looked up, or too long ago */
	E_HUBSPOT_PERSON_OWNER,
	E_HUBSPOT_PERSON_CONTACT,
	E_HUBSPOT_PERSON_NOBODY,	/* neither owner nor contact */
	E_HUBSPOT_PERSON_REFUSED	/* HubSpot refused to create the contact */
} EHubSpotPersonKind;

/* Times in µs (monotonic): how long the owners and the contacts hold. */
EHubSpotDirectory *
		e_hubspot_directory_new		(gint64 owners_ttl,
						 gint64 contacts_ttl);
void		e_hubspot_directory_free	(EHubSpotDirectory *directory);

/* owners: lower-cased e-mail ~> owner id; taken. */
void		e_hubspot_directory_set_owners	(EHubSpotDirectory *directory,
						 GHashTable *owners,
						 gint64 now);
/* Whether an owners list is known (even an old one), and whether it is
 * due for a refresh. */
gboolean	e_hubspot_directory_has_owners	(EHubSpotDirectory *directory);
gboolean	e_hubspot_directory_owners_expired
						(EHubSpotDirectory *directory,
						 gint64 now);
/* contact_id NULL: not a contact. */
void		e_hubspot_directory_set_contact	(EHubSpotDirectory *directory,
						 const gchar *email,
						 const gchar *contact_id,
						 gint64 now);
void		e_hubspot_directory_set_refused	(EHubSpotDirectory *directory,
						 const gchar *email,
						 gint64 now);
EHubSpotPersonKind
		e_hubspot_directory_lookup	(EHubSpotDirectory *directory,
						 const gchar *email,
						 gint64 now,
						 const gchar **out_id);
/* company_ids: gchar *; copied. */
void		e_hubspot_directory_set_companies
						(EHubSpotDirectory *directory,
						 const gchar *contact_id,
						 GPtrArray *company_ids,
						 gint64 now);
/* The contact's companies (borrowed), or NULL when not known. */
GPtrArray *	e_hubspot_directory_get_companies
						(EHubSpotDirectory *directory,
						 const gchar *contact_id,
						 gint64 now);

typedef struct {
	gboolean create_contacts;	/* NOBODY is to be created */
	gboolean associate_companies;
	gboolean without_owners;	/* no owners list to be had: all are contacts */
	const gchar *self_owner_id;	/* never an attendee owner */
} EHubSpotResolveOptions;

/* What is still to be learnt before the attendees are all accounted for
 * (copies, each once). */
typedef struct {
	gboolean owners;		/* the owners list */
	GPtrArray *lookups;		/* e-mails to read as contacts */
	GPtrArray *creates;		/* EHubSpotAttendee * to create as contacts */
	GPtrArray *companies;		/* contact ids whose companies to read */
} EHubSpotDirectoryNeeds;

void		e_hubspot_directory_needs_init	(EHubSpotDirectoryNeeds *needs);
void		e_hubspot_directory_needs_clear	(EHubSpotDirectoryNeeds *needs);

/* What attendees resolve to now; complete when nothing is needed.  needs
 * (may be NULL) gets what is missing, added to what it holds. */
EHubSpotAttendeeResolution *
		e_hubspot_directory_resolve	(EHubSpotDirectory *directory,
						 GPtrArray *attendees,
						 const EHubSpotResolveOptions *options,
						 gint64 now,
						 EHubSpotDirectoryNeeds *needs);

G_END_DECLS

#endif /* E_HUBSPOT_DIRECTORY_H */
