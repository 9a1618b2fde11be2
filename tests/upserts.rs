#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The upserts' hedge: against a sandbox switched to refuse the two undocumented forms the engine sends by default
//! — `Prefer: create-if-missing` inside a `$batch` item, and a service principal upsert with an empty body — the
//! run falls back once to the documented forms, never renames an existing service principal, and says so.

mod common;

use common::sandbox::{assert_registered, run};
use common::{full_plan, plan_json};
use lucs_sandbox::{Exchange, Tenant};
use serde_json::json;

fn sp_name(tenant: &mut Tenant, app_id: &str) -> String {
    let url = format!("/servicePrincipals(appId='{app_id}')");
    let Exchange::Reply(r) = tenant.exchange("GET", &url, None, &json!(null), 0) else { panic!("no faults") };
    r.body["displayName"].as_str().unwrap_or("").to_string()
}

#[test]
fn a_service_principal_upsert_refused_without_a_name_is_made_with_the_app_s_name() {
    let plan = full_plan();
    let mut tenant = Tenant::new(90);
    tenant.quirks.sp_upsert_needs_display_name = true;
    let mut clock = 1_790_000_000_000;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let report = out.result.expect("falls back and completes");
    assert_registered(&plan, &tenant);
    for app in &report.applications {
        assert_eq!(sp_name(&mut tenant, app.app_id.as_deref().unwrap()), app.display_name);
    }
    assert_eq!(out.round_trips, 6, "the upserts, then one read and one named upsert for all apps at once");
    assert!(report.warnings.iter().any(|w| w.contains("without a name")), "{:?}", report.warnings);
}

#[test]
fn the_name_fallback_never_renames_a_service_principal_that_exists() {
    let mut tenant = Tenant::new(91);
    let (_, app_id) = tenant.seed_application("Contoso FE", None);
    let sp_url = format!("/servicePrincipals(appId='{app_id}')");
    let named = json!({"displayName": "FE enterprise app (named by hand)"});
    assert!(
        matches!(tenant.exchange("PATCH", &sp_url, Some("create-if-missing"), &named, 0), Exchange::Reply(r) if r.ok())
    );
    tenant.quirks.sp_upsert_needs_display_name = true;
    let mut plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    plan.applications[0].target_app_id = Some(app_id.clone());
    run(&plan, &mut tenant, None, &mut 0).result.expect("completes");
    assert_eq!(sp_name(&mut tenant, &app_id), "FE enterprise app (named by hand)");
}

#[test]
fn upserts_go_on_their_own_when_a_batch_ignores_prefer() {
    let plan = full_plan();
    let mut tenant = Tenant::new(92);
    tenant.quirks.batch_ignores_prefer = true;
    let mut clock = 1_790_000_000_000;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let report = out.result.expect("falls back and completes");
    assert_registered(&plan, &tenant);
    assert_eq!(tenant.duplicates(), Vec::<String>::new());
    // Discovery, the apps created in one batch (a POST carries no Prefer), the batch of service principal upserts
    // answered 404, then ten service principal upserts on their own (remembered for the rest of the run), then
    // consent in one batch.
    assert_eq!(out.round_trips, 14);
    assert!(report.warnings.iter().any(|w| w.contains("requests of their own")), "{:?}", report.warnings);
}

#[test]
fn both_fallbacks_together() {
    let plan = plan_json(json!({"components": [{"code": "FE"}, {"code": "CR"}]})).unwrap();
    let mut tenant = Tenant::new(93);
    tenant.quirks.batch_ignores_prefer = true;
    tenant.quirks.sp_upsert_needs_display_name = true;
    let report = run(&plan, &mut tenant, None, &mut 0).result.expect("completes");
    assert_registered(&plan, &tenant);
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    for app in &report.applications {
        assert_eq!(sp_name(&mut tenant, app.app_id.as_deref().unwrap()), app.display_name);
    }
}

#[test]
fn graph_that_honours_both_forms_sees_no_fallback() {
    let report = run(&full_plan(), &mut Tenant::new(94), None, &mut 0).result.unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}
