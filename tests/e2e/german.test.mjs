// The planner page and the options page in German: no text a user reads is English, in every state they show —
// the catalog, warnings, the core's errors, a custom catalog's errors, and the sandbox run's progress, results and
// secrets. English is found as english.mjs says: a phrase of the English dictionary the German one lacks, or a
// word only English uses.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORDS } from "../../www/words.js";
import { ERRORS_DE, SENTENCES, STOPS_DE, WARNINGS_DE } from "../../ui/core-words.js";
import { checks, englishOn } from "./english.mjs";
import { openDetails, options, planner, runOnSandbox } from "./pages.mjs";
import { PAGE_BROWSERS, screenshot } from "./harness.mjs";

for (const kind of PAGE_BROWSERS) describe(kind, () => {
  let session, page, check, files;

  before(async () => {
    files = await mkdtemp(join(tmpdir(), "lucs-german-"));
    session = await planner("de", kind);
    page = session.page;
    const names = await page.evaluate(async () => {
      const { catalog } = await import("./pkg/lucs_registrar.js");
      return catalog().components.map((c) => c.name);
    });
    const english = [...Object.values(WORDS.en), ...SENTENCES.keys()];
    const german = [...Object.values(WORDS.de), ...SENTENCES.values(), ...Object.values(WARNINGS_DE),
      ...Object.values(ERRORS_DE), ...Object.values(STOPS_DE)];
    check = checks(english, german, names);
  });

  after(async () => {
    await session?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  /** Fails with every English text the page shows now, and where. */
  async function noEnglish(state) {
    await openDetails(page);
    const found = await englishOn(page, check);
    assert.deepEqual(found, [], `${state}: English on the German page:\n${JSON.stringify(found, null, 1)}`);
  }

  const text = (selector) => page.textContent(selector);

  test("the planner page speaks German when the browser prefers it: cards, plan, warnings, export, sandbox", async () => {
    assert.equal(await page.getAttribute("html", "lang"), "de");
    assert.equal(await text("#components-h"), "Komponenten");
    assert.equal(await page.title(), "LUCS App Registrar — Planer");
    assert.match(await text(".card .purpose"), /^Anwesenheit der Benutzer/);
    assert.match(await text("#warnings"), /Korrigiert zu User\.Read/);
    assert.match(await text("#warnings"), /die optionale Berechtigung Calendars\.Read\.Shared ist nicht enthalten/);
    assert.match(await text("#plan tbody"), /\(delegiert\)/);
    assert.equal(await page.isVisible("#sandbox"), true);
    await noEnglish("the page as it opens");
  });

  test("the plan's warnings are German, from their codes", async () => {
    await page.uncheck("#consent");
    await page.select("#secrets", "none");
    await page.check("#c-CI-Calendars\\.Read\\.Shared");
    assert.match(await text("#warnings"), /Die Administratorzustimmung ist ausgeschaltet/);
    assert.match(await text("#warnings"), /CIC: hat Anwendungsberechtigungen, aber es wird kein Geheimnis erstellt/);
    assert.match(await text("#warnings"), /Calendars\.Read\.Shared ist enthalten/);
    assert.match(await text("#plan tbody"), /nicht erteilt/);
    await noEnglish("consent off, no secrets, an optional permission");
    await page.check("#consent");
    await page.select("#secrets", "auto");
    await page.uncheck("#c-CI-Calendars\\.Read\\.Shared");
  });

  test("the core's errors are German next to their fields, from code and field", async () => {
    const cases = [
      ["#c-CR-count", "21", "#c-CR-instances-error", /^21 Instanzen von CR angefordert; höchstens 20 sind erlaubt\.$/],
      ["#c-CR-labels", "east, East", "#c-CR-instances-error", /Die Instanzbezeichnung East kommt für CR zweimal vor/],
      ["#c-CR-labels", "east, ", "#c-CR-instances-error", /Eine Instanzbezeichnung ist leer/],
      ["#c-CR-labels", "ost/west", "#c-CR-instances-error", /^ost\/west: eine Instanzbezeichnung hat 1–32 Buchstaben/],
      ["#c-FE-web", "https://lucs.contoso.com/signin\nhttp://contoso.com/cb", "#c-FE-web-error", /^http:\/\/contoso\.com\/cb ist keine zulässige Umleitungs-URI/],
      ["#c-FE-web", "https://lucs.contoso.com/a\nhttps://lucs.contoso.com/a", "#c-FE-web-error", /steht zweimal in der Liste/],
      ["#prefix", "LU'CS", "#prefix-error", /Das Namenspräfix muss mit einem Buchstaben oder einer Ziffer beginnen/],
      ["#prefix", "L".repeat(41), "#prefix-error", /^Das Namenspräfix hat 41 Zeichen; höchstens 40 sind erlaubt\.$/],
      ["#lifetime", "30", "#lifetime-error", /zwischen 1 und 24/],
    ];
    const reset = { "#c-CR-count": "1", "#c-CR-labels": "1", "#c-FE-web": "", "#prefix": "LUCS", "#lifetime": "12" };
    for (const [input, value, slot, expected] of cases) {
      await page.fill(input, value);
      assert.match(await text(slot), expected, `${input} = ${value}`);
      await noEnglish(`${input} = ${JSON.stringify(value)}`);
      await page.fill(input, reset[input]);
      assert.equal(await text(slot), "");
    }
    const picks = await page.$$eval("input[data-code]",
      (all) => all.map((el) => `input[data-code="${el.dataset.code}"]`));
    for (const pick of picks) await page.uncheck(pick);
    assert.equal(await text("#plan-error"), "Wählen Sie mindestens eine Komponente.");
    await noEnglish("no component chosen");
    for (const pick of picks) await page.check(pick);
  });

  test("a custom catalog's errors and a file that is not JSON are German", async () => {
    const broken = await page.evaluate(async () => {
      const { catalog } = await import("./pkg/lucs_registrar.js");
      const c = catalog();
      c.components[0].permissions[0].kind = "Scope";
      return c;
    });
    const load = async (selector, body) => {
      await writeFile(join(files, "file.json"), body);
      await page.setInputFiles(selector, join(files, "file.json"));
    };
    await load("#load-catalog", JSON.stringify(broken));
    await page.waitForFunction(() => document.getElementById("catalog-error").textContent !== "");
    assert.equal(await text("#catalog-error"), "components[0].permissions[0].kind muss delegated oder application sein.");
    await noEnglish("a catalog with a wrong kind");
    broken.components[0].permissions[0].kind = "delegated";
    broken.components[1].name = "";
    await load("#load-catalog", JSON.stringify(broken));
    await page.waitForFunction(() => /name:/.test(document.getElementById("catalog-error").textContent));
    assert.equal(await text("#catalog-error"), "components[1].name: Der Name darf nicht leer sein und höchstens 80 Zeichen haben.");
    await noEnglish("a catalog with a blank name");
    await load("#load-catalog", "{ not json");
    await page.waitForFunction(() => /JSON/.test(document.getElementById("catalog-error").textContent));
    assert.equal(await text("#catalog-error"), "Die Datei ist kein gültiges JSON.");
    await load("#load-request", "null");
    await page.waitForFunction(() => document.getElementById("load-error").textContent !== "");
    assert.equal(await text("#load-error"), "Die Datei enthält keine gespeicherte Auswahl.");
    await noEnglish("files that are not what they should be");
    await page.click("#builtin-catalog");
  });

  test("the sandbox run speaks German: status, progress with its retries, results, secrets, copy buttons", async () => {
    await page.fill("#c-CR-count", "2");
    await runOnSandbox(page, { replicationDelay: true });
    assert.match(await text("#sandbox-status"), /^9 Apps registriert, in \d+ Graph-Roundtrips \(\d+ Wiederholungen, \d+,\d s\)\.$/);
    assert.match(await page.textContent("#sandbox-progress li.retrying"), /: neuer Versuch \(warte auf Entra-Replikation, Versuch \d+, \d+ ms\)$/);
    assert.match(await page.textContent("#sandbox-progress li.done"), /^(Erkundung|Anwendungen)( · [a-z0-9-]+)?: erledigt$/);
    assert.equal(await page.count("#sandbox-results tbody tr"), 9);
    assert.match(await text("#sandbox-secrets"), /Geheimnis für lucs-cic \(läuft ab am \d\d\.\d\d\.\d{4}, \d\d:\d\d\) — nur einmal angezeigt, nirgends gespeichert: /);
    const copy = "#sandbox-results tbody tr:first-child td:nth-child(4) button";
    assert.match(await page.getAttribute(copy, "aria-label"), /^Kopieren – Anwendungs-ID \(Client\): LUCS /);
    await page.click(copy);
    await page.waitForFunction((b) => document.querySelector(b).textContent === "Kopiert", copy);
    assert.match(await page.getAttribute(copy, "aria-label"), /^Kopiert – Anwendungs-ID \(Client\): LUCS /);
    await noEnglish("after a sandbox run");
    await screenshot(page, "www-sandbox-run-de");
  });

  test("a switch of language redraws what the scripts wrote, and the check sees English when it is there", async () => {
    await page.select("#language", "en");
    assert.match(await text("#sandbox-status"), /^Registered 9 apps in \d+ round trips/);
    assert.match(await text("#warnings"), /The vendor's guide says "Users\.Read"/);
    assert.match(await page.textContent("#sandbox-progress li.done"), /: done$/);
    const found = (await englishOn(page, check)).map((f) => f.where);
    for (const where of ["#components-h", "#sandbox-status", "#warnings li", "#sandbox-progress li", "#sandbox-secrets strong"]) {
      assert.ok(found.includes(where), `the English page's ${where} is found: ${found.join(", ")}`);
    }
    await page.select("#language", "de");
    await noEnglish("after switching to English and back");
    assert.deepEqual(session.problems, []);
  });

  test("the options page speaks German in a browser whose language is German, its errors too", async () => {
    const locales = Object.fromEntries(await Promise.all(["en", "de"].map(async (lang) =>
      [lang, Object.values(JSON.parse(await readFile(`extension/_locales/${lang}/messages.json`, "utf8"))).map((m) => m.message)])));
    const optionsCheck = checks(locales.en, locales.de);
    // The check sees the English page's words, so its silence on the German one means something.
    const english = await options("en", kind);
    try {
      const found = (await englishOn(english.page, optionsCheck)).map((f) => f.where);
      for (const where of ["html", "title", "h1", "#save", "#token @aria-label"]) assert.ok(found.includes(where), `${where}: ${found.join(", ")}`);
    } finally {
      await english.close();
    }
    const { page: opts, close } = await options("de", kind);
    try {
      const noEnglishThere = async (state) => {
        const found = await englishOn(opts, optionsCheck);
        assert.deepEqual(found, [], `${state}: English on the German options page:\n${JSON.stringify(found, null, 1)}`);
      };
      assert.equal(await opts.textContent("h1"), "Anmeldung");
      assert.equal(await opts.title(), "LUCS App Registrar — Optionen");
      assert.equal(await opts.getAttribute("#token", "aria-label"), "Zugriffstoken");
      await noEnglishThere("as it opens");
      await opts.click("#sign-in");
      await opts.waitForFunction(() => document.getElementById("status").textContent !== "");
      assert.equal(await opts.textContent("#status"), "Geben Sie zuerst die Anwendungs-ID (Client) Ihrer Registrierung ein.");
      await noEnglishThere("signing in without a client ID");
      await opts.fill("#token", "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.");
      await opts.click("#use-token");
      await opts.waitForFunction(() => /Kein verwendbares Token/.test(document.getElementById("status").textContent));
      await noEnglishThere("a refused token");
      await opts.fill("#client-id", "00000000-0000-0000-0000-000000000001");
      await opts.click("#save");
      await opts.waitForFunction(() => document.getElementById("status").textContent === "Gespeichert.");
      await noEnglishThere("saved");
    } finally {
      await close();
    }
  });
});
