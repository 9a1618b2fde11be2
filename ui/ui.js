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

/**
 * Text from Graph or a token (app, tenant and owner names, user principal names) isolated from the text around it:
 * a name may carry right-to-left characters or bidi controls (U+202E and the like) that would otherwise reorder
 * what follows it — an app named "\u202Etnatsissa" reads as "assistant", and "...tenant ID X" could be flipped.
 * `<bdi>` isolates its content both ways (HTML Living Standard, the bdi element; Unicode UAX #9 isolates).
 */
export const bdi = (text) => el("bdi", { textContent: String(text ?? "") });

/**
 * A localized sentence with its substitutions as elements: each string part in its own `<bdi>`, each node as is.
 * The message is asked for with private-use placeholders, which are then replaced, so no part's text is ever
 * parsed as markup or merged into the sentence's own bidi run.
 */
export function sentence(t, key, ...parts) {
  const marks = parts.map((_, i) => String.fromCharCode(0xe000 + i));
  const node = el("span");
  for (const piece of t(key, ...marks).split(/([\ue000-\ue0ff])/u)) {
    const i = piece.length === 1 ? marks.indexOf(piece) : -1;
    if (i >= 0) node.append(parts[i] instanceof Node ? parts[i] : bdi(parts[i]));
    else if (piece) node.append(piece);
  }
  return node;
}

/**
 * A small "Copy" button that confirms for a moment. Its accessible name starts with the word it shows ("Copy", for a
 * moment "Copied") and then says `what` it copies, so what a screen reader announces always contains what is seen
 * (WCAG 2.5.3 label in name; axe's label-content-name-mismatch).
 */
export function copyButton(t, text, what) {
  const b = el("button", { type: "button", className: "small copy" });
  const show = (word) => {
    b.textContent = word;
    b.setAttribute("aria-label", `${word} – ${what}`);
  };
  show(t("copy"));
  b.addEventListener("click", async () => {
    await navigator.clipboard.writeText(text);
    show(t("copied"));
    setTimeout(() => show(t("copy")), 1200);
  });
  return b;
}

const copyCell = (t, text, what) => el("td", {}, el("code", { textContent: text }), " ", copyButton(t, text, what));

/** A run report's apps as table rows: component, instance, name, then the three IDs an admin copies. */
export function resultRows(t, report) {
  const tenantId = report.tenantId ?? "";
  return report.applications.map((a) =>
    el("tr", {},
      el("td", { textContent: a.component }),
      el("td", { textContent: a.instance ?? "" }),
      el("td", {}, bdi(a.displayName)),
      copyCell(t, a.appId ?? "", `${t("appId")}: ${a.displayName}`),
      copyCell(t, tenantId, `${t("tenantId")}: ${a.displayName}`),
      copyCell(t, a.objectId ?? "", `${t("objectId")}: ${a.displayName}`)));
}

/**
 * The same apps in two columns for a narrow window: the app (name, key below) and its Application (client) ID with
 * one Copy. The Directory ID is the same for every row, so the caller shows it once; object IDs are in the report.
 */
export function appIdRows(t, report) {
  return report.applications.map((a) => {
    const row = el("tr", {},
      el("td", {}, bdi(a.displayName), el("br"), el("small", { className: "muted", textContent: a.key })),
      el("td", { className: "id" }, el("code", { className: "guid", textContent: a.appId ?? "" }), " ",
        a.appId ? copyButton(t, a.appId, `${t("appId")}: ${a.displayName}`) : ""));
    row.dataset.key = a.key;
    return row;
  });
}

/**
 * One progress event as a list item: stage, app key, status, and for a retry why and how long it waits. The stage
 * and status are the engine's words (`stage_…`, `status_…`), said in the caller's language; the key stays as is.
 */
export function progressLine(t, e) {
  const why = e.reason ? `${t(`reason_${e.reason}`)}, ` : "";
  const wait = e.status === "retrying" ? ` (${why}${t("attempt")} ${e.attempt}, ${e.waitMs} ms)` : "";
  return el("li", { className: e.status, textContent: `${t(`stage_${e.stage}`)}${e.key ? ` · ${e.key}` : ""}: ${t(`status_${e.status}`)}${wait}` });
}
