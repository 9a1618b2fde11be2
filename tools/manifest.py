#!/usr/bin/env python3
"""Makes a browser's manifest.json from the one source manifest: Cargo.toml's package version written in, and the
keys only the other browser reads left out.

Cargo.toml is the one version source: the Wasm reports it (the planner page shows it) and the stores read the
manifest's. extension/manifest.json has no version of its own, so the two cannot disagree. The source manifest
serves both browsers (Ruffle's way: one manifest, transformed per target); each build drops what its browser
ignores, so neither store's linter warns about the other's keys.
Usage: manifest.py CARGO_TOML MANIFEST_JSON chrome|firefox
"""
import json
import re
import sys
import tomllib

# Chrome accepts one to four dot-separated integers from 0 to 65535 without leading zeros, and Firefox a subset of
# that is fine too; a semver pre-release or build suffix is refused by both.
# https://developer.chrome.com/docs/extensions/reference/manifest/version
# https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/version
VERSION = re.compile(r"^(0|[1-9][0-9]{0,4})(\.(0|[1-9][0-9]{0,4})){0,3}$")


def is_manifest_version(version: object) -> bool:
    return isinstance(version, str) and bool(VERSION.match(version)) and all(
        int(part) <= 65535 for part in version.split(".")
    )


# What each browser ignores: Firefox runs `background.scripts` as an event page and ignores `service_worker`
# (web-ext lint: BACKGROUND_SERVICE_WORKER_IGNORED); Chromium runs the service worker and has no use for `scripts`
# or the gecko settings.
OTHERS_KEYS = {
    "chrome": [("background", "scripts"), ("browser_specific_settings",)],
    "firefox": [("background", "service_worker"), ("minimum_chrome_version",)],
}


def drop(manifest: dict, path: tuple) -> None:
    *parents, last = path
    node = manifest
    for key in parents:
        node = node.get(key, {})
    node.pop(last, None)


def main(cargo_toml: str, manifest_json: str, target: str) -> int:
    if target not in OTHERS_KEYS:
        print(f"target must be one of {', '.join(OTHERS_KEYS)}, not {target!r}", file=sys.stderr)
        return 2
    with open(cargo_toml, "rb") as f:
        version = tomllib.load(f).get("package", {}).get("version")
    if not is_manifest_version(version):
        print(f"{cargo_toml}: package.version {version!r} is not a manifest version (1 to 4 integers, each at most 65535)", file=sys.stderr)
        return 1
    with open(manifest_json, encoding="utf-8") as f:
        manifest = json.load(f)
    if "version" in manifest:
        print(f"{manifest_json}: has a version of its own; Cargo.toml's package.version is the only one", file=sys.stderr)
        return 1
    for path in OTHERS_KEYS[target]:
        drop(manifest, path)
    # Right after manifest_version, where the stores and readers look for it.
    stamped = {}
    for key, value in manifest.items():
        stamped[key] = value
        if key == "manifest_version":
            stamped["version"] = version
    with open(manifest_json, "w", encoding="utf-8") as f:
        json.dump(stamped, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: manifest.py CARGO_TOML MANIFEST_JSON chrome|firefox", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
