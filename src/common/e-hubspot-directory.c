/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "e-hubspot-directory.h"

typedef struct {
	EHubSpotPersonKind kind;	/* CONTACT, NOBODY or REFUSED */
	gchar *id;
	gint64 at;
} DirectoryPerson;

typedef struct {
	GPtrArray *ids;
	gint64 at;
} DirectoryCompanies;

struct _EHubSpotDirectory {
	gint64 owners_ttl;
	gint64 contacts_ttl;
	GHashTable *owners;		/* e-mail ~> owner id; NULL until known */
	gint64 owners_at;
	GHashTable *people;		/* e-mail ~> DirectoryPerson * */
	GHashTable *companies;		/* contact id ~> DirectoryCompanies * */
};

static void
directory_person_free (gpointer ptr)
{
	DirectoryPerson *person = ptr;

	g_free (person->id);
	g_free (person);
}

static void
directory_companies_free (gpointer ptr)
{
	DirectoryCompanies *companies = ptr;

	g_ptr_array_unref (companies->ids);
	g_free (companies);
}

EHubSpotDirectory *
e_hubspot_directory_new (gint64 owners_ttl,
			 gint64 contacts_ttl)
{
	EHubSpotDirectory *directory = g_new0 (EHubSpotDirectory, 1);

	directory->owners_ttl = owners_ttl;
	directory->contacts_ttl = contacts_ttl;
	directory->people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, directory_person_free);
	directory->companies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, directory_companies_free);

	return directory;
}

void
e_hubspot_directory_free (EHubSpotDirectory *directory)
{
	if (!directory)
		return;

	g_clear_pointer (&directory->owners, g_hash_table_unref);
	g_hash_table_unref (directory->people);
	g_hash_table_unref (directory->companies);
	g_free (directory);
}

void
e_hubspot_directory_set_owners (EHubSpotDirectory *directory,
				GHashTable *owners,
				gint64 now)
{
	g_clear_pointer (&directory->owners, g_hash_table_unref);
	directory->owners = owners;
	directory->owners_at = now;
}

gboolean
e_hubspot_directory_has_owners (EHubSpotDirectory *directory)
{
	return directory->owners != NULL;
}

gboolean
e_hubspot_directory_owners_expired (EHubSpotDirectory *directory,
				    gint64 now)
{
	return !directory->owners || now - directory->owners_at >= directory->owners_ttl;
}

static void
directory_set_person (EHubSpotDirectory *directory,
		      const gchar *email,
		      EHubSpotPersonKind kind,
		      const gchar *id,
		      gint64 now)
{
	DirectoryPerson *person = g_new0 (DirectoryPerson, 1);

	person->kind = kind;
	person->id = g_strdup (id);
	person->at = now;
	g_hash_table_replace (directory->people, g_strdup (email), person);
}

void
e_hubspot_directory_set_contact (EHubSpotDirectory *directory,
				 const gchar *email,
				 const gchar *contact_id,
				 gint64 now)
{
	directory_set_person (directory, email,
		contact_id ? E_HUBSPOT_PERSON_CONTACT : E_HUBSPOT_PERSON_NOBODY, contact_id, now);
}

void
e_hubspot_directory_set_refused (EHubSpotDirectory *directory,
				 const gchar *email,
				 gint64 now)
{
	directory_set_person (directory, email, E_HUBSPOT_PERSON_REFUSED, NULL, now);
}

EHubSpotPersonKind
e_hubspot_directory_lookup (EHubSpotDirectory *directory,
			    const gchar *email,
			    gint64 now,
			    const gchar **out_id)
{
	DirectoryPerson *person;
	const gchar *owner_id;

	if (out_id)
		*out_id = NULL;

	/* An old owners list still beats none: owners rarely change. */
	owner_id = directory->owners ? g_hash_table_lookup (directory->owners, email) : NULL;
	if (owner_id) {
		if (out_id)
			*out_id = owner_id;
		return E_HUBSPOT_PERSON_OWNER;
	}

	person = g_hash_table_lookup (directory->people, email);
	if (!person || now - person->at >= directory->contacts_ttl)
		return E_HUBSPOT_PERSON_UNKNOWN;

	if (out_id)
		*out_id = person->id;

	return person->kind;
}

void
e_hubspot_directory_set_companies (EHubSpotDirectory *directory,
				   const gchar *contact_id,
				   GPtrArray *company_ids,
				   gint64 now)
{
	DirectoryCompanies *companies = g_new0 (DirectoryCompanies, 1);
	guint ii;

	companies->ids = g_ptr_array_new_with_free_func (g_free);
	for (ii = 0; company_ids && ii < company_ids->len; ii++)
		g_ptr_array_add (companies->ids, g_strdup (g_ptr_array_index (company_ids, ii)));
	companies->at = now;
	g_hash_table_replace (directory->companies, g_strdup (contact_id), companies);
}

GPtrArray *
e_hubspot_directory_get_companies (EHubSpotDirectory *directory,
				   const gchar *contact_id,
				   gint64 now)
{
	DirectoryCompanies *companies = g_hash_table_lookup (directory->companies, contact_id);

	if (!companies || now - companies->at >= directory->contacts_ttl)
		return NULL;

	return companies->ids;
}

void
e_hubspot_directory_needs_init (EHubSpotDirectoryNeeds *needs)
{
	needs->owners = FALSE;
	needs->lookups = g_ptr_array_new_with_free_func (g_free);
	needs->creates = g_ptr_array_new_with_free_func (e_hubspot_attendee_free);
	needs->companies = g_ptr_array_new_with_free_func (g_free);
}

void
e_hubspot_directory_needs_clear (EHubSpotDirectoryNeeds *needs)
{
	g_clear_pointer (&needs->lookups, g_ptr_array_unref);
	g_clear_pointer (&needs->creates, g_ptr_array_unref);
	g_clear_pointer (&needs->companies, g_ptr_array_unref);
	needs->owners = FALSE;
}

/* Adds id once. */
static void
directory_add_id (GPtrArray *ids,
		  GHashTable *seen,
		  const gchar *prefix,
		  const gchar *id)
{
	g_autofree gchar *key = g_strconcat (prefix, id, NULL);

	if (g_hash_table_contains (seen, key))
		return;

	g_hash_table_add (seen, g_steal_pointer (&key));
	g_ptr_array_add (ids, g_strdup (id));
}

static void
directory_resolve_contact (EHubSpotDirectory *directory,
			   const gchar *contact_id,
			   const EHubSpotResolveOptions *options,
			   gint64 now,
			   EHubSpotAttendeeResolution *resolution,
			   GHashTable *seen,
			   EHubSpotDirectoryNeeds *needs)
{
	GPtrArray *companies;
	guint ii;

	directory_add_id (resolution->contact_ids, seen, "contact:", contact_id);

	if (!options->associate_companies)
		return;

	companies = e_hubspot_directory_get_companies (directory, contact_id, now);
	if (!companies) {
		resolution->complete = FALSE;
		if (needs)
			g_ptr_array_add (needs->companies, g_strdup (contact_id));
		return;
	}

	for (ii = 0; ii < companies->len; ii++)
		directory_add_id (resolution->company_ids, seen, "company:", g_ptr_array_index (companies, ii));
}

EHubSpotAttendeeResolution *
e_hubspot_directory_resolve (EHubSpotDirectory *directory,
			     GPtrArray *attendees,
			     const EHubSpotResolveOptions *options,
			     gint64 now,
			     EHubSpotDirectoryNeeds *needs)
{
	EHubSpotAttendeeResolution *resolution = e_hubspot_attendee_resolution_new ();
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	guint ii;

	if (!attendees || !attendees->len)
		return resolution;

	/* Owners first: an owner's e-mail is never looked up as a contact. */
	if (!directory->owners && !options->without_owners) {
		resolution->complete = FALSE;
		if (needs)
			needs->owners = TRUE;
		return resolution;
	}

	for (ii = 0; ii < attendees->len; ii++) {
		EHubSpotAttendee *attendee = g_ptr_array_index (attendees, ii);
		const gchar *id = NULL;

		switch (e_hubspot_directory_lookup (directory, attendee->email, now, &id)) {
		case E_HUBSPOT_PERSON_OWNER:
			if (g_strcmp0 (id, options->self_owner_id) != 0)
				directory_add_id (resolution->owner_ids, seen, "owner:", id);
			break;
		case E_HUBSPOT_PERSON_CONTACT:
			directory_resolve_contact (directory, id, options, now, resolution, seen, needs);
			break;
		case E_HUBSPOT_PERSON_NOBODY:
			if (options->create_contacts) {
				resolution->complete = FALSE;
				if (needs) {
					EHubSpotAttendee *copy = g_new0 (EHubSpotAttendee, 1);

					copy->email = g_strdup (attendee->email);
					copy->name = g_strdup (attendee->name);
					g_ptr_array_add (needs->creates, copy);
				}
			}
			break;
		case E_HUBSPOT_PERSON_REFUSED:
			break;
		case E_HUBSPOT_PERSON_UNKNOWN:
			resolution->complete = FALSE;
			if (needs)
				g_ptr_array_add (needs->lookups, g_strdup (attendee->email));
			break;
		}
	}

	return resolution;
}
