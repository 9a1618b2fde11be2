// The hand-written declarations must name exactly the functions the Wasm exports (wasm-bindgen's generated
// declarations list them), so neither can drift from the other.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const names = (file) =>
  [...readFileSync(file, "utf8").matchAll(/^export (default )?function (\w+)/gm)].map((m) => (m[1] ? "default" : m[2])).sort();

const declared = names("src/lucs_registrar.d.ts");
const generated = names("pkg/lucs_registrar.generated.d.ts");
assert.deepEqual(declared, generated, "src/lucs_registrar.d.ts and the Wasm exports differ");
console.log(`declarations match the Wasm exports: ${declared.join(", ")}`);
