// ui/ is shown by the popup and by the planner page: each word it asks for reads the same in both, in every
// language both offer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { WORDS } from "../../www/words.js";

test("every word ui/ asks for is in the page's words and the extension's locales, worded alike", async () => {
  const source = await readFile("ui/ui.js", "utf8");
  const keys = new Set([...source.matchAll(/\bt\("([A-Za-z_]+)"\)/g)].map((m) => m[1]));
  // Progress reasons are asked for by name (`reason_${e.reason}`): every reason the engine gives, as declared (the
  // declarations are held to the engine's enum word for word).
  const declared = /export type RetryReason = ([^;]+);/.exec(await readFile("src/lucs_registrar.d.ts", "utf8"))?.[1];
  assert.ok(declared, "src/lucs_registrar.d.ts declares RetryReason");
  for (const [, reason] of declared.matchAll(/"([a-z]+)"/g)) keys.add(`reason_${reason}`);
  // The same for the stage and status words of every progress line.
  const declarations = await readFile("src/lucs_registrar.d.ts", "utf8");
  for (const [type, prefix] of [["StageName", "stage_"], ["EventStatus", "status_"]]) {
    const words = new RegExp(`export type ${type} = ([^;]+);`).exec(declarations)?.[1];
    assert.ok(words, `src/lucs_registrar.d.ts declares ${type}`);
    for (const [, word] of words.matchAll(/"([A-Za-z]+)"/g)) keys.add(`${prefix}${word}`);
  }
  assert.ok(keys.has("stage_servicePrincipals") && keys.has("status_retrying"), [...keys].join(", "));
  assert.ok(keys.has("reason_replication"), [...keys].join(", "));
  assert.ok(keys.has("copy") && keys.has("appId") && keys.has("attempt"), [...keys].join(", "));
  for (const lang of ["en", "de"]) {
    const locale = JSON.parse(await readFile(`extension/_locales/${lang}/messages.json`, "utf8"));
    for (const key of keys) {
      assert.ok(WORDS[lang][key], `www/i18n.js ${lang} lacks ${key}`);
      assert.equal(WORDS[lang][key], locale[key]?.message, `${lang} ${key}`);
    }
  }
});
