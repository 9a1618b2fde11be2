//! Register right after "Check against the tenant": the run starts from the check's replies (3 round trips
//! instead of 4) only for a minute, in the same tenant, for the same plan — and whatever changed since the check
//! is still caught before anything is written to someone else's app.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.

mod common;

use common::sandbox::{assert_registered, drive, drive_job, Outcome};
use common::{full_plan, plan_json};
use lucs_registrar::engine::discovery::MAX_AGE_MS;
use lucs_registrar::engine::provenance::History;
use lucs_registrar::engine::{Caller, Discovery, Engine, Job, Journal, Settings, StopKind, VerifyJob};
use lucs_registrar::plan::Plan;
use lucs_sandbox::Tenant;
use serde_json::json;

const NOW: u64 = 1_790_000_000_000;

fn fe_plan() -> Plan {
    plan_json(json!({"components": [{"code": "FE"}]})).unwrap()
}

fn caller_of(tenant: &Tenant) -> Caller {
    Caller {
        tenant_id: Some(tenant.id.clone()),
        user_id: Some(tenant.user.id.clone()),
        scopes: tenant.token_scopes.clone(),
    }
}

/// "Check against the tenant": the drift report's snapshot, taken at `*clock`.
fn check(plan: &Plan, tenant: &mut Tenant, history: History, clock: &mut u64) -> Discovery {
    let job = VerifyJob::new(plan.clone()).with_provenance(history, vec![]);
    let drift = drive_job(job, tenant, clock).expect("the check runs");
    drift.discovery.expect("a check with a known tenant keeps its discovery")
}

/// Register as the driver runs it: told who calls before its first poll.
fn register(
    plan: &Plan,
    tenant: &mut Tenant,
    discovery: Option<Discovery>,
    settings: Settings,
    clock: &mut u64,
) -> Outcome {
    let mut engine = Engine::new(plan.clone(), None, Some(tenant.id.clone()), settings);
    if let Some(d) = discovery {
        engine = engine.with_discovery(d);
    }
    engine.caller(&caller_of(tenant));
    drive(&mut engine, tenant, clock, None).expect("runs to an end")
}

#[test]
fn register_right_after_a_check_takes_three_round_trips() {
    let plan = full_plan();
    let mut tenant = Tenant::new(170);
    let mut clock = NOW;
    let d = check(&plan, &mut tenant, History::default(), &mut clock);
    clock += 20_000;
    let out = register(&plan, &mut tenant, Some(d), Settings::default(), &mut clock);
    let report = out.result.expect("registers");
    assert_eq!(out.round_trips, 3);
    assert_eq!(report.round_trips, 3);
    assert_registered(&plan, &tenant);
    // The apps are the admin's: bound as owner in the very first request the run sent.
    for app in &plan.applications {
        assert_eq!(tenant.owners_of(&app.key), vec![tenant.user.id.clone()], "{}", app.key);
    }
}

#[test]
fn the_tenant_the_check_read_is_not_read_again() {
    let plan = fe_plan();
    let mut tenant = Tenant::new(169);
    let mut clock = NOW;
    let d = check(&plan, &mut tenant, History::default(), &mut clock);
    let mut engine = Engine::new(plan.clone(), None, None, Settings::default()).with_discovery(d);
    engine.caller(&caller_of(&tenant));
    let out = drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    let report = out.result.expect("registers");
    assert_eq!(out.round_trips, 3);
    assert_eq!(report.journal.tenant_id.as_deref(), Some(tenant.id.as_str()));
}

#[test]
fn a_stale_check_another_tenants_or_another_plans_is_ignored() {
    let plan = full_plan();
    let stale = |d: Discovery| Discovery { taken_at: d.taken_at - MAX_AGE_MS - 1, ..d };
    let other_tenant = |d: Discovery| Discovery { tenant_id: "0b1e2c3d-0000-4000-8000-000000000001".to_string(), ..d };
    let from_the_future = |d: Discovery| Discovery { taken_at: d.taken_at + 120_000, ..d };
    type Change = fn(Discovery) -> Discovery;
    let cases: [(&str, Change); 3] =
        [("stale", stale), ("other tenant", other_tenant), ("taken after the run started", from_the_future)];
    for (i, (why, change)) in cases.into_iter().enumerate() {
        let mut tenant = Tenant::new(171 + i as u64);
        let mut clock = NOW;
        let d = change(check(&plan, &mut tenant, History::default(), &mut clock));
        let out = register(&plan, &mut tenant, Some(d), Settings::default(), &mut clock);
        out.result.expect("registers");
        assert_eq!(out.round_trips, 4, "{why}: discovery runs as before");
        assert_registered(&plan, &tenant);
    }
    // Another plan: one more Conversation Recording instance.
    let mut tenant = Tenant::new(175);
    let mut clock = NOW;
    let other = plan_json(json!({"components": [{"code": "CR", "instances": ["1", "2", "3"]}]})).unwrap();
    let d = check(&other, &mut tenant, History::default(), &mut clock);
    let out = register(&plan, &mut tenant, Some(d), Settings::default(), &mut clock);
    out.result.expect("registers");
    assert_eq!(out.round_trips, 4, "a check of another plan");
}

#[test]
fn a_run_that_does_not_know_its_caller_yet_reads_the_tenant_itself() {
    let plan = fe_plan();
    let mut tenant = Tenant::new(176);
    let mut clock = NOW;
    let d = check(&plan, &mut tenant, History::default(), &mut clock);
    let mut engine = Engine::new(plan.clone(), None, Some(tenant.id.clone()), Settings::default()).with_discovery(d);
    let out = drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    out.result.expect("registers");
    assert_eq!(out.round_trips, 4);
}

#[test]
fn a_key_squatted_after_the_check_gets_no_write() {
    let plan = fe_plan();
    let mut tenant = Tenant::new(177);
    let mallory = tenant.seed_member("mallory@contoso.example", "Mallory");
    let mut clock = NOW;
    let d = check(&plan, &mut tenant, History::default(), &mut clock);
    assert!(d.replies.iter().any(|k| k.status == 404), "the check saw lucs-fe free");
    let (squat, squat_app) = tenant.seed_owned_application("Not LUCS", Some("lucs-fe"), &[mallory], clock);
    let out = register(&plan, &mut tenant, Some(d), Settings::default(), &mut clock);
    let stop = out.result.expect_err("refused");
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert!(stop.message.contains("appeared"), "{}", stop.message);
    let to_squat: Vec<&String> =
        tenant.writes.iter().filter(|w| w.contains(&squat) || w.contains(&squat_app)).collect();
    assert!(to_squat.is_empty(), "{to_squat:?}");
    let creates: Vec<&String> = tenant.writes.iter().filter(|w| w.starts_with("POST /applications ")).collect();
    assert_eq!(creates.len(), 1, "one create, refused by Graph: {creates:?}");
    assert!(tenant.writes.iter().all(|w| !w.starts_with("PATCH")), "{:?}", tenant.writes);
    assert_eq!(tenant.registration("lucs-fe").unwrap().display_name, "Not LUCS");
}

#[test]
fn an_app_that_turned_foreign_after_the_check_is_read_again_and_not_written() {
    let plan = fe_plan();
    let mut tenant = Tenant::new(178);
    let mut clock = NOW;
    let first = register(&plan, &mut tenant, None, Settings::default(), &mut clock);
    let journal: Journal = first.result.expect("registers").journal;
    let history = || History::from_journals([&journal]);
    let d = check(&plan, &mut tenant, history(), &mut clock);
    // Someone with access adds a credential of their own: the app is no longer provably the tool's.
    let object_id = tenant.registration("lucs-fe").unwrap().object_id;
    tenant.seed_secret(&object_id, "theirs", clock).expect("a secret");
    let writes_before = tenant.writes.len();
    let settings = Settings { history: history(), ..Settings::default() };
    let out = register(&plan, &mut tenant, Some(d), settings, &mut clock);
    let stop = out.result.expect_err("stops before writing");
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert_eq!(tenant.writes.len(), writes_before, "{:?}", &tenant.writes[writes_before..]);
}

#[test]
fn with_an_app_that_exists_nothing_is_written_while_a_key_squatted_since_is_undecided() {
    // lucs-cic exists and is the admin's own; lucs-cr-1 is taken by a member after the check. Starting from the
    // check, the update of lucs-cic would go out beside the create that finds lucs-cr-1 taken: so the check does
    // not serve, discovery reads lucs-cr-1 and the run stops before its first write.
    let plan = plan_json(json!({"components": [{"code": "CR", "instances": ["1"]}, {"code": "CIC"}]})).unwrap();
    let mut tenant = Tenant::new(180);
    let mallory = tenant.seed_member("mallory@contoso.example", "Mallory");
    let mut clock = NOW;
    let cic = plan_json(json!({"components": [{"code": "CIC"}]})).unwrap();
    let journal = register(&cic, &mut tenant, None, Settings::default(), &mut clock).result.expect("registers").journal;
    let history = || History::from_journals([&journal]);
    let d = check(&plan, &mut tenant, history(), &mut clock);
    tenant.seed_owned_application("Not LUCS", Some("lucs-cr-1"), &[mallory], clock);
    let writes_before = tenant.writes.len();
    let out = register(&plan, &mut tenant, Some(d), Settings { history: history(), ..Settings::default() }, &mut clock);
    assert_eq!(out.result.expect_err("stops").kind, StopKind::ForeignApps);
    assert_eq!(out.round_trips, 2, "discovery and its service principal lookups, as without a check");
    assert_eq!(tenant.writes.len(), writes_before, "{:?}", &tenant.writes[writes_before..]);
}

#[test]
fn a_snapshot_is_read_back_as_verify_returned_it_and_bad_ones_name_their_field() {
    let plan = fe_plan();
    let mut tenant = Tenant::new(179);
    let mut clock = NOW;
    let d = check(&plan, &mut tenant, History::default(), &mut clock);
    let value = serde_json::to_value(&d).unwrap();
    assert_eq!(Discovery::from_json(value.clone()).unwrap(), d);
    let cases = [
        ("/tenantId", json!("contoso"), "discovery.tenantId"),
        ("/takenAt", json!(-1), "discovery.takenAt"),
        ("/replies/0/status", json!(404), "discovery.replies[0].status"),
        ("/replies/0/url", json!("/users"), "discovery.replies[0].url"),
    ];
    for (pointer, bad, field) in cases {
        let mut v = value.clone();
        *v.pointer_mut(pointer).unwrap() = bad;
        let err = Discovery::from_json(v).expect_err(pointer);
        assert_eq!(err.field.as_deref(), Some(field), "{}", err.message);
    }
    let mut v = value;
    v["replies"][1]["status"] = json!(200);
    let err = Discovery::from_json(v).expect_err("an application is only kept as not found");
    assert_eq!(err.field.as_deref(), Some("discovery.replies[1].status"), "{}", err.message);
}
