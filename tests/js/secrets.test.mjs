// The client secrets between a run and the admin's vault: waiting in session storage until each is marked stored,
// named (never with their text) in the kept run records, and said to be lost when the text is gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addWaiting, lostSecrets, markConfirmed, markHandedOver, recordsOf, removeWaiting, secretsCsv, validWaiting } from "../../extension/secrets.js";
import { keep } from "../../extension/journals.js";

const GUID = (n) => `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`;
const secret = (key, n) => ({ key, keyId: GUID(n), secretText: `s3cr3t~${n}.abcdefghijklmnop`, endDateTime: "2027-12-04T00:00:00Z" });
const applications = [
  { key: "lucs-cic", displayName: "LUCS Connector IC", appId: GUID(101) },
  { key: "lucs-cr-1", displayName: "LUCS Calendar Reader 1", appId: GUID(102) },
];
const app = (key, n) => ({
  key, existed: false, objectId: GUID(n), appId: GUID(n + 100), appDone: true, servicePrincipalId: null,
  servicePrincipalCreated: false, grants: [], assignments: [], consentDone: false, secretKeyId: GUID(n),
  secretDelivered: true, needsLookup: false,
});
const journal = { version: 2, tenantId: GUID(9), resources: [], apps: [app("lucs-cic", 1), app("lucs-cr-1", 2)] };
const keptEntry = (id, status = "done") => ({ id, at: 1000, tid: GUID(9), job: "register", status, journal });

test("each secret a run hands over is kept with its app's name, Application ID, secret ID and expiry", () => {
  const records = recordsOf([secret("lucs-cic", 1), secret("lucs-cr-1", 2)], { runId: "r1", tid: GUID(9), applications, at: 5 });
  assert.deepEqual(records[0], { keyId: GUID(1), key: "lucs-cic", displayName: "LUCS Connector IC", appId: GUID(101),
    endDateTime: "2027-12-04T00:00:00Z", secretText: "s3cr3t~1.abcdefghijklmnop", runId: "r1", tid: GUID(9), at: 5 });
  assert.equal(records[1].displayName, "LUCS Calendar Reader 1");
});

test("a stopped run's secrets take their app's ID from the journal and its name from the plan", () => {
  const plan = { applications: [{ key: "lucs-cic", displayName: "LUCS Connector IC" }] };
  const [r] = recordsOf([secret("lucs-cic", 1)], { runId: "r1", tid: "t", journal, plan });
  assert.equal(r.displayName, "LUCS Connector IC");
  assert.equal(r.appId, GUID(101));
});

test("a secret waits until it is marked stored, is never held twice, and marking one leaves the others", () => {
  const records = recordsOf([secret("lucs-cic", 1), secret("lucs-cr-1", 2)], { runId: "r1", tid: "t", applications });
  let list = addWaiting([], records);
  list = addWaiting(list, records);
  assert.equal(list.length, 2, "handed over again (a resumed run): held once");
  list = removeWaiting(list, [GUID(1)]);
  assert.deepEqual(list.map((r) => r.keyId), [GUID(2)]);
  assert.deepEqual(removeWaiting(list, [GUID(2)]), []);
});

test("what storage hands back is taken only in the shape of a secret record", () => {
  const [good] = recordsOf([secret("lucs-cic", 1)], { runId: "r1", tid: "t", applications });
  assert.deepEqual(validWaiting([good, null, { keyId: GUID(3) }, { ...good, secretText: 7 }, "x"]), [good]);
  assert.deepEqual(validWaiting({ not: "a list" }), []);
  assert.deepEqual(recordsOf([{ key: "lucs-cic", keyId: GUID(1) }, null], { runId: "r", tid: "t" }), [], "no text, nothing to keep");
});

test("the kept run record names a handed-over secret without its text until it is confirmed stored", () => {
  const records = recordsOf([secret("lucs-cic", 1), secret("lucs-cr-1", 2)], { runId: "r1", tid: "t", applications });
  let kept = keep([], keptEntry("r1"));
  kept = markHandedOver(kept, "r1", records);
  assert.deepEqual(kept[0].unconfirmedSecrets.map((m) => m.keyId), [GUID(1), GUID(2)]);
  assert.ok(!JSON.stringify(kept).includes("s3cr3t"), "storage.local never holds a secret's text");
  // The next write of the same run's journal keeps the marks.
  kept = keep(kept, { ...keptEntry("r1"), status: "done" });
  assert.equal(kept[0].unconfirmedSecrets.length, 2);
  kept = markConfirmed(kept, [GUID(1)]);
  assert.deepEqual(kept[0].unconfirmedSecrets.map((m) => m.keyId), [GUID(2)]);
});

test("a secret never confirmed stored whose text is gone is said to be lost; one still waiting or rolled back is not", () => {
  const records = recordsOf([secret("lucs-cic", 1), secret("lucs-cr-1", 2)], { runId: "r1", tid: GUID(9), applications });
  const kept = markHandedOver([keptEntry("r1")], "r1", records);
  assert.deepEqual(lostSecrets(kept, records), [], "both still waiting");
  const lost = lostSecrets(kept, records.slice(1));
  assert.deepEqual(lost, [{ keyId: GUID(1), key: "lucs-cic", displayName: "LUCS Connector IC", appId: GUID(101),
    endDateTime: "2027-12-04T00:00:00Z", runId: "r1", tid: GUID(9) }]);
  assert.equal(lostSecrets(kept, []).length, 2, "the browser closed: both lost");
  assert.deepEqual(lostSecrets(kept.map((e) => ({ ...e, status: "rolledBack" })), []), [], "rolled back: the apps are gone");
  assert.deepEqual(lostSecrets(markConfirmed(kept, [GUID(1), GUID(2)]), []), [], "confirmed: nothing to say");
});

test("the CSV holds every field and quotes what a spreadsheet would run as a formula", () => {
  const [r] = recordsOf([secret("lucs-cic", 1)], { runId: "r1", tid: "t", applications: [{ key: "lucs-cic", displayName: "=HYPERLINK(\"x\"),y", appId: GUID(101) }] });
  const csv = secretsCsv([r]);
  const [header, line] = csv.trimEnd().split("\r\n");
  assert.equal(header, "displayName,key,applicationId,secretKeyId,expires,secret");
  assert.equal(line, `"'=HYPERLINK(""x""),y",lucs-cic,${GUID(101)},${GUID(1)},2027-12-04T00:00:00Z,s3cr3t~1.abcdefghijklmnop`);
  assert.equal(secretsCsv([]), "displayName,key,applicationId,secretKeyId,expires,secret\r\n");
});
