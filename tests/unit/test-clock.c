/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* EHubSpotClock: the manual clock's time and timeouts move only with
 * advance (), which wakes a context waiting on another thread; the real
 * clock's timeouts fire on GLib's time. */

#include "common/e-hubspot-clock.h"

static gboolean
count_cb (gpointer user_data)
{
	guint *count = user_data;

	(*count)++;

	return G_SOURCE_REMOVE;
}

static void
test_manual_time (void)
{
	g_autoptr(EHubSpotClock) clock = e_hubspot_clock_new_manual (1000, 5000);

	g_assert_true (e_hubspot_clock_is_manual (clock));
	g_assert_cmpint (e_hubspot_clock_get_monotonic (clock), ==, 1000);
	g_assert_cmpint (e_hubspot_clock_get_real (clock), ==, 5000);

	e_hubspot_clock_advance (clock, 250);
	g_assert_cmpint (e_hubspot_clock_get_monotonic (clock), ==, 1250);
	g_assert_cmpint (e_hubspot_clock_get_real (clock), ==, 5250);
}

/* Due means due on the manual clock, whatever the real time, and once. */
static void
test_manual_timeout (void)
{
	g_autoptr(EHubSpotClock) clock = e_hubspot_clock_new_manual (0, 0);
	g_autoptr(GMainContext) context = g_main_context_new ();
	GSource *source;
	guint count = 0;

	source = e_hubspot_clock_timeout_source_new (clock, 100);
	g_source_set_callback (source, count_cb, &count, NULL);
	g_source_attach (source, context);

	e_hubspot_clock_advance (clock, 99);
	while (g_main_context_iteration (context, FALSE))
		;
	g_assert_cmpuint (count, ==, 0);

	e_hubspot_clock_advance (clock, 1);
	while (g_main_context_iteration (context, FALSE))
		;
	g_assert_cmpuint (count, ==, 1);
	g_assert_true (g_source_is_destroyed (source));
	g_source_unref (source);
}

typedef struct {
	GMainContext *context;
	guint count;
	GMutex lock;
	GCond cond;
} Waiter;

static gboolean
waiter_fired_cb (gpointer user_data)
{
	Waiter *waiter = user_data;

	g_mutex_lock (&waiter->lock);
	waiter->count++;
	g_cond_signal (&waiter->cond);
	g_mutex_unlock (&waiter->lock);

	return G_SOURCE_REMOVE;
}

static gpointer
waiter_thread_func (gpointer user_data)
{
	Waiter *waiter = user_data;

	/* Blocks in poll with no timeout: only advance () wakes it. */
	g_main_context_push_thread_default (waiter->context);
	g_main_context_iteration (waiter->context, TRUE);
	g_main_context_pop_thread_default (waiter->context);

	return NULL;
}

static void
test_manual_wakes_context (void)
{
	g_autoptr(EHubSpotClock) clock = e_hubspot_clock_new_manual (0, 0);
	gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
	Waiter waiter = { g_main_context_new (), 0, };
	GSource *source;
	GThread *thread;

	g_mutex_init (&waiter.lock);
	g_cond_init (&waiter.cond);
	source = e_hubspot_clock_timeout_source_new (clock, 1000);
	g_source_set_callback (source, waiter_fired_cb, &waiter, NULL);
	g_source_attach (source, waiter.context);
	g_source_unref (source);

	thread = g_thread_new ("clock-waiter", waiter_thread_func, &waiter);
	e_hubspot_clock_advance (clock, 1000);

	g_mutex_lock (&waiter.lock);
	while (!waiter.count && g_cond_wait_until (&waiter.cond, &waiter.lock, deadline))
		;
	g_assert_cmpuint (waiter.count, ==, 1);
	g_mutex_unlock (&waiter.lock);

	g_thread_join (thread);
	g_main_context_unref (waiter.context);
	g_mutex_clear (&waiter.lock);
	g_cond_clear (&waiter.cond);
}

static gboolean
quit_cb (gpointer user_data)
{
	g_main_loop_quit (user_data);

	return G_SOURCE_REMOVE;
}

static void
test_real_timeout (void)
{
	g_autoptr(EHubSpotClock) clock = e_hubspot_clock_dup_default ();
	g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
	gint64 start = g_get_monotonic_time ();
	gint64 now = e_hubspot_clock_get_monotonic (clock);
	GSource *source;

	g_assert_false (e_hubspot_clock_is_manual (clock));
	g_assert_cmpint (now, >=, start);
	g_assert_cmpint (now - start, <, G_USEC_PER_SEC);

	source = e_hubspot_clock_timeout_source_new (clock, now + 20000);
	g_source_set_callback (source, quit_cb, loop, NULL);
	g_source_attach (source, NULL);
	g_source_unref (source);

	g_main_loop_run (loop);
	g_assert_cmpint (g_get_monotonic_time (), >=, now + 20000);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/clock/manual/time", test_manual_time);
	g_test_add_func ("/clock/manual/timeout", test_manual_timeout);
	g_test_add_func ("/clock/manual/wakes-context", test_manual_wakes_context);
	g_test_add_func ("/clock/real/timeout", test_real_timeout);

	return g_test_run ();
}
