// The components and options the admin chooses, and the plan request they make.
import { el } from "../ui/ui.js";
import { chosenLifetime, renderLifetimes } from "./lifetime.js";
import { $, t } from "./state.js";

export function renderComponents(catalog) {
  $("components").replaceChildren(
    ...catalog.components.map((c) => {
      const box = el("input", { type: "checkbox", id: `c-${c.code}`, checked: true });
      box.dataset.code = c.code;
      const label = el("label", { htmlFor: box.id, textContent: ` ${c.name}` });
      label.title = c.permissions.map((p) => `${p.value} (${t(p.kind === "application" ? "kindApplication" : "kindDelegated")})`).join(", ");
      const row = el("div", {}, box, label);
      if (c.multiInstance) {
        const n = el("input", { type: "number", min: 1, max: 20, value: 1, id: `n-${c.code}` });
        n.setAttribute("aria-label", t("instancesOf", c.name));
        row.append(n);
      }
      return row;
    }),
  );
  renderLifetimes(null);
}

export function request() {
  const components = [...document.querySelectorAll("#components input[data-code]")]
    .filter((b) => b.checked)
    .map((b) => {
      const n = $(`n-${b.dataset.code}`);
      const entry = { code: b.dataset.code };
      if (n) {
        const count = Math.max(0, Number.parseInt(n.value, 10) || 0);
        entry.instances = Array.from({ length: count }, (_, i) => String(i + 1));
      }
      return entry;
    });
  const options = { grantAdminConsent: $("consent").checked, includeOptional: $("optional").checked };
  if (!$("secrets").checked) options.createSecret = false;
  const months = chosenLifetime();
  if (months) options.secretLifetimeMonths = months;
  return { components, options };
}
