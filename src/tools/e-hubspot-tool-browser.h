/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The commands $BROWSER names, as xdg-open and Python's webbrowser read
 * it (docs/design.md, "Signing in from the tool and from Evolution").
 * Pure: no I/O. */

#ifndef E_HUBSPOT_TOOL_BROWSER_H
#define E_HUBSPOT_TOOL_BROWSER_H

#include <glib.h>

G_BEGIN_DECLS

GPtrArray *	e_hubspot_tool_browser_commands	(const gchar *browser,
						 const gchar *url);

G_END_DECLS

#endif /* E_HUBSPOT_TOOL_BROWSER_H */
