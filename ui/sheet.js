// The LUCS configuration sheet: per component and instance, the values its LUCS configuration asks for, in the
// order an admin types them — Application (client) ID, Directory (tenant) ID, then the client secret and its expiry
// where one was just made or renewed. The secret's text is on the sheet only when the caller passes it (it exists
// only in the view right after it was made) and is printed only when the admin chooses. Pure: the popup, the
// results page and the planner page render and copy what these return.

import { csvField } from "./csv.js";

/** One row per app of a run report; `secrets` are the ones made or renewed and not yet stored ({key, secretText,
 * endDateTime, keyId}). */
export function sheetRows(report, secrets = []) {
  const tenantId = report.tenantId ?? "";
  return report.applications.map((a) => {
    const s = secrets.find((x) => x.key === a.key);
    return {
      key: a.key,
      component: a.component,
      instance: a.instance ?? null,
      displayName: a.displayName,
      appId: a.appId ?? "",
      tenantId,
      secret: s?.secretText ?? null,
      secretKeyId: s?.keyId ?? null,
      secretExpires: s?.endDateTime ?? null,
    };
  });
}

const day = (iso) => (iso ? iso.slice(0, 10) : "");

/** The sheet as text: a block per app, each value on its own line under the label LUCS's setup uses. */
export function sheetText(t, rows, { withSecrets = false } = {}) {
  return rows
    .map((r) => {
      const lines = [r.displayName, `${t("appId")}: ${r.appId}`, `${t("tenantId")}: ${r.tenantId}`];
      if (r.secretExpires) {
        if (withSecrets && r.secret) lines.push(`${t("sheetSecret")}: ${r.secret}`);
        lines.push(`${t("sheetExpires")}: ${day(r.secretExpires)}`);
      }
      return lines.join("\n");
    })
    .join("\n\n");
}

/** The sheet as CSV, one row per app; the header is in English so a script can read any admin's sheet. */
export function sheetCsv(rows, { withSecrets = false } = {}) {
  const head = ["component", "instance", "displayName", "applicationId", "directoryId", ...(withSecrets ? ["clientSecret"] : []), "secretExpires"];
  const body = rows.map((r) => [r.component, r.instance, r.displayName, r.appId, r.tenantId, ...(withSecrets ? [r.secret] : []), day(r.secretExpires)].map(csvField).join(","));
  return [head.join(","), ...body].join("\r\n") + "\r\n";
}
