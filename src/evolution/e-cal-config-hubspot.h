/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* "HubSpot" in Evolution's New Calendar dialog and on a HubSpot calendar's
 * properties page: the e-mail address, how the calendar reaches HubSpot
 * (a sign-in through EDS's OAuth 2 window, or a service key or
 * private-app token checked against HubSpot before the dialog can finish,
 * then kept in the keyring) and the [HubSpot] settings. */

#ifndef E_CAL_CONFIG_HUBSPOT_H
#define E_CAL_CONFIG_HUBSPOT_H

#include <e-util/e-util.h>

G_BEGIN_DECLS

/* ESourceConfigBackend has no g_autoptr cleanup, so G_DECLARE_FINAL_TYPE
 * cannot be used: the classic macros, with the structures kept private. */
#define E_TYPE_CAL_CONFIG_HUBSPOT (e_cal_config_hubspot_get_type ())
#define E_CAL_CONFIG_HUBSPOT(obj) \
	(G_TYPE_CHECK_INSTANCE_CAST ((obj), E_TYPE_CAL_CONFIG_HUBSPOT, ECalConfigHubSpot))
#define E_IS_CAL_CONFIG_HUBSPOT(obj) \
	(G_TYPE_CHECK_INSTANCE_TYPE ((obj), E_TYPE_CAL_CONFIG_HUBSPOT))

typedef struct _ECalConfigHubSpot ECalConfigHubSpot;
typedef struct _ECalConfigHubSpotClass ECalConfigHubSpotClass;

GType		e_cal_config_hubspot_get_type	(void) G_GNUC_CONST;
void		e_cal_config_hubspot_type_register
						(GTypeModule *type_module);

G_END_DECLS

#endif /* E_CAL_CONFIG_HUBSPOT_H */
