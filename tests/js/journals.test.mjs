// The kept-journal list: the last runs' journals, each rollback-able, and the ones a run in a tenant is told about.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KEEP, holdsNoSecret, journalsFor, keep, markRolledBack, rows, valid, wroteSomething } from "../../extension/journals.js";

const GUID = (n) => `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`;
const made = (key, n) => ({
  key, existed: false, objectId: GUID(n), appId: GUID(n + 500), appDone: true, servicePrincipalId: null,
  servicePrincipalCreated: false, grants: [], assignments: [], consentDone: false, secretKeyId: null,
  secretDelivered: false, needsLookup: false,
});
const journal = (tid, ...apps) => ({ version: 2, tenantId: tid, resources: [], apps });
const entry = (id, at, tid = "t1", apps = [made(`lucs-${id}`, at)]) => ({ id, at, tid, job: "register", status: "done", journal: journal(tid, ...apps) });

test("a new run goes first; at most five are kept, the oldest dropped", () => {
  let list = [];
  for (let i = 1; i <= 7; i++) list = keep(list, entry(`r${i}`, i * 1000));
  assert.equal(list.length, KEEP);
  assert.deepEqual(list.map((e) => e.id), ["r7", "r6", "r5", "r4", "r3"]);
});

test("renewals have their own five: renewing secrets never drops the registration that made the apps", () => {
  let list = keep([], entry("register-1", 1000));
  for (let i = 1; i <= 7; i++) list = keep(list, { ...entry(`renew-${i}`, 1000 + i), job: "renew" });
  assert.deepEqual(list.filter((e) => e.job === "renew").map((e) => e.id), ["renew-7", "renew-6", "renew-5", "renew-4", "renew-3"]);
  assert.deepEqual(list.filter((e) => e.job !== "renew").map((e) => e.id), ["register-1"]);
  assert.deepEqual(journalsFor(list, "t1").length, KEEP + 1);
  for (let i = 2; i <= 7; i++) list = keep(list, { ...entry(`apply-${i}`, 2000 + i), job: "apply" });
  assert.equal(list.filter((e) => e.job !== "renew").length, KEEP, "Register and Apply share one shelf");
});

test("the next Register or Apply does not drop an earlier run: each run has its own row", () => {
  let list = keep([], entry("register-1", 1000));
  list = keep(list, { ...entry("apply-1", 2000), job: "apply" });
  assert.deepEqual(list.map((e) => [e.id, e.job]), [["apply-1", "apply"], ["register-1", "register"]]);
});

test("a resumed run replaces its own row, keeping its place and start time", () => {
  let list = keep([], { ...entry("a", 1000), status: "stopped" });
  list = keep(list, entry("b", 2000));
  const more = journal("t1", made("lucs-a", 1), made("lucs-a2", 2));
  list = keep(list, { ...entry("a", 5000), journal: more, status: "done" });
  assert.deepEqual(list.map((e) => [e.id, e.at, e.status]), [["b", 2000, "done"], ["a", 1000, "done"]]);
  assert.equal(list[1].journal.apps.length, 2);
});

test("a run that wrote nothing gets no row, but a row once kept is updated whatever its journal says", () => {
  const nothing = journal("t1", { key: "lucs-fe", existed: true, objectId: GUID(1), appDone: false, grants: [], assignments: [] });
  assert.equal(wroteSomething(nothing), false);
  assert.deepEqual(keep([], { ...entry("x", 1), journal: nothing }), []);
  assert.equal(wroteSomething(journal("t1", made("lucs-fe", 1))), true);
  const secretOnly = { ...made("lucs-fe", 1), existed: true, appDone: false, secretKeyId: GUID(9) };
  assert.equal(wroteSomething(journal("t1", secretOnly)), true);
});

test("nothing that holds a secret's text or a token is kept", () => {
  const withSecret = journal("t1", { ...made("lucs-fe", 1), secretText: "abc~123" });
  assert.equal(holdsNoSecret(withSecret), false);
  assert.deepEqual(keep([], { ...entry("s", 1), journal: withSecret }), []);
  const withToken = journal("t1", { ...made("lucs-fe", 1), key: "eyJhbGciOi" });
  assert.equal(holdsNoSecret(withToken), false);
  assert.equal(holdsNoSecret(journal("t1", made("lucs-fe", 1))), true);
});

test("journalsFor: this tenant's runs only, and none that was rolled back", () => {
  let list = keep([], entry("a", 1000, "t1"));
  list = keep(list, entry("b", 2000, "t2"));
  list = keep(list, entry("c", 3000, "t1"));
  assert.deepEqual(journalsFor(list, "t1").map((j) => j.apps[0].key), ["lucs-c", "lucs-a"]);
  list = markRolledBack(list, "c", { at: 4000, deleted: ["x", "y"], failed: [], refused: ["z"] });
  assert.deepEqual(journalsFor(list, "t1").map((j) => j.apps[0].key), ["lucs-a"]);
  assert.deepEqual(list.find((e) => e.id === "c").rolledBack, { at: 4000, deleted: 2, failed: 0, refused: 1 });
});

test("rows: date, tenant, app count and whether it can be rolled back — never the journal", () => {
  let list = keep([], entry("old", 1000, "t1", [made("lucs-fe", 1), { ...made("lucs-cr-1", 2), existed: true, adopted: true }]));
  list = keep(list, { ...entry("now", 2000, "t2"), status: "running" });
  list = keep(list, { ...entry("gone", 500, "t1"), status: "running" });
  list = markRolledBack(list, "old", { at: 3000 });
  const shown = rows(list, "now");
  assert.deepEqual(shown.map((r) => [r.id, r.tid, r.status, r.apps, r.canRollBack]), [
    ["now", "t2", "running", 1, false],
    ["old", "t1", "rolledBack", 2, false],
    ["gone", "t1", "interrupted", 1, true],
  ]);
  assert.equal(shown[1].created, 1);
  assert.equal(shown[1].adopted, 1);
  assert.ok(shown.every((r) => !("journal" in r)));
});

test("a renewal is listed but not offered for rollback: its journal creates nothing to undo", () => {
  const list = keep(keep([], entry("reg", 1000, "t1")), { ...entry("renewal", 2000, "t1"), job: "renew" });
  assert.deepEqual(rows(list).map((r) => [r.id, r.job, r.canRollBack]), [["renewal", "renew", false], ["reg", "register", true]]);
});

test("what storage hands back is checked: malformed entries are dropped", () => {
  assert.deepEqual(valid(null), []);
  assert.deepEqual(valid("x"), []);
  const good = entry("a", 1);
  assert.deepEqual(valid([good, { id: 1 }, null, { ...good, journal: { apps: "no" } }]), [good]);
});
