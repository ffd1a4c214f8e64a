/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The write-back half of the mapping (docs/design.md, "Write-back"): reading HubSpot's
 * answer and keeping what it says on the event.  Declared in
 * e-hubspot-mapping.h. */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "e-hubspot-error.h"
#include "e-hubspot-mapping.h"
#include "e-hubspot-mapping-private.h"
#include "e-hubspot-requests.h"

/* HubSpot's answer */

void
e_hubspot_meeting_result_clear (EHubSpotMeetingResult *result)
{
	if (!result)
		return;

	g_clear_pointer (&result->meeting_id, g_free);
	g_clear_pointer (&result->external_url, g_free);
	g_clear_pointer (&result->record_url, g_free);
	g_clear_pointer (&result->last_modified, g_free);
}

gboolean
e_hubspot_mapping_parse_meeting_response (JsonNode *response,
					  const gchar *ui_domain,
					  const gchar *portal_id,
					  EHubSpotMeetingResult *out_result,
					  GError **error)
{
	JsonObject *object = NULL, *properties = NULL;
	JsonNode *node;
	const gchar *last_modified;
	gchar *id;

	g_return_val_if_fail (out_result != NULL, FALSE);

	out_result->meeting_id = NULL;
	out_result->external_url = NULL;
	out_result->record_url = NULL;
	out_result->last_modified = NULL;

	if (response && JSON_NODE_HOLDS_OBJECT (response))
		object = json_node_get_object (response);

	id = object ? e_hubspot_json_dup_id (response, "id") : NULL;
	if (!id) {
		g_set_error_literal (error, E_HUBSPOT_ERROR, E_HUBSPOT_ERROR_BAD_RESPONSE,
			_("HubSpot’s answer does not name the created meeting"));
		return FALSE;
	}

	node = json_object_get_member (object, "properties");
	if (node && JSON_NODE_HOLDS_OBJECT (node))
		properties = json_node_get_object (node);

	out_result->meeting_id = id;
	out_result->external_url = g_strdup (e_hubspot_json_get_text (properties, "hs_meeting_external_url"));

	/* The scheduler says lastUpdatedAt, the CRM updatedAt; both are the
	 * record's hs_lastmodifieddate. */
	last_modified = e_hubspot_json_get_text (object, "lastUpdatedAt");
	if (!last_modified)
		last_modified = e_hubspot_json_get_text (object, "updatedAt");
	if (!last_modified)
		last_modified = e_hubspot_json_get_text (properties, "hs_lastmodifieddate");
	out_result->last_modified = g_strdup (last_modified);

	if (ui_domain && *ui_domain && portal_id && *portal_id) {
		g_autofree gchar *escaped_portal = g_uri_escape_string (portal_id, NULL, TRUE);
		g_autofree gchar *escaped_id = g_uri_escape_string (id, NULL, TRUE);

		out_result->record_url = g_strdup_printf ("https://%s/contacts/%s/record/0-47/%s",
			ui_domain, escaped_portal, escaped_id);
	}

	return TRUE;
}

/* Write-back */

static GSList *
mapping_list_x_properties (ICalComponent *vevent,
			   const gchar *name)
{
	ICalProperty *prop;
	GSList *found = NULL;

	for (prop = i_cal_component_get_first_property (vevent, I_CAL_X_PROPERTY);
	     prop;
	     prop = i_cal_component_get_next_property (vevent, I_CAL_X_PROPERTY)) {
		const gchar *x_name = i_cal_property_get_x_name (prop);

		if (x_name && g_ascii_strcasecmp (x_name, name) == 0)
			found = g_slist_prepend (found, prop);
		else
			g_object_unref (prop);
	}

	return g_slist_reverse (found);
}

gchar *
e_hubspot_mapping_dup_x_property (ICalComponent *vevent,
				  const gchar *name)
{
	GSList *props;
	gchar *value = NULL;

	g_return_val_if_fail (I_CAL_IS_COMPONENT (vevent), NULL);
	g_return_val_if_fail (name != NULL, NULL);

	props = mapping_list_x_properties (vevent, name);
	if (props)
		value = e_hubspot_mapping_dup_value_string (props->data);
	g_slist_free_full (props, g_object_unref);

	return value;
}

void
e_hubspot_mapping_set_x_property (ICalComponent *vevent,
				  const gchar *name,
				  const gchar *value)
{
	GSList *props, *link;

	g_return_if_fail (I_CAL_IS_COMPONENT (vevent));
	g_return_if_fail (name != NULL);

	props = mapping_list_x_properties (vevent, name);

	/* The first one keeps its place, so that setting the same value
	 * again leaves the event exactly as it was. */
	link = props;
	if (value && link) {
		i_cal_property_set_x (link->data, value);
		link = g_slist_next (link);
	} else if (value) {
		ICalProperty *prop = i_cal_property_new_x (value);

		i_cal_property_set_x_name (prop, name);
		i_cal_component_take_property (vevent, prop);
	}

	/* Removed after the walk: removing moves libical's iterator. */
	for (; link; link = g_slist_next (link))
		i_cal_component_remove_property (vevent, link->data);

	g_slist_free_full (props, g_object_unref);
}

void
e_hubspot_mapping_set_sync_state (ICalComponent *vevent,
				  const gchar *state,
				  const gchar *error_message)
{
	g_return_if_fail (I_CAL_IS_COMPONENT (vevent));

	e_hubspot_mapping_set_x_property (vevent, E_HUBSPOT_PROP_SYNC_STATE, state);
	e_hubspot_mapping_set_x_property (vevent, E_HUBSPOT_PROP_ERROR, error_message);
}

/* The X properties the write-back reads and writes, gathered in one walk
 * of the native component (docs/design.md, "Write-back"): walking once
 * per property, with a GObject wrapper for each, was most of its cost. */
typedef enum {
	WB_MEETING_ID,
	WB_MEETING_URL,
	WB_RECORD_URL,
	WB_LAST_MODIFIED,
	WB_SYNC_STATE,
	WB_ERROR,
	N_WB_PROPS
} MappingWbProp;

static const gchar *wb_prop_names[N_WB_PROPS] = {
	E_HUBSPOT_PROP_MEETING_ID,
	E_HUBSPOT_PROP_MEETING_URL,
	E_HUBSPOT_PROP_RECORD_URL,
	E_HUBSPOT_PROP_LAST_MODIFIED,
	E_HUBSPOT_PROP_SYNC_STATE,
	E_HUBSPOT_PROP_ERROR
};

typedef struct {
	icalproperty *first[N_WB_PROPS];	/* each name's first property */
	guint count[N_WB_PROPS];		/* and how many the event has */
} MappingWbProps;

static void
mapping_wb_props_collect (icalcomponent *comp,
			  MappingWbProps *wb)
{
	icalproperty *prop;
	guint ii;

	memset (wb, 0, sizeof (MappingWbProps));

	for (prop = icalcomponent_get_first_property (comp, ICAL_X_PROPERTY);
	     prop;
	     prop = icalcomponent_get_next_property (comp, ICAL_X_PROPERTY)) {
		const gchar *x_name = icalproperty_get_x_name (prop);

		for (ii = 0; x_name && ii < N_WB_PROPS; ii++) {
			if (g_ascii_strcasecmp (x_name, wb_prop_names[ii]) == 0) {
				if (!wb->first[ii])
					wb->first[ii] = prop;
				wb->count[ii]++;
				break;
			}
		}
	}
}

/* As e_hubspot_mapping_set_x_property(), on the gathered properties. */
static void
mapping_wb_props_set (ICalComponent *vevent,
		      MappingWbProps *wb,
		      MappingWbProp which,
		      const gchar *value)
{
	if (value && wb->first[which]) {
		icalproperty_set_x (wb->first[which], value);
	} else if (value) {
		icalproperty *prop = icalproperty_new_x (value);

		icalproperty_set_x_name (prop, wb_prop_names[which]);
		icalcomponent_add_property (E_HUBSPOT_MAPPING_NATIVE (vevent), prop);
		wb->first[which] = prop;
		wb->count[which] = 1;
	}

	/* Removing is rare (a duplicate, an error to drop): libical-glib's
	 * way, so that no wrapper anyone holds is left dangling. */
	if (wb->count[which] > (value ? 1 : 0)) {
		e_hubspot_mapping_set_x_property (vevent, wb_prop_names[which], value);
		wb->first[which] = NULL;
		wb->count[which] = 0;
	}
}

/* The URL is ours to replace when it is empty or one of the links we set
 * earlier; anything else is the user's own. */
static void
mapping_apply_link (ICalComponent *vevent,
		    MappingWbProps *wb,
		    const gchar *link,
		    const gchar *record_url)
{
	icalcomponent *comp = E_HUBSPOT_MAPPING_NATIVE (vevent);
	g_autofree gchar *previous_link = NULL;
	g_autofree gchar *previous_record = NULL;
	g_autofree gchar *url = NULL;
	icalproperty *prop;
	gboolean ours;

	if (wb->first[WB_MEETING_URL])
		previous_link = e_hubspot_mapping_native_dup_text (wb->first[WB_MEETING_URL]);
	if (wb->first[WB_RECORD_URL])
		previous_record = e_hubspot_mapping_native_dup_text (wb->first[WB_RECORD_URL]);

	prop = icalcomponent_get_first_property (comp, ICAL_URL_PROPERTY);
	if (prop)
		url = e_hubspot_mapping_native_dup_text (prop);
	if (url)
		g_strstrip (url);

	ours = !url || !*url ||
		g_strcmp0 (url, link) == 0 ||
		g_strcmp0 (url, previous_link) == 0 ||
		g_strcmp0 (url, previous_record) == 0 ||
		g_strcmp0 (url, record_url) == 0;

	if (ours && prop)
		icalproperty_set_url (prop, link);
	else if (ours)
		icalcomponent_add_property (comp, icalproperty_new_url (link));

	mapping_wb_props_set (vevent, wb, WB_MEETING_URL, link);
}

void
e_hubspot_mapping_apply_result (ICalComponent *vevent,
				const EHubSpotMeetingResult *result)
{
	MappingWbProps wb;
	const gchar *link;

	g_return_if_fail (I_CAL_IS_COMPONENT (vevent));
	g_return_if_fail (result != NULL);
	g_return_if_fail (result->meeting_id != NULL);

	mapping_wb_props_collect (E_HUBSPOT_MAPPING_NATIVE (vevent), &wb);

	mapping_wb_props_set (vevent, &wb, WB_MEETING_ID, result->meeting_id);

	link = result->external_url && *result->external_url ? result->external_url : result->record_url;

	/* Without any link (account details not known yet) the URL stays as
	 * it is; the next write-back with a link sets it. */
	if (link && *link)
		mapping_apply_link (vevent, &wb, link, result->record_url);

	if (result->record_url && *result->record_url)
		mapping_wb_props_set (vevent, &wb, WB_RECORD_URL, result->record_url);

	/* What a refresh compares with, to tell HubSpot's own changes. */
	if (result->last_modified && *result->last_modified)
		mapping_wb_props_set (vevent, &wb, WB_LAST_MODIFIED, result->last_modified);

	mapping_wb_props_set (vevent, &wb, WB_SYNC_STATE, "synced");
	mapping_wb_props_set (vevent, &wb, WB_ERROR, NULL);
}
