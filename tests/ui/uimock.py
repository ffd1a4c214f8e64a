#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The one way the UI scripts read and steer the mock HubSpot (tests/mock,
# its README: "Control endpoints" and "A recorded request"), imported by the
# Python drivers and run by tests/ui/ui-session.sh:
#
#   uimock.py URL meeting SUMMARY     prints the request that created the meeting
#                                     titled SUMMARY; exit 0 if HubSpot took it
#   uimock.py URL contacts EMAIL      prints the contact calls that name EMAIL and
#                                     the call that linked the contact to a meeting;
#                                     exit 0 if it was created and associated
#   uimock.py URL post PATH JSON      POSTs JSON to a control path (a fault rule...)
#
# A recorded request's body is whatever the client sent: an object, a list,
# a text or null; and "properties" is an object in a create but a list of
# names in a batch read.  Nothing here assumes one shape.

import json
import re
import sys
import urllib.request


def call(mock, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(mock + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def post(mock, path, body):
    return call(mock, "POST", path, body)


def requests(mock):
    answer = call(mock, "GET", "/__mock/requests")
    if isinstance(answer, dict):
        answer = answer.get("requests") or answer.get("results") or []
    return [r for r in answer if isinstance(r, dict)]


def properties(request):
    """The properties object of a create or update, else {}."""
    body = request.get("body")
    props = body.get("properties") if isinstance(body, dict) else None
    return props if isinstance(props, dict) else {}


def succeeded(request):
    return request.get("status") in (200, 201, 204, 207)


def meeting_create(mock, summary):
    """The request that created the meeting titled summary (its last try)."""
    found = None
    for r in requests(mock):
        if (r.get("method") == "POST" and "/meetings" in r.get("path", "") and
                properties(r).get("hs_meeting_title") == summary):
            found = r
    return found


def mentions(request, text):
    return text.lower() in json.dumps(request).lower()


def contact_calls(mock, email):
    """Calls about contacts or associations that name email, in order."""
    return [r for r in requests(mock)
            if ("/contacts" in r.get("path", "") or "/associations" in r.get("path", "")) and
            mentions(r, email)]


def contact_created(mock, email):
    """The id of the contact created for email, else None."""
    for r in contact_calls(mock, email):
        if (r.get("method") == "POST" and r.get("path", "").endswith("/contacts") and succeeded(r) and
                str(properties(r).get("email", "")).lower() == email.lower()):
            answer = r.get("response")
            if isinstance(answer, dict) and answer.get("id"):
                return str(answer["id"])
    return None


def contact_associated(mock, contact_id):
    """The meeting create or association call that links contact_id."""
    for r in requests(mock):
        path = r.get("path", "")
        if (r.get("method") == "POST" and succeeded(r) and ("/meetings" in path or "/associations" in path) and
                re.search(r"(?<![0-9])%s(?![0-9])" % re.escape(contact_id), json.dumps(r.get("body")))):
            return r
    return None


def main():
    if len(sys.argv) == 5 and sys.argv[2] == "post":
        print(json.dumps(post(sys.argv[1], sys.argv[3], json.loads(sys.argv[4]))))
        sys.exit(0)
    if len(sys.argv) != 4:
        sys.exit("usage: uimock.py URL meeting SUMMARY | URL contacts EMAIL | URL post PATH JSON")
    mock, command, arg = sys.argv[1:]
    if command == "meeting":
        r = meeting_create(mock, arg)
        if r is None:
            sys.exit("the mock received no meeting titled %r" % arg)
        print(json.dumps(r, indent=2))
        sys.exit(0 if succeeded(r) else 1)
    if command == "contacts":
        calls = contact_calls(mock, arg)
        contact_id = contact_created(mock, arg)
        link = contact_associated(mock, contact_id) if contact_id else None
        print(json.dumps(calls + ([link] if link else []), indent=2))
        sys.exit(0 if link else 1)
    sys.exit("unknown command %s" % command)


if __name__ == "__main__":
    main()
