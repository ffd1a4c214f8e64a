/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <glib/gi18n-lib.h>

#include <libical-glib/libical-glib.h>

#include "common/e-hubspot-connection.h"
#include "common/e-hubspot-error.h"
#include "common/e-hubspot-tz.h"
#include "common/e-oauth2-service-hubspot.h"
#include "common/e-source-hubspot.h"
#include "e-cal-config-hubspot.h"

#include <shell/e-shell.h>

/* How long the registry may take to show a new calendar before the token
 * waiting for it is dropped (the commit failed). */
#define TOKEN_STORE_TIMEOUT_SECONDS 300

struct _ECalConfigHubSpot {
	ESourceConfigBackend parent;

	/* One candidate per dialog (the backend has a fixed parent), so the
	 * page's state lives here.  Widgets are referenced: the check's
	 * answer may come after the dialog is gone. */
	ESource *scratch_source;
	GtkWidget *email_entry;
	GtkWidget *sign_in_radio;	/* "Sign in with HubSpot" (OAuth 2) */
	GtkWidget *key_radio;		/* "Service key or private-app token" */
	GtkWidget *sign_in_box;		/* what signing in says, shown with sign_in_radio */
	GtkWidget *signed_in_label;
	GtkWidget *sign_in_again_button;
	GtkWidget *key_box;		/* the key, its help and its check */
	GtkWidget *token_entry;
	GtkWidget *api_url_entry;
	GtkWidget *auth_url_entry;
	GtkWidget *timezone_entry;
	GtkWidget *check_button;
	GtkWidget *spinner;
	GtkWidget *status_label;

	GCancellable *cancellable;	/* the check under way, if any */

	/* What last passed HubSpot's check; the dialog can finish only while
	 * the fields still say the same.  An empty token stands for the one
	 * already in the keyring (an existing calendar). */
	gchar *checked_api_url;
	gchar *checked_email;
	gchar *checked_token;
	gboolean checked_here;	/* by this dialog, not when the calendar was added */

	/* How the calendar signed in when the page opened (editing). */
	gboolean was_signed_in;
};

struct _ECalConfigHubSpotClass {
	ESourceConfigBackendClass parent_class;
};

G_DEFINE_DYNAMIC_TYPE (ECalConfigHubSpot, e_cal_config_hubspot, E_TYPE_SOURCE_CONFIG_BACKEND)

static void
wipe_string (gchar **str)
{
	if (*str) {
		memset (*str, 0, strlen (*str));
		g_clear_pointer (str, g_free);
	}
}

static gchar *
entry_dup_stripped (GtkWidget *entry)
{
	return g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));
}

static gchar *
cal_config_hubspot_dup_api_url (ECalConfigHubSpot *self)
{
	gchar *api_url = entry_dup_stripped (self->api_url_entry);

	if (!*api_url) {
		g_free (api_url);
		api_url = g_strdup (E_HUBSPOT_DEFAULT_API_URL);
	}

	return api_url;
}

static gboolean
cal_config_hubspot_is_editing (ECalConfigHubSpot *self)
{
	ESourceConfig *config = e_source_config_backend_get_config (E_SOURCE_CONFIG_BACKEND (self));

	return config && e_source_config_get_original_source (config);
}

static gboolean
cal_config_hubspot_signs_in (ECalConfigHubSpot *self)
{
	return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->sign_in_radio));
}

static gboolean
source_signs_in (ESource *source)
{
	g_autofree gchar *method = NULL;

	if (!source || !e_source_has_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION))
		return FALSE;

	method = e_source_authentication_dup_method (e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION));

	return g_strcmp0 (method, E_OAUTH2_SERVICE_HUBSPOT_NAME) == 0;
}

static gboolean
cal_config_hubspot_fields_checked (ECalConfigHubSpot *self)
{
	g_autofree gchar *api_url = NULL;
	g_autofree gchar *email = NULL;
	g_autofree gchar *token = NULL;
	gboolean same;

	if (!self->checked_email)
		return FALSE;

	api_url = cal_config_hubspot_dup_api_url (self);
	email = entry_dup_stripped (self->email_entry);
	token = entry_dup_stripped (self->token_entry);

	same = g_strcmp0 (api_url, self->checked_api_url) == 0 &&
		g_ascii_strcasecmp (email, self->checked_email) == 0 &&
		g_strcmp0 (token, self->checked_token) == 0;

	wipe_string (&token);

	return same;
}

static void
cal_config_hubspot_set_checked (ECalConfigHubSpot *self,
				const gchar *api_url,
				const gchar *email,
				const gchar *token)
{
	g_free (self->checked_api_url);
	g_free (self->checked_email);
	wipe_string (&self->checked_token);

	self->checked_api_url = g_strdup (api_url);
	self->checked_email = g_strdup (email);
	self->checked_token = g_strdup (token);
}

static void
cal_config_hubspot_set_status (ECalConfigHubSpot *self,
			       gboolean is_error,
			       const gchar *text)
{
	GtkStyleContext *style = gtk_widget_get_style_context (self->status_label);

	gtk_label_set_text (GTK_LABEL (self->status_label), text);

	/* Errors in the theme's error colour; the rest as plain text. */
	if (is_error)
		gtk_style_context_add_class (style, GTK_STYLE_CLASS_ERROR);
	else
		gtk_style_context_remove_class (style, GTK_STYLE_CLASS_ERROR);
}

static void
cal_config_hubspot_show_checked_status (ECalConfigHubSpot *self)
{
	ESourceHubSpot *extension = e_source_get_extension (self->scratch_source, E_SOURCE_EXTENSION_HUBSPOT);
	g_autofree gchar *owner_id = e_source_hubspot_dup_owner_id (extension);
	g_autofree gchar *user_id = e_source_hubspot_dup_user_id (extension);
	g_autofree gchar *text = NULL;

	if (self->checked_here)
		/* Translators: the ids HubSpot gave for the e-mail address */
		text = g_strdup_printf (_("HubSpot accepted the key and the e-mail address: owner %s, user %s."),
			owner_id ? owner_id : "?", user_id ? user_id : "?");
	else
		/* Translators: the ids HubSpot gave for the e-mail address */
		text = g_strdup_printf (_("HubSpot accepted the key and the e-mail address when the calendar was added: owner %s, user %s."),
			owner_id ? owner_id : "?", user_id ? user_id : "?");
	cal_config_hubspot_set_status (self, FALSE, text);
}

/* ------------------------------------------------------------------ */
/* The check: the owner lookup and the account details, in a thread.  */

typedef struct {
	gchar *api_url;
	gchar *email;
	gchar *token;		/* empty: the one in the keyring */
	ESource *keyring_source;

	gchar *owner_id;
	gchar *user_id;
	gchar *portal_id;
	gchar *ui_domain;
	gboolean no_account_details;
} CheckData;

static void
check_data_free (gpointer ptr)
{
	CheckData *data = ptr;

	g_free (data->api_url);
	g_free (data->email);
	wipe_string (&data->token);
	g_clear_object (&data->keyring_source);
	g_free (data->owner_id);
	g_free (data->user_id);
	g_free (data->portal_id);
	g_free (data->ui_domain);
	g_free (data);
}

static void
cal_config_hubspot_check_thread (GTask *task,
				 gpointer source_object,
				 gpointer task_data,
				 GCancellable *cancellable)
{
	CheckData *data = task_data;
	g_autoptr(EHubSpotConnection) cnc = NULL;
	g_autoptr(EHubSpotCredential) credential = NULL;
	g_autofree gchar *stored_token = NULL;
	GError *error = NULL;

	if (!*data->token) {
		if (!data->keyring_source ||
		    !e_source_lookup_password_sync (data->keyring_source, cancellable, &stored_token, &error) ||
		    !stored_token || !*stored_token) {
			if (!error)
				error = g_error_new_literal (E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS,
					_("No service key or private-app token is stored for this calendar: enter it."));
			g_task_return_error (task, error);
			return;
		}
	}

	/* A connection of the dialog's own, for this check. */
	cnc = e_hubspot_connection_new (data->api_url, 1, &error);
	if (!cnc) {
		g_task_return_error (task, error);
		return;
	}
	credential = e_hubspot_credential_new ();
	e_hubspot_credential_set_token (credential, stored_token ? stored_token : data->token);
	wipe_string (&stored_token);

	if (!e_hubspot_connection_lookup_owner_sync (cnc, credential, data->email, &data->owner_id, &data->user_id,
						     cancellable, &error)) {
		g_task_return_error (task, error);
		return;
	}

	if (!e_hubspot_connection_get_account_info_sync (cnc, credential, &data->portal_id, &data->ui_domain,
							 cancellable, &error)) {
		/* Only the links to a meeting's page need them, as in the tool. */
		if (!g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN)) {
			g_task_return_error (task, error);
			return;
		}
		data->no_account_details = TRUE;
		g_clear_error (&error);
	}

	g_task_return_boolean (task, TRUE);
}

/* HubSpot's refusal in words a person can act on, with HubSpot's own
 * message (and correlation id) below. */
static gchar *
cal_config_hubspot_describe_error (const GError *error,
				   const gchar *api_url)
{
	const gchar *correlation_id = e_hubspot_error_get_correlation_id (error);
	g_autofree gchar *details = NULL;
	g_autofree gchar *headline = NULL;

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_UNAUTHORIZED))
		headline = g_strdup (_("HubSpot rejected the key: check that it is a valid service key or private-app token."));
	else if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_FORBIDDEN))
		headline = g_strdup (_("The service key or private-app token lacks a scope this calendar needs: crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read."));
	else if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND))
		headline = g_strdup (_("Use the e-mail address of your HubSpot user."));
	else if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_INVALID_SETTINGS))
		return g_strdup (error->message);
	else if (error->domain == E_HUBSPOT_ERROR)
		headline = g_strdup (_("HubSpot could not check the key."));
	else
		/* Translators: %s is the API address, e.g. https://api.hubapi.com */
		headline = g_strdup_printf (_("Cannot reach HubSpot at %s."), api_url);

	if (correlation_id)
		/* Translators: the first %s is HubSpot's message, the second its id of the error */
		details = g_strdup_printf (_("%s (correlation id %s)"), error->message, correlation_id);
	else
		details = g_strdup (error->message);

	if (g_error_matches (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_NOT_FOUND))
		return g_strdup_printf ("%s\n%s", details, headline);

	return g_strdup_printf ("%s\n%s", headline, details);
}

static void
cal_config_hubspot_check_done_cb (GObject *source_object,
				  GAsyncResult *result,
				  gpointer user_data)
{
	ECalConfigHubSpot *self = E_CAL_CONFIG_HUBSPOT (source_object);
	ESourceConfig *config = e_source_config_backend_get_config (E_SOURCE_CONFIG_BACKEND (self));
	CheckData *data = g_task_get_task_data (G_TASK (result));
	g_autoptr(GError) error = NULL;
	ESourceHubSpot *extension;

	/* Cancelled: the fields changed or the dialog closed. */
	if (!g_task_propagate_boolean (G_TASK (result), &error) &&
	    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;

	g_clear_object (&self->cancellable);
	gtk_spinner_stop (GTK_SPINNER (self->spinner));
	gtk_widget_hide (self->spinner);

	if (!config)
		return;

	if (error) {
		g_autofree gchar *text = cal_config_hubspot_describe_error (error, data->api_url);

		cal_config_hubspot_set_status (self, TRUE, text);
		e_source_config_check_complete (config);
		return;
	}

	extension = e_source_get_extension (self->scratch_source, E_SOURCE_EXTENSION_HUBSPOT);
	e_source_hubspot_set_owner_id (extension, data->owner_id);
	e_source_hubspot_set_user_id (extension, data->user_id);
	if (!data->no_account_details) {
		e_source_hubspot_set_portal_id (extension, data->portal_id);
		e_source_hubspot_set_ui_domain (extension, data->ui_domain);
	}

	cal_config_hubspot_set_checked (self, data->api_url, data->email, data->token);
	self->checked_here = TRUE;
	cal_config_hubspot_show_checked_status (self);

	if (data->no_account_details) {
		g_autofree gchar *text = g_strconcat (gtk_label_get_text (GTK_LABEL (self->status_label)), "\n",
			_("The key cannot read the account details (scope “oauth”): meeting links will come from HubSpot’s answers only."), NULL);

		cal_config_hubspot_set_status (self, FALSE, text);
	}

	e_source_config_check_complete (config);
}

static void
cal_config_hubspot_check_clicked_cb (ECalConfigHubSpot *self)
{
	ESourceConfig *config = e_source_config_backend_get_config (E_SOURCE_CONFIG_BACKEND (self));
	g_autoptr(GTask) task = NULL;
	CheckData *data;

	if (self->cancellable)
		g_cancellable_cancel (self->cancellable);
	g_clear_object (&self->cancellable);
	self->cancellable = g_cancellable_new ();

	data = g_new0 (CheckData, 1);
	data->api_url = cal_config_hubspot_dup_api_url (self);
	data->email = entry_dup_stripped (self->email_entry);
	data->token = entry_dup_stripped (self->token_entry);
	if (config && e_source_config_get_original_source (config))
		data->keyring_source = g_object_ref (e_source_config_get_original_source (config));

	gtk_widget_show (self->spinner);
	gtk_spinner_start (GTK_SPINNER (self->spinner));
	gtk_widget_set_sensitive (self->check_button, FALSE);
	cal_config_hubspot_set_status (self, FALSE, _("Asking HubSpot…"));

	task = g_task_new (self, self->cancellable, cal_config_hubspot_check_done_cb, NULL);
	g_task_set_source_tag (task, cal_config_hubspot_check_clicked_cb);
	g_task_set_task_data (task, data, check_data_free);
	g_task_run_in_thread (task, cal_config_hubspot_check_thread);
}

static void
cal_config_hubspot_cancel_check (ECalConfigHubSpot *self)
{
	if (!self->cancellable)
		return;

	g_cancellable_cancel (self->cancellable);
	g_clear_object (&self->cancellable);
	gtk_spinner_stop (GTK_SPINNER (self->spinner));
	gtk_widget_hide (self->spinner);
}

static void
cal_config_hubspot_credentials_changed_cb (ECalConfigHubSpot *self)
{
	ESourceConfig *config = e_source_config_backend_get_config (E_SOURCE_CONFIG_BACKEND (self));

	/* An answer about other values would mislead: drop it. */
	cal_config_hubspot_cancel_check (self);

	if (cal_config_hubspot_fields_checked (self))
		cal_config_hubspot_show_checked_status (self);
	else
		cal_config_hubspot_set_status (self, FALSE,
			_("Press “Check” to verify the key and the e-mail address with HubSpot."));

	if (config)
		e_source_config_check_complete (config);
}

static void
cal_config_hubspot_config_destroyed_cb (ECalConfigHubSpot *self)
{
	cal_config_hubspot_cancel_check (self);
}

/* ------------------------------------------------------------------ */
/* The token goes to the keyring once the calendar exists.            */

typedef struct {
	ESourceRegistry *registry;
	gchar *uid;
	gchar *token;
	gulong added_handler_id;
	guint timeout_id;
} TokenStore;

static void
token_store_free (TokenStore *store)
{
	if (store->added_handler_id)
		g_signal_handler_disconnect (store->registry, store->added_handler_id);
	if (store->timeout_id)
		g_source_remove (store->timeout_id);
	g_clear_object (&store->registry);
	g_free (store->uid);
	wipe_string (&store->token);
	g_free (store);
}

static void
token_store_done_cb (GObject *source_object,
		     GAsyncResult *result,
		     gpointer user_data)
{
	ESource *source = E_SOURCE (source_object);
	TokenStore *store = user_data;
	g_autoptr(GError) error = NULL;

	if (e_source_store_password_finish (source, result, &error)) {
		ENamedParameters *credentials = e_named_parameters_new ();

		/* A backend that already runs for this calendar gets it now. */
		e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_PASSWORD, store->token);
		e_source_invoke_authenticate (source, credentials, NULL, NULL, NULL);
		e_named_parameters_free (credentials);
	} else {
		/* No keyring: the calendar asks for the token when it opens. */
		g_warning ("%s: %s", _("The HubSpot service key or private-app token could not be stored in the keyring"),
			error ? error->message : _("Unknown error"));
	}

	token_store_free (store);
}

static void
token_store_save (TokenStore *store,
		  ESource *source)
{
	e_source_store_password (source, store->token, TRUE, NULL, token_store_done_cb, store);
}

static void
token_store_source_added_cb (ESourceRegistry *registry,
			     ESource *source,
			     gpointer user_data)
{
	TokenStore *store = user_data;

	if (g_strcmp0 (e_source_get_uid (source), store->uid) != 0)
		return;

	g_signal_handler_disconnect (registry, store->added_handler_id);
	store->added_handler_id = 0;
	g_source_remove (store->timeout_id);
	store->timeout_id = 0;

	token_store_save (store, source);
}

static gboolean
token_store_timeout_cb (gpointer user_data)
{
	TokenStore *store = user_data;

	/* The calendar never appeared: its commit failed. */
	store->timeout_id = 0;
	token_store_free (store);

	return G_SOURCE_REMOVE;
}

static void
cal_config_hubspot_store_token (ESourceRegistry *registry,
				const gchar *uid,
				const gchar *token)
{
	g_autoptr(ESource) existing = e_source_registry_ref_source (registry, uid);
	TokenStore *store = g_new0 (TokenStore, 1);

	store->registry = g_object_ref (registry);
	store->uid = g_strdup (uid);
	store->token = g_strdup (token);

	if (existing) {
		token_store_save (store, existing);
		return;
	}

	/* A new calendar: the registry adds it after commit_changes(). */
	store->added_handler_id = g_signal_connect (registry, "source-added",
		G_CALLBACK (token_store_source_added_cb), store);
	store->timeout_id = g_timeout_add_seconds (TOKEN_STORE_TIMEOUT_SECONDS, token_store_timeout_cb, store);
}

/* ------------------------------------------------------------------ */
/* The page.                                                          */

static GtkEntryCompletion *
cal_config_hubspot_new_timezone_completion (void)
{
	ICalArray *zones = i_cal_timezone_get_builtin_timezones ();
	g_autoptr(GtkListStore) store = gtk_list_store_new (1, G_TYPE_STRING);
	GtkEntryCompletion *completion;
	gint ii, n_zones = zones ? i_cal_array_size (zones) : 0;

	for (ii = 0; ii < n_zones; ii++) {
		ICalTimezone *zone = i_cal_timezone_array_element_at (zones, ii);
		const gchar *location = zone ? i_cal_timezone_get_location (zone) : NULL;

		if (location && *location)
			gtk_list_store_insert_with_values (store, NULL, -1, 0, location, -1);
		g_clear_object (&zone);
	}
	gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (store), 0, GTK_SORT_ASCENDING);

	completion = gtk_entry_completion_new ();
	gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
	gtk_entry_completion_set_text_column (completion, 0);
	gtk_entry_completion_set_inline_completion (completion, TRUE);

	return completion;
}

static void
set_accessible_name (GtkWidget *widget,
		     const gchar *name)
{
	/* The captions ESourceConfig adds are not linked to the widgets:
	 * screen readers (and the UI test) find them by this name. */
	atk_object_set_name (gtk_widget_get_accessible (widget), name);
}

static GtkWidget *
add_entry (ESourceConfig *config,
	   ESource *scratch_source,
	   const gchar *caption,
	   const gchar *accessible_name,
	   const gchar *placeholder)
{
	GtkWidget *entry = gtk_entry_new ();

	gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
	gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
	set_accessible_name (entry, accessible_name);
	e_source_config_insert_widget (config, scratch_source, caption, entry);
	gtk_widget_show (entry);

	return entry;
}

static void
grid_attach_row (GtkGrid *grid,
		 gint row,
		 const gchar *caption,
		 const gchar *accessible_name,
		 GtkWidget *widget)
{
	if (accessible_name)
		set_accessible_name (widget, accessible_name);

	if (caption) {
		GtkWidget *label = gtk_label_new_with_mnemonic (caption);

		gtk_label_set_xalign (GTK_LABEL (label), 1);
		gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
		gtk_grid_attach (grid, label, 0, row, 1, 1);
		gtk_grid_attach (grid, widget, 1, row, 1, 1);
	} else {
		gtk_grid_attach (grid, widget, 0, row, 2, 1);
	}
	gtk_widget_set_hexpand (widget, TRUE);
}

/* A spin button for an unsigned ESourceHubSpot setting, whose range is the
 * property's own: the dialog cannot store what the backend would refuse
 * (docs/design.md, "Settings and secrets"). */
static GtkWidget *
grid_attach_uint (GtkGrid *grid,
		  gint row,
		  ESourceHubSpot *extension,
		  const gchar *property,
		  const gchar *caption,
		  const gchar *accessible_name,
		  const gchar *tooltip)
{
	GParamSpecUInt *spec = G_PARAM_SPEC_UINT (g_object_class_find_property (G_OBJECT_GET_CLASS (extension), property));
	GtkWidget *widget;

	widget = gtk_spin_button_new_with_range (spec->minimum, spec->maximum, 1);
	gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (widget), TRUE);
	gtk_widget_set_tooltip_text (widget, tooltip);
	grid_attach_row (grid, row, caption, accessible_name, widget);
	gtk_widget_set_hexpand (widget, FALSE);
	gtk_widget_set_halign (widget, GTK_ALIGN_START);
	e_binding_bind_property (extension, property, widget, "value",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

	return widget;
}

static GtkWidget *
grid_attach_check (GtkGrid *grid,
		   gint row,
		   ESourceHubSpot *extension,
		   const gchar *property,
		   const gchar *caption,
		   const gchar *tooltip)
{
	GtkWidget *widget = gtk_check_button_new_with_mnemonic (caption);

	if (tooltip)
		gtk_widget_set_tooltip_text (widget, tooltip);
	grid_attach_row (grid, row, NULL, NULL, widget);
	e_binding_bind_property (extension, property, widget, "active",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

	return widget;
}

/* The API URL and the policy settings: rarely changed, under an expander. */
static GtkWidget *
cal_config_hubspot_new_advanced (ECalConfigHubSpot *self,
				 ESourceHubSpot *extension)
{
	GtkWidget *expander, *grid, *widget;
	gint row = 0;

	expander = gtk_expander_new_with_mnemonic (_("_Advanced settings"));
	grid = gtk_grid_new ();
	gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
	gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
	gtk_widget_set_margin_top (grid, 6);
	gtk_widget_set_margin_start (grid, 12);
	gtk_container_add (GTK_CONTAINER (expander), grid);

	widget = gtk_entry_new ();
	gtk_entry_set_placeholder_text (GTK_ENTRY (widget), E_HUBSPOT_DEFAULT_API_URL);
	gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_URL);
	grid_attach_row (GTK_GRID (grid), row++, _("A_PI URL:"), _("HubSpot API URL"), widget);
	e_binding_bind_object_text_property (extension, "api-url", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
	self->api_url_entry = g_object_ref (widget);

	widget = gtk_entry_new ();
	gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("None"));
	gtk_widget_set_tooltip_text (widget, _("The HubSpot activity type of every meeting, one of your account’s meeting types"));
	grid_attach_row (GTK_GRID (grid), row++, _("Activity t_ype:"), _("Activity type"), widget);
	e_binding_bind_object_text_property (extension, "activity-type", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

	/* "Sign in with HubSpot": another app, or another HubSpot (the mock). */
	widget = gtk_entry_new ();
	gtk_entry_set_placeholder_text (GTK_ENTRY (widget), E_HUBSPOT_DEFAULT_AUTH_URL);
	gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_URL);
	gtk_widget_set_tooltip_text (widget, _("Where HubSpot’s sign-in page is, for a calendar that signs in"));
	grid_attach_row (GTK_GRID (grid), row++, _("_Sign-in URL:"), _("HubSpot sign-in URL"), widget);
	e_binding_bind_object_text_property (extension, "auth-url", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
	self->auth_url_entry = g_object_ref (widget);

	widget = gtk_entry_new ();
	gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("This program’s own"));
	gtk_widget_set_tooltip_text (widget, _("The client id of the HubSpot app a calendar signs in with; its secret, if any, goes to the keyring"));
	grid_attach_row (GTK_GRID (grid), row++, _("App _client id:"), _("HubSpot app client id"), widget);
	e_binding_bind_object_text_property (extension, "o-auth-client-id", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

	widget = gtk_entry_new ();
	gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("This program’s own"));
	gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_URL);
	gtk_widget_set_tooltip_text (widget, _("The redirect URI registered for that app"));
	grid_attach_row (GTK_GRID (grid), row++, _("App redirect _URI:"), _("HubSpot app redirect URI"), widget);
	e_binding_bind_object_text_property (extension, "o-auth-redirect-uri", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

	grid_attach_check (GTK_GRID (grid), row++, extension, "include-invite-description",
		_("_Include the event’s description in e-mail reminders"), NULL);
	grid_attach_check (GTK_GRID (grid), row++, extension, "map-all-alarms",
		_("Send an e-mail reminder for _every alarm, not only e-mail alarms"), NULL);
	grid_attach_check (GTK_GRID (grid), row++, extension, "create-contacts",
		_("Attendees who are not HubSpot contacts yet become _contacts"),
		_("Their first and last name come from the name the invitation gives them"));
	grid_attach_check (GTK_GRID (grid), row++, extension, "associate-companies",
		_("Associate the attendees’ c_ompanies with the meeting"), NULL);
	grid_attach_check (GTK_GRID (grid), row++, extension, "archive-on-remove",
		_("A removed event _archives its meeting instead of cancelling it"), NULL);

	grid_attach_uint (GTK_GRID (grid), row++, extension, "max-in-flight",
		_("_Requests at once:"), _("Requests at once"),
		_("How many requests are sent to HubSpot at the same time"));
	grid_attach_uint (GTK_GRID (grid), row++, extension, "recurrence-horizon",
		_("Recurring events, days a_head:"), _("Days ahead for recurring events"),
		_("The occurrences of a recurring event within this many days become meetings"));
	grid_attach_uint (GTK_GRID (grid), row++, extension, "max-occurrences",
		_("Meetings per recurring _event:"), _("Meetings per recurring event"),
		_("At most this many meetings for one recurring event"));
	grid_attach_uint (GTK_GRID (grid), row++, extension, "sync-past-days",
		_("HubSpot meetings, days _back:"), _("Days back of HubSpot meetings"),
		_("How many days back the meetings booked in HubSpot are shown"));
	grid_attach_uint (GTK_GRID (grid), row++, extension, "lookup-delay",
		_("Search _delay (seconds):"), _("Search delay in seconds"),
		_("How long HubSpot’s search may lag behind: the wait before looking up a meeting whose creation is uncertain"));

	gtk_widget_show_all (expander);

	return expander;
}

/* ------------------------------------------------------------------ */
/* Signing in: EDS's OAuth 2 window does it when the backend asks for  */
/* credentials (docs/design.md, "Signing in from the tool and from     */
/* Evolution").                                                        */

static gchar *
cal_config_hubspot_describe_sign_in (ESourceHubSpot *extension)
{
	g_autofree gchar *email = e_source_hubspot_dup_email (extension);
	g_autofree gchar *portal_id = e_source_hubspot_dup_portal_id (extension);

	if (portal_id && *portal_id)
		/* Translators: the first %s is an e-mail address, the second a HubSpot account (portal) id */
		return g_strdup_printf (_("Signed in to HubSpot as %s, account %s."), email ? email : "?", portal_id);

	/* Translators: %s is an e-mail address */
	return g_strdup_printf (_("Signed in to HubSpot as %s."), email ? email : "?");
}

static void
cal_config_hubspot_show_access (ECalConfigHubSpot *self)
{
	gboolean signs_in = cal_config_hubspot_signs_in (self);

	gtk_widget_set_visible (self->sign_in_box, signs_in);
	gtk_widget_set_visible (self->token_entry, !signs_in);
	gtk_widget_set_visible (self->key_box, !signs_in);
}

static void
cal_config_hubspot_access_toggled_cb (ECalConfigHubSpot *self)
{
	cal_config_hubspot_show_access (self);
	cal_config_hubspot_credentials_changed_cb (self);
}

static void
cal_config_hubspot_forget_sign_in_thread (GTask *task,
					  gpointer source_object,
					  gpointer task_data,
					  GCancellable *cancellable)
{
	ESource *source = task_data;
	ESourceRegistry *registry = source_object;
	g_autoptr(EOAuth2Service) service = NULL;
	GError *error = NULL;

	service = e_oauth2_services_find (e_source_registry_get_oauth2_services (registry), source);
	if (!service) {
		g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
			_("Signing in with HubSpot is not available: the HubSpot module is not loaded."));
		return;
	}

	/* None stored is as good as forgotten. */
	if (!e_oauth2_service_delete_token_sync (service, source, cancellable, &error) &&
	    !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
		g_task_return_error (task, error);
		return;
	}
	g_clear_error (&error);

	g_task_return_boolean (task, TRUE);
}

static void
cal_config_hubspot_forget_sign_in_done_cb (GObject *source_object,
					   GAsyncResult *result,
					   gpointer user_data)
{
	ECalConfigHubSpot *self = user_data;	/* a reference of ours */
	ESource *source = g_task_get_task_data (G_TASK (result));
	g_autoptr(GError) error = NULL;
	EShell *shell = e_shell_get_default ();

	if (!g_task_propagate_boolean (G_TASK (result), &error)) {
		if (self->signed_in_label) {
			g_autofree gchar *text = g_strdup_printf ("%s: %s",
				_("The sign-in could not be forgotten"), error->message);

			gtk_label_set_text (GTK_LABEL (self->signed_in_label), text);
			gtk_widget_set_sensitive (self->sign_in_again_button, TRUE);
		}
	} else {
		if (self->signed_in_label)
			gtk_label_set_text (GTK_LABEL (self->signed_in_label),
				_("Sign in to HubSpot in the window that opens; the calendar connects again then."));

		/* EDS's OAuth 2 window, as when the backend asks for
		 * credentials; the prompter hands the new token to the
		 * calendar itself. */
		if (shell)
			e_credentials_prompter_prompt (e_shell_get_credentials_prompter (shell), source, NULL,
				E_CREDENTIALS_PROMPTER_PROMPT_FLAG_ALLOW_SOURCE_SAVE, NULL, NULL);
	}

	g_object_unref (self);
}

static void
cal_config_hubspot_sign_in_again_cb (ECalConfigHubSpot *self)
{
	ESourceConfig *config = e_source_config_backend_get_config (E_SOURCE_CONFIG_BACKEND (self));
	ESource *original = config ? e_source_config_get_original_source (config) : NULL;
	g_autoptr(GTask) task = NULL;

	if (!original)
		return;

	gtk_widget_set_sensitive (self->sign_in_again_button, FALSE);
	task = g_task_new (e_source_config_get_registry (config), NULL,
		cal_config_hubspot_forget_sign_in_done_cb, g_object_ref (self));
	g_task_set_source_tag (task, cal_config_hubspot_sign_in_again_cb);
	g_task_set_task_data (task, g_object_ref (original), g_object_unref);
	g_task_run_in_thread (task, cal_config_hubspot_forget_sign_in_thread);
}

static GtkWidget *
cal_config_hubspot_new_sign_in_box (ECalConfigHubSpot *self,
				    ESourceHubSpot *extension)
{
	GtkWidget *box, *widget;

	box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

	if (self->was_signed_in) {
		g_autofree gchar *text = cal_config_hubspot_describe_sign_in (extension);
		GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

		widget = gtk_button_new_with_mnemonic (_("Sign in _again"));
		gtk_widget_set_valign (widget, GTK_ALIGN_START);
		gtk_widget_set_tooltip_text (widget, _("Forget the sign-in kept in the keyring and sign in to HubSpot again"));
		g_signal_connect_object (widget, "clicked", G_CALLBACK (cal_config_hubspot_sign_in_again_cb), self, G_CONNECT_SWAPPED);
		gtk_box_pack_start (GTK_BOX (row), widget, FALSE, FALSE, 0);
		self->sign_in_again_button = g_object_ref (widget);

		widget = gtk_label_new (text);
		gtk_label_set_line_wrap (GTK_LABEL (widget), TRUE);
		gtk_label_set_max_width_chars (GTK_LABEL (widget), 60);
		gtk_label_set_selectable (GTK_LABEL (widget), TRUE);
		gtk_label_set_xalign (GTK_LABEL (widget), 0);
		gtk_widget_set_can_focus (widget, FALSE);
		atk_object_set_description (gtk_widget_get_accessible (widget), _("Who is signed in to HubSpot"));
		gtk_box_pack_start (GTK_BOX (row), widget, TRUE, TRUE, 0);
		self->signed_in_label = g_object_ref (widget);

		gtk_box_pack_start (GTK_BOX (box), row, FALSE, FALSE, 0);
	} else {
		widget = gtk_label_new (_("When the calendar first connects, HubSpot’s sign-in page opens in a window: sign in there with your HubSpot user and allow access. The sign-in is kept in your keyring, never in the calendar’s settings."));
		gtk_label_set_line_wrap (GTK_LABEL (widget), TRUE);
		gtk_label_set_max_width_chars (GTK_LABEL (widget), 60);
		gtk_label_set_xalign (GTK_LABEL (widget), 0);
		gtk_style_context_add_class (gtk_widget_get_style_context (widget), GTK_STYLE_CLASS_DIM_LABEL);
		gtk_box_pack_start (GTK_BOX (box), widget, FALSE, FALSE, 0);
	}

	gtk_widget_show_all (box);

	return box;
}

static gboolean
cal_config_hubspot_allow_creation (ESourceConfigBackend *backend)
{
	ESourceConfig *config = e_source_config_backend_get_config (backend);

	/* HubSpot meetings are events: no task or memo lists. */
	return E_IS_CAL_SOURCE_CONFIG (config) &&
		e_cal_source_config_get_source_type (E_CAL_SOURCE_CONFIG (config)) == E_CAL_CLIENT_SOURCE_TYPE_EVENTS;
}

static void
cal_config_hubspot_insert_widgets (ESourceConfigBackend *backend,
				   ESource *scratch_source)
{
	ECalConfigHubSpot *self = E_CAL_CONFIG_HUBSPOT (backend);
	ESourceConfig *config = e_source_config_backend_get_config (backend);
	ESourceHubSpot *extension;
	GtkWidget *widget, *box;
	GtkEntryCompletion *completion;
	g_autofree gchar *owner_id = NULL;
	g_autofree gchar *user_id = NULL;
	gboolean editing;

	if (!scratch_source || self->scratch_source)
		return;

	self->scratch_source = g_object_ref (scratch_source);
	extension = e_source_get_extension (scratch_source, E_SOURCE_EXTENSION_HUBSPOT);
	editing = e_source_config_get_original_source (config) != NULL;

	widget = add_entry (config, scratch_source, _("E-mail:"), _("HubSpot e-mail address"),
		_("you@company.com"));
	gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_EMAIL);
	e_binding_bind_object_text_property (extension, "email", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
	self->email_entry = g_object_ref (widget);

	/* How the calendar reaches HubSpot: a sign-in (OAuth 2, the default
	 * for people) or a key (for admins and scripts). */
	self->was_signed_in = editing && source_signs_in (e_source_config_get_original_source (config));
	box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
	widget = gtk_radio_button_new_with_mnemonic (NULL, _("_Sign in with HubSpot"));
	gtk_widget_set_tooltip_text (widget, _("Sign in to HubSpot in a window that opens when the calendar connects"));
	gtk_box_pack_start (GTK_BOX (box), widget, FALSE, FALSE, 0);
	self->sign_in_radio = g_object_ref (widget);
	widget = gtk_radio_button_new_with_mnemonic_from_widget (GTK_RADIO_BUTTON (widget),
		_("Service _key or private-app token"));
	gtk_widget_set_tooltip_text (widget, _("A key an admin of the HubSpot account made for this calendar"));
	gtk_box_pack_start (GTK_BOX (box), widget, FALSE, FALSE, 0);
	self->key_radio = g_object_ref (widget);
	gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editing && !self->was_signed_in ? self->key_radio : self->sign_in_radio), TRUE);
	gtk_widget_show_all (box);
	e_source_config_insert_widget (config, scratch_source, _("Access:"), box);

	self->sign_in_box = g_object_ref (cal_config_hubspot_new_sign_in_box (self, extension));
	e_source_config_insert_widget (config, scratch_source, NULL, self->sign_in_box);

	widget = add_entry (config, scratch_source, _("Key:"), _("HubSpot service key or private-app token"),
		self->was_signed_in || !editing ? _("HubSpot service key or private-app token") :
			_("Kept in the keyring; type a new key to replace it"));
	gtk_entry_set_visibility (GTK_ENTRY (widget), FALSE);
	gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_PASSWORD);
	self->token_entry = g_object_ref (widget);

	self->key_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
	widget = gtk_label_new (_("A service key (or a private-app token) with the scopes crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read. It is kept in your keyring, never in the calendar’s settings."));
	gtk_label_set_line_wrap (GTK_LABEL (widget), TRUE);
	gtk_label_set_max_width_chars (GTK_LABEL (widget), 60);
	gtk_label_set_xalign (GTK_LABEL (widget), 0);
	gtk_style_context_add_class (gtk_widget_get_style_context (widget), GTK_STYLE_CLASS_DIM_LABEL);
	gtk_box_pack_start (GTK_BOX (self->key_box), widget, FALSE, FALSE, 0);
	gtk_widget_show (widget);
	g_object_ref (self->key_box);
	e_source_config_insert_widget (config, scratch_source, NULL, self->key_box);

	box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
	widget = gtk_button_new_with_mnemonic (_("_Check"));
	gtk_widget_set_valign (widget, GTK_ALIGN_START);
	gtk_widget_set_tooltip_text (widget, _("Ask HubSpot whether the key is valid and the e-mail address is a HubSpot user"));
	gtk_box_pack_start (GTK_BOX (box), widget, FALSE, FALSE, 0);
	g_signal_connect_object (widget, "clicked", G_CALLBACK (cal_config_hubspot_check_clicked_cb), self, G_CONNECT_SWAPPED);
	self->check_button = g_object_ref (widget);

	widget = gtk_spinner_new ();
	gtk_widget_set_valign (widget, GTK_ALIGN_START);
	gtk_widget_set_no_show_all (widget, TRUE);
	gtk_box_pack_start (GTK_BOX (box), widget, FALSE, FALSE, 0);
	self->spinner = g_object_ref (widget);

	widget = gtk_label_new (NULL);
	gtk_label_set_line_wrap (GTK_LABEL (widget), TRUE);
	gtk_label_set_max_width_chars (GTK_LABEL (widget), 60);
	gtk_label_set_selectable (GTK_LABEL (widget), TRUE);
	gtk_label_set_xalign (GTK_LABEL (widget), 0);
	gtk_widget_set_can_focus (widget, FALSE);
	atk_object_set_description (gtk_widget_get_accessible (widget), _("Result of the HubSpot check"));
	gtk_box_pack_start (GTK_BOX (box), widget, TRUE, TRUE, 0);
	self->status_label = g_object_ref (widget);

	gtk_widget_show_all (box);
	gtk_widget_hide (self->spinner);
	gtk_box_pack_start (GTK_BOX (self->key_box), box, FALSE, FALSE, 0);

	/* The first screen: the access, the e-mail address and the time zone;
	 * the rest under "Advanced settings" (docs/clients.md). */
	widget = gtk_entry_new ();
	gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("The system’s time zone"));
	gtk_widget_set_tooltip_text (widget, _("For all-day events and events without a time zone, e.g. Europe/Paris"));
	completion = cal_config_hubspot_new_timezone_completion ();
	gtk_entry_set_completion (GTK_ENTRY (widget), completion);
	g_object_unref (completion);
	set_accessible_name (widget, _("Time zone"));
	e_source_config_insert_widget (config, scratch_source, _("Time zone:"), widget);
	gtk_widget_show (widget);
	e_binding_bind_object_text_property (extension, "timezone", widget, "text",
		G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
	self->timezone_entry = g_object_ref (widget);

	widget = cal_config_hubspot_new_advanced (self, extension);
	e_source_config_insert_widget (config, scratch_source, NULL, widget);

	/* An existing calendar passed the check when it was set up (with its
	 * key; a signed-in one has no key to check). */
	owner_id = e_source_hubspot_dup_owner_id (extension);
	user_id = e_source_hubspot_dup_user_id (extension);
	if (editing && !self->was_signed_in && owner_id && user_id) {
		g_autofree gchar *api_url = cal_config_hubspot_dup_api_url (self);
		g_autofree gchar *email = entry_dup_stripped (self->email_entry);

		cal_config_hubspot_set_checked (self, api_url, email, "");
	}

	/* Connected after the bindings filled the entries. */
	g_signal_connect_object (self->email_entry, "changed",
		G_CALLBACK (cal_config_hubspot_credentials_changed_cb), self, G_CONNECT_SWAPPED);
	g_signal_connect_object (self->token_entry, "changed",
		G_CALLBACK (cal_config_hubspot_credentials_changed_cb), self, G_CONNECT_SWAPPED);
	g_signal_connect_object (self->api_url_entry, "changed",
		G_CALLBACK (cal_config_hubspot_credentials_changed_cb), self, G_CONNECT_SWAPPED);
	g_signal_connect_object (self->timezone_entry, "changed",
		G_CALLBACK (e_source_config_check_complete), config, G_CONNECT_SWAPPED);
	g_signal_connect_object (self->auth_url_entry, "changed",
		G_CALLBACK (e_source_config_check_complete), config, G_CONNECT_SWAPPED);
	g_signal_connect_object (self->sign_in_radio, "toggled",
		G_CALLBACK (cal_config_hubspot_access_toggled_cb), self, G_CONNECT_SWAPPED);
	cal_config_hubspot_show_access (self);
	g_signal_connect_object (config, "destroy",
		G_CALLBACK (cal_config_hubspot_config_destroyed_cb), self, G_CONNECT_SWAPPED);

	if (cal_config_hubspot_fields_checked (self))
		cal_config_hubspot_show_checked_status (self);
	else
		cal_config_hubspot_set_status (self, FALSE,
			_("Press “Check” to verify the key and the e-mail address with HubSpot."));
}

static gboolean
cal_config_hubspot_check_complete (ESourceConfigBackend *backend,
				   ESource *scratch_source)
{
	ECalConfigHubSpot *self = E_CAL_CONFIG_HUBSPOT (backend);
	g_autofree gchar *email = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *api_url = NULL;
	g_autofree gchar *timezone = NULL;
	g_autofree gchar *auth_url = NULL;
	g_autoptr(GError) api_url_error = NULL;
	g_autoptr(GError) auth_url_error = NULL;
	gboolean email_ok, token_ok, api_url_ok, auth_url_ok, timezone_ok, signs_in;

	if (!self->email_entry)
		return FALSE;

	signs_in = cal_config_hubspot_signs_in (self);

	email = entry_dup_stripped (self->email_entry);
	token = entry_dup_stripped (self->token_entry);
	api_url = cal_config_hubspot_dup_api_url (self);
	timezone = entry_dup_stripped (self->timezone_entry);

	email_ok = *email && strchr (email, '@');
	/* A key is typed, or kept from when the calendar was added with one. */
	token_ok = signs_in || *token || (cal_config_hubspot_is_editing (self) && !self->was_signed_in);
	api_url_ok = e_source_hubspot_check_api_url (api_url, &api_url_error);
	timezone_ok = !*timezone || e_hubspot_tz_get_builtin_zone (timezone);
	/* The backend's own check: an empty entry means HubSpot's page. */
	auth_url = entry_dup_stripped (self->auth_url_entry);
	auth_url_ok = !*auth_url || e_source_hubspot_check_auth_url (auth_url, &auth_url_error);
	wipe_string (&token);

	e_util_set_entry_issue_hint (self->email_entry,
		email_ok ? NULL : _("Enter the e-mail address of your HubSpot user"));
	e_util_set_entry_issue_hint (self->token_entry,
		token_ok ? NULL : _("Enter your HubSpot service key or private-app token"));
	e_util_set_entry_issue_hint (self->api_url_entry,
		api_url_ok ? NULL : api_url_error->message);
	e_util_set_entry_issue_hint (self->timezone_entry,
		timezone_ok ? NULL : _("Unknown time zone: use a name such as Europe/Paris"));
	e_util_set_entry_issue_hint (self->auth_url_entry,
		auth_url_ok ? NULL : auth_url_error->message);

	gtk_widget_set_sensitive (self->check_button,
		email_ok && token_ok && api_url_ok && !self->cancellable);

	/* A sign-in is checked by HubSpot itself, in EDS's window. */
	return email_ok && token_ok && api_url_ok && auth_url_ok && timezone_ok &&
		(signs_in || cal_config_hubspot_fields_checked (self));
}

static void
cal_config_hubspot_commit_changes (ESourceConfigBackend *backend,
				   ESource *scratch_source)
{
	ECalConfigHubSpot *self = E_CAL_CONFIG_HUBSPOT (backend);
	ESourceConfig *config = e_source_config_backend_get_config (backend);
	ESourceHubSpot *extension = e_source_get_extension (scratch_source, E_SOURCE_EXTENSION_HUBSPOT);
	ESourceAuthentication *auth = e_source_get_extension (scratch_source, E_SOURCE_EXTENSION_AUTHENTICATION);
	g_autofree gchar *email = entry_dup_stripped (self->email_entry);
	g_autofree gchar *token = entry_dup_stripped (self->token_entry);
	g_autofree gchar *api_url = cal_config_hubspot_dup_api_url (self);
	g_autofree gchar *timezone = entry_dup_stripped (self->timezone_entry);
	g_autoptr(GUri) uri = NULL;

	e_source_hubspot_set_email (extension, email);
	e_source_hubspot_set_api_url (extension, api_url);
	e_source_hubspot_set_timezone (extension, *timezone ? e_hubspot_tz_canonical_name (timezone) : NULL);

	/* What the credentials prompt shows, as the tool writes it; EDS keeps
	 * a sign-in's token under this user. */
	uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);
	e_source_authentication_set_host (auth, uri ? g_uri_get_host (uri) : NULL);
	e_source_authentication_set_user (auth, email);

	if (cal_config_hubspot_signs_in (self)) {
		/* EDS's OAuth 2 window appears when the backend asks for the
		 * token: nothing to store here. */
		e_source_authentication_set_method (auth, E_OAUTH2_SERVICE_HUBSPOT_NAME);
	} else {
		/* The key goes as the password, as `add` stores it. */
		e_source_authentication_set_method (auth, NULL);

		/* Never into the .source file: the keyring, once the calendar exists. */
		if (*token)
			cal_config_hubspot_store_token (e_source_config_get_registry (config),
				e_source_get_uid (scratch_source), token);
	}
	wipe_string (&token);
}

static void
cal_config_hubspot_dispose (GObject *object)
{
	ECalConfigHubSpot *self = E_CAL_CONFIG_HUBSPOT (object);

	if (self->cancellable)
		g_cancellable_cancel (self->cancellable);
	g_clear_object (&self->cancellable);
	g_clear_object (&self->scratch_source);
	g_clear_object (&self->email_entry);
	g_clear_object (&self->sign_in_radio);
	g_clear_object (&self->key_radio);
	g_clear_object (&self->sign_in_box);
	g_clear_object (&self->signed_in_label);
	g_clear_object (&self->sign_in_again_button);
	g_clear_object (&self->key_box);
	g_clear_object (&self->token_entry);
	g_clear_object (&self->api_url_entry);
	g_clear_object (&self->auth_url_entry);
	g_clear_object (&self->timezone_entry);
	g_clear_object (&self->check_button);
	g_clear_object (&self->spinner);
	g_clear_object (&self->status_label);

	G_OBJECT_CLASS (e_cal_config_hubspot_parent_class)->dispose (object);
}

static void
cal_config_hubspot_finalize (GObject *object)
{
	ECalConfigHubSpot *self = E_CAL_CONFIG_HUBSPOT (object);

	g_free (self->checked_api_url);
	g_free (self->checked_email);
	wipe_string (&self->checked_token);

	G_OBJECT_CLASS (e_cal_config_hubspot_parent_class)->finalize (object);
}

static void
e_cal_config_hubspot_class_init (ECalConfigHubSpotClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	EExtensionClass *extension_class = E_EXTENSION_CLASS (klass);
	ESourceConfigBackendClass *backend_class = E_SOURCE_CONFIG_BACKEND_CLASS (klass);

	object_class->dispose = cal_config_hubspot_dispose;
	object_class->finalize = cal_config_hubspot_finalize;

	extension_class->extensible_type = E_TYPE_CAL_SOURCE_CONFIG;

	backend_class->backend_name = E_HUBSPOT_BACKEND_NAME;
	backend_class->parent_uid = E_HUBSPOT_PARENT_UID;
	backend_class->allow_creation = cal_config_hubspot_allow_creation;
	backend_class->insert_widgets = cal_config_hubspot_insert_widgets;
	backend_class->check_complete = cal_config_hubspot_check_complete;
	backend_class->commit_changes = cal_config_hubspot_commit_changes;
}

static void
e_cal_config_hubspot_class_finalize (ECalConfigHubSpotClass *klass)
{
}

static void
e_cal_config_hubspot_init (ECalConfigHubSpot *self)
{
}

void
e_cal_config_hubspot_type_register (GTypeModule *type_module)
{
	/* G_DEFINE_DYNAMIC_TYPE's registration function is static. */
	e_cal_config_hubspot_register_type (type_module);
}
