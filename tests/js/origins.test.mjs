// Where a token may come from, and which app the portal shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromPortalTab, isPortalFrameOrigin, requestOrigin } from "../../extension/origins.js";
import { graphBaseOf } from "../../extension/config.js";
import "../../extension/route.js";

const { appIdOnScreen } = globalThis.lucsRoute;
const APP = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
const OTHER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

test("blade frames of the portal count; look-alikes and other hosts do not", () => {
  for (const o of ["https://portal.azure.com", "https://entra.microsoft.com", "https://iam.hosting.portal.azure.net",
    "https://registeredapps.hosting.portal.azure.net", "https://sandbox-1.reactblade.portal.azure.net"]) {
    assert.equal(isPortalFrameOrigin(o), true, o);
  }
  for (const o of ["https://portal.azure.com.evil.example", "http://portal.azure.com", "https://evil.example",
    "https://a.b.hosting.portal.azure.net", "https://hosting.portal.azure.net", "https://x.hosting.portal.azure.net.evil.example",
    "https://portal.azure.com:8443", null, undefined]) {
    assert.equal(isPortalFrameOrigin(o), false, String(o));
  }
});

test("a Graph request's token is taken only from a portal tab, from the shell or a blade frame", () => {
  const chromium = { tabId: 3, initiator: "https://registeredapps.hosting.portal.azure.net" };
  assert.equal(fromPortalTab(chromium, "https://portal.azure.com/#home"), true);
  assert.equal(fromPortalTab(chromium, "https://entra.microsoft.com/#view/x"), true);
  assert.equal(fromPortalTab(chromium, undefined), false, "a tab we may not see is not a portal");
  assert.equal(fromPortalTab(chromium, "https://evil.example/"), false, "a blade framed by another page");
  assert.equal(fromPortalTab({ ...chromium, tabId: -1 }, "https://portal.azure.com/"), false, "not from a tab");
  assert.equal(fromPortalTab({ tabId: 3, initiator: "https://evil.example" }, "https://portal.azure.com/"), false);
  // Firefox: no initiator; the document's URL and its ancestors.
  const firefox = { tabId: 3, documentUrl: "https://iam.hosting.portal.azure.net/x", frameAncestors: [{ url: "https://portal.azure.com/", frameId: 0 }] };
  assert.equal(requestOrigin(firefox), "https://iam.hosting.portal.azure.net");
  assert.equal(fromPortalTab(firefox, "https://portal.azure.com/"), true);
  assert.equal(fromPortalTab({ ...firefox, frameAncestors: [{ url: "https://evil.example/" }, { url: "https://portal.azure.com/" }] }, "https://portal.azure.com/"), false);
});

test("a token seen on /v1.0, /beta or $batch is a Graph token for runs on v1.0; other hosts give none", () => {
  for (const url of ["https://graph.microsoft.com/v1.0/me", "https://graph.microsoft.com/beta/applications", "https://graph.microsoft.com/v1.0/$batch"]) {
    assert.equal(graphBaseOf(url), "https://graph.microsoft.com/v1.0", url);
  }
  for (const url of ["https://graph.microsoft.com.evil.example/v1.0/", "http://graph.microsoft.com/v1.0/", "nonsense"]) {
    assert.equal(graphBaseOf(url), null, url);
  }
});

test("the app on screen comes only from the App registrations blade's route in the hash", () => {
  assert.equal(appIdOnScreen(`#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${APP}/isMSAApp~/false`), APP);
  assert.equal(appIdOnScreen(`#blade/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/Overview/appId/${APP.toUpperCase()}`), APP);
  // The crafted link of the security review: another app in the query, the one on screen in the hash.
  const crafted = new URL(`https://portal.azure.com/?ref=appId/${OTHER}#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/${APP}`);
  assert.equal(appIdOnScreen(crafted.hash), APP);
  for (const hash of [
    `#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/appId/${OTHER}`,
    `#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${APP}/x/appId/${OTHER}`,
    `#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/appId/${APP}/view/Microsoft_AAD_IAM/GroupsBlade`,
    `#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/not-a-guid`,
    "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade", `?appId/${APP}`, "#%E0%A4%A", "", null,
  ]) {
    assert.equal(appIdOnScreen(hash), null, String(hash));
  }
});
