// The run the background holds, as it goes: its status, its progress and, once it has a report, the IDs to copy, the
// report to download and the rollback of this run.
import { bdi, el, progressLine, resultRows, sentence } from "../ui/ui.js";
import { renderKept } from "./kept.js";
import { appNames, showForeignStop, updateButtons } from "./preview.js";
import { $, ask, t, view } from "./state.js";

export function renderRun(run) {
  view.run = run;
  updateButtons();
  if (!run) return;
  $("progress-section").hidden = false;
  const status = { running: t("running"), waitingToken: t("waitingToken"), done: t("done"), stopped: t("stopped"), cancelled: t("cancelledRun"), rolledBack: t("rolledBack") }[run.status] ?? run.status;
  // A foreignApps stop is told in the admin's language and shown below as the preview shows such apps; any other
  // stop's message (which may quote names from Graph) is isolated.
  if (run.stopKind === "foreignApps" && run.foreign?.length) $("run-status").replaceChildren(`${status}: ${t("foreignStopped", String(run.foreign.length))}`);
  else $("run-status").replaceChildren(status, ...(run.error ? [": ", bdi(run.error)] : []));
  showForeignStop();
  renderKept();
  $("progress").replaceChildren(...run.progress.slice(-60).map((e) => progressLine(t, e)));
  if (run.report) {
    $("results-section").hidden = false;
    $("results").tBodies[0].replaceChildren(...resultRows(t, run.report));
    const adopted = run.report.applications.filter((a) => a.adopted);
    $("adopted").hidden = adopted.length === 0;
    $("adopted").replaceChildren(adopted.length ? sentence(t, "adoptedApps", appNames(adopted.map((a) => ({ displayName: a.displayName, key: a.key })))) : "");
  }
}

function results() {
  const r = view.run.report;
  return { tenantId: r.tenantId, applications: r.applications.map(({ key, appId, objectId }) => ({ key, appId, objectId })) };
}

/** The result bar's buttons: copy the IDs, download the report, roll this run back (a first click arms it). */
export function bindResults() {
  $("copy-csv").addEventListener("click", async () => {
    await navigator.clipboard.writeText(await ask({ type: "export", plan: view.run.plan, format: "ids-csv", results: results() }));
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
  let armed = false;
  $("rollback").addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      $("rollback").textContent = t("rollbackConfirm");
      return;
    }
    const done = await ask({ type: "rollback", id: view.run.id });
    $("copied").textContent = `${t("rolledBack")}: ${done.deleted.length}`;
  });
}
