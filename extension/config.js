// Where tokens come from and go to. Release hosts only: the tests resolve these very names to a local sandbox.
const GRAPH_ORIGIN = "https://graph.microsoft.com";
// Runs always call v1.0; a token seen on /beta or $batch is the same token (it is valid for every Graph version).
export const GRAPH_BASE_URL = `${GRAPH_ORIGIN}/v1.0`;
export const GRAPH_PATTERNS = [`${GRAPH_ORIGIN}/*`];

// The Graph base URL for a token seen on `url`, or null when the request did not go to Microsoft Graph.
export function graphBaseOf(url) {
  try {
    return new URL(url).origin === GRAPH_ORIGIN ? GRAPH_BASE_URL : null;
  } catch {
    return null;
  }
}
