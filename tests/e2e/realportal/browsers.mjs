// The one launcher of every browser test (this suite, the planner page's tests, the popup benchmark), for both
// browsers: the release builds loaded as users install them (dist/chrome unpacked in Chromium, dist/firefox as a
// temporary add-on in Firefox), and, given a world from hosts.mjs, its real host names reaching its HTTPS server
// and its throwaway CA trusted in the browser's own throwaway profile only. Without a world only loopback is
// reachable.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, symlink, writeFile, mkdir, realpath } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import puppeteer from "puppeteer-core";
import { wrapPage } from "./page.mjs";

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
// LUCS_BROWSER_LOG=1 shows the browsers' own output (startup problems, console errors of extension pages).
const DUMPIO = process.env.LUCS_BROWSER_LOG === "1";
/** The browsers a suite runs in: LUCS_BROWSERS=chromium,firefox (the default) or one of them. */
export const BROWSERS = (process.env.LUCS_BROWSERS ?? "chromium,firefox").split(",").map((b) => b.trim()).filter(Boolean);
// LUCS_DIST: where the builds are (default dist/, as `make extension` leaves them).
const DIST = resolve(process.env.LUCS_DIST ?? "dist");
export const BUILDS = { chromium: join(DIST, "chrome"), firefox: join(DIST, "firefox") };

/** NSS's trust flags "C,,": a CA trusted to issue TLS server certificates (certutil(1)). */
async function trustCa(nssDir, caPem) {
  await mkdir(nssDir, { recursive: true });
  await run("certutil", ["-N", "-d", `sql:${nssDir}`, "--empty-password"]);
  await run("certutil", ["-A", "-d", `sql:${nssDir}`, "-n", "LUCS throwaway test CA", "-t", "C,,", "-i", caPem]);
}

/**
 * launch("chromium" | "firefox", world | null, { extension = true, policies, lang, viewport }) →
 *   { kind, extensionId, extensionBaseUrl, downloads, newPage(url), openPopup({ query, ready }), openOptions(),
 *     close(), raw }
 * `policies` (Firefox only): an enterprise policies.json object, seen by this Firefox alone. `lang` ("en", "de"):
 * the browser's UI language, which the extension's pages speak and web pages are told is preferred (default: the
 * browser's own, English here). `viewport`: { width, height } of every page (default: the driver's 800 × 600).
 * `downloads`: the folder the browser saves downloads in, without asking.
 */
export async function launch(kind, world, options = {}) {
  if (kind === "chromium") return launchChromium(world, options);
  if (kind === "firefox") return launchFirefox(world, options);
  throw new Error(`launch: kind must be "chromium" or "firefox", got ${kind}`);
}

const LOCALES = { en: "en_US", de: "de_DE" };

async function launchChromium(world, { extension = true, policies, lang, viewport } = {}) {
  if (policies) throw new Error("launch: enterprise policies are a Firefox option here");
  const home = await mkdtemp(join(tmpdir(), "lucs-chromium-"));
  // Chromium on Linux takes trust decisions with NSS and reads the user's db in $HOME/.pki/nssdb.
  if (world) await trustCa(join(home, ".pki", "nssdb"), world.caPem);
  // Without a world, pages are served on loopback by address, which the catch-all below would otherwise refuse.
  const rules = world
    ? Object.values(world.hosts).map((h) => `MAP ${h} 127.0.0.1:${world.port}`)
    : ["EXCLUDE 127.0.0.1"];
  const downloads = join(home, "downloads");
  await mkdir(downloads);
  const browser = await puppeteer.launch({
    browser: "chrome",
    executablePath: CHROMIUM,
    headless: true,
    dumpio: DUMPIO,
    pipe: true,
    enableExtensions: true,
    userDataDir: join(home, "profile"),
    defaultViewport: viewport,
    downloadBehavior: { policy: "allow", downloadPath: downloads },
    // Chromium on Linux takes its UI language from the environment; --lang alone is not enough there. Headless
    // Chromium tells web pages (navigator.language, Accept-Language) only what --accept-lang says.
    env: { ...process.env, HOME: home, ...(lang ? { LANGUAGE: lang, LANG: `${LOCALES[lang]}.UTF-8` } : {}) },
    // As root Chromium needs --no-sandbox; everything else unmapped fails to resolve (no real network).
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-component-update", "--disable-sync",
      `--host-resolver-rules=${[...rules, "MAP * ~NOTFOUND"].join(", ")}`,
      ...(lang ? [`--lang=${lang}`, `--accept-lang=${lang}`] : [])],
  });
  try {
    const extensionId = extension ? await browser.installExtension(BUILDS.chromium) : null;
    const baseUrl = extensionId && `chrome-extension://${extensionId}/`;
    return session("chromium", browser, baseUrl, extensionId, home, downloads);
  } catch (err) {
    await browser.close();
    throw err;
  }
}

async function launchFirefox(world, { extension = true, policies, lang, viewport } = {}) {
  const home = await mkdtemp(join(tmpdir(), "lucs-firefox-"));
  const profile = join(home, "profile");
  const downloads = join(home, "downloads");
  await mkdir(downloads);
  // Firefox keeps its own NSS db per profile (cert9.db): the CA is trusted by this profile alone.
  if (world) await trustCa(profile, world.caPem);
  else await mkdir(profile, { recursive: true });
  const manifest = JSON.parse(await readFile(join(BUILDS.firefox, "manifest.json"), "utf8"));
  const geckoId = manifest.browser_specific_settings.gecko.id;
  const uuid = randomUUID();
  const env = { ...process.env, HOME: home, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: "1", MOZ_REMOTE_SETTINGS_DEVTOOLS: "1" };
  let executablePath = FIREFOX;
  if (policies) {
    env.LUCS_FIREFOX = await realpath(FIREFOX);
    env.LUCS_FIREFOX_DISTRIBUTION = await distributionWith(home, env.LUCS_FIREFOX, policies);
    executablePath = join(HERE, "firefox-with-policies.sh");
  }
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath,
    headless: true,
    dumpio: DUMPIO,
    userDataDir: profile,
    defaultViewport: viewport,
    env,
    extraPrefsFirefox: { ...firefoxPrefs(world?.port ?? null, { [geckoId]: uuid }, downloads),
      ...(lang && lang !== "en" ? { "intl.locale.requested": lang, "intl.accept_languages": lang } : {}) },
  });
  try {
    if (lang && lang !== "en") await browser.installExtension(await languagePack(home, lang));
    if (extension) await browser.installExtension(BUILDS.firefox);
    return session("firefox", browser, extension && `moz-extension://${uuid}/`, extension && geckoId, home, downloads);
  } catch (err) {
    await browser.close();
    throw err;
  }
}

// Firefox has no resolver-rules flag: every name resolves to loopback (network.dns.forceResolve) and port 443
// goes to the world's port (network.socket.forcePort, "from=to"), so pages keep their real origins. The rest
// keeps Firefox off the network: no DNS over HTTPS, telemetry, updates, studies, captive-portal or Safe
// Browsing calls (Firefox release builds make them at start-up unless told not to). Downloads go to `downloads`
// without a dialog (folderList 2: the folder in browser.download.dir).
function firefoxPrefs(port, uuids, downloads) {
  return {
    "network.dns.forceResolve": "127.0.0.1",
    "network.socket.forcePort": port === null || port === 443 ? "" : `443=${port}`,
    "network.trr.mode": 5,
    "network.proxy.type": 0,
    "network.dns.disablePrefetch": true,
    "network.prefetch-next": false,
    "network.http.speculative-parallel-limit": 0,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    "security.OCSP.enabled": 0,
    "toolkit.telemetry.enabled": false,
    "datareporting.healthreport.uploadEnabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "app.update.disabledForTesting": true,
    "app.normandy.enabled": false,
    "app.shield.optoutstudies.enabled": false,
    "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false,
    "browser.safebrowsing.downloads.enabled": false,
    "browser.safebrowsing.blockedURIs.enabled": false,
    "extensions.update.enabled": false,
    "extensions.getAddons.cache.enabled": false,
    "extensions.systemAddon.update.enabled": false,
    "browser.download.folderList": 2,
    "browser.download.dir": downloads,
    "browser.download.useDownloadDir": true,
    "browser.download.always_ask_before_handling_new_types": false,
    "browser.download.alwaysOpenPanel": false,
    // The add-on's moz-extension:// host, fixed before install so tests know its pages' URLs.
    "extensions.webextensions.uuids": JSON.stringify(uuids),
  };
}

// Firefox offers only the languages it ships or has a language pack for, and a WebExtension speaks the language
// Firefox's own UI does (its locales negotiated against the app's, Extension.sys.mjs). A language pack with no
// strings of its own (every Firefox string falls back to English) makes `lang` available, so the extension's
// _locales/<lang> is used, as for a user who installed Firefox in that language. Installed as a temporary add-on,
// before the extension, it needs no signature.
async function languagePack(home, lang) {
  const dir = join(home, `langpack-${lang}`);
  await mkdir(join(dir, "browser"), { recursive: true });
  const { stdout } = await run(FIREFOX, ["--version"]);
  const version = /(\d+\.\d+)/.exec(stdout)?.[1];
  if (!version) throw new Error(`languagePack: no version in "${stdout.trim()}"`);
  const major = version.split(".")[0];
  await writeFile(join(dir, "manifest.json"), JSON.stringify({
    manifest_version: 2,
    name: `Language pack ${lang} (test)`,
    version: `${version}.0`,
    langpack_id: lang,
    languages: { [lang]: { chrome_resources: {}, version: `${version}.0` } },
    sources: { browser: { base_path: "browser/" } },
    browser_specific_settings: { gecko: { id: `langpack-${lang}@lucs.test`, strict_min_version: `${major}.0`, strict_max_version: `${major}.*` } },
  }));
  return dir;
}

// Firefox reads enterprise policies from distribution/policies.json beside its binary. This builds a private
// copy of that directory (links to what the install ships, plus the file); firefox-with-policies.sh mounts it
// over the real one in a mount namespace of that one Firefox process, so the install itself never changes.
async function distributionWith(home, firefoxBinary, policies) {
  const dir = join(home, "distribution");
  await mkdir(dir);
  const shipped = join(dirname(firefoxBinary), "distribution");
  for (const name of await readdir(shipped).catch(() => [])) {
    if (name !== "policies.json") await symlink(join(shipped, name), join(dir, name));
  }
  await writeFile(join(dir, "policies.json"), JSON.stringify({ policies }, null, 2));
  return dir;
}

function session(kind, browser, extensionBaseUrl, extensionId, home, downloads) {
  const newPage = async (url) => {
    const page = wrapPage(await browser.newPage(), kind, downloads);
    if (url) await page.goto(url);
    return page;
  };
  return {
    kind,
    raw: browser,
    extensionId,
    extensionBaseUrl,
    downloads,
    newPage,
    /** The popup in a tab of its own; `query` is appended to popup.html, `ready` a selector to wait for. */
    async openPopup({ query = "", ready = "body[data-ready=true]" } = {}) {
      if (!extensionBaseUrl) throw new Error("openPopup: launched without the extension");
      const page = await newPage(`${extensionBaseUrl}popup.html${query}`);
      if (ready) await page.waitForSelector(ready);
      return page;
    },
    async openOptions() {
      if (!extensionBaseUrl) throw new Error("openOptions: launched without the extension");
      return newPage(`${extensionBaseUrl}options.html`);
    },
    async close() {
      await browser.close().catch(() => {});
      await rm(home, { recursive: true, force: true });
    },
  };
}
