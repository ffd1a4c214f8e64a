/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "e-hubspot-clock.h"

struct _EHubSpotClock {
	GObject parent;

	gboolean manual;

	GMutex lock;		/* guards what follows: a leaf */
	gint64 monotonic_us;
	gint64 real_us;
	GSList *sources;	/* ClockSource *, waiting on a manual clock */
};

G_DEFINE_TYPE (EHubSpotClock, e_hubspot_clock, G_TYPE_OBJECT)

typedef struct {
	GSource source;
	EHubSpotClock *clock;	/* referenced */
	gint64 due;
	gboolean fired;
} ClockSource;

static gboolean
clock_source_is_due (ClockSource *cs)
{
	return !cs->fired && e_hubspot_clock_get_monotonic (cs->clock) >= cs->due;
}

/* A manual clock's time moves only in advance (), which wakes the
 * context: no timeout of the poll stands for it. */
static gboolean
clock_source_prepare (GSource *source,
		      gint *timeout)
{
	*timeout = -1;

	return clock_source_is_due ((ClockSource *) source);
}

static gboolean
clock_source_check (GSource *source)
{
	return clock_source_is_due ((ClockSource *) source);
}

static gboolean
clock_source_dispatch (GSource *source,
		       GSourceFunc callback,
		       gpointer user_data)
{
	ClockSource *cs = (ClockSource *) source;

	/* Once: the due time does not move. */
	cs->fired = TRUE;
	g_source_set_ready_time (source, -1);

	return callback ? callback (user_data) : G_SOURCE_REMOVE;
}

static void
clock_source_finalize (GSource *source)
{
	ClockSource *cs = (ClockSource *) source;

	if (cs->clock->manual) {
		g_mutex_lock (&cs->clock->lock);
		cs->clock->sources = g_slist_remove (cs->clock->sources, cs);
		g_mutex_unlock (&cs->clock->lock);
	}

	g_clear_object (&cs->clock);
}

static GSourceFuncs clock_source_funcs = {
	clock_source_prepare,
	clock_source_check,
	clock_source_dispatch,
	clock_source_finalize,
	NULL, NULL
};

static void
hubspot_clock_finalize (GObject *object)
{
	EHubSpotClock *clock = E_HUBSPOT_CLOCK (object);

	g_mutex_clear (&clock->lock);

	G_OBJECT_CLASS (e_hubspot_clock_parent_class)->finalize (object);
}

static void
e_hubspot_clock_class_init (EHubSpotClockClass *klass)
{
	G_OBJECT_CLASS (klass)->finalize = hubspot_clock_finalize;
}

static void
e_hubspot_clock_init (EHubSpotClock *clock)
{
	g_mutex_init (&clock->lock);
}

EHubSpotClock *
e_hubspot_clock_dup_default (void)
{
	static EHubSpotClock *real_clock;

	if (g_once_init_enter (&real_clock)) {
		EHubSpotClock *clock = g_object_new (E_TYPE_HUBSPOT_CLOCK, NULL);

		g_once_init_leave (&real_clock, clock);
	}

	return g_object_ref (real_clock);
}

EHubSpotClock *
e_hubspot_clock_new_manual (gint64 monotonic_us,
			    gint64 real_us)
{
	EHubSpotClock *clock = g_object_new (E_TYPE_HUBSPOT_CLOCK, NULL);

	clock->manual = TRUE;
	clock->monotonic_us = monotonic_us;
	clock->real_us = real_us;

	return clock;
}

gboolean
e_hubspot_clock_is_manual (EHubSpotClock *clock)
{
	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), FALSE);

	return clock->manual;
}

void
e_hubspot_clock_advance (EHubSpotClock *clock,
			 gint64 us)
{
	g_autoptr(GPtrArray) contexts = NULL;
	GSList *link;
	guint ii;

	g_return_if_fail (E_IS_HUBSPOT_CLOCK (clock));
	g_return_if_fail (clock->manual);
	g_return_if_fail (us >= 0);

	contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_main_context_unref);

	g_mutex_lock (&clock->lock);
	clock->monotonic_us += us;
	clock->real_us += us;
	for (link = clock->sources; link; link = link->next) {
		GMainContext *context = g_source_is_destroyed (link->data) ? NULL : g_source_get_context (link->data);

		if (context && !g_ptr_array_find (contexts, context, NULL))
			g_ptr_array_add (contexts, g_main_context_ref (context));
	}
	g_mutex_unlock (&clock->lock);

	/* Woken outside the lock: a context's owner may be in prepare (),
	 * which reads the time under it. */
	for (ii = 0; ii < contexts->len; ii++)
		g_main_context_wakeup (g_ptr_array_index (contexts, ii));
}

gboolean
e_hubspot_clock_has_due (EHubSpotClock *clock)
{
	gboolean due = FALSE;
	GSList *link;

	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), FALSE);

	g_mutex_lock (&clock->lock);
	for (link = clock->sources; link && !due; link = link->next) {
		ClockSource *cs = link->data;

		due = !g_source_is_destroyed (link->data) && !cs->fired && clock->monotonic_us >= cs->due;
	}
	g_mutex_unlock (&clock->lock);

	return due;
}

gint64
e_hubspot_clock_get_monotonic (EHubSpotClock *clock)
{
	gint64 now;

	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), 0);

	if (!clock->manual)
		return g_get_monotonic_time ();

	g_mutex_lock (&clock->lock);
	now = clock->monotonic_us;
	g_mutex_unlock (&clock->lock);

	return now;
}

gint64
e_hubspot_clock_get_real (EHubSpotClock *clock)
{
	gint64 now;

	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), 0);

	if (!clock->manual)
		return g_get_real_time ();

	g_mutex_lock (&clock->lock);
	now = clock->real_us;
	g_mutex_unlock (&clock->lock);

	return now;
}

GSource *
e_hubspot_clock_timeout_source_new (EHubSpotClock *clock,
				    gint64 due_monotonic_us)
{
	GSource *source;
	ClockSource *cs;

	g_return_val_if_fail (E_IS_HUBSPOT_CLOCK (clock), NULL);

	source = g_source_new (&clock_source_funcs, sizeof (ClockSource));
	g_source_set_static_name (source, "EHubSpotClock timeout");
	cs = (ClockSource *) source;
	cs->clock = g_object_ref (clock);
	cs->due = due_monotonic_us;

	if (clock->manual) {
		g_mutex_lock (&clock->lock);
		clock->sources = g_slist_prepend (clock->sources, cs);
		g_mutex_unlock (&clock->lock);
	} else {
		/* GLib's poll wakes at the ready time: the same clock. */
		g_source_set_ready_time (source, MAX (due_monotonic_us, 0));
	}

	return source;
}

void
e_hubspot_clock_arm_timer (EHubSpotClock *clock,
			   GSource **inout_timer,
			   gint64 *inout_due,
			   gint64 due_monotonic_us,
			   GMainContext *context,
			   GSourceFunc func,
			   gpointer user_data)
{
	g_return_if_fail (E_IS_HUBSPOT_CLOCK (clock));
	g_return_if_fail (inout_timer != NULL);
	g_return_if_fail (inout_due != NULL);

	if (*inout_timer && *inout_due > due_monotonic_us) {
		g_source_destroy (*inout_timer);
		g_clear_pointer (inout_timer, g_source_unref);
	}

	if (!*inout_timer) {
		*inout_due = due_monotonic_us;
		*inout_timer = e_hubspot_clock_timeout_source_new (clock, due_monotonic_us);
		g_source_set_callback (*inout_timer, func, user_data, NULL);
		g_source_attach (*inout_timer, context);
	}
}
