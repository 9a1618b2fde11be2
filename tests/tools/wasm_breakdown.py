"""Sums twiggy's CSV (stdin) by crate and lists the largest items: where the Wasm's bytes go."""
import collections
import csv
import re
import sys

rows = [r for r in csv.DictReader(sys.stdin) if not r["Name"].startswith('"function names"')]
crates = collections.Counter()
pattern = re.compile(r"\b(serde_json|serde_wasm_bindgen|serde_core|serde|lucs_registrar|dlmalloc|hashbrown|"
                     r"wasm_bindgen|js_sys|web_sys|gloo_net|zmij|uuid|core|alloc|std)\b")
for r in rows:
    m = pattern.search(r["Name"])
    crates[m.group(1) if m else ("data" if r["Name"].startswith("data") else "other")] += int(r["ShallowSize"])
for name, size in crates.most_common():
    print(f"{name:22}{size:>8}")
print()
for r in sorted(rows, key=lambda r: -int(r["ShallowSize"]))[:25]:
    print(f'{int(r["ShallowSize"]):>8}  {r["Name"][:140]}')
