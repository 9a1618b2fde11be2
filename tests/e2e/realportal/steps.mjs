// What the extension's end-to-end tests do in a page, written against the few page calls every driver has
// (goto, evaluate, mouse.click, close), so one test runs in Chromium and in Firefox.
import assert from "node:assert/strict";

export const FULL_SET = { CR: 2, CI: 2 };
export const APP_REGISTRATIONS = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";
export const ENTRA_OVERVIEW = "#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview";
export const appBlade = (appId, section = "Overview") => `#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/${section}/appId/${appId}/isMSAApp~/false`;

/** A Graph call the extension made (its service worker or pages), not the portal's. */
export const fromExtension = (call) => !call.origin || /^(chrome|moz)-extension:/.test(call.origin);

/** Polls `fn(arg)` in the page until it returns something truthy (a JSON value: over BiDi a DOM node comes back
 *  as undefined); fails with `what` and the last value. */
export async function waitFor(page, fn, arg, { timeout = 30000, what = fn.toString() } = {}) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (err) {
      last = err.message;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export const text = (page, selector) => page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
export const visible = (page, selector) => page.evaluate((s) => {
  const n = document.querySelector(s);
  return Boolean(n) && !n.closest("[hidden]");
}, selector);
export const count = (page, selector) => page.evaluate((s) => document.querySelectorAll(s).length, selector);

/** A click as a user makes it (the browser's input, so `isTrusted`), on the middle of the element. */
export async function click(page, selector) {
  // The popup keeps rendering as replies arrive (pre-flight, sessions), moving what is below them: the mouse goes
  // only where the element has stayed for two reads in a row, and the element must still be the one hit there.
  const box = await waitFor(page, async (s) => {
    const at = () => {
      const n = document.querySelector(s);
      if (!n || n.closest("[hidden]") || n.disabled) return null;
      n.scrollIntoView({ block: "center" });
      const r = n.getBoundingClientRect();
      return r.width > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    };
    const first = at();
    await new Promise((r) => setTimeout(r, 100));
    const second = at();
    const stable = first && second && first.x === second.x && first.y === second.y;
    const hit = stable && document.elementFromPoint(second.x, second.y);
    return hit && hit.closest(s) ? second : null;
  }, selector, { what: `${selector} to be clickable` });
  await mouse(page).click(box.x, box.y);
}

// The driver's mouse: input the browser itself delivers, so the page sees isTrusted clicks.
const mouse = (page) => page.raw?.mouse ?? page.mouse;

/** Sets an input's value or checkbox as the user would, firing `change`. */
export async function set(page, selector, value) {
  await waitFor(page, (s) => Boolean(document.querySelector(s)), selector, { what: selector });
  await page.evaluate(([s, v]) => {
    const n = document.querySelector(s);
    if (n.type === "checkbox") n.checked = Boolean(v);
    else n.value = String(v);
    n.dispatchEvent(new Event("input", { bubbles: true }));
    n.dispatchEvent(new Event("change", { bubbles: true }));
  }, [selector, value]);
}

/** Records what the page copies and downloads (its own clipboard and object URLs), to read them back. */
export async function recordOutputs(page) {
  await page.evaluate(() => {
    window.__copied = [];
    navigator.clipboard.writeText = async (t) => void window.__copied.push(t);
    window.__blobs = [];
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob) => (window.__blobs.push(blob), create(blob));
  });
}
/** Clicks a copy button and returns what it put on the clipboard. */
export async function copyWith(page, selector) {
  const before = await page.evaluate(() => window.__copied.length);
  await click(page, selector);
  return waitFor(page, (n) => window.__copied.length > n && window.__copied.at(-1), before, { what: `a copy from ${selector}` });
}
/** Clicks a download button and returns the text of what it downloads. */
export async function downloadWith(page, selector) {
  const before = await page.evaluate(() => window.__blobs.length);
  await click(page, selector);
  await waitFor(page, (n) => window.__blobs.length > n, before, { what: `a download from ${selector}` });
  return page.evaluate(() => window.__blobs.at(-1).text());
}

// ---- The LUCS box in the portal page: a closed shadow root, so the test clicks where its buttons are drawn -----
export const WIDGET = { copyAppId: 0, copyTenantId: 1, apply: 2 };

/** Clicks the box's n-th button (fixed layout in content.js: 1px border, 4px padding, 26px buttons 4px apart). */
export async function clickWidget(page, n) {
  const box = await waitFor(page, () => {
    const host = document.querySelector("lucs-app-registrar");
    const r = host?.getBoundingClientRect();
    return r && r.height > 0 ? { x: r.x, y: r.y } : null;
  }, null, { what: "the LUCS box" });
  await mouse(page).click(box.x + 5 + 105, box.y + 5 + n * 30 + 13);
}

/** The box's height once it is drawn (it reads whether it is folded before drawing). */
export const widgetHeight = (page) => waitFor(page, () => document.querySelector("lucs-app-registrar")?.getBoundingClientRect().height, null, { what: "the LUCS box" });

/** Clicks the box's "Hide", right-aligned below the three buttons and the status line (16px). */
export async function foldWidget(page) {
  const box = await waitFor(page, () => {
    const r = document.querySelector("lucs-app-registrar")?.getBoundingClientRect();
    return r && r.height > 100 ? { x: r.x, y: r.y } : null;
  }, null, { what: "the LUCS box, open" });
  await mouse(page).click(box.x + 200, box.y + 5 + 3 * 30 + 16 + 10);
}

/** Clicks the folded box (one button, "LUCS") in its middle. */
export async function unfoldWidget(page) {
  const at = await waitFor(page, () => {
    const r = document.querySelector("lucs-app-registrar")?.getBoundingClientRect();
    return r && r.height > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
  }, null, { what: "the LUCS box, folded" });
  await mouse(page).click(at.x, at.y);
}

/** Presses the box's Apply and returns the extension's confirmation page, ready. A portal tab just opened may not
 *  have had its token checked yet (the box then says so): press again until the confirmation opens. */
export async function openConfirmation(suite, portal, { tries = 10 } = {}) {
  for (let i = 1; ; i++) {
    await clickWidget(portal, WIDGET.apply);
    const page = await suite.nextPage((url) => url.includes("/confirm.html"), 2000).catch((err) => {
      if (i >= tries) throw err;
      return null;
    });
    if (page) {
      await waitFor(page, () => document.body.dataset.ready === "true", null, { what: "the confirmation page" });
      return page;
    }
  }
}

// ---- The popup -------------------------------------------------------------------------------------------------
export async function popupReady(page) {
  await waitFor(page, () => document.body.dataset.ready === "true", null, { what: "the popup to be ready" });
  await recordOutputs(page);
  return page;
}

/** Picks the full set (2 CR + 2 CI) and checks it against the tenant (the preview, one line per app). */
export async function preview(popup, { tenantId } = {}) {
  await waitFor(popup, () => !document.getElementById("tenant-info").hidden, null, { what: "a tenant in the popup" });
  if (tenantId) await set(popup, "#tenant-select", tenantId);
  for (const [code, n] of Object.entries(FULL_SET)) await set(popup, `#n-${code}`, n);
  await waitFor(popup, () => document.body.dataset.apps === "10", null, { what: "the plan of the full set" });
  await waitFor(popup, () => /Contoso/.test(document.getElementById("tenant-details").textContent), null, { what: "the pre-flight check" });
  await click(popup, "#check");
  await waitFor(popup, () => document.querySelectorAll("#drift > li").length > 0, null, { what: "the preview" });
}

/** The preview, then the tenant confirmed: Register is enabled. */
export async function prepare(popup, { tenantId } = {}) {
  await preview(popup, { tenantId });
  await set(popup, "#confirm", true);
  await waitFor(popup, () => !document.getElementById("register").disabled, null, { what: "Register to be enabled" });
}

/** Sends a message to the background from an extension page, as that page's own script would. */
export const send = (page, message) =>
  page.evaluate((m) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(m), message);

/** The run in storage.session, read from an extension page. */
export const sessionRun = (page) => page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.session.get("run")).run ?? null);

export const runStatus = (popup) => text(popup, "#run-status");
export const waitStatus = (popup, re, timeout = 90000) =>
  waitFor(popup, (source) => new RegExp(source).test(document.getElementById("run-status").textContent), re.source, { timeout, what: `run status ${re}` });

/** Registers and waits for this run (not the one shown on opening) to finish. */
export async function registerAndWait(popup) {
  await popup.evaluate(() => (document.getElementById("run-status").textContent = ""));
  await click(popup, "#register");
  await waitStatus(popup, /^Done/);
}

/** The sandbox's tenant after the run: the full set, nothing twice. */
export function assertFullSet(state, others = 0) {
  assert.equal(state.applications.length, 10 + others, "the full set: 10 apps");
  assert.deepEqual(state.duplicates, []);
}
