// The real-host world on loopback over TLS: one HTTPS server answers for Microsoft Graph, both portal shells, the
// portal's blade-frame hosts and a non-portal intranet host, each with its own certificate from a throwaway CA.
// Graph is the Graph sandbox behind a front door. Tokens are the sandbox's own, signed with its key (the sandbox
// refuses any other, as Graph checks Microsoft's signature); the front door further accepts only those this world
// handed out and has not revoked, so a token made up by page script never works.
import { createServer } from "node:https";
import { startSandbox } from "../harness.mjs";
import { request } from "node:http";
import { createSecureContext } from "node:tls";
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeCertificates } from "./certs.mjs";
import { CLIENTS, clientByName } from "./clients.mjs";
import { loginHost } from "./login.mjs";

const SITE = join(dirname(fileURLToPath(import.meta.url)), "site");

export const HOSTS = {
  graph: "graph.microsoft.com",
  portal: "portal.azure.com",
  entra: "entra.microsoft.com",
  iam: "iam.hosting.portal.azure.net",
  registeredApps: "registeredapps.hosting.portal.azure.net",
  reactBlade: "sandbox-1.reactblade.portal.azure.net",
  // Microsoft's sign-in host, for the extension's sign-in fallback (login.mjs).
  login: "login.microsoftonline.com",
  // Not a portal (a reserved TLD, RFC 2606): an intranet page holding a writable Graph token of its own.
  intranet: "www.contoso-intranet.example",
};

// What each host serves: its pages and which client's token its DelegationToken endpoint hands out. Blade hosts
// serve one portal extension each (Azure/portaldocs: an extension is hosted on <name>.hosting.portal.azure.net):
// iam → Microsoft_AAD_IAM, registeredapps → Microsoft_AAD_RegisteredApps; React views (reactblade) here render
// Microsoft_AAD_IAM views.
const SITES = {
  [HOSTS.portal]: { index: "shell.html", files: ["shell.js", "client.js", "portal.css"], client: "shell" },
  [HOSTS.entra]: { index: "shell.html", files: ["shell.js", "client.js", "portal.css"], client: "shell" },
  [HOSTS.iam]: { index: "blade.html", files: ["blade.js", "client.js", "portal.css"], client: "iam" },
  [HOSTS.registeredApps]: { index: "blade.html", files: ["blade.js", "client.js", "portal.css"], client: "registeredApps" },
  [HOSTS.reactBlade]: { index: "blade.html", files: ["blade.js", "client.js", "portal.css"], client: "iam" },
  [HOSTS.intranet]: { index: "intranet.html", files: ["intranet.js", "client.js", "portal.css"], client: "registeredApps" },
};

const TYPES = { html: "text/html; charset=utf-8", js: "text/javascript", css: "text/css" };
// Graph answers CORS for any origin: `Access-Control-Allow-Origin: *` on its replies (a Graph reply's headers in
// microsoftgraph/microsoft-graph-docs#4752). The sandbox answers only its own origin, so the front door adds these.
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers": "Authorization, Content-Type, Prefer, ConsistencyLevel",
  "access-control-expose-headers": "Retry-After",
};

const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url"));

/** Starts the sandbox and the HTTPS server. Options: port (default LUCS_REALPORTAL_PORT or a free one), latencyMs. */
export async function startWorld({ port = Number(process.env.LUCS_REALPORTAL_PORT ?? 0), latencyMs = 0 } = {}) {
  const certs = await makeCertificates(Object.values(HOSTS));
  const sandbox = await startSandbox(["--latency-ms", String(latencyMs)]);
  const contexts = Object.fromEntries(Object.entries(certs.leaf).map(([h, c]) => [h, createSecureContext(c)]));
  const minted = new Map(); // token → { client, exp }
  const cache = new Map(); // client key → { token, tid, exp }
  const lifetimes = new Map(); // client key → seconds
  const calls = [];
  const logins = [];
  let tenant = null;

  const world = {
    hosts: HOSTS,
    clients: CLIENTS,
    port: 0,
    caPem: certs.caPem,
    caSpki: certs.caSpki,
    sandboxUrl: sandbox.url,
    /** https://<host><path>, host given by key (e.g. "portal") or name. Browsers reach it on the default port. */
    url: (host, path = "/") => `https://${HOSTS[host] ?? host}${path}`,
    async state() {
      const state = await sandboxCall(sandbox.url, "GET", "/sandbox/state");
      // Who is signed in: tokens carry the user's object id (oid), as Entra's do, so runs know the admin's own apps.
      tenant = { tid: state.tenantId, upn: state.user.upn, oid: state.user.id };
      return state;
    },
    /** POST to a sandbox control endpoint (/sandbox/reset, /sandbox/faults, /sandbox/roles, /sandbox/seed). */
    async post(path, body = {}) {
      if (!path.startsWith("/sandbox/")) throw new Error(`post: path must start with /sandbox/, got ${path}`);
      const answer = await sandboxCall(sandbox.url, "POST", path, body);
      if (path === "/sandbox/reset") await world.state();
      return answer;
    },
    /** A fresh token of a portal client ("registeredApps", "iam", "shell", or its appId) for the current tenant. */
    async mint(clientName, { ttl, scopes, upn } = {}) {
      // A portal client by name, or any other app id (an organisation's own registration, for sign-in).
      const client = clientByName(clientName) ?? (/^[0-9a-f-]{36}$/i.test(clientName) ? { appId: clientName, scopes: "" } : null);
      if (!client) throw new Error(`mint: unknown client ${clientName}`);
      if (!tenant) await world.state();
      const key = keyOf(client) ?? client.appId;
      const ask = new URLSearchParams({
        appid: client.appId, scp: scopes ?? client.scopes, ttl: String(ttl ?? lifetimes.get(key) ?? 3600),
        upn: upn ?? tenant.upn,
      });
      const { access_token: token } = await sandboxCall(sandbox.url, "GET", `/sandbox/token?${ask}`);
      minted.set(token, { client: key, appid: client.appId, exp: claimsOf(token).exp });
      return token;
    },
    /** The token a page of this client gets now: the same one until less than half its life (at most 5 min) is left. */
    async delegationToken(clientName) {
      const client = clientByName(clientName);
      if (!tenant) await world.state();
      const key = keyOf(client);
      const held = cache.get(key);
      const now = Date.now() / 1000;
      const lifetime = lifetimes.get(key) ?? 3600;
      if (held && held.tid === tenant.tid && minted.has(held.token) && held.exp - now > Math.min(300, lifetime / 2)) {
        return held;
      }
      const token = await world.mint(key);
      const entry = { token, tid: tenant.tid, exp: minted.get(token).exp };
      cache.set(key, entry);
      return entry;
    },
    /** A Graph call straight to the sandbox with a fresh token of the App registrations blade (setting up a tenant
     *  as a member could, or reading it back), not through the browser: { status, body }. */
    async graph(method, path, body) {
      const token = await world.mint("registeredApps");
      const reply = await fetch(new URL(`/v1.0${path}`, sandbox.url), { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: reply.status, body: await reply.json().catch(() => null) };
    },
    /** Token lifetime in seconds for a client's next delegation tokens (tests of refresh use a short one). */
    setTokenLifetime(clientName, seconds) {
      lifetimes.set(keyOf(clientByName(clientName)), seconds);
      cache.delete(keyOf(clientByName(clientName)));
    },
    /** Graph refuses (401) every token minted so far for this client; its pages get a new one on their next call. */
    revoke(clientName) {
      const key = keyOf(clientByName(clientName));
      for (const [token, m] of minted) if (m.client === key) minted.delete(token);
      cache.delete(key);
    },
    /** Every Graph request seen at the front door: { at, method, path, origin, appid, status }. */
    graphCalls: () => calls.slice(),
    /** Every request to the sign-in host: { at, method, path, query, form } (codes and verifiers elided). */
    loginRequests: () => logins.slice(),
    clearGraphCalls: () => void calls.splice(0),
    async close() {
      await new Promise((ok) => server.close(ok));
      server.closeAllConnections?.();
      sandbox.close();
      await rm(certs.dir, { recursive: true, force: true });
    },
  };

  const server = createServer(
    { ...certs.leaf[HOSTS.portal], SNICallback: (name, cb) => cb(null, contexts[name.toLowerCase()]) },
    (req, res) => route(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err?.message ?? err));
    }));

  const login = loginHost({
    log: logins,
    mint: async ({ appId, scopes }) => {
      const token = await world.mint(appId, { scopes });
      return { token, expiresIn: minted.get(token).exp - Math.floor(Date.now() / 1000) };
    },
  });

  async function route(req, res) {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    if (host === HOSTS.graph) return graph(req, res);
    if (host === HOSTS.login) return login(req, res);
    const site = SITES[host];
    if (!site) return void res.writeHead(421, { "content-type": "text/plain" }).end(`no site for host ${host}`);
    const path = new URL(req.url, "https://x").pathname;
    if (path === "/api/DelegationToken") return delegation(req, res, site);
    const file = path === "/" ? site.index : path.slice(1);
    if (file !== site.index && !site.files.includes(file)) return void res.writeHead(404).end();
    const body = await readFile(join(SITE, file));
    res.writeHead(200, { "content-type": TYPES[file.split(".").pop()], "cache-control": "no-store" }).end(body);
  }

  // The portal's DelegationToken endpoint: a UI extension POSTs {extensionName, resourceName} and receives
  // {value: {authHeader: "Bearer …", expiresInMs}} (Azure/portaldocs portal-sdk/generated/
  // top-extensions-authentication-flow.md). Here each host may only get its own client's token.
  async function delegation(req, res, site) {
    const ask = await readJson(req);
    const client = CLIENTS[site.client];
    if (req.method !== "POST" || ask?.resourceName !== "microsoft.graph" || (ask.extensionName ?? null) !== client.extensionName) {
      return void res.writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ error: `this host serves ${client.extensionName ?? "the shell"}'s microsoft.graph token only` }));
    }
    const { token, exp } = await world.delegationToken(site.client);
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify({ value: { authHeader: `Bearer ${token}`, expiresInMs: exp * 1000 - Date.now() } }));
  }

  async function graph(req, res) {
    const path = req.url;
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const note = (status) => calls.push({ at: Date.now(), method: req.method, path, origin: req.headers.origin ?? null,
      appid: minted.get(token)?.appid ?? null, status });
    if (path.startsWith("/sandbox/")) {
      note(404);
      return void res.writeHead(404, { ...CORS, "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "NotFound", message: "Resource not found." } }));
    }
    if (req.method !== "OPTIONS" && !minted.has(token)) {
      note(401);
      req.resume();
      return void res.writeHead(401, { ...CORS, "content-type": "application/json",
        "www-authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' })
        .end(JSON.stringify({ error: { code: "InvalidAuthenticationToken", message: "Access token validation failure." } }));
    }
    if (req.method === "GET" && /^\/v1\.0\/applications\?/.test(path)) return listApplications(req, res, path, note, sandbox.url);
    const { hostname, port } = new URL(sandbox.url);
    // The browser's Origin stays here: CORS is the front door's part, as it is Graph's.
    const { origin: _origin, ...headers } = req.headers;
    const upstream = request({ hostname, port, method: req.method, path, headers: { ...headers, host: `${hostname}:${port}` } }, (up) => {
      if (req.method !== "OPTIONS") note(up.statusCode);
      const { vary: _vary, ...answer } = up.headers;
      res.writeHead(up.statusCode, { ...answer, ...CORS });
      up.pipe(res);
    });
    // The sandbox's "dropped connection" fault: break the browser's connection too.
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  }

  await new Promise((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", ok));
  world.port = server.address().port;
  await world.state();
  return world;
}

// `GET /applications?$filter=displayName eq '…'&$select=id`: the apps holding a display name (application-list,
// "Optional query parameters"; a quote inside the literal doubled, learn.microsoft.com/graph/query-parameters). The
// sandbox serves applications by key and by id but has no list, so the front door answers this one query from the
// sandbox's own state (every app's object id and display name) — the same tenant the rest of Graph answers from.
// Any other filter gets Graph's 400 for an unsupported query.
async function listApplications(req, res, path, note, base) {
  req.resume();
  const query = new URLSearchParams(path.slice(path.indexOf("?") + 1));
  const literal = /^displayName eq '((?:[^']|'')*)'$/.exec(query.get("$filter") ?? "");
  const answer = (status, body) => {
    note(status);
    res.writeHead(status, { ...CORS, "content-type": "application/json" }).end(JSON.stringify(body));
  };
  if (!literal) return answer(400, { error: { code: "Request_UnsupportedQuery", message: "Unsupported Query." } });
  const name = literal[1].replaceAll("''", "'");
  const { applications } = await sandboxCall(base, "GET", "/sandbox/state");
  answer(200, { value: applications.filter((a) => a.displayName === name).map((a) => ({ id: a.objectId })) });
}

const keyOf = (client) => Object.keys(CLIENTS).find((k) => CLIENTS[k] === client);

async function readJson(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function sandboxCall(base, method, path, body) {
  const response = await fetch(new URL(path, base), {
    method, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: sandbox answered ${response.status} ${await response.text()}`);
  return response.json();
}

