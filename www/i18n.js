// The page's language: English by default, German when the browser prefers it or the admin picks it. Static
// elements name their word with data-i18n (and data-i18n-aria-label, -title, -placeholder for attributes);
// text made by the scripts is shown with say(), which shows it again in the other language after a switch.
import { fill, literal } from "./ui/core-words.js";
import { WORDS } from "./words.js";

export { WORDS };

let lang = (globalThis.localStorage?.getItem("lucs-lang") ?? globalThis.navigator?.language ?? "en").startsWith("de") ? "de" : "en";

// `literal` and `fill` are the core texts' own (ui/core-words.js): one way of filling a sentence on every page.
export { fill, literal };

const word = (key) => WORDS[lang][key] ?? WORDS.en[key] ?? key;

/** The word for `key` as text, with {name} placeholders filled in. */
export const t = (key, vars) =>
  vars ? fill(word(key), vars).map((part) => (typeof part === "string" ? part : part.textContent)).join("") : word(key);

/** The word for `key` as parts for say(): values given as nodes (see literal) stay nodes. */
export const tp = (key, vars) => fill(word(key), vars);

export const language = () => lang;

// Nodes whose content a script made, with how to make it again.
const shown = new Map();

const paint = (node, render) => node.replaceChildren(...[render()].flat());

/** Shows what `render` returns (a string, a node or a list of both) in `node`, now and after every switch. */
export function say(node, render) {
  shown.set(node, render);
  paint(node, render);
}

/** Empties `node` and forgets how it was made. */
export function hush(node) {
  shown.delete(node);
  node.replaceChildren();
}

export function setLanguage(next) {
  lang = next === "de" ? "de" : "en";
  localStorage.setItem("lucs-lang", lang);
  translate();
}

const ATTRIBUTES = ["aria-label", "title", "placeholder"];

export function translate() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const attribute of ATTRIBUTES) {
    for (const node of document.querySelectorAll(`[data-i18n-${attribute}]`)) {
      node.setAttribute(attribute, t(node.getAttribute(`data-i18n-${attribute}`)));
    }
  }
  for (const [node, render] of shown) {
    if (node.isConnected) paint(node, render);
    else shown.delete(node);
  }
}
