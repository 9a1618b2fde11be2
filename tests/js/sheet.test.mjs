// The configuration sheet: the values in LUCS's order, a secret only where one was made and only when asked for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sheetCsv, sheetRows, sheetText } from "../../ui/sheet.js";

const words = { appId: "Application (client) ID", tenantId: "Directory (tenant) ID", sheetSecret: "Client secret", sheetExpires: "Secret expires" };
const t = (k) => words[k] ?? k;
const report = {
  tenantId: "140bc60d-0000-4000-8000-000000000001",
  applications: [
    { key: "lucs-fe", component: "FE", instance: null, displayName: "LUCS Frontend", appId: "a1" },
    { key: "lucs-cr-1", component: "CR", instance: "1", displayName: "LUCS Conversation Recording (1), \"main\"", appId: "a2" },
  ],
};
const secrets = [{ key: "lucs-fe", secretText: "=Abc~123", endDateTime: "2027-12-04T10:00:00Z", keyId: "k1" }];

test("each app gets its IDs in LUCS's order, the secret only where one was made", () => {
  const rows = sheetRows(report, secrets);
  assert.equal(rows.length, 2);
  assert.deepEqual([rows[0].appId, rows[0].tenantId, rows[0].secret], ["a1", report.tenantId, "=Abc~123"]);
  assert.equal(rows[1].secret, null);
  const text = sheetText(t, rows);
  assert.match(text, /LUCS Frontend\nApplication \(client\) ID: a1\nDirectory \(tenant\) ID: 140bc60d-[^\n]+\nSecret expires: 2027-12-04/);
  assert.doesNotMatch(text, /Abc/, "no secret unless asked for");
  assert.match(sheetText(t, rows, { withSecrets: true }), /Client secret: =Abc~123\nSecret expires: 2027-12-04/);
});

test("the CSV quotes what needs it, defuses formulas and leaves the secret out unless asked", () => {
  const rows = sheetRows(report, secrets);
  const plain = sheetCsv(rows).split("\r\n");
  assert.equal(plain[0], "component,instance,displayName,applicationId,directoryId,secretExpires");
  assert.equal(plain[2], `CR,1,"LUCS Conversation Recording (1), ""main""",a2,${report.tenantId},`);
  assert.doesNotMatch(sheetCsv(rows), /Abc/);
  const full = sheetCsv(rows, { withSecrets: true }).split("\r\n");
  assert.equal(full[1], `FE,,LUCS Frontend,a1,${report.tenantId},'=Abc~123,2027-12-04`);
});
