#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Every validation failure: its code, the offending field, and a message that says what is allowed.

mod common;

use common::plan_json;
use lucs_registrar::Code;
use serde_json::{json, Value};

fn err(request: Value) -> (Code, String, String) {
    let e = plan_json(request).expect_err("must be rejected");
    (e.code, e.field.unwrap_or_default(), e.message)
}

fn cr(extra: Value) -> Value {
    let mut c = json!({"code": "CR"});
    c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    json!({ "components": [{"code": "AC"}, c] })
}

#[test]
fn unknown_component() {
    let (code, field, msg) = err(json!({"components": [{"code": "XY"}]}));
    assert_eq!((code, field.as_str()), (Code::UnknownComponent, "components[0].code"));
    assert!(msg.contains("AC, CI, CIC, CR, FE, GalReader, TeamsAA, WebConfigurator"), "{msg}");
}

#[test]
fn duplicate_component() {
    let (code, field, _) = err(json!({"components": [{"code": "FE"}, {"code": "fe"}]}));
    assert_eq!((code, field.as_str()), (Code::DuplicateComponent, "components[1].code"));
}

#[test]
fn no_components() {
    let (code, field, _) = err(json!({"components": []}));
    assert_eq!((code, field.as_str()), (Code::NoComponents, "components"));
    let (code, field, _) = err(json!({}));
    assert_eq!((code, field.as_str()), (Code::InvalidInput, "components"));
}

#[test]
fn blank_instance_label() {
    for blank in ["", "  "] {
        let (code, field, msg) = err(cr(json!({"instances": ["1", blank]})));
        assert_eq!((code, field.as_str()), (Code::InvalidInstanceLabel, "components[1].instances[1]"));
        assert!(msg.contains("blank"), "{msg}");
    }
}

#[test]
fn invalid_instance_label() {
    for bad in ["a b", "-x", "x-", "ü", "a/b", "a'b", &"x".repeat(33)] {
        let (code, field, msg) = err(cr(json!({"instances": [bad]})));
        assert_eq!((code, field.as_str()), (Code::InvalidInstanceLabel, "components[1].instances[0]"), "{bad}");
        assert!(msg.contains("letters, digits"), "{msg}");
    }
}

#[test]
fn duplicate_instance_label_ignoring_case() {
    let (code, field, _) = err(cr(json!({"instances": ["east", "West", "EAST"]})));
    assert_eq!((code, field.as_str()), (Code::DuplicateInstance, "components[1].instances[2]"));
}

#[test]
fn too_many_instances() {
    let labels: Vec<String> = (1..=21).map(|i| i.to_string()).collect();
    let (code, field, msg) = err(cr(json!({"instances": labels})));
    assert_eq!((code, field.as_str()), (Code::TooManyInstances, "components[1].instances"));
    assert!(msg.contains("at most 20"), "{msg}");
    let twenty: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    assert_eq!(plan_json(cr(json!({"instances": twenty}))).unwrap().applications.len(), 21);
}

#[test]
fn empty_instance_list() {
    let (code, field, _) = err(cr(json!({"instances": []})));
    assert_eq!((code, field.as_str()), (Code::InvalidInstanceLabel, "components[1].instances"));
}

#[test]
fn instances_on_a_single_instance_component() {
    let (code, field, _) = err(json!({"components": [{"code": "FE", "instances": ["1", "2"]}]}));
    assert_eq!((code, field.as_str()), (Code::SingleInstanceComponent, "components[0].instances"));
}

#[test]
fn invalid_prefix() {
    for bad in ["", " LUCS", "LUCS ", "=cmd", "LU'CS", "LU\"CS", "LUCS\n", "Lücs"] {
        let (code, field, _) = err(json!({"components": [{"code": "AC"}], "prefix": bad}));
        assert_eq!((code, field.as_str()), (Code::InvalidPrefix, "prefix"), "{bad:?}");
    }
}

#[test]
fn name_too_long() {
    let (code, field, msg) = err(json!({"components": [{"code": "AC"}], "prefix": "P".repeat(41)}));
    assert_eq!((code, field.as_str()), (Code::NameTooLong, "prefix"));
    assert!(msg.contains("40"), "{msg}");
    // Prefix and label each within their limits, but together the uniqueName key would pass 64 characters.
    let prefix = "Contoso Contact Center Production Tier 1";
    let label = "l".repeat(32);
    let (code, field, msg) =
        err(json!({"components": [{"code": "FE"}, {"code": "CR", "instances": [label]}], "prefix": prefix}));
    assert_eq!((code, field.as_str()), (Code::NameTooLong, "prefix"));
    assert!(msg.contains("64"), "{msg}");
    // A custom catalog's long component name: the display name would pass Entra's 120 characters.
    let mut cat = serde_json::to_value(lucs_registrar::catalog::builtin()).unwrap();
    cat["components"][0]["name"] = json!("N".repeat(80));
    let cat = lucs_registrar::catalog::load(cat).unwrap();
    let req = lucs_registrar::plan::PlanRequest::from_json(json!({"components": [{"code": "AC"}], "prefix": prefix}))
        .unwrap();
    let e = lucs_registrar::plan::plan(&req, &cat).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::NameTooLong, Some("prefix")));
    assert!(e.message.contains("120"), "{}", e.message);
}

#[test]
fn redirect_uri_must_be_https_except_loopback() {
    let ok = [
        "https://a.contoso.com/x",
        "http://localhost",
        "http://localhost:5000/cb",
        "http://127.0.0.1:8400/",
        "HTTPS://A.COM/",
    ];
    for uri in ok {
        assert!(plan_json(cr(json!({"redirectUris": {"web": [uri]}}))).is_ok(), "{uri}");
    }
    let bad = [
        "http://contoso.com/cb",
        "ftp://x",
        "contoso.com",
        "http://localhost.evil.com/",
        "http://user@localhost/",
        "https://",
        "http://[::1]/",
    ];
    for uri in bad {
        let (code, field, msg) = err(cr(json!({"redirectUris": {"spa": [uri]}})));
        assert_eq!((code, field.as_str()), (Code::InvalidRedirectUri, "components[1].redirectUris.spa[0]"), "{uri}");
        assert!(msg.contains("redirectUris.spa[0]"), "{msg}");
    }
}

#[test]
fn redirect_uri_length_limit() {
    let base = "https://contoso.com/";
    let exact = format!("{base}{}", "a".repeat(256 - base.len()));
    assert!(plan_json(cr(json!({"redirectUris": {"web": [exact]}}))).is_ok());
    let long = format!("{exact}a");
    let (code, field, msg) = err(cr(json!({"redirectUris": {"web": [long]}})));
    assert_eq!((code, field.as_str()), (Code::InvalidRedirectUri, "components[1].redirectUris.web[0]"));
    assert!(msg.contains("256"), "{msg}");
}

#[test]
fn redirect_uri_forbidden_characters_and_fragment() {
    for c in ['!', '$', '\'', '(', ')', ',', ';'] {
        let uri = format!("https://contoso.com/a{c}b");
        let (code, _, msg) = err(cr(json!({"redirectUris": {"publicClient": [uri]}})));
        assert_eq!(code, Code::InvalidRedirectUri);
        assert!(msg.contains(&format!("'{c}'")), "{msg}");
    }
    let (code, _, msg) = err(cr(json!({"redirectUris": {"web": ["https://contoso.com/cb#frag"]}})));
    assert_eq!(code, Code::InvalidRedirectUri);
    assert!(msg.contains("fragment"), "{msg}");
    let (code, _, _) = err(cr(json!({"redirectUris": {"web": ["https://contoso.com/a b"]}})));
    assert_eq!(code, Code::InvalidRedirectUri);
}

#[test]
fn duplicate_redirect_uri_and_unknown_instance() {
    let (code, field, _) = err(cr(json!({"redirectUris": {"web": ["https://a.com/", "https://a.com/"]}})));
    assert_eq!((code, field.as_str()), (Code::InvalidRedirectUri, "components[1].redirectUris.web[1]"));
    let (code, field, _) =
        err(cr(json!({"instances": ["1"], "instanceRedirectUris": {"9": {"web": ["https://a.com/"]}}})));
    assert_eq!((code, field.as_str()), (Code::InvalidInput, "components[1].instanceRedirectUris.9"));
    let (code, field, _) =
        err(cr(json!({"instances": ["1"], "instanceRedirectUris": {"1": {"web": ["http://a.com/"]}}})));
    assert_eq!((code, field.as_str()), (Code::InvalidRedirectUri, "components[1].instanceRedirectUris.1.web[0]"));
}

#[test]
fn secret_lifetime_out_of_range() {
    for months in [0, 25, 120] {
        let (code, field, msg) =
            err(json!({"components": [{"code": "FE"}], "options": {"secretLifetimeMonths": months}}));
        assert_eq!((code, field.as_str()), (Code::SecretLifetimeOutOfRange, "options.secretLifetimeMonths"));
        assert!(msg.contains("between 1 and 24"), "{msg}");
    }
    let (code, field, _) = err(json!({"components": [{"code": "FE"}], "options": {"secretLifetimeMonths": -1}}));
    assert_eq!((code, field.as_str()), (Code::InvalidInput, "options.secretLifetimeMonths"));
}

#[test]
fn unknown_optional_permission() {
    let (code, field, msg) =
        err(json!({"components": [{"code": "CI", "optionalPermissions": ["Calendars.Read.Shared", "Mail.Send"]}]}));
    assert_eq!((code, field.as_str()), (Code::UnknownPermission, "components[0].optionalPermissions[1]"));
    assert!(msg.contains("Calendars.Read.Shared"), "{msg}");
}

#[test]
fn unknown_and_mistyped_request_fields() {
    let (code, field, msg) = err(json!({"components": [{"code": "CR", "instance": ["1"]}]}));
    assert_eq!((code, field.as_str()), (Code::UnknownField, "components[0].instance"));
    assert!(msg.contains("instances"), "allowed fields are listed: {msg}");
    let (code, field, _) = err(json!({"components": [{"code": "AC"}], "options": {"grantConsent": true}}));
    assert_eq!((code, field.as_str()), (Code::UnknownField, "options.grantConsent"));
    let (code, field, _) = err(json!({"components": [{"code": 7}]}));
    assert_eq!((code, field.as_str()), (Code::InvalidInput, "components[0].code"));
    let (code, field, _) = err(json!({"components": "AC"}));
    assert_eq!((code, field.as_str()), (Code::InvalidInput, "components"));
    let (code, _, _) = err(json!("AC"));
    assert_eq!(code, Code::InvalidInput);
}

fn plan_err(mutate: impl FnOnce(&mut Value)) -> lucs_registrar::Error {
    let mut doc = serde_json::to_value(common::full_plan()).unwrap();
    mutate(&mut doc);
    lucs_registrar::plan::Plan::from_json(doc).expect_err("must be rejected")
}

/// A plan read back (exportPlan, register, verify) is held to the rules plan() applies when it makes one.
#[test]
fn a_hand_edited_plan_is_checked_like_a_new_one() {
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit, Code); 12] = [
        ("applications[5].key", |d| d["applications"][5]["key"] = json!("lucs cr 2"), Code::InvalidInput),
        ("applications[5].instance", |d| d["applications"][5]["instance"] = json!("2;rm"), Code::InvalidInstanceLabel),
        ("applications[0].displayName", |d| d["applications"][0]["displayName"] = json!("a\nb"), Code::InvalidText),
        (
            "applications[0].componentName",
            |d| d["applications"][0]["componentName"] = json!("a\u{2028}b"),
            Code::InvalidText,
        ),
        (
            "applications[0].application.notes",
            |d| d["applications"][0]["application"]["notes"] = json!("n\r"),
            Code::InvalidText,
        ),
        (
            "applications[0].application.tags[1]",
            |d| d["applications"][0]["application"]["tags"][1] = json!("a b"),
            Code::InvalidInput,
        ),
        (
            "applications[0].application.signInAudience",
            |d| d["applications"][0]["application"]["signInAudience"] = json!("AzureADMultipleOrgs"),
            Code::InvalidInput,
        ),
        (
            "applications[0].application.requiredResourceAccess[0].resourceAccess[0].id",
            |d| {
                d["applications"][0]["application"]["requiredResourceAccess"][0]["resourceAccess"][0]["id"] =
                    json!("x");
            },
            Code::InvalidGuid,
        ),
        (
            "applications[6].appRoleAssignments[0].appRoleId",
            |d| d["applications"][6]["appRoleAssignments"][0]["appRoleId"] = json!("'); drop"),
            Code::InvalidGuid,
        ),
        (
            "applications[0].secretLifetimeMonths",
            |d| d["applications"][0]["secretLifetimeMonths"] = json!(99),
            Code::SecretLifetimeOutOfRange,
        ),
        ("prefix", |d| d["prefix"] = json!("$(id)"), Code::InvalidPrefix),
        ("profile", |d| d["profile"] = json!("p\u{85}"), Code::InvalidText),
    ];
    for (field, mutate, code) in cases {
        let e = plan_err(mutate);
        assert_eq!((e.code, e.field.as_deref()), (code, Some(field)), "{}", e.message);
    }
    let e = plan_err(|d| d["applications"][1]["application"]["web"] = json!({"redirectUris": ["http://evil.test/x"]}));
    assert_eq!(e.field.as_deref(), Some("applications[1].application.web.redirectUris[0]"));
}

/// A run report passed to the CSV export is one-line text too.
#[test]
fn results_hold_one_line_values() {
    let e = lucs_registrar::export::Results::from_json(json!({"tenantId": "t\n=1", "applications": []})).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidText, Some("tenantId")));
    let e = lucs_registrar::export::Results::from_json(json!({"applications": [{"key": "k", "appId": "a\u{2029}"}]}))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("applications[0].appId"));
}
