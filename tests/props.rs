#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Property tests: no request and no catalog, however malformed, makes the core panic; every accepted plan
//! satisfies Graph's rules; every rejection names a field.

mod common;

use lucs_registrar::catalog;
use lucs_registrar::export::{export, Format};
use lucs_registrar::plan::{self, PlanRequest, MAX_DISPLAY_NAME, MAX_KEY};
use proptest::prelude::*;
use serde_json::{json, Value};

const CODES: [&str; 10] = ["AC", "CI", "CIC", "CR", "FE", "GalReader", "TeamsAA", "WebConfigurator", "cr", "XX"];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 ._-]{0,12}",
        "\\PC{0,40}",
        Just(String::new()),
        "[a-z]{1,3}://[a-z0-9.:@]{0,20}/[!$'(),;#a-z]{0,10}",
        "https://[a-z]{1,10}\\.com/[a-z]{0,250}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Requests close to valid ones, so the deep checks (labels, URIs, names) are reached, not only the schema.
fn near_request() -> impl Strategy<Value = Value> {
    let component = (
        prop::sample::select(CODES.to_vec()),
        prop::option::of(prop::collection::vec(text(), 0..23)),
        prop::option::of(prop::collection::vec(text(), 0..3)),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(code, instances, web, secret)| {
            let mut c = json!({ "code": code });
            if let Some(i) = instances {
                c["instances"] = json!(i);
            }
            if let Some(w) = web {
                c["redirectUris"] = json!({ "web": w, "spa": [], "publicClient": [] });
            }
            if let Some(s) = secret {
                c["createSecret"] = json!(s);
            }
            c
        });
    (prop::collection::vec(component, 0..6), prop::option::of(text()), 0u32..30, any::<bool>()).prop_map(|(components, prefix, months, consent)| {
        let mut r = json!({ "components": components, "options": { "secretLifetimeMonths": months, "grantAdminConsent": consent } });
        if let Some(p) = prefix {
            r["prefix"] = json!(p);
        }
        r
    })
}

fn check(request: Value) -> Result<(), TestCaseError> {
    let outcome = PlanRequest::from_json(request).and_then(|r| plan::plan(&r, &catalog::builtin()));
    match outcome {
        Ok(plan) => {
            let mut keys = std::collections::HashSet::new();
            for app in &plan.applications {
                prop_assert!(keys.insert(app.key.clone()), "duplicate key {}", app.key);
                prop_assert!(app.key.len() <= MAX_KEY);
                prop_assert!(
                    app.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                    "{}",
                    app.key
                );
                prop_assert!(app.display_name.chars().count() <= MAX_DISPLAY_NAME);
                prop_assert!(app.application.tags.iter().all(|t| !t.is_empty() && !t.contains(char::is_whitespace)));
                prop_assert!((1..=24).contains(&app.secret_lifetime_months));
            }
            for word in Format::WORDS {
                let format = Format::parse(word).expect("every word names a format");
                let _ = export(&plan, format, None);
            }
        }
        Err(e) => {
            prop_assert!(!e.message.is_empty());
            prop_assert!(e.field.is_some(), "every rejection names a field: {e:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_the_planner(v in json_value()) {
        check(v)?;
    }

    #[test]
    fn near_valid_requests_plan_or_name_the_field(v in near_request()) {
        check(v)?;
    }

    #[test]
    fn arbitrary_json_never_panics_the_catalog_loader(v in json_value()) {
        let _ = catalog::load(v);
    }

    #[test]
    fn mutated_catalogs_load_or_name_the_field(ci in 0usize..8, pi in 0usize..8, field in prop::sample::select(vec!["id", "kind", "value", "resourceAppId", "adminConsentRequired", "optional", "extra"]), value in json_value()) {
        let mut cat = serde_json::to_value(catalog::builtin()).unwrap();
        if let Some(p) = cat["components"][ci]["permissions"].get_mut(pi) {
            p[field] = value;
        }
        if let Err(e) = catalog::load(cat) {
            prop_assert!(e.field.is_some(), "{e:?}");
        }
    }
}

// ---- Hostile text: whatever a field holds, no export runs it, and validation names the field. ----

#[path = "export_safety/mod.rs"]
mod export_safety;

use export_safety::{assert_exports_safe, StubAz};
use lucs_registrar::plan::Plan;

/// Pieces of text that break naive quoting in bash, PowerShell, HCL, CSV or JSON; `MARKER` becomes the path a
/// payload would create if it ran.
const FRAGMENTS: [&str; 34] = [
    "\n",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{202E}",
    "\u{2066}",
    "\t",
    "\0",
    "\u{7F}",
    "'",
    "\"",
    "`",
    "$",
    "\\",
    "$(touch MARKER)",
    "`touch MARKER`",
    "${x}",
    "%{y}",
    "'; touch MARKER; '",
    "\"; touch MARKER; #",
    "\ntouch MARKER\n",
    "\noutput \"pwned\" { value = 1 }\n",
    "\n}\nresource \"x\" \"y\" {}\n",
    "\nNew-Item MARKER\n",
    "#",
    "<#",
    "#>",
    "\u{2018}",
    "\u{2019}",
    "@(",
    "=cmd|' /C calc'!A0",
    "Plain",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS.to_vec()), 1..5).prop_map(|f| f.concat())
}

fn payload(text: &str, stub: &StubAz) -> String {
    text.replace("MARKER", &stub.marker().display().to_string())
}

/// AC (delegated grant), CR with an instance and a redirect URI, CIC (app role and secret).
fn base_plan() -> Plan {
    common::plan_json(json!({"components": [
        {"code": "AC"},
        {"code": "CR", "instances": ["1"], "redirectUris": {"web": ["https://lucs.example.com/auth"]}},
        {"code": "CIC"}
    ]}))
    .expect("base plan")
}

type Setter = fn(&mut Plan, &str);

/// Every text field of a plan that reaches an export, set directly (no validation in between).
const PLAN_TEXT: [(&str, Setter); 13] = [
    ("profile", |p, s| p.profile = s.into()),
    ("key", |p, s| p.applications[0].key = s.into()),
    ("component", |p, s| p.applications[1].component = s.into()),
    ("componentName", |p, s| p.applications[1].component_name = s.into()),
    ("instance", |p, s| p.applications[1].instance = Some(s.into())),
    ("displayName", |p, s| {
        p.applications[2].display_name = s.into();
        p.applications[2].application.display_name = s.into();
    }),
    ("notes", |p, s| p.applications[0].application.notes = s.into()),
    ("tag", |p, s| p.applications[2].application.tags[0] = s.into()),
    ("redirectUri", |p, s| {
        if let Some(web) = p.applications[1].application.web.as_mut() {
            web.redirect_uris[0] = s.into();
        }
    }),
    ("scope", |p, s| p.applications[0].delegated_grants[0].scope = s.into()),
    ("appRoleValue", |p, s| p.applications[2].app_role_assignments[0].value = s.into()),
    ("appRoleId", |p, s| p.applications[2].app_role_assignments[0].app_role_id = s.into()),
    ("permissionValue", |p, s| p.applications[0].permissions[0].value = s.into()),
];

/// (JSON path in a plan, the same path split for editing, a harmless value that passes validation).
const PLAN_JSON_TEXT: [(&str, &[&str], &str); 11] = [
    ("profile", &["profile"], "Plain"),
    ("applications[0].key", &["applications", "0", "key"], "plain"),
    ("applications[1].component", &["applications", "1", "component"], "Plain"),
    ("applications[1].componentName", &["applications", "1", "componentName"], "Plain"),
    ("applications[1].instance", &["applications", "1", "instance"], "Plain"),
    ("applications[2].displayName", &["applications", "2", "displayName"], "Plain"),
    ("applications[0].application.notes", &["applications", "0", "application", "notes"], "Plain"),
    ("applications[2].application.tags[0]", &["applications", "2", "application", "tags", "0"], "Plain"),
    ("applications[0].delegatedGrants[0].scope", &["applications", "0", "delegatedGrants", "0", "scope"], "Plain"),
    (
        "applications[2].appRoleAssignments[0].value",
        &["applications", "2", "appRoleAssignments", "0", "value"],
        "Plain",
    ),
    ("warnings[0].message", &["warnings", "0", "message"], "Plain"),
];

/// (JSON path in the built-in catalog, the same path split, a harmless value).
const CATALOG_TEXT: [(&str, &[&str], &str); 5] = [
    ("profile", &["profile"], "Plain"),
    ("components[3].name", &["components", "3", "name"], "Plain"),
    ("components[3].purpose", &["components", "3", "purpose"], "Plain"),
    ("components[3].errata[0]", &["components", "3", "errata", "0"], "Plain"),
    ("components[3].permissions[0].description", &["components", "3", "permissions", "0", "description"], "Plain"),
];

fn set(doc: &mut Value, path: &[&str], text: &str) {
    let mut v = doc;
    for key in path {
        v = match key.parse::<usize>() {
            Ok(i) => &mut v[i],
            Err(_) => &mut v[*key],
        };
    }
    *v = json!(text);
}

fn has_forbidden(text: &str) -> bool {
    text.chars().any(lucs_registrar::text::is_forbidden)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The export layer on its own: even text no validation has seen cannot leave its literal or comment.
    #[test]
    fn hostile_text_in_any_plan_field_stays_data_in_every_export(field in 0..PLAN_TEXT.len(), text in hostile()) {
        let stub = StubAz::new("plan-field");
        let (name, setter) = PLAN_TEXT[field];
        let (mut bad, mut plain) = (base_plan(), base_plan());
        setter(&mut bad, &payload(&text, &stub));
        setter(&mut plain, "Plain");
        if let Err(e) = assert_exports_safe(&bad, &plain, &stub) {
            prop_assert!(false, "{name} = {text:?}: {e}");
        }
    }

    /// A hand-edited plan: rejected with the field named, or exported safely.
    #[test]
    fn hostile_text_in_a_saved_plan_is_refused_or_harmless(field in 0..PLAN_JSON_TEXT.len(), text in hostile()) {
        let stub = StubAz::new("plan-json");
        let (path, keys, harmless) = PLAN_JSON_TEXT[field];
        let mut doc = serde_json::to_value(base_plan()).unwrap();
        let mut plain = doc.clone();
        set(&mut doc, keys, &payload(&text, &stub));
        set(&mut plain, keys, harmless);
        let plain = Plan::from_json(plain).expect("the harmless value passes");
        match Plan::from_json(doc) {
            Err(e) => prop_assert_eq!(e.field.as_deref(), Some(path), "{:?}", e),
            Ok(plan) => {
                prop_assert!(!has_forbidden(&text), "{path} accepted {text:?}");
                if let Err(e) = assert_exports_safe(&plan, &plain, &stub) {
                    prop_assert!(false, "{path} = {text:?}: {e}");
                }
            }
        }
    }

    /// A custom catalog: rejected with the field named, or planned and exported safely.
    #[test]
    fn hostile_text_in_a_custom_catalog_is_refused_or_harmless(field in 0..CATALOG_TEXT.len(), text in hostile()) {
        let stub = StubAz::new("catalog");
        let (path, keys, harmless) = CATALOG_TEXT[field];
        let mut doc = serde_json::to_value(catalog::builtin()).unwrap();
        let mut plain = doc.clone();
        set(&mut doc, keys, &payload(&text, &stub));
        set(&mut plain, keys, harmless);
        let request = PlanRequest::from_json(json!({"components": [{"code": "CR", "instances": ["1"]}, {"code": "CIC"}]})).unwrap();
        let plain = plan::plan(&request, &catalog::load(plain).expect("the harmless value passes")).unwrap();
        match catalog::load(doc) {
            Err(e) => {
                prop_assert_eq!(e.field.as_deref(), Some(path), "{:?}", e);
                prop_assert!(has_forbidden(&text) || text.trim().is_empty() || e.code == lucs_registrar::Code::InvalidCatalog);
            }
            Ok(cat) => {
                prop_assert!(!has_forbidden(&text), "{path} accepted {text:?}");
                match plan::plan(&request, &cat) {
                    Ok(p) => if let Err(e) = assert_exports_safe(&p, &plain, &stub) {
                        prop_assert!(false, "{path} = {text:?}: {e}");
                    },
                    // A long name can make the display name too long: a named error, not an export.
                    Err(e) => prop_assert!(e.field.is_some()),
                }
            }
        }
    }
}
