/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the two halves of the mapping share: reading libical's own
 * structures.  libical-glib makes a GObject wrapper for every property,
 * value and time it hands out, which was most of the mapping's cost; the
 * mapping reads the component under the wrapper instead (docs/design.md,
 * "Mapping an event to a meeting"). */

#ifndef E_HUBSPOT_MAPPING_PRIVATE_H
#define E_HUBSPOT_MAPPING_PRIVATE_H

#include "e-hubspot-mapping.h"

G_BEGIN_DECLS

#define E_HUBSPOT_MAPPING_NATIVE(object) (i_cal_object_get_native (I_CAL_OBJECT (object)))

/* e_hubspot_mapping_dup_value_string() of a native property. */
gchar *		e_hubspot_mapping_native_dup_text
						(icalproperty *prop);

G_END_DECLS

#endif /* E_HUBSPOT_MAPPING_PRIVATE_H */
