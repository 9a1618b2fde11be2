// One extension test suite, run once per browser: the real-host world (hosts.mjs), the release build loaded as
// users install it, and what the tests need of the browser — pages, the popup, the next page the extension
// opens, the run in storage.session, stopping the service worker (Chromium).
import { describe } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startWorld } from "./hosts.mjs";
import { waitFor } from "./steps.mjs";
import { popupReady } from "./steps.mjs";

const BROWSERS = ["chromium"];

/** Declares `define(suite)` once per browser, as its own describe block. */
export function eachBrowser(define, { only = BROWSERS } = {}) {
  for (const name of BROWSERS.filter((b) => only.includes(b))) {
    describe(name, () => define(makeSuite(name)));
  }
}

function makeSuite(name) {
  let profile = null;
  const suite = {
    name,
    world: null,
    context: null,
    extensionBase: null,
    async start() {
      suite.world = await startWorld();
      await suite.launch();
    },
    async launch() {
      const ext = resolve("dist/chrome");
      const hosts = Object.values(suite.world.hosts);
      profile = await mkdtemp(join(tmpdir(), "lucs-ext-"));
      suite.context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
        headless: true,
        ignoreHTTPSErrors: true,
        args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
          `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1:${suite.world.port}`).join(", ")}, EXCLUDE localhost`,
          `--ignore-certificate-errors-spki-list=${suite.world.caSpki}`],
      });
      const worker = suite.context.serviceWorkers()[0] ?? (await suite.context.waitForEvent("serviceworker"));
      suite.extensionBase = `chrome-extension://${new URL(worker.url()).host}/`;
    },
    async stop() {
      await suite.context?.close();
      await suite.world?.close();
      if (profile) await rm(profile, { recursive: true, force: true });
    },
    /** A fresh browser with a fresh profile: no token, no run. */
    async restart() {
      await suite.context?.close();
      if (profile) await rm(profile, { recursive: true, force: true });
      await suite.launch();
    },
    async page(url, { fresh = false } = {}) {
      if (fresh) await suite.restart();
      const page = await suite.context.newPage();
      await page.goto(url);
      return page;
    },
    /** A portal shell ("portal" or "entra") at a route, once it has signed in. */
    async portal(shell, hash, { query = "", fresh = false, signedIn = true } = {}) {
      // seenCalls() then waits for this page's own calls.
      suite.world.clearGraphCalls();
      const page = await suite.page(suite.world.url(shell, `/${query}${hash}`), { fresh });
      if (signedIn) await waitFor(page, () => /signed in as/.test(document.getElementById("who")?.textContent ?? ""), null, { what: "the portal to sign in" });
      return page;
    },
    async extensionPage(path) {
      const page = await suite.context.newPage();
      await page.goto(`${suite.extensionBase}${path}`);
      return page;
    },
    async popup() {
      return popupReady(await suite.extensionPage("popup.html"));
    },
    /** The next page whose URL matches, e.g. the confirmation the extension opens. */
    async nextPage(match, timeout = 15000) {
      const page = await suite.context.waitForEvent("page", { predicate: (p) => match(p.url()), timeout });
      await page.waitForLoadState();
      return page;
    },
    async pageCount(match) {
      return suite.context.pages().filter((p) => match(p.url())).length;
    },
    /** Waits until the run in storage.session satisfies `ok`, and returns it. */
    async waitRun(ok, timeout = 90000) {
      const page = await suite.extensionPage("options.html");
      try {
        const until = Date.now() + timeout;
        for (;;) {
          const run = await page.evaluate(async () => (await chrome.storage.session.get("run")).run ?? null);
          if (ok(run)) return run;
          if (Date.now() > until) throw new Error(`timed out waiting for the run (last: ${run?.status})`);
          await new Promise((r) => setTimeout(r, 200));
        }
      } finally {
        await page.close();
      }
    },
    /** Waits until the extension keeps a token of this tenant (it checks each new token with Graph first). Reads
     *  storage.session from an extension page: a popup would start calls of its own. */
    async knowsTenant(tid, timeout = 20000) {
      const page = await suite.extensionPage("options.html");
      try {
        await waitFor(page, async (t) => {
          const api = globalThis.browser ?? globalThis.chrome;
          return ((await api.storage.session.get("tokens")).tokens ?? []).some((e) => e.claims.tid === t);
        }, tid, { timeout, what: `a kept token of tenant ${tid}` });
      } finally {
        await page.close();
      }
    },
    /** Waits until Graph has seen calls from pages with each client's token (after `after`'s first call). */
    async seenCalls(clients, { after, origins, minimum = 1, timeout = 20000 } = {}) {
      const id = (c) => suite.world.clients[c].appId;
      const until = Date.now() + timeout;
      for (;;) {
        const calls = suite.world.graphCalls().filter((c) => c.origin && (!origins || origins.includes(c.origin)) && c.status !== 401);
        const first = after ? calls.find((c) => c.appid === id(after))?.at : 0;
        if (first !== undefined && clients.every((c) => calls.filter((x) => x.appid === id(c) && x.at >= first).length >= minimum)) return;
        if (Date.now() > until) throw new Error(`timed out waiting for Graph calls of ${clients.join(", ")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stopWorker() {
      const page = await suite.context.newPage();
      const cdp = await suite.context.newCDPSession(page);
      await cdp.send("ServiceWorker.enable");
      await cdp.send("ServiceWorker.stopAllWorkers");
      await page.close();
      await new Promise((r) => setTimeout(r, 500));
    },
    async readClipboard(page) {
      await suite.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
      return page.evaluate(() => navigator.clipboard.readText());
    },
  };
  return suite;
}
