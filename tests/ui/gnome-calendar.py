#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Drives GNOME Calendar 43 (GTK 4) as a person would, for tests/ui/gnome-calendar:
# AT-SPI to find and read widgets, xdotool to click where GTK 4 offers no
# action (the month grid, list rows).
#
#   gnome-calendar.py create --calendar NAME --summary TEXT --screenshots DIR
#   gnome-calendar.py open-event --summary TEXT --screenshots DIR
#
# Prints one "ok"/"not ok" line per check; exits 1 when one failed.

import argparse
import subprocess
import sys
import time
from datetime import date, timedelta

import pyatspi

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
    if acc is None or depth > 60:
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


def refresh(acc):
    # Without an event loop the client's cache misses new popovers.
    for node in walk(acc):
        try:
            node.clear_cache()
        except Exception:
            pass


def find(root, pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        refresh(root)
        for acc in walk(root):
            try:
                if pred(acc):
                    return acc
            except Exception:
                pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.5)


def visible(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_VISIBLE) and acc.queryComponent().getExtents(
            pyatspi.WINDOW_COORDS).width > 0
    except Exception:
        return False


def do_action(acc, name="click"):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == name:
            action.doAction(i)
            return True
    return False


def has_action(acc, name="click"):
    try:
        action = acc.queryAction()
        return any(action.getName(i) == name for i in range(action.nActions))
    except Exception:
        return False


def labels(acc):
    return [a.name for a in walk(acc) if role(a) == "label"]


def xdotool(*args):
    return subprocess.run(["xdotool"] + [str(a) for a in args], capture_output=True, text=True).stdout


def window_geometry(wid):
    geometry = xdotool("getwindowgeometry", "--shell", wid)
    v = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
    return int(v["X"]), int(v["Y"]), int(v["WIDTH"]), int(v["HEIGHT"])


def main_window_geometry():
    """The largest visible X window of GNOME Calendar (its popovers are
    X windows too, with the same title)."""
    ids = xdotool("search", "--onlyvisible", "--class", "gnome-calendar").split()
    geometries = [window_geometry(wid) for wid in ids]
    return max(geometries, key=lambda g: g[2] * g[3]) if geometries else None


def surface_origin(width, height):
    """Screen position of the X window (GTK 4 surface) of the given size:
    GTK 4 reports positions relative to its surface only."""
    for wid in xdotool("search", "--onlyvisible", "--class", "gnome-calendar").split():
        x, y, w, h = window_geometry(wid)
        if (w, h) == (width, height):
            return x, y
    return None


def click_at(acc, surface, fy=0.5):
    """Clicks the middle of acc, positioned within `surface` (its toplevel
    or popover accessible)."""
    outer = surface.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    origin = surface_origin(outer.width, outer.height)
    if origin is None:
        # The main window: its X window is larger by the client-side shadow.
        x, y, width, height = main_window_geometry()
        origin = (x + (width - outer.width) // 2, y + (height - outer.height) // 2)
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    x = origin[0] + ext.x + ext.width // 2
    y = origin[1] + ext.y + int(ext.height * fy)
    xdotool("mousemove", x, y, "click", 1)


def screenshot(path):
    """The screen cut to the main window: its popovers are X windows of
    their own, drawn over it."""
    crop = []
    geometry = main_window_geometry()
    if geometry:
        crop = ["-crop", "%dx%d+%d+%d" % (geometry[2], geometry[3], geometry[0], geometry[1]), "+repage"]
    subprocess.run(["import", "-window", "root"] + crop + [path], check=True)
    print("# screenshot: %s" % path, flush=True)


def wait_app():
    app = None
    deadline = time.monotonic() + 60
    while app is None and time.monotonic() < deadline:
        for candidate in pyatspi.Registry.getDesktop(0):
            if candidate is not None and candidate.name == "gnome-calendar" and candidate.childCount:
                app = candidate
        time.sleep(0.5)
    if app is None:
        die("GNOME Calendar is on the accessibility bus")
    frame = find(app, lambda a: role(a) == "frame", timeout=30)
    if frame is None:
        die("GNOME Calendar shows its window")
    return frame


def cmd_create(args):
    frame = wait_app()

    # The calendar list (the "Calendars" menu at the top left).
    button = find(frame, lambda a: role(a) == "push button" and a.description == "Manage your calendars" and
                  has_action(a))
    if button is None:
        die("GNOME Calendar has its calendar list button")
    do_action(button)
    label = find(frame, lambda a: role(a) == "label" and a.name == args.calendar and visible(a), timeout=30)
    if report(label is not None, "GNOME Calendar lists the HubSpot calendar %r" % args.calendar):
        checkbox = [a for a in label.parent if role(a) == "check box"]
        report(bool(checkbox) and checkbox[0].getState().contains(pyatspi.STATE_CHECKED),
               "the calendar is shown (its box is ticked)")
        screenshot(args.screenshots + "/gnome-calendar-calendars.png")
    xdotool("key", "Escape")
    time.sleep(1)

    # Quick add: a click on tomorrow in the month grid.
    tomorrow = date.today() + timedelta(days=1)
    cell = find(frame, lambda a: a.name == "GcalMonthCell" and visible(a) and
                labels(a)[:1] == [str(tomorrow.day)] and
                a.getState().contains(pyatspi.STATE_SENSITIVE), timeout=20)
    if cell is None:
        die("the month view shows tomorrow (%s)" % tomorrow)
    popover = None
    for _ in range(3):
        click_at(cell, frame, fy=0.7)
        popover = find(frame, lambda a: a.name == "GcalQuickAddPopover" and visible(a), timeout=5)
        if popover is not None:
            break
    if not report(popover is not None, "a click on tomorrow opens the quick-add popover"):
        sys.exit(1)

    entry = find(popover, lambda a: role(a) == "text")
    entry.queryEditableText().setTextContents(args.summary)

    # The calendar picker: its button, then the calendar's row.
    picker = find(popover, lambda a: role(a) == "push button" and a.name == "GtkButton")
    do_action(picker)
    row = find(popover, lambda a: role(a) == "list item" and args.calendar in labels(a) and visible(a))
    if not report(row is not None, "the quick-add calendar picker offers %r" % args.calendar):
        sys.exit(1)
    click_at(row, popover)
    time.sleep(1)
    picker = find(popover, lambda a: role(a) == "push button" and a.name == "GtkButton" and visible(a))
    report(picker is not None and args.calendar in labels(picker),
           "the quick-add popover now says %r" % (labels(picker) if picker else None))
    screenshot(args.screenshots + "/gnome-calendar-quick-add.png")

    add = find(popover, lambda a: role(a) == "push button" and a.name == "Add" and
               a.getState().contains(pyatspi.STATE_SENSITIVE))
    if not report(add is not None, "Add is enabled once a title is typed"):
        sys.exit(1)
    do_action(add)

    shown = find(frame, lambda a: role(a) == "label" and a.name == args.summary and visible(a), timeout=20)
    report(shown is not None, "the month view shows the new event %r" % args.summary)
    time.sleep(1)
    screenshot(args.screenshots + "/gnome-calendar.png")


def cmd_open_event(args):
    frame = wait_app()
    shown = find(frame, lambda a: role(a) == "label" and a.name == args.summary and visible(a) and
                 role(a.parent) != "list item", timeout=20)
    if not report(shown is not None, "the month view still shows %r" % args.summary):
        sys.exit(1)
    click_at(shown, frame)
    popover = find(frame, lambda a: a.name == "GcalEventPopover" and visible(a), timeout=10)
    if not report(popover is not None, "a click on the event opens its details"):
        sys.exit(1)
    time.sleep(1)
    texts = [t for t in labels(popover) if t and not t.startswith("Gtk")]
    print("# the event's details show: %s" % " | ".join(texts), flush=True)
    report(args.summary in texts, "the details show the title")
    screenshot(args.screenshots + "/gnome-calendar-event.png")
    xdotool("key", "Escape")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create")
    create.add_argument("--calendar", required=True)
    create.add_argument("--summary", required=True)
    create.add_argument("--screenshots", required=True)
    event = sub.add_parser("open-event")
    event.add_argument("--summary", required=True)
    event.add_argument("--screenshots", required=True)
    args = parser.parse_args()

    {"create": cmd_create, "open-event": cmd_open_event}[args.command](args)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
