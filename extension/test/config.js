// Test build only: also trusts a Graph sandbox and a mock portal on 127.0.0.1 (any port).
export const GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
export const GRAPH_PATTERNS = ["https://graph.microsoft.com/*", "http://127.0.0.1/*"];
export const PORTAL_ORIGINS = ["https://portal.azure.com", "https://entra.microsoft.com", "http://127.0.0.1"];
export const TEST_BUILD = true;

export function graphBaseOf(url) {
  if (url.startsWith(`${GRAPH_BASE_URL}/`)) return GRAPH_BASE_URL;
  const m = url.match(/^(http:\/\/127\.0\.0\.1:\d+\/v1\.0)\//);
  return m ? m[1] : null;
}
