// One page API for both browsers and every browser test (a Puppeteer page underneath, over CDP in Chromium and
// WebDriver BiDi in Firefox). Where Puppeteer's signatures differ from the common shape, this takes one argument
// after the function (evaluate(fn, arg), waitForFunction(fn, arg, opts)); actions wait for their element to exist.
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";

const DEFAULT_TIMEOUT = 30_000;

// Waits by evaluating again and again rather than with the driver's own wait: a fresh evaluation survives the
// page's realm being replaced mid-navigation (moz-extension:// pages in Firefox), and Firefox 140 refuses the
// driver's injected waiter on extension pages whose CSP forbids eval.
async function poll(frame, fn, arg, timeout, what) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await frame.evaluate(fn, arg);
      if (value) return value;
      last = null;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A download still being written: Chromium's "*.crdownload", Firefox's "*.part" (beside an empty placeholder of
// the final name, which is why download() waits for bytes: an empty download is not seen).
const PARTIAL = /\.(crdownload|part)$/;

/** `downloads`: the folder the browser saves downloads in (the session's), for download(). */
export function wrapPage(page, kind, downloads = null) {
  const exists = (selector, timeout = DEFAULT_TIMEOUT) =>
    poll(page, (sel) => Boolean(document.querySelector(sel)), selector, timeout, `selector ${selector}`);
  const one = async (selector) => {
    await exists(selector);
    const handle = await page.$(selector);
    if (!handle) throw new Error(`no element matches ${selector}`);
    return handle;
  };
  const within = (frame) => ({
    evaluate: (fn, arg) => frame.evaluate(fn, arg),
    $$eval: (selector, fn, arg) => frame.$$eval(selector, fn, arg),
    textContent: (selector) => frame.$eval(selector, (el) => el.textContent),
    allTextContents: (selector) => frame.$$eval(selector, (els) => els.map((el) => el.textContent)),
    getAttribute: (selector, name) => frame.$eval(selector, (el, n) => el.getAttribute(n), name),
    isChecked: (selector) => frame.$eval(selector, (el) => el.checked),
    title: () => frame.evaluate(() => document.title),
    /**
     * Waits for an element matching `selector` whose text contains `text`, and returns a selector for it alone:
     * `selector` narrowed by its place among its siblings (so `selector` must not be a list).
     */
    withText: async (selector, text, { timeout = DEFAULT_TIMEOUT } = {}) => {
      const place = await poll(frame, ([sel, t]) => {
        const el = [...document.querySelectorAll(sel)].find((e) => e.textContent.includes(t));
        return el ? [...el.parentElement.children].indexOf(el) + 1 : 0;
      }, [selector, text], timeout, `${selector} with the text ${JSON.stringify(text)}`);
      return `${selector}:nth-child(${place})`;
    },
    /** Waits until `fn(arg)` is truthy in the page and returns its value. */
    waitForFunction: (fn, arg, { timeout = DEFAULT_TIMEOUT } = {}) => poll(frame, fn, arg, timeout, fn.name || "a page condition"),
    /** Waits for an element to exist ({ visible: true }: to be shown; { hidden: true }: to be gone or hidden). */
    waitForSelector: (selector, { timeout = DEFAULT_TIMEOUT, visible = false, hidden = false } = {}) =>
      poll(frame, ([sel, wantVisible, wantHidden]) => {
        const el = document.querySelector(sel);
        const shown = Boolean(el) && el.checkVisibility();
        return wantHidden ? !shown : wantVisible ? shown : Boolean(el);
      }, [selector, visible, hidden], timeout, `selector ${selector}`),
    /** The document's own location (async: read from the page, which is right even where the driver lags). */
    url: () => frame.evaluate(() => location.href),
  });
  return {
    kind,
    raw: page,
    ...within(page),
    goto: async (url, { timeout = DEFAULT_TIMEOUT } = {}) => {
      if (kind === "firefox" && url.startsWith("moz-extension:")) {
        // Over WebDriver BiDi, Firefox 153 never reports the load of a moz-extension:// page to Puppeteer (its
        // navigation manager loses the browsing context), so the goto is left running and the page itself is
        // watched until it has loaded.
        page.goto(url, { timeout, waitUntil: "load" }).catch(() => {});
        await poll(page, (u) => location.href === u && document.readyState === "complete", url, timeout, `${url} to load`);
        return;
      }
      await page.goto(url, { timeout, waitUntil: "load" });
    },
    /** A real (trusted) mouse click in the middle of the element. */
    click: async (selector) => {
      await exists(selector);
      await page.click(selector);
    },
    /** Sets an input's value and fires input and change, as typing and leaving the field would. */
    fill: async (selector, value) => {
      await one(selector);
      await page.$eval(selector, (el, v) => {
        el.focus();
        el.value = v;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }, String(value));
    },
    /** Ticks a checkbox (by clicking it when unticked). */
    check: async (selector) => {
      if (!(await (await one(selector)).evaluate((el) => el.checked))) await page.click(selector);
    },
    /** Unticks a checkbox (by clicking it when ticked). */
    uncheck: async (selector) => {
      if (await (await one(selector)).evaluate((el) => el.checked)) await page.click(selector);
    },
    setChecked: async (selector, checked) => {
      if ((await (await one(selector)).evaluate((el) => el.checked)) !== checked) await page.click(selector);
    },
    select: async (selector, ...values) => {
      await one(selector);
      return page.select(selector, ...values);
    },
    /** Chooses files in an <input type=file> (paths on this machine), as the file dialog would. */
    setInputFiles: async (selector, ...paths) => (await one(selector)).uploadFile(...paths),
    setViewportSize: (size) => page.setViewport(size),
    waitForResponse: (predicate, { timeout = DEFAULT_TIMEOUT } = {}) => page.waitForResponse(predicate, { timeout }),
    /** Clicks `selector` and returns the path of the file the browser saved because of it. */
    download: async (selector, { timeout = DEFAULT_TIMEOUT } = {}) => {
      if (!downloads) throw new Error("download: this page was opened without a downloads folder");
      const before = new Set(await readdir(downloads));
      await exists(selector);
      await page.click(selector);
      const end = Date.now() + timeout;
      for (;;) {
        const names = await readdir(downloads);
        const fresh = names.filter((n) => !before.has(n) && !PARTIAL.test(n));
        if (fresh.length && !names.some((n) => PARTIAL.test(n)) && (await stat(join(downloads, fresh[0]))).size > 0) {
          return join(downloads, fresh[0]);
        }
        if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for a download from ${selector}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Page events as the driver reports them (pageerror, console …). */
    on: (event, handler) => page.on(event, handler),
    inputValue: (selector) => page.$eval(selector, (el) => el.value),
    isDisabled: (selector) => page.$eval(selector, (el) => el.disabled === true),
    isVisible: async (selector) =>
      Boolean(await page.$(selector)) && page.$eval(selector, (el) => el.checkVisibility()),
    count: (selector) => page.$$eval(selector, (els) => els.length),
    /** The first frame whose URL is on `host` (a blade frame of the mock portal, say). */
    frame: (host) => {
      const frame = page.frames().find((f) => {
        try {
          return new URL(f.url()).hostname === host;
        } catch {
          return false;
        }
      });
      if (!frame) throw new Error(`no frame on ${host} in ${page.url()}`);
      return within(frame);
    },
    /** Waits for a frame on `host` to exist, then returns it. */
    waitForFrame: async (host, { timeout = DEFAULT_TIMEOUT } = {}) => {
      const frame = await page.waitForFrame((f) => {
        try {
          return new URL(f.url()).hostname === host;
        } catch {
          return false;
        }
      }, { timeout });
      return within(frame);
    },
    screenshot: async (name) => {
      await mkdir("test-results", { recursive: true });
      await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
    },
    reload: ({ timeout = DEFAULT_TIMEOUT } = {}) => page.reload({ timeout, waitUntil: "load" }),
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}
