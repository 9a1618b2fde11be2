// One page API for both browsers (a Puppeteer page underneath, over CDP in Chromium and WebDriver BiDi in
// Firefox). Signatures follow Playwright's where they differ (evaluate(fn, arg), waitForFunction(fn, arg, opts)),
// so tests read like the repository's other browser tests.
import { mkdir } from "node:fs/promises";

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

export function wrapPage(page, kind) {
  const one = async (selector) => {
    const handle = await page.$(selector);
    if (!handle) throw new Error(`no element matches ${selector}`);
    return handle;
  };
  const within = (frame) => ({
    evaluate: (fn, arg) => frame.evaluate(fn, arg),
    textContent: (selector) => frame.$eval(selector, (el) => el.textContent),
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
    click: (selector) => page.click(selector),
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
      if (!(await page.$eval(selector, (el) => el.checked))) await page.click(selector);
    },
    select: (selector, ...values) => page.select(selector, ...values),
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
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}
