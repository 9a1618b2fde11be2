// The extension's pages in English and German, as users of either language install the release build: in German
// no English string anywhere (english.mjs finds it), and axe-core finds no violation in either language — the popup
// in its states (no token, the tenant shown, a preview, done with results, a foreignApps stop), the
// confirmation window, the results page, the health page (drifted states, a renewal's two steps, a policy's
// refusal) and the options page. The in-portal box sits in a closed shadow root: it is
// drawn by its own code (content.js's lucsBox.draw) into an open one in an extension page and checked there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS, appBlade, click, openConfirmation, prepare, send, set, text, waitFor } from "./steps.mjs";
import { checks, englishOn } from "../english.mjs";
import { ERRORS_DE, PREFLIGHT_DE, SENTENCES, STOPS_DE, WARNINGS_DE } from "../../../ui/core-words.js";

const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS = { rules: { "label-content-name-mismatch": { enabled: true } } };
const MALLORY = { ownerUpn: "mallory@contoso.example", ownerName: "Mallory Member" };

const messages = async (lang) => Object.values(JSON.parse(await readFile(`extension/_locales/${lang}/messages.json`, "utf8"))).map((m) => m.message);

/** axe's violations on the page (or in `selector`) as it is now: rule, impact, where, why. */
async function violations(page, selector = null) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async ([s, options]) => {
    const result = await window.axe.run(s ? document.querySelector(s) : document, options);
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`).join(" | ")}`);
  }, [selector, AXE_OPTIONS]);
  await page.evaluate(() => document.querySelectorAll("#tenant-more").forEach((d) => (d.open = false)));
  return found;
}

for (const lang of ["en", "de"]) {
  eachBrowser((suite) => {
    let check = null;
    before(() => suite.start());
    after(() => suite.stop());

    /** Fails on every English text (German only) and every axe violation the page shows now. */
    async function looked(page, state) {
      const where = `${suite.name}, ${lang}, ${state}`;
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang, where);
      if (lang === "de") {
        // The catalog's component names and the sandbox's tenant and users are names, the same in every language.
        check ??= checks([...await messages("en"), ...SENTENCES.keys(), ...Object.keys(PREFLIGHT_DE)],
          [...await messages("de"), ...SENTENCES.values(), ...Object.values(WARNINGS_DE), ...Object.values(ERRORS_DE), ...Object.values(STOPS_DE), ...Object.values(PREFLIGHT_DE)],
          [...(await send(page, { type: "state" })).result.catalog.components.map((c) => c.name), "Contoso", "Contoso FE (by hand)", "Sandbox Admin", "Mallory Member"]);
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        const found = await englishOn(page, check);
        assert.deepEqual(found, [], `${where}: English on the German page:\n${JSON.stringify(found, null, 1)}`);
      }
      assert.deepEqual(await violations(page), [], `${where}: axe`);
    }

    test(`${suite.name} (${lang}): the popup from no token to results and a foreignApps stop, speaks ${lang} and has no axe violation`, async () => {
      const { world } = suite;
      await world.post("/sandbox/reset", {});
      let popup = await suite.popup();
      await waitFor(popup, () => !document.getElementById("no-token").hidden, null, { what: "the no-token state" });
      await looked(popup, "no token");
      await popup.close();
      const portal = await suite.portal("portal", APP_REGISTRATIONS);
      await suite.knowsTenant((await world.state()).tenantId);
      popup = await suite.popup();
      await looked(popup, "the tenant shown");
      await prepare(popup);
      await looked(popup, "a preview, the tenant confirmed");
      await click(popup, "#register");
      await suite.waitRun((r) => r?.status === "done");
      await waitFor(popup, () => document.querySelectorAll("#results tbody tr").length === 10, null, { what: "the results" });
      await looked(popup, "done, with results");
      await popup.close();
      // The secrets of that run wait on the results page.
      const results = await suite.extensionPage("results.html");
      await waitFor(results, () => document.body.dataset.ready === "true" && document.querySelectorAll("#secrets tbody tr").length > 0, null, { what: "the results page" });
      await looked(results, "the results page with secrets waiting");
      await results.close();
      // A member takes a key after the preview: the run stops before writing, and the popup shows whose apps they are.
      await world.post("/sandbox/reset", {});
      popup = await suite.popup();
      await prepare(popup);
      await world.post("/sandbox/member-app", { uniqueName: "lucs-ac", displayName: "LUCS Agent Controller", ...MALLORY });
      await click(popup, "#register");
      await suite.waitRun((r) => r?.status === "stopped");
      await waitFor(popup, () => !document.getElementById("adopt-row").hidden, null, { what: "the foreignApps stop" });
      await looked(popup, "a foreignApps stop");
      await popup.close();
      await portal.close();
    });

    test(`${suite.name} (${lang}): the health page over drifted states, a renewal's two steps and a policy's refusal`, async () => {
      const { world } = suite;
      await world.post("/sandbox/reset", {});
      await world.post("/sandbox/app-policy", {});
      // A fresh profile: a run another test left stopped is not resumed here.
      const portal = await suite.portal("portal", APP_REGISTRATIONS, { fresh: true });
      await suite.knowsTenant((await world.state()).tenantId);
      const popup = await suite.popup();
      await prepare(popup);
      await click(popup, "#register");
      await suite.waitRun((r) => r?.status === "done");
      await popup.close();
      await world.post("/sandbox/health-states", { prefix: "LUCS" });
      const health = await suite.extensionPage("health.html");
      await waitFor(health, () => document.body.dataset.ready === "true" && document.querySelectorAll("#health tbody tr").length > 0, null, { what: "the health page" });
      await looked(health, "the health page");
      await click(health, '#health tr[data-key="lucs-cic"] button.renew');
      await waitFor(health, () => document.getElementById("renew-months")?.options.length > 0, null, { what: "the lifetimes offered" });
      await looked(health, "renewal, the lifetimes offered");
      await click(health, "#renew-add");
      await waitFor(health, () => document.getElementById("retire-confirm") !== null, null, { what: "both secrets" });
      await looked(health, "renewal, both secrets shown");
      await click(health, '#health tr[data-key="lucs-webconfigurator"] button.renew');
      await waitFor(health, () => document.getElementById("renew-months")?.options.length === 5, null, { what: "every lifetime offered" });
      await world.post("/sandbox/app-policy", { maxDays: 180 });
      await set(health, "#renew-months", "12");
      await click(health, "#renew-add");
      await waitFor(health, () => document.querySelector("#renew-error .error") !== null, null, { what: "the policy's refusal" });
      if (lang === "de") assert.ok((await text(health, "#renew-error")).startsWith(STOPS_DE.policyRefused), await text(health, "#renew-error"));
      await looked(health, "renewal refused by the policy");
      await world.post("/sandbox/app-policy", {});
      await health.close();
      await portal.close();
    });

    test(`${suite.name} (${lang}): the confirmation window, the options page and the in-portal box`, async () => {
      const { world } = suite;
      await world.post("/sandbox/reset", {});
      const { appId } = await world.post("/sandbox/seed", { displayName: "Contoso FE (by hand)" });
      const portal = await suite.portal("portal", appBlade(appId, "CallAnAPI"));
      const page = await openConfirmation(suite, portal);
      await looked(page, "the confirmation as it opens");
      await set(page, "#component", "FE");
      // The run the other test stopped may still be resumed from the popup: it is discarded here.
      if (await page.evaluate(() => !document.getElementById("discard-row").hidden)) await set(page, "#discard", true);
      await waitFor(page, () => !document.getElementById("confirm").disabled, null, { what: "a component chosen" });
      await set(page, "#confirm", true);
      await click(page, "#apply");
      await waitFor(page, () => !document.getElementById("result").hidden, null, { timeout: 60000, what: "the result" });
      await looked(page, "the confirmation's result");
      await page.close();
      await portal.close();

      const options = await suite.extensionPage("options.html");
      await waitFor(options, () => document.body.dataset.ready === "true", null, { what: "the options page" });
      await looked(options, "the options page");
      await set(options, "#token", "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.");
      await click(options, "#use-token");
      await waitFor(options, () => document.getElementById("status").textContent !== "", null, { what: "a refused token" });
      await looked(options, "the options page, a token refused");

      // The box, drawn by content.js into an open shadow root of an extension page (it speaks the same locale).
      await options.evaluate(async () => {
        const load = (src) => new Promise((resolve, reject) => document.head.append(Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject })));
        await load("route.js");
        await load("content.js");
        const host = Object.assign(document.createElement("div"), { id: "box-host" });
        document.querySelector("main").append(host);
        globalThis.lucsBox.draw(host.attachShadow({ mode: "open" }), "00000000-0000-0000-0000-000000000001", false);
      });
      if (lang === "de") {
        const words = await options.evaluate(() => [...document.getElementById("box-host").shadowRoot.querySelectorAll("button")].map((b) => `${b.textContent} ${b.getAttribute("aria-label") ?? ""}`).join(" | "));
        assert.doesNotMatch(words, /Copy|Apply|Hide|Show/, `${suite.name}: the box in German: ${words}`);
      }
      assert.deepEqual(await violations(options, "#box-host"), [], `${suite.name}, ${lang}: axe on the box`);
      await options.close();
    });
  }, { lang });
}
