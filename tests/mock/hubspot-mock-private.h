/* hubspot-mock-private.h: shared state of the mock HubSpot server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
	gchar *email;
	gchar *id;		/* owner id: hubspot_owner_id, hs_attendee_owner_ids */
	gint64 user_id;		/* user id: organizerUserId */
	gchar *first_name;
	gchar *last_name;
} MockOwner;

typedef struct {
	gchar *id;
	GHashTable *properties;	/* gchar * name ~> gchar * value, CRM style (';'-joined) */
	gchar *timezone;
	JsonNode *associations;	/* as sent, or NULL */
	JsonNode *reminder_schedule; /* emailReminderSchedule as sent, or NULL */
	gchar *organizer_user_id;
	gint64 created_ms;
	gint64 updated_ms;
	gint64 archived_ms;	/* 0 while not archived */
} MockMeeting;

typedef struct {
	gchar *id;
	GHashTable *properties;	/* gchar * name ~> gchar * value; email lower-case */
	GPtrArray *company_ids;	/* gchar *, the first one the primary company */
	gint64 created_ms;
	gint64 updated_ms;
} MockContact;

typedef struct {
	gchar *id;
	gchar *name;
	gint64 created_ms;
} MockCompany;

/* hubspot-mock-oauth.c: the authorization server's settings and state */
typedef struct _MockOAuth MockOAuth;

#define MOCK_OAUTH_AUTHORIZE_PATH "/oauth/authorize"
#define MOCK_OAUTH_TOKEN_PATH "/oauth/2026-03/token"

typedef enum {
	MOCK_OAUTH_TOKEN_UNKNOWN,
	MOCK_OAUTH_TOKEN_VALID,
	MOCK_OAUTH_TOKEN_EXPIRED
} MockOAuthTokenState;

typedef enum {
	MOCK_FAULT_STATUS,
	MOCK_FAULT_DROP,
	MOCK_FAULT_DROP_AFTER_CREATE,
	MOCK_FAULT_MALFORMED_JSON,
	MOCK_FAULT_BATCH_INPUTS	/* fails chosen inputs of a meetings batch call */
} MockFaultKind;

typedef struct {
	guint id;
	gchar *match;		/* path substring, or NULL for any */
	gchar *method;		/* or NULL for any */
	gint count;		/* applications left; -1 = forever */
	gdouble rate;		/* probability, or < 0 for "always" */
	guint status;
	gint retry_after;	/* seconds, or -1 for no Retry-After */
	gchar *policy_name;	/* for 429 */
	guint delay_ms;
	MockFaultKind kind;
	guint applied;
	/* MOCK_FAULT_BATCH_INPUTS: the inputs it fails, and their message */
	GStrv titles;		/* hs_meeting_title of the input (or its meeting), or NULL */
	GArray *positions;	/* guint indices in inputs[], or NULL */
	gchar *message;		/* or NULL for the status's usual message */
} MockFault;

typedef struct {
	/* Configuration (options, then POST /__mock/config) */
	gchar *token;
	guint delay_ms;
	gboolean external_url;
	guint rate_limit;	/* 0 = no enforcement */
	guint oauth_rate_limit;	/* calls with an OAuth access token; 0 = no enforcement */
	guint rate_window_ms;
	guint search_lag_ms;
	gint64 portal_id;
	gchar *ui_domain;
	GPtrArray *owners;	/* MockOwner * */
	gboolean legacy_paths;	/* answer v1 to v4 paths instead of refusing them */

	/* Since the start: a reset keeps it */
	guint64 n_legacy_refused;

	/* State, cleared by POST /__mock/reset (except next_id) */
	GPtrArray *meetings;	/* MockMeeting *, in creation order (owns them) */
	GHashTable *meetings_by_id; /* id ~> MockMeeting * (borrowed) */
	guint64 next_id;
	GPtrArray *contacts;	/* MockContact *, in creation order (owns them) */
	GHashTable *contacts_by_id; /* id ~> MockContact * (borrowed) */
	GHashTable *contacts_by_email; /* lower-case e-mail ~> MockContact * (borrowed) */
	guint64 next_contact_id;
	GPtrArray *companies;	/* MockCompany * (owns them) */
	GHashTable *companies_by_id; /* id ~> MockCompany * (borrowed) */
	guint64 next_company_id;
	GPtrArray *requests;	/* JsonNode * records */
	guint64 next_seq;
	GPtrArray *faults;	/* MockFault * */
	guint next_fault_id;
	GQueue rate_times;	/* gint64 monotonic µs of counted requests */
	GQueue oauth_rate_times; /* the same, of calls with an OAuth access token */
	MockOAuth *oauth;	/* its own reset restores the options' settings */
	guint64 n_requests;
	guint64 n_creates;
	guint64 n_rate_limited;
	guint64 n_faults_applied;
	guint64 n_daily;

	GRand *rand;
	FILE *record_file;
	SoupServer *server;
	GSocketService *service;
	GHashTable *connections;	/* client port ~> GSocketConnection * (weak) */
	GMainLoop *loop;
} MockServer;

/* One API request being answered */
typedef struct {
	MockServer *mock;
	SoupServerMessage *msg;
	const gchar *method;
	gchar *path;
	GHashTable *query;	/* gchar * ~> gchar * (repeated keys ','-joined) */
	JsonNode *body;		/* parsed body, or NULL */
	gchar *body_error;	/* why the body is not JSON, or NULL when it is (or is empty) */
	gboolean body_empty;
	JsonNode *record;	/* the request's record object (also in mock->requests) */

	guint status;
	gchar *reason;
	JsonNode *response;	/* answer body, or NULL */
	GHashTable *extra_headers;
	gchar *html;		/* answer body as text/html instead of response, or NULL */
	gboolean redact_response; /* the record gets the answer without its tokens */
	gboolean oauth_credential; /* the call carried an access token the mock issued */

	MockFault *fault;	/* copy of the applied rule, or NULL */
	guint delay_ms;
	gboolean finished;
	gulong finished_handler;
	gboolean paused;
} MockRequest;

/* What a search runs on (hubspot-mock-search.c): meetings or contacts */
typedef struct {
	GHashTable *	(*properties)	(gpointer record);
	/* Archived, or younger than the search lag: not found */
	gboolean	(*visible)	(gpointer record,
					 gint64 visible_before_ms);
	JsonObject *	(*to_json)	(gpointer record,
					 const gchar * const *names);
	const gchar * const *default_properties;
	const gchar * const *text_properties;	/* what "query" looks in */
	const gchar * const *folded_properties;	/* compared ignoring case (e-mails) */
} MockSearchKind;

/* hubspot-mock.c: the first fault rule for @req that has applications
 * left, among the batch-inputs rules or among the others (borrowed) */
MockFault *	mock_match_fault		(MockRequest *req,
						 gboolean batch_inputs);
/* Counts an application of @fault, adds its delay to @req's and puts a
 * copy in @req (for its record) */
void		mock_fault_apply		(MockRequest *req,
						 MockFault *fault);

/* hubspot-mock.c, hubspot-mock-reply.c */
gchar *		mock_iso_time			(gint64 ms);
gint64		mock_now_ms			(void);
const gchar *	mock_query			(MockRequest *req,
						 const gchar *name);
void		mock_reply_json			(MockRequest *req,
						 guint status,
						 JsonNode *node); /* transfer full, nullable */
void		mock_reply_object		(MockRequest *req,
						 guint status,
						 JsonObject *object); /* transfer full */
void		mock_reply_error		(MockRequest *req,
						 guint status,
						 const gchar *category,
						 const gchar *message,
						 JsonArray *errors); /* transfer full, nullable */
void		mock_reply_invalid_body		(MockRequest *req);
void		mock_reply_not_found		(MockRequest *req);
void		mock_reply_method_not_allowed	(MockRequest *req,
						 const gchar *allowed);
void		mock_add_extra_header		(MockRequest *req,
						 const gchar *name,
						 const gchar *value);
void		mock_reply_rate_limited		(MockRequest *req,
						 const gchar *policy);
void		mock_reply_fault_status		(MockRequest *req,
						 const MockFault *fault);
/* The category and message of a status fault's answer */
void		mock_fault_describe		(guint status,
						 const gchar **out_category,
						 const gchar **out_message);
gboolean	mock_require_json_body		(MockRequest *req);
/* 400 VALIDATION_ERROR, "Invalid input: <every problem>" */
void		mock_reply_validation_errors	(MockRequest *req,
						 JsonArray *errors); /* transfer full */
void		mock_reply_bad_request		(MockRequest *req,
						 const gchar *in,
						 const gchar *message);
/* A batch answer: @ok_status with {status, results, startedAt, completedAt},
 * or 207 with numErrors and errors[] as well when @errors is not empty */
void		mock_reply_batch		(MockRequest *req,
						 guint ok_status,
						 JsonArray *results, /* transfer full */
						 JsonArray *errors, /* transfer full, nullable */
						 gint64 started_ms);
/* An errors[] item of a batch answer: {status, category, message, context};
 * @context_name NULL: an empty context */
JsonObject *	mock_batch_error		(const gchar *category,
						 const gchar *message,
						 const gchar *context_name,
						 GPtrArray *context_values); /* gchar * */
/* json_to_string(), working around json-glib 1.6 not escaping U+001F */
gchar *		mock_json_to_string		(JsonNode *node);
void		mock_add_error_item		(JsonArray *errors,
						 const gchar *code,
						 const gchar *in,
						 const gchar *format,
						 ...) G_GNUC_PRINTF (4, 5);

/* hubspot-mock-store.c */
MockOwner *	mock_owner_new_from_spec	(const gchar *spec,
						 GError **error);
void		mock_owner_free			(MockOwner *owner);
MockOwner *	mock_find_owner_by_id		(MockServer *mock,
						 const gchar *id);
MockOwner *	mock_find_owner_by_user_id	(MockServer *mock,
						 const gchar *user_id);
MockOwner *	mock_find_owner_by_email	(MockServer *mock,
						 const gchar *email);
JsonObject *	mock_owner_to_json		(MockOwner *owner);

MockMeeting *	mock_meeting_new		(MockServer *mock); /* stored, with a fresh id */
void		mock_meeting_free		(MockMeeting *meeting);
MockMeeting *	mock_find_meeting		(MockServer *mock,
						 const gchar *id);
void		mock_meeting_remove		(MockServer *mock,
						 MockMeeting *meeting);
void		mock_meeting_set_property_node	(MockMeeting *meeting,
						 const gchar *name,
						 JsonNode *value);
void		mock_meeting_touch		(MockMeeting *meeting);
JsonObject *	mock_meeting_to_json		(MockMeeting *meeting,
						 const gchar * const *names); /* NULL = all */
JsonObject *	mock_meeting_to_full_json	(MockMeeting *meeting);
void		mock_clear_state		(MockServer *mock);
gboolean	mock_check_owner_ids		(MockServer *mock,
						 JsonObject *properties,
						 JsonArray *errors);
gboolean	mock_check_merged_times		(MockMeeting *meeting,
						 JsonObject *properties,
						 JsonArray *errors);

/* hubspot-mock-contacts.c */
MockContact *	mock_contact_new		(MockServer *mock,
						 const gchar *email); /* stored, with a fresh id */
void		mock_contact_free		(MockContact *contact);
MockContact *	mock_find_contact		(MockServer *mock,
						 const gchar *id);
MockContact *	mock_find_contact_by_email	(MockServer *mock,
						 const gchar *email); /* any case */
void		mock_contact_add_company	(MockContact *contact,
						 const gchar *company_id); /* once */
/* SimplePublicObject; @names NULL: every property, else the usual six
 * (when set) and @names (null when unset) */
JsonObject *	mock_contact_to_json		(MockContact *contact,
						 const gchar * const *names);
JsonObject *	mock_contact_to_full_json	(MockContact *contact); /* + company_ids */
MockCompany *	mock_company_new		(MockServer *mock,
						 const gchar *name);
void		mock_company_free		(MockCompany *company);
MockCompany *	mock_find_company		(MockServer *mock,
						 const gchar *id);
JsonObject *	mock_company_to_json		(MockCompany *company);
void		mock_api_contacts		(MockRequest *req,
						 const gchar *rest);

/* hubspot-mock-associations.c */
void		mock_api_associations		(MockRequest *req,
						 const gchar *rest);
/* Meeting creates: every to.id must name a contact (200) or company (188) */
gboolean	mock_check_meeting_associations	(MockServer *mock,
						 JsonNode *associations,
						 JsonArray *errors);

/* A string member, or NULL when absent or not a string */
const gchar *	mock_json_get_string		(JsonObject *object,
						 const gchar *name);

/* hubspot-mock-api.c */
void		mock_api_dispatch		(MockRequest *req);
/* What GET .../meetings/{id} answers without ?properties= */
extern const gchar *mock_meeting_default_properties[];
/* A CRM create or update body (or batch input), schema checked: owners
 * and associated records must exist; for an update (@meeting) the times
 * as they would be must stay in order.  Problems go to @errors. */
void		mock_check_crm_meeting_input	(MockServer *mock,
						 JsonObject *input,
						 MockMeeting *meeting, /* nullable */
						 JsonArray *errors);
/* Stores a checked CRM create, as POST .../meetings does */
MockMeeting *	mock_meeting_create_crm		(MockServer *mock,
						 JsonObject *input);
/* A checked PATCH's properties, and the date of the change */
void		mock_meeting_update		(MockMeeting *meeting,
						 JsonObject *properties);

/* hubspot-mock-batch.c: POST .../meetings/batch/{create,update,archive,read} */
void		mock_api_meetings_batch		(MockRequest *req,
						 const gchar *action);

/* hubspot-mock-search.c */
extern const MockSearchKind mock_meeting_search;
void		mock_api_search			(MockRequest *req,
						 const MockSearchKind *kind,
						 GPtrArray *records);

/* hubspot-mock-oauth.c */
MockOAuth *	mock_oauth_new			(const gchar *client_id,
						 const gchar *client_secret,
						 gint64 lifetime_s);
void		mock_oauth_free			(MockOAuth *oauth);
void		mock_oauth_reset		(MockOAuth *oauth);
/* /oauth/authorize and /oauth/2026-03/token: no bearer token needed */
gboolean	mock_oauth_is_endpoint		(const gchar *path);
void		mock_oauth_dispatch		(MockRequest *req);
/* Counts the calls with an expired token */
MockOAuthTokenState
		mock_oauth_check_access_token	(MockServer *mock,
						 const gchar *token,
						 gint64 *out_expired_ms_ago);
/* Records of /oauth/ calls: these names' values become "<redacted>" */
gboolean	mock_oauth_is_secret_name	(const gchar *name);
JsonNode *	mock_oauth_record_body		(MockRequest *req);
JsonNode *	mock_oauth_redact_response	(JsonNode *response);
/* GET/POST /__mock/oauth */
void		mock_oauth_control		(MockRequest *req);

/* hubspot-mock-control.c */
void		mock_control_dispatch		(MockRequest *req);
MockFault *	mock_fault_copy			(const MockFault *fault);
void		mock_fault_free			(MockFault *fault);
const gchar *	mock_fault_kind_to_string	(MockFaultKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockFault, mock_fault_free)

G_END_DECLS
