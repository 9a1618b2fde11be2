// The kept runs (their journals in storage.local, as the background lists them): each with its date, job, tenant and
// app count, each rollback-able until it is rolled back. As for the run on screen, a first click lists what will be
// deleted for good and arms the button for a few seconds; the second rolls back and says what was deleted, what
// failed and what was kept.
import { el, sentence } from "../ui/ui.js";
import { rollbackPlan, rollbackReport, twoClicks } from "./rollback.js";
import { $, ask, t, view } from "./state.js";

// The reports of rollbacks made from this popup, by run: the list is redrawn when storage changes, they stay.
const reports = new Map();

/** The kept runs as the background lists them (runs/views.js keptView: each with what its rollback deletes). */
export function renderKept() {
  const list = view.kept;
  $("runs-section").hidden = list.length === 0;
  $("runs").replaceChildren(...list.map((r) => {
    const li = el("li", {}, sentence(t, "keptRow", new Date(r.at).toLocaleString(), t(`job_${r.job}`), r.tid, String(r.apps), t(`kept_${r.status}`)));
    li.dataset.id = r.id;
    li.dataset.status = r.status;
    const box = el("div", { className: "kept-rollback" });
    box.hidden = true;
    const report = reports.get(r.id) ?? r.rolledBack;
    if (report) {
      box.append(rollbackReport(report));
      box.hidden = false;
    }
    if (r.canRollBack) {
      const b = el("button", { type: "button", className: "small danger", textContent: t("rollBackRun") });
      twoClicks(b, {
        idle: () => t("rollBackRun"),
        armed: () => t("rollBackRunConfirm"),
        box,
        list: () => rollbackPlan(r.targets),
        run: async () => {
          const done = await ask({ type: "rollback", id: r.id });
          reports.set(r.id, done);
          // The list may have been redrawn while the rollback ran (its journal entry changed): draw it with the report.
          queueMicrotask(renderKept);
          return done;
        },
      });
      li.append(" ", b);
    }
    li.append(box);
    return li;
  }));
}
