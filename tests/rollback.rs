#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Rollback trusts no journal blindly: the journal comes back from storage the caller controls, so each object is
//! read and checked before it is deleted or changed, a journal from another tenant is refused, an adopted app is
//! never deleted, and a key is called free only once its deleted app is gone from deleted items.

mod common;

use common::sandbox::run;
use common::{full_plan, plan_json};
use lucs_registrar::engine::{Action, Caller, Job, Journal, Response, Rollback, RollbackJob, Settings, Stop, StopKind};
use lucs_sandbox::{Exchange, Faults, Tenant};
use serde_json::{json, Value};

/// What a job did: its end, the `$batch` round trips, and every request inside them (method, URL) in order.
struct Driven<T> {
    result: Result<T, Stop>,
    round_trips: u32,
    requests: Vec<(String, String)>,
}

/// Runs a job to its end with a token that speaks for `tenant_id` (the sandbox answers whatever it is told).
fn drive_job_as<J: Job>(job: J, tenant: &mut Tenant, clock: &mut u64, tenant_id: &str) -> Driven<J::Output> {
    let caller = Caller {
        tenant_id: Some(tenant_id.to_string()),
        user_id: Some(tenant.user.id.clone()),
        scopes: tenant.token_scopes.clone(),
    };
    drive_with(job, tenant, clock, Some(caller))
}

/// Runs a job to its end, telling it `caller` before each reply — or nothing, as a driver that cannot read the
/// token would.
fn drive_with<J: Job>(mut job: J, tenant: &mut Tenant, clock: &mut u64, caller: Option<Caller>) -> Driven<J::Output> {
    let (mut round_trips, mut requests) = (0, Vec::new());
    let result = loop {
        match job.poll(*clock) {
            Action::Send(req) => {
                round_trips += 1;
                let body = req.body.clone().unwrap_or(Value::Null);
                for r in body["requests"].as_array().into_iter().flatten() {
                    let text = |k: &str| r[k].as_str().unwrap_or("").to_string();
                    requests.push((text("method"), text("url")));
                }
                if let Some(caller) = &caller {
                    job.caller(caller);
                }
                let response = match tenant.exchange(req.method.as_str(), &req.url, None, &body, *clock) {
                    Exchange::Reply(r) => Response::Http { status: r.status, retry_after: None, body: r.body },
                    Exchange::Dropped => Response::NetworkError("connection reset".into()),
                };
                *clock += 50;
                job.on_response(response, *clock);
            }
            Action::Wait { ms } => *clock += ms,
            Action::NeedToken => job.token_refreshed(),
            Action::Done(out) => break Ok(out),
            Action::Stopped(stop) => break Err(*stop),
        }
    };
    Driven { result, round_trips, requests }
}

/// A rollback with a token of the journal's own tenant.
fn roll_back(journal: &Journal, tenant: &mut Tenant, clock: &mut u64) -> Driven<Rollback> {
    let id = tenant.id.clone();
    drive_job_as(RollbackJob::new(journal), tenant, clock, &id)
}

/// One Graph call as an admin would make it by hand in the portal.
fn call(t: &mut Tenant, method: &str, url: &str, body: Value) -> Value {
    match t.exchange(method, url, Some("create-if-missing"), &body, 0) {
        Exchange::Reply(r) => r.body,
        Exchange::Dropped => unreachable!("no faults"),
    }
}

/// An application registered by hand with its enterprise app (service principal): (object id, appId, SP id).
fn hand_made_app(t: &mut Tenant, name: &str) -> (String, String, String) {
    let (object_id, app_id) = t.seed_application(name, None);
    let sp = call(t, "PATCH", &format!("/servicePrincipals(appId='{app_id}')"), json!({}));
    (object_id, app_id, sp["id"].as_str().unwrap().to_string())
}

fn writes(requests: &[(String, String)]) -> Vec<&(String, String)> {
    requests.iter().filter(|(m, _)| m != "GET").collect()
}

#[test]
fn a_journal_from_another_tenant_is_refused_before_anything_is_deleted() {
    let plan = plan_json(json!({"components": [{"code": "FE"}, {"code": "CR", "instances": ["1"]}]})).unwrap();
    let mut tenant = Tenant::new(60);
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    assert_eq!(report.journal.tenant_id.as_deref(), Some(tenant.id.as_str()));
    let other = "0c9f3a51-7d2e-4b6a-9f00-5e1d2c3b4a59";
    let out = drive_job_as(RollbackJob::new(&report.journal), &mut tenant, &mut clock, other);
    let stop = out.result.unwrap_err();
    assert_eq!(stop.kind, StopKind::Failed);
    assert!(stop.message.contains(&tenant.id) && stop.message.contains(other), "{}", stop.message);
    assert!(stop.message.contains("nothing was deleted"), "{}", stop.message);
    assert_eq!(writes(&out.requests), Vec::<&(String, String)>::new(), "the first batch only reads");
    assert_eq!(out.round_trips, 1);
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (2, 0));
    // A token that names no tenant, or a driver that says nothing, cannot confirm it either.
    let nameless = Caller { tenant_id: None, ..Caller::default() };
    for caller in [Some(nameless), None] {
        let out = drive_with(RollbackJob::new(&report.journal), &mut tenant, &mut clock, caller);
        assert!(out.result.unwrap_err().message.contains("nothing was deleted"));
        assert_eq!(writes(&out.requests), Vec::<&(String, String)>::new());
    }
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (2, 0));
    // The same journal with a token of its own tenant rolls back.
    let rb = roll_back(&report.journal, &mut tenant, &mut clock).result.unwrap();
    assert!(rb.failed.is_empty() && rb.refused.is_empty(), "{rb:?}");
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (0, 0));
}

#[test]
fn a_created_app_id_swapped_for_a_production_app_is_left_alone() {
    let plan = plan_json(json!({"components": [{"code": "FE"}]})).unwrap();
    let mut tenant = Tenant::new(61);
    let (payroll, payroll_app_id) = tenant.seed_application("Contoso Payroll (production)", None);
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let mut journal = report.journal.clone();
    journal.apps[0].object_id = Some(payroll.clone());
    let rb = roll_back(&journal, &mut tenant, &mut clock).result.unwrap();
    assert!(tenant.registration_by_app_id(&payroll_app_id).is_some(), "the production app survives: {rb:?}");
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (2, 0));
    assert_eq!(rb.refused.len(), 1, "{rb:?}");
    let why = &rb.refused[0];
    assert!(
        why.starts_with(&format!("the object {payroll} is not the application lucs-fe this tool created")),
        "{why}"
    );
    assert!(why.contains("no uniqueName") && why.contains(&payroll_app_id) && why.ends_with("left alone"), "{why}");
    assert!(rb.deleted.is_empty(), "{rb:?}");
    // Without an Application ID in the journal, nothing tells the app with the key from a lookalike.
    let mut no_app_id = report.journal.clone();
    no_app_id.apps[0].app_id = None;
    let rb = roll_back(&no_app_id, &mut tenant, &mut clock).result.unwrap();
    assert!(rb.refused[0].contains("the journal records no Application ID"), "{rb:?}");
    assert!(tenant.registration("lucs-fe").is_some());
    // Its appId swapped as well: the key still tells them apart.
    journal.apps[0].app_id = Some(payroll_app_id.clone());
    let rb = roll_back(&journal, &mut tenant, &mut clock).result.unwrap();
    assert!(tenant.registration_by_app_id(&payroll_app_id).is_some(), "{rb:?}");
    assert_eq!(rb.refused.len(), 1, "{rb:?}");
    // A production app that holds a key of ours (any member may set one) but another appId is not ours either.
    let (held, held_app_id) = tenant.seed_application("Someone's LUCS test", Some("lucs-cic"));
    journal.apps[0].key = "lucs-cic".into();
    journal.apps[0].object_id = Some(held.clone());
    journal.apps[0].app_id = report.journal.apps[0].app_id.clone();
    let rb = roll_back(&journal, &mut tenant, &mut clock).result.unwrap();
    assert!(tenant.registration_by_app_id(&held_app_id).is_some(), "{rb:?}");
    assert!(rb.refused[0].contains("uniqueName lucs-cic and Application ID"), "{rb:?}");
}

#[test]
fn a_swapped_service_principal_id_is_left_alone() {
    let plan = plan_json(json!({"components": [{"code": "AC"}]})).unwrap();
    let mut tenant = Tenant::new(62);
    // The Agent Controller app was registered by hand (with our key); the run makes its service principal.
    tenant.seed_application("LUCS Agent Controller", Some("lucs-ac"));
    let (_, crm_app_id, crm_sp) = hand_made_app(&mut tenant, "Contoso CRM");
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    assert!(report.journal.apps[0].service_principal_created);
    let mut journal = report.journal.clone();
    journal.apps[0].service_principal_id = Some(crm_sp.clone());
    let rb = roll_back(&journal, &mut tenant, &mut clock).result.unwrap();
    let crm = tenant.registration_by_app_id(&crm_app_id).unwrap();
    assert_eq!(crm.service_principal_id.as_deref(), Some(crm_sp.as_str()), "the CRM's enterprise app survives");
    assert_eq!(rb.refused.len(), 1, "{rb:?}");
    let why = &rb.refused[0];
    assert!(why.starts_with(&format!("the object {crm_sp} is not the service principal of lucs-ac")), "{why}");
    assert!(why.contains(&format!("it belongs to Application ID {crm_app_id}")), "{why}");
    assert!(tenant.registration("lucs-ac").unwrap().service_principal_id.is_some(), "nothing else deleted");
}

#[test]
fn a_swapped_grant_or_role_assignment_is_left_alone() {
    let mut tenant = Tenant::new(63);
    let graph = tenant.graph_sp_id().to_string();
    // Someone else's app with its own delegated grant.
    let (_, _, crm_sp) = hand_made_app(&mut tenant, "Contoso CRM");
    let crm_grant =
        json!({"clientId": crm_sp, "consentType": "AllPrincipals", "resourceId": graph, "scope": "User.Read"});
    let crm_grant = call(&mut tenant, "POST", "/oauth2PermissionGrants", crm_grant)["id"].as_str().unwrap().to_string();
    // Two apps registered by hand for LUCS, CR and FE planned onto them; the admin gave FE's an app role of their own.
    let (_, cr_app_id, _) = hand_made_app(&mut tenant, "Contoso LUCS CR (manual)");
    let (_, fe_app_id, fe_sp) = hand_made_app(&mut tenant, "Contoso LUCS FE (manual)");
    let roles = call(&mut tenant, "GET", &format!("/servicePrincipals/{graph}"), Value::Null)["appRoles"].clone();
    let mut plan = plan_json(json!({"components": [{"code": "CR", "instances": ["1"]}, {"code": "FE"}]})).unwrap();
    let planned = plan.applications[1].app_role_assignments[0].app_role_id.clone();
    let own_role = roles.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).find(|r| *r != planned).unwrap();
    let own = json!({"principalId": fe_sp, "resourceId": graph, "appRoleId": own_role});
    let own = call(&mut tenant, "POST", &format!("/servicePrincipals/{fe_sp}/appRoleAssignments"), own);
    let own = own["id"].as_str().unwrap().to_string();
    plan.applications[0].target_app_id = Some(cr_app_id);
    plan.applications[1].target_app_id = Some(fe_app_id.clone());
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let mut journal = report.journal.clone();
    assert!(journal.apps[0].grants[0].created && journal.apps[1].assignments[0].created, "{journal:?}");
    journal.apps[0].grants[0].id = crm_grant.clone();
    journal.apps[1].assignments[0].id = own.clone();
    let rb = roll_back(&journal, &mut tenant, &mut clock).result.unwrap();
    let grant = call(&mut tenant, "GET", &format!("/oauth2PermissionGrants/{crm_grant}"), Value::Null);
    assert_eq!(grant["scope"], "User.Read", "the CRM's grant survives: {rb:?}");
    let fe = tenant.registration_by_app_id(&fe_app_id).unwrap();
    assert!(fe.app_role_ids.iter().any(|r| r == own_role), "the admin's own app role survives: {rb:?}");
    assert_eq!(rb.refused.len(), 2, "{rb:?}");
    assert!(
        rb.refused
            .iter()
            .any(|r| r.starts_with(&format!("the object {crm_grant} is not the delegated grant of lucs-cr-1"))),
        "{rb:?}"
    );
    assert!(
        rb.refused
            .iter()
            .any(|r| r.starts_with(&format!("the object {own} is not the app role assignment of lucs-fe"))),
        "{rb:?}"
    );
    assert!(rb.failed.is_empty(), "{rb:?}");
}

#[test]
fn an_adopted_app_is_never_deleted() {
    let plan = plan_json(json!({"components": [{"code": "FE"}, {"code": "AC"}]})).unwrap();
    let mut tenant = Tenant::new(64);
    let mut clock = 0;
    let report = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let mut journal = report.journal.clone();
    // Adopted, and `existed` tampered to say the tool made it.
    let fe = journal.apps.iter_mut().find(|a| a.key == "lucs-fe").unwrap();
    fe.adopted = true;
    assert_eq!(fe.existed, Some(false));
    let rb = roll_back(&journal, &mut tenant, &mut clock).result.unwrap();
    assert!(tenant.registration("lucs-fe").is_some(), "{rb:?}");
    assert!(rb.kept.iter().any(|k| k.starts_with("application lucs-fe (adopted")), "{rb:?}");
    assert!(!rb.deleted.iter().any(|d| d.starts_with("application lucs-fe")), "{rb:?}");
    assert!(tenant.registration("lucs-ac").is_none(), "the app the run made is deleted: {rb:?}");
    assert_eq!(tenant.deleted_count(), 0);
}

#[test]
fn a_key_is_free_only_once_its_deleted_app_is_gone_from_deleted_items() {
    let plan = plan_json(json!({"components": [{"code": "CR", "instances": ["1", "2"]}]})).unwrap();
    let mut tenant = Tenant::new(65);
    tenant.faults = Faults { purge_lag_ms: 3_000, ..Faults::none() };
    let mut clock = 1_790_000_000_000;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let rb = roll_back(&first.journal, &mut tenant, &mut clock).result.unwrap();
    assert!(rb.failed.is_empty() && rb.refused.is_empty(), "{rb:?}");
    assert_eq!(rb.deleted.len(), 2, "{rb:?}");
    assert!(rb.deleted.iter().all(|d| d.contains("deleted permanently, so its unique name is free again")), "{rb:?}");
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (0, 0));
    assert!(tenant.tally.get("replication: purge 404 right after the soft delete").is_some_and(|n| *n >= 2));
    run(&plan, &mut tenant, None, &mut clock).result.expect("the keys are free: registers again at once");
}

#[test]
fn a_key_still_held_after_the_budget_is_reported_as_held() {
    let plan = plan_json(json!({"components": [{"code": "CR", "instances": ["1", "2"]}]})).unwrap();
    let mut tenant = Tenant::new(66);
    tenant.faults = Faults { purge_lag_ms: 60 * 60 * 1000, ..Faults::none() };
    let mut clock = 1_790_000_000_000;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let rb = roll_back(&first.journal, &mut tenant, &mut clock).result.unwrap();
    assert_eq!(tenant.deleted_count(), 2);
    assert!(!rb.deleted.iter().any(|d| d.contains("free")), "{rb:?}");
    assert_eq!(rb.failed.len(), 2, "{rb:?}");
    let cr2 = rb.failed.iter().find(|f| f.contains("lucs-cr-2")).unwrap();
    assert!(cr2.starts_with("lucs-cr-2's key stays reserved until the deleted app is purged: "), "{cr2}");
    let id = first.journal.app("lucs-cr-2").unwrap().object_id.clone().unwrap();
    assert!(cr2.contains(&id) && cr2.contains("run rollback again"), "{cr2}");
    assert!(cr2.contains("Graph answered 8 permanent deletes over"), "chain of 10 attempts: {cr2}");
    // A shorter replication budget gives up sooner.
    let settings = Settings { replication_budget_ms: 5_000, ..Settings::default() };
    let id = tenant.id.clone();
    let out = drive_job_as(RollbackJob::with_settings(&first.journal, &settings), &mut tenant, &mut clock, &id);
    let rb = out.result.unwrap();
    assert_eq!(rb.failed.len(), 2, "{rb:?}");
    assert!(rb.failed.iter().all(|f| f.contains("Graph answered 4 permanent deletes over")), "{rb:?}");
    // Later, once replication caught up, the same journal finishes the job.
    clock += 60 * 60 * 1000;
    let rb = roll_back(&first.journal, &mut tenant, &mut clock).result.unwrap();
    assert!(rb.failed.is_empty(), "{rb:?}");
    assert_eq!(tenant.deleted_count(), 0);
}

#[test]
fn a_clean_rollback_of_the_full_set_takes_three_round_trips() {
    let plan = full_plan();
    let mut tenant = Tenant::new(67);
    let mut clock = 1_790_000_000_000;
    let first = run(&plan, &mut tenant, None, &mut clock).result.unwrap();
    let out = roll_back(&first.journal, &mut tenant, &mut clock);
    let rb = out.result.unwrap();
    assert_eq!(rb.deleted.len(), 10, "{rb:?}");
    assert_eq!(out.round_trips, 3, "read each app, delete it, purge it");
    assert_eq!(out.requests.len(), 30);
    assert_eq!((tenant.application_count(), tenant.deleted_count()), (0, 0));
}

#[test]
fn the_rollback_report_is_declared_field_for_field() {
    let declarations = std::fs::read_to_string("src/lucs_registrar.d.ts").expect("declarations");
    let at = declarations.find("export interface RollbackReport {").expect("RollbackReport is declared");
    let body = &declarations[at..at + declarations[at..].find("\n}").unwrap()];
    let declared: Vec<&str> =
        body.lines().skip(1).filter_map(|l| l.trim().split_once(": string[];").map(|(name, _)| name)).collect();
    let written = serde_json::to_value(Rollback::default()).unwrap();
    let mut written: Vec<&str> = written.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = declared.clone();
    sorted.sort_unstable();
    written.sort_unstable();
    assert_eq!(sorted, written);
}
