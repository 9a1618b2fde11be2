#!/usr/bin/env bash
# Where the Wasm's bytes go, by crate, after wasm-opt (names kept for the count only). Needs `cargo install twiggy`.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
wasm-bindgen --target web --keep-debug --out-dir "$tmp" target/wasm32-unknown-unknown/release/lucs_registrar.wasm
npx wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$tmp/lucs_registrar_bg.wasm" -o "$tmp/named.wasm"
twiggy top -n 100000 -f csv "$tmp/named.wasm" > "$tmp/top.csv"
python3 - "$tmp/top.csv" "${1:-0}" <<'PY'
import csv, re, sys, collections
rows = [r for r in csv.DictReader(open(sys.argv[1])) if not r["Name"].startswith('"function names"')]
crates = collections.Counter()
for r in rows:
    m = re.search(r"\b(serde_json|serde_wasm_bindgen|serde_core|serde|lucs_registrar|dlmalloc|hashbrown|wasm_bindgen|js_sys|web_sys|gloo_net|zmij|uuid|core|alloc|std)\b", r["Name"])
    crates[m.group(1) if m else ("data" if r["Name"].startswith("data") else "other")] += int(r["ShallowSize"])
for k, v in crates.most_common():
    print(f"{k:22}{v:>8}")
for r in sorted(rows, key=lambda r: -int(r["ShallowSize"]))[: int(sys.argv[2])]:
    print(f'{int(r["ShallowSize"]):>8}  {r["Name"][:140]}')
PY
rm -rf "$tmp"
