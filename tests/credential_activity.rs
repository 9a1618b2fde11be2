#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! When each secret last signed in (the beta report): read per app in one round trip of its own, never inside a
//! v1.0 `$batch`; unreadable said in words.

mod common;

use common::full_plan;
use common::sandbox::{drive_job, run};
use lucs_registrar::engine::credentials::{ActivityJob, ACTIVITY_PATH};
use lucs_registrar::engine::{Action, Job};
use lucs_sandbox::Tenant;
use serde_json::Value;

const DEC_2026: u64 = 1_796_083_200_000;

fn registered(seed: u64) -> (Tenant, u64) {
    let mut tenant = Tenant::new(seed);
    let mut clock = DEC_2026;
    run(&full_plan(), &mut tenant, None, &mut clock).result.expect("registers");
    (tenant, clock)
}

/// The app's appId and its secrets' key ids, as Graph lists them.
fn app(tenant: &mut Tenant, key: &str, now: u64) -> (String, Vec<String>) {
    let reply = tenant.handle("GET", &format!("/applications(uniqueName='{key}')"), None, &Value::Null, now);
    let keys = reply.body["passwordCredentials"].as_array().unwrap().iter();
    let keys = keys.map(|c| c["keyId"].as_str().unwrap().to_string()).collect();
    (reply.body["appId"].as_str().unwrap().to_string(), keys)
}

#[test]
fn the_last_sign_in_of_each_key_is_read_from_beta_alone() {
    let (mut tenant, mut clock) = registered(91);
    let (app_id, keys) = app(&mut tenant, "lucs-fe", clock);
    let at = clock - 3_600_000;
    assert!(tenant.sign_in_with_secrets("lucs-fe", at));
    // Another app's sign-in is not this app's.
    assert!(tenant.sign_in_with_secrets("lucs-cic", clock));
    let mut job = ActivityJob::new(vec![app_id.clone()]);
    let Action::Send(req) = job.poll(clock) else { panic!("asks") };
    assert!(req.beta, "the report is beta only");
    assert!(req.url.starts_with(ACTIVITY_PATH) && req.url.contains(&app_id), "{}", req.url);
    assert_eq!(req.method.as_str(), "GET");
    let out = drive_job(ActivityJob::new(vec![app_id.clone()]), &mut tenant, &mut clock).unwrap();
    assert!(out.readable && out.note.is_none());
    assert_eq!(out.round_trips, 1);
    assert_eq!(out.keys.len(), keys.len());
    for k in &out.keys {
        assert!(keys.contains(&k.key_id) && k.app_id == app_id);
        assert_eq!(k.last_sign_in_date_time.as_deref(), Some(lucs_sandbox::directory::iso(at).as_str()));
        assert_eq!(k.key_type.as_deref(), Some("clientSecret"));
    }
}

#[test]
fn a_key_never_used_is_absent_not_invented() {
    let (mut tenant, mut clock) = registered(92);
    let (app_id, _) = app(&mut tenant, "lucs-fe", clock);
    let out = drive_job(ActivityJob::new(vec![app_id]), &mut tenant, &mut clock).unwrap();
    assert!(out.readable);
    assert!(out.keys.is_empty());
}

#[test]
fn without_a_scope_that_reads_it_the_record_says_so() {
    let (mut tenant, mut clock) = registered(93);
    let (app_id, _) = app(&mut tenant, "lucs-fe", clock);
    tenant.sign_in_with_secrets("lucs-fe", clock);
    tenant.token_scopes.retain(|s| s != "Directory.Read.All");
    // Graph's 403, named by the scope the session lacks.
    let out = drive_job(ActivityJob::new(vec![app_id.clone()]), &mut tenant, &mut clock).unwrap();
    assert!(!out.readable && out.keys.is_empty());
    let note = out.note.unwrap();
    assert!(note.contains("AuditLog.Read.All") && note.contains("403"), "{note}");
    assert_eq!((out.status, out.missing_scopes), (Some(403), vec!["AuditLog.Read.All".to_string()]));
    // Told the scopes first, the job does not ask at all.
    let mut job = ActivityJob::new(vec![app_id]);
    job.caller(&lucs_registrar::engine::Caller { scopes: tenant.token_scopes.clone(), ..Default::default() });
    let Action::Done(out) = job.poll(clock) else { panic!("nothing to send") };
    assert_eq!(out.round_trips, 0);
    assert!(!out.readable && out.note.unwrap().contains("lacks AuditLog.Read.All"));
    // With the least scope the report names, it is read.
    tenant.token_scopes.push("AuditLog.Read.All".into());
    let (app_id, _) = app(&mut tenant, "lucs-fe", clock);
    assert!(drive_job(ActivityJob::new(vec![app_id]), &mut tenant, &mut clock).unwrap().readable);
}
