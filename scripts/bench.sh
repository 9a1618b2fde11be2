#!/usr/bin/env bash
# Prints measured budgets as name=value lines. Wasm sizes are of pkg/ after wasm-opt (run `make build` first).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=pkg/lucs_registrar_bg.wasm
echo "wasm_raw_bytes=$(wc -c < "$wasm")"
echo "wasm_gzip_bytes=$(gzip -9 -c "$wasm" | wc -c)"
echo "js_glue_raw_bytes=$(wc -c < pkg/lucs_registrar.js)"
