// How portal pages call Microsoft Graph: the page asks its own origin's DelegationToken endpoint for its portal
// extension's token, then calls graph.microsoft.com straight from the browser with `Authorization: Bearer`
// (Azure/portaldocs portal-sdk/generated/top-extensions-authentication-flow.md: no server-side Graph proxy).
export const GRAPH = "https://graph.microsoft.com";

const params = new URLSearchParams(location.search);
/** Milliseconds between refreshes (pages keep calling like real blades polling); `?poll=` overrides. */
export const POLL_MS = Number(params.get("poll")) || 1000;

async function authHeader(extensionName) {
  const response = await fetch("/api/DelegationToken", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ extensionName, resourceName: "microsoft.graph" }),
  });
  if (!response.ok) throw new Error(`DelegationToken answered ${response.status}`);
  return (await response.json()).value.authHeader;
}

/** A Graph caller for one portal extension (null: the shell); it counts calls in body[data-calls]. */
export function graphClient(extensionName) {
  let calls = 0;
  const status = document.getElementById("status");
  return async function call(method, path, body) {
    const headers = { Authorization: await authHeader(extensionName) };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${GRAPH}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    calls += 1;
    document.body.dataset.calls = String(calls);
    document.body.dataset.lastStatus = String(response.status);
    if (status) status.textContent = `${calls} Graph calls; last: ${method} ${path} → ${response.status}`;
    return { status: response.status, body: await response.json().catch(() => null) };
  };
}

/** Runs `fn` after `delayMs`, then every POLL_MS, logging (not throwing) failures. */
export function keepCalling(fn, delayMs = 0) {
  const tick = () => fn().catch((err) => console.warn(err)).finally(() => setTimeout(tick, POLL_MS));
  setTimeout(tick, delayMs);
}
