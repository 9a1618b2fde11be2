// What the background hands the popup and the confirmation window to draw (extension/runs/views.js), held to plans
// the core makes: the same figures the popup drew from the plan before, and never a plan, an application body, a
// grant or a journal. And the popup itself: no message it sends, no state it keeps, carries a plan; popup.html
// preloads exactly the modules popup.js imports.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import init, { catalog, plan } from "../../pkg/lucs_registrar.js";
import { appProgress, grantCounts, rollbackTargets } from "../../extension/runs/model.js";
import { sameRequests } from "../../extension/runs/rules.js";
import { STATUS } from "../../extension/runs/status.js";
import { checkView, choiceView, keptView, requestsId, runView } from "../../extension/runs/views.js";

before(async () => {
  await init({ module_or_path: await readFile("pkg/lucs_registrar_bg.wasm") });
});

const codes = () => catalog().components.map((c) => c.code);
const planOf = (n, options = {}) => plan({ components: codes().slice(0, n).map((code) => ({ code })), prefix: "LUCS", options });
const choiceOf = (p) => ({ id: "c1", request: { components: [] }, plan: p });

// Field names only a plan, a Graph body or a journal has: a view holding one of them holds what the pages must not.
const PLAN_FIELDS = new Set(["plan", "application", "permissions", "delegatedGrants", "appRoleAssignments",
  "requiredResourceAccess", "discovery", "secretText"]);
function planFieldsIn(value, path = "") {
  if (Array.isArray(value)) return value.flatMap((v, i) => planFieldsIn(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [...(PLAN_FIELDS.has(k) ? [`${path}.${k}`] : []), ...planFieldsIn(v, `${path}.${k}`)]);
}

const record = (key, patch = {}) => ({
  key, existed: false, objectId: null, appId: null, appDone: false, servicePrincipalId: null,
  servicePrincipalCreated: false, grants: [], assignments: [], consentDone: false, secretKeyId: null, ...patch,
});

test("the choice's view says per app what it is granted, counts as the plan does, and holds no plan", () => {
  const p = planOf(4, { grantAdminConsent: true });
  const v = choiceView(choiceOf(p));
  assert.deepEqual(planFieldsIn(v), []);
  assert.equal(v.id, "c1");
  assert.deepEqual(v.counts, grantCounts(p));
  assert.deepEqual(v.apps.map((a) => a.key), p.applications.map((a) => a.key));
  for (const [i, a] of p.applications.entries()) {
    const shown = v.apps[i];
    assert.equal(shown.displayName, a.displayName);
    assert.deepEqual(shown.delegatedNames, a.permissions.filter((x) => x.kind === "delegated").map((x) => x.value));
    assert.deepEqual(shown.applicationNames, a.permissions.filter((x) => x.kind === "application").map((x) => x.value));
    assert.equal(shown.createSecret, a.createSecret);
    assert.equal(shown.secretLifetimeMonths, a.secretLifetimeMonths);
  }
  assert.deepEqual(v.warnings, p.warnings, "the core's warnings, worded by the popup");
});

test("two views ask the same exactly when their plans ask Graph the same", () => {
  const p = planOf(3);
  const reworded = { ...p, warnings: [{ code: "reworded", component: null, message: "x" }] };
  assert.ok(sameRequests(p, reworded));
  assert.equal(requestsId(p), requestsId(reworded));
  const renamed = structuredClone(p);
  renamed.applications[0].application.displayName += " 2";
  assert.equal(sameRequests(p, renamed), false);
  assert.notEqual(requestsId(p), requestsId(renamed));
  assert.notEqual(requestsId(p), requestsId(planOf(2)));
  assert.notEqual(requestsId(p), requestsId(planOf(3, { createSecret: false })));
  assert.equal(choiceView(choiceOf(p)).requests, runView({ id: "r", status: STATUS.running, plan: p, progress: [] }).requests);
});

test("a check's view keeps the existing apps' secrets out of the counts and names the foreign ones", () => {
  const p = planOf(3);
  const [a, b, c] = p.applications.map((x) => x.key);
  const report = { applications: [
    { key: a, displayName: "A", status: "create" },
    { key: b, displayName: "B", status: "ok", existing: { key: b, standing: "own" } },
    { key: c, displayName: "C", status: "change", existing: { key: c, standing: "foreign", owners: [] } },
  ] };
  const v = checkView(choiceOf(p), "t1", report);
  assert.deepEqual(planFieldsIn(v), []);
  assert.equal(v.choice, "c1");
  assert.equal(v.tid, "t1");
  assert.deepEqual(v.existing, [b, c]);
  assert.deepEqual(v.counts, grantCounts(p, new Set([b, c])));
  assert.deepEqual(v.foreign.map((e) => e.key), [c]);
  assert.equal(v.nothingToChange, false);
  const allOk = { applications: p.applications.map((x) => ({ key: x.key, status: "ok" })) };
  assert.equal(checkView(choiceOf(p), "t1", allOk).nothingToChange, true);
});

test("the run's view says where each app stands and what a rollback deletes, without its plan or journal", () => {
  const p = planOf(2);
  const [a, b] = p.applications.map((x) => x.key);
  const journal = { apps: [record(a, { objectId: "o1", appDone: true }), record(b)] };
  const run = { id: "r1", tid: "t1", job: "register", status: STATUS.stopped, plan: p, journal, progress: [], report: null,
    error: "stopped", stopKind: null, stopKey: b, foreign: null, graphBaseUrl: "https://graph.microsoft.com/v1.0" };
  const v = runView(run);
  assert.deepEqual(planFieldsIn(v), []);
  assert.equal("journal" in v, false, "the journal stays with the background until the report carries it");
  assert.deepEqual(v.rows, appProgress(run));
  assert.deepEqual(v.apps.map((x) => x.key), [a, b]);
  assert.equal(v.apps[0].component, p.applications[0].component, "the confirmation window names the component");
  assert.deepEqual(v.targets, rollbackTargets(journal, new Map(p.applications.map((x) => [x.key, x.displayName]))));
  assert.equal(v.targets.deleted[0].displayName, p.applications[0].displayName);
  assert.equal(v.madeNothing, false);
  assert.equal(v.secretsMade, 0);
  assert.equal(v.stopKey, b);
  assert.equal(runView(null), null);
  // A finished run's report carries its journal (the admin downloads it); the view keeps the report as it is.
  const done = runView({ ...run, status: STATUS.done, report: { applications: [], journal: { apps: [record(a, { secretKeyId: "k" })] } } });
  assert.equal(done.secretsMade, 1);
  assert.ok(done.report.journal);
});

test("the kept runs' view lists the run going apart, names the last run's apps, and holds no plan", () => {
  const p = planOf(1);
  const [a] = p.applications.map((x) => x.key);
  const journal = { apps: [record(a, { objectId: "o1", appDone: true })] };
  const entry = (id, patch = {}) => ({ id, at: 1, tid: "t1", job: "register", status: STATUS.done, journal, plan: p, ...patch });
  const list = [entry("r2", { status: STATUS.running }), entry("r1"), entry("r0", { status: STATUS.rolledBack, rolledBack: { deleted: ["application x"] } })];
  const going = { id: "r2", status: STATUS.running, plan: p };
  const v = keptView(list, going);
  assert.deepEqual(planFieldsIn(v), []);
  assert.deepEqual(v.map((r) => r.id), ["r2", "r1", "r0"]);
  assert.equal(v[0].canRollBack, false, "the run going is not rolled back from the list");
  assert.equal(v[1].canRollBack, true);
  assert.equal(v[0].targets.deleted[0].displayName, p.applications[0].displayName, "the run going last is named");
  assert.equal(v[1].targets.deleted[0].displayName, null, "a kept journal holds keys only");
  assert.deepEqual(v[2].rolledBack, { deleted: ["application x"] });
  assert.equal(v[1].rolledBack, null);
  // With no run going, the one that was is interrupted and may be rolled back.
  const after = keptView(list, null);
  assert.equal(after[0].status, STATUS.interrupted);
  assert.equal(after[0].canRollBack, true);
  assert.deepEqual(keptView(undefined), []);
});

// ---- The popup's own source ------------------------------------------------------------------------------------
const popupFiles = async () => ["extension/popup.js", ...(await readdir("extension/popup")).filter((f) => f.endsWith(".js")).map((f) => `extension/popup/${f}`)];

// The fields the popup's messages may carry: ids, keys, the tenant, the request on screen, the IDs to export.
const MESSAGE_FIELDS = new Set(["type", "request", "tid", "choice", "confirmedTenant", "adopt", "id", "run", "format", "results", "keyIds"]);

test("no message the popup sends carries a plan, and no popup state reads one", async () => {
  const sent = [];
  for (const file of await popupFiles()) {
    // Code only: the comments may well speak of the plan.
    const text = (await readFile(file, "utf8")).replace(/^\s*\/\/.*$/gm, "");
    assert.doesNotMatch(text, /\.plan\b|\bplan\s*:/, `${file} reads or builds a plan`);
    if (!file.endsWith("state.js")) assert.doesNotMatch(text, /sendMessage\(/, `${file} sends past ask()`);
    for (const m of text.matchAll(/ask\(\{([^}]*)\}\)/g)) {
      const fields = [...m[1].matchAll(/(?:^|,)\s*(?:\.\.\.\s*\w+\(\)|(\w+)\s*(?=[:,]|$))/g)].map((f) => f[1]).filter(Boolean);
      sent.push(...fields.map((f) => [file, f]));
    }
  }
  assert.ok(sent.some(([, f]) => f === "choice"), "the popup's messages were found");
  for (const [file, field] of sent) assert.ok(MESSAGE_FIELDS.has(field), `${file} sends a field ${field}`);
});

test("popup.html preloads exactly the modules popup.js imports, at every depth", async () => {
  // The build copies ui/ beside the extension's files: extension/ui/x is ui/x here.
  const onDisk = (path) => (path.startsWith("ui/") ? path : join("extension", path));
  const found = new Set();
  async function walk(path) {
    const text = await readFile(onDisk(path), "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
      const next = normalize(join(dirname(path), m[1]));
      if (found.has(next)) continue;
      found.add(next);
      await walk(next);
    }
  }
  await walk("popup.js");
  const html = await readFile("extension/popup.html", "utf8");
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.equal(new Set(preloaded).size, preloaded.length, "each module once");
  assert.deepEqual([...preloaded].sort(), [...found].sort(), "popup.html's modulepreload links must list every module popup.js imports");
});
