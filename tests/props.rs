#![cfg(not(target_arch = "wasm32"))]
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
            for format in Format::ALL {
                let _ = export(&plan, format.1, None);
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
