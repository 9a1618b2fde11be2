//! Sandbox tokens: JWTs (RFC 7519) with the claims the registrar reads — aud, iss, tid, oid, upn, appid, scp, iat,
//! exp — signed HS256 (RFC 7518 §3.2) with a key the server makes when it starts, so that over HTTP it accepts
//! only tokens it issued itself, as Graph accepts only tokens Microsoft's identity platform signed. Never valid
//! anywhere but the sandbox that signed them, and not there once it restarts.
//!
//! In-process callers (the native tests) hand the tenant a request directly and model a token by setting
//! `Tenant::token_scopes`; nothing here is checked on that path.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
pub const ADMIN_SCOPES: &str =
    "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.Read.All User.Read";

/// The Azure portal's client id, the `appid` of tokens the portal's own Graph calls carry.
pub const PORTAL_APP_ID: &str = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";

/// What a token says: whom it was issued to, for what, until when.
pub struct Grant<'a> {
    pub tenant_id: &'a str,
    /// The signed-in user's object id.
    pub user_id: &'a str,
    pub upn: &'a str,
    pub audience: &'a str,
    /// Delegated scopes, space-separated.
    pub scopes: &'a str,
    /// The client app the token was issued to.
    pub appid: &'a str,
    /// Seconds since the epoch.
    pub issued_at_s: u64,
    pub expires_at_s: u64,
}

impl Grant<'_> {
    /// The claims as Entra access tokens (v1, Graph's kind) carry them: `oid` is the signed-in user's object id,
    /// `iss` names the tenant's token service, `iat`/`exp` are seconds since the epoch
    /// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
    fn claims(&self) -> Value {
        json!({
            "aud": self.audience,
            "iss": format!("https://sts.windows.net/{}/", self.tenant_id),
            "tid": self.tenant_id,
            "oid": self.user_id,
            "upn": self.upn,
            "appid": self.appid,
            "scp": self.scopes,
            "iat": self.issued_at_s,
            "exp": self.expires_at_s,
        })
    }
}

/// Why a bearer token was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not three base64url parts with a JSON header and payload.
    Malformed,
    /// Not signed HS256 with this sandbox's key: unsigned (`alg: none`), another algorithm, another key, or claims
    /// changed after signing.
    Signature,
}

/// The key a sandbox signs and checks its tokens with, held as HMAC-SHA-256 keyed with it.
#[derive(Clone)]
pub struct Signer {
    keyed: Hmac<Sha256>,
}

impl Signer {
    /// A key of 32 bytes from the operating system's random source (RFC 7518 §3.2 asks for at least the hash's
    /// size): no two sandboxes, and no two runs of one, share it.
    pub fn from_os() -> Result<Signer, String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("no random bytes for the token key: {e}"))?;
        Signer::with_key(&key)
    }

    /// A signer with a key of the caller's choosing (tests).
    pub fn with_key(key: &[u8]) -> Result<Signer, String> {
        let keyed = Hmac::<Sha256>::new_from_slice(key).map_err(|e| format!("token key: {e}"))?;
        Ok(Signer { keyed })
    }

    fn mac(&self, signing_input: &str) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(signing_input.as_bytes());
        mac
    }

    /// A signed token carrying `grant`.
    pub fn issue(&self, grant: &Grant) -> String {
        let header = json!({ "typ": "JWT", "alg": "HS256" });
        let (header, claims) = (header.to_string(), grant.claims().to_string());
        let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(claims));
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&input).finalize().into_bytes());
        format!("{input}.{signature}")
    }

    /// The claims of a token this signer issued. The algorithm is HS256 whatever the header says: a header that
    /// names another, `none` included, is refused rather than obeyed (RFC 8725 §2.1, §3.1).
    pub fn verify(&self, token: &str) -> Result<Value, Refusal> {
        let (input, signature) = token.rsplit_once('.').ok_or(Refusal::Malformed)?;
        let (header, payload) = input.split_once('.').ok_or(Refusal::Malformed)?;
        let header = decode_json(header).ok_or(Refusal::Malformed)?;
        let claims = decode_json(payload).ok_or(Refusal::Malformed)?;
        if header["alg"] != "HS256" {
            return Err(Refusal::Signature);
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Refusal::Signature)?;
        self.mac(input).verify_slice(&signature).map_err(|_| Refusal::Signature)?;
        Ok(claims)
    }
}

fn decode_json(part: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

/// The claims of a sandbox token, unchecked (the server checks with `Signer::verify` before it reads them).
pub fn claims(token: &str) -> Option<Value> {
    decode_json(token.split('.').nth(1)?)
}

/// The delegated scopes (`scp`) of the bearer token in an Authorization header; none if it is not a token.
pub fn scopes_of(authorization: Option<&str>) -> Vec<String> {
    let c = authorization.and_then(|a| a.strip_prefix("Bearer ")).and_then(claims);
    c.and_then(|c| c["scp"].as_str().map(|s| s.split_whitespace().map(str::to_string).collect())).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // A test fails by panicking.
mod tests {
    use super::*;

    fn grant() -> Grant<'static> {
        Grant {
            tenant_id: "t",
            user_id: "u1",
            upn: "a@b",
            audience: GRAPH_AUDIENCE,
            scopes: "User.Read",
            appid: PORTAL_APP_ID,
            issued_at_s: 1,
            expires_at_s: 9,
        }
    }

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let (ours, theirs) = (Signer::with_key(&[1; 32]).unwrap(), Signer::with_key(&[2; 32]).unwrap());
        let token = ours.issue(&grant());
        let claims = ours.verify(&token).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((claims["oid"].as_str(), claims["tid"].as_str()), (Some("u1"), Some("t")));
        assert_eq!(theirs.verify(&token), Err(Refusal::Signature));
        let unsigned = token.rsplit_once('.').map(|(input, _)| format!("{input}.")).unwrap_or_default();
        assert_eq!(ours.verify(&unsigned), Err(Refusal::Signature));
        assert_eq!(ours.verify(&format!("{token}.x")), Err(Refusal::Malformed), "four parts");
        assert_eq!(ours.verify("not a token"), Err(Refusal::Malformed));
    }
}
