// The extension's own confirmation of "Apply LUCS permissions" asked for from a portal page. Everything shown here
// comes from the background and Graph — the app's name, the tenant's name and id — not from the page, and the
// component is chosen here, so nothing a page script does can change what one click grants.
import { api } from "./browser.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
const request = new URLSearchParams(location.search).get("request") ?? "";
let details = null;

for (const node of document.querySelectorAll("[data-i18n]")) {
  const text = api.i18n.getMessage(node.dataset.i18n);
  if (text) node.textContent = text;
}

async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || reply.error) throw new Error(reply?.error ?? "no answer");
  return reply.result;
}

function renderGrants() {
  const c = details.components.find((x) => x.code === $("component").value);
  $("grants").replaceChildren(...(c?.permissions ?? []).map((p) => Object.assign(document.createElement("li"), {
    textContent: `${p.value} (${p.kind === "application" ? t("kindApplication") : t("kindDelegated")})`,
  })));
  update();
}

function update() {
  const blocked = !details.appFound || !details.canApply || details.unshownSecrets > 0 || details.running ||
    (details.stoppedRun && !$("discard").checked);
  $("apply").disabled = blocked || !$("confirm").checked;
}

async function main() {
  details = await ask({ type: "applyDetails", request });
  $("facts").hidden = false;
  $("app-name").textContent = details.appName ?? (details.appFound ? "?" : t("appNotFound"));
  $("app-id").textContent = details.appId;
  $("tenant-name").textContent = [details.tenantName, details.defaultDomain].filter(Boolean).join(" · ") || "?";
  $("tenant-id").textContent = details.tenantId;
  $("component").replaceChildren(...details.components.map((c) => new Option(c.name, c.code)));
  const blockers = [];
  if (!details.appFound) blockers.push(t("appNotFound"));
  if (!details.canApply) blockers.push(`${t("noWriteToken")} ${details.missingScopes.join(", ")}`);
  if (details.unshownSecrets > 0) blockers.push(t("unshownSecrets", String(details.unshownSecrets)));
  if (details.running) blockers.push(t("runGoing"));
  $("blockers").replaceChildren(...blockers.map((b) => Object.assign(document.createElement("li"), { textContent: b })));
  if (details.stoppedRun) {
    $("discard-row").hidden = false;
    $("discard-text").textContent = t("discardStopped", details.stoppedRun.apps.join(", "));
  }
  $("confirm-text").textContent = t("confirmApply", details.appName ?? details.appId, details.tenantName ?? "?", details.tenantId);
  $("choose").hidden = false;
  renderGrants();
  document.body.dataset.ready = "true";
}

$("component").addEventListener("change", () => {
  // A different component is a different grant: confirm again.
  $("confirm").checked = false;
  renderGrants();
});
$("confirm").addEventListener("change", update);
$("discard").addEventListener("change", update);
$("close").addEventListener("click", () => window.close());
$("apply").addEventListener("click", async () => {
  $("apply").disabled = true;
  try {
    await ask({ type: "applyConfirm", request, component: $("component").value, confirmedTenant: $("confirm").checked ? details.tenantId : "", discardStopped: $("discard").checked });
    $("run-status").textContent = t("applying");
    $("choose").hidden = true;
  } catch (err) {
    $("error").textContent = err.message;
  }
});
api.storage.onChanged.addListener((changes, area) => {
  const run = area === "session" ? changes.run?.newValue : null;
  if (!run || run.job !== "apply" || $("choose").hidden === false) return;
  const done = { done: t("appliedRefresh"), stopped: t("stopped"), cancelled: t("cancelledRun") }[run.status];
  if (done) $("run-status").textContent = run.error ? `${done}: ${run.error}` : done;
});

main().catch((err) => {
  $("error").textContent = err.message;
  document.body.dataset.ready = "true";
});
