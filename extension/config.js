// Release configuration: Microsoft Graph and the Azure portal hosts only. The test build replaces this file
// (extension/test/config.js) to add a loopback sandbox; no release build contains a loopback host.
export const GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
export const GRAPH_PATTERNS = ["https://graph.microsoft.com/*"];
export const PORTAL_ORIGINS = ["https://portal.azure.com", "https://entra.microsoft.com"];
export const TEST_BUILD = false;

// The Graph base URL a captured request was sent to, if it is one this build may send tokens to.
export function graphBaseOf(url) {
  return url.startsWith(`${GRAPH_BASE_URL}/`) ? GRAPH_BASE_URL : null;
}
