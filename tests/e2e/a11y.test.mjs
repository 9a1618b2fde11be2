// axe-core over the planner page (before and after a sandbox run) and the options page, in English and in German:
// no violation. axe is read from node_modules and evaluated in the page, so nothing is fetched. Besides its default
// rules (WCAG 2.x A and AA, best practices) it checks that a control's name contains the words it shows
// (label-content-name-mismatch, still marked experimental by axe): a copy button reads "Copied" for a moment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { openDetails, options, planner, runOnSandbox } from "./pages.mjs";
import { PAGE_BROWSERS } from "./harness.mjs";

const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const AXE_OPTIONS = { rules: { "label-content-name-mismatch": { enabled: true } } };

/** axe's violations in `selector` (the whole page by default) as it is now, one line each: rule, impact, where, why. */
async function violations(page, selector = null) {
  if (!selector) await openDetails(page);
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async ([selector, options]) => {
    const result = await window.axe.run(selector ? document.querySelector(selector) : document, options);
    return result.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`) }));
  }, [selector, AXE_OPTIONS]);
  return found.map((v) => `${v.rule} (${v.impact}): ${v.nodes.join(" | ")}`);
}

for (const kind of PAGE_BROWSERS) for (const lang of ["en", "de"]) {
  test(`${kind}: the planner page in ${lang}: no axe violation before and after a sandbox run`, async () => {
    const { page, problems, close } = await planner(lang, kind);
    try {
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.deepEqual(await violations(page), [], "as the page opens");
      await page.fill("#c-CR-count", "21");
      assert.deepEqual(await violations(page), [], "with an error next to a field");
      await page.fill("#c-CR-count", "2");
      await runOnSandbox(page, { replicationDelay: true });
      assert.equal(await page.count("#sandbox-results tbody tr"), 9);
      assert.deepEqual(await violations(page), [], "after a sandbox run");
      // A copy button reads "Copied" for a moment (1.2 s): its row is looked at in that moment.
      const row = "#sandbox-results tbody tr:first-child";
      await page.click(`${row} td:nth-child(4) button`);
      await page.waitForFunction((s) => document.querySelector(s).textContent === (document.documentElement.lang === "de" ? "Kopiert" : "Copied"), `${row} td:nth-child(4) button`);
      assert.deepEqual(await violations(page, row), [], "a copy button just pressed");
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`${kind}: the options page in ${lang}: no axe violation`, async () => {
    const { page, close } = await options(lang, kind);
    try {
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.deepEqual(await violations(page), [], "as the page opens");
      await page.click("#sign-in");
      await page.waitForFunction(() => document.getElementById("status").textContent !== "");
      assert.deepEqual(await violations(page), [], "with a sign-in error");
    } finally {
      await close();
    }
  });
}
