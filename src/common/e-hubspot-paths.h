/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Every HubSpot path the project calls, and only here.  All of them are
 * of the date-versioned API set 2026-03: HubSpot stops supporting its
 * v1 to v4 paths in September 2027 (docs/design.md, "HubSpot facts the
 * code relies on").  Paths only: the callers add queries. */

#ifndef E_HUBSPOT_PATHS_H
#define E_HUBSPOT_PATHS_H

/* Meetings */

/* POST ?organizerUserId=<user id>: a meeting in the organizer's calendar (200) */
#define E_HUBSPOT_MEETINGS_CALENDAR_PATH	"/scheduler/2026-03/meetings/calendar"
/* CRM meetings: POST creates one without a calendar event (201);
 * /{id}: GET reads, PATCH changes, DELETE archives */
#define E_HUBSPOT_CRM_MEETINGS_PATH		"/crm/objects/2026-03/meetings"
/* POST: meetings by filters, paged with "after" */
#define E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH	E_HUBSPOT_CRM_MEETINGS_PATH "/search"
/* POST /read, /create, /update, /archive: up to 100 meetings in one call */
#define E_HUBSPOT_CRM_MEETINGS_BATCH_PATH	E_HUBSPOT_CRM_MEETINGS_PATH "/batch"

/* Owners: the account's users (scope crm.objects.owners.read) */

/* GET [?email=][&limit=&after=]: owners, paged; userId is an integer */
#define E_HUBSPOT_OWNERS_PATH			"/crm/owners/2026-03"

/* Contacts: the attendees (scopes crm.objects.contacts.read and .write) */

/* POST creates one (201; 409 when the e-mail exists);
 * GET /{e-mail}?idProperty=email reads one */
#define E_HUBSPOT_CONTACTS_PATH			"/crm/objects/2026-03/contacts"
/* POST {idProperty: "email", inputs}: up to 100 contacts by e-mail */
#define E_HUBSPOT_CONTACTS_READ_PATH		E_HUBSPOT_CONTACTS_PATH "/batch/read"
/* POST: contacts by filters (an "email EQ" filter) */
#define E_HUBSPOT_CONTACTS_SEARCH_PATH		E_HUBSPOT_CONTACTS_PATH "/search"

/* Associations */

/* POST: the companies of up to 1000 contacts */
#define E_HUBSPOT_CONTACT_COMPANIES_READ_PATH	"/crm/associations/2026-03/contacts/companies/batch/read"
/* POST: a meeting's contacts (type 200) and companies (type 188), added later */
#define E_HUBSPOT_MEETING_CONTACTS_CREATE_PATH	"/crm/associations/2026-03/meetings/contacts/batch/create"
#define E_HUBSPOT_MEETING_COMPANIES_CREATE_PATH	"/crm/associations/2026-03/meetings/companies/batch/create"

/* The account */

/* GET: portalId and uiDomain, for links to a meeting's page (scope oauth) */
#define E_HUBSPOT_ACCOUNT_INFO_PATH		"/account-info/2026-03/details"

#endif /* E_HUBSPOT_PATHS_H */
