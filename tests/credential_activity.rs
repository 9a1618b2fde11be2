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

#[test]
fn a_tenant_without_the_licence_is_told_so() {
    let mut job = ActivityJob::new(vec!["00000000-0000-0000-0000-0000000000a1".into()]);
    let Action::Send(_) = job.poll(0) else { panic!("asks") };
    // Graph's words when the tenant has no Microsoft Entra ID P1 or P2 (howto-analyze-activity-logs-with-microsoft-graph).
    let body = serde_json::json!({"error": {"code": "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        "message": "Neither tenant is B2C or tenant doesn't have premium license"}});
    job.on_response(lucs_registrar::engine::Response::Http { status: 403, retry_after: None, body }, 10);
    let Action::Done(out) = job.poll(10) else { panic!("done") };
    assert!(!out.readable && out.license_required && out.keys.is_empty());
    assert!(out.note.unwrap().contains("P1 or P2"));
}

#[test]
fn throttling_is_waited_out_and_pages_are_followed() {
    let mut job = ActivityJob::new(vec!["00000000-0000-0000-0000-0000000000a1".into()]);
    let Action::Send(_) = job.poll(0) else { panic!("asks") };
    job.on_response(
        lucs_registrar::engine::Response::Http { status: 429, retry_after: Some("2".into()), body: Value::Null },
        0,
    );
    assert_eq!(job.poll(0), Action::Wait { ms: 2000 });
    let Action::Send(_) = job.poll(2000) else { panic!("asks again") };
    let page = |key: &str, next: Option<&str>| {
        let mut body = serde_json::json!({"value": [{"appId": "a1", "keyId": key, "signInActivity": {"lastSignInDateTime": "2026-12-01T00:00:00Z"}}]});
        if let Some(n) = next {
            body["@odata.nextLink"] = n.into();
        }
        lucs_registrar::engine::Response::Http { status: 200, retry_after: None, body }
    };
    job.on_response(
        page("k1", Some("https://graph.microsoft.com/beta/reports/appCredentialSignInActivities?$skiptoken=x")),
        2100,
    );
    let Action::Send(next) = job.poll(2100) else { panic!("the next page") };
    assert!(next.beta && next.url == "/reports/appCredentialSignInActivities?$skiptoken=x", "{}", next.url);
    job.on_response(page("k2", None), 2200);
    let Action::Done(out) = job.poll(2200) else { panic!("done") };
    assert_eq!(out.keys.iter().map(|k| k.key_id.as_str()).collect::<Vec<_>>(), ["k1", "k2"]);
    assert_eq!(out.round_trips, 3);
}
