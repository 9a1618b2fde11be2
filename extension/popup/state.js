// What the popup knows while it is open, in one place: the modules beside this one read and set it. Nothing here
// outlives the popup — the background holds the run, the tokens and the secrets; this is only what is on screen.
import { api } from "../browser.js";
import { bdi } from "../ui/ui.js";
import { errorParts } from "./words.js";
import { isActive } from "../runs/status.js";

export const $ = (id) => document.getElementById(id);
export const t = (key, ...subs) => api.i18n.getMessage(key, subs) || key;

export const view = {
  /**
   * The background's view of the components and options chosen (runs/views.js choiceView: its id, what each app is
   * granted, the counts, the warnings), to draw; null while it is made or when the choice is invalid. The plan stays
   * with the background: the popup names it by `choice.id`.
   */
  choice: null,
  /** The last check against the tenant (checkView), as the background answered and keeps it. */
  preview: null,
  /** Pre-flight's report for the selected tenant and this plan. */
  preflight: null,
  /** The background's view of the run (storage.session runView), as last rendered. */
  run: null,
  /** The tenants the background has tokens for. */
  tenants: [],
  /**
   * Apps under the plan's keys not made by this tool for the admin (from the preview or a foreignApps stop): Register
   * writes nothing to them, and nothing at all, until the admin ticks "Adopt these apps".
   */
  foreign: [],
  /** The kept runs as the background lists them (storage.session keptView). */
  kept: [],
};

export async function ask(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || reply.error) throw Object.assign(new Error(reply?.error ?? "no answer"), reply ?? {});
  return reply.result;
}

export const selectedTenant = () => $("tenant-select").value || null;
export const signedIn = () => view.tenants.find((x) => x.tid === selectedTenant())?.oid ?? null;
export { isActive };

/**
 * An error where the picker shows it: one of the core's in the popup's language from its code and field (`source`,
 * the request it is about, gives the values it names); any other message isolated, as it may quote names from Graph.
 */
export function showError(err, source = null) {
  const parts = err.code ? errorParts(err, source) : [err.message];
  $("plan-error").replaceChildren(...parts.map((p) => (typeof p === "string" && p === err.message ? bdi(p) : p)));
}

// A button whose action waits on the background says so while it waits: disabled, aria-busy and a word in place of
// its label. What enables buttons as replies arrive (updateButtons) cannot re-enable a busy one meanwhile.
const holdDisabled = new MutationObserver((records) => {
  for (const { target } of records) if (target.getAttribute("aria-busy") === "true" && !target.disabled) target.disabled = true;
});

/** Runs `work` with `button` busy (showing `word`); a click on a busy button does nothing. */
export async function busy(button, word, work) {
  if (button.getAttribute("aria-busy") === "true") return undefined;
  const label = button.textContent;
  button.setAttribute("aria-busy", "true");
  button.disabled = true;
  button.textContent = word;
  holdDisabled.observe(button, { attributes: true, attributeFilter: ["disabled"] });
  try {
    return await work();
  } finally {
    button.removeAttribute("aria-busy");
    button.textContent = label;
    button.disabled = false;
  }
}
