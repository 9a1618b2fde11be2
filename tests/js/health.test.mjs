// The health report's CSV: one row per app, the soonest-ending credential named, values defused and quoted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { healthCsv, healthJson, soonest } from "../../ui/health.js";

const cred = (keyId, endDateTime, state, daysLeft) => ({ keyId, hint: "Ab~", displayName: null, endDateTime, state, daysLeft });
const app = (key, extra = {}) => ({
  key, displayName: `LUCS ${key}`, appId: `${key}-id`, objectId: null, found: true, inPlan: true, standing: "ours",
  servicePrincipal: true, permissions: { state: "asPlanned", missing: [], extra: [] },
  consent: { state: "complete", missing: [], extra: [] }, secrets: [], certificates: [], owners: [{ id: "u1", displayName: "Admin" }],
  ...extra,
});
const report = {
  tenantId: "t", checkedAt: "2026-12-04T10:00:00Z", expiringWithinDays: 30, roundTrips: 2, taggedListed: true, taggedNote: null, attention: 1,
  applications: [
    app("fe", { secrets: [cred("k2", "2027-06-01T00:00:00Z", "ok", 178), cred("k1", "2026-12-10T00:00:00Z", "expiring", 5)] }),
    app("ci-2", { permissions: { state: "drifted", missing: ["Calendars.Read"], extra: [] }, consent: { state: "partial", missing: ["Mail.Send"], extra: ["=HYPERLINK(x)"] }, owners: [] }),
  ],
};

test("the soonest credential is the one ending first", () => {
  assert.equal(soonest(report.applications[0]).keyId, "k1");
  assert.equal(soonest(report.applications[1]), null);
});

test("one CSV row per app, in the columns' order, formulas defused", () => {
  const lines = healthCsv(report).trimEnd().split("\r\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^key,displayName,applicationId,found,inPlan,standing,permissions,/);
  assert.equal(lines[1], "fe,LUCS fe,fe-id,true,true,ours,asPlanned,,,complete,,,2,2026-12-10,expiring,Admin");
  assert.equal(lines[2], "ci-2,LUCS ci-2,ci-2-id,true,true,ours,drifted,Calendars.Read,,partial,Mail.Send,'=HYPERLINK(x),0,,,");
  assert.deepEqual(JSON.parse(healthJson(report)), report);
});
