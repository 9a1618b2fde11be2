// The extension's Wasm (built without the `exports` and `custom-catalogs` features) plans the built-in catalog
// and makes the IDs CSV; what only the planner page offers is refused by name rather than missing.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { initSync, plan, loadCatalog, exportPlan, catalog } from "../../target/pkg-extension/lucs_registrar.js";

initSync({ module: readFileSync(new URL("../../target/pkg-extension/lucs_registrar_bg.wasm", import.meta.url)) });

const request = { components: [{ code: "CR" }] };

test("the built-in catalog is planned", () => {
  const made = plan(request);
  assert.ok(made.applications.length > 0);
  assert.match(exportPlan(made, "ids-csv"), /^CR,1,/m);
});

test("a custom catalog is refused, naming the field", () => {
  for (const call of [() => plan(request, catalog()), () => loadCatalog(catalog())]) {
    assert.throws(call, (e) => e.code === "invalidInput" && e.field === "catalog" && /planner page/.test(e.message));
  }
});

test("the scripts are refused, naming the format", () => {
  assert.throws(() => exportPlan(plan(request), "terraform"), (e) => e.code === "unknownFormat" && e.field === "format");
});
