/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The commands of the evolution-hubspot tool: each takes its own
 * arguments (argv[0] is the command's name) and returns an exit code. */

#ifndef E_HUBSPOT_TOOL_H
#define E_HUBSPOT_TOOL_H

#include <libedataserver/libedataserver.h>

G_BEGIN_DECLS

/* Exit codes scripts can rely on. */
enum {
	E_HUBSPOT_TOOL_EXIT_OK = 0,
	E_HUBSPOT_TOOL_EXIT_FAILED = 1,		/* the operation failed */
	E_HUBSPOT_TOOL_EXIT_USAGE = 2,		/* bad arguments */
	E_HUBSPOT_TOOL_EXIT_HUBSPOT = 3,	/* HubSpot refused (token, scope, owner) */
	E_HUBSPOT_TOOL_EXIT_UNREACHABLE = 4,	/* HubSpot or EDS could not be reached */
	/* add --sign-in */
	E_HUBSPOT_TOOL_EXIT_DENIED = 5,		/* access not granted in the browser */
	E_HUBSPOT_TOOL_EXIT_STATE = 6,		/* an answer that is not this sign-in's */
	E_HUBSPOT_TOOL_EXIT_TIMEOUT = 7,	/* no answer from the browser in time */
	E_HUBSPOT_TOOL_EXIT_CODE_REFUSED = 8,	/* HubSpot refused the authorization code */
	E_HUBSPOT_TOOL_EXIT_INTERRUPTED = 130	/* Ctrl-C (128 + SIGINT, as shells say) */
};

#define E_HUBSPOT_TOOL_SIGN_IN_ERROR (e_hubspot_tool_sign_in_error_quark ())

typedef enum {
	E_HUBSPOT_TOOL_SIGN_IN_ERROR_LISTEN,	/* the redirect URI cannot be listened on */
	E_HUBSPOT_TOOL_SIGN_IN_ERROR_DENIED,
	E_HUBSPOT_TOOL_SIGN_IN_ERROR_STATE,
	E_HUBSPOT_TOOL_SIGN_IN_ERROR_TIMEOUT,
	E_HUBSPOT_TOOL_SIGN_IN_ERROR_REFUSED,	/* the token endpoint said 4xx */
	E_HUBSPOT_TOOL_SIGN_IN_ERROR_BAD_ANSWER	/* the token endpoint's 200 had no token */
} EHubSpotToolSignInError;

gint		e_hubspot_tool_add		(gint argc,
						 gchar **argv);
gint		e_hubspot_tool_list		(gint argc,
						 gchar **argv);
gint		e_hubspot_tool_status		(gint argc,
						 gchar **argv);
gint		e_hubspot_tool_push		(gint argc,
						 gchar **argv);
gint		e_hubspot_tool_remove		(gint argc,
						 gchar **argv);

GQuark		e_hubspot_tool_sign_in_error_quark
						(void);
gboolean	e_hubspot_tool_sign_in_sync	(EOAuth2Service *service,
						 ESource *source,
						 ESourceRegistry *registry,
						 guint timeout_seconds,
						 GCancellable *cancellable,
						 GError **error);
gboolean	e_hubspot_tool_run_in_thread_sync
						(GTaskThreadFunc func,
						 gpointer task_data,
						 GDestroyNotify task_data_free,
						 GCancellable *cancellable,
						 GError **error);

/* Shared helpers */
void		e_hubspot_tool_print_error	(const gchar *what,
						 const GError *error);
gboolean	e_hubspot_tool_is_hubspot_calendar
						(ESource *source);
GList *		e_hubspot_tool_list_hubspot_calendars
						(ESourceRegistry *registry);
ESource *	e_hubspot_tool_find_calendar	(ESourceRegistry *registry,
						 const gchar *uid_or_name,
						 GError **error);
ESource *	e_hubspot_tool_find_hubspot_calendar
						(ESourceRegistry *registry,
						 const gchar *uid_or_name,
						 GError **error);

G_END_DECLS

#endif /* E_HUBSPOT_TOOL_H */
