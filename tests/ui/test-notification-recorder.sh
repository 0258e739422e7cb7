#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# notification-recorder under the suite's session bus: it owns the name, prints each
# Notify and CloseNotification call as one JSON line, answers Notify with an id, and
# InvokeAction clicks an open notification.
set -u
recorder="$1"
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "DBUS_SESSION_BUS_ADDRESS is unset: run the suite under dbus-run-session" >&2
  exit 1
fi

"$recorder" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do
  grep -q ready "$dir/err" && break
  sleep 0.1
done
grep -q ready "$dir/err" || { cat "$dir/err"; exit 1; }

reply=$(gdbus call --session --dest org.freedesktop.Notifications \
  --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.Notify -- \
  'Tester' 0 '' 'Hello "there"' 'A body' '["default", "", "app.go", "Go"]' \
  '{"desktop-entry": <"com.example.Test">}' -1) || exit 1
echo "reply: $reply"
[ "$reply" = "(uint32 1,)" ] || exit 1

invoke() {
  gdbus call --session --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications \
    --method com.example.PhoneChat.NotificationRecorder.InvokeAction "$1" 'app.go'
}
# Signals go to the notification's sender only (as GLib expects since CVE-2024-34397):
# here that is gone, so only the bookkeeping can be seen. The click closes it.
invoke 1 || exit 1
if invoke 1 2>/dev/null; then echo "invoked a closed notification" >&2; exit 1; fi

gdbus call --session --dest org.freedesktop.Notifications \
  --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.CloseNotification 7 || exit 1

# A second daemon does not wait for the name: it says so and exits 1.
if "$recorder" --body-markup 2>"$dir/err2"; then echo "a second recorder ran" >&2; exit 1; fi
grep -q "cannot own org.freedesktop.Notifications" "$dir/err2" || exit 1

caps=$(gdbus call --session --dest org.freedesktop.Notifications \
  --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.GetCapabilities) || exit 1
echo "capabilities: $caps"
[ "$caps" = "(['actions', 'body'],)" ] || exit 1

cat "$dir/out"
grep -q '"call":"Notify","id":1' "$dir/out" || exit 1
grep -q '"summary":"Hello \\"there\\""' "$dir/out" || exit 1
grep -q '"actions":\["default","","app.go","Go"\]' "$dir/out" || exit 1
grep -q '"desktop-entry":"com.example.Test"' "$dir/out" || exit 1
grep -q '"call":"CloseNotification","id":7' "$dir/out" || exit 1
echo ok
