// The popup stays put: once it says it is ready (body[data-ready], the lucs-popup-ready mark) nothing under the
// pointer moves — at the largest popup a browser allows (800 × 600) and at 440 px, in English and German, with a
// portal tab whose blades keep bringing tokens (each one checked and told to the popup while it is open). Measured
// two ways: every visible control's box at ready and 1.5 s later (both browsers), and the layout shifts the browser
// itself reports after the ready mark (Chromium: PerformanceObserver "layout-shift"; Firefox reports none).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { eachBrowser } from "./suite.mjs";
import { APP_REGISTRATIONS } from "./steps.mjs";

const SIZES = [{ width: 800, height: 600 }, { width: 440, height: 600 }];
const SETTLE_MS = 1500;

// In the page: waits for ready, then takes every visible control's box; 1.5 s later takes them again and sums the
// layout shifts after the mark.
async function measure(settleMs) {
  const boxes = () => {
    const out = {};
    const all = document.querySelectorAll("button, input, select, textarea, a[href], summary, label, h1, h2");
    all.forEach((el, i) => {
      if (!el.checkVisibility()) return;
      const r = el.getBoundingClientRect();
      out[`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : `[${i}]`}`] = [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 2) / 2);
    });
    return out;
  };
  while (document.body.dataset.ready !== "true") await new Promise((r) => setTimeout(r, 5));
  const mark = performance.getEntriesByName("lucs-popup-ready")[0]?.startTime ?? null;
  const lateMs = mark === null ? null : Math.round(performance.now() - mark);
  const atReady = boxes();
  const facts = {
    lang: document.documentElement.lang,
    apps: document.body.dataset.apps,
    tenant: document.getElementById("tenant-select").selectedOptions[0]?.textContent ?? "",
    details: document.getElementById("tenant-details").textContent,
    check: document.getElementById("check").textContent,
  };
  await new Promise((r) => setTimeout(r, settleMs));
  const later = boxes();
  const moved = [...new Set([...Object.keys(atReady), ...Object.keys(later)])]
    .filter((k) => JSON.stringify(atReady[k]) !== JSON.stringify(later[k]))
    .map((k) => `${k}: ${JSON.stringify(atReady[k] ?? "absent")} → ${JSON.stringify(later[k] ?? "absent")}`);
  let shift = null;
  if (PerformanceObserver.supportedEntryTypes.includes("layout-shift")) {
    shift = await new Promise((resolve) => {
      new PerformanceObserver((list, observer) => {
        observer.disconnect();
        resolve(list.getEntries()
          .filter((e) => e.startTime >= mark && !e.hadRecentInput)
          .reduce((sum, e) => sum + e.value, 0));
      }).observe({ type: "layout-shift", buffered: true });
      // No entry at all is no shift: the observer may never be called.
      setTimeout(() => resolve(0), 300);
    });
  }
  return { lateMs, controls: Object.keys(atReady).length, moved, shift, facts };
}

const locale = async (lang) => JSON.parse(await readFile(`extension/_locales/${lang}/messages.json`, "utf8"));

for (const lang of ["en", "de"]) {
  eachBrowser((suite) => {
    before(() => suite.start());
    after(() => suite.stop());

    test(`${suite.name} (${lang}): nothing in the popup moves after it says it is ready, at 800 × 600 and 440 px`, async () => {
      const { world } = suite;
      const words = await locale(lang);
      await world.post("/sandbox/reset", {});
      const portal = await suite.portal("portal", APP_REGISTRATIONS);
      const { tenantId } = await world.state();
      await suite.knowsTenant(tenantId);
      for (const size of SIZES) {
        const popup = await suite.extensionPage("popup.html", { viewport: size });
        const m = await popup.evaluate(measure, SETTLE_MS);
        const where = `${suite.name}, ${lang}, ${size.width} × ${size.height}`;
        console.log(`# layout after ready (${where}): controls=${m.controls} moved=${m.moved.length} layout_shift=${m.shift ?? "not reported by this browser"} ready_seen_after=${m.lateMs} ms`);
        assert.equal(m.facts.lang, lang, where);
        assert.equal(m.facts.check, words.checkTenant.message, `${where}: the popup speaks ${lang}`);
        // Ready means the plan and the tenant's pre-flight are on screen.
        assert.ok(Number(m.facts.apps) > 0, `${where}: the plan is drawn at ready`);
        assert.match(m.facts.details, /Contoso/, `${where}: pre-flight is drawn at ready`);
        assert.match(m.facts.tenant, new RegExp(`^\u2068Contoso[^\u2069]*\u2069 — \u2068[^\u2069]+\u2069 \\(${tenantId.slice(0, 8)}…\\)`), `${where}: the tenant named`);
        assert.ok(m.controls > 10, `${where}: the controls are measured (${m.controls})`);
        assert.deepEqual(m.moved, [], `${where}: controls moved after ready`);
        if (m.shift !== null) assert.equal(m.shift, 0, `${where}: layout shift after ready`);
        await popup.close();
      }
      await portal.close();
    });
  }, { lang });
}
