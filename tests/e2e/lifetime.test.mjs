// The planner page's pre-flight against the sandbox reads the tenant's default app management policy: under a
// 180-day policy a 12-month secret cannot be planned (the field says which policy allows how much), 3 months can,
// and the note under the field names the limit. Without a policy every lifetime plans.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { planner } from "./pages.mjs";
import { PAGE_BROWSERS } from "./harness.mjs";

const post = (page, path, body) => page.evaluate(([p, b]) => fetch(p, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) }).then((r) => r.status), [path, body]);
const planRows = (page) => page.count("#plan tbody tr");

for (const kind of PAGE_BROWSERS) describe(kind, () => {
  let session;
  after(() => session?.close());

  test("a 180-day policy makes a 12-month secret impossible to choose on the planner page", async () => {
    session = await planner("en", kind);
    const { page } = session;
    assert.match(await page.textContent("#lifetime-note"), /does not limit/);
    assert.equal(await post(page, "/sandbox/app-policy", { maxDays: 180 }), 200);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.match(await page.textContent("#lifetime-note"), /tenant's default policy.*at most 180 days, so at most 3 months/);
    assert.equal(await page.getAttribute("#lifetime", "max"), "3");
    await page.fill("#lifetime", "12");
    await page.waitForFunction(() => /at most 3 months/.test(document.getElementById("lifetime-error").textContent));
    assert.equal(await page.getAttribute("#lifetime", "aria-invalid"), "true");
    assert.equal(await planRows(page), 0, "nothing planned with a lifetime the policy forbids");
    await page.fill("#lifetime", "3");
    await page.waitForFunction(() => document.querySelectorAll("#plan tbody tr").length > 0);
    assert.equal(await page.textContent("#lifetime-error"), "");
    // Secrets not made: no lifetime to refuse.
    await page.fill("#lifetime", "12");
    await page.waitForFunction(() => document.querySelectorAll("#plan tbody tr").length === 0);
    await page.select("#secrets", "none");
    await page.waitForFunction(() => document.querySelectorAll("#plan tbody tr").length > 0);
    assert.equal(await post(page, "/sandbox/app-policy", {}), 200);
    assert.equal(session.problems.length, 0, session.problems.join("\n"));
  });
});
