#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! What the sandbox server trusts, against the real binary over loopback: only tokens it signed, only its own
//! page's origin (and origins allowed by flag) for CORS, and a tenant id of its own unless a seed is given.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use support::Sandbox;

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}\r\n")
}

fn part(token: &str, n: usize) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').nth(n).unwrap()).unwrap()).unwrap()
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// The Graph error a refused call carries: (status, code, message).
fn graph_error(sb: &Sandbox, path: &str, token: &str) -> (u16, String, String) {
    let (status, body) = sb.get_json(path, &bearer(token));
    let text = |k: &str| body["error"][k].as_str().unwrap_or_default().to_string();
    (status, text("code"), text("message"))
}

#[test]
fn a_token_it_signed_works_and_names_the_signed_in_user() {
    let sb = Sandbox::start(&[], None);
    let token = sb.token("");
    assert_eq!(part(&token, 0), json!({ "typ": "JWT", "alg": "HS256" }));
    let (status, me) = sb.get_json("/v1.0/me", &bearer(&token));
    assert_eq!(status, 200, "{me}");
    let claims = part(&token, 1);
    assert_eq!(claims["oid"], me["id"], "oid is the signed-in user's object id");
    assert_eq!(claims["tid"], json!(sb.tenant_id));
    let (status, _) = sb.get_json("/beta/organization", &bearer(&token));
    assert_eq!(status, 200);
}

#[test]
fn a_token_another_sandbox_signed_is_refused_even_for_the_same_tenant() {
    let (ours, theirs) = (Sandbox::start(&["--seed", "7"], None), Sandbox::start(&["--seed", "7"], None));
    assert_eq!(ours.tenant_id, theirs.tenant_id, "one seed, one tenant");
    let foreign = theirs.token("");
    let (status, code, message) = graph_error(&ours, "/v1.0/me", &foreign);
    assert_eq!((status, code.as_str()), (401, "InvalidAuthenticationToken"));
    assert!(message.contains("Signature"), "{message}");
    assert_eq!(theirs.get_json("/v1.0/me", &bearer(&foreign)).0, 200, "where it was signed it works");
}

#[test]
fn a_signed_token_with_changed_claims_is_refused() {
    let sb = Sandbox::start(&[], None);
    let token = sb.token("scp=User.Read");
    let mut claims = part(&token, 1);
    claims["scp"] = json!("Application.ReadWrite.All AppRoleAssignment.ReadWrite.All User.Read");
    let mut parts: Vec<&str> = token.split('.').collect();
    let widened = b64(&claims);
    parts[1] = &widened;
    let (status, _, message) = graph_error(&sb, "/v1.0/me", &parts.join("."));
    assert_eq!(status, 401);
    assert!(message.contains("Signature"), "{message}");
}

#[test]
fn an_unsigned_token_is_refused() {
    let sb = Sandbox::start(&[], None);
    let claims = part(&sb.token(""), 1);
    let unsigned = format!("{}.{}.", b64(&json!({ "typ": "JWT", "alg": "none" })), b64(&claims));
    let (status, code, message) = graph_error(&sb, "/v1.0/me", &unsigned);
    assert_eq!((status, code.as_str()), (401, "InvalidAuthenticationToken"));
    assert!(message.contains("Signature"), "{message}");
    // The header may not choose the algorithm either: HS256 named but no signature, or the signature of another.
    let header = b64(&json!({ "typ": "JWT", "alg": "HS256" }));
    assert_eq!(graph_error(&sb, "/v1.0/me", &format!("{header}.{}.", b64(&claims))).0, 401);
    for garbage in ["", "x", "a.b.c", "..", "eyJ.eyJ.eyJ"] {
        let (status, code, _) = graph_error(&sb, "/v1.0/me", garbage);
        assert_eq!((status, code.as_str()), (401, "InvalidAuthenticationToken"), "{garbage:?}");
    }
    assert_eq!(sb.get("/v1.0/me", "").0, 401, "no token at all");
}

#[test]
fn a_signed_token_for_another_audience_is_refused_as_graph_words_it() {
    let sb = Sandbox::start(&[], None);
    let token = sb.token("aud=https%3A%2F%2Fmanagement.core.windows.net%2F");
    assert_eq!(part(&token, 1)["aud"], "https://management.core.windows.net/", "query values are percent-decoded");
    let (status, code, message) = graph_error(&sb, "/v1.0/me", &token);
    assert_eq!((status, code.as_str()), (401, "InvalidAuthenticationToken"));
    assert_eq!(message, "Access token validation failure. Invalid audience.");
}

#[test]
fn cors_answers_only_its_own_page_and_origins_allowed_by_flag() {
    let sb = Sandbox::start(&["--allow-origin", "http://127.0.0.1:9"], None);
    let preflight = |path: &str, origin: &str| {
        sb.request(
            &format!(
                "OPTIONS {path} HTTP/1.1\r\nHost: 127.0.0.1:{{port}}\r\nOrigin: {origin}\r\n\
                 Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\
                 Connection: close\r\n\r\n"
            ),
            b"",
        )
    };
    for origin in ["https://evil.test", "null", "http://127.0.0.1:1", "http://localhost:9"] {
        let (_, head) = preflight("/v1.0/$batch", origin);
        assert!(!head.contains("access-control-allow-origin"), "{origin}: {head}");
        let (status, head) = sb.get("/v1.0/me", &format!("Origin: {origin}\r\n"));
        assert_eq!(status, 401);
        assert!(!head.contains("access-control-allow-origin"), "{origin}: {head}");
    }
    let own = format!("http://127.0.0.1:{}", sb.port);
    for origin in [own.as_str(), "http://127.0.0.1:9"] {
        let (status, head) = preflight("/v1.0/$batch", origin);
        assert_eq!(status, 204);
        assert!(head.contains(&format!("access-control-allow-origin: {origin}\r\n")), "{origin}: {head}");
        assert!(head.contains("access-control-allow-headers: authorization"), "{head}");
        assert!(head.contains("vary: origin"), "caches keep answers per origin: {head}");
    }
    let (_, head) = sb.get("/v1.0/me", "Origin: http://127.0.0.1:9\r\n");
    assert!(head.contains("access-control-expose-headers: retry-after"), "{head}");
}

#[test]
fn each_start_without_a_seed_makes_its_own_tenant() {
    let (a, b) = (Sandbox::start(&[], None), Sandbox::start(&[], None));
    assert_ne!(a.tenant_id, b.tenant_id);
    let (_, state) = a.get_json("/sandbox/state", "");
    assert_eq!(state["tenantId"], json!(a.tenant_id), "the control endpoint tells it");
    let reset =
        "POST /sandbox/reset HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n";
    let (_, _, emptied) = a.exchange(reset, b"{}");
    let emptied: Value = serde_json::from_str(&emptied).unwrap();
    assert_eq!(emptied["tenantId"], json!(a.tenant_id), "a reset empties the tenant, keeping its id");
    let (c, d) = (Sandbox::start(&["--seed", "42"], None), Sandbox::start(&["--seed", "42"], None));
    assert_eq!(c.tenant_id, d.tenant_id, "a seed gives a known tenant");
    assert_ne!(c.tenant_id, a.tenant_id);
}
