/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The outbox's rules (docs/design.md, "Rules of the outbox", "Pacing and
 * retries", "Adopting a meeting", "Locks"), held with the real outbox and
 * its thread, on a manual clock, against a HubSpot in memory
 * (hubspot-fake-transport.c): no bus, no mock process.  The test moves
 * the clock on and waits for what the outbox did, with a deadline in
 * real time. */

#include <string.h>

#include "common/e-hubspot-error.h"
#include "common/e-hubspot-outbox.h"
#include "common/e-hubspot-paths.h"
#include "common/e-hubspot-requests.h"

#include "hubspot-fake-transport.h"

#define API_URL "http://127.0.0.1:9"
#define OWNER_ID "1"
#define USER_ID "11"
#define TOKEN "test-key"
#define LOOKUP_DELAY_MS 2000
/* 2026-06-01T00:00:00Z */
#define START_REAL_US (G_GINT64_CONSTANT (1780272000) * G_USEC_PER_SEC)
#define START_MONOTONIC_US (G_GINT64_CONSTANT (1000) * G_USEC_PER_SEC)
/* How long in real time a case waits for the outbox before failing. */
#define WAIT_REAL_US (20 * G_USEC_PER_SEC)
#define MS (G_GINT64_CONSTANT (1000))

typedef struct {
	EHubSpotClock *clock;
	HubSpotFakeTransport *fake;
	EHubSpotConnection *cnc;
	EHubSpotOutbox *outbox;

	GMutex lock;
	GCond cond;
	GPtrArray *results;		/* EHubSpotOutboxResult *, taken by the test thread */
	guint n_rejected;		/* credentials_rejected calls */

	/* The lock probe: results_ready asks the outbox from another thread. */
	gboolean probe;
	guint n_probes;
	guint n_probes_returned;
} Fixture;

typedef gboolean (* FixtureCondition) (Fixture *fx,
				       gconstpointer data);

static void
fixture_signal (Fixture *fx)
{
	g_mutex_lock (&fx->lock);
	g_cond_broadcast (&fx->cond);
	g_mutex_unlock (&fx->lock);
}

typedef struct {
	Fixture *fx;
	gboolean returned;
	GMutex lock;
	GCond cond;
} Probe;

static gpointer
probe_thread_func (gpointer user_data)
{
	Probe *probe = user_data;

	e_hubspot_outbox_has_work (probe->fx->outbox, "uid-1");

	g_mutex_lock (&probe->lock);
	probe->returned = TRUE;
	g_cond_signal (&probe->cond);
	g_mutex_unlock (&probe->lock);

	return NULL;
}

/* With the outbox's lock held here, the probe could not return: the
 * deadline makes that a failed count instead of a hang. */
static void
fixture_run_probe (Fixture *fx)
{
	Probe probe = { fx, FALSE, };
	GThread *thread;
	gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
	gboolean returned;

	g_mutex_init (&probe.lock);
	g_cond_init (&probe.cond);
	thread = g_thread_new ("outbox-probe", probe_thread_func, &probe);

	g_mutex_lock (&probe.lock);
	while (!probe.returned && g_cond_wait_until (&probe.cond, &probe.lock, deadline))
		;
	returned = probe.returned;
	g_mutex_unlock (&probe.lock);

	g_mutex_lock (&fx->lock);
	fx->n_probes++;
	fx->n_probes_returned += returned;
	g_mutex_unlock (&fx->lock);

	/* Stuck behind the lock this callback holds: no way out but failing. */
	if (!returned)
		g_error ("the probe did not return: results_ready runs under the outbox's lock");

	g_thread_join (thread);
	g_mutex_clear (&probe.lock);
	g_cond_clear (&probe.cond);
}

static void
fixture_results_ready_cb (gpointer user_data)
{
	Fixture *fx = user_data;

	if (fx->probe)
		fixture_run_probe (fx);

	fixture_signal (fx);
}

static void
fixture_credentials_rejected_cb (gpointer user_data,
				 const GError *error)
{
	Fixture *fx = user_data;

	g_mutex_lock (&fx->lock);
	fx->n_rejected++;
	g_cond_broadcast (&fx->cond);
	g_mutex_unlock (&fx->lock);
}

static const EHubSpotOutboxCallbacks fixture_callbacks = {
	fixture_results_ready_cb,
	fixture_credentials_rejected_cb,
	NULL,
	NULL
};

static void
fixture_set_up (Fixture *fx,
		gconstpointer data)
{
	EHubSpotOutboxSettings settings = { 0, };
	g_autoptr(GError) error = NULL;

	g_mutex_init (&fx->lock);
	g_cond_init (&fx->cond);
	fx->results = g_ptr_array_new_with_free_func (e_hubspot_outbox_result_free);
	fx->clock = e_hubspot_clock_new_manual (START_MONOTONIC_US, START_REAL_US);
	fx->fake = hubspot_fake_transport_new (fx->clock);
	/* A connection of its own: a budget of its own */
	fx->cnc = e_hubspot_connection_new (API_URL, 4, &error);
	g_assert_no_error (error);
	hubspot_fake_transport_attach (fx->fake, fx->cnc);

	settings.api_url = API_URL;
	settings.owner_id = OWNER_ID;
	settings.organizer_user_id = USER_ID;
	settings.max_in_flight = 4;
	settings.lookup_delay_ms = LOOKUP_DELAY_MS;
	settings.clock = fx->clock;
	settings.connection = fx->cnc;
	settings.jitter_seed = 7;

	fx->outbox = e_hubspot_outbox_new (&settings, &fixture_callbacks, fx, &error);
	g_assert_no_error (error);
	/* Known: no account-info call before the first meeting. */
	e_hubspot_outbox_set_account_info (fx->outbox, "42", "app.hubspot.com");
	e_hubspot_outbox_set_token (fx->outbox, TOKEN);
}

static void
fixture_collect (Fixture *fx)
{
	g_autoptr(GPtrArray) results = e_hubspot_outbox_steal_results (fx->outbox);

	/* As the backend does once they are in its cache. */
	e_hubspot_outbox_results_stored (fx->outbox, results);
	g_ptr_array_extend_and_steal (fx->results, g_steal_pointer (&results));
}

/* Waits until condition holds, moving the manual clock on by step_us at
 * each turn (0: it stands still); FALSE past the real deadline. */
static gboolean
fixture_wait (Fixture *fx,
	      FixtureCondition condition,
	      gconstpointer data,
	      gint64 step_us)
{
	gint64 deadline = g_get_monotonic_time () + WAIT_REAL_US;

	for (;;) {
		fixture_collect (fx);
		if (condition (fx, data))
			return TRUE;
		if (g_get_monotonic_time () > deadline)
			return FALSE;
		if (step_us > 0)
			e_hubspot_clock_advance (fx->clock, step_us);

		/* Results wake this early; anything else is polled. */
		g_mutex_lock (&fx->lock);
		g_cond_wait_until (&fx->cond, &fx->lock, g_get_monotonic_time () + 2 * MS);
		g_mutex_unlock (&fx->lock);
	}
}

static gboolean
fixture_in_flight_is_zero (Fixture *fx,
			   gconstpointer data)
{
	return hubspot_fake_transport_get_in_flight (fx->fake) == 0;
}

static void
fixture_tear_down (Fixture *fx,
		   gconstpointer data)
{
	/* Every answer delivered, so that none outlives the outbox. */
	hubspot_fake_transport_release (fx->fake);
	g_assert_true (fixture_wait (fx, fixture_in_flight_is_zero, NULL, 0));

	e_hubspot_outbox_free (fx->outbox);
	g_object_unref (fx->cnc);
	hubspot_fake_transport_free (fx->fake);
	g_object_unref (fx->clock);
	g_ptr_array_unref (fx->results);
	g_cond_clear (&fx->cond);
	g_mutex_clear (&fx->lock);
}

/* A create body as the mapping makes it (without attendees). */
static JsonNode *
event_body (const gchar *title,
	    const gchar *start,
	    const gchar *end,
	    const gchar *text)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "properties");
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "hubspot_owner_id");
	json_builder_add_string_value (builder, OWNER_ID);
	json_builder_set_member_name (builder, "hs_meeting_title");
	json_builder_add_string_value (builder, title);
	json_builder_set_member_name (builder, "hs_meeting_start_time");
	json_builder_add_string_value (builder, start);
	json_builder_set_member_name (builder, "hs_meeting_end_time");
	json_builder_add_string_value (builder, end);
	json_builder_set_member_name (builder, "hs_timestamp");
	json_builder_add_string_value (builder, start);
	if (text) {
		json_builder_set_member_name (builder, "hs_internal_meeting_notes");
		json_builder_add_string_value (builder, text);
	}
	json_builder_end_object (builder);
	json_builder_set_member_name (builder, "associations");
	json_builder_begin_array (builder);
	json_builder_end_array (builder);
	json_builder_set_member_name (builder, "emailReminderSchedule");
	json_builder_begin_array (builder);
	json_builder_end_array (builder);
	json_builder_set_member_name (builder, "timezone");
	json_builder_add_string_value (builder, "UTC");
	json_builder_end_object (builder);

	return json_builder_get_root (builder);
}

/* Event n of a case: its own title and hour. */
static JsonNode *
numbered_body (guint n,
	       const gchar *text)
{
	g_autofree gchar *title = g_strdup_printf ("Meeting %u", n);
	g_autofree gchar *start = g_strdup_printf ("2026-07-%02uT%02u:00:00Z", 1 + n / 24, n % 24);
	g_autofree gchar *end = g_strdup_printf ("2026-07-%02uT%02u:30:00Z", 1 + n / 24, n % 24);

	return event_body (title, start, end, text);
}

static void
put_numbered (Fixture *fx,
	      guint n,
	      const gchar *text,
	      gboolean uncertain)
{
	g_autoptr(JsonNode) body = numbered_body (n, text);
	g_autofree gchar *uid = g_strdup_printf ("uid-%u", n);

	e_hubspot_outbox_put (fx->outbox, uid, body, NULL, uncertain);
}

static guint
fixture_count_results (Fixture *fx,
		       EHubSpotOutboxResultKind kind,
		       const gchar *uid)
{
	guint ii, count = 0;

	for (ii = 0; ii < fx->results->len; ii++) {
		EHubSpotOutboxResult *result = g_ptr_array_index (fx->results, ii);

		count += result->kind == kind && (!uid || g_str_equal (result->uid, uid));
	}

	return count;
}

static EHubSpotOutboxResult *
fixture_find_result (Fixture *fx,
		     EHubSpotOutboxResultKind kind,
		     const gchar *uid)
{
	guint ii;

	for (ii = 0; ii < fx->results->len; ii++) {
		EHubSpotOutboxResult *result = g_ptr_array_index (fx->results, ii);

		if (result->kind == kind && g_str_equal (result->uid, uid))
			return result;
	}

	return NULL;
}

static gboolean
fixture_has_created (Fixture *fx,
		     gconstpointer data)
{
	return fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, NULL) >= GPOINTER_TO_UINT (data);
}

static gboolean
fixture_has_result (Fixture *fx,
		    gconstpointer data)
{
	return fx->results->len >= GPOINTER_TO_UINT (data);
}

static gboolean
fixture_has_held (Fixture *fx,
		  gconstpointer data)
{
	return hubspot_fake_transport_get_n_held (fx->fake) >= GPOINTER_TO_UINT (data);
}

static gboolean
fixture_has_answered (Fixture *fx,
		      gconstpointer data)
{
	return hubspot_fake_transport_count (fx->fake, NULL, NULL) >= GPOINTER_TO_UINT (data) &&
		fixture_in_flight_is_zero (fx, NULL);
}

static gboolean
fixture_has_rejected (Fixture *fx,
		      gconstpointer data)
{
	gboolean rejected;

	g_mutex_lock (&fx->lock);
	rejected = fx->n_rejected > 0;
	g_mutex_unlock (&fx->lock);

	return rejected && fixture_in_flight_is_zero (fx, NULL);
}

static guint
fixture_count_creates (Fixture *fx)
{
	return hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH) +
		hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_PATH) -
		hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH) -
		hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/update") -
		hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/archive");
}

/* Lets the outbox run for span on the manual clock, by steps. */
static void
fixture_run_for (Fixture *fx,
		 gint64 span_us,
		 gint64 step_us)
{
	gint64 until = e_hubspot_clock_get_monotonic (fx->clock) + span_us;

	gint64 deadline = g_get_monotonic_time () + WAIT_REAL_US;

	while (e_hubspot_clock_get_monotonic (fx->clock) < until) {
		/* Every timer that is due runs before the clock moves on. */
		while (e_hubspot_clock_has_due (fx->clock) && g_get_monotonic_time () < deadline)
			g_usleep (200);
		e_hubspot_clock_advance (fx->clock, step_us);
		g_mutex_lock (&fx->lock);
		g_cond_wait_until (&fx->cond, &fx->lock, g_get_monotonic_time () + 1 * MS);
		g_mutex_unlock (&fx->lock);
	}
	g_assert_false (e_hubspot_clock_has_due (fx->clock) && g_get_monotonic_time () >= deadline);
	fixture_collect (fx);
}

/* Pacing: 10 requests per 1,000 ms advertised; 35 events. */
static void
test_pacing_window (Fixture *fx,
		    gconstpointer data)
{
	g_autoptr(GPtrArray) requests = NULL;
	guint ii, jj, most = 0;

	hubspot_fake_transport_set_rate_limit (fx->fake, 10, 1000);

	for (ii = 0; ii < 35; ii++)
		put_numbered (fx, ii, NULL, FALSE);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (35), 10 * MS));

	requests = hubspot_fake_transport_dup_requests (fx->fake, NULL, NULL);
	g_assert_cmpuint (requests->len, ==, 35);
	for (ii = 0; ii < requests->len; ii++) {
		HubSpotFakeRequest *first = g_ptr_array_index (requests, ii);
		guint in_window = 0;

		for (jj = 0; jj < requests->len; jj++) {
			HubSpotFakeRequest *other = g_ptr_array_index (requests, jj);

			in_window += other->start >= first->start && other->start < first->start + 1000 * MS;
		}
		most = MAX (most, in_window);
	}
	g_assert_cmpuint (most, <=, 10);
	/* ...and the limit was used, not just stayed under. */
	g_assert_cmpuint (most, >=, 8);

	g_assert_cmpuint (fixture_count_creates (fx), ==, 35);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 35);
	for (ii = 0; ii < 35; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 1);
	}
}

/* A 429 pauses every request for the rate window (no Retry-After). */
static void
test_pacing_429 (Fixture *fx,
		 gconstpointer data)
{
	g_autoptr(GPtrArray) requests = NULL;
	HubSpotFakeRequest *limited;
	guint ii;

	hubspot_fake_transport_set_rate_limit (fx->fake, 100, 2000);
	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_FAIL, 1, 429, "You have reached your ten_secondly_rolling limit.", 0);

	/* The 429 is answered before anything else is asked for. */
	put_numbered (fx, 0, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_answered, GUINT_TO_POINTER (1), 0));
	for (ii = 1; ii < 6; ii++)
		put_numbered (fx, ii, NULL, FALSE);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (6), 10 * MS));

	requests = hubspot_fake_transport_dup_requests (fx->fake, NULL, NULL);
	g_assert_cmpuint (requests->len, ==, 7);
	limited = g_ptr_array_index (requests, 0);
	for (ii = 1; ii < requests->len; ii++) {
		HubSpotFakeRequest *request = g_ptr_array_index (requests, ii);

		g_assert_cmpint (request->start, >=, limited->start + 2000 * MS);
	}
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 6);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_FAILED, NULL), ==, 0);
}

/* 503 twice, then the create goes through: one meeting, and each try
 * later than the one before (a 5xx create may have reached HubSpot: a
 * lookup goes before each new try). */
static void
test_retry_server_error (Fixture *fx,
			 gconstpointer data)
{
	g_autoptr(GPtrArray) creates = NULL;
	HubSpotFakeRequest *first, *second, *third;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_FAIL, 2, 503, "Service unavailable", 0);

	put_numbered (fx, 1, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (1), 10 * MS));

	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 1);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_FAILED, NULL), ==, 0);
	creates = hubspot_fake_transport_dup_requests (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH);
	g_assert_cmpuint (creates->len, ==, 3);
	first = g_ptr_array_index (creates, 0);
	second = g_ptr_array_index (creates, 1);
	third = g_ptr_array_index (creates, 2);
	g_assert_cmpint (second->start, >=, first->start + LOOKUP_DELAY_MS * MS);
	g_assert_cmpint (third->start, >=, second->start + LOOKUP_DELAY_MS * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH), ==, 2);
}

/* A PATCH that fails with 503 is retried with a growing back-off. */
static void
test_retry_backoff (Fixture *fx,
		    gconstpointer data)
{
	g_autoptr(JsonNode) body = numbered_body (2, "v2");
	g_autoptr(JsonObject) properties = NULL;
	g_autoptr(GPtrArray) patches = NULL;
	g_autofree gchar *meeting_id = NULL;
	g_autofree gchar *notes = NULL;
	gint64 gap1, gap2, gap3;
	HubSpotFakeRequest *at[4];
	guint ii;

	properties = json_object_ref (e_hubspot_requests_get_properties (body));
	meeting_id = hubspot_fake_transport_add_meeting (fx->fake, properties);
	hubspot_fake_transport_script (fx->fake, "PATCH", E_HUBSPOT_CRM_MEETINGS_PATH,
		HUBSPOT_FAKE_FAIL, 3, 503, "Service unavailable", 0);

	e_hubspot_outbox_put (fx->outbox, "uid-2", body, meeting_id, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_result, GUINT_TO_POINTER (1), 20 * MS));

	g_assert_nonnull (fixture_find_result (fx, E_HUBSPOT_OUTBOX_UPDATED, "uid-2"));
	patches = hubspot_fake_transport_dup_requests (fx->fake, "PATCH", E_HUBSPOT_CRM_MEETINGS_PATH);
	g_assert_cmpuint (patches->len, ==, 4);
	for (ii = 0; ii < 4; ii++)
		at[ii] = g_ptr_array_index (patches, ii);
	gap1 = at[1]->start - at[0]->start;
	gap2 = at[2]->start - at[1]->start;
	gap3 = at[3]->start - at[2]->start;
	/* 0.5 to 1 s, 1 to 2 s, 2 to 4 s: half the back-off, then jitter. */
	g_assert_cmpint (gap1, >=, 500 * MS);
	g_assert_cmpint (gap2, >=, 1000 * MS);
	g_assert_cmpint (gap3, >=, 2000 * MS);
	g_assert_cmpint (gap3, >, gap1);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 1);
	notes = hubspot_fake_transport_dup_property (fx->fake, meeting_id, "hs_internal_meeting_notes");
	g_assert_cmpstr (notes, ==, "v2");
}

/* 400 is final: FAILED with HubSpot's message, nothing created. */
static void
test_retry_bad_request (Fixture *fx,
			gconstpointer data)
{
	EHubSpotOutboxResult *result;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_FAIL, 1, 400, "Property values were not valid: hs_meeting_title", 0);

	put_numbered (fx, 3, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_result, GUINT_TO_POINTER (1), 10 * MS));

	result = fixture_find_result (fx, E_HUBSPOT_OUTBOX_FAILED, "uid-3");
	g_assert_nonnull (result);
	g_assert_error (result->error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_VALIDATION);
	g_assert_nonnull (strstr (result->error->message, "Property values were not valid: hs_meeting_title"));
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 0);

	/* Given up until the event changes: nothing more goes. */
	fixture_run_for (fx, 30 * G_USEC_PER_SEC, 100 * MS);
	g_assert_cmpuint (fixture_count_creates (fx), ==, 1);
	g_assert_false (e_hubspot_outbox_has_work (fx->outbox, "uid-3"));
}

/* 401 with a bearer key: everything waits for a new key, nothing fails. */
static void
test_retry_unauthorized (Fixture *fx,
			 gconstpointer data)
{
	g_autoptr(GPtrArray) requests = NULL;
	guint ii, sent;

	hubspot_fake_transport_set_token (fx->fake, "the-new-key");
	for (ii = 0; ii < 3; ii++)
		put_numbered (fx, ii, NULL, FALSE);

	g_assert_true (fixture_wait (fx, fixture_has_rejected, NULL, 0));
	sent = hubspot_fake_transport_count (fx->fake, NULL, NULL);
	g_assert_cmpuint (sent, >=, 1);
	g_assert_false (e_hubspot_outbox_has_token (fx->outbox));

	fixture_run_for (fx, 120 * G_USEC_PER_SEC, 500 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, NULL, NULL), ==, sent);
	g_assert_cmpuint (fx->results->len, ==, 0);
	for (ii = 0; ii < 3; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_true (e_hubspot_outbox_has_work (fx->outbox, uid));
	}

	e_hubspot_outbox_set_token (fx->outbox, "the-new-key");
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (3), 10 * MS));
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_FAILED, NULL), ==, 0);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 3);
	g_mutex_lock (&fx->lock);
	g_assert_cmpuint (fx->n_rejected, ==, 1);
	g_mutex_unlock (&fx->lock);

	/* The key went as the Authorization header, each time the current one. */
	requests = hubspot_fake_transport_dup_requests (fx->fake, NULL, NULL);
	for (ii = 0; ii < requests->len; ii++) {
		HubSpotFakeRequest *request = g_ptr_array_index (requests, ii);

		g_assert_cmpstr (request->authorization, ==, ii < sent ? "Bearer " TOKEN : "Bearer the-new-key");
	}
}

/* A change while the create is in flight: the create, then one PATCH
 * with the second version; never two requests of the key at once. */
static void
test_order_put_during_create (Fixture *fx,
			      gconstpointer data)
{
	g_autoptr(GPtrArray) patches = NULL;
	HubSpotFakeRequest *patch;
	EHubSpotOutboxResult *created;
	JsonObject *properties;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_HOLD, 1, 0, NULL, 0);

	put_numbered (fx, 4, "v1", FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_held, GUINT_TO_POINTER (1), 0));
	put_numbered (fx, 4, "v2", FALSE);

	fixture_run_for (fx, 10 * G_USEC_PER_SEC, 100 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, NULL, NULL), ==, 1);

	g_assert_cmpuint (hubspot_fake_transport_release (fx->fake), ==, 1);
	g_assert_true (fixture_wait (fx, fixture_has_result, GUINT_TO_POINTER (2), 10 * MS));

	created = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-4");
	g_assert_nonnull (created);
	g_assert_nonnull (fixture_find_result (fx, E_HUBSPOT_OUTBOX_UPDATED, "uid-4"));
	g_assert_cmpuint (fixture_count_creates (fx), ==, 1);
	patches = hubspot_fake_transport_dup_requests (fx->fake, "PATCH", NULL);
	g_assert_cmpuint (patches->len, ==, 1);
	patch = g_ptr_array_index (patches, 0);
	g_assert_true (g_str_has_suffix (patch->path, created->meeting_id));
	properties = e_hubspot_requests_get_properties (patch->body);
	g_assert_cmpstr (json_object_get_string_member (properties, "hs_internal_meeting_notes"), ==, "v2");
	g_assert_cmpuint (hubspot_fake_transport_get_max_in_flight_per_title (fx->fake), ==, 1);
	g_assert_false (e_hubspot_outbox_has_work (fx->outbox, "uid-4"));
}

/* A removal while the create is in flight: the create, then the cancel. */
static void
test_order_remove_during_create (Fixture *fx,
				 gconstpointer data)
{
	g_autoptr(JsonNode) body = numbered_body (5, NULL);
	g_autoptr(GPtrArray) requests = NULL;
	g_autofree gchar *outcome = NULL;
	HubSpotFakeRequest *cancel;
	EHubSpotOutboxResult *created;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_HOLD, 1, 0, NULL, 0);

	e_hubspot_outbox_put (fx->outbox, "uid-5", body, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_held, GUINT_TO_POINTER (1), 0));
	e_hubspot_outbox_remove (fx->outbox, "uid-5", body, NULL, FALSE);

	fixture_run_for (fx, 10 * G_USEC_PER_SEC, 100 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, NULL, NULL), ==, 1);

	hubspot_fake_transport_release (fx->fake);
	g_assert_true (fixture_wait (fx, fixture_has_result, GUINT_TO_POINTER (2), 10 * MS));

	created = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-5");
	g_assert_nonnull (created);
	g_assert_nonnull (fixture_find_result (fx, E_HUBSPOT_OUTBOX_CANCELLED, "uid-5"));
	requests = hubspot_fake_transport_dup_requests (fx->fake, NULL, NULL);
	g_assert_cmpuint (requests->len, ==, 2);
	cancel = g_ptr_array_index (requests, 1);
	g_assert_cmpstr (cancel->method, ==, "PATCH");
	g_assert_true (g_str_has_suffix (cancel->path, created->meeting_id));
	outcome = hubspot_fake_transport_dup_property (fx->fake, created->meeting_id, "hs_meeting_outcome");
	g_assert_cmpstr (outcome, ==, "CANCELED");
	g_assert_cmpuint (hubspot_fake_transport_get_max_in_flight_per_title (fx->fake), ==, 1);
}

/* A create applied whose answer was lost: no second create before the
 * lookup delay; the lookup then adopts the meeting. */
static void
test_dedupe_lost_answer (Fixture *fx,
			 gconstpointer data)
{
	g_autoptr(GPtrArray) requests = NULL;
	HubSpotFakeRequest *create, *search;
	EHubSpotOutboxResult *created;
	g_autofree gchar *title = NULL;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_DROP_ANSWER, 1, 0, NULL, 0);

	put_numbered (fx, 6, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (1), 10 * MS));

	requests = hubspot_fake_transport_dup_requests (fx->fake, NULL, NULL);
	g_assert_cmpuint (requests->len, ==, 2);
	create = g_ptr_array_index (requests, 0);
	search = g_ptr_array_index (requests, 1);
	g_assert_cmpstr (create->path, ==, E_HUBSPOT_MEETINGS_CALENDAR_PATH);
	g_assert_cmpstr (search->path, ==, E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH);
	g_assert_cmpint (search->start, >=, create->start + LOOKUP_DELAY_MS * MS);

	created = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-6");
	g_assert_nonnull (created);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 1);
	title = hubspot_fake_transport_dup_property (fx->fake, created->meeting_id, "hs_meeting_title");
	g_assert_cmpstr (title, ==, "Meeting 6");
}

/* Two identical events whose creates both lost their answers end with
 * two meetings, one each. */
static void
test_dedupe_twins (Fixture *fx,
		   gconstpointer data)
{
	g_autoptr(JsonNode) body = event_body ("Twins", "2026-07-03T09:00:00Z", "2026-07-03T10:00:00Z", NULL);
	EHubSpotOutboxResult *first, *second;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH,
		HUBSPOT_FAKE_DROP_ANSWER, 2, 0, NULL, 0);

	e_hubspot_outbox_put (fx->outbox, "twin-a", body, NULL, FALSE);
	e_hubspot_outbox_put (fx->outbox, "twin-b", body, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (2), 10 * MS));

	first = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "twin-a");
	second = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "twin-b");
	g_assert_nonnull (first);
	g_assert_nonnull (second);
	g_assert_cmpstr (first->meeting_id, !=, second->meeting_id);
	g_assert_cmpuint (fixture_count_creates (fx), ==, 2);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 2);
}

/* A meeting linked to another event is never adopted. */
static void
test_dedupe_linked (Fixture *fx,
		    gconstpointer data)
{
	g_autoptr(JsonNode) body = numbered_body (7, NULL);
	g_autofree gchar *taken = NULL;
	EHubSpotOutboxResult *created;

	taken = hubspot_fake_transport_add_meeting (fx->fake, e_hubspot_requests_get_properties (body));
	e_hubspot_outbox_link (fx->outbox, "another-event", taken);

	e_hubspot_outbox_put (fx->outbox, "uid-7", body, NULL, TRUE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (1), 10 * MS));

	created = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-7");
	g_assert_nonnull (created);
	g_assert_cmpstr (created->meeting_id, !=, taken);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH), ==, 1);
	g_assert_cmpuint (fixture_count_creates (fx), ==, 1);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 2);
}

/* Recovery: an uncertain put looks up first and adopts the meeting. */
static void
test_recovery_adopts (Fixture *fx,
		      gconstpointer data)
{
	g_autoptr(JsonNode) body = numbered_body (8, "notes");
	g_autofree gchar *existing = NULL;
	EHubSpotOutboxResult *created;

	existing = hubspot_fake_transport_add_meeting (fx->fake, e_hubspot_requests_get_properties (body));

	e_hubspot_outbox_put (fx->outbox, "uid-8", body, NULL, TRUE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (1), 10 * MS));

	created = fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-8");
	g_assert_cmpstr (created->meeting_id, ==, existing);
	g_assert_cmpuint (fixture_count_creates (fx), ==, 0);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH), ==, 1);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 1);
}

/* ...and with none there, creates it once. */
static void
test_recovery_creates (Fixture *fx,
		       gconstpointer data)
{
	g_autoptr(GPtrArray) requests = NULL;

	put_numbered (fx, 9, NULL, TRUE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (1), 10 * MS));

	requests = hubspot_fake_transport_dup_requests (fx->fake, NULL, NULL);
	g_assert_cmpuint (requests->len, ==, 2);
	g_assert_cmpstr (((HubSpotFakeRequest *) g_ptr_array_index (requests, 0))->path, ==,
		E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH);
	g_assert_cmpstr (((HubSpotFakeRequest *) g_ptr_array_index (requests, 1))->path, ==,
		E_HUBSPOT_MEETINGS_CALENDAR_PATH);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 1);
}

/* results_ready runs with no lock of the outbox's held: another thread
 * asks the outbox from inside it, and gets its answer (docs/design.md,
 * "Locks"). */
static void
test_no_callback_under_lock (Fixture *fx,
			     gconstpointer data)
{
	guint ii;

	fx->probe = TRUE;
	for (ii = 1; ii <= 3; ii++)
		put_numbered (fx, ii, NULL, FALSE);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (3), 10 * MS));
	g_mutex_lock (&fx->lock);
	g_assert_cmpuint (fx->n_probes, >=, 1);
	g_assert_cmpuint (fx->n_probes_returned, ==, fx->n_probes);
	g_mutex_unlock (&fx->lock);
}

/* Offline, nothing new starts; back online, what waited goes. */
static void
test_offline (Fixture *fx,
	      gconstpointer data)
{
	guint ii;

	e_hubspot_outbox_set_online (fx->outbox, FALSE);
	for (ii = 0; ii < 3; ii++)
		put_numbered (fx, ii, NULL, FALSE);

	fixture_run_for (fx, 60 * G_USEC_PER_SEC, 500 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, NULL, NULL), ==, 0);
	g_assert_true (e_hubspot_outbox_has_work (fx->outbox, "uid-0"));

	e_hubspot_outbox_set_online (fx->outbox, TRUE);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (3), 10 * MS));
	g_assert_cmpuint (fixture_count_creates (fx), ==, 3);
}

static void
add_test (const gchar *path,
	  void (* func) (Fixture *, gconstpointer))
{
	g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

/* Meetings that ended (docs/design.md, "Batch calls") */

#define BATCH_CREATE_PATH E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/create"

/* Event n, ended: HubSpot logs it through the CRM. */
static void
put_ended (Fixture *fx,
	   guint n)
{
	g_autoptr(JsonNode) body = numbered_body (n, NULL);
	g_autofree gchar *uid = g_strdup_printf ("uid-%u", n);

	json_object_set_string_member (e_hubspot_requests_get_properties (body), "hs_meeting_outcome", "COMPLETED");
	e_hubspot_outbox_put (fx->outbox, uid, body, NULL, FALSE);
}

static guint
batch_inputs (HubSpotFakeRequest *request)
{
	return json_array_get_length (json_object_get_array_member (json_node_get_object (request->body), "inputs"));
}

/* Every create went through a batch, and each event has its meeting once. */
static void
assert_all_batched (Fixture *fx,
		    guint n)
{
	guint ii;

	g_assert_cmpuint (fixture_count_creates (fx), ==, hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH));
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH), ==, 0);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, n);
	for (ii = 0; ii < n; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 1);
	}
}

/* A full batch goes at once; the rest waits for others a moment. */
static void
test_batch_full_and_rest (Fixture *fx,
			  gconstpointer data)
{
	g_autoptr(GPtrArray) batches = NULL;
	HubSpotFakeRequest *first, *second;
	guint ii;

	for (ii = 0; ii < 150; ii++)
		put_ended (fx, ii);

	/* The clock stands still: only the full one may go. */
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (100), 0));
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH), ==, 1);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (150), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 2);
	first = g_ptr_array_index (batches, 0);
	second = g_ptr_array_index (batches, 1);
	g_assert_cmpuint (batch_inputs (first), ==, 100);
	g_assert_cmpuint (batch_inputs (second), ==, 50);
	g_assert_cmpint (second->start - first->start, >=, 200 * MS);
	assert_all_batched (fx, 150);
}

/* A batch waits while others keep coming, 200 ms after the last, and
 * never more than 2 s after its first. */
static void
test_batch_gathering (Fixture *fx,
		      gconstpointer data)
{
	g_autoptr(GPtrArray) batches = NULL;
	gint64 first_put;
	guint ii, n = 0;

	first_put = e_hubspot_clock_get_monotonic (fx->clock);
	for (ii = 0; ii < 10; ii++)
		put_ended (fx, n++);
	fixture_run_for (fx, 150 * MS, 10 * MS);
	for (ii = 0; ii < 10; ii++)
		put_ended (fx, n++);
	fixture_run_for (fx, 150 * MS, 10 * MS);
	/* 300 ms after the first, 150 after the last: still waiting */
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH), ==, 0);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (20), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 20);
	g_assert_cmpint (((HubSpotFakeRequest *) g_ptr_array_index (batches, 0))->start, >=, first_put + 350 * MS);
	g_clear_pointer (&batches, g_ptr_array_unref);

	/* One every 150 ms for 3 s: a batch goes while they still come, 2 s
	 * after its first (the 14 put by then, give or take the step the
	 * outbox's thread took to see a put), not one at the end. */
	for (ii = 0; ii < 20; ii++) {
		put_ended (fx, n++);
		fixture_run_for (fx, 150 * MS, 10 * MS);
	}
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (n), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, >=, 3);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 1)), >=, 13);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 1)), <=, 15);
	assert_all_batched (fx, n);
}

/* What waits in a gathering goes as its event is when the batch goes:
 * one changed meanwhile with its change, one removed not at all, one
 * moved to the future by the scheduler's call. */
static void
test_batch_changed_while_gathered (Fixture *fx,
				   gconstpointer data)
{
	g_autoptr(JsonNode) changed = numbered_body (1, "v2");
	g_autoptr(JsonNode) removed = numbered_body (2, NULL);
	g_autoptr(GPtrArray) batches = NULL;
	JsonArray *inputs;
	guint ii;

	for (ii = 0; ii < 5; ii++)
		put_ended (fx, ii);
	fixture_run_for (fx, 50 * MS, 10 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH), ==, 0);

	json_object_set_string_member (e_hubspot_requests_get_properties (changed), "hs_meeting_outcome", "COMPLETED");
	e_hubspot_outbox_put (fx->outbox, "uid-1", changed, NULL, FALSE);
	e_hubspot_outbox_remove (fx->outbox, "uid-2", removed, NULL, FALSE);
	put_numbered (fx, 3, NULL, FALSE);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (4), 10 * MS));
	fixture_run_for (fx, 3 * G_USEC_PER_SEC, 50 * MS);

	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	inputs = json_object_get_array_member (json_node_get_object (((HubSpotFakeRequest *) g_ptr_array_index (batches, 0))->body), "inputs");
	g_assert_cmpuint (json_array_get_length (inputs), ==, 3);
	for (ii = 0; ii < 3; ii++) {
		JsonObject *properties = json_object_get_object_member (json_array_get_object_element (inputs, ii), "properties");
		const gchar *title = json_object_get_string_member (properties, "hs_meeting_title");
		const gchar *notes = json_object_get_string_member_with_default (properties, "hs_internal_meeting_notes", NULL);

		/* The changed one joined the gathering again, at its end. */
		g_assert_cmpstr (title, ==, ii == 0 ? "Meeting 0" : ii == 1 ? "Meeting 4" : "Meeting 1");
		g_assert_cmpstr (notes, ==, ii == 2 ? "v2" : NULL);
	}
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH), ==, 1);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 4);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-2"), ==, 0);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, "uid-1"), ==, 1);
	g_assert_false (e_hubspot_outbox_has_work (fx->outbox, "uid-2"));
}

static gboolean
fixture_has_batch_creates (Fixture *fx,
			   gconstpointer data)
{
	return hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH) >= GPOINTER_TO_UINT (data);
}

/* While no request of the calendar's own may go (every place of its
 * MaxInFlight taken), what a batch takes is still handed to the batcher,
 * and a full batch goes before the single calls that waited: 100 events
 * for one place. */
static void
test_batch_before_singles (Fixture *fx,
			   gconstpointer data)
{
	g_autoptr(GPtrArray) requests = NULL;
	guint ii, batch_at = G_MAXUINT, n_scheduler = 0, fifth_at = G_MAXUINT;

	hubspot_fake_transport_script (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH, HUBSPOT_FAKE_HOLD, 4, 0, NULL, 0);
	for (ii = 0; ii < 6; ii++)
		put_numbered (fx, ii, NULL, FALSE);
	g_assert_true (fixture_wait (fx, fixture_has_held, GUINT_TO_POINTER (4), 10 * MS));
	for (ii = 6; ii < 106; ii++)
		put_ended (fx, ii);
	/* The clock stands still: only a full batch may go, and it goes
	 * while the single calls wait for a place. */
	g_assert_true (fixture_wait (fx, fixture_has_batch_creates, GUINT_TO_POINTER (1), 0));
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH), ==, 4);

	g_assert_cmpuint (hubspot_fake_transport_release (fx->fake), ==, 4);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (106), 10 * MS));

	requests = hubspot_fake_transport_dup_requests (fx->fake, "POST", NULL);
	for (ii = 0; ii < requests->len; ii++) {
		HubSpotFakeRequest *request = g_ptr_array_index (requests, ii);

		if (g_str_equal (request->path, BATCH_CREATE_PATH) && batch_at == G_MAXUINT) {
			batch_at = ii;
			g_assert_cmpuint (batch_inputs (request), ==, 100);
		} else if (g_str_equal (request->path, E_HUBSPOT_MEETINGS_CALENDAR_PATH) && ++n_scheduler == 5) {
			fifth_at = ii;
		}
	}
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH), ==, 1);
	g_assert_cmpuint (n_scheduler, ==, 6);
	g_assert_cmpuint (batch_at, <, fifth_at);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 106);
}

/* A batch create whose answer is lost: looked up once HubSpot's search
 * has caught up, each adopted, none made twice. */
static void
test_batch_lost_answer (Fixture *fx,
			gconstpointer data)
{
	g_autoptr(GPtrArray) batches = NULL;
	g_autoptr(GPtrArray) searches = NULL;
	guint ii;

	hubspot_fake_transport_script (fx->fake, "POST", BATCH_CREATE_PATH, HUBSPOT_FAKE_DROP_ANSWER, 1, 0, NULL, 0);
	for (ii = 0; ii < 5; ii++)
		put_ended (fx, ii);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (5), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	searches = hubspot_fake_transport_dup_requests (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	g_assert_cmpuint (searches->len, >=, 1);
	g_assert_cmpint (((HubSpotFakeRequest *) g_ptr_array_index (searches, 0))->start, >=,
		((HubSpotFakeRequest *) g_ptr_array_index (batches, 0))->start + LOOKUP_DELAY_MS * MS);
	assert_all_batched (fx, 5);
}

/* PATCHes, cancels and archives (docs/design.md, "Batch calls") */

#define BATCH_UPDATE_PATH E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/update"
#define BATCH_ARCHIVE_PATH E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/archive"

typedef struct {
	EHubSpotOutboxResultKind kind;
	guint count;
} ResultCount;

static gboolean
fixture_has_kind (Fixture *fx,
		  gconstpointer data)
{
	const ResultCount *wanted = data;

	return fixture_count_results (fx, wanted->kind, NULL) >= wanted->count;
}

/* n events that ended, in HubSpot: their meeting ids by n. */
static GPtrArray *
create_ended (Fixture *fx,
	      guint n)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	guint ii;

	for (ii = 0; ii < n; ii++)
		put_ended (fx, ii);
	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (n), 10 * MS));
	for (ii = 0; ii < n; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_ptr_array_add (ids, g_strdup (fixture_find_result (fx, E_HUBSPOT_OUTBOX_CREATED, uid)->meeting_id));
	}
	g_ptr_array_set_size (fx->results, 0);

	return ids;
}

/* A refresh's fetch (docs/design.md, "A refresh"): the checked meetings
 * the search did not return are read by batches. */

#define BATCH_READ_PATH E_HUBSPOT_CRM_MEETINGS_BATCH_PATH "/read"

static const gchar * const fetch_properties[] = {
	"hs_meeting_title", "hs_meeting_start_time", "hubspot_owner_id", NULL
};

/* A meeting of the fake; owner OWNER_ID's is in the window's search, any
 * other's is not (as one the index has not caught up with). */
static gchar *
add_fetch_meeting (Fixture *fx,
		   guint n,
		   const gchar *owner_id)
{
	g_autoptr(JsonNode) body = numbered_body (n, NULL);
	JsonObject *properties = e_hubspot_requests_get_properties (body);

	json_object_set_string_member (properties, "hubspot_owner_id", owner_id);

	return hubspot_fake_transport_add_meeting (fx->fake, properties);
}

static gboolean
fixture_fetch_is_done (Fixture *fx,
		       gconstpointer data)
{
	return e_hubspot_outbox_get_fetch_state (fx->outbox) == E_HUBSPOT_OUTBOX_FETCH_DONE;
}

/* Starts a fetch of June and July checking check_ids, and waits for it. */
static EHubSpotOutboxFetch *
fixture_fetch (Fixture *fx,
	       GPtrArray *check_ids)
{
	gint64 from = START_REAL_US / G_USEC_PER_SEC;

	g_assert_true (e_hubspot_outbox_start_fetch (fx->outbox, from, from + 60 * 86400, fetch_properties, check_ids));
	g_assert_true (fixture_wait (fx, fixture_fetch_is_done, NULL, 10 * MS));

	return e_hubspot_outbox_take_fetch (fx->outbox);
}

/* The ids of a batch read's inputs, and that it asked what a GET asks. */
static GPtrArray *
batch_read_ids (HubSpotFakeRequest *request)
{
	JsonObject *body = json_node_get_object (request->body);
	JsonArray *inputs = json_object_get_array_member (body, "inputs");
	JsonArray *properties = json_object_get_array_member (body, "properties");
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	guint ii;

	g_assert_cmpuint (json_array_get_length (properties), ==, g_strv_length ((gchar **) fetch_properties));
	for (ii = 0; fetch_properties[ii]; ii++)
		g_assert_cmpstr (json_array_get_string_element (properties, ii), ==, fetch_properties[ii]);
	for (ii = 0; ii < json_array_get_length (inputs); ii++)
		g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (inputs, ii), "id")));

	return ids;
}

/* Event n changed to text, as the backend hands it: with its meeting. */
static void
put_changed (Fixture *fx,
	     guint n,
	     const gchar *text,
	     GPtrArray *ids)
{
	g_autoptr(JsonNode) body = numbered_body (n, text);
	g_autofree gchar *uid = g_strdup_printf ("uid-%u", n);

	json_object_set_string_member (e_hubspot_requests_get_properties (body), "hs_meeting_outcome", "COMPLETED");
	e_hubspot_outbox_put (fx->outbox, uid, body, g_ptr_array_index (ids, n), FALSE);
}

static void
remove_event (Fixture *fx,
	      guint n,
	      GPtrArray *ids)
{
	g_autoptr(JsonNode) body = numbered_body (n, NULL);
	g_autofree gchar *uid = g_strdup_printf ("uid-%u", n);

	e_hubspot_outbox_remove (fx->outbox, uid, body, g_ptr_array_index (ids, n), FALSE);
}

static void
assert_notes (Fixture *fx,
	      GPtrArray *ids,
	      guint n,
	      const gchar *text)
{
	g_autofree gchar *notes = hubspot_fake_transport_dup_property (fx->fake, g_ptr_array_index (ids, n),
		"hs_internal_meeting_notes");

	g_assert_cmpstr (notes, ==, text);
}

/* 150 changes in two requests; a second change of a meeting waits for
 * its first to be answered, and the meeting ends with it. */
static void
test_batch_updates (Fixture *fx,
		    gconstpointer data)
{
	g_autoptr(GPtrArray) ids = create_ended (fx, 150);
	g_autoptr(GPtrArray) batches = NULL;
	ResultCount updated = { E_HUBSPOT_OUTBOX_UPDATED, 100 };
	guint ii;

	for (ii = 0; ii < 150; ii++)
		put_changed (fx, ii, "v2", ids);

	/* The clock stands still: only the full one may go. */
	g_assert_true (fixture_wait (fx, fixture_has_kind, &updated, 0));
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_UPDATE_PATH), ==, 1);
	updated.count = 150;
	g_assert_true (fixture_wait (fx, fixture_has_kind, &updated, 10 * MS));

	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_UPDATE_PATH);
	g_assert_cmpuint (batches->len, ==, 2);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 100);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 1)), ==, 50);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "PATCH", NULL), ==, 0);
	for (ii = 0; ii < 150; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_UPDATED, uid), ==, 1);
		assert_notes (fx, ids, ii, "v2");
	}
	g_assert_cmpuint (fixture_count_creates (fx), ==, 2);
	g_ptr_array_set_size (fx->results, 0);

	/* Events 0 and 1 change, their batch is held; event 0 changes
	 * again, with event 2: event 2 goes, event 0 waits for its answer. */
	hubspot_fake_transport_script (fx->fake, "POST", BATCH_UPDATE_PATH, HUBSPOT_FAKE_HOLD, 1, 0, NULL, 0);
	put_changed (fx, 0, "v3", ids);
	put_changed (fx, 1, "v3", ids);
	g_assert_true (fixture_wait (fx, fixture_has_held, GUINT_TO_POINTER (1), 10 * MS));
	put_changed (fx, 0, "v4", ids);
	put_changed (fx, 2, "v4", ids);
	fixture_run_for (fx, 3 * G_USEC_PER_SEC, 50 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_UPDATE_PATH), ==, 3);
	assert_notes (fx, ids, 0, "v3");
	assert_notes (fx, ids, 2, "v4");

	hubspot_fake_transport_release (fx->fake);
	updated.count = 4;
	g_assert_true (fixture_wait (fx, fixture_has_kind, &updated, 10 * MS));
	g_assert_true (fixture_wait (fx, fixture_in_flight_is_zero, NULL, 10 * MS));
	assert_notes (fx, ids, 0, "v4");
	assert_notes (fx, ids, 1, "v3");
	g_assert_cmpuint (hubspot_fake_transport_get_max_in_flight_per_title (fx->fake), ==, 1);
	g_assert_false (e_hubspot_outbox_has_work (fx->outbox, "uid-0"));
}

/* Cancels share a batch update, archives a batch archive; an input
 * HubSpot refuses fails that event alone, with HubSpot's message; a
 * meeting already gone is done, as for a single cancel. */
static void
test_batch_cancels (Fixture *fx,
		    gconstpointer data)
{
	g_autoptr(GPtrArray) ids = create_ended (fx, 6);
	g_autoptr(GPtrArray) batches = NULL;
	EHubSpotOutboxSettings settings = { 0, };
	ResultCount cancelled = { E_HUBSPOT_OUTBOX_CANCELLED, 2 };
	EHubSpotOutboxResult *failed;
	guint ii;

	hubspot_fake_transport_fail_batch_input (fx->fake, "Meeting 1", 400, "Property values were not valid");
	for (ii = 0; ii < 3; ii++)
		remove_event (fx, ii, ids);
	g_assert_true (fixture_wait (fx, fixture_has_kind, &cancelled, 10 * MS));
	g_assert_true (fixture_wait (fx, fixture_has_result, GUINT_TO_POINTER (3), 10 * MS));

	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_UPDATE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 3);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "PATCH", NULL), ==, 0);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CANCELLED, "uid-0"), ==, 1);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CANCELLED, "uid-2"), ==, 1);
	failed = fixture_find_result (fx, E_HUBSPOT_OUTBOX_FAILED, "uid-1");
	g_assert_nonnull (failed);
	g_assert_true (g_error_matches (failed->error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_VALIDATION));
	g_assert_nonnull (strstr (failed->error->message, "Property values were not valid"));
	for (ii = 0; ii < 3; ii++) {
		g_autofree gchar *outcome = hubspot_fake_transport_dup_property (fx->fake, g_ptr_array_index (ids, ii),
			"hs_meeting_outcome");

		g_assert_cmpstr (outcome, ==, ii == 1 ? "COMPLETED" : "CANCELED");
	}
	g_ptr_array_set_size (fx->results, 0);

	/* Archives: one of the meetings is gone in HubSpot already. */
	settings.max_in_flight = 4;
	settings.lookup_delay_ms = LOOKUP_DELAY_MS;
	settings.archive_on_remove = TRUE;
	e_hubspot_outbox_set_policy (fx->outbox, &settings);
	hubspot_fake_transport_fail_batch_input (fx->fake, "Meeting 4", 404, "Object not found");
	for (ii = 3; ii < 6; ii++)
		remove_event (fx, ii, ids);
	cancelled.count = 3;
	g_assert_true (fixture_wait (fx, fixture_has_kind, &cancelled, 10 * MS));

	g_clear_pointer (&batches, g_ptr_array_unref);
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_ARCHIVE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 3);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "DELETE", NULL), ==, 0);
	g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_FAILED, NULL), ==, 0);
	/* 0, 2 cancelled, 1 kept; 3 and 5 archived, 4 left as the fake has it */
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 4);
	for (ii = 3; ii < 6; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CANCELLED, uid), ==, 1);
		g_assert_false (e_hubspot_outbox_has_work (fx->outbox, uid));
	}
}

/* A batch update whose answer is lost (applied by HubSpot): each change
 * is sent again under the retry policy, none done twice, nothing
 * created. */
static void
test_batch_update_lost_answer (Fixture *fx,
			       gconstpointer data)
{
	g_autoptr(GPtrArray) ids = create_ended (fx, 5);
	g_autoptr(GPtrArray) batches = NULL;
	ResultCount updated = { E_HUBSPOT_OUTBOX_UPDATED, 5 };
	guint ii;

	hubspot_fake_transport_script (fx->fake, "POST", BATCH_UPDATE_PATH, HUBSPOT_FAKE_DROP_ANSWER, 1, 0, NULL, 0);
	for (ii = 0; ii < 5; ii++)
		put_changed (fx, ii, "v2", ids);

	g_assert_true (fixture_wait (fx, fixture_has_kind, &updated, 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_UPDATE_PATH);
	g_assert_cmpuint (batches->len, ==, 2);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 1)), ==, 5);
	/* Again after a back-off, not at once */
	g_assert_cmpint (((HubSpotFakeRequest *) g_ptr_array_index (batches, 1))->start -
		((HubSpotFakeRequest *) g_ptr_array_index (batches, 0))->start, >=, 200 * MS);
	g_assert_cmpuint (fixture_count_creates (fx), ==, 1);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH), ==, 0);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 5);
	for (ii = 0; ii < 5; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_UPDATED, uid), ==, 1);
		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_FAILED, uid), ==, 0);
		assert_notes (fx, ids, ii, "v2");
	}
}

/* 250 checked meetings the search missed (one of them gone) are read in
 * 3 requests; the one the search found is not read again. */
static void
test_fetch_batch_read (Fixture *fx,
		       gconstpointer data)
{
	g_autoptr(GPtrArray) check_ids = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(EHubSpotOutboxFetch) fetch = NULL;
	g_autoptr(GPtrArray) reads = NULL;
	g_autofree gchar *found_id = NULL;
	JsonNode *meeting;
	guint ii;

	found_id = add_fetch_meeting (fx, 0, OWNER_ID);
	g_ptr_array_add (check_ids, g_strdup (found_id));
	for (ii = 1; ii < 250; ii++)
		g_ptr_array_add (check_ids, add_fetch_meeting (fx, ii, "2"));
	g_ptr_array_insert (check_ids, 120, g_strdup ("999999"));

	fetch = fixture_fetch (fx, check_ids);
	g_assert_no_error (fetch->error);
	g_assert_cmpuint (fetch->meetings->len, ==, 1);

	reads = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_READ_PATH);
	g_assert_cmpuint (reads->len, ==, 3);
	for (ii = 0; ii < reads->len; ii++) {
		g_autoptr(GPtrArray) ids = batch_read_ids (g_ptr_array_index (reads, ii));

		g_assert_cmpuint (ids->len, ==, ii < 2 ? 100 : 50);
		g_assert_false (g_ptr_array_find_with_equal_func (ids, found_id, g_str_equal, NULL));
	}
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "GET", E_HUBSPOT_CRM_MEETINGS_PATH), ==, 0);

	g_assert_cmpuint (g_hash_table_size (fetch->reads), ==, 250);
	g_assert_false (g_hash_table_contains (fetch->reads, found_id));
	meeting = g_hash_table_lookup (fetch->reads, "999999");
	g_assert_nonnull (meeting);
	g_assert_true (JSON_NODE_HOLDS_NULL (meeting));
	for (ii = 1; ii < check_ids->len; ii++) {
		const gchar *id = g_ptr_array_index (check_ids, ii);
		JsonObject *properties;

		if (g_str_equal (id, "999999"))
			continue;
		meeting = g_hash_table_lookup (fetch->reads, id);
		g_assert_nonnull (meeting);
		g_assert_true (JSON_NODE_HOLDS_OBJECT (meeting));
		g_assert_cmpstr (json_object_get_string_member (json_node_get_object (meeting), "id"), ==, id);
		properties = json_object_get_object_member (json_node_get_object (meeting), "properties");
		g_assert_cmpstr (json_object_get_string_member (properties, "hubspot_owner_id"), ==, "2");
		g_assert_true (json_object_has_member (properties, "hs_meeting_title"));
	}
}

/* A batch read whose answer is lost is sent again, the same meetings;
 * a read that keeps failing ends the fetch after three tries. */
static void
test_fetch_batch_read_lost (Fixture *fx,
			    gconstpointer data)
{
	g_autoptr(GPtrArray) check_ids = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(EHubSpotOutboxFetch) fetch = NULL;
	g_autoptr(GPtrArray) reads = NULL;
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) second = NULL;
	guint ii;

	for (ii = 0; ii < 150; ii++)
		g_ptr_array_add (check_ids, add_fetch_meeting (fx, ii, "2"));

	hubspot_fake_transport_script (fx->fake, "POST", BATCH_READ_PATH, HUBSPOT_FAKE_DROP_ANSWER, 1, 0, NULL, 0);
	fetch = fixture_fetch (fx, check_ids);
	g_assert_no_error (fetch->error);
	g_assert_cmpuint (g_hash_table_size (fetch->reads), ==, 150);

	reads = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_READ_PATH);
	g_assert_cmpuint (reads->len, ==, 3);
	first = batch_read_ids (g_ptr_array_index (reads, 0));
	second = batch_read_ids (g_ptr_array_index (reads, 1));
	g_assert_cmpuint (first->len, ==, 100);
	g_assert_cmpuint (second->len, ==, 100);
	for (ii = 0; ii < first->len; ii++)
		g_assert_cmpstr (g_ptr_array_index (first, ii), ==, g_ptr_array_index (second, ii));
	g_clear_pointer (&fetch, e_hubspot_outbox_fetch_free);
	g_clear_pointer (&reads, g_ptr_array_unref);

	/* 503 three times: the fetch gives up, for the next refresh. */
	hubspot_fake_transport_script (fx->fake, "POST", BATCH_READ_PATH, HUBSPOT_FAKE_FAIL, 3, 503, "Busy", 0);
	fetch = fixture_fetch (fx, check_ids);
	g_assert_error (fetch->error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_SERVER);
	reads = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_READ_PATH);
	g_assert_cmpuint (reads->len, ==, 3 + 3);
}

/* A batch read whose answer names not every meeting asked for: those are
 * read again (with the next ones), as after a failed read; an answer that
 * keeps leaving one out ends the fetch after three tries. */
static void
test_fetch_batch_read_unnamed (Fixture *fx,
			       gconstpointer data)
{
	g_autoptr(GPtrArray) check_ids = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(EHubSpotOutboxFetch) fetch = NULL;
	g_autoptr(GPtrArray) reads = NULL;
	g_autoptr(GPtrArray) first = NULL;
	g_autoptr(GPtrArray) second = NULL;
	guint ii;

	for (ii = 0; ii < 150; ii++)
		g_ptr_array_add (check_ids, add_fetch_meeting (fx, ii, "2"));

	hubspot_fake_transport_script (fx->fake, "POST", BATCH_READ_PATH, HUBSPOT_FAKE_FORGET_LAST, 1, 0, NULL, 0);
	fetch = fixture_fetch (fx, check_ids);
	g_assert_no_error (fetch->error);
	g_assert_cmpuint (g_hash_table_size (fetch->reads), ==, 150);
	for (ii = 0; ii < check_ids->len; ii++)
		g_assert_true (JSON_NODE_HOLDS_OBJECT ((JsonNode *) g_hash_table_lookup (fetch->reads, g_ptr_array_index (check_ids, ii))));

	reads = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_READ_PATH);
	g_assert_cmpuint (reads->len, ==, 2);
	first = batch_read_ids (g_ptr_array_index (reads, 0));
	second = batch_read_ids (g_ptr_array_index (reads, 1));
	g_assert_cmpuint (first->len, ==, 100);
	g_assert_cmpuint (second->len, ==, 51);
	g_assert_cmpstr (g_ptr_array_index (second, 0), ==, g_ptr_array_index (first, 99));
	g_clear_pointer (&fetch, e_hubspot_outbox_fetch_free);

	g_ptr_array_add (one, g_strdup (g_ptr_array_index (check_ids, 0)));
	hubspot_fake_transport_script (fx->fake, "POST", BATCH_READ_PATH, HUBSPOT_FAKE_FORGET_LAST, 3, 0, NULL, 0);
	fetch = fixture_fetch (fx, one);
	g_assert_error (fetch->error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_READ_PATH), ==, 2 + 3);
}

/* Two calendars of one account (docs/design.md, "Batch calls"): a second
 * outbox on the same connection and clock, its results apart. */

#define OTHER_TOKEN "other-key"

typedef struct {
	Fixture *fx;
	EHubSpotOutbox *outbox;
	GPtrArray *results;
} Calendar;

static void
calendar_results_ready_cb (gpointer user_data)
{
	Calendar *cal = user_data;

	fixture_signal (cal->fx);
}

static void
calendar_credentials_rejected_cb (gpointer user_data,
				  const GError *error)
{
	Calendar *cal = user_data;

	fixture_signal (cal->fx);
}

static const EHubSpotOutboxCallbacks calendar_callbacks = {
	calendar_results_ready_cb,
	calendar_credentials_rejected_cb,
	NULL,
	NULL
};

static Calendar *
calendar_new (Fixture *fx,
	      const gchar *token)
{
	EHubSpotOutboxSettings settings = { 0, };
	g_autoptr(GError) error = NULL;
	Calendar *cal = g_new0 (Calendar, 1);

	cal->fx = fx;
	cal->results = g_ptr_array_new_with_free_func (e_hubspot_outbox_result_free);

	settings.api_url = API_URL;
	settings.owner_id = OWNER_ID;
	settings.organizer_user_id = USER_ID;
	settings.max_in_flight = 4;
	settings.lookup_delay_ms = LOOKUP_DELAY_MS;
	settings.clock = fx->clock;
	settings.connection = fx->cnc;
	settings.jitter_seed = 11;

	cal->outbox = e_hubspot_outbox_new (&settings, &calendar_callbacks, cal, &error);
	g_assert_no_error (error);
	e_hubspot_outbox_set_account_info (cal->outbox, "42", "app.hubspot.com");
	e_hubspot_outbox_set_token (cal->outbox, token);

	return cal;
}

/* Closes the calendar (maybe while the batcher holds its inputs). */
static void
calendar_close (Calendar *cal)
{
	g_clear_pointer (&cal->outbox, e_hubspot_outbox_free);
}

static void
calendar_free (Calendar *cal)
{
	calendar_close (cal);
	g_ptr_array_unref (cal->results);
	g_free (cal);
}

static void
calendar_collect (Calendar *cal)
{
	g_autoptr(GPtrArray) results = NULL;

	if (!cal->outbox)
		return;

	results = e_hubspot_outbox_steal_results (cal->outbox);
	e_hubspot_outbox_results_stored (cal->outbox, results);
	g_ptr_array_extend_and_steal (cal->results, g_steal_pointer (&results));
}

static guint
calendar_count_results (Calendar *cal,
			EHubSpotOutboxResultKind kind,
			const gchar *uid)
{
	guint ii, count = 0;

	calendar_collect (cal);
	for (ii = 0; ii < cal->results->len; ii++) {
		EHubSpotOutboxResult *result = g_ptr_array_index (cal->results, ii);

		count += result->kind == kind && (!uid || g_str_equal (result->uid, uid));
	}

	return count;
}

static void
calendar_put_ended (EHubSpotOutbox *outbox,
		    guint n)
{
	g_autoptr(JsonNode) body = numbered_body (n, NULL);
	g_autofree gchar *uid = g_strdup_printf ("uid-%u", n);

	json_object_set_string_member (e_hubspot_requests_get_properties (body), "hs_meeting_outcome", "COMPLETED");
	e_hubspot_outbox_put (outbox, uid, body, NULL, FALSE);
}

typedef struct {
	Calendar *other;
	guint mine;		/* created in the fixture's calendar */
	guint others;		/* ...in the other */
} BothCreated;

static gboolean
fixture_both_created (Fixture *fx,
		      gconstpointer data)
{
	const BothCreated *wanted = data;

	return fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, NULL) >= wanted->mine &&
		calendar_count_results (wanted->other, E_HUBSPOT_OUTBOX_CREATED, NULL) >= wanted->others;
}

/* Events first..first+n-1 were created once each, in this calendar's
 * results (results of the fixture's calendar when cal is NULL), and
 * none of them in other's. */
static void
assert_created_in (Fixture *fx,
		   Calendar *cal,
		   Calendar *other,
		   guint first,
		   guint n)
{
	guint ii;

	for (ii = first; ii < first + n; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		if (cal)
			g_assert_cmpuint (calendar_count_results (cal, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 1);
		else
			g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 1);
		if (other)
			g_assert_cmpuint (calendar_count_results (other, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 0);
		else
			g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 0);
	}
}

/* The titles of a batch create's inputs: which events it carried. */
static gboolean
batch_has_title_between (HubSpotFakeRequest *request,
			 guint first,
			 guint last)
{
	JsonArray *inputs = json_object_get_array_member (json_node_get_object (request->body), "inputs");
	guint ii;

	for (ii = 0; ii < json_array_get_length (inputs); ii++) {
		JsonObject *properties = json_object_get_object_member (json_array_get_object_element (inputs, ii), "properties");
		const gchar *title = json_object_get_string_member (properties, "hs_meeting_title");
		guint n = (guint) g_ascii_strtoull (title + strlen ("Meeting "), NULL, 10);

		if (n >= first && n <= last)
			return TRUE;
	}

	return FALSE;
}

/* Two calendars with the same token, 60 ended events each within the
 * gathering's time: two batch creates in all (100 + 20), each event made
 * once, its result in its own calendar. */
static void
test_account_shared (Fixture *fx,
		     gconstpointer data)
{
	Calendar *other = calendar_new (fx, TOKEN);
	BothCreated wanted = { other, 60, 60 };
	g_autoptr(GPtrArray) batches = NULL;
	guint ii;

	for (ii = 0; ii < 60; ii++) {
		calendar_put_ended (fx->outbox, ii);
		calendar_put_ended (other->outbox, 60 + ii);
	}

	g_assert_true (fixture_wait (fx, fixture_both_created, &wanted, 10 * MS));

	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 2);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 100);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 1)), ==, 20);
	/* The first carried both calendars' events. */
	g_assert_true (batch_has_title_between (g_ptr_array_index (batches, 0), 0, 59));
	g_assert_true (batch_has_title_between (g_ptr_array_index (batches, 0), 60, 119));
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_MEETINGS_CALENDAR_PATH), ==, 0);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 120);
	assert_created_in (fx, NULL, other, 0, 60);
	assert_created_in (fx, other, NULL, 60, 60);

	calendar_free (other);
}

/* Two calendars of one account with different tokens: never in one
 * request, each request with its own calendar's token. */
static void
test_account_tokens (Fixture *fx,
		     gconstpointer data)
{
	Calendar *other = calendar_new (fx, OTHER_TOKEN);
	BothCreated wanted = { other, 10, 10 };
	g_autoptr(GPtrArray) batches = NULL;
	guint ii;

	for (ii = 0; ii < 10; ii++) {
		calendar_put_ended (fx->outbox, ii);
		calendar_put_ended (other->outbox, 10 + ii);
	}

	g_assert_true (fixture_wait (fx, fixture_both_created, &wanted, 10 * MS));

	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 2);
	for (ii = 0; ii < batches->len; ii++) {
		HubSpotFakeRequest *request = g_ptr_array_index (batches, ii);
		gboolean mine = g_strcmp0 (request->authorization, "Bearer " TOKEN) == 0;

		g_assert_true (mine || g_strcmp0 (request->authorization, "Bearer " OTHER_TOKEN) == 0);
		g_assert_cmpuint (batch_inputs (request), ==, 10);
		g_assert_true (batch_has_title_between (request, mine ? 0 : 10, mine ? 9 : 19));
		g_assert_false (batch_has_title_between (request, mine ? 10 : 0, mine ? 19 : 9));
	}
	assert_created_in (fx, NULL, other, 0, 10);
	assert_created_in (fx, other, NULL, 10, 10);

	calendar_free (other);
}

/* A calendar closed while its inputs wait to be gathered: the other's go
 * alone; closed while a request carries them: the other's still end. */
static void
test_account_closed (Fixture *fx,
		     gconstpointer data)
{
	Calendar *other = calendar_new (fx, TOKEN);
	g_autoptr(GPtrArray) batches = NULL;
	guint ii;

	for (ii = 0; ii < 10; ii++) {
		calendar_put_ended (fx->outbox, ii);
		calendar_put_ended (other->outbox, 10 + ii);
	}
	fixture_run_for (fx, 50 * MS, 10 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH), ==, 0);
	calendar_close (other);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (10), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 10);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 10);
	assert_created_in (fx, NULL, other, 0, 10);
	calendar_free (other);
	g_clear_pointer (&batches, g_ptr_array_unref);

	/* The request is held while the other calendar closes. */
	other = calendar_new (fx, TOKEN);
	hubspot_fake_transport_script (fx->fake, "POST", BATCH_CREATE_PATH, HUBSPOT_FAKE_HOLD, 1, 0, NULL, 0);
	for (ii = 20; ii < 30; ii++) {
		calendar_put_ended (fx->outbox, ii);
		calendar_put_ended (other->outbox, 10 + ii);
	}
	g_assert_true (fixture_wait (fx, fixture_has_held, GUINT_TO_POINTER (1), 10 * MS));
	calendar_close (other);
	g_assert_cmpuint (hubspot_fake_transport_release (fx->fake), ==, 1);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (20), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 2);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 1)), ==, 20);
	/* The closed calendar's were made, and forgotten: its recovery
	 * looks them up when it opens again. */
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 30);
	for (ii = 20; ii < 30; ii++) {
		g_autofree gchar *uid = g_strdup_printf ("uid-%u", ii);

		g_assert_cmpuint (fixture_count_results (fx, E_HUBSPOT_OUTBOX_CREATED, uid), ==, 1);
	}
	g_assert_false (e_hubspot_outbox_has_work (fx->outbox, "uid-20"));
	calendar_free (other);
}

/* A calendar's token changes while its inputs wait: the batch carries
 * the new one (the inputs are gathered again with it). */
static void
test_account_token_changed (Fixture *fx,
			    gconstpointer data)
{
	g_autoptr(GPtrArray) batches = NULL;
	HubSpotFakeRequest *request;
	guint ii;

	for (ii = 0; ii < 5; ii++)
		calendar_put_ended (fx->outbox, ii);
	fixture_run_for (fx, 50 * MS, 10 * MS);
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", BATCH_CREATE_PATH), ==, 0);
	e_hubspot_outbox_set_token (fx->outbox, OTHER_TOKEN);

	g_assert_true (fixture_wait (fx, fixture_has_created, GUINT_TO_POINTER (5), 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	request = g_ptr_array_index (batches, 0);
	g_assert_cmpuint (batch_inputs (request), ==, 5);
	g_assert_cmpstr (request->authorization, ==, "Bearer " OTHER_TOKEN);
	assert_all_batched (fx, 5);
}

/* A merged batch create whose answer is lost: each calendar looks its
 * own creates up, none made twice. */
static void
test_account_lost_answer (Fixture *fx,
			  gconstpointer data)
{
	Calendar *other = calendar_new (fx, TOKEN);
	BothCreated wanted = { other, 5, 5 };
	g_autoptr(GPtrArray) batches = NULL;
	guint ii;

	hubspot_fake_transport_script (fx->fake, "POST", BATCH_CREATE_PATH, HUBSPOT_FAKE_DROP_ANSWER, 1, 0, NULL, 0);
	for (ii = 0; ii < 5; ii++) {
		calendar_put_ended (fx->outbox, ii);
		calendar_put_ended (other->outbox, 5 + ii);
	}

	g_assert_true (fixture_wait (fx, fixture_both_created, &wanted, 10 * MS));
	batches = hubspot_fake_transport_dup_requests (fx->fake, "POST", BATCH_CREATE_PATH);
	g_assert_cmpuint (batches->len, ==, 1);
	g_assert_cmpuint (batch_inputs (g_ptr_array_index (batches, 0)), ==, 10);
	/* One lookup each at least: each calendar its own. */
	g_assert_cmpuint (hubspot_fake_transport_count (fx->fake, "POST", E_HUBSPOT_CRM_MEETINGS_SEARCH_PATH), >=, 2);
	g_assert_cmpuint (hubspot_fake_transport_count_meetings (fx->fake), ==, 10);
	assert_created_in (fx, NULL, other, 0, 5);
	assert_created_in (fx, other, NULL, 5, 5);

	calendar_free (other);
}

gint
main (gint argc,
      gchar **argv)
{
	g_test_init (&argc, &argv, NULL);

	add_test ("/outbox-rules/pacing/window", test_pacing_window);
	add_test ("/outbox-rules/pacing/429", test_pacing_429);
	add_test ("/outbox-rules/retry/server-error", test_retry_server_error);
	add_test ("/outbox-rules/retry/backoff", test_retry_backoff);
	add_test ("/outbox-rules/retry/bad-request", test_retry_bad_request);
	add_test ("/outbox-rules/retry/unauthorized", test_retry_unauthorized);
	add_test ("/outbox-rules/order/put-during-create", test_order_put_during_create);
	add_test ("/outbox-rules/order/remove-during-create", test_order_remove_during_create);
	add_test ("/outbox-rules/dedupe/lost-answer", test_dedupe_lost_answer);
	add_test ("/outbox-rules/dedupe/twins", test_dedupe_twins);
	add_test ("/outbox-rules/dedupe/linked", test_dedupe_linked);
	add_test ("/outbox-rules/recovery/adopts", test_recovery_adopts);
	add_test ("/outbox-rules/recovery/creates", test_recovery_creates);
	add_test ("/outbox-rules/locks/no-callback-under-lock", test_no_callback_under_lock);
	add_test ("/outbox-rules/offline", test_offline);
	add_test ("/outbox-rules/batch/full-and-rest", test_batch_full_and_rest);
	add_test ("/outbox-rules/batch/gathering", test_batch_gathering);
	add_test ("/outbox-rules/batch/changed-while-gathered", test_batch_changed_while_gathered);
	add_test ("/outbox-rules/batch/before-singles", test_batch_before_singles);
	add_test ("/outbox-rules/batch/lost-answer", test_batch_lost_answer);
	add_test ("/outbox-rules/batch/updates", test_batch_updates);
	add_test ("/outbox-rules/batch/cancels", test_batch_cancels);
	add_test ("/outbox-rules/batch/update-lost-answer", test_batch_update_lost_answer);
	add_test ("/outbox-rules/batch/account-shared", test_account_shared);
	add_test ("/outbox-rules/batch/account-tokens", test_account_tokens);
	add_test ("/outbox-rules/batch/account-closed", test_account_closed);
	add_test ("/outbox-rules/batch/account-token-changed", test_account_token_changed);
	add_test ("/outbox-rules/batch/account-lost-answer", test_account_lost_answer);
	add_test ("/outbox-rules/fetch/batch-read", test_fetch_batch_read);
	add_test ("/outbox-rules/fetch/batch-read-lost", test_fetch_batch_read_lost);
	add_test ("/outbox-rules/fetch/batch-read-unnamed", test_fetch_batch_read_unnamed);

	return g_test_run ();
}
