// What the popup says about a plan and a run, from the data alone: the grants counted, where each app of a run
// stands, whether a run made anything, what a rollback deletes and which apps a rollback report names as deleted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appProgress, deletedKeys, grantCounts, madeNothing, reportItem, rollbackTargets, warningsFor } from "../../extension/runs/model.js";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const perm = (value, kind = "delegated") => ({ resourceAppId: GRAPH, value, kind, id: value, adminConsentRequired: kind === "application" });
const app = (key, permissions, { consent = true, secret = false, months = 12, component = key.toUpperCase() } = {}) =>
  ({ key, component, displayName: `LUCS ${key}`, permissions, grantAdminConsent: consent, createSecret: secret, secretLifetimeMonths: months });
const plan = (...applications) => ({ applications, warnings: [] });
const record = (key, patch = {}) => ({
  key, existed: false, objectId: null, appId: null, appDone: false, servicePrincipalId: null,
  servicePrincipalCreated: false, grants: [], assignments: [], consentDone: false, secretKeyId: null,
  secretDelivered: false, needsLookup: false, ...patch,
});

test("grants are counted per permission granted to the organisation, secrets by lifetime, none for apps that exist", () => {
  const p = plan(
    app("a", [perm("Mail.Send"), perm("User.Read")]),
    app("b", [perm("Mail.Send"), perm("User.Read.All", "application")], { secret: true }),
    app("c", [perm("User.Read.All", "application")], { secret: true, months: 6 }),
    app("d", [perm("Files.ReadWrite.All")], { consent: false, secret: true }));
  assert.deepEqual(grantCounts(p), {
    apps: 4, consent: 3, secrets: [{ months: 6, count: 1 }, { months: 12, count: 2 }],
  });
  assert.deepEqual(grantCounts(p, new Set(["b", "d"])).secrets, [{ months: 6, count: 1 }]);
  // The same name as a delegated scope and as an app role is two grants.
  assert.equal(grantCounts(plan(app("x", [perm("User.Read.All")]), app("y", [perm("User.Read.All", "application")]))).consent, 2);
});

test("a component's warnings lose the component prefix the core gives them; others' are not its", () => {
  const p = { applications: [], warnings: [
    { code: "broadPermission", component: "CR", message: "CR: Mail.ReadWrite lets the app change mail." },
    { code: "erratum", component: "CI", message: "CI: something else" },
    { code: "noConsent", component: null, message: "Admin consent is off." },
  ] };
  assert.deepEqual(warningsFor(p, "CR"), ["Mail.ReadWrite lets the app change mail."]);
});

test("each app's steps are read from the journal and the stage the run is in", () => {
  const p = plan(app("a", [perm("User.Read")], { secret: true }), app("b", [perm("User.Read")], { consent: false }));
  const progress = [
    { stage: "discover", key: null, status: "started" }, { stage: "applications", key: null, status: "started" },
    { stage: "servicePrincipals", key: null, status: "started" },
    { stage: "servicePrincipals", key: "b", status: "retrying", reason: "replication", attempt: 1, waitMs: 500 },
  ];
  const journal = { apps: [record("a", { appDone: true, servicePrincipalId: "sp-a" }), record("b", { appDone: true })] };
  const [a, b] = appProgress({ status: "running", plan: p, progress, journal });
  assert.deepEqual([a.cells.app.state, a.cells.servicePrincipal.state, a.cells.consent.state, a.cells.secret.state], ["done", "done", "waiting", "waiting"]);
  assert.deepEqual(b.cells.servicePrincipal, { state: "retrying", reason: "replication" });
  assert.equal(b.cells.consent.state, "skipped");
  assert.equal(b.cells.secret.state, "skipped");
  // Stopped on b: its step failed, a's later steps were not reached.
  const stopped = appProgress({ status: "stopped", stopKey: "b", plan: p, progress, journal });
  assert.equal(stopped[1].cells.servicePrincipal.state, "failed");
  assert.equal(stopped[0].cells.consent.state, "stopped");
  // Done: every step done; an app that existed keeps its own credentials.
  const existed = { apps: [record("a", { existed: true, appDone: true, servicePrincipalId: "sp-a", consentDone: true }), record("b", { appDone: true, servicePrincipalId: "sp-b" })] };
  const done = appProgress({ status: "done", plan: p, progress, journal: existed });
  assert.equal(done[0].cells.secret.state, "kept");
  assert.deepEqual(done.map((r) => r.finished), [true, true]);
  assert.deepEqual(appProgress({ status: "running", plan: p, progress, journal }).map((r) => r.finished), [false, false]);
});

test("a run made nothing only when every app existed and nothing was created, granted, added or adopted", () => {
  const ok = record("a", { existed: true, appDone: true, servicePrincipalId: "sp", grants: [{ resourceAppId: GRAPH, id: "g", created: false }] });
  assert.equal(madeNothing({ apps: [ok] }), true);
  for (const patch of [{ existed: false }, { adopted: true }, { servicePrincipalCreated: true }, { secretKeyId: "k" },
    { grants: [{ resourceAppId: GRAPH, id: "g", created: true }] }, { grants: [{ resourceAppId: GRAPH, id: "g", created: false, addedScopes: ["Mail.Send"] }] },
    { assignments: [{ appRoleId: "r", id: "x", created: true }] }]) {
    assert.equal(madeNothing({ apps: [ok, { ...ok, key: "b", ...patch }] }), false, JSON.stringify(patch));
  }
});

test("rollback deletes created apps outright and undoes only the additions on apps that stay", () => {
  const journal = { apps: [
    record("made", { objectId: "o1", appDone: true }),
    record("unfinished"),
    record("had", { existed: true, appDone: true, servicePrincipalId: "sp1", grants: [{ id: "g1", created: true }, { id: "g2", created: false, addedScopes: ["Mail.Send"] }, { id: "g3", created: false }], assignments: [{ id: "x", created: true }, { id: "y", created: false }] }),
    record("hadNoSp", { existed: true, appDone: true, servicePrincipalId: "sp2", servicePrincipalCreated: true, grants: [{ id: "g4", created: true }] }),
    record("adopted", { existed: false, adopted: true, objectId: "o2", appDone: true }),
  ] };
  const r = rollbackTargets(journal, new Map([["made", "LUCS Made"]]));
  assert.deepEqual(r.deleted, [{ key: "made", displayName: "LUCS Made" }]);
  assert.deepEqual(r.undone.map((u) => [u.key, u.parts]), [["had", ["grant", "scopes", "assignment"]], ["hadNoSp", ["servicePrincipal"]]]);
  assert.deepEqual(r.kept.map((k) => [k.key, k.adopted]), [["had", false], ["hadNoSp", false], ["adopted", true]]);
});

test("a rollback report's lines are read by what they are about, and deleted apps by key", () => {
  const result = { deleted: ["application lucs-cr-1 (deleted permanently, so its unique name is free again)", "application lucs-cr-10 (already gone)", "service principal of lucs-x"], failed: ["application lucs-fe: HTTP 403 Authorization_RequestDenied: no"] };
  assert.deepEqual([...deletedKeys(result)], ["lucs-cr-1", "lucs-cr-10"]);
  assert.deepEqual(reportItem(result.failed[0]), { kind: "app", key: "lucs-fe", text: result.failed[0] });
  assert.equal(reportItem("removed scopes Mail.Send added to the delegated grant of lucs-ci-1").kind, "scopes");
  assert.equal(reportItem("app role 1234 of lucs-fe").key, "lucs-fe");
  assert.equal(reportItem("something the core says otherwise").kind, null);
});
