//! Nothing in the tenant is ours until we made it: an app holding a planned key that the signed-in admin did not
//! make with this tool gets no write of any kind until the admin adopts it. Each attack is played against the
//! sandbox tenant as a member of the tenant could play it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.

mod common;

use common::sandbox::{assert_registered, drive, run};
use common::{full_plan, plan_json};
use lucs_registrar::engine::provenance::{History, Standing};
use lucs_registrar::engine::{Engine, Journal, Settings, SoftDeleted, StopKind};
use lucs_registrar::plan::Plan;
use lucs_sandbox::Tenant;
use serde_json::json;

const NOW: u64 = 1_790_000_000_000;

fn cr_plan() -> Plan {
    plan_json(json!({"components": [{"code": "CR", "instances": ["1", "2"]}, {"code": "CIC"}]})).unwrap()
}

/// Every write the tenant received that names `object_id` or `app_id`, or creates under `key`.
fn writes_to(tenant: &Tenant, object_id: &str, app_id: &str) -> Vec<String> {
    tenant.writes.iter().filter(|w| w.contains(object_id) || w.contains(app_id)).cloned().collect()
}

fn run_with(
    plan: &Plan,
    tenant: &mut Tenant,
    journal: Option<Journal>,
    settings: Settings,
) -> common::sandbox::Outcome {
    let mut clock = NOW;
    let mut engine = Engine::new(plan.clone(), journal, Some(tenant.id.clone()), settings);
    drive(&mut engine, tenant, &mut clock, None).expect("runs to an end")
}

#[test]
fn a_key_squatted_by_a_member_gets_no_write_until_the_admin_adopts_it() {
    let plan = cr_plan();
    let mut tenant = Tenant::new(140);
    let mallory = tenant.seed_member("mallory@contoso.example", "Mallory");
    let (squat, squat_app) = tenant.seed_owned_application(
        "LUCS Conversation Recording (1)",
        Some("lucs-cr-1"),
        std::slice::from_ref(&mallory),
        NOW - 86_400_000,
    );
    let mut clock = NOW;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("stops before any write");
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert!(stop.message.contains("lucs-cr-1") && stop.message.contains("mallory@contoso.example"), "{}", stop.message);
    assert_eq!(stop.foreign.len(), 1);
    assert_eq!(stop.foreign[0].owners[0].id, mallory);
    assert_eq!(stop.foreign[0].standing, Standing::Foreign);
    assert_eq!(writes_to(&tenant, &squat, &squat_app), Vec::<String>::new(), "no write to the squatted app");
    assert!(tenant.writes.is_empty(), "nothing at all is written while a foreign app is undecided");

    // The admin was shown its owner and adopts it: now it is written to, and the report says so.
    let settings = Settings { adopt: vec!["lucs-cr-1".into()], ..Settings::default() };
    let report = run_with(&plan, &mut tenant, Some(out.journal), settings).result.expect("registers once adopted");
    assert_registered(&plan, &tenant);
    let cr1 = report.applications.iter().find(|a| a.key == "lucs-cr-1").unwrap();
    assert!(cr1.adopted && !cr1.created);
    assert_eq!(cr1.object_id.as_deref(), Some(squat.as_str()));
    assert!(report.existing.iter().any(|e| e.key == "lucs-cr-1" && e.standing == Standing::Adopted));
    assert!(report.journal.app("lucs-cr-1").unwrap().adopted, "rollback will keep it");
    assert_eq!(tenant.owners_of("lucs-cr-1"), vec![mallory], "adopting changes no owner");
}

#[test]
fn a_squat_that_made_the_admin_its_only_owner_but_kept_a_secret_is_foreign() {
    let plan = cr_plan();
    let mut tenant = Tenant::new(141);
    let admin = tenant.user.id.clone();
    let (squat, squat_app) = tenant.seed_owned_application("LUCS CR", Some("lucs-cr-1"), &[admin], NOW);
    let key_id = tenant.seed_secret(&squat, "backdoor", NOW).expect("a secret");
    tenant.writes.clear();
    let mut clock = NOW;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("stops");
    assert_eq!(stop.kind, StopKind::ForeignApps);
    let found = &stop.foreign[0];
    assert_eq!(found.credentials.len(), 1);
    assert_eq!(found.credentials[0].key_id, key_id);
    assert!(!found.credentials[0].made_by_tool);
    assert!(stop.message.contains("1 credential on it that no kept journal"), "{}", stop.message);
    assert!(writes_to(&tenant, &squat, &squat_app).is_empty());
}

#[test]
fn the_admins_own_earlier_registration_with_its_journal_is_not_questioned() {
    let plan = full_plan();
    let mut tenant = Tenant::new(142);
    let mut clock = NOW;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let history = History::from_journals([&first.journal]);
    let again = run_with(&plan, &mut tenant, None, Settings { history, ..Settings::default() });
    let second = again.result.expect("no question asked");
    assert!(second.existing.iter().all(|e| e.standing == Standing::Ours), "{:?}", second.existing);
    assert!(second.applications.iter().all(|a| !a.created && !a.adopted));
    assert_registered(&plan, &tenant);

    // Without the journals, the secrets on the apps cannot be told from someone else's: shown and asked once.
    let asked = run_with(&plan, &mut tenant, None, Settings::default()).result.expect_err("asks");
    assert_eq!(asked.kind, StopKind::ForeignApps);
    assert_eq!(asked.foreign.len(), 4, "the four apps with a secret: {:?}", asked.foreign);
    assert!(asked.foreign.iter().all(|e| e.reasons.len() == 1 && e.reasons[0].contains("credential")));
}

#[test]
fn a_colleague_admins_earlier_run_is_shown_and_adopted_once() {
    let plan = cr_plan();
    let mut tenant = Tenant::new(143);
    let mut clock = NOW;
    let colleague_run = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    // The same apps, seen by another admin: the tenant's signed-in user is now someone else.
    tenant.user.id = tenant.seed_member("colleague@contoso.example", "Colleague");
    let stop = run(&plan, &mut tenant, None, &mut clock).result.expect_err("shown");
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert_eq!(stop.foreign.len(), 3);
    let keys: Vec<String> = stop.foreign.iter().map(|e| e.key.clone()).collect();
    let settings = Settings { adopt: keys, ..Settings::default() };
    let adopted = run_with(&plan, &mut tenant, None, settings).result.expect("adopted");
    assert!(adopted.applications.iter().all(|a| a.adopted));
    // The kept journal of the adopting run: no second question.
    let history = History::from_journals([&adopted.journal]);
    let again = run_with(&plan, &mut tenant, None, Settings { history, ..Settings::default() });
    again.result.expect("asked once");
    assert_eq!(colleague_run.applications.len(), 3);
}

#[test]
fn a_key_taken_between_discovery_and_the_create_is_refused_not_written() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(144);
    let mallory = tenant.seed_member("mallory@contoso.example", "Mallory");
    let mut clock = NOW;
    let mut engine = Engine::new(plan.clone(), None, Some(tenant.id.clone()), Settings::default());
    // Discovery answers 404 for lucs-fe (the run is cut there and resumed from its journal, which remembers it);
    // then the member takes the key before the create arrives.
    assert!(drive(&mut engine, &mut tenant, &mut clock, Some(1)).is_none());
    assert_eq!(engine.journal().app("lucs-fe").unwrap().existed, Some(false));
    let (squat, squat_app) = tenant.seed_owned_application("Not LUCS", Some("lucs-fe"), &[mallory], NOW);
    let mut engine =
        Engine::new(plan.clone(), Some(engine.journal().clone()), Some(tenant.id.clone()), Settings::default());
    let out = drive(&mut engine, &mut tenant, &mut clock, None).unwrap();
    let stop = out.result.expect_err("refused");
    assert_eq!(stop.kind, StopKind::ForeignApps);
    assert!(stop.message.contains("appeared"), "{}", stop.message);
    assert!(writes_to(&tenant, &squat, &squat_app).is_empty(), "{:?}", tenant.writes);
    let creates: Vec<&String> = tenant.writes.iter().filter(|w| w.starts_with("POST /applications ")).collect();
    assert_eq!(creates.len(), 1, "one create, refused: {creates:?}");
    assert!(tenant.writes.iter().all(|w| !w.starts_with("PATCH /applications")), "{:?}", tenant.writes);
    assert_eq!(tenant.registration("lucs-fe").unwrap().display_name, "Not LUCS");
}

#[test]
fn a_deleted_holder_someone_else_made_is_never_offered_for_restore() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(145);
    tenant.seed_deleted_application("LUCS Front End (theirs)", "lucs-fe", 1_000);
    let mut clock = NOW;
    let out = run(&plan, &mut tenant, None, &mut clock);
    let stop = out.result.expect_err("explains");
    assert_eq!(stop.kind, StopKind::SoftDeleted);
    assert!(stop.message.contains("restoring it is not offered"), "{}", stop.message);
    // Asked to restore anyway, the run refuses; purging it works.
    let restore = Settings { soft_deleted: SoftDeleted::Restore, ..Settings::default() };
    let refused = run_with(&plan, &mut tenant, Some(out.journal.clone()), restore).result.expect_err("refused");
    assert_eq!(refused.kind, StopKind::SoftDeleted);
    assert_eq!(tenant.deleted_count(), 1, "still deleted");
    let adopt = Settings { soft_deleted: SoftDeleted::Restore, adopt: vec!["lucs-fe".into()], ..Settings::default() };
    let report = run_with(&plan, &mut tenant, Some(out.journal), adopt).result.expect("restored once adopted");
    assert!(report.applications[0].adopted);
    assert_registered(&plan, &tenant);
}

#[test]
fn a_deleted_app_this_tool_made_is_offered_for_restore() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(146);
    let mut clock = NOW;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let id = first.applications[0].object_id.clone().unwrap();
    let _ = tenant.exchange("DELETE", &format!("/applications/{id}"), None, &serde_json::Value::Null, clock);
    let history = History::from_journals([&first.journal]);
    let stop = run_with(&plan, &mut tenant, None, Settings { history: history.clone(), ..Settings::default() })
        .result
        .expect_err("explains");
    assert!(stop.message.contains("Choose: restore it"), "{}", stop.message);
    let restore = Settings { soft_deleted: SoftDeleted::Restore, history, ..Settings::default() };
    let report = run_with(&plan, &mut tenant, None, restore).result.expect("restored");
    assert!(!report.applications[0].adopted, "its own app, restored");
    assert_eq!(report.applications[0].object_id.as_deref(), Some(id.as_str()));
}
