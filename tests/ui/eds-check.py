#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the UI tests ask EDS directly (inside the sandbox):
#
#   eds-check.py find-calendar NAME            prints the UID of the calendar called NAME
#   eds-check.py password UID                  prints the password the keyring holds for UID
#   eds-check.py create-event UID SUMMARY [EMAIL CN]
#                                              creates a one-hour event tomorrow at 10:00,
#                                              with the attendee EMAIL called CN if given
#   eds-check.py wait-meeting UID SUMMARY      waits until the event called SUMMARY carries
#                                              its HubSpot meeting id; prints the event
#
# Exit 0 on success, 1 otherwise (with the reason on stderr).

import re
import sys
import time
from datetime import datetime, timedelta, timezone

import gi

gi.require_version("EDataServer", "1.2")
gi.require_version("ECal", "2.0")
gi.require_version("ICalGLib", "3.0")
from gi.repository import ECal, EDataServer, ICalGLib  # noqa: E402

NO_WAIT = 0xFFFFFFFF  # connect_sync: do not wait for the backend to be online


def registry():
    return EDataServer.SourceRegistry.new_sync(None)


def source_by_uid(uid):
    source = registry().ref_source(uid)
    if source is None:
        sys.exit("no source %s" % uid)
    return source


def client_for(uid):
    return ECal.Client.connect_sync(source_by_uid(uid), ECal.ClientSourceType.EVENTS, NO_WAIT, None)


def find_calendar(name, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for source in registry().list_sources(EDataServer.SOURCE_EXTENSION_CALENDAR):
            if source.get_display_name() == name:
                print(source.get_uid())
                return 0
        time.sleep(0.5)
    sys.exit("no calendar called %r" % name)


def password(uid):
    ok, secret = source_by_uid(uid).lookup_password_sync(None)
    if not ok or not secret:
        sys.exit("the keyring holds no password for %s" % uid)
    print(secret)
    return 0


def create_event(uid, summary, attendee=None, cn=None):
    start = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    end = start + timedelta(hours=1)
    fmt = "%Y%m%dT%H%M%SZ"
    ics = ("BEGIN:VEVENT\r\nUID:ui-test-%d\r\nDTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\n"
           "SUMMARY:%s\r\n%sEND:VEVENT\r\n") % (time.time_ns(), start.strftime(fmt),
                                              start.strftime(fmt), end.strftime(fmt), summary,
                                              "ATTENDEE;CN=%s:mailto:%s\r\n" % (cn, attendee) if attendee else "")
    comp = ICalGLib.Component.new_from_string(ics)
    ok, new_uid = client_for(uid).create_object_sync(comp, ECal.OperationFlags.NONE, None)
    if not ok:
        sys.exit("creating the event failed")
    print(new_uid)
    return 0


def wait_meeting(uid, summary, timeout=60.0):
    client = client_for(uid)
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        ok, comps = client.get_object_list_as_comps_sync("#t", None)
        for comp in comps if ok else []:
            text_prop = comp.get_summary()
            if text_prop is None or text_prop.get_value() != summary:
                continue
            # Unfolded: one property per line.
            text = comp.get_as_string().replace("\r\n ", "").replace("\n ", "")
            if re.search(r"^X-HUBSPOT-MEETING-ID:", text, re.M):
                print(text.strip())
                return 0
        time.sleep(0.5)
    sys.exit("the event %r has no meeting id after %d s:\n%s" % (summary, timeout, text))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    commands = {
        "find-calendar": find_calendar,
        "password": password,
        "create-event": create_event,
        "wait-meeting": wait_meeting,
    }
    if command not in commands:
        sys.exit("unknown command %s" % command)
    sys.exit(commands[command](*args))


if __name__ == "__main__":
    main()
