#!/usr/bin/env python3
"""Writes the package version from Cargo.toml into a built extension's manifest.json.

Cargo.toml is the one version source: the Wasm reports it (the planner page shows it) and the stores read the
manifest's. extension/manifest.json has no version of its own, so the two cannot disagree.
Usage: manifest_version.py CARGO_TOML MANIFEST_JSON
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


def main(cargo_toml: str, manifest_json: str) -> int:
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
    if len(sys.argv) != 3:
        print("usage: manifest_version.py CARGO_TOML MANIFEST_JSON", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
