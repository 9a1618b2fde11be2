// Options: the sign-in fallback (OAuth 2.0 authorization code + PKCE through identity.launchWebAuthFlow with the
// admin's own SPA registration, silent first) and pasting a token. Only the client ID and tenant hint are saved
// (storage.local); tokens go to the background, which keeps them in storage.session.
import { api } from "./browser.js";

const $ = (id) => document.getElementById(id);
const GRAPH_SCOPES = "https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/DelegatedPermissionGrant.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All openid profile";

for (const node of document.querySelectorAll("[data-i18n]")) {
  const text = api.i18n.getMessage(node.dataset.i18n);
  if (text) node.textContent = text;
}

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function pkce() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return { verifier, challenge };
}

async function settings() {
  const managed = await api.storage.managed?.get("clientId").catch(() => ({}));
  const local = await api.storage.local.get(["clientId", "tenantHint"]);
  return { clientId: managed?.clientId || local.clientId || "", managed: Boolean(managed?.clientId), tenantHint: local.tenantHint || "" };
}

async function hand(token) {
  const reply = await api.runtime.sendMessage({ type: "pasteToken", token });
  if (reply?.error) throw new Error(reply.error);
  $("status").textContent = `${api.i18n.getMessage("tokenAccepted") || "Token accepted"}: ${reply.result.upn ?? ""} (${reply.result.tid})`;
}

async function signIn(interactive) {
  const { clientId, tenantHint } = await settings();
  if (!/^[0-9a-f-]{36}$/i.test(clientId)) throw new Error("Enter the Application (client) ID of your registration first.");
  const tenant = tenantHint || "organizations";
  const redirect = api.identity.getRedirectURL();
  const { verifier, challenge } = await pkce();
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const authorize = new URL(`https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: clientId, response_type: "code", redirect_uri: redirect, scope: GRAPH_SCOPES,
    code_challenge: challenge, code_challenge_method: "S256", state, prompt: interactive ? "select_account" : "none",
  })) authorize.searchParams.set(k, v);
  const back = new URL(await api.identity.launchWebAuthFlow({ url: authorize.href, interactive }));
  if (back.searchParams.get("state") !== state) throw new Error("The sign-in answer did not match this request.");
  const code = back.searchParams.get("code");
  if (!code) throw new Error(back.searchParams.get("error_description") || "Sign-in returned no code.");
  const response = await fetch(`https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, grant_type: "authorization_code", code, redirect_uri: redirect, code_verifier: verifier, scope: GRAPH_SCOPES }),
  });
  const body = await response.json();
  if (!body.access_token) throw new Error(body.error_description || "The token endpoint returned no token.");
  await hand(body.access_token);
}

async function main() {
  const s = await settings();
  $("redirect").value = api.identity?.getRedirectURL?.() ?? "";
  $("client-id").value = s.clientId;
  $("client-id").disabled = s.managed;
  $("managed").textContent = s.managed ? "(set by your organisation's policy)" : "";
  $("tenant-hint").value = s.tenantHint;
  $("save").addEventListener("click", async () => {
    await api.storage.local.set({ clientId: $("client-id").value.trim(), tenantHint: $("tenant-hint").value.trim() });
    $("status").textContent = api.i18n.getMessage("saved") || "Saved.";
  });
  $("sign-in").addEventListener("click", () =>
    signIn(false).catch(() => signIn(true)).catch((err) => ($("status").textContent = err.message)));
  $("use-token").addEventListener("click", () => {
    const token = $("token").value.trim();
    $("token").value = "";
    hand(token).catch((err) => ($("status").textContent = err.message));
  });
  document.body.dataset.ready = "true";
}

main();
