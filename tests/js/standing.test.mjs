// The foreign summary: what the popup and the Apply confirmation show of an app someone may have made.
import { test } from "node:test";
import assert from "node:assert/strict";
import { foreignApps, odataString, ownerLabel, sameNamePath, summarize } from "../../extension/standing.js";

const ME = "11111111-1111-4111-8111-111111111111";
const MALLORY = "22222222-2222-4222-8222-222222222222";

const squat = {
  key: "lucs-fe", objectId: "o1", appId: "a1", displayName: "LUCS Frontend", createdDateTime: "2026-01-02T03:04:05Z",
  publisherDomain: "contoso.onmicrosoft.com", standing: "foreign", reasons: ["owned by Mallory"],
  owners: [{ id: MALLORY, displayName: "Mallory", userPrincipalName: "mallory@contoso.example" }, { id: ME.toUpperCase(), displayName: "Admin", userPrincipalName: null }],
  credentials: [
    { kind: "password", keyId: "k1", hint: "abc", displayName: "x", endDateTime: "2027-01-01T00:00:00Z", madeByTool: false, secretText: "abc~leaked" },
    { kind: "certificate", keyId: "k2", hint: null, displayName: null, endDateTime: null, madeByTool: true },
  ],
};

test("owners are flagged unless they are the signed-in user; credentials by key id, hint and end date only", () => {
  const s = summarize(squat, ME);
  assert.deepEqual(s.owners.map((o) => [o.name, o.you]), [["Mallory", false], ["Admin", true]]);
  assert.equal(s.others, 1);
  assert.equal(s.secrets, 1);
  assert.equal(s.certificates, 1);
  assert.equal(s.unknownCredentials, 1);
  assert.deepEqual(s.credentials[0], { kind: "password", keyId: "k1", hint: "abc", endDateTime: "2027-01-01T00:00:00Z", madeByTool: false });
  assert.ok(!JSON.stringify(s).includes("leaked"), "a secret's text never reaches the summary");
  assert.equal(s.created, "2026-01-02T03:04:05Z");
  assert.equal(s.publisherDomain, "contoso.onmicrosoft.com");
  assert.equal(s.standing, "foreign");
});

test("without knowing who is signed in, every owner is flagged", () => {
  assert.equal(summarize(squat, null).others, 2);
});

test("an application as Graph returns it (id, owners expanded) reads the same way", () => {
  const s = summarize({ id: "o9", appId: "a9", displayName: "Contoso FE", owners: [{ "@odata.type": "#microsoft.graph.user", id: ME }] }, ME);
  assert.equal(s.objectId, "o9");
  assert.equal(s.others, 0);
  assert.equal(s.standing, null);
  assert.deepEqual(s.credentials, []);
});

test("foreignApps: one per key, not the tool's own, not adopted, in the plan", () => {
  const ours = { ...squat, key: "lucs-ac", standing: "ours" };
  const adopted = { ...squat, key: "lucs-ci-1", standing: "adopted" };
  const list = foreignApps([ours, squat, adopted, { ...squat }, { ...squat, key: "lucs-old" }], ["lucs-fe", "lucs-ac", "lucs-ci-1"]);
  assert.deepEqual(list.map((e) => e.key), ["lucs-fe"]);
  assert.equal(foreignApps(null).length, 0);
});

test("owner labels use what Graph let the token read", () => {
  assert.equal(ownerLabel({ id: "i", name: "N", upn: "u@x" }), "N <u@x>");
  assert.equal(ownerLabel({ id: "i", name: null, upn: "u@x" }), "u@x");
  assert.equal(ownerLabel({ id: "i", name: null, upn: null }), "i");
});

test("the display-name query escapes the OData literal and encodes it", () => {
  assert.equal(odataString("O'Brien's app"), "'O''Brien''s app'");
  const path = sameNamePath("O'Brien & Co #1");
  assert.ok(path.startsWith("/applications?$filter="));
  assert.ok(path.endsWith("&$select=id"));
  const filter = decodeURIComponent(path.slice("/applications?$filter=".length, path.indexOf("&$select")));
  assert.equal(filter, "displayName eq 'O''Brien & Co #1'");
  assert.ok(!/[&# +]/.test(path.slice("/applications?$filter=".length, path.indexOf("&$select"))), "nothing in the literal can end the parameter");
});
