// The German for the core's texts (ui/core-words.js, shown by the planner page and the extension) held to the core
// itself: every sentence of the built-in catalog, every code the core declares, the right sentence for each error,
// and the same limits.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import init, { catalog, loadCatalog, plan } from "../../pkg/lucs_registrar.js";

// The words in German, without a browser: a stand-in for the <code> elements values are set off as.
globalThis.document = { createElement: () => ({ textContent: "" }) };
const { ERRORS_DE, SENTENCES, STOPS_DE, WARNINGS_DE, coreWords, errorKey } = await import("../../ui/core-words.js");
const { errorParts, stopParts, warningParts } = coreWords(() => "de");

const text = (parts) => parts.map((part) => (typeof part === "string" ? part : part.textContent)).join("");
// A few English words no German sentence has; any of them means the core's English came through.
const ENGLISH = /\b(the|of|to|and|is|are|has|must|not|be|at|with)\b/;

before(async () => {
  await init({ module_or_path: await readFile("pkg/lucs_registrar_bg.wasm") });
});

const everything = () => ({ components: catalog().components.map((c) => ({ code: c.code })), prefix: "LUCS", options: {} });

/** The error plan() throws for `change(request)`, with the request it was given. */
function planError(change) {
  const request = everything();
  change(request);
  try {
    plan(request, null);
  } catch (err) {
    return [err, request];
  }
  assert.fail(`plan() took ${JSON.stringify(request)}`);
}

function catalogError(change) {
  const given = structuredClone(catalog());
  change(given);
  try {
    loadCatalog(given);
  } catch (err) {
    return [err, given];
  }
  assert.fail("loadCatalog() took the catalog");
}

test("every sentence of the built-in catalog and every broad-permission note has its German", () => {
  const sentences = catalog().components
    .flatMap((c) => [c.purpose, ...c.errata, ...c.permissions.map((p) => p.description)]);
  const notes = plan(everything(), null).warnings.filter((w) => w.code === "broadPermission").map((w) => w.message.replace(/^\w+: /, ""));
  assert.ok(notes.length >= 2, notes.join(" | "));
  for (const sentence of [...sentences, ...notes]) assert.ok(SENTENCES.has(sentence), `no German for: ${sentence}`);
});

test("every warning of a plan reads German, filled in from the warning", () => {
  const variants = [{}, { grantAdminConsent: false, createSecret: false }];
  const warnings = variants.flatMap((options) => {
    const request = { ...everything(), options };
    request.components[1].optionalPermissions = options.createSecret === false ? ["Calendars.Read.Shared"] : undefined;
    return plan(request, null).warnings;
  });
  for (const code of Object.keys(WARNINGS_DE).filter((k) => !k.startsWith("optional") && k !== "sentence")) {
    assert.ok(warnings.some((w) => w.code === code), `the variants show ${code}`);
  }
  const optional = warnings.filter((w) => w.code === "optionalPermission").map((w) => text(warningParts(w)));
  assert.deepEqual(optional, [
    "CI: die optionale Berechtigung Calendars.Read.Shared ist nicht enthalten.",
    "CI: die optionale Berechtigung Calendars.Read.Shared ist enthalten.",
  ]);
  for (const w of warnings) {
    const german = text(warningParts(w));
    assert.notEqual(german, w.message);
    assert.doesNotMatch(german, /[{}]|\bCI: The\b/);
    assert.doesNotMatch(german.replace(/\S+\.\S+/g, ""), ENGLISH, german);
  }
});

test("every warning code, error code and stop kind the core declares has a German sentence", async () => {
  const declarations = await readFile("src/lucs_registrar.d.ts", "utf8");
  const union = (name) => [...(new RegExp(`export type ${name} =([^;]+);`).exec(declarations)?.[1] ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1]);
  for (const code of union("WarningCode")) {
    assert.ok(["erratum", "broadPermission", "optionalPermission"].includes(code) || WARNINGS_DE[code], `warning ${code}`);
  }
  assert.ok(union("ErrorCode").length > 20);
  for (const code of union("ErrorCode")) assert.ok(ERRORS_DE[code], `error ${code}`);
  assert.ok(union("StopKind").length > 5);
  for (const kind of union("StopKind")) {
    const stop = { code: "runStopped", kind, key: "lucs-ac", message: "Microsoft Graph kept refusing the request" };
    assert.equal(text(stopParts(stop)), `${STOPS_DE[kind]} (App lucs-ac)`, `stop ${kind}`);
    assert.doesNotMatch(STOPS_DE[kind], ENGLISH);
  }
});

// Each case: how to break the input, the German sentence it must get, and (in that sentence) a limit the core's
// English names too — so a changed limit in the core fails here instead of being misstated in German.
const REQUEST_CASES = [
  ["21 instances", (r) => (r.components[3].instances = Array.from({ length: 21 }, (_, i) => `${i + 1}`)), "tooManyInstances", "20"],
  ["a blank label", (r) => (r.components[3].instances = ["a", " "]), "invalidInstanceLabel.blank"],
  ["no labels", (r) => (r.components[3].instances = []), "invalidInstanceLabel.empty"],
  ["a label with a slash", (r) => (r.components[3].instances = ["a/b"]), "invalidInstanceLabel", "32"],
  ["a label twice", (r) => (r.components[3].instances = ["a", "A"]), "duplicateInstance"],
  ["instances of a single-instance component", (r) => (r.components[0].instances = ["a"]), "singleInstanceComponent"],
  ["a bad prefix", (r) => (r.prefix = "LU'CS"), "invalidPrefix"],
  ["a long prefix", (r) => (r.prefix = "L".repeat(41)), "nameTooLong.prefix", "40"],
  ["a long display name", (r) => {
    r.prefix = "L".repeat(40);
    r.components[3].instances = ["a".repeat(32)];
  }, "nameTooLong", "64"],
  ["an http redirect URI", (r) => (r.components[3].redirectUris = { web: ["http://contoso.com/cb"] }), "invalidRedirectUri"],
  ["a long redirect URI", (r) => (r.components[3].redirectUris = { web: [`https://contoso.com/${"a".repeat(250)}`] }), "invalidRedirectUri", "256"],
  ["a redirect URI twice", (r) => (r.components[3].redirectUris = { spa: ["https://a.example/x", "https://a.example/x"] }), "invalidRedirectUri.twice"],
  ["a lifetime of 30 months", (r) => (r.options.secretLifetimeMonths = 30), "secretLifetimeOutOfRange", "24"],
  ["a lifetime of 1.5 months", (r) => (r.options.secretLifetimeMonths = 1.5), "secretLifetimeOutOfRange"],
  ["no components", (r) => (r.components = []), "noComponents"],
  ["an unknown component", (r) => (r.components[0].code = "XX"), "unknownComponent"],
  ["a component twice", (r) => r.components.push({ code: "AC" }), "duplicateComponent"],
  ["an unknown optional permission", (r) => (r.components[1].optionalPermissions = ["Mail.Send"]), "unknownPermission"],
  ["an unknown field", (r) => (r.colour = "red"), "unknownField"],
  ["a missing component code", (r) => delete r.components[0].code, "invalidInput.missing"],
];

const CATALOG_CASES = [
  ["a wrong kind", (c) => (c.components[0].permissions[0].kind = "Scope"), "unknownKind"],
  ["a blank name", (c) => (c.components[1].name = ""), "invalidCatalog.name"],
  ["a long name", (c) => (c.components[1].name = "n".repeat(81)), "invalidCatalog.name", "80"],
  ["a long purpose", (c) => (c.components[1].purpose = "p".repeat(301)), "invalidCatalog.purpose", "300"],
  ["a long erratum", (c) => (c.components[1].errata = ["e".repeat(601)]), "invalidCatalog.errata", "600"],
  ["a long description", (c) => (c.components[1].permissions[0].description = "d".repeat(301)), "invalidCatalog.description", "300"],
  ["a blank profile", (c) => (c.profile = ""), "invalidCatalog.profile"],
  ["a long code", (c) => (c.components[1].code = "C".repeat(25)), "invalidCatalog.code", "24"],
  ["a code twice", (c) => (c.components[1].code = c.components[0].code), "invalidCatalog.code"],
  ["no components", (c) => (c.components = []), "invalidCatalog.components"],
  ["a permission without any", (c) => (c.components[1].permissions = []), "emptyComponent"],
  ["a permission twice", (c) => c.components[0].permissions.push(c.components[0].permissions[0]), "duplicatePermission"],
  ["a bad permission name", (c) => (c.components[0].permissions[0].value = "Mail Send"), "invalidCatalog.value"],
  ["a bad GUID", (c) => (c.components[0].permissions[0].id = "not-a-guid"), "invalidGuid"],
  ["one permission with two ids", (c) => (c.components[3].permissions[0].id = "00000000-0000-0000-0000-000000000001"), "invalidCatalog.id"],
  ["an application permission without admin consent", (c) => (c.components[2].permissions[0].adminConsentRequired = false), "invalidCatalog.adminConsentRequired"],
  ["a control character", (c) => (c.components[1].name = "a\u0007b"), "invalidText"],
  ["too many components", (c) => (c.components = Array.from({ length: 201 }, (_, i) => ({ ...c.components[0], code: `C${i}` }))), "tooLarge.components", "200"],
  ["too many errata", (c) => (c.components[1].errata = Array(21).fill("e")), "tooLarge.errata", "20"],
];

for (const [what, change, key, limit] of REQUEST_CASES) {
  test(`a request with ${what} gets the German sentence ${key}`, () => {
    const [err, request] = planError(change);
    assert.equal(errorKey(err, request), key, `${err.code} at ${err.field}: ${err.message}`);
    const german = text(errorParts(err, request));
    assert.doesNotMatch(german, /[{}]/, german);
    assert.doesNotMatch(german, ENGLISH, german);
    if (limit) {
      assert.ok(ERRORS_DE[key].includes(limit), `${key} names ${limit}`);
      assert.match(err.message, new RegExp(`\\b${limit}\\b`), "and the core's message names it too");
    }
  });
}

for (const [what, change, key, limit] of CATALOG_CASES) {
  test(`a catalog with ${what} gets the German sentence ${key}`, () => {
    const [err, given] = catalogError(change);
    assert.equal(errorKey(err, given), key, `${err.code} at ${err.field}: ${err.message}`);
    const german = text(errorParts(err, given, { withField: true }));
    assert.ok(german.startsWith(err.field), german);
    assert.doesNotMatch(german, /[{}]/, german);
    assert.doesNotMatch(german, ENGLISH, german);
    if (limit) {
      assert.ok(ERRORS_DE[key].includes(limit), `${key} names ${limit}`);
      assert.match(err.message, new RegExp(`\\b${limit}\\b`), "and the core's message names it too");
    }
  });
}
