// A portal blade in its frame: which portal extension it belongs to follows from its host (Azure/portaldocs),
// and it calls Graph with that extension's token on /v1.0, /beta and $batch, again and again (blades refresh).
import { graphClient, keepCalling } from "./client.js";

const host = location.hostname;
const extensionName = host.startsWith("registeredapps.") ? "Microsoft_AAD_RegisteredApps" : "Microsoft_AAD_IAM";
let route = location.hash.slice(1);
try {
  route = decodeURIComponent(route);
} catch {
  // A malformed escape: use the raw route.
}
const appId = /\/appId\/([0-9a-f-]{36})(?:\/|$)/i.exec(route)?.[1];
const delay = Number(new URLSearchParams(location.search).get("delay")) || 0;
const graph = graphClient(extensionName);
const title = document.getElementById("title");
document.body.dataset.blade = route;

const quoted = (v) => `'${v}'`;

async function registeredApps() {
  if (!appId) {
    title.textContent = "App registrations";
    await graph("GET", "/v1.0/me/memberOf");
    await graph("GET", "/beta/me");
    await graph("POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/organization" }, { id: "2", method: "GET", url: "/me" }] });
    return;
  }
  const app = await graph("GET", `/v1.0/applications(appId=${quoted(appId)})`);
  title.textContent = app.status === 200 ? app.body.displayName : `Application ${appId}: ${app.status}`;
  await graph("GET", `/beta/applications(appId=${quoted(appId)})`);
  await graph("POST", "/v1.0/$batch", { requests: [
    { id: "1", method: "GET", url: `/servicePrincipals(appId=${quoted(appId)})` },
    { id: "2", method: "GET", url: "/me/memberOf" },
  ] });
}

async function iam() {
  const org = await graph("GET", "/beta/organization");
  title.textContent = org.status === 200 ? `${org.body.value[0]?.displayName} | Overview` : `Microsoft Entra ID: ${org.status}`;
  await graph("GET", "/v1.0/me/memberOf");
  await graph("POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/organization" }] });
}

async function reactView() {
  const me = await graph("GET", "/beta/me");
  title.textContent = me.status === 200 ? `React view for ${me.body.userPrincipalName}` : `React view: ${me.status}`;
  await graph("GET", "/beta/organization");
}

keepCalling(host.startsWith("registeredapps.") ? registeredApps : host.includes(".reactblade.") ? reactView : iam, delay);
