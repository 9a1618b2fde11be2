// The secrets' lifetime on the planner page, once its pre-flight has read the sandbox tenant's default app
// management policy: a lifetime the policy does not allow a new app cannot be planned (the form says why and by
// which policy), and the note under the field says what limits it, or that the policy could not be read.
import { preflight } from "./pkg/lucs_registrar.js";
import { $ } from "./dom.js";
import { literal, say, t, tp } from "./i18n.js";

const DEFAULT_POLICY = "00000000-0000-0000-0000-000000000000";
// Pre-flight's `secretLifetimes`, once read.
let read = null;

const policyName = (rules) => (!rules || rules.policyId === DEFAULT_POLICY ? t("renewPolicyDefault") : literal(rules.policyName ?? rules.policyId));

/** Pre-flight against the sandbox (`graph`: its base URL and token), then the field's limit and note from it. */
export async function readLifetimes(graph) {
  const got = (await preflight(graph)).secretLifetimes;
  read = got;
  const input = $("lifetime");
  const longest = got.offeredMonths.at(-1);
  input.max = String(longest ?? 24);
  input.dataset.policyReadable = String(got.policyReadable);
  const r = got.rules;
  say($("lifetime-note"), () => {
    if (!got.policyReadable) return t("lifetimeUnread");
    if (r?.secretsBlocked) return tp("lifetimeBlocked", { policy: policyName(r) });
    if (r?.maxLifetimeSeconds) return tp("lifetimeLimited", { policy: policyName(r), days: Math.floor(r.maxLifetimeSeconds / 86400), months: longest });
    return t("lifetimeFree");
  });
}

/** Why the request's secrets cannot have the lifetime asked for under the policy read, or null. */
export function lifetimeProblem(request) {
  const o = request.options ?? {};
  const months = o.secretLifetimeMonths;
  // Outside 1–24 months the core's own error names the field and the range.
  const inRange = Number.isInteger(months) && months >= 1 && months <= 24;
  if (!read || !read.policyReadable || o.createSecret === false || !inRange) return null;
  const longest = read.offeredMonths.at(-1);
  if (longest === undefined) return () => tp("lifetimeBlocked", { policy: policyName(read.rules) });
  return months > longest ? () => tp("lifetimeTooLong", { policy: policyName(read.rules), months: longest }) : null;
}
