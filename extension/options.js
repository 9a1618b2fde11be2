// Options: the sign-in fallback (OAuth 2.0 authorization code + PKCE through identity.launchWebAuthFlow with the
// admin's own SPA registration, silent first) and pasting a token. Only the client ID and tenant hint are saved
// (storage.local); tokens go to the background, which keeps them in storage.session.
import init, { signInScopes } from "./pkg/lucs_registrar.js";
import { api } from "./browser.js";

const $ = (id) => document.getElementById(id);
// The scopes come from the core's one table of what each Graph call needs (src/microsoft/scopes.rs), so the
// sign-in asks for exactly what the runs check a token for.
// Read when the page opens, so a sign-in button does not wait on the Wasm.
const graphScopes = init({ module_or_path: api.runtime.getURL("pkg/lucs_registrar_bg.wasm") })
  .then(() => [...signInScopes().map((s) => `https://graph.microsoft.com/${s}`), "openid", "profile"].join(" "));

// The page in the extension's language: the browser's UI language where _locales has it, English otherwise.
const say = (key) => api.i18n.getMessage(key);
for (const node of document.querySelectorAll("[data-i18n]")) {
  const text = say(node.dataset.i18n);
  if (text) node.textContent = text;
}
for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
  const text = say(node.dataset.i18nAriaLabel);
  if (text) node.setAttribute("aria-label", text);
}
document.documentElement.lang = say("options_lang") || "en";

/**
 * A failure said in the extension's words (`key`). `detail` is another party's own text — Microsoft's answer, or
 * the browser's — quoted as it came after `lead`, set off as code: it is not ours to translate.
 */
class Refusal extends Error {
  constructor(key, detail = null, lead = null) {
    super(say(key));
    this.key = key;
    this.detail = detail;
    this.lead = lead;
  }
}

function showFailure(err) {
  const refusal = err instanceof Refusal ? err : new Refusal("options_signInFailed", err.message);
  const parts = [say(refusal.key)];
  if (refusal.detail) {
    const quoted = document.createElement("code");
    quoted.textContent = refusal.detail;
    parts.push(refusal.lead ? ` ${say(refusal.lead)} ` : " ", quoted);
  }
  $("status").replaceChildren(...parts);
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
  // The background refuses a token for one reason only: it is not one Graph takes from this tool.
  if (reply?.error) throw new Refusal("options_tokenRefused");
  $("status").textContent = `${say("tokenAccepted")}: ${reply.result.upn ?? ""} (${reply.result.tid})`;
}

async function signIn(interactive) {
  const { clientId, tenantHint } = await settings();
  if (!/^[0-9a-f-]{36}$/i.test(clientId)) throw new Refusal("options_enterClientId");
  const tenant = tenantHint || "organizations";
  const redirect = api.identity.getRedirectURL();
  const { verifier, challenge } = await pkce();
  const scope = await graphScopes;
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const authorize = new URL(`https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({
    client_id: clientId, response_type: "code", redirect_uri: redirect, scope,
    code_challenge: challenge, code_challenge_method: "S256", state, prompt: interactive ? "select_account" : "none",
  })) authorize.searchParams.set(k, v);
  const back = new URL(await api.identity.launchWebAuthFlow({ url: authorize.href, interactive }));
  if (back.searchParams.get("state") !== state) throw new Refusal("options_stateMismatch");
  const code = back.searchParams.get("code");
  if (!code) throw new Refusal("options_noCode", back.searchParams.get("error_description"), "options_microsoftSaid");
  const response = await fetch(`https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, grant_type: "authorization_code", code, redirect_uri: redirect, code_verifier: verifier, scope }),
  });
  const body = await response.json();
  if (!body.access_token) throw new Refusal("options_noToken", body.error_description, "options_microsoftSaid");
  await hand(body.access_token);
}

async function main() {
  const s = await settings();
  $("redirect").value = api.identity?.getRedirectURL?.() ?? "";
  $("client-id").value = s.clientId;
  $("client-id").disabled = s.managed;
  $("managed").textContent = s.managed ? say("options_managed") : "";
  $("tenant-hint").value = s.tenantHint;
  $("save").addEventListener("click", async () => {
    await api.storage.local.set({ clientId: $("client-id").value.trim(), tenantHint: $("tenant-hint").value.trim() });
    $("status").textContent = say("saved");
  });
  $("sign-in").addEventListener("click", () =>
    signIn(false).catch(() => signIn(true)).catch(showFailure));
  $("use-token").addEventListener("click", () => {
    const token = $("token").value.trim();
    $("token").value = "";
    hand(token).catch(showFailure);
  });
  document.body.dataset.ready = "true";
}

main();
