// The background's gatekeeping: who may send what, with the table the background's modules fill. They are loaded
// from the extension's build (`make extension`), which has the Wasm glue beside them; nothing of the browser runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addHandlers, allowed, senderKind, shapes, wellFormed } from "../../dist/chrome/messages.js";
import "../../dist/chrome/background/capture.js";
import "../../dist/chrome/background/reads.js";
import "../../dist/chrome/background/runs.js";
import "../../dist/chrome/background/portal.js";

const ID = "abcdefghijklmnopabcdefghijklmnop";
const BASE = `chrome-extension://${ID}/`;

test("our popup and options pages are pages; our content script on a portal tab is portal; nothing else", () => {
  assert.equal(senderKind({ id: ID, url: `${BASE}popup.html` }, ID, BASE), "page");
  assert.equal(senderKind({ id: ID, url: `${BASE}options.html`, tab: { id: 3 } }, ID, BASE), "page");
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com/#home", tab: { id: 1 }, frameId: 0 }, ID, BASE), "portal");
  assert.equal(senderKind({ id: ID, url: "https://entra.microsoft.com/#view/x", tab: { id: 1 }, frameId: 0 }, ID, BASE), "portal");
  // Other origins, look-alike hosts, other extensions, no tab:
  assert.equal(senderKind({ id: ID, url: "https://evil.example/", tab: { id: 1 } }, ID, BASE), null);
  // Our content script runs only in the top-level page; a frame that says otherwise is not ours.
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com/", tab: { id: 1 }, frameId: 4 }, ID, BASE), null);
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com:8443/", tab: { id: 1 }, frameId: 0 }, ID, BASE), null);
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com.evil.example/", tab: { id: 1 } }, ID, BASE), null);
  assert.equal(senderKind({ id: "other", url: `${BASE}popup.html` }, ID, BASE), null);
  assert.equal(senderKind({ id: ID, url: "https://portal.azure.com/" }, ID, BASE), null);
  assert.equal(senderKind(undefined, ID, BASE), null);
});

test("messages must have a known type and the right field types", () => {
  assert.ok(wellFormed({ type: "state" }));
  assert.ok(wellFormed({ type: "register", tid: "t", choice: "c", confirmedTenant: "t" }));
  for (const bad of [null, "state", { type: "nope" }, { type: "register", tid: 1, choice: "c", confirmedTenant: "t" },
    { type: "register", tid: "t", choice: null, confirmedTenant: "t" }, { type: "pasteToken" }, { type: "toString" }]) {
    assert.equal(wellFormed(bad), false, JSON.stringify(bad));
  }
});

test("a portal page may only ask for IDs and apply permissions to the app on screen; only our pages run the rest", () => {
  assert.equal(allowed("portal", { type: "portalIds", appId: "x" }), true);
  assert.equal(allowed("portal", { type: "portalApply", appId: "x" }), true);
  assert.equal(allowed("portal", { type: "applyConfirm", request: "r", component: "FE", confirmedTenant: "t", discardStopped: true }), false, "only our confirmation page decides");
  assert.equal(allowed("portal", { type: "portalApply", appId: 1 }), false, "shape checked");
  for (const type of ["state", "register", "rollback", "pasteToken", "secrets", "markSecretsStored"]) {
    const message = { type, tid: "t", choice: "c", confirmedTenant: "t", token: "x", id: "r", keyIds: [] };
    assert.equal(allowed("portal", message), false, type);
    assert.equal(allowed(null, message), false, type);
  }
  assert.equal(allowed("page", { type: "portalIds", appId: "x" }), false);
  assert.equal(allowed("page", { type: "secrets" }), true);
});

test("marking secrets stored names them by a list of key IDs", () => {
  assert.equal(wellFormed({ type: "markSecretsStored", keyIds: ["k"] }), true);
  assert.equal(wellFormed({ type: "markSecretsStored", keyIds: "k" }), false);
  assert.equal(wellFormed({ type: "markSecretsStored" }), false);
});

test("register may carry the keys to adopt, as a list; rollback names the kept run", () => {
  const register = { type: "register", tid: "t", choice: "c", confirmedTenant: "t" };
  assert.ok(wellFormed(register), "adopt may be left out");
  assert.ok(wellFormed({ ...register, adopt: ["lucs-fe"] }));
  assert.ok(wellFormed({ ...register, adopt: [] }));
  for (const adopt of ["lucs-fe", null, { 0: "lucs-fe" }, 1]) assert.equal(wellFormed({ ...register, adopt }), false, JSON.stringify(adopt));
  assert.ok(wellFormed({ type: "rollback", id: "r1" }));
  assert.equal(wellFormed({ type: "rollback" }), false, "which run must be named");
  assert.equal(allowed("portal", { type: "rollback", id: "r1" }), false);
});

test("every message is answered by one module, for one audience, and the portal's are the three it may ask", () => {
  const table = shapes();
  const portal = Object.keys(table).filter((type) => table[type].from === "portal").sort();
  assert.deepEqual(portal, ["portalApply", "portalIds", "portalRunStatus"]);
  for (const [type, { from }] of Object.entries(table)) assert.ok(from === "page" || from === "portal", type);
  assert.throws(() => addHandlers("page", { state: { shape: {}, handle: () => null } }), /state is answered twice/);
  assert.throws(() => addHandlers("anyone", { lucsTestA: { shape: {}, handle: () => null } }), /from must be one of page, portal/);
  assert.throws(() => addHandlers("page", { lucsTestB: { shape: { x: "guid" }, handle: () => null } }), /lucsTestB\.x must be one of/);
  assert.throws(() => addHandlers("page", { lucsTestC: { shape: {} } }), /lucsTestC has no handler/);
  assert.equal(wellFormed({ type: "lucsTestA" }), false, "a refused addition answers nothing");
});

test("no message a page sends carries a plan: the background makes and keeps it, pages name the choice", async () => {
  const { readFile, readdir } = await import("node:fs/promises");
  for (const [type, { shape }] of Object.entries(shapes())) {
    assert.equal(Object.keys(shape).some((k) => k.replace(/\?$/, "") === "plan"), false, `${type} declares a plan`);
  }
  const pages = ["popup.js", "confirm.js", "options.js", "results.js", "lost.js", ...(await readdir("extension/popup")).map((f) => `popup/${f}`)];
  let asks = 0;
  for (const file of pages) {
    const source = await readFile(`extension/${file}`, "utf8");
    // Each message literal a page sends, up to its closing brace (none of them nests an object).
    for (const [literal] of source.matchAll(/(?:ask|sendMessage)\(\{[^}]*\}/g)) {
      asks += 1;
      assert.doesNotMatch(literal, /\bplan\b\s*[:,}]/, `${file}: ${literal}`);
    }
  }
  assert.ok(asks >= 15, `the scan found the pages' messages (${asks})`);
});
