// The pages the language and accessibility tests look at, each in a chosen language and browser: the planner page
// served by the Graph sandbox (as `make demo` serves it), and the extension's options page in a browser whose UI
// language is that language, as a user of that language installs the release build.
import { launch } from "./realportal/browsers.mjs";
import { blankPage, sandbox } from "./harness.mjs";

/** The planner page on a fresh sandbox tenant in `kind`, in `lang` as the browser's preferred language. */
export async function planner(lang, kind = "chromium") {
  const site = await sandbox("dist/www");
  try {
    const origin = site.url.replace(/\/$/, "");
    const { page, problems, readClipboard, close } = await blankPage(kind, { lang, origin });
    try {
      await page.goto(site.url);
      await page.waitForSelector("body[data-ready=true]");
    } catch (err) {
      await close();
      throw err;
    }
    return {
      page,
      problems,
      readClipboard,
      close: async () => {
        await close();
        site.close();
      },
    };
  } catch (err) {
    site.close();
    throw err;
  }
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

/** The release build (dist/chrome or dist/firefox) in `kind` whose UI language is `lang`, and its options page. */
export async function options(lang, kind = "chromium") {
  const browser = await launch(kind, null, { lang, viewport: { width: 1200, height: 900 } });
  try {
    const page = await browser.openOptions();
    await page.waitForSelector("body[data-ready=true]");
    return { page, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
