// The toolbar popup. It holds no token and runs nothing itself: it asks the background, which owns the token
// and the run, and renders what comes back. Closing it changes nothing; reopening shows the run where it is.
// Each part of the page is a module in popup/; this file wires them to the page's events and the background's
// storage changes.
import { api } from "./browser.js";
import { renderKept } from "./popup/kept.js";
import { renderComponents, request } from "./popup/picker.js";
import { adoption, check, forgetShownStop, preflight, renderConfirmText, resetConfirmation, showForeignStop, updateButtons } from "./popup/preview.js";
import { bindResults, renderRun } from "./popup/run.js";
import { bindSecrets, renderSecrets } from "./popup/secrets.js";
import { $, ask, selectedTenant, showError, view } from "./popup/state.js";
import { renderSessions, renderTenants } from "./popup/tenant.js";

function localize() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const text = api.i18n.getMessage(node.dataset.i18n);
    if (text) node.textContent = text;
  }
  document.documentElement.lang = api.i18n.getUILanguage().split("-")[0];
}

let planSeq = 0;

async function replan() {
  const seq = ++planSeq;
  $("plan-error").textContent = "";
  view.plan = null;
  resetConfirmation();
  let planned = null;
  try {
    planned = await ask({ type: "plan", request: request() });
  } catch (err) {
    if (seq === planSeq) showError(err);
  }
  // Only the plan of the latest choice counts; a preview or confirmation made meanwhile was for another plan.
  if (seq !== planSeq) return;
  view.plan = planned;
  resetConfirmation();
  forgetShownStop();
  showForeignStop();
  document.body.dataset.apps = String(planned?.applications.length ?? 0);
  if (selectedTenant()) preflight();
}

function showTenants(tenants, tab) {
  if (renderTenants(tenants, tab)) resetConfirmation();
}

async function main() {
  localize();
  // Listen before asking: a token checked or a run step made while the popup opens must not go unseen until the
  // next change. What arrives before the first render is caught up right after it.
  let tab = null;
  let started = false;
  let missed = false;
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.journals) {
      view.kept = changes.journals.newValue ?? [];
      if (started) {
        renderKept();
        renderSecrets().catch(showError);
      }
      return;
    }
    if (area === "session" && changes.secrets && started) renderSecrets().catch(showError);
    if (area !== "session" || !(changes.run || changes.tokens)) return;
    if (!started) {
      missed = true;
      return;
    }
    if (changes.run) renderRun(changes.run.newValue);
    if (changes.tokens) refreshTenants();
  });
  function refreshTenants() {
    ask({ type: "state" }).then((s) => {
      const uses = () => JSON.stringify(view.tenants.find((x) => x.tid === selectedTenant())?.uses);
      const before = uses();
      showTenants(s.tenants, tab?.id);
      if (before !== uses() || !view.preflight) preflight();
      else updateButtons();
    });
  }
  const state = await ask({ type: "state" });
  [tab] = await api.tabs.query({ active: true, currentWindow: true }).catch(() => []);
  renderComponents(state.catalog);
  showTenants(state.tenants, tab?.id);
  $("open-appregs").addEventListener("click", () =>
    ask({ type: "openAppRegistrations", tid: selectedTenant() }).catch(showError));
  document.body.addEventListener("change", (e) => {
    if (e.target.closest("#picker")) replan();
    if (e.target.id === "tenant-select") {
      resetConfirmation();
      renderSessions();
      preflight();
    }
    if (e.target.id === "confirm") updateButtons();
    // Adopting or not is part of what the admin confirms: the sentence changes, and the confirmation is asked again.
    if (e.target.id === "adopt") {
      $("confirm").checked = false;
      renderConfirmText();
      updateButtons();
    }
  });
  $("check").addEventListener("click", () => check().catch(showError));
  $("register").addEventListener("click", async () => {
    const tid = selectedTenant();
    try {
      await ask({ type: "register", tid, plan: view.plan, confirmedTenant: $("confirm").checked ? tid : "", ...adoption() });
    } catch (err) {
      showError(err);
    }
  });
  $("cancel").addEventListener("click", () => ask({ type: "cancel" }));
  bindSecrets();
  bindResults();
  renderRun(state.run);
  await renderSecrets();
  started = true;
  if (missed) {
    const { run } = await api.storage.session.get("run");
    renderRun(run ?? null);
    await renderSecrets();
    refreshTenants();
  }
  document.body.dataset.ready = "true";
  performance.mark("lucs-popup-ready");
  replan();
  // The earlier runs are listed below everything else: read once the popup is usable.
  const { journals } = await api.storage.local.get("journals");
  if (!view.kept.length) view.kept = journals ?? [];
  renderKept();
}

main().catch(showError);
