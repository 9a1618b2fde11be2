// The page's few DOM helpers, shared by the planner and the sandbox run.
import { t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

export const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

// A small "Copy" button that confirms for a moment; `label` names what it copies for screen readers.
export function copyButton(text, label) {
  const b = el("button", { type: "button", className: "small", textContent: t("copy") });
  b.setAttribute("aria-label", label);
  b.addEventListener("click", async () => {
    await navigator.clipboard.writeText(text);
    b.textContent = t("copied");
    setTimeout(() => (b.textContent = t("copy")), 1200);
  });
  return b;
}
