// The catalog as cards: pick a component, set its instances and labels, optional permissions and redirect URIs.
import { catalogText } from "./core-words.js";
import { el, copyButton } from "./dom.js";
import { t } from "./i18n.js";

const PLATFORMS = ["web", "spa", "publicClient"];

function instances(c, id) {
  const count = el("input", { type: "number", min: 1, max: 20, value: 1, id: `${id}-count` });
  count.dataset.instancesFor = c.code;
  const labels = el("input", { id: `${id}-labels`, value: "1", autocomplete: "off" });
  labels.dataset.labelsFor = c.code;
  labels.setAttribute("aria-describedby", `${id}-instances-error`);
  count.addEventListener("input", () => {
    if (labels.dataset.edited) return;
    const n = Math.max(0, Math.min(99, Number.parseInt(count.value, 10) || 0));
    labels.value = Array.from({ length: n }, (_, i) => String(i + 1)).join(", ");
  });
  labels.addEventListener("input", () => (labels.dataset.edited = "true"));
  return [
    el("div", { className: "instances" },
      el("label", { htmlFor: count.id, textContent: t("instances") }), count,
      el("label", { htmlFor: labels.id, textContent: t("labels"), className: "wide" }), labels),
    el("p", { className: "error", id: `${id}-instances-error`, role: "alert" }),
  ];
}

function redirects(c, id) {
  const box = el("details", { className: "redirects" }, el("summary", { textContent: t("redirects") }));
  for (const platform of PLATFORMS) {
    const area = el("textarea", { id: `${id}-${platform}`, rows: 2, spellcheck: false, placeholder: "https://…" });
    area.dataset.redirectsFor = c.code;
    area.dataset.platform = platform;
    area.setAttribute("aria-describedby", `${id}-${platform}-error`);
    box.append(el("label", { htmlFor: area.id, textContent: t(`platform_${platform}`) }), area, el("p", { className: "error", id: `${id}-${platform}-error`, role: "alert" }));
  }
  return box;
}

export function renderCatalog(root, cat) {
  root.replaceChildren();
  for (const c of cat.components) {
    const id = `c-${c.code}`;
    const card = el("article", { className: "card" });
    const pick = el("input", { type: "checkbox", id, checked: true });
    pick.dataset.code = c.code;
    card.append(el("h3", {}, pick, el("label", { htmlFor: id, textContent: c.name }), el("code", { textContent: c.code })));
    card.append(el("p", { className: "purpose", textContent: catalogText(c.purpose) }));
    if (c.multiInstance) card.append(...instances(c, id));
    for (const p of c.permissions) {
      const row = el("div", { className: "perm" });
      let name = el("span", { textContent: p.value });
      if (p.optional) {
        const opt = el("input", { type: "checkbox", id: `${id}-${p.value}` });
        opt.dataset.optionalFor = c.code;
        opt.dataset.value = p.value;
        name = el("label", { htmlFor: opt.id }, opt, ` ${p.value} (${t("optional")})`);
      }
      const kind = el("span", { className: `badge ${p.kind}`, textContent: t(`kind_${p.kind}`) + (p.adminConsentRequired ? ` · ${t("adminConsent")}` : "") });
      row.append(name, kind, el("span", { className: "guid" }, p.id, copyButton(p.id, t("permissionId", { value: p.value }))));
      if (p.description) row.title = catalogText(p.description);
      card.append(row);
    }
    card.append(redirects(c, id));
    if (c.errata.length) card.append(el("ul", { className: "errata" }, ...c.errata.map((e) => el("li", { textContent: catalogText(e) }))));
    root.append(card);
  }
}
