/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef E_CAL_BACKEND_HUBSPOT_H
#define E_CAL_BACKEND_HUBSPOT_H

#include <libedata-cal/libedata-cal.h>

G_BEGIN_DECLS

#define E_TYPE_CAL_BACKEND_HUBSPOT (e_cal_backend_hubspot_get_type ())
#define E_CAL_BACKEND_HUBSPOT(obj) (G_TYPE_CHECK_INSTANCE_CAST ((obj), E_TYPE_CAL_BACKEND_HUBSPOT, ECalBackendHubSpot))
#define E_IS_CAL_BACKEND_HUBSPOT(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), E_TYPE_CAL_BACKEND_HUBSPOT))

typedef struct _ECalBackendHubSpot ECalBackendHubSpot;
typedef struct _ECalBackendHubSpotClass ECalBackendHubSpotClass;
typedef struct _ECalBackendHubSpotPrivate ECalBackendHubSpotPrivate;

/* Classic boilerplate: ECalMetaBackend has no autoptr cleanup, so
 * G_DECLARE_FINAL_TYPE cannot be used with it. */
struct _ECalBackendHubSpot {
	ECalMetaBackend parent;
	ECalBackendHubSpotPrivate *priv;
};

struct _ECalBackendHubSpotClass {
	ECalMetaBackendClass parent_class;
};

GType		e_cal_backend_hubspot_get_type	(void);

G_END_DECLS

#endif /* E_CAL_BACKEND_HUBSPOT_H */
