// The health report as files an admin keeps or hands on: CSV (one row per app, its soonest-ending credential
// first) and JSON (the report as the core gave it). Pure: the popup and the planner page offer both.

import { csvField } from "./csv.js";

/** The credential ending first (secrets and certificates alike), or null. */
export function soonest(app) {
  const all = [...app.secrets, ...app.certificates];
  return all.reduce((a, c) => (a === null || (c.daysLeft ?? Infinity) < (a.daysLeft ?? Infinity) ? c : a), null);
}

const COLUMNS = [
  "key", "displayName", "applicationId", "found", "inPlan", "standing", "permissions", "missingPermissions",
  "extraPermissions", "consent", "missingConsent", "extraConsent", "credentials", "soonestEnds", "soonestState",
  "owners",
];

/** One row per app; lists joined with spaces (permission names hold none). */
export function healthCsv(report) {
  const rows = report.applications.map((a) => {
    const first = soonest(a);
    return [
      a.key, a.displayName, a.appId, a.found, a.inPlan, a.standing, a.permissions.state,
      a.permissions.missing.join(" "), a.permissions.extra.join(" "), a.consent.state, a.consent.missing.join(" "),
      a.consent.extra.join(" "), a.secrets.length + a.certificates.length, first?.endDateTime?.slice(0, 10) ?? "",
      first?.state ?? "", a.owners.map((o) => o.displayName ?? o.id).join(" "),
    ].map(csvField).join(",");
  });
  return [COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

/** The report as JSON, never with anything but what the core reported (it holds no secret text). */
export const healthJson = (report) => JSON.stringify(report, null, 2);
