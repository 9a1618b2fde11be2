// The run the background holds, as it goes: on Register the choices fold away and the progress takes focus; per app
// where it stands; at the end a summary, the preview saying what is now there, and the IDs to copy — the Directory
// ID once, one Copy per Application ID, object IDs on demand — the report to download and the rollback of this run.
import { bdi, copyButton, el, appIdRows, sentence } from "../ui/ui.js";
import { renderKept } from "./kept.js";
import { deletedKeys } from "../runs/model.js";
import { appNames, checkedNothingToChange, showForeignStop, showNowThere, updateButtons } from "./preview.js";
import { renderProgress, renderSummary } from "./progress.js";
import { rollbackPlan, rollbackReport, twoClicks } from "./rollback.js";
import { $, ask, isActive, t, view } from "./state.js";
import { STATUS } from "../runs/status.js";

// What this popup saw of the run last time it drew it, to tell a run that starts or ends from one found so on opening.
let seen = null;
// Runs started from this popup whose check found every app already as planned.
const expectNothing = new Set();

/** Folds the choices (components, options, preview) away while a run goes, or shows them again. */
function foldForm(folded) {
  document.body.dataset.form = folded ? "folded" : "open";
  $("form-toggle").hidden = !folded;
  $("form-toggle").setAttribute("aria-expanded", String(!folded));
}

export function renderRun(run) {
  const before = seen;
  seen = run ? { id: run.id, active: isActive(run) } : null;
  view.run = run;
  updateButtons();
  if (!run) return;
  const started = isActive(run) && !(before?.id === run.id && before.active);
  const ended = !isActive(run) && before?.id === run.id && before.active;
  if (started) {
    if (run.requests === view.choice?.requests && checkedNothingToChange()) expectNothing.add(run.id);
    foldForm(true);
  }
  $("progress-section").hidden = false;
  const status = { [STATUS.running]: t("running"), [STATUS.waitingToken]: t("waitingToken"), [STATUS.done]: t("done"), [STATUS.stopped]: t("stopped"), [STATUS.cancelled]: t("cancelledRun"), [STATUS.rolledBack]: t("rolledBack") }[run.status] ?? run.status;
  // A foreignApps stop is told in the admin's language and shown below as the preview shows such apps; any other
  // stop's message (which may quote names from Graph) is isolated.
  if (run.stopKind === "foreignApps" && run.foreign?.length) $("run-status").replaceChildren(`${status}: ${t("foreignStopped", String(run.foreign.length))}`);
  else $("run-status").replaceChildren(status, ...(run.error ? [": ", bdi(run.error)] : []));
  renderProgress(run);
  renderSummary(run, { nothingToChange: expectNothing.has(run.id) });
  if (ended && run.status === STATUS.done) showNowThere(run);
  // A stopped run needs the admin's choice (adopt, sign in again, resume): the choices come back.
  else if (ended) foldForm(false);
  showForeignStop();
  renderKept();
  if (started) {
    $("progress-h").focus();
    $("progress-section").scrollIntoView({ block: "start" });
  }
  if (run.report) renderResults(run);
}

function renderResults(run) {
  const report = run.report;
  $("results-section").hidden = false;
  const tenantId = report.tenantId ?? "";
  $("tenant-id").replaceChildren(el("code", { className: "guid", textContent: tenantId }), " ", copyButton(t, tenantId, t("tenantId")));
  $("results").tBodies[0].replaceChildren(...appIdRows(t, report));
  $("object-ids-list").replaceChildren(...report.applications.map((a) =>
    el("li", {}, el("strong", { textContent: a.key }), el("br"),
      `${t("objectId")}: `, el("code", { className: "guid", textContent: a.objectId ?? "—" }), el("br"),
      `${t("servicePrincipalId")}: `, el("code", { className: "guid", textContent: a.servicePrincipalId ?? "—" }))));
  const adopted = report.applications.filter((a) => a.adopted);
  $("adopted").hidden = adopted.length === 0;
  $("adopted").replaceChildren(adopted.length ? sentence(t, "adoptedApps", appNames(adopted.map((a) => ({ displayName: a.displayName, key: a.key })))) : "");
  // A rolled-back run says what the rollback did, and marks the apps it deleted, also after the popup reopened.
  if (run.rollback) {
    const gone = deletedKeys(run.rollback);
    for (const row of $("results").tBodies[0].rows) {
      if (!gone.has(row.dataset.key)) continue;
      row.classList.add("deleted");
      row.cells[0].append(" ", el("span", { className: "flag", textContent: t("deletedMark") }));
    }
    $("rollback-box").replaceChildren(rollbackReport(run.rollback));
    $("rollback-box").hidden = false;
  }
  $("rollback").disabled = run.status === STATUS.rolledBack || isActive(run);
}

function results() {
  const r = view.run.report;
  return {
    tenantId: r.tenantId,
    applications: r.applications.map(({ key, appId, objectId }) => ({ key, appId, objectId })),
  };
}

/** The result bar's buttons: copy the IDs, download the report, roll this run back (a first click lists it). */
export function bindResults() {
  $("form-toggle").addEventListener("click", () => {
    foldForm(false);
    $("picker-h").scrollIntoView({ block: "start" });
  });
  $("copy-csv").addEventListener("click", async () => {
    await navigator.clipboard.writeText(await ask({ type: "export", run: view.run.id, format: "ids-csv", results: results() }));
    $("copied").textContent = t("copiedAll");
  });
  $("copy-json").addEventListener("click", async () => {
    await navigator.clipboard.writeText(JSON.stringify(results(), null, 2));
    $("copied").textContent = t("copiedAll");
  });
  $("download").addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(view.run.report, null, 2)], { type: "application/json" }));
    el("a", { href: url, download: "lucs-registration-report.json" }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  twoClicks($("rollback"), {
    idle: () => t("rollback"),
    armed: () => t("rollbackConfirm"),
    box: $("rollback-box"),
    list: () => rollbackPlan(view.run.targets),
    run: () => ask({ type: "rollback", id: view.run.id }),
  });
}
