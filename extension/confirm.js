// The extension's own confirmation of "Apply LUCS permissions" asked for from a portal page. Everything shown here
// comes from the background and Graph — the app's name, owners, creation time and publisher domain, how many other
// apps share its name, the tenant's name and id — not from the page, and the component is chosen here (none by
// default), so nothing a page script does can change what one click grants. Input is ignored for a moment after
// the window shows or gets the focus and after a box is ticked (gate.js), so clicks meant for the portal never
// land on a decision.
import { api } from "./browser.js";
import { ownerList } from "./existing.js";
import { InputGate } from "./gate.js";
import { stopParts } from "./popup/words.js";
import { bdi, el, sentence } from "./ui/ui.js";
import { STATUS } from "./runs/status.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;
const request = new URLSearchParams(location.search).get("request") ?? "";
let details = null;

for (const node of document.querySelectorAll("[data-i18n]")) {
  const text = api.i18n.getMessage(node.dataset.i18n);
  if (text) node.textContent = text;
}
document.documentElement.lang = t("options_lang") || "en";
document.title = `${t("applyTitle")} · ${t("extName")}`;

async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || reply.error) throw new Error(reply?.error ?? "no answer");
  return reply.result;
}

// ---- The input gate: while held, every control is disabled and any trusted input that still arrives is dropped --
const gate = new InputGate();
let held = false;
let timer = null;

function hold() {
  if (!details) return;
  gate.hold();
  held = true;
  clearTimeout(timer);
  timer = setTimeout(release, gate.remaining + 20);
  update();
}

function release() {
  clearTimeout(timer);
  if (!gate.open) {
    timer = setTimeout(release, gate.remaining + 20);
    return;
  }
  held = false;
  update();
}

for (const type of ["pointerdown", "mousedown", "click", "keydown"]) {
  document.addEventListener(type, (e) => {
    if (held && e.isTrusted && e.target instanceof Element && e.target.closest("#choose")) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
}
window.addEventListener("focus", hold);
window.addEventListener("pageshow", hold);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") hold();
});

function renderGrants() {
  const c = details.components.find((x) => x.code === $("component").value);
  $("grants").replaceChildren(...(c?.permissions ?? []).map((p) => el("li", {
    textContent: `${p.value} (${p.kind === "application" ? t("kindApplication") : t("kindDelegated")})`,
  })));
  update();
}

function update() {
  if (!details) return;
  for (const id of ["component", "discard"]) $(id).disabled = held;
  // The tenant is confirmed for a grant: there is none to confirm until a component is chosen.
  $("confirm").disabled = held || !$("component").value;
  $("choose-first").hidden = Boolean($("component").value);
  const blocked = !details.appFound || !details.canApply || details.running ||
    (details.stoppedRun && !$("discard").checked);
  $("apply").disabled = held || blocked || !$("component").value || !$("confirm").checked;
}

const when = (iso) => {
  const d = iso ? new Date(iso) : null;
  // In the page's language, which may differ from the browser's regional format.
  return d && !Number.isNaN(d.getTime()) ? d.toLocaleString(t("options_lang") || undefined) : t("unknown");
};

// What tells this app from a look-alike: who owns it, when and where it was made, and whether its name is unique.
function renderFacts() {
  $("app-name").replaceChildren(details.appName !== null ? bdi(details.appName) : (details.appFound ? "?" : t("appNotFound")));
  $("app-id").textContent = details.appId;
  $("owners").replaceChildren(details.ownersKnown ? ownerList(t, details.owners) : t("ownersUnknown"));
  $("created").textContent = when(details.created);
  $("publisher").replaceChildren(details.publisherDomain ? bdi(details.publisherDomain) : t("unknown"));
  const same = details.sameName;
  $("same-name").textContent = !same ? t("unknown")
    : same.more ? t("sameNameMore", String(same.others))
      : same.others === 0 ? t("sameNameNone") : t("sameNameSome", String(same.others));
  $("same-name").classList.toggle("bad", Boolean(same && (same.others > 0 || same.more)));
  $("tenant-name").replaceChildren(...(details.tenantName ? [bdi(details.tenantName)] : ["?"]), ...(details.defaultDomain ? [` · ${details.defaultDomain}`] : []));
  $("tenant-id").textContent = details.tenantId;
  const warnings = [];
  if (details.owners.some((o) => !o.you)) warnings.push(t("othersOwn"));
  $("warnings").replaceChildren(...warnings.map((w) => el("li", { textContent: w })));
  $("facts").hidden = false;
}

async function main() {
  details = await ask({ type: "applyDetails", request });
  renderFacts();
  // No component is chosen for the admin: an Apply needs a choice made here.
  const none = new Option(t("chooseComponent"), "", true, true);
  none.disabled = true;
  $("component").replaceChildren(none, ...details.components.map((c) => new Option(c.name, c.code)));
  const blockers = [];
  if (!details.appFound) blockers.push(t("appNotFound"));
  if (!details.canApply) blockers.push(`${t("noWriteToken")} ${details.missingScopes.join(", ")}`);
  if (details.running) blockers.push(t("runGoing"));
  $("blockers").replaceChildren(...blockers.map((b) => el("li", { textContent: b })));
  if (details.stoppedRun) {
    $("discard-row").hidden = false;
    $("discard-text").replaceChildren(sentence(t, "discardStopped", el("span", {}, ...details.stoppedRun.apps.flatMap((a, i) => [i ? ", " : "", bdi(a)]))));
  }
  $("confirm-text").replaceChildren(sentence(t, "confirmApply", details.appName ?? details.appId, details.tenantName ?? "?", details.tenantId));
  $("choose").hidden = false;
  renderGrants();
  hold();
  // When the decision became clickable (as the popup marks when it is ready): what the first second counts from.
  performance.mark("lucs-confirm-shown");
  document.body.dataset.ready = "true";
}

$("component").addEventListener("change", () => {
  // A different component is a different grant: confirm again.
  $("confirm").checked = false;
  renderGrants();
});
$("confirm").addEventListener("change", () => ($("confirm").checked ? hold() : update()));
$("discard").addEventListener("change", () => ($("discard").checked ? hold() : update()));
$("close").addEventListener("click", () => window.close());
$("apply").addEventListener("click", async () => {
  if (held || !gate.open) return;
  $("apply").disabled = true;
  try {
    await ask({ type: "applyConfirm", request, component: $("component").value, confirmedTenant: $("confirm").checked ? details.tenantId : "", discardStopped: $("discard").checked });
    $("run-status").textContent = t("applying");
    $("choose").hidden = true;
  } catch (err) {
    $("error").replaceChildren(bdi(err.message));
    update();
  }
});
$("done-close").addEventListener("click", () => window.close());

// What was granted, as the run's report says it was written: each permission with its kind, and admin consent.
function renderGranted(run) {
  const app = run.report?.applications?.[0];
  const chosen = details.components.find((c) => c.code === run.apps?.[0]?.component) ??
    details.components.find((c) => c.code === $("component").value);
  const permissions = chosen?.permissions ?? [];
  $("granted-intro").replaceChildren(sentence(t, "appliedTo", details.appName ?? app?.displayName ?? details.appId, chosen?.name ?? "?"));
  $("granted").replaceChildren(...permissions.map((p) => el("li", {
    textContent: `${p.value} (${p.kind === "application" ? t("kindApplication") : t("kindDelegated")})`,
  })));
  $("result").hidden = false;
  $("done-close").focus();
}

// The run as the background shows it (runs/views.js): its apps by key, name and component, never its plan.
api.storage.onChanged.addListener((changes, area) => {
  const run = area === "session" ? changes.runView?.newValue : null;
  if (!run || run.job !== "apply" || $("choose").hidden === false) return;
  const done = { [STATUS.done]: t("appliedDone"), [STATUS.stopped]: t("stopped"), [STATUS.cancelled]: t("cancelledRun") }[run.status];
  if (!done) return;
  $("run-status").replaceChildren(done, ...(run.error ? [": ", ...stopParts({ code: "runStopped", kind: run.stopKind, key: null, message: run.error }).map((p) => (typeof p === "string" && p === run.error ? bdi(p) : p))] : []));
  if (run.status === STATUS.done) renderGranted(run);
  else $("result").hidden = false;
});

main().catch((err) => {
  $("error").textContent = err.message;
  document.body.dataset.ready = "true";
});
