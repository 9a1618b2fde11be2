//! Test tokens: unsigned JWTs (`alg: none`) with the claims the registrar reads — aud, tid, upn, appid, scp, exp.
//! Never valid anywhere but this sandbox.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
pub const ADMIN_SCOPES: &str =
    "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.Read.All User.Read";

/// The Azure portal's client id, the `appid` of tokens the portal's own Graph calls carry.
pub const PORTAL_APP_ID: &str = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";

pub fn issue(tenant_id: &str, upn: &str, audience: &str, scopes: &str, expires_at_s: u64) -> String {
    issue_for(tenant_id, upn, audience, scopes, expires_at_s, PORTAL_APP_ID)
}

/// A token issued to the client app `appid`.
pub fn issue_for(tenant_id: &str, upn: &str, audience: &str, scopes: &str, expires_at_s: u64, appid: &str) -> String {
    let header = json!({ "typ": "JWT", "alg": "none" });
    let claims =
        json!({ "aud": audience, "tid": tenant_id, "upn": upn, "appid": appid, "scp": scopes, "exp": expires_at_s });
    format!("{}.{}.", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// The claims of a sandbox token, if it is one.
pub fn claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The delegated scopes (`scp`) of the bearer token in an Authorization header; none if it is not a token.
pub fn scopes_of(authorization: Option<&str>) -> Vec<String> {
    let c = authorization.and_then(|a| a.strip_prefix("Bearer ")).and_then(claims);
    c.and_then(|c| c["scp"].as_str().map(|s| s.split_whitespace().map(str::to_string).collect())).unwrap_or_default()
}
