// The background's gatekeeping, as pure functions: who may send what.
import { test } from "node:test";
import assert from "node:assert/strict";
import { allowed, senderKind, wellFormed } from "../../extension/messages.js";

const ID = "abcdefghijklmnopabcdefghijklmnop";
const BASE = `chrome-extension://${ID}/`;
const PORTALS = ["https://portal.azure.com", "https://entra.microsoft.com"];

test("our popup and options pages are pages; our content script on a portal tab is portal; nothing else", () => {
  assert.equal(senderKind({ id: ID, url: `${BASE}popup.html` }, ID, BASE, PORTALS), "page");
  assert.equal(senderKind({ id: ID, url: `${BASE}options.html`, tab: { id: 3 } }, ID, BASE, PORTALS), "page");
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com/#home", tab: { id: 1 } }, ID, BASE, PORTALS), "portal");
  assert.equal(senderKind({ id: ID, url: "https://entra.microsoft.com/#view/x", tab: { id: 1 } }, ID, BASE, PORTALS), "portal");
  // Other origins, look-alike hosts, other extensions, no tab:
  assert.equal(senderKind({ id: ID, url: "https://evil.example/", tab: { id: 1 } }, ID, BASE, PORTALS), null);
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com.evil.example/", tab: { id: 1 } }, ID, BASE, PORTALS), null);
  assert.equal(senderKind({ id: "other", url: `${BASE}popup.html` }, ID, BASE, PORTALS), null);
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com/" }, ID, BASE, PORTALS), null);
  assert.equal(senderKind(undefined, ID, BASE, PORTALS), null);
});

test("messages must have a known type and the right field types", () => {
  assert.ok(wellFormed({ type: "state" }));
  assert.ok(wellFormed({ type: "register", tid: "t", plan: {}, confirmedTenant: "t" }));
  for (const bad of [null, "state", { type: "nope" }, { type: "register", tid: 1, plan: {}, confirmedTenant: "t" },
    { type: "register", tid: "t", plan: null, confirmedTenant: "t" }, { type: "pasteToken" }, { type: "toString" }]) {
    assert.equal(wellFormed(bad), false, JSON.stringify(bad));
  }
});

test("a portal page may only ask for IDs and apply permissions to the app on screen; only our pages run the rest", () => {
  assert.equal(allowed("portal", { type: "portalIds", appId: "x" }), true);
  assert.equal(allowed("portal", { type: "portalApply", appId: "x", component: "FE" }), true);
  assert.equal(allowed("portal", { type: "portalApply", appId: "x" }), false, "shape checked");
  for (const type of ["state", "register", "rollback", "pasteToken", "takeSecrets"]) {
    const message = { type, tid: "t", plan: {}, confirmedTenant: "t", token: "x" };
    assert.equal(allowed("portal", message), false, type);
    assert.equal(allowed(null, message), false, type);
  }
  assert.equal(allowed("page", { type: "portalIds", appId: "x" }), false);
  assert.equal(allowed("page", { type: "takeSecrets" }), true);
});
