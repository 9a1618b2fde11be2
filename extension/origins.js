// Which pages and frames are the Azure portal. Pure, for the background and for node tests.
//
// The top-level page is one of the two hosts of the same portal shell ("Ibiza"): portal.azure.com and the Entra
// admin center (the Azure Portal client's redirect URIs name both: dirkjanm/ROADtools firstpartyscopes.json).
// Its blades run in frames on their own origins and call Graph from there: <extension>.hosting.portal.azure.net
// (iam. for the Entra blades, registeredapps. for App registrations) and sandbox-N.reactblade.portal.azure.net for
// React views (public portal-extension user scripts and the Intune Admin Center Tools extension trust the same).
const PORTAL_ORIGINS = ["https://portal.azure.com", "https://entra.microsoft.com"];
const BLADE_HOST = /^https:\/\/[a-z0-9-]{1,63}\.(hosting|reactblade)\.portal\.azure\.net$/;

export function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** A portal shell's origin (the tab's top-level page). */
export const isPortalOrigin = (origin) => typeof origin === "string" && PORTAL_ORIGINS.includes(origin);

/** An origin a portal tab's Graph calls come from: the shell or one of its blade frames. */
export const isPortalFrameOrigin = (origin) => isPortalOrigin(origin) || (typeof origin === "string" && BLADE_HOST.test(origin));

/** The origin of the frame that sent a request: Chromium says `initiator`; Firefox gives the document's URL. */
export function requestOrigin(details) {
  return details.initiator ?? originOf(details.documentUrl ?? details.originUrl ?? "");
}

/**
 * Whether a Graph request's token may be taken: sent by a tab (not a worker or another extension), from the portal
 * shell or a blade frame, in a tab whose top-level page is the portal. `topUrl` is the tab's URL as the browser
 * reports it (undefined for a tab we have no host access to, i.e. not a portal).
 */
export function fromPortalTab(details, topUrl) {
  if (!Number.isInteger(details?.tabId) || details.tabId < 0) return false;
  if (!isPortalFrameOrigin(requestOrigin(details))) return false;
  // Firefox also lists the frame's ancestors; every one must be the portal too.
  for (const ancestor of details.frameAncestors ?? []) if (!isPortalFrameOrigin(originOf(ancestor.url ?? ""))) return false;
  return isPortalOrigin(originOf(topUrl ?? ""));
}
