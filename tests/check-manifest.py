#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifests offline (no SDK can be installed on CI): the local one
(com.example.PhoneChat.json, built from this folder) and the release one
(build-aux/com.example.PhoneChat.release.json, built from the release's git tag). Each
must be valid JSON, valid against flatpak-builder's manifest schema, accepted by
flatpak-builder --show-manifest without a word on stderr, and consistent with the meson
build (app id, command, build system, the demo server not installed, sandbox
permissions). The two must differ only in the app module's sources, and the release's
tag must be this version. TAP output.

  check-manifest.py LOCAL RELEASE SCHEMA APP_ID COMMAND VERSION"""

import copy
import json
import re
import subprocess
import sys

local_path, release_path, schema_path, app_id, command, version = sys.argv[1:7]
checks = []


def check(name, ok, detail=""):
    checks.append((name, ok, detail))


try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(0)

with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)

EXPECTED_ARGS = {"--share=network", "--share=ipc", "--socket=fallback-x11",
                 "--socket=wayland", "--device=dri"}


def check_manifest(kind, path):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    check(f"{kind}/json", True)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(manifest), key=str)
    check(f"{kind}/schema", not errors, "; ".join(e.message for e in errors[:3]))
    try:
        proc = subprocess.run(["flatpak-builder", "--show-manifest", path],
                              capture_output=True, text=True)
        check(f"{kind}/flatpak-builder-show-manifest",
              proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr.strip()[:300])
    except FileNotFoundError:
        check(f"{kind}/flatpak-builder-show-manifest", False, "flatpak-builder is not installed")
    check(f"{kind}/app-id", manifest.get("app-id") == app_id,
          f"{manifest.get('app-id')} != {app_id}")
    check(f"{kind}/command", manifest.get("command") == command,
          f"{manifest.get('command')} != {command}")
    runtime_version = manifest.get("runtime-version", "0")
    check(f"{kind}/runtime", manifest.get("runtime") == "org.gnome.Platform"
          and manifest.get("sdk") == "org.gnome.Sdk"
          and runtime_version.isdigit() and int(runtime_version) >= 50, runtime_version)
    app_module = manifest["modules"][-1]
    check(f"{kind}/meson-module", app_module.get("buildsystem") == "meson"
          and app_module.get("name") == "phonechat")
    check(f"{kind}/no-sandbox-installed",
          "-Dinstall-sandbox=false" in app_module.get("config-opts", []),
          str(app_module.get("config-opts")))
    check(f"{kind}/finish-args", set(manifest.get("finish-args", [])) == EXPECTED_ARGS,
          str(manifest.get("finish-args")))
    return manifest


local = check_manifest("local", local_path)
release = check_manifest("release", release_path)

local_sources = local["modules"][-1].get("sources", [])
check("local/source-is-this-folder",
      local_sources == [{"type": "dir", "path": "."}], str(local_sources))

release_sources = release["modules"][-1].get("sources", [])
source = release_sources[0] if len(release_sources) == 1 else {}
if source.get("type") == "git":
    commit = source.get("commit")
    ok = (source.get("url", "").startswith("https://")
          and source.get("tag") == version
          and (commit is None or re.fullmatch(r"[0-9a-f]{40}", commit) is not None))
elif source.get("type") == "archive":
    ok = (source.get("url", "").startswith("https://") and version in source.get("url", "")
          and re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")) is not None)
else:
    ok = False
check("release/source-is-the-release", ok, str(release_sources))


def without_app_sources(manifest):
    manifest = copy.deepcopy(manifest)
    manifest["modules"][-1].pop("sources", None)
    return manifest


check("release/same-as-local-but-sources",
      without_app_sources(local) == without_app_sources(release),
      "the manifests differ in more than the app module's sources")

print(f"1..{len(checks)}")
failed = 0
for i, (name, ok, detail) in enumerate(checks, 1):
    if ok:
        print(f"ok {i} /flatpak/manifest/{name}")
    else:
        failed += 1
        print(f"not ok {i} /flatpak/manifest/{name} # {detail}")
sys.exit(1 if failed else 0)
