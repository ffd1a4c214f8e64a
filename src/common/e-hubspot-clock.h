/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's clock (docs/design.md, "Testing the outbox without a
 * bus"): the real one (GLib's monotonic and real time), or a manual one
 * whose time moves only when e_hubspot_clock_advance () says, so that
 * the unit tests drive the outbox's pacing, retries and delays without
 * waiting.  Thread-safe. */

#ifndef E_HUBSPOT_CLOCK_H
#define E_HUBSPOT_CLOCK_H

#include <glib-object.h>

G_BEGIN_DECLS

#define E_TYPE_HUBSPOT_CLOCK (e_hubspot_clock_get_type ())
G_DECLARE_FINAL_TYPE (EHubSpotClock, e_hubspot_clock, E, HUBSPOT_CLOCK, GObject)

/* The real clock, shared. */
EHubSpotClock *	e_hubspot_clock_dup_default	(void);
/* A clock that stands still at these times (µs) until advanced. */
EHubSpotClock *	e_hubspot_clock_new_manual	(gint64 monotonic_us,
						 gint64 real_us);
gboolean	e_hubspot_clock_is_manual	(EHubSpotClock *clock);
/* Moves a manual clock on by us and wakes every main context where a
 * source of this clock waits. */
void		e_hubspot_clock_advance		(EHubSpotClock *clock,
						 gint64 us);
/* A manual clock: whether a timeout is due and has not run yet (a test
 * moves the clock on once none is, so that every timer runs at its
 * time, however slow the thread that waits on it). */
gboolean	e_hubspot_clock_has_due		(EHubSpotClock *clock);
gint64		e_hubspot_clock_get_monotonic	(EHubSpotClock *clock);
gint64		e_hubspot_clock_get_real	(EHubSpotClock *clock);
/* A source that dispatches once, when the clock reaches due (monotonic
 * µs), as g_timeout_source_new () does for GLib's clock. */
GSource *	e_hubspot_clock_timeout_source_new
						(EHubSpotClock *clock,
						 gint64 due_monotonic_us);
/* Keeps one wake-up in *inout_timer (its due in *inout_due), attached to
 * context: at due, unless the one there comes first.  The caller's func
 * must clear *inout_timer when it runs. */
void		e_hubspot_clock_arm_timer	(EHubSpotClock *clock,
						 GSource **inout_timer,
						 gint64 *inout_due,
						 gint64 due_monotonic_us,
						 GMainContext *context,
						 GSourceFunc func,
						 gpointer user_data);

G_END_DECLS

#endif /* E_HUBSPOT_CLOCK_H */
