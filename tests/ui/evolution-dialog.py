#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Drives Evolution's New Calendar dialog through AT-SPI (tests/ui/evolution-dialog
# runs it inside the sandbox, with Evolution and the mock HubSpot running).
#
#   evolution-dialog.py new --mock URL --name NAME --screenshot FILE
#   evolution-dialog.py properties --mock URL --name NAME --new-token TOKEN [--screenshot FILE]
#   evolution-dialog.py alert --text TEXT [--screenshot FILE]
#
# Prints one "ok"/"not ok" line per check; exits 1 when one failed.

import argparse
import subprocess
import sys
import time
import urllib.request

import pyatspi

import uimock

failures = 0


def report(good, what):
    global failures
    print(("ok - " if good else "not ok - ") + what, flush=True)
    if not good:
        failures += 1
    return good


def die(what):
    report(False, what)
    sys.exit(1)


def walk(acc, depth=0):
    """Every accessible below acc (depth first); dead ones are skipped."""
    if acc is None or depth > 40:
        return
    yield acc
    try:
        children = list(acc)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1)


def role(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return ""


def find(root, pred, timeout=10.0, what="widget"):
    deadline = time.monotonic() + timeout
    while True:
        for acc in walk(root):
            try:
                if pred(acc):
                    return acc
            except Exception:
                pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.25)


def named(role_name, name):
    return lambda a: role(a) == role_name and a.name == name


def showing(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate", "toggle"):
            action.doAction(i)
            return
    action.doAction(0)


def set_text(acc, text):
    acc.queryEditableText().setTextContents(text)


def get_text(acc):
    t = acc.queryText()
    return t.getText(0, t.characterCount)


def app_named(name, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.name == name and app.childCount > 0:
                return app
        time.sleep(0.5)
    return None


def screenshot(title, path):
    """The window titled `title`, by its X window id (no window manager)."""
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % title],
                         capture_output=True, text=True).stdout.split()
    target = ids[-1] if ids else "root"
    subprocess.run(["import", "-window", target, path], check=True)
    print("# screenshot of %r: %s" % (title, path), flush=True)


def wait_status(dialog, status, timeout=40.0):
    """The check's result: the status label once it no longer says it is busy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = status.name
        if text and not text.startswith("Asking HubSpot") and not text.startswith("Press"):
            return text
        time.sleep(0.2)
    return status.name


def entry_after_label(root, caption):
    """ESourceConfig's captions are siblings of their widgets."""
    for acc in walk(root):
        if role(acc) == "label" and acc.name == caption and showing(acc):
            parent = acc.parent
            for sibling in parent:
                if role(sibling) in ("text", "password text"):
                    return sibling
    return None


CREATE_CONTACTS = "Attendees who are not HubSpot contacts yet become contacts"
ADVANCED = [
    ("text", "HubSpot API URL"),
    ("text", "Time zone"),
    ("text", "Activity type"),
    ("text", "HubSpot sign-in URL"),
    ("text", "HubSpot app client id"),
    ("text", "HubSpot app redirect URI"),
    ("check box", "Include the event’s description in e-mail reminders"),
    ("check box", "Send an e-mail reminder for every alarm, not only e-mail alarms"),
    ("check box", CREATE_CONTACTS),
    ("check box", "Associate the attendees’ companies with the meeting"),
    ("check box", "A removed event archives its meeting instead of cancelling it"),
    ("spin button", "Requests at once"),
    ("spin button", "Days ahead for recurring events"),
    ("spin button", "Meetings per recurring event"),
    ("spin button", "Days back of HubSpot meetings"),
    ("spin button", "Search delay in seconds"),
]


def hubspot_fields(dialog):
    fields = {}
    for key, (role_name, name) in {
        "email": ("text", "HubSpot e-mail address"),
        "token": ("password text", "HubSpot service key or private-app token"),
        "check": ("push button", "Check"),
        "advanced": ("toggle button", "Advanced settings"),
        "api_url": ("text", "HubSpot API URL"),
        "timezone": ("text", "Time zone"),
    }.items():
        fields[key] = find(dialog, named(role_name, name), what=name)
        if fields[key] is None:
            die("the HubSpot page has its %s field" % name)
    fields["status"] = find(dialog, lambda a: role(a) == "label" and
                            a.description == "Result of the HubSpot check")
    fields["ok"] = find(dialog, named("push button", "OK"))
    if fields["status"] is None or fields["ok"] is None:
        die("the HubSpot page has its status line and the dialog its OK button")
    return fields


def run_check(dialog, f, email, token, expect, what):
    set_text(f["email"], email)
    set_text(f["token"], token)
    time.sleep(0.3)
    click(f["check"])
    text = wait_status(dialog, f["status"])
    report(expect in text, "%s: the dialog says %r" % (what, text))
    time.sleep(0.5)
    return text


def open_new_calendar(app):
    frame = find(app, lambda a: role(a) == "frame", timeout=60)
    if frame is None:
        die("Evolution shows its window")
    item = find(frame, lambda a: role(a) == "menu item" and a.name == "Calendar" and
                role(a.parent) == "menu" and a.parent.name == "New" and
                role(a.parent.parent) == "menu" and a.parent.parent.name == "File", timeout=30)
    if item is None:
        die("Evolution has File > New > Calendar")
    click(item)
    dialog = find(app, named("dialog", "New Calendar"), timeout=15)
    if dialog is None:
        # The keyboard path of docs/clients.md, should the action not work.
        subprocess.run(["xdotool", "key", "alt+f", "Right", "Down", "Down", "Down", "Return"])
        dialog = find(app, named("dialog", "New Calendar"), timeout=15)
    return dialog


def cmd_new(args):
    app = app_named("evolution")
    if app is None:
        die("Evolution is on the accessibility bus")
    dialog = open_new_calendar(app)
    if dialog is None:
        die("File > New > Calendar opens the New Calendar dialog")
    report(True, "File > New > Calendar opens the New Calendar dialog")

    hubspot = find(dialog, lambda a: role(a) == "menu item" and a.name == "HubSpot" and
                   role(a.parent.parent) == "combo box")
    if not report(hubspot is not None, "the Type list offers HubSpot"):
        sys.exit(1)
    click(hubspot)
    combo = hubspot.parent.parent
    time.sleep(1)
    report(combo.name == "HubSpot", "HubSpot is selected (the Type shows %r)" % combo.name)

    # Signing in is the default; this test gives a key.
    signing_in = find(dialog, named("radio button", "Sign in with HubSpot"))
    key = find(dialog, named("radio button", "Service key or private-app token"))
    report(signing_in is not None and key is not None, "the page offers a sign-in and a key")
    if key is None:
        sys.exit(1)
    report(signing_in.getState().contains(pyatspi.STATE_CHECKED), "signing in is the default")
    click(key)
    time.sleep(0.5)
    f = hubspot_fields(dialog)
    name = entry_after_label(dialog, "Name:")
    if name is None:
        die("the dialog has its Name field")
    set_text(name, args.name)

    click(f["advanced"])
    set_text(f["api_url"], args.mock)
    set_text(f["timezone"], "Europe/Paris")
    time.sleep(0.5)

    # Every setting of the README's [HubSpot] table that a person sets is
    # on the page: the time zone on the first screen, the rest under
    # "Advanced settings".
    missing = [n for r, n in ADVANCED if find(dialog, named(r, n), timeout=2) is None]
    report(not missing, "the page offers every setting (missing: %s)" % ", ".join(missing))
    contacts = find(dialog, named("check box", CREATE_CONTACTS))
    if contacts is not None and not contacts.getState().contains(pyatspi.STATE_CHECKED):
        click(contacts)
        time.sleep(0.3)
    report(contacts is not None and contacts.getState().contains(pyatspi.STATE_CHECKED),
           "the attendees can be made contacts (ticked)")

    report(not sensitive(f["ok"]), "OK is disabled before HubSpot checked the token")

    run_check(dialog, f, "owner@example.com", "not-the-token", "rejected the key",
              "a bad token")
    if args.screenshot:
        screenshot("New Calendar", args.screenshot.replace(".png", "-bad-token.png"))
    report(not sensitive(f["ok"]), "OK stays disabled after a failed check")
    run_check(dialog, f, "nobody@example.com", "mock-token", "No HubSpot user has the e-mail address",
              "an e-mail address HubSpot does not know")
    uimock.post(args.mock, "/__mock/faults", {"match": "/crm/owners/2026-03", "status": 403, "count": 1})
    run_check(dialog, f, "owner@example.com", "mock-token", "lacks a scope",
              "a token without the owners scope (HubSpot answers 403)")
    report(not sensitive(f["ok"]), "OK stays disabled")

    text = run_check(dialog, f, "owner@example.com", "mock-token", "HubSpot accepted",
                     "the right token and e-mail address")
    report("75000001" in text and "9100001" in text, "the dialog shows the owner and user ids")
    report(sensitive(f["ok"]), "OK is enabled once the check passed")

    set_text(f["token"], "mock-token-changed")
    time.sleep(0.5)
    report(not sensitive(f["ok"]), "changing the token after the check disables OK again")
    set_text(f["token"], "mock-token")
    time.sleep(0.5)
    report(sensitive(f["ok"]), "the checked token enables it again")

    if args.screenshot:
        screenshot("New Calendar", args.screenshot)

    click(f["ok"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and find(app, named("dialog", "New Calendar"), timeout=0):
        time.sleep(0.3)
    report(find(app, named("dialog", "New Calendar"), timeout=0) is None, "OK closes the dialog")


def cmd_properties(args):
    app = app_named("evolution")
    if app is None:
        die("Evolution is on the accessibility bus")
    frame = find(app, lambda a: role(a) == "frame", timeout=60)
    cell = find(frame, lambda a: role(a) == "table cell" and a.name == args.name and showing(a),
                timeout=20)
    if not report(cell is not None, "the calendar list shows %r" % args.name):
        sys.exit(1)
    # The calendar list's menu: move the cursor to the calendar with the
    # keyboard (rows scrolled out of view have no screen position), then
    # Shift+F10 opens the menu of the selected calendar.
    row = cell
    while role(row.parent) == "table cell":
        row = row.parent
    table = row.parent
    table.queryComponent().grabFocus()
    time.sleep(0.3)
    subprocess.run(["xdotool", "key", "Home"])
    for _ in range(40):
        time.sleep(0.2)
        if row.getState().contains(pyatspi.STATE_SELECTED):
            break
        subprocess.run(["xdotool", "key", "Down"])
    if not report(row.getState().contains(pyatspi.STATE_SELECTED), "the calendar can be selected in the list"):
        sys.exit(1)
    subprocess.run(["xdotool", "key", "shift+F10"])
    item = find(app, lambda a: role(a) == "menu item" and a.name.startswith("Properties") and
                showing(a), timeout=10)
    if not report(item is not None, "its menu has Properties…"):
        sys.exit(1)
    click(item)
    dialog = find(app, lambda a: role(a) == "dialog" and "Properties" in a.name, timeout=15)
    if not report(dialog is not None, "Properties… opens the calendar's properties"):
        sys.exit(1)
    f = hubspot_fields(dialog)
    time.sleep(0.5)
    report(get_text(f["email"]) == "owner@example.com",
           "the properties show the e-mail address (%r)" % get_text(f["email"]))
    report(get_text(f["token"]) == "", "the token is not shown (it stays in the keyring)")
    report(get_text(f["timezone"]) == "Europe/Paris", "the properties show the time zone")
    report(sensitive(f["ok"]), "OK is enabled: the calendar passed its check when it was added")
    report("HubSpot accepted" in f["status"].name, "the status says so (%r)" % f["status"].name)
    if args.screenshot:
        click(f["advanced"])
        time.sleep(0.5)
        screenshot(dialog.name, args.screenshot)
    set_text(f["email"], "colleague@example.com")
    time.sleep(0.5)
    report(not sensitive(f["ok"]), "another e-mail address must be checked first")
    click(f["check"])
    text = wait_status(dialog, f["status"])
    report("75000002" in text, "the check uses the token in the keyring (%r)" % text)

    # A new token (HubSpot rotated it): the stored one is refused, the new
    # one passes, and OK puts it in the keyring.
    uimock.post(args.mock, "/__mock/config", {"token": args.new_token})
    set_text(f["email"], "owner@example.com")
    time.sleep(0.5)
    click(f["check"])
    text = wait_status(dialog, f["status"])
    report("rejected the key" in text, "after a token change HubSpot refuses the stored token (%r)" % text)
    run_check(dialog, f, "owner@example.com", args.new_token, "HubSpot accepted", "the new token")
    report(sensitive(f["ok"]), "OK is enabled with the new token")
    click(f["ok"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and find(app, lambda a: role(a) == "dialog" and "Properties" in a.name,
                                               timeout=0):
        time.sleep(0.3)
    report(find(app, lambda a: role(a) == "dialog" and "Properties" in a.name, timeout=0) is None,
           "OK closes the properties")


def cmd_alert(args):
    """Evolution shows a backend's error (e_cal_backend_notify_error) in
    the alert bar above the calendar: a label with the backend's words."""
    app = app_named("evolution")
    if app is None:
        die("Evolution is on the accessibility bus")
    frame = find(app, lambda a: role(a) == "frame", timeout=60)
    label = find(frame, lambda a: role(a) in ("label", "text") and args.text in (a.name or "") and showing(a),
                 timeout=40)
    if label is None:
        texts = [a.name for a in walk(frame) if role(a) == "label" and a.name and showing(a)]
        print("# the window's labels: %s" % " | ".join(texts[:40]), flush=True)
    report(label is not None, "Evolution shows above the calendar: %r" % (label.name if label else args.text))
    if args.screenshot and label is not None:
        screenshot(frame.name, args.screenshot)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new")
    new.add_argument("--mock", required=True)
    new.add_argument("--name", required=True)
    new.add_argument("--screenshot")
    props = sub.add_parser("properties")
    props.add_argument("--name", required=True)
    props.add_argument("--mock", required=True)
    props.add_argument("--new-token", required=True)
    props.add_argument("--screenshot")
    alert = sub.add_parser("alert")
    alert.add_argument("--text", required=True)
    alert.add_argument("--screenshot")
    args = parser.parse_args()

    {"new": cmd_new, "properties": cmd_properties, "alert": cmd_alert}[args.command](args)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
