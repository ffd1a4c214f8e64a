/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* HubSpot's error body (docs/design.md, "HubSpot facts the code relies on") as a GError of our own domain.
 * The domain is an extended one: the error carries HubSpot's category,
 * correlation id, rate-limit policy and Retry-After beside the message. */

#ifndef E_HUBSPOT_ERROR_H
#define E_HUBSPOT_ERROR_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define E_HUBSPOT_ERROR (e_hubspot_error_quark ())

typedef enum {
	E_HUBSPOT_ERROR_INVALID_SETTINGS,	/* the calendar's settings are incomplete */
	E_HUBSPOT_ERROR_INVALID_EVENT,		/* the event cannot become a meeting */
	E_HUBSPOT_ERROR_BAD_RESPONSE,		/* HubSpot's answer is not what the API says */
	E_HUBSPOT_ERROR_VALIDATION,		/* 400 */
	E_HUBSPOT_ERROR_UNAUTHORIZED,		/* 401 */
	E_HUBSPOT_ERROR_FORBIDDEN,		/* 403 */
	E_HUBSPOT_ERROR_NOT_FOUND,		/* 404 */
	E_HUBSPOT_ERROR_LOCKED,			/* 423 */
	E_HUBSPOT_ERROR_RATE_LIMITED,		/* 429 */
	E_HUBSPOT_ERROR_MIGRATION,		/* 477 */
	E_HUBSPOT_ERROR_SERVER,			/* 5xx */
	E_HUBSPOT_ERROR_HTTP			/* any other status */
} EHubSpotErrorCode;

GQuark		e_hubspot_error_quark		(void);

GError *	e_hubspot_error_new_from_response
						(guint status,
						 const gchar *reason_phrase,
						 const gchar *body,
						 gsize body_len,
						 const gchar *retry_after);
/* The same from an error body already parsed (NULL: none). */
GError *	e_hubspot_error_new_from_object	(guint status,
						 const gchar *reason_phrase,
						 JsonObject *object,
						 const gchar *retry_after);

guint		e_hubspot_error_get_status	(const GError *error);
const gchar *	e_hubspot_error_get_category	(const GError *error);
const gchar *	e_hubspot_error_get_correlation_id
						(const GError *error);
const gchar *	e_hubspot_error_get_policy_name	(const GError *error);
gint		e_hubspot_error_get_retry_after	(const GError *error);

gboolean	e_hubspot_error_is_transient	(const GError *error);

G_END_DECLS

#endif /* E_HUBSPOT_ERROR_H */
