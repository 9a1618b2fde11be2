#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Client secrets against Graph's concurrency rule: credential writes made close together on one application
//! answer `409 Directory_ConcurrencyViolation` (nais/azurerator#448; microsoft/fhir-server
//! ClientSecretConcurrency.Tests.ps1), so one app's writes go one after another and that 409 is waited out.

mod common;

use common::plan_json;
use common::sandbox::{assert_registered, drive, drive_cut, run};
use lucs_registrar::engine::{Engine, EventStatus, RetryReason, Settings, StopKind};
use lucs_sandbox::{Exchange, Faults, Tenant};
use serde_json::json;

const CONCURRENCY: &str = "concurrency: credential write 409 Directory_ConcurrencyViolation";

fn fe() -> lucs_registrar::plan::Plan {
    plan_json(json!({"components": [{"code": "FE"}, {"code": "CIC"}]})).unwrap()
}

/// A run whose consent batch acted but whose reply was lost, plus one more secret of this tool's on lucs-fe that
/// nobody was shown: two to remove before one is added. Returns the journal to resume from.
fn two_unseen_secrets(tenant: &mut Tenant, clock: &mut u64) -> lucs_registrar::engine::Journal {
    let plan = fe();
    let mut engine = Engine::new(plan, None, Some(tenant.id.clone()), Settings::default());
    assert!(drive_cut(&mut engine, tenant, clock, Some(3), true).is_none());
    let object_id = tenant.registration("lucs-fe").unwrap().object_id;
    let body = json!({"passwordCredential": {"displayName": "LUCS App Registrar 2026-09-21T00:00:00Z"}});
    *clock += 60_000;
    let url = format!("/applications/{object_id}/addPassword");
    assert!(matches!(tenant.exchange("POST", &url, None, &body, *clock), Exchange::Reply(r) if r.ok()));
    *clock += 60_000;
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 2);
    engine.journal().clone()
}

#[test]
fn one_app_s_credential_writes_go_one_after_another() {
    let mut tenant = Tenant::new(60);
    let mut clock = 1_790_000_000_000;
    let journal = two_unseen_secrets(&mut tenant, &mut clock);
    let report = run(&fe(), &mut tenant, Some(journal), &mut clock).result.expect("completes");
    assert_registered(&fe(), &tenant);
    let removed: Vec<&str> =
        report.removed_secrets.iter().filter(|r| r.key == "lucs-fe").map(|r| r.key_id.as_str()).collect();
    assert_eq!(removed.len(), 2, "{report:?}");
    let shown: Vec<&str> = report.secrets.iter().filter(|s| s.key == "lucs-fe").map(|s| s.key_id.as_str()).collect();
    assert_eq!(tenant.secret_key_ids("lucs-fe"), shown, "exactly the secret shown");
    assert_eq!(tenant.tally.get(CONCURRENCY), None, "never two credential writes on one app at once");
}

#[test]
fn a_concurrency_409_is_waited_out_like_throttling() {
    let plan = fe();
    let mut tenant = Tenant::new(61);
    tenant.faults = Faults { concurrency: 0.6, ..Faults::none() };
    let mut clock = 1_790_000_000_000;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let report = out.result.expect("completes");
    assert!(tenant.tally.get(CONCURRENCY).is_some_and(|n| *n > 0), "{:?}", tenant.tally);
    assert!(report.retries > 0 && out.waited_ms > 0);
    let waits = out.events.iter().filter(|e| e.status == EventStatus::Retrying);
    assert!(waits.clone().count() > 0 && waits.clone().all(|e| e.reason == Some(RetryReason::Throttled)));
    assert_registered(&plan, &tenant);
    for s in &report.secrets {
        assert_eq!(tenant.secret_key_ids(&s.key), vec![s.key_id.clone()]);
    }
}

#[test]
fn a_concurrency_409_that_never_ends_stops_resumably_within_the_attempt_limit() {
    let plan = fe();
    let mut tenant = Tenant::new(62);
    tenant.faults = Faults { concurrency: 1.0, ..Faults::none() };
    let mut clock = 1_790_000_000_000;
    let mut engine = Engine::new(plan.clone(), None, Some(tenant.id.clone()), Settings::default());
    let out = drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    let stop = out.result.expect_err("stops");
    assert_eq!(stop.kind, StopKind::Throttled, "{}", stop.message);
    assert!(stop.message.contains("HTTP 409") && stop.message.contains("To resume"), "{}", stop.message);
    tenant.faults = Faults::none();
    let report = run(&plan, &mut tenant, Some(out.journal), &mut clock).result.expect("resumes");
    assert_registered(&plan, &tenant);
    assert_eq!(report.secrets.len() + stop.secrets.len(), 2, "one secret per app, shown once");
}

#[test]
fn close_credential_writes_on_one_app_are_spaced_by_the_retry() {
    // A tenant that refuses a credential write within 2 s of the last one on the same app.
    let mut tenant = Tenant::new(63);
    let mut clock = 1_790_000_000_000;
    let journal = two_unseen_secrets(&mut tenant, &mut clock);
    tenant.faults = Faults { credential_spacing_ms: 2_000, ..Faults::none() };
    let out = run(&fe(), &mut tenant, Some(journal), &mut clock);
    out.result.expect("completes");
    assert!(tenant.tally.get(CONCURRENCY).is_some_and(|n| *n > 0), "the close writes were refused and retried");
    assert_registered(&fe(), &tenant);
    assert_eq!(tenant.secret_key_ids("lucs-fe").len(), 1);
}
