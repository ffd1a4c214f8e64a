/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the integration tests share: the mock HubSpot server as a child
 * process, HubSpot calendars created through the real registry, and
 * ECalClient connections, as Evolution and GNOME Calendar make them.
 * The tests run inside tests/hubspot-sandbox. */

#ifndef HUBSPOT_TEST_FIXTURE_H
#define HUBSPOT_TEST_FIXTURE_H

#include <json-glib/json-glib.h>
#include <libecal/libecal.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ECalClientView, g_object_unref)

/* The service key the mock accepts and the calendars use: "mock-token",
 * or HUBSPOT_TEST_TOKEN from the environment (tests/integration/secrets-scan
 * gives each run a random one to look for afterwards). */
const gchar *	hubspot_test_token		(void);

/* TRUE (and the case marked skipped) when the run asked to leave out the
 * cases that measure time or endurance (HUBSPOT_TESTS_NO_TIMING=1, set by
 * tests/run-tests --no-timing: CI's sanitizer and Debian 13 passes). */
gboolean	hubspot_test_skip_timing	(void);

/* How many HubSpot calendars the registry lists. */
guint		hubspot_test_count_calendars	(void);
#define HUBSPOT_TEST_TOKEN (hubspot_test_token ())
#define HUBSPOT_TEST_OWNER_EMAIL "owner@example.com"
#define HUBSPOT_TEST_OWNER_ID "75000001"
#define HUBSPOT_TEST_USER_ID "9100001"

typedef struct _HubSpotTestMock HubSpotTestMock;

/* Starts hubspot-mock (path in $HUBSPOT_MOCK) with extra arguments;
 * port 0 picks a free port. */
HubSpotTestMock *hubspot_test_mock_start	(guint port,
						 const gchar * const *args);
/* Fails when the mock refused a v1 to v4 path. */
void		hubspot_test_mock_stop		(HubSpotTestMock *mock);
const gchar *	hubspot_test_mock_get_url	(HubSpotTestMock *mock);
guint		hubspot_test_mock_get_port	(HubSpotTestMock *mock);
/* GET or POST on the mock's control endpoints; body may be NULL. */
JsonNode *	hubspot_test_mock_call		(HubSpotTestMock *mock,
						 const gchar *method,
						 const gchar *path,
						 const gchar *body);
/* A call whose answer does not matter. */
void		hubspot_test_mock_post		(HubSpotTestMock *mock,
						 const gchar *path,
						 const gchar *body);
/* The recorded API requests whose path contains path_part. */
JsonArray *	hubspot_test_mock_requests	(HubSpotTestMock *mock,
						 const gchar *path_part);
/* ...and whose method is method (NULL: any). */
JsonArray *	hubspot_test_mock_requests_by	(HubSpotTestMock *mock,
						 const gchar *method,
						 const gchar *path_part);
guint		hubspot_test_mock_count		(HubSpotTestMock *mock,
						 const gchar *method,
						 const gchar *path_part);
/* The PATCHes and archives of meeting_id, alone or in a batch call (docs/design.md,
 * "Batch calls"), in order: {method ("PATCH" or "DELETE"), path, body},
 * a batch's input as the body. */
JsonArray *	hubspot_test_mock_meeting_writes
						(HubSpotTestMock *mock,
						 const gchar *meeting_id);

ESourceRegistry *
		hubspot_test_registry		(void);
/* A HubSpot calendar for the mock's default owner; timezone may be NULL. */
ESource *	hubspot_test_create_calendar	(ESourceRegistry *registry,
						 const gchar *api_url,
						 const gchar *timezone);
void		hubspot_test_remove_calendar	(ESourceRegistry *registry,
						 ESource *source);
/* Opens the calendar and, when token is not NULL, hands the token over
 * through EDS's credentials flow. */
ECalClient *	hubspot_test_connect		(ESource *source,
						 const gchar *token);
void		hubspot_test_authenticate	(ESource *source,
						 const gchar *token);

/* Iterates the default main context until check() is TRUE or the time
 * is out; returns check()'s last answer. */
gboolean	hubspot_test_wait_until		(gboolean (* check) (gpointer user_data),
						 gpointer user_data,
						 guint timeout_ms);
void		hubspot_test_spin		(guint ms);

/* The event as the calendar has it now, and one of its X- properties. */
ICalComponent *	hubspot_test_get_event		(ECalClient *client,
						 const gchar *uid);
gchar *		hubspot_test_dup_event_property	(ECalClient *client,
						 const gchar *uid,
						 const gchar *x_name);
/* Waits until the event carries X-HUBSPOT-SYNC-STATE = state. */
gboolean	hubspot_test_wait_state		(ECalClient *client,
						 const gchar *uid,
						 const gchar *state,
						 guint timeout_ms);

gchar *		hubspot_test_create_event	(ECalClient *client,
						 const gchar *ical_text,
						 GError **error);

/* Sets [HubSpot] properties (GObject names: "lookup-delay", ...) and
 * writes the source; call before the calendar is opened. */
void		hubspot_test_configure		(ESource *source,
						 const gchar *first_property,
						 ...) G_GNUC_NULL_TERMINATED;
/* Counts the events by X-HUBSPOT-SYNC-STATE; returns the synced count. */
guint		hubspot_test_count_state	(ECalClient *client,
						 const gchar *state);
/* Waits until n events are synced (polling, 250 ms). */
gboolean	hubspot_test_wait_synced_count	(ECalClient *client,
						 guint n,
						 guint timeout_ms);
/* The pid of this session's evolution-calendar-factory, 0 when none runs. */
gint		hubspot_test_factory_pid	(void);
/* SIGKILLs this session's evolution-calendar-factory and waits until it is gone. */
void		hubspot_test_kill_factory	(void);
/* An ESource::credentials-required handler storing the reason into an
 * ESourceCredentialsReason pointed to by user_data. */
void		hubspot_test_credentials_required_cb
						(ESource *source,
						 ESourceCredentialsReason reason,
						 const gchar *certificate_pem,
						 GTlsCertificateFlags certificate_errors,
						 const GError *op_error,
						 gpointer user_data);
/* GET /__mock/stats member. */
gint64		hubspot_test_mock_stat		(HubSpotTestMock *mock,
						 const gchar *name);
/* The mock's live (not archived) meetings. */
JsonArray *	hubspot_test_mock_meetings	(HubSpotTestMock *mock);

/* A test program's run: g_test_init(), then a mock (started with
 * mock_args) and a registry shared by all its tests. */
void		hubspot_test_init		(gint *argc,
						 gchar ***argv,
						 const gchar * const *mock_args);
HubSpotTestMock *
		hubspot_test_get_mock		(void);
ESourceRegistry *
		hubspot_test_get_registry	(void);
/* Stops the mock and drops the registry. */
void		hubspot_test_shutdown		(void);
/* g_test_run(), then hubspot_test_shutdown(). */
gint		hubspot_test_run		(void);

typedef struct {
	ESource *source;
	ECalClient *client;
} HubSpotTestFixture;

/* What one test asks of its fixture: its g_test_add() data (NULL: all
 * fields zero). */
typedef struct {
	/* The calendar's time zone; NULL: Europe/Paris. */
	const gchar *timezone;
	/* [HubSpot] settings written before the calendar is opened: GObject
	 * property names, each followed by its value as text ("true", "8",
	 * "app.hubspot.com"); NULL ends them. */
	const gchar *settings[16];
	/* Leaves the calendar closed: fixture->client is NULL. */
	gboolean no_connect;
	/* Waits for the refresh that follows the opening and forgets the
	 * requests so far: the test counts from there. */
	gboolean wait_refresh;
} HubSpotTestOptions;

/* The settings `add` stores (the account details: no account-info call
 * before the first create), and a create whose outcome is uncertain
 * looked up after one second, not ten. */
#define HUBSPOT_TEST_ADDED_SETTINGS \
	"lookup-delay", "1", "portal-id", "4242", "ui-domain", "app.hubspot.com"

/* On the run's mock and registry: resets the mock, then creates (and
 * opens) a calendar as options say. */
void		hubspot_test_fixture_setup	(HubSpotTestFixture *fixture,
						 gconstpointer options);
/* Closes and removes the calendar, and gives the mock back its own
 * defaults (not those of hubspot_test_init()'s mock_args). */
void		hubspot_test_fixture_teardown	(HubSpotTestFixture *fixture,
						 gconstpointer options);

#define hubspot_test_add(path, options, test) \
	g_test_add ((path), HubSpotTestFixture, (options), hubspot_test_fixture_setup, (test), \
		hubspot_test_fixture_teardown)

G_END_DECLS

#endif /* HUBSPOT_TEST_FIXTURE_H */
