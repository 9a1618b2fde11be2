// The lifetime of the client secrets a registration adds: only the lifetimes the tenant's default app management
// policy allows a new app (pre-flight reads it), with a note saying which policy limits them, that it blocks
// secrets, or that it could not be read (then every lifetime is offered and Graph's refusal guards). The choice
// goes into the plan request's `secretLifetimeMonths`.
import { el } from "../ui/ui.js";
import { $, t } from "./state.js";

// The portal's presets as whole months (the core's PRESET_MONTHS): what is offered before pre-flight has spoken.
const PRESETS = [3, 6, 12, 18, 24];
const DEFAULT_MONTHS = 12;
const DEFAULT_POLICY = "00000000-0000-0000-0000-000000000000";

/** The months chosen, or null when none may be (the policy blocks secrets) or secrets are not made. */
export function chosenLifetime() {
  const select = $("lifetime");
  if (!select || select.disabled || !select.value) return null;
  return Number(select.value);
}

function policyName(rules) {
  return !rules || rules.policyId === DEFAULT_POLICY ? t("renewPolicyDefault") : rules.policyName ?? rules.policyId;
}

/**
 * Offers what `lifetimes` (pre-flight's `secretLifetimes`, or null before it) allows, keeping the choice when it
 * is allowed, else the longest allowed below it. Returns whether the chosen value changed (the plan is then made
 * again).
 */
let offeredNow = PRESETS;
let bound = false;

export function renderLifetimes(lifetimes) {
  const select = $("lifetime");
  if (!bound) {
    bound = true;
    $("secrets").addEventListener("change", () => (select.disabled = offeredNow.length === 0 || !$("secrets").checked));
  }
  const before = select.value;
  const offered = (offeredNow = lifetimes?.offeredMonths ?? PRESETS);
  const wanted = Number(before || DEFAULT_MONTHS);
  const keep = offered.includes(wanted) ? wanted : ([...offered].reverse().find((m) => m < wanted) ?? offered[0]);
  select.replaceChildren(...offered.map((m) => el("option", { value: String(m), textContent: t("monthsN", m) })));
  select.value = keep === undefined ? "" : String(keep);
  select.disabled = offered.length === 0 || !$("secrets").checked;
  const note = $("lifetime-note");
  note.dataset.readable = String(lifetimes?.policyReadable ?? "");
  const rules = lifetimes?.rules;
  if (!lifetimes) note.textContent = "";
  else if (!lifetimes.policyReadable) note.textContent = t("lifetimeUnread");
  else if (rules?.secretsBlocked) note.textContent = t("lifetimeBlocked", policyName(rules));
  else if (rules?.maxLifetimeSeconds) note.textContent = t("lifetimeLimited", policyName(rules), Math.floor(rules.maxLifetimeSeconds / 86400));
  else note.textContent = t("lifetimeFree");
  return select.value !== before;
}
