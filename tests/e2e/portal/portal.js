// Stands in for the Azure portal in tests: it gets a (sandbox) Graph token and makes its own Graph calls with it,
// as the portal's blades do, every second — so the extension can capture a token, and a fresh one after expiry.
async function callGraph() {
  const { access_token: token } = await (await fetch("/sandbox/token")).json();
  const me = await (await fetch("/v1.0/me", { headers: { Authorization: `Bearer ${token}` } })).json();
  document.getElementById("who").textContent = `signed in as ${me.userPrincipalName}`;
}
callGraph();
setInterval(callGraph, 1000);
