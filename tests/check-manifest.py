#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest offline (no SDK can be installed on CI):
valid JSON, valid against flatpak-builder's manifest schema, accepted by
flatpak-builder --show-manifest without a word on stderr, and consistent with the
meson build (app id, command, build system, the demo server not installed, sandbox
permissions). TAP output."""

import json
import subprocess
import sys

manifest_path, schema_path, app_id, command = sys.argv[1:5]
checks = []


def check(name, ok, detail=""):
    checks.append((name, ok, detail))


with open(manifest_path, encoding="utf-8") as f:
    manifest = json.load(f)
check("json", True)

try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(0)

with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(manifest), key=str)
check("schema", not errors, "; ".join(e.message for e in errors[:3]))

try:
    proc = subprocess.run(["flatpak-builder", "--show-manifest", manifest_path],
                          capture_output=True, text=True)
    check("flatpak-builder-show-manifest", proc.returncode == 0 and proc.stderr.strip() == "",
          proc.stderr.strip()[:300])
except FileNotFoundError:
    check("flatpak-builder-show-manifest", False, "flatpak-builder is not installed")

check("app-id", manifest.get("app-id") == app_id, f"{manifest.get('app-id')} != {app_id}")
check("command", manifest.get("command") == command, f"{manifest.get('command')} != {command}")
runtime_version = manifest.get("runtime-version", "0")
check("runtime", manifest.get("runtime") == "org.gnome.Platform"
      and manifest.get("sdk") == "org.gnome.Sdk"
      and runtime_version.isdigit() and int(runtime_version) >= 50, runtime_version)
app_module = manifest["modules"][-1]
check("meson-module", app_module.get("buildsystem") == "meson"
      and app_module.get("name") == "phonechat")
check("no-sandbox-installed", "-Dinstall-sandbox=false" in app_module.get("config-opts", []),
      str(app_module.get("config-opts")))
expected_args = {"--share=network", "--share=ipc", "--socket=fallback-x11",
                 "--socket=wayland", "--device=dri"}
check("finish-args", set(manifest.get("finish-args", [])) == expected_args,
      str(manifest.get("finish-args")))

print(f"1..{len(checks)}")
failed = 0
for i, (name, ok, detail) in enumerate(checks, 1):
    if ok:
        print(f"ok {i} /flatpak/manifest/{name}")
    else:
        failed += 1
        print(f"not ok {i} /flatpak/manifest/{name} # {detail}")
sys.exit(1 if failed else 0)
