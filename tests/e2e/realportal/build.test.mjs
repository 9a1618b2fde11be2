// The builds the suite loads are the release builds: no loopback host, no test-only permission, nothing logged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

test("the release builds trust only Microsoft's and the portal's hosts, and the extension never logs", async () => {
  for (const build of ["dist/chrome", "dist/firefox"]) {
    const manifest = JSON.parse(await readFile(join(build, "manifest.json"), "utf8"));
    assert.deepEqual(manifest.host_permissions, [
      "https://graph.microsoft.com/*", "https://portal.azure.com/*", "https://entra.microsoft.com/*",
      "https://*.hosting.portal.azure.net/*", "https://*.reactblade.portal.azure.net/*", "https://login.microsoftonline.com/*",
    ], build);
    assert.deepEqual(manifest.permissions.sort(), ["identity", "storage", "webRequest"], build);
    assert.deepEqual(manifest.content_scripts.map((c) => [c.matches, c.all_frames]), [[["https://portal.azure.com/*", "https://entra.microsoft.com/*"], false]]);
    assert.equal(manifest.externally_connectable, undefined);
    assert.equal(manifest.web_accessible_resources, undefined);
    for (const file of (await readdir(build)).filter((f) => /\.(js|json|html)$/.test(f))) {
      assert.ok(!/127\.0\.0\.1|localhost/.test(await readFile(join(build, file), "utf8")), `${build}/${file} names a loopback host`);
    }
  }
  const sources = (await readdir("extension")).filter((f) => f.endsWith(".js"));
  for (const f of sources) assert.ok(!/console\.(log|info|debug|warn|error)/.test(await readFile(join("extension", f), "utf8")), f);
});

test("both builds carry Cargo.toml's package version, the one version source", async () => {
  const cargo = await readFile("Cargo.toml", "utf8");
  const version = /^\[package\][^[]*?^version = "([^"]+)"/m.exec(cargo)?.[1];
  assert.ok(version, "Cargo.toml has a [package] version");
  assert.equal(JSON.parse(await readFile("extension/manifest.json", "utf8")).version, undefined, "extension/manifest.json has no version of its own");
  for (const build of ["dist/chrome", "dist/firefox"]) {
    assert.equal(JSON.parse(await readFile(join(build, "manifest.json"), "utf8")).version, version, build);
  }
});

test("each build keeps only its browser's background and settings; the source manifest serves both", async () => {
  const source = JSON.parse(await readFile("extension/manifest.json", "utf8"));
  assert.ok(source.background.service_worker && source.background.scripts && source.browser_specific_settings.gecko);
  const chrome = JSON.parse(await readFile("dist/chrome/manifest.json", "utf8"));
  assert.equal(chrome.background.service_worker, "background.js");
  assert.equal(chrome.background.scripts, undefined);
  assert.equal(chrome.browser_specific_settings, undefined);
  const firefox = JSON.parse(await readFile("dist/firefox/manifest.json", "utf8"));
  assert.deepEqual(firefox.background.scripts, ["background.js"]);
  assert.equal(firefox.background.service_worker, undefined);
  assert.equal(firefox.minimum_chrome_version, undefined);
  assert.equal(firefox.browser_specific_settings.gecko.id, source.browser_specific_settings.gecko.id);
  const chromeFiles = (await readdir("dist/chrome")).sort();
  assert.ok(!chromeFiles.includes("store"), "store listing material is not shipped");
});
