/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Preloaded after the ASan runtime into evolution-calendar-factory by
 * tests/hubspot-sandbox under tests/run-tests --sanitize, so that the
 * factory starts (docs/design.md, *Hostile input*).
 *
 * The factory is not built with ASan, so the preloaded runtime initializes
 * on the first malloc () instead of before every constructor. That first
 * malloc () comes from libgpg-error's constructor, inside bindtextdomain (),
 * which holds glibc's gettext lock for writing. ASan's initialization looks
 * up the optional symbol swift_demangle and calls dlerror () when it is
 * missing; dlerror () translates its message, and the nested gettext call
 * unlocks the lock its own read lock failed to take (EDEADLK). The outer
 * unlock then wraps the lock's reader count below zero, and the factory's
 * own bindtextdomain () in main () waits forever.
 *
 * With the symbol found, dlerror () has nothing to translate. ASan calls
 * it only for names mangled by Swift, which nothing here has; NULL tells
 * it to keep the name as it is.
 */

#include <stddef.h>

char *swift_demangle (const char *mangled_name,
		      size_t mangled_name_length,
		      char *output_buffer,
		      size_t *output_buffer_size,
		      unsigned int flags);

char *
swift_demangle (const char *mangled_name,
		size_t mangled_name_length,
		char *output_buffer,
		size_t *output_buffer_size,
		unsigned int flags)
{
	return NULL;
}
