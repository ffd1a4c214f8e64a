/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A HubSpot in memory behind EHubSpotConnection's transport seam
 * (docs/design.md, "Testing the outbox without a bus"): it keeps
 * meetings and answers the calls the outbox makes (scheduler and CRM
 * creates, PATCH, DELETE, the meetings' batch create, update, archive
 * and read, search and GET, owners by e-mail, the account's details),
 * with HubSpot's rate-limit headers.
 * Scripted by the test: an answer delayed on the manual clock, held until
 * released, a failure with HubSpot's error body, or a create applied
 * whose answer is lost.  It records each request's start on the clock.
 *
 * Thread-safe: the outbox calls it on its thread, the test reads and
 * scripts it on its own.  Answers go out on the exchange's main context,
 * never with the fake's lock held. */

#ifndef HUBSPOT_FAKE_TRANSPORT_H
#define HUBSPOT_FAKE_TRANSPORT_H

#include "common/e-hubspot-clock.h"
#include "common/e-hubspot-connection.h"

G_BEGIN_DECLS

typedef struct _HubSpotFakeTransport HubSpotFakeTransport;

typedef enum {
	HUBSPOT_FAKE_FAIL,		/* answer status with HubSpot's error body */
	HUBSPOT_FAKE_DROP_ANSWER,	/* apply the request, then a network error */
	HUBSPOT_FAKE_HOLD,		/* apply it; answer once released */
	HUBSPOT_FAKE_DELAY,		/* apply it; answer after delay_us on the clock */
	HUBSPOT_FAKE_FORGET_LAST	/* apply it; the answer's last result left out
					 * (a batch answer that names no input of it) */
} HubSpotFakeAction;

/* One request as it reached the fake. */
typedef struct {
	gchar *method;
	gchar *path;		/* without the query */
	gchar *query;		/* or NULL */
	gint64 start;		/* the clock's monotonic µs */
	JsonNode *body;		/* or NULL */
	gchar *authorization;	/* the header as sent, or NULL */
} HubSpotFakeRequest;

HubSpotFakeTransport *
		hubspot_fake_transport_new	(EHubSpotClock *clock);
void		hubspot_fake_transport_free	(HubSpotFakeTransport *fake);
/* cnc sends through fake from now on (fake must outlive cnc's requests). */
void		hubspot_fake_transport_attach	(HubSpotFakeTransport *fake,
						 EHubSpotConnection *cnc);

/* What X-HubSpot-RateLimit-* advertise (default: 100 per 10,000 ms). */
void		hubspot_fake_transport_set_rate_limit
						(HubSpotFakeTransport *fake,
						 gint max,
						 gint interval_ms);
/* Only this bearer token is accepted; others get a 401 (NULL: any). */
void		hubspot_fake_transport_set_token
						(HubSpotFakeTransport *fake,
						 const gchar *token);

/* The next `times` requests whose method is method (NULL: any) and whose
 * path starts with path_prefix get action.  Rules are tried in the order
 * added; a request matches one at most. */
void		hubspot_fake_transport_script	(HubSpotFakeTransport *fake,
						 const gchar *method,
						 const gchar *path_prefix,
						 HubSpotFakeAction action,
						 guint times,
						 guint status,
						 const gchar *message,
						 gint64 delay_us);
/* The next batch update or archive input of the meeting titled title
 * fails alone, in a 207, with status's category and message. */
void		hubspot_fake_transport_fail_batch_input
						(HubSpotFakeTransport *fake,
						 const gchar *title,
						 guint status,
						 const gchar *message);
/* Answers every held request now; returns how many. */
guint		hubspot_fake_transport_release	(HubSpotFakeTransport *fake);
guint		hubspot_fake_transport_get_n_held
						(HubSpotFakeTransport *fake);

/* A meeting as if made elsewhere (another client); returns its id. */
gchar *		hubspot_fake_transport_add_meeting
						(HubSpotFakeTransport *fake,
						 JsonObject *properties);
/* The meetings not archived, and the value of one property. */
guint		hubspot_fake_transport_count_meetings
						(HubSpotFakeTransport *fake);
gchar *		hubspot_fake_transport_dup_property
						(HubSpotFakeTransport *fake,
						 const gchar *meeting_id,
						 const gchar *name);

/* Requests so far whose method is method (NULL: any) and whose path
 * starts with path_prefix (NULL: any). */
guint		hubspot_fake_transport_count	(HubSpotFakeTransport *fake,
						 const gchar *method,
						 const gchar *path_prefix);
/* Copies of those requests, in arrival order (HubSpotFakeRequest *). */
GPtrArray *	hubspot_fake_transport_dup_requests
						(HubSpotFakeTransport *fake,
						 const gchar *method,
						 const gchar *path_prefix);
/* The most requests ever in flight at once for one meeting title (a
 * cancel counts for its meeting's title). */
guint		hubspot_fake_transport_get_max_in_flight_per_title
						(HubSpotFakeTransport *fake);
guint		hubspot_fake_transport_get_in_flight
						(HubSpotFakeTransport *fake);

void		hubspot_fake_request_free	(gpointer request);

G_END_DECLS

#endif /* HUBSPOT_FAKE_TRANSPORT_H */
