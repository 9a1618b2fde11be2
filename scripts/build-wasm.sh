#!/usr/bin/env bash
# Release Wasm → wasm-bindgen (--target web) → wasm-opt -Oz → pkg/, with the hand-written declarations.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown --lib
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/lucs_registrar.wasm
npx wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  pkg/lucs_registrar_bg.wasm -o pkg/lucs_registrar_bg.wasm
# wasm-bindgen's own declarations say `any`; ours are the contract.
mv pkg/lucs_registrar.d.ts pkg/lucs_registrar.generated.d.ts
cp src/lucs_registrar.d.ts pkg/lucs_registrar.d.ts
rm -f pkg/lucs_registrar_bg.wasm.d.ts
echo "built pkg/ ($(wc -c < pkg/lucs_registrar_bg.wasm) bytes of wasm)"
