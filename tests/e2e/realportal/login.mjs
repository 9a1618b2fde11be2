// Microsoft's sign-in host for the extension's sign-in fallback: the OAuth 2.0 authorization code flow with PKCE
// of the Microsoft identity platform (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow):
// GET /{tenant}/oauth2/v2.0/authorize answers with a redirect to redirect_uri carrying code and state (the admin
// is taken to be signed in already, so prompt=none succeeds); POST /{tenant}/oauth2/v2.0/token exchanges the code
// once, checking redirect_uri, client_id and the S256 code_verifier, for a Graph token with the scopes asked for.
import { createHash, randomBytes } from "node:crypto";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GRAPH = "https://graph.microsoft.com/";

/** A request handler for login.microsoftonline.com; `mint({ appId, scopes })` makes the access token. */
export function loginHost({ mint, log }) {
  const codes = new Map();
  const answer = (res, status, body, headers = {}) =>
    res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*", "cache-control": "no-store", ...headers })
      .end(body === null ? "" : JSON.stringify(body));
  const refuse = (res, error, description) => answer(res, 400, { error, error_description: description });

  return async function handle(req, res) {
    const url = new URL(req.url, "https://login.microsoftonline.com");
    let form = {};
    if (req.method === "POST") {
      let text = "";
      for await (const chunk of req) text += chunk;
      form = Object.fromEntries(new URLSearchParams(text));
    } else {
      req.resume();
    }
    const query = Object.fromEntries(url.searchParams);
    log.push({ at: Date.now(), method: req.method, path: url.pathname, query, form: { ...form, code: form.code && "…", code_verifier: form.code_verifier && "…" } });
    if (req.method === "OPTIONS") return answer(res, 204, null, { "access-control-allow-headers": "Content-Type", "access-control-allow-methods": "POST" });

    if (req.method === "GET" && url.pathname.endsWith("/oauth2/v2.0/authorize")) {
      if (!GUID.test(query.client_id ?? "")) return refuse(res, "unauthorized_client", "AADSTS700016: client_id is not an application in this directory.");
      if (query.response_type !== "code" || query.code_challenge_method !== "S256" || !query.code_challenge || !query.redirect_uri) {
        return refuse(res, "invalid_request", "response_type=code with an S256 code_challenge and a redirect_uri are required.");
      }
      const code = randomBytes(24).toString("base64url");
      const scopes = (query.scope ?? "").split(" ").filter((s) => s.startsWith(GRAPH)).map((s) => s.slice(GRAPH.length));
      codes.set(code, {
        clientId: query.client_id, redirectUri: query.redirect_uri, challenge: query.code_challenge, scopes,
      });
      const back = new URL(query.redirect_uri);
      back.searchParams.set("code", code);
      if (query.state) back.searchParams.set("state", query.state);
      return void res.writeHead(302, { location: back.href, "cache-control": "no-store" }).end();
    }

    if (req.method === "POST" && url.pathname.endsWith("/oauth2/v2.0/token")) {
      const grant = codes.get(form.code ?? "");
      codes.delete(form.code ?? "");
      if (form.grant_type !== "authorization_code" || !grant) return refuse(res, "invalid_grant", "AADSTS70008: the code is unknown or was already used.");
      if (form.client_id !== grant.clientId || form.redirect_uri !== grant.redirectUri) return refuse(res, "invalid_grant", "client_id or redirect_uri differ from the authorization request.");
      const challenge = createHash("sha256").update(form.code_verifier ?? "").digest("base64url");
      if (challenge !== grant.challenge) return refuse(res, "invalid_grant", "AADSTS501481: the code_verifier does not match the code_challenge.");
      const { token, expiresIn } = await mint({ appId: grant.clientId, scopes: grant.scopes.join(" ") });
      return answer(res, 200, { token_type: "Bearer", access_token: token, expires_in: expiresIn, scope: grant.scopes.map((s) => GRAPH + s).join(" ") });
    }
    return refuse(res, "invalid_request", `${req.method} ${url.pathname} is not served here.`);
  };
}
