// The pieces the extension's popup and the planner page both show, written once: the build copies this folder into
// each (dist/chrome/ui, dist/firefox/ui, dist/www/ui), the way uBlock Origin shares one source folder across its
// platforms. Words come from the caller's `t(key)` — the extension's _locales, the page's i18n.js — under the same
// keys, so both speak English and German alike.

/** An element with properties and children. */
export const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

/** A small "Copy" button that confirms for a moment; `label` names what it copies for screen readers. */
export function copyButton(t, text, label) {
  const b = el("button", { type: "button", className: "small", textContent: t("copy") });
  b.setAttribute("aria-label", label);
  b.addEventListener("click", async () => {
    await navigator.clipboard.writeText(text);
    b.textContent = t("copied");
    setTimeout(() => (b.textContent = t("copy")), 1200);
  });
  return b;
}

const copyCell = (t, text, label) => el("td", {}, el("code", { textContent: text }), " ", copyButton(t, text, label));

/** A run report's apps as table rows: component, instance, name, then the three IDs an admin copies. */
export function resultRows(t, report) {
  const tenantId = report.tenantId ?? "";
  return report.applications.map((a) =>
    el("tr", {},
      el("td", { textContent: a.component }),
      el("td", { textContent: a.instance ?? "" }),
      el("td", { textContent: a.displayName }),
      copyCell(t, a.appId ?? "", `${t("copy")} ${t("appId")}: ${a.displayName}`),
      copyCell(t, tenantId, `${t("copy")} ${t("tenantId")}: ${a.displayName}`),
      copyCell(t, a.objectId ?? "", `${t("copy")} ${t("objectId")}: ${a.displayName}`)));
}

/** One progress event as a list item: stage, app key, status, and for a retry why and how long it waits. */
export function progressLine(t, e) {
  const why = e.reason ? `${t(`reason_${e.reason}`)}, ` : "";
  const wait = e.status === "retrying" ? ` (${why}${t("attempt")} ${e.attempt}, ${e.waitMs} ms)` : "";
  return el("li", { className: e.status, textContent: `${e.stage}${e.key ? ` · ${e.key}` : ""}: ${e.status}${wait}` });
}
