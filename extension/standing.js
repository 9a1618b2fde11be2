// Whose an app found in the tenant is, as the popup and the Apply confirmation show it. Any member may register an
// app under one of our keys or with one of our display names (authorizationPolicy
// defaultUserRolePermissions.allowedToCreateApps is true by default: learn.microsoft.com/graph/api/resources/
// defaultuserrolepermissions), and writing to it hands its owners what the plan grants — so an admin is shown who
// owns it and which credentials it holds before choosing. Pure, for the pages and node tests.

const same = (a, b) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/**
 * The facts shown of an app (an ExistingApp from verify, register or a foreignApps stop, or an application Graph
 * returned with its owners): plain data with only the fields picked here, so nothing else Graph sent — a secret's
 * text above all — can reach the page. `me` is the signed-in user's object id (the token's oid), when known.
 */
export function summarize(app, me = null) {
  const owners = (app?.owners ?? []).map((o) => ({
    id: String(o?.id ?? ""),
    name: typeof o?.displayName === "string" ? o.displayName : null,
    upn: typeof o?.userPrincipalName === "string" ? o.userPrincipalName : null,
    you: same(o?.id, me),
  }));
  const credentials = (app?.credentials ?? []).map((c) => ({
    kind: c?.kind === "certificate" ? "certificate" : "password",
    keyId: String(c?.keyId ?? ""),
    hint: typeof c?.hint === "string" ? c.hint : null,
    endDateTime: typeof c?.endDateTime === "string" ? c.endDateTime : null,
    madeByTool: c?.madeByTool === true,
  }));
  const standing = ["ours", "foreign", "adopted"].includes(app?.standing) ? app.standing : null;
  return {
    key: typeof app?.key === "string" ? app.key : null,
    objectId: String(app?.objectId ?? app?.id ?? ""),
    appId: String(app?.appId ?? ""),
    displayName: String(app?.displayName ?? ""),
    created: typeof app?.createdDateTime === "string" ? app.createdDateTime : null,
    publisherDomain: typeof app?.publisherDomain === "string" ? app.publisherDomain : null,
    standing,
    owners,
    // Owners other than the signed-in user: each is someone who would hold what is granted to the app.
    others: owners.filter((o) => !o.you).length,
    secrets: credentials.filter((c) => c.kind === "password").length,
    certificates: credentials.filter((c) => c.kind === "certificate").length,
    credentials,
    // Credentials no kept journal of this tool recorded: someone else can sign in as the app with them.
    unknownCredentials: credentials.filter((c) => !c.madeByTool).length,
  };
}

/** The apps found under the plan's keys that are not the tool's own and not adopted, one per key, in plan order. */
export function foreignApps(existing, planKeys = null) {
  const seen = new Set();
  return (existing ?? []).filter((e) => {
    if (e?.standing !== "foreign" || typeof e.key !== "string" || seen.has(e.key)) return false;
    if (planKeys && !planKeys.includes(e.key)) return false;
    seen.add(e.key);
    return true;
  });
}

/** "Name <upn>", or whichever of them Graph let the token read, or the object id. */
export function ownerLabel(o) {
  if (o.name && o.upn) return `${o.name} <${o.upn}>`;
  return o.upn ?? o.name ?? o.id;
}

// OData string literals are single-quoted, a quote inside doubled (learn.microsoft.com/graph/query-parameters,
// "Escaping single quotes"; OASIS OData ABNF SQUOTE-in-string).
export const odataString = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * The Graph path that lists the apps holding a display name, by their ids only: `$filter=displayName eq '…'` on
 * applications (learn.microsoft.com/graph/api/application-list, "Optional query parameters"; pnp/cli-microsoft365
 * finds apps by name this way). The list is paged: follow `@odata.nextLink` (learn.microsoft.com/graph/paging).
 */
export function sameNamePath(displayName) {
  return `/applications?$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}&$select=id`;
}
