// A run's rules, held to plans the core makes: which stopped run a Register goes on from, what a run record shows
// of a report, what Apply may discard, what may be rolled back.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import init, { catalog, plan } from "../../pkg/lucs_registrar.js";
import { applyRefusal, planRequests, resumeOf, rollbackRefusal, sameRequests, shownReport } from "../../extension/runs/rules.js";
import { STATUS } from "../../extension/runs/status.js";

before(async () => {
  await init({ module_or_path: await readFile("pkg/lucs_registrar_bg.wasm") });
});

const codes = () => catalog().components.map((c) => c.code);
const planOf = (n, options = {}) => plan({ components: codes().slice(0, n).map((code) => ({ code })), prefix: "LUCS", options });
const journal = { apps: [{ key: "lucs-x", appDone: true }] };
const stopped = (p, patch = {}) => ({ id: "r1", startedAt: 1, tid: "t1", job: "register", plan: p, journal, status: STATUS.stopped, ...patch });

// The same object with its keys written in the opposite order, all the way down.
function reordered(value) {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reordered(value[k])]));
  return value;
}

test("a plan asks the same whatever order its fields were written in, and not the same when one write differs", () => {
  const p = planOf(3);
  const q = reordered(p);
  assert.notEqual(JSON.stringify(p), JSON.stringify(q), "the stand-in really differs as text");
  assert.ok(sameRequests(p, q));
  assert.ok(sameRequests(p, { ...p, warnings: [{ code: "reworded" }] }), "warnings describe, they do not write");
  const renamed = structuredClone(p);
  renamed.applications[0].application.displayName += " 2";
  assert.equal(sameRequests(p, renamed), false);
  const noSecret = structuredClone(p);
  noSecret.applications[0].createSecret = !noSecret.applications[0].createSecret;
  assert.equal(sameRequests(p, noSecret), false);
  assert.equal(sameRequests(p, planOf(2)), false, "one app fewer");
  assert.deepEqual(planRequests(null), []);
});

test("Register goes on from a stopped or cancelled Register of the same requests in the same tenant only", () => {
  const p = planOf(2);
  assert.deepEqual(resumeOf(stopped(p), { tid: "t1", plan: reordered(p) }), { id: "r1", startedAt: 1, journal });
  assert.ok(resumeOf(stopped(p, { status: STATUS.cancelled }), { tid: "t1", plan: p }));
  assert.equal(resumeOf(stopped(p), { tid: "t2", plan: p }), null, "another tenant");
  assert.equal(resumeOf(stopped(p), { tid: "t1", plan: planOf(3) }), null, "another plan");
  assert.equal(resumeOf(stopped(p, { job: "apply" }), { tid: "t1", plan: p }), null, "an Apply is another job");
  assert.equal(resumeOf(stopped(p, { journal: null }), { tid: "t1", plan: p }), null, "nothing written");
  for (const status of [STATUS.done, STATUS.rolledBack, STATUS.running, STATUS.waitingToken]) {
    assert.equal(resumeOf(stopped(p, { status }), { tid: "t1", plan: p }), null, status);
  }
  assert.equal(resumeOf(null, { tid: "t1", plan: p }), null);
});

test("the run record keeps a report without its secrets", () => {
  const report = { applications: [{ key: "a" }], journal, secrets: [{ key: "a", secretText: "s3cr3t" }] };
  const shown = shownReport(report);
  assert.equal("secrets" in shown, false);
  assert.doesNotMatch(JSON.stringify(shown), /s3cr3t|secretText/);
  assert.deepEqual(shown.applications, report.applications);
  assert.equal(report.secrets.length, 1, "the report itself is left as it was");
});

test("Apply never discards a run going, and a stopped one only when the admin said so", () => {
  const p = planOf(1);
  assert.equal(applyRefusal(stopped(p, { status: STATUS.running }), { discardStopped: true }), "runGoing");
  assert.equal(applyRefusal(stopped(p, { status: STATUS.waitingToken }), { discardStopped: true }), "runGoing");
  assert.equal(applyRefusal(stopped(p), { discardStopped: false }), "applyStoppedRun");
  assert.equal(applyRefusal(stopped(p, { status: STATUS.cancelled }), { discardStopped: false }), "applyStoppedRun");
  assert.equal(applyRefusal(stopped(p), { discardStopped: true }), null);
  for (const status of [STATUS.done, STATUS.rolledBack]) {
    assert.equal(applyRefusal(stopped(p, { status }), { discardStopped: false }), null, status);
  }
  assert.equal(applyRefusal(null, { discardStopped: false }), null);
});

test("a kept run is rolled back once", () => {
  assert.equal(rollbackRefusal(null), "noSuchRun");
  assert.equal(rollbackRefusal({ status: STATUS.rolledBack, journal }), "alreadyRolledBack");
  assert.equal(rollbackRefusal({ status: STATUS.done, journal }), null);
  assert.equal(rollbackRefusal({ status: STATUS.interrupted, journal }), null);
});
