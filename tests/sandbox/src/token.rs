//! Test tokens: unsigned JWTs (`alg: none`) with the claims the registrar reads — aud, tid, upn, scp, exp. Never
//! valid anywhere but this sandbox.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
pub const ADMIN_SCOPES: &str =
    "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.Read.All User.Read";

pub fn issue(tenant_id: &str, upn: &str, audience: &str, scopes: &str, expires_at_s: u64) -> String {
    let header = json!({ "typ": "JWT", "alg": "none" });
    let claims = json!({ "aud": audience, "tid": tenant_id, "upn": upn, "scp": scopes, "exp": expires_at_s });
    format!("{}.{}.", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// The claims of a sandbox token, if it is one.
pub fn claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}
