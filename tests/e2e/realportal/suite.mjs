// One extension test suite, run once per browser (LUCS_BROWSERS=chromium,firefox): the real-host world
// (hosts.mjs), the release build loaded as users install it (browsers.mjs), and what the tests need of the
// browser — pages, the popup, the next page the extension opens, the run in storage.session, stopping the
// service worker (Chromium).
import { describe } from "node:test";
import { launch } from "./browsers.mjs";
import { startWorld } from "./hosts.mjs";
import { popupReady, waitFor } from "./steps.mjs";

const BROWSERS = (process.env.LUCS_BROWSERS ?? "chromium,firefox").split(",").filter(Boolean);

/**
 * Declares `define(suite)` once per browser, as its own describe block; `lang` ("en", "de") launches each browser
 * with that UI language (see browsers.mjs).
 */
export function eachBrowser(define, { only = ["chromium", "firefox"], lang } = {}) {
  for (const name of BROWSERS.filter((b) => only.includes(b))) {
    describe(lang ? `${name} (${lang})` : name, () => define(makeSuite(name, lang)));
  }
}

function makeSuite(name, lang) {
  const handedOut = new Set();
  let opened = 0;

  // A page of the extension's, found again by its (unique) URL on every call: over BiDi, Firefox may replace the
  // driver's page object of an extension page (it then says "detached Frame") while the document lives on.
  function livePage(href) {
    let current = null;
    const find = async () => {
      if (current && !current.isClosed() && (await current.evaluate(() => location.href).catch(() => null)) === href) {
        return current;
      }
      for (const raw of await suite.browser.raw.pages()) {
        if ((await raw.evaluate(() => location.href).catch(() => "")) === href) return (current = raw);
      }
      throw new Error(`no page at ${href}`);
    };
    return {
      kind: name,
      url: () => href,
      evaluate: async (fn, arg) => (await find()).evaluate(fn, arg),
      close: async () => (await find().catch(() => null))?.close(),
      raw: { mouse: { click: async (x, y) => (await find()).mouse.click(x, y) } },
    };
  }
  const suite = {
    name,
    lang: lang ?? "en",
    world: null,
    browser: null,
    extensionBase: null,
    async start() {
      suite.world = await startWorld();
      await suite.launch();
    },
    async launch() {
      suite.browser = await launch(name, suite.world, { lang });
      suite.extensionBase = suite.browser.extensionBaseUrl;
    },
    async stop() {
      await suite.browser?.close();
      await suite.world?.close();
    },
    /** A fresh browser with a fresh profile: no token, no run. */
    async restart() {
      await suite.browser?.close();
      await suite.launch();
    },
    async page(url, { fresh = false } = {}) {
      if (fresh) await suite.restart();
      return suite.browser.newPage(url);
    },
    /** A portal shell ("portal" or "entra") at a route, once it has signed in. */
    async portal(shell, hash, { query = "", fresh = false, signedIn = true } = {}) {
      // seenCalls() then waits for this page's own calls.
      suite.world.clearGraphCalls();
      const page = await suite.page(suite.world.url(shell, `/${query}${hash}`), { fresh });
      if (signedIn) await waitFor(page, () => /signed in as/.test(document.getElementById("who")?.textContent ?? ""), null, { what: "the portal to sign in" });
      return page;
    },
    /** One of the extension's pages, opened in a tab of its own; `viewport` ({ width, height }) set before it loads. */
    async extensionPage(path, { viewport } = {}) {
      // Over WebDriver BiDi, Firefox never reports a moz-extension:// navigation as finished (puppeteer-core 24's
      // goto times out though the page is loaded): start it, then wait for the document itself.
      const url = `${suite.extensionBase}${path}${path.includes("?") ? "&" : "?"}tab=${++opened}`;
      const raw = await suite.browser.raw.newPage();
      if (viewport) await raw.setViewport(viewport);
      raw.goto(url, { timeout: 60000 }).catch(() => {});
      const page = livePage(url);
      await waitFor(page, () => document.readyState === "complete", null, { what: `${path} to load` });
      return page;
    },
    async popup() {
      return popupReady(await suite.extensionPage("popup.html"));
    },
    /** Sets the viewport of an extension page opened by extensionPage(), e.g. to a popup's narrowest and widest. */
    async resize(page, width, height) {
      const href = page.url();
      for (const raw of await suite.browser.raw.pages()) {
        if ((await raw.evaluate(() => location.href).catch(() => "")) === href) return raw.setViewport({ width, height });
      }
      throw new Error(`no page at ${href}`);
    },
    /** A page the extension opens (the confirmation window), found by its document's URL: over BiDi, Firefox
     *  reports moz-extension:// pages as about:blank. Each page is handed out once. */
    async nextPage(match, timeout = 15000) {
      const until = Date.now() + timeout;
      for (;;) {
        for (const raw of await suite.browser.raw.pages()) {
          const href = await raw.evaluate(() => location.href).catch(() => "");
          if (match(href) && !handedOut.has(href)) {
            handedOut.add(href);
            return livePage(href);
          }
        }
        if (Date.now() > until) throw new Error("timed out waiting for the extension to open a page");
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async pageCount(match) {
      let n = 0;
      for (const raw of await suite.browser.raw.pages()) if (match(await raw.evaluate(() => location.href).catch(() => ""))) n++;
      return n;
    },
    /** Waits until the run in storage.session satisfies `ok`, and returns it. */
    async waitRun(ok, timeout = 90000) {
      const page = await suite.extensionPage("options.html");
      try {
        const until = Date.now() + timeout;
        for (;;) {
          const run = await page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.session.get("run")).run ?? null);
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
        const calls = suite.world.graphCalls()
          .filter((c) => c.origin && (!origins || origins.includes(c.origin)) && c.status !== 401);
        const first = after ? calls.find((c) => c.appid === id(after))?.at : 0;
        const enough = (c) => calls.filter((x) => x.appid === id(c) && x.at >= first).length >= minimum;
        if (first !== undefined && clients.every(enough)) return;
        if (Date.now() > until) throw new Error(`timed out waiting for Graph calls of ${clients.join(", ")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Chromium: stops the extension's service worker, as the browser may at any time. */
    async stopWorker() {
      const page = await suite.browser.raw.newPage();
      const cdp = await page.createCDPSession();
      await cdp.send("ServiceWorker.enable");
      await cdp.send("ServiceWorker.stopAllWorkers");
      await page.close();
      await new Promise((r) => setTimeout(r, 500));
    },
    /** Chromium: what the page's clipboard holds (Firefox asks the user before a page may read it). */
    readClipboard: name === "chromium" ? async (page) => {
      await suite.browser.raw.defaultBrowserContext().overridePermissions(new URL(await page.url()).origin, ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
      // The clipboard belongs to the focused document only.
      await page.bringToFront();
      return page.evaluate(() => navigator.clipboard.readText());
    } : null,
  };
  return suite;
}
