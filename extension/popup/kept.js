// The kept runs (storage.local): each with its date, job, tenant and app count, each rollback-able until it is
// rolled back. A first click arms the button; the second rolls back.
import { rows as keptRows } from "../journals.js";
import { bdi, el, sentence } from "../ui/ui.js";
import { $, activeRunId, ask, t, view } from "./state.js";

export function renderKept() {
  const list = keptRows(view.kept, activeRunId());
  $("runs-section").hidden = list.length === 0;
  $("runs").replaceChildren(...list.map((r) => {
    const li = el("li", {}, sentence(t, "keptRow", new Date(r.at).toLocaleString(), t(`job_${r.job}`), r.tid, String(r.apps), t(`kept_${r.status}`)));
    li.dataset.id = r.id;
    li.dataset.status = r.status;
    if (r.canRollBack) {
      const b = el("button", { type: "button", className: "small danger", textContent: t("rollBackRun") });
      b.addEventListener("click", async () => {
        if (!b.dataset.armed) {
          b.dataset.armed = "true";
          b.textContent = t("rollBackRunConfirm");
          return;
        }
        b.disabled = true;
        try {
          const done = await ask({ type: "rollback", id: r.id });
          li.append(" ", el("span", { className: "muted", textContent: `${t("rolledBack")}: ${done.deleted.length}` }));
        } catch (err) {
          li.append(" ", el("span", { className: "bad" }, bdi(err.message)));
        }
      });
      li.append(b);
    }
    return li;
  }));
}
