//! What a Graph access token says about itself: audience, tenant, user, client app, scopes, expiry — and which
//! scopes each job lacks, from the one per-call table in `microsoft::scopes`.
//!
//! No signature check, on purpose: the token is only ever presented back to Microsoft Graph, which verifies it;
//! these claims only decide whether a token is worth using (right audience, unexpired, enough scopes) and which
//! tenant to show the admin for confirmation. A forged token gains nothing here — Graph would refuse it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Code, Error, Result};

/// Microsoft Graph's audience as v1 and v2 tokens spell it.
const GRAPH_AUDIENCES: [&str; 3] =
    ["https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000"];

use crate::microsoft::scopes::{self, Call};

/// Scopes a job's token lacks (least privileged first; empty: it can do everything the job needs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    pub missing_scopes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Jobs {
    pub preflight: Coverage,
    pub verify: Coverage,
    pub register: Coverage,
    pub apply: Coverage,
    pub rollback: Coverage,
}

impl Jobs {
    pub fn for_scopes(scp: &[String]) -> Jobs {
        let of = |calls: &[Call]| Coverage { missing_scopes: scopes::missing_for(calls, scp) };
        Jobs {
            preflight: of(scopes::PREFLIGHT),
            verify: of(scopes::VERIFY),
            register: of(scopes::REGISTER),
            apply: of(scopes::APPLY),
            rollback: of(scopes::ROLLBACK),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    pub aud: String,
    pub tid: Option<String>,
    /// The signed-in user's object id.
    pub oid: Option<String>,
    pub upn: Option<String>,
    /// The client app the token was issued to: `appid` (v1 tokens) or `azp` (v2 tokens).
    pub appid: Option<String>,
    pub scp: Vec<String>,
    /// Seconds since the epoch.
    pub exp: Option<u64>,
    pub audience_is_graph: bool,
    pub expired: bool,
    /// Scopes the token lacks for `register` (empty: it can do everything a run needs).
    pub missing_scopes: Vec<String>,
    /// Scopes the token lacks, per job.
    pub jobs: Jobs,
}

pub fn decode(jwt: &str, now_ms: u64) -> Result<Claims> {
    let bad = |why: &str| Error::new(Code::InvalidInput, "jwt", format!("not a JWT access token: {why}"));
    let mut parts = jwt.trim().split('.');
    let (_, payload) = (parts.next(), parts.next().ok_or_else(|| bad("it has no payload part"))?);
    let bytes =
        URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|_| bad("the payload is not base64url"))?;
    // Read as text: the Wasm then carries one JSON reader (text), not a second one for bytes.
    let json = String::from_utf8(bytes).map_err(|_| bad("the payload is not JSON"))?;
    let claims: Value = serde_json::from_str(&json).map_err(|_| bad("the payload is not JSON"))?;
    let text = |k: &str| claims[k].as_str().map(str::to_string);
    let aud = text("aud").unwrap_or_default();
    let scp: Vec<String> = text("scp").unwrap_or_default().split_whitespace().map(str::to_string).collect();
    let exp = claims["exp"].as_u64();
    let jobs = Jobs::for_scopes(&scp);
    Ok(Claims {
        audience_is_graph: GRAPH_AUDIENCES.contains(&aud.as_str()),
        expired: exp.is_none_or(|e| e.saturating_mul(1000) <= now_ms),
        missing_scopes: jobs.register.missing_scopes.clone(),
        jobs,
        appid: text("appid").or_else(|| text("azp")),
        tid: text("tid"),
        oid: text("oid"),
        upn: text("upn").or_else(|| text("unique_name")).or_else(|| text("preferred_username")),
        aud,
        scp,
        exp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(claims))
    }

    #[test]
    fn a_graph_token_is_recognised() {
        let t = jwt(
            r#"{"aud":"https://graph.microsoft.com","tid":"t1","upn":"a@b","scp":"Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All","exp":2000000000}"#,
        );
        let c = decode(&t, 1_000_000_000_000).unwrap();
        assert!(c.audience_is_graph && !c.expired && c.missing_scopes.is_empty());
        assert_eq!((c.tid.as_deref(), c.upn.as_deref()), (Some("t1"), Some("a@b")));
    }

    #[test]
    fn other_audiences_expiry_and_missing_scopes_are_told() {
        let t = jwt(r#"{"aud":"https://management.core.windows.net/","tid":"t1","scp":"User.Read","exp":1}"#);
        let c = decode(&t, 1_000_000_000_000).unwrap();
        assert!(!c.audience_is_graph && c.expired);
        assert_eq!(c.missing_scopes.len(), 3);
        assert_eq!(c.jobs.register.missing_scopes, c.missing_scopes);
        // User.Read reads the tenant and the user; their roles' names and PIM eligibility take one more scope.
        assert_eq!(c.jobs.preflight.missing_scopes, vec!["RoleManagement.Read.Directory"]);
        assert_eq!(c.appid, None);
    }

    #[test]
    fn directory_read_write_does_not_cover_application_upsert() {
        let t = jwt(
            r#"{"aud":"00000003-0000-0000-c000-000000000000","appid":"c44b4083-3bb0-49c1-b47d-974e53cbdf3c","scp":"Directory.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All User.Read","exp":2000000000}"#,
        );
        let c = decode(&t, 0).unwrap();
        assert_eq!(c.missing_scopes, vec!["Application.ReadWrite.All"]);
        assert_eq!(c.appid.as_deref(), Some("c44b4083-3bb0-49c1-b47d-974e53cbdf3c"));
        // application-get lists Application.ReadWrite.All and Directory.Read.All above Application.Read.All, not
        // Directory.ReadWrite.All.
        assert_eq!(c.jobs.verify.missing_scopes, vec!["Application.Read.All"]);
    }

    #[test]
    fn v2_tokens_name_the_client_in_azp() {
        let t = jwt(r#"{"aud":"https://graph.microsoft.com","azp":"app-2","scp":"User.Read","exp":2000000000}"#);
        let c = decode(&t, 0).unwrap();
        assert_eq!(c.appid.as_deref(), Some("app-2"));
        // oauth2permissiongrant-list: Directory.Read.All, which application-get lists too.
        assert_eq!(c.jobs.verify.missing_scopes, vec!["Directory.Read.All"]);
    }

    #[test]
    fn garbage_is_an_error_naming_the_input() {
        for bad in ["", "abc", "a.!!!.c", &format!("a.{}.c", URL_SAFE_NO_PAD.encode("not json"))] {
            let e = decode(bad, 0).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("jwt"), "{bad}");
        }
    }
}
