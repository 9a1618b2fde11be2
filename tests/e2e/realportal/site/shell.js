// The portal shell ("Ibiza": the same on portal.azure.com and entra.microsoft.com, Azure/portaldocs). It calls
// Graph with its own client's token and opens each blade in a frame on that portal extension's own origin
// (Azure/portaldocs; published extensions' host lists name *.hosting.portal.azure.net and
// *.reactblade.portal.azure.net): the route after `#view/` names the extension, and the frame gets the route in
// its hash.
import { POLL_MS, graphClient, keepCalling } from "./client.js";

const IAM = "iam.hosting.portal.azure.net";
const REGISTERED_APPS = "registeredapps.hosting.portal.azure.net";
const REACT_VIEWS = "sandbox-1.reactblade.portal.azure.net";

document.getElementById("product").textContent = location.hostname === "entra.microsoft.com" ? "Microsoft Entra admin center" : "Microsoft Azure";
const graph = graphClient(null);

keepCalling(async () => {
  const me = await graph("GET", "/v1.0/me");
  const org = await graph("GET", "/v1.0/organization");
  if (me.status === 200) document.getElementById("who").textContent = `signed in as ${me.body.userPrincipalName}`;
  if (org.status === 200) document.getElementById("tenant").textContent = org.body.value[0]?.displayName ?? "";
}, POLL_MS / 2);

// The blades open for a route, left to right as in the portal's blade journey: App registrations is reached
// from the Entra ID menu blade, which stays open beside it; Entra ID views render a React view of their own.
// The order of the frames' first calls follows from this: the App registrations blade starts first, the others
// keep calling after it, so lower-scoped tokens keep arriving after the one that can write.
function journey(hash) {
  const m = /^#view\/(Microsoft_AAD_RegisteredApps|Microsoft_AAD_IAM)\/(.+)$/.exec(hash);
  if (!m) return [];
  const route = `${m[1]}/${m[2]}`;
  if (m[1] === "Microsoft_AAD_RegisteredApps") {
    return [
      { host: IAM, route: "Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps", delay: POLL_MS / 3 },
      { host: REGISTERED_APPS, route, delay: 0 },
    ];
  }
  return [{ host: IAM, route, delay: 0 }, { host: REACT_VIEWS, route, delay: POLL_MS / 3 }];
}

function render() {
  const section = document.getElementById("journey");
  let hash = location.hash;
  try {
    hash = decodeURIComponent(hash);
  } catch {
    // A malformed escape: route on the raw hash.
  }
  const wanted = journey(hash).map((b) =>
    `https://${b.host}/?poll=${POLL_MS}&delay=${Math.round(b.delay)}#${b.route}`);
  const existing = [...section.querySelectorAll("iframe")];
  for (const frame of existing) if (!wanted.includes(frame.dataset.src)) frame.remove();
  for (const src of wanted) {
    if (existing.some((f) => f.dataset.src === src && f.isConnected)) continue;
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.dataset.src = src;
    frame.dataset.host = new URL(src).hostname;
    section.append(frame);
  }
  document.body.dataset.route = location.hash;
}

addEventListener("hashchange", render);
render();
