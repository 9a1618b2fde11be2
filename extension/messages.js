// Who may ask the background what, in one place. Each concern of the background (background/*.js, and any page's
// own module) adds its messages here — type, shape and handler side by side — for one audience: "page" (our own
// extension pages: popup, options, confirmation, results) or "portal" (our content script on a portal tab, which
// may only ask about the app on screen). Anything else — other extensions, other origins, a type no module added, a
// field of the wrong type — is refused before a handler sees it. Pure, for the background and node tests.
import { isPortalOrigin, originOf } from "./origins.js";

const AUDIENCES = new Set(["page", "portal"]);
const TYPES = new Set(["string", "object", "array", "boolean", "number"]);

/** type → { from, shape, handle }. */
const table = new Map();

/**
 * Adds `entries` ({ type: { shape, handle(message, sender) } }) for senders of kind `from`. A shape maps each field
 * to its type; a field named "name?" may be left out. A type added twice, an unknown audience or field type throws:
 * two modules answering one message, or a shape that checks nothing, is a mistake to find at start-up.
 */
export function addHandlers(from, entries) {
  if (!AUDIENCES.has(from)) throw new Error(`from must be one of ${[...AUDIENCES].join(", ")}, not ${from}`);
  for (const [type, { shape, handle }] of Object.entries(entries)) {
    if (table.has(type)) throw new Error(`message type ${type} is answered twice`);
    if (typeof handle !== "function") throw new Error(`message type ${type} has no handler`);
    for (const [field, kind] of Object.entries(shape)) {
      if (!TYPES.has(kind)) throw new Error(`${type}.${field} must be one of ${[...TYPES].join(", ")}, not ${kind}`);
    }
    table.set(type, { from, shape: Object.freeze({ ...shape }), handle });
  }
}

/** "page" (our own extension pages), "portal" (our content script on a portal tab) or null. */
export function senderKind(sender, runtimeId, extensionBaseUrl) {
  if (!sender || sender.id !== runtimeId) return null;
  // Our pages (popup, options — also when open in a tab) have our own URL; a content script has the page's.
  if (typeof sender.url === "string" && sender.url.startsWith(extensionBaseUrl)) return "page";
  // Our content script runs in the portal's top-level page only, so its tab id names the portal tab it is in.
  if (sender.tab && Number.isInteger(sender.tab.id) && sender.frameId === 0 && isPortalOrigin(originOf(sender.url ?? ""))) return "portal";
  return null;
}

/** A Graph object or key id as it is written: a GUID. */
export const isGuid = (s) => typeof s === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

const isA = (value, type) => (type === "array" ? Array.isArray(value) : typeof value === type && value !== null);

/** Whether `message` has a type some module answers and each field of that type's shape. */
export function wellFormed(message) {
  if (!message || typeof message !== "object" || typeof message.type !== "string" || !table.has(message.type)) return false;
  return Object.entries(table.get(message.type).shape).every(([k, type]) => {
    const name = k.endsWith("?") ? k.slice(0, -1) : k;
    if (k.endsWith("?") && message[name] === undefined) return true;
    return isA(message[name], type);
  });
}

/** Whether `kind` of sender may send this (well-formed) message. */
export function allowed(kind, message) {
  return wellFormed(message) && table.get(message.type).from === kind;
}

/** The handler of an allowed message. */
export const handlerOf = (message) => table.get(message.type).handle;

/** The shape each type is checked against (for tests and the declarations check). */
export const shapes = () => Object.fromEntries([...table].map(([type, { from, shape }]) => [type, { from, shape }]));
