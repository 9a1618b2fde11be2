// The kept runs (storage.local): each with its date, job, tenant and app count, each rollback-able until it is
// rolled back. As for the run on screen, a first click lists what will be deleted for good and arms the button for a
// few seconds; the second rolls back and says what was deleted, what failed and what was kept.
import { rows as keptRows } from "../journals.js";
import { el, sentence } from "../ui/ui.js";
import { rollbackPlan, rollbackReport, twoClicks } from "./rollback.js";
import { $, activeRunId, ask, t, view } from "./state.js";
import { STATUS } from "../runs/status.js";

// The reports of rollbacks made from this popup, by run: the list is redrawn when storage changes, they stay.
const reports = new Map();

// The display names of a kept run's apps, when it is the run on screen (a kept journal holds keys only).
const namesOf = (id) => new Map(view.run?.id === id ? view.run.plan.applications.map((a) => [a.key, a.displayName]) : []);

export function renderKept() {
  const list = keptRows(view.kept, activeRunId());
  $("runs-section").hidden = list.length === 0;
  $("runs").replaceChildren(...list.map((r) => {
    const entry = view.kept.find((e) => e.id === r.id);
    const li = el("li", {}, sentence(t, "keptRow", new Date(r.at).toLocaleString(), t(`job_${r.job}`), r.tid, String(r.apps), t(`kept_${r.status}`)));
    li.dataset.id = r.id;
    li.dataset.status = r.status;
    const box = el("div", { className: "kept-rollback" });
    box.hidden = true;
    const report = reports.get(r.id) ?? (r.status === STATUS.rolledBack && entry?.rolledBack ? entry.rolledBack : null);
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
        plan: () => rollbackPlan(entry?.journal, namesOf(r.id)),
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
