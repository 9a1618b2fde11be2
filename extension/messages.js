// Who may ask the background what: extension pages (popup, options) may use the run API; content scripts on the
// portal may only ask for IDs; anything else — other extensions, other origins, malformed messages — is refused.
import { isPortalOrigin, originOf } from "./origins.js";

const SHAPES = {
  state: {},
  plan: { request: "object" },
  export: { plan: "object", format: "string" },
  preflight: { tid: "string", plan: "object" },
  verify: { tid: "string", plan: "object" },
  // `adopt`: the keys of apps not made by this tool that the admin chose to adopt (sent only when ticked).
  register: { tid: "string", plan: "object", confirmedTenant: "string", "adopt?": "array" },
  cancel: {},
  // The client secrets waiting to be stored, and those lost with a closed browser.
  secrets: {},
  // The admin stored these secrets (their key IDs): they are forgotten.
  markSecretsStored: { keyIds: "array" },
  // A kept run's id (the run going last included).
  rollback: { id: "string" },
  pasteToken: { token: "string" },
  openAppRegistrations: { tid: "string" },
  // The extension-owned confirmation of an Apply started from the portal page.
  applyDetails: { request: "string" },
  applyConfirm: { request: "string", component: "string", confirmedTenant: "string", discardStopped: "boolean" },
  // The health page (upkeep.js): the tenant's installation, a new secret in two steps. Removing the old one
  // carries the admin's confirmation that LUCS uses the new secret.
  health: { tid: "string" },
  secretPolicy: { tid: "string", key: "string" },
  renewSecret: { tid: "string", key: "string", lifetimeMonths: "number" },
  retireSecret: { tid: "string", key: "string", keyId: "string", confirmed: "boolean" },
  portalIds: { appId: "string" },
  portalApply: { appId: "string" },
  portalRunStatus: {},
};

const PORTAL_TYPES = new Set(["portalIds", "portalApply", "portalRunStatus"]);

/** "page" (our own extension pages), "portal" (our content script on a portal tab) or null. */
export function senderKind(sender, runtimeId, extensionBaseUrl) {
  if (!sender || sender.id !== runtimeId) return null;
  // Our pages (popup, options — also when open in a tab) have our own URL; a content script has the page's.
  if (typeof sender.url === "string" && sender.url.startsWith(extensionBaseUrl)) return "page";
  // Our content script runs in the portal's top-level page only, so its tab id names the portal tab it is in.
  if (sender.tab && Number.isInteger(sender.tab.id) && sender.frameId === 0 && isPortalOrigin(originOf(sender.url ?? ""))) return "portal";
  return null;
}

const isA = (value, type) => (type === "array" ? Array.isArray(value) : typeof value === type && value !== null);

export function wellFormed(message) {
  if (!message || typeof message !== "object" || typeof message.type !== "string" || !Object.hasOwn(SHAPES, message.type)) return false;
  // A field named "name?" may be left out; when present it has its type like any other.
  return Object.entries(SHAPES[message.type]).every(([k, type]) => {
    const name = k.endsWith("?") ? k.slice(0, -1) : k;
    if (k.endsWith("?") && message[name] === undefined) return true;
    return isA(message[name], type);
  });
}

/** Whether `kind` of sender may send this (well-formed) message. */
export function allowed(kind, message) {
  if (!wellFormed(message)) return false;
  if (kind === "page") return !PORTAL_TYPES.has(message.type);
  if (kind === "portal") return PORTAL_TYPES.has(message.type);
  return false;
}
