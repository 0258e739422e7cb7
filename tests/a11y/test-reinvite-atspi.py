#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Re-inviting a client as a screen reader user does it: over AT-SPI only. The real
# application from the build tree runs on its demo sandbox (--demo) with the AT-SPI
# bridge on (GTK_A11Y=atspi); this script finds it on the accessibility bus, finds the
# booking list and a booking that can be re-invited by their accessible names, selects
# the booking, activates "Re-invite…", types a reason into the dialog's "Reason" field,
# activates "Re-invite" and waits until the result is announced to assistive technology.
# Then the same with the server refusing once: the dialog's error must be announced too.
# What reached the server is read from the demo sandbox's request log.
#
# Run by meson under the suite's `dbus-run-session` and `xvfb-run`:
#   test-reinvite-atspi.py PHONECHAT HOME_DIR
# PHONECHAT is the built application, HOME_DIR a folder of the build tree that holds
# its private XDG state, config and data folders (emptied first). TAP output.
#
# The demo's bookings have dates relative to now; four are pending with their session
# passed, and so can be re-invited, whatever the time.
#
# Every wait is for a condition, re-checked on each AT-SPI event the application sends
# (and, for events a toolkit does not send, every half second), with a generous overall
# timeout; no step waits for a duration.

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import traceback
import urllib.request
import warnings

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

import pyatspi  # noqa: E402, F401  (initialises libatspi)

TIMEOUT = float(os.environ.get('PC_A11Y_TIMEOUT', '60')) * \
    float(os.environ.get('PC_TEST_TIMEOUT_MULTIPLIER', '1'))
REASON = 'Sorry I missed you, please book again'
STEPS = [
    '/a11y/bus',
    '/a11y/application',
    '/a11y/sandbox',
    '/a11y/window/active',
    '/a11y/bookings/list',
    '/a11y/bookings/select',
    '/a11y/reinvite/button',
    '/a11y/reinvite/dialog',
    '/a11y/reinvite/reason',
    '/a11y/reinvite/send',
    '/a11y/reinvite/announced',
    '/a11y/reinvite/dialog-closed',
    '/a11y/reinvite/sent-once',
    '/a11y/bookings/row-updated',
    '/a11y/bookings/reason-shown',
    '/a11y/reinvite-refused/select',
    '/a11y/reinvite-refused/send',
    '/a11y/reinvite-refused/announced',
    '/a11y/reinvite-refused/sent-once',
]
REINVITE_PATH = '/v1/PhoneChat/ReInvite'
EVENTS = [
    'object:children-changed',
    'object:state-changed',
    'object:property-change',
    'object:text-changed',
    'object:announcement',
    'window:',
]


class Failure(Exception):
    pass


class Tap:
    def __init__(self):
        self.n = 0
        print('1..%d' % len(STEPS), flush=True)

    def ok(self, name, note=''):
        self.n += 1
        assert STEPS[self.n - 1] == name, name
        print('ok %d %s%s' % (self.n, name, ' # ' + note if note else ''), flush=True)

    def fail(self, message):
        self.n += 1
        print('not ok %d %s # %s' % (self.n, STEPS[self.n - 1], message), flush=True)
        print('Bail out! %s' % message, flush=True)


app_process = None
app_output = []     # what the application printed, by line
wake_up = None      # the running wait's re-check, for what is not an AT-SPI event


def app_exited():
    return app_process is not None and app_process.poll() is not None


def wait_for(what, check):
    """Returns check()'s first true value, checked now and after every AT-SPI event
    (and every half second), or raises Failure naming @what after TIMEOUT."""

    def safe_check():
        if app_exited():
            raise Failure('phonechat exited with status %d while waiting for %s'
                          % (app_process.returncode, what))
        try:
            return check()
        except GLib.Error:
            # An object went away while being looked at: the next event tells again.
            return None

    result = safe_check()
    if result:
        return result

    loop = GLib.MainLoop()
    found = []
    errors = []

    def recheck(*args):
        if not loop.is_running():
            return True
        try:
            value = safe_check()
        except Failure as e:
            errors.append(e)
            loop.quit()
            return False
        if value:
            found.append(value)
            loop.quit()
            return False
        return True

    def on_event(event):
        recheck()

    def on_timeout():
        loop.quit()
        return False

    global wake_up
    wake_up = recheck
    listener = Atspi.EventListener.new(on_event)
    for event_type in EVENTS:
        listener.register(event_type)
    poll_id = GLib.timeout_add(500, recheck)
    timeout_id = GLib.timeout_add(int(TIMEOUT * 1000), on_timeout)
    try:
        loop.run()
    finally:
        wake_up = None
        for event_type in EVENTS:
            listener.deregister(event_type)
        for source_id in (poll_id, timeout_id):
            source = GLib.main_context_default().find_source_by_id(source_id)
            if source is not None:
                source.destroy()

    if errors:
        raise errors[0]
    if not found:
        raise Failure('%s: not found within %d seconds' % (what, TIMEOUT))
    return found[0]


def states(accessible):
    return accessible.get_state_set()


def has_state(accessible, state):
    return states(accessible).contains(state)


def find(root, predicate):
    """The first accessible under @root (itself included) that @predicate accepts,
    looking only at what is showing, or None."""
    if root is None:
        return None
    if predicate(root):
        return root
    for i in range(root.get_child_count()):
        child = root.get_child_at_index(i)
        if child is None or not has_state(child, Atspi.StateType.SHOWING):
            continue
        found = find(child, predicate)
        if found is not None:
            return found
    return None


def find_all(root, predicate):
    result = []
    if predicate(root):
        result.append(root)
    for i in range(root.get_child_count()):
        child = root.get_child_at_index(i)
        if child is not None and has_state(child, Atspi.StateType.SHOWING):
            result.extend(find_all(child, predicate))
    return result


def role_named(role, name):
    return lambda a: a.get_role() == role and a.get_name() == name


def do_action(accessible, action_name):
    if accessible.get_action_iface() is None:
        raise Failure('%s “%s” has no Action interface' % (accessible.get_role_name(),
                                                            accessible.get_name()))
    with warnings.catch_warnings():
        # libatspi's get_name is get_action_name in Python, marked deprecated by mistake.
        warnings.simplefilter('ignore', DeprecationWarning)
        names = [Atspi.Action.get_action_name(accessible, i)
                 for i in range(Atspi.Action.get_n_actions(accessible))]
    if action_name not in names:
        raise Failure('%s “%s” offers no “%s” action, only %s'
                      % (accessible.get_role_name(), accessible.get_name(), action_name, names))
    if not Atspi.Action.do_action(accessible, names.index(action_name)):
        raise Failure('the “%s” action of “%s” failed' % (action_name, accessible.get_name()))


def start_bus():
    """The accessibility bus, as a screen reader starts it: org.a11y.Bus on the session
    bus (D-Bus activates at-spi-bus-launcher), told that a screen reader runs."""
    session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = session.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus', 'GetAddress',
                              None, GLib.VariantType('(s)'), Gio.DBusCallFlags.NONE,
                              int(TIMEOUT * 1000), None)
    address = reply.unpack()[0]
    if not address:
        raise Failure('org.a11y.Bus gave no address')
    session.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.freedesktop.DBus.Properties', 'Set',
                      GLib.Variant('(ssv)', ('org.a11y.Status', 'ScreenReaderEnabled',
                                             GLib.Variant('b', True))),
                      None, Gio.DBusCallFlags.NONE, int(TIMEOUT * 1000), None)
    return address


def wake():
    if wake_up is not None:
        wake_up()
    return False


def read_app_output(stream):
    """In a thread of its own: what the application prints (GLib's debug messages go to
    stdout), kept for sandbox_url() and passed on to stderr for the test log: stdout is
    this script's TAP."""
    for line in iter(stream.readline, b''):
        text = line.decode(errors='replace')
        sys.stderr.write(text)
        sys.stderr.flush()
        app_output.append(text)
        GLib.idle_add(wake)


def start_app(phonechat, home):
    global app_process

    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ)
    for name in ('state', 'config', 'data'):
        path = os.path.join(home, name)
        os.makedirs(path)
        env['XDG_%s_HOME' % name.upper()] = path
    env.update({
        'GTK_A11Y': 'atspi',
        'G_DEBUG': 'gc-friendly,fatal-warnings',
        # Where the demo sandbox listens.
        'G_MESSAGES_DEBUG': 'pc-application',
        'LANGUAGE': 'C',
        'LC_ALL': 'C.UTF-8',
    })
    # GTK 3's switch; whatever a test environment says, this application must be seen.
    env.pop('NO_AT_BRIDGE', None)
    app_process = subprocess.Popen([phonechat, '--demo'], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for stream in (app_process.stdout, app_process.stderr):
        threading.Thread(target=read_app_output, args=(stream,), daemon=True).start()


def sandbox_url():
    match = re.search(r'Demo sandbox listening on (http://127\.0\.0\.1:[0-9]+)', ''.join(app_output))
    return match.group(1) if match else None


def sandbox_call(url, path, body=None):
    """A request to the demo sandbox's own endpoints, its JSON answer."""
    request = urllib.request.Request(url + path, method='GET' if body is None else 'POST')
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header('Content-Type', 'application/json')
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        return json.load(answer)


def reinvite_requests(url):
    return [r for r in sandbox_call(url, '/_sandbox/requests')
            if r['method'] == 'POST' and r['path'].lower() == REINVITE_PATH.lower()]


def find_application():
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == app_process.pid:
            # Names and states change as the user works: ask the application each time.
            app.set_cache_mask(Atspi.Cache.NONE)
            return app
    return None


def is_reinvitable_row(accessible):
    return (accessible.get_role() == Atspi.Role.LIST_ITEM and
            accessible.get_name().endswith(', can be re-invited'))


def select_row(booking_list, row):
    row_name = row.get_name()
    if booking_list.get_selection_iface() is None:
        raise Failure('the list “Bookings” has no Selection interface')
    if not Atspi.Selection.select_child(booking_list, row.get_index_in_parent()):
        raise Failure('the list refused to select “%s”' % row_name)
    wait_for('“%s” being selected' % row_name,
             lambda: has_state(row, Atspi.StateType.SELECTED))


def open_dialog(app, window, nickname):
    """Activates “Re-invite…” in the details and returns the dialog it opens."""

    def reinvite_button():
        button = find(window, role_named(Atspi.Role.BUTTON, 'Re-invite…'))
        if button is not None and has_state(button, Atspi.StateType.SENSITIVE):
            return button
        return None

    button = wait_for('a sensitive button “Re-invite…” in the details', reinvite_button)
    do_action(button, 'click')

    dialog = wait_for('the dialog “Re-invite Client”', lambda: reinvite_dialog(app))
    wait_for('the dialog naming the client “%s”' % nickname,
             lambda: find(dialog, role_named(Atspi.Role.LABEL, nickname)))
    return dialog


def reinvite_dialog(app):
    return find(app, role_named(Atspi.Role.DIALOG, 'Re-invite Client'))


def send(dialog):
    def send_button():
        button = find(dialog, role_named(Atspi.Role.BUTTON, 'Re-invite'))
        if button is not None and has_state(button, Atspi.StateType.SENSITIVE):
            return button
        return None

    button = wait_for('a sensitive button “Re-invite” in the dialog', send_button)
    do_action(button, 'click')


def main():
    phonechat, home = sys.argv[1], sys.argv[2]
    tap = Tap()
    announcements = []

    def on_announcement(event):
        try:
            if event.source.get_process_id() == app_process.pid:
                announcements.append((event.source.get_role(), event.source.get_name(),
                                      str(event.any_data)))
        except GLib.Error:
            pass

    announcement_listener = Atspi.EventListener.new(on_announcement)
    announcement_listener.register('object:announcement')

    try:
        address = start_bus()
        tap.ok('/a11y/bus', address.split(',')[0])

        start_app(phonechat, home)
        app = wait_for('the application on the accessibility bus', find_application)
        tap.ok('/a11y/application', app.get_name())

        url = wait_for('“Demo sandbox listening on …” from the application', sandbox_url)
        tap.ok('/a11y/sandbox', url)

        def main_window():
            for i in range(app.get_child_count()):
                window = app.get_child_at_index(i)
                if (window is not None and window.get_role() == Atspi.Role.FRAME and
                        window.get_name() == 'PhoneChat'):
                    return window
            return None

        window = wait_for('the window “PhoneChat”', main_window)
        # Results go to the active window as toasts: the user looks at it.
        wait_for('the window “PhoneChat” being active',
                 lambda: has_state(window, Atspi.StateType.ACTIVE))
        tap.ok('/a11y/window/active')

        booking_list = wait_for('the list “Bookings”',
                                lambda: find(window, role_named(Atspi.Role.LIST, 'Bookings')))
        row = wait_for('a booking named “…, can be re-invited” in the list',
                       lambda: find(booking_list, is_reinvitable_row))
        row_name = row.get_name()
        nickname = row_name.split(', ')[0]
        tap.ok('/a11y/bookings/list', row_name)

        select_row(booking_list, row)
        tap.ok('/a11y/bookings/select')

        dialog = open_dialog(app, window, nickname)
        tap.ok('/a11y/reinvite/button')
        tap.ok('/a11y/reinvite/dialog')

        field = wait_for('a text field “Reason” in the dialog',
                         lambda: find(dialog, role_named(Atspi.Role.TEXT, 'Reason')))
        # The dialog puts the keyboard there, for typing at once.
        wait_for('the keyboard focus in “Reason”',
                 lambda: has_state(field, Atspi.StateType.FOCUSED))
        if field.get_editable_text_iface() is None or field.get_text_iface() is None:
            raise Failure('the field “Reason” has no EditableText or Text interface')
        if not Atspi.EditableText.insert_text(field, 0, REASON, len(REASON)):
            raise Failure('the field “Reason” refused the text')
        wait_for('the reason in the field “Reason”',
                 lambda: Atspi.Text.get_text(field, 0, Atspi.Text.get_character_count(field))
                 == REASON)
        tap.ok('/a11y/reinvite/reason')

        send(dialog)
        tap.ok('/a11y/reinvite/send')

        expected = '%s was re-invited' % nickname
        said = wait_for('an announcement “%s”' % expected,
                        lambda: next((a[2] for a in announcements if expected in a[2]), None))
        tap.ok('/a11y/reinvite/announced', said)

        wait_for('the dialog “Re-invite Client” to close', lambda: reinvite_dialog(app) is None)
        tap.ok('/a11y/reinvite/dialog-closed')

        requests = reinvite_requests(url)
        if len(requests) != 1 or requests[0]['status'] != 200:
            raise Failure('the server got %s, not one re-invite answered 200' % requests)
        tap.ok('/a11y/reinvite/sent-once', 'booking %s' % requests[0]['BookingID'])

        def updated_row():
            rows = find_all(booking_list, lambda a: a.get_role() == Atspi.Role.LIST_ITEM and
                            a.get_name().startswith(nickname + ', '))
            names = [r.get_name() for r in rows]
            if names and not any(n.endswith(', can be re-invited') for n in names):
                return names[0]
            return None

        name = wait_for('“%s” no longer named “can be re-invited”' % nickname, updated_row)
        tap.ok('/a11y/bookings/row-updated', name)

        # The server keeps the reason as the booking's; the details read it back.
        wait_for('the reason “%s” in the details' % REASON,
                 lambda: find(window, role_named(Atspi.Role.LABEL, REASON)))
        tap.ok('/a11y/bookings/reason-shown')

        # The server refuses the next re-invite, once.
        sandbox_call(url, '/_sandbox/faults',
                     {'status': {'path': REINVITE_PATH, 'code': 400}, 'times': 1})
        row = wait_for('another booking named “…, can be re-invited” in the list',
                       lambda: find(booking_list, is_reinvitable_row))
        row_name = row.get_name()
        nickname = row_name.split(', ')[0]
        select_row(booking_list, row)
        dialog = open_dialog(app, window, nickname)
        tap.ok('/a11y/reinvite-refused/select', row_name)

        n_announcements = len(announcements)
        send(dialog)
        tap.ok('/a11y/reinvite-refused/send')

        # The dialog stays open with the error, and says it.
        said = wait_for('an announcement from the dialog “Re-invite Client”',
                        lambda: next((a[2] for a in announcements[n_announcements:]
                                      if a[0] == Atspi.Role.DIALOG and
                                      a[1] == 'Re-invite Client'), None))
        if find(dialog, role_named(Atspi.Role.LABEL, said)) is None:
            raise Failure('the dialog announced “%s” but does not show it' % said)
        if reinvite_dialog(app) is None:
            raise Failure('the dialog closed on an error')
        tap.ok('/a11y/reinvite-refused/announced', said)

        requests = reinvite_requests(url)
        if len(requests) != 2 or requests[1]['status'] != 400:
            raise Failure('the server got %s, not one more re-invite answered 400' % requests)
        tap.ok('/a11y/reinvite-refused/sent-once', 'booking %s' % requests[1]['BookingID'])
        return 0
    except Failure as e:
        tap.fail(str(e))
        return 1
    except Exception as e:
        tap.fail('%s: %s' % (type(e).__name__, e))
        traceback.print_exc()
        return 1
    finally:
        announcement_listener.deregister('object:announcement')
        if app_process is not None and app_process.poll() is None:
            app_process.terminate()
            try:
                app_process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                app_process.kill()
                app_process.wait()


if __name__ == '__main__':
    sys.exit(main())
