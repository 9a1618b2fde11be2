// The pages the language and accessibility tests look at, each in a chosen language: the planner page served by
// the Graph sandbox (as `make demo` serves it), and the extension's options page in Chromium with its UI language
// set, as a user of that language installs the release build.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { browser, sandbox } from "./harness.mjs";

const LOCALES = { en: "en-US", de: "de-DE" };

/** The planner page on a fresh sandbox tenant, in `lang` as the browser's preferred language. */
export async function planner(lang) {
  const site = await sandbox("dist/www");
  const chrome = await browser();
  const context = await chrome.newContext({ viewport: { width: 1200, height: 900 }, locale: LOCALES[lang] });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url.replace(/\/$/, "") });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(site.url);
  await page.waitForSelector("body[data-ready=true]");
  return {
    page,
    problems,
    close: async () => {
      await chrome.close();
      site.close();
    },
  };
}

/** Registers the plan on the sandbox tenant from the page and waits for the run to end. */
export async function runOnSandbox(page, { replicationDelay = false } = {}) {
  // A fresh sandbox tenant first: the tests share one sandbox, and apps another test registered from another page
  // (whose journals this page does not keep) are rightly not this page's to write to.
  await Promise.all([page.waitForResponse((r) => r.url().endsWith("/sandbox/reset")), page.click("#sandbox-reset")]);
  await page.waitForFunction(() => document.getElementById("sandbox-results").hidden);
  await page.setChecked("#fault-replication", replicationDelay);
  await page.click("#sandbox-run");
  await page.waitForFunction(() => !document.getElementById("sandbox-run").disabled, null, { timeout: 120_000 });
}

/** Opens every <details> so what they hold is looked at too. */
export const openDetails = (page) => page.$$eval("details", (all) => all.forEach((d) => (d.open = true)));

/** The release build (dist/chrome) in Chromium whose UI language is `lang`, and its options page. */
export async function options(lang) {
  const profile = await mkdtemp(join(tmpdir(), "lucs-options-"));
  const extension = resolve("dist/chrome");
  // Chromium on Linux takes its UI language from the environment; --lang alone is not enough there.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    locale: LOCALES[lang],
    env: { ...process.env, LANGUAGE: lang, LANG: `${LOCALES[lang].replace("-", "_")}.UTF-8` },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", `--lang=${lang}`, "--host-resolver-rules=MAP * ~NOTFOUND",
      `--disable-extensions-except=${extension}`, `--load-extension=${extension}`],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? await context.waitForEvent("serviceworker", { timeout: 20_000 });
    const page = await context.newPage();
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/options.html`);
    await page.waitForSelector("body[data-ready=true]");
    return {
      page,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context.close();
    throw err;
  }
}
