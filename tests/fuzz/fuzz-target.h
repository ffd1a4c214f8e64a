/*
 * SPDX-FileCopyrightText: 2026 The evolution-hubspot authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What every fuzz target defines: libFuzzer's entry points.  A target
 * aborts (g_error) when a check of its own fails: that is a finding, as
 * a crash is. */

#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerInitialize	(int *argc,
				 char ***argv);
int	LLVMFuzzerTestOneInput	(const uint8_t *data,
				 size_t size);

/* Inputs above this are skipped: the targets look for bugs in the
 * parsers, not for the time it takes to read megabytes (the bounds on
 * what HubSpot may send are tested in the integration tests). */
#define FUZZ_MAX_INPUT (256 * 1024)

#endif /* FUZZ_TARGET_H */
