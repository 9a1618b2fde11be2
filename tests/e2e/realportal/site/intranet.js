// Not a portal: an intranet page that holds a Graph token able to write applications and calls Graph with it.
// `?embed=<blade host>&route=<route>` also frames a blade host inside it, as any site could.
import { POLL_MS, graphClient, keepCalling } from "./client.js";

const params = new URLSearchParams(location.search);
const graph = graphClient("Microsoft_AAD_RegisteredApps");

keepCalling(async () => {
  const me = await graph("GET", "/v1.0/me");
  if (me.status === 200) document.getElementById("who").textContent = `signed in as ${me.body.userPrincipalName}`;
  await graph("GET", "/beta/me");
  await graph("POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "/organization" }] });
});

const embed = params.get("embed");
if (embed && /^[a-z0-9.-]+\.portal\.azure\.net$/.test(embed)) {
  const frame = document.createElement("iframe");
  frame.src = `https://${embed}/?poll=${POLL_MS}#${params.get("route") ?? "Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview"}`;
  frame.dataset.host = embed;
  document.getElementById("journey").append(frame);
}
